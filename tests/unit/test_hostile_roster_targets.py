"""Every hostile file of ``tests/hostile/make_people_corpus.py`` through the roster and
targets readers (:func:`ccmetrics.people.read_roster`, :func:`ccmetrics.targets.read_targets`).

Each read runs in a forked child with an address-space and a time limit, as the call
corpus does (``test_hostile_files.py``), so a reader that tries to hold gigabytes or
never ends fails its own case. The test asserts:

* no crash: the reader returns a frame or raises its own error (RosterError or, for a
  file that is not a table, the loader's LoadError; TargetsError), nothing else;
* the expected error code, naming the file and, where the case says, the rows;
* for a load: the rows returned, and row accounting: ``file_rows`` = rows returned +
  rows left out per reason (``attrs["dropped"]``), and the case's values.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import traceback

import pytest

# imported here, before the children fork, so that each child starts with them loaded
from ccmetrics.io import LoadError
from ccmetrics.people import read_roster
from ccmetrics.targets import TargetsError, read_targets
from tests.hostile.forked import run_forked
from tests.hostile.make_people_corpus import PEOPLE_CASES, build

#: Address space a child may add to what it inherits.
EXTRA_ADDRESS_SPACE = 2 << 30
#: Seconds one read may take.
TIME_LIMIT_S = 20


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build(tmp_path_factory.mktemp("hostile_people"))


def _vm_bytes() -> int:
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def _child(case, path, write_fd):
    limit = _vm_bytes() + EXTRA_ADDRESS_SPACE
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    signal.alarm(TIME_LIMIT_S)
    try:
        frame = read_roster(path) if case.reader == "roster" else read_targets(path)
        report = {
            "status": "load",
            "loaded": len(frame),
            "file": frame.attrs.get("file"),
            "file_rows": frame.attrs.get("file_rows"),
            "dropped": frame.attrs.get("dropped"),
            "check": case.check(frame) if case.check else None,
        }
    except (LoadError, TargetsError) as error:  # RosterError is a LoadError
        report = {
            "status": "error",
            "type": type(error).__name__,
            "code": error.code,
            "params": {k: str(v)[:300] for k, v in error.params.items()},
            "message": str(error)[:300],
        }
    except MemoryError:
        report = {"status": "crash", "type": "MemoryError"}
    except BaseException as error:  # anything else is a crash of the reader
        report = {
            "status": "crash",
            "type": type(error).__name__,
            "message": str(error)[:300],
            "trace": traceback.format_exc()[-1500:],
        }
    os.write(write_fd, json.dumps(report, default=str).encode())


def run_case(case, path) -> dict:
    """Read ``path`` in a forked child with memory and time limits; its report."""
    return run_forked(lambda write_fd: _child(case, path, write_fd), TIME_LIMIT_S)


@pytest.mark.parametrize("case", PEOPLE_CASES, ids=[f"{c.reader}-{c.name}" for c in PEOPLE_CASES])
def test_hostile_people_file(case, corpus):
    path = corpus[f"{case.reader}/{case.name}"]
    report = run_case(case, path)
    assert report["status"] in ("load", "error"), f"{case.name}: {report}"
    if case.outcome == "error":
        assert report["status"] == "error", f"{case.name}: expected {case.code}: {report}"
        assert report["code"] == case.code, f"{case.name}: {report}"
        # the message names the file the user gave
        assert path.name in report["message"] or report["params"].get("file") == path.name, report
        if case.rows_named is not None:
            assert report["params"]["rows"] == case.rows_named, f"{case.name}: {report}"
        for value in report["params"].values():
            assert len(value) <= 300, f"{case.name}: a parameter quotes a whole cell: {report}"
    else:
        assert report["status"] == "load", f"{case.name}: expected a load: {report}"
        assert report["loaded"] == case.loaded, f"{case.name}: {report}"
        assert report["file"] == path.name, report
        assert report["file_rows"] == case.rows, f"{case.name}: {report}"
        assert report["dropped"] == case.dropped, f"{case.name}: {report}"
        assert report["loaded"] + sum(report["dropped"].values()) == report["file_rows"]
        assert report["check"] is None, f"{case.name}: {report['check']}"


def test_corpus_covers_both_readers():
    """Both readers, unique names, at least 60 files."""
    assert {c.reader for c in PEOPLE_CASES} == {"roster", "targets"}
    assert len({(c.reader, c.name) for c in PEOPLE_CASES}) == len(PEOPLE_CASES) >= 60


@pytest.mark.parametrize("reader", ["roster", "targets"])
def test_a_missing_file_and_a_folder_are_refused_not_crashed(reader, tmp_path):
    """A path that does not exist, or a folder, is an error of the reader, not OSError."""
    read = read_roster if reader == "roster" else read_targets
    for source in (tmp_path / "nothing.csv", tmp_path):
        with pytest.raises((LoadError, TargetsError)):
            read(source)


def test_targets_from_dev_zero_stop_at_the_cap():
    """/dev/zero is read up to the size cap and refused, never read whole."""
    with pytest.raises(TargetsError) as caught:
        read_targets("/dev/zero")
    assert caught.value.code == "too_large"
