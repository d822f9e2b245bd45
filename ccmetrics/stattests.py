"""Textbook tests on plain arrays: omnibus and post-hoc tests, reliability, rank correlation.

These functions know nothing of calls or KPIs: they take values and group labels (or
a reliability, a correlation) and return the statistics of the named test, checked
against published implementations in tests/unit/test_compare.py. :mod:`ccmetrics.compare`
applies them to KPIs (``compare.differences``, ``compare.qa_vs_csat``) and re-exports
every public name here.

* :func:`welch_anova`, :func:`games_howell` — means with unequal variances.
* :func:`kruskal_wallis`, :func:`dunn` — ranks (Dunn with Holm's adjustment).
* :func:`icc_oneway`, :func:`spearman_brown` — the reliability of a unit's mean.
* :func:`spearman_ci` — confidence interval of Spearman's ρ.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from ccmetrics.multitest import holm

__all__ = [
    "two_sided_z",
    "group_values",
    "welch_anova",
    "games_howell",
    "kruskal_wallis",
    "dunn",
    "icc_oneway",
    "spearman_brown",
    "spearman_ci",
]


def two_sided_z(level: float) -> float:
    """Two-sided standard normal quantile of a level: ``Φ⁻¹(1/2 + level/2)``.

    Examples
    --------
    >>> round(two_sided_z(0.95), 4)
    1.96
    """
    return float(stats.norm.ppf(0.5 + level / 2))


def group_values(values, labels) -> tuple[list, list[np.ndarray]]:
    """Finite values split by label: (sorted labels, one array of values per label).

    Examples
    --------
    >>> group_values([1.0, float("nan"), 3.0, 4.0], ["b", "b", "a", None])
    (['a', 'b'], [array([3.]), array([1.])])
    """
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
    names, groups = group_values(values, labels)
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
    names, groups = group_values(values, labels)
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
    names, groups = group_values(values, labels)
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
    names, groups = group_values(values, labels)
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
    names, groups = group_values(values, labels)
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
    z = two_sided_z(level)
    centre = math.atanh(rho)
    return (math.tanh(centre - z * se), math.tanh(centre + z * se))
