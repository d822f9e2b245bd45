"""Helpers shared by the AppTests (plain functions; the fixtures are in ``conftest.py``)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

__all__ = ["run"]


def run(target) -> AppTest:
    """Run the app (``target`` is the AppTest or a widget just set) and check for exceptions."""
    at = target.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
