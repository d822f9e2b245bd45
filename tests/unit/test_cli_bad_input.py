"""Bad invocations of ``python -m ccmetrics``: each exits 2 with one line on stderr, never a traceback.

A table of bad files, bad options and malformed mapping files, run in process through
:func:`ccmetrics.__main__.main` (a few through a real subprocess). Every row asserts the
exit status 2, exactly one line on stderr, no ``Traceback``, the prefix of the chosen
language (``error:`` / ``错误：``) and the words that make the message useful (the option,
the file, what is needed). A message about a mapping file names the mapping file and not
the data file.
"""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ccmetrics import i18n
from ccmetrics.__main__ import InputError, _one_line, main

REPO_ROOT = Path(__file__).resolve().parents[2]

#: Loads without a mapping: standard headers, three calls on two days.
GOOD_CSV = (
    "call_id,arrived_at,wait_s,answered\n"
    "1,2025-03-03 09:00:00,5,Y\n"
    "2,2025-03-03 09:10:00,40,N\n"
    "3,2025-03-04 10:00:00,12,Y\n"
)
#: The same calls under other headers, for a mapping file.
ODD_CSV = (
    "when,queue time,got through\n"
    "2025-03-03 09:00:00,5,yes\n"
    "2025-03-03 09:10:00,40,no\n"
    "2025-03-04 10:00:00,12,yes\n"
)
GOOD_MAPPING = {"arrived_at": "when", "wait_s": "queue time", "answered": "got through"}

#: Mapping files that must be refused, by the rule they break.
BAD_MAPPINGS: dict[str, bytes] = {
    "map_latin1.json": '{"arrived_at": "wh\u00e9n"}'.encode("latin-1"),
    "map_utf16.json": json.dumps(GOOD_MAPPING).encode("utf-16"),
    "map_gbk.json": '{"arrived_at": "来电时间"}'.encode("gbk"),
    "map_empty.json": b"",
    "map_truncated.json": b'{"arrived_at": "when", "wait_s": ',
    "map_trailing.json": b'{"arrived_at": "when"} {"x": 1}',
    "map_array.json": b'["when", "queue time"]',
    "map_string.json": b'"when"',
    "map_null.json": b"null",
    "map_number_value.json": b'{"arrived_at": 5}',
    "map_bool_value.json": b'{"wait_s": true}',
    "map_object_value.json": b'{"wait_s": {"column": "queue time"}}',
    "map_list_for_single.json": b'{"arrived_at": "when", "wait_s": ["queue time", "x"]}',
    "map_pair_of_three.json": b'{"arrived_at": ["d", "t", "x"]}',
    "map_pair_of_numbers.json": b'{"arrived_at": [1, 2]}',
    "map_empty_call_id_list.json": b'{"arrived_at": "when", "call_id": []}',
    "map_nan.json": b'{"arrived_at": "when", "options": {"truncate": {"agent": NaN}}}',
    "map_infinity.json": b'{"arrived_at": "when", "options": {"truncate": {"agent": Infinity}}}',
    "map_deep_array.json": b"[" * 100_000 + b"]" * 100_000,
    "map_deep_object.json": b'{"options": ' + b'{"a": ' * 3000 + b"1" + b"}" * 3001,
    "map_deep_valid_json.json": (
        b'{"arrived_at": "when", "options": {"recode": {"agent": {"a": {"b": {"c": "d"}}}}}}'
    ),
    "map_duplicate_key.json": b'{"arrived_at": "when", "arrived_at": "queue time"}',
    "map_unknown_key.json": b'{"arrived_at": "when", "arival_time": "when"}',
    "map_unknown_option.json": b'{"arrived_at": "when", "options": {"timezone_guess": true}}',
    "map_options_string.json": b'{"arrived_at": "when", "options": "dayfirst"}',
    "map_options_list.json": b'{"arrived_at": "when", "options": ["dayfirst"]}',
    "map_truncate_string.json": b'{"arrived_at": "when", "options": {"truncate": "agent"}}',
    "map_truncate_negative.json": b'{"arrived_at": "when", "options": {"truncate": {"agent": -1}}}',
    "map_truncate_float.json": b'{"arrived_at": "when", "options": {"truncate": {"agent": 2.5}}}',
    "map_truncate_not_dimension.json": (
        b'{"arrived_at": "when", "options": {"truncate": {"wait_s": 2}}}'
    ),
    "map_units_unknown.json": (
        b'{"arrived_at": "when", "wait_s": "queue time", "options": {"units": {"wait_s": "parsec"}}}'
    ),
    "map_units_list.json": b'{"arrived_at": "when", "options": {"units": ["s"]}}',
    "map_datetime_format_number.json": (
        b'{"arrived_at": "when", "options": {"datetime_format": 5}}'
    ),
    "map_datetime_format_no_percent.json": (
        b'{"arrived_at": "when", "options": {"datetime_format": "YYYY-MM-DD"}}'
    ),
    "map_day_index_start_text.json": (
        b'{"arrived_at": "when", "options": {"day_index_start": "first monday"}}'
    ),
    "map_day_index_start_year_1000.json": (
        b'{"arrived_at": "when", "options": {"day_index_start": "1000-01-01"}}'
    ),
    "map_dayfirst_text.json": b'{"arrived_at": "when", "options": {"dayfirst": "yes"}}',
    "map_recode_list.json": b'{"arrived_at": "when", "options": {"recode": {"agent": [1]}}}',
    "map_recode_number.json": (
        b'{"arrived_at": "when", "options": {"recode": {"segment": {"0": 1}}}}'
    ),
    "map_missing_values_number.json": (b'{"arrived_at": "when", "options": {"missing_values": 5}}'),
    "map_missing_values_numbers.json": (
        b'{"arrived_at": "when", "options": {"missing_values": {"agent": [0]}}}'
    ),
    "map_huge_number.json": b'{"arrived_at": "when", "options": {"truncate": {"agent": '
    + b"9" * 5000
    + b"}}}",
    "map_too_large.json": b'{"arrived_at": "when", "x": "' + b"a" * (2 << 20) + b'"}',
}


def _workbook() -> bytes:
    """A workbook whose first sheet is notes and whose second sheet holds three calls."""
    from tests.unit.test_io import _xlsx

    calls = [row.split(",") for row in GOOD_CSV.splitlines()]
    calls = [calls[0]] + [[c, t, float(w), a] for c, t, w, a in calls[1:]]
    return _xlsx({"Notes": [["note"], ["exported Monday"]], "Calls": calls})


def _build_files(folder: Path) -> dict[str, str]:
    """Write every input of the table into ``folder``; name -> path."""
    files: dict[str, Path] = {"dir": folder / "a_folder"}
    files["dir"].mkdir()

    def write(name: str, data: bytes | str) -> None:
        path = folder / name
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        files[name] = path

    write("calls_good.csv", GOOD_CSV)
    write("calls_odd.csv", ODD_CSV)
    write("map_good.json", json.dumps(GOOD_MAPPING))
    for name, data in BAD_MAPPINGS.items():
        write(name, data)
    # bad data files
    write("empty.csv", b"")
    write("garbage.csv", b"\x00\x01\x02 not a table \xff\xfe" * 50)
    write("header_only.csv", "call_id,arrived_at,wait_s,answered\n")
    write("no_time.csv", "agent,queue\nann,sales\nbob,care\n")
    # a header with a right-to-left override (no time column: the message lists the headers)
    write("newline_header.csv", 'agent,"evil\u202enam"\nann,sales\n')
    write("fake.xlsx", b"PK\x03\x04" + b"\x00" * 200)
    write("fake.parquet", b"PAR1" + b"\x00" * 64)
    write("truncated.csv.gz", gzip.compress(GOOD_CSV.encode())[:20])
    zipped = folder / "two_tables.zip"
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("a.csv", GOOD_CSV)
        archive.writestr("b.csv", GOOD_CSV)
    files["two_tables.zip"] = zipped
    write("only_times_unreadable.csv", "call_id,arrived_at,wait_s,answered\n1,soon,5,Y\n")
    # --intervals and --drivers inputs
    write("drivers_binary.csv", b"\xff\xfe\x00\x00" * 10)
    write("drivers_empty.csv", b"")
    write("drivers_header_only.csv", "date,rain\n")
    write("a_file", "not a folder")
    write("two_sheets.xlsx", _workbook())
    return {name: str(path) for name, path in files.items()}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, str]:
    return _build_files(tmp_path_factory.mktemp("cli_bad_input"))


def _kpis(*rest: str, data: str = "{calls_good.csv}") -> list[str]:
    return ["kpis", data, *rest]


def _report(*rest: str, data: str = "{calls_good.csv}") -> list[str]:
    return ["report", data, "--out", "{tmp}/out", "--format", "html", *rest]


def _mapping(path: str) -> list[str]:
    """``kpis`` of the odd-header calls with the mapping file at ``path`` (a template)."""
    return ["kpis", "{calls_odd.csv}", "--mapping", path]


#: (id, argv with {file} placeholders, words the message must hold)
CASES: list[tuple[str, list[str], tuple[str, ...]]] = [
    # --- usage -------------------------------------------------------------------------------
    ("no-arguments", [], ("COMMAND",)),
    ("unknown-command", ["export", "{calls_good.csv}"], ("export",)),
    ("kpis-without-export", ["kpis"], ("EXPORT",)),
    ("report-without-out", ["report", "{calls_good.csv}"], ("--out",)),
    ("unknown-option", _kpis("--bogus"), ("--bogus",)),
    ("extra-argument", _kpis("extra.csv"), ("extra.csv",)),
    ("option-without-value", _kpis("--period"), ("--period",)),
    ("negative-looking-value", _kpis("--sl-threshold", "-5"), ("--sl-threshold",)),
    ("flag-with-value", _kpis("--json=yes"), ("--json",)),
    ("bad-language", _kpis("--lang", "fr"), ("--lang", "fr")),
    ("bad-sl-formula", _kpis("--sl-formula", "best"), ("--sl-formula", "best")),
    # --- numbers: NaN, infinity, out of range ---------------------------------------------------
    ("sl-threshold-nan", _kpis("--sl-threshold", "nan"), ("--sl-threshold", "finite")),
    ("sl-threshold-inf", _kpis("--sl-threshold", "inf"), ("--sl-threshold", "finite")),
    ("sl-threshold-minus-inf", _kpis("--sl-threshold=-inf"), ("--sl-threshold", "finite")),
    ("sl-threshold-1e400", _kpis("--sl-threshold", "1e400"), ("--sl-threshold", "finite")),
    ("sl-threshold-negative", _kpis("--sl-threshold=-1"), ("--sl-threshold", "0 or more")),
    ("sl-threshold-text", _kpis("--sl-threshold", "twenty"), ("--sl-threshold", "number")),
    ("sl-threshold-empty", _kpis("--sl-threshold", ""), ("--sl-threshold", "number")),
    ("short-abandon-nan", _kpis("--short-abandon", "NaN"), ("--short-abandon", "finite")),
    ("short-abandon-infinity", _kpis("--short-abandon", "Infinity"), ("--short-abandon",)),
    ("sl-target-nan", _report("--sl-target", "nan"), ("--sl-target", "finite")),
    ("sl-target-inf", _report("--sl-target", "inf"), ("--sl-target", "finite")),
    ("sl-target-above-100", _report("--sl-target", "180"), ("--sl-target", "100")),
    ("sl-target-negative", _kpis("--sl-target=-5"), ("--sl-target", "100")),
    ("limit-days-zero", _report("--limit-days", "0"), ("--limit-days",)),
    ("limit-days-huge", _report("--limit-days", "10000000000"), ("--limit-days",)),
    ("limit-days-float", _report("--limit-days", "7.5"), ("--limit-days", "whole")),
    ("max-findings-negative", _report("--max-findings=-1"), ("--max-findings",)),
    ("max-findings-huge", _report("--max-findings", "1" + "0" * 30), ("--max-findings",)),
    ("max-findings-text", _report("--max-findings", "all"), ("--max-findings", "whole")),
    # --- days and periods -------------------------------------------------------------------------
    ("period-one-day", _kpis("--period", "2025-03-01"), ("--period", "FIRST:LAST")),
    ("period-reversed", _kpis("--period", "2025-03-31:2025-03-01"), ("ends before it starts",)),
    ("period-bad-month", _kpis("--period", "2025-13-01:2025-13-31"), ("--period",)),
    ("period-nan", _kpis("--period", "nan:nan"), ("--period", "FIRST:LAST")),
    ("period-now", _kpis("--period", "now:"), ("--period",)),
    ("period-year-1000", _kpis("--period", "1000-01-01:2025-01-01"), ("1677-09-22",)),
    ("period-year-2262", _kpis("--period", "2025-01-01:2262-04-11"), ("2262-04-10",)),
    ("period-year-99999", _kpis("--period", "99999-01-01:"), ("--period",)),
    ("period-two-colons", _kpis("--period", "2025-03-01:2025-03-02:2025-03-03"), ("--period",)),
    ("period-colon-only", _kpis("--period", ":"), ("--period",)),
    ("period-without-data", _kpis("--period", "2024-01-01:2024-01-31"), ("2024-01-01",)),
    ("change-date-text", _report("--change-date", "yesterday"), ("--change-date",)),
    ("change-date-year-1000", _report("--change-date", "1000-01-01"), ("--change-date",)),
    ("findings-nan", _report("--findings", "nan"), ("--findings",)),
    ("findings-empty", _report("--findings", ","), ("--findings",)),
    ("findings-outside-period", _report("--findings", "2025-04-01"), ("outside the period",)),
    # --- other option values ----------------------------------------------------------------------
    ("format-pdf", _report("--format", "html,pdf"), ("--format", "html, pptx, png")),
    ("format-empty", _report("--format", ","), ("--format",)),
    ("freq-unknown", _kpis("--freq", "fortnight"), ("--freq",)),
    ("freq-zero", _kpis("--freq", "0D"), ("--freq",)),
    ("freq-negative", _kpis("--freq=-1D"), ("--freq",)),
    ("by-unknown-column", _kpis("--by", "weather"), ("cannot group by", "weather")),
    # --- --out --------------------------------------------------------------------------------------
    (
        "out-is-a-file",
        ["report", "{calls_good.csv}", "--out", "{a_file}", "--format", "html"],
        ("--out", "a_file", "folder"),
    ),
    (
        "out-under-a-file",
        ["report", "{calls_good.csv}", "--out", "{a_file}/reports", "--format", "html"],
        ("--out", "a_file"),
    ),
    # --- bad data files -----------------------------------------------------------------------------
    ("export-missing", _kpis(data="{tmp}/nope.csv"), ("nope.csv", "not found")),
    ("export-folder", _kpis(data="{dir}"), ("a_folder", "folder")),
    ("export-empty", _kpis(data="{empty.csv}"), ("empty.csv",)),
    ("export-garbage", _kpis(data="{garbage.csv}"), ("garbage.csv",)),
    ("export-header-only", _kpis(data="{header_only.csv}"), ("header_only.csv",)),
    ("export-no-time-column", _kpis(data="{no_time.csv}"), ("no_time.csv",)),
    ("export-control-characters", _kpis(data="{newline_header.csv}"), ("newline_header.csv",)),
    ("export-broken-xlsx", _kpis(data="{fake.xlsx}"), ("fake.xlsx",)),
    ("export-fake-parquet", _kpis(data="{fake.parquet}"), ("fake.parquet",)),
    ("export-truncated-gzip", _kpis(data="{truncated.csv.gz}"), ("truncated.csv.gz",)),
    ("export-zip-of-two", _kpis(data="{two_tables.zip}"), ("two_tables.zip",)),
    ("export-dates-unreadable", _kpis(data="{only_times_unreadable.csv}"), ("soon",)),
    ("report-export-garbage", _report(data="{garbage.csv}"), ("garbage.csv",)),
    ("sheet-unknown", _kpis("--sheet", "Summary", data="{two_sheets.xlsx}"), ("Summary", "Calls")),
    ("sheet-for-a-csv", _kpis("--sheet", "Calls"), ("--sheet", "calls_good.csv")),
    ("sheet-without-calls", _kpis("--sheet", "Notes", data="{two_sheets.xlsx}"), ("two_sheets",)),
    # --- --intervals and --drivers ----------------------------------------------------------------
    ("intervals-are-calls", _report("--intervals", "{calls_good.csv}"), ("--intervals",)),
    ("intervals-missing", _report("--intervals", "{tmp}/nope.csv"), ("nope.csv",)),
    ("intervals-garbage", _report("--intervals", "{garbage.csv}"), ("garbage.csv",)),
    ("drivers-missing", _report("--drivers", "{tmp}/nope.csv"), ("nope.csv",)),
    ("drivers-binary", _report("--drivers", "{drivers_binary.csv}"), ("drivers_binary.csv",)),
    ("drivers-empty", _report("--drivers", "{drivers_empty.csv}"), ("drivers_empty.csv",)),
    (
        "drivers-header-only",
        _report("--drivers", "{drivers_header_only.csv}"),
        ("drivers_header_only",),
    ),
    ("drivers-folder", _report("--drivers", "{dir}"), ("a_folder",)),
    ("drivers-dev-zero", _report("--drivers", "/dev/zero"), ("zero", "larger than")),
    # --- mapping files ------------------------------------------------------------------------------
    ("mapping-missing", _mapping("{tmp}/no_mapping.json"), ("no_mapping.json",)),
    ("mapping-folder", _mapping("{dir}"), ("a_folder",)),
    ("mapping-dev-zero", _mapping("/dev/zero"), ("zero",)),
    *[
        (f"mapping-{name[4:-5].replace('_', '-')}", _mapping("{" + name + "}"), (name,))
        for name in BAD_MAPPINGS
    ],
]

#: Cases whose message must name a mapping file, never the data file.
MAPPING_CASES = {case_id for case_id, argv, _ in CASES if case_id.startswith("mapping-")}

#: A few cases again in Chinese: the message is in Chinese.
CHINESE_CASES = [
    ("zh-usage", ["kpis", "{calls_good.csv}", "--bogus", "--lang", "zh"]),
    ("zh-missing-command", ["--lang=zh"]),
    ("zh-sl-threshold-nan", _kpis("--sl-threshold", "nan", "--lang", "zh")),
    ("zh-sl-target-inf", _report("--sl-target", "inf", "--lang", "zh")),
    ("zh-period-year-1000", _kpis("--period", "1000-01-01:2025-01-01", "--lang", "zh")),
    ("zh-out-is-a-file", ["report", "{calls_good.csv}", "--out", "{a_file}", "--lang", "zh"]),
    ("zh-export-missing", _kpis("--lang", "zh", data="{tmp}/nope.csv")),
    ("zh-mapping-not-utf8", _mapping("{map_latin1.json}") + ["--lang", "zh"]),
    ("zh-mapping-unknown-option", _mapping("{map_unknown_option.json}") + ["--lang", "zh"]),
    ("zh-mapping-deep", _mapping("{map_deep_array.json}") + ["--lang", "zh"]),
    ("zh-mapping-bad-truncate", _mapping("{map_truncate_negative.json}") + ["--lang", "zh"]),
]

HAN = re.compile(r"[\u4e00-\u9fff]")


def _argv(template: list[str], files: dict[str, str]) -> list[str]:
    folder = str(Path(files["dir"]).parent)
    values = {**files, "tmp": folder}
    return [re.sub(r"\{([^{}]+)\}", lambda m: values[m.group(1)], word) for word in template]


def _run(argv: list[str], capsys) -> tuple[int, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.err


def test_the_table_has_at_least_60_bad_invocations():
    assert len(CASES) + len(CHINESE_CASES) >= 60
    assert len({case_id for case_id, _, _ in CASES}) == len(CASES)


@pytest.mark.parametrize(("case_id", "template", "words"), CASES, ids=[c[0] for c in CASES])
def test_bad_invocation_exits_2_with_one_line(case_id, template, words, files, capsys):
    argv = _argv(template, files)
    code, err = _run(argv, capsys)
    assert code == 2, (argv, err)
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: "), err
    for word in words:
        assert word in lines[0], (word, err)
    if case_id in MAPPING_CASES:
        assert "calls_odd" not in lines[0], "a mapping error names the mapping file, not the data"
    out_folder = Path(files["dir"]).parent / "out"
    assert not out_folder.exists(), "nothing is written for a bad invocation"


@pytest.mark.parametrize(("case_id", "template"), CHINESE_CASES, ids=[c[0] for c in CHINESE_CASES])
def test_bad_invocation_speaks_the_chosen_language(case_id, template, files, capsys):
    argv = _argv(template, files)
    code, err = _run(argv, capsys)
    assert code == 2, (argv, err)
    lines = err.splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert lines[0].startswith("错误："), err
    assert HAN.search(lines[0][3:]), err
    if "mapping" in case_id:
        assert "map_" in lines[0] and "calls_odd" not in lines[0], err


def test_an_input_error_is_a_key_or_a_message_already_made():
    assert InputError("cli.empty_data").message("zh") == i18n.t("cli.empty_data", "zh")
    assert InputError("weather.csv: no date column").message("zh") == "weather.csv: no date column"
    assert InputError(text="已翻译").message("en") == "已翻译"


def test_control_characters_from_a_file_stay_escaped(files, capsys):
    """A header holding a right-to-left override cannot reorder the terminal's line."""
    code, err = _run(["kpis", files["newline_header.csv"]], capsys)
    assert code == 2
    assert "\u202e" not in err and err.count("\n") == 1
    assert "evil\\u202enam" in err


def test_group_names_from_the_file_are_printed_as_text(tmp_path, capsys):
    path = tmp_path / "calls.csv"
    path.write_text(
        "call_id,arrived_at,wait_s,answered,agent\n"
        '1,2025-03-03 09:00:00,5,Y,"ann\x1b[2J"\n'
        "2,2025-03-03 09:10:00,40,Y,bob\u202e\n",
        encoding="utf-8",
    )
    assert main(["kpis", str(path), "--by", "agent"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out
    assert "ann\\x1b[2J" in out and "bob\\u202e" in out


def test_one_line_escapes_every_line_break_and_control():
    text = "a\nb\r\nc\u2028d\u0085e\x1b[31mf\u202eg\th"
    assert _one_line(text) == "a\\nb\\r\\nc\\u2028d\\x85e\\x1b[31mf\\u202eg h"
    assert len(_one_line("x" * 10_000)) == 2000


@pytest.mark.parametrize(
    "template",
    [
        ["kpis", "{calls_good.csv}", "--sl-threshold", "nan", "--lang", "zh"],
        ["kpis", "{calls_odd.csv}", "--mapping", "{map_deep_array.json}"],
        ["report", "{garbage.csv}", "--out", "{tmp}/out"],
    ],
    ids=["zh-option", "deep-mapping", "garbage-report"],
)
def test_bad_invocation_in_a_real_process(template, files):
    result = subprocess.run(
        [sys.executable, "-m", "ccmetrics", *_argv(template, files)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stdout == ""


def test_good_mapping_still_loads(files, capsys):
    """The table's data and mapping are fine by themselves: the failures above are the options'."""
    code = main(["kpis", files["calls_odd.csv"], "--mapping", files["map_good.json"], "--json"])
    out = capsys.readouterr().out
    assert code == 0
    (row,) = json.loads(out)
    # Hand count: 3 offered, 2 answered (waits 5 and 12, both within 20 s), 1 abandoned
    # after 40 s (not short): SL = 2 / 3.
    assert row["offered"] == 3 and row["answered"] == 2
    assert row["service_level"] == pytest.approx(2 / 3)
    assert main(["kpis", files["calls_good.csv"], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["offered"] == 3


def test_sheet_picks_the_sheet_with_the_calls(files, capsys):
    """The same three calls (SL 2/3 by hand as above) read from the workbook's second sheet."""
    code = main(["kpis", files["two_sheets.xlsx"], "--sheet", "Calls", "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    (row,) = json.loads(captured.out)
    assert row["offered"] == 3 and row["service_level"] == pytest.approx(2 / 3)
