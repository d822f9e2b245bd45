"""Tests of ccmetrics.sample: schema, queue simulation, determinism, shipped files, incidents.

Generator checks use short runs (``days=3``); the incident checks read the shipped
files in ``sample_data/`` and recompute every figure with plain pandas in the test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ccmetrics import sample
from ccmetrics.schema import CALL_COLUMNS, CALL_REQUIRED, INTERVAL_COLUMNS

SHORT_DAYS = 3
INCIDENT_NAMES = ("surge", "staffing_shortfall", "aht_rise", "storm", "low_quality_team")


def dtype_matches(series: pd.Series, kind: str) -> bool:
    """Whether a column has the dtype ``ccmetrics.schema`` names."""
    checks = {
        "string": lambda d: isinstance(d, pd.StringDtype),
        "datetime": lambda d: d == np.dtype("datetime64[ns]"),
        "category": lambda d: isinstance(d, pd.CategoricalDtype),
        "float": lambda d: d == np.dtype("float64"),
        "bool": lambda d: d == np.dtype("bool"),
        "boolean": lambda d: isinstance(d, pd.BooleanDtype),
    }
    return checks[kind](series.dtype)


def service_level(calls: pd.DataFrame) -> float:
    """Answered within 20 s / (offered - abandoned within less than 5 s)."""
    in_sl = (calls["answered"] & (calls["wait_s"] <= 20)).sum()
    short = (calls["abandoned"] & (calls["wait_s"] < 5)).sum()
    return in_sl / (len(calls) - short)


def same_weekday_before(day: str, weeks: int = 4) -> list[pd.Timestamp]:
    return [pd.Timestamp(day) - pd.Timedelta(weeks=k) for k in range(1, weeks + 1)]


@pytest.fixture(scope="module")
def short_calls() -> pd.DataFrame:
    return sample.generate_calls(days=SHORT_DAYS)


@pytest.fixture(scope="module")
def shipped() -> dict:
    folder = sample.SAMPLE_DIR
    calls = pd.read_parquet(folder / "calls.parquet")
    # the calls offered to the queues; the IVR-only rows (served by self-service or hung
    # up in the menu, never offered) are checked in test_sample_ivr.py
    ivr_only = calls["ivr_contained"].fillna(False) | calls["ivr_abandoned"].fillna(False)
    calls = calls[~ivr_only.to_numpy(dtype=bool)].reset_index(drop=True)
    intervals = pd.read_csv(folder / "intervals.csv", parse_dates=["interval_start"])
    weather = pd.read_csv(folder / "weather.csv", parse_dates=["date"])
    return {
        "calls": calls,
        "intervals": intervals,
        "weather": weather,
        "day": calls["arrived_at"].dt.normalize(),
    }


# --- the queue simulation on hand-checked cases ------------------------------------


def test_simulate_queue_one_agent_fifo_and_abandonment():
    # One seat from t=0. Handle 30 s each.
    # call 0 arrives 0   -> answered at 0, busy until 30
    # call 1 arrives 10  -> seat free at 30 <= 10 + 50 -> answered at 30 (wait 20), busy until 60
    # call 2 arrives 20  -> seat free at 60 >  20 + 15 -> abandons (wait = patience 15)
    # call 3 arrives 100 -> seat idle -> answered at 100
    start, seat = sample._simulate_queue(
        np.array([0.0, 10.0, 20.0, 100.0]),
        np.array([50.0, 50.0, 15.0, 50.0]),
        np.array([30.0, 30.0, 30.0, 30.0]),
        np.zeros(4),
        np.array([0.0]),
        [frozenset({0})],
        np.array([1.0]),
    )
    np.testing.assert_array_equal(start, [0.0, 30.0, np.nan, 100.0])
    np.testing.assert_array_equal(seat, [0, 0, -1, 0])


def test_simulate_queue_agent_joining_at_a_boundary_serves_the_waiting_caller():
    # Seat 0 from t=0, seat 1 (talk multiplier 2) joins at t=50.
    # call 0 arrives 0, talk 100         -> seat 0, busy until 100
    # call 1 arrives 10, patience 60     -> still waiting at 50 -> seat 1 at 50, busy 50 + 2*100 = 250
    # call 2 arrives 60, patience 30     -> first free is seat 0 at 100 > 90 -> abandons
    # call 3 arrives 95, patience 30     -> seat 0 at 100 (wait 5)
    start, seat = sample._simulate_queue(
        np.array([0.0, 10.0, 60.0, 95.0]),
        np.array([100.0, 60.0, 30.0, 30.0]),
        np.array([100.0, 100.0, 10.0, 10.0]),
        np.zeros(4),
        np.array([0.0, 50.0]),
        [frozenset({0}), frozenset({0, 1})],
        np.array([1.0, 2.0]),
    )
    np.testing.assert_array_equal(start, [0.0, 50.0, np.nan, 100.0])
    np.testing.assert_array_equal(seat, [0, 1, -1, 0])


def test_simulate_queue_agent_logging_off_is_not_used_afterwards():
    # Seats 0 and 1 until t=50, then only seat 0. Call 0 (t=0, handle 100 incl. 20 s ACW)
    # takes seat 0; call 1 arrives at 60 when seat 1 has logged off, so it waits for seat 0
    # (free at 100): answered at 100, wait 40. With seat 1 still on it would be answered at 60.
    start, seat = sample._simulate_queue(
        np.array([0.0, 60.0]),
        np.array([500.0, 500.0]),
        np.array([80.0, 10.0]),
        np.array([20.0, 0.0]),
        np.array([0.0, 50.0]),
        [frozenset({0, 1}), frozenset({0})],
        np.array([1.0, 1.0]),
    )
    np.testing.assert_array_equal(start, [0.0, 100.0])
    np.testing.assert_array_equal(seat, [0, 0])


# --- generated calls: schema and invariants ------------------------------------------


def test_calls_follow_the_canonical_schema(short_calls):
    columns = list(short_calls.columns)
    assert set(CALL_REQUIRED) <= set(columns)
    assert columns == [c for c in CALL_COLUMNS if c in columns]  # schema order
    for column in columns:
        assert dtype_matches(short_calls[column], CALL_COLUMNS[column]), (
            column,
            short_calls[column].dtype,
        )


def test_calls_invariants(short_calls):
    calls = short_calls
    answered, abandoned = calls["answered"], calls["abandoned"]
    assert (answered ^ abandoned).all()
    assert calls["call_id"].is_unique
    assert calls["arrived_at"].is_monotonic_increasing
    hours = calls["arrived_at"].dt.hour
    assert hours.between(8, 21).all()  # open 08:00-22:00
    assert (calls["wait_s"] >= 0).all()
    for column in ("talk_s", "hold_s", "acw_s", "agent", "team", "transferred", "resolved"):
        assert calls.loc[answered, column].notna().all(), column
        assert calls.loc[abandoned, column].isna().all(), column
    assert (calls.loc[answered, "talk_s"] > 0).all()
    assert calls["csat"].dropna().isin([1, 2, 3, 4, 5]).all()
    assert calls["qa_score"].dropna().between(0, 100).all()
    assert calls.loc[abandoned, ["csat", "qa_score"]].isna().all().all()
    assert calls["customer_id"].str.fullmatch(r"1\d{10}").all()
    # Every agent belongs to one team, and every team to one queue.
    served = calls[answered]
    assert (served.groupby("agent", observed=True)["team"].nunique() == 1).all()
    assert (served.groupby("team", observed=True)["queue"].nunique() == 1).all()
    for team, queue in served.groupby("team", observed=True)["queue"].first().items():
        assert sample.TEAM_QUEUE[team] == queue


def test_generator_is_deterministic(short_calls):
    again = sample.generate_calls(days=SHORT_DAYS)
    pd.testing.assert_frame_equal(short_calls, again)
    other_seed = sample.generate_calls(seed=7, days=SHORT_DAYS)
    assert not short_calls["wait_s"].equals(other_seed["wait_s"])


def test_written_files_are_byte_identical_across_runs(tmp_path):
    first = sample.write_sample_data(tmp_path / "a", days=SHORT_DAYS)
    second = sample.write_sample_data(tmp_path / "b", days=SHORT_DAYS)
    assert sorted(first) == ["calls", "calls_zh", "intervals", "roster", "weather"]
    for name in first:
        assert first[name].read_bytes() == second[name].read_bytes(), name


def test_scale_multiplies_volume():
    # Expected calls scale linearly; Poisson noise on ~7,000 calls is about 1 %.
    base = len(sample.generate_calls(days=SHORT_DAYS))
    double = len(sample.generate_calls(days=SHORT_DAYS, scale=2.0))
    assert 1.9 < double / base < 2.1


# --- interval frame ------------------------------------------------------------------


def test_interval_counts_equal_hand_aggregation_of_calls(short_calls):
    intervals = sample.generate_intervals(short_calls, days=SHORT_DAYS)
    assert list(intervals.columns) == [c for c in INTERVAL_COLUMNS if c in intervals.columns]
    for column in intervals.columns:
        assert dtype_matches(intervals[column], INTERVAL_COLUMNS[column]), column
    # One row per queue and 30-minute interval of 08:00-22:00: 3 days x 28 x queues.
    assert len(intervals) == SHORT_DAYS * 28 * len(sample.QUEUES)
    assert (intervals["interval_minutes"] == 30).all()

    calls = short_calls.copy()
    calls["interval_start"] = calls["arrived_at"].dt.floor("30min")
    wait, answered, abandoned = calls["wait_s"], calls["answered"], calls["abandoned"]
    calls["n_offered"] = 1
    calls["n_answered"] = answered.astype(int)
    calls["n_abandoned"] = abandoned.astype(int)
    calls["n_short"] = (abandoned & (wait < 5)).astype(int)
    calls["n_in_sl"] = (answered & (wait <= 20)).astype(int)
    calls["n_abandoned_in_sl"] = (abandoned & (wait <= 20)).astype(int)
    calls["n_transferred"] = calls["transferred"].fillna(False).astype(int)
    calls["answered_wait"] = wait.where(answered, 0.0)
    calls["abandon_wait"] = wait.where(abandoned, 0.0)
    calls["handle"] = calls[["talk_s", "hold_s", "acw_s"]].sum(axis=1)
    hand = calls.groupby(["interval_start", "queue"], observed=True).agg(
        offered=("n_offered", "sum"),
        answered=("n_answered", "sum"),
        abandoned=("n_abandoned", "sum"),
        short_abandoned=("n_short", "sum"),
        answered_in_sl=("n_in_sl", "sum"),
        abandoned_in_sl=("n_abandoned_in_sl", "sum"),
        transferred=("n_transferred", "sum"),
        wait_s_sum=("answered_wait", "sum"),
        abandon_wait_s_sum=("abandon_wait", "sum"),
        talk_s_sum=("talk_s", "sum"),
        hold_s_sum=("hold_s", "sum"),
        acw_s_sum=("acw_s", "sum"),
        handle_s_sum=("handle", "sum"),
    )
    frame = intervals[intervals["offered"] > 0]
    assert len(frame) == len(hand)
    joined = frame.merge(
        hand.reset_index(), on=["interval_start", "queue"], suffixes=("", "_hand"), validate="1:1"
    )
    assert len(joined) == len(hand)
    for column in hand.columns:
        np.testing.assert_allclose(joined[column], joined[column + "_hand"], err_msg=column)
    assert intervals["offered"].sum() == len(short_calls)


def test_interval_staffing_follows_square_root_staffing(short_calls):
    intervals = sample.generate_intervals(short_calls, days=SHORT_DAYS)
    # R = forecast_offered x forecast_aht_s / 1800; N = max(ceil(R + beta sqrt(R)), 2).
    # Hand example of the rule: R = 40 x 360 / 1800 = 8 -> 8 + 0.6 x 2.83 = 9.70 -> 10 agents.
    assert math.ceil(8 + 0.6 * math.sqrt(8)) == 10
    load = intervals["forecast_offered"] * intervals["forecast_aht_s"] / 1800
    expected = np.maximum(np.ceil(load + sample.STAFFING_BETA * np.sqrt(load)), 2)
    np.testing.assert_array_equal(intervals["scheduled_agents"], expected)
    assert (intervals["staffed_agents"] <= intervals["scheduled_agents"]).all()
    assert (intervals["staffed_agents"] >= 1).all()
    # The forecast is not the realised count.
    assert not np.allclose(intervals["forecast_offered"], intervals["offered"])


def test_generate_intervals_refuses_calls_from_another_period(short_calls):
    with pytest.raises(ValueError, match="outside the plan"):
        sample.generate_intervals(short_calls, start="2025-02-01", days=SHORT_DAYS)


# --- weather, Chinese export -----------------------------------------------------------


def test_weather_frame():
    weather = sample.generate_weather()
    assert list(weather.columns) == ["date", "rain", "storm", "temperature_c"]
    assert len(weather) == 90 and weather["date"].is_monotonic_increasing
    assert weather["rain"].dtype == bool and weather["storm"].dtype == bool
    assert (weather.loc[weather["storm"], "rain"]).all()
    storm_days = weather.loc[weather["storm"], "date"].dt.strftime("%Y-%m-%d").tolist()
    assert storm_days == [sample.INCIDENTS["storm"]["first_date"]]
    assert 5 <= weather["rain"].sum() <= 45  # a few rain days, not every day


def test_zh_frame_formats_by_hand():
    calls = pd.DataFrame(
        {
            "call_id": pd.array(["1", "2", "3"], dtype="string"),
            "arrived_at": pd.to_datetime(
                ["2025-01-01 08:00:05", "2025-01-01 09:10:00", "2025-01-01 21:59:59"]
            ),
            "queue": pd.Categorical(["General", "VIP", "Data services"]),
            "category": pd.Categorical(["Top-up", "Roaming", "Data plan (GPRS)"]),
            "segment": pd.Categorical(["Prepaid", "Premium", "Youth"]),
            "team": pd.Categorical(["Team 1", "Team 8", None]),
            "agent": pd.Categorical(["A0101", "A0801", None]),
            "customer_id": pd.array(["13800000001", "13900000002", "13600000003"], dtype="string"),
            "wait_s": [0.0, 12.0, 47.0],
            "answered": [True, True, False],
            "abandoned": [False, False, True],
            "talk_s": [205.0, 3725.0, np.nan],
            "hold_s": [0.0, 30.0, np.nan],
            "acw_s": [40.0, 55.0, np.nan],
            "transferred": pd.array([False, True, None], dtype="boolean"),
            "csat": [5.0, np.nan, np.nan],
            "qa_score": [np.nan, 88.0, np.nan],
        }
    )
    zh = sample.calls_to_zh_frame(calls)
    assert list(zh.columns) == list(sample.ZH_HEADERS.values())
    # 205 s = 0:03:25; 3725 s = 1 h 2 min 5 s = 1:02:05; not answered -> blank.
    assert zh["通话时长"].tolist() == ["0:03:25", "1:02:05", ""]
    assert zh["来电时间"].tolist()[0] == "2025-01-01 08:00:05"
    assert zh["技能组"].tolist() == ["综合服务", "VIP专席", "数据业务"]
    assert zh["客户品牌"].tolist() == ["神州行", "全球通", "动感地带"]
    assert zh["业务类型"].tolist() == ["充值缴费", "漫游业务", "GPRS流量套餐"]
    assert zh["是否接通"].tolist() == ["是", "是", "否"]
    assert zh["是否放弃"].tolist() == ["否", "否", "是"]
    assert zh["是否转接"].tolist() == ["否", "是", ""]
    assert zh["排队时长"].tolist() == ["0", "12", "47"]
    assert zh["保持时长"].tolist() == ["0", "30", ""]
    assert zh["坐席工号"].tolist() == ["A0101", "A0801", ""]
    assert zh["满意度"].tolist() == ["5", "", ""]
    assert zh["质检得分"].tolist() == ["", "88", ""]


# --- shipped files -------------------------------------------------------------------------


def test_shipped_files_exist_load_and_are_small(shipped):
    folder = sample.SAMPLE_DIR
    names = ["calls.parquet", "intervals.csv", "weather.csv", "calls_zh_gbk.csv.gz", "README.md"]
    sizes = {name: (folder / name).stat().st_size for name in names}
    assert sum(sizes.values()) < 15e6, sizes
    calls = shipped["calls"]
    assert 100_000 <= len(calls) <= 200_000
    for column in calls.columns:
        assert dtype_matches(calls[column], CALL_COLUMNS[column]), column
    assert (calls["answered"] ^ calls["abandoned"]).all()
    days = shipped["day"]
    assert days.min() == pd.Timestamp("2025-01-01") and days.max() == pd.Timestamp("2025-03-31")
    assert calls["segment"].cat.categories.tolist() == ["Prepaid", "Youth", "Premium"]
    assert calls["category"].nunique() >= 8
    assert 6 <= calls["team"].nunique() <= 10
    assert 80 <= calls["agent"].nunique() <= 120
    assert calls["agent"].dropna().str.fullmatch(r"A\d{4}").all()
    # Repeat callers exist: some customers call more than once within 72 h.
    ordered = calls.sort_values("arrived_at")
    gap = ordered.groupby("customer_id")["arrived_at"].diff()
    assert 0.05 < (gap <= pd.Timedelta(hours=72)).mean() < 0.3
    # CSAT on 20-30 % of answered calls; QA on a few calls per agent and week.
    answered = calls[calls["answered"]]
    assert 0.2 <= answered["csat"].notna().mean() <= 0.3
    qa = answered.dropna(subset=["qa_score"])
    per_agent_week = qa.groupby(
        [qa["agent"], qa["arrived_at"].dt.to_period("W")], observed=True
    ).size()
    assert per_agent_week.max() <= 3
    assert 0.06 <= answered["transferred"].mean() <= 0.10
    weather = shipped["weather"]
    assert len(weather) == 90 and weather["storm"].sum() == 1


def test_shipped_intervals_match_shipped_calls(shipped):
    calls, intervals = shipped["calls"], shipped["intervals"]
    assert len(intervals) == 90 * 28 * len(sample.QUEUES)
    counts = (
        calls.assign(
            interval_start=calls["arrived_at"].dt.floor("30min").astype("datetime64[us]"),
            queue=calls["queue"].astype(str),
        )
        .groupby(["interval_start", "queue"])
        .agg(
            offered=("call_id", "size"),
            answered=("answered", "sum"),
            abandoned=("abandoned", "sum"),
        )
        .reset_index()
    )
    frame = intervals[intervals["offered"] > 0].astype({"interval_start": "datetime64[us]"})
    assert len(frame) == len(counts)
    joined = frame.merge(
        counts, on=["interval_start", "queue"], suffixes=("", "_calls"), validate="1:1"
    )
    assert len(joined) == len(counts)
    for column in ("offered", "answered", "abandoned"):
        assert (joined[column] == joined[column + "_calls"]).all(), column


def test_shipped_zh_file_matches_the_calls(shipped):
    path = sample.SAMPLE_DIR / "calls_zh_gbk.csv.gz"
    assert path.read_bytes()[:2] == b"\x1f\x8b"  # gzip magic bytes
    zh = pd.read_csv(path, encoding="gbk", dtype=str, keep_default_na=False)
    zh = zh[(zh["自助"] != "是") & (zh["IVR挂机"] != "是")].reset_index(drop=True)  # offered calls
    calls = shipped["calls"]
    assert list(zh.columns) == list(sample.ZH_HEADERS.values())
    assert len(zh) == len(calls)
    assert (zh["流水号"] == calls["call_id"].astype(str)).all()
    assert set(zh["客户品牌"]) == {"神州行", "动感地带", "全球通"}
    assert set(zh["技能组"]) == set(sample.ZH_VALUES["queue"].values())
    assert set(zh["是否接通"]) == {"是", "否"}
    assert zh["客户号码"].str.fullmatch(r"1\d{10}").all()
    talk = zh["通话时长"]
    answered = calls["answered"].to_numpy()
    assert (talk[~answered] == "").all()
    parts = talk[answered].str.extract(r"^(\d+):(\d{2}):(\d{2})$").astype(int)
    seconds = parts[0] * 3600 + parts[1] * 60 + parts[2]
    np.testing.assert_array_equal(seconds.to_numpy(), calls.loc[answered, "talk_s"].to_numpy())


# --- incidents in the shipped data ---------------------------------------------------------


def test_incidents_constant_names_dates_and_dimensions():
    assert set(sample.INCIDENTS) == set(INCIDENT_NAMES)
    for name, incident in sample.INCIDENTS.items():
        for key in (
            "first_date",
            "last_date",
            "time_window",
            "dimensions",
            "queues",
            "description",
        ):
            assert key in incident, (name, key)
        assert pd.Timestamp(incident["first_date"]) <= pd.Timestamp(incident["last_date"])
    assert sample.INCIDENTS["surge"]["dimensions"] == {
        "category": "Data plan (GPRS)",
        "segment": "Prepaid",
    }
    assert pd.Timestamp(sample.INCIDENTS["surge"]["first_date"]).day_of_week < 5
    assert pd.Timestamp(sample.INCIDENTS["staffing_shortfall"]["first_date"]).day_of_week < 5


def test_readme_documents_every_incident():
    text = (sample.SAMPLE_DIR / "README.md").read_text(encoding="utf-8")
    for name, incident in sample.INCIDENTS.items():
        assert name in text, name
        assert incident["first_date"] in text, name


def test_surge_morning(shipped):
    calls, day = shipped["calls"], shipped["day"]
    surge = sample.INCIDENTS["surge"]
    hour = calls["arrived_at"].dt.hour
    in_window = (hour >= 9) & (hour < 12)
    assert surge["time_window"] == ("09:00", "12:00")
    gprs_prepaid = (calls["category"] == "Data plan (GPRS)") & (calls["segment"] == "Prepaid")

    def window(date):
        return in_window & (day == date)

    baseline_days = same_weekday_before(surge["first_date"])
    base_offered = np.mean([window(d).sum() for d in baseline_days])
    base_gprs = np.mean([(window(d) & gprs_prepaid).sum() for d in baseline_days])
    offered = window(pd.Timestamp(surge["first_date"])).sum()
    gprs = (window(pd.Timestamp(surge["first_date"])) & gprs_prepaid).sum()
    assert offered >= 1.6 * base_offered
    assert (gprs - base_gprs) / (offered - base_offered) >= 0.7
    # Service level collapses in that window, for every category.
    surge_calls = calls[window(pd.Timestamp(surge["first_date"]))]
    assert service_level(surge_calls) < 0.4
    normal = np.mean([service_level(calls[window(d)]) for d in baseline_days])
    assert normal > 0.7
    for category, group in surge_calls.groupby("category", observed=True):
        assert service_level(group) < 0.6, category


def test_staffing_shortfall_day(shipped):
    calls, intervals, day = shipped["calls"], shipped["intervals"], shipped["day"]
    date = pd.Timestamp(sample.INCIDENTS["staffing_shortfall"]["first_date"])
    that_day = intervals[intervals["interval_start"].dt.normalize() == date]
    ratio = that_day["staffed_agents"].sum() / that_day["scheduled_agents"].sum()
    assert 0.65 <= ratio <= 0.70
    offered = (day == date).sum()
    usual = np.mean([(day == d).sum() for d in same_weekday_before(date)])
    assert abs(offered / usual - 1) <= 0.10
    shortfall_calls = calls[day == date]
    assert service_level(shortfall_calls) < 0.5
    # Broad: every queue and every category suffers.
    for _, group in shortfall_calls.groupby("queue", observed=True):
        assert service_level(group) < 0.65
    for _, group in shortfall_calls.groupby("category", observed=True):
        assert service_level(group) < 0.65
    # On other days staffing is close to schedule (only ordinary absence).
    others = intervals[intervals["interval_start"].dt.normalize() != date]
    assert others["staffed_agents"].sum() / others["scheduled_agents"].sum() > 0.9


def test_aht_rise_of_one_team(shipped):
    calls = shipped["calls"]
    incident = sample.INCIDENTS["aht_rise"]
    team = incident["dimensions"]["team"]
    answered = calls[calls["answered"]]
    after = answered["arrived_at"] >= pd.Timestamp(incident["first_date"])
    talk = answered.groupby([answered["team"], after], observed=True)["talk_s"].mean().unstack()
    ratio = talk[True] / talk[False]
    assert ratio[team] >= 1.15
    assert (ratio.drop(team) - 1).abs().max() <= 0.05


def test_storm_day_volume(shipped):
    calls, weather, day = shipped["calls"], shipped["weather"], shipped["day"]
    date = pd.Timestamp(sample.INCIDENTS["storm"]["first_date"])
    assert weather.loc[weather["date"] == date, "storm"].item()
    offered = (day == date).sum()
    usual = np.mean([(day == d).sum() for d in same_weekday_before(date)])
    assert offered >= 1.25 * usual
    # Higher volume across categories: every category is up at least 10 %.
    by_category = calls[day == date]["category"].value_counts()
    for category, count in by_category.items():
        usual_category = np.mean(
            [
                ((day == d) & (calls["category"] == category)).sum()
                for d in same_weekday_before(date)
            ]
        )
        assert count >= 1.1 * usual_category, category
    assert service_level(calls[day == date]) < 0.7


def test_low_quality_team(shipped):
    calls = shipped["calls"]
    team = sample.INCIDENTS["low_quality_team"]["dimensions"]["team"]
    is_team = calls["team"] == team
    qa_gap = (
        calls.loc[~is_team & calls["answered"], "qa_score"].mean()
        - calls.loc[is_team, "qa_score"].mean()
    )
    csat_gap = (
        calls.loc[~is_team & calls["answered"], "csat"].mean() - calls.loc[is_team, "csat"].mean()
    )
    assert qa_gap >= 7
    assert csat_gap >= 0.3


def test_normal_days_service_level_is_mostly_in_control(shipped):
    calls, day = shipped["calls"], shipped["day"]
    incident_days = [
        pd.Timestamp(sample.INCIDENTS[n]["first_date"])
        for n in ("surge", "staffing_shortfall", "storm")
    ]
    daily = calls.groupby(day).apply(service_level)
    normal = daily.drop(incident_days)
    assert 0.75 <= normal.mean() <= 0.85
    assert normal.between(0.70, 0.90).mean() >= 0.85
    # Each incident day is below every normal day's 5th percentile.
    for date in incident_days:
        assert daily[date] < normal.quantile(0.05), date


def test_chinese_new_year_and_weekly_pattern(shipped):
    day = shipped["day"]
    daily = day.value_counts().sort_index()
    holiday = daily.loc["2025-01-28":"2025-02-04"].mean()
    january_weekdays = daily.loc["2025-01-06":"2025-01-24"]
    january_weekdays = january_weekdays[january_weekdays.index.day_of_week < 5]
    assert holiday < 0.7 * january_weekdays.mean()
    weekday_mean = daily.groupby(daily.index.day_of_week).mean()
    assert weekday_mean.idxmax() == 0  # Monday busiest
    weekend_ratio = weekday_mean[[5, 6]].mean() / weekday_mean[[0, 1, 2, 3, 4]].mean()
    assert 0.5 <= weekend_ratio <= 0.75


def test_intraday_peaks(shipped):
    calls = shipped["calls"]
    by_half_hour = calls["arrived_at"].dt.floor("30min").dt.strftime("%H:%M").value_counts()
    morning = by_half_hour.loc[["09:00", "09:30", "10:00", "10:30", "11:00", "11:30"]].idxmax()
    afternoon = by_half_hour.loc[["14:00", "14:30", "15:00", "15:30", "16:00"]].idxmax()
    assert morning in ("10:00", "10:30")
    assert afternoon in ("14:30", "15:00", "15:30")
    assert by_half_hour["21:30"] < 0.4 * by_half_hour["10:00"]
    assert by_half_hour["12:30"] < by_half_hour["10:00"]
