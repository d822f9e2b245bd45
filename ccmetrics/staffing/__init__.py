"""Staffing: Erlang C/A queueing models and "was it staffing or something else?".

Every public name is importable from ``ccmetrics.staffing``; the modules hold one
topic each:

==================  ==========================================================
``erlang``          :func:`erlang_c`, :func:`erlang_a`, :func:`model_service_level`
``requirements``    :func:`agents_required`, :func:`agents_for_target`,
                    :func:`scheduled_agents` (shrinkage), :func:`staffing_curve`
``patience``        :func:`estimate_patience` (abandons ÷ waiting time)
``attribution``     :data:`EFFECTS`, :func:`attribute_change` (one-at-a-time and
                    Shapley), :func:`sl_noise_band`
``inputs``          :func:`staffing_inputs` (demand, plan and staffing per queue
                    and interval)
``calibration``     :class:`Calibration`, :func:`calibrate` (effective agents
                    per logged-in agent)
``why``             :func:`why_intervals` (required agents, model vs measured
                    service level, attribution of the shortfall into volume,
                    AHT, staffing and an unexplained remainder, classification),
                    :func:`classify_intervals`, :func:`why_day` (the same per day),
                    :func:`shortfall_steps` (the day's waterfall),
                    :func:`day_gaps` (calls vs forecast, hours vs needed)
``summary``         :func:`why_summary` (the day in words, from the translation
                    table)
``whatif``          :func:`what_if` (one interval's agents by Erlang C and A),
                    :func:`busiest_interval` (a day's inputs for it)
``codes``           the codes the analysis returns (:data:`INTERVAL_CLASSES`,
                    :data:`INPUT_NOTES`, :data:`CAUSE_EFFECTS`, ...) and their names
==================  ==========================================================

The queueing functions take plain numbers in seconds (``interval_s``, ``aht_s``,
``threshold_s``, ``patience_s``) and return plain Python numbers, a dict or a
DataFrame. The offered load in Erlangs is ``A = calls * aht_s / interval_s``.

Every formula is evaluated in log space with :func:`scipy.special.gammaln`,
:func:`scipy.special.gammainc` and :func:`scipy.special.gammaincc`, so it stays
finite and accurate for thousands of agents (no factorials, no ``A ** N``).
"""

from __future__ import annotations

from ccmetrics.staffing.attribution import EFFECTS, attribute_change, sl_noise_band
from ccmetrics.staffing.calibration import (
    CALIBRATION_OUTLIER_Z,
    EFFICIENCY_RANGE,
    Calibration,
    calibrate,
)
from ccmetrics.staffing.codes import (
    CAUSE_EFFECTS,
    CAUSE_NAMES,
    INPUT_NOTES,
    INTERVAL_CLASS_HELP,
    INTERVAL_CLASSES,
    MISSED_CLASSES,
    effect_of_cause,
)
from ccmetrics.staffing.erlang import erlang_a, erlang_c, model_service_level
from ccmetrics.staffing.inputs import staffing_inputs
from ccmetrics.staffing.patience import estimate_patience
from ccmetrics.staffing.requirements import (
    agents_for_target,
    agents_required,
    scheduled_agents,
    staffing_curve,
)
from ccmetrics.staffing.summary import why_summary
from ccmetrics.staffing.whatif import busiest_interval, what_if
from ccmetrics.staffing.why import (
    classify_intervals,
    day_gaps,
    shortfall_steps,
    why_day,
    why_intervals,
)

__all__ = [
    "erlang_c",
    "erlang_a",
    "agents_required",
    "scheduled_agents",
    "estimate_patience",
    "staffing_curve",
    "EFFECTS",
    "INTERVAL_CLASSES",
    "INTERVAL_CLASS_HELP",
    "MISSED_CLASSES",
    "INPUT_NOTES",
    "model_service_level",
    "agents_for_target",
    "attribute_change",
    "sl_noise_band",
    "staffing_inputs",
    "EFFICIENCY_RANGE",
    "CALIBRATION_OUTLIER_Z",
    "Calibration",
    "calibrate",
    "why_intervals",
    "classify_intervals",
    "why_day",
    "why_summary",
    "shortfall_steps",
    "day_gaps",
    "what_if",
    "busiest_interval",
    "CAUSE_EFFECTS",
    "CAUSE_NAMES",
    "effect_of_cause",
]
