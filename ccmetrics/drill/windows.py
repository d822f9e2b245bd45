"""Time windows: parsing, lengths, and the rows of a frame inside each window."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "overlapping",
]


# --------------------------------------------------------------------------- windows


def _stamp(value):
    """A window bound: numbers stay numbers, anything else becomes a Timestamp."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool):
        return value
    return pd.Timestamp(value)


def _window(window) -> tuple:
    if window is None or len(window) != 2:
        raise ValueError(f"a window is a (start, end) pair, not {window!r}")
    start, end = _stamp(window[0]), _stamp(window[1])
    if not end > start:
        raise ValueError(f"a window must end after it starts: {window!r}")
    return start, end


def _windows(baseline) -> list[tuple]:
    """Normalise a baseline: one (start, end) pair or a list of pairs."""
    if baseline is None:
        raise ValueError("a baseline window (start, end) or a list of windows is required")
    items = list(baseline)
    if len(items) == 2 and not isinstance(items[0], (tuple, list)):
        return [_window(items)]
    if not items:
        raise ValueError("the baseline is an empty list of windows")
    return [_window(item) for item in items]


def _length(window) -> float:
    delta = window[1] - window[0]
    if isinstance(delta, pd.Timedelta):
        return delta.total_seconds()
    return float(delta)


def _time_ordered(times: pd.Series) -> bool:
    """Whether the rows are in ascending time order (the loader sorts them).

    Then every window is one slice of rows found by binary search. The check is
    a pass over the whole column: a caller asks once and passes the answer on.
    ``times.is_monotonic_increasing``; for naive datetimes and numbers the same
    as NumPy's ``all(t[1:] >= t[:-1])`` (a NaT or NaN compares False, as pandas
    makes any NaT/NaN unordered), which is faster.
    """
    if not len(times):
        return False
    if isinstance(times.dtype, np.dtype) and times.dtype.kind in "Mmfiu" and len(times) > 1:
        values = times.to_numpy()
        return bool((values[1:] >= values[:-1]).all())
    return bool(times.is_monotonic_increasing)


#: Columns only FCR flagging reads (:func:`ccmetrics.kpi.add_fcr_flags`): once a frame
#: carries its FCR flags, the rows of the windows are taken without them (copying
#: text is most of the cost of taking rows).
_ID_COLUMNS = ("call_id", "customer_id")


def _read_columns(frame: pd.DataFrame, keep=()) -> pd.DataFrame:
    """``frame`` without the identifier columns the drill-down does not read.

    They are kept when the frame has no FCR flags (measuring FCR reads them) or
    when ``keep`` (the dimensions asked for) names them.
    """
    if not {"fcr_eligible", "fcr_resolved"} <= set(frame.columns):
        return frame
    keep = set(keep)
    unread = [c for c in _ID_COLUMNS if c in frame.columns and c not in keep]
    if not unread:
        return frame
    return frame[[c for c in frame.columns if c not in unread]]


def _by_start(windows: list[tuple]) -> list[int]:
    """Indices of the windows in order of their start; raises when two overlap."""
    ordered = sorted(range(len(windows)), key=lambda i: windows[i][0])
    for first, second in zip(ordered, ordered[1:], strict=False):
        if windows[second][0] < windows[first][1]:
            raise ValueError(
                f"windows overlap: {windows[first]} and {windows[second]}; the baseline must "
                "not overlap the anomaly window or itself"
            )
    return ordered


def _stamps(times: pd.Series, windows: list[tuple]) -> list[tuple]:
    """Window bounds comparable with ``times.to_numpy()``."""
    if pd.api.types.is_datetime64_any_dtype(times):
        return [(np.datetime64(start), np.datetime64(end)) for start, end in windows]
    return windows


def _bounds(values: np.ndarray, stamps: list[tuple]) -> list[tuple[int, int]]:
    """Row positions ``[lo, hi)`` of ``start <= values < end`` in time-ordered values."""
    return [
        tuple(int(i) for i in np.searchsorted(values, [start, end], side="left"))
        for start, end in stamps
    ]


def _window_ids(times: pd.Series, windows: list[tuple], ordered: bool | None = None) -> np.ndarray:
    """Index of the window each row falls in (-1 for none); windows must not overlap.

    ``ordered``: whether ``times`` ascend (:func:`_time_ordered`; checked when None).
    """
    _by_start(windows)
    ids = np.full(len(times), -1, dtype=np.int64)
    values = times.to_numpy()
    stamps = _stamps(times, windows)
    if ordered is None:
        ordered = _time_ordered(times)
    if ordered:
        for index, (lo, hi) in enumerate(_bounds(values, stamps)):
            ids[lo:hi] = index
        return ids
    for index, (start, end) in enumerate(stamps):
        ids[(values >= start) & (values < end)] = index
    return ids


def _window_rows(
    frame: pd.DataFrame, times: pd.Series, windows: list[tuple], ordered: bool
) -> tuple[pd.DataFrame, np.ndarray]:
    """The rows of ``frame`` inside the windows, in the frame's order, and their window index.

    The same as ``frame[ids >= 0], ids[ids >= 0]`` with ``ids = _window_ids(times,
    windows)``; on a time-ordered frame (``ordered``) without a pass over the whole
    frame: the windows are slices, taken in order of their start.
    """
    if not ordered:
        ids = _window_ids(times, windows, ordered=False)
        keep = ids >= 0
        return frame[keep], ids[keep]
    by_start = _by_start(windows)
    bounds = _bounds(times.to_numpy(), _stamps(times, windows))
    filled = [i for i in by_start if bounds[i][1] > bounds[i][0]]
    if len(filled) == 1:
        # one window holds every row: a slice (no copy; Arrow text columns are not taken,
        # which costs a pass over their whole chunked array)
        lo, hi = bounds[filled[0]]
        return frame.iloc[lo:hi], np.full(hi - lo, filled[0], dtype=np.int64)
    positions = np.concatenate([np.arange(*bounds[i], dtype=np.int64) for i in by_start])
    ids = np.concatenate(
        [np.full(bounds[i][1] - bounds[i][0], i, dtype=np.int64) for i in by_start]
    )
    return frame.take(positions), ids


def overlapping(starts, length: pd.Timedelta, window) -> np.ndarray:
    """Which periods share some time with a window.

    Parameters
    ----------
    starts : sequence of datetime-like
        The periods' starts (e.g. the hours of a day).
    length : Timedelta
        The length of every period.
    window : (start, end)
        The half-open window ``[start, end)``.

    Returns
    -------
    ndarray of bool
        True where ``[s, s + length)`` and the window overlap: ``s < end`` and
        ``s + length > start``. A period that ends where the window starts (or starts
        where it ends) does not.

    Examples
    --------
    >>> hours = pd.date_range("2025-03-11 08:00", periods=4, freq="h")
    >>> overlapping(hours, pd.Timedelta(hours=1), ("2025-03-11 09:30", "2025-03-11 10:00"))
    array([False,  True, False, False])
    """
    start, end = _window(window)
    starts = pd.DatetimeIndex(starts)
    return np.asarray((starts < end) & (starts + length > start), dtype=bool)
