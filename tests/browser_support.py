"""Helpers for the app tests: the sample data, a Streamlit server, Chromium.

Used by ``tests/test_app.py`` (AppTest, in process) and ``tests/test_browser.py``
(a real ``streamlit run`` driven by Playwright and Debian's Chromium).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO_ROOT / "test-artifacts"
SCREENSHOTS = REPO_ROOT / "docs" / "screenshots"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

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

SAMPLE_FILES = ("calls.parquet", "intervals.csv", "calls_zh_gbk.csv.gz")


def sample_dir() -> Path:
    """The folder holding the sample files: ``sample_data/`` when complete, else a generated copy.

    The generated copy (same generator and seed as ``make sample``) lets the
    in-process AppTests run on a checkout where ``sample_data/`` has not been
    generated yet; the browser tests use the real folder only.
    """
    from ccmetrics import sample

    shipped = Path(sample.SAMPLE_DIR)
    if all((shipped / name).exists() for name in SAMPLE_FILES):
        return shipped
    generated = Path(tempfile.gettempdir()) / "ccmetrics-test-sample"
    if not all((generated / name).exists() for name in SAMPLE_FILES):
        sample.write_sample_data(generated)
    return generated


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
