"""Real exports by default and row accounting in ccmetrics.io.

Every expected figure is counted here by hand from the generated text: the
rows written of each kind, the columns an export splits its arrival time
into, and the clock times written.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ccmetrics.io import MAPPING_CHECKS, load
from ccmetrics.io.problems import DROP_CODES
from tests.unit.test_io import _xlsx

HEADER = "call_id,arrived_at,wait_s,outcome,direction"

#: Each generated row kind and the problem code that drops it (None: loaded).
ROW_KINDS = {
    "good": None,
    "outbound": "outbound_call",
    "phantom": "phantom_call",
    "blank_date": "missing_datetime",
    "bad_date": "unparseable_datetime",
    "unknown_outcome": "neither_answered_nor_abandoned",
    "copy": "duplicate_call_id",  # an exact copy of an earlier good row
    "malformed": "malformed_row",  # two fields too many
}


def _row(kind: str, i: int) -> str:
    clock = f"2024-03-04 {8 + i // 3600 % 10:02d}:{i // 60 % 60:02d}:{i % 60:02d}"
    if kind == "outbound":
        return f"o{i},{clock},3,answered,outbound"
    if kind == "phantom":
        return f"p{i},{clock},3,phantom,inbound"
    if kind == "blank_date":
        return f"b{i},,3,answered,inbound"
    if kind == "bad_date":
        return f"x{i},not a date,3,answered,inbound"
    if kind == "unknown_outcome":
        return f"u{i},{clock},3,maybe,inbound"
    if kind == "malformed":
        return f"m{i},{clock},3,answered,inbound,extra,fields"
    outcome = "answered" if i % 3 else "abandoned"
    return f"g{i},{clock},{i % 50},{outcome},inbound"


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
@given(st.lists(st.sampled_from(sorted(ROW_KINDS)), min_size=0, max_size=60))
def test_rows_in_the_file_are_rows_loaded_plus_rows_dropped_per_reason(kinds):
    # three good rows first (a file of bad dates only is refused, and the sniffer needs
    # the header's field count to be the common one), malformed rows at most one in five
    kinds = ["good"] * 3 + kinds
    kinds = [k for n, k in enumerate(kinds) if k != "malformed" or n % 5 == 0]
    lines, good_rows, expected = [], [], {}
    for i, kind in enumerate(kinds):
        if kind == "copy":
            lines.append(good_rows[i % len(good_rows)])
        else:
            lines.append(_row(kind, i))
            if kind == "good":
                good_rows.append(lines[-1])
        if ROW_KINDS[kind]:
            expected[ROW_KINDS[kind]] = expected.get(ROW_KINDS[kind], 0) + 1
    result = load((HEADER + "\n" + "\n".join(lines) + "\n").encode())
    accounting = result.row_accounting()
    assert accounting.file_rows == len(lines)  # every data line is a row of the file
    assert accounting.loaded == len(result.frame) == kinds.count("good")
    assert accounting.dropped == expected and set(expected) <= set(DROP_CODES)
    assert accounting.file_rows == accounting.loaded + accounting.total_dropped
    assert accounting.balanced


def test_accounting_adds_up_when_ids_are_not_used_and_nothing_is_dropped():
    text = (
        "call_id,arrived_at,wait_s,answered\n"
        "a,2024-01-01 09:00:00,5,Y\n"
        "a,2024-01-01 09:02:00,7,N\n"  # same id, other data: not a duplicate
        "b,2024-01-01 09:04:00,8,Y\n"
    )
    result = load(text.encode())
    accounting = result.row_accounting()
    assert (accounting.file_rows, accounting.loaded, accounting.dropped) == (3, 3, {})
    problem = result.problems.set_index("code").loc["call_id_not_unique"]
    assert problem["level"] == "warning" and problem["rows"] == 1
    assert "call_id" not in result.mapping and result.frame["call_id"].is_unique


def test_repeated_ids_with_different_data_are_combined_with_the_line():
    # id 7 on two trunks (different calls), id 9 written twice identically (a true duplicate)
    text = (
        "Trunk,Call ID,Start Time,Wait (s),Answered\n"
        "T1,7,2024-05-06 09:00:00,4,Y\n"
        "T2,7,2024-05-06 09:00:30,9,N\n"
        "T1,9,2024-05-06 09:01:00,2,Y\n"
        "T1,9,2024-05-06 09:01:00,2,Y\n"
    )
    result = load(text.encode())
    assert result.mapping["call_id"] == ["Trunk", "Call ID"]
    assert result.frame["call_id"].tolist() == ["T1-7", "T2-7", "T1-9"]
    assert result.row_accounting().dropped == {"duplicate_call_id": 1}
    composite = result.problems.set_index("code").loc["composite_call_id"]
    assert composite["params"]["partner"] == "Trunk"


def test_a_given_mapping_keeps_its_id_and_is_flagged_when_it_drops_over_one_percent():
    text = "line,id,date,time,wait,answered\n" + "".join(
        f"L{i % 2},{i // 2},2024-05-06,09:{i // 60:02d}:{i % 60:02d},3,Y\n" for i in range(40)
    )
    mapping = {
        "call_id": "id",
        "arrived_at": ["date", "time"],
        "wait_s": "wait",
        "answered": "answered",
    }
    result = load(text.encode(), mapping)
    assert len(result.frame) == 20  # ids 0..19 each written on two lines: later rows dropped
    flagged = result.problems.set_index("code").loc["many_rows_dropped"]
    assert flagged["level"] == "warning" and flagged["rows"] == 20
    assert flagged["params"]["file_rows"] == 40 and flagged["params"]["share"] == 0.5
    assert (flagged["params"]["reason"], flagged["params"]["fix"]) == (
        "duplicate_call_id",
        "combine_call_id",
    )
    # by default the line makes the ids unique: every row is a call
    default = load(text.encode())
    assert len(default.frame) == 40 and default.mapping["call_id"] == ["line", "id"]
    assert not set(default.problems["code"]) & set(MAPPING_CHECKS)


def test_a_date_alone_as_arrival_time_is_flagged():
    text = "call_id,day,wait,answered\na,2024-05-06,3,Y\nb,2024-05-07,4,N\n"
    result = load(
        text.encode(),
        {"call_id": "call_id", "arrived_at": "day", "wait_s": "wait", "answered": "answered"},
    )
    flagged = result.problems.set_index("code").loc["single_time_of_day"]
    assert flagged["level"] == "warning" and flagged["params"]["time"] == "00:00:00"
    assert flagged["params"]["fix"] == "map_date_and_time" and flagged["rows"] == 2


def test_date_and_time_columns_make_the_arrival_time():
    # Chinese headers 日期 + 时间, YYYYMMDD dates
    text = (
        "通话编号,日期,时间,排队时长,是否接通\n1,20240506,09:15:02,3,是\n2,20240507,17:40:00,4,否\n"
    )
    result = load(text.encode())
    assert result.mapping["arrived_at"] == ["日期", "时间"]
    assert result.frame["arrived_at"].tolist() == [
        pd.Timestamp("2024-05-06 09:15:02"),
        pd.Timestamp("2024-05-07 17:40:00"),
    ]
    # YYMMDD dates and an IVR entry clock (H:MM:SS), the queue start clock after it
    text = (
        "call_id,date,vru_entry,q_start,q_time,outcome\n"
        "1,990201,7:02:47,0:00:00,0,AGENT\n"
        "2,990201,8:09:16,8:09:22,5,HANG\n"
        "3,990202,23:59:56,0:00:02,4,AGENT\n"
    )
    result = load(text.encode())
    assert result.mapping["arrived_at"] == ["date", "vru_entry"]
    assert result.mapping["queued_at"] == ["date", "q_start"]
    assert result.frame["arrived_at"].tolist() == [
        pd.Timestamp("1999-02-01 07:02:47"),  # never queued (0:00:00): the IVR entry
        pd.Timestamp("1999-02-01 08:09:22"),  # queued: the queue entry
        pd.Timestamp("1999-02-03 00:00:02"),  # queued after midnight: the next day
    ]
    codes = result.problems.set_index("code")
    assert codes.loc["midnight_as_missing", "rows"] == 1


def test_a_clock_column_with_an_unknown_header_completes_a_date():
    # "parked" looks like clock times too, but stays in the first hour: a duration, not a time
    text = (
        "call_id,date,parked,clock_in,wait_s,answered\n"
        "a,06/05/2024,0:02:14,9:15,3,Y\n"
        "b,06/05/2024,0:00:40,14:05,4,N\n"
    )
    result = load(text.encode())
    assert result.mapping["arrived_at"] == ["date", "clock_in"]
    assert result.frame["arrived_at"].dt.strftime("%H:%M").tolist() == ["09:15", "14:05"]
    assert "single_time_of_day" not in set(result.problems["code"])


def test_ids_that_restart_every_day_are_combined_with_the_date():
    text = (
        "id,date,time,wait,answered\n"
        "1,2024-05-06,09:00:00,3,Y\n"
        "2,2024-05-06,09:10:00,3,Y\n"
        "1,2024-05-07,09:00:00,5,N\n"
        "2,2024-05-07,09:30:00,3,Y\n"
    )
    result = load(text.encode())
    assert result.mapping["call_id"] == ["date", "id"]
    assert result.frame["call_id"].tolist() == [
        "2024-05-06-1",
        "2024-05-06-2",
        "2024-05-07-1",
        "2024-05-07-2",
    ]
    assert result.row_accounting().dropped == {}


def test_date_and_clock_cells_of_parquet_and_excel_make_the_arrival_time(tmp_path):
    import datetime as dt

    frame = pd.DataFrame(
        {
            "call_id": ["a", "b"],
            "day": [dt.date(2024, 5, 6), dt.date(2024, 5, 7)],
            "clock_in": [dt.time(9, 15, 2), dt.time(14, 5)],
            "wait_s": [3, 4],
            "answered": [True, False],
        }
    )
    expected = [pd.Timestamp("2024-05-06 09:15:02"), pd.Timestamp("2024-05-07 14:05:00")]
    frame.to_parquet(tmp_path / "calls.parquet")
    # Excel: dates as text, clock times as h:mm:ss-formatted fractions of a day
    rows = [list(frame.columns)] + [
        ["a", "2024-05-06", (9 * 3600 + 15 * 60 + 2) / 86400, 3, "Y"],
        ["b", "2024-05-07", (14 * 3600 + 5 * 60) / 86400, 4, "N"],
    ]
    (tmp_path / "calls.xlsx").write_bytes(_xlsx({"Calls": rows}, time_columns=(2,)))
    for name in ("calls.parquet", "calls.xlsx"):
        result = load(tmp_path / name)
        assert result.mapping["arrived_at"] == ["day", "clock_in"], name
        assert result.frame["arrived_at"].tolist() == expected, name
