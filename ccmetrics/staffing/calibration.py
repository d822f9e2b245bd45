"""Calibration: how many of the logged-in agents the queueing model should count."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import brentq
from scipy.stats import t as stats_t

from ccmetrics.schema import KpiSettings
from ccmetrics.staffing.erlang import model_service_level
from ccmetrics.staffing.inputs import staffing_inputs
from ccmetrics.staffing.patience import _patience_by_row

__all__ = ["EFFICIENCY_RANGE", "CALIBRATION_OUTLIER_Z", "Calibration", "calibrate"]


#: Search range of an efficiency (effective agents per logged-in agent).
EFFICIENCY_RANGE = (0.2, 3.0)
#: Modified z-score above which a day's efficiency is an outlier (Iglewicz-Hoaglin).
CALIBRATION_OUTLIER_Z = 3.5


@dataclass
class Calibration:
    """The queueing model fitted to a center's ordinary days (see :func:`calibrate`).

    Attributes
    ----------
    efficiency : dict
        ``{queue: e}``: effective agents per logged-in agent, per queue (key
        ``""`` when the data has no queues).
    overall : float
        Mean of the ordinary days' efficiencies (all queues, weighted by
        staffed agent-hours): the share of logged-in time the model counts as
        on the phones.
    low, high : float
        95 % confidence interval of ``overall`` (t interval over the days).
    days : int
        Ordinary days the calibration rests on.
    skipped : list of dict
        Days left out: ``date`` (ISO), ``reason`` ("excluded": given as out of
        control; "outlier": its own efficiency is an outlier), ``efficiency``.
    baseline_aht_s : dict
        ``{queue: seconds}``: mean handle time of the ordinary days.
    daily : DataFrame
        ``date``, ``efficiency``, ``used`` per day (for charts and tests).
    """

    efficiency: dict
    overall: float
    low: float
    high: float
    days: int
    skipped: list = field(default_factory=list)
    baseline_aht_s: dict = field(default_factory=dict)
    daily: pd.DataFrame | None = None

    def for_queue(self, queue) -> float:
        """Efficiency of ``queue`` (the overall one for a queue not calibrated)."""
        value = self.efficiency.get(str(queue), math.nan)
        return float(value) if np.isfinite(value) else float(self.overall)


def _day_efficiency(rows: pd.DataFrame, threshold_s: float, patience: np.ndarray) -> float:
    """Efficiency at which the model's SL of a queue-day equals its measured SL (weighted by n)."""
    n = rows["sl_base"].to_numpy(float)
    measured = float(np.dot(n, rows["measured_sl"].to_numpy(float)))
    calls = rows["offered"].to_numpy(float)
    aht = rows["aht_used_s"].to_numpy(float)
    agents = rows["staffed_agents"].to_numpy(float)
    interval_s = rows["interval_s"].to_numpy(float)

    def gap(e: float) -> float:
        model = sum(
            weight * model_service_level(v, t, h, e * a, threshold_s, p)
            for weight, v, t, h, a, p in zip(
                n, calls, interval_s, aht, agents, patience, strict=True
            )
        )
        return model - measured

    low, high = EFFICIENCY_RANGE
    at_low, at_high = gap(low), gap(high)
    if at_low >= 0 or at_high <= 0:
        return math.nan  # the model cannot reach the measured SL in the range
    return float(brentq(gap, low, high, xtol=2e-3))


def calibrate(
    frame: pd.DataFrame,
    plan: pd.DataFrame | None = None,
    *,
    settings: KpiSettings | None = None,
    model: str = "erlang_a",
    patience_s: float | dict | None = None,
    exclude_days: Iterable = (),
    max_days: int | None = 42,
    freq: str = "30min",
    expected_occupancy: float = 0.85,
) -> Calibration:
    """Fit the queueing model to the center: effective agents per logged-in agent, per queue.

    Parameters
    ----------
    frame, plan, settings, model, patience_s, freq, expected_occupancy
        As in :func:`why_intervals` (pass the whole history, not one day).
    exclude_days : iterable of dates, optional
        Days known to be out of control (e.g. the control chart's signals):
        never used.
    max_days : int or None, default 42
        Calibrate on the most recent days with data only (None: every day);
        the efficiency is a property of the center, six weeks pin it down
        and keep the cost near one second.

    Returns
    -------
    Calibration
        Per-queue efficiencies, the overall one with its 95 % interval, the
        ordinary days used, the days skipped and why, the baseline AHT.

    Notes
    -----
    Logged-in agents are not all on the phones (breaks, back office, system
    time), so the queueing model ``g(V, H, N)`` of :func:`model_service_level`
    is too optimistic with ``N`` = staffed agents, and every deviation would
    land in "unexplained". For each queue and day the efficiency ``e`` solves

    ``sum_i n_i g(V_i, H_i, e N_i) = sum_i n_i SL_i``

    (intervals ``i`` with calls, ``n_i`` the SL base) by Brent's method on
    ``[0.2, 3]``. A day's efficiency is the staffed-hour-weighted mean of its
    queues'. Days given in ``exclude_days`` and days whose efficiency is an
    outlier (modified z-score ``|e - median| / (1.4826 MAD) > 3.5``, Iglewicz
    and Hoaglin 1993) are skipped. A queue's efficiency is the n-weighted
    mean over the ordinary days; ``overall`` is the mean of the ordinary days'
    efficiencies with the t interval ``mean ± t(0.975, k-1) sd / sqrt(k)``.
    A staffing shortfall, a surge or a longer handle time leaves ``e``
    unchanged (the model sees them), so such days calibrate like any other;
    what the model cannot see shows up as an outlying ``e``. Staffing
    estimated from busy time is not calibrated (efficiency 1, ``days`` 0).

    Examples
    --------
    >>> from ccmetrics.staffing import agents_for_target
    >>> intervals = pd.DataFrame({"interval_start": pd.to_datetime(
    ...     ["2025-01-06 09:00", "2025-01-07 09:00"]), "interval_minutes": [30.0] * 2,
    ...     "offered": [100.0] * 2, "answered": [100.0] * 2, "answered_in_sl": [80.0] * 2,
    ...     "short_abandoned": [0.0] * 2, "handle_s_sum": [18000.0] * 2,
    ...     "staffed_agents": [20.0] * 2})
    >>> fit = calibrate(intervals, model="erlang_c")
    >>> n_star = agents_for_target(100, 1800, 180, 0.8, 20)  # 13.04 agents give 80 %
    >>> fit.days, abs(fit.overall * 20 - n_star) < 0.05
    (2, True)
    """
    settings = settings or KpiSettings()
    table = staffing_inputs(
        frame, plan, settings=settings, freq=freq, expected_occupancy=expected_occupancy
    )
    rows = _calibration_rows(table, model, patience_s, max_days)
    empty = pd.DataFrame({"date": [], "efficiency": [], "used": []})
    if rows.empty:
        return Calibration({}, 1.0, math.nan, math.nan, 0, [], {}, empty)
    fits = _queue_day_fits(rows, settings.sl_threshold_s)
    daily = _daily_efficiency(fits)
    reason = _skip_reasons(daily, exclude_days)
    daily["used"] = reason == ""
    skipped = [
        {
            "date": row.date.strftime("%Y-%m-%d"),
            "reason": str(why),
            "efficiency": float(row.efficiency),
        }
        for row, why in zip(daily.itertuples(), reason, strict=True)
        if why
    ]
    used_days = set(daily.loc[daily["used"], "date"])
    ordinary = fits[fits["date"].isin(used_days)]
    if ordinary.empty:
        return Calibration({}, 1.0, math.nan, math.nan, 0, skipped, {}, daily)
    efficiency, baseline_aht = {}, {}
    for queue, group in ordinary.groupby("queue", sort=True):
        efficiency[queue] = float(np.average(group["efficiency"], weights=group["n"]))
        count = group["handle_n"].sum()
        baseline_aht[queue] = float(group["handle_s"].sum() / count) if count > 0 else math.nan
    used = daily.loc[daily["used"], "efficiency"].to_numpy(float)
    overall = float(used.mean())
    if used.size >= 2:
        half = float(stats_t.ppf(0.975, used.size - 1) * used.std(ddof=1) / math.sqrt(used.size))
    else:
        half = math.nan
    return Calibration(
        efficiency=efficiency,
        overall=overall,
        low=overall - half,
        high=overall + half,
        days=int(used.size),
        skipped=skipped,
        baseline_aht_s=baseline_aht,
        daily=daily,
    )


def _calibration_rows(
    table: pd.DataFrame, model: str, patience_s, max_days: int | None
) -> pd.DataFrame:
    """The intervals a calibration can use (calls, SL, AHT, measured staffing), recent days."""
    keys = ["queue"] if "queue" in table.columns else []
    table["_patience"] = _patience_by_row(table, keys, model, patience_s)
    table["date"] = pd.to_datetime(table["interval_start"]).dt.normalize()
    table["_queue"] = table[keys[0]].astype(str) if keys else ""
    usable = (
        (table["sl_base"] > 0)
        & table["measured_sl"].notna()
        & (table["aht_used_s"] > 0)
        & (table["staffed_agents"] > 0)
        & ~table["staffed_is_estimate"].astype(bool)
    )
    rows = table[usable]
    if max_days is not None:
        recent = np.sort(rows["date"].unique())[-int(max_days) :]
        rows = rows[rows["date"].isin(recent)]
    return rows


def _queue_day_fits(rows: pd.DataFrame, threshold_s: float) -> pd.DataFrame:
    """Efficiency, SL base, staffed hours and handle time per queue and day (finite ones)."""
    per_queue = []
    for (queue, date), group in rows.groupby(["_queue", "date"], sort=True):
        per_queue.append(
            {
                "queue": queue,
                "date": date,
                "efficiency": _day_efficiency(group, threshold_s, group["_patience"].to_numpy()),
                "n": float(group["sl_base"].sum()),
                "hours": float((group["staffed_agents"] * group["interval_s"]).sum() / 3600),
                "handle_s": float(group["handle_s_sum"].sum()),
                "handle_n": float(group["handle_n"].sum()),
            }
        )
    fits = pd.DataFrame(per_queue)
    return fits[np.isfinite(fits["efficiency"])]


def _daily_efficiency(fits: pd.DataFrame) -> pd.DataFrame:
    """``date``, ``efficiency``: the day's queues' efficiencies weighted by staffed hours."""
    fits["_weighted"] = fits["efficiency"] * fits["hours"]
    by_day = fits.groupby("date", sort=True)
    return (by_day["_weighted"].sum() / by_day["hours"].sum()).rename("efficiency").reset_index()


def _skip_reasons(daily: pd.DataFrame, exclude_days: Iterable) -> np.ndarray:
    """Per day "excluded" (given), "outlier" (modified z-score above the cut) or ""."""
    excluded = {pd.Timestamp(day).normalize() for day in exclude_days}
    values = daily["efficiency"].to_numpy(float)
    reason = np.where(daily["date"].isin(excluded), "excluded", "")
    candidates = reason == ""
    if candidates.sum() >= 3:
        center = float(np.median(values[candidates]))
        spread = 1.4826 * float(np.median(np.abs(values[candidates] - center)))
        outlier = candidates & (np.abs(values - center) > CALIBRATION_OUTLIER_Z * max(spread, 1e-6))
        reason = np.where(outlier, "outlier", reason)
    return reason


def _calibration_by_row(
    table: pd.DataFrame, keys: list[str], calibration: Calibration | None
) -> tuple[np.ndarray, np.ndarray]:
    """Efficiency and baseline AHT of every row of a :func:`staffing_inputs` table."""
    queues = table[keys[0]].astype(str) if keys else pd.Series("", index=table.index)
    if calibration is not None and calibration.days > 0:
        efficiency = queues.map(calibration.for_queue).to_numpy(float)
        baseline = queues.map(calibration.baseline_aht_s).to_numpy(float)
    else:
        efficiency = np.ones(len(table))
        baseline = np.full(len(table), np.nan)
    # no baseline from the calibration: the queue's mean AHT over the table
    handle = table.groupby(queues)["handle_s_sum"].transform("sum")
    count = table.groupby(queues)["handle_n"].transform("sum")
    mean_aht = (handle / count.where(count > 0)).to_numpy(float)
    baseline = np.where(np.isfinite(baseline), baseline, mean_aht)
    return efficiency, baseline
