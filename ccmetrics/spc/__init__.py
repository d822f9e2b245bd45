"""Control charts that separate signal from noise, and the improvement check.

Every chart function takes plain arrays or pandas Series (a Series keeps its index on the
output) and returns a DataFrame with one row per point and at least the columns

* ``value`` -- the plotted statistic,
* ``center``, ``lcl``, ``ucl`` -- center line and control limits at that point,
* ``signal`` -- bool, True when any requested rule fired at that point,
* ``rules`` -- the ids of the rules that fired there, comma-separated ("" if none),

plus chart-specific columns. Chart metadata is in ``result.attrs``: ``attrs["chart"]`` (the
chart type), ``attrs["center"]``, ``attrs["nsigmas"]``, ``attrs["anhoej"]`` (the runs analysis)
and ``attrs["diagnostics"]`` (overdispersion ``sigma_z``, lag-1 autocorrelation and
plain-language warnings with a ``code`` the UI can translate: ``few_points``,
``overdispersion`` -- with ``adjusted`` True when an Xbar-S chart's limits were widened by
sigma_z, False when the limits are too narrow --, ``autocorrelation``,
``slot_without_baseline``).

Modules
-------
===============  ==========================================================================
``base``         :class:`ChartInputError`, the rule ids, input checks, :func:`c4`,
                 :func:`lag1_autocorrelation`, the diagnostics every chart carries
``rules``        :func:`run_rules` (Nelson 1-8), :func:`anhoej_runs`
``charts``       :func:`p_chart`, :func:`u_chart`, :func:`c_chart`, :func:`xmr_chart`,
                 :func:`xbar_s_chart`, :func:`ewma_chart`, :func:`cusum_chart`
``seasonal``     :func:`seasonal_chart`
``improvement``  :class:`ImprovementCheck`, :func:`improvement_check`
``kpi_charts``   :func:`default_chart_for`, :func:`kpi_chart`
``verdict``      :func:`signal_episodes`, :func:`severity`, :func:`capability`,
                 :func:`chart_verdict`, :func:`signal_map`
``periods``      a chart's periods: :func:`period_freq`, :func:`period_minutes`,
                 :func:`days_that_fit`, :func:`chartable_kpis`, :func:`first_period_from`,
                 :func:`phase_counts`, :func:`episode_day`, :func:`by_signal_count`
===============  ==========================================================================

Phases. ``baseline`` is a boolean mask of the points that define the limits (phase I); the
other points are judged against them (phase II). ``exclude`` is a boolean mask of points that
stay on the chart but are left out of the limit computation (a known special cause). Both are
positional (one flag per point).

Rules follow R qcc (luca-scr/qcc, ``R/rules.R``): a point exactly on a limit is not a signal;
run rules flag the point that completes the pattern and every later point of the same run;
k-of-m rules flag the current point only when it is itself beyond the zone; a point on the
center line breaks a same-side run; Nelson 8 needs points on both sides. The Anhøj runs
analysis follows qicharts2 (anhoej/qicharts2, ``runs.analysis``).

Impossible limits. A measure that cannot be negative (seconds such as AHT and ASA, counts,
scores) gets ``lower_bound=0``: limits below it are clipped to it, as p charts clip to
[0, 1] and u and c charts at 0. Nelson 1 is judged against the limits as drawn, so a point
never signals below an impossible limit. :func:`kpi_chart` passes 0 for every KPI.

Errors. Inputs a chart cannot be drawn from raise :class:`ChartInputError` (a
``ValueError``) whose ``code`` says which problem and whose ``params`` carry the values a
translated message needs:

==========================  ===================================================================
code                        meaning (params)
==========================  ===================================================================
``no_limit_points``         no point is left to compute the limits (``chart`` for Xbar-S)
``change_sides``            the change date leaves no point (or no calls) on one side
``phase_points``            Welch's test needs at least two points per phase (``minimum``)
``counts_out_of_range``     counts below 0, or above n for a p chart (``chart``)
``length_mismatch``         an input has the wrong number of values (``name``, ``size``,
                            ``expected``)
``bad_mask``                baseline/exclude is not a mask of one flag per point (``name``,
                            ``expected``)
``not_one_dimensional``     an input is not one-dimensional (``name``)
``unknown_rule``            a rule id is unknown (``rules``, ``known``)
``bad_option``              an option has an invalid value (``name``, ``value``)
``missing_n``               a proportion chart or check was given no n
``missing_timestamps``      the seasonal chart has no timestamps
``missing_column``          the KPI table lacks a column (``column``)
``duplicate_periods``       the KPI table has more than one row per period
``chart_not_available``     the chart type does not fit the KPI (``chart``, ``kpi``,
                            ``available``)
==========================  ===================================================================

Reading a chart. :func:`chart_verdict` says the one thing a chart says, as a code: one-off
incidents, a sustained shift (:func:`signal_episodes` groups the signals of a step into one
finding with its start date), or a stable process with its capability against a target
(:func:`capability`: level, spread, share of periods meeting it). :func:`signals_by_severity`
orders the signal list, :func:`signal_map` lays an interval chart out as day x time of day.
``kpi_chart(..., revise=True)`` gives revised limits (points beyond them left out).

This package stands at the bottom of the module map: besides numpy, pandas and scipy it reads
only the KPI registry (:mod:`ccmetrics.kpis`, which imports nothing from ccmetrics).
"""

from ccmetrics.spc.base import (
    D2_MOVING_RANGE,
    D4_MOVING_RANGE,
    DEFAULT_RULES,
    NELSON_RULES,
    ChartInputError,
    c4,
    lag1_autocorrelation,
)
from ccmetrics.spc.charts import (
    c_chart,
    cusum_chart,
    ewma_chart,
    p_chart,
    u_chart,
    xbar_s_chart,
    xmr_chart,
)
from ccmetrics.spc.improvement import ImprovementCheck, improvement_check
from ccmetrics.spc.kpi_charts import (
    _KPI_SQUARES,  # noqa: F401  (private, checked by the tests)
    REVISE_ROUNDS,
    default_chart_for,
    kpi_chart,
)
from ccmetrics.spc.periods import (
    GRANULARITIES,
    by_signal_count,
    chartable_kpis,
    days_that_fit,
    episode_day,
    first_period_from,
    period_freq,
    period_minutes,
    phase_counts,
)
from ccmetrics.spc.rules import anhoej_runs, run_rules
from ccmetrics.spc.seasonal import seasonal_chart
from ccmetrics.spc.verdict import (
    EPISODE_COLUMNS,
    PATTERN_RULES,
    SHIFT_MIN_SIGNALS,
    VERDICTS,
    capability,
    chart_verdict,
    severity,
    signal_episodes,
    signal_map,
    signals_by_severity,
)

__all__ = [
    "ChartInputError",
    "NELSON_RULES",
    "DEFAULT_RULES",
    "D2_MOVING_RANGE",
    "D4_MOVING_RANGE",
    "c4",
    "p_chart",
    "u_chart",
    "c_chart",
    "xmr_chart",
    "xbar_s_chart",
    "ewma_chart",
    "cusum_chart",
    "seasonal_chart",
    "run_rules",
    "anhoej_runs",
    "lag1_autocorrelation",
    "ImprovementCheck",
    "improvement_check",
    "default_chart_for",
    "kpi_chart",
    "REVISE_ROUNDS",
    "PATTERN_RULES",
    "SHIFT_MIN_SIGNALS",
    "EPISODE_COLUMNS",
    "VERDICTS",
    "severity",
    "signals_by_severity",
    "signal_episodes",
    "capability",
    "chart_verdict",
    "signal_map",
    "GRANULARITIES",
    "period_freq",
    "period_minutes",
    "days_that_fit",
    "chartable_kpis",
    "first_period_from",
    "phase_counts",
    "episode_day",
    "by_signal_count",
]
