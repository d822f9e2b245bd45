"""Tests of QA evaluator calibration: compare.evaluator_calibration and compare.icc_two_way.

Reference values: Shrout & Fleiss (1979), "Intraclass correlations: uses in assessing
rater reliability", Psychological Bulletin 86, Table 2 (6 targets rated by 4 judges)
and their Table 3 mean squares (BMS 11.24, JMS 32.49, EMS 1.02, WMS 6.26) and
estimates ICC(1,1) = .17, ICC(2,1) = .29, ICC(3,1) = .71; the 95 % interval of
ICC(2,1) on those data as R's psych::ICC prints it (0.019, 0.76). The offsets are
computed by hand in the tests.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ccmetrics import compare

#: Shrout & Fleiss (1979) Table 2: rows are targets, columns judges 1–4.
SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]


def test_icc_two_way_matches_shrout_fleiss_table_2():
    result = compare.icc_two_way(SHROUT_FLEISS)
    assert (result["n"], result["k"]) == (6, 4)
    assert result["ms_targets"] == pytest.approx(11.24, abs=0.005)
    assert result["ms_raters"] == pytest.approx(32.49, abs=0.005)
    assert result["ms_error"] == pytest.approx(1.02, abs=0.005)
    assert round(result["icc_2_1"], 2) == 0.29
    assert round(result["icc_3_1"], 2) == 0.71
    assert result["ci_lower"] == pytest.approx(0.019, abs=0.0005)
    assert round(result["ci_upper"], 2) == 0.76


def test_icc_two_way_needs_two_targets_and_two_raters():
    assert np.isnan(compare.icc_two_way([[1, 2]])["icc_2_1"])
    assert np.isnan(compare.icc_two_way([[1], [2], [3]])["icc_2_1"])


def _calls(rows) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["call_id", "agent", "category", "evaluator", "qa_score"])


def test_offsets_within_agent_and_category_cells_by_hand():
    frame = _calls(
        [
            # cell A1 x Billing: E1 80, 80; E2 76 -> E1's diffs 80-76=4 twice; E2's 76-80=-4
            ("1", "A1", "Billing", "E1", 80),
            ("2", "A1", "Billing", "E1", 80),
            ("3", "A1", "Billing", "E2", 76),
            # cell A1 x Roaming: E1 90, E2 86 -> E1 +4, E2 -4
            ("4", "A1", "Roaming", "E1", 90),
            ("5", "A1", "Roaming", "E2", 86),
            # cell A2 x Billing: E1 70, E2 68 -> E1 +2, E2 -2
            ("6", "A2", "Billing", "E1", 70),
            ("7", "A2", "Billing", "E2", 68),
            # cell A3 x Billing: only E2 -> no comparison
            ("8", "A3", "Billing", "E2", 60),
            # no evaluator or no score: ignored
            ("9", "A3", "Billing", None, 75),
            ("10", "A3", "Billing", "E1", np.nan),
        ]
    )
    result = compare.evaluator_calibration(frame)
    assert result["within"] == ["agent", "category"]
    table = result["evaluators"].set_index("evaluator")
    e1, e2 = table.loc["E1"], table.loc["E2"]
    assert (e1["n_scored"], e1["n_compared"], e1["cells"]) == (4, 4, 3)
    assert (e2["n_scored"], e2["n_compared"], e2["cells"]) == (4, 3, 3)
    assert e1["mean_score"] == pytest.approx((80 + 80 + 90 + 70) / 4)
    # E1: diffs 4, 4, 4, 2 -> mean 3.5, sd 1, t(0.975; 3) = 3.182446 -> 3.5 ± 1.591223
    assert e1["offset"] == pytest.approx(3.5)
    assert e1["ci_lower"] == pytest.approx(3.5 - 3.182446 * 1 / 2, abs=1e-5)
    assert e1["ci_upper"] == pytest.approx(3.5 + 3.182446 * 1 / 2, abs=1e-5)
    # E2: diffs -4, -4, -2 -> mean -10/3, sd 1.154701, t(0.975; 2) = 4.302653
    # -> -10/3 ± 4.302653 x 1.154701 / sqrt(3) = -10/3 ± 2.868435
    assert e2["offset"] == pytest.approx(-10 / 3)
    assert e2["ci_lower"] == pytest.approx(-10 / 3 - 2.868435, abs=1e-5)
    assert e2["ci_upper"] == pytest.approx(-10 / 3 + 2.868435, abs=1e-5)
    # one-sample t: E1 t = 3.5 / (1/2) = 7 on 3 df -> p = 0.005986;
    # E2 t = (-10/3) / (1.154701/sqrt(3)) = -5 on 2 df -> p = 0.037750
    assert e1["p_value"] == pytest.approx(0.005986, abs=2e-6)
    assert e2["p_value"] == pytest.approx(0.037750, abs=2e-6)
    # Holm over two evaluators: 2 x 0.005986 = 0.011973, then max(0.011973, 1 x 0.037750)
    assert e1["p_adjusted"] == pytest.approx(2 * e1["p_value"])
    assert e2["p_adjusted"] == pytest.approx(e2["p_value"])
    # both beyond noise at 95 %; with two evaluators both stay in the reference
    assert e1["verdict"] == "lenient" and e2["verdict"] == "severe"
    assert table["reference"].all()
    assert result["agreement"] is None and result["pairs"].empty
    assert "E1 (+3.5 points)" in result["conclusion"]["en"]
    assert "E2 (-3.3 points)" in result["conclusion"]["en"]
    assert "E1（+3.5 分）" in result["conclusion"]["zh"]


def test_one_lenient_evaluator_leaves_the_reference_and_the_others_are_not_flagged():
    # Four evaluators score the same 40 cells; E4 adds 6 points. Against a pool holding E4
    # every other evaluator would look 2 points severe; the reference without E4 does not.
    rng = np.random.default_rng(1)
    rows = []
    for cell in range(40):
        base = 70 + rng.normal(0, 5)
        for evaluator in ("E1", "E2", "E3", "E4"):
            for repeat in range(2):
                noise = rng.normal(0, 1.0)
                score = base + noise + (6 if evaluator == "E4" else 0)
                rows.append((f"{cell}-{evaluator}-{repeat}", f"A{cell}", "X", evaluator, score))
    table = compare.evaluator_calibration(_calls(rows))["evaluators"].set_index("evaluator")
    assert table.loc["E4", "verdict"] == "lenient"
    assert not table.loc["E4", "reference"]
    assert table.loc["E4", "offset"] == pytest.approx(6.0, abs=0.5)
    for other in ("E1", "E2", "E3"):
        assert table.loc[other, "verdict"] == "none"
        assert abs(table.loc[other, "offset"]) < 0.6


def test_double_scored_calls_give_agreement_per_pair():
    # Calls 1-6 scored by judges J1 and J2 with the Shrout & Fleiss targets' first two
    # judges' ratings: the pair's ICC(2,1) is icc_two_way of those two columns.
    rows = []
    for i, ratings in enumerate(SHROUT_FLEISS):
        rows.append((f"c{i}", "A1", "X", "J1", ratings[0]))
        rows.append((f"c{i}", "A1", "X", "J2", ratings[1]))
    result = compare.evaluator_calibration(_calls(rows), min_pair_calls=5)
    expected = compare.icc_two_way([r[:2] for r in SHROUT_FLEISS])
    pairs = result["pairs"]
    assert len(pairs) == 1
    pair = pairs.iloc[0]
    assert (pair["evaluator_a"], pair["evaluator_b"], pair["calls"]) == ("J1", "J2", 6)
    # J1 - J2 per call: 7, 5, 4, 6, 5, 4 -> mean 31/6
    assert pair["mean_difference"] == pytest.approx(31 / 6)
    assert pair["icc_2_1"] == pytest.approx(expected["icc_2_1"])
    assert result["agreement"]["calls"] == 6
    assert np.isfinite(result["agreement"]["icc_1"])


def test_without_cell_columns_every_call_is_comparable_and_missing_columns_raise():
    frame = pd.DataFrame({"evaluator": ["E1", "E2", "E2"], "qa_score": [90.0, 80.0, 70.0]})
    table = compare.evaluator_calibration(frame)["evaluators"].set_index("evaluator")
    assert table.loc["E1", "offset"] == pytest.approx(15.0)  # 90 - mean(80, 70)
    result = compare.evaluator_calibration(frame)
    assert result["within"] == [] and result["within_text"]["en"] == "calls"
    with pytest.raises(ValueError):
        compare.evaluator_calibration(frame.drop(columns="evaluator"))
