"""What if: the agents one interval needs by Erlang C and Erlang A, and the curve around them."""

from __future__ import annotations

import pandas as pd

from ccmetrics.staffing.erlang import erlang_a, erlang_c
from ccmetrics.staffing.requirements import agents_required, scheduled_agents, staffing_curve
from ccmetrics.staffing.why import why_day

__all__ = ["what_if", "busiest_interval"]


def what_if(
    calls: float,
    interval_minutes: float,
    aht_s: float,
    threshold_s: float,
    target: float,
    shrinkage: float,
    patience_s: float,
    margin: int = 6,
) -> dict:
    """Agents needed for one interval by Erlang C and Erlang A, and the curve around them.

    Parameters
    ----------
    calls : float
        Calls offered in the interval.
    interval_minutes : float
        Interval length in minutes.
    aht_s, threshold_s : float
        Average handle time and service-level threshold, seconds.
    target : float
        Service-level target as a fraction (0.8 for 80 %).
    shrinkage : float
        Share of paid time off the phones (0.3 for 30 %).
    patience_s : float
        Mean caller patience for Erlang A, seconds.
    margin : int
        Agent counts shown on each side of the required agents in the curve.

    Returns
    -------
    dict
        ``required_c``, ``required_a`` (:func:`agents_required`, Erlang C and
        A), ``scheduled_c``, ``scheduled_a`` (:func:`scheduled_agents` with
        ``shrinkage``), ``at_c``, ``at_a`` (:func:`erlang_c` and
        :func:`erlang_a` at the required agents, at least one) and ``curve``
        (:func:`staffing_curve` from ``max(1, min(required) − margin)`` to
        ``max(required, 1) + margin`` agents).

    Raises
    ------
    ValueError
        From the queueing functions, for inputs out of their domain.

    Notes
    -----
    Scheduled agents are ``ceil(required ÷ (1 − shrinkage))``; the offered
    load is ``A = calls × aht_s ÷ (60 × interval_minutes)`` Erlangs.

    Examples
    --------
    The Call Centre Helper worked example (100 calls in 30 minutes, AHT 180 s,
    80 % in 20 s, 30 % shrinkage): 14 agents, 20 scheduled.

    >>> result = what_if(100, 30, 180, 20, 0.8, 0.3, 300)
    >>> result["required_c"], result["scheduled_c"]
    (14, 20)
    """
    interval_s = float(interval_minutes) * 60.0
    required_c = agents_required(calls, interval_s, aht_s, target, threshold_s)
    required_a = agents_required(
        calls, interval_s, aht_s, target, threshold_s, model="erlang_a", patience_s=patience_s
    )
    low = max(1, min(required_c, required_a) - margin)
    high = max(required_c, required_a, 1) + margin
    return {
        "required_c": required_c,
        "required_a": required_a,
        "scheduled_c": scheduled_agents(required_c, shrinkage),
        "scheduled_a": scheduled_agents(required_a, shrinkage),
        "at_c": erlang_c(calls, interval_s, aht_s, max(required_c, 1), threshold_s),
        "at_a": erlang_a(calls, interval_s, aht_s, max(required_a, 1), threshold_s, patience_s),
        "curve": staffing_curve(
            calls, interval_s, aht_s, threshold_s, range(low, high + 1), patience_s=patience_s
        ),
    }


def busiest_interval(table: pd.DataFrame) -> dict:
    """The what-if inputs of a day's busiest interval: its calls, AHT, length and the patience.

    Parameters
    ----------
    table : DataFrame
        :func:`why_intervals` of one day (all its queues, or the queues shown).

    Returns
    -------
    dict
        ``interval_start`` (Timestamp of the interval with the most offered
        calls, every queue added up; the first one on a tie), ``offered``,
        ``aht_s`` (its calls and AHT, :func:`why_day` per interval),
        ``interval_minutes`` (the intervals' length) and ``patience_s`` (the
        day's caller patience, :func:`why_day`: ``inf`` when nobody
        abandoned, NaN without waiting time).

    Notes
    -----
    The AHT of an interval is ``Σ handle_s_sum / Σ handle_n`` over its queues
    and the patience ``Σ wait_s_total / Σ abandoned`` over the day
    (:func:`estimate_patience` on the totals).

    Examples
    --------
    >>> from ccmetrics.staffing import why_intervals
    >>> intervals = pd.DataFrame({"interval_start": pd.to_datetime(
    ...     ["2025-01-06 09:00", "2025-01-06 09:30"]), "interval_minutes": [30.0] * 2,
    ...     "offered": [100.0, 150.0], "answered": [100.0, 150.0],
    ...     "answered_in_sl": [80.0, 90.0], "short_abandoned": [0.0] * 2,
    ...     "handle_s_sum": [18000.0, 30000.0], "staffed_agents": [14.0, 16.0]})
    >>> busiest = busiest_interval(why_intervals(intervals, model="erlang_c"))
    >>> str(busiest["interval_start"]), busiest["offered"], busiest["aht_s"]
    ('2025-01-06 09:30:00', 150.0, 200.0)
    """
    per_interval = why_day(table, by="interval_start")
    busiest = per_interval.loc[per_interval["offered"].idxmax()]
    return {
        "interval_start": pd.Timestamp(busiest["interval_start"]),
        "offered": float(busiest["offered"]),
        "aht_s": float(busiest["aht_s"]),
        "interval_minutes": float(table["interval_s"].iloc[0]) / 60.0,
        "patience_s": float(why_day(table).iloc[0]["patience_s"]),
    }
