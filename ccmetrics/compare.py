"""Fair comparison of teams and agents: funnel plots, shrinkage, gaps, post-hoc tests, QA vs CSAT.

League tables rank agents on noise. The functions here say which units really
differ once the number of calls behind each value is taken into account:

* :func:`funnel` — each unit against the centre with control limits for its n
  (exact binomial with Spiegelhalter's interpolation, Wilson, or normal), the
  over-dispersion test of Spiegelhalter (2005) and, when present, limits
  widened by the additive random-effects variance τ²; an optional case-mix
  adjustment (indirect standardisation within strata such as call category).
* :func:`shrink` — empirical-Bayes estimates (beta-binomial fitted by maximum
  marginal likelihood for proportions, normal-normal for means) with credible
  intervals, the shrinkage weight and simulated rank intervals.
* :func:`gaps` — each unit's gap to its team or centre average, indicator by
  indicator, with a z-score that says whether the gap is beyond noise.
* :func:`differences` — an omnibus test (Welch ANOVA, Kruskal–Wallis, or a
  chi-square test for proportions) and pairwise post-hoc tests (Games–Howell,
  Dunn with Holm's adjustment, two-proportion z-tests with Holm's adjustment)
  with effect sizes.
* :func:`qa_vs_csat` — does the QA score agree with the customer's rating?
  Call-level Spearman correlation with a confidence interval, agent-level
  correlation corrected for the unreliability of small samples (ICC,
  Spearman–Brown, correction for attenuation), and per-item correlations.

Metrics are the KPI names of :mod:`ccmetrics.kpi`: proportions
(:data:`PROPORTION_METRICS`, numerator and denominator from
:func:`ccmetrics.kpi.compute`) and means (:data:`MEAN_METRICS`, per-call values
from the canonical columns with the definitions of :func:`ccmetrics.cube.call_measures`).
Plain-language conclusions are returned as ``{"en": ..., "zh": ...}``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from ccmetrics import kpis
from ccmetrics.i18n import t
from ccmetrics.kpi import KPI_BASE, compute
from ccmetrics.multitest import holm
from ccmetrics.schema import KpiSettings

__all__ = [
    "PROPORTION_METRICS",
    "MEAN_METRICS",
    "METRICS",
    "HIGHER_IS_BETTER",
    "level_suffix",
    "call_values",
    "unit_summary",
    "funnel_limits",
    "overdispersion_test",
    "funnel",
    "fit_beta_binomial",
    "shrink_normal",
    "shrink",
    "gaps",
    "welch_anova",
    "games_howell",
    "kruskal_wallis",
    "dunn",
    "differences",
    "icc_oneway",
    "spearman_brown",
    "spearman_ci",
    "qa_vs_csat",
]

#: Every metric the module compares: the proportions of :func:`ccmetrics.kpi.compute` and
#: the means of a per-call value that :func:`call_values` gives.
METRICS = (
    "service_level",
    "answer_rate",
    "abandon_rate",
    "transfer_rate",
    "fcr_rate",
    "csat_top2box",
    "aht_s",
    "talk_s",
    "asa_s",
    "csat_mean",
    "qa_mean",
)
#: Proportion KPIs: numerator / denominator counts from :func:`ccmetrics.kpi.compute`.
PROPORTION_METRICS = kpis.kpis_of_kind("proportion", among=METRICS)
#: Mean KPIs: the mean of a per-call value (:func:`call_values`).
MEAN_METRICS = kpis.kpis_of_kind("mean", among=METRICS)
#: Direction of "better" for each metric (True: higher is better), from the KPI registry.
#: Handle and waiting times, abandons and transfers are better when lower.
HIGHER_IS_BETTER = {metric: kpis.KPIS[metric].higher_is_better for metric in METRICS}

_OVERDISPERSION_MODES = ("auto", "additive", "none")
_FUNNEL_METHODS = ("exact", "wilson", "normal")


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def _kind(metric: str) -> str:
    if metric in PROPORTION_METRICS:
        return "proportion"
    if metric in MEAN_METRICS:
        return "mean"
    raise ValueError(f"unknown metric {metric!r}: choose one of {METRICS}")


def _columns(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def _check_columns(frame: pd.DataFrame, columns: list[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"the data has no column {missing} (it has {list(frame.columns)})")


def level_suffix(level: float) -> str:
    """Column suffix of a confidence level: 0.95 -> "95", 0.998 -> "99_8".

    Parameters
    ----------
    level : float
        A two-sided level strictly between 0 and 1.

    Returns
    -------
    str
        ``100 * level`` without trailing zeros, the decimal point written "_".

    Examples
    --------
    >>> level_suffix(0.95), level_suffix(0.998)
    ('95', '99_8')
    """
    if not 0 < level < 1:
        raise ValueError(f"a level must be between 0 and 1, not {level}")
    text = f"{100 * level:.6f}".rstrip("0").rstrip(".")
    return text.replace(".", "_")


def _z(level: float) -> float:
    """Two-sided standard normal quantile of a level (0.95 -> 1.96)."""
    return float(stats.norm.ppf(0.5 + level / 2))


def _label(metric: str, lang: str) -> str:
    return t(f"kpi.{metric}", lang)


def _dimension(column: str, lang: str) -> str:
    """Display name of a dimension column ("team" -> "Team" / "班组"), else the column name."""
    try:
        return t(f"dim.{column}", lang)
    except KeyError:
        return column


def _names(values, limit: int = 8) -> str:
    values = [str(v) for v in values]
    if len(values) > limit:
        return ", ".join(values[:limit]) + f", … (+{len(values) - limit})"
    return ", ".join(values)


# ---------------------------------------------------------------------------
# per-unit inputs
# ---------------------------------------------------------------------------


def call_values(frame: pd.DataFrame, metric: str) -> pd.Series:
    """The per-call value whose mean is a mean KPI (NaN where the call does not count).

    Parameters
    ----------
    frame : DataFrame
        Canonical calls.
    metric : str
        One of :data:`MEAN_METRICS`.

    Returns
    -------
    Series of float
        Same index as ``frame``; the KPI of any group is the mean of the
        non-missing values of its calls.

    Notes
    -----
    Definitions of :func:`ccmetrics.cube.call_measures`: ``aht_s`` is
    talk + hold + ACW of an answered call with a known talk time (a missing
    hold or ACW counts as 0 s); ``talk_s`` the talk time of the same calls;
    ``asa_s`` the wait of an answered call; ``csat_mean`` the rating of a rated
    call; ``qa_mean`` the score of an evaluated call.

    Examples
    --------
    >>> calls = pd.DataFrame({"answered": [True, False], "talk_s": [100.0, np.nan],
    ...                       "acw_s": [20.0, np.nan]})
    >>> call_values(calls, "aht_s").tolist()
    [120.0, nan]
    """
    if metric not in MEAN_METRICS:
        raise ValueError(f"{metric!r} is not a mean metric: choose one of {MEAN_METRICS}")

    def numbers(column: str) -> np.ndarray:
        if column not in frame.columns:
            return np.full(len(frame), np.nan)
        values = pd.to_numeric(frame[column], errors="coerce")
        return values.to_numpy(dtype=float, na_value=np.nan)

    if metric in ("aht_s", "talk_s", "asa_s"):
        if "answered" not in frame.columns:
            raise ValueError(f"{metric} needs the 'answered' column")
        answered = frame["answered"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    if metric in ("aht_s", "talk_s"):
        if "talk_s" not in frame.columns:
            raise ValueError(f"{metric} needs the 'talk_s' column")
        talk = numbers("talk_s")
        handled = answered & ~np.isnan(talk)
        if metric == "talk_s":
            values = np.where(handled, talk, np.nan)
        else:
            extra = np.nan_to_num(numbers("hold_s")) + np.nan_to_num(numbers("acw_s"))
            values = np.where(handled, talk + extra, np.nan)
    elif metric == "asa_s":
        _check_columns(frame, ["wait_s"])
        values = np.where(answered, numbers("wait_s"), np.nan)
    elif metric == "csat_mean":
        _check_columns(frame, ["csat"])
        values = numbers("csat")
    else:
        _check_columns(frame, ["qa_score"])
        values = numbers("qa_score")
    return pd.Series(values, index=frame.index, name=metric)


def unit_summary(
    frame: pd.DataFrame,
    by: str | list[str],
    metric: str,
    settings: KpiSettings | None = None,
) -> pd.DataFrame:
    """n, value and the sufficient statistics of a metric per unit.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls (means need call-level data; proportions also accept
        canonical intervals or a cube).
    by : str or list of str
        Unit column(s).
    metric : str
        One of :data:`METRICS`.
    settings : KpiSettings, optional

    Returns
    -------
    DataFrame
        The ``by`` columns, ``n`` (the calls the value rests on) and ``value``;
        for proportions ``successes`` (= value × n); for means ``total`` (sum of
        the call values) and ``sum_sq`` (sum of squared deviations from the
        unit mean). Units with n = 0 are left out.

    Notes
    -----
    Proportions use :func:`ccmetrics.kpi.compute` with the n column of
    :data:`ccmetrics.kpi.KPI_BASE`, so the definitions (service-level formula,
    short abandons, FCR window) are those of the KPI engine.
    """
    keys = _columns(by)
    _check_columns(frame, keys)
    kind = _kind(metric)
    if kind == "proportion":
        table = compute(frame, by=keys, settings=settings)
        n = table[KPI_BASE[metric]].to_numpy(dtype=float)
        value = table[metric].to_numpy(dtype=float)
        keep = (n > 0) & np.isfinite(value)
        out = table.loc[keep, keys].reset_index(drop=True)
        out["n"] = n[keep]
        out["value"] = value[keep]
        out["successes"] = np.rint(value[keep] * n[keep])
        return out
    values = call_values(frame, metric)
    data = frame[keys].assign(_value=values.to_numpy())
    data = data[np.isfinite(data["_value"].to_numpy(dtype=float))]
    data = data.assign(_square=data["_value"] ** 2)
    grouped = data.groupby(keys, observed=True, sort=True)
    sums = grouped[["_value", "_square"]].sum()
    counts = grouped["_value"].size()
    out = sums.reset_index()
    out["n"] = counts.to_numpy(dtype=float)
    out["total"] = out.pop("_value")
    square = out.pop("_square")
    out["value"] = out["total"] / out["n"]
    out["sum_sq"] = np.maximum(square - out["total"] ** 2 / out["n"], 0.0)
    out = out[out["n"] > 0].reset_index(drop=True)
    return out[[*keys, "n", "value", "total", "sum_sq"]]


def _pooled_variance(summary: pd.DataFrame) -> float:
    """Within-unit variance pooled over units: Σ sum_sq / (N − I)."""
    dof = summary["n"].sum() - len(summary)
    if dof <= 0:
        return float("nan")
    return float(summary["sum_sq"].sum() / dof)


# ---------------------------------------------------------------------------
# funnel plots
# ---------------------------------------------------------------------------


def _exact_binomial_limit(target: float, n: np.ndarray, probability: float) -> np.ndarray:
    """Spiegelhalter's interpolated binomial quantile, as a proportion."""
    n = np.asarray(n, dtype=float)
    r = stats.binom.ppf(probability, n, target)
    cdf_r = stats.binom.cdf(r, n, target)
    cdf_below = stats.binom.cdf(r - 1, n, target)
    step = cdf_r - cdf_below
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(step > 0, (cdf_r - probability) / step, 0.0)
    return np.clip((r - alpha) / n, 0.0, 1.0)


def _wilson_limits(target: float, n: np.ndarray, z: float) -> tuple[np.ndarray, np.ndarray]:
    """Proportions whose Wilson score interval just reaches the target."""
    n = np.asarray(n, dtype=float)
    c = z**2 / n
    a = target + c * (target - 0.5)
    qa = 1 + c
    qb = -(2 * a + c)
    qc = a**2 - c**2 / 4
    root = np.sqrt(np.maximum(qb**2 - 4 * qa * qc, 0.0))
    lower = (-qb - root) / (2 * qa)
    upper = (-qb + root) / (2 * qa)
    return np.clip(lower, 0.0, 1.0), np.clip(upper, 0.0, 1.0)


def funnel_limits(
    target: float,
    n,
    *,
    kind: str = "proportion",
    levels=(0.95, 0.998),
    method: str = "exact",
    sigma: float | None = None,
    tau2: float = 0.0,
    se=None,
) -> pd.DataFrame:
    """Funnel-plot control limits around a target for given sample sizes.

    Parameters
    ----------
    target : float
        θ0, the centre line (a proportion for ``kind="proportion"``).
    n : array-like
        Sample sizes (calls) at which to compute the limits.
    kind : {"proportion", "mean"}
    levels : sequence of float, default (0.95, 0.998)
        Two-sided coverage of each pair of limits.
    method : {"exact", "wilson", "normal"}, default "exact"
        Proportions only: exact binomial quantiles with Spiegelhalter's
        interpolation, inverted Wilson score limits (the PHE/UKHSA Fingertips
        method), or the normal approximation. Means always use the normal.
    sigma : float, optional
        The call-level standard deviation (required for means).
    tau2 : float, default 0
        Additive between-unit variance; when positive the limits are
        ``θ0 ± z √(s² + τ²)`` whatever the method.
    se : array-like, optional
        Standard errors that replace ``√(θ0(1−θ0)/n)`` or ``σ/√n`` (case-mix
        adjusted comparisons); implies normal limits.

    Returns
    -------
    DataFrame
        ``n`` and, per level, ``lower_<l>`` and ``upper_<l>`` with ``<l>`` from
        :func:`level_suffix`. Proportion limits are clipped to [0, 1].

    Notes
    -----
    Exact (Spiegelhalter 2005, appendix): with F the Binomial(n, θ0) cdf and
    p = (1 − level)/2 or 1 − (1 − level)/2, let r be the smallest count with
    F(r) ≥ p; the limit is (r − α)/n with α = (F(r) − p)/(F(r) − F(r − 1)).
    Wilson: the limit is the proportion y whose Wilson score interval at n has
    θ0 as its end point, the root of
    ``(1 + z²/n) y² − (2a + z²/n) y + a² − z⁴/(4n²) = 0`` with
    ``a = θ0 + (z²/n)(θ0 − ½)``. Normal: ``θ0 ± z s``.

    References
    ----------
    Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional
    performance. Statistics in Medicine 24(8), 1185–1202.

    Examples
    --------
    >>> limits = funnel_limits(0.5, [10], levels=(0.95,), method="normal")
    >>> round(float(limits["upper_95"].iloc[0]), 4)  # 0.5 + 1.96 * sqrt(0.025)
    0.8099
    """
    if kind not in ("proportion", "mean"):
        raise ValueError("kind must be 'proportion' or 'mean'")
    if method not in _FUNNEL_METHODS:
        raise ValueError(f"method must be one of {_FUNNEL_METHODS}, not {method!r}")
    n = np.atleast_1d(np.asarray(n, dtype=float))
    if se is None:
        if kind == "proportion":
            se = np.sqrt(target * (1 - target) / n)
        else:
            if sigma is None or not np.isfinite(sigma):
                raise ValueError("limits for a mean need sigma, the call-level standard deviation")
            se = sigma / np.sqrt(n)
        normal_only = kind == "mean" or method == "normal" or tau2 > 0
    else:
        se = np.broadcast_to(np.asarray(se, dtype=float), n.shape)
        normal_only = True
    out = {"n": n}
    for level in levels:
        suffix = level_suffix(level)
        z = _z(level)
        if normal_only:
            half = z * np.sqrt(se**2 + tau2)
            lower, upper = target - half, target + half
            if kind == "proportion":
                lower, upper = np.clip(lower, 0.0, 1.0), np.clip(upper, 0.0, 1.0)
        elif method == "exact":
            tail = (1 - level) / 2
            lower = _exact_binomial_limit(target, n, tail)
            upper = _exact_binomial_limit(target, n, 1 - tail)
        else:
            lower, upper = _wilson_limits(target, n, z)
        out[f"lower_{suffix}"] = lower
        out[f"upper_{suffix}"] = upper
    return pd.DataFrame(out)


def overdispersion_test(values, se, target: float, *, trim: float = 0.1) -> dict:
    """Spiegelhalter's over-dispersion test and the additive random-effects τ².

    Parameters
    ----------
    values : array-like
        Unit values y_i.
    se : array-like
        Their standard errors s_i under the null (no real difference).
    target : float
        θ0.
    trim : float, default 0.1
        Winsorise the z-scores at the ``trim`` and ``1 − trim`` quantiles
        before estimating φ (0: no winsorising).

    Returns
    -------
    dict
        ``phi`` (dispersion ratio), ``chi2`` (I·φ), ``df`` (I − 1), ``p_value``
        (upper tail of χ²(I − 1)), ``tau2`` (between-unit variance, ≥ 0),
        ``units`` (I) and ``z`` (the unwinsorised z-scores).

    Notes
    -----
    ``z_i = (y_i − θ0)/s_i``; φ = Σ z_w²/I over the winsorised z-scores;
    ``τ² = max(0, (Iφ − (I − 1)) / (Σ w_i − Σ w_i²/Σ w_i))`` with
    ``w_i = 1/s_i²``. Without winsorising and with θ0 the inverse-variance
    weighted mean, I·φ is Cochran's Q and τ² the DerSimonian–Laird estimate.

    References
    ----------
    Spiegelhalter, D. J. (2005). Handling over-dispersion of performance
    indicators. Quality and Safety in Health Care 14, 347–351.

    Examples
    --------
    >>> out = overdispersion_test([0.0, 2.0], [1.0, 1.0], 1.0, trim=0)
    >>> out["phi"], out["tau2"]  # z = (-1, 1): phi = 2/2 = 1, tau2 = (2*1 - 1)/(2 - 2/2) = 1
    (1.0, 1.0)
    """
    values = np.atleast_1d(np.asarray(values, dtype=float))
    se = np.broadcast_to(np.asarray(se, dtype=float), values.shape)
    keep = np.isfinite(values) & np.isfinite(se) & (se > 0)
    values, se = values[keep], se[keep]
    units = len(values)
    if units < 2:
        return {
            "phi": float("nan"),
            "chi2": float("nan"),
            "df": 0,
            "p_value": float("nan"),
            "tau2": 0.0,
            "units": units,
            "z": (values - target) / se,
        }
    z = (values - target) / se
    if trim > 0:
        low, high = np.quantile(z, [trim, 1 - trim])
        z_used = np.clip(z, low, high)
    else:
        z_used = z
    phi = float(np.mean(z_used**2))
    weights = 1 / se**2
    denominator = weights.sum() - (weights**2).sum() / weights.sum()
    tau2 = max(0.0, (units * phi - (units - 1)) / denominator) if denominator > 0 else 0.0
    chi2 = units * phi
    return {
        "phi": phi,
        "chi2": chi2,
        "df": units - 1,
        "p_value": float(stats.chi2.sf(chi2, units - 1)),
        "tau2": float(tau2),
        "units": units,
        "z": z,
    }


def _casemix_expectation(
    frame: pd.DataFrame, by: str, metric: str, casemix: list[str], settings
) -> pd.DataFrame:
    """Expected value and its null standard error per unit, given its mix of strata."""
    strata = unit_summary(frame, [by, *casemix], metric, settings)
    if _kind(metric) == "proportion":
        pooled = strata.groupby(casemix, observed=True)[["successes", "n"]].sum()
        rate = (pooled["successes"] / pooled["n"]).rename("stratum_value")
        strata = strata.merge(rate.reset_index(), on=casemix, how="left")
        strata["stratum_var"] = strata["stratum_value"] * (1 - strata["stratum_value"])
    else:
        pooled = strata.groupby(casemix, observed=True)[["total", "n", "sum_sq"]].sum()
        counts = strata.groupby(casemix, observed=True).size()
        mean = pooled["total"] / pooled["n"]
        # within-stratum variance pooled over units of the stratum (between-unit part excluded)
        dof = pooled["n"] - counts
        overall_var = _pooled_variance(strata)
        var = (pooled["sum_sq"] / dof).where(dof > 0, overall_var)
        table = pd.DataFrame({"stratum_value": mean, "stratum_var": var}).reset_index()
        strata = strata.merge(table, on=casemix, how="left")
    strata["expected_total"] = strata["n"] * strata["stratum_value"]
    strata["null_var_total"] = strata["n"] * strata["stratum_var"]
    per_unit = strata.groupby(by, observed=True)[["n", "expected_total", "null_var_total"]].sum()
    out = pd.DataFrame(
        {
            "expected": per_unit["expected_total"] / per_unit["n"],
            "se_casemix": np.sqrt(per_unit["null_var_total"]) / per_unit["n"],
        }
    )
    return out.reset_index()


def funnel(
    frame: pd.DataFrame,
    by: str,
    metric: str,
    *,
    settings: KpiSettings | None = None,
    levels=(0.95, 0.998),
    method: str = "exact",
    overdispersion: str | bool = "auto",
    casemix: str | list[str] | None = None,
    target: float | None = None,
    trim: float = 0.1,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Funnel-plot table: each unit's value against control limits for its n.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls (proportions also accept intervals or a cube).
    by : str
        The unit column ("team", "agent", "queue", ...).
    metric : str
        One of :data:`METRICS`.
    settings : KpiSettings, optional
        KPI conventions (default ``KpiSettings()``).
    levels : sequence of float, default (0.95, 0.998)
        Coverage of the limits; ``flag`` is judged at the largest.
    method : {"exact", "wilson", "normal"}, default "exact"
        Limits of a proportion (see :func:`funnel_limits`); means always use
        the normal limits ``θ0 ± z σ/√n`` with σ the pooled within-unit SD.
    overdispersion : {"auto", "additive", "none"} or bool, default "auto"
        "auto": widen the limits by τ² when the over-dispersion test
        (:func:`overdispersion_test`) has p < ``alpha``; "additive" (or True):
        whenever τ² > 0; "none" (or False): never.
    casemix : str or list of str, optional
        Strata (e.g. "category" or ["queue", "category"]). Each unit is then
        judged against the value expected from its own mix of strata
        (indirect standardisation) and limits use the normal approximation.
    target : float, optional
        θ0; default the centre value (all calls pooled).
    trim : float, default 0.1
        Winsorising of the z-scores in the over-dispersion test.
    alpha : float, default 0.05
        Significance level of the over-dispersion test under "auto".

    Returns
    -------
    DataFrame
        One row per unit, sorted by n: the ``by`` column, ``n``, ``value``,
        ``target``; with ``casemix`` also ``expected`` (value expected from the
        unit's mix) and ``value_adjusted`` (= value − expected + target, the
        value the unit would have with the centre's mix); ``z`` (the unit's
        z-score under the null, on the adjusted value if any), then
        ``lower_<l>``/``upper_<l>`` for each level and ``flag`` ("above",
        "below" or "" at the outermost level), ``phi`` and ``tau2``.
        ``.attrs`` holds ``metric``, ``kind``, ``target``, ``sigma`` (means),
        ``method`` (the limits actually used), ``levels``, ``phi``,
        ``tau2_estimate`` (τ² of the test), ``tau2`` (τ² used in the limits: 0
        unless applied), ``overdispersion_p``, ``overdispersion_applied``,
        ``casemix`` and ``conclusion`` ({"en", "zh"}).

    Notes
    -----
    θ0 = Σ successes / Σ n (proportions) or Σ values / Σ n (means). The null
    standard error of a unit is ``√(θ0(1−θ0)/n)`` or ``σ/√n`` with
    ``σ² = Σ_i Σ_j (y_ij − ȳ_i)² / (N − I)``. With case mix, strata s have
    centre values θ_s and variances v_s; a unit with n_s calls in stratum s has
    ``expected = Σ n_s θ_s / n`` and null standard error ``√(Σ n_s v_s)/n``.
    When over-dispersion is applied the limits are ``θ0 ± z √(s² + τ²)``
    (Spiegelhalter 2005, additive random effects).

    References
    ----------
    Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional
    performance. Statistics in Medicine 24(8), 1185–1202.

    Examples
    --------
    >>> calls = pd.DataFrame({
    ...     "arrived_at": pd.to_datetime(["2025-01-01 08:00"] * 6),
    ...     "agent": ["A", "A", "A", "B", "B", "B"],
    ...     "answered": True, "abandoned": False, "wait_s": 5.0,
    ...     "qa_score": [80.0, 82, 84, 70, 72, 74]})
    >>> table = funnel(calls, "agent", "qa_mean", overdispersion="none")
    >>> table[["agent", "value", "flag"]].to_dict("records")
    [{'agent': 'A', 'value': 82.0, 'flag': 'above'}, {'agent': 'B', 'value': 72.0, 'flag': 'below'}]
    """
    if isinstance(overdispersion, bool):
        overdispersion = "additive" if overdispersion else "none"
    if overdispersion not in _OVERDISPERSION_MODES:
        raise ValueError(f"overdispersion must be one of {_OVERDISPERSION_MODES} or a bool")
    if method not in _FUNNEL_METHODS:
        raise ValueError(f"method must be one of {_FUNNEL_METHODS}, not {method!r}")
    if not isinstance(by, str):
        raise ValueError("by must be a single column name")
    levels = tuple(sorted(levels))
    kind = _kind(metric)
    strata = _columns(casemix)
    _check_columns(frame, [by, *strata])
    summary = unit_summary(frame, by, metric, settings)
    if summary.empty:
        raise ValueError(f"no unit has data for {metric}")
    n = summary["n"].to_numpy(dtype=float)
    value = summary["value"].to_numpy(dtype=float)
    if kind == "proportion":
        centre = float(summary["successes"].sum() / summary["n"].sum())
        sigma = None
    else:
        centre = float(summary["total"].sum() / summary["n"].sum())
        sigma = math.sqrt(_pooled_variance(summary))
    theta0 = centre if target is None else float(target)

    table = summary[[by, "n", "value"]].copy()
    table["target"] = theta0
    if strata:
        expectation = _casemix_expectation(frame, by, metric, strata, settings)
        table = table.merge(expectation, on=by, how="left")
        table["value_adjusted"] = table["value"] - table["expected"] + theta0
        judged = table["value_adjusted"].to_numpy(dtype=float)
        se = table.pop("se_casemix").to_numpy(dtype=float)
    else:
        judged = value
        if kind == "proportion":
            se = np.sqrt(theta0 * (1 - theta0) / n)
        else:
            se = sigma / np.sqrt(n)
    with np.errstate(divide="ignore", invalid="ignore"):
        table["z"] = (judged - theta0) / se

    test = overdispersion_test(judged, se, theta0, trim=trim)
    applied = test["tau2"] > 0 and (
        overdispersion == "additive" or (overdispersion == "auto" and test["p_value"] < alpha)
    )
    tau2 = test["tau2"] if applied else 0.0
    limits = funnel_limits(
        theta0,
        n,
        kind=kind,
        levels=levels,
        method=method,
        sigma=sigma,
        tau2=tau2,
        se=se if strata else None,
    )
    for column in limits.columns[1:]:
        table[column] = limits[column].to_numpy()
    outer = level_suffix(levels[-1])
    flag = np.where(
        judged > table[f"upper_{outer}"].to_numpy(),
        "above",
        np.where(judged < table[f"lower_{outer}"].to_numpy(), "below", ""),
    )
    table["flag"] = flag
    table["phi"] = test["phi"]
    table["tau2"] = tau2
    table = table.sort_values(["n", by], kind="stable").reset_index(drop=True)

    if applied or strata or kind == "mean":
        used = "normal"
    else:
        used = method
    table.attrs.update(
        {
            "metric": metric,
            "kind": kind,
            "by": by,
            "target": theta0,
            "sigma": sigma,
            "method": used + ("+tau2" if applied else ""),
            "levels": levels,
            "phi": test["phi"],
            "tau2_estimate": test["tau2"],
            "tau2": tau2,
            "overdispersion_p": test["p_value"],
            "overdispersion_applied": bool(applied),
            "casemix": strata,
            "conclusion": _funnel_conclusion(
                table,
                by,
                metric,
                levels[-1],
                applied=bool(applied),
                beyond_chance=bool(test["tau2"] > 0 and test["p_value"] < alpha),
                strata=strata,
            ),
        }
    )
    return table


def _funnel_conclusion(
    table, by, metric, level, *, applied: bool, beyond_chance: bool, strata
) -> dict:
    """The funnel plot in words.

    ``beyond_chance``: the over-dispersion test says the units vary more than chance
    (τ² > 0 and p < α); ``applied``: the limits were widened by τ². With no unit flagged,
    the sentence then says the units do differ (real variation between them) but none
    stands out beyond that spread, instead of calling the differences chance.
    """
    units = len(table)
    above = table.loc[table["flag"] == "above", by].tolist()
    below = table.loc[table["flag"] == "below", by].tolist()
    pct = f"{100 * level:g}%"
    higher_better = HIGHER_IS_BETTER[metric]
    en_name, zh_name = _label(metric, "en"), _label(metric, "zh")
    unit_en, unit_zh = _dimension(by, "en").lower(), _dimension(by, "zh")
    if not above and not below and beyond_chance:
        widened_en = " (widened for that variation)" if applied else ""
        widened_zh = "（已按这一差异放宽）" if applied else ""
        en = (
            f"The {units} {unit_en}s differ on {en_name} more than chance alone explains "
            f"(real variation between {unit_en}s, over-dispersion), but no single {unit_en} "
            f"stands out beyond that spread: none is outside the {pct} limits{widened_en}."
        )
        zh = (
            f"{units} 个{unit_zh}的{zh_name}差异超出随机波动所能解释的范围（{unit_zh}之间存在"
            f"真实差异，即过度离散），但没有哪个{unit_zh}超出这一差异范围：均在 {pct} "
            f"控制限内{widened_zh}。"
        )
    elif not above and not below:
        en = (
            f"No {unit_en} is outside the {pct} limits for {en_name}: the differences between "
            f"the {units} {unit_en}s are consistent with chance."
        )
        zh = f"{units} 个{unit_zh}的{zh_name}均在 {pct} 控制限内：差异可由随机波动解释。"
        if applied:
            en += f" The limits allow for a small estimated variation between {unit_en}s."
            zh += f" 控制限已考虑{unit_zh}之间估计的少量差异。"
    else:
        parts_en, parts_zh = [], []
        if above:
            word = "better" if higher_better else "worse"
            word_zh = "更好" if higher_better else "更差"
            parts_en.append(f"above the limits ({word}): {_names(above)}")
            parts_zh.append(f"高于控制限（{word_zh}）：{_names(above)}")
        if below:
            word = "worse" if higher_better else "better"
            word_zh = "更差" if higher_better else "更好"
            parts_en.append(f"below the limits ({word}): {_names(below)}")
            parts_zh.append(f"低于控制限（{word_zh}）：{_names(below)}")
        count = len(above) + len(below)
        en = (
            f"{count} of {units} {unit_en}s {'differs' if count == 1 else 'differ'} from the "
            f"centre on {en_name} beyond the "
            f"{pct} limits — " + "; ".join(parts_en) + "."
        )
        zh = (
            f"{units} 个{unit_zh}中有 {count} 个的{zh_name}超出 {pct} 控制限——"
            + "；".join(parts_zh)
            + "。"
        )
        if applied:
            en += (
                f" The limits are widened for the variation between {unit_en}s beyond chance "
                f"(over-dispersion): {'it stands' if count == 1 else 'these stand'} out even "
                "beyond that spread."
            )
            zh += (
                f" 控制限已按{unit_zh}之间超出随机波动的差异（过度离散）放宽："
                f"以上{unit_zh}即使相对这一差异范围也属突出。"
            )
        elif beyond_chance:
            en += (
                f" Together the {unit_en}s vary more than chance alone explains "
                "(over-dispersion) and the limits are not widened for it, so some of these "
                f"may be ordinary variation between {unit_en}s."
            )
            zh += (
                f" {unit_zh}之间整体差异超出随机波动（过度离散），而控制限未相应放宽，"
                f"因此其中部分可能只是{unit_zh}之间的正常差异。"
            )
    if strata:
        mix_en = ", ".join(_dimension(c, "en").lower() for c in strata)
        mix_zh = "、".join(_dimension(c, "zh") for c in strata)
        en += f" Values are adjusted for each {unit_en}'s mix of {mix_en}."
        zh += f" 数值已按各{unit_zh}的{mix_zh}构成进行调整。"
    return {"en": en, "zh": zh}


# ---------------------------------------------------------------------------
# empirical Bayes shrinkage
# ---------------------------------------------------------------------------


def _beta_binomial_loglik(alpha: float, beta: float, x: np.ndarray, n: np.ndarray) -> float:
    """Σ log B(x+α, n−x+β) − log B(α, β): the marginal log-likelihood without C(n, x)."""
    return float(np.sum(special.betaln(x + alpha, n - x + beta) - special.betaln(alpha, beta)))


def fit_beta_binomial(successes, trials, *, max_strength: float = 1e7) -> dict:
    """Fit a beta prior to binomial counts by maximum marginal likelihood.

    Parameters
    ----------
    successes, trials : array-like
        x_i and n_i of each unit (n_i > 0).
    max_strength : float, default 1e7
        Upper bound of α + β. When the likelihood keeps rising towards it the
        units show no variation beyond chance and the estimates pool
        completely (``pooled`` is True).

    Returns
    -------
    dict
        ``alpha``, ``beta``, ``mean`` (α/(α+β)), ``strength`` (α+β, the
        prior's weight in calls), ``loglik`` (marginal log-likelihood without
        the binomial coefficients) and ``pooled``.

    Notes
    -----
    The marginal likelihood of unit i is ``C(n_i, x_i) B(x_i+α, n_i−x_i+β)/B(α, β)``.
    It is maximised over μ = α/(α+β) and M = α+β: the profile likelihood of
    log M is scanned on a grid from 0.1 to ``max_strength`` (μ optimised at
    each point by Brent's method), then refined by Brent's method between the
    neighbours of the best grid point. As
    M → ∞ the likelihood tends to the binomial one with μ = Σx/Σn; when that
    limit is not beaten the fit is reported as pooled.

    Examples
    --------
    >>> fit = fit_beta_binomial([2, 8, 5, 9, 1], [10, 10, 10, 10, 10])
    >>> round(fit["mean"], 2), fit["pooled"]
    (0.5, False)
    """
    x = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    if len(x) != len(n) or len(x) < 2:
        raise ValueError("need successes and trials of at least two units")
    if np.any(n <= 0) or np.any(x < 0) or np.any(x > n):
        raise ValueError("need 0 <= successes <= trials and trials > 0")
    pooled_mean = float(x.sum() / n.sum())
    if pooled_mean in (0.0, 1.0):
        raise ValueError("a beta prior needs some successes and some failures")
    centre = float(special.logit(pooled_mean))

    def negative(params) -> float:
        mu = special.expit(params[0])
        strength = math.exp(params[1])
        return -_beta_binomial_loglik(mu * strength, (1 - mu) * strength, x, n)

    def profile(log_strength: float) -> tuple[float, float]:
        found = optimize.minimize_scalar(
            lambda a: negative((a, log_strength)),
            bounds=(centre - 8.0, centre + 8.0),
            method="bounded",
            options={"xatol": 1e-10},
        )
        return float(found.fun), float(found.x)

    top = math.log(max_strength)
    grid = np.linspace(math.log(0.1), top, 49)
    scanned = [profile(g) for g in grid]
    best = int(np.argmin([value for value, _ in scanned]))
    low, high = grid[max(best - 1, 0)], grid[min(best + 1, len(grid) - 1)]
    refined = optimize.minimize_scalar(
        lambda g: profile(g)[0], bounds=(low, high), method="bounded", options={"xatol": 1e-9}
    )
    value, logit_mu = profile(float(refined.x))
    params = (logit_mu, float(refined.x))
    if scanned[best][0] < value:
        value, params = scanned[best][0], (scanned[best][1], float(grid[best]))
    binomial = -float(np.sum(x * math.log(pooled_mean) + (n - x) * math.log1p(-pooled_mean)))
    pooled = bool(params[1] >= top - 1e-6 or binomial <= value)
    if pooled:
        mu, strength, value = pooled_mean, max_strength, min(value, binomial)
    else:
        mu, strength = float(special.expit(params[0])), float(math.exp(params[1]))
    return {
        "alpha": mu * strength,
        "beta": (1 - mu) * strength,
        "mean": mu,
        "strength": strength,
        "loglik": -float(value),
        "pooled": pooled,
    }


def _paule_mandel(values: np.ndarray, variances: np.ndarray) -> float:
    k = len(values)

    def excess(tau2: float) -> float:
        weights = 1 / (variances + tau2)
        mean = np.sum(weights * values) / np.sum(weights)
        return float(np.sum(weights * (values - mean) ** 2) - (k - 1))

    if excess(0.0) <= 0:
        return 0.0
    upper = float(np.var(values) * 10 + variances.max())
    while excess(upper) > 0:
        upper *= 10
    return float(optimize.brentq(excess, 0.0, upper, xtol=1e-14, rtol=1e-12))


def _dersimonian_laird(values: np.ndarray, variances: np.ndarray) -> float:
    weights = 1 / variances
    mean = np.sum(weights * values) / np.sum(weights)
    q = np.sum(weights * (values - mean) ** 2)
    denominator = weights.sum() - (weights**2).sum() / weights.sum()
    return float(max(0.0, (q - (len(values) - 1)) / denominator))


def shrink_normal(values, variances, *, method: str = "paule-mandel") -> dict:
    """Normal-normal empirical Bayes: shrink unit estimates towards their mean.

    Parameters
    ----------
    values : array-like
        Unit estimates y_i (e.g. mean handle time of each agent).
    variances : array-like
        Their sampling variances v_i (e.g. σ²/n_i).
    method : {"paule-mandel", "dersimonian-laird", "james-stein"}
        Estimator of the between-unit variance τ². "paule-mandel" is also the
        empirical-Bayes estimator of Morris (1983); "james-stein" needs equal
        variances and uses the positive-part James–Stein factor.

    Returns
    -------
    dict
        ``mean`` (μ), ``tau2``, ``shrinkage`` (array B_i = v_i/(v_i + τ²), the
        fraction pulled to μ), ``estimate`` (μ + (1 − B_i)(y_i − μ)) and
        ``posterior_var`` ((1 − B_i) v_i + B_i² / Σ_j w_j, the second term for the
        estimated μ).

    Notes
    -----
    μ is the weighted mean with weights 1/(v_i + τ²) (the plain mean for
    James–Stein). Paule–Mandel solves ``Σ (y_i − μ)²/(v_i + τ²) = k − 1``;
    DerSimonian–Laird is ``max(0, (Q − (k − 1))/(Σw − Σw²/Σw))`` with
    ``w = 1/v``; James–Stein uses ``B = min(1, (k − 3) v / Σ (y_i − ȳ)²)``.
    The posterior variance adds the uncertainty of μ, ``B_i² Var(μ)`` with
    ``Var(μ) = 1/Σ_j w_j`` (v/k for James–Stein), as in Morris (1983); the
    uncertainty of τ² is not propagated.

    References
    ----------
    Efron, B., Morris, C. (1975). Data analysis using Stein's estimator and its
    generalizations. JASA 70, 311–319. Paule, R. C., Mandel, J. (1982).
    Consensus values and weighting factors. J. Res. NBS 87, 377–385.
    Morris, C. N. (1983). Parametric empirical Bayes inference: theory and
    applications. JASA 78, 47–55.

    Examples
    --------
    >>> out = shrink_normal([1.0, 2.0, 3.0, 4.0], [1.0] * 4, method="james-stein")
    >>> round(float(out["shrinkage"][0]), 3)  # (4 - 3) * 1 / sum((y - 2.5)^2) = 1/5
    0.2
    """
    y = np.asarray(values, dtype=float)
    v = np.asarray(variances, dtype=float)
    if len(y) != len(v) or len(y) < 2:
        raise ValueError("need values and variances of at least two units")
    if np.any(~np.isfinite(v)) or np.any(v <= 0):
        raise ValueError("variances must be positive")
    if method == "james-stein":
        if len(y) < 4:
            raise ValueError("the James–Stein estimator needs at least four units")
        if not np.allclose(v, v[0]):
            raise ValueError("the James–Stein estimator needs equal variances")
        mean = float(np.mean(y))
        spread = float(np.sum((y - mean) ** 2))
        factor = min(1.0, (len(y) - 3) * v[0] / spread) if spread > 0 else 1.0
        tau2 = v[0] / factor - v[0] if factor > 0 else float("inf")
        shrinkage = np.full(len(y), factor)
        mean_var = v[0] / len(y)
    else:
        if method == "paule-mandel":
            tau2 = _paule_mandel(y, v)
        elif method == "dersimonian-laird":
            tau2 = _dersimonian_laird(y, v)
        else:
            raise ValueError("method must be 'paule-mandel', 'dersimonian-laird' or 'james-stein'")
        weights = 1 / (v + tau2)
        mean = float(np.sum(weights * y) / np.sum(weights))
        mean_var = 1 / float(np.sum(weights))
        shrinkage = v / (v + tau2)
    estimate = mean + (1 - shrinkage) * (y - mean)
    return {
        "mean": mean,
        "tau2": float(tau2),
        "shrinkage": shrinkage,
        "estimate": estimate,
        "posterior_var": (1 - shrinkage) * v + shrinkage**2 * mean_var,
    }


def _rank_draws(draws: np.ndarray, higher_is_better: bool) -> tuple[np.ndarray, np.ndarray]:
    """Best and worst rank of each unit within each simulated draw (1 = best; ties span a range)."""
    keyed = -draws if higher_is_better else draws
    return (
        stats.rankdata(keyed, method="min", axis=1).astype(int),
        stats.rankdata(keyed, method="max", axis=1).astype(int),
    )


def shrink(
    frame: pd.DataFrame,
    by: str,
    metric: str,
    *,
    settings: KpiSettings | None = None,
    level: float = 0.95,
    method: str = "paule-mandel",
    simulations: int = 4000,
    seed: int = 20250101,
    higher_is_better: bool | None = None,
    casemix: str | list[str] | None = None,
) -> pd.DataFrame:
    """Empirical-Bayes (shrunken) estimates, credible intervals and rank intervals per unit.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls (proportions also accept intervals or a cube).
    by : str
        The unit column.
    metric : str
        One of :data:`METRICS`.
    settings : KpiSettings, optional
    level : float, default 0.95
        Coverage of the credible and rank intervals.
    method : str, default "paule-mandel"
        τ² estimator for means (see :func:`shrink_normal`).
    simulations : int, default 4000
        Posterior draws used for the rank intervals.
    seed : int, default 20250101
        Seed of the draws (results are reproducible).
    higher_is_better : bool, optional
        Rank direction; default :data:`HIGHER_IS_BETTER` of the metric.
    casemix : str or list of str, optional
        Strata (e.g. "category" or ["queue", "category"]), as in :func:`funnel`: each
        unit's value is first adjusted for its own mix of strata (indirect
        standardisation) and the adjusted values are shrunk and ranked, so a unit that
        takes the hardest calls is not ranked last for it.

    Returns
    -------
    DataFrame
        One row per unit, best first: the ``by`` column, ``n``, ``value`` (raw);
        with ``casemix`` also ``expected`` and ``value_adjusted`` (as in
        :func:`funnel`); ``estimate`` (posterior mean, of the adjusted value with
        ``casemix``), ``ci_lower``, ``ci_upper``, ``shrinkage`` (fraction of the
        gap to the centre removed: 0 none, 1 all), ``rank`` (of the estimate,
        1 = best), ``rank_lower``, ``rank_upper`` (the ``level`` interval of the
        simulated ranks). ``.attrs`` holds ``metric``, ``prior`` (a dict: α, β
        for proportions; μ, τ², σ for means; μ, τ² with ``casemix``), ``method``,
        ``level``, ``simulations``, ``seed``, ``casemix`` (the strata, [] if
        none) and ``conclusion`` ({"en", "zh"}).

    Notes
    -----
    Proportions: θ_i ~ Beta(α, β) with (α, β) from :func:`fit_beta_binomial`;
    the posterior is Beta(α + x_i, β + n_i − x_i), shrinkage (α+β)/(α+β+n_i).
    When the fit pools (no variation beyond chance) every unit gets the common
    rate's posterior Beta(½ + Σx, ½ + Σ(n − x)) and shrinkage 1; likewise a
    mean with τ² = 0. Such units tie in every draw, so each rank interval
    spans all units.
    Means: y_i ~ N(θ_i, σ²/n_i) with σ² the pooled within-unit variance and
    θ_i ~ N(μ, τ²) (:func:`shrink_normal`). Ranks: each draw of all units'
    posteriors is ranked (independent draws; tied units share the range of
    their ranks); the rank interval runs from the ``(1 − level)/2`` quantile
    of the best rank to the ``(1 + level)/2`` quantile of the worst rank.
    Case mix (both kinds): y_i = value_i − expected_i + θ0 and its sampling
    variance v_i = Σ_s n_s v_s / n_i², the adjusted value and squared null
    standard error of :func:`funnel` with the same ``casemix``; then the
    normal-normal model of :func:`shrink_normal` (for proportions too, as the
    funnel's case-mix limits use the normal approximation). A unit whose
    strata all have a rate of 0 or 1 has v_i = 0 and cannot be shrunk.

    Examples
    --------
    >>> calls = pd.DataFrame({"agent": ["A"] * 4 + ["B"] * 40,
    ...     "qa_score": [100.0] * 4 + [70.0, 90.0] * 20})
    >>> table = shrink(calls, "agent", "qa_mean", simulations=200)
    >>> table[["agent", "n", "shrinkage"]].round(3).to_dict("records")  # 4 scores pulled in more
    [{'agent': 'A', 'n': 4.0, 'shrinkage': 0.113}, {'agent': 'B', 'n': 40.0, 'shrinkage': 0.013}]
    """
    kind = _kind(metric)
    strata = _columns(casemix)
    _check_columns(frame, [by, *strata])
    summary = unit_summary(frame, by, metric, settings)
    if len(summary) < 2:
        raise ValueError("shrinkage needs at least two units with data")
    n = summary["n"].to_numpy(dtype=float)
    value = summary["value"].to_numpy(dtype=float)
    tail = (1 - level) / 2
    rng = np.random.default_rng(seed)
    if kind == "proportion" and not strata:
        x = summary["successes"].to_numpy(dtype=float)
        fit = fit_beta_binomial(x, n)
        if fit["pooled"]:
            # no variation beyond chance: every unit has the common rate (Jeffreys posterior)
            a_post = np.full(len(n), 0.5 + x.sum())
            b_post = np.full(len(n), 0.5 + (n - x).sum())
            shrinkage = np.ones(len(n))
            common = rng.beta(a_post[0], b_post[0], size=(simulations, 1))
            draws = np.repeat(common, len(n), axis=1)
        else:
            a_post = fit["alpha"] + x
            b_post = fit["beta"] + n - x
            shrinkage = fit["strength"] / (fit["strength"] + n)
            draws = rng.beta(a_post, b_post, size=(simulations, len(n)))
        estimate = a_post / (a_post + b_post)
        ci_lower = stats.beta.ppf(tail, a_post, b_post)
        ci_upper = stats.beta.ppf(1 - tail, a_post, b_post)
        prior = {
            "alpha": fit["alpha"],
            "beta": fit["beta"],
            "mean": fit["mean"],
            "strength": fit["strength"],
            "pooled": fit["pooled"],
        }
        used = "beta-binomial maximum marginal likelihood"
    else:
        if strata:
            # indirect standardisation as funnel(casemix=...): the adjusted value and its
            # null variance given the unit's mix of strata
            expectation = _casemix_expectation(frame, by, metric, strata, settings)
            summary = summary.merge(expectation, on=by, how="left")
            numerator = summary["successes"] if kind == "proportion" else summary["total"]
            centre = float(numerator.sum() / summary["n"].sum())
            expected = summary["expected"].to_numpy(dtype=float)
            adjusted = value - expected + centre
            variances = summary["se_casemix"].to_numpy(dtype=float) ** 2
            sigma = None
            used = f"normal-normal on case-mix adjusted values, tau2 by {method}"
        else:
            sigma2 = _pooled_variance(summary)
            if not np.isfinite(sigma2) or sigma2 <= 0:
                raise ValueError("the pooled within-unit variance is not positive")
            adjusted, variances, sigma = value, sigma2 / n, math.sqrt(sigma2)
            used = f"normal-normal, tau2 by {method}"
        result = shrink_normal(adjusted, variances, method=method)
        estimate = result["estimate"]
        sd = np.sqrt(result["posterior_var"])
        ci_lower = estimate + stats.norm.ppf(tail) * sd
        ci_upper = estimate + stats.norm.ppf(1 - tail) * sd
        shrinkage = result["shrinkage"]
        if result["tau2"] > 0:
            draws = estimate + sd * rng.standard_normal(size=(simulations, len(n)))
        else:
            # no variation beyond chance: one common mean for every unit
            draws = estimate + sd * rng.standard_normal(size=(simulations, 1))
        prior = {"mean": result["mean"], "tau2": result["tau2"]}
        if sigma is not None:
            prior["sigma"] = sigma
    better_high = HIGHER_IS_BETTER[metric] if higher_is_better is None else higher_is_better
    best_ranks, worst_ranks = _rank_draws(draws, better_high)
    order_key = -estimate if better_high else estimate
    rank = stats.rankdata(order_key, method="min").astype(int)
    table = summary[[by]].copy()
    table["n"] = n
    table["value"] = value
    if strata:
        table["expected"] = expected
        table["value_adjusted"] = adjusted
    table["estimate"] = estimate
    table["ci_lower"] = ci_lower
    table["ci_upper"] = ci_upper
    table["shrinkage"] = shrinkage
    table["rank"] = rank
    table["rank_lower"] = np.quantile(best_ranks, tail, axis=0, method="inverted_cdf").astype(int)
    table["rank_upper"] = np.quantile(worst_ranks, 1 - tail, axis=0, method="inverted_cdf").astype(
        int
    )
    table = table.sort_values(["rank", by], kind="stable").reset_index(drop=True)
    table.attrs.update(
        {
            "metric": metric,
            "kind": kind,
            "by": by,
            "prior": prior,
            "method": used,
            "level": level,
            "simulations": simulations,
            "seed": seed,
            "higher_is_better": better_high,
            "casemix": strata,
            "conclusion": _shrink_conclusion(table, by, metric, level, strata),
        }
    )
    return table


def _shrink_conclusion(table, by, metric, level, strata) -> dict:
    units = len(table)
    certain_top = table.loc[table["rank_upper"] <= max(1, units // 4), by].tolist()
    certain_bottom = table.loc[table["rank_lower"] > units - max(1, units // 4), by].tolist()
    widths = (table["rank_upper"] - table["rank_lower"]).to_numpy()
    median_width = float(np.median(widths)) if units else float("nan")
    pct = f"{100 * level:g}%"
    en_name, zh_name = _label(metric, "en"), _label(metric, "zh")
    unit_en, unit_zh = _dimension(by, "en").lower(), _dimension(by, "zh")
    en = (
        f"Ranking {units} {unit_en}s on {en_name} after shrinkage: the typical {pct} rank "
        f"interval spans {median_width:.0f} places."
    )
    zh = (
        f"对 {units} 个{unit_zh}的{zh_name}收缩估计后排名：典型的 {pct} 名次区间跨度为 "
        f"{median_width:.0f} 位。"
    )
    if certain_top:
        en += f" Surely in the top quarter: {_names(certain_top)}."
        zh += f" 确定位于前四分之一：{_names(certain_top)}。"
    if certain_bottom:
        en += f" Surely in the bottom quarter: {_names(certain_bottom)}."
        zh += f" 确定位于后四分之一：{_names(certain_bottom)}。"
    if not certain_top and not certain_bottom:
        en += (
            f" No {unit_en} is surely in the top or bottom quarter: a league table would rank "
            "noise."
        )
        zh += f" 没有{unit_zh}能确定位于前或后四分之一：简单排名只是在排列随机波动。"
    if strata:
        mix_en = ", ".join(_dimension(c, "en").lower() for c in strata)
        mix_zh = "、".join(_dimension(c, "zh") for c in strata)
        en += f" Values are adjusted for each {unit_en}'s mix of {mix_en}."
        zh += f" 数值已按各{unit_zh}的{mix_zh}构成进行调整。"
    return {"en": en, "zh": zh}


# ---------------------------------------------------------------------------
# gaps to the team / centre average
# ---------------------------------------------------------------------------


def gaps(
    frame: pd.DataFrame,
    by: str,
    metrics,
    *,
    within: str | None = None,
    settings: KpiSettings | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Each unit's gap to its team (or the centre) average, indicator by indicator.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls.
    by : str
        The unit column (e.g. "agent").
    metrics : str or sequence of str
        Metrics of :data:`METRICS`; metrics the data cannot support are left out.
    within : str, optional
        Group column (e.g. "team"): compare each unit with its group. None:
        compare with the whole centre.
    settings : KpiSettings, optional
    level : float, default 0.95
        Two-sided level at which a gap is called beyond noise.

    Returns
    -------
    DataFrame
        One row per unit and metric: ``within`` (if given), the ``by`` column,
        ``metric``, ``n``, ``value``, ``reference`` (the group's or centre's
        value over all its calls, the unit included), ``gap`` (value −
        reference), ``z`` (the gap to the rest of the group divided by its
        standard error), ``p_value`` (two-sided), ``beyond_noise`` (p < 1 −
        level), ``effect_size`` (Cohen's d for means, Cohen's h for
        proportions, unit vs the rest) and ``better`` (True/False by
        :data:`HIGHER_IS_BETTER`, None when the gap is within noise).
        ``.attrs`` holds ``by``, ``within``, ``level`` and ``conclusion``
        ({"en", "zh"}).

    Notes
    -----
    The unit (n₁, value y₁) is tested against the rest of its group (n₂, y₂).
    Proportions: ``z = (y₁ − y₂)/√(p(1−p)(1/n₁ + 1/n₂))`` with p the group
    value (pooled two-proportion z-test); h = 2 asin√y₁ − 2 asin√y₂.
    Means: ``z = (y₁ − y₂)/(σ √(1/n₁ + 1/n₂))`` with σ² the within-unit variance
    pooled over the group; d = (y₁ − y₂)/σ.

    Examples
    --------
    >>> calls = pd.DataFrame({"agent": ["A"] * 50 + ["B"] * 50,
    ...     "qa_score": [90.0, 92.0] * 25 + [70.0, 72.0] * 25})
    >>> table = gaps(calls, "agent", ["qa_mean"])
    >>> table[["agent", "gap", "beyond_noise"]].to_dict("records")
    [{'agent': 'A', 'gap': 10.0, 'beyond_noise': True}, {'agent': 'B', 'gap': -10.0, 'beyond_noise': True}]
    """
    metrics = _columns(metrics)
    groups = _columns(within)
    _check_columns(frame, [by, *groups])
    threshold = 1 - level
    pieces = []
    for metric in metrics:
        kind = _kind(metric)
        try:
            summary = unit_summary(frame, [*groups, by], metric, settings)
        except ValueError:
            continue
        if summary.empty:
            continue
        if groups:
            key = summary[groups[0]]
        else:
            key = pd.Series(0, index=summary.index)
        n1 = summary["n"].to_numpy(dtype=float)
        y1 = summary["value"].to_numpy(dtype=float)
        if kind == "proportion":
            x1 = summary["successes"].to_numpy(dtype=float)
            group_x = summary.groupby(key, observed=True)["successes"].transform("sum").to_numpy()
            group_n = summary.groupby(key, observed=True)["n"].transform("sum").to_numpy()
            reference = group_x / group_n
            n2 = group_n - n1
            with np.errstate(divide="ignore", invalid="ignore"):
                y2 = (group_x - x1) / n2
                se = np.sqrt(reference * (1 - reference) * (1 / n1 + 1 / n2))
                effect = 2 * np.arcsin(np.sqrt(y1)) - 2 * np.arcsin(np.sqrt(y2))
        else:
            total = summary["total"].to_numpy(dtype=float)
            group_total = summary.groupby(key, observed=True)["total"].transform("sum").to_numpy()
            group_n = summary.groupby(key, observed=True)["n"].transform("sum").to_numpy()
            group_ss = summary.groupby(key, observed=True)["sum_sq"].transform("sum").to_numpy()
            group_units = summary.groupby(key, observed=True)["n"].transform("size").to_numpy()
            reference = group_total / group_n
            n2 = group_n - n1
            with np.errstate(divide="ignore", invalid="ignore"):
                sigma = np.sqrt(group_ss / (group_n - group_units))
                y2 = (group_total - total) / n2
                se = sigma * np.sqrt(1 / n1 + 1 / n2)
                effect = (y1 - y2) / sigma
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where((n2 > 0) & (se > 0), (y1 - y2) / se, np.nan)
        p_value = 2 * stats.norm.sf(np.abs(z))
        beyond = np.nan_to_num(p_value, nan=1.0) < threshold
        better_high = HIGHER_IS_BETTER[metric]
        better = np.where(beyond, (y1 > y2) == better_high, None)
        piece = summary[[*groups, by]].copy()
        piece["metric"] = metric
        piece["n"] = n1
        piece["value"] = y1
        piece["reference"] = reference
        piece["gap"] = y1 - reference
        piece["z"] = z
        piece["p_value"] = p_value
        piece["beyond_noise"] = beyond
        piece["effect_size"] = np.where(n2 > 0, effect, np.nan)
        piece["better"] = better
        pieces.append(piece)
    if not pieces:
        columns = [
            *groups,
            by,
            "metric",
            "n",
            "value",
            "reference",
            "gap",
            "z",
            "p_value",
            "beyond_noise",
            "effect_size",
            "better",
        ]
        return pd.DataFrame(columns=columns)
    out = pd.concat(pieces, ignore_index=True)
    out.attrs.update(
        {
            "by": by,
            "within": within,
            "level": level,
            "conclusion": _gaps_conclusion(out, by, within, level),
        }
    )
    return out


def _gaps_conclusion(table: pd.DataFrame, by: str, within: str | None, level: float) -> dict:
    beyond = table[table["beyond_noise"]]
    pct = f"{100 * level:g}%"
    reference_en = f"their {_dimension(within, 'en').lower()}" if within else "the centre"
    reference_zh = f"所在{_dimension(within, 'zh')}" if within else "全中心"
    if beyond.empty:
        return {
            "en": f"No gap to {reference_en} is beyond noise (at {pct}).",
            "zh": f"与{reference_zh}的差距均在随机波动范围内（{pct}）。",
        }
    items_en, items_zh = [], []
    for row in beyond.itertuples(index=False):
        unit = getattr(row, by)
        word_en = "better" if row.better else "worse"
        word_zh = "更好" if row.better else "更差"
        items_en.append(f"{unit} {_label(row.metric, 'en')} ({word_en})")
        items_zh.append(f"{unit} {_label(row.metric, 'zh')}（{word_zh}）")
    en = (
        f"{len(beyond)} of {len(table)} gaps to {reference_en} are beyond noise (at {pct}): "
        f"{_names(items_en)}."
    )
    zh = f"{len(table)} 项差距中有 {len(beyond)} 项超出随机波动（{pct}）：{_names(items_zh)}。"
    return {"en": en, "zh": zh}


# ---------------------------------------------------------------------------
# omnibus and post-hoc tests
# ---------------------------------------------------------------------------


def _groups(values, labels) -> tuple[list, list[np.ndarray]]:
    data = pd.DataFrame({"label": pd.Series(labels).to_numpy(), "value": np.asarray(values, float)})
    data = data[np.isfinite(data["value"]) & data["label"].notna()]
    names, arrays = [], []
    for name, group in data.groupby("label", observed=True, sort=True):
        names.append(name)
        arrays.append(group["value"].to_numpy())
    return names, arrays


def welch_anova(values, labels) -> dict:
    """Welch's one-way ANOVA (unequal variances).

    Parameters
    ----------
    values : array-like
        Observations.
    labels : array-like
        Group of each observation.

    Returns
    -------
    dict
        ``statistic`` (F), ``df1``, ``df2``, ``p_value``, ``eta_squared``
        (classical SS_between / SS_total) and ``groups``.

    Notes
    -----
    With w_j = n_j/s_j², m the w-weighted mean, k groups:
    ``A = Σ w_j (ȳ_j − m)²/(k − 1)``, ``Λ = Σ (1 − w_j/Σw)²/(n_j − 1)``,
    ``F = A / (1 + 2(k − 2)Λ/(k² − 1))`` on ``k − 1`` and ``(k² − 1)/(3Λ)``
    degrees of freedom.

    References
    ----------
    Welch, B. L. (1951). On the comparison of several mean values: an
    alternative approach. Biometrika 38, 330–336.

    Examples
    --------
    >>> out = welch_anova([1, 2, 3, 4, 5, 6, 7, 8, 9], list("aaabbbccc"))
    >>> round(out["statistic"], 2), out["df1"]  # A = 27, Lambda = 2/3, F = 27/(1 + 1/6)
    (23.14, 2)
    """
    names, groups = _groups(values, labels)
    k = len(groups)
    if k < 2 or any(len(g) < 2 for g in groups):
        raise ValueError("Welch's ANOVA needs at least two groups of two observations")
    n = np.array([len(g) for g in groups], dtype=float)
    mean = np.array([g.mean() for g in groups])
    var = np.array([g.var(ddof=1) for g in groups])
    if np.any(var <= 0):
        raise ValueError("Welch's ANOVA needs groups with some variation")
    w = n / var
    weighted_mean = np.sum(w * mean) / np.sum(w)
    a = np.sum(w * (mean - weighted_mean) ** 2) / (k - 1)
    lam = np.sum((1 - w / w.sum()) ** 2 / (n - 1))
    statistic = a / (1 + 2 * (k - 2) * lam / (k**2 - 1))
    df2 = (k**2 - 1) / (3 * lam)
    everything = np.concatenate(groups)
    ss_total = np.sum((everything - everything.mean()) ** 2)
    ss_between = np.sum(n * (mean - everything.mean()) ** 2)
    return {
        "statistic": float(statistic),
        "df1": k - 1,
        "df2": float(df2),
        "p_value": float(stats.f.sf(statistic, k - 1, df2)),
        "eta_squared": float(ss_between / ss_total) if ss_total > 0 else float("nan"),
        "groups": names,
    }


def games_howell(values, labels) -> pd.DataFrame:
    """Games–Howell pairwise comparisons (unequal variances and sizes).

    Parameters
    ----------
    values, labels : array-like
        Observations and their groups.

    Returns
    -------
    DataFrame
        One row per pair (groups sorted): ``a``, ``b``, ``n_a``, ``n_b``,
        ``mean_a``, ``mean_b``, ``diff`` (mean_a − mean_b), ``se``, ``t``,
        ``df``, ``p_adjusted`` (studentized range, family-wise),
        ``p_adjust_method`` ("games-howell") and ``hedges_g``.

    Notes
    -----
    ``t = (ȳ_a − ȳ_b)/√(s_a²/n_a + s_b²/n_b)`` with Welch–Satterthwaite df;
    ``p = P(Q_{k, df} > √2 |t|)`` for the studentized range Q of k groups.
    Hedges' g uses the pooled SD of the pair and the correction
    ``J = 1 − 3/(4(n_a + n_b) − 9)``.

    References
    ----------
    Games, P. A., Howell, J. F. (1976). Pairwise multiple comparison
    procedures with unequal n's and/or variances. J. Educ. Stat. 1, 113–125.
    """
    names, groups = _groups(values, labels)
    k = len(groups)
    rows = []
    for i in range(k):
        for j in range(i + 1, k):
            a, b = groups[i], groups[j]
            na, nb = len(a), len(b)
            va, vb = a.var(ddof=1), b.var(ddof=1)
            se = math.sqrt(va / na + vb / nb)
            diff = a.mean() - b.mean()
            t_value = diff / se
            df = (va / na + vb / nb) ** 2 / ((va / na) ** 2 / (na - 1) + (vb / nb) ** 2 / (nb - 1))
            p = float(stats.studentized_range.sf(abs(t_value) * math.sqrt(2), k, df))
            pooled = math.sqrt(((na - 1) * va + (nb - 1) * vb) / (na + nb - 2))
            correction = 1 - 3 / (4 * (na + nb) - 9)
            rows.append(
                {
                    "a": names[i],
                    "b": names[j],
                    "n_a": na,
                    "n_b": nb,
                    "mean_a": a.mean(),
                    "mean_b": b.mean(),
                    "diff": diff,
                    "se": se,
                    "t": t_value,
                    "df": df,
                    "p_adjusted": min(1.0, p),
                    "p_adjust_method": "games-howell",
                    "hedges_g": diff / pooled * correction if pooled > 0 else float("nan"),
                }
            )
    return pd.DataFrame(rows)


def kruskal_wallis(values, labels) -> dict:
    """Kruskal–Wallis H test with the tie correction.

    Parameters
    ----------
    values, labels : array-like
        Observations and their groups.

    Returns
    -------
    dict
        ``statistic`` (H), ``df``, ``p_value`` (χ² approximation),
        ``epsilon_squared`` (H/(N − 1)) and ``groups``.

    Notes
    -----
    ``H = [12/(N(N+1)) Σ R_j²/n_j − 3(N+1)] / (1 − Σ(t³ − t)/(N³ − N))`` with
    R_j the rank sum of group j and t the sizes of tied groups of values.

    References
    ----------
    Kruskal, W. H., Wallis, W. A. (1952). Use of ranks in one-criterion
    variance analysis. JASA 47, 583–621. Tomczak, M., Tomczak, E. (2014). The
    need to report effect size estimates revisited. Trends in Sport Sciences
    21, 19–25 (ε²).
    """
    names, groups = _groups(values, labels)
    if len(groups) < 2:
        raise ValueError("the Kruskal–Wallis test needs at least two groups")
    everything = np.concatenate(groups)
    total = len(everything)
    ranks = stats.rankdata(everything)
    bounds = np.cumsum([0] + [len(g) for g in groups])
    rank_sums = np.array([ranks[bounds[i] : bounds[i + 1]].sum() for i in range(len(groups))])
    sizes = np.diff(bounds)
    h = 12 / (total * (total + 1)) * np.sum(rank_sums**2 / sizes) - 3 * (total + 1)
    _, ties = np.unique(everything, return_counts=True)
    correction = 1 - np.sum(ties**3 - ties) / (total**3 - total)
    h = h / correction if correction > 0 else float("nan")
    df = len(groups) - 1
    return {
        "statistic": float(h),
        "df": df,
        "p_value": float(stats.chi2.sf(h, df)),
        "epsilon_squared": float(h / (total - 1)),
        "groups": names,
    }


def dunn(values, labels, *, p_adjust: str = "holm") -> pd.DataFrame:
    """Dunn's pairwise rank test after Kruskal–Wallis, with the tie correction.

    Parameters
    ----------
    values, labels : array-like
        Observations and their groups.
    p_adjust : {"holm", "none"}, default "holm"
        Multiplicity adjustment (named in the output).

    Returns
    -------
    DataFrame
        One row per pair (groups sorted): ``a``, ``b``, ``n_a``, ``n_b``,
        ``mean_rank_a``, ``mean_rank_b``, ``z``, ``p_value`` (two-sided,
        unadjusted), ``p_adjusted``, ``p_adjust_method`` and ``r`` (effect
        size z/√(n_a + n_b)).

    Notes
    -----
    Ranks are taken over all groups together.
    ``z = (R̄_a − R̄_b)/√((N(N+1)/12 − Σ(t³ − t)/(12(N − 1)))(1/n_a + 1/n_b))``.

    References
    ----------
    Dunn, O. J. (1964). Multiple comparisons using rank sums. Technometrics 6,
    241–252.
    """
    if p_adjust not in ("holm", "none"):
        raise ValueError("p_adjust must be 'holm' or 'none'")
    names, groups = _groups(values, labels)
    everything = np.concatenate(groups)
    total = len(everything)
    ranks = stats.rankdata(everything)
    bounds = np.cumsum([0] + [len(g) for g in groups])
    mean_ranks = [ranks[bounds[i] : bounds[i + 1]].mean() for i in range(len(groups))]
    _, ties = np.unique(everything, return_counts=True)
    variance = total * (total + 1) / 12 - np.sum(ties**3 - ties) / (12 * (total - 1))
    rows = []
    for i in range(len(groups)):
        for j in range(i + 1, len(groups)):
            na, nb = len(groups[i]), len(groups[j])
            z = (mean_ranks[i] - mean_ranks[j]) / math.sqrt(variance * (1 / na + 1 / nb))
            rows.append(
                {
                    "a": names[i],
                    "b": names[j],
                    "n_a": na,
                    "n_b": nb,
                    "mean_rank_a": mean_ranks[i],
                    "mean_rank_b": mean_ranks[j],
                    "z": z,
                    "p_value": float(2 * stats.norm.sf(abs(z))),
                    "r": z / math.sqrt(na + nb),
                }
            )
    table = pd.DataFrame(rows)
    if table.empty:
        return table
    table["p_adjusted"] = holm(table["p_value"]) if p_adjust == "holm" else table["p_value"]
    table["p_adjust_method"] = p_adjust
    return table


def _proportion_tests(summary: pd.DataFrame, by: str) -> tuple[dict, pd.DataFrame]:
    """Chi-square test of homogeneity and pairwise two-proportion z-tests (Holm)."""
    x = summary["successes"].to_numpy(dtype=float)
    n = summary["n"].to_numpy(dtype=float)
    table = np.column_stack([x, n - x])
    chi2, p, df, _ = stats.chi2_contingency(table, correction=False)
    cramers_v = math.sqrt(chi2 / n.sum()) if n.sum() > 0 else float("nan")
    omnibus = {
        "test": "chi-square",
        "statistic": float(chi2),
        "df1": int(df),
        "df2": float("nan"),
        "p_value": float(p),
        "effect_size": cramers_v,
        "effect_size_name": "cramers_v",
    }
    rows = []
    names = summary[by].tolist()
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            pa, pb = x[i] / n[i], x[j] / n[j]
            pooled = (x[i] + x[j]) / (n[i] + n[j])
            se = math.sqrt(pooled * (1 - pooled) * (1 / n[i] + 1 / n[j]))
            z = (pa - pb) / se if se > 0 else float("nan")
            rows.append(
                {
                    "a": names[i],
                    "b": names[j],
                    "n_a": n[i],
                    "n_b": n[j],
                    "value_a": pa,
                    "value_b": pb,
                    "diff": pa - pb,
                    "z": z,
                    "p_value": float(2 * stats.norm.sf(abs(z))) if np.isfinite(z) else float("nan"),
                    "cohens_h": 2 * math.asin(math.sqrt(pa)) - 2 * math.asin(math.sqrt(pb)),
                }
            )
    pairwise = pd.DataFrame(rows)
    if not pairwise.empty:
        pairwise["p_adjusted"] = holm(pairwise["p_value"])
        pairwise["p_adjust_method"] = "holm"
    return omnibus, pairwise


def differences(
    frame: pd.DataFrame,
    by: str,
    metric: str,
    *,
    settings: KpiSettings | None = None,
    test: str = "welch",
    casemix: str | list[str] | None = None,
    alpha: float = 0.05,
    max_pairwise_units: int = 30,
) -> dict:
    """Do the units differ on a metric, and which pairs do? Omnibus and post-hoc tests.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls.
    by : str
        The unit column.
    metric : str
        One of :data:`METRICS`.
    settings : KpiSettings, optional
    test : {"welch", "kruskal"}, default "welch"
        Means only: Welch's ANOVA with Games–Howell pairs, or Kruskal–Wallis
        with Dunn pairs (Holm-adjusted). Proportions always use a chi-square
        test of homogeneity with two-proportion z-tests (Holm-adjusted).
    casemix : str or list of str, optional
        Means only: compare the calls' deviations from their stratum mean
        (plus the centre mean), so a unit's mix of strata does not count.
    alpha : float, default 0.05
        Level at which a pair is called different.
    max_pairwise_units : int, default 30
        Pairwise tests are skipped (empty table) above this many units.

    Returns
    -------
    dict
        ``omnibus`` (DataFrame, one row: ``test``, ``statistic``, ``df1``,
        ``df2``, ``p_value``, ``effect_size``, ``effect_size_name``),
        ``pairwise`` (DataFrame of the post-hoc test, with ``p_adjusted``,
        ``p_adjust_method`` and ``significant``), ``units`` (the per-unit
        summary), ``excluded`` (units left out of Welch's test: fewer than two
        calls or no spread), ``pairwise_effect_size`` (the name of the effect
        size column of ``pairwise``: "hedges_g", "r" or "cohens_h") and
        ``conclusion`` ({"en", "zh"}).

    Notes
    -----
    See :func:`welch_anova`, :func:`games_howell`, :func:`kruskal_wallis`,
    :func:`dunn` and :func:`ccmetrics.multitest.holm`. Games–Howell p-values are already
    family-wise (studentized range); Dunn and two-proportion p-values are
    adjusted with Holm's method.
    """
    kind = _kind(metric)
    strata = _columns(casemix)
    _check_columns(frame, [by, *strata])
    summary = unit_summary(frame, by, metric, settings)
    if len(summary) < 2:
        raise ValueError("comparing units needs at least two units with data")
    excluded: list = []
    if kind == "proportion":
        if strata:
            raise ValueError("case-mix adjustment of a proportion is done by funnel(casemix=...)")
        omnibus, pairwise = _proportion_tests(summary, by)
        effect_name = "cohens_h"
    else:
        if test not in ("welch", "kruskal"):
            raise ValueError("test must be 'welch' or 'kruskal'")
        values = call_values(frame, metric)
        labels = frame[by]
        if strata:
            keyed = frame[strata].assign(_value=values.to_numpy())
            stratum_mean = keyed.groupby(strata, observed=True)["_value"].transform("mean")
            values = values - stratum_mean.to_numpy() + np.nanmean(values.to_numpy())
        if test == "welch":
            # Welch's weights need two calls and some spread in every unit
            spread = (
                pd.DataFrame({"unit": labels.to_numpy(), "value": values.to_numpy()})
                .groupby("unit", observed=True)["value"]
                .agg(["count", "var"])
            )
            usable = spread.index[(spread["count"] >= 2) & (spread["var"] > 0)]
            excluded = [u for u in summary[by] if u not in set(usable)]
            if excluded:
                keep = labels.isin(list(usable)).to_numpy()
                values, labels = values[keep], labels[keep]
        if test == "welch":
            result = welch_anova(values, labels)
            omnibus = {
                "test": "welch-anova",
                "statistic": result["statistic"],
                "df1": result["df1"],
                "df2": result["df2"],
                "p_value": result["p_value"],
                "effect_size": result["eta_squared"],
                "effect_size_name": "eta_squared",
            }
            pairwise = games_howell(values, labels) if len(summary) <= max_pairwise_units else None
            effect_name = "hedges_g"
        elif test == "kruskal":
            result = kruskal_wallis(values, labels)
            omnibus = {
                "test": "kruskal-wallis",
                "statistic": result["statistic"],
                "df1": result["df"],
                "df2": float("nan"),
                "p_value": result["p_value"],
                "effect_size": result["epsilon_squared"],
                "effect_size_name": "epsilon_squared",
            }
            pairwise = dunn(values, labels) if len(summary) <= max_pairwise_units else None
            effect_name = "r"
    if pairwise is None or (kind == "proportion" and len(summary) > max_pairwise_units):
        pairwise = pd.DataFrame()
    if not pairwise.empty:
        pairwise["significant"] = pairwise["p_adjusted"] < alpha
    omnibus_table = pd.DataFrame([omnibus])
    conclusion = _differences_conclusion(omnibus, pairwise, by, metric, len(summary), alpha, strata)
    return {
        "omnibus": omnibus_table,
        "pairwise": pairwise,
        "units": summary,
        "excluded": excluded,
        "pairwise_effect_size": effect_name,
        "conclusion": conclusion,
    }


def _differences_conclusion(omnibus, pairwise, by, metric, units, alpha, strata) -> dict:
    en_name, zh_name = _label(metric, "en"), _label(metric, "zh")
    unit_en, unit_zh = _dimension(by, "en").lower(), _dimension(by, "zh")
    p = omnibus["p_value"]
    test_name = omnibus["test"]
    if p < alpha:
        en = f"The {units} {unit_en}s differ on {en_name} ({test_name}, p = {p:.3g})."
        zh = f"{units} 个{unit_zh}的{zh_name}存在显著差异（{test_name}，p = {p:.3g}）。"
    else:
        en = (
            f"No evidence that the {units} {unit_en}s differ on {en_name} "
            f"({test_name}, p = {p:.3g})."
        )
        zh = f"没有证据表明 {units} 个{unit_zh}的{zh_name}存在差异（{test_name}，p = {p:.3g}）。"
    if not pairwise.empty:
        count = int(pairwise["significant"].sum())
        method = pairwise["p_adjust_method"].iloc[0]
        en += f" {count} of {len(pairwise)} pairs differ after {method} adjustment."
        zh += f" 经 {method} 校正后，{len(pairwise)} 对中有 {count} 对存在差异。"
    if strata:
        en += (
            f" Calls are compared within {', '.join(_dimension(c, 'en').lower() for c in strata)}."
        )
        zh += f" 已在同一{'、'.join(_dimension(c, 'zh') for c in strata)}内进行比较。"
    return {"en": en, "zh": zh}


# ---------------------------------------------------------------------------
# QA vs CSAT
# ---------------------------------------------------------------------------


def icc_oneway(values, labels) -> dict:
    """One-way random-effects intraclass correlation ICC(1) (unbalanced ANOVA estimator).

    Parameters
    ----------
    values : array-like
        Observations (e.g. QA scores of calls).
    labels : array-like
        The unit of each observation (e.g. agent).

    Returns
    -------
    dict
        ``icc`` (ICC(1), the reliability of a single observation), ``n0``
        (the effective number of observations per unit), ``ms_between``,
        ``ms_within``, ``units`` and ``observations``.

    Notes
    -----
    ``ICC(1) = (MSB − MSW)/(MSB + (n₀ − 1) MSW)`` with
    ``n₀ = (N − Σ n_i²/N)/(I − 1)`` (= k for balanced data).

    References
    ----------
    Shrout, P. E., Fleiss, J. L. (1979). Intraclass correlations: uses in
    assessing rater reliability. Psychological Bulletin 86, 420–428.
    """
    names, groups = _groups(values, labels)
    groups = [g for g in groups if len(g) > 0]
    units = len(groups)
    n = np.array([len(g) for g in groups], dtype=float)
    total = n.sum()
    if units < 2 or total - units <= 0:
        return {
            "icc": float("nan"),
            "n0": float("nan"),
            "ms_between": float("nan"),
            "ms_within": float("nan"),
            "units": units,
            "observations": int(total),
        }
    grand = np.concatenate(groups).mean()
    means = np.array([g.mean() for g in groups])
    ms_between = np.sum(n * (means - grand) ** 2) / (units - 1)
    ms_within = sum(np.sum((g - g.mean()) ** 2) for g in groups) / (total - units)
    n0 = (total - np.sum(n**2) / total) / (units - 1)
    denominator = ms_between + (n0 - 1) * ms_within
    icc = (ms_between - ms_within) / denominator if denominator > 0 else float("nan")
    return {
        "icc": float(icc),
        "n0": float(n0),
        "ms_between": float(ms_between),
        "ms_within": float(ms_within),
        "units": units,
        "observations": int(total),
    }


def spearman_brown(reliability: float, k: float) -> float:
    """Reliability of the mean of k observations from the single-observation reliability.

    Parameters
    ----------
    reliability : float
        Reliability (ICC) of one observation.
    k : float
        Number of observations averaged.

    Returns
    -------
    float
        ``k ρ / (1 + (k − 1) ρ)``.

    Examples
    --------
    >>> round(spearman_brown(0.2, 4), 4)  # 0.8 / 1.6
    0.5
    """
    return float(k * reliability / (1 + (k - 1) * reliability))


def spearman_ci(rho: float, n: int, level: float = 0.95) -> tuple[float, float]:
    """Confidence interval of a Spearman correlation (Fisher z, Bonett–Wright variance).

    Parameters
    ----------
    rho : float
        Sample Spearman correlation.
    n : int
        Number of pairs (> 3).
    level : float, default 0.95

    Returns
    -------
    tuple of float
        ``(lower, upper)``.

    Notes
    -----
    ``tanh(atanh(ρ) ± z √((1 + ρ²/2)/(n − 3)))``.

    References
    ----------
    Bonett, D. G., Wright, T. A. (2000). Sample size requirements for
    estimating Pearson, Kendall and Spearman correlations. Psychometrika 65,
    23–28.

    Examples
    --------
    >>> [round(v, 4) for v in spearman_ci(0.5, 28)]  # tanh(0.5493 -/+ 1.96 * sqrt(1.125/25))
    [0.1327, 0.7465]
    """
    if n <= 3 or not np.isfinite(rho):
        return (float("nan"), float("nan"))
    rho = min(max(rho, -0.999999), 0.999999)
    se = math.sqrt((1 + rho**2 / 2) / (n - 3))
    z = _z(level)
    centre = math.atanh(rho)
    return (math.tanh(centre - z * se), math.tanh(centre + z * se))


def _spearman_row(x: np.ndarray, y: np.ndarray, level: float) -> dict:
    keep = np.isfinite(x) & np.isfinite(y)
    x, y = x[keep], y[keep]
    n = len(x)
    if n < 4 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return {
            "n": n,
            "rho": float("nan"),
            "ci_lower": float("nan"),
            "ci_upper": float("nan"),
            "p_value": float("nan"),
        }
    result = stats.spearmanr(x, y)
    rho = float(result.statistic)
    lower, upper = spearman_ci(rho, n, level)
    return {
        "n": n,
        "rho": rho,
        "ci_lower": lower,
        "ci_upper": upper,
        "p_value": float(result.pvalue),
    }


def qa_vs_csat(
    frame: pd.DataFrame,
    *,
    by: str = "agent",
    qa_items: list[str] | None = None,
    level: float = 0.95,
    min_n: int = 2,
) -> dict:
    """Does the internal QA score agree with the customer's rating?

    Parameters
    ----------
    frame : DataFrame
        Canonical calls with ``qa_score`` and ``csat``.
    by : str, default "agent"
        The unit for the unit-level correlation.
    qa_items : list of str, optional
        Columns holding the separate QA form items (scores per call).
    level : float, default 0.95
        Confidence level of the intervals.
    min_n : int, default 2
        Units need at least this many QA evaluations and this many ratings.

    Returns
    -------
    dict
        ``call_level``: dict ``n, rho, ci_lower, ci_upper, p_value`` (Spearman
        between QA score and CSAT on calls that have both);
        ``unit_level``: dict ``units, r`` (Pearson r of the unit means),
        ``r_ci_lower, r_ci_upper``, ``rho`` (Spearman), ``icc_qa, icc_csat``
        (ICC(1) of single calls), ``mean_n_qa, mean_n_csat`` (evaluations and
        ratings per unit), ``reliability_qa, reliability_csat`` (Spearman–Brown
        reliability of a unit mean), ``r_disattenuated`` (r / √(rel_qa rel_csat),
        NaN when a reliability is not positive);
        ``units``: the per-unit table (``qa_n, qa_mean, csat_n, csat_mean``);
        ``items``: per QA item ``item, n, rho, ci_lower, ci_upper, p_value,
        p_adjusted`` (Holm) and ``tracks_csat`` (positive and significant), or
        None; ``conclusion``: {"en", "zh"}.

    Notes
    -----
    Correction for attenuation (Spearman 1904): the correlation of the true
    unit means is estimated as ``r / √(rel_x rel_y)``. A unit mean of k calls
    has reliability ``k ICC/(1 + (k − 1) ICC)`` (:func:`spearman_brown`); k is
    the average number of calls per unit. Pearson's r interval: Fisher z with
    standard error 1/√(I − 3).
    """
    _check_columns(frame, [by, "qa_score", "csat"])
    qa = pd.to_numeric(frame["qa_score"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    csat = pd.to_numeric(frame["csat"], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    call_level = _spearman_row(qa, csat, level)

    per_unit = pd.DataFrame({"unit": frame[by].to_numpy(), "qa": qa, "csat": csat})
    per_unit = per_unit[per_unit["unit"].notna()]
    grouped = per_unit.groupby("unit", observed=True, sort=True)
    units = pd.DataFrame(
        {
            "qa_n": grouped["qa"].count(),
            "qa_mean": grouped["qa"].mean(),
            "csat_n": grouped["csat"].count(),
            "csat_mean": grouped["csat"].mean(),
        }
    )
    units.index.name = by
    units = units.reset_index()
    eligible = units[(units["qa_n"] >= min_n) & (units["csat_n"] >= min_n)]
    keep_units = set(eligible[by])
    in_scope = per_unit[per_unit["unit"].isin(keep_units)]
    icc_qa = icc_oneway(in_scope["qa"], in_scope["unit"])
    icc_csat = icc_oneway(in_scope["csat"], in_scope["unit"])
    count = len(eligible)
    r = rho = r_lower = r_upper = rel_qa = rel_csat = disattenuated = float("nan")
    mean_n_qa = float(eligible["qa_n"].mean()) if count else float("nan")
    mean_n_csat = float(eligible["csat_n"].mean()) if count else float("nan")
    if count >= 3:
        x = eligible["qa_mean"].to_numpy(dtype=float)
        y = eligible["csat_mean"].to_numpy(dtype=float)
        if np.ptp(x) > 0 and np.ptp(y) > 0:
            r = float(stats.pearsonr(x, y).statistic)
            rho = float(stats.spearmanr(x, y).statistic)
            if count > 3:
                z = _z(level)
                centre = math.atanh(min(max(r, -0.999999), 0.999999))
                half = z / math.sqrt(count - 3)
                r_lower, r_upper = math.tanh(centre - half), math.tanh(centre + half)
        rel_qa = spearman_brown(icc_qa["icc"], mean_n_qa) if np.isfinite(icc_qa["icc"]) else rel_qa
        rel_csat = (
            spearman_brown(icc_csat["icc"], mean_n_csat)
            if np.isfinite(icc_csat["icc"])
            else rel_csat
        )
        if np.isfinite(r) and rel_qa > 0 and rel_csat > 0:
            disattenuated = r / math.sqrt(rel_qa * rel_csat)
    unit_level = {
        "units": count,
        "r": r,
        "r_ci_lower": r_lower,
        "r_ci_upper": r_upper,
        "rho": rho,
        "icc_qa": icc_qa["icc"],
        "icc_csat": icc_csat["icc"],
        "mean_n_qa": mean_n_qa,
        "mean_n_csat": mean_n_csat,
        "reliability_qa": rel_qa,
        "reliability_csat": rel_csat,
        "r_disattenuated": disattenuated,
    }
    items = None
    if qa_items:
        _check_columns(frame, list(qa_items))
        rows = []
        for item in qa_items:
            scores = pd.to_numeric(frame[item], errors="coerce").to_numpy(
                dtype=float, na_value=np.nan
            )
            rows.append({"item": item, **_spearman_row(scores, csat, level)})
        items = pd.DataFrame(rows)
        items["p_adjusted"] = holm(items["p_value"])
        items["tracks_csat"] = (items["rho"] > 0) & (items["p_adjusted"] < 1 - level)
        items = items.sort_values("rho", ascending=False, na_position="last").reset_index(drop=True)
    return {
        "call_level": call_level,
        "unit_level": unit_level,
        "units": units,
        "items": items,
        "conclusion": _qa_conclusion(call_level, unit_level, items, by, level),
    }


def _strength(rho: float) -> tuple[str, str]:
    size = abs(rho)
    if size < 0.1:
        return "no", "几乎没有"
    if size < 0.3:
        return "a weak", "较弱的"
    if size < 0.5:
        return "a moderate", "中等的"
    return "a strong", "较强的"


def _qa_conclusion(call_level, unit_level, items, by, level) -> dict:
    pct = f"{100 * level:g}%"
    rho = call_level["rho"]
    if not np.isfinite(rho):
        en = "Too few calls have both a QA score and a customer rating to compare them."
        zh = "同时具有质检得分和客户评价的通话太少，无法比较。"
    else:
        word_en, word_zh = _strength(rho)
        sign_en = "" if rho >= 0 else "negative "
        sign_zh = "" if rho >= 0 else "负"
        en = (
            f"On {call_level['n']} calls with both, QA scores show {word_en} {sign_en}agreement "
            f"with the customer's rating (Spearman ρ = {rho:.2f}, {pct} CI "
            f"{call_level['ci_lower']:.2f} to {call_level['ci_upper']:.2f})."
        )
        zh = (
            f"在 {call_level['n']} 通同时有质检和评价的通话中，质检得分与客户评价呈{word_zh}{sign_zh}相关"
            f"（Spearman ρ = {rho:.2f}，{pct} 置信区间 {call_level['ci_lower']:.2f} 至 "
            f"{call_level['ci_upper']:.2f}）。"
        )
    r = unit_level["r"]
    if np.isfinite(r):
        unit_en, unit_zh = _dimension(by, "en").lower(), _dimension(by, "zh")
        en += (
            f" Across {unit_level['units']} {unit_en}s the correlation of the means is r = {r:.2f}"
        )
        zh += f" 在 {unit_level['units']} 个{unit_zh}层面，平均值的相关系数 r = {r:.2f}"
        if np.isfinite(unit_level["r_disattenuated"]):
            en += (
                f"; corrected for the noise of small samples (reliability of a QA mean "
                f"{unit_level['reliability_qa']:.2f}, of a CSAT mean "
                f"{unit_level['reliability_csat']:.2f}) it is {unit_level['r_disattenuated']:.2f}."
            )
            zh += (
                f"；校正小样本噪声后（质检均值信度 {unit_level['reliability_qa']:.2f}，"
                f"满意度均值信度 {unit_level['reliability_csat']:.2f}）为 "
                f"{unit_level['r_disattenuated']:.2f}。"
            )
        else:
            en += "."
            zh += "。"
    if items is not None and len(items):
        tracking = items.loc[items["tracks_csat"], "item"].tolist()
        other = items.loc[~items["tracks_csat"], "item"].tolist()
        if tracking:
            en += f" Items that track customer satisfaction: {_names(tracking)}."
            zh += f" 与客户满意度相关的条目：{_names(tracking)}。"
        if other:
            en += f" Items that do not: {_names(other)}."
            zh += f" 与客户满意度无关的条目：{_names(other)}。"
    return {"en": en, "zh": zh}
