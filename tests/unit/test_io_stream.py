"""The CSV read as a stream of blocks and the build that lets the parsed table go.

A large text export is parsed block by block (``pyarrow.csv.open_csv``) and the
parsed columns are dropped as the canonical columns are built; both only change
how much memory a load holds at once. The references: the whole read
(``pyarrow.csv.read_csv``, the loader's path for small files) on the same bytes,
and digests of whole load results computed with the loader before these changes
(commit 65e4715, the function :func:`_result_digest` below, run on the same inputs).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import mmap
from pathlib import Path

import pandas as pd
import pytest

from ccmetrics import io, sample
from ccmetrics.io import read
from ccmetrics.io.read import _PageDroppingReader

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data"


def _export_csv(calls: pd.DataFrame) -> bytes:
    """The calls as a platform would export them: whole seconds without '.0'."""
    out = calls.copy()
    for column in ("wait_s", "talk_s", "hold_s", "acw_s", "csat", "qa_score"):
        out[column] = pd.array(out[column].to_numpy(), dtype="Float64").astype("Int64")
    return out.to_csv(index=False, date_format="%Y-%m-%d %H:%M:%S").encode("utf-8")


@pytest.fixture(scope="module")
def month_csv() -> bytes:
    """About 31,000 generated calls (30 days at scale 0.5) as CSV bytes (4 MB)."""
    return _export_csv(sample.generate_calls(days=30, scale=0.5))


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


def _load_streamed(monkeypatch, source, block: int = 1 << 16):
    """``io.load`` with every text export streamed in blocks of ``block`` bytes."""
    with monkeypatch.context() as patch:
        patch.setattr(read, "_STREAM_BYTES", 0)
        patch.setattr(read, "_CSV_BLOCK_BYTES", block)
        return io.load(source)


def _load_whole(monkeypatch, source, block: int = 1 << 16):
    """``io.load`` with every text export read whole (``read_csv``), same block size."""
    with monkeypatch.context() as patch:
        patch.setattr(read, "_STREAM_BYTES", 1 << 62)
        patch.setattr(read, "_CSV_BLOCK_BYTES", block)
        return io.load(source)


def _assert_same_load(streamed, whole) -> None:
    pd.testing.assert_frame_equal(streamed.frame, whole.frame, check_exact=True)
    pd.testing.assert_frame_equal(streamed.problems, whole.problems)
    assert streamed.file_rows == whole.file_rows
    assert streamed.mapping == whole.mapping
    assert streamed.encoding == whole.encoding


# --------------------------------------------------------------------------- the same results


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("month_csv", "3d919acd29a71343"),
        ("sample_20k_csv", "575598c6d744e3d2"),
        ("sample_gbk_5k", "4f1fb4b7a7789d92"),
    ],
)
def test_load_results_equal_the_loader_before_streaming(name, expected, month_csv):
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


def test_streamed_blocks_equal_the_whole_read(monkeypatch, month_csv):
    streamed = _load_streamed(monkeypatch, month_csv)
    whole = _load_whole(monkeypatch, month_csv)
    assert len(month_csv) > 40 * (1 << 16)  # many blocks
    _assert_same_load(streamed, whole)


def test_a_later_block_the_first_blocks_types_do_not_fit_is_read_whole(monkeypatch, month_csv):
    # csat is whole numbers in the first block and a word near the end: the stream
    # infers int64 from its first block and fails there; the whole read infers text
    # for the column (every block), which the loader counts as unparseable numbers.
    lines = month_csv.decode().splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    at = header.index("csat")
    fields = lines[-5].rstrip("\n").split(",")
    fields[at] = "five"
    lines[-5] = ",".join(fields) + "\n"
    data = "".join(lines).encode()
    streamed = _load_streamed(monkeypatch, data)
    whole = _load_whole(monkeypatch, data)
    _assert_same_load(streamed, whole)
    assert "unparseable_number" in set(whole.problems["code"])


def test_malformed_rows_in_later_blocks_are_counted_once(monkeypatch, month_csv):
    lines = month_csv.decode().splitlines(keepends=True)
    for position in (3, len(lines) // 2, len(lines) - 2):
        lines[position] = lines[position].rstrip("\n") + ",extra,fields\n"
    data = "".join(lines).encode()
    streamed = _load_streamed(monkeypatch, data)
    whole = _load_whole(monkeypatch, data)
    pd.testing.assert_frame_equal(streamed.frame, whole.frame, check_exact=True)
    malformed = streamed.problems.set_index("code").loc["malformed_row"]
    assert malformed["rows"] == 3 == whole.problems.set_index("code").loc["malformed_row", "rows"]
    assert streamed.file_rows == whole.file_rows == len(lines) - 1
    # in file order: the first example is the first malformed line
    assert malformed["params"]["sample_text"][0] == lines[3].rstrip("\n")[:80]


def test_a_mapped_file_streams_with_its_pages_handed_back(monkeypatch, tmp_path, month_csv):
    path = tmp_path / "calls.csv"
    path.write_bytes(b"\xef\xbb\xbf" + month_csv)  # a BOM: the text is a view of the map
    with monkeypatch.context() as patch:
        patch.setattr(read, "_MAP_BYTES", 0)
        streamed = _load_streamed(monkeypatch, path)
    whole = _load_whole(monkeypatch, path)
    _assert_same_load(streamed, whole)
    assert streamed.encoding == "utf-8-sig"


def test_the_page_dropping_reader_returns_every_byte(tmp_path):
    path = tmp_path / "data.bin"
    data = bytes(range(256)) * 40_000  # 10 MB, pages of any size
    path.write_bytes(data)
    with open(path, "rb") as handle:
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    for start in (0, 3):  # the map, and a view of its tail (the text after a BOM)
        source = mapped if start == 0 else memoryview(mapped)[start:]
        reader = _PageDroppingReader(source)
        pieces = [reader.read(1_000_003) for _ in range(12)]
        assert b"".join(pieces) == data[start:]
        assert reader.read(10) == b""
        del reader, source
