"""Reading a chart: capability, signal episodes (a shift is one finding), severity, signal map.

Every expected value is a hand calculation written out in the test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ccmetrics import kpi, spc


def chart_of(values, center, se=1.0, signal=None, rules=None, start="2025-03-03", freq="D"):
    """A hand-made chart frame: limits center +/- 3 se, z = (value - center) / se."""
    values = np.asarray(values, dtype=float)
    index = pd.date_range(start, periods=values.size, freq=freq, name="period")
    z = (values - center) / se
    if signal is None:
        signal = np.abs(z) > 3
    signal = np.asarray(signal, dtype=bool)
    if rules is None:
        rules = ["nelson_1" if s else "" for s in signal]
    return pd.DataFrame(
        {
            "value": values,
            "center": float(center),
            "lcl": center - 3 * se,
            "ucl": center + 3 * se,
            "z": z,
            "excluded": False,
            "signal": signal,
            "rules": rules,
        },
        index=index,
    )


# ---------------------------------------------------------------- capability


def test_capability_of_a_stable_process_below_target_by_hand():
    # service level 0.50, 0.54, 0.52, 0.56, 0.48: mean 0.52;
    # moving ranges 0.04, 0.02, 0.04, 0.08 -> MR-bar 0.045 -> sigma 0.045 / 1.128 = 0.039894
    chart = chart_of([0.50, 0.54, 0.52, 0.56, 0.48], center=0.52, se=0.05)
    found = spc.capability(chart, target=0.80)
    assert found["level"] == pytest.approx(0.52)
    assert found["spread"] == pytest.approx(0.045 / 1.128)
    assert found["low"] == pytest.approx(0.52 - 2 * 0.045 / 1.128)
    assert found["gap"] == pytest.approx(-0.28)
    assert found["meets_target"] is False
    # share of days at or above 80 %: Phi((0.52 - 0.80) / 0.039894) = Phi(-7.02) ~ 1e-12
    assert found["share_meeting"] == pytest.approx(stats.norm.cdf(-0.28 / (0.045 / 1.128)))
    assert found["n_points"] == 5

    verdict = spc.chart_verdict(chart, target=0.80)
    assert verdict["code"] == "stable_misses_target"
    assert verdict["episodes"].empty


def test_capability_leaves_the_signals_out_and_a_met_target():
    # 0.85 and 0.83 with moving range 0.02 -> sigma 0.02 / 1.128; the 0.40 day is a signal
    chart = chart_of([0.85, 0.40, 0.83], center=0.84, se=0.02)
    assert chart["signal"].tolist() == [False, True, False]
    found = spc.capability(chart, target=0.80)
    assert found["level"] == pytest.approx(0.84)
    assert found["spread"] == pytest.approx(0.02 / 1.128)
    assert found["meets_target"] is True
    assert found["share_meeting"] == pytest.approx(stats.norm.cdf(0.04 / (0.02 / 1.128)))
    # lower is better (e.g. abandon rate against a 90 % ceiling): met as well
    assert spc.capability(chart, target=0.90, higher_is_better=False)["meets_target"] is True
    verdict = spc.chart_verdict(chart, target=0.80)
    assert verdict["code"] == "signals" and verdict["incidents"] == 1


def test_no_target_gives_a_plain_stable_verdict():
    chart = chart_of([10.0, 11.0, 10.0], center=10.3)
    verdict = spc.chart_verdict(chart)
    assert verdict["code"] == "stable"
    assert verdict["capability"]["meets_target"] is None
    assert math.isnan(verdict["capability"]["share_meeting"])


# ---------------------------------------------------------------- episodes


def test_a_step_is_one_shift_with_its_start_date():
    # 6 ordinary days around 0, then from day 7 (2025-03-09) a step to about +4:
    # signals on 4 of the 6 days after the step, the others above the center too
    values = [0.5, -0.4, 0.3, -0.2, 0.1, -0.3, 2.0, 4.2, 3.5, 5.0, 2.8, 4.8]
    chart = chart_of(values, center=0.0)
    assert chart["signal"].sum() == 4
    episodes = spc.signal_episodes(chart)
    assert len(episodes) == 1
    shift = episodes.iloc[0]
    assert shift["kind"] == "shift" and shift["direction"] == "above"
    # the run above the center starts at 2.0 (2025-03-09): the start; first signal 4.2
    assert shift["start"] == pd.Timestamp("2025-03-09")
    assert shift["first_signal"] == pd.Timestamp("2025-03-10")
    assert shift["end"] == pd.Timestamp("2025-03-14")
    assert shift["n_signals"] == 4 and shift["n_points"] == 6
    assert shift["peak"] == pd.Timestamp("2025-03-12") and shift["severity"] == pytest.approx(5.0)
    verdict = spc.chart_verdict(chart, target=None)
    assert verdict["code"] == "shift" and verdict["shifts"] == 1


def test_separate_incidents_stay_separate_and_sorted_by_severity():
    # two dips with a point above the center between them: two incidents, not a shift
    values = [0.2, -3.5, 0.4, -0.1, 0.3, -6.0, 0.2]
    chart = chart_of(values, center=0.0)
    episodes = spc.signal_episodes(chart)
    assert episodes["kind"].tolist() == ["point", "point"]
    assert episodes["start"].tolist() == [pd.Timestamp("2025-03-08"), pd.Timestamp("2025-03-04")]
    assert episodes["severity"].tolist() == pytest.approx([6.0, 3.5])


def test_two_signals_on_one_side_without_a_run_rule_are_two_incidents():
    values = [0.2, -3.5, -0.5, -4.0, 0.3]
    chart = chart_of(values, center=0.0)
    episodes = spc.signal_episodes(chart)
    assert episodes["kind"].tolist() == ["point", "point"]  # fewer than SHIFT_MIN_SIGNALS


def test_a_run_rule_makes_a_shift_and_phases_are_kept_apart():
    values = [0.5, 1.0, 1.2, 0.8, 1.1]
    signal = [False, False, False, True, True]
    rules = ["", "", "", "anhoej", "anhoej"]
    chart = chart_of(values, center=0.0, signal=signal, rules=rules)
    shift = spc.signal_episodes(chart).iloc[0]
    assert shift["kind"] == "shift" and shift["start"] == pd.Timestamp("2025-03-03")

    chart["phase"] = ["before", "before", "after", "after", "after"]
    shift = spc.signal_episodes(chart).iloc[0]
    assert shift["start"] == pd.Timestamp("2025-03-05")  # the run restarts with the phase


def test_a_runs_signal_without_flagged_points_is_a_shift():
    """Too few crossings flag no point: the chart still says shift, never "no signal"."""
    values = [-1.0, -0.5, -0.8, 0.4, 0.6, 0.7, 0.5, 0.9]
    chart = chart_of(values, center=0.0)
    chart.attrs["anhoej"] = {"runs_signal": True}
    episodes = spc.signal_episodes(chart)
    assert len(episodes) == 1
    shift = episodes.iloc[0]
    # the longest run: the five points above the center from 2025-03-06
    assert shift["kind"] == "shift" and shift["start"] == pd.Timestamp("2025-03-06")
    assert shift["n_points"] == 5 and shift["rules"] == "anhoej"
    assert spc.chart_verdict(chart, target=0.8)["code"] == "shift"


def test_signals_by_severity_and_ewma_distance():
    chart = chart_of([0.0, 4.0, -7.0, 3.5], center=0.0)
    ranked = spc.signals_by_severity(chart)
    assert list(ranked.index.day) == [5, 4, 6]
    assert ranked["severity"].tolist() == pytest.approx([7.0, 4.0, 3.5])
    # a chart without z (EWMA): distance in units of its limit width / nsigmas
    ewma = chart.drop(columns="z")
    ewma.attrs["nsigmas"] = 3.0
    assert spc.severity(ewma).tolist() == pytest.approx([0.0, 4.0, 7.0, 3.5])


def test_signal_map_has_one_cell_per_interval():
    stamps = ["2025-03-10 09:00", "2025-03-10 09:30", "2025-03-11 09:00", "2025-03-11 09:30"]
    chart = chart_of([0.8, 0.3, 0.82, 0.79], center=0.8, se=0.05)
    chart.index = pd.DatetimeIndex(stamps, name="period")
    cells = spc.signal_map(chart)
    assert cells["slot"].tolist() == ["09:00", "09:30", "09:00", "09:30"]
    assert (
        cells["day"].tolist() == [pd.Timestamp("2025-03-10")] * 2 + [pd.Timestamp("2025-03-11")] * 2
    )
    # (0.3 - 0.8) / 0.05 = -10: a signal below
    assert cells.loc[1, "z"] == pytest.approx(-10.0)
    assert cells.loc[1, "signal"] and cells.loc[1, "direction"] == "below"
    assert cells["signal"].sum() == 1


# ---------------------------------------------------------------- revised limits


def test_revised_limits_leave_the_incident_out_until_nothing_moves():
    # XmR of 20 ordinary days alternating 10, 11 plus one day at 30 (beyond the first
    # limits): the revised chart is the XmR chart with that day left out of the limits
    ordinary = [10.0, 11.0] * 10
    values = ordinary[:10] + [30.0] + ordinary[10:]
    table = pd.DataFrame(
        {"period": pd.date_range("2025-03-01", periods=21, freq="D"), "offered": values}
    )
    plain = spc.kpi_chart(table, "offered", chart="xmr")
    revised = spc.kpi_chart(table, "offered", chart="xmr", revise=True)
    assert plain.loc["2025-03-11", "signal"]
    assert revised.attrs["revised_out"] == [pd.Timestamp("2025-03-11")]
    expected = spc.xmr_chart(
        pd.Series(values), exclude=[v == 30.0 for v in values], lower_bound=0.0
    )
    np.testing.assert_allclose(revised["ucl"], expected["ucl"].to_numpy())
    # by hand: center 10.5 (the 20 ordinary days); every moving range of the limit points
    # is 1, so sigma = 1 / 1.128 and UCL = 10.5 + 3 / 1.128
    assert revised["ucl"].iloc[0] == pytest.approx(10.5 + 3 / 1.128)
    assert revised["ucl"].iloc[0] < plain["ucl"].iloc[0]
    assert revised.loc["2025-03-11", "signal"]  # the incident keeps its signal


def test_revised_limits_flag_every_one_day_incident_of_the_sample(sample_calls):
    """The bundled sample (sample_data/README.md): storm 03-05, surge 03-11, shortfall 03-17.

    Over the last 28 days the three incidents inflate Laney's sigma_z so much that only the
    worst signals; revised limits flag all three and no other day."""
    table = kpi.compute(
        kpi.subset(sample_calls, "2025-03-04", "2025-04-01"), freq="D", keep_sums=True
    )
    plain = spc.kpi_chart(table, "service_level")
    revised = spc.kpi_chart(table, "service_level", revise=True)
    days = lambda chart: set(chart.index[chart["signal"]].strftime("%Y-%m-%d"))  # noqa: E731
    assert days(plain) == {"2025-03-17"}
    assert days(revised) == {"2025-03-05", "2025-03-11", "2025-03-17"}
    verdict = spc.chart_verdict(revised, target=0.8)
    assert verdict["code"] == "signals" and verdict["incidents"] == 3
    assert verdict["episodes"]["start"].dt.strftime("%m-%d").tolist() == [
        "03-17",
        "03-11",
        "03-05",
    ]


def test_the_surge_window_is_flagged_on_the_half_hour_chart(sample_calls):
    """The surge (2025-03-11 09:00-12:00) shows as signals in its window on the 30-min map."""
    table = kpi.compute(
        kpi.subset(sample_calls, "2025-03-10", "2025-03-13"), freq="30min", keep_sums=True
    )
    chart = spc.kpi_chart(table, "service_level", granularity="interval", revise=True)
    cells = spc.signal_map(chart)
    surge = cells[(cells["day"] == "2025-03-11") & cells["slot"].between("09:00", "11:30")]
    assert surge["signal"].sum() >= 4
    assert (surge.loc[surge["signal"], "direction"] == "below").all()


def test_a_step_in_the_middle_is_one_shift_not_two_runs():
    # 10 days at 0, 10 days at 4: the center (2.0) sits between the levels, the first
    # run is below it, the second above; one step, from 2025-03-13 (the 11th day)
    values = [0.1, -0.1, 0.2, -0.2, 0.0, 0.1, -0.1, 0.2, -0.2, 0.0]
    values = values + [v + 4.0 for v in values]
    chart = chart_of(values, center=2.0, se=0.3, signal=[True] * 20, rules=["anhoej"] * 20)
    episodes = spc.signal_episodes(chart)
    assert len(episodes) == 1
    step = episodes.iloc[0]
    assert step["kind"] == "shift" and step["direction"] == "above"
    assert step["start"] == pd.Timestamp("2025-03-13")
