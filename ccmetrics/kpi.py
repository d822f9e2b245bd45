"""The KPI engine: service level, answer/abandon rates, ASA, AHT, transfer, FCR, CSAT, QA, occupancy,
cost and quality (complaints, business errors, entry completeness).

Every KPI is derived at the end from additive measures (:mod:`ccmetrics.cube`),
so any period, group-by or drill-down is exact. Conventions follow
``shared/docs/DESIGN.md``; each one is a field of :class:`KpiSettings`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccmetrics import i18n
from ccmetrics.cube import (
    MEASURES,
    _call_sums,
    _fast_keys_supported,
    _PeriodKey,
    fcr_flags,
    frame_kind,
    measures,
    period_start,
    time_column,
)
from ccmetrics.kpis import KPI_BASE, KPI_DECIMALS, KPI_UNITS, KPIS
from ccmetrics.schema import SL_FORMULAS, KpiSettings

__all__ = [
    "KpiSettings",
    "SL_FORMULAS",
    "KPI_COLUMNS",
    "BASE_COLUMNS",
    "KPI_BASE",
    "KPI_UNITS",
    "compute",
    "derive",
    "fcr_flags",
    "add_fcr_flags",
    "subset",
    "time_column",
    "missing_inputs",
    "period_comparison",
    "comparison_table",
    "weekday_slot_table",
    "format_value",
    "KPI_DECIMALS",
    "format_kpi",
    "format_kpi_change",
    "display_decimals",
    "round_for_display",
    "operating_hours",
    "CHART_INTERVAL_MINUTES",
    "chart_interval_minutes",
    "periods_within",
    "without_ivr_only_groups",
]

#: KPI output columns of :func:`compute`, in order: the KPIs of the registry.
KPI_COLUMNS = tuple(KPIS)

#: The n each KPI rests on, output next to :data:`KPI_COLUMNS`.
BASE_COLUMNS = (
    "sl_base",
    "abandon_base",
    "wait_n",
    "abandon_wait_n",
    "handle_n",
    "transfer_n",
    "fcr_n",
    "ivr_n",
    "ivr_time_n",
    "staffed_hours",
    "cost_n",
    "cost_minutes",
    "complaint_n",
    "error_n",
    "entry_n",
)


def _ratio(numerator, denominator) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is 0 or unknown (never 0 for unknown)."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(
            denominator > 0, numerator / np.where(denominator > 0, denominator, 1.0), np.nan
        )


def derive(sums: pd.DataFrame, settings: KpiSettings | None = None) -> pd.DataFrame:
    """Derive every KPI from summed additive measures.

    Parameters
    ----------
    sums : DataFrame
        Columns :data:`ccmetrics.cube.MEASURES` (summed over whatever group);
        other columns (group keys) are kept in front.
    settings : KpiSettings, optional

    Returns
    -------
    DataFrame
        The key columns, :data:`KPI_COLUMNS` and :data:`BASE_COLUMNS`.

    Notes
    -----
    With O offered, A answered, B abandoned, Bs short abandons (wait < S),
    A_T answered within T, B_T abandoned within T:

    - service level, by ``settings.sl_formula``:
      ``offered_excl_short`` A_T / (O − Bs); ``answered`` A_T / A;
      ``abandons_ignored`` A_T / (O − B_T); ``abandons_good`` (A_T + B_T) / O;
      ``offered`` A_T / O. An export that gives only a percentage rolls up as
      the offered-weighted mean of the reported service level.
    - abandon rate (B − Bs) / (O − Bs); answer rate A / O.
    - ASA Σ wait of answered / answered with a known wait; average abandon wait
      Σ wait of abandoned / abandoned calls with a known wait.
    - AHT Σ (talk + hold + ACW) / answered calls with a known talk time, and
      each component's mean over the same calls.
    - transfer rate: transferred / answered calls with a known transfer flag.
    - FCR: resolved first contacts / eligible answered calls (:func:`fcr_flags`).
    - CSAT mean rating and top-2-box share (rating ≥ ``csat_top_box``) over
      rated calls; QA mean score over evaluated calls.
    - occupancy Σ handle seconds / staffed seconds (interval staffing).
    - IVR (calls that entered the IVR, ``ivr_n``: any IVR column known):
      containment ``ivr_contained / ivr_n``; IVR abandon rate
      ``ivr_abandoned_n / ivr_n``; mean IVR time ``Σ ivr_s / ivr_time_n`` over
      calls with a known IVR time. IVR-only rows (contained or hung up in the
      IVR) are neither answered nor abandoned, so ``offered`` and every queue
      and agent KPI leave them out.
    - cost per call Σ cost / offered calls with a known cost; cost per minute Σ cost /
      (Σ handle seconds of those calls / 60); with ``settings.cost_per_agent_hour`` = r
      instead: r × staffed hours / answered calls and r × staffed hours / handle minutes.
    - complaint rate: complaints / answered calls with a known complaint flag; error rate:
      business errors / answered calls with a known error flag; entry completeness:
      Σ per-call share of required after-call fields filled / answered calls with it known.

    A rate whose denominator is 0 or unknown is NaN, never 0.
    """
    settings = settings or KpiSettings()
    s = {name: sums[name].to_numpy(dtype=float, na_value=np.nan) for name in MEASURES}
    offered, answered, abandoned = s["offered"], s["answered"], s["abandoned"]
    short = np.nan_to_num(s["short_abandoned"], nan=0.0)
    a_t, b_t = s["answered_in_sl"], s["abandoned_in_sl"]
    formula = settings.sl_formula
    if formula == "offered_excl_short":
        sl_num, sl_base = a_t, offered - short
    elif formula == "answered":
        sl_num, sl_base = a_t, answered
    elif formula == "abandons_ignored":
        sl_num, sl_base = a_t, offered - np.nan_to_num(b_t, nan=0.0)
    elif formula == "abandons_good":
        sl_num, sl_base = a_t + np.nan_to_num(b_t, nan=0.0), offered
    else:  # "offered"
        sl_num, sl_base = a_t, offered
    service_level = _ratio(sl_num, sl_base)
    sl_base = np.where(np.isnan(a_t), np.nan, sl_base)
    reported = _ratio(s["reported_sl_weighted"], s["reported_sl_offered"])
    use_reported = np.isnan(a_t) & ~np.isnan(reported)
    service_level = np.where(use_reported, reported, service_level)
    sl_base = np.where(use_reported, s["reported_sl_offered"], sl_base)

    abandon_base = offered - short
    out = {
        "offered": np.nan_to_num(offered, nan=0.0),
        "answered": answered,
        "abandoned": abandoned,
        "short_abandoned": s["short_abandoned"],
        "answered_in_sl": a_t,
        "service_level": service_level,
        "abandon_rate": _ratio(abandoned - short, abandon_base),
        "answer_rate": _ratio(answered, offered),
        "asa_s": _ratio(s["wait_s_sum"], s["wait_n"]),
        "avg_abandon_wait_s": _ratio(s["abandon_wait_s_sum"], s["abandon_wait_n"]),
        "aht_s": _ratio(s["handle_s_sum"], s["handle_n"]),
        "talk_s": _ratio(s["talk_s_sum"], s["handle_n"]),
        "hold_s": _ratio(s["hold_s_sum"], s["handle_n"]),
        "acw_s": _ratio(s["acw_s_sum"], s["handle_n"]),
        "transfer_rate": _ratio(s["transferred"], s["transfer_n"]),
        "fcr_rate": _ratio(s["fcr_resolved"], s["fcr_n"]),
        "csat_mean": _ratio(s["csat_sum"], s["csat_n"]),
        "csat_top2box": _ratio(s["csat_top2"], s["csat_n"]),
        "csat_n": s["csat_n"],
        "qa_mean": _ratio(s["qa_sum"], s["qa_n"]),
        "qa_n": s["qa_n"],
        "occupancy": _ratio(s["handle_s_sum"], s["staffed_s"]),
        "ivr_containment": _ratio(s["ivr_contained"], s["ivr_n"]),
        "ivr_contained": s["ivr_contained"],
        "ivr_abandoned_n": s["ivr_abandoned_n"],
        "ivr_abandon_rate": _ratio(s["ivr_abandoned_n"], s["ivr_n"]),
        "ivr_s": _ratio(s["ivr_s_sum"], s["ivr_time_n"]),
        "sl_base": sl_base,
        "abandon_base": np.where(np.isnan(abandoned), np.nan, abandon_base),
        "wait_n": s["wait_n"],
        "abandon_wait_n": s["abandon_wait_n"],
        "handle_n": s["handle_n"],
        "transfer_n": s["transfer_n"],
        "fcr_n": s["fcr_n"],
        "ivr_n": s["ivr_n"],
        "ivr_time_n": s["ivr_time_n"],
        "staffed_hours": s["staffed_s"] / 3600.0,
    }
    out.update(_cost_and_quality(s, settings))
    keys = sums[[c for c in sums.columns if c not in MEASURES]].reset_index(drop=True)
    return pd.concat([keys, pd.DataFrame(out)], axis=1)


def _cost_and_quality(s: dict[str, np.ndarray], settings: KpiSettings) -> dict[str, np.ndarray]:
    """The cost and quality KPIs of :func:`derive` and their n, from the summed measures ``s``.

    Cost comes from the per-call ``cost`` column, or, when
    ``settings.cost_per_agent_hour`` is set, from staffed hours × that rate spread over
    the answered calls and their handle minutes (the setting wins over the column).
    """
    rate = getattr(settings, "cost_per_agent_hour", None)
    if rate is None:
        cost, cost_n = s["cost_e4_sum"] / 1e4, s["cost_n"]
        cost_minutes = s["cost_handle_s_sum"] / 60.0
    else:
        cost = float(rate) * s["staffed_s"] / 3600.0
        cost_n = np.where(np.isnan(cost), np.nan, s["answered"])
        cost_minutes = np.where(np.isnan(cost), np.nan, s["handle_s_sum"] / 60.0)
    return {
        "cost_per_call": _ratio(cost, cost_n),
        "cost_per_minute": _ratio(cost, cost_minutes),
        "complaint_rate": _ratio(s["complaints"], s["complaint_n"]),
        "error_rate": _ratio(s["errors"], s["error_n"]),
        "entry_completeness": _ratio(s["entry_filled_e4_sum"] / 1e4, s["entry_n"]),
        "cost_n": cost_n,
        "cost_minutes": cost_minutes,
        "complaint_n": s["complaint_n"],
        "error_n": s["error_n"],
        "entry_n": s["entry_n"],
    }


def _as_list(by) -> list[str]:
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    return list(by)


def _interval_minutes(frame: pd.DataFrame) -> float:
    if "interval_minutes" in frame.columns and len(frame):
        return float(pd.to_numeric(frame["interval_minutes"], errors="coerce").max())
    return float("nan")


def compute(
    frame: pd.DataFrame,
    by: str | list[str] | None = None,
    freq: str | None = None,
    settings: KpiSettings | None = None,
    *,
    keep_sums: bool = False,
) -> pd.DataFrame:
    """Compute the KPI table of a canonical frame, per group and/or period.

    Parameters
    ----------
    frame : DataFrame or Dataset
        Canonical calls, canonical intervals, or a cube (:func:`ccmetrics.cube.build_cube`);
        or an engine-backed data set of calls (:func:`ccmetrics.engine.is_dataset`),
        whose engine sums the measures in one query (:meth:`ccmetrics.engine.Dataset.sums`).
    by : str or list of str, optional
        Column(s) to group by (e.g. "queue", ["team", "agent"]).
    freq : str, optional
        Period: a pandas offset alias ("15min", "30min", "h", "D", "W", "MS").
        Interval frames cannot be split finer than their interval length.
    settings : KpiSettings, optional
        KPI conventions (default ``KpiSettings()``).
    keep_sums : bool, default False
        Also return the additive measures behind each row (for charts that need
        sums of squares, drill-downs, re-aggregation).

    Returns
    -------
    DataFrame
        One row per group/period (a single row without ``by`` and ``freq``):
        the ``by`` columns, ``period`` (period start) when ``freq`` is given,
        then :data:`KPI_COLUMNS` — offered, answered, abandoned,
        short_abandoned, answered_in_sl, service_level, abandon_rate,
        answer_rate, asa_s, avg_abandon_wait_s, aht_s, talk_s, hold_s, acw_s,
        transfer_rate, fcr_rate, csat_mean, csat_top2box, csat_n, qa_mean,
        qa_n, occupancy, ivr_containment, ivr_contained, ivr_abandoned_n,
        ivr_abandon_rate, ivr_s, cost_per_call, cost_per_minute, complaint_rate,
        error_rate, entry_completeness — and :data:`BASE_COLUMNS` (the n of each
        rate). NaN where the input lacks what a KPI needs or its n is 0.

    Notes
    -----
    Formulas: see :func:`derive`. Calls are attributed to the period of their
    arrival; interval rows to the period of their start. A group with no value
    of a ``by`` column that holds only calls that ended in the IVR (IVR-only
    rows have no queue, team or agent) is left out; those calls still count in
    the totals and by every column they have a value of.

    Examples
    --------
    >>> calls = pd.DataFrame({
    ...     "arrived_at": pd.to_datetime(["2025-01-01 08:00"] * 4),
    ...     "wait_s": [10.0, 30.0, 2.0, 60.0],
    ...     "answered": [True, True, False, False],
    ...     "abandoned": [False, False, True, True]})
    >>> row = compute(calls).iloc[0]
    >>> float(row.service_level), float(row.abandon_rate)  # 1/(4-1), 1/(4-1)
    (0.3333333333333333, 0.3333333333333333)
    """
    settings = settings or KpiSettings()
    by = _as_list(by)
    missing = [c for c in by if c not in frame.columns]
    if missing:
        raise ValueError(
            f"cannot group by {missing}: the data has no such column (it has {list(frame.columns)})"
        )
    if not isinstance(frame, pd.DataFrame):
        from ccmetrics.engine_inputs import dataset_kpis

        # an engine-backed data set: the engine sums, the same derivation
        return dataset_kpis(frame, by=by, freq=freq, settings=settings, keep_sums=keep_sums)
    kind = frame_kind(frame)
    if kind == "calls" and _fast_keys_supported(frame, by, {*MEASURES, "period"}):
        # the same sums as the group-by below, without the per-call table (see _call_sums)
        keys = [frame[column] for column in by]
        if freq is not None:
            keys.append(_PeriodKey("period", frame[time_column(frame)], freq))
        sums = _call_sums(frame, keys, settings, squares=keep_sums)
        if sums is not None:
            result = derive(sums, settings)
            if keep_sums:
                result = pd.concat([result, sums[list(MEASURES)].add_suffix("__sum")], axis=1)
            return without_ivr_only_groups(result, by)
    table = measures(frame, settings)
    keys: list[str] = []
    if freq is not None:
        if kind == "intervals":
            length = _interval_minutes(frame)
            try:
                wanted = pd.Timedelta(pd.tseries.frequencies.to_offset(freq)).total_seconds() / 60.0
            except (ValueError, TypeError):
                wanted = float("inf")  # calendar periods (W, MS) are always coarser
            if np.isfinite(length) and wanted < length:
                raise ValueError(
                    f"the data has {length:g}-minute intervals; it cannot be split into {freq} periods"
                )
        table.insert(0, "period", period_start(frame[time_column(frame)], freq))
        keys.append("period")
    for position, column in enumerate(by):
        table.insert(position, column, frame[column])
    keys = [*by, *keys]
    if keys:
        sums = table.groupby(keys, observed=True, dropna=False, sort=True)[list(MEASURES)].sum(
            min_count=1
        )
        sums = sums.reset_index()
    else:
        sums = table[list(MEASURES)].sum(min_count=1).to_frame().T
    result = derive(sums, settings)
    if keep_sums:
        result = pd.concat([result, sums[list(MEASURES)].add_suffix("__sum")], axis=1)
    return without_ivr_only_groups(result, by)


def without_ivr_only_groups(result: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """The KPI table without the groups that have no value of a ``by`` column and hold
    only calls that ended in the IVR (nothing offered, some IVR calls): such calls have
    no queue, team or agent, and a row of their own would be an empty row of a queue or
    agent table."""
    if not by or len(result) == 0:
        return result
    empty = (
        result[by].isna().any(axis=1).to_numpy()
        & ((result["offered"] == 0) & (result["ivr_n"] > 0)).to_numpy()
    )
    if not empty.any():
        return result
    return result[~empty].reset_index(drop=True)


def add_fcr_flags(calls: pd.DataFrame, settings: KpiSettings | None = None) -> pd.DataFrame:
    """Return ``calls`` with ``fcr_eligible``/``fcr_resolved`` columns (see :func:`fcr_flags`).

    Call it once on the whole data set before filtering a window, so that a
    repeat call after the window's end still counts against the first call.
    Returns the frame unchanged when the data supports no FCR definition.
    """
    flags = fcr_flags(calls, settings)
    if flags is None:
        return calls
    return calls.assign(fcr_eligible=flags["fcr_eligible"], fcr_resolved=flags["fcr_resolved"])


def _timestamp(value) -> pd.Timestamp | None:
    if value is None:
        return None
    return pd.Timestamp(value)


def subset(
    frame: pd.DataFrame,
    start=None,
    end=None,
    filters: dict[str, list] | None = None,
) -> pd.DataFrame:
    """Rows of a canonical frame inside a time window and matching dimension filters.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals.
    start, end : str, date or Timestamp, optional
        Half-open window ``[start, end)`` on ``arrived_at``/``interval_start``.
        To include a whole last day, pass the next day as ``end``.
    filters : dict, optional
        ``{column: [allowed values]}``; an empty or None list means no filter.

    Returns
    -------
    DataFrame
        The matching rows (a view-safe copy under copy-on-write).

    Examples
    --------
    >>> f = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-01-01", "2025-01-02"]), "queue": ["A", "B"]})
    >>> len(subset(f, "2025-01-01", "2025-01-02")), len(subset(f, filters={"queue": ["B"]}))
    (1, 1)
    """
    times = frame[time_column(frame)]
    start, end = _timestamp(start), _timestamp(end)
    window = _sorted_window(times, start, end)
    if window is not None:
        # rows in time order (the loader sorts them): the window is one slice
        frame = frame.iloc[window[0] : window[1]]
        start = end = None
    mask = np.ones(len(frame), dtype=bool)
    if start is not None:
        mask &= (times >= start).to_numpy()
    if end is not None:
        mask &= (times < end).to_numpy()
    for column, allowed in (filters or {}).items():
        if allowed:
            if column not in frame.columns:
                raise ValueError(f"cannot filter on {column!r}: the data has no such column")
            mask &= frame[column].isin(list(allowed)).to_numpy()
    return frame[mask]


def _sorted_window(times: pd.Series, start, end) -> tuple[int, int] | None:
    """Row positions [first, last) of ``start <= times < end`` when the times are
    naive datetime64 in ascending order, else None."""
    if start is None and end is None:
        return None
    if not (
        isinstance(times.dtype, np.dtype)
        and times.dtype.kind == "M"
        and all(t is None or t.tzinfo is None for t in (start, end))
        and times.is_monotonic_increasing
    ):
        return None
    values = times.to_numpy()
    first = 0 if start is None else int(np.searchsorted(values, start.to_datetime64(), "left"))
    last = len(values) if end is None else int(np.searchsorted(values, end.to_datetime64(), "left"))
    return first, max(first, last)


#: Canonical inputs each KPI needs, per kind of frame (any one of a KPI's columns suffices).
_REQUIREMENTS = {
    "calls": {name: kpi.call_inputs for name, kpi in KPIS.items() if kpi.call_inputs},
    "intervals": {name: kpi.interval_inputs for name, kpi in KPIS.items() if kpi.interval_inputs},
}


def missing_inputs(frame: pd.DataFrame) -> dict[str, list[str]]:
    """KPIs the data cannot support, with the canonical columns that would enable them.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals.

    Returns
    -------
    dict
        ``{kpi: [columns]}`` for each KPI none of whose enabling columns has a
        value (any one of the listed columns suffices; for calls, FCR needs
        ``customer_id`` or ``resolved``). Empty when every KPI is supported.

    Examples
    --------
    >>> missing_inputs(pd.DataFrame({"arrived_at": [], "wait_s": [], "talk_s": []}))["csat_mean"]
    ['csat']
    """
    kind = frame_kind(frame)
    out = {}
    for kpi, columns in _REQUIREMENTS[kind].items():
        if kpi == "aht_s" and kind == "calls":
            present = "talk_s" in frame.columns and frame["talk_s"].notna().any()
        else:
            present = any(c in frame.columns and frame[c].notna().any() for c in columns)
        if not present:
            out[kpi] = list(columns)
    return out


def period_comparison(
    frame: pd.DataFrame,
    start,
    end,
    settings: KpiSettings | None = None,
    filters: dict[str, list] | None = None,
) -> pd.DataFrame:
    """Each KPI in a window against the window of equal length just before it.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals (the whole data set).
    start, end : date-like
        The current window ``[start, end)``.
    settings : KpiSettings, optional
    filters : dict, optional
        Dimension filters as in :func:`subset`.

    Returns
    -------
    DataFrame
        One row per KPI of :data:`KPI_BASE`: ``kpi, current, previous, change``
        (current − previous; NaN when either is missing), ``n_current,
        n_previous`` (the n each value rests on), ``unit``. ``previous`` is NaN (missing,
        never 0) for every KPI when the previous window holds no row, and for the counts
        (offered, answered, ...) when the data begins after the previous window's first
        day (a shorter span's counts are not comparable).

    Notes
    -----
    previous window = ``[start − (end − start), start)``. FCR flags are computed
    on the whole frame first, so a repeat call after the window's end counts.
    """
    settings = settings or KpiSettings()
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    if frame_kind(frame) == "calls" and "fcr_eligible" not in frame.columns:
        frame = add_fcr_flags(frame, settings)
    current = compute(subset(frame, start, end, filters), settings=settings).iloc[0]
    previous_start = start - (end - start)
    previous_rows = subset(frame, previous_start, start, filters)
    previous = compute(previous_rows, settings=settings).iloc[0]
    first_seen = pd.to_datetime(frame[time_column(frame)]).min() if len(frame) else pd.NaT
    return comparison_table(current, previous, len(previous_rows) > 0, first_seen, previous_start)


def comparison_table(
    current: pd.Series, previous: pd.Series, has_previous: bool, first_seen, previous_start
) -> pd.DataFrame:
    """The rows of :func:`period_comparison` from the two windows' KPIs.

    Parameters
    ----------
    current, previous : Series
        One row of :func:`compute` for the current and the previous window.
    has_previous : bool
        Whether the previous window holds any row.
    first_seen : Timestamp or None
        The data's first time (None or NaT: no data).
    previous_start : Timestamp
        The previous window's start.

    Returns
    -------
    DataFrame
        ``kpi, current, previous, change, n_current, n_previous, unit`` per KPI of
        :data:`KPI_BASE`, as :func:`period_comparison`.

    Notes
    -----
    An empty previous window is missing, not 0 (``previous`` NaN for every KPI); one the
    data covers only in part (``first_seen`` ≥ ``previous_start`` + 1 day) has counts of a
    shorter span, not comparable with the current window's (NaN for the counts).
    """
    covered = (
        has_previous
        and first_seen is not None
        and pd.notna(first_seen)
        and pd.Timestamp(first_seen) < previous_start + pd.Timedelta(days=1)
    )
    rows = []
    for kpi, base in KPI_BASE.items():
        before = previous[kpi]
        if not has_previous or (not covered and KPI_UNITS[kpi] == "count"):
            before = np.nan
        rows.append(
            {
                "kpi": kpi,
                "current": current[kpi],
                "previous": before,
                "change": current[kpi] - before,
                "n_current": current[base],
                "n_previous": previous[base],
                "unit": KPI_UNITS[kpi],
            }
        )
    return pd.DataFrame(rows)


def weekday_slot_table(
    frame: pd.DataFrame,
    slot: str = "30min",
    settings: KpiSettings | None = None,
) -> pd.DataFrame:
    """KPIs per weekday × time-of-day slot, pooled over all weeks (for heatmaps).

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals.
    slot : str, default "30min"
        Slot length (fixed offset alias).
    settings : KpiSettings, optional

    Returns
    -------
    DataFrame
        ``weekday`` (0 = Monday … 6 = Sunday), ``slot`` ("HH:MM" slot start),
        ``days`` (how many distinct dates contributed), the KPI and n columns
        of :func:`compute`, and ``offered_per_day`` = offered / days.
    """
    settings = settings or KpiSettings()
    times = frame[time_column(frame)]
    keyed = frame.assign(weekday=times.dt.day_of_week.to_numpy(), slot=_slot_labels(times, slot))
    table = compute(keyed, by=["weekday", "slot"], settings=settings)
    days = (
        pd.DataFrame(
            {"weekday": keyed["weekday"], "slot": keyed["slot"], "date": times.dt.normalize()}
        )
        .groupby(["weekday", "slot"])["date"]
        .nunique()
        .rename("days")
        .reset_index()
    )
    table = table.merge(days, on=["weekday", "slot"], how="left")
    table.insert(2, "days", table.pop("days"))
    table["offered_per_day"] = table["offered"] / table["days"]
    return table


def _slot_labels(times: pd.Series, slot: str) -> np.ndarray:
    """``times.dt.floor(slot).dt.strftime("%H:%M").to_numpy()``, formatting each
    distinct time of day once instead of every row."""
    floored = times.dt.floor(slot)
    if not (isinstance(floored.dtype, np.dtype) and floored.dtype == np.dtype("datetime64[ns]")):
        return floored.dt.strftime("%H:%M").to_numpy()
    values = floored.to_numpy().view(np.int64)
    missing = values == np.iinfo(np.int64).min
    minutes = np.mod(values, 86_400 * 10**9) // (60 * 10**9)
    codes, uniques = pd.factorize(minutes)
    labels = np.array([f"{m // 60:02d}:{m % 60:02d}" for m in uniques], dtype=object)
    out = labels[codes] if len(codes) else np.array([], dtype=object)
    if missing.any():
        out[missing] = np.nan
    return out


def format_value(kpi: str, value, *, decimals: int | None = None) -> str:
    """Format a KPI value for display: percentages with one decimal, seconds whole.

    Parameters
    ----------
    kpi : str
        A key of :data:`KPI_UNITS`.
    value : float
        The value (a fraction for percentages).
    decimals : int, optional
        Override the default number of decimals.

    Returns
    -------
    str
        "81.8%", "67 s", "3.40", "5,000"; "–" for a missing value.

    Examples
    --------
    >>> format_value("service_level", 0.8176), format_value("asa_s", 67.52), format_value("offered", 5000)
    ('81.8%', '68 s', '5,000')
    """
    if value is None or (isinstance(value, float) and np.isnan(value)) or pd.isna(value):
        return "–"
    unit = KPI_UNITS.get(kpi, "score")
    if unit == "percent":
        return f"{value * 100:.{1 if decimals is None else decimals}f}%"
    if unit == "seconds":
        return f"{value:,.{0 if decimals is None else decimals}f} s"
    if unit == "count":
        return f"{value:,.{0 if decimals is None else decimals}f}"
    return f"{value:,.{2 if decimals is None else decimals}f}"


def operating_hours(frame: pd.DataFrame, step_minutes: int = 15) -> tuple[int, int]:
    """The hours the data's center is open: the time-of-day span of its rows.

    Parameters
    ----------
    frame : DataFrame
        A canonical frame (calls: ``arrived_at``; intervals: ``interval_start`` and
        ``interval_minutes``).
    step_minutes : int, default 15
        The clock step of a picker: the span is widened to whole steps.

    Returns
    -------
    (int, int)
        Minutes after midnight of the opening (the earliest time of day of a row,
        floored to the step) and of the closing (the latest time of day of a row,
        plus an interval's length for interval rows, ceiled to the step; at most
        1440). (0, 1440) for a frame without rows.

    Examples
    --------
    >>> calls = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-01-06 08:07", "2025-01-07 21:59"])})
    >>> operating_hours(calls)
    (480, 1320)
    """
    column = time_column(frame)
    times = frame[column].dropna() if column in frame.columns else pd.Series(dtype="datetime64[ns]")
    if times.empty:
        return 0, 24 * 60
    minutes = (times - times.dt.normalize()) / pd.Timedelta(minutes=1)
    ends = minutes
    if column == "interval_start" and "interval_minutes" in frame.columns:
        ends = minutes + frame.loc[times.index, "interval_minutes"].fillna(0).astype(float)
    else:
        ends = minutes + 1e-9  # a call at 21:59 keeps 21:59 inside the span
    opening = int(np.floor(minutes.min() / step_minutes) * step_minutes)
    closing = int(np.ceil(ends.max() / step_minutes) * step_minutes)
    return opening, min(max(closing, opening + step_minutes), 24 * 60)


def display_decimals(name: str) -> int:
    """Decimals a KPI is shown with, in tables as in :func:`format_kpi`.

    Returns
    -------
    int
        1 for percentages (shown ×100), 0 for seconds and counts, else the
        decimals of :data:`KPI_DECIMALS` or 2 (scores).

    Examples
    --------
    >>> display_decimals("service_level"), display_decimals("aht_s"), display_decimals("qa_mean")
    (1, 0, 1)
    """
    unit = KPI_UNITS.get(name, "score")
    if unit == "percent":
        return 1
    if unit in ("seconds", "count"):
        return 0
    return KPI_DECIMALS.get(name, 2)


def round_for_display(values, name: str) -> pd.Series:
    """A KPI column as a table shows it: the numbers :func:`format_kpi` writes.

    Parameters
    ----------
    values : array-like
        The KPI's values (fractions for percentages).
    name : str
        The KPI (a key of :data:`KPI_UNITS`; unknown names are scores).

    Returns
    -------
    Series of float
        ``values × 100`` for percentages, rounded to :func:`display_decimals`
        places, a value that rounds to zero as 0.0 (never -0.0, which a table
        would show as "-0"); missing values stay missing.

    Notes
    -----
    ``round(v, d) + 0.0`` turns -0.0 into 0.0 (IEEE 754: -0 + +0 = +0).

    Examples
    --------
    >>> round_for_display([0.81764, -0.0004], "service_level").tolist()
    [81.8, 0.0]
    """
    series = pd.Series(values, dtype="float64") if not isinstance(values, pd.Series) else values
    series = pd.to_numeric(series, errors="coerce").astype("float64")
    if KPI_UNITS.get(name, "score") == "percent":
        series = series * 100
    return series.round(display_decimals(name)) + 0.0


def format_kpi(name: str, value, lang: str = "en") -> str:
    """A KPI value formatted for display: the one format of the report and the app.

    Parameters
    ----------
    name : str
        A KPI (a key of :data:`KPI_UNITS`; unknown names are scores).
    value : float or None
        The value; a fraction for percentages.
    lang : {"en", "zh"}, default "en"

    Returns
    -------
    str
        :func:`ccmetrics.i18n.format_number` with the KPI's unit and the decimals of
        :data:`KPI_DECIMALS`: percentages with one decimal ("81.8%"), seconds whole
        ("68 s" / "68 秒"), counts with thousands separators, scores with two decimals
        except the QA score (one: "82.6"); "–" when missing.

    Examples
    --------
    >>> format_kpi("service_level", 0.8176), format_kpi("qa_mean", 82.6), format_kpi("aht_s", 374.2, "zh")
    ('81.8%', '82.6', '374 秒')
    """
    unit = KPI_UNITS.get(name, "score")
    return i18n.format_number(value, unit, lang, decimals=KPI_DECIMALS.get(name))


def format_kpi_change(name: str, change, lang: str = "en") -> str | None:
    """A KPI's change against another value, signed, as the report and the app show it.

    Parameters
    ----------
    name : str
        A KPI (a key of :data:`KPI_UNITS`).
    change : float or None
        current − previous (a difference of fractions for percentages).
    lang : {"en", "zh"}, default "en"

    Returns
    -------
    str or None
        :func:`ccmetrics.i18n.format_change` with the decimals of :data:`KPI_DECIMALS`
        ("+1.2 pp", "-3 秒", "+0.4" for the QA score); None when missing.

    Examples
    --------
    >>> format_kpi_change("abandon_rate", 0.0123), format_kpi_change("qa_mean", 0.4)
    ('+1.2 pp', '+0.4')
    """
    unit = KPI_UNITS.get(name, "score")
    return i18n.format_change(change, unit, lang, decimals=KPI_DECIMALS.get(name))


#: The shortest point of an interval chart, in minutes: half-hour points (a 15-minute chart
#: of a month is thousands of points with a few calls each).
CHART_INTERVAL_MINUTES = 30


def chart_interval_minutes(frame: pd.DataFrame) -> int:
    """Length of one point of an interval chart, in minutes.

    Parameters
    ----------
    frame : DataFrame
        A canonical frame (calls or intervals).

    Returns
    -------
    int
        :data:`CHART_INTERVAL_MINUTES`, or the export's longest ``interval_minutes``
        when it is an interval frame with longer intervals (an hourly export
        cannot be charted per half hour).

    Examples
    --------
    >>> chart_interval_minutes(pd.DataFrame({"interval_start": [], "interval_minutes": []}))
    30
    >>> chart_interval_minutes(pd.DataFrame({"interval_start": [0], "interval_minutes": [60.0]}))
    60
    """
    if frame_kind(frame) == "intervals" and "interval_minutes" in frame.columns:
        longest = pd.to_numeric(frame["interval_minutes"], errors="coerce").max()
        if pd.notna(longest):
            return max(CHART_INTERVAL_MINUTES, int(longest))
    return CHART_INTERVAL_MINUTES


def periods_within(periods, first, last) -> tuple[bool, ...]:
    """Which periods start on a day from ``first`` to ``last`` (both included).

    Parameters
    ----------
    periods : array-like of datetime
        Period starts (of a day, a week or an interval).
    first, last : date-like
        The first and the last day.

    Returns
    -------
    tuple of bool
        One flag per period: its start's calendar day lies in [first, last].

    Examples
    --------
    >>> periods_within(pd.to_datetime(["2025-03-02 23:30", "2025-03-03 09:00"]),
    ...                "2025-03-03", "2025-03-03")
    (False, True)
    """
    days = pd.DatetimeIndex(periods).normalize()
    inside = (days >= pd.Timestamp(first)) & (days <= pd.Timestamp(last))
    return tuple(bool(flag) for flag in inside)
