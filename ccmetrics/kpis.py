"""The KPI registry: every fact about a KPI, in one place.

Each KPI column of :func:`ccmetrics.kpi.compute` has one :class:`Kpi` entry in
:data:`KPIS`: the column holding the n it rests on, its unit, its statistical
kind, which direction is better, its display decimals and the canonical
columns that enable it. The KPI engine, the control charts, the comparisons,
the drill-down, the report, the command line and the pages read these facts
from here; adding a KPI means adding one entry (and its translations).

This module imports nothing from ccmetrics, so every module (even
:mod:`ccmetrics.spc`, which stands alone) may read it. Conventions follow
``shared/docs/DESIGN.md`` ("KPI conventions").
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "Kpi",
    "KPIS",
    "UNITS",
    "KINDS",
    "TILE_KPIS",
    "HEADLINE_KPIS",
    "TABLE_KPIS",
    "QUALITY_KPIS",
    "WIDE_TABLE_KPIS",
    "KPI_BASE",
    "KPI_UNITS",
    "KPI_DECIMALS",
    "KPI_MEASURES",
    "kpis_of_kind",
    "change_sense",
]

#: Units of a KPI: "count", "percent" (a fraction shown ×100), "seconds", "score".
UNITS = ("count", "percent", "seconds", "score")
#: Statistical kinds of a KPI: "proportion" (calls with a property / calls of the base),
#: "mean" (a per-call mean over the base), "count" (a number of calls), "time_share"
#: (seconds over seconds: occupancy; not a share of calls, so no binomial n).
KINDS = ("proportion", "mean", "count", "time_share")


@dataclass(frozen=True)
class Kpi:
    """The facts of one KPI.

    Parameters
    ----------
    unit : str
        One of :data:`UNITS`.
    kind : str
        One of :data:`KINDS`.
    base : str or None
        The column of :func:`ccmetrics.kpi.compute` holding the n the KPI rests on
        (None: the KPI is itself a count with no n beside it).
    higher_is_better : bool or None
        True when a rise is good, False when it is bad, None when it is neither
        (volumes; occupancy, bad both too high and too low).
    colour_change : bool, default True
        Whether a display colours a change as good or bad. False for AHT: a shorter
        call is cheaper but may leave the caller's problem unresolved, so the
        Overview tile does not judge it (the comparisons still rank by
        ``higher_is_better``).
    decimals : int or None, default None
        Display decimals when they differ from the unit's default (QA scores are on
        a 0–100 scale: one decimal instead of a score's two).
    call_inputs, interval_inputs : tuple of str, default ()
        Canonical columns of calls / of intervals, any one of which enables the KPI
        (:func:`ccmetrics.kpi.missing_inputs`); empty when the required columns of
        the frame suffice or the KPI goes with another one's inputs (the parts of
        AHT with AHT's, the CSAT top-2-box and the ns with the means').
    """

    unit: str
    kind: str
    base: str | None
    higher_is_better: bool | None
    colour_change: bool = True
    decimals: int | None = None
    call_inputs: tuple[str, ...] = ()
    interval_inputs: tuple[str, ...] = ()


_HANDLE_CALLS = ("talk_s", "hold_s", "acw_s")

#: Every KPI column of :func:`ccmetrics.kpi.compute`, in its output order.
KPIS: dict[str, Kpi] = {
    "offered": Kpi("count", "count", "offered", None),
    "answered": Kpi("count", "count", "offered", None),
    "abandoned": Kpi("count", "count", "offered", False),
    "short_abandoned": Kpi("count", "count", None, None),
    "answered_in_sl": Kpi("count", "count", None, None),
    "service_level": Kpi(
        "percent",
        "proportion",
        "sl_base",
        True,
        interval_inputs=("answered_in_sl", "reported_service_level"),
    ),
    "abandon_rate": Kpi(
        "percent", "proportion", "abandon_base", False, interval_inputs=("abandoned",)
    ),
    "answer_rate": Kpi("percent", "proportion", "offered", True, interval_inputs=("answered",)),
    "asa_s": Kpi("seconds", "mean", "wait_n", False, interval_inputs=("wait_s_sum",)),
    "avg_abandon_wait_s": Kpi("seconds", "mean", "abandon_wait_n", None),
    "aht_s": Kpi(
        "seconds",
        "mean",
        "handle_n",
        False,
        colour_change=False,
        call_inputs=_HANDLE_CALLS,
        interval_inputs=("handle_s_sum", "talk_s_sum"),
    ),
    "talk_s": Kpi("seconds", "mean", "handle_n", False),
    "hold_s": Kpi("seconds", "mean", "handle_n", False),
    "acw_s": Kpi("seconds", "mean", "handle_n", False),
    "transfer_rate": Kpi(
        "percent",
        "proportion",
        "transfer_n",
        False,
        call_inputs=("transferred",),
        interval_inputs=("transferred",),
    ),
    "fcr_rate": Kpi(
        "percent",
        "proportion",
        "fcr_n",
        True,
        call_inputs=("customer_id", "resolved"),
        interval_inputs=("fcr_resolved",),
    ),
    "csat_mean": Kpi(
        "score", "mean", "csat_n", True, call_inputs=("csat",), interval_inputs=("csat_sum",)
    ),
    "csat_top2box": Kpi("percent", "proportion", "csat_n", True),
    "csat_n": Kpi("count", "count", None, None),
    "qa_mean": Kpi(
        "score",
        "mean",
        "qa_n",
        True,
        decimals=1,
        call_inputs=("qa_score",),
        interval_inputs=("qa_sum",),
    ),
    "qa_n": Kpi("count", "count", None, None),
    "occupancy": Kpi(
        "percent",
        "time_share",
        "staffed_hours",
        None,
        call_inputs=("staffed_agents",),
        interval_inputs=("staffed_agents", "staffed_s"),
    ),
    "ivr_containment": Kpi(
        "percent",
        "proportion",
        "ivr_n",
        True,
        call_inputs=("ivr_contained",),
        interval_inputs=("ivr_contained",),
    ),
    # the IVR stage: counts and rates over the calls that entered the IVR (ivr_n)
    "ivr_contained": Kpi("count", "count", "ivr_n", None),
    "ivr_abandoned_n": Kpi("count", "count", "ivr_n", False),
    "ivr_abandon_rate": Kpi(
        "percent", "proportion", "ivr_n", False, call_inputs=("ivr_abandoned",)
    ),
    # a long IVR time is bad for a caller waiting for an agent but normal for one served
    # by self-service: the change is not coloured
    "ivr_s": Kpi(
        "seconds", "mean", "ivr_time_n", False, colour_change=False, call_inputs=("ivr_s",)
    ),
    # cost in the data's currency, shown as a plain number with two decimals ("score")
    "cost_per_call": Kpi(
        "score",
        "mean",
        "cost_n",
        False,
        call_inputs=("cost",),
        interval_inputs=("staffed_agents", "staffed_s"),
    ),
    # money over minutes: neither a share of calls nor a per-call mean (XmR charts)
    "cost_per_minute": Kpi(
        "score",
        "time_share",
        "cost_minutes",
        False,
        call_inputs=("cost",),
        interval_inputs=("staffed_agents", "staffed_s"),
    ),
    "complaint_rate": Kpi(
        "percent", "proportion", "complaint_n", False, call_inputs=("complaint",)
    ),
    "error_rate": Kpi("percent", "proportion", "error_n", False, call_inputs=("business_error",)),
    # a mean of per-call shares in [0, 1]: as a proportion, its p-chart limits are wide
    # enough (the variance of a share with mean p is at most p(1 − p))
    "entry_completeness": Kpi(
        "percent", "proportion", "entry_n", True, call_inputs=("entry_completeness",)
    ),
}

#: The Overview's KPI tiles, in order.
TILE_KPIS = (
    "offered",
    "answer_rate",
    "service_level",
    "abandon_rate",
    "asa_s",
    "aht_s",
    "transfer_rate",
    "fcr_rate",
    "csat_mean",
    "qa_mean",
)
#: The report's headline table: the tiles, then occupancy.
HEADLINE_KPIS = (*TILE_KPIS, "occupancy")
#: KPI columns of tables (breakdowns, per-day and per-hour tables, the command line):
#: the headline with the answered calls beside the offered ones.
TABLE_KPIS = ("offered", "answered", *HEADLINE_KPIS[1:])

#: Cost and quality KPIs (:func:`ccmetrics.kpi.derive`): shown beside the tables' KPIs
#: when the data has their inputs, hidden otherwise.
QUALITY_KPIS = (
    "cost_per_call",
    "cost_per_minute",
    "complaint_rate",
    "error_rate",
    "entry_completeness",
)
#: KPI columns of tables with the cost and quality KPIs after them (a column with no
#: value at all is left out of a table).
WIDE_TABLE_KPIS = (*TABLE_KPIS, *QUALITY_KPIS)

#: The n column behind each KPI that has one (``{kpi: base}``).
KPI_BASE = {name: kpi.base for name, kpi in KPIS.items() if kpi.base is not None}
#: The unit of each KPI (``{kpi: unit}``).
KPI_UNITS = {name: kpi.unit for name, kpi in KPIS.items()}
#: Display decimals that differ from the unit's default (``{kpi: decimals}``).
KPI_DECIMALS = {name: kpi.decimals for name, kpi in KPIS.items() if kpi.decimals is not None}


#: The summed measures (:data:`ccmetrics.cube.MEASURES`) each column of
#: :func:`ccmetrics.kpi.derive` reads — every KPI of :data:`KPIS` and every n column
#: beside them — under any settings (each service-level formula, the reported service
#: level of interval exports, the cost from a rate per agent hour). A question about a
#: few KPIs sums only these (a chart of the service level needs no FCR flags and no
#: handle times). Checked against :func:`ccmetrics.kpi.derive` by
#: tests/unit/test_kpi_measures.py: changing any other measure changes no column.
_SERVICE_LEVEL_MEASURES = (
    "offered",
    "answered",
    "short_abandoned",
    "answered_in_sl",
    "abandoned_in_sl",
    "reported_sl_offered",
    "reported_sl_weighted",
)
_ABANDON_MEASURES = ("offered", "abandoned", "short_abandoned")
KPI_MEASURES: dict[str, tuple[str, ...]] = {
    "offered": ("offered",),
    "answered": ("answered",),
    "abandoned": ("abandoned",),
    "short_abandoned": ("short_abandoned",),
    "answered_in_sl": ("answered_in_sl",),
    "service_level": _SERVICE_LEVEL_MEASURES,
    "abandon_rate": _ABANDON_MEASURES,
    "answer_rate": ("offered", "answered"),
    "asa_s": ("wait_n", "wait_s_sum"),
    "avg_abandon_wait_s": ("abandon_wait_n", "abandon_wait_s_sum"),
    "aht_s": ("handle_n", "handle_s_sum"),
    "talk_s": ("handle_n", "talk_s_sum"),
    "hold_s": ("handle_n", "hold_s_sum"),
    "acw_s": ("handle_n", "acw_s_sum"),
    "transfer_rate": ("transfer_n", "transferred"),
    "fcr_rate": ("fcr_n", "fcr_resolved"),
    "csat_mean": ("csat_n", "csat_sum"),
    "csat_top2box": ("csat_n", "csat_top2"),
    "csat_n": ("csat_n",),
    "qa_mean": ("qa_n", "qa_sum"),
    "qa_n": ("qa_n",),
    "occupancy": ("handle_s_sum", "staffed_s"),
    "ivr_containment": ("ivr_n", "ivr_contained"),
    "ivr_contained": ("ivr_contained",),
    "ivr_abandoned_n": ("ivr_abandoned_n",),
    "ivr_abandon_rate": ("ivr_n", "ivr_abandoned_n"),
    "ivr_s": ("ivr_time_n", "ivr_s_sum"),
    "cost_per_call": ("cost_n", "cost_e4_sum", "answered", "staffed_s"),
    "cost_per_minute": ("cost_e4_sum", "cost_handle_s_sum", "handle_s_sum", "staffed_s"),
    "complaint_rate": ("complaint_n", "complaints"),
    "error_rate": ("error_n", "errors"),
    "entry_completeness": ("entry_n", "entry_filled_e4_sum"),
    # the n columns
    "sl_base": _SERVICE_LEVEL_MEASURES,
    "abandon_base": _ABANDON_MEASURES,
    "wait_n": ("wait_n",),
    "abandon_wait_n": ("abandon_wait_n",),
    "handle_n": ("handle_n",),
    "transfer_n": ("transfer_n",),
    "fcr_n": ("fcr_n",),
    "ivr_n": ("ivr_n",),
    "ivr_time_n": ("ivr_time_n",),
    "staffed_hours": ("staffed_s",),
    "cost_n": ("cost_n", "answered", "staffed_s"),
    "cost_minutes": ("cost_handle_s_sum", "handle_s_sum", "staffed_s"),
    "complaint_n": ("complaint_n",),
    "error_n": ("error_n",),
    "entry_n": ("entry_n",),
}


def kpis_of_kind(kind: str, among=None) -> tuple[str, ...]:
    """The KPIs of one kind, in the order of :data:`KPIS` (or of ``among``).

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    among : iterable of str, optional
        Keep only these KPIs, in their order (default: every KPI).

    Returns
    -------
    tuple of str

    Examples
    --------
    >>> kpis_of_kind("proportion", among=("aht_s", "fcr_rate", "service_level"))
    ('fcr_rate', 'service_level')
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    names = KPIS if among is None else among
    return tuple(name for name in names if KPIS[name].kind == kind)


def change_sense(name: str) -> str:
    """How a display colours a rise of the KPI: "normal", "inverse" or "off".

    Parameters
    ----------
    name : str
        A key of :data:`KPIS`.

    Returns
    -------
    str
        "normal" (a rise is good), "inverse" (a rise is bad) or "off" (neither, or
        not judged: see :attr:`Kpi.colour_change`); the values of Streamlit's
        ``delta_color``.

    Examples
    --------
    >>> change_sense("service_level"), change_sense("abandon_rate"), change_sense("aht_s")
    ('normal', 'inverse', 'off')
    """
    kpi = KPIS[name]
    if kpi.higher_is_better is None or not kpi.colour_change:
        return "off"
    return "normal" if kpi.higher_is_better else "inverse"
