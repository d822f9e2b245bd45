"""Helpers and fixtures shared by the unit tests.

``COUNT_COLUMNS`` names the columns of :func:`ccmetrics.kpi.compute` that count calls, read
from the KPI registry, so the tests comparing two paths to the KPIs (the engine's and the
pandas one) compare them exactly and every other number within a tolerance. The sample
calls are in ``tests/conftest.py``; ``sample_data`` is an engine data set over them.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ccmetrics.engine import Dataset
from ccmetrics.kpis import KPIS, kpis_of_kind

__all__ = ["COUNT_COLUMNS"]

#: Columns of ``kpi.compute`` that count calls: the KPIs of kind "count" and the n every
#: other KPI rests on, except the bases of time shares (staffed hours, cost minutes),
#: which are not numbers of calls.
COUNT_COLUMNS = frozenset(kpis_of_kind("count")) | {
    entry.base for entry in KPIS.values() if entry.base is not None and entry.kind != "time_share"
}


@pytest.fixture(scope="module")
def sample_data(sample_calls: pd.DataFrame) -> Dataset:
    """An engine data set over the sample's calls (one per module: its cubes are its own)."""
    return Dataset(sample_calls)
