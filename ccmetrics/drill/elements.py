"""Elements: their readable labels, the row mask of an element, and the calls behind it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccmetrics import i18n
from ccmetrics.cube import time_column
from ccmetrics.drill.constants import _DIM_NAMES_ZH, MISSING
from ccmetrics.drill.windows import _time_ordered, _window_rows, _windows

__all__ = [
    "element_label",
    "element_names",
    "element_calls",
]


# --------------------------------------------------------------------------- labels


def element_label(values: dict, *, language: str = "en") -> str:
    """Readable name of an element: ``"category=GPRS & segment=Prepaid"``.

    Parameters
    ----------
    values : dict
        ``{dimension: value}``; a missing value (NaN/None) is shown as "(missing)"
        (in Chinese as the app's "（空白）").
    language : {"en", "zh"}
        "zh" translates the canonical dimension names (业务类型, 客户分群, ...).

    Returns
    -------
    str

    Examples
    --------
    >>> element_label({"category": "GPRS", "segment": "Prepaid"})
    'category=GPRS & segment=Prepaid'
    >>> element_label({"segment": "Prepaid"}, language="zh")
    '客户分群=Prepaid'
    """
    parts = []
    missing = i18n.ZH["dim.missing"] if language == "zh" else MISSING
    for dim, value in values.items():
        name = _DIM_NAMES_ZH.get(dim, dim) if language == "zh" else dim
        shown = (
            missing if value is None or (isinstance(value, float) and np.isnan(value)) else value
        )
        parts.append(f"{name}={shown}")
    return " & ".join(parts)


def element_names(elements: list[dict], *, language: str = "en") -> str:
    """Several elements named in one sentence: "A and B", "A, B and C"; "A、B" in Chinese.

    Parameters
    ----------
    elements : list of dict
        ``{dimension: value}`` of each element, in the order to name them.
    language : {"en", "zh"}

    Returns
    -------
    str
        The :func:`element_label` of each element, joined.

    Examples
    --------
    >>> element_names([{"category": "X"}, {"category": "B"}, {"segment": "Y"}])
    'category=X, category=B and segment=Y'
    """
    return and_list([element_label(values, language=language) for values in elements], language)


def and_list(names: list[str], language: str = "en") -> str:
    """Names in one phrase as the language writes a list: "A, B and C" / "A、B、C".

    Examples
    --------
    >>> and_list(["queue", "team", "segment"]), and_list(["queue"])
    ('queue, team and segment', 'queue')
    """
    if len(names) == 1:
        return names[0]
    items = i18n.t("compare.list_sep", language).join(names[:-1])
    return i18n.t("drill.list_and", language, items=items, last=names[-1])


# --------------------------------------------------------------------------- calls


def _filter_mask(frame: pd.DataFrame, values: dict) -> np.ndarray:
    keep = np.ones(len(frame), dtype=bool)
    for dim, value in (values or {}).items():
        if dim not in frame.columns:
            raise ValueError(f"the data has no column {dim!r}")
        column = frame[dim]
        if value is None or (isinstance(value, float) and np.isnan(value)):
            keep &= column.isna().to_numpy()
        else:
            keep &= (column == value).fillna(False).to_numpy(dtype=bool)
    return keep


def element_calls(frame: pd.DataFrame, element: dict | None, windows=None) -> pd.DataFrame:
    """The rows (calls or intervals) behind an element, for listing and download.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals.
    element : dict or None
        ``{dimension: value}`` (the ``values`` column of a table); a NaN/None
        value selects rows where the dimension is missing. None: every row.
    windows : (start, end), list of (start, end), or None
        Keep only rows in these half-open windows (e.g. ``[e.anomaly]`` or
        ``[e.anomaly, *e.baseline]``); None: every time.

    Returns
    -------
    DataFrame
        The matching rows, in the frame's order.

    Examples
    --------
    >>> calls = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-01-01 09:00", "2025-01-01 10:00"]),
    ...     "category": ["GPRS", "Billing"]})
    >>> element_calls(calls, {"category": "GPRS"}, ("2025-01-01 08:00", "2025-01-01 12:00"))["category"].tolist()
    ['GPRS']
    """
    if windows is None:
        return frame[_filter_mask(frame, element or {})]
    _filter_mask(frame.iloc[:0], element or {})  # an unknown column is named first, as before
    times = frame[time_column(frame)]
    # on a time-ordered frame the windows are slices: the element is matched in them only
    rows, _ = _window_rows(frame, times, _windows(windows), _time_ordered(times))
    return rows[_filter_mask(rows, element or {})]
