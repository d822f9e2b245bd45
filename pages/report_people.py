"""The roster the Report page passes to :func:`ccmetrics.report.build_report`.

Called with one line from ``pages/report_page.py``: the roster in use
(:func:`pages.people_section.current_roster`: the one uploaded on the Data page, kept in
``st.session_state["roster"]``, else the sample's with the sample calls) goes into the report's
people block, with a cache key of its content.
"""

from __future__ import annotations

from pages import common, people_section

__all__ = ["report_roster"]


def report_roster(ctx: common.Context) -> dict:
    """The report's roster as the keyword arguments of its cached build (key and table)."""
    found = people_section.current_roster(ctx)
    if found is None:
        return {"roster_key": "", "_roster": None}
    roster, name, _is_sample = found
    named = roster.copy()
    named.attrs["file"] = name  # the name the Data page shows goes into the report
    return {"roster_key": people_section._roster_key(roster, name), "_roster": named}
