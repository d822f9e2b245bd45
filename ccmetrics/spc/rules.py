"""The run rules: Nelson 1-8 (as R qcc) and the Anhøj runs analysis (as qicharts2)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ccmetrics.spc.base import NELSON_RULES, _aligned, _check_rules, _series_values

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
