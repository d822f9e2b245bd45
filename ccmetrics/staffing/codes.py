"""The codes the staffing analysis returns, and their names in the translation table."""

from __future__ import annotations

from ccmetrics import i18n

__all__ = [
    "INTERVAL_CLASSES",
    "INTERVAL_CLASS_HELP",
    "MISSED_CLASSES",
    "INPUT_NOTES",
    "CAUSE_EFFECTS",
    "CAUSE_NAMES",
    "effect_of_cause",
]


#: The codes :func:`classify_intervals` gives an interval, in the order the page lists them.
_CLASS_CODES = (
    "no_calls",
    "met_target",
    "within_noise",
    "forecast_miss",
    "schedule_gap",
    "adherence_gap",
    "understaffed",
    "something_else",
)


def _names(prefix: str, codes) -> dict[str, dict[str, str]]:
    """``{code: {lang: text}}`` of ``prefix + code`` in every language of the table."""
    return {code: {lang: i18n.t(prefix + code, lang) for lang in i18n.LANGUAGES} for code in codes}


#: Interval classes of :func:`classify_intervals` with their labels (``staff.class.*``).
INTERVAL_CLASSES: dict[str, dict[str, str]] = _names("staff.class.", _CLASS_CODES)
#: One-sentence explanation of each class, for tooltips and reports (``staff.class_help.*``).
INTERVAL_CLASS_HELP: dict[str, dict[str, str]] = _names("staff.class_help.", _CLASS_CODES)
#: Classes that mean "missed the target beyond noise".
MISSED_CLASSES = (
    "forecast_miss",
    "schedule_gap",
    "adherence_gap",
    "understaffed",
    "something_else",
)

#: Notes :func:`staffing_inputs` may attach to its result (``table.attrs["notes"]``):
#: code -> English message (``staff.input_note.*``; ``{plan_queues}`` / ``{data_queues}``
#: are filled in). A page shows the note by its code in its own language.
INPUT_NOTES: dict[str, str] = {
    code: i18n.t(f"staff.input_note.{code}", "en")
    for code in ("plan_without_queues", "plan_other_queues", "forecast_aht_from_baseline")
}


#: The staffing effect (:data:`EFFECTS`) that carries each cause of ``ccmetrics.story``:
#: a story named by the staffing attribution names the same effect on the Staffing page.
CAUSE_EFFECTS = {
    "demand_surge": "volume",
    "forecast_miss": "volume",
    "supply_shortfall": "staffing",
    "handle_time_shift": "aht",
    "other": "unexplained",
}


#: Each cause of ``ccmetrics.story`` (``story.CAUSES``) as :func:`why_summary` names it
#: (the words of the Staffing page's "Main cause" tile and of the story's sentence).
CAUSE_NAMES = _names(
    "staff.story_cause.",
    (
        "demand_surge",
        "forecast_miss",
        "supply_shortfall",
        "handle_time_shift",
        "other",
        "demand_drop",
        "below_target",
        "local_change",
        "no_significant_change",
        "insufficient_data",
    ),
)


def effect_of_cause(cause: str) -> str | None:
    """The staffing effect that names a story's cause, None for a cause without one.

    Examples
    --------
    >>> effect_of_cause("supply_shortfall"), effect_of_cause("no_significant_change")
    ('staffing', None)
    """
    return CAUSE_EFFECTS.get(cause)
