"""Findings: the days a control chart signalled (one per story), each with what is known about it.

:func:`candidate_findings` lists what the report can include; a :class:`Finding` carries one
day (or one sustained shift) with its drill-down, staffing attribution, comparison, drivers
and the day's story.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ccmetrics import compare, drill, kpi, spc, staffing, story
from ccmetrics.cube import frame_kind, time_column
from ccmetrics.report.charts import ReportChart, _finding_chart
from ccmetrics.report.period import CHART_KPIS, _in_period, control_charts, report_period
from ccmetrics.report.text import (
    _cause_name,
    _check_lang,
    _clause_separator,
    _day_text,
    _driver_name,
    _error_reason,
    _finite,
    _fmt,
    _fmt_change,
    _kpi_name,
    _list_separator,
    _text,
    _weekday,
)
from ccmetrics.schema import KpiSettings

#: Columns of :func:`candidate_findings`.
CANDIDATE_COLUMNS = (
    "finding",
    "date",
    "metric",
    "kpis",
    "value",
    "expected",
    "lcl",
    "ucl",
    "z",
    "rules",
    "direction",
    "beyond_limits",
    "severity",
    "label",
    "kind",
    "start",
    "end",
    "n_days",
)


_DRILL_KPIS = ("service_level", "offered", "abandon_rate", "asa_s", "aht_s")


@dataclass
class Finding:
    """One finding: a day the manager takes to the meeting, with everything known about it.

    Attributes
    ----------
    id : str
        The day, "YYYY-MM-DD" (the key of ``notes`` and ``findings`` in :func:`build_report`).
    date : Timestamp
        Midnight of the day.
    metric : str
        The KPI explained (the first of :data:`CHART_KPIS` that signalled).
    signals : list of dict
        One per chart that signalled that day: ``kpi, value, expected, lcl, ucl, z, rules``.
    severity : float
        Largest |z| of the day's signals.
    title : str
        One-line title in the report's language.
    bullets : list of str
        Three bullets: what happened, where (drill-down), why (staffing, drivers or
        comparison).
    numbers : DataFrame
        KPIs that day against the baseline: ``kpi, name, day, baseline, change`` (raw) and
        ``day_text, baseline_text, change_text`` (formatted).
    explanation : ccmetrics.drill.Explanation or None
        The drill-down (None when it could not run; ``notes`` says why).
    path : list of dict
        The drill-down path, coarse to fine: ``element, share_anomaly, share_baseline``.
    staffing : Series or None
        The day's row of :func:`ccmetrics.staffing.why_day`.
    staffing_summary : str
        :func:`ccmetrics.staffing.why_summary` in the report's language, naming the
        story's cause ("" without staffing).
    comparison : DataFrame or None
        :func:`ccmetrics.compare.funnel` of the day (queues for arrival metrics, else teams).
    comparison_summary : str
        The funnel's conclusion in the report's language.
    drivers : dict or None
        External drivers that day (:func:`ccmetrics.forecast.driver_contributions`): ``active``
        ({name: value} of the drivers adding at least 5 % of the day's baseline), ``from``
        ({name: calls attributed}), ``interaction``, ``fitted`` (calls expected with the
        drivers), ``baseline`` (without them) and ``offered``.
    note : str
        The manager's note.
    chart : ReportChart or None
        The day per half hour against its baseline.
    notes : list of str
        What could not be computed, and why.
    kind : str
        "day" (one day's incident) or "shift" (a sustained shift: one finding from ``date``
        to ``end``, not one per day).
    end : Timestamp or None
        Last day of a shift (None for a day).
    story : ccmetrics.story.Story or None
        The day's story (:func:`ccmetrics.story.day_story`: one cause from the control
        chart, the drill-down and the calibrated staffing attribution), None for a shift.
    story_text : str
        :func:`ccmetrics.story.describe` of it: the same sentence as the app's pages.
    """

    id: str
    date: pd.Timestamp
    metric: str
    signals: list
    severity: float
    title: str = ""
    bullets: list = field(default_factory=list)
    numbers: pd.DataFrame | None = None
    explanation: drill.Explanation | None = None
    path: list = field(default_factory=list)
    staffing: pd.Series | None = None
    staffing_summary: str = ""
    comparison: pd.DataFrame | None = None
    comparison_summary: str = ""
    drivers: dict | None = None
    note: str = ""
    chart: ReportChart | None = None
    notes: list = field(default_factory=list)
    kind: str = "day"
    end: pd.Timestamp | None = None
    story: story.Story | None = None
    story_text: str = ""


# --------------------------------------------------------------------------- candidates


def _is_beyond(rules: str) -> bool:
    """Whether a rule other than the runs analysis fired (a point beyond a limit or zone)."""
    return any(rule and rule != "anhoej" for rule in str(rules).split(","))


def candidate_findings(
    frame: pd.DataFrame,
    *,
    start=None,
    end=None,
    settings: KpiSettings | None = None,
    lang: str = "en",
    charts: dict | None = None,
    limit_days: int | None = None,
) -> pd.DataFrame:
    """The days of a period on which a control chart signalled: what the report can include.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals (the whole data set).
    start, end : date-like, optional
        The period ``[start, end)``; default the data's whole span.
    settings : KpiSettings, optional
    lang : {"en", "zh"}
        Language of ``label``.
    charts : dict, optional
        The output of :func:`control_charts` when already computed.
    limit_days : int, optional
        See :func:`control_charts`.

    Returns
    -------
    DataFrame
        One row per day with a signal, most severe first (:data:`CANDIDATE_COLUMNS`):
        ``finding`` ("YYYY-MM-DD", the id :func:`build_report` takes), ``date``,
        ``metric`` (the KPI a drill-down explains: offered calls or AHT when they rose
        beyond their limits, else the first of :data:`CHART_KPIS` that signalled), ``kpis``
        (every charted KPI that signalled, comma-separated), and for
        ``metric``: ``value``, ``expected`` (the center line), ``lcl``, ``ucl``, ``z``,
        ``rules``, ``direction`` ("below" or "above" the center); ``beyond_limits`` (a rule
        other than the runs analysis fired on any chart), ``severity`` (largest |z| over the
        charts that signalled), ``label`` (one line for a checkbox), ``kind`` ("day" or
        "shift"), ``start`` and ``end`` (first and last day; the day itself for a day) and
        ``n_days`` (days with a signal).

    Notes
    -----
    One row per story: a sustained shift of a chart (:func:`ccmetrics.spc.signal_episodes`:
    a run on one side of the center line, or three or more signals without a crossing) is
    one row from its start day, whatever the number of its days; the other signal days are
    one row each, all charts of that day together. Stories beyond the limits come first, by
    severity; those flagged only by the runs analysis after them. By default
    :func:`build_report` keeps the first :data:`DEFAULT_MAX_FINDINGS` beyond the limits:
    the five most severe distinct stories.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> days = pd.date_range("2025-03-03", periods=28, freq="D").repeat(100)
    >>> waits = rng.exponential(10.0, days.size) + 40.0 * (days == pd.Timestamp("2025-03-20"))
    >>> calls = pd.DataFrame({"arrived_at": days + pd.Timedelta(hours=9), "wait_s": waits,
    ...     "answered": True, "abandoned": False})
    >>> table = candidate_findings(calls)
    >>> table.loc[table["beyond_limits"], ["finding", "metric", "direction"]].values.tolist()
    [['2025-03-20', 'service_level', 'below']]
    """
    settings = settings or KpiSettings()
    lang = _check_lang(lang)
    start, end = report_period(frame, start, end)
    if charts is None:
        charts = control_charts(
            frame, start=start, end=end, settings=settings, limit_days=limit_days
        )
    by_day: dict[pd.Timestamp, list[dict]] = {}
    shifts = []
    for name in CHART_KPIS:
        if name not in charts:
            continue
        part = _in_period(charts[name], start, end)
        in_shift = np.zeros(len(part), dtype=bool)
        for episode in _shift_episodes(charts[name], start, end):
            days = pd.DatetimeIndex(part.index)
            inside = (days >= episode["start"]) & (days <= episode["end"])
            in_shift |= inside
            shifts.append(_shift_row(name, episode, part[inside & part["signal"]], lang))
        ordinary = part[part["signal"].to_numpy(dtype=bool) & ~in_shift]
        for day, row in ordinary.iterrows():
            by_day.setdefault(pd.Timestamp(day), []).append(_signal_of(name, row))
    rows = []
    for day, signals in by_day.items():
        main = _leading_signal(signals)
        severity = (
            max(abs(s["z"]) for s in signals if _finite(s["z"]))
            if any(_finite(s["z"]) for s in signals)
            else float("nan")
        )
        rows.append(
            {
                "finding": _day_text(day),
                "date": day,
                "metric": main["kpi"],
                "kpis": ",".join(s["kpi"] for s in signals),
                "value": main["value"],
                "expected": main["expected"],
                "lcl": main["lcl"],
                "ucl": main["ucl"],
                "z": main["z"],
                "rules": main["rules"],
                "direction": "below" if main["value"] < main["expected"] else "above",
                "beyond_limits": any(_is_beyond(s["rules"]) for s in signals),
                "severity": severity,
                "label": _candidate_label(day, signals, lang),
                "kind": "day",
                "start": day,
                "end": day,
                "n_days": 1,
            }
        )
    taken = {row["finding"] for row in rows}
    for shift in shifts:
        if shift["finding"] not in taken:  # a day story and a shift from that day: one finding
            rows.append(shift)
            taken.add(shift["finding"])
    table = pd.DataFrame(rows, columns=list(CANDIDATE_COLUMNS))
    table["beyond_limits"] = table["beyond_limits"].astype(bool)
    if table.empty:
        return table
    table = table.sort_values(
        ["beyond_limits", "severity", "date"], ascending=[False, False, True], na_position="last"
    )
    return table.reset_index(drop=True)


def _leading_signal(signals: list[dict]) -> dict:
    """The signal whose KPI a day's drill-down explains.

    More calls than expected, or a longer handle time, is the cause the service-level
    dip of the same day follows from (the queue waits because demand or work rose), so an
    ``offered`` or ``aht_s`` signal above the center leads; otherwise the first signal in
    :data:`CHART_KPIS` order.
    """
    for name in ("offered", "aht_s"):
        for signal in signals:
            if signal["kpi"] == name and signal["value"] > signal["expected"]:
                return signal
    return signals[0]


def _signal_of(name: str, row: pd.Series) -> dict:
    """One chart's signal on one day, as a finding lists it."""
    return {
        "kpi": name,
        "value": float(row["value"]),
        "expected": float(row["center"]),
        "lcl": float(row["lcl"]),
        "ucl": float(row["ucl"]),
        "z": float(row["z"]),
        "rules": str(row["rules"]),
    }


def _shift_episodes(chart: pd.DataFrame, start, end) -> list[dict]:
    """The sustained shifts of a chart (:func:`ccmetrics.spc.signal_episodes`) that reach
    into the period, clipped to it."""
    episodes = spc.signal_episodes(chart)
    out = []
    for episode in episodes.itertuples():
        if episode.kind != "shift" or episode.end < start or episode.start >= end:
            continue
        out.append(
            {
                "start": max(pd.Timestamp(episode.start), pd.Timestamp(start)),
                "end": min(pd.Timestamp(episode.end), pd.Timestamp(end) - pd.Timedelta(days=1)),
                "direction": episode.direction,
                "severity": float(episode.severity),
                "rules": episode.rules,
                "peak": pd.Timestamp(episode.peak),
            }
        )
    return out


def _shift_row(name: str, episode: dict, signalled: pd.DataFrame, lang: str) -> dict:
    """A candidate finding for a sustained shift: one row, from its start day."""
    chart_rows = signalled if not signalled.empty else None
    peak = episode["peak"]
    if chart_rows is not None and peak not in chart_rows.index:
        peak = chart_rows.index[0]
    row = chart_rows.loc[peak] if chart_rows is not None else None
    value = float(row["value"]) if row is not None else float("nan")
    expected = float(row["center"]) if row is not None else float("nan")
    label = _text(
        "candidate.shift",
        lang,
        start=_day_text(episode["start"]),
        end=_day_text(episode["end"]),
        kpi=_kpi_name(name, lang),
        direction=_text(f"direction.{episode['direction']}", lang),
        days=len(signalled),
    )
    return {
        "finding": _day_text(episode["start"]),
        "date": episode["start"],
        "metric": name,
        "kpis": name,
        "value": value,
        "expected": expected,
        "lcl": float(row["lcl"]) if row is not None else float("nan"),
        "ucl": float(row["ucl"]) if row is not None else float("nan"),
        "z": float(row["z"]) if row is not None else float("nan"),
        "rules": episode["rules"],
        "direction": episode["direction"],
        "beyond_limits": _is_beyond(episode["rules"]),
        "severity": episode["severity"],
        "label": label,
        "kind": "shift",
        "start": episode["start"],
        "end": episode["end"],
        "n_days": int(len(signalled)),
    }


def _signal_text(signal: dict, lang: str) -> str:
    name = signal["kpi"]
    return _text(
        "finding.what",
        lang,
        kpi=_kpi_name(name, lang),
        value=_fmt(name, signal["value"], lang),
        expected=_fmt(name, signal["expected"], lang),
        lcl=_fmt(name, signal["lcl"], lang),
        ucl=_fmt(name, signal["ucl"], lang),
    )


def _candidate_label(day, signals: list[dict], lang: str) -> str:
    parts = [
        _text(
            "candidate.item",
            lang,
            kpi=_kpi_name(s["kpi"], lang),
            value=_fmt(s["kpi"], s["value"], lang),
            expected=_fmt(s["kpi"], s["expected"], lang),
        )
        for s in signals
    ]
    return f"{_day_text(day)} ({_weekday(day, lang)}) · " + _clause_separator(lang).join(parts)


# --------------------------------------------------------------------------- findings


def _path(explanation: drill.Explanation) -> list[dict]:
    """The drill-down path of the leading element, coarse to fine.

    The leading element is the explanation's own first selected element when the verdict
    is concentrated, else the leading element of the first driver (volume or handle time)
    that has one. The path lists the coarser elements that generalise it (``generalises``)
    and then the element itself.
    """
    source, element = None, None
    if explanation.verdict == "concentrated" and not explanation.selected.empty:
        source, element = explanation, explanation.selected.iloc[0]["element"]
    else:
        for driver in explanation.drivers:
            if driver.get("element"):
                source = {"volume": explanation.volume, "handle_time": explanation.handle_time}.get(
                    driver["driver"]
                )
                element = driver["element"]
                if source is not None:
                    break
    if source is None or element is None:
        return []
    table = source.table
    steps = table[(table["generalises"] == element) | (table["element"] == element)]
    steps = steps.sort_values("order", kind="stable")
    return [
        {
            "element": row["element"],
            "values": row["values"],
            "share_anomaly": float(row["share_anomaly"]),
            "share_baseline": float(row["share_baseline"]),
        }
        for _, row in steps.iterrows()
    ]


def _numbers(explanation: drill.Explanation | None, day_kpis: pd.Series, metric: str, lang: str):
    """KPIs that day against the drill-down's baseline."""
    names = [metric, *[n for n in _DRILL_KPIS if n != metric]]
    rows = []
    table = (
        explanation.kpis.set_index("kpi")
        if explanation is not None and explanation.kpis is not None
        else None
    )
    for name in names:
        if table is not None and name in table.index:
            day, baseline = table.loc[name, "anomaly"], table.loc[name, "baseline"]
        else:
            day, baseline = day_kpis.get(name, np.nan), np.nan
        if not _finite(day):
            continue
        change = day - baseline if _finite(baseline) else np.nan
        rows.append(
            {
                "kpi": name,
                "name": _kpi_name(name, lang),
                "day": float(day),
                "baseline": float(baseline),
                "change": float(change),
                "day_text": _fmt(name, day, lang),
                "baseline_text": _fmt(name, baseline, lang),
                "change_text": _fmt_change(name, change, lang),
            }
        )
    return pd.DataFrame(rows)


def _calibration(
    frame: pd.DataFrame,
    intervals: pd.DataFrame | None,
    settings: KpiSettings,
    filters: dict | None,
    warnings: list,
    lang: str,
):
    """(staffing.calibrate of the data, the plan it used), both None without staffing."""
    plan = None
    if intervals is not None:
        if "staffed_agents" not in intervals.columns or intervals["staffed_agents"].isna().all():
            return None, None
        # the plan rows a story of the filter reads (frame is filtered already)
        _, plan = story.story_inputs(frame.head(0), intervals, filters)
    elif (
        frame_kind(frame) != "intervals"
        or "staffed_agents" not in frame.columns
        or frame["staffed_agents"].isna().all()
    ):
        return None, None
    try:
        return staffing.calibrate(frame, plan, settings=settings), plan
    except (ValueError, KeyError) as error:
        warnings.append(_text("finding.staffing_error", lang, reason=_error_reason(error, lang)))
        return None, plan


def _staffing_for_day(
    frame: pd.DataFrame,
    intervals: pd.DataFrame | None,
    day: pd.Timestamp,
    settings: KpiSettings,
    filters: dict | None,
    calibration: staffing.Calibration | None = None,
):
    """The staffing analysis of one day, or None when no staffing is known."""
    next_day = day + pd.Timedelta(days=1)
    rows = kpi.subset(frame, day, next_day)  # frame is filtered already
    plan = None
    if intervals is not None:
        # the plan rows the day's story reads (ccmetrics.story.story_inputs)
        _, plan = story.story_inputs(rows, kpi.subset(intervals, day, next_day), filters)
        if "staffed_agents" not in plan.columns or plan["staffed_agents"].notna().sum() == 0:
            return None
    elif frame_kind(frame) != "intervals" or frame["staffed_agents"].notna().sum() == 0:
        return None
    if rows.empty:
        return None
    if plan is not None and frame_kind(frame) == "calls" and "queue" in rows.columns:
        if not story.plan_splits_by(plan, "queue"):
            rows = rows.drop(columns=["queue"])
    table = staffing.why_intervals(rows, plan, settings=settings, calibration=calibration)
    return staffing.why_day(table).iloc[0]


def _staffing_bullet(day: pd.Series, lang: str) -> str:
    if not _finite(day["shortfall"]) or day["shortfall"] >= 0 or day["main_cause"] is None:
        return _text("finding.staffing_met", lang)
    columns = {
        "volume": "shapley_volume",
        "aht": "shapley_aht",
        "staffing": "shapley_staffing",
        "unexplained": "unexplained",
    }
    effects = _text("effects_sep", lang).join(
        f"{_cause_name(name, lang)} {day[column] * 100:+.1f}"
        for name, column in columns.items()
        if _finite(day[column])
    )
    return _text(
        "finding.staffing_short", lang, cause=_cause_name(day["main_cause"], lang), effects=effects
    )


def _driver_day(contributions: pd.DataFrame | None, day: pd.Timestamp) -> dict | None:
    """Drivers active on ``day`` and the calls the seasonal model attributes to them."""
    if contributions is None:
        return None
    rows = contributions[pd.to_datetime(contributions["date"]) == day]
    if rows.empty:
        return None
    row = rows.iloc[0]
    names = [
        c[len("from_") :]
        for c in contributions.columns
        if c.startswith("from_") and c != "from_interaction"
    ]
    active = {name: float(row[name]) for name in names if _finite(row[name]) and row[name] != 0}
    attributed = {name: float(row[f"from_{name}"]) for name in active}
    material = {
        name: calls
        for name, calls in attributed.items()
        if abs(calls) >= 0.05 * max(float(row["baseline"]), 1.0)
    }
    return {
        "active": {name: active[name] for name in material},
        "from": material,
        "interaction": float(row["from_interaction"]),
        "fitted": float(row["fitted"]),
        "offered": float(row["offered"]),
        "baseline": float(row["baseline"]),
    }


def _drivers_text(drivers: dict | None, lang: str) -> str:
    if not drivers or not drivers["active"]:
        return ""
    names = _list_separator(lang).join(_driver_name(name, lang) for name in drivers["active"])
    text = _text(
        "finding.drivers_text",
        lang,
        drivers=names,
        fitted=_fmt("offered", drivers["fitted"], lang),
        offered=_fmt("offered", drivers["offered"], lang),
        baseline=_fmt("offered", drivers["baseline"], lang),
    )
    return text[:1].upper() + text[1:] if lang == "en" else text


def _comparison_for_day(rows: pd.DataFrame, metric: str, settings: KpiSettings):
    """Funnel of the day: queues for metrics measured on every offered call, else teams."""
    compared = metric if metric in compare.METRICS else "service_level"
    by = "queue" if compared in drill.ARRIVAL_METRICS else "team"
    if by not in rows.columns or rows[by].nunique(dropna=True) < 2:
        return None
    try:
        return compare.funnel(rows, by, compared, settings=settings)
    except (ValueError, KeyError):
        return None


def _comparison_agrees(finding: Finding) -> bool:
    """False when the drill-down puts the change in one queue or team while the funnel of
    that dimension flags none: the two answer different questions (share of the change vs.
    a level beyond funnel limits), and side by side they read as a contradiction."""
    comparison = finding.comparison
    if comparison is None or not finding.path:
        return True
    by = comparison.attrs.get("by") or (comparison.columns[0] if len(comparison.columns) else "")
    named = any(by in (step.get("values") or {}) for step in finding.path)
    flagged = "flag" in comparison.columns and (comparison["flag"].astype(str) != "").any()
    return not (named and not flagged)


def _build_shift_finding(
    frame: pd.DataFrame,
    candidate: pd.Series,
    signals: list[dict],
    *,
    settings: KpiSettings,
    lang: str,
    contributions: pd.DataFrame | None,
    note: str,
) -> Finding:
    """A sustained shift as one finding: its days against as many days just before it."""
    start, end = pd.Timestamp(candidate["start"]), pd.Timestamp(candidate["end"])
    metric = candidate["metric"]
    finding = Finding(
        id=_day_text(start),
        date=start,
        metric=metric,
        signals=signals,
        severity=float(candidate["severity"]),
        note=note,
        kind="shift",
        end=end,
    )
    stop = end + pd.Timedelta(days=1)
    length = stop - start
    first = pd.Timestamp(pd.to_datetime(frame[time_column(frame)]).min()).normalize()
    baseline = (max(first, start - length), start)
    window_rows = kpi.subset(frame, start, stop)
    window_kpis = kpi.compute(window_rows, settings=settings).iloc[0]
    if baseline[0] < baseline[1]:
        try:
            finding.explanation = drill.explain(
                frame, (start, stop), metric=metric, baseline=baseline, settings=settings
            )
        except ValueError as error:
            finding.notes.append(_text("finding.no_drill", lang, reason=_error_reason(error, lang)))
    else:
        finding.notes.append(_text("finding.shift_no_before", lang))
    if finding.explanation is not None:
        finding.path = _path(finding.explanation)
    finding.numbers = _numbers(finding.explanation, window_kpis, metric, lang)
    finding.comparison = _comparison_for_day(window_rows, metric, settings)
    if finding.comparison is not None and not _comparison_agrees(finding):
        finding.comparison = None
    if finding.comparison is not None:
        finding.comparison_summary = finding.comparison.attrs["conclusion"][lang]
    finding.title = _text(
        "finding.title_shift",
        lang,
        start=_day_text(start),
        end=_day_text(end),
        kpi=_kpi_name(metric, lang),
        direction=_text(f"direction.{candidate['direction']}", lang),
    )
    what = _text(
        "finding.what_shift",
        lang,
        kpi=_kpi_name(metric, lang),
        direction=_text(f"direction.{candidate['direction']}", lang),
        start=_day_text(start),
        end=_day_text(end),
        days=int(candidate["n_days"]),
        total=int(length.days),
    )
    if _finite(candidate["value"]):
        what += _clause_separator(lang) + _text(
            "finding.shift_peak",
            lang,
            value=_fmt(metric, candidate["value"], lang),
            expected=_fmt(metric, candidate["expected"], lang),
        )
    where = (
        finding.explanation.summary[lang]
        if finding.explanation is not None
        else (finding.notes[0] if finding.notes else "")
    )
    # a shift's "why" is the question to settle next: did something change on its first day
    why = _text("finding.shift_check", lang, start=_day_text(start))
    finding.bullets = [what, where, why]
    return finding


def _what_bullet(
    finding: Finding, signals: list[dict], metric: str, value_text: str, lang: str
) -> str:
    """The first bullet of a day's finding: what the charts saw, and the service level that day."""
    if signals:
        what = _signal_text(signals[0], lang)
        others = [
            f"{_kpi_name(s['kpi'], lang)} {_fmt(s['kpi'], s['value'], lang)}" for s in signals[1:]
        ]
        if others:
            what += _clause_separator(lang) + _text(
                "finding.also", lang, items=_list_separator(lang).join(others)
            )
        if not _is_beyond(signals[0]["rules"]):
            what += _text("finding.run", lang)
    else:
        what = _text("finding.what_plain", lang, kpi=_kpi_name(metric, lang), value=value_text)
    flagged = {s["kpi"] for s in signals}
    numbers = finding.numbers.set_index("kpi") if not finding.numbers.empty else None
    if "service_level" not in flagged and numbers is not None and "service_level" in numbers.index:
        service = numbers.loc["service_level"]
        what += _clause_separator(lang) + _text(
            "finding.sl_that_day",
            lang,
            value=service["day_text"],
            baseline=service["baseline_text"],
        )
    return what


def _why_bullet(finding: Finding, lang: str) -> str:
    """The third bullet: staffing (with drivers), else drivers, else the comparison, else a note."""
    if finding.staffing is not None:
        why = _staffing_bullet(finding.staffing, lang)
        drivers_text = _drivers_text(finding.drivers, lang)
        if drivers_text:
            why += ("" if lang == "zh" else " ") + drivers_text
    elif finding.drivers and finding.drivers["active"]:
        why = _drivers_text(finding.drivers, lang)
    elif finding.comparison_summary:
        why = finding.comparison_summary
    else:
        why = finding.staffing_summary or _text("finding.no_staffing", lang)
    return why


def _build_finding(
    frame: pd.DataFrame,
    day: pd.Timestamp,
    candidate: pd.Series | None,
    signals: list[dict],
    *,
    settings: KpiSettings,
    lang: str,
    intervals: pd.DataFrame | None,
    contributions: pd.DataFrame | None,
    filters: dict | None,
    note: str,
    calibration: staffing.Calibration | None = None,
    plan: pd.DataFrame | None = None,
    chart: pd.DataFrame | None = None,
    span: tuple = (None, None),
) -> Finding:
    """The finding of one day; its story is judged on ``chart`` (the report's daily service
    level chart, whose days are ``span``: the limit window) so the two never disagree."""
    metric = candidate["metric"] if candidate is not None else "service_level"
    finding = Finding(
        id=_day_text(day),
        date=day,
        metric=metric,
        signals=signals,
        severity=float(candidate["severity"]) if candidate is not None else float("nan"),
        note=note,
    )
    next_day = day + pd.Timedelta(days=1)
    day_rows = kpi.subset(frame, day, next_day)
    day_kpis = kpi.compute(day_rows, settings=settings).iloc[0]
    try:
        finding.explanation = drill.explain(
            frame, (day, next_day), metric=metric, settings=settings
        )
    except ValueError as error:
        finding.notes.append(_text("finding.no_drill", lang, reason=_error_reason(error, lang)))
    if finding.explanation is not None:
        finding.path = _path(finding.explanation)
    finding.numbers = _numbers(finding.explanation, day_kpis, metric, lang)
    try:
        finding.story = story.day_story(
            frame,
            day,
            plan=plan,
            settings=settings,
            calibration=calibration,
            chart=chart,
            start=span[0],
            end=span[1],
        )
        finding.story_text = story.describe(finding.story, lang)
    except (ValueError, KeyError) as error:
        finding.notes.append(_text("finding.no_story", lang, reason=_error_reason(error, lang)))
    try:
        finding.staffing = _staffing_for_day(frame, intervals, day, settings, filters, calibration)
    except ValueError as error:
        finding.notes.append(
            _text("finding.staffing_error", lang, reason=_error_reason(error, lang))
        )
    if finding.staffing is not None:
        cause = None if finding.story is None else finding.story.cause  # one story per day
        finding.staffing_summary = staffing.why_summary(finding.staffing, cause)[lang]
    elif calibration is not None:  # staffing data were given, but not for this day
        finding.staffing_summary = _text("finding.no_staffing_day", lang)
    finding.comparison = _comparison_for_day(day_rows, metric, settings)
    if finding.comparison is not None and not _comparison_agrees(finding):
        finding.comparison = None
    if finding.comparison is not None:
        finding.comparison_summary = finding.comparison.attrs["conclusion"][lang]
    finding.drivers = _driver_day(contributions, day)

    value_text = _fmt(metric, day_kpis.get(metric, np.nan), lang)
    finding.title = _text(
        "finding.title",
        lang,
        date=finding.id,
        weekday=_weekday(day, lang),
        kpi=_kpi_name(metric, lang),
        value=value_text,
    )
    what = _what_bullet(finding, signals, metric, value_text, lang)
    where = (
        finding.explanation.summary[lang]
        if finding.explanation is not None
        else (finding.notes[0] if finding.notes else "")
    )
    why = _why_bullet(finding, lang)
    finding.bullets = [what, where, why]
    finding.chart = _finding_chart(frame, finding, settings, lang)
    return finding


def _contributions(
    frame: pd.DataFrame, drivers: pd.DataFrame | None, notes: list, lang: str = "en"
) -> pd.DataFrame | None:
    if drivers is None:
        return None
    from ccmetrics import forecast  # statsmodels: imported only when drivers are given

    try:
        return forecast.driver_contributions(forecast.daily_volume(frame), drivers)
    except ValueError as error:
        notes.append(_text("warning.drivers", lang, reason=_error_reason(error, lang)))
        return None
