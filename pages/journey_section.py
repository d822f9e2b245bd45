"""The Overview's journey section: the stages of a call and the IVR menu.

Called with one line from ``pages/overview_page.py``. Every number comes from
:mod:`ccmetrics.journey` (``journey_stages``, ``journey_trend``, ``menu_ranking``,
``topic_ranking``) on the calls of the window and queues in force; this module only
lays them out. Menu options and topics come from the data: they are shown in
``st.dataframe`` cells and chart text (plain text), and escaped (``common.md``) in
Markdown.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from ccmetrics import i18n, journey
from pages import common
from pages.common import tr, tr_md

__all__ = ["show", "TREND_DAYS_MAX", "CHART_TIME", "CHART_LOST"]

#: Windows up to this many days get a daily trend, longer ones a weekly trend.
TREND_DAYS_MAX = 92
#: ``usermeta.chart`` names of the two trend charts (tests find the charts by them).
CHART_TIME = "journey_time"
CHART_LOST = "journey_lost"


@st.cache_data(show_spinner=False, max_entries=8)
def _journey(key, queues, start, end, settings, freq, _frame):
    """The section's tables for one window (cached per dataset, window, queues and settings)."""
    calls = _frame
    stages = journey.journey_stages(calls, settings)
    trend = journey.journey_trend(calls, freq, settings)
    has_path = "ivr_path" in calls.columns and calls["ivr_path"].notna().any()
    menu = journey.menu_ranking(calls) if has_path else None
    has_topics = has_path and "category" in calls.columns and calls["category"].notna().any()
    top_options = int((menu["level"] == "top").sum()) if menu is not None else 0
    topics = journey.topic_ranking(calls, top=top_options) if has_topics else None
    return stages, trend, menu, topics, top_options


def _seconds(value) -> str:
    return i18n.format_number(value, "seconds", common.lang())


def _share(value) -> str:
    return i18n.format_number(value, "percent", common.lang())


def _stage_tiles(stages: pd.DataFrame, short_seconds: float) -> None:
    columns = st.columns(len(stages))
    for column, (_, row) in zip(columns, stages.iterrows(), strict=True):
        with column.container(border=True):
            # Markdown, not st.metric: the Overview's metrics are its KPI tiles
            name = tr(f"journey.stage.{row['stage']}")
            st.markdown(f"**{name}**", help=tr("journey.time_help"))
            st.markdown(f"### {_seconds(row['mean_s'])}")
            lines = [
                tr("journey.mean_time", n=common.fmt_count(row["time_n"])),
                tr("journey.entered", n=common.fmt_count(row["entered"])),
            ]
            if pd.notna(row["contained"]):
                lines.append(
                    tr(
                        "journey.contained",
                        n=common.fmt_count(row["contained"]),
                        share=_share(row["contained_share"]),
                    )
                )
            if pd.notna(row["lost"]):
                if pd.notna(row["lost_short"]):
                    lines.append(
                        tr(
                            "journey.lost_short",
                            n=common.fmt_count(row["lost"]),
                            share=_share(row["lost_share"]),
                            short=common.fmt_count(row["lost_short"]),
                            seconds=f"{short_seconds:g}",
                        )
                    )
                else:
                    lines.append(
                        tr(
                            "journey.lost",
                            n=common.fmt_count(row["lost"]),
                            share=_share(row["lost_share"]),
                        )
                    )
            st.caption("  \n".join(lines))


def _period_axis() -> alt.X:
    return alt.X(
        "period:O",
        title=tr("journey.axis_period"),
        axis=alt.Axis(labelExpr="slice(datum.value, 5)", labelAngle=0, labelOverlap="parity"),
    )


def _time_chart(trend: pd.DataFrame) -> alt.Chart:
    """Mean seconds per stage and period."""
    stage_names = [tr(f"journey.stage.{s}") for s in journey.STAGES]
    period_format = "%Y-%m-%d"
    times = trend[trend["mean_s"].notna()]
    time_data = pd.DataFrame(
        {
            "period": pd.to_datetime(times["period"]).dt.strftime(period_format),
            "stage": [tr(f"journey.stage.{s}") for s in times["stage"]],
            "mean_s": times["mean_s"].astype(float),
            "n": times["time_n"].astype(float),
        }
    )
    x = _period_axis()
    stage_color = alt.Color(
        "stage:N",
        title=tr("journey.axis_stage"),
        sort=stage_names,
        legend=alt.Legend(orient="bottom"),
    )
    return (
        alt.Chart(time_data)
        .mark_line(point=True)
        .encode(
            x=x,
            y=alt.Y(
                "mean_s:Q",
                title=tr("journey.axis_seconds"),
                axis=alt.Axis(**common.HORIZONTAL_TITLE),
            ),
            color=stage_color,
            tooltip=[
                alt.Tooltip("period:N", title=tr("journey.axis_period")),
                alt.Tooltip("stage:N", title=tr("journey.axis_stage")),
                alt.Tooltip("mean_s:Q", title=tr("journey.axis_seconds"), format=",.0f"),
                alt.Tooltip("n:Q", title=tr("journey.axis_calls"), format=",.0f"),
            ],
        )
        .properties(height=280, usermeta={"chart": CHART_TIME})
    )


def _lost_chart(trend: pd.DataFrame) -> alt.Chart:
    """Shares of callers lost in the IVR, served by it and lost in the queue, per period."""
    period_format = "%Y-%m-%d"
    measures = []
    for stage, column, label in (
        ("ivr", "lost_share", tr("journey.measure.ivr_lost")),
        ("ivr", "contained_share", tr("journey.measure.ivr_contained")),
        ("queue", "lost_share", tr("journey.measure.queue_lost")),
    ):
        rows = trend[(trend["stage"] == stage) & trend[column].notna()]
        measures.append(
            pd.DataFrame(
                {
                    "period": pd.to_datetime(rows["period"]).dt.strftime(period_format),
                    "measure": label,
                    "share": rows[column].astype(float),
                    "entered": rows["entered"].astype(float),
                }
            )
        )
    lost_data = pd.concat(measures, ignore_index=True)
    return (
        alt.Chart(lost_data)
        .mark_line(point=True)
        .encode(
            x=_period_axis(),
            y=alt.Y(
                "share:Q",
                title=tr("journey.axis_share"),
                axis=alt.Axis(format="%", **common.HORIZONTAL_TITLE),
            ),
            color=alt.Color(
                "measure:N",
                title=tr("journey.axis_measure"),
                legend=alt.Legend(orient="bottom", columns=2),
            ),
            tooltip=[
                alt.Tooltip("period:N", title=tr("journey.axis_period")),
                alt.Tooltip("measure:N", title=tr("journey.axis_measure")),
                alt.Tooltip("share:Q", title=tr("journey.axis_share"), format=".1%"),
                alt.Tooltip("entered:Q", title=tr("journey.axis_calls"), format=",.0f"),
            ],
        )
        .properties(height=280, usermeta={"chart": CHART_LOST})
    )


def _trend_charts(trend: pd.DataFrame, freq: str) -> None:
    time_chart, lost_chart = _time_chart(trend), _lost_chart(trend)
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{tr('journey.trend_time')}**")
        st.altair_chart(time_chart, width="stretch")
        common.png_download(time_chart, f"journey_time_{freq}", key=CHART_TIME)
    with right:
        st.markdown(f"**{tr('journey.trend_lost')}**")
        st.altair_chart(lost_chart, width="stretch")
        common.png_download(lost_chart, f"journey_lost_{freq}", key=CHART_LOST)
    st.caption(tr("journey.lost_help"))


def _menu_table(menu: pd.DataFrame, file_name: str) -> None:
    st.subheader(tr("journey.menu_title"))
    level = (
        st.segmented_control(
            tr("journey.menu_level"),
            options=list(reversed(journey.MENU_LEVELS)),
            format_func=common.labeller("journey.level."),
            default="path",
            key="journey_menu_level",
        )
        or "path"
    )
    rows = menu[menu["level"] == level]
    shown = pd.DataFrame(
        {
            tr("journey.col.rank"): rows["rank"].astype(int).to_numpy(),
            tr("journey.col.option"): rows["option"].astype(str).to_numpy(),
            tr("journey.col.depth"): rows["depth"].astype(int).to_numpy(),
            tr("journey.col.entered"): rows["entered"].to_numpy(dtype=float),
            tr("journey.col.contained"): rows["contained"].to_numpy(dtype=float),
            tr("journey.col.containment"): [_share(v) for v in rows["containment"]],
            tr("journey.col.interval"): [
                f"{_share(low)} – {_share(high)}" if pd.notna(low) else _share(low)
                for low, high in zip(rows["containment_low"], rows["containment_high"], strict=True)
            ],
            tr("journey.col.lost"): rows["lost"].to_numpy(dtype=float),
            tr("journey.col.to_queue"): rows["to_queue"].to_numpy(dtype=float),
            tr("journey.col.agent_handled"): rows["agent_handled"].to_numpy(dtype=float),
            tr("journey.col.agent_share"): [_share(v) for v in rows["agent_share"]],
        }
    )
    count = st.column_config.NumberColumn(format="localized")
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key="journey_menu_table",
        column_config={
            tr("journey.col.entered"): count,
            tr("journey.col.contained"): count,
            tr("journey.col.lost"): count,
            tr("journey.col.to_queue"): count,
            tr("journey.col.agent_handled"): count,
        },
        height=min(38 + 35 * len(shown), 420),
    )
    st.caption(tr("journey.menu_help"))
    st.download_button(
        tr("journey.download_menu"),
        data=common.csv_bytes(menu),
        file_name=file_name,
        mime="text/csv",
        icon=":material/download:",
        key="journey_menu_download",
    )


def _topic_table(topics: pd.DataFrame, top_options: int, file_name: str) -> None:
    st.subheader(tr("journey.topics_title"))
    st.caption(tr("journey.topics_rule", top=top_options))
    shown = pd.DataFrame(
        {
            tr("journey.col.rank"): topics["rank"].astype(int).to_numpy(),
            tr("journey.col.topic"): topics["category"].astype(str).to_numpy(),
            tr("journey.col.agent_handled"): topics["agent_handled"].to_numpy(dtype=float),
            tr("journey.col.agent_share"): [_share(v) for v in topics["agent_share"]],
            tr("journey.col.path"): topics["path"].fillna("").astype(str).to_numpy(),
            tr("journey.col.depth"): topics["depth"]
            .astype("Float64")
            .to_numpy(dtype=float, na_value=float("nan")),
            tr("journey.col.path_share"): [_share(v) for v in topics["path_share"]],
            tr("journey.col.belongs_higher"): [
                tr("journey.flag_yes") if flag else "" for flag in topics["belongs_higher"]
            ],
            tr("journey.col.easier"): [
                tr("journey.easier", topic=topic, depth=int(depth)) if flag else ""
                for flag, topic, depth in zip(
                    topics["belongs_higher"],
                    topics["easier_topic"],
                    topics["easier_depth"],
                    strict=True,
                )
            ],
        }
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key="journey_topic_table",
        column_config={
            tr("journey.col.agent_handled"): st.column_config.NumberColumn(format="localized"),
            tr("journey.col.depth"): st.column_config.NumberColumn(format="%d"),
        },
        height=min(38 + 35 * len(shown), 420),
    )
    flagged = topics[topics["belongs_higher"]]
    if flagged.empty:
        st.success(tr("journey.none_flagged"), icon=":material/check_circle:")
    else:
        lines = [
            "- "
            + tr_md(
                "journey.topic_flagged",
                topic=row["category"],
                rank=int(row["rank"]),
                depth=int(row["depth"]),
                easier=row["easier_topic"],
                easier_depth=int(row["easier_depth"]),
            )
            for _, row in flagged.iterrows()
        ]
        st.warning("\n".join(lines), icon=":material/low_priority:")
    st.download_button(
        tr("journey.download_topics"),
        data=common.csv_bytes(topics),
        file_name=file_name,
        mime="text/csv",
        icon=":material/download:",
        key="journey_topic_download",
    )


def show(ctx) -> None:
    """Draw the journey section for the window and queues in force (a note without IVR data)."""
    st.subheader(tr("journey.title"))
    frame = ctx.dataset.frame
    if ctx.dataset.kind != "calls":
        st.info(tr("journey.no_calls"), icon=":material/info:")
        return
    if not journey.has_ivr(frame):
        st.info(tr("journey.no_ivr"), icon=":material/info:")
        return
    st.caption(tr("journey.intro"))
    if ctx.queues:
        st.caption(tr("journey.queue_filter"))
    freq = "D" if ctx.days <= TREND_DAYS_MAX else "W"
    stages, trend, menu, topics, top_options = _journey(
        ctx.dataset.key,
        ctx.queues,
        ctx.start,
        ctx.end_exclusive,
        ctx.settings,
        freq,
        _frame=ctx.window,
    )
    if stages.empty:
        return
    if "ivr" not in set(stages["stage"]):
        st.info(tr("journey.no_ivr_in_window"), icon=":material/info:")
    _stage_tiles(stages, ctx.settings.short_abandon_s)
    _trend_charts(trend, freq)
    stem = f"{ctx.start.isoformat()}_{ctx.end.isoformat()}"
    if menu is not None and not menu.empty:
        _menu_table(menu, f"ccmetrics_ivr_menu_{stem}.csv")
    if topics is not None and not topics.empty:
        _topic_table(topics, top_options, f"ccmetrics_ivr_topics_{stem}.csv")
    elif menu is not None:
        st.info(tr("journey.no_topics"), icon=":material/info:")
