"""Browser journey of the Report page: ``streamlit run app.py`` driven by Playwright and Chromium.

A shared link opens the Report page with one finding ticked (the staffing shortfall);
the manager ticks the storm day too, types a note, builds the report, downloads the
PowerPoint deck (a real browser download) and opens it with python-pptx; the preview
shows the note as text, not markup. Then the same view in Chinese (the report is rebuilt
in Chinese). Screenshots: ``test-artifacts/report_page_en.png`` and ``report_page_zh.png``.
Last, the Overview's trend chart is downloaded as a PNG (rendered on click by the server).
Without Chromium these tests skip, except with ``CI=true``, where a missing browser fails.
"""

from __future__ import annotations

import pytest
from pptx import Presentation

from ccmetrics import i18n, sample
from tests.browser.helpers import (
    assert_no_exception,
    fonts_used_for,
    full_screenshot,
    open_app,
    query,
    title,
    wait_for_script,
)

pytestmark = pytest.mark.browser

#: Tall enough for the whole page, preview included (the app scrolls inside its own frame).
FULL_PAGE = {"width": 1440, "height": 2700}
STORM_DAY = sample.INCIDENTS["storm"]["first_date"]  # 2025-03-05
SHORTFALL_DAY = sample.INCIDENTS["staffing_shortfall"]["first_date"]  # 2025-03-17
SURGE_DAY = sample.INCIDENTS["surge"]["first_date"]  # 2025-03-11
NOTE = "Storm: <b>IVR message</b> added at 10:00 & extra staff from 13:00"


def finding_box(tab, day: str):
    return tab.locator('[data-testid="stCheckbox"]').filter(has_text=day).first


def is_ticked(tab, day: str) -> bool:
    return finding_box(tab, day).locator("input").is_checked()


def test_report_journey_tick_note_build_download_pptx_in_english_and_chinese(
    page, server, tmp_path
):
    # a shared link: the Report page with only the staffing shortfall ticked
    open_app(page, server, f"?page=report&rp_days={SHORTFALL_DAY}")
    assert_no_exception(page, server)
    assert title(page) == i18n.EN["nav.report"]
    assert is_ticked(page, SHORTFALL_DAY) and not is_ticked(page, STORM_DAY)

    # tick the storm day: its notes box appears, and the URL follows the ticked days
    finding_box(page, STORM_DAY).locator("label").first.click()
    wait_for_script(page)
    assert is_ticked(page, STORM_DAY)
    assert set(query(page)["rp_days"][0].split(",")) == {SHORTFALL_DAY, STORM_DAY}
    # tick the surge day too: the default choice (the three incidents) again, so no rp_days
    finding_box(page, SURGE_DAY).locator("label").first.click()
    wait_for_script(page)
    assert is_ticked(page, SURGE_DAY)
    assert "rp_days" not in query(page)
    note_box = page.get_by_label(i18n.t("report.note_label", "en", day=STORM_DAY))
    note_box.fill(NOTE)
    note_box.press("Control+Enter")
    wait_for_script(page)

    page.get_by_role("button", name=i18n.EN["report.build"]).click()
    wait_for_script(page)
    assert_no_exception(page, server)
    assert page.get_by_text("Built ").first.is_visible()

    # the preview draws the note as text (escaped), not as markup
    preview = page.frame_locator('[data-testid="stMainBlockContainer"] iframe').first
    note = preview.locator(f"#finding-{STORM_DAY} .note")
    assert note.inner_text().strip() == NOTE
    assert preview.locator(f"#finding-{STORM_DAY} .note b").count() == 0

    # download the deck, as a manager would, and open it
    button = page.get_by_role("button", name=i18n.EN["report.download_pptx"])
    with page.expect_download() as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename.endswith("_en.pptx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    deck = Presentation(str(saved))
    texts = [
        " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        for slide in deck.slides
    ]
    assert sum(NOTE in text for text in texts) == 1
    assert any(STORM_DAY in text for text in texts) and any(SHORTFALL_DAY in text for text in texts)
    full_screenshot(page, "report_page_en", FULL_PAGE)

    # the same view in Chinese: the report is rebuilt in Chinese for the same choice
    page.locator('[data-testid="stSidebar"] label').filter(has_text="简体中文").first.click()
    wait_for_script(page)
    assert_no_exception(page, server)
    assert title(page) == i18n.ZH["nav.report"]
    assert query(page)["lang"] == ["zh"]
    assert is_ticked(page, STORM_DAY) and is_ticked(page, SHORTFALL_DAY)
    assert page.get_by_label(i18n.t("report.note_label", "zh", day=STORM_DAY)).input_value() == NOTE
    assert page.get_by_role("button", name=i18n.ZH["report.download_pptx"]).is_visible()
    assert preview.locator(f"#finding-{STORM_DAY} .note").inner_text().strip() == NOTE
    fonts = fonts_used_for(page, '[data-testid="stMainBlockContainer"] h1')
    assert any("CJK" in family or "Noto Sans SC" in family for family in fonts), fonts
    full_screenshot(page, "report_page_zh", FULL_PAGE)


def test_overview_chart_downloads_as_png(page, server, tmp_path):
    open_app(page, server)
    button = page.get_by_role("button", name=i18n.EN["report.download_png"]).first
    button.scroll_into_view_if_needed()
    with page.expect_download() as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename.startswith("overview_trend_")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert_no_exception(page, server)
