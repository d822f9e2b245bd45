"""Tests of ``Dataset.sums(measures=...)``: only the measures asked are summed.

The reference for every expected value is the same data set's ``sums`` of every
measure (itself tested against ``kpi.compute`` in tests/unit/test_engine.py and
test_engine_cube.py): a sum does not depend on which other measures are summed beside
it, so the columns asked must be equal, and the others NaN. Each test also checks the
costly FCR work was (or was not) done, from the engine's kept FCR tables and
customer-id check, so a test cannot pass by computing everything anyway.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from ccmetrics import kpi, spc
from ccmetrics.cube import MEASURES
from ccmetrics.engine import Dataset
from ccmetrics.engine_inputs import (
    FCR_MEASURES,
    dataset_kpis,
    dataset_sums,
    measures_for_kpis,
    sums_keywords,
)
from ccmetrics.schema import KpiSettings

SL_MEASURES = ("offered", "answered", "answered_in_sl", "short_abandoned")


@pytest.fixture(scope="module")
def full(sample_calls) -> Dataset:
    """The data set every answer is compared with (all measures)."""
    return Dataset(sample_calls, cubes=False)


def _day_bounds(calls: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    start = calls["arrived_at"].min().normalize() + pd.Timedelta(days=7)
    return start, start + pd.Timedelta(days=1)


def _fcr_done(data: Dataset) -> bool:
    """Whether the data set made FCR flags or checked the customer ids."""
    return bool(data._fcr_tables) or data._ids is not None


def _assert_columns(got: pd.DataFrame, expected: pd.DataFrame, asked) -> None:
    keys = [c for c in expected.columns if c not in MEASURES]
    assert list(got.columns) == list(expected.columns)
    pdt.assert_frame_equal(got[keys], expected[keys])
    pdt.assert_frame_equal(got[list(asked)], expected[list(asked)], check_exact=False, rtol=1e-12)
    others = [m for m in MEASURES if m not in asked]
    assert got[others].isna().all().all()


@pytest.mark.parametrize(
    ("by", "freq", "window"),
    [((), "D", False), (("queue",), "h", True), (("team",), None, False)],
)
def test_a_few_measures_from_the_calls(sample_calls, full, by, freq, window):
    start, end = _day_bounds(sample_calls) if window else (None, None)
    expected = full.sums(by, freq, start=start, end=end)
    data = Dataset(sample_calls, cubes=False)
    got = data.sums(by, freq, start=start, end=end, measures=list(SL_MEASURES))
    _assert_columns(got, expected, SL_MEASURES)
    assert not _fcr_done(data)  # neither the FCR window function nor the id check ran
    assert expected["offered"].sum() > 0


@pytest.mark.parametrize("window", [False, True])
def test_fcr_measures_asked_equal_the_full_sums(sample_calls, full, window):
    start, end = _day_bounds(sample_calls) if window else (None, None)
    expected = full.sums("queue", "D", start=start, end=end)
    data = Dataset(sample_calls, cubes=False)
    asked = ("offered", *FCR_MEASURES)
    got = data.sums("queue", "D", start=start, end=end, measures=asked)
    _assert_columns(got, expected, asked)
    assert data._ids is not None  # the sample's customer ids were checked for FCR
    assert got["fcr_n"].sum() > 0


def test_a_few_measures_never_build_a_cube(sample_calls, full):
    """Before any cube exists, a question naming a few measures is summed from the
    calls (a cube of every measure costs several times more), even over the whole data."""
    data = Dataset(sample_calls)
    expected = full.sums("queue", "D")
    got = data.sums("queue", "D", measures=SL_MEASURES)
    assert not data._cubes, "no cube was built for a few measures"
    _assert_columns(got, expected, SL_MEASURES)
    assert not _fcr_done(data)


def test_a_built_cube_answers_a_few_measures(sample_calls, full):
    """Once a question of every measure has built the cube, it answers questions naming
    a few measures (with or without FCR's) too, equal to the full sums."""
    data = Dataset(sample_calls)
    expected = full.sums("queue", "D")
    data.sums("queue", "D")  # every measure: builds the cube
    assert data._cubes, "the cube was built"
    got = data.sums("queue", "D", measures=SL_MEASURES)
    _assert_columns(got, expected, SL_MEASURES)
    later = data.sums("queue", "D", measures=FCR_MEASURES)
    _assert_columns(later, expected, FCR_MEASURES)
    assert data._fcr_tables
    pdt.assert_frame_equal(data.sums("queue", "D"), expected, check_exact=False, rtol=1e-12)


def test_other_settings_and_one_measure(sample_calls):
    settings = KpiSettings(sl_threshold_s=45, fcr_window_h=24)
    expected = Dataset(sample_calls, cubes=False).sums("queue", "W", settings)
    for cubes in (False, True):
        data = Dataset(sample_calls, cubes=cubes)
        data.sums("queue", "W")  # the default settings first: a cube keeps their counts
        got = data.sums("queue", "W", settings, measures="answered_in_sl")
        _assert_columns(got, expected, ("answered_in_sl",))


def test_unknown_measure_is_named():
    calls = pd.DataFrame(
        {"arrived_at": pd.to_datetime(["2025-01-01 08:00"]), "answered": [True],
         "abandoned": [False]}
    )  # fmt: skip
    with pytest.raises(ValueError, match="service_level"):
        Dataset(calls).sums(measures=["offered", "service_level"])


def test_measures_for_kpis():
    without_fcr = tuple(m for m in MEASURES if m not in ("fcr_n", "fcr_resolved"))
    assert FCR_MEASURES == ("fcr_n", "fcr_resolved")
    assert measures_for_kpis(["service_level", "aht_s"]) == without_fcr
    assert measures_for_kpis(["offered", "wait_s_sum"]) == without_fcr  # measures too
    assert measures_for_kpis(["service_level", "fcr_rate"]) is None  # fcr_resolved / fcr_n
    assert measures_for_kpis(["fcr_n"]) is None
    assert measures_for_kpis(["no_such_kpi"]) is None  # unknown: every measure


class _WithoutMeasures:
    """A data set of the protocol whose ``sums`` takes no ``measures`` (as another
    engine's may not)."""

    def __init__(self, data: Dataset):
        self._data = data
        self.columns = data.columns

    def sums(self, by=(), freq=None, settings=None, start=None, end=None, filters=None):
        return self._data.sums(by, freq, settings, start, end, filters)

    def kpis(self, by=(), freq=None, settings=None, start=None, end=None, filters=None):
        return self._data.kpis(by, freq, settings, start, end, filters)

    def count(self, start=None, end=None):
        return self._data.count(start, end)

    def window(self, start=None, end=None, columns=None, settings=None):
        return self._data.window(start, end, columns, settings)


def test_a_data_set_without_the_argument(sample_calls, full):
    other = _WithoutMeasures(Dataset(sample_calls, cubes=False))
    assert sums_keywords(other, SL_MEASURES) == {}
    assert sums_keywords(full, SL_MEASURES) == {"measures": SL_MEASURES}
    assert sums_keywords(full, None) == {}
    pdt.assert_frame_equal(
        dataset_sums(other, "queue", measures=SL_MEASURES), full.sums("queue")
    )  # every measure: the argument was not passed


def test_control_chart_sums_no_fcr_and_is_unchanged(sample_calls, full):
    """spc.kpi_chart on a data set sums no FCR flag for the service level, and its chart
    equals the chart of the full KPI table (and of a data set without the argument)."""
    table = kpi.compute(full, freq="D", keep_sums=True)
    expected = spc.kpi_chart(table, "service_level", granularity="day", revise=True)
    for cubes in (False, True):
        data = Dataset(sample_calls, cubes=cubes)
        got = spc.kpi_chart(data, "service_level", granularity="day", revise=True)
        pdt.assert_frame_equal(got, expected)
        assert got.attrs == expected.attrs
        assert not _fcr_done(data)
    other = _WithoutMeasures(Dataset(sample_calls, cubes=False))
    pdt.assert_frame_equal(
        spc.kpi_chart(other, "service_level", granularity="day", revise=True), expected
    )
    fcr = Dataset(sample_calls, cubes=False)
    got = spc.kpi_chart(fcr, "fcr_rate", granularity="day")
    pdt.assert_frame_equal(got, spc.kpi_chart(table, "fcr_rate", granularity="day"))
    assert fcr._fcr_tables or fcr._ids is not None


def test_dataset_kpis_of_some_kpis(full):
    expected = kpi.compute(full, by="queue", freq="W", keep_sums=True)
    got = dataset_kpis(full, by="queue", freq="W", keep_sums=True, kpis=["service_level"])
    assert list(got.columns) == list(expected.columns)
    fcr_columns = ["fcr_rate", "fcr_n", "fcr_n__sum", "fcr_resolved__sum"]
    assert got[fcr_columns].isna().all().all()
    assert expected["fcr_n"].sum() > 0
    pdt.assert_frame_equal(got.drop(columns=fcr_columns), expected.drop(columns=fcr_columns))
    assert np.isfinite(got["service_level"]).any()
