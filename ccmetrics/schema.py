"""Canonical schema shared by every ccmetrics module.

The loader (:mod:`ccmetrics.io`) turns any export into one of two canonical
frames; every other module reads only these names.

* ``kind == "calls"``: one row per offered call (:data:`CALL_COLUMNS`).
* ``kind == "intervals"``: additive counts and sums per interval and
  optional dimensions (:data:`INTERVAL_COLUMNS`).

See ``../shared/docs/DESIGN.md`` for the meaning of every column.
"""

from __future__ import annotations

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
    "talk_s": "float",
    "hold_s": "float",
    "acw_s": "float",
    "transferred": "boolean",
    "resolved": "boolean",
    "csat": "float",
    "qa_score": "float",
    "cost": "float",
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
