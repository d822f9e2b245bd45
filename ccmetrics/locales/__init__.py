"""Per-page parts of the one translation table (merged into :mod:`ccmetrics.i18n`).

Each module holds ``EN`` and ``ZH`` dicts for one page's strings, so the pages
can be worked on side by side; :mod:`ccmetrics.i18n` merges them and refuses a
key defined twice.
"""

__all__ = ["PAGE_MODULES"]

#: The page modules merged into the table, in order.
PAGE_MODULES = (
    "control_charts",
    "drilldown",
    "teams",
    "compare",
    "staffing",
    "report",
    "report_doc",
    "spc",
    "drill",
    "cli",
    "mapping",
    "story",
    "loader",
    "journey",
    "people",
    "targets",
    "quality",
    "engine",
    "ivr",
    "report_extra",
    "app_engine",
)
