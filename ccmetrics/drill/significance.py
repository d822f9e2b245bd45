"""Significance tests of an element's change and of the total change."""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from ccmetrics.drill.constants import P_ADJUST_METHODS
from ccmetrics.drill.effects import _Cube, _divide

__all__: list[str] = []


# --------------------------------------------------------------------------- significance tests


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
