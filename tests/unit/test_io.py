"""Tests for ccmetrics.io (loading exports into canonical frames).

Every sample is built here by hand, 3-5 rows, and every expected value is worked
out in the test from those rows (the arithmetic is written next to the assert).
Vendor header names come from the vendors' documented exports (see the
SYNONYMS table in ccmetrics/io.py; Five9 call-log headers as in public Five9
CALL LOG JSON exports, Avaya CMS hsplit column names, Amazon Connect contact
record fields, Cisco UCCE Call_Type_Interval fields).
"""

from __future__ import annotations

import doctest
import gzip
import hashlib
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import ccmetrics.io as cio
from ccmetrics.io import LoadError, guess_kind, guess_mapping, load, read_mapping, save_mapping
from ccmetrics.schema import CALL_COLUMNS, INTERVAL_COLUMNS

REPO = Path(__file__).resolve().parents[2]

PLAIN = (
    "call_id,arrived_at,queue,wait_s,answered,talk_s\n"
    "c1,2024-03-01 09:00:05,Sales,12,Y,100\n"
    "c2,2024-03-01 09:01:00,Sales,40,N,\n"
    "c3,2024-03-01 08:59:00,Billing,3,Y,250\n"
)


def _problem(result, code):
    rows = result.problems[result.problems["code"] == code]
    assert len(rows) == 1, f"expected one {code!r} problem, got {result.problems[['code', 'rows']]}"
    return rows.iloc[0]


def _codes(result):
    return set(result.problems["code"])


def _xlsx(sheets: dict[str, list[list]], time_columns=()) -> bytes:
    """A minimal xlsx: inline strings, numbers, and h:mm:ss-formatted numbers in ``time_columns``."""

    def cell_ref(col, row):
        return f"{chr(ord('A') + col)}{row}"

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        names = list(sheets)
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            + "".join(
                f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                for i in range(len(names))
            )
            + "</Types>",
        )
        z.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            + "".join(
                f'<sheet name="{n}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
                for i, n in enumerate(names)
            )
            + "</sheets></workbook>",
        )
        z.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            + "".join(
                f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                f'Target="worksheets/sheet{i + 1}.xml"/>'
                for i in range(len(names))
            )
            + f'<Relationship Id="rId{len(names) + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            "</Relationships>",
        )
        z.writestr(
            "xl/styles.xml",
            '<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<fonts count="1"><font/></fonts><fills count="1"><fill/></fills><borders count="1"><border/></borders>'
            '<cellStyleXfs count="1"><xf/></cellStyleXfs>'
            '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="21" applyNumberFormat="1"/></cellXfs>'
            "</styleSheet>",
        )
        for i, (_name, rows) in enumerate(sheets.items()):
            xml_rows = []
            for r, row in enumerate(rows, start=1):
                cells = []
                for c, value in enumerate(row):
                    ref = cell_ref(c, r)
                    if value is None:
                        continue
                    if isinstance(value, str):
                        cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>')
                    else:
                        style = ' s="1"' if (c in time_columns and r > 1) else ""
                        cells.append(f'<c r="{ref}"{style}><v>{value!r}</v></c>')
                xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
            z.writestr(
                f"xl/worksheets/sheet{i + 1}.xml",
                '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f"<sheetData>{''.join(xml_rows)}</sheetData></worksheet>",
            )
    return buffer.getvalue()


# ----------------------------------------------------------------------------
# Canonical output
# ----------------------------------------------------------------------------


def test_plain_csv_gives_canonical_frame_sorted_by_arrival():
    result = load(PLAIN.encode())
    frame = result.frame
    assert result.kind == "calls"
    assert result.encoding == "utf-8"
    assert list(frame.columns) == list(CALL_COLUMNS)
    # c3 arrived 08:59, before c1 (09:00:05) and c2 (09:01)
    assert frame["call_id"].tolist() == ["c3", "c1", "c2"]
    assert frame["wait_s"].tolist() == [3.0, 12.0, 40.0]
    assert frame["answered"].tolist() == [True, True, False]
    assert frame["abandoned"].tolist() == [False, False, True]
    assert frame["talk_s"].iloc[:2].tolist() == [250.0, 100.0] and np.isnan(frame["talk_s"].iloc[2])
    assert frame["arrived_at"].iloc[0] == pd.Timestamp("2024-03-01 08:59:00")


def test_dtypes_follow_schema():
    frame = load(PLAIN.encode()).frame
    expected = {
        "string": "string",
        "datetime": "datetime64[ns]",
        "category": "category",
        "float": "float64",
        "bool": "bool",
        "boolean": "boolean",
    }
    for column, kind in CALL_COLUMNS.items():
        assert str(frame[column].dtype) == expected[kind], column
    assert list(frame["queue"].cat.categories) == ["Billing", "Sales"]


def test_answered_and_abandoned_exactly_one_true():
    frame = load(PLAIN.encode()).frame
    assert (frame["answered"] ^ frame["abandoned"]).all()


def test_problems_frame_columns_and_derived_info():
    result = load(PLAIN.encode())
    assert list(result.problems.columns) == ["level", "code", "column", "rows", "message", "params"]
    derived = _problem(result, "derived_answered")
    assert derived["level"] == "info" and derived["column"] == "abandoned" and derived["rows"] == 3


# ----------------------------------------------------------------------------
# Formats and sources
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_delimiters_are_sniffed(delimiter):
    text = PLAIN.replace(",", delimiter)
    frame = load(text.encode()).frame
    assert frame["call_id"].tolist() == ["c3", "c1", "c2"]
    assert frame["wait_s"].sum() == 55.0  # 3 + 12 + 40


def test_semicolon_file_with_decimal_commas():
    text = "call_id;arrived_at;wait_s;answered\na;2024-03-01 09:00:00;12,5;1\nb;2024-03-01 09:05:00;1.234,0;0\n"
    # "12,5" is a decimal comma; "1.234,0" has a dot for thousands and a decimal comma
    result = load(text.encode())
    assert result.frame["wait_s"].tolist() == [12.5, 1234.0]
    assert "unparseable_number" not in set(result.problems["code"])


def test_gzip_csv_detected_by_magic_bytes():
    result = load(gzip.compress(PLAIN.encode()))
    assert len(result.frame) == 3 and result.format == "csv"


def test_zip_with_one_csv():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("export.csv", PLAIN)
    assert len(load(buffer.getvalue()).frame) == 3


def test_parquet_with_canonical_names_loads_with_identity_mapping(tmp_path):
    frame = load(PLAIN.encode()).frame
    path = tmp_path / "calls.parquet"
    frame.to_parquet(path)
    again = load(path)
    assert again.format == "parquet" and again.encoding is None
    assert again.mapping["call_id"] == "call_id" and again.mapping["arrived_at"] == "arrived_at"
    pd.testing.assert_frame_equal(again.frame, frame)


def test_xlsx_first_sheet_and_named_sheet():
    # Time cells stored as Excel fractions of a day with an h:mm:ss format:
    # 0.375 day = 9:00:00, 0.0015625 day = 135 s
    rows = [
        [
            "Call Id",
            "Date",
            "Time",
            "Answered (Y/N)",
            "Speed of answer in seconds",
            "AvgTalkDuration",
        ],
        ["ID1", "2021-01-01", 0.375, "Y", 20, 0.0015625],
        ["ID2", "2021-01-01", 0.5, "N", None, None],
    ]
    other = [["call_id", "arrived_at", "wait_s", "abandoned"], ["x", "2021-02-01 10:00:00", 5, "1"]]
    data = _xlsx({"Calls": rows, "Other": other}, time_columns=(2, 5))
    result = load(data)
    assert result.format == "excel"
    assert result.mapping["arrived_at"] == ["Date", "Time"]
    assert result.frame["arrived_at"].tolist() == [
        pd.Timestamp("2021-01-01 09:00"),
        pd.Timestamp("2021-01-01 12:00"),
    ]
    assert result.frame["talk_s"].iloc[0] == pytest.approx(135.0)
    second = load(data, sheet="Other")
    assert second.frame["call_id"].tolist() == ["x"] and second.frame["abandoned"].tolist() == [
        True
    ]
    assert load(data, sheet=1).frame["call_id"].tolist() == ["x"]


def test_xlsx_unknown_sheet_names_the_sheets():
    data = _xlsx(
        {
            "Calls": [
                ["call_id", "arrived_at", "wait_s", "answered"],
                ["a", "2024-01-01 09:00:00", 1, "Y"],
            ]
        }
    )
    with pytest.raises(LoadError, match="Found sheets: Calls") as info:
        load(data, sheet="Nope")
    assert info.value.code == "bad_sheet"


def test_path_str_and_file_object_sources(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text(PLAIN, encoding="utf-8")
    assert len(load(str(path)).frame) == 3
    assert len(load(path).frame) == 3

    class Upload(io.BytesIO):  # like st.file_uploader's UploadedFile: .read() and .name
        name = "export.csv"

    upload = Upload(PLAIN.encode())
    upload.read()  # already read once by the app: load rewinds
    result = load(upload)
    assert len(result.frame) == 3 and result.source_name == "export.csv"


def test_preamble_lines_above_header_are_skipped():
    text = "Call log report\nGenerated 2024-03-02\n" + PLAIN
    result = load(text.encode())
    assert len(result.frame) == 3
    assert _problem(result, "skipped_preamble")["rows"] == 2


def test_malformed_rows_are_skipped_and_counted():
    text = PLAIN + "c4,2024-03-01 09:30:00,Sales,5\n"  # 4 fields instead of 6
    result = load(text.encode())
    assert len(result.frame) == 3
    assert _problem(result, "malformed_row")["rows"] == 1


# ----------------------------------------------------------------------------
# Encodings
# ----------------------------------------------------------------------------

ZH = (
    "流水号,来电时间,技能组,排队时长,是否接通,是否放弃,通话时长,坐席工号\n"
    "z1,2024-05-01 10:00:00,宽带,15,是,否,0:03:25,A01\n"
    "z2,2024-05-01 10:02:00,宽带,70,否,是,,\n"
)


@pytest.mark.parametrize(
    ("encode", "reported"),
    [
        (lambda t: t.encode("utf-8"), "utf-8"),
        (lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"), "utf-8-sig"),
        (lambda t: t.encode("utf-16"), "utf-16"),  # Python writes a BOM
        (lambda t: t.encode("gbk"), "gb18030"),
    ],
)
def test_encodings(encode, reported):
    result = load(encode(ZH))
    assert result.encoding == reported
    frame = result.frame
    assert frame["queue"].tolist() == ["宽带", "宽带"]
    assert frame["talk_s"].iloc[0] == 205.0  # 0:03:25 = 3*60 + 25
    assert frame["answered"].tolist() == [True, False]


def test_explicit_encoding_and_wrong_encoding():
    assert load(ZH.encode("gbk"), encoding="gbk").encoding == "gbk"
    with pytest.raises(LoadError) as info:
        load(ZH.encode("utf-16"), encoding="ascii")
    assert info.value.code == "encoding_failed"


def test_bundled_gbk_sample_loads_without_mapping():
    path = REPO / "sample_data" / "calls_zh_gbk.csv.gz"
    if not path.exists():
        pytest.skip("sample_data/calls_zh_gbk.csv.gz not generated yet")
    result = load(path)
    assert result.encoding in ("gb18030", "gbk")
    expected = {
        "call_id": "流水号",
        "arrived_at": "来电时间",
        "queue": "技能组",
        "category": "业务类型",
        "segment": "客户品牌",
        "team": "班组",
        "agent": "坐席工号",
        "customer_id": "客户号码",
        "wait_s": "排队时长",
        "answered": "是否接通",
        "abandoned": "是否放弃",
        "talk_s": "通话时长",
        "hold_s": "保持时长",
        "acw_s": "话后处理时长",
        "transferred": "是否转接",
        "csat": "满意度",
        "qa_score": "质检得分",
    }
    assert {k: result.mapping[k] for k in expected} == expected
    frame = result.frame
    # the calls that ended in the IVR (自助 or IVR挂机) are neither answered nor abandoned
    ended_in_ivr = (frame["ivr_contained"] | frame["ivr_abandoned"]).to_numpy(dtype=bool)
    assert (
        result.mapping["ivr_contained"] == "自助" and result.mapping["ivr_abandoned"] == "IVR挂机"
    )
    assert (frame["answered"] ^ frame["abandoned"])[~ended_in_ivr].all()
    assert not (frame["answered"] | frame["abandoned"])[ended_in_ivr].any()
    assert frame["customer_id"].dropna().str.fullmatch(r"\d{11}").all()


# ----------------------------------------------------------------------------
# Vendor header sets (hand-made 3-5 row samples with the vendors' header names)
# ----------------------------------------------------------------------------


def test_five9_call_log():
    text = (
        "CALL ID,TIMESTAMP,CAMPAIGN,SKILL,CALL TYPE,AGENT,AGENT NAME,DISPOSITION,ANI,DNIS,"
        "IVR TIME,QUEUE WAIT TIME,TALK TIME,HOLD TIME,AFTER CALL WORK TIME,TRANSFERS,ABANDONED\n"
        '101,"Thu, 27 Oct 2016 14:51:34",Support,Billing,Inbound,jo@x.com,Jo,Resolved,5551234,800,'
        "00:00:10,00:00:42,00:05:00,00:00:30,00:01:00,0,0\n"
        '102,"Thu, 27 Oct 2016 14:55:00",Support,Billing,Inbound,[None],,Abandon,5559876,800,'
        "00:00:08,00:01:15,00:00:00,00:00:00,00:00:00,0,1\n"
        '103,"Thu, 27 Oct 2016 15:01:10",Support,Billing,Outbound,jo@x.com,Jo,Sale,5550000,800,'
        "00:00:00,00:00:00,00:02:00,00:00:00,00:00:20,0,0\n"
    )
    result = load(text.encode())
    m = result.mapping
    assert (
        m["call_id"] == "CALL ID"
        and m["arrived_at"] == "TIMESTAMP"
        and m["wait_s"] == "QUEUE WAIT TIME"
    )
    assert (
        m["acw_s"] == "AFTER CALL WORK TIME"
        and m["abandoned"] == "ABANDONED"
        and m["direction"] == "CALL TYPE"
    )
    assert m["queue"] == "SKILL" and m["agent"] == "AGENT"
    frame = result.frame
    # call 103 is outbound -> dropped and counted
    assert frame["call_id"].tolist() == ["101", "102"]
    assert _problem(result, "outbound_call")["rows"] == 1
    assert frame["arrived_at"].iloc[0] == pd.Timestamp("2016-10-27 14:51:34")
    assert frame["wait_s"].tolist() == [42.0, 75.0]  # 00:01:15 = 75 s
    assert (
        frame["talk_s"].iloc[0] == 300.0
        and frame["hold_s"].iloc[0] == 30.0
        and frame["acw_s"].iloc[0] == 60.0
    )
    assert frame["ivr_s"].tolist() == [10.0, 8.0]
    assert frame["abandoned"].tolist() == [False, True] and frame["answered"].tolist() == [
        True,
        False,
    ]
    assert frame["agent"].tolist()[0] == "jo@x.com" and pd.isna(frame["agent"].iloc[1])  # "[None]"
    assert frame["transferred"].tolist() == [False, False]


def test_amazon_connect_flattened_contact_records():
    text = (
        "ContactId,Channel,InitiationMethod,InitiationTimestamp,Queue.Name,Queue.EnqueueTimestamp,Queue.Duration,"
        "Agent.Username,Agent.ConnectedToAgentTimestamp,Agent.AgentInteractionDuration,Agent.CustomerHoldDuration,"
        "Agent.AfterContactWorkDuration,CustomerEndpoint.Address\n"
        "c-1,VOICE,INBOUND,2024-02-01T09:00:00Z,Support,2024-02-01T09:00:20Z,30,ann,2024-02-01T09:00:50Z,200,15,40,+15550001\n"
        "c-2,VOICE,INBOUND,2024-02-01T09:10:00Z,Support,2024-02-01T09:10:12Z,95,,,,,,+15550002\n"
        "c-3,VOICE,OUTBOUND,2024-02-01T09:20:00Z,Support,,,ann,2024-02-01T09:20:05Z,60,0,10,+15550003\n"
    )
    result = load(text.encode())
    m = result.mapping
    assert m["call_id"] == "ContactId" and m["queued_at"] == "Queue.EnqueueTimestamp"
    assert m["wait_s"] == "Queue.Duration" and m["talk_s"] == "Agent.AgentInteractionDuration"
    assert (
        m["hold_s"] == "Agent.CustomerHoldDuration"
        and m["acw_s"] == "Agent.AfterContactWorkDuration"
    )
    assert (
        m["answered_at"] == "Agent.ConnectedToAgentTimestamp"
        and m["direction"] == "InitiationMethod"
    )
    frame = result.frame
    assert frame["call_id"].tolist() == ["c-1", "c-2"]  # c-3 outbound
    # arrival = queue entry (DESIGN.md), in UTC wall-clock time with the zone dropped
    assert frame["arrived_at"].tolist() == [
        pd.Timestamp("2024-02-01 09:00:20"),
        pd.Timestamp("2024-02-01 09:10:12"),
    ]
    assert "timezone_dropped" in _codes(result)
    # answered = an answer timestamp exists
    assert frame["answered"].tolist() == [True, False]
    assert frame["talk_s"].iloc[0] == 200.0 and frame["channel"].iloc[0] == "VOICE"
    assert frame["customer_id"].tolist() == ["+15550001", "+15550002"]


def test_genesys_cloud_interactions_export():
    text = (
        "Conversation ID,Date,Direction,Queue,Users - Interacted,Media Type,Total Queue,Total Talk,Total Hold,"
        "Total ACW,Abandoned,Wrap-up\n"
        "g1,1/05/2024 9:15:00 AM,Inbound,Care,Ann Lee,voice,00:00:25,00:04:10,00:00:00,00:00:45,NO,Billing\n"
        "g2,1/05/2024 1:40:30 PM,Inbound,Care,,voice,00:02:05,,,,YES,\n"
        "g3,1/06/2024 10:00:00 AM,Inbound,Care,Bo Chan,voice,00:00:05,00:01:00,00:00:10,00:00:20,NO,Tech\n"
    )
    result = load(text.encode())
    m = result.mapping
    assert (
        m["call_id"] == "Conversation ID"
        and m["arrived_at"] == "Date"
        and m["wait_s"] == "Total Queue"
    )
    assert (
        m["agent"] == "Users - Interacted"
        and m["category"] == "Wrap-up"
        and m["abandoned"] == "Abandoned"
    )
    frame = result.frame
    # month-first: 1/06/2024 is January 6 (both day- and month-first fit these values; US export default)
    assert frame["arrived_at"].tolist() == [
        pd.Timestamp("2024-01-05 09:15:00"),
        pd.Timestamp("2024-01-05 13:40:30"),
        pd.Timestamp("2024-01-06 10:00:00"),
    ]
    assert "ambiguous_date_format" in _codes(result)
    assert frame["wait_s"].tolist() == [25.0, 125.0, 5.0]
    assert frame["abandoned"].tolist() == [False, True, False]
    dayfirst = load(text.encode(), {"options": {"dayfirst": True}})
    assert dayfirst.frame["arrived_at"].iloc[2] == pd.Timestamp("2024-06-01 10:00:00")


def test_talkdesk_calls_report():
    text = (
        "Interaction ID,Direction,Contact Type,Started At,Wait Time,Talk Time,Hold Time,After Call Work Time,"
        "User Name,Team Name,Ring Groups,Transfer Out (Yes/No),Contact Phone Number\n"
        "t1,inbound,inbound,2024-04-02 08:00:00,00:00:12,00:03:00,00:00:00,00:00:30,Ana,Blue,support,No,351900000001\n"
        "t2,inbound,abandoned,2024-04-02 08:01:00,00:00:50,,,,,,support,,351900000002\n"
        "t3,inbound,short_abandoned,2024-04-02 08:02:00,00:00:03,,,,,,support,,351900000003\n"
        "t4,inbound,voicemail,2024-04-02 08:03:00,00:00:40,,,,,,support,,351900000004\n"
    )
    result = load(text.encode())
    m = result.mapping
    assert (
        m["call_id"] == "Interaction ID"
        and m["outcome"] == "Contact Type"
        and m["arrived_at"] == "Started At"
    )
    assert (
        m["team"] == "Team Name"
        and m["queue"] == "Ring Groups"
        and m["transferred"] == "Transfer Out (Yes/No)"
    )
    frame = result.frame
    # t4 (voicemail) is neither answered nor abandoned: reported, then dropped
    assert frame["call_id"].tolist() == ["t1", "t2", "t3"]
    assert frame["answered"].tolist() == [True, False, False]
    assert frame["abandoned"].tolist() == [False, True, True]
    assert _problem(result, "unknown_outcome")["rows"] == 1
    assert _problem(result, "neither_answered_nor_abandoned")["rows"] == 1
    assert frame["customer_id"].iloc[0] == "351900000001"


def test_nice_cxone_contact_export():
    text = (
        "Contact_ID,Contact_Start,Skill_Name,Agent_Name,Team_Name,ANI_DIALNUM,PreQueue,InQueue,Agent_Time,"
        "ACW_Seconds,Hold_Time,Abandon,Disp_Name\n"
        "9001,2024-06-03 11:00:00,Claims,Mia,T1,5551000,12,30,240,60,5,N,New claim\n"
        "9002,2024-06-03 11:04:00,Claims,,,5551001,8,95,0,0,0,Y,\n"
        "9003,2024-06-03 11:09:00,Claims,Mia,T1,5551002,10,4,120,30,0,N,Status\n"
    )
    result = load(text.encode())
    m = result.mapping
    assert (
        m["arrived_at"] == "Contact_Start"
        and m["queue"] == "Skill_Name"
        and m["ivr_s"] == "PreQueue"
    )
    assert m["wait_s"] == "InQueue" and m["talk_s"] == "Agent_Time" and m["acw_s"] == "ACW_Seconds"
    assert (
        m["abandoned"] == "Abandon"
        and m["category"] == "Disp_Name"
        and m["customer_id"] == "ANI_DIALNUM"
    )
    frame = result.frame
    assert frame["answered"].tolist() == [True, False, True]
    assert frame["ivr_s"].tolist() == [12.0, 8.0, 10.0]
    assert frame["category"].iloc[0] == "New claim"


def test_avaya_cms_hsplit_interval_table():
    # row_date + HHMM starttime, 30-minute intervals, sums in seconds, i_stafftime staffed seconds
    text = (
        "row_date,starttime,intrvl,split,callsoffered,acdcalls,abncalls,acceptable,slvlabns,anstime,abntime,"
        "acdtime,acwtime,holdacdtime,transferred,i_stafftime\n"
        "2024-03-04,830,30,1,20,18,2,15,1,360,50,3600,900,120,1,18000\n"
        "2024-03-04,900,30,1,25,22,3,17,2,500,90,4400,1100,0,2,21600\n"
        "2024-03-04,930,30,1,10,10,0,10,0,80,0,2000,500,60,0,9000\n"
    )
    result = load(text.encode())
    assert result.kind == "intervals"
    frame = result.frame
    assert list(frame.columns) == list(INTERVAL_COLUMNS)
    assert frame["interval_start"].tolist() == [
        pd.Timestamp("2024-03-04 08:30"),
        pd.Timestamp("2024-03-04 09:00"),
        pd.Timestamp("2024-03-04 09:30"),
    ]
    assert frame["interval_minutes"].tolist() == [30.0, 30.0, 30.0]
    assert frame["offered"].tolist() == [20.0, 25.0, 10.0]
    assert frame["answered_in_sl"].tolist() == [15.0, 17.0, 10.0]
    assert frame["abandoned_in_sl"].tolist() == [1.0, 2.0, 0.0]
    assert frame["wait_s_sum"].tolist() == [360.0, 500.0, 80.0]
    assert frame["abandon_wait_s_sum"].tolist() == [50.0, 90.0, 0.0]
    # handle = acdtime + holdacdtime + acwtime: 3600 + 120 + 900 = 4620
    assert frame["handle_s_sum"].iloc[0] == 4620.0
    # staffed agents = i_stafftime / (30 * 60): 18000 / 1800 = 10, 21600 / 1800 = 12, 9000 / 1800 = 5
    assert frame["staffed_agents"].tolist() == [10.0, 12.0, 5.0]
    assert frame["queue"].tolist() == ["1", "1", "1"]


def test_cisco_call_type_interval():
    text = (
        "DateTime,CallTypeID,CallsOffered,CallsAnswered,TotalCallsAband,ShortCalls,ServiceLevelCalls,"
        "ServiceLevelAband,AnswerWaitTime,DelayQAbandTime,TalkTime,HoldTime,HandleTime,ServiceLevel\n"
        "2024-07-01 10:00:00,5001,40,35,5,2,28,1,700,180,7000,300,9000,0.8\n"
        "2024-07-01 10:15:00,5001,44,40,4,1,30,0,900,150,8000,100,10500,0.75\n"
    )
    result = load(text.encode())
    assert result.kind == "intervals"
    frame = result.frame
    assert frame["short_abandoned"].tolist() == [2.0, 1.0]
    assert frame["wait_s_sum"].tolist() == [700.0, 900.0]
    assert frame["handle_s_sum"].tolist() == [9000.0, 10500.0]
    assert frame["reported_service_level"].tolist() == [0.8, 0.75]
    # spacing 10:00 -> 10:15
    assert frame["interval_minutes"].tolist() == [15.0, 15.0]
    assert _problem(result, "inferred_interval_minutes")["params"]["minutes"] == 15.0


def test_pwc_style_headers_with_separate_date_and_time_fraction():
    # "Time" and "AvgTalkDuration" as Excel fractions of a day in a CSV:
    # 0.4 day = 9:36:00; 0.0025 day = 216 s
    text = (
        "Call Id,Agent,Date,Time,Topic,Answered (Y/N),Resolved,Speed of answer in seconds,AvgTalkDuration,Satisfaction rating\n"
        "ID0001,Diane,2021-01-01,0.4,Streaming,Y,Y,109,0.0025,3\n"
        "ID0002,Becky,2021-01-01,0.5,Payment related,N,N,,,\n"
    )
    result = load(text.encode())
    frame = result.frame
    assert result.mapping["arrived_at"] == ["Date", "Time"]
    assert frame["arrived_at"].tolist() == [
        pd.Timestamp("2021-01-01 09:36"),
        pd.Timestamp("2021-01-01 12:00"),
    ]
    assert frame["talk_s"].iloc[0] == pytest.approx(216.0)
    assert frame["category"].tolist() == ["Streaming", "Payment related"]
    assert frame["resolved"].tolist() == [True, False] and frame["csat"].iloc[0] == 3.0


def test_english_synonyms_with_unit_suffixes():
    text = (
        "Call ID,Start Time,Queue,Wait (sec),Talk_s,Hold time (s),Wrap time (min),Abandoned,Customer Type,Reason,CSAT,QA Score\n"
        "1,2024-01-02 08:00:00,A,20,300,10,1.5,No,Gold,Billing,5,88\n"
        "2,2024-01-02 08:00:30,A,6,,,,Yes,Silver,Tech,,\n"
    )
    result = load(text.encode())
    frame = result.frame
    assert frame["acw_s"].iloc[0] == 90.0  # 1.5 min * 60
    assert frame["hold_s"].iloc[0] == 10.0 and frame["talk_s"].iloc[0] == 300.0
    assert frame["segment"].tolist() == ["Gold", "Silver"] and frame["category"].tolist() == [
        "Billing",
        "Tech",
    ]
    assert frame["qa_score"].iloc[0] == 88.0 and frame["answered"].tolist() == [True, False]


# ----------------------------------------------------------------------------
# Value formats
# ----------------------------------------------------------------------------


def test_milliseconds_unit_suffix():
    text = (
        "call_id,arrived_at,wait_ms,talk_time_ms,answered\na,2024-01-01 09:00:00,12500,300000,Y\n"
    )
    frame = load(text.encode()).frame
    assert frame["wait_s"].iloc[0] == 12.5 and frame["talk_s"].iloc[0] == 300.0


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("0:03:25", 205.0),
        ("03:25", 205.0),
        ("1:00:00", 3600.0),
        ("95", 95.0),
        ("95.5", 95.5),
        ("0:00:07.5", 7.5),
    ],
)
def test_duration_formats(value, seconds):
    text = f"call_id,arrived_at,wait_s,answered\na,2024-01-01 09:00:00,{value},Y\n"
    assert load(text.encode()).frame["wait_s"].iloc[0] == seconds


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-31 09:15:00", "2024-01-31 09:15:00"),
        ("2024/01/31 09:15", "2024-01-31 09:15:00"),
        ("31.01.2024 09:15:00", "2024-01-31 09:15:00"),
        ("31/01/2024 09:15:00", "2024-01-31 09:15:00"),
        ("01/31/2024 09:15:00", "2024-01-31 09:15:00"),
        ("2024-01-31T09:15:00.250", "2024-01-31 09:15:00.250"),
        ("20240131", "2024-01-31 00:00:00"),
        ("2024年01月31日 09时15分00秒", "2024-01-31 09:15:00"),
        ("1/31/2024 9:15 PM", "2024-01-31 21:15:00"),
    ],
)
def test_datetime_formats(value, expected):
    text = f"call_id,arrived_at,wait_s,answered\na,{value},3,Y\n"
    assert load(text.encode()).frame["arrived_at"].iloc[0] == pd.Timestamp(expected)


def test_date_and_time_columns_are_combined_automatically():
    text = "call_id,Date,Start Time,wait_s,answered\na,2024-02-29,23:59:59,1,Y\nb,2024-03-01,00:00:01,2,N\n"
    result = load(text.encode())
    assert result.mapping["arrived_at"] == ["Date", "Start Time"]
    assert result.frame["arrived_at"].tolist() == [
        pd.Timestamp("2024-02-29 23:59:59"),
        pd.Timestamp("2024-03-01 00:00:01"),
    ]


def test_avaya_hhmm_and_yymmdd_numbers():
    text = "row_date,starttime,callsoffered,acdcalls,abncalls\n240304,0,5,5,0\n240304,1330,7,6,1\n"
    frame = load(text.encode()).frame
    assert frame["interval_start"].tolist() == [
        pd.Timestamp("2024-03-04 00:00"),
        pd.Timestamp("2024-03-04 13:30"),
    ]


def _accounted(result):
    """Rows in the file = rows loaded + rows dropped, per reason."""
    accounting = result.row_accounting()
    assert accounting.file_rows == accounting.loaded + sum(accounting.dropped.values())
    return accounting


def test_yymmdd_numbers_of_2000_to_2009_are_dates_not_excel_serial_days():
    # 050301 loses its leading zero (the number 50301); as Excel serial days it
    # would be 2037-09-18. Read as YYMMDD: 05-03-01 = 2005-03-01.
    text = "call_id,date,wait_s,talk_s\n1,050301,3,60\n2,050302,4,0\n3,050315,5,70\n4,091231,6,80\n"
    result = load(text.encode())
    assert result.frame["arrived_at"].tolist() == [
        pd.Timestamp("2005-03-01"),
        pd.Timestamp("2005-03-02"),
        pd.Timestamp("2005-03-15"),
        pd.Timestamp("2009-12-31"),
    ]
    assert _accounted(result).loaded == 4


def test_yymmdd_numbers_with_a_wrong_date_count_it_unreadable():
    # 9 good YYMMDD dates and 051301 (month 13): 9 of 10 = the 0.9 share, so YYMMDD;
    # the bad one is dropped and counted, never read as Excel serial day 51301 (2040)
    days = [f"0503{day:02d}" for day in range(1, 10)] + ["051301"]
    lines = [f"{i},{day},3,60" for i, day in enumerate(days, 1)]
    result = load(("call_id,date,wait_s,talk_s\n" + "\n".join(lines) + "\n").encode())
    assert result.frame["arrived_at"].min() == pd.Timestamp("2005-03-01")
    assert result.frame["arrived_at"].max() == pd.Timestamp("2005-03-09")
    accounting = _accounted(result)
    assert (accounting.loaded, accounting.dropped) == (9, {"unparseable_datetime": 1})


def test_numbers_that_fit_yymmdd_and_excel_serial_days_are_not_read_silently():
    # 40105: 2004-01-05 as YYMMDD, 2009-10-19 as Excel serial days (1899-12-30 + 40105).
    # Both fit: unreadable, and the problem says so; the option chooses YYMMDD.
    from ccmetrics.io.parse import _numeric_timestamps
    from ccmetrics.io.problems import _Problems

    problems = _Problems()
    values = _numeric_timestamps(np.array([40105.0, 40106.0, 40115.0]), problems, "date")
    assert values.isna().all()
    (item,) = problems.items
    assert item["code"] == "ambiguous_numeric_dates" and item["rows"] == 3
    assert item["params"]["yymmdd"] == "2004-01-05"
    assert item["params"]["serial"] == "2009-10-19"
    text = "call_id,date,wait_s,talk_s\n1,040105,3,60\n2,040106,4,0\n3,040115,5,70\n"
    with pytest.raises(LoadError) as error:
        load(text.encode())
    assert error.value.code == "all_datetimes_unparseable"
    mapping = {
        "call_id": "call_id",
        "arrived_at": "date",
        "wait_s": "wait_s",
        "talk_s": "talk_s",
        "options": {"datetime_format": "%y%m%d"},
    }
    result = load(text.encode(), mapping)
    assert result.frame["arrived_at"].tolist() == [
        pd.Timestamp("2004-01-05"),
        pd.Timestamp("2004-01-06"),
        pd.Timestamp("2004-01-15"),
    ]


def test_excel_serial_day_numbers_still_read_as_serial_days():
    # 45292 = 2024-01-01 (1899-12-30 + 45292 days); as YYMMDD month 52 does not exist
    text = "call_id,date,wait_s,talk_s\n1,45292,3,60\n2,45293,4,0\n"
    result = load(text.encode())
    assert result.frame["arrived_at"].tolist() == [
        pd.Timestamp("2024-01-01"),
        pd.Timestamp("2024-01-02"),
    ]


def test_hhmmss_clock_times_beside_a_date():
    # 093015 is 09:30:15; 083015 (the number 83015, below 86400) is 08:30:15, not
    # 83015 seconds after midnight (23:03:35); 096015 has minute 60: unreadable
    text = "call_id,date,time,wait_s,talk_s\n" + "".join(
        f"{i},20250301,{t},3,60\n"
        for i, t in enumerate(
            [
                "093015",
                "083015",
                "143000",
                "000001",
                "235959",
                "101010",
                "111111",
                "121212",
                "131313",
                "096015",
            ],
            1,
        )
    )
    result = load(text.encode())
    assert result.mapping["arrived_at"] == ["date", "time"]
    assert sorted(result.frame["arrived_at"].dt.strftime("%H:%M:%S")) == [
        "00:00:01",
        "08:30:15",
        "09:30:15",
        "10:10:10",
        "11:11:11",
        "12:12:12",
        "13:13:13",
        "14:30:00",
        "23:59:59",
    ]
    assert (result.frame["arrived_at"].dt.date == pd.Timestamp("2025-03-01").date()).all()
    accounting = _accounted(result)
    assert (accounting.loaded, accounting.dropped) == (9, {"unparseable_datetime": 1})


def test_hhmmss_clock_strings():
    from ccmetrics.io.parse import _parse_time_of_day

    # 09:30:15 = 9*3600 + 30*60 + 15 = 34215; 08:30:15 = 30615; "096015": minute 60
    seconds, bad = _parse_time_of_day(pd.Series(["093015", "83015", "096015"], dtype=object))
    assert seconds[:2].tolist() == [34215.0, 30615.0]
    assert np.isnan(seconds[2]) and bad.tolist() == [False, False, True]


def test_seconds_after_midnight_are_not_read_as_hhmmss():
    from ccmetrics.io.parse import _numeric_clock

    # 3661, 43275, 30000, 7199: three of four have seconds or minutes past 59 (not HHMMSS)
    values = np.array([3661.0, 43275.0, 30000.0, 7199.0])
    assert _numeric_clock(values).tolist() == values.tolist()


def test_yyyymmddhhmmss_and_yyyymmddhhmm_timestamps():
    numbers = (
        "call_id,start_time,wait_s,talk_s\n"
        "1,20250301093015,3,60\n2,20250302083015,4,0\n3,20250315143000,5,70\n"
    )
    expected = [
        pd.Timestamp("2025-03-01 09:30:15"),
        pd.Timestamp("2025-03-02 08:30:15"),
        pd.Timestamp("2025-03-15 14:30:00"),
    ]
    assert load(numbers.encode()).frame["arrived_at"].tolist() == expected
    minutes = "call_id,start_time,wait_s,talk_s\n1,202503010930,3,60\n2,202503020830,4,0\n"
    assert load(minutes.encode()).frame["arrived_at"].tolist() == [
        pd.Timestamp("2025-03-01 09:30"),
        pd.Timestamp("2025-03-02 08:30"),
    ]
    # written as text (one cell not a timestamp): the others read, that row counted
    text = (
        "call_id,start_time,wait_s,talk_s\n"
        "1,20250301093015,3,60\n2,x20250302083015,4,0\n3,20250315143000,5,70\n"
    )
    result = load(text.encode())
    assert result.frame["arrived_at"].tolist() == [expected[0], expected[2]]
    accounting = _accounted(result)
    assert (accounting.loaded, accounting.dropped) == (2, {"unparseable_datetime": 1})


def test_interval_time_ranges_and_percent_service_level():
    text = (
        "Date,Interval,Offered,Answered Calls,Abandoned Calls,Service Level,ASA,Avg Talk Time\n"
        "2024-05-06,09:00 - 09:30,30,27,3,76.28%,0:00:20,0:03:00\n"
        "2024-05-06,09:30 - 10:00,20,20,0,90.00%,0:00:10,0:02:00\n"
    )
    result = load(text.encode())
    frame = result.frame
    assert frame["interval_start"].tolist() == [
        pd.Timestamp("2024-05-06 09:00"),
        pd.Timestamp("2024-05-06 09:30"),
    ]
    assert frame["reported_service_level"].tolist() == pytest.approx([0.7628, 0.90])
    # sums from averages: ASA 20 s x 27 answered = 540; talk 180 s x 27 = 4860
    assert frame["wait_s_sum"].tolist() == [540.0, 200.0]
    assert frame["talk_s_sum"].tolist() == [4860.0, 2400.0]
    assert "derived_sum" in _codes(result)


def test_interval_offered_derived_from_answered_and_abandoned():
    text = "interval_start,acdcalls,abncalls\n2024-01-01 08:00,8,2\n2024-01-01 09:00,5,1\n"
    result = load(text.encode())
    assert result.frame["offered"].tolist() == [10.0, 6.0]
    assert "derived_offered" in _codes(result)
    assert result.frame["interval_minutes"].tolist() == [60.0, 60.0]


def test_interval_plan_only_file_loads_with_offered_missing():
    # A forecast/schedule file (no actual counts) is a staffing plan: it loads,
    # offered stays missing (never 0) and the problems report says why.
    text = (
        "interval_start,forecast_offered,forecast_aht_s,scheduled_agents\n"
        "2024-01-01 08:00,100,180,14\n2024-01-01 08:30,120,190,16\n"
    )
    result = load(text.encode(), kind="intervals")
    frame = result.frame
    assert result.kind == "intervals"
    assert frame["forecast_offered"].tolist() == [100.0, 120.0]
    assert frame["scheduled_agents"].tolist() == [14.0, 16.0]
    assert frame["offered"].isna().all()
    assert "plan_only" in _codes(result)


def test_interval_file_without_counts_or_plan_still_fails_clearly():
    text = "interval_start,staffed_agents_typo\n2024-01-01 08:00,3\n"
    with pytest.raises(LoadError) as error:
        load(text.encode(), kind="intervals")
    assert error.value.code == "missing_required_column"


@pytest.mark.parametrize(
    ("true_value", "false_value"),
    [
        ("Y", "N"),
        ("Yes", "No"),
        ("TRUE", "FALSE"),
        ("true", "false"),
        ("1", "0"),
        ("是", "否"),
        ("y", "n"),
    ],
)
def test_boolean_formats(true_value, false_value):
    text = (
        f"call_id,arrived_at,wait_s,answered,transferred\n"
        f"a,2024-01-01 09:00:00,1,{true_value},{false_value}\n"
        f"b,2024-01-01 09:01:00,1,{false_value},\n"
    )
    frame = load(text.encode("utf-8")).frame
    assert frame["answered"].tolist() == [True, False]
    assert frame["transferred"].iloc[0] == False  # noqa: E712 - nullable boolean
    assert pd.isna(frame["transferred"].iloc[1])


def test_unparseable_booleans_are_counted():
    text = "call_id,arrived_at,wait_s,answered,transferred\na,2024-01-01 09:00:00,1,Y,maybe\nb,2024-01-01 09:01:00,1,N,N\n"
    result = load(text.encode())
    assert _problem(result, "unparseable_boolean")["rows"] == 1
    assert pd.isna(result.frame["transferred"].iloc[0])


def test_flag_filled_only_when_true_reads_blanks_as_false():
    text = "call_id,arrived_at,wait_s,abandoned\na,2024-01-01 09:00:00,1,\nb,2024-01-01 09:01:00,9,1\nc,2024-01-01 09:02:00,2,\n"
    result = load(text.encode())
    assert result.frame["abandoned"].tolist() == [False, True, False]
    assert _problem(result, "blank_as_false")["rows"] == 2


@pytest.mark.parametrize(
    ("values", "answered", "abandoned", "dropped"),
    [
        (["AGENT", "HANG", "PHANTOM", "AGENT"], [True, False, True], [False, True, False], 1),
        (
            ["answered", "abandoned", "short_abandoned", "ANSWERED"],
            [True, False, False, True],
            [False, True, True, False],
            0,
        ),
        (["接通", "放弃", "挂断", "测试"], [True, False, False], [False, True, True], 1),
    ],
)
def test_outcome_formats(values, answered, abandoned, dropped):
    rows = "".join(f"id{i},2024-01-01 09:0{i}:00,{i},{v}\n" for i, v in enumerate(values))
    result = load(("call_id,arrived_at,wait_s,outcome\n" + rows).encode())
    assert result.frame["answered"].tolist() == answered
    assert result.frame["abandoned"].tolist() == abandoned
    if dropped:
        assert _problem(result, "phantom_call")["rows"] == dropped
    else:
        assert "phantom_call" not in _codes(result)


@pytest.mark.parametrize("placeholder", ["[None]", "N/A", "-", "", "NULL"])
def test_placeholders_are_missing(placeholder):
    text = f"call_id,arrived_at,wait_s,answered,agent,talk_s\na,2024-01-01 09:00:00,5,N,{placeholder},{placeholder}\n"
    result = load(text.encode())
    assert pd.isna(result.frame["agent"].iloc[0]) and np.isnan(result.frame["talk_s"].iloc[0])
    assert "unparseable_number" not in _codes(result)


def test_answered_derived_from_talk_time_when_nothing_else():
    text = "call_id,arrived_at,wait_s,talk_s\na,2024-01-01 09:00:00,5,120\nb,2024-01-01 09:01:00,30,\nc,2024-01-01 09:02:00,2,0\n"
    result = load(text.encode())
    # answered = talk > 0: a yes; b (blank) and c (0) no
    assert result.frame["answered"].tolist() == [True, False, False]
    assert _problem(result, "derived_answered")["params"]["source"] == "talk_s"


def test_generated_call_ids():
    text = "arrived_at,wait_s,answered\n2024-01-01 09:05:00,5,Y\n2024-01-01 09:00:00,3,N\n"
    result = load(text.encode())
    # ids follow file order: row 1 -> C0000001 even though it sorts second
    assert result.frame["call_id"].tolist() == ["C0000002", "C0000001"]
    assert _problem(result, "generated_call_id")["level"] == "info"


def test_composite_call_id_and_options():
    text = (
        "line\tcall_id\tdate\tstart\tqueued\tq_time\tserver\toutcome\tprio\n"
        "AA0101\t1\t990201\t23:59:50\t0:00:05\t20\tDANA\tAGENT\t0\n"
        "AA0102\t1\t990201\t10:00:00\t0:00:00\t0\tNO_SERVER\tHANG\t2\n"
    )
    mapping = {
        "call_id": ["line", "call_id"],
        "arrived_at": ["date", "start"],
        "queued_at": ["date", "queued"],
        "wait_s": "q_time",
        "agent": "server",
        "outcome": "outcome",
        "channel": "line",
        "segment": "prio",
        "options": {
            "missing_values": {"agent": ["NO_SERVER"], "queued_at": ["0:00:00"]},
            "truncate": {"channel": 4},
            "recode": {"segment": {"0": "regular", "2": "priority"}},
        },
    }
    result = load(text.encode(), mapping)
    frame = result.frame
    # both calls have call_id 1: the composite key keeps them apart
    assert frame["call_id"].tolist() == ["AA0102-1", "AA0101-1"]
    # AA0101: queue entry 0:00:05 after a 23:59:50 start -> next day; AA0102 never queued -> start time
    assert frame["arrived_at"].tolist() == [
        pd.Timestamp("1999-02-01 10:00:00"),
        pd.Timestamp("1999-02-02 00:00:05"),
    ]
    assert _problem(result, "time_after_midnight")["rows"] == 1
    assert frame["channel"].tolist() == ["AA01", "AA01"] and frame["segment"].tolist() == [
        "priority",
        "regular",
    ]
    assert pd.isna(frame["agent"].iloc[0]) and frame["agent"].iloc[1] == "DANA"
    assert _problem(result, "abandoned_zero_wait")["rows"] == 1
    assert result.mapping["options"]["truncate"] == {"channel": 4}


# ----------------------------------------------------------------------------
# Counted problems
# ----------------------------------------------------------------------------


def test_duplicates_unparseable_dates_and_negative_durations_are_counted():
    text = (
        "call_id,arrived_at,wait_s,answered,talk_s\n"
        "a,2024-01-01 09:00:00,5,Y,100\n"  # row 1
        "b,2024-01-01 09:01:00,-3,N,\n"  # row 2: negative wait -> missing
        "a,2024-01-01 09:02:00,7,Y,50\n"  # row 3: duplicate of row 1 -> dropped
        "c,not a date,4,Y,10\n"  # row 4: unparseable -> dropped
        "d,2024-01-01 09:04:00,8,Y,-20\n"  # row 5: negative talk -> missing
        "e,,8,Y,20\n"  # row 6: no date -> dropped
        "a,2024-01-01 09:06:00,1,N,\n"  # row 7: duplicate -> dropped
    )
    # a mapping given by the user keeps its call id as given: later repeats are dropped
    # (the automatic mapping does not take an id that repeats with different data, below)
    given = {k: k for k in ("call_id", "arrived_at", "wait_s", "answered", "talk_s")}
    result = load(text.encode(), given)
    frame = result.frame
    assert frame["call_id"].tolist() == [
        "a",
        "b",
        "d",
    ]  # 7 rows - 2 duplicates - 1 bad date - 1 blank date
    duplicate = _problem(result, "duplicate_call_id")
    assert (
        duplicate["rows"] == 2
        and duplicate["params"]["sample"] == [3, 7]
        and duplicate["level"] == "warning"
    )
    assert "rows 3, 7" in duplicate["message"]
    bad_date = _problem(result, "unparseable_datetime")
    assert bad_date["rows"] == 1 and bad_date["params"]["sample"] == [4]
    assert _problem(result, "missing_datetime")["params"]["sample"] == [6]
    negative = result.problems[result.problems["code"] == "negative_duration"].set_index("column")
    assert negative.loc["wait_s", "rows"] == 1 and negative.loc["wait_s", "params"]["sample"] == [2]
    assert negative.loc["talk_s", "rows"] == 1 and negative.loc["talk_s", "params"]["sample"] == [5]
    assert np.isnan(frame.loc[frame["call_id"] == "b", "wait_s"]).all()


def test_out_of_range_scores_are_counted():
    text = "call_id,arrived_at,wait_s,answered,csat,qa_score\na,2024-01-01 09:00:00,1,Y,6,101\nb,2024-01-01 09:01:00,1,Y,4,90\n"
    result = load(text.encode())
    ranges = (
        result.problems[result.problems["code"] == "out_of_range"]
        .set_index("column")["rows"]
        .to_dict()
    )
    assert ranges == {"csat": 1, "qa_score": 1}
    assert result.frame["csat"].tolist()[1] == 4.0 and np.isnan(result.frame["csat"].iloc[0])


def test_both_answered_and_abandoned_and_neither():
    text = (
        "call_id,arrived_at,wait_s,answered,abandoned\n"
        "a,2024-01-01 09:00:00,1,Y,Y\n"
        "b,2024-01-01 09:01:00,1,N,N\n"
        "c,2024-01-01 09:02:00,1,N,Y\n"
    )
    result = load(text.encode())
    assert result.frame["call_id"].tolist() == ["a", "c"]
    assert _problem(result, "answered_and_abandoned")["rows"] == 1
    assert _problem(result, "neither_answered_nor_abandoned")["params"]["sample"] == [2]
    assert result.frame["answered"].tolist() == [True, False]


# ----------------------------------------------------------------------------
# Unusable input -> LoadError
# ----------------------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"   \n\n", gzip.compress(b"")])
def test_empty_file(data):
    with pytest.raises(LoadError, match="empty") as info:
        load(data)
    assert info.value.code == "empty_file"


def test_header_only_file():
    with pytest.raises(LoadError, match="no data rows") as info:
        load(b"call_id,arrived_at,wait_s,answered\n")
    assert info.value.code == "no_data_rows"


def test_binary_garbage():
    garbage = bytes((i * 37 + 11) % 256 for i in range(4096))
    with pytest.raises(LoadError, match="not a readable table") as info:
        load(garbage)
    assert info.value.code == "not_a_table"
    assert "Traceback" not in str(info.value)


def test_no_time_column_names_the_headers():
    with pytest.raises(LoadError) as info:
        load(
            b"call_id,agent,wait_s,answered\n1,ann,5,Y\n",
        )
    message = str(info.value)
    assert info.value.code == "no_time_column"
    assert (
        "Found columns: call_id, agent, wait_s, answered" in message and "arrival time" in message
    )


def test_missing_required_wait_column():
    with pytest.raises(LoadError) as info:
        load(b"call_id,arrived_at,answered\n1,2024-01-01 09:00:00,Y\n")
    assert info.value.code == "missing_required_column" and info.value.params["key"] == "wait_s"
    assert "wait" in str(info.value) and "Found columns: call_id, arrived_at, answered" in str(
        info.value
    )


def test_missing_answered_information():
    with pytest.raises(LoadError) as info:
        load(b"call_id,arrived_at,wait_s\n1,2024-01-01 09:00:00,5\n")
    assert info.value.code == "missing_required_column" and info.value.params["key"] == "answered"


def test_mapping_names_a_column_that_is_not_there():
    with pytest.raises(LoadError, match="no such column") as info:
        load(
            PLAIN.encode(),
            {
                "call_id": "Call Number",
                "arrived_at": "arrived_at",
                "wait_s": "wait_s",
                "answered": "answered",
            },
        )
    assert (
        info.value.code == "mapped_column_missing" and info.value.params["column"] == "Call Number"
    )


def test_unknown_mapping_key():
    with pytest.raises(LoadError) as info:
        load(PLAIN.encode(), {"call_identifier": "call_id"})
    assert info.value.code == "unknown_mapping_key"


def test_all_dates_unparseable():
    with pytest.raises(LoadError) as info:
        load(b"call_id,arrived_at,wait_s,answered\n1,soon,5,Y\n2,later,6,N\n")
    assert info.value.code == "all_datetimes_unparseable" and "soon" in str(info.value)


def test_missing_file():
    with pytest.raises(LoadError) as info:
        load("/nonexistent/calls.csv")
    assert info.value.code == "file_not_found"


def test_load_error_is_a_value_error():
    assert issubclass(LoadError, ValueError)


def test_day_index_without_dates_needs_a_start_date():
    text = "Index,Incoming Calls,Answered Calls,Abandoned Calls\n1,10,9,1\n2,12,12,0\n"
    with pytest.raises(LoadError, match="running day number") as info:
        load(text.encode())
    assert info.value.code == "day_index_needs_start"
    result = load(text.encode(), {"options": {"day_index_start": "2024-01-01"}})
    assert result.frame["interval_start"].tolist() == [
        pd.Timestamp("2024-01-01"),
        pd.Timestamp("2024-01-02"),
    ]
    assert result.frame["interval_minutes"].tolist() == [1440.0, 1440.0]


# ----------------------------------------------------------------------------
# Mapping API
# ----------------------------------------------------------------------------


def test_guess_mapping_is_case_and_punctuation_insensitive():
    columns = [
        "CALL-ID",
        "arrival  time",
        "QUEUE_NAME",
        "Wait Time (秒)",
        "talk.time",
        "ABANDONED?",
    ]
    assert guess_mapping(columns) == {
        "call_id": "CALL-ID",
        "arrived_at": "arrival  time",
        "queue": "QUEUE_NAME",
        "wait_s": "Wait Time (秒)",
        "talk_s": "talk.time",
        "abandoned": "ABANDONED?",
    }


def test_guess_kind():
    assert (
        guess_kind(["row_date", "starttime", "callsoffered", "acdcalls", "abncalls"]) == "intervals"
    )
    assert guess_kind(["ContactId", "InitiationTimestamp", "Queue.Duration"]) == "calls"
    assert guess_kind(["来电时间", "排队时长", "是否接通"]) == "calls"


def test_synonyms_table_is_public_and_has_both_kinds():
    assert set(cio.SYNONYMS) == {"calls", "intervals"}
    assert "排队时长" in cio.SYNONYMS["calls"]["wait_s"]
    assert "i_stafftime" in cio.SYNONYMS["intervals"]["staffed_s"]


def test_explicit_mapping_is_used_exactly():
    text = (
        "Nr,Wann,Warten,Ergebnis\n1,2024-01-01 09:00:00,12,AGENT\n2,2024-01-01 09:03:00,30,HANG\n"
    )
    mapping = {"call_id": "Nr", "arrived_at": "Wann", "wait_s": "Warten", "outcome": "Ergebnis"}
    result = load(text.encode(), mapping)
    assert result.mapping == mapping
    assert result.frame["answered"].tolist() == [True, False]


def test_save_and_read_mapping_roundtrip(tmp_path):
    mapping = {
        "call_id": ["line", "id"],
        "arrived_at": ["date", "time"],
        "wait_s": "q_time",
        "options": {"missing_values": {"agent": ["NO_SERVER"]}},
    }
    path = tmp_path / "m.json"
    save_mapping(mapping, path)
    assert read_mapping(path) == mapping
    assert json.loads(path.read_text(encoding="utf-8")) == mapping
    binary = io.BytesIO()
    save_mapping({"wait_s": "排队时长"}, binary)
    binary.seek(0)
    assert read_mapping(binary) == {"wait_s": "排队时长"}
    with pytest.raises(LoadError) as info:
        read_mapping(io.BytesIO(b"[1, 2]"))
    assert info.value.code == "bad_mapping_file"


def test_bundled_technion_mapping_is_valid_json_with_known_keys():
    mapping = read_mapping(REPO / "ccmetrics" / "mappings" / "technion_anonymous_bank.json")
    known = set(CALL_COLUMNS) | {"outcome", "queued_at", "options"}
    assert set(mapping) <= known
    assert mapping["call_id"] == ["vru+line", "call_id"]


def test_module_doctests():
    failures, _tests = doctest.testmod(cio, optionflags=doctest.ELLIPSIS)
    assert failures == 0


def test_zh_gbk_contract_headers_map_without_mapping():
    # The headers and value formats of /work/briefs/zh_headers.md (the bundled GBK sample's contract),
    # written as a gzip-compressed GBK CSV: 2 calls, hand-made.
    header = (
        "流水号,来电时间,技能组,业务类型,客户品牌,班组,坐席工号,客户号码,排队时长,是否接通,是否放弃,"
        "通话时长,保持时长,话后处理时长,是否转接,满意度,质检得分\n"
    )
    rows = (
        "S1,2024-04-01 08:30:05,宽带,流量套餐,神州行,一组,A001,13800001234,12,是,否,0:03:25,10,30,否,5,92\n"
        "S2,2024-04-01 08:31:00,宽带,资费,动感地带,一组,,13900005678,48,否,是,,,,,,\n"
    )
    data = gzip.compress((header + rows).encode("gbk"))
    result = load(data)
    assert result.encoding == "gb18030" and result.kind == "calls"
    assert len(result.mapping) == 17 and result.mapping["talk_s"] == "通话时长"
    frame = result.frame
    assert frame["segment"].tolist() == ["神州行", "动感地带"]
    assert frame["customer_id"].tolist() == ["13800001234", "13900005678"]
    assert (
        frame["talk_s"].iloc[0] == 205.0
        and frame["hold_s"].iloc[0] == 10.0
        and frame["acw_s"].iloc[0] == 30.0
    )
    assert frame["answered"].tolist() == [True, False] and frame["abandoned"].tolist() == [
        False,
        True,
    ]
    assert frame["transferred"].iloc[0] == False  # noqa: E712 - nullable boolean
    assert pd.isna(frame["transferred"].iloc[1])
    assert frame["csat"].iloc[0] == 5.0 and frame["qa_score"].iloc[0] == 92.0
    assert pd.isna(frame["agent"].iloc[1])
    assert set(result.problems["code"]) <= {
        "answered_without_agent",
        "missing_wait",
        "abandoned_zero_wait",
    }


def test_date_column_with_midnight_times_combines_with_time_column():
    text = "call_id,Date,Time,wait_s,answered\na,2024-01-05 00:00:00,14:30:00,3,Y\n"
    frame = load(text.encode()).frame
    assert frame["arrived_at"].iloc[0] == pd.Timestamp("2024-01-05 14:30:00")


def test_interval_csv_with_canonical_names_uses_identity_mapping():
    # canonical interval columns, as ccmetrics.sample writes them; every count and sum kept as given
    names = [
        c for c in INTERVAL_COLUMNS if c not in ("category", "segment", "team", "agent", "channel")
    ]
    values = {
        "interval_start": ["2025-01-01 08:00:00", "2025-01-01 08:30:00"],
        "interval_minutes": [30, 30],
        "queue": ["General", "General"],
        "reported_service_level": [
            0.8,
            0.9,
        ],  # fractions stay fractions (percent > 1 would be / 100)
    }
    for position, name in enumerate(names):
        values.setdefault(name, [position, position + 1])
    text = pd.DataFrame(values)[names].to_csv(index=False)
    result = load(text.encode())
    assert result.kind == "intervals"
    assert result.mapping == {name: name for name in names}
    for position, name in enumerate(names[3:-1], start=3):
        assert result.frame[name].tolist() == [float(position), float(position + 1)], name
    assert names[-1] == "reported_service_level"
    assert result.frame["reported_service_level"].tolist() == [0.8, 0.9]


def test_detector_fallback_for_a_western_code_page():
    # cp1252 bytes: not valid UTF-8 ("é" is 0xE9) and not valid GB18030 (0xE9 followed by a newline)
    text = "call_id,arrived_at,wait_s,answered,agent\n1,2024-01-01 09:00:00,5,Y,René\n2,2024-01-01 09:01:00,5,Y,Zoë\n"
    result = load(text.encode("cp1252"))
    assert result.encoding not in ("utf-8", "gb18030")
    assert result.frame["agent"].tolist() == ["René", "Zoë"]


# ---------------------------------------------------------------- progress and the Parquet copy


def _stages(source, **kwargs):
    seen = []
    result = load(source, progress=lambda stage, fraction: seen.append((stage, fraction)), **kwargs)
    return result, seen


def _fresh_stages():
    return [(s, cio.STAGE_FRACTIONS[s]) for s in ("reading", "parsing", "building", "done")]


def test_load_reports_its_stages_in_order_for_csv_excel_and_parquet(tmp_path):
    csv_result, csv_seen = _stages(PLAIN.encode())
    assert csv_seen == _fresh_stages()
    xlsx = _xlsx(
        {
            "Calls": [
                ["call_id", "arrived_at", "wait_s", "answered"],
                ["a", "2024-03-01 09:00:00", 5, "Y"],
            ]
        }
    )
    xlsx_result, xlsx_seen = _stages(xlsx)
    assert xlsx_result.format == "excel" and xlsx_seen == _fresh_stages()
    path = tmp_path / "calls.parquet"
    csv_result.frame.to_parquet(path)
    parquet_result, parquet_seen = _stages(path)
    assert parquet_result.format == "parquet" and parquet_seen == _fresh_stages()
    # the fractions rise with the stages and end at 1
    fractions = [f for _s, f in csv_seen]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert [s for s, _f in csv_seen] == [s for s in cio.LOAD_STAGES if s in dict(csv_seen)]


def test_a_failing_load_reports_no_done():
    seen = []
    with pytest.raises(LoadError):
        load(b"colour,size\nred,3\n", progress=lambda stage, fraction: seen.append(stage))
    assert seen and "done" not in seen


def _assert_same_result(cached, fresh):
    pd.testing.assert_frame_equal(cached.frame, fresh.frame)
    pd.testing.assert_frame_equal(cached.problems, fresh.problems)
    assert cached.kind == fresh.kind
    assert cached.mapping == fresh.mapping
    assert (cached.encoding, cached.format, cached.columns) == (
        fresh.encoding,
        fresh.format,
        fresh.columns,
    )


# problems of several kinds (a duplicate id, an unparseable number, a negative
# wait, an unused column) and a column with no values at all (a categorical
# without categories), so the copy must keep every detail of the result
MESSY = (
    "call_id,arrived_at,queue,wait_s,answered,talk_s,channel,notes\n"
    "c1,2024-03-01 09:00:05,Sales,12,Y,100,,x\n"
    "c1,2024-03-01 09:00:05,Sales,12,Y,100,,x\n"
    "c2,2024-03-01 09:01:00,Sales,abc,N,,,y\n"
    "c3,2024-03-01 08:59:00,Billing,-3,Y,250,,z\n"
)


def _load_spy():
    """A list that grows by one per fresh :func:`load`, and the wrapper that counts them."""
    calls = []
    original = cio.load

    def spy(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    return calls, spy


def test_cached_load_equals_the_fresh_load_and_skips_the_parse(tmp_path, monkeypatch):
    data = MESSY.encode()
    fresh = load(data)
    assert {
        "duplicate_call_id",
        "unparseable_number",
        "negative_duration",
        "unmapped_columns",
    } <= _codes(fresh)
    assert str(fresh.frame["channel"].dtype) == "category" and fresh.frame["channel"].isna().all()
    seen = []
    first = cio.load_cached(data, cache_dir=tmp_path, progress=lambda s, f: seen.append(s))
    assert seen == ["cached", "reading", "parsing", "building", "saving", "done"]
    _assert_same_result(first, fresh)
    assert len(list(tmp_path.glob("*.parquet"))) == 1 and len(list(tmp_path.glob("*.json"))) == 1
    calls, spy = _load_spy()
    monkeypatch.setattr(cio.cache, "load", spy)  # the load load_cached calls
    seen.clear()
    again = cio.load_cached(
        io.BytesIO(data), cache_dir=tmp_path, progress=lambda s, f: seen.append(s)
    )
    assert calls == [] and seen == ["cached", "done"]  # served from the copy
    _assert_same_result(again, fresh)
    # the name of this source, not the one the copy was written from
    named = io.BytesIO(data)
    named.name = "march.csv"
    assert cio.load_cached(named, cache_dir=tmp_path).source_name == "march.csv"
    # the file name is the content hash and a hash of mapping/kind/loader version
    (parquet,) = tmp_path.glob("*.parquet")
    assert parquet.name.startswith(cio.content_digest(data) + "-")
    assert cio.content_digest(data) == hashlib.sha256(data).hexdigest()


def test_cached_load_of_a_path_with_a_mapping_and_options(tmp_path):
    path = tmp_path / "export.csv"
    path.write_bytes(MESSY.encode())
    mapping = {
        "call_id": "call_id",
        "arrived_at": "arrived_at",
        "wait_s": "wait_s",
        "answered": "answered",
        "options": {"missing_values": ["abc"]},
    }
    fresh = load(path, mapping)
    cache = tmp_path / "cache"
    cio.load_cached(path, mapping, cache_dir=cache)
    _assert_same_result(cio.load_cached(path, mapping, cache_dir=cache), fresh)


def test_other_content_mapping_kind_or_loader_version_miss(tmp_path, monkeypatch):
    data = PLAIN.encode()
    cio.load_cached(data, cache_dir=tmp_path)
    calls, spy = _load_spy()
    monkeypatch.setattr(cio.cache, "load", spy)  # the load load_cached calls
    cio.load_cached(data, cache_dir=tmp_path)
    assert calls == []
    other = PLAIN.replace("c3", "c4").encode()
    assert cio.load_cached(other, cache_dir=tmp_path).frame["call_id"].tolist() == [
        "c3",
        "c1",
        "c2",
    ][:0] + ["c4", "c1", "c2"]
    assert len(calls) == 1
    mapping = {
        "call_id": "call_id",
        "arrived_at": "arrived_at",
        "wait_s": "wait_s",
        "answered": "answered",
    }
    narrow = cio.load_cached(data, mapping, cache_dir=tmp_path)
    assert len(calls) == 2 and narrow.frame["talk_s"].isna().all()  # talk_s not mapped
    cio.load_cached(data, kind="calls", cache_dir=tmp_path)
    assert len(calls) == 3
    monkeypatch.setattr(cio.cache, "LOADER_VERSION", cio.LOADER_VERSION + 1)
    cio.load_cached(data, cache_dir=tmp_path)
    assert len(calls) == 4
    assert len(list(tmp_path.glob("*.parquet"))) == 5


@pytest.mark.parametrize(
    "damage", ["garbage_parquet", "truncated_parquet", "garbage_json", "no_json", "stale_json"]
)
def test_a_damaged_copy_is_ignored_and_rewritten(tmp_path, damage):
    data = MESSY.encode()
    fresh = load(data)
    cio.load_cached(data, cache_dir=tmp_path)
    (parquet,) = tmp_path.glob("*.parquet")
    meta = parquet.with_suffix(".json")
    good = parquet.read_bytes()
    if damage == "garbage_parquet":
        parquet.write_bytes(b"PAR1 not really")
    elif damage == "truncated_parquet":
        parquet.write_bytes(good[: len(good) // 2])
    elif damage == "garbage_json":
        meta.write_text("{not json")
    elif damage == "no_json":
        meta.unlink()
    else:
        text = json.loads(meta.read_text())
        text["rows"] += 1
        meta.write_text(json.dumps(text))
    _assert_same_result(cio.load_cached(data, cache_dir=tmp_path), fresh)
    assert parquet.read_bytes() == good or damage == "stale_json"
    assert json.loads(meta.read_text())["rows"] == len(fresh.frame)  # rewritten
    _assert_same_result(cio.load_cached(data, cache_dir=tmp_path), fresh)
    assert not list(tmp_path.glob(".*.tmp"))  # no temporary file left behind


def test_an_unwritable_cache_folder_is_not_an_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = cio.load_cached(PLAIN.encode(), cache_dir=blocker / "cache")
    _assert_same_result(result, load(PLAIN.encode()))


def test_a_file_that_cannot_be_loaded_raises_and_is_not_cached(tmp_path):
    with pytest.raises(LoadError):
        cio.load_cached(b"colour,size\nred,3\n", cache_dir=tmp_path)
    assert not list(tmp_path.iterdir())


def test_least_recently_used_copies_go_beyond_max_bytes(tmp_path):
    first = PLAIN.encode()
    second = PLAIN.replace("c3", "c4").encode()
    cio.load_cached(first, cache_dir=tmp_path)
    cio.load_cached(second, cache_dir=tmp_path, max_bytes=1)  # keeps only the copy just written
    (parquet,) = tmp_path.glob("*.parquet")
    assert parquet.name.startswith(cio.content_digest(second))


def test_default_cache_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("CCMETRICS_CACHE_DIR", str(tmp_path / "c"))
    assert cio.default_cache_dir() == tmp_path / "c"
    monkeypatch.delenv("CCMETRICS_CACHE_DIR")
    assert cio.default_cache_dir() == Path.home() / ".cache" / "ccmetrics"


def test_preview_reads_only_the_first_rows_of_every_format(tmp_path, monkeypatch):
    lines = ["call_id,arrived_at,wait_s,answered"] + [
        f"c{i},2024-03-01 09:{i % 60:02d}:00,{i % 90},Y" for i in range(30_000)
    ]
    text = ("\n".join(lines) + "\n").encode()
    assert len(text) > cio.PREVIEW_BYTES
    head = cio.preview(text, rows=5)
    assert list(head.columns) == ["call_id", "arrived_at", "wait_s", "answered"]
    assert head["call_id"].tolist() == ["c0", "c1", "c2", "c3", "c4"]
    assert head["wait_s"].tolist() == ["0", "1", "2", "3", "4"]  # as text
    # the cut keeps whole lines: the last row read is complete
    whole = cio.preview(text, rows=100_000)
    assert 1_000 < len(whole) < 30_000 and whole["answered"].tolist()[-1] == "Y"
    assert cio.preview(gzip.compress(text), rows=5)["call_id"].tolist() == head["call_id"].tolist()
    # Parquet and Excel: only ``rows`` rows are read, from the start of the file
    frame = load(text).frame
    path = tmp_path / "calls.parquet"
    frame.to_parquet(path, row_group_size=10_000)
    monkeypatch.setattr(cio.read, "_MAP_BYTES", 0)  # read through a memory map, as a large file is
    parquet_head = cio.preview(path, rows=3)
    assert len(parquet_head) == 3 and list(parquet_head.columns) == list(frame.columns)
    assert parquet_head["call_id"].tolist() == frame["call_id"].head(3).tolist()
    assert len(load(path).frame) == len(frame)  # the memory-mapped Parquet loads whole
    xlsx = _xlsx({"Calls": [["call_id", "wait_s"]] + [[f"x{i}", i] for i in range(50)]})
    assert cio.preview(xlsx, rows=4)["call_id"].tolist() == ["x0", "x1", "x2", "x3"]


@pytest.mark.parametrize(
    "header, rows",
    [
        ("arrived_at", ["2024-02-28 10:00:00", "2024-02-30 10:00:00", "2023-02-29 11:00:00"]),
        ("arrived_at", ["2024-02-28T10:00:00", "2024-04-31T10:00:00", "2024-02-31T09:00:00"]),
        ("arrived_at", ["20240228100000", "20240230100000", "20230229110000"]),
    ],
)
def test_impossible_calendar_days_are_unreadable_not_rolled_over(header, rows):
    # Feb 30, Apr 31, Feb 31 and Feb 29 of a common year are no days: each is counted as
    # an unreadable time, never read as the first days of the next month.
    text = f"call_id,{header},wait_s,answered\n" + "".join(
        f"{number},{row},5,1\n" for number, row in enumerate(rows, start=1)
    )
    result = load(text.encode())
    assert result.frame["arrived_at"].tolist() == [pd.Timestamp(rows[0].replace("T", " "))]
    accounting = _accounted(result)
    assert (accounting.loaded, accounting.dropped) == (1, {"unparseable_datetime": 2})


def test_a_small_gbk_file_whose_first_bytes_happen_to_be_utf8_is_read_as_gbk():
    # 通 is CD A8 in GBK, which is also valid UTF-8 (U+0368): a few chance-valid bytes
    # before the first invalid one made the whole file look like UTF-8 with every line
    # "mixed". No line of this file decodes as UTF-8, so it is one legacy encoding.
    text = "通话流水号,开始时间,排队时长,是否接通,坐席\n1,2025-01-06 08:00,10,是,张三\n2,2025-01-06 08:01,30,否,李四\n"
    assert bytes.fromhex("cda8").decode("utf-8") == "\u0368"
    result = load(text.encode("gbk"))
    assert result.encoding in {"gbk", "gb18030"}
    assert "mixed_encoding" not in _codes(result)
    assert result.frame["agent"].astype(object).tolist() == ["张三", "李四"]


def test_excel_serial_days_written_as_text_are_read_as_numbers_are():
    # A column of Excel serial days with one stray word is text to the CSV reader; it used
    # to be guessed as %y%m%d: 43831 read as 2043-08-31 and 43832 on (2043-08-32...) lost.
    # Read as numbers are, 43831 is 2020-01-01 (Excel's day 1 is 1900-01-01, with its
    # 1900-02-29: serial 43831 - 25569 days after 1970-01-01 = 18262 days = 2020-01-01).
    rows = "".join(f"{i},{43831 + i},5,1\n" for i in range(12)) + "99,bad,5,1\n"
    result = load(("call_id,arrived_at,wait_s,answered\n" + rows).encode())
    got = result.frame["arrived_at"].tolist()
    assert got == [pd.Timestamp("2020-01-01") + pd.Timedelta(days=i) for i in range(12)]
    accounting = _accounted(result)
    assert (accounting.loaded, accounting.dropped) == (12, {"unparseable_datetime": 1})
