"""Meeting-ready findings: a one-page HTML report, a PowerPoint deck, chart images and safe CSV.

A manager takes what the app found into the Monday meeting. :func:`build_report`
assembles the findings of a period into a :class:`Report`:

1. **Headline KPIs** against the previous period of equal length
   (:func:`ccmetrics.kpi.period_comparison`).
2. **Control charts** of daily service level, offered calls and AHT
   (:func:`control_charts`; the chart type of each KPI is
   :func:`ccmetrics.spc.default_chart_for`: Laney p′, the like-for-like seasonal
   chart and XmR), signals marked.
3. **Findings**: the days on which a chart signalled (:func:`candidate_findings`),
   the top ones by severity unless the manager picked others, each with the
   drill-down (:func:`ccmetrics.drill.explain`: verdict, top elements, the
   path), the staffing attribution of that day when an interval file with
   staffing is given (:func:`ccmetrics.staffing.why_intervals`,
   :func:`~ccmetrics.staffing.why_day`, :func:`~ccmetrics.staffing.why_summary`),
   the queue or team comparison of that day (:func:`ccmetrics.compare.funnel`),
   external drivers such as weather (:func:`ccmetrics.forecast.driver_contributions`)
   and the manager's note.
4. **Team comparison** over the period (funnel limits per KPI).
5. **Improvement check** when a change date is given
   (:func:`ccmetrics.spc.improvement_check`).

Every number comes from those functions, the same the pages call, so the report
and the app never disagree; values are formatted by :func:`format_kpi` (the
app's format: percentages with one decimal, "81.8%"; QA scores with one decimal).

Outputs: :func:`report_html` (one self-contained file: CSS inline, charts as inline
SVG rendered by vl-convert, no network needed, a content-security policy that
forbids scripts), :func:`report_pptx` (python-pptx: a title slide, a KPI slide,
one slide per control chart, one slide per finding with its chart, three bullets
and the numbers), :func:`chart_pngs` / :func:`png_zip` (a PNG per chart) and
:func:`write_report` (the files, for the command line). Everything follows
``lang`` ("en" or "zh"); text that comes from the data (category, team and agent
names, notes) is HTML-escaped. :func:`safe_csv_bytes` is the CSV export every
download uses: UTF-8 with a byte-order mark, cells that a spreadsheet would run
as a formula neutralised.

Chinese text in PNG images needs a CJK font: the renderer registers the first
font folder of :data:`FONT_DIRECTORIES` that exists (Debian's ``fonts-noto-cjk``)
and Chinese reports ask for :data:`FONT_STACK` (English ones for :data:`FONT_STACK_EN`,
Latin fonts first: rendering with a CJK font is about three times slower, and English
charts hold no Chinese text; browsers still fall back per glyph for Chinese data).
"""

from __future__ import annotations

import datetime as dt
import html
import io as bytes_io
import math
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd

from ccmetrics import compare, drill, i18n, kpi, kpis, spc, staffing, story
from ccmetrics.cube import frame_kind, time_column
from ccmetrics.kpi import KPI_DECIMALS, format_kpi, format_kpi_change  # re-exported
from ccmetrics.schema import KpiSettings

__all__ = [
    "REPORT_TEXT",
    "HEADLINE_KPIS",
    "CHART_KPIS",
    "TEAM_METRICS",
    "DEFAULT_MAX_FINDINGS",
    "FONT_STACK",
    "FONT_STACK_EN",
    "FONT_DIRECTORIES",
    "FORMATS",
    "CANDIDATE_COLUMNS",
    "KPI_DECIMALS",
    "format_kpi",
    "format_kpi_change",
    "error_reason",
    "KNOWN_DRIVERS",
    "driver_name",
    "ReportChart",
    "Finding",
    "Report",
    "report_period",
    "control_charts",
    "candidate_findings",
    "build_report",
    "report_html",
    "report_pptx",
    "chart_pngs",
    "chart_to_png",
    "png_zip",
    "safe_csv_bytes",
    "write_report",
]

#: KPIs of the headline table, in order (the Overview's tiles, then occupancy): the registry's.
HEADLINE_KPIS = kpis.HEADLINE_KPIS
#: KPIs charted per day; a day on which one of them signals is a candidate finding.
#: The order is also the priority of the KPI a finding's drill-down explains.
CHART_KPIS = ("service_level", "offered", "aht_s")
#: KPIs of the team comparison (funnel limits over the period).
TEAM_METRICS = ("aht_s", "fcr_rate", "transfer_rate", "csat_mean", "qa_mean")
#: Findings kept when the caller does not choose.
DEFAULT_MAX_FINDINGS = 5
#: Output formats of :func:`write_report`.
FORMATS = ("html", "pptx", "png")
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
#: Fonts asked for by the charts and the HTML, Chinese-capable first.
FONT_STACK = (
    '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", '
    '"Microsoft YaHei", "Hiragino Sans GB", "WenQuanYi Micro Hei", "Helvetica Neue", '
    "Arial, sans-serif"
)
#: Fonts of English reports: Latin fonts first, then the CJK ones for Chinese data.
FONT_STACK_EN = (
    '"Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", "Noto Sans CJK SC", '
    '"Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
)
#: Folders searched for a CJK font for PNG rendering (the first that exists is
#: registered with vl-convert); ``CCMETRICS_FONT_DIR`` comes first when set.
FONT_DIRECTORIES = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/noto-cjk",
    "/usr/share/fonts/google-noto-cjk",
    "/usr/share/fonts/truetype/noto",
    "/Library/Fonts",
    "C:/Windows/Fonts",
)
#: East Asian typeface written into the PowerPoint runs.
PPTX_EA_FONT = "Microsoft YaHei"

_COLOR_VALUE = "#1f5fa8"
_COLOR_SIGNAL = "#d62728"
_COLOR_LIMIT = "#7f7f7f"
_COLOR_BAND = "#d5deea"
_COLOR_TARGET = "#2ca02c"
_COLOR_BASELINE = "#9e9e9e"
_CHART_WIDTH = 640
_CHART_HEIGHT = 220

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
_DRILL_KPIS = ("service_level", "offered", "abandon_rate", "asa_s", "aht_s")
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


# --------------------------------------------------------------------------- result types


@dataclass
class ReportChart:
    """One chart of the report: a Vega-Lite spec and the rows it plots.

    Attributes
    ----------
    key : str
        File-name-safe identifier ("service_level", "finding_2025-03-11", ...).
    title : str
        The chart's title in the report's language.
    spec : dict
        Vega-Lite specification (data inline), rendered by vl-convert.
    data : DataFrame
        The plotted rows.
    caption : str
        One line under the chart (signals, or what is compared).
    """

    key: str
    title: str
    spec: dict
    data: pd.DataFrame
    caption: str = ""
    _svg: str | None = field(default=None, repr=False)
    _png: bytes | None = field(default=None, repr=False)

    def svg(self) -> str:
        """The chart as an SVG document (rendered once, then cached)."""
        if self._svg is None:
            vl_convert = _vl_convert()
            self._svg = vl_convert.vegalite_to_svg(self.spec)
        return self._svg

    def png(self, scale: float = 2.0) -> bytes:
        """The chart as a PNG image (``scale`` × the spec's pixel size; cached at scale 2)."""
        if scale == 2.0 and self._png is not None:
            return self._png
        vl_convert = _vl_convert()
        image = vl_convert.svg_to_png(self.svg(), scale=scale)
        if scale == 2.0:
            self._png = image
        return image


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
        :func:`ccmetrics.staffing.why_summary` in the report's language ("" without staffing).
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
        Headline KPIs: ``kpi, name, current, previous, change, n_current, unit`` and the
        formatted ``current_text, previous_text, change_text, n_text``.
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

    @property
    def all_charts(self) -> list:
        """Every chart of the report, in the order of the document."""
        charts = list(self.charts)
        charts += [f.chart for f in self.findings if f.chart is not None]
        if self.improvement_chart is not None:
            charts.append(self.improvement_chart)
        return charts


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
    """FCR flags on the whole data set (before any filter), then the dimension filters."""
    if frame_kind(frame) == "calls" and "fcr_eligible" not in frame.columns:
        frame = kpi.add_fcr_flags(frame, settings)
    if filters:
        frame = kpi.subset(frame, filters=filters)
    return frame


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
        if len(days) < 3 or not (days.index >= start).any():
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


# --------------------------------------------------------------------------- candidates


def _in_period(chart: pd.DataFrame, start, end) -> pd.DataFrame:
    index = pd.DatetimeIndex(chart.index)
    return chart[(index >= start) & (index < end)]


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
    separator = "；" if lang == "zh" else "; "
    return f"{_day_text(day)} ({_weekday(day, lang)}) · " + separator.join(parts)


# --------------------------------------------------------------------------- chart specs


def _axis_format(name: str) -> str:
    unit = kpi.KPI_UNITS.get(name, "score")
    if unit == "score" and name in KPI_DECIMALS:
        return f",.{KPI_DECIMALS[name]}f"
    return {"percent": ".0%", "count": ",.0f", "seconds": ",.0f"}.get(unit, ",.2f")


def _font_stack(lang: str) -> str:
    return FONT_STACK if lang == "zh" else FONT_STACK_EN


def _configure(chart, title: str, lang: str, subtitle: str = ""):
    """Size, fonts and title shared by every chart."""
    params = {"text": title, "anchor": "start", "fontSize": 14}
    if subtitle:
        params.update({"subtitle": subtitle, "subtitleFontSize": 11, "subtitleColor": "#555"})
    return (
        chart.properties(width=_CHART_WIDTH, height=_CHART_HEIGHT, title=alt.TitleParams(**params))
        .configure(font=_font_stack(lang), background="white")
        .configure_axis(labelFontSize=11, titleFontSize=12, grid=True, gridColor="#eeeeee")
        .configure_legend(labelFontSize=11, titleFontSize=11, orient="top")
        .configure_view(stroke="#dddddd")
    )


def _unit_title(name: str, lang: str) -> str:
    label = _kpi_name(name, lang)
    unit = kpi.KPI_UNITS.get(name)
    if unit == "seconds":
        return (
            i18n.t("header.seconds", lang, name=label)
            if i18n.has_key("header.seconds", lang)
            else f"{label} (s)"
        )
    return label


def _day_axis(days: pd.Series, lang: str) -> alt.X:
    """A day axis ("03-17") with readable ticks: every day up to 10 days, else Mondays."""
    dates = pd.DatetimeIndex(pd.to_datetime(days)).sort_values()
    if len(dates) <= 10:
        ticks = dates
    else:
        ticks = dates[dates.day_of_week == 0]
        step = max(1, math.ceil(len(ticks) / 12))
        ticks = ticks[::step]
    values = [alt.DateTime(year=d.year, month=d.month, date=d.day) for d in ticks]
    return alt.X(
        "day:T",
        title=i18n.t("axis.day", lang),
        axis=alt.Axis(format="%m-%d", labelAngle=0, values=values, labelOverlap=True),
    )


def _limit_layers(base, name: str, lang: str) -> list:
    """The band between the control limits and the center line (step-wise per day)."""
    y = alt.Y(
        "lcl:Q",
        title=_unit_title(name, lang),
        axis=alt.Axis(format=_axis_format(name)),
        scale=alt.Scale(zero=False, padding=8),
    )
    return [
        base.mark_area(color=_COLOR_BAND, opacity=0.55, interpolate="step").encode(y=y, y2="ucl:Q"),
        base.mark_line(color=_COLOR_LIMIT, strokeWidth=1, interpolate="step").encode(y="center:Q"),
    ]


def _value_layers(base) -> list:
    """The daily values, with the signals in red."""
    return [
        base.mark_line(color=_COLOR_VALUE, strokeWidth=1.5).encode(y="value:Q"),
        base.mark_circle(color=_COLOR_VALUE, size=22, opacity=1).encode(y="value:Q"),
        base.transform_filter(alt.datum.signal)
        .mark_circle(color=_COLOR_SIGNAL, size=90, opacity=1)
        .encode(y="value:Q"),
    ]


def _control_chart_spec(
    name: str, chart: pd.DataFrame, start, end, settings: KpiSettings, lang: str, title: str
) -> tuple[dict, pd.DataFrame]:
    part = _in_period(chart, start, end)
    data = pd.DataFrame(
        {
            "day": pd.DatetimeIndex(part.index).strftime("%Y-%m-%d"),
            "value": part["value"].to_numpy(dtype=float),
            "center": part["center"].to_numpy(dtype=float),
            "lcl": part["lcl"].to_numpy(dtype=float),
            "ucl": part["ucl"].to_numpy(dtype=float),
            "signal": part["signal"].to_numpy(dtype=bool),
        }
    )
    base = alt.Chart(data).encode(x=_day_axis(data["day"], lang))
    layers = _limit_layers(base, name, lang)
    legend = _text("chart.legend", lang)
    if name == "service_level":
        target_text = _fmt(name, settings.sl_target, lang)
        legend = _text("chart.legend_target", lang, target=target_text)
        target = pd.DataFrame({"target": [settings.sl_target]})
        layers.append(
            alt.Chart(target).mark_rule(color=_COLOR_TARGET, strokeDash=[2, 2]).encode(y="target:Q")
        )
    layers += _value_layers(base)
    spec = _configure(alt.layer(*layers), title, lang, legend).to_dict(validate=False)
    return spec, data


def _slot_frame(rows: pd.DataFrame) -> pd.DataFrame:
    times = rows[time_column(rows)]
    return rows.assign(slot=times.dt.floor("30min").dt.strftime("%H:%M").to_numpy())


def _finding_chart(
    frame: pd.DataFrame, finding: Finding, settings: KpiSettings, lang: str
) -> ReportChart | None:
    """The finding's KPI per half hour that day against the drill-down's baseline days."""
    name = finding.metric
    day_rows = kpi.subset(frame, finding.date, finding.date + pd.Timedelta(days=1))
    if day_rows.empty:
        return None
    pieces = []
    day_label = _text("finding.series_day", lang, date=finding.id)
    day_table = kpi.compute(_slot_frame(day_rows), by="slot", settings=settings)
    pieces.append(
        pd.DataFrame({"slot": day_table["slot"], "series": day_label, "value": day_table[name]})
    )
    windows = finding.explanation.baseline if finding.explanation is not None else []
    labels = [day_label]
    if windows:
        baseline_rows = pd.concat([kpi.subset(frame, a, b) for a, b in windows])
        if not baseline_rows.empty:
            table = kpi.compute(_slot_frame(baseline_rows), by="slot", settings=settings)
            values = table[name].astype(float)
            if kpi.KPI_UNITS.get(name) == "count":
                values = values / len(windows)
            baseline_label = _text("finding.series_baseline", lang, count=len(windows))
            labels.append(baseline_label)
            pieces.append(
                pd.DataFrame({"slot": table["slot"], "series": baseline_label, "value": values})
            )
    data = pd.concat(pieces, ignore_index=True)
    data["slot"] = data["slot"].astype(str)
    data["series"] = data["series"].astype(str)
    data["value"] = data["value"].astype(float)
    title = _text("finding.chart", lang, kpi=_kpi_name(name, lang), date=finding.id)
    chart = alt.Chart(data).encode(
        x=alt.X("slot:O", title=i18n.t("axis.slot", lang), axis=alt.Axis(labelAngle=-45)),
        y=alt.Y("value:Q", title=_unit_title(name, lang), axis=alt.Axis(format=_axis_format(name))),
        color=alt.Color(
            "series:N",
            title=None,
            scale=alt.Scale(domain=labels, range=[_COLOR_SIGNAL, _COLOR_BASELINE][: len(labels)]),
        ),
    )
    layers = [chart.mark_line(strokeWidth=2), chart.mark_circle(size=25, opacity=1)]
    if name == "service_level":
        target = pd.DataFrame({"target": [settings.sl_target]})
        layers.append(
            alt.Chart(target).mark_rule(color=_COLOR_TARGET, strokeDash=[2, 2]).encode(y="target:Q")
        )
    spec = _configure(alt.layer(*layers), title, lang).to_dict(validate=False)
    caption = ""
    if windows:
        caption = _text(
            "finding.baseline",
            lang,
            dates=_list_separator(lang).join(_day_text(a) for a, _ in sorted(windows)),
        )
    return ReportChart(
        key=f"finding_{finding.id}", title=title, spec=spec, data=data, caption=caption
    )


def _improvement_chart(chart: pd.DataFrame, change, lang: str) -> ReportChart:
    """Service level per day with limits computed before and after the change."""
    before, after = _text("improvement.before", lang), _text("improvement.after", lang)
    data = pd.DataFrame(
        {
            "day": pd.DatetimeIndex(chart.index).strftime("%Y-%m-%d"),
            "value": chart["value"].to_numpy(dtype=float),
            "center": chart["center"].to_numpy(dtype=float),
            "lcl": chart["lcl"].to_numpy(dtype=float),
            "ucl": chart["ucl"].to_numpy(dtype=float),
            "signal": chart["signal"].to_numpy(dtype=bool),
            "phase": np.where(chart["phase"].to_numpy() == "before", before, after),
        }
    )
    change_text = _day_text(change)
    title = _text("improvement.chart", lang, date=change_text)
    base = alt.Chart(data).encode(x=_day_axis(data["day"], lang), detail="phase:N")
    layers = _limit_layers(base, "service_level", lang) + _value_layers(base)
    layers.append(
        alt.Chart(pd.DataFrame({"day": [change_text]}))
        .mark_rule(color="#333333", strokeDash=[3, 3])
        .encode(x="day:T")
    )
    spec = _configure(alt.layer(*layers), title, lang).to_dict(validate=False)
    return ReportChart(key="improvement", title=title, spec=spec, data=data)


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
        usable = {k: v for k, v in (filters or {}).items() if k in intervals.columns}
        plan = kpi.subset(intervals, filters=usable) if usable else intervals
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
    plan = None
    if intervals is not None:
        usable = {k: v for k, v in (filters or {}).items() if k in intervals.columns}
        plan = kpi.subset(intervals, day, next_day, usable or None)
        if "staffed_agents" not in plan.columns or plan["staffed_agents"].notna().sum() == 0:
            return None
    elif frame_kind(frame) != "intervals" or frame["staffed_agents"].notna().sum() == 0:
        return None
    rows = kpi.subset(frame, day, next_day)
    if rows.empty:
        return None
    if plan is not None and frame_kind(frame) == "calls" and "queue" in rows.columns:
        if "queue" not in plan.columns or plan["queue"].isna().all():
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
    separator = "，" if lang == "zh" else ", "
    effects = separator.join(
        f"{_CAUSE_NAMES[name][lang]} {day[column] * 100:+.1f}"
        for name, column in columns.items()
        if _finite(day[column])
    )
    return _text(
        "finding.staffing_short", lang, cause=_CAUSE_NAMES[day["main_cause"]][lang], effects=effects
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
    separator = "、" if lang == "zh" else ", "
    names = separator.join(_driver_name(name, lang) for name in drivers["active"])
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
        what += ("；" if lang == "zh" else "; ") + _text(
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
) -> Finding:
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
            frame, day, plan=plan, settings=settings, calibration=calibration
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
        finding.staffing_summary = staffing.why_summary(finding.staffing)[lang]
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
    if signals:
        what = _signal_text(signals[0], lang)
        others = [
            f"{_kpi_name(s['kpi'], lang)} {_fmt(s['kpi'], s['value'], lang)}" for s in signals[1:]
        ]
        if others:
            what += ("；" if lang == "zh" else "; ") + _text(
                "finding.also", lang, items=("、" if lang == "zh" else ", ").join(others)
            )
        if not _is_beyond(signals[0]["rules"]):
            what += (
                ("（" + _text("finding.run", lang) + "）")
                if lang == "zh"
                else (" (" + _text("finding.run", lang) + ")")
            )
    else:
        what = _text("finding.what_plain", lang, kpi=_kpi_name(metric, lang), value=value_text)
    flagged = {s["kpi"] for s in signals}
    numbers = finding.numbers.set_index("kpi") if not finding.numbers.empty else None
    if "service_level" not in flagged and numbers is not None and "service_level" in numbers.index:
        service = numbers.loc["service_level"]
        what += ("；" if lang == "zh" else "; ") + _text(
            "finding.sl_that_day",
            lang,
            value=service["day_text"],
            baseline=service["baseline_text"],
        )
    where = (
        finding.explanation.summary[lang]
        if finding.explanation is not None
        else (finding.notes[0] if finding.notes else "")
    )
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
        "service_level": {"label": "Service level", "label_zh": "服务水平"},
        "aht_s": {
            "label": "AHT",
            "label_zh": "平均处理时长",
            "decimals": 0,
            "unit": " s",
            "unit_zh": " 秒",
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


def _headline(frame, start, end, settings, lang):
    compared = kpi.period_comparison(frame, start, end, settings).set_index("kpi")
    missing = kpi.missing_inputs(frame)
    rows = []
    for name in HEADLINE_KPIS:
        if name in missing or name not in compared.index:
            continue
        row = compared.loc[name]
        if name == "occupancy" and not _finite(row["current"]):
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
    chosen = None if findings is None else _finding_ids(findings)
    outside = [d for d in chosen or [] if not start <= d < end]
    if outside:
        raise ValueError("findings outside the period: " + ", ".join(_day_text(d) for d in outside))
    warnings: list[str] = []
    days = (end - start).days
    previous = (start - (end - start), start)
    daily_window = _daily(frame, _limit_window(start, end, limit_days), end, settings)
    daily = daily_window[daily_window.index >= start]
    charts = _charts_of_daily(daily_window, start)
    candidates = candidate_findings(
        frame, start=start, end=end, settings=settings, lang=lang, charts=charts
    )
    warnings += _skipped_charts(daily, charts, lang)
    warnings += _chart_warnings(charts, lang)

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

    if chosen is None:
        beyond = candidates[candidates["beyond_limits"].to_numpy(dtype=bool)]
        chosen = beyond.head(max_findings)["date"].tolist()
    contributions = _contributions(frame, drivers, warnings, lang)
    calibration, plan = _calibration(frame, intervals, settings, filters, warnings, lang)
    by_id = candidates.set_index("finding") if not candidates.empty else None
    built = []
    for day in dict.fromkeys(chosen):
        candidate = (
            by_id.loc[_day_text(day)]
            if by_id is not None and _day_text(day) in by_id.index
            else None
        )
        if candidate is not None and candidate["kind"] == "shift":
            chart = charts[candidate["metric"]]
            inside = chart[(chart.index >= candidate["start"]) & (chart.index <= candidate["end"])]
            built.append(
                _build_shift_finding(
                    frame,
                    candidate,
                    [
                        _signal_of(candidate["metric"], row)
                        for _, row in inside[inside["signal"]].iterrows()
                    ],
                    settings=settings,
                    lang=lang,
                    contributions=contributions,
                    note=notes.get(_day_text(day), ""),
                )
            )
            continue
        signals = []
        for name in CHART_KPIS:
            chart = charts.get(name)
            if chart is not None and day in chart.index and bool(chart.loc[day, "signal"]):
                row = chart.loc[day]
                signals.append(
                    {
                        "kpi": name,
                        "value": float(row["value"]),
                        "expected": float(row["center"]),
                        "lcl": float(row["lcl"]),
                        "ucl": float(row["ucl"]),
                        "z": float(row["z"]),
                        "rules": str(row["rules"]),
                    }
                )
        if candidate is not None:  # the signal the drill-down explains leads the sentence
            signals.sort(key=lambda signal: signal["kpi"] != candidate["metric"])
        built.append(
            _build_finding(
                frame,
                day,
                candidate,
                signals,
                settings=settings,
                lang=lang,
                intervals=intervals,
                contributions=contributions,
                filters=filters,
                note=notes.get(_day_text(day), ""),
                calibration=calibration,
                plan=plan,
            )
        )
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
        kpis=_headline(frame, start, end, settings, lang),
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
    )


# --------------------------------------------------------------------------- rendering: fonts


_FONTS_REGISTERED = False


def _vl_convert():
    """vl-convert with a CJK font directory registered (once per process)."""
    global _FONTS_REGISTERED
    import vl_convert

    if not _FONTS_REGISTERED:
        candidates = [os.environ.get("CCMETRICS_FONT_DIR", ""), *FONT_DIRECTORIES]
        for folder in candidates:
            if folder and Path(folder).is_dir():
                vl_convert.register_font_directory(str(folder))
                break
        _FONTS_REGISTERED = True
    return vl_convert


# --------------------------------------------------------------------------- rendering: HTML

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f5f7; color: #1d1d1f; font-family: FONTS; font-size: 15px;
  line-height: 1.55; }
main { max-width: 980px; margin: 0 auto; background: #fff; padding: 28px 40px 40px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
.meta { color: #555; margin: 0; }
h2 { font-size: 20px; border-bottom: 2px solid #1f5fa8; padding-bottom: 4px; margin-top: 34px; }
h3 { font-size: 17px; margin: 0 0 8px; }
h4 { font-size: 14px; margin: 16px 0 4px; color: #333; text-transform: none; }
table { border-collapse: collapse; margin: 8px 0; font-size: 14px; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 4px 10px; text-align: left; }
th { background: #f1f4f8; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 12px 0 18px; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 13px; }
.finding { border: 1px solid #dde3ea; border-left: 5px solid #d62728; border-radius: 6px;
  padding: 16px 20px; margin: 18px 0; }
.finding ul.bullets { padding-left: 20px; }
.finding ul.bullets li { margin: 4px 0; }
.label { font-weight: 600; }
.note { background: #fff8e1; border-left: 4px solid #f0b400; padding: 8px 12px; margin: 8px 0;
  white-space: pre-wrap; }
.muted { color: #666; font-size: 13px; }
.worse { color: #b71c1c; font-weight: 600; }
.better { color: #1b5e20; font-weight: 600; }
.warnings li { color: #6d4c00; }
@media print { body { background: #fff; } main { padding: 0; } .finding { break-inside: avoid; } }
"""


def _e(value) -> str:
    """HTML-escape any value (data text, notes, numbers)."""
    return html.escape(str(value), quote=True)


def _table_html(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(
        f'<th class="num">{_e(h)}</th>' if i in numeric else f"<th>{_e(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _kpi_table_html(report: Report) -> str:
    lang = report.lang
    headers = [
        i18n.t("report.col_kpi", lang),
        i18n.t("report.col_current", lang),
        i18n.t("report.col_previous", lang),
        i18n.t("report.col_change", lang),
        i18n.t("report.col_n", lang),
    ]
    rows = [
        [_e(r.name), _e(r.current_text), _e(r.previous_text), _e(r.change_text), _e(r.n_text)]
        for r in report.kpis.itertuples()
    ]
    return _table_html(headers, rows, {1, 2, 3, 4})


def _figure_html(chart: ReportChart) -> str:
    caption = f"<figcaption>{_e(chart.caption)}</figcaption>" if chart.caption else ""
    return f'<figure id="chart-{_e(chart.key)}" role="img" aria-label="{_e(chart.title)}">{chart.svg()}{caption}</figure>'


def _numbers_html(numbers: pd.DataFrame | None, lang: str, kind: str = "day") -> str:
    if numbers is None or numbers.empty:
        return ""
    headers = [
        _text("numbers.kpi", lang),
        _text("numbers.shift" if kind == "shift" else "numbers.day", lang),
        _text("numbers.baseline", lang),
        _text("numbers.change", lang),
    ]
    rows = [
        [_e(r.name), _e(r.day_text), _e(r.baseline_text), _e(r.change_text)]
        for r in numbers.itertuples()
    ]
    return _table_html(headers, rows, {1, 2, 3})


def _element_text(values: dict, lang: str) -> str:
    return drill.element_label(values, language=lang)


def _elements_html(explanation: drill.Explanation, lang: str) -> str:
    selected = explanation.selected.head(drill.MAX_SELECTED)
    if selected.empty:
        return ""
    metric = explanation.metric
    headers = [
        _text("col.element", lang),
        _text("col.share_day", lang),
        _text("col.share_baseline", lang),
        _text("col.value_day", lang),
        _text("col.value_baseline", lang),
        _text("col.explained", lang),
    ]
    rows = []
    for _, row in selected.iterrows():
        rows.append(
            [
                _e(_element_text(row["values"], lang)),
                _e(_share(row["share_anomaly"])),
                _e(_share(row["share_baseline"])),
                _e(_fmt(metric, row["rate_anomaly"], lang)),
                _e(_fmt(metric, row["rate_baseline"], lang)),
                _e(_share(row["explained_share"])),
            ]
        )
    heading = (
        "finding.elements" if explanation.verdict == "concentrated" else "finding.elements_broad"
    )
    return f"<h4>{_e(_text(heading, lang))}</h4>" + _table_html(headers, rows, {1, 2, 3, 4, 5})


def _path_text(path: list[dict], lang: str) -> str:
    steps = [
        _text(
            "finding.path_step",
            lang,
            element=_element_text(step["values"], lang),
            share=_share(step["share_anomaly"]),
            baseline_share=_share(step["share_baseline"]),
        )
        for step in path
    ]
    return _text("finding.path", lang, path=" → ".join(steps))


def _finding_html(finding: Finding, lang: str) -> str:
    parts = [f'<article class="finding" id="finding-{_e(finding.id)}">']
    parts.append(f"<h3>{_e(finding.title)}</h3>")
    if finding.story_text:
        parts.append(f'<p class="story"><strong>{_e(finding.story_text)}</strong></p>')
    labels = [
        _text("finding.what_label", lang),
        _text("finding.where", lang),
        _text("finding.why", lang),
    ]
    colon = "：" if lang == "zh" else ": "
    items = "".join(
        f'<li><span class="label">{_e(label)}{colon}</span>{_e(text)}</li>'
        for label, text in zip(labels, finding.bullets, strict=False)
        if text
    )
    parts.append(f'<ul class="bullets">{items}</ul>')
    if finding.note:
        parts.append(
            f'<h4>{_e(_text("finding.note", lang))}</h4><div class="note">{_e(finding.note)}</div>'
        )
    if finding.chart is not None:
        parts.append(_figure_html(finding.chart))
    parts.append(_numbers_html(finding.numbers, lang, finding.kind))
    parts.append(f"<h4>{_e(_text('finding.drill', lang))}</h4>")
    if finding.explanation is not None:
        e = finding.explanation
        parts.append(f"<p>{_e(e.summary[lang])}</p>")
        parts.append(
            f'<p class="muted">{_e(_text("finding.verdict", lang, verdict=_text("verdict." + e.verdict, lang)))}</p>'
        )
        if finding.path:
            parts.append(f"<p>{_e(_path_text(finding.path, lang))}</p>")
        parts.append(_elements_html(e, lang))
    for note in finding.notes:
        parts.append(f'<p class="muted">{_e(note)}</p>')
    if finding.kind != "shift":  # the staffing model explains one day's intervals
        parts.append(f"<h4>{_e(_text('finding.staffing', lang))}</h4>")
        parts.append(f"<p>{_e(finding.staffing_summary or _text('finding.no_staffing', lang))}</p>")
    if finding.drivers is not None:
        parts.append(f"<h4>{_e(_text('finding.drivers', lang))}</h4>")
        parts.append(
            f"<p>{_e(_drivers_text(finding.drivers, lang) or _text('finding.no_drivers', lang))}</p>"
        )
    if finding.comparison_summary:
        heading = "finding.comparison_shift" if finding.kind == "shift" else "finding.comparison"
        parts.append(f"<h4>{_e(_text(heading, lang))}</h4>")
        parts.append(f"<p>{_e(finding.comparison_summary)}</p>")
    parts.append("</article>")
    return "".join(parts)


def _team_cell(value, flag: str, metric: str, lang: str) -> str:
    text = _e(_fmt(metric, value, lang))
    if flag not in ("above", "below"):
        return text
    higher_better = compare.HIGHER_IS_BETTER.get(metric, True)
    better = (flag == "above") == higher_better
    arrow = "▲" if flag == "above" else "▼"
    return f'<span class="{"better" if better else "worse"}">{text} {arrow}</span>'


def _team_rows(report: Report) -> tuple[list[str], list[str], list[list[str]]]:
    lang = report.lang
    metrics = [m for m in TEAM_METRICS if m in report.teams.columns]
    headers = [_text("col.team", lang), _text("col.calls", lang)] + [
        _kpi_name(m, lang) for m in metrics
    ]
    rows = []
    for _, row in report.teams.iterrows():
        cells = [_e(row["team"]), _e(i18n.format_number(row["answered"], "count", lang))]
        cells += [_team_cell(row[m], row[f"{m}_flag"], m, lang) for m in metrics]
        rows.append(cells)
    return headers, metrics, rows


def _compared_text(report: Report) -> str:
    """What the headline KPIs' changes are against (or why none is shown)."""
    has_previous = report.kpis["previous"].notna().any() if not report.kpis.empty else False
    if not has_previous:
        return _text("kpis.no_previous", report.lang)
    previous_last = report.previous[1] - pd.Timedelta(days=1)
    return _text(
        "kpis.compared",
        report.lang,
        start=_day_text(report.previous[0]),
        end=_day_text(previous_last),
    )


def report_html(report: Report) -> str:
    """The report as one self-contained HTML document.

    Parameters
    ----------
    report : Report

    Returns
    -------
    str
        HTML5 with inline CSS and the charts as inline SVG (rendered by vl-convert): it
        opens without network access. A content-security policy forbids scripts and
        remote resources; every text from the data or the manager is HTML-escaped.

    Examples
    --------
    >>> days = pd.date_range("2025-03-03", periods=28, freq="D").repeat(20)
    >>> calls = pd.DataFrame({"arrived_at": days + pd.Timedelta(hours=9), "wait_s": 5.0,
    ...     "answered": True, "abandoned": False, "category": "<b>Billing</b>"})
    >>> text = report_html(build_report(calls))
    >>> text.count("<svg") >= 2, "<b>Billing" in text
    (True, False)
    """
    lang = report.lang
    html_lang = "zh-CN" if lang == "zh" else "en"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{html_lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:; font-src data:\">",
        f"<title>{_e(report.title)} · {_e(report.period_text)}</title>",
        f"<style>{_CSS.replace('FONTS', _font_stack(lang))}</style></head><body><main>",
        "<header>",
        f"<h1>{_e(report.title)}</h1>",
        f'<p class="meta">{_e(report.period_text)}</p>',
        f'<p class="meta">{_e(_text("generated", lang, source=report.source or "–", when=report.generated))}</p>',
    ]
    if report.filters:
        described = "; ".join(
            f"{i18n.t('dim.' + k, lang) if i18n.has_key('dim.' + k, lang) else k}: "
            + ", ".join(map(str, v))
            for k, v in report.filters.items()
            if v
        )
        parts.append(f'<p class="meta">{_e(_text("filters", lang, filters=described))}</p>')
    parts.append("</header>")

    parts.append(f'<section id="kpis"><h2>{_e(_text("section.kpis", lang))}</h2>')
    parts.append(_kpi_table_html(report))
    parts.append(f'<p class="muted">{_e(_compared_text(report))}</p>')
    parts.append("</section>")

    parts.append(f'<section id="charts"><h2>{_e(_text("section.charts", lang))}</h2>')
    if report.chart_frames:
        first = next(iter(report.chart_frames.values())).attrs
        parts.append(
            '<p class="muted">'
            + _e(
                _text(
                    "charts.intro",
                    lang,
                    days=first["limit_days"],
                    start=_day_text(first["limits_start"]),
                    end=_day_text(first["limits_end"]),
                )
            )
            + "</p>"
        )
    for chart in report.charts:
        parts.append(_figure_html(chart))
    if report.warnings:
        items = "".join(f"<li>{_e(w)}</li>" for w in report.warnings)
        parts.append(f'<ul class="warnings muted">{items}</ul>')
    parts.append("</section>")

    parts.append(f'<section id="findings"><h2>{_e(_text("section.findings", lang))}</h2>')
    if report.calibration_text:
        parts.append(f'<p class="muted">{_e(report.calibration_text)}</p>')
    if not report.findings:
        parts.append(f"<p>{_e(_text('findings.none', lang))}</p>")
    for finding in report.findings:
        parts.append(_finding_html(finding, lang))
    parts.append("</section>")

    if report.teams is not None:
        headers, metrics, rows = _team_rows(report)
        parts.append(f'<section id="teams"><h2>{_e(_text("section.teams", lang))}</h2>')
        parts.append(f'<p class="muted">{_e(_text("teams.intro", lang))}</p>')
        parts.append(_table_html(headers, rows, set(range(1, len(headers)))))
        for summary in report.team_summaries:
            parts.append(f"<p>{_e(summary)}</p>")
        parts.append("</section>")

    if report.change_date is not None:
        parts.append(
            f'<section id="improvement"><h2>{_e(_text("section.improvement", lang, date=_day_text(report.change_date)))}</h2>'
        )
        for check in report.improvement:
            parts.append(f"<p>{_e(check.sentence_zh if lang == 'zh' else check.sentence_en)}</p>")
        if report.improvement_chart is not None:
            parts.append(_figure_html(report.improvement_chart))
        parts.append("</section>")

    parts.append(f'<section id="method"><h2>{_e(_text("section.method", lang))}</h2><ul>')
    for key in ("method.limits", "method.drill", "method.staffing"):
        parts.append(f"<li>{_e(_text(key, lang))}</li>")
    parts.append("</ul></section></main></body></html>")
    return "\n".join(parts)


# --------------------------------------------------------------------------- rendering: PPTX


def _pptx_font(run, size: float, *, bold: bool = False, color: str | None = None) -> None:
    """Set a run's size, weight, colour, and a Chinese-capable East Asian typeface."""
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    properties = run._r.get_or_add_rPr()
    for old in properties.findall(qn("a:ea")):
        properties.remove(old)
    east_asian = properties.makeelement(qn("a:ea"), {"typeface": PPTX_EA_FONT})
    latin = properties.find(qn("a:latin"))
    if latin is not None:
        latin.addnext(east_asian)
    else:
        # a:ea follows the fill/effect elements; appending keeps the schema order here.
        properties.append(east_asian)


def _pptx_text(slide, left, top, width, height, paragraphs, *, size=14, bold=False, color=None):
    """A text box; ``paragraphs`` is a list of str or (str, dict(size, bold, color, bullet, label)).

    ``label`` is written in bold before the text.
    """
    from pptx.util import Pt

    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for index, item in enumerate(paragraphs):
        text, style = (item, {}) if isinstance(item, str) else item
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        prefix = "• " if style.get("bullet") else ""
        label_text = style.get("label", "")
        if label_text:
            label_text, prefix = prefix + label_text, ""
        paragraph.space_after = Pt(style.get("space_after", 6))
        if label_text:
            label = paragraph.add_run()
            label.text = label_text
            _pptx_font(label, style.get("size", size), bold=True, color=style.get("color", color))
        run = paragraph.add_run()
        run.text = prefix + text
        _pptx_font(
            run,
            style.get("size", size),
            bold=style.get("bold", bold),
            color=style.get("color", color),
        )
    return box


def _pptx_table(slide, left, top, width, headers, rows, *, size=12, row_height=None, numeric=()):
    """A table; the columns in ``numeric`` are right-aligned."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Emu, Pt

    row_height = row_height or Pt(size * 2.1)
    shape = slide.shapes.add_table(
        len(rows) + 1, len(headers), left, top, width, Emu(int(row_height) * (len(rows) + 1))
    )
    table = shape.table
    for column, header in enumerate(headers):
        cell = table.cell(0, column)
        cell.text = ""
        paragraph = cell.text_frame.paragraphs[0]
        if column in numeric:
            paragraph.alignment = PP_ALIGN.RIGHT
        run = paragraph.add_run()
        run.text = str(header)
        _pptx_font(run, size, bold=True)
    for r, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            cell = table.cell(r, column)
            cell.text = ""
            paragraph = cell.text_frame.paragraphs[0]
            if column in numeric:
                paragraph.alignment = PP_ALIGN.RIGHT
            run = paragraph.add_run()
            run.text = str(value)
            _pptx_font(run, size)
    return shape


def _slide_title(slide, text: str, subtitle: str = "") -> None:
    from pptx.util import Inches

    paragraphs = [(text, {"size": 26, "bold": True, "color": "1F5FA8"})]
    if subtitle:
        paragraphs.append((subtitle, {"size": 13, "color": "555555"}))
    _pptx_text(slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(1.0), paragraphs)


def _add_picture(slide, chart: ReportChart, left, top, width):
    return slide.shapes.add_picture(bytes_io.BytesIO(chart.png()), left, top, width=width)


def report_pptx(report: Report) -> bytes:
    """The report as a PowerPoint deck (16:9).

    Parameters
    ----------
    report : Report

    Returns
    -------
    bytes
        A .pptx file: a title slide; a KPI slide (this period, previous, change, n); one
        slide per control chart (image and the signal days); one slide per finding (its
        chart image, three bullets — what happened, where, why —, the numbers against the
        baseline, the manager's note; the full drill-down and staffing texts in the speaker
        notes); a team-comparison slide and an improvement slide when the report has them.

    Examples
    --------
    >>> from pptx import Presentation
    >>> days = pd.date_range("2025-03-03", periods=28, freq="D").repeat(20)
    >>> calls = pd.DataFrame({"arrived_at": days + pd.Timedelta(hours=9), "wait_s": 5.0,
    ...     "answered": True, "abandoned": False})
    >>> deck = Presentation(bytes_io.BytesIO(report_pptx(build_report(calls))))
    >>> len(deck.slides)  # title, KPIs, service level and offered charts (no AHT data)
    4
    """
    from pptx import Presentation
    from pptx.util import Inches

    lang = report.lang
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    blank = deck.slide_layouts[6]

    slide = deck.slides.add_slide(blank)
    _pptx_text(
        slide,
        Inches(0.8),
        Inches(2.4),
        Inches(11.7),
        Inches(2.5),
        [
            (report.title, {"size": 40, "bold": True, "color": "1F5FA8"}),
            (report.period_text, {"size": 22}),
            (
                _text("generated", lang, source=report.source or "–", when=report.generated),
                {"size": 14, "color": "555555"},
            ),
        ],
    )

    slide = deck.slides.add_slide(blank)
    _slide_title(slide, _text("slide.kpis", lang), report.period_text)
    headers = [
        i18n.t("report.col_kpi", lang),
        i18n.t("report.col_current", lang),
        i18n.t("report.col_previous", lang),
        i18n.t("report.col_change", lang),
        i18n.t("report.col_n", lang),
    ]
    rows = [
        [r.name, r.current_text, r.previous_text, r.change_text, r.n_text]
        for r in report.kpis.itertuples()
    ]
    table = _pptx_table(
        slide, Inches(0.8), Inches(1.5), Inches(11.7), headers, rows, size=14, numeric={1, 2, 3, 4}
    )
    _pptx_text(
        slide,
        Inches(0.8),
        table.top + table.height + Inches(0.15),
        Inches(11.7),
        Inches(0.5),
        [(_compared_text(report), {"size": 12, "color": "555555"})],
    )

    for chart in report.charts:
        slide = deck.slides.add_slide(blank)
        _slide_title(slide, chart.title, report.period_text)
        picture = _add_picture(slide, chart, Inches(0.8), Inches(1.4), Inches(11.7))
        _pptx_text(
            slide,
            Inches(0.8),
            picture.top + picture.height + Inches(0.15),
            Inches(11.7),
            Inches(0.6),
            [chart.caption],
            size=14,
        )

    for finding in report.findings:
        slide = deck.slides.add_slide(blank)
        _slide_title(slide, finding.title)
        table_top = Inches(1.35)
        if finding.chart is not None:
            picture = _add_picture(slide, finding.chart, Inches(0.4), Inches(1.35), Inches(7.2))
            table_top = picture.top + picture.height + Inches(0.1)
        labels = [
            _text("finding.what_label", lang),
            _text("finding.where", lang),
            _text("finding.why", lang),
        ]
        colon = "：" if lang == "zh" else ": "
        bullets = [
            (text, {"bullet": True, "size": 13, "space_after": 10, "label": f"{label}{colon}"})
            for label, text in zip(labels, finding.bullets, strict=False)
            if text
        ]
        if finding.story_text:  # the app's sentence for the day leads the slide
            bullets.insert(0, (finding.story_text, {"size": 14, "bold": True, "space_after": 10}))
        if finding.note:
            bullets.append(
                (
                    f"{_text('finding.note', lang)}{colon}{finding.note}",
                    {"size": 13, "bold": True, "color": "8A6100"},
                )
            )
        _pptx_text(slide, Inches(7.8), Inches(1.35), Inches(5.2), Inches(4.6), bullets)
        if finding.numbers is not None and not finding.numbers.empty:
            headers = [
                _text("numbers.kpi", lang),
                _text("numbers.shift" if finding.kind == "shift" else "numbers.day", lang),
                _text("numbers.baseline", lang),
                _text("numbers.change", lang),
            ]
            rows = [
                [r.name, r.day_text, r.baseline_text, r.change_text]
                for r in finding.numbers.itertuples()
            ]
            _pptx_table(
                slide,
                Inches(0.4),
                table_top,
                Inches(7.2),
                headers,
                rows,
                size=11,
                numeric={1, 2, 3},
            )
        notes = [finding.title, *finding.bullets]
        if finding.path:
            notes.append(_path_text(finding.path, lang))
        if finding.staffing_summary:
            notes.append(finding.staffing_summary)
        if finding.comparison_summary:
            notes.append(finding.comparison_summary)
        if finding.note:
            notes.append(f"{_text('finding.note', lang)}: {finding.note}")
        slide.notes_slide.notes_text_frame.text = "\n\n".join(notes)

    if report.teams is not None:
        slide = deck.slides.add_slide(blank)
        _slide_title(slide, _text("slide.teams", lang), _text("teams.intro", lang))
        metrics = [m for m in TEAM_METRICS if m in report.teams.columns]
        headers = [_text("col.team", lang), _text("col.calls", lang)] + [
            _kpi_name(m, lang) for m in metrics
        ]
        rows = []
        for _, row in report.teams.head(14).iterrows():
            cells = [str(row["team"]), i18n.format_number(row["answered"], "count", lang)]
            for m in metrics:
                arrow = {"above": " ▲", "below": " ▼"}.get(row[f"{m}_flag"], "")
                cells.append(_fmt(m, row[m], lang) + arrow)
            rows.append(cells)
        table = _pptx_table(
            slide,
            Inches(0.8),
            Inches(1.5),
            Inches(11.7),
            headers,
            rows,
            size=12,
            numeric=set(range(1, len(headers))),
        )
        if report.team_summaries:
            slide.notes_slide.notes_text_frame.text = "\n\n".join(report.team_summaries)
            top = table.top + table.height + Inches(0.3)
            if top + Inches(0.4) * len(report.team_summaries) <= deck.slide_height:
                # the funnel's conclusions on the slide when there is room under the table
                _pptx_text(
                    slide,
                    Inches(0.8),
                    top,
                    Inches(11.7),
                    deck.slide_height - top - Inches(0.2),
                    [(t, {"bullet": True, "size": 13}) for t in report.team_summaries],
                )

    if report.change_date is not None and report.improvement:
        slide = deck.slides.add_slide(blank)
        _slide_title(slide, _text("section.improvement", lang, date=_day_text(report.change_date)))
        if report.improvement_chart is not None:
            _add_picture(slide, report.improvement_chart, Inches(0.4), Inches(1.35), Inches(7.2))
        sentences = [
            (check.sentence_zh if lang == "zh" else check.sentence_en, {"bullet": True, "size": 14})
            for check in report.improvement
        ]
        _pptx_text(slide, Inches(7.8), Inches(1.35), Inches(5.2), Inches(4.6), sentences)

    buffer = bytes_io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- PNG, CSV, files


def chart_pngs(report: Report, scale: float = 2.0) -> dict[str, bytes]:
    """A PNG image of every chart of the report.

    Parameters
    ----------
    report : Report
    scale : float, default 2
        Pixel density (2 gives sharp images on slides and high-density screens).

    Returns
    -------
    dict
        ``{file name: PNG bytes}``, e.g. ``"01_service_level.png"``, numbered in the
        order of the document.
    """
    return {
        f"{index:02d}_{chart.key}.png": chart.png(scale)
        for index, chart in enumerate(report.all_charts, start=1)
    }


def chart_to_png(chart, scale: float = 2.0) -> bytes:
    """Any Altair chart (or Vega-Lite dict) as PNG bytes, Chinese text included.

    For the "download PNG" action of the app's charts: the same renderer as the report's
    images (vl-convert, offline), with a CJK font registered (:data:`FONT_DIRECTORIES`).

    Parameters
    ----------
    chart : altair.Chart or dict
        The chart, or its Vega-Lite specification with the data inline.
    scale : float, default 2
        Pixel density.

    Returns
    -------
    bytes
        A PNG image.

    Examples
    --------
    >>> image = chart_to_png(alt.Chart(pd.DataFrame({"x": [1, 2]})).mark_point().encode(x="x"))
    >>> image[:4]
    b'\\x89PNG'
    """
    spec = chart if isinstance(chart, dict) else chart.to_dict()
    return _vl_convert().vegalite_to_png(spec, scale=scale)


def png_zip(report: Report, scale: float = 2.0) -> bytes:
    """The PNG images of :func:`chart_pngs` in one zip archive.

    Returns
    -------
    bytes
        A zip file with one PNG per chart.
    """
    buffer = bytes_io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, image in chart_pngs(report, scale).items():
            archive.writestr(name, image)
    return buffer.getvalue()


#: First characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(value):
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv_bytes(frame: pd.DataFrame, *, index: bool = False) -> bytes:
    """A DataFrame as CSV that spreadsheets open safely: UTF-8 with BOM, formulas neutralised.

    Parameters
    ----------
    frame : DataFrame
    index : bool, default False
        Write the index too.

    Returns
    -------
    bytes
        The CSV encoded as UTF-8 with a byte-order mark (so Excel reads Chinese text
        correctly). Every text cell and header that starts with ``=``, ``+``, ``-``, ``@``,
        a tab or a carriage return is prefixed with a single quote, so a spreadsheet shows
        it as text instead of running it as a formula. Numbers are written as numbers.

    References
    ----------
    OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection

    Examples
    --------
    >>> frame = pd.DataFrame({"category": ['=HYPERLINK("http://x","y")', "Billing"], "n": [-1, 2]})
    >>> safe_csv_bytes(frame).decode("utf-8-sig").splitlines()
    ['category,n', '"\\'=HYPERLINK(""http://x"",""y"")",-1', 'Billing,2']
    """
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if values.dtype == object or isinstance(
            values.dtype, (pd.StringDtype, pd.CategoricalDtype)
        ):
            safe[column] = values.astype(object).map(_neutralise)
    safe.columns = [_neutralise(str(c)) if isinstance(c, str) else c for c in safe.columns]
    if index:
        safe.index = safe.index.map(_neutralise)
    return safe.to_csv(index=index).encode("utf-8-sig")


def write_report(
    report: Report,
    out_dir,
    formats=FORMATS,
    *,
    basename: str | None = None,
) -> list[Path]:
    """Write the report's files into a folder.

    Parameters
    ----------
    report : Report
    out_dir : str or Path
        Created when missing.
    formats : sequence of {"html", "pptx", "png"}
        "png" writes one image per chart into ``<basename>_charts/``.
    basename : str, optional
        Default ``ccmetrics_report_<first day>_<last day>``.

    Returns
    -------
    list of Path
        The files written.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format(s) {unknown}; choose from {list(FORMATS)}")
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    last = report.end - pd.Timedelta(days=1)
    basename = basename or f"ccmetrics_report_{_day_text(report.start)}_{_day_text(last)}"
    written = []
    if "html" in formats:
        path = folder / f"{basename}.html"
        path.write_text(report_html(report), encoding="utf-8")
        written.append(path)
    if "pptx" in formats:
        path = folder / f"{basename}.pptx"
        path.write_bytes(report_pptx(report))
        written.append(path)
    if "png" in formats:
        charts_dir = folder / f"{basename}_charts"
        charts_dir.mkdir(exist_ok=True)
        for name, image in chart_pngs(report).items():
            path = charts_dir / name
            path.write_bytes(image)
            written.append(path)
    return written
