"""The whole findings document: :func:`build_report` assembles a :class:`Report`."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import pandas as pd

from ccmetrics import compare, i18n, kpi, kpis, story
from ccmetrics.cube import frame_kind
from ccmetrics.report.charts import ReportChart, _control_chart_spec, _improvement_chart
from ccmetrics.report.findings import (
    _build_finding,
    _build_shift_finding,
    _calibration,
    _contributions,
    _signal_of,
    candidate_findings,
)
from ccmetrics.report.headline import headline_kpis
from ccmetrics.report.journey import JourneyBlock, journey_block
from ccmetrics.report.people import PeopleBlock, people_block
from ccmetrics.report.period import (
    CHART_KPIS,
    _charts_of_daily,
    _daily,
    _limit_window,
    _prepare,
    _skipped_charts,
    _spc_chart,
    report_period,
)
from ccmetrics.report.text import (
    REPORT_TEXT,
    _check_lang,
    _day_text,
    _error_reason,
    _finite,
    _fmt,
    _fmt_change,
    _kpi_name,
    _list_separator,
    _text,
)
from ccmetrics.schema import KpiSettings
from ccmetrics.targets import MARKERS, headline_lights

#: KPIs of the headline table, in order (the Overview's tiles, then occupancy): the registry's,
#: then the cost and quality KPIs (rows only where the data has them).
HEADLINE_KPIS = (*kpis.HEADLINE_KPIS, *kpis.QUALITY_KPIS)


#: KPIs of the team comparison (funnel limits over the period).
TEAM_METRICS = ("aht_s", "fcr_rate", "transfer_rate", "csat_mean", "qa_mean")
#: Findings kept when the caller does not choose.
DEFAULT_MAX_FINDINGS = 5


@dataclass
class Report:
    """A findings document, ready to be written as HTML, PPTX or PNG images.

    Attributes
    ----------
    lang : str
        "en" or "zh".
    title : str
    start, end : Timestamp
        The period ``[start, end)`` (``end`` is the day after the last day).
    period_text : str
        "2025-03-01 – 2025-03-31 (31 days)".
    source : str
        Name of the data (file name).
    generated : str
        When the report was built ("YYYY-MM-DD HH:MM").
    settings : KpiSettings
    kpis : DataFrame
        Headline KPIs (:func:`~ccmetrics.report.headline.headline_kpis`: the tiles, occupancy,
        then every other KPI of the registry the data has): ``kpi, name, current, previous, change, n_current, unit`` and the
        formatted ``current_text, previous_text, change_text, n_text``; with targets also
        ``light`` and ``light_text`` (:func:`ccmetrics.targets.headline_lights`).
    previous : tuple of Timestamp
        The comparison period ``[start, end)``.
    charts : list of ReportChart
        Control charts of :data:`CHART_KPIS` (those the data supports).
    chart_frames : dict
        The :mod:`ccmetrics.spc` result behind each control chart, over the days that
        define the limits.
    candidates : DataFrame
        :func:`candidate_findings` of the period.
    findings : list of Finding
    teams : DataFrame or None
        One row per team: ``team``, ``answered`` and per metric of :data:`TEAM_METRICS`
        the value and the funnel flag (``<metric>`` and ``<metric>_flag``).
    team_summaries : list of str
        The funnel conclusions of the team comparison.
    improvement : list of ccmetrics.spc.ImprovementCheck
    improvement_chart : ReportChart or None
    change_date : Timestamp or None
    filters : dict
    warnings : list of str
        Chart diagnostics and what the data could not support.
    calibration_text : str
        :func:`ccmetrics.story.calibration_text` of the staffing model's calibration
        ("" without staffing data).
    journey : JourneyBlock or None
        The caller's journey of the period (:mod:`ccmetrics.report.journey`); None when the
        data has no IVR column.
    people : PeopleBlock or None
        Attrition and KPIs by tenure (:mod:`ccmetrics.report.people`); None without a roster.
    """

    lang: str
    title: str
    start: pd.Timestamp
    end: pd.Timestamp
    period_text: str
    source: str
    generated: str
    settings: KpiSettings
    kpis: pd.DataFrame
    previous: tuple
    charts: list
    chart_frames: dict
    candidates: pd.DataFrame
    findings: list
    teams: pd.DataFrame | None = None
    team_summaries: list = field(default_factory=list)
    improvement: list = field(default_factory=list)
    improvement_chart: ReportChart | None = None
    change_date: pd.Timestamp | None = None
    filters: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    calibration_text: str = ""
    journey: JourneyBlock | None = None
    people: PeopleBlock | None = None

    @property
    def all_charts(self) -> list:
        """Every chart of the report, in the order of the document."""
        charts = list(self.charts)
        charts += [f.chart for f in self.findings if f.chart is not None]
        if self.improvement_chart is not None:
            charts.append(self.improvement_chart)
        return charts


# --------------------------------------------------------------------------- teams, improvement


def _team_comparison(rows: pd.DataFrame, settings: KpiSettings, lang: str):
    if frame_kind(rows) != "calls" or "team" not in rows.columns or rows["team"].nunique() < 2:
        return None, []
    answered = kpi.compute(rows, by="team", settings=settings)[["team", "answered"]]
    answered = answered[answered["team"].notna()]
    table = pd.DataFrame(
        {
            "team": answered["team"].astype(str).to_numpy(),
            "answered": answered["answered"].to_numpy(),
        }
    )
    summaries = []
    for metric in TEAM_METRICS:
        try:
            result = compare.funnel(rows, "team", metric, settings=settings)
        except (ValueError, KeyError):
            continue
        part = pd.DataFrame(
            {
                "team": result["team"].astype(str).to_numpy(),
                metric: result["value"].to_numpy(dtype=float),
                f"{metric}_flag": result["flag"].astype(str).to_numpy(),
            }
        )
        table = table.merge(part, on="team", how="left")
        if (result["flag"] != "").any():
            summaries.append(result.attrs["conclusion"][lang])
    if len(table.columns) <= 2:
        return None, []
    order = sorted(range(len(table)), key=lambda i: _natural_key(table["team"].iloc[i]))
    return table.iloc[order].reset_index(drop=True), summaries


def _natural_key(text: str) -> list:
    """Sort "Team 2" before "Team 10"."""
    return [
        (0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", text)
    ]


def _improvement(daily: pd.DataFrame, change_date, lang: str, warnings: list):
    """Before/after checks of service level and AHT around a change (:func:`spc.kpi_chart`)."""
    if change_date is None:
        return [], None
    change = pd.Timestamp(change_date).normalize()
    checks, chart = [], None
    labels = {
        "service_level": {
            "label": i18n.t("tile.service_level", "en"),
            "label_zh": i18n.t("tile.service_level", "zh"),
        },
        "aht_s": {
            "label": i18n.t("tile.aht_s", "en"),
            "label_zh": i18n.t("tile.aht_s", "zh"),
            "decimals": 0,
            "unit": i18n.t("unit.seconds", "en", value=""),
            "unit_zh": i18n.t("unit.seconds", "zh", value=""),
        },
    }
    for name, options in labels.items():
        if name not in daily.columns:
            continue
        days = daily[daily[name].notna()]
        try:
            phases = _spc_chart(name, days, change=change, **options)
        except ValueError as error:
            warnings.append(_text("improvement.skipped", lang, reason=_error_reason(error, lang)))
            continue
        checks.append(phases.attrs["improvement"])
        if name == "service_level":
            chart = _improvement_chart(phases, change, lang)
    return checks, chart


# --------------------------------------------------------------------------- build


def _headline(frame, start, end, settings, lang, names=HEADLINE_KPIS):
    compared = kpi.period_comparison(frame, start, end, settings).set_index("kpi")
    missing = kpi.missing_inputs(frame)
    rows = []
    for name in names:
        if name in missing or name not in compared.index:
            continue
        row = compared.loc[name]
        if (name == "occupancy" or name in kpis.QUALITY_KPIS) and not _finite(row["current"]):
            continue
        rows.append(
            {
                "kpi": name,
                "name": _kpi_name(name, lang),
                "current": float(row["current"]),
                "previous": float(row["previous"]),
                "change": float(row["change"]),
                "n_current": float(row["n_current"]),
                "unit": row["unit"],
                "current_text": _fmt(name, row["current"], lang),
                "previous_text": _fmt(name, row["previous"], lang),
                "change_text": _fmt_change(name, row["change"], lang),
                "n_text": i18n.format_number(row["n_current"], "count", lang),
            }
        )
    return pd.DataFrame(rows)


def _with_lights(headline, period_rows, goals, lang):
    """The headline with ``light`` and ``light_text`` ("🔴 missed · at least 80.0%") when
    targets are set; unchanged otherwise."""
    if goals is None or not len(goals) or headline.empty:
        return headline
    lights = headline_lights(headline, period_rows, goals)
    texts = []
    for row in lights.itertuples(index=False):
        word = i18n.t(f"targets.light.{row.light}", lang)
        if not isinstance(row.direction, str):  # no target
            texts.append(f"{MARKERS[row.light]} {word}")
            continue
        texts.append(
            i18n.t(
                "targets.tile",
                lang,
                marker=MARKERS[row.light],
                word=word,
                direction=i18n.t(f"targets.direction.{row.direction}", lang),
                target=_fmt(row.kpi, row.target, lang),
            )
        )
    return headline.assign(light=lights["light"].to_numpy(), light_text=texts)


def _chart_warnings(charts: dict, lang: str) -> list[str]:
    out = []
    for name, chart in charts.items():
        for warning in chart.attrs.get("diagnostics", {}).get("warnings", []):
            key = f"warning.{warning.get('code')}"
            if key in REPORT_TEXT[lang]:
                out.append(_text(key, lang, kpi=_kpi_name(name, lang)))
    return out


def _finding_ids(findings) -> list[pd.Timestamp]:
    if isinstance(findings, (str, pd.Timestamp, dt.date)):
        findings = [findings]
    return [pd.Timestamp(value).normalize() for value in findings]


def _report_charts(charts: dict, start, end, settings: KpiSettings, lang: str) -> list:
    """A :class:`ReportChart` per control chart: title, spec, plotted rows, signal days."""
    report_charts = []
    for name, chart in charts.items():
        title = (
            _text(f"chart.{name}", lang)
            if f"chart.{name}" in REPORT_TEXT[lang]
            else _text("chart.generic", lang, kpi=_kpi_name(name, lang))
        )
        spec, data = _control_chart_spec(name, chart, start, end, settings, lang, title)
        signal_days = data.loc[data["signal"], "day"].tolist()
        caption = (
            _text("chart.signals", lang, dates=_list_separator(lang).join(signal_days))
            if signal_days
            else _text("chart.no_signals", lang)
        )
        report_charts.append(
            ReportChart(key=name, title=title, spec=spec, data=data, caption=caption)
        )
    return report_charts


def _day_signals(charts: dict, day) -> list[dict]:
    """The signals of one day, one per chart of :data:`CHART_KPIS` that signalled."""
    signals = []
    for name in CHART_KPIS:
        chart = charts.get(name)
        if chart is not None and day in chart.index and bool(chart.loc[day, "signal"]):
            signals.append(_signal_of(name, chart.loc[day]))
    return signals


def _shift_signals(charts: dict, candidate: pd.Series) -> list[dict]:
    """The signals of a sustained shift: its chart's signals from its first to its last day."""
    chart = charts[candidate["metric"]]
    inside = chart[(chart.index >= candidate["start"]) & (chart.index <= candidate["end"])]
    return [_signal_of(candidate["metric"], row) for _, row in inside[inside["signal"]].iterrows()]


def _chosen_days(findings, start: pd.Timestamp, end: pd.Timestamp) -> list | None:
    """The days the caller chose (None: let the candidates decide); all within the period."""
    chosen = None if findings is None else _finding_ids(findings)
    outside = [d for d in chosen or [] if not start <= d < end]
    if outside:
        raise ValueError("findings outside the period: " + ", ".join(_day_text(d) for d in outside))
    return chosen


def _finding_of_day(frame, day, candidates, charts, *, settings, lang, note, **context):
    """The finding of one chosen day: a sustained shift when its candidate is one, else a day.

    ``context`` holds what a day's finding reads besides: ``intervals``, ``contributions``,
    ``filters``, ``calibration``, ``plan``, and ``span``, the days of the charts (a shift
    reads only ``contributions``). A day's story is judged on the report's own chart of
    service level.
    """
    by_id = candidates.set_index("finding") if not candidates.empty else None
    candidate = (
        by_id.loc[_day_text(day)] if by_id is not None and _day_text(day) in by_id.index else None
    )
    if candidate is not None and candidate["kind"] == "shift":
        return _build_shift_finding(
            frame,
            candidate,
            _shift_signals(charts, candidate),
            settings=settings,
            lang=lang,
            contributions=context["contributions"],
            note=note,
        )
    signals = _day_signals(charts, day)
    if candidate is not None:  # the signal the drill-down explains leads the sentence
        signals.sort(key=lambda signal: signal["kpi"] != candidate["metric"])
    return _build_finding(
        frame,
        day,
        candidate,
        signals,
        settings=settings,
        lang=lang,
        note=note,
        chart=charts.get("service_level"),
        **context,
    )


def build_report(
    frame: pd.DataFrame,
    *,
    start=None,
    end=None,
    settings: KpiSettings | None = None,
    lang: str = "en",
    findings=None,
    notes: dict | None = None,
    change_date=None,
    intervals: pd.DataFrame | None = None,
    drivers: pd.DataFrame | None = None,
    filters: dict | None = None,
    max_findings: int = DEFAULT_MAX_FINDINGS,
    source: str = "",
    limit_days: int | None = None,
    targets: pd.DataFrame | None = None,
    roster: pd.DataFrame | None = None,
) -> Report:
    """Build the findings document of a period.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals: the whole data set (baselines and limits come from
        the days before the period).
    start, end : date-like, optional
        The period ``[start, end)``, whole days (``end`` is the day after the last day);
        default the data's whole span.
    settings : KpiSettings, optional
        KPI conventions (SL threshold, formula, target, FCR window).
    lang : {"en", "zh"}, default "en"
    findings : list of date-like, optional
        The days to report (ids of :func:`candidate_findings`, or any day of the period).
        Default: the first ``max_findings`` candidates beyond the control limits.
    notes : dict, optional
        ``{finding id ("YYYY-MM-DD"): text}``: the manager's notes.
    change_date : date-like, optional
        A change to check: service level and AHT per day before vs from this day, within
        the period (:func:`ccmetrics.spc.improvement_check`).
    intervals : DataFrame, optional
        Canonical intervals with ``staffed_agents`` (and the plan: ``scheduled_agents``,
        ``forecast_offered``, ``forecast_aht_s``) for the staffing analysis of each finding.
        Not needed when ``frame`` itself is such an interval frame.
    drivers : DataFrame, optional
        A daily driver file (``date`` and columns such as ``rain``, ``storm``) for
        :func:`ccmetrics.forecast.driver_contributions`.
    filters : dict, optional
        ``{dimension: [values]}`` applied to ``frame`` (after FCR flags) and, for the
        columns it has, to ``intervals``.
    max_findings : int, default :data:`DEFAULT_MAX_FINDINGS`
    source : str, optional
        Name of the data shown in the report (a file name).
    limit_days : int, optional
        Days of history the control limits rest on (default: the period's days, as the
        Control charts page); see :func:`control_charts`.
    targets : DataFrame, optional
        A targets table (:mod:`ccmetrics.targets`): the headline KPIs then carry the
        organisation target's traffic light (:func:`ccmetrics.targets.headline_lights`).
    roster : DataFrame, optional
        An agent roster (:func:`ccmetrics.people.read_roster`): the report then carries
        the people block (attrition over the period, KPIs by tenure band).

    Returns
    -------
    Report
        See :class:`Report`.

    Raises
    ------
    ValueError
        An unknown language, an empty period, or a chosen finding outside the period.

    Notes
    -----
    Headline KPIs: :func:`ccmetrics.kpi.period_comparison`. Charts and candidates:
    :func:`control_charts`, :func:`candidate_findings`. Per finding: the drill-down of its
    KPI over that day against the default baseline (:func:`ccmetrics.drill.explain`), the
    staffing analysis (:func:`ccmetrics.staffing.why_intervals`, Erlang A, Shapley split),
    the funnel comparison of queues (service level, offered, abandon and answer rates) or
    teams (other KPIs) that day, and the calls the seasonal model attributes to each
    active driver. Team comparison: :func:`ccmetrics.compare.funnel` per metric of
    :data:`TEAM_METRICS` over the period.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> days = pd.date_range("2025-03-03", periods=28, freq="D").repeat(100)
    >>> waits = rng.exponential(10.0, days.size) + 40.0 * (days == pd.Timestamp("2025-03-20"))
    >>> calls = pd.DataFrame({"arrived_at": days + pd.Timedelta(hours=9), "wait_s": waits,
    ...     "answered": True, "abandoned": False})
    >>> report = build_report(calls, notes={"2025-03-20": "Phone system upgrade"})
    >>> [f.id for f in report.findings], report.kpis.loc[0, "current_text"]
    (['2025-03-20'], '2,800')
    """
    settings = settings or KpiSettings()
    lang = _check_lang(lang)
    notes = {str(key): str(value) for key, value in (notes or {}).items() if value}
    frame = _prepare(frame, settings, filters)
    start, end = report_period(frame, start, end)
    if kpi.subset(frame, start, end).empty:
        raise ValueError(
            f"no data in the period {start.date()} – {(end - pd.Timedelta(days=1)).date()}"
        )
    chosen = _chosen_days(findings, start, end)
    warnings: list[str] = []
    days = (end - start).days
    previous = (start - (end - start), start)
    window_start = _limit_window(start, end, limit_days)
    daily_window = _daily(frame, window_start, end, settings)
    daily = daily_window[daily_window.index >= start]
    charts = _charts_of_daily(daily_window, start)
    candidates = candidate_findings(
        frame, start=start, end=end, settings=settings, lang=lang, charts=charts
    )
    warnings += _skipped_charts(daily, charts, lang)
    warnings += _chart_warnings(charts, lang)

    report_charts = _report_charts(charts, start, end, settings, lang)

    if chosen is None:
        beyond = candidates[candidates["beyond_limits"].to_numpy(dtype=bool)]
        chosen = beyond.head(max_findings)["date"].tolist()
    contributions = _contributions(frame, drivers, warnings, lang)
    calibration, plan = _calibration(frame, intervals, settings, filters, warnings, lang)
    built = [
        _finding_of_day(
            frame,
            day,
            candidates,
            charts,
            settings=settings,
            lang=lang,
            intervals=intervals,
            contributions=contributions,
            filters=filters,
            note=notes.get(_day_text(day), ""),
            calibration=calibration,
            plan=plan,
            span=(window_start, end),
        )
        for day in dict.fromkeys(chosen)
    ]
    period_rows = kpi.subset(frame, start, end)
    teams, team_summaries = _team_comparison(period_rows, settings, lang)
    checks, improvement_chart = _improvement(daily, change_date, lang, warnings)
    last = end - pd.Timedelta(days=1)
    return Report(
        lang=lang,
        title=_text("title", lang),
        start=start,
        end=end,
        period_text=_text("period", lang, start=_day_text(start), end=_day_text(last), days=days),
        source=str(source),
        generated=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        settings=settings,
        kpis=_with_lights(
            _headline(frame, start, end, settings, lang, headline_kpis(frame, HEADLINE_KPIS)),
            period_rows,
            targets,
            lang,
        ),
        previous=previous,
        charts=report_charts,
        chart_frames=charts,
        candidates=candidates,
        findings=built,
        teams=teams,
        team_summaries=team_summaries,
        improvement=checks,
        improvement_chart=improvement_chart,
        change_date=pd.Timestamp(change_date).normalize() if change_date is not None else None,
        filters=dict(filters or {}),
        warnings=warnings,
        calibration_text=(story.calibration_text(calibration, lang) or "") if calibration else "",
        journey=journey_block(period_rows, settings, filters),
        people=people_block(roster, period_rows, start, end, settings),
    )
