"""Funnel plots: each team or agent against control limits for its number of calls.

* :func:`funnel_limits` — limits around a target for given n: exact binomial with
  Spiegelhalter's interpolation, Wilson, or normal; widened by an additive τ².
* :func:`overdispersion_test` — Spiegelhalter's (2005) test of more spread between
  units than chance allows, and its τ².
* :func:`funnel` — the funnel table of a metric by unit, optionally within a case mix.
* :func:`funnel_points`, :func:`funnel_curves`, :func:`flagged_units`,
  :func:`flag_status`, :func:`limits_method` — what a funnel chart draws and says,
  read from a :func:`funnel` table.

:mod:`ccmetrics.compare` re-exports every public name here.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from ccmetrics.i18n import t
from ccmetrics.schema import KpiSettings
from ccmetrics.stattests import two_sided_z
from ccmetrics.unitstats import (
    HIGHER_IS_BETTER,
    as_columns,
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
    "level_suffix",
    "funnel_limits",
    "overdispersion_test",
    "funnel",
    "limits_method",
    "flag_status",
    "funnel_points",
    "flagged_units",
    "funnel_curves",
]

_OVERDISPERSION_MODES = ("auto", "additive", "none")
_FUNNEL_METHODS = ("exact", "wilson", "normal")


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
        z = two_sided_z(level)
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


def _overdispersion_mode(overdispersion, method: str, by) -> str:
    """The over-dispersion mode of :func:`funnel` (a bool is "additive" or "none"), after
    checking it, the limits' method and that ``by`` is one column."""
    if isinstance(overdispersion, bool):
        overdispersion = "additive" if overdispersion else "none"
    if overdispersion not in _OVERDISPERSION_MODES:
        raise ValueError(f"overdispersion must be one of {_OVERDISPERSION_MODES} or a bool")
    if method not in _FUNNEL_METHODS:
        raise ValueError(f"method must be one of {_FUNNEL_METHODS}, not {method!r}")
    if not isinstance(by, str):
        raise ValueError("by must be a single column name")
    return overdispersion


def _flags(judged: np.ndarray, table: pd.DataFrame, level: float) -> np.ndarray:
    """ "above" / "below" where the judged value is beyond the outer limits, else ""."""
    outer = level_suffix(level)
    return np.where(
        judged > table[f"upper_{outer}"].to_numpy(),
        "above",
        np.where(judged < table[f"lower_{outer}"].to_numpy(), "below", ""),
    )


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
    frame : DataFrame or Dataset
        Canonical calls (proportions also accept intervals or a cube), or an
        engine-backed data set of calls (:func:`ccmetrics.engine.is_dataset`; see
        :func:`ccmetrics.unitstats.unit_summary` for what the engine sums).
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
    overdispersion = _overdispersion_mode(overdispersion, method, by)
    levels = tuple(sorted(levels))
    kind = metric_kind(metric)
    strata = as_columns(casemix)
    check_columns(frame, [by, *strata])
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
        sigma = math.sqrt(pooled_variance(summary))
    theta0 = centre if target is None else float(target)

    table = summary[[by, "n", "value"]].copy()
    table["target"] = theta0
    if strata:
        expectation = casemix_expectation(frame, by, metric, strata, settings)
        table = table.merge(expectation, on=by, how="left")
        table["value_adjusted"] = table["value"] - table["expected"] + theta0
        judged = table["value_adjusted"].to_numpy(dtype=float)
        se = table.pop("se_casemix").to_numpy(dtype=float)
    else:
        judged = value
        se = np.sqrt(theta0 * (1 - theta0) / n) if kind == "proportion" else sigma / np.sqrt(n)
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
    table["flag"] = _flags(judged, table, levels[-1])
    table["phi"] = test["phi"]
    table["tau2"] = tau2
    table = table.sort_values(["n", by], kind="stable").reset_index(drop=True)

    used = "normal" if applied or strata or kind == "mean" else method
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
    above = table.loc[table["flag"] == "above", by].tolist()
    below = table.loc[table["flag"] == "below", by].tolist()
    higher_better = HIGHER_IS_BETTER[metric]

    def render(lang: str) -> str:
        common = {
            "count": len(table),
            "unit": unit_noun(by, lang),
            "kpi": kpi_label(metric, lang),
            "pct": f"{100 * level:g}%",
        }
        flagged = len(above) + len(below)
        if not flagged and beyond_chance:
            key = "compare.funnel.spread_widened" if applied else "compare.funnel.spread"
            sentences = [t(key, lang, **common)]
        elif not flagged:
            sentences = [t("compare.funnel.chance", lang, **common)]
            if applied:
                sentences.append(t("compare.funnel.chance_allowed", lang, **common))
        else:
            parts = []
            if above:
                direction = t("compare.better" if higher_better else "compare.worse", lang)
                parts.append(
                    t("compare.funnel.above", lang, direction=direction, names=name_list(above))
                )
            if below:
                direction = t("compare.worse" if higher_better else "compare.better", lang)
                parts.append(
                    t("compare.funnel.below", lang, direction=direction, names=name_list(below))
                )
            number = "one" if flagged == 1 else "many"
            parts_text = t("compare.clause_sep", lang).join(parts)
            sentences = [
                t(
                    f"compare.funnel.outside_{number}",
                    lang,
                    flagged=flagged,
                    parts=parts_text,
                    **common,
                )
            ]
            if applied:
                sentences.append(t(f"compare.funnel.widened_{number}", lang, **common))
            elif beyond_chance:
                sentences.append(t("compare.funnel.not_widened", lang, **common))
        if strata:
            sentences.append(
                t("compare.casemix", lang, unit=common["unit"], mix=noun_list(strata, lang))
            )
        text = sentences[0]
        for sentence in sentences[1:]:  # no space after a Chinese full stop
            text = t("compare.two_sentences", lang, first=text, second=sentence)
        return text

    return in_languages(render)


def limits_method(table: pd.DataFrame) -> str:
    """The method of the limits a :func:`funnel` table was judged by.

    Parameters
    ----------
    table : DataFrame
        A result of :func:`funnel`.

    Returns
    -------
    str
        "exact", "wilson" or "normal": ``attrs["method"]`` without the "+tau2" that
        says the limits were widened by the over-dispersion τ²
        (``attrs["overdispersion_applied"]`` says so as a bool).

    Examples
    --------
    >>> table = pd.DataFrame({"n": [10.0]})
    >>> table.attrs["method"] = "normal+tau2"
    >>> limits_method(table)
    'normal'
    """
    method = table.attrs["method"].split("+")[0]
    if method not in _FUNNEL_METHODS:
        raise ValueError(f"not a funnel table: its method {table.attrs['method']!r} is unknown")
    return method


def flag_status(flag: str, metric: str) -> str:
    """Whether a unit flagged by :func:`funnel` is better or worse than the centre.

    Parameters
    ----------
    flag : str
        A ``flag`` of :func:`funnel`: "above", "below" or "" (within the limits).
    metric : str
        One of :data:`METRICS`.

    Returns
    -------
    str
        "better", "worse" or "none": above the limits is better when a higher value
        is (:data:`HIGHER_IS_BETTER`), below them when a lower one is.

    Examples
    --------
    >>> flag_status("above", "fcr_rate"), flag_status("above", "aht_s"), flag_status("", "aht_s")
    ('better', 'worse', 'none')
    """
    if not flag:
        return "none"
    return "better" if (flag == "above") == HIGHER_IS_BETTER[metric] else "worse"


def funnel_points(table: pd.DataFrame) -> pd.DataFrame:
    """The dots of a funnel plot: one per unit, the value it is judged by and its status.

    Parameters
    ----------
    table : DataFrame
        A result of :func:`funnel`.

    Returns
    -------
    DataFrame
        One row per unit in the table's order: ``unit`` (the ``by`` value as text),
        ``n``, ``value`` (the value judged: ``value_adjusted`` with a case mix, else
        ``value``), ``raw`` (``value``), ``z``, ``flag`` and ``status``
        (:func:`flag_status`); with a case mix also ``expected``.
    """
    metric, by = table.attrs["metric"], table.attrs["by"]
    mixed = bool(table.attrs.get("casemix"))
    judged = table["value_adjusted"] if mixed else table["value"]
    points = pd.DataFrame(
        {
            "unit": table[by].astype(str).to_numpy(),
            "n": table["n"].to_numpy(dtype=float),
            "value": judged.to_numpy(dtype=float),
            "raw": table["value"].to_numpy(dtype=float),
            "z": table["z"].to_numpy(dtype=float),
            "flag": table["flag"].to_numpy(),
            "status": [flag_status(flag, metric) for flag in table["flag"]],
        }
    )
    if mixed:
        points["expected"] = table["expected"].to_numpy(dtype=float)
    return points


def flagged_units(table: pd.DataFrame) -> list[str]:
    """The units a :func:`funnel` table flags, the farthest from the centre (largest |z|) first.

    Examples
    --------
    >>> table = pd.DataFrame({"agent": ["A", "B", "C"], "z": [-4.0, 1.0, 5.0],
    ...                       "flag": ["below", "", "above"]})
    >>> table.attrs["by"] = "agent"
    >>> flagged_units(table)
    ['C', 'A']
    """
    outliers = table[table["flag"] != ""]
    order = np.argsort(-np.abs(outliers["z"].to_numpy(dtype=float)), kind="stable")
    return outliers[table.attrs["by"]].astype(str).to_numpy()[order].tolist()


def funnel_curves(table: pd.DataFrame, points: int = 200) -> pd.DataFrame:
    """The control-limit curves of a funnel plot without a case mix, on a grid of n.

    Parameters
    ----------
    table : DataFrame
        A result of :func:`funnel` without ``casemix`` (with one, each unit has its
        own limits: the table's ``lower_<l>``/``upper_<l>``).
    points : int, default 200
        Points of the geometric grid from n = 1 to 1.05 × the largest n.

    Returns
    -------
    DataFrame
        Long format, one row per grid point, level and side: ``n``, ``limit``,
        ``level`` (the column suffix of :func:`level_suffix`, "95", "99_8"),
        ``side`` ("lower", "upper") and ``line`` (``<side>_<level>``, one curve).

    Notes
    -----
    The limits are :func:`funnel_limits` with the table's target, kind, levels,
    method (:func:`limits_method`), σ and τ², so they are the ones the units were
    judged by. The grid is ``round(geomspace(1, 1.05 max n, points))`` together with
    every unit's own n, so each curve passes through the limits of every unit.
    """
    attrs = table.attrs
    if attrs.get("casemix"):
        raise ValueError("a case-mix funnel has no curves: each unit has its own limits")
    n = table["n"].to_numpy(dtype=float)
    grid = np.unique(np.concatenate([np.round(np.geomspace(1.0, n.max() * 1.05, points)), n]))
    limits = funnel_limits(
        attrs["target"],
        grid,
        kind=attrs["kind"],
        levels=attrs["levels"],
        method=limits_method(table),
        sigma=attrs["sigma"],
        tau2=attrs["tau2"],
    )
    pieces = [
        pd.DataFrame(
            {
                "n": grid,
                "limit": limits[f"{side}_{level_suffix(level)}"].to_numpy(dtype=float),
                "level": level_suffix(level),
                "side": side,
                "line": f"{side}_{level_suffix(level)}",
            }
        )
        for level in attrs["levels"]
        for side in ("lower", "upper")
    ]
    return pd.concat(pieces, ignore_index=True)
