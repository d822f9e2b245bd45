"""The explanations: :func:`explain_ratio` on any additive cube, :func:`explain` on calls."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccmetrics import i18n
from ccmetrics.cube import MEASURES, measures, time_column
from ccmetrics.drill.baseline import (
    _baseline_table,
    _candidate_starts,
    _csat_squares,
    _dataset_totals,
    _judge_lazily,
    _prepare,
    _prepare_dataset,
    _span,
    _used_windows,
)
from ccmetrics.drill.constants import METRIC_KINDS, QUEUE_METRICS
from ccmetrics.drill.effects import _window_cube
from ccmetrics.drill.engine import _analyse
from ccmetrics.drill.frames import _check_metric, _choose_dims, _frame_numbers, _kpi_table
from ccmetrics.drill.result import Explanation
from ccmetrics.drill.significance import _p_adjust_name
from ccmetrics.drill.summary import _canonical_summary, _drivers, _generic_formatter, _summarise
from ccmetrics.drill.windows import _by_start, _window, _window_ids, _windows
from ccmetrics.engine import is_dataset
from ccmetrics.engine_inputs import span_test, window_group_sums
from ccmetrics.kpi import derive
from ccmetrics.schema import KpiSettings

__all__ = [
    "explain_ratio",
    "explain",
]


# --------------------------------------------------------------------------- explain_ratio


def explain_ratio(
    cube: pd.DataFrame,
    anomaly,
    baseline,
    *,
    time: str,
    dims,
    numerator: str,
    denominator: str | None,
    max_order: int = 3,
    numerator_sq: str | None = None,
    kind: str | None = None,
    supply_dims=(),
    p_adjust: str = "holm",
    alpha: float = 0.05,
    min_share: float = 0.01,
    min_count: float = 10,
    name: str | None = None,
    settings: KpiSettings | None = None,
) -> Explanation:
    """Explain the change of a ratio (or a volume) of additive columns between two windows.

    Parameters
    ----------
    cube : DataFrame or Dataset
        Any additive table: dimension columns, a time column, a numerator and a
        denominator per row (e.g. stalled viewers and viewers per minute × CDN).
        Or an engine-backed data set of calls (:func:`ccmetrics.engine.is_dataset`):
        ``time`` is then ``arrived_at``, the numerator, denominator and
        ``numerator_sq`` name measures of :data:`ccmetrics.cube.MEASURES`, and each
        window is summed by the engine, one ``GROUP BY dims`` per window; the result
        equals that on the frame of the calls' measures (``cube.call_measures``).
    anomaly : (start, end)
        The anomaly window, half-open ``[start, end)``; timestamps or numbers
        comparable with ``time``.
    baseline : (start, end), list of (start, end), or None
        Baseline window(s). Volumes are scaled to the anomaly window's length
        (× anomaly length / total baseline length). None: the same weekday and
        time window of the previous four ordinary weeks (datetime ``time``
        only; see :func:`default_baseline`).
    time : str
        The time column.
    dims : list of str
        Dimension columns.
    numerator, denominator : str
        Columns of the ratio ``Σ numerator / Σ denominator``. With
        ``denominator=None`` the metric is the volume ``Σ numerator``.
    max_order : int, default 3
        Largest number of dimensions combined in one element.
    numerator_sq : str, optional
        Column of Σx² when the metric is a mean (numerator = Σx, denominator =
        n); enables Welch's test.
    kind : {"ratio", "mean", "count"}, optional
        Default: "count" without a denominator, "mean" with ``numerator_sq``,
        "ratio" otherwise (which needs 0 ≤ numerator ≤ denominator).
    supply_dims : list of str
        Dimensions on the supply side (kept apart from the others, which are
        "demand").
    p_adjust : {"holm", "bh"}, default "holm"
        Multiple-testing adjustment over every candidate element: Holm's
        step-down (family-wise error) or Benjamini-Hochberg (false discovery
        rate). Named explicitly because statsmodels' ``multipletests``
        defaults to Holm-Šidák.
    alpha : float, default 0.05
    min_share : float, default 0.01
        Minimum support: an element holds at least this share of the volume in
        the anomaly or the baseline ...
    min_count : float, default 10
        ... and at least this volume (anomaly + scaled baseline).
    name : str, optional
        Name of the metric in the summary.
    settings : KpiSettings, optional
        On an engine-backed data set, the thresholds its measures are summed with
        (default ``KpiSettings()``); unused on a table.

    Returns
    -------
    Explanation
        ``table`` (:data:`TABLE_COLUMNS`, best first), ``verdict``, ``summary``
        and the window totals; see :class:`Explanation`.

    Notes
    -----
    **Decomposition.** For an element e against the rest c of the population,
    with shares s (of the denominator) and rates r in the anomaly (a) and the
    baseline (b) and bars for the mean of the two windows, the total change
    splits exactly (Kitagawa 1955):

    ``R_a − R_b = Δs_e (r̄_e − r̄_c) + s̄_e Δr_e + s̄_c Δr_c``.

    ``mix_effect = Δs_e (r̄_e − r̄_c)`` (more of its calls, at a rate unlike
    the rest), ``rate_effect = s̄_e Δr_e`` (its own rate changed), ``impact``
    is their sum — the change that disappears when the element returns to its
    baseline share and rate, averaged over the two orders of replacement —
    and ``explained_share = impact / (R_a − R_b)``. An element absent from one
    window keeps its rate from the other (all its effect is mix). For a count
    (V volume, v = V s the element's volume, baseline scaled to the anomaly's
    length): ``impact = v_a − v_b = V̄ Δs + s̄ ΔV`` with ``mix_effect = V̄ Δs``
    (the shift towards the element) and ``rate_effect = s̄ ΔV`` (its part of
    the common growth).

    **Ranking.** With e the explained share and s the element's size (s̄ of
    the denominator; the baseline share for a count — the share of the change
    it would carry if the change were spread in proportion to volume), the
    concentration score is ``e · ln(e / s)`` for e > s, else 0: the element's
    term of the relative entropy between where the change is and where the
    volume is. It is 0 for every element of a proportional (broad) change, so a
    segment holding 85 % of the calls that "explains 85 %" scores nothing.
    Elements are then taken greedily per side: each step adds the element
    whose union with those already taken gains most, scored on the increments
    ``Δe · ln(Δe / Δs)``; it must be significant, add ≥ 5 % of the change and
    ≥ 1.5 × the volume it adds (a sub- or super-set of a taken element adds
    nothing and is skipped); at most 5 per side.

    **Causes.** When the change is significant, the root-cause search
    (:func:`ccmetrics.rootcause.localize`: the disjoint, coarsest elements
    that explain it) runs per side; on a side where it names causes, they
    replace the greedy selection as the selected rows (first in the table,
    largest share first) and are what the summary and the drivers name. The
    greedy step may prefer a child of a cause (a segment where the cause is
    strongest has the higher concentration score) while the cause's other
    children deviate too; the cause is then the better name.

    **Verdict.** "none" when the total change is not significant at
    ``alpha``; "concentrated" when, on one side, the union of the first three
    elements of the greedy selection explains ≥ 50 % of the change with at
    most half that share of the volume; "broad" otherwise.

    **Tests.** Ratio: chi-square homogeneity test of the element's successes,
    failures and the rest between the windows (joint test of its share and
    rate). Mean: Welch's t test of its mean and the two-proportion z test of
    its share, Bonferroni-combined. Count: quasi-Poisson z test of its volume
    (variance λ + c²λ², the day-to-day factor c² estimated from the baseline
    windows' volumes by moments). The total is tested the same way, widened
    by the between-window variance of the baseline windows (method of
    moments), so ordinary week-to-week variation is not called a change.
    Baseline counts enter the tests unscaled.

    References
    ----------
    Kitagawa, E. M. (1955). Components of a difference between two rates.
    JASA 50(272), 1168-1194.
    Bhagwan, R. et al. (2014). Adtributor: revenue debugging in advertising
    systems. NSDI '14 (explanatory power and surprise).
    Holm, S. (1979). A simple sequentially rejective multiple test procedure.
    Scand. J. Statist. 6, 65-70. Benjamini, Y. and Hochberg, Y. (1995).
    JRSS B 57, 289-300.

    Examples
    --------
    Queue A's rate falls from 0.8 to 0.4, B and C stay at 0.8: the total
    falls by 0.4 / 3 and A explains all of it.

    >>> cube = pd.DataFrame({"t": [0, 0, 0, 1, 1, 1], "queue": list("ABCABC"),
    ...     "good": [80, 80, 80, 40, 80, 80], "calls": [100] * 6})
    >>> e = explain_ratio(cube, (1, 2), (0, 1), time="t", dims=["queue"],
    ...     numerator="good", denominator="calls")
    >>> e.verdict, e.table.loc[0, "element"], round(float(e.table.loc[0, "impact"]), 4)
    ('concentrated', 'queue=A', -0.1333)
    """
    anomaly = _window(anomaly)
    dims = list(dims)
    if is_dataset(cube):
        return _explain_ratio_dataset(
            cube,
            anomaly,
            baseline,
            time=time,
            dims=dims,
            numerator=numerator,
            denominator=denominator,
            max_order=max_order,
            numerator_sq=numerator_sq,
            kind=kind,
            supply_dims=supply_dims,
            p_adjust=p_adjust,
            alpha=alpha,
            min_share=min_share,
            min_count=min_count,
            name=name,
            settings=settings,
        )
    if kind is None:
        kind = "count" if denominator is None else ("mean" if numerator_sq else "ratio")
    if kind not in ("ratio", "mean", "count"):
        raise ValueError(f"kind must be 'ratio', 'mean' or 'count', not {kind!r}")
    missing = [
        c
        for c in [time, numerator, denominator, numerator_sq, *dims]
        if c and c not in cube.columns
    ]
    if missing:
        raise ValueError(f"the cube has no column {missing}")
    numbers = _cube_numbers(
        cube, numerator=numerator, denominator=denominator, numerator_sq=numerator_sq, kind=kind
    )
    if kind == "ratio" and (
        (numbers[:, 0] < -1e-9).any() or (numbers[:, 0] > numbers[:, 1] + 1e-9).any()
    ):
        raise ValueError(
            "kind='ratio' needs 0 <= numerator <= denominator on every row; for a ratio of "
            "sums use kind='mean' with numerator_sq"
        )
    notes: list[str] = []
    times = cube[time]
    windows_table = None
    if baseline is None:
        windows_table = _baseline_table(
            times, numbers, kind, anomaly, 4, 8, None, _span(times, anomaly)
        )
        baseline = _used_windows(windows_table)
    baseline = _windows(baseline)
    explanation = _explain_numbers(
        times,
        {d: cube[d] for d in dims},
        numbers,
        anomaly,
        baseline,
        kind=kind,
        sides={d: ("supply" if d in set(supply_dims) else "demand") for d in dims},
        metric=name or (numerator if denominator is None else f"{numerator}/{denominator}"),
        max_order=max_order,
        p_adjust=p_adjust,
        alpha=alpha,
        min_share=min_share,
        min_count=min_count,
    )
    explanation.baseline_windows = windows_table
    explanation.notes = notes
    label = name or (numerator if denominator is None else f"{numerator} / {denominator}")
    explanation.summary = _summarise(
        explanation,
        label,
        label,
        _generic_formatter,
        i18n.t("drill.dims_generic", "en"),
        i18n.t("drill.dims_generic", "zh"),
    )
    return explanation


def _explain_ratio_dataset(data, anomaly, baseline, *, time, settings, **options) -> Explanation:
    """:func:`explain_ratio` on an engine-backed data set: the per-window group sums of
    the windows compared (the default baseline judged on every candidate's sums), then
    :func:`explain_ratio` on those sums, with the baseline windows given."""
    if time != "arrived_at":
        raise ValueError(f"an engine-backed data set's time column is 'arrived_at', not {time!r}")
    columns = [options["numerator"], options["denominator"], options["numerator_sq"]]
    unknown = [c for c in columns if c and c not in MEASURES]
    if unknown:
        raise ValueError(
            f"on an engine-backed data set the numerator and denominator are measures of "
            f"ccmetrics.cube.MEASURES; {unknown} is not"
        )
    missing = [d for d in options["dims"] if d not in data.columns]
    if missing:
        raise ValueError(f"the cube has no column {missing}")
    settings = settings or KpiSettings()
    cache: dict = {}
    # only the measures compared (no FCR flag unless one of them is an FCR measure)
    measures = [c for c in columns if c]
    windows_table = None
    if baseline is None:

        def fetch(windows):
            rows, ids = window_group_sums(
                data, windows, options["dims"], settings, cache, measures=measures
            )
            return ids, _cube_numbers(rows, **_number_options(options)), None, None

        span = span_test(data, _candidate_starts(anomaly, 8)) or anomaly
        windows_table = _judge_lazily(fetch, _ratio_kind(options), anomaly, 4, 8, span, False)
        baseline = _used_windows(windows_table)
    baseline = _windows(baseline)
    _by_start([anomaly, *baseline])
    rows, _ = window_group_sums(
        data, [anomaly, *baseline], options["dims"], settings, cache, measures=measures
    )
    explanation = explain_ratio(rows, anomaly, baseline, time="arrived_at", **options)
    explanation.baseline_windows = windows_table
    return explanation


def _ratio_kind(options: dict) -> str:
    """The kind :func:`explain_ratio` takes when none is given."""
    if options["kind"] is not None:
        return options["kind"]
    if options["denominator"] is None:
        return "count"
    return "mean" if options["numerator_sq"] else "ratio"


def _number_options(options: dict) -> dict:
    return {
        "numerator": options["numerator"],
        "denominator": options["denominator"],
        "numerator_sq": options["numerator_sq"],
        "kind": _ratio_kind(options),
    }


def _cube_numbers(cube, *, numerator, denominator, numerator_sq, kind) -> np.ndarray:
    """(numerator, denominator, Σx²) of each row of an additive table, NaN as 0."""
    numbers = np.zeros((len(cube), 3))
    numbers[:, 0] = pd.to_numeric(cube[numerator], errors="coerce").to_numpy(float, na_value=np.nan)
    if kind == "count":
        numbers[:, 1] = numbers[:, 0]
    else:
        numbers[:, 1] = pd.to_numeric(cube[denominator], errors="coerce").to_numpy(
            float, na_value=np.nan
        )
    if numerator_sq:
        numbers[:, 2] = pd.to_numeric(cube[numerator_sq], errors="coerce").to_numpy(
            float, na_value=np.nan
        )
    return np.nan_to_num(numbers, nan=0.0)


def _explain_numbers(
    times,
    columns,
    numbers,
    anomaly,
    baseline,
    *,
    kind,
    sides,
    metric,
    max_order,
    p_adjust,
    alpha,
    min_share,
    min_count,
    ids=None,
) -> Explanation:
    if ids is None:
        ids = _window_ids(times, [anomaly, *baseline])
    cube = _window_cube(columns, ids, numbers, anomaly, baseline, kind=kind, sides=sides)
    return _analyse(
        cube,
        anomaly=anomaly,
        baseline=baseline,
        metric=metric,
        max_order=max_order,
        p_adjust=p_adjust,
        alpha=alpha,
        min_share=min_share,
        min_count=min_count,
    )


def explain(
    frame: pd.DataFrame,
    anomaly,
    baseline=None,
    *,
    metric: str = "service_level",
    dims=None,
    settings: KpiSettings | None = None,
    max_order: int = 3,
    p_adjust: str = "holm",
    alpha: float = 0.05,
    min_share: float = 0.01,
    min_count: float = 10,
    weeks: int = 4,
    sides: dict | None = None,
    drivers: bool = True,
) -> Explanation:
    """Explain why a KPI changed in a window: which elements drove it, and the verdict.

    Parameters
    ----------
    frame : DataFrame or Dataset
        Canonical calls or intervals (the whole data set: the baseline comes
        from it), or an engine-backed data set of calls
        (:func:`ccmetrics.engine.is_dataset`): each window is then summed by its
        engine, one ``GROUP BY`` of the dimensions per window (see Notes).
    anomaly : (start, end)
        The window to explain, half-open ``[start, end)``.
    baseline : (start, end), list of (start, end), or None
        None: the same weekday and time window over the previous four weeks,
        leaving out windows that are themselves anomalous
        (:func:`default_baseline`). Baseline volumes are scaled to the anomaly
        window's length.
    metric : str, default "service_level"
        One of :data:`METRICS`: service_level, abandon_rate, answer_rate,
        transfer_rate (ratios of counts), aht_s, asa_s, csat_mean (means),
        offered (volume: where the extra calls came from).
    dims : list of str, optional
        Dimensions to examine (any of :data:`DRILL_DIMENSIONS`); default every one of :data:`DEFAULT_DRILL_DIMENSIONS`
        present (the canonical dimensions and the IVR menu path ``ivr_path``).
        Dimensions with one value, and (for metrics measured on every offered
        call) dimensions known only for answered calls — team, agent — are
        left out, with a note.
    settings : KpiSettings, optional
        KPI conventions (SL threshold and formula, short abandons, ...).
    max_order : int, default 3
        Largest number of dimensions combined in one element.
    p_adjust : {"holm", "bh"}, default "holm"
        Multiple-testing adjustment (see :func:`explain_ratio`).
    alpha : float, default 0.05
    min_share, min_count : float
        Minimum support of an element (see :func:`explain_ratio`).
    weeks : int, default 4
        Baseline windows used by the default baseline.
    sides : dict, optional
        ``{dimension: "demand" | "supply"}`` for non-canonical dimensions;
        default: queue, team, agent are supply, the others demand.
    drivers : bool, default True
        For :data:`QUEUE_METRICS`, also explain ``offered`` and ``aht_s`` and
        name the driver in the summary.

    Returns
    -------
    Explanation
        See :class:`Explanation`; ``kpis`` holds every KPI in the window
        against the baseline, ``volume``/``handle_time``/``drivers`` the
        demand-side explanation of a queue metric.

    Raises
    ------
    ValueError
        Bad arguments, or data the window cannot be explained from; the latter
        carry a ``code`` attribute for translation (``no_anomaly_data``,
        ``no_baseline_data``, ``no_baseline_window``, ``no_metric_data``,
        ``no_time_column``).

    Notes
    -----
    The rows of each window are turned into additive measures
    (:func:`ccmetrics.cube.measures`) and every KPI is derived by
    :func:`ccmetrics.kpi.derive`; a KPI's numerator is its value × its base
    (the n of :data:`ccmetrics.kpi.KPI_BASE`), so every roll-up is exact. The
    decomposition, tests, ranking and verdict are those of
    :func:`explain_ratio`. Demand-side dimensions (category, segment,
    channel) and supply-side ones (queue, team, agent) are never combined in
    one element: a team cannot be blamed for a demand surge it received.

    On an engine-backed data set no call is fetched: each candidate and compared
    window is one query of the measures grouped by the dimensions (the rating too
    for ``csat_mean``, whose Σx² is no measure: rating² × rated calls per group),
    the data's span is two counts per candidate, and the calls that ended in the
    IVR are told apart by what they add (``ccmetrics.engine_inputs.queued_window_sums``).
    The result equals that on the frame of the same calls flagged for FCR on the
    whole data (:func:`ccmetrics.kpi.add_fcr_flags`, as the app passes it): the
    engine's FCR is always the whole data set's. Elements are ordered by their
    values' text, so ties rank alike whatever the rows' order.

    A demand surge in one category degrades service for every category, so a
    queue metric examined alone can look "broad". For :data:`QUEUE_METRICS`
    the volume (``offered``) and the handle time (``aht_s``) are explained
    over the same windows. A change in either is a driver when it is
    significant, pushes the metric the way it moved (more or longer calls when
    service got worse) and is material (≥ 10 %); it is named with its leading
    element. When neither is, the cause is likely on the supply side (agents
    logged in), which the staffing view examines.

    Examples
    --------
    >>> from ccmetrics.sample import generate_calls
    >>> calls = generate_calls(start="2025-02-11", days=29)
    >>> e = explain(calls, ("2025-03-11 09:00", "2025-03-11 12:00"), metric="offered")
    >>> e.verdict, e.table.loc[0, "element"]
    ('concentrated', 'category=Data plan (GPRS) & segment=Prepaid')
    """
    settings = settings or KpiSettings()
    _check_metric(metric)
    p_adjust = _p_adjust_name(p_adjust)
    anomaly = _window(anomaly)
    if dims is not None:
        dims = list(dims)
    calls = squares = totals = None
    if is_dataset(frame):
        # per window, one GROUP BY of the dimensions: the element sums without the calls
        rows, ids, baseline, windows_table = _prepare_dataset(
            frame, anomaly, baseline, metric, settings, weeks, 8, dims
        )
        totals = _dataset_totals(frame, [anomaly, *baseline], settings)
        sums = rows[list(MEASURES)]
        # canonical calls: a queued call not answered is abandoned (the loader drops others)
        calls = (sums["answered"].to_numpy(float), sums["abandoned"].to_numpy(float))
        squares = _csat_squares(rows)
    else:
        rows, ids, baseline, windows_table = _prepare(
            frame, anomaly, baseline, metric, settings, weeks, 8, keep=dims or ()
        )
        sums = measures(rows, settings)
    derived = derive(sums, settings)

    options = dict(
        max_order=max_order,
        p_adjust=p_adjust,
        alpha=alpha,
        min_share=min_share,
        min_count=min_count,
    )

    def explained(name: str) -> tuple[Explanation, list]:
        """The explanation of ``name`` over the same rows, windows and options, and its notes."""
        columns, notes = _choose_dims(frame, rows, dims, name, sides, calls)
        result = _explain_metric(
            rows,
            ids,
            sums,
            derived,
            name,
            settings,
            columns,
            anomaly,
            baseline,
            squares=squares,
            **options,
        )
        return result, notes

    explanation, notes = explained(metric)
    explanation.notes = notes + explanation.notes
    explanation.baseline_windows = windows_table
    if totals is None:
        explanation.kpis = _kpi_table(sums, ids, explanation.baseline_scale, settings)
    else:  # every KPI of the windows' calls, not only the measures of the element rows
        table, window_ids = totals
        kpi_sums = table[list(MEASURES)]
        explanation.kpis = _kpi_table(kpi_sums, window_ids, explanation.baseline_scale, settings)
    if drivers and metric in QUEUE_METRICS:
        explanation.volume, _ = explained("offered")
        if np.nansum(sums["handle_n"].to_numpy(float, na_value=np.nan)) > 0:
            explanation.handle_time, _ = explained("aht_s")
        explanation.drivers = _drivers(explanation)
    summary = _canonical_summary(explanation)
    explanation.summary = summary
    return explanation


def _explain_metric(
    rows, ids, sums, derived, metric, settings, columns, anomaly, baseline, squares=None, **options
) -> Explanation:
    numbers, _, note = _frame_numbers(rows, metric, settings, sums, derived, squares)
    times = rows[time_column(rows)]
    explanation = _explain_numbers(
        times,
        {d: rows[d] for d in columns},
        numbers,
        anomaly,
        baseline,
        kind=METRIC_KINDS[metric],
        sides=columns,
        metric=metric,
        ids=ids,
        **options,
    )
    explanation.notes = [note] if note else []
    explanation.summary = _canonical_summary(explanation)
    return explanation
