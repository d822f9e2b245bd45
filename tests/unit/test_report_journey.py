"""The report's journey and people blocks and its headline over the KPI registry.

Small hand-made calls: 28 days (2025-03-03 … 2025-03-30), each with the same four calls

====  ========  ====================  ==========  =====  ====  ========  ======
call  topic     IVR path              outcome     IVR s  wait  talk      agent
====  ========  ====================  ==========  =====  ====  ========  ======
1     Balance   Billing & Co > Bal.   answered    20     10    100       A1
2     Balance   Billing & Co > Bal.   answered    20     10    100       B2
3     Roaming   Roaming               abandoned   40     30    –         –
4     Roaming   Roaming               self-served 60     –     –         –
====  ========  ====================  ==========  =====  ====  ========  ======

By hand over the period: IVR 112 calls entering, 28 self-served (25.0%), mean IVR time
(20 + 20 + 40 + 60) / 4 = 35 s; queue 84 entering (calls 1–3), 28 lost (33.3%), mean wait
(10 + 10 + 30) / 3 = 16.7 s → "17 s"; conversation 56 calls, 100 s. Menu: "Billing & Co"
sends 56 agent-answered calls (100%), "Roaming" none, 50.0% self-served. Topics: Balance
(rank 1, depth 2) belongs higher than Roaming (rank 2, depth 1) — the rule of
:func:`ccmetrics.journey.topic_ranking` with top = 2 top-level options.

Roster: A1 from 2024-01-01, B2 from 2025-02-01, C3 from 2024-06-01 to 2025-03-16. Over the
28 days: person-days 28 + 28 + 14 = 70, average headcount 70 / 28 = 2.5, 1 leaver,
attrition 1 / 2.5 = 40.0%; the exact Poisson 95% interval of one event is
[χ²(0.025; 2)/2, χ²(0.975; 4)/2] = [0.0253, 5.5716] (Garwood 1936; tabulated), so
[1.0%, 222.9%]; annualised 0.4 × 365.25 / 28 = 521.8%. Tenure on the call dates: A1
427–454 days (band 12–24 months), B2 30–57 days (band 0–3).
"""

from __future__ import annotations

import io as bytes_io

import numpy as np
import pandas as pd
import pytest

from ccmetrics import journey, kpis
from ccmetrics.report import build_report, report_html, report_pptx
from ccmetrics.report.headline import headline_kpis

DAYS = pd.date_range("2025-03-03", periods=28, freq="D")
TOPIC = "<script>alert(1)</script>Balance"


def _calls(ivr: bool = True) -> pd.DataFrame:
    rows = []
    for day in DAYS:
        at = day + pd.Timedelta(hours=9)
        common = {"arrived_at": at}
        rows += [
            {
                **common,
                "category": TOPIC,
                "ivr_path": "Billing & Co > Balance",
                "ivr_s": 20.0,
                "ivr_contained": False,
                "wait_s": 10.0,
                "answered": True,
                "abandoned": False,
                "talk_s": 100.0,
                "agent": "A1",
            },
            {
                **common,
                "category": TOPIC,
                "ivr_path": "Billing & Co > Balance",
                "ivr_s": 20.0,
                "ivr_contained": False,
                "wait_s": 10.0,
                "answered": True,
                "abandoned": False,
                "talk_s": 100.0,
                "agent": "B2",
            },
            {
                **common,
                "category": "Roaming",
                "ivr_path": "Roaming",
                "ivr_s": 40.0,
                "ivr_contained": False,
                "wait_s": 30.0,
                "answered": False,
                "abandoned": True,
                "talk_s": np.nan,
                "agent": None,
            },
            {
                **common,
                "category": "Roaming",
                "ivr_path": "Roaming",
                "ivr_s": 60.0,
                "ivr_contained": True,
                "wait_s": np.nan,
                "answered": False,
                "abandoned": False,
                "talk_s": np.nan,
                "agent": None,
            },
        ]
    frame = pd.DataFrame(rows)
    frame["ivr_contained"] = frame["ivr_contained"].astype("boolean")
    if not ivr:
        frame = frame.drop(columns=["ivr_path", "ivr_s", "ivr_contained"])
        frame = frame[frame["answered"] | frame["abandoned"]].reset_index(drop=True)
    return frame


ROSTER = pd.DataFrame(
    {
        "agent": pd.array(["A1", "B2", "C3"], dtype="string"),
        "team": pd.array(["<b>North</b>", "South", "North"], dtype="string"),
        "start_date": pd.to_datetime(["2024-01-01", "2025-02-01", "2024-06-01"]),
        "leave_date": pd.to_datetime([None, None, "2025-03-16"]),
        "role": pd.array([None, None, None], dtype="string"),
    }
)
ROSTER.attrs["file"] = "roster <2025>.csv"


@pytest.fixture(scope="module")
def reports():
    calls = _calls()
    return {lang: build_report(calls, lang=lang, roster=ROSTER) for lang in ("en", "zh")}


@pytest.fixture(scope="module")
def html(reports):
    return {lang: report_html(report) for lang, report in reports.items()}


def test_the_journey_block_holds_the_stages_counted_by_hand(reports):
    stages = reports["en"].journey.stages.set_index("stage")
    assert list(stages.index) == ["ivr", "queue", "conversation"]  # no ACW column: no ACW row
    assert stages.loc["ivr", ["entered", "contained", "mean_s"]].tolist() == [112, 28, 35.0]
    assert stages.loc["queue", ["entered", "lost"]].tolist() == [84, 28]
    assert stages.loc["queue", "mean_s"] == pytest.approx(50 / 3)
    assert stages.loc["conversation", ["entered", "mean_s"]].tolist() == [56, 100.0]


def test_the_html_shows_the_stage_table_in_both_languages(html):
    en, zh = html["en"], html["zh"]
    section = en[en.index('id="journey"') : en.index("</section>", en.index('id="journey"'))]
    # IVR row: 112 entering, 25.0% self-served, 35 s; queue: 84, 28 lost, 33.3%, 17 s
    assert '<td>IVR</td><td class="num">112</td><td class="num">–</td>' in section
    assert '<td class="num">25.0%</td><td class="num">35 s</td>' in section
    assert (
        '<td>Queue</td><td class="num">84</td><td class="num">28</td>'
        '<td class="num">33.3%</td><td class="num">–</td><td class="num">17 s</td>'
    ) in section
    assert '<td>Conversation</td><td class="num">56</td>' in section
    assert "<h2>The caller&#x27;s journey</h2>" in en
    assert "<h2>来电旅程</h2>" in zh
    assert '<td>排队</td><td class="num">84</td><td class="num">28</td>' in zh
    assert "17 秒" in zh


def test_the_menu_and_the_topic_that_belongs_higher(reports, html):
    block = reports["en"].journey
    menu = journey.menu_ranking(_calls())
    top = menu[menu["level"] == "top"].reset_index(drop=True)
    pd.testing.assert_frame_equal(block.menu, top)
    assert block.top_options == 2
    assert block.menu["option"].tolist() == ["Billing & Co", "Roaming"]
    roaming = block.menu.iloc[1]
    assert roaming["containment"] == 0.5  # 28 of 56 self-served
    en = html["en"]
    assert "<td>Billing &amp; Co</td>" in en  # the data's "&" escaped
    assert '<td class="num">56</td><td class="num">100.0%</td>' in en
    assert '<td class="num">50.0%</td>' in en
    flagged = block.flagged
    assert flagged["category"].tolist() == [TOPIC]
    assert (flagged["easier_topic"].tolist(), flagged["easier_depth"].tolist()) == (
        ["Roaming"],
        [1],
    )
    sentence = (
        "&lt;script&gt;alert(1)&lt;/script&gt;Balance (rank 1 by agents&#x27; calls) sits at "
        "menu depth 2, while Roaming, asked less, sits at depth 1."
    )
    assert sentence in en
    assert "位于菜单第 2 层，而咨询更少的 Roaming 位于第 1 层。" in html["zh"]


def test_nothing_from_the_data_is_markup(html):
    for text in html.values():
        assert "<script>" not in text
        assert "<b>North" not in text
        assert "roster &lt;2025&gt;.csv" in text


def test_the_people_block_attrition_by_hand(reports, html):
    block = reports["en"].people
    summary = block.summary
    assert summary["average_headcount"] == pytest.approx(2.5)
    assert summary["leavers"] == 1
    assert summary["attrition_rate"] == pytest.approx(0.4)
    assert summary["ci_lower"] == pytest.approx(0.0253 / 2.5, abs=1e-4)
    assert summary["ci_upper"] == pytest.approx(5.5716 / 2.5, abs=1e-4)
    assert (
        "2025-03-03 – 2025-03-30: 1 leavers from an average headcount of 2.5, an attrition of "
        "40.0% over the period (95% interval 1.0% – 222.9%); annualised 521.8%"
    ) in html["en"]
    assert "平均在岗人数 2.5，离职 1 人，本期流失率 40.0%（95% 区间 1.0% – 222.9%）" in html["zh"]


def test_the_people_block_kpis_by_tenure(reports, html):
    tenure = reports["en"].people.tenure.set_index("tenure_band")
    assert tenure.loc["0–3", ["agents", "answered", "aht_s"]].tolist() == [1, 28, 100.0]
    assert tenure.loc["12–24", ["agents", "answered"]].tolist() == [1, 28]
    assert tenure.loc["3–6", "agents"] == 0
    en = html["en"]
    assert (
        '<td>0–3</td><td class="num">1</td><td class="num">28</td><td class="num">100 s</td>' in en
    )
    assert '<td>12–24</td><td class="num">1</td><td class="num">28</td>' in en
    assert (
        '<td>0–3</td><td class="num">1</td><td class="num">28</td><td class="num">100 秒</td>'
        in (html["zh"])
    )


def test_the_slides_carry_both_blocks():
    from pptx import Presentation

    calls = _calls()
    with_blocks = Presentation(bytes_io.BytesIO(report_pptx(build_report(calls, roster=ROSTER))))
    texts = [
        "\n".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        + "\n".join(
            cell.text
            for shape in slide.shapes
            if shape.has_table
            for row in shape.table.rows
            for cell in row.cells
        )
        for slide in with_blocks.slides
    ]
    journey_slides = [t for t in texts if "The caller's journey" in t]
    people_slides = [t for t in texts if "People: attrition and tenure" in t]
    assert len(journey_slides) == 1 and len(people_slides) == 1
    assert "Billing & Co" in journey_slides[0] and "sits at menu depth 2" in journey_slides[0]
    assert "40.0%" in people_slides[0] and "0–3" in people_slides[0]


def test_blocks_are_absent_without_ivr_or_roster():
    calls = _calls(ivr=False)
    report = build_report(calls, lang="zh")
    assert report.journey is None and report.people is None
    text = report_html(report)
    assert 'id="journey"' not in text and 'id="people"' not in text
    assert "ivr_containment" not in report.kpis["kpi"].tolist()


def test_the_headline_follows_the_registry():
    calls = _calls()
    names = headline_kpis(calls)
    assert names[: len(kpis.HEADLINE_KPIS)] == kpis.HEADLINE_KPIS
    for name in names[len(kpis.HEADLINE_KPIS) :]:
        entry = kpis.KPIS[name]
        assert entry.kind != "count" and entry.call_inputs
    assert "talk_s" not in names and "csat_top2box" not in names  # parts of another KPI
    without = headline_kpis(calls.drop(columns=["ivr_contained", "ivr_s", "ivr_path"]))
    assert not any(name.startswith("ivr") for name in without)


def test_the_headline_shows_ivr_containment_once_the_kpi_exists(reports):
    if "ivr_containment" not in kpis.KPIS:
        pytest.skip("ivr_containment is not yet in ccmetrics.kpis.KPIS")
    table = reports["en"].kpis.set_index("kpi")
    assert "ivr_containment" in table.index
    # 28 self-served of the 112 calls with IVR data
    assert table.loc["ivr_containment", "current"] == pytest.approx(0.25)
    assert table.loc["ivr_containment", "current_text"] == "25.0%"
    assert table.loc["ivr_containment", "name"] == "IVR containment"
    assert reports["zh"].kpis.set_index("kpi").loc["ivr_containment", "name"] == "IVR 自助解决率"


def test_people_block_without_headcount_or_agents():
    from ccmetrics.report.people import attrition_text, people_block, people_html
    from ccmetrics.schema import KpiSettings

    calls = _calls(ivr=False).assign(agent=None)
    # the period ends before anyone on the roster started
    start, end = pd.Timestamp("2023-03-01"), pd.Timestamp("2023-03-08")
    block = people_block(ROSTER, calls, start, end, KpiSettings())
    assert block.summary["average_headcount"] == 0 and block.tenure is None
    assert attrition_text(block, "en") == (
        "No agent of the roster was employed from 2023-03-01 to 2023-03-07."
    )
    text = "".join(people_html(block, "zh"))
    assert "2023-03-01 至 2023-03-07 期间花名册上没有在职坐席。" in text
    assert "来电数据没有坐席列" in text
    assert people_block(None, calls, start, end, KpiSettings()) is None


def test_a_categorical_menu_path_of_mixed_depths_ranks_as_text():
    """The loader's ivr_path is categorical; paths of one and two steps must still rank."""
    calls = _calls()
    as_category = calls.assign(ivr_path=calls["ivr_path"].astype("category"))
    pd.testing.assert_frame_equal(journey.menu_ranking(as_category), journey.menu_ranking(calls))
    pd.testing.assert_frame_equal(
        journey.topic_ranking(as_category, top=2), journey.topic_ranking(calls, top=2)
    )
    assert journey_block_of(as_category).flagged["category"].tolist() == [TOPIC]


def journey_block_of(calls):
    from ccmetrics.report.journey import journey_block
    from ccmetrics.schema import KpiSettings

    return journey_block(calls, KpiSettings())
