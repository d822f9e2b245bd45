"""Engine-backed data sets as inputs of the public functions: the one adapter.

:func:`ccmetrics.kpi.compute`, :func:`ccmetrics.drill.explain`,
:func:`ccmetrics.funnel.funnel`, :mod:`ccmetrics.staffing` and :mod:`ccmetrics.spc`
accept a pandas frame of canonical calls or an engine-backed data set (any object
of the Dataset protocol, :func:`ccmetrics.engine.is_dataset`). This module is where
a data set is turned into what each of them reads:

* summed measures per group and period, or per group within a time window, by one
  ``GROUP BY`` of the engine (:func:`dataset_sums`, :func:`window_group_sums`);
* whether a time lies in the data's span, by two counts (:func:`span_test`), so
  that nobody fetches the data's first and last call;
* the calls themselves, a few columns of them (:func:`dataset_calls`), only for
  per-call values the engine's measures do not hold (a sum of squares the cube
  has no measure for); each caller says which and why.

Every number then comes from the same derivations as on a frame
(:func:`ccmetrics.kpi.derive` of the same measures).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccmetrics.cube import MEASURES
from ccmetrics.engine import is_dataset
from ccmetrics.schema import KpiSettings

__all__ = [
    "require_dataset",
    "dataset_sums",
    "window_group_sums",
    "span_test",
    "queued_window_sums",
    "IVR_MEASURES",
    "queued_values",
    "dataset_calls",
    "IVR_FLAGS",
]

#: The canonical flags of a call that ended in the IVR (:func:`ccmetrics.cube.ivr_only_rows`).
IVR_FLAGS = ("ivr_contained", "ivr_abandoned")


def require_dataset(data) -> None:
    """Raise TypeError unless ``data`` is an engine-backed data set.

    Parameters
    ----------
    data : object
        What a public function received in place of a pandas frame.
    """
    if not is_dataset(data):
        raise TypeError(
            "expected a pandas frame of canonical calls or an engine-backed data set "
            f"(ccmetrics.engine.Dataset), not {type(data).__name__}"
        )


def dataset_sums(data, by=(), freq=None, settings=None, start=None, end=None) -> pd.DataFrame:
    """The summed measures of a data set per group and period (one engine query).

    Parameters
    ----------
    data : Dataset
        An engine-backed data set.
    by : str or sequence of str, optional
        Dimension columns.
    freq : str, optional
        Period ("30min", "h", "D", "W", "MS").
    settings : KpiSettings, optional
        Default ``KpiSettings()``.
    start, end : date-like, optional
        Half-open window ``[start, end)`` on ``arrived_at``.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``period`` when ``freq`` is given, then
        :data:`ccmetrics.cube.MEASURES`; rows in :func:`ccmetrics.kpi.compute`'s order.
    """
    require_dataset(data)
    by = [by] if isinstance(by, str) else list(by or ())
    return data.sums(by=by, freq=freq, settings=settings or KpiSettings(), start=start, end=end)


def window_group_sums(
    data, windows, by, settings, cache: dict | None = None, filters: dict | None = None
) -> tuple[pd.DataFrame, np.ndarray]:
    """The measures per group of ``by`` in each window, one table, windows by start.

    Parameters
    ----------
    data : Dataset
        An engine-backed data set.
    windows : list of (start, end)
        Half-open time windows (they must not overlap for the table to be a partition
        of their calls; overlapping ones are simply each summed).
    by : list of str
        Dimension columns.
    settings : KpiSettings
    cache : dict, optional
        ``{(start, end): table}`` of windows already summed with these ``by``,
        settings and filters (filled as windows are summed), so a window is asked for once.
    filters : dict, optional
        ``{column: [allowed values as text]}`` (:meth:`ccmetrics.engine.Dataset.sums`).

    Returns
    -------
    rows : DataFrame
        ``arrived_at`` (the window's start: every row falls in its window), the ``by``
        columns and :data:`ccmetrics.cube.MEASURES`; one row per group with calls in a
        window, windows in order of their start (as a frame's rows are taken), groups
        in the engine's sorted order.
    ids : ndarray of int
        The index in ``windows`` of each row's window.

    Notes
    -----
    One ``GROUP BY by`` per window over its calls: the per-element sums a frame's rows
    give by ``cube.measures`` and a sum per element, without fetching the calls.
    """
    cache = {} if cache is None else cache
    parts, ids = [], []
    for index in sorted(range(len(windows)), key=lambda i: windows[i][0]):
        start, end = windows[index]
        key = (pd.Timestamp(start), pd.Timestamp(end))
        if key not in cache:
            require_dataset(data)
            table = data.sums(by=list(by), settings=settings, start=start, end=end, filters=filters)
            table.insert(0, "arrived_at", key[0])
            cache[key] = table
        parts.append(cache[key])
        ids.append(np.full(len(cache[key]), index, dtype=np.int64))
    if not parts:
        empty = pd.DataFrame(columns=["arrived_at", *by, *MEASURES])
        return empty, np.zeros(0, dtype=np.int64)
    rows = pd.concat(parts, ignore_index=True)
    rows["arrived_at"] = pd.to_datetime(rows["arrived_at"])
    return rows, np.concatenate(ids)


def span_test(data):
    """A test of whether a time lies in the data's span, by counts; None without calls.

    Parameters
    ----------
    data : Dataset
        An engine-backed data set.

    Returns
    -------
    callable or None
        ``inside(t)``: ``first day <= t <= last call``, where the first day is the
        midnight starting the day of the first call (as a frame's
        ``times.min().normalize()``, ``times.max()``). None when the data has no calls.

    Notes
    -----
    ``first day <= t`` holds when some call arrived before the midnight ending
    ``t``'s day, and ``t <= last call`` when some call arrived at or after ``t``:
    two counts, each a filtered scan of one column, never the calls themselves.
    """
    require_dataset(data)
    if data.count() == 0:
        return None
    answers: dict = {}

    def inside(time) -> bool:
        time = pd.Timestamp(time)
        if time not in answers:
            day_end = time.normalize() + pd.Timedelta(days=1)
            answers[time] = data.count(end=day_end) > 0 and data.count(start=time) > 0
        return answers[time]

    return inside


#: The measures a call that ended in the IVR adds to; it adds 0 to every other one
#: (they start from answered or abandoned calls, or leave IVR-only calls out).
IVR_MEASURES = ("ivr_n", "ivr_contained", "ivr_abandoned_n", "ivr_time_n", "ivr_s_sum")


def queued_window_sums(
    data, windows, by, settings, cache: dict | None = None, ivr_measures: bool = True
) -> tuple[pd.DataFrame, np.ndarray]:
    """:func:`window_group_sums` of the calls offered to a queue: without the calls that
    ended in the IVR (:func:`ccmetrics.cube.ivr_only_rows`), as a frame's rows are taken.

    Parameters
    ----------
    data, windows, by, settings, cache
        As for :func:`window_group_sums`.
    ivr_measures : bool, default True
        Also take the IVR-only calls out of :data:`IVR_MEASURES` (one more query per
        window); otherwise those measures still count them.

    Returns
    -------
    rows, ids
        As :func:`window_group_sums`.

    Notes
    -----
    A group key cannot be named like a measure (``ivr_contained``, ``answered``), so
    the calls are told apart by what they add: ``ivr_abandoned`` is a key (its groups
    of calls hung up in the IVR are left out); a group that offered no call holds only
    calls that ended in the IVR (canonical calls: a call offered to a queue is answered
    or abandoned, the loader drops the others) and is left out; the IVR-contained calls
    of the other groups add to :data:`IVR_MEASURES` only, which one query of the
    contained calls per window takes back out.
    """
    keys = list(by)
    if "ivr_abandoned" in data.columns and "ivr_abandoned" not in keys:
        keys.append("ivr_abandoned")
    rows, ids = window_group_sums(data, windows, keys, settings, cache)
    if ivr_measures and "ivr_contained" in data.columns and len(rows):
        contained, contained_ids = window_group_sums(
            data, windows, keys, settings, filters={"ivr_contained": ["true"]}
        )
        if len(contained):
            taken = contained[keys + list(IVR_MEASURES)].assign(__window=contained_ids)
            matched = (
                rows[keys]
                .assign(__window=ids)
                .merge(taken, how="left", on=["__window", *keys], sort=False)
            )
            for name in IVR_MEASURES:
                rows[name] = rows[name].to_numpy(float) - np.nan_to_num(
                    matched[name].to_numpy(float, na_value=np.nan)
                )
    offered = rows["offered"].to_numpy(float, na_value=np.nan) > 0 if len(rows) else []
    queued = np.asarray(offered, dtype=bool)
    if "ivr_abandoned" in rows.columns:
        hung_up = rows["ivr_abandoned"].astype(object).where(rows["ivr_abandoned"].notna(), False)
        queued &= ~hung_up.astype(bool).to_numpy()
    if "ivr_abandoned" not in by and "ivr_abandoned" in rows.columns:
        rows = rows.drop(columns="ivr_abandoned")
    return rows[queued].reset_index(drop=True), ids[queued]


def queued_values(data, column: str) -> list:
    """The values of ``column`` among the calls offered to a queue, in the engine's order.

    One engine query (the measures grouped by ``column``); a value whose calls offered
    nothing belongs to calls that ended in the IVR only (canonical calls) and is left
    out, as a frame's values are read once those calls are left out.
    """
    sums = dataset_sums(data, by=[column])
    offered = sums["offered"].to_numpy(float, na_value=np.nan) > 0
    values = sums.loc[offered, column]
    return values[values.notna()].tolist()


def dataset_calls(data, columns, start=None, end=None) -> pd.DataFrame:
    """Some columns of the calls of ``[start, end)`` (those the data has), in arrival order.

    For per-call values the engine's measures do not hold; callers say which and why.
    """
    require_dataset(data)
    present = [c for c in dict.fromkeys(columns) if c in data.columns]
    return data.window(start=start, end=end, columns=present)
