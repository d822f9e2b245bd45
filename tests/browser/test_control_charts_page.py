"""Browser journey of the Control charts page: pick a KPI, see the chart, click a
signal point, land on the Drill-down page with that day selected.

A real ``streamlit run app.py`` driven by Playwright and Debian's Chromium (fixtures of
tests/browser/conftest.py, helpers of tests/browser/helpers.py). Screenshots of the page
in English and Chinese and of the small multiples go to ``test-artifacts/``.
"""

from __future__ import annotations

import pytest

from ccmetrics import i18n, sample
from tests.browser.helpers import (
    assert_no_exception,
    open_app,
    query,
    screenshot,
    title,
    wait_for_script,
)

pytestmark = pytest.mark.browser

FULL_RANGE = "from=2025-01-01&to=2025-03-31"
INCIDENT_DAYS = {
    sample.INCIDENTS[name]["first_date"] for name in ("storm", "surge", "staffing_shortfall")
}
SIGNAL_FILL = "#d62728"


def signal_points(tab, chart_index: int = 0):
    """The clickable signal marks (red filled symbols) of a chart, as element handles."""
    chart = tab.locator('[data-testid="stVegaLiteChart"]').nth(chart_index)
    chart.scroll_into_view_if_needed()
    tab.wait_for_timeout(300)
    return chart.locator(f'g.mark-symbol.role-mark path[fill="{SIGNAL_FILL}"]').all()


def choose(tab, key: str, option: str) -> None:
    """Pick ``option`` in the selectbox with widget key ``key`` (a react-aria combobox)."""
    tab.locator(f'.st-key-{key} [role="combobox"]').first.click()
    tab.get_by_role("option", name=option, exact=True).click()
    wait_for_script(tab)


def test_pick_a_kpi_click_a_signal_land_on_the_drilldown(page, server):
    page.set_viewport_size({"width": 1440, "height": 1500})
    # a fresh server's first request may show Streamlit's "Page not found" notice over a
    # non-default page (see tests/browser/test_app.py): open the app's root first
    open_app(page, server)
    open_app(page, server, f"control-charts?{FULL_RANGE}")
    assert_no_exception(page, server)
    assert title(page) == i18n.EN["nav.control_charts"]

    choose(page, "cc_kpi", i18n.EN["kpi.answer_rate"])
    assert query(page)["cc_kpi"] == ["answer_rate"]
    # in the page, not the sidebar's (collapsed) targets editor, which names the KPI too
    main = page.locator('[data-testid="stMain"]')
    assert main.get_by_text(i18n.EN["kpi.answer_rate"]).first.is_visible()
    marks = signal_points(page)
    # the daily answer rate over the 90 sample days signals on the three incident days
    # (measured with ccmetrics.spc.kpi_chart; the AppTest checks the numbers)
    assert len(marks) >= 3, "no signal points drawn"
    screenshot(page, "control_charts_en")

    box = marks[-1].bounding_box()
    assert box
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_for_script(page)
    assert title(page) == i18n.EN["nav.drilldown"]
    assert_no_exception(page, server)
    day = query(page)["day"][0]
    assert day in INCIDENT_DAYS
    assert page.get_by_text(f"{day} (").first.is_visible()  # the window the drill-down explains


def test_chinese_page_and_small_multiples(page, server):
    page.set_viewport_size({"width": 1440, "height": 1500})
    open_app(page, server, f"control-charts?lang=zh&{FULL_RANGE}")
    assert_no_exception(page, server)
    assert title(page) == i18n.ZH["nav.control_charts"]
    assert len(signal_points(page)) >= 3
    screenshot(page, "control_charts_zh")

    page.set_viewport_size({"width": 1440, "height": 2000})
    open_app(page, server, f"control-charts?lang=en&cc_view=all&{FULL_RANGE}")
    assert_no_exception(page, server)
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    assert charts.count() >= 8  # every KPI the sample supports
    screenshot(page, "control_charts_small_multiples")
