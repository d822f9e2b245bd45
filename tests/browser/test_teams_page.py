"""Browser journey of the Teams page: ``streamlit run app.py`` driven by Playwright and Chromium.

Open Teams from the menu, switch the KPI, open an agent's card, then switch to 中文;
the English and Chinese views are saved as screenshots under ``test-artifacts/``
(``teams_en.png``, ``teams_zh.png``). Without Chromium these tests skip, except with
``CI=true``, where a missing browser is a failure.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest

from ccmetrics import i18n
from tests.browser.conftest import ARTIFACTS, VIEWPORT

pytestmark = pytest.mark.browser

SCRIPT_TIMEOUT_MS = 60_000
#: Tall enough to hold the whole page in one screenshot (the app scrolls inside its own frame).
FULL_PAGE = {"width": 1440, "height": 4600}
#: An agent of the low-quality team (INCIDENTS["low_quality_team"]): the card has gaps beyond noise.
AGENT = "A0312"


def wait_for_script(tab) -> None:
    """Wait until the app's script run has finished and every element is drawn."""
    tab.wait_for_timeout(250)
    tab.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=SCRIPT_TIMEOUT_MS
    )
    tab.wait_for_function(
        "() => !document.querySelector("
        '\'[data-testid="stSpinner"], [data-testid="stSkeleton"], '
        '[data-testid="stSkeletonElement"], [data-testid="stAppSkeleton"]\')',
        timeout=SCRIPT_TIMEOUT_MS,
    )
    tab.wait_for_timeout(300)


def assert_no_exception(tab, server) -> None:
    boxes = tab.locator('[data-testid="stException"]')
    assert boxes.count() == 0, f"exception on {tab.url}: {boxes.first.inner_text()}\n{server.log()}"


def query(tab) -> dict[str, list[str]]:
    return parse_qs(urlparse(tab.url).query)


def pick(tab, label: str, option: str) -> None:
    """Choose ``option`` in the selectbox labelled ``label`` (typed, so long lists work too)."""
    box = tab.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.scroll_into_view_if_needed()
    box.locator("input").first.click()
    box.locator("input").first.fill(option)
    tab.locator('[role="option"]').filter(has_text=option).first.click()
    wait_for_script(tab)


def full_screenshot(tab, name: str) -> None:
    """The whole page as one image (a tall viewport, then back)."""
    ARTIFACTS.mkdir(exist_ok=True)
    tab.set_viewport_size(FULL_PAGE)
    wait_for_script(tab)
    tab.wait_for_timeout(1500)  # charts re-layout to the new size
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    tab.set_viewport_size(VIEWPORT)
    wait_for_script(tab)


def fonts_used_for(tab, selector: str) -> list[str]:
    """Font families Chromium used to draw the text of the first node matching ``selector``."""
    cdp = tab.context.new_cdp_session(tab)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"no node for {selector}"
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return [font["familyName"] for font in fonts if font.get("glyphCount", 0) > 0]


def test_teams_journey_switch_kpi_open_agent_card_in_english_and_chinese(page, server):
    page.goto(server.url, wait_until="domcontentloaded")
    wait_for_script(page)
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Teams").first.click()
    wait_for_script(page)
    assert_no_exception(page, server)
    assert page.locator("h1").first.inner_text().strip() == "Teams"
    assert query(page)["page"] == ["teams"]
    assert query(page)["tm_kpi"] == ["qa_mean"]
    funnel_info = page.get_by_text("1 of 8 teams differs from the centre on QA score").first
    assert funnel_info.is_visible()  # the low-quality team, named by the funnel

    # switch the KPI: the page follows, and the URL keeps it
    pick(page, i18n.EN["teams.kpi"], i18n.EN["kpi.aht_s"])
    assert_no_exception(page, server)
    assert query(page)["tm_kpi"] == ["aht_s"]
    assert page.get_by_text("on AHT (average handle time)").first.is_visible()
    assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 5

    # open an agent's card
    pick(page, i18n.EN["teams.card_pick"], AGENT)
    assert_no_exception(page, server)
    assert query(page)["tm_agent"] == [AGENT]
    summary = page.get_by_text(f"{AGENT} (Team 3):").first
    summary.scroll_into_view_if_needed()
    assert summary.is_visible()
    assert "beyond noise" in summary.inner_text()
    full_screenshot(page, "teams_en")

    # the same view in Chinese
    page.locator('[data-testid="stSidebar"] label').filter(has_text="简体中文").first.click()
    wait_for_script(page)
    assert_no_exception(page, server)
    assert page.locator("h1").first.inner_text().strip() == i18n.ZH["nav.teams"]
    assert query(page)["lang"] == ["zh"] and query(page)["tm_agent"] == [AGENT]
    assert page.get_by_text(i18n.ZH["teams.funnel_title"]).first.is_visible()
    # the choices are redrawn in Chinese, still chosen
    unit = page.locator('[data-testid="stRadio"]').filter(has_text=i18n.ZH["teams.unit"]).first
    assert unit.locator("input:checked").count() == 1
    assert (
        unit.locator("label").filter(has=page.locator("input:checked")).inner_text().strip()
        == (i18n.ZH["dim.team"])
    )
    kpi_box = page.locator('[data-testid="stSelectbox"]').filter(has_text=i18n.ZH["teams.kpi"])
    shown = kpi_box.first.locator("input").first.input_value() or kpi_box.first.inner_text()
    assert i18n.ZH["kpi.aht_s"] in shown, shown
    assert page.get_by_text(f"{AGENT}（Team 3）").first.is_visible()
    fonts = fonts_used_for(
        page, '[data-testid="stMainBlockContainer"] [data-testid="stWidgetLabel"] p'
    )
    assert any("CJK" in family or "Noto Sans SC" in family for family in fonts), fonts
    full_screenshot(page, "teams_zh")
