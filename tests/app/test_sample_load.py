"""The bundled sample as the app loads it: through the Parquet copy, equal to ``io.load``.

``pages.common.data._sample_result`` reads the sample through ``io.load_cached``: the first
call loads the file and writes the copy, a later one (a restart of the server) reads the
copy without running the loader. Both must give what ``io.load`` of the file gives: the
same frame (columns, dtypes, values, index), problems report, row accounting and
description, so every number the app shows on the sample stays the same.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from ccmetrics import io, sample
from ccmetrics.io import cache as io_cache
from pages.common import data as common_data
from tests.conftest import sample_dir


def _assert_same_result(got: io.LoadResult, expected: io.LoadResult) -> None:
    pd.testing.assert_frame_equal(got.frame, expected.frame, check_exact=True)
    assert [str(t) for t in got.frame.dtypes] == [str(t) for t in expected.frame.dtypes]
    pd.testing.assert_frame_equal(got.problems, expected.problems, check_exact=True)
    assert got.row_accounting() == expected.row_accounting()
    assert got.row_accounting().balanced
    for name in ("kind", "mapping", "encoding", "source_name", "format", "columns", "file_rows"):
        assert getattr(got, name) == getattr(expected, name), name


@pytest.fixture
def sample_in_use(monkeypatch, tmp_path):
    """The sample folder in use and an empty private cache folder; the cached result cleared."""
    monkeypatch.setattr(sample, "SAMPLE_DIR", sample_dir())
    cache = tmp_path / "cache"
    monkeypatch.setenv(io_cache.CACHE_ENV, str(cache))
    common_data._sample_result.clear()
    yield cache
    common_data._sample_result.clear()


def test_sample_from_its_parquet_copy_equals_the_loader(sample_in_use, monkeypatch):
    expected = io.load(sample_dir() / "calls.parquet")
    assert expected.row_accounting().balanced

    # the first start: the loader's result (the one above, not computed twice) is served
    # and written to the copy
    monkeypatch.setattr(io_cache, "load", lambda *a, **k: dataclasses.replace(expected))
    written = common_data._sample_result()
    _assert_same_result(written, expected)
    assert len(list(sample_in_use.glob("*.parquet"))) == 1

    def no_loader(*args, **kwargs):
        raise AssertionError("the copy should have been read, not the file loaded")

    monkeypatch.setattr(io_cache, "load", no_loader)
    common_data._sample_result.clear()  # a new server process: the copy is read
    read = common_data._sample_result()
    _assert_same_result(read, expected)
