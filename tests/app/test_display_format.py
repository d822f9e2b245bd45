"""The display format of numbers in tables: the KPI format of ``ccmetrics.kpi``, no "-0",
no "None".

Hand values: 0.81764 as a percentage is 81.764 %, shown with one decimal 81.8; a
QA mean of 81.7 has one decimal on the tiles (``format_kpi``: "81.7") and so in
every table ("81.7", never "81.70"); -0.0004 as a percentage rounds to -0.04 %,
shown 0.0 (a table shows -0.0 as "-0").
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ccmetrics import i18n, kpi, sample
from pages import common
from tests.conftest import REPO_ROOT, sample_dir

#: Cell texts a table must never show.
BAD_CELL = re.compile(r"^(None|nan|NaN|<NA>|NaT|null|-0(\.0+)?( ?%| s| 秒)?)$")


def test_display_decimals_follow_the_kpi_format():
    assert kpi.display_decimals("service_level") == 1
    assert kpi.display_decimals("aht_s") == 0
    assert kpi.display_decimals("offered") == 0
    assert kpi.display_decimals("qa_mean") == 1
    assert kpi.display_decimals("csat_mean") == 2
    for name in ("qa_mean", "csat_mean", "service_level", "aht_s"):
        text = kpi.format_kpi(name, 81.7 if name != "service_level" else 0.817)
        shown = text.rstrip("%").split(" ")[0]
        places = len(shown.split(".")[1]) if "." in shown else 0
        assert places == kpi.display_decimals(name), (name, text)


def test_round_for_display_scales_rounds_and_never_gives_negative_zero():
    values = kpi.round_for_display([0.81764, -0.0004, np.nan], "service_level")
    assert values.iloc[0] == 81.8
    assert values.iloc[1] == 0.0 and not np.signbit(values.iloc[1])
    assert np.isnan(values.iloc[2])
    seconds = kpi.round_for_display(pd.Series([67.5, -0.4]), "aht_s")
    assert seconds.tolist() == [68.0, 0.0] and not np.signbit(seconds.iloc[1])
    assert kpi.round_for_display([81.74], "qa_mean").tolist() == [81.7]


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [(-0.0004, "percent", "0.0%"), (-0.3, "seconds", "0 s"), (-0.001, "score", "0.00")],
)
def test_format_number_never_writes_minus_zero(value, unit, expected):
    assert i18n.format_number(value, unit) == expected


def test_display_table_formats_qa_as_the_tiles_do():
    table = pd.DataFrame(
        {"queue": ["A", None], "qa_mean": [81.74, 80.0], "service_level": [-0.0004, 0.5]}
    )
    shown = common.display_table(table, ["queue"], kpis=("qa_mean", "service_level"))
    qa, sl = shown.columns[1], shown.columns[2]
    assert shown[qa].tolist() == [81.7, 80.0]
    assert not np.signbit(shown[sl].iloc[0])
    assert shown.attrs["decimals"] == {qa: 1, sl: 1}
    assert common.number_format(1) == "%.1f" and common.number_format(0) == "localized"


# ---------------------------------------------------------------- every table of every page


def _nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def table_problems(at: AppTest) -> list[tuple]:
    """Cells that read None/nan/-0, and KPI columns shown with other decimals than the tiles."""
    qa_header = i18n.EN["tile.qa_mean"]
    problems = []
    for node in _nodes(at._tree):
        if type(node).__name__ not in ("Dataframe", "Table"):
            continue
        frame = node.value
        columns = json.loads(node.proto.columns) if getattr(node.proto, "columns", "") else {}
        for column in frame.columns:
            values = frame[column]
            if pd.api.types.is_float_dtype(values):
                zeros = (values == 0) & np.signbit(values.fillna(1.0).astype(float))
                if zeros.any():
                    problems.append(("-0", column))
            else:
                text = values.astype(str)
                bad = text[text.str.match(BAD_CELL)]
                if len(bad):
                    problems.append(("cell", column, bad.unique()[:3].tolist()))
            if str(column) == qa_header:
                config = columns.get(str(column), {}).get("type_config", {})
                if config.get("format") not in (None, "%.1f"):
                    problems.append(("qa decimals", column, config.get("format")))
    return problems


@pytest.mark.parametrize(
    ("lang", "path"),
    [("en", path) for _, path, *_ in common.PAGES]
    + [("zh", "pages/overview_page.py"), ("zh", "pages/drilldown_page.py")],
)
def test_no_table_shows_none_minus_zero_or_other_decimals(monkeypatch, lang, path):
    monkeypatch.setattr(sample, "SAMPLE_DIR", sample_dir())
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(path).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not table_problems(at)


def test_drilldown_tables_keep_the_kpi_decimals_whatever_the_values(monkeypatch):
    """CSAT (a score: two decimals, as its tile) in the ranked tables: "%.2f" in every
    column, also where every value happens to be whole or one-decimal."""
    monkeypatch.setattr(sample, "SAMPLE_DIR", sample_dir())
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    at.query_params.update(
        {
            "page": "drill-down",
            "dd_metric": "csat_mean",
            "dd_start": "2025-03-11T09:00",
            "dd_end": "2025-03-11T12:00",
        }
    )
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    csat = i18n.EN["tile.csat_mean"]
    formats = {}
    for node in _nodes(at._tree):
        if type(node).__name__ == "Dataframe" and getattr(node.proto, "columns", ""):
            for column, config in json.loads(node.proto.columns).items():
                if column.startswith(csat):
                    formats[column] = config.get("type_config", {}).get("format")
    assert formats, "a ranked table with the CSAT columns"
    assert set(formats.values()) == {"%.2f"}, formats
