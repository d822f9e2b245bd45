"""The periods of a KPI control chart: their length, which KPIs can be charted, how to read them.

A KPI chart (:func:`ccmetrics.spc.kpi_chart`) has one point per period of a
granularity: ``"interval"`` (the data's interval, e.g. 30 minutes), ``"day"`` or
``"week"`` (weeks start on Monday). These helpers answer the questions the Control
charts page asks of its points before and after charting them: the pandas
frequency and the length of a period, how many days of intervals fit on one chart,
which KPIs a table can chart, where a change date falls, how the signals of each
phase add up, which day an episode is about, and which charts signal most.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import pandas as pd

from ccmetrics.spc.base import ChartInputError

__all__ = [
    "GRANULARITIES",
    "DAY_MINUTES",
    "WEEK_MINUTES",
    "period_freq",
    "period_minutes",
    "days_that_fit",
    "chartable_kpis",
    "first_period_from",
    "phase_counts",
    "episode_day",
    "by_signal_count",
]

#: The granularities of a KPI chart, finest first.
GRANULARITIES = ("interval", "day", "week")
DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * DAY_MINUTES


def _check_granularity(granularity: str) -> None:
    if granularity not in GRANULARITIES:
        raise ChartInputError(
            f"granularity must be one of {GRANULARITIES}, not {granularity!r}",
            "bad_option",
            name="granularity",
            value=granularity,
        )


def period_freq(granularity: str, minutes: int) -> str:
    """The pandas frequency of a chart's periods (``kpi.compute(freq=...)``).

    Parameters
    ----------
    granularity : {"interval", "day", "week"}
    minutes : int
        The length of one interval (:func:`ccmetrics.kpi.chart_interval_minutes`).

    Returns
    -------
    str
        ``"{minutes}min"``, ``"D"`` or ``"W"``.

    Examples
    --------
    >>> period_freq("interval", 15), period_freq("day", 30), period_freq("week", 30)
    ('15min', 'D', 'W')
    """
    _check_granularity(granularity)
    if granularity == "interval":
        return f"{int(minutes)}min"
    return {"day": "D", "week": "W"}[granularity]


def period_minutes(granularity: str, minutes: int) -> int:
    """The length of one period of the chart, in minutes.

    Examples
    --------
    >>> period_minutes("interval", 15), period_minutes("day", 15), period_minutes("week", 15)
    (15, 1440, 10080)
    """
    _check_granularity(granularity)
    return {"interval": int(minutes), "day": DAY_MINUTES, "week": WEEK_MINUTES}[granularity]


def days_that_fit(points: int, days: int, max_points: int) -> int:
    """How many days of the chart's periods fit in ``max_points`` points.

    Parameters
    ----------
    points : int
        Points of the chart over the range in view.
    days : int
        Days in the range in view.
    max_points : int
        The most points one chart shows.

    Returns
    -------
    int
        ``max_points // per_day`` where ``per_day = max(1, round(points / max(days, 1)))``
        is the chart's points per day (at least one).

    Examples
    --------
    96 days of 30-minute intervals over 12 opening hours (24 points a day), 3000 points
    at most: 3000 // 24 = 125 days.

    >>> days_that_fit(96 * 24, 96, 3000)
    125
    """
    per_day = max(1, round(points / max(days, 1)))
    return max_points // per_day


def chartable_kpis(table: pd.DataFrame, candidates: Sequence[str], missing) -> list[str]:
    """The KPIs of ``candidates`` a table of KPIs per period can chart, in their order.

    Parameters
    ----------
    table : DataFrame
        ``kpi.compute(..., freq=...)``: one row per period.
    candidates : sequence of str
        The KPIs the page offers.
    missing : container of str
        KPIs the data lacks the inputs for (``kpi.missing_inputs``).

    Returns
    -------
    list of str
        Each candidate not in ``missing`` whose column is in ``table`` with at least one
        known value.
    """
    return [
        name
        for name in candidates
        if name not in missing and name in table.columns and table[name].notna().any()
    ]


def first_period_from(periods, day: dt.date) -> int | None:
    """Position of the first period that starts on or after ``day``; None when none does.

    Examples
    --------
    >>> periods = pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03"])
    >>> first_period_from(periods, dt.date(2025, 3, 2)), first_period_from(periods, dt.date(2025, 4, 1))
    (1, None)
    """
    after = (pd.DatetimeIndex(periods) >= pd.Timestamp(day)).nonzero()[0]
    return int(after[0]) if len(after) else None


def phase_counts(chart: pd.DataFrame) -> pd.DataFrame:
    """Points and signals of each phase of a KPI chart.

    Parameters
    ----------
    chart : DataFrame
        :func:`ccmetrics.spc.kpi_chart`'s result: ``phase`` and ``signal`` columns and
        ``attrs["phase_attrs"]`` (one entry per phase, in the chart's order).

    Returns
    -------
    DataFrame
        Indexed by phase, in the order of ``attrs["phase_attrs"]``: ``points`` (periods
        in the phase) and ``signals`` (those with a signal).
    """
    phases = list(chart.attrs["phase_attrs"])
    rows = []
    for phase in phases:
        in_phase = (chart["phase"] == phase).to_numpy()
        rows.append(
            {
                "points": int(in_phase.sum()),
                "signals": int(chart["signal"].to_numpy(dtype=bool)[in_phase].sum()),
            }
        )
    return pd.DataFrame(rows, index=pd.Index(phases, name="phase"), columns=["points", "signals"])


def episode_day(episode) -> dt.date:
    """The day an episode of :func:`ccmetrics.spc.signal_episodes` is about.

    A shift is about the day it starts, an incident about its peak.

    Examples
    --------
    >>> episode_day({"kind": "shift", "start": pd.Timestamp("2025-03-03"),
    ...              "peak": pd.Timestamp("2025-03-05 10:00")})
    datetime.date(2025, 3, 3)
    """
    return pd.Timestamp(episode["start"] if episode["kind"] == "shift" else episode["peak"]).date()


def by_signal_count(charts: Mapping[str, pd.DataFrame]) -> list[str]:
    """Names of the charts, most signals first (ties keep the order given).

    Examples
    --------
    >>> charts = {name: pd.DataFrame({"signal": flags}) for name, flags in
    ...           [("a", [False, True]), ("b", [True, True]), ("c", [True, False])]}
    >>> by_signal_count(charts)
    ['b', 'a', 'c']
    """
    counts = {name: int(chart["signal"].sum()) for name, chart in charts.items()}
    return sorted(counts, key=lambda name: -counts[name])
