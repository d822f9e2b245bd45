"""What the real-browser tests do to a tab, written once: wait, open, check, read, save.

The fixtures (``browser``, ``server``, ``page``) are in ``tests/browser/conftest.py``;
these are plain functions a test calls with its Playwright tab (``tab``) and, where the
failure message wants the server's log, its :class:`~tests.browser.conftest.StreamlitServer`.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

from tests.browser.conftest import ARTIFACTS, VIEWPORT

__all__ = [
    "CALLS_UPLOADER",
    "SCRIPT_TIMEOUT_MS",
    "SETTLE_MS",
    "assert_no_exception",
    "fonts_used_for",
    "full_screenshot",
    "open_app",
    "query",
    "screenshot",
    "title",
    "wait_for_script",
]

#: How long one script run may take (the machine running the tests may be busy).
SCRIPT_TIMEOUT_MS = 60_000
#: How long to wait after the run for the charts to finish drawing.
SETTLE_MS = 400

#: Streamlit's placeholders while a script runs: a spinner, or elements not drawn yet.
LOADING_SELECTOR = (
    '[data-testid="stSpinner"], [data-testid="stSkeleton"], '
    '[data-testid="stSkeletonElement"], [data-testid="stAppSkeleton"]'
)


#: The Data page's uploader of call exports (widget key "uploader"): the sidebar holds other
#: uploaders (targets file), and the Data page a roster uploader, so "the first" is not it.
CALLS_UPLOADER = '.st-key-uploader [data-testid="stFileUploaderDropzoneInput"]'


def wait_for_script(
    tab, timeout_ms: float = SCRIPT_TIMEOUT_MS, settle_ms: float = SETTLE_MS
) -> None:
    """Wait until the app's script run has finished and every element is drawn.

    Parameters
    ----------
    tab : playwright.sync_api.Page
        The browser tab showing the app.
    timeout_ms : float
        How long the run, then the drawing of its elements, may each take.
    settle_ms : float
        The pause after both, for the charts to finish drawing.
    """
    tab.wait_for_timeout(250)  # let a rerun triggered by the last action start
    tab.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms
    )
    tab.wait_for_function(
        f"() => !document.querySelector('{LOADING_SELECTOR}')", timeout=timeout_ms
    )
    tab.wait_for_timeout(settle_ms)


def open_app(
    tab,
    server,
    path: str = "",
    timeout_ms: float = SCRIPT_TIMEOUT_MS,
    settle_ms: float = SETTLE_MS,
) -> None:
    """Go to ``path`` of the app (e.g. ``"staffing?day=2025-03-17"``) and wait for its run."""
    tab.goto(f"{server.url}/{path}", wait_until="domcontentloaded")
    wait_for_script(tab, timeout_ms=timeout_ms, settle_ms=settle_ms)


def assert_no_exception(tab, server) -> None:
    """Fail with the box's text and the server's log when the page shows an exception box."""
    boxes = tab.locator('[data-testid="stException"]')
    assert boxes.count() == 0, (
        f"exception box on {tab.url}: {boxes.first.inner_text()}\n{server.log()}"
    )


def title(tab) -> str:
    """The page's heading (its first ``h1``)."""
    return tab.locator("h1").first.inner_text().strip()


def query(tab) -> dict[str, list[str]]:
    """The query parameters of the tab's URL, ``{name: [value, ...]}``."""
    return parse_qs(urlparse(tab.url).query)


def screenshot(tab, name: str) -> None:
    """Save what the tab shows as ``test-artifacts/<name>.png``."""
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"))


def full_screenshot(tab, name: str, size: dict[str, int]) -> None:
    """The whole page as one image: the viewport set to ``size``, saved, then set back.

    Streamlit scrolls inside its own frame, so a full-page screenshot of the tab would
    show only the viewport; ``size`` must be tall enough for the page.
    """
    ARTIFACTS.mkdir(exist_ok=True)
    tab.set_viewport_size(size)
    wait_for_script(tab)
    tab.wait_for_timeout(1500)  # charts re-layout to the new size
    tab.screenshot(path=str(ARTIFACTS / f"{name}.png"))
    tab.set_viewport_size(VIEWPORT)
    wait_for_script(tab)


def fonts_used_for(tab, selector: str, pierce: bool = False) -> list[str]:
    """Font families Chromium actually used to draw the text of the first node matching ``selector``.

    Read through the DevTools protocol (``CSS.getPlatformFontsForNode``): the fonts that
    drew at least one glyph, so a CJK fallback shows here and missing-glyph boxes do not.
    ``pierce`` reads the document with its shadow roots and frames as well.
    """
    cdp = tab.context.new_cdp_session(tab)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument", {"depth": -1, "pierce": pierce})["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    assert node, f"no node for {selector}"
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return [font["familyName"] for font in fonts if font.get("glyphCount", 0) > 0]
