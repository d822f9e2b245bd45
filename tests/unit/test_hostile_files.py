"""Every hostile file of ``tests/hostile/make_corpus.py`` through ``ccmetrics.io.load``.

Each load runs in a forked child process with an address-space limit
(``resource.setrlimit``) and a time limit, so a reader that tries to allocate
hundreds of GB or never ends fails its own case instead of the test run. The
child reports what happened; the test asserts:

* no crash: the load returns a LoadResult or raises LoadError, nothing else,
  and the child is not killed by the memory or time limit;
* the expected outcome of the case (rows loaded, or the LoadError code; the
  problem codes the case names);
* row accounting for every load: rows in the file = rows loaded + rows dropped
  per reason (the problems whose code drops rows, ``DROP_CODES``), and
  ``LoadResult.row_accounting()`` counts the same rows in the file and drops;
* no infinite duration or number in a loaded frame.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import traceback

import pytest

from tests.hostile.forked import run_forked
from tests.hostile.make_corpus import CASES, DROP_CODES, build

#: Address space a child may add to what it inherits (the loader must stay in it).
EXTRA_ADDRESS_SPACE = 3 << 30
#: Seconds a single load may take (the slowest hostile file loads in about 2 s).
TIME_LIMIT_S = 20


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    return folder, build(folder)


class _EndlessStream:
    """A file object whose ``read`` never runs dry (a CSV that never ends)."""

    name = "endless.csv"

    def __init__(self):
        self.row = b"1,2024-03-04 09:00:00,3,100,Y,Alice,Sales\n" * 25_000

    def read(self, size=-1):
        if size is None or size < 0:
            # an unbounded read of an endless stream: stop it by the memory limit
            held = bytearray()
            while True:
                held += self.row
        return (self.row * (size // len(self.row) + 1))[:size]

    def seek(self, *args):
        return 0


def _source(case, folder, paths):
    if case.source == "file":
        return paths[case.name]
    if case.source == "endless_stream":
        return _EndlessStream()
    if case.source == "folder":
        return folder
    if case.source == "missing":
        return folder / "no_such_file.csv"
    return case.source


def _vm_bytes() -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(case, source, write_fd):
    """Run one load (in the forked child) and write a JSON report to ``write_fd``."""
    import numpy as np

    from ccmetrics import io as ccio

    limit = _vm_bytes() + EXTRA_ADDRESS_SPACE
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.alarm(TIME_LIMIT_S)
    report: dict = {}
    try:
        kwargs = dict(case.kwargs)
        result = ccio.load(source, **kwargs)
        problems = result.problems
        dropped = {
            str(code): int(problems.loc[problems["code"] == code, "rows"].sum())
            for code in problems["code"].unique()
            if code in DROP_CODES
        }
        accounting = result.row_accounting() if hasattr(result, "row_accounting") else None
        numeric = result.frame.select_dtypes("number")
        infinite = [c for c in numeric.columns if np.isinf(numeric[c].to_numpy(float)).any()]
        report = {
            "status": "load",
            "loaded": int(len(result.frame)),
            "dropped": dropped,
            "codes": sorted({str(c) for c in problems["code"]}),
            "encoding": result.encoding,
            "infinite": infinite,
            "file_rows": accounting.file_rows if accounting else None,
            "accounted": accounting.dropped if accounting else None,
            "check": case.check(result) if case.check and case.outcome == "load" else None,
        }
    except ccio.LoadError as exc:
        report = {
            "status": "error",
            "code": exc.code,
            "message": str(exc)[:300],
            "check": case.check(exc) if case.check and case.outcome == "error" else None,
        }
    except MemoryError:
        report = {"status": "crash", "type": "MemoryError", "message": ""}
    except BaseException as exc:  # everything else is a crash of the loader
        report = {
            "status": "crash",
            "type": type(exc).__name__,
            "message": str(exc)[:300],
            "trace": traceback.format_exc()[-1500:],
        }
    os.write(write_fd, json.dumps(report, default=str).encode())


def run_case(case, source) -> dict:
    """Load ``source`` in a forked child with memory and time limits; its report."""
    return run_forked(lambda write_fd: _child(case, source, write_fd), TIME_LIMIT_S)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_file(case, corpus):
    folder, paths = corpus
    report = run_case(case, _source(case, folder, paths))
    assert report["status"] in ("load", "error"), f"{case.name}: {report}"
    if case.outcome == "error":
        assert report["status"] == "error", f"{case.name}: expected LoadError {case.code}: {report}"
        assert report["code"] == case.code, f"{case.name}: {report}"
    else:
        assert report["status"] == "load", f"{case.name}: expected a load: {report}"
        dropped = sum(report["dropped"].values())
        assert report["loaded"] + dropped == case.rows, (
            f"{case.name}: rows in file {case.rows} != loaded {report['loaded']} + dropped "
            f"{report['dropped']}"
        )
        assert report["loaded"] == case.loaded, f"{case.name}: {report}"
        # the loader's own accounting (LoadResult.row_accounting) says the same
        assert report["file_rows"] == case.rows, f"{case.name}: {report}"
        assert report["accounted"] == report["dropped"], f"{case.name}: {report}"
        assert not report["infinite"], f"{case.name}: infinite values in {report['infinite']}"
        missing = set(case.warnings) - set(report["codes"])
        assert not missing, f"{case.name}: problem codes {sorted(missing)} not reported: {report}"
    assert report.get("check") is None, f"{case.name}: {report['check']}"


def test_corpus_is_large_enough():
    """At least 100 hostile files, every group of the list present."""
    assert len(CASES) >= 100
    assert len({c.name for c in CASES}) == len(CASES)
    groups = {c.group for c in CASES}
    assert {
        "excel",
        "compression",
        "csv",
        "encoding",
        "numbers",
        "time",
        "parquet",
        "pathological",
    } <= groups


# --------------------------------------------------------------------------- limits


def test_upload_limit_of_the_app_is_what_the_loader_reads():
    """``server.maxUploadSize`` (MB) equals the loader's cap on one source."""
    import tomllib
    from pathlib import Path

    from ccmetrics.io.limits import MAX_SOURCE_BYTES, MAX_UNPACKED_BYTES

    config = tomllib.loads((Path(__file__).parents[2] / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] << 20 == MAX_SOURCE_BYTES
    assert MAX_UNPACKED_BYTES <= MAX_SOURCE_BYTES


def test_a_large_upload_is_held_as_a_private_file_map_not_bytes(tmp_path, monkeypatch):
    """The session keeps a read-only map of a 0600 file in a 0700 folder for an upload
    of at least CACHE_MIN_BYTES, with the same bytes; a small upload stays as it is."""
    import mmap
    import stat

    from pages.common import data as common

    monkeypatch.setenv("CCMETRICS_CACHE_DIR", str(tmp_path))
    data = b"call_id,arrived_at\n" + b"1,2024-03-04 09:00:00\n" * (common.CACHE_MIN_BYTES // 22)
    held = common._spooled(data, "d" * 64)
    assert isinstance(held, mmap.mmap) and held[:] == data
    folder = tmp_path / "uploads"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / ("d" * 64)).stat().st_mode) == 0o600
    small = b"call_id,arrived_at\n1,2024-03-04 09:00:00\n"
    assert common._spooled(small, "e" * 64) is small


def test_gzip_members_are_counted_while_unpacking():
    """A gzip of many members is unpacked whole below the cap and refused above it,
    whatever sizes its trailers declare."""
    import gzip

    from ccmetrics.io.limits import gunzip_capped
    from ccmetrics.io.problems import LoadError

    data = gzip.compress(b"a" * 1000) + gzip.compress(b"b" * 1000)
    assert gunzip_capped(data, "x.gz") == b"a" * 1000 + b"b" * 1000
    with pytest.raises(LoadError) as caught:
        gunzip_capped(data, "x.gz", limit=1500)
    assert caught.value.code == "too_large"
    with pytest.raises(LoadError) as caught:
        gunzip_capped(gzip.compress(b"a" * 1000)[:-4], "x.gz")
    assert caught.value.code == "unreadable_file"
