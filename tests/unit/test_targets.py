"""Tests of ccmetrics.targets: targets files, the traffic light and the period gap table.

Every expected value is worked out in the test's comment: binomial tail sums written out
with ``math.comb`` (and R's ``pbinom`` value quoted), t and z statistics from their
formulas with closed-form tails where one exists (Student's t with 1 and 2 degrees of
freedom), and the Holm adjustment step by step.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ccmetrics import targets
from ccmetrics.i18n import has_key
from ccmetrics.schema import KpiSettings
from tests.conftest import REPO_ROOT
from tests.unit.test_io import _xlsx


def binomial_cdf(x: int, n: int, p: float) -> float:
    """P(X ≤ x) for X ~ Binomial(n, p), summed term by term."""
    return sum(math.comb(n, k) * p**k * (1 - p) ** (n - k) for k in range(x + 1))


# --------------------------------------------------------------------------- reading files


def test_read_english_file_with_every_column():
    text = (
        b"kpi,level,unit,target,direction,tolerance\n"
        b"service_level,organisation,,80%,,\n"
        b"aht_s,team,Team 1,300,max,10\n"
        b"Abandon rate,organisation,,5,,1\n"
        b"occupancy,agent,A0101,85%,max,\n"
    )
    table = targets.read_targets(text, name="goals.csv")
    assert table.attrs["file"] == "goals.csv"
    assert table.to_dict("records") == [
        # 80% has a % sign: 0.80
        {
            "kpi": "service_level",
            "level": "organisation",
            "unit": "",
            "target": 0.8,
            "direction": "min",
            "tolerance": 0.0,
        },
        # seconds as written; direction given
        {
            "kpi": "aht_s",
            "level": "team",
            "unit": "Team 1",
            "target": 300.0,
            "direction": "max",
            "tolerance": 10.0,
        },
        # the KPI by its English name; 5 > 1 so the file's bare percentages are points:
        # 5 -> 0.05, its tolerance 1 -> 0.01; lower is better -> "max"
        {
            "kpi": "abandon_rate",
            "level": "organisation",
            "unit": "",
            "target": 0.05,
            "direction": "max",
            "tolerance": 0.01,
        },
        # occupancy has no better direction in the registry; the file says max
        {
            "kpi": "occupancy",
            "level": "agent",
            "unit": "A0101",
            "target": 0.85,
            "direction": "max",
            "tolerance": 0.0,
        },
    ]


def test_bare_fractions_stay_fractions():
    # no percentage target above 1 and no % sign: 0.8 and 0.05 are fractions
    text = (
        b"kpi,level,unit,target\nservice_level,organisation,,0.8\nabandon_rate,organisation,,0.05\n"
    )
    assert targets.read_targets(text)["target"].tolist() == [0.8, 0.05]


def test_read_chinese_headers_in_gbk():
    text = (
        "指标,层级,对象,目标值,方向\n"
        "服务水平,组织,,80,\n"
        "平均处理时长,班组,Team 1,300,不高于\n"
        "质检得分,坐席,A0101,85,\n"
    ).encode("gbk")
    table = targets.read_targets(text, name="目标.csv")
    assert table[["kpi", "level", "unit", "target", "direction"]].to_dict("records") == [
        {
            "kpi": "service_level",
            "level": "organisation",
            "unit": "",
            "target": 0.8,
            "direction": "min",
        },
        {"kpi": "aht_s", "level": "team", "unit": "Team 1", "target": 300.0, "direction": "max"},
        {"kpi": "qa_mean", "level": "agent", "unit": "A0101", "target": 85.0, "direction": "min"},
    ]


def test_read_excel():
    data = _xlsx(
        {
            "Targets": [
                ["KPI", "Level", "Unit", "Target"],
                ["fcr_rate", "team", "Team 8", 0.9],
                ["csat_mean", "organisation", "", 4],
            ]
        }
    )
    table = targets.read_targets(data, name="targets.xlsx")
    assert table[["kpi", "unit", "target"]].to_dict("records") == [
        {"kpi": "fcr_rate", "unit": "Team 8", "target": 0.9},
        {"kpi": "csat_mean", "unit": "", "target": 4.0},
    ]


def test_sample_targets_file():
    table = targets.read_targets(REPO_ROOT / "sample_data" / "targets.csv")
    assert len(table) == 8
    organisation = table[table["level"] == "organisation"].set_index("kpi")["target"].to_dict()
    assert organisation == {
        "service_level": 0.8,
        "abandon_rate": 0.05,
        "aht_s": 360.0,
        "fcr_rate": 0.85,
        "csat_mean": 4.0,
    }
    assert (table["level"] == "team").sum() == 2 and (table["level"] == "agent").sum() == 1


@pytest.mark.parametrize(
    ("text", "code", "params"),
    [
        (
            "kpi,level,unit,target\nservice_level,organisation,,80\nspeed,organisation,,3\n"
            "aht_s,team,T1,300\nhappiness,team,T1,3\n",
            "kpi_unknown",
            {"column": "kpi", "rows": "3, 5", "values": "happiness, speed"},
        ),
        (
            "kpi,level,unit,target\naht_s,branch,T1,300\n",
            "level_unknown",
            {"column": "level", "rows": "2", "values": "branch"},
        ),
        (
            "kpi,level,unit,target\naht_s,team,,300\naht_s,agent,A1,300\n",
            "unit_missing",
            {"column": "unit", "rows": "2"},
        ),
        (
            "kpi,level,unit,target\naht_s,team,T1,five minutes\n",
            "target_not_number",
            {"column": "target", "rows": "2", "values": "five minutes"},
        ),
        (
            "kpi,level,unit,target\nservice_level,organisation,,180%\n",
            "target_out_of_range",
            {"column": "target", "rows": "2", "values": "180%"},
        ),
        (
            "kpi,level,unit,target,direction\naht_s,team,T1,300,sideways\n",
            "direction_unknown",
            {"column": "direction", "rows": "2", "values": "sideways"},
        ),
        (
            "kpi,level,unit,target\noffered,organisation,,1000\n",
            "direction_needed",
            {"column": "direction", "rows": "2", "values": "offered"},
        ),
        (
            "kpi,level,unit,target,tolerance\naht_s,team,T1,300,-5\n",
            "tolerance_invalid",
            {"column": "tolerance", "rows": "2", "values": "-5"},
        ),
        (
            "kpi,level,unit,target\naht_s,team,T1,300\nfcr_rate,team,T1,80\naht_s,team,T1,320\n",
            "duplicate",
            {"rows": "2, 4", "values": "aht_s/team/T1"},
        ),
        ("kpi,level,amount\naht_s,team,300\n", "columns_missing", {"columns": ["target"]}),
        ("kpi,level,unit,target\n,,,\n", "empty", {}),
    ],
)
def test_file_errors_name_file_column_and_rows(text, code, params):
    with pytest.raises(targets.TargetsError) as caught:
        targets.read_targets(text.encode(), name="t.csv")
    error = caught.value
    assert error.code == code
    assert error.params["file"] == "t.csv"
    for key, value in params.items():
        assert error.params[key] == value, key
    assert has_key(f"targets.error.{code}", "en") and has_key(f"targets.error.{code}", "zh")


def test_error_codes_list_every_code_raised():
    import inspect
    import re

    source = inspect.getsource(targets)
    raised = set(re.findall(r'(?:_fail|bad)\(\s*"([a-z_]+)"', source))
    assert raised == set(targets.ERROR_CODES)


def test_too_large_and_unreadable_files():
    with pytest.raises(targets.TargetsError) as caught:
        targets.read_targets(
            b"kpi,level,unit,target\n" + b"x" * targets.MAX_FILE_BYTES, name="big.csv"
        )
    assert caught.value.code == "too_large"
    with pytest.raises(targets.TargetsError) as caught:
        targets.read_targets(b"\x00\x01\x02binary\x00" * 50, name="x.bin")
    assert caught.value.code == "unreadable"


# --------------------------------------------------------------------------- tables and look-up


def test_target_for_most_specific_wins():
    table = targets.make_targets(
        [
            {"kpi": "aht_s", "target": 360},
            {"kpi": "aht_s", "level": "team", "unit": "T6", "target": 420},
            {"kpi": "aht_s", "level": "agent", "unit": "A0601", "target": 400},
        ]
    )
    assert targets.target_for(table, "aht_s").target == 360
    assert targets.target_for(table, "aht_s", team="T1", agent="A0101").target == 360
    assert targets.target_for(table, "aht_s", team="T6", agent="A0602").target == 420
    found = targets.target_for(table, "aht_s", team="T6", agent="A0601")
    assert (found.level, found.unit, found.target) == ("agent", "A0601", 400)
    assert targets.target_for(table, "fcr_rate") is None
    assert targets.target_for(None, "aht_s") is None


def test_default_targets_follow_the_settings():
    table = targets.default_targets(KpiSettings(sl_target=0.9))
    assert table[["kpi", "level", "target", "direction"]].to_dict("records") == [
        {"kpi": "service_level", "level": "organisation", "target": 0.9, "direction": "min"}
    ]


def test_combine_targets_later_wins_and_make_targets_checks():
    base = targets.default_targets()
    edited = targets.make_targets(
        [{"kpi": "service_level", "target": 0.85}, {"kpi": "aht_s", "target": 300}]
    )
    combined = targets.combine_targets(base, edited)
    assert combined.set_index("kpi")["target"].to_dict() == {"service_level": 0.85, "aht_s": 300.0}
    with pytest.raises(ValueError, match="direction"):
        targets.make_targets([{"kpi": "offered", "target": 100}])
    with pytest.raises(ValueError, match="name"):
        targets.make_targets([{"kpi": "aht_s", "level": "team", "target": 100}])
    with pytest.raises(ValueError, match="range"):
        targets.make_targets([{"kpi": "fcr_rate", "target": 80}])


# --------------------------------------------------------------------------- traffic light


def test_binomial_light_min_direction():
    # SL target 80 %, n = 20. 12 of 20 = 60 %: P(X ≤ 12 | 20, 0.8) = 0.03214 (R pbinom(12, 20,
    # 0.8)) < 0.05 -> red. 14 of 20 = 70 %: P(X ≤ 14) = 0.19579 -> amber.
    low = targets.target_test("service_level", 0.60, 0.80, n=20)
    assert low["p_value"] == pytest.approx(binomial_cdf(12, 20, 0.8), rel=1e-9)
    assert low["p_value"] == pytest.approx(0.0321427, abs=1e-7)
    assert (low["light"], low["test"]) == ("red", "binomial")
    assert low["gap"] == pytest.approx(-0.20)
    near = targets.target_test("service_level", 0.70, 0.80, n=20)
    assert near["p_value"] == pytest.approx(0.1957922, abs=1e-7)
    assert near["light"] == "amber"
    assert targets.traffic_light("service_level", 0.80, 0.80, n=20) == "green"  # meets it exactly


def test_binomial_light_max_direction():
    # abandon target at most 5 %: 8 of 100 = 8 %: P(X ≥ 8 | 100, 0.05) = 1 − P(X ≤ 7) = 0.12796
    # -> amber; 80 of 1000: P(X ≥ 80 | 1000, 0.05) far below 0.05 -> red.
    test = targets.target_test("abandon_rate", 0.08, 0.05, n=100)
    assert test["p_value"] == pytest.approx(1 - binomial_cdf(7, 100, 0.05), rel=1e-9)
    assert test["p_value"] == pytest.approx(0.1279605, abs=1e-7)
    assert test["light"] == "amber"
    assert targets.traffic_light("abandon_rate", 0.08, 0.05, n=1000) == "red"
    assert targets.traffic_light("abandon_rate", 0.04, 0.05, n=1000) == "green"


def test_t_light_and_tolerance():
    # AHT at most 300 s, mean 310 s, sd 120 s. n = 400: t = 10 / (120/√400) = 10/6 = 1.667,
    # one-sided p = P(T₃₉₉ ≥ 1.667) = 0.0482 -> red. n = 100: t = 10/12 = 0.833, p = 0.2033 -> amber.
    red = targets.target_test("aht_s", 310.0, 300.0, n=400, sd=120.0)
    assert (red["light"], red["test"]) == ("red", "t")
    assert red["p_value"] == pytest.approx(0.04818, abs=5e-5)
    amber = targets.target_test("aht_s", 310.0, 300.0, n=100, sd=120.0)
    assert amber["p_value"] == pytest.approx(0.20333, abs=5e-5)
    assert amber["light"] == "amber"
    # with a tolerance of 10 s the bound is 310 s: 310 is within it -> amber, p = 1
    goal = targets.Target("aht_s", "organisation", "", 300.0, "max", 10.0)
    assert targets.target_test("aht_s", 310.0, goal, n=10_000, sd=1.0)["p_value"] == 1.0
    # 315 s against the bound 310 with n = 2, sd = 5: t = 5 / (5/√2) = √2, df 1:
    # P(T₁ ≥ √2) = 1/2 − atan(√2)/π = 0.19591 -> amber; n = 10 000 -> red
    small = targets.target_test("aht_s", 315.0, goal, n=2, sd=5.0)
    assert small["p_value"] == pytest.approx(0.5 - math.atan(math.sqrt(2)) / math.pi, rel=1e-9)
    assert small["light"] == "amber"
    assert targets.traffic_light("aht_s", 315.0, goal, n=10_000, sd=5.0) == "red"


def test_grey_and_exact_lights():
    assert targets.traffic_light("aht_s", 310.0, None) == "grey"
    assert targets.traffic_light("aht_s", float("nan"), 300.0) == "grey"
    assert targets.traffic_light("service_level", 0.7, 0.8, n=0) == "grey"
    # a count has no noise model: taken as exact
    assert targets.traffic_light("offered", 900, 1000, direction="min") == "red"
    assert targets.traffic_light("offered", 990, 1000, direction="min", tolerance=20) == "amber"
    # a mean without its sd cannot be tested: exact too
    assert targets.target_test("csat_mean", 3.9, 4.0, n=50)["test"] == "exact"


# --------------------------------------------------------------------------- gap table


def _calls() -> pd.DataFrame:
    """Agents A, B (team T1) and C (team T2), 100 answered calls each in each period.

    Current period (2025-03-08 .. 03-14): transfers A 30, B 10, C 20; QA scores A 80, 90;
    B 70, 80; C 90, 100. Previous period (03-01 .. 03-07): transfers A 20, B 10, C 20; QA
    A 70, 80; B 70, 80; C 90, 100.
    """
    rows = []
    plan = {
        "current": {"A": (30, [80, 90]), "B": (10, [70, 80]), "C": (20, [90, 100])},
        "previous": {"A": (20, [70, 80]), "B": (10, [70, 80]), "C": (20, [90, 100])},
    }
    for period, day in (("current", "2025-03-10"), ("previous", "2025-03-03")):
        for agent, (transfers, scores) in plan[period].items():
            for i in range(100):
                rows.append(
                    {
                        "call_id": f"{period}-{agent}-{i}",
                        "arrived_at": pd.Timestamp(day) + pd.Timedelta(minutes=i),
                        "wait_s": 5.0,
                        "answered": True,
                        "abandoned": False,
                        "talk_s": 100.0,
                        "agent": agent,
                        "team": "T2" if agent == "C" else "T1",
                        "transferred": i < transfers,
                        "qa_score": scores[i] if i < len(scores) else np.nan,
                    }
                )
    frame = pd.DataFrame(rows)
    frame["transferred"] = frame["transferred"].astype("boolean")
    return frame


CURRENT = ("2025-03-08", "2025-03-15")


def test_gap_table_means():
    goals = targets.make_targets(
        [
            {"kpi": "qa_mean", "target": 80},
            {"kpi": "qa_mean", "level": "agent", "unit": "C", "target": 100},
        ]
    )
    table = targets.gap_table(_calls(), "agent", ["qa_mean"], current=CURRENT, targets=goals)
    assert list(table.columns) == ["agent", *targets.GAP_COLUMNS]
    rows = table.set_index("agent")
    # ranks: C 95, A 85, B 75 (higher is better)
    assert rows["rank"].to_dict() == {"C": 1, "A": 2, "B": 3}
    assert rows["value"].to_dict() == {"C": 95.0, "A": 85.0, "B": 75.0}
    # the others' average: A (150 + 190)/4 = 85, B (170 + 190)/4 = 90, C (170 + 150)/4 = 80
    assert rows["others_value"].to_dict() == pytest.approx({"C": 80.0, "A": 85.0, "B": 90.0})
    # pooled σ² = (50 + 50 + 50)/(6 − 3) = 50; B: z = −15/(√50·√(1/2 + 1/4)) = −2.449,
    # p = 0.014306; C the mirror image; A z = 0, p = 1. Holm: 3·0.014306 = 0.042918 for the
    # first, max(0.042918, 2·0.014306) for the second, 1 for A.
    assert rows.loc["B", "others_p"] == pytest.approx(0.0143059, abs=1e-7)
    assert rows.loc["B", "others_p_adjusted"] == pytest.approx(0.0429176, abs=1e-6)
    assert rows.loc["C", "others_p_adjusted"] == pytest.approx(0.0429176, abs=1e-6)
    assert rows["others_verdict"].to_dict() == {"C": "better", "A": "none", "B": "worse"}
    # change of A: 85 − 75 = 10; s² = (50 + 50)/(2 + 2 − 2) = 50, t = 10/√(50·1) = √2, df 2:
    # p = 2·P(T₂ ≥ √2) = 1 − √2/√(2 + 2) = 0.29289; B and C unchanged (p = 1)
    assert rows.loc["A", "change"] == 10.0
    assert rows.loc["A", "change_p"] == pytest.approx(1 - math.sqrt(2) / 2, rel=1e-9)
    assert rows.loc["B", "change_p"] == pytest.approx(1.0)
    assert (rows["change_verdict"] == "none").all()
    # targets: A 85 ≥ 80 green; B 75 vs 80: sd = √50, t = −5/(√50/√2) = −1, df 1:
    # P(T₁ ≤ −1) = 1/4 -> amber; C 95 vs its own 100: t = −1, p = 1/4 -> amber
    assert rows["light"].to_dict() == {"C": "amber", "A": "green", "B": "amber"}
    assert rows["target_level"].to_dict() == {
        "C": "agent",
        "A": "organisation",
        "B": "organisation",
    }
    assert rows.loc["B", "target_p"] == pytest.approx(0.25, rel=1e-9)
    assert rows.loc["C", "target_gap"] == -5.0


def test_gap_table_proportions():
    table = targets.gap_table(_calls(), "agent", ["transfer_rate"], current=CURRENT)
    rows = table.set_index("agent")
    # lower is better: B 10 % first, C 20 %, A 30 %
    assert rows["rank"].to_dict() == {"B": 1, "C": 2, "A": 3}
    # A against the others: (10 + 20)/200 = 0.15; pooled p = 60/300 = 0.2,
    # z = 0.15/√(0.2·0.8·(1/100 + 1/200)) = 3.0619, p = 0.0021996
    assert rows.loc["A", "others_value"] == pytest.approx(0.15)
    assert rows.loc["A", "others_p"] == pytest.approx(0.0021996, abs=1e-7)
    assert rows.loc["A", "others_verdict"] == "worse"
    # A's change: 0.30 − 0.20; pooled 0.25, z = 0.1/√(0.25·0.75·0.02) = 1.633, p = 0.10247;
    # Holm over three units (the others p = 1): 3·0.10247 = 0.3074 -> within noise
    assert rows.loc["A", "change"] == pytest.approx(0.10)
    assert rows.loc["A", "change_p"] == pytest.approx(0.1024704, abs=1e-7)
    assert rows.loc["A", "change_p_adjusted"] == pytest.approx(3 * 0.1024704, abs=1e-6)
    assert rows.loc["A", "change_verdict"] == "none"
    assert (rows["light"] == "grey").all()  # no targets given
    assert table.attrs["previous"] == (pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-08"))


def test_gap_table_by_team_uses_team_targets_and_bh():
    goals = targets.make_targets(
        [
            {"kpi": "transfer_rate", "target": 0.25},
            {"kpi": "transfer_rate", "level": "team", "unit": "T2", "target": 0.1},
        ]
    )
    table = targets.gap_table(
        _calls(), "team", ["transfer_rate"], current=CURRENT, targets=goals, adjust="bh"
    )
    rows = table.set_index("team")
    # T1: 40/200 = 0.2 ≤ 0.25 green; T2: 20/100 = 0.2 vs 0.1: P(X ≥ 20 | 100, 0.1) = 0.00198 -> red
    assert rows["value"].to_dict() == pytest.approx({"T1": 0.2, "T2": 0.2})
    assert rows["light"].to_dict() == {"T1": "green", "T2": "red"}
    assert rows.loc["T2", "target_p"] == pytest.approx(1 - binomial_cdf(19, 100, 0.1), rel=1e-9)
    assert table.attrs["adjust"] == "bh"


def test_status_whole_frame_and_by_agent():
    frame = _calls()
    goals = targets.make_targets(
        [{"kpi": "qa_mean", "target": 80}, {"kpi": "transfer_rate", "target": 0.25}]
    )
    window = frame[frame["arrived_at"] >= "2025-03-08"]
    whole = targets.status(window, goals, ["qa_mean", "transfer_rate", "offered"]).set_index("kpi")
    # QA: six scores 80, 90, 70, 80, 90, 100 -> mean 85 ≥ 80 green; transfers 60/300 = 0.2 ≤ 0.25
    assert whole.loc["qa_mean", "value"] == 85.0
    # Σ(y − 85)² = 25 + 25 + 225 + 25 + 25 + 225 = 550, sd = √(550/5)
    assert whole.loc["qa_mean", "sd"] == pytest.approx(math.sqrt(550 / 5))
    assert whole["light"].to_dict() == {
        "qa_mean": "green",
        "transfer_rate": "green",
        "offered": "grey",
    }
    by_agent = targets.status(window, goals, ["qa_mean"], by="agent").set_index("unit")
    assert by_agent["light"].to_dict() == {"A": "green", "B": "amber", "C": "green"}


def test_report_headline_carries_the_lights():
    from ccmetrics import report

    goals = targets.make_targets(
        [
            {"kpi": "qa_mean", "target": 80},
            {"kpi": "transfer_rate", "target": 0.15},
            {"kpi": "service_level", "target": 0.9},
        ]
    )
    built = report.build_report(_calls(), start="2025-03-08", end="2025-03-15", targets=goals)
    rows = built.kpis.set_index("kpi")
    # SL: every call answered within 5 s: 100 % ≥ 90 % -> green; QA 85 ≥ 80 -> green;
    # transfers 60/300 = 20 % against at most 15 %: P(X ≥ 60 | 300, 0.15) < 0.05 -> red
    assert 1 - binomial_cdf(59, 300, 0.15) < 0.05
    assert rows.loc["service_level", "light"] == "green"
    assert rows.loc["qa_mean", "light"] == "green"
    assert rows.loc["transfer_rate", "light"] == "red"
    assert rows.loc["transfer_rate", "light_text"] == "● missed · target at most 15.0%"
    assert rows.loc["aht_s", "light"] == "grey"
    html_text = report.report_html(built)
    assert "<th>Against target</th>" in html_text
    # the marker in the light's colour, the word beside it
    assert '<span style="color:#d62728">●</span> missed · target at most 15.0%' in html_text
    plain = report.build_report(_calls(), start="2025-03-08", end="2025-03-15")
    assert "light" not in plain.kpis.columns


def test_command_line_report_with_a_targets_file(tmp_path, capsys):
    from ccmetrics.__main__ import main

    calls = tmp_path / "calls.csv"
    _calls().to_csv(calls, index=False)
    goals = tmp_path / "goals.csv"
    goals.write_text(
        "kpi,level,unit,target\nservice_level,organisation,,90%\ntransfer_rate,,,15%\n"
    )
    out = tmp_path / "out"
    args = ["report", str(calls), "--out", str(out), "--format", "html", "--targets", str(goals)]
    assert main([*args, "--period", "2025-03-08:2025-03-14", "--max-findings", "0"]) == 0
    html_text = next(out.glob("*.html")).read_text(encoding="utf-8")
    # the same lights as the library test above: SL 100 % ≥ 90 %, transfers 20 % > 15 % beyond noise
    assert '<span style="color:#2ca02c">●</span> met · target at least 90.0%' in html_text
    assert '<span style="color:#d62728">●</span> missed · target at most 15.0%' in html_text

    bad = tmp_path / "bad.csv"
    bad.write_text("kpi,level,unit,target\nspeed,organisation,,3\n")
    args = ["report", str(calls), "--out", str(tmp_path / "o2"), "--targets", str(bad)]
    assert main(args) == 2
    message = capsys.readouterr().err
    assert "bad.csv, column kpi, rows 2: speed is not a KPI" in message


def test_missing_unit_column_is_named():
    with pytest.raises(ValueError, match="'segment'"):
        targets.gap_table(_calls(), "segment", ["qa_mean"], current=CURRENT)
    with pytest.raises(ValueError, match="'segment'"):
        targets.status(_calls(), None, ["qa_mean"], by="segment")
