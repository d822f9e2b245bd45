"""Tests of ccmetrics.kpi. Every expected value is a hand calculation shown beside it."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ccmetrics.kpi import (
    KPI_BASE,
    KPI_COLUMNS,
    KpiSettings,
    add_fcr_flags,
    compute,
    format_kpi_change,
    format_value,
    missing_inputs,
    period_comparison,
    subset,
    weekday_slot_table,
)


def eight_calls() -> pd.DataFrame:
    """Eight calls with waits on the boundaries T = 20 s and S = 5 s.

    | # | arrived          | cust | outcome   | wait | talk | hold | acw | transf | csat | qa |
    | 1 | 01-06 08:00      | C1   | answered  | 0    | 100  | 10   | 20  | no     | 5    | 90 |
    | 2 | 01-06 08:10      | C2   | answered  | 20   | 200  | 0    | 30  | no     | 4    |    |
    | 3 | 01-06 08:20      | C1   | answered  | 21   | 300  | 20   | 10  | no     | 2    |    |
    | 4 | 01-06 08:30      | C3   | answered  | 60   | 50   | 0    | 0   | yes    |      | 70 |
    | 5 | 01-06 08:40      | C4   | abandoned | 4.9  |      |      |     |        |      |    |
    | 6 | 01-06 08:50      | -    | abandoned | 5    |      |      |     |        |      |    |
    | 7 | 01-07 09:00      | C2   | abandoned | 30   |      |      |     |        |      |    |
    | 8 | 01-10 09:00      | 000  | abandoned | 90   |      |      |     |        |      |    |
    """
    return pd.DataFrame(
        {
            "call_id": [f"c{i}" for i in range(1, 9)],
            "arrived_at": pd.to_datetime(
                [
                    "2025-01-06 08:00",
                    "2025-01-06 08:10",
                    "2025-01-06 08:20",
                    "2025-01-06 08:30",
                    "2025-01-06 08:40",
                    "2025-01-06 08:50",
                    "2025-01-07 09:00",
                    "2025-01-10 09:00",
                ]
            ),
            "queue": pd.Categorical(["A", "A", "B", "B", "A", "B", "A", "B"]),
            "customer_id": pd.array(
                ["C1", "C2", "C1", "C3", "C4", None, "C2", "000"], dtype="string"
            ),
            "wait_s": [0.0, 20.0, 21.0, 60.0, 4.9, 5.0, 30.0, 90.0],
            "answered": [True, True, True, True, False, False, False, False],
            "abandoned": [False, False, False, False, True, True, True, True],
            "talk_s": [100.0, 200.0, 300.0, 50.0, np.nan, np.nan, np.nan, np.nan],
            "hold_s": [10.0, 0.0, 20.0, 0.0, np.nan, np.nan, np.nan, np.nan],
            "acw_s": [20.0, 30.0, 10.0, 0.0, np.nan, np.nan, np.nan, np.nan],
            "transferred": pd.array(
                [False, False, False, True, None, None, None, None], dtype="boolean"
            ),
            "csat": [5.0, 4.0, 2.0, np.nan, np.nan, np.nan, np.nan, np.nan],
            "qa_score": [90.0, np.nan, np.nan, 70.0, np.nan, np.nan, np.nan, np.nan],
        }
    )


def test_counts_and_boundaries():
    row = compute(eight_calls()).iloc[0]
    # O = 8, A = 4, B = 4; short abandons: wait < 5 -> only 4.9 (wait = 5 is not short)
    assert (row.offered, row.answered, row.abandoned, row.short_abandoned) == (8, 4, 4, 1)
    # answered within T (wait <= 20): waits 0 and 20 (21 is out) -> 2
    assert row.answered_in_sl == 2


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("offered_excl_short", 2 / 7),  # A_T / (O - Bs) = 2 / (8 - 1)
        ("answered", 2 / 4),  # A_T / A
        ("abandons_ignored", 2 / 6),  # A_T / (O - B_T); B_T = waits 4.9 and 5 -> 2
        ("abandons_good", (2 + 2) / 8),  # (A_T + B_T) / O
        ("offered", 2 / 8),  # A_T / O
    ],
)
def test_service_level_presets(formula, expected):
    row = compute(eight_calls(), settings=KpiSettings(sl_formula=formula)).iloc[0]
    assert row.service_level == pytest.approx(expected)


def test_thresholds_are_settings():
    # T = 21 puts the 21 s call in: A_T = 3 -> 3 / 7; S = 6 makes the 5 s abandon short too: 2/(8-2)
    row = compute(eight_calls(), settings=KpiSettings(sl_threshold_s=21)).iloc[0]
    assert row.service_level == pytest.approx(3 / 7)
    row = compute(eight_calls(), settings=KpiSettings(short_abandon_s=6)).iloc[0]
    assert row.short_abandoned == 2
    assert row.service_level == pytest.approx(2 / 6)
    assert row.abandon_rate == pytest.approx((4 - 2) / (8 - 2))


def test_rates_and_means():
    row = compute(eight_calls()).iloc[0]
    assert row.abandon_rate == pytest.approx(3 / 7)  # (B - Bs) / (O - Bs)
    assert row.answer_rate == pytest.approx(0.5)  # 4 / 8
    assert row.asa_s == pytest.approx((0 + 20 + 21 + 60) / 4)  # 25.25
    assert row.avg_abandon_wait_s == pytest.approx((4.9 + 5 + 30 + 90) / 4)
    # handle = talk + hold + acw: 130, 230, 330, 50 -> 740 / 4 = 185
    assert row.aht_s == pytest.approx(185.0)
    assert (row.talk_s, row.hold_s, row.acw_s) == pytest.approx((650 / 4, 30 / 4, 60 / 4))
    assert row.transfer_rate == pytest.approx(1 / 4)
    assert row.csat_mean == pytest.approx(11 / 3)  # (5 + 4 + 2) / 3
    assert row.csat_top2box == pytest.approx(2 / 3)  # ratings >= 4: 5, 4
    assert row.csat_n == 3
    assert (row.qa_mean, row.qa_n) == (80.0, 2)  # (90 + 70) / 2
    assert (row.sl_base, row.abandon_base, row.handle_n, row.transfer_n) == (7, 7, 4, 4)


def test_fcr_repeat_calls_and_censoring():
    # data end = 01-10 09:00; eligible = answered, known customer, t + 72 h <= data end -> calls 1-4.
    # call 1 (C1) is followed by call 3 within 72 h -> not resolved; call 2 (C2) by call 7 -> not.
    # calls 3 and 4 have no later call -> resolved. FCR = 2 / 4.
    row = compute(eight_calls()).iloc[0]
    assert row.fcr_rate == pytest.approx(0.5)
    assert row.fcr_n == 4
    # a 12-hour window: call 7 comes 24 h 50 min after call 2 -> call 2 is resolved now: 3 / 4
    assert compute(eight_calls(), settings=KpiSettings(fcr_window_h=12)).iloc[
        0
    ].fcr_rate == pytest.approx(3 / 4)
    # a 100-hour window: 01-06 08:30 + 100 h = 01-10 12:30 > data end -> every call censored -> NaN
    assert math.isnan(
        compute(eight_calls(), settings=KpiSettings(fcr_window_h=100)).iloc[0].fcr_rate
    )


def test_fcr_flags_before_filtering_see_later_calls():
    calls = add_fcr_flags(eight_calls())
    first_day = subset(calls, "2025-01-06", "2025-01-07")
    # with flags from the whole data, call 2's repeat (call 7, next day) still counts: 2 / 4
    assert compute(first_day).iloc[0].fcr_rate == pytest.approx(0.5)


def test_fcr_from_resolved_flag_when_no_customer_ids():
    calls = eight_calls().drop(columns="customer_id")
    calls["resolved"] = pd.array([True, False, True, None, None, None, None, None], dtype="boolean")
    row = compute(calls).iloc[0]
    assert (row.fcr_rate, row.fcr_n) == (pytest.approx(2 / 3), 3)  # 2 resolved of 3 known flags


def test_group_by_and_freq():
    by_queue = compute(eight_calls(), by="queue").set_index("queue")
    # queue A: calls 1, 2, 5, 7 -> O 4, A_T 2 (0, 20), Bs 1 (4.9) -> SL 2 / 3
    assert by_queue.loc["A", "offered"] == 4
    assert by_queue.loc["A", "service_level"] == pytest.approx(2 / 3)
    # queue B: calls 3, 4, 6, 8 -> A_T 0 -> SL 0 / 4 = 0 (a real zero, n = 4)
    assert by_queue.loc["B", "service_level"] == 0.0
    daily = compute(eight_calls(), freq="D")
    assert daily["period"].dt.strftime("%m-%d").tolist() == ["01-06", "01-07", "01-10"]
    assert daily["offered"].tolist() == [6, 1, 1]
    assert daily["service_level"].iloc[0] == pytest.approx(2 / 5)  # 2 / (6 - 1)
    weekly = compute(eight_calls(), freq="W")
    # 2025-01-06 is a Monday: 06, 07 and 10 all fall in the week starting 01-06
    assert weekly["period"].tolist() == [pd.Timestamp("2025-01-06")]


def test_missing_is_nan_not_zero():
    calls = eight_calls()[["call_id", "arrived_at", "wait_s", "answered", "abandoned"]]
    row = compute(calls).iloc[0]
    for kpi in (
        "aht_s",
        "transfer_rate",
        "fcr_rate",
        "csat_mean",
        "qa_mean",
        "occupancy",
        "ivr_containment",
        "ivr_abandon_rate",
        "ivr_s",
        "cost_per_call",
        "cost_per_minute",
        "complaint_rate",
        "error_rate",
        "entry_completeness",
    ):
        assert math.isnan(row[kpi]), kpi
    empty = compute(calls.iloc[:0]).iloc[0]
    assert empty.offered == 0
    assert math.isnan(empty.service_level)
    assert set(missing_inputs(calls)) == {
        "aht_s",
        "transfer_rate",
        "fcr_rate",
        "csat_mean",
        "qa_mean",
        "occupancy",
        "ivr_containment",
        "ivr_abandon_rate",
        "ivr_s",
        "cost_per_call",
        "cost_per_minute",
        "complaint_rate",
        "error_rate",
        "entry_completeness",
    }
    assert "csat_mean" not in missing_inputs(eight_calls())


def intervals() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "interval_start": pd.to_datetime(["2025-01-06 08:00", "2025-01-06 08:30"]),
            "interval_minutes": [30.0, 30.0],
            "queue": pd.Categorical(["A", "A"]),
            "offered": [100.0, 50.0],
            "answered": [90.0, 45.0],
            "abandoned": [10.0, 5.0],
            "short_abandoned": [2.0, 0.0],
            "answered_in_sl": [72.0, 40.0],
            "wait_s_sum": [900.0, 450.0],
            "handle_s_sum": [18000.0, 9000.0],
            "staffed_agents": [12.0, 6.0],
        }
    )


def test_interval_frames():
    row = compute(intervals()).iloc[0]
    assert row.service_level == pytest.approx(112 / 148)  # (72 + 40) / (150 - 2)
    assert row.abandon_rate == pytest.approx(13 / 148)  # (15 - 2) / (150 - 2)
    assert row.asa_s == pytest.approx(10.0)  # 1350 / 135
    assert row.aht_s == pytest.approx(200.0)  # 27000 / 135
    # occupancy = handle / staffed seconds = 27000 / ((12 + 6) * 1800) = 0.8333
    assert row.occupancy == pytest.approx(27000 / 32400)
    assert row.staffed_hours == pytest.approx(9.0)
    assert math.isnan(row.transfer_rate)
    with pytest.raises(ValueError, match="30-minute intervals"):
        compute(intervals(), freq="15min")
    assert compute(intervals(), freq="h")["offered"].tolist() == [150.0]


def test_reported_service_level_rolls_up_weighted():
    frame = pd.DataFrame(
        {
            "interval_start": pd.to_datetime(["2025-01-06", "2025-01-07"]),
            "interval_minutes": [1440.0, 1440.0],
            "offered": [200.0, 100.0],
            "answered": [180.0, 95.0],
            "abandoned": [20.0, 5.0],
            "reported_service_level": [0.75, 0.90],
        }
    )
    # offered-weighted: (0.75 * 200 + 0.90 * 100) / 300 = 0.8
    assert compute(frame).iloc[0].service_level == pytest.approx(0.8)
    assert compute(frame, freq="D")["service_level"].tolist() == pytest.approx([0.75, 0.90])


def test_period_comparison():
    table = period_comparison(eight_calls(), "2025-01-07", "2025-01-08").set_index("kpi")
    # current = 01-07 (call 7 only), previous = 01-06 (calls 1-6)
    assert table.loc["offered", "current"] == 1 and table.loc["offered", "previous"] == 6
    assert table.loc["offered", "change"] == -5
    assert table.loc["service_level", "previous"] == pytest.approx(0.4)
    assert table.loc["service_level", "n_previous"] == 5
    assert set(table.index) == set(KPI_BASE)


def test_weekday_slot_table():
    table = weekday_slot_table(eight_calls(), slot="30min")
    monday_8 = table[(table.weekday == 0) & (table.slot == "08:00")].iloc[0]
    # Monday 08:00-08:30: calls 1, 2, 3 (08:00, 08:10, 08:20) on one date
    assert (monday_8.offered, monday_8.days, monday_8.offered_per_day) == (3, 1, 3)
    assert set(table.weekday) == {0, 1, 4}  # Mon 01-06, Tue 01-07, Fri 01-10


def test_output_columns_and_settings_validation():
    result = compute(eight_calls(), by="queue", freq="D")
    assert list(result.columns[:2]) == ["queue", "period"]
    assert all(c in result.columns for c in KPI_COLUMNS)
    with pytest.raises(ValueError, match="sl_formula"):
        KpiSettings(sl_formula="nonsense")
    with pytest.raises(ValueError, match="no such column"):
        compute(eight_calls(), by="team")


def test_format_value():
    assert format_value("service_level", 0.8176) == "81.8%"
    assert format_value("asa_s", 67.52) == "68 s"
    assert format_value("csat_mean", 3.4036) == "3.40"
    assert format_value("offered", 5000) == "5,000"
    assert format_value("aht_s", float("nan")) == "–"


@pytest.mark.parametrize(
    ("name", "change", "lang", "expected"),
    [
        ("service_level", 0.0123, "en", "+1.2 pp"),
        ("service_level", -0.0004, "en", "0.0 pp"),  # 0.04 points: no change, no sign
        ("service_level", 0.0004, "zh", "0.0 个百分点"),
        ("abandon_rate", -0.0006, "en", "-0.1 pp"),  # -0.06 points: a change, with its sign
        ("aht_s", 0.4, "en", "0 s"),
        ("aht_s", -12.6, "zh", "-13 秒"),
        ("qa_mean", 0.04, "en", "0.0"),  # QA with one decimal (KPI_DECIMALS)
        ("csat_mean", -0.003, "en", "0.00"),
        ("offered", 0.0, "en", "0"),
        ("offered", 1204.0, "en", "+1,204"),
    ],
)
def test_format_kpi_change_reads_a_change_that_rounds_to_zero_as_no_change(
    name, change, lang, expected
):
    assert format_kpi_change(name, change, lang) == expected


def test_unknown_abandon_waits_are_not_zero():
    calls = eight_calls()
    calls.loc[calls.abandoned, "wait_s"] = (
        np.nan
    )  # an export that leaves abandoned calls' wait blank
    row = compute(calls).iloc[0]
    assert math.isnan(row.avg_abandon_wait_s)
    assert row.abandon_wait_n == 0
    assert row.asa_s == pytest.approx(25.25)  # answered waits are untouched


# --------------------------------------------------------------------------- chart periods


def test_chart_interval_minutes_is_half_an_hour_or_the_export_interval():
    from ccmetrics.kpi import CHART_INTERVAL_MINUTES, chart_interval_minutes

    assert CHART_INTERVAL_MINUTES == 30
    # A call log: its calls can be cut into half hours.
    calls = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-01-06 09:00"]), "offered": [1]})
    assert chart_interval_minutes(calls) == 30
    # A 15-minute interval export is charted per half hour (two intervals per point).
    quarter = pd.DataFrame(
        {"interval_start": pd.to_datetime(["2025-01-06 09:00"] * 2), "interval_minutes": [15, 15]}
    )
    assert chart_interval_minutes(quarter) == 30
    # An hourly export cannot be cut finer than its hours; the longest interval wins.
    mixed = quarter.assign(interval_minutes=[30.0, 60.0])
    assert chart_interval_minutes(mixed) == 60
    # Lengths that are not numbers are ignored, none at all gives the default.
    assert chart_interval_minutes(quarter.assign(interval_minutes=["x", None])) == 30


def test_periods_within_counts_the_first_and_last_day():
    from ccmetrics.kpi import periods_within

    periods = pd.to_datetime(
        ["2025-03-02 23:30", "2025-03-03 00:00", "2025-03-04 18:00", "2025-03-05 00:00"]
    )
    # 2025-03-03 to 2025-03-04: the whole of both days, a half hour before and a midnight after not.
    assert periods_within(periods, "2025-03-03", "2025-03-04") == (False, True, True, False)
    # Weeks: a week starting 2025-03-03 lies in a range that holds its Monday.
    weeks = pd.to_datetime(["2025-02-24", "2025-03-03"])
    assert periods_within(weeks, pd.Timestamp("2025-03-01").date(), "2025-03-09") == (False, True)
