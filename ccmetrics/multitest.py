"""Multiple testing: p-values adjusted for the number of tests run together.

The drill-down tests many elements of an anomaly at once and the comparisons test
many pairs of teams or agents; both adjust their p-values here. Holm's step-down
adjustment controls the family-wise error rate (the chance of any false finding);
Benjamini–Hochberg controls the false discovery rate (the expected share of false
findings among those reported). Both give the values of statsmodels'
``multipletests`` (methods "holm" and "fdr_bh") and R's ``p.adjust``, without
statsmodels' import cost or the garbage collection it runs on every call.
"""

from __future__ import annotations

import numpy as np

__all__ = ["METHODS", "holm", "benjamini_hochberg", "adjust"]


def _ranked(p_values) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The p-values as floats clipped to [0, 1], the positions of the finite ones sorted
    ascending (ties in input order), and those sorted p-values."""
    p = np.clip(np.asarray(p_values, dtype=float), 0.0, 1.0)
    flat = p.ravel()
    valid = np.flatnonzero(np.isfinite(flat))
    order = valid[np.argsort(flat[valid], kind="stable")]
    return p, order, flat[order]


def holm(p_values) -> np.ndarray:
    """Holm's step-down adjustment of p-values (family-wise error rate).

    Parameters
    ----------
    p_values : array-like
        Unadjusted p-values. NaN stays NaN and does not count among the m tests;
        values outside [0, 1] are clipped to it.

    Returns
    -------
    ndarray
        Adjusted p-values, in the input order and shape.

    Notes
    -----
    With the m finite p-values sorted ascending, p_(1) ≤ … ≤ p_(m):

    p̃_(i) = max_{j ≤ i} min(1, (m − j + 1) · p_(j))

    Rejecting every hypothesis with p̃ < α keeps the chance of any false rejection at
    most α, whatever the dependence between the tests.

    References
    ----------
    .. [1] S. Holm, "A simple sequentially rejective multiple test procedure",
       Scandinavian Journal of Statistics 6 (1979), 65–70.

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03]).round(2).tolist()  # 3·0.01, max(0.03, 2·0.03), max(0.06, 1·0.04)
    [0.03, 0.06, 0.06]
    """
    p, order, ranked = _ranked(p_values)
    out = np.full(p.shape, np.nan)
    m = len(order)
    if m:
        out.flat[order] = np.maximum.accumulate(np.minimum(1.0, (m - np.arange(m)) * ranked))
    return out


def benjamini_hochberg(p_values) -> np.ndarray:
    """Benjamini–Hochberg adjustment of p-values (false discovery rate).

    Parameters
    ----------
    p_values : array-like
        Unadjusted p-values. NaN stays NaN and does not count among the m tests;
        values outside [0, 1] are clipped to it.

    Returns
    -------
    ndarray
        Adjusted p-values (q-values), in the input order and shape.

    Notes
    -----
    With the m finite p-values sorted ascending, p_(1) ≤ … ≤ p_(m):

    p̃_(i) = min_{j ≥ i} min(1, m · p_(j) / j)

    Reporting every hypothesis with p̃ < α keeps the expected share of false findings
    among those reported at most α for independent (or positively dependent) tests.

    References
    ----------
    .. [1] Y. Benjamini, Y. Hochberg, "Controlling the false discovery rate: a practical
       and powerful approach to multiple testing", Journal of the Royal Statistical
       Society B 57 (1995), 289–300.

    Examples
    --------
    >>> benjamini_hochberg([0.01, 0.04, 0.03]).round(2).tolist()  # 3·0.01/1, min(3·0.03/2, 3·0.04/3)
    [0.03, 0.04, 0.04]
    """
    p, order, ranked = _ranked(p_values)
    out = np.full(p.shape, np.nan)
    m = len(order)
    if m:
        scaled = m * ranked / np.arange(1, m + 1)
        out.flat[order] = np.minimum(1.0, np.minimum.accumulate(scaled[::-1])[::-1])
    return out


#: The adjustments by name: "holm" (family-wise error rate), "bh" (false discovery rate).
METHODS = {"holm": holm, "bh": benjamini_hochberg}


def adjust(p_values, method: str = "holm") -> np.ndarray:
    """P-values adjusted by one of :data:`METHODS`.

    Parameters
    ----------
    p_values : array-like
        Unadjusted p-values (NaN stays NaN and is not counted).
    method : {"holm", "bh"}, default "holm"
        :func:`holm` or :func:`benjamini_hochberg`.

    Returns
    -------
    ndarray
        Adjusted p-values, in the input order.

    Examples
    --------
    >>> adjust([0.01, 0.04, 0.03], "bh").round(2).tolist()
    [0.03, 0.04, 0.04]
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {sorted(METHODS)}, not {method!r}")
    return METHODS[method](p_values)
