"""The seasonal chart: each point against the same slot (weekday, time of day) of the baseline."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccmetrics.spc.base import (
    DEFAULT_RULES,
    ChartInputError,
    _aligned,
    _check_rules,
    _diagnostics,
    _series_values,
    _sigma_from_moving_ranges,
)
from ccmetrics.spc.charts import _finish, _limit_points

# --------------------------------------------------------------------------------------------
# Seasonality
# --------------------------------------------------------------------------------------------

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def _slot_labels(timestamps: pd.DatetimeIndex, slot: str) -> tuple[np.ndarray, str]:
    """Like-for-like slot of each timestamp and the slot kind actually used."""
    if slot == "auto":
        is_daily = bool(
            np.all((timestamps.hour == 0) & (timestamps.minute == 0) & (timestamps.second == 0))
        )
        slot = "weekday" if is_daily else "weekday_time"
    weekday = np.asarray(timestamps.day_of_week)
    clock = np.asarray(timestamps.strftime("%H:%M"), dtype=object)
    if slot == "weekday":
        labels = np.array([_WEEKDAYS[d] for d in weekday], dtype=object)
    elif slot == "weekday_time":
        labels = np.array(
            [f"{_WEEKDAYS[d]} {c}" for d, c in zip(weekday, clock, strict=True)], dtype=object
        )
    elif slot == "time":
        labels = clock
    else:
        raise ChartInputError(
            'slot must be "auto", "weekday_time", "weekday" or "time"',
            "bad_option",
            name="slot",
            value=slot,
        )
    return labels, slot


def _timestamps(index: pd.Index, timestamps, size: int) -> pd.DatetimeIndex:
    """The time of each point: ``timestamps`` when given, else the DatetimeIndex of x."""
    if timestamps is None:
        if not isinstance(index, pd.DatetimeIndex):
            raise ChartInputError(
                "give timestamps, or x as a Series with a DatetimeIndex", "missing_timestamps"
            )
        return index
    stamps = pd.DatetimeIndex(pd.to_datetime(timestamps))
    if stamps.size != size:
        raise ChartInputError(
            "timestamps must have one entry per point",
            "length_mismatch",
            name="timestamps",
            size=int(stamps.size),
            expected=int(size),
        )
    return stamps


def _point_sizes(kind: str, raw: np.ndarray, n) -> tuple[np.ndarray, np.ndarray]:
    """Each point's size (denominator or weight; 1 for counts) and whether it can be charted."""
    if kind == "proportion":
        if n is None:
            raise ChartInputError('kind="proportion" needs n', "missing_n")
        sizes = _aligned(n, raw.size, "n")
    elif kind == "mean":
        sizes = np.ones(raw.size) if n is None else _aligned(n, raw.size, "n")
    else:
        return np.ones(raw.size), np.isfinite(raw)
    return sizes, np.isfinite(raw) & np.isfinite(sizes) & (sizes > 0)


def _warn_slots_without_baseline(diagnostics: dict, slots: np.ndarray) -> None:
    """Add the ``slot_without_baseline`` warning when charted points have no expectation."""
    missing_slots = sorted(set(slots))
    if missing_slots:
        shown = ", ".join(missing_slots[:5]) + (" ..." if len(missing_slots) > 5 else "")
        diagnostics["warnings"].append(
            {
                "code": "slot_without_baseline",
                "text": (
                    f"{len(missing_slots)} time slot(s) have no baseline data ({shown}); "
                    "their points have no expectation and cannot signal."
                ),
            }
        )


def seasonal_chart(
    x,
    n=None,
    *,
    kind: str = "proportion",
    timestamps=None,
    slot: str = "auto",
    baseline=None,
    exclude=None,
    sigma: float = 3.0,
    rules=DEFAULT_RULES,
    lower_bound: float | None = None,
) -> pd.DataFrame:
    """Chart a KPI against its like-for-like expectation (same weekday and time slot).

    Parameters
    ----------
    x : pandas.Series or array-like
        Per point: numerator counts (``kind="proportion"``), counts (``"count"``) or values
        (``"mean"``). A Series with a DatetimeIndex supplies the timestamps.
    n : array-like, optional
        Denominators for ``"proportion"`` (required); weights (e.g. handled calls behind each
        interval AHT) for ``"mean"`` (default 1); ignored for ``"count"``.
    kind : {"proportion", "count", "mean"}
        What x is.
    timestamps : array-like of datetime, optional
        Interval starts or days, when x has no DatetimeIndex.
    slot : {"auto", "weekday_time", "weekday", "time"}
        The like-for-like grouping. "auto": "weekday" for daily data (all timestamps at
        midnight), else "weekday_time" (same weekday and time of day).
    baseline, exclude, sigma, rules
        As in :func:`p_chart`; the baseline weeks define the expectation.
    lower_bound : float, optional
        For ``"mean"``: the lowest value the measure can take (0 for seconds and scores);
        limits below it are clipped to it. Proportions and counts are always clipped at 0.

    Returns
    -------
    pandas.DataFrame
        Columns ``value``, ``n``, ``slot`` (e.g. "Mon 09:30"), ``center`` (the expectation),
        ``lcl``, ``ucl``, ``se``, ``z``, ``baseline``, ``excluded``, ``signal``, ``rules``.
        ``attrs``: ``chart`` "seasonal", ``kind``, ``slot``, ``sigma_z``, ``diagnostics``,
        ``anhoej``.

    Notes
    -----
    Choice: a like-for-like expectation rather than a fitted seasonal model. It needs only a
    few baseline weeks, has no parameters to tune and is easy to explain ("Mondays 9:30 are
    usually 62%"). For every slot, over the baseline points not excluded:

    * proportion: e = sum(x) / sum(n); base_i = sqrt(e (1 - e) / n_i); value = x / n;
    * count: e = mean(x); base_i = sqrt(e) (Poisson);
    * mean: e = sum(n x) / sum(n); base_i = 1 / sqrt(n_i).

    Each slot's expectation rests on a few baseline weeks, so every point carries the
    leverage h_i = n_i / sum(n) of its slot (1 / m for counts) through the factor
    c_i = sqrt(1 - h_i) for the baseline points that helped estimate it and
    c_i = sqrt(1 + h_i) for every other point (prediction limits). Then
    z_i = (value_i - e_i) / (base_i c_i), sigma_z = mean |z_i - z_(i-1)| / 1.128 over the
    limit points in time order (Laney's correction: it absorbs whatever variation the
    binomial/Poisson model misses), se_i = sigma_z base_i c_i and limits e_i +/- sigma se_i
    (clipped to [0, 1] for proportions, at 0 for counts, at ``lower_bound`` for means).

    So a Monday-morning service-level dip that happens every week sits on its own center line
    and is not an alarm, while a collapse in a normally quiet hour is far from that hour's
    expectation and is. A slot with no baseline data has no expectation and no signal (a
    warning says so); a slot with a single baseline point (h = 1) cannot judge that point.

    Examples
    --------
    >>> days = pd.date_range("2024-01-01", periods=14, freq="D")
    >>> volume = pd.Series([120, 100, 100, 100, 100, 60, 40] * 2, index=days)
    >>> chart = seasonal_chart(volume, kind="count")
    >>> chart["center"].iloc[0], bool(chart["signal"].any())
    (np.float64(120.0), False)
    """
    rules = _check_rules(rules)
    if kind not in ("proportion", "count", "mean"):
        raise ChartInputError(
            'kind must be "proportion", "count" or "mean"', "bad_option", name="kind", value=kind
        )
    raw, index = _series_values(x, "x")
    labels, slot_used = _slot_labels(_timestamps(index, timestamps, raw.size), slot)
    sizes, valid = _point_sizes(kind, raw, n)
    base, excluded, used = _limit_points(valid, baseline, exclude)
    with np.errstate(invalid="ignore", divide="ignore"):
        value = (
            np.where(valid, raw / sizes, np.nan)
            if kind == "proportion"
            else np.where(valid, raw, np.nan)
        )
    frame_used = pd.DataFrame({"slot": labels[used], "x": raw[used], "n": sizes[used]})
    if kind == "mean":
        frame_used["x"] = frame_used["x"] * frame_used["n"]
    grouped = frame_used.groupby("slot", sort=False)
    if kind == "count":
        expectation = grouped["x"].mean()
    else:
        expectation = grouped["x"].sum() / grouped["n"].sum()
    expected = pd.Series(labels).map(expectation).to_numpy(dtype=float, na_value=np.nan)
    slot_weight = pd.Series(labels).map(grouped["n"].sum()).to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        if kind == "proportion":
            base_se = np.sqrt(expected * (1.0 - expected) / sizes)
        elif kind == "count":
            base_se = np.sqrt(expected)
        else:
            base_se = 1.0 / np.sqrt(sizes)
        base_se = np.where(valid, base_se, np.nan)
        # Leverage of each point on its slot's expectation: a baseline point pulls the
        # expectation towards itself (residual variance x (1 - h)); any other point is compared
        # with an expectation that carries its own estimation error (x (1 + h)).
        leverage = sizes / slot_weight
        inflation = np.sqrt(np.where(used, 1.0 - leverage, 1.0 + leverage))
        z = (value - expected) / (base_se * inflation)
    z[~np.isfinite(z)] = np.nan
    sigma_z = _sigma_from_moving_ranges(z[used])
    se = base_se * inflation * sigma_z
    upper_bound = 1.0 if kind == "proportion" else np.inf
    floor = 0.0 if kind in ("proportion", "count") else -np.inf
    if lower_bound is not None:
        floor = max(floor, float(lower_bound))
    lcl = np.clip(expected - sigma * se, floor, upper_bound)
    ucl = np.clip(expected + sigma * se, floor, upper_bound)
    diagnostics = _diagnostics(
        z[used], sigma_z=sigma_z, overdispersion_applies=False, laney=True, chart="seasonal"
    )
    _warn_slots_without_baseline(diagnostics, labels[valid & ~np.isfinite(expected)])
    attrs = {
        "chart": "seasonal",
        "kind": kind,
        "slot": slot_used,
        "sigma_z": sigma_z,
        "center": float("nan"),
        "diagnostics": diagnostics,
    }
    return _finish(
        index,
        value,
        expected,
        se,
        lcl,
        ucl,
        rules=rules,
        nsigmas=sigma,
        baseline=base,
        excluded=excluded,
        extra={"n": sizes, "slot": pd.array(labels, dtype="str")},
        attrs=attrs,
    )
