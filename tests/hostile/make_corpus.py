"""Hostile input files for :func:`ccmetrics.io.load`, each with its expected outcome.

Every case writes one file (or names a special source such as ``/dev/zero``)
and says what the loader must do with it: load it with a given number of rows,
or refuse it with a given :class:`ccmetrics.io.LoadError` code. For a load,
``rows`` is the number of data rows in the file and the loader must account
for every one of them (rows loaded + rows dropped per reason = rows).

Nothing here is committed as a binary: ``build(folder)`` writes the files at
test time (the largest, the compression bombs, are a few MB on disk).

Run ``python -m tests.hostile.make_corpus DIR`` to write the corpus to DIR and
list the cases.
"""

from __future__ import annotations

import codecs
import gzip
import io
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Case", "CASES", "DROP_CODES", "build", "UNPACK_BOMB_BYTES"]

#: Problem codes whose ``rows`` are rows dropped from the load (the rest only
#: set values missing or describe what was done).
DROP_CODES = frozenset(
    {
        "malformed_row",
        "outbound_call",
        "phantom_call",
        "missing_datetime",
        "unparseable_datetime",
        "duplicate_call_id",
        "neither_answered_nor_abandoned",
    }
)

#: Unpacked size of the compression bombs: far beyond any upload the app takes.
UNPACK_BOMB_BYTES = 3 << 30


@dataclass
class Case:
    """One hostile input and what :func:`ccmetrics.io.load` must do with it.

    ``outcome`` is ``"load"`` (``loaded`` rows in the frame, ``rows`` data rows
    in the file, all accounted for) or ``"error"`` (a LoadError with ``code``).
    ``warnings`` are problem codes the load must report; ``check`` (run on the
    LoadResult or the LoadError) returns an explanation when a value is wrong.
    ``source`` is ``"file"`` (``make`` writes it), or a special source.
    """

    name: str
    group: str
    make: Callable[[Path], None] | None
    outcome: str
    rows: int = 0
    loaded: int = 0
    code: str | None = None
    warnings: tuple = ()
    kwargs: dict = field(default_factory=dict)
    check: Callable | None = None
    source: str = "file"
    suffix: str = ".csv"

    def path(self, folder: Path) -> Path:
        return Path(folder) / f"{self.name}{self.suffix}"


# --------------------------------------------------------------------------
# Building blocks
# --------------------------------------------------------------------------

HEADER = ["call_id", "arrived_at", "wait_s", "talk_s", "answered", "agent", "queue"]
AGENTS = ["Alice", "Bob", "Chen", "Dana"]


def call_rows(n=10, agents=AGENTS, start_minute=0):
    """``n`` plain call rows: ids 1..n, one call every 7 minutes from 09:00 on 2024-03-04."""
    rows = []
    for i in range(n):
        minute = start_minute + 7 * i
        stamp = f"2024-03-04 {9 + minute // 60:02d}:{minute % 60:02d}:00"
        answered = "N" if i % 4 == 3 else "Y"
        talk = "0" if answered == "N" else str(100 + i)
        rows.append(
            [str(i + 1), stamp, str(3 * i), talk, answered, agents[i % len(agents)], "Sales"]
        )
    return rows


def text_table(rows, header=HEADER, delim=",", end="\n", trailing=""):
    lines = [delim.join(header) + trailing] + [delim.join(r) + trailing for r in rows]
    return end.join(lines) + end


def edited(rows, cells=None, column=None, values=None):
    """A copy of ``rows`` with some cells replaced.

    ``cells`` maps (row, column) to a new text; ``column`` with ``values`` (one per row, or a
    function of the row's index and the row) replaces a whole column.
    """
    out = [list(r) for r in rows]
    for (i, j), text in (cells or {}).items():
        out[i][j] = text
    if column is not None:
        for i, r in enumerate(out):
            r[column] = values(i, r) if callable(values) else values[i]
    return out


def write(path: Path, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)


def csv_case(
    name,
    group,
    text,
    rows,
    loaded=None,
    warnings=(),
    check=None,
    encoding="utf-8",
    kwargs=None,
    suffix=".csv",
    outcome="load",
    code=None,
):
    def make(path, text=text):
        data = text() if callable(text) else text
        write(path, data.encode(encoding) if isinstance(data, str) else data)

    return file_case(
        name, group, make, rows, loaded, warnings, check, outcome, code, kwargs, suffix
    )


def file_case(
    name, group, make, rows, loaded, warnings, check, outcome, code, kwargs=None, suffix=".csv"
):
    """A case whose file ``make`` writes; ``loaded`` None means every row of the file loads."""
    return Case(
        name,
        group,
        make,
        outcome,
        rows=rows,
        loaded=rows if loaded is None else loaded,
        warnings=tuple(warnings),
        check=check,
        kwargs=dict(kwargs or {}),
        suffix=suffix,
        code=code,
    )


def error_case(name, group, data, code, suffix=".csv", kwargs=None, source="file", check=None):
    make = None if data is None else (lambda p, d=data: write(p, d))
    return Case(
        name,
        group,
        make,
        "error",
        code=code,
        suffix=suffix,
        kwargs=dict(kwargs or {}),
        source=source,
        check=check,
    )


# -- checks (run on the LoadResult in the child process) ---------------------


def agents_are(expected):
    expected = sorted(set(expected))

    def check(result):
        got = sorted(str(a) for a in result.frame["agent"].dropna().unique())
        if got != expected:
            return f"agents {got!r}, expected {expected!r}"
        return None

    return check


def column_is(column, expected, tol=1e-9):
    def check(result):
        import numpy as np

        got = result.frame[column].to_numpy(dtype=float, na_value=np.nan)
        want = np.asarray(expected, dtype=float)
        if got.shape != want.shape or not np.allclose(got, want, atol=tol, equal_nan=True):
            return f"{column} {got.tolist()!r}, expected {want.tolist()!r}"
        return None

    return check


def times_are(expected):
    def check(result):
        got = [str(t) for t in result.frame["arrived_at"]]
        if got != list(expected):
            return f"arrived_at {got!r}, expected {list(expected)!r}"
        return None

    return check


def all_of(*checks):
    def check(result):
        for c in checks:
            problem = c(result)
            if problem:
                return problem
        return None

    return check


def param_is(key, value):
    def check(error):
        got = getattr(error, "params", {}).get(key)
        if got != value:
            return f"params[{key!r}] = {got!r}, expected {value!r}"
        return None

    return check


BASE_TIMES = [r[1] for r in call_rows(10)]

# --------------------------------------------------------------------------
# Excel written by hand (no writer library decides what the XML holds)
# --------------------------------------------------------------------------


def col_letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sheet_xml(rows, strings, extra="", dimension=None, formulas=None):
    """Worksheet XML of ``rows`` (strings via the shared string list ``strings``).

    ``formulas``: {column index: formula} written without a cached value
    (``<f>`` and no ``<v>``) in every data row. ``extra``: raw ``<row>`` XML
    appended (cells far beyond the data).
    """
    formulas = formulas or {}
    parts = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>',
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
    ]
    if dimension:
        parts.append(f'<dimension ref="{dimension}"/>')
    parts.append("<sheetData>")
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{col_letters(c)}{r}"
            if r > 1 and c in formulas:
                cells.append(f'<c r="{ref}"><f>{_esc(formulas[c])}</f></c>')
            elif isinstance(value, (int, float)):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                strings.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
        parts.append(f'<row r="{r}">' + "".join(cells) + "</row>")
    parts.append(extra)
    parts.append("</sheetData></worksheet>")
    return "".join(parts)


def sst_xml(strings):
    items = "".join(f"<si><t>{_esc(s)}</t></si>" for s in strings)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        f'count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    )


def workbook_parts(sheet_names):
    sheets = "".join(
        f'<sheet name="{_esc(n)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
        for i, n in enumerate(sheet_names)
    )
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f"<sheets>{sheets}</sheets></workbook>"
    )
    rels = "".join(
        f'<Relationship Id="rId{i + 1}" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
        f'Target="worksheets/sheet{i + 1}.xml"/>'
        for i in range(len(sheet_names))
    )
    n = len(sheet_names)
    rels += (
        f'<Relationship Id="rId{n + 1}" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        'Target="sharedStrings.xml"/>'
    )
    workbook_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{rels}</Relationships>"
    )
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(n)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        f"{overrides}</Types>"
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    )
    return {
        "[Content_Types].xml": content_types,
        "_rels/.rels": root_rels,
        "xl/workbook.xml": workbook,
        "xl/_rels/workbook.xml.rels": workbook_rels,
    }


def xlsx_bytes(sheets, **sheet_kwargs):
    """An .xlsx of ``sheets`` = [(name, rows, {sheet_xml kwargs})]."""
    strings: list[str] = []
    parts = workbook_parts([s[0] for s in sheets])
    for i, sheet in enumerate(sheets):
        _name, rows = sheet[0], sheet[1]
        kwargs = sheet[2] if len(sheet) > 2 else {}
        parts[f"xl/worksheets/sheet{i + 1}.xml"] = sheet_xml(rows, strings, **kwargs)
    parts["xl/sharedStrings.xml"] = sst_xml(strings)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, text in parts.items():
            archive.writestr(part, text)
    return buffer.getvalue()


def excel_case(
    name,
    sheets,
    rows,
    loaded=None,
    warnings=(),
    check=None,
    kwargs=None,
    outcome="load",
    code=None,
    case_check=None,
):
    def make(path, sheets=sheets):
        write(path, xlsx_bytes(sheets() if callable(sheets) else sheets))

    checks = check or case_check
    return file_case(
        name, "excel", make, rows, loaded, warnings, checks, outcome, code, kwargs, ".xlsx"
    )


def table(n=10):
    return [HEADER] + call_rows(n)


# -- password-protected workbook: an OLE2 compound file with EncryptedPackage --


def encrypted_workbook() -> bytes:
    """A minimal compound file as Office writes for a password-protected workbook:
    a root entry with the streams ``EncryptionInfo`` and ``EncryptedPackage``."""
    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<I", header, 44, 1)  # FAT sectors
    struct.pack_into("<I", header, 48, 1)  # first directory sector
    struct.pack_into("<I", header, 56, 4096)
    struct.pack_into("<I", header, 60, 0xFFFFFFFE)
    struct.pack_into("<I", header, 64, 0)
    struct.pack_into("<I", header, 68, 0xFFFFFFFE)
    struct.pack_into("<I", header, 72, 0)
    struct.pack_into("<I", header, 76, 0)  # DIFAT[0]: the FAT is sector 0
    for i in range(1, 109):
        struct.pack_into("<I", header, 76 + 4 * i, 0xFFFFFFFF)
    fat = bytearray(b"\xff" * 512)
    struct.pack_into("<II", fat, 0, 0xFFFFFFFD, 0xFFFFFFFE)

    def entry(name, kind, child=0xFFFFFFFF, right=0xFFFFFFFF):
        raw = bytearray(128)
        encoded = name.encode("utf-16-le") + b"\x00\x00"
        raw[0 : len(encoded)] = encoded
        struct.pack_into("<HBB", raw, 64, len(encoded), kind, 1)
        struct.pack_into("<III", raw, 68, 0xFFFFFFFF, right, child)
        struct.pack_into("<I", raw, 116, 0xFFFFFFFE)
        return bytes(raw)

    directory = (
        entry("Root Entry", 5, child=1)
        + entry("EncryptionInfo", 2, right=2)
        + entry("EncryptedPackage", 2)
        + bytes(128)
    )
    return bytes(header) + bytes(fat) + directory


# --------------------------------------------------------------------------
# Compression bombs (a few MB on disk, gigabytes unpacked)
# --------------------------------------------------------------------------


def _repeated_deflate(chunk: bytes, count: int, prefix: bytes = b"", suffix: bytes = b""):
    """Raw deflate of ``prefix + chunk * count + suffix`` and its CRC-32, built from
    one compressed copy of ``chunk`` (after a full flush every copy compresses the same)."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = comp.compress(prefix) + comp.flush(zlib.Z_FULL_FLUSH)
    one = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    two = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    assert one == two
    tail = comp.compress(suffix) + comp.flush(zlib.Z_FINISH)
    crc = zlib.crc32(prefix)
    chunk_crc_state = crc
    for _ in range(count):
        chunk_crc_state = zlib.crc32(chunk, chunk_crc_state)
    crc = zlib.crc32(suffix, chunk_crc_state)
    size = len(prefix) + len(chunk) * count + len(suffix)
    return head + one * count + tail, crc & 0xFFFFFFFF, size


def _zip_stored(members) -> bytes:
    """A zip of ``members`` = [(name, deflated bytes, crc, size, declared_size)]."""
    out = io.BytesIO()
    central = []
    for name, data, crc, _size, declared in members:
        offset = out.tell()
        encoded = name.encode()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0,
                8,
                0,
                0,
                crc,
                len(data),
                declared,
                len(encoded),
                0,
            )
        )
        out.write(encoded)
        out.write(data)
        central.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                len(data),
                declared,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    for c in central:
        out.write(c)
    end = out.tell()
    out.write(
        struct.pack(
            "<IHHHHIIH", 0x06054B50, 0, 0, len(central), len(central), end - start, start, 0
        )
    )
    return out.getvalue()


def gzip_bomb(path: Path):
    """Multi-member gzip: a CSV header, then rows repeated to ~3 GB."""
    row = "\n".join(",".join(r) for r in call_rows(16)) + "\n"
    chunk = (row * (1 << 20 // len(row) + 1)).encode()[: 1 << 20]
    chunk = chunk[: chunk.rfind(b"\n") + 1]
    member = gzip.compress(chunk * 16, 9)
    count = UNPACK_BOMB_BYTES // (len(chunk) * 16)
    with open(path, "wb") as handle:
        handle.write(gzip.compress(text_table([]).encode()))
        for _ in range(count):
            handle.write(member)


def gzip_zero_bomb(path: Path):
    member = gzip.compress(bytes(16 << 20), 9)
    with open(path, "wb") as handle:
        for _ in range(UNPACK_BOMB_BYTES // (16 << 20)):
            handle.write(member)


def zip_bomb(path: Path, lie: bool = False):
    prefix = text_table([]).encode()
    chunk = ("\n".join(",".join(r) for r in call_rows(10)) + "\n").encode() * 2000
    count = UNPACK_BOMB_BYTES // len(chunk)
    data, crc, size = _repeated_deflate(chunk, count, prefix)
    declared = 1000 if lie else min(size, 0xFFFFFFFE)
    path.write_bytes(_zip_stored([("calls.csv", data, crc, size, declared)]))


def xlsx_bomb(path: Path):
    strings: list[str] = []
    parts = workbook_parts(["Calls"])
    head = sheet_xml(table(2), strings)
    prefix, suffix = head.split("</sheetData>")
    suffix = "</sheetData>" + suffix
    parts["xl/sharedStrings.xml"] = sst_xml(strings)
    members = []
    for part, text in parts.items():
        raw = text.encode()
        comp = zlib.compressobj(9, zlib.DEFLATED, -15)
        members.append(
            (part, comp.compress(raw) + comp.flush(), zlib.crc32(raw), len(raw), len(raw))
        )
    chunk = ("<row>" + '<c t="s"><v>0</v></c>' * 20 + "</row>").encode() * 4000
    data, crc, size = _repeated_deflate(
        chunk, UNPACK_BOMB_BYTES // len(chunk), prefix.encode(), suffix.encode()
    )
    members.append(("xl/worksheets/sheet1.xml", data, crc, size, min(size, 0xFFFFFFFE)))
    path.write_bytes(_zip_stored(members))


# --------------------------------------------------------------------------
# Parquet
# --------------------------------------------------------------------------


def parquet_case(
    name, make_table, rows, loaded=None, warnings=(), check=None, outcome="load", code=None
):
    def make(path, make_table=make_table):
        import pyarrow.parquet as pq

        pq.write_table(make_table(), path)

    return file_case(
        name, "parquet", make, rows, loaded, warnings, check, outcome, code, None, ".parquet"
    )


def _pa_calls(n=10, **override):
    import pandas as pd
    import pyarrow as pa

    rows = call_rows(n)
    columns = {
        "call_id": pa.array([r[0] for r in rows]),
        "arrived_at": pa.array(pd.to_datetime([r[1] for r in rows]).as_unit("us")),
        "wait_s": pa.array([float(r[2]) for r in rows]),
        "talk_s": pa.array([float(r[3]) for r in rows]),
        "answered": pa.array([r[4] == "Y" for r in rows]),
        "agent": pa.array([r[5] for r in rows]),
        "queue": pa.array([r[6] for r in rows]),
    }
    columns.update(override)
    return columns


def pq_plain():
    import pyarrow as pa

    return pa.table(_pa_calls())


def pq_duplicate_names():
    import pyarrow as pa

    cols = _pa_calls()
    arrays = list(cols.values()) + [cols["agent"]]
    names = list(cols) + ["agent"]
    return pa.Table.from_arrays(arrays, names=names)


def pq_list_struct():
    import pyarrow as pa

    cols = _pa_calls()
    cols["tags"] = pa.array([["a", "b"]] * 10)
    cols["meta"] = pa.array([{"x": i, "y": "z"} for i in range(10)])
    return pa.table(cols)


def pq_struct_agent():
    import pyarrow as pa

    return pa.table(_pa_calls(agent=pa.array([{"name": a} for a in (AGENTS * 3)[:10]])))


def pq_tz(zone):
    def make():
        import pandas as pd
        import pyarrow as pa

        local = pd.to_datetime(BASE_TIMES).tz_localize("Asia/Shanghai").tz_convert(zone)
        return pa.table(_pa_calls(arrived_at=pa.array(local.as_unit("us"))))

    return make


def pq_wrong_types():
    import pyarrow as pa

    return pa.table(
        _pa_calls(
            wait_s=pa.array(["12", "x", "7", "", "3", "5", "abc", "1", "2", "3"]),
            answered=pa.array([1.0, 0.0, 1.0, 1.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0]),
            call_id=pa.array([float(i) for i in range(1, 11)]),
        )
    )


def pq_epoch_int():
    import pandas as pd
    import pyarrow as pa

    seconds = (pd.to_datetime(BASE_TIMES).as_unit("s").astype("int64")).tolist()
    return pa.table(_pa_calls(arrived_at=pa.array(seconds, pa.int64())))


def pq_all_null_time():
    import pyarrow as pa

    return pa.table(_pa_calls(arrived_at=pa.array([None] * 10, pa.timestamp("us"))))


# --------------------------------------------------------------------------
# The cases
# --------------------------------------------------------------------------


def _control_cases() -> list[Case]:
    """Each format once, plain: a broken harness shows here first."""
    cases: list[Case] = []
    add = cases.append
    base = text_table(call_rows(10))
    add(csv_case("plain_csv", "control", base, 10, check=times_are(BASE_TIMES)))
    add(csv_case("plain_tsv", "control", text_table(call_rows(10), delim="\t"), 10, suffix=".tsv"))
    add(csv_case("plain_pipe", "control", text_table(call_rows(10), delim="|"), 10, suffix=".txt"))
    add(csv_case("plain_crlf", "control", text_table(call_rows(10), end="\r\n"), 10))
    add(excel_case("plain_xlsx", [("Calls", table())], 10, check=times_are(BASE_TIMES)))
    add(parquet_case("plain_parquet", pq_plain, 10, check=times_are(BASE_TIMES)))
    return cases


def _excel_cases() -> list[Case]:
    """Workbooks: huge dimensions, shared strings, formulas, sheets, encryption."""
    cases: list[Case] = []
    add = cases.append
    far = '<row r="1048576"><c r="XFD1048576" t="s"><v>0</v></c></row>'
    add(
        excel_case(
            "xlsx_cell_at_xfd1048576",
            [("Calls", table(), {"extra": far})],
            0,
            outcome="error",
            code="sheet_too_large",
        )
    )
    far_a = '<row r="1048576"><c r="A1048576" t="s"><v>0</v></c></row>'
    add(
        excel_case(
            "xlsx_cell_at_a1048576",
            [("Calls", table(), {"extra": far_a})],
            11,
            loaded=10,
            warnings=("missing_datetime",),
        )
    )
    add(
        excel_case(
            "xlsx_cell_at_z5000",
            [("Calls", table(), {"extra": '<row r="5000"><c r="Z5000"><v>1</v></c></row>'})],
            11,
            loaded=10,
        )
    )
    add(
        excel_case(
            "xlsx_whole_sheet_dimension", [("Calls", table(), {"dimension": "A1:XFD1048576"})], 10
        )
    )
    add(excel_case("xlsx_cells_without_refs", [("Calls", table())], 10))
    add(
        excel_case(
            "xlsx_huge_shared_string",
            lambda: [
                (
                    "Calls",
                    [HEADER]
                    + [
                        r[:5] + ["Z" * (4 << 20) if i == 0 else r[5]] + r[6:]
                        for i, r in enumerate(call_rows(10))
                    ],
                )
            ],
            10,
        )
    )
    many = [HEADER] + [
        r[:5] + [f"agent {i:06d} " + "x" * 40] + r[6:] for i, r in enumerate(call_rows(10))
    ]
    add(excel_case("xlsx_many_shared_strings", [("Calls", many + [])], 10))
    add(
        excel_case(
            "xlsx_formulas_without_values_talk",
            [("Calls", table(), {"formulas": {3: "B2*0"}})],
            10,
            warnings=("formula_without_value",),
        )
    )
    add(
        excel_case(
            "xlsx_formulas_without_values_time",
            [("Calls", table(), {"formulas": {1: "NOW()"}})],
            0,
            outcome="error",
            code="formulas_without_values",
        )
    )
    notes = [["Monthly report"], ["prepared by the planning team"]]
    add(
        excel_case(
            "xlsx_data_on_second_sheet",
            [("Notes", notes), ("Calls", table())],
            0,
            outcome="error",
            code="data_on_other_sheet",
            case_check=param_is("suggested_sheet", "Calls"),
        )
    )
    add(
        excel_case(
            "xlsx_second_sheet_by_name",
            [("Notes", notes), ("Calls", table())],
            10,
            kwargs={"sheet": "Calls"},
        )
    )
    add(
        excel_case(
            "xlsx_second_sheet_by_index",
            [("Notes", notes), ("Calls", table())],
            10,
            kwargs={"sheet": 1},
        )
    )
    add(
        excel_case(
            "xlsx_no_such_sheet",
            [("Calls", table())],
            0,
            outcome="error",
            code="bad_sheet",
            kwargs={"sheet": "Nope"},
        )
    )
    add(excel_case("xlsx_empty_sheet", [("Calls", [])], 0, outcome="error", code="empty_file"))
    add(
        excel_case(
            "xlsx_header_only", [("Calls", [HEADER])], 0, outcome="error", code="no_data_rows"
        )
    )
    add(
        excel_case(
            "xlsx_title_rows_above_header",
            [("Calls", [["Call log"], ["March 2024"]] + table())],
            10,
        )
    )
    add(
        Case(
            "xlsx_password_protected",
            "excel",
            lambda p: write(p, encrypted_workbook()),
            "error",
            code="password_protected",
            suffix=".xlsx",
        )
    )
    add(
        error_case(
            "xlsx_damaged_zip",
            "excel",
            b"PK\x03\x04" + b"\x00" * 200,
            "unreadable_file",
            suffix=".xlsx",
        )
    )
    add(
        error_case(
            "xls_damaged_ole",
            "excel",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
            "unreadable_file",
            suffix=".xls",
        )
    )
    add(Case("xlsx_bomb", "excel", xlsx_bomb, "error", code="too_large", suffix=".xlsx"))
    ods = io.BytesIO()
    with zipfile.ZipFile(ods, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    add(error_case("ods_spreadsheet", "excel", ods.getvalue(), "not_a_table", suffix=".ods"))
    add(
        Case(
            "xlsx_truncated",
            "excel",
            lambda p: write(p, xlsx_bytes([("Calls", table())])[:900]),
            "error",
            code="unreadable_file",
            suffix=".xlsx",
        )
    )
    add(
        Case(
            "xlsx_password_protected_truncated",
            "excel",
            lambda p: write(p, encrypted_workbook()[:700]),
            "error",
            code="unreadable_file",
            suffix=".xlsx",
        )
    )
    return cases


def _compression_cases() -> list[Case]:
    """Compressed files: gzip and zip members, nesting, bombs, truncation."""
    cases: list[Case] = []
    add = cases.append
    base = text_table(call_rows(10))
    add(
        Case(
            "gzip_bomb_rows", "compression", gzip_bomb, "error", code="too_large", suffix=".csv.gz"
        )
    )
    add(
        Case(
            "gzip_bomb_zeros",
            "compression",
            gzip_zero_bomb,
            "error",
            code="too_large",
            suffix=".csv.gz",
        )
    )
    add(Case("zip_bomb", "compression", zip_bomb, "error", code="too_large", suffix=".zip"))
    # a member that declares 1,000 bytes is read as 1,000 bytes: its CRC check then fails
    add(
        Case(
            "zip_bomb_lying_header",
            "compression",
            lambda p: zip_bomb(p, lie=True),
            "error",
            code="unreadable_file",
            suffix=".zip",
        )
    )
    add(
        csv_case(
            "gzip_nested_twice",
            "compression",
            gzip.compress(gzip.compress(base.encode())),
            10,
            suffix=".csv.gz",
        )
    )
    add(
        csv_case(
            "gzip_nested_three",
            "compression",
            gzip.compress(gzip.compress(gzip.compress(base.encode()))),
            10,
            suffix=".csv.gz",
        )
    )
    deep = base.encode()
    for _ in range(12):
        deep = gzip.compress(deep)
    add(error_case("gzip_nested_twelve", "compression", deep, "too_deeply_nested", suffix=".gz"))
    add(
        csv_case(
            "gzip_multi_member",
            "compression",
            gzip.compress(text_table(call_rows(10)[:5]).encode())
            + gzip.compress(("\n".join(",".join(r) for r in call_rows(10)[5:]) + "\n").encode()),
            10,
            suffix=".csv.gz",
        )
    )
    add(
        error_case(
            "gzip_truncated",
            "compression",
            gzip.compress(base.encode() * 50)[:300],
            "unreadable_file",
            suffix=".csv.gz",
        )
    )
    add(
        error_case("gzip_of_nothing", "compression", gzip.compress(b""), "empty_file", suffix=".gz")
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("calls.csv", base)
    add(csv_case("zip_one_csv", "compression", buffer.getvalue(), 10, suffix=".zip"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.csv", base)
        archive.writestr("b.csv", base)
    add(error_case("zip_two_files", "compression", buffer.getvalue(), "not_a_table", suffix=".zip"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("calls.csv.gz", gzip.compress(base.encode()))
    add(csv_case("zip_of_gzip", "compression", buffer.getvalue(), 10, suffix=".zip"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("calls.csv", base)
        archive.setpassword(b"x")
    zipped = bytearray(buffer.getvalue())
    zipped[6] |= 1  # general purpose flag: encrypted
    central = zipped.rfind(b"PK\x01\x02")
    zipped[central + 8] |= 1
    add(
        error_case(
            "zip_encrypted", "compression", bytes(zipped), "password_protected", suffix=".zip"
        )
    )
    return cases


def _csv_cases() -> list[Case]:
    """CSV structure: quotes, delimiters, long cells and headers, row lengths."""
    cases: list[Case] = []
    add = cases.append
    base = text_table(call_rows(10))
    rows = call_rows(10)
    for name, row, loaded in (
        ("csv_unterminated_quote", 4, 4),
        ("csv_unterminated_quote_last_row", 9, 9),
    ):
        unterminated = edited(rows, {(row, 5): '"Eve'})
        add(csv_case(name, "csv", text_table(unterminated), 10, loaded, ("malformed_row",)))
    quoted = edited(rows, {(2, 5): '"Line one\nline two"'})
    add(
        csv_case(
            "csv_quoted_newline",
            "csv",
            text_table(quoted),
            10,
            check=agents_are(["Alice", "Bob", "Chen", "Dana", "Line one\nline two"]),
        )
    )
    fallback = edited(quoted)
    fallback[6] = fallback[6] + ["extra", "fields"]
    add(
        csv_case(
            "csv_fallback_bad_row_counted", "csv", text_table(fallback), 10, 9, ("malformed_row",)
        )
    )

    def huge():
        return text_table(edited(rows, {(2, 5): "W" * (17 << 20)}))

    add(csv_case("csv_cell_over_16mb", "csv", huge, 10))
    near_top = edited(rows, {(0, 5): "N" * (128 << 10)})
    add(csv_case("csv_cell_128kb_first_row", "csv", text_table(near_top), 10))
    long_header = HEADER + ["note " + "h" * (1 << 20)]
    add(
        csv_case(
            "csv_header_1mb",
            "csv",
            lambda: text_table([r + ["x"] for r in rows], header=long_header),
            10,
            warnings=("unmapped_columns",),
        )
    )
    for label, sep in (
        ("u2028", "\u2028"),
        ("nel", "\x85"),
        ("vt", "\x0b"),
        ("ff", "\x0c"),
        ("u2029", "\u2029"),
        ("cr_only_title", "\r"),
    ):
        add(
            csv_case(
                f"csv_title_with_{label}",
                "csv",
                f"Call log{sep}exported 2024-03-05\n" + base,
                10,
                warnings=("skipped_preamble",),
                check=times_are(BASE_TIMES),
            )
        )
    add(
        csv_case(
            "csv_u2028_inside_a_name",
            "csv",
            text_table(
                [r[:5] + [r[5] + "\u2028x"] + r[6:] if i == 3 else r for i, r in enumerate(rows)]
            ),
            10,
        )
    )
    add(
        csv_case(
            "csv_trailing_delimiter",
            "csv",
            text_table(rows, trailing=","),
            10,
            check=times_are(BASE_TIMES),
        )
    )
    add(csv_case("csv_trailing_semicolon", "csv", text_table(rows, delim=";", trailing=";"), 10))
    mixed = text_table(rows[:8]) + "\n".join(";".join(r) for r in rows[8:]) + "\n"
    add(csv_case("csv_mixed_delimiters", "csv", mixed, 10, loaded=8, warnings=("malformed_row",)))
    add(csv_case("csv_nul_in_name", "csv", text_table(edited(rows, {(1, 5): "Bo\x00b"})), 10))
    half = text_table(call_rows(10, agents=["张伟", "王芳"])[:5]).encode("utf-8")
    rest = "\n".join(",".join(r) for r in call_rows(10, agents=["李娜", "刘洋"])[5:]) + "\n"
    add(
        csv_case(
            "csv_two_encodings",
            "csv",
            half + rest.encode("gbk"),
            10,
            warnings=("mixed_encoding",),
            check=agents_are(["张伟", "王芳", "李娜", "刘洋"]),
        )
    )
    add(
        csv_case(
            "csv_bom_then_gbk",
            "csv",
            codecs.BOM_UTF8 + text_table(call_rows(10, agents=["张伟", "王芳"])).encode("gbk"),
            10,
            check=agents_are(["张伟", "王芳"]),
        )
    )
    add(csv_case("csv_bom_utf8", "csv", codecs.BOM_UTF8 + base.encode(), 10))
    add(csv_case("csv_utf16_bom", "csv", base.encode("utf-16"), 10))
    add(csv_case("csv_utf16le_no_bom", "csv", base.encode("utf-16-le"), 10))
    dup_header = ["call_id", "arrived_at", "wait_s", "talk_s", "answered", "agent", "agent"]
    add(csv_case("csv_duplicate_header", "csv", text_table(rows, header=dup_header), 10))
    add(csv_case("csv_blank_lines_between", "csv", base.replace("\n", "\n\n"), 10))
    add(
        csv_case(
            "csv_short_rows",
            "csv",
            text_table([r[:5] if i == 2 else r for i, r in enumerate(rows)]),
            10,
            loaded=9,
            warnings=("malformed_row",),
        )
    )
    add(
        csv_case(
            "csv_duplicate_ids",
            "csv",
            # an id repeated with different data is no id: ids generated, every row kept
            text_table([["1"] + r[1:] if i < 3 else r for i, r in enumerate(rows)]),
            10,
            warnings=("call_id_not_unique",),
        )
    )
    add(
        csv_case(
            "csv_repeated_rows",
            "csv",
            text_table(rows[:7] + rows[:3]),
            10,
            loaded=7,
            warnings=("duplicate_call_id",),
        )
    )
    add(error_case("csv_empty", "csv", b"", "empty_file"))
    add(error_case("csv_whitespace_only", "csv", b" \n\t\r\n  \n", "empty_file"))
    add(error_case("csv_header_only", "csv", text_table([]).encode(), "no_data_rows"))
    add(error_case("csv_no_time_column", "csv", b"a,b,c\n1,2,3\n4,5,6\n", "no_time_column"))
    add(error_case("csv_one_long_line", "csv", b"a" * (5 << 20), "no_time_column"))
    add(
        csv_case(
            "csv_formula_injection_names",
            "csv",
            text_table(
                [
                    r[:5] + ['=HYPERLINK("http://x")'] + r[6:] if i == 0 else r
                    for i, r in enumerate(rows)
                ]
            ),
            10,
        )
    )
    return cases


def _encoding_cases() -> list[Case]:
    """Text encodings of the same table."""
    cases: list[Case] = []
    add = cases.append
    for label, enc, names in (
        ("big5", "big5", ["陳大文", "黃小明", "張國榮", "林志玲"]),
        ("big5_long", "big5", ["客服部門經理", "資深專員王曉明", "電話服務組長", "營業處陳先生"]),
        ("shift_jis", "shift_jis", ["山田太郎", "佐藤花子", "鈴木一郎", "高橋さくら"]),
        ("shift_jis_kana", "shift_jis", ["サトウ", "スズキ", "タカハシ", "タナカ"]),
        ("euc_kr", "euc_kr", ["김민준", "이서연", "박지훈", "최수아"]),
        ("cp1252", "cp1252", ["José Peña", "Müller", "François", "Zoë Ångström"]),
        ("cp1252_umlauts", "cp1252", ["Jürgen", "Björn", "Günther", "Sören"]),
        ("gbk", "gbk", ["张伟", "王芳", "李娜", "刘洋"]),
        ("gb18030_rare", "gb18030", ["张伟", "王芳", "𠀀明", "刘洋"]),
        ("utf8_cjk", "utf-8", ["张伟", "陳大文", "山田太郎", "김민준"]),
        ("latin1_only_one_accent", "cp1252", ["Ren\u00e9", "Bob", "Carl", "Dan"]),
    ):
        text = text_table(call_rows(10, agents=names))
        add(csv_case(f"enc_{label}", "encoding", text.encode(enc), 10, check=agents_are(names)))
    add(
        error_case(
            "enc_wrong_declared",
            "encoding",
            "\u00e9t\u00e9\n".encode("cp1252"),
            "encoding_failed",
            kwargs={"encoding": "utf-8"},
        )
    )
    return cases


def _number_cases() -> list[Case]:
    """Numbers as exports write them: decimal commas, thousands, units, words."""
    cases: list[Case] = []
    add = cases.append
    rows = call_rows(10)
    decimal_commas = [i + 0.5 for i in range(10)]
    thousands = [1000 + i + 0.5 for i in range(10)]
    for name, column, values, delim, loaded, warnings, check in (
        (
            "num_decimal_comma_semicolon",
            2,
            lambda i, r: f"{i},5",
            ";",
            10,
            (),
            column_is("wait_s", decimal_commas),
        ),
        (
            "num_ambiguous_1_250_semicolon",
            3,
            lambda i, r: "1,250" if r[4] == "Y" else "0",
            ";",
            10,
            ("ambiguous_number",),
            None,
        ),
        (
            "num_1_250_with_decimal_commas",
            3,
            lambda i, r: "1,250" if i == 0 else f"{i},5",
            ";",
            10,
            (),
            column_is("talk_s", [1.25] + decimal_commas[1:]),
        ),
        (
            "num_thousands_comma",
            3,
            lambda i, r: f'"1,{i:03d}.5"',
            ",",
            10,
            (),
            column_is("talk_s", thousands),
        ),
        (
            "num_thousands_dot_decimal_comma",
            3,
            lambda i, r: f"1.{i:03d},5",
            ";",
            10,
            (),
            column_is("talk_s", thousands),
        ),
        (
            "num_fullwidth_digits",
            2,
            lambda i, r: str(10 + i).translate(str.maketrans("0123456789", "０１２３４５６７８９")),
            ",",
            10,
            (),
            column_is("wait_s", [10.0 + i for i in range(10)]),
        ),
        (
            "num_answered_numeric_with_2",
            4,
            lambda i, r: "2" if i == 5 else ("1" if r[4] == "Y" else "0"),
            ",",
            9,
            ("unparseable_boolean", "neither_answered_nor_abandoned"),
            None,
        ),
    ):
        text = text_table(edited(rows, column=column, values=values), delim=delim)
        add(csv_case(name, "numbers", text, 10, loaded, warnings, check))
    units = edited(
        edited(rows, column=2, values=lambda i, r: f"{i}秒"),
        column=3,
        values=lambda i, r: f"{i + 1}分钟",
    )
    add(
        csv_case(
            "num_units_chinese",
            "numbers",
            text_table(units),
            10,
            check=all_of(
                column_is("wait_s", list(range(10))),
                column_is("talk_s", [60.0 * (i + 1) for i in range(10)]),
            ),
        )
    )
    for name, cells, loaded, warnings in (
        (
            "num_inf_durations",
            {(1, 2): "inf", (2, 2): "Infinity", (3, 2): "1e400", (4, 3): "-inf"},
            10,
            ("unparseable_number",),
        ),
        ("num_nan_words", {(1, 2): "NaN", (2, 2): "nan(0x1)"}, 10, ()),
        (
            "num_clock_25h_duration",
            {(1, 3): "25:00:00", (2, 3): "00:99:00"},
            10,
            ("unparseable_number",),
        ),
        (
            "num_answered_not_0_1",
            {(0, 4): "-1", (1, 4): "0.5", (2, 4): "2"},
            7,
            ("unparseable_boolean", "neither_answered_nor_abandoned"),
        ),
        ("num_negative_wait", {(3, 2): "-5"}, 10, ("negative_duration",)),
        ("num_huge_integer_wait", {(3, 2): "1" + "0" * 400}, 10, ("unparseable_number",)),
    ):
        add(csv_case(name, "numbers", text_table(edited(rows, cells)), 10, loaded, warnings))
    return cases


def _time_cases() -> list[Case]:
    """Times as exports write them: offsets, sentinels, epochs, serials, clocks."""
    cases: list[Case] = []
    add = cases.append
    rows = call_rows(10)
    iso = edited(rows, column=1, values=lambda i, r: r[1].replace(" ", "T") + "+08:00")
    add(
        csv_case(
            "time_offset_plus8",
            "time",
            text_table(iso),
            10,
            warnings=("timezone_dropped",),
            check=times_are(BASE_TIMES),
        )
    )

    def utc_z(stamp: str, date_end: str) -> str:
        """A +08:00 time written in UTC with a Z ("2024-03-04 09:00:00" -> "...01:00:00Z")."""
        return stamp[:10] + date_end + f"{int(stamp[11:13]) - 8:02d}" + stamp[13:19] + "Z"

    mixed_tz = edited(iso, column=1, values=lambda i, r: utc_z(r[1], "T") if i >= 7 else r[1])
    add(
        csv_case(
            "time_mixed_offsets",
            "time",
            text_table(mixed_tz),
            10,
            warnings=("timezone_converted",),
            check=times_are(BASE_TIMES),
        )
    )
    utc = edited(rows, column=1, values=lambda i, r: utc_z(r[1], "T"))
    add(csv_case("time_all_utc_z", "time", text_table(utc), 10, warnings=("timezone_dropped",)))
    garbled = edited(mixed_tz, {(3, 1): mixed_tz[3][1][:16] + "+0x:00"})
    add(
        csv_case(
            "time_mixed_offsets_one_garbled",
            "time",
            text_table(garbled),
            10,
            loaded=9,
            warnings=("timezone_converted", "unparseable_datetime"),
        )
    )
    add(
        csv_case(
            "time_offset_setting",
            "time",
            text_table(mixed_tz),
            10,
            kwargs={"mapping": {"options": {"utc_offset": "+08:00"}}},
            warnings=("timezone_converted",),
            check=times_are(BASE_TIMES),
        )
    )
    for name, cells, loaded in (
        ("time_sentinel_dates", {(1, 1): "0001-01-01 00:00:00", (2, 1): "9999-12-31 23:59:59"}, 8),
        (
            "time_dates_far_outside",
            {(3, 1): "1970-01-01 00:00:00", (4, 1): "2099-06-01 10:00:00"},
            8,
        ),
        ("time_excel_zero_date", {(5, 1): "1900-01-00 00:00:00"}, 9),
    ):
        text = text_table(edited(rows, cells))
        add(csv_case(name, "time", text, 10, loaded, ("unparseable_datetime",)))
    import datetime as dt

    base_dt = [dt.datetime.fromisoformat(t) for t in BASE_TIMES]
    epoch = dt.datetime(1970, 1, 1)
    excel0 = dt.datetime(1899, 12, 30)
    excel_days = [repr(round((t - excel0).total_seconds() / 86400, 8)) for t in base_dt]
    epoch_seconds = [str(int((t - epoch).total_seconds())) for t in base_dt]
    epoch_ms = [str(int((t - epoch).total_seconds() * 1000)) for t in base_dt]
    mixture = [(excel_days, epoch_seconds, epoch_ms)[i % 3][i] for i in range(len(base_dt))]
    add(
        csv_case(
            "time_numeric_mixture",
            "time",
            text_table(edited(rows, column=1, values=mixture)),
            10,
            warnings=("mixed_timestamp_formats",),
            check=times_are(BASE_TIMES),
        )
    )
    for name, stamps in (
        ("time_epoch_seconds", epoch_seconds),
        ("time_epoch_ms", epoch_ms),
        ("time_excel_serial", excel_days),
        ("time_yyyymmddhhmmss", [t.strftime("%Y%m%d%H%M%S") for t in base_dt]),  # 20240304090000
    ):
        text = text_table(edited(rows, column=1, values=stamps))
        add(csv_case(name, "time", text, 10, check=times_are(BASE_TIMES)))
    # YYMMDD of 2005 written as numbers (050304: the leading zero is lost, 50304) beside
    # HHMMSS clock times (090000, 083015-like: below 86400, not seconds after midnight)
    yymmdd_hhmmss = [["call_id", "date", "time", "wait_s", "answered"]]
    for i, t in enumerate(base_dt):
        yymmdd_hhmmss.append([str(i + 1), "050304", t.strftime("%H%M%S"), "5", "Y"])
    add(
        csv_case(
            "time_yymmdd_2005_and_hhmmss",
            "time",
            text_table(yymmdd_hhmmss[1:], header=yymmdd_hhmmss[0]),
            10,
            check=times_are([t.replace("2024-03-04", "2005-03-04") for t in BASE_TIMES]),
        )
    )
    # 040105..: 2004-01-05 as YYMMDD, 2009-10-19 as Excel serial days: refused, not guessed
    ambiguous = edited(rows, column=1, values=lambda i, r: f"0401{i + 5:02d}")
    add(
        error_case(
            "time_yymmdd_or_excel_serial",
            "time",
            text_table(ambiguous).encode(),
            "all_datetimes_unparseable",
        )
    )
    ymd = edited(rows, column=1, values=["20240304"] * 9 + epoch_seconds[9:])
    add(
        csv_case(
            "time_yyyymmdd_and_epoch",
            "time",
            text_table(ymd),
            10,
            warnings=("mixed_timestamp_formats",),
        )
    )
    date_time = [["call_id", "date", "time", "wait_s", "answered"]]
    for i, t in enumerate(base_dt):
        clock_text = t.strftime("%H:%M:%S") if i != 4 else "25:00:00"
        date_time.append([str(i + 1), t.strftime("%Y-%m-%d"), clock_text, "5", "Y"])
    add(
        csv_case(
            "time_clock_25h",
            "time",
            text_table(date_time[1:], header=date_time[0]),
            10,
            loaded=9,
            warnings=("unparseable_datetime",),
        )
    )
    for label, starts in (
        (
            "dst_repeated_hour",
            [
                "2024-11-03 00:00",
                "2024-11-03 00:30",
                "2024-11-03 01:00",
                "2024-11-03 01:30",
                "2024-11-03 01:00",
                "2024-11-03 01:30",
                "2024-11-03 02:00",
                "2024-11-03 02:30",
            ],
        ),
        (
            "dst_missing_hour",
            [
                "2024-03-10 00:00",
                "2024-03-10 00:30",
                "2024-03-10 01:00",
                "2024-03-10 01:30",
                "2024-03-10 03:00",
                "2024-03-10 03:30",
                "2024-03-10 04:00",
                "2024-03-10 04:30",
            ],
        ),
    ):
        lines = ["interval_start,queue,offered,answered,abandoned"]
        lines += [f"{s},Sales,{10 + i},{9 + i},1" for i, s in enumerate(starts)]
        add(csv_case(f"time_{label}", "time", "\n".join(lines) + "\n", 8, warnings=("dst_change",)))
    add(
        csv_case(
            "time_ambiguous_day_month",
            "time",
            text_table(
                [r[:1] + [f"0{1 + i % 9}/03/2024 09:00"] + r[2:] for i, r in enumerate(rows)]
            ),
            10,
        )
    )
    tz_names = edited(rows, column=1, values=lambda i, r: r[1] + " CST")
    add(
        csv_case(
            "time_zone_abbreviation",
            "time",
            text_table(tz_names),
            10,
            warnings=("timezone_dropped",),
            check=times_are(BASE_TIMES),
        )
    )
    return cases


def _parquet_cases() -> list[Case]:
    """Parquet files: duplicate names, nested and typed columns, time zones."""
    cases: list[Case] = []
    add = cases.append
    add(parquet_case("pq_duplicate_column_names", pq_duplicate_names, 10))
    add(parquet_case("pq_list_and_struct_columns", pq_list_struct, 10))
    add(parquet_case("pq_struct_agent", pq_struct_agent, 10))
    add(parquet_case("pq_tz_shanghai", pq_tz("Asia/Shanghai"), 10, check=times_are(BASE_TIMES)))
    add(parquet_case("pq_tz_utc", pq_tz("UTC"), 10, warnings=("timezone_dropped",)))
    add(parquet_case("pq_wrong_types", pq_wrong_types, 10, warnings=("unparseable_number",)))
    add(parquet_case("pq_epoch_int", pq_epoch_int, 10, check=times_are(BASE_TIMES)))
    add(
        parquet_case(
            "pq_all_null_time",
            pq_all_null_time,
            0,
            outcome="error",
            code="all_datetimes_unparseable",
        )
    )
    add(
        error_case(
            "pq_damaged",
            "parquet",
            b"PAR1" + bytes(100) + b"PAR1",
            "unreadable_file",
            suffix=".parquet",
        )
    )
    return cases


def _pathological_cases() -> list[Case]:
    """Sources that are not files, and files no export would write."""
    cases: list[Case] = []
    add = cases.append
    rows = call_rows(10)
    add(error_case("dev_zero", "pathological", None, "not_a_table", source="/dev/zero"))
    add(error_case("dev_urandom", "pathological", None, "not_a_table", source="/dev/urandom"))
    add(
        error_case("endless_csv_stream", "pathological", None, "too_large", source="endless_stream")
    )
    add(error_case("folder", "pathological", None, "file_not_found", source="folder"))
    add(error_case("missing_file", "pathological", None, "file_not_found", source="missing"))
    wide_header = HEADER + [f"extra_{i}" for i in range(5000)]
    add(
        csv_case(
            "csv_5000_columns",
            "pathological",
            text_table([r + ["1"] * 5000 for r in call_rows(50)], header=wide_header),
            50,
            warnings=("unmapped_columns",),
        )
    )
    add(
        error_case(
            "random_bytes",
            "pathological",
            bytes((i * 7919 + 13) % 256 for i in range(100_000)),
            "not_a_table",
        )
    )
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40
    add(error_case("png_as_csv", "pathological", png, "not_a_table"))
    add(error_case("nul_bytes_only", "pathological", bytes(1 << 20), "not_a_table"))
    add(
        csv_case(
            "csv_million_columns_header_row",
            "pathological",
            text_table(rows, header=HEADER) + "," * 50_000 + "\n",
            11,
            loaded=10,
            warnings=("malformed_row",),
        )
    )
    return cases


def _cases() -> list[Case]:
    return [
        *_control_cases(),
        *_excel_cases(),
        *_compression_cases(),
        *_csv_cases(),
        *_encoding_cases(),
        *_number_cases(),
        *_time_cases(),
        *_parquet_cases(),
        *_pathological_cases(),
    ]


CASES: list[Case] = _cases()


def build(folder: Path, cases=None) -> dict[str, Path]:
    """Write every file case into ``folder``; returns {case name: path}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for case in cases or CASES:
        if case.make is None:
            continue
        path = case.path(folder)
        if not path.exists():
            case.make(path)
        paths[case.name] = path
    return paths


if __name__ == "__main__":  # pragma: no cover - a helper for looking at the files
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile_corpus")
    build(target)
    for case in CASES:
        print(f"{case.group:12s} {case.name:40s} {case.outcome:5s} {case.code or case.loaded}")
    print(len(CASES), "cases")
