"""The command line carries the cost and quality KPIs when the export has them.

In process through :func:`ccmetrics.__main__.main`; expected numbers are counted by hand
from the rows below (and the JSON is compared with ``ccmetrics.kpi.compute``).
"""

from __future__ import annotations

import json

import pytest

from ccmetrics import io as ccio
from ccmetrics import kpi
from ccmetrics.__main__ import main

CALLS = (
    "call_id,arrived_at,wait_s,answered,talk_s,acw_s,agent,cost,complaint,business_error\n"
    "1,2025-03-03 09:00,5,Y,100,20,Ann,2.00,N,N\n"
    "2,2025-03-03 09:10,40,Y,200,40,Bob,4.00,Y,Y\n"
    "3,2025-03-03 09:20,12,N,,,,,,\n"
    "4,2025-03-04 10:00,3,Y,60,0,Ann,1.00,N,N\n"
)


@pytest.fixture
def calls_csv(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text(CALLS, encoding="utf-8")
    return path


def test_kpis_text_has_cost_per_call(calls_csv, capsys):
    assert main(["kpis", str(calls_csv)]) == 0
    out = capsys.readouterr().out
    header, values = out.splitlines()[:2]
    for name in ("cost_per_call", "cost_per_minute", "complaint_rate", "error_rate"):
        assert name in header
    # (2 + 4 + 1) / 3 calls with a cost = 2.33; handle 120 + 240 + 60 = 420 s = 7 min -> 1.00;
    # complaints 1 of 3 answered = 33.3 %; errors 1 of 3 = 33.3 %
    assert "2.33" in values and "1.00" in values and "33.3%" in values
    assert "entry_completeness" not in header  # no such column: left out


def test_kpis_json_has_the_quality_kpis_and_their_n(calls_csv, capsys):
    assert main(["kpis", str(calls_csv), "--json", "--by", "agent"]) == 0
    records = {r["agent"]: r for r in json.loads(capsys.readouterr().out)}
    expected = kpi.compute(ccio.load(calls_csv).frame, by="agent").set_index("agent")
    # Ann: (2 + 1) / 2 = 1.5 per call over 120 + 60 s = 3 min -> 1.0 per minute
    assert records["Ann"]["cost_per_call"] == pytest.approx(1.5)
    assert records["Ann"]["cost_per_minute"] == pytest.approx(1.0)
    assert records["Ann"]["cost_n"] == 2
    for agent in ("Ann", "Bob"):
        for name in ("cost_per_call", "cost_per_minute", "complaint_rate", "error_rate"):
            assert records[agent][name] == pytest.approx(expected.loc[agent, name])


def test_cost_per_agent_hour_option(tmp_path, capsys):
    path = tmp_path / "intervals.csv"
    path.write_text(
        "interval_start,interval_minutes,offered,answered,handle_s_sum,staffed_agents\n"
        "2025-03-03 09:00,30,10,8,3600,4\n",
        encoding="utf-8",
    )
    assert main(["kpis", str(path), "--json", "--cost-per-agent-hour", "30"]) == 0
    record = json.loads(capsys.readouterr().out)[0]
    # 4 agents × 0.5 h × 30 = 60 over 8 answered calls = 7.5; over 60 handle minutes = 1.0
    assert record["cost_per_call"] == pytest.approx(7.5)
    assert record["cost_per_minute"] == pytest.approx(1.0)
    assert main(["kpis", str(path), "--cost-per-agent-hour", "-3"]) == 2
    assert "--cost-per-agent-hour" in capsys.readouterr().err
