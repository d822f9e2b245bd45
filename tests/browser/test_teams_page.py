"""Browser journey of the Teams page: ``streamlit run app.py`` driven by Playwright and Chromium.

Open Teams from the menu, switch the KPI, open an agent's card, then switch to 中文;
the English and Chinese views are saved as screenshots under ``test-artifacts/``
(``teams_en.png``, ``teams_zh.png``). Without Chromium these tests skip, except with
``CI=true``, where a missing browser is a failure.
"""

from __future__ import annotations

import pytest

from ccmetrics import i18n
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

#: Tall enough to hold the whole page in one screenshot (the app scrolls inside its own frame).
FULL_PAGE = {"width": 1440, "height": 4600}
#: An agent of the low-quality team (INCIDENTS["low_quality_team"]): the card has gaps beyond noise.
AGENT = "A0312"


def pick(tab, label: str, option: str) -> None:
    """Choose ``option`` in the selectbox labelled ``label`` (typed, so long lists work too)."""
    box = tab.locator('[data-testid="stSelectbox"]').filter(has_text=label).first
    box.scroll_into_view_if_needed()
    box.locator("input").first.click()
    box.locator("input").first.fill(option)
    tab.locator('[role="option"]').filter(has_text=option).first.click()
    wait_for_script(tab)


def test_teams_journey_switch_kpi_open_agent_card_in_english_and_chinese(page, server):
    open_app(page, server)
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text="Teams").first.click()
    wait_for_script(page)
    assert_no_exception(page, server)
    assert title(page) == "Teams"
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
    full_screenshot(page, "teams_en", FULL_PAGE)

    # the same view in Chinese
    page.locator('[data-testid="stSidebar"] label').filter(has_text="简体中文").first.click()
    wait_for_script(page)
    assert_no_exception(page, server)
    assert title(page) == i18n.ZH["nav.teams"]
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
    full_screenshot(page, "teams_zh", FULL_PAGE)
