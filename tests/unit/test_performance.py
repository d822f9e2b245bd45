"""Regression guards for the app's speed (no wall-clock times).

Speed is measured by ``bench/run.py``, never here. These tests pin what the
speed rests on, in quantities that do not depend on the machine's load:

* the memory of the canonical frame (bytes per call) and the peak Python/NumPy
  memory of a load (the file is never decoded or copied whole);
* ``kpi.compute`` and ``build_cube`` on calls never build the per-call table
  of 31 measures;
* every fast path gives bit for bit the result of the straightforward pandas
  computation it replaces (the reference each test states).
"""

from __future__ import annotations

import dataclasses
import importlib
import pkgutil
import tracemalloc

import numpy as np
import pandas as pd
import pytest

from ccmetrics import cube, drill, io, kpi, sample
from ccmetrics.io.calls import _duplicated
from ccmetrics.io.read import _source_bytes
from ccmetrics.schema import DIMENSIONS, KpiSettings
from tests.unit.conftest import export_csv


@pytest.fixture(scope="module")
def month() -> pd.DataFrame:
    """About 31,000 generated calls (30 days at scale 0.5)."""
    return sample.generate_calls(days=30, scale=0.5)


@pytest.fixture(scope="module")
def large() -> pd.DataFrame:
    """About 150,000 generated calls: above the 100,000-row thresholds of the id fast paths."""
    return sample.generate_calls(days=60, scale=1.2)


# --------------------------------------------------------------------------- memory


def test_canonical_frame_bytes_per_call(month):
    # Hand count of the canonical frame per call: 9 float64 columns (wait, ivr,
    # talk, hold, acw, csat, qa, cost, entry_completeness) 72 B; arrived_at 8 B;
    # answered, abandoned 2 B; 5 nullable booleans (value + mask: transferred,
    # resolved, ivr_contained, complaint, business_error) 10 B; 7 categoricals with
    # int8/int16 codes (6 dimensions, evaluator) about 8 B; call_id 14 characters +
    # 8 B Arrow offset = 22 B; customer_id 11 + 8 = 19 B. Total about 141 B. Strings
    # as Python objects (~60 B each) or dimensions as strings would push it far above 155.
    frame = io.load(export_csv(month)).frame
    per_call = frame.memory_usage(deep=True).sum() / len(frame)
    assert 100 < per_call <= 155
    for name in DIMENSIONS:
        assert isinstance(frame[name].dtype, pd.CategoricalDtype), name
    assert not any(pd.api.types.is_object_dtype(dtype) for dtype in frame.dtypes)


def test_load_peak_python_memory_per_call(month):
    # Peak of Python and NumPy allocations during io.load of bytes (Arrow's own
    # buffers are not traced). Measured when written: 159 B per call with the
    # streaming decode; the earlier loader, which decoded the whole file into a
    # str and consolidated the frame by copying, peaked at 318 B per call.
    data = export_csv(month)
    io.load(data)  # imports and caches out of the measurement
    tracemalloc.start()
    try:
        frame = io.load(data).frame
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak / len(frame) < 220


def test_loaded_columns_are_writable(month):
    # The loader wraps its own arrays instead of copying them: they must still
    # be ordinary writable columns for a caller.
    frame = io.load(export_csv(month)).frame
    frame.loc[0, "wait_s"] = 1.0
    frame.loc[0, "csat"] = 5.0
    frame.loc[0, "answered"] = True
    assert frame.loc[0, "wait_s"] == 1.0 and frame.loc[0, "csat"] == 5.0


# --------------------------------------------------------------------------- passes


def _reference_compute(calls, by=None, freq=None, settings=None, keep_sums=False):
    """The pandas computation kpi.compute replaced: per-call measures, then group-by sum."""
    settings = settings or KpiSettings()
    table = cube.call_measures(calls, settings)
    keys = []
    if freq is not None:
        table.insert(0, "period", cube.period_start(calls["arrived_at"], freq))
        keys.append("period")
    by = [] if by is None else [by] if isinstance(by, str) else list(by)
    for position, column in enumerate(by):
        table.insert(position, column, calls[column])
    keys = [*by, *keys]
    if keys:
        sums = table.groupby(keys, observed=True, dropna=False, sort=True)[list(cube.MEASURES)]
        sums = sums.sum(min_count=1).reset_index()
    else:
        sums = table[list(cube.MEASURES)].sum(min_count=1).to_frame().T
    result = kpi.derive(sums, settings)
    if keep_sums:
        result = pd.concat([result, sums[list(cube.MEASURES)].add_suffix("__sum")], axis=1)
    return result


def test_compute_on_calls_builds_no_per_call_table(month, monkeypatch):
    expected = _reference_compute(month, by="queue", freq="D")
    expected_cube = cube.build_cube(month, "30min", ["queue"])

    def refuse(*args, **kwargs):
        raise AssertionError("the per-call measure table was built")

    monkeypatch.setattr(cube, "call_measures", refuse)
    monkeypatch.setattr(kpi, "measures", refuse)
    pd.testing.assert_frame_equal(kpi.compute(month, by="queue", freq="D"), expected)
    pd.testing.assert_frame_equal(cube.build_cube(month, "30min", ["queue"]), expected_cube)


@pytest.mark.parametrize(
    "by, freq",
    [
        (None, None),
        (None, "30min"),
        (None, "D"),
        (None, "W"),
        ("queue", "D"),
        (["team", "agent"], None),
        (["queue", "segment"], "h"),
        ("category", "MS"),
    ],
)
def test_fast_group_sums_equal_pandas_groupby(month, by, freq):
    # Reference: call_measures + DataFrame.groupby(...).sum(min_count=1), the
    # computation before the exact bincount sums. Equality is bit for bit.
    rng = np.random.default_rng(7)
    messy = month.sample(frac=1, random_state=3)  # rows out of time order
    messy["queue"] = messy["queue"].where(rng.random(len(messy)) > 0.05)  # missing keys
    settings = KpiSettings(sl_threshold_s=30, short_abandon_s=3, sl_formula="answered")
    for frame in (month, messy, kpi.add_fcr_flags(month)):
        got = kpi.compute(frame, by=by, freq=freq, settings=settings, keep_sums=True)
        want = _reference_compute(frame, by=by, freq=freq, settings=settings, keep_sums=True)
        pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_fractional_seconds_take_the_pandas_route(month):
    # Sums of numbers that are not whole are order-dependent in floating point:
    # they must come from pandas' own (compensated) group-by sum, unchanged.
    frame = month.assign(wait_s=month["wait_s"] + 0.37, talk_s=month["talk_s"] * 1.1)
    got = kpi.compute(frame, by="queue", freq="D", keep_sums=True)
    want = _reference_compute(frame, by="queue", freq="D", keep_sums=True)
    pd.testing.assert_frame_equal(got, want, check_exact=True)


# --------------------------------------------------------------------------- id fast paths


def test_fcr_numeric_ids_match_string_ids(large):
    # Reference: the same customers written as non-numeric strings ("C" + id),
    # which take the string (factorize) route; the numeric route must agree.
    numeric = cube.fcr_flags(large)
    text = large.assign(customer_id="C" + large["customer_id"])
    pd.testing.assert_frame_equal(numeric, cube.fcr_flags(text))
    shuffled = large.sample(frac=1, random_state=5)  # the lexsort route
    pd.testing.assert_frame_equal(cube.fcr_flags(shuffled).sort_index(), numeric)


def test_duplicate_numeric_ids_match_pandas():
    # Reference: pandas Series.duplicated(keep="first").
    rng = np.random.default_rng(11)
    for largest in (10**6, 10**17):
        values = rng.integers(1, largest, 150_000)
        values[rng.integers(0, len(values), 3_000)] = values[0]
        ids = pd.Series(values.astype(str), dtype="string")
        np.testing.assert_array_equal(_duplicated(ids), ids.duplicated().to_numpy())
    padded = pd.Series(["007", "7"] * 60_000, dtype="string")  # equal numbers, different ids
    np.testing.assert_array_equal(_duplicated(padded), padded.duplicated().to_numpy())


# --------------------------------------------------------------------------- windows


def test_subset_slice_equals_mask(month):
    # Reference: the boolean mask start <= arrived_at < end (and the filter).
    start, end = pd.Timestamp("2025-01-10 09:30"), pd.Timestamp("2025-01-20")
    times = month["arrived_at"]
    mask = (times >= start) & (times < end) & month["queue"].isin(["VIP"])
    got = kpi.subset(month, start, end, {"queue": ["VIP"]})
    pd.testing.assert_frame_equal(got, month[mask])


def test_slot_labels_equal_strftime():
    # Reference: Series.dt.floor(slot).dt.strftime("%H:%M").
    times = pd.Series(
        pd.to_datetime(["2025-01-01 08:14:59", None, "1969-12-31 23:59:59", "1900-03-01 00:31:00"])
    )
    for slot in ("15min", "30min", "h"):
        want = times.dt.floor(slot).dt.strftime("%H:%M").to_numpy()
        got = kpi._slot_labels(times, slot)
        assert [str(v) for v in got] == [str(v) for v in want]


# --------------------------------------------------------------------------- drill-down windows


def _assert_same(got, want, where="explanation"):
    """Equal field by field: frames exactly (values, dtypes, index), floats NaN-aware."""
    if isinstance(want, pd.DataFrame):
        pd.testing.assert_frame_equal(got, want, check_exact=True, obj=where)
    elif isinstance(want, drill.Explanation):
        # the cause ranking is computed when first read (a stored callable, not compared):
        # compare what it gives, then every compared field
        _assert_same(got.cause_ranking, want.cause_ranking, f"{where}.cause_ranking")
        for field in dataclasses.fields(drill.Explanation):
            if field.compare:
                _assert_same(
                    getattr(got, field.name), getattr(want, field.name), f"{where}.{field.name}"
                )
    elif isinstance(want, dict):
        assert got.keys() == want.keys(), where
        for key in want:
            _assert_same(got[key], want[key], f"{where}[{key!r}]")
    elif isinstance(want, (list, tuple)):
        assert len(got) == len(want), where
        for index, (left, right) in enumerate(zip(got, want, strict=True)):
            _assert_same(left, right, f"{where}[{index}]")
    elif isinstance(want, float) and np.isnan(want):
        assert isinstance(got, float) and np.isnan(got), where
    else:
        assert got == want, where


@pytest.fixture(scope="module")
def flagged(month) -> pd.DataFrame:
    """The month with its FCR flags, as the app holds it after an upload (time-ordered)."""
    frame = kpi.add_fcr_flags(month, KpiSettings())
    assert frame["arrived_at"].is_monotonic_increasing
    return frame


def _masked(monkeypatch):
    """The straightforward route: every window a boolean mask over the whole frame
    (``frame[(t >= start) & (t < end)]``, ``t.min()``/``t.max()`` for the span) and
    every column kept: what ``drill`` did before its windows became slices. The helpers are
    patched in every module of the package that reads them."""
    patched = {"_time_ordered": 0, "_read_columns": 0}
    for info in pkgutil.iter_modules(drill.__path__):
        module = importlib.import_module(f"{drill.__name__}.{info.name}")
        if hasattr(module, "_time_ordered"):
            monkeypatch.setattr(module, "_time_ordered", lambda times: False)
            patched["_time_ordered"] += 1
        if hasattr(module, "_read_columns"):
            monkeypatch.setattr(module, "_read_columns", lambda frame, keep=(): frame)
            patched["_read_columns"] += 1
    assert all(patched.values()), patched


def test_drill_window_rows_equal_mask(flagged):
    # Reference: frame[(t >= start) & (t < end)] over the union of the windows, and
    # the index of the window holding each row. Windows given out of time order.
    times = flagged["arrived_at"]
    windows = [
        (pd.Timestamp("2025-01-22 09:00"), pd.Timestamp("2025-01-22 12:00")),
        (pd.Timestamp("2025-01-08 09:00"), pd.Timestamp("2025-01-08 12:00")),
        (pd.Timestamp("2025-01-15 09:00"), pd.Timestamp("2025-01-15 09:00:01")),
        (pd.Timestamp("2025-01-29 23:00"), pd.Timestamp("2025-02-03")),
    ]
    ids = np.full(len(flagged), -1)
    for index, (start, end) in enumerate(windows):
        ids[((times >= start) & (times < end)).to_numpy()] = index
    assert drill._time_ordered(times)
    rows, got_ids = drill._window_rows(flagged, times, windows, ordered=True)
    pd.testing.assert_frame_equal(rows, flagged[ids >= 0])
    np.testing.assert_array_equal(got_ids, ids[ids >= 0])
    np.testing.assert_array_equal(drill._window_ids(times, windows, ordered=True), ids)


def test_drill_time_order_equals_pandas():
    # Reference: Series.is_monotonic_increasing (a NaT or NaN anywhere: not ordered).
    cases = [
        pd.Series(pd.to_datetime(["2025-01-01", "2025-01-01", "2025-01-02"])),
        pd.Series(pd.to_datetime(["2025-01-02", "2025-01-01"])),
        pd.Series(pd.to_datetime(["2025-01-01", None, "2025-01-02"])),
        pd.Series(pd.to_datetime(["2025-01-01", "2025-01-02", None])),
        pd.Series([1.0, 2.0, np.nan]),
        pd.Series([1, 2, 2, 3]),
        pd.Series(pd.to_datetime(["2025-01-01", "2025-01-02"]).tz_localize("Europe/Paris")),
    ]
    for times in cases:
        assert drill._time_ordered(times) == times.is_monotonic_increasing, times.tolist()
    assert not drill._time_ordered(pd.Series([], dtype="datetime64[ns]"))


@pytest.mark.parametrize("metric", ["service_level", "aht_s", "offered"])
def test_drill_explain_slices_equal_masks(flagged, monkeypatch, metric):
    # Reference: the same explanation by the masked route (_masked): every table,
    # total, summary, baseline window and driver bit for bit.
    anomaly = ("2025-01-29 08:00", "2025-01-30 00:00")
    got = drill.explain(flagged, anomaly, metric=metric)
    got_level = drill.decompose(
        flagged, anomaly, None, "segment", metric=metric, path={"category": "Billing enquiry"}
    )
    got_ids = drill.decompose(
        flagged, anomaly, None, "queue", path={"customer_id": flagged["customer_id"].iloc[-1]}
    )
    got_table = drill.default_baseline(flagged, anomaly, metric=metric)
    _masked(monkeypatch)
    _assert_same(got, drill.explain(flagged, anomaly, metric=metric))
    want_level = drill.decompose(
        flagged, anomaly, None, "segment", metric=metric, path={"category": "Billing enquiry"}
    )
    _assert_same(got_level, want_level, "decompose")
    want_ids = drill.decompose(
        flagged, anomaly, None, "queue", path={"customer_id": flagged["customer_id"].iloc[-1]}
    )
    _assert_same(got_ids, want_ids, "decompose by customer")
    _assert_same(got_table, drill.default_baseline(flagged, anomaly, metric=metric), "baseline")
    _assert_same(got_level.attrs, want_level.attrs, "decompose node")
    assert got_level["n_anomaly"].sum() > 0 and len(got.table) > 0


def test_drill_rows_keep_ids_fcr_needs(month):
    # Without FCR flags the ids feed FCR: they are read, so kept; with flags they are
    # dropped unless a dimension names them.
    assert drill._read_columns(month) is month
    frame = kpi.add_fcr_flags(month, KpiSettings())
    assert "customer_id" not in drill._read_columns(frame).columns
    assert "call_id" not in drill._read_columns(frame).columns
    assert "customer_id" in drill._read_columns(frame, ["customer_id"]).columns


def test_drill_explain_on_a_cube_slices_equal_masks(month, monkeypatch):
    # Reference: the masked route (_masked) on a 30-minute cube (interval rows, time-ordered).
    table = cube.build_cube(month, "30min", ["queue", "category"], KpiSettings())
    assert table["interval_start"].is_monotonic_increasing
    anomaly = ("2025-01-29 08:00", "2025-01-30 00:00")
    got = drill.explain(table, anomaly)
    _masked(monkeypatch)
    _assert_same(got, drill.explain(table, anomaly))


def test_drill_element_calls_slices_equal_masks(flagged):
    # Reference: frame[filter & (start <= t < end)] over the whole frame, as element_calls
    # computed it before (_filter_mask of the element and _window_ids of the windows).
    times = flagged["arrived_at"]
    one = (pd.Timestamp("2025-01-29 08:00"), pd.Timestamp("2025-01-30"))
    two = [one, (pd.Timestamp("2025-01-15 08:00"), pd.Timestamp("2025-01-15 12:00"))]
    elements = [None, {"queue": "VIP"}, {"queue": "General", "team": np.nan}, {"team": "none"}]
    for element in elements:
        keep = drill._filter_mask(flagged, element or {})
        for windows in (one, [one], two):
            window_keep = drill._window_ids(times, drill._windows(windows), ordered=False) >= 0
            got = drill.element_calls(flagged, element, windows)
            pd.testing.assert_frame_equal(got, flagged[keep & window_keep])
    with pytest.raises(ValueError, match="no column 'shop'"):
        drill.element_calls(flagged, {"shop": "x"}, [one, one])


# --------------------------------------------------------------------------- uploads (app side)


def test_uploaded_bytes_reach_the_loader_without_a_copy(month, monkeypatch):
    # The path of an upload: Streamlit's UploadedFile (a BytesIO over the
    # received bytes) -> getvalue() -> session_state["upload"]["data"] ->
    # pages.common._load_bytes (a BytesIO over them) -> io.load, which reads
    # them with .read(). CPython's BytesIO shares a bytes object it is given
    # and hands it back whole from getvalue()/read(), so every step must see
    # the very same object: one copy of the file in memory, the received one.
    from streamlit.runtime.uploaded_file_manager import UploadedFile, UploadedFileRec

    from pages import common

    data = export_csv(month)
    record = UploadedFileRec(file_id="f", name="calls.csv", type="text/csv", data=data)
    value = UploadedFile(record, None).getvalue()
    assert value is data
    seen = []
    original = io.load

    def spy(source, *args, **kwargs):
        seen.append(_source_bytes(source)[0])
        return original(source, *args, **kwargs)

    monkeypatch.setattr(io, "load", spy)
    common._load_bytes("calls.csv", value, None, None, "digest")
    assert len(seen) == 1 and seen[0] is data


def test_progress_is_reported_per_stage_not_per_row(month, large):
    # progress=None costs four `is not None` checks; a callback is called once
    # per stage boundary whatever the size of the file (never per row or block).
    for calls in (month, large):
        stages: list[str] = []
        io.load(
            export_csv(calls), progress=lambda stage, _fraction, seen=stages: seen.append(stage)
        )
        assert stages == ["reading", "parsing", "building", "done"]


@pytest.mark.parametrize(("freq", "dims"), [("30min", ["queue"]), ("D", ["queue", "team"])])
def test_a_setting_change_recounts_only_the_setting_dependent_measures(
    month, freq, dims, monkeypatch
):
    """A cube for new thresholds from a ``CubeIndex`` groups no key and computes no
    setting-independent measure again, and equals ``build_cube`` (the reference: the
    full build, itself guarded above against the pandas group-by) bit for bit."""
    flagged = kpi.add_fcr_flags(month)
    index = cube.CubeIndex(flagged, freq, dims)
    assert index.fast
    changed = KpiSettings(sl_threshold_s=30, short_abandon_s=8, csat_top_box=5)
    expected = cube.build_cube(flagged, freq, dims, changed)
    index.cube(flagged, KpiSettings())  # the app's first cube

    def refuse(*args, **kwargs):
        raise AssertionError("a setting change went over every key or measure of the calls")

    monkeypatch.setattr(cube, "_group_index", refuse)
    monkeypatch.setattr(cube, "_call_measure_arrays", refuse)
    monkeypatch.setattr(cube, "call_measures", refuse)
    monkeypatch.setattr(cube, "build_cube", refuse)
    counted = []
    original = cube._setting_arrays

    def record(calls, settings, groups=tuple(cube.SETTING_GROUPS), *args, **kwargs):
        counted.extend(groups)
        return original(calls, settings, groups, *args, **kwargs)

    monkeypatch.setattr(cube, "_setting_arrays", record)
    got = index.cube(flagged, changed)
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got.attrs == expected.attrs
    # T, S and the CSAT box changed; FCR flags come from the frame's columns and are
    # recounted every time
    assert sorted(counted) == ["csat", "fcr", "short", "sl"]
    counted.clear()
    index.cube(flagged, changed)  # the same settings again: only the frame's FCR flags
    assert counted == ["fcr"]
