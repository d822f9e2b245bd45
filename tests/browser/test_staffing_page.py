"""Browser journey of the Staffing page: ``streamlit run app.py`` driven by Playwright and Chromium.

Open Staffing for the sample's staffing-shortfall day, read the attribution,
change the what-if calculator, switch to Chinese. Full-page screenshots go to
``test-artifacts/staffing_*.png`` (gitignored). Expected numbers are recomputed
with ``ccmetrics.staffing`` (the what-if's published example is in
tests/app/test_staffing_page.py).

Skips without Chromium (``apt-get install chromium fonts-noto-cjk``), fails with ``CI=true``.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ccmetrics import i18n, io, kpi, sample, staffing
from tests.browser.conftest import ARTIFACTS, VIEWPORT
from tests.browser.helpers import (
    assert_no_exception,
    open_app,
    screenshot,
    title,
    wait_for_script,
)

pytestmark = pytest.mark.browser

SHORTFALL_DAY = sample.INCIDENTS["staffing_shortfall"]["first_date"]


def metric_values(tab, label: str) -> list[str]:
    """Values of the metrics whose label is ``label``."""
    values = []
    for metric in tab.locator('[data-testid="stMetric"]').all():
        if metric.locator('[data-testid="stMetricLabel"]').inner_text().strip() == label:
            values.append(metric.locator('[data-testid="stMetricValue"]').inner_text().strip())
    return values


def whole_page_screenshot(tab, name: str) -> None:
    """Screenshot of the whole page: Streamlit scrolls inside its main block, so the
    viewport is made as tall as the content for the shot, then restored."""
    height = tab.evaluate(
        """() => document.querySelector('[data-testid="stMainBlockContainer"]').scrollHeight"""
    )
    tab.set_viewport_size({"width": VIEWPORT["width"], "height": int(height) + 200})
    tab.wait_for_timeout(1500)  # charts redraw at the new size
    screenshot(tab, name)
    tab.set_viewport_size(VIEWPORT)
    tab.wait_for_timeout(500)


def test_staffing_journey(browser, server):
    calls = io.load(sample.SAMPLE_DIR / "calls.parquet").frame
    plan = io.load(sample.SAMPLE_DIR / "intervals.csv").frame
    start = pd.Timestamp(SHORTFALL_DAY)
    end = start + pd.Timedelta(days=1)
    expected = staffing.why_day(
        staffing.why_intervals(kpi.subset(calls, start, end), kpi.subset(plan, start, end))
    ).iloc[0]

    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        # a fresh server's first request may show Streamlit's "Page not found" notice for a
        # page path (see tests/browser/test_app.py): open the app once first
        open_app(tab, server)
        # open Staffing for the shortfall day (as the Drill-down's link would)
        open_app(tab, server, f"staffing?day={SHORTFALL_DAY}")
        assert_no_exception(tab, server)
        assert title(tab) == i18n.EN["nav.staffing"]
        assert metric_values(tab, i18n.EN["staff.tile_cause"]) == [i18n.EN["staff.effect_staffing"]]
        assert metric_values(tab, i18n.EN["staff.tile_measured"]) == [
            i18n.format_number(expected["measured_sl"], "percent")
        ]
        charts = tab.locator('[data-testid="stVegaLiteChart"]').count()
        assert charts >= 8  # waterfall, 3 interval, 4 what-if, forecast charts
        pngs = tab.locator('[data-testid="stDownloadButton"]').filter(
            has_text=i18n.EN["report.download_png"]
        )
        assert pngs.count() == charts  # one "Download PNG" per chart
        whole_page_screenshot(tab, "staffing_en")

        # change the what-if: 200 calls instead of 100
        calls_input = tab.get_by_label(i18n.EN["staff.in_calls"])
        calls_input.scroll_into_view_if_needed()
        calls_input.fill("200")
        calls_input.press("Enter")
        wait_for_script(tab)
        assert_no_exception(tab, server)
        needed = metric_values(tab, i18n.EN["staff.required"])
        assert needed[0] == str(staffing.agents_required(200, 1800, 180, 0.8, 20))
        assert needed[1] == str(
            staffing.agents_required(200, 1800, 180, 0.8, 20, model="erlang_a", patience_s=300)
        )
        assert "st_calls=200" in tab.url
        whatif = tab.get_by_text(i18n.EN["staff.whatif_title"])
        whatif.scroll_into_view_if_needed()
        screenshot(tab, "staffing_whatif_en")

        # the queue of the charts: one queue, then back to all (the option with a translated label)
        queue_box = tab.locator('.st-key-staff_queue [role="combobox"]').first
        for option in ("VIP", i18n.EN["staff.all_queues"]):
            queue_box.scroll_into_view_if_needed()
            queue_box.click()
            tab.get_by_role("option", name=option, exact=True).click()
            wait_for_script(tab)
        assert queue_box.input_value() == i18n.EN["staff.all_queues"]
        tab.get_by_role("radio", name=i18n.EN["staff.attr_sequential"]).click()
        wait_for_script(tab)

        # Chinese: the choices keep their value and show it under the Chinese label
        tab.locator('[data-testid="stSidebar"] label').filter(has_text="简体中文").first.click()
        wait_for_script(tab)
        assert_no_exception(tab, server)
        assert queue_box.input_value() == i18n.ZH["staff.all_queues"]
        split = tab.get_by_role("radio", name=i18n.ZH["staff.attr_sequential"])
        assert split.get_attribute("aria-checked") == "true"
        assert title(tab) == i18n.ZH["nav.staffing"]
        assert metric_values(tab, i18n.ZH["staff.tile_cause"]) == [i18n.ZH["staff.effect_staffing"]]
        assert tab.get_by_label(i18n.ZH["staff.in_calls"]).input_value() == "200"
        whole_page_screenshot(tab, "staffing_zh")
    finally:
        tab.screenshot(path=str(ARTIFACTS / "last_staffing_journey.png"))
        context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"
