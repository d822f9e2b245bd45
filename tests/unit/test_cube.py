"""Tests of ccmetrics.cube: additive measures roll up exactly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccmetrics import compare
from ccmetrics.cube import (
    SETTING_MEASURES,
    CubeIndex,
    answers_exactly,
    build_cube,
    period_start,
    periods_roll_up,
)
from ccmetrics.kpi import KPI_COLUMNS, KpiSettings, compute

WAITS = st.one_of(st.sampled_from([0.0, 4.9, 5.0, 19.9, 20.0, 20.1]), st.floats(0, 600))


@st.composite
def call_frames(draw):
    n = draw(st.integers(0, 40))
    minutes = draw(st.lists(st.integers(0, 3 * 24 * 60), min_size=n, max_size=n))
    answered = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    waits = draw(st.lists(WAITS, min_size=n, max_size=n))
    talk = draw(st.lists(st.floats(1, 900), min_size=n, max_size=n))
    csat = draw(st.lists(st.sampled_from([np.nan, 1.0, 3.0, 4.0, 5.0]), min_size=n, max_size=n))
    queues = draw(st.lists(st.sampled_from(["A", "B", None]), min_size=n, max_size=n))
    customers = draw(st.lists(st.sampled_from(["c1", "c2", "c3", None]), min_size=n, max_size=n))
    return pd.DataFrame(
        {
            "call_id": [f"id{i}" for i in range(n)],
            "arrived_at": pd.Timestamp("2025-03-03") + pd.to_timedelta(minutes, unit="min"),
            "queue": pd.Categorical(queues, categories=["A", "B"]),
            "customer_id": pd.array(customers, dtype="string"),
            "wait_s": np.array(waits, dtype=float),
            "answered": answered,
            "abandoned": ~answered,
            "talk_s": np.where(answered, talk, np.nan),
            "csat": np.where(answered, csat, np.nan),
        }
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    calls=call_frames(),
    by=st.sampled_from([None, "queue"]),
    freq=st.sampled_from([None, "30min", "h", "D", "W"]),
    formula=st.sampled_from(
        ["offered_excl_short", "answered", "abandons_ignored", "abandons_good", "offered"]
    ),
)
def test_compute_on_cube_equals_compute_on_calls(calls, by, freq, formula):
    kpi_settings = KpiSettings(sl_formula=formula)
    cube = build_cube(calls, freq="15min", dims=["queue"], settings=kpi_settings)
    from_calls = compute(calls, by=by, freq=freq, settings=kpi_settings)
    from_cube = compute(cube, by=by, freq=freq, settings=kpi_settings)
    keys = [c for c in ("queue", "period") if c in from_calls.columns]
    columns = keys + list(KPI_COLUMNS)
    pd.testing.assert_frame_equal(
        from_calls[columns].reset_index(drop=True),
        from_cube[columns].reset_index(drop=True),
        check_dtype=False,
        check_categorical=False,
        rtol=1e-9,
    )


def test_cube_counts_by_hand():
    calls = pd.DataFrame(
        {
            "arrived_at": pd.to_datetime(
                ["2025-01-01 08:01", "2025-01-01 08:14", "2025-01-01 08:20"]
            ),
            "queue": pd.Categorical(["A", "A", "B"]),
            "wait_s": [5.0, 25.0, 3.0],
            "answered": [True, True, False],
            "abandoned": [False, False, True],
        }
    )
    cube = build_cube(calls, "15min")
    # 08:00-08:15 queue A: 2 offered, 1 within 20 s, wait sum 30; 08:15 queue B: 1 short abandon
    assert cube[["offered", "answered_in_sl", "wait_s_sum", "short_abandoned"]].values.tolist() == [
        [2.0, 1.0, 30.0, 0.0],
        [1.0, 0.0, 0.0, 1.0],
    ]
    assert cube["interval_minutes"].tolist() == [15.0, 15.0]
    assert np.isnan(cube["handle_s_sum"]).all()  # no talk column: unknown, not 0


def test_cube_refuses_other_thresholds():
    calls = pd.DataFrame(
        {
            "arrived_at": pd.to_datetime(["2025-01-01"]),
            "wait_s": [1.0],
            "answered": [True],
            "abandoned": [False],
        }
    )
    cube = build_cube(calls, "15min")
    with pytest.raises(ValueError, match="sl_threshold_s=20.0"):
        compute(cube, settings=KpiSettings(sl_threshold_s=30))


def test_period_start():
    times = pd.Series(pd.to_datetime(["2025-03-12 10:44", "2025-03-16 23:59", "2025-03-31 12:00"]))
    assert period_start(times, "W").dt.strftime("%Y-%m-%d").tolist() == ["2025-03-10"] * 2 + [
        "2025-03-31"
    ]
    assert period_start(times, "MS").dt.strftime("%Y-%m-%d").tolist() == ["2025-03-01"] * 3
    assert period_start(times, "30min").dt.strftime("%H:%M").tolist() == ["10:30", "23:30", "12:00"]


# --------------------------------------------------------------------------- CubeIndex
#
# Reference: ``build_cube`` itself. ``CubeIndex.cube`` counts the setting-dependent
# measures apart from the rest; counts are sums of 0/1 values, exact in float64, so the
# two must agree bit for bit (values, dtypes, row order, attrs) for any settings.

SETTING_CASES = [
    KpiSettings(),
    KpiSettings(sl_threshold_s=30),
    KpiSettings(sl_threshold_s=0, short_abandon_s=0),
    KpiSettings(short_abandon_s=10, csat_top_box=5),
    KpiSettings(sl_threshold_s=45, short_abandon_s=3, csat_top_box=3, fcr_window_h=24),
    KpiSettings(fcr_method="resolved_flag"),
    KpiSettings(),  # back to the first: served from the kept counts
]


def assert_same_cube(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(got, expected, check_exact=True)
    assert got.attrs == expected.attrs


@pytest.mark.parametrize(
    ("freq", "dims"), [("30min", ["queue"]), ("D", ["queue", "team"]), ("D", ["queue", "agent"])]
)
def test_cube_index_equals_build_cube_on_the_sample(sample_calls, freq, dims):
    from ccmetrics.kpi import add_fcr_flags

    prepared = add_fcr_flags(sample_calls)
    index = CubeIndex(prepared, freq, dims)
    assert index.fast  # the sample's keys and values take the counting route
    for case in SETTING_CASES:
        # the app's frame: FCR flags computed for the settings' window on the whole data
        flagged = add_fcr_flags(sample_calls, case)
        assert_same_cube(index.cube(flagged, case), build_cube(flagged, freq, dims, case))
        # a frame without flags: FCR computed from the settings, as build_cube does
        assert_same_cube(index.cube(sample_calls, case), build_cube(sample_calls, freq, dims, case))


def test_cube_index_counts_a_threshold_change_by_hand():
    calls = pd.DataFrame(
        {
            "arrived_at": pd.to_datetime(
                ["2025-01-01 08:01", "2025-01-01 08:14", "2025-01-01 08:20"]
            ),
            "queue": pd.Categorical(["A", "A", "B"]),
            "wait_s": [5.0, 25.0, 3.0],
            "answered": [True, True, False],
            "abandoned": [False, False, True],
        }
    )
    index = CubeIndex(calls, "15min")
    # T = 30 s: both answered calls of 08:00 queue A (5 s, 25 s) are within T; S = 2 s:
    # the 3 s abandon of 08:15 queue B is no longer short
    cube = index.cube(calls, KpiSettings(sl_threshold_s=30, short_abandon_s=2))
    assert cube[["answered_in_sl", "abandoned_in_sl", "short_abandoned"]].values.tolist() == [
        [2.0, 0.0, 0.0],
        [0.0, 1.0, 0.0],
    ]
    assert cube.attrs["ccmetrics_settings"]["sl_threshold_s"] == 30
    with pytest.raises(ValueError, match="built on 3 calls, not 2"):
        index.cube(calls.iloc[:2], KpiSettings())


def test_setting_measures_are_the_only_ones_settings_change(sample_calls):
    """The split behind CubeIndex: every measure outside SETTING_MEASURES is the same
    under settings that differ in every count-changing value."""
    calls = sample_calls.iloc[:20_000]
    one = build_cube(calls, "30min", ["queue"], KpiSettings())
    other = build_cube(
        calls,
        "30min",
        ["queue"],
        KpiSettings(sl_threshold_s=40, short_abandon_s=9, csat_top_box=5, fcr_window_h=12),
    )
    fixed = [c for c in one.columns if c not in SETTING_MEASURES]
    pd.testing.assert_frame_equal(one[fixed], other[fixed], check_exact=True)
    changed = [c for c in SETTING_MEASURES if not one[c].equals(other[c])]
    assert changed == list(SETTING_MEASURES)  # and each of them does change here


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    calls=call_frames(),
    whole=st.booleans(),
    freq=st.sampled_from(["15min", "30min", "D"]),
    cases=st.lists(
        st.tuples(
            st.sampled_from([0.0, 5.0, 19.9, 20.0, 20.1, 60.0]),
            st.sampled_from([0.0, 4.9, 5.0, 10.0]),
            st.sampled_from([1.0, 4.0, 5.0]),
            st.sampled_from([1.0, 24.0, 72.0]),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_cube_index_equals_build_cube_property(calls, whole, freq, cases):
    if whole:  # whole seconds: the counting route (otherwise build_cube's pandas route)
        calls = calls.assign(wait_s=calls["wait_s"].round(), talk_s=calls["talk_s"].round())
    index = CubeIndex(calls, freq, ["queue"])
    for sl, short, box, window in cases:
        case = KpiSettings(
            sl_threshold_s=sl, short_abandon_s=short, csat_top_box=box, fcr_window_h=window
        )
        assert_same_cube(index.cube(calls, case), build_cube(calls, freq, ["queue"], case))


# --------------------------------------------------------------------------- the exactness rule


@pytest.mark.parametrize(
    ("freq", "step", "expected"),
    [
        (None, "30min", True),  # no time grouping: the window is a union of intervals
        ("30min", "30min", True),
        ("h", "30min", True),  # 60 min = 2 × 30 min
        ("90min", "30min", True),
        ("45min", "30min", False),  # 45 mod 30 = 15: periods straddle intervals
        ("15min", "30min", False),  # finer than the cube
        ("D", "30min", True),
        ("h", "D", False),
        ("D", "D", True),
        ("W", "D", True),  # weeks and months are unions of days
        ("W-SUN", "D", True),
        ("MS", "D", True),
        ("not-a-frequency", "D", False),
    ],
)
def test_periods_roll_up_when_a_period_is_a_whole_number_of_intervals(freq, step, expected):
    assert periods_roll_up(freq, step) is expected


def test_answers_exactly_needs_cube_dimensions_aligned_window_and_a_proportion_to_compare():
    day_cube = (("queue", "team"), "D")
    assert answers_exactly(*day_cube, dims=("queue", "team"))
    # a filter on the agent, or a case mix by category: dimensions the cube does not hold
    assert not answers_exactly(*day_cube, dims=("team", "agent"))
    assert not answers_exactly(*day_cube, dims=("team", "queue", "category"))
    # the window must start and end on interval boundaries (midnights for a day cube)
    assert answers_exactly(*day_cube, start="2025-03-04", end="2025-04-01")
    assert not answers_exactly(*day_cube, start="2025-03-04 12:00", end="2025-04-01")
    assert not answers_exactly(*day_cube, start="2025-03-04", end="2025-04-01 00:30")
    assert answers_exactly(("queue",), "30min", start="2025-03-04 12:30", freq="h")
    assert not answers_exactly(("queue",), "30min", freq="15min")
    # a comparison needs each unit's spread: a proportion has it from its two counts, a
    # mean needs every call's value; every compare metric is one or the other
    for metric in compare.PROPORTION_METRICS:
        assert answers_exactly(*day_cube, dims=("team",), metric=metric, spread=True), metric
    for metric in compare.MEAN_METRICS:
        assert not answers_exactly(*day_cube, dims=("team",), metric=metric, spread=True), metric
    # without a comparison, a mean KPI rolls up exactly (sum and n are additive)
    assert answers_exactly(*day_cube, dims=("team",), metric="aht_s")
    with pytest.raises(ValueError, match="metric"):
        answers_exactly(*day_cube, spread=True)
