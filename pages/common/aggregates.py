"""Cached aggregates: the KPIs a page shows, from a cube when one answers exactly.

Pages ask for :func:`comparison`, :func:`daily`, :func:`slot_table` and
:func:`breakdown` (or :func:`aggregate_source` for a frame of their own); each is
cached on the dataset key, the window, the queues and the settings, and aggregates
the cached half-hour × queue cube (or a day × queue × dimension cube) whenever its
roll-up gives the same KPIs as the calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from ccmetrics import engine_source, kpi
from ccmetrics.cube import periods_roll_up
from ccmetrics.schema import DIMENSIONS, KpiSettings

if TYPE_CHECKING:
    from pages.common.data import Context

__all__ = [
    "CUBE_FREQ",
    "CUBE_DIMS",
    "DIM_CUBE_FREQ",
    "CUBE_ALWAYS_CALLS",
    "CUBE_MIN_SHARE",
    "aggregate_source",
    "comparison",
    "daily",
    "slot_table",
    "breakdown",
    "dimensions_present",
    "cube_key",
]


#: The cube the app aggregates long windows from (``ccmetrics.cube.build_cube``):
#: additive measures per half hour × queue. Every filter of the sidebar (date range,
#: queue) and every period the pages draw (30 min, hour, day, week) is a roll-up of
#: it, so KPIs from it equal KPIs from the calls (tests/test_app.py).
CUBE_FREQ = "30min"
CUBE_DIMS = ("queue",)
#: A breakdown by another dimension (team, agent, category, ...) over whole days comes
#: from a day × queue × <dimension> cube, built the first time that dimension is asked
#: for (the queue keeps the sidebar's filter exact). bench/run.py at 5M calls: the
#: Overview breakdown by team over a year costs 0.60 s on the calls.
DIM_CUBE_FREQ = "D"
#: Call-level datasets smaller than this always aggregate from the cube (it builds in
#: well under 0.1 s; the bundled sample has 193k calls).
CUBE_ALWAYS_CALLS = 500_000
#: For a larger dataset whose cube is not built yet (neither for the settings in force
#: nor, for a cheap update, for any settings), a window shorter than this share of the
#: data's span is computed from the calls instead of building the cube first.
#: bench/run.py at 5M calls: the cube builds in 0.8 s; the Overview from calls costs
#: 0.36 s for 28 days and 2.9 s for a year (≈ 8 ms a day), so building pays from about
#: a quarter of a year on, and every later view of any window then costs tens of
#: milliseconds. Once a cube of that shape has been built, a threshold change only
#: recounts the setting-dependent measures (``ccmetrics.cube.CubeIndex``, about 0.07 s
#: at 5M), so every window then uses the cube.
CUBE_MIN_SHARE = 0.25

#: Cubes built in this process, as ``(cube_key(...), freq, dims)`` (a cube whose key is
#: here is reused whatever the window; one evicted from the cache is only rebuilt,
#: never wrong).
_built_cubes: set[tuple] = set()
#: Cube shapes ``(dataset key, freq, dims)`` whose :class:`ccmetrics.cube.CubeIndex` is
#: built: a cube of that shape for other settings is then a cheap update.
_built_indexes: set[tuple] = set()


def cube_key(key: str, settings: KpiSettings) -> tuple:
    """The cache key of a cube: the dataset and the settings that change its counts."""
    return (
        key,
        float(settings.sl_threshold_s),
        float(settings.short_abandon_s),
        float(settings.csat_top_box),
        float(settings.fcr_window_h),
        str(settings.fcr_method),
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def _cube_index(key: str, freq: str, dims: tuple[str, ...], _frame: pd.DataFrame):
    """The setting-independent part of a cube of the dataset ``key`` (cell of every call,
    sums that no setting changes): built once per dataset and cube shape, whatever the
    settings (the prepared frames of other FCR windows have the same rows)."""
    from ccmetrics.cube import CubeIndex

    index = CubeIndex(_frame, freq, [d for d in dims if d in _frame.columns])
    _built_indexes.add((key, freq, dims))
    return index


def _cube_of(
    key: str, freq: str, dims: tuple[str, ...], settings_key: tuple, frame: pd.DataFrame
) -> pd.DataFrame:
    """The cube of shape ``freq`` × ``dims`` for the settings of ``settings_key``."""
    _, sl_threshold_s, short_abandon_s, csat_top_box, fcr_window_h, fcr_method = settings_key
    settings = KpiSettings(
        sl_threshold_s=sl_threshold_s,
        short_abandon_s=short_abandon_s,
        csat_top_box=csat_top_box,
        fcr_window_h=fcr_window_h,
        fcr_method=fcr_method,
    )
    built = _cube_index(key, freq, dims, _frame=frame).cube(frame, settings)
    _built_cubes.add((settings_key, freq, dims))
    return built


@st.cache_resource(show_spinner=False, max_entries=4)
def _cube(
    key: str,
    sl_threshold_s: float,
    short_abandon_s: float,
    csat_top_box: float,
    fcr_window_h: float,
    fcr_method: str,
    _frame: pd.DataFrame,
) -> pd.DataFrame:
    """The :data:`CUBE_FREQ` × :data:`CUBE_DIMS` cube of a prepared call-level frame (FCR
    flags already on it, so the cube's ``fcr_n``/``fcr_resolved`` are the flags computed
    on the whole data set); after a setting change an update of the cached
    ``CubeIndex``, equal to ``build_cube`` (tests/test_cube.py)."""
    settings_key = (key, sl_threshold_s, short_abandon_s, csat_top_box, fcr_window_h, fcr_method)
    return _cube_of(key, CUBE_FREQ, CUBE_DIMS, settings_key, _frame)


@st.cache_resource(show_spinner=False, max_entries=8)
def _dim_cube(
    key: str,
    dim: str,
    sl_threshold_s: float,
    short_abandon_s: float,
    csat_top_box: float,
    fcr_window_h: float,
    fcr_method: str,
    _frame: pd.DataFrame,
) -> pd.DataFrame:
    """The :data:`DIM_CUBE_FREQ` × queue × ``dim`` cube of a prepared call-level frame,
    built the first time a view asks for ``dim`` (as :func:`_cube` otherwise)."""
    settings_key = (key, sl_threshold_s, short_abandon_s, csat_top_box, fcr_window_h, fcr_method)
    return _cube_of(key, DIM_CUBE_FREQ, (*CUBE_DIMS, dim), settings_key, _frame)


@st.cache_data(show_spinner=False, max_entries=64)
def _comparison(key, start, end, queues, settings, _frame) -> pd.DataFrame:
    filters = {"queue": list(queues)} if queues else None
    return kpi.period_comparison(_frame, start, end, settings, filters=filters)


@st.cache_data(show_spinner=False, max_entries=64)
def _daily(key, start, end, queues, settings, _frame) -> pd.DataFrame:
    window = kpi.subset(_frame, start, end, {"queue": list(queues)} if queues else None)
    return kpi.compute(window, freq="D", settings=settings)


@st.cache_data(show_spinner=False, max_entries=64)
def _slot_table(key, start, end, queues, settings, _frame) -> pd.DataFrame:
    window = kpi.subset(_frame, start, end, {"queue": list(queues)} if queues else None)
    return kpi.weekday_slot_table(window, slot="30min", settings=settings)


@st.cache_data(show_spinner=False, max_entries=64)
def _breakdown(key, start, end, queues, settings, by, freq, _frame) -> pd.DataFrame:
    window = kpi.subset(_frame, start, end, {"queue": list(queues)} if queues else None)
    return kpi.compute(window, by=by, freq=freq, settings=settings)


def _args(ctx: Context, start=None, end=None):
    return (
        ctx.dataset.key,
        pd.Timestamp(start if start is not None else ctx.start),
        pd.Timestamp(end if end is not None else ctx.end_exclusive),
        ctx.queues,
        ctx.settings,
    )


def _cube_answers(freq: str | None, step: str = CUBE_FREQ) -> bool:
    """Whether periods of ``freq`` are unions of whole cube intervals of length ``step``
    (so a roll-up of the cube gives them exactly): none, a multiple of ``step``, or a
    week or month (whole days)."""
    return periods_roll_up(freq, step)


def aggregate_source(
    ctx: Context, dims=(), freq: str | None = None, start=None, end=None, *, by=None
) -> pd.DataFrame:
    """The frame a view's KPIs are aggregated from: a cube when one answers exactly.

    Parameters
    ----------
    ctx : Context
        The dataset and settings in force.
    dims : iterable of str
        Dimensions the view filters or groups on.
    freq : str, optional
        The period the view groups by.
    start, end : date-like, optional
        The window (default the date range in force), for the rules below.
    by : str, optional
        The dimension the view groups by (one of ``dims``; the others filter).

    Returns
    -------
    DataFrame
        For a call-level dataset: the cached cube :data:`CUBE_FREQ` × :data:`CUBE_DIMS`
        when every dimension is a cube dimension and every period a union of cube
        intervals; else the cached cube :data:`DIM_CUBE_FREQ` × queue × ``by`` when the
        view groups by ``by`` and filters on the queue only, the window is whole days
        and every period a union of days (a breakdown by team, agent, category, ...);
        otherwise the dataset's frame (interval exports, filters on other dimensions,
        periods finer than a cube's). Every source gives the same KPIs
        (``kpi.compute`` of a cube is exact; tests/test_app.py): the choice is only
        about cost.

    Notes
    -----
    A dataset of :data:`CUBE_ALWAYS_CALLS` calls or more whose cube of that shape is
    not built yet for the settings in force, nor ever built for other settings (its
    ``CubeIndex`` would make the update cheap), keeps a window shorter than
    :data:`CUBE_MIN_SHARE` of its span on the calls rather than wait for the cube; a
    longer window builds it, and every later view uses it.
    """
    ds = ctx.dataset
    frame = ds.frame
    if ds.kind != "calls" or "arrived_at" not in frame.columns:
        return frame
    first = pd.Timestamp(start if start is not None else ctx.start)
    last = pd.Timestamp(end if end is not None else ctx.end_exclusive)
    key = cube_key(ds.key, ctx.settings)
    others = set(dims) - set(CUBE_DIMS)
    if not others and _cube_answers(freq):
        shape = (CUBE_FREQ, CUBE_DIMS)

        def cube():
            return _cube(*key, _frame=frame)

    elif (
        by is not None
        and others == {by}
        and by in DIMENSIONS
        and by in frame.columns
        and _cube_answers(freq, DIM_CUBE_FREQ)
        and first == first.normalize()
        and last == last.normalize()
    ):
        shape = (DIM_CUBE_FREQ, (*CUBE_DIMS, by))

        def cube():
            return _dim_cube(key[0], by, *key[1:], _frame=frame)

    else:
        return frame
    if (
        len(frame) >= CUBE_ALWAYS_CALLS
        and (key, *shape) not in _built_cubes
        and (ds.key, *shape) not in _built_indexes
    ):
        span = (ds.last_day - ds.first_day).days + 1
        if (last - first).days < CUBE_MIN_SHARE * span:
            return frame
    return cube()


def _filter_dims(ctx: Context) -> tuple[str, ...]:
    return tuple(ctx.filters)


@st.cache_data(show_spinner=False, max_entries=64)
def _engine_comparison(digest, start, end, queues, settings, first_seen, _dataset):
    filters = {"queue": list(queues)} if queues else None
    return engine_source.period_comparison(
        _dataset, start, end, settings, filters=filters, first_seen=first_seen
    )


def comparison(ctx: Context) -> pd.DataFrame:
    """KPIs of the date range against the range of equal length before it (cached).

    On a data set on an engine both ranges are asked of the engine
    (:func:`ccmetrics.engine_source.period_comparison`, equal to
    :func:`ccmetrics.kpi.period_comparison`): the range before may lie before the period
    fetched.
    """
    view = ctx.dataset.engine
    if view is not None and view.dataset is not None:
        key, start, end, queues, settings = _args(ctx)
        return _engine_comparison(
            ctx.dataset.digest, start, end, queues, settings, view.first_seen, _dataset=view.dataset
        )
    return _comparison(*_args(ctx), _frame=aggregate_source(ctx, _filter_dims(ctx)))


def daily(ctx: Context) -> pd.DataFrame:
    """KPIs per day of the date range (cached)."""
    return _daily(*_args(ctx), _frame=aggregate_source(ctx, _filter_dims(ctx), "D"))


def slot_table(ctx: Context) -> pd.DataFrame:
    """KPIs per weekday × half hour over the date range (cached)."""
    return _slot_table(*_args(ctx), _frame=aggregate_source(ctx, _filter_dims(ctx), "30min"))


def breakdown(
    ctx: Context, by: str | None = None, freq: str | None = None, start=None, end=None
) -> pd.DataFrame:
    """KPIs per value of ``by`` and/or per period ``freq`` (cached; from a cube when one
    answers exactly, see :func:`aggregate_source`)."""
    dims = (*_filter_dims(ctx), *([by] if by else []))
    source = aggregate_source(ctx, dims, freq, start, end, by=by)
    return _breakdown(*_args(ctx, start, end), by, freq, _frame=source)


def dimensions_present(frame: pd.DataFrame) -> list[str]:
    """Canonical dimensions the data carries (with at least one value)."""
    return [d for d in DIMENSIONS if d in frame.columns and frame[d].notna().any()]
