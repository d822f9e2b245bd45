"""``python -m ccmetrics journey`` and ``people``, and ``report --roster``, run in process.

Calls (by hand): on 2025-03-03 two Balance calls answered by A1 and B2 (IVR 20 s, wait 10 s,
talk 100 s) and one Roaming call abandoned after 30 s (IVR 40 s). IVR: 3 calls entering, none
self-served, mean (20 + 20 + 40) / 3 = 26.7 s → "27 s"; queue: 3 entering, 1 lost (33.3%),
mean wait (10 + 10 + 30) / 3 = 16.7 s → "17 s"; conversation: 2 calls, 100 s.

Roster: A1 from 2024-01-01, B2 from 2025-02-01, C3 from 2024-06-01 to 2025-03-16. Over
2025-03-03 … 2025-03-30 (28 days): average headcount (28 + 28 + 14) / 28 = 2.5, 1 leaver,
attrition 40.0% with the exact Poisson 95% interval [0.0253, 5.5716] / 2.5 = [1.0%, 222.9%]
(Garwood 1936; tabulated χ² quantiles), annualised 0.4 × 365.25 / 28 = 521.8%.
Kaplan–Meier to 2025-03-30: tenures A1 454 days (still employed), B2 57 days (still
employed), C3 288 days (left); at 288 days 2 at risk, 1 leaver: S = 1/2, so the median
tenure is 288 / 30.4375 = 9.46 months; S(3 months) = S(6 months) = 100%, S(12 months) = 50%;
24 months lies beyond the longest tenure observed (454 days = 14.9 months): not estimated.
Tenure on 2025-03-03: A1 427 days (band 12–24 months), B2 30 days (band 0–3).
"""

from __future__ import annotations

import json

import pytest

from ccmetrics import schema
from ccmetrics.__main__ import main

CALLS = (
    "call_id,arrived_at,wait_s,answered,abandoned,talk_s,agent,category,ivr_s,ivr_contained\n"
    "1,2025-03-03 09:00,10,yes,no,100,A1,Balance,20,no\n"
    "2,2025-03-03 09:05,10,yes,no,100,B2,Balance,20,no\n"
    "3,2025-03-03 09:10,30,no,yes,,,Roaming,40,no\n"
)
PATHS = ["Billing > Balance", "Billing > Balance", "Roaming & Co"]
ROSTER = (
    "agent,team,start date,leave date\n"
    "A1,North,2024-01-01,\n"
    "B2,South,2025-02-01,\n"
    "C3,North,2024-06-01,2025-03-16\n"
)
PERIOD = "2025-03-03:2025-03-30"


@pytest.fixture
def files(tmp_path):
    calls = tmp_path / "calls.csv"
    calls.write_text(CALLS, encoding="utf-8")
    roster = tmp_path / "roster.csv"
    roster.write_text(ROSTER, encoding="utf-8")
    lines = CALLS.splitlines()
    with_paths = [lines[0] + ",ivr_path"] + [
        f"{line},{path}" for line, path in zip(lines[1:], PATHS, strict=True)
    ]
    paths = tmp_path / "calls_paths.csv"
    paths.write_text("\n".join(with_paths) + "\n", encoding="utf-8")
    return {"calls": calls, "roster": roster, "paths": paths, "dir": tmp_path}


def _error_line(capsys) -> str:
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    return err


# --------------------------------------------------------------------------- journey


def test_journey_prints_the_stages_in_english_and_chinese(files, capsys):
    assert main(["journey", str(files["calls"])]) == 0
    out = capsys.readouterr().out
    assert "Stages of the call" in out
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line.strip()}
    assert lines["IVR"][1:] == ["3", "–", "–", "0.0%", "27", "s", "3"]
    assert lines["Queue"][1:] == ["3", "1", "33.3%", "–", "17", "s", "3"]
    assert lines["Conversation"][1:] == ["2", "–", "–", "–", "100", "s", "2"]
    assert main(["journey", str(files["calls"]), "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "来电各环节" in out and "排队" in out and "17 秒" in out


def test_journey_json_holds_the_numbers(files, capsys):
    assert main(["journey", str(files["calls"]), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    stages = {row["stage"]: row for row in result["stages"]}
    assert stages["ivr"]["entered"] == 3 and stages["ivr"]["contained"] == 0
    assert stages["ivr"]["mean_s"] == pytest.approx(80 / 3)
    assert stages["queue"]["lost"] == 1 and stages["queue"]["lost_share"] == pytest.approx(1 / 3)
    assert stages["conversation"]["mean_s"] == 100
    assert result["menu"] is None and result["topics"] is None  # no menu path in this file


def test_journey_menu_and_topics(files, capsys):
    if "ivr_path" not in schema.CALL_COLUMNS:
        pytest.skip("the loader does not read ivr_path yet (not a canonical call column)")
    assert main(["journey", str(files["paths"])]) == 0
    out = capsys.readouterr().out
    assert "IVR menu options, ranked by the calls agents answered" in out
    assert "Topics, ranked by the calls agents answered (top 2)" in out
    assert "Roaming & Co" in out  # the option is printed as text, as the file has it
    balance = next(line for line in out.splitlines() if line.split()[:2] == ["1", "Balance"])
    assert "Yes" in balance and "Roaming" in balance  # belongs higher than the less asked topic
    assert main(["journey", str(files["paths"]), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["top_options"] == 2
    top = [row for row in result["menu"] if row["level"] == "top"]
    assert [(row["option"], row["agent_handled"], row["rank"]) for row in top] == [
        ("Billing", 2.0, 1),
        ("Roaming & Co", 0.0, 2),
    ]
    flagged = [row["category"] for row in result["topics"] if row["belongs_higher"]]
    assert flagged == ["Balance"]


@pytest.mark.parametrize("lang, words", [("en", "no IVR column"), ("zh", "没有带值的 IVR 字段")])
def test_journey_without_ivr_columns_is_a_clear_error(tmp_path, capsys, lang, words):
    plain = tmp_path / "plain.csv"
    plain.write_text("arrived_at,wait_s,answered\n2025-03-03 09:00,5,Y\n", encoding="utf-8")
    assert main(["journey", str(plain), "--lang", lang]) == 2
    err = _error_line(capsys)
    assert words in err and "plain.csv" in err


def test_journey_of_an_interval_report_is_a_clear_error(tmp_path, capsys):
    intervals = tmp_path / "intervals.csv"
    intervals.write_text(
        "interval_start,offered,answered,abandoned,answered_in_sl\n2025-03-03 09:00,10,9,1,8\n",
        encoding="utf-8",
    )
    assert main(["journey", str(intervals), "--lang", "zh"]) == 2
    err = _error_line(capsys)
    assert err.startswith("错误") and "时段报表" in err and "intervals.csv" in err


# --------------------------------------------------------------------------- people


def test_people_attrition_survival_and_tenure(files, capsys):
    args = ["people", str(files["roster"]), "--period", PERIOD, "--calls", str(files["calls"])]
    assert main(args) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.strip().startswith("2025-03-03"))
    assert row.split()[1:6] == ["3", "2", "0", "1", "2.5"]  # headcount start/end, hires, leavers
    assert "40.0%" in row and "1.0% – 222.9%" in row and "521.8%" in row
    assert "3 employment spells, 1 leavers, median tenure 9.5 months" in out
    survival = {
        line.split()[0]: line.split()
        for line in out.splitlines()
        if line.strip()[:2] in ("3 ", "6 ", "12", "24")
    }
    assert survival["3"][1] == "100.0%" and survival["12"][1] == "50.0%"
    assert survival["24"][1] == "–"  # beyond the longest tenure observed
    tenure = {
        line.split()[0]: line.split()
        for line in out.splitlines()
        if line.strip() and line.split()[0] in ("0–3", "3–6", "6–12", "12–24", "24+")
    }
    assert tenure["0–3"][1:5] == ["1", "1", "100", "s"]  # one agent, one call, AHT 100 s
    assert tenure["12–24"][1:3] == ["1", "1"]
    assert "(0 answered calls whose agent is not on the roster" in out


def test_people_json_and_chinese(files, capsys):
    args = ["people", str(files["roster"]), "--period", PERIOD, "--json"]
    assert main(args) == 0
    result = json.loads(capsys.readouterr().out)
    (month,) = result["attrition"]
    assert month["leavers"] == 1 and month["average_headcount"] == pytest.approx(2.5)
    assert month["attrition_rate"] == pytest.approx(0.4)
    assert month["ci_upper"] == pytest.approx(5.5716 / 2.5, abs=1e-4)
    assert result["survival"]["median_months"] == pytest.approx(288 / 30.4375)
    assert [row["survival"] for row in result["survival"]["at"]] == [1.0, 1.0, 0.5, None]
    assert result["tenure"] is None
    assert main([*args[:-1], "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "各期流失率（95% 精确泊松区间）" in out and "司龄中位数 9.5 个月" in out


@pytest.mark.parametrize(
    "lang, words", [("en", "has no leave_date column"), ("zh", "缺少 leave_date 列")]
)
def test_people_bad_roster_is_a_clear_error(tmp_path, capsys, lang, words):
    roster = tmp_path / "no_leave.csv"
    roster.write_text("agent,start date\nA1,2024-01-01\n", encoding="utf-8")
    assert main(["people", str(roster), "--lang", lang]) == 2
    err = _error_line(capsys)
    assert words in err and "no_leave.csv" in err


def test_people_bad_options_and_calls_are_clear_errors(files, tmp_path, capsys):
    assert main(["people", str(files["roster"]), "--freq", "W", "--lang", "zh"]) == 2
    assert "--freq" in _error_line(capsys)
    no_agent = tmp_path / "no_agent.csv"
    no_agent.write_text("arrived_at,wait_s,answered\n2025-03-03 09:00,5,Y\n", encoding="utf-8")
    assert main(["people", str(files["roster"]), "--calls", str(no_agent)]) == 2
    err = _error_line(capsys)
    assert "no_agent.csv has no agent column" in err
    assert main(["people", str(tmp_path / "missing.csv")]) == 2
    assert "missing.csv" in _error_line(capsys)


# --------------------------------------------------------------------------- report --roster


def test_report_with_a_roster_has_the_people_block(files, capsys):
    rows = ["call_id,arrived_at,wait_s,answered,talk_s,agent"]
    for day in range(3, 31):
        for call, agent in enumerate(("A1", "B2")):
            rows.append(f"{day}{call},2025-03-{day:02d} 09:0{call},5,yes,100,{agent}")
    calls = files["dir"] / "month.csv"
    calls.write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = files["dir"] / "out"
    args = ["report", str(calls), "--out", str(out), "--format", "html", "--lang", "zh"]
    assert main([*args, "--roster", str(files["roster"])]) == 0
    (html_path,) = out.glob("*.html")
    text = html_path.read_text(encoding="utf-8")
    assert 'id="people"' in text and "花名册：roster.csv，3 名坐席。" in text
    assert "本期流失率 40.0%（95% 区间 1.0% – 222.9%）" in text
    assert 'id="journey"' not in text  # no IVR column: no journey block
    capsys.readouterr()
    bad = files["dir"] / "bad_roster.csv"
    bad.write_text("agent,start date,leave date\nA1,2024-13-45,\n", encoding="utf-8")
    assert main([*args, "--roster", str(bad)]) == 2
    err = _error_line(capsys)
    assert "bad_roster.csv" in err and "2024-13-45" in err
