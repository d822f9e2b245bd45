"""Hostile agent-roster and targets files, each with its expected outcome.

The companion of ``make_corpus.py`` (the call files) for
:func:`ccmetrics.people.read_roster` and :func:`ccmetrics.targets.read_targets`.
Every case writes one file at test time (nothing committed as a binary) and
says what the reader must do with it: load it, every data row of the file
accounted for (``rows`` = loaded + left out per reason, the reasons given in
``dropped``), or refuse it with an error ``code`` (a RosterError/TargetsError
code, or for the roster a :class:`ccmetrics.io.LoadError` code of the loader
that reads the file).

Run ``python -m tests.hostile.make_people_corpus DIR`` to write the files to DIR.
"""

from __future__ import annotations

import gzip
import io
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tests.hostile.make_corpus import encrypted_workbook, xlsx_bytes

__all__ = ["PeopleCase", "PEOPLE_CASES", "MARKUP", "build"]

#: Names that are markup, HTML, Markdown, LaTeX or spreadsheet formulas.
MARKUP = (
    "<script>alert(1)</script>",
    "**bold**",
    '=HYPERLINK("http://127.0.0.1:9/x","y")',
    "[link](javascript:alert(1))",
    "![x](http://127.0.0.1:9/p.png)",
    "$x^2$",
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "-2+3",
)


@dataclass
class PeopleCase:
    """One hostile file for a reader (``"roster"`` or ``"targets"``) and its outcome.

    ``outcome`` is ``"load"`` (``loaded`` rows returned; ``rows`` data rows in the
    file = ``loaded`` + the sum of ``dropped``, per reason) or ``"error"`` (the
    error's ``code``; ``rows_named`` the line numbers the error must name).
    ``check`` runs on the returned frame and returns an explanation when a value
    is wrong.
    """

    name: str
    reader: str
    data: Callable[[], bytes]
    outcome: str
    code: str | None = None
    rows: int = 0
    loaded: int = 0
    dropped: dict = field(default_factory=dict)
    rows_named: str | None = None
    check: Callable | None = None
    suffix: str = ".csv"

    def path(self, folder: Path) -> Path:
        return Path(folder) / f"{self.reader}_{self.name}{self.suffix}"


ROSTER_HEADER = "agent,team,start_date,leave_date\n"
TARGETS_HEADER = "kpi,level,unit,target,direction,tolerance\n"


def roster_rows(n: int) -> str:
    return "".join(f"A{i:07d},Team {i % 40},2020-01-{1 + i % 28:02d},\n" for i in range(n))


def _gzip_bomb(header: str, row: str, size: int) -> bytes:
    """A gzip whose text (``header`` and ``row`` repeated to ``size`` bytes) packs ~1000:1."""
    out = io.BytesIO()
    chunk = (row * (1_000_000 // len(row))).encode()
    with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as packed:
        packed.write(header.encode())
        for _ in range(size // len(chunk)):
            packed.write(chunk)
    return out.getvalue()


def _hidden(data: bytes, sheet: str) -> bytes:
    """The workbook ``data`` with its sheet ``sheet`` hidden (state="hidden")."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            raw = source.read(info)
            if info.filename == "xl/workbook.xml":
                raw = raw.replace(
                    f'<sheet name="{sheet}"'.encode(),
                    f'<sheet state="hidden" name="{sheet}"'.encode(),
                )
            archive.writestr(info, raw)
    return out.getvalue()


ROSTER_HEAD_ROW = ["agent", "team", "start_date", "leave_date"]


def _quoted(text: str) -> str:
    """A CSV field: quoted, its quotes doubled."""
    return '"' + text.replace('"', '""') + '"'


def _zip(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return out.getvalue()


def _values(column: str, expected: list) -> Callable:
    def check(frame):
        got = [None if v != v else v for v in frame[column].tolist()]
        return None if got == expected else f"{column}: {got} != {expected}"

    return check


def _dates(column: str, expected: list[str | None]) -> Callable:
    def check(frame):
        got = [None if v != v else str(v.date()) for v in frame[column]]
        return None if got == expected else f"{column}: {got} != {expected}"

    return check


def _roster_cases() -> list[PeopleCase]:
    def err(name, data, code, rows_named=None, suffix=".csv"):
        return PeopleCase(name, "roster", data, "error", code, rows_named=rows_named, suffix=suffix)

    def load(name, data, rows, loaded=None, dropped=None, check=None, suffix=".csv"):
        loaded = rows if loaded is None else loaded
        dropped = {"missing_agent": 0, **(dropped or {})}
        return PeopleCase(
            name,
            "roster",
            data,
            "load",
            rows=rows,
            loaded=loaded,
            dropped=dropped,
            check=check,
            suffix=suffix,
        )

    h = ROSTER_HEADER
    markup = "".join(f"{_quoted(m)},{_quoted(m)},2020-01-01,\n" for m in MARKUP)
    return [
        err("empty", lambda: b"", "empty_file"),
        err("header_only", lambda: h.encode(), "roster_no_rows"),
        err("binary_garbage", lambda: bytes(range(256)) * 64, "not_a_table"),
        err(
            "gzip_repeated_agent",
            lambda: _gzip_bomb(h, "A1,T,2020-01-01,2020-01-01\n", 4 << 20),
            "roster_overlapping_spells",
            suffix=".csv.gz",
        ),
        err(
            "zip_of_zeros",
            lambda: _zip("r.csv", h.encode() + bytes(64 << 20)),
            "not_a_table",
            suffix=".zip",
        ),
        err(
            "huge_single_line",
            lambda: (h + "A1,T," + "9" * (16 << 20) + ",\n").encode(),
            "roster_bad_dates",
            rows_named="2",
        ),
        load("million_rows", lambda: (h + roster_rows(1_000_000)).encode(), 1_000_000),
        load(
            "semicolon",
            lambda: (
                b"agent;team;start_date;leave_date\nA1;T1;2020-01-01;\n"
                b"A2;T1;2021-01-01;2022-01-01\n"
            ),
            2,
            check=_dates("leave_date", [None, "2022-01-01"]),
        ),
        err(
            "wrong_delimiter_pipe_one_column",
            lambda: b"agent team start_date leave_date\nA1 T 2020-01-01 x\n",
            "roster_missing_column",
        ),
        load(
            "utf8_bom",
            lambda: ("\ufeff" + h + "坐席1,一组,2020-01-01,\n").encode(),
            1,
            check=_values("agent", ["坐席1"]),
        ),
        load(
            "utf16",
            lambda: (h + "A1,张三组,2020-01-01,\n").encode("utf-16"),
            1,
            check=_values("team", ["张三组"]),
        ),
        load(
            "gbk",
            lambda: "工号,班组,入职日期,离职日期\nA1,一组,2020-01-01,\n".encode("gbk"),
            1,
            check=_values("team", ["一组"]),
        ),
        load(
            "big5_team",
            lambda: "agent,team,start_date,leave_date\nA1,客服一組,2020-01-01,\n".encode("big5"),
            1,
            check=_values("team", ["客服一組"]),
        ),
        load(
            "big5_traditional_headers",
            lambda: "工號,班組,入職日期,離職日期\nA1,客服一組,2020-01-01,\n".encode("big5"),
            1,
            check=_values("team", ["客服一組"]),
        ),
        load(
            "excel",
            lambda: xlsx_bytes(
                [
                    (
                        "Roster",
                        [
                            ["agent", "team", "start_date", "leave_date"],
                            ["A1", "T", "2020-01-01", ""],
                        ],
                    )
                ]
            ),
            1,
            suffix=".xlsx",
        ),
        err(
            "excel_formula_without_value",
            lambda: xlsx_bytes(
                [
                    (
                        "Roster",
                        [["agent", "team", "start_date", "leave_date"], ["A1", "T", "", ""]],
                        {"formulas": {2: "TODAY()"}},
                    )
                ]
            ),
            "roster_bad_dates",
            rows_named="2",
            suffix=".xlsx",
        ),
        err(
            "excel_roster_on_second_sheet",
            lambda: xlsx_bytes(
                [
                    ("Cover", [["Roster of March"]]),
                    (
                        "Roster",
                        [
                            ["agent", "team", "start_date", "leave_date"],
                            ["A1", "T", "2020-01-01", ""],
                        ],
                    ),
                ]
            ),
            "roster_missing_column",
            suffix=".xlsx",
        ),
        err("excel_password", encrypted_workbook, "password_protected", suffix=".xlsx"),
        load(
            "excel_hidden_first_sheet",
            lambda: _hidden(
                xlsx_bytes(
                    [
                        ("Old", [ROSTER_HEAD_ROW, ["OLD1", "T", "2010-01-01", ""]]),
                        ("Roster", [ROSTER_HEAD_ROW, ["A1", "T", "2020-01-01", ""]]),
                    ]
                ),
                "Old",
            ),
            1,
            check=_values("agent", ["A1"]),
            suffix=".xlsx",
        ),
        err(
            "duplicate_headers",
            lambda: b"agent,agent,start_date,leave_date\nA1,B1,2020-01-01,\n",
            "roster_duplicate_column",
        ),
        load(
            "excel_serial_dates",
            lambda: (h + "A1,T,43831,\nA2,T,43900,44000\n").encode(),
            2,
            check=_dates("start_date", ["2020-01-01", "2020-03-10"]),
        ),
        load(
            "mixed_date_formats",
            lambda: (
                h + "A1,T,2020-01-01,\nA2,T,13/02/2020,\nA3,T,2020/3/1,\nA4,T,5 March 2020,\n"
            ).encode(),
            4,
            check=_dates("start_date", ["2020-01-01", "2020-02-13", "2020-03-01", "2020-03-05"]),
        ),
        err(
            "day_month_ambiguous",
            lambda: (h + "A1,T,2020-01-01,\nA2,T,01/02/2020,\n").encode(),
            "roster_bad_dates",
            rows_named="3",
        ),
        err(
            "impossible_date",
            lambda: (h + "A1,T,2024-02-28,\nA2,T,2024-02-30,\n").encode(),
            "roster_bad_dates",
            rows_named="3",
        ),
        err(
            "far_future_start",
            lambda: (h + "A1,T,2020-01-01,\nA2,T,9999-12-31,\n").encode(),
            "roster_bad_dates",
            rows_named="3",
        ),
        err(
            "far_future_leave",
            lambda: (h + "A1,T,2020-01-01,2999-01-01\n").encode(),
            "roster_bad_dates",
            rows_named="2",
        ),
        err(
            "year_one",
            lambda: (h + "A1,T,0001-01-01,\n").encode(),
            "roster_bad_dates",
            rows_named="2",
        ),
        err(
            "numbers_as_dates",
            lambda: (h + "A1,T,1e400,\nA2,T,inf,\nA3,T,-1,\n").encode(),
            "roster_bad_dates",
            rows_named="2, 3, 4",
        ),
        err(
            "leave_before_start",
            lambda: (h + "A1,T,2020-01-01,\nA2,T,2024-01-01,2023-01-01\n").encode(),
            "roster_leave_before_start",
            rows_named="3",
        ),
        err(
            "repeated_row",
            lambda: (
                h + "A1,T,2020-01-01,2021-01-01\nA2,T,2020-01-01,\nA1,T,2020-01-01,2021-01-01\n"
            ).encode(),
            "roster_overlapping_spells",
            rows_named="2, 4",
        ),
        err(
            "overlapping_spells",
            lambda: (h + "A1,T,2020-01-01,2021-06-30\nA1,T,2021-01-01,\n").encode(),
            "roster_overlapping_spells",
            rows_named="2, 3",
        ),
        load(
            "rehire",
            lambda: (h + "A1,T,2020-01-01,2020-12-31\nA1,U,2021-01-01,\n").encode(),
            2,
            check=_values("team", ["T", "U"]),
        ),
        load(
            "blank_agent",
            lambda: (h + ",T,2020-01-01,\nA2,T,2020-01-01,\n   ,T,bad,\n").encode(),
            3,
            loaded=1,
            dropped={"missing_agent": 2},
        ),
        load(
            "malformed_rows",
            lambda: (h + roster_rows(20) + "B1,T,2020-01-01,,,,\nB2,T\n").encode(),
            22,
            loaded=20,
            dropped={"malformed_row": 2},
        ),
        err("nul_byte", lambda: (h + "A\x001,T,2020-01-01,\n").encode(), "not_a_table"),
        load(
            "markup_names",
            lambda: (h + markup).encode(),
            len(MARKUP),
            check=_values("agent", list(MARKUP)),
        ),
    ]


def _targets_cases() -> list[PeopleCase]:
    def err(name, data, code, rows_named=None, suffix=".csv"):
        return PeopleCase(
            name, "targets", data, "error", code, rows_named=rows_named, suffix=suffix
        )

    def load(name, data, rows, loaded=None, check=None, suffix=".csv"):
        loaded = rows if loaded is None else loaded
        return PeopleCase(
            name,
            "targets",
            data,
            "load",
            rows=rows,
            loaded=loaded,
            dropped={"blank_row": rows - loaded},
            check=check,
            suffix=suffix,
        )

    h = TARGETS_HEADER
    markup = "".join(f"aht_s,agent,{_quoted(m)},300,,\n" for m in MARKUP)
    return [
        err("empty", lambda: b"", "unreadable"),
        err("header_only", lambda: h.encode(), "empty"),
        err("binary_garbage", lambda: bytes(range(256)) * 64, "unreadable"),
        err(
            "gzip_bomb",
            lambda: _gzip_bomb(h, "aht_s,agent,A1,300,,\n", 64 << 20),
            "too_large",
            suffix=".csv.gz",
        ),
        err(
            "zip_unpacks_beyond_cap",
            lambda: _zip("t.csv", (h + "aht_s,agent,A1,300,,\n" * 120_000).encode()),
            "too_large",
            suffix=".zip",
        ),
        err(
            "gzip_in_zip_beyond_cap",
            lambda: _zip("t.csv.gz", _gzip_bomb(h, "aht_s,agent,A1,300,,\n", 8 << 20)),
            "too_large",
            suffix=".zip",
        ),
        load("zip", lambda: _zip("t.csv", (h + "aht_s,,,300,,\n").encode()), 1, suffix=".zip"),
        err(
            "huge_single_line",
            lambda: (h + "aht_s,,," + "9" * (1 << 20) + ",,\n").encode(),
            "too_large",
        ),
        err("million_rows", lambda: (h + "aht_s,,,300,,\n" * 1_000_000).encode(), "too_large"),
        load(
            "semicolon",
            lambda: b"kpi;level;unit;target\naht_s;;;300\n",
            1,
            check=_values("target", [300.0]),
        ),
        load(
            "utf8_bom",
            lambda: ("\ufeff" + h + "service_level,,,80%,,\n").encode(),
            1,
            check=_values("target", [0.8]),
        ),
        load(
            "utf16",
            lambda: (h + "aht_s,team,一组,300,,\n").encode("utf-16"),
            1,
            check=_values("unit", ["一组"]),
        ),
        load(
            "gbk",
            lambda: "指标,层级,对象,目标值\naht_s,班组,一组,300\n".encode("gbk"),
            1,
            check=_values("unit", ["一组"]),
        ),
        load(
            "big5_unit",
            lambda: (h + "aht_s,team,客服一組,300,,\n").encode("big5"),
            1,
            check=_values("unit", ["客服一組"]),
        ),
        load(
            "excel",
            lambda: xlsx_bytes([("T", [["kpi", "target"], ["aht_s", "300"]])]),
            1,
            suffix=".xlsx",
        ),
        err("excel_password", encrypted_workbook, "unreadable", suffix=".xlsx"),
        load(
            "excel_hidden_first_sheet",
            lambda: _hidden(
                xlsx_bytes(
                    [
                        ("Lists", [["kpi", "target"], ["aht_s", "999"]]),
                        ("Targets", [["kpi", "target"], ["aht_s", "300"]]),
                    ]
                ),
                "Lists",
            ),
            1,
            check=_values("target", [300.0]),
            suffix=".xlsx",
        ),
        err(
            "excel_formula_without_value",
            lambda: xlsx_bytes(
                [("T", [["kpi", "target"], ["aht_s", ""]], {"formulas": {1: "SUM(1,2)"}})]
            ),
            "target_not_number",
            rows_named="2",
            suffix=".xlsx",
        ),
        err("duplicate_headers", lambda: b"kpi,target,target\naht_s,300,200\n", "duplicate_column"),
        err(
            "nan",
            lambda: (h + "aht_s,,,300,,\nabandon_rate,,,nan,,\n").encode(),
            "target_not_number",
            rows_named="3",
        ),
        err("inf", lambda: (h + "aht_s,,,inf,,\n").encode(), "target_not_number", rows_named="2"),
        err(
            "huge_exponent",
            lambda: (h + "aht_s,,,1e400,,\n").encode(),
            "target_not_number",
            rows_named="2",
        ),
        err(
            "negative",
            lambda: (h + "aht_s,,,-5,,\n").encode(),
            "target_out_of_range",
            rows_named="2",
        ),
        err(
            "percent_as_text",
            lambda: (h + "service_level,,,eighty percent,,\n").encode(),
            "target_not_number",
            rows_named="2",
        ),
        err(
            "percent_above_100",
            lambda: (h + "service_level,,,200%,,\n").encode(),
            "target_out_of_range",
            rows_named="2",
        ),
        err(
            "infinite_tolerance",
            lambda: (h + "aht_s,,,300,,inf\n").encode(),
            "tolerance_invalid",
            rows_named="2",
        ),
        err(
            "unknown_kpi",
            lambda: (h + "aht_s,,,300,,\nhappiness,,,3,,\n").encode(),
            "kpi_unknown",
            rows_named="3",
        ),
        err(
            "unknown_level",
            lambda: (h + "aht_s,galaxy,x,300,,\n").encode(),
            "level_unknown",
            rows_named="2",
        ),
        err(
            "team_without_name",
            lambda: (h + "aht_s,team,,300,,\n").encode(),
            "unit_missing",
            rows_named="2",
        ),
        err(
            "repeated_target",
            lambda: (h + "aht_s,,,300,,\nfcr_rate,,,80%,,\naht_s,,,280,,\n").encode(),
            "duplicate",
            rows_named="2, 4",
        ),
        err(
            "malformed_rows",
            lambda: (
                h
                + "".join(f"aht_s,agent,A{i},300,,\n" for i in range(20))
                + "fcr_rate,,,80%,,,x,y\n"
            ).encode(),
            "malformed_rows",
        ),
        load(
            "blank_lines",
            lambda: (h + "aht_s,,,300,,\n,,,,,\n , , , , , \nfcr_rate,,,80%,,\n").encode(),
            4,
            loaded=2,
            check=_values("target", [300.0, 0.8]),
        ),
        load(
            "markup_units",
            lambda: (h + markup).encode(),
            len(MARKUP),
            check=_values("unit", list(MARKUP)),
        ),
    ]


PEOPLE_CASES: list[PeopleCase] = _roster_cases() + _targets_cases()


def build(folder: Path, cases=None) -> dict[str, Path]:
    """Write every case's file into ``folder``; returns {reader/name: path}."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for case in cases or PEOPLE_CASES:
        path = case.path(folder)
        if not path.exists():
            path.write_bytes(case.data())
        paths[f"{case.reader}/{case.name}"] = path
    return paths


if __name__ == "__main__":  # pragma: no cover - a helper for looking at the files
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile_people_corpus")
    build(target)
    for case in PEOPLE_CASES:
        print(f"{case.reader:8s} {case.name:36s} {case.outcome:5s} {case.code or case.loaded}")
    print(len(PEOPLE_CASES), "cases")
