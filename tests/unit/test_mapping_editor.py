"""The mapping editor's conversions (ccmetrics.mapping_editor): mapping -> rows -> mapping.

Every expected value is written out by hand from the rules in the module's docstrings.
"""

from __future__ import annotations

import pandas as pd

from ccmetrics.mapping_editor import (
    DuplicateTarget,
    mapping_from_targets,
    mapping_targets,
    preview_values,
    targets_of_mapping,
)
from ccmetrics.schema import CALL_COLUMNS, INTERVAL_COLUMNS


def test_targets_are_the_canonical_columns_then_the_loader_extras():
    calls = mapping_targets("calls")
    assert calls[: len(CALL_COLUMNS)] == list(CALL_COLUMNS)
    assert calls[len(CALL_COLUMNS) :] == [
        "arrival_date",
        "arrival_time",
        "queued_at",
        "answered_at",
        "outcome",
        "direction",
    ]
    intervals = mapping_targets("intervals")
    assert intervals[: len(INTERVAL_COLUMNS)] == list(INTERVAL_COLUMNS)
    assert {"interval_date", "interval_time", "staffed_s", "aht_s"} <= set(intervals)
    assert len(set(calls)) == len(calls) and len(set(intervals)) == len(intervals)


def test_a_mapping_becomes_one_target_per_source_column():
    mapping = {
        "wait_s": "Wait",
        "arrived_at": ["Date", "Time"],  # a split start time: two rows
        "call_id": ["Site", "Seq"],  # a call id made of parts: both feed call_id
        "queue": None,  # not mapped: no row
        "options": {"dayfirst": True},  # not a column
    }
    assert targets_of_mapping(mapping) == {
        "Wait": "wait_s",
        "Date": "arrival_date",
        "Time": "arrival_time",
        "Site": "call_id",
        "Seq": "call_id",
    }
    assert targets_of_mapping({"interval_start": ["Day", "Slot"]}) == {
        "Day": "interval_date",
        "Slot": "interval_time",
    }
    assert targets_of_mapping(None) == {}


def test_rows_become_the_loaders_mapping_and_keep_its_options():
    mapping, duplicate = mapping_from_targets(
        ["Date", "Time", "Wait", "Site", "Seq", "Notes", "Extra"],
        ["arrival_date", "arrival_time", "wait_s", "call_id", "call_id", None, float("nan")],
        {"options": {"dayfirst": True}},
    )
    assert duplicate is None
    assert mapping == {
        "wait_s": "Wait",
        "call_id": ["Site", "Seq"],
        "arrived_at": ["Date", "Time"],
        "options": {"dayfirst": True},
    }
    # a lone date key stays as it is (the loader reads it beside a start-time column)
    mapping, _ = mapping_from_targets(["Start", "Date"], ["arrived_at", "arrival_date"])
    assert mapping == {"arrived_at": "Start", "arrival_date": "Date"}


def test_two_columns_sent_to_a_one_column_key_are_named_in_row_order():
    mapping, duplicate = mapping_from_targets(
        ["Date", "Time", "Wait"], ["wait_s", "arrival_time", "wait_s"], None
    )
    assert mapping is None
    assert duplicate == DuplicateTarget("wait_s", ("Date", "Wait"))
    # three columns for a start time are not a date + time pair
    _, duplicate = mapping_from_targets(["A", "B", "C"], ["arrived_at"] * 3)
    assert duplicate == DuplicateTarget("arrived_at", ("A", "B", "C"))


def test_round_trip_through_the_rows_gives_the_mapping_back():
    mapping = {"wait_s": "Wait", "arrived_at": ["Date", "Time"], "call_id": "Id"}
    target_of = targets_of_mapping(mapping)
    columns = ["Id", "Date", "Time", "Wait", "Unused"]
    back, duplicate = mapping_from_targets(columns, [target_of.get(c) for c in columns])
    assert duplicate is None and back == mapping


def test_preview_shows_three_distinct_non_blank_values_cut_to_forty_characters():
    head = pd.DataFrame(
        {
            "Queue": ["a", "a", " ", None, "b", "c", "d"],
            "Long": ["x" * 50, None, None, None, None, None, None],
            "Empty": [None, "", "  ", None, None, None, None],
            7: ["1", "2", "1", "3", "4", "5", "6"],
        }
    )
    assert preview_values(head) == {
        "Queue": "a · b · c",
        "Long": "x" * 40,
        "Empty": "",
        "7": "1 · 2 · 3",
    }
    assert preview_values(head, values=1, width=2)["Long"] == "xx"
