"""Real-browser tests: ``streamlit run app.py`` driven by Playwright and Debian's Chromium.

They open every page and wait for the script to finish, look for exception boxes,
upload a file and check the KPI tiles change to the values ``ccmetrics.kpi``
computes for it, click a day in the trend chart, switch to 中文 and check the
Chinese labels are drawn with a CJK font (not boxes). Screenshots go to
``test-artifacts/`` (gitignored); the English and Chinese Overview screenshots
are copied to ``docs/screenshots/`` for the README.

Without Chromium (``apt-get install chromium fonts-noto-cjk``) these tests skip,
except with ``CI=true``, where a missing browser is a failure.
"""

from __future__ import annotations

import gzip
import re
import shutil

import pandas as pd
import pytest

from ccmetrics import i18n, io, kpi, sample
from ccmetrics.schema import KpiSettings
from pages import common
from tests.browser.conftest import ARTIFACTS, SCREENSHOTS
from tests.browser.helpers import (
    CALLS_UPLOADER,
    assert_no_exception,
    fonts_used_for,
    open_app,
    query,
    screenshot,
    title,
    wait_for_script,
)

pytestmark = pytest.mark.browser

OVERVIEW_VIEWPORT = {"width": 1440, "height": 1900}


# ---------------------------------------------------------------- helpers


def tile_values(tab) -> dict[str, str]:
    """{label: value} of every KPI tile on the page."""
    values = {}
    for metric in tab.locator('[data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        values[label] = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return values


def click_nav(tab, text: str) -> None:
    tab.locator('[data-testid="stSidebarNav"] a').filter(has_text=text).first.click()
    wait_for_script(tab)


# ---------------------------------------------------------------- tests (in order: a fresh server first)


def test_deep_link_on_a_fresh_server_opens_the_view(page, server):
    """The very first request of a new server is a pasted link to a non-default page.

    The view is right. Streamlit itself may also show its "Page not found" notice on
    this one request: a ``pages/`` folder beside ``app.py`` makes a fresh server
    resolve the first URL against the folder's file names before ``st.navigation``
    runs (``PagesManager.uses_pages_directory``); from then on the process uses
    ``st.navigation`` only (checked in the next test).
    """
    open_app(page, server, "teams?lang=zh&from=2025-02-03&to=2025-02-16&sl=30")
    assert_no_exception(page, server)
    assert title(page) == i18n.ZH["nav.teams"]
    params = query(page)
    assert (
        params["from"] == ["2025-02-03"]
        and params["to"] == ["2025-02-16"]
        and params["sl"] == ["30"]
    )
    assert page.get_by_text(i18n.ZH["sidebar.date_range"]).first.is_visible()


def test_every_page_renders_without_exception(page, server):
    open_app(page, server)
    assert title(page) == "Overview"
    assert_no_exception(page, server)
    for url, _path, title_key, _icon in common.PAGES:
        click_nav(page, i18n.EN[title_key])
        assert title(page) == i18n.EN[title_key], url
        assert query(page)["page"] == [url]
        assert_no_exception(page, server)
        screenshot(page, f"page_{url}")
    # a pasted link to a page, once the server has run the app: no "Page not found" notice
    open_app(page, server, "staffing?lang=zh")
    assert title(page) == i18n.ZH["nav.staffing"]
    assert page.get_by_text("Page not found").count() == 0


def test_click_a_day_in_the_trend_opens_the_drilldown(page, server):
    open_app(page, server)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.scroll_into_view_if_needed()
    box = chart.bounding_box()
    assert box and box["height"] > 100
    # bars rise from the bottom of the plot: find a point low in the chart that is on a bar (not a gap)
    y = box["y"] + box["height"] * 0.62
    on_bar = None
    for step in range(200):
        x = box["x"] + box["width"] * (0.3 + step * 0.002)
        hit = page.evaluate(
            "([x, y]) => { const e = document.elementFromPoint(x, y); "
            "return !!e && !!e.parentNode && (e.parentNode.getAttribute('class') || '').includes('mark-rect'); }",
            [x, y],
        )
        if hit:
            on_bar = x
            break
    assert on_bar is not None, "no bar found in the trend chart"
    page.mouse.click(on_bar, y)
    wait_for_script(page)
    assert title(page) == "Drill-down"
    assert_no_exception(page, server)
    day = query(page)["day"][0]
    assert re.fullmatch(r"2025-\d\d-\d\d", day)
    assert page.get_by_text(f"KPIs by hour on {day}").is_visible()


def _february_export() -> tuple[bytes, pd.DataFrame]:
    """February calls of one queue written as a Chinese GBK export, and what the loader makes of it."""
    raw = pd.read_parquet(sample.SAMPLE_DIR / "calls.parquet")
    queue = sorted(raw["queue"].dropna().unique().astype(str))[0]
    subset = raw[
        (raw["arrived_at"] >= "2025-02-01")
        & (raw["arrived_at"] < "2025-03-01")
        & (raw["queue"] == queue)
    ]
    text = sample.calls_to_zh_frame(subset.reset_index(drop=True)).to_csv(
        index=False, lineterminator="\n"
    )
    data = gzip.compress(text.encode("gbk"), mtime=0)
    return data, kpi.add_fcr_flags(io.load(data).frame, KpiSettings())


def test_upload_changes_the_kpis(page, server, tmp_path):
    open_app(page, server)
    before = tile_values(page)
    data, frame = _february_export()
    export = tmp_path / "february_calls.csv.gz"
    export.write_bytes(data)

    click_nav(page, "Data")
    page.locator(CALLS_UPLOADER).set_input_files(str(export))
    wait_for_script(page)
    assert_no_exception(page, server)
    assert page.get_by_text("In use: february_calls.csv.gz").first.is_visible()
    screenshot(page, "data_after_upload")

    click_nav(page, "Overview")
    after = tile_values(page)
    compared = kpi.period_comparison(frame, "2025-02-01", "2025-03-01", KpiSettings()).set_index(
        "kpi"
    )
    for name in ("offered", "service_level", "aht_s"):
        label = i18n.EN[f"tile.{name}"]
        expected = i18n.format_number(compared.loc[name, "current"], kpi.KPI_UNITS[name])
        assert after[label] == expected, name
    assert after["Offered"] != before["Offered"]
    assert_no_exception(page, server)


def test_a_bad_upload_shows_a_message_not_a_traceback(page, server, tmp_path):
    bad = tmp_path / "not_calls.csv"
    bad.write_text("colour,size\nred,3\n", encoding="utf-8")
    open_app(page, server, "data")
    page.locator(CALLS_UPLOADER).set_input_files(str(bad))
    wait_for_script(page)
    assert_no_exception(page, server)
    alert = page.locator('[data-testid="stAlertContentError"]').first
    assert "The file could not be loaded: not_calls.csv has no column" in alert.inner_text()


def test_overview_in_english_and_chinese(page, server):
    page.set_viewport_size(OVERVIEW_VIEWPORT)
    open_app(page, server)
    assert_no_exception(page, server)
    assert list(tile_values(page)) == [i18n.EN[f"tile.{name}"] for name, _ in common.TILES]
    # the daily trend, the two heat maps and the caller's journey's two trends (the sample
    # has IVR data)
    assert page.locator('[data-testid="stVegaLiteChart"]').count() == 5
    screenshot(page, "overview_en")

    page.locator('[data-testid="stSidebar"] label').filter(has_text="简体中文").first.click()
    wait_for_script(page)
    assert_no_exception(page, server)
    assert title(page) == "总览"
    assert query(page)["lang"] == ["zh"]
    labels = list(tile_values(page))
    assert labels == [i18n.ZH[f"tile.{name}"] for name, _ in common.TILES]
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert all(i18n.ZH[key] in nav for _, _, key, _ in common.PAGES)
    # the Chinese text is drawn with a CJK font, not as boxes
    fonts = fonts_used_for(page, '[data-testid="stMetricLabel"] p')
    assert any("CJK" in family or "Noto Sans SC" in family for family in fonts), fonts
    screenshot(page, "overview_zh")

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ARTIFACTS / "overview_en.png", SCREENSHOTS / "overview_en.png")
    shutil.copyfile(ARTIFACTS / "overview_zh.png", SCREENSHOTS / "overview_zh.png")
