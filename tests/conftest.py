"""Fixtures and helpers shared by every kind of test (unit, app, browser).

``anchors_dir`` points at ``../shared/anchors`` (real public data, never copied into
this repo). Outside CI a missing folder skips the tests that need it; with
``CI=true`` a missing folder is a failure, as DEVELOPERS.md requires.
``sample_dir`` gives the sample files the AppTests and the browser tests open;
``sample_calls`` is the sample's calls as ``ccmetrics.io.load`` gives them (what the app
works on) and ``sample_parquet_calls`` the same file as the generator wrote it. Both are
module-scoped: each test module gets its own frame, loaded once.
The browser's own fixtures (Chromium, a ``streamlit run`` server) are in
``tests/browser/conftest.py``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd
import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
ANCHORS_DIR = REPO_ROOT.parent / "shared" / "anchors"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

SAMPLE_FILES = ("calls.parquet", "intervals.csv", "calls_zh_gbk.csv.gz")


def pytest_configure(config):
    """Send the caches of this run (the loader's Parquet copies, among them the bundled
    sample's, and the engine's kept cubes) to a folder of its own, not the user's
    ``~/.cache/ccmetrics``, unless the caller named one. Set in the environment, so the
    browser tests' ``streamlit run`` server inherits it too."""
    if not os.environ.get("CCMETRICS_CACHE_DIR"):
        folder = tempfile.mkdtemp(prefix="ccmetrics-test-cache-")
        os.environ["CCMETRICS_CACHE_DIR"] = folder
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


def require_anchor(relative: str) -> Path:
    """Return the path of an anchor file; skip (fail in CI) when it is missing."""
    path = ANCHORS_DIR / relative
    if not path.exists():
        message = f"anchor data missing: {path}"
        if IN_CI:
            pytest.fail(message + " (CI=true: anchors must be present)")
        pytest.skip(message)
    return path


def require_spark() -> None:
    """Skip when pyspark or Java is missing (fail in CI, where the Spark tests must run)."""
    try:
        import pyspark  # noqa: F401
    except ImportError:
        if IN_CI:
            pytest.fail("pyspark is missing (CI=true: the Spark tests must run)")
        pytest.skip("pyspark is not installed")
    if shutil.which("java") is None:
        if IN_CI:
            pytest.fail("java is missing (CI=true: the Spark tests must run; make java-deps)")
        pytest.skip("Java is not installed")


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


@pytest.fixture(scope="module")
def sample_calls() -> pd.DataFrame:
    """The sample's calls loaded by ``ccmetrics.io.load`` (canonical columns, ``channel`` added)."""
    from ccmetrics import io

    return io.load(sample_dir() / "calls.parquet").frame


@pytest.fixture(scope="module")
def sample_parquet_calls() -> pd.DataFrame:
    """The sample's ``calls.parquet`` read as the generator wrote it (no ``channel`` column)."""
    return pd.read_parquet(sample_dir() / "calls.parquet")


@pytest.fixture
def anchors_dir() -> Path:
    """The ../shared/anchors folder (skip outside CI when absent, fail in CI)."""
    return require_anchor(".")
