"""The FCR flags of a stretch of the data are computed once per FCR setting: the period
the app fetches with ``Dataset.window(settings=...)`` and the KPIs asked of it (or of a
part of it) share one window function.

The reference of every value is the pandas path: ``kpi.add_fcr_flags`` on the whole
sample, then ``kpi.subset`` and ``kpi.compute`` (tested against hand calculations in
tests/unit/test_kpi*.py), and a data set that keeps no stretch (each question computes
its own flags, as before they were shared).
"""

from __future__ import annotations

import pandas as pd

from ccmetrics import engine_source, kpi
from ccmetrics.engine import Dataset
from ccmetrics.schema import KpiSettings
from tests.unit.test_engine import assert_same_kpis

MARCH = (pd.Timestamp("2025-03-01"), pd.Timestamp("2025-04-01"))


class _CountingFlags(Dataset):
    """A data set that counts the FCR flag computations it starts (one per window function)."""

    builds = 0

    def _fcr_flags_sql(self, settings, low_ns=None, high_ns=None):
        self.builds += 1
        return super()._fcr_flags_sql(settings, low_ns, high_ns)


def reference(calls, settings, start, end, filters=None) -> pd.DataFrame:
    window = kpi.subset(kpi.add_fcr_flags(calls, settings), start, end, filters)
    return kpi.compute(window, settings=settings)


def test_the_window_and_its_kpis_compute_the_flags_once(sample_calls):
    settings = KpiSettings()
    data = _CountingFlags(sample_calls, cubes=False)
    fetched = data.window(*MARCH, settings=settings)
    assert data.builds == 1
    flagged = kpi.subset(kpi.add_fcr_flags(sample_calls, settings), *MARCH)
    assert int(fetched["fcr_eligible"].sum()) == int(flagged["fcr_eligible"].sum()) > 0
    assert int(fetched["fcr_resolved"].sum()) == int(flagged["fcr_resolved"].sum())
    # the month's KPIs, and a week and a queue of it: the month's flags, no new build
    assert_same_kpis(data.kpis(settings=settings, start=MARCH[0], end=MARCH[1]),
                     reference(sample_calls, settings, *MARCH), [])  # fmt: skip
    week = (pd.Timestamp("2025-03-10"), pd.Timestamp("2025-03-17"))
    vip = {"queue": ["VIP"]}
    assert_same_kpis(data.kpis(settings=settings, start=week[0], end=week[1], filters=vip),
                     reference(sample_calls, settings, *week, vip), [])  # fmt: skip
    assert data.builds == 1
    # the comparison's days before lie outside the month: their own flags, once
    compared = engine_source.period_comparison(data, *MARCH, settings)
    assert data.builds == 2
    expected = kpi.period_comparison(sample_calls, *MARCH, settings)
    pd.testing.assert_frame_equal(compared, expected, check_exact=False, rtol=1e-9, atol=0)
    engine_source.period_comparison(data, *MARCH, settings)
    assert data.builds == 2


def test_another_fcr_setting_has_its_own_flags(sample_calls):
    data = _CountingFlags(sample_calls, cubes=False)
    data.window(*MARCH, settings=KpiSettings())
    other = KpiSettings(fcr_window_h=24)
    got = data.kpis(settings=other, start=MARCH[0], end=MARCH[1])
    assert data.builds == 2
    assert_same_kpis(got, reference(sample_calls, other, *MARCH), [])
    # a threshold is no FCR setting: the flags of the 24-hour window serve it
    data.kpis(settings=KpiSettings(sl_threshold_s=30, fcr_window_h=24), start=MARCH[0],
              end=MARCH[1])  # fmt: skip
    assert data.builds == 2


def test_past_the_stretches_kept_the_flags_are_computed_within_the_question(sample_calls):
    """Once :data:`Dataset.KEEP_FCR_RANGES` stretches are kept, another stretch's flags
    are computed in its query (let go after it): the same values, a build per question."""
    settings = KpiSettings()
    data = _CountingFlags(sample_calls, cubes=False)
    data.KEEP_FCR_RANGES = 1
    data.window(*MARCH, settings=settings)
    january = (pd.Timestamp("2025-01-06"), pd.Timestamp("2025-01-20"))
    for _ in range(2):
        got = data.kpis(settings=settings, start=january[0], end=january[1])
        assert_same_kpis(got, reference(sample_calls, settings, *january), [])
    assert data.builds == 3
    assert len(data._fcr_ranges[(float(settings.fcr_window_h), settings.fcr_method)]) == 1


def test_a_whole_data_window_serves_the_whole_datas_questions(sample_calls):
    settings = KpiSettings()
    data = _CountingFlags(sample_calls, cubes=False)
    fetched = data.window(settings=settings)
    flagged = kpi.add_fcr_flags(sample_calls, settings)
    assert int(fetched["fcr_resolved"].sum()) == int(flagged["fcr_resolved"].sum()) > 0
    got = data.kpis("queue", settings=settings)
    expected = kpi.compute(flagged, by="queue", settings=settings)
    assert_same_kpis(got, expected, ["queue"])
    assert data.builds == 1
