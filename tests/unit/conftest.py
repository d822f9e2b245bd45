"""Helpers and fixtures shared by the unit tests.

``COUNT_COLUMNS`` names the columns of :func:`ccmetrics.kpi.compute` that count calls, read
from the KPI registry, so the tests comparing two paths to the KPIs (the engine's and the
pandas one) compare them exactly and every other number within a tolerance. The sample
calls are in ``tests/conftest.py``; ``sample_data`` is an engine data set over them, ``spark``
a local Spark session (skipped without pyspark or Java, except in CI).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ccmetrics.engine import Dataset
from ccmetrics.kpis import KPIS, kpis_of_kind
from tests.conftest import require_spark

__all__ = ["COUNT_COLUMNS", "assert_numbers_equal", "export_csv"]

#: Columns of ``kpi.compute`` that count calls: the KPIs of kind "count" and the n every
#: other KPI rests on, except the bases of time shares (staffed hours, cost minutes),
#: which are not numbers of calls.
COUNT_COLUMNS = frozenset(kpis_of_kind("count")) | {
    entry.base for entry in KPIS.values() if entry.base is not None and entry.kind != "time_share"
}


def assert_numbers_equal(got, want, columns, counts, rtol: float) -> None:
    """Each of ``columns`` of two frames of the same rows: exactly equal when it is one of
    ``counts``, else within ``rtol`` (relative, no absolute slack); missing equals missing."""
    for column in columns:
        have = got[column].to_numpy(dtype=float, na_value=np.nan)
        expected = want[column].to_numpy(dtype=float, na_value=np.nan)
        if column in counts:
            np.testing.assert_array_equal(have, expected, err_msg=column)
        else:
            np.testing.assert_allclose(
                have, expected, rtol=rtol, atol=0, equal_nan=True, err_msg=column
            )


def export_csv(calls: pd.DataFrame) -> bytes:
    """The calls as a platform would export them: whole seconds without '.0'."""
    out = calls.copy()
    for column in ("wait_s", "talk_s", "hold_s", "acw_s", "csat", "qa_score"):
        out[column] = pd.array(out[column].to_numpy(), dtype="Float64").astype("Int64")
    return out.to_csv(index=False, date_format="%Y-%m-%d %H:%M:%S").encode("utf-8")


@pytest.fixture(scope="module")
def spark():
    """One local Spark session for the module; stopped at its end."""
    require_spark()
    from ccmetrics.engine_spark import spark_session

    session = spark_session("local[2]")
    yield session
    session.stop()


@pytest.fixture(scope="module")
def sample_data(sample_calls: pd.DataFrame) -> Dataset:
    """An engine data set over the sample's calls (one per module: its cubes are its own)."""
    return Dataset(sample_calls)
