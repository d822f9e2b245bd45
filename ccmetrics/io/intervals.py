"""The canonical interval frame: :func:`_build_intervals` and its steps.

Each step reads the mapped columns it needs from the build context, counts
what it drops, derives or changes in the problems report, and hands its
values on; the order of the steps is the order of the report.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccmetrics.io.context import (
    _BuildContext,
    _dimension,
    _durations,
    _numbers,
    _timestamp,
    _typed,
)
from ccmetrics.io.parse import _parse_number
from ccmetrics.io.problems import LoadError
from ccmetrics.io.synonyms import _PLAN_KEYS
from ccmetrics.schema import DIMENSIONS, INTERVAL_COLUMNS

__all__: list[str] = []

#: Interval count keys, in the order they are read.
_COUNT_KEYS = (
    "offered",
    "answered",
    "abandoned",
    "short_abandoned",
    "answered_in_sl",
    "abandoned_in_sl",
    "transferred",
)

#: Sum keys of durations, in the order they are read.
_SUM_KEYS = (
    "wait_s_sum",
    "abandon_wait_s_sum",
    "talk_s_sum",
    "hold_s_sum",
    "acw_s_sum",
    "handle_s_sum",
)

#: Average keys and the (sum, count) they give: ``sum = average x count``.
_AVERAGES = {
    "asa_s": ("wait_s_sum", "answered"),
    "avg_talk_s": ("talk_s_sum", "answered"),
    "avg_hold_s": ("hold_s_sum", "answered"),
    "avg_acw_s": ("acw_s_sum", "answered"),
    "aht_s": ("handle_s_sum", "answered"),
    "avg_abandon_wait_s": ("abandon_wait_s_sum", "abandoned"),
}


def _build_intervals(ctx: _BuildContext) -> pd.DataFrame:
    """The canonical interval frame of one load (see :func:`ccmetrics.io.load`).

    Parameters
    ----------
    ctx : _BuildContext
        The parsed source table, mapping, options and problems of the load.

    Returns
    -------
    pandas.DataFrame
        :data:`ccmetrics.schema.INTERVAL_COLUMNS`, the kept rows sorted by
        ``interval_start`` then the dimensions that have values.

    Notes
    -----
    Sums come from averages as ``sum = average x count``; ``handle = talk +
    hold + acw``; ``staffed_agents = staffed seconds / (60 x interval_minutes)``.
    """
    start = _interval_starts(ctx)
    counts = _interval_counts(ctx)
    _derive_offered(ctx, counts)
    minutes = _interval_minutes(ctx, start)
    sums = _interval_sums(ctx, counts)
    _derive_handle(ctx, sums)
    staffing = _interval_staffing(ctx, minutes)
    _check_counts(ctx, counts)
    dims = {key: _dimension(ctx, key) for key in DIMENSIONS}
    values = {
        "interval_start": start,
        "interval_minutes": minutes,
        **counts,
        **sums,
        **staffing,
        **dims,
    }
    return _assemble_intervals(ctx, values)


def _interval_starts(ctx: _BuildContext) -> pd.Series:
    """Interval starts (from a start column or a day index); rows without one dropped."""
    used = ctx.used
    if "interval_start" in used:
        start, missing_dt, bad_dt = _timestamp(ctx, "interval_start")
        label = ctx.label("interval_start")
        if (bad_dt | missing_dt).all():
            raise LoadError(
                f"{ctx.name}: no value of '{label}' could be read as a date/time. "
                "Needed: interval starts like 2024-01-31 09:30, or the option datetime_format.",
                "all_datetimes_unparseable",
                {"file": ctx.name, "column": label},
            )
        ctx.drop(
            missing_dt,
            "warning",
            "missing_datetime",
            "interval_start",
            f"'{label}': rows without an interval start were dropped",
        )
        ctx.drop(
            bad_dt,
            "warning",
            "unparseable_datetime",
            "interval_start",
            f"'{label}': rows whose interval start could not be read were dropped",
        )
        _note_dst_changes(ctx, start, label)
        return start
    index_values, bad, _p = _parse_number(ctx.raw[used["day_index"]])
    first = pd.Timestamp(ctx.options["day_index_start"])
    start = pd.Series(first + pd.to_timedelta(index_values - 1, unit="D")).astype("datetime64[ns]")
    ctx.drop(
        np.isnan(index_values),
        "warning",
        "unparseable_datetime",
        "day_index",
        f"'{ctx.label('day_index')}': rows without a day number were dropped",
    )
    return start


def _note_dst_changes(ctx: _BuildContext, start: pd.Series, label: str) -> None:
    """Note the days whose local clock repeats or skips an hour (daylight saving).

    Notes
    -----
    With ``step`` the usual spacing of the interval starts, a day has a missing
    hour when two consecutive starts before 04:00 are ``step + 60`` minutes
    apart, and a repeated hour when the starts of one hour before 04:00 hold
    more rows than the usual number per start. The rows are kept as written.
    """
    stamps = start[ctx.keep & start.notna().to_numpy()]
    if len(stamps) < 4:
        return
    counts = stamps.value_counts().sort_index()
    starts = counts.index.to_series()
    gaps = starts.diff().dropna()
    if gaps.empty:
        return
    step = gaps.mode().iloc[0]
    early = starts.dt.hour < 4
    notes = []
    skipped = (gaps == step + pd.Timedelta(hours=1)) & early.shift(1, fill_value=False)[1:]
    for when in gaps.index[skipped.to_numpy()]:
        notes.append(("missing_hour", when))
    usual = counts.mode().iloc[0]
    repeated = counts[(counts > usual) & early.to_numpy()]
    if len(repeated) and repeated.index.max() - repeated.index.min() < pd.Timedelta(hours=1):
        notes.append(("repeated_hour", repeated.index.min()))
    for kind, when in notes:
        rows = int((stamps.dt.normalize() == when.normalize()).sum())
        what = "repeats an hour" if kind == "repeated_hour" else "skips an hour"
        ctx.problems.add(
            "info",
            "dst_change",
            "interval_start",
            rows,
            f"'{label}': the local clock {what} on {when.date()} near {when:%H:%M} "
            "(a daylight-saving change); the intervals were kept as written.",
            kind=kind,
            date=str(when.date()),
            time=f"{when:%H:%M}",
        )


def _interval_counts(ctx: _BuildContext) -> dict:
    """Call counts per interval (None where unmapped); negative counts set missing."""
    counts = {}
    for key in _COUNT_KEYS:
        values = _numbers(ctx, key)
        if values is not None:
            negative = (values < 0) & ctx.keep
            ctx.problems.add_rows(
                "warning",
                "negative_duration",
                key,
                negative,
                ctx.rows,
                f"'{ctx.label(key)}' ({key}): negative counts were set missing",
            )
            values = np.where(values < 0, np.nan, values)
        counts[key] = values
    return counts


def _derive_offered(ctx: _BuildContext, counts: dict) -> None:
    """Offered = answered + abandoned when no offered column; a plan-only file noted; else an error."""
    if counts["offered"] is not None:
        return
    problems = ctx.problems
    if counts["answered"] is not None and counts["abandoned"] is not None:
        counts["offered"] = counts["answered"] + counts["abandoned"]
        problems.add(
            "info",
            "derived_offered",
            "offered",
            int(ctx.keep.sum()),
            "offered = answered + abandoned (no offered column).",
            count=int(ctx.keep.sum()),
        )
    elif any(key in ctx.used for key in _PLAN_KEYS):
        # A plan file (forecast, schedule) with no actual calls: kept for staffing,
        # the actual-call KPIs of such a file are missing (never 0).
        problems.add(
            "warning",
            "plan_only",
            "offered",
            int(ctx.keep.sum()),
            "no offered, answered or abandoned column: the file holds a plan only "
            "(forecast or schedule); KPIs of actual calls are missing.",
            count=int(ctx.keep.sum()),
        )
    else:
        raise LoadError(
            f"{ctx.name}: required column offered (calls offered per interval) is missing. "
            f"Found columns: {', '.join(ctx.columns)}. Needed: offered calls, or answered and abandoned calls.",
            "missing_required_column",
            {"file": ctx.name, "key": "offered", "columns": ctx.columns},
        )


def _interval_minutes(ctx: _BuildContext, start: pd.Series) -> np.ndarray:
    """Interval length in minutes: the mapped column, else inferred from the spacing of the starts."""
    if "interval_minutes" in ctx.used:
        return _numbers(ctx, "interval_minutes", 0.0)
    minutes_value = _infer_minutes(start[ctx.keep])
    ctx.problems.add(
        "info",
        "inferred_interval_minutes",
        "interval_minutes",
        int(ctx.keep.sum()),
        f"Interval length {minutes_value:g} minutes, inferred from the spacing of the interval starts.",
        count=int(ctx.keep.sum()),
        minutes=minutes_value,
    )
    return np.full(ctx.n, minutes_value)


def _interval_sums(ctx: _BuildContext, counts: dict) -> dict:
    """Duration sums per interval, from sum columns or as average x count."""
    sums = {key: _durations(ctx, key) for key in _SUM_KEYS}
    for avg_key, (sum_key, count_key) in _AVERAGES.items():
        if sums[sum_key] is not None or avg_key not in ctx.used:
            continue
        average = _durations(ctx, avg_key)
        if counts[count_key] is None:
            continue
        sums[sum_key] = average * counts[count_key]
        ctx.problems.add(
            "info",
            "derived_sum",
            sum_key,
            int(ctx.keep.sum()),
            f"{sum_key} = '{ctx.label(avg_key)}' x {count_key}.",
            count=int(ctx.keep.sum()),
            average=ctx.label(avg_key),
            counted=count_key,
        )
    return sums


def _derive_handle(ctx: _BuildContext, sums: dict) -> None:
    """Handle sum = talk + hold + acw when no handle column (hold 0 when unmapped)."""
    if not (
        sums["handle_s_sum"] is None
        and sums["talk_s_sum"] is not None
        and sums["acw_s_sum"] is not None
    ):
        return
    hold = sums["hold_s_sum"] if sums["hold_s_sum"] is not None else 0.0
    sums["handle_s_sum"] = sums["talk_s_sum"] + hold + sums["acw_s_sum"]
    parts = "talk + hold + acw" if sums["hold_s_sum"] is not None else "talk + acw (no hold column)"
    ctx.problems.add(
        "info",
        "derived_handle",
        "handle_s_sum",
        int(ctx.keep.sum()),
        f"handle_s_sum = {parts}.",
        count=int(ctx.keep.sum()),
        parts=parts,
    )


def _interval_staffing(ctx: _BuildContext, minutes) -> dict:
    """Staffed and scheduled agents, forecast, forecast AHT and reported service level."""
    staffed = _numbers(ctx, "staffed_agents", 0.0)
    if staffed is None and "staffed_s" in ctx.used:
        staffed_s = _durations(ctx, "staffed_s")
        staffed = staffed_s / (np.asarray(minutes, dtype=float) * 60.0)
        ctx.problems.add(
            "info",
            "derived_staffed_agents",
            "staffed_agents",
            int(ctx.keep.sum()),
            f"staffed_agents = '{ctx.label('staffed_s')}' / interval seconds.",
            count=int(ctx.keep.sum()),
        )
    return {
        "staffed_agents": staffed,
        "scheduled_agents": _numbers(ctx, "scheduled_agents", 0.0),
        "forecast_offered": _numbers(ctx, "forecast_offered", 0.0),
        "forecast_aht_s": _durations(ctx, "forecast_aht_s"),
        "reported_service_level": _numbers(
            ctx, "reported_service_level", 0.0, 1.0, percent_to_fraction=True
        ),
    }


def _check_counts(ctx: _BuildContext, counts: dict) -> None:
    """Report intervals where answered + abandoned exceeds offered (kept as given)."""
    if counts["answered"] is not None and counts["abandoned"] is not None:
        over = (counts["answered"] + counts["abandoned"] > counts["offered"] + 1e-9) & ctx.keep
        ctx.problems.add_rows(
            "warning",
            "inconsistent_counts",
            "offered",
            over,
            ctx.rows,
            "answered + abandoned is larger than offered (kept as given)",
        )


def _assemble_intervals(ctx: _BuildContext, values: dict) -> pd.DataFrame:
    """The kept rows as :data:`ccmetrics.schema.INTERVAL_COLUMNS`, sorted, unused categories removed."""
    frame = pd.DataFrame(
        {name: _typed(values.get(name), dtype, ctx.n) for name, dtype in INTERVAL_COLUMNS.items()}
    )
    frame = frame.loc[ctx.keep]
    order = ["interval_start"] + [d for d in DIMENSIONS if frame[d].notna().any()]
    frame = frame.sort_values(order, kind="mergesort").reset_index(drop=True)
    for name in DIMENSIONS:
        frame[name] = frame[name].cat.remove_unused_categories()
    return frame


def _infer_minutes(starts: pd.Series) -> float:
    """The most common spacing of the interval starts in minutes (at most a day)."""
    unique = np.sort(starts.dropna().unique())
    if len(unique) < 2:
        only = pd.Timestamp(unique[0]) if len(unique) else None
        return 1440.0 if only is not None and only == only.normalize() else 30.0
    diffs = np.diff(unique).astype("timedelta64[s]").astype(float) / 60.0
    diffs = diffs[diffs > 0]
    values, counts = np.unique(diffs, return_counts=True)
    mode = float(values[np.argmax(counts)])
    return min(mode, 1440.0)
