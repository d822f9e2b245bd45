"""ccmetrics.io against the real anchor files in ../shared/anchors (never copied here).

Expected figures come from each folder's PROVENANCE.md (published values) or are
computed here independently of ccmetrics.io, with the standard-library csv module
and plain arithmetic.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ccmetrics.io import LoadError, load, read_mapping
from tests.conftest import require_anchor

REPO = Path(__file__).resolve().parents[2]
PWC = "data/pwc-phonenow/01 Call-Center-Dataset.xlsx"
TECHNION = "data/technion-anonymous-bank/data_anonymous_bank_february.txt"
KAGGLE = "data/kaggle-callcenter-daily/Call Center Data.csv"

# The mapping shipped as ccmetrics/mappings/technion_anonymous_bank.json, written out here too.
TECHNION_MAPPING = {
    "call_id": ["vru+line", "call_id"],  # call_id alone repeats across lines (17,828 repeats)
    "arrived_at": ["date", "vru_entry"],
    "queued_at": ["date", "q_start"],
    "customer_id": "customer_id",
    "category": "type",
    "segment": "priority",
    "channel": "vru+line",
    "agent": "server",
    "outcome": "outcome",
    "wait_s": "q_time",
    "talk_s": "ser_time",
    "ivr_s": "vru_time",
    "options": {
        "missing_values": {"agent": ["NO_SERVER"], "queued_at": ["0:00:00"], "customer_id": ["0"]},
        "truncate": {"channel": 4},
        "recode": {"segment": {"0": "regular", "1": "regular", "2": "priority"}},
    },
}


def _problems(result) -> dict:
    return {(row.code, row.column): row.rows for row in result.problems.itertuples()}


# ----------------------------------------------------------------------------
# PwC / PhoneNow: no mapping at all
# ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pwc():
    return load(require_anchor(PWC))


def test_pwc_loads_without_mapping(pwc):
    assert pwc.kind == "calls"
    assert pwc.mapping == {
        "call_id": "Call Id",
        "agent": "Agent",
        "category": "Topic",
        "answered": "Answered (Y/N)",
        "resolved": "Resolved",
        "wait_s": "Speed of answer in seconds",
        "talk_s": "AvgTalkDuration",
        "csat": "Satisfaction rating",
        "arrived_at": ["Date", "Time"],
    }


def test_pwc_published_figures(pwc):
    frame = pwc.frame
    # PROVENANCE.md, "Published headline figures"
    assert len(frame) == 5000
    assert int(frame["answered"].sum()) == 4054
    assert int(frame["abandoned"].sum()) == 946
    assert (
        round(frame.loc[frame["answered"], "wait_s"].mean(), 2) == 67.52
    )  # ASA over answered calls
    assert int(frame.loc[frame["answered"], "wait_s"].sum()) == 273_729
    assert int(frame["csat"].notna().sum()) == 4054
    assert round(frame["csat"].mean(), 4) == 3.4036
    assert int(frame["resolved"].sum()) == 3646
    assert int((frame["csat"] >= 4).sum()) == 2023  # top-2-box count behind the "40.46 %"
    assert int(frame.loc[frame["answered"] & (frame["agent"] == "Jim")].shape[0]) == 536


def test_pwc_dimensions_times_and_talk(pwc):
    frame = pwc.frame
    assert sorted(frame["agent"].cat.categories) == [
        "Becky",
        "Dan",
        "Diane",
        "Greg",
        "Jim",
        "Joe",
        "Martha",
        "Stewart",
    ]
    assert sorted(frame["category"].cat.categories) == [
        "Admin Support",
        "Contract related",
        "Payment related",
        "Streaming",
        "Technical Support",
    ]
    # 2021-01-01 ... 2021-03-31, arrivals between 09:00 and 18:00 (PROVENANCE.md)
    assert frame["arrived_at"].min().normalize() == pd.Timestamp("2021-01-01")
    assert frame["arrived_at"].max().normalize() == pd.Timestamp("2021-03-31")
    hours = frame["arrived_at"].dt.hour
    assert hours.min() >= 9 and hours.max() <= 18
    # example row ID0001: 09:12:58, talk 00:02:23 = 143 s
    first = frame.loc[frame["call_id"] == "ID0001"].iloc[0]
    assert first["arrived_at"] == pd.Timestamp("2021-01-01 09:12:58")
    assert first["talk_s"] == pytest.approx(143.0, abs=0.5)
    # talk is about uniform on 30-420 s; mean 224.9 s over answered calls (PROVENANCE.md: 3:45)
    talk = frame.loc[frame["answered"], "talk_s"]
    assert talk.notna().all() and 29 <= talk.min() and talk.max() <= 421
    assert round(talk.mean(), 1) == pytest.approx(224.9, abs=0.1)
    # blanks exactly where Answered = N: wait missing on the 946 abandoned calls, reported as info
    assert frame.loc[frame["abandoned"], "wait_s"].isna().all()
    assert _problems(pwc)[("missing_wait", "wait_s")] == 946
    assert frame["arrived_at"].is_monotonic_increasing


# ----------------------------------------------------------------------------
# Technion "Anonymous Bank": with a mapping; every quirk counted
# ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def technion_rows():
    path = require_anchor(TECHNION)
    with open(path, newline="", encoding="ascii") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture(scope="module")
def technion():
    return load(require_anchor(TECHNION), TECHNION_MAPPING)


def test_bundled_technion_mapping_equals_the_test_mapping():
    assert (
        read_mapping(REPO / "ccmetrics" / "mappings" / "technion_anonymous_bank.json")
        == TECHNION_MAPPING
    )


def test_technion_record_counts(technion, technion_rows):
    outcomes = Counter(row["outcome"] for row in technion_rows)
    # PROVENANCE.md: 33,344 records, 278 PHANTOM
    assert len(technion_rows) == 33_344 and outcomes["PHANTOM"] == 278
    frame = technion.frame
    assert len(frame) == 33_344 - 278
    assert int(frame["answered"].sum()) == outcomes["AGENT"]  # 27,162
    assert int(frame["abandoned"].sum()) == outcomes["HANG"]  # 5,904
    assert frame["call_id"].is_unique
    problems = _problems(technion)
    assert problems[("phantom_call", "outcome")] == 278
    assert technion.encoding == "utf-8"


def test_technion_quirks_are_counted(technion, technion_rows):
    kept = [row for row in technion_rows if row["outcome"] != "PHANTOM"]
    negative_vru = sum(int(row["vru_time"]) < 0 for row in kept)
    # PROVENANCE.md counts 25 negative vru_time rows in the file; 2 of them are PHANTOM rows,
    # which are dropped first, so 23 values are set missing in the loaded frame.
    assert sum(int(row["vru_time"]) < 0 for row in technion_rows) == 25
    assert negative_vru == 23
    no_server = sum(row["outcome"] == "AGENT" and row["server"] == "NO_SERVER" for row in kept)
    assert no_server == 491  # PROVENANCE.md
    hang_no_queue_time = sum(row["outcome"] == "HANG" and int(row["q_time"]) == 0 for row in kept)
    zero_talk = sum(row["outcome"] == "AGENT" and int(row["ser_time"]) <= 0 for row in kept)
    assert zero_talk == 85  # PROVENANCE.md: 85 AGENT rows have ser_time <= 0

    problems = _problems(technion)
    assert problems[("negative_duration", "ivr_s")] == negative_vru
    assert problems[("answered_without_agent", "agent")] == no_server
    assert problems[("abandoned_zero_wait", "wait_s")] == hang_no_queue_time  # 1,972
    assert problems[("answered_zero_talk", "talk_s")] == zero_talk
    assert technion.frame["ivr_s"].isna().sum() == negative_vru


def test_technion_times_after_midnight(technion, technion_rows):
    def seconds(clock):
        h, m, s = map(int, clock.split(":"))
        return h * 3600 + m * 60 + s

    # A queue entry clock earlier than the VRU entry by more than 12 h is after midnight.
    crossing = [
        row
        for row in technion_rows
        if row["outcome"] != "PHANTOM"
        and row["q_start"] != "0:00:00"
        and seconds(row["q_start"]) < seconds(row["vru_entry"]) - 12 * 3600
    ]
    assert len(crossing) == 1  # 990210 23:59:56 VRU entry, queue entry 0:00:02
    assert _problems(technion)[("time_after_midnight", "queued_at")] == len(crossing)
    row = crossing[0]
    loaded = technion.frame.set_index("call_id").loc[f"{row['vru+line']}-{row['call_id']}"]
    assert loaded["arrived_at"] == pd.Timestamp("1999-02-11 00:00:02")
    # early-morning VRU entries are already dated correctly (e.g. 990202 1:02:25 sits, by call
    # id on its line, between 990201 23:29:39 and 990202 7:13:13): they are not moved.
    early = technion.frame.set_index("call_id").loc["AA0101-34610"]
    assert early["arrived_at"] == pd.Timestamp("1999-02-02 01:02:25")


def test_technion_values_and_dimensions(technion, technion_rows):
    frame = technion.frame.set_index("call_id")
    kept = [row for row in technion_rows if row["outcome"] != "PHANTOM"]
    # arrival = queue entry when queued, else VRU entry; wait = q_time; talk = ser_time
    first = frame.loc["AA0101-34539"]  # HANG after 5 s in queue, queued 8:09:22
    assert first["arrived_at"] == pd.Timestamp("1999-02-01 08:09:22")
    assert first["wait_s"] == 5.0 and bool(first["abandoned"]) and first["segment"] == "priority"
    served = frame.loc["AA0101-34536"]
    assert served["arrived_at"] == pd.Timestamp("1999-02-01 07:02:47")  # never queued: VRU entry
    assert served["talk_s"] == 166.0 and served["agent"] == "DORIT" and served["ivr_s"] == 9.0
    assert served["channel"] == "AA01" and served["category"] == "PS"
    assert pd.isna(served["customer_id"])  # customer 0 = not identified
    # totals by plain arithmetic over the kept rows
    assert technion.frame["wait_s"].sum() == sum(int(row["q_time"]) for row in kept)
    assert technion.frame["talk_s"].sum() == sum(int(row["ser_time"]) for row in kept)
    types = Counter(row["type"] for row in kept)
    assert technion.frame["category"].value_counts().to_dict() == dict(types)
    agents = {row["server"] for row in kept if row["server"] != "NO_SERVER"}
    assert set(technion.frame["agent"].cat.categories) == agents
    assert len(agents) == 24  # PROVENANCE.md: 24 named agents
    assert technion.frame["arrived_at"].is_monotonic_increasing


@pytest.fixture(scope="module")
def technion_default():
    return load(require_anchor(TECHNION))  # no mapping: as a new user loads it


def _technion_arrival(row) -> pd.Timestamp:
    """Arrival by hand: the queue entry when queued (0:00:00 = never), else the VRU entry,
    on the row's YYMMDD date; a queue entry over 12 h before the VRU entry is the next day."""
    date = pd.Timestamp(f"19{row['date'][:2]}-{row['date'][2:4]}-{row['date'][4:]}")

    def clock(text):
        h, m, s = map(int, text.split(":"))
        return pd.Timedelta(hours=h, minutes=m, seconds=s)

    entry = clock(row["vru_entry"])
    if row["q_start"] == "0:00:00":
        return date + entry
    queued = clock(row["q_start"])
    next_day = pd.Timedelta(days=1 if queued < entry - pd.Timedelta(hours=12) else 0)
    return date + queued + next_day


def test_technion_loads_by_default_with_every_call_at_its_time(technion_default, technion_rows):
    kept = [row for row in technion_rows if row["outcome"] != "PHANTOM"]
    frame = technion_default.frame
    # PROVENANCE.md: 33,344 records, 278 PHANTOM -> 33,066 calls, none lost to the id or the date
    assert len(kept) == 33_066 and len(frame) == len(kept)
    accounting = technion_default.row_accounting()
    assert accounting.file_rows == 33_344 == len(technion_rows)
    assert accounting.dropped == {"phantom_call": 278} and accounting.balanced
    # call_id repeats across VRU lines with different data: combined with vru+line, as the
    # bundled mapping does by hand
    assert technion_default.mapping["call_id"] == ["vru+line", "call_id"]
    assert technion_default.mapping["arrived_at"] == ["date", "vru_entry"]
    composite = technion_default.problems.set_index("code").loc["composite_call_id"]
    assert composite["params"]["partner"] == "vru+line"
    # every arrival time equals the one computed by hand from the file's clock columns
    expected = {f"{row['vru+line']}-{row['call_id']}": _technion_arrival(row) for row in kept}
    loaded = dict(zip(frame["call_id"], frame["arrived_at"], strict=True))
    assert loaded == expected
    times_of_day = {(t.hour, t.minute, t.second) for t in expected.values()}
    assert frame["arrived_at"].dt.time.nunique() == len(times_of_day) > 20_000
    # type is the category
    assert technion_default.mapping["category"] == "type"
    assert frame["category"].value_counts().to_dict() == dict(Counter(row["type"] for row in kept))
    assert int(frame["answered"].sum()) == sum(row["outcome"] == "AGENT" for row in kept)
    codes = set(technion_default.problems["code"])
    assert not codes & {"single_time_of_day", "many_rows_dropped", "duplicate_call_id"}
    # the same calls at the same times as with the bundled mapping
    mapped = load(require_anchor(TECHNION), TECHNION_MAPPING).frame
    pd.testing.assert_series_equal(
        frame.set_index("call_id")["arrived_at"].sort_index(),
        mapped.set_index("call_id")["arrived_at"].sort_index(),
    )


# ----------------------------------------------------------------------------
# Kaggle daily file: no dates, a running day index
# ----------------------------------------------------------------------------


def test_kaggle_daily_without_dates_asks_for_a_start_date():
    path = require_anchor(KAGGLE)
    with pytest.raises(LoadError) as info:
        load(path)
    assert info.value.code == "day_index_needs_start"
    assert "Index" in str(info.value) and "day_index_start" in str(info.value)


def test_kaggle_daily_with_a_start_date():
    path = require_anchor(KAGGLE)
    with open(path, newline="", encoding="ascii") as handle:
        rows = list(csv.DictReader(handle))
    result = load(path, {"options": {"day_index_start": "2020-01-01"}})
    frame = result.frame
    assert result.kind == "intervals" and len(frame) == len(rows) == 1251
    assert frame["interval_start"].iloc[0] == pd.Timestamp("2020-01-01")
    assert frame["interval_start"].iloc[-1] == pd.Timestamp("2020-01-01") + pd.Timedelta(days=1250)
    assert (frame["interval_minutes"] == 1440.0).all()
    assert frame["offered"].sum() == sum(int(row["Incoming Calls"]) for row in rows)
    assert frame["answered"].sum() == sum(int(row["Answered Calls"]) for row in rows)
    # row 1: 1,217,204,94.01%,13,0:00:17,0:02:14,0:02:45,76.28%  -> ASA 17 s x 204 answered = 3,468 s
    first = frame.iloc[0]
    assert first["wait_s_sum"] == 17 * 204
    assert first["talk_s_sum"] == (2 * 60 + 14) * 204
    assert first["reported_service_level"] == pytest.approx(0.7628)
    assert np.isnan(first["handle_s_sum"])  # no ACW in this file: AHT is not invented
