"""Helpers shared by the AppTests (plain functions; the fixtures are in ``conftest.py``)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

__all__ = ["run", "record_aggregate_sources"]


def run(target) -> AppTest:
    """Run the app (``target`` is the AppTest or a widget just set) and check for exceptions."""
    at = target.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def record_aggregate_sources(monkeypatch, entry) -> list:
    """Record which frame each aggregate of a page came from, with a clean data cache.

    ``common.aggregate_source`` is replaced (as the pages and ``breakdown()`` read it) by a
    wrapper that appends ``entry(dims, freq, by, kind)`` to the returned list for every call,
    ``kind`` being "cube" or "calls" (the frame it returned); the cache is cleared so that no
    value computed earlier from the other source is served.
    """
    import streamlit as st

    from pages import common
    from pages.common import aggregates as common_aggregates

    st.cache_data.clear()
    used = []
    original = common.aggregate_source

    def record(ctx, dims=(), freq=None, start=None, end=None, *, by=None):
        source = original(ctx, dims, freq, start, end, by=by)
        kind = "cube" if "interval_start" in source.columns else "calls"
        used.append(entry(tuple(dims), freq, by, kind))
        return source

    monkeypatch.setattr(common, "aggregate_source", record)
    monkeypatch.setattr(common_aggregates, "aggregate_source", record)
    return used
