"""Reading a source: bytes (paths, uploads, memory maps), compression, text encodings, the
CSV dialect and header sniffing, Excel and Parquet, and :func:`preview`.
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import mmap
import re
import zipfile
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ccmetrics.io.encoding import legacy_encoding, mixed_utf8, utf8_evidence
from ccmetrics.io.limits import (
    MAX_NESTING,
    MAX_SOURCE_BYTES,
    gunzip_capped,
    read_capped,
    read_member_capped,
    read_path_capped,
    too_large,
)
from ccmetrics.io.problems import LoadError, _Problems
from ccmetrics.io.synonyms import PLACEHOLDERS

__all__ = ["preview", "PREVIEW_BYTES"]

#: Files at least this large are memory-mapped rather than read into a new buffer.
_MAP_BYTES = 1 << 24
#: Bytes the CSV parser takes at a time (Arrow's block; it parses blocks in parallel).
_CSV_BLOCK_BYTES = 1 << 24
#: Text at least this large is parsed in pieces of about :data:`_CSV_PIECE_BYTES` cut at
#: line ends: Arrow's parser holds one piece's fields at a time, not the whole file's
#: (2.8 GB at 5M calls), and still parses each piece's blocks in parallel.
_PIECES_FROM_BYTES = 1 << 26
_CSV_PIECE_BYTES = 1 << 26


def _source_bytes(source) -> tuple[Any, str]:
    """The raw bytes of a source and its name. A large file is memory-mapped
    (read-only, the page cache serves it) rather than copied into new memory."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            if path.is_file() and path.stat().st_size >= _MAP_BYTES:
                with open(path, "rb") as handle:
                    try:
                        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ), path.name
                    except (OSError, ValueError):  # not mappable: read it
                        pass
            if path.exists() and not path.is_file() and not path.is_dir():
                # a device or a pipe (/dev/zero, a FIFO): read piece by piece, capped
                return read_path_capped(path), path.name
            return path.read_bytes(), path.name
        except FileNotFoundError:
            raise LoadError(
                f"{path}: file not found.", "file_not_found", {"file": str(path)}
            ) from None
        except IsADirectoryError:
            raise LoadError(
                f"{path}: is a folder, not a file.", "file_not_found", {"file": str(path)}
            ) from None
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), "uploaded data"
    if hasattr(source, "read"):
        if hasattr(source, "seek"):
            try:
                source.seek(0)
            except (OSError, ValueError):
                pass
        name = Path(str(getattr(source, "name", "uploaded file"))).name
        getvalue = getattr(source, "getvalue", None)
        if isinstance(source, io.BytesIO) and getvalue is not None:
            data = getvalue()  # an upload held in memory already: no copy, no cap needed
            if len(data) > MAX_SOURCE_BYTES:
                raise too_large(name, "file", MAX_SOURCE_BYTES)
            return data, name
        return read_capped(source, name), name
    raise TypeError(
        f"source must be a path, bytes or a binary file object, not {type(source).__name__}"
    )


#: Characters of decoded text the sniffer and the binary check look at (see :func:`_sniff`).
_HEAD_CHARS = 200_001
#: Bytes decoded at a time when a whole file is validated or transcoded.
_CHUNK_BYTES = 1 << 24


def _is_blank(data) -> bool:
    """True when the bytes are empty or only ASCII whitespace (``not data.strip()``).

    Looks at the first 64 KiB first, so a large file is not copied to answer.
    """
    head = bytes(data[:65536])
    if head.strip():
        return False
    return len(data) <= 65536 or not bytes(data).strip()


def _is_ascii(view: memoryview) -> bool:
    """``bytes.isascii`` of any buffer (every byte below 0x80), without a copy."""
    return len(view) == 0 or int(np.frombuffer(view, dtype=np.uint8).max()) < 0x80


def _decoded_chunks(data, encoding: str):
    """Decode ``data`` piece by piece (strict); raises UnicodeDecodeError like ``bytes.decode``."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    view = memoryview(data)
    size = len(view)
    for start in range(0, size, _CHUNK_BYTES):
        end = min(start + _CHUNK_BYTES, size)
        yield decoder.decode(view[start:end], final=end >= size)
    if size == 0:
        yield decoder.decode(b"", final=True)


def _head_text(data, encoding: str, limit: int = _HEAD_CHARS) -> str:
    """The first ``limit`` characters of ``data`` decoded (already known valid)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    view = memoryview(data)
    parts, chars, start = [], 0, 0
    while start < len(view) and chars < limit:
        end = min(start + 4 * limit, len(view))
        part = decoder.decode(view[start:end], final=end >= len(view))
        parts.append(part)
        chars += len(part)
        start = end
    return "".join(parts)[:limit]


#: Most characters read to find a header line that is longer than the usual head.
_LONG_HEAD_CHARS = 16 << 20

#: Line breaks as the CSV parser sees them (not U+2028, NEL, VT or FF, which
#: ``str.splitlines`` would also split a title line at).
_LINE_BREAK = re.compile(r"\r\n|\n|\r")


def _line_breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _physical_lines(text: str) -> list[str]:
    lines = _LINE_BREAK.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _valid(data, encoding: str) -> bool:
    """True when ``data`` decodes strictly with ``encoding`` (without keeping the text)."""
    try:
        for _ in _decoded_chunks(data, encoding):
            pass
    except UnicodeDecodeError:
        return False
    return True


def _utf8_of(data, encoding: str) -> bytes:
    """``data.decode(encoding).encode("utf-8")``, a piece at a time (no full text in memory)."""
    return b"".join(part.encode("utf-8") for part in _decoded_chunks(data, encoding))


def _mixed(view, name: str, notes: list | None):
    """Decode UTF-8 text whose some lines are in a legacy encoding, line by line."""
    lines = bytes(view)
    bad = b"\n".join(line for line in lines.split(b"\n") if not _decodes(line, "utf-8"))
    fallback = legacy_encoding(bad)[0] or "gb18030"
    utf8, fallen = mixed_utf8(lines, fallback)
    if notes is not None:
        notes.append(
            (
                "mixed_encoding",
                f"{len(fallen):,} line(s) are not UTF-8 like the rest of the file and were "
                f"read as {fallback} (e.g. line(s) {', '.join(map(str, fallen[:5]))}). "
                "Check the names on those lines.",
                {
                    "encoding": "utf-8",
                    "fallback": fallback,
                    "count": len(fallen),
                    "lines": fallen[:5],
                },
            )
        )
    return _head_text(utf8, "utf-8"), "utf-8", utf8


def _decodes(raw: bytes, encoding: str) -> bool:
    try:
        raw.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _decode(
    data: bytes, encoding: str | None, name: str, notes: list | None = None
) -> tuple[str, str, Any]:
    """Find the text encoding: BOM, strict UTF-8, GB18030, then charset-normalizer.

    Returns ``(head, encoding, utf8)``: the first :data:`_HEAD_CHARS`
    characters of the text, the encoding used, and the whole text as UTF-8
    bytes (the input itself, or a view of it, when it already is UTF-8). The
    whole text is never held decoded: a 600 MB export would take 0.6-2.4 GB
    as a Python string.
    """
    view = memoryview(data)
    if encoding:
        try:
            info = codecs.lookup(encoding)
            if not getattr(info, "_is_text_encoding", True):
                raise LookupError(f"{encoding!r} is not a text encoding")
            codec = info.name
            if codec == "utf-8" or (codec == "utf-8-sig" and data[:3] != codecs.BOM_UTF8):
                if not _valid(view, "utf-8"):
                    raise UnicodeDecodeError("utf-8", b"", 0, 1, "invalid data")
                return _head_text(view, "utf-8"), encoding, data
            if codec == "utf-8-sig":
                rest = view[len(codecs.BOM_UTF8) :]
                if not _valid(rest, "utf-8"):
                    raise UnicodeDecodeError("utf-8", b"", 0, 1, "invalid data")
                return _head_text(rest, "utf-8"), encoding, rest
            utf8 = _utf8_of(view, encoding)
            return _head_text(utf8, "utf-8"), encoding, utf8
        except (UnicodeDecodeError, LookupError) as exc:
            raise LoadError(
                f"{name}: cannot be read as {encoding} ({exc.__class__.__name__}). "
                "Leave the encoding empty to detect it.",
                "encoding_failed",
                {"file": name, "encoding": encoding},
            ) from None
    if data[:3] == codecs.BOM_UTF8:
        rest = view[len(codecs.BOM_UTF8) :]
        if _valid(rest, "utf-8"):
            return _head_text(rest, "utf-8"), "utf-8-sig", rest
        return _mixed(rest, name, notes)  # a UTF-8 BOM, then lines in another encoding
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if _valid(view, "utf-16"):
            utf8 = _utf8_of(view, "utf-16")
            return _head_text(utf8, "utf-8"), "utf-16", utf8
    head = bytes(data[:4096])
    if head.count(0) > 0.1 * len(head):
        # UTF-16 without a BOM: every other byte of ASCII text is zero
        zeros_odd = head[1::2].count(0)
        zeros_even = head[0::2].count(0)
        for enc, zeros in (("utf-16-le", zeros_odd), ("utf-16-be", zeros_even)):
            if zeros > 0.3 * len(head) / 2 and _valid(view, enc):
                utf8 = _utf8_of(view, enc)
                return _head_text(utf8, "utf-8"), enc, utf8
        raise _not_a_table(name)
    if _is_ascii(view):
        return _head_text(view, "ascii"), "utf-8", data
    if _valid(view, "utf-8"):
        return _head_text(view, "utf-8"), "utf-8", data
    if utf8_evidence(view):
        return _mixed(view, name, notes)  # UTF-8 with some lines in another encoding
    chosen, alternative, doubtful = legacy_encoding(view)
    if chosen is not None and _valid(view, chosen):
        if alternative is not None and notes is not None:
            notes.append(
                (
                    "encoding_guessed",
                    f"The encoding was guessed as {chosen}; {alternative} fits about as well. "
                    f"Characters in doubt: {''.join(doubtful[:10])}. Choose the encoding if "
                    "names look wrong.",
                    {"encoding": chosen, "alternative": alternative, "characters": doubtful},
                )
            )
        utf8 = _utf8_of(view, chosen)
        return _head_text(utf8, "utf-8"), chosen, utf8
    if _valid(view, "gb18030"):
        utf8 = _utf8_of(view, "gb18030")
        return _head_text(utf8, "utf-8"), "gb18030", utf8
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(bytes(data[:200_000])).best()
    except Exception:  # pragma: no cover - detector failure is treated as garbage
        best = None
    if best is not None and best.encoding:
        try:
            utf8 = _utf8_of(view, best.encoding)
            return _head_text(utf8, "utf-8"), best.encoding, utf8
        except (UnicodeDecodeError, LookupError):
            pass
    raise _not_a_table(name)


def _not_a_table(name: str) -> LoadError:
    return LoadError(
        f"{name}: this is not a readable table. Found binary data, not text. "
        "Needed: a CSV/TSV/TXT export, an Excel workbook (.xlsx/.xls) or a Parquet file.",
        "not_a_table",
        {"file": name},
    )


def _looks_binary(text: str) -> bool:
    sample = text[:20_000]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n") or ch == "\ufffd")
    return bad > 0.01 * len(sample)


_DELIMITERS = (",", ";", "\t", "|")


def _sniff(text: str) -> tuple[str, int, list[str]]:
    """Return (delimiter, header line index, header fields) from the first lines."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, len(text) + 1))  # a long cell or header is still a cell
    try:
        return _sniff_lines(text)
    finally:
        csv.field_size_limit(limit)


def _sniff_lines(text: str):
    physical_lines = _physical_lines(text)[:60]
    lines = [line for line in physical_lines if line.strip()]
    if len(lines) > 1 and not text.endswith(("\n", "\r")) and len(text) >= _HEAD_CHARS - 1:
        lines = lines[:-1]
    best = None
    for delim in _DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delim)]
        if not counts:
            continue
        data_counts = counts[1:] or counts
        modal = max(set(data_counts), key=data_counts.count)
        consistency = data_counts.count(modal) / len(data_counts)
        score = (modal > 1, consistency >= 0.9, modal * consistency, -_DELIMITERS.index(delim))
        if best is None or score > best[0]:
            best = (score, delim, modal, counts)
    if best is None:
        return ",", 0, [], []
    _score, delim, modal, counts = best
    header_line = next((i for i, c in enumerate(counts) if c == modal), 0)
    # header_line indexes non-blank lines; translate to the physical line
    physical = [i for i, line in enumerate(physical_lines) if line.strip()]
    header_physical = physical[header_line] if physical else 0
    header = next(csv.reader([lines[header_line]], delimiter=delim)) if lines else []
    return (
        delim,
        header_physical,
        header,
        list(csv.reader(lines[header_line + 1 :], delimiter=delim)),
    )


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = str(name).strip().lstrip("\ufeff") or f"Unnamed: {i}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


class _Table:
    """A source table: its headers, and a reader of selected columns."""

    def __init__(
        self,
        data: bytes,
        name: str,
        encoding: str | None,
        sheet,
        problems: _Problems,
        nrows: int | None = None,
    ):
        self.name = name
        self.problems = problems
        self.nrows = nrows  # a preview: Excel and Parquet read only this many rows
        self.skipped_rows = 0  # records of the file left out by the reader (malformed)
        self.encoding: str | None = None
        self._frame: pd.DataFrame | None = None
        if not data or _is_blank(data):
            raise LoadError(
                f"{name}: the file is empty. Needed: a header row and at least one data row.",
                "empty_file",
                {"file": name},
            )
        # unpack gzip and zip layers, each capped while it is unpacked
        for depth in range(MAX_NESTING + 1):
            compressed = data[:2] == b"\x1f\x8b" or (
                data[:4] == b"PK\x03\x04" and not self._is_workbook(data)
            )
            if not compressed:
                break
            if depth == MAX_NESTING:
                raise LoadError(
                    f"{name}: more than {MAX_NESTING} layers of compression. "
                    "Needed: the export packed once (one .gz or .zip).",
                    "too_deeply_nested",
                    {"file": name, "layers": MAX_NESTING},
                )
            if data[:2] == b"\x1f\x8b":
                data = gunzip_capped(data, name)
            else:
                data = self._unzip(data)
        if _is_blank(data):
            raise LoadError(f"{name}: the file is empty.", "empty_file", {"file": name})
        self.data = data
        if data[:4] == b"PAR1":
            self.format = "parquet"
            self._open_parquet()
        elif data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            self.format = "excel"
            self._open_excel(sheet)
        else:
            self.format = "csv"
            if nrows is not None:  # a preview: whole lines of the first PREVIEW_BYTES only
                self.data = _text_head(data, encoding)
            self._open_csv(encoding)

    def _is_workbook(self, data) -> bool:
        """True when zip bytes are an Excel workbook (an ``xl/`` folder), not an archive."""
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except (zipfile.BadZipFile, ValueError, OSError):
            return False
        return any(n.startswith("xl/") for n in names)

    def _unzip(self, data: bytes) -> bytes:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError):
            raise LoadError(
                f"{self.name}: a damaged zip archive or Excel workbook (it starts like one but "
                "cannot be opened). Needed: the file saved or exported again.",
                "unreadable_file",
                {"file": self.name},
            ) from None
        files = [info for info in archive.infolist() if not info.filename.endswith("/")]
        if "mimetype" in archive.namelist() and "content.xml" in archive.namelist():
            raise LoadError(
                f"{self.name}: an OpenDocument file (.ods), which the loader does not read. "
                "Needed: the sheet saved as .xlsx or CSV.",
                "not_a_table",
                {"file": self.name},
            )
        if len(files) != 1:
            raise LoadError(
                f"{self.name}: a zip archive with {len(files)} files. Needed: one table per upload.",
                "not_a_table",
                {"file": self.name, "files": [f.filename for f in files[:10]]},
            )
        return read_member_capped(archive, files[0], self.name)

    # -- parquet
    def _open_parquet(self):
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            # a reader over the caller's buffer (a memory map too): no copy of the file
            self._parquet = pq.ParquetFile(pa.BufferReader(self.data))
        except Exception as exc:
            raise LoadError(
                f"{self.name}: damaged Parquet file ({exc}).",
                "unreadable_file",
                {"file": self.name},
            ) from None
        self._parquet_names = [str(c) for c in self._parquet.schema_arrow.names]
        self.columns = _dedupe(self._parquet_names)  # "agent", "agent.1" for a repeated name

    def _read_parquet(self, columns: list[str]) -> pd.DataFrame:
        """The given columns (deduplicated names) of the Parquet file as pandas; nested
        values (lists, structs, maps) as JSON text."""
        import json

        import pyarrow as pa

        positions = [self.columns.index(c) for c in columns]
        try:
            if self.nrows is not None:
                batch = next(self._parquet.iter_batches(batch_size=self.nrows), None)
                table = pa.Table.from_batches([batch]) if batch is not None else None
                if table is None:
                    table = self._parquet.schema_arrow.empty_table()
            elif len(set(self._parquet_names)) == len(self._parquet_names):
                table = self._parquet.read(columns=[self._parquet_names[i] for i in positions])
                positions = list(range(len(columns)))
            else:
                table = self._parquet.read()
            table = pa.Table.from_arrays([table.column(i) for i in positions], names=columns)
        except (pa.ArrowException, OSError) as exc:
            raise LoadError(
                f"{self.name}: damaged Parquet file ({exc.__class__.__name__}).",
                "unreadable_file",
                {"file": self.name},
            ) from None
        nested = [
            f.name for f in table.schema if pa.types.is_nested(f.type) or pa.types.is_map(f.type)
        ]
        frame = table.to_pandas()
        for name in nested:
            frame[name] = [
                None if v is None else json.dumps(_plain(v), ensure_ascii=False, default=str)
                for v in table.column(name).to_pylist()
            ]
        return frame

    # -- excel
    def _open_excel(self, sheet):
        from ccmetrics.io.excel import Workbook, frame_of, header_position

        book = Workbook(self.data, self.name)
        self.sheets = book.sheets
        chosen = book.choose(sheet)
        self.sheet = chosen
        self.sheet_given = sheet is not None
        self._book = book
        rows, start, scan = book.rows(chosen)
        if not rows:
            self._other_sheet(book, chosen)
            raise LoadError(
                f"{self.name}: sheet '{chosen}' is empty. Needed: a header row and at least "
                "one data row.",
                "empty_file",
                {"file": self.name, "sheet": chosen},
            )
        header = header_position(rows)
        if header > 0:
            self.problems.add(
                "info",
                "skipped_preamble",
                None,
                header,
                f"{header} line(s) above the header row were skipped.",
                count=header,
            )
        if self.nrows is not None:
            rows = rows[: header + 1 + self.nrows]
        frame, names, positions = frame_of(rows, header)
        names = _dedupe(names)
        frame.columns = names
        self._frame = frame
        self.columns = names
        # formulas saved without their values read as blanks: say which columns
        self.formula_blank_columns = {}
        for position, name in zip(positions, names, strict=True):
            count = scan.formula_cells.get(start + position, 0)
            if count:
                self.formula_blank_columns[name] = count
                self.problems.add(
                    "warning",
                    "formula_without_value",
                    name,
                    count,
                    f"'{name}': {count:,} cell(s) hold a formula saved without its value and "
                    "were read as blank. Open the workbook in Excel and save it to store the values.",
                    count=count,
                    sheet=chosen,
                )

    def _other_sheet(self, book, chosen) -> None:
        """When the first sheet has no calls but another has, say which one."""
        if self.sheet_given or len(book.sheets) < 2:
            return
        from ccmetrics.io.excel import frame_of, header_position
        from ccmetrics.io.mapping import guess_kind, guess_mapping

        for other in book.sheets:
            if other == chosen:
                continue
            try:
                rows, _start, _scan = book.rows(other, limit=60)
            except LoadError:
                continue
            if len(rows) < 2:
                continue
            _frame, names, _positions = frame_of(rows, header_position(rows))
            kind = guess_kind(names)
            used = guess_mapping(names, kind)
            if ("arrived_at" if kind == "calls" else "interval_start") in used:
                raise LoadError(
                    f"{self.name}: sheet '{chosen}' has no calls; sheet '{other}' has "
                    f"(columns {', '.join(names[:8])}). Needed: choose the sheet '{other}'.",
                    "data_on_other_sheet",
                    {
                        "file": self.name,
                        "sheet": chosen,
                        "suggested_sheet": other,
                        "sheets": book.sheets,
                    },
                )

    # -- csv
    def _open_csv(self, encoding):
        notes: list = []
        text, self.encoding, self._utf8 = _decode(self.data, encoding, self.name, notes)
        if _mapped_file(self._utf8)[0] is None:
            # transcoded: the mapped file is not read again. A file read as it is keeps
            # its pages until each piece is parsed (dropping them here as well made
            # the parse fault every page in a second time)
            _drop_mapped_pages(self.data)
        for code, message, params in notes:
            self.problems.add("warning", code, None, params.get("count", 0), message, **params)
        if _looks_binary(text):
            raise _not_a_table(self.name)
        # a header (or title) line longer than the head: look further, up to 16 MB
        chars = len(text)
        while _line_breaks(text) < 3 and chars >= _HEAD_CHARS and chars < _LONG_HEAD_CHARS:
            chars *= 4
            text = _head_text(self._utf8, "utf-8", chars)
            if len(text) < chars:
                break
        self.delimiter, self.header_line, header, self.sample_rows = _sniff(text)
        if not header:
            raise LoadError(f"{self.name}: the file is empty.", "empty_file", {"file": self.name})
        self.columns = _dedupe(header)
        if self.header_line > 0:
            self.problems.add(
                "info",
                "skipped_preamble",
                None,
                self.header_line,
                f"{self.header_line} line(s) above the header row were skipped.",
                count=self.header_line,
            )
        del text

    def release(self) -> None:
        """Drop the file's bytes (after :meth:`read`): a large export is then held
        only by the caller, if at all, while the canonical frame is built."""
        self.data = None
        self._utf8 = None

    def sample(self, column: str) -> list[str]:
        """The first few cells of a column as text (Excel and Parquet values as ``str`` gives them)."""
        if column not in self.columns:
            return []
        if self.format == "excel":
            return [str(v) for v in self._frame[column].head(60).dropna()]
        if self.format == "parquet":
            first = next(self._parquet.iter_batches(batch_size=60, columns=[column]), None)
            values = first.column(0).to_pylist() if first is not None else []
            return [str(v) for v in values if v is not None]
        position = self.columns.index(column)
        return [row[position] for row in getattr(self, "sample_rows", []) if len(row) > position]

    def read(
        self,
        columns: list[str],
        string_columns: set[str],
        category_columns: frozenset[str] = frozenset(),
        flag_columns: frozenset[str] = frozenset(),
    ) -> pd.DataFrame:
        """Read the given source columns (ids and dimensions as strings).

        CSV only, for speed and memory (the values a caller sees are the
        same): ``category_columns`` (strings used only as dimensions) are read
        as categoricals with sorted categories, as ``astype("category")``
        would give; ``flag_columns`` (used only as yes/no flags) that Arrow
        reads as booleans with blanks become the nullable ``boolean`` dtype
        instead of Python objects.
        """
        columns = list(dict.fromkeys(columns))
        if self.format == "excel":
            return self._frame[columns].reset_index(drop=True)
        if self.format == "parquet":
            return self._read_parquet(columns)
        return self._read_csv(columns, string_columns, category_columns, flag_columns)

    def _read_csv(
        self, columns, string_columns, category_columns=frozenset(), flag_columns=frozenset()
    ) -> pd.DataFrame:
        import pyarrow as pa

        skipped: list[str] = []

        def on_invalid(row):
            skipped.append(row.text)
            return "skip"

        try:
            table = None
            if len(self._utf8) >= _PIECES_FROM_BYTES:
                try:
                    table = self._arrow_csv_table(
                        columns, string_columns, category_columns, on_invalid, pieces=True
                    )
                except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                    # a later piece that the first piece's types do not fit (a whole
                    # read infers the types from every block): read the file whole
                    skipped.clear()
            if table is None:
                table = self._arrow_csv_table(columns, string_columns, category_columns, on_invalid)
            table = self._zoned_columns_as_text(table)
            table = _clock_times_as_durations(table)
            holder = [table]
            del table
            frame = _arrow_to_pandas(holder, flag_columns)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            # quoted newlines or odd quoting: the slower pandas parser copes; its
            # rows with too many fields are counted, not dropped unseen
            skipped.clear()
            frame = self._pandas_csv_frame(columns, string_columns, skipped)
        self._report_skipped_rows(skipped)
        return frame

    def _arrow_csv_table(
        self, columns, string_columns, category_columns, on_invalid, pieces: bool = False
    ):
        """The CSV's ``columns`` read by Arrow; invalid rows go to ``on_invalid``.

        ``pieces``: read in pieces of about :data:`_CSV_PIECE_BYTES` cut at line ends
        (the pages of a memory-mapped file dropped once read), the types the first
        piece infers given to the others, so that a later piece those types do not
        fit raises ``ArrowInvalid``; otherwise read whole, the types inferred from
        every block.
        """
        import pyarrow as pa
        import pyarrow.csv as pacsv

        column_types = {c: pa.large_string() for c in columns if c in string_columns}
        for c in columns:
            if c in string_columns and c in category_columns:
                column_types[c] = pa.dictionary(pa.int32(), pa.string())

        def read(buffer, skip_rows: int, types: dict):
            return pacsv.read_csv(
                pa.BufferReader(buffer),
                read_options=pacsv.ReadOptions(
                    skip_rows=skip_rows, column_names=self.columns, block_size=_CSV_BLOCK_BYTES
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=self.delimiter,
                    invalid_row_handler=on_invalid,
                    newlines_in_values=False,
                ),
                convert_options=pacsv.ConvertOptions(
                    include_columns=columns,
                    column_types=types,
                    null_values=list(PLACEHOLDERS),
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )

        if not pieces:
            return read(pa.py_buffer(self._utf8), self.header_line + 1, column_types)
        view = memoryview(self._utf8).cast("B")
        tables, types = [], column_types
        for start, end in _line_pieces(view, _CSV_PIECE_BYTES):
            first = start == 0
            tables.append(read(view[start:end], self.header_line + 1 if first else 0, types))
            if first:
                types = {field.name: field.type for field in tables[0].schema}
            _drop_mapped_pages(view, start, end)
        return pa.concat_tables(tables)

    def _zoned_columns_as_text(self, table):
        """``table`` with its zoned timestamp columns read again as text."""
        import pyarrow as pa
        import pyarrow.csv as pacsv

        zoned = [
            f.name for f in table.schema if pa.types.is_timestamp(f.type) and f.type.tz is not None
        ]
        if not zoned:
            return table
        # Arrow turns "09:00+08:00" into 01:00 UTC: read such columns as text,
        # so the loader sees each value's offset and puts them on one clock
        text = pacsv.read_csv(
            pa.BufferReader(pa.py_buffer(self._utf8)),
            read_options=pacsv.ReadOptions(
                skip_rows=self.header_line + 1,
                column_names=self.columns,
                block_size=1 << 24,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=self.delimiter,
                invalid_row_handler=lambda row: "skip",
                newlines_in_values=False,
            ),
            convert_options=pacsv.ConvertOptions(
                include_columns=zoned,
                column_types={c: pa.string() for c in zoned},
                null_values=list(PLACEHOLDERS),
                strings_can_be_null=True,
            ),
        )
        for name in zoned:
            table = table.set_column(table.schema.get_field_index(name), name, text.column(name))
        return table

    def _pandas_csv_frame(self, columns, string_columns, skipped: list) -> pd.DataFrame:
        """The CSV's ``columns`` read by pandas; rows with too many fields go to ``skipped``."""

        def on_bad_line(fields):
            skipped.append(self.delimiter.join(str(f) for f in fields))
            return None

        return _pandas_csv(
            io.BytesIO(self._utf8),
            sep=self.delimiter,
            skiprows=self.header_line + 1,
            names=self.columns,
            usecols=columns,
            header=None,
            engine="python",
            dtype={c: str for c in columns if c in string_columns},
            na_values=list(PLACEHOLDERS),
            keep_default_na=False,
            on_bad_lines=on_bad_line,
            name=self.name,
        )

    def _report_skipped_rows(self, skipped: list) -> None:
        """Count the file lines of the ``skipped`` rows and report them as a problem."""
        # a row that an unterminated quote ran on into the next lines is all of them
        lines = sum(1 + _line_breaks(text) for text in skipped)
        self.skipped_rows = lines
        if skipped:
            self.problems.add(
                "warning",
                "malformed_row",
                None,
                lines,
                f"{lines:,} row(s) had a wrong number of fields (or an unterminated quote) "
                f"and were skipped (e.g. {skipped[0][:80]!r}); row numbers after them shift.",
                count=lines,
                dropped=lines,
                sample_text=[s[:80] for s in skipped[:3]],
            )


def _clock_times_as_durations(table):
    """``table`` with its clock-time columns ("00:02:14") as durations."""
    import pyarrow as pa

    for i, field_ in enumerate(table.schema):
        if pa.types.is_time(field_.type):
            # clock-like cells ("00:02:14") become durations, read as seconds later
            as_int = table.column(i).cast(
                pa.int64() if pa.types.is_time64(field_.type) else pa.int32()
            )
            unit = field_.type.unit
            table = table.set_column(
                i, field_.name, as_int.cast(pa.int64()).cast(pa.duration(unit))
            )
    return table


def _plain(value):
    """A nested Parquet value as JSON-ready lists and dicts."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, tuple) and len(v) == 2 for v in value) and value:
            return {str(k): _plain(v) for k, v in value}  # a map: (key, value) pairs
        return [_plain(v) for v in value]
    return value


def _pandas_csv(data, name: str, **options) -> pd.DataFrame:
    """``pandas.read_csv`` (python engine); a file it cannot parse is a LoadError."""
    limit = csv.field_size_limit()
    csv.field_size_limit((1 << 31) - 1)  # a cell may be as long as the file
    try:
        return pd.read_csv(data, **options)
    except (pd.errors.ParserError, csv.Error, ValueError) as exc:
        raise LoadError(
            f"{name}: the rows cannot be split into fields ({str(exc)[:120]}). Needed: a CSV "
            "export whose quotes are closed.",
            "unreadable_file",
            {"file": name},
        ) from None
    finally:
        csv.field_size_limit(limit)


def _mapped_file(data):
    """The memory map under ``data`` (a map, or a view of one's tail such as the text
    after a BOM) and where ``data`` starts in it; ``(None, 0)`` for bytes in memory."""
    base = data.obj if isinstance(data, memoryview) else data
    if not isinstance(base, mmap.mmap) or base.closed:
        return None, 0
    return base, len(base) - len(data)


def _drop_mapped_pages(data, start: int = 0, end: int | None = None) -> None:
    """Hand the pages of ``data[start:end]`` back when ``data`` is a read-only memory
    map (or a view of one): they leave this process's resident memory and are read
    again from the page cache if touched. Bytes in memory: nothing to do."""
    mapped, offset = _mapped_file(data)
    if mapped is None or not hasattr(mmap, "MADV_DONTNEED"):  # not Linux/BSD: pages stay
        return
    first = (offset + start) // mmap.PAGESIZE * mmap.PAGESIZE
    last = offset + (len(data) if end is None else end)
    if last > first:
        try:
            mapped.madvise(mmap.MADV_DONTNEED, first, last - first)
        except (OSError, ValueError):  # advice refused: the pages just stay resident
            pass


def _line_pieces(view: memoryview, size: int):
    """``(start, end)`` of consecutive pieces of ``view``, each at least ``size`` bytes
    (but the last) and ending just after a line feed (or at the end)."""
    start, total = 0, len(view)
    while start < total:
        end = start + size
        while end < total:
            window = bytes(view[end : end + (1 << 16)])
            found = window.find(b"\n")
            if found >= 0:
                end += found + 1
                break
            end += len(window)
        end = min(end, total)
        yield start, end
        start = end


def _hand_back_memory() -> None:
    """Return freed memory to the operating system.

    Parsing a large CSV leaves about 1 GB (at 5M rows) of freed scratch memory
    with the allocators (Arrow's pool, the C library's per-thread arenas),
    which would otherwise add to the peak while the canonical frame is built.
    """
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def _arrow_to_pandas(holder: list, flag_columns=frozenset()) -> pd.DataFrame:
    """An Arrow table (the only item of ``holder``, taken out of it) as pandas:
    dictionary columns as categoricals with sorted categories, boolean
    ``flag_columns`` with blanks as the ``boolean`` dtype. Arrow memory is
    released column by column as it is converted."""
    import pyarrow as pa

    table = holder.pop()
    schema, names = table.schema, table.column_names
    flags = [
        f.name
        for f in schema
        if f.name in flag_columns
        and pa.types.is_boolean(f.type)
        and table.column(f.name).null_count > 0
    ]
    if table.num_rows >= 100_000:
        _hand_back_memory()  # the parser's scratch memory, before converting
    extra = None
    if flags:
        extra = table.select(flags).to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get)
        table = table.drop_columns(flags)
    rows = table.num_rows
    frame = table.to_pandas(self_destruct=True, split_blocks=True)
    del table
    if rows >= 100_000:
        _hand_back_memory()
    if extra is not None:
        frame = pd.concat([frame, extra], axis=1)[names]
    for f in schema:
        if pa.types.is_dictionary(f.type):
            values = frame[f.name]
            categories = values.cat.categories
            ordered = sorted(str(c) for c in categories)
            if list(categories) != ordered:
                values = values.cat.reorder_categories(ordered)
            frame[f.name] = values
    return frame


#: Bytes of a text export :func:`preview` parses (cut at a line end).
PREVIEW_BYTES = 1 << 18


def _text_head(data, encoding: str | None):
    """Whole lines of the first :data:`PREVIEW_BYTES` of a text export (UTF-16 kept whole)."""
    utf16 = str(encoding or "").lower().startswith("utf-16") or bytes(data[:2]) in (
        codecs.BOM_UTF16_LE,
        codecs.BOM_UTF16_BE,
    )
    if utf16 or len(data) <= PREVIEW_BYTES or b"\x00" in bytes(data[:4096]):
        return data
    head = bytes(data[:PREVIEW_BYTES])
    return head[: head.rfind(b"\n") + 1] or head


def preview(source, *, encoding: str | None = None, sheet=None, rows: int = 200) -> pd.DataFrame:
    """The first rows of an export as the file has them, every column as text.

    For a mapping editor: a text export (also inside gzip) is cut to its
    first :data:`PREVIEW_BYTES` at a line end and Excel and Parquet files are
    read for ``rows`` rows only, so a large file is neither parsed nor
    decompressed whole a second time.

    Parameters
    ----------
    source : str, Path, bytes or binary file object
        As for :func:`load`.
    encoding : str, optional
        Text encoding (e.g. ``LoadResult.encoding``); detected if None.
    sheet : str or int, optional
        Excel sheet; the first sheet if None.
    rows : int
        Rows returned at most.

    Returns
    -------
    pandas.DataFrame
        The source headers (deduplicated as :func:`load` does) as columns, at
        most ``rows`` rows.

    Raises
    ------
    LoadError
        As :func:`load` for a file that is not a readable table.
    """
    data, name = _source_bytes(source)
    head = data
    if bytes(data[:2]) == b"\x1f\x8b":
        stream = io.BytesIO(data) if isinstance(data, bytes) else data
        try:
            with gzip.GzipFile(fileobj=stream) as unzipped:
                head = unzipped.read(PREVIEW_BYTES + 1)
        except (OSError, EOFError):
            raise LoadError(
                f"{name}: a damaged gzip file.", "unreadable_file", {"file": name}
            ) from None
    table = _Table(head, name, encoding, sheet, _Problems(), nrows=rows)
    return table.read(list(table.columns), set(table.columns)).head(rows).reset_index(drop=True)
