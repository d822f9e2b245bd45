"""ccmetrics.io reads the IVR stage: self-service, IVR hang-ups, IVR time and the menu path.

Two vendor-style exports are written here as small fixtures (an Amazon Connect-style
contact trace export and a Chinese platform export in GBK); every expected value is read
off the fixture rows by hand. The Technion bank file (../shared/anchors, never copied)
is checked against counts made with the standard-library csv module.
"""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest

from ccmetrics import kpi
from ccmetrics.io import MappingError, load, read_mapping, validate_mapping
from tests.conftest import REPO_ROOT, require_anchor

TECHNION = "data/technion-anonymous-bank/data_anonymous_bank_february.txt"

# Amazon Connect-style contact trace records (headers as its contact search export names them,
# plus an "Abandoned" flag): c-002 and c-005 served by self-service, c-004 hung up in the menu
# (no enqueue time), c-003 abandoned in the Data queue, c-001 answered.
CONNECT_CTR = (
    b"Contact ID,Initiation timestamp,Enqueue timestamp,Queue,Queue duration,Agent,"
    b"Agent interaction duration,After contact work duration,Contact flow,IVR duration,"
    b"Self-service,Abandoned\n"
    b"c-001,2025-02-03 09:00:05,2025-02-03 09:00:50,Billing,12,alice,180,30,"
    b"Main > Billing > Agent,45,FALSE,FALSE\n"
    b"c-002,2025-02-03 09:01:10,,,,,,,Main > Billing > Balance,70,TRUE,FALSE\n"
    b"c-003,2025-02-03 09:02:00,2025-02-03 09:02:40,Data,95,,,,Main -> Data -> Agent,40,FALSE,TRUE\n"
    b"c-004,2025-02-03 09:03:30,,,,,,,Main > Roaming,20,FALSE,TRUE\n"
    b"c-005,2025-02-03 09:04:00,,,,,,,Main>Data>Usage,55,TRUE,FALSE\n"
)

# A Chinese platform export (GBK): 自助 = served by self-service, IVR挂机 = hung up in the IVR,
# 转人工 = asked for an agent. Z5 has no outcome at all: dropped and counted.
ZH_IVR = (
    "流水号,来电时间,技能组,排队时长,是否接通,是否放弃,通话时长,IVR时长,IVR路径,自助,IVR挂机,转人工\n"
    "Z1,2025-02-03 09:00:00,话费,10,是,否,0:03:00,30,话费查询 > 转人工,否,否,是\n"
    "Z2,2025-02-03 09:05:00,,,否,否,,50,话费查询 > 余额,是,否,否\n"
    "Z3,2025-02-03 09:06:00,,,否,否,,12,流量,否,是,否\n"
    "Z4,2025-02-03 09:07:00,流量,80,否,是,,25,流量→转人工,否,否,是\n"
    "Z5,2025-02-03 09:08:00,,,否,否,,,,,,\n"
).encode("gbk")


def _codes(result) -> dict:
    return {row.code: row.rows for row in result.problems.itertuples()}


def test_connect_style_export_maps_every_ivr_column_by_default():
    result = load(CONNECT_CTR)
    mapping = result.mapping
    assert mapping["ivr_s"] == "IVR duration" and mapping["ivr_contained"] == "Self-service"
    assert mapping["ivr_path"] == "Contact flow" and mapping["queued_at"] == "Enqueue timestamp"
    # an abandoned call without an enqueue time hung up in the IVR: the automatic mapping says so
    assert mapping["options"] == {"ivr_abandon_before_queue": True}
    frame = result.frame.set_index("call_id")
    assert frame["ivr_contained"].tolist() == [False, True, False, False, True]
    assert frame["ivr_abandoned"].tolist() == [False, False, False, True, False]
    assert frame["ivr_s"].tolist() == [45.0, 70.0, 40.0, 20.0, 55.0]
    # the menu path re-joined with " > " whatever the separator
    assert frame["ivr_path"].astype(str).tolist() == [
        "Main > Billing > Agent",
        "Main > Billing > Balance",
        "Main > Data > Agent",
        "Main > Roaming",
        "Main > Data > Usage",
    ]
    # IVR-only rows c-002, c-004, c-005: neither answered nor abandoned, loaded, not dropped
    assert frame["answered"].tolist() == [True, False, False, False, False]
    assert frame["abandoned"].tolist() == [False, False, True, False, False]
    accounting = result.row_accounting()
    assert (accounting.file_rows, accounting.loaded, accounting.dropped) == (5, 5, {})
    codes = _codes(result)
    assert codes["ivr_only_calls"] == 3 and codes["ivr_abandon_before_queue"] == 1
    assert "missing_wait" not in codes  # the IVR-only rows never waited in a queue


def test_connect_style_export_kpis_by_hand():
    row = kpi.compute(load(CONNECT_CTR).frame).iloc[0]
    # offered: c-001 answered, c-003 abandoned -> 2; answered 1
    assert (row.offered, row.answered, row.abandoned) == (2, 1, 1)
    # 5 calls entered the IVR: 2 self-served (c-002, c-005), 1 hung up there (c-004)
    assert (row.ivr_n, row.ivr_contained, row.ivr_abandoned_n) == (5, 2, 1)
    assert row.ivr_containment == pytest.approx(2 / 5)
    assert row.ivr_abandon_rate == pytest.approx(1 / 5)
    # mean IVR time (45 + 70 + 40 + 20 + 55) / 5
    assert row.ivr_s == pytest.approx(46.0) and row.ivr_time_n == 5


def test_chinese_export_maps_self_service_ivr_hang_ups_and_the_menu_path():
    result = load(ZH_IVR)
    mapping = result.mapping
    assert mapping["ivr_contained"] == "自助" and mapping["ivr_abandoned"] == "IVR挂机"
    assert mapping["ivr_path"] == "IVR路径" and mapping["ivr_s"] == "IVR时长"
    assert "options" not in mapping  # an IVR-abandon column: nothing to infer
    frame = result.frame.set_index("call_id")
    assert frame.index.tolist() == ["Z1", "Z2", "Z3", "Z4"]
    assert frame["ivr_contained"].tolist() == [False, True, False, False]
    assert frame["ivr_abandoned"].tolist() == [False, False, True, False]
    assert frame["ivr_path"].astype(str).tolist() == [
        "话费查询 > 转人工",
        "话费查询 > 余额",
        "流量",
        "流量 > 转人工",
    ]
    assert (frame["answered"] | frame["abandoned"]).tolist() == [True, False, False, True]
    # rows in the file = loaded + dropped: Z5 has no outcome and no IVR flag
    accounting = result.row_accounting()
    assert (accounting.file_rows, accounting.loaded) == (5, 4)
    assert accounting.dropped == {"neither_answered_nor_abandoned": 1} and accounting.balanced
    assert _codes(result)["ivr_only_calls"] == 2
    row = kpi.compute(result.frame).iloc[0]
    # Z1-Z4 entered the IVR; Z2 self-served, Z3 hung up; offered Z1 and Z4
    assert (row.offered, row.ivr_n, row.ivr_contained, row.ivr_abandoned_n) == (2, 4, 1, 1)
    assert row.ivr_s == pytest.approx((30 + 50 + 12 + 25) / 4)


def test_ivr_outcomes_in_an_outcome_column():
    text = (
        b"call id,arrival time,wait,outcome,talk,ivr time\n"
        b"1,2025-02-03 09:00:00,10,ANSWERED,100,20\n"
        b"2,2025-02-03 09:01:00,,Self-service,,60\n"
        b"3,2025-02-03 09:02:00,,IVR abandoned,,15\n"
        b"4,2025-02-03 09:03:00,30,Abandoned,,25\n"
    )
    frame = load(text).frame
    assert frame["ivr_contained"].tolist() == [False, True, False, False]
    assert frame["ivr_abandoned"].tolist() == [False, False, True, False]
    assert frame["answered"].tolist() == [True, False, False, False]
    assert frame["abandoned"].tolist() == [False, False, False, True]


def test_an_answered_call_flagged_as_self_served_stays_answered():
    text = (
        b"call_id,arrived_at,wait_s,answered,ivr_contained\n"
        b"1,2025-02-03 09:00:00,10,Y,Y\n"
        b"2,2025-02-03 09:01:00,,N,Y\n"
    )
    result = load(text)
    frame = result.frame
    assert frame["answered"].tolist() == [True, False]
    assert frame["ivr_contained"].tolist() == [False, True]
    problems = result.problems.set_index("code")
    assert problems.loc["ivr_only_but_answered", "rows"] == 1
    assert problems.loc["ivr_only_but_answered", "level"] == "warning"


def test_the_option_is_validated_and_can_be_turned_off():
    assert validate_mapping({"options": {"ivr_abandon_before_queue": False}}) == {
        "options": {"ivr_abandon_before_queue": False}
    }
    with pytest.raises(MappingError) as info:
        validate_mapping({"options": {"ivr_abandon_before_queue": "yes"}})
    assert info.value.code == "mapping_bad_ivr_abandon_before_queue"
    result = load(CONNECT_CTR, {"options": {"ivr_abandon_before_queue": False}})
    frame = result.frame.set_index("call_id")
    # c-004 is then a queue abandon with an unknown wait; no IVR-abandon flag is read
    assert frame["ivr_abandoned"].isna().all()
    assert bool(frame.loc["c-004", "abandoned"])
    assert "options" in result.mapping and result.mapping["options"] == {
        "ivr_abandon_before_queue": False
    }


# ----------------------------------------------------------------------------
# Technion "Anonymous Bank": the VRU columns by default
# ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def technion_rows():
    path = require_anchor(TECHNION)
    with open(path, newline="", encoding="ascii") as handle:
        return [row for row in csv.DictReader(handle, delimiter="\t")]


@pytest.mark.anchors
def test_technion_vru_columns_by_default(technion_rows):
    kept = [row for row in technion_rows if row["outcome"] != "PHANTOM"]
    result = load(require_anchor(TECHNION))
    mapping = result.mapping
    assert mapping["ivr_s"] == "vru_time" and mapping["queued_at"] == ["date", "q_start"]
    assert mapping["options"]["ivr_abandon_before_queue"] is True
    frame = result.frame
    # PROVENANCE.md: 1,941 HANG rows never reached the queue (q_start 0:00:00): they hung up
    # in the VRU. Counted here with the csv module.
    vru_hang = sum(row["outcome"] == "HANG" and row["q_start"] == "0:00:00" for row in kept)
    queue_hang = sum(row["outcome"] == "HANG" and row["q_start"] != "0:00:00" for row in kept)
    assert vru_hang == 1_941 and queue_hang == 3_963
    assert int(frame["ivr_abandoned"].sum()) == vru_hang
    assert int(frame["abandoned"].sum()) == queue_hang
    assert int(frame["answered"].sum()) == sum(row["outcome"] == "AGENT" for row in kept)
    # the file records no self-service outcome: containment is not claimed
    assert frame["ivr_contained"].isna().all()
    accounting = result.row_accounting()
    assert accounting.loaded == len(kept) and accounting.dropped == {"phantom_call": 278}
    row = kpi.compute(frame).iloc[0]
    assert row.offered == len(kept) - vru_hang  # 31,125
    assert row.ivr_n == len(kept) and row.ivr_abandoned_n == vru_hang
    assert np.isnan(row.ivr_containment)
    # mean VRU time over the rows with a valid (non-negative) vru_time
    times = [int(row["vru_time"]) for row in kept if int(row["vru_time"]) >= 0]
    assert row.ivr_time_n == len(times) and row.ivr_s == pytest.approx(sum(times) / len(times))


@pytest.mark.anchors
def test_technion_bundled_mapping_keeps_queue_abandons_as_given(technion_rows):
    # the shipped mapping names no IVR-abandon rule: every HANG stays an abandoned call
    mapping = read_mapping(REPO_ROOT / "ccmetrics" / "mappings" / "technion_anonymous_bank.json")
    frame = load(require_anchor(TECHNION), mapping).frame
    assert int(frame["abandoned"].sum()) == sum(row["outcome"] == "HANG" for row in technion_rows)
    assert not frame["ivr_abandoned"].notna().any()


def test_menu_paths_are_text_not_markup():
    text = (
        b"call_id,arrived_at,wait_s,answered,ivr path\n"
        b'1,2025-02-03 09:00:00,10,Y,"**Billing** > [Balance](javascript:x)"\n'
    )
    path = load(text).frame["ivr_path"].astype(str).iloc[0]
    assert path == "**Billing** > [Balance](javascript:x)"
    assert isinstance(load(text).frame["ivr_path"].dtype, pd.CategoricalDtype)
