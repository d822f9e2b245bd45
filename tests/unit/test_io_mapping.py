"""The mapping file's schema: :func:`ccmetrics.io.validate_mapping` and :func:`ccmetrics.io.read_mapping`.

Valid mappings are the ones the project writes (the bundled bank mapping, what ``load``
returns, every documented option); each invalid one breaks exactly one rule of the
schema and must raise its code, with the mapping file (never the data file) in the
message, in the command line and in the app.
"""

from __future__ import annotations

import io as bytes_io
import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ccmetrics import i18n, io
from ccmetrics.io import MappingError, read_mapping, save_mapping, validate_mapping
from ccmetrics.io.parse import _UNIT_FACTOR
from ccmetrics.text import escape_markdown
from tests.conftest import REPO_ROOT

BANK_MAPPING = REPO_ROOT / "ccmetrics" / "mappings" / "technion_anonymous_bank.json"

#: One mapping using every documented option with a valid value.
EVERY_OPTION = {
    "call_id": ["line", "id"],
    "arrived_at": ["date", "time"],
    "wait_s": "wait",
    "agent": "server",
    "segment": "priority",
    "talk_s": None,
    "options": {
        "missing_values": {"agent": ["NO_SERVER"], "arrived_at": ["0:00:00"]},
        "truncate": {"channel": 4},
        "recode": {"segment": {"0": "regular", "2": "priority"}},
        "units": {"wait_s": "min"},
        "datetime_format": "%y%m%d %H:%M:%S",
        "day_index_start": "2024-01-01",
        "dayfirst": False,
    },
}


def test_the_mappings_the_project_writes_are_valid(tmp_path):
    bank = read_mapping(BANK_MAPPING)
    assert bank["call_id"] == ["vru+line", "call_id"]
    assert validate_mapping(EVERY_OPTION) is EVERY_OPTION
    assert validate_mapping({"options": {"missing_values": ["n/a", "-"]}})
    assert validate_mapping({}) == {}
    path = tmp_path / "every_option.json"
    save_mapping(EVERY_OPTION, path)
    assert read_mapping(path) == EVERY_OPTION
    # what load returns (guessed from the headers) is a valid mapping file once saved
    result = io.load(b"call_id,date,time,wait_s,answered\n1,2025-03-03,09:00:00,5,Y\n")
    assert validate_mapping(json.loads(json.dumps(result.mapping))) == result.mapping


def test_read_mapping_accepts_a_bom_text_and_file_objects():
    text = json.dumps({"wait_s": "排队时长"}, ensure_ascii=False)
    assert read_mapping(b"\xef\xbb\xbf" + text.encode("utf-8")) == {"wait_s": "排队时长"}
    assert read_mapping(bytes_io.StringIO(text)) == {"wait_s": "排队时长"}
    named = bytes_io.BytesIO(text.encode("utf-8"))
    named.name = "uploads/my_mapping.json"
    assert read_mapping(named) == {"wait_s": "排队时长"}


#: (mapping object, code it must raise)
INVALID = [
    ([[[[["when"]]]]], "mapping_too_deep"),
    ({"options": {"recode": {"agent": {"a": {"b": "c"}}}}}, "mapping_too_deep"),
    (["when"], "bad_mapping_file"),
    ("when", "bad_mapping_file"),
    (None, "bad_mapping_file"),
    ({"arival_time": "when"}, "mapping_unknown_key"),
    ({"wait_s": 12}, "mapping_bad_column"),
    ({"wait_s": ["a", "b"]}, "mapping_bad_column"),
    ({"agent": {"column": "x"}}, "mapping_bad_column"),
    ({"arrived_at": ["date"]}, "mapping_bad_pair"),
    ({"queued_at": ["d", "t", "x"]}, "mapping_bad_pair"),
    ({"answered_at": [1, 2]}, "mapping_bad_pair"),
    ({"call_id": []}, "mapping_bad_columns"),
    ({"call_id": ["a"] * 9}, "mapping_bad_columns"),
    ({"customer_id": [None]}, "mapping_bad_columns"),
    ({"options": "dayfirst"}, "mapping_bad_options"),
    ({"options": ["dayfirst"]}, "mapping_bad_options"),
    ({"options": {"timezone": "+08:00"}}, "mapping_unknown_option"),
    ({"options": {"missing_values": "n/a"}}, "mapping_bad_missing_values"),
    ({"options": {"missing_values": [0]}}, "mapping_bad_missing_values"),
    ({"options": {"missing_values": {"nobody": ["x"]}}}, "mapping_bad_missing_values"),
    ({"options": {"truncate": {"agent": 0}}}, "mapping_bad_truncate"),
    ({"options": {"truncate": {"agent": True}}}, "mapping_bad_truncate"),
    ({"options": {"truncate": {"wait_s": 3}}}, "mapping_bad_truncate"),
    ({"options": {"truncate": [4]}}, "mapping_bad_truncate"),
    ({"options": {"recode": {"agent": "x"}}}, "mapping_bad_recode"),
    ({"options": {"recode": {"wait_s": {"a": "b"}}}}, "mapping_bad_recode"),
    ({"options": {"recode": {"agent": {"a": 1}}}}, "mapping_bad_recode"),
    ({"options": {"units": {"wait_s": "parsec"}}}, "mapping_bad_units"),
    ({"options": {"units": {"nobody": "s"}}}, "mapping_bad_units"),
    ({"options": {"datetime_format": "YYYY-MM-DD"}}, "mapping_bad_datetime_format"),
    ({"options": {"datetime_format": ["%Y"]}}, "mapping_bad_datetime_format"),
    ({"options": {"day_index_start": "2024-02-30"}}, "mapping_bad_day_index_start"),
    ({"options": {"day_index_start": "1000-01-01"}}, "mapping_bad_day_index_start"),
    ({"options": {"day_index_start": 20240101}}, "mapping_bad_day_index_start"),
    ({"options": {"dayfirst": "yes"}}, "mapping_bad_dayfirst"),
    ({"options": {"dayfirst": 1}}, "mapping_bad_dayfirst"),
]


@pytest.mark.parametrize(
    ("mapping", "code"), INVALID, ids=[f"{c}-{i}" for i, (_, c) in enumerate(INVALID)]
)
def test_each_rule_has_its_code_and_names_the_mapping_file(mapping, code):
    with pytest.raises(MappingError) as info:
        validate_mapping(mapping, "their_mapping.json")
    error = info.value
    assert error.code == code
    assert isinstance(error, io.LoadError)
    assert error.params["file"] == "their_mapping.json"
    assert "their_mapping.json" in str(error)
    # the app and the command line translate it: both languages hold the code
    for lang in ("en", "zh"):
        assert i18n.has_key(f"error.{code}", lang)


#: (file content, code) for what goes wrong before the schema: bytes and JSON
UNREADABLE = [
    (b"\xff\xfe{\x00}\x00", "mapping_not_utf8"),
    ('{"arrived_at": "来电时间"}'.encode("gbk"), "mapping_not_utf8"),
    (b"", "mapping_not_json"),
    (b'{"arrived_at": "when",}', "mapping_not_json"),
    (b'{"options": {"truncate": {"agent": NaN}}}', "mapping_not_json"),
    (b'{"options": {"truncate": {"agent": -Infinity}}}', "mapping_not_json"),
    (b'{"wait_s": "a", "wait_s": "b"}', "mapping_duplicate_key"),
    (b"[" * 50_000 + b"]" * 50_000, "mapping_too_deep"),
    (b'{"options": {"truncate": {"agent": ' + b"7" * 5000 + b"}}}", "mapping_huge_number"),
    (b" " * (io.MAPPING_MAX_BYTES + 1), "mapping_too_large"),
]


@pytest.mark.parametrize(
    ("content", "code"), UNREADABLE, ids=[f"{c}-{i}" for i, (_, c) in enumerate(UNREADABLE)]
)
def test_unreadable_mapping_files(content, code, tmp_path):
    path = tmp_path / "broken_mapping.json"
    path.write_bytes(content)
    with pytest.raises(MappingError) as info:
        read_mapping(path)
    assert info.value.code == code
    assert info.value.params["file"] == "broken_mapping.json"
    assert "broken_mapping.json" in str(info.value)


def test_json_errors_say_where(tmp_path):
    path = tmp_path / "m.json"
    path.write_text('{\n  "wait_s": "a",\n  "agent": NaN\n}', encoding="utf-8")
    with pytest.raises(MappingError) as info:
        read_mapping(path)
    assert (info.value.params["line"], info.value.params["column"]) == (3, 12)


def test_missing_folder_and_endless_files(tmp_path):
    with pytest.raises(MappingError) as info:
        read_mapping(tmp_path / "nope.json")
    assert info.value.code == "mapping_not_found" and "nope.json" in str(info.value)
    with pytest.raises(MappingError) as info:
        read_mapping(tmp_path)
    assert info.value.code == "mapping_is_folder"
    if Path("/dev/zero").exists():  # read up to the cap, never to the end
        with pytest.raises(MappingError) as info:
            read_mapping("/dev/zero")
        assert info.value.code == "mapping_too_large"


def test_the_schema_matches_the_loader():
    # every unit the loader converts, and no other
    assert set(io.mapping._UNIT_NAMES) == set(_UNIT_FACTOR)
    # every option is the one documented in the package docstring, in its order
    documented = re.findall(r"^\* ``([a-z_]+)``:", io.__doc__.split("may also carry")[1], re.M)
    assert tuple(documented) == io.MAPPING_OPTIONS
    # every option the loader reads is one the schema lets through (a new option must be
    # added to the schema, or every mapping file using it would be refused)
    source = "".join(
        path.read_text(encoding="utf-8") for path in Path(io.__file__).parent.glob("*.py")
    )
    read = set(re.findall(r"options(?:\.get\(|\[)\s*\"([a-z_]+)\"", source))
    assert read and read <= set(io.MAPPING_OPTIONS), read - set(io.MAPPING_OPTIONS)


def test_load_accepts_a_mapping_the_schema_accepts():
    data = (
        "id,date,time,wait,server,ok\n"
        "7,2025-03-03,09:00:00,1.5,NO_SERVER,N\n"
        "8,2025-03-03,09:05:00,0.5,ann,Y\n"
    )
    mapping = validate_mapping(
        {
            "call_id": "id",
            "arrived_at": ["date", "time"],
            "wait_s": "wait",
            "agent": "server",
            "answered": "ok",
            "options": {"units": {"wait_s": "min"}, "missing_values": {"agent": ["NO_SERVER"]}},
        }
    )
    frame = io.load(data.encode(), mapping).frame
    # 1.5 and 0.5 minutes; NO_SERVER is a missing agent
    assert frame["wait_s"].tolist() == [90.0, 30.0]
    assert frame["agent"].isna().tolist() == [True, False]


# --------------------------------------------------------------------------- the app


def test_the_app_refuses_a_bad_mapping_file_naming_it(monkeypatch):
    """Data page, Chinese: a mapping file with a bad option is refused, by its name."""
    from ccmetrics import sample
    from tests.conftest import sample_dir

    monkeypatch.setattr(sample, "SAMPLE_DIR", sample_dir())
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "zh"
    at.run()
    at.switch_page("pages/data_page.py").run()
    data = b"call_id,arrived_at,wait_s,answered\n1,2025-03-03 09:00:00,5,Y\n2,2025-03-03 09:10:00,40,N\n"
    at.file_uploader(key="uploader").set_value(("calls_today.csv", data, "text/csv")).run()
    bad = b'{"arrived_at": "arrived_at", "options": {"truncate": {"agent": -1}}}'
    at.file_uploader(key="mapping_uploader").set_value(
        ("team_mapping.json", bad, "application/json")
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]  # Markdown source: names from files come escaped
    mapping_name, data_name = escape_markdown("team_mapping.json"), escape_markdown("calls_today")
    assert any(mapping_name in text and "truncate" in text for text in errors), errors
    assert all(data_name not in text and "calls_today" not in text for text in errors), errors
    assert any(re.search(r"[\u4e00-\u9fff]", text) for text in errors)
    assert at.session_state["upload"].get("mapping") in (None, {})
