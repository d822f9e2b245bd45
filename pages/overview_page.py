"""Overview: KPI tiles against the previous period, daily trend, heatmaps, breakdown table.

Every number comes from the cached aggregates of ``pages.common`` (``comparison``,
``daily``, ``slot_table``, ``breakdown``): from the app's 30-min × queue cube for call-level
data filtered by date range and queue, a breakdown by another dimension (team, agent,
category, ...) from the day × queue × <dimension> cube built the first time it is shown
(``common.aggregate_source``); threshold changes update the cubes, not rebuild them. On a
data set on an engine the tiles' comparison is asked of the engine (the days before may lie
before the period fetched; see ``pages.common.data``).
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd
import streamlit as st

from ccmetrics import kpi
from pages import common, journey_section, quality_section, story_panel, targets_section
from pages.common import tr

TILES_PER_ROW = 5
TREND_SELECTION = "pick_day"
HEATMAP_HEIGHT = 300

ctx = common.context()
st.title(tr("overview.title"))
st.caption(
    tr(
        "overview.window",
        start=ctx.start.isoformat(),
        end=ctx.end.isoformat(),
        days=ctx.days,
        queues=", ".join(map(common.md, ctx.queues)) if ctx.queues else tr("overview.all_queues"),
    )
)

days = common.daily(ctx)
if days.empty or days["offered"].sum() == 0:
    st.info(tr("overview.no_data"), icon=":material/filter_alt_off:")
    st.stop()
story_panel.show_story(ctx, common.selected_day(ctx))  # the same sentence as every page

# --------------------------------------------------------------------------- KPI tiles
compared = common.comparison(ctx).set_index("kpi")
missing = kpi.missing_inputs(ctx.dataset.frame)
previous_start = ctx.start - dt.timedelta(days=ctx.days)
previous_complete = previous_start >= ctx.dataset.data_first_day
if previous_complete:
    st.caption(
        tr(
            "overview.compared_with",
            start=previous_start.isoformat(),
            end=(ctx.start - dt.timedelta(days=1)).isoformat(),
        )
    )
else:
    st.caption(tr("overview.no_previous"))


def _help(name: str) -> str:
    """The definition shown when hovering a tile, with the settings in force."""
    s = ctx.settings
    if name == "service_level":
        return tr(
            "kpi_help.service_level",
            threshold=f"{s.sl_threshold_s:g}",
            formula=tr(f"formula_expr.{s.sl_formula}"),
        )
    if name == "abandon_rate":
        return tr("kpi_help.abandon_rate", short=f"{s.short_abandon_s:g}")
    if name == "aht_s":
        split = tr(
            "aht.split",
            talk=common.fmt("talk_s", compared.loc["talk_s", "current"]),
            hold=common.fmt("hold_s", compared.loc["hold_s", "current"]),
            acw=common.fmt("acw_s", compared.loc["acw_s", "current"]),
        )
        return tr("kpi_help.aht_s", split=split)
    if name == "fcr_rate":
        return tr("kpi_help.fcr_rate", window=f"{s.fcr_window_h:g}")
    if name == "csat_mean":
        return tr(
            "kpi_help.csat_mean",
            top2=common.fmt("csat_top2box", compared.loc["csat_top2box", "current"]),
        )
    return tr(f"kpi_help.{name}")


shown = [(name, sense) for name, sense in common.TILES if name not in missing]
for row_start in range(0, len(shown), TILES_PER_ROW):
    columns = st.columns(TILES_PER_ROW)
    for column, (name, sense) in zip(
        columns, shown[row_start : row_start + TILES_PER_ROW], strict=False
    ):
        row = compared.loc[name]
        delta = None
        if previous_complete and row["n_previous"] > 0:
            delta = common.fmt_change(name, row["change"])
        rounds_to_zero = delta is not None and not any(
            ch in "123456789" for ch in delta.split(" ")[0]
        )
        with column.container(border=True):
            st.metric(
                tr(f"tile.{name}"),
                common.fmt(name, row["current"]),
                delta=delta,
                delta_color="off" if rounds_to_zero else sense,
                delta_arrow="off" if rounds_to_zero else "auto",
                help=_help(name),
            )
            st.caption(tr("tile.n", n=common.fmt_count(row["n_current"])))
            targets_section.tile_light(ctx, name, row["current"], row["n_current"])

hidden = [name for name, _ in common.TILES if name in missing]
if hidden:
    with st.expander(
        tr("overview.hidden_title", count=len(hidden)), icon=":material/visibility_off:"
    ):
        lines = [tr("overview.hidden_intro")]
        for name in hidden:
            fields = tr("overview.or").join(
                f"`{tr(f'field.{c}') if common.has_field(c) else c}`" for c in missing[name]
            )
            lines.append("- " + tr("overview.hidden_item", kpi=tr(f"kpi.{name}"), columns=fields))
        st.markdown("\n".join(lines))

quality_section.overview_section(ctx)  # cost and quality tiles, when the data has them

# --------------------------------------------------------------------------- daily trend
st.subheader(tr("overview.trend_title"))
trend = pd.DataFrame(
    {
        "date": pd.to_datetime(days["period"]),
        "day": pd.to_datetime(days["period"]).dt.strftime("%Y-%m-%d"),
        "weekday": [tr(f"weekday.{d}") for d in pd.to_datetime(days["period"]).dt.day_of_week],
        "offered": days["offered"].astype(float),
        "service_level": days["service_level"].astype(float),
    }
)
target = ctx.settings.sl_target
pick = alt.selection_point(name=TREND_SELECTION, fields=["day"], on="click")
x = alt.X(
    "day:O",
    title=tr("axis.day"),
    axis=alt.Axis(labelExpr="slice(datum.value, 5)", labelAngle=0, labelOverlap="parity"),
)
tooltip = [
    alt.Tooltip("day:N", title=tr("axis.day")),
    alt.Tooltip("weekday:N", title=tr("axis.weekday")),
    alt.Tooltip("offered:Q", title=tr("axis.offered"), format=",.0f"),
    alt.Tooltip("service_level:Q", title=tr("axis.service_level"), format=".1%"),
]
bars = (
    alt.Chart(trend)
    .mark_bar(color="#9ecae1", cursor="pointer")
    .encode(
        x=x,
        y=alt.Y(
            "offered:Q",
            title=tr("axis.offered"),
            axis=alt.Axis(titleColor="#3182bd", **common.HORIZONTAL_TITLE),
        ),
        opacity=alt.condition(pick, alt.value(1.0), alt.value(0.45)),
        tooltip=tooltip,
    )
    .add_params(pick)
)
sl_scale = alt.Scale(domain=[0, 1])
sl_line = (
    alt.Chart(trend)
    .mark_line(color="#d62728", point=alt.OverlayMarkDef(color="#d62728", size=30))
    .encode(
        x=x,
        y=alt.Y(
            "service_level:Q",
            title=tr("axis.service_level"),
            scale=sl_scale,
            axis=alt.Axis(format="%", titleColor="#d62728", **common.HORIZONTAL_TITLE),
        ),
        tooltip=tooltip,
    )
)
target_frame = pd.DataFrame(
    {
        "target": [target],
        "day": [trend["day"].iloc[-1]],
        "label": [tr("overview.target", target=common.fmt("service_level", target))],
    }
)
target_rule = (
    alt.Chart(target_frame)
    .mark_rule(color="#d62728", strokeDash=[6, 4])
    .encode(y=alt.Y("target:Q", scale=sl_scale))
)
target_text = (
    alt.Chart(target_frame)
    .mark_text(
        align="right", baseline="bottom", dy=-4, color="#d62728", fontSize=12, fontWeight="bold"
    )
    .encode(x=x, y=alt.Y("target:Q", scale=sl_scale), text="label:N")
)
trend_chart = (
    alt.layer(bars, alt.layer(sl_line, target_rule, target_text))
    .resolve_scale(y="independent")
    .properties(height=320)
)
event = st.altair_chart(
    trend_chart,
    on_select="rerun",
    selection_mode=TREND_SELECTION,
    key="trend_chart",
    width="stretch",
)
common.png_download(trend_chart, f"overview_trend_{ctx.start}_{ctx.end}", key="trend_chart")
picked = (event.selection.get(TREND_SELECTION) if event else None) or []
if picked and picked[0].get("day"):
    common.open_drilldown(str(picked[0]["day"]))

st.caption(tr("overview.trend_hint"))
left, right = st.columns([3, 1], vertical_alignment="bottom")
with left:
    choice = st.selectbox(
        tr("overview.open_day"),
        options=list(trend["day"]),
        index=len(trend) - 1,
        key="open_day_choice",
    )
with right:
    if st.button(
        tr("overview.open_day_button"), icon=":material/account_tree:", key="open_day_button"
    ):
        common.open_drilldown(choice)

# --------------------------------------------------------------------------- heatmaps
st.subheader(tr("overview.heatmap_title"))
slots = common.slot_table(ctx)
weekday_names = [tr(f"weekday.{d}") for d in range(7)]
heat = slots.assign(weekday_name=[weekday_names[int(d)] for d in slots["weekday"]])
slot_axis = alt.X(
    "slot:O",
    title=tr("axis.slot"),
    axis=alt.Axis(
        labelExpr="slice(datum.value, 3) == '00' ? slice(datum.value, 0, 2) : ''", labelAngle=0
    ),
)
weekday_axis = alt.Y(
    "weekday_name:O", title=None, sort=weekday_names, axis=alt.Axis(labelOverlap=False)
)
heat_tooltip = [
    alt.Tooltip("weekday_name:N", title=tr("axis.weekday")),
    alt.Tooltip("slot:N", title=tr("axis.slot")),
    alt.Tooltip("offered_per_day:Q", title=tr("axis.offered_per_day"), format=",.1f"),
    alt.Tooltip("service_level:Q", title=tr("axis.service_level"), format=".1%"),
]
volume_col, sl_col = st.columns(2)
with volume_col:
    st.markdown(f"**{tr('overview.heatmap_volume')}**")
    volume_heat = (
        alt.Chart(heat)
        .mark_rect()
        .encode(
            x=slot_axis,
            y=weekday_axis,
            color=alt.Color(
                "offered_per_day:Q",
                title=tr("axis.offered_per_day"),
                scale=alt.Scale(scheme="blues"),
                legend=alt.Legend(orient="bottom", gradientLength=220, titleOrient="left"),
            ),
            tooltip=heat_tooltip,
        )
        .properties(height=HEATMAP_HEIGHT)
    )
    st.altair_chart(volume_heat, width="stretch")
    common.png_download(volume_heat, f"overview_volume_{ctx.start}_{ctx.end}", key="volume_heat")
with sl_col:
    st.markdown(f"**{tr('overview.heatmap_sl')}**")
    sl_heat = (
        alt.Chart(heat)
        .mark_rect()
        .encode(
            x=slot_axis,
            y=weekday_axis,
            color=alt.Color(
                "service_level:Q",
                title=tr("axis.service_level"),
                scale=alt.Scale(scheme="redyellowgreen", domainMid=target),
                legend=alt.Legend(
                    format=".0%", orient="bottom", gradientLength=220, titleOrient="left"
                ),
            ),
            tooltip=heat_tooltip,
        )
        .properties(height=HEATMAP_HEIGHT)
    )
    st.altair_chart(sl_heat, width="stretch")
    common.png_download(sl_heat, f"overview_service_level_{ctx.start}_{ctx.end}", key="sl_heat")

# --------------------------------------------------------------------------- journey
journey_section.show(ctx)

# --------------------------------------------------------------------------- breakdown
st.subheader(tr("overview.breakdown_title"))
dims = common.dimensions_present(ctx.dataset.frame)
if dims:
    by = (
        st.segmented_control(
            tr("overview.breakdown_by"),
            options=dims,
            format_func=common.labeller("dim."),
            default=dims[0],
            key="breakdown_by",
        )
        or dims[0]
    )
    table = common.breakdown(ctx, by=by).sort_values("offered", ascending=False)
    keys = [by]
else:
    by = "day"
    table = days
    keys = ["period"]
st.caption(tr("overview.breakdown_help"))
common.kpi_table(
    table,
    keys,
    download_name=f"ccmetrics_{by}_{ctx.start.isoformat()}_{ctx.end.isoformat()}.csv",
    key="breakdown",
)
