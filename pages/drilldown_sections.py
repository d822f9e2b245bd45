"""The Drill-down page's sections: window, hour strip, options, tiles, baseline, verdict,
ranked elements, the calls behind a node and the notes.

Each section reads state, calls ``ccmetrics`` (through the cached calls below) and
draws; :func:`pages.drilldown_page.main` runs them in order. The decomposition tree
is drawn by :mod:`pages.drilldown_tree`.
"""

from __future__ import annotations

import functools

import altair as alt
import pandas as pd
import streamlit as st

from ccmetrics import drill, kpi
from ccmetrics.schema import CALL_COLUMNS, INTERVAL_COLUMNS
from pages import common
from pages.common import tr
from pages.drilldown_state import (
    TIME_STEP_MIN,
    Window,
    adjust_names,
    clock,
    clock_of,
    element_text,
    is_missing,
    node_text,
    on_param_widget,
    on_window_picked,
    p_text,
    resolve_window,
    set_path,
    sig,
    time_options,
    window_text,
)

__all__ = [
    "filtered",
    "explanation",
    "tree_level",
    "node_calls",
    "operating_hours",
    "window_section",
    "hour_strip",
    "options_section",
    "menu_path_option",
    "tiles_section",
    "baseline_section",
    "verdict_section",
    "ranked_section",
    "calls_section",
    "notes_section",
]

#: Rows of the calls list shown on the page (the download holds every row).
MAX_LISTED = 1000
#: KPI tiles shown against the baseline, with the sense of a rise (as on the Overview).
TILES = common.TILES
TILES_PER_ROW = 5


# --------------------------------------------------------------------------- cached ccmetrics calls


@st.cache_resource(show_spinner=False, max_entries=2)
def filtered(key: str, queues: tuple, _frame: pd.DataFrame) -> pd.DataFrame:
    """The dataset with the sidebar's queue filter (every time: the baseline lies weeks back)."""
    return kpi.subset(_frame, filters={"queue": list(queues)}) if queues else _frame


@st.cache_data(show_spinner=False, max_entries=64)
def explanation(
    key, queues, start, end, metric, settings, p_adjust, _frame, dims=None
) -> drill.Explanation:
    return drill.explain(
        _frame,
        (start, end),
        metric=metric,
        settings=settings,
        p_adjust=p_adjust,
        dims=None if dims is None else list(dims),
    )


@st.cache_data(show_spinner=False, max_entries=256)
def tree_level(
    key, queues, start, end, baseline, dim, metric, settings, path, p_adjust, _frame
) -> pd.DataFrame:
    return drill.decompose(
        _frame,
        (start, end),
        list(baseline),
        dim,
        metric=metric,
        settings=settings,
        path=dict(path),
        p_adjust=p_adjust,
    )


@st.cache_data(show_spinner=False, max_entries=32)
def node_calls(key, queues, start, end, path, _frame) -> pd.DataFrame:
    return drill.element_calls(_frame, dict(path) if path else None, [(start, end)])


@st.cache_data(show_spinner=False, max_entries=8)
def operating_hours(key: str, _frame: pd.DataFrame) -> tuple[int, int]:
    return kpi.operating_hours(_frame, TIME_STEP_MIN)


# --------------------------------------------------------------------------- sections


def window_section(ctx: common.Context) -> Window:
    state = st.session_state
    day = common.selected_day(ctx)
    window = resolve_window(
        common.page_param("dd_start"),
        common.page_param("dd_end"),
        state.get("interval"),
        common.page_param("dd_minutes"),
        day,
    )
    weekday_names = [tr(f"weekday.{d}") for d in range(7)]
    text = window_text(window, weekday_names)
    if window.source == "interval":
        minutes = int((window.end - window.start) / pd.Timedelta(minutes=1))
        st.markdown(tr("dd.window_interval", window=text, minutes=minutes))
    elif window.source == "day":
        st.markdown(tr("dd.window_day", window=text))
    elif state.get("_dd_signal_window") == (
        common.page_param("dd_start"),
        common.page_param("dd_end"),
    ):
        st.markdown(tr("dd.window_signal", window=text))
    else:
        st.markdown(tr("dd.window_picked", window=text))

    first_day = window.start.normalize()
    # the picker shows the window in force (set before the widgets are drawn)
    state["drill_day"] = min(max(first_day.date(), ctx.dataset.first_day), ctx.dataset.last_day)
    start_text = clock(window.start, first_day)
    end_text = (
        clock(window.end, first_day) if window.end <= first_day + pd.Timedelta(days=1) else "24:00"
    )
    opening, closing = operating_hours(ctx.dataset.key, _frame=ctx.dataset.frame)
    hours = (clock_of(opening), clock_of(closing))
    state["_dd_hours"] = hours
    if (start_text, end_text) == ("00:00", "24:00"):
        start_text, end_text = hours  # the whole day reads as the center's opening hours
    state["dd_from_pick"], state["dd_to_pick"] = start_text, end_text
    options = time_options(start_text, end_text, hours=(opening, closing))
    with st.expander(tr("dd.pick_title"), icon=":material/schedule:"):
        day_col, from_col, to_col = st.columns([2, 1, 1])
        day_col.date_input(
            tr("drill.day"),
            min_value=ctx.dataset.first_day,
            max_value=ctx.dataset.last_day,
            format="YYYY-MM-DD",
            key="drill_day",
            on_change=on_window_picked,
        )
        from_col.selectbox(
            tr("dd.pick_from"),
            options=[o for o in options if o != "24:00"],
            key="dd_from_pick",
            on_change=on_window_picked,
        )
        to_col.selectbox(
            tr("dd.pick_to"),
            options=[o for o in options if o != "00:00"],
            key="dd_to_pick",
            on_change=on_window_picked,
        )
        st.caption(tr("dd.pick_help"))
    if state.pop("_dd_bad_pick", False):
        st.warning(tr("dd.pick_bad"), icon=":material/error:")
    return window


def hour_strip(ctx: common.Context, window: Window) -> None:
    """The day's offered calls and service level by hour, the window's hours highlighted."""
    day = window.start.normalize()
    st.markdown(f"**{tr('drill.by_hour', day=day.strftime('%Y-%m-%d'))}**")
    hours = common.breakdown(
        ctx, freq="h", start=day.date(), end=(day + pd.Timedelta(days=1)).date()
    )
    if hours.empty:
        st.caption(tr("overview.no_data"))
        return
    starts = pd.to_datetime(hours["period"])
    inside = drill.overlapping(starts, pd.Timedelta(hours=1), (window.start, window.end))
    data = pd.DataFrame(
        {
            "hour": starts.dt.strftime("%H:%M"),
            "offered": hours["offered"].astype(float),
            "service_level": hours["service_level"].astype(float),
            "part": [tr("dd.hour_in") if v else tr("dd.hour_out") for v in inside],
        }
    )
    x = alt.X("hour:O", title=None, axis=alt.Axis(labelAngle=0))
    tooltip = [
        alt.Tooltip("hour:N", title=tr("axis.slot")),
        alt.Tooltip("offered:Q", title=tr("axis.offered"), format=",.0f"),
        alt.Tooltip("service_level:Q", title=tr("axis.service_level"), format=".1%"),
    ]
    bars = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y(
                "offered:Q",
                title=tr("axis.offered"),
                axis=alt.Axis(titleColor="#3182bd", **common.HORIZONTAL_TITLE),
            ),
            color=alt.Color(
                "part:N",
                title=None,
                scale=alt.Scale(
                    domain=[tr("dd.hour_in"), tr("dd.hour_out")], range=["#3182bd", "#c6dbef"]
                ),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=tooltip,
        )
    )
    line = (
        alt.Chart(data)
        .mark_line(color="#d62728", point=alt.OverlayMarkDef(color="#d62728", size=25))
        .encode(
            x=x,
            y=alt.Y(
                "service_level:Q",
                title=tr("axis.service_level"),
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%", titleColor="#d62728", **common.HORIZONTAL_TITLE),
            ),
            tooltip=tooltip,
        )
    )
    chart = alt.layer(bars, line).resolve_scale(y="independent").properties(height=190)
    st.altair_chart(chart, width="stretch", key="dd_hours_chart")
    common.png_download(chart, "drilldown_hours", key="dd_hours_chart")


def options_section(frame: pd.DataFrame) -> tuple[str, str]:
    """Metric and multiple-testing adjustment, mirrored in the URL (the menu-path choice:
    :func:`menu_path_option`)."""
    state = st.session_state
    missing = kpi.missing_inputs(frame)
    metrics = [m for m in drill.METRICS if m not in missing]
    metric = common.page_param("dd_metric", "service_level")
    if metric not in metrics:
        metric = metrics[0]
    p_adjust = common.page_param("dd_padj", "holm")
    if p_adjust not in drill.P_ADJUST_METHODS:
        p_adjust = "holm"
    state["dd_metric_pick"], state["dd_padj_pick"] = metric, p_adjust
    metric_col, adjust_col = st.columns([3, 1])
    metric_col.selectbox(
        tr("dd.metric"),
        options=metrics,
        format_func=common.labeller("kpi."),
        key="dd_metric_pick",
        on_change=on_param_widget,
        args=("dd_metric_pick", "dd_metric", "service_level"),
        help=tr("dd.metric_help"),
    )
    names = adjust_names()
    adjust_col.selectbox(
        tr("dd.adjust"),
        options=list(drill.P_ADJUST_METHODS),
        format_func=names.get,
        key="dd_padj_pick",
        on_change=on_param_widget,
        args=("dd_padj_pick", "dd_padj", "holm"),
        help=tr("dd.adjust_help"),
    )
    return metric, p_adjust


def menu_path_option(frame: pd.DataFrame) -> tuple[str, ...] | None:
    """The dimensions to explain by: the default ones, plus the IVR menu path when the data
    has one and the manager asks for it (``dd_ivr=1`` in the URL). None: the default."""
    if "ivr_path" not in frame.columns or not frame["ivr_path"].notna().any():
        return None
    state = st.session_state
    state["dd_ivr_pick"] = common.page_param("dd_ivr", "0") == "1"
    st.checkbox(
        tr("dd.ivr_path_option"),
        key="dd_ivr_pick",
        on_change=_on_menu_path_option,
        help=tr("dd.ivr_path_option_help"),
    )
    if not state["dd_ivr_pick"]:
        return None
    return tuple(d for d in drill.DRILL_DIMENSIONS if d in frame.columns)


def _on_menu_path_option() -> None:
    common.set_page_param("dd_ivr", "1" if st.session_state.get("dd_ivr_pick") else None)


def tiles_section(e: drill.Explanation) -> None:
    table = e.kpis.set_index("kpi") if e.kpis is not None else pd.DataFrame()
    shown = [
        (name, sense)
        for name, sense in TILES
        if name in table.index and not is_missing(table.loc[name, "anomaly"])
    ]
    st.subheader(tr("dd.kpis_title"))
    for row_start in range(0, len(shown), TILES_PER_ROW):
        columns = st.columns(TILES_PER_ROW)
        for column, (name, sense) in zip(
            columns, shown[row_start : row_start + TILES_PER_ROW], strict=False
        ):
            row = table.loc[name]
            delta = common.fmt_change(name, row["change"])
            zero = delta is not None and not any(ch in "123456789" for ch in delta.split(" ")[0])
            with column.container(border=True):
                st.metric(
                    tr(f"tile.{name}"),
                    common.fmt(name, row["anomaly"]),
                    delta=delta,
                    delta_color="off" if zero else sense,
                    delta_arrow="off" if zero else "auto",
                    help=tr(
                        "dd.tile_help",
                        n=common.fmt_count(row["n_anomaly"]),
                        n_baseline=common.fmt_count(row["n_baseline"]),
                    ),
                )
                st.caption(tr("dd.tile_baseline", value=common.fmt(name, row["baseline"])))


def baseline_section(e: drill.Explanation, metric: str) -> None:
    windows = e.baseline_windows
    weekday_names = [tr(f"weekday.{d}") for d in range(7)]

    def label(start, end) -> str:
        return window_text(Window(pd.Timestamp(start), pd.Timestamp(end), "picked"), weekday_names)

    def short(start) -> str:
        start = pd.Timestamp(start)
        return f"{start:%m-%d} ({weekday_names[start.day_of_week]})"

    if windows is None or windows.empty:
        used = ", ".join(short(start) for start, _ in e.baseline)
        st.caption(tr("dd.baseline_given", windows=used))
        return
    source = {
        "previous weeks": tr("dd.source_previous"),
        "following weeks": tr("dd.source_following"),
        "the window just before": tr("dd.source_before"),
    }.get(windows.attrs.get("source"), tr("dd.source_previous"))
    used = windows[windows["used"]]
    skipped = windows[windows["excluded"]]
    text = tr(
        "dd.baseline_used",
        count=len(used),
        source=source,
        windows=", ".join(short(s) for s in used["start"]),
    )
    if len(skipped):
        text += " " + tr(
            "dd.baseline_skipped", windows=", ".join(short(s) for s in skipped["start"])
        )
    st.caption(text + " " + tr("dd.baseline_scaled"))
    reasons = {
        "anomalous value": tr("dd.reason_value", kpi=tr(f"kpi.{metric}")),
        "anomalous volume": tr("dd.reason_volume"),
        "anomalous service level": tr("dd.reason_service"),
        "no data": tr("dd.reason_no_data"),
    }
    rows = []
    for row in windows.itertuples():
        if row.used:
            status = tr("dd.status_used")
        elif row.excluded or row.reason:
            status = reasons.get(row.reason, str(row.reason))
        else:
            status = tr("dd.status_spare")
        rows.append(
            {
                tr("dd.col_window"): label(row.start, row.end),
                tr("dd.col_weeks_away"): int(row.weeks_away),
                tr(f"tile.{metric}"): common.fmt(metric, row.value),
                tr("axis.offered"): common.fmt_count(row.volume),
                tr("dd.col_status"): status,
            }
        )
    with st.expander(tr("dd.baseline_title"), icon=":material/event_repeat:"):
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
        st.caption(tr("dd.baseline_help"))


def verdict_section(e: drill.Explanation, language: str) -> None:
    verdicts = {
        "concentrated": tr("dd.verdict_concentrated"),
        "broad": tr("dd.verdict_broad"),
        "local": tr("dd.verdict_local"),
        "none": tr("dd.verdict_none"),
    }
    meanings = {  # by drill.verdict_reason: a broad change after a surge is not "understaffing"
        "concentrated": tr("dd.verdict_concentrated_help"),
        "broad": tr("dd.verdict_broad_help"),
        "broad_volume": tr("dd.verdict_broad_volume_help"),
        "broad_handle_time": tr("dd.verdict_broad_handle_time_help"),
        "broad_supply": tr("dd.verdict_broad_supply_help"),
        "local": tr("dd.verdict_local_help"),
        "none": tr("dd.verdict_none_help"),
    }
    reason = drill.verdict_reason(e)
    body = (
        f"**{tr('dd.verdict', verdict=verdicts[e.verdict])}** — {meanings[reason]}\n\n"
        f"{common.md(e.summary[language])}"
    )
    if e.verdict == "none":
        st.success(body, icon=":material/check_circle:")
    else:
        st.info(body, icon=":material/troubleshoot:")


def _units(metric: str) -> dict[str, object]:
    """How the metric's values, impacts and headers are written."""
    unit = kpi.KPI_UNITS.get(metric, "score")
    if unit == "percent":
        return {
            "scale": 100.0,
            "decimals": 1,
            "value": lambda text: tr("header.percent", name=text),
            "change": lambda text: tr("dd.header_points", name=text),
        }
    if unit == "seconds":
        return {
            "scale": 1.0,
            "decimals": 0,
            "value": lambda text: tr("header.seconds", name=text),
            "change": lambda text: tr("header.seconds", name=text),
        }
    return {
        "scale": 1.0,
        "decimals": kpi.display_decimals(metric),
        "value": lambda text: text,
        "change": lambda text: text,
    }


def _ranked_display(table: pd.DataFrame, e: drill.Explanation, metric: str) -> pd.DataFrame:
    """The ranked elements of one side as shown: translated headers, rounded numbers."""
    units = _units(metric)
    scale, decimals = units["scale"], units["decimals"]
    name = tr(f"tile.{metric}")
    method = adjust_names()[e.p_adjust]
    out = pd.DataFrame(index=table.index)
    out[tr("dd.col_element")] = [element_text(v) for v in table["values"]]
    out[tr("dd.col_finding")] = [
        tr("dd.status_selected")
        if selected
        else tr("dd.bar_significant")
        if significant
        else tr("dd.bar_not_significant")
        for selected, significant in zip(table["selected"], table["significant"], strict=True)
    ]
    if e.kind != "count":
        out[units["value"](tr("dd.col_value_window", kpi=name))] = (
            table["rate_anomaly"] * scale
        ).round(decimals)
        out[units["value"](tr("dd.col_value_baseline", kpi=name))] = (
            table["rate_baseline"] * scale
        ).round(decimals)
    out[tr("dd.col_explained")] = (table["explained_share"] * 100).round(1)
    out[units["change"](tr("dd.col_impact"))] = (table["impact"] * scale).round(decimals)
    out[tr("dd.col_p", method=method)] = [p_text(p) for p in table["p_adjusted"]]
    out[units["change"](tr("dd.col_mix"))] = (table["mix_effect"] * scale).round(decimals)
    out[units["change"](tr("dd.col_rate"))] = (table["rate_effect"] * scale).round(decimals)
    out[tr("dd.col_n_window")] = table["n_anomaly"].round(0)
    out[tr("dd.col_n_baseline")] = table["n_baseline"].round(0)
    out[tr("header.percent", name=tr("dd.col_share_window"))] = (
        table["share_anomaly"] * 100
    ).round(1)
    out[tr("header.percent", name=tr("dd.col_share_baseline"))] = (
        table["share_baseline"] * 100
    ).round(1)
    numbers = out.select_dtypes("float").columns
    out[numbers] = out[numbers] + 0.0  # an effect that rounds to zero reads 0.0, not -0.0
    out = out.reset_index(drop=True)
    # each column keeps its decimals whatever its values (QA 89.0, not 89, beside 81.7)
    shares = {tr("dd.col_explained")} | {
        tr("header.percent", name=tr(key))
        for key in ("dd.col_share_window", "dd.col_share_baseline")
    }
    counts = {tr("dd.col_n_window"), tr("dd.col_n_baseline")}
    out.attrs["decimals"] = {
        column: 1 if column in shares else 0 if column in counts else decimals for column in numbers
    }
    return out


def _number_config(frame: pd.DataFrame) -> dict:
    if frame.attrs.get("decimals"):
        return common.column_config(frame)
    config = {}
    for column in frame.columns:
        series = frame[column]
        if pd.api.types.is_float_dtype(series):
            values = series.dropna()
            if (values == values.round(0)).all():
                config[column] = st.column_config.NumberColumn(format="localized")
            elif (values == values.round(1)).all():
                config[column] = st.column_config.NumberColumn(format="%.1f")
            else:
                config[column] = st.column_config.NumberColumn(format="%.2f")
    return config


def _on_row_picked(widget_key: str, elements: list[dict], dims: list[str]) -> None:
    selection = st.session_state.get(widget_key)
    rows = selection.selection.rows if selection else []
    if not rows:
        return
    values = elements[rows[0]]
    set_path([(d, values[d]) for d in values if d in dims])


def ranked_section(e: drill.Explanation, metric: str, dims: list[str]) -> None:
    st.subheader(tr("dd.ranked_title"))
    method = adjust_names()[e.p_adjust]
    tests = {"ratio": tr("dd.test_ratio"), "mean": tr("dd.test_mean"), "count": tr("dd.test_count")}
    st.caption(
        tr(
            "dd.ranked_help",
            count=len(e.table),
            method=method,
            test=tests.get(e.kind, ""),
            alpha=f"{e.alpha:g}",
        )
    )
    sides = [("demand", tr("dd.side_demand")), ("supply", tr("dd.side_supply"))]
    for side, title in sides:
        part = e.table[e.table["side"] == side]
        side_dims = e.dims.get(side, [])
        if not side_dims:
            continue
        st.markdown(
            f"**{title}** · "
            + tr("dd.side_dims", dims=common.join_list([tr(f"dim.{d}") for d in side_dims]))
        )
        if part.empty:
            st.caption(tr("dd.side_empty"))
            continue
        shown = _ranked_display(part, e, metric)
        # a new key once the path changed: the row picked last is not shown ticked any more
        key = f"dd_rank_{side}_{sig(e.anomaly, metric, e.p_adjust, common.page_param('dd_path'))}"
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(shown), 318),
            column_config=_number_config(shown),
            key=key,
            on_select=functools.partial(_on_row_picked, key, list(part["values"]), dims),
            selection_mode="single-row",
        )
    st.caption(tr("dd.ranked_columns"))


# --------------------------------------------------------------------------- calls


def _calls_display(rows: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Rows as listed and downloaded: canonical columns in schema order, translated headers."""
    columns = CALL_COLUMNS if kind == "calls" else INTERVAL_COLUMNS
    keep = [c for c in columns if c in rows.columns and rows[c].notna().any()]
    out = rows[keep].copy()
    for column in keep:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%d %H:%M:%S")
    out.columns = [common.field_name(c) for c in keep]
    return out.reset_index(drop=True)


def calls_section(ctx, window: Window, frame, path) -> None:
    kind = ctx.dataset.kind
    node = common.md(node_text(path))
    rows = node_calls(
        ctx.dataset.key, ctx.queues, window.start, window.end, tuple(path), _frame=frame
    )
    st.subheader(tr("dd.calls_title") if kind == "calls" else tr("dd.rows_title"))
    count = common.fmt_count(len(rows))
    if kind == "calls":
        st.markdown(tr("dd.calls_count", n=count, node=node))
    else:
        st.markdown(tr("dd.rows_count", n=count, node=node))
    shown = _calls_display(rows, kind)
    if len(shown) > MAX_LISTED:
        st.caption(tr("dd.calls_first", shown=common.fmt_count(MAX_LISTED)))
    listed = shown.head(MAX_LISTED).copy()
    for column in listed.columns:
        if isinstance(listed[column].dtype, pd.CategoricalDtype) or listed[column].dtype == object:
            listed[column] = listed[column].astype(object).where(listed[column].notna(), "")
    st.dataframe(listed, hide_index=True, width="stretch", height=300)
    stamp = window.start.strftime("%Y%m%d_%H%M")
    st.download_button(
        tr("dd.calls_download", n=common.fmt_count(len(rows))),
        data=common.csv_bytes(shown),
        file_name=f"ccmetrics_drilldown_{stamp}_{sig(path)}.csv",
        mime="text/csv",
        icon=":material/download:",
        key="dd_calls_csv",
        on_click="ignore",
    )


def notes_section(e: drill.Explanation) -> None:
    """Choices the data forced (``drill.note_code``), translated; the English note when it is
    of a new kind."""
    left_out: dict[str, list[str]] = {}
    lines = []
    for note in e.notes:
        code, dim = drill.note_code(note)
        if dim is not None:
            left_out.setdefault(code, []).append(dim)
        elif code == "csat_variance_bound":
            lines.append(tr("dd.note_csat_variance"))
        elif code == "assumed_cv":
            lines.append(tr("dd.note_cv", kpi=tr(f"kpi.{e.metric}")))
        else:
            lines.append(common.md(note))
    texts = {
        "left_out_answered_only": lambda dims: tr(
            "dd.note_answered_only", dims=dims, kpi=tr(f"kpi.{e.metric}")
        ),
        "left_out_one_value": lambda dims: tr("dd.note_one_value", dims=dims),
        "left_out_no_values": lambda dims: tr("dd.note_no_values", dims=dims),
    }
    for code, dims in left_out.items():
        names = common.join_list(
            [tr(f"dim.{d}") if d in drill.DRILL_DIMENSIONS else common.md(d) for d in dims]
        )
        lines.insert(0, texts[code](names))
    if lines:
        with st.expander(tr("dd.notes_title"), icon=":material/info:"):
            st.markdown("\n".join(f"- {line}" for line in lines))
