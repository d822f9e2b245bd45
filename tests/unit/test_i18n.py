"""The translation table: complete in both languages, every key the app uses exists, number formats.

Expected formatted values are hand-written from the rules in the docstrings
(percent with one decimal, seconds whole, counts with thousands separators).
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pandas as pd
import pytest

from ccmetrics import drill, engine_source, i18n, io, journey, kpi, kpis, report, targets
from ccmetrics.i18n import EN, ZH, format_change, format_number, t
from ccmetrics.io import problems as io_problems
from ccmetrics.schema import CALL_COLUMNS, INTERVAL_COLUMNS, KINDS, SL_FORMULAS

REPO = Path(__file__).resolve().parents[2]
UI_FILES = [REPO / "app.py", *sorted((REPO / "pages").rglob("*.py"))]
TRANSLATE_FUNCTIONS = {"tr", "t"}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_both_languages_have_every_key():
    assert set(EN) - set(ZH) == set(), "keys missing in Chinese"
    assert set(ZH) - set(EN) == set(), "keys missing in English"


def test_no_empty_translation_and_same_placeholders():
    for key in EN:
        assert EN[key].strip() and ZH[key].strip(), key
        assert _placeholders(EN[key]) == _placeholders(ZH[key]), key


# Chinese values allowed to equal the English ones: symbols, formulas and names that are
# written the same way in Chinese UIs.
SAME_IN_BOTH = {
    "sidebar.language",  # "Language · 语言": bilingual on purpose, so anyone finds it
    "unit.missing",  # "–"
    "data.download_parquet",  # a file format name
    "header.percent",  # "{name} (%)" vs "{name}(%)": no space in Chinese (narrow table headers)
}


def test_chinese_values_are_translated():
    untranslated = [key for key in EN if EN[key] == ZH[key] and key not in SAME_IN_BOTH]
    assert untranslated == []
    han = re.compile(r"[\u4e00-\u9fff]")
    # "**{kpi}**：{columns}" holds only placeholders and a full-width colon, "{name} {kpi}（{direction}）"
    # placeholders and full-width brackets; the separators of lists and clauses in running text
    # are a full-width comma and semicolon; "{first}{second}" joins two Chinese sentences
    # without the space English puts between them
    structural = {
        "overview.hidden_item",
        "compare.gaps.item",
        "compare.list_sep",
        "compare.clause_sep",
        "drill.two_sentences",
        "compare.two_sentences",
        # the report's finding title "{date}（{weekday}）：{kpi} {value}" and the full-width comma
        # between the effects of the staffing split
        "report.doc.finding.title",
        "report.doc.effects_sep",
        # the end of a list of names: "{items}、{last}"
        "drill.list_and",
    }
    no_chinese = [
        key
        for key, value in ZH.items()
        if not han.search(value) and key not in SAME_IN_BOTH | structural
    ]
    assert no_chinese == []


def test_kpi_names_use_the_terms_chinese_call_centers_use():
    # The terms Chinese call centers use: 服务水平, 接通率, 放弃率, 平均应答速度, 平均处理时长, 首次解决率, 满意度, 质检得分.
    assert ZH["kpi.service_level"] == "服务水平"
    assert ZH["kpi.answer_rate"] == "接通率"
    assert ZH["kpi.abandon_rate"] == "放弃率"
    assert ZH["kpi.asa_s"] == "平均应答速度"
    assert ZH["kpi.aht_s"] == "平均处理时长"
    assert ZH["kpi.transfer_rate"] == "转接率"
    assert ZH["kpi.fcr_rate"] == "首次解决率"
    assert ZH["kpi.csat_mean"].startswith("满意度")
    assert ZH["kpi.qa_mean"] == "质检得分"
    assert ZH["kpi.occupancy"] == "占用率"


def test_t_fills_placeholders_and_rejects_unknown_keys():
    assert t("tile.n", "en", n="1,234") == "n = 1,234"
    assert t("tile.n", "zh", n="1,234") == "样本量 n = 1,234"
    assert t("kpi.service_level", "xx") == "Service level"  # unknown language -> English
    with pytest.raises(KeyError):
        t("no.such.key", "en")
    assert i18n.has_key("kpi.offered", "zh") and not i18n.has_key("no.such.key", "zh")


# ---------------------------------------------------------------- keys used by the app


def _translation_calls(path: Path):
    """(literal key or None, constant prefix of an f-string key) of every tr()/t() call."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        name = (
            func.id
            if isinstance(func, ast.Name)
            else func.attr
            if isinstance(func, ast.Attribute)
            else None
        )
        if name == "labeller" and isinstance(node.args[0], ast.Constant):
            yield None, node.args[0].value  # common.labeller("kind.") translates "kind." + option
            continue
        if name not in TRANSLATE_FUNCTIONS:
            continue
        first = node.args[0]
        if isinstance(first, ast.Constant) and isinstance(first.value, str):
            yield first.value, None
        elif isinstance(first, ast.JoinedStr):
            prefix = first.values[0].value if isinstance(first.values[0], ast.Constant) else ""
            yield None, prefix


def test_ui_files_are_scanned():
    names = {p.relative_to(REPO).as_posix() for p in UI_FILES}
    assert {
        "app.py",
        "pages/common/sidebar.py",
        "pages/common/mapping_editor.py",
        "pages/overview_page.py",
        "pages/data_page.py",
    } <= names
    literal_keys = {key for path in UI_FILES for key, _ in _translation_calls(path) if key}
    assert len(literal_keys) > 80  # the scan really finds the app's keys


def test_every_literal_key_used_by_the_app_is_defined():
    missing = sorted(
        f"{path.name}: {key}"
        for path in UI_FILES
        for key, _ in _translation_calls(path)
        if key is not None and key not in EN
    )
    assert missing == []


# Every dynamic key family the UI builds with an f-string, and the values it can take.
PAGE_KEYS = ("overview", "control_charts", "drilldown", "teams", "staffing", "report", "data")
MAPPING_EXTRA = (
    "arrival_date",
    "arrival_time",
    "queued_at",
    "answered_at",
    "outcome",
    "direction",
    "interval_date",
    "interval_time",
    "day_index",
    "staffed_s",
    "asa_s",
    "avg_talk_s",
    "avg_hold_s",
    "avg_acw_s",
    "aht_s",
    "avg_abandon_wait_s",
)


def _documented_codes(marker: str) -> set[str]:
    """Problem codes of the table in ccmetrics.io's docstring, or its LoadError code list."""
    doc = io.__doc__
    if marker == "problem":
        table = doc.split("Problem codes", 1)[1].split(":class:`LoadError`", 1)[0]
        return set(re.findall(r"^([a-z_]+)\s+(?:info|warning|error)\b", table, flags=re.M))
    tail = doc.split(":class:`LoadError` carries", 1)[1]
    return set(re.findall(r"``([a-z_]+)``", tail)) - {"code", "params"}


FAMILIES = {
    "kpi.": [*kpi.KPI_COLUMNS, *kpi.BASE_COLUMNS],
    "tile.": list(kpis.TILE_KPIS),
    "kpi_help.": list(kpis.TILE_KPIS),
    "formula.": list(SL_FORMULAS),
    "formula_expr.": list(SL_FORMULAS),
    "header.": ["answered", "occupancy", "percent", "seconds"],
    "header.short.": ["asa_s", "aht_s", "fcr_rate"],
    "kind.": list(KINDS),
    "dim.": list(drill.DRILL_DIMENSIONS),
    "weekday.": [str(d) for d in range(7)],
    "nav.": list(PAGE_KEYS),
    "field.": sorted({*CALL_COLUMNS, *INTERVAL_COLUMNS, *MAPPING_EXTRA}),
    "level.": ["error", "warning", "info"],
    "error.": sorted(_documented_codes("error")),
    "problem.": sorted(_documented_codes("problem")),
    "data.fix.": list(io_problems.MAPPING_FIXES),
    "data.drop_reason.": list(io_problems.DROP_CODES),
    "dd.error_": list(drill.ERROR_CODES),
    "driver.": list(report.KNOWN_DRIVERS),
    "journey.stage.": list(journey.STAGES),
    "journey.level.": list(journey.MENU_LEVELS),
    "targets.light.": list(targets.LIGHTS),
    "targets.direction.": list(targets.DIRECTIONS),
    "targets.verdict.": list(targets.VERDICTS),
    "targets.error.": list(targets.ERROR_CODES),
    "data.engine_error.": list(engine_source.ERROR_CODES),
    "data.engine_name.": list(engine_source.ENGINES),
}


def test_drill_error_codes_list_every_code_drill_raises():
    """The dd.error_ family is complete only if drill.ERROR_CODES names every raised code."""
    source = "\n".join(
        path.read_text(encoding="utf-8")
        for path in sorted(Path(drill.__file__).parent.glob("*.py"))
    )
    raised = set(re.findall(r'_InputError\(\s*(?:f?"[^"]*"\s*)+,\s*"([a-z_]+)"', source))
    assert raised, "the scan should find the codes drill raises"
    assert raised <= set(drill.ERROR_CODES)


def test_every_dynamic_key_family_is_covered():
    used_prefixes = {
        prefix for path in UI_FILES for key, prefix in _translation_calls(path) if key is None
    }
    # the two generic helpers build keys from a prefix given by their callers (scanned as labeller(...))
    used_prefixes.discard("")
    assert used_prefixes, "the scan should find f-string keys such as kpi.{name}"
    assert used_prefixes - set(FAMILIES) == set(), "an f-string key family has no completeness test"


@pytest.mark.parametrize("prefix", sorted(FAMILIES))
def test_dynamic_key_family_is_complete(prefix):
    values = FAMILIES[prefix]
    assert values, prefix
    missing = [prefix + value for value in values if prefix + value not in EN]
    assert missing == []


def test_columns_named_in_hidden_kpi_notes_are_translated():
    """The Overview lists the columns that would enable a hidden KPI: each has a name."""
    empty_calls = pd.DataFrame(
        {"arrived_at": pd.to_datetime([]), "wait_s": [], "answered": [], "abandoned": []}
    )
    empty_intervals = pd.DataFrame(
        {"interval_start": pd.to_datetime([]), "interval_minutes": [], "offered": []}
    )
    named = {
        c
        for frame in (empty_calls, empty_intervals)
        for cols in kpi.missing_inputs(frame).values()
        for c in cols
    }
    assert {"csat", "csat_sum", "talk_s"} <= named  # the scan sees both kinds
    assert sorted(c for c in named if f"field.{c}" not in EN) == []


def test_loader_codes_are_found_in_its_docstring():
    # guards the docstring parsing above: a few codes that must be there
    assert {"duplicate_call_id", "abandoned_zero_wait", "unmapped_columns"} <= _documented_codes(
        "problem"
    )
    assert {"no_time_column", "empty_file", "bad_mapping_file"} <= _documented_codes("error")


def test_kpi_units_match_the_kpi_engine():
    # the formats below key on ccmetrics.kpi.KPI_UNITS; every unit it uses is handled
    assert set(kpi.KPI_UNITS.values()) <= {"percent", "seconds", "count", "score"}


# ---------------------------------------------------------------- number formats


@pytest.mark.parametrize(
    ("value", "unit", "lang", "expected"),
    [
        (0.8176, "percent", "en", "81.8%"),  # 81.76 rounds to 81.8
        (0.8176, "percent", "zh", "81.8%"),
        (1.0, "percent", "en", "100.0%"),
        (67.52, "seconds", "en", "68 s"),  # whole seconds
        (67.52, "seconds", "zh", "68 秒"),
        (5000, "count", "en", "5,000"),
        (1234567.0, "count", "zh", "1,234,567"),
        (4.012, "score", "en", "4.01"),
        (float("nan"), "percent", "en", "–"),  # a rate with n = 0 is missing, never 0
        (None, "seconds", "zh", "–"),
    ],
)
def test_format_number(value, unit, lang, expected):
    assert format_number(value, unit, lang) == expected


@pytest.mark.parametrize(
    ("change", "unit", "lang", "expected"),
    [
        (0.0123, "percent", "en", "+1.2 pp"),  # 0.0123 = 1.23 points
        (-0.0456, "percent", "zh", "-4.6 个百分点"),
        (-0.0004, "percent", "en", "0.0 pp"),  # rounds to zero: no change, neither "-" nor "+"
        (0.0004, "percent", "zh", "0.0 个百分点"),
        (0.4, "seconds", "en", "0 s"),
        (-0.004, "score", "en", "0.00"),
        (-3.4, "seconds", "zh", "-3 秒"),
        (12.5, "seconds", "en", "+12 s"),  # round half to even: 12.5 -> 12
        (1204, "count", "en", "+1,204"),
        (-0.126, "score", "en", "-0.13"),
        (float("nan"), "percent", "en", None),
    ],
)
def test_format_change(change, unit, lang, expected):
    assert format_change(change, unit, lang) == expected


def test_decimals_can_be_overridden():
    # a QA score on a 0-100 scale reads better with one decimal: 82.634 -> 82.6, +0.372 -> +0.4
    assert format_number(82.634, "score", "en", decimals=1) == "82.6"
    assert format_change(0.372, "score", "en", decimals=1) == "+0.4"
    assert format_change(0.01234, "percent", "zh", decimals=2) == "+1.23 个百分点"
