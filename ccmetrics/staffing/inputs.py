"""Demand, plan, staffing and measured service level per queue and interval."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ccmetrics.cube import frame_kind, ivr_only_rows
from ccmetrics.engine import is_dataset
from ccmetrics.engine_inputs import queued_values
from ccmetrics.kpi import compute
from ccmetrics.schema import KpiSettings
from ccmetrics.staffing.codes import INPUT_NOTES

__all__ = ["staffing_inputs"]


def _has_values(frame: pd.DataFrame, column: str) -> bool:
    """Whether ``frame`` has ``column`` with at least one value (an all-missing column is absent)."""
    if is_dataset(frame):
        return column in frame.columns and bool(queued_values(frame, column))
    return column in frame.columns and bool(frame[column].notna().any())


def _queue_names(frame: pd.DataFrame) -> list[str]:
    if is_dataset(frame):
        return sorted(str(name) for name in queued_values(frame, "queue"))
    return sorted(str(name) for name in frame["queue"].dropna().unique())


def _queue_keys(frame: pd.DataFrame, plan: pd.DataFrame | None) -> tuple[list[str], list[dict]]:
    """The key columns shared by the data and the plan, and the notes on how they line up."""
    if not _has_values(frame, "queue"):
        return [], []
    if plan is None or plan is frame:
        return ["queue"], []
    data_queues = _queue_names(frame)
    if not _has_values(plan, "queue"):
        note = _input_note("plan_without_queues", [], data_queues)
        return [], [note]
    plan_queues = _queue_names(plan)
    if not set(plan_queues) & set(data_queues):
        return ["queue"], [_input_note("plan_other_queues", plan_queues, data_queues)]
    return ["queue"], []


def _input_note(code: str, plan_queues: list[str], data_queues: list[str]) -> dict:
    message = INPUT_NOTES[code].format(
        plan_queues=", ".join(plan_queues), data_queues=", ".join(data_queues)
    )
    return {
        "code": code,
        "message": message,
        "plan_queues": plan_queues,
        "data_queues": data_queues,
    }


def _plan_table(plan: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Forecast and staffing per key and interval: sums, AHT weighted by forecast calls."""
    columns = ["forecast_offered", "forecast_aht_s", "scheduled_agents", "staffed_agents"]
    data = pd.DataFrame({"interval_start": pd.to_datetime(plan["interval_start"])})
    for key in keys:
        data[key] = plan[key].astype(str).to_numpy()
    for column in columns:
        if column in plan.columns:
            data[column] = pd.to_numeric(plan[column], errors="coerce").to_numpy(dtype=float)
        else:
            data[column] = np.nan
    data["forecast_handle_s"] = data["forecast_offered"] * data["forecast_aht_s"]
    grouped = data.groupby([*keys, "interval_start"], sort=True)
    table = grouped[
        ["forecast_offered", "forecast_handle_s", "scheduled_agents", "staffed_agents"]
    ].sum(min_count=1)
    table["forecast_aht_s"] = table["forecast_handle_s"] / table["forecast_offered"].where(
        table["forecast_offered"] > 0
    )
    # A forecast of 0 calls keeps its (unweighted) AHT so that the model can still run.
    plain_aht = grouped["forecast_aht_s"].mean()
    table["forecast_aht_s"] = table["forecast_aht_s"].fillna(plain_aht)
    return table.drop(columns="forecast_handle_s").reset_index()


def staffing_inputs(
    frame: pd.DataFrame,
    plan: pd.DataFrame | None = None,
    *,
    settings: KpiSettings | None = None,
    freq: str = "30min",
    expected_occupancy: float = 0.85,
) -> pd.DataFrame:
    """Demand, plan, staffing and measured service level per queue and interval.

    Parameters
    ----------
    frame : DataFrame or Dataset
        Canonical calls or canonical intervals, or an engine-backed data set of
        calls (:func:`ccmetrics.engine.is_dataset`): its engine sums the measures
        per (queue,) interval; no call is fetched.
    plan : DataFrame, optional
        An interval frame with ``interval_start`` (and ``queue`` for a plan
        per queue) and any of ``forecast_offered``, ``forecast_aht_s``,
        ``scheduled_agents``, ``staffed_agents``. When omitted and ``frame`` is
        an interval frame, those columns of ``frame`` are used.
    settings : KpiSettings, optional
        Threshold, target and service-level formula.
    freq : str, default "30min"
        Interval length for call-level data (ignored for interval frames and
        when ``plan`` gives ``interval_minutes``).
    expected_occupancy : float, default 0.85
        Occupancy assumed when staffing must be estimated from call data.

    Returns
    -------
    DataFrame
        One row per (queue,) interval, sorted: ``queue`` (when the rows are
        per queue, see Notes),
        ``interval_start``, ``interval_s``, ``offered``, ``answered_in_sl``,
        ``sl_base``, ``measured_sl``, ``abandoned``, ``wait_s_total``
        (waits of answered and abandoned calls), ``handle_s_sum``,
        ``handle_n``, ``aht_s`` (measured, NaN without answered calls),
        ``aht_used_s`` (``aht_s``, else the forecast AHT, else the queue's
        mean AHT over the frame), ``forecast_offered``, ``forecast_aht_s``,
        ``scheduled_agents``, ``staffed_agents``, ``staffed_is_estimate``.
        ``table.attrs["notes"]`` lists how the data and the plan were lined
        up: dicts with ``code`` (a key of :data:`INPUT_NOTES`, for
        translation), ``message`` (English), ``plan_queues`` and
        ``data_queues`` (sorted queue names); empty when nothing needs saying.

    Notes
    -----
    Rows are per queue when ``frame`` has queue values; a ``queue`` column
    without any value (the loader keeps every canonical column, all-missing
    where the export lacks it) counts as absent. A plan must match: a plan
    without queue values beside calls with queues is compared with all
    queues together (the calls are summed over queues) and the note
    ``plan_without_queues`` says so; a plan per queue beside data without
    queues is summed over its queues (the only comparison possible, no
    note). When both have queues but share none, the rows are kept apart
    (the plan's queues get 0 calls, the data's queues no plan) and the note
    ``plan_other_queues`` names both sets.

    Measured values come from :func:`ccmetrics.kpi.compute` (calls by arrival
    interval). Plan rows of finer dimensions are summed per queue and
    interval; the forecast AHT is weighted by forecast calls. Where
    ``staffed_agents`` is unknown it is estimated as busy agent-time ÷
    expected occupancy, ``handle_s_sum / interval_s / expected_occupancy``
    (handle time of the calls arriving in the interval), and
    ``staffed_is_estimate`` is True.

    Examples
    --------
    >>> intervals = pd.DataFrame({"interval_start": pd.to_datetime(["2025-01-06 09:00"]),
    ...     "interval_minutes": [30.0], "offered": [100.0], "answered": [95.0],
    ...     "answered_in_sl": [80.0], "short_abandoned": [0.0], "handle_s_sum": [17100.0],
    ...     "staffed_agents": [14.0]})
    >>> row = staffing_inputs(intervals).iloc[0]
    >>> float(row.measured_sl), float(row.aht_s), bool(row.staffed_is_estimate)
    (0.8, 180.0, False)
    >>> per_queue = intervals.assign(queue="Sales", staffed_agents=float("nan"))
    >>> plan = intervals[["interval_start", "interval_minutes", "staffed_agents"]]
    >>> staffing_inputs(per_queue, plan).attrs["notes"][0]["code"]
    'plan_without_queues'
    """
    settings = settings or KpiSettings()
    if not 0.0 < expected_occupancy <= 1.0:
        raise ValueError(f"expected_occupancy must be in (0, 1], got {expected_occupancy!r}")
    kind = frame_kind(frame)
    if plan is None and kind == "intervals":
        plan = frame
    if kind == "calls" and not is_dataset(frame):
        ended_in_ivr = ivr_only_rows(frame)
        if ended_in_ivr.any():
            # calls that ended in the IVR reached no queue: they need no agent
            frame = frame[~ended_in_ivr]
    keys, notes = _queue_keys(frame, plan)
    minutes = _interval_minutes(frame, plan, kind, freq)
    interval_s = minutes * 60.0
    table = _measured_table(frame, keys, minutes, settings)
    table = _with_plan(table, plan, keys)
    table.insert(len(keys) + 1, "interval_s", interval_s)
    table = _with_aht_and_staffing(table, keys, interval_s, expected_occupancy)
    table = table[[*keys, *_INPUT_COLUMNS]]
    table.attrs["notes"] = notes
    return table


#: Columns of :func:`staffing_inputs` after the key columns, in order.
_INPUT_COLUMNS = (
    "interval_start",
    "interval_s",
    "offered",
    "answered_in_sl",
    "sl_base",
    "measured_sl",
    "abandoned",
    "wait_s_total",
    "handle_s_sum",
    "handle_n",
    "aht_s",
    "aht_used_s",
    "forecast_offered",
    "forecast_aht_s",
    "scheduled_agents",
    "staffed_agents",
    "staffed_is_estimate",
)


def _interval_minutes(
    frame: pd.DataFrame, plan: pd.DataFrame | None, kind: str, freq: str
) -> float:
    """The interval length: the interval frame's, else the plan's, else ``freq``."""
    if kind == "intervals":
        minutes = float(pd.to_numeric(frame["interval_minutes"], errors="coerce").max())
    elif plan is not None and "interval_minutes" in plan.columns:
        minutes = float(pd.to_numeric(plan["interval_minutes"], errors="coerce").max())
    else:
        minutes = pd.Timedelta(pd.tseries.frequencies.to_offset(freq)).total_seconds() / 60.0
    if not (math.isfinite(minutes) and minutes > 0):
        raise ValueError("cannot tell the interval length: give interval_minutes or freq")
    return minutes


def _measured_table(
    frame: pd.DataFrame, keys: list[str], minutes: float, settings: KpiSettings
) -> pd.DataFrame:
    """Calls, service level, abandons, waits and handle time per (queue,) interval."""
    kpis = compute(
        frame, by=keys or None, freq=f"{minutes:g}min", settings=settings, keep_sums=True
    )
    if is_dataset(frame):
        # the engine sums every call: a row that offered none holds only calls that ended in
        # the IVR (canonical calls), which a frame's calls leave out before they are summed
        kpis = kpis[kpis["offered"].to_numpy(float) > 0].reset_index(drop=True)
    table = pd.DataFrame(
        {"interval_start": pd.to_datetime(kpis["period"]).astype("datetime64[ns]")}
    )
    for key in keys:
        table.insert(0, key, kpis[key].astype(str).to_numpy())
    table["offered"] = kpis["offered"].to_numpy(dtype=float)
    table["sl_base"] = kpis["sl_base"].to_numpy(dtype=float)
    table["measured_sl"] = kpis["service_level"].to_numpy(dtype=float)
    table["answered_in_sl"] = table["measured_sl"] * table["sl_base"]
    table["abandoned"] = kpis["abandoned__sum"].to_numpy(dtype=float)
    table["wait_s_total"] = np.nansum(
        [kpis["wait_s_sum__sum"].to_numpy(float), kpis["abandon_wait_s_sum__sum"].to_numpy(float)],
        axis=0,
    )
    table["handle_s_sum"] = kpis["handle_s_sum__sum"].to_numpy(dtype=float)
    table["handle_n"] = kpis["handle_n__sum"].to_numpy(dtype=float)
    table["aht_s"] = kpis["aht_s"].to_numpy(dtype=float)
    return table


def _with_plan(table: pd.DataFrame, plan: pd.DataFrame | None, keys: list[str]) -> pd.DataFrame:
    """The measured table joined with the plan (every interval of either), sorted."""
    if plan is not None:
        planned = _plan_table(plan, keys)
        planned["interval_start"] = planned["interval_start"].astype("datetime64[ns]")
        table = planned.merge(table, on=[*keys, "interval_start"], how="outer")
        table["offered"] = table["offered"].fillna(0.0)
    else:
        for column in ("forecast_offered", "forecast_aht_s", "scheduled_agents", "staffed_agents"):
            table[column] = np.nan
    return table.sort_values([*keys, "interval_start"]).reset_index(drop=True)


def _with_aht_and_staffing(
    table: pd.DataFrame, keys: list[str], interval_s: float, expected_occupancy: float
) -> pd.DataFrame:
    """``aht_used_s`` and, where the plan has none, staffing estimated from busy time."""
    if keys:
        totals = table.groupby(keys)[["handle_s_sum", "handle_n"]].transform("sum")
        handle_total, handle_count = totals["handle_s_sum"], totals["handle_n"]
    else:
        handle_total = pd.Series(table["handle_s_sum"].sum(), index=table.index)
        handle_count = pd.Series(table["handle_n"].sum(), index=table.index)
    mean_aht = handle_total / handle_count.where(handle_count > 0)
    table["aht_used_s"] = table["aht_s"].fillna(table["forecast_aht_s"]).fillna(mean_aht)
    busy_agents = table["handle_s_sum"].where(table["offered"] > 0, 0.0) / interval_s
    estimate = busy_agents / expected_occupancy
    table["staffed_is_estimate"] = table["staffed_agents"].isna()
    table["staffed_agents"] = table["staffed_agents"].fillna(estimate)
    return table
