"""One story per day: the control chart, the drill-down and the staffing attribution as one verdict.

:func:`day_story` reads a day the way every page speaks about it: is its
service level out of control (:func:`ccmetrics.spc.kpi_chart` of the daily
service level with revised limits, the chart the Control charts page draws), what changed against
its baseline and where (:func:`ccmetrics.drill.explain`, with the volume and
handle-time explanations), and how the shortfall splits into volume, handle
time and staffing once the queueing model is calibrated to the center
(:func:`ccmetrics.staffing.calibrate`, :func:`ccmetrics.staffing.why_day`).
:func:`decide` turns those numbers into one cause code; :func:`describe`
writes the sentence from the translation table, so every page says the same
words. Functions here return codes and numbers, never sentences built inline.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

from ccmetrics import drill, i18n, kpi, spc, staffing
from ccmetrics.schema import KpiSettings

__all__ = [
    "CAUSES",
    "MIN_CHART_DAYS",
    "MIN_EFFECT",
    "SHORT_STAFFED",
    "Story",
    "decide",
    "day_story",
    "describe",
    "step_start",
    "story_span",
    "story_inputs",
    "plan_splits_by",
    "daily_chart",
    "calibration_text",
]

#: The causes a story can name, in the order :func:`decide` considers them.
CAUSES = (
    "demand_surge",
    "forecast_miss",
    "supply_shortfall",
    "handle_time_shift",
    "other",
    "demand_drop",
    "below_target",
    "local_change",
    "no_significant_change",
    "insufficient_data",
)
#: A staffing-attribution effect names a cause when it costs at least this much service level.
MIN_EFFECT = 0.03
#: Staffed ÷ scheduled agent-hours at or below this is a supply shortfall on its own.
SHORT_STAFFED = 0.85
#: Fewest days with a service level that make a daily chart (the report charts no fewer).
MIN_CHART_DAYS = 3


@dataclass
class Story:
    """The day's story as codes and numbers (:func:`describe` writes the sentence).

    Attributes
    ----------
    day : str
        ISO date.
    cause : str
        One of :data:`CAUSES`.
    signal : bool
        The day's service level is below the lower control limit.
    service_level, target_sl, baseline_sl : float
        The day's SL, the target and the drill-down baseline's SL.
    process_center, process_sd : float
        Center line of the daily SL chart and the day-to-day standard deviation.
    offered_change : float
        Offered calls against the baseline (relative).
    volume_up : bool
        Offered calls rose significantly (the volume drill-down's adjusted
        test) and by at least ``drill.MATERIAL_CHANGE``.
    volume_down : bool
        Offered calls fell significantly and by at least ``drill.MATERIAL_CHANGE``.
    concentrated : bool
        The extra (or missing) calls, or the change, sit in a few elements.
    element : dict or None
        ``{dimension: value}`` of the leading element.
    elements : list of dict
        Every element the story names, the leading one first: the drill-down's
        root causes (:attr:`ccmetrics.drill.Explanation.causes`) when it has
        some, else the leading element alone.
    element_share : float
        Share of the change (of the extra or missing calls) they explain together.
    significant_elements : int
        Significant elements in the service-level drill-down table.
    offered, forecast_offered : float
        The day's offered and forecast calls (NaN without a forecast).
    staffed_hours, scheduled_hours : float
        Agent-hours logged in and scheduled (NaN without staffing data).
    volume_points, aht_points, staffing_points, unexplained_points : float
        Calibrated Shapley split of the shortfall (fractions of SL).
    team : str or None
        The team whose handle time shifted.
    team_aht_change : float
        That team's AHT against its baseline (relative).
    since : str or None
        ISO date the team's handle time stepped up (:func:`step_start`).
    calibration_days : int
        Ordinary days the staffing model was calibrated on (0: not calibrated).
    efficiency : float
        Share of logged-in time the calibrated model counts as on calls.
    notes : list of str
        Codes of what could not be examined (e.g. a drill-down error code
        such as ``no_baseline_window``).
    """

    day: str
    cause: str
    signal: bool = False
    service_level: float = math.nan
    target_sl: float = math.nan
    baseline_sl: float = math.nan
    process_center: float = math.nan
    process_sd: float = math.nan
    offered_change: float = math.nan
    volume_up: bool = False
    volume_down: bool = False
    concentrated: bool = False
    element: dict | None = None
    element_share: float = math.nan
    elements: list = field(default_factory=list)
    significant_elements: int = 0
    offered: float = math.nan
    forecast_offered: float = math.nan
    staffed_hours: float = math.nan
    scheduled_hours: float = math.nan
    volume_points: float = math.nan
    aht_points: float = math.nan
    staffing_points: float = math.nan
    unexplained_points: float = math.nan
    team: str | None = None
    team_aht_change: float = math.nan
    since: str | None = None
    calibration_days: int = 0
    efficiency: float = math.nan
    notes: list = field(default_factory=list)

    def as_dict(self) -> dict:
        """The story as a plain dict (for reports and tests)."""
        return asdict(self)


# --------------------------------------------------------------------------- decision


def _finite(value) -> bool:
    return value is not None and isinstance(value, (int, float)) and math.isfinite(value)


def decide(
    *,
    signal: bool,
    service_level: float,
    target_sl: float,
    process_center: float = math.nan,
    drill_changed: bool = False,
    significant_elements: int = 0,
    volume_up: bool = False,
    volume_down: bool = False,
    effects: dict | None = None,
    staffed_ratio: float = math.nan,
    team_shift: bool = False,
) -> str:
    """The cause code of a day from its evidence.

    Parameters
    ----------
    signal : bool
        The day's SL is below its lower control limit.
    service_level, target_sl, process_center : float
        The day's SL, the target, the chart's center line.
    drill_changed : bool
        The SL drill-down found a significant worsening (verdict concentrated
        or broad, SL below its baseline).
    significant_elements : int
        Elements significant in the SL drill-down table (its adjusted test).
    volume_up : bool
        Offered calls rose beyond their noise band (significant and material).
    volume_down : bool
        Offered calls fell beyond their noise band (significant and material).
    effects : dict, optional
        Calibrated Shapley effects ``{"volume", "aht", "staffing",
        "unexplained"}`` (NaN where unknown), fractions of SL, as
        :func:`ccmetrics.staffing.why_day` gives them.
    staffed_ratio : float
        Staffed ÷ scheduled agent-hours.
    team_shift : bool
        One team's handle time rose significantly and materially.

    Returns
    -------
    str
        One of :data:`CAUSES`.

    Notes
    -----
    A bad day (``signal``, or ``drill_changed`` with the SL at least
    :data:`MIN_EFFECT` below target) is named by the most negative of the
    calibrated effects when it costs at least :data:`MIN_EFFECT` — the
    effect the Staffing page calls the main cause: volume → demand surge
    when ``volume_up``, else "forecast_miss" (more calls than forecast, but
    within the baseline's noise: no surge); handle time → handle-time shift;
    staffing → supply shortfall; unexplained → "other". Without such an
    effect, by the evidence: volume up → demand surge, staffed ≤
    :data:`SHORT_STAFFED` of schedule → supply shortfall, a team's handle
    time up → handle-time shift, else "other". A day that is not bad is a
    handle-time shift when a team's handle time moved, a demand surge when
    the volume rose beyond its noise band, a demand drop when it fell beyond
    it (fewer calls are the day's news even when the service level held),
    "below_target" when it is below
    target and the process's center line at least :data:`MIN_EFFECT` below,
    "local_change" when some element of the table is significant, and
    "no_significant_change" only when none is.

    Examples
    --------
    >>> decide(signal=True, service_level=0.45, target_sl=0.8,
    ...        effects={"volume": 0.01, "aht": 0.0, "staffing": -0.3})
    'supply_shortfall'
    >>> decide(signal=False, service_level=0.82, target_sl=0.8, significant_elements=2)
    'local_change'
    >>> decide(signal=False, service_level=0.76, target_sl=0.8, volume_down=True)
    'demand_drop'
    """
    short = _finite(service_level) and service_level <= target_sl - MIN_EFFECT
    known = {k: v for k, v in (effects or {}).items() if _finite(v)}
    # a cause is named only for a day beyond noise: out of control, or significantly worse
    # than its baseline (and short of target); an ordinary day's split is not a story
    bad = bool(signal or (short and drill_changed))
    if bad:
        if known and min(known.values()) <= -MIN_EFFECT:
            worst = min(known, key=known.get)
            if worst == "volume":  # beyond the baseline's noise, or only beyond the forecast
                return "demand_surge" if volume_up else "forecast_miss"
            return {
                "aht": "handle_time_shift",
                "staffing": "supply_shortfall",
                "unexplained": "other",
            }[worst]
        if volume_up:
            return "demand_surge"
        if _finite(staffed_ratio) and staffed_ratio <= SHORT_STAFFED:
            return "supply_shortfall"
        if team_shift:
            return "handle_time_shift"
        return "other"
    if team_shift:
        return "handle_time_shift"
    if volume_up:  # more calls beyond their noise band, absorbed by the staffing
        return "demand_surge"
    if volume_down:  # far fewer calls than usual: never "no significant change"
        return "demand_drop"
    below = _finite(service_level) and service_level < target_sl
    if below and _finite(process_center) and process_center <= target_sl - MIN_EFFECT:
        return "below_target"
    if significant_elements > 0:
        return "local_change"
    return "no_significant_change"


# --------------------------------------------------------------------------- evidence


def step_start(
    values: pd.Series, weights: pd.Series | None = None, *, min_segment: int = 3
) -> pd.Timestamp | None:
    """First period of the single step that best splits a series (weighted least squares).

    Parameters
    ----------
    values : Series
        One value per period, indexed by period (sorted; NaN ignored).
    weights : Series, optional
        Weight of each period (e.g. its calls); default 1.
    min_segment : int, default 3
        Fewest periods on each side of the step.

    Returns
    -------
    Timestamp or None
        The index label starting the second segment, None when the series is
        too short.

    Notes
    -----
    The split ``k`` minimises ``SSE(x_1..x_k) + SSE(x_k+1..x_n)`` with
    ``SSE = sum w (x - weighted mean)^2`` (one change point of the mean, the
    first step of binary segmentation; Scott and Knott 1974).

    Examples
    --------
    >>> days = pd.date_range("2025-02-10", periods=8)
    >>> str(step_start(pd.Series([300, 302, 298, 301, 360, 362, 358, 361.0], index=days)).date())
    '2025-02-14'
    """
    w_all = pd.Series(1.0, index=values.index) if weights is None else weights
    keep = values.notna() & (w_all > 0)
    series, w = values[keep], w_all[keep].to_numpy(dtype=float)
    x = series.to_numpy(dtype=float)
    n = x.size
    if n < 2 * min_segment:
        return None
    weight, total, squares = np.cumsum(w), np.cumsum(w * x), np.cumsum(w * x * x)
    best, best_k = math.inf, None
    for k in range(min_segment, n - min_segment + 1):
        left = squares[k - 1] - total[k - 1] ** 2 / weight[k - 1]
        right_total, right_weight = total[-1] - total[k - 1], weight[-1] - weight[k - 1]
        right = (squares[-1] - squares[k - 1]) - right_total**2 / right_weight
        if left + right < best:
            best, best_k = left + right, k
    return pd.Timestamp(series.index[best_k])


def _team_shift(explanation: drill.Explanation | None) -> tuple[str | None, float]:
    """The team whose handle time rose significantly and by at least MATERIAL_CHANGE."""
    if explanation is None:
        return None, math.nan
    table = explanation.table
    rows = table[
        (table["order"] == 1)
        & table["significant"]
        & table["values"].map(lambda values: list(values) == ["team"])
    ]
    if rows.empty:
        return None, math.nan
    change = rows["rate_anomaly"] / rows["rate_baseline"] - 1.0
    rows = rows[(change >= drill.MATERIAL_CHANGE) & (rows["impact"] > 0)]
    if rows.empty:
        return None, math.nan
    top = rows.sort_values("impact", ascending=False).iloc[0]
    return str(top["values"]["team"]), float(top["rate_anomaly"] / top["rate_baseline"] - 1.0)


def _lead(explanation: drill.Explanation | None) -> tuple[list[dict], float]:
    """The elements a concentrated explanation names and the share they explain together.

    Its root causes (all of them, as the drill-down's summary) when the side it names has
    some, else its first selected element.
    """
    if explanation is None or explanation.verdict != "concentrated":
        return [], math.nan
    leading = drill.leading_elements(explanation, most=drill.MAX_SELECTED)
    if not leading:
        return [], math.nan
    causes = explanation.causes
    named = {element for element in ([] if causes is None else causes["element"])}
    if leading[0]["element"] not in named:
        leading = leading[:1]
    return [dict(item["values"]) for item in leading], float(leading[-1]["explained"])


def story_span(day, start=None, end=None) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The days a story of ``day`` is judged on: the period in view, stretched to hold the day.

    Every place that tells a day's story reads it over this span: the report (its
    period, or its limit window, as its control charts) and the app's pages (the
    sidebar's date range, as the Control charts page), so the story beside a chart
    judges the day on that chart, and a story of a past period does not change when
    newer data arrives.

    Parameters
    ----------
    day : date-like
    start, end : date-like, optional
        The period in view, half-open ``[start, end)``; None: the data's first day,
        the day after its last day.

    Returns
    -------
    tuple of Timestamp or None
        ``(first, stop)``: ``first = min(start, day)``, ``stop = max(end, day + 1 day)``
        (None where the period is open).

    Examples
    --------
    >>> [str(t.date()) for t in story_span("2025-03-17", "2025-03-01", "2025-04-01")]
    ['2025-03-01', '2025-04-01']
    >>> [str(t.date()) for t in story_span("2025-04-03", "2025-03-01", "2025-04-01")]
    ['2025-03-01', '2025-04-04']
    >>> story_span("2025-03-17")
    (None, None)
    """
    day = pd.Timestamp(day).normalize()
    first = None if start is None else min(pd.Timestamp(start).normalize(), day)
    stop = None if end is None else max(pd.Timestamp(end).normalize(), day + pd.Timedelta(days=1))
    return first, stop


def story_inputs(
    frame: pd.DataFrame, plan: pd.DataFrame | None = None, filters: dict | None = None
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """The rows and the staffing plan a story of a subset of the center reads.

    Every place that tells a story under a dimension filter (the report's ``filters``,
    the sidebar's queues) reads it from these, so the report and the pages tell the
    same story of the same queues.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals (an interval frame filtered here also filters
        the staffing it carries).
    plan : DataFrame, optional
        A staffing plan per interval (see :func:`day_story`).
    filters : dict, optional
        ``{column: [values]}`` as :func:`ccmetrics.kpi.subset`; None or empty: the
        whole center.

    Returns
    -------
    tuple
        ``(rows, plan rows)``: ``kpi.subset(frame, filters=filters)``; the plan
        filtered on the columns it has values in (a plan without queue values cannot be
        split by queue: it stays whole, and
        :func:`ccmetrics.staffing.staffing_inputs` compares it with the calls of the
        queues kept, summed). Both unchanged without filters.

    Raises
    ------
    ValueError
        A filter on a column ``frame`` does not have.

    Examples
    --------
    >>> calls = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-03-03"] * 3),
    ...     "queue": ["VIP", "General", "VIP"]})
    >>> plan = pd.DataFrame({"interval_start": pd.to_datetime(["2025-03-03"] * 2),
    ...     "queue": ["VIP", "General"], "staffed_agents": [2, 9]})
    >>> rows, rows_plan = story_inputs(calls, plan, {"queue": ["VIP"]})
    >>> len(rows), rows_plan["staffed_agents"].tolist()
    (2, [2])
    >>> len(story_inputs(calls, plan.drop(columns="queue"), {"queue": ["VIP"]})[1])
    2
    """
    if not filters:
        return frame, plan
    rows = kpi.subset(frame, filters=filters)
    if plan is not None:
        usable = {
            column: values for column, values in filters.items() if plan_splits_by(plan, column)
        }
        if usable:
            plan = kpi.subset(plan, filters=usable)
    return rows, plan


def plan_splits_by(plan: pd.DataFrame, column: str) -> bool:
    """Whether a staffing plan can be split by ``column`` (it has a value there): a plan
    without queue values covers every queue, and :func:`story_inputs` keeps it whole.

    Examples
    --------
    >>> plan = pd.DataFrame({"queue": [None, None], "staffed_agents": [2, 9]})
    >>> plan_splits_by(plan, "queue"), plan_splits_by(plan.drop(columns="queue"), "queue")
    (False, False)
    """
    return column in plan.columns and bool(plan[column].notna().any())


def daily_chart(
    frame: pd.DataFrame, settings: KpiSettings | None = None, start=None, end=None
) -> pd.DataFrame:
    """The control chart of daily service level that stories read (compute it once per span).

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals.
    settings : KpiSettings, optional
    start, end : date-like, optional
        The days charted, half-open ``[start, end)`` (:func:`story_span`); default
        every day of ``frame``.

    Returns
    -------
    DataFrame
        :func:`ccmetrics.spc.kpi_chart` of ``service_level`` per day of the span with its
        default chart for days and revised limits (``revise=True``): the chart the
        Control charts page draws for that date range and the report for that period,
        so a day they flag is the day a story calls out of control. Indexed by day;
        ``attrs["revised_out"]`` lists the days left out of the limits. Empty (no day
        flagged, no center line) when fewer than :data:`MIN_CHART_DAYS` days of the span
        have a service level.

    Examples
    --------
    >>> from ccmetrics.sample import generate_calls
    >>> calls = generate_calls(start="2025-03-01", days=14)
    >>> chart = daily_chart(calls)
    >>> chart.attrs["kpi"], len(chart), len(daily_chart(calls, start="2025-03-01", end="2025-03-08"))
    ('service_level', 14, 7)
    """
    rows = frame if start is None and end is None else kpi.subset(frame, start, end)
    table = kpi.compute(rows, freq="D", settings=settings or KpiSettings(), keep_sums=True)
    charted = table["service_level"].notna() & (table[kpi.KPI_BASE["service_level"]] > 0)
    if charted.sum() < MIN_CHART_DAYS:  # a day or two make no process: none is out of control
        return pd.DataFrame(columns=["value", "center", "lcl", "ucl", "signal"])
    return spc.kpi_chart(table, "service_level", granularity="day", revise=True)


def _chart_point(chart: pd.DataFrame, day: pd.Timestamp) -> dict:
    """The daily SL control chart at ``day``: signal (low), center, day-to-day sd."""
    values = chart["value"].astype(float)
    out = {"signal": False, "center": math.nan, "sd": float(values.std(ddof=1))}
    if day in chart.index:
        row = chart.loc[day]
        out["signal"] = bool(row["signal"]) and float(row["value"]) < float(row["center"])
        out["center"] = float(row["center"])
    return out


def day_story(
    frame: pd.DataFrame,
    day,
    *,
    plan: pd.DataFrame | None = None,
    settings: KpiSettings | None = None,
    calibration: staffing.Calibration | None = None,
    model: str = "erlang_a",
    chart: pd.DataFrame | None = None,
    start=None,
    end=None,
) -> Story:
    """The story of one day: its cause as a code with the numbers behind it.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals, the whole history (baselines and the
        control chart come from it).
    day : date-like
        The day to tell.
    plan : DataFrame, optional
        Forecast and staffing per interval (see
        :func:`ccmetrics.staffing.staffing_inputs`); an interval frame
        carries its own.
    settings : KpiSettings, optional
    calibration : staffing.Calibration, optional
        The staffing model's calibration; computed from ``frame`` and
        ``plan`` when omitted and staffing data is present (cache it: it
        costs about a second per month of data).
    model : {"erlang_a", "erlang_c"}
    chart : DataFrame, optional
        :func:`daily_chart` of ``frame`` over :func:`story_span` ``(day, start, end)``
        (computed when omitted; pass it to tell many days of a large data set, or the
        chart drawn beside the story).
    start, end : date-like, optional
        The period in view, half-open ``[start, end)``: the report's period (or its
        limit window) or the sidebar's date range. Default: the whole data.

    Returns
    -------
    Story
        See :class:`Story`; ``cause`` is decided by :func:`decide`, or
        "insufficient_data" when the day has no calls or no baseline to
        compare with (``notes`` holds the drill-down's error code) and the
        staffing split does not show it short of target.

    Notes
    -----
    Evidence: the day's point on :func:`daily_chart` over :func:`story_span` (the
    Control charts page's default daily chart of service level for the date range in
    view, revised limits; the report's for its period); the drill-down
    of service level over the whole day against its default baseline, with
    the volume and handle-time explanations (:func:`ccmetrics.drill.explain`);
    the calibrated staffing attribution (:func:`ccmetrics.staffing.why_day`).
    A team's handle time has shifted when its row of the handle-time
    drill-down is significant and at least ``drill.MATERIAL_CHANGE`` above its
    baseline, and its daily AHT up to the span's end has a step
    (:func:`step_start`) on or before the day of at least that size. Nothing
    after the span's end is read for the chart or the step.

    Examples
    --------
    >>> from ccmetrics.sample import generate_calls
    >>> calls = generate_calls(start="2025-02-11", days=29)
    >>> day_story(calls, "2025-03-11").cause
    'demand_surge'
    """
    settings = settings or KpiSettings()
    day = pd.Timestamp(day).normalize()
    first, stop = story_span(day, start, end)
    next_day = day + pd.Timedelta(days=1)
    story = Story(day=day.strftime("%Y-%m-%d"), cause="no_significant_change")
    story.target_sl = float(settings.sl_target)
    if chart is None:
        chart = daily_chart(frame, settings, first, stop)
    point = _chart_point(chart, day)
    story.signal, story.process_center, story.process_sd = (
        point["signal"],
        point["center"],
        point["sd"],
    )
    try:
        explanation = drill.explain(frame, (day, next_day), settings=settings)
    except ValueError as error:  # no data or no baseline: say what we can
        story.notes.append(getattr(error, "code", "no_drill"))
        explanation = None
    drill_changed = False
    if explanation is not None:
        totals = explanation.totals
        story.service_level = float(totals["value_anomaly"])
        story.baseline_sl = float(totals["value_baseline"])
        story.significant_elements = int(explanation.table["significant"].sum())
        drill_changed = explanation.verdict in ("concentrated", "broad") and totals["change"] < 0
        volume = explanation.volume
        if volume is not None:
            story.offered_change = float(volume.totals["relative_change"])
            moved = volume.verdict != "none"  # the volume drill-down's adjusted test
            story.volume_up = bool(moved and story.offered_change >= drill.MATERIAL_CHANGE)
            story.volume_down = bool(moved and story.offered_change <= -drill.MATERIAL_CHANGE)
        if _baseline_is_another_weekday(explanation):
            # the only baseline is the day just before, another weekday: a weekday's usual
            # volume differs by tens of percent (Monday against Sunday), so no surge or drop
            story.notes.append("baseline_other_weekday")
            story.volume_up = story.volume_down = False
        team, change = _team_shift(explanation.handle_time)
        since, _ = (None, math.nan) if team is None else _step(frame, team, day, stop)
        if since is not None:  # the team's handle time stepped up and stayed up
            story.team, story.team_aht_change, story.since = team, change, since
    effects, staffed_ratio = _staffing_evidence(
        story, frame, plan, day, settings, calibration, model
    )
    if explanation is None:
        # no baseline to compare with: only the staffing split can tell a day short of target
        short = story.service_level <= story.target_sl - MIN_EFFECT
        if not (effects and short):
            story.cause = "insufficient_data"
            return story
        drill_changed = True
    story.cause = decide(
        signal=story.signal,
        service_level=story.service_level,
        target_sl=story.target_sl,
        process_center=story.process_center,
        drill_changed=drill_changed,
        significant_elements=story.significant_elements,
        volume_up=story.volume_up,
        volume_down=story.volume_down,
        effects=effects,
        staffed_ratio=staffed_ratio,
        team_shift=story.team is not None,
    )
    if explanation is not None:
        _name_where(story, explanation, frame, day)
    return story


def _baseline_is_another_weekday(explanation: drill.Explanation) -> bool:
    """Whether the day was compared only with the day just before it (no earlier or later
    week held the same weekday: ``weeks_away`` 0 in :func:`ccmetrics.drill.default_baseline`)."""
    table = explanation.baseline_windows
    if table is None or "used" not in table or "weeks_away" not in table:
        return False
    used = table[table["used"].astype(bool)]
    return len(used) > 0 and bool((used["weeks_away"] == 0).all())


def _staffing_evidence(story, frame, plan, day, settings, calibration, model):
    """Fill the staffing numbers of ``story``; return (Shapley effects, staffed ÷ scheduled)."""
    has_staffing = (plan is not None and "staffed_agents" in plan.columns) or (
        "staffed_agents" in frame.columns and frame["staffed_agents"].notna().any()
    )
    if not has_staffing:
        return None, math.nan
    if calibration is None:
        calibration = staffing.calibrate(frame, plan, settings=settings, model=model)
    story.calibration_days = calibration.days
    story.efficiency = calibration.overall if calibration.days else math.nan
    end = day + pd.Timedelta(days=1)
    day_frame = kpi.subset(frame, day, end)
    day_plan = None if plan is None else kpi.subset(plan, day, end)
    if not len(day_frame):
        return None, math.nan
    table = staffing.why_intervals(
        day_frame, day_plan, settings=settings, model=model, calibration=calibration
    )
    if not (table["offered"] > 0).any():
        return None, math.nan
    row = staffing.why_day(table).iloc[0]
    story.offered = float(row["offered"])
    story.forecast_offered = float(row["forecast_offered"])
    story.staffed_hours = float(row["staffed_hours"])
    story.scheduled_hours = float(row["scheduled_hours"])
    story.volume_points = float(row["shapley_volume"])
    story.aht_points = float(row["shapley_aht"])
    story.staffing_points = float(row["shapley_staffing"])
    story.unexplained_points = float(row["unexplained"])
    if not math.isfinite(story.service_level):
        story.service_level = float(row["measured_sl"])
    ratio = story.staffed_hours / story.scheduled_hours if story.scheduled_hours > 0 else math.nan
    if calibration.days == 0:  # an uncalibrated model would blame every gap on "unexplained"
        return None, ratio
    effects = {
        "volume": story.volume_points,
        "aht": story.aht_points,
        "staffing": story.staffing_points,
        "unexplained": story.unexplained_points,
    }
    return effects, ratio


def _name_where(story: Story, explanation: drill.Explanation, frame, day) -> None:
    """The element, share and date that go with the cause."""
    if story.cause in ("demand_surge", "demand_drop") and explanation.volume is not None:
        story.elements, story.element_share = _lead(explanation.volume)
        story.element = story.elements[0] if story.elements else None
        story.concentrated = story.element is not None
    elif story.cause == "local_change":
        rows = explanation.table[explanation.table["significant"]]
        if len(rows):
            top = rows.iloc[0]
            story.element = dict(top["values"])
            story.elements = [story.element]
            story.element_share = float(top["explained_share"])
    elif story.cause in ("other", "supply_shortfall"):
        story.elements, story.element_share = _lead(explanation)
        story.element = story.elements[0] if story.elements else None
        story.concentrated = story.element is not None


def _step(
    frame: pd.DataFrame, team: str, day: pd.Timestamp, stop: pd.Timestamp | None = None
) -> tuple[str | None, float]:
    """(ISO start, relative size) of the step in the team's daily AHT, if it lasts.

    The best single step of the days before ``stop`` (every day when None;
    :func:`step_start`, weighted by calls) counts when it starts on or before ``day`` and the weighted mean
    after it differs from the mean before by at least ``drill.MATERIAL_CHANGE``:
    a one-day blip or an agent-mix wobble is no shift.
    """
    if "team" not in frame.columns:
        return None, math.nan
    rows = frame[frame["team"].astype(str) == team]
    if stop is not None:  # a story of a past period does not read the days after it
        rows = kpi.subset(rows, None, stop)
    if rows.empty:
        return None, math.nan
    daily = kpi.compute(rows, freq="D")
    index = pd.to_datetime(daily["period"])
    series = pd.Series(daily["aht_s"].to_numpy(float), index=index)
    calls = pd.Series(daily[kpi.KPI_BASE["aht_s"]].to_numpy(float), index=index)
    start = step_start(series, calls)
    if start is None or start > day:  # the best step of the span comes later
        return None, math.nan
    known = series.notna() & (calls > 0)
    before, after = known & (series.index < start), known & (series.index >= start)
    mean_before = np.average(series[before], weights=calls[before])
    mean_after = np.average(series[after], weights=calls[after])
    change = float(mean_after / mean_before - 1.0)
    if change < drill.MATERIAL_CHANGE:
        return None, change
    return start.strftime("%Y-%m-%d"), change


# --------------------------------------------------------------------------- words


def _named(story: Story, lang: str) -> str:
    """The story's elements in one phrase (its leading element when the list is empty)."""
    return drill.element_names(story.elements or [story.element], language=lang)


def _pct(value: float, lang: str) -> str:
    return i18n.format_number(value, "percent", lang)


def _signed_pct(value: float, lang: str) -> str:
    """A relative change in whole percent with its sign ("+23%"); "0%" when it rounds to zero."""
    return f"{i18n.format_signed(value * 100)}%" if _finite(value) else i18n.t("unit.missing", lang)


def _lost_points(value: float, lang: str) -> str:
    """Points of service level lost, without a sign: -0.279 -> "27.9 pp" / "27.9 个百分点"."""
    if not _finite(value):
        return i18n.t("unit.missing", lang)
    return i18n.t("unit.points", lang, value=f"{abs(value) * 100:.1f}")


def _points(value: float, lang: str) -> str:
    """Signed percentage points of a fraction: -0.31 -> "-31.0 pp" / "-31.0 个百分点"."""
    return i18n.format_change(value, "percent", lang) or i18n.t("unit.missing", lang)


def describe(story: Story, lang: str = "en") -> str:
    """The story's sentence in ``lang``, from the translation table (``story.*`` keys).

    Parameters
    ----------
    story : Story
    lang : {"en", "zh"}

    Returns
    -------
    str
        Plain text (element names are data: a page shows them as text).

    Examples
    --------
    >>> describe(Story(day="2025-03-17", cause="supply_shortfall", service_level=0.454,
    ...     staffed_hours=207.0, scheduled_hours=298.0, staffing_points=-0.31))[:48]
    '2025-03-17: supply shortfall — 207 agent-hours s'
    """
    common = {
        "day": story.day,
        "sl": _pct(story.service_level, lang),
        "target": _pct(story.target_sl, lang),
    }
    sentence = _SENTENCES.get(story.cause, _no_significant_change_text)
    return sentence(story, lang, common)


def _demand_text(story: Story, lang: str, common: dict) -> str:
    """``demand_surge`` / ``demand_drop``: the change of offered calls and the element behind it.

    A surge whose element grew by more than the net change (share > 100%: the other calls
    fell) says so; a drop with such an element, or none, is told as broad.
    """
    key = f"story.{story.cause}"
    change = _signed_pct(story.offered_change, lang)
    if not (story.concentrated and story.element):
        return i18n.t(f"{key}_broad", lang, change=change, **common)
    element = _named(story, lang)
    surge = story.cause == "demand_surge"
    if surge and story.element_share > 1.005:
        return i18n.t(f"{key}_all", lang, change=change, element=element, **common)
    if surge or story.element_share <= 1.005:
        share = _pct(story.element_share, lang)
        return i18n.t(
            f"{key}_concentrated", lang, change=change, element=element, share=share, **common
        )
    return i18n.t(f"{key}_broad", lang, change=change, **common)


def _relative_change(value: float, reference: float) -> float:
    """value / reference - 1, or NaN when the reference is missing or not positive."""
    if _finite(reference) and reference > 0:
        return value / reference - 1.0
    return math.nan


def _count(value: float, lang: str) -> str:
    return i18n.format_number(value, "count", lang)


def _forecast_miss_text(story: Story, lang: str, common: dict) -> str:
    return i18n.t(
        "story.forecast_miss",
        lang,
        offered=_count(story.offered, lang),
        forecast=_count(story.forecast_offered, lang),
        gap=_signed_pct(_relative_change(story.offered, story.forecast_offered), lang),
        change=_signed_pct(story.offered_change, lang),
        points=_lost_points(story.volume_points, lang),
        **common,
    )


def _supply_shortfall_text(story: Story, lang: str, common: dict) -> str:
    return i18n.t(
        "story.supply_shortfall",
        lang,
        staffed=_count(story.staffed_hours, lang),
        scheduled=_count(story.scheduled_hours, lang),
        ratio=_signed_pct(_relative_change(story.staffed_hours, story.scheduled_hours), lang),
        points=_lost_points(story.staffing_points, lang),
        **common,
    )


def _handle_time_shift_text(story: Story, lang: str, common: dict) -> str:
    if story.team:
        return i18n.t(
            "story.handle_time_shift_team",
            lang,
            team=story.team,
            since=story.since or story.day,
            change=_signed_pct(story.team_aht_change, lang),
            **common,
        )
    return i18n.t(
        "story.handle_time_shift", lang, points=_lost_points(story.aht_points, lang), **common
    )


def _below_target_text(story: Story, lang: str, common: dict) -> str:
    return i18n.t(
        "story.below_target",
        lang,
        center=_pct(story.process_center, lang),
        spread=_pct(story.process_sd, lang),
        **common,
    )


def _local_change_text(story: Story, lang: str, common: dict) -> str:
    element = (
        drill.element_label(story.element, language=lang)
        if story.element
        else i18n.t("unit.missing", lang)
    )
    return i18n.t(
        "story.local_change", lang, element=element, count=story.significant_elements, **common
    )


def _other_text(story: Story, lang: str, common: dict) -> str:
    return i18n.t(
        "story.other",
        lang,
        volume=_points(story.volume_points, lang),
        aht=_points(story.aht_points, lang),
        staffing=_points(story.staffing_points, lang),
        points=_points(story.unexplained_points, lang),
        **common,
    )


def _insufficient_data_text(story: Story, lang: str, common: dict) -> str:
    return i18n.t("story.insufficient_data", lang, **common)


def _no_significant_change_text(story: Story, lang: str, common: dict) -> str:
    return i18n.t(
        "story.no_significant_change", lang, baseline=_pct(story.baseline_sl, lang), **common
    )


#: Cause -> the function that writes its sentence (:func:`describe`); any other cause is
#: told as no significant change.
_SENTENCES = {
    "demand_surge": _demand_text,
    "demand_drop": _demand_text,
    "forecast_miss": _forecast_miss_text,
    "supply_shortfall": _supply_shortfall_text,
    "handle_time_shift": _handle_time_shift_text,
    "below_target": _below_target_text,
    "local_change": _local_change_text,
    "other": _other_text,
    "insufficient_data": _insufficient_data_text,
}


def calibration_text(calibration: staffing.Calibration, lang: str = "en") -> str | None:
    """One sentence stating the staffing calibration, or None when there is none."""
    if calibration is None or calibration.days == 0:
        return None
    key = "story.calibration" if calibration.overall <= 1.0 else "story.calibration_above"
    return i18n.t(
        key,
        lang,
        days=calibration.days,
        share=_pct(calibration.overall, lang),
        low=_pct(calibration.low, lang),
        high=_pct(calibration.high, lang),
        skipped=len(calibration.skipped),
    )
