"""Root-cause drill-down: which categories, segments, queues and teams drove a bad window.

"Service level collapsed on Tuesday morning — why?" :func:`explain` compares an
anomaly window with a baseline (by default the same weekday and time window of
the previous four ordinary weeks), splits the KPI change among every dimension
value and combination of values (an *element*, e.g. ``category=GPRS &
segment=Prepaid``), tests each one, and picks the few elements that explain
most of the change while holding a small part of the calls.

The generic engine, :func:`explain_ratio`, works on any additive cube
(dimension columns, a time column, a numerator and a denominator per row), so
it is also checked on public root-cause benchmarks. :func:`decompose` gives one
level of a decomposition tree, :func:`element_calls` the calls behind an
element, :func:`default_baseline` the baseline windows and why some were left
out.

Three kinds of metric are handled:

* ``"ratio"``: a proportion of counts (service level, abandon, answer and
  transfer rates, a stall rate): numerator ≤ denominator.
* ``"mean"``: a sum over a count (AHT, ASA, CSAT), with the sum of squares for
  the significance test.
* ``"count"``: a volume (offered calls): where did the extra calls come from?

Every rate is derived from additive sums (:mod:`ccmetrics.cube`) with the KPI
formulas of :func:`ccmetrics.kpi.derive`; nothing here re-implements a KPI.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

from ccmetrics import i18n, kpis, multitest, rootcause
from ccmetrics.cube import frame_kind, measures, time_column
from ccmetrics.kpi import KPI_BASE, KPI_UNITS, derive, format_value
from ccmetrics.schema import DEMAND_DIMENSIONS, DIMENSIONS, SUPPLY_DIMENSIONS, KpiSettings

__all__ = [
    "ERROR_CODES",
    "METRICS",
    "METRIC_KINDS",
    "QUEUE_METRICS",
    "ARRIVAL_METRICS",
    "P_ADJUST_METHODS",
    "TABLE_COLUMNS",
    "DECOMPOSE_COLUMNS",
    "Explanation",
    "explain",
    "explain_ratio",
    "default_baseline",
    "decompose",
    "element_calls",
    "element_label",
]

#: Metrics :func:`explain` can explain.
METRICS = (
    "service_level",
    "abandon_rate",
    "answer_rate",
    "transfer_rate",
    "aht_s",
    "asa_s",
    "offered",
    "csat_mean",
)
#: The kind of each metric, from the KPI registry: a proportion of calls is explained as a
#: "ratio" of counts (:func:`explain_ratio`), a per-call mean as a "mean", a volume as a "count".
METRIC_KINDS = {
    metric: {"proportion": "ratio"}.get(kpis.KPIS[metric].kind, kpis.KPIS[metric].kind)
    for metric in METRICS
}

#: Metrics set by waiting in queue: their explanation also examines the volume
#: (``offered``) and handle time (``aht_s``) and names the driver.
QUEUE_METRICS = ("service_level", "abandon_rate", "answer_rate", "asa_s")

#: Metrics measured on every offered call, answered or not: a dimension known
#: only for answered calls (team, agent) would "explain" them by their outcome.
ARRIVAL_METRICS = ("offered", "service_level", "abandon_rate", "answer_rate")

#: Multiple-testing adjustments: name -> (statsmodels' name of the same method, description).
P_ADJUST_METHODS = {
    "holm": ("holm", "Holm (1979) step-down adjustment, controls the family-wise error rate"),
    "bh": ("fdr_bh", "Benjamini-Hochberg (1995) adjustment, controls the false discovery rate"),
}

#: Columns of :attr:`Explanation.table`.
TABLE_COLUMNS = (
    "element",
    "side",
    "order",
    "values",
    "n_anomaly",
    "n_baseline",
    "share_anomaly",
    "share_baseline",
    "rate_anomaly",
    "rate_baseline",
    "impact",
    "mix_effect",
    "rate_effect",
    "explained_share",
    "score",
    "p_value",
    "p_adjusted",
    "significant",
    "selected",
    "gain",
    "generalises",
)

#: Columns of :func:`decompose`.
DECOMPOSE_COLUMNS = (
    "value",
    "element",
    "values",
    "n_anomaly",
    "n_baseline",
    "share_anomaly",
    "share_baseline",
    "rate_anomaly",
    "rate_baseline",
    "change",
    "impact",
    "mix_effect",
    "rate_effect",
    "explained_share",
    "p_value",
    "p_adjusted",
    "significant",
    "band_low",
    "band_high",
    "outside_band",
)

# Selection and verdict rules (see the Notes of explain_ratio).
MIN_EXPLAINED = 0.05  # an element is reported when it explains >= 5 % of the change ...
MIN_LIFT = 1.5  # ... and at least 1.5 x its share of the volume
MAX_SELECTED = 5  # elements reported per side
MATERIAL_CHANGE = 0.10  # a volume or handle-time driver changes by at least 10 %
SELECTION_POOL = 50  # best-scoring candidates per side considered by the greedy step
CONCENTRATED_ELEMENTS = 3  # "a few elements": the verdict looks at the first three
CONCENTRATED_EXPLAINED = 0.5  # ... which explain at least half of the change
CONCENTRATED_LIFT = 2.0  # ... with at most half as large a share of the volume
SIZE_FLOOR = 1e-3  # share floor in the concentration score (new elements)
OUTLIER_Z = 3.5  # Iglewicz-Hoaglin modified z-score threshold for anomalous baseline windows
MISSING = "(missing)"

_METRIC_NAMES = {
    "service_level": ("Service level", "服务水平"),
    "abandon_rate": ("Abandon rate", "放弃率"),
    "answer_rate": ("Answer rate", "接通率"),
    "transfer_rate": ("Transfer rate", "转接率"),
    "aht_s": ("AHT", "平均处理时长"),
    "asa_s": ("ASA", "平均应答速度"),
    "offered": ("Offered calls", "呼入量"),
    "csat_mean": ("CSAT", "满意度"),
}
#: Chinese dimension names: the app's own (one name table, ccmetrics.i18n).
_DIM_NAMES_ZH = {
    dim: i18n.ZH[f"dim.{dim}"]
    for dim in ("queue", "category", "segment", "team", "agent", "channel")
}
#: Sums of squares behind the mean metrics (for Welch's test).
_SQUARES = {"aht_s": "handle_s_sq_sum", "asa_s": "wait_s_sq_sum"}


#: Codes of the errors :func:`explain`, :func:`decompose` and :func:`default_baseline` raise
#: for data that cannot be explained (``error.code``; the UI translates ``dd.error_<code>``).
ERROR_CODES = (
    "no_anomaly_data",
    "no_baseline_data",
    "no_baseline_window",
    "no_metric_data",
    "no_time_column",
)


class _InputError(ValueError):
    """Data that cannot be explained; ``code`` names the problem so a caller can translate it.

    Codes: ``no_anomaly_data`` and ``no_baseline_data`` (a window holds none of the
    metric's base), ``no_baseline_window`` (no default baseline window has data),
    ``no_metric_data`` (the data has nothing to compute the metric from),
    ``no_time_column`` (a default baseline needs datetimes). ``str(error)`` stays the
    English explanation.
    """

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code


# --------------------------------------------------------------------------- result


@dataclass
class Explanation:
    """What changed between an anomaly window and its baseline, and where.

    Attributes
    ----------
    metric : str
        The metric explained (a key of :data:`METRIC_KINDS`, or the name given
        to :func:`explain_ratio`).
    kind : str
        ``"ratio"``, ``"mean"`` or ``"count"``.
    table : DataFrame
        One row per candidate element, best first (:data:`TABLE_COLUMNS`):
        ``element`` (readable, "category=GPRS & segment=Prepaid"), ``side``
        ("demand"/"supply"), ``order`` (number of dimensions), ``values``
        (dict dimension -> value, NaN for a missing value), ``n_anomaly``,
        ``n_baseline`` (the element's denominator — calls in the KPI's base —
        or its volume for a count, baseline scaled to the anomaly window's
        length), ``share_anomaly``, ``share_baseline`` (its share of that
        volume), ``rate_anomaly``, ``rate_baseline`` (its KPI value; its volume
        for a count), ``impact`` (its part of the total change, in KPI units),
        ``mix_effect`` + ``rate_effect`` = ``impact``, ``explained_share``
        (impact / total change), ``score`` (concentration score),
        ``p_value``, ``p_adjusted``, ``significant`` (p_adjusted < alpha),
        ``selected`` (part of the explanation), ``gain`` (its score given the
        elements selected before it; NaN when not selected), ``generalises``
        (for a coarser version of a selected element — fewer dimensions, same
        values, itself significant and concentrated — the selected element's
        name; "" otherwise). Selected elements come first, by gain; then their
        generalisations (the same finding described more coarsely, as a
        manager walks down the tree), by score; then the rest, by score.
    verdict : str
        ``"concentrated"`` (a few elements explain most of the change),
        ``"broad"`` (a significant change spread in proportion to volume) or
        ``"none"`` (no significant change).
    summary : dict
        ``{"en": ..., "zh": ...}``: one or two plain sentences.
    anomaly : tuple
        The anomaly window ``(start, end)``, half-open.
    baseline : list of tuple
        The baseline windows used.
    totals : dict
        ``value_anomaly``, ``value_baseline``, ``change``,
        ``relative_change``, ``n_anomaly``, ``n_baseline`` (scaled),
        ``n_baseline_raw``, ``p_value``, ``test`` of the whole population.
    p_adjust : str
        ``"holm"`` or ``"bh"``; ``p_adjust_method`` says what it is.
    test : str
        The significance test applied to each element.
    alpha : float
        Significance level.
    dims : dict
        ``{"demand": [...], "supply": [...]}``: the dimensions examined.
    kpis : DataFrame or None
        For canonical frames: every KPI in the anomaly window against the
        baseline (``kpi, anomaly, baseline, change, n_anomaly, n_baseline,
        unit``; baseline counts scaled to the anomaly window's length).
    volume, handle_time : Explanation or None
        For :data:`QUEUE_METRICS`: the explanation of ``offered`` and ``aht_s``
        over the same windows.
    drivers : list of dict
        For :data:`QUEUE_METRICS`: ``driver`` ("volume", "handle_time" or
        "supply"), ``change`` (relative), ``p_value``, ``element``,
        ``values`` and ``explained_share`` of the leading element (None when
        the change is broad).
    baseline_windows : DataFrame or None
        The candidate baseline windows and why some were left out
        (:func:`default_baseline`); None when the baseline was given.
    baseline_scale : float
        Anomaly length / total baseline length (baseline volumes are
        multiplied by it).
    concentration : dict
        Per side, the selected elements in selection order, each as
        ``{"element", "values", "explained", "size"}`` where explained and size
        are those of the union of the elements selected up to it (the verdict
        reads the third, or the last when fewer).
    notes : list of str
        Choices the data forced (dimensions left out, assumed variances).
    causes : DataFrame or None
        The root causes (:func:`ccmetrics.rootcause.localize`): the set of
        disjoint, coarsest elements that explain the change, largest share
        first, per side; columns ``element``, ``side`` and
        :data:`ccmetrics.rootcause.CAUSE_COLUMNS`. Empty when the change is
        not significant (verdict "none") or is everywhere (no element
        localises it).
    cause_ranking : DataFrame or None
        The same columns: per side the causes, then their coarser versions
        whose other children lean the same way, then the best other
        elements — what to look at next. Computed, like the table, even
        when the change is not significant.
    """

    metric: str
    kind: str
    table: pd.DataFrame
    verdict: str
    summary: dict
    anomaly: tuple
    baseline: list
    totals: dict
    p_adjust: str
    p_adjust_method: str
    test: str
    alpha: float
    dims: dict
    baseline_scale: float
    concentration: dict = field(default_factory=dict)
    kpis: pd.DataFrame | None = None
    volume: Explanation | None = None
    handle_time: Explanation | None = None
    drivers: list = field(default_factory=list)
    baseline_windows: pd.DataFrame | None = None
    notes: list = field(default_factory=list)
    causes: pd.DataFrame | None = None
    cause_ranking: pd.DataFrame | None = None

    @property
    def selected(self) -> pd.DataFrame:
        """The rows of :attr:`table` that form the explanation (selected elements)."""
        return self.table[self.table["selected"]]


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


# --------------------------------------------------------------------------- cube


@dataclass
class _Cube:
    """Leaf sums (finest dimension combination) of the anomaly and each baseline window.

    ``a[l] = (numerator, denominator, sum of squares)`` of leaf l in the anomaly
    window; ``w[j, l]`` the same in baseline window j (raw, not scaled). For a
    count metric the volume is in the denominator slot.
    """

    dims: list
    sides: dict
    codes: np.ndarray
    labels: list
    a: np.ndarray
    w: np.ndarray
    kind: str
    scale: float
    window_scale: np.ndarray

    @property
    def b(self) -> np.ndarray:
        return self.w.sum(axis=0)

    def value(self, dim_index: int, code: int):
        return np.nan if code < 0 else self.labels[dim_index][code]

    def mask(self, dim_indices: tuple, codes: tuple) -> np.ndarray:
        keep = np.ones(len(self.codes), dtype=bool)
        for dim_index, code in zip(dim_indices, codes, strict=True):
            keep &= self.codes[:, dim_index] == code
        return keep


def _make_cube(
    columns: dict,
    window: np.ndarray,
    values: np.ndarray,
    n_baseline: int,
    *,
    kind,
    scale,
    window_scale,
    sides,
) -> _Cube:
    """Sum rows into leaves × windows (window 0 = anomaly, 1..n = baseline)."""
    keep = window >= 0
    window = window[keep]
    values = np.nan_to_num(values[keep], nan=0.0)
    dims = list(columns)
    codes = np.empty((int(keep.sum()), len(dims)), dtype=np.int64)
    labels = []
    for position, dim in enumerate(dims):
        column = columns[dim]
        column = (
            column[keep] if isinstance(column, np.ndarray) else column.iloc[np.flatnonzero(keep)]
        )
        found, uniques = pd.factorize(column, use_na_sentinel=True)
        codes[:, position] = found
        labels.append(np.asarray(uniques, dtype=object))
    if len(dims) and len(codes):
        leaf = pd.DataFrame(codes).groupby(list(range(len(dims))), sort=False).ngroup().to_numpy()
    else:
        leaf = np.zeros(len(codes), dtype=np.int64)
    n_leaves = int(leaf.max()) + 1 if len(leaf) else 0
    _, first = np.unique(leaf, return_index=True)
    slots = n_baseline + 1
    key = leaf * slots + window
    sums = np.stack(
        [np.bincount(key, weights=values[:, i], minlength=n_leaves * slots) for i in range(3)],
        axis=1,
    ).reshape(n_leaves, slots, 3)
    return _Cube(
        dims=dims,
        sides=dict(sides),
        codes=codes[first] if len(dims) else np.zeros((n_leaves, 0), dtype=np.int64),
        labels=labels,
        a=sums[:, 0, :],
        w=sums[:, 1:, :].transpose(1, 0, 2),
        kind=kind,
        scale=scale,
        window_scale=np.asarray(window_scale, dtype=float),
    )


# --------------------------------------------------------------------------- effects


def _divide(numerator, denominator) -> np.ndarray:
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(
            denominator > 0, numerator / np.where(denominator > 0, denominator, 1), np.nan
        )


def _effects(a: np.ndarray, b: np.ndarray, total_a, total_b, kind: str, scale: float) -> dict:
    """Shift-share (Kitagawa) decomposition of each element against the rest.

    ``a``, ``b``: (..., 3) sums of the elements (anomaly, raw baseline);
    ``total_a``, ``total_b``: (3,) sums of the whole population.
    """
    d_a, d_b = a[..., 1], b[..., 1]
    big_a, big_b = float(total_a[1]), float(total_b[1])
    s_a = d_a / big_a if big_a > 0 else np.zeros_like(d_a)
    s_b = d_b / big_b if big_b > 0 else np.zeros_like(d_b)
    if kind == "count":
        v_a, v_b = d_a, d_b * scale
        total_v_a, total_v_b = big_a, big_b * scale
        delta = total_v_a - total_v_b
        impact = v_a - v_b
        mix = (total_v_a + total_v_b) / 2 * (s_a - s_b)
        rate = (s_a + s_b) / 2 * delta
        rate_a, rate_b = v_a, v_b
        size = s_b
        value_a, value_b = total_v_a, total_v_b
    else:
        n_a, n_b = a[..., 0], b[..., 0]
        rate_a, rate_b = _divide(n_a, d_a), _divide(n_b, d_b)
        tolerance_a, tolerance_b = 1e-9 * max(big_a, 1.0), 1e-9 * max(big_b, 1.0)
        rest_d_a = np.where(big_a - d_a > tolerance_a, big_a - d_a, 0.0)
        rest_d_b = np.where(big_b - d_b > tolerance_b, big_b - d_b, 0.0)
        rest_a = _divide(total_a[0] - n_a, rest_d_a)
        rest_b = _divide(total_b[0] - n_b, rest_d_b)
        # An element (or the rest) absent from one window keeps its other rate:
        # its whole effect is then a mix effect.
        rate_a_f = np.where(np.isnan(rate_a), rate_b, rate_a)
        rate_b_f = np.where(np.isnan(rate_b), rate_a, rate_b)
        rest_a_f = np.nan_to_num(np.where(np.isnan(rest_a), rest_b, rest_a))
        rest_b_f = np.nan_to_num(np.where(np.isnan(rest_b), rest_a, rest_b))
        rate_a_f, rate_b_f = np.nan_to_num(rate_a_f), np.nan_to_num(rate_b_f)
        value_a = total_a[0] / big_a if big_a > 0 else np.nan
        value_b = total_b[0] / big_b if big_b > 0 else np.nan
        delta = value_a - value_b
        mix = (s_a - s_b) * ((rate_a_f + rate_b_f) / 2 - (rest_a_f + rest_b_f) / 2)
        rate = (s_a + s_b) / 2 * (rate_a_f - rate_b_f)
        impact = mix + rate
        size = (s_a + s_b) / 2
    with np.errstate(divide="ignore", invalid="ignore"):
        explained = (
            impact / delta if delta != 0 and np.isfinite(delta) else np.full_like(impact, np.nan)
        )
    return {
        "n_anomaly": d_a,
        "n_baseline": d_b * scale,
        "share_anomaly": s_a,
        "share_baseline": s_b,
        "rate_anomaly": rate_a,
        "rate_baseline": rate_b,
        "impact": impact,
        "mix_effect": mix,
        "rate_effect": rate,
        "explained_share": explained,
        "size": size,
        "delta": delta,
        "value_anomaly": value_a,
        "value_baseline": value_b,
    }


def _score(explained, size) -> np.ndarray:
    """Concentration score ``e · ln(e / s)`` where e > s (0 otherwise)."""
    explained = np.asarray(explained, dtype=float)
    size = np.maximum(np.asarray(size, dtype=float), SIZE_FLOOR)
    good = np.isfinite(explained) & (explained > size)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(good, explained * np.log(np.where(good, explained / size, 1.0)), 0.0)


# --------------------------------------------------------------------------- tests


def _chi_square_2x3(a: np.ndarray, b: np.ndarray, total_a, total_b) -> np.ndarray:
    """p of the chi-square homogeneity test of (successes, failures, rest) between windows."""
    observed = np.stack(
        [
            np.stack([a[:, 0], a[:, 1] - a[:, 0], total_a[1] - a[:, 1]], axis=1),
            np.stack([b[:, 0], b[:, 1] - b[:, 0], total_b[1] - b[:, 1]], axis=1),
        ],
        axis=1,
    )
    observed = np.clip(observed, 0.0, None)
    observed = np.where(observed < 1e-9, 0.0, observed)
    rows = observed.sum(axis=2)
    cols = observed.sum(axis=1)
    total = rows.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = rows[:, :, None] * cols[:, None, :] / total[:, None, None]
        cells = np.where(expected > 0, (observed - expected) ** 2 / expected, 0.0)
    statistic = cells.sum(axis=(1, 2))
    dof = (cols > 0).sum(axis=1) - 1
    both_windows = (rows > 0).all(axis=1)
    p = np.where((dof > 0) & both_windows, stats.chi2.sf(statistic, np.maximum(dof, 1)), 1.0)
    return p


def _welch(count_a, sum_a, sq_a, count_b, sum_b, sq_b, extra_variance=0.0):
    """Welch's t test of two means from n, Σx, Σx² (extra variance added to the difference)."""
    count_a, count_b = np.asarray(count_a, float), np.asarray(count_b, float)
    mean_a, mean_b = _divide(sum_a, count_a), _divide(sum_b, count_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        var_a = np.clip((sq_a - count_a * mean_a**2) / (count_a - 1), 0.0, None)
        var_b = np.clip((sq_b - count_b * mean_b**2) / (count_b - 1), 0.0, None)
        part_a, part_b = var_a / count_a, var_b / count_b
        se2 = part_a + part_b + extra_variance
        t = (mean_a - mean_b) / np.sqrt(se2)
        dof = (part_a + part_b) ** 2 / (part_a**2 / (count_a - 1) + part_b**2 / (count_b - 1))
    valid = (count_a >= 2) & (count_b >= 2) & (se2 > 0) & np.isfinite(t)
    dof = np.where(np.isfinite(dof) & (dof > 0), dof, 1e6)
    return np.where(valid, 2 * stats.t.sf(np.abs(np.where(valid, t, 0.0)), dof), 1.0)


def _two_proportion(x_a, n_a, x_b, n_b) -> np.ndarray:
    """Two-sided p of the pooled two-proportion z test."""
    pooled = _divide(np.asarray(x_a) + x_b, np.asarray(n_a) + n_b)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(
            pooled * (1 - pooled) * (1 / np.asarray(n_a, float) + 1 / np.asarray(n_b, float))
        )
        z = (_divide(x_a, n_a) - _divide(x_b, n_b)) / se
    valid = np.isfinite(z) & (se > 0)
    return np.where(valid, 2 * stats.norm.sf(np.abs(np.where(valid, z, 0.0))), 1.0)


def _count_dispersion(cube: _Cube) -> float:
    """c² of the variance λ + c²λ² of a window's volume, from the baseline windows."""
    if cube.w.shape[0] < 2:
        return 0.0
    volumes = cube.w[:, :, 1].sum(axis=1) * cube.window_scale
    mean = volumes.mean()
    if mean <= 0:
        return 0.0
    return max(0.0, (volumes.var(ddof=1) - mean * cube.window_scale.mean()) / mean**2)


def _quasi_poisson(count_a, count_b_raw, scale: float, c2: float) -> np.ndarray:
    """Two-sided p of the volume change: z = (a − b·scale) / sqrt(λ(1 + scale)(1 + c²λ))."""
    count_a = np.asarray(count_a, float)
    count_b_raw = np.asarray(count_b_raw, float)
    rate = (count_a + count_b_raw) / (1 + 1 / scale)
    variance = rate * (1 + scale) * (1 + c2 * rate)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (count_a - count_b_raw * scale) / np.sqrt(variance)
    valid = variance > 0
    return np.where(valid, 2 * stats.norm.sf(np.abs(np.where(valid, z, 0.0))), 1.0)


def _between_window_variance(w: np.ndarray, kind: str) -> np.ndarray:
    """τ²: variance of the per-window value beyond sampling noise (method of moments).

    ``w``: (W, ..., 3) per-window sums. Returns (...) ≥ 0; 0 with fewer than 2 windows.
    """
    n_windows = w.shape[0]
    if n_windows < 2 or kind == "count":
        return np.zeros(w.shape[1:-1])
    values = _divide(w[..., 0], w[..., 1])
    counts = w[..., 1]
    present = np.isfinite(values)
    k = present.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(present, values, 0).sum(axis=0) / np.maximum(k, 1)
        between = np.where(present, (values - mean) ** 2, 0).sum(axis=0) / np.maximum(k - 1, 1)
        if kind == "ratio":
            within_each = mean * (1 - mean) / counts
        else:
            total_count = counts.sum(axis=0)
            total_sum = w[..., 0].sum(axis=0)
            pooled = (w[..., 2].sum(axis=0) - total_sum**2 / total_count) / (total_count - 1)
            within_each = pooled / counts
        within = np.where(present, within_each, 0).sum(axis=0) / np.maximum(k, 1)
    tau2 = np.where(k >= 2, np.clip(between - within, 0.0, None), 0.0)
    return np.nan_to_num(tau2)


def _element_p(kind: str, a, b, total_a, total_b, scale: float, c2: float) -> np.ndarray:
    if kind == "ratio":
        return _chi_square_2x3(a, b, total_a, total_b)
    if kind == "mean":
        p_mean = _welch(a[:, 1], a[:, 0], a[:, 2], b[:, 1], b[:, 0], b[:, 2])
        p_share = _two_proportion(a[:, 1], total_a[1], b[:, 1], total_b[1])
        return np.minimum(1.0, 2 * np.minimum(p_mean, p_share))
    return _quasi_poisson(a[:, 1], b[:, 1], scale, c2)


_TESTS = {
    "ratio": (
        "chi-square test of homogeneity of the element's (successes, failures) and the rest "
        "between the anomaly and the baseline (2 × 3 table, 2 df)"
    ),
    "mean": (
        "Welch's t test of the element's mean and two-proportion z test of its share, "
        "Bonferroni-combined (p = 2 × the smaller)"
    ),
    "count": (
        "quasi-Poisson z test of the element's volume against its baseline rate "
        "(variance λ + c²λ², c² from the spread of the baseline windows' volumes)"
    ),
}
_TOTAL_TESTS = {
    "ratio": "two-proportion z test widened by the between-window variance of the baseline",
    "mean": "Welch's t test widened by the between-window variance of the baseline",
    "count": "quasi-Poisson z test (variance λ + c²λ², c² from the baseline windows)",
}


def _total_p(cube: _Cube, total_a, total_b, c2: float) -> float:
    n_windows = cube.w.shape[0]
    per_window = cube.w.sum(axis=1)  # (W, 3)
    if cube.kind == "count":
        return float(_quasi_poisson(total_a[1], total_b[1], cube.scale, c2))
    tau2 = float(_between_window_variance(per_window, cube.kind)) * (1 + 1 / n_windows)
    if cube.kind == "ratio":
        pooled = (total_a[0] + total_b[0]) / (total_a[1] + total_b[1])
        variance = pooled * (1 - pooled) * (1 / total_a[1] + 1 / total_b[1]) + tau2
        delta = total_a[0] / total_a[1] - total_b[0] / total_b[1]
        if not variance > 0:
            return 1.0 if delta == 0 else 0.0
        return float(2 * stats.norm.sf(abs(delta) / math.sqrt(variance)))
    return float(
        _welch(total_a[1], total_a[0], total_a[2], total_b[1], total_b[0], total_b[2], tau2)
    )


def _p_adjust_name(p_adjust: str) -> str:
    key = {"fdr_bh": "bh", "benjamini-hochberg": "bh"}.get(p_adjust, p_adjust)
    if key not in P_ADJUST_METHODS:
        raise ValueError(f"p_adjust must be one of {sorted(P_ADJUST_METHODS)}, not {p_adjust!r}")
    return key


# --------------------------------------------------------------------------- candidates


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


@dataclass
class _Candidates:
    side: list
    dim_sets: list
    codes: list
    a: np.ndarray
    b: np.ndarray
    w: np.ndarray


def _candidates(cube: _Cube, max_order: int, min_share: float, min_count: float) -> _Candidates:
    """Every element (dimension value combination within one side) with enough support."""
    total_a, total_b = cube.a.sum(axis=0), cube.b.sum(axis=0)
    sides, dim_sets, codes, a_parts, w_parts = [], [], [], [], []
    n_windows = cube.w.shape[0]
    for side in dict.fromkeys(cube.sides[d] for d in cube.dims):
        indices = [i for i, d in enumerate(cube.dims) if cube.sides[d] == side]
        for order in range(1, min(max_order, len(indices)) + 1):
            for dim_set in combinations(indices, order):
                keys = cube.codes[:, list(dim_set)]
                group = (
                    pd.DataFrame(keys).groupby(list(range(order)), sort=False).ngroup().to_numpy()
                )
                n_groups = int(group.max()) + 1 if len(group) else 0
                _, first = np.unique(group, return_index=True)
                a = np.stack([np.bincount(group, cube.a[:, i], n_groups) for i in range(3)], axis=1)
                w = (
                    np.stack(
                        [
                            np.stack(
                                [np.bincount(group, cube.w[j, :, i], n_groups) for i in range(3)],
                                axis=1,
                            )
                            for j in range(n_windows)
                        ]
                    )
                    if n_windows
                    else np.zeros((0, n_groups, 3))
                )
                b = w.sum(axis=0)
                share_a = a[:, 1] / total_a[1] if total_a[1] > 0 else np.zeros(n_groups)
                share_b = b[:, 1] / total_b[1] if total_b[1] > 0 else np.zeros(n_groups)
                support = (np.maximum(share_a, share_b) >= min_share) & (
                    a[:, 1] + b[:, 1] * cube.scale >= min_count
                )
                keep = np.flatnonzero(support)
                for index in keep:
                    sides.append(side)
                    dim_sets.append(dim_set)
                    codes.append(tuple(keys[first[index]]))
                a_parts.append(a[keep])
                w_parts.append(w[:, keep])
    if a_parts:
        a_all = np.concatenate(a_parts)
        w_all = np.concatenate(w_parts, axis=1)
    else:
        a_all, w_all = np.zeros((0, 3)), np.zeros((n_windows, 0, 3))
    return _Candidates(sides, dim_sets, codes, a_all, w_all.sum(axis=0), w_all)


def _select(cube: _Cube, cand: _Candidates, eligible: np.ndarray, score: np.ndarray):
    """Greedy selection per side: best gain given the elements already taken.

    Returns ``{candidate index: (step, gain)}`` and, per side, the list of
    ``(candidate index, explained, size)`` in selection order, where explained
    and size are those of the union of the elements selected so far.
    """
    total_a, total_b = cube.a.sum(axis=0), cube.b.sum(axis=0)
    chosen: dict[int, tuple[int, float]] = {}
    steps: dict[str, list] = {}
    sides = np.asarray(cand.side, dtype=object)
    for side in dict.fromkeys(cand.side):
        pool = np.flatnonzero((sides == side) & eligible)
        pool = pool[np.argsort(-score[pool], kind="stable")][:SELECTION_POOL]
        if not len(pool):
            continue
        masks = np.stack([cube.mask(cand.dim_sets[i], cand.codes[i]) for i in pool])
        union = np.zeros(len(cube.codes), dtype=bool)
        base_explained, base_size = 0.0, 0.0
        taken = np.zeros(len(pool), dtype=bool)
        for step in range(MAX_SELECTED):
            merged = (masks | union).astype(float)
            effects = _effects(
                merged @ cube.a, merged @ cube.b, total_a, total_b, cube.kind, cube.scale
            )
            more = effects["explained_share"] - base_explained
            bigger = effects["size"] - base_size
            ok = (~taken) & (more >= MIN_EXPLAINED) & (more >= MIN_LIFT * np.maximum(bigger, 0.0))
            gain = np.where(ok, _score(more, bigger), -np.inf)
            best = int(np.argmax(gain))
            if not np.isfinite(gain[best]):
                break
            chosen[int(pool[best])] = (step, float(gain[best]))
            taken[best] = True
            union |= masks[best]
            base_explained = float(effects["explained_share"][best])
            base_size = float(effects["size"][best])
            steps.setdefault(side, []).append((int(pool[best]), base_explained, base_size))
    return chosen, steps


def _generalisations(cand: _Candidates, chosen: dict, values: list, effects: dict, significant):
    """For each candidate, the selected element it is a coarser version of ("" if none).

    A generalisation drops one or more dimensions of a selected element (same
    side), is significant, explains at least :data:`MIN_EXPLAINED` of the
    change and at least :data:`CONCENTRATED_LIFT` × its share of the volume.
    """
    out = np.full(len(cand.side), "", dtype=object)
    explained = np.nan_to_num(effects["explained_share"], nan=0.0)
    size = np.maximum(effects["size"], SIZE_FLOOR)
    concentrated = (
        significant & (explained >= MIN_EXPLAINED) & (explained >= CONCENTRATED_LIFT * size)
    )
    for index, _ in sorted(chosen.items(), key=lambda item: item[1][0]):
        target = values[index]
        for other in np.flatnonzero(concentrated & (out == "")):
            if other in chosen or cand.side[other] != cand.side[index]:
                continue
            mine = values[other]
            if len(mine) < len(target) and all(
                dim in target and _same(target[dim], value) for dim, value in mine.items()
            ):
                out[other] = element_label(target)
    return out


def _same(left, right) -> bool:
    if isinstance(left, float) and isinstance(right, float) and np.isnan(left) and np.isnan(right):
        return True
    return left == right


# --------------------------------------------------------------------------- the engine


def _analyse(
    cube: _Cube,
    *,
    anomaly,
    baseline,
    metric: str,
    max_order: int,
    p_adjust: str,
    alpha: float,
    min_share: float,
    min_count: float,
) -> Explanation:
    """Candidates, decomposition, tests, selection and verdict of a cube."""
    p_adjust = _p_adjust_name(p_adjust)
    total_a, total_b = cube.a.sum(axis=0), cube.b.sum(axis=0)
    if total_a[1] <= 0:
        raise _InputError("the anomaly window has no data for this metric", "no_anomaly_data")
    if total_b[1] <= 0:
        raise _InputError("the baseline windows have no data for this metric", "no_baseline_data")
    c2 = _count_dispersion(cube) if cube.kind == "count" else 0.0
    overall = _effects(total_a[None, :], total_b[None, :], total_a, total_b, cube.kind, cube.scale)
    p_total = _total_p(cube, total_a, total_b, c2)
    cand = _candidates(cube, max_order, min_share, min_count)
    effects = _effects(cand.a, cand.b, total_a, total_b, cube.kind, cube.scale)
    score = _score(effects["explained_share"], effects["size"])
    p_values = _element_p(cube.kind, cand.a, cand.b, total_a, total_b, cube.scale, c2)
    p_adjusted = multitest.adjust(p_values, p_adjust)
    significant = p_adjusted < alpha
    delta = float(overall["delta"])
    changed = p_total < alpha and delta != 0 and np.isfinite(delta)
    if changed:
        chosen, steps = _select(cube, cand, significant, score)
    else:
        chosen, steps = {}, {}
    gain = np.full(len(cand.side), np.nan)
    selected = np.zeros(len(cand.side), dtype=bool)
    for index, (_, value) in chosen.items():
        gain[index] = value
        selected[index] = True
    values = [
        {cube.dims[d]: cube.value(d, c) for d, c in zip(dims, codes, strict=True)}
        for dims, codes in zip(cand.dim_sets, cand.codes, strict=True)
    ]
    table = pd.DataFrame(
        {
            "element": [element_label(v) for v in values],
            "side": pd.Series(cand.side, dtype=object),
            "order": [len(d) for d in cand.dim_sets],
            "values": values,
            **{
                name: effects[name]
                for name in (
                    "n_anomaly",
                    "n_baseline",
                    "share_anomaly",
                    "share_baseline",
                    "rate_anomaly",
                    "rate_baseline",
                    "impact",
                    "mix_effect",
                    "rate_effect",
                    "explained_share",
                )
            },
            "score": score,
            "p_value": p_values,
            "p_adjusted": p_adjusted,
            "significant": significant,
            "selected": selected,
            "gain": gain,
        },
        columns=list(TABLE_COLUMNS),
    )
    generalises = _generalisations(cand, chosen, values, effects, significant)
    table["generalises"] = generalises
    group = np.where(selected, 0, np.where(generalises != "", 1, 2))
    key = np.where(selected, -np.nan_to_num(gain, nan=0.0), -score)
    order = np.lexsort((-np.abs(table["impact"].to_numpy()), key, group))
    table = table.iloc[order].reset_index(drop=True)

    concentration = {
        side: [
            {"element": element_label(values[i]), "values": values[i], "explained": e, "size": z}
            for i, e, z in taken
        ]
        for side, taken in steps.items()
    }
    concentrated = any(_is_concentrated(taken) for taken in concentration.values())
    verdict = "none" if not changed else ("concentrated" if concentrated else "broad")
    value_a, value_b = float(overall["value_anomaly"]), float(overall["value_baseline"])
    totals = {
        "value_anomaly": value_a,
        "value_baseline": value_b,
        "change": delta,
        "relative_change": delta / value_b if value_b else np.nan,
        "n_anomaly": float(total_a[1]),
        "n_baseline": float(total_b[1] * cube.scale),
        "n_baseline_raw": float(total_b[1]),
        "p_value": p_total,
        "test": _TOTAL_TESTS[cube.kind],
    }
    if cube.kind == "count":
        totals["dispersion_c2"] = c2
    sides: dict[str, list] = {}
    for dim in cube.dims:
        sides.setdefault(cube.sides[dim], []).append(dim)
    explanation = Explanation(
        metric=metric,
        kind=cube.kind,
        table=table,
        verdict=verdict,
        summary={},
        anomaly=anomaly,
        baseline=list(baseline),
        totals=totals,
        p_adjust=p_adjust,
        p_adjust_method=P_ADJUST_METHODS[p_adjust][1],
        test=_TESTS[cube.kind],
        alpha=alpha,
        dims=sides,
        baseline_scale=cube.scale,
        concentration=concentration,
    )
    causes, ranking = _causes(cube, max_order)
    if not changed:
        # No significant change: no cause (the verdict says "none"); the ranking stays, as the
        # table does, with no row marked a cause.
        causes = causes.iloc[:0]
        ranking["cause"] = False
    explanation.causes, explanation.cause_ranking = causes, ranking
    return explanation


def _causes(cube: _Cube | None, max_order: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Root causes and ranking per side (:func:`ccmetrics.rootcause.localize`); empty for None."""
    columns = ["element", "side", *rootcause.CAUSE_COLUMNS]
    if cube is None or not len(cube.codes):
        return pd.DataFrame(columns=columns), pd.DataFrame(columns=columns)
    windows = cube.w.shape[0]
    expected = cube.b * cube.scale
    leaves = pd.DataFrame(
        {dim: [cube.value(d, c) for c in cube.codes[:, d]] for d, dim in enumerate(cube.dims)}
    )
    if cube.kind == "count":
        arrays = {"actual": cube.a[:, 1], "expected": expected[:, 1], "counts": True}
    else:
        arrays = {
            "actual": cube.a[:, 0],
            "expected": expected[:, 0],
            "kind": cube.kind,
            "actual_denominator": cube.a[:, 1],
            "expected_denominator": expected[:, 1],
            "counts": cube.kind == "ratio",
        }
        if cube.kind == "mean":
            # per-call variance of each leaf from the baseline's Σx, Σx², n (pooled where n < 2)
            n, total, squares = cube.b[:, 1], cube.b[:, 0], cube.b[:, 2]
            with np.errstate(divide="ignore", invalid="ignore"):
                variance = (squares - total**2 / n) / (n - 1)
                pooled = (squares.sum() - total.sum() ** 2 / n.sum()) / (n.sum() - 1)
            arrays["unit_variance"] = np.where(n >= 2, np.clip(variance, 0.0, None), pooled)
    # Week-to-week variation from the baseline windows (each scaled to the anomaly's length).
    per_window = cube.w * cube.window_scale[:, None, None]
    if cube.kind == "count":
        c2 = rootcause.window_dispersion(per_window[:, :, 1])
    else:
        c2 = rootcause.window_dispersion(
            per_window[:, :, 0],
            per_window[:, :, 1],
            kind=cube.kind,
            unit_variance=arrays.get("unit_variance"),
        )
    causes, rankings = [], []
    for side in dict.fromkeys(cube.sides[d] for d in cube.dims):
        dims = [d for d in cube.dims if cube.sides[d] == side]
        found = rootcause.localize(
            leaves,
            dims,
            **arrays,
            forecast_windows=windows or None,
            max_order=max_order,
            dispersion=c2 if windows >= 2 else None,
        )
        for table, out in ((found.causes, causes), (found.ranking, rankings)):
            # column by column: DataFrame.to_dict("records") is slow on the interactive path
            names = list(table.columns)
            out.append(
                [
                    {"element": element_label(row["values"]), "side": side, **row}
                    for row in (
                        dict(zip(names, values, strict=True))
                        for values in zip(*(table[n].tolist() for n in names), strict=True)
                    )
                ]
            )
    # Causes of both sides by share; the ranking side by side, the side of the largest
    # cause first (each side's own order kept).
    cause_rows = sorted((row for part in causes for row in part), key=lambda row: -row["share"])
    if cause_rows:
        rankings.sort(
            key=lambda part: 0 if part and part[0]["side"] == cause_rows[0]["side"] else 1
        )
    ranking_rows = [row for part in rankings for row in part]

    def frame(rows: list) -> pd.DataFrame:
        return pd.DataFrame(
            [{**row, "rank": rank} for rank, row in enumerate(rows, start=1)], columns=columns
        )

    return frame(cause_rows), frame(ranking_rows)


def _is_concentrated(taken: list) -> bool:
    """Do the first :data:`CONCENTRATED_ELEMENTS` selected elements of a side concentrate?"""
    if not taken:
        return False
    union = taken[min(CONCENTRATED_ELEMENTS, len(taken)) - 1]
    return (
        union["explained"] >= CONCENTRATED_EXPLAINED
        and union["size"] <= union["explained"] / CONCENTRATED_LIFT
    )


# --------------------------------------------------------------------------- summaries


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _signed_percent(value: float) -> str:
    if not np.isfinite(value):
        return "–"
    return f"{value * 100:+.0f}%"


def _leading(explanation: Explanation, prefer: str = "demand", most: int = 2) -> list[dict]:
    """The first selected elements of the side to name, each with the union's explained/size.

    The side: the preferred one when it is concentrated, else a concentrated
    side, else the side of the best selected element.
    """
    concentration = explanation.concentration
    if not concentration:
        return []
    sides = [side for side, taken in concentration.items() if _is_concentrated(taken)]
    if prefer in sides:
        side = prefer
    elif sides:
        side = sides[0]
    else:
        first = explanation.table[explanation.table["selected"]]
        side = first["side"].iloc[0] if len(first) else next(iter(concentration))
    return concentration[side][:most]


def _summarise(
    explanation: Explanation,
    name_en: str,
    name_zh: str,
    formatter,
    dims_en: str,
    dims_zh: str,
    formatter_zh=None,
) -> dict:
    totals = explanation.totals
    formatter_zh = formatter_zh or formatter
    value_a, value_b = formatter(totals["value_anomaly"]), formatter(totals["value_baseline"])
    value_a_zh = formatter_zh(totals["value_anomaly"])
    value_b_zh = formatter_zh(totals["value_baseline"])
    head_en = f"{name_en} {value_a} vs {value_b} baseline"
    head_zh = f"{name_zh} {value_a_zh}，基线 {value_b_zh}"
    if explanation.kind == "count":
        change = _signed_percent(totals["relative_change"])
        head_en += f" ({change})"
        head_zh += f"（{change}）"
    if explanation.verdict == "none":
        p = totals["p_value"]
        return {
            "en": f"{head_en}: within normal variation (p = {p:.2g}); nothing stands out.",
            "zh": f"{head_zh}：在正常波动范围内（p = {p:.2g}），没有需要解释的变化。",
        }
    if explanation.verdict == "broad":
        return {
            "en": (
                f"{head_en}: a broad change across {dims_en}; no few elements explain most of it."
            ),
            "zh": f"{head_zh}：变化广泛分布于各{dims_zh}，没有少数元素能解释其大部分。",
        }
    lead = _leading(explanation)
    names_en = " and ".join(item["element"] for item in lead)
    names_zh = "、".join(element_label(item["values"], language="zh") for item in lead)
    explained, size = lead[-1]["explained"], lead[-1]["size"]
    if explanation.kind == "count":
        more = totals["change"] >= 0
        extra_en, extra_zh = ("extra", "新增") if more else ("missing", "减少的")
        if explained > 1.005:
            # the leading elements changed by more than the net change: the rest moved the
            # other way, so "103% of the extra calls" would read as an error
            return {
                "en": (
                    f"{head_en}; all of the {extra_en} calls were {names_en} calls "
                    f"({_percent(explained)} of the net change; the other calls moved the other way)."
                ),
                "zh": (
                    f"{head_zh}；{extra_zh}来电全部是 {names_zh} 的来电"
                    f"（占净变化的 {_percent(explained)}，其余来电反向变化）。"
                ),
            }
        return {
            "en": f"{head_en}; {_percent(explained)} of the {extra_en} calls were {names_en} calls.",
            "zh": f"{head_zh}；{extra_zh}来电中 {_percent(explained)} 是 {names_zh} 的来电。",
        }
    return {
        "en": (
            f"{head_en}; {_percent(explained)} of the change comes from {names_en} "
            f"({_percent(size)} of the volume)."
        ),
        "zh": f"{head_zh}；变化的 {_percent(explained)} 来自 {names_zh}（占总量的 {_percent(size)}）。",
    }


def _generic_formatter(value: float) -> str:
    if not np.isfinite(value):
        return "–"
    return f"{value:.4g}"


# --------------------------------------------------------------------------- explain_ratio


def explain_ratio(
    cube: pd.DataFrame,
    anomaly,
    baseline,
    *,
    time: str,
    dims,
    numerator: str,
    denominator: str | None,
    max_order: int = 3,
    numerator_sq: str | None = None,
    kind: str | None = None,
    supply_dims=(),
    p_adjust: str = "holm",
    alpha: float = 0.05,
    min_share: float = 0.01,
    min_count: float = 10,
    name: str | None = None,
) -> Explanation:
    """Explain the change of a ratio (or a volume) of additive columns between two windows.

    Parameters
    ----------
    cube : DataFrame
        Any additive table: dimension columns, a time column, a numerator and a
        denominator per row (e.g. stalled viewers and viewers per minute × CDN).
    anomaly : (start, end)
        The anomaly window, half-open ``[start, end)``; timestamps or numbers
        comparable with ``time``.
    baseline : (start, end), list of (start, end), or None
        Baseline window(s). Volumes are scaled to the anomaly window's length
        (× anomaly length / total baseline length). None: the same weekday and
        time window of the previous four ordinary weeks (datetime ``time``
        only; see :func:`default_baseline`).
    time : str
        The time column.
    dims : list of str
        Dimension columns.
    numerator, denominator : str
        Columns of the ratio ``Σ numerator / Σ denominator``. With
        ``denominator=None`` the metric is the volume ``Σ numerator``.
    max_order : int, default 3
        Largest number of dimensions combined in one element.
    numerator_sq : str, optional
        Column of Σx² when the metric is a mean (numerator = Σx, denominator =
        n); enables Welch's test.
    kind : {"ratio", "mean", "count"}, optional
        Default: "count" without a denominator, "mean" with ``numerator_sq``,
        "ratio" otherwise (which needs 0 ≤ numerator ≤ denominator).
    supply_dims : list of str
        Dimensions on the supply side (kept apart from the others, which are
        "demand").
    p_adjust : {"holm", "bh"}, default "holm"
        Multiple-testing adjustment over every candidate element: Holm's
        step-down (family-wise error) or Benjamini-Hochberg (false discovery
        rate). Named explicitly because statsmodels' ``multipletests``
        defaults to Holm-Šidák.
    alpha : float, default 0.05
    min_share : float, default 0.01
        Minimum support: an element holds at least this share of the volume in
        the anomaly or the baseline ...
    min_count : float, default 10
        ... and at least this volume (anomaly + scaled baseline).
    name : str, optional
        Name of the metric in the summary.

    Returns
    -------
    Explanation
        ``table`` (:data:`TABLE_COLUMNS`, best first), ``verdict``, ``summary``
        and the window totals; see :class:`Explanation`.

    Notes
    -----
    **Decomposition.** For an element e against the rest c of the population,
    with shares s (of the denominator) and rates r in the anomaly (a) and the
    baseline (b) and bars for the mean of the two windows, the total change
    splits exactly (Kitagawa 1955):

    ``R_a − R_b = Δs_e (r̄_e − r̄_c) + s̄_e Δr_e + s̄_c Δr_c``.

    ``mix_effect = Δs_e (r̄_e − r̄_c)`` (more of its calls, at a rate unlike
    the rest), ``rate_effect = s̄_e Δr_e`` (its own rate changed), ``impact``
    is their sum — the change that disappears when the element returns to its
    baseline share and rate, averaged over the two orders of replacement —
    and ``explained_share = impact / (R_a − R_b)``. An element absent from one
    window keeps its rate from the other (all its effect is mix). For a count
    (V volume, v = V s the element's volume, baseline scaled to the anomaly's
    length): ``impact = v_a − v_b = V̄ Δs + s̄ ΔV`` with ``mix_effect = V̄ Δs``
    (the shift towards the element) and ``rate_effect = s̄ ΔV`` (its part of
    the common growth).

    **Ranking.** With e the explained share and s the element's size (s̄ of
    the denominator; the baseline share for a count — the share of the change
    it would carry if the change were spread in proportion to volume), the
    concentration score is ``e · ln(e / s)`` for e > s, else 0: the element's
    term of the relative entropy between where the change is and where the
    volume is. It is 0 for every element of a proportional (broad) change, so a
    segment holding 85 % of the calls that "explains 85 %" scores nothing.
    Elements are then taken greedily per side: each step adds the element
    whose union with those already taken gains most, scored on the increments
    ``Δe · ln(Δe / Δs)``; it must be significant, add ≥ 5 % of the change and
    ≥ 1.5 × the volume it adds (a sub- or super-set of a taken element adds
    nothing and is skipped); at most 5 per side.

    **Verdict.** "none" when the total change is not significant at
    ``alpha``; "concentrated" when, on one side, the union of the first three
    selected elements explains ≥ 50 % of the change with at most half that
    share of the volume; "broad" otherwise.

    **Tests.** Ratio: chi-square homogeneity test of the element's successes,
    failures and the rest between the windows (joint test of its share and
    rate). Mean: Welch's t test of its mean and the two-proportion z test of
    its share, Bonferroni-combined. Count: quasi-Poisson z test of its volume
    (variance λ + c²λ², the day-to-day factor c² estimated from the baseline
    windows' volumes by moments). The total is tested the same way, widened
    by the between-window variance of the baseline windows (method of
    moments), so ordinary week-to-week variation is not called a change.
    Baseline counts enter the tests unscaled.

    References
    ----------
    Kitagawa, E. M. (1955). Components of a difference between two rates.
    JASA 50(272), 1168-1194.
    Bhagwan, R. et al. (2014). Adtributor: revenue debugging in advertising
    systems. NSDI '14 (explanatory power and surprise).
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    Scand. J. Statist. 6, 65-70. Benjamini, Y. and Hochberg, Y. (1995).
    JRSS B 57, 289-300.

    Examples
    --------
    Queue A's rate falls from 0.8 to 0.4, B and C stay at 0.8: the total
    falls by 0.4 / 3 and A explains all of it.

    >>> cube = pd.DataFrame({"t": [0, 0, 0, 1, 1, 1], "queue": list("ABCABC"),
    ...     "good": [80, 80, 80, 40, 80, 80], "calls": [100] * 6})
    >>> e = explain_ratio(cube, (1, 2), (0, 1), time="t", dims=["queue"],
    ...     numerator="good", denominator="calls")
    >>> e.verdict, e.table.loc[0, "element"], round(float(e.table.loc[0, "impact"]), 4)
    ('concentrated', 'queue=A', -0.1333)
    """
    anomaly = _window(anomaly)
    dims = list(dims)
    if kind is None:
        kind = "count" if denominator is None else ("mean" if numerator_sq else "ratio")
    if kind not in ("ratio", "mean", "count"):
        raise ValueError(f"kind must be 'ratio', 'mean' or 'count', not {kind!r}")
    missing = [
        c
        for c in [time, numerator, denominator, numerator_sq, *dims]
        if c and c not in cube.columns
    ]
    if missing:
        raise ValueError(f"the cube has no column {missing}")
    numbers = np.zeros((len(cube), 3))
    numbers[:, 0] = pd.to_numeric(cube[numerator], errors="coerce").to_numpy(float, na_value=np.nan)
    if kind == "count":
        numbers[:, 1] = numbers[:, 0]
    else:
        numbers[:, 1] = pd.to_numeric(cube[denominator], errors="coerce").to_numpy(
            float, na_value=np.nan
        )
    if numerator_sq:
        numbers[:, 2] = pd.to_numeric(cube[numerator_sq], errors="coerce").to_numpy(
            float, na_value=np.nan
        )
    numbers = np.nan_to_num(numbers, nan=0.0)
    if kind == "ratio" and (
        (numbers[:, 0] < -1e-9).any() or (numbers[:, 0] > numbers[:, 1] + 1e-9).any()
    ):
        raise ValueError(
            "kind='ratio' needs 0 <= numerator <= denominator on every row; for a ratio of "
            "sums use kind='mean' with numerator_sq"
        )
    notes: list[str] = []
    times = cube[time]
    windows_table = None
    if baseline is None:
        windows_table = _baseline_table(
            times, numbers, kind, anomaly, 4, 8, None, _span(times, anomaly)
        )
        baseline = _used_windows(windows_table)
    baseline = _windows(baseline)
    explanation = _explain_numbers(
        times,
        {d: cube[d] for d in dims},
        numbers,
        anomaly,
        baseline,
        kind=kind,
        sides={d: ("supply" if d in set(supply_dims) else "demand") for d in dims},
        metric=name or (numerator if denominator is None else f"{numerator}/{denominator}"),
        max_order=max_order,
        p_adjust=p_adjust,
        alpha=alpha,
        min_share=min_share,
        min_count=min_count,
    )
    explanation.baseline_windows = windows_table
    explanation.notes = notes
    label = name or (numerator if denominator is None else f"{numerator} / {denominator}")
    explanation.summary = _summarise(
        explanation, label, label, _generic_formatter, "the dimensions", "维度"
    )
    return explanation


def _explain_numbers(
    times,
    columns,
    numbers,
    anomaly,
    baseline,
    *,
    kind,
    sides,
    metric,
    max_order,
    p_adjust,
    alpha,
    min_share,
    min_count,
    ids=None,
) -> Explanation:
    if ids is None:
        ids = _window_ids(times, [anomaly, *baseline])
    length_a = _length(anomaly)
    lengths = np.array([_length(w) for w in baseline])
    cube = _make_cube(
        columns,
        ids,
        numbers,
        len(baseline),
        kind=kind,
        scale=length_a / lengths.sum(),
        window_scale=length_a / lengths,
        sides=sides,
    )
    return _analyse(
        cube,
        anomaly=anomaly,
        baseline=baseline,
        metric=metric,
        max_order=max_order,
        p_adjust=p_adjust,
        alpha=alpha,
        min_share=min_share,
        min_count=min_count,
    )


# --------------------------------------------------------------------------- baseline


def _baseline_candidates(anomaly, lookback: int, span) -> list[list[tuple]]:
    """Candidate windows, in order of preference: previous weeks, following weeks, just before."""
    start, end = anomaly
    length = end - start
    week = pd.Timedelta(days=7)
    step = week * max(1, math.ceil(length / week))
    first_day, last_time = span
    groups = []
    for direction in (-1, 1):
        group = []
        for k in range(1, lookback + 1):
            w_start = start + direction * k * step
            if w_start >= first_day and w_start <= last_time:
                group.append((direction * k, w_start, w_start + length))
        groups.append(group)
    groups.append([(0, start - length, start)])
    return groups


_SOURCES = ("previous weeks", "following weeks", "the window just before")


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
) -> pd.DataFrame:
    """Candidate same-weekday windows with their value, volume and exclusion flags.

    ``ordered``: whether ``times`` ascend (checked when None).
    """
    if not pd.api.types.is_datetime64_any_dtype(times):
        raise _InputError(
            "a default baseline needs a datetime time column; pass baseline=", "no_time_column"
        )
    table = None
    for source, rows in zip(_SOURCES, _baseline_candidates(anomaly, lookback, span), strict=True):
        if not rows:
            continue
        table = _judge_windows(times, numbers, kind, rows, weeks, volume, ordered)
        table.attrs["source"] = source
        if table["used"].any():
            return table
    if table is None:
        raise _InputError(
            "no baseline window lies inside the data: pass baseline=(start, end)",
            "no_baseline_window",
        )
    return table


def _judge_windows(times, numbers, kind, rows, weeks, volume, ordered=None) -> pd.DataFrame:
    """Value and volume of each candidate window; outliers flagged; the nearest ``weeks`` used."""
    windows = [(s, e) for _, s, e in rows]
    ids = _window_ids(times, windows, ordered)
    table = pd.DataFrame(
        {
            "start": [s for _, s, _ in rows],
            "end": [e for _, _, e in rows],
            "weeks_away": [k for k, _, _ in rows],
        }
    )
    slots = len(windows)
    safe = np.where(ids >= 0, ids, slots)
    sums = np.stack([np.bincount(safe, numbers[:, i], slots + 1)[:slots] for i in range(3)], axis=1)
    table["n"] = sums[:, 1]
    if kind == "count":
        table["value"] = sums[:, 1]
    else:
        table["value"] = _divide(sums[:, 0], sums[:, 1])
    volumes = np.bincount(safe, volume, slots + 1)[:slots] if volume is not None else sums[:, 1]
    table["volume"] = volumes
    has_data = table["n"].to_numpy() > 0
    excluded = np.zeros(slots, dtype=bool)
    reasons = np.full(slots, "", dtype=object)
    reasons[~has_data] = "no data"
    if has_data.sum() >= 3:
        checks = [("value", table["value"].to_numpy(float), kind)]
        if volume is not None:
            checks.append(("volume", volumes.astype(float), "count"))
        for label, values, check_kind in checks:
            present = values[has_data]
            center = float(np.median(present))
            mad = float(np.median(np.abs(present - center)))
            typical_n = max(float(np.median(sums[has_data, 1])), 1.0)
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
    frame : DataFrame
        Canonical calls or intervals.
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
    value or its offered volume is an outlier among the candidates by the
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
    return _lookup_baseline(
        _read_columns(frame), _window(anomaly), metric, settings, weeks, lookback
    )


def _span(times: pd.Series, anomaly, ordered: bool = False) -> tuple:
    """(first day, last time) of the data: candidate windows must start inside it.

    ``ordered``: ``times`` ascend (:func:`_time_ordered`), so the first and last
    rows hold the minimum and maximum.
    """
    if not pd.api.types.is_datetime64_any_dtype(times):
        raise _InputError(
            "a default baseline needs a datetime time column; pass baseline=", "no_time_column"
        )
    if not len(times):
        return anomaly
    if ordered:
        return times.iloc[0].normalize(), times.iloc[-1]
    return times.min().normalize(), times.max()


def _lookup_baseline(
    frame, anomaly, metric, settings, weeks, lookback, ordered: bool | None = None
) -> pd.DataFrame:
    """:func:`default_baseline` on the rows near the anomaly only (fast on large frames).

    ``ordered``: whether the frame's times ascend (checked when None); the rows
    near the anomaly are then slices found by binary search, not a mask of the
    whole frame.
    """
    times = frame[time_column(frame)]
    if not pd.api.types.is_datetime64_any_dtype(times):
        raise _InputError(
            "a default baseline needs a datetime time column; pass baseline=", "no_time_column"
        )
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
    numbers, volume, _ = _frame_numbers(rows, metric, settings)
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
    )


# --------------------------------------------------------------------------- canonical frames


def _check_metric(metric: str) -> None:
    if metric not in METRIC_KINDS:
        raise ValueError(f"metric must be one of {METRICS}, not {metric!r}")


def _frame_numbers(
    frame: pd.DataFrame, metric: str, settings: KpiSettings, sums=None, derived=None
):
    """(numerator, denominator, Σx²) per row of a canonical frame, from kpi.derive.

    Returns the (R, 3) array, the offered volume per row and a note (or None)
    when the variance of a mean had to be assumed.
    """
    if sums is None:
        sums = measures(frame, settings)
    if derived is None:
        derived = derive(sums, settings)
    offered = np.nan_to_num(sums["offered"].to_numpy(float, na_value=np.nan))
    numbers = np.zeros((len(frame), 3))
    note = None
    if METRIC_KINDS[metric] == "count":
        numbers[:, 0] = numbers[:, 1] = offered
        return numbers, offered, note
    base = derived[KPI_BASE[metric]].to_numpy(float, na_value=np.nan)
    value = derived[metric].to_numpy(float, na_value=np.nan)
    if not np.isfinite(base).any() or np.nansum(base) <= 0:
        raise _InputError(f"the data has nothing to compute {metric} from", "no_metric_data")
    known = np.isfinite(base) & (base > 0) & np.isfinite(value)
    numbers[:, 1] = np.where(known, base, 0.0)
    numbers[:, 0] = np.where(known, value * np.where(known, base, 0.0), 0.0)
    if METRIC_KINDS[metric] == "mean":
        if metric in _SQUARES:
            squares = sums[_SQUARES[metric]].to_numpy(float, na_value=np.nan)
        elif metric == "csat_mean" and frame_kind(frame) == "calls":
            squares = sums["csat_sum"].to_numpy(float, na_value=np.nan) ** 2
        else:
            squares = np.full(len(frame), np.nan)
        if np.isfinite(squares[known]).all():
            numbers[:, 2] = np.where(known, squares, 0.0)
        else:
            mean = _divide(numbers[:, 0], numbers[:, 1])
            if metric == "csat_mean":
                # Bhatia-Davis bound on a 1-5 scale: variance <= (5 - mean)(mean - 1).
                variance = np.clip((5 - mean) * (mean - 1), 0, None)
                note = "no per-call ratings: the CSAT variance is its Bhatia-Davis bound (5 − m)(m − 1)"
            else:
                variance = mean**2
                note = f"no sums of squares: the {metric} variance assumes a coefficient of variation of 1"
            numbers[:, 2] = np.where(
                known, numbers[:, 1] * (np.nan_to_num(mean) ** 2 + np.nan_to_num(variance)), 0.0
            )
    return numbers, offered, note


def _choose_dims(
    frame: pd.DataFrame, slice_rows: pd.DataFrame, dims, metric: str, sides
) -> tuple[dict, list]:
    """Dimensions to examine and their side, with notes on those left out."""
    notes = []
    explicit = dims is not None
    if dims is None:
        dims = [d for d in DIMENSIONS if d in frame.columns]
    dims = list(dims)
    missing = [d for d in dims if d not in frame.columns]
    if missing:
        raise ValueError(f"cannot explain by {missing}: the data has no such column")
    chosen = {}
    for dim in dims:
        column = slice_rows[dim]
        if column.isna().all():
            if explicit:
                notes.append(f"{dim} left out: no values in these windows")
            continue
        if column.nunique(dropna=False) < 2:
            notes.append(f"{dim} left out: one value only in these windows")
            continue
        if metric in ARRIVAL_METRICS and frame_kind(frame) == "calls" and "answered" in slice_rows:
            answered = slice_rows["answered"].to_numpy(bool)
            if (
                (~answered).any()
                and column[~answered].isna().mean() > 0.5
                and (column[answered].notna().mean() > 0.5)
            ):
                notes.append(
                    f"{dim} left out: known only for answered calls, it would explain "
                    f"{metric} by its own outcome"
                )
                continue
        side = (sides or {}).get(dim)
        if side is None:
            # Canonical demand dimensions, and any other column (a customer attribute by
            # default), are demand; queue, team and agent are supply.
            side = (
                "demand" if dim in DEMAND_DIMENSIONS or dim not in SUPPLY_DIMENSIONS else "supply"
            )
        chosen[dim] = side
    return chosen, notes


def _kpi_table(sums: pd.DataFrame, ids: np.ndarray, scale: float, settings) -> pd.DataFrame:
    """Every KPI in the anomaly window against the (scaled) baseline, from kpi.derive."""
    anomaly = sums[ids == 0].sum(min_count=1).to_frame().T
    baseline = (sums[ids > 0].sum(min_count=1) * scale).to_frame().T
    derived_a = derive(anomaly, settings).iloc[0]
    derived_b = derive(baseline, settings).iloc[0]
    rows = []
    for kpi, base in KPI_BASE.items():
        rows.append(
            {
                "kpi": kpi,
                "anomaly": derived_a[kpi],
                "baseline": derived_b[kpi],
                "change": derived_a[kpi] - derived_b[kpi],
                "n_anomaly": derived_a[base],
                "n_baseline": derived_b[base],
                "unit": KPI_UNITS[kpi],
            }
        )
    return pd.DataFrame(rows)


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
    return rows, ids, baseline, windows_table


def explain(
    frame: pd.DataFrame,
    anomaly,
    baseline=None,
    *,
    metric: str = "service_level",
    dims=None,
    settings: KpiSettings | None = None,
    max_order: int = 3,
    p_adjust: str = "holm",
    alpha: float = 0.05,
    min_share: float = 0.01,
    min_count: float = 10,
    weeks: int = 4,
    sides: dict | None = None,
    drivers: bool = True,
) -> Explanation:
    """Explain why a KPI changed in a window: which elements drove it, and the verdict.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals (the whole data set: the baseline comes
        from it).
    anomaly : (start, end)
        The window to explain, half-open ``[start, end)``.
    baseline : (start, end), list of (start, end), or None
        None: the same weekday and time window over the previous four weeks,
        leaving out windows that are themselves anomalous
        (:func:`default_baseline`). Baseline volumes are scaled to the anomaly
        window's length.
    metric : str, default "service_level"
        One of :data:`METRICS`: service_level, abandon_rate, answer_rate,
        transfer_rate (ratios of counts), aht_s, asa_s, csat_mean (means),
        offered (volume: where the extra calls came from).
    dims : list of str, optional
        Dimensions to examine; default every canonical dimension present.
        Dimensions with one value, and (for metrics measured on every offered
        call) dimensions known only for answered calls — team, agent — are
        left out, with a note.
    settings : KpiSettings, optional
        KPI conventions (SL threshold and formula, short abandons, ...).
    max_order : int, default 3
        Largest number of dimensions combined in one element.
    p_adjust : {"holm", "bh"}, default "holm"
        Multiple-testing adjustment (see :func:`explain_ratio`).
    alpha : float, default 0.05
    min_share, min_count : float
        Minimum support of an element (see :func:`explain_ratio`).
    weeks : int, default 4
        Baseline windows used by the default baseline.
    sides : dict, optional
        ``{dimension: "demand" | "supply"}`` for non-canonical dimensions;
        default: queue, team, agent are supply, the others demand.
    drivers : bool, default True
        For :data:`QUEUE_METRICS`, also explain ``offered`` and ``aht_s`` and
        name the driver in the summary.

    Returns
    -------
    Explanation
        See :class:`Explanation`; ``kpis`` holds every KPI in the window
        against the baseline, ``volume``/``handle_time``/``drivers`` the
        demand-side explanation of a queue metric.

    Raises
    ------
    ValueError
        Bad arguments, or data the window cannot be explained from; the latter
        carry a ``code`` attribute for translation (``no_anomaly_data``,
        ``no_baseline_data``, ``no_baseline_window``, ``no_metric_data``,
        ``no_time_column``).

    Notes
    -----
    The rows of each window are turned into additive measures
    (:func:`ccmetrics.cube.measures`) and every KPI is derived by
    :func:`ccmetrics.kpi.derive`; a KPI's numerator is its value × its base
    (the n of :data:`ccmetrics.kpi.KPI_BASE`), so every roll-up is exact. The
    decomposition, tests, ranking and verdict are those of
    :func:`explain_ratio`. Demand-side dimensions (category, segment,
    channel) and supply-side ones (queue, team, agent) are never combined in
    one element: a team cannot be blamed for a demand surge it received.

    A demand surge in one category degrades service for every category, so a
    queue metric examined alone can look "broad". For :data:`QUEUE_METRICS`
    the volume (``offered``) and the handle time (``aht_s``) are explained
    over the same windows. A change in either is a driver when it is
    significant, pushes the metric the way it moved (more or longer calls when
    service got worse) and is material (≥ 10 %); it is named with its leading
    element. When neither is, the cause is likely on the supply side (agents
    logged in), which the staffing view examines.

    Examples
    --------
    >>> from ccmetrics.sample import generate_calls
    >>> calls = generate_calls(start="2025-02-11", days=29)
    >>> e = explain(calls, ("2025-03-11 09:00", "2025-03-11 12:00"), metric="offered")
    >>> e.verdict, e.table.loc[0, "element"]
    ('concentrated', 'category=Data plan (GPRS) & segment=Prepaid')
    """
    settings = settings or KpiSettings()
    _check_metric(metric)
    p_adjust = _p_adjust_name(p_adjust)
    anomaly = _window(anomaly)
    if dims is not None:
        dims = list(dims)
    rows, ids, baseline, windows_table = _prepare(
        frame, anomaly, baseline, metric, settings, weeks, 8, keep=dims or ()
    )
    sums = measures(rows, settings)
    derived = derive(sums, settings)
    columns, notes = _choose_dims(frame, rows, dims, metric, sides)
    explanation = _explain_metric(
        rows,
        ids,
        sums,
        derived,
        metric,
        settings,
        columns,
        anomaly,
        baseline,
        max_order=max_order,
        p_adjust=p_adjust,
        alpha=alpha,
        min_share=min_share,
        min_count=min_count,
    )
    explanation.notes = notes + explanation.notes
    explanation.baseline_windows = windows_table
    explanation.kpis = _kpi_table(sums, ids, explanation.baseline_scale, settings)
    if drivers and metric in QUEUE_METRICS:
        volume_columns, _ = _choose_dims(frame, rows, dims, "offered", sides)
        explanation.volume = _explain_metric(
            rows,
            ids,
            sums,
            derived,
            "offered",
            settings,
            volume_columns,
            anomaly,
            baseline,
            max_order=max_order,
            p_adjust=p_adjust,
            alpha=alpha,
            min_share=min_share,
            min_count=min_count,
        )
        if np.nansum(sums["handle_n"].to_numpy(float, na_value=np.nan)) > 0:
            handle_columns, _ = _choose_dims(frame, rows, dims, "aht_s", sides)
            explanation.handle_time = _explain_metric(
                rows,
                ids,
                sums,
                derived,
                "aht_s",
                settings,
                handle_columns,
                anomaly,
                baseline,
                max_order=max_order,
                p_adjust=p_adjust,
                alpha=alpha,
                min_share=min_share,
                min_count=min_count,
            )
        explanation.drivers = _drivers(explanation)
    summary = _canonical_summary(explanation)
    explanation.summary = summary
    return explanation


def _explain_metric(
    rows, ids, sums, derived, metric, settings, columns, anomaly, baseline, **options
) -> Explanation:
    numbers, _, note = _frame_numbers(rows, metric, settings, sums, derived)
    times = rows[time_column(rows)]
    explanation = _explain_numbers(
        times,
        {d: rows[d] for d in columns},
        numbers,
        anomaly,
        baseline,
        kind=METRIC_KINDS[metric],
        sides=columns,
        metric=metric,
        ids=ids,
        **options,
    )
    explanation.notes = [note] if note else []
    explanation.summary = _canonical_summary(explanation)
    return explanation


def _formatter(metric: str, language: str = "en"):
    """Values of ``metric`` as the app shows them: English as :func:`ccmetrics.kpi.format_value`,
    other languages by :func:`ccmetrics.i18n.format_number` ("374 秒")."""

    def formatted(value: float) -> str:
        if language == "en":
            return format_value(metric, value)
        return i18n.format_number(value, KPI_UNITS.get(metric, "score"), language)

    return formatted


def _dims_text(explanation: Explanation) -> tuple[str, str]:
    dims = [d for side in explanation.dims.values() for d in side]
    if not dims:
        return "the data", "数据"
    names_en = dims[0] if len(dims) == 1 else ", ".join(dims[:-1]) + " and " + dims[-1]
    names_zh = "、".join(_DIM_NAMES_ZH.get(d, d) for d in dims)
    return names_en, names_zh


def _canonical_summary(explanation: Explanation) -> dict:
    name_en, name_zh = _METRIC_NAMES.get(
        explanation.metric, (explanation.metric, explanation.metric)
    )
    dims_en, dims_zh = _dims_text(explanation)
    summary = _summarise(
        explanation,
        name_en,
        name_zh,
        _formatter(explanation.metric),
        dims_en,
        dims_zh,
        formatter_zh=_formatter(explanation.metric, "zh"),
    )
    if explanation.drivers and explanation.verdict != "none":
        driver_en, driver_zh = _driver_sentences(explanation)
        summary = {"en": f"{summary['en']} {driver_en}", "zh": f"{summary['zh']}{driver_zh}"}
    return summary


def _drivers(explanation: Explanation) -> list[dict]:
    """Volume and handle-time changes behind a queue metric (or "supply" when neither).

    A driver is a change of offered calls or AHT that is significant, pushes
    the metric the way it moved (more calls or longer calls when service got
    worse) and is material (at least :data:`MATERIAL_CHANGE` relative).
    """
    lower_is_worse = explanation.metric in ("service_level", "answer_rate")
    worse = (explanation.totals["change"] < 0) == lower_is_worse
    found = []
    for driver, sub in (("volume", explanation.volume), ("handle_time", explanation.handle_time)):
        if sub is None or sub.verdict == "none":
            continue
        change = sub.totals["relative_change"]
        if not (np.isfinite(change) and abs(change) >= MATERIAL_CHANGE and (change > 0) == worse):
            continue
        lead = _leading(sub, most=1)[0] if sub.verdict == "concentrated" else None
        found.append(
            {
                "driver": driver,
                "change": change,
                "p_value": sub.totals["p_value"],
                "verdict": sub.verdict,
                "element": None if lead is None else lead["element"],
                "values": None if lead is None else lead["values"],
                "explained_share": None if lead is None else float(lead["explained"]),
            }
        )
    if not found:
        found.append(
            {
                "driver": "supply",
                "change": np.nan,
                "p_value": np.nan,
                "verdict": "none",
                "element": None,
                "values": None,
                "explained_share": None,
            }
        )
    return found


def _driver_sentences(explanation: Explanation) -> tuple[str, str]:
    parts_en, parts_zh = [], []
    for driver in explanation.drivers:
        change = _signed_percent(driver["change"])
        if driver["driver"] == "volume":
            if driver["element"]:
                label_zh = element_label(driver["values"], language="zh")
                share = _percent(driver["explained_share"])
                more = driver["change"] >= 0
                parts_en.append(
                    f"Driver: offered {change} vs baseline; {share} of the "
                    f"{'extra' if more else 'missing'} calls were {driver['element']} calls."
                )
                parts_zh.append(
                    f"驱动因素：来电量比基线 {change}，{'新增' if more else '减少的'}来电中 {share} 是 "
                    f"{label_zh} 的来电。"
                )
            else:
                parts_en.append(
                    f"Driver: offered {change} vs baseline, spread across every category."
                )
                parts_zh.append(f"驱动因素：来电量比基线 {change}，分布于各类别。")
        elif driver["driver"] == "handle_time":
            where_en = f", mostly {driver['element']}" if driver["element"] else ""
            where_zh = (
                f"，主要在 {element_label(driver['values'], language='zh')}"
                if driver["element"]
                else ""
            )
            parts_en.append(f"Handle time {change} vs baseline{where_en}.")
            parts_zh.append(f"处理时长比基线 {change}{where_zh}。")
        else:
            volume = explanation.volume.totals["relative_change"] if explanation.volume else np.nan
            handle = (
                explanation.handle_time.totals["relative_change"]
                if explanation.handle_time
                else np.nan
            )
            parts_en.append(
                f"Offered calls ({_signed_percent(volume)}) and handle time "
                f"({_signed_percent(handle)}) changed too little to explain it: the cause is likely "
                "on the supply side (agents logged in)."
            )
            parts_zh.append(
                f"来电量（{_signed_percent(volume)}）和处理时长（{_signed_percent(handle)}）的变化"
                "不足以解释：原因可能在供给侧（在线坐席数）。"
            )
    return " ".join(parts_en), "".join(parts_zh)


# --------------------------------------------------------------------------- tree and calls


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


def decompose(
    frame: pd.DataFrame,
    anomaly,
    baseline,
    dim: str,
    *,
    metric: str = "service_level",
    settings: KpiSettings | None = None,
    path: dict | None = None,
    p_adjust: str = "holm",
    alpha: float = 0.05,
    z: float = 1.96,
) -> pd.DataFrame:
    """One level of the decomposition tree: the values of ``dim`` within ``path``.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals.
    anomaly : (start, end)
        The anomaly window.
    baseline : (start, end), list of windows, or None
        As in :func:`explain` (pass ``Explanation.baseline`` to reuse its windows).
    dim : str
        The dimension to split by.
    metric : str, default "service_level"
    settings : KpiSettings, optional
    path : dict, optional
        ``{dimension: value}`` of the node being split (the root when None).
    p_adjust : {"holm", "bh"}, default "holm"
        Adjustment over the values of this level.
    alpha : float, default 0.05
    z : float, default 1.96
        Width of the noise band in standard errors.

    Returns
    -------
    DataFrame
        One row per value of ``dim`` (:data:`DECOMPOSE_COLUMNS`): ``value``,
        ``element`` (path & dim=value), ``values`` (dict), ``n_anomaly``,
        ``n_baseline``, ``share_anomaly``, ``share_baseline``,
        ``rate_anomaly``, ``rate_baseline``, ``change``, ``impact``,
        ``mix_effect``, ``rate_effect``, ``explained_share`` (of the total
        change of the whole population), ``p_value``, ``p_adjusted``,
        ``significant``, ``band_low``, ``band_high`` (where the anomaly value
        would fall by chance alone), ``outside_band``. Sorted by explained
        share, largest first. ``attrs["node"]`` holds the node's own anomaly
        and baseline value and n.

    Notes
    -----
    Impact and test are those of :func:`explain_ratio` for the element
    ``path & dim=value`` against the rest of the population. The noise band is
    ``baseline ± z·sqrt(v)`` with v the sampling variance of the difference of
    two windows — ``r(1 − r)(1/n_a + 1/n_b)`` for a ratio,
    ``s²(1/n_a + 1/n_b)`` for a mean, ``λ(1 + scale)(1 + c²λ)`` for a count —
    plus the between-window variance τ²(1 + 1/W) of the value over the W
    baseline windows (method of moments).

    Examples
    --------
    >>> from ccmetrics.sample import generate_calls
    >>> calls = generate_calls(start="2025-02-11", days=29)
    >>> level = decompose(calls, ("2025-03-11 09:00", "2025-03-11 12:00"), None, "segment",
    ...     metric="offered", path={"category": "Data plan (GPRS)"})
    >>> level.loc[0, "value"], bool(level.loc[0, "outside_band"])
    ('Prepaid', True)
    """
    settings = settings or KpiSettings()
    _check_metric(metric)
    p_adjust = _p_adjust_name(p_adjust)
    anomaly = _window(anomaly)
    path = dict(path or {})
    if dim in path:
        raise ValueError(f"{dim!r} is already on the path")
    rows, ids, baseline, _ = _prepare(
        frame, anomaly, baseline, metric, settings, 4, 8, keep=[*path, dim]
    )
    numbers, _, _ = _frame_numbers(rows, metric, settings)
    columns = {d: rows[d] for d in [*path, dim]}
    kind = METRIC_KINDS[metric]
    length_a = _length(anomaly)
    lengths = np.array([_length(w) for w in baseline])
    cube = _make_cube(
        columns,
        ids,
        numbers,
        len(baseline),
        kind=kind,
        scale=length_a / lengths.sum(),
        window_scale=length_a / lengths,
        sides={d: "all" for d in columns},
    )
    total_a, total_b = cube.a.sum(axis=0), cube.b.sum(axis=0)
    dim_index = len(path)
    on_path = np.ones(len(cube.codes), dtype=bool)
    for index, value in enumerate(path.values()):
        labels = cube.labels[index]
        if value is None or (isinstance(value, float) and np.isnan(value)):
            on_path &= cube.codes[:, index] == -1
        else:
            matches = np.flatnonzero(labels == value)
            on_path &= np.isin(cube.codes[:, index], matches)
    child_codes = sorted(set(cube.codes[on_path, dim_index].tolist()))
    masks = (
        np.stack([on_path & (cube.codes[:, dim_index] == c) for c in child_codes])
        if child_codes
        else np.zeros((0, len(cube.codes)), bool)
    )
    weights = masks.astype(float)
    a = weights @ cube.a
    w = np.stack([weights @ cube.w[j] for j in range(cube.w.shape[0])])
    b = w.sum(axis=0)
    effects = _effects(a, b, total_a, total_b, kind, cube.scale)
    c2 = _count_dispersion(cube) if kind == "count" else 0.0
    p_values = _element_p(kind, a, b, total_a, total_b, cube.scale, c2)
    p_adjusted = multitest.adjust(p_values, p_adjust)
    tau2 = _between_window_variance(w, kind) * (1 + 1 / max(len(baseline), 1))
    band_center = effects["rate_baseline"]
    if kind == "count":
        rate = (a[:, 1] + b[:, 1]) / (1 + 1 / cube.scale)
        variance = rate * (1 + cube.scale) * (1 + c2 * rate)
    elif kind == "ratio":
        r = band_center
        variance = (
            r
            * (1 - r)
            * (
                1 / np.where(a[:, 1] > 0, a[:, 1], np.nan)
                + 1 / np.where(b[:, 1] > 0, b[:, 1], np.nan)
            )
            + tau2
        )
    else:
        n = a[:, 1] + b[:, 1]
        total = a[:, 0] + b[:, 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            pooled = np.clip((a[:, 2] + b[:, 2] - total**2 / n) / (n - 1), 0, None)
            variance = pooled * (1 / a[:, 1] + 1 / b[:, 1]) + tau2
    half = z * np.sqrt(variance)
    values = [{**path, dim: cube.value(dim_index, c)} for c in child_codes]
    table = pd.DataFrame(
        {
            "value": [v[dim] for v in values],
            "element": [element_label(v) for v in values],
            "values": values,
            **{
                name: effects[name]
                for name in (
                    "n_anomaly",
                    "n_baseline",
                    "share_anomaly",
                    "share_baseline",
                    "rate_anomaly",
                    "rate_baseline",
                )
            },
            "change": effects["rate_anomaly"] - effects["rate_baseline"],
            **{
                name: effects[name]
                for name in ("impact", "mix_effect", "rate_effect", "explained_share")
            },
            "p_value": p_values,
            "p_adjusted": p_adjusted,
            "significant": p_adjusted < alpha,
            "band_low": band_center - half,
            "band_high": band_center + half,
        },
        columns=[c for c in DECOMPOSE_COLUMNS if c != "outside_band"],
    )
    table["outside_band"] = (
        ((table["rate_anomaly"] < table["band_low"]) | (table["rate_anomaly"] > table["band_high"]))
        .fillna(False)
        .astype(bool)
    )
    key = table["explained_share"].fillna(-np.inf).to_numpy()
    table = table.iloc[np.argsort(-key, kind="stable")].reset_index(drop=True)
    node = on_path.astype(float)
    node_a, node_b = node @ cube.a, node @ cube.b
    node_effects = _effects(node_a[None, :], node_b[None, :], total_a, total_b, kind, cube.scale)
    table.attrs["node"] = {
        "path": path,
        "value_anomaly": float(node_effects["rate_anomaly"][0]),
        "value_baseline": float(node_effects["rate_baseline"][0]),
        "n_anomaly": float(node_effects["n_anomaly"][0]),
        "n_baseline": float(node_effects["n_baseline"][0]),
        "baseline": baseline,
    }
    return table


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
