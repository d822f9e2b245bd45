"""Which KPIs the report's headline table carries: :func:`headline_kpis`."""

from __future__ import annotations

import pandas as pd

from ccmetrics import kpi, kpis
from ccmetrics.cube import frame_kind

__all__ = ["headline_kpis"]


def headline_kpis(frame: pd.DataFrame, first: tuple[str, ...] = kpis.HEADLINE_KPIS) -> tuple:
    """The KPIs of the headline table: ``first``, then every other KPI of the registry the
    data has.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals.
    first : tuple of str, default :data:`ccmetrics.kpis.HEADLINE_KPIS`
        The KPIs that lead the table (rows only where the data has them, as before).

    Returns
    -------
    tuple of str
        ``first`` followed, in the order of :data:`ccmetrics.kpis.KPIS`, by each KPI that is
        not in ``first``, is not a count (a count is the n of another KPI) and has its own
        enabling columns for this kind of frame (``call_inputs`` or ``interval_inputs``), at
        least one of which holds a value (:func:`ccmetrics.kpi.missing_inputs`). A KPI
        added to the registry with its inputs appears here without a change to the report.

    Notes
    -----
    KPIs without enabling columns of their own (the parts of AHT, the CSAT top-2-box) go
    with another KPI's inputs and stay out: the table shows the KPI they belong to.

    Examples
    --------
    >>> calls = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-03-03 09:00"]),
    ...     "wait_s": [5.0], "answered": [True], "abandoned": [False],
    ...     "ivr_contained": [False]})
    >>> "ivr_containment" in headline_kpis(calls), "ivr_containment" in headline_kpis(
    ...     calls.drop(columns="ivr_contained"))
    (True, False)
    """
    kind = frame_kind(frame)
    missing = kpi.missing_inputs(frame)
    extra = []
    for name, entry in kpis.KPIS.items():
        inputs = entry.call_inputs if kind == "calls" else entry.interval_inputs
        if name in first or entry.kind == "count" or not inputs or name in missing:
            continue
        extra.append(name)
    return (*first, *extra)
