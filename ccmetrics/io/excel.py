"""Excel workbooks: checked before the reader is called, then read row by row.

The Excel reader (calamine) allocates every cell of a sheet's used range: one
cell at XFD1048576 makes it ask for 512 GiB and abort the whole process. So an
``.xlsx`` is scanned first (:func:`scan_sheet`: the XML of the sheet, unpacked
piece by piece under :data:`~ccmetrics.io.limits.MAX_UNPACKED_BYTES`) for the
extent of its cells and for formulas saved without their values; a sheet that
spans more than :data:`~ccmetrics.io.limits.MAX_EXCEL_CELLS` cells is refused
with the cell that stretches it. Only rows with a value become rows
(:func:`read_sheet`), and the header is the first row as wide as the data,
below any title rows.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from ccmetrics.io.limits import MAX_EXCEL_CELLS, iter_member_capped
from ccmetrics.io.problems import LoadError

__all__: list[str] = []

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")

_SHEET_TAG = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_REL_TAG = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_ATTR = re.compile(rb'([\w:]+)\s*=\s*"([^"]*)"')
# a row tag, or a cell: self-closing, or with its content up to </c>
_ROW_OR_CELL = re.compile(rb"<row\b([^>]*)>|<c\b([^>]*?)(/>|>(.*?)</c>)", re.DOTALL)
_REF = re.compile(rb"([A-Z]{1,3})([0-9]{1,7})$")
_FORMULA_ONLY = re.compile(rb"^\s*<f\b[^>]*(?:/>|>.*?</f>)\s*$", re.DOTALL)


def _reader_failed(exc: BaseException) -> bool:
    """True for an error of the Excel reader on a damaged file: its exceptions, and
    the Rust panics it raises as ``PanicException`` (a BaseException, not an Exception)."""
    return isinstance(exc, Exception) or type(exc).__name__ == "PanicException"


def check_ole(data, name: str) -> None:
    """Refuse an encrypted (password-protected) workbook: Office writes it as an
    OLE2 file with an ``EncryptedPackage`` stream, whatever its extension."""
    if bytes(data[:8]) == _OLE_MAGIC and bytes(data).find(_ENCRYPTED) >= 0:
        raise LoadError(
            f"{name}: the workbook is password-protected. Needed: the workbook saved "
            "without a password (File > Info > Protect Workbook > Encrypt with Password, "
            "clear it), or exported as CSV.",
            "password_protected",
            {"file": name},
        )


def col_index(letters: bytes) -> int:
    """0-based column number of ``b"A"``, ``b"XFD"``."""
    number = 0
    for ch in letters:
        number = number * 26 + (ch - 64)
    return number - 1


def col_letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass
class SheetScan:
    """What :func:`scan_sheet` found in a worksheet's XML.

    ``rows``/``columns``: the extent of the cells (1-based last row and column);
    ``far_cell``: the reference of the cell that sets it; ``formula_cells``:
    per 0-based column, cells holding a formula saved without its value.
    """

    rows: int = 0
    columns: int = 0
    far_cell: str = ""
    formula_cells: Counter = field(default_factory=Counter)


def _attrs(raw: bytes) -> dict:
    return {k.decode(): html.unescape(v.decode("utf-8", "replace")) for k, v in _ATTR.findall(raw)}


def sheet_parts(archive: zipfile.ZipFile, name: str) -> list[str]:
    """The worksheet part of each sheet, in workbook order ('' when not found)."""
    try:
        workbook = b"".join(iter_member_capped(archive, "xl/workbook.xml", name, 64 << 20))
        rels = b"".join(iter_member_capped(archive, "xl/_rels/workbook.xml.rels", name, 64 << 20))
    except KeyError:
        return []
    targets = {}
    for raw in _REL_TAG.findall(rels):
        attrs = _attrs(raw)
        target = attrs.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[attrs.get("Id", "")] = target
    parts = []
    for raw in _SHEET_TAG.findall(workbook):
        attrs = _attrs(raw)
        rel = next((v for k, v in attrs.items() if k.endswith(":id")), "")
        parts.append(targets.get(rel, ""))
    return parts


def scan_sheet(archive: zipfile.ZipFile, part: str, name: str) -> SheetScan:
    """Extent and value-less formulas of one worksheet, from its XML read piece by piece."""
    scan = SheetScan()
    row, col = 0, -1
    buffer = b""

    def consume(text: bytes) -> None:
        nonlocal row, col
        for match in _ROW_OR_CELL.finditer(text):
            if match.group(1) is not None:
                attrs = _attrs(match.group(1))
                number = attrs.get("r", "")
                row = int(number) if number.isdigit() else row + 1
                col = -1
                continue
            attrs = _attrs(match.group(2))
            ref = _REF.match(attrs.get("r", "").encode())
            if ref:
                col = col_index(ref.group(1))
                row = int(ref.group(2))
            else:
                col += 1
            if row > scan.rows:
                scan.rows = row
                scan.far_cell = f"{col_letters(col)}{row}"
            if col + 1 > scan.columns:
                scan.columns = col + 1
                scan.far_cell = f"{col_letters(col)}{row}"
            content = match.group(4)
            if content is not None and _FORMULA_ONLY.match(content):
                scan.formula_cells[col] += 1

    for chunk in iter_member_capped(archive, part, name):
        buffer += chunk
        cut = max(buffer.rfind(b"</c>") + 4, buffer.rfind(b"/>") + 2, buffer.rfind(b"</row>") + 6)
        if cut > 6:
            consume(buffer[:cut])
            buffer = buffer[cut:]
    consume(buffer)
    return scan


def _too_many_cells(name: str, sheet: str, scan: SheetScan) -> LoadError:
    return LoadError(
        f"{name}: sheet '{sheet}' stretches to cell {scan.far_cell} "
        f"({scan.rows:,} rows x {scan.columns:,} columns), more than the "
        f"{MAX_EXCEL_CELLS:,} cells the loader reads. Needed: delete the cells beyond the "
        "data (or the formatting there) and save again, or export the sheet as CSV.",
        "sheet_too_large",
        {
            "file": name,
            "sheet": sheet,
            "cell": scan.far_cell,
            "rows": scan.rows,
            "columns": scan.columns,
            "limit": MAX_EXCEL_CELLS,
        },
    )


class Workbook:
    """An Excel workbook opened for reading: sheet names, and each sheet checked
    (:func:`scan_sheet`) before the reader touches it."""

    def __init__(self, data, name: str):
        import python_calamine

        self.name = name
        self.data = data
        check_ole(data, name)
        self.archive = None
        self.parts: list[str] = []
        if bytes(data[:4]) == b"PK\x03\x04":
            try:
                self.archive = zipfile.ZipFile(io.BytesIO(data))
            except (zipfile.BadZipFile, ValueError, OSError):
                self.archive = None
            if self.archive is not None:
                self.parts = sheet_parts(self.archive, name)
        try:
            self.book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        except BaseException as exc:  # the reader's own errors: a damaged workbook
            if not _reader_failed(exc):
                raise
            raise LoadError(
                f"{name}: damaged or unsupported Excel workbook ({exc.__class__.__name__}).",
                "unreadable_file",
                {"file": name},
            ) from None
        self.sheets = [str(s) for s in self.book.sheet_names]

    def choose(self, sheet) -> str:
        """The sheet name for ``sheet`` (None: the first visible one; a name; a 0-based
        position)."""
        sheets = self.sheets
        if sheet is None and sheets:
            # a hidden sheet (an old copy, a lookup list) is not what the workbook shows first
            return (self._visible() or sheets)[0]
        if isinstance(sheet, int) and not isinstance(sheet, bool) and 0 <= sheet < len(sheets):
            return sheets[sheet]
        if isinstance(sheet, str) and sheet in sheets:
            return sheet
        if isinstance(sheet, str) and sheet.strip().isdigit() and int(sheet) < len(sheets):
            return sheets[int(sheet)]
        raise LoadError(
            f"{self.name}: no sheet {sheet!r}. Found sheets: {', '.join(map(str, sheets))}.",
            "bad_sheet",
            {"file": self.name, "sheet": sheet, "sheets": sheets},
        )

    def _visible(self) -> list[str]:
        """Names of the sheets that are not hidden (all of them when the reader cannot tell)."""
        try:
            import python_calamine

            return [
                str(meta.name)
                for meta in self.book.sheets_metadata
                if meta.visible == python_calamine.SheetVisibleEnum.Visible
            ]
        except (AttributeError, ImportError):
            return []

    def scan(self, sheet: str) -> SheetScan:
        scan = SheetScan()
        if self.archive is None:
            return scan  # .xls: at most 65,536 x 256 cells, the reader copes
        index = self.sheets.index(sheet)
        part = self.parts[index] if index < len(self.parts) else ""
        members = set(self.archive.namelist())
        parts = (
            [part]
            if part in members
            else [n for n in members if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        )
        for each in parts:
            found = scan_sheet(self.archive, each, self.name)
            if found.rows * found.columns > scan.rows * scan.columns:
                found.formula_cells = found.formula_cells + scan.formula_cells
                scan = found
            else:
                scan.formula_cells += found.formula_cells
        if scan.rows * scan.columns > MAX_EXCEL_CELLS:
            raise _too_many_cells(self.name, sheet, scan)
        if "xl/sharedStrings.xml" in members:
            for _chunk in iter_member_capped(self.archive, "xl/sharedStrings.xml", self.name):
                pass  # counted while unpacked: a shared-string bomb stops here
        return scan

    def rows(self, sheet: str, limit: int | None = None) -> tuple[list[list], int, SheetScan]:
        """The rows of a sheet that hold a value (each a list of cells), the
        0-based first column of the sheet's range and the sheet's scan."""
        scan = self.scan(sheet)
        try:
            data = self.book.get_sheet_by_name(sheet)
            out = []
            for values in data.iter_rows():
                if any(v != "" and v is not None for v in values):
                    out.append(list(values))
                    if limit is not None and len(out) >= limit:
                        break
            start = data.start[1] if data.start else 0
        except LoadError:
            raise
        except BaseException as exc:
            if not _reader_failed(exc):
                raise
            raise LoadError(
                f"{self.name}: damaged or unsupported Excel workbook ({exc.__class__.__name__}).",
                "unreadable_file",
                {"file": self.name},
            ) from None
        return out, start, scan


def header_position(rows: list[list]) -> int:
    """Index of the header: the first of the first 60 rows that is as wide (cells
    with a value) as most rows below it; title rows above it are narrower."""
    widths = [sum(1 for v in row if v != "" and v is not None) for row in rows[:60]]
    if len(widths) < 2:
        return 0
    data_widths = widths[1:]
    modal = max(set(data_widths), key=data_widths.count)
    return next((i for i, w in enumerate(widths) if w >= modal), 0)


def _cell(value):
    """A cell as pandas' Excel reader gives it: whole floats as int, blanks as missing."""
    import datetime as dt

    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value == "":
        return None
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return dt.datetime(value.year, value.month, value.day)
    return value


def frame_of(rows: list[list], header: int) -> tuple[pd.DataFrame, list[str], list[int]]:
    """The data rows below ``header`` as a frame (columns named by the header)
    the header names and the positions kept; columns without a header or a
    value are left out."""
    width = max((len(r) for r in rows), default=0)
    head = [rows[header][i] if i < len(rows[header]) else "" for i in range(width)]
    body = [[_cell(v) for v in r] + [None] * (width - len(r)) for r in rows[header + 1 :]]
    keep = [
        i for i in range(width) if head[i] not in ("", None) or any(r[i] is not None for r in body)
    ]
    names = [str(_cell(head[i]) if head[i] not in ("", None) else f"Unnamed: {i}") for i in keep]
    frame = pd.DataFrame([[r[i] for i in keep] for r in body], columns=range(len(keep)))
    frame = frame.infer_objects()
    return frame, names, keep
