"""Tests of the cube a Dataset over Parquet keeps in a file (``Dataset(..., cube_dir=)``).

The reference for every expected value is ``kpi.compute`` (the tested pandas path) on
the sample's calls of the window, flagged for FCR on the whole data set, as in
tests/unit/test_engine_cube.py. A data set answering from a kept cube is shown not to
read the calls: its folder is moved away before it is asked anything.
"""

from __future__ import annotations

import os
import shutil

import pandas as pd
import pytest

from ccmetrics import io, kpi
from ccmetrics.engine import CUBE_FREQ, Dataset
from ccmetrics.schema import KpiSettings
from tests.conftest import sample_dir
from tests.unit.test_engine import assert_same_kpis


@pytest.fixture(scope="module")
def sample_calls() -> pd.DataFrame:
    """The sample's first four weeks (a test's cube and references in about a second)."""
    calls = io.load(sample_dir() / "calls.parquet").frame
    return calls[calls["arrived_at"] < "2025-01-29"].reset_index(drop=True)


def _write_folder(calls: pd.DataFrame, folder) -> None:
    """The calls as two Parquet files, before and from 2025-01-15 (in arrival order)."""
    folder.mkdir()
    second = (calls["arrived_at"] >= "2025-01-15").to_numpy()
    calls[~second].to_parquet(folder / "calls_1.parquet", index=False)
    calls[second].to_parquet(folder / "calls_2.parquet", index=False)


def reference(calls, by=(), freq=None, settings=None, start=None, end=None, filters=None):
    """The KPIs of the calls of [start, end) matching ``filters``, FCR of the whole data;
    keys as text in text order (Parquet keeps no category order)."""
    settings = settings or KpiSettings()
    window = kpi.subset(kpi.add_fcr_flags(calls, settings), start, end, filters)
    table = kpi.compute(window, by=list(by), freq=freq, settings=settings)
    for key in by:
        table[key] = table[key].astype(str)
    return table.sort_values([*by, *(["period"] if freq else [])], ignore_index=True)


def _texts(table: pd.DataFrame, by) -> pd.DataFrame:
    for key in by:
        table[key] = table[key].astype(str)
    return table


def _kept_files(cubes) -> list:
    return sorted(p.name for p in cubes.glob("*.parquet")) if cubes.exists() else []


class _NoCounting(Dataset):
    """A data set that may not count its facts on the calls."""

    def _count_facts(self):
        raise AssertionError("the facts were counted on the calls")


QUESTIONS = [
    ((), "D", None, None, None),
    (("queue",), None, "2025-01-13 08:30", "2025-01-20", None),
    ((), "h", "2025-01-14", "2025-01-15", {"queue": ["VIP"]}),
    (("queue",), "W", None, None, None),
]


def test_a_kept_cube_answers_a_later_data_set_without_the_calls(sample_calls, tmp_path):
    folder, cubes = tmp_path / "calls", tmp_path / "cubes"
    _write_folder(sample_calls, folder)
    first = Dataset(folder, cube_dir=cubes)
    first.sums(("queue",), CUBE_FREQ)  # the whole data: the cube is made, then kept
    assert len(_kept_files(cubes)) == 1
    assert (cubes.stat().st_mode & 0o777) == 0o700  # a private folder
    assert all((p.stat().st_mode & 0o777) == 0o600 for p in cubes.iterdir())

    later = _NoCounting(folder, cube_dir=cubes)  # its facts from the file: no pass over the calls
    assert (later.rows, later._span_ns, later._data_end_ns, later._has_ids) == (
        first.rows, first._span_ns, first._data_end_ns, first._has_ids
    )  # fmt: skip
    shutil.move(folder, tmp_path / "moved")  # reading a call now fails
    times = sample_calls["arrived_at"]
    assert later.count() == len(sample_calls)
    assert (
        later.count("2025-01-13", "2025-01-20 12:30")
        == ((times >= "2025-01-13") & (times < "2025-01-20 12:30")).sum()
    )
    assert later.count(end="2025-01-02") == (times < "2025-01-02").sum() > 0
    for by, freq, start, end, filters in QUESTIONS:
        got = _texts(later.kpis(by, freq, start=start, end=end, filters=filters), by)
        expected = reference(sample_calls, by, freq, start=start, end=end, filters=filters)
        assert_same_kpis(got, expected, [*by, *(["period"] if freq else [])])
    assert later._cubes[(CUBE_FREQ, ("queue",))].kept
    assert later.answers_from_cube((), "D", "2025-01-06", "2025-01-13")
    assert not later.answers_from_cube("team") and not later.answers_from_cube(freq="15min")
    assert expected["fcr_rate"].notna().any() and expected["service_level"].notna().any()
    # a question the cube cannot answer goes to the calls (which are gone)
    with pytest.raises(Exception, match="moved|No files|calls"):
        later.sums("team")


def test_other_settings_are_counted_from_the_calls_and_the_file_is_kept(sample_calls, tmp_path):
    folder, cubes = tmp_path / "calls", tmp_path / "cubes"
    _write_folder(sample_calls, folder)
    Dataset(folder, cube_dir=cubes).sums(("queue",), CUBE_FREQ)
    (kept,) = _kept_files(cubes)
    data = Dataset(folder, cube_dir=cubes)
    settings = KpiSettings(sl_threshold_s=30, fcr_window_h=24)
    got = _texts(data.kpis("queue", "W", settings), ["queue"])
    assert_same_kpis(got, reference(sample_calls, ["queue"], "W", settings), ["queue", "period"])
    got = data.kpis(freq="D")  # back to the settings of the file
    assert_same_kpis(got, reference(sample_calls, (), "D"), ["period"])
    assert _kept_files(cubes) == [kept]


def test_a_changed_folder_is_not_answered_from_the_older_cube(sample_calls, tmp_path):
    folder, cubes = tmp_path / "calls", tmp_path / "cubes"
    _write_folder(sample_calls, folder)
    Dataset(folder, cube_dir=cubes).sums(("queue",), CUBE_FREQ)
    (old,) = _kept_files(cubes)
    # the second file rewritten without its last week: same name, other size and time
    last = sorted(folder.glob("*.parquet"))[-1]
    month = pd.read_parquet(last)
    cut = month["arrived_at"].max().normalize() - pd.Timedelta(days=7)
    month[month["arrived_at"] < cut].to_parquet(last, index=False)
    os.utime(last, ns=(last.stat().st_atime_ns, last.stat().st_mtime_ns + 10**9))
    calls = sample_calls[sample_calls["arrived_at"] < cut]
    data = Dataset(folder, cube_dir=cubes)
    assert_same_kpis(data.kpis(freq="D"), reference(calls, (), "D"), ["period"])
    assert data._cubes[(CUBE_FREQ, ("queue",))].kept
    assert _kept_files(cubes) != [old] and len(_kept_files(cubes)) == 1  # the older one dropped


def test_no_cube_dir_writes_nothing_and_a_bad_file_is_ignored(sample_calls, tmp_path):
    folder, cubes = tmp_path / "calls", tmp_path / "cubes"
    _write_folder(sample_calls, folder)
    Dataset(folder).sums(("queue",), CUBE_FREQ)
    assert not cubes.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["calls"]
    Dataset(folder, cube_dir=cubes).sums(("queue",), CUBE_FREQ)
    (kept,) = _kept_files(cubes)
    (cubes / kept).write_bytes(b"not a parquet file")
    data = Dataset(folder, cube_dir=cubes)
    assert_same_kpis(data.kpis(freq="D"), reference(sample_calls, (), "D"), ["period"])
    with pytest.raises(ValueError, match="inside the data's folder"):
        Dataset(folder, cube_dir=folder / "cubes")  # its file would be read as calls
    # a frame has no files to sign: its cube stays in memory
    frame = Dataset(sample_calls, cube_dir=tmp_path / "frame_cubes")
    frame.sums(("queue",), CUBE_FREQ)
    assert not (tmp_path / "frame_cubes").exists()


class _Recording(Dataset):
    """A data set that records each question: its keys, window and measures."""

    def sums(self, by=(), freq=None, settings=None, start=None, end=None, filters=None,
             measures=None):  # fmt: skip
        self.asked.append((tuple([by] if isinstance(by, str) else by or ()), measures))
        return super().sums(by, freq, settings, start, end, filters, measures)


def test_a_day_drilled_on_a_kept_cube_equals_the_frame_and_makes_no_fcr_flag(
    sample_calls, tmp_path
):
    """drill.explain of a whole day with its default baseline over a Parquet folder whose
    cube is kept: the same explanation as on the frame; the candidate weeks and the KPI
    table come from the cube, the elements from the calls with the metric's measures
    only, so no FCR flag and no customer-id check is made."""
    from ccmetrics import drill
    from ccmetrics.cube import IVR_COLUMNS, ivr_only_rows
    from tests.unit.test_engine_api import assert_same_explanation

    # calls without IVR columns (as the 50M bench data): the calls offered to a queue
    queued = sample_calls[~ivr_only_rows(sample_calls)].reset_index(drop=True)
    calls = queued.drop(columns=list(IVR_COLUMNS))
    folder, cubes = tmp_path / "calls", tmp_path / "cubes"
    _write_folder(calls, folder)
    Dataset(folder, cube_dir=cubes).sums(("queue",), CUBE_FREQ)
    day = pd.Timestamp("2025-01-24")
    anomaly = (day, day + pd.Timedelta(days=1))
    expected = drill.explain(kpi.add_fcr_flags(calls), anomaly, metric="service_level")
    data = _Recording(folder, cube_dir=cubes)
    data.asked = []
    got = drill.explain(data, anomaly, metric="service_level")
    assert_same_explanation(got, expected)
    assert expected.baseline_windows["used"].sum() >= 2  # weeks before, judged from the cube
    assert not data._fcr_tables and data._ids is None
    elements = [measures for by, measures in data.asked if by]
    assert elements and all(m is not None and "fcr_n" not in m for m in elements)
    assert expected.kpis.set_index("kpi").loc["fcr_rate", "anomaly"] > 0
