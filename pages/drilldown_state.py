"""The Drill-down page's state: the window and tree path in the URL, and the texts naming them.

The URL parameters (``dd_start``, ``dd_end``, ``dd_minutes``, ``dd_path``, ...) are
documented in :mod:`pages.drilldown_page`. This module reads and writes them:
:func:`encode_path` / :func:`decode_path` (the tree path as text),
:func:`resolve_window` (which window is explained), :func:`forget_stale_window`
(follow a new signal from another page) and the widget callbacks that set them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from urllib.parse import unquote

import pandas as pd
import streamlit as st

from ccmetrics import drill, i18n
from pages import common
from pages.common import tr

__all__ = [
    "DEFAULT_MINUTES",
    "TIME_STEP_MIN",
    "STAMP_FORMAT",
    "PAGE_PARAMS",
    "Window",
    "is_missing",
    "encode_path",
    "decode_path",
    "parse_stamp",
    "resolve_window",
    "clock",
    "clock_of",
    "window_text",
    "p_text",
    "percent",
    "sig",
    "forget_stale_window",
    "time_options",
    "on_window_picked",
    "minutes_of",
    "set_path",
    "on_param_widget",
    "value_text",
    "element_text",
    "node_text",
    "adjust_names",
]

DEFAULT_MINUTES = 30
#: Steps of the window picker's time lists (minutes).
TIME_STEP_MIN = 15
STAMP_FORMAT = "%Y-%m-%dT%H:%M"
PAGE_PARAMS = (
    "dd_start",
    "dd_end",
    "dd_minutes",
    "dd_metric",
    "dd_padj",
    "dd_path",
    "dd_split",
    "dd_ivr",
)


# --------------------------------------------------------------------------- pure helpers

#: Characters of a value escaped in ``dd_path`` ("%" first, so decoding is unambiguous).
_ESCAPES = (("%", "%25"), ("|", "%7C"), ("=", "%3D"))


def is_missing(value) -> bool:
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
        text = "" if is_missing(value) else str(value)
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
    """The window to explain, by the precedence documented in :mod:`pages.drilldown_page`.

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


def clock(stamp: pd.Timestamp, day: pd.Timestamp) -> str:
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
            f"{clock(window.start, day)}–{clock(window.end, day)}"
        )
    return f"{window.start:%Y-%m-%d %H:%M} – {window.end:%Y-%m-%d %H:%M}"


def p_text(p) -> str:
    """A p-value for a table: "<0.001", else three decimals; "–" when missing.

    Examples
    --------
    >>> p_text(1e-12), p_text(0.03412), p_text(float("nan"))
    ('<0.001', '0.034', '–')
    """
    if is_missing(p):
        return "–"
    return "<0.001" if p < 0.001 else f"{p:.3f}"


def percent(value) -> str:
    """A share with one decimal ("46.3%") in the language in force."""
    return i18n.format_number(value, "percent", common.lang())


def sig(*parts) -> str:
    """A short stable id for widget keys (changes when any part changes)."""
    return hashlib.md5(repr(parts).encode("utf-8")).hexdigest()[:10]


# --------------------------------------------------------------------------- state


def forget_stale_window() -> None:
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


def clock_of(minutes: int) -> str:
    """ "HH:MM" of minutes after midnight ("24:00" for 1440)."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def time_options(*extra: str, hours: tuple[int, int] = (0, 24 * 60)) -> list[str]:
    """The picker's clock times: every step of the opening hours, and ``extra``."""
    opening, closing = hours
    steps = [clock_of(m) for m in range(opening, closing + 1, TIME_STEP_MIN)]
    return sorted({*steps, *extra})


def on_window_picked() -> None:
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
    start = base + pd.Timedelta(minutes=minutes_of(start_text))
    end = base + pd.Timedelta(minutes=minutes_of(end_text))
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


def minutes_of(text: str) -> int:
    """Minutes after midnight of an "HH:MM" clock time."""
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def set_path(items, split: str | None = None) -> None:
    common.set_page_param("dd_path", encode_path(items) or None)
    common.set_page_param("dd_split", split)


def on_param_widget(widget_key: str, param: str, default: str) -> None:
    value = st.session_state.get(widget_key)
    common.set_page_param(param, None if value in (None, default) else value)


# --------------------------------------------------------------------------- names of paths and elements


def value_text(value) -> str:
    return tr("dim.missing") if is_missing(value) else str(value)


def element_text(values: dict) -> str:
    """An element with the app's dimension names: "Category=Data plan (GPRS) & Segment=Prepaid"."""
    return " & ".join(
        f"{tr(f'dim.{dim}') if dim in drill.DRILL_DIMENSIONS else dim}={value_text(value)}"
        for dim, value in values.items()
    )


def node_text(path) -> str:
    return element_text(dict(path)) if path else tr("dd.tree_root")


def adjust_names() -> dict[str, str]:
    return {"holm": tr("dd.adjust_holm"), "bh": tr("dd.adjust_bh")}
