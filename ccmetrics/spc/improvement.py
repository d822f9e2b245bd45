"""The improvement check: before/after a change, limits of the before phase and Welch's test."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ccmetrics import i18n
from ccmetrics.spc.base import (
    D2_MOVING_RANGE,
    DEFAULT_RULES,
    ChartInputError,
    _aligned,
    _series_values,
)
from ccmetrics.spc.charts import p_chart, xmr_chart

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
    """English and Chinese one-line summaries (``spc.improvement.*`` of the translation table)."""
    level = f"{100 * confidence:g}%"
    scale = 100.0 if kind == "proportion" else 1.0
    low_text, high_text = f"{scale * low:+.{decimals}f}", f"{scale * high:+.{decimals}f}"
    key = "spc.improvement." + ("significant" if significant else "not_significant")
    verb = "spc.improvement." + ("rose" if after > before else "fell")
    sentences = []
    for lang, name, value_unit in (("en", label, unit), ("zh", label_zh, unit_zh)):
        if kind == "proportion":
            value_suffix, span = "%", i18n.t("spc.improvement.points", lang)
        else:
            value_suffix = span = value_unit
        sentences.append(
            i18n.t(
                key,
                lang,
                label=name,
                verb=i18n.t(verb, lang),
                before=f"{scale * before:.{decimals}f}{value_suffix}",
                after=f"{scale * after:.{decimals}f}{value_suffix}",
                level=level,
                low=low_text,
                high=high_text,
                span=span,
            )
        )
    english, chinese = sentences
    return english, chinese


def _compare_proportions(raw, n, after, quantile, series, *, laney, rules) -> dict:
    """The two-proportion comparison of :func:`improvement_check` (see its Notes).

    Returns the phases' values, difference, interval (low, high), statistic, p-value, test,
    dispersion, denominators and the p (or p') chart of each phase.
    """
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
        dispersion * (before_value * (1 - before_value) / n1 + after_value * (1 - after_value) / n2)
    )
    pooled = float((x1 + x2) / (n1 + n2))
    se_pooled = math.sqrt(dispersion * pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    statistic = difference / se_pooled if se_pooled > 0 else float("nan")
    p_value = float(2 * stats.norm.sf(abs(statistic))) if np.isfinite(statistic) else float("nan")
    test = "two-proportion z-test"
    if dispersion > 1:
        test += f", variance inflated by sigma_z^2 = {dispersion:.2f} for overdispersion"
    size_series = pd.Series(sizes, index=series.index)
    phases = [
        p_chart(series[mask], size_series[mask], laney=laney, rules=rules).assign(phase=name)
        for name, mask in (("before", ~after), ("after", after))
    ]
    return {
        "before": before_value,
        "after": after_value,
        "difference": difference,
        "low": difference - quantile * se_unpooled,
        "high": difference + quantile * se_unpooled,
        "statistic": statistic,
        "p_value": p_value,
        "test": test,
        "dispersion": dispersion,
        "n_before": float(n1),
        "n_after": float(n2),
        "phases": phases,
    }


def _compare_means(raw, n, after, confidence, series, *, rules) -> dict:
    """Welch's comparison of the point values of :func:`improvement_check` (see its Notes).

    Returns the same fields as :func:`_compare_proportions`, with an XmR chart per phase.
    """
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
    phases = [
        xmr_chart(series[mask], rules=rules).assign(phase=name)
        for name, mask in (("before", ~after), ("after", after))
    ]
    return {
        "before": before_value,
        "after": after_value,
        "difference": after_value - before_value,
        "low": float(interval.low),
        "high": float(interval.high),
        "statistic": float(result.statistic),
        "p_value": float(result.pvalue),
        "test": "Welch's t-test",
        "dispersion": 1.0,
        "n_before": float(first.size),
        "n_after": float(second.size),
        "phases": phases,
    }


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
        result = _compare_proportions(raw, n, after, quantile, series, laney=laney, rules=rules)
    else:
        result = _compare_means(raw, n, after, confidence, series, rules=rules)
    before_value, after_value = result["before"], result["after"]
    difference, low, high = result["difference"], result["low"], result["high"]
    phases = result["phases"]
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
        statistic=float(result["statistic"]),
        p_value=float(result["p_value"]),
        test=result["test"],
        dispersion=float(result["dispersion"]),
        n_before=result["n_before"],
        n_after=result["n_after"],
        significant=significant,
        sentence_en=sentence_en,
        sentence_zh=sentence_zh,
        chart=chart,
    )
