"""Tests for ccmetrics.spc.

Published reference data and values live in ``tests/unit/results/spc_reference.py`` with their
sources; each test below names the source it reproduces. Tolerances follow the digits that
were published: 7 significant digits (qcc print-outs) are checked to 1e-6 relative, values
rounded to k decimals to half a unit in the k-th decimal. Where no published value exists the
expected value is a hand calculation written out in the test.
"""

from __future__ import annotations

import inspect
import math
import re

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import confint_proportions_2indep, proportions_ztest
from statsmodels.tsa.stattools import acf

from ccmetrics import spc
from tests.unit.results import spc_reference as ref


def positions(mask) -> list[int]:
    """1-based positions of the True entries, as R prints them."""
    return [int(i) + 1 for i in np.flatnonzero(np.asarray(mask))]


def rule_positions(chart: pd.DataFrame, rule: str) -> list[int]:
    return positions(chart["rules"].str.split(",").apply(lambda fired: rule in fired))


# ---------------------------------------------------------------------------------------------
# p chart: Montgomery's orange-juice cans as in the qcc vignette
# ---------------------------------------------------------------------------------------------


def test_orangejuice_p_chart_matches_qcc_vignette():
    """qcc vignette "p and np charts": CL 0.2313333, limits 0.05242755-0.4102391, 15 and 23 out."""
    trial = ref.ORANGEJUICE_D[: ref.ORANGEJUICE_TRIAL_SAMPLES]
    chart = spc.p_chart(trial, ref.ORANGEJUICE_SIZE)
    assert chart.attrs["chart"] == "p"
    assert chart.attrs["center"] == pytest.approx(ref.ORANGEJUICE_P_CENTER, rel=1e-6)
    assert chart["lcl"].to_numpy() == pytest.approx(ref.ORANGEJUICE_P_LCL, rel=1e-6)
    assert chart["ucl"].to_numpy() == pytest.approx(ref.ORANGEJUICE_P_UCL, rel=1e-6)
    assert positions(chart["signal"]) == ref.ORANGEJUICE_OUT_OF_CONTROL
    assert chart.loc[14, "rules"] == "nelson_1"
    assert chart["rules"].iloc[0] == ""


def test_orangejuice_revised_limits_with_exclusions_and_phase_two():
    """qcc vignette: samples 15 and 23 removed, 31-54 as new data -> CL 0.215, 0.04070284-0.3892972.

    Here 15 and 23 stay on the chart (exclude) and 31-54 are phase II (baseline = 1-30).
    Beyond the revised limits (hand arithmetic): 15 (22/50 = 0.44), 21 (20/50 = 0.40 >
    0.3893), 23 (24/50 = 0.48) above; 41 (2/50 = 0.04 < 0.0407) below.
    """
    count = len(ref.ORANGEJUICE_D)
    baseline = np.arange(count) < ref.ORANGEJUICE_TRIAL_SAMPLES
    exclude = np.isin(np.arange(1, count + 1), ref.ORANGEJUICE_OUT_OF_CONTROL)
    chart = spc.p_chart(
        ref.ORANGEJUICE_D,
        ref.ORANGEJUICE_SIZE,
        baseline=baseline,
        exclude=exclude,
        rules=("nelson_1", "nelson_2", "anhoej"),
    )
    assert chart.attrs["center"] == pytest.approx(ref.ORANGEJUICE_REVISED_CENTER, rel=1e-6)
    assert chart["lcl"].to_numpy() == pytest.approx(ref.ORANGEJUICE_REVISED_LCL, rel=1e-6)
    assert chart["ucl"].to_numpy() == pytest.approx(ref.ORANGEJUICE_REVISED_UCL, rel=1e-6)
    assert rule_positions(chart, "nelson_1") == [15, 21, 23, 41]
    assert chart["excluded"].sum() == 2 and chart["baseline"].sum() == 30
    # Phase II: samples 34-54 (21 points) all below 0.215 (33 is 12/50 = 0.24, above).
    # Nelson 2 flags the 9th point of that run (sample 42) and every later one.
    assert rule_positions(chart, "nelson_2") == list(range(42, 55))
    # Anhoej over the 52 non-excluded points: longest run 21 > round(log2 52) + 3 = 9, so
    # the run is flagged from its 10th point (sample 43) on.
    anhoej = chart.attrs["anhoej"]
    assert (anhoej["n_useful"], anhoej["longest_run"], anhoej["longest_run_max"]) == (52, 21, 9)
    assert anhoej["runs_signal"]
    assert rule_positions(chart, "anhoej") == list(range(43, 55))


# ---------------------------------------------------------------------------------------------
# Laney p' (PowerBI-SPC) and qicharts2 p / u / i charts
# ---------------------------------------------------------------------------------------------


def test_laney_p_prime_per_point_limits_match_powerbi_spc():
    """PowerBI-SPC test/Chart Types/pprime.test.ts (golden pp/basic): 3- and 2-sigma limits."""
    chart = spc.p_chart(ref.LANEY_NUMERATORS, ref.LANEY_DENOMINATORS, laney=True)
    assert chart.attrs["chart"] == "p_prime"
    tolerance = 5.01e-7  # published to 6 decimals
    assert chart["ucl"].to_numpy() == pytest.approx(ref.LANEY_UL99, abs=tolerance)
    assert chart["lcl"].to_numpy() == pytest.approx(ref.LANEY_LL99, abs=tolerance)
    two_sigma_upper = (chart["center"] + 2 * chart["se"]).to_numpy()
    two_sigma_lower = (chart["center"] - 2 * chart["se"]).to_numpy()
    assert two_sigma_upper == pytest.approx(ref.LANEY_UL95, abs=tolerance)
    assert two_sigma_lower == pytest.approx(ref.LANEY_LL95, abs=tolerance)
    # Half-widths are what sigma_z scales; check them relative too (1e-4).
    half_width = (chart["ucl"] - chart["center"]).to_numpy()
    published_half_width = (np.array(ref.LANEY_UL99) - np.array(ref.LANEY_LL99)) / 2
    assert half_width == pytest.approx(published_half_width, rel=1e-4)


def test_plain_p_chart_on_large_n_warns_of_overdispersion_and_laney_does_not():
    """Same data: binomial limits are ~sigma_z times too narrow (a call center's volumes)."""
    plain = spc.p_chart(ref.LANEY_NUMERATORS, ref.LANEY_DENOMINATORS)
    laney = spc.p_chart(ref.LANEY_NUMERATORS, ref.LANEY_DENOMINATORS, laney=True)
    sigma_z = plain.attrs["sigma_z"]
    assert sigma_z == pytest.approx(laney.attrs["sigma_z"])
    # sigma_z = (p' half-width) / (p half-width) at every point.
    ratio = ((laney["ucl"] - laney["center"]) / (plain["ucl"] - plain["center"])).to_numpy()
    assert ratio == pytest.approx(sigma_z, rel=1e-12)
    assert sigma_z > 5
    assert plain["signal"].sum() >= 15  # nearly every point "out of control"
    assert not laney["signal"].any()
    assert [w["code"] for w in plain.attrs["diagnostics"]["warnings"]] == ["overdispersion"]
    assert "laney=True" in plain.attrs["diagnostics"]["warnings"][0]["text"]
    assert laney.attrs["diagnostics"]["warnings"] == []


def test_p_chart_variable_n_matches_qicharts2():
    """qicharts2 0.8.1 qic(chart = "p") via PowerBI-SPC golden p/basic (4 decimals)."""
    chart = spc.p_chart(ref.P_NUMERATORS, ref.P_DENOMINATORS)
    tolerance = 5.01e-5
    assert chart.attrs["center"] == pytest.approx(ref.P_CENTER, abs=tolerance)
    assert chart["ucl"].to_numpy() == pytest.approx(ref.P_UCL, abs=tolerance)
    assert chart["lcl"].to_numpy() == pytest.approx(ref.P_LCL, abs=tolerance)


def test_u_chart_variable_n_matches_qicharts2():
    """qicharts2 0.8.1 qic(chart = "u") via PowerBI-SPC golden u/basic (8 decimals)."""
    chart = spc.u_chart(ref.U_NUMERATORS, ref.U_DENOMINATORS)
    assert chart.attrs["chart"] == "u"
    tolerance = 5.01e-9
    assert chart.attrs["center"] == pytest.approx(ref.U_CENTER, abs=tolerance)
    assert chart["ucl"].to_numpy() == pytest.approx(ref.U_UCL, abs=tolerance)
    assert chart["lcl"].to_numpy() == pytest.approx(ref.U_LCL, abs=tolerance)
    assert chart["ucl"].to_numpy() == pytest.approx(ref.U_UCL, rel=1e-5)
    assert chart["lcl"].nunique() > 20  # the limits step with n


def test_laney_u_prime_equals_p_prime_limits_on_the_same_data():
    """PowerBI-SPC golden up/basic: Laney's u' gives the p' limits here (sigma_z absorbs the scale).

    sqrt(u/n) = sqrt(p(1-p)/n) / sqrt(1-p): every z shrinks by sqrt(1-p), sigma_z grows by it.
    """
    chart = spc.u_chart(ref.LANEY_NUMERATORS, ref.LANEY_DENOMINATORS, laney=True)
    assert chart.attrs["chart"] == "u_prime"
    assert chart["ucl"].to_numpy() == pytest.approx(ref.LANEY_UL99, abs=5.01e-7)
    assert chart["lcl"].to_numpy() == pytest.approx(ref.LANEY_LL99, abs=5.01e-7)


def test_circuit_c_and_u_charts_match_qcc_vignette():
    """qcc vignette "c and u charts": phase I limits, points 6 and 20 out, revised limits."""
    trial = ref.CIRCUIT_X[: ref.CIRCUIT_TRIAL_SAMPLES]
    chart = spc.c_chart(trial)
    assert chart.attrs["center"] == pytest.approx(ref.CIRCUIT_C_CENTER, rel=1e-6)
    assert chart["lcl"].to_numpy() == pytest.approx(ref.CIRCUIT_C_LCL, rel=1e-6)
    assert chart["ucl"].to_numpy() == pytest.approx(ref.CIRCUIT_C_UCL, rel=1e-6)
    assert positions(chart["signal"]) == ref.CIRCUIT_OUT_OF_CONTROL

    count = len(ref.CIRCUIT_X)
    baseline = np.arange(count) < ref.CIRCUIT_TRIAL_SAMPLES
    exclude = np.isin(np.arange(1, count + 1), ref.CIRCUIT_OUT_OF_CONTROL)
    revised = spc.c_chart(ref.CIRCUIT_X, baseline=baseline, exclude=exclude)
    assert revised.attrs["center"] == pytest.approx(ref.CIRCUIT_REVISED_C_CENTER, rel=1e-6)
    assert revised["lcl"].to_numpy() == pytest.approx(ref.CIRCUIT_REVISED_C_LCL, rel=1e-6)
    assert revised["ucl"].to_numpy() == pytest.approx(ref.CIRCUIT_REVISED_C_UCL, rel=1e-6)
    rates = spc.u_chart(ref.CIRCUIT_X, ref.CIRCUIT_SIZE, baseline=baseline, exclude=exclude)
    assert rates.attrs["center"] == pytest.approx(ref.CIRCUIT_REVISED_U_CENTER, rel=1e-6)
    assert rates["lcl"].to_numpy() == pytest.approx(ref.CIRCUIT_REVISED_U_LCL, rel=1e-6)
    assert rates["ucl"].to_numpy() == pytest.approx(ref.CIRCUIT_REVISED_U_UCL, rel=1e-6)


# ---------------------------------------------------------------------------------------------
# XmR
# ---------------------------------------------------------------------------------------------


def test_xmr_matches_qicharts2_i_chart():
    """qicharts2 0.8.1 qic(chart = "i") via PowerBI-SPC golden i/basic-ratio (6 decimals)."""
    values = np.array(ref.I_NUMERATORS) / np.array(ref.I_DENOMINATORS)
    chart = spc.xmr_chart(values)
    tolerance = 5.01e-7
    assert chart.attrs["center"] == pytest.approx(ref.I_CENTER, abs=tolerance)
    assert chart["ucl"].iloc[0] == pytest.approx(ref.I_UCL, abs=tolerance)
    assert chart["lcl"].iloc[0] == pytest.approx(ref.I_LCL, abs=tolerance)
    assert chart["center"].iloc[0] + 2 * chart["se"].iloc[0] == pytest.approx(
        ref.I_UCL_2SIGMA, abs=tolerance
    )
    assert chart["center"].iloc[0] - 2 * chart["se"].iloc[0] == pytest.approx(
        ref.I_LCL_2SIGMA, abs=tolerance
    )


def test_xmr_viscosity_matches_qcc_vignette_with_exclusion():
    """qcc vignette "Continuous one-at-time data" (viscosity), std.dev = MR-bar / 1.128.

    (The vignette was rendered with qcc 3.0, whose d2(2) was the tabled 1.128; current qcc
    integrates d2(2) = 2/sqrt(pi) = 1.128379 and prints 0.03% smaller values.)
    Phase I = batches 1-20: center 34.088, std.dev 0.5076521. Batch 4 removed: center
    33.98947, std.dev 0.4117415 (the moving range then spans batches 3-5, as here).
    """
    trial = ref.VISCOSITY[: ref.VISCOSITY_TRIAL_BATCHES]
    chart = spc.xmr_chart(trial)
    assert chart.attrs["center"] == pytest.approx(ref.VISCOSITY_CENTER, rel=1e-6)
    assert chart.attrs["sigma_hat"] == pytest.approx(ref.VISCOSITY_STD_DEV, rel=1e-6)
    assert chart["ucl"].iloc[0] == pytest.approx(
        ref.VISCOSITY_CENTER + 3 * ref.VISCOSITY_STD_DEV, rel=1e-6
    )

    count = len(ref.VISCOSITY)
    baseline = np.arange(count) < ref.VISCOSITY_TRIAL_BATCHES
    exclude = np.isin(np.arange(1, count + 1), ref.VISCOSITY_OUT_OF_CONTROL)
    revised = spc.xmr_chart(ref.VISCOSITY, baseline=baseline, exclude=exclude)
    assert revised.attrs["center"] == pytest.approx(ref.VISCOSITY_REVISED_CENTER, rel=1e-6)
    assert revised.attrs["sigma_hat"] == pytest.approx(ref.VISCOSITY_REVISED_STD_DEV, rel=1e-6)
    # qcc prints the revised limits 32.75425 - 35.2247 (vignette, same call).
    assert revised["lcl"].iloc[0] == pytest.approx(32.75425, rel=1e-6)
    assert revised["ucl"].iloc[0] == pytest.approx(35.2247, rel=1e-6)
    # Excluded batch 4 (35.96) stays on the chart and is beyond the revised limits.
    assert revised["excluded"].iloc[3] and revised["signal"].iloc[3]


def test_xmr_hand_calculation_and_moving_range_chart():
    """Hand: x = 10, 12, 11, 13, 12 -> mean 11.6; MR = 2, 1, 2, 1 -> MR-bar 1.5.

    sigma = 1.5 / 1.128 = 1.3297872; limits 11.6 +/- 3.9893617 = 7.6106383 / 15.5893617;
    MR chart upper limit 3.267 * 1.5 = 4.9005.
    """
    chart = spc.xmr_chart(pd.Series([10.0, 12, 11, 13, 12], index=list("abcde")))
    assert list(chart.index) == list("abcde")
    assert chart.attrs["mr_bar"] == pytest.approx(1.5)
    assert chart.attrs["sigma_hat"] == pytest.approx(1.3297872, rel=1e-7)
    assert chart["lcl"].iloc[0] == pytest.approx(7.6106383, rel=1e-7)
    assert chart["ucl"].iloc[0] == pytest.approx(15.5893617, rel=1e-7)
    assert chart["mr"].tolist()[1:] == [2.0, 1.0, 2.0, 1.0] and math.isnan(chart["mr"].iloc[0])
    assert chart["mr_ucl"].iloc[0] == pytest.approx(4.9005)
    assert not chart["mr_signal"].any()
    jump = spc.xmr_chart([10.0, 12, 11, 13, 12, 20], baseline=np.arange(6) < 5)
    # 20 - 12 = 8 > 4.9005: the moving-range chart signals; 20 > 15.589 too.
    assert jump["mr_signal"].tolist() == [False] * 5 + [True]
    assert jump["rules"].iloc[5] == "nelson_1"


# ---------------------------------------------------------------------------------------------
# Xbar-S
# ---------------------------------------------------------------------------------------------


def _means_sds(groups):
    means = [float(np.mean(g)) for g in groups]
    sds = [float(np.std(g, ddof=1)) for g in groups]
    return means, sds, [len(g) for g in groups]


def test_xbar_s_pooled_sigma_matches_qcc_rmsdf():
    """qcc tests/testthat/test-spc.xbar.R: center 44/9, sd.xbar(std.dev = "RMSDF") = 2.886142.

    Hand: s^2 = 20/3, 8, 9 with n - 1 = 3, 1, 2 -> s_p = sqrt((20 + 8 + 18) / 6) = 2.7688746;
    c4(7) = 0.9593684 -> sigma-hat = 2.8861416; Xbar limits 44/9 +/- 3 sigma-hat / sqrt(n).
    """
    means, sds, sizes = _means_sds(ref.QCC_XBAR_GROUPS)
    chart = spc.xbar_s_chart(means, sds, sizes)
    assert chart.attrs["center"] == pytest.approx(ref.QCC_XBAR_CENTER, rel=1e-12)
    assert chart.attrs["sigma_hat"] == pytest.approx(ref.QCC_XBAR_RMSDF, rel=1e-6)
    assert chart.attrs["s_pooled"] == pytest.approx(math.sqrt(46 / 6), rel=1e-12)
    sigma_hat = chart.attrs["sigma_hat"]
    expected_ucl = [44 / 9 + 3 * sigma_hat / math.sqrt(n) for n in (4, 2, 3)]
    assert chart["ucl"].tolist() == pytest.approx(expected_ucl, rel=1e-12)
    # qcc limits.xbar(10, 2, sizes = c(2, 4, 8)) is the same formula: 10 -/+ 3 * 2 / sqrt(n).
    published = [
        ref.QCC_XBAR_LIMITS_CENTER - 3 * ref.QCC_XBAR_LIMITS_STD_DEV / math.sqrt(n)
        for n in ref.QCC_XBAR_LIMITS_SIZES
    ]
    assert published == pytest.approx(ref.QCC_XBAR_LIMITS_LCL, rel=1e-6)
    # S chart: center c4(n) sigma-hat; limits sigma-hat (c4 +/- 3 sqrt(1 - c4^2)), LCL >= 0.
    c4_4 = 0.9213177  # c4(4), Montgomery Appendix VI: 0.9213
    assert chart["s_center"].iloc[0] == pytest.approx(c4_4 * sigma_hat, rel=1e-6)
    assert chart["s_ucl"].iloc[0] == pytest.approx(
        sigma_hat * (c4_4 + 3 * math.sqrt(1 - c4_4**2)), rel=1e-6
    )
    assert chart["s_lcl"].tolist() == [0.0, 0.0, 0.0]


def test_xbar_s_variable_n_pistonrings_center_matches_qcc_vignette():
    """qcc vignette "Variable control limits": Montgomery's piston rings with 12 values removed.

    Subgroup sizes 3, 4, 5 occur 4, 4, 17 times; center 74.00075 (5 decimals).
    """
    flat = [value for row in ref.PISTONRINGS_FIRST_25 for value in row]
    sample = [i // 5 for i in range(125)]
    kept = [i for i in range(125) if i + 1 not in ref.PISTONRINGS_REMOVED_ROWS]
    frame = pd.DataFrame({"sample": [sample[i] for i in kept], "diameter": [flat[i] for i in kept]})
    stats = frame.groupby("sample")["diameter"].agg(["mean", "std", "size"])
    assert stats["size"].value_counts().to_dict() == ref.PISTONRINGS_SIZE_COUNTS
    chart = spc.xbar_s_chart(stats["mean"], stats["std"], stats["size"])
    assert chart.attrs["center"] == pytest.approx(ref.PISTONRINGS_CENTER, abs=5.01e-6)
    # Limits step with n: narrower for n = 5 than for n = 3 (ratio sqrt(5/3)).
    width = chart["ucl"] - chart["center"]
    assert width[stats["size"] == 3].iloc[0] / width[stats["size"] == 5].iloc[0] == pytest.approx(
        math.sqrt(5 / 3)
    )


@pytest.mark.parametrize(
    ("n", "published"),
    [(2, 0.7979), (3, 0.8862), (4, 0.9213), (5, 0.9400), (6, 0.9515), (10, 0.9727), (25, 0.9896)],
)
def test_c4_matches_montgomery_table(n, published):
    """Montgomery, Appendix VI (factors for variables control charts), 4 decimals."""
    assert spc.c4(n) == pytest.approx(published, abs=5.01e-5)


def test_xbar_s_from_interval_sums_of_squares():
    """AHT per interval from sums: handle times 300, 240, 360 -> n 3, sum 900, sum of squares 277200.

    mean = 300; s^2 = (277200 - 3 * 300^2) / 2 = 3600 -> s = 60, the value xbar_s_chart expects.
    """
    n, total, squares = 3, 900.0, 277200.0
    mean = total / n
    sd = math.sqrt((squares - n * mean**2) / (n - 1))
    assert (mean, sd) == (300.0, 60.0)
    chart = spc.xbar_s_chart([mean, 310.0], [sd, 50.0], [n, 4])
    # Pooled: s_p^2 = (2 * 3600 + 3 * 2500) / 5 = 2940; center (900 + 1240) / 7 = 305.714...
    assert chart.attrs["s_pooled"] == pytest.approx(math.sqrt(2940))
    assert chart.attrs["center"] == pytest.approx(2140 / 7)


# ---------------------------------------------------------------------------------------------
# Laney-adjusted Xbar-S
# ---------------------------------------------------------------------------------------------


def overdispersion_warning(chart: pd.DataFrame) -> dict:
    """The one "overdispersion" warning of a chart."""
    found = [w for w in chart.attrs["diagnostics"]["warnings"] if w["code"] == "overdispersion"]
    assert len(found) == 1
    return found[0]


def _laney_case(means):
    """Subgroups of n = 4 with s = 2 c4(19): over the 6 baseline subgroups sum(n - 1) = 18, so
    s_p = 2 c4(19) and sigma-hat = s_p / c4(19) = 2 exactly; se = 2 / sqrt(4) = 1."""
    count = len(means)
    sd = 2 * spc.c4(19)
    baseline = np.arange(count) < 6
    return means, [sd] * count, [4] * count, baseline


def test_xbar_s_laney_adjustment_by_hand():
    """Hand: means 11, 13, 11, 13, 11, 13 (baseline), then 16 and 20; center 12, se 1.

    z = -1, +1, ... -> five moving ranges of 2 -> sigma_z = 2 / 1.128 = 1.7730496.
    Plain limits 12 -/+ 3 = 9 / 15: points 7 (16) and 8 (20) signal.
    Laney limits 12 -/+ 3 * 1.7730496 = 6.6808511 / 17.3191489: only point 8 signals.
    """
    means, sds, sizes, baseline = _laney_case([11.0, 13, 11, 13, 11, 13, 16, 20])
    options = {"baseline": baseline, "rules": ("nelson_1",)}
    plain = spc.xbar_s_chart(means, sds, sizes, **options)
    assert plain.attrs["sigma_hat"] == pytest.approx(2.0, rel=1e-12)
    assert plain.attrs["sigma_z"] == pytest.approx(2 / 1.128, rel=1e-12)
    assert plain["ucl"].tolist() == pytest.approx([15.0] * 8, rel=1e-12)
    assert positions(plain["signal"]) == [7, 8]
    assert plain.attrs["chart"] == "xbar_s" and plain.attrs["laney"] is False
    warning = overdispersion_warning(plain)
    assert warning["adjusted"] is False and "laney=True" in warning["text"]

    laney = spc.xbar_s_chart(means, sds, sizes, laney=True, **options)
    assert laney.attrs["chart"] == "xbar_s_prime" and laney.attrs["laney"] is True
    assert laney["ucl"].tolist() == pytest.approx([17.3191489] * 8, rel=1e-8)
    assert laney["lcl"].tolist() == pytest.approx([6.6808511] * 8, rel=1e-8)
    assert laney["se"].tolist() == pytest.approx([1.7730496] * 8, rel=1e-7)
    assert positions(laney["signal"]) == [8]
    # the chart is still called Xbar-S, so the warning says its limits were widened
    warning = overdispersion_warning(laney)
    assert warning["adjusted"] is True and "widened by sigma_z" in warning["text"]
    # the S chart is about the spread within subgroups: the adjustment leaves it alone
    pd.testing.assert_series_equal(laney["s_ucl"], plain["s_ucl"])

    # "auto": sigma_z 1.77 > 1.5, so the adjustment is applied
    auto = spc.xbar_s_chart(means, sds, sizes, laney="auto", **options)
    pd.testing.assert_series_equal(auto["ucl"], laney["ucl"])
    assert auto.attrs["laney"] is True


def test_xbar_s_laney_auto_keeps_the_plain_chart_without_overdispersion():
    """Hand: means 11.5, 12.5, ... -> z = -0.5, +0.5, moving ranges 1, sigma_z = 1 / 1.128
    = 0.8865 < 1.5: "auto" keeps the textbook limits 12 -/+ 3 and warns of nothing."""
    means, sds, sizes, baseline = _laney_case([11.5, 12.5] * 3)
    auto = spc.xbar_s_chart(means, sds, sizes, laney="auto")
    assert auto.attrs["sigma_z"] == pytest.approx(1 / 1.128, rel=1e-12)
    assert auto.attrs["chart"] == "xbar_s" and auto.attrs["laney"] is False
    assert auto["ucl"].tolist() == pytest.approx([15.0] * 6, rel=1e-12)
    assert "overdispersion" not in [w["code"] for w in auto.attrs["diagnostics"]["warnings"]]
    with pytest.raises(spc.ChartInputError) as error:
        spc.xbar_s_chart(means, sds, sizes, laney="sometimes")
    assert error.value.code == "bad_option" and error.value.params["name"] == "laney"


# ---------------------------------------------------------------------------------------------
# Lower bound: no limit below what the measure can take
# ---------------------------------------------------------------------------------------------


def test_xmr_lower_bound_by_hand_and_signals_against_the_drawn_limits():
    """Hand: x = 1, 9, 2, 8, 1 (baseline) -> mean 4.2; MR = 8, 7, 6, 7 -> MR-bar 7;
    sigma = 7 / 1.128 = 6.2056738; limits 4.2 -/+ 18.6170213 = -14.4170213 / 22.8170213.

    With lower_bound=0 the LCL is 0 and the UCL unchanged. Phase II: 0 lies exactly on the
    clipped limit (no signal); -0.5 (negative seconds, a data error) lies below it and
    signals, although its z = (-0.5 - 4.2) / 6.2057 = -0.76 would not.
    """
    values = [1.0, 9, 2, 8, 1, 0, -0.5]
    baseline = np.arange(7) < 5
    plain = spc.xmr_chart(values, baseline=baseline)
    assert plain["lcl"].iloc[0] == pytest.approx(-14.4170213, rel=1e-8)
    assert not plain["signal"].any()
    bounded = spc.xmr_chart(values, baseline=baseline, lower_bound=0)
    assert bounded["lcl"].tolist() == [0.0] * 7
    assert bounded["ucl"].tolist() == pytest.approx([22.8170213] * 7, rel=1e-8)
    assert bounded["se"].tolist() == pytest.approx(plain["se"].tolist())  # zones unchanged
    assert positions(bounded["signal"]) == [7]
    assert bounded["rules"].iloc[6] == "nelson_1"
    assert bounded.attrs["lower_bound"] == 0


def test_xbar_s_lower_bound_clips_only_the_negative_qcc_limits():
    """qcc RMSDF case (sizes 4, 2, 3; center 44/9, sigma-hat 2.886142). Hand:
    LCL = 44/9 - 3 * 2.886142 / sqrt(n) = 4.8888889 - 4.3292130 = 0.5596759 (n 4),
    4.8888889 - 6.1224318 = -1.2335429 (n 2), 4.8888889 - 4.9989446 = -0.1100557 (n 3)
    (to 1e-6, the digits of the published sigma-hat): with lower_bound=0 the last two
    become 0, the rest is unchanged."""
    means, sds, sizes = _means_sds(ref.QCC_XBAR_GROUPS)
    plain = spc.xbar_s_chart(means, sds, sizes)
    assert plain["lcl"].tolist() == pytest.approx([0.5596759, -1.2335429, -0.1100557], abs=1e-6)
    bounded = spc.xbar_s_chart(means, sds, sizes, lower_bound=0)
    assert bounded["lcl"].tolist() == pytest.approx([0.5596759, 0.0, 0.0], abs=1e-6)
    pd.testing.assert_series_equal(bounded["ucl"], plain["ucl"])


def test_ewma_lower_bound_by_hand():
    """Hand: center 1, sigma 2, lam 0.5, L 2: se_1 = 2 sqrt(0.5 / 1.5 * (1 - 0.25)) = 1 ->
    LCL -1; se_2 = 2 sqrt(1/3 * (1 - 1/16)) = 1.1180340 -> LCL -1.2360680; both clip to 0."""
    plain = spc.ewma_chart([1.0, 1.0], lam=0.5, L=2, center=1, std_dev=2)
    assert plain["lcl"].tolist() == pytest.approx([-1.0, -1.2360680], rel=1e-7)
    bounded = spc.ewma_chart([1.0, 1.0], lam=0.5, L=2, center=1, std_dev=2, lower_bound=0)
    assert bounded["lcl"].tolist() == [0.0, 0.0]
    assert bounded["ucl"].tolist() == pytest.approx([3.0, 3.2360680], rel=1e-7)


def test_seasonal_mean_chart_lower_bound_clips_its_limits():
    days = pd.date_range("2024-01-01", periods=21, freq="D")
    weeks = [[2.0, 30, 4, 25, 3, 1, 40], [6, 22, 1, 33, 8, 3, 31], [1, 35, 7, 20, 2, 6, 45]]
    waits = pd.Series([value for week in weeks for value in week], index=days)
    plain = spc.seasonal_chart(waits, kind="mean")
    bounded = spc.seasonal_chart(waits, kind="mean", lower_bound=0)
    assert (plain["lcl"] < 0).any()  # the case needs a negative limit to clip
    np.testing.assert_allclose(bounded["lcl"], np.maximum(plain["lcl"], 0.0))
    np.testing.assert_allclose(bounded["ucl"], plain["ucl"])


def test_published_references_are_unchanged_by_a_zero_lower_bound():
    """The reference charts whose limits are positive (qcc viscosity XmR and EWMA, qicharts2
    I chart, piston rings Xbar-S) give the same limits and signals with lower_bound=0; the
    reference tests above run with the default (no clipping)."""
    ratio = np.array(ref.I_NUMERATORS) / np.array(ref.I_DENOMINATORS)
    flat = [value for row in ref.PISTONRINGS_FIRST_25 for value in row]
    rings = pd.DataFrame({"sample": [i // 5 for i in range(125)], "diameter": flat})
    rings = rings.groupby("sample")["diameter"].agg(["mean", "std", "size"])
    viscosity_ewma = {
        "lam": ref.VISCOSITY_EWMA_LAMBDA,
        "L": ref.VISCOSITY_EWMA_NSIGMAS,
        "center": ref.VISCOSITY_CENTER,
        "std_dev": ref.VISCOSITY_STD_DEV,
    }
    pairs = [
        (spc.xmr_chart, (ref.VISCOSITY[: ref.VISCOSITY_TRIAL_BATCHES],), {}),
        (spc.xmr_chart, (ratio,), {}),
        (spc.ewma_chart, (ref.VISCOSITY,), viscosity_ewma),
        (spc.xbar_s_chart, (rings["mean"], rings["std"], rings["size"]), {}),
    ]
    for function, args, options in pairs:
        plain = function(*args, **options)
        bounded = function(*args, **options, lower_bound=0)
        assert (plain["lcl"] > 0).all()
        for column in ("lcl", "ucl", "signal", "rules"):
            pd.testing.assert_series_equal(bounded[column], plain[column])


# ---------------------------------------------------------------------------------------------
# Rules
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("rule", "values", "expected"), ref.QCC_RULE_CASES)
def test_nelson_rules_reproduce_qcc_rule_tests(rule, values, expected):
    """qcc tests/testthat/test-rules.R (NEL1-NEL8, WER1-3 and the precedence case)."""
    flags = spc.run_rules(values, center=0, sigma=1, rules=[rule])[rule]
    assert positions(flags) == expected


def test_qcc_nelson_7_case_in_a_chart():
    """qcc tests/testthat/test-qcc.R "qcc applies Nelson rules": violations at 15 and 16 only."""
    flags = spc.run_rules([0.3] * 16 + [1.2], center=0, sigma=1, rules=spc.NELSON_RULES)
    assert positions(flags["nelson_7"]) == [15, 16]
    # With all rules on, Nelson 2 also fires (hand: 17 points above 0, flagged from the 9th),
    # and nothing else does.
    assert positions(flags["nelson_2"]) == list(range(9, 18))
    assert positions(flags.drop(columns=["nelson_2", "nelson_7"]).any(axis=1)) == []


def test_rule_semantics_center_line_limits_and_own_sigma():
    """Hand cases for the semantics of center-line points, limits and a rule's own sigma."""
    # A point on the center line breaks a same-side run: 8 above, 1 on, 8 above -> no Nelson 2.
    broken = spc.run_rules([1] * 8 + [0] + [1] * 8, center=0, sigma=1, rules=["nelson_2"])
    assert not broken["nelson_2"].any()
    assert positions(spc.run_rules([1] * 9, 0, 1, rules=["nelson_2"])["nelson_2"]) == [9]
    # Exactly on the 3-sigma limit is not a signal; just beyond is.
    on_limit = spc.run_rules([3.0, -3.0, 3.0000001], 0, 1, rules=["nelson_1"])["nelson_1"]
    assert on_limit.tolist() == [False, False, True]
    # Each point is judged against its own sigma: with sigma 2 at the third point, 2.5 is not
    # beyond 2 sigma (= 4), so the 2-of-3 rule does not fire there.
    constant = spc.run_rules([0, 2.5, 2.5], 0, 1, rules=["nelson_5"])["nelson_5"]
    variable = spc.run_rules([0, 2.5, 2.5], 0, [1, 1, 2], rules=["nelson_5"])["nelson_5"]
    assert positions(constant) == [3] and positions(variable) == []
    # Nelson 8 needs both sides: eight points beyond 1 sigma all above is not a signal.
    assert not spc.run_rules([1.5] * 8, 0, 1, rules=["nelson_8"])["nelson_8"].any()
    # Missing values are skipped, not treated as breaks.
    gap = spc.run_rules([1, 1, 1, 1, np.nan, 1, 1, 1, 1, 1], 0, 1, rules=["nelson_2"])
    assert positions(gap["nelson_2"]) == [10]


def test_unknown_rule_is_rejected():
    with pytest.raises(ValueError, match="unknown rule"):
        spc.run_rules([1, 2, 3], 0, 1, rules=["western_1"])
    with pytest.raises(ValueError, match="unknown rule"):
        spc.p_chart([1, 2], [10, 10], rules=("nelson_9",))


# ---------------------------------------------------------------------------------------------
# Anhoej runs analysis
# ---------------------------------------------------------------------------------------------


def test_anhoej_critical_values_match_qicharts2_table():
    """qicharts2 vignette, Appendix 2: critical values for n = 10..100 useful observations."""
    for n, (longest_max, crossings_min) in ref.ANHOEJ_CRITICAL_VALUES.items():
        result = spc.anhoej_runs(np.resize([1.0, -1.0], n), center=0.0)
        assert (result["longest_run_max"], result["n_crossings_min"]) == (
            longest_max,
            crossings_min,
        ), n


def test_anhoej_runs_hand_counts():
    """Hand: signs + + (on) + - - - + -> 7 useful, longest 3, crossings 2.

    n = 7: round(log2 7) + 3 = round(2.807) + 3 = 6; qbinom(0.05, 6, 0.5) = 1 since
    P(X <= 0) = 1/64 < 0.05 <= P(X <= 1) = 7/64. No signal.
    """
    result = spc.anhoej_runs([1, 2, 0, 3, -1, -2, -3, 4], center=0)
    assert result == {
        "n_obs": 8,
        "n_useful": 7,
        "longest_run": 3,
        "longest_run_max": 6,
        "n_crossings": 2,
        "n_crossings_min": 1,
        "long_run_signal": False,
        "few_crossings_signal": False,
        "runs_signal": False,
    }


def test_anhoej_point_flags_skip_center_line_points():
    """Hand: 5 above, 1 on the line, 5 above, 1 below -> 11 useful points, one run of 10.

    Limit round(log2 11) + 3 = 6, so the run's 7th useful point (index 7) onward is flagged;
    the point on the center line (index 5) is not. Crossings 1 < qbinom(0.05, 10, 0.5) = 2
    (P(X <= 1) = 11/1024 < 0.05 <= P(X <= 2) = 56/1024).
    """
    values = [1] * 5 + [0] + [1] * 5 + [-1]
    flags = spc.run_rules(values, center=0, sigma=1, rules=["anhoej"])["anhoej"]
    assert np.flatnonzero(flags).tolist() == [7, 8, 9, 10]
    result = spc.anhoej_runs(values, 0)
    assert (result["longest_run"], result["n_crossings"], result["n_crossings_min"]) == (10, 1, 2)
    assert result["long_run_signal"] and result["few_crossings_signal"]


# ---------------------------------------------------------------------------------------------
# EWMA and CUSUM
# ---------------------------------------------------------------------------------------------


def test_ewma_matches_qcc_unit_test():
    """qcc tests/testthat/test-ewma.R: ewma(c(11, 13, 12), center 10, std.dev 2, lambda 0.5, nsigmas 2)."""
    chart = spc.ewma_chart(ref.QCC_EWMA_DATA, lam=0.5, L=2, center=10, std_dev=2)
    assert chart["value"].tolist() == pytest.approx(ref.QCC_EWMA_STATISTIC, rel=1e-12)
    assert chart["se"].tolist() == pytest.approx(ref.QCC_EWMA_SIGMA, rel=1e-12)
    assert chart["ucl"].tolist() == pytest.approx(
        [10 + 2 * s for s in ref.QCC_EWMA_SIGMA], rel=1e-12
    )
    assert chart["lcl"].tolist() == pytest.approx(
        [10 - 2 * s for s in ref.QCC_EWMA_SIGMA], rel=1e-12
    )


def test_ewma_viscosity_limits_match_qcc_vignette():
    """qcc vignette "EWMA": viscosity, lambda 0.2, nsigmas 2.7, limits of points 1, 2 and 35."""
    chart = spc.ewma_chart(
        ref.VISCOSITY,
        lam=ref.VISCOSITY_EWMA_LAMBDA,
        L=ref.VISCOSITY_EWMA_NSIGMAS,
        center=ref.VISCOSITY_CENTER,
        std_dev=ref.VISCOSITY_STD_DEV,
    )
    for point, (lcl, ucl) in ref.VISCOSITY_EWMA_LIMITS.items():
        assert chart["lcl"].iloc[point - 1] == pytest.approx(lcl, abs=5.01e-6)
        assert chart["ucl"].iloc[point - 1] == pytest.approx(ucl, abs=5.01e-6)


def test_ewma_phase_one_estimates_by_hand():
    """Hand: x = 10, 12, 11, 13, 12 -> center 11.6, sigma 1.5 / 1.128 = 1.3297872.

    lam 0.2: z_1 = 0.2 * 10 + 0.8 * 11.6 = 11.28; se_1 = sigma sqrt(0.2 / 1.8 * (1 - 0.64))
    = 0.2 sigma = 0.2659574.
    """
    chart = spc.ewma_chart([10.0, 12, 11, 13, 12])
    assert chart.attrs["center"] == pytest.approx(11.6)
    assert chart["value"].iloc[0] == pytest.approx(11.28)
    assert chart["se"].iloc[0] == pytest.approx(0.2659574, rel=1e-6)
    assert not chart["signal"].any()


def test_cusum_matches_qcc_unit_test_with_strict_boundaries():
    """qcc tests/testthat/test-cusum.R: decision interval 1, shift 1 (k = 0.5), center 0, sd 1."""
    chart = spc.cusum_chart(ref.QCC_CUSUM_DATA, k=0.5, h=1, center=0, std_dev=1)
    assert chart["cusum_upper"].tolist() == pytest.approx(ref.QCC_CUSUM_POS, abs=1e-12)
    assert chart["cusum_lower"].tolist() == pytest.approx(ref.QCC_CUSUM_NEG, abs=1e-12)
    assert rule_positions(chart, "cusum_upper") == ref.QCC_CUSUM_UPPER_VIOLATIONS
    assert rule_positions(chart, "cusum_lower") == ref.QCC_CUSUM_LOWER_VIOLATIONS


def test_cusum_detects_a_small_persistent_shift_by_hand():
    """Hand: ten values 1 sigma above target, k = 0.5, h = 4: C+ = 0.5, 1.0, ..., 4.0 at the 8th
    (not beyond h), 4.5 at the 9th -> first signal at point 9."""
    chart = spc.cusum_chart([1.0] * 10, center=0, std_dev=1)
    assert chart["cusum_upper"].tolist() == pytest.approx([0.5 * i for i in range(1, 11)])
    assert positions(chart["signal"]) == [9, 10]
    assert (chart["ucl"] == 4).all() and (chart["lcl"] == -4).all()


# ---------------------------------------------------------------------------------------------
# Diagnostics
# ---------------------------------------------------------------------------------------------


def test_lag1_autocorrelation_matches_statsmodels_acf():
    """statsmodels.tsa.stattools.acf(x, nlags=1)[1] is the published reference estimator."""
    values = [5.0, 7, 6, 9, 8, 12, 10, 11, 15, 13]
    assert spc.lag1_autocorrelation(values) == pytest.approx(acf(values, nlags=1)[1], rel=1e-12)


def test_autocorrelation_warning_on_a_trending_series():
    """A smooth wave (r1 near 1) undermines moving-range limits: a plain-language warning."""
    values = np.sin(np.arange(60) / 6.0)
    chart = spc.xmr_chart(values)
    diagnostics = chart.attrs["diagnostics"]
    assert diagnostics["lag1_autocorrelation"] > 0.9
    warning = [w for w in diagnostics["warnings"] if w["code"] == "autocorrelation"]
    assert warning and "too narrow" in warning[0]["text"]
    assert not [
        w
        for w in spc.xmr_chart(np.resize([1.0, 3, 2, 4, 2, 3], 60)).attrs["diagnostics"]["warnings"]
        if w["code"] == "autocorrelation" and "correlated" in w["text"]
    ]


def test_few_points_warning():
    chart = spc.p_chart([3, 4, 5], [10, 10, 10])
    assert [w["code"] for w in chart.attrs["diagnostics"]["warnings"]] == ["few_points"]


# ---------------------------------------------------------------------------------------------
# Seasonal chart
# ---------------------------------------------------------------------------------------------


def test_seasonal_chart_daily_counts_by_hand():
    """Hand: two baseline weeks of daily calls, a third week judged against them.

    Weekday expectations e = mean of the two weeks: Mon (100 + 110) / 2 = 105, ..., Sun
    (20 + 16) / 2 = 18. Leverage h = 1/2, so a baseline point has se = sigma_z sqrt(e) sqrt(1/2)
    and a week-3 point se = sigma_z sqrt(e) sqrt(3/2): ratio sqrt(3) for the same weekday.
    Week 3 Sunday has 2 calls: z = (2 - 18) / (sqrt(18) sqrt(1.5) sigma_z), far below.
    """
    week1 = [100, 80, 80, 80, 80, 40, 20]
    week2 = [110, 90, 70, 85, 75, 44, 16]
    week3 = [105, 85, 75, 80, 80, 42, 2]
    days = pd.date_range("2024-01-01", periods=21, freq="D")  # 2024-01-01 is a Monday
    calls = pd.Series(week1 + week2 + week3, index=days)
    baseline = np.arange(21) < 14
    chart = spc.seasonal_chart(calls, kind="count", baseline=baseline, rules=("nelson_1",))
    assert chart.attrs["slot"] == "weekday"
    expected = [105, 85, 75, 82.5, 77.5, 42, 18]
    assert chart["center"].tolist() == pytest.approx(expected * 3)
    assert chart["slot"].tolist()[:7] == ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    # sigma_z by hand: z_i = (x_i - e_i) / (sqrt(e_i) sqrt(1/2)) over the 14 baseline days.
    baseline_values = np.array(week1 + week2, dtype=float)
    e = np.array(expected * 2)
    z = (baseline_values - e) / (np.sqrt(e) * math.sqrt(0.5))
    assert chart.attrs["sigma_z"] == pytest.approx(np.mean(np.abs(np.diff(z))) / 1.128, rel=1e-12)
    ratio = chart["se"].iloc[14:].to_numpy() / chart["se"].iloc[:7].to_numpy()
    assert ratio == pytest.approx(math.sqrt(3), rel=1e-12)
    assert positions(chart["signal"]) == [21]


def test_seasonal_chart_weighted_means_by_time_slot():
    """Hand: interval AHT on two days, slot = time of day, weights = handled calls.

    09:00: (300 * 10 + 320 * 30) / 40 = 315; 10:00: (200 * 30 + 220 * 10) / 40 = 205.
    Leverage of the first point 10 / 40 = 0.25, so its se is sigma_z / sqrt(10) * sqrt(0.75).
    """
    starts = pd.to_datetime(
        ["2024-01-01 09:00", "2024-01-01 10:00", "2024-01-02 09:00", "2024-01-02 10:00"]
    )
    aht = pd.Series([300.0, 200, 320, 220], index=starts)
    chart = spc.seasonal_chart(aht, [10, 30, 30, 10], kind="mean", slot="time", rules=("nelson_1",))
    assert chart["center"].tolist() == pytest.approx([315, 205, 315, 205])
    assert chart["slot"].tolist() == ["09:00", "10:00", "09:00", "10:00"]
    sigma_z = chart.attrs["sigma_z"]
    assert chart["se"].iloc[0] == pytest.approx(sigma_z / math.sqrt(10) * math.sqrt(0.75))


def _interval_service_level(seed: int = 7):
    """Five weeks of 30-minute intervals, 8:00-20:00, with a Monday-morning dip every week
    (9:00-11:00 at 55% on 250 calls), a quiet evening hour (19:00-20:00 at 97% on 25 calls),
    85% otherwise on 80 calls, interval-to-interval staffing wobble (sd 2 points), and in week 5
    a collapse of the quiet Wednesday 19:00 interval to 70%."""
    rng = np.random.default_rng(seed)
    starts = pd.date_range("2024-01-01 08:00", periods=5 * 7 * 48, freq="30min")
    starts = starts[(starts.hour >= 8) & (starts.hour < 20)]
    weekday, hour = starts.day_of_week, starts.hour
    level = np.full(starts.size, 0.85)
    volume = np.full(starts.size, 80)
    monday_morning = np.asarray((weekday == 0) & (hour >= 9) & (hour < 11))
    level[monday_morning], volume[monday_morning] = 0.55, 250
    quiet = np.asarray(hour >= 19)
    level[quiet], volume[quiet] = 0.97, 25
    p = np.clip(level + rng.normal(0, 0.02, starts.size), 0.01, 0.99)
    n = rng.poisson(volume)
    x = rng.binomial(n, p)
    collapse = int(np.flatnonzero(starts == pd.Timestamp("2024-01-31 19:00"))[0])
    x[collapse] = round(0.70 * n[collapse])
    return pd.Series(x, index=starts), pd.Series(n, index=starts), monday_morning, collapse


def test_seasonal_chart_ignores_the_monday_peak_and_catches_a_quiet_hour_collapse():
    """Synthetic interval data (seed 7): weeks 1-4 baseline, week 5 judged.

    Figures measured with this seed: the Laney p' chart on the same data flags all 4 week-5
    Monday-morning intervals and misses the collapse; the seasonal chart flags the collapse,
    no Monday-morning interval, and 3 week-5 intervals in all (out of 168).
    """
    answered_in_sl, offered, monday_morning, collapse = _interval_service_level()
    baseline = np.asarray(offered.index < pd.Timestamp("2024-01-29"))
    week5 = ~baseline
    plain = spc.p_chart(answered_in_sl, offered, laney=True, baseline=baseline, rules=("nelson_1",))
    seasonal = spc.seasonal_chart(answered_in_sl, offered, baseline=baseline, rules=("nelson_1",))
    assert seasonal.attrs["slot"] == "weekday_time"
    assert seasonal["slot"].iloc[collapse] == "Wed 19:00"
    assert plain["signal"][week5 & monday_morning].sum() == 4
    assert not plain["signal"].iloc[collapse]
    assert seasonal["signal"].iloc[collapse]
    assert seasonal["signal"][week5 & monday_morning].sum() == 0
    assert seasonal["signal"][week5].sum() == 3
    assert list(seasonal.index) == list(offered.index)


def test_seasonal_chart_slot_without_baseline_warns():
    days = pd.date_range("2024-01-01", periods=10, freq="D")
    values = pd.Series([5.0, 6, 5, 6, 5, 6, 5, 6, 5, 6], index=days)
    chart = spc.seasonal_chart(values, kind="mean", baseline=np.arange(10) < 5)
    codes = [w["code"] for w in chart.attrs["diagnostics"]["warnings"]]
    assert "slot_without_baseline" in codes
    assert chart["center"].iloc[5:7].isna().all() and not chart["signal"].iloc[5:7].any()


# ---------------------------------------------------------------------------------------------
# Improvement check
# ---------------------------------------------------------------------------------------------


def test_improvement_check_two_proportions_matches_statsmodels():
    """No overdispersion (constant rates within each phase, so sigma_z = 0 and phi = 1):
    the textbook two-proportion z-test and Wald interval, as statsmodels computes them.

    Hand: p1 = 0.70, p2 = 0.80 on 3000 calls each; se = sqrt(0.21/3000 + 0.16/3000) = 0.0111055;
    95% CI 0.10 +/- 1.959964 * 0.0111055 = +7.8 to +12.2 points.
    """
    x = [700, 700, 700, 800, 800, 800]
    result = spc.improvement_check(
        x, [1000] * 6, change=3, label="service level", label_zh="服务水平"
    )
    assert (result.before, result.after) == pytest.approx((0.70, 0.80))
    assert result.dispersion == 1.0
    z, p_value = proportions_ztest([2400, 2100], [3000, 3000])
    assert result.statistic == pytest.approx(z, rel=1e-10)
    assert result.p_value == pytest.approx(p_value, rel=1e-8)
    low, high = confint_proportions_2indep(2400, 3000, 2100, 3000, method="wald", compare="diff")
    assert (result.ci_low, result.ci_high) == pytest.approx((low, high), rel=1e-10)
    assert result.ci_low == pytest.approx(0.10 - 1.959964 * 0.0111055, abs=1e-6)
    assert result.significant
    assert (
        result.sentence_en == "service level rose from 70.0% to 80.0%, 95% CI +7.8 to +12.2 points"
    )
    assert result.sentence_zh == "服务水平从70.0%上升至80.0%，95%置信区间为+7.8至+12.2个百分点"


def test_improvement_check_inflates_variance_for_overdispersion():
    """Hand: days 0.55, 0.70, 0.85 before and 0.72, 0.80, 0.88 after, 1000 calls each.

    Before p1 = 0.70: se = sqrt(0.21/1000) = 0.0144914, z = -10.350983, 0, +10.350983;
    after p2 = 0.80: se = sqrt(0.16/1000) = 0.0126491, z = -6.324555, 0, +6.324555.
    Moving ranges within each phase: 10.350983 (twice), 6.324555 (twice) -> mean 8.337769,
    sigma_z = 8.337769 / 1.128 = 7.391639, phi = sigma_z^2 = 54.636334. CI half-width
    1.959964 * 7.391639 * sqrt(0.21/3000 + 0.16/3000) = 0.1608900 > the +0.10 difference.
    """
    x = [550, 700, 850, 720, 800, 880]
    result = spc.improvement_check(x, [1000] * 6, change=3, label="service level")
    assert result.dispersion == pytest.approx(54.636334, rel=1e-7)
    assert result.ci_high - result.difference == pytest.approx(0.1608900, rel=1e-6)
    assert result.difference == pytest.approx(0.10)
    assert not result.significant  # the plain binomial test would call +10 points certain
    assert "overdispersion" in result.test
    assert result.sentence_en.endswith(": not a clear change")
    assert result.sentence_zh.endswith("变化不显著")


def test_improvement_check_welch_for_means():
    """Hand: before 10, 12, 14 and after 20, 22, 24 (e.g. daily AHT in seconds).

    Means 12 and 22, variances 4 and 4: se = sqrt(4/3 + 4/3) = 1.6329932, t = 6.1237244,
    Welch df = (8/3)^2 / (2 (4/3)^2 / 2) = 4; t(0.975, 4) = 2.776445 (t table 2.776):
    95% CI 10 +/- 4.5338 = 5.4662 to 14.5338.
    """
    values = pd.Series([10.0, 12, 14, 20, 22, 24], index=pd.date_range("2024-03-01", periods=6))
    result = spc.improvement_check(
        values,
        change="2024-03-04",
        kind="mean",
        label="AHT",
        label_zh="平均处理时长",
        unit=" s",
        unit_zh="秒",
    )
    assert (result.before, result.after, result.difference) == pytest.approx((12, 22, 10))
    assert result.statistic == pytest.approx(6.1237244, rel=1e-7)
    assert result.ci_low == pytest.approx(10 - 2.776445 * 1.6329932, rel=1e-6)
    assert result.ci_high == pytest.approx(10 + 2.776445 * 1.6329932, rel=1e-6)
    assert result.test == "Welch's t-test"
    assert result.sentence_en == "AHT rose from 12.0 s to 22.0 s, 95% CI +5.5 to +14.5 s"
    assert result.sentence_zh == "平均处理时长从12.0秒上升至22.0秒，95%置信区间为+5.5至+14.5秒"
    assert result.chart["phase"].tolist() == ["before"] * 3 + ["after"] * 3
    assert result.chart.attrs["chart"] == "xmr"


def test_improvement_check_sentence_for_a_fall():
    """Same hand numbers reversed: 22 -> 12, the interval mirrors to -14.5 to -5.5."""
    values = [20.0, 22, 24, 10, 12, 14]
    result = spc.improvement_check(
        values, change=3, kind="mean", label="AHT", label_zh="平均处理时长", unit=" s", unit_zh="秒"
    )
    assert result.sentence_en == "AHT fell from 22.0 s to 12.0 s, 95% CI -14.5 to -5.5 s"
    assert result.sentence_zh == "平均处理时长从22.0秒下降至12.0秒，95%置信区间为-14.5至-5.5秒"


def test_improvement_check_recomputes_limits_per_phase():
    """The per-phase chart equals a Laney p' chart computed on each phase alone."""
    x = pd.Series([700, 720, 690, 710, 830, 850, 845, 860])
    n = pd.Series([1000, 1100, 980, 1050, 1000, 1020, 990, 1010])
    result = spc.improvement_check(x, n, change=4, label="service level")
    before = spc.p_chart(x[:4], n[:4], laney=True)
    after = spc.p_chart(x[4:], n[4:], laney=True)
    assert result.chart["ucl"].tolist() == pytest.approx(
        before["ucl"].tolist() + after["ucl"].tolist()
    )
    assert result.chart["center"].nunique() == 2
    with pytest.raises(ValueError):
        spc.improvement_check(x, n, change=0)


# ---------------------------------------------------------------------------------------------
# Defaults and input handling
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kpi", "granularity", "chart"),
    [
        ("service_level", "interval", "p_prime"),
        ("Service level", "day", "p_prime"),
        ("abandon_rate", "week", "p_prime"),
        ("answer_rate", "day", "p_prime"),
        ("transfer_rate", "interval", "p_prime"),
        ("aht_s", "interval", "xbar_s"),
        ("AHT", "day", "xmr"),
        ("asa_s", "interval", "xbar_s"),
        ("ASA", "week", "xmr"),
        ("offered", "interval", "seasonal"),
        ("offered", "week", "xmr"),
        ("occupancy", "day", "xmr"),
    ],
)
def test_default_chart_for_each_kpi_and_granularity(kpi, granularity, chart):
    """The defaults a manager never has to tune: the chart of each KPI and granularity."""
    assert spc.default_chart_for(kpi, granularity) == chart


def test_default_chart_for_rejects_unknown_granularity():
    with pytest.raises(ValueError):
        spc.default_chart_for("service_level", "month")


def test_series_index_is_kept_and_missing_points_never_signal():
    days = pd.date_range("2024-05-01", periods=5, freq="D")
    chart = spc.p_chart(
        pd.Series([5, 6, 0, 7, 40], index=days), pd.Series([50, 50, 0, 50, 50], index=days)
    )
    assert chart.index.equals(days)
    assert math.isnan(chart["value"].iloc[2]) and math.isnan(chart["ucl"].iloc[2])
    assert not chart["signal"].iloc[2]
    assert chart["signal"].dtype == bool and chart["rules"].iloc[0] == ""
    assert {"value", "center", "lcl", "ucl", "signal", "rules"} <= set(chart.columns)


def test_invalid_inputs_are_rejected():
    with pytest.raises(ValueError, match="0 <= x <= n"):
        spc.p_chart([5, 11], [10, 10])
    with pytest.raises(ValueError, match="boolean mask"):
        spc.xmr_chart([1.0, 2, 3], exclude=[True, False])
    with pytest.raises(ValueError, match="no point"):
        spc.xmr_chart([1.0, 2, 3], exclude=[True, True, True])


def test_default_daily_service_level_chart_flags_the_sample_incident_days():
    """On the bundled sample data the daily service-level chart flags the
    injected incident days and no more than a few other days.

    Measured with the sample's default seed (90 days): the default chart (Laney p', sigma_z
    7.17) flags exactly the storm (2025-03-05), the surge (2025-03-11) and the staffing
    shortfall (2025-03-17), 0 other days; the plain p chart flags 58 of the 90 days.
    """
    sample = pytest.importorskip("ccmetrics.sample")
    from ccmetrics import kpi

    daily = kpi.compute(sample.generate_calls(), freq="D").set_index("period")
    assert spc.default_chart_for("service_level", "day") == "p_prime"
    chart = spc.p_chart(daily["answered_in_sl"], daily["sl_base"], laney=True)
    flagged = set(chart.index[chart["signal"]].strftime("%Y-%m-%d"))
    incident_days = {
        sample.INCIDENTS[name]["first_date"] for name in ("storm", "surge", "staffing_shortfall")
    }
    assert incident_days <= flagged
    assert len(flagged - incident_days) <= 3  # measured: 0
    plain = spc.p_chart(daily["answered_in_sl"], daily["sl_base"])
    assert plain["signal"].sum() > 40  # measured: 58 of 90 days


def _naive_rules(values, nsigmas=3.0):
    """Plain-loop statement of the rules (center 0, sigma 1), written from their definitions."""
    v = list(values)
    size = len(v)
    a, b = nsigmas * 2 / 3, nsigmas / 3

    def run(holds, length):
        flags, count = [False] * len(holds), 0
        for i, h in enumerate(holds):
            count = count + 1 if h else 0
            flags[i] = count >= length
        return flags

    def k_of_m(beyond, k, m):
        return [
            t >= m - 1 and beyond[t] and sum(beyond[t - m + 1 : t + 1]) >= k for t in range(size)
        ]

    def either(x, y):
        return [p or q for p, q in zip(x, y, strict=True)]

    steps = [v[i + 1] - v[i] for i in range(size - 1)]
    alternating = [steps[i + 1] * steps[i] < 0 for i in range(len(steps) - 1)]
    eight = [
        t >= 7
        and all(abs(x) > b for x in v[t - 7 : t + 1])
        and any(x > b for x in v[t - 7 : t + 1])
        and any(x < -b for x in v[t - 7 : t + 1])
        for t in range(size)
    ]
    return {
        "nelson_1": [abs(x) > nsigmas for x in v],
        "nelson_2": either(run([x > 0 for x in v], 9), run([x < 0 for x in v], 9)),
        "nelson_3": (
            [False] + either(run([s > 0 for s in steps], 5), run([s < 0 for s in steps], 5))
        )[:size],
        "nelson_4": [False, False] + run(alternating, 12) if size >= 3 else [False] * size,
        "nelson_5": either(k_of_m([x > a for x in v], 2, 3), k_of_m([x < -a for x in v], 2, 3)),
        "nelson_6": either(k_of_m([x > b for x in v], 4, 5), k_of_m([x < -b for x in v], 4, 5)),
        "nelson_7": run([abs(x) <= b for x in v], 15),
        "nelson_8": eight,
    }


def test_vectorized_rules_agree_with_plain_loops():
    """Random sequences (fixed seed) with ties, center-line points and long runs."""
    rng = np.random.default_rng(11)
    for _ in range(200):
        size = int(rng.integers(1, 60))
        values = np.round(rng.normal(rng.choice([0.0, 0.8]), rng.choice([0.5, 1.5]), size), 1)
        table = spc.run_rules(values, 0.0, 1.0)
        expected = _naive_rules(values)
        for rule in spc.NELSON_RULES:
            assert table[rule].tolist() == expected[rule], (rule, values.tolist())


# ---------------------------------------------------------------------------------------------
# Errors carry codes
# ---------------------------------------------------------------------------------------------


def _documented_error_codes() -> set[str]:
    """The codes of the error table in the module docstring."""
    table = spc.__doc__.split("Errors.", 1)[1]
    return set(re.findall(r"^``([a-z_]+)``", table, flags=re.M))


def test_every_raised_error_code_is_documented():
    source = inspect.getsource(spc)
    raised = set(
        re.findall(
            r"ChartInputError\(\s*(?:f?\"[^\"]*\"|f?'[^']*'),\s*\"([a-z_]+)\"", source, flags=re.S
        )
    )
    assert "ValueError(" not in source.replace("class ChartInputError(ValueError)", "")
    assert len(raised) >= 12  # the scan really finds the raises
    assert raised <= _documented_error_codes()


@pytest.mark.parametrize(
    ("call", "code", "params"),
    [
        (lambda: spc.xmr_chart([1.0, 2, 3], exclude=[True] * 3), "no_limit_points", {}),
        (
            lambda: spc.xbar_s_chart([1.0, 2], [1.0, 1.0], [1, 1]),
            "no_limit_points",
            {"chart": "xbar_s"},
        ),
        (lambda: spc.improvement_check([1, 2, 3], [5, 5, 5], change=3), "change_sides", {}),
        (lambda: spc.improvement_check([0, 1], [0, 5], change=1), "change_sides", {}),
        (
            lambda: spc.improvement_check([1.0, 2, 3], kind="mean", change=1),
            "phase_points",
            {"minimum": 2},
        ),
        (lambda: spc.p_chart([5, 11], [10, 10]), "counts_out_of_range", {"chart": "p"}),
        (
            lambda: spc.p_chart([5, 1], [10, 10, 10]),
            "length_mismatch",
            {"name": "n", "size": 3, "expected": 2},
        ),
        (
            lambda: spc.xmr_chart([1.0, 2, 3], exclude=[True, False]),
            "bad_mask",
            {"name": "exclude", "expected": 3},
        ),
        (lambda: spc.run_rules([1.0], 0, 1, rules=["nelson_9"]), "unknown_rule", {}),
        (lambda: spc.ewma_chart([1.0, 2], lam=0), "bad_option", {"name": "lam"}),
        (lambda: spc.seasonal_chart([1, 2], kind="proportion"), "missing_timestamps", {}),
        (lambda: spc.default_chart_for("aht_s", "month"), "bad_option", {"name": "granularity"}),
    ],
)
def test_errors_carry_a_documented_code_and_params(call, code, params):
    with pytest.raises(spc.ChartInputError) as error:
        call()
    assert isinstance(error.value, ValueError)  # callers catching ValueError still work
    assert error.value.code == code
    assert params.items() <= error.value.params.items()
    assert code in _documented_error_codes()
