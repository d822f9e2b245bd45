"""Canonical call frames: a metric's numbers per row, the dimensions examined, the KPI table."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccmetrics.cube import frame_kind, ivr_only_rows, measures
from ccmetrics.drill.constants import (
    _SQUARES,
    ARRIVAL_METRICS,
    DEFAULT_DRILL_DIMENSIONS,
    METRIC_KINDS,
    METRICS,
    _InputError,
)
from ccmetrics.drill.effects import _divide
from ccmetrics.drill.notes import CSAT_BOUND_NOTE, assumed_cv_note, left_out_note
from ccmetrics.kpi import KPI_BASE, KPI_UNITS, derive
from ccmetrics.schema import DEMAND_DIMENSIONS, SUPPLY_DIMENSIONS, KpiSettings

__all__: list[str] = []


# --------------------------------------------------------------------------- canonical frames


def _check_metric(metric: str) -> None:
    if metric not in METRIC_KINDS:
        raise ValueError(f"metric must be one of {METRICS}, not {metric!r}")


def _frame_numbers(
    frame: pd.DataFrame, metric: str, settings: KpiSettings, sums=None, derived=None, squares=None
):
    """(numerator, denominator, Σx²) per row of a canonical frame, from kpi.derive.

    Returns the (R, 3) array, the offered volume per row and a note (or None)
    when the variance of a mean had to be assumed. ``squares``: Σx² of each row
    for a mean whose sum of squares is no cube measure (CSAT), when the rows are
    groups of calls (an engine's sums) rather than calls.
    """
    if sums is None:
        sums = measures(frame, settings)
    if derived is None:
        derived = derive(sums, settings)
    offered = np.nan_to_num(sums["offered"].to_numpy(float, na_value=np.nan))
    numbers = np.zeros((len(frame), 3))
    note = None
    if METRIC_KINDS[metric] == "count":
        numbers[:, 0] = numbers[:, 1] = offered
        return numbers, offered, note
    base = derived[KPI_BASE[metric]].to_numpy(float, na_value=np.nan)
    value = derived[metric].to_numpy(float, na_value=np.nan)
    if not np.isfinite(base).any() or np.nansum(base) <= 0:
        raise _InputError(f"the data has nothing to compute {metric} from", "no_metric_data")
    known = np.isfinite(base) & (base > 0) & np.isfinite(value)
    numbers[:, 1] = np.where(known, base, 0.0)
    numbers[:, 0] = np.where(known, value * np.where(known, base, 0.0), 0.0)
    if METRIC_KINDS[metric] == "mean":
        if metric in _SQUARES:
            squares = sums[_SQUARES[metric]].to_numpy(float, na_value=np.nan)
        elif squares is not None:
            squares = np.asarray(squares, dtype=float)
        elif metric == "csat_mean" and frame_kind(frame) == "calls":
            squares = sums["csat_sum"].to_numpy(float, na_value=np.nan) ** 2
        else:
            squares = np.full(len(frame), np.nan)
        if np.isfinite(squares[known]).all():
            numbers[:, 2] = np.where(known, squares, 0.0)
        else:
            mean = _divide(numbers[:, 0], numbers[:, 1])
            if metric == "csat_mean":
                # Bhatia-Davis bound on a 1-5 scale: variance <= (5 - mean)(mean - 1).
                variance = np.clip((5 - mean) * (mean - 1), 0, None)
                note = CSAT_BOUND_NOTE
            else:
                variance = mean**2
                note = assumed_cv_note(metric)
            numbers[:, 2] = np.where(
                known, numbers[:, 1] * (np.nan_to_num(mean) ** 2 + np.nan_to_num(variance)), 0.0
            )
    return numbers, offered, note


def _choose_dims(
    frame: pd.DataFrame, slice_rows: pd.DataFrame, dims, metric: str, sides, calls=None
) -> tuple[dict, list]:
    """Dimensions to examine and their side, with notes on those left out.

    ``calls``: (answered, unanswered) calls of each row when the rows are groups of
    calls (an engine's sums) rather than calls.
    """
    notes = []
    explicit = dims is not None
    if dims is None:
        dims = [d for d in DEFAULT_DRILL_DIMENSIONS if d in frame.columns]
    dims = list(dims)
    missing = [d for d in dims if d not in frame.columns]
    if missing:
        raise ValueError(f"cannot explain by {missing}: the data has no such column")
    chosen = {}
    for dim in dims:
        column = slice_rows[dim]
        if column.isna().all():
            if explicit:
                notes.append(left_out_note(dim, "no values in these windows"))
            continue
        if column.nunique(dropna=False) < 2:
            notes.append(left_out_note(dim, "one value only in these windows"))
            continue
        if metric in ARRIVAL_METRICS and calls is not None:
            # the same shares as below, counted in calls rather than rows
            answered_n, unanswered_n = (np.asarray(c, dtype=float) for c in calls)
            missing = column.isna().to_numpy(dtype=bool)
            if (
                unanswered_n.sum() > 0
                and unanswered_n[missing].sum() / unanswered_n.sum() > 0.5
                and answered_n.sum() > 0
                and answered_n[~missing].sum() / answered_n.sum() > 0.5
            ):
                notes.append(
                    left_out_note(
                        dim,
                        f"known only for answered calls, it would explain {metric} by its own outcome",
                    )
                )
                continue
        elif (
            metric in ARRIVAL_METRICS and frame_kind(frame) == "calls" and "answered" in slice_rows
        ):
            answered = slice_rows["answered"].to_numpy(bool)
            # the offered calls not answered (calls that ended in the IVR were never queued)
            unanswered = ~answered & ~ivr_only_rows(slice_rows)
            if (
                unanswered.any()
                and column[unanswered].isna().mean() > 0.5
                and (column[answered].notna().mean() > 0.5)
            ):
                notes.append(
                    left_out_note(
                        dim,
                        f"known only for answered calls, it would explain {metric} by its own outcome",
                    )
                )
                continue
        side = (sides or {}).get(dim)
        if side is None:
            # Canonical demand dimensions, and any other column (a customer attribute by
            # default), are demand; queue, team and agent are supply.
            side = (
                "demand" if dim in DEMAND_DIMENSIONS or dim not in SUPPLY_DIMENSIONS else "supply"
            )
        chosen[dim] = side
    return chosen, notes


def _kpi_table(sums: pd.DataFrame, ids: np.ndarray, scale: float, settings) -> pd.DataFrame:
    """Every KPI in the anomaly window against the (scaled) baseline, from kpi.derive."""
    anomaly = sums[ids == 0].sum(min_count=1).to_frame().T
    baseline = (sums[ids > 0].sum(min_count=1) * scale).to_frame().T
    derived_a = derive(anomaly, settings).iloc[0]
    derived_b = derive(baseline, settings).iloc[0]
    rows = []
    for kpi, base in KPI_BASE.items():
        rows.append(
            {
                "kpi": kpi,
                "anomaly": derived_a[kpi],
                "baseline": derived_b[kpi],
                "change": derived_a[kpi] - derived_b[kpi],
                "n_anomaly": derived_a[base],
                "n_baseline": derived_b[base],
                "unit": KPI_UNITS[kpi],
            }
        )
    return pd.DataFrame(rows)
