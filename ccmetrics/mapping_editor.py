"""The mapping editor's conversions: a loader mapping to editor rows and back.

The Data page shows one editor row per source column of an upload (the column, a
few of its values, the mapping key it feeds) and turns the edited rows back into a
mapping for :func:`ccmetrics.io.load`. These functions are that conversion, with no
user interface: the page translates what they return.

A mapping (see :mod:`ccmetrics.io.mapping`) sends a mapping key to one source column,
or to a list of them: the parts of a call id, or a date column and a time column that
together make the start time (``arrived_at`` of calls, ``interval_start`` of
intervals). In the editor such a pair shows as two rows, ``arrival_date`` and
``arrival_time`` (``interval_date`` and ``interval_time``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ccmetrics.schema import CALL_COLUMNS, INTERVAL_COLUMNS

__all__ = [
    "EXTRA_TARGETS",
    "SPLIT_TIME",
    "DuplicateTarget",
    "mapping_targets",
    "targets_of_mapping",
    "preview_values",
    "mapping_from_targets",
]

#: Mapping keys the loader understands besides the canonical columns (see ccmetrics.io).
EXTRA_TARGETS = {
    "calls": ("arrival_date", "arrival_time", "queued_at", "answered_at", "outcome", "direction"),
    "intervals": (
        "interval_date",
        "interval_time",
        "day_index",
        "staffed_s",
        "asa_s",
        "avg_talk_s",
        "avg_hold_s",
        "avg_acw_s",
        "aht_s",
        "avg_abandon_wait_s",
    ),
}
#: A split date + time pair the loader takes as a list under the time key.
SPLIT_TIME = {
    "arrived_at": ("arrival_date", "arrival_time"),
    "interval_start": ("interval_date", "interval_time"),
}


@dataclass(frozen=True)
class DuplicateTarget:
    """Edited rows that send several source columns to a key that takes one column.

    ``key`` is the mapping key, ``sources`` the source columns in row order.
    """

    key: str
    sources: tuple[str, ...]


def mapping_targets(kind: str) -> list[str]:
    """The mapping keys a user can pick for a ``kind`` of export ("calls" or "intervals").

    Returns
    -------
    list of str
        The canonical columns of the kind (schema order), then :data:`EXTRA_TARGETS`.
    """
    columns = CALL_COLUMNS if kind == "calls" else INTERVAL_COLUMNS
    return [*columns, *EXTRA_TARGETS[kind]]


def targets_of_mapping(mapping: dict | None) -> dict[str, str]:
    """The mapping key each source column feeds, as the editor shows it.

    Parameters
    ----------
    mapping : dict or None
        A loader mapping (key → column or list of columns; ``"options"`` is skipped).

    Returns
    -------
    dict
        Source column → mapping key. A two-column start time (``arrived_at`` or
        ``interval_start``) gives its date column the date key and its time column
        the time key of :data:`SPLIT_TIME`; every column of another list (a call id
        made of parts) gives the list's key.
    """
    target_of: dict[str, str] = {}
    for key, value in (mapping or {}).items():
        if key == "options" or value is None:
            continue
        if isinstance(value, list):
            if key in SPLIT_TIME and len(value) == 2:
                target_of[value[0]], target_of[value[1]] = SPLIT_TIME[key]
            else:
                for column in value:
                    target_of[column] = key
        else:
            target_of[value] = key
    return target_of


def preview_values(head: pd.DataFrame, values: int = 3, width: int = 40) -> dict[str, str]:
    """A few distinct non-blank values of each column, for the editor's preview column.

    Parameters
    ----------
    head : DataFrame
        The first rows of the raw file (``ccmetrics.io.preview``).
    values : int
        How many distinct values to show per column (first seen first).
    width : int
        Characters kept of each value.

    Returns
    -------
    dict
        Column name (as text) → its values cut to ``width``, joined by " · " (empty
        when the column holds only blanks).
    """
    preview = {}
    for column in head.columns:
        texts = head[column].dropna().astype(str)
        texts = texts[texts.str.strip() != ""].unique()[:values]
        preview[str(column)] = " · ".join(text[:width] for text in texts)
    return preview


def _is_blank(target) -> bool:
    return target is None or (isinstance(target, float) and pd.isna(target)) or target == ""


def mapping_from_targets(
    sources, targets, previous: dict | None = None
) -> tuple[dict | None, DuplicateTarget | None]:
    """Turn the editor's rows (source column, mapping key) back into a loader mapping.

    Parameters
    ----------
    sources, targets : sequences of equal length
        Each row's source column and the mapping key picked for it (None, NaN or ""
        for a column not mapped).
    previous : dict, optional
        The mapping the rows were made from: its ``"options"`` are kept.

    Returns
    -------
    (dict, None) or (None, DuplicateTarget)
        The mapping: each key to its one column; ``call_id`` to all its columns (a
        call id made of parts); a date key and a time key of :data:`SPLIT_TIME` to
        the start-time key as ``[date column, time column]``. When another key gets
        several columns, no mapping and the :class:`DuplicateTarget`.
    """
    groups: dict[str, list[str]] = {}
    for source, target in zip(sources, targets, strict=True):
        if _is_blank(target):
            continue
        groups.setdefault(str(target), []).append(str(source))
    mapping: dict = {}
    for key, columns in groups.items():
        if len(columns) == 1:
            mapping[key] = columns[0]
        elif key == "call_id" or (key in SPLIT_TIME and len(columns) == 2):
            mapping[key] = columns
        else:
            return None, DuplicateTarget(key, tuple(columns))
    for key, (date_key, time_key) in SPLIT_TIME.items():
        if key not in mapping and date_key in mapping and time_key in mapping:
            mapping[key] = [mapping.pop(date_key), mapping.pop(time_key)]
    if previous and previous.get("options"):
        mapping["options"] = previous["options"]
    return mapping, None
