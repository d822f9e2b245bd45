"""Drill-down: why a window's KPI moved — verdict, ranked elements and a decomposition tree.

The page is opened from a control-chart signal, an Overview click, a pasted URL
or its own window picker. It shows the window's KPIs against the baseline (and
which baseline windows were used or skipped), the verdict and summary of
:func:`ccmetrics.drill.explain` for the metric picked, the ranked elements
(demand side and supply side apart), a decomposition tree the manager walks
one dimension at a time (:func:`ccmetrics.drill.decompose`), and the calls
behind the node reached (:func:`ccmetrics.drill.element_calls`), downloadable
as CSV. Every number comes from ``ccmetrics``; this page only reads state,
calls ccmetrics (cached), formats and draws.

Which window is explained
-------------------------
1. ``dd_start`` and ``dd_end`` ("YYYY-MM-DDTHH:MM", set by the window picker,
   carried by a shared link, or taken from the exact window a control-chart
   click hands over in ``st.session_state["anomaly_window"]`` — one interval,
   day or week) win;
2. else the shared ``interval`` ("YYYY-MM-DDTHH:MM", set by a control-chart
   signal): ``dd_minutes`` minutes from there — the chart's granularity, which
   the signalling page may set with ``set_page_param("dd_minutes", "60")``;
   30 minutes when absent;
3. else the shared ``day`` (an Overview click): the whole day;
4. else the last day of the sidebar's date range.

A new signal — ``day``/``interval`` different from what the page saw last —
drops the window picked by hand and the tree path, so a click elsewhere in the
app always opens what was clicked; a handed-over ``anomaly_window`` is used
only when it agrees with ``day``/``interval`` (a stale one is ignored). The window is not bound by the sidebar's
date range (the baseline lies weeks before it); the sidebar's queue filter and
KPI settings apply.

Page parameters in the URL
--------------------------
========== =====================================================================
dd_start   window start (with dd_end), "YYYY-MM-DDTHH:MM"
dd_end     window end, exclusive ("…T00:00" of the next day for a whole day)
dd_minutes length of an interval signal, minutes (default 30)
dd_metric  metric explained (a key of ``ccmetrics.drill.METRICS``)
dd_padj    multiple-testing adjustment, "holm" (default) or "bh"
dd_path    tree path, "category=Data plan (GPRS)|segment=Prepaid" (see
           :func:`encode_path`)
dd_split   dimension splitting the last node of the path
========== =====================================================================
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import math
from dataclasses import dataclass
from urllib.parse import unquote

import altair as alt
import pandas as pd
import streamlit as st

from ccmetrics import drill, i18n, kpi
from ccmetrics.schema import CALL_COLUMNS, INTERVAL_COLUMNS
from pages import common, story_panel
from pages.common import tr

__all__ = [
    "Window",
    "encode_path",
    "decode_path",
    "parse_stamp",
    "resolve_window",
    "window_text",
    "p_text",
]

DEFAULT_MINUTES = 30
#: Steps of the window picker's time lists (minutes).
TIME_STEP_MIN = 15
#: Bars drawn per tree level (the largest impacts; the selectbox lists every value).
MAX_BARS = 15
#: Rows of the calls list shown on the page (the download holds every row).
MAX_LISTED = 1000
STAMP_FORMAT = "%Y-%m-%dT%H:%M"
PICK = "dd_pick"
PAGE_PARAMS = ("dd_start", "dd_end", "dd_minutes", "dd_metric", "dd_padj", "dd_path", "dd_split")
#: KPI tiles shown against the baseline, with the sense of a rise (as on the Overview).
TILES = common.TILES
TILES_PER_ROW = 5
SIGNIFICANT_COLOR = "#2b6cb0"
NOT_SIGNIFICANT_COLOR = "#bcd4ea"
BAND_COLOR = "#d9d9d9"
ON_PATH_COLOR = "#dd6b20"


# --------------------------------------------------------------------------- pure helpers

#: Characters of a value escaped in ``dd_path`` ("%" first, so decoding is unambiguous).
_ESCAPES = (("%", "%25"), ("|", "%7C"), ("=", "%3D"))


def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def encode_path(items) -> str:
    """The tree path as URL text: ``"category=Data plan (GPRS)|segment=Prepaid"``.

    Parameters
    ----------
    items : sequence of (dimension, value)
        The nodes opened, root first; a missing value (None/NaN) selects the
        calls where the dimension is blank.

    Returns
    -------
    str
        ``dim=value`` pairs joined by ``|``; in a value, ``%``, ``|`` and ``=``
        are written ``%25``, ``%7C`` and ``%3D``; a missing value is empty.

    Examples
    --------
    >>> encode_path([("category", "Data plan (GPRS)"), ("segment", "Prepaid")])
    'category=Data plan (GPRS)|segment=Prepaid'
    >>> encode_path([("category", "A|B=50%"), ("team", None)])
    'category=A%7CB%3D50%25|team='
    """
    parts = []
    for dim, value in items:
        text = "" if _is_missing(value) else str(value)
        for char, code in _ESCAPES:
            text = text.replace(char, code)
        parts.append(f"{dim}={text}")
    return "|".join(parts)


def decode_path(text: str | None) -> list[tuple[str, str | None]]:
    """Read a ``dd_path`` written by :func:`encode_path` (values as text, None = missing).

    Raises
    ------
    ValueError
        When a part has no ``=`` or no dimension name.

    Examples
    --------
    >>> decode_path("category=A%7CB%3D50%25|team=")
    [('category', 'A|B=50%'), ('team', None)]
    """
    if not text:
        return []
    items = []
    for part in text.split("|"):
        dim, sep, value = part.partition("=")
        if not sep or not dim:
            raise ValueError(f"not a dim=value pair: {part!r}")
        items.append((dim, unquote(value) if value else None))
    return items


def parse_stamp(text) -> pd.Timestamp | None:
    """A "YYYY-MM-DDTHH:MM" (or any pandas-readable) time; None when absent or unreadable."""
    if not text:
        return None
    try:
        stamp = pd.Timestamp(str(text))
    except (ValueError, TypeError):
        return None
    return None if pd.isna(stamp) else stamp


@dataclass(frozen=True)
class Window:
    """The window explained: half-open ``[start, end)`` and where it came from.

    ``source`` is "picked" (dd_start/dd_end), "interval" (a control-chart
    signal) or "day" (a whole day).
    """

    start: pd.Timestamp
    end: pd.Timestamp
    source: str


def resolve_window(dd_start, dd_end, interval, minutes, day: dt.date) -> Window:
    """The window to explain, by the precedence documented in the module docstring.

    Examples
    --------
    >>> resolve_window(None, None, "2025-03-11T09:30", None, dt.date(2025, 3, 11))
    Window(start=Timestamp('2025-03-11 09:30:00'), end=Timestamp('2025-03-11 10:00:00'), source='interval')
    >>> resolve_window("2025-03-11T09:00", "2025-03-11T12:00", "2025-03-11T09:30", "60",
    ...     dt.date(2025, 3, 11)).end
    Timestamp('2025-03-11 12:00:00')
    """
    start, end = parse_stamp(dd_start), parse_stamp(dd_end)
    if start is not None and end is not None and start < end:
        return Window(start, end, "picked")
    begin = parse_stamp(interval)
    if begin is not None:
        try:
            length = float(minutes) if minutes else DEFAULT_MINUTES
        except (TypeError, ValueError):
            length = DEFAULT_MINUTES
        if not 1 <= length <= 7 * 24 * 60:
            length = DEFAULT_MINUTES
        return Window(begin, begin + pd.Timedelta(minutes=length), "interval")
    first = pd.Timestamp(day)
    return Window(first, first + pd.Timedelta(days=1), "day")


def _clock(stamp: pd.Timestamp, day: pd.Timestamp) -> str:
    """ "HH:MM" of a time on ``day``; "24:00" for the next midnight."""
    if stamp == day + pd.Timedelta(days=1):
        return "24:00"
    return stamp.strftime("%H:%M")


def window_text(window: Window, weekday_names) -> str:
    """ "2025-03-11 (Tue) 09:00–12:00"; a window over several days with both dates.

    Examples
    --------
    >>> names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    >>> w = Window(pd.Timestamp("2025-03-11 09:00"), pd.Timestamp("2025-03-12"), "picked")
    >>> window_text(w, names)
    '2025-03-11 (Tue) 09:00–24:00'
    """
    day = window.start.normalize()
    if window.end <= day + pd.Timedelta(days=1):
        return (
            f"{day:%Y-%m-%d} ({weekday_names[day.day_of_week]}) "
            f"{_clock(window.start, day)}–{_clock(window.end, day)}"
        )
    return f"{window.start:%Y-%m-%d %H:%M} – {window.end:%Y-%m-%d %H:%M}"


def p_text(p) -> str:
    """A p-value for a table: "<0.001", else three decimals; "–" when missing.

    Examples
    --------
    >>> p_text(1e-12), p_text(0.03412), p_text(float("nan"))
    ('<0.001', '0.034', '–')
    """
    if _is_missing(p):
        return "–"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def _percent(value) -> str:
    """A share with one decimal ("46.3%") in the language in force."""
    return i18n.format_number(value, "percent", common.lang())


def _join(names: list[str]) -> str:
    """Names as a list in the language in force ("A, B" / "A、B")."""
    return ("、" if common.lang() == "zh" else ", ").join(names)


def _sig(*parts) -> str:
    """A short stable id for widget keys (changes when any part changes)."""
    return hashlib.md5(repr(parts).encode("utf-8")).hexdigest()[:10]


# --------------------------------------------------------------------------- cached ccmetrics calls


@st.cache_resource(show_spinner=False, max_entries=2)
def _filtered(key: str, queues: tuple, _frame: pd.DataFrame) -> pd.DataFrame:
    """The dataset with the sidebar's queue filter (every time: the baseline lies weeks back)."""
    return kpi.subset(_frame, filters={"queue": list(queues)}) if queues else _frame


@st.cache_data(show_spinner=False, max_entries=64)
def _explain(key, queues, start, end, metric, settings, p_adjust, _frame) -> drill.Explanation:
    return drill.explain(_frame, (start, end), metric=metric, settings=settings, p_adjust=p_adjust)


@st.cache_data(show_spinner=False, max_entries=256)
def _decompose(
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
def _element_calls(key, queues, start, end, path, _frame) -> pd.DataFrame:
    return drill.element_calls(_frame, dict(path) if path else None, [(start, end)])


# --------------------------------------------------------------------------- state


def _forget_stale_window() -> None:
    """Follow a new signal: drop the hand-picked window and the path, adopt the signal's window.

    A new signal is a ``day``/``interval`` different from what the page saw last
    (an Overview click, a control-chart click). The Control charts page also
    hands over the exact window of the point clicked in
    ``st.session_state["anomaly_window"]`` ("YYYY-MM-DDTHH:MM" start and end:
    one interval, day or week); when it agrees with ``day``/``interval`` it
    becomes ``dd_start``/``dd_end``, so the URL carries it (a whole day stays
    ``day``).
    """
    state = st.session_state
    origin = [state.get("day"), state.get("interval")]
    previous = state.get("_dd_origin")
    changed = previous != origin
    if previous is not None and changed:
        for name in ("dd_start", "dd_end", "dd_path", "dd_split"):
            common.set_page_param(name, None)
    signal = state.get("anomaly_window")
    if signal and (changed or tuple(signal) != state.get("_dd_signal")):
        state["_dd_signal"] = tuple(signal)
        start, end = (parse_stamp(v) for v in tuple(signal)[:2])
        agrees = (
            start is not None
            and end is not None
            and start < end
            and start.strftime("%Y-%m-%d") == origin[0]
            and (origin[1] is None or start.strftime(STAMP_FORMAT) == origin[1])
        )
        whole_day = agrees and start == start.normalize() and end == start + pd.Timedelta(days=1)
        if agrees and not whole_day:
            common.set_page_param("dd_start", start.strftime(STAMP_FORMAT))
            common.set_page_param("dd_end", end.strftime(STAMP_FORMAT))
            common.set_page_param("dd_path", None)
            common.set_page_param("dd_split", None)
            state["_dd_signal_window"] = (start.strftime(STAMP_FORMAT), end.strftime(STAMP_FORMAT))
    if not state.get("interval"):
        common.set_page_param("dd_minutes", None)
    state["_dd_origin"] = origin


def _clock_of(minutes: int) -> str:
    """ "HH:MM" of minutes after midnight ("24:00" for 1440)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@st.cache_data(show_spinner=False, max_entries=8)
def _operating_hours(key: str, _frame: pd.DataFrame) -> tuple[int, int]:
    return kpi.operating_hours(_frame, TIME_STEP_MIN)


def _time_options(*extra: str, hours: tuple[int, int] = (0, 24 * 60)) -> list[str]:
    """The picker's clock times: every step of the opening hours, and ``extra``."""
    opening, closing = hours
    steps = [_clock_of(m) for m in range(opening, closing + 1, TIME_STEP_MIN)]
    return sorted({*steps, *extra})


def _on_window_picked() -> None:
    """The picker changed: the whole day becomes ``day``, any other span ``dd_start``/``dd_end``."""
    state = st.session_state
    day, start_text, end_text = state["drill_day"], state["dd_from_pick"], state["dd_to_pick"]
    if day is None or start_text >= end_text:
        state["_dd_bad_pick"] = True
        return
    state["_dd_bad_pick"] = False
    common.set_selected_day(day.isoformat())
    state["interval"] = None
    base = pd.Timestamp(day)
    start = base + pd.Timedelta(minutes=_minutes(start_text))
    end = base + pd.Timedelta(minutes=_minutes(end_text))
    if (start_text, end_text) in (("00:00", "24:00"), state.get("_dd_hours")):
        # the opening hours hold every call of the day: the whole day, as a link says it
        common.set_page_param("dd_start", None)
        common.set_page_param("dd_end", None)
    else:
        common.set_page_param("dd_start", start.strftime(STAMP_FORMAT))
        common.set_page_param("dd_end", end.strftime(STAMP_FORMAT))
    common.set_page_param("dd_path", None)
    common.set_page_param("dd_split", None)
    state["_dd_origin"] = [state.get("day"), None]


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _set_path(items, split: str | None = None) -> None:
    common.set_page_param("dd_path", encode_path(items) or None)
    common.set_page_param("dd_split", split)


def _on_param_widget(widget_key: str, param: str, default: str) -> None:
    value = st.session_state.get(widget_key)
    common.set_page_param(param, None if value in (None, default) else value)


# --------------------------------------------------------------------------- sections


def _window_section(ctx: common.Context) -> Window:
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
    start_text = _clock(window.start, first_day)
    end_text = (
        _clock(window.end, first_day) if window.end <= first_day + pd.Timedelta(days=1) else "24:00"
    )
    opening, closing = _operating_hours(ctx.dataset.key, _frame=ctx.dataset.frame)
    hours = (_clock_of(opening), _clock_of(closing))
    state["_dd_hours"] = hours
    if (start_text, end_text) == ("00:00", "24:00"):
        start_text, end_text = hours  # the whole day reads as the center's opening hours
    state["dd_from_pick"], state["dd_to_pick"] = start_text, end_text
    options = _time_options(start_text, end_text, hours=(opening, closing))
    with st.expander(tr("dd.pick_title"), icon=":material/schedule:"):
        day_col, from_col, to_col = st.columns([2, 1, 1])
        day_col.date_input(
            tr("drill.day"),
            min_value=ctx.dataset.first_day,
            max_value=ctx.dataset.last_day,
            format="YYYY-MM-DD",
            key="drill_day",
            on_change=_on_window_picked,
        )
        from_col.selectbox(
            tr("dd.pick_from"),
            options=[o for o in options if o != "24:00"],
            key="dd_from_pick",
            on_change=_on_window_picked,
        )
        to_col.selectbox(
            tr("dd.pick_to"),
            options=[o for o in options if o != "00:00"],
            key="dd_to_pick",
            on_change=_on_window_picked,
        )
        st.caption(tr("dd.pick_help"))
    if state.pop("_dd_bad_pick", False):
        st.warning(tr("dd.pick_bad"), icon=":material/error:")
    return window


def _hour_strip(ctx: common.Context, window: Window) -> None:
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
    inside = (starts < window.end) & (starts + pd.Timedelta(hours=1) > window.start)
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


def _options_section(frame: pd.DataFrame) -> tuple[str, str]:
    """Metric and multiple-testing adjustment, mirrored in the URL."""
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
        on_change=_on_param_widget,
        args=("dd_metric_pick", "dd_metric", "service_level"),
        help=tr("dd.metric_help"),
    )
    names = _adjust_names()
    adjust_col.selectbox(
        tr("dd.adjust"),
        options=list(drill.P_ADJUST_METHODS),
        format_func=names.get,
        key="dd_padj_pick",
        on_change=_on_param_widget,
        args=("dd_padj_pick", "dd_padj", "holm"),
        help=tr("dd.adjust_help"),
    )
    return metric, p_adjust


def _adjust_names() -> dict[str, str]:
    return {"holm": tr("dd.adjust_holm"), "bh": tr("dd.adjust_bh")}


def _tiles_section(e: drill.Explanation) -> None:
    table = e.kpis.set_index("kpi") if e.kpis is not None else pd.DataFrame()
    shown = [
        (name, sense)
        for name, sense in TILES
        if name in table.index and not _is_missing(table.loc[name, "anomaly"])
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


def _baseline_section(e: drill.Explanation, metric: str) -> None:
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


def _verdict_section(e: drill.Explanation, language: str) -> None:
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
    method = _adjust_names()[e.p_adjust]
    out = pd.DataFrame(index=table.index)
    out[tr("dd.col_element")] = [_element_text(v) for v in table["values"]]
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
    _set_path([(d, values[d]) for d in values if d in dims])


def _ranked_section(e: drill.Explanation, metric: str, dims: list[str]) -> None:
    st.subheader(tr("dd.ranked_title"))
    method = _adjust_names()[e.p_adjust]
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
            f"**{title}** · " + tr("dd.side_dims", dims=_join([tr(f"dim.{d}") for d in side_dims]))
        )
        if part.empty:
            st.caption(tr("dd.side_empty"))
            continue
        shown = _ranked_display(part, e, metric)
        # a new key once the path changed: the row picked last is not shown ticked any more
        key = f"dd_rank_{side}_{_sig(e.anomaly, metric, e.p_adjust, common.page_param('dd_path'))}"
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


# --------------------------------------------------------------------------- decomposition tree


def _resolve_path(items, frame: pd.DataFrame, dims: list[str]):
    """Decoded path items matched to the data's values; stops at the first unknown one."""
    resolved = []
    for dim, text in items:
        if dim not in dims or dim in {d for d, _ in resolved}:
            return resolved, True
        if text is None:
            if not frame[dim].isna().any():
                return resolved, True
            resolved.append((dim, None))
            continue
        lookup = {str(v): v for v in frame[dim].dropna().unique()}
        if text not in lookup:
            return resolved, True
        resolved.append((dim, lookup[text]))
    return resolved, False


def _default_split(e: drill.Explanation, path, remaining: list[str]) -> str:
    """The dimension the best-ranked element below the node adds first, else the first left."""
    on_path = dict(path)
    for values in e.table["values"]:
        if all(d in values and _same(values[d], v) for d, v in on_path.items()):
            extra = [d for d in values if d not in on_path and d in remaining]
            if extra:
                return extra[0]
    return remaining[0]


def _same(left, right) -> bool:
    if _is_missing(left) and _is_missing(right):
        return True
    return (not _is_missing(left)) and (not _is_missing(right)) and str(left) == str(right)


def _value_text(value) -> str:
    return tr("dim.missing") if _is_missing(value) else str(value)


def _element_text(values: dict) -> str:
    """An element with the app's dimension names: "Category=Data plan (GPRS) & Segment=Prepaid"."""
    return " & ".join(
        f"{tr(f'dim.{dim}') if dim in drill.DRILL_DIMENSIONS else dim}={_value_text(value)}"
        for dim, value in values.items()
    )


def _node_text(path) -> str:
    return _element_text(dict(path)) if path else tr("dd.tree_root")


def _on_bar_picked(chart_key: str, prefix: list, dim: str, values: list) -> None:
    event = st.session_state.get(chart_key)
    picked = (event.selection.get(PICK) if event else None) or []
    if picked and picked[0].get("row") is not None:
        row = int(picked[0]["row"])
        _set_path([*prefix, (dim, values[row])])
    else:
        _set_path(prefix, dim)


def _on_value_picked(widget_key: str, prefix: list, dim: str, values: list) -> None:
    row = st.session_state.get(widget_key)
    if row is None or row < 0:
        _set_path(prefix, dim)
    else:
        _set_path([*prefix, (dim, values[row])])


def _on_split_picked(widget_key: str) -> None:
    common.set_page_param("dd_split", st.session_state.get(widget_key))


def _on_clear_path() -> None:
    _set_path([])


def _level_chart(level: pd.DataFrame, metric: str, chosen: int | None) -> alt.LayerChart:
    """One tree level: the window's value per bar, baseline tick, noise band, impact text."""
    unit = kpi.KPI_UNITS.get(metric, "score")
    order = list(range(min(len(level), MAX_BARS)))
    if chosen is not None and chosen not in order:
        order.append(chosen)
    part = level.iloc[order]
    low, high = part["band_low"].astype(float), part["band_high"].astype(float)
    if unit == "percent":
        low, high = low.clip(0, 1), high.clip(0, 1)
    else:
        low = low.clip(lower=0)
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
            "label": [_value_text(v) for v in part["value"]],
            "window": part["rate_anomaly"].astype(float).to_numpy(),
            "baseline": part["rate_baseline"].astype(float).to_numpy(),
            "low": low.to_numpy(),
            "high": high.to_numpy(),
            "status": status,
            "text": [tr("dd.bar_text", share=_percent(s)) for s in part["explained_share"]],
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


def _tree_section(ctx, e, frame, metric, p_adjust, dims) -> list:
    """Walk the decomposition tree; returns the path (list of (dim, value)) in force."""
    st.subheader(tr("dd.tree_title"))
    if not dims:
        st.info(tr("dd.tree_no_dims"))
        return []
    try:
        items = decode_path(common.page_param("dd_path"))
        broken = False
    except ValueError:
        items, broken = [], True
    path, unknown = _resolve_path(items, frame, dims)
    if broken or unknown:
        st.warning(
            common.tr_md("dd.path_unknown", path=common.page_param("dd_path") or ""),
            icon=":material/link_off:",
        )
        _set_path(path)
    st.caption(tr("dd.tree_help"))
    st.caption(tr("dd.tree_legend", method=_adjust_names()[p_adjust]))
    key_parts = (ctx.dataset.key, ctx.queues, e.anomaly, metric, p_adjust, ctx.settings)
    baseline = tuple(tuple(w) for w in e.baseline)
    for index in range(len(path) + 1):
        prefix = path[:index]
        remaining = [d for d in dims if d not in {p for p, _ in prefix}]
        if index < len(path):
            dim = path[index][0]
        else:
            if not remaining:
                st.caption(tr("dd.tree_end"))
                break
            split = common.page_param("dd_split")
            dim = split if split in remaining else _default_split(e, prefix, remaining)
        level = _decompose(
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
        node = level.attrs.get("node", {})
        values = list(level["value"])
        chosen = None
        if index < len(path):
            chosen = next(
                (row for row, value in enumerate(values) if _same(value, path[index][1])), None
            )
        with st.container(border=True):
            st.markdown(
                tr(
                    "dd.level_title",
                    level=index + 1,
                    node=common.md(_node_text(prefix)),
                    value=common.fmt(metric, node.get("value_anomaly")),
                    baseline=common.fmt(metric, node.get("value_baseline")),
                    n=common.fmt_count(node.get("n_anomaly")),
                )
            )
            if index == len(path):
                split_key = f"dd_split_pick_{_sig(prefix)}"
                st.session_state[split_key] = dim
                st.segmented_control(
                    tr("dd.split_by"),
                    options=remaining,
                    format_func=common.labeller("dim."),
                    key=split_key,
                    required=True,
                    on_change=_on_split_picked,
                    args=(split_key,),
                )
            else:
                st.markdown(tr("dd.split_by_fixed", dim=tr(f"dim.{dim}")))
            if level.empty:
                st.caption(tr("dd.level_empty"))
                continue
            chart_key = f"dd_tree_{index}_{_sig(key_parts, prefix, dim, chosen)}"
            level_chart = _level_chart(level, metric, chosen)
            st.altair_chart(
                level_chart,
                width="stretch",
                key=chart_key,
                on_select=functools.partial(_on_bar_picked, chart_key, prefix, dim, values),
                selection_mode=PICK,
            )
            common.png_download(level_chart, f"drilldown_{metric}_{dim}", key=f"dd_tree_{index}")
            if len(level) > MAX_BARS:
                st.caption(tr("dd.level_more", shown=MAX_BARS, count=len(level)))
            value_key = f"dd_value_pick_{index}_{_sig(key_parts, prefix, dim)}"
            st.session_state[value_key] = -1 if chosen is None else chosen
            labels = {-1: tr("dd.tree_none")}
            for row, (value, share) in enumerate(
                zip(values, level["explained_share"], strict=True)
            ):
                labels[row] = tr(
                    "dd.tree_option",
                    value=_value_text(value),
                    share=_percent(share),
                )
            st.selectbox(
                tr("dd.open_value", dim=tr(f"dim.{dim}")),
                options=[-1, *range(len(values))],
                format_func=labels.get,
                key=value_key,
                on_change=_on_value_picked,
                args=(value_key, prefix, dim, values),
            )
    if path:
        st.button(
            tr("dd.tree_clear"),
            icon=":material/restart_alt:",
            on_click=_on_clear_path,
            key="dd_clear",
        )
    return path


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


def _calls_section(ctx, window: Window, frame, path) -> None:
    kind = ctx.dataset.kind
    node = common.md(_node_text(path))
    rows = _element_calls(
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
        file_name=f"ccmetrics_drilldown_{stamp}_{_sig(path)}.csv",
        mime="text/csv",
        icon=":material/download:",
        key="dd_calls_csv",
        on_click="ignore",
    )


def _notes_section(e: drill.Explanation) -> None:
    """Choices the data forced, translated (the English note when it is a new kind)."""
    left_out: dict[str, list[str]] = {}
    lines = []
    for note in e.notes:
        if " left out: " in note:
            dim, _, why = note.partition(" left out: ")
            if why.startswith("known only for answered calls"):
                left_out.setdefault("answered", []).append(dim)
            elif why.startswith("one value only"):
                left_out.setdefault("one", []).append(dim)
            elif why.startswith("no values"):
                left_out.setdefault("none", []).append(dim)
            else:
                lines.append(common.md(note))
        elif note.startswith("no per-call ratings"):
            lines.append(tr("dd.note_csat_variance"))
        elif note.startswith("no sums of squares"):
            lines.append(tr("dd.note_cv", kpi=tr(f"kpi.{e.metric}")))
        else:
            lines.append(common.md(note))
    texts = {
        "answered": lambda dims: tr("dd.note_answered_only", dims=dims, kpi=tr(f"kpi.{e.metric}")),
        "one": lambda dims: tr("dd.note_one_value", dims=dims),
        "none": lambda dims: tr("dd.note_no_values", dims=dims),
    }
    for reason, dims in left_out.items():
        names = _join(
            [tr(f"dim.{d}") if d in drill.DRILL_DIMENSIONS else common.md(d) for d in dims]
        )
        lines.insert(0, texts[reason](names))
    if lines:
        with st.expander(tr("dd.notes_title"), icon=":material/info:"):
            st.markdown("\n".join(f"- {line}" for line in lines))


# --------------------------------------------------------------------------- page


def _error_text(error: ValueError) -> str:
    """The translated reason of a drill error: by its ``code`` when it has one (as the report)."""
    code = getattr(error, "code", None)
    if code == "no_baseline_window":
        return tr("dd.error_baseline")
    if code and i18n.has_key(f"dd.error_{code}", common.lang()):
        return tr("dd.error_generic", detail=tr(f"dd.error_{code}"))
    message = str(error)
    if "baseline" in message:
        return tr("dd.error_baseline")
    return tr("dd.error_generic", detail=message[:200])


def main() -> None:
    ctx = common.context()
    language = ctx.lang
    st.title(tr("nav.drilldown"))
    _forget_stale_window()
    window = _window_section(ctx)
    frame = _filtered(ctx.dataset.key, ctx.queues, _frame=ctx.dataset.frame)
    _hour_strip(ctx, window)
    in_window = _element_calls(
        ctx.dataset.key, ctx.queues, window.start, window.end, (), _frame=frame
    )
    if in_window.empty:
        st.info(tr("dd.no_calls"), icon=":material/filter_alt_off:")
        return
    metric, p_adjust = _options_section(frame)
    try:
        with st.spinner(tr("dd.explaining")):
            e = _explain(
                ctx.dataset.key,
                ctx.queues,
                window.start,
                window.end,
                metric,
                ctx.settings,
                p_adjust,
                _frame=frame,
            )
    except ValueError as error:
        st.warning(_error_text(error), icon=":material/warning:")
        return
    _verdict_section(e, language)
    story_panel.show_story(ctx, pd.Timestamp(window.start).date())  # as on every page
    _tiles_section(e)
    _baseline_section(e, metric)
    dims = [
        d
        for d in drill.DRILL_DIMENSIONS
        if d in {*e.dims.get("demand", []), *e.dims.get("supply", [])}
    ]
    dims += [d for side in e.dims.values() for d in side if d not in dims]
    _ranked_section(e, metric, dims)
    path = _tree_section(ctx, e, frame, metric, p_adjust, dims)
    _calls_section(ctx, window, frame, path)
    _notes_section(e)


if __name__ == "__main__":
    main()
