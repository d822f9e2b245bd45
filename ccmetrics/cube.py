"""Additive measures: turn calls (or an interval export) into sums that roll up exactly.

Every KPI is a ratio of two additive quantities (a count or a sum of seconds).
Storing the additive quantities per interval × dimensions keeps every later
roll-up (15 min → 30 min → day → week, any group-by, any drill-down) exact;
rates and means are derived only at the end, by :func:`ccmetrics.kpi.compute`.

The measure columns (:data:`MEASURES`) are the canonical interval counts and
sums of ``schema.INTERVAL_COLUMNS`` plus the denominators a call-level frame
adds (``wait_n``, ``handle_n``, ``transfer_n``, ``fcr_n``, ``csat_*``, ``qa_*``,
``ivr_*``, ``cost_*``, ``complaint_n``/``complaints``, ``error_n``/``errors``,
``entry_*``) and sums of squares for Xbar-S charts.
"""

from __future__ import annotations

import threading
from dataclasses import asdict

import numpy as np
import pandas as pd

from ccmetrics import kpis
from ccmetrics.schema import DIMENSIONS, KpiSettings

__all__ = [
    "MEASURES",
    "call_measures",
    "interval_measures",
    "measures",
    "build_cube",
    "CubeIndex",
    "SETTING_GROUPS",
    "GROUP_SETTINGS",
    "SETTING_MEASURES",
    "period_start",
    "periods_roll_up",
    "answers_exactly",
    "frame_kind",
    "time_column",
    "fcr_flags",
    "IVR_COLUMNS",
    "ivr_only_rows",
]

#: Additive measure columns, in output order.
MEASURES = (
    "offered",
    "answered",
    "abandoned",
    "short_abandoned",
    "answered_in_sl",
    "abandoned_in_sl",
    "wait_n",
    "wait_s_sum",
    "wait_s_sq_sum",
    "abandon_wait_n",
    "abandon_wait_s_sum",
    "handle_n",
    "talk_s_sum",
    "hold_s_sum",
    "acw_s_sum",
    "handle_s_sum",
    "handle_s_sq_sum",
    "transfer_n",
    "transferred",
    "fcr_n",
    "fcr_resolved",
    "csat_n",
    "csat_sum",
    "csat_top2",
    "qa_n",
    "qa_sum",
    "ivr_n",
    "ivr_contained",
    "ivr_abandoned_n",
    "ivr_time_n",
    "ivr_s_sum",
    "staffed_s",
    "reported_sl_offered",
    "reported_sl_weighted",
    "cost_n",
    "cost_e4_sum",
    "cost_handle_s_sum",
    "complaint_n",
    "complaints",
    "error_n",
    "errors",
    "entry_n",
    "entry_filled_e4_sum",
)


def frame_kind(frame: pd.DataFrame) -> str:
    """Return ``"intervals"`` for an interval frame or cube, ``"calls"`` otherwise.

    Parameters
    ----------
    frame : DataFrame
        A canonical frame.

    Returns
    -------
    str
        ``"intervals"`` when the frame has ``interval_start``, ``"calls"`` when it
        has ``arrived_at``.

    Examples
    --------
    >>> frame_kind(pd.DataFrame({"arrived_at": []}))
    'calls'
    """
    if "interval_start" in frame.columns:
        return "intervals"
    if "arrived_at" in frame.columns:
        return "calls"
    raise ValueError(
        "not a canonical frame: needs an 'arrived_at' (calls) or 'interval_start' "
        f"(intervals) column; found {list(frame.columns)}"
    )


def time_column(frame: pd.DataFrame) -> str:
    """Name of the time column of a canonical frame (``arrived_at`` or ``interval_start``).

    Examples
    --------
    >>> time_column(pd.DataFrame({"interval_start": []}))
    'interval_start'
    """
    return "interval_start" if frame_kind(frame) == "intervals" else "arrived_at"


def period_start(times: pd.Series, freq: str) -> pd.Series:
    """Start of the period each timestamp falls in.

    Parameters
    ----------
    times : Series of datetime64
        Naive business-local timestamps.
    freq : str
        A pandas offset alias: fixed ones ("5min", "15min", "30min", "h", "D")
        are floored; "W" gives the Monday that starts the ISO week; "MS" (or "M")
        the first day of the month.

    Returns
    -------
    Series of datetime64
        The period start of every timestamp, same index as ``times``.

    Examples
    --------
    >>> s = pd.Series(pd.to_datetime(["2025-03-12 10:44", "2025-03-16 23:59"]))
    >>> period_start(s, "W").dt.strftime("%Y-%m-%d").tolist()
    ['2025-03-10', '2025-03-10']
    """
    alias = freq.upper()
    if alias in {"W", "W-MON", "W-SUN"} or alias.startswith("W"):
        day = times.dt.normalize()
        return day - pd.to_timedelta(day.dt.day_of_week, unit="D")
    if alias in {"MS", "M", "ME"}:
        # in the unit of ``times``, as the other periods are (pandas' start_time is in us)
        return times.dt.to_period("M").dt.start_time.astype(times.dtype)
    return times.dt.floor(freq)


def periods_roll_up(freq: str | None, step: str) -> bool:
    """Whether every period of ``freq`` is a union of whole cube intervals of length ``step``.

    Parameters
    ----------
    freq : str or None
        The period a view groups by (a pandas offset alias); None for no grouping
        by time.
    step : str
        The cube's interval length ("30min", "D").

    Returns
    -------
    bool
        True for None, for a week or a month (unions of days, so of any interval
        that divides a day) and for a fixed length that is a whole multiple of
        ``step``; False otherwise (a finer or misaligned length, an unknown alias).

    Notes
    -----
    Exact when ``length >= step`` and ``length mod step = 0``: the periods then
    start on interval boundaries, as :func:`period_start` floors both from midnight.

    Examples
    --------
    >>> periods_roll_up("h", "30min"), periods_roll_up("15min", "30min"), periods_roll_up("W", "D")
    (True, False, True)
    """
    if freq is None:
        return True
    alias = str(freq).upper()
    if alias.startswith("W") or alias in {"MS", "M", "ME"}:
        return True
    try:
        length = pd.Timedelta(pd.tseries.frequencies.to_offset(freq))
    except (ValueError, TypeError):
        return False
    interval = pd.Timedelta(pd.tseries.frequencies.to_offset(step))
    return length >= interval and length % interval == pd.Timedelta(0)


def answers_exactly(
    cube_dims,
    step: str,
    *,
    dims=(),
    freq: str | None = None,
    start=None,
    end=None,
    metric: str | None = None,
    spread: bool = False,
) -> bool:
    """Whether a cube of ``step`` intervals × ``cube_dims`` gives a view's result exactly.

    A cube holds counts and sums per interval and dimension values; every KPI of
    :func:`ccmetrics.kpi.compute` rolls up from them exactly, as long as the view
    needs nothing finer than the cube.

    Parameters
    ----------
    cube_dims : iterable of str
        The cube's dimensions.
    step : str
        The cube's interval length ("30min", "D").
    dims : iterable of str
        Dimensions the view groups by, filters on or stratifies by (a case mix).
    freq : str, optional
        The period the view groups by (:func:`periods_roll_up`).
    start, end : date-like, optional
        The window's first instant and the instant after it.
    metric : str, optional
        The KPI of the view (a key of :data:`ccmetrics.kpis.KPIS`); needed with ``spread``.
    spread : bool, default False
        Whether the view needs the spread of the KPI's per-call values, as a
        comparison of units does (``compare.funnel``, ``compare.shrink``: the
        within-unit variance of a mean).

    Returns
    -------
    bool
        True when every dimension of ``dims`` is a cube dimension, every period a
        union of cube intervals, the window's ends lie on interval boundaries and,
        with ``spread``, the KPI is a proportion (its variance follows from its two
        counts, θ(1 − θ)/n); False otherwise.

    Examples
    --------
    >>> answers_exactly(("queue", "team"), "D", dims=("team",), metric="fcr_rate", spread=True)
    True
    >>> answers_exactly(("queue", "team"), "D", dims=("team",), metric="aht_s", spread=True)
    False
    >>> answers_exactly(("queue",), "30min", dims=("queue", "category"))
    False
    """
    if not set(dims) <= set(cube_dims) or not periods_roll_up(freq, step):
        return False
    interval = pd.Timedelta(pd.tseries.frequencies.to_offset(step))
    for bound in (start, end):
        if bound is not None and pd.Timestamp(bound).floor(interval) != pd.Timestamp(bound):
            return False
    if spread:
        if metric is None:
            raise ValueError("spread=True needs the metric whose per-call values spread")
        return kpis.KPIS[metric].kind == "proportion"
    return True


def _has(frame: pd.DataFrame, column: str) -> bool:
    """True when the frame has the column with at least one known value (the loader
    keeps every schema column, all-missing where the export lacks it)."""
    return column in frame.columns and bool(frame[column].notna().any())


def _bool(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A nullable boolean column as float: 1.0, 0.0, or NaN when unknown/absent."""
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    values = frame[column]
    if isinstance(values.dtype, pd.BooleanDtype) or (
        isinstance(values.dtype, np.dtype) and values.dtype.kind == "b"
    ):
        return values.to_numpy(dtype=float, na_value=np.nan)
    return values.astype("boolean").astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def _float(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    values = frame[column]
    if values.dtype == np.dtype("float64"):
        return values.to_numpy()
    return pd.to_numeric(values, errors="coerce").to_numpy(dtype=float, na_value=np.nan)


#: The canonical call columns of the IVR stage (any one known: the call entered the IVR).
IVR_COLUMNS = ("ivr_s", "ivr_contained", "ivr_abandoned", "ivr_path")


def ivr_only_rows(calls: pd.DataFrame) -> np.ndarray:
    """Which calls ended in the IVR (self-served or hung up there), never offered to a queue.

    Parameters
    ----------
    calls : DataFrame
        Canonical calls.

    Returns
    -------
    ndarray of bool
        True where ``ivr_contained`` or ``ivr_abandoned`` is true; all False when
        the frame has neither column.

    Notes
    -----
    An IVR-only row has ``answered = abandoned = False`` (the loader and the
    sample guarantee it), so ``offered`` leaves it out by itself; the queue and
    agent measures that do not start from ``answered`` (CSAT, QA, FCR's repeat
    calls) leave it out through this mask.

    Examples
    --------
    >>> calls = pd.DataFrame({"ivr_contained": pd.array([True, False, None], dtype="boolean"),
    ...                       "ivr_abandoned": pd.array([False, True, False], dtype="boolean")})
    >>> ivr_only_rows(calls).tolist()
    [True, True, False]
    """
    only = np.zeros(len(calls), dtype=bool)
    for column in ("ivr_contained", "ivr_abandoned"):
        if column in calls.columns:
            only |= _bool(calls, column) == 1.0
    return only


def _ivr_arrays(calls: pd.DataFrame) -> dict[str, np.ndarray | None]:
    """The IVR measures of each call (None where the frame lacks the input):
    ``ivr_n`` any IVR column known, ``ivr_contained``, ``ivr_abandoned_n``,
    ``ivr_time_n`` and ``ivr_s_sum`` (IVR seconds of calls with a known time)."""
    present = [column for column in IVR_COLUMNS if _has(calls, column)]
    out: dict[str, np.ndarray | None] = dict.fromkeys(
        ("ivr_n", "ivr_contained", "ivr_abandoned_n", "ivr_time_n", "ivr_s_sum")
    )
    if not present:
        return out
    entered = np.zeros(len(calls), dtype=bool)
    for column in present:
        entered |= calls[column].notna().to_numpy(dtype=bool)
    out["ivr_n"] = entered
    if "ivr_contained" in present:
        out["ivr_contained"] = _bool(calls, "ivr_contained") == 1.0
    if "ivr_abandoned" in present:
        out["ivr_abandoned_n"] = _bool(calls, "ivr_abandoned") == 1.0
    if "ivr_s" in present:
        seconds = _float(calls, "ivr_s")
        timed = ~np.isnan(seconds)
        out["ivr_time_n"] = timed
        out["ivr_s_sum"] = np.where(timed, seconds, 0.0)
    return out


def _fcr_arrays(
    calls: pd.DataFrame, answered: np.ndarray, settings
) -> tuple[np.ndarray, np.ndarray] | tuple[None, None]:
    """FCR eligibility and resolution per call as bool arrays (see :func:`fcr_flags`);
    (None, None) when the data supports no FCR definition."""
    if "fcr_eligible" in calls.columns and "fcr_resolved" in calls.columns:
        eligible = calls["fcr_eligible"].to_numpy(dtype=bool)
        resolved = calls["fcr_resolved"].to_numpy(dtype=bool)
        return eligible, eligible & resolved
    flags = fcr_flags(calls, settings)
    if flags is None:
        return None, None
    return flags["fcr_eligible"].to_numpy(bool), flags["fcr_resolved"].to_numpy(bool)


def call_measures(calls: pd.DataFrame, settings=None) -> pd.DataFrame:
    """Additive measures of each call (one row per call, same index).

    Parameters
    ----------
    calls : DataFrame
        Canonical call-level frame (``kind == "calls"``).
    settings : KpiSettings, optional
        Thresholds T (``sl_threshold_s``) and S (``short_abandon_s``) and the
        FCR window. Defaults to ``KpiSettings()``.

    Returns
    -------
    DataFrame
        Columns :data:`MEASURES`; a column whose input is absent is all-NaN.

    Notes
    -----
    With ``w`` the wait of a call, answered calls with ``w <= T`` are
    ``answered_in_sl``, abandoned calls with ``w <= T`` are ``abandoned_in_sl``,
    abandoned calls with ``w < S`` are ``short_abandoned``. A call is offered when
    it is answered or abandoned (a call contained in the IVR is neither). Handle
    time is talk + hold + ACW of an answered call with a known talk time; a
    missing hold or ACW column counts as 0 s in the handle sum. CSAT and QA
    leave out IVR-only rows (:func:`ivr_only_rows`). IVR: ``ivr_n`` counts
    calls with any of :data:`IVR_COLUMNS` known, ``ivr_contained`` and
    ``ivr_abandoned_n`` the flags, ``ivr_time_n``/``ivr_s_sum`` the calls with a
    known ``ivr_s`` and their seconds.

    Examples
    --------
    >>> calls = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-01-01 08:00"] * 2),
    ...     "wait_s": [20.0, 3.0], "answered": [True, False], "abandoned": [False, True]})
    >>> m = call_measures(calls)
    >>> m[["offered", "answered_in_sl", "short_abandoned"]].sum().tolist()
    [2.0, 1.0, 1.0]
    """
    arrays = _call_measure_arrays(calls, settings)
    n = len(calls)
    out = {
        name: np.full(n, np.nan)
        if values is None
        else (values.astype(float) if values.dtype == bool else values)
        for name, values in arrays.items()
    }
    return pd.DataFrame(out, index=calls.index, columns=list(MEASURES))


def _call_measure_arrays(
    calls: pd.DataFrame, settings=None, *, squares: bool = True, dependent: bool = True
) -> dict[str, np.ndarray | None]:
    """The columns of :func:`call_measures` as arrays, in :data:`MEASURES` order.

    A 0/1 indicator is a bool array, a sum of seconds or scores a float array
    (never NaN: unknown values count as 0 in their sum and are left out of its
    n), and a measure whose input the frame lacks is None (an all-NaN column).
    ``squares=False`` leaves out the sums of squares (None), which no KPI uses.
    ``dependent=False`` leaves out the :data:`SETTING_MEASURES` (not in the dict).
    """
    settings = settings or KpiSettings()
    answered = calls["answered"].to_numpy(dtype=bool)
    abandoned = calls["abandoned"].to_numpy(dtype=bool)
    wait = _float(calls, "wait_s")
    wait_known = ~np.isnan(wait)
    out: dict[str, np.ndarray | None] = dict.fromkeys(MEASURES)
    out["offered"] = answered | abandoned
    out["answered"] = answered
    out["abandoned"] = abandoned
    # comparisons with NaN are False: an unknown wait is never short or within T
    if dependent:
        out.update(_setting_arrays(calls, settings, ("short", "sl"), answered, abandoned, wait))
    answered_wait = answered & wait_known
    out["wait_n"] = answered_wait
    out["wait_s_sum"] = np.where(answered_wait, wait, 0.0)
    if squares:
        out["wait_s_sq_sum"] = out["wait_s_sum"] ** 2
    abandoned_wait = abandoned & wait_known
    out["abandon_wait_n"] = abandoned_wait
    out["abandon_wait_s_sum"] = np.where(abandoned_wait, wait, 0.0)

    if _has(calls, "talk_s"):
        talk = _float(calls, "talk_s")
        handled = answered & ~np.isnan(talk)
        talk0 = np.where(handled, talk, 0.0)
        has_hold, has_acw = _has(calls, "hold_s"), _has(calls, "acw_s")
        hold0 = _handled_part(calls, "hold_s", handled) if has_hold else np.zeros(len(talk))
        acw0 = _handled_part(calls, "acw_s", handled) if has_acw else np.zeros(len(talk))
        handle = talk0 + hold0 + acw0
        out["handle_n"] = handled
        out["talk_s_sum"] = talk0
        out["hold_s_sum"] = hold0 if has_hold else None
        out["acw_s_sum"] = acw0 if has_acw else None
        out["handle_s_sum"] = handle
        if squares:
            out["handle_s_sq_sum"] = handle**2

    if _has(calls, "transferred"):
        transferred = _bool(calls, "transferred")
        known = answered & ~np.isnan(transferred)
        out["transfer_n"] = known
        out["transferred"] = known & (transferred == 1.0)

    if dependent:
        out.update(_setting_arrays(calls, settings, ("fcr",), answered))

    if _has(calls, "csat"):
        csat = _queued_values(calls, "csat")
        rated = ~np.isnan(csat)
        out["csat_n"] = rated
        out["csat_sum"] = np.where(rated, csat, 0.0)
        if dependent:
            out.update(_setting_arrays(calls, settings, ("csat",), csat=csat))

    if _has(calls, "qa_score"):
        qa = _queued_values(calls, "qa_score")
        scored = ~np.isnan(qa)
        out["qa_n"] = scored
        out["qa_sum"] = np.where(scored, qa, 0.0)

    out.update(_ivr_arrays(calls))
    out.update(_quality_arrays(calls, answered, out["handle_n"], out["handle_s_sum"]))
    if not dependent:
        for name in SETTING_MEASURES:
            out.pop(name)
    return out


def _quality_arrays(
    calls: pd.DataFrame,
    answered: np.ndarray,
    handled: np.ndarray | None,
    handle: np.ndarray | None,
) -> dict[str, np.ndarray]:
    """The cost and quality measures of :func:`call_measures` (only those whose input
    the frame has).

    ``cost_n`` counts offered calls with a known cost, ``cost_e4_sum`` sums their cost
    and ``cost_handle_s_sum`` their handle seconds (answered calls with a known talk
    time; 0 for the others). ``complaint_n``/``error_n``/``entry_n`` count answered
    calls whose complaint flag / business-error flag / entry completeness is known;
    ``complaints``/``errors`` those flagged, ``entry_filled_e4_sum`` the sum of their
    completeness (the share of the required fields filled, 0–1).

    The two ``_e4`` sums hold each value × 10⁴ rounded to a whole number (a cost to
    0.0001 of its currency, a share to 0.01 %): sums of whole numbers are exact in any
    order, so every roll-up (cube, day, group) gives the same KPI bit for bit.
    """
    out: dict[str, np.ndarray] = {}
    if _has(calls, "cost"):
        cost = _float(calls, "cost")
        costed = calls["answered"].to_numpy(dtype=bool) | calls["abandoned"].to_numpy(dtype=bool)
        costed &= ~np.isnan(cost)
        out["cost_n"] = costed
        out["cost_e4_sum"] = np.where(costed, np.rint(cost * 1e4), 0.0)
        if handle is not None:
            out["cost_handle_s_sum"] = np.where(costed & handled, handle, 0.0)
    for flag, base, count in (
        ("complaint", "complaint_n", "complaints"),
        ("business_error", "error_n", "errors"),
    ):
        if _has(calls, flag):
            values = _bool(calls, flag)
            known = answered & ~np.isnan(values)
            out[base] = known
            out[count] = known & (values == 1.0)
    if _has(calls, "entry_completeness"):
        share = _float(calls, "entry_completeness")
        known = answered & ~np.isnan(share)
        out["entry_n"] = known
        out["entry_filled_e4_sum"] = np.where(known, np.rint(share * 1e4), 0.0)
    return out


#: The measures whose counts depend on a setting, by setting group: ``"sl"`` on
#: ``sl_threshold_s`` (T), ``"short"`` on ``short_abandon_s`` (S), ``"csat"`` on
#: ``csat_top_box``, ``"fcr"`` on ``fcr_window_h`` and ``fcr_method`` (or on the
#: ``fcr_eligible``/``fcr_resolved`` columns when the frame carries them). Every
#: other measure is the same whatever the settings.
SETTING_GROUPS: dict[str, tuple[str, ...]] = {
    "sl": ("answered_in_sl", "abandoned_in_sl"),
    "short": ("short_abandoned",),
    "csat": ("csat_top2",),
    "fcr": ("fcr_n", "fcr_resolved"),
}

#: Settings each group of :data:`SETTING_GROUPS` depends on.
GROUP_SETTINGS: dict[str, tuple[str, ...]] = {
    "sl": ("sl_threshold_s",),
    "short": ("short_abandon_s",),
    "csat": ("csat_top_box",),
    "fcr": ("fcr_window_h", "fcr_method"),
}

#: Every setting-dependent measure (the union of :data:`SETTING_GROUPS`).
SETTING_MEASURES = tuple(name for names in SETTING_GROUPS.values() for name in names)


def _setting_arrays(
    calls: pd.DataFrame,
    settings,
    groups=tuple(SETTING_GROUPS),
    answered: np.ndarray | None = None,
    abandoned: np.ndarray | None = None,
    wait: np.ndarray | None = None,
    csat: np.ndarray | None = None,
) -> dict[str, np.ndarray | None]:
    """The setting-dependent measures of :func:`call_measures` (of the ``groups``
    named, keys of :data:`SETTING_GROUPS`) as bool arrays, or None for a measure
    whose input the frame lacks. The one place these flags are computed: the
    full measures and :class:`CubeIndex` both call it. Arrays already at hand
    (``answered``, ``abandoned``, ``wait``, ``csat``) are reused."""
    if answered is None:
        answered = calls["answered"].to_numpy(dtype=bool)
    out: dict[str, np.ndarray | None] = {}
    if "short" in groups or "sl" in groups:
        if abandoned is None:
            abandoned = calls["abandoned"].to_numpy(dtype=bool)
        if wait is None:
            wait = _float(calls, "wait_s")
    # comparisons with NaN are False: an unknown wait is never short or within T
    if "short" in groups:
        out["short_abandoned"] = abandoned & (wait < settings.short_abandon_s)
    if "sl" in groups:
        in_sl = wait <= settings.sl_threshold_s
        out["answered_in_sl"] = answered & in_sl
        out["abandoned_in_sl"] = abandoned & in_sl
    if "csat" in groups:
        if csat is None:
            csat = _queued_values(calls, "csat") if _has(calls, "csat") else None
        if csat is None:
            out["csat_top2"] = None
        else:
            # nan_to_num(csat) >= box on rated calls is csat >= box (±inf compare alike)
            out["csat_top2"] = ~np.isnan(csat) & (csat >= settings.csat_top_box)
    if "fcr" in groups:
        out["fcr_n"], out["fcr_resolved"] = _fcr_arrays(calls, answered, settings)
    return out


def _queued_values(calls: pd.DataFrame, column: str) -> np.ndarray:
    """A per-call score as float, NaN on IVR-only rows (a queue/agent KPI leaves them out)."""
    values = _float(calls, column)
    only = ivr_only_rows(calls)
    return np.where(only, np.nan, values) if only.any() else values


def _handled_part(calls: pd.DataFrame, column: str, handled: np.ndarray) -> np.ndarray:
    """``where(handled, nan_to_num(column), 0)``: a handle-time part of handled calls."""
    part = np.where(handled, _float(calls, column), 0.0)
    if not np.isfinite(part).all():
        part = np.nan_to_num(part, nan=0.0)
    return part


# --------------------------------------------------------------------------
# Fast exact group sums of call measures (what groupby(...).sum() gives, faster)
# --------------------------------------------------------------------------

#: Sums of integers below this bound are exact in float64 whatever the order.
_EXACT_BOUND = float(2**52)


class _PeriodKey:
    """A ``period`` group key: ``period_start(times, freq)``. For a fixed frequency
    each row's period is one integer division (no pandas ``floor`` of every row)."""

    def __init__(self, name: str, times: pd.Series, freq: str):
        self.name, self.times, self.freq = name, times, freq

    def ranks(self):
        """Sorted rank of every row's period (NaT last), the number of ranks and
        the period start of each rank; None when the frequency is not fixed."""
        alias = self.freq.upper()
        if alias.startswith("W") or alias in {"MS", "M", "ME"}:
            return None
        if self.times.dtype != np.dtype("datetime64[ns]"):
            return None
        try:
            step = pd.Timedelta(pd.tseries.frequencies.to_offset(self.freq)).value
        except (ValueError, TypeError):
            return None
        if step <= 0:
            return None
        values = self.times.to_numpy().view(np.int64)
        missing = values == np.iinfo(np.int64).min
        has_missing = bool(missing.any())
        # pandas' floor is t - t mod step, i.e. step * floor(t / step)
        periods = np.floor_divide(values, step)
        known = periods[~missing] if has_missing else periods
        low, high = (int(known.min()), int(known.max())) if known.size else (0, -1)
        if high - low > 4 * len(values) + 1024:
            return None
        ranks = periods - low
        if has_missing:
            ranks[missing] = high - low + 1
        count = high - low + 2

        def labels(rank: np.ndarray) -> pd.Series:
            starts = ((rank + low) * step).astype("datetime64[ns]")
            return pd.Series(np.where(rank == count - 1, np.datetime64("NaT", "ns"), starts))

        return ranks, count, labels


def _key_ranks(key):
    """Rank of every row in the sorted order groupby(sort=True, dropna=False) uses
    (missing values last), the number of ranks, and the key value of each rank."""
    if isinstance(key, _PeriodKey):
        fast = key.ranks()
        if fast is not None:
            return fast
        key = period_start(key.times, key.freq).rename(key.name)
    if isinstance(key.dtype, pd.CategoricalDtype):
        codes = key.cat.codes.to_numpy().astype(np.int64)
        categories = len(key.cat.categories)
        codes[codes < 0] = categories  # missing values form the last group

        def labels(rank: np.ndarray) -> pd.Series:
            codes = np.where(rank == categories, -1, rank)
            return pd.Series(pd.Categorical.from_codes(codes, dtype=key.dtype))

        return codes, categories + 1, labels
    codes, uniques = pd.factorize(key, sort=True, use_na_sentinel=True)
    codes = codes.astype(np.int64)
    codes[codes < 0] = len(uniques)

    def labels(rank: np.ndarray) -> pd.Series:
        positions = np.where(rank == len(uniques), -1, rank)
        return pd.Series(uniques.take(positions, allow_fill=True, fill_value=None))

    return codes, len(uniques) + 1, labels


def _group_index(keys: list, n: int):
    """Group id of every row (groups in sorted key order, only observed ones),
    the number of groups and the key columns of the groups; None when the key
    combinations do not fit one int64 code."""
    combined = np.zeros(n, dtype=np.int64)
    size, counts, labels = 1, [], []
    for key in keys:
        ranks, count, label = _key_ranks(key)
        if size * count >= 2**62:
            return None  # too many key combinations for one int64 code
        combined = combined * count + ranks if size > 1 else ranks
        size *= count
        counts.append(count)
        labels.append(label)
    if size <= max(4 * n, 1 << 16):
        present = np.bincount(combined, minlength=size) > 0
        observed = np.flatnonzero(present)
        ids = combined if len(observed) == size else (np.cumsum(present) - 1)[combined]
    else:
        ids, observed = pd.factorize(combined, sort=True)
        observed = np.asarray(observed)
    columns = {}
    rest = observed
    for key, count, label in zip(keys[::-1], counts[::-1], labels[::-1], strict=True):
        rest, rank = np.divmod(rest, count)
        columns[key.name] = label(rank)
    columns = {key.name: columns[key.name] for key in keys}
    return ids, len(observed), pd.DataFrame(columns)


def _exactly_summable(values: np.ndarray, whole_known: bool = False) -> bool:
    """True when every value is a whole number and n x the largest magnitude is
    below 2**52: then any order of summation gives the same, exact result."""
    if values.size == 0:
        return True
    largest = max(abs(float(values.min())), abs(float(values.max())))
    if not largest * values.size < _EXACT_BOUND:  # also False for NaN and inf
        return False
    return whole_known or bool(np.array_equal(values, np.rint(values)))


#: Sums whose values are whole numbers when the sums named are (squares and
#: totals of whole numbers): only their magnitude needs checking.
_WHOLE_WHEN = {
    "wait_s_sq_sum": ("wait_s_sum",),
    "handle_s_sum": ("talk_s_sum", "hold_s_sum", "acw_s_sum"),
    "handle_s_sq_sum": ("talk_s_sum", "hold_s_sum", "acw_s_sum"),
}


def _sums_by_group(
    arrays: dict, ids: np.ndarray | None, groups: int, contiguous: bool
) -> dict[str, np.ndarray] | None:
    """Per-group sums of measure arrays, bit for bit what pandas' ``sum(min_count=1)``
    gives; None when a sum is not exact in any order (values that are not whole
    numbers: pandas' compensated sum of the full table is then the reference)."""
    whole = set()
    for name, values in arrays.items():
        if values is None or values.dtype == bool:
            continue
        known = all(part in whole or arrays[part] is None for part in _WHOLE_WHEN.get(name, [name]))
        if not _exactly_summable(values, whole_known=known and name in _WHOLE_WHEN):
            return None
        whole.add(name)
    out: dict[str, np.ndarray] = {}
    if ids is None:
        for name, values in arrays.items():
            if values is None:
                out[name] = np.full(1, np.nan)
            else:
                total = np.count_nonzero(values) if values.dtype == bool else values.sum()
                out[name] = np.array([float(total)])
        return out
    flags = [name for name, values in arrays.items() if values is not None and values.dtype == bool]
    if contiguous and len(ids):
        starts = np.flatnonzero(np.r_[True, ids[1:] != ids[:-1]])
        for name in flags:
            out[name] = np.add.reduceat(arrays[name], starts, dtype=np.int64).astype(float)
    else:
        out.update(_count_flags(arrays, flags, ids, groups))
    for name, values in arrays.items():
        if name in out:
            continue
        if values is None:
            out[name] = np.full(groups, np.nan)
        elif name == "handle_s_sum":  # talk + hold + acw, each whole: the sum of their sums
            parts = [
                out[p] for p in ("talk_s_sum", "hold_s_sum", "acw_s_sum") if arrays[p] is not None
            ]
            out[name] = sum(parts[1:], parts[0]) + 0.0
        elif contiguous and len(ids):
            out[name] = np.add.reduceat(values, starts) + 0.0  # +0.0: no negative zeros
        else:
            out[name] = np.bincount(ids, weights=values, minlength=groups) + 0.0
    return {name: out[name] for name in arrays}


def _count_flags(arrays: dict, flags: list[str], ids: np.ndarray, groups: int) -> dict:
    """Per-group counts of several bool arrays: their bits packed into one small
    code per row, one ``bincount`` of (group, code) per pack instead of one per flag."""
    bits = int(max(1, min(8, np.log2(max((1 << 21) // max(groups, 1), 2)))))
    out = {}
    for offset in range(0, len(flags), bits):
        pack = flags[offset : offset + bits]
        code = np.zeros(len(ids), dtype=np.uint8)
        for bit, name in enumerate(pack):
            code |= arrays[name].view(np.uint8) << np.uint8(bit)
        states = 1 << len(pack)
        counts = np.bincount(ids * states + code, minlength=groups * states)
        counts = counts.reshape(groups, states)
        for bit, name in enumerate(pack):
            with_bit = (np.arange(states) >> bit) & 1 == 1
            out[name] = counts[:, with_bit].sum(axis=1).astype(float)
    return out


def _call_sums(
    calls: pd.DataFrame, keys: list, settings=None, *, squares: bool = True
) -> pd.DataFrame | None:
    """Sums of :func:`call_measures` per group of ``keys``, exactly as
    ``call_measures(calls).groupby(keys, observed=True, dropna=False,
    sort=True).sum(min_count=1).reset_index()`` (or ``.sum(min_count=1)`` as one
    row without keys) would give them, without the per-call table.
    ``squares=False`` leaves the sums of squares missing (no KPI uses them).

    ``keys`` are Series aligned with ``calls`` (or :class:`_PeriodKey`). Sums
    of whole numbers (counts, whole seconds) are exact in any order, so
    ``np.bincount`` (or ``np.add.reduceat`` over rows already in group order)
    gives pandas' result bit for bit. Returns None when some value is not a
    whole number: the caller then takes the pandas route.
    """
    arrays = _call_measure_arrays(calls, settings, squares=squares)
    if not keys:
        if len(calls) == 0:  # sum(min_count=1) of nothing is missing
            return pd.DataFrame(np.nan, index=[0], columns=list(MEASURES))
        sums = _sums_by_group(arrays, None, 1, False)
        if sums is None:
            return None
        return pd.DataFrame(sums, index=[0], columns=list(MEASURES))
    index = _group_index(keys, len(calls))
    if index is None:
        return None
    ids, groups, key_columns = index
    contiguous = bool(len(ids) < 2 or np.all(ids[1:] >= ids[:-1]))
    sums = _sums_by_group(arrays, ids, groups, contiguous)
    if sums is None:
        return None
    return pd.concat([key_columns, pd.DataFrame(sums, columns=list(MEASURES))], axis=1)


def _fast_keys_supported(frame: pd.DataFrame, by: list[str], reserved: set[str]) -> bool:
    """True when :func:`_call_sums` reproduces pandas' grouping of these columns."""
    if len(set(by)) != len(by) or reserved & set(by):
        return False
    for column in by:
        dtype = frame[column].dtype
        if isinstance(dtype, pd.CategoricalDtype):
            continue
        if isinstance(dtype, np.dtype) and (
            dtype == np.dtype("datetime64[ns]")
            or pd.api.types.is_bool_dtype(dtype)
            or pd.api.types.is_integer_dtype(dtype)
        ):
            continue
        if pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype):
            continue
        return False
    return True


def interval_measures(intervals: pd.DataFrame) -> pd.DataFrame:
    """Additive measures of an interval frame or cube (one row per input row).

    Parameters
    ----------
    intervals : DataFrame
        Canonical interval frame (``kind == "intervals"``) or a cube from
        :func:`build_cube`.

    Returns
    -------
    DataFrame
        Columns :data:`MEASURES`. Columns the export lacks are NaN; denominators
        an interval report does not give are derived: ``wait_n = answered``,
        ``handle_n = answered`` (when ``handle_s_sum`` or ``talk_s_sum`` is
        given), ``transfer_n = answered`` (when ``transferred`` is given),
        ``handle_s_sum = talk + hold + acw`` when only the parts are given,
        ``staffed_s = staffed_agents × interval_minutes × 60``.

    Notes
    -----
    ``reported_service_level`` (a fraction) is kept as the offered-weighted sum
    ``reported_sl_weighted = Σ reported × offered`` over ``reported_sl_offered``
    so that an export which gives only a percentage still rolls up.
    """
    n = len(intervals)
    out: dict[str, np.ndarray] = {}
    for name in MEASURES:
        if name in intervals.columns:
            out[name] = _float(intervals, name)
        else:
            out[name] = np.full(n, np.nan)
    answered = out["answered"]
    if "wait_n" not in intervals.columns:
        out["wait_n"] = np.where(np.isnan(out["wait_s_sum"]), np.nan, answered)
    if "abandon_wait_n" not in intervals.columns:
        out["abandon_wait_n"] = np.where(
            np.isnan(out["abandon_wait_s_sum"]), np.nan, out["abandoned"]
        )
    if "handle_s_sum" not in intervals.columns and "talk_s_sum" in intervals.columns:
        out["handle_s_sum"] = (
            out["talk_s_sum"] + np.nan_to_num(out["hold_s_sum"]) + np.nan_to_num(out["acw_s_sum"])
        )
    if "handle_n" not in intervals.columns:
        out["handle_n"] = np.where(np.isnan(out["handle_s_sum"]), np.nan, answered)
    if "transfer_n" not in intervals.columns:
        out["transfer_n"] = np.where(np.isnan(out["transferred"]), np.nan, answered)
    if "staffed_s" not in intervals.columns and "staffed_agents" in intervals.columns:
        minutes = _float(intervals, "interval_minutes")
        out["staffed_s"] = _float(intervals, "staffed_agents") * minutes * 60.0
    if (
        "reported_sl_weighted" not in intervals.columns
        and "reported_service_level" in intervals.columns
    ):
        reported = _float(intervals, "reported_service_level")
        known = ~np.isnan(reported) & ~np.isnan(out["offered"])
        out["reported_sl_offered"] = np.where(known, out["offered"], 0.0)
        out["reported_sl_weighted"] = np.where(known, reported * out["offered"], 0.0)
    return pd.DataFrame(out, index=intervals.index, columns=list(MEASURES))


def measures(frame: pd.DataFrame, settings=None) -> pd.DataFrame:
    """Additive measures of any canonical frame (dispatch on its kind).

    Returns
    -------
    DataFrame
        Columns :data:`MEASURES`, one row per input row.
    """
    if frame_kind(frame) == "calls":
        return call_measures(frame, settings)
    _check_cube_settings(frame, settings)
    return interval_measures(frame)


def _check_cube_settings(frame: pd.DataFrame, settings) -> None:
    """A cube built with thresholds T, S cannot answer for other thresholds."""
    built = frame.attrs.get("ccmetrics_settings")
    if not built or settings is None:
        return
    for key in ("sl_threshold_s", "short_abandon_s", "fcr_window_h", "csat_top_box"):
        if key in built and built[key] != getattr(settings, key):
            raise ValueError(
                f"this cube was built with {key}={built[key]}, not {getattr(settings, key)}: "
                "rebuild it with build_cube(calls, settings=...)"
            )


def build_cube(
    calls: pd.DataFrame,
    freq: str = "15min",
    dims: list[str] | tuple[str, ...] | None = None,
    settings=None,
) -> pd.DataFrame:
    """Aggregate call-level data into additive measures per interval × dimensions.

    Parameters
    ----------
    calls : DataFrame
        Canonical call-level frame.
    freq : str, default "15min"
        Interval length (fixed pandas offset alias: "5min", "15min", "30min", "h", "D").
    dims : list of str, optional
        Dimension columns to keep. Default: every column of
        :data:`ccmetrics.schema.DIMENSIONS` that the frame has.
    settings : KpiSettings, optional
        The thresholds baked into the counts; ``compute`` refuses a cube with
        other thresholds (stored in ``cube.attrs["ccmetrics_settings"]``).

    Returns
    -------
    DataFrame
        An interval-kind frame: ``interval_start``, ``interval_minutes``, the
        dimension columns, then :data:`MEASURES`. Only combinations that have
        calls appear. Missing dimension values form their own group.

    Notes
    -----
    Calls are attributed to the interval of their arrival. Because every column
    is a count or a sum, ``compute(build_cube(calls), by, freq)`` equals
    ``compute(calls, by, freq)`` for any ``by`` within ``dims`` and any ``freq``
    that is a multiple of the cube's interval.

    Examples
    --------
    >>> calls = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-01-01 08:01", "2025-01-01 08:20"]),
    ...     "wait_s": [5.0, 40.0], "answered": [True, True], "abandoned": [False, False]})
    >>> build_cube(calls, "15min")[["interval_start", "offered", "answered_in_sl"]].to_string(index=False)
    '     interval_start  offered  answered_in_sl\\n2025-01-01 08:00:00      1.0             1.0\\n2025-01-01 08:15:00      1.0             0.0'
    """
    settings = settings or KpiSettings()
    if dims is None:
        dims = [d for d in DIMENSIONS if d in calls.columns]
    dims = list(dims)
    cube = None
    if _fast_keys_supported(calls, dims, {*MEASURES, "interval_start"}):
        keys = [_PeriodKey("interval_start", calls["arrived_at"], freq)]
        cube = _call_sums(calls, keys + [calls[dim] for dim in dims], settings)
    if cube is None:
        table = call_measures(calls, settings)
        table.insert(0, "interval_start", period_start(calls["arrived_at"], freq))
        for position, dim in enumerate(dims, start=1):
            table.insert(position, dim, calls[dim])
        keys = ["interval_start", *dims]
        cube = (
            table.groupby(keys, observed=True, dropna=False, sort=True)
            .sum(min_count=1)
            .reset_index()
        )
    minutes = pd.Timedelta(pd.tseries.frequencies.to_offset(freq)).total_seconds() / 60.0
    cube.insert(1, "interval_minutes", minutes)
    cube.attrs["ccmetrics_settings"] = asdict(settings)
    return cube


class CubeIndex:
    """What :func:`build_cube` computes that no setting changes, kept for cheap rebuilds.

    Built once per data set (and cube shape ``freq`` × ``dims``): the cube cell of
    every call (one group code per row), the key columns of the cells and the sums
    of every measure that does not depend on a setting. :meth:`cube` then gives the
    cube for any :class:`~ccmetrics.schema.KpiSettings` by counting only the
    setting-dependent measures (:data:`SETTING_GROUPS`), one ``bincount`` per pack
    of flags, instead of a pass over every measure and key of every call.

    Parameters
    ----------
    calls : DataFrame
        Canonical call-level frame.
    freq : str, default "15min"
        Interval length, as for :func:`build_cube`.
    dims : list of str, optional
        Dimension columns, as for :func:`build_cube`.

    Attributes
    ----------
    rows : int
        Number of calls the index was built on.
    fast : bool
        False when the frame's keys or values need the pandas route of
        :func:`build_cube` (a dimension of another dtype, too many key
        combinations, a sum of values that are not whole numbers): :meth:`cube`
        then calls :func:`build_cube` itself (same result, no saving).

    Notes
    -----
    ``CubeIndex(calls, freq, dims).cube(frame, settings)`` equals
    ``build_cube(frame, freq, dims, settings)`` (values, dtypes, order and
    ``attrs``) for any settings, where ``frame`` is ``calls`` or the same calls
    with other ``fcr_eligible``/``fcr_resolved`` columns (``kpi.add_fcr_flags``
    for another FCR window): the setting-independent measures come from the
    calls the index was built on, the setting-dependent ones from ``frame``.
    Counts are sums of 0/1 values, exact in float64 in any order, which is why
    counting them apart gives the full build's values bit for bit. The counts
    of the last few values of each setting group are kept (a return to an
    earlier threshold costs no pass); the FCR counts are recounted on every
    call unless ``frame`` lacks FCR columns (then they are keyed by the FCR
    settings like the others).

    Examples
    --------
    >>> calls = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-01-01 08:01", "2025-01-01 08:20"]),
    ...     "wait_s": [5.0, 40.0], "answered": [True, True], "abandoned": [False, False]})
    >>> index = CubeIndex(calls, "15min", [])
    >>> index.cube(calls, KpiSettings(sl_threshold_s=60))["answered_in_sl"].tolist()
    [1.0, 1.0]
    """

    #: Counts of this many values per setting group are kept.
    KEEP = 8

    def __init__(
        self,
        calls: pd.DataFrame,
        freq: str = "15min",
        dims: list[str] | tuple[str, ...] | None = None,
    ):
        if dims is None:
            dims = [d for d in DIMENSIONS if d in calls.columns]
        self.freq, self.dims, self.rows = freq, list(dims), len(calls)
        self.fast = False
        self._parts: dict[tuple, dict[str, np.ndarray]] = {}
        self._lock = threading.Lock()  # the kept counts, shared by concurrent callers
        if not _fast_keys_supported(calls, self.dims, {*MEASURES, "interval_start"}):
            return
        keys = [_PeriodKey("interval_start", calls["arrived_at"], freq)]
        index = _group_index(keys + [calls[dim] for dim in self.dims], len(calls))
        if index is None:
            return
        ids, groups, key_columns = index
        contiguous = bool(len(ids) < 2 or np.all(ids[1:] >= ids[:-1]))
        arrays = _call_measure_arrays(calls, dependent=False)
        base = _sums_by_group(arrays, ids, groups, contiguous)
        if base is None:
            return
        if groups << 8 < 2**31:  # (group, 8 flag bits) codes still fit: half the memory
            ids = ids.astype(np.int32)
        self._ids, self._groups, self._contiguous = ids, groups, contiguous
        self._keys, self._base = key_columns, base
        self.fast = True

    def cube(self, calls: pd.DataFrame, settings=None) -> pd.DataFrame:
        """The cube of ``calls`` for ``settings``: ``build_cube(calls, freq, dims, settings)``.

        Parameters
        ----------
        calls : DataFrame
            The calls the index was built on, in the same order (FCR flag
            columns may differ, see the class Notes).
        settings : KpiSettings, optional
            Thresholds; defaults to ``KpiSettings()``.

        Returns
        -------
        DataFrame
            As :func:`build_cube`: ``interval_start``, ``interval_minutes``, the
            dimension columns, then :data:`MEASURES`; ``attrs["ccmetrics_settings"]``.

        Raises
        ------
        ValueError
            When ``calls`` does not have the number of rows the index was built on.
        """
        settings = settings or KpiSettings()
        if len(calls) != self.rows:
            raise ValueError(
                f"this CubeIndex was built on {self.rows} calls, not {len(calls)}: "
                "build a new CubeIndex for other data"
            )
        if not self.fast:
            return build_cube(calls, self.freq, self.dims, settings)
        measures = dict(self._base)
        frame_flags = "fcr_eligible" in calls.columns and "fcr_resolved" in calls.columns
        missing: dict[str, tuple | None] = {}  # group -> its settings (None: not kept)
        for group in SETTING_GROUPS:
            if group == "fcr" and frame_flags:
                missing[group] = None  # the frame's flags: counted every time
                continue
            values = tuple(getattr(settings, name) for name in GROUP_SETTINGS[group])
            with self._lock:
                part = self._parts.get((group, values))
            if part is None:
                missing[group] = values
            else:
                measures.update(part)
        if missing:  # the flags of every group to count, packed into as few passes as fit
            arrays = _setting_arrays(calls, settings, tuple(missing))
            counts = _sums_by_group(arrays, self._ids, self._groups, self._contiguous)
            measures.update(counts)
            with self._lock:
                for group, values in missing.items():
                    if values is None:
                        continue
                    stale = [key for key in self._parts if key[0] == group]
                    for key in stale[: max(0, len(stale) - self.KEEP + 1)]:
                        del self._parts[key]
                    self._parts[(group, values)] = {
                        name: counts[name] for name in SETTING_GROUPS[group]
                    }
        cube = pd.concat(
            [self._keys, pd.DataFrame({name: measures[name] for name in MEASURES})], axis=1
        )
        minutes = pd.Timedelta(pd.tseries.frequencies.to_offset(self.freq)).total_seconds() / 60.0
        cube.insert(1, "interval_minutes", minutes)
        cube.attrs["ccmetrics_settings"] = asdict(settings)
        return cube

    def clear(self, groups=None) -> None:
        """Drop the kept counts of these setting groups (keys of :data:`SETTING_GROUPS`;
        all by default): the next :meth:`cube` counts them again (same result)."""
        with self._lock:
            for key in [key for key in self._parts if groups is None or key[0] in groups]:
                del self._parts[key]


def _integer_ids(ids: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """Ids written as canonical integers as int64 values and a known mask
    (:func:`ccmetrics.io.calls.canonical_integers`, the loader's own check), or None
    for any other ids or fewer than 100,000 of them (hashing is fast enough)."""
    if len(ids) < 100_000:
        return None
    from ccmetrics.io.calls import canonical_integers

    return canonical_integers(ids)


def _stable_order(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``order = np.argsort(codes, kind="stable")`` and ``codes[order]``. When
    (code, row number) fit one int64, a plain sort of that pair gives the same
    order about 20x faster (and the sorted codes without a gather)."""
    n = len(codes)
    if n:
        low = int(codes.min())
        row_bits = max(1, (n - 1).bit_length())
        if (int(codes.max()) - low).bit_length() + row_bits <= 62:
            packed = ((codes.astype(np.int64) - low) << row_bits) | np.arange(n, dtype=np.int64)
            packed.sort()
            return packed & ((1 << row_bits) - 1), (packed >> row_bits) + low
    order = np.argsort(codes, kind="stable")
    return order, codes[order]


def fcr_flags(calls: pd.DataFrame, settings: KpiSettings | None = None) -> pd.DataFrame | None:
    """First-contact-resolution eligibility and outcome of every call.

    Parameters
    ----------
    calls : DataFrame
        Canonical calls, the whole data set (repeat calls after a filtered
        window still count against the calls inside it).
    settings : KpiSettings, optional
        ``fcr_window_h`` and ``fcr_method``.

    Returns
    -------
    DataFrame or None
        Columns ``fcr_eligible`` and ``fcr_resolved`` (bool, same index as
        ``calls``), or None when the data supports no FCR definition.

    Notes
    -----
    Repeat-call method (DESIGN.md): an answered call of a known customer is
    eligible when its whole window ``[t, t + W]`` lies inside the data (calls
    in the last W hours are censored, not counted as resolved); it is resolved
    when the same customer makes no new call (answered or not) in ``(t, t + W]``.
    Customer ids that are blank or all zeros (a common "unidentified"
    placeholder) are unknown. Resolved-flag method: eligible = answered calls
    with a known ``resolved`` flag; resolved = the flag. IVR-only rows
    (:func:`ivr_only_rows`) are neither eligible nor a repeat call, and do not
    extend the data's end.
    """
    settings = settings or KpiSettings()
    only = ivr_only_rows(calls)
    if only.any():
        # IVR-only rows are not offered calls: neither eligible nor a repeat of one
        queued = fcr_flags(calls.loc[~only], settings)
        if queued is None:
            return None
        return queued.reindex(calls.index, fill_value=False)
    method = settings.fcr_method
    has_ids = "customer_id" in calls.columns and calls["customer_id"].notna().any()
    if method == "auto":
        method = "repeat_calls" if has_ids else "resolved_flag"
    answered = calls["answered"].to_numpy(dtype=bool)
    if method == "resolved_flag":
        if "resolved" not in calls.columns:
            return None
        flag = calls["resolved"].astype("boolean")
        eligible = answered & flag.notna().to_numpy()
        resolved = eligible & flag.fillna(False).to_numpy(dtype=bool)
        return pd.DataFrame({"fcr_eligible": eligible, "fcr_resolved": resolved}, index=calls.index)
    if not has_ids:
        return None
    numeric = _integer_ids(calls["customer_id"])
    if numeric is not None:
        # canonical integers: "0" is the only all-zeros id, no blanks, no padding
        codes, known = numeric
        known &= codes != 0
        if known.any():
            codes = np.where(known, codes, codes[known].min() - 1)  # unknown: one group apart
    else:
        ids = calls["customer_id"].astype("string").str.strip()
        known = (ids.notna() & (ids != "") & ~ids.str.fullmatch("0+").fillna(False)).to_numpy(
            dtype=bool
        )
        codes = pd.factorize(ids.where(pd.Series(known, index=calls.index)), use_na_sentinel=True)[
            0
        ]
    times = calls["arrived_at"].to_numpy(dtype="datetime64[ns]").view("int64")
    if len(times) < 2 or np.all(times[1:] >= times[:-1]):
        order, sorted_codes = _stable_order(codes)  # rows in time order: the lexsort order
    else:
        order = np.lexsort((times, codes))
        sorted_codes = codes[order]
    sorted_times = times[order]
    window_ns = int(settings.fcr_window_h * 3600 * 1e9)
    # a call is repeated when the next call in (customer, time) order is the same
    # customer's and comes within the window
    repeat_sorted = np.zeros(len(order), dtype=bool)
    if len(order) > 1:
        repeat_sorted[:-1] = (sorted_codes[1:] == sorted_codes[:-1]) & (
            (sorted_times[1:] - sorted_times[:-1]) <= window_ns
        )
    repeat = np.empty(len(order), dtype=bool)
    repeat[order] = repeat_sorted
    data_end = times.max() if len(times) else 0
    eligible = answered & known & (times + window_ns <= data_end)
    resolved = eligible & ~repeat
    return pd.DataFrame({"fcr_eligible": eligible, "fcr_resolved": resolved}, index=calls.index)
