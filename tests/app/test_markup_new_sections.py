"""Nothing from a file is markup in the roster, targets, quality, journey and people views.

Calls, an agent roster and a targets file whose agent, team, evaluator, category and
unit names (and file names) are Markdown, HTML, LaTeX-like and spreadsheet-formula
strings are put in the session as the Data page and the sidebar put them; the
Overview, Teams and Data pages are rendered. Every string handed to Streamlit's
Markdown renderer must hold no such name as written, only its escaped form
(:func:`ccmetrics.text.escape_markdown`, checked as ``tests/app/test_markup.py``
does), and the page must raise nothing. Uploads through the roster and targets
uploaders whose file names and bad cells are markup show their errors as text.
The CSV downloads of the new sections neutralise formula cells.
"""

from __future__ import annotations

import hashlib
import io as bytes_io

import numpy as np
import pandas as pd
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from ccmetrics import i18n, io, people, sample, schema, targets
from ccmetrics.text import escape_markdown
from tests.app.test_markup import RENDERER, _as_written, markdown_sources, shown_text
from tests.conftest import REPO_ROOT
from tests.hostile.make_people_corpus import MARKUP
from tests.payload_data import PAYLOADS, payload_calls

TIMEOUT_S = 120
#: Names that are markup (``-2+3`` of MARKUP is a formula for a spreadsheet, not Markdown).
NAMES = tuple(m for m in (*MARKUP, *PAYLOADS) if escape_markdown(m) != m)
CALLS_FILE = "<b>calls</b> [c](e.example).parquet"
ROSTER_FILE = "**roster** ![r](r.png) <img src=x onerror=alert(1)>.csv"  # no "/" in a file name
TARGETS_FILE = "$t$ <i>targets</i>.csv"
RAW = (*NAMES, CALLS_FILE, ROSTER_FILE, TARGETS_FILE)
#: First characters that make a spreadsheet run a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@")


def _names(n: int) -> list[str]:
    """``n`` distinct markup names (the markup strings, then numbered)."""
    return [NAMES[i % len(NAMES)] + ("" if i < len(NAMES) else f" {i}") for i in range(n)]


@pytest.fixture(scope="module")
def calls(sample_folder):
    """The sample with markup teams, categories, agents (payload_calls), evaluators and,
    where the schema has them, cost and quality flags and IVR menu paths."""
    frame = payload_calls(io.load(sample_folder / "calls.parquet").frame)
    rng = np.random.default_rng(18)
    agents = sorted(frame["agent"].dropna().astype(str).unique())
    # every fourth agent's name is also markup (the first of each team already is)
    renamed = dict(zip(agents[1::4], _names(len(agents[1::4])), strict=True))
    frame["agent"] = frame["agent"].astype(str).map(lambda a: renamed.get(a, a))
    frame["agent"] = frame["agent"].where(frame["answered"].fillna(False).astype(bool))
    columns = schema.CALL_COLUMNS
    if "evaluator" in columns:
        scored = frame["qa_score"].notna()
        frame["evaluator"] = pd.Series(
            np.array(NAMES, dtype=object)[rng.integers(0, 4, len(frame))], index=frame.index
        ).where(scored)
    if "complaint" in columns:
        frame["complaint"] = rng.random(len(frame)) < 0.03
    if "business_error" in columns:
        frame["business_error"] = (rng.random(len(frame)) < 0.05) & frame["answered"].astype(bool)
    if "entry_completeness" in columns:
        frame["entry_completeness"] = rng.uniform(0.6, 1.0, len(frame))
    if "cost" in columns:
        frame["cost"] = rng.uniform(2.0, 6.0, len(frame)).round(2)
    if "ivr_path" in columns:
        top = rng.integers(0, len(NAMES), len(frame))
        frame["ivr_path"] = [f"{NAMES[t]} > {NAMES[(t + 1) % len(NAMES)]}" for t in top]
    for column in ("agent", "team", "category", "evaluator"):
        if column in frame:
            frame[column] = frame[column].astype("category")
    return frame


@pytest.fixture(scope="module")
def roster(calls):
    """A roster of every agent of the calls (markup names, markup teams), read from CSV."""
    team_of = calls.dropna(subset=["agent"]).groupby("agent", observed=True)["team"].first()
    rows = pd.DataFrame(
        {
            "agent": team_of.index.astype(str),
            "team": team_of.astype(str).to_numpy(),
            "start_date": [f"20{18 + i % 6}-0{1 + i % 9}-15" for i in range(len(team_of))],
            "leave_date": ["2025-02-28" if i % 7 == 3 else "" for i in range(len(team_of))],
        }
    )
    source = bytes_io.BytesIO(rows.to_csv(index=False).encode("utf-8"))
    source.name = ROSTER_FILE
    frame = people.read_roster(source)
    assert set(frame["agent"]) == set(team_of.index.astype(str))
    return frame


@pytest.fixture(scope="module")
def goals(calls):
    """A targets file with team and agent targets for markup units, read from CSV."""
    teams = sorted(calls["team"].dropna().astype(str).unique())
    agents = [a for a in calls["agent"].dropna().astype(str).unique() if a in set(NAMES)]
    rows = [{"kpi": "aht_s", "level": "organisation", "unit": "", "target": "360"}]
    rows += [{"kpi": "aht_s", "level": "team", "unit": t, "target": "340"} for t in teams]
    rows += [{"kpi": "qa_mean", "level": "agent", "unit": a, "target": "85"} for a in agents]
    data = pd.DataFrame(rows).to_csv(index=False).encode("utf-8")
    table = targets.read_targets(data, name=TARGETS_FILE)
    assert set(table.loc[table["level"] == "team", "unit"]) == set(teams)
    return table


@pytest.fixture
def app(sample_folder, monkeypatch, calls, roster, goals):
    monkeypatch.setattr(sample, "SAMPLE_DIR", sample_folder)
    buffer = bytes_io.BytesIO()
    calls.to_parquet(buffer, index=False)
    data = buffer.getvalue()
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT_S)
    at.session_state["upload"] = {
        "name": CALLS_FILE,
        "digest": hashlib.sha256(data).hexdigest(),
        "data": data,
        "mapping": None,
        "kind": None,
    }
    at.session_state["roster"] = {"name": ROSTER_FILE, "digest": "r" * 64, "frame": roster}
    at.session_state["_targets_file"] = {"name": TARGETS_FILE, "table": goals}
    return at


def assert_no_markup(at: AppTest) -> list[str]:
    """No markup name as written in any Markdown the run produced; the texts readers see."""
    assert not at.exception, [e.value for e in at.exception]
    sources = markdown_sources(at)
    offenders = [
        (where, text[:160]) for where, text in sources for raw in RAW if _as_written(raw, text)
    ]
    assert not offenders, offenders
    for where, text in sources:
        rendered = RENDERER.render(text)
        assert "<img" not in rendered and "<a " not in rendered, (where, text)
        assert "<script" not in rendered and "<b>" not in rendered, (where, text)
    return [shown_text(text) for _, text in sources]


@pytest.mark.parametrize(
    "page", ["pages/overview_page.py", "pages/teams_page.py", "pages/data_page.py"]
)
def test_names_from_calls_roster_and_targets_are_text(app, page):
    app.run()
    at = app.switch_page(page).run()
    shown = assert_no_markup(at)
    # the targets file is named in the sidebar as its own text
    assert any(TARGETS_FILE in text for text in shown), "the targets file is not named"
    if page.endswith("data_page.py"):
        assert any(ROSTER_FILE in text for text in shown), "the roster file is not named"


def test_the_new_sections_hold_the_markup_names(app):
    """The check above is not empty: the Teams page's targets, attrition and calibration
    tables (plain-text cells) hold the markup agents, teams and evaluators."""
    app.run()
    at = app.switch_page("pages/teams_page.py").run()
    assert not at.exception, [e.value for e in at.exception]
    tables = [node.value for node in at.dataframe]
    columns = {
        "targets": i18n.EN["targets.col_others_verdict"],
        "attrition by team": i18n.EN["people.col.team"],
        "calibration": i18n.EN["people.cal.col.evaluator"],
    }
    if "evaluator" not in schema.CALL_COLUMNS:
        columns.pop("calibration")
    for section, column in columns.items():
        found = [t for t in tables if column in t.columns]
        assert found, f"no {section} table"
        cells = set(found[0].astype(str).to_numpy().ravel())
        assert cells & set(NAMES), (section, sorted(cells)[:10])


def test_a_roster_upload_error_names_markup_as_text(app):
    app.run()
    at = app.switch_page("pages/data_page.py").run()
    bad = "agent,team,start_date,leave_date\n**A1**,T,2020-01-01,\n<b>A2</b>,T,[d](https://e.example),\n"
    at = (
        at.file_uploader(key="roster_uploader")
        .set_value((ROSTER_FILE, bad.encode(), "text/csv"))
        .run()
    )
    shown = assert_no_markup(at)
    error = next(text for text in shown if "[d](https://e.example)" in text)
    assert ROSTER_FILE in error and "3" in error  # the file, and its row 3


def test_a_targets_upload_error_names_markup_as_text(app):
    at = app.run()
    bad = 'kpi,level,unit,target\naht_s,"<b>galaxy</b>",**x**,300\n'
    at = (
        at.file_uploader(key="targets_upload")
        .set_value((TARGETS_FILE, bad.encode(), "text/csv"))
        .run()
    )
    shown = assert_no_markup(at)
    error = next(text for text in shown if "<b>galaxy</b>" in text)
    assert TARGETS_FILE in error


def test_ivr_menu_paths_are_text(app, calls):
    """IVR menu paths (``ivr_path``) are markup names in the Overview's journey section."""
    if "ivr_path" not in schema.CALL_COLUMNS:
        pytest.skip("the schema has no ivr_path column yet")
    at = app.run()
    assert_no_markup(at)
    first = str(calls["ivr_path"].iloc[0]).split(" > ")[0]
    # the menu table (a dataframe: cells are text, never markup) names the option as written
    cells = [str(v) for table in at.dataframe for v in table.value.to_numpy().ravel()]
    assert any(first in cell for cell in cells), "the menu table names no option"


# --------------------------------------------------------------------------- CSV downloads


def _recorded_downloads(monkeypatch) -> dict[str, bytes]:
    """{key: bytes} of every CSV download button the runs draw."""
    captured: dict[str, bytes] = {}
    original = streamlit.download_button

    def recording(label, data, *args, **kwargs):
        name = str(kwargs.get("file_name") or "")
        if name.endswith(".csv"):
            captured[str(kwargs.get("key") or label)] = data() if callable(data) else data
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", recording)
    return captured


def _formula_cells(data: bytes) -> list[str]:
    table = pd.read_csv(bytes_io.BytesIO(data), dtype=str, keep_default_na=False)
    cells = [*map(str, table.columns), *table.to_numpy().ravel().tolist()]
    # a number (-0.5, -12) is written as a number; any other cell must not start a formula
    return [
        c
        for c in cells
        if c.startswith(FORMULA_STARTS) and pd.to_numeric(pd.Series([c]), errors="coerce").isna()[0]
    ]


def test_csv_downloads_of_the_new_sections_neutralise_formulas(app, monkeypatch):
    captured = _recorded_downloads(monkeypatch)
    app.run()
    app.switch_page("pages/teams_page.py").run()
    assert "targets_csv" in captured, sorted(captured)
    text = captured["targets_csv"].decode("utf-8-sig")
    # the markup agents are in the file, each formula name with its leading quote
    assert "'=HYPERLINK(" in text or "'@SUM(1+1)" in text or "'+cmd" in text, text[:500]
    # every CSV the Overview and Teams pages offer is as safe
    app.switch_page("pages/overview_page.py").run()
    for key, data in captured.items():
        assert not _formula_cells(data), (key, _formula_cells(data)[:5])
