"""ccmetrics.spc.periods: the periods of a KPI chart as the Control charts page reads them.

Expected values are hand calculations written beside each assertion.
"""

from __future__ import annotations

import datetime as dt
import doctest

import numpy as np
import pandas as pd
import pytest

from ccmetrics import spc
from ccmetrics.spc import periods


def test_docstring_examples():
    result = doctest.testmod(periods)
    assert result.attempted >= 8 and result.failed == 0


def test_frequency_and_length_of_a_period():
    assert spc.period_freq("interval", 30) == "30min"
    assert spc.period_freq("interval", 60) == "60min"
    assert [spc.period_freq(g, 30) for g in ("day", "week")] == ["D", "W"]
    # 24 h x 60 = 1440 minutes a day, 7 x 1440 = 10080 a week
    assert [spc.period_minutes(g, 30) for g in spc.GRANULARITIES] == [30, 1440, 10080]
    with pytest.raises(spc.ChartInputError, match="granularity") as raised:
        spc.period_freq("month", 30)
    assert raised.value.code == "bad_option" and raised.value.params["value"] == "month"
    with pytest.raises(spc.ChartInputError, match="granularity"):
        spc.period_minutes("hour", 30)


def test_days_that_fit_on_one_chart():
    # 31 days of 48 half-hours (a 24-hour centre): 1488 points, 48 a day; 3000 // 48 = 62
    assert spc.days_that_fit(31 * 48, 31, 3000) == 62
    # 5000 points over 90 days: round(55.6) = 56 a day, 3000 // 56 = 53
    assert spc.days_that_fit(5000, 90, 3000) == 53
    # fewer points than days (a sparse range): at least one point a day, 3000 days
    assert spc.days_that_fit(10, 90, 3000) == 3000
    # no day in the range: read as one day
    assert spc.days_that_fit(100, 0, 3000) == 30


def test_chartable_kpis_keep_the_candidates_order():
    table = pd.DataFrame(
        {
            "service_level": [0.8, 0.7],
            "aht_s": [np.nan, np.nan],  # no known value: nothing to chart
            "csat_mean": [4.1, 4.2],
            "offered": [10, 12],
        }
    )
    candidates = ["offered", "service_level", "aht_s", "csat_mean", "occupancy"]
    # occupancy is not a column; csat_mean lacks its inputs
    assert spc.chartable_kpis(table, candidates, {"csat_mean": ["csat"]}) == [
        "offered",
        "service_level",
    ]
    assert spc.chartable_kpis(table, candidates, {}) == ["offered", "service_level", "csat_mean"]


def test_first_period_from_a_change_date():
    days = pd.date_range("2025-03-03", periods=7, freq="D")
    assert spc.first_period_from(days, dt.date(2025, 3, 3)) == 0
    assert spc.first_period_from(days, dt.date(2025, 3, 6)) == 3
    assert spc.first_period_from(days, dt.date(2025, 3, 10)) is None
    # weeks start on Monday: a Wednesday change falls in the next week's point
    weeks = pd.date_range("2025-03-03", periods=4, freq="W-MON")
    assert spc.first_period_from(weeks, dt.date(2025, 3, 12)) == 2  # 2025-03-17
    # intervals of a day: the first at or after midnight of the day
    slots = pd.date_range("2025-03-03 22:00", periods=6, freq="30min")
    assert spc.first_period_from(slots, dt.date(2025, 3, 4)) == 4  # 00:00 on the 4th


def test_phase_counts_add_up_the_signals_of_each_phase():
    # 3 points before (one signal) and 4 after (two signals), phases in the attrs' order
    chart = pd.DataFrame(
        {
            "phase": ["before"] * 3 + ["after"] * 4,
            "signal": [False, True, False, True, True, False, False],
        }
    )
    chart.attrs["phase_attrs"] = {"before": {}, "after": {}}
    counts = spc.phase_counts(chart)
    assert list(counts.index) == ["before", "after"]
    assert counts.loc["before"].tolist() == [3, 1]
    assert counts.loc["after"].tolist() == [4, 2]
    assert list(counts.columns) == ["points", "signals"]


def test_phase_counts_on_a_chart_of_kpi_chart():
    # a change after three days: the phases of spc.kpi_chart, each counted
    table = pd.DataFrame(
        {
            "period": pd.date_range("2025-03-03", periods=6, freq="D"),
            "service_level": [0.71, 0.70, 0.72, 0.84, 0.85, 0.83],
            "sl_base": [1000.0] * 6,
        }
    )
    chart = spc.kpi_chart(table, "service_level", change="2025-03-06")
    counts = spc.phase_counts(chart)
    assert counts["points"].tolist() == [3, 3]
    assert counts["signals"].sum() == int(chart["signal"].sum())


def test_episode_day_and_the_order_of_the_charts():
    shift = {"kind": "shift", "start": "2025-03-03", "peak": "2025-03-05 09:30"}
    point = {"kind": "point", "start": "2025-03-05 09:30", "peak": "2025-03-05 09:30"}
    assert spc.episode_day(shift) == dt.date(2025, 3, 3)
    assert spc.episode_day(point) == dt.date(2025, 3, 5)
    episodes = pd.DataFrame([shift, point])
    assert spc.episode_day(episodes.iloc[0]) == dt.date(2025, 3, 3)
    charts = {
        "offered": pd.DataFrame({"signal": [False, False]}),
        "service_level": pd.DataFrame({"signal": [True, True, True]}),
        "aht_s": pd.DataFrame({"signal": [False, False]}),
        "csat_mean": pd.DataFrame({"signal": [True, False]}),
    }
    # 3 signals, 1, then the two without a signal in the order given
    assert spc.by_signal_count(charts) == ["service_level", "csat_mean", "offered", "aht_s"]
