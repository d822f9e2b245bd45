"""What every chart shares: :class:`ChartInputError`, the rule ids, input checks, small statistics."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import special

#: The eight Nelson rules, in order.
NELSON_RULES = tuple(f"nelson_{number}" for number in range(1, 9))
#: Rules used when the caller asks for nothing else: Nelson 1 plus the Anhøj runs analysis.
DEFAULT_RULES = ("nelson_1", "anhoej")
#: d2 for moving ranges of two points (Montgomery, Appendix VI); 3 / 1.128 = 2.66.
D2_MOVING_RANGE = 1.128
#: D4 for moving ranges of two points: upper limit of the moving-range chart is 3.267 MR-bar.
D4_MOVING_RANGE = 3.267

_KNOWN_RULES = (*NELSON_RULES, "anhoej")
#: sigma_z above this means the binomial/Poisson (or within-subgroup) limits are too narrow.
_OVERDISPERSION_WARN = 1.5
#: |lag-1 autocorrelation| above this (and beyond 2/sqrt(m)) undermines moving-range limits.
_AUTOCORRELATION_WARN = 0.3


class ChartInputError(ValueError):
    """Inputs a chart cannot be drawn from; ``code`` says which problem, for translation.

    Parameters
    ----------
    message : str
        The English explanation (also ``str(error)``).
    code : str
        One of the codes listed in the module docstring.
    **params
        Values a translated message may need (e.g. ``name``, ``expected``).

    Attributes
    ----------
    code : str
        Stable error code.
    params : dict
        The ``params`` given.

    Examples
    --------
    >>> from ccmetrics.spc import xmr_chart
    >>> try:
    ...     xmr_chart([1.0, 2.0, 3.0], exclude=[True, True, True])
    ... except ChartInputError as error:
    ...     print(error.code)
    no_limit_points
    """

    def __init__(self, message: str, code: str, **params):
        super().__init__(message)
        self.code = code
        self.params = dict(params)


# --------------------------------------------------------------------------------------------
# Input handling
# --------------------------------------------------------------------------------------------


def _series_values(data, name: str) -> tuple[np.ndarray, pd.Index]:
    """Float array of ``data`` and the index to put on the output."""
    if isinstance(data, pd.Series):
        return data.to_numpy(dtype=float, na_value=np.nan), data.index
    array = np.asarray(data, dtype=float)
    if array.ndim != 1:
        raise ChartInputError(f"{name} must be one-dimensional", "not_one_dimensional", name=name)
    return array, pd.RangeIndex(len(array))


def _aligned(data, length: int, name: str) -> np.ndarray:
    """Positional float array of ``length`` values (a scalar is repeated)."""
    if isinstance(data, pd.Series):
        array = data.to_numpy(dtype=float, na_value=np.nan)
    else:
        array = np.asarray(data, dtype=float)
    if array.ndim == 0:
        return np.full(length, float(array))
    if array.shape != (length,):
        raise ChartInputError(
            f"{name} has {array.size} values, expected {length}",
            "length_mismatch",
            name=name,
            size=int(array.size),
            expected=length,
        )
    return array


def _mask(mask, length: int, default: bool, name: str) -> np.ndarray:
    """Positional boolean mask; ``None`` means every point is ``default``."""
    if mask is None:
        return np.full(length, default)
    if isinstance(mask, pd.Series):
        mask = mask.to_numpy(dtype=bool, na_value=False)
    array = np.asarray(mask, dtype=bool)
    if array.shape != (length,):
        raise ChartInputError(
            f"{name} must be a boolean mask of {length} values",
            "bad_mask",
            name=name,
            expected=length,
        )
    return array


def _check_rules(rules: Sequence[str]) -> tuple[str, ...]:
    if isinstance(rules, str):
        rules = (rules,)
    rules = tuple(rules)
    unknown = [rule for rule in rules if rule not in _KNOWN_RULES]
    if unknown:
        raise ChartInputError(
            f"unknown rule id(s) {unknown}; known: {list(_KNOWN_RULES)}",
            "unknown_rule",
            rules=unknown,
            known=list(_KNOWN_RULES),
        )
    return rules


# --------------------------------------------------------------------------------------------
# Small statistics
# --------------------------------------------------------------------------------------------


def c4(n):
    """Exact bias-correction constant c4 of the sample standard deviation.

    Parameters
    ----------
    n : int or array-like of int
        Sample size(s), at least 2.

    Returns
    -------
    float or numpy.ndarray
        c4(n) such that E[s] = c4(n) * sigma for normal data; NaN where n < 2.

    Notes
    -----
    c4(n) = sqrt(2 / (n - 1)) * Gamma(n / 2) / Gamma((n - 1) / 2), evaluated with log-gamma
    so that large n do not overflow.

    Examples
    --------
    >>> round(float(c4(5)), 4)
    0.94
    """
    n = np.asarray(n, dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.sqrt(2.0 / (n - 1.0)) * np.exp(
            special.gammaln(n / 2.0) - special.gammaln((n - 1.0) / 2.0)
        )
    value = np.where(n >= 2, value, np.nan)
    return float(value) if value.ndim == 0 else value


def _sigma_from_moving_ranges(values: np.ndarray) -> float:
    """Average moving range of the finite values, in order, divided by 1.128."""
    values = values[np.isfinite(values)]
    if values.size < 2:
        return float("nan")
    return float(np.mean(np.abs(np.diff(values))) / D2_MOVING_RANGE)


def lag1_autocorrelation(values) -> float:
    """Lag-1 autocorrelation of a series (missing values dropped).

    Parameters
    ----------
    values : array-like
        The series, in time order.

    Returns
    -------
    float
        r1, NaN with fewer than 3 values or no variation.

    Notes
    -----
    r1 = sum_t (x_t - mean)(x_{t+1} - mean) / sum_t (x_t - mean)^2, the estimator of
    ``statsmodels.tsa.stattools.acf`` (``adjusted=False``).

    Examples
    --------
    >>> round(lag1_autocorrelation([1, 2, 3, 4, 5]), 3)
    0.4
    """
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if x.size < 3:
        return float("nan")
    deviation = x - x.mean()
    denominator = float(np.sum(deviation**2))
    if denominator == 0:
        return float("nan")
    return float(np.sum(deviation[:-1] * deviation[1:]) / denominator)


def _diagnostics(
    standardized: np.ndarray,
    *,
    sigma_z: float,
    overdispersion_applies: bool,
    laney: bool,
    chart: str,
) -> dict:
    """Overdispersion and autocorrelation diagnostics with plain-language warnings."""
    standardized = standardized[np.isfinite(standardized)]
    m = int(standardized.size)
    r1 = lag1_autocorrelation(standardized)
    warnings: list[dict] = []
    if m < 10:
        warnings.append(
            {
                "code": "few_points",
                "text": (
                    f"Only {m} points define the limits; limits from so few points are rough, "
                    "so treat signals as hints rather than findings (20 or more is better)."
                ),
            }
        )
    overdispersed = (
        overdispersion_applies and np.isfinite(sigma_z) and sigma_z > _OVERDISPERSION_WARN
    )
    if overdispersed and laney and chart == "xbar_s":
        # The chart is still called Xbar-S, so the manager is told that its limits are not
        # the textbook ones (a p' chart says so by its name and needs no warning).
        warnings.append(
            {
                "code": "overdispersion",
                "adjusted": True,
                "text": (
                    f"The subgroup means vary {sigma_z:.1f} times more than the spread within "
                    f"each subgroup explains (sigma_z = {sigma_z:.2f}): calls of the same period "
                    "are alike (e.g. waits build up and drain together), so plain Xbar-S limits "
                    "would flag ordinary periods. The limits are widened by sigma_z (Laney's "
                    "adjustment) to match the period-to-period variation."
                ),
            }
        )
    if overdispersed and not laney:
        if chart in ("p", "u", "c"):
            remedy = "use the Laney version of the chart (laney=True)"
            model = "chance alone would allow for these volumes"
        else:
            remedy = (
                "use the Laney adjustment (laney=True), an XmR chart of the subgroup means "
                "or the seasonal chart"
            )
            model = "the spread within each subgroup explains"
        warnings.append(
            {
                "code": "overdispersion",
                "adjusted": False,
                "text": (
                    f"The points vary {sigma_z:.1f} times more than {model} (sigma_z = "
                    f"{sigma_z:.2f}). These limits are too narrow and will flag ordinary "
                    f"periods; {remedy}."
                ),
            }
        )
    if np.isfinite(r1) and abs(r1) > max(_AUTOCORRELATION_WARN, 2.0 / math.sqrt(max(m, 1))):
        if r1 > 0:
            narrower = 100.0 * (1.0 - math.sqrt(max(1.0 - r1, 0.0)))
            text = (
                f"Consecutive points are correlated (lag-1 autocorrelation {r1:.2f}). "
                f"Limits from point-to-point variation are about {narrower:.0f}% too narrow "
                "and long runs are expected, so expect extra signals; consider a coarser "
                "granularity or the seasonal chart."
            )
        else:
            text = (
                f"Consecutive points alternate (lag-1 autocorrelation {r1:.2f}). Limits "
                "from point-to-point variation are too wide and may hide real changes."
            )
        warnings.append({"code": "autocorrelation", "text": text})
    return {
        "sigma_z": sigma_z,
        "lag1_autocorrelation": r1,
        "n_limit_points": m,
        "warnings": warnings,
    }
