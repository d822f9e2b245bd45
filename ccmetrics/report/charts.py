"""The report's charts: Vega-Lite specs drawn with Altair, rendered to SVG and PNG by vl-convert.

Chinese text in PNG images needs a CJK font: the renderer registers the first font folder of
:data:`FONT_DIRECTORIES` that exists and Chinese reports ask for :data:`FONT_STACK` (English
ones for :data:`FONT_STACK_EN`).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import altair as alt
import numpy as np
import pandas as pd

from ccmetrics import i18n, kpi
from ccmetrics.cube import time_column
from ccmetrics.kpi import KPI_DECIMALS
from ccmetrics.report.period import _in_period
from ccmetrics.report.text import _day_text, _fmt, _kpi_name, _list_separator, _text
from ccmetrics.schema import KpiSettings

if TYPE_CHECKING:  # a type only: findings imports this module
    from ccmetrics.report.findings import Finding


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


_COLOR_VALUE = "#1f5fa8"
_COLOR_SIGNAL = "#d62728"
_COLOR_LIMIT = "#7f7f7f"
_COLOR_BAND = "#d5deea"
_COLOR_TARGET = "#2ca02c"
_COLOR_BASELINE = "#9e9e9e"
_CHART_WIDTH = 640
_CHART_HEIGHT = 220


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
    day_label = finding.id
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
