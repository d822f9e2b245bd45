"""The Parquet cache of :func:`ccmetrics.io.load_cached` is private and verified before use.

Private: the folder is 0700 and every file 0600, whatever the umask; a wider folder of
ours is narrowed, a shared or foreign one is not used. Verified: a copy is served only
when its bytes match the SHA-256 stored beside it (``.sha256``, ``sha256sum`` format); a
tampered copy (well-formed, so every other check passes), a truncated one or a damaged
checksum file is loaded again from the source and rewritten. The expected results are
those of a fresh :func:`ccmetrics.io.load` of the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import ccmetrics.io as cio

posix_only = pytest.mark.skipif(os.name != "posix", reason="owner and mode bits are POSIX")

CALLS = (
    b"call_id,arrived_at,queue,wait_s,answered,talk_s\n"
    b"c1,2024-03-01 09:00:05,Sales,12,Y,100\n"
    b"c2,2024-03-01 09:01:00,Sales,30,N,\n"
    b"c3,2024-03-01 08:59:00,Billing,3,Y,250\n"
)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _copy_files(folder: Path) -> tuple[Path, Path, Path]:
    (parquet,) = folder.glob("*.parquet")
    return parquet, parquet.with_suffix(".json"), parquet.with_suffix(".sha256")


def _count_loads(monkeypatch) -> list:
    """A list that grows by one per fresh load that load_cached makes."""
    calls = []
    original = cio.cache.load

    def spy(*args, **kwargs):
        calls.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(cio.cache, "load", spy)
    return calls


def _assert_fresh(result) -> None:
    fresh = cio.load(CALLS)
    pd.testing.assert_frame_equal(result.frame, fresh.frame)
    pd.testing.assert_frame_equal(result.problems, fresh.problems)
    assert result.mapping == fresh.mapping


# --------------------------------------------------------------------------- private


@posix_only
def test_folder_0700_and_files_0600_whatever_the_umask(tmp_path):
    folder = tmp_path / "nested" / "cache"
    previous = os.umask(0)  # the most permissive umask: modes come from the code alone
    try:
        cio.load_cached(CALLS, cache_dir=folder)
    finally:
        os.umask(previous)
    assert _mode(folder) == 0o700
    files = sorted(folder.iterdir())
    assert [p.suffix for p in files] == [".json", ".parquet", ".sha256"]
    assert all(_mode(p) == 0o600 for p in files), {p.name: oct(_mode(p)) for p in files}
    assert cio.CACHE_DIR_MODE == 0o700 and cio.CACHE_FILE_MODE == 0o600


@posix_only
def test_a_wider_folder_of_ours_is_narrowed(tmp_path):
    folder = tmp_path / "cache"
    folder.mkdir()
    folder.chmod(0o755)  # a cache folder made by an earlier version
    cio.load_cached(CALLS, cache_dir=folder)
    assert _mode(folder) == 0o700
    assert len(list(folder.glob("*.parquet"))) == 1


@posix_only
def test_a_shared_folder_is_not_used(tmp_path, monkeypatch):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp: not ours to narrow
    calls = _count_loads(monkeypatch)
    _assert_fresh(cio.load_cached(CALLS, cache_dir=shared))
    _assert_fresh(cio.load_cached(CALLS, cache_dir=shared))
    assert len(calls) == 2 and list(shared.iterdir()) == []
    assert _mode(shared) == 0o1777


@posix_only
def test_a_folder_of_another_user_is_neither_read_nor_written(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    cio.load_cached(CALLS, cache_dir=folder)  # a good copy, written by "us"
    before = sorted(p.name for p in folder.iterdir())
    monkeypatch.setattr(os, "getuid", lambda: os.stat(folder).st_uid + 1)  # now it is theirs
    calls = _count_loads(monkeypatch)
    _assert_fresh(cio.load_cached(CALLS, cache_dir=folder))
    assert len(calls) == 1  # their copy was not served
    assert sorted(p.name for p in folder.iterdir()) == before


# --------------------------------------------------------------------------- verified


def test_the_checksum_file_is_sha256sum_of_both_files(tmp_path):
    cio.load_cached(CALLS, cache_dir=tmp_path)
    parquet, meta, check = _copy_files(tmp_path)
    lines = check.read_text(encoding="ascii").splitlines()
    assert lines == [
        f"{hashlib.sha256(parquet.read_bytes()).hexdigest()}  {parquet.name}",
        f"{hashlib.sha256(meta.read_bytes()).hexdigest()}  {meta.name}",
    ]


def test_a_good_copy_is_served_without_loading(tmp_path, monkeypatch):
    cio.load_cached(CALLS, cache_dir=tmp_path)
    calls = _count_loads(monkeypatch)
    _assert_fresh(cio.load_cached(CALLS, cache_dir=tmp_path))
    assert calls == []


def _tamper_parquet(parquet: Path) -> None:
    """Rewrite the copy with other wait times: same rows, columns and types, valid Parquet."""
    table = pq.read_table(parquet)
    index = table.schema.get_field_index("wait_s")
    waits = pa.array([999.0] * table.num_rows, type=table.schema.field("wait_s").type)
    pq.write_table(table.set_column(index, table.schema.field("wait_s"), waits), parquet)


def _tamper_meta(meta: Path) -> None:
    """Change what the problems report says, keeping a well-formed copy description."""
    content = json.loads(meta.read_text(encoding="utf-8"))
    content["problems"].append(
        {"level": "info", "code": "generated_call_id", "column": None, "rows": 0,
         "message": "injected", "params": {}}
    )  # fmt: skip
    meta.write_text(json.dumps(content, ensure_ascii=False), encoding="utf-8")


def _truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


DAMAGE = {
    "tampered_parquet": lambda parquet, meta, check: _tamper_parquet(parquet),
    "tampered_json": lambda parquet, meta, check: _tamper_meta(meta),
    "truncated_parquet": lambda parquet, meta, check: _truncate(parquet),
    "truncated_json": lambda parquet, meta, check: _truncate(meta),
    "truncated_checksums": lambda parquet, meta, check: _truncate(check),
    "no_checksums": lambda parquet, meta, check: check.unlink(),
    "forged_checksum_line": lambda parquet, meta, check: check.write_text(
        check.read_text().replace(check.read_text()[:64], "0" * 64), encoding="ascii"
    ),
}


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_or_tampered_copy_is_rebuilt_not_used(tmp_path, monkeypatch, damage):
    cio.load_cached(CALLS, cache_dir=tmp_path)
    parquet, meta, check = _copy_files(tmp_path)
    good = {p.name: p.read_bytes() for p in (parquet, meta, check)}
    DAMAGE[damage](parquet, meta, check)
    if damage == "tampered_parquet":
        # the tampered copy is one the other checks accept: only the checksum tells
        assert (
            len(pd.read_parquet(parquet)) == 3 and (pd.read_parquet(parquet)["wait_s"] == 999).all()
        )
    calls = _count_loads(monkeypatch)
    _assert_fresh(cio.load_cached(CALLS, cache_dir=tmp_path))
    assert len(calls) == 1  # loaded again from the source
    rewritten = {p.name: p.read_bytes() for p in _copy_files(tmp_path)}
    assert rewritten == good  # the copy and its checksums are whole again
    _assert_fresh(cio.load_cached(CALLS, cache_dir=tmp_path))
    assert len(calls) == 1  # and served from then on
    assert not list(tmp_path.glob(".*.tmp"))
