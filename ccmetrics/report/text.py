"""The report's strings and formatting: :data:`REPORT_TEXT` (en, zh), KPI and driver names.

Report-only sentences live in :data:`REPORT_TEXT`; KPI names, units and weekdays come from
the app's i18n table, values are formatted by :func:`ccmetrics.kpi.format_kpi` (re-exported
here with :data:`~ccmetrics.kpi.KPI_DECIMALS` and :func:`~ccmetrics.kpi.format_kpi_change`).
"""

from __future__ import annotations

import math

import pandas as pd

from ccmetrics import i18n, spc
from ccmetrics.kpi import format_kpi, format_kpi_change

REPORT_TEXT: dict[str, dict[str, str]] = {
    "en": {
        "title": "Call-center findings",
        "period": "{start} – {end} ({days} days)",
        "generated": "Data: {source} · generated {when}",
        "filters": "Filters: {filters}",
        "section.kpis": "Headline KPIs",
        "kpis.compared": "Changes are against {start} – {end}, the period of equal length just before.",
        "kpis.no_previous": "No changes shown: the data does not cover the period of equal length before.",
        "section.charts": "Control charts",
        "charts.intro": (
            "Each point is one day; the shaded band spans the control limits. Points outside it "
            "(red) are signals: more than ordinary day-to-day variation. The limits rest on "
            "{days} days, {start} – {end}."
        ),
        "chart.service_level": "Service level per day (Laney p′ chart)",
        "chart.offered": "Offered calls per day, against the same weekday (seasonal chart)",
        "chart.aht_s": "AHT per day (XmR chart)",
        "chart.generic": "{kpi} per day",
        "chart.signals": "Signals: {dates}.",
        "chart.no_signals": "No signal in the period.",
        "chart.target": "target {target}",
        "candidate.item": "{kpi} {value} (expected {expected})",
        "candidate.shift": "{start} – {end} · {kpi} {direction} its usual level: a sustained shift ({days} days beyond the limits)",
        "direction.above": "above",
        "direction.below": "below",
        "finding.title_shift": "From {start} to {end}: {kpi} shifted {direction} its usual level",
        "finding.what_shift": "{kpi} stayed {direction} its center line from {start} to {end}: a sustained shift, {days} of its {total} days beyond the limits (one finding, not one per day)",
        "finding.shift_peak": "most severe {value} against an expected {expected}",
        "finding.shift_check": "Check it with the improvement check from {start} (change date).",
        "finding.shift_no_before": "No days before the shift to compare with",
        "chart.legend": "Shaded band: control limits · red points: signals",
        "chart.legend_target": "Shaded band: control limits · red points: signals · green dotted line: target {target}",
        "chart.skipped": "{kpi}: not charted ({reason}).",
        "reason.no_data": "the data has no values for it",
        "reason.few_days": "fewer than 3 days with values",
        "warning.few_points": "{kpi}: few points define the limits; treat signals as hints.",
        "warning.overdispersion": "{kpi}: the days vary far more than chance allows; plain limits would be too narrow.",
        "warning.autocorrelation": "{kpi}: consecutive days are correlated; expect some extra signals.",
        "warning.slot_without_baseline": "{kpi}: some weekdays have no baseline and cannot signal.",
        "section.findings": "Findings",
        "findings.none": "No day of the period is beyond the control limits of the charts above.",
        "finding.title": "{date} ({weekday}): {kpi} {value}",
        "finding.what": "{kpi} {value} against an expected {expected} (limits {lcl} – {ucl})",
        "finding.what_plain": "{kpi} {value} (picked by the manager; no chart signalled this day)",
        "finding.also": "also {items}",
        "finding.run": "part of a run of days on one side of the center line",
        "finding.sl_that_day": "service level that day {value} (baseline {baseline})",
        "finding.where": "Where",
        "finding.why": "Why",
        "finding.what_label": "What happened",
        "finding.drill": "Drill-down",
        "finding.verdict": "Verdict: {verdict}.",
        "verdict.concentrated": "concentrated in a few elements",
        "verdict.broad": "broad, spread across the calls",
        "verdict.none": "no significant change",
        "verdict.local": "no significant change overall, but some elements changed",
        "finding.path": "Path: {path}",
        "finding.path_step": "{element} ({share} of calls vs {baseline_share} usually)",
        "finding.no_drill": "Drill-down not available: {reason}.",
        "finding.staffing_error": "Staffing not analysed: {reason}.",
        "finding.no_story": "The day's story could not be told: {reason}.",
        "warning.drivers": "External drivers not analysed: {reason}.",
        "reason.other": "the data does not allow this analysis",
        "finding.baseline": "Baseline: {dates}.",
        "finding.elements": "Elements that explain the change",
        "finding.elements_broad": "Largest parts of the change (none explains most of it)",
        "finding.staffing": "Staffing",
        "finding.staffing_short": "The staffing model puts the shortfall mainly on {cause} ({effects} points).",
        "finding.no_staffing_day": "The staffing data has no interval of this day: staffing not analysed.",
        "finding.staffing_met": "Staffing model: target met that day.",
        "finding.no_staffing": "No interval file with staffing was given: staffing not analysed.",
        "finding.comparison": "Queues and teams that day",
        "finding.comparison_shift": "Queues and teams during the shift",
        "finding.drivers": "External drivers",
        "finding.drivers_text": "{drivers} that day: the seasonal model expects {fitted} calls with the drivers and {baseline} without them ({offered} offered).",
        "finding.no_drivers": "No external driver was active that day.",
        "finding.note": "Manager's note",
        "finding.chart": "{kpi} per half hour on {date} against the baseline",
        "finding.series_day": "{date}",
        "finding.series_baseline": "baseline ({count} days)",
        "numbers.kpi": "KPI",
        "numbers.day": "That day",
        "numbers.shift": "During the shift",
        "numbers.baseline": "Baseline",
        "numbers.change": "Change",
        "col.element": "Element",
        "col.share_day": "Share that day",
        "col.share_baseline": "Share usually",
        "col.value_day": "Value that day",
        "col.value_baseline": "Value usually",
        "col.explained": "Part of the change",
        "col.team": "Team",
        "col.calls": "Answered calls",
        "section.teams": "Team comparison",
        "teams.intro": "▲ above, ▼ below the 99.8% funnel limits for the team's number of calls.",
        "section.improvement": "Did the change of {date} work?",
        "improvement.skipped": "Improvement check not possible: {reason}.",
        "improvement.chart": "Service level per day, before and after {date}",
        "improvement.before": "before",
        "improvement.after": "after",
        "section.method": "How to read this report",
        "method.limits": (
            "Control limits separate signal from noise: a day beyond them is unusual for this "
            "process. Service level uses Laney's p′ chart (limits widened for the real variation "
            "between days), offered calls are compared with the same weekday, AHT uses an XmR chart."
        ),
        "method.drill": (
            "The drill-down compares the day with the same weekday of the previous weeks "
            "(leaving out unusual ones) and names the categories, segments, queues or teams that "
            "explain most of the change, with multiple-testing-adjusted significance."
        ),
        "method.staffing": (
            "The staffing analysis compares the measured service level with an Erlang A model "
            "of the agents staffed and splits the shortfall into volume, handle time, staffing "
            "and an unexplained part (Shapley values)."
        ),
        "slide.kpis": "Headline KPIs",
        "slide.teams": "Team comparison",
        "slide.notes": "Notes",
        "dim_value": "{dim} {value}",
    },
    "zh": {
        "title": "呼叫中心运营分析报告",
        "period": "{start} 至 {end}（{days} 天）",
        "generated": "数据：{source} · 生成于 {when}",
        "filters": "筛选：{filters}",
        "section.kpis": "核心指标",
        "kpis.compared": "变化为与前一等长周期（{start} 至 {end}）相比。",
        "kpis.no_previous": "未显示变化：数据未覆盖之前的等长周期。",
        "section.charts": "控制图",
        "charts.intro": (
            "每个点代表一天，阴影带为控制限范围。超出阴影带的点（红色）为异常信号：超出日常随机波动。"
            "控制限基于 {start} 至 {end} 共 {days} 天的数据。"
        ),
        "chart.service_level": "每日服务水平（Laney p′ 控制图）",
        "chart.offered": "每日呼入量，与往周同日对比（季节性控制图）",
        "chart.aht_s": "每日平均处理时长（XmR 控制图）",
        "chart.generic": "每日{kpi}",
        "chart.signals": "异常信号：{dates}。",
        "chart.no_signals": "本期无异常信号。",
        "chart.target": "目标 {target}",
        "candidate.item": "{kpi} {value}（预期 {expected}）",
        "candidate.shift": "{start} 至 {end} · {kpi}持续{direction}平常水平：持续偏移（{days} 天超出控制限）",
        "direction.above": "高于",
        "direction.below": "低于",
        "finding.title_shift": "{start} 至 {end}：{kpi}持续{direction}平常水平",
        "finding.what_shift": "{kpi}自 {start} 至 {end} 持续{direction}中心线：这是一次持续偏移，{total} 天中有 {days} 天超出控制限（算作一个发现，而不是每天一个）",
        "finding.shift_peak": "最严重时 {value}，预期 {expected}",
        "finding.shift_check": "可用自 {start} 起的改进效果检验加以确认（以该日为改进日期）。",
        "finding.shift_no_before": "偏移之前没有可供比较的日期",
        "chart.legend": "阴影带：控制限 · 红点：异常信号",
        "chart.legend_target": "阴影带：控制限 · 红点：异常信号 · 绿色虚线：目标 {target}",
        "chart.skipped": "{kpi}：未绘制（{reason}）。",
        "reason.no_data": "数据中没有该指标的值",
        "reason.few_days": "有值的天数少于 3 天",
        "warning.few_points": "{kpi}：用于计算控制限的点很少，异常信号仅供参考。",
        "warning.overdispersion": "{kpi}：日间波动远大于随机波动，普通控制限会过窄。",
        "warning.autocorrelation": "{kpi}：相邻日期相关，可能出现额外信号。",
        "warning.slot_without_baseline": "{kpi}：部分星期没有基线数据，无法判断。",
        "section.findings": "发现",
        "findings.none": "本期没有任何一天超出上述控制图的控制限。",
        "finding.title": "{date}（{weekday}）：{kpi} {value}",
        "finding.what": "{kpi} {value}，预期 {expected}（控制限 {lcl} – {ucl}）",
        "finding.what_plain": "{kpi} {value}（由管理者选定，控制图当天无信号）",
        "finding.also": "同时{items}",
        "finding.run": "属于位于中心线同一侧的连续多日",
        "finding.sl_that_day": "当天服务水平 {value}（基线 {baseline}）",
        "finding.where": "问题在哪",
        "finding.why": "原因",
        "finding.what_label": "发生了什么",
        "finding.drill": "根因下钻",
        "finding.verdict": "结论：{verdict}。",
        "verdict.concentrated": "集中在少数元素",
        "verdict.broad": "广泛分布于各类来电",
        "verdict.none": "无显著变化",
        "verdict.local": "总体无显著变化，但部分元素显著变化",
        "finding.path": "下钻路径：{path}",
        "finding.path_step": "{element}（占来电 {share}，平时 {baseline_share}）",
        "finding.no_drill": "无法下钻：{reason}。",
        "finding.staffing_error": "未做人力分析：{reason}。",
        "finding.no_story": "无法给出当天的结论：{reason}。",
        "warning.drivers": "未分析外部因素：{reason}。",
        "reason.other": "当前数据无法完成这项分析",
        "finding.baseline": "基线：{dates}。",
        "finding.elements": "解释变化的元素",
        "finding.elements_broad": "变化中占比最大的部分（均不足以解释大部分变化）",
        "finding.staffing": "人力",
        "finding.staffing_short": "人力模型显示缺口主要来自{cause}（{effects}，单位：百分点）。",
        "finding.no_staffing_day": "人力数据中没有这一天的时段：未做人力分析。",
        "finding.staffing_met": "人力模型：当天达标。",
        "finding.no_staffing": "未提供含在岗人数的时段数据，未做人力分析。",
        "finding.comparison": "当天各技能组与班组对比",
        "finding.comparison_shift": "偏移期间各技能组与班组对比",
        "finding.drivers": "外部因素",
        "finding.drivers_text": "当天{drivers}：季节模型预计含这些因素时呼入 {fitted}，不含时 {baseline}（实际呼入 {offered}）。",
        "finding.no_drivers": "当天无外部因素。",
        "finding.note": "管理者备注",
        "finding.chart": "{date} 每半小时{kpi}与基线对比",
        "finding.series_day": "{date}",
        "finding.series_baseline": "基线（{count} 天）",
        "numbers.kpi": "指标",
        "numbers.day": "当天",
        "numbers.shift": "偏移期间",
        "numbers.baseline": "基线",
        "numbers.change": "变化",
        "col.element": "元素",
        "col.share_day": "当天占比",
        "col.share_baseline": "平时占比",
        "col.value_day": "当天数值",
        "col.value_baseline": "平时数值",
        "col.explained": "解释的变化比例",
        "col.team": "班组",
        "col.calls": "接通量",
        "section.teams": "班组对比",
        "teams.intro": "▲ 高于、▼ 低于按该班组来电量计算的 99.8% 漏斗控制限。",
        "section.improvement": "{date} 的改进是否有效？",
        "improvement.skipped": "无法做改进效果检验：{reason}。",
        "improvement.chart": "{date} 前后的每日服务水平",
        "improvement.before": "改进前",
        "improvement.after": "改进后",
        "section.method": "阅读说明",
        "method.limits": (
            "控制限用于区分信号与随机波动：超出控制限的日期对该流程而言属于异常。"
            "服务水平使用 Laney p′ 控制图（按日间真实波动放宽控制限），"
            "呼入量与往周同日比较，平均处理时长使用 XmR 控制图。"
        ),
        "method.drill": (
            "根因下钻将当天与前几周的同一星期几（剔除异常日）比较，"
            "找出解释大部分变化的业务类型、客户分群、技能组或班组，并做多重检验校正。"
        ),
        "method.staffing": (
            "人力分析将实测服务水平与按在岗坐席计算的 Erlang A 模型比较，"
            "并将缺口分解为话务量、处理时长、人力和无法解释部分（Shapley 值）。"
        ),
        "slide.kpis": "核心指标",
        "slide.teams": "班组对比",
        "slide.notes": "备注",
        "dim_value": "{dim} {value}",
    },
}

_CAUSE_NAMES = {
    "volume": {"en": "volume", "zh": "话务量"},
    "aht": {"en": "handle time", "zh": "处理时长"},
    "staffing": {"en": "staffing", "zh": "人力"},
    "unexplained": {"en": "unexplained", "zh": "无法解释"},
}


#: Daily driver columns with a name in the i18n table (``driver.<column>``, en and zh);
#: other columns keep the name they have in the driver file.
KNOWN_DRIVERS = (
    "rain",
    "storm",
    "snow",
    "heat",
    "temperature",
    "temperature_c",
    "holiday",
    "campaign",
    "promotion",
    "outage",
)
#: ccmetrics.spc.ChartInputError codes -> the app's translated explanation (Control charts page).
_CHART_ERROR_KEYS = {
    "no_limit_points": "cc.error.no_points",
    "change_sides": "cc.error.change_sides",
    "phase_points": "cc.error.phase_points",
}


# --------------------------------------------------------------------------- text helpers


def _text(key: str, lang: str, **params) -> str:
    """A report-only string of :data:`REPORT_TEXT` in ``lang``."""
    template = REPORT_TEXT[lang][key]
    return template.format(**params) if params else template


def _kpi_name(name: str, lang: str, *, short: bool = True) -> str:
    """The app's name of a KPI (the short tile name when there is one)."""
    if short and i18n.has_key(f"tile.{name}", lang):
        return i18n.t(f"tile.{name}", lang)
    if i18n.has_key(f"kpi.{name}", lang):
        return i18n.t(f"kpi.{name}", lang)
    return name


def _fmt(name: str, value, lang: str) -> str:
    """A KPI value as the app shows it (:func:`format_kpi`)."""
    return format_kpi(name, value, lang)


def _fmt_change(name: str, change, lang: str) -> str:
    text = format_kpi_change(name, change, lang)
    return text if text is not None else i18n.t("unit.missing", lang)


def _share(value) -> str:
    return i18n.format_number(value, "percent", "en")


def _day_text(day: pd.Timestamp) -> str:
    return pd.Timestamp(day).strftime("%Y-%m-%d")


def _weekday(day: pd.Timestamp, lang: str) -> str:
    return i18n.t(f"weekday.{pd.Timestamp(day).day_of_week}", lang)


def driver_name(column: str, lang: str = "en") -> str:
    """A driver column's name in ``lang``, as the Staffing page and the report show it.

    Parameters
    ----------
    column : str
        A column of a daily driver file (``rain``, ``storm``, ...).
    lang : {"en", "zh"}, default "en"

    Returns
    -------
    str
        ``driver.<column>`` of the i18n table for :data:`KNOWN_DRIVERS` (case-insensitive),
        else the column as written.

    Examples
    --------
    >>> driver_name("rain", "zh"), driver_name("Storm"), driver_name("promo_code")
    ('降雨', 'Storm', 'promo_code')
    """
    column = str(column).strip()
    key = f"driver.{column.lower()}"
    return i18n.t(key, lang) if column.lower() in KNOWN_DRIVERS else column


def _driver_name(name: str, lang: str) -> str:
    """:func:`driver_name`, lower case in English (it sits mid-sentence)."""
    text = driver_name(name, lang)
    known = str(name).strip().lower() in KNOWN_DRIVERS
    return text[:1].lower() + text[1:] if lang == "en" and known else text


def error_reason(error: Exception, lang: str) -> str:
    """Why an analysis could not run, in ``lang``.

    Errors with a ``code`` (:func:`ccmetrics.drill.explain`, :mod:`ccmetrics.spc`) get the
    app's translation of that code; others keep their English message in an English report
    and a general Chinese reason in a Chinese one (the message itself is English).
    """
    code = getattr(error, "code", None)
    key = _CHART_ERROR_KEYS.get(code) if isinstance(error, spc.ChartInputError) else None
    if key is None and code:
        key = f"dd.error_{code}"
    if key and i18n.has_key(key, lang):
        return i18n.t(key, lang).rstrip("。.")
    if lang == "en":
        return str(error).rstrip(".")
    return _text("reason.other", lang)


_error_reason = error_reason


def _list_separator(lang: str) -> str:
    """Between the items of a list: "、" in Chinese, ", " in English."""
    return "、" if lang == "zh" else ", "


def _check_lang(lang: str) -> str:
    if lang not in REPORT_TEXT:
        raise ValueError(f"lang must be one of {sorted(REPORT_TEXT)}, not {lang!r}")
    return lang


def _finite(value) -> bool:
    try:
        return value is not None and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False
