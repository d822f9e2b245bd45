"""``python -m ccmetrics report|kpis --engine``: the engine's report equals the pandas report,
and a loaded export is reopened from its Parquet copy without being parsed or hashed again.

The reference of every comparison is the command without ``--engine`` (pandas, the path the
report and KPI tests check against hand calculations) on the same file: the HTML report must
be the same text byte for byte (only the minute it was generated may differ), the KPI JSON
the same text. The data is the bundled sample's calls of three teams from February on
(48,000 calls, so that one report takes a few seconds).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pandas as pd
import pytest

from ccmetrics import io
from ccmetrics.__main__ import main
from tests.conftest import sample_dir

#: The report's period and options (one finding: the drill-down, story and charts of a day).
REPORT_OPTIONS = ("--format", "html", "--period", "2025-03-01:2025-03-31", "--max-findings", "1")
KPI_OPTIONS = ("--by", "team", "--freq", "D", "--period", "2025-03-01:2025-03-31", "--json")


def run(capsys, *argv) -> tuple[int, str, str]:
    status = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.fixture(scope="module")
def calls_csv(tmp_path_factory) -> Path:
    """The sample's calls of three teams from 2025-02-01, as a CSV export."""
    calls = pd.read_parquet(sample_dir() / "calls.parquet")
    teams = sorted(calls["team"].dropna().unique())[:3]
    rows = calls[(calls["arrived_at"] >= "2025-02-01") & calls["team"].isin(teams)]
    path = tmp_path_factory.mktemp("export") / "calls.csv"
    rows.to_csv(path, index=False)
    return path


@pytest.fixture(scope="module")
def calls_folder(calls_csv) -> Path:
    """The same calls loaded (canonical) and written as two monthly Parquet files, in a folder
    named as the CSV, so that the report names the same data source."""
    frame = io.load(calls_csv).frame
    folder = calls_csv.parent / "folder" / calls_csv.name
    folder.mkdir(parents=True)
    months = frame["arrived_at"].dt.strftime("%Y-%m")
    for month, rows in frame.groupby(months):
        rows.to_parquet(folder / f"{month}.parquet")
    assert len(list(folder.iterdir())) == 2
    return folder


def report_text(capsys, source: Path, out: Path, *engine) -> str:
    """The HTML report of the command, without the minute it was generated."""
    status, printed, err = run(capsys, "report", source, "--out", out, *REPORT_OPTIONS, *engine)
    assert status == 0, err
    written = Path(printed.strip())
    assert written.parent == out and written.suffix == ".html"
    text = written.read_text(encoding="utf-8")
    stamp = re.compile(r"generated \d{4}-\d{2}-\d{2} \d{2}:\d{2}")
    assert len(stamp.findall(text)) == 1
    return stamp.sub("generated", text)


@pytest.fixture(scope="module")
def pandas_report(calls_csv, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("pandas")
    status = main(["report", str(calls_csv), "--out", str(out), *REPORT_OPTIONS])
    assert status == 0
    (written,) = out.glob("*.html")
    text = written.read_text(encoding="utf-8")
    return re.sub(r"generated \d{4}-\d{2}-\d{2} \d{2}:\d{2}", "generated", text)


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Each test its own cache folder (never the user's)."""
    monkeypatch.setenv(io.CACHE_ENV, str(tmp_path / "cache"))


def test_report_on_duckdb_is_the_pandas_report(capsys, tmp_path, calls_csv, pandas_report):
    text = report_text(capsys, calls_csv, tmp_path / "out", "--engine", "duckdb")
    assert "Findings" in text or "finding" in text.lower()
    assert text == pandas_report


def test_report_over_a_parquet_folder_is_the_pandas_report(
    capsys, tmp_path, calls_folder, pandas_report
):
    text = report_text(capsys, calls_folder, tmp_path / "out", "--engine", "duckdb")
    assert text == pandas_report


def test_report_from_the_cached_copy_is_the_pandas_report(
    capsys, tmp_path, calls_csv, pandas_report, monkeypatch
):
    """A second report reads the Parquet copy the first one wrote: not the loader."""
    monkeypatch.setattr("ccmetrics.__main__.CACHE_MIN_BYTES", 0)
    first = report_text(capsys, calls_csv, tmp_path / "first", "--engine", "duckdb")
    assert list((tmp_path / "cache").glob("*.parquet"))
    monkeypatch.setattr("ccmetrics.io.load", _refuse)
    monkeypatch.setattr("ccmetrics.io.cache.load", _refuse)
    second = report_text(capsys, calls_csv, tmp_path / "second", "--engine", "duckdb")
    assert first == second == pandas_report


@pytest.mark.spark
def test_report_on_spark_is_the_duckdb_report(capsys, tmp_path, calls_folder, spark):
    duck = report_text(capsys, calls_folder, tmp_path / "duck", "--engine", "duckdb")
    on_spark = report_text(capsys, calls_folder, tmp_path / "spark", "--engine", "spark")
    assert on_spark == duck


# --------------------------------------------------------------------------- reopening


def _refuse(*args, **kwargs):
    raise AssertionError("the export was parsed again")


class Counter:
    """Wraps a function and counts its calls."""

    def __init__(self, function):
        self.function, self.calls = function, 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        return self.function(*args, **kwargs)


def test_kpis_reopen_the_copy_without_parsing_or_hashing(capsys, tmp_path, monkeypatch):
    """First run: the loader, the copy written and read by the engine. Later runs: the copy,
    opened by the engine; the stats remembered, neither the export nor the copy is hashed."""
    monkeypatch.setattr("ccmetrics.__main__.CACHE_MIN_BYTES", 0)
    monkeypatch.setattr(io.cache, "SETTLE_NS", 0)  # remember even a file written just now
    export = tmp_path / "calls.csv"
    export.write_bytes(_small_csv(answered="1"))
    status, want, _ = run(capsys, "kpis", export, "--freq", "D", "--json")  # pandas
    assert status == 0
    assert run(capsys, "kpis", export, "--freq", "D", "--json", "--engine", "duckdb") == (
        0,
        want,
        "",
    )
    monkeypatch.setattr("ccmetrics.io.load", _refuse)
    monkeypatch.setattr("ccmetrics.io.cache.load", _refuse)
    monkeypatch.setattr(io.cache, "_read_copy", _refuse)  # no pandas frame of the copy either
    hashed = Counter(io.cache.content_digest)
    monkeypatch.setattr(io.cache, "content_digest", hashed)
    options = ("--freq", "D", "--json", "--engine", "duckdb")
    for _ in range(2):
        assert run(capsys, "kpis", export, *options) == (0, want, "")
    assert hashed.calls == 0  # the export and the copy hashed by the first run, remembered


@pytest.mark.parametrize("keep_mtime", [False, True], ids=["new-mtime", "mtime-restored"])
def test_a_changed_export_is_never_served_stale(capsys, tmp_path, monkeypatch, keep_mtime):
    """Same size, other bytes: a new modification time, or the old one set back (the change
    time still moves): the KPIs are those of the new bytes."""
    monkeypatch.setattr("ccmetrics.__main__.CACHE_MIN_BYTES", 0)
    monkeypatch.setattr(io.cache, "SETTLE_NS", 0)
    export = tmp_path / "calls.csv"
    export.write_bytes(_small_csv(answered="1"))
    old = os.stat(export)
    options = ("--json", "--engine", "duckdb")
    status, before, _ = run(capsys, "kpis", export, *options)
    assert status == 0 and '"answered": 3' in before
    time.sleep(0.05)  # a later tick of the file system's clock
    changed = _small_csv(answered="0")
    assert len(changed) == old.st_size
    export.write_bytes(changed)
    if keep_mtime:
        os.utime(export, ns=(old.st_atime_ns, old.st_mtime_ns))
        assert os.stat(export).st_mtime_ns == old.st_mtime_ns
    else:
        os.utime(export, ns=(old.st_atime_ns, old.st_mtime_ns + 1_000_000_000))
    assert os.stat(export).st_size == old.st_size
    status, after, _ = run(capsys, "kpis", export, *options)
    status_pandas, want, _ = run(capsys, "kpis", export, "--json")
    assert status == status_pandas == 0
    assert after == want and '"answered": 0' in after


def test_a_file_that_has_not_settled_is_hashed_every_time(tmp_path, monkeypatch):
    """A file whose times are not yet older than the settling window (here: in the future)
    is not remembered: a write within the same clock tick could leave its stat unchanged."""
    monkeypatch.setenv(io.CACHE_ENV, str(tmp_path / "cache"))
    export = tmp_path / "calls.csv"
    export.write_bytes(_small_csv(answered="1"))
    ahead = time.time_ns() + 60_000_000_000
    os.utime(export, ns=(ahead, ahead))
    hashed = Counter(io.cache.content_digest)
    monkeypatch.setattr(io.cache, "content_digest", hashed)
    digests = {io.source_digest(export) for _ in range(2)}
    assert hashed.calls == 2 and digests == {io.content_digest(export)}
    assert not list((tmp_path / "cache").glob("*" + io.cache.STAT_INDEX_SUFFIX))
    os.utime(export, ns=(ahead - 120_000_000_000,) * 2)  # in the past; its ctime is now
    time.sleep(2 * io.cache.SETTLE_NS / 1e9)  # settled now: remembered
    assert io.source_digest(export) == io.source_digest(export)
    assert hashed.calls == 3


def _small_csv(answered: str) -> bytes:
    """Three calls of one customer over two days; ``answered`` 1 or 0 for every call."""
    rows = [
        f"2025-03-03 09:00:00,C1,12,{answered},180",
        f"2025-03-03 09:30:00,C1,40,{answered},200",
        f"2025-03-04 10:00:00,C2,5,{answered},150",
    ]
    return ("arrived_at,customer_id,wait_s,answered,talk_s\n" + "\n".join(rows) + "\n").encode()


def test_report_engine_input_errors_are_one_line(capsys, tmp_path, calls_csv):
    """Bad input with --engine ends as without it: exit 2, one translated line, no traceback."""
    out = tmp_path / "out"
    period = ("--period", "2024-01-01:2024-01-31")
    pandas = run(capsys, "report", calls_csv, "--out", out, *period)
    duck = run(capsys, "report", calls_csv, "--out", out, *period, "--engine", "duckdb")
    assert pandas == duck and pandas[0] == 2
    assert pandas[2].count("\n") == 1 and "2024-01-01" in pandas[2]
    empty = tmp_path / "empty"
    empty.mkdir()
    status, _, err = run(capsys, "report", empty, "--out", out)
    assert status == 2 and "--engine duckdb" in err and str(empty) in err
    status, _, err = run(
        capsys, "report", empty, "--out", out, "--engine", "duckdb", "--lang", "zh"
    )
    assert status == 2 and str(empty) in err and err.startswith("错误")
    assert not out.exists()


def test_kpis_over_a_folder_asked_again_read_its_kept_cube(capsys, tmp_path, calls_folder,
                                                           calls_csv, monkeypatch):  # fmt: skip
    """The first ``kpis --engine duckdb`` over a folder keeps its cube in the cache folder
    (``CCMETRICS_CACHE_DIR``); the second counts no fact and builds no cube, reading the
    kept one: the same JSON as the first and as pandas on the export."""
    from ccmetrics.engine import Dataset

    options = ("--freq", "W", "--json")
    status, want, _ = run(capsys, "kpis", calls_csv, *options)  # pandas
    assert status == 0
    assert run(capsys, "kpis", calls_folder, *options, "--engine", "duckdb") == (0, want, "")
    assert len(list((tmp_path / "cache" / "cubes").glob("*.parquet"))) == 1

    def from_the_calls(*args, **kwargs):
        raise AssertionError("the calls were read for what the kept cube holds")

    monkeypatch.setattr(Dataset, "_count_facts", from_the_calls)
    monkeypatch.setattr(Dataset, "_build_cube", from_the_calls)
    assert run(capsys, "kpis", calls_folder, *options, "--engine", "duckdb") == (0, want, "")
