"""Canonical schema shared by every ccmetrics module.

The loader (:mod:`ccmetrics.io`) turns any export into one of two canonical
frames; every other module reads only these names.

* ``kind == "calls"``: one row per offered call (:data:`CALL_COLUMNS`).
* ``kind == "intervals"``: additive counts and sums per interval and
  optional dimensions (:data:`INTERVAL_COLUMNS`).

See ``../shared/docs/DESIGN.md`` for the meaning of every column.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "CALL_COLUMNS",
    "CALL_REQUIRED",
    "INTERVAL_COLUMNS",
    "INTERVAL_REQUIRED",
    "DIMENSIONS",
    "DEMAND_DIMENSIONS",
    "SUPPLY_DIMENSIONS",
    "INTERVAL_COUNT_COLUMNS",
    "INTERVAL_SUM_COLUMNS",
    "KINDS",
    "SL_FORMULAS",
    "KpiSettings",
]

KINDS = ("calls", "intervals")

#: Dimensions describing who called and why (demand side).
DEMAND_DIMENSIONS = ("category", "segment", "channel")
#: Dimensions describing who served the call (supply side).
SUPPLY_DIMENSIONS = ("queue", "team", "agent")
#: Every categorical dimension a canonical frame may carry.
DIMENSIONS = ("queue", "category", "segment", "team", "agent", "channel")

#: Call-level canonical columns and their dtypes ("datetime" = datetime64[ns],
#: naive business-local time; "category" = pandas categorical of strings).
CALL_COLUMNS: dict[str, str] = {
    "call_id": "string",
    "arrived_at": "datetime",
    "queue": "category",
    "category": "category",
    "segment": "category",
    "team": "category",
    "agent": "category",
    "customer_id": "string",
    "channel": "category",
    "wait_s": "float",
    "answered": "bool",
    "abandoned": "bool",
    "ivr_s": "float",
    "ivr_contained": "boolean",
    "ivr_abandoned": "boolean",
    "ivr_path": "category",
    "talk_s": "float",
    "hold_s": "float",
    "acw_s": "float",
    "transferred": "boolean",
    "resolved": "boolean",
    "csat": "float",
    "qa_score": "float",
    "cost": "float",
    # quality of the call: the caller complained, the agent made a business error, the
    # share (0–1) of the required after-call fields filled, who scored the QA evaluation
    "complaint": "boolean",
    "business_error": "boolean",
    "entry_completeness": "float",
    "evaluator": "category",
}
CALL_REQUIRED = ("call_id", "arrived_at", "wait_s", "answered", "abandoned")

#: Interval counts (additive).
INTERVAL_COUNT_COLUMNS = (
    "offered",
    "answered",
    "abandoned",
    "short_abandoned",
    "answered_in_sl",
    "abandoned_in_sl",
    "transferred",
)
#: Interval sums of seconds (additive).
INTERVAL_SUM_COLUMNS = (
    "wait_s_sum",
    "abandon_wait_s_sum",
    "talk_s_sum",
    "hold_s_sum",
    "acw_s_sum",
    "handle_s_sum",
)

#: Interval-level canonical columns and their dtypes.
INTERVAL_COLUMNS: dict[str, str] = {
    "interval_start": "datetime",
    "interval_minutes": "float",
    **{d: "category" for d in DIMENSIONS},
    **{c: "float" for c in INTERVAL_COUNT_COLUMNS},
    **{c: "float" for c in INTERVAL_SUM_COLUMNS},
    "staffed_agents": "float",
    "scheduled_agents": "float",
    "forecast_offered": "float",
    "forecast_aht_s": "float",
    "reported_service_level": "float",
}
INTERVAL_REQUIRED = ("interval_start", "interval_minutes", "offered")

#: Service-level formula presets (DESIGN.md "KPI conventions").
SL_FORMULAS = ("offered_excl_short", "answered", "abandons_ignored", "abandons_good", "offered")


@dataclass(frozen=True)
class KpiSettings:
    """KPI conventions; every default is DESIGN.md's.

    Parameters
    ----------
    sl_threshold_s : float, default 20
        T: an answered call is in service level when ``wait_s <= T``.
    short_abandon_s : float, default 5
        S: an abandoned call is a short abandon when ``wait_s < S``.
    sl_formula : str, default "offered_excl_short"
        One of :data:`SL_FORMULAS` (see :func:`derive`).
    fcr_window_h : float, default 72
        A resolved first contact has no new call from the same customer within
        this many hours.
    csat_top_box : float, default 4
        Ratings at or above this count as top-2-box on a 1–5 scale.
    sl_target : float, default 0.8
        The service-level target drawn on charts (fraction).
    fcr_method : str, default "auto"
        "repeat_calls" (needs ``customer_id``), "resolved_flag" (needs
        ``resolved``), or "auto": repeat calls when customer ids exist, else the
        platform's resolved flag.
    cost_per_agent_hour : float or None, default None
        When given, the cost KPIs come from staffed hours × this rate (the cost of one
        agent hour, in the data's currency) instead of a per-call ``cost`` column:
        cost_per_call = rate × staffed hours / answered calls, cost_per_minute =
        rate × staffed hours / handle minutes (needs interval staffing).
    """

    sl_threshold_s: float = 20.0
    short_abandon_s: float = 5.0
    sl_formula: str = "offered_excl_short"
    fcr_window_h: float = 72.0
    csat_top_box: float = 4.0
    sl_target: float = 0.8
    fcr_method: str = "auto"
    cost_per_agent_hour: float | None = None

    def __post_init__(self) -> None:
        if self.sl_formula not in SL_FORMULAS:
            raise ValueError(f"sl_formula must be one of {SL_FORMULAS}, not {self.sl_formula!r}")
        if self.fcr_method not in ("auto", "repeat_calls", "resolved_flag"):
            raise ValueError("fcr_method must be 'auto', 'repeat_calls' or 'resolved_flag'")
        if self.sl_threshold_s < 0 or self.short_abandon_s < 0 or self.fcr_window_h <= 0:
            raise ValueError("thresholds must be >= 0 and the FCR window > 0")
        if self.cost_per_agent_hour is not None and not self.cost_per_agent_hour >= 0:
            raise ValueError("cost_per_agent_hour must be a number >= 0 or None")
