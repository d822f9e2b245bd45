"""The additive cube of elements and the split of a change into mix and rate effects."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ccmetrics.drill.constants import SIZE_FLOOR
from ccmetrics.drill.windows import _length

__all__: list[str] = []


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
        # values and leaves in a canonical order (values by their text), so the order of
        # the elements, which breaks ties in the ranking and the selection, is the same
        # whatever the rows' order or the column's dtype (calls, or an engine's group sums)
        uniques = np.asarray(uniques, dtype=object)
        order = np.argsort(np.array([str(value) for value in uniques], dtype=object), kind="stable")
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        codes[:, position] = np.where(found >= 0, rank[np.maximum(found, 0)], -1)
        labels.append(uniques[order])
    if len(dims) and len(codes):
        leaf = pd.DataFrame(codes).groupby(list(range(len(dims))), sort=True).ngroup().to_numpy()
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


def _window_cube(columns: dict, window, values, anomaly, baseline, *, kind, sides) -> _Cube:
    """:func:`_make_cube` of the anomaly and its baseline windows, each baseline window
    scaled to the anomaly's length (``scale``: the baseline as a whole; ``window_scale``:
    each window on its own)."""
    length_a = _length(anomaly)
    lengths = np.array([_length(w) for w in baseline])
    return _make_cube(
        columns,
        window,
        values,
        len(baseline),
        kind=kind,
        scale=length_a / lengths.sum(),
        window_scale=length_a / lengths,
        sides=sides,
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
