"""The CSV read in pieces and the build that lets the parsed table go.

A large text export is parsed in pieces cut at line ends (the first piece's types
given to the others) and the parsed columns are dropped as the canonical columns
are built; both only change how much memory a load holds at once. The references:
the whole read (one ``pyarrow.csv.read_csv``, the loader's path for small files) on
the same bytes, and digests of whole load results computed with the loader before
these changes (commit 65e4715, the function :func:`_result_digest` below, run on
the same inputs).
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pandas as pd
import pytest

from ccmetrics import io, sample
from ccmetrics.io import read
from ccmetrics.io.read import _line_pieces
from tests.unit.conftest import export_csv

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


@pytest.fixture(scope="module")
def month_csv() -> bytes:
    """About 31,000 generated calls (30 days at scale 0.5) as CSV bytes (4 MB)."""
    return export_csv(sample.generate_calls(days=30, scale=0.5))


def _frame_digest(frame: pd.DataFrame) -> str:
    """Column names, dtypes, categories and every value (pandas' row hashes)."""
    digest = hashlib.sha256()
    for name, dtype in frame.dtypes.items():
        digest.update(f"{name}:{dtype};".encode())
        if isinstance(dtype, pd.CategoricalDtype):
            digest.update(repr(list(dtype.categories)).encode())
    digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()[:16]


def _result_digest(result) -> str:
    """The frame, the problems report (with params), file rows, encoding and mapping."""
    digest = hashlib.sha256(_frame_digest(result.frame).encode())
    problems = result.problems[["level", "code", "column", "rows", "message"]]
    digest.update(problems.to_json(orient="values").encode())
    params = json.dumps(result.problems["params"].tolist(), sort_keys=True, default=str)
    digest.update(params.encode())
    mapping = sorted(map(str, result.mapping.items()))
    digest.update(f"{result.file_rows}|{result.encoding}|{mapping}".encode())
    return digest.hexdigest()[:16]


def _load_in_pieces(monkeypatch, source, piece: int = 1 << 18, block: int = 1 << 16):
    """``io.load`` with every text export read in pieces of ``piece`` bytes."""
    with monkeypatch.context() as patch:
        patch.setattr(read, "_PIECES_FROM_BYTES", 0)
        patch.setattr(read, "_CSV_PIECE_BYTES", piece)
        patch.setattr(read, "_CSV_BLOCK_BYTES", block)
        return io.load(source)


def _load_whole(monkeypatch, source, block: int = 1 << 16):
    """``io.load`` with every text export read whole (``read_csv``), same block size."""
    with monkeypatch.context() as patch:
        patch.setattr(read, "_PIECES_FROM_BYTES", 1 << 62)
        patch.setattr(read, "_CSV_BLOCK_BYTES", block)
        return io.load(source)


def _assert_same_load(pieces, whole) -> None:
    pd.testing.assert_frame_equal(pieces.frame, whole.frame, check_exact=True)
    pd.testing.assert_frame_equal(pieces.problems, whole.problems)
    assert pieces.file_rows == whole.file_rows
    assert pieces.mapping == whole.mapping
    assert pieces.encoding == whole.encoding


# --------------------------------------------------------------------------- the same results


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("month_csv", "3d919acd29a71343"),
        ("sample_20k_csv", "575598c6d744e3d2"),
        ("sample_gbk_5k", "4f1fb4b7a7789d92"),
    ],
)
def test_load_results_equal_the_loader_before_pieces(name, expected, month_csv):
    # Digests of io.load's whole result computed with the loader of commit 65e4715
    # (whole read, parsed table held to the end of the build) on the same inputs:
    # generated calls, the sample's first 20,000 calls with its IVR columns, and the
    # first 5,000 rows of the GBK sample with Chinese headers.
    if name == "month_csv":
        source = month_csv
    elif name == "sample_20k_csv":
        calls = io.load(SAMPLE / "calls.parquet").frame.head(20_000)
        source = calls.to_csv(index=False).encode()
    else:
        text = gzip.decompress((SAMPLE / "calls_zh_gbk.csv.gz").read_bytes())
        source = b"".join(text.splitlines(keepends=True)[:5001])
    assert _result_digest(io.load(source)) == expected


def test_pieces_equal_the_whole_read(monkeypatch, month_csv):
    pieces = _load_in_pieces(monkeypatch, month_csv)
    whole = _load_whole(monkeypatch, month_csv)
    assert len(month_csv) > 10 * (1 << 18)  # many pieces of several blocks
    _assert_same_load(pieces, whole)


def test_a_later_piece_the_first_pieces_types_do_not_fit_is_read_whole(monkeypatch, month_csv):
    # csat is whole numbers in the first piece and a word near the end: the first
    # piece's int64 does not fit the last piece, which fails; the whole read infers
    # text for the column (every block), which the loader counts as unparseable numbers.
    lines = month_csv.decode().splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    at = header.index("csat")
    fields = lines[-5].rstrip("\n").split(",")
    fields[at] = "five"
    lines[-5] = ",".join(fields) + "\n"
    data = "".join(lines).encode()
    pieces = _load_in_pieces(monkeypatch, data)
    whole = _load_whole(monkeypatch, data)
    _assert_same_load(pieces, whole)
    assert "unparseable_number" in set(whole.problems["code"])


def test_malformed_rows_in_later_pieces_are_counted_once(monkeypatch, month_csv):
    lines = month_csv.decode().splitlines(keepends=True)
    for position in (3, len(lines) // 2, len(lines) - 2):
        lines[position] = lines[position].rstrip("\n") + ",extra,fields\n"
    data = "".join(lines).encode()
    pieces = _load_in_pieces(monkeypatch, data)
    whole = _load_whole(monkeypatch, data)
    pd.testing.assert_frame_equal(pieces.frame, whole.frame, check_exact=True)
    malformed = pieces.problems.set_index("code").loc["malformed_row"]
    assert malformed["rows"] == 3 == whole.problems.set_index("code").loc["malformed_row", "rows"]
    assert pieces.file_rows == whole.file_rows == len(lines) - 1
    assert lines[3].rstrip("\n")[:80] in malformed["params"]["sample_text"]


def test_a_mapped_file_is_read_in_pieces_with_its_pages_handed_back(
    monkeypatch, tmp_path, month_csv
):
    path = tmp_path / "calls.csv"
    path.write_bytes(b"\xef\xbb\xbf" + month_csv)  # a BOM: the text is a view of the map
    with monkeypatch.context() as patch:
        patch.setattr(read, "_MAP_BYTES", 0)
        pieces = _load_in_pieces(monkeypatch, path)
    whole = _load_whole(monkeypatch, path)
    _assert_same_load(pieces, whole)
    assert pieces.encoding == "utf-8-sig"


@pytest.mark.parametrize("size", [1, 100, 70_000, 1 << 20])
def test_pieces_cover_the_text_and_end_at_line_ends(size):
    text = b"".join(b"row %d,%s\n" % (i, b"x" * (i % 97)) for i in range(20_000)) + b"last"
    pieces = list(_line_pieces(memoryview(text), size))
    assert b"".join(text[start:end] for start, end in pieces) == text
    assert all(end == pieces[i + 1][0] for i, (_, end) in enumerate(pieces[:-1]))
    assert all(text[end - 1 : end] == b"\n" for _, end in pieces[:-1])
    assert all(end - start >= size for start, end in pieces[:-1])
