"""Browser journey of the Drill-down page: control-chart signal → drill-down → split twice → download.

A real ``streamlit run app.py`` driven by Playwright and Debian's Chromium
(``tests/browser/conftest.py``). The app is opened at the deep link a
control-chart signal produces (``day`` + ``interval`` + the chart's granularity
``dd_minutes``) on the surge morning of the sample (``INCIDENTS["surge"]``);
the verdict box must hold ``drill.explain``'s summary for that window, two bar
clicks in the decomposition tree must open the top value of each level (as
``drill.decompose`` ranks them), and the downloaded CSV must hold exactly the
calls ``drill.element_calls`` returns for the path. Screenshots of the page in
English and Chinese go to ``test-artifacts/`` (gitignored).

Without Chromium these tests skip, except with ``CI=true``.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from ccmetrics import drill, i18n, io, kpi, sample
from ccmetrics.schema import KpiSettings
from pages.drilldown_page import decode_path
from tests.browser.conftest import ARTIFACTS, VIEWPORT
from tests.browser.helpers import assert_no_exception, open_app, query, title, wait_for_script

pytestmark = pytest.mark.browser

TALL = {"width": 1440, "height": 4400}
SURGE = sample.INCIDENTS["surge"]
DAY = SURGE["first_date"]
START = pd.Timestamp(f"{DAY} 09:00")
END = START + pd.Timedelta(minutes=60)
#: what a click on the 09:00 point of an hourly control chart opens
SIGNAL_LINK = f"drill-down?day={DAY}&interval={DAY}T09:00&dd_minutes=60"


@pytest.fixture(scope="module")
def calls():
    """The sample as the app prepares it (FCR flags on the whole frame)."""
    frame = io.load(sample.SAMPLE_DIR / "calls.parquet").frame
    return kpi.add_fcr_flags(frame, KpiSettings())


def charts(tab):
    return tab.locator('[data-testid="stVegaLiteChart"]')


def click_top_bar(tab, chart) -> None:
    """Click the first (largest-impact) row of a tree level: scan down its middle for a bar."""
    chart.scroll_into_view_if_needed()
    tab.wait_for_timeout(300)
    box = chart.bounding_box()
    assert box and box["height"] > 80
    x = box["x"] + box["width"] * 0.5
    for step in range(int(box["height"] // 2)):
        y = box["y"] + 2 * step
        hit = tab.evaluate(
            "([x, y]) => { const e = document.elementFromPoint(x, y); "
            "return !!e && !!e.parentNode && "
            "(e.parentNode.getAttribute('class') || '').includes('mark-rect'); }",
            [x, y],
        )
        if hit:
            tab.mouse.click(x, y + 4)
            wait_for_script(tab)
            return
    raise AssertionError("no bar found in the tree level")


def test_signal_to_drilldown_split_twice_and_download(browser, server, calls, tmp_path):
    context = browser.new_context(viewport=VIEWPORT, locale="en-US", accept_downloads=True)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        open_app(tab, server)  # a fresh server's first request may show "Page not found"
        open_app(tab, server, SIGNAL_LINK)
        assert_no_exception(tab, server)
        assert title(tab) == "Drill-down"
        assert tab.get_by_text("Explaining 2025-03-11 (Tue) 09:00–10:00").first.is_visible()

        e = drill.explain(calls, (START, END), metric="service_level")
        verdict = tab.locator('[data-testid="stAlertContentInfo"]').first.inner_text()
        assert e.summary["en"] in verdict
        assert charts(tab).count() == 2  # the day by hour, tree level 1

        # split 1: the top bar of level 1
        click_top_bar(tab, charts(tab).nth(1))
        assert_no_exception(tab, server)
        path = decode_path(query(tab)["dd_path"][0])
        assert len(path) == 1
        dim, value = path[0]
        level = drill.decompose(calls, (START, END), e.baseline, dim)
        assert value == level.loc[0, "value"]
        assert charts(tab).count() == 3

        # split 2: the top bar of level 2
        click_top_bar(tab, charts(tab).nth(2))
        assert_no_exception(tab, server)
        path = decode_path(query(tab)["dd_path"][0])
        assert len(path) == 2 and path[0] == (dim, value)
        level = drill.decompose(calls, (START, END), e.baseline, path[1][0], path=dict(path[:1]))
        assert path[1][1] == level.loc[0, "value"]
        assert charts(tab).count() == 4

        # download the calls behind the node
        behind = drill.element_calls(calls, dict(path), [(START, END)])
        label = f"Download the {i18n.format_number(len(behind), 'count')} rows (CSV)"
        button = tab.get_by_role("button", name=label)
        button.scroll_into_view_if_needed()
        with tab.expect_download() as download_info:
            button.click()
        saved = tmp_path / download_info.value.suggested_filename
        download_info.value.save_as(saved)
        data = saved.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf")
        table = pd.read_csv(saved, encoding="utf-8-sig", dtype=str)
        assert len(table) == len(behind)
        assert list(table["call id"]) == list(behind["call_id"].astype(str))

        # the page as a manager sees it, in English and in Chinese
        ARTIFACTS.mkdir(exist_ok=True)
        tab.set_viewport_size(TALL)
        wait_for_script(tab)
        tab.locator("h1").first.scroll_into_view_if_needed()
        tab.screenshot(path=str(ARTIFACTS / "drilldown_en.png"))
        tab.locator('[data-testid="stSidebar"] label').filter(has_text="简体中文").first.click()
        wait_for_script(tab)
        assert_no_exception(tab, server)
        assert title(tab) == i18n.ZH["nav.drilldown"]
        assert query(tab)["lang"] == ["zh"]
        assert decode_path(query(tab)["dd_path"][0]) == path  # the path survives the switch
        verdict = tab.locator('[data-testid="stAlertContentInfo"]').first.inner_text()
        assert e.summary["zh"] in verdict
        assert re.search(r"第 3 层", tab.locator('[data-testid="stMain"]').inner_text())
        tab.locator("h1").first.scroll_into_view_if_needed()
        tab.screenshot(path=str(ARTIFACTS / "drilldown_zh.png"))
    finally:
        context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"
