"""Cost and quality KPIs (ccmetrics.kpi) and the ACW-against-quality check (ccmetrics.quality).

Expected KPI values are worked out by hand from the six calls below (the arithmetic is
next to each assert). The correlations are checked against scipy.stats (pearsonr with
its Fisher-z confidence_interval, spearmanr), the published library the DESIGN names as
a reference for statistics.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from ccmetrics import cube, kpi, kpis, quality
from ccmetrics.schema import KpiSettings

NA = pd.NA


def six_calls() -> pd.DataFrame:
    """Four answered calls, two abandoned; cost, flags and completeness partly unknown."""
    return pd.DataFrame(
        {
            "call_id": [f"c{i}" for i in range(1, 7)],
            "arrived_at": pd.to_datetime(
                [
                    "2025-01-06 08:00",
                    "2025-01-06 08:10",
                    "2025-01-06 08:20",
                    "2025-01-06 09:00",
                    "2025-01-07 09:10",
                    "2025-01-07 09:20",
                ]
            ),
            "wait_s": [10.0, 20.0, 30.0, 5.0, 15.0, 40.0],
            "answered": [True, True, False, True, True, False],
            "abandoned": [False, False, True, False, False, True],
            "agent": pd.Categorical(["A", "A", None, "B", "B", None]),
            "talk_s": [100.0, 200.0, np.nan, 50.0, 150.0, np.nan],
            "hold_s": [0.0, 10.0, np.nan, 0.0, 0.0, np.nan],
            "acw_s": [20.0, 30.0, np.nan, 10.0, 40.0, np.nan],
            "cost": [2.0, 3.0, 0.5, np.nan, 1.5, np.nan],
            "complaint": pd.array([False, True, NA, False, NA, NA], dtype="boolean"),
            "business_error": pd.array([False, True, NA, NA, False, NA], dtype="boolean"),
            "entry_completeness": [1.0, 0.5, np.nan, np.nan, 0.8, np.nan],
        }
    )


def test_cost_and_quality_kpis_by_hand():
    row = kpi.compute(six_calls()).iloc[0]
    # cost known on offered calls c1, c2, c3, c5: 2.0 + 3.0 + 0.5 + 1.5 = 7.0 over 4 calls
    assert row["cost_n"] == 4
    assert row["cost_per_call"] == pytest.approx(7.0 / 4)
    # handle seconds of those calls: c1 100+0+20 = 120, c2 200+10+30 = 240, c3 abandoned 0,
    # c5 150+0+40 = 190 -> 550 s = 9.1667 min; 7.0 / 9.1667 = 0.76364
    assert row["cost_minutes"] == pytest.approx(550 / 60)
    assert row["cost_per_minute"] == pytest.approx(7.0 / (550 / 60))
    # complaint flag known on answered c1, c2, c4 (c5 unknown; c3 abandoned): 1 of 3
    assert row["complaint_n"] == 3
    assert row["complaint_rate"] == pytest.approx(1 / 3)
    # error flag known on answered c1, c2, c5: c2 -> 1 of 3
    assert row["error_n"] == 3
    assert row["error_rate"] == pytest.approx(1 / 3)
    # completeness on answered c1, c2, c5: (1.0 + 0.5 + 0.8) / 3 = 0.76667
    assert row["entry_n"] == 3
    assert row["entry_completeness"] == pytest.approx(2.3 / 3)


def test_by_agent_and_by_day():
    by_agent = kpi.compute(six_calls(), by="agent").set_index("agent")
    # A: cost (2 + 3) / 2 = 2.5, errors 1 of 2; B: cost 1.5 / 1 (c4 has none), errors 0 of 1
    assert by_agent.loc["A", "cost_per_call"] == pytest.approx(2.5)
    assert by_agent.loc["B", "cost_per_call"] == pytest.approx(1.5)
    assert by_agent.loc["A", "error_rate"] == pytest.approx(0.5)
    assert by_agent.loc["B", "error_rate"] == 0.0
    # B's completeness: only c5 records it, 0.8
    assert by_agent.loc["B", "entry_completeness"] == pytest.approx(0.8)
    days = kpi.compute(six_calls(), freq="D")
    # 01-06: c1, c2, c3 cost 5.5 over 3; 01-07: c5 1.5 over 1 (c6 has no cost)
    assert days["cost_per_call"].tolist() == pytest.approx([5.5 / 3, 1.5])


def test_cube_rolls_up_to_the_same_kpis_bit_for_bit():
    # costs and shares are summed as whole ten-thousandths: any order of summation agrees
    calls = six_calls().assign(cost=[0.1, 0.2, 0.3, np.nan, 0.7, np.nan])
    built = cube.build_cube(calls, "30min", dims=["agent"])
    from_cube = kpi.compute(built).iloc[0]
    direct = kpi.compute(calls).iloc[0]
    for name in kpis.QUALITY_KPIS:
        assert from_cube[name] == direct[name], name
    # 0.1 + 0.2 + 0.3 + 0.7 = 1.3 over 4 calls (10⁴ × each, summed: 13,000 / 10⁴ / 4)
    assert direct["cost_per_call"] == 1.3 / 4


def test_cost_sums_match_the_pandas_route():
    """The fast group sums and pandas' group-by give the same KPIs, bit for bit."""
    calls = six_calls()
    fast = kpi.compute(calls, by="agent")
    # an object-dtype key takes the pandas route (call_measures + groupby)
    slow = kpi.compute(calls.assign(agent=calls["agent"].astype(object)), by="agent")
    for name in (*kpis.QUALITY_KPIS, "aht_s"):
        np.testing.assert_array_equal(fast[name].to_numpy(), slow[name].to_numpy(), err_msg=name)


def test_missing_inputs_and_no_data_is_missing_not_zero():
    calls = six_calls().drop(columns=["cost", "complaint", "business_error", "entry_completeness"])
    row = kpi.compute(calls).iloc[0]
    for name in kpis.QUALITY_KPIS:
        assert np.isnan(row[name]), name
    assert set(kpis.QUALITY_KPIS) <= set(kpi.missing_inputs(calls))
    assert not set(kpis.QUALITY_KPIS) & set(kpi.missing_inputs(six_calls()))


def test_cost_per_agent_hour_from_interval_staffing():
    intervals = pd.DataFrame(
        {
            "interval_start": pd.to_datetime(["2025-01-06 08:00", "2025-01-06 08:30"]),
            "interval_minutes": [30.0, 30.0],
            "offered": [10.0, 6.0],
            "answered": [8.0, 4.0],
            "handle_s_sum": [3600.0, 1800.0],
            "staffed_agents": [4.0, 2.0],
        }
    )
    settings = KpiSettings(cost_per_agent_hour=30.0)
    row = kpi.compute(intervals, settings=settings).iloc[0]
    # staffed hours 4 × 0.5 + 2 × 0.5 = 3; cost 30 × 3 = 90; answered 12 -> 7.5 per call;
    # handle 5,400 s = 90 min -> 1.0 per minute
    assert row["cost_per_call"] == pytest.approx(7.5)
    assert row["cost_n"] == 12
    assert row["cost_per_minute"] == pytest.approx(1.0)
    assert row["cost_minutes"] == pytest.approx(90.0)
    # without the setting an interval export has no cost
    assert np.isnan(kpi.compute(intervals).iloc[0]["cost_per_call"])


def test_cost_per_agent_hour_wins_over_the_cost_column_and_needs_staffing():
    # calls carry no staffing: with the setting the cost is unknown, not the column's
    row = kpi.compute(six_calls(), settings=KpiSettings(cost_per_agent_hour=30.0)).iloc[0]
    assert np.isnan(row["cost_per_call"]) and np.isnan(row["cost_n"])
    with pytest.raises(ValueError, match="cost_per_agent_hour"):
        KpiSettings(cost_per_agent_hour=-1.0)


# --------------------------------------------------------------------------- ACW vs quality


def agents_frame(acw_by_agent: dict, errors_by_agent: dict, calls_each: int = 20) -> pd.DataFrame:
    """``calls_each`` answered calls per agent, every call of an agent with the same ACW,
    the first ``errors`` of them flagged as business errors, completeness 1 − errors/calls."""
    rows = []
    for agent, acw in acw_by_agent.items():
        errors = errors_by_agent[agent]
        for i in range(calls_each):
            rows.append(
                {
                    "arrived_at": pd.Timestamp("2025-01-06 08:00") + pd.Timedelta(minutes=i),
                    "wait_s": 5.0,
                    "answered": True,
                    "abandoned": False,
                    "talk_s": 120.0,
                    "acw_s": float(acw),
                    "agent": agent,
                    "business_error": i < errors,
                    "entry_completeness": 0.0 if i < errors else 1.0,
                }
            )
    return pd.DataFrame(rows)


ACW = {"a": 10, "b": 20, "c": 30, "d": 40, "e": 50, "f": 60, "g": 70, "h": 80}
ERRORS = {"a": 9, "b": 8, "c": 8, "d": 5, "e": 4, "f": 3, "g": 1, "h": 2}


def test_acw_quality_matches_scipy():
    frame = agents_frame(ACW, ERRORS)
    result = quality.acw_quality(frame, "error_rate", by="agent")
    x = np.array(list(ACW.values()), dtype=float)
    y = np.array(list(ERRORS.values()), dtype=float) / 20  # error rate of each agent
    assert result.n_units == 8
    assert result.units["acw_s"].tolist() == pytest.approx(x.tolist())
    assert result.units["quality"].tolist() == pytest.approx(y.tolist())
    assert result.units["quality_n"].tolist() == [20] * 8
    reference = stats.pearsonr(x, y)
    interval = reference.confidence_interval(0.95)
    assert result.pearson_r == pytest.approx(reference.statistic)
    assert result.pearson_p == pytest.approx(reference.pvalue)
    assert result.pearson_low == pytest.approx(interval.low)
    assert result.pearson_high == pytest.approx(interval.high)
    rank = stats.spearmanr(x, y)
    assert result.spearman_rho == pytest.approx(rank.statistic)
    assert result.spearman_p == pytest.approx(rank.pvalue)
    # Spearman interval: tanh(atanh(rho) ∓ 1.959964 × sqrt(1.06 / (8 − 3)))
    z, se = np.arctanh(rank.statistic), np.sqrt(1.06 / 5)
    assert result.spearman_low == pytest.approx(np.tanh(z - 1.959963984540054 * se))
    assert result.spearman_high == pytest.approx(np.tanh(z + 1.959963984540054 * se))
    # the least-squares line the chart draws: numpy's degree-1 polyfit of the same points
    slope, intercept = np.polyfit(x, y, 1)
    assert result.slope == pytest.approx(slope) and result.intercept == pytest.approx(intercept)
    # both intervals below 0: shorter ACW, more errors — the brief's warning holds
    assert result.pearson_high < 0 and result.spearman_high < 0
    assert result.reading == "shorter_acw_worse"


def test_completeness_reading_follows_the_direction_of_better():
    # completeness = 1 − error share: positively correlated with ACW, still the warning
    result = quality.acw_quality(agents_frame(ACW, ERRORS), "entry_completeness")
    assert result.pearson_low > 0
    assert result.reading == "shorter_acw_worse"
    # the mirror image: errors rise with ACW -> shorter ACW has fewer errors
    mirrored = dict(zip(ACW, reversed(list(ERRORS.values())), strict=True))
    assert quality.acw_quality(agents_frame(ACW, mirrored)).reading == "shorter_acw_better"


def test_no_evidence_and_too_few_units():
    flat = {"a": 5, "b": 2, "c": 6, "d": 3, "e": 5, "f": 2, "g": 6, "h": 3}
    result = quality.acw_quality(agents_frame(ACW, flat))
    assert result.pearson_low < 0 < result.pearson_high
    assert result.reading == "no_evidence"
    three = {k: ACW[k] for k in "abc"}
    few = quality.acw_quality(agents_frame(three, ERRORS))
    assert few.n_units == 3 and few.reading == "too_few_units"
    assert np.isnan(few.pearson_low)


def test_units_below_min_calls_are_left_out():
    frame = agents_frame(ACW, ERRORS)
    small = agents_frame({"z": 5}, {"z": 0}, calls_each=5)
    result = quality.acw_quality(pd.concat([frame, small], ignore_index=True), min_calls=20)
    assert "z" not in set(result.units["agent"])  # 5 calls < 20
    assert result.n_units == 8


def test_bad_arguments():
    with pytest.raises(ValueError, match="quality"):
        quality.acw_quality(six_calls(), "aht_s")
    with pytest.raises(ValueError, match="team"):
        quality.acw_quality(six_calls(), by="team")


def test_fisher_interval_by_hand():
    # r = 0.5, n = 28: z = 0.549306, se = 0.2; tanh(0.157313) = 0.15603, tanh(0.941299) = (e^1.882598 − 1) / (e^1.882598 + 1) = 0.73582
    low, high = quality.fisher_interval(0.5, 28)
    assert (low, high) == pytest.approx((0.15603, 0.73582), abs=1e-5)
    assert np.isnan(quality.fisher_interval(0.5, 3)[0])
