"""The report's period, its daily KPI table and the control charts of :data:`CHART_KPIS`."""

from __future__ import annotations

import pandas as pd

from ccmetrics import kpi, spc, story
from ccmetrics.cube import frame_kind, time_column
from ccmetrics.report.text import _kpi_name, _text
from ccmetrics.schema import KpiSettings

#: KPIs charted per day; a day on which one of them signals is a candidate finding.
#: The order is also the priority of the KPI a finding's drill-down explains.
CHART_KPIS = ("service_level", "offered", "aht_s")


# --------------------------------------------------------------------------- period and data


def report_period(frame: pd.DataFrame, start=None, end=None) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The report's period as whole days ``[start, end)``; the data's whole span by default.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals.
    start, end : date-like, optional
        First day and the day after the last day (half-open, as :func:`ccmetrics.kpi.subset`).
        Missing: the first day of the data, and the day after its last day.

    Returns
    -------
    tuple of Timestamp
        ``(start, end)``, both at midnight.

    Raises
    ------
    ValueError
        When the data is empty or ``end <= start``.

    Examples
    --------
    >>> calls = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-03-01 09:00", "2025-03-31 21:00"])})
    >>> [str(t.date()) for t in report_period(calls)]
    ['2025-03-01', '2025-04-01']
    """
    times = frame[time_column(frame)]
    if start is None or end is None:
        if times.notna().sum() == 0:
            raise ValueError("the data has no rows with a time: nothing to report")
    start = pd.Timestamp(start).normalize() if start is not None else times.min().normalize()
    end = (
        pd.Timestamp(end).normalize()
        if end is not None
        else times.max().normalize() + pd.Timedelta(days=1)
    )
    if end <= start:
        raise ValueError(f"the period must end after it starts ({start.date()} – {end.date()})")
    return start, end


def _prepare(frame: pd.DataFrame, settings: KpiSettings, filters: dict | None) -> pd.DataFrame:
    """FCR flags on the whole data set (before any filter), then the dimension filters
    (:func:`ccmetrics.story.story_inputs`: the rows the pages' stories read too)."""
    if frame_kind(frame) == "calls" and "fcr_eligible" not in frame.columns:
        frame = kpi.add_fcr_flags(frame, settings)
    return story.story_inputs(frame, filters=filters)[0]


def _daily(frame: pd.DataFrame, start, end, settings: KpiSettings) -> pd.DataFrame:
    """KPIs per day of ``[start, end)`` (:func:`ccmetrics.kpi.compute`), indexed by day."""
    table = kpi.compute(kpi.subset(frame, start, end), freq="D", settings=settings, keep_sums=True)
    table.index = pd.DatetimeIndex(pd.to_datetime(table.pop("period")), name="day")
    return table


# --------------------------------------------------------------------------- control charts


def _limit_window(start, end, limit_days: int | None) -> pd.Timestamp:
    """First day of the days that define the limits: the period, or ``limit_days`` up to ``end``."""
    if not limit_days:
        return pd.Timestamp(start)
    first = pd.Timestamp(end) - pd.Timedelta(days=int(limit_days))
    return min(pd.Timestamp(start), first)


def _spc_chart(name: str, daily: pd.DataFrame, **options) -> pd.DataFrame:
    """The chart of one daily KPI by :func:`ccmetrics.spc.kpi_chart` (as the Control charts page)."""
    table = daily.reset_index().rename(columns={"day": "period"})
    return spc.kpi_chart(table, name, granularity="day", **options)


def control_charts(
    frame: pd.DataFrame,
    *,
    start=None,
    end=None,
    settings: KpiSettings | None = None,
    kpis=CHART_KPIS,
    limit_days: int | None = None,
) -> dict[str, pd.DataFrame]:
    """Daily control charts of the report's KPIs, limits from the days up to the period's end.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals (the whole data set).
    start, end : date-like, optional
        The period ``[start, end)``; default the data's whole span (:func:`report_period`).
    settings : KpiSettings, optional
    kpis : sequence of str, default :data:`CHART_KPIS`
    limit_days : int, optional
        Default: the limits rest on the period's days, exactly as the Control charts page
        computes them for the same date range (so the report and the app agree). With
        ``limit_days`` they rest on the days of ``[min(start, end − limit_days), end)`` that
        the data covers: a one-month report judged against a quarter of history
        (``limit_days=91``) is not blinded by its own outliers, which widen Laney's
        limits when few days define them.

    Returns
    -------
    dict
        ``{kpi: chart}`` for each KPI with at least 3 days of values: the result of
        :func:`ccmetrics.spc.kpi_chart` (the function of the Control charts page) on the
        daily KPI table of the limit window, default chart of
        :func:`ccmetrics.spc.default_chart_for` ``(kpi, "day")``; indexed by day (columns
        ``value, n, center, lcl, ucl, z, signal, rules``, ...). ``attrs`` are those of
        ``kpi_chart`` (``kpi``, ``chart``, ``diagnostics``, ...) plus ``limits_start``,
        ``limits_end`` (first and last day of the limits) and ``limit_days`` (days with a
        value).

    Notes
    -----
    Service level: Laney p′ of x = service level × its base (the n of
    :data:`ccmetrics.kpi.KPI_BASE`) over n = the base. Offered calls: the seasonal chart
    (same weekday). AHT: XmR. The daily table is :func:`ccmetrics.kpi.compute`
    ``(freq="D", keep_sums=True)``, as on the Control charts page. The limits never use days
    after the period, so a report of a past month does not change when newer data arrives.

    Examples
    --------
    >>> days = pd.date_range("2025-03-03", periods=28, freq="D").repeat(10)
    >>> calls = pd.DataFrame({"arrived_at": days + pd.Timedelta(hours=9), "wait_s": 5.0,
    ...     "answered": True, "abandoned": False, "talk_s": 200.0, "hold_s": 0.0, "acw_s": 30.0})
    >>> charts = control_charts(calls)
    >>> sorted(charts), charts["aht_s"].attrs["chart"]
    (['aht_s', 'offered', 'service_level'], 'xmr')
    """
    settings = settings or KpiSettings()
    start, end = report_period(frame, start, end)
    window_start = _limit_window(start, end, limit_days)
    return _charts_of_daily(_daily(frame, window_start, end, settings), start, kpis)


def _charts_of_daily(daily: pd.DataFrame, start, kpis=CHART_KPIS) -> dict[str, pd.DataFrame]:
    """:func:`control_charts` from the daily KPI table of the limit window."""
    charts = {}
    for name in kpis:
        if name not in daily.columns:
            continue
        days = daily[daily[name].notna()]
        if name in kpi.KPI_BASE and kpi.KPI_UNITS.get(name) == "percent":
            days = days[days[kpi.KPI_BASE[name]] > 0]
        if len(days) < story.MIN_CHART_DAYS or not (days.index >= start).any():
            continue
        chart = _spc_chart(name, days, revise=True)
        chart.attrs.update(
            {
                "limits_start": days.index.min(),
                "limits_end": days.index.max(),
                "limit_days": int(len(days)),
            }
        )
        charts[name] = chart
    return charts


def _skipped_charts(daily: pd.DataFrame, charts: dict, lang: str) -> list[str]:
    """Why a KPI of :data:`CHART_KPIS` has no chart (``daily``: the period's days)."""
    out = []
    for name in CHART_KPIS:
        if name in charts:
            continue
        has_values = name in daily.columns and daily[name].notna().any()
        reason = _text("reason.few_days" if has_values else "reason.no_data", lang)
        out.append(_text("chart.skipped", lang, kpi=_kpi_name(name, lang), reason=reason))
    return out


def _in_period(chart: pd.DataFrame, start, end) -> pd.DataFrame:
    index = pd.DatetimeIndex(chart.index)
    return chart[(index >= start) & (index < end)]
