"""The day's sections: story, scope notes, tiles, waterfall, intervals and their classes."""

from __future__ import annotations

import datetime as dt
import math

import altair as alt
import pandas as pd
import streamlit as st

from ccmetrics import i18n, kpi, staffing, story
from pages import common, story_panel
from pages.common import tr
from pages.staffing_sections.charts import (
    COLOURS,
    DASHED,
    SOLID,
    calls_chart,
    series_chart,
    waterfall_chart,
)
from pages.staffing_sections.shared import (
    ALL_QUEUES,
    ATTRIBUTIONS,
    EXPECTED_OCCUPANCY,
    MODELS,
    DayAnalysis,
    cause_label,
    effect_names,
    failure,
    pct,
    points,
    state,
)

__all__ = [
    "day_and_model",
    "story_section",
    "scope_notes_section",
    "tiles_section",
    "waterfall_steps",
    "waterfall_section",
    "chart_scope",
    "intervals_section",
    "classes_section",
]


@st.cache_data(show_spinner=False, max_entries=32)
def _why(key, plan_key, day, queues, settings, model, _frame, _plan, _calibration=None):
    """``staffing.why_intervals`` of one day, its ``why_day`` row (None without calls), the notes.

    ``_calibration`` (the data set's :func:`ccmetrics.staffing.calibrate` for ``model``,
    fixed by ``key``, ``plan_key``, ``settings`` and ``model``) makes the model count the
    logged-in agents the center really has on the phones.

    The whole day goes in, all queues, so that ``staffing_inputs`` lines the data
    up with the plan itself (a plan without queues is compared with all queues
    together and says so in its notes); the rows of the queues in force are kept
    when the result is per queue.
    """
    start = pd.Timestamp(day)
    end = start + pd.Timedelta(days=1)
    frame = kpi.subset(_frame, start, end)
    plan = None if _plan is None else kpi.subset(_plan, start, end)
    table = staffing.why_intervals(
        frame,
        plan,
        settings=settings,
        model=model,
        expected_occupancy=EXPECTED_OCCUPANCY,
        calibration=_calibration,
    )
    notes = table.attrs.get("notes", [])
    if queues and "queue" in table.columns:
        table = table[table["queue"].isin(queues)].reset_index(drop=True)
    if table.empty or not (table["offered"] > 0).any():
        return table, None, notes
    return table, staffing.why_day(table).iloc[0], notes


def day_and_model(ctx: common.Context) -> tuple[dt.date, str]:
    """The day (shared with every page) and the queueing model."""
    day = common.selected_day(ctx)
    pick_day, pick_model = st.columns([1, 2], vertical_alignment="bottom")
    with pick_day:
        picked = st.date_input(
            tr("staff.day"),
            value=day,
            min_value=ctx.dataset.first_day,
            max_value=ctx.dataset.last_day,
            format="YYYY-MM-DD",
            key="staff_day",
        )
    if isinstance(picked, dt.date) and picked.isoformat() != state.get("day"):
        common.set_selected_day(picked.isoformat())
        day = picked
    model_labels = dict(
        zip(MODELS, (tr("staff.model_erlang_a"), tr("staff.model_erlang_c")), strict=True)
    )
    with pick_model:
        model = kept_choice(
            tr("staff.model"), model_labels, "staff_model", "st_model", tr("staff.model_help")
        )
    return day, model


def kept_choice(label: str, labels: dict[str, str], key: str, param: str, help_text: str) -> str:
    """A segmented choice kept in the URL (``param``); its first option is the default."""
    options = list(labels)
    common.restore(key, param, options, options[0])
    choice = (
        st.segmented_control(
            label, options=options, format_func=labels.get, key=key, help=help_text
        )
        or options[0]
    )
    common.remember(param, choice, options[0])
    return choice


def story_section(
    ctx: common.Context, day: dt.date, model: str, plan_key: str, plan
) -> DayAnalysis | None:
    """The day's story (as on every page), the calibration and the day's analysis."""
    st.subheader(tr("staff.day_title", day=day.isoformat()))
    try:
        with st.spinner(show_time=True):
            # the model calibrated to this center's ordinary days (cached per data set and plan)
            fitted = story_panel.calibration(ctx, plan_key, plan, model)
            table, row, notes = _why(
                ctx.dataset.key,
                plan_key,
                day.isoformat(),
                ctx.queues,
                ctx.settings,
                model,
                _frame=ctx.dataset.frame,
                _plan=plan,
                _calibration=fitted,
            )
    except ValueError as error:  # odd data: a clear message, never a traceback
        failure("staff.error", error)
        return None
    told = story_panel.show_story(ctx, day, plan_key, plan)  # the same sentence as every page
    calibrated = story.calibration_text(fitted, common.lang()) if fitted is not None else None
    if calibrated:
        st.caption(calibrated)
        if fitted.skipped:
            st.caption(
                tr("story.calibration_skipped", days=", ".join(s["date"] for s in fitted.skipped))
            )
    return DayAnalysis(table, row, notes, told)


def scope_notes_section(day: dt.date, why: DayAnalysis) -> None:
    """How ``staffing_inputs`` lined the data up with the plan."""
    for note in why.notes:
        if note["code"] == "plan_without_queues":
            st.warning(tr("staff.scope_plan_no_queues"), icon=":material/warning:")
        elif note["code"] == "forecast_aht_from_baseline":
            st.caption(tr("story.forecast_aht_baseline"))
        elif note["code"] == "plan_other_queues":
            st.warning(
                tr(
                    "staff.scope_plan_other_queues",
                    plan_queues=", ".join(map(common.md, note["plan_queues"])),
                    data_queues=", ".join(map(common.md, note["data_queues"])),
                ),
                icon=":material/warning:",
            )
    if why.row is None:
        st.info(tr("staff.no_calls_day", day=day.isoformat()), icon=":material/event_busy:")


def tiles_section(why: DayAnalysis) -> None:
    """Five tiles: measured SL, model SL, the story's cause, offered calls, staffed hours."""
    day_row = why.row
    lang = common.lang()
    estimated = bool(day_row["staffed_is_estimate"])
    if estimated:
        st.warning(
            tr("staff.estimate_warning", occupancy=pct(EXPECTED_OCCUPANCY)),
            icon=":material/calculate:",
        )
    gaps = staffing.day_gaps(day_row)
    tiles = st.columns(5)
    with tiles[0].container(border=True, height="stretch"):
        st.metric(
            tr("staff.tile_measured"),
            pct(day_row["measured_sl"]),
            delta=points(day_row["shortfall"]),
            delta_color="normal",
        )
        st.caption(
            tr(
                "staff.target_n",
                target=pct(day_row["target_sl"]),
                n=common.fmt_count(day_row["sl_base"]),
            )
        )
    with tiles[1].container(border=True, height="stretch"):
        st.metric(
            tr("staff.tile_model"),
            pct(day_row["model_sl"]),
            help=tr("staff.tile_model_help"),
        )
    with tiles[2].container(border=True, height="stretch"):
        st.metric(
            tr("staff.tile_cause"),
            cause_label(why.told, day_row["shortfall"] >= 0),
            help=tr("staff.tile_cause_help"),
        )
    with tiles[3].container(border=True, height="stretch"):
        forecast_gap = gaps["calls_vs_forecast"]
        st.metric(
            tr("staff.tile_offered"),
            common.fmt_count(day_row["offered"]),
            delta=(
                tr("staff.vs_forecast", change=i18n.format_change(forecast_gap, "count", lang))
                if math.isfinite(forecast_gap)
                else None
            ),
            delta_color="off",
        )
    with tiles[4].container(border=True, height="stretch"):
        staffed_gap = gaps["hours_vs_needed"]
        st.metric(
            tr("staff.tile_staffed_estimate") if estimated else tr("staff.tile_staffed"),
            common.fmt_count(day_row["staffed_hours"]),
            delta=(
                tr("staff.vs_needed", change=i18n.format_change(staffed_gap, "count", lang))
                if math.isfinite(staffed_gap)
                else None
            ),
            delta_color="normal",
        )
    cause = None if why.told is None else why.told.cause  # the summary names the story's cause
    st.info(common.md(staffing.why_summary(day_row, cause)[lang]), icon=":material/lightbulb:")


def waterfall_steps(day_row: pd.Series, attribution: str) -> pd.DataFrame:
    """``staffing.shortfall_steps`` with the page's names and labels for the chart."""
    names = {
        "target": tr("staff.step_target"),
        "measured": tr("staff.step_actual"),
        **effect_names(),
    }
    steps = staffing.shortfall_steps(day_row, attribution)
    waterfall = pd.DataFrame(
        {
            "code": steps["step"],
            "step": steps["step"].map(names),
            "value": steps["value"],
            "start": steps["start"],
            "end": steps["end"],
            "kind": steps["kind"],
            # effects in points, like the table beside the chart; totals as a service level
            "label": [
                pct(value) if kind == "total" else f"{value * 100:+.1f}"
                for value, kind in zip(steps["value"], steps["kind"], strict=True)
            ],
        }
    )
    waterfall["top"] = waterfall[["start", "end"]].max(axis=1)
    return waterfall


def waterfall_section(day: dt.date, day_row: pd.Series) -> None:
    """The shortfall against target split into volume, handle time, staffing and other."""
    st.markdown(f"**{tr('staff.waterfall_title')}**")
    attribution_labels = dict(
        zip(ATTRIBUTIONS, (tr("staff.attr_shapley"), tr("staff.attr_sequential")), strict=True)
    )
    attribution = kept_choice(
        tr("staff.attribution"), attribution_labels, "staff_attr", "st_attr", tr("staff.attr_help")
    )
    waterfall = waterfall_steps(day_row, attribution)
    effects = waterfall[waterfall["kind"] != "total"]
    chart_col, table_col = st.columns([3, 2])
    with chart_col:
        chart = waterfall_chart(waterfall)
        st.altair_chart(chart, width="stretch", key="staff_waterfall_chart")
        common.png_download(chart, f"staffing_waterfall_{day}", key="staff_waterfall_chart")
    with table_col:
        effect_table = pd.DataFrame(
            {
                tr("staff.col_cause"): effects["step"].to_numpy(),
                tr("staff.col_points"): (effects["value"] * 100).round(1).to_numpy(),
            }
        )
        st.dataframe(
            effect_table,
            hide_index=True,
            width="stretch",
            column_config={tr("staff.col_points"): st.column_config.NumberColumn(format="%+.1f")},
        )
        if attribution == "sequential" and math.isfinite(day_row["seq_schedule"]):
            st.caption(
                tr(
                    "staff.split_staffing",
                    schedule=points(day_row["seq_schedule"]),
                    adherence=points(day_row["seq_adherence"]),
                )
            )
        if "volume" not in set(waterfall["code"]):  # no forecast: no volume and AHT effects
            st.caption(tr("staff.no_forecast_split"))
    st.caption(tr("staff.waterfall_caption"))


def chart_scope(why: DayAnalysis) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The queue picker; (intervals of the queue shown, its ``why_day`` per interval)."""
    queue_options = [ALL_QUEUES]
    if "queue" in why.table.columns:
        queue_options += sorted(why.table["queue"].astype(str).unique())
    queue_labels = {ALL_QUEUES: tr("staff.all_queues")}
    common.restore("staff_queue", "st_queue", queue_options, ALL_QUEUES)
    chart_queue = st.selectbox(
        tr("staff.chart_queue"),
        options=queue_options,
        format_func=lambda option: queue_labels.get(option, option),
        key="staff_queue",
    )
    common.remember("st_queue", chart_queue, ALL_QUEUES)
    table = why.table
    scope = table if chart_queue == ALL_QUEUES else table[table["queue"] == chart_queue]
    per_interval = staffing.why_day(scope, by="interval_start")
    per_interval = per_interval.assign(
        time=pd.to_datetime(per_interval["interval_start"]).dt.strftime("%H:%M")
    )
    return scope, per_interval


def intervals_section(ctx: common.Context, day: dt.date, why: DayAnalysis) -> pd.DataFrame:
    """Calls, agents and service level per interval; returns the intervals of the queue shown."""
    st.subheader(tr("staff.intervals_title"))
    scope, per_interval = chart_scope(why)

    st.markdown(f"**{tr('staff.chart_calls')}**")
    chart = calls_chart(per_interval)
    st.altair_chart(chart, width="stretch", key="staff_calls_chart")
    common.png_download(chart, f"staffing_calls_{day}", key="staff_calls_chart")

    # agents: staffed, scheduled, needed at forecast and for the calls that came
    estimated = bool(why.row["staffed_is_estimate"])
    agent_series = {
        "staffed_agents": (
            tr("staff.series_staffed_estimate") if estimated else tr("staff.series_staffed"),
            COLOURS["staffed"],
            SOLID,
        ),
        "scheduled_agents": (tr("staff.series_scheduled"), COLOURS["scheduled"], DASHED),
        "required_forecast_agents": (
            tr("staff.series_required_plan"),
            COLOURS["required_plan"],
            DASHED,
        ),
        "required_actual_agents": (
            tr("staff.series_required_actual"),
            COLOURS["required_actual"],
            SOLID,
        ),
    }
    agent_series = {k: v for k, v in agent_series.items() if per_interval[k].notna().any()}
    st.markdown(f"**{tr('staff.chart_agents')}**")
    chart = series_chart(per_interval, agent_series, tr("staff.axis_agents"), ",.0f", ",.1f", 260)
    st.altair_chart(chart, width="stretch", key="staff_agents_chart")
    common.png_download(chart, f"staffing_agents_{day}", key="staff_agents_chart")

    # service level: measured vs model, target
    st.markdown(f"**{tr('staff.chart_sl')}**")
    sl_series = {
        "measured_sl": (tr("staff.series_measured"), COLOURS["measured"], SOLID),
        "model_sl": (tr("staff.series_model"), COLOURS["model"], DASHED),
    }
    target_rule = (
        alt.Chart(pd.DataFrame({"target": [ctx.settings.sl_target]}))
        .mark_rule(color=COLOURS["target"], strokeDash=[6, 4])
        .encode(y="target:Q")
    )
    sl_lines = series_chart(per_interval, sl_series, tr("axis.service_level"), ".0%", ".1%", 260)
    sl_chart = alt.layer(
        sl_lines.encode(
            y=alt.Y(
                "value:Q",
                scale=alt.Scale(domain=[0, 1]),
                title=tr("axis.service_level"),
                axis=alt.Axis(format=".0%", **common.HORIZONTAL_TITLE),
            )
        ),
        target_rule,
    )
    st.altair_chart(sl_chart, width="stretch", key="staff_sl_chart")
    common.png_download(sl_chart, f"staffing_service_level_{day}", key="staff_sl_chart")
    return scope


def classes_section(day: dt.date, why: DayAnalysis) -> None:
    """Intervals by class, and every interval of the day in an expander."""
    lang = common.lang()
    day_row, why_table = why.row, why.table
    st.subheader(tr("staff.classes_title"))
    class_rows = [
        {
            tr("staff.col_class"): staffing.INTERVAL_CLASSES[code][lang],
            tr("staff.col_intervals"): int(day_row[f"n_{code}"]),
            tr("staff.col_meaning"): staffing.INTERVAL_CLASS_HELP[code][lang],
        }
        for code in staffing.INTERVAL_CLASSES
        if day_row[f"n_{code}"] > 0
    ]
    st.dataframe(pd.DataFrame(class_rows), hide_index=True, width="stretch")
    st.caption(tr("staff.classes_caption"))
    with st.expander(tr("staff.details", day=day.isoformat())):
        details = pd.DataFrame(
            {tr("staff.col_time"): pd.to_datetime(why_table["interval_start"]).dt.strftime("%H:%M")}
        )
        if "queue" in why_table.columns:
            details[tr("dim.queue")] = why_table["queue"].astype(str).to_numpy()
        details[tr("staff.col_class")] = [
            staffing.INTERVAL_CLASSES[code][lang] for code in why_table["interval_class"]
        ]
        details[tr("staff.col_offered")] = why_table["offered"].round(0).to_numpy()
        details[tr("staff.col_forecast")] = why_table["forecast_offered"].round(1).to_numpy()
        details[tr("staff.col_measured")] = (why_table["measured_sl"] * 100).round(1).to_numpy()
        details[tr("staff.col_model")] = (why_table["model_sl"] * 100).round(1).to_numpy()
        details[tr("staff.col_staffed")] = why_table["staffed_agents"].round(1).to_numpy()
        details[tr("staff.col_scheduled")] = why_table["scheduled_agents"].round(1).to_numpy()
        details[tr("staff.col_needed")] = why_table["required_actual"].to_numpy()
        details = details.dropna(axis=1, how="all")
        st.dataframe(
            details, hide_index=True, width="stretch", column_config=common.column_config(details)
        )
        st.download_button(
            tr("overview.download_csv"),
            data=common.csv_bytes(details),
            file_name=f"ccmetrics_staffing_{day.isoformat()}.csv",
            mime="text/csv",
            icon=":material/download:",
            key="staff_details_csv",
        )
