"""Tests for ccmetrics.compare.

Published reference data and values live in ``tests/unit/results/compare_reference.py`` with their
sources; each test names the source it reproduces. Where no published value exists the expected
value is a hand calculation written out in the test, or the output of an independent published
library (scipy, statsmodels) computed another way. Tolerances follow the published digits: a value
printed with k decimals is checked to half a unit in the k-th decimal.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import proportions_ztest

from ccmetrics import compare, kpi, multitest, sample
from tests.unit.results import compare_reference as ref

Z_95 = NormalDist().inv_cdf(0.975)
Z_998 = NormalDist().inv_cdf(0.999)


# ---------------------------------------------------------------------------
# small canonical frames
# ---------------------------------------------------------------------------


def answered_calls(**columns) -> pd.DataFrame:
    """Answered calls with the required canonical columns and the given extra columns."""
    size = len(next(iter(columns.values())))
    frame = pd.DataFrame(
        {
            "call_id": [f"c{i}" for i in range(size)],
            "arrived_at": pd.Timestamp("2025-01-06 09:00") + pd.to_timedelta(range(size), "min"),
            "wait_s": 5.0,
            "answered": True,
            "abandoned": False,
        }
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


def grouped_scores(groups: dict, column: str = "qa_score", by: str = "agent") -> pd.DataFrame:
    """One answered call per value, the unit named by the dict key."""
    labels, values = [], []
    for name, scores in groups.items():
        labels += [name] * len(scores)
        values += [float(v) for v in scores]
    return answered_calls(**{by: labels, column: values})


def transfers(counts: dict, strata: dict | None = None) -> pd.DataFrame:
    """Answered calls per agent with `transferred` flags: {agent: (transferred, answered)}."""
    agents, flags, categories = [], [], []
    for agent, parts in counts.items():
        parts = parts if isinstance(parts, list) else [("all",) + tuple(parts)]
        for category, transferred, answered in parts:
            agents += [agent] * answered
            flags += [True] * transferred + [False] * (answered - transferred)
            categories += [category] * answered
    frame = answered_calls(agent=agents, transferred=pd.array(flags, dtype="boolean"))
    frame["category"] = categories
    return frame


# ---------------------------------------------------------------------------
# basics
# ---------------------------------------------------------------------------


def test_level_suffix_names_the_limit_columns():
    assert compare.level_suffix(0.95) == "95"
    assert compare.level_suffix(0.998) == "99_8"
    assert compare.level_suffix(0.9) == "90"
    with pytest.raises(ValueError):
        compare.level_suffix(95)


def test_unknown_metric_is_refused():
    frame = grouped_scores({"A": [1, 2], "B": [3, 4]})
    with pytest.raises(ValueError, match="unknown metric"):
        compare.funnel(frame, "agent", "happiness")


def test_call_values_average_to_the_kpi_engine_means():
    """The per-call values behind each mean metric reproduce kpi.compute per agent."""
    frame = answered_calls(
        agent=["A", "A", "A", "B", "B"],
        talk_s=[100.0, 200.0, np.nan, 50.0, 70.0],
        hold_s=[10.0, np.nan, 5.0, 0.0, 0.0],
        acw_s=[20.0, 20.0, 20.0, 10.0, np.nan],
        csat=[5.0, np.nan, 3.0, 4.0, np.nan],
        qa_score=[90.0, np.nan, np.nan, 70.0, 80.0],
    )
    frame["wait_s"] = [1.0, 30.0, 2.0, 40.0, 50.0]
    frame.loc[4, "answered"] = False
    frame.loc[4, "abandoned"] = True
    table = kpi.compute(frame, by="agent").set_index("agent")
    for metric in compare.MEAN_METRICS:
        summary = compare.unit_summary(frame, "agent", metric).set_index("agent")
        for agent in summary.index:
            assert summary.loc[agent, "value"] == pytest.approx(table.loc[agent, metric])
            base = kpi.KPI_BASE[metric]
            assert summary.loc[agent, "n"] == table.loc[agent, base]
    # hand check of AHT for A: (100+10+20) and (200+0+20); the third call has no talk time
    values = compare.call_values(frame, "aht_s")
    assert values.tolist()[:2] == [130.0, 220.0]
    assert math.isnan(values.iloc[2])


def test_unit_summary_of_a_proportion_uses_the_kpi_counts():
    frame = transfers({"A": (5, 10), "B": (6, 30)})
    summary = compare.unit_summary(frame, "agent", "transfer_rate").set_index("agent")
    assert summary.loc["A", ["successes", "n", "value"]].tolist() == [5.0, 10.0, 0.5]
    assert summary.loc["B", ["successes", "n", "value"]].tolist() == [6.0, 30.0, 0.2]


# ---------------------------------------------------------------------------
# funnel limits
# ---------------------------------------------------------------------------


def test_wilson_limits_reproduce_the_phe_fingertips_funnel_table():
    """PHEindicatormethods testdata_funnel_prop_outputs.csv (inverted Wilson limits).

    The published baseline is rounded to 6 decimals in per cent, which moves the limits by up
    to about 1e-6 percentage points; the check allows 2e-6 (the table prints 6 decimals).
    """
    table = np.array(ref.PHE_FUNNEL_LIMITS, dtype=float)
    limits = compare.funnel_limits(
        ref.PHE_BASELINE_PERCENT / 100, table[:, 0], method="wilson", levels=(0.95, 0.998)
    )
    got = 100 * limits[["lower_95", "upper_95", "lower_99_8", "upper_99_8"]].to_numpy()
    np.testing.assert_allclose(got, table[:, 1:], rtol=0, atol=2e-6)


def test_exact_binomial_limits_by_hand_for_n_10():
    """Spiegelhalter (2005) appendix A.1.1 with Binomial(10, 0.5), whose cdf is k/1024.

    F(0..10) x 1024 = 1, 11, 56, 176, 386, 638, 848, 968, 1013, 1023, 1024.
    95 %, lower: p = 0.025 -> 25.6/1024; r = 2 (F(1) = 11 < 25.6 <= F(2) = 56),
        alpha = (56 - 25.6)/(56 - 11) = 30.4/45, limit = (2 - alpha)/10.
    95 %, upper: p = 0.975 -> 998.4/1024; r = 8 (968 < 998.4 <= 1013),
        alpha = (1013 - 998.4)/(1013 - 968) = 14.6/45, limit = (8 - alpha)/10.
    99.8 %, lower: p = 0.001 -> 1.024; r = 1, alpha = (11 - 1.024)/10, limit = (1 - alpha)/10.
    99.8 %, upper: p = 0.999 -> 1022.976; r = 9, alpha = (1023 - 1022.976)/10,
        limit = (9 - alpha)/10.
    """
    limits = compare.funnel_limits(0.5, [10], method="exact").iloc[0]
    assert limits["lower_95"] == pytest.approx((2 - 30.4 / 45) / 10, abs=1e-12)
    assert limits["upper_95"] == pytest.approx((8 - 14.6 / 45) / 10, abs=1e-12)
    assert limits["lower_99_8"] == pytest.approx((1 - (11 - 1.024) / 10) / 10, abs=1e-12)
    assert limits["upper_99_8"] == pytest.approx((9 - (1023 - 1022.976) / 10) / 10, abs=1e-12)


def test_exact_limits_of_an_uneven_target_follow_the_binomial_cdf():
    """Binomial(20, 0.8) by hand: F(12) = 0.0321, F(11) = 0.00998 (sums of C(20,k) .8^k .2^(20-k)).

    The 95 % lower limit: r = 12 since F(11) < 0.025 <= F(12);
    alpha = (F(12) - 0.025)/(F(12) - F(11)); limit = (12 - alpha)/20.
    """

    def cdf(r):
        return sum(math.comb(20, k) * 0.8**k * 0.2 ** (20 - k) for k in range(r + 1))

    assert cdf(11) < 0.025 <= cdf(12)
    alpha = (cdf(12) - 0.025) / (cdf(12) - cdf(11))
    limits = compare.funnel_limits(0.8, [20], levels=(0.95,)).iloc[0]
    assert limits["lower_95"] == pytest.approx((12 - alpha) / 20, abs=1e-12)


def test_normal_limits_of_a_proportion_by_hand():
    # 0.2 +/- 1.959964 * sqrt(0.2 * 0.8 / 100) = 0.2 +/- 1.959964 * 0.04
    limits = compare.funnel_limits(0.2, [100], method="normal", levels=(0.95,)).iloc[0]
    assert limits["lower_95"] == pytest.approx(0.2 - Z_95 * 0.04, abs=1e-12)
    assert limits["upper_95"] == pytest.approx(0.2 + Z_95 * 0.04, abs=1e-12)


def test_limits_widen_by_tau2():
    # 0.5 +/- 1.96 sqrt(0.25/100 + 0.01) = 0.5 +/- 1.96 sqrt(0.0125)
    limits = compare.funnel_limits(0.5, [100], levels=(0.95,), tau2=0.01).iloc[0]
    assert limits["upper_95"] == pytest.approx(0.5 + Z_95 * math.sqrt(0.0125), abs=1e-12)


def test_limits_of_a_mean_need_sigma():
    with pytest.raises(ValueError, match="sigma"):
        compare.funnel_limits(300.0, [10], kind="mean")
    limits = compare.funnel_limits(300.0, [25], kind="mean", sigma=100.0, levels=(0.95,))
    assert limits["upper_95"].iloc[0] == pytest.approx(300 + Z_95 * 20, abs=1e-9)


# ---------------------------------------------------------------------------
# over-dispersion
# ---------------------------------------------------------------------------


def test_overdispersion_by_hand_with_winsorised_z_scores():
    """z = 1..10 (se 1, target 0). The 10 % and 90 % quantiles (linear) are 1.9 and 9.1, so
    the winsorised z are 1.9, 2..9, 9.1: phi = (1.9² + Σ_{k=2}^{9} k² + 9.1²)/10
    = (3.61 + 284 + 82.81)/10 = 37.042; tau² = (10 phi - 9)/(Σw - Σw²/Σw) = 361.42/9.
    """
    out = compare.overdispersion_test(np.arange(1.0, 11.0), np.ones(10), 0.0, trim=0.1)
    assert out["phi"] == pytest.approx(37.042, abs=1e-12)
    assert out["tau2"] == pytest.approx(361.42 / 9, abs=1e-12)
    assert out["chi2"] == pytest.approx(370.42, abs=1e-12)
    assert out["df"] == 9
    assert out["p_value"] == pytest.approx(stats.chi2.sf(370.42, 9))


def test_overdispersion_without_winsorising_is_dersimonian_laird():
    """Kacker (2004) data with metafor's FE mean as target: I·phi is Cochran's Q (QE) and tau²
    the DerSimonian–Laird estimate (metafor rma(method = "DL"), via statsmodels results_meta)."""
    out = compare.overdispersion_test(
        ref.KACKER_Y, np.sqrt(ref.KACKER_V), ref.METAFOR_FE_MEAN, trim=0
    )
    assert out["chi2"] == pytest.approx(ref.METAFOR_QE, rel=1e-10)
    assert out["tau2"] == pytest.approx(ref.METAFOR_DL_TAU2, rel=1e-10)


# ---------------------------------------------------------------------------
# funnel tables
# ---------------------------------------------------------------------------


def test_funnel_of_a_mean_by_hand():
    """A 80, 82, 84 (mean 82, SS 8); B 70, 72, 74 (72, SS 8); C 74, 76, 78, 78, 80, 82 (78, SS 40).

    target = 930/12 = 77.5; pooled sigma² = (8 + 8 + 40)/(12 - 3) = 56/9.
    99.8 % limits for n = 3: 77.5 ± 3.0902 · sqrt(56/9/3) = [73.05, 81.95] -> A above, B below;
    for n = 6: 77.5 ± 3.0902 · sqrt(56/9/6) = [74.35, 80.65] -> C inside.
    """
    frame = grouped_scores({"A": [80, 82, 84], "B": [70, 72, 74], "C": [74, 76, 78, 78, 80, 82]})
    table = compare.funnel(frame, "agent", "qa_mean", overdispersion="none").set_index("agent")
    sigma = math.sqrt(56 / 9)
    assert table.attrs["target"] == pytest.approx(77.5)
    assert table.attrs["sigma"] == pytest.approx(sigma)
    assert table.attrs["method"] == "normal"
    assert table.loc["A", "upper_99_8"] == pytest.approx(77.5 + Z_998 * sigma / math.sqrt(3))
    assert table.loc["C", "lower_95"] == pytest.approx(77.5 - Z_95 * sigma / math.sqrt(6))
    assert table.loc["A", "z"] == pytest.approx((82 - 77.5) / (sigma / math.sqrt(3)))
    assert table["flag"].to_dict() == {"A": "above", "B": "below", "C": ""}
    assert list(table.columns[:3]) == ["n", "value", "target"]
    assert set(table.attrs["conclusion"]) == {"en", "zh"}
    assert "A" in table.attrs["conclusion"]["en"] and "B" in table.attrs["conclusion"]["zh"]


def test_funnel_of_a_proportion_uses_exact_limits_by_default():
    # A 5/10, B 6/30: target 11/40; A's limits are the exact binomial limits at n = 10.
    frame = transfers({"A": (5, 10), "B": (6, 30)})
    table = compare.funnel(frame, "agent", "transfer_rate", overdispersion="none")
    table = table.set_index("agent")
    expected = compare.funnel_limits(11 / 40, [10], method="exact").iloc[0]
    assert table.attrs["target"] == pytest.approx(11 / 40)
    assert table.attrs["method"] == "exact"
    assert table.loc["A", "lower_99_8"] == pytest.approx(expected["lower_99_8"])
    assert table.loc["A", "upper_95"] == pytest.approx(expected["upper_95"])
    assert table["flag"].tolist() == ["", ""]


def test_funnel_widens_limits_when_units_are_overdispersed():
    """Ten agents whose transfer rates really differ (10 %, 20 %, ... 100 % of 100 calls)."""
    counts = {f"A{k:02d}": (10 * k, 100) for k in range(1, 11)}
    frame = transfers(counts)
    plain = compare.funnel(frame, "agent", "transfer_rate", overdispersion="none")
    auto = compare.funnel(frame, "agent", "transfer_rate", overdispersion="auto")
    test = compare.overdispersion_test(plain["value"], np.sqrt(0.55 * 0.45 / 100), 0.55, trim=0.1)
    assert auto.attrs["overdispersion_applied"] is True
    assert auto.attrs["method"] == "normal+tau2"
    assert auto.attrs["tau2"] == pytest.approx(test["tau2"])
    assert auto.attrs["phi"] == pytest.approx(test["phi"])
    half = Z_998 * math.sqrt(0.55 * 0.45 / 100 + test["tau2"])
    assert auto["upper_99_8"].iloc[0] == pytest.approx(min(1.0, 0.55 + half))
    assert (auto["flag"] != "").sum() < (plain["flag"] != "").sum()
    assert plain.attrs["overdispersion_applied"] is False and plain["tau2"].eq(0).all()


def test_funnel_does_not_widen_limits_without_overdispersion():
    # identical rates: every z is 0, phi = 0, no adjustment under "auto"
    frame = transfers({"A": (5, 50), "B": (10, 100), "C": (20, 200)})
    table = compare.funnel(frame, "agent", "transfer_rate")
    assert table.attrs["phi"] == 0
    assert table.attrs["overdispersion_applied"] is False
    assert table["flag"].tolist() == ["", "", ""]


def test_funnel_conclusion_says_units_differ_when_none_stands_out_beyond_real_variation():
    """20 agents at 30 %, 31 %, ... 49 % transfers of 200 calls: the rates vary more than
    binomial noise (over-dispersion test p < 0.05), yet no agent is outside the 99.8 % limits.
    The sentence must not call the differences chance while the limits are widened for them."""
    counts = {f"A{k:02d}": (60 + 2 * k, 200) for k in range(20)}
    frame = transfers(counts)
    auto = compare.funnel(frame, "agent", "transfer_rate")
    assert auto.attrs["overdispersion_applied"] and auto.attrs["overdispersion_p"] < 0.05
    assert (auto["flag"] == "").all()
    en, zh = auto.attrs["conclusion"]["en"], auto.attrs["conclusion"]["zh"]
    assert en.startswith("The 20 agents differ on ")
    assert "more than chance alone explains (real variation between agents" in en
    assert "no single agent stands out beyond that spread" in en
    assert "(widened for that variation)" in en
    assert "consistent with chance" not in en
    assert "真实差异" in zh and "没有哪个坐席超出这一差异范围" in zh and "已按这一差异放宽" in zh
    assert "随机波动解释" not in zh

    # the same test result with limits left as they are: the units still differ
    plain = compare.funnel(frame, "agent", "transfer_rate", overdispersion="none")
    assert (plain["flag"] == "").all()
    assert "no single agent stands out beyond that spread" in plain.attrs["conclusion"]["en"]
    assert "widened" not in plain.attrs["conclusion"]["en"]

    # identical rates: no over-dispersion, and then the differences are chance
    same = compare.funnel(
        transfers({"A": (5, 50), "B": (10, 100), "C": (20, 200)}), "agent", "transfer_rate"
    )
    assert same.attrs["conclusion"]["en"] == (
        "No agent is outside the 99.8% limits for Transfer rate: the differences between the "
        "3 agents are consistent with chance."
    )
    assert same.attrs["conclusion"]["zh"].endswith("差异可由随机波动解释。")


def test_funnel_conclusion_with_outliers_beyond_widened_limits():
    """The 20 agents above plus one at 95 % (190 of 200): flagged even beyond the widened
    limits; with unwidened limits two ordinary agents are flagged too, and the sentence
    warns that some flags may be ordinary variation between agents. Hand: centre
    (1580 + 190) / 4200 = 0.42143; the binomial 99.8 % lower limit at n = 200 is about
    0.42143 - 3.0902 sqrt(0.42143 * 0.57857 / 200) = 0.3135, so A00 (0.30) and A01 (0.31)
    are below it and A02 (0.32) is not."""
    counts = {f"A{k:02d}": (60 + 2 * k, 200) for k in range(20)}
    frame = transfers({**counts, "OUT": (190, 200)})
    auto = compare.funnel(frame, "agent", "transfer_rate")
    assert auto.loc[auto["flag"] != "", "agent"].tolist() == ["OUT"]
    assert auto.attrs["conclusion"]["en"].endswith(
        "The limits are widened for the variation between agents beyond chance "
        "(over-dispersion): it stands out even beyond that spread."
    )
    assert "即使相对这一差异范围也属突出" in auto.attrs["conclusion"]["zh"]
    # Chinese sentences follow each other without the space English puts after a full stop
    assert "OUT。控制限已按" in auto.attrs["conclusion"]["zh"]
    assert "。 " not in auto.attrs["conclusion"]["zh"]
    plain = compare.funnel(frame, "agent", "transfer_rate", overdispersion="none")
    assert (plain["flag"] != "").sum() == 3
    assert (
        "some of these may be ordinary variation between agents"
        in (plain.attrs["conclusion"]["en"])
    )
    assert "正常差异" in plain.attrs["conclusion"]["zh"]


def test_casemix_adjustment_of_a_mean_by_hand():
    """Easy calls take 100 ± 10 s, hard calls 300 ± 10 s, for both agents.

    A: 8 easy (90, 110 ×4) + 2 hard (290, 310) -> 140 s; B: 2 easy + 8 hard -> 260 s.
    Stratum means 100 and 300; expected A = (8·100 + 2·300)/10 = 140, B = 260, so both adjusted
    values equal the centre 200. Within-stratum variance: easy SS = 8·100 + 2·100 = 1000 on
    10 - 2 df -> 125, hard the same; null se of A = sqrt(8·125 + 2·125)/10 = sqrt(1250)/10.
    """
    frame = answered_calls(
        agent=["A"] * 10 + ["B"] * 10,
        category=["easy"] * 8 + ["hard"] * 2 + ["easy"] * 2 + ["hard"] * 8,
        talk_s=[90.0, 110.0] * 4 + [290.0, 310.0] + [90.0, 110.0] + [290.0, 310.0] * 4,
    )
    raw = compare.funnel(frame, "agent", "talk_s", overdispersion="none").set_index("agent")
    adjusted = compare.funnel(
        frame, "agent", "talk_s", casemix="category", overdispersion="none"
    ).set_index("agent")
    assert raw.loc["A", "value"] == 140 and raw.loc["B", "value"] == 260
    assert raw.loc["A", "z"] < -2
    assert adjusted.loc["A", "expected"] == pytest.approx(140)
    assert adjusted.loc["B", "expected"] == pytest.approx(260)
    assert adjusted["value_adjusted"].tolist() == pytest.approx([200.0, 200.0])
    assert adjusted["z"].tolist() == pytest.approx([0.0, 0.0])
    se = math.sqrt(1250) / 10
    assert adjusted.loc["A", "lower_95"] == pytest.approx(200 - Z_95 * se)
    assert adjusted.attrs["casemix"] == ["category"]
    assert "category" in adjusted.attrs["conclusion"]["en"].lower()


def test_casemix_adjustment_of_a_proportion_by_hand():
    """Transfer rates 25 % on easy and 75 % on hard calls for both agents.

    A: 8 easy (2 transferred) + 4 hard (3); B: 4 easy (1) + 8 hard (6). Centre 12/24.
    expected A = (8·0.25 + 4·0.75)/12 = 5/12 = A's value; null se of A
    = sqrt(8·0.1875 + 4·0.1875)/12 = 1.5/12.
    """
    frame = transfers(
        {"A": [("easy", 2, 8), ("hard", 3, 4)], "B": [("easy", 1, 4), ("hard", 6, 8)]}
    )
    table = compare.funnel(
        frame, "agent", "transfer_rate", casemix="category", overdispersion="none"
    ).set_index("agent")
    assert table.loc["A", "expected"] == pytest.approx(5 / 12)
    assert table.loc["A", "value_adjusted"] == pytest.approx(12 / 24)
    assert table.loc["A", "upper_95"] == pytest.approx(12 / 24 + Z_95 * 1.5 / 12)
    assert table.attrs["method"] == "normal"


# ---------------------------------------------------------------------------
# shrinkage
# ---------------------------------------------------------------------------


def baseball_rates() -> np.ndarray:
    return np.array(ref.BASEBALL_HITS) / ref.BASEBALL_AT_BATS


def test_james_stein_shrinking_factor_of_efron_and_morris_1977():
    """c = 1 - (k - 3) σ² / Σ(y - ȳ)² with σ² = ȳ(1 - ȳ)/45: published c = .212, ȳ = .265."""
    y = baseball_rates()
    ybar = y.mean()
    out = compare.shrink_normal(y, np.full(18, ybar * (1 - ybar) / 45), method="james-stein")
    assert out["mean"] == pytest.approx(ref.BASEBALL_GRAND_MEAN, abs=5e-4)
    assert 1 - out["shrinkage"][0] == pytest.approx(ref.BASEBALL_SHRINKING_FACTOR, abs=5e-4)
    season = np.array(ref.BASEBALL_SEASON_REST)
    closer = np.abs(out["estimate"] - season) < np.abs(y - season)
    assert closer.sum() == ref.BASEBALL_CLOSER_COUNT
    ratio = np.sum((y - season) ** 2) / np.sum((out["estimate"] - season) ** 2)
    assert ratio == pytest.approx(ref.BASEBALL_ACCURACY_RATIO, abs=0.05)


def test_james_stein_estimates_of_efron_and_morris_1975_table_1():
    """Arcsine scale x = √45 asin(2y - 1) (variance 1), shrink, back-transform; 3 decimals."""
    x = math.sqrt(45) * np.arcsin(2 * baseball_rates() - 1)
    out = compare.shrink_normal(x, np.ones(18), method="james-stein")
    back = (np.sin(out["estimate"] / math.sqrt(45)) + 1) / 2
    np.testing.assert_allclose(back, ref.BASEBALL_JAMES_STEIN_1975, rtol=0, atol=5e-4)


def test_james_stein_needs_equal_variances():
    with pytest.raises(ValueError, match="equal variances"):
        compare.shrink_normal([1.0, 2.0, 3.0, 4.0], [1.0, 1.0, 1.0, 2.0], method="james-stein")


def test_paule_mandel_and_dersimonian_laird_match_metafor():
    """Kacker (2004) example, metafor rma(method = "PM") and rma(method = "DL")."""
    pm = compare.shrink_normal(ref.KACKER_Y, ref.KACKER_V, method="paule-mandel")
    dl = compare.shrink_normal(ref.KACKER_Y, ref.KACKER_V, method="dersimonian-laird")
    assert pm["tau2"] == pytest.approx(ref.METAFOR_PM_TAU2, rel=1e-8)
    assert pm["mean"] == pytest.approx(ref.METAFOR_PM_MEAN, rel=1e-10)
    assert dl["tau2"] == pytest.approx(ref.METAFOR_DL_TAU2, rel=1e-10)
    assert dl["mean"] == pytest.approx(ref.METAFOR_DL_MEAN, rel=1e-10)
    v = np.array(ref.KACKER_V)
    np.testing.assert_allclose(pm["shrinkage"], v / (v + ref.METAFOR_PM_TAU2), rtol=1e-7)


def test_beta_binomial_fit_matches_an_independent_maximisation_with_scipy():
    """Maximise Σ scipy.stats.betabinom.logpmf independently and compare.

    The likelihood of the baseball hits is a flat ridge in α + β, on which a 2-D BFGS stops
    early ("precision loss": α + β = 802.3 with scipy 1.17, where the optimum is 793.24). The
    reference therefore maximises the profile likelihood: for each log(α + β) the mean is
    maximised by a bounded scalar search (xatol 1e-12), and log(α + β) by another (xatol 1e-10).
    The two optima agree to 1e-3 in α + β and 1e-4 in the mean, and ours is at least as high
    (to 1e-8).
    """
    hits = np.array(ref.BASEBALL_HITS)
    n = np.full(18, 45)
    fit = compare.fit_beta_binomial(hits, n)

    def negative(params):
        return -stats.betabinom.logpmf(hits, n, math.exp(params[0]), math.exp(params[1])).sum()

    def best_mean(log_strength):
        strength = math.exp(log_strength)
        return optimize.minimize_scalar(
            lambda m: -stats.betabinom.logpmf(hits, n, m * strength, (1 - m) * strength).sum(),
            bounds=(0.01, 0.99),
            method="bounded",
            options={"xatol": 1e-12},
        )

    profile = optimize.minimize_scalar(
        lambda s: best_mean(s).fun,
        bounds=(math.log(10), math.log(1e5)),
        method="bounded",
        options={"xatol": 1e-10},
    )
    strength = math.exp(profile.x)
    mean = best_mean(profile.x).x
    alpha, beta = mean * strength, (1 - mean) * strength
    other = optimize.OptimizeResult(fun=profile.fun)
    assert fit["mean"] == pytest.approx(alpha / (alpha + beta), rel=1e-4)
    assert fit["strength"] == pytest.approx(alpha + beta, rel=1e-3)
    assert negative([math.log(fit["alpha"]), math.log(fit["beta"])]) <= other.fun + 1e-8
    # the marginal likelihood without C(n, x) is scipy's betabinom pmf divided by C(n, x)
    log_choose = np.log([math.comb(45, int(h)) for h in hits]).sum()
    assert fit["loglik"] == pytest.approx(
        -negative(np.log([fit["alpha"], fit["beta"]])) - log_choose
    )
    assert fit["pooled"] is False


def test_beta_binomial_fit_pools_units_that_do_not_vary():
    # every unit at exactly 50 %: the likelihood rises towards the binomial limit
    fit = compare.fit_beta_binomial([50, 50, 50, 50], [100, 100, 100, 100])
    assert fit["pooled"] is True
    assert fit["mean"] == 0.5


def test_shrink_of_a_proportion_uses_the_beta_posterior():
    """Baseball hits as transfers of 18 agents with 45 calls each: posterior Beta(α + x, β + n - x)."""
    counts = {
        name: (h, 45) for name, h in zip(ref.BASEBALL_PLAYERS, ref.BASEBALL_HITS, strict=True)
    }
    frame = transfers(counts)
    table = compare.shrink(frame, "agent", "transfer_rate", higher_is_better=True)
    fit = compare.fit_beta_binomial(ref.BASEBALL_HITS, [45] * 18)
    row = table.set_index("agent").loc["Roberto Clemente"]
    a, b = fit["alpha"] + 18, fit["beta"] + 27
    assert row["estimate"] == pytest.approx(a / (a + b))
    assert row["ci_lower"] == pytest.approx(stats.beta.ppf(0.025, a, b))
    assert row["ci_upper"] == pytest.approx(stats.beta.ppf(0.975, a, b))
    assert row["shrinkage"] == pytest.approx(fit["strength"] / (fit["strength"] + 45))
    assert table["agent"].iloc[0] == "Roberto Clemente"  # highest estimate ranked first
    assert (table["rank_lower"] <= table["rank"]).all() and (
        table["rank"] <= table["rank_upper"]
    ).all()
    assert table.attrs["prior"]["alpha"] == pytest.approx(fit["alpha"])


def test_shrink_of_a_mean_uses_the_pooled_variance_and_is_reproducible():
    groups = {f"A{k:02d}": [70 + k - 8, 70 + k + 8] * 20 for k in range(20)}
    groups["NEW"] = [92 - 8, 92 + 8] * 2  # 4 evaluations, the highest raw mean
    frame = grouped_scores(groups)
    table = compare.shrink(frame, "agent", "qa_mean").set_index("agent")
    again = compare.shrink(frame, "agent", "qa_mean").set_index("agent")
    pd.testing.assert_frame_equal(table, again)
    summary = compare.unit_summary(frame, "agent", "qa_mean").set_index("agent")
    sigma2 = summary["sum_sq"].sum() / (summary["n"].sum() - len(summary))
    expected = compare.shrink_normal(summary["value"], sigma2 / summary["n"])
    assert table.loc["NEW", "estimate"] == pytest.approx(
        expected["estimate"][list(summary.index).index("NEW")]
    )
    # four lucky evaluations: shrunk much more, and an unsure rank
    best = table.drop(index="NEW")["value"].idxmax()
    assert table.loc["NEW", "value"] > table.loc[best, "value"]
    assert table.loc["NEW", "shrinkage"] > 5 * table.loc[best, "shrinkage"]
    assert table.loc["NEW", "estimate"] < table.loc["NEW", "value"] - 2
    width = table["rank_upper"] - table["rank_lower"]
    assert width["NEW"] > width[best]


def test_shrink_pools_units_that_do_not_vary_and_ties_their_ranks():
    """Three agents at exactly 10 % transfers: the fit pools, every agent gets the common
    rate's Jeffreys posterior Beta(½ + 35, ½ + 315) and every rank interval spans 1-3."""
    frame = transfers({"A": (5, 50), "B": (10, 100), "C": (20, 200)})
    table = compare.shrink(frame, "agent", "transfer_rate")
    assert table.attrs["prior"]["pooled"] is True
    assert table["estimate"].tolist() == pytest.approx([35.5 / 351] * 3)
    assert table["ci_lower"].tolist() == pytest.approx([stats.beta.ppf(0.025, 35.5, 315.5)] * 3)
    assert table["shrinkage"].tolist() == [1.0, 1.0, 1.0]
    assert table["rank"].tolist() == [1, 1, 1]
    assert table["rank_lower"].tolist() == [1, 1, 1]
    assert table["rank_upper"].tolist() == [3, 3, 3]
    assert "No agent is surely" in table.attrs["conclusion"]["en"]


def test_shrink_with_casemix_shrinks_the_adjusted_values_by_hand():
    """Talk time of three agents with 8 calls each, easy and hard calls (pairs 10 s apart).

    A: easy 90/110 x3 (mean 100) + hard 290/310 (300) -> 150 s; B: easy 130/150 (140) + hard
    330/350 x3 (340) -> 290 s; C: easy 50/70 x2 (60) + hard 250/270 x2 (260) -> 160 s.
    Strata: easy 1120 / 12 = 93.333, hard 3680 / 12 = 306.667; within-stratum SS 6 pairs x
    200 = 1200 on 12 - 3 df -> v = 133.333 in both. Centre 4800 / 24 = 200.
    Expected A (6 x 93.333 + 2 x 306.667) / 8 = 146.667, B 253.333, C 200; adjusted
    value - expected + 200 = 203.333, 236.667, 160; variance 8 x 133.333 / 64 = 16.667.
    Equal variances: Paule-Mandel tau2 = sum (y - 200)^2 / 2 - v = 2955.556 / 2 - 16.667
    = 1461.111; B = 16.667 / 1477.778 = 0.011278; estimates 200 + (1 - B)(y - 200) =
    203.2957, 236.2531, 160.4511. Posterior variance (1 - B) v + B^2 (v + tau2) / 3 =
    16.5414 -> 95 % interval +/- 1.95996 x 4.06711 = 7.97138.
    Raw ranks (shorter is better): A, C, B; with case mix: C, A, B.
    """
    frame = answered_calls(
        agent=["A"] * 8 + ["B"] * 8 + ["C"] * 8,
        category=["easy"] * 6
        + ["hard"] * 2
        + ["easy"] * 2
        + ["hard"] * 6
        + ["easy"] * 4
        + ["hard"] * 4,
        talk_s=[90.0, 110.0] * 3
        + [290.0, 310.0]
        + [130.0, 150.0]
        + [330.0, 350.0] * 3
        + [50.0, 70.0] * 2
        + [250.0, 270.0] * 2,
    )
    raw = compare.shrink(frame, "agent", "talk_s")
    assert raw["agent"].tolist() == ["A", "C", "B"]
    table = compare.shrink(frame, "agent", "talk_s", casemix="category")
    assert table["agent"].tolist() == ["C", "A", "B"]
    table = table.set_index("agent")
    assert table.loc[["A", "B", "C"], "expected"].tolist() == pytest.approx(
        [146.666667, 253.333333, 200.0], rel=1e-8
    )
    assert table.loc[["A", "B", "C"], "value_adjusted"].tolist() == pytest.approx(
        [203.333333, 236.666667, 160.0], rel=1e-8
    )
    assert table.attrs["prior"]["tau2"] == pytest.approx(1461.1111, rel=1e-7)
    assert table["shrinkage"].tolist() == pytest.approx([0.011278] * 3, rel=1e-4)
    assert table.loc[["A", "B", "C"], "estimate"].tolist() == pytest.approx(
        [203.2957, 236.2531, 160.4511], abs=5e-5
    )
    assert (table["ci_upper"] - table["estimate"]).tolist() == pytest.approx(
        [7.97138] * 3, rel=1e-5
    )
    assert table.attrs["casemix"] == ["category"]
    assert table.attrs["method"].startswith("normal-normal on case-mix adjusted values")
    assert "mix of category" in table.attrs["conclusion"]["en"]
    assert "业务类型构成" in table.attrs["conclusion"]["zh"]
    # the same adjusted values and standard errors as the funnel with the same case mix
    funnel = compare.funnel(
        frame, "agent", "talk_s", casemix="category", overdispersion="none"
    ).set_index("agent")
    assert table["value_adjusted"].sort_index().tolist() == pytest.approx(
        funnel["value_adjusted"].sort_index().tolist()
    )
    se = (funnel["upper_95"] - funnel["target"]) / Z_95
    assert se.tolist() == pytest.approx([math.sqrt(16.666667)] * 3, rel=1e-7)


def test_shrink_of_a_proportion_with_casemix_uses_the_funnel_adjustment():
    """The funnel's case-mix example: A and B both transfer 25 % of easy and 75 % of hard calls,
    so both adjusted rates equal the centre 12/24 = 0.5; tau2 = 0 and both estimates are 0.5.
    Each variance (1.5 / 12)^2 = 0.015625; with B = 1 the posterior variance is
    1 / sum(1 / v) = 0.0078125 -> 95 % interval 0.5 -/+ 1.95996 x 0.0883883 = 0.326762 /
    0.673238."""
    frame = transfers(
        {"A": [("easy", 2, 8), ("hard", 3, 4)], "B": [("easy", 1, 4), ("hard", 6, 8)]}
    )
    table = compare.shrink(frame, "agent", "transfer_rate", casemix="category")
    assert table["value_adjusted"].tolist() == pytest.approx([0.5, 0.5])
    assert table["estimate"].tolist() == pytest.approx([0.5, 0.5])
    assert table["shrinkage"].tolist() == [1.0, 1.0]
    assert table["ci_lower"].tolist() == pytest.approx([0.326762] * 2, abs=5e-7)
    assert table["ci_upper"].tolist() == pytest.approx([0.673238] * 2, abs=5e-7)
    assert table["rank"].tolist() == [1, 1] and table["rank_upper"].tolist() == [2, 2]
    with pytest.raises(ValueError, match="no column"):
        compare.shrink(frame, "agent", "transfer_rate", casemix="queue")


# ---------------------------------------------------------------------------
# gaps
# ---------------------------------------------------------------------------


def test_gap_of_a_mean_to_the_team_by_hand():
    """Team T: A 88, 92 ×2 (mean 90, SS 16); B 78, 82 ×4 (80, SS 32); C 78, 82 ×2 (80, SS 16).

    Team value 1320/16 = 82.5, so A's gap is 7.5. Against the rest (B + C, 12 calls, mean 80):
    sigma² = 64/13, z = 10/(sqrt(64/13) sqrt(1/4 + 1/12)), d = 10/sqrt(64/13).
    """
    frame = grouped_scores({"A": [88, 92] * 2, "B": [78, 82] * 4, "C": [78, 82] * 2})
    frame["team"] = "T"
    table = compare.gaps(frame, "agent", ["qa_mean"], within="team").set_index("agent")
    sigma = math.sqrt(64 / 13)
    assert table.loc["A", "reference"] == pytest.approx(82.5)
    assert table.loc["A", "gap"] == pytest.approx(7.5)
    assert table.loc["A", "z"] == pytest.approx(10 / (sigma * math.sqrt(1 / 4 + 1 / 12)))
    assert table.loc["A", "effect_size"] == pytest.approx(10 / sigma)
    assert bool(table.loc["A", "beyond_noise"]) is True
    assert table.loc["A", "better"] is True  # higher QA is better
    assert list(table.columns[:2]) == ["team", "metric"]
    # A (higher) and B, C (lower than the rest) are all beyond noise
    assert table.attrs["conclusion"]["en"].startswith("3 of 3 gaps to their team")
    assert "A QA score (better)" in table.attrs["conclusion"]["en"]
    assert "A 质检得分（更好）" in table.attrs["conclusion"]["zh"]


def test_gap_of_a_proportion_is_the_pooled_two_proportion_z_test():
    """A 5/10 vs the rest 6/30: statsmodels proportions_ztest gives the same z and p."""
    frame = transfers({"A": (5, 10), "B": (6, 30)})
    table = compare.gaps(frame, "agent", "transfer_rate").set_index("agent")
    z, p = proportions_ztest([5, 6], [10, 30])
    assert table.loc["A", "z"] == pytest.approx(z)
    assert table.loc["A", "p_value"] == pytest.approx(p)
    assert table.loc["A", "gap"] == pytest.approx(0.5 - 11 / 40)
    assert table.loc["A", "effect_size"] == pytest.approx(
        2 * math.asin(math.sqrt(0.5)) - 2 * math.asin(math.sqrt(0.2))
    )
    assert bool(table.loc["A", "beyond_noise"]) is False  # p = 0.066
    assert table.loc["A", "better"] is None


def test_gaps_skip_metrics_the_data_cannot_support():
    frame = grouped_scores({"A": [1, 2], "B": [3, 4]})
    table = compare.gaps(frame, "agent", ["qa_mean", "csat_mean"])
    assert set(table["metric"]) == {"qa_mean"}


# ---------------------------------------------------------------------------
# omnibus and post-hoc tests
# ---------------------------------------------------------------------------


def hair_values():
    labels, values = [], []
    for name, scores in ref.HAIR_PAIN.items():
        labels += [name] * len(scores)
        values += scores
    return values, labels


def test_welch_anova_matches_r_oneway_test():
    """Hair colour data: R oneway.test F = 5.890, df2 = 8.330, p = .0188; eta² = .575962."""
    values, labels = hair_values()
    out = compare.welch_anova(values, labels)
    assert out["df1"] == 3
    assert out["statistic"] == pytest.approx(ref.WELCH_F, abs=5e-4)
    assert out["df2"] == pytest.approx(ref.WELCH_DF2, abs=5e-4)
    assert out["p_value"] == pytest.approx(ref.WELCH_P, abs=5e-5)
    assert out["eta_squared"] == pytest.approx(ref.WELCH_ETA_SQUARED, abs=5e-7)
    groups = [np.array(v, float) for v in ref.HAIR_PAIN.values()]
    scipy_result = stats.f_oneway(*groups, equal_var=False)
    assert out["statistic"] == pytest.approx(scipy_result.statistic)


def test_games_howell_matches_userfriendlyscience_and_jasp():
    values, labels = hair_values()
    table = compare.games_howell(values, labels)
    assert list(zip(table["a"], table["b"], strict=True)) == ref.GAMES_HOWELL_PAIRS
    np.testing.assert_allclose(np.abs(table["t"]), ref.GAMES_HOWELL_ABS_T, atol=5e-3)
    np.testing.assert_allclose(table["df"], ref.GAMES_HOWELL_DF, atol=5e-3)
    np.testing.assert_allclose(table["p_adjusted"], ref.GAMES_HOWELL_P_JASP, atol=5e-5)
    assert (table["p_adjust_method"] == "games-howell").all()


def test_kruskal_wallis_matches_the_scipy_docstring_examples():
    for example in (ref.KRUSKAL_EXAMPLE_1, ref.KRUSKAL_EXAMPLE_2):
        values = [v for group in example["groups"] for v in group]
        labels = [i for i, group in enumerate(example["groups"]) for _ in group]
        out = compare.kruskal_wallis(values, labels)
        assert out["statistic"] == pytest.approx(example["statistic"], rel=1e-12)
        assert out["p_value"] == pytest.approx(example["pvalue"], rel=1e-12)
    # epsilon² = H/(N - 1) = 0.2727/9
    first = ref.KRUSKAL_EXAMPLE_1
    out = compare.kruskal_wallis(sum(first["groups"], []), [0] * 5 + [1] * 5)
    assert out["epsilon_squared"] == pytest.approx(first["statistic"] / 9)


def test_dunn_with_holm_matches_r():
    labels, values = [], []
    for name, pulses in ref.EXERCISE_PULSE.items():
        labels += [name] * len(pulses)
        values += pulses
    table = compare.dunn(values, labels, p_adjust="holm")
    got = {(a, b): p for a, b, p in zip(table["a"], table["b"], table["p_adjusted"], strict=True)}
    for pair, expected in ref.DUNN_HOLM_R.items():
        assert got[pair] == pytest.approx(expected, rel=1e-6)
    assert (table["p_adjust_method"] == "holm").all()
    assert table["p_adjusted"].tolist() == pytest.approx(multitest.holm(table["p_value"]).tolist())


def test_differences_of_a_mean_wires_welch_and_games_howell():
    values, labels = hair_values()
    frame = answered_calls(agent=labels, qa_score=[float(v) for v in values])
    result = compare.differences(frame, "agent", "qa_mean")
    omnibus = result["omnibus"].iloc[0]
    assert omnibus["test"] == "welch-anova"
    assert omnibus["statistic"] == pytest.approx(ref.WELCH_F, abs=5e-4)
    pairwise = result["pairwise"]
    assert pairwise["significant"].tolist() == [False, False, False, True, False, True]
    assert result["conclusion"]["en"].startswith("The 4 agents differ")
    assert "2 of 6 pairs" in result["conclusion"]["en"]


def test_differences_leave_out_units_welch_cannot_weigh():
    # a unit with one call has no variance: Welch's test runs on the other four (same F as R)
    values, labels = hair_values()
    frame = answered_calls(agent=labels + ["Solo"], qa_score=[float(v) for v in values] + [50.0])
    result = compare.differences(frame, "agent", "qa_mean")
    assert result["excluded"] == ["Solo"]
    assert result["omnibus"]["statistic"].iloc[0] == pytest.approx(ref.WELCH_F, abs=5e-4)
    assert result["pairwise_effect_size"] == "hedges_g"
    few = compare.differences(frame, "agent", "qa_mean", max_pairwise_units=3)
    assert few["pairwise"].empty


def test_differences_with_kruskal_wires_dunn_holm():
    labels, values = [], []
    for name, pulses in ref.EXERCISE_PULSE.items():
        labels += [name] * len(pulses)
        values += [float(v) for v in pulses]
    frame = answered_calls(team=labels, qa_score=values)
    result = compare.differences(frame, "team", "qa_mean", test="kruskal")
    pairwise = result["pairwise"].set_index(["a", "b"])
    assert pairwise.loc[("rest", "running"), "p_adjusted"] == pytest.approx(9.570998e-09, rel=1e-6)
    assert result["omnibus"]["test"].iloc[0] == "kruskal-wallis"


def test_differences_of_a_proportion_use_chi_square_and_holm_adjusted_z_tests():
    frame = transfers({"A": (5, 10), "B": (6, 30), "C": (30, 60)})
    result = compare.differences(frame, "agent", "transfer_rate")
    chi2, p, _, _ = stats.chi2_contingency([[5, 5], [6, 24], [30, 30]], correction=False)
    assert result["omnibus"]["statistic"].iloc[0] == pytest.approx(chi2)
    assert result["omnibus"]["p_value"].iloc[0] == pytest.approx(p)
    pairwise = result["pairwise"]
    raw = [
        proportions_ztest(c, n)[1]
        for c, n in (([5, 6], [10, 30]), ([5, 30], [10, 60]), ([6, 30], [30, 60]))
    ]
    np.testing.assert_allclose(pairwise["p_value"], raw)
    np.testing.assert_allclose(pairwise["p_adjusted"], multipletests(raw, method="holm")[1])


def test_differences_with_casemix_compare_calls_within_strata():
    # the two agents are identical within each category; only their mix differs
    frame = answered_calls(
        agent=["A"] * 10 + ["B"] * 10,
        category=["easy"] * 8 + ["hard"] * 2 + ["easy"] * 2 + ["hard"] * 8,
        talk_s=[90.0, 110.0] * 4 + [290.0, 310.0] + [90.0, 110.0] + [290.0, 310.0] * 4,
    )
    raw = compare.differences(frame, "agent", "talk_s")
    adjusted = compare.differences(frame, "agent", "talk_s", casemix="category")
    assert raw["omnibus"]["p_value"].iloc[0] < 0.05
    assert adjusted["omnibus"]["statistic"].iloc[0] == pytest.approx(0.0, abs=1e-12)


# ---------------------------------------------------------------------------
# reliability and QA vs CSAT
# ---------------------------------------------------------------------------


def test_icc_matches_shrout_and_fleiss():
    ratings = np.array(ref.SHROUT_FLEISS_RATINGS, dtype=float)
    labels = np.repeat(np.arange(6), 4)
    out = compare.icc_oneway(ratings.ravel(), labels)
    assert out["icc"] == pytest.approx(ref.SHROUT_FLEISS_ICC_1_1, abs=5e-3)
    assert out["n0"] == pytest.approx(4)
    assert compare.spearman_brown(out["icc"], 4) == pytest.approx(
        ref.SHROUT_FLEISS_ICC_1_K, abs=5e-3
    )
    # ICC(1,k) = (MSB - MSW)/MSB is the Spearman-Brown step-up of ICC(1,1)
    assert compare.spearman_brown(out["icc"], 4) == pytest.approx(
        (out["ms_between"] - out["ms_within"]) / out["ms_between"]
    )


def test_spearman_brown_and_spearman_ci_by_hand():
    assert compare.spearman_brown(0.2, 4) == pytest.approx(0.8 / 1.6)
    lower, upper = compare.spearman_ci(0.5, 28)
    half = Z_95 * math.sqrt((1 + 0.25 / 2) / 25)
    assert lower == pytest.approx(math.tanh(math.atanh(0.5) - half))
    assert upper == pytest.approx(math.tanh(math.atanh(0.5) + half))


def qa_csat_frame() -> pd.DataFrame:
    agents, qa, csat, courtesy, compliance = [], [], [], [], []
    for k, agent in enumerate(["A", "B", "C", "D", "E"]):
        for j in range(8):
            agents.append(agent)
            rating = 1.0 + (j + k) % 5
            csat.append(rating)
            courtesy.append(20.0 * rating)  # tracks the customer exactly
            compliance.append(float((j * 7 + 3) % 4))  # business rule, unrelated
            qa.append(60.0 + 4 * k + 3 * rating + (j % 2))
    frame = answered_calls(agent=agents, qa_score=qa, csat=csat)
    frame["courtesy"] = courtesy
    frame["compliance"] = compliance
    frame.loc[frame.index % 8 == 7, "csat"] = np.nan  # one unrated call per agent
    return frame


def test_qa_vs_csat_call_level_is_spearman_with_bonett_wright_interval():
    frame = qa_csat_frame()
    out = compare.qa_vs_csat(frame, qa_items=["courtesy", "compliance"])
    both = frame.dropna(subset=["qa_score", "csat"])
    expected = stats.spearmanr(both["qa_score"], both["csat"])
    call = out["call_level"]
    assert call["n"] == len(both) == 35
    assert call["rho"] == pytest.approx(expected.statistic)
    assert call["p_value"] == pytest.approx(expected.pvalue)
    assert (call["ci_lower"], call["ci_upper"]) == pytest.approx(
        compare.spearman_ci(expected.statistic, 35)
    )
    items = out["items"].set_index("item")
    assert items.loc["courtesy", "rho"] == pytest.approx(1.0)
    assert bool(items.loc["courtesy", "tracks_csat"]) is True
    assert bool(items.loc["compliance", "tracks_csat"]) is False
    assert "courtesy" in out["conclusion"]["en"] and "compliance" in out["conclusion"]["zh"]


def test_qa_vs_csat_unit_level_corrects_for_attenuation():
    frame = qa_csat_frame()
    out = compare.qa_vs_csat(frame)
    unit = out["unit_level"]
    units = out["units"].set_index("agent")
    assert unit["units"] == 5
    assert units.loc["A", "qa_n"] == 8 and units.loc["A", "csat_n"] == 7
    r = stats.pearsonr(units["qa_mean"], units["csat_mean"]).statistic
    assert unit["r"] == pytest.approx(r)
    icc_qa = compare.icc_oneway(frame["qa_score"], frame["agent"])["icc"]
    icc_csat = compare.icc_oneway(frame["csat"], frame["agent"])["icc"]
    rel_qa, rel_csat = compare.spearman_brown(icc_qa, 8), compare.spearman_brown(icc_csat, 7)
    assert unit["reliability_qa"] == pytest.approx(rel_qa)
    assert unit["reliability_csat"] == pytest.approx(rel_csat)
    if rel_qa > 0 and rel_csat > 0:
        assert unit["r_disattenuated"] == pytest.approx(r / math.sqrt(rel_qa * rel_csat))
    else:
        assert math.isnan(unit["r_disattenuated"])
    assert set(out["conclusion"]) == {"en", "zh"}


# ---------------------------------------------------------------------------
# the bundled sample data
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("metric", ["qa_mean", "csat_mean", "csat_top2box"])
def test_sample_low_quality_team_is_the_only_team_flagged(sample_parquet_calls, metric):
    """INCIDENTS["low_quality_team"]: one team ~10 QA points and ~0.4 CSAT points lower."""
    calls = sample_parquet_calls
    team = sample.INCIDENTS["low_quality_team"]["dimensions"]["team"]
    table = compare.funnel(calls, "team", metric)
    flagged = table.loc[table["flag"] != "", ["team", "flag"]]
    assert flagged.astype(str).values.tolist() == [[team, "below"]]


def test_sample_team_whose_handle_time_rose_is_flagged_above(sample_parquet_calls):
    """INCIDENTS["aht_rise"]: one team's talk time is 25 % longer from its first date on.

    Teams serve different queues and categories, so AHT is compared with case mix (queue and
    category): from the first date on, that team is the one flagged above its expected AHT.
    """
    calls = sample_parquet_calls
    incident = sample.INCIDENTS["aht_rise"]
    team = incident["dimensions"]["team"]
    after = calls[calls["arrived_at"] >= pd.Timestamp(incident["first_date"])]
    table = compare.funnel(after, "team", "aht_s", casemix=["queue", "category"])
    above = table.loc[table["flag"] == "above", "team"].astype(str).tolist()
    assert above == [team]
    assert table.set_index("team")["z"].idxmax() == team


# ---------------------------------------------------------------------------
# what the Teams page draws: read from funnel, shrink and gaps results
# ---------------------------------------------------------------------------


def funnel_table(n, method: str, **attrs) -> pd.DataFrame:
    """A funnel table of units u0, u1, ... with the attrs funnel_curves reads."""
    table = pd.DataFrame({"agent": [f"u{i}" for i in range(len(n))], "n": n})
    table.attrs.update(
        {"kind": "proportion", "levels": (0.95,), "method": method, "sigma": None, "tau2": 0.0}
    )
    table.attrs.update(attrs)
    return table


def test_limits_method_reads_the_method_without_the_tau2_mark():
    assert compare.limits_method(funnel_table([5], "normal+tau2")) == "normal"
    assert compare.limits_method(funnel_table([5], "wilson")) == "wilson"
    with pytest.raises(ValueError, match="method"):
        compare.limits_method(funnel_table([5], "poisson"))


def test_funnel_curves_are_the_normal_limits_by_hand_on_a_grid_through_every_n():
    table = funnel_table([10.0, 40.0], "normal", target=0.5)
    curves = compare.funnel_curves(table)
    # geomspace(1, 42, 200) rounded hits every whole n from 1 to 42 (steps < 1 at the top)
    assert sorted(curves["n"].unique()) == list(range(1, 43))
    assert sorted(curves["line"].unique()) == ["lower_95", "upper_95"]
    assert set(curves["level"]) == {"95"} and set(curves["side"]) == {"lower", "upper"}
    at = curves.set_index(["line", "n"])["limit"]
    # 0.5 ± 1.959964 √(0.25/n): n = 10 -> ± 0.309898, n = 40 -> ± 0.154949
    assert at["upper_95", 10.0] == pytest.approx(0.809898, abs=1e-6)
    assert at["lower_95", 10.0] == pytest.approx(0.190102, abs=1e-6)
    assert at["upper_95", 40.0] == pytest.approx(0.654949, abs=1e-6)
    # n = 1: 0.5 ± 0.979982, clipped to [0, 1]
    assert at["upper_95", 1.0] == 1.0 and at["lower_95", 1.0] == 0.0
    # widened by τ² = 0.01 (method "normal+tau2"): 0.5 + 1.959964 √(0.025 + 0.01) = 0.866676
    wide = compare.funnel_curves(funnel_table([10.0, 40.0], "normal+tau2", target=0.5, tau2=0.01))
    assert wide.set_index(["line", "n"])["limit"]["upper_95", 10.0] == pytest.approx(
        0.866676, abs=1e-6
    )
    with pytest.raises(ValueError, match="case-mix"):
        compare.funnel_curves(funnel_table([10.0], "normal", target=0.5, casemix=["queue"]))


def test_funnel_curves_pass_through_the_limits_each_unit_is_judged_by():
    rng = np.random.default_rng(7)
    size = 600
    calls = answered_calls(
        agent=rng.choice(["A", "B", "C", "D"], size=size, p=[0.4, 0.3, 0.2, 0.1]),
        transferred=rng.random(size) < 0.2,
    )
    for method in ("exact", "wilson", "normal"):
        table = compare.funnel(calls, "agent", "transfer_rate", method=method)
        curves = compare.funnel_curves(table).set_index(["line", "n"])["limit"]
        for row in table.itertuples(index=False):
            for line in ("lower_95", "upper_95", "lower_99_8", "upper_99_8"):
                assert curves[line, row.n] == pytest.approx(getattr(row, line), rel=1e-12)


def test_flag_status_follows_the_direction_of_better():
    assert compare.flag_status("above", "fcr_rate") == "better"
    assert compare.flag_status("below", "fcr_rate") == "worse"
    assert compare.flag_status("above", "aht_s") == "worse"  # a longer handle time
    assert compare.flag_status("below", "transfer_rate") == "better"
    assert compare.flag_status("", "qa_mean") == "none"


def test_funnel_points_and_flagged_units_of_a_hand_worked_funnel():
    """The funnel docstring's example: QA 80, 82, 84 (A) and 70, 72, 74 (B); target 77,
    σ² = (4 + 0 + 4 + 4 + 0 + 4) / (6 − 2) = 4, z = ±5 / (2 / √3) = ±4.33: both flagged."""
    calls = answered_calls(
        agent=["A", "A", "A", "B", "B", "B"], qa_score=[80.0, 82, 84, 70, 72, 74]
    )
    table = compare.funnel(calls, "agent", "qa_mean", overdispersion="none")
    points = compare.funnel_points(table).set_index("unit")
    assert points.loc["A", "value"] == 82.0 and points.loc["B", "value"] == 72.0
    assert points.loc["A", "raw"] == 82.0 and points.loc["A", "n"] == 3.0
    assert points.loc["A", "z"] == pytest.approx(5 / (2 / math.sqrt(3)))
    assert points.loc["A", "status"] == "better" and points.loc["B", "status"] == "worse"
    assert "expected" not in points.columns
    assert sorted(compare.flagged_units(table)) == ["A", "B"]
    by_size = funnel_table([1, 1, 1], "normal")
    by_size["z"], by_size["flag"] = [-4.0, 1.0, 5.0], ["below", "", "above"]
    by_size.attrs["by"] = "agent"
    assert compare.flagged_units(by_size) == ["u2", "u0"]  # |z| 5 before 4; u1 within


def test_funnel_points_judge_the_adjusted_value_with_a_case_mix():
    rng = np.random.default_rng(3)
    size = 800
    calls = answered_calls(
        agent=rng.choice(["A", "B", "C"], size=size),
        category=rng.choice(["easy", "hard"], size=size),
        talk_s=rng.gamma(4.0, 60.0, size=size),
    )
    table = compare.funnel(calls, "agent", "aht_s", casemix="category")
    points = compare.funnel_points(table)
    np.testing.assert_array_equal(points["value"], table["value_adjusted"])
    np.testing.assert_array_equal(points["raw"], table["value"])
    np.testing.assert_array_equal(points["expected"], table["expected"])


def shrink_table(casemix: list[str]) -> pd.DataFrame:
    """A shrink result written out by hand: B ranked above A."""
    ranks = pd.DataFrame(
        {
            "agent": ["B", "A"],
            "n": [50.0, 20.0],
            "value": [0.9, 0.6],
            "estimate": [0.85, 0.7],
            "ci_lower": [0.78, 0.55],
            "ci_upper": [0.91, 0.83],
            "shrinkage": [0.2, 0.5],
            "rank": [1, 2],
            "rank_lower": [1, 1],
            "rank_upper": [1, 2],
        }
    )
    if casemix:
        ranks.insert(3, "value_adjusted", [0.88, 0.65])
    ranks.attrs["casemix"] = casemix
    return ranks


def test_caterpillar_data_rings_the_value_that_was_shrunk():
    plain = compare.caterpillar_data(shrink_table([]))
    assert plain["unit"].tolist() == ["B", "A"]  # best first, as shrink orders them
    assert plain["ring"].tolist() == [0.9, 0.6] and "adjusted" not in plain.columns
    assert plain["rank_upper"].tolist() == [1, 2]
    mixed = compare.caterpillar_data(shrink_table(["category"]))
    assert mixed["ring"].tolist() == [0.88, 0.65] and mixed["raw"].tolist() == [0.9, 0.6]
    assert mixed["estimate"].tolist() == [0.85, 0.7]


def test_quadrant_data_keeps_the_units_ranked_on_both_kpis():
    x = shrink_table([])
    y = pd.DataFrame({"agent": ["A", "C"], "n": [18.0, 7.0], "estimate": [4.1, 3.2]})
    both = compare.quadrant_data(x, y)
    assert both.to_dict("records") == [{"unit": "A", "n_x": 20.0, "x": 0.7, "n_y": 18.0, "y": 4.1}]
    with pytest.raises(ValueError, match="different units"):
        compare.quadrant_data(x, y.rename(columns={"agent": "team"}))


def gap_rows(**rows) -> pd.DataFrame:
    """gaps-like rows of agent A0 in team T1: metric -> (value, reference, z, beyond, better)."""
    return pd.DataFrame(
        [
            {
                "team": "T1",
                "agent": "A0",
                "metric": metric,
                "n": 40,
                "value": value,
                "reference": reference,
                "gap": value - reference,
                "z": z,
                "beyond_noise": beyond,
                "better": better,
            }
            for metric, (value, reference, z, beyond, better) in rows.items()
        ]
    )


def test_agent_card_orders_the_kpis_orients_z_and_gives_verdicts():
    to_team = gap_rows(
        fcr_rate=(0.7, 0.8, -1.2, False, None),
        aht_s=(400.0, 300.0, 3.1, True, False),
        qa_mean=(90.0, 80.0, 2.5, True, True),
    )
    to_centre = gap_rows(aht_s=(400.0, 320.0, 2.6, True, False)).drop(columns="team")
    card = compare.agent_card(to_team, to_centre, "A0", ["aht_s", "fcr_rate"])
    assert tuple(card.columns) == compare.CARD_COLUMNS
    assert card["metric"].tolist() == ["aht_s", "fcr_rate"]  # the card's order; QA not asked
    aht, fcr = card.iloc[0], card.iloc[1]
    assert aht["team_value"] == 300.0 and aht["team_gap"] == 100.0
    assert aht["team_z"] == 3.1 and aht["team_z_better"] == -3.1  # longer AHT is worse
    assert aht["team_verdict"] == "worse" and aht["centre_verdict"] == "worse"
    assert aht["centre_value"] == 320.0 and aht["centre_gap"] == 80.0
    assert fcr["team_z_better"] == -1.2 and fcr["team_verdict"] == "none"
    assert math.isnan(fcr["centre_value"]) and fcr["centre_verdict"] == "none"
    assert compare.agent_card(to_team, to_centre, "nobody", ["aht_s"]).empty
    assert compare.gap_verdict(True, True) == "better"
    assert compare.gap_verdict(False, True) == "none"


def test_card_agents_are_sorted_with_the_team_the_card_compares_with():
    # gaps by agent within team: one row per agent and KPI; agent 7 moved from T2 to T1
    to_team = pd.DataFrame(
        {
            "team": ["T2", "T2", "T1", "T1", "T1", "T1"],
            "agent": ["B", 7, "A", "A", 7, "C"],
            "metric": ["aht_s", "aht_s", "aht_s", "qa_mean", "qa_mean", "aht_s"],
        }
    )
    agents = compare.card_agents(to_team)
    # sorted as text ("7" < "A" < "B" < "C"); agent 7's first row is in T2
    assert agents.to_dict() == {"7": "T2", "A": "T1", "B": "T2", "C": "T1"}
    # only T1's agents: 7 is in T1 too, and is then compared in it
    assert compare.card_agents(to_team, "T1").to_dict() == {"7": "T1", "A": "T1", "C": "T1"}
    assert compare.card_agents(to_team, "T9").empty
    # the gaps to the centre have no team: every agent, team ""
    to_centre = to_team.drop(columns="team")
    assert compare.card_agents(to_centre).to_dict() == {"7": "", "A": "", "B": "", "C": ""}
    # agent_card compares an agent in two teams with its first row's team, as named here
    moved = pd.concat(
        [
            gap_rows(aht_s=(400.0, 300.0, 3.1, True, False)),
            gap_rows(aht_s=(400.0, 350.0, 1.0, False, False)).assign(team="T2"),
        ]
    )
    assert compare.card_agents(moved).to_dict() == {"A0": "T1"}
    to_centre = gap_rows(aht_s=(400.0, 320.0, 2.6, True, False)).drop(columns="team")
    card = compare.agent_card(moved, to_centre, "A0", ["aht_s"])
    assert card["team_value"].tolist() == [300.0]  # T1's reference
