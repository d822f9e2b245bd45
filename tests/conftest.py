"""Shared fixtures.

``anchors_dir`` points at ``../shared/anchors`` (real public data, never copied into
this repo). Outside CI a missing folder skips the tests that need it; with
``CI=true`` a missing folder is a failure, as DEVELOPERS.md requires.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
ANCHORS_DIR = REPO_ROOT.parent / "shared" / "anchors"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_anchor(relative: str) -> Path:
    """Return the path of an anchor file; skip (fail in CI) when it is missing."""
    path = ANCHORS_DIR / relative
    if not path.exists():
        message = f"anchor data missing: {path}"
        if IN_CI:
            pytest.fail(message + " (CI=true: anchors must be present)")
        pytest.skip(message)
    return path


@pytest.fixture
def anchors_dir() -> Path:
    """The ../shared/anchors folder (skip outside CI when absent, fail in CI)."""
    return require_anchor(".")
