"""One story per day (ccmetrics.story), the calibrated staffing attribution and the verdict wording.

The generated hotline is ``ccmetrics.sample`` at another seed (7) over 2025-02-03 to
2025-03-23, so it holds the sample's incidents (``sample.INCIDENTS``): the GPRS x Prepaid
surge on 2025-03-11, the staffing shortfall on 2025-03-17 (66 % of the rostered seats
filled), Team 6's talk time x1.25 from 2025-02-17 and the storm on 2025-03-05. Its plan
mimics a center whose logged-in agents are not all on the phones: staffed and scheduled
agents are the simulation's seats divided by 0.74 (so 74 % of the logged-in time serves
calls, by construction), and it has a forecast volume but no forecast AHT.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ccmetrics import drill, i18n, kpi, sample, spc, staffing, story
from ccmetrics.sample import INCIDENTS, SAMPLE_DIR

SEED, START, DAYS = 7, "2025-02-03", 49
ON_CALLS = 0.74  # share of logged-in time on calls in the generated plan (by construction)
SURGE = INCIDENTS["surge"]["first_date"]
SHORTFALL = INCIDENTS["staffing_shortfall"]["first_date"]
STORM = INCIDENTS["storm"]["first_date"]
AHT_STEP = INCIDENTS["aht_rise"]["first_date"]
INCIDENT_DAYS = [SURGE, SHORTFALL, STORM]


@pytest.fixture(scope="module")
def hotline():
    calls = sample.generate_calls(seed=SEED, start=START, days=DAYS)
    intervals = sample.generate_intervals(calls, seed=SEED, start=START, days=DAYS)
    seats = intervals[
        ["interval_start", "interval_minutes", "queue", "forecast_offered"]
        + ["scheduled_agents", "staffed_agents"]
    ].copy()
    plan = seats.copy()
    plan["staffed_agents"] = seats["staffed_agents"] / ON_CALLS
    plan["scheduled_agents"] = seats["scheduled_agents"] / ON_CALLS
    calibration = staffing.calibrate(calls, plan)
    return {"calls": calls, "plan": plan, "seats": seats, "calibration": calibration}


def _days(table: pd.DataFrame) -> pd.DataFrame:
    return staffing.why_day(table).set_index("date")


def _ordinary(days: pd.DataFrame) -> pd.DataFrame:
    incidents = pd.to_datetime(INCIDENT_DAYS)
    return days[~days.index.isin(incidents)]


# --------------------------------------------------------------------------- calibration


def test_calibration_recovers_the_share_of_logged_in_time_on_calls(hotline):
    """Dividing the seats by 0.74 must scale the fitted efficiency by 0.74 (the construction)."""
    inflated = hotline["calibration"]
    true_seats = staffing.calibrate(hotline["calls"], hotline["seats"])
    assert inflated.days >= 35 and true_seats.days >= 35
    assert inflated.overall / true_seats.overall == pytest.approx(ON_CALLS, rel=0.01)
    assert inflated.low < inflated.overall < inflated.high
    assert inflated.high - inflated.low < 0.03
    # the days skipped are listed with their reason, and none is an incident day
    assert {item["reason"] for item in inflated.skipped} <= {"outlier", "excluded"}


@pytest.fixture(scope="module")
def hotline_days(hotline):
    """why_day of every day of the hotline, without and with the calibration."""
    calls, plan = hotline["calls"], hotline["plan"]
    return {
        "before": _days(staffing.why_intervals(calls, plan)),
        "after": _days(staffing.why_intervals(calls, plan, calibration=hotline["calibration"])),
    }


def test_uncalibrated_model_leaves_ordinary_days_unexplained_calibrated_does_not(hotline_days):
    before = _ordinary(hotline_days["before"])
    after = _ordinary(hotline_days["after"])
    # the symptom: -0.13 to -0.15 on ordinary days without calibration
    assert before["unexplained"].mean() < -0.10
    assert abs(after["unexplained"].mean()) < 0.01
    assert after["unexplained"].abs().median() < 0.02


def test_excluded_days_are_not_used_and_are_listed(hotline):
    fit = staffing.calibrate(hotline["calls"], hotline["plan"], exclude_days=[SURGE, SHORTFALL])
    listed = {item["date"]: item["reason"] for item in fit.skipped}
    assert listed[SURGE] == "excluded" and listed[SHORTFALL] == "excluded"
    daily = fit.daily.set_index("date")
    assert not daily.loc[pd.Timestamp(SURGE), "used"]


def test_each_incident_is_attributed_to_its_cause(hotline_days):
    days = hotline_days["after"]
    assert days.loc[pd.Timestamp(SURGE), "main_cause"] == "volume"
    assert days.loc[pd.Timestamp(STORM), "main_cause"] == "volume"
    shortfall = days.loc[pd.Timestamp(SHORTFALL)]
    assert shortfall["main_cause"] == "staffing"
    assert shortfall["shapley_staffing"] < -0.20
    assert abs(shortfall["unexplained"]) < 0.05


def test_forecast_without_aht_still_gives_the_volume_effect(hotline):
    """The plan has no forecast AHT: the volume effect pairs the forecast with the baseline AHT."""
    day = pd.Timestamp(SURGE)
    frame = hotline["calls"][hotline["calls"]["arrived_at"].dt.normalize() == day]
    plan = hotline["plan"][hotline["plan"]["interval_start"].dt.normalize() == day]
    table = staffing.why_intervals(frame, plan, calibration=hotline["calibration"])
    assert table["forecast_aht_is_baseline"].all()
    assert "forecast_aht_from_baseline" in [note["code"] for note in table.attrs["notes"]]
    row = staffing.why_day(table).iloc[0]
    assert np.isfinite(row["shapley_volume"]) and row["shapley_volume"] < -0.15
    # without a calibration the baseline AHT is the queue's mean over the frame
    plain = staffing.why_intervals(frame, plan)
    assert np.isfinite(staffing.why_day(plain).iloc[0]["shapley_volume"])


def test_calibration_of_one_efficiency_by_hand():
    """Two identical days, Erlang C: the efficiency is N*/N with N* from agents_for_target."""
    intervals = pd.DataFrame(
        {
            "interval_start": pd.to_datetime(["2025-01-06 09:00", "2025-01-07 09:00"]),
            "interval_minutes": [30.0] * 2,
            "offered": [100.0] * 2,
            "answered": [100.0] * 2,
            "answered_in_sl": [80.0] * 2,
            "short_abandoned": [0.0] * 2,
            "handle_s_sum": [18000.0] * 2,
            "staffed_agents": [20.0] * 2,
        }
    )
    fit = staffing.calibrate(intervals, model="erlang_c")
    # 100 calls x 180 s in 1800 s at 80 % in 20 s need N* = 13.04 agents (Erlang C)
    n_star = staffing.agents_for_target(100, 1800, 180, 0.8, 20)
    assert fit.overall == pytest.approx(n_star / 20, abs=2e-3)
    row = staffing.why_intervals(intervals, model="erlang_c", calibration=fit).iloc[0]
    assert row["model_sl"] == pytest.approx(0.8, abs=2e-3)
    # the 20 logged-in agents are exactly what the calibrated model needs for the target
    assert row["needed_actual"] == pytest.approx(20.0, abs=0.1)


# --------------------------------------------------------------------------- stories


@pytest.fixture(scope="module")
def hotline_stories(hotline):
    days = [SURGE, SHORTFALL, STORM, "2025-02-18"]
    return {
        day: story.day_story(
            hotline["calls"], day, plan=hotline["plan"], calibration=hotline["calibration"]
        )
        for day in days
    }


def test_story_names_the_surge_and_where_it_sits(hotline_stories):
    told = hotline_stories[SURGE]
    assert told.cause == "demand_surge"
    assert told.concentrated
    assert told.element == INCIDENTS["surge"]["dimensions"]
    assert told.element_share > 0.6
    assert "Data plan (GPRS)" in story.describe(told, "en")


def test_story_names_the_staffing_shortfall(hotline_stories):
    told = hotline_stories[SHORTFALL]
    assert told.cause == "supply_shortfall"
    assert told.staffed_hours / told.scheduled_hours == pytest.approx(0.66 / 0.945, abs=0.06)
    assert told.staffing_points < -0.2


def test_story_names_the_storm_as_a_broad_surge(hotline_stories):
    told = hotline_stories[STORM]
    assert told.cause == "demand_surge"
    assert not told.concentrated
    assert told.offered_change > 0.25


def test_story_names_the_team_and_the_date_of_the_handle_time_step(hotline_stories):
    told = hotline_stories["2025-02-18"]
    assert told.cause == "handle_time_shift"
    assert told.team == INCIDENTS["aht_rise"]["dimensions"]["team"]
    step = pd.Timestamp(AHT_STEP)
    assert abs((pd.Timestamp(told.since) - step).days) <= 1


def test_story_sentences_exist_in_both_languages(hotline_stories):
    for told in hotline_stories.values():
        english, chinese = story.describe(told, "en"), story.describe(told, "zh")
        assert english.startswith(told.day) and chinese.startswith(told.day)
        assert english != chinese
        assert "nan" not in english and "None" not in english


def test_calibration_sentence(hotline):
    text = story.calibration_text(hotline["calibration"], "en")
    share = f"{hotline['calibration'].overall * 100:.1f}%"
    assert text.startswith(f"Calibrated on {hotline['calibration'].days} ordinary days: {share}")
    assert story.calibration_text(hotline["calibration"], "zh").startswith("已用")


@pytest.fixture(scope="module")
def bundled():
    calls = pd.read_parquet(SAMPLE_DIR / "calls.parquet")
    intervals = pd.read_csv(SAMPLE_DIR / "intervals.csv", parse_dates=["interval_start"])
    return {"calls": calls, "plan": intervals, "calibration": staffing.calibrate(intervals)}


@pytest.mark.parametrize(
    ("day", "cause"),
    [
        (SURGE, "demand_surge"),
        (SHORTFALL, "supply_shortfall"),
        (STORM, "demand_surge"),
        (AHT_STEP, "handle_time_shift"),
    ],
)
def test_bundled_sample_incidents_get_their_story(bundled, day, cause):
    told = story.day_story(
        bundled["calls"], day, plan=bundled["plan"], calibration=bundled["calibration"]
    )
    assert told.cause == cause
    if cause == "handle_time_shift":
        assert told.team == "Team 6" and told.since == AHT_STEP


def _low_signals(chart: pd.DataFrame) -> set[str]:
    """Days a service-level chart flags below its centre line (the bad days)."""
    low = chart[chart["signal"] & (chart["value"] < chart["center"])]
    return set(low.index.strftime("%Y-%m-%d"))


def test_story_judges_days_on_the_control_charts_pages_chart(bundled):
    """The story's daily chart is the Control charts page's: ``spc.kpi_chart`` of the daily
    service level with revised limits (tests/test_page_control_charts.py checks the page draws
    exactly that). The three incidents are flagged on both, an ordinary day on neither."""
    calls = bundled["calls"]
    table = kpi.compute(calls, freq="D", keep_sums=True)
    page = spc.kpi_chart(table, "service_level", granularity="day", revise=True)
    chart = story.daily_chart(calls)
    pd.testing.assert_frame_equal(
        chart[["value", "center", "lcl", "ucl", "signal"]],
        page[["value", "center", "lcl", "ucl", "signal"]],
    )
    assert chart.attrs["revised_out"] == page.attrs["revised_out"]
    assert _low_signals(page) == set(INCIDENT_DAYS)
    for day in [*INCIDENT_DAYS, "2025-03-18"]:
        told = story.day_story(
            calls, day, plan=bundled["plan"], calibration=bundled["calibration"], chart=chart
        )
        assert told.signal == (day in _low_signals(page)) == (day in INCIDENT_DAYS), day


def test_a_day_flagged_only_by_revised_limits_is_flagged_in_the_story(hotline):
    """On the hotline the incidents widen the plain limits; the revised limits (the page's)
    also flag 2025-02-23 (staffing 12 % short) and 2025-03-12, and so does the story."""
    calls = hotline["calls"]
    table = kpi.compute(calls, freq="D", keep_sums=True)
    plain = _low_signals(spc.kpi_chart(table, "service_level", granularity="day"))
    revised = _low_signals(spc.kpi_chart(table, "service_level", granularity="day", revise=True))
    extra = revised - plain
    assert extra == {"2025-02-23", "2025-03-12"}
    chart = story.daily_chart(calls)
    for day in sorted(extra):
        told = story.day_story(
            calls, day, plan=hotline["plan"], calibration=hotline["calibration"], chart=chart
        )
        assert told.signal, day
        assert told.cause not in ("no_significant_change", "local_change"), day


def test_a_demand_drop_is_never_told_as_no_significant_change(bundled):
    """Tuesday 2025-01-28 (Chinese New Year): 1,313 calls against the mean of the two used
    baseline Tuesdays (2025-01-14 and 2025-01-21; 2025-01-07 is left out as anomalous):
    about -46 %, far beyond the noise band, while the service level held."""
    calls = bundled["calls"]
    day = "2025-01-28"
    offered = calls["answered"] | calls["abandoned"]  # calls that ended in the IVR are not offered
    per_day = calls.loc[offered, "arrived_at"].dt.normalize().value_counts()
    baseline = (per_day[pd.Timestamp("2025-01-14")] + per_day[pd.Timestamp("2025-01-21")]) / 2
    expected = per_day[pd.Timestamp(day)] / baseline - 1.0
    assert expected == pytest.approx(-0.456, abs=0.005)
    told = story.day_story(calls, day, plan=bundled["plan"], calibration=bundled["calibration"])
    assert told.cause == "demand_drop" and told.volume_down and not told.signal
    assert told.offered_change == pytest.approx(expected, rel=1e-9)
    english, chinese = story.describe(told, "en"), story.describe(told, "zh")
    assert english.startswith(f"{day}: demand drop — offered calls -46% against the baseline")
    assert chinese.startswith(f"{day}：需求下降——来电量较基线 -46%")
    assert "no significant change" not in english


def test_demand_drop_rule():
    quiet = dict(signal=False, service_level=0.78, target_sl=0.8, process_center=0.8)
    assert story.decide(**quiet, volume_down=True) == "demand_drop"
    assert story.decide(**quiet, volume_down=True, significant_elements=3) == "demand_drop"
    # a team's handle-time step stays the story; a bad day keeps its staffing cause
    assert story.decide(**quiet, volume_down=True, team_shift=True) == "handle_time_shift"
    effects = {"volume": 0.05, "aht": 0.0, "staffing": -0.2, "unexplained": 0.0}
    bad = dict(signal=True, service_level=0.5, target_sl=0.8)
    assert story.decide(**bad, volume_down=True, effects=effects) == "supply_shortfall"


def test_signed_changes_that_round_to_zero_have_no_sign():
    """ "-0%" never appears: a change under half a percent reads "0%" (the story and the
    drill-down's sentences), as ``i18n.format_signed`` rounds it."""
    zero = story.Story(
        day="2025-03-03",
        cause="demand_surge",
        offered_change=-0.004,
        service_level=0.8,
        target_sl=0.8,
    )
    assert "offered calls 0% against" in story.describe(zero, "en")
    assert "来电量较基线 0%" in story.describe(zero, "zh")
    assert drill._signed_percent(-0.004) == "0%"
    assert drill._signed_percent(0.004) == "0%"
    assert drill._signed_percent(-0.006) == "-1%"


def test_drilldown_sentence_of_the_shortfall_day_says_0_percent_not_minus_0(bundled):
    """2025-03-17 in the sample: 2,814 calls against a baseline about 0.4 % higher. The
    supply sentence (from the drill.driver_supply translation) reads "(0%)" in both languages."""
    day = pd.Timestamp(SHORTFALL)
    e = drill.explain(bundled["calls"], (day, day + pd.Timedelta(days=1)))
    change = e.volume.totals["relative_change"]
    assert -0.005 < change < 0
    assert "Offered calls (0%) and handle time" in e.summary["en"]
    assert "来电量（0%）和处理时长" in e.summary["zh"]
    assert "-0%" not in e.summary["en"] + e.summary["zh"]
    handle = drill._signed_percent(e.handle_time.totals["relative_change"])
    assert e.summary["zh"].endswith(i18n.t("drill.driver_supply", "zh", volume="0%", handle=handle))


def test_calibration_above_one_reads_naturally():
    """An efficiency above 100 %: the center does better than the model, said in words."""
    fit = staffing.Calibration(
        efficiency={"General": 1.074}, overall=1.074, low=1.05, high=1.10, days=40
    )
    english, chinese = story.calibration_text(fit, "en"), story.calibration_text(fit, "zh")
    assert english == (
        "Calibrated on 40 ordinary days: the center serves calls better than the queueing model "
        "predicts from its logged-in agents, as if it had 107.4% of them on the phones "
        "(95 % interval 105.0%–110.0%); the model is corrected for that."
    )
    assert "效果相当于坐席人数乘以 107.4%" in chinese
    assert "在线坐席的 107.4% 在接听电话" not in chinese


def test_bundled_sample_ordinary_days_are_explained(bundled):
    """March (the calibration's six weeks end there): the incidents aside, ~0 unexplained."""
    plan = bundled["plan"]
    march = plan[plan["interval_start"] >= "2025-03-01"]
    days = _ordinary(_days(staffing.why_intervals(march, calibration=bundled["calibration"])))
    assert len(days) == 31 - 3
    assert abs(days["unexplained"].mean()) < 0.01
    assert days["unexplained"].abs().median() < 0.02


# --------------------------------------------------------------------------- wording rules


def _cube(rates_anomaly: dict, rates_baseline: dict, volume: dict) -> pd.DataFrame:
    """Five weekly windows of categories with given volume and success rates (last = anomaly)."""
    rows = []
    for week in range(5):
        rates = rates_anomaly if week == 4 else rates_baseline
        for category, n in volume.items():
            rows.append(
                {
                    "time": week,
                    "category": category,
                    "n": float(n),
                    "x": float(round(n * rates[category])),
                }
            )
    return pd.DataFrame(rows)


def _explain(cube: pd.DataFrame) -> drill.Explanation:
    return drill.explain_ratio(
        cube,
        (4, 5),
        [(0, 4)],
        time="time",
        dims=["category"],
        numerator="x",
        denominator="n",
    )


def test_no_significant_change_never_sits_above_a_significant_row():
    """A rises 50 -> 90 %, B falls 90 -> 50 %: the total stays at 70 %, both rows change."""
    cube = _cube({"A": 0.9, "B": 0.5}, {"A": 0.5, "B": 0.9}, {"A": 500, "B": 500})
    e = _explain(cube)
    assert e.table["significant"].any()
    assert e.verdict == "local"
    assert "nothing stands out" not in e.summary["en"]
    assert "category=A" in e.summary["en"] or "category=B" in e.summary["en"]
    # and the reverse: a quiet table is "none"
    quiet = _explain(_cube({"A": 0.7, "B": 0.7}, {"A": 0.7, "B": 0.7}, {"A": 500, "B": 500}))
    assert not quiet.table["significant"].any() and quiet.verdict == "none"


def test_broad_verdict_names_a_selected_element_that_explains_most_of_the_change():
    """A (40 % of calls) falls 90 -> 55 %, B (60 %) 90 -> 80 %: A explains 0.14 / 0.20 = 70 %.

    Its lift 0.70 / 0.40 = 1.75 is above drill.MIN_LIFT (so it is selected, starred in the
    table) and below drill.CONCENTRATED_LIFT (so the verdict is broad): the sentence must not
    say that no few elements explain most of it.
    """
    cube = _cube({"A": 0.55, "B": 0.8}, {"A": 0.9, "B": 0.9}, {"A": 2000, "B": 3000})
    e = _explain(cube)
    assert e.verdict == "broad"
    selected = e.selected
    assert selected["element"].tolist() == ["category=A"]
    assert selected["explained_share"].iloc[0] == pytest.approx(0.70, abs=0.005)
    assert "no few elements explain most of it" not in e.summary["en"]
    assert "category=A" in e.summary["en"] and "70%" in e.summary["en"]


def test_broad_never_claims_understaffing_when_volume_rose(hotline):
    """The storm: +35 % calls everywhere. The broad verdict reads as volume, not staffing."""
    day = pd.Timestamp(STORM)
    e = drill.explain(hotline["calls"], (day, day + pd.Timedelta(days=1)))
    assert e.verdict == "broad"
    assert drill.verdict_reason(e) == "broad_volume"
    for lang in ("en", "zh"):
        help_text = i18n.t("dd.verdict_broad_volume_help", lang)
        assert "understaffing" not in help_text and "人手不足" not in help_text
    assert "understaffing" in i18n.t("dd.verdict_broad_supply_help", "en")


def test_story_no_significant_change_only_without_significant_elements():
    quiet = dict(signal=False, service_level=0.81, target_sl=0.8, process_center=0.8)
    assert story.decide(**quiet) == "no_significant_change"
    assert story.decide(**quiet, significant_elements=1) == "local_change"


def test_story_volume_rise_is_never_told_as_understaffing():
    bad = dict(signal=True, service_level=0.55, target_sl=0.8)
    # no staffing split, drill-down says calls rose beyond noise: a surge, not a shortfall
    assert story.decide(**bad, volume_up=True) == "demand_surge"
    # calls above forecast but within the baseline's noise are a forecast miss, not a surge
    effects = {"volume": -0.2, "aht": 0.0, "staffing": -0.05, "unexplained": 0.0}
    assert story.decide(**bad, effects=effects, volume_up=False) == "forecast_miss"
    assert story.decide(**bad, effects=effects, volume_up=True) == "demand_surge"
    # the cause is the Staffing page's main cause (most negative effect), unexplained too
    unexplained = {"volume": 0.0, "aht": 0.0, "staffing": -0.05, "unexplained": -0.2}
    assert story.decide(**bad, effects=unexplained) == "other"


def test_story_process_below_target_needs_a_process_below_target():
    day = dict(signal=False, service_level=0.55, target_sl=0.8)
    assert story.decide(**day, process_center=0.52) == "below_target"
    assert story.decide(**day, process_center=0.79) == "no_significant_change"


def test_step_start_by_hand():
    """Weighted means 300 | 360: the split after the fourth day has the least squared error."""
    days = pd.date_range("2025-02-10", periods=8)
    values = pd.Series([300, 302, 298, 301, 360, 362, 358, 361.0], index=days)
    assert story.step_start(values) == days[4]
    # a heavy first day of the new level pulls nothing: weights only scale the errors
    weights = pd.Series([1, 1, 1, 1, 5, 1, 1, 1.0], index=days)
    assert story.step_start(values, weights) == days[4]
    assert story.step_start(values.iloc[:5]) is None


# --------------------------------------------------------------------------- clean baselines


def test_handle_time_baseline_skips_the_surge_day(hotline):
    """The Tuesday after the surge: the AHT baseline leaves out 2025-03-11 (SL out of control)."""
    day = pd.Timestamp(SURGE) + pd.Timedelta(days=7)
    windows = drill.default_baseline(
        hotline["calls"], (day, day + pd.Timedelta(days=1)), metric="aht_s"
    )
    surge = windows[windows["start"] == pd.Timestamp(SURGE)].iloc[0]
    assert surge["excluded"] and not surge["used"]
    assert surge["reason"] == "anomalous service level"
    assert windows["used"].sum() == 4
    # its handle time was ordinary: only the service-level check can have left it out
    others = windows[windows["used"]]["value"]
    assert abs(surge["value"] - others.median()) < 3 * others.std()


def test_a_day_without_baseline_is_not_called_unchanged():
    """One day of data: nothing to compare with, so no "no significant change" either."""
    calls = sample.generate_calls(start="2025-03-03", days=1)
    told = story.day_story(calls, "2025-03-03")
    assert told.cause == "insufficient_data"
    assert told.notes == ["no_baseline_window"]
    assert story.describe(told, "en") == i18n.t("story.insufficient_data", "en", day="2025-03-03")


def test_a_day_compared_only_with_the_day_before_claims_no_demand_surge():
    # Two days of the sample: Sunday 2025-03-02 (weekday factor 0.58) and Monday 2025-03-03
    # (1.18): Monday has about twice Sunday's calls (1.18 / 0.58 = 2.03) by the calendar
    # alone. With no earlier Monday the drill-down's baseline is the day just before
    # (weeks_away 0); the story must not call the weekday difference a demand surge.
    calls = sample.generate_calls(start="2025-03-02", days=2)
    told = story.day_story(calls, "2025-03-03")
    assert told.offered_change > 0.9  # the raw comparison: about double
    assert "baseline_other_weekday" in told.notes
    assert told.cause != "demand_surge" and not told.volume_up
