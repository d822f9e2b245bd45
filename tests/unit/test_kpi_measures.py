"""Tests of the KPI → measures table (``ccmetrics.kpis.KPI_MEASURES``).

Two sources of truth: :func:`ccmetrics.kpi.derive` itself (a column must not change
when any measure outside its entry changes, under every service-level formula, with
and without a cost rate, with and without the calls' own service-level counts, and
each measure of an entry must change the column in at least one of those cases), and
the sample data (a KPI derived from the engine's sums of only its measures equals the
KPI derived from every measure).
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pandas.testing as pdt
import pytest

from ccmetrics import kpi
from ccmetrics.cube import MEASURES
from ccmetrics.engine import MEASURE_SQL, Dataset
from ccmetrics.engine_inputs import measures_of_kpis
from ccmetrics.kpis import KPI_BASE, KPI_MEASURES, KPIS
from ccmetrics.schema import KpiSettings
from ccmetrics.spc.kpi_charts import chart_measures

FORMULAS = ("offered_excl_short", "answered", "abandons_ignored", "abandons_good", "offered")
COLUMNS = (*kpi.KPI_COLUMNS, *kpi.BASE_COLUMNS)


def _settings():
    for formula in FORMULAS:
        for rate in (None, 30.0):
            yield dataclasses.replace(KpiSettings(), sl_formula=formula, cost_per_agent_hour=rate)


def _bases() -> list[dict]:
    """Points at which derive is probed: every measure a distinct positive number; the
    same without the calls' service-level counts (an export's reported service level
    then counts) and without staffing."""
    rng = np.random.default_rng(7)
    full = {
        name: float(v)
        for name, v in zip(MEASURES, rng.uniform(50, 900, len(MEASURES)), strict=True)
    }
    reported = {**full, "answered_in_sl": np.nan, "abandoned_in_sl": np.nan}
    unstaffed = {**full, "staffed_s": np.nan}
    return [full, reported, unstaffed]


def _probe_rows() -> tuple[pd.DataFrame, list[tuple[int, str | None]]]:
    """Rows of sums: each base, then each base with one measure scaled and one with it
    missing; and for each row (its base, the measure changed or None)."""
    rows, origin = [], []
    for b, base in enumerate(_bases()):
        rows.append(base)
        origin.append((b, None))
        for name in MEASURES:
            for changed in (base[name] * 1.37 + 3.0, np.nan):
                rows.append({**base, name: changed})
                origin.append((b, name))
    return pd.DataFrame(rows, columns=list(MEASURES)), origin


def test_every_column_of_derive_has_an_entry():
    assert set(KPI_MEASURES) == set(COLUMNS)
    for name, measures in KPI_MEASURES.items():
        assert measures and set(measures) <= set(MEASURES), name


def test_the_table_is_what_derive_reads():
    sums, origin = _probe_rows()
    reads = {column: set() for column in COLUMNS}
    references = {o[0]: i for i, o in enumerate(origin) if o[1] is None}
    for settings in _settings():
        derived = kpi.derive(sums, settings)
        for column in COLUMNS:
            values = derived[column].to_numpy(float)
            for row, (base, measure) in enumerate(origin):
                if measure is None:
                    continue
                reference = values[references[base]]
                same = (np.isnan(values[row]) and np.isnan(reference)) or values[row] == reference
                if not same:
                    reads[column].add(measure)
    for column in COLUMNS:
        # a measure outside the entry changed the column: the table is stale
        assert reads[column] <= set(KPI_MEASURES[column]), (column, reads[column])
        # every measure of the entry is read by derive under some settings
        assert set(KPI_MEASURES[column]) <= reads[column], (column, reads[column])


def test_measures_of_kpis():
    assert measures_of_kpis(["service_level"]) == (
        "offered", "answered", "short_abandoned", "answered_in_sl", "abandoned_in_sl",
        "ivr_n", "reported_sl_offered", "reported_sl_weighted",
    )  # fmt: skip
    # a KPI and the n it rests on (cost per call rests on cost_n)
    assert set(measures_of_kpis(["cost_per_call"])) == {
        "offered",
        "ivr_n",
        "cost_n",
        "cost_e4_sum",
        "answered",
        "staffed_s",
    }
    assert measures_of_kpis(["asa_s", "wait_s_sq_sum"]) == (
        "offered",
        "wait_n",
        "wait_s_sum",
        "wait_s_sq_sum",
        "ivr_n",
    )
    assert measures_of_kpis(["no_such_kpi"]) is None
    assert chart_measures("no_such_kpi") is None
    assert set(chart_measures("asa_s")) == {
        "offered",
        "ivr_n",
        "wait_n",
        "wait_s_sum",
        "wait_s_sq_sum",
    }


@pytest.fixture(scope="module")
def sample(sample_calls) -> Dataset:
    return Dataset(sample_calls, cubes=False)


def test_each_kpi_from_only_its_measures_equals_it_from_every_measure(sample):
    """On the sample: for every KPI of the registry, the engine's sums of only its
    measures give the KPI (and its n) of the sums of every measure, per queue and day."""
    settings = KpiSettings()
    full = sample.sums(by="queue", freq="W", settings=settings)
    expected = kpi.derive(full, settings)
    computed = {name for name in MEASURE_SQL}
    for name in KPIS:
        measures = measures_of_kpis([name])
        assert measures is not None
        sums = sample.sums(
            by="queue", freq="W", settings=settings, measures=[m for m in measures if m in computed]
        )
        got = kpi.derive(sums, settings)
        columns = [name, *([KPI_BASE[name]] if name in KPI_BASE else [])]
        pdt.assert_frame_equal(got[columns], expected[columns], check_exact=False, rtol=1e-12)
    # the sample has values for the KPIs asked most (a comparison of NaN with NaN proves little)
    assert expected[["service_level", "fcr_rate", "aht_s", "csat_mean"]].notna().any().all()


class _Recording(Dataset):
    """A data set that records the measures each ``sums`` is asked for."""

    asked: list

    def sums(self, *args, measures=None, **keywords):
        self.asked.append(measures)
        return super().sums(*args, measures=measures, **keywords)


def test_a_chart_on_a_data_set_asks_only_its_measures(sample_calls):
    from ccmetrics import spc

    data = _Recording(sample_calls, cubes=False)
    data.asked = []
    chart = spc.kpi_chart(data, "aht_s", granularity="day")
    assert data.asked == [chart_measures("aht_s")]
    assert "xbar_s" in chart.attrs["charts_available"]  # the sums of squares were there
