"""Reading a chart: signal episodes, severity, capability, the verdict, the signal map."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from ccmetrics.spc.base import _sigma_from_moving_ranges

# --------------------------------------------------------------------------------------------
# Reading a chart: signal episodes, severity, capability, the verdict, the signal map
# --------------------------------------------------------------------------------------------

#: Rules that fire on a pattern of several points (a run, a trend, a zone count): a signal
#: episode holding one of them is a sustained shift, not a one-period incident.
PATTERN_RULES = frozenset(
    {"anhoej", "nelson_2", "nelson_3", "nelson_4", "nelson_5", "nelson_6", "nelson_7", "nelson_8"}
)
#: Signals of one episode from which it counts as a sustained shift even without a run rule.
SHIFT_MIN_SIGNALS = 3
EPISODE_COLUMNS = (
    "kind",
    "direction",
    "start",
    "end",
    "first_signal",
    "n_signals",
    "n_points",
    "peak",
    "peak_value",
    "peak_center",
    "severity",
    "rules",
)
VERDICTS = ("signals", "shift", "stable_misses_target", "stable_meets_target", "stable")


def severity(chart: pd.DataFrame) -> pd.Series:
    """How far each point lies from the center line, in standard errors: |z|.

    Parameters
    ----------
    chart : pandas.DataFrame
        A chart of this module (``value``, ``center``, ``ucl``, and ``z`` where the chart has it).

    Returns
    -------
    pandas.Series
        |z| per point, same index; NaN where the point has no limits.

    Notes
    -----
    Charts with a ``z`` column (p, p', u, c, XmR, Xbar-S, seasonal) use it; EWMA and CUSUM
    charts have none, so z = (value - center) / ((ucl - center) / nsigmas), the distance in
    units of their own limit width.
    """
    if "z" in chart.columns:
        z = pd.to_numeric(chart["z"], errors="coerce")
    else:
        nsigmas = float(chart.attrs.get("nsigmas", 3.0)) or 3.0
        with np.errstate(invalid="ignore", divide="ignore"):
            z = (chart["value"] - chart["center"]) / ((chart["ucl"] - chart["center"]) / nsigmas)
    return z.abs().astype(float)


def signals_by_severity(chart: pd.DataFrame) -> pd.DataFrame:
    """The signal points of a chart, most severe first.

    Returns
    -------
    pandas.DataFrame
        The chart's rows with ``signal`` True plus ``severity`` (:func:`severity`), sorted by
        severity (descending; NaN last), then by time.
    """
    flagged = chart[chart["signal"].to_numpy(dtype=bool)].copy()
    flagged["severity"] = severity(chart)[chart["signal"].to_numpy(dtype=bool)]
    flagged["_order"] = np.arange(len(flagged))
    flagged = flagged.sort_values(
        ["severity", "_order"], ascending=[False, True], na_position="last"
    )
    return flagged.drop(columns="_order")


def _sides(chart: pd.DataFrame) -> np.ndarray:
    """+1 above the center line, -1 below, 0 on it or without a value."""
    with np.errstate(invalid="ignore"):
        side = np.sign(chart["value"].to_numpy(dtype=float) - chart["center"].to_numpy(dtype=float))
    return np.nan_to_num(side, nan=0.0)


def signal_episodes(chart: pd.DataFrame) -> pd.DataFrame:
    """The signals of a chart grouped into findings: one per incident or sustained shift.

    Parameters
    ----------
    chart : pandas.DataFrame
        A chart of this module or of :func:`kpi_chart` (a ``phase`` column keeps episodes
        within one phase).

    Returns
    -------
    pandas.DataFrame
        One row per episode, most severe first (:data:`EPISODE_COLUMNS`): ``kind`` ("point":
        a one-period incident, "shift": a sustained shift), ``direction`` ("above" or
        "below" the center line), ``start`` (first period of the shift: where the run on
        that side began; the point itself for "point"), ``end`` (last signal),
        ``first_signal``, ``n_signals``, ``n_points`` (periods from start to end), ``peak``
        (the most severe point), ``peak_value``, ``peak_center``, ``severity`` (|z| at the
        peak, :func:`severity`) and ``rules`` (every rule that fired, comma-separated).

    Notes
    -----
    Two signals on the same side of the center line belong to one episode when every
    point between them lies on that side too (no crossing of the center line in between)
    and they are in the same phase. An episode is a shift when a pattern rule
    (:data:`PATTERN_RULES`: a run, a trend) fired in it or it holds at least
    :data:`SHIFT_MIN_SIGNALS` signals; otherwise each of its signals is a one-period
    incident of its own. A shift starts where its run on that side starts: from the first
    signal back while the earlier points lie on the same side.

    A step in the middle of the chart makes two runs, the old level on one side of the
    center line and the new one on the other; when the first run ends where the second
    begins, only the second (the change, from its start date) is kept.

    A runs analysis (Anhøj) can signal through too few crossings of the center line
    without flagging a point; the chart then has a shift nonetheless: the longest run of
    points on one side, when ``attrs["anhoej"]["runs_signal"]`` is True (the attrs of one
    phase, or of each phase in ``attrs["phase_attrs"]``) and no point of that run is flagged.
    """
    sides = _sides(chart)
    signal = chart["signal"].to_numpy(dtype=bool)
    phases = chart["phase"].to_numpy() if "phase" in chart.columns else np.zeros(len(chart))
    rules = [str(r) for r in chart["rules"]]
    z = severity(chart).to_numpy(dtype=float)
    groups: list[list[int]] = []
    for position in np.flatnonzero(signal):
        if groups:
            last = groups[-1][-1]
            between = sides[last + 1 : position]
            same = (
                sides[position] == sides[last]
                and sides[position] != 0
                and phases[position] == phases[last]
                and bool((between == sides[position]).all())
            )
            if same:
                groups[-1].append(position)
                continue
        groups.append([position])

    rows = []
    for group in groups:
        fired = sorted({rule for p in group for rule in rules[p].split(",") if rule})
        is_shift = bool(PATTERN_RULES & set(fired)) or len(group) >= SHIFT_MIN_SIGNALS
        if not is_shift:
            for p in group:
                rows.append(_episode_row(chart, "point", [p], p, sides, z, rules[p].split(",")))
            continue
        start = group[0]
        while (
            start > 0
            and sides[start - 1] == sides[group[0]]
            and phases[start - 1] == phases[group[0]]
        ):
            start -= 1
        rows.append(_episode_row(chart, "shift", group, start, sides, z, fired))

    flagged_any = signal.any()
    for phase_name, runs in _runs_results(chart):
        if not runs or not runs.get("runs_signal"):
            continue
        in_phase = phases == phase_name if "phase" in chart.columns else np.ones(len(chart), bool)
        start, stop = _longest_run(np.where(in_phase, sides, 0.0))
        if start is None or (flagged_any and signal[start:stop].any()):
            continue
        positions = list(range(start, stop))
        peak_positions = [p for p in positions if np.isfinite(z[p])] or positions
        rows.append(
            _episode_row(chart, "shift", peak_positions, start, sides, z, ["anhoej"], stop - 1)
        )
    rows = _one_row_per_step(rows, chart, sides, phases)
    table = pd.DataFrame(rows, columns=list(EPISODE_COLUMNS))
    if table.empty:
        return table
    table = table.sort_values(["severity", "start"], ascending=[False, True], na_position="last")
    return table.reset_index(drop=True)


def _one_row_per_step(rows: list[dict], chart: pd.DataFrame, sides, phases) -> list[dict]:
    """Drop the shift that only shows the level before a step.

    A step in the middle of a chart puts the center line between the two levels: the
    points before it run on one side, those after it on the other, and both runs signal.
    When a shift's run ends right where a shift in the other direction begins (same
    phase), they are one step, and the later one is the change: the earlier is dropped.
    """
    position = {stamp: i for i, stamp in enumerate(chart.index)}
    shifts = sorted(
        (row for row in rows if row["kind"] == "shift"), key=lambda row: position[row["start"]]
    )
    dropped = set()
    for before, after in zip(shifts, shifts[1:], strict=False):
        if before["direction"] == after["direction"]:
            continue
        run_end = position[before["end"]]
        side = sides[run_end]
        while (
            run_end + 1 < len(sides)
            and sides[run_end + 1] == side
            and phases[run_end + 1] == phases[run_end]
        ):
            run_end += 1
        start = position[after["start"]]
        if run_end + 1 == start and phases[start] == phases[run_end]:
            dropped.add(id(before))
    return [row for row in rows if id(row) not in dropped]


def _runs_results(chart: pd.DataFrame) -> list[tuple[object, dict | None]]:
    phase_attrs = chart.attrs.get("phase_attrs")
    if phase_attrs:
        return [(name, attrs.get("anhoej")) for name, attrs in phase_attrs.items()]
    return [(0.0, chart.attrs.get("anhoej"))]


def _longest_run(sides: np.ndarray) -> tuple[int | None, int | None]:
    """[start, stop) of the longest run of equal non-zero signs (zeros are skipped)."""
    best, best_length = (None, None), 0
    start, length, sign = None, 0, 0.0
    last_index = None
    for position, side in enumerate(sides):
        if side == 0:
            continue
        if side != sign:
            start, length, sign = position, 0, side
        length += 1
        last_index = position
        if length > best_length:
            best, best_length = (start, last_index + 1), length
    return best


def _episode_row(chart, kind, group, start, sides, z, fired, end=None) -> dict:
    finite = [p for p in group if np.isfinite(z[p])]
    peak = max(finite, key=lambda p: z[p]) if finite else group[0]
    end = group[-1] if end is None else end
    return {
        "kind": kind,
        "direction": "above" if sides[group[0]] > 0 else "below",
        "start": chart.index[start],
        "end": chart.index[end],
        "first_signal": chart.index[group[0]],
        "n_signals": int(chart["signal"].iloc[start : end + 1].sum()) if kind == "shift" else 1,
        "n_points": int(end - start + 1),
        "peak": chart.index[peak],
        "peak_value": float(chart["value"].iloc[peak]),
        "peak_center": float(chart["center"].iloc[peak]),
        "severity": float(z[peak]),
        "rules": ",".join(rule for rule in fired if rule),
    }


def capability(
    chart: pd.DataFrame, *, target: float | None = None, higher_is_better: bool = True
) -> dict:
    """Where a process sits and how much it varies, against a target: its capability.

    Parameters
    ----------
    chart : pandas.DataFrame
        A chart of this module.
    target : float, optional
        The target of the KPI in its own units (e.g. 0.8 for an 80 % service level).
    higher_is_better : bool, default True
        Whether meeting the target means being at or above it.

    Returns
    -------
    dict
        ``level`` (mean of the points without a signal), ``spread`` (their standard
        deviation from moving ranges, MR-bar / 1.128), ``low`` and ``high`` (level -/+ 2
        spread: where about 95 % of ordinary periods fall), ``n_points`` (the points used),
        ``target``, ``gap`` (level - target, NaN without target), ``meets_target`` (bool or
        None without target) and ``share_meeting`` (the share of periods expected to meet
        the target under a normal model, NaN without target).

    Notes
    -----
    The points used are those without a signal and not left out of the limits
    (``excluded``), so that an incident does not widen the spread. The spread is the
    period-to-period variation the manager sees (the XmR sigma of the plotted values), not
    the binomial standard error of one period:

    spread = mean(|x_i - x_{i-1}|) / d2,  d2 = 1.128
    share_meeting = Phi((level - target) / spread) when higher is better,
    Phi((target - level) / spread) otherwise.
    """
    used = ~chart["signal"].to_numpy(dtype=bool)
    if "excluded" in chart.columns:
        used &= ~chart["excluded"].to_numpy(dtype=bool)
    values = chart["value"].to_numpy(dtype=float)[used]
    values = values[np.isfinite(values)]
    level = float(values.mean()) if values.size else float("nan")
    spread = _sigma_from_moving_ranges(values) if values.size >= 2 else float("nan")
    gap = share = float("nan")
    meets = None
    if target is not None and np.isfinite(level):
        gap = level - float(target)
        meets = bool(gap >= 0) if higher_is_better else bool(gap <= 0)
        if np.isfinite(spread) and spread > 0:
            share = float(stats.norm.cdf((gap if higher_is_better else -gap) / spread))
        else:
            share = 1.0 if meets else 0.0
    return {
        "level": level,
        "spread": float(spread),
        "low": level - 2.0 * spread,
        "high": level + 2.0 * spread,
        "n_points": int(values.size),
        "target": float("nan") if target is None else float(target),
        "gap": gap,
        "meets_target": meets,
        "share_meeting": share,
    }


def chart_verdict(
    chart: pd.DataFrame, *, target: float | None = None, higher_is_better: bool = True
) -> dict:
    """The one thing a chart says, as a code and the numbers behind it.

    Parameters
    ----------
    chart : pandas.DataFrame
        A chart of this module or of :func:`kpi_chart`.
    target, higher_is_better
        See :func:`capability`.

    Returns
    -------
    dict
        ``code`` (one of :data:`VERDICTS`), ``episodes`` (:func:`signal_episodes`),
        ``shifts`` and ``incidents`` (how many episodes of each kind) and ``capability``
        (:func:`capability`).

    Notes
    -----
    One verdict, so a chart never says two contradictory things: "shift" when the chart
    holds a sustained shift (a run or at least :data:`SHIFT_MIN_SIGNALS` signals on one
    side, or an Anhøj runs signal), else "signals" when it holds one-period incidents,
    else the process is stable and the verdict is about capability: "stable_misses_target"
    (its level is on the wrong side of the target: the process, not a day, is the
    problem), "stable_meets_target" or "stable" (no target).
    """
    episodes = signal_episodes(chart)
    shifts = int((episodes["kind"] == "shift").sum()) if not episodes.empty else 0
    incidents = int((episodes["kind"] == "point").sum()) if not episodes.empty else 0
    found = capability(chart, target=target, higher_is_better=higher_is_better)
    if shifts:
        code = "shift"
    elif incidents:
        code = "signals"
    elif found["meets_target"] is None:
        code = "stable"
    else:
        code = "stable_meets_target" if found["meets_target"] else "stable_misses_target"
    return {
        "code": code,
        "episodes": episodes,
        "shifts": shifts,
        "incidents": incidents,
        "capability": found,
    }


def signal_map(chart: pd.DataFrame) -> pd.DataFrame:
    """A day x time-of-day grid of an interval chart: where in the week the signals sit.

    Parameters
    ----------
    chart : pandas.DataFrame
        A chart whose index holds interval start times (e.g. 30-minute periods).

    Returns
    -------
    pandas.DataFrame
        One row per point: ``day`` (the date, Timestamp at midnight), ``slot`` ("HH:MM"
        start of the interval), ``value``, ``center``, ``z`` (signed: (value - center) in
        standard errors, see :func:`severity`), ``severity`` (|z|), ``signal`` and
        ``direction`` ("above", "below" or "" on the line).
    """
    stamps = pd.DatetimeIndex(chart.index)
    size = severity(chart).to_numpy(dtype=float)
    sides = _sides(chart)
    return pd.DataFrame(
        {
            "day": stamps.normalize(),
            "slot": stamps.strftime("%H:%M"),
            "value": chart["value"].to_numpy(dtype=float),
            "center": chart["center"].to_numpy(dtype=float),
            "z": size * sides,
            "severity": size,
            "signal": chart["signal"].to_numpy(dtype=bool),
            "direction": np.where(sides > 0, "above", np.where(sides < 0, "below", "")),
        }
    )
