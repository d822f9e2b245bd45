"""story.story_inputs: the calls and plan rows a story of a queue subset reads (report and pages).

Frames built by hand: three calls (two VIP, one General) and a plan of two queues on one
interval; the expected rows are counted by hand.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ccmetrics import story

DAY = pd.Timestamp("2025-03-03 09:00")


@pytest.fixture
def calls() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "arrived_at": [DAY, DAY, DAY + pd.Timedelta(minutes=5)],
            "queue": ["VIP", "General", "VIP"],
            "wait_s": [5.0, 40.0, 12.0],
        }
    )


@pytest.fixture
def plan() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "interval_start": [DAY, DAY],
            "queue": ["VIP", "General"],
            "staffed_agents": [2.0, 9.0],
            "scheduled_agents": [3.0, 9.0],
        }
    )


def test_without_filters_the_whole_center_is_read_unchanged(calls, plan):
    for filters in (None, {}):
        rows, plan_rows = story.story_inputs(calls, plan, filters)
        assert rows is calls and plan_rows is plan


def test_a_queue_filter_keeps_that_queues_calls_and_plan_rows(calls, plan):
    rows, plan_rows = story.story_inputs(calls, plan, {"queue": ["VIP"]})
    assert rows["wait_s"].tolist() == [5.0, 12.0]  # the two VIP calls
    assert plan_rows["queue"].tolist() == ["VIP"]
    assert plan_rows["staffed_agents"].tolist() == [2.0]
    assert plan_rows["scheduled_agents"].tolist() == [3.0]


def test_a_plan_without_queues_stays_whole(calls, plan):
    whole = plan.drop(columns="queue").groupby("interval_start", as_index=False).sum()
    rows, plan_rows = story.story_inputs(calls, whole, {"queue": ["General"]})
    assert rows["wait_s"].tolist() == [40.0]
    assert plan_rows is whole and plan_rows["staffed_agents"].tolist() == [11.0]  # 2 + 9


def test_a_plan_whose_queue_column_is_empty_stays_whole(calls, plan):
    """An export with a queue column left blank has no queues (as staffing_inputs reads it)."""
    blank = plan.assign(queue=None)
    rows, plan_rows = story.story_inputs(calls, blank, {"queue": ["VIP"]})
    assert len(rows) == 2 and plan_rows is blank


def test_an_interval_frame_is_filtered_with_the_staffing_it_carries(plan):
    intervals = plan.assign(offered=[4, 30], answered=[4, 28])
    rows, plan_rows = story.story_inputs(intervals, None, {"queue": ["General"]})
    assert plan_rows is None
    assert rows[["offered", "staffed_agents"]].values.tolist() == [[30.0, 9.0]]


def test_a_filter_on_a_column_the_calls_lack_is_refused(calls, plan):
    with pytest.raises(ValueError, match="segment"):
        story.story_inputs(calls, plan, {"segment": ["Youth"]})
