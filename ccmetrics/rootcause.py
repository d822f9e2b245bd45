"""Root-cause localisation: the smallest set of coarsest elements that explains a change.

Given one row per *leaf* (the finest combination of dimension values, e.g.
``queue=VIP & category=GPRS & segment=Prepaid``) with the value observed in an
anomaly window and the value expected from a baseline (or a forecast),
:func:`localize` returns a ranked set of disjoint *elements* (dimension value
combinations such as ``category=GPRS & segment=Youth``) that together explain
the change, with the share of the change each explains.

Three kinds of measure:

* ``"additive"``: a volume or a sum (offered calls, handle time seconds);
* ``"ratio"``: a ratio of sums of counts (abandoned ÷ offered, answered
  within target ÷ offered): binomial noise;
* ``"mean"``: a ratio of sums of a continuous numerator (handle seconds ÷
  handled calls = AHT): noise from the per-call variance.

The module is pure numpy/pandas; :mod:`ccmetrics.drill` calls it and exposes
the result as ``Explanation.causes``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd
from scipy import stats

__all__ = [
    "KINDS",
    "CAUSE_COLUMNS",
    "Localization",
    "localize",
    "window_dispersion",
]

#: Measures :func:`localize` handles.
KINDS = ("additive", "ratio", "mean")

#: Columns of :attr:`Localization.causes` and :attr:`Localization.ranking`.
CAUSE_COLUMNS = (
    "rank",
    "values",
    "order",
    "cause",
    "share",
    "relative_change",
    "gain",
    "score",
    "n_leaves",
    "actual",
    "expected",
)

ALPHA = 0.01  # family-wise level of the test that admits an element as a cause
MIN_SHARE = 0.02  # a cause explains at least 2 % of the total change (RiskLoc's pep threshold)
MAX_CAUSES = 5  # at most this many causes per incident
MATERIAL = 0.1  # a parent's other children "move" when they change by >= 1/10 of the element
Z_LEAF = 3.0  # a leaf beyond 3 standard deviations is abnormal (not part of the reference)
MIN_CHANGE = 0.05  # a cause changes its leaves by at least 5 % relative to the others
MIN_NORMAL = 0.2  # the normal leaves set the reference when they are >= 20 % of the leaves
RANKING_LENGTH = 10  # elements listed in the ranking (causes first, then runners-up)


@dataclass
class Localization:
    """The causes of a change and a longer ranking of elements.

    Attributes
    ----------
    causes : DataFrame
        The set of disjoint causes, largest share first (:data:`CAUSE_COLUMNS`):
        ``rank`` (1 = largest), ``values`` (dict dimension -> value),
        ``order`` (number of dimensions), ``cause`` (True), ``share`` (part
        of the total change it explains), ``relative_change`` (δ̂, its fitted
        relative change, e.g. 0.4 = +40 % on every leaf under it), ``gain``
        (G, the chi-square its ripple removes), ``score`` (G − pen, the
        penalised gain used to rank), ``n_leaves``, ``actual`` and
        ``expected`` (its summed residual target: volume for an additive
        measure, numerator for a ratio or mean).
    ranking : DataFrame
        The causes followed by the best other elements of the first search
        step (``cause`` False), same columns, at most :data:`RANKING_LENGTH`
        rows: the alternatives a manager would look at next.
    total_change : float
        Actual − expected of the whole population in the measure's units
        (the ratio's change for a ratio or mean).
    direction : int
        +1 when the population rose, −1 when it fell.
    dispersion : float
        c², the relative variance of the leaves beyond counting noise.
    notes : list of str
        Codes: ``"mix"`` (more than half of a ratio's change is a change of
        the mix of volumes, which the causes, rate effects, do not hold),
        ``"broad"`` (the change is everywhere: causes found covered every
        leaf, so none is returned).
    """

    causes: pd.DataFrame
    ranking: pd.DataFrame
    total_change: float
    direction: int
    dispersion: float
    notes: list = field(default_factory=list)


# --------------------------------------------------------------------------- noise


def _dispersion(residual, base_variance, template, direction) -> float:
    """Robust c² such that a quantile of r² / (base + c² t²) equals that of chi-square(1).

    The larger of the medians over the leaves that moved against the
    population's direction (an anomaly pushes its leaves one way, so these
    are nearly all normal) and over every leaf; with fewer than 20 of the
    former, the lower quartile over every leaf (robust to up to three
    quarters of anomalous leaves).
    """
    usable = (template > 0) | (residual != 0)
    against = usable & (np.sign(residual) == -direction)
    if against.sum() < 20:
        return _quantile_dispersion(
            residual[usable] ** 2, base_variance[usable], template[usable] ** 2, 0.25
        )
    # The larger of the against-side median and the all-leaf median: relative noise is
    # not always symmetric (a multiplicative error of ±25 % is −29 % / +22 % in the
    # symmetric relative residual), and the all-leaf median, raised by the anomaly's own
    # leaves, errs on the side of fewer causes.
    return max(
        _quantile_dispersion(residual[pick] ** 2, base_variance[pick], template[pick] ** 2, 0.5)
        for pick in (against, usable)
    )


def _quantile_dispersion(r2, base, t2, level: float) -> float:
    """c² ≥ 0 with the ``level`` quantile of r² / (base + c² t²) at chi-square(1)'s (bisection)."""
    target = float(stats.chi2.ppf(level, 1))
    if not len(r2):
        return 0.0

    def excess(c2: float) -> float:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(base + c2 * t2 > 0, r2 / (base + c2 * t2), 1e300)
        return float(np.quantile(ratio, level)) - target

    if excess(0.0) <= 0:
        return 0.0
    low, high = 0.0, 1.0
    while excess(high) > 0 and high < 1e12:
        high *= 10
    # Relative precision 1e-4 (~14 steps). When only c² = 0 itself is too small (cells with
    # no counting variance, b = 0, where r²/b is infinite), the root sits just above 0 and
    # the interval shrinks towards 0 without ever meeting a relative precision: stop below
    # 1e-12, which is 0 for every use of c² here.
    while high - low > 1e-4 * high and high > 1e-12:
        middle = (low + high) / 2
        low, high = (middle, high) if excess(middle) > 0 else (low, middle)
    return high if high > 1e-12 else 0.0


def _weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    if not len(values) or weights.sum() <= 0:
        return 0.0
    order = np.argsort(values, kind="stable")
    cumulative = np.cumsum(weights[order])
    return float(values[order][np.searchsorted(cumulative, cumulative[-1] / 2)])


def _poisson_deviance(observed, expected):
    """``2 [x ln(x / e) − (x − e)]``: the likelihood-ratio chi-square of a Poisson count."""
    observed = np.clip(np.asarray(observed, dtype=float), 0.0, None)
    expected = np.asarray(expected, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_term = np.where(observed > 0, observed * np.log(observed / expected), 0.0)
        deviance = 2 * (log_term - (observed - expected))
    return np.where(
        expected > 0, np.nan_to_num(deviance, nan=0.0), np.where(observed > 0, np.inf, 0.0)
    )


def _binomial_deviance(events_a, events_b, exposure_a, exposure_b, odds=1.0):
    """Likelihood-ratio chi-square of the split of K = x_a + x_b events between two windows.

    Given K, ``x_a ~ Binomial(K, π)`` under no change, ``π = e_a / (e_a + e_b)`` from the
    exposures (calls, or window lengths), its odds times ``odds`` (the rest's change):
    ``2 [x ln(x / K π) + (K − x) ln((K − x) / (K (1 − π)))]`` — calibrated for a few
    events, and it counts the baseline's own noise.
    """
    x = np.clip(np.asarray(events_a, dtype=float), 0.0, None)
    k = x + np.clip(np.asarray(events_b, dtype=float), 0.0, None)
    with np.errstate(divide="ignore", invalid="ignore"):
        pi = exposure_a / (exposure_a + exposure_b)
        pi = pi * odds / (pi * odds + 1 - pi)
        pi = np.clip(np.nan_to_num(pi, nan=0.5), 1e-12, 1 - 1e-12)
        first = np.where(x > 0, x * np.log(x / (k * pi)), 0.0)
        second = np.where(k - x > 0, (k - x) * np.log((k - x) / (k * (1 - pi))), 0.0)
    return np.where(k > 0, np.nan_to_num(2 * (first + second), nan=0.0), 0.0)


def _contrast(s1_in, s2_in, s1_out, s2_out):
    """Chi-square of δ_in ≠ δ_out, the fitted relative change δ_in and δ_in − δ_out.

    ``(δ_in − δ_out)² / (1/S2_in + 1/S2_out)`` with ``δ = S1 / S2``: the gain of
    fitting the element's own ripple over one common change of the population.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        delta_in = np.where(s2_in > 0, s1_in / np.where(s2_in > 0, s2_in, 1.0), np.nan)
        delta_out = np.where(s2_out > 0, s1_out / np.where(s2_out > 0, s2_out, 1.0), 0.0)
        inverse = np.where(s2_in > 0, 1 / np.where(s2_in > 0, s2_in, 1.0), np.inf) + np.where(
            s2_out > 1e-12 * np.maximum(s2_in, 1e-300), 1 / np.where(s2_out > 0, s2_out, 1.0), 0.0
        )
        contrast = np.nan_to_num(delta_in - delta_out)
        gain = np.where(np.isfinite(inverse) & (inverse > 0), contrast**2 / inverse, 0.0)
    return gain, delta_in, contrast


def window_dispersion(numerators, denominators=None, *, kind="additive", unit_variance=None):
    """c² of the week-to-week variation of the leaves, from W baseline windows.

    Parameters
    ----------
    numerators : array (W, L)
        Per baseline window and leaf: the volume (additive) or the numerator.
    denominators : array (W, L), optional
        The denominators (ratio, mean).
    kind : {"additive", "ratio", "mean"}
    unit_variance : array (L,), optional
        For a mean, the per-unit variance of each leaf.

    Returns
    -------
    float
        c² ≥ 0; 0 with fewer than two windows.

    Notes
    -----
    Each window is compared with the leaf's mean over the windows: the
    residual ``r_jl = x_jl − e_jl`` with ``e_jl = x̄_l`` (additive) or
    ``n_jl p_l``, ``p_l = Σ_j x_jl / Σ_j n_jl`` (ratio, mean). Under the noise
    model ``Var r = b_jl + c² e_jl²`` (b: Poisson ``e``, binomial
    ``e (1 − p)``, or ``n σ²`` for a mean), c² is the smallest value that
    brings the median of ``W/(W−1) r² / (b + c² e²)`` down to the median of
    χ²₁ (0.4549), over the cells with at least 5 expected events (all cells
    when fewer than 10 have): a robust moment estimator (W/(W−1) corrects
    for the mean taken from the same windows; the median keeps a window that
    already holds the anomaly in a few leaves from passing for noise).

    Examples
    --------
    >>> window_dispersion([[100, 50], [100, 50]])
    0.0
    """
    x = np.asarray(numerators, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2:
        return 0.0
    windows = x.shape[0]
    if kind == "additive":
        expected = np.broadcast_to(x.mean(axis=0), x.shape)
        base = expected
    else:
        n = np.asarray(denominators, dtype=float)
        totals = n.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(totals > 0, x.sum(axis=0) / np.where(totals > 0, totals, 1.0), 0.0)
        expected = n * rate
        if kind == "ratio":
            base = expected * (1 - np.clip(rate, 0.0, 1.0))
        else:
            variance = 0.0 if unit_variance is None else np.asarray(unit_variance, dtype=float)
            base = n * variance
    r2 = windows / (windows - 1) * (x - expected) ** 2
    base = np.broadcast_to(base, x.shape)
    # Measured where counts can show it (>= 5 expected events) when there are enough
    # such cells; a median, so that a window that already holds the anomaly in a few
    # leaves does not pass for week-to-week variation.
    cells = expected >= 5
    if cells.sum() < 10:
        cells = (expected > 0) | (x != 0)
    return _quantile_dispersion(r2[cells], base[cells], expected[cells] ** 2, 0.5)


# --------------------------------------------------------------------------- elements


def _cuboids(n_dims: int, max_order: int) -> list[tuple]:
    return [
        dims
        for order in range(1, min(max_order, n_dims) + 1)
        for dims in combinations(range(n_dims), order)
    ]


def _keys(codes: np.ndarray, sizes: np.ndarray, dims: tuple) -> tuple[np.ndarray, int]:
    key = np.zeros(len(codes), dtype=np.int64)
    space = 1
    for d in dims:
        key = key * sizes[d] + codes[:, d]
        space *= int(sizes[d])
    return key, space


def _sums(key, space, weights_list, active):
    k = key[active]
    return [np.bincount(k, weights=w[active], minlength=space) for w in weights_list]


def _decode(key: int, dims: tuple, sizes: np.ndarray) -> tuple:
    codes = []
    for d in reversed(dims):
        codes.append(key % int(sizes[d]))
        key //= int(sizes[d])
    return tuple(reversed(codes))


# --------------------------------------------------------------------------- the search


def localize(
    leaves: pd.DataFrame,
    dims,
    actual,
    expected,
    *,
    kind: str = "additive",
    actual_denominator=None,
    expected_denominator=None,
    unit_variance=None,
    counts: bool = True,
    forecast_windows: int | None = None,
    max_order: int = 3,
    alpha: float = ALPHA,
    min_share: float = MIN_SHARE,
    max_causes: int = MAX_CAUSES,
    dispersion: float | None = None,
) -> Localization:
    """Find the set of disjoint, coarsest elements that explain a change.

    Parameters
    ----------
    leaves : DataFrame
        One row per leaf; the ``dims`` columns hold its dimension values.
    dims : list of str
        Dimension columns.
    actual, expected : array-like
        Per leaf: the observed value and the value expected without anomaly
        (baseline scaled to the anomaly window, or a forecast). For a ratio or
        a mean, the numerators (failures, handle seconds).
    kind : {"additive", "ratio", "mean"}
    actual_denominator, expected_denominator : array-like, optional
        Per leaf denominators (offered calls, handled calls) for a ratio or a
        mean.
    unit_variance : array-like, optional
        For a mean: the per-unit variance of the numerator in each leaf (from
        the baseline's Σx² ); without it only the dispersion c² is used.
    counts : bool, default True
        The measure counts events (Poisson / binomial noise). False for a
        continuous amount (noise is then the relative dispersion c² alone).
    forecast_windows : int, optional
        Number of baseline windows averaged into ``expected``; adds the
        expectation's own counting noise (× (1 + 1/W)).
    max_order : int, default 3
        Largest number of dimensions combined in one element.
    alpha : float, default 0.01
        Family-wise level of the test that admits an element as a cause.
    min_share : float, default 0.02
        Smallest share of the total change a cause must explain.
    max_causes : int, default 5
    dispersion : float, optional
        c², the relative variance beyond counting noise, when it is known
        from the baseline windows (:func:`window_dispersion`); by default
        estimated from the leaves themselves.

    Returns
    -------
    Localization
        ``causes`` (the set, :data:`CAUSE_COLUMNS`), ``ranking`` (causes then
        runners-up), ``total_change``, ``direction``, ``dispersion``.

    Notes
    -----
    **Residuals and the ripple template.** For leaf l with actual value v_l
    and expectation f_l (additive), the residual is r_l = v_l − f_l. For a
    ratio or mean with numerator x_l over denominator n_l and baseline ratio
    p_l = f^x_l / f^n_l, the expected numerator at the actual volume is
    e_l = n_l p_l and r_l = x_l − e_l: the rate effect of Kitagawa's mix/rate
    split (the mix effect is the remainder ``Σ e_l / N − P``). For a ratio
    of counts p_l is shrunk to the population's P with the weight of one
    expected event, ``p_l = (x^b_l + 1) / (n^b_l + 1/P)`` on the W windows'
    raw sums (a leaf seen on a dozen calls without an abandon has no zero
    rate). A root cause e changes every leaf under it in proportion (the
    *ripple effect*, Li et al. 2019 "Squeeze", ISSRE; Kalander 2022
    "RiskLoc", arXiv:2205.10004):

    ``E[r_l] = δ_e t_l`` for l ∈ e,

    with the template t_l = e_l for counts (v_l / 2 where e_l = 0, so a new
    leaf shows at +200 %) and t_l = (e_l + v_l) / 2 for continuous amounts
    (the deviation score's denominator: the relative residual
    2 (v − f) / (v + f) is bounded and symmetric, so a −50 % forecast error is
    no "+100 %" outlier; with counts it would be biased, E[(v − f)(v + f)] = f).

    **Noise.** ``Var r_l = σ²_l = b_l + c² t_l²`` where b_l is counting noise
    (Poisson ``t_l``; binomial ``t_l (1 − p_l)`` plus that of the baseline
    rate ``n_l² p_l (1 − p_l) / (n^b_l + 1/P)``; ``n_l · unit variance`` for a
    mean; × (1 + 1/W) when the expectation is the mean of W windows; 0 for
    continuous amounts) and c² the relative dispersion beyond counting
    (week-to-week and forecast error): given (``dispersion``, from the
    baseline windows, :func:`window_dispersion`) or set robustly so that the
    median of r_l² / σ²_l over the leaves that moved against the
    population's direction (after its typical change) equals the median of
    χ²₁ (0.4549; with fewer than 20 such leaves, the lower quartile over all
    leaves equals χ²₁'s, 0.1015). A leaf with a handful of calls therefore
    carries almost no weight.

    **Gain against the normal leaves.** With
    ``S1 = Σ r_l t_l / σ²_l`` and ``S2 = Σ t_l² / σ²_l`` the weighted
    least-squares change of a set of leaves is δ̂ = S1 / S2 (a matched
    filter). An element e is compared with the *normal* leaves outside it —
    those within ``Z_LEAF`` = 3 standard deviations of no change in the
    population's direction, so that another cause does not set the
    reference, while a drift of the whole population (a trend, a biased
    forecast) does; with fewer than 20 % normal leaves, with all the rest:

    ``G_e = (δ̂_e − δ̂_out)² / (1/S2_e + 1/S2_out)``,

    the chi-square gained by giving e its own change (χ²₁ under no
    anomaly). For counts a surplus of a few events is not Gaussian, so
    G_e is capped by the likelihood-ratio chi-square of the element's events
    against the baseline's — the conditional binomial split of
    ``K = x + x^b`` with ``π = n / (n + n^b)`` (odds × (1 + δ̂_out)), or the
    Poisson deviance without windows — divided by the overdispersion
    ``Σ σ² / Σ b``. An element is admissible when it moved in the
    population's direction, ``G_e ≥ χ²₁,₁₋α/M`` (Bonferroni over the M
    elements searched), it explains at least ``min_share`` of the change and
    its change is material, ``|δ̂_e − δ̂_out| ≥ 0.05`` (a smaller shift is
    significant over a thousand leaves only because no noise model is
    exact).

    **Succinctness (description length).** Admissible elements are ranked by
    the penalised gain ``G_e − 2 ln M_k``, M_k the number of elements in the
    layer (number of dimensions) k of e: the risk-inflation criterion of
    Foster & George (1994, Ann. Statist. 22:1947), the cost of naming one of
    M_k elements. A child that merely adds a co-occurring attribute (nearly
    the same leaves, so the same gain) pays more and ranks below its parent.
    Then a **generalisation test** climbs from the chosen element e to a
    parent P (e minus one dimension) when P's other children deviate the
    same way beyond noise, i.e. all of

    * ``z = (S1_{P∖e} − δ̂_ref S2_{P∖e}) / √S2_{P∖e} ≥ √χ²₁,₁₋α/M`` (the
      level that admits a cause; δ̂_ref from the normal leaves outside P);
    * more than half of those children have their own z > 1 (one other
      cause among them is not a change of the parent);
    * their change is material: ``δ̂_{P∖e} − δ̂_ref ≥ 0.1 (δ̂_e − δ̂_ref)``
      (with tight noise a tiny common bias is significant yet no cause), and
      so is that of their typical leaf: the precision-weighted median of
      r_l / t_l over their leaves (weights t_l² / σ²_l), minus δ̂_ref. Under
      the parent's ripple every leaf moves; another cause lying inside one of
      the siblings moves their mean, not their typical leaf;

    choosing the passing parent of largest gain, and repeats. A child is
    therefore reported instead of its parent only when the parent's other
    children do not deviate — the layer-wise "coarsest explanation first"
    rule of RiskLoc and RobustSpot written as a test.

    **Several causes.** Greedy: the best element is taken, its leaves leave
    the search, and the search repeats on the remaining leaves while an
    element is admissible (at most ``max_causes``) and either what is left,
    ``Σ_{l left} r_l`` in the population's direction, or what is left in
    the abnormal leaves (beyond ``Z_LEAF``) is at least ``min_share`` of the
    change (of the abnormal leaves' change) — as RiskLoc removes found
    causes and stops when little explanatory power is left. The causes are disjoint in the leaves they claim; each one's
    share is ``Σ_{l∈e} r_l / Σ_l r_l`` (for a ratio: its rate effect over
    the ratio's total change, ``(Σ_{l∈e} r_l / N) / (X/N − F^x/F^n)``). When
    several causes together claim every leaf, the change is everywhere, not
    localised: no cause is returned (note "broad").

    **Ranking.** After the causes come their parents whose other children
    lean the same way (z > 1.645, one-sided 5 %), largest share first —
    the coarser descriptions a manager may prefer — then the best other
    elements of the first step by penalised gain.

    Examples
    --------
    >>> leaves = pd.DataFrame({"queue": ["A", "A", "B", "B"], "segment": ["x", "y", "x", "y"]})
    >>> result = localize(leaves, ["queue", "segment"], [200, 210, 100, 98], [100, 100, 100, 100])
    >>> result.causes["values"].tolist()
    [{'queue': 'A'}]
    """
    found = _localize_rows(
        leaves,
        dims,
        actual,
        expected,
        kind=kind,
        actual_denominator=actual_denominator,
        expected_denominator=expected_denominator,
        unit_variance=unit_variance,
        counts=counts,
        forecast_windows=forecast_windows,
        max_order=max_order,
        alpha=alpha,
        min_share=min_share,
        max_causes=max_causes,
        dispersion=dispersion,
    )
    return Localization(
        causes=pd.DataFrame(found.causes, columns=list(CAUSE_COLUMNS)),
        ranking=pd.DataFrame(found.ranking, columns=list(CAUSE_COLUMNS)),
        total_change=found.total_change,
        direction=found.direction,
        dispersion=found.dispersion,
        notes=found.notes,
    )


@dataclass
class _Rows:
    """:class:`Localization` with plain lists of row dicts (the drill-down's fast path)."""

    causes: list
    ranking: list
    total_change: float
    direction: int
    dispersion: float
    notes: list


def _localize_rows(
    leaves: pd.DataFrame,
    dims,
    actual,
    expected,
    *,
    kind: str = "additive",
    actual_denominator=None,
    expected_denominator=None,
    unit_variance=None,
    counts: bool = True,
    forecast_windows: int | None = None,
    max_order: int = 3,
    alpha: float = ALPHA,
    min_share: float = MIN_SHARE,
    max_causes: int = MAX_CAUSES,
    dispersion: float | None = None,
) -> _Rows:
    """The body of :func:`localize`, returning rows rather than DataFrames."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    dims = list(dims)
    actual = np.nan_to_num(np.asarray(actual, dtype=float))
    expected = np.clip(np.nan_to_num(np.asarray(expected, dtype=float)), 0.0, None)
    notes: list[str] = []
    window_factor = 1.0 + (1.0 / forecast_windows if forecast_windows else 0.0)

    windows = float(forecast_windows) if forecast_windows else 1.0
    if kind == "additive":
        target = expected
        residual = actual - expected
        base = np.maximum(expected, 1.0) * window_factor if counts else np.zeros_like(expected)
        total_change = float(residual.sum())
        population_scale = total_change
        # Under no change, events now : events in the baseline = 1 : W per leaf.
        events_b, exposure_a, exposure_b = (
            expected * windows,
            np.ones_like(expected),
            np.full_like(expected, windows),
        )
    else:
        if actual_denominator is None or expected_denominator is None:
            raise ValueError(f"a {kind} needs actual_denominator and expected_denominator")
        n_a = np.clip(np.nan_to_num(np.asarray(actual_denominator, dtype=float)), 0.0, None)
        n_f = np.clip(np.nan_to_num(np.asarray(expected_denominator, dtype=float)), 0.0, None)
        overall = expected.sum() / n_f.sum() if n_f.sum() > 0 else 0.0
        if kind == "ratio" and counts and 0 < overall < 1:
            # A leaf's baseline rate is shrunk to the population's with the weight of
            # one expected event (1 / P calls): a leaf seen on a dozen calls without
            # an abandon does not have a zero rate.
            prior = 1.0 / overall
            rate = (expected * windows + prior * overall) / (n_f * windows + prior)
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                rate = np.where(n_f > 0, expected / np.where(n_f > 0, n_f, 1.0), overall)
        target = n_a * rate
        residual = actual - target
        events_b, exposure_a, exposure_b = expected * windows, n_a, n_f * windows
        if kind == "ratio" and counts:
            rate_c = np.clip(rate, 0.0, 1.0)
            # binomial noise of the window plus that of the baseline rate it is compared with
            base = np.maximum(target * (1 - rate_c), 0.25) + n_a**2 * rate_c * (1 - rate_c) / (
                n_f * windows + (1.0 / overall if 0 < overall < 1 else 1.0)
            )
        elif kind == "mean" and unit_variance is not None:
            base = n_a * np.nan_to_num(np.asarray(unit_variance, dtype=float)) * window_factor
        else:
            base = np.zeros_like(target)
        big_n = n_a.sum()
        total_change = (
            actual.sum() / big_n - overall if big_n > 0 and n_f.sum() > 0 else float("nan")
        )
        population_scale = residual.sum()
        if np.isfinite(total_change) and big_n > 0:
            mix = target.sum() / big_n - overall
            if abs(mix) > 0.5 * abs(total_change):
                notes.append("mix")

    # Ripple template. Counts: the expectation, and for a leaf expected at zero that now
    # has volume half its actual value, so that its change shows at the largest relative
    # size (+200 %). Continuous amounts: the mean (f + v) / 2 of the two (the deviation
    # score's denominator), whose relative residual 2 (v − f) / (v + f) is bounded and
    # symmetric in v and f — a forecast error of −50 % is not a "+100 %" outlier.
    # (With counts (f + v) / 2 would be biased: E[(v − f)(v + f)] = f under Poisson.)
    if counts:
        template = np.where(target > 0, target, np.clip(actual, 0.0, None) / 2)
    else:
        template = np.clip((target + actual) / 2, 0.0, None)
    direction = 1 if residual.sum() >= 0 else -1
    # The dispersion is measured around the typical leaf's relative change (a drift of the
    # whole population, e.g. a weekly trend, is not noise).
    with np.errstate(divide="ignore", invalid="ignore"):
        relative = np.where(template > 0, residual / np.where(template > 0, template, 1.0), 0.0)
    drift = _weighted_median(relative[template > 0], template[template > 0])
    if dispersion is None:
        c2 = _dispersion(residual - drift * template, base, template, direction)
    else:
        c2 = max(float(dispersion), 0.0)
    variance = base + c2 * template**2
    floor = max(1e-12, 1e-12 * float(np.mean(template**2)) if len(template) else 1e-12)
    variance = np.maximum(variance, floor)

    codes = np.empty((len(leaves), len(dims)), dtype=np.int64)
    labels = []
    for position, dim in enumerate(dims):
        found, uniques = pd.factorize(leaves[dim], use_na_sentinel=False)
        codes[:, position] = found
        labels.append(np.asarray(uniques, dtype=object))
    sizes = np.array([max(len(u), 1) for u in labels], dtype=np.int64)

    weights = [
        residual * template / variance,
        template**2 / variance,
        residual,
        actual,
        target,
        variance,
        base,
        events_b,
        exposure_a,
        exposure_b,
    ]
    # Leaves that moved beyond Z_LEAF standard deviations in the population's direction are
    # "abnormal": the rest of the population is compared with the normal leaves only, so that
    # a second cause (or a sibling sharing the first one's change) does not set the reference.
    z_leaf = direction * residual / np.sqrt(variance)
    normal = (z_leaf <= Z_LEAF).astype(float)
    weights += [weights[0] * normal, weights[1] * normal]
    cuboids = _cuboids(len(dims), max_order)
    keys = {dims_: _keys(codes, sizes, dims_) for dims_ in cuboids}
    all_active = np.ones(len(leaves), dtype=bool)
    layer_counts: dict[int, int] = {}
    for dims_ in cuboids:
        key, space = keys[dims_]
        layer_counts[len(dims_)] = layer_counts.get(len(dims_), 0) + len(np.unique(key))
    n_elements = sum(layer_counts.values())
    penalty = {k: 2.0 * math.log(max(m, 2)) for k, m in layer_counts.items()}
    threshold = float(stats.chi2.isf(alpha / max(n_elements, 1), 1)) if n_elements else np.inf
    scale = population_scale if population_scale != 0 else np.nan

    held = template > 0

    def enough_normal(leaves_in):
        """Do normal leaves make at least MIN_NORMAL of the (non-empty) leaves?"""
        among = leaves_in & held
        return bool(among.any()) and normal[among].sum() >= MIN_NORMAL * among.sum()

    cuboid_index = {dims_: i for i, dims_ in enumerate(cuboids)}
    # A cause changes its leaves by at least 5 % against the others: a smaller shift is
    # "significant" over a thousand leaves only because no noise model is exact.
    material_change = MIN_CHANGE

    def evaluate(active):
        total_s1 = float(weights[0][active].sum())
        total_s2 = float(weights[1][active].sum())
        normal_s1 = float(weights[10][active].sum())
        normal_s2 = float(weights[11][active].sum())
        # Too few normal leaves (a change everywhere): compare with the whole rest.
        use_normal = enough_normal(active)
        rows = []
        for dims_ in cuboids:
            key, space = keys[dims_]
            sums = _sums(key, space, weights, active)
            s1, s2, r, a, t, var, counting, b_events, x_a, x_b, n1, n2 = sums
            count = np.bincount(key[active], minlength=space)
            present = np.flatnonzero(count > 0)
            if not len(present):
                continue
            s1, s2, r, a, t = s1[present], s2[present], r[present], a[present], t[present]
            if use_normal:
                out_s1, out_s2 = normal_s1 - n1[present], normal_s2 - n2[present]
            else:
                out_s1, out_s2 = total_s1 - s1, total_s2 - s2
            gain, _, contrast = _contrast(s1, s2, out_s1, out_s2)
            if counts:
                # Small expected counts: the Gaussian gain overstates a surplus of a few
                # events; the Poisson deviance against the rest's change does not.
                out_change = out_s1 / np.maximum(out_s2, 1e-300)
                if forecast_windows:
                    deviance = _binomial_deviance(
                        a, b_events[present], x_a[present], x_b[present], 1 + out_change
                    )
                else:
                    deviance = _poisson_deviance(a, t * (1 + out_change))
                inflation = np.maximum(var[present] / np.maximum(counting[present], 1e-300), 1.0)
                gain = np.minimum(gain, deviance / inflation)
            rows.append(
                {
                    "cuboid": np.full(len(present), cuboid_index[dims_]),
                    "key": present,
                    "order": np.full(len(present), len(dims_)),
                    "gain": gain,
                    "score": gain - penalty[len(dims_)],
                    "relative_change": np.where(t > 0, r / np.where(t > 0, t, 1.0), np.nan),
                    "share": r / scale,
                    "n_leaves": count[present],
                    "actual": a,
                    "expected": t,
                    "contrast": contrast,
                }
            )
        if not rows:
            return {}
        # plain arrays, not a DataFrame: this runs once per cause on every drill-down
        table = {name: np.concatenate([row[name] for row in rows]) for name in rows[0]}
        table["admissible"] = (
            (np.sign(table["contrast"]) == direction)
            & (np.abs(table["contrast"]) >= material_change)
            & (table["gain"] >= threshold)
            & (table["share"] >= min_share)
        )
        return table

    def mask_of(dims_, key_value):
        key, _ = keys[dims_]
        return key == key_value

    def parents_of(dims_, key_value, active, total):
        """Each parent (the element minus one dimension) with the test of its other children.

        Returns tuples ``(z, moves, gain, dims, key)``: z of the other children's change
        against the leaves outside the parent (in the population's direction), whether
        most of them move and by a material amount, and the parent's gain.
        """
        element = mask_of(dims_, key_value) & active
        element_codes = _decode(key_value, dims_, sizes)
        key, space = keys[dims_]
        parents = []
        for drop in range(len(dims_)):
            parent_dims = tuple(d for i, d in enumerate(dims_) if i != drop)
            parent_codes = tuple(c for i, c in enumerate(element_codes) if i != drop)
            parent_key = 0
            for d, c in zip(parent_dims, parent_codes, strict=True):
                parent_key = parent_key * int(sizes[d]) + c
            parent = mask_of(parent_dims, parent_key) & active
            rest = parent & ~element
            outside = active & ~parent
            if not rest.any() or not outside.any():
                continue
            # Reference: the fitted change of the normal leaves outside the parent.
            s2_out = float(weights[1][outside].sum())
            n2_out = float(weights[11][outside].sum())
            if enough_normal(outside) and n2_out > 0:
                reference = float(weights[10][outside].sum()) / n2_out
            else:
                reference = float(weights[0][outside].sum()) / s2_out if s2_out > 0 else 0.0
            s1_rest, s2_rest = float(weights[0][rest].sum()), float(weights[1][rest].sum())
            z = (s1_rest - reference * s2_rest) / math.sqrt(s2_rest) if s2_rest > 0 else 0.0
            s1_e, s2_e = float(weights[0][element].sum()), float(weights[1][element].sum())
            moved_e = s1_e / s2_e - reference if s2_e > 0 else 0.0
            moved_rest = s1_rest / s2_rest - reference if s2_rest > 0 else 0.0
            # The typical leaf of the rest moves too (a precision-weighted median): under the
            # parent's ripple every leaf moves, while another cause inside one sibling moves
            # that sibling's mean but not its typical leaf.
            spread = rest & (template > 0)
            typical = (
                _weighted_median(relative[spread], weights[1][spread]) - reference
                if spread.any()
                else 0.0
            )
            material = min(direction * moved_rest, direction * typical) >= (
                MATERIAL * direction * moved_e
            )
            # Each sibling (the parent's other children) on its own: most must move.
            s1_sib = np.bincount(key[rest], weights[0][rest], space)
            s2_sib = np.bincount(key[rest], weights[1][rest], space)
            held = s2_sib > 0
            z_sib = (s1_sib[held] - reference * s2_sib[held]) / np.sqrt(s2_sib[held])
            most = int((direction * z_sib > 1.0).sum()) * 2 > max(int(held.sum()), 1)
            s1, s2 = float(weights[0][parent].sum()), float(weights[1][parent].sum())
            parent_gain, _, _ = _contrast(
                np.array([s1]),
                np.array([s2]),
                np.array([total[0] - s1]),
                np.array([total[1] - s2]),
            )
            parents.append(
                (direction * z, most and material, float(parent_gain[0]), parent_dims, parent_key)
            )
        return parents

    def climb(dims_, key_value, active):
        """Generalisation test: move to a parent whose other children deviate the same way."""
        total = (float(weights[0][active].sum()), float(weights[1][active].sum()))
        # The other children must deviate at the level that admits a cause.
        z_crit = math.sqrt(threshold)
        while len(dims_) > 1:
            parents = parents_of(dims_, key_value, active, total)
            passing = [p for p in parents if p[0] > z_crit and p[1]]
            if not passing:
                break
            _, _, _, dims_, key_value = max(passing, key=lambda p: p[2])
        return dims_, key_value

    def coarser(dims_, key_value, active):
        """Parents whose other children lean the same way (one-sided 5 %): next in the ranking."""
        if len(dims_) < 2:
            return []
        total = (float(weights[0][active].sum()), float(weights[1][active].sum()))
        z_lean = float(stats.norm.isf(0.05))
        return [(p[3], p[4]) for p in parents_of(dims_, key_value, active, total) if p[0] > z_lean]

    abnormal = normal == 0

    def abnormal_change(leaves_in):
        return direction * float(residual[leaves_in & abnormal].sum())

    active = all_active.copy()
    chosen = []
    leaning = []
    first = None
    for _ in range(max_causes):
        table = evaluate(active)
        if first is None:
            first = table
        if not table:
            break
        admissible = np.flatnonzero(table["admissible"])
        if not len(admissible):
            break
        best = int(admissible[np.argmax(table["score"][admissible])])
        start = (cuboids[table["cuboid"][best]], int(table["key"][best]))
        dims_, key_value = climb(*start, active)
        if (dims_, key_value) != start:
            best = int(
                np.flatnonzero(
                    (table["cuboid"] == cuboid_index[dims_]) & (table["key"] == key_value)
                )[0]
            )
        chosen.append({name: values[best] for name, values in table.items()})
        leaning.extend(coarser(dims_, key_value, active))
        active &= ~mask_of(dims_, key_value)
        if not active.any():
            break
        # Stop when little of the change is left, both in total and in the abnormal leaves
        # (the normal leaves' noise can outweigh a remaining cause in the total; a cause of
        # modest change on many leaves has few leaves abnormal on their own).
        total_left = direction * float(residual[active].sum())
        if total_left <= min_share * abs(float(residual.sum())) and abnormal_change(
            active
        ) <= min_share * abnormal_change(all_active):
            break

    if len(chosen) > 1 and not (active & held).any():
        # The causes cover every leaf: the change is everywhere, not localised.
        chosen, leaning = [], []
        notes.append("broad")

    def describe(row, is_cause):
        dims_ = cuboids[int(row["cuboid"])]
        element_codes = _decode(int(row["key"]), dims_, sizes)
        values = {dims[d]: labels[d][c] for d, c in zip(dims_, element_codes, strict=True)}
        share = float(row["share"])
        if kind != "additive" and np.isfinite(total_change) and total_change != 0:
            # residual numerator / actual volume = its part of the ratio's change
            share = share * (population_scale / n_a.sum()) / total_change
        return {
            "values": values,
            "order": int(row["order"]),
            "cause": is_cause,
            "share": share,
            "relative_change": float(row["relative_change"]),
            "gain": float(row["gain"]),
            "score": float(row["score"]),
            "n_leaves": int(row["n_leaves"]),
            "actual": float(row["actual"]),
            "expected": float(row["expected"]),
        }

    cause_rows = sorted((describe(row, True) for row in chosen), key=lambda row: -row["share"])
    taken = {(int(row["cuboid"]), int(row["key"])) for row in chosen}
    others = []
    if first:
        # After the causes: their coarser versions whose other children lean the same
        # way (largest share first), then the best other elements of the first step.
        where = {
            (int(c), int(k)): i
            for i, (c, k) in enumerate(zip(first["cuboid"], first["key"], strict=True))
        }
        near = [where[(cuboid_index[d], k)] for d, k in dict.fromkeys(leaning)]
        near = sorted(near, key=lambda i: -float(first["share"][i]))
        pool = np.flatnonzero(np.sign(first["contrast"]) == direction)
        pool = pool[np.argsort(-first["score"][pool], kind="stable")]
        for i in [*near, *pool[: RANKING_LENGTH + len(taken) + len(near)]]:
            item = (int(first["cuboid"][i]), int(first["key"][i]))
            if item in taken:
                continue
            taken.add(item)
            others.append(describe({name: values[i] for name, values in first.items()}, False))
    ranking_rows = [*cause_rows, *others][: max(RANKING_LENGTH, len(cause_rows))]

    return _Rows(
        causes=[{"rank": rank, **row} for rank, row in enumerate(cause_rows, start=1)],
        ranking=[{"rank": rank, **row} for rank, row in enumerate(ranking_rows, start=1)],
        total_change=float(total_change),
        direction=direction,
        dispersion=float(c2),
        notes=notes,
    )
