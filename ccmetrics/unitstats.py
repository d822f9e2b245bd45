"""Per-unit inputs of every comparison of teams and agents: the metrics, their per-call
values and the sufficient statistics of each unit.

:mod:`ccmetrics.funnel` and :mod:`ccmetrics.compare` (shrinkage, gaps, post-hoc tests,
QA vs CSAT) build on these; :mod:`ccmetrics.compare` re-exports the public names it
always had (``METRICS``, ``call_values``, ``unit_summary``, ``level_suffix``, ...).

Metrics are the KPI names of :mod:`ccmetrics.kpi`: proportions
(:data:`PROPORTION_METRICS`, numerator and denominator from
:func:`ccmetrics.kpi.compute`) and means (:data:`MEAN_METRICS`, per-call values
from the canonical columns with the definitions of :func:`ccmetrics.cube.call_measures`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccmetrics import kpis
from ccmetrics.cube import ivr_only_rows
from ccmetrics.i18n import LANGUAGES, has_key, t
from ccmetrics.kpi import KPI_BASE, compute
from ccmetrics.schema import KpiSettings

__all__ = [
    "METRICS",
    "PROPORTION_METRICS",
    "MEAN_METRICS",
    "HIGHER_IS_BETTER",
    "metric_kind",
    "as_columns",
    "check_columns",
    "level_suffix",
    "kpi_label",
    "dimension_label",
    "name_list",
    "unit_noun",
    "noun_list",
    "in_languages",
    "call_values",
    "unit_summary",
    "pooled_variance",
    "casemix_expectation",
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


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def metric_kind(metric: str) -> str:
    """ "proportion" or "mean": how a metric of :data:`METRICS` is compared.

    Examples
    --------
    >>> metric_kind("fcr_rate"), metric_kind("aht_s")
    ('proportion', 'mean')
    """
    if metric in PROPORTION_METRICS:
        return "proportion"
    if metric in MEAN_METRICS:
        return "mean"
    raise ValueError(f"unknown metric {metric!r}: choose one of {METRICS}")


def as_columns(value) -> list[str]:
    """A column argument as a list: None -> [], "queue" -> ["queue"], a sequence as a list."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def check_columns(frame: pd.DataFrame, columns: list[str]) -> None:
    """Raise ValueError naming the ``columns`` the frame lacks (and those it has)."""
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


def kpi_label(metric: str, lang: str) -> str:
    """Display name of a metric in ``lang`` (the translation key ``kpi.<metric>``)."""
    return t(f"kpi.{metric}", lang)


def dimension_label(column: str, lang: str) -> str:
    """Display name of a dimension column ("team" -> "Team" / "班组"), else the column name."""
    try:
        return t(f"dim.{column}", lang)
    except KeyError:
        return column


def name_list(values, limit: int = 8) -> str:
    """Names for running text: the first ``limit``, then how many more.

    Examples
    --------
    >>> name_list(["A", "B", "C"], limit=2)
    'A, B, … (+1)'
    """
    values = [str(v) for v in values]
    if len(values) > limit:
        return ", ".join(values[:limit]) + f", … (+{len(values) - limit})"
    return ", ".join(values)


def unit_noun(column: str, lang: str) -> str:
    """The noun of a dimension in running text ("team" / "班组"), else the column name.

    The translation key ``compare.unit.<column>``: lower case in English, where the
    sentences of ``ccmetrics/locales/compare.py`` write the plural as ``{unit}s``.

    Examples
    --------
    >>> unit_noun("segment", "en"), unit_noun("agent", "zh"), unit_noun("Site", "en")
    ('customer segment', '坐席', 'Site')
    """
    key = f"compare.unit.{column}"
    return t(key, lang) if has_key(key, lang) else str(column)


def noun_list(columns, lang: str) -> str:
    """The nouns of several dimensions as one list in running text.

    Examples
    --------
    >>> noun_list(["queue", "channel"], "en"), noun_list(["queue", "channel"], "zh")
    ('queue, channel', '技能组、渠道')
    """
    return t("compare.list_sep", lang).join(unit_noun(c, lang) for c in columns)


def in_languages(render) -> dict[str, str]:
    """One text in every language of the app: ``{lang: render(lang)}``.

    Parameters
    ----------
    render : callable
        ``render(lang) -> str``, the text written with :func:`ccmetrics.i18n.t`.

    Returns
    -------
    dict
        ``{"en": ..., "zh": ...}``, the shape of every ``conclusion`` of the comparisons.

    Examples
    --------
    >>> in_languages(lambda lang: unit_noun("team", lang))
    {'en': 'team', 'zh': '班组'}
    """
    return {lang: render(lang) for lang in LANGUAGES}


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
    call; ``qa_mean`` the score of an evaluated call (none of a call that ended
    in the IVR).

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
        check_columns(frame, ["wait_s"])
        values = np.where(answered, numbers("wait_s"), np.nan)
    elif metric == "csat_mean":
        check_columns(frame, ["csat"])
        values = numbers("csat")
    else:
        check_columns(frame, ["qa_score"])
        values = numbers("qa_score")
    # a rating or score of a call that ended in the IVR is not an agent's (as in call_measures)
    values = np.where(ivr_only_rows(frame), np.nan, values)
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
    frame : DataFrame or Dataset
        Canonical calls (means need call-level data; proportions also accept
        canonical intervals or a cube), or an engine-backed data set of calls
        (:func:`ccmetrics.engine.is_dataset`): proportions, AHT and ASA from the
        engine's sums per unit; talk time, CSAT and QA from the columns of the calls
        they read (their sums of squares are no measure of the engine).
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
    keys = as_columns(by)
    check_columns(frame, keys)
    kind = metric_kind(metric)
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
    if not isinstance(frame, pd.DataFrame):
        return _dataset_mean_summary(frame, keys, metric, settings)
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


#: Mean metrics whose per-unit n, Σx and Σx² are measures of the engine's sums:
#: metric -> (n, Σx, Σx²) of :data:`ccmetrics.cube.MEASURES`.
_MEAN_SUMS = {
    "aht_s": ("handle_n", "handle_s_sum", "handle_s_sq_sum"),
    "asa_s": ("wait_n", "wait_s_sum", "wait_s_sq_sum"),
}
#: The canonical columns :func:`call_values` reads for each mean metric.
_MEAN_INPUTS = {
    "aht_s": ("answered", "talk_s", "hold_s", "acw_s"),
    "talk_s": ("answered", "talk_s"),
    "asa_s": ("answered", "wait_s"),
    "csat_mean": ("csat",),
    "qa_mean": ("qa_score",),
}


def _dataset_mean_summary(data, keys: list[str], metric: str, settings) -> pd.DataFrame:
    """:func:`unit_summary` of a mean metric on an engine-backed data set.

    AHT and ASA come from the engine's sums per unit (n, Σx and Σx² are measures);
    talk time, CSAT and QA have no sum of squares among the measures, so the columns
    :func:`call_values` reads are fetched for every call (``Dataset.window``) and
    summed here as on a frame.
    """
    from ccmetrics.engine_inputs import IVR_FLAGS, dataset_calls, dataset_sums

    if metric not in _MEAN_SUMS:
        columns = [*keys, *_MEAN_INPUTS[metric], *IVR_FLAGS]
        return unit_summary(dataset_calls(data, columns), keys, metric, settings)
    count, total, square = _MEAN_SUMS[metric]
    sums = dataset_sums(data, by=keys, settings=settings)
    # a unit with no value of a key is left out, as a frame's group-by leaves it out
    sums = sums[sums[keys].notna().all(axis=1)]
    out = sums[keys].reset_index(drop=True)
    n = sums[count].to_numpy(dtype=float, na_value=np.nan)
    out["n"] = n
    out["total"] = sums[total].to_numpy(dtype=float, na_value=np.nan)
    squares = sums[square].to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        out["value"] = out["total"] / out["n"]
        out["sum_sq"] = np.maximum(squares - out["total"].to_numpy() ** 2 / n, 0.0)
    out = out[out["n"] > 0].reset_index(drop=True)
    return out[[*keys, "n", "value", "total", "sum_sq"]]


def pooled_variance(summary: pd.DataFrame) -> float:
    """Within-unit variance pooled over units: Σ sum_sq / (N − I)."""
    dof = summary["n"].sum() - len(summary)
    if dof <= 0:
        return float("nan")
    return float(summary["sum_sq"].sum() / dof)


def casemix_expectation(
    frame: pd.DataFrame, by: str, metric: str, casemix: list[str], settings
) -> pd.DataFrame:
    """Expected value and its null standard error per unit, given its mix of strata.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls (proportions also accept intervals or a cube).
    by : str
        The unit column.
    metric : str
        One of :data:`METRICS`.
    casemix : list of str
        The strata columns.
    settings : KpiSettings or None

    Returns
    -------
    DataFrame
        The ``by`` column, ``expected`` and ``se_casemix``.

    Notes
    -----
    Indirect standardisation: strata s have centre values θ_s (all units pooled) and
    variances v_s (θ_s(1 − θ_s) for proportions, the within-stratum variance pooled
    over units for means); a unit with n_s calls in stratum s has
    ``expected = Σ n_s θ_s / n`` and null standard error ``√(Σ n_s v_s) / n``.
    """
    strata = unit_summary(frame, [by, *casemix], metric, settings)
    if metric_kind(metric) == "proportion":
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
        overall_var = pooled_variance(strata)
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
