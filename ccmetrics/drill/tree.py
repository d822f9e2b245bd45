"""Walking the decomposition tree: which node a path names and which dimension splits it next.

The Drill-down page keeps the tree path in its URL as text (``dd_path``). Before the
tree is drawn, :func:`resolve_path` matches that text to the values of the data (a
link may name a value that is not there, or a dimension twice), and
:func:`default_split` picks the dimension that opens the node reached, following
the ranked elements of :func:`ccmetrics.drill.explain`; :func:`level_bars` gives
the rows of a level a chart draws and their noise bands.
"""

from __future__ import annotations

import pandas as pd

from ccmetrics.kpi import KPI_UNITS

__all__ = [
    "same_value",
    "resolve_path",
    "default_split",
    "level_bars",
]


def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def same_value(left, right) -> bool:
    """Whether two dimension values name the same node: equal as text, or both missing.

    A value read back from a URL is text while the data may hold numbers or
    categories; a missing value (None/NaN) is the node of the blank rows.

    Examples
    --------
    >>> same_value(7, "7"), same_value(None, float("nan")), same_value("", None)
    (True, True, False)
    """
    if _is_missing(left) or _is_missing(right):
        return _is_missing(left) and _is_missing(right)
    return str(left) == str(right)


def resolve_path(items, frame: pd.DataFrame, dims) -> tuple[list[tuple[str, object]], bool]:
    """Match a decoded tree path to the data's values, stopping at the first unknown step.

    Parameters
    ----------
    items : sequence of (dimension, text or None)
        The path as read from a link, root first; None selects the blank rows.
    frame : DataFrame
        The calls (or intervals) the tree splits; its dimension columns.
    dims : sequence of str
        The dimensions the tree may split by.

    Returns
    -------
    path : list of (dimension, value)
        The steps that name a node of the data, each value as the data holds it
        (a text "7" becomes the number 7 of the column), None for the blank rows.
    unknown : bool
        True when a step was dropped: a dimension the tree does not split by, a
        dimension named twice, a value the column does not hold, or the blank
        node of a column without blanks. Every step after it is dropped too.

    Notes
    -----
    A step ``(d, t)`` is kept when ``d`` is in ``dims``, not already on the path,
    and ``t`` equals ``str(v)`` for a value ``v`` of ``frame[d]`` (or ``t`` is None
    and ``frame[d]`` has a missing value).
    """
    resolved: list[tuple[str, object]] = []
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


def default_split(table: pd.DataFrame, path, remaining) -> str:
    """The dimension that opens a tree node when the reader has not picked one.

    Parameters
    ----------
    table : DataFrame
        ``Explanation.table``: the ranked elements, best first; its ``values``
        column holds each element's ``{dimension: value}``.
    path : sequence of (dimension, value)
        The node being split (empty for the root).
    remaining : sequence of str
        The dimensions not yet on the path, in the tree's order (not empty).

    Returns
    -------
    str
        The first dimension in ``remaining`` that the best-ranked element lying
        below the node adds to it; ``remaining[0]`` when no element lies below it
        or none adds a remaining dimension.

    Notes
    -----
    An element lies below the node when it holds every step of ``path`` with the
    same value (:func:`same_value`). Its dimensions are read in the element's own
    order, so the split follows the element the explanation ranks first.
    """
    on_path = dict(path)
    for values in table["values"]:
        if all(d in values and same_value(values[d], v) for d, v in on_path.items()):
            extra = [d for d in values if d not in on_path and d in remaining]
            if extra:
                return extra[0]
    return remaining[0]


def level_bars(level: pd.DataFrame, metric: str, max_bars: int, chosen: int | None = None):
    """The rows of one tree level a chart draws, with noise bands a rate can reach.

    Parameters
    ----------
    level : DataFrame
        :func:`ccmetrics.drill.decompose`: one row per value, largest impact first, with
        ``band_low`` and ``band_high``.
    metric : str
        The metric explained (its unit, from the KPI registry, bounds the band).
    max_bars : int
        The most rows drawn (the first ones: the largest impacts).
    chosen : int, optional
        Position in ``level`` of the value on the tree path; drawn (last) even when it
        is not among the first ``max_bars``.

    Returns
    -------
    order : list of int
        The positions in ``level`` drawn, in order.
    low, high : Series
        The noise band of those rows (float), clipped to what the metric can be:
        [0, 1] for a proportion, at least 0 for any other metric (seconds, counts,
        scores are never negative).
    """
    unit = KPI_UNITS.get(metric, "score")
    order = list(range(min(len(level), max_bars)))
    if chosen is not None and chosen not in order:
        order.append(chosen)
    part = level.iloc[order]
    low, high = part["band_low"].astype(float), part["band_high"].astype(float)
    if unit == "percent":
        low, high = low.clip(0, 1), high.clip(0, 1)
    else:
        low = low.clip(lower=0)
    return order, low, high
