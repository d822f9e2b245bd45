"""The report tells one story per incident and never shows a missing comparison as 0."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ccmetrics import kpi, report
from ccmetrics.report import Finding, build_report, candidate_findings, report_html
from tests.unit.test_report import make_calls

STEP_DAY = pd.Timestamp("2025-02-27")


def handle_time_step(days: int = 35, step=STEP_DAY, factor: float = 1.8) -> pd.DataFrame:
    """make_calls with team T2 talking ``factor`` times longer from ``step`` on."""
    calls = make_calls(days=days)
    later = (calls["team"] == "T2") & (calls["arrived_at"] >= step)
    calls.loc[later, "talk_s"] *= factor
    return calls


# ---------------------------------------------------------------- a missing comparison


def test_a_previous_period_without_data_is_missing_never_zero():
    calls = make_calls(start="2025-02-03", days=28)
    table = kpi.period_comparison(calls, "2025-02-03", "2025-03-03").set_index("kpi")
    # the previous 28 days hold no call: every value and every change is missing
    assert table["previous"].isna().all()
    assert table["change"].isna().all()
    built = build_report(calls, findings=[])
    offered = built.kpis.set_index("kpi").loc["offered"]
    assert offered["current_text"] == f"{len(calls):,}"
    assert offered["previous_text"] == "–" and offered["change_text"] == "–"
    text = report_html(built)
    assert f"+{len(calls):,}" not in text  # the change against an empty span
    assert report.REPORT_TEXT["en"]["kpis.no_previous"] in text


def test_a_previous_period_the_data_covers_in_part_has_no_count_change():
    calls = make_calls(start="2025-02-03", days=28)
    # 2025-02-17 .. 2025-03-02 (14 days) against 2025-02-03 .. 2025-02-16: covered
    whole = kpi.period_comparison(calls, "2025-02-17", "2025-03-03").set_index("kpi")
    day = calls["arrived_at"].dt.normalize()
    assert whole.loc["offered", "previous"] == (day < "2025-02-17").sum()
    # 2025-02-10 .. 2025-03-02 (21 days) against 2025-01-20 .. 2025-02-09: 7 of 21 days
    part = kpi.period_comparison(calls, "2025-02-10", "2025-03-03").set_index("kpi")
    assert math.isnan(part.loc["offered", "previous"])  # 7 days of calls are not 21
    assert math.isnan(part.loc["offered", "change"])
    # a rate over the days there are stays comparable: answered within 20 s / offered
    first_week = calls[day < "2025-02-10"]
    assert part.loc["service_level", "previous"] == pytest.approx(
        (first_week["wait_s"] <= 20).mean()
    )


# ---------------------------------------------------------------- one finding per story


def test_a_handle_time_step_is_one_finding_from_its_first_day():
    calls = handle_time_step()
    charts = report.control_charts(calls)
    aht = charts["aht_s"]
    later = aht.index >= STEP_DAY
    # the step signals on many days: before, each of them was a finding of its own
    assert aht.loc[later, "signal"].sum() >= 5
    candidates = candidate_findings(calls, charts=charts)
    aht_rows = candidates[candidates["metric"] == "aht_s"]
    assert len(aht_rows) == 1
    step = aht_rows.iloc[0]
    assert step["kind"] == "shift" and step["direction"] == "above"
    assert step["start"] == STEP_DAY and step["finding"] == "2025-02-27"
    assert step["end"] == aht.index[later & aht["signal"].to_numpy()].max()
    assert step["n_days"] == int(aht.loc[later, "signal"].sum())

    built = build_report(calls)
    shifts = [f for f in built.findings if f.kind == "shift"]
    assert [f.id for f in shifts] == ["2025-02-27"]
    shift = shifts[0]
    assert shift.end == step["end"]
    # the drill-down of the shift: its days against as many days just before it
    length = shift.end + pd.Timedelta(days=1) - STEP_DAY
    assert shift.explanation.anomaly == (STEP_DAY, shift.end + pd.Timedelta(days=1))
    assert list(shift.explanation.baseline) == [(STEP_DAY - length, STEP_DAY)]
    # and it names the team whose calls got longer
    assert any(step_.get("values") == {"team": "T2"} for step_ in shift.path)
    # no day inside the step is a finding of its own
    inside = [f for f in built.findings if f.kind == "day" and STEP_DAY <= f.date <= shift.end]
    assert inside == []


def test_the_default_selection_is_the_five_most_severe_distinct_stories():
    calls = handle_time_step(days=42, step=pd.Timestamp("2025-03-06"))
    rng = np.random.default_rng(5)
    # six one-day waits of different depth on days before the step
    for offset, wait in zip((3, 7, 10, 14, 18, 22), (30, 40, 50, 60, 70, 80), strict=True):
        day = pd.Timestamp("2025-02-03") + pd.Timedelta(days=offset)
        on_day = calls["arrived_at"].dt.normalize() == day
        calls.loc[on_day, "wait_s"] = rng.exponential(wait, on_day.sum())
    candidates = candidate_findings(calls)
    beyond = candidates[candidates["beyond_limits"]]
    assert len(beyond) > report.DEFAULT_MAX_FINDINGS
    assert beyond["finding"].is_unique
    # stories beyond the limits, most severe first
    assert beyond["severity"].is_monotonic_decreasing
    built = build_report(calls)
    assert [f.id for f in built.findings] == beyond["finding"].head(5).tolist()
    # distinct: no finding's day falls inside another finding's shift
    for shift in (f for f in built.findings if f.kind == "shift"):
        others = [f for f in built.findings if f is not shift]
        assert not any(shift.date <= f.date <= shift.end for f in others)


# ---------------------------------------------------------------- no contradiction


def test_a_team_named_by_the_drilldown_is_not_denied_by_the_funnel():
    comparison = pd.DataFrame({"team": ["T1", "T2"], "value": [300.0, 380.0], "flag": ["", ""]})
    comparison.attrs["by"] = "team"
    finding = Finding(
        id="2025-03-03", date=pd.Timestamp("2025-03-03"), metric="aht_s", signals=[], severity=5.0
    )
    finding.comparison = comparison
    finding.path = [{"element": "team=T2", "values": {"team": "T2"}}]
    # "96 % from T2" beside "no team outside the limits": the funnel's sentence is left out
    assert not report._comparison_agrees(finding)
    comparison.loc[1, "flag"] = "above"
    assert report._comparison_agrees(finding)  # the funnel flags a team too: both shown
    comparison.loc[1, "flag"] = ""
    finding.path = [{"element": "category=Roaming", "values": {"category": "Roaming"}}]
    assert report._comparison_agrees(finding)  # a category is no claim about teams


def test_the_report_never_prints_both_the_share_and_the_denial():
    built = build_report(handle_time_step())
    for finding in built.findings:
        if finding.explanation is None or not finding.path:
            continue
        named = {d for step in finding.path for d in (step.get("values") or {})}
        if "team" in named:
            assert finding.comparison is None or (finding.comparison["flag"] != "").any()


# ---------------------------------------------------------------- the command line


def test_the_command_line_uses_the_sample_files_the_app_uses(tmp_path):
    from ccmetrics.__main__ import sample_companions
    from ccmetrics.sample import SAMPLE_DIR

    found = sample_companions(SAMPLE_DIR / "calls.parquet")
    expected = {
        name: SAMPLE_DIR / file
        for name, file in (("intervals", "intervals.csv"), ("drivers", "weather.csv"))
        if (SAMPLE_DIR / file).exists()
    }
    assert found == expected
    elsewhere = tmp_path / "calls.parquet"
    elsewhere.write_bytes(b"")
    assert sample_companions(elsewhere) == {}  # another export has no companions
