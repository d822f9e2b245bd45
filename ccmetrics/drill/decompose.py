"""One level of the decomposition tree: :func:`decompose`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccmetrics import multitest
from ccmetrics.drill.baseline import _prepare
from ccmetrics.drill.constants import DECOMPOSE_COLUMNS, EFFECT_COLUMNS, METRIC_KINDS, RATE_COLUMNS
from ccmetrics.drill.effects import _effects, _window_cube
from ccmetrics.drill.elements import element_label
from ccmetrics.drill.frames import _check_metric, _frame_numbers
from ccmetrics.drill.significance import (
    _between_window_variance,
    _count_dispersion,
    _element_p,
    _p_adjust_name,
)
from ccmetrics.drill.windows import _window
from ccmetrics.schema import KpiSettings

__all__ = [
    "decompose",
]


def _on_path(cube, path: dict) -> np.ndarray:
    """The cube's cells inside the node ``path`` leads to (a missing value matches code -1)."""
    on_path = np.ones(len(cube.codes), dtype=bool)
    for index, value in enumerate(path.values()):
        labels = cube.labels[index]
        if value is None or (isinstance(value, float) and np.isnan(value)):
            on_path &= cube.codes[:, index] == -1
        else:
            matches = np.flatnonzero(labels == value)
            on_path &= np.isin(cube.codes[:, index], matches)
    return on_path


def _band_variance(kind, a, b, rate_baseline, scale, c2, tau2) -> np.ndarray:
    """Variance of each child's value around its baseline rate, for the band of :func:`decompose`
    (the formulas are in its Notes)."""
    if kind == "count":
        rate = (a[:, 1] + b[:, 1]) / (1 + 1 / scale)
        return rate * (1 + scale) * (1 + c2 * rate)
    if kind == "ratio":
        r = rate_baseline
        return (
            r
            * (1 - r)
            * (
                1 / np.where(a[:, 1] > 0, a[:, 1], np.nan)
                + 1 / np.where(b[:, 1] > 0, b[:, 1], np.nan)
            )
            + tau2
        )
    n = a[:, 1] + b[:, 1]
    total = a[:, 0] + b[:, 0]
    with np.errstate(divide="ignore", invalid="ignore"):
        pooled = np.clip((a[:, 2] + b[:, 2] - total**2 / n) / (n - 1), 0, None)
        return pooled * (1 / a[:, 1] + 1 / b[:, 1]) + tau2


def _children_table(values, dim, effects, p_values, p_adjusted, alpha, band_low, band_high):
    """The rows of :func:`decompose`, one per child of the node (without ``outside_band``)."""
    return pd.DataFrame(
        {
            "value": [v[dim] for v in values],
            "element": [element_label(v) for v in values],
            "values": values,
            **{name: effects[name] for name in (*RATE_COLUMNS, *EFFECT_COLUMNS)},
            "change": effects["rate_anomaly"] - effects["rate_baseline"],
            "p_value": p_values,
            "p_adjusted": p_adjusted,
            "significant": p_adjusted < alpha,
            "band_low": band_low,
            "band_high": band_high,
        },
        columns=[c for c in DECOMPOSE_COLUMNS if c != "outside_band"],
    )


def _node_values(cube, on_path: np.ndarray, total_a, total_b, kind: str) -> dict:
    """The node's own value and volume in the anomaly and the baseline."""
    node = on_path.astype(float)
    node_a, node_b = node @ cube.a, node @ cube.b
    effects = _effects(node_a[None, :], node_b[None, :], total_a, total_b, kind, cube.scale)
    return {
        "value_anomaly": float(effects["rate_anomaly"][0]),
        "value_baseline": float(effects["rate_baseline"][0]),
        "n_anomaly": float(effects["n_anomaly"][0]),
        "n_baseline": float(effects["n_baseline"][0]),
    }


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
    cube = _window_cube(
        columns, ids, numbers, anomaly, baseline, kind=kind, sides={d: "all" for d in columns}
    )
    total_a, total_b = cube.a.sum(axis=0), cube.b.sum(axis=0)
    dim_index = len(path)
    on_path = _on_path(cube, path)
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
    half = z * np.sqrt(_band_variance(kind, a, b, band_center, cube.scale, c2, tau2))
    values = [{**path, dim: cube.value(dim_index, c)} for c in child_codes]
    table = _children_table(
        values, dim, effects, p_values, p_adjusted, alpha, band_center - half, band_center + half
    )
    table["outside_band"] = (
        ((table["rate_anomaly"] < table["band_low"]) | (table["rate_anomaly"] > table["band_high"]))
        .fillna(False)
        .astype(bool)
    )
    key = table["explained_share"].fillna(-np.inf).to_numpy()
    table = table.iloc[np.argsort(-key, kind="stable")].reset_index(drop=True)
    table.attrs["node"] = {
        "path": path,
        **_node_values(cube, on_path, total_a, total_b, kind),
        "baseline": baseline,
    }
    return table
