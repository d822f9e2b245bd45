"""The chart of one KPI of a KPI table: the default chart type and :func:`kpi_chart`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccmetrics import kpis
from ccmetrics.engine import is_dataset
from ccmetrics.engine_inputs import dataset_kpis, measures_of_kpis
from ccmetrics.spc.base import (
    DEFAULT_RULES,
    ChartInputError,
    _mask,
)
from ccmetrics.spc.charts import cusum_chart, ewma_chart, p_chart, xbar_s_chart, xmr_chart
from ccmetrics.spc.improvement import _after_mask, improvement_check
from ccmetrics.spc.periods import GRANULARITIES, _check_granularity, period_freq
from ccmetrics.spc.seasonal import seasonal_chart

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
    _check_granularity(granularity)
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


def chart_measures(kpi: str) -> tuple[str, ...] | None:
    """The summed measures the chart of ``kpi`` reads from a KPI table.

    Parameters
    ----------
    kpi : str
        A KPI column.

    Returns
    -------
    tuple of str or None
        :func:`ccmetrics.engine_inputs.measures_of_kpis` of the KPI (its value and its
        n) with the sum and sum of squares of an Xbar-S chart; None (every measure) for
        a name that is no KPI.

    Examples
    --------
    >>> chart_measures("aht_s")
    ('offered', 'handle_n', 'handle_s_sum', 'handle_s_sq_sum', 'ivr_n')
    """
    measures = measures_of_kpis([kpi])
    if measures is None:
        return None
    squares = [name.removesuffix("__sum") for name in _KPI_SQUARES.get(kpi, ())]
    return measures_of_kpis([*measures, *squares])


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


def _checked_periods(kpi_table: pd.DataFrame, kpi: str, granularity: str) -> pd.DatetimeIndex:
    """The periods of a KPI table that :func:`kpi_chart` can chart (else ChartInputError)."""
    if "period" not in kpi_table.columns:
        raise ChartInputError(
            "kpi_table needs a period column (ccmetrics.kpi.compute with freq=...)",
            "missing_column",
            column="period",
        )
    if kpi not in kpi_table.columns:
        raise ChartInputError(f"kpi_table has no column {kpi!r}", "missing_column", column=kpi)
    _check_granularity(granularity)
    periods = pd.DatetimeIndex(pd.to_datetime(kpi_table["period"]))
    if periods.has_duplicates:
        raise ChartInputError(
            "kpi_table must have one row per period (no group-by columns)", "duplicate_periods"
        )
    return periods


def _subgroup_sd(total: np.ndarray, squares: np.ndarray, mean: np.ndarray, n: np.ndarray):
    """Standard deviation within each period from its sums: sqrt((sum x^2 - sum x * mean) /
    (n - 1)), missing below two observations (negative rounding noise taken as 0)."""
    with np.errstate(invalid="ignore", divide="ignore"):
        variance = (squares - total * mean) / (n - 1.0)
        return np.where(n >= 2, np.sqrt(np.maximum(variance, 0.0)), np.nan)


def _chosen_chart(chart: str | None, kpi: str, granularity: str, available: list) -> tuple:
    """The chart to draw (the KPI's default when None, XmR when the default does not fit)
    and the default; a chart that does not fit raises ``chart_not_available``."""
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
    return chart, default


def _phases(index: pd.DatetimeIndex, change) -> dict[str, np.ndarray]:
    """The phases of the chart: one ("all"), or "before" and "after" a change."""
    if change is None:
        return {"all": np.ones(index.size, dtype=bool)}
    after = _after_mask(index, change)
    if after.all() or not after.any():
        raise ChartInputError("the change must leave points on both sides", "change_sides")
    return {"before": ~after, "after": after}


def _improvement(value, n, index, *, proportion: bool, **options):
    """:func:`improvement_check` of the KPI: on counts value x n for a rate with its base,
    on the point values otherwise."""
    if proportion:
        counts = pd.Series(np.clip(value * n, 0.0, n), index=index)
        return improvement_check(counts, n, kind="proportion", **options)
    return improvement_check(pd.Series(value, index=index), kind="mean", **options)


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
    minutes: int = 30,
    settings=None,
) -> pd.DataFrame:
    """The control chart of one KPI of a per-period KPI table, chosen as a manager needs it.

    Parameters
    ----------
    kpi_table : pandas.DataFrame or Dataset
        One row per period, as ``ccmetrics.kpi.compute(frame, freq=..., keep_sums=True)``
        returns it: a ``period`` column, the KPI column, the n column behind it (e.g.
        ``sl_base`` for ``service_level``) and, for an Xbar-S chart of AHT or ASA, the sums
        and sums of squares (``handle_s_sum__sum``, ``handle_s_sq_sum__sum``; ``wait_s_*``).
        Or an engine-backed data set of calls (:func:`ccmetrics.engine.is_dataset`): that
        table is then summed by its engine, ``kpi.compute(data, freq=period_freq(
        granularity, minutes), settings=settings, keep_sums=True)``, summing only the
        measures this KPI's chart reads (:func:`chart_measures`: no FCR flags unless it
        rests on them, no handle times for a service level).
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
    minutes : int, default 30
        For a data set charted per interval: the interval length
        (:func:`ccmetrics.kpi.chart_interval_minutes` on a frame).
    settings : KpiSettings, optional
        For a data set: the KPI conventions its table is computed with.

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
    if is_dataset(kpi_table):
        freq = period_freq(granularity, minutes) if granularity in GRANULARITIES else "D"
        # only the measures of this KPI (a chart of the service level needs no FCR flags)
        kpi_table = dataset_kpis(
            kpi_table, freq=freq, settings=settings, keep_sums=True, measures=chart_measures(kpi)
        )
    periods = _checked_periods(kpi_table, kpi, granularity)
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
    sums = [_column(kpi_table, name) for name in _KPI_SQUARES.get(kpi, (None, None))]
    has_squares = kpi_class == "mean" and has_n and all(s is not None for s in sums)
    sd = _subgroup_sd(*(s[order] for s in sums), value, n) if has_squares else None

    available = _charts_for(kpi_class, has_n, has_squares, granularity)
    chart, default = _chosen_chart(chart, kpi, granularity, available)
    phases = _phases(index, change)

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
        proportion = kpi_class == "rate" and has_n
        improvement = _improvement(value, n, index, proportion=proportion, **options)
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
