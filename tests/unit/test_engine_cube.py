"""Tests of the cubes kept in ccmetrics.engine: their roll-ups equal kpi.compute on the calls.

The reference for every expected value is ``kpi.compute`` (the tested pandas path)
on the calls of the window, flagged for FCR on the whole data set
(``kpi.add_fcr_flags``), as the app computes them; each test also checks that
the cube answered (its shape is kept in the data set), so a change of routing
cannot make the comparison compare the calls with themselves.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ccmetrics import kpi
from ccmetrics.engine import CUBE_FREQ, DIM_CUBE_FREQ, Dataset
from ccmetrics.schema import KpiSettings
from tests.unit.test_engine import assert_same_kpis, edge_calls


def reference(calls, by=(), freq=None, settings=None, start=None, end=None, filters=None):
    """The KPIs of the calls of [start, end) matching ``filters``, FCR of the whole data."""
    settings = settings or KpiSettings()
    window = kpi.subset(kpi.add_fcr_flags(calls, settings), start, end, filters)
    return kpi.compute(window, by=list(by), freq=freq, settings=settings)


def test_cube_shapes():
    data = Dataset(edge_calls())
    assert data.cube_shape() == (CUBE_FREQ, ("queue",))
    assert data.cube_shape("queue", "h", "2025-03-03 08:30", "2025-03-04") == (
        CUBE_FREQ,
        ("queue",),
    )
    assert data.cube_shape(freq="15min") is None  # finer than the cube
    assert data.cube_shape(start="2025-03-03 08:10") is None  # not on a half hour
    day = (DIM_CUBE_FREQ, ("queue", "team"))
    assert data.cube_shape("team", "W", "2025-03-03", "2025-03-05", {"queue": ["A"]}) == day
    assert data.cube_shape("team", "h") is None  # hours of a day cube
    assert data.cube_shape("team", start="2025-03-03 12:00") is None
    assert data.cube_shape(["team", "category"]) is None  # two more dimensions
    assert data.cube_shape("call_id") is None  # not a dimension


@pytest.mark.parametrize("freq", [None, "30min", "h", "D", "W"])
@pytest.mark.parametrize(
    ("start", "end", "filters"),
    [
        (None, None, None),
        ("2025-03-03 08:30", "2025-03-05", None),
        ("2025-03-03", "2025-03-07", {"queue": ["B"]}),
        (None, None, {"queue": ["A", "B"]}),
    ],
)
def test_edge_roll_ups_equal_compute(freq, start, end, filters):
    calls = edge_calls()
    data = Dataset(calls)
    for by in ([], ["queue"]):
        got = data.kpis(by, freq, start=start, end=end, filters=filters)
        expected = reference(calls, by, freq, start=start, end=end, filters=filters)
        assert_same_kpis(got, expected, [*by, *(["period"] if freq else [])])
    assert (CUBE_FREQ, ("queue",)) in data._cubes


def test_edge_threshold_and_fcr_changes_back_and_forth():
    """Setting-dependent counts are recounted per setting value and kept; a return to an
    earlier value, another FCR window or method never mixes two settings' counts."""
    calls = edge_calls()
    data = Dataset(calls)
    sequence = [
        KpiSettings(),
        KpiSettings(sl_threshold_s=2),
        KpiSettings(sl_threshold_s=2, short_abandon_s=1.0, csat_top_box=5),
        KpiSettings(fcr_window_h=24),
        KpiSettings(fcr_method="resolved_flag", sl_threshold_s=45),
        KpiSettings(),
        KpiSettings(sl_threshold_s=2),
    ]
    for settings in sequence:
        for by, freq in (([], "D"), (["queue"], "30min")):
            expected = reference(calls, by, freq, settings, "2025-03-03", "2025-03-08")
            got = data.kpis(by, freq, settings, "2025-03-03", "2025-03-08")
            assert_same_kpis(got, expected, [*by, "period"])
    cube = data._cubes[(CUBE_FREQ, ("queue",))]
    assert ("sl", (2,)) in cube.parts and ("fcr", (24, "auto")) in cube.parts
    # by hand: T = 2 s keeps the answered waits 0.0 and 2.0 in SL; 4 / 9 at the default 20 s
    assert data.kpis(settings=KpiSettings(sl_threshold_s=2)).answered_in_sl.iloc[0] == 2


def test_old_setting_values_are_dropped_and_recounted():
    calls = edge_calls()
    data = Dataset(calls)
    thresholds = range(1, Dataset.KEEP + 4)
    for threshold in thresholds:
        data.kpis(settings=KpiSettings(sl_threshold_s=threshold))
    cube = data._cubes[(CUBE_FREQ, ("queue",))]
    assert sum(1 for key in cube.parts if key[0] == "sl") == Dataset.KEEP
    for threshold in (1, thresholds[-1]):  # 1 was dropped: counted again
        settings = KpiSettings(sl_threshold_s=threshold)
        assert_same_kpis(
            data.kpis("queue", settings=settings),
            reference(calls, ["queue"], settings=settings),
            ["queue"],
        )


@pytest.mark.parametrize("freq", [None, "D", "W"])
def test_edge_day_cube_by_another_dimension(freq):
    calls = edge_calls()
    data = Dataset(calls)
    for settings in (KpiSettings(), KpiSettings(sl_threshold_s=30, fcr_window_h=24)):
        for filters in (None, {"queue": ["B"]}, {"team": ["T1"]}):
            got = data.kpis("team", freq, settings, "2025-03-03", "2025-03-06", filters)
            expected = reference(
                calls, ["team"], freq, settings, "2025-03-03", "2025-03-06", filters
            )
            assert_same_kpis(got, expected, ["team", *(["period"] if freq else [])])
    assert (DIM_CUBE_FREQ, ("queue", "team")) in data._cubes


def test_a_short_window_before_any_cube_is_answered_from_the_calls():
    calls = edge_calls()
    data = Dataset(calls)
    got = data.kpis("queue", start="2025-03-03 08:00", end="2025-03-03 09:00")
    assert data._cubes == {}  # an hour of four days: the calls answer, no cube waits
    expected = reference(calls, ["queue"], start="2025-03-03 08:00", end="2025-03-03 09:00")
    assert_same_kpis(got, expected, ["queue"])
    data.kpis()  # the whole data builds the cube; the same hour then comes from it
    assert_same_kpis(
        data.kpis("queue", start="2025-03-03 08:00", end="2025-03-03 09:00"), expected, ["queue"]
    )


def test_without_cubes_the_same_numbers():
    calls = edge_calls()
    with_cubes, without = Dataset(calls), Dataset(calls, cubes=False)
    for by, freq in (([], "W"), (["queue"], "h"), (["team"], "D")):
        pd.testing.assert_frame_equal(
            with_cubes.kpis(by, freq, start="2025-03-03", end="2025-03-08"),
            without.kpis(by, freq, start="2025-03-03", end="2025-03-08"),
            check_exact=False,
            rtol=1e-12,
        )
    assert without._cubes == {}


def test_integer_customer_ids_count_as_their_text():
    """Ids that are canonical integers are compared as numbers ("0" is the unknown id); the
    flags equal those of the text ids the pandas path compares."""
    calls = edge_calls()
    numbers = {"c1": "15146862031", " c1 ": "15146862031", "c2": "7", "c3": "9", "c4": "10"}
    calls["customer_id"] = (
        calls["customer_id"].map(lambda v: numbers.get(v, "0") if isinstance(v, str) else v)
    ).astype("string")
    data = Dataset(calls)
    assert "BIGINT" in data._customer_ids()[0]
    for settings in (KpiSettings(), KpiSettings(fcr_window_h=24)):
        assert_same_kpis(
            data.kpis("queue", "D", settings),
            reference(calls, ["queue"], "D", settings),
            ["queue", "period"],
        )
    # by hand (72 h): rows 0, 2, 7, 8 eligible ("0" unknown), rows 0 and 2 repeated
    assert data.kpis().fcr_rate.iloc[0] == 0.5
    assert "BIGINT" not in Dataset(edge_calls())._customer_ids()[0]


# --------------------------------------------------------------------------- the sample


@pytest.mark.parametrize(
    ("by", "freq", "start", "end", "filters"),
    [
        ([], "30min", None, None, None),
        (["queue"], "D", "2025-02-03", "2025-03-03", None),
        ([], "W", None, None, {"queue": ["VIP", "Data services"]}),
        (["team"], "W", "2025-01-06", "2025-03-03", None),
        (["category"], None, "2025-02-01", "2025-03-01", {"queue": ["VIP"]}),
    ],
)
def test_sample_roll_ups_equal_compute(sample_calls, sample_data, by, freq, start, end, filters):
    for settings in (KpiSettings(), KpiSettings(sl_threshold_s=30, csat_top_box=5)):
        got = sample_data.kpis(by, freq, settings, start, end, filters)
        expected = reference(sample_calls, by, freq, settings, start, end, filters)
        assert_same_kpis(got, expected, [*by, *(["period"] if freq else [])])
    assert sample_data.cube_shape(by, freq, start, end, filters) in sample_data._cubes


def test_sample_sums_from_the_cube_equal_the_calls(sample_calls, sample_data):
    got = sample_data.sums("queue", "D", start="2025-01-06", end="2025-03-31")
    want = Dataset(sample_calls, cubes=False).sums(
        "queue", "D", start="2025-01-06", end="2025-03-31"
    )
    assert sample_data.cube_shape("queue", "D") in sample_data._cubes
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12)
