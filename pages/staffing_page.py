"""Staffing and demand: was a day's service level a staffing problem? What-if, forecast, drivers.

Thin page: it picks the staffing plan (:func:`plan_source`), calls
``ccmetrics.staffing`` (``why_intervals``, ``why_day``, ``why_summary``,
``what_if``, ``effect_of_cause``) and ``ccmetrics.forecast``
(``forecast_accuracy``, ``forecast_errors``, ``daily_volume``,
``forecast_daily``, ``rolling_origin_evaluation``, ``summarize_rolling_origin``,
``driver_effects``, ``driver_contributions``, ``join_drivers``, ``read_drivers``), and draws
with Altair. The page is :func:`main` and one function per section.

Where the staffing plan comes from, in order: a plan uploaded on this page; the
dataset itself when it is an interval export with plan columns; the bundled
``intervals.csv`` when the bundled sample is in use; otherwise none (staffing is
then estimated from the calls and labelled so). Daily drivers: an upload on this
page, else the bundled ``weather.csv`` with the sample.

Page state in the URL (besides the shared ``day``): ``st_model``, ``st_attr``,
``st_queue`` and the what-if inputs ``st_calls``, ``st_len``, ``st_aht``,
``st_thr``, ``st_tgt``, ``st_shr``, ``st_pat`` (only when they differ from
their defaults).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from dataclasses import dataclass
from pathlib import Path

import altair as alt
import pandas as pd
import streamlit as st

from ccmetrics import forecast, i18n, io, kpi, report, sample, staffing, story
from pages import common, story_panel
from pages.common import tr

ALL_QUEUES = "all"
MODELS = ("erlang_a", "erlang_c")
ATTRIBUTIONS = ("shapley", "sequential")
PLAN_COLUMNS = ("forecast_offered", "forecast_aht_s", "scheduled_agents", "staffed_agents")
#: Occupancy assumed when staffing is estimated from calls (staffing.staffing_inputs' default).
EXPECTED_OCCUPANCY = 0.85
INTERVAL_LENGTHS = (15, 30, 60)
#: What-if inputs: widget key -> (URL parameter, default, lowest, highest). Defaults are the
#: Call Centre Helper worked example (100 calls in 30 min, AHT 180 s, 80/20, 30 % shrinkage).
WHATIF = {
    "staff_calls": ("st_calls", 100, 0, 100_000),
    "staff_len": ("st_len", 30, 15, 60),
    "staff_aht": ("st_aht", 180, 1, 7_200),
    "staff_thr": ("st_thr", 20, 0, 3_600),
    "staff_tgt": ("st_tgt", 80, 1, 99),
    "staff_shr": ("st_shr", 30, 0, 90),
    "staff_pat": ("st_pat", 300, 1, 3_600),
}
FORECAST_HORIZON_DAYS = 14
SOLID = [1, 0]
DASHED = [6, 3]
#: Legends above the plot, high enough (offset) to clear the horizontal y-axis title below
#: them: at Vega's default offset a long Chinese title ran into the legend in the PNG.
LEGEND_OFFSET = 26
LEGEND = alt.Legend(
    orient="top",
    symbolType="stroke",
    symbolStrokeWidth=3,
    labelLimit=320,
    offset=LEGEND_OFFSET,
)
COLOURS = {
    "offered": "#9ecae1",
    "forecast": "#08519c",
    "staffed": "#1f77b4",
    "scheduled": "#7f7f7f",
    "required_plan": "#fdae6b",
    "required_actual": "#e6550d",
    "measured": "#1f77b4",
    "model": "#e6550d",
    "target": "#d62728",
    "loss": "#d62728",
    "gain": "#2ca02c",
    "total": "#7f7f7f",
    "erlang_c": "#1f77b4",
    "erlang_a": "#e6550d",
    "naive": "#bdbdbd",
}

state = st.session_state


# --------------------------------------------------------------------------- formatting


def pct(value) -> str:
    return common.fmt("service_level", value)


def points(value) -> str:
    return i18n.format_change(value, "percent", common.lang()) or tr("unit.missing")


def seconds(value, decimals: int = 0) -> str:
    return i18n.format_number(value, "seconds", common.lang(), decimals=decimals)


def signed_pct(value) -> str:
    """A relative change: +7.8%."""
    if not math.isfinite(value):
        return tr("unit.missing")
    return f"{value * 100:+.{1 if abs(value) >= 0.01 else 2}f}%"


def sentences(*parts: str) -> str:
    """Sentences one after the other (a space between them in English, none in Chinese)."""
    return ("" if common.lang() == "zh" else " ").join(parts)


def effect_names() -> dict[str, str]:
    return {
        "volume": tr("staff.effect_volume"),
        "aht": tr("staff.effect_aht"),
        "staffing": tr("staff.effect_staffing"),
        "unexplained": tr("staff.effect_other"),
    }


#: Driver columns the page names in the UI language: those of the bundled weather.csv
#: (other columns keep the name they have in the driver file).
TRANSLATED_DRIVERS = ("rain", "storm", "temperature_c")


def driver_label(column: str) -> str:
    """A driver column shown by name: translated for the bundled sample's weather columns."""
    column = str(column)
    return report.driver_name(column, common.lang()) if column in TRANSLATED_DRIVERS else column


def failure(key: str, error: ValueError | ArithmeticError) -> None:
    """An analysis that refused the data: the page's message with the reason, no traceback."""
    st.error(common.tr_md(key, reason=str(error)[:300]), icon=":material/error:")


#: The story causes no staffing effect names (``staffing.CAUSE_EFFECTS`` names the others).
CAUSE_KEYS = {
    "demand_drop": "staff.cause_demand_drop",
    "below_target": "staff.cause_below_target",
    "local_change": "staff.cause_local_change",
    "no_significant_change": "staff.cause_no_significant_change",
    "insufficient_data": "staff.cause_insufficient_data",
}


def cause_label(told: story.Story | None, target_met: bool) -> str:
    """The "Main cause" tile: the cause of the day's story, in the staffing effects' names.

    A story named by the staffing attribution shows its effect
    (``staffing.effect_of_cause``); another story shows its own cause, and a day
    with no significant change that met its target shows "target met".
    """
    if told is None:
        return tr("unit.missing")
    effect = staffing.effect_of_cause(told.cause)
    if effect is not None:
        return effect_names()[effect]
    if told.cause == "no_significant_change" and target_met:
        return tr("staff.target_met")
    return tr(CAUSE_KEYS[told.cause])


# --------------------------------------------------------------------------- plan and drivers


@st.cache_resource(show_spinner=False, max_entries=2)
def _sample_plan(folder: str) -> pd.DataFrame:
    return io.load(Path(folder) / "intervals.csv").frame


@st.cache_resource(show_spinner=False, max_entries=2)
def _sample_drivers(folder: str) -> pd.DataFrame:
    return forecast.read_drivers(Path(folder) / "weather.csv")


@st.cache_data(show_spinner=False, max_entries=4)
def _read_drivers(digest: str, name: str, _data: bytes) -> pd.DataFrame:
    """A daily driver file with its date column renamed ``date`` (``forecast.read_drivers``)."""
    return forecast.read_drivers(_data, name)


def has_values(frame: pd.DataFrame | None, column: str) -> bool:
    return frame is not None and column in frame.columns and bool(frame[column].notna().any())


def has_plan(frame: pd.DataFrame | None) -> bool:
    return any(has_values(frame, column) for column in PLAN_COLUMNS)


def plan_source(ctx: common.Context) -> tuple[str, pd.DataFrame | None, str]:
    """(cache key, plan frame or None, translated name) of the staffing plan in force.

    None with key "dataset" means the interval data in use carries its own plan
    (``staffing_inputs`` then reads it from the frame); key "none": no plan.
    """
    upload = state.get("staff_plan")
    if upload:
        result = common.load_upload(
            upload["name"], upload["data"], kind="intervals", digest=upload["digest"]
        )
        return (
            f"upload:{upload['digest']}",
            result.frame,
            tr("staff.plan_upload", name=upload["name"]),
        )
    if ctx.dataset.kind == "intervals" and has_plan(ctx.dataset.frame):
        return "dataset", None, tr("staff.plan_dataset")
    if ctx.dataset.is_sample:
        folder = str(sample.SAMPLE_DIR)
        if (Path(folder) / "intervals.csv").exists():
            return f"sample:{folder}", _sample_plan(folder), tr("staff.plan_sample")
    return "none", None, tr("staff.plan_none")


def driver_source(ctx: common.Context) -> tuple[str, pd.DataFrame | None, str]:
    """(cache key, daily driver table or None, name) of the drivers in force."""
    upload = state.get("staff_drivers")
    if upload:
        return (
            f"upload:{upload['digest']}",
            _read_drivers(upload["digest"], upload["name"], upload["data"]),
            upload["name"],
        )
    if ctx.dataset.is_sample:
        path = Path(sample.SAMPLE_DIR) / "weather.csv"
        if path.exists():
            return f"sample:{path}", _sample_drivers(str(path.parent)), tr("staff.drivers_sample")
    return "none", None, ""


def _plan_uploaded(widget_key: str) -> None:
    """Callback of the plan uploader: load the file, keep it when it holds a plan."""
    uploaded = state.get(widget_key)
    state.pop("staff_plan_message", None)
    if uploaded is None:
        state.pop("staff_plan", None)
        return
    data = uploaded.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    try:
        result = common.load_upload(uploaded.name, data, kind="intervals", digest=digest)
    except io.LoadError as error:
        state["staff_plan_message"] = common.tr_md(
            "staff.plan_error", reason=common.load_error_text(error)
        )
        return
    if not has_plan(result.frame):
        state["staff_plan_message"] = common.tr_md("staff.plan_no_columns", name=uploaded.name)
        return
    state["staff_plan"] = {"name": uploaded.name, "digest": digest, "data": data}


def _drivers_uploaded(widget_key: str) -> None:
    """Callback of the driver uploader: keep a daily driver file ``forecast.read_drivers`` reads."""
    uploaded = state.get(widget_key)
    state.pop("staff_drivers_message", None)
    if uploaded is None:
        state.pop("staff_drivers", None)
        return
    data = uploaded.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    try:
        _read_drivers(digest, uploaded.name, data)
    except forecast.DriverFileError as error:
        state["staff_drivers_message"] = common.tr_md(
            "staff.drivers_error", reason=common.load_error_text(error)
        )
        return
    state["staff_drivers"] = {"name": uploaded.name, "digest": digest, "data": data}


def _forget(name: str) -> None:
    """Stop using an upload of this page and empty its uploader."""
    state.pop(name, None)
    state[f"{name}_generation"] = state.get(f"{name}_generation", 0) + 1


# --------------------------------------------------------------------------- queues


def queue_filter(queues: tuple[str, ...]) -> dict | None:
    return {"queue": list(queues)} if queues else None


# --------------------------------------------------------------------------- cached analyses


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


@st.cache_data(show_spinner=False, max_entries=64)
def _whatif(calls, minutes, aht_s, threshold_s, target_pct, shrinkage_pct, patience_s) -> dict:
    return staffing.what_if(
        calls, minutes, aht_s, threshold_s, target_pct / 100.0, shrinkage_pct / 100.0, patience_s
    )


@st.cache_data(show_spinner=False, max_entries=16)
def _accuracy(key, plan_key, start, end, queues, _frame, _plan):
    """Forecast accuracy by day and interval over [start, end), and the daily errors.

    The queue filter applies when the plan is per queue; a plan without queues
    forecasts all of them, so it is compared with all the calls.
    """
    plan = _frame if _plan is None else _plan
    filters = queue_filter(queues) if has_values(plan, "queue") else None
    # the week before the range gives the seasonal-naive benchmark of its first days
    frame = kpi.subset(_frame, start - pd.Timedelta(days=forecast.SEASON_DAYS), end, filters)
    plan = kpi.subset(plan, start, end, filters)
    by_day = forecast.forecast_accuracy(frame, plan, level="day")
    by_interval = forecast.forecast_accuracy(frame, plan, level="interval")
    errors = forecast.forecast_errors(frame, plan, level="day")
    return by_day, by_interval, errors


@st.cache_data(show_spinner=False, max_entries=16)
def _history(key, end, queues, _frame) -> pd.DataFrame:
    """Daily calls of the queues in force, from the first day of the data to ``end``."""
    return forecast.daily_volume(kpi.subset(_frame, None, end, queue_filter(queues)))


@st.cache_data(show_spinner=False, max_entries=16)
def _own_forecast(key, end, queues, _history_frame):
    rows = forecast.rolling_origin_evaluation(_history_frame, horizon=7, origins=8)
    summary = forecast.summarize_rolling_origin(rows)
    ahead = forecast.forecast_daily(_history_frame, FORECAST_HORIZON_DAYS)
    return summary, ahead


@st.cache_data(show_spinner=False, max_entries=16)
def _drivers(key, end, queues, drivers_key, _history_frame, _drivers_frame):
    effects = forecast.driver_effects(_history_frame, _drivers_frame)
    contributions = forecast.driver_contributions(_history_frame, _drivers_frame)
    joined = forecast.join_drivers(_history_frame, _drivers_frame)
    flags = {name: bool(joined[name].dropna().isin([0.0, 1.0]).all()) for name in effects["driver"]}
    return effects, contributions, flags


# --------------------------------------------------------------------------- page state


def init_whatif() -> None:
    """Fill the what-if widgets from the URL (or their defaults) when they are not drawn yet."""
    for key, (param, default, low, high) in WHATIF.items():
        if key in state:
            continue
        try:
            value = int(float(common.page_param(param, default)))
        except (TypeError, ValueError):
            value = default
        if key == "staff_len" and value not in INTERVAL_LENGTHS:
            value = default
        state[key] = min(max(value, low), high)


def _whatif_changed(key: str) -> None:
    param, default, _, _ = WHATIF[key]
    common.remember(param, state[key], default)


def _fill_whatif(values: dict) -> None:
    """Callback: put the busiest interval of the day into the what-if inputs."""
    for key, value in values.items():
        param, default, low, high = WHATIF[key]
        state[key] = min(max(int(round(value)), low), high)
        common.remember(param, state[key], default)


# =========================================================================== sections


def uploads_section(plan: pd.DataFrame | None) -> None:
    """The expander with the plan and driver uploaders."""
    with st.expander(tr("staff.inputs_title"), icon=":material/upload_file:"):
        left, right = st.columns(2)
        with left:
            plan_uploader(plan)
        with right:
            drivers_uploader()


def plan_uploader(plan: pd.DataFrame | None) -> None:
    plan_widget = f"staff_plan_file_{state.get('staff_plan_generation', 0)}"
    st.file_uploader(
        tr("staff.plan_upload_label"),
        type=["csv", "txt", "tsv", "gz", "xlsx", "xls", "parquet", "zip"],
        key=plan_widget,
        help=tr("staff.plan_upload_help"),
        on_change=_plan_uploaded,
        args=(plan_widget,),
    )
    if state.get("staff_plan_message"):
        st.error(state["staff_plan_message"], icon=":material/error:")
    if state.get("staff_plan"):
        st.caption(
            tr(
                "staff.plan_in_use",
                name=state["staff_plan"]["name"],
                rows=common.fmt_count(len(plan)),
            )
        )
        st.button(
            tr("staff.plan_remove"),
            on_click=_forget,
            args=("staff_plan",),
            key="staff_plan_remove",
        )


def drivers_uploader() -> None:
    drivers_widget = f"staff_drivers_file_{state.get('staff_drivers_generation', 0)}"
    st.file_uploader(
        tr("staff.drivers_upload_label"),
        type=["csv", "txt"],
        key=drivers_widget,
        help=tr("staff.drivers_upload_help"),
        on_change=_drivers_uploaded,
        args=(drivers_widget,),
    )
    if state.get("staff_drivers_message"):
        st.error(state["staff_drivers_message"], icon=":material/error:")
    if state.get("staff_drivers"):
        st.button(
            tr("staff.drivers_remove"),
            on_click=_forget,
            args=("staff_drivers",),
            key="staff_drivers_remove",
        )


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
    model_labels = {"erlang_a": tr("staff.model_erlang_a"), "erlang_c": tr("staff.model_erlang_c")}
    with pick_model:
        common.restore("staff_model", "st_model", MODELS, "erlang_a")
        model = (
            st.segmented_control(
                tr("staff.model"),
                options=list(MODELS),
                format_func=model_labels.get,
                key="staff_model",
                help=tr("staff.model_help"),
            )
            or "erlang_a"
        )
    common.remember("st_model", model, "erlang_a")
    return day, model


@dataclass
class DayAnalysis:
    """What the day's sections draw: ``why_intervals`` of the day and its ``why_day`` row."""

    table: pd.DataFrame
    row: pd.Series | None
    notes: list
    told: story.Story | None


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
        forecast_gap = day_row["offered"] - day_row["forecast_offered"]
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
        staffed_gap = day_row["staffed_hours"] - day_row["required_actual_hours"]
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


def waterfall_steps(day_row: pd.Series, effects: list[tuple[str, float]]) -> pd.DataFrame:
    """Bars of the waterfall: target, each effect from where the last one ended, measured."""
    steps = []
    level = float(day_row["target_sl"])
    steps.append((tr("staff.step_target"), 0.0, level, "total", pct(level)))
    for name, value in effects:  # labelled in points, like the table beside the chart
        label = f"{value * 100:+.1f}"
        steps.append((name, level, level + value, "loss" if value < 0 else "gain", label))
        level += value
    steps.append(
        (
            tr("staff.step_actual"),
            0.0,
            float(day_row["measured_sl"]),
            "total",
            pct(day_row["measured_sl"]),
        )
    )
    waterfall = pd.DataFrame(steps, columns=["step", "start", "end", "kind", "label"])
    waterfall["top"] = waterfall[["start", "end"]].max(axis=1)
    return waterfall


def waterfall_chart(waterfall: pd.DataFrame) -> alt.LayerChart:
    order = list(waterfall["step"])
    x_steps = alt.X("step:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=160))
    bars = (
        alt.Chart(waterfall)
        .mark_bar(size=48)
        .encode(
            x=x_steps,
            y=alt.Y(
                "start:Q",
                title=tr("axis.service_level"),
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%", **common.HORIZONTAL_TITLE),
            ),
            y2="end:Q",
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(
                    domain=["total", "loss", "gain"],
                    range=[COLOURS["total"], COLOURS["loss"], COLOURS["gain"]],
                ),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("step:N", title=tr("staff.col_cause")),
                alt.Tooltip("label:N", title=" "),
            ],
        )
    )
    texts = (
        alt.Chart(waterfall)
        .mark_text(baseline="bottom", dy=-4, fontSize=12, fontWeight="bold")
        .encode(x=x_steps, y=alt.Y("top:Q", scale=alt.Scale(domain=[0, 1])), text="label:N")
    )
    return alt.layer(bars, texts).properties(height=300)


def waterfall_section(day: dt.date, day_row: pd.Series) -> None:
    """The shortfall against target split into volume, handle time, staffing and other."""
    st.markdown(f"**{tr('staff.waterfall_title')}**")
    names = effect_names()
    attribution_labels = {
        "shapley": tr("staff.attr_shapley"),
        "sequential": tr("staff.attr_sequential"),
    }
    common.restore("staff_attr", "st_attr", ATTRIBUTIONS, "shapley")
    attribution = (
        st.segmented_control(
            tr("staff.attribution"),
            options=list(ATTRIBUTIONS),
            format_func=attribution_labels.get,
            key="staff_attr",
            help=tr("staff.attr_help"),
        )
        or "shapley"
    )
    common.remember("st_attr", attribution, "shapley")
    prefix = "shapley_" if attribution == "shapley" else "seq_"
    effects = [
        (names["volume"], day_row[f"{prefix}volume"]),
        (names["aht"], day_row[f"{prefix}aht"]),
        (names["staffing"], day_row[f"{prefix}staffing"]),
        (names["unexplained"], day_row["unexplained"]),
    ]
    effects = [(name, value) for name, value in effects if math.isfinite(value)]
    chart_col, table_col = st.columns([3, 2])
    with chart_col:
        chart = waterfall_chart(waterfall_steps(day_row, effects))
        st.altair_chart(chart, width="stretch", key="staff_waterfall_chart")
        common.png_download(chart, f"staffing_waterfall_{day}", key="staff_waterfall_chart")
    with table_col:
        effect_table = pd.DataFrame(
            {
                tr("staff.col_cause"): [name for name, _ in effects],
                tr("staff.col_points"): [round(value * 100, 1) for _, value in effects],
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
        if not math.isfinite(day_row[f"{prefix}volume"]):
            st.caption(tr("staff.no_forecast_split"))
    st.caption(tr("staff.waterfall_caption"))


X_TIME = alt.X(
    "time:O",
    title=None,
    axis=alt.Axis(labelExpr="slice(datum.value, 3) == '00' ? datum.value : ''", labelAngle=0),
)


def series_chart(
    per_interval: pd.DataFrame,
    columns: dict,
    value_title: str,
    axis_format: str,
    tip_format: str,
    height: int,
) -> alt.Chart:
    """Lines of several per-interval series: column -> (label, colour, dash)."""
    long = per_interval.melt(
        id_vars=["time"], value_vars=list(columns), var_name="column", value_name="value"
    )
    long["series"] = long["column"].map({c: label for c, (label, _, _) in columns.items()})
    labels = [label for label, _, _ in columns.values()]
    return (
        alt.Chart(long.dropna(subset=["value"]))
        .mark_line(point=alt.OverlayMarkDef(size=16, filled=True))
        .encode(
            x=X_TIME,
            y=alt.Y(
                "value:Q",
                title=value_title,
                axis=alt.Axis(format=axis_format, **common.HORIZONTAL_TITLE),
            ),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=labels, range=[c for _, c, _ in columns.values()]),
                legend=LEGEND,
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=labels, range=[d for _, _, d in columns.values()]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("time:N", title=tr("axis.slot")),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("value:Q", title=value_title, format=tip_format),
            ],
        )
        .properties(height=height)
    )


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


def calls_chart(per_interval: pd.DataFrame) -> alt.LayerChart:
    """Offered bars and the forecast line (one colour legend for both marks)."""
    call_series = {
        "offered": tr("staff.series_offered"),
        "forecast_offered": tr("staff.series_forecast"),
    }
    has_forecast = bool(per_interval["forecast_offered"].notna().any())
    if not has_forecast:
        call_series.pop("forecast_offered")
    call_long = per_interval.melt(
        id_vars=["time"], value_vars=list(call_series), var_name="column", value_name="calls"
    )
    call_long["series"] = call_long["column"].map(call_series)
    call_colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(
            domain=list(call_series.values()),
            range=[COLOURS["offered"], COLOURS["forecast"]][: len(call_series)],
        ),
        legend=alt.Legend(orient="top", labelLimit=320, offset=LEGEND_OFFSET),
    )
    call_tooltip = [
        alt.Tooltip("time:N", title=tr("axis.slot")),
        alt.Tooltip("series:N", title=" "),
        alt.Tooltip("calls:Q", title=tr("staff.axis_calls"), format=",.1f"),
    ]
    call_base = alt.Chart(call_long).encode(
        x=X_TIME,
        y=alt.Y("calls:Q", title=tr("staff.axis_calls"), axis=alt.Axis(**common.HORIZONTAL_TITLE)),
        color=call_colour,
        tooltip=call_tooltip,
    )
    call_layers = [call_base.mark_bar().transform_filter(alt.datum.column == "offered")]
    if has_forecast:
        call_layers.append(
            call_base.mark_line(
                strokeDash=[5, 3], point=alt.OverlayMarkDef(size=16, filled=True)
            ).transform_filter(alt.datum.column == "forecast_offered")
        )
    return alt.layer(*call_layers).properties(height=220)


def intervals_section(
    ctx: common.Context, day: dt.date, why: DayAnalysis
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Calls, agents and service level per interval; returns the scope and its intervals."""
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
    return scope, per_interval


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


def busiest_fill(ctx: common.Context, day: dt.date, scope, per_interval) -> None:
    """The note and button that put the day's busiest interval into the what-if inputs."""
    busiest = per_interval.loc[per_interval["offered"].idxmax()]
    patience = float(staffing.why_day(scope).iloc[0]["patience_s"])
    minutes = float(scope["interval_s"].iloc[0]) / 60.0
    fill = {
        "staff_calls": busiest["offered"],
        "staff_aht": busiest["aht_s"],
        "staff_thr": ctx.settings.sl_threshold_s,
        "staff_tgt": ctx.settings.sl_target * 100,
    }
    if round(minutes) in INTERVAL_LENGTHS:
        fill["staff_len"] = minutes
    if math.isfinite(patience):
        fill["staff_pat"] = patience
    fill = {k: v for k, v in fill.items() if math.isfinite(v)}
    note_col, button_col = st.columns([3, 1], vertical_alignment="center")
    with note_col:
        st.caption(
            tr(
                "staff.fill_note",
                day=day.isoformat(),
                time=busiest["time"],
                calls=common.fmt_count(busiest["offered"]),
                aht=seconds(busiest["aht_s"]),
                patience=seconds(patience) if math.isfinite(patience) else tr("staff.no_patience"),
            )
        )
    with button_col:
        st.button(
            tr("staff.fill_busiest"),
            on_click=_fill_whatif,
            args=(fill,),
            key="staff_fill",
            icon=":material/input:",
        )


def whatif_inputs() -> None:
    inputs = st.columns(7)
    labels = {
        "staff_calls": (tr("staff.in_calls"), None),
        "staff_len": (tr("staff.in_len"), None),
        "staff_aht": (tr("staff.in_aht"), None),
        "staff_thr": (tr("staff.in_thr"), None),
        "staff_tgt": (tr("staff.in_tgt"), None),
        "staff_shr": (tr("staff.in_shr"), tr("staff.in_shr_help")),
        "staff_pat": (tr("staff.in_pat"), tr("staff.in_pat_help")),
    }
    for column, (key, (label, help_text)) in zip(inputs, labels.items(), strict=True):
        _, _, low, high = WHATIF[key]
        with column:
            if key == "staff_len":
                st.selectbox(
                    label,
                    options=list(INTERVAL_LENGTHS),
                    key=key,
                    on_change=_whatif_changed,
                    args=(key,),
                )
            else:
                st.number_input(
                    label,
                    min_value=low,
                    max_value=high,
                    step=1,
                    key=key,
                    help=help_text,
                    on_change=_whatif_changed,
                    args=(key,),
                )


def whatif_boxes(what: dict, shrinkage_pct: int, patience_s: int) -> None:
    """Required and scheduled agents by Erlang C and A, and the queue at that many agents."""
    shrinkage_text = i18n.format_number(shrinkage_pct / 100, "percent", common.lang(), decimals=0)
    box_c, box_a = st.columns(2)
    with box_c.container(border=True):
        st.markdown(f"**{tr('staff.box_erlang_c')}**")
        left, right = st.columns(2)
        left.metric(
            tr("staff.required"),
            common.fmt_count(what["required_c"]),
            help=tr("staff.required_help"),
        )
        right.metric(
            tr("staff.scheduled", shrinkage=shrinkage_text), common.fmt_count(what["scheduled_c"])
        )
        at = what["at_c"]
        st.caption(
            tr(
                "staff.at_required_c",
                agents=what["required_c"],
                sl=pct(at["service_level"]),
                p_wait=pct(at["p_wait"]),
                asa=seconds(at["asa_s"], 1),
                occupancy=pct(at["occupancy"]),
            )
        )
    with box_a.container(border=True):
        st.markdown(f"**{tr('staff.box_erlang_a', patience=seconds(patience_s))}**")
        left, right = st.columns(2)
        left.metric(
            tr("staff.required"),
            common.fmt_count(what["required_a"]),
            help=tr("staff.required_help"),
        )
        right.metric(
            tr("staff.scheduled", shrinkage=shrinkage_text), common.fmt_count(what["scheduled_a"])
        )
        at = what["at_a"]
        st.caption(
            tr(
                "staff.at_required_a",
                agents=what["required_a"],
                sl=pct(at["service_level"]),
                abandon=pct(at["p_abandon"]),
                asa=seconds(at["asa_s"], 1),
                occupancy=pct(at["occupancy"]),
            )
        )
    st.caption(tr("staff.load", load=f"{at['load_erlangs']:,.2f}"))


def curve_chart(
    curve: pd.DataFrame, models: dict[str, str], columns: dict[str, str], title, fmt, top, rule
) -> alt.LayerChart:
    """One what-if panel over the agent counts: column -> model code ("erlang_c"/"erlang_a")."""
    x_agents = alt.X("agents:O", title=tr("staff.axis_agents_phones"), axis=alt.Axis(labelAngle=0))
    long = curve.melt(id_vars=["agents"], value_vars=list(columns), var_name="column")
    long["model"] = long["column"].map({column: models[m] for column, m in columns.items()})
    long = long[long["value"].map(math.isfinite)]
    shown = [m for m in models if m in columns.values()]
    scale = alt.Scale(domain=[0, top]) if top else alt.Scale()
    lines = (
        alt.Chart(long)
        .mark_line(point=alt.OverlayMarkDef(size=30, filled=True), clip=True)
        .encode(
            x=x_agents,
            y=alt.Y(
                "value:Q",
                title=title,
                scale=scale,
                axis=alt.Axis(format=fmt, **common.HORIZONTAL_TITLE),
            ),
            color=alt.Color(
                "model:N",
                title=None,
                scale=alt.Scale(
                    domain=[models[m] for m in shown], range=[COLOURS[m] for m in shown]
                ),
                legend=LEGEND,
            ),
            tooltip=[
                alt.Tooltip("agents:O", title=tr("staff.col_agents")),
                alt.Tooltip("model:N", title=" "),
                alt.Tooltip("value:Q", title=title, format=fmt),
            ],
        )
    )
    layers = [lines]
    if rule is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"value": [rule]}))
            .mark_rule(color=COLOURS["target"], strokeDash=[6, 4])
            .encode(y="value:Q")
        )
    return alt.layer(*layers).properties(height=260)


def whatif_curves(curve: pd.DataFrame, threshold_s: int, target_pct: int, patience_s: int) -> None:
    """Four panels (SL, ASA, occupancy, abandon) over the agent counts, and their table."""
    models = {
        "erlang_c": tr("staff.box_erlang_c"),
        "erlang_a": tr("staff.box_erlang_a", patience=seconds(patience_s)),
    }
    # ASA near an unstable queue runs to minutes: the axis stops at the slowest Erlang A
    # answer (bounded by the patience) or three thresholds, whichever is larger
    asa_top = max(float(curve["erlang_a_asa_s"].max()), 3.0 * threshold_s, 1.0)
    panels = {  # file and key name -> (columns, title, format, axis top, target rule)
        "sl": (
            {"erlang_c_sl": "erlang_c", "erlang_a_sl": "erlang_a"},
            tr("staff.curve_sl"),
            ".0%",
            1,
            target_pct / 100,
        ),
        "asa": (
            {"erlang_c_asa_s": "erlang_c", "erlang_a_asa_s": "erlang_a"},
            tr("staff.curve_asa"),
            ",.0f",
            asa_top,
            None,
        ),
        "occupancy": (
            {"erlang_c_occupancy": "erlang_c", "erlang_a_occupancy": "erlang_a"},
            tr("kpi.occupancy"),
            ".0%",
            1,
            None,
        ),
        "abandon": (
            {"erlang_a_p_abandon": "erlang_a"},
            tr("staff.curve_abandon"),
            ".0%",
            None,
            None,
        ),
    }
    panel_names = list(panels)
    for row_start in (0, 2):
        pair = panel_names[row_start : row_start + 2]
        for column, name in zip(st.columns(2), pair, strict=True):
            with column:
                chart = curve_chart(curve, models, *panels[name])
                st.altair_chart(chart, width="stretch", key=f"staff_whatif_{name}_chart")
                common.png_download(
                    chart, f"staffing_whatif_{name}", key=f"staff_whatif_{name}_chart"
                )
    with st.expander(tr("staff.curve_table")):
        shown = pd.DataFrame(
            {
                tr("staff.col_agents"): curve["agents"],
                tr("staff.col_c_sl"): (curve["erlang_c_sl"] * 100).round(1),
                tr("staff.col_c_asa"): curve["erlang_c_asa_s"].round(1),
                tr("staff.col_c_occupancy"): (curve["erlang_c_occupancy"] * 100).round(1),
                tr("staff.col_a_sl"): (curve["erlang_a_sl"] * 100).round(1),
                tr("staff.col_a_asa"): curve["erlang_a_asa_s"].round(1),
                tr("staff.col_a_occupancy"): (curve["erlang_a_occupancy"] * 100).round(1),
                tr("staff.col_a_abandon"): (curve["erlang_a_p_abandon"] * 100).round(1),
            }
        )
        st.dataframe(shown, hide_index=True, width="stretch")
        st.download_button(
            tr("overview.download_csv"),
            data=common.csv_bytes(shown),
            file_name="ccmetrics_staffing_whatif.csv",
            mime="text/csv",
            icon=":material/download:",
            key="staff_curve_csv",
        )


def whatif_section(ctx: common.Context, day: dt.date, scope=None, per_interval=None) -> None:
    """How many agents would one interval need? Erlang C and A from the inputs."""
    st.subheader(tr("staff.whatif_title"))
    st.caption(tr("staff.whatif_intro"))
    init_whatif()
    if per_interval is not None:
        busiest_fill(ctx, day, scope, per_interval)
    whatif_inputs()
    calls, minutes, aht_s = state["staff_calls"], state["staff_len"], state["staff_aht"]
    threshold_s, target_pct = state["staff_thr"], state["staff_tgt"]
    shrinkage_pct, patience_s = state["staff_shr"], state["staff_pat"]
    try:
        what = _whatif(calls, minutes, aht_s, threshold_s, target_pct, shrinkage_pct, patience_s)
    except (ValueError, ArithmeticError) as error:  # e.g. an overflow far below the load
        failure("staff.whatif_error", error)
        return
    whatif_boxes(what, shrinkage_pct, patience_s)
    whatif_curves(what["curve"], threshold_s, target_pct, patience_s)


def accuracy_chart(errors: pd.DataFrame) -> alt.Chart:
    """Actual, forecast and seasonal-naive calls per day."""
    long = errors.melt(
        id_vars=["period"], value_vars=["actual", "forecast", "naive"], var_name="series"
    )
    series_names = {
        "actual": tr("staff.series_actual"),
        "forecast": tr("staff.series_forecast"),
        "naive": tr("staff.series_naive"),
    }
    long["series"] = long["series"].map(series_names)
    long["day"] = pd.to_datetime(long["period"]).dt.strftime("%Y-%m-%d")
    return (
        alt.Chart(long.dropna(subset=["value"]))
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "day:O",
                title=tr("axis.day"),
                axis=alt.Axis(
                    labelExpr="slice(datum.value, 5)", labelAngle=0, labelOverlap="parity"
                ),
            ),
            y=alt.Y("value:Q", title=tr("axis.offered"), axis=alt.Axis(**common.HORIZONTAL_TITLE)),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(
                    domain=list(series_names.values()),
                    range=[COLOURS["staffed"], COLOURS["required_actual"], COLOURS["naive"]],
                ),
                legend=LEGEND,
            ),
            tooltip=[
                alt.Tooltip("day:N", title=tr("axis.day")),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("value:Q", title=tr("axis.offered"), format=",.0f"),
            ],
        )
        .properties(height=280)
    )


def accuracy_section(ctx: common.Context, plan_key: str, plan) -> None:
    """The plan's forecast against the calls that came and against a seasonal-naive forecast."""
    st.subheader(tr("staff.forecast_title"))
    range_start = pd.Timestamp(ctx.start)
    range_end = pd.Timestamp(ctx.end_exclusive)
    frame = ctx.dataset.frame
    forecast_frame = frame if plan_key == "dataset" else plan
    if not has_values(forecast_frame, "forecast_offered"):
        st.info(tr("staff.no_forecast"), icon=":material/query_stats:")
        return
    try:
        by_day, by_interval, errors = _accuracy(
            ctx.dataset.key, plan_key, range_start, range_end, ctx.queues, _frame=frame, _plan=plan
        )
    except ValueError as error:
        failure("staff.error", error)
        return
    if by_day.empty or by_day["periods"].iloc[0] == 0:
        st.info(tr("staff.acc_no_benchmark"), icon=":material/query_stats:")
        return
    st.caption(tr("staff.acc_caption", start=ctx.start.isoformat(), end=ctx.end.isoformat()))
    accuracy = pd.concat([by_day, by_interval], ignore_index=True)
    level_names = {"day": tr("staff.level_day"), "interval": tr("staff.level_interval")}
    shown = pd.DataFrame(
        {
            tr("staff.col_level"): accuracy["level"].map(level_names),
            tr("staff.col_periods"): accuracy["periods"],
            tr("staff.col_wape"): (accuracy["wape"] * 100).round(1),
            tr("staff.col_naive_wape"): (accuracy["naive_wape"] * 100).round(1),
            tr("staff.col_bias"): (accuracy["bias"] * 100).round(1),
            tr("staff.col_naive_bias"): (accuracy["naive_bias"] * 100).round(1),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch", column_config=common.column_config(shown))
    daily_row = by_day.iloc[0]
    sentence = tr(
        "staff.acc_better" if daily_row["relative_wape"] < 1 else "staff.acc_worse",
        wape=pct(daily_row["wape"]),
        naive=pct(daily_row["naive_wape"]),
    )
    bias_key = "staff.bias_over" if daily_row["bias"] > 0 else "staff.bias_under"
    st.markdown(sentences(sentence, tr(bias_key, bias=pct(abs(daily_row["bias"])))))
    daily_errors = errors[(errors["period"] >= range_start) & (errors["period"] < range_end)]
    st.markdown(f"**{tr('staff.chart_daily')}**")
    chart = accuracy_chart(daily_errors)
    st.altair_chart(chart, width="stretch", key="staff_accuracy_chart")
    common.png_download(
        chart, f"staffing_forecast_accuracy_{ctx.start}_{ctx.end}", key="staff_accuracy_chart"
    )


def own_forecast_chart(history: pd.DataFrame, ahead: pd.DataFrame) -> alt.LayerChart:
    """The last eight weeks of calls, the forecast ahead and its prediction band."""
    actual_name, forecast_name = tr("staff.series_actual"), tr("staff.series_forecast")
    lines = pd.concat(
        [
            history.tail(8 * 7).assign(series=actual_name, calls=lambda f: f["offered"]),
            ahead.assign(series=forecast_name, calls=lambda f: f["forecast"]),
        ],
        ignore_index=True,
    )[["date", "series", "calls"]]
    # a tick a week: Vega's default restarts its 4-day ticks at each month (03-29, 04-01)
    x_date = alt.X(
        "date:T",
        title=tr("axis.day"),
        axis=alt.Axis(format="%m-%d", tickCount={"interval": "week", "step": 1}),
    )
    band = (
        alt.Chart(ahead)
        .mark_area(color=COLOURS["required_plan"], opacity=0.35)
        .encode(
            x=x_date,
            y="lower:Q",
            y2="upper:Q",
            tooltip=[
                alt.Tooltip("date:T", title=tr("axis.day"), format="%Y-%m-%d"),
                alt.Tooltip("lower:Q", title=tr("staff.series_interval"), format=",.0f"),
                alt.Tooltip("upper:Q", title=tr("staff.series_interval"), format=",.0f"),
            ],
        )
    )
    history_lines = (
        alt.Chart(lines)
        .mark_line(point=alt.OverlayMarkDef(size=20, filled=True))
        .encode(
            x=x_date,
            y=alt.Y("calls:Q", title=tr("axis.offered"), axis=alt.Axis(**common.HORIZONTAL_TITLE)),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(
                    domain=[actual_name, forecast_name],
                    range=[COLOURS["staffed"], COLOURS["required_actual"]],
                ),
                legend=LEGEND,
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=[actual_name, forecast_name], range=[SOLID, DASHED]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("date:T", title=tr("axis.day"), format="%Y-%m-%d"),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("calls:Q", title=tr("axis.offered"), format=",.0f"),
            ],
        )
    )
    return alt.layer(band, history_lines).properties(height=280)


def own_forecast_section(ctx: common.Context) -> pd.DataFrame:
    """The app's own daily forecast, evaluated on rolling origins; returns the daily history."""
    st.markdown(f"**{tr('staff.own_title')}**")
    range_end = pd.Timestamp(ctx.end_exclusive)
    try:
        history = _history(ctx.dataset.key, range_end, ctx.queues, _frame=ctx.dataset.frame)
    except ValueError as error:
        failure("staff.error", error)
        history = pd.DataFrame(columns=["date", "offered"])
    if len(history) < forecast.MIN_HISTORY_DAYS + 7:
        st.info(tr("staff.own_short", days=forecast.MIN_HISTORY_DAYS + 7, have=len(history)))
        return history
    try:
        summary, ahead = _own_forecast(
            ctx.dataset.key, range_end, ctx.queues, _history_frame=history
        )
    except ValueError as error:
        failure("staff.error", error)
        return history
    st.caption(
        tr(
            "staff.own_caption",
            days=len(history),
            end=ctx.end.isoformat(),
            origins=int(summary["origins"]),
        )
    )
    st.markdown(
        tr(
            "staff.own_result",
            wape=pct(summary["wape"]),
            naive=pct(summary["naive_wape"]),
            coverage=pct(summary["interval_coverage"]),
        )
    )
    chart = own_forecast_chart(history, ahead)
    st.altair_chart(chart, width="stretch", key="staff_own_forecast_chart")
    common.png_download(chart, f"staffing_own_forecast_{ctx.end}", key="staff_own_forecast_chart")
    st.caption(tr("staff.band_note"))
    return history


def drivers_section(ctx: common.Context, day: dt.date, history: pd.DataFrame) -> None:
    """Daily drivers (weather, campaigns): their effect on calls and on the day."""
    st.subheader(tr("staff.drivers_title"))
    drivers_key, drivers, drivers_name = driver_source(ctx)
    if drivers is None:
        st.info(tr("staff.drivers_none"), icon=":material/thermostat:")
        return
    st.caption(
        tr(
            "staff.drivers_in_use",
            name=drivers_name,
            columns=", ".join(str(c) for c in drivers.columns if c != "date"),
        )
    )
    try:
        effects, contributions, flags = _drivers(
            ctx.dataset.key,
            pd.Timestamp(ctx.end_exclusive),
            ctx.queues,
            drivers_key,
            _history_frame=history,
            _drivers_frame=drivers,
        )
    except ValueError as error:
        failure("staff.drivers_error", error)
        return
    st.caption(tr("staff.drivers_caption", days=len(contributions)))
    verdicts = {
        "useful": tr("staff.verdict_useful"),
        "not significant": tr("staff.verdict_not_significant"),
        "no hold-out gain": tr("staff.verdict_no_gain"),
        "not testable on hold-out": tr("staff.verdict_not_testable"),
    }
    driver_table(effects, verdicts)
    lines = []
    for row in effects.itertuples():
        lines.append(
            "- "
            + common.tr_md(
                "staff.driver_flag" if flags.get(row.driver) else "staff.driver_numeric",
                driver=driver_label(row.driver),
                effect=signed_pct(row.effect),
                low=signed_pct(row.effect_low),
                high=signed_pct(row.effect_high),
                verdict=verdicts[row.verdict],
            )
        )
    st.markdown("\n".join(lines))
    on_day = contributions[pd.to_datetime(contributions["date"]).dt.date == day]
    if not on_day.empty:
        day_drivers(day, on_day.iloc[0], list(effects["driver"]))


def driver_table(effects: pd.DataFrame, verdicts: dict[str, str]) -> None:
    table = pd.DataFrame(
        {
            tr("staff.col_driver"): effects["driver"].map(driver_label),
            tr("staff.col_active"): effects["active_days"],
            tr("staff.col_effect"): (effects["effect"] * 100).round(1),
            tr("staff.col_ci"): [
                f"{low * 100:+.1f} … {high * 100:+.1f}"
                for low, high in zip(effects["effect_low"], effects["effect_high"], strict=True)
            ],
            tr("staff.col_holdout"): [
                f"{pct(without)} → {pct(with_)}"
                for without, with_ in zip(
                    effects["holdout_wape_without"], effects["holdout_wape_with"], strict=True
                )
            ],
            tr("staff.col_verdict"): effects["verdict"].map(verdicts),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", column_config=common.column_config(table))


def day_drivers(day: dt.date, row, drivers: list[str]) -> None:
    """The selected day's calls split into baseline, each driver's calls and the rest."""
    lang = common.lang()
    added = {name: row[f"from_{name}"] for name in drivers}
    parts = [
        tr(
            "staff.day_driver_part",
            driver=driver_label(name),
            calls=i18n.format_change(calls, "count", lang),
        )
        for name, calls in added.items()
        if abs(calls) >= 0.5
    ]
    if abs(row["from_interaction"]) >= 0.5:
        parts.append(
            tr(
                "staff.day_interaction",
                calls=i18n.format_change(row["from_interaction"], "count", lang),
            )
        )
    if not parts:
        parts = [tr("staff.day_no_drivers")]
    st.info(
        sentences(
            tr(
                "staff.day_drivers",
                day=day.isoformat(),
                offered=common.fmt_count(row["offered"]),
                baseline=common.fmt_count(row["baseline"]),
                parts=("，" if lang == "zh" else ", ").join(parts),
            ),
            tr(
                "staff.day_residual",
                calls=i18n.format_change(row["residual"], "count", lang),
            ),
        ),
        icon=":material/thermostat:",
    )


# =========================================================================== page


def main() -> None:
    ctx = common.context()
    st.title(tr("nav.staffing"))
    st.caption(tr("staff.intro"))
    plan_key, plan, plan_name = plan_source(ctx)
    uploads_section(plan)
    st.caption(common.tr_md("staff.source", data=ctx.dataset.name, plan=plan_name))
    day, model = day_and_model(ctx)
    why = story_section(ctx, day, model, plan_key, plan)
    scope = per_interval = None
    if why is not None:
        scope_notes_section(day, why)
    if why is not None and why.row is not None:
        tiles_section(why)
        waterfall_section(day, why.row)
        scope, per_interval = intervals_section(ctx, day, why)
        classes_section(day, why)
    whatif_section(ctx, day, scope, per_interval)
    accuracy_section(ctx, plan_key, plan)
    history = own_forecast_section(ctx)
    drivers_section(ctx, day, history)


if __name__ == "__main__":
    main()
