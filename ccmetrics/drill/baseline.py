"""Baseline windows: the default baseline, the windows left out and why, the rows compared."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ccmetrics.cube import MEASURES, frame_kind, ivr_only_rows, time_column
from ccmetrics.drill.constants import (
    _SQUARES,
    DEFAULT_DRILL_DIMENSIONS,
    METRIC_KINDS,
    OUTLIER_Z,
    QUEUE_METRICS,
    _InputError,
)
from ccmetrics.drill.effects import _divide
from ccmetrics.drill.frames import _check_metric, _frame_numbers
from ccmetrics.drill.windows import (
    _bounds,
    _by_start,
    _read_columns,
    _stamps,
    _time_ordered,
    _window,
    _window_ids,
    _window_rows,
    _windows,
)
from ccmetrics.engine import is_dataset
from ccmetrics.engine_inputs import measures_of_kpis, queued_window_sums, span_test
from ccmetrics.schema import KpiSettings

__all__ = [
    "default_baseline",
]


# --------------------------------------------------------------------------- baseline


def _baseline_candidates(anomaly, lookback: int, span) -> list[list[tuple]]:
    """Candidate windows, in order of preference: previous weeks, following weeks, just before.

    ``span``: (first day, last time) of the data, or a function telling whether a
    window start lies in that span (``first day <= start <= last time``).
    """
    start, end = anomaly
    length = end - start
    week = pd.Timedelta(days=7)
    step = week * max(1, math.ceil(length / week))
    if callable(span):  # a test of a window's start, for data whose span is not at hand
        inside = span
    else:
        first_day, last_time = span

        def inside(w_start) -> bool:
            return w_start >= first_day and w_start <= last_time

    groups = []
    for direction in (-1, 1):
        group = []
        for k in range(1, lookback + 1):
            w_start = start + direction * k * step
            if inside(w_start):
                group.append((direction * k, w_start, w_start + length))
        groups.append(group)
    groups.append([(0, start - length, start)])
    return groups


_SOURCES = ("previous weeks", "following weeks", "the window just before")


def _require_datetime(times: pd.Series) -> None:
    """Refuse a time column that is not datetime: candidate windows are found by time."""
    if not pd.api.types.is_datetime64_any_dtype(times):
        raise _InputError(
            "a default baseline needs a datetime time column; pass baseline=", "no_time_column"
        )


def _baseline_table(
    times: pd.Series,
    numbers: np.ndarray,
    kind: str,
    anomaly,
    weeks: int,
    lookback: int,
    volume: np.ndarray | None,
    span,
    ordered: bool | None = None,
    service: np.ndarray | None = None,
) -> pd.DataFrame:
    """Candidate same-weekday windows with their value, volume and exclusion flags.

    ``ordered``: whether ``times`` ascend (checked when None); ``service``: the rows'
    service-level numbers for the extra check of :func:`_judge_windows`.
    """
    _require_datetime(times)
    return _first_baseline(
        lambda rows: _judge_windows(times, numbers, kind, rows, weeks, volume, ordered, service),
        anomaly,
        lookback,
        span,
    )


def _first_baseline(judge, anomaly, lookback: int, span) -> pd.DataFrame:
    """The judged candidates of the first source (previous weeks, following weeks, the
    window just before) that has a usable window; ``judge(rows)`` judges one source's
    candidates ``(weeks_away, start, end)`` (:func:`_judge_sums`)."""
    table = None
    for source, rows in zip(_SOURCES, _baseline_candidates(anomaly, lookback, span), strict=True):
        if not rows:
            continue
        table = judge(rows)
        table.attrs["source"] = source
        if table["used"].any():
            return table
    if table is None:
        raise _InputError(
            "no baseline window lies inside the data: pass baseline=(start, end)",
            "no_baseline_window",
        )
    return table


def _judge_windows(
    times, numbers, kind, rows, weeks, volume, ordered=None, service=None
) -> pd.DataFrame:
    """Value and volume of each candidate window; outliers flagged; the nearest ``weeks`` used.

    ``service``: (R, 3) service-level numbers of the rows, when the metric is not service
    level itself: a window whose service level is an outlier is left out as well (a
    handle-time baseline must not hold the day the queue collapsed).
    """
    windows = [(s, e) for _, s, e in rows]
    ids = _window_ids(times, windows, ordered)
    slots = len(windows)
    safe = np.where(ids >= 0, ids, slots)
    sums = np.stack([np.bincount(safe, numbers[:, i], slots + 1)[:slots] for i in range(3)], axis=1)
    volumes = None if volume is None else np.bincount(safe, volume, slots + 1)[:slots]
    service_sums = None
    if service is not None:
        service_sums = np.stack(
            [np.bincount(safe, service[:, i], slots + 1)[:slots] for i in range(2)], axis=1
        )
    return _judge_sums(rows, sums, kind, weeks, volumes, service_sums)


def _judge_sums(rows, sums, kind, weeks, volumes=None, service_sums=None) -> pd.DataFrame:
    """:func:`_judge_windows` from the sums of each candidate window.

    ``rows``: the candidates ``(weeks_away, start, end)``; ``sums``: (W, 3) the
    metric's numerator, denominator and Σx² per window; ``volumes``: (W,) offered
    calls per window, checked too when given; ``service_sums``: (W, 2) the
    service-level numerator and denominator per window, checked too when given.
    """
    table = pd.DataFrame(
        {
            "start": [s for _, s, _ in rows],
            "end": [e for _, _, e in rows],
            "weeks_away": [k for k, _, _ in rows],
        }
    )
    slots = len(rows)
    table["n"] = sums[:, 1]
    if kind == "count":
        table["value"] = sums[:, 1]
    else:
        table["value"] = _divide(sums[:, 0], sums[:, 1])
    table["volume"] = volumes if volumes is not None else sums[:, 1]
    has_data = table["n"].to_numpy() > 0
    excluded = np.zeros(slots, dtype=bool)
    reasons = np.full(slots, "", dtype=object)
    reasons[~has_data] = "no data"
    if has_data.sum() >= 3:
        checks = [("value", table["value"].to_numpy(float), kind, sums)]
        if volumes is not None:
            checks.append(("volume", volumes.astype(float), "count", sums))
        if service_sums is not None:
            service_value = _divide(service_sums[:, 0], service_sums[:, 1])
            if np.isfinite(service_value[has_data]).all():
                checks.append(("service level", service_value, "ratio", service_sums))
        for label, values, check_kind, check_sums in checks:
            present = values[has_data]
            center = float(np.median(present))
            mad = float(np.median(np.abs(present - center)))
            typical_n = max(float(np.median(check_sums[has_data, 1])), 1.0)
            if check_kind == "count":
                sampling = math.sqrt(max(center, 1.0))
            elif check_kind == "ratio":
                sampling = math.sqrt(max(center * (1 - center), 1e-12) / typical_n)
            else:
                counts, totals, squares = sums[has_data, 1], sums[has_data, 0], sums[has_data, 2]
                pooled = (squares.sum() - totals.sum() ** 2 / counts.sum()) / max(
                    counts.sum() - 1, 1
                )
                sampling = math.sqrt(max(pooled, 0.0) / typical_n)
            spread = max(1.4826 * mad, sampling)
            outlier = has_data & (np.abs(values - center) > OUTLIER_Z * spread)
            reasons[outlier & ~excluded] = f"anomalous {label}"
            excluded |= outlier
    usable = np.flatnonzero(has_data & ~excluded)
    order = usable[np.argsort(np.abs(table["weeks_away"].to_numpy()[usable]), kind="stable")]
    used = np.zeros(slots, dtype=bool)
    used[order[:weeks]] = True
    table["excluded"] = excluded
    table["reason"] = reasons
    table["used"] = used
    return table


def _used_windows(table: pd.DataFrame) -> list[tuple]:
    used = table[table["used"]]
    if used.empty:
        raise _InputError(
            "no baseline window with data: pass baseline=(start, end) explicitly",
            "no_baseline_window",
        )
    return [(row.start, row.end) for row in used.itertuples()]


def default_baseline(
    frame: pd.DataFrame,
    anomaly,
    *,
    metric: str = "service_level",
    settings: KpiSettings | None = None,
    weeks: int = 4,
    lookback: int = 8,
) -> pd.DataFrame:
    """The default baseline windows: same weekday and time, previous ordinary weeks.

    Parameters
    ----------
    frame : DataFrame or Dataset
        Canonical calls or intervals, or an engine-backed data set of calls
        (:func:`ccmetrics.engine.is_dataset`): each source of candidate windows is then
        summed by one engine query, the data's span settled by counts.
    anomaly : (start, end)
        The anomaly window, half-open.
    metric : str, default "service_level"
        The metric whose value marks a window as anomalous.
    settings : KpiSettings, optional
    weeks : int, default 4
        Number of windows used.
    lookback : int, default 8
        Number of earlier weeks examined.

    Returns
    -------
    DataFrame
        One row per candidate window: ``start``, ``end``, ``weeks_away``
        (negative = before), ``n`` (the metric's base), ``value``,
        ``volume`` (offered calls), ``excluded`` (anomalous), ``reason``,
        ``used``. ``attrs["source"]`` says where the windows come from.

    Notes
    -----
    Candidates are the windows shifted back by whole weeks (by
    ``ceil(length / 7 days)`` weeks when the window is longer than a week)
    that lie inside the data. A window is anomalous — and left out — when its
    value, its offered volume (queue metrics) or its service level (any other
    metric: a handle-time baseline must not hold the day service collapsed,
    reason "anomalous service level") is an outlier among the candidates by the
    modified z-score of Iglewicz and Hoaglin (1993): ``|x − median| > 3.5 ×
    1.4826 × MAD``, with the spread floored at the sampling noise of one
    window (binomial, Poisson or the pooled standard error) and at least three
    candidates. The ``weeks`` nearest ordinary windows are used. When no
    earlier week has data (the anomaly is in the data's first week), the
    following weeks are used; when none has, the window of equal length just
    before the anomaly.

    References
    ----------
    Iglewicz, B. and Hoaglin, D. C. (1993). How to Detect and Handle Outliers.
    ASQC Quality Press.

    Examples
    --------
    >>> times = pd.date_range("2025-01-01 09:00", periods=6, freq="7D")
    >>> calls = pd.DataFrame({"arrived_at": times, "wait_s": 5.0, "answered": True,
    ...     "abandoned": False})
    >>> table = default_baseline(calls, ("2025-02-05 09:00", "2025-02-05 10:00"))
    >>> table["start"].dt.strftime("%m-%d").tolist(), int(table["used"].sum())
    (['01-29', '01-22', '01-15', '01-08', '01-01'], 4)
    """
    settings = settings or KpiSettings()
    _check_metric(metric)
    if is_dataset(frame):
        return _dataset_baseline(frame, _window(anomaly), metric, settings, weeks, lookback)
    return _lookup_baseline(
        _read_columns(frame), _window(anomaly), metric, settings, weeks, lookback
    )


def _span(times: pd.Series, anomaly, ordered: bool = False) -> tuple:
    """(first day, last time) of the data: candidate windows must start inside it.

    ``ordered``: ``times`` ascend (:func:`_time_ordered`), so the first and last
    rows hold the minimum and maximum.
    """
    _require_datetime(times)
    if not len(times):
        return anomaly
    if ordered:
        return times.iloc[0].normalize(), times.iloc[-1]
    return times.min().normalize(), times.max()


def _metric_and_service(numbers_of, rows, metric, settings) -> tuple:
    """The rows' numbers a baseline judges: the metric's and, for another metric, service level's.

    ``numbers_of(rows, metric, settings)`` is :func:`_frame_numbers` (calls or intervals)
    or :func:`_group_numbers` (an engine's sums per window). Returns ``(numbers, volume,
    service)``: the metric's (numerator, denominator, Σx²) and offered calls per row, and
    the service-level numbers, None for service level itself or when nothing in the rows
    gives service level.
    """
    numbers, volume, _ = numbers_of(rows, metric, settings)
    service = None
    if metric != "service_level":
        try:  # the metric's baseline skips out-of-control service days too
            service, _, _ = numbers_of(rows, "service_level", settings)
        except _InputError:  # nothing to compute service level from
            service = None
    return numbers, volume, service


def _lookup_baseline(
    frame, anomaly, metric, settings, weeks, lookback, ordered: bool | None = None
) -> pd.DataFrame:
    """:func:`default_baseline` on the rows near the anomaly only (fast on large frames).

    ``ordered``: whether the frame's times ascend (checked when None); the rows
    near the anomaly are then slices found by binary search, not a mask of the
    whole frame.
    """
    times = frame[time_column(frame)]
    _require_datetime(times)
    if ordered is None:
        ordered = _time_ordered(times)
    span = _span(times, anomaly, ordered)
    groups = _baseline_candidates(anomaly, lookback, span)
    windows = [anomaly] + [(s, e) for group in groups for _, s, e in group]
    values = times.to_numpy()
    if ordered:
        # candidate windows may overlap (the window just before the anomaly): merge them
        merged: list[list[int]] = []
        for lo, hi in sorted(_bounds(values, _stamps(times, windows))):
            if merged and lo <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], hi)
            elif hi > lo:
                merged.append([lo, hi])
        positions = [np.arange(lo, hi, dtype=np.int64) for lo, hi in merged]
        rows = frame.take(np.concatenate(positions) if positions else np.zeros(0, np.int64))
    else:
        near = np.zeros(len(frame), dtype=bool)
        for w_start, w_end in windows:
            near |= (values >= np.datetime64(w_start)) & (values < np.datetime64(w_end))
        rows = frame[near]
    numbers, volume, service = _metric_and_service(_frame_numbers, rows, metric, settings)
    return _baseline_table(
        rows[time_column(frame)],
        numbers,
        METRIC_KINDS[metric],
        anomaly,
        weeks,
        lookback,
        volume if metric in QUEUE_METRICS else None,
        span,
        ordered,
        service,
    )


def _prepare(frame, anomaly, baseline, metric, settings, weeks, lookback, keep=()):
    """Rows of the anomaly and baseline windows and their window index (0 = anomaly).

    The rows hold every column but identifiers nobody reads (:func:`_read_columns`;
    ``keep`` names the dimensions asked for).
    """
    times = frame[time_column(frame)]
    ordered = _time_ordered(times)
    frame = _read_columns(frame, keep)
    windows_table = None
    if baseline is None:
        windows_table = _lookup_baseline(frame, anomaly, metric, settings, weeks, lookback, ordered)
        baseline = _used_windows(windows_table)
    baseline = _windows(baseline)
    rows, ids = _window_rows(frame, times, [anomaly, *baseline], ordered)
    if frame_kind(rows) == "calls":
        ended_in_ivr = ivr_only_rows(rows)
        if ended_in_ivr.any():
            # every drill-down metric is a queue or agent KPI: calls that ended in the
            # IVR add nothing to it and would only make empty elements (no queue, team, agent)
            rows, ids = rows[~ended_in_ivr], ids[~ended_in_ivr]
    return rows, ids, baseline, windows_table


def _csat_squares(rows: pd.DataFrame):
    """Σ CSAT² of each group row (an engine's sums per window and group) whose keys hold
    the rating (``csat``): the rating squared × its rated calls; None without the key."""
    if "csat" not in rows.columns:
        return None
    rating = pd.to_numeric(rows["csat"], errors="coerce").to_numpy(float, na_value=np.nan)
    return rating**2 * rows["csat_n"].to_numpy(float, na_value=np.nan)


def _group_numbers(rows, metric, settings, sums=None, derived=None):
    """:func:`_frame_numbers` of group rows (an engine's sums per window and group)."""
    if sums is None:
        sums = rows[list(MEASURES)]
    return _frame_numbers(rows, metric, settings, sums, derived, squares=_csat_squares(rows))


def _dataset_keys(data, metric, dims) -> list[str]:
    """The group keys of a data set's window sums: the dimensions examined and, for a
    CSAT mean, the rating (its Σx² is no cube measure)."""
    wanted = list(dims) if dims else [d for d in DEFAULT_DRILL_DIMENSIONS if d in data.columns]
    if metric == "csat_mean":
        wanted.append("csat")
    return [c for c in dict.fromkeys(wanted) if c in data.columns]


def _dataset_windows(data, windows, keys, settings, cache, ivr_measures=True, measures=None):
    """Group rows of the windows without the calls that ended in the IVR, as
    :func:`_prepare` leaves them out, and each row's window index
    (:func:`ccmetrics.engine_inputs.queued_window_sums`; ``ivr_measures``: also take
    them out of the IVR measures, which only the KPI table reads; ``measures``: only
    these, default every one)."""
    return queued_window_sums(data, windows, keys, settings, cache, ivr_measures, measures)


def _metric_measures(*metrics) -> tuple[str, ...] | None:
    """The measures the drill-down of ``metrics`` reads from group rows: each metric's
    and its n's (:func:`ccmetrics.engine_inputs.measures_of_kpis`) and a mean's sum of
    squares. An FCR flag is summed only for the FCR rate."""
    squares = [_SQUARES[metric] for metric in metrics if metric in _SQUARES]
    return measures_of_kpis([*metrics, *squares])


def _dataset_totals(data, windows, settings):
    """Every measure of each window's calls offered to a queue (the KPI table's sums),
    and each row's window index: the rows of :func:`_dataset_windows` without
    dimensions, which a kept 30-min × queue cube answers for whole days."""
    return queued_window_sums(data, windows, [], settings, {})


def _candidate_starts(anomaly, lookback: int) -> list:
    """The start of every candidate window, were the data to span them all."""
    groups = _baseline_candidates(anomaly, lookback, lambda start: True)
    return [start for group in groups for _, start, _ in group]


def _judge_lazily(fetch, kind, anomaly, weeks, lookback, span, volumes: bool) -> pd.DataFrame:
    """:func:`_baseline_table` asking for the rows of one source of candidates at a time.

    ``fetch(windows)`` gives ``(ids, numbers, volume, service)`` of the rows of those
    windows (the anomaly first, then one source's candidates): the window index of each
    row, its (numerator, denominator, Σx²), offered calls and service-level numbers (or
    None), and raises the ``no_metric_data`` error when nothing in them has the metric.
    A later source is only asked for when an earlier one has no usable window, as only
    then is it judged. The errors are those of the frame, which reads every candidate
    at once: the metric's absence is reported when no window asked for has it.
    """
    failures: list[_InputError] = []

    def judge(candidates):
        windows = [anomaly, *[(s, e) for _, s, e in candidates]]
        slots = len(windows)
        try:
            ids, numbers, volume, service = fetch(windows)
        except _InputError as error:  # nothing of the metric here: every window is empty
            if error.code != "no_metric_data":
                raise
            failures.append(error)
            ids, numbers, volume, service = np.zeros(0, np.int64), np.zeros((0, 3)), None, None

        def per_window(values: np.ndarray) -> np.ndarray:
            return np.bincount(ids, values, slots)[1:] if len(ids) else np.zeros(slots - 1)

        sums = np.stack([per_window(numbers[:, i]) for i in range(3)], axis=1)
        service_sums = None
        if service is not None:
            service_sums = np.stack([per_window(service[:, i]) for i in range(2)], axis=1)
        volume_sums = None
        if volumes:
            volume_sums = per_window(volume) if volume is not None else np.zeros(slots - 1)
        return _judge_sums(candidates, sums, kind, weeks, volume_sums, service_sums)

    judged = sum(bool(group) for group in _baseline_candidates(anomaly, lookback, span))
    if not judged:
        fetch([anomaly])  # the frame reports a metric absent from the anomaly first
    table = _first_baseline(judge, anomaly, lookback, span)
    if failures and not table["used"].any() and len(failures) == judged:
        raise failures[0]
    return table


def _dataset_baseline(data, anomaly, metric, settings, weeks, lookback):
    """:func:`_lookup_baseline` on an engine-backed data set: the candidate windows'
    sums from the engine, the same judgement (:func:`_judge_sums`).

    A window is judged on its totals, so its sums are not split by dimension (only by
    the rating for a CSAT mean, whose Σx² is rating² × rated calls)."""
    keys = ["csat"] if metric == "csat_mean" and "csat" in data.columns else []
    cache: dict = {}

    measures = _metric_measures(metric, "service_level")

    def fetch(windows):
        rows, ids = _dataset_windows(
            data, windows, keys, settings, cache, ivr_measures=False, measures=measures
        )
        numbers, volume, service = _metric_and_service(_group_numbers, rows, metric, settings)
        return ids, numbers, volume, service

    span = span_test(data, _candidate_starts(anomaly, lookback)) or anomaly
    kind = METRIC_KINDS[metric]
    return _judge_lazily(fetch, kind, anomaly, weeks, lookback, span, metric in QUEUE_METRICS)


def _prepare_dataset(data, anomaly, baseline, metric, settings, weeks, lookback, dims=None):
    """:func:`_prepare` on an engine-backed data set: the group rows (per window and
    element, :func:`_dataset_windows`) of the anomaly and baseline windows, their window
    index, the baseline windows, the judged candidates (None for a given baseline).

    The rows hold the measures of the metric and of the drivers of a queue metric
    (volume, handle time) only: the KPI table's other measures come from the windows'
    totals (:func:`_dataset_totals`), so the elements' query computes no FCR flag unless
    the FCR rate is drilled."""
    keys = _dataset_keys(data, metric, dims)
    cache: dict = {}
    windows_table = None
    if baseline is None:
        windows_table = _dataset_baseline(data, anomaly, metric, settings, weeks, lookback)
        baseline = _used_windows(windows_table)
    baseline = _windows(baseline)
    windows = [anomaly, *baseline]
    _by_start(windows)  # overlapping windows are refused as on a frame
    measures = _metric_measures(metric, "offered", "aht_s", "answered", "abandoned")
    rows, ids = _dataset_windows(data, windows, keys, settings, cache, measures=measures)
    return rows, ids, baseline, windows_table
