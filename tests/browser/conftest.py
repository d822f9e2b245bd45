"""Fixtures of the real-browser tests: Debian's Chromium and a ``streamlit run`` server.

Every test file in this folder uses them; none defines its own (the model is
Streamlit's ``e2e_playwright/conftest.py``):

* ``browser`` (module): Chromium through Playwright, headless;
* ``server`` (module): ``streamlit run app.py`` on a free port (:class:`StreamlitServer`);
* ``page`` (per test): a fresh English tab (1440×1000, downloads accepted) on ``browser``;
  a JavaScript error in the page fails the test, and the last view is saved as
  ``test-artifacts/last_<test>.png``.

Without Chromium (``apt-get install chromium fonts-noto-cjk``) or the ``playwright``
package these tests skip, except with ``CI=true``, where that is a failure.
``bench/browser_journey.py`` starts the app with the same :class:`StreamlitServer`.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import IN_CI, REPO_ROOT, SAMPLE_FILES

ARTIFACTS = REPO_ROOT / "test-artifacts"
SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"

#: Debian's Chromium (``apt-get install chromium fonts-noto-cjk``).
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-quic",
    "--disable-sync",
]
#: The ``page`` fixture's window (a test may resize it).
VIEWPORT = {"width": 1440, "height": 1000}
#: How long the server may take to answer its health check (the machine may be busy).
SERVER_START_TIMEOUT_S = 90.0


def chromium_path() -> str | None:
    """Path of the Chromium binary, or None when it is not installed."""
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).exists():
            return candidate
    return shutil.which("chromium")


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class StreamlitServer:
    """``streamlit run app.py`` on a free port, started and stopped by the test session.

    Attributes
    ----------
    url : str
        Base URL, e.g. ``http://127.0.0.1:40123``.
    log_path : Path
        The server's stdout/stderr (shown when a test fails).
    """

    def __init__(self, timeout_s: float = 60.0) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.timeout_s = timeout_s
        ARTIFACTS.mkdir(exist_ok=True)
        self.log_path = ARTIFACTS / "streamlit-server.log"
        self.process: subprocess.Popen | None = None

    def start(self) -> StreamlitServer:
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless",
            "true",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--server.fileWatcherType",
            "none",
        ]
        log = self.log_path.open("w", encoding="utf-8")
        self.process = subprocess.Popen(
            command, cwd=REPO_ROOT, stdout=log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + self.timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with {self.process.returncode}:\n{self.log()}"
                )
            with contextlib.suppress(OSError):
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        return self
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(
            f"streamlit did not become healthy in {self.timeout_s:.0f} s:\n{self.log()}"
        )

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def unavailable(reason: str):
    """Skip the test, or fail it with ``CI=true`` (where the browser tests must run)."""
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser tests must run)")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium, one per test file."""
    executable = chromium_path()
    if executable is None:
        unavailable("Chromium not installed (apt-get install chromium fonts-noto-cjk)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright python package is not installed")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(browser):
    """``streamlit run app.py`` on the bundled sample, one per test file."""
    from ccmetrics import sample

    missing = [name for name in SAMPLE_FILES if not (sample.SAMPLE_DIR / name).exists()]
    assert not missing, f"sample_data/ is incomplete ({missing}): run `make sample`"
    app_server = StreamlitServer(timeout_s=SERVER_START_TIMEOUT_S).start()
    yield app_server
    app_server.stop()


@pytest.fixture
def page(browser, server, request):
    """A fresh English tab on the app's browser; JavaScript errors in it fail the test."""
    context = browser.new_context(viewport=VIEWPORT, locale="en-US", accept_downloads=True)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    ARTIFACTS.mkdir(exist_ok=True)
    # what the page showed at the end of the test
    tab.screenshot(path=str(ARTIFACTS / f"last_{request.node.name}.png"))
    context.close()
    assert not errors, f"JavaScript errors in the page: {errors}"
