"""Loader tests for the cost and quality columns: cost, complaint, business_error,
entry_completeness and evaluator.

Each fixture is a 3-4 row CSV written here; each expected value is read off those rows
(the reasoning is next to the assert). English headers follow the names the synonyms
table lists; the Chinese file is encoded in GBK as Chinese platforms export it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ccmetrics.io import guess_mapping, load
from ccmetrics.schema import CALL_COLUMNS

ENGLISH = (
    "Call ID,Start Time,Wait,Answered,Talk,ACW,Agent,Category,Cost,Complaint,"
    "Business Error,Completeness (%),QA Evaluator\n"
    "1,2025-01-06 08:00,10,Y,100,20,Ann,Billing,2.50,N,N,100%,Eve\n"
    "2,2025-01-06 08:01,30,Y,200,10,Bob,Billing,4.00,Y,Y,50%,Max\n"
    "3,2025-01-06 08:02,5,N,,,,Billing,0.10,,,,\n"
    "4,2025-01-06 08:03,8,Y,60,0,Ann,Data,,N,maybe,75%,Eve\n"
)

CHINESE = (
    "通话流水号,开始时间,排队时长,是否接通,通话时长,话后处理时长,坐席,业务类型,费用,是否投诉,"
    "业务差错,工单完整率,质检员\n"
    "1,2025-01-06 08:00,10,是,100,20,张三,账单,2.5,否,否,1,王五\n"
    "2,2025-01-06 08:01,30,是,200,10,李四,账单,4,是,是,0.5,赵六\n"
    "3,2025-01-06 08:02,5,否,,,,账单,,,,,\n"
)


def _problem_codes(result) -> set[str]:
    return set(result.problems["code"])


def test_english_headers_map_to_the_quality_columns():
    mapping = guess_mapping(ENGLISH.splitlines()[0].split(","))
    assert mapping["cost"] == "Cost"
    assert mapping["complaint"] == "Complaint"
    assert mapping["business_error"] == "Business Error"
    assert mapping["entry_completeness"] == "Completeness (%)"
    assert mapping["evaluator"] == "QA Evaluator"


def test_english_file_loads_flags_numbers_and_evaluator():
    result = load(ENGLISH.encode())
    frame = result.frame
    assert list(frame.columns) == list(CALL_COLUMNS)
    assert frame["cost"].tolist()[:3] == [2.5, 4.0, 0.1]
    assert np.isnan(frame["cost"].iloc[3])  # blank cost stays unknown
    assert frame["complaint"].dtype == "boolean"
    assert frame["complaint"].tolist()[:2] == [False, True]
    assert frame["complaint"].isna().tolist() == [False, False, True, False]
    # "maybe" is no yes/no: set missing and reported
    assert frame["business_error"].isna().tolist() == [False, False, True, True]
    assert "unparseable_boolean" in _problem_codes(result)
    # "100%", "50%", "75%" -> 1.0, 0.5, 0.75 (percent signs: divided by 100)
    assert frame["entry_completeness"].tolist()[0:2] == [1.0, 0.5]
    assert frame["entry_completeness"].iloc[3] == 0.75
    assert isinstance(frame["evaluator"].dtype, pd.CategoricalDtype)
    assert frame["evaluator"].astype(object).tolist()[:2] == ["Eve", "Max"]


def test_gbk_chinese_headers_load():
    result = load(CHINESE.encode("gbk"), encoding="gbk")
    frame = result.frame
    assert result.encoding == "gbk"
    assert frame["cost"].tolist()[:2] == [2.5, 4.0]
    assert frame["complaint"].tolist()[:2] == [False, True]  # 否, 是
    assert frame["business_error"].tolist()[:2] == [False, True]
    # 0/1 and 0.5: not every value is yes/no, so the numbers are shares (1 and 0.5)
    assert frame["entry_completeness"].tolist()[:2] == [1.0, 0.5]
    assert frame["evaluator"].astype(object).tolist()[:2] == ["王五", "赵六"]


def test_completeness_written_as_yes_no_reads_as_one_and_zero():
    text = (
        "call_id,arrived_at,wait_s,answered,talk_s,小结完整\n"
        "1,2025-01-06 08:00,10,Y,100,是\n"
        "2,2025-01-06 08:01,30,Y,200,否\n"
    )
    frame = load(text.encode("gbk")).frame
    assert frame["entry_completeness"].tolist() == [1.0, 0.0]


def test_completeness_above_one_is_a_percentage_and_out_of_range_is_missing():
    text = (
        "call_id,arrived_at,wait_s,answered,talk_s,entry completeness\n"
        "1,2025-01-06 08:00,10,Y,100,80\n"
        "2,2025-01-06 08:01,30,Y,200,100\n"
        "3,2025-01-06 08:02,30,Y,200,150\n"
    )
    result = load(text.encode())
    # values above 1: percentages, 80 -> 0.8, 100 -> 1.0; 150 % is out of range -> missing
    assert result.frame["entry_completeness"].tolist()[:2] == [0.8, 1.0]
    assert np.isnan(result.frame["entry_completeness"].iloc[2])
    assert "out_of_range" in _problem_codes(result)


def test_complaint_is_derived_from_a_complaint_category():
    text = (
        "call_id,arrived_at,wait_s,answered,talk_s,category\n"
        "1,2025-01-06 08:00,10,Y,100,Billing\n"
        "2,2025-01-06 08:01,30,Y,200,Complaint - billing\n"
        "3,2025-01-06 08:02,30,Y,200,\n"
        "4,2025-01-06 08:03,30,N,,Billing\n"
    )
    result = load(text.encode())
    # row 2's category names a complaint; row 3 has no category: unknown
    assert result.frame["complaint"].astype(object).where(
        result.frame["complaint"].notna(), None
    ).tolist() == [False, True, None, False]
    problem = result.problems[result.problems["code"] == "derived_complaint"].iloc[0]
    assert problem["level"] == "info"
    assert problem["rows"] == 3  # the rows with a known category
    assert problem["params"]["categories"] == ["Complaint - billing"]


def test_chinese_complaint_category():
    text = "call_id,arrived_at,wait_s,answered,talk_s,业务类型\n1,2025-01-06 08:00,10,是,100,投诉\n2,2025-01-06 08:01,10,是,100,查询\n"
    frame = load(text.encode("gbk")).frame
    assert frame["complaint"].tolist() == [True, False]


def test_no_complaint_category_leaves_the_flag_unknown():
    text = (
        "call_id,arrived_at,wait_s,answered,talk_s,category\n1,2025-01-06 08:00,10,Y,100,Billing\n"
    )
    result = load(text.encode())
    assert result.frame["complaint"].isna().all()
    assert "derived_complaint" not in _problem_codes(result)


def test_a_complaint_column_wins_over_the_category():
    text = (
        "call_id,arrived_at,wait_s,answered,talk_s,category,complaint\n"
        "1,2025-01-06 08:00,10,Y,100,Complaints,N\n"
    )
    result = load(text.encode())
    assert result.frame["complaint"].tolist() == [False]
    assert "derived_complaint" not in _problem_codes(result)


@pytest.mark.parametrize("missing", ["cost", "complaint", "business_error", "entry_completeness"])
def test_absent_columns_are_all_missing(missing):
    text = "call_id,arrived_at,wait_s,answered\n1,2025-01-06 08:00,10,Y\n"
    frame = load(text.encode()).frame
    assert frame[missing].isna().all()
