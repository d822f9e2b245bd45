"""AppTests: with a queue filter in the sidebar, the pages tell the report's story of those queues.

The app's own sample (2025-01-01 to 2025-03-31, with its interval plan per queue) opened on
2025-03-04..2025-03-31 with only the VIP queue picked, through the link's ``queue``: the
story the pages show is the one the report of that period and that filter prints
(``ccmetrics.report.build_report`` with ``filters={"queue": ["VIP"]}`` and the same plan,
as the Report page builds it), not the whole center's. On 2025-03-11 the center had a demand
surge (54.5 % served in time) while VIP calls were served as usual (82.2 % against 83.2 %);
on 2025-03-17 VIP had 48 agent-hours staffed against 72 scheduled, the center 254 against
380.
"""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ccmetrics import i18n, io, sample, story
from ccmetrics.report import build_report
from pages.story_panel import markdown_text
from tests.conftest import REPO_ROOT, sample_dir

TIMEOUT_S = 120
FIRST, LAST = "2025-03-04", "2025-03-31"
QUEUE = "VIP"


@pytest.fixture(scope="module")
def vip_report():
    """The report of FIRST..LAST for VIP with the sample's plan: its findings by day."""
    folder = sample_dir()
    calls = io.load(folder / "calls.parquet").frame
    plan = io.load(folder / "intervals.csv").frame
    built = build_report(
        calls,
        start=FIRST,
        end=pd.Timestamp(LAST) + pd.Timedelta(days=1),
        findings=["2025-03-11", "2025-03-17"],
        intervals=plan,
        filters={"queue": [QUEUE]},
    )
    return {
        "folder": folder,
        "findings": {f.id: f for f in built.findings},
        "calibration_text": built.calibration_text,
    }


def shown_story(at: AppTest, lang: str = "en") -> list[str]:
    title = f"**{i18n.t('story.title', lang)}** — "
    return [info.value[len(title) :] for info in at.info if info.value.startswith(title)]


def open_page(monkeypatch, folder, page: str, day: str, lang: str = "en") -> AppTest:
    monkeypatch.setattr(sample, "SAMPLE_DIR", folder)
    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT_S)
    app.query_params.update(
        {"page": page, "from": FIRST, "to": LAST, "day": day, "queue": QUEUE, "lang": lang}
    )
    at = app.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_overview_tells_the_reports_story_of_the_queues_picked(monkeypatch, vip_report, lang):
    """VIP on 2025-03-11: no significant change (82.2 % against 83.2 %), as the report says;
    the whole center's demand surge is not VIP's story."""
    finding = vip_report["findings"]["2025-03-11"]
    assert finding.story.cause == "no_significant_change"
    assert "82.2%" in finding.story_text and "83.2%" in finding.story_text
    at = open_page(monkeypatch, vip_report["folder"], "overview", "2025-03-11", lang)
    # build_report words the story with describe(story, lang): the English report's story
    # object in the page's language is the sentence a report built in that language prints
    assert shown_story(at, lang) == [markdown_text(story.describe(finding.story, lang))]


def test_staffing_page_tells_the_reports_staffing_story_of_the_queues_picked(
    monkeypatch, vip_report
):
    """VIP on 2025-03-17: the plan is split by queue, so the supply shortfall is VIP's own
    48 agent-hours against 72, as in the report (the center had 254 against 380)."""
    finding = vip_report["findings"]["2025-03-17"]
    assert finding.story.cause == "supply_shortfall"
    assert "48 agent-hours staffed against 72 scheduled" in finding.story_text
    at = open_page(monkeypatch, vip_report["folder"], "staffing", "2025-03-17")
    assert shown_story(at) == [markdown_text(finding.story_text)]


def test_staffing_page_states_the_reports_calibration_of_the_queues_picked(monkeypatch, vip_report):
    """The Staffing page's calibration line under the VIP filter is the report's for VIP (the
    model calibrated on VIP's calls and plan rows, as its stories are), not the whole
    center's: the two calibrations differ on the sample (the whole center's is checked to
    be another sentence, so the test can tell them apart)."""
    said = vip_report["calibration_text"]
    assert said
    folder = vip_report["folder"]
    whole = build_report(
        io.load(folder / "calls.parquet").frame,
        start=FIRST,
        end=pd.Timestamp(LAST) + pd.Timedelta(days=1),
        findings=[],
        intervals=io.load(folder / "intervals.csv").frame,
    ).calibration_text
    assert whole and whole != said
    at = open_page(monkeypatch, folder, "staffing", "2025-03-17")
    captions = [caption.value for caption in at.caption]
    assert said in captions and whole not in captions
