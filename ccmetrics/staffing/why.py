"""Was it staffing or something else? Per interval and per day: needs, model SL, attribution, class."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pandas as pd

from ccmetrics.schema import KpiSettings
from ccmetrics.staffing.attribution import EFFECTS, attribute_change, sl_noise_band
from ccmetrics.staffing.calibration import Calibration, _calibration_by_row
from ccmetrics.staffing.codes import INTERVAL_CLASSES
from ccmetrics.staffing.erlang import _uses_erlang_a, model_service_level
from ccmetrics.staffing.inputs import _input_note, staffing_inputs
from ccmetrics.staffing.patience import _group_patience, _patience_by_row
from ccmetrics.staffing.requirements import agents_for_target, agents_required

__all__ = ["why_intervals", "classify_intervals", "why_day", "shortfall_steps", "day_gaps"]


def _why_row(
    row: dict,
    target: float,
    threshold_s: float,
    patience_s: float,
    efficiency: float = 1.0,
    baseline_aht_s: float = math.nan,
) -> dict:
    """Required agents, model service levels and the attribution of one interval.

    The model runs on effective agents (``efficiency`` × logged-in agents);
    agent counts are reported in logged-in agents again (÷ ``efficiency``).
    A forecast volume without a forecast AHT is paired with ``baseline_aht_s``.
    """
    interval_s = row["interval_s"]
    offered = row["offered"]
    aht = row["aht_used_s"]
    staffed = row["staffed_agents"] * efficiency
    scheduled = row["scheduled_agents"] * efficiency
    forecast_calls, forecast_aht = row["forecast_offered"], row["forecast_aht_s"]
    if np.isfinite(forecast_calls) and not (np.isfinite(forecast_aht) and forecast_aht > 0):
        forecast_aht = baseline_aht_s
    erlang = "erlang_a" if _uses_erlang_a(patience_s) else "erlang_c"
    out = _empty_why_row(patience_s, erlang)

    def sl(calls: float, aht_s: float, agents: float) -> float:
        return model_service_level(calls, interval_s, aht_s, agents, threshold_s, patience_s)

    def needed(calls: float, aht_s: float) -> tuple[int, float]:
        """Effective agents meeting the target: (whole logged-in agents, exact effective)."""
        exact = agents_for_target(calls, interval_s, aht_s, target, threshold_s, patience_s)
        if efficiency == 1.0:
            whole = agents_required(
                calls, interval_s, aht_s, target, threshold_s, model=erlang, patience_s=patience_s
            )
        else:
            whole = math.ceil(exact / efficiency - 1e-9)
        return whole, exact

    has_forecast = bool(
        np.isfinite(forecast_calls) and np.isfinite(forecast_aht) and forecast_aht > 0
    )
    if has_forecast:
        out["required_forecast"], out["needed_forecast"] = needed(forecast_calls, forecast_aht)
        if np.isfinite(scheduled):
            out["planned_sl"] = sl(forecast_calls, forecast_aht, scheduled)
    if not (np.isfinite(aht) and aht > 0):
        return _in_logged_in_agents(out, efficiency)
    out["required_actual"], out["needed_actual"] = needed(offered, aht)
    if not np.isfinite(staffed):
        return _in_logged_in_agents(out, efficiency)
    out["model_sl"] = sl(offered, aht, staffed)
    if not (offered > 0 and np.isfinite(row["measured_sl"])):
        return _in_logged_in_agents(out, efficiency)

    if has_forecast:
        start = {"calls": forecast_calls, "aht_s": forecast_aht, "agents": out["needed_forecast"]}
    else:
        start = {"calls": offered, "aht_s": aht, "agents": out["needed_actual"]}
    end = {"calls": offered, "aht_s": aht, "agents": staffed}
    _attribute_shortfall(out, sl, start, end, scheduled, has_forecast)
    out["unexplained"] = row["measured_sl"] - out["model_sl"]
    return _in_logged_in_agents(out, efficiency)


def _empty_why_row(patience_s: float, model: str) -> dict:
    """The columns :func:`_why_row` fills, all missing."""
    return {
        "patience_s": patience_s,
        "model": model,
        "required_forecast": math.nan,
        "required_actual": math.nan,
        "needed_forecast": math.nan,
        "needed_actual": math.nan,
        "planned_sl": math.nan,
        "model_sl": math.nan,
        **{
            f"seq_{name}": math.nan
            for name in ("volume", "aht", "staffing", "schedule", "adherence")
        },
        **{f"shapley_{name}": math.nan for name in ("volume", "aht", "staffing")},
        "unexplained": math.nan,
    }


def _attribute_shortfall(
    out: dict,
    sl: Callable[[float, float, float], float],
    start: dict[str, float],
    end: dict[str, float],
    scheduled: float,
    has_forecast: bool,
) -> None:
    """Fill ``seq_*`` and ``shapley_*`` of ``out``: the model SL from ``start`` to ``end``.

    ``sl(calls, aht_s, agents)`` is the model's SL; without a forecast only the
    agents change. The staffing step splits at the scheduled agents into
    schedule and adherence.
    """
    order = ["calls", "aht_s", "agents"] if has_forecast else ["agents"]
    parts = attribute_change(
        lambda **inputs: sl(
            inputs.get("calls", start["calls"]),
            inputs.get("aht_s", start["aht_s"]),
            inputs["agents"],
        ),
        start,
        end,
        order,
    )
    names = {"calls": "volume", "aht_s": "aht", "agents": "staffing"}
    for name in order:
        out[f"seq_{names[name]}"] = parts["sequential"][name]
        out[f"shapley_{names[name]}"] = parts["shapley"][name]
    if np.isfinite(scheduled):
        offered, aht = end["calls"], end["aht_s"]
        at_schedule = sl(offered, aht, scheduled)
        out["seq_schedule"] = at_schedule - sl(offered, aht, start["agents"])
        out["seq_adherence"] = out["model_sl"] - at_schedule


def _in_logged_in_agents(out: dict, efficiency: float) -> dict:
    """The exact agent needs of :func:`_why_row` in logged-in agents (effective ÷ efficiency)."""
    for column in ("needed_forecast", "needed_actual"):
        out[column] = out[column] / efficiency
    return out


def why_intervals(
    frame: pd.DataFrame,
    plan: pd.DataFrame | None = None,
    *,
    settings: KpiSettings | None = None,
    model: str = "erlang_a",
    patience_s: float | dict | None = None,
    freq: str = "30min",
    expected_occupancy: float = 0.85,
    confidence: float = 0.95,
    calibration: Calibration | None = None,
) -> pd.DataFrame:
    """Was it staffing or something else? Per queue and interval: needs, staffing, model vs measured SL.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals: pass the day(s) to explain (the whole
        history also works, at about 1 ms per queue-interval).
    plan : DataFrame, optional
        Forecast and staffing per (queue,) interval, see :func:`staffing_inputs`.
    settings : KpiSettings, optional
        ``sl_target``, ``sl_threshold_s`` and the service-level formula.
    model : {"erlang_a", "erlang_c"}
        Queueing model. Erlang A (default) lets callers hang up, which keeps
        overloaded intervals realistic; without abandons it is Erlang C.
    patience_s : float or dict, optional
        Mean patience (s) for Erlang A, one number or ``{queue: seconds}``.
        Default: estimated per queue from ``frame`` with
        :func:`estimate_patience` (abandons ÷ total waiting time).
    freq : str, default "30min"
        Interval length of call-level data without a plan.
    expected_occupancy : float, default 0.85
        For staffing estimated from call data (see :func:`staffing_inputs`).
    confidence : float, default 0.95
        Coverage of the noise band :func:`sl_noise_band`.
    calibration : Calibration, optional
        The center's efficiency per queue (:func:`calibrate`): the model then
        runs on ``efficiency × staffed`` effective agents, and a forecast
        volume without a forecast AHT is paired with the calibration's
        baseline AHT. Default: every logged-in agent on the phones
        (efficiency 1) and, for a forecast without AHT, the queue's mean AHT
        over ``frame``.

    Returns
    -------
    DataFrame
        The columns of :func:`staffing_inputs` and, per row:

        - ``efficiency``: effective agents per logged-in agent (1 without a
          calibration); ``forecast_aht_is_baseline``: the forecast had no AHT
          and the baseline AHT stands in for it;

        - ``target_sl``, ``threshold_s``, ``patience_s``, ``model`` (the model
          used: "erlang_c" when patience is infinite);
        - ``required_forecast``, ``required_actual``: whole agents meeting the
          target at forecast and at actual volume and AHT
          (:func:`agents_required`); ``needed_forecast``, ``needed_actual``:
          the exact real-valued counts (:func:`agents_for_target`);
        - ``planned_sl``: the model's SL of the plan (forecast load, scheduled
          agents); ``model_sl``: the model's SL at the actual load with the
          agents staffed, beside ``measured_sl``;
        - ``seq_volume``, ``seq_aht``, ``seq_staffing``: the shortfall
          ``measured_sl - target_sl`` changed one input at a time in that
          order, with ``seq_staffing = seq_schedule + seq_adherence``;
          ``shapley_volume``, ``shapley_aht``, ``shapley_staffing``: the
          order-free Shapley split; ``unexplained = measured_sl - model_sl``;
        - ``sl_low``, ``sl_high``: noise band of ``measured_sl``;
          ``interval_class``: see :func:`classify_intervals`.

        Effects are fractions of service level (−0.10 = ten points lost);
        NaN where the input is missing (no forecast: volume and AHT effects;
        no calls: every effect). ``attrs["notes"]`` as in
        :func:`staffing_inputs` (e.g. a plan without queues).

    Notes
    -----
    With ``g(V, H, N)`` the model's SL (:func:`model_service_level`), forecast
    calls and AHT ``V_f, H_f``, actual ``V, H``, ``N* = needed_forecast`` (so
    that ``g(V_f, H_f, N*) = target`` exactly), scheduled ``N_sch`` and
    staffed ``N``:

    - volume ``= g(V, H_f, N*) - target``; AHT ``= g(V, H, N*) - g(V, H_f, N*)``;
      staffing ``= g(V, H, N) - g(V, H, N*)``, split into schedule
      ``g(V, H, N_sch) - g(V, H, N*)`` and adherence ``g(V, H, N) - g(V, H, N_sch)``;
      unexplained ``= measured - g(V, H, N)``. They sum to ``measured - target``.
    - Shapley: each of volume, AHT, staffing averaged over the six orders
      (:func:`attribute_change`); the unexplained part is the same.

    Without a forecast the start is the actual load with ``N* = needed_actual``,
    and the shortfall splits into staffing and unexplained only. With a
    calibration every agent count ``N`` enters ``g`` as ``e N`` (``e`` the
    queue's efficiency); ``needed_*`` and ``required_*`` are given back in
    logged-in agents (``N* / e``, rounded up for whole agents).

    Examples
    --------
    >>> intervals = pd.DataFrame({"interval_start": pd.to_datetime(["2025-01-06 09:00"]),
    ...     "interval_minutes": [30.0], "offered": [120.0], "answered": [120.0],
    ...     "answered_in_sl": [60.0], "short_abandoned": [0.0], "handle_s_sum": [21600.0],
    ...     "forecast_offered": [100.0], "forecast_aht_s": [180.0],
    ...     "scheduled_agents": [14.0], "staffed_agents": [14.0]})
    >>> row = why_intervals(intervals, model="erlang_c").iloc[0]
    >>> int(row.required_forecast), int(row.required_actual), row.interval_class
    (14, 16, 'forecast_miss')
    """
    settings = settings or KpiSettings()
    target, threshold_s = settings.sl_target, settings.sl_threshold_s
    table = staffing_inputs(
        frame, plan, settings=settings, freq=freq, expected_occupancy=expected_occupancy
    )
    keys = ["queue"] if "queue" in table.columns else []
    patience = _patience_by_row(table, keys, model, patience_s)
    efficiency, baseline_aht = _calibration_by_row(table, keys, calibration)
    no_forecast_aht = np.isfinite(table["forecast_offered"].to_numpy(float)) & ~(
        table["forecast_aht_s"].to_numpy(float) > 0
    )
    records = table.to_dict("records")
    rows = [
        _why_row(
            record,
            target,
            threshold_s,
            patience[index],
            efficiency[index],
            baseline_aht[index],
        )
        for index, record in enumerate(records)
    ]
    table = table.assign(efficiency=efficiency, forecast_aht_is_baseline=no_forecast_aht)
    if no_forecast_aht.any():
        table.attrs["notes"] = [
            *table.attrs["notes"],
            _input_note("forecast_aht_from_baseline", [], []),
        ]
    result = pd.concat([table, pd.DataFrame(rows, index=table.index)], axis=1)
    result.insert(result.columns.get_loc("patience_s"), "target_sl", target)
    result.insert(result.columns.get_loc("patience_s"), "threshold_s", threshold_s)
    result["sl_low"], result["sl_high"] = sl_noise_band(
        result["answered_in_sl"], result["sl_base"], confidence
    )
    result["interval_class"] = classify_intervals(result)
    result.attrs["notes"] = table.attrs["notes"]
    return result


def classify_intervals(table: pd.DataFrame) -> pd.Series:
    """Name the reason each interval missed its target, or say it did not (beyond noise).

    Parameters
    ----------
    table : DataFrame
        Columns ``measured_sl``, ``sl_base``, ``sl_high`` (upper noise bound),
        ``target_sl``, ``model_sl``, ``needed_forecast``, ``needed_actual``,
        ``scheduled_agents``, ``staffed_agents`` (as made by :func:`why_intervals`).

    Returns
    -------
    Series of str
        One code of :data:`INTERVAL_CLASSES` per row, same index.

    Notes
    -----
    In this order:

    1. ``no_calls``: no measured service level (``sl_base`` 0 or missing).
    2. ``met_target``: ``measured_sl >= target_sl``.
    3. ``within_noise``: below target, but the upper noise bound reaches it
       (one unlucky interval is not blamed on anyone).
    4. ``something_else``: missed beyond noise although the agents staffed
       were enough for the actual load (``model_sl >= target_sl``): the SL is
       far below what the model expects.
    5. Otherwise the interval was understaffed for its actual load. The agent
       deficit splits exactly into three gaps,
       ``needed_actual - staffed = (needed_actual - needed_forecast)
       + (needed_forecast - scheduled) + (scheduled - staffed)``, and the
       largest names the class: ``forecast_miss`` (the load was above
       forecast), ``schedule_gap`` (the schedule did not cover the forecast),
       ``adherence_gap`` (fewer agents on the phones than scheduled). Without
       a forecast or a schedule the class is ``understaffed``.

    Examples
    --------
    >>> row = pd.DataFrame({"measured_sl": [0.55], "sl_base": [200.0], "sl_high": [0.62],
    ...     "target_sl": [0.8], "model_sl": [0.5], "needed_forecast": [13.4],
    ...     "needed_actual": [13.6], "scheduled_agents": [14.0], "staffed_agents": [10.0]})
    >>> classify_intervals(row).tolist()
    ['adherence_gap']
    """
    measured = table["measured_sl"].to_numpy(dtype=float)
    base = table["sl_base"].to_numpy(dtype=float)
    high = table["sl_high"].to_numpy(dtype=float)
    target = table["target_sl"].to_numpy(dtype=float)
    model_sl = table["model_sl"].to_numpy(dtype=float)
    gaps = np.column_stack(
        [
            table["needed_actual"].to_numpy(float) - table["needed_forecast"].to_numpy(float),
            table["needed_forecast"].to_numpy(float) - table["scheduled_agents"].to_numpy(float),
            table["scheduled_agents"].to_numpy(float) - table["staffed_agents"].to_numpy(float),
        ]
    )
    gap_names = np.array(["forecast_miss", "schedule_gap", "adherence_gap"], dtype=object)
    splittable = np.isfinite(gaps).all(axis=1)
    largest = gap_names[np.argmax(np.where(np.isfinite(gaps), gaps, -np.inf), axis=1)]
    understaffed = np.where(splittable, largest, "understaffed")

    no_calls = ~(base > 0) | np.isnan(measured)
    met = ~no_calls & (measured >= target)
    noise = ~no_calls & ~met & (high >= target)
    missed = ~no_calls & ~met & ~noise
    enough = missed & (model_sl >= target)
    classes = np.select(
        [no_calls, met, noise, enough, missed],
        ["no_calls", "met_target", "within_noise", "something_else", understaffed],
        default="understaffed",
    )
    return pd.Series(classes, index=table.index, name="interval_class", dtype=object)


def why_day(table: pd.DataFrame, by: str | list[str] | None = None) -> pd.DataFrame:
    """Roll the interval analysis of :func:`why_intervals` up to days (optionally per queue).

    Parameters
    ----------
    table : DataFrame
        Output of :func:`why_intervals`.
    by : str or list of str, optional
        Extra grouping columns, e.g. "queue". Default: all queues together.

    Returns
    -------
    DataFrame
        One row per date (and group): ``date``, ``intervals``, ``offered``,
        ``forecast_offered``, ``aht_s`` (actual, Σ handle ÷ handled calls),
        ``forecast_aht_s`` (weighted by forecast calls), agent-hours
        ``required_forecast_hours``, ``required_actual_hours``,
        ``scheduled_hours``, ``staffed_hours``, ``staffed_is_estimate`` (any
        interval estimated), ``sl_base``, ``measured_sl``, ``model_sl``,
        ``planned_sl``, ``target_sl``, ``shortfall`` (measured − target), the
        effect columns of :func:`why_intervals` (``seq_*``, ``shapley_*``,
        ``unexplained``), ``main_cause`` (the effect with the most negative
        Shapley value — "volume", "aht", "staffing" or "unexplained" — when
        the target was missed, else None) and ``n_<class>`` interval counts for
        every class of :data:`INTERVAL_CLASSES`. Then the mean agents per
        interval ``staffed_agents``, ``scheduled_agents``,
        ``required_forecast_agents`` and ``required_actual_agents`` and the
        caller patience ``patience_s`` (see Notes).

    Notes
    -----
    Mean agents per interval are agent-hours ÷ (interval hours × distinct
    interval starts in the group): per ``by="interval_start"`` the agents of
    that interval (every queue added up), per day their mean over the day.
    Caller patience is :func:`estimate_patience` on the group's totals,
    ``Σ wait_s_total ÷ Σ abandoned`` (censored-exponential maximum
    likelihood): ``inf`` when nobody abandoned, NaN when abandons come with
    no waiting time recorded.

    The day's measured SL is ``Σ answered_in_sl / Σ sl_base``, i.e. the
    intervals' SLs weighted by their base ``n_i``. Model SLs and every effect
    are rolled up with the same weights, ``Σ n_i e_i / Σ n_i``, so the day's
    effects still sum to the day's shortfall exactly. An effect missing in any
    interval with calls is missing for the day. Agent-hours are agents ×
    interval length.

    Examples
    --------
    >>> intervals = pd.DataFrame({"interval_start": pd.to_datetime(["2025-01-06 09:00"] * 2),
    ...     "interval_minutes": [30.0] * 2, "queue": ["A", "B"], "offered": [100.0, 100.0],
    ...     "answered": [100.0] * 2, "answered_in_sl": [90.0, 50.0],
    ...     "short_abandoned": [0.0] * 2, "handle_s_sum": [18000.0] * 2,
    ...     "staffed_agents": [14.0, 14.0]})
    >>> day = why_day(why_intervals(intervals, model="erlang_c")).iloc[0]
    >>> float(day.measured_sl), day.main_cause
    (0.7, 'unexplained')
    """
    by = [by] if isinstance(by, str) else list(by or [])
    data = table.copy()
    data["date"] = pd.to_datetime(data["interval_start"]).dt.normalize()
    hours = data["interval_s"] / 3600.0
    weight = data["sl_base"].where(data["measured_sl"].notna() & (data["sl_base"] > 0), 0.0)
    data["_weight"] = weight
    effect_columns = [
        "seq_volume",
        "seq_aht",
        "seq_staffing",
        "seq_schedule",
        "seq_adherence",
        "shapley_volume",
        "shapley_aht",
        "shapley_staffing",
        "unexplained",
    ]
    weighted = ["model_sl", "planned_sl", *effect_columns]
    for column in weighted:
        # NaN stays NaN where the interval counts (weight > 0); 0 where it does not.
        data[f"_w_{column}"] = np.where(weight > 0, data[column] * weight, 0.0)
    data["_forecast_handle"] = data["forecast_offered"] * data["forecast_aht_s"]
    data["required_forecast_hours"] = data["required_forecast"] * hours
    data["required_actual_hours"] = data["required_actual"] * hours
    data["scheduled_hours"] = data["scheduled_agents"] * hours
    data["staffed_hours"] = data["staffed_agents"] * hours
    for code in INTERVAL_CLASSES:
        data[f"n_{code}"] = (data["interval_class"] == code).astype(int)
    keys = ["date", *by]
    grouped = data.groupby(keys, sort=True, observed=True)

    def total(column: str, min_count: int = 1) -> pd.Series:
        return grouped[column].sum(min_count=min_count)

    def strict_total(column: str) -> pd.Series:
        return grouped[column].agg(lambda values: values.sum(skipna=False))

    day = pd.DataFrame(index=grouped.size().index)
    day["intervals"] = grouped.size()
    day["offered"] = total("offered")
    day["forecast_offered"] = total("forecast_offered")
    day["aht_s"] = total("handle_s_sum") / total("handle_n").where(lambda n: n > 0)
    day["forecast_aht_s"] = total("_forecast_handle") / day["forecast_offered"].where(
        lambda n: n > 0
    )
    for column in (
        "required_forecast_hours",
        "required_actual_hours",
        "scheduled_hours",
        "staffed_hours",
    ):
        day[column] = total(column)
    day["staffed_is_estimate"] = grouped["staffed_is_estimate"].any()
    day["sl_base"] = total("_weight", min_count=0)
    base = day["sl_base"].where(day["sl_base"] > 0)
    day["measured_sl"] = total("answered_in_sl") / base
    for column in weighted:
        day[column] = strict_total(f"_w_{column}") / base
    day["target_sl"] = grouped["target_sl"].first()
    day["shortfall"] = day["measured_sl"] - day["target_sl"]
    day = day[[c for c in day.columns if c not in effect_columns] + effect_columns]
    shapley = day[["shapley_volume", "shapley_aht", "shapley_staffing", "unexplained"]]
    shapley = shapley.set_axis(list(EFFECTS), axis=1)
    cause = shapley.fillna(np.inf).idxmin(axis=1).where(shapley.notna().any(axis=1))
    day["main_cause"] = cause.where(day["shortfall"] < 0).astype(object)
    day["main_cause"] = day["main_cause"].where(day["main_cause"].notna(), None)
    for code in INTERVAL_CLASSES:
        day[f"n_{code}"] = total(f"n_{code}", min_count=0).astype(int)
    # agent-hours back to agents: the interval's length times the intervals in the group
    slot_hours = grouped["interval_s"].max() / 3600.0 * grouped["interval_start"].nunique()
    for agents, hours in (
        ("staffed_agents", "staffed_hours"),
        ("scheduled_agents", "scheduled_hours"),
        ("required_forecast_agents", "required_forecast_hours"),
        ("required_actual_agents", "required_actual_hours"),
    ):
        day[agents] = day[hours] / slot_hours
    if {"abandoned", "wait_s_total"} <= set(data.columns):
        day["patience_s"] = _group_patience(total("abandoned", 0), total("wait_s_total", 0))
    else:
        day["patience_s"] = math.nan
    return day.reset_index()


#: The columns of :func:`why_day` that hold each effect, per attribution method.
_EFFECT_COLUMNS = {
    "shapley": ("shapley_volume", "shapley_aht", "shapley_staffing", "unexplained"),
    "sequential": ("seq_volume", "seq_aht", "seq_staffing", "unexplained"),
}


def shortfall_steps(day: pd.Series, attribution: str = "shapley") -> pd.DataFrame:
    """The steps of a waterfall from the target to the measured service level of one day.

    Parameters
    ----------
    day : Series
        One row of :func:`why_day`.
    attribution : {"shapley", "sequential"}
        Which split of the shortfall: the order-free Shapley one or the
        one-at-a-time one (volume, then AHT, then staffing).

    Returns
    -------
    DataFrame
        One row per step: ``step`` ("target", the effects of :data:`EFFECTS`
        the day has, "measured"), ``start``, ``end`` (service level where the
        bar starts and ends), ``value`` (the effect, or the level of a total)
        and ``kind`` ("total", "loss" for a negative effect, "gain").

    Notes
    -----
    The target and the measured SL are bars from 0. Each effect ``e_k`` runs
    from the level the previous one ended at, ``start_k = target + Σ_{j<k} e_j``,
    to ``end_k = start_k + e_k``. An effect missing for the day (no forecast:
    volume and AHT) is left out. The effects sum to ``measured − target``
    (:func:`why_intervals`), so the last effect ends at the measured SL.

    Examples
    --------
    >>> day = pd.Series({"target_sl": 0.8, "measured_sl": 0.6, "shapley_volume": -0.1,
    ...     "shapley_aht": 0.02, "shapley_staffing": -0.15, "unexplained": 0.03})
    >>> steps = shortfall_steps(day)
    >>> steps["step"].tolist()
    ['target', 'volume', 'aht', 'staffing', 'unexplained', 'measured']
    >>> [round(value, 2) for value in steps["end"]]
    [0.8, 0.7, 0.72, 0.57, 0.6, 0.6]
    """
    if attribution not in _EFFECT_COLUMNS:
        raise ValueError(f'attribution must be "shapley" or "sequential", got {attribution!r}')
    level = float(day["target_sl"])
    steps = [("target", 0.0, level, level, "total")]
    for effect, column in zip(EFFECTS, _EFFECT_COLUMNS[attribution], strict=True):
        value = float(day[column])
        if not math.isfinite(value):
            continue
        steps.append((effect, level, level + value, value, "loss" if value < 0 else "gain"))
        level += value
    measured = float(day["measured_sl"])
    steps.append(("measured", 0.0, measured, measured, "total"))
    return pd.DataFrame(steps, columns=["step", "start", "end", "value", "kind"])


def day_gaps(day: pd.Series) -> dict[str, float]:
    """How far a day's calls were from forecast and its staffing from what they needed.

    Parameters
    ----------
    day : Series
        One row of :func:`why_day`.

    Returns
    -------
    dict
        ``calls_vs_forecast`` = ``offered − forecast_offered`` (calls above
        forecast; NaN without a forecast) and ``hours_vs_needed`` =
        ``staffed_hours − required_actual_hours`` (agent-hours staffed beyond
        what the actual load needed; negative when short).

    Examples
    --------
    >>> day_gaps(pd.Series({"offered": 2300.0, "forecast_offered": 2000.0,
    ...     "staffed_hours": 280.0, "required_actual_hours": 312.0}))
    {'calls_vs_forecast': 300.0, 'hours_vs_needed': -32.0}
    """
    return {
        "calls_vs_forecast": float(day["offered"] - day["forecast_offered"]),
        "hours_vs_needed": float(day["staffed_hours"] - day["required_actual_hours"]),
    }
