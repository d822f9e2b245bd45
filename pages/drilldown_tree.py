"""The Drill-down page's decomposition tree: one level per dimension, walked by clicks.

:func:`tree_section` draws the levels from the root to the node of the path in the
URL (``dd_path``, ``dd_split``); which node a link names and which dimension
opens it come from :func:`ccmetrics.drill.resolve_path` and
:func:`ccmetrics.drill.default_split`, each level's numbers from
:func:`ccmetrics.drill.decompose` (cached in :mod:`pages.drilldown_sections`).
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st

from ccmetrics import drill, kpi
from pages import common
from pages.common import tr
from pages.drilldown_sections import tree_level
from pages.drilldown_state import (
    adjust_names,
    decode_path,
    node_text,
    p_text,
    percent,
    set_path,
    sig,
    value_text,
)

__all__ = [
    "tree_section",
]

#: Bars drawn per tree level (the largest impacts; the selectbox lists every value).
MAX_BARS = 15
PICK = "dd_pick"
SIGNIFICANT_COLOR = "#2b6cb0"
NOT_SIGNIFICANT_COLOR = "#bcd4ea"
BAND_COLOR = "#d9d9d9"
ON_PATH_COLOR = "#dd6b20"


def _on_bar_picked(chart_key: str, prefix: list, dim: str, values: list) -> None:
    event = st.session_state.get(chart_key)
    picked = (event.selection.get(PICK) if event else None) or []
    if picked and picked[0].get("row") is not None:
        row = int(picked[0]["row"])
        set_path([*prefix, (dim, values[row])])
    else:
        set_path(prefix, dim)


def _on_value_picked(widget_key: str, prefix: list, dim: str, values: list) -> None:
    row = st.session_state.get(widget_key)
    if row is None or row < 0:
        set_path(prefix, dim)
    else:
        set_path([*prefix, (dim, values[row])])


def _on_split_picked(widget_key: str) -> None:
    common.set_page_param("dd_split", st.session_state.get(widget_key))


def _on_clear_path() -> None:
    set_path([])


def _level_data(level: pd.DataFrame, metric: str, chosen: int | None) -> pd.DataFrame:
    """The bars of one tree level (``drill.level_bars``) with their texts and tooltips."""
    order, low, high = drill.level_bars(level, metric, MAX_BARS, chosen)
    part = level.iloc[order]
    status = [
        tr("dd.bar_on_path")
        if row == chosen
        else tr("dd.bar_significant")
        if significant
        else tr("dd.bar_not_significant")
        for row, significant in zip(order, part["significant"], strict=True)
    ]
    data = pd.DataFrame(
        {
            "row": order,
            "label": [value_text(v) for v in part["value"]],
            "window": part["rate_anomaly"].astype(float).to_numpy(),
            "baseline": part["rate_baseline"].astype(float).to_numpy(),
            "low": low.to_numpy(),
            "high": high.to_numpy(),
            "status": status,
            "text": [tr("dd.bar_text", share=percent(s)) for s in part["explained_share"]],
            "t_window": [common.fmt(metric, v) for v in part["rate_anomaly"]],
            "t_baseline": [common.fmt(metric, v) for v in part["rate_baseline"]],
            "t_band": [
                f"{common.fmt(metric, a)} – {common.fmt(metric, b)}"
                for a, b in zip(low, high, strict=True)
            ],
            "t_n": [
                f"{common.fmt_count(a)} / {common.fmt_count(b)}"
                for a, b in zip(part["n_anomaly"], part["n_baseline"], strict=True)
            ],
            "t_p": [p_text(p) for p in part["p_adjusted"]],
        }
    )
    data["right"] = data[["window", "baseline", "high"]].max(axis=1)
    return data


def _level_chart(level: pd.DataFrame, metric: str, chosen: int | None) -> alt.LayerChart:
    """One tree level: the window's value per bar, baseline tick, noise band, impact text."""
    unit = kpi.KPI_UNITS.get(metric, "score")
    data = _level_data(level, metric, chosen)
    top = float(data["right"].max()) if len(data) else 1.0
    top = top if math.isfinite(top) and top > 0 else 1.0
    data["zero"] = 0.0
    data["end"] = top * 1.3
    x_scale = alt.Scale(domain=[0, top * 1.3], nice=False)
    axis_format = ".0%" if unit == "percent" else ",.0f" if unit in ("seconds", "count") else ".2f"
    # percentages: room on the right for the text, but no tick beyond 100 %
    ticks = [i / 5 for i in range(6)] if unit == "percent" and top * 1.3 > 1 else alt.Undefined
    name = tr(f"tile.{metric}")
    axis_title = (
        tr("header.percent", name=name)
        if unit == "percent"
        else tr("header.seconds", name=name)
        if unit == "seconds"
        else name
    )
    y = alt.Y(
        "label:N",
        sort=list(data["label"]),
        title=None,
        axis=alt.Axis(labelLimit=260, labelFontSize=12),
    )
    tooltip = [
        alt.Tooltip("label:N", title=tr("dd.tip_value")),
        alt.Tooltip("t_window:N", title=tr("dd.tip_window")),
        alt.Tooltip("t_baseline:N", title=tr("dd.tip_baseline")),
        alt.Tooltip("t_band:N", title=tr("dd.tip_band")),
        alt.Tooltip("text:N", title=tr("dd.tip_impact")),
        alt.Tooltip("t_n:N", title=tr("dd.tip_n")),
        alt.Tooltip("t_p:N", title=tr("dd.tip_p")),
    ]
    band = (
        alt.Chart(data)
        .mark_bar(color=BAND_COLOR, opacity=0.8, size=24)
        .encode(y=y, x=alt.X("low:Q", scale=x_scale), x2="high:Q")
    )
    bars = (
        alt.Chart(data)
        .mark_bar(size=14)
        .encode(
            y=y,
            x=alt.X(
                "window:Q",
                scale=x_scale,
                title=axis_title,
                axis=alt.Axis(format=axis_format, titleAnchor="start", values=ticks, tickCount=6),
            ),
            color=alt.Color(
                "status:N",
                title=None,
                scale=alt.Scale(
                    domain=[
                        tr("dd.bar_significant"),
                        tr("dd.bar_not_significant"),
                        tr("dd.bar_on_path"),
                    ],
                    range=[SIGNIFICANT_COLOR, NOT_SIGNIFICANT_COLOR, ON_PATH_COLOR],
                ),
                legend=alt.Legend(orient="top"),
            ),
        )
    )
    tick = (
        alt.Chart(data)
        .mark_tick(color="#222222", thickness=3, size=26)
        .encode(y=y, x=alt.X("baseline:Q", scale=x_scale))
    )
    text = (
        alt.Chart(data)
        .mark_text(align="left", dx=6, fontSize=11, color="#444444")
        .encode(y=y, x=alt.X("right:Q", scale=x_scale), text="text:N")
    )
    pick = alt.selection_point(name=PICK, fields=["row"], on="click", clear=False)
    hit = (
        alt.Chart(data)
        .mark_bar(opacity=0, size=28, cursor="pointer")
        .encode(y=y, x=alt.X("zero:Q", scale=x_scale), x2="end:Q", tooltip=tooltip)
        .add_params(pick)
    )
    return alt.layer(band, bars, tick, text, hit).properties(height=alt.Step(34))


@dataclass(frozen=True)
class _Level:
    """One level of the tree as drawn: where it hangs and how it splits."""

    index: int
    prefix: list
    dim: str
    remaining: list
    opened: bool  # the path goes on below this level (its dimension is fixed)
    table: pd.DataFrame
    chosen: int | None  # the row of the value on the path


def _path_in_force(frame: pd.DataFrame, dims: list[str]) -> list:
    """The path of the URL matched to the data; a broken or unknown one is cut and said."""
    try:
        items = decode_path(common.page_param("dd_path"))
        broken = False
    except ValueError:
        items, broken = [], True
    path, unknown = drill.resolve_path(items, frame, dims)
    if broken or unknown:
        st.warning(
            common.tr_md("dd.path_unknown", path=common.page_param("dd_path") or ""),
            icon=":material/link_off:",
        )
        set_path(path)
    return path


def _split_picker(level: _Level) -> None:
    """The dimension splitting the last level (a choice), or the one fixed by the path."""
    if level.opened:
        st.markdown(tr("dd.split_by_fixed", dim=tr(f"dim.{level.dim}")))
        return
    split_key = f"dd_split_pick_{sig(level.prefix)}"
    st.session_state[split_key] = level.dim
    st.segmented_control(
        tr("dd.split_by"),
        options=level.remaining,
        format_func=common.labeller("dim."),
        key=split_key,
        required=True,
        on_change=_on_split_picked,
        args=(split_key,),
    )


def _value_picker(level: _Level, key_parts: tuple) -> None:
    """The selectbox opening a value of the level (every value, the chart the largest)."""
    values = list(level.table["value"])
    value_key = f"dd_value_pick_{level.index}_{sig(key_parts, level.prefix, level.dim)}"
    st.session_state[value_key] = -1 if level.chosen is None else level.chosen
    labels = {-1: tr("dd.tree_none")}
    for row, (value, share) in enumerate(zip(values, level.table["explained_share"], strict=True)):
        labels[row] = tr("dd.tree_option", value=value_text(value), share=percent(share))
    st.selectbox(
        tr("dd.open_value", dim=tr(f"dim.{level.dim}")),
        options=[-1, *range(len(values))],
        format_func=labels.get,
        key=value_key,
        on_change=_on_value_picked,
        args=(value_key, level.prefix, level.dim, values),
    )


def _level_box(level: _Level, metric: str, key_parts: tuple) -> None:
    """One level in a box: its node, the split, the bars (clickable) and the value picker."""
    node = level.table.attrs.get("node", {})
    with st.container(border=True):
        st.markdown(
            tr(
                "dd.level_title",
                level=level.index + 1,
                node=common.md(node_text(level.prefix)),
                value=common.fmt(metric, node.get("value_anomaly")),
                baseline=common.fmt(metric, node.get("value_baseline")),
                n=common.fmt_count(node.get("n_anomaly")),
            )
        )
        _split_picker(level)
        if level.table.empty:
            st.caption(tr("dd.level_empty"))
            return
        values = list(level.table["value"])
        chart_key = f"dd_tree_{level.index}_{sig(key_parts, level.prefix, level.dim, level.chosen)}"
        level_chart = _level_chart(level.table, metric, level.chosen)
        st.altair_chart(
            level_chart,
            width="stretch",
            key=chart_key,
            on_select=functools.partial(_on_bar_picked, chart_key, level.prefix, level.dim, values),
            selection_mode=PICK,
        )
        common.png_download(
            level_chart, f"drilldown_{metric}_{level.dim}", key=f"dd_tree_{level.index}"
        )
        if len(level.table) > MAX_BARS:
            st.caption(tr("dd.level_more", shown=MAX_BARS, count=len(level.table)))
        _value_picker(level, key_parts)


def tree_section(ctx, e, frame, metric, p_adjust, dims) -> list:
    """Walk the decomposition tree; returns the path (list of (dim, value)) in force."""
    st.subheader(tr("dd.tree_title"))
    if not dims:
        st.info(tr("dd.tree_no_dims"))
        return []
    path = _path_in_force(frame, dims)
    st.caption(tr("dd.tree_help"))
    st.caption(tr("dd.tree_legend", method=adjust_names()[p_adjust]))
    key_parts = (ctx.dataset.key, ctx.queues, e.anomaly, metric, p_adjust, ctx.settings)
    baseline = tuple(tuple(w) for w in e.baseline)
    for index in range(len(path) + 1):
        prefix = path[:index]
        remaining = [d for d in dims if d not in {p for p, _ in prefix}]
        opened = index < len(path)
        if opened:
            dim = path[index][0]
        else:
            if not remaining:
                st.caption(tr("dd.tree_end"))
                break
            split = common.page_param("dd_split")
            dim = split if split in remaining else drill.default_split(e.table, prefix, remaining)
        table = tree_level(
            ctx.dataset.key,
            ctx.queues,
            e.anomaly[0],
            e.anomaly[1],
            baseline,
            dim,
            metric,
            ctx.settings,
            tuple(prefix),
            p_adjust,
            _frame=frame,
        )
        chosen = None
        if opened:
            chosen = next(
                (
                    row
                    for row, value in enumerate(table["value"])
                    if drill.same_value(value, path[index][1])
                ),
                None,
            )
        level = _Level(index, prefix, dim, remaining, opened, table, chosen)
        _level_box(level, metric, key_parts)
    if path:
        st.button(
            tr("dd.tree_clear"),
            icon=":material/restart_alt:",
            on_click=_on_clear_path,
            key="dd_clear",
        )
    return path
