"""What the Staffing sections share: codes, formats, the plan test, the day's analysis."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ccmetrics import i18n, report, staffing, story
from pages import common
from pages.common import tr

__all__ = [
    "ALL_QUEUES",
    "MODELS",
    "ATTRIBUTIONS",
    "PLAN_COLUMNS",
    "EXPECTED_OCCUPANCY",
    "pct",
    "points",
    "seconds",
    "signed_pct",
    "sentences",
    "effect_names",
    "TRANSLATED_DRIVERS",
    "driver_label",
    "failure",
    "CAUSE_KEYS",
    "cause_label",
    "has_values",
    "has_plan",
    "queue_filter",
    "DayAnalysis",
    "state",
]

ALL_QUEUES = "all"
#: Queueing models and attribution methods, the first of each the default.
MODELS = ("erlang_a", "erlang_c")
ATTRIBUTIONS = ("shapley", "sequential")
PLAN_COLUMNS = ("forecast_offered", "forecast_aht_s", "scheduled_agents", "staffed_agents")
#: Occupancy assumed when staffing is estimated from calls (staffing.staffing_inputs' default).
EXPECTED_OCCUPANCY = 0.85
state = st.session_state


def pct(value) -> str:
    return common.fmt("service_level", value)


def points(value) -> str:
    return i18n.format_change(value, "percent", common.lang()) or tr("unit.missing")


def seconds(value, decimals: int = 0) -> str:
    return i18n.format_number(value, "seconds", common.lang(), decimals=decimals)


def signed_pct(value) -> str:
    """A relative change: +7.8%."""
    if not math.isfinite(value):
        return tr("unit.missing")
    return f"{value * 100:+.{1 if abs(value) >= 0.01 else 2}f}%"


def sentences(*parts: str) -> str:
    """Sentences one after the other (a space between them in English, none in Chinese)."""
    return ("" if common.lang() == "zh" else " ").join(parts)


def effect_names() -> dict[str, str]:
    return {
        "volume": tr("staff.effect_volume"),
        "aht": tr("staff.effect_aht"),
        "staffing": tr("staff.effect_staffing"),
        "unexplained": tr("staff.effect_other"),
    }


#: Driver columns the page names in the UI language: those of the bundled weather.csv
#: (other columns keep the name they have in the driver file).
TRANSLATED_DRIVERS = ("rain", "storm", "temperature_c")


def driver_label(column: str) -> str:
    """A driver column shown by name: translated for the bundled sample's weather columns."""
    column = str(column)
    return report.driver_name(column, common.lang()) if column in TRANSLATED_DRIVERS else column


def failure(key: str, error: ValueError | ArithmeticError) -> None:
    """An analysis that refused the data: the page's message with the reason, no traceback."""
    st.error(common.tr_md(key, reason=str(error)[:300]), icon=":material/error:")


#: The story causes no staffing effect names (``staffing.CAUSE_EFFECTS`` names the others).
CAUSE_KEYS = {
    "demand_drop": "staff.cause_demand_drop",
    "below_target": "staff.cause_below_target",
    "local_change": "staff.cause_local_change",
    "no_significant_change": "staff.cause_no_significant_change",
    "insufficient_data": "staff.cause_insufficient_data",
}


def cause_label(told: story.Story | None, target_met: bool) -> str:
    """The "Main cause" tile: the cause of the day's story, in the staffing effects' names.

    A story named by the staffing attribution shows its effect
    (``staffing.effect_of_cause``); another story shows its own cause, and a day
    with no significant change that met its target shows "target met".
    """
    if told is None:
        return tr("unit.missing")
    effect = staffing.effect_of_cause(told.cause)
    if effect is not None:
        return effect_names()[effect]
    if told.cause == "no_significant_change" and target_met:
        return tr("staff.target_met")
    return tr(CAUSE_KEYS[told.cause])


def has_values(frame: pd.DataFrame | None, column: str) -> bool:
    return frame is not None and column in frame.columns and bool(frame[column].notna().any())


def has_plan(frame: pd.DataFrame | None) -> bool:
    return any(has_values(frame, column) for column in PLAN_COLUMNS)


def queue_filter(queues: tuple[str, ...]) -> dict | None:
    return {"queue": list(queues)} if queues else None


@dataclass
class DayAnalysis:
    """What the day's sections draw: ``why_intervals`` of the day and its ``why_day`` row."""

    table: pd.DataFrame
    row: pd.Series | None
    notes: list
    told: story.Story | None
