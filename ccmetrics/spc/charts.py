"""The control charts: p, u, c, XmR, Xbar-S, EWMA and CUSUM."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ccmetrics.spc.base import (
    _OVERDISPERSION_WARN,
    D2_MOVING_RANGE,
    D4_MOVING_RANGE,
    DEFAULT_RULES,
    ChartInputError,
    _aligned,
    _check_rules,
    _diagnostics,
    _mask,
    _series_values,
    _sigma_from_moving_ranges,
    c4,
)
from ccmetrics.spc.rules import _rule_table

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


def _limit_points(valid: np.ndarray, baseline, exclude):
    """The points the limits rest on: valid, in the baseline and not excluded.

    Returns ``base``, ``excluded`` and ``used`` (boolean arrays); raises
    :class:`ChartInputError` ``no_limit_points`` when no point is left.
    """
    base = _mask(baseline, valid.size, True, "baseline")
    excluded = _mask(exclude, valid.size, False, "exclude")
    used = valid & base & ~excluded
    if not used.any():
        raise ChartInputError("no point is left to compute the limits", "no_limit_points")
    return base, excluded, used


def _rates(counts: np.ndarray, sizes: np.ndarray, valid: np.ndarray, used: np.ndarray):
    """Per-point rates counts / sizes (missing where not valid) and the pooled rate over ``used``."""
    with np.errstate(invalid="ignore", divide="ignore"):
        value = np.where(valid, counts / sizes, np.nan)
    return value, float(counts[used].sum() / sizes[used].sum())


def _individual_points(values, baseline, exclude):
    """The values of an individuals chart (XmR, EWMA, CUSUM) and the points behind its limits.

    Returns
    -------
    tuple
        ``v`` (float array), ``index``, ``valid`` (finite values), then ``base``,
        ``excluded`` and ``used`` of :func:`_limit_points` (which raises when none is left).
    """
    v, index = _series_values(values, "values")
    valid = np.isfinite(v)
    return v, index, valid, *_limit_points(valid, baseline, exclude)


def _individuals_diagnostics(limit_values: np.ndarray, chart: str) -> dict:
    """Diagnostics of a chart of individual values (no over-dispersion test applies)."""
    return _diagnostics(
        limit_values, sigma_z=float("nan"), overdispersion_applies=False, laney=False, chart=chart
    )


def _statistic_frame(
    index: pd.Index,
    columns: dict,
    *,
    base: np.ndarray,
    excluded: np.ndarray,
    fired: np.ndarray,
    rule_ids: list[str],
    nsigmas: float,
    limit_values: np.ndarray,
    attrs: dict,
) -> pd.DataFrame:
    """The frame of a chart of a running statistic (EWMA, CUSUM) with its attrs.

    ``columns`` come first (value, observed, the statistic's own, center, limits), then
    ``baseline``, ``excluded``, ``signal`` (a rule fired) and ``rules`` (the ids that fired,
    comma-separated). ``attrs`` gain ``nsigmas``, ``rule_ids``, ``anhoej`` (None: the runs
    analysis reads raw values, not a running statistic) and ``diagnostics``.
    """
    frame = pd.DataFrame(
        {
            **columns,
            "baseline": base,
            "excluded": excluded,
            "signal": fired != "",
            "rules": pd.array(fired, dtype="str"),
        },
        index=index,
    )
    frame.attrs.update(
        {
            **attrs,
            "nsigmas": nsigmas,
            "rule_ids": rule_ids,
            "anhoej": None,
            "diagnostics": _individuals_diagnostics(limit_values, attrs["chart"]),
        }
    )
    return frame


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
    base, excluded, used = _limit_points(valid, baseline, exclude)
    value, center = _rates(counts, sizes, valid, used)
    with np.errstate(invalid="ignore", divide="ignore"):
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
    base, excluded, used = _limit_points(valid, baseline, exclude)
    value, center = _rates(counts, sizes, valid, used)
    with np.errstate(invalid="ignore", divide="ignore"):
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
    base, excluded, used = _limit_points(valid, baseline, exclude)
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
    v, index, valid, base, excluded, used = _individual_points(values, baseline, exclude)
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
    attrs = {
        "chart": "xmr",
        "center": center,
        "sigma_hat": sigma_hat,
        "mr_bar": mr_bar,
        "lower_bound": lower_bound,
        "diagnostics": _individuals_diagnostics(limit_values, "xmr"),
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
    v, index, valid, base, excluded, used = _individual_points(values, baseline, exclude)
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
    return _statistic_frame(
        index,
        {"value": statistic, "observed": v, "center": target, "lcl": lcl, "ucl": ucl, "se": se},
        base=base,
        excluded=excluded,
        fired=np.where(signal, "ewma", ""),
        rule_ids=["ewma"],
        nsigmas=L,
        limit_values=v[used],
        attrs={"chart": "ewma", "center": target, "sigma_hat": sigma_hat, "lam": lam, "L": L},
    )


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
    v, index, valid, base, excluded, used = _individual_points(values, baseline, exclude)
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
    return _statistic_frame(
        index,
        {
            "value": np.where(upper >= -lower, upper, lower),
            "observed": v,
            "cusum_upper": upper,
            "cusum_lower": lower,
            "center": 0.0,
            "lcl": -h,
            "ucl": h,
        },
        base=base,
        excluded=excluded,
        fired=fired,
        rule_ids=["cusum_upper", "cusum_lower"],
        nsigmas=h,
        limit_values=v[used],
        attrs={
            "chart": "cusum",
            "center": 0.0,
            "target": target,
            "sigma_hat": sigma_hat,
            "k": k,
            "h": h,
        },
    )
