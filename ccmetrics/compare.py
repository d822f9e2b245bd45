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
Plain-language conclusions are returned as ``{"en": ..., "zh": ...}``, built from the
sentences of ``ccmetrics/locales/compare.py`` (keys ``compare.*``) with :func:`ccmetrics.i18n.t`.

The funnel plot lives in :mod:`ccmetrics.funnel`, the per-unit inputs every
comparison shares (metrics, per-call values, unit summaries) in
:mod:`ccmetrics.unitstats` and the textbook tests on plain arrays (Welch,
Games–Howell, Kruskal–Wallis, Dunn, ICC, Spearman–Brown) in :mod:`ccmetrics.stattests`;
this module re-exports their public names, so ``compare.funnel`` and the rest are
used as before. What the Teams page draws is read from these results here too:
:func:`funnel_points`, :func:`funnel_curves`, :func:`caterpillar_data`,
:func:`quadrant_data`, :func:`agent_card`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import optimize, special, stats

from ccmetrics.calibration import evaluator_calibration, icc_two_way
from ccmetrics.funnel import (
    flag_status,
    flagged_units,
    funnel,
    funnel_curves,
    funnel_limits,
    funnel_points,
    limits_method,
    overdispersion_test,
)
from ccmetrics.i18n import t
from ccmetrics.multitest import holm
from ccmetrics.schema import KpiSettings
from ccmetrics.stattests import (
    dunn,
    games_howell,
    icc_oneway,
    kruskal_wallis,
    spearman_brown,
    spearman_ci,
    two_sided_z,
    welch_anova,
)
from ccmetrics.unitstats import (
    HIGHER_IS_BETTER,
    MEAN_METRICS,
    METRICS,
    PROPORTION_METRICS,
    as_columns,
    call_values,
    casemix_expectation,
    check_columns,
    in_languages,
    kpi_label,
    level_suffix,
    metric_kind,
    name_list,
    noun_list,
    pooled_variance,
    unit_noun,
    unit_summary,
)

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
    "limits_method",
    "flag_status",
    "funnel_points",
    "flagged_units",
    "funnel_curves",
    "fit_beta_binomial",
    "shrink_normal",
    "shrink",
    "caterpillar_data",
    "quadrant_data",
    "gaps",
    "CARD_COLUMNS",
    "gap_verdict",
    "agent_card",
    "card_agents",
    "welch_anova",
    "games_howell",
    "kruskal_wallis",
    "dunn",
    "differences",
    "icc_oneway",
    "spearman_brown",
    "spearman_ci",
    "qa_vs_csat",
    "icc_two_way",
    "evaluator_calibration",
]


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


def _posterior(estimate, ci_lower, ci_upper, shrinkage, draws, prior, method, **extra) -> dict:
    """What a posterior step of :func:`shrink` returns, by name."""
    return {
        "estimate": estimate,
        "ci_lower": ci_lower,
        "ci_upper": ci_upper,
        "shrinkage": shrinkage,
        "draws": draws,
        "prior": prior,
        "method": method,
        **extra,
    }


def _beta_binomial_posterior(summary, n, tail, rng, simulations) -> dict:
    """Posterior of each unit's proportion under the fitted Beta prior (see :func:`shrink`).

    Returns ``estimate``, ``ci_lower``, ``ci_upper``, ``shrinkage``, ``draws``, ``prior``
    and ``method``.
    """
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
    return _posterior(estimate, ci_lower, ci_upper, shrinkage, draws, prior, used)


def _normal_posterior(
    frame, summary, by, metric, strata, settings, *, kind, value, n, method, tail, rng, simulations
) -> dict:
    """Posterior of each unit's value in the normal-normal model (see :func:`shrink`).

    With ``strata`` the values are first adjusted for case mix. Returns the fields of
    :func:`_beta_binomial_posterior` and ``summary`` (with the case-mix columns when
    adjusted), ``expected`` and ``adjusted``.
    """
    expected = None
    if strata:
        # indirect standardisation as funnel(casemix=...): the adjusted value and its
        # null variance given the unit's mix of strata
        expectation = casemix_expectation(frame, by, metric, strata, settings)
        summary = summary.merge(expectation, on=by, how="left")
        numerator = summary["successes"] if kind == "proportion" else summary["total"]
        centre = float(numerator.sum() / summary["n"].sum())
        expected = summary["expected"].to_numpy(dtype=float)
        adjusted = value - expected + centre
        variances = summary["se_casemix"].to_numpy(dtype=float) ** 2
        sigma = None
        used = f"normal-normal on case-mix adjusted values, tau2 by {method}"
    else:
        sigma2 = pooled_variance(summary)
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
    return _posterior(
        estimate,
        ci_lower,
        ci_upper,
        shrinkage,
        draws,
        prior,
        used,
        summary=summary,
        expected=expected,
        adjusted=adjusted,
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
    kind = metric_kind(metric)
    strata = as_columns(casemix)
    check_columns(frame, [by, *strata])
    summary = unit_summary(frame, by, metric, settings)
    if len(summary) < 2:
        raise ValueError("shrinkage needs at least two units with data")
    n = summary["n"].to_numpy(dtype=float)
    value = summary["value"].to_numpy(dtype=float)
    tail = (1 - level) / 2
    rng = np.random.default_rng(seed)
    if kind == "proportion" and not strata:
        posterior = _beta_binomial_posterior(summary, n, tail, rng, simulations)
    else:
        posterior = _normal_posterior(
            frame,
            summary,
            by,
            metric,
            strata,
            settings,
            kind=kind,
            value=value,
            n=n,
            method=method,
            tail=tail,
            rng=rng,
            simulations=simulations,
        )
        summary = posterior["summary"]
    estimate = posterior["estimate"]
    better_high = HIGHER_IS_BETTER[metric] if higher_is_better is None else higher_is_better
    best_ranks, worst_ranks = _rank_draws(posterior["draws"], better_high)
    order_key = -estimate if better_high else estimate
    rank = stats.rankdata(order_key, method="min").astype(int)
    table = summary[[by]].copy()
    table["n"] = n
    table["value"] = value
    if strata:
        table["expected"] = posterior["expected"]
        table["value_adjusted"] = posterior["adjusted"]
    table["estimate"] = estimate
    table["ci_lower"] = posterior["ci_lower"]
    table["ci_upper"] = posterior["ci_upper"]
    table["shrinkage"] = posterior["shrinkage"]
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
            "prior": posterior["prior"],
            "method": posterior["method"],
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

    def render(lang: str) -> str:
        unit = unit_noun(by, lang)
        sentences = [
            t(
                "compare.shrink.head",
                lang,
                count=units,
                unit=unit,
                kpi=kpi_label(metric, lang),
                pct=f"{100 * level:g}%",
                width=median_width,
            )
        ]
        if certain_top:
            sentences.append(t("compare.shrink.top", lang, names=name_list(certain_top)))
        if certain_bottom:
            sentences.append(t("compare.shrink.bottom", lang, names=name_list(certain_bottom)))
        if not certain_top and not certain_bottom:
            sentences.append(t("compare.shrink.none_sure", lang, unit=unit))
        if strata:
            sentences.append(t("compare.casemix", lang, unit=unit, mix=noun_list(strata, lang)))
        return " ".join(sentences)

    return in_languages(render)


def caterpillar_data(ranks: pd.DataFrame) -> pd.DataFrame:
    """The points of a caterpillar plot of a :func:`shrink` table, best first.

    Parameters
    ----------
    ranks : DataFrame
        A result of :func:`shrink`.

    Returns
    -------
    DataFrame
        One row per unit in the table's order (best first): ``unit`` (text), ``n``,
        ``estimate``, ``ci_lower``, ``ci_upper``, ``raw`` (``value``), with a case
        mix ``adjusted`` (``value_adjusted``), ``ring`` (the value that was shrunk:
        ``adjusted`` with a case mix, else ``raw``), ``rank``, ``rank_lower`` and
        ``rank_upper``.
    """
    by = ranks.columns[0]
    data = pd.DataFrame(
        {
            "unit": ranks[by].astype(str).to_numpy(),
            "n": ranks["n"].to_numpy(dtype=float),
            "estimate": ranks["estimate"].to_numpy(dtype=float),
            "ci_lower": ranks["ci_lower"].to_numpy(dtype=float),
            "ci_upper": ranks["ci_upper"].to_numpy(dtype=float),
            "raw": ranks["value"].to_numpy(dtype=float),
        }
    )
    if ranks.attrs.get("casemix"):
        data["adjusted"] = ranks["value_adjusted"].to_numpy(dtype=float)
    data["ring"] = data["adjusted"] if ranks.attrs.get("casemix") else data["raw"]
    for column in ("rank", "rank_lower", "rank_upper"):
        data[column] = ranks[column].to_numpy(dtype=int)
    return data


def quadrant_data(x_ranks: pd.DataFrame, y_ranks: pd.DataFrame) -> pd.DataFrame:
    """Shrunken estimates of two KPIs per unit, for a quadrant chart.

    Parameters
    ----------
    x_ranks, y_ranks : DataFrame
        Results of :func:`shrink` of two metrics by the same unit column.

    Returns
    -------
    DataFrame
        One row per unit present in both (in the order of ``x_ranks``): ``unit``
        (text), ``n_x``, ``x`` (the estimate of ``x_ranks``), ``n_y``, ``y``.
    """
    by = x_ranks.columns[0]
    if y_ranks.columns[0] != by:
        raise ValueError(f"the two tables rank different units: {by!r} and {y_ranks.columns[0]!r}")
    left = x_ranks[[by, "n", "estimate"]].rename(columns={"n": "n_x", "estimate": "x"})
    right = y_ranks[[by, "n", "estimate"]].rename(columns={"n": "n_y", "estimate": "y"})
    both = left.merge(right, on=by, how="inner")
    both.insert(0, "unit", both.pop(by).astype(str))
    return both


# ---------------------------------------------------------------------------
# gaps to the team / centre average
# ---------------------------------------------------------------------------


def _proportion_rest(summary: pd.DataFrame, key, n1: np.ndarray, y1: np.ndarray) -> tuple:
    """Each unit against the rest of its group, for a proportion (see :func:`gaps`).

    Returns the group's rate, the rest's rate and size, the standard error of the difference
    and Cohen's h.
    """
    x1 = summary["successes"].to_numpy(dtype=float)
    group_x = summary.groupby(key, observed=True)["successes"].transform("sum").to_numpy()
    group_n = summary.groupby(key, observed=True)["n"].transform("sum").to_numpy()
    reference = group_x / group_n
    n2 = group_n - n1
    with np.errstate(divide="ignore", invalid="ignore"):
        y2 = (group_x - x1) / n2
        se = np.sqrt(reference * (1 - reference) * (1 / n1 + 1 / n2))
        effect = 2 * np.arcsin(np.sqrt(y1)) - 2 * np.arcsin(np.sqrt(y2))
    return reference, y2, n2, se, effect


def _mean_rest(summary: pd.DataFrame, key, n1: np.ndarray, y1: np.ndarray) -> tuple:
    """Each unit against the rest of its group, for a mean (see :func:`gaps`).

    Returns the group's mean, the rest's mean and size, the standard error of the difference
    (pooled within-unit sigma) and Cohen's d.
    """
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
    return reference, y2, n2, se, effect


def _metric_gaps(
    summary: pd.DataFrame, groups: list[str], by: str, metric: str, threshold: float
) -> pd.DataFrame:
    """The :func:`gaps` rows of one metric from its non-empty :func:`unit_summary` by
    ``[*groups, by]`` (a caller that already holds the summary does not compute it again)."""
    kind = metric_kind(metric)
    if groups:
        key = summary[groups[0]]
    else:
        key = pd.Series(0, index=summary.index)
    n1 = summary["n"].to_numpy(dtype=float)
    y1 = summary["value"].to_numpy(dtype=float)
    rest = _proportion_rest if kind == "proportion" else _mean_rest
    reference, y2, n2, se, effect = rest(summary, key, n1, y1)
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
    return piece


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
    metrics = as_columns(metrics)
    groups = as_columns(within)
    check_columns(frame, [by, *groups])
    threshold = 1 - level
    pieces = []
    for metric in metrics:
        metric_kind(metric)
        try:
            summary = unit_summary(frame, [*groups, by], metric, settings)
        except ValueError:
            continue
        if summary.empty:
            continue
        pieces.append(_metric_gaps(summary, groups, by, metric, threshold))
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

    def render(lang: str) -> str:
        pct = f"{100 * level:g}%"
        if within:
            reference = t("compare.gaps.reference_within", lang, unit=unit_noun(within, lang))
        else:
            reference = t("compare.gaps.reference_centre", lang)
        if beyond.empty:
            return t("compare.gaps.none", lang, reference=reference, pct=pct)
        items = [
            t(
                "compare.gaps.item",
                lang,
                name=getattr(row, by),
                kpi=kpi_label(row.metric, lang),
                direction=t("compare.better" if row.better else "compare.worse", lang),
            )
            for row in beyond.itertuples(index=False)
        ]
        return t(
            "compare.gaps.some",
            lang,
            beyond=len(beyond),
            total=len(table),
            reference=reference,
            pct=pct,
            items=name_list(items),
        )

    return in_languages(render)


#: Output columns of :func:`agent_card`.
CARD_COLUMNS = (
    "metric",
    "n",
    "value",
    "team_value",
    "team_gap",
    "team_z",
    "team_z_better",
    "team_verdict",
    "centre_value",
    "centre_gap",
    "centre_verdict",
)


def gap_verdict(beyond_noise: bool, better) -> str:
    """A :func:`gaps` row's verdict: "better", "worse" or "none" (within noise).

    Examples
    --------
    >>> gap_verdict(True, True), gap_verdict(True, False), gap_verdict(False, None)
    ('better', 'worse', 'none')
    """
    if not beyond_noise:
        return "none"
    return "better" if bool(better) else "worse"


def agent_card(to_team: pd.DataFrame, to_centre: pd.DataFrame, agent: str, metrics) -> pd.DataFrame:
    """Every KPI of one agent against the team's value and the centre's, with verdicts.

    Parameters
    ----------
    to_team : DataFrame
        :func:`gaps` by agent, ``within="team"`` (without a team column: the gaps
        to the centre, and the card's team columns are then those to the centre).
    to_centre : DataFrame
        :func:`gaps` by agent without ``within``.
    agent : str
        The agent (compared as text).
    metrics : sequence of str
        The KPIs of the card, in its order; those ``to_team`` lacks for the agent
        are left out.

    Returns
    -------
    DataFrame
        One row per KPI (:data:`CARD_COLUMNS`): ``metric``, ``n``, ``value``,
        ``team_value`` (the team's ``reference``), ``team_gap``, ``team_z``,
        ``team_z_better`` (``team_z`` oriented so that positive is better: −z when
        a lower value is better), ``team_verdict`` (:func:`gap_verdict`),
        ``centre_value``, ``centre_gap`` and ``centre_verdict`` (NaN and "none"
        when ``to_centre`` has no row for the KPI). An agent in several teams is
        shown in the first of them.
    """
    metrics = list(metrics)
    team_rows = to_team[to_team["agent"].astype(str) == agent]
    if "team" in team_rows.columns and len(team_rows):
        team_rows = team_rows[team_rows["team"] == team_rows["team"].iloc[0]]
    centre_rows = to_centre[to_centre["agent"].astype(str) == agent].set_index("metric")
    rows = []
    for row in team_rows.itertuples(index=False):
        if row.metric not in metrics:
            continue
        centre = centre_rows.loc[row.metric] if row.metric in centre_rows.index else None
        rows.append(
            {
                "metric": row.metric,
                "n": row.n,
                "value": row.value,
                "team_value": row.reference,
                "team_gap": row.gap,
                "team_z": row.z,
                "team_z_better": row.z if HIGHER_IS_BETTER[row.metric] else -row.z,
                "team_verdict": gap_verdict(row.beyond_noise, row.better),
                "centre_value": centre["reference"] if centre is not None else np.nan,
                "centre_gap": centre["gap"] if centre is not None else np.nan,
                "centre_verdict": (
                    gap_verdict(centre["beyond_noise"], centre["better"])
                    if centre is not None
                    else "none"
                ),
            }
        )
    card = pd.DataFrame(rows, columns=list(CARD_COLUMNS))
    order = card["metric"].map(metrics.index)
    return card.iloc[np.argsort(order.to_numpy(), kind="stable")].reset_index(drop=True)


def card_agents(to_team: pd.DataFrame, team: str = "") -> pd.Series:
    """The agents an agent card can be drawn for, each with the team it is compared with.

    Parameters
    ----------
    to_team : DataFrame
        :func:`gaps` by agent, with ``within="team"`` (a ``team`` column) or without.
    team : str, default ""
        Only the agents of this team (compared as text); "" for every agent.

    Returns
    -------
    Series
        Indexed by agent (as text, sorted), named ``team``: the team of the agent's
        first row in ``to_team`` (the team :func:`agent_card` compares it with), as
        text; "" for every agent when ``to_team`` has no ``team`` column. Empty when no
        agent is in scope.

    Examples
    --------
    >>> gaps_table = pd.DataFrame({"agent": ["B", "A", "B", "C"], "team": ["T2", "T1", "T2", "T1"]})
    >>> card_agents(gaps_table).to_dict()
    {'A': 'T1', 'B': 'T2', 'C': 'T1'}
    >>> card_agents(gaps_table, "T1").index.tolist()
    ['A', 'C']
    """
    rows = pd.DataFrame({"agent": to_team["agent"].astype(str)})
    rows["team"] = to_team["team"].astype(str) if "team" in to_team.columns else ""
    if team:
        rows = rows[rows["team"] == team]
    first = rows.drop_duplicates("agent", keep="first").set_index("agent")["team"]
    return first.sort_index()


# ---------------------------------------------------------------------------
# omnibus and post-hoc tests
# ---------------------------------------------------------------------------


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
    kind = metric_kind(metric)
    strata = as_columns(casemix)
    check_columns(frame, [by, *strata])
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
    p = omnibus["p_value"]

    def render(lang: str) -> str:
        key = "compare.differences.differ" if p < alpha else "compare.differences.no_evidence"
        sentences = [
            t(
                key,
                lang,
                count=units,
                unit=unit_noun(by, lang),
                kpi=kpi_label(metric, lang),
                test=omnibus["test"],
                p=p,
            )
        ]
        if not pairwise.empty:
            sentences.append(
                t(
                    "compare.differences.pairs",
                    lang,
                    significant=int(pairwise["significant"].sum()),
                    pairs=len(pairwise),
                    method=pairwise["p_adjust_method"].iloc[0],
                )
            )
        if strata:
            sentences.append(t("compare.differences.within", lang, mix=noun_list(strata, lang)))
        return " ".join(sentences)

    return in_languages(render)


# ---------------------------------------------------------------------------
# QA vs CSAT
# ---------------------------------------------------------------------------


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
    check_columns(frame, [by, "qa_score", "csat"])
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
                z = two_sided_z(level)
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
        check_columns(frame, list(qa_items))
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


def _strength_key(rho: float) -> str:
    """The translation key of the strength (and sign) of a correlation ``rho``."""
    size = abs(rho)
    if size < 0.1:
        word = "none"
    elif size < 0.3:
        word = "weak"
    elif size < 0.5:
        word = "moderate"
    else:
        word = "strong"
    return f"compare.qa.strength.{word}" + ("" if rho >= 0 else "_negative")


def _qa_conclusion(call_level, unit_level, items, by, level) -> dict:
    rho = call_level["rho"]
    r = unit_level["r"]
    tracking, other = [], []
    if items is not None and len(items):
        tracking = items.loc[items["tracks_csat"], "item"].tolist()
        other = items.loc[~items["tracks_csat"], "item"].tolist()

    def render(lang: str) -> str:
        if not np.isfinite(rho):
            sentences = [t("compare.qa.too_few", lang)]
        else:
            sentences = [
                t(
                    "compare.qa.calls",
                    lang,
                    n=call_level["n"],
                    strength=t(_strength_key(rho), lang),
                    rho=rho,
                    pct=f"{100 * level:g}%",
                    ci_lower=call_level["ci_lower"],
                    ci_upper=call_level["ci_upper"],
                )
            ]
        if np.isfinite(r):
            corrected = np.isfinite(unit_level["r_disattenuated"])
            sentences.append(
                t(
                    "compare.qa.units_corrected" if corrected else "compare.qa.units",
                    lang,
                    count=unit_level["units"],
                    unit=unit_noun(by, lang),
                    r=r,
                    reliability_qa=unit_level["reliability_qa"],
                    reliability_csat=unit_level["reliability_csat"],
                    r_corrected=unit_level["r_disattenuated"],
                )
            )
        if tracking:
            sentences.append(t("compare.qa.items_track", lang, names=name_list(tracking)))
        if other:
            sentences.append(t("compare.qa.items_other", lang, names=name_list(other)))
        return " ".join(sentences)

    return in_languages(render)
