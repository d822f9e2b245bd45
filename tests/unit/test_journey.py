"""Tests of ccmetrics.journey: stages of the call, their trend, the IVR menu and its topics.

Every expected value is a hand calculation on the eight calls of :func:`eight_calls`,
written out next to the assertion. The Wilson interval of 2/5 is checked against the
formula evaluated by hand and against the published value of Newcombe (1998), Table I,
method 3 for 0/10 (0 to 0.2775).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ccmetrics import drill, journey, kpi
from ccmetrics.schema import KpiSettings

NAN = float("nan")


def eight_calls() -> pd.DataFrame:
    """Eight calls on two days, following the IVR contract.

    ======  ====  ===================  =========  ========  =====  ========  =========  ====  ====  ====  ===  ========
    call    day   ivr_path             contained  ivr_aban  ivr_s  answered  abandoned  wait  talk  hold  acw  category
    ======  ====  ===================  =========  ========  =====  ========  =========  ====  ====  ====  ===  ========
    1       03-03 Billing > Balance    yes        no        60     no        no         0     -     -     -    Balance
    2       03-03 Billing > Balance    no         no        90     yes       no         20    200   20    30   Balance
    3       03-03 Billing > Invoice    no         no        30     yes       no         40    300   0     60   Invoice
    4       03-03 Data                 no         yes       15     no        no         0     -     -     -    Data
    5       03-04 Data                 no         no        45     no        yes        3     -     -     -    Data
    6       03-04 Data                 no         no        60     no        yes        60    -     -     -    Data
    7       03-04 Billing > Balance    no         no        120    yes       no         10    100   40    90   Balance
    8       03-04 Billing>Balance      yes        no        75     no        no         0     -     -     -    Balance
    ======  ====  ===================  =========  ========  =====  ========  =========  ====  ====  ====  ===  ========

    Call 8 writes its path without spaces: it is the same option.
    """
    return pd.DataFrame(
        {
            "call_id": [f"c{i}" for i in range(1, 9)],
            "arrived_at": pd.to_datetime(
                ["2025-03-03 09:00", "2025-03-03 09:10", "2025-03-03 10:00", "2025-03-03 11:00"]
                + ["2025-03-04 09:00", "2025-03-04 09:30", "2025-03-04 10:00", "2025-03-04 12:00"]
            ),
            "ivr_path": [
                "Billing > Balance",
                "Billing > Balance",
                "Billing > Invoice",
                "Data",
                "Data",
                "Data",
                "Billing > Balance",
                "Billing>Balance",
            ],
            "ivr_contained": pd.array(
                [True, False, False, False, False, False, False, True], dtype="boolean"
            ),
            "ivr_abandoned": pd.array(
                [False, False, False, True, False, False, False, False], dtype="boolean"
            ),
            "ivr_s": [60.0, 90.0, 30.0, 15.0, 45.0, 60.0, 120.0, 75.0],
            "answered": [False, True, True, False, False, False, True, False],
            "abandoned": [False, False, False, False, True, True, False, False],
            "wait_s": [0.0, 20.0, 40.0, 0.0, 3.0, 60.0, 10.0, 0.0],
            "talk_s": [NAN, 200.0, 300.0, NAN, NAN, NAN, 100.0, NAN],
            "hold_s": [NAN, 20.0, 0.0, NAN, NAN, NAN, 40.0, NAN],
            "acw_s": [NAN, 30.0, 60.0, NAN, NAN, NAN, 90.0, NAN],
            "category": [
                "Balance",
                "Balance",
                "Invoice",
                "Data",
                "Data",
                "Data",
                "Balance",
                "Balance",
            ],
        }
    )


def by_stage(table: pd.DataFrame) -> dict[str, pd.Series]:
    return {row["stage"]: row for _, row in table.iterrows()}


# --------------------------------------------------------------------------- stages


def test_stages_of_the_eight_calls_by_hand():
    stages = journey.journey_stages(eight_calls())
    assert list(stages.columns) == list(journey.STAGE_COLUMNS)
    assert list(stages["stage"]) == ["ivr", "queue", "conversation", "acw"]
    s = by_stage(stages)
    # IVR: all 8 calls have IVR data; contained 1 and 8; lost in the IVR: call 4
    assert s["ivr"]["entered"] == 8
    assert s["ivr"]["contained"] == 2 and s["ivr"]["contained_share"] == pytest.approx(2 / 8)
    assert s["ivr"]["lost"] == 1 and s["ivr"]["lost_share"] == pytest.approx(1 / 8)
    # mean IVR time (60+90+30+15+45+60+120+75)/8 = 495/8
    assert s["ivr"]["mean_s"] == pytest.approx(61.875) and s["ivr"]["time_n"] == 8
    assert math.isnan(s["ivr"]["lost_short"])
    # queue: offered = calls 2,3,5,6,7 = 5; abandoned 5 and 6, call 5 within S = 5 s
    assert s["queue"]["entered"] == 5
    assert s["queue"]["lost"] == 2 and s["queue"]["lost_short"] == 1
    assert s["queue"]["lost_share"] == pytest.approx(2 / 5)
    # mean wait of every queued caller (20+40+3+60+10)/5 = 133/5
    assert s["queue"]["mean_s"] == pytest.approx(26.6) and s["queue"]["time_n"] == 5
    assert math.isnan(s["queue"]["contained"])
    # conversation: answered 2,3,7; talk+hold (220+300+140)/3 = 220
    assert s["conversation"]["entered"] == 3
    assert s["conversation"]["mean_s"] == pytest.approx(220.0)
    assert math.isnan(s["conversation"]["lost"])
    # ACW: (30+60+90)/3 = 60
    assert s["acw"]["entered"] == 3 and s["acw"]["mean_s"] == pytest.approx(60.0)


def test_queue_and_conversation_stages_say_what_the_kpis_say():
    """One story: the queue and agent stages are the Overview's offered, abandoned, AHT parts."""
    calls = eight_calls()
    row = kpi.compute(calls).iloc[0]
    s = by_stage(journey.journey_stages(calls))
    assert s["queue"]["entered"] == row["offered"]
    assert s["queue"]["lost"] == row["abandoned"]
    assert s["queue"]["lost_short"] == row["short_abandoned"]
    assert s["conversation"]["mean_s"] == pytest.approx(row["talk_s"] + row["hold_s"])
    assert s["acw"]["mean_s"] == pytest.approx(row["acw_s"])


def test_short_abandon_setting_moves_the_short_count():
    # S = 61 s: both abandons (3 s and 60 s) are short
    stages = journey.journey_stages(eight_calls(), KpiSettings(short_abandon_s=61))
    assert by_stage(stages)["queue"]["lost_short"] == 2


def test_stages_without_data_are_absent_not_zero():
    calls = eight_calls().drop(columns=[*journey.IVR_COLUMNS, "acw_s"])
    stages = journey.journey_stages(calls)
    # no IVR column and no ACW column: those stages are left out
    assert list(stages["stage"]) == ["queue", "conversation"]
    # without answered calls there is no conversation either
    unanswered = eight_calls().assign(answered=False)
    assert "conversation" not in set(journey.journey_stages(unanswered)["stage"])


def test_ivr_without_abandon_flag_has_unknown_losses():
    calls = eight_calls().drop(columns="ivr_abandoned")
    ivr = by_stage(journey.journey_stages(calls))["ivr"]
    assert ivr["entered"] == 8 and math.isnan(ivr["lost"]) and math.isnan(ivr["lost_share"])


def test_a_row_is_an_ivr_call_when_any_ivr_column_is_known():
    calls = eight_calls()
    calls["ivr_s"] = np.nan
    calls["ivr_contained"] = pd.array([pd.NA] * 8, dtype="boolean")
    calls["ivr_abandoned"] = pd.array([pd.NA] * 8, dtype="boolean")
    calls.loc[[0, 1], "ivr_path"] = None
    ivr = by_stage(journey.journey_stages(calls))["ivr"]
    # only the path is known, on 6 of the 8 rows; no time: mean missing with n 0
    assert ivr["entered"] == 6 and ivr["time_n"] == 0 and math.isnan(ivr["mean_s"])


def test_journey_refuses_interval_data():
    intervals = pd.DataFrame(
        {"interval_start": pd.to_datetime(["2025-03-03 09:00"]), "interval_minutes": [30.0]}
    )
    with pytest.raises(ValueError, match="call-level"):
        journey.journey_stages(intervals)


def test_empty_calls_give_an_empty_table():
    assert journey.journey_stages(eight_calls().iloc[:0]).empty


# --------------------------------------------------------------------------- trend


def test_trend_per_day_by_hand():
    trend = journey.journey_trend(eight_calls(), "D")
    assert list(trend.columns) == ["period", *journey.STAGE_COLUMNS]
    day1 = by_stage(trend[trend["period"] == pd.Timestamp("2025-03-03")])
    day2 = by_stage(trend[trend["period"] == pd.Timestamp("2025-03-04")])
    # day 1: IVR calls 1-4, contained 1, lost 1, time (60+90+30+15)/4
    assert day1["ivr"]["entered"] == 4 and day1["ivr"]["lost"] == 1
    assert day1["ivr"]["mean_s"] == pytest.approx(48.75)
    # day 1 queue: calls 2 and 3, none lost, wait (20+40)/2
    assert day1["queue"]["entered"] == 2 and day1["queue"]["lost"] == 0
    assert day1["queue"]["mean_s"] == pytest.approx(30.0)
    # day 1 conversation (220+300)/2; ACW (30+60)/2
    assert day1["conversation"]["mean_s"] == pytest.approx(260.0)
    assert day1["acw"]["mean_s"] == pytest.approx(45.0)
    # day 2: IVR calls 5-8, contained 8, lost none, time (45+60+120+75)/4 = 75
    assert day2["ivr"]["entered"] == 4 and day2["ivr"]["contained"] == 1
    assert day2["ivr"]["lost"] == 0 and day2["ivr"]["mean_s"] == pytest.approx(75.0)
    # day 2 queue: calls 5, 6, 7; lost 5 and 6 (5 short); wait (3+60+10)/3
    assert day2["queue"]["entered"] == 3 and day2["queue"]["lost"] == 2
    assert day2["queue"]["lost_short"] == 1
    assert day2["queue"]["mean_s"] == pytest.approx(73 / 3)
    assert day2["conversation"]["mean_s"] == pytest.approx(140.0)


def test_trend_rows_are_the_stages_of_each_period():
    calls = eight_calls()
    trend = journey.journey_trend(calls, "D")
    for day, rows in trend.groupby("period"):
        alone = journey.journey_stages(calls[calls["arrived_at"].dt.normalize() == day])
        pd.testing.assert_frame_equal(
            rows.drop(columns="period").reset_index(drop=True), alone, check_dtype=False
        )


def test_trend_leaves_out_a_period_stage_without_data():
    calls = eight_calls()
    calls.loc[calls["arrived_at"].dt.day == 3, "ivr_s"] = np.nan
    calls.loc[calls["arrived_at"].dt.day == 3, "ivr_path"] = None
    calls.loc[calls["arrived_at"].dt.day == 3, "ivr_contained"] = pd.NA
    calls.loc[calls["arrived_at"].dt.day == 3, "ivr_abandoned"] = pd.NA
    trend = journey.journey_trend(calls, "D")
    day1 = trend[trend["period"] == pd.Timestamp("2025-03-03")]
    assert "ivr" not in set(day1["stage"])
    # call 4 lost its IVR data: it is an ordinary row that never reached the queue
    assert by_stage(day1)["queue"]["entered"] == 2


# --------------------------------------------------------------------------- menu


def test_menu_ranking_by_hand():
    menu = journey.menu_ranking(eight_calls())
    assert list(menu.columns) == list(journey.MENU_COLUMNS)
    top = menu[menu["level"] == "top"].set_index("option")
    path = menu[menu["level"] == "path"].set_index("option")
    # top level: Billing = calls 1,2,3,7,8; Data = calls 4,5,6
    assert list(top.index) == ["Billing", "Data"]
    assert top.loc["Billing", "entered"] == 5 and top.loc["Billing", "contained"] == 2
    assert top.loc["Billing", "to_queue"] == 3 and top.loc["Billing", "agent_handled"] == 3
    assert top.loc["Billing", "agent_share"] == pytest.approx(1.0)
    assert top.loc["Data", "entered"] == 3 and top.loc["Data", "lost"] == 1
    assert top.loc["Data", "to_queue"] == 2 and top.loc["Data", "agent_handled"] == 0
    assert list(top["rank"]) == [1, 2] and list(top["depth"]) == [1, 1]
    # full paths: Balance = calls 1,2,7,8 (8 written without spaces); Invoice = 3; Data
    assert list(path.index) == ["Billing > Balance", "Billing > Invoice", "Data"]
    assert list(path["depth"]) == [2, 2, 1]
    assert list(path["entered"]) == [4, 1, 3]
    assert list(path["agent_handled"]) == [2, 1, 0]
    assert list(path["rank"]) == [1, 2, 3]
    assert path.loc["Billing > Balance", "containment"] == pytest.approx(0.5)
    assert path.loc["Billing > Invoice", "agent_share"] == pytest.approx(1 / 3)


def test_containment_interval_is_wilson():
    top = journey.menu_ranking(eight_calls()).set_index(["level", "option"])
    row = top.loc[("top", "Billing")]
    # Wilson by hand, p = 2/5, n = 5, z = 1.959964:
    # centre (p + z²/2n) / (1 + z²/n) = (0.4 + 0.384146) / 1.768292 = 0.443449
    # half z √(p(1−p)/n + z²/4n²) / (1 + z²/n) = 1.959964 × 0.293964 / 1.768292 = 0.325829
    assert row["containment"] == pytest.approx(0.4)
    assert row["containment_low"] == pytest.approx(0.117621, abs=1e-5)
    assert row["containment_high"] == pytest.approx(0.769278, abs=1e-5)
    # Newcombe (1998) Table I, Wilson score interval for 0/10: 0 to 0.2775
    calls = eight_calls().iloc[:1].copy()
    calls = pd.concat([calls] * 10, ignore_index=True).assign(
        ivr_contained=pd.array([False] * 10, dtype="boolean")
    )
    low, high = journey.menu_ranking(calls).iloc[0][["containment_low", "containment_high"]]
    assert low == pytest.approx(0.0, abs=1e-9) and high == pytest.approx(0.2775, abs=5e-5)


def test_menu_without_contained_flag_has_unknown_containment():
    menu = journey.menu_ranking(eight_calls().drop(columns="ivr_contained"))
    assert menu["containment"].isna().all() and menu["containment_low"].isna().all()


def test_menu_needs_a_path_and_skips_rows_without_one():
    with pytest.raises(ValueError, match="ivr_path"):
        journey.menu_ranking(eight_calls().drop(columns="ivr_path"))
    calls = eight_calls()
    calls.loc[3, "ivr_path"] = None  # call 4 (Data)
    menu = journey.menu_ranking(calls).set_index(["level", "option"])
    assert menu.loc[("top", "Data"), "entered"] == 2


def test_split_path():
    assert journey.split_path(" A >B > C ") == ("A", "B", "C")
    assert journey.split_path("") == () and journey.split_path(np.nan) == ()


# --------------------------------------------------------------------------- topics


def test_topic_ranking_by_hand():
    topics = journey.topic_ranking(eight_calls())
    assert list(topics.columns) == list(journey.TOPIC_COLUMNS)
    t = topics.set_index("category")
    # agents answered Balance 2 (calls 2, 7), Invoice 1 (call 3), Data 0: ranks 1, 2, 3
    assert list(topics["category"]) == ["Balance", "Invoice", "Data"]
    assert list(t["agent_handled"]) == [2, 1, 0] and list(t["calls"]) == [4, 1, 3]
    assert t.loc["Balance", "agent_share"] == pytest.approx(2 / 3)
    assert list(t["depth"]) == [2, 2, 1]
    assert t.loc["Balance", "path"] == "Billing > Balance" and t.loc["Balance", "path_share"] == 1
    # the menu's places by volume: depths sorted [1, 2, 2] go to Balance (1), Invoice (2),
    # Data (2). Balance sits at 2 > its place 1 -> belongs higher (Data, answered less,
    # holds depth 1); Invoice sits at its place 2 (the menu has one depth-1 place, and the
    # busier Balance should take it) -> not flagged; Data is not among the top 2
    assert list(t["belongs_higher"]) == [True, False, False]
    assert t.loc["Balance", "easier_topic"] == "Data" and t.loc["Balance", "easier_depth"] == 1
    assert t.loc["Data", "easier_topic"] is None and pd.isna(t.loc["Data", "easier_depth"])


def test_top_limits_the_flagged_topics():
    t = journey.topic_ranking(eight_calls(), top=1).set_index("category")
    assert list(t["belongs_higher"]) == [True, False, False]


def test_a_menu_ordered_by_volume_flags_nothing():
    calls = eight_calls()
    # Balance (most answered) at the top, Invoice next, Data (least) deepest
    calls["ivr_path"] = calls["category"].map(
        {"Balance": "Balance", "Invoice": "Billing > Invoice", "Data": "Other > Data > Data"}
    )
    topics = journey.topic_ranking(calls)
    assert not topics["belongs_higher"].any()
    assert list(topics["depth"]) == [1, 2, 3]


def test_a_topics_depth_is_where_most_of_its_callers_find_it():
    calls = eight_calls()
    # Balance: 2 calls by "Billing > Balance", 2 by "Quick > Menu > Balance": a tie, the
    # shallower wins with half of its calls
    calls.loc[[6, 7], "ivr_path"] = "Quick > Menu > Balance"
    t = journey.topic_ranking(calls).set_index("category")
    assert t.loc["Balance", "path"] == "Billing > Balance"
    assert t.loc["Balance", "path_share"] == pytest.approx(0.5)
    # 3 of 4 on the deep path: it wins
    calls.loc[1, "ivr_path"] = "Quick > Menu > Balance"
    t = journey.topic_ranking(calls).set_index("category")
    assert t.loc["Balance", "path"] == "Quick > Menu > Balance" and t.loc["Balance", "depth"] == 3


def test_topic_without_path_is_never_flagged():
    calls = eight_calls()
    calls.loc[calls["category"] == "Invoice", "ivr_path"] = None
    t = journey.topic_ranking(calls).set_index("category")
    assert pd.isna(t.loc["Invoice", "depth"]) and not t.loc["Invoice", "belongs_higher"]


def test_topics_need_category_and_path():
    for column in ("category", "ivr_path"):
        with pytest.raises(ValueError, match=column):
            journey.topic_ranking(eight_calls().drop(columns=column))


# --------------------------------------------------------------------------- drill-down


def drill_calls() -> pd.DataFrame:
    """Four Mondays of 40 calls: on the last, calls by "Data > Roaming" wait long.

    Before: every call answered within 10 s. The last Monday: the 20 calls of
    "Data > Roaming" wait 120 s; the 20 of "Billing" still 10 s. Service level
    (T = 20 s) drops from 100% to 50%, all of it on Data > Roaming.
    """
    rows = []
    for week in range(5):
        day = pd.Timestamp("2025-02-03") + pd.Timedelta(weeks=week)
        for i in range(40):
            path = "Data > Roaming" if i % 2 else "Billing"
            slow = week == 4 and path == "Data > Roaming"
            rows.append(
                {
                    "call_id": f"w{week}c{i}",
                    "arrived_at": day + pd.Timedelta(hours=9, minutes=i),
                    "wait_s": 120.0 if slow else 10.0,
                    "answered": True,
                    "abandoned": False,
                    "ivr_path": path,
                    "queue": "Q1",
                }
            )
    return pd.DataFrame(rows)


def test_drill_dimensions_include_the_menu_path():
    assert "ivr_path" in drill.DRILL_DIMENSIONS


def test_explain_runs_with_the_menu_path_as_dimension():
    calls = drill_calls()
    window = (pd.Timestamp("2025-03-03 09:00"), pd.Timestamp("2025-03-03 10:00"))
    e = drill.explain(calls, window, metric="service_level", dims=["ivr_path"])
    assert "ivr_path" in e.dims["demand"]
    top = e.table.iloc[0]
    # the whole drop (100% -> 50%) sits on Data > Roaming
    assert top["values"] == {"ivr_path": "Data > Roaming"}
    # by default (dims=None) the menu path is left out: after a menu change the new paths
    # have no baseline and would look like surges of their own for weeks
    # (drill.DEFAULT_DRILL_DIMENSIONS); it is examined when asked for, as above
    default = drill.explain(calls, window, metric="service_level")
    assert "ivr_path" not in {dim for side in default.dims.values() for dim in side}


def test_a_week_holding_every_call_is_the_whole_journey():
    # both days fall in the ISO week starting Monday 2025-03-03
    weekly = journey.journey_trend(eight_calls(), "W")
    assert set(weekly["period"]) == {pd.Timestamp("2025-03-03")}
    pd.testing.assert_frame_equal(
        weekly.drop(columns="period"), journey.journey_stages(eight_calls())
    )


def test_a_categorical_menu_path_gives_the_same_tables():
    # the loader and the sample store ivr_path as a categorical: mapping a categorical maps
    # its categories, which failed when each path splits into a list of options
    calls = eight_calls()
    as_category = calls.assign(ivr_path=calls["ivr_path"].astype("category"))
    pd.testing.assert_frame_equal(journey.menu_ranking(as_category), journey.menu_ranking(calls))
    pd.testing.assert_frame_equal(journey.topic_ranking(as_category), journey.topic_ranking(calls))
