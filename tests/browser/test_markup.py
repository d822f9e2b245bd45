"""Browser check that nothing from a file is markup: the payload data set in Chromium.

``streamlit run app.py`` driven by Playwright and Debian's Chromium: the payload
data set (``tests/payload_data.py``: the sample whose queues, teams, categories,
segments, some agents and the file name are Markdown/HTML payloads) is uploaded on
the Data page, then every page is opened from the menu. Every request the page
makes is recorded: none may go to a host named in the data, no link or image
from the data may be in the page, and the payload names show as their own text.
Without Chromium this test skips, except with ``CI=true``, where a missing browser
is a failure.
"""

from __future__ import annotations

import io as bytes_io
import re
from urllib.parse import urlparse

import pytest

from ccmetrics import i18n, io, sample
from pages import common
from tests.browser.conftest import ARTIFACTS, VIEWPORT
from tests.browser.helpers import CALLS_UPLOADER, assert_no_exception, open_app, wait_for_script
from tests.payload_data import PAYLOAD_HOSTS, payload_calls

pytestmark = pytest.mark.browser

#: Longer than the other browser tests wait: the upload parses a whole payload copy of the
#: sample, and every page then recomputes from it.
PAYLOAD_TIMEOUT_MS = 90_000
PAYLOAD_SETTLE_MS = 500
#: The upload's name in the browser (a file name cannot hold "/", so no URL in it).
UPLOAD_NAME = "[f](e.example) **b** $x$.parquet"


def payload_parquet() -> bytes:
    frame = io.load(sample.SAMPLE_DIR / "calls.parquet").frame
    buffer = bytes_io.BytesIO()
    payload_calls(frame).to_parquet(buffer, index=False)
    return buffer.getvalue()


def to_data_host(url: str) -> bool:
    """Whether ``url`` points at a host named in the data (its host, not its query)."""
    host = urlparse(url.strip("'\" ")).netloc.lower()
    return any(host == h or host.endswith("." + h) for h in PAYLOAD_HOSTS)


def urls_in(found: list[str]) -> list[str]:
    """Hrefs and sources as they are; ``url(...)`` of inline styles unwrapped."""
    urls = []
    for ref in found:
        styled = re.findall(r"url\(([^)]*)\)", ref)
        urls += styled if styled else [ref]
    return urls


LINKS_AND_IMAGES = """() => [
  ...Array.from(document.querySelectorAll('a[href]'), a => a.href),
  ...Array.from(document.querySelectorAll('img[src]'), i => i.src),
  ...Array.from(document.querySelectorAll('[style*="url("]'), e => e.getAttribute('style')),
]"""


def test_the_payload_data_set_fetches_nothing_and_links_nothing(browser, server):
    context = browser.new_context(viewport=VIEWPORT, locale="en-US")
    tab = context.new_page()
    requests: list[str] = []
    errors: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.on("pageerror", lambda error: errors.append(str(error)))
    try:
        open_app(tab, server, timeout_ms=PAYLOAD_TIMEOUT_MS, settle_ms=PAYLOAD_SETTLE_MS)
        tab.locator('[data-testid="stSidebarNav"] a').filter(has_text="Data").first.click()
        wait_for_script(tab, timeout_ms=PAYLOAD_TIMEOUT_MS, settle_ms=PAYLOAD_SETTLE_MS)
        tab.locator(CALLS_UPLOADER).set_input_files(
            {
                "name": UPLOAD_NAME,
                "mimeType": "application/octet-stream",
                "buffer": payload_parquet(),
            }
        )
        # the upload loads, then the app reruns: wait for its name in the sidebar
        tab.wait_for_function(
            "name => document.querySelector('[data-testid=\"stSidebar\"]').innerText.includes(name)",
            arg=UPLOAD_NAME,
            timeout=PAYLOAD_TIMEOUT_MS,
        )
        wait_for_script(tab, timeout_ms=PAYLOAD_TIMEOUT_MS, settle_ms=PAYLOAD_SETTLE_MS)
        seen_text = ""
        for url, _, title_key, _ in common.PAGES:
            tab.locator('[data-testid="stSidebarNav"] a').filter(
                has_text=i18n.EN[title_key]
            ).first.click()
            wait_for_script(tab, timeout_ms=PAYLOAD_TIMEOUT_MS, settle_ms=PAYLOAD_SETTLE_MS)
            assert_no_exception(tab, server)
            found = tab.evaluate(LINKS_AND_IMAGES)
            from_data = [ref for ref in urls_in(found) if to_data_host(ref)]
            assert not from_data, (url, from_data)
            seen_text += tab.locator('[data-testid="stMain"]').inner_text()
            if url in ("overview", "teams"):
                ARTIFACTS.mkdir(exist_ok=True)
                tab.screenshot(path=str(ARTIFACTS / f"markup_{url}.png"))
        assert requests and not [r for r in requests if to_data_host(r)], requests
        # the payload names show as their own text (Teams conclusions name teams)
        assert "<img src=x onerror=alert(1)>" in seen_text or "**b**" in seen_text
        assert not errors, errors
    finally:
        context.close()
