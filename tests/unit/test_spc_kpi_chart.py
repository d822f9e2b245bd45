"""ccmetrics.spc.kpi_chart: the control chart of one KPI of a per-period KPI table.

Expected values are hand calculations shown beside each assertion, Montgomery's c4 table,
numpy's sample standard deviation, or the measured figure on the bundled sample data.
Where kpi_chart only routes inputs to a chart function, the test compares with that
function's output on the same inputs (the chart functions have their reference tests in
tests/unit/test_spc.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ccmetrics import kpi, spc
from ccmetrics.schema import KpiSettings


def rate_table(values, n, start="2025-03-03", freq="D", kpi_name="service_level"):
    base = {"service_level": "sl_base", "abandon_rate": "abandon_base"}[kpi_name]
    return pd.DataFrame(
        {
            "period": pd.date_range(start, periods=len(values), freq=freq),
            kpi_name: np.asarray(values, dtype=float),
            base: np.asarray(n, dtype=float),
        }
    )


def test_sum_and_square_columns_are_the_kpi_engines():
    calls = pd.DataFrame(
        {
            "arrived_at": pd.to_datetime(["2025-01-01 08:00"]),
            "wait_s": [5.0],
            "answered": [True],
            "abandoned": [False],
            "talk_s": [100.0],
        }
    )
    columns = kpi.compute(calls, freq="D", keep_sums=True).columns
    for total, squares in spc._KPI_SQUARES.values():
        assert total in columns and squares in columns


def test_p_chart_limits_by_hand_and_rows_in_any_order():
    # x = 8, 10, 6, 16 of n = 40, 50, 30, 80: p-bar = 40 / 200 = 0.2, se_i = sqrt(0.16 / n_i)
    # UCL: n=40 0.2 + 3 * 0.0632456 = 0.389737; n=50 0.369706; n=30 0.419089; n=80 0.334164
    # LCL: n=40 0.010263; n=50 0.030294; n=30 -0.019089 -> clipped to 0; n=80 0.065836
    table = rate_table([0.2, 0.2, 0.2, 0.2], [40, 50, 30, 80])
    table["service_level"] = [8 / 40, 10 / 50, 6 / 30, 16 / 80]
    shuffled = table.iloc[[2, 0, 3, 1]].reset_index(drop=True)
    chart = spc.kpi_chart(shuffled, "service_level", chart="p")
    assert list(chart.index) == list(table["period"])  # sorted by period
    assert chart.index.name == "period"
    np.testing.assert_allclose(chart["center"], 0.2, rtol=1e-12)
    np.testing.assert_allclose(chart["ucl"], [0.389737, 0.369706, 0.419089, 0.334164], rtol=1e-5)
    np.testing.assert_allclose(chart["lcl"], [0.010263, 0.030294, 0.0, 0.065836], atol=1e-6)
    np.testing.assert_allclose(chart["n"], [40, 50, 30, 80])
    assert (chart["phase"] == "all").all()
    assert chart.attrs["improvement"] is None

    # a mask is one flag per row of the table as given (not the sorted order): with
    # 2025-03-06 at 40 of 80 (0.5) left out, p-bar = (8 + 10 + 6) / 120 = 0.2 and that day,
    # above its UCL 0.334164, signals
    outlier = shuffled.assign(
        service_level=np.where(shuffled["period"] == "2025-03-06", 0.5, shuffled["service_level"])
    )
    flags = outlier["period"] == pd.Timestamp("2025-03-06")
    excluded = spc.kpi_chart(outlier, "service_level", chart="p", exclude=flags)
    assert excluded["excluded"].tolist() == [False, False, False, True]
    np.testing.assert_allclose(excluded["center"], 0.2, rtol=1e-12)
    assert excluded["signal"].tolist() == [False, False, False, True]
    assert excluded["rules"].iloc[-1] == "nelson_1"


def test_numerator_is_recovered_whatever_the_service_level_formula():
    # 6 calls: waits 5, 10, 40 answered; 3 (short), 8, 50 abandoned. T = 20 s, S = 5 s.
    # "abandons_good": (A_T + B_T) / offered = (2 answered within 20 s + 2 abandoned within
    # 20 s) / 6 = 4/6 on day 1; day 2 is a copy with one more answered call at 60 s: 4/7.
    day1 = pd.DataFrame(
        {
            "arrived_at": pd.to_datetime(["2025-01-06 09:00"] * 6),
            "wait_s": [5.0, 10.0, 40.0, 3.0, 8.0, 50.0],
            "answered": [True, True, True, False, False, False],
            "abandoned": [False, False, False, True, True, True],
        }
    )
    day2 = pd.concat(
        [
            day1.assign(arrived_at=pd.Timestamp("2025-01-07 09:00")),
            pd.DataFrame(
                {
                    "arrived_at": [pd.Timestamp("2025-01-07 10:00")],
                    "wait_s": [60.0],
                    "answered": [True],
                    "abandoned": [False],
                }
            ),
        ]
    )
    settings = KpiSettings(sl_formula="abandons_good")
    table = kpi.compute(pd.concat([day1, day2]), freq="D", settings=settings, keep_sums=True)
    chart = spc.kpi_chart(table, "service_level", chart="p")
    np.testing.assert_allclose(chart["value"], [4 / 6, 4 / 7])
    np.testing.assert_allclose(chart["n"], [6, 7])
    # p-bar = (4 + 4) / (6 + 7) = 8/13
    np.testing.assert_allclose(chart["center"], 8 / 13)


def handle_calls() -> pd.DataFrame:
    """Three half hours of answered calls with known handle times (talk only)."""
    groups = {
        "2025-01-06 09:00": [100.0, 200.0, 300.0],  # mean 200, s = 100
        "2025-01-06 09:30": [150.0, 250.0],  # mean 200, s = 70.7107
        "2025-01-06 10:00": [120.0, 180.0, 240.0, 300.0],  # mean 210, s = 77.4597
    }
    rows = [
        {"arrived_at": pd.Timestamp(start) + pd.Timedelta(minutes=i), "talk_s": talk}
        for start, talks in groups.items()
        for i, talk in enumerate(talks)
    ]
    frame = pd.DataFrame(rows)
    return frame.assign(wait_s=10.0, answered=True, abandoned=False, hold_s=0.0, acw_s=0.0)


def test_xbar_s_chart_of_aht_from_sums_of_squares():
    table = kpi.compute(handle_calls(), freq="30min", keep_sums=True)
    chart = spc.kpi_chart(table, "aht_s", granularity="interval")
    assert chart.attrs["chart"] == "xbar_s"  # the default for a per-call mean per interval
    np.testing.assert_allclose(chart["value"], [200.0, 200.0, 210.0])
    np.testing.assert_allclose(chart["n"], [3, 2, 4])
    # s per interval: numpy's sample standard deviation (ddof=1) of the handle times
    expected_s = [
        np.std([100, 200, 300], ddof=1),
        np.std([150, 250], ddof=1),
        np.std([120, 180, 240, 300], ddof=1),
    ]
    np.testing.assert_allclose(chart["s"], expected_s, rtol=1e-12)
    # by hand: grand mean (600 + 400 + 840) / 9 = 204.444; pooled s^2 = (2 * 10000 + 1 * 5000
    # + 3 * 6000) / 6 = 7166.67, s_p = 84.656; sigma-hat = s_p / c4(7) with c4(7) = 0.9594
    # (Montgomery, Appendix VI) = 88.238; UCL of the first interval 204.444 + 3 * 88.238 / sqrt(3)
    np.testing.assert_allclose(chart["center"], 1840 / 9, rtol=1e-12)
    assert chart.attrs["phase_attrs"]["all"]["sigma_hat"] == pytest.approx(88.238, rel=1e-3)
    assert chart["ucl"].iloc[0] == pytest.approx(204.444 + 3 * 88.238 / np.sqrt(3), rel=1e-3)


def test_default_charts_and_fallbacks():
    calls = handle_calls()
    daily = kpi.compute(calls, freq="D", keep_sums=True)
    assert spc.kpi_chart(daily, "aht_s").attrs["chart"] == "xmr"  # daily means: XmR
    assert spc.kpi_chart(daily, "service_level").attrs["chart"] == "p_prime"
    by_interval = kpi.compute(calls, freq="30min", keep_sums=True)
    assert spc.kpi_chart(by_interval, "offered", granularity="interval").attrs["chart"] == (
        "seasonal"
    )
    weekly = kpi.compute(calls, freq="W", keep_sums=True)
    chart = spc.kpi_chart(weekly, "offered", granularity="week")
    assert chart.attrs["chart"] == "xmr"
    assert "seasonal" not in chart.attrs["charts_available"]
    assert spc.kpi_chart(daily, "service_level").attrs["charts_available"] == [
        "p_prime",
        "p",
        "xmr",
        "seasonal",
        "ewma",
        "cusum",
    ]
    # an interval export has sums but no sums of squares: AHT per interval falls back to XmR
    no_squares = by_interval.assign(handle_s_sq_sum__sum=np.nan)
    chart = spc.kpi_chart(no_squares, "aht_s", granularity="interval")
    assert chart.attrs["default_chart"] == "xmr" and "xbar_s" not in chart.attrs["charts_available"]
    with pytest.raises(ValueError, match="does not fit"):
        spc.kpi_chart(no_squares, "aht_s", chart="xbar_s", granularity="interval")
    with pytest.raises(ValueError, match="does not fit"):
        spc.kpi_chart(daily, "offered", chart="p_prime")


def test_change_recomputes_limits_per_phase_and_checks_the_improvement():
    # improvement_check's docstring example: 710, 700, 720 of 1000 before; 840, 850, 830 after.
    # By hand: p1 = 2130/3000 = 0.71, p2 = 2520/3000 = 0.84. Laney sigma_z within phases:
    # before z = 0, -0.697, +0.697 (se 0.014349), after z = 0, +0.863, -0.863 (se 0.011593);
    # mean moving range (0.697 + 1.394 + 0.863 + 1.725) / 4 = 1.1698, sigma_z = 1.0370,
    # phi = 1.0754; se = sqrt(phi (0.71 * 0.29 + 0.84 * 0.16) / 3000) = 0.011045;
    # 0.13 -/+ 1.95996 * 0.011045 = +10.8 to +15.2 points.
    table = rate_table([0.71, 0.70, 0.72, 0.84, 0.85, 0.83], [1000] * 6)
    chart = spc.kpi_chart(
        table, "service_level", change="2025-03-06", label="service level", label_zh="服务水平"
    )
    result = chart.attrs["improvement"]
    assert (
        result.sentence_en == "service level rose from 71.0% to 84.0%, 95% CI +10.8 to +15.2 points"
    )
    assert result.sentence_zh.startswith("服务水平从71.0%上升至84.0%")
    assert chart["phase"].tolist() == ["before"] * 3 + ["after"] * 3
    # limits per phase: the center of each phase is its own pooled proportion
    np.testing.assert_allclose(chart["center"], [0.71] * 3 + [0.84] * 3)
    before = spc.p_chart([710, 700, 720], [1000] * 3, laney=True)
    np.testing.assert_allclose(chart["ucl"].iloc[:3], before["ucl"], rtol=1e-12)
    assert set(chart.attrs["phase_attrs"]) == {"before", "after"}
    with pytest.raises(ValueError, match="both sides"):
        spc.kpi_chart(table, "service_level", change="2025-01-01")


def test_improvement_of_a_mean_kpi_is_welch_on_the_period_values():
    # daily AHT 300, 310, 290 then 330, 340, 320: Welch difference 30 s; each phase has
    # variance 100, so se = sqrt(100/3 + 100/3) = 8.165 and t = 30 / 8.165 = 3.674
    table = pd.DataFrame(
        {
            "period": pd.date_range("2025-03-03", periods=6, freq="D"),
            "aht_s": [300.0, 310.0, 290.0, 330.0, 340.0, 320.0],
            "handle_n": [50.0] * 6,
        }
    )
    chart = spc.kpi_chart(table, "aht_s", change="2025-03-06", label="AHT", unit=" s", decimals=0)
    result = chart.attrs["improvement"]
    assert result.kind == "mean"
    assert result.difference == pytest.approx(30.0)
    assert result.statistic == pytest.approx(30 / np.sqrt(200 / 3), rel=1e-9)
    assert result.sentence_en.startswith("AHT rose from 300 s to 330 s")


def test_errors_are_clear():
    table = rate_table([0.5, 0.6], [10, 10])
    with pytest.raises(ValueError, match="period column"):
        spc.kpi_chart(table.drop(columns="period"), "service_level")
    with pytest.raises(ValueError, match="no column"):
        spc.kpi_chart(table, "csat_mean")
    with pytest.raises(ValueError, match="one row per period"):
        spc.kpi_chart(pd.concat([table, table]), "service_level")
    with pytest.raises(ValueError, match="granularity"):
        spc.kpi_chart(table, "service_level", granularity="month")


def test_sample_daily_service_level_flags_the_incident_days():
    """On the 90 days of the bundled sample the default daily service-level chart flags the
    storm, the surge and the staffing shortfall; measured: no other day."""
    sample = pytest.importorskip("ccmetrics.sample")
    table = kpi.compute(sample.generate_calls(), freq="D", keep_sums=True)
    chart = spc.kpi_chart(table, "service_level")
    assert chart.attrs["chart"] == "p_prime"
    flagged = set(chart.index[chart["signal"]].strftime("%Y-%m-%d"))
    incident_days = {
        sample.INCIDENTS[name]["first_date"] for name in ("storm", "surge", "staffing_shortfall")
    }
    assert flagged == incident_days  # measured: exactly these three


def asa_table(means, n=4, sd=None, start="2025-03-03 09:00", freq="30min"):
    """Periods of ASA with the sums kpi.compute(keep_sums=True) gives: sum = n mean and
    sum of squares = (n - 1) sd^2 + n mean^2."""
    means = np.asarray(means, dtype=float)
    sd = 20 * spc.c4(19) if sd is None else sd
    return pd.DataFrame(
        {
            "period": pd.date_range(start, periods=len(means), freq=freq),
            "asa_s": means,
            "wait_n": float(n),
            "wait_s_sum__sum": n * means,
            "wait_s_sq_sum__sum": (n - 1) * sd**2 + n * means**2,
        }
    )


def test_asa_per_interval_is_laney_adjusted_when_overdispersed_and_clipped_at_zero():
    """Hand: six baseline half hours of 4 answered calls, means 5, 25, 5, 25, 5, 25 s and
    s = 20 c4(19) s: sum(n - 1) = 18, so sigma-hat = 20 and se = 20 / sqrt(4) = 10; center 15.

    z = -1, +1, ... -> sigma_z = 2 / 1.128 = 1.7730496 > 1.5: the default ("auto") widens
    the limits to 15 -/+ 3 * 17.730496 = -38.191489 / 68.191489; the lower one is clipped to
    0 s. The 7th half hour (50 s, phase II) is inside. The plain Xbar-S limits are 15 -/+ 30
    = -15 (clipped to 0) / 45, and 50 s signals.
    """
    table = asa_table([5, 25, 5, 25, 5, 25, 50])
    baseline = np.arange(7) < 6
    chart = spc.kpi_chart(table, "asa_s", granularity="interval", baseline=baseline)
    assert chart.attrs["chart"] == "xbar_s"  # the default for ASA per interval (default_chart_for)
    assert chart.attrs["laney"] is True and chart.attrs["lower_bound"] == 0
    phase = chart.attrs["phase_attrs"]["all"]
    assert phase["chart"] == "xbar_s_prime"
    assert phase["sigma_hat"] == pytest.approx(20.0, rel=1e-9)
    assert phase["sigma_z"] == pytest.approx(2 / 1.128, rel=1e-9)
    np.testing.assert_allclose(chart["ucl"], 68.191489, rtol=1e-7)
    assert chart["lcl"].tolist() == [0.0] * 7
    assert not chart["signal"].any()
    warnings = chart.attrs["diagnostics"]["warnings"]
    assert [(w["code"], w["adjusted"]) for w in warnings if "adjusted" in w] == [
        ("overdispersion", True)
    ]

    plain = spc.kpi_chart(table, "asa_s", granularity="interval", baseline=baseline, laney=False)
    assert plain.attrs["laney"] is False
    np.testing.assert_allclose(plain["ucl"], 45.0, rtol=1e-9)
    assert plain["lcl"].tolist() == [0.0] * 7
    assert plain["signal"].tolist() == [False] * 6 + [True]
    warnings = plain.attrs["diagnostics"]["warnings"]
    assert [(w["code"], w["adjusted"]) for w in warnings if "adjusted" in w] == [
        ("overdispersion", False)
    ]


def test_every_chart_of_a_kpi_table_is_clipped_at_zero():
    """Three weeks of small daily ASA values: XmR, EWMA, Xbar-S and seasonal lower limits
    would be negative; kpi_chart clips each at 0 (the chart functions' own limits are tested
    in tests/unit/test_spc.py)."""
    weeks = [[2.0, 30, 4, 25, 3, 1, 40], [6, 22, 1, 33, 8, 3, 31], [1, 35, 7, 20, 2, 6, 45]]
    daily = [value for week in weeks for value in week]
    table = asa_table(daily, sd=15.0, start="2025-03-03", freq="D")
    for chart_type in ("xmr", "ewma", "xbar_s", "seasonal"):
        chart = spc.kpi_chart(table, "asa_s", chart=chart_type, granularity="day")
        assert chart["lcl"].min() == 0.0, chart_type
        assert chart.attrs["lower_bound"] == 0
    unclipped = spc.xmr_chart(table["asa_s"])
    assert unclipped["lcl"].iloc[0] < 0  # the case needs a negative limit to clip


def test_sample_asa_per_half_hour_signals_only_the_incidents_once_laney_adjusted():
    """The reviewer's window of the bundled sample: 2025-03-10 to 2025-03-17, 224 half hours.

    Measured: ASA per half hour varies sigma_z = 2.263 times more than the waits within each
    half hour explain (lag-1 autocorrelation 0.61). Plain Xbar-S limits flag 82 of the 224;
    the default (Laney-adjusted) chart flags 22: Nelson 1 at 11 half hours, all of them in the
    surge window (2025-03-11 09:00-12:00, 6) and on the staffing-shortfall day (2025-03-17,
    5), plus 11 points of long runs (Anhøj) that the autocorrelation warning explains. AHT on
    the same window is not over-dispersed (sigma_z 0.99) and keeps the plain Xbar-S chart.
    """
    sample = pytest.importorskip("ccmetrics.sample")
    path = sample.SAMPLE_DIR / "calls.parquet"
    if not path.exists():
        pytest.skip(f"sample data not generated yet: {path}")
    calls = pd.read_parquet(path)
    start = pd.Timestamp("2025-03-10")
    window = calls[
        (calls["arrived_at"] >= start) & (calls["arrived_at"] < start + pd.Timedelta(days=8))
    ]
    table = kpi.compute(window, freq="30min", keep_sums=True)
    assert len(table) == 224

    chart = spc.kpi_chart(table, "asa_s", granularity="interval")
    phase = chart.attrs["phase_attrs"]["all"]
    assert phase["chart"] == "xbar_s_prime"
    assert phase["sigma_z"] == pytest.approx(2.263, abs=5e-4)
    warnings = chart.attrs["diagnostics"]["warnings"]
    assert [w["code"] for w in warnings] == ["overdispersion", "autocorrelation"]
    assert warnings[0]["adjusted"] is True
    assert (chart["lcl"] >= 0).all()
    assert int(chart["signal"].sum()) == 22
    beyond = chart.index[chart["rules"].str.contains("nelson_1")]
    surge = sample.INCIDENTS["surge"]
    shortfall = sample.INCIDENTS["staffing_shortfall"]
    in_surge = (beyond.strftime("%Y-%m-%d") == surge["first_date"]) & (
        (beyond.strftime("%H:%M") >= surge["time_window"][0])
        & (beyond.strftime("%H:%M") < surge["time_window"][1])
    )
    on_shortfall = beyond.strftime("%Y-%m-%d") == shortfall["first_date"]
    assert (int(in_surge.sum()), int(on_shortfall.sum()), len(beyond)) == (6, 5, 11)

    plain = spc.kpi_chart(table, "asa_s", granularity="interval", laney=False)
    assert int(plain["signal"].sum()) == 82  # the reviewer's figure
    aht = spc.kpi_chart(table, "aht_s", granularity="interval")
    assert aht.attrs["phase_attrs"]["all"]["chart"] == "xbar_s"
    assert aht.attrs["phase_attrs"]["all"]["sigma_z"] == pytest.approx(0.992, abs=5e-4)
