"""After-call work against quality: does pressure on ACW degrade the data agents enter?

The domain brief warns that pushing agents to cut after-call work (ACW) degrades the
quality of what they enter in it. :func:`acw_quality` tests that warning on the data:
per agent (or any unit) the mean ACW time and a quality rate (business errors,
completeness of the entered fields, complaints), and the correlation between the two
across agents with its confidence interval, read as a code
(:data:`READINGS`); the sentence of each code lives in the translation table
(``ccmetrics/locales/quality.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from ccmetrics import kpi
from ccmetrics.kpis import KPIS

__all__ = [
    "QUALITY_MEASURES",
    "READINGS",
    "AcwQuality",
    "fisher_interval",
    "acw_quality",
]

#: Quality rates :func:`acw_quality` sets against ACW (KPIs of :mod:`ccmetrics.kpis`).
QUALITY_MEASURES = ("error_rate", "entry_completeness", "complaint_rate")

#: Reading codes: "shorter_acw_worse" (units with shorter ACW have worse quality: the
#: warning holds), "shorter_acw_better" (the opposite), "no_evidence" (an interval
#: holds 0), "too_few_units" (fewer than 4 units: no interval).
READINGS = ("shorter_acw_worse", "shorter_acw_better", "no_evidence", "too_few_units")

#: Fewest units with an interval (the Fisher z standard error is 1 / sqrt(k − 3)).
_MIN_UNITS = 4


@dataclass(frozen=True)
class AcwQuality:
    """The result of :func:`acw_quality`.

    Attributes
    ----------
    quality : str
        The quality rate (one of :data:`QUALITY_MEASURES`).
    by : str
        The unit column.
    units : DataFrame
        One row per unit kept: the ``by`` column, ``calls`` (answered calls with a
        handle time), ``acw_s`` (mean ACW seconds of those calls), ``quality`` (the
        rate, a fraction) and ``quality_n`` (the calls it rests on), in ``by`` order.
    n_units : int
        Units in the correlation.
    pearson_r, pearson_low, pearson_high, pearson_p : float
        Pearson's r across units, its Fisher-z interval and two-sided p-value.
    spearman_rho, spearman_low, spearman_high, spearman_p : float
        Spearman's rho, its interval (Fisher z with Fieller's variance) and p-value.
    slope, intercept : float
        The least-squares line of the rate on mean ACW across units (rate per ACW
        second, rate at 0 s): what a chart draws through the points; NaN without a
        correlation.
    confidence : float
        Confidence level of the intervals.
    reading : str
        One of :data:`READINGS`.
    """

    quality: str
    by: str
    units: pd.DataFrame = field(repr=False)
    n_units: int
    pearson_r: float
    pearson_low: float
    pearson_high: float
    pearson_p: float
    spearman_rho: float
    spearman_low: float
    spearman_high: float
    spearman_p: float
    slope: float
    intercept: float
    confidence: float
    reading: str


def fisher_interval(
    r: float, n: int, confidence: float = 0.95, variance: float = 1.0
) -> tuple[float, float]:
    """Confidence interval of a correlation coefficient by Fisher's z transform.

    Parameters
    ----------
    r : float
        The correlation (−1 ≤ r ≤ 1).
    n : int
        Number of pairs.
    confidence : float, default 0.95
    variance : float, default 1.0
        Numerator of the variance of z: 1 for Pearson's r; 1.06 for Spearman's rho
        (Fieller, Hartley & Pearson 1957).

    Returns
    -------
    (float, float)
        Lower and upper bound; (NaN, NaN) when n < 4 or r is missing.

    Notes
    -----
    z = atanh(r), se = sqrt(variance / (n − 3)), bounds tanh(z ∓ q·se) with q the
    (1 + confidence)/2 normal quantile. For Pearson's r this is the interval of
    ``scipy.stats.pearsonr(x, y).confidence_interval()``.

    References
    ----------
    Fisher, R. A. (1921). On the "probable error" of a coefficient of correlation.
    Metron 1, 3–32. Fieller, E. C., Hartley, H. O., Pearson, E. S. (1957). Tests for
    rank correlation coefficients I. Biometrika 44, 470–481.

    Examples
    --------
    >>> low, high = fisher_interval(0.5, 28)  # z = atanh(0.5) = 0.5493, se = 1/5: tanh(0.5493 ∓ 1.96 × 0.2)
    >>> round(low, 4), round(high, 4)
    (0.156, 0.7358)
    """
    if n < _MIN_UNITS or not np.isfinite(r):
        return float("nan"), float("nan")
    z = np.arctanh(np.clip(r, -1.0, 1.0))
    se = np.sqrt(variance / (n - 3))
    q = stats.norm.ppf((1.0 + confidence) / 2.0)
    return float(np.tanh(z - q * se)), float(np.tanh(z + q * se))


def _reading(
    quality: str, n_units: int, pearson: tuple[float, float], spearman: tuple[float, float]
) -> str:
    """The reading code: both intervals on one side of 0, that side judged by the KPI's
    direction (a lower error rate is better, a higher completeness is better)."""
    if n_units < _MIN_UNITS:
        return "too_few_units"
    if not all(np.isfinite([*pearson, *spearman])):  # no spread in ACW or in the rate
        return "no_evidence"
    if pearson[1] < 0 and spearman[1] < 0:
        sign = -1  # longer ACW, lower rate
    elif pearson[0] > 0 and spearman[0] > 0:
        sign = 1
    else:
        return "no_evidence"
    # shorter ACW goes with a higher rate when sign < 0: worse when a higher rate is worse
    higher_is_better = KPIS[quality].higher_is_better
    shorter_acw_higher_rate = sign < 0
    return (
        "shorter_acw_worse" if shorter_acw_higher_rate != higher_is_better else "shorter_acw_better"
    )


def acw_quality(
    frame: pd.DataFrame,
    quality: str = "error_rate",
    by: str = "agent",
    *,
    min_calls: int = 20,
    confidence: float = 0.95,
) -> AcwQuality:
    """Mean ACW time and a quality rate per unit, and their correlation across units.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls with ``acw_s`` and the quality rate's column
        (``business_error``, ``entry_completeness`` or ``complaint``).
    quality : {"error_rate", "entry_completeness", "complaint_rate"}, default "error_rate"
    by : str, default "agent"
        The unit column (agent, team, ...).
    min_calls : int, default 20
        Units whose quality rate rests on fewer calls are left out (their rate is
        mostly noise).
    confidence : float, default 0.95

    Returns
    -------
    AcwQuality
        ``units`` (columns ``by, calls, acw_s, quality, quality_n``), Pearson's r and
        Spearman's rho with intervals and p-values, and the ``reading`` code.

    Raises
    ------
    ValueError
        When ``quality`` is not one of :data:`QUALITY_MEASURES` or the frame lacks
        ``by``.

    Notes
    -----
    Per unit u (from :func:`ccmetrics.kpi.compute`): mean ACW = Σ acw_s / answered
    calls with a handle time; the quality rate as in :func:`ccmetrics.kpi.derive`.
    Each unit is one point, unweighted. Pearson's r and its p-value are those of
    ``scipy.stats.pearsonr``, Spearman's rho and its p-value those of
    ``scipy.stats.spearmanr``; intervals by :func:`fisher_interval` (variance 1 for
    r, 1.06 for rho); the line is ``scipy.stats.linregress`` of the rate on mean ACW. The reading is "shorter_acw_worse" when both intervals lie on
    the side of 0 where shorter ACW goes with worse quality (a negative correlation
    with the error or complaint rate, a positive one with entry completeness),
    "shorter_acw_better" when both lie on the other side, "no_evidence" otherwise,
    "too_few_units" with fewer than 4 units.

    A correlation across agents is not a cause: agents who hurry may also be the
    newer ones. It tells whether the warning shows in the data, not why.

    Examples
    --------
    >>> calls = pd.DataFrame({
    ...     "arrived_at": pd.to_datetime(["2025-01-06 08:00"] * 4),
    ...     "wait_s": [5.0] * 4, "answered": [True] * 4, "abandoned": [False] * 4,
    ...     "talk_s": [100.0] * 4, "acw_s": [10.0, 20.0, 30.0, 40.0],
    ...     "agent": ["a", "b", "c", "d"],
    ...     "business_error": [True, True, False, False]})
    >>> result = acw_quality(calls, min_calls=1)
    >>> result.n_units, round(result.pearson_r, 4), result.reading
    (4, -0.8944, 'no_evidence')
    """
    if quality not in QUALITY_MEASURES:
        raise ValueError(f"quality must be one of {QUALITY_MEASURES}, not {quality!r}")
    if by not in frame.columns:
        raise ValueError(f"cannot group by {by!r}: the data has no such column")
    base = KPIS[quality].base
    table = kpi.compute(frame, by=by)
    units = pd.DataFrame(
        {
            by: table[by],
            "calls": table["handle_n"],
            "acw_s": table["acw_s"],
            "quality": table[quality],
            "quality_n": table[base],
        }
    )
    keep = (
        units[by].notna()
        & np.isfinite(units["acw_s"].to_numpy(dtype=float, na_value=np.nan))
        & np.isfinite(units["quality"].to_numpy(dtype=float, na_value=np.nan))
        & (units["quality_n"].fillna(0) >= min_calls)
    )
    units = units[keep].reset_index(drop=True)
    k = len(units)
    x = units["acw_s"].to_numpy(dtype=float)
    y = units["quality"].to_numpy(dtype=float)
    r = p_r = rho = p_rho = slope = intercept = float("nan")
    if k >= 3 and np.ptp(x) > 0 and np.ptp(y) > 0:
        pearson = stats.pearsonr(x, y)
        r, p_r = float(pearson.statistic), float(pearson.pvalue)
        spearman = stats.spearmanr(x, y)
        rho, p_rho = float(spearman.statistic), float(spearman.pvalue)
        line = stats.linregress(x, y)
        slope, intercept = float(line.slope), float(line.intercept)
    pearson_ci = fisher_interval(r, k, confidence)
    spearman_ci = fisher_interval(rho, k, confidence, variance=1.06)
    return AcwQuality(
        quality=quality,
        by=by,
        units=units,
        n_units=k,
        pearson_r=r,
        pearson_low=pearson_ci[0],
        pearson_high=pearson_ci[1],
        pearson_p=p_r,
        spearman_rho=rho,
        spearman_low=spearman_ci[0],
        spearman_high=spearman_ci[1],
        spearman_p=p_rho,
        slope=slope,
        intercept=intercept,
        confidence=confidence,
        reading=_reading(quality, k, pearson_ci, spearman_ci),
    )
