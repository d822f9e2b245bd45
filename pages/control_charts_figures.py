"""The Control charts page's figures: the chart of one KPI and the signal map of an
interval chart (Altair), drawn from :func:`ccmetrics.spc.kpi_chart` and
:func:`ccmetrics.spc.signal_map`.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ccmetrics import i18n, kpi, spc
from pages import common
from pages.common import tr
from pages.control_charts_labels import (
    axis_title,
    kpi_text,
    point_ids,
    point_label,
    rules_text,
    value_format,
)

__all__ = [
    "SELECTION",
    "plot_frame",
    "chart_figure",
    "signal_map_figure",
]

#: The name of the point selection of a chart (a click on a signal).
SELECTION = "cc_pick"
SIGNAL_COLOR = "#d62728"
POINT_COLOR = "#4c78a8"
LIMIT_COLOR = "#d62728"
CENTER_COLOR = "#2ca02c"


def plot_frame(chart: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """One row per point: id, label, value, n, limits, signal and the rules in words."""
    ids = point_ids(chart.index, granularity)
    return pd.DataFrame(
        {
            "point_id": ids,
            "when": [point_label(i, granularity) for i in ids],
            "value": chart["value"].to_numpy(dtype=float),
            "n": chart["n"].to_numpy(dtype=float),
            "center": chart["center"].to_numpy(dtype=float),
            "lcl": chart["lcl"].to_numpy(dtype=float),
            "ucl": chart["ucl"].to_numpy(dtype=float),
            "signal": chart["signal"].to_numpy(dtype=bool),
            "status": [tr("cc.signal") if s else tr("cc.no_signal") for s in chart["signal"]],
            "rules_text": [rules_text(str(r)) for r in chart["rules"]],
            "excluded": [tr("cc.yes") if e else "" for e in chart["excluded"]],
            "phase": chart["phase"].astype(str).to_numpy(),
        }
    )


def _limit_lines(points: pd.DataFrame, x: alt.X, y_scale: alt.Scale, compact: bool):
    """The control limits and center line of each phase, stepped, named in the legend."""
    names = {"ucl": tr("cc.line.ucl"), "center": tr("cc.line.center"), "lcl": tr("cc.line.lcl")}
    limits = points.melt(
        id_vars=["point_id", "phase"],
        value_vars=["ucl", "center", "lcl"],
        var_name="line",
        value_name="y",
    )
    limits["line_name"] = limits["line"].map(names)
    limits["line_group"] = limits["line"] + "/" + limits["phase"]
    order = [names["ucl"], names["center"], names["lcl"]]
    return (
        alt.Chart(limits)
        .mark_line(interpolate="step", strokeWidth=1.4)
        .encode(
            x=x,
            y=alt.Y("y:Q", scale=y_scale),
            color=alt.Color(
                "line_name:N",
                scale=alt.Scale(domain=order, range=[LIMIT_COLOR, CENTER_COLOR, LIMIT_COLOR]),
                legend=None if compact else alt.Legend(title=None, orient="top"),
            ),
            strokeDash=alt.StrokeDash(
                "line_name:N",
                scale=alt.Scale(domain=order, range=[[5, 4], [1, 0], [5, 4]]),
                legend=None,
            ),
            detail="line_group:N",
        )
    )


def _tooltip(kpi_name: str, chart: str, fmt: str) -> list:
    """The tooltip of a point: period, value, n, limits, the rules that fired, left out."""
    n_title = tr(f"kpi.{kpi.KPI_BASE[kpi_name]}") if kpi_name in kpi.KPI_BASE else tr("cc.col_n")
    return [
        alt.Tooltip("when:N", title=tr("cc.tip.period")),
        alt.Tooltip("value:Q", title=axis_title(kpi_name, chart), format=fmt),
        alt.Tooltip("n:Q", title=n_title, format=",.0f"),
        alt.Tooltip("ucl:Q", title=tr("cc.line.ucl"), format=fmt),
        alt.Tooltip("center:Q", title=tr("cc.line.center"), format=fmt),
        alt.Tooltip("lcl:Q", title=tr("cc.line.lcl"), format=fmt),
        alt.Tooltip("rules_text:N", title=tr("cc.tip.rules")),
        alt.Tooltip("excluded:N", title=tr("cc.tip.excluded")),
    ]


def chart_figure(
    points: pd.DataFrame,
    kpi_name: str,
    chart: str,
    granularity: str,
    *,
    height: int,
    compact: bool = False,
    change_id: str | None = None,
) -> alt.LayerChart:
    """Layered chart: value line, points coloured by signal, center line, stepped limits."""
    fmt = value_format(kpi_name, chart)
    label_expr = (
        "replace(slice(datum.value, 5), 'T', ' ')"
        if granularity == "interval"
        else "slice(datum.value, 5)"
    )
    axis = (
        alt.Axis(labels=False, ticks=False)
        if compact
        else alt.Axis(labelExpr=label_expr, labelAngle=0, labelOverlap="greedy")
    )
    x = alt.X("point_id:O", title=None, axis=axis)
    y_axis = alt.Axis(format=".0%" if fmt == ".1%" else "~s", **common.HORIZONTAL_TITLE)
    if compact:
        y_axis = alt.Axis(format=".0%" if fmt == ".1%" else "~s", title=None)
    y_scale = alt.Scale(zero=False)
    base = alt.Chart(points)
    line = base.mark_line(color=POINT_COLOR, strokeWidth=1.2).encode(
        x=x,
        y=alt.Y(
            "value:Q",
            title=None if compact else axis_title(kpi_name, chart),
            axis=y_axis,
            scale=y_scale,
        ),
        detail="phase:N",
    )
    limit_lines = _limit_lines(points, x, y_scale, compact)
    tooltip = _tooltip(kpi_name, chart, fmt)
    status_order = [tr("cc.no_signal"), tr("cc.signal")]
    dots = base.mark_circle(size=14 if compact else 28, opacity=0.9).encode(
        x=x,
        y=alt.Y("value:Q", scale=y_scale),
        color=alt.Color(
            "status:N",
            scale=alt.Scale(domain=status_order, range=[POINT_COLOR, SIGNAL_COLOR]),
            legend=None if compact else alt.Legend(title=None, orient="top"),
        ),
        tooltip=tooltip,
    )
    pick = alt.selection_point(name=SELECTION, fields=["point_id"], on="click")
    signals = (
        alt.Chart(points[points["signal"]])
        .mark_circle(size=50 if compact else 110, color=SIGNAL_COLOR, cursor="pointer", opacity=1)
        .encode(x=x, y=alt.Y("value:Q", scale=y_scale), tooltip=tooltip)
        .add_params(pick)
    )
    layers = [limit_lines, line, dots, signals]
    if compact:  # small multiples: the limits as a light band, easier to read at this size
        band = base.mark_area(interpolate="step", color="#9e9e9e", opacity=0.22).encode(
            x=x, y=alt.Y("lcl:Q", scale=y_scale), y2="ucl:Q", detail="phase:N"
        )
        center = base.mark_line(interpolate="step", color=CENTER_COLOR, strokeWidth=1).encode(
            x=x, y=alt.Y("center:Q", scale=y_scale), detail="phase:N"
        )
        layers = [band, center, line, dots, signals]
    if change_id is not None:
        change_rule = (
            alt.Chart(pd.DataFrame({"point_id": [change_id]}))
            .mark_rule(color="#7f7f7f", strokeDash=[2, 2])
            .encode(x=x, tooltip=alt.Tooltip("point_id:N", title=tr("cc.line.change")))
        )
        layers.insert(0, change_rule)
    return (
        alt.layer(*layers)
        .resolve_scale(color="independent", strokeDash="independent")
        .properties(height=height)
    )


def signal_map_figure(chart: pd.DataFrame, kpi_name: str) -> alt.LayerChart:
    """Heat map of an interval chart: one row per day, one column per time slot."""
    cells = spc.signal_map(chart)
    language = common.lang()
    cells["day_label"] = [
        f"{d.strftime('%m-%d')} {i18n.t(f'weekday.{d.day_of_week}', language)}"
        for d in cells["day"]
    ]
    cells["when"] = [
        f"{d.strftime('%Y-%m-%d')} {s}" for d, s in zip(cells["day"], cells["slot"], strict=True)
    ]
    cells["value_text"] = [kpi_text(kpi_name, v) for v in cells["value"]]
    cells["z_shown"] = cells["z"].clip(-6, 6)
    days = list(dict.fromkeys(cells["day_label"]))
    x = alt.X("slot:O", title=tr("cc.map_slot"), axis=alt.Axis(labelAngle=-90))
    y = alt.Y("day_label:O", title=tr("cc.map_day"), sort=days)
    tooltip = [
        alt.Tooltip("when:N", title=tr("cc.tip.period")),
        alt.Tooltip("value_text:N", title=tr(f"kpi.{kpi_name}")),
        alt.Tooltip("z:Q", title=tr("cc.map_z"), format="+.1f"),
    ]
    heat = (
        alt.Chart(cells)
        .mark_rect()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "z_shown:Q",
                title=tr("cc.map_z"),
                scale=alt.Scale(scheme="redblue", reverse=True, domain=[-6, 6]),
            ),
            tooltip=tooltip,
        )
    )
    outline = (
        alt.Chart(cells[cells["signal"]])
        .mark_rect(filled=False, stroke="#000000", strokeWidth=1.5)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    # one row of fixed height per day (a fixed chart height squeezed a week into 60 px)
    return alt.layer(heat, outline).properties(height=alt.Step(18))
