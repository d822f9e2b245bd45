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
  has no measure for); each caller says which and why;
* only the measures some KPIs need (:func:`measures_for_kpis`), asked of a data set
  whose ``sums`` takes a ``measures`` argument (:func:`sums_keywords`; the Dataset
  protocol does not require it, a data set without it sums every measure). What it
  saves is the FCR flags: a window function over every call of the customers, the
  costliest part of a question about a long window, when no FCR KPI is asked.

Every number then comes from the same derivations as on a frame
(:func:`ccmetrics.kpi.derive` of the same measures).
"""

from __future__ import annotations

import inspect
import math

import numpy as np
import pandas as pd

from ccmetrics.cube import MEASURES, SETTING_GROUPS
from ccmetrics.engine import is_dataset
from ccmetrics.schema import KpiSettings

__all__ = [
    "require_dataset",
    "dataset_sums",
    "dataset_kpis",
    "measures_for_kpis",
    "measures_of_kpis",
    "sums_keywords",
    "FCR_MEASURES",
    "window_group_sums",
    "span_test",
    "queued_window_sums",
    "IVR_MEASURES",
    "queued_values",
    "dataset_calls",
    "IVR_FLAGS",
    "MAX_RANGE_PERIODS",
    "RANGE_MIN_SHARE",
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


#: The measures made from the FCR flags (:data:`ccmetrics.cube.SETTING_GROUPS`).
FCR_MEASURES = tuple(SETTING_GROUPS["fcr"])


def measures_for_kpis(names) -> tuple[str, ...] | None:
    """The measures the KPI columns ``names`` of :func:`ccmetrics.kpi.compute` need.

    Parameters
    ----------
    names : sequence of str
        KPI columns (:data:`ccmetrics.kpis.KPIS`) or measures (:data:`ccmetrics.cube.MEASURES`).

    Returns
    -------
    tuple of str or None
        Every measure but :data:`FCR_MEASURES` when no name rests on them; None (every
        measure) when one does, or when a name is neither a registered KPI nor a measure.

    Notes
    -----
    A KPI rests on the FCR measures when it is one of them or its base (n) or interval
    inputs in :data:`ccmetrics.kpis.KPIS` are (``fcr_rate``: ``fcr_resolved / fcr_n``).
    Only the FCR measures are left out: the other KPIs' measures are cheap beside the
    FCR window function, and keeping them keeps every other KPI of the table exact.
    """
    from ccmetrics.kpis import KPIS

    for name in names:
        if name in MEASURES:
            if name in FCR_MEASURES:
                return None
            continue
        entry = KPIS.get(name)
        if entry is None:
            return None
        if entry.base in FCR_MEASURES or set(entry.interval_inputs) & set(FCR_MEASURES):
            return None
    return tuple(m for m in MEASURES if m not in FCR_MEASURES)


#: Measures every few-KPI question sums besides its KPIs': they tell the groups of
#: calls that ended in the IVR apart (:func:`ccmetrics.kpi.without_ivr_only_groups`).
_GROUP_MEASURES = ("offered", "ivr_n")


def measures_of_kpis(names) -> tuple[str, ...] | None:
    """Only the measures the columns ``names`` of :func:`ccmetrics.kpi.derive` read.

    Parameters
    ----------
    names : sequence of str
        KPI columns (:data:`ccmetrics.kpis.KPIS`), n columns
        (:data:`ccmetrics.kpi.BASE_COLUMNS`) or measures (:data:`ccmetrics.cube.MEASURES`).

    Returns
    -------
    tuple of str or None
        In :data:`ccmetrics.cube.MEASURES` order: for each KPI, the measures of the KPI
        and of the n it rests on (:data:`ccmetrics.kpis.KPI_MEASURES`), a measure named
        itself, and ``offered`` and ``ivr_n``; None (every measure) when a name is none
        of these.

    Notes
    -----
    Unlike :func:`measures_for_kpis`, which leaves out only the FCR measures, every
    measure no name reads is left out: the other KPIs of a table summed from these are
    NaN. For one KPI's chart or trend: the service level's needs 8 of the 43 measures.

    Examples
    --------
    >>> measures_of_kpis(["fcr_rate"])
    ('offered', 'fcr_n', 'fcr_resolved', 'ivr_n')
    """
    from ccmetrics.kpis import KPI_BASE, KPI_MEASURES

    wanted = set(_GROUP_MEASURES)
    for name in names:
        if name in MEASURES:
            wanted.add(name)
            continue
        if name not in KPI_MEASURES:
            return None
        wanted.update(KPI_MEASURES[name])
        base = KPI_BASE.get(name)
        if base is not None:
            wanted.update(KPI_MEASURES.get(base, (base,) if base in MEASURES else ()))
    return tuple(m for m in MEASURES if m in wanted)


def sums_keywords(data, measures) -> dict:
    """``{"measures": measures}`` when ``data.sums`` takes that argument and some
    measures are named, else ``{}`` (a data set without it sums every measure: the same
    sums, only slower)."""
    if measures is None:
        return {}
    try:
        parameters = inspect.signature(data.sums).parameters
    except (TypeError, ValueError):  # a callable without a signature: ask plainly
        return {}
    return {"measures": tuple(measures)} if "measures" in parameters else {}


def dataset_sums(
    data, by=(), freq=None, settings=None, start=None, end=None, measures=None
) -> pd.DataFrame:
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
    measures : sequence of str, optional
        The measures needed (default every one); passed on when the data set takes
        them (:func:`sums_keywords`), the others then NaN.

    Returns
    -------
    DataFrame
        The ``by`` columns, ``period`` when ``freq`` is given, then
        :data:`ccmetrics.cube.MEASURES`; rows in :func:`ccmetrics.kpi.compute`'s order.
    """
    require_dataset(data)
    by = [by] if isinstance(by, str) else list(by or ())
    named_like_measures = [c for c in by if c in MEASURES]
    if named_like_measures:
        # the sums' columns are the keys then the measures: one name cannot be both
        raise ValueError(
            f"cannot group by {named_like_measures}: a measure of the sums has that name"
        )
    return data.sums(
        by=by,
        freq=freq,
        settings=settings or KpiSettings(),
        start=start,
        end=end,
        **sums_keywords(data, measures),
    )


def dataset_kpis(
    data, by=(), freq=None, settings=None, keep_sums=False, kpis=None, measures=None
) -> pd.DataFrame:
    """:func:`ccmetrics.kpi.compute` of a data set: its sums, the same derivation.

    Parameters
    ----------
    data : Dataset
        An engine-backed data set.
    by, freq, settings, keep_sums
        As for :func:`ccmetrics.kpi.compute`.
    kpis : sequence of str, optional
        The KPI columns the caller reads: only the measures they need are summed
        (:func:`measures_for_kpis`); the KPIs made from the others are NaN. Default
        every KPI.
    measures : sequence of str, optional
        The measures to sum, when the caller knows them (e.g. :func:`measures_of_kpis`
        of one KPI); wins over ``kpis``. The KPIs made from the others are NaN.

    Returns
    -------
    DataFrame
        The columns of :func:`ccmetrics.kpi.compute` (with ``<measure>__sum`` columns
        when ``keep_sums``), groups that hold only calls ended in the IVR left out.
    """
    from ccmetrics.kpi import derive, without_ivr_only_groups

    settings = settings or KpiSettings()
    by = [by] if isinstance(by, str) else list(by or ())
    if measures is None and kpis is not None:
        measures = measures_for_kpis(kpis)
    sums = dataset_sums(data, by=by, freq=freq, settings=settings, measures=measures)
    result = derive(sums, settings)
    if keep_sums:
        result = pd.concat([result, sums[list(MEASURES)].add_suffix("__sum")], axis=1)
    return without_ivr_only_groups(result, by)


def window_group_sums(
    data,
    windows,
    by,
    settings,
    cache: dict | None = None,
    filters: dict | None = None,
    measures=None,
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
    measures : sequence of str, optional
        The measures needed (default every one; :func:`sums_keywords`). A ``cache``
        is for one choice of measures.

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
    The per-element sums a frame's rows give by ``cube.measures`` and a sum per
    element, without fetching the calls. Windows whose bounds are all multiples of a
    period ``p`` from the epoch (whole days, hours, ...), whose span holds at most
    :data:`MAX_RANGE_PERIODS` such periods and which cover at least
    :data:`RANGE_MIN_SHARE` of that span (or whose span a cube of the data set
    answers: its ``answers_from_cube``, when it has one) are summed by one query over their span,
    ``GROUP BY by, period`` (each window is then a union of whole periods, whose sums
    add up to the window's); other windows by one ``GROUP BY by`` each (a day and its
    four same weekdays before cover 5 of 29 days: five short scans read less than one
    over the month).
    """
    require_dataset(data)
    cache = {} if cache is None else cache
    keywords = sums_keywords(data, measures)
    keys = [(pd.Timestamp(start), pd.Timestamp(end)) for start, end in windows]
    missing = list(dict.fromkeys(key for key in keys if key not in cache))
    if len(missing) > 1:
        cache.update(_range_sums(data, missing, list(by), settings, filters, keywords))
    parts, ids = [], []
    for index in sorted(range(len(windows)), key=lambda i: keys[i][0]):
        key = keys[index]
        if key not in cache:
            table = data.sums(
                by=list(by),
                settings=settings,
                start=key[0],
                end=key[1],
                filters=filters,
                **keywords,
            )
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


#: The most periods one query over the span of several windows may group by (beyond,
#: the periods outside the windows would cost more than a query per window).
MAX_RANGE_PERIODS = 512
#: The least share of their span several windows must cover to be summed by one query
#: over the span (below it, a query per window reads less).
RANGE_MIN_SHARE = 0.5


def _range_sums(data, windows, by, settings, filters, keywords=None) -> dict:
    """Sums per group of each window from one query over their span (see
    :func:`window_group_sums`); empty when the windows share no period that fits or
    cover too little of their span."""
    step = 0
    for start, end in windows:
        step = math.gcd(step, start.value, end.value)
    first, last = min(s for s, _ in windows), max(e for _, e in windows)
    if step <= 0 or (last.value - first.value) // step > MAX_RANGE_PERIODS:
        return {}
    freq = f"{step // 10**9}s" if step % 10**9 == 0 else f"{step}ns"
    covered = sum(end.value - start.value for start, end in windows)
    if covered < RANGE_MIN_SHARE * (last.value - first.value):
        from_cube = getattr(data, "answers_from_cube", None)  # a capability, not the protocol
        if not (callable(from_cube) and from_cube(by, freq, first, last, filters)):
            return {}
    table = data.sums(
        by=by,
        freq=freq,
        settings=settings,
        start=first,
        end=last,
        filters=filters,
        **(keywords or {}),
    )
    periods = pd.to_datetime(table.pop("period")).to_numpy()
    out = {}
    for start, end in windows:
        inside = table[(periods >= start.to_datetime64()) & (periods < end.to_datetime64())]
        if by and len(inside):
            inside = inside.groupby(by, dropna=False, observed=True, sort=False).sum(min_count=1)
            inside = inside.reset_index()
        elif len(inside):
            inside = inside.sum(min_count=1).to_frame().T
        inside = inside.reset_index(drop=True)
        inside.insert(0, "arrived_at", start)
        out[(start, end)] = inside
    return out


def span_test(data, probes=()):
    """A test of whether a time lies in the data's span, by counts; None without calls.

    Parameters
    ----------
    data : Dataset
        An engine-backed data set.
    probes : sequence of date-like, optional
        Times that will be asked about: the earliest and the latest are asked first,
        which settles every time between them when both lie in the span.

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
    counts, each a filtered scan of one column, never the calls themselves. Both
    tests are monotone in ``t``, so an answer settles every time on its side and a
    week of candidate windows costs a few counts, not two each.
    """
    require_dataset(data)
    if data.count() == 0:
        return None
    # after_first: first day <= t (true from some t on); before_last: t <= last call
    after_first = {"yes": None, "no": None}
    before_last = {"yes": None, "no": None}

    def known(bounds: dict, time, increasing: bool):
        yes, no = bounds["yes"], bounds["no"]
        if increasing:
            if yes is not None and time >= yes:
                return True
            if no is not None and time <= no:
                return False
        else:
            if yes is not None and time <= yes:
                return True
            if no is not None and time >= no:
                return False
        return None

    def settle(bounds: dict, time, answer: bool, increasing: bool) -> bool:
        side = "yes" if answer else "no"
        current = bounds[side]
        pick = min if (answer == increasing) else max
        bounds[side] = time if current is None else pick(current, time)
        return answer

    def inside(time) -> bool:
        time = pd.Timestamp(time)
        first = known(after_first, time, increasing=True)
        if first is None:
            day_end = time.normalize() + pd.Timedelta(days=1)
            first = settle(after_first, time, data.count(end=day_end) > 0, increasing=True)
        if not first:
            return False
        last = known(before_last, time, increasing=False)
        if last is None:
            last = settle(before_last, time, data.count(start=time) > 0, increasing=False)
        return last

    probes = [pd.Timestamp(time) for time in probes]
    if probes:
        inside(min(probes))
        inside(max(probes))
    return inside


#: The measures a call that ended in the IVR adds to; it adds 0 to every other one
#: (they start from answered or abandoned calls, or leave IVR-only calls out).
IVR_MEASURES = ("ivr_n", "ivr_contained", "ivr_abandoned_n", "ivr_time_n", "ivr_s_sum")


def _plain_keys(keys: pd.DataFrame) -> pd.DataFrame:
    """Key columns as Python objects, every missing value None (so they match by value)."""
    return pd.DataFrame(
        {c: keys[c].astype(object).where(keys[c].notna(), None) for c in keys.columns},
        index=keys.index,
    )


def queued_window_sums(
    data,
    windows,
    by,
    settings,
    cache: dict | None = None,
    ivr_measures: bool = True,
    measures=None,
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
    measures : sequence of str, optional
        The measures needed (default every one); ``offered`` (which tells the groups of
        IVR-only calls) and, with ``ivr_measures``, :data:`IVR_MEASURES` are added.

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
    if measures is not None:
        needed = {*measures, "offered", *(IVR_MEASURES if ivr_measures else ())}
        measures = tuple(m for m in MEASURES if m in needed)
    rows, ids = window_group_sums(data, windows, keys, settings, cache, measures=measures)
    contained_calls = rows["ivr_contained"].to_numpy(float, na_value=np.nan) if len(rows) else []
    if ivr_measures and np.nansum(contained_calls) > 0:  # else there is nothing to take out
        contained, contained_ids = window_group_sums(
            data,
            windows,
            keys,
            settings,
            filters={"ivr_contained": ["true"]},
            measures=None if measures is None else IVR_MEASURES,
        )
        if len(contained):
            # keys compared as values (an all-missing key column may come back as numbers)
            taken = _plain_keys(contained[keys]).assign(__window=contained_ids)
            taken[list(IVR_MEASURES)] = contained[list(IVR_MEASURES)].to_numpy(float)
            matched = (
                _plain_keys(rows[keys])
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
