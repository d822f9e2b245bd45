"""Control charts that separate signal from noise, and the improvement check.

Every chart function takes plain arrays or pandas Series (a Series keeps its index on the
output) and returns a DataFrame with one row per point and at least the columns

* ``value`` -- the plotted statistic,
* ``center``, ``lcl``, ``ucl`` -- center line and control limits at that point,
* ``signal`` -- bool, True when any requested rule fired at that point,
* ``rules`` -- the ids of the rules that fired there, comma-separated ("" if none),

plus chart-specific columns. Chart metadata is in ``result.attrs``: ``attrs["chart"]`` (the
chart type), ``attrs["center"]``, ``attrs["nsigmas"]``, ``attrs["anhoej"]`` (the runs analysis)
and ``attrs["diagnostics"]`` (overdispersion ``sigma_z``, lag-1 autocorrelation and
plain-language warnings with a ``code`` the UI can translate: ``few_points``,
``overdispersion`` -- with ``adjusted`` True when an Xbar-S chart's limits were widened by
sigma_z, False when the limits are too narrow --, ``autocorrelation``,
``slot_without_baseline``).

Phases. ``baseline`` is a boolean mask of the points that define the limits (phase I); the
other points are judged against them (phase II). ``exclude`` is a boolean mask of points that
stay on the chart but are left out of the limit computation (a known special cause). Both are
positional (one flag per point).

Rules follow R qcc (luca-scr/qcc, ``R/rules.R``): a point exactly on a limit is not a signal;
run rules flag the point that completes the pattern and every later point of the same run;
k-of-m rules flag the current point only when it is itself beyond the zone; a point on the
center line breaks a same-side run; Nelson 8 needs points on both sides. The Anhøj runs
analysis follows qicharts2 (anhoej/qicharts2, ``runs.analysis``).

Impossible limits. A measure that cannot be negative (seconds such as AHT and ASA, counts,
scores) gets ``lower_bound=0``: limits below it are clipped to it, as p charts clip to
[0, 1] and u and c charts at 0. Nelson 1 is judged against the limits as drawn, so a point
never signals below an impossible limit. :func:`kpi_chart` passes 0 for every KPI.

Errors. Inputs a chart cannot be drawn from raise :class:`ChartInputError` (a
``ValueError``) whose ``code`` says which problem and whose ``params`` carry the values a
translated message needs:

==========================  ===================================================================
code                        meaning (params)
==========================  ===================================================================
``no_limit_points``         no point is left to compute the limits (``chart`` for Xbar-S)
``change_sides``            the change date leaves no point (or no calls) on one side
``phase_points``            Welch's test needs at least two points per phase (``minimum``)
``counts_out_of_range``     counts below 0, or above n for a p chart (``chart``)
``length_mismatch``         an input has the wrong number of values (``name``, ``size``,
                            ``expected``)
``bad_mask``                baseline/exclude is not a mask of one flag per point (``name``,
                            ``expected``)
``not_one_dimensional``     an input is not one-dimensional (``name``)
``unknown_rule``            a rule id is unknown (``rules``, ``known``)
``bad_option``              an option has an invalid value (``name``, ``value``)
``missing_n``               a proportion chart or check was given no n
``missing_timestamps``      the seasonal chart has no timestamps
``missing_column``          the KPI table lacks a column (``column``)
``duplicate_periods``       the KPI table has more than one row per period
``chart_not_available``     the chart type does not fit the KPI (``chart``, ``kpi``,
                            ``available``)
==========================  ===================================================================

Reading a chart. :func:`chart_verdict` says the one thing a chart says, as a code: one-off
incidents, a sustained shift (:func:`signal_episodes` groups the signals of a step into one
finding with its start date), or a stable process with its capability against a target
(:func:`capability`: level, spread, share of periods meeting it). :func:`signals_by_severity`
orders the signal list, :func:`signal_map` lays an interval chart out as day x time of day.
``kpi_chart(..., revise=True)`` gives revised limits (points beyond them left out).

This module stands at the bottom of the module map: besides numpy, pandas and scipy it reads
only the KPI registry (:mod:`ccmetrics.kpis`, which imports nothing from ccmetrics).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import special, stats

from ccmetrics import kpis

__all__ = [
    "ChartInputError",
    "NELSON_RULES",
    "DEFAULT_RULES",
    "D2_MOVING_RANGE",
    "D4_MOVING_RANGE",
    "c4",
    "p_chart",
    "u_chart",
    "c_chart",
    "xmr_chart",
    "xbar_s_chart",
    "ewma_chart",
    "cusum_chart",
    "seasonal_chart",
    "run_rules",
    "anhoej_runs",
    "lag1_autocorrelation",
    "ImprovementCheck",
    "improvement_check",
    "default_chart_for",
    "kpi_chart",
    "REVISE_ROUNDS",
    "PATTERN_RULES",
    "SHIFT_MIN_SIGNALS",
    "EPISODE_COLUMNS",
    "VERDICTS",
    "severity",
    "signals_by_severity",
    "signal_episodes",
    "capability",
    "chart_verdict",
    "signal_map",
]

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
_GRANULARITIES = ("interval", "day", "week")


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


# --------------------------------------------------------------------------------------------
# Rules
# --------------------------------------------------------------------------------------------


def _run_position(condition: np.ndarray) -> np.ndarray:
    """1-based position of each point inside its run of True (0 where False)."""
    positions = np.arange(condition.size)
    last_false = np.maximum.accumulate(np.where(condition, -1, positions))
    return np.where(condition, positions - last_false, 0)


def _run_flags(condition: np.ndarray, run_length: int) -> np.ndarray:
    """Flag the run_length-th point of every run of True and every later point of that run."""
    return _run_position(np.asarray(condition, dtype=bool)) >= run_length


def _window_count(condition: np.ndarray, m: int) -> np.ndarray:
    """Number of True among the m points ending at each point (fewer at the start)."""
    return np.convolve(condition.astype(int), np.ones(m, dtype=int))[: condition.size]


def _k_of_m_flags(beyond: np.ndarray, k: int, m: int) -> np.ndarray:
    """Flag point t when it is beyond and at least k of the m points ending at t are."""
    complete_window = np.arange(beyond.size) >= m - 1
    return beyond & complete_window & (_window_count(beyond, m) >= k)


def _nelson(rule: str, v: np.ndarray, c: np.ndarray, s: np.ndarray, nsigmas: float) -> np.ndarray:
    """One Nelson rule on complete (non-missing) points; v, c, s are values, centers, sigmas."""
    size = v.size
    flags = np.zeros(size, dtype=bool)
    with np.errstate(invalid="ignore"):
        if rule == "nelson_1":
            return (v > c + nsigmas * s) | (v < c - nsigmas * s)
        if rule == "nelson_2":
            return _run_flags(v > c, 9) | _run_flags(v < c, 9)
        if rule == "nelson_3":
            if size >= 2:
                steps = np.diff(v)
                flags[1:] = _run_flags(steps > 0, 5) | _run_flags(steps < 0, 5)
            return flags
        if rule == "nelson_4":
            if size >= 3:
                steps = np.diff(v)
                alternating = steps[1:] * steps[:-1] < 0
                flags[2:] = _run_flags(alternating, 12)
            return flags
        if rule == "nelson_5":
            zone = nsigmas * 2.0 / 3.0 * s
            return _k_of_m_flags(v > c + zone, 2, 3) | _k_of_m_flags(v < c - zone, 2, 3)
        if rule == "nelson_6":
            zone = nsigmas / 3.0 * s
            return _k_of_m_flags(v > c + zone, 4, 5) | _k_of_m_flags(v < c - zone, 4, 5)
        zone = nsigmas / 3.0 * s
        if rule == "nelson_7":
            return _run_flags((v >= c - zone) & (v <= c + zone), 15)
        # nelson_8: eight in a row outside one sigma, with points on both sides.
        above = v > c + zone
        below = v < c - zone
        complete_window = np.arange(size) >= 7
        return (
            complete_window
            & (_window_count(above | below, 8) == 8)
            & (_window_count(above, 8) >= 1)
            & (_window_count(below, 8) >= 1)
        )


def _anhoej_statistics(signs: np.ndarray) -> dict:
    """Runs analysis of a sequence of +1/-1 signs (points on the center line removed)."""
    n_useful = int(signs.size)
    if n_useful == 0:
        return {
            "n_useful": 0,
            "longest_run": np.nan,
            "longest_run_max": np.nan,
            "n_crossings": np.nan,
            "n_crossings_min": np.nan,
            "long_run_signal": False,
            "few_crossings_signal": False,
            "runs_signal": False,
        }
    boundaries = np.flatnonzero(np.diff(signs) != 0)
    run_lengths = np.diff(np.concatenate(([0], boundaries + 1, [n_useful])))
    longest_run = int(run_lengths.max())
    n_crossings = int(boundaries.size)
    longest_run_max = int(np.round(np.log2(n_useful))) + 3
    n_crossings_min = int(stats.binom.ppf(0.05, max(n_useful - 1, 0), 0.5))
    long_run = longest_run > longest_run_max
    few_crossings = n_crossings < n_crossings_min
    return {
        "n_useful": n_useful,
        "longest_run": longest_run,
        "longest_run_max": longest_run_max,
        "n_crossings": n_crossings,
        "n_crossings_min": n_crossings_min,
        "long_run_signal": bool(long_run),
        "few_crossings_signal": bool(few_crossings),
        "runs_signal": bool(long_run or few_crossings),
    }


def anhoej_runs(values, center) -> dict:
    """Anhøj runs analysis: unusually long runs or unusually few crossings of the center line.

    Parameters
    ----------
    values : array-like or pandas.Series
        The plotted statistic, in time order. Missing values are ignored.
    center : float or array-like
        The center line (one value or one per point).

    Returns
    -------
    dict
        ``n_obs`` (non-missing points), ``n_useful`` (points not on the center line),
        ``longest_run``, ``longest_run_max``, ``n_crossings``, ``n_crossings_min``,
        ``long_run_signal``, ``few_crossings_signal`` and ``runs_signal`` (either).

    Notes
    -----
    Points exactly on the center line neither count towards nor break a run. With n useful
    points the longest run signals when it exceeds round(log2(n)) + 3 (Schilling 2012) and the
    crossings signal when fewer than qbinom(0.05, n - 1, 0.5) (Chen 2010), as in qicharts2.

    References
    ----------
    Anhøj J, Olesen AV (2014). Run charts revisited. PLoS ONE 9(11): e113825.

    Examples
    --------
    >>> result = anhoej_runs([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], center=0)
    >>> result["longest_run"], result["longest_run_max"], result["runs_signal"]
    (12, 7, True)
    """
    v, _ = _series_values(values, "values")
    c = _aligned(center, v.size, "center")
    complete = np.isfinite(v) & np.isfinite(c)
    signs = np.sign(v[complete] - c[complete])
    result = _anhoej_statistics(signs[signs != 0])
    return {"n_obs": int(complete.sum()), **result}


def _anhoej_point_flags(
    v: np.ndarray, c: np.ndarray, include: np.ndarray
) -> tuple[np.ndarray, dict]:
    """Per-point flags of the too-long runs plus the chart-level runs analysis."""
    flags = np.zeros(v.size, dtype=bool)
    complete = include & np.isfinite(v) & np.isfinite(c)
    signs_all = np.zeros(v.size)
    signs_all[complete] = np.sign(v[complete] - c[complete])
    useful = np.flatnonzero(signs_all != 0)
    signs = signs_all[useful]
    result = _anhoej_statistics(signs)
    result = {"n_obs": int(complete.sum()), **result}
    if result["long_run_signal"]:
        same_as_previous = np.concatenate(([False], signs[1:] == signs[:-1]))
        # Position inside the run of equal signs: 1 at each run start, counting up.
        run_start = np.maximum.accumulate(np.where(same_as_previous, 0, np.arange(signs.size)))
        flags[useful] = np.arange(signs.size) - run_start + 1 > result["longest_run_max"]
    return flags, result


def _rule_table(
    v: np.ndarray,
    c: np.ndarray,
    s: np.ndarray,
    rules: tuple[str, ...],
    nsigmas: float,
    anhoej_include: np.ndarray,
) -> tuple[dict[str, np.ndarray], dict | None]:
    """Boolean flags per rule for every point (missing points never fire)."""
    complete = np.isfinite(v) & np.isfinite(c)
    table: dict[str, np.ndarray] = {}
    anhoej_result = None
    for rule in rules:
        if rule == "anhoej":
            table[rule], anhoej_result = _anhoej_point_flags(v, c, anhoej_include)
            continue
        flags = np.zeros(v.size, dtype=bool)
        flags[complete] = _nelson(rule, v[complete], c[complete], s[complete], nsigmas)
        table[rule] = flags
    return table, anhoej_result


def run_rules(values, center, sigma, rules=NELSON_RULES, *, nsigmas: float = 3.0) -> pd.DataFrame:
    """Which points break which Shewhart run rules (Nelson 1-8, Anhøj).

    Parameters
    ----------
    values : array-like or pandas.Series
        The plotted statistic, in time order (a Series keeps its index).
    center : float or array-like
        Center line, one value or one per point.
    sigma : float or array-like
        Standard error of each plotted point (one value or one per point).
    rules : sequence of str, default all eight Nelson rules
        Rule ids: ``"nelson_1"`` ... ``"nelson_8"`` and ``"anhoej"``.
    nsigmas : float, default 3.0
        Width of the control limits in sigmas; zone boundaries are at nsigmas * 2/3 and
        nsigmas * 1/3 as in qcc.

    Returns
    -------
    pandas.DataFrame
        One boolean column per requested rule, one row per point.

    Notes
    -----
    Semantics of R qcc ``R/rules.R`` (the qcc rule tests are reproduced in the test suite):

    * nelson_1: beyond center +/- nsigmas * sigma; a point exactly on a limit is not a signal.
    * nelson_2: nine in a row strictly on one side; a point on the center line breaks the run.
      The ninth point and every later point of the run are flagged.
    * nelson_3: six in a row steadily increasing or decreasing (ties break the trend).
    * nelson_4: fourteen in a row alternating up and down.
    * nelson_5 / nelson_6: 2 of 3 beyond 2 sigma / 4 of 5 beyond 1 sigma on the same side,
      flagged at the current point only when it is itself beyond the zone.
    * nelson_7: fifteen in a row within 1 sigma (boundaries included).
    * nelson_8: eight in a row beyond 1 sigma with points on both sides.
    * anhoej: the points of a run longer than round(log2(n)) + 3, from the first point past
      that limit (see :func:`anhoej_runs`; the crossings test is chart-level only).

    Where qcc compares a whole k-of-m window against the limits of its last point, each point
    here is compared with its own limits; the two agree whenever the limits are constant.

    References
    ----------
    Nelson LS (1984). The Shewhart control chart -- tests for special causes. Journal of
    Quality Technology 16(4), 237-239. Scrucca L, qcc, ``R/rules.R``.

    Examples
    --------
    >>> run_rules([0, 3.2, -3.4, 3], center=0, sigma=1, rules=["nelson_1"])["nelson_1"].tolist()
    [False, True, True, False]
    """
    rules = _check_rules(rules)
    v, index = _series_values(values, "values")
    c = _aligned(center, v.size, "center")
    s = _aligned(sigma, v.size, "sigma")
    table, _ = _rule_table(v, c, s, rules, nsigmas, np.ones(v.size, dtype=bool))
    return pd.DataFrame(table, index=index, columns=list(rules))


# --------------------------------------------------------------------------------------------
# Chart assembly
# --------------------------------------------------------------------------------------------


def _finish(
    index: pd.Index,
    value: np.ndarray,
    center: np.ndarray,
    se: np.ndarray,
    lcl: np.ndarray,
    ucl: np.ndarray,
    *,
    rules: tuple[str, ...],
    nsigmas: float,
    baseline: np.ndarray,
    excluded: np.ndarray,
    extra: dict,
    attrs: dict,
) -> pd.DataFrame:
    """Apply the rules and build the chart frame with its attrs.

    Nelson 1 is judged against ``lcl`` and ``ucl`` as drawn: the same as the z-score test
    unless a limit was clipped at a bound, where a point can then never signal beyond an
    impossible limit (and a value beyond the bound itself, a data error, does signal).
    """
    table, anhoej_result = _rule_table(value, center, se, rules, nsigmas, ~excluded)
    if "nelson_1" in table:
        with np.errstate(invalid="ignore"):
            table["nelson_1"] = np.isfinite(center) & ((value > ucl) | (value < lcl))
    fired = np.array(
        [",".join(rule for rule in rules if table[rule][i]) for i in range(value.size)],
        dtype=object,
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (value - center) / se
    frame = pd.DataFrame(
        {
            "value": value,
            **extra,
            "center": center,
            "lcl": lcl,
            "ucl": ucl,
            "se": se,
            "z": z,
            "baseline": baseline,
            "excluded": excluded,
            "signal": fired != "",
            "rules": pd.array(fired, dtype="str"),
        },
        index=index,
    )
    frame.attrs.update(attrs)
    frame.attrs["nsigmas"] = nsigmas
    frame.attrs["rule_ids"] = list(rules)
    frame.attrs["anhoej"] = anhoej_result
    return frame


def _clip_below(limit: np.ndarray, lower_bound: float | None) -> np.ndarray:
    """Limits raised to ``lower_bound`` where they fall below it (missing limits stay missing)."""
    if lower_bound is None:
        return limit
    return np.maximum(limit, float(lower_bound))


def _attribute_chart(
    kind: str,
    value: np.ndarray,
    center: float,
    base_se: np.ndarray,
    used: np.ndarray,
    *,
    laney: bool,
    nsigmas: float,
    upper_bound: float,
    rules,
    baseline,
    excluded,
    index,
    extra: dict,
) -> pd.DataFrame:
    """Shared p/u/c logic: optional Laney correction, clipped limits, diagnostics."""
    with np.errstate(invalid="ignore", divide="ignore"):
        z = (value - center) / base_se
    z[~np.isfinite(z)] = np.nan
    sigma_z = _sigma_from_moving_ranges(z[used])
    se = base_se * sigma_z if laney else base_se.copy()
    lcl = np.clip(center - nsigmas * se, 0.0, upper_bound)
    ucl = np.clip(center + nsigmas * se, 0.0, upper_bound)
    chart = f"{kind}_prime" if laney else kind
    diagnostics = _diagnostics(
        z[used], sigma_z=sigma_z, overdispersion_applies=True, laney=laney, chart=kind
    )
    attrs = {
        "chart": chart,
        "center": center,
        "sigma_z": sigma_z,
        "laney": laney,
        "diagnostics": diagnostics,
    }
    return _finish(
        index,
        value,
        np.full(value.size, center),
        se,
        lcl,
        ucl,
        rules=rules,
        nsigmas=nsigmas,
        baseline=baseline,
        excluded=excluded,
        extra=extra,
        attrs=attrs,
    )


def p_chart(
    x,
    n,
    *,
    laney: bool = False,
    baseline=None,
    exclude=None,
    sigma: float = 3.0,
    rules=DEFAULT_RULES,
) -> pd.DataFrame:
    """p chart of proportions with variable n, or Laney's p' chart.

    Parameters
    ----------
    x : array-like or pandas.Series
        Numerator counts per point (e.g. calls answered within the threshold).
    n : array-like, pandas.Series or scalar
        Denominators per point (e.g. offered minus short abandons). Points with n = 0 are
        missing: no value, no limits, no signal.
    laney : bool, default False
        True gives Laney's p' chart: the binomial standard error is multiplied by sigma_z.
    baseline, exclude : array-like of bool, optional
        Phase I points that define the limits (default all) and points kept on the chart but
        left out of the limits (default none).
    sigma : float, default 3.0
        Width of the limits in standard errors.
    rules : sequence of str, default ("nelson_1", "anhoej")
        Rule ids, see :func:`run_rules`.

    Returns
    -------
    pandas.DataFrame
        Columns ``value`` (x / n), ``n``, ``center``, ``lcl``, ``ucl``, ``se`` (standard error
        of each point), ``z`` ((value - center) / se), ``baseline``, ``excluded``, ``signal``,
        ``rules``. ``attrs``: ``chart`` ("p" or "p_prime"), ``center``, ``sigma_z``,
        ``diagnostics``, ``anhoej``, ``nsigmas``.

    Notes
    -----
    p-bar = sum(x) / sum(n) over the baseline points not excluded; se_i = sqrt(p-bar (1 - p-bar)
    / n_i); limits p-bar +/- sigma * se_i clipped to [0, 1]. Laney: z_i = (p_i - p-bar) / se_i
    over the same points in time order, sigma_z = mean |z_i - z_(i-1)| / 1.128 and
    se'_i = sigma_z * se_i. sigma_z is reported for both charts: well above 1 means the
    between-period variation dwarfs the binomial noise (the usual case for call-center rates
    with large n), and the plain p chart will flag almost everything.

    References
    ----------
    Montgomery DC (2009). Introduction to Statistical Quality Control, 6th ed., section 7.2.
    Laney DB (2002). Improved control charts for attributes. Quality Engineering 14(4), 531-537.

    Examples
    --------
    >>> chart = p_chart([12, 15, 8, 10], [50, 50, 50, 50])
    >>> round(chart.attrs["center"], 4), bool(chart["signal"].any())
    (0.225, False)
    """
    rules = _check_rules(rules)
    counts, index = _series_values(x, "x")
    sizes = _aligned(n, counts.size, "n")
    valid = np.isfinite(counts) & np.isfinite(sizes) & (sizes > 0)
    if np.any(counts[valid] < 0) or np.any(counts[valid] > sizes[valid]):
        raise ChartInputError(
            "p_chart needs 0 <= x <= n at every point", "counts_out_of_range", chart="p"
        )
    base = _mask(baseline, counts.size, True, "baseline")
    excluded = _mask(exclude, counts.size, False, "exclude")
    used = valid & base & ~excluded
    if not used.any():
        raise ChartInputError("no point is left to compute the limits", "no_limit_points")
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(valid, counts / sizes, np.nan)
        center = float(counts[used].sum() / sizes[used].sum())
        base_se = np.where(valid, np.sqrt(center * (1.0 - center) / sizes), np.nan)
    return _attribute_chart(
        "p",
        value,
        center,
        base_se,
        used,
        laney=laney,
        nsigmas=sigma,
        upper_bound=1.0,
        rules=rules,
        baseline=base,
        excluded=excluded,
        index=index,
        extra={"n": sizes},
    )


def u_chart(
    c,
    n,
    *,
    laney: bool = False,
    baseline=None,
    exclude=None,
    sigma: float = 3.0,
    rules=DEFAULT_RULES,
) -> pd.DataFrame:
    """u chart of rates per unit with variable n, or Laney's u' chart.

    Parameters
    ----------
    c : array-like or pandas.Series
        Event counts per point (e.g. transfers, complaints).
    n : array-like, pandas.Series or scalar
        Exposure per point (e.g. answered calls, staffed hours); n = 0 makes a point missing.
    laney : bool, default False
        True gives Laney's u' chart (Poisson standard error times sigma_z).
    baseline, exclude, sigma, rules
        As in :func:`p_chart`.

    Returns
    -------
    pandas.DataFrame
        Columns ``value`` (c / n), ``n``, ``center``, ``lcl``, ``ucl``, ``se``, ``z``,
        ``baseline``, ``excluded``, ``signal``, ``rules``; ``attrs`` as in :func:`p_chart`
        with ``chart`` "u" or "u_prime".

    Notes
    -----
    u-bar = sum(c) / sum(n) over the baseline points not excluded; se_i = sqrt(u-bar / n_i);
    limits u-bar +/- sigma * se_i, the lower one clipped at 0. Laney: as in :func:`p_chart`
    with z_i = (u_i - u-bar) / se_i.

    References
    ----------
    Montgomery DC (2009), section 7.3.1. Laney DB (2002).

    Examples
    --------
    >>> chart = u_chart([3, 5, 4], [10, 20, 10])
    >>> round(chart.attrs["center"], 4)
    0.3
    """
    rules = _check_rules(rules)
    counts, index = _series_values(c, "c")
    sizes = _aligned(n, counts.size, "n")
    valid = np.isfinite(counts) & np.isfinite(sizes) & (sizes > 0)
    if np.any(counts[valid] < 0):
        raise ChartInputError("u_chart needs non-negative counts", "counts_out_of_range", chart="u")
    base = _mask(baseline, counts.size, True, "baseline")
    excluded = _mask(exclude, counts.size, False, "exclude")
    used = valid & base & ~excluded
    if not used.any():
        raise ChartInputError("no point is left to compute the limits", "no_limit_points")
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(valid, counts / sizes, np.nan)
        center = float(counts[used].sum() / sizes[used].sum())
        base_se = np.where(valid, np.sqrt(center / sizes), np.nan)
    return _attribute_chart(
        "u",
        value,
        center,
        base_se,
        used,
        laney=laney,
        nsigmas=sigma,
        upper_bound=np.inf,
        rules=rules,
        baseline=base,
        excluded=excluded,
        index=index,
        extra={"n": sizes},
    )


def c_chart(
    c, *, baseline=None, exclude=None, sigma: float = 3.0, rules=DEFAULT_RULES
) -> pd.DataFrame:
    """c chart of counts per equal-size period.

    Parameters
    ----------
    c : array-like or pandas.Series
        Counts per point.
    baseline, exclude, sigma, rules
        As in :func:`p_chart`.

    Returns
    -------
    pandas.DataFrame
        Columns ``value``, ``center``, ``lcl``, ``ucl``, ``se``, ``z``, ``baseline``,
        ``excluded``, ``signal``, ``rules``; ``attrs["chart"] == "c"`` and ``sigma_z`` (the
        overdispersion diagnostic).

    Notes
    -----
    c-bar = mean(c) over the baseline points not excluded; limits c-bar +/- sigma sqrt(c-bar),
    the lower one clipped at 0.

    References
    ----------
    Montgomery DC (2009), section 7.3.1.

    Examples
    --------
    >>> round(c_chart([4, 6, 5, 5]).attrs["center"], 2)
    5.0
    """
    rules = _check_rules(rules)
    counts, index = _series_values(c, "c")
    valid = np.isfinite(counts)
    if np.any(counts[valid] < 0):
        raise ChartInputError("c_chart needs non-negative counts", "counts_out_of_range", chart="c")
    base = _mask(baseline, counts.size, True, "baseline")
    excluded = _mask(exclude, counts.size, False, "exclude")
    used = valid & base & ~excluded
    if not used.any():
        raise ChartInputError("no point is left to compute the limits", "no_limit_points")
    center = float(counts[used].mean())
    base_se = np.where(valid, math.sqrt(center), np.nan)
    return _attribute_chart(
        "c",
        counts.copy(),
        center,
        base_se,
        used,
        laney=False,
        nsigmas=sigma,
        upper_bound=np.inf,
        rules=rules,
        baseline=base,
        excluded=excluded,
        index=index,
        extra={},
    )


def xmr_chart(
    values,
    *,
    baseline=None,
    exclude=None,
    sigma: float = 3.0,
    rules=DEFAULT_RULES,
    lower_bound: float | None = None,
) -> pd.DataFrame:
    """Individuals and moving-range (XmR) chart.

    Parameters
    ----------
    values : array-like or pandas.Series
        One value per period (e.g. daily AHT).
    baseline, exclude, sigma, rules
        As in :func:`p_chart`.
    lower_bound : float, optional
        The lowest value the measure can take (0 for seconds, counts and scores): limits
        below it are clipped to it. Default None: no clipping (the textbook chart).

    Returns
    -------
    pandas.DataFrame
        Columns ``value``, ``mr`` (|x_t - x_(t-1)| between consecutive plotted points),
        ``center``, ``lcl``, ``ucl``, ``se`` (sigma-hat), ``z``, ``mr_center``, ``mr_ucl``,
        ``mr_signal``, ``baseline``, ``excluded``, ``signal``, ``rules``. ``attrs``:
        ``chart`` "xmr", ``center``, ``sigma_hat``, ``mr_bar``, ``diagnostics``, ``anhoej``.

    Notes
    -----
    x-bar = mean of the baseline points not excluded; MR-bar = mean of |x_t - x_(t-1)| over
    those points taken in order (a moving range spans an excluded point, as if it had been
    removed); sigma-hat = MR-bar / 1.128, so the 3-sigma limits are x-bar +/- 2.66 MR-bar.
    With ``lower_bound`` b the limits are max(limit, b).
    Moving-range chart: center MR-bar, upper limit 3.267 MR-bar (for sigma = 3; in general
    MR-bar (1 + (3.267 - 1) sigma / 3)), no lower limit. This reproduces the qcc 3.0
    vignette and qicharts2; current qcc integrates d2(2) = 2 / sqrt(pi) = 1.128379 and its
    limits are 0.03% narrower.

    References
    ----------
    Montgomery DC (2009), section 6.4. Wheeler DJ (2000), Understanding Variation.

    Examples
    --------
    >>> chart = xmr_chart([10, 12, 11, 13, 12])
    >>> chart.attrs["mr_bar"], round(float(chart["ucl"].iloc[0]), 3)
    (1.5, 15.589)
    """
    rules = _check_rules(rules)
    v, index = _series_values(values, "values")
    valid = np.isfinite(v)
    base = _mask(baseline, v.size, True, "baseline")
    excluded = _mask(exclude, v.size, False, "exclude")
    used = valid & base & ~excluded
    if not used.any():
        raise ChartInputError("no point is left to compute the limits", "no_limit_points")
    center = float(v[used].mean())
    limit_values = v[used]
    mr_bar = (
        float(np.mean(np.abs(np.diff(limit_values)))) if limit_values.size >= 2 else float("nan")
    )
    sigma_hat = mr_bar / D2_MOVING_RANGE
    se = np.where(valid, sigma_hat, np.nan)
    moving_range = np.full(v.size, np.nan)
    plotted = np.flatnonzero(valid)
    moving_range[plotted[1:]] = np.abs(np.diff(v[plotted]))
    mr_ucl = mr_bar * (1.0 + (D4_MOVING_RANGE - 1.0) * sigma / 3.0)
    with np.errstate(invalid="ignore"):
        mr_signal = moving_range > mr_ucl
    diagnostics = _diagnostics(
        limit_values, sigma_z=float("nan"), overdispersion_applies=False, laney=False, chart="xmr"
    )
    attrs = {
        "chart": "xmr",
        "center": center,
        "sigma_hat": sigma_hat,
        "mr_bar": mr_bar,
        "lower_bound": lower_bound,
        "diagnostics": diagnostics,
    }
    frame = _finish(
        index,
        v.copy(),
        np.full(v.size, center),
        se,
        _clip_below(center - sigma * se, lower_bound),
        _clip_below(center + sigma * se, lower_bound),
        rules=rules,
        nsigmas=sigma,
        baseline=base,
        excluded=excluded,
        extra={"mr": moving_range},
        attrs=attrs,
    )
    frame.insert(frame.columns.get_loc("se") + 1, "mr_center", mr_bar)
    frame.insert(frame.columns.get_loc("mr_center") + 1, "mr_ucl", mr_ucl)
    frame.insert(frame.columns.get_loc("mr_ucl") + 1, "mr_signal", mr_signal)
    return frame


def xbar_s_chart(
    mean,
    sd,
    n,
    *,
    laney: bool | str = False,
    baseline=None,
    exclude=None,
    sigma: float = 3.0,
    rules=DEFAULT_RULES,
    lower_bound: float | None = None,
) -> pd.DataFrame:
    """Xbar-S chart of subgroup means with variable subgroup sizes, optionally Laney-adjusted.

    Parameters
    ----------
    mean : array-like or pandas.Series
        Subgroup means (e.g. AHT per interval = handle seconds / handled calls).
    sd : array-like
        Subgroup standard deviations (n - 1 divisor), e.g. from sums of squares:
        sd = sqrt((sum_sq - n mean^2) / (n - 1)).
    n : array-like or scalar
        Subgroup sizes. n = 0 makes a point missing; n = 1 gives a mean but no s.
    laney : bool or "auto", default False
        True multiplies the standard error of every mean by sigma_z (Laney's adjustment, as
        the p' chart does for proportions); "auto" does so only when over-dispersion is
        detected (sigma_z > 1.5, the threshold of the over-dispersion warning).
    baseline, exclude, sigma, rules
        As in :func:`p_chart`.
    lower_bound : float, optional
        The lowest value the measure can take (0 for seconds and scores): Xbar limits below
        it are clipped to it. Default None: no clipping (the textbook chart).

    Returns
    -------
    pandas.DataFrame
        Columns ``value`` (the mean), ``n``, ``s``, ``center``, ``lcl``, ``ucl``, ``se``,
        ``z``, ``s_center``, ``s_lcl``, ``s_ucl``, ``s_signal``, ``baseline``, ``excluded``,
        ``signal``, ``rules``. ``attrs``: ``chart`` ("xbar_s", or "xbar_s_prime" when the
        Laney adjustment is applied), ``laney`` (whether it is), ``center``, ``sigma_hat``,
        ``s_pooled``, ``sigma_z``, ``lower_bound``, ``diagnostics``, ``anhoej``.

    Notes
    -----
    Over the baseline points not excluded with n >= 2: x-double-bar = sum(n_i x-bar_i) /
    sum(n_i); pooled s_p = sqrt(sum((n_i - 1) s_i^2) / sum(n_i - 1)); sigma-hat =
    s_p / c4(sum(n_i - 1) + 1) with the exact c4 (qcc's "RMSDF" estimator, SAS/QC).
    Xbar limits: x-double-bar +/- sigma * sigma-hat / sqrt(n_i). S chart: center
    c4(n_i) sigma-hat, limits sigma-hat (c4(n_i) +/- sigma sqrt(1 - c4(n_i)^2)), lower clipped
    at 0. Montgomery (6.31) and qicharts2 divide s_p by c4(n_i) of each subgroup instead; with
    call-center subgroup sizes (tens of calls) the two agree to a fraction of a percent.
    ``sigma_z`` = mean |z_i - z_(i-1)| / 1.128 of z_i = (x-bar_i - center) / se_i over the
    limit points in time order measures how much more the means vary than the
    within-subgroup spread explains.

    Laney adjustment: se'_i = sigma_z sigma-hat / sqrt(n_i), limits x-double-bar +/- sigma
    se'_i. The Xbar-S chart assumes the calls of a subgroup are independent draws around a
    common mean; waits (ASA) within a half hour are strongly correlated (one queue builds
    up and drains), so the means vary far more than s / sqrt(n) says and the plain chart
    flags ordinary intervals. As for p', sigma_z from the moving range of the standardized
    means restores limits that match the period-to-period variation while keeping their
    step with n. With ``lower_bound`` b the Xbar limits are max(limit, b).

    References
    ----------
    Montgomery DC (2009), section 6.3. Scrucca L, qcc ``sd.xbar(std.dev = "RMSDF")``.
    Laney DB (2002). Improved control charts for attributes. Quality Engineering 14(4),
    531-537 (the sigma_z adjustment, applied here to standardized means).

    Examples
    --------
    >>> chart = xbar_s_chart([5, 3, 6], [20 ** 0.5 / 3 ** 0.5, 8 ** 0.5, 3], [4, 2, 3])
    >>> round(chart.attrs["sigma_hat"], 6)
    2.886142
    """
    rules = _check_rules(rules)
    if laney not in (True, False, "auto"):
        raise ChartInputError(
            'laney must be True, False or "auto"', "bad_option", name="laney", value=laney
        )
    means, index = _series_values(mean, "mean")
    sds = _aligned(sd, means.size, "sd")
    sizes = _aligned(n, means.size, "n")
    valid = np.isfinite(means) & np.isfinite(sizes) & (sizes >= 1)
    has_s = valid & (sizes >= 2) & np.isfinite(sds)
    base = _mask(baseline, means.size, True, "baseline")
    excluded = _mask(exclude, means.size, False, "exclude")
    used = has_s & base & ~excluded
    if not used.any():
        raise ChartInputError(
            "no subgroup with n >= 2 is left to compute the limits",
            "no_limit_points",
            chart="xbar_s",
        )
    center = float(np.sum(sizes[used] * means[used]) / np.sum(sizes[used]))
    degrees = float(np.sum(sizes[used] - 1.0))
    s_pooled = math.sqrt(float(np.sum((sizes[used] - 1.0) * sds[used] ** 2)) / degrees)
    sigma_hat = s_pooled / c4(degrees + 1.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        base_se = np.where(valid, sigma_hat / np.sqrt(sizes), np.nan)
        z = (means - center) / base_se
    sigma_z = _sigma_from_moving_ranges(z[used])
    if laney == "auto":
        laney = bool(np.isfinite(sigma_z) and sigma_z > _OVERDISPERSION_WARN)
    se = base_se * sigma_z if laney else base_se
    c4_i = np.where(sizes >= 2, c4(np.where(sizes >= 2, sizes, 2.0)), np.nan)
    spread = sigma * np.sqrt(1.0 - c4_i**2)
    s_center = sigma_hat * c4_i
    s_lcl = np.maximum(sigma_hat * (c4_i - spread), 0.0)
    s_ucl = sigma_hat * (c4_i + spread)
    s_values = np.where(has_s, sds, np.nan)
    with np.errstate(invalid="ignore"):
        s_signal = (s_values > s_ucl) | (s_values < s_lcl)
    diagnostics = _diagnostics(
        z[used], sigma_z=sigma_z, overdispersion_applies=True, laney=laney, chart="xbar_s"
    )
    attrs = {
        "chart": "xbar_s_prime" if laney else "xbar_s",
        "laney": laney,
        "center": center,
        "sigma_hat": sigma_hat,
        "s_pooled": s_pooled,
        "sigma_z": sigma_z,
        "lower_bound": lower_bound,
        "diagnostics": diagnostics,
    }
    value = np.where(valid, means, np.nan)
    frame = _finish(
        index,
        value,
        np.full(means.size, center),
        se,
        _clip_below(center - sigma * se, lower_bound),
        _clip_below(center + sigma * se, lower_bound),
        rules=rules,
        nsigmas=sigma,
        baseline=base,
        excluded=excluded,
        extra={"n": sizes, "s": s_values},
        attrs=attrs,
    )
    position = frame.columns.get_loc("z") + 1
    for offset, (name, column) in enumerate(
        [("s_center", s_center), ("s_lcl", s_lcl), ("s_ucl", s_ucl), ("s_signal", s_signal)]
    ):
        frame.insert(position + offset, name, column)
    return frame


def _phase_one_estimates(v: np.ndarray, used: np.ndarray, center, std_dev) -> tuple[float, float]:
    """Center and sigma for EWMA/CUSUM: given values, or phase-I mean and MR-bar / 1.128."""
    if not used.any():
        raise ChartInputError("no point is left to compute the limits", "no_limit_points")
    estimated_center = float(v[used].mean()) if center is None else float(center)
    estimated_sigma = _sigma_from_moving_ranges(v[used]) if std_dev is None else float(std_dev)
    return estimated_center, estimated_sigma


def ewma_chart(
    values,
    *,
    lam: float = 0.2,
    L: float = 3.0,
    baseline=None,
    exclude=None,
    center: float | None = None,
    std_dev: float | None = None,
    lower_bound: float | None = None,
) -> pd.DataFrame:
    """EWMA chart of individual values, for small persistent drifts.

    Parameters
    ----------
    values : array-like or pandas.Series
        One value per period.
    lam : float, default 0.2
        Smoothing weight of the newest value, 0 < lam <= 1.
    L : float, default 3.0
        Width of the limits in standard errors of the EWMA statistic.
    baseline, exclude : array-like of bool, optional
        As in :func:`p_chart` (phase I points defining center and sigma).
    center, std_dev : float, optional
        Known target and process standard deviation; by default the phase-I mean and
        MR-bar / 1.128.
    lower_bound : float, optional
        The lowest value the measure can take: limits below it are clipped to it (default
        None, no clipping).

    Returns
    -------
    pandas.DataFrame
        Columns ``value`` (the EWMA statistic), ``observed`` (the input), ``center``, ``lcl``,
        ``ucl``, ``se`` (standard error of the EWMA), ``baseline``, ``excluded``, ``signal``,
        ``rules`` ("ewma" where the statistic is beyond a limit). ``attrs``: ``chart`` "ewma",
        ``center``, ``sigma_hat``, ``lam``, ``L``, ``diagnostics``.

    Notes
    -----
    z_0 = center, z_t = lam x_t + (1 - lam) z_(t-1); se_t = sigma sqrt(lam / (2 - lam)
    (1 - (1 - lam)^(2t))); limits center +/- L se_t (raised to ``lower_bound`` if given);
    strictly beyond is a signal. Missing
    values carry the previous statistic forward without advancing t.

    References
    ----------
    Montgomery DC (2009), section 9.2. Scrucca L, qcc ``ewma()``.

    Examples
    --------
    >>> chart = ewma_chart([11, 13, 12], lam=0.5, L=2, center=10, std_dev=2)
    >>> chart["value"].tolist()
    [10.5, 11.75, 11.875]
    """
    if not 0 < lam <= 1:
        raise ChartInputError("lam must be in (0, 1]", "bad_option", name="lam", value=lam)
    v, index = _series_values(values, "values")
    valid = np.isfinite(v)
    base = _mask(baseline, v.size, True, "baseline")
    excluded = _mask(exclude, v.size, False, "exclude")
    used = valid & base & ~excluded
    target, sigma_hat = _phase_one_estimates(v, used, center, std_dev)
    statistic = np.full(v.size, np.nan)
    se = np.full(v.size, np.nan)
    previous = target
    step = 0
    for t in range(v.size):
        if valid[t]:
            step += 1
            previous = lam * v[t] + (1.0 - lam) * previous
            se[t] = sigma_hat * math.sqrt(lam / (2.0 - lam) * (1.0 - (1.0 - lam) ** (2 * step)))
            statistic[t] = previous
    lcl = _clip_below(target - L * se, lower_bound)
    ucl = _clip_below(target + L * se, lower_bound)
    with np.errstate(invalid="ignore"):
        signal = (statistic > ucl) | (statistic < lcl)
    diagnostics = _diagnostics(
        v[used], sigma_z=float("nan"), overdispersion_applies=False, laney=False, chart="ewma"
    )
    frame = pd.DataFrame(
        {
            "value": statistic,
            "observed": v,
            "center": target,
            "lcl": lcl,
            "ucl": ucl,
            "se": se,
            "baseline": base,
            "excluded": excluded,
            "signal": signal,
            "rules": pd.array(np.where(signal, "ewma", ""), dtype="str"),
        },
        index=index,
    )
    frame.attrs.update(
        {
            "chart": "ewma",
            "center": target,
            "sigma_hat": sigma_hat,
            "lam": lam,
            "L": L,
            "nsigmas": L,
            "rule_ids": ["ewma"],
            "anhoej": None,
            "diagnostics": diagnostics,
        }
    )
    return frame


def cusum_chart(
    values,
    *,
    k: float = 0.5,
    h: float = 4.0,
    baseline=None,
    exclude=None,
    center: float | None = None,
    std_dev: float | None = None,
) -> pd.DataFrame:
    """Tabular CUSUM chart of individual values, for small persistent shifts.

    Parameters
    ----------
    values : array-like or pandas.Series
        One value per period.
    k : float, default 0.5
        Allowance (reference value) in sigmas: half the shift to detect.
    h : float, default 4.0
        Decision interval in sigmas.
    baseline, exclude, center, std_dev
        As in :func:`ewma_chart`.

    Returns
    -------
    pandas.DataFrame
        Columns ``value`` (the side further from zero: ``cusum_upper`` if it is at least
        ``-cusum_lower``, else ``cusum_lower``), ``observed``, ``cusum_upper`` (>= 0),
        ``cusum_lower`` (<= 0), ``center`` (0), ``lcl`` (-h), ``ucl`` (h), ``baseline``,
        ``excluded``, ``signal``, ``rules`` ("cusum_upper" / "cusum_lower"). ``attrs``:
        ``chart`` "cusum", ``target``, ``sigma_hat``, ``k``, ``h``, ``diagnostics``.

    Notes
    -----
    In standardized units z_t = (x_t - target) / sigma: C+_t = max(0, C+_(t-1) + z_t - k),
    C-_t = max(0, C-_(t-1) - z_t - k), C+_0 = C-_0 = 0; a signal when C+_t > h or C-_t > h
    (strictly). ``cusum_lower`` is -C-_t, as qcc plots it. Missing values leave the sums
    unchanged.

    References
    ----------
    Montgomery DC (2009), section 9.1. Scrucca L, qcc ``cusum()``.

    Examples
    --------
    >>> chart = cusum_chart([1.5, 0.5, 0.6], k=0.5, h=1, center=0, std_dev=1)
    >>> [round(x, 6) for x in chart["cusum_upper"]], chart["signal"].tolist()
    ([1.0, 1.0, 1.1], [False, False, True])
    """
    v, index = _series_values(values, "values")
    valid = np.isfinite(v)
    base = _mask(baseline, v.size, True, "baseline")
    excluded = _mask(exclude, v.size, False, "exclude")
    used = valid & base & ~excluded
    target, sigma_hat = _phase_one_estimates(v, used, center, std_dev)
    upper = np.full(v.size, np.nan)
    lower = np.full(v.size, np.nan)
    upper_sum = lower_sum = 0.0
    for t in range(v.size):
        if valid[t]:
            z = (v[t] - target) / sigma_hat
            upper_sum = max(0.0, upper_sum + z - k)
            lower_sum = max(0.0, lower_sum - z - k)
            upper[t] = upper_sum
            lower[t] = -lower_sum
    with np.errstate(invalid="ignore"):
        up_signal = upper > h
        down_signal = lower < -h
    fired = np.array(
        [
            ",".join(name for name, hit in (("cusum_upper", a), ("cusum_lower", b)) if hit)
            for a, b in zip(up_signal, down_signal, strict=True)
        ],
        dtype=object,
    )
    value = np.where(upper >= -lower, upper, lower)
    diagnostics = _diagnostics(
        v[used], sigma_z=float("nan"), overdispersion_applies=False, laney=False, chart="cusum"
    )
    frame = pd.DataFrame(
        {
            "value": value,
            "observed": v,
            "cusum_upper": upper,
            "cusum_lower": lower,
            "center": 0.0,
            "lcl": -h,
            "ucl": h,
            "baseline": base,
            "excluded": excluded,
            "signal": fired != "",
            "rules": pd.array(fired, dtype="str"),
        },
        index=index,
    )
    frame.attrs.update(
        {
            "chart": "cusum",
            "center": 0.0,
            "target": target,
            "sigma_hat": sigma_hat,
            "k": k,
            "h": h,
            "nsigmas": h,
            "rule_ids": ["cusum_upper", "cusum_lower"],
            "anhoej": None,
            "diagnostics": diagnostics,
        }
    )
    return frame


# --------------------------------------------------------------------------------------------
# Seasonality
# --------------------------------------------------------------------------------------------

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _slot_labels(timestamps: pd.DatetimeIndex, slot: str) -> tuple[np.ndarray, str]:
    """Like-for-like slot of each timestamp and the slot kind actually used."""
    if slot == "auto":
        is_daily = bool(
            np.all((timestamps.hour == 0) & (timestamps.minute == 0) & (timestamps.second == 0))
        )
        slot = "weekday" if is_daily else "weekday_time"
    weekday = np.asarray(timestamps.day_of_week)
    clock = np.asarray(timestamps.strftime("%H:%M"), dtype=object)
    if slot == "weekday":
        labels = np.array([_WEEKDAYS[d] for d in weekday], dtype=object)
    elif slot == "weekday_time":
        labels = np.array(
            [f"{_WEEKDAYS[d]} {c}" for d, c in zip(weekday, clock, strict=True)], dtype=object
        )
    elif slot == "time":
        labels = clock
    else:
        raise ChartInputError(
            'slot must be "auto", "weekday_time", "weekday" or "time"',
            "bad_option",
            name="slot",
            value=slot,
        )
    return labels, slot


def seasonal_chart(
    x,
    n=None,
    *,
    kind: str = "proportion",
    timestamps=None,
    slot: str = "auto",
    baseline=None,
    exclude=None,
    sigma: float = 3.0,
    rules=DEFAULT_RULES,
    lower_bound: float | None = None,
) -> pd.DataFrame:
    """Chart a KPI against its like-for-like expectation (same weekday and time slot).

    Parameters
    ----------
    x : pandas.Series or array-like
        Per point: numerator counts (``kind="proportion"``), counts (``"count"``) or values
        (``"mean"``). A Series with a DatetimeIndex supplies the timestamps.
    n : array-like, optional
        Denominators for ``"proportion"`` (required); weights (e.g. handled calls behind each
        interval AHT) for ``"mean"`` (default 1); ignored for ``"count"``.
    kind : {"proportion", "count", "mean"}
        What x is.
    timestamps : array-like of datetime, optional
        Interval starts or days, when x has no DatetimeIndex.
    slot : {"auto", "weekday_time", "weekday", "time"}
        The like-for-like grouping. "auto": "weekday" for daily data (all timestamps at
        midnight), else "weekday_time" (same weekday and time of day).
    baseline, exclude, sigma, rules
        As in :func:`p_chart`; the baseline weeks define the expectation.
    lower_bound : float, optional
        For ``"mean"``: the lowest value the measure can take (0 for seconds and scores);
        limits below it are clipped to it. Proportions and counts are always clipped at 0.

    Returns
    -------
    pandas.DataFrame
        Columns ``value``, ``n``, ``slot`` (e.g. "Mon 09:30"), ``center`` (the expectation),
        ``lcl``, ``ucl``, ``se``, ``z``, ``baseline``, ``excluded``, ``signal``, ``rules``.
        ``attrs``: ``chart`` "seasonal", ``kind``, ``slot``, ``sigma_z``, ``diagnostics``,
        ``anhoej``.

    Notes
    -----
    Choice: a like-for-like expectation rather than a fitted seasonal model. It needs only a
    few baseline weeks, has no parameters to tune and is easy to explain ("Mondays 9:30 are
    usually 62%"). For every slot, over the baseline points not excluded:

    * proportion: e = sum(x) / sum(n); base_i = sqrt(e (1 - e) / n_i); value = x / n;
    * count: e = mean(x); base_i = sqrt(e) (Poisson);
    * mean: e = sum(n x) / sum(n); base_i = 1 / sqrt(n_i).

    Each slot's expectation rests on a few baseline weeks, so every point carries the
    leverage h_i = n_i / sum(n) of its slot (1 / m for counts) through the factor
    c_i = sqrt(1 - h_i) for the baseline points that helped estimate it and
    c_i = sqrt(1 + h_i) for every other point (prediction limits). Then
    z_i = (value_i - e_i) / (base_i c_i), sigma_z = mean |z_i - z_(i-1)| / 1.128 over the
    limit points in time order (Laney's correction: it absorbs whatever variation the
    binomial/Poisson model misses), se_i = sigma_z base_i c_i and limits e_i +/- sigma se_i
    (clipped to [0, 1] for proportions, at 0 for counts, at ``lower_bound`` for means).

    So a Monday-morning service-level dip that happens every week sits on its own center line
    and is not an alarm, while a collapse in a normally quiet hour is far from that hour's
    expectation and is. A slot with no baseline data has no expectation and no signal (a
    warning says so); a slot with a single baseline point (h = 1) cannot judge that point.

    Examples
    --------
    >>> days = pd.date_range("2024-01-01", periods=14, freq="D")
    >>> volume = pd.Series([120, 100, 100, 100, 100, 60, 40] * 2, index=days)
    >>> chart = seasonal_chart(volume, kind="count")
    >>> chart["center"].iloc[0], bool(chart["signal"].any())
    (np.float64(120.0), False)
    """
    rules = _check_rules(rules)
    if kind not in ("proportion", "count", "mean"):
        raise ChartInputError(
            'kind must be "proportion", "count" or "mean"', "bad_option", name="kind", value=kind
        )
    raw, index = _series_values(x, "x")
    if timestamps is None:
        if not isinstance(index, pd.DatetimeIndex):
            raise ChartInputError(
                "give timestamps, or x as a Series with a DatetimeIndex", "missing_timestamps"
            )
        stamps = index
    else:
        stamps = pd.DatetimeIndex(pd.to_datetime(timestamps))
        if stamps.size != raw.size:
            raise ChartInputError(
                "timestamps must have one entry per point",
                "length_mismatch",
                name="timestamps",
                size=int(stamps.size),
                expected=int(raw.size),
            )
    labels, slot_used = _slot_labels(stamps, slot)
    if kind == "proportion":
        if n is None:
            raise ChartInputError('kind="proportion" needs n', "missing_n")
        sizes = _aligned(n, raw.size, "n")
        valid = np.isfinite(raw) & np.isfinite(sizes) & (sizes > 0)
    elif kind == "mean":
        sizes = np.ones(raw.size) if n is None else _aligned(n, raw.size, "n")
        valid = np.isfinite(raw) & np.isfinite(sizes) & (sizes > 0)
    else:
        sizes = np.ones(raw.size)
        valid = np.isfinite(raw)
    base = _mask(baseline, raw.size, True, "baseline")
    excluded = _mask(exclude, raw.size, False, "exclude")
    used = valid & base & ~excluded
    if not used.any():
        raise ChartInputError("no point is left to compute the limits", "no_limit_points")
    with np.errstate(invalid="ignore", divide="ignore"):
        value = (
            np.where(valid, raw / sizes, np.nan)
            if kind == "proportion"
            else np.where(valid, raw, np.nan)
        )
    frame_used = pd.DataFrame({"slot": labels[used], "x": raw[used], "n": sizes[used]})
    if kind == "mean":
        frame_used["x"] = frame_used["x"] * frame_used["n"]
    grouped = frame_used.groupby("slot", sort=False)
    if kind == "count":
        expectation = grouped["x"].mean()
    else:
        expectation = grouped["x"].sum() / grouped["n"].sum()
    expected = pd.Series(labels).map(expectation).to_numpy(dtype=float, na_value=np.nan)
    slot_weight = pd.Series(labels).map(grouped["n"].sum()).to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind == "proportion":
            base_se = np.sqrt(expected * (1.0 - expected) / sizes)
        elif kind == "count":
            base_se = np.sqrt(expected)
        else:
            base_se = 1.0 / np.sqrt(sizes)
        base_se = np.where(valid, base_se, np.nan)
        # Leverage of each point on its slot's expectation: a baseline point pulls the
        # expectation towards itself (residual variance x (1 - h)); any other point is compared
        # with an expectation that carries its own estimation error (x (1 + h)).
        leverage = sizes / slot_weight
        inflation = np.sqrt(np.where(used, 1.0 - leverage, 1.0 + leverage))
        z = (value - expected) / (base_se * inflation)
    z[~np.isfinite(z)] = np.nan
    sigma_z = _sigma_from_moving_ranges(z[used])
    se = base_se * inflation * sigma_z
    upper_bound = 1.0 if kind == "proportion" else np.inf
    floor = 0.0 if kind in ("proportion", "count") else -np.inf
    if lower_bound is not None:
        floor = max(floor, float(lower_bound))
    lcl = np.clip(expected - sigma * se, floor, upper_bound)
    ucl = np.clip(expected + sigma * se, floor, upper_bound)
    diagnostics = _diagnostics(
        z[used], sigma_z=sigma_z, overdispersion_applies=False, laney=True, chart="seasonal"
    )
    missing_slots = sorted(set(labels[valid & ~np.isfinite(expected)]))
    if missing_slots:
        shown = ", ".join(missing_slots[:5]) + (" ..." if len(missing_slots) > 5 else "")
        diagnostics["warnings"].append(
            {
                "code": "slot_without_baseline",
                "text": (
                    f"{len(missing_slots)} time slot(s) have no baseline data ({shown}); "
                    "their points have no expectation and cannot signal."
                ),
            }
        )
    attrs = {
        "chart": "seasonal",
        "kind": kind,
        "slot": slot_used,
        "sigma_z": sigma_z,
        "center": float("nan"),
        "diagnostics": diagnostics,
    }
    return _finish(
        index,
        value,
        expected,
        se,
        lcl,
        ucl,
        rules=rules,
        nsigmas=sigma,
        baseline=base,
        excluded=excluded,
        extra={"n": sizes, "slot": pd.array(labels, dtype="str")},
        attrs=attrs,
    )


# --------------------------------------------------------------------------------------------
# Improvement check
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImprovementCheck:
    """Before/after comparison around a change, as returned by :func:`improvement_check`.

    Attributes
    ----------
    kind : str
        "proportion" or "mean".
    before, after : float
        The KPI in each phase (pooled proportion, or mean of the points).
    difference, ci_low, ci_high : float
        after - before and its confidence interval (proportions as fractions).
    confidence : float
        Confidence level of the interval.
    statistic, p_value : float
        Test statistic (z or Welch t) and two-sided p-value.
    test : str
        The test used, in words.
    dispersion : float
        Variance inflation applied to the two-proportion test (1 when none).
    n_before, n_after : float
        Denominators (proportion) or number of points (mean) in each phase.
    significant : bool
        True when the confidence interval excludes zero.
    sentence_en, sentence_zh : str
        The result in one plain sentence, English and Chinese.
    chart : pandas.DataFrame
        The chart with limits recomputed per phase and a ``phase`` column.
    """

    kind: str
    before: float
    after: float
    difference: float
    ci_low: float
    ci_high: float
    confidence: float
    statistic: float
    p_value: float
    test: str
    dispersion: float
    n_before: float
    n_after: float
    significant: bool
    sentence_en: str
    sentence_zh: str
    chart: pd.DataFrame


def _after_mask(index: pd.Index, change) -> np.ndarray:
    """True for points at or after the change (an int is a position)."""
    if isinstance(change, (int, np.integer)) and not isinstance(change, bool):
        position = int(change)
        if not 0 < position < index.size:
            raise ChartInputError(
                "the change position must leave points on both sides", "change_sides"
            )
        mask = np.zeros(index.size, dtype=bool)
        mask[position:] = True
        return mask
    if isinstance(index, pd.DatetimeIndex):
        change = pd.Timestamp(change)
    return np.asarray(index >= change, dtype=bool)


def _phase_sigma_z(rates: np.ndarray, sizes: np.ndarray, after: np.ndarray) -> float:
    """Laney sigma_z from moving ranges of z-scores taken within each phase about its own p."""
    moving_ranges = []
    for phase in (~after, after):
        r, m = rates[phase], sizes[phase]
        keep = np.isfinite(r) & (m > 0)
        r, m = r[keep], m[keep]
        if r.size < 2:
            continue
        center = float(np.sum(r * m) / np.sum(m))
        if not 0 < center < 1:
            continue
        z = (r - center) / np.sqrt(center * (1 - center) / m)
        moving_ranges.append(np.abs(np.diff(z)))
    if not moving_ranges:
        return float("nan")
    return float(np.mean(np.concatenate(moving_ranges)) / D2_MOVING_RANGE)


def _format_sentences(
    kind: str,
    before: float,
    after: float,
    low: float,
    high: float,
    confidence: float,
    significant: bool,
    label: str,
    label_zh: str,
    decimals: int,
    unit: str,
    unit_zh: str,
) -> tuple[str, str]:
    """English and Chinese one-line summaries."""
    level = f"{100 * confidence:g}%"
    scale = 100.0 if kind == "proportion" else 1.0
    if kind == "proportion":
        value_suffix_en = value_suffix_zh = "%"
        span_en, span_zh = " points", "个百分点"
    else:
        value_suffix_en, value_suffix_zh = unit, unit_zh
        span_en, span_zh = unit, unit_zh
    before_en = f"{scale * before:.{decimals}f}{value_suffix_en}"
    after_en = f"{scale * after:.{decimals}f}{value_suffix_en}"
    before_zh = f"{scale * before:.{decimals}f}{value_suffix_zh}"
    after_zh = f"{scale * after:.{decimals}f}{value_suffix_zh}"
    low_text, high_text = f"{scale * low:+.{decimals}f}", f"{scale * high:+.{decimals}f}"
    if significant:
        verb_en = "rose" if after > before else "fell"
        verb_zh = "上升至" if after > before else "下降至"
        english = (
            f"{label} {verb_en} from {before_en} to {after_en}, {level} CI "
            f"{low_text} to {high_text}{span_en}"
        )
        chinese = (
            f"{label_zh}从{before_zh}{verb_zh}{after_zh}，{level}置信区间为"
            f"{low_text}至{high_text}{span_zh}"
        )
    else:
        english = (
            f"{label} changed from {before_en} to {after_en}, {level} CI "
            f"{low_text} to {high_text}{span_en}: not a clear change"
        )
        chinese = (
            f"{label_zh}从{before_zh}变为{after_zh}，{level}置信区间为"
            f"{low_text}至{high_text}{span_zh}，变化不显著"
        )
    return english, chinese


def improvement_check(
    x,
    n=None,
    *,
    change,
    kind: str = "proportion",
    label: str = "KPI",
    label_zh: str | None = None,
    confidence: float = 0.95,
    laney: bool = True,
    decimals: int = 1,
    unit: str = "",
    unit_zh: str | None = None,
    rules=DEFAULT_RULES,
) -> ImprovementCheck:
    """Did a change work? Before/after difference with confidence interval and test.

    Parameters
    ----------
    x : pandas.Series or array-like
        Numerator counts per point (``kind="proportion"``) or one value per point
        (``kind="mean"``, e.g. daily AHT).
    n : array-like, optional
        Denominators per point, required for proportions.
    change : int, date-like or index label
        Where the "after" phase starts: an int is a position, anything else is compared with
        the index (points at or after it are "after").
    kind : {"proportion", "mean"}
        Two-proportion z-test on pooled counts, or Welch's t-test on the point values.
    label, label_zh : str
        KPI name for the sentences (``label_zh`` defaults to ``label``).
    confidence : float, default 0.95
        Confidence level of the interval.
    laney : bool, default True
        Chart proportions as Laney p' per phase (else plain p).
    decimals : int, default 1
        Decimals in the sentences.
    unit, unit_zh : str
        Unit appended to means in the sentences (e.g. " s" and "秒").
    rules : sequence of str
        Rules for the per-phase charts.

    Returns
    -------
    ImprovementCheck
        Phase values, difference, interval, test, sentences and the per-phase chart.

    Notes
    -----
    Proportions: p1 = sum(x) / sum(n) before, p2 after; difference p2 - p1 with the Wald
    interval (p2 - p1) +/- z sqrt(phi) sqrt(p1 (1 - p1) / N1 + p2 (1 - p2) / N2) and the test
    z = (p2 - p1) / (sqrt(phi) sqrt(p (1 - p)(1 / N1 + 1 / N2))) with the pooled p. phi =
    max(1, sigma_z^2), sigma_z being Laney's factor from z-scores within each phase about its
    own proportion: call-center rates vary between days far more than binomial noise, and
    without this quasi-binomial inflation a two-proportion test on thousands of calls calls
    every wobble significant. With phi = 1 this is the textbook two-proportion z-test.
    Means: Welch's unequal-variance t-test on the point values after vs before, with the
    Welch-Satterthwaite degrees of freedom for the interval.

    Examples
    --------
    >>> result = improvement_check([710, 700, 720, 840, 850, 830], [1000] * 6, change=3,
    ...                            label="service level")
    >>> result.sentence_en
    'service level rose from 71.0% to 84.0%, 95% CI +10.8 to +15.2 points'
    """
    if kind not in ("proportion", "mean"):
        raise ChartInputError(
            'kind must be "proportion" or "mean"', "bad_option", name="kind", value=kind
        )
    if not 0 < confidence < 1:
        raise ChartInputError(
            "confidence must be between 0 and 1", "bad_option", name="confidence", value=confidence
        )
    raw, index = _series_values(x, "x")
    series = pd.Series(raw, index=index)
    after = _after_mask(index, change)
    if after.all() or not after.any():
        raise ChartInputError("the change must leave points on both sides", "change_sides")
    label_zh = label if label_zh is None else label_zh
    unit_zh = unit if unit_zh is None else unit_zh
    quantile = float(stats.norm.ppf(0.5 + confidence / 2))
    if kind == "proportion":
        if n is None:
            raise ChartInputError('kind="proportion" needs n', "missing_n")
        sizes = _aligned(n, raw.size, "n")
        valid = np.isfinite(raw) & np.isfinite(sizes) & (sizes > 0)
        x1, n1 = raw[valid & ~after].sum(), sizes[valid & ~after].sum()
        x2, n2 = raw[valid & after].sum(), sizes[valid & after].sum()
        if n1 <= 0 or n2 <= 0:
            raise ChartInputError("each phase needs a positive denominator", "change_sides")
        before_value, after_value = float(x1 / n1), float(x2 / n2)
        difference = after_value - before_value
        with np.errstate(invalid="ignore", divide="ignore"):
            rates = np.where(valid, raw / sizes, np.nan)
        sigma_z = _phase_sigma_z(rates, np.where(valid, sizes, 0.0), after)
        dispersion = max(1.0, sigma_z**2) if np.isfinite(sigma_z) else 1.0
        se_unpooled = math.sqrt(
            dispersion
            * (before_value * (1 - before_value) / n1 + after_value * (1 - after_value) / n2)
        )
        pooled = float((x1 + x2) / (n1 + n2))
        se_pooled = math.sqrt(dispersion * pooled * (1 - pooled) * (1 / n1 + 1 / n2))
        statistic = difference / se_pooled if se_pooled > 0 else float("nan")
        p_value = (
            float(2 * stats.norm.sf(abs(statistic))) if np.isfinite(statistic) else float("nan")
        )
        low, high = difference - quantile * se_unpooled, difference + quantile * se_unpooled
        test = "two-proportion z-test"
        if dispersion > 1:
            test += f", variance inflated by sigma_z^2 = {dispersion:.2f} for overdispersion"
        n_before, n_after = float(n1), float(n2)
        size_series = pd.Series(sizes, index=index)
        phases = []
        for name, mask in (("before", ~after), ("after", after)):
            part = p_chart(series[mask], size_series[mask], laney=laney, rules=rules)
            phases.append(part.assign(phase=name))
    else:
        if n is not None:
            raise ChartInputError(
                'kind="mean" compares point values; do not pass n',
                "bad_option",
                name="n",
                value="given",
            )
        valid = np.isfinite(raw)
        first, second = raw[valid & ~after], raw[valid & after]
        if first.size < 2 or second.size < 2:
            raise ChartInputError(
                "Welch's test needs at least two points in each phase", "phase_points", minimum=2
            )
        result = stats.ttest_ind(second, first, equal_var=False)
        interval = result.confidence_interval(confidence_level=confidence)
        before_value, after_value = float(first.mean()), float(second.mean())
        difference = after_value - before_value
        statistic, p_value = float(result.statistic), float(result.pvalue)
        low, high = float(interval.low), float(interval.high)
        test = "Welch's t-test"
        dispersion = 1.0
        n_before, n_after = float(first.size), float(second.size)
        phases = []
        for name, mask in (("before", ~after), ("after", after)):
            part = xmr_chart(series[mask], rules=rules)
            phases.append(part.assign(phase=name))
    chart = pd.concat(phases)
    chart.attrs = {
        "chart": phases[0].attrs["chart"],
        "phases": ["before", "after"],
        "phase_attrs": {"before": dict(phases[0].attrs), "after": dict(phases[1].attrs)},
    }
    significant = bool(low > 0 or high < 0)
    sentence_en, sentence_zh = _format_sentences(
        kind,
        before_value,
        after_value,
        low,
        high,
        confidence,
        significant,
        label,
        label_zh,
        decimals,
        unit,
        unit_zh,
    )
    return ImprovementCheck(
        kind=kind,
        before=before_value,
        after=after_value,
        difference=difference,
        ci_low=float(low),
        ci_high=float(high),
        confidence=confidence,
        statistic=float(statistic),
        p_value=float(p_value),
        test=test,
        dispersion=float(dispersion),
        n_before=n_before,
        n_after=n_after,
        significant=significant,
        sentence_en=sentence_en,
        sentence_zh=sentence_zh,
        chart=chart,
    )


# --------------------------------------------------------------------------------------------
# Defaults
# --------------------------------------------------------------------------------------------

#: Rates (proportions of calls), per-call means and counts of calls: the kinds of the registry.
_RATE_KPIS = set(kpis.kpis_of_kind("proportion"))
_MEAN_KPIS = set(kpis.kpis_of_kind("mean"))
_COUNT_KPIS = set(kpis.kpis_of_kind("count"))
#: KPIs that cannot be negative (every KPI of the registry: rates, seconds, scores, counts,
#: occupancy): kpi_chart clips their limits at 0.
_NON_NEGATIVE_KPIS = set(kpis.KPIS)
_ALIASES = {
    "aht": "aht_s",
    "asa": "asa_s",
    "sl": "service_level",
    "fcr": "fcr_rate",
    "csat": "csat_mean",
    "qa": "qa_mean",
    "abandonment_rate": "abandon_rate",
    "volume": "offered",
    "calls": "offered",
}


def default_chart_for(kpi_name: str, granularity: str) -> str:
    """The chart a manager gets without choosing: one of the chart types of this module.

    Parameters
    ----------
    kpi_name : str
        A KPI column name of ``ccmetrics.kpi`` ("service_level", "aht_s", ...); spaces,
        hyphens, case and common short names ("AHT", "ASA", "SL") are accepted.
    granularity : {"interval", "day", "week"}
        The period of one point.

    Returns
    -------
    str
        "p_prime" (Laney p' chart), "xbar_s", "xmr" or "seasonal".

    Notes
    -----
    * Rates (service level, abandon, answer, transfer, FCR, CSAT top-2-box, IVR containment):
      Laney p' at every granularity, because large call volumes make plain p-chart limits
      far too narrow.
    * Means per call (AHT and its parts, ASA, CSAT and QA means): Xbar-S per interval, XmR
      for daily and weekly series. Choice: Xbar-S, the textbook chart of subgroup means;
      :func:`kpi_chart` draws it with ``laney="auto"``: when the interval means vary more
      than the spread of the calls within each interval explains (sigma_z > 1.5; typical of ASA, whose
      waits within a half hour rise and fall together), the limits are widened by sigma_z
      as Laney's p' does for rates, and the "overdispersion" warning says so (with
      ``adjusted`` True).
      When the calls of an interval are close to independent (AHT usually is, sigma_z
      near 1) it stays the textbook Xbar-S chart.
    * Volumes (offered, answered, abandoned): the seasonal chart per interval and per day
      (weekday and time-of-day patterns dominate), XmR per week.
    * Anything else (e.g. occupancy): XmR, the chart that assumes no distribution.

    Examples
    --------
    >>> default_chart_for("service_level", "day"), default_chart_for("AHT", "interval")
    ('p_prime', 'xbar_s')
    """
    if granularity not in _GRANULARITIES:
        raise ChartInputError(
            f"granularity must be one of {_GRANULARITIES}",
            "bad_option",
            name="granularity",
            value=granularity,
        )
    name = kpi_name.strip().lower().replace(" ", "_").replace("-", "_")
    name = _ALIASES.get(name, name)
    if name in _RATE_KPIS:
        return "p_prime"
    if name in _MEAN_KPIS:
        return "xbar_s" if granularity == "interval" else "xmr"
    if name in _COUNT_KPIS:
        return "xmr" if granularity == "week" else "seasonal"
    return "xmr"


# --------------------------------------------------------------------------------------------
# The chart of one KPI of a KPI table
# --------------------------------------------------------------------------------------------

#: Sum and sum-of-squares columns (``kpi.compute(..., keep_sums=True)``) behind a per-call mean.
_KPI_SQUARES = {
    "aht_s": ("handle_s_sum__sum", "handle_s_sq_sum__sum"),
    "asa_s": ("wait_s_sum__sum", "wait_s_sq_sum__sum"),
}


def _kpi_class(kpi: str) -> str:
    """The class of a KPI: "rate", "mean", "count" or "other" (as in :func:`default_chart_for`)."""
    if kpi in _RATE_KPIS:
        return "rate"
    if kpi in _MEAN_KPIS:
        return "mean"
    if kpi in _COUNT_KPIS:
        return "count"
    return "other"


def _column(table: pd.DataFrame, name: str | None) -> np.ndarray | None:
    """A float column of the table, or None when it is absent or has no value at all."""
    if name is None or name not in table.columns:
        return None
    values = pd.to_numeric(table[name], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    return values if np.isfinite(values).any() else None


def _charts_for(kpi_class: str, has_n: bool, has_squares: bool, granularity: str) -> list[str]:
    """Chart types that fit a KPI of this class and this table, in the order a menu shows them."""
    charts = []
    if kpi_class == "rate" and has_n:
        charts += ["p_prime", "p"]
    if kpi_class == "mean" and has_squares:
        charts.append("xbar_s")
    charts.append("xmr")
    seasonal_fits = kpi_class in ("count", "mean") or (kpi_class == "rate" and has_n)
    if granularity != "week" and seasonal_fits:
        charts.append("seasonal")
    return [*charts, "ewma", "cusum"]


def _kpi_phase_chart(
    chart: str,
    index: pd.DatetimeIndex,
    value: np.ndarray,
    n: np.ndarray,
    sd: np.ndarray | None,
    kpi_class: str,
    *,
    rules,
    baseline: np.ndarray,
    exclude: np.ndarray,
    sigma: float,
    laney,
    lower_bound: float | None,
) -> pd.DataFrame:
    """One chart of the points of one phase (chart ids as in :func:`kpi_chart`)."""
    values = pd.Series(value, index=index)
    options = {"baseline": baseline, "exclude": exclude}
    bound = {"lower_bound": lower_bound}
    if chart in ("p", "p_prime"):
        # Every rate KPI is numerator / n, so value * n gives the numerator back.
        counts = np.clip(value * n, 0.0, n)
        return p_chart(counts, n, laney=chart == "p_prime", sigma=sigma, rules=rules, **options)
    if chart == "xbar_s":
        return xbar_s_chart(
            values, sd, n, laney=laney, sigma=sigma, rules=rules, **options, **bound
        )
    if chart == "xmr":
        return xmr_chart(values, sigma=sigma, rules=rules, **options, **bound)
    if chart == "seasonal":
        if kpi_class == "rate":
            counts = np.clip(value * n, 0.0, n)
            return seasonal_chart(
                pd.Series(counts, index=index),
                n,
                kind="proportion",
                sigma=sigma,
                rules=rules,
                **options,
            )
        if kpi_class == "count":
            return seasonal_chart(values, kind="count", sigma=sigma, rules=rules, **options)
        weights = np.where(np.isfinite(n) & (n > 0), n, np.nan)
        return seasonal_chart(
            values, weights, kind="mean", sigma=sigma, rules=rules, **options, **bound
        )
    if chart == "ewma":
        return ewma_chart(values, L=sigma, **options, **bound)
    return cusum_chart(values, **options)


def _merged_diagnostics(phase_attrs: dict) -> dict:
    """Diagnostics of a one-phase chart, or the warnings of both phases (one per code)."""
    if len(phase_attrs) == 1:
        return next(iter(phase_attrs.values()))["diagnostics"]
    warnings, seen = [], set()
    for attrs in phase_attrs.values():
        for warning in attrs["diagnostics"]["warnings"]:
            if warning["code"] not in seen:
                seen.add(warning["code"])
                warnings.append(warning)
    return {
        "sigma_z": float("nan"),
        "lag1_autocorrelation": float("nan"),
        "n_limit_points": sum(a["diagnostics"]["n_limit_points"] for a in phase_attrs.values()),
        "warnings": warnings,
    }


#: Rounds of :func:`kpi_chart`'s ``revise``: limits recomputed at most this many times.
REVISE_ROUNDS = 5


def _beyond_limits(chart: pd.DataFrame) -> np.ndarray:
    """Points beyond a control limit: Nelson 1, or the EWMA/CUSUM limit rules."""
    beyond = ("nelson_1", "ewma", "cusum_upper", "cusum_lower")
    return np.array(
        [any(rule in beyond for rule in str(rules).split(",")) for rules in chart["rules"]],
        dtype=bool,
    )


def _revised(charted, result, phase_attrs, excluded, base):
    """Recompute the limits without the points beyond them, until none is added."""
    revised_out = np.zeros(len(result), dtype=bool)
    limit_points = int((base & ~excluded).sum())
    for _ in range(REVISE_ROUNDS):
        beyond = _beyond_limits(result) & base & ~excluded & ~revised_out
        if not beyond.any() or (revised_out | beyond).sum() > limit_points / 2:
            break
        try:
            candidate, candidate_attrs = charted(excluded | revised_out | beyond)
        except ChartInputError:
            break
        revised_out |= beyond
        result, phase_attrs = candidate, candidate_attrs
    return result, phase_attrs, revised_out


def kpi_chart(
    kpi_table: pd.DataFrame,
    kpi: str,
    *,
    chart: str | None = None,
    granularity: str = "day",
    rules=DEFAULT_RULES,
    baseline=None,
    exclude=None,
    sigma: float = 3.0,
    change=None,
    label: str | None = None,
    label_zh: str | None = None,
    unit: str = "",
    unit_zh: str | None = None,
    decimals: int = 1,
    laney: bool | str = "auto",
    revise: bool = False,
) -> pd.DataFrame:
    """The control chart of one KPI of a per-period KPI table, chosen as a manager needs it.

    Parameters
    ----------
    kpi_table : pandas.DataFrame
        One row per period, as ``ccmetrics.kpi.compute(frame, freq=..., keep_sums=True)``
        returns it: a ``period`` column, the KPI column, the n column behind it (e.g.
        ``sl_base`` for ``service_level``) and, for an Xbar-S chart of AHT or ASA, the sums
        and sums of squares (``handle_s_sum__sum``, ``handle_s_sq_sum__sum``; ``wait_s_*``).
    kpi : str
        The KPI column, e.g. "service_level", "aht_s", "offered".
    chart : {"p_prime", "p", "xbar_s", "xmr", "seasonal", "ewma", "cusum"}, optional
        Default: :func:`default_chart_for` (``kpi``, ``granularity``), falling back to "xmr"
        when the table lacks what that chart needs (e.g. no sums of squares for Xbar-S).
    granularity : {"interval", "day", "week"}, default "day"
        The period of one row (chooses the default chart; no seasonal chart per week).
    rules : sequence of str, default ("nelson_1", "anhoej")
        Rule ids, see :func:`run_rules` (EWMA and CUSUM use their own limits only).
    baseline, exclude : array-like of bool, optional
        One flag per row of ``kpi_table`` (in its order): rows that define the limits
        (default all) and rows left out of the limits (default none).
    sigma : float, default 3.0
        Width of the limits (L of the EWMA chart; the CUSUM keeps h = 4).
    change : date-like, optional
        A change date: limits are then computed separately for the rows before it and the
        rows at or after it, and ``attrs["improvement"]`` holds :func:`improvement_check`.
    label, label_zh, unit, unit_zh, decimals
        Passed to :func:`improvement_check` for its sentences (``label`` defaults to ``kpi``).
    laney : bool or "auto", default "auto"
        The Laney adjustment of the Xbar-S chart (see :func:`xbar_s_chart`): "auto" widens
        its limits by sigma_z when over-dispersion is detected (sigma_z > 1.5), per phase.
        Rates choose Laney by the chart id instead ("p_prime" or "p").
    revise : bool, default False
        Revised limits (Montgomery, section 6.3.1, phase I): points beyond the limits are
        left out of the limit computation and the limits recomputed, until no further
        point falls beyond them (at most :data:`REVISE_ROUNDS` rounds, and never more than
        half of the limit points left out). A one-day incident then no longer widens the
        limits that judge the other days. The points left out stay on the chart and keep
        their signal; ``attrs["revised_out"]`` lists them. Not for the seasonal chart: its
        limits per slot rest on a few same-weekday points each, and leaving one out
        removes a quarter of a four-week slot's baseline (on the sample's March an
        ordinary rain Wednesday then signalled).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``period`` (sorted), with the columns of the chart function (``value``,
        ``center``, ``lcl``, ``ucl``, ``signal``, ``rules``, ``baseline``, ``excluded``, ...)
        plus ``n`` (the n behind each value, NaN when the table has none) and ``phase``
        ("all", or "before"/"after" with ``change``). ``attrs``: ``kpi``, ``chart``,
        ``default_chart``, ``charts_available``, ``granularity``, ``kpi_class`` ("rate",
        "mean", "count", "other"), ``laney`` (True when the chart of a phase is
        Laney-adjusted: p', or an Xbar-S widened by sigma_z), ``lower_bound`` (0 or None), ``diagnostics`` (the chart's; with
        ``change`` the warnings of both phases), ``phase_attrs`` (each phase's chart attrs)
        ``improvement`` (an :class:`ImprovementCheck` or None) and ``revised_out`` (the
        periods ``revise`` left out of the limits, in time order).

    Notes
    -----
    Inputs per chart: p and Laney p' take x = value * n (every rate KPI is a numerator over
    its n, so this recovers the numerator whatever service-level formula made it) and n.
    Xbar-S takes the mean (the KPI), n and s = sqrt((S2 - n mean^2) / (n - 1)) with S2 the
    sum of squares (n >= 2). The seasonal chart is a proportion chart of x and n for rates,
    a count chart for volumes and an n-weighted mean chart otherwise. XmR, EWMA and CUSUM
    chart the KPI values. The improvement check is a two-proportion comparison of x and n
    for rates with an n, Welch's test of the period values otherwise.

    Every KPI of ``ccmetrics.kpi`` is non-negative (rates, seconds, scores, counts,
    occupancy), so the limits of the XmR, Xbar-S, EWMA and seasonal charts are clipped at
    ``lower_bound=0`` (p charts clip to [0, 1] anyway): an ASA chart never shows a lower
    limit of -12 s, and no point signals below an impossible limit.

    Examples
    --------
    >>> table = pd.DataFrame({
    ...     "period": pd.date_range("2025-03-03", periods=4, freq="D"),
    ...     "service_level": [0.2, 0.2, 0.2, 0.2], "sl_base": [40.0, 50.0, 30.0, 80.0]})
    >>> chart = kpi_chart(table, "service_level", chart="p")
    >>> chart.attrs["chart"], round(float(chart["ucl"].iloc[0]), 5)
    ('p', 0.38974)
    """
    if "period" not in kpi_table.columns:
        raise ChartInputError(
            "kpi_table needs a period column (ccmetrics.kpi.compute with freq=...)",
            "missing_column",
            column="period",
        )
    if kpi not in kpi_table.columns:
        raise ChartInputError(f"kpi_table has no column {kpi!r}", "missing_column", column=kpi)
    if granularity not in _GRANULARITIES:
        raise ChartInputError(
            f"granularity must be one of {_GRANULARITIES}",
            "bad_option",
            name="granularity",
            value=granularity,
        )
    periods = pd.DatetimeIndex(pd.to_datetime(kpi_table["period"]))
    if periods.has_duplicates:
        raise ChartInputError(
            "kpi_table must have one row per period (no group-by columns)", "duplicate_periods"
        )
    size = len(kpi_table)
    base = _mask(baseline, size, True, "baseline")
    excluded = _mask(exclude, size, False, "exclude")
    order = np.argsort(periods.to_numpy(), kind="stable")
    index = pd.DatetimeIndex(periods[order], name="period")
    base, excluded = base[order], excluded[order]
    value = _column(kpi_table, kpi)
    value = np.full(size, np.nan) if value is None else value[order]
    n = _column(kpi_table, kpis.KPI_BASE.get(kpi))
    has_n = n is not None
    n = n[order] if has_n else np.full(size, np.nan)
    kpi_class = _kpi_class(kpi)
    lower_bound = 0.0 if kpi in _NON_NEGATIVE_KPIS else None
    sd = None
    sums = [_column(kpi_table, name) for name in _KPI_SQUARES.get(kpi, (None, None))]
    has_squares = kpi_class == "mean" and has_n and all(s is not None for s in sums)
    if has_squares:
        total, squares = (s[order] for s in sums)
        with np.errstate(invalid="ignore", divide="ignore"):
            variance = (squares - total * value) / (n - 1.0)
            sd = np.where(n >= 2, np.sqrt(np.maximum(variance, 0.0)), np.nan)

    available = _charts_for(kpi_class, has_n, has_squares, granularity)
    default = default_chart_for(kpi, granularity)
    if default not in available:
        default = "xmr"
    chart = default if chart is None else chart
    if chart not in available:
        raise ChartInputError(
            f"a {chart!r} chart does not fit {kpi!r} here; choose from {available}",
            "chart_not_available",
            chart=chart,
            kpi=kpi,
            available=available,
        )

    if change is None:
        phases = {"all": np.ones(size, dtype=bool)}
    else:
        after = _after_mask(index, change)
        if after.all() or not after.any():
            raise ChartInputError("the change must leave points on both sides", "change_sides")
        phases = {"before": ~after, "after": after}

    def charted(left_out: np.ndarray) -> tuple[pd.DataFrame, dict]:
        parts, attrs_of = [], {}
        for name, mask in phases.items():
            part = _kpi_phase_chart(
                chart,
                index[mask],
                value[mask],
                n[mask],
                None if sd is None else sd[mask],
                kpi_class,
                rules=rules,
                baseline=base[mask],
                exclude=left_out[mask],
                sigma=sigma,
                laney=laney,
                lower_bound=lower_bound,
            )
            part.index = index[mask]
            if "n" not in part.columns:
                part.insert(1, "n", n[mask])
            attrs_of[name] = dict(part.attrs)
            parts.append(part.assign(phase=name))
        frame = pd.concat(parts) if len(parts) > 1 else parts[0]
        frame.index.name = "period"
        return frame, attrs_of

    result, phase_attrs = charted(excluded)
    revised_out = np.zeros(size, dtype=bool)
    if revise and chart != "seasonal":
        result, phase_attrs, revised_out = _revised(charted, result, phase_attrs, excluded, base)

    improvement = None
    if change is not None:
        options = {
            "change": change,
            "label": kpi if label is None else label,
            "label_zh": label_zh,
            "unit": unit,
            "unit_zh": unit_zh,
            "decimals": decimals,
            "rules": rules,
        }
        values = pd.Series(value, index=index)
        if kpi_class == "rate" and has_n:
            counts = pd.Series(np.clip(value * n, 0.0, n), index=index)
            improvement = improvement_check(counts, n, kind="proportion", **options)
        else:
            improvement = improvement_check(values, kind="mean", **options)
    result.attrs = {
        "kpi": kpi,
        "chart": chart,
        "default_chart": default,
        "charts_available": available,
        "granularity": granularity,
        "kpi_class": kpi_class,
        "laney": any(bool(a.get("laney")) for a in phase_attrs.values()),
        "lower_bound": lower_bound,
        "diagnostics": _merged_diagnostics(phase_attrs),
        "phase_attrs": phase_attrs,
        "improvement": improvement,
        "revised_out": list(index[revised_out]),
    }
    return result


# --------------------------------------------------------------------------------------------
# Reading a chart: signal episodes, severity, capability, the verdict, the signal map
# --------------------------------------------------------------------------------------------

#: Rules that fire on a pattern of several points (a run, a trend, a zone count): a signal
#: episode holding one of them is a sustained shift, not a one-period incident.
PATTERN_RULES = frozenset(
    {"anhoej", "nelson_2", "nelson_3", "nelson_4", "nelson_5", "nelson_6", "nelson_7", "nelson_8"}
)
#: Signals of one episode from which it counts as a sustained shift even without a run rule.
SHIFT_MIN_SIGNALS = 3
EPISODE_COLUMNS = (
    "kind",
    "direction",
    "start",
    "end",
    "first_signal",
    "n_signals",
    "n_points",
    "peak",
    "peak_value",
    "peak_center",
    "severity",
    "rules",
)
VERDICTS = ("signals", "shift", "stable_misses_target", "stable_meets_target", "stable")


def severity(chart: pd.DataFrame) -> pd.Series:
    """How far each point lies from the center line, in standard errors: |z|.

    Parameters
    ----------
    chart : pandas.DataFrame
        A chart of this module (``value``, ``center``, ``ucl``, and ``z`` where the chart has it).

    Returns
    -------
    pandas.Series
        |z| per point, same index; NaN where the point has no limits.

    Notes
    -----
    Charts with a ``z`` column (p, p', u, c, XmR, Xbar-S, seasonal) use it; EWMA and CUSUM
    charts have none, so z = (value - center) / ((ucl - center) / nsigmas), the distance in
    units of their own limit width.
    """
    if "z" in chart.columns:
        z = pd.to_numeric(chart["z"], errors="coerce")
    else:
        nsigmas = float(chart.attrs.get("nsigmas", 3.0)) or 3.0
        with np.errstate(invalid="ignore", divide="ignore"):
            z = (chart["value"] - chart["center"]) / ((chart["ucl"] - chart["center"]) / nsigmas)
    return z.abs().astype(float)


def signals_by_severity(chart: pd.DataFrame) -> pd.DataFrame:
    """The signal points of a chart, most severe first.

    Returns
    -------
    pandas.DataFrame
        The chart's rows with ``signal`` True plus ``severity`` (:func:`severity`), sorted by
        severity (descending; NaN last), then by time.
    """
    flagged = chart[chart["signal"].to_numpy(dtype=bool)].copy()
    flagged["severity"] = severity(chart)[chart["signal"].to_numpy(dtype=bool)]
    flagged["_order"] = np.arange(len(flagged))
    flagged = flagged.sort_values(
        ["severity", "_order"], ascending=[False, True], na_position="last"
    )
    return flagged.drop(columns="_order")


def _sides(chart: pd.DataFrame) -> np.ndarray:
    """+1 above the center line, -1 below, 0 on it or without a value."""
    with np.errstate(invalid="ignore"):
        side = np.sign(chart["value"].to_numpy(dtype=float) - chart["center"].to_numpy(dtype=float))
    return np.nan_to_num(side, nan=0.0)


def signal_episodes(chart: pd.DataFrame) -> pd.DataFrame:
    """The signals of a chart grouped into findings: one per incident or sustained shift.

    Parameters
    ----------
    chart : pandas.DataFrame
        A chart of this module or of :func:`kpi_chart` (a ``phase`` column keeps episodes
        within one phase).

    Returns
    -------
    pandas.DataFrame
        One row per episode, most severe first (:data:`EPISODE_COLUMNS`): ``kind`` ("point":
        a one-period incident, "shift": a sustained shift), ``direction`` ("above" or
        "below" the center line), ``start`` (first period of the shift: where the run on
        that side began; the point itself for "point"), ``end`` (last signal),
        ``first_signal``, ``n_signals``, ``n_points`` (periods from start to end), ``peak``
        (the most severe point), ``peak_value``, ``peak_center``, ``severity`` (|z| at the
        peak, :func:`severity`) and ``rules`` (every rule that fired, comma-separated).

    Notes
    -----
    Two signals on the same side of the center line belong to one episode when every
    point between them lies on that side too (no crossing of the center line in between)
    and they are in the same phase. An episode is a shift when a pattern rule
    (:data:`PATTERN_RULES`: a run, a trend) fired in it or it holds at least
    :data:`SHIFT_MIN_SIGNALS` signals; otherwise each of its signals is a one-period
    incident of its own. A shift starts where its run on that side starts: from the first
    signal back while the earlier points lie on the same side.

    A step in the middle of the chart makes two runs, the old level on one side of the
    center line and the new one on the other; when the first run ends where the second
    begins, only the second (the change, from its start date) is kept.

    A runs analysis (Anhøj) can signal through too few crossings of the center line
    without flagging a point; the chart then has a shift nonetheless: the longest run of
    points on one side, when ``attrs["anhoej"]["runs_signal"]`` is True (the attrs of one
    phase, or of each phase in ``attrs["phase_attrs"]``) and no point of that run is flagged.
    """
    sides = _sides(chart)
    signal = chart["signal"].to_numpy(dtype=bool)
    phases = chart["phase"].to_numpy() if "phase" in chart.columns else np.zeros(len(chart))
    rules = [str(r) for r in chart["rules"]]
    z = severity(chart).to_numpy(dtype=float)
    groups: list[list[int]] = []
    for position in np.flatnonzero(signal):
        if groups:
            last = groups[-1][-1]
            between = sides[last + 1 : position]
            same = (
                sides[position] == sides[last]
                and sides[position] != 0
                and phases[position] == phases[last]
                and bool((between == sides[position]).all())
            )
            if same:
                groups[-1].append(position)
                continue
        groups.append([position])

    rows = []
    for group in groups:
        fired = sorted({rule for p in group for rule in rules[p].split(",") if rule})
        is_shift = bool(PATTERN_RULES & set(fired)) or len(group) >= SHIFT_MIN_SIGNALS
        if not is_shift:
            for p in group:
                rows.append(_episode_row(chart, "point", [p], p, sides, z, rules[p].split(",")))
            continue
        start = group[0]
        while (
            start > 0
            and sides[start - 1] == sides[group[0]]
            and phases[start - 1] == phases[group[0]]
        ):
            start -= 1
        rows.append(_episode_row(chart, "shift", group, start, sides, z, fired))

    flagged_any = signal.any()
    for phase_name, runs in _runs_results(chart):
        if not runs or not runs.get("runs_signal"):
            continue
        in_phase = phases == phase_name if "phase" in chart.columns else np.ones(len(chart), bool)
        start, stop = _longest_run(np.where(in_phase, sides, 0.0))
        if start is None or (flagged_any and signal[start:stop].any()):
            continue
        positions = list(range(start, stop))
        peak_positions = [p for p in positions if np.isfinite(z[p])] or positions
        rows.append(
            _episode_row(chart, "shift", peak_positions, start, sides, z, ["anhoej"], stop - 1)
        )
    rows = _one_row_per_step(rows, chart, sides, phases)
    table = pd.DataFrame(rows, columns=list(EPISODE_COLUMNS))
    if table.empty:
        return table
    table = table.sort_values(["severity", "start"], ascending=[False, True], na_position="last")
    return table.reset_index(drop=True)


def _one_row_per_step(rows: list[dict], chart: pd.DataFrame, sides, phases) -> list[dict]:
    """Drop the shift that only shows the level before a step.

    A step in the middle of a chart puts the center line between the two levels: the
    points before it run on one side, those after it on the other, and both runs signal.
    When a shift's run ends right where a shift in the other direction begins (same
    phase), they are one step, and the later one is the change: the earlier is dropped.
    """
    position = {stamp: i for i, stamp in enumerate(chart.index)}
    shifts = sorted(
        (row for row in rows if row["kind"] == "shift"), key=lambda row: position[row["start"]]
    )
    dropped = set()
    for before, after in zip(shifts, shifts[1:], strict=False):
        if before["direction"] == after["direction"]:
            continue
        run_end = position[before["end"]]
        side = sides[run_end]
        while (
            run_end + 1 < len(sides)
            and sides[run_end + 1] == side
            and phases[run_end + 1] == phases[run_end]
        ):
            run_end += 1
        start = position[after["start"]]
        if run_end + 1 == start and phases[start] == phases[run_end]:
            dropped.add(id(before))
    return [row for row in rows if id(row) not in dropped]


def _runs_results(chart: pd.DataFrame) -> list[tuple[object, dict | None]]:
    phase_attrs = chart.attrs.get("phase_attrs")
    if phase_attrs:
        return [(name, attrs.get("anhoej")) for name, attrs in phase_attrs.items()]
    return [(0.0, chart.attrs.get("anhoej"))]


def _longest_run(sides: np.ndarray) -> tuple[int | None, int | None]:
    """[start, stop) of the longest run of equal non-zero signs (zeros are skipped)."""
    best, best_length = (None, None), 0
    start, length, sign = None, 0, 0.0
    last_index = None
    for position, side in enumerate(sides):
        if side == 0:
            continue
        if side != sign:
            start, length, sign = position, 0, side
        length += 1
        last_index = position
        if length > best_length:
            best, best_length = (start, last_index + 1), length
    return best


def _episode_row(chart, kind, group, start, sides, z, fired, end=None) -> dict:
    finite = [p for p in group if np.isfinite(z[p])]
    peak = max(finite, key=lambda p: z[p]) if finite else group[0]
    end = group[-1] if end is None else end
    return {
        "kind": kind,
        "direction": "above" if sides[group[0]] > 0 else "below",
        "start": chart.index[start],
        "end": chart.index[end],
        "first_signal": chart.index[group[0]],
        "n_signals": int(chart["signal"].iloc[start : end + 1].sum()) if kind == "shift" else 1,
        "n_points": int(end - start + 1),
        "peak": chart.index[peak],
        "peak_value": float(chart["value"].iloc[peak]),
        "peak_center": float(chart["center"].iloc[peak]),
        "severity": float(z[peak]),
        "rules": ",".join(rule for rule in fired if rule),
    }


def capability(
    chart: pd.DataFrame, *, target: float | None = None, higher_is_better: bool = True
) -> dict:
    """Where a process sits and how much it varies, against a target: its capability.

    Parameters
    ----------
    chart : pandas.DataFrame
        A chart of this module.
    target : float, optional
        The target of the KPI in its own units (e.g. 0.8 for an 80 % service level).
    higher_is_better : bool, default True
        Whether meeting the target means being at or above it.

    Returns
    -------
    dict
        ``level`` (mean of the points without a signal), ``spread`` (their standard
        deviation from moving ranges, MR-bar / 1.128), ``low`` and ``high`` (level -/+ 2
        spread: where about 95 % of ordinary periods fall), ``n_points`` (the points used),
        ``target``, ``gap`` (level - target, NaN without target), ``meets_target`` (bool or
        None without target) and ``share_meeting`` (the share of periods expected to meet
        the target under a normal model, NaN without target).

    Notes
    -----
    The points used are those without a signal and not left out of the limits
    (``excluded``), so that an incident does not widen the spread. The spread is the
    period-to-period variation the manager sees (the XmR sigma of the plotted values), not
    the binomial standard error of one period:

    spread = mean(|x_i - x_{i-1}|) / d2,  d2 = 1.128
    share_meeting = Phi((level - target) / spread) when higher is better,
    Phi((target - level) / spread) otherwise.
    """
    used = ~chart["signal"].to_numpy(dtype=bool)
    if "excluded" in chart.columns:
        used &= ~chart["excluded"].to_numpy(dtype=bool)
    values = chart["value"].to_numpy(dtype=float)[used]
    values = values[np.isfinite(values)]
    level = float(values.mean()) if values.size else float("nan")
    spread = _sigma_from_moving_ranges(values) if values.size >= 2 else float("nan")
    gap = share = float("nan")
    meets = None
    if target is not None and np.isfinite(level):
        gap = level - float(target)
        meets = bool(gap >= 0) if higher_is_better else bool(gap <= 0)
        if np.isfinite(spread) and spread > 0:
            share = float(stats.norm.cdf((gap if higher_is_better else -gap) / spread))
        else:
            share = 1.0 if meets else 0.0
    return {
        "level": level,
        "spread": float(spread),
        "low": level - 2.0 * spread,
        "high": level + 2.0 * spread,
        "n_points": int(values.size),
        "target": float("nan") if target is None else float(target),
        "gap": gap,
        "meets_target": meets,
        "share_meeting": share,
    }


def chart_verdict(
    chart: pd.DataFrame, *, target: float | None = None, higher_is_better: bool = True
) -> dict:
    """The one thing a chart says, as a code and the numbers behind it.

    Parameters
    ----------
    chart : pandas.DataFrame
        A chart of this module or of :func:`kpi_chart`.
    target, higher_is_better
        See :func:`capability`.

    Returns
    -------
    dict
        ``code`` (one of :data:`VERDICTS`), ``episodes`` (:func:`signal_episodes`),
        ``shifts`` and ``incidents`` (how many episodes of each kind) and ``capability``
        (:func:`capability`).

    Notes
    -----
    One verdict, so a chart never says two contradictory things: "shift" when the chart
    holds a sustained shift (a run or at least :data:`SHIFT_MIN_SIGNALS` signals on one
    side, or an Anhøj runs signal), else "signals" when it holds one-period incidents,
    else the process is stable and the verdict is about capability: "stable_misses_target"
    (its level is on the wrong side of the target: the process, not a day, is the
    problem), "stable_meets_target" or "stable" (no target).
    """
    episodes = signal_episodes(chart)
    shifts = int((episodes["kind"] == "shift").sum()) if not episodes.empty else 0
    incidents = int((episodes["kind"] == "point").sum()) if not episodes.empty else 0
    found = capability(chart, target=target, higher_is_better=higher_is_better)
    if shifts:
        code = "shift"
    elif incidents:
        code = "signals"
    elif found["meets_target"] is None:
        code = "stable"
    else:
        code = "stable_meets_target" if found["meets_target"] else "stable_misses_target"
    return {
        "code": code,
        "episodes": episodes,
        "shifts": shifts,
        "incidents": incidents,
        "capability": found,
    }


def signal_map(chart: pd.DataFrame) -> pd.DataFrame:
    """A day x time-of-day grid of an interval chart: where in the week the signals sit.

    Parameters
    ----------
    chart : pandas.DataFrame
        A chart whose index holds interval start times (e.g. 30-minute periods).

    Returns
    -------
    pandas.DataFrame
        One row per point: ``day`` (the date, Timestamp at midnight), ``slot`` ("HH:MM"
        start of the interval), ``value``, ``center``, ``z`` (signed: (value - center) in
        standard errors, see :func:`severity`), ``severity`` (|z|), ``signal`` and
        ``direction`` ("above", "below" or "" on the line).
    """
    stamps = pd.DatetimeIndex(chart.index)
    size = severity(chart).to_numpy(dtype=float)
    sides = _sides(chart)
    return pd.DataFrame(
        {
            "day": stamps.normalize(),
            "slot": stamps.strftime("%H:%M"),
            "value": chart["value"].to_numpy(dtype=float),
            "center": chart["center"].to_numpy(dtype=float),
            "z": size * sides,
            "severity": size,
            "signal": chart["signal"].to_numpy(dtype=bool),
            "direction": np.where(sides > 0, "above", np.where(sides < 0, "below", "")),
        }
    )
