"""Nothing from a file is markup: AppTests of every page on the payload data set.

The data set (``tests/payload_data.py``) is the bundled sample whose queues, teams,
categories, segments, some agents and the file name are Markdown, HTML, LaTeX and
Streamlit-directive payloads. Every string the app hands Streamlit's Markdown
renderer (Markdown, captions, alert boxes, headings, ``st.table`` cells and
headers, widget labels and help, radio and button-group options, tab, expander
and status labels) must hold no payload as written: only its escaped form
(:func:`ccmetrics.text.escape_markdown`), which renders as the payload's text.
Selectbox and multiselect options and ``st.dataframe`` cells are plain text in
Streamlit and are not checked.
"""

from __future__ import annotations

import hashlib
import html
import re

import pandas as pd
import pytest
from google.protobuf.message import Message
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from ccmetrics import sample
from ccmetrics.text import WORD_JOINER, escape_markdown
from pages import common
from pages.drilldown_page import encode_path
from tests.payload_data import FILE_NAME, PAYLOADS, payload_calls, payload_upload

TIMEOUT_S = 90
#: Proto fields Streamlit renders as Markdown (text of elements, labels, help, options).
MARKDOWN_FIELDS = {"body", "label", "help", "options", "captions", "content", "placeholder"}
#: Widgets whose options Streamlit shows as plain text.
PLAIN_OPTIONS = ("Selectbox.options", "Multiselect.options")
RENDERER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
RAW = (*PAYLOADS, FILE_NAME, "[l](e.example) $x$ `y`.csv", "**b** <img src=x")


@pytest.fixture(scope="module")
def upload(sample_calls):
    return payload_upload(sample_calls)


@pytest.fixture
def app(new_app, upload):
    at = new_app()
    at.session_state["upload"] = upload
    return at


def _strings(message: Message, path: str = ""):
    for field, value in message.ListFields():
        values = value if field.is_repeated else [value]
        for item in values:
            if isinstance(item, Message):
                yield from _strings(item, f"{path}.{field.name}")
            elif isinstance(item, str) and field.name in MARKDOWN_FIELDS:
                yield f"{path}.{field.name}", item


def _nodes(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _nodes(child)


def markdown_sources(at: AppTest) -> list[tuple[str, str]]:
    """Every (where, text) the run handed Streamlit's Markdown renderer."""
    found = []
    for node in _nodes(at._tree):
        kind = type(node).__name__
        proto = getattr(node, "proto", None)
        if isinstance(proto, Message):
            found += [(kind + where, text) for where, text in _strings(proto)]
        if kind == "Table":
            frame = node.value
            found += [("Table.header", str(c)) for c in frame.columns]
            found += [("Table.cell", str(v)) for v in frame.astype(str).to_numpy().ravel()]
    return [(where, text) for where, text in found if not where.startswith(PLAIN_OPTIONS)]


def shown_text(markdown: str) -> str:
    """What a reader sees of a Markdown string (markdown-it's rendering, tags removed)."""
    rendered = RENDERER.render(markdown)
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).replace(WORD_JOINER, "").strip()


def _as_written(raw: str, text: str) -> bool:
    """Whether ``text`` holds ``raw`` other than in its escaped form."""
    rest = text.replace(escape_markdown(raw), "")
    return raw in rest or raw.replace("\n", " ") in rest


def assert_no_markup_from_data(at: AppTest) -> list[str]:
    """No payload as written in any Markdown; returns the texts readers see."""
    assert not at.exception, [e.value for e in at.exception]
    sources = markdown_sources(at)
    offenders = [
        (where, text[:120]) for where, text in sources for raw in RAW if _as_written(raw, text)
    ]
    assert not offenders, offenders
    for where, text in sources:
        rendered = RENDERER.render(text)
        assert "<img" not in rendered and "<a " not in rendered, (where, text)
    return [shown_text(text) for _, text in sources]


def surge_link(sample_calls) -> dict[str, str]:
    """A drill-down link to the surge morning, opened at its category x segment."""
    surge = sample.INCIDENTS["surge"]
    renamed = payload_calls(sample_calls)
    path = [
        (dim, renamed.loc[sample_calls[dim] == value, dim].iloc[0])
        for dim, value in surge["dimensions"].items()
    ]
    return {
        "page": "drill-down",
        "dd_start": f"{surge['first_date']}T{surge['time_window'][0]}",
        "dd_end": f"{surge['last_date']}T{surge['time_window'][1]}",
        "dd_path": encode_path(path),
    }


@pytest.mark.parametrize(("url", "path", "title_key", "icon"), common.PAGES)
def test_every_page_shows_the_payload_names_as_text(app, url, path, title_key, icon):
    queues = ["**b**", ":red[x]"]  # two payload queues in the filter: named in captions
    app.query_params["queue"] = queues
    app.run()
    at = app.switch_page(path).run()
    shown = assert_no_markup_from_data(at)
    # the file name is on every page (sidebar), as its own text
    assert FILE_NAME in shown
    assert at.session_state["queues"] == queues
    assert at.sidebar.markdown[0].value == f"**{escape_markdown(FILE_NAME)}**"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_drilldown_names_the_payload_element_as_text(app, sample_calls, lang):
    app.query_params.update({**surge_link(sample_calls), "lang": lang})
    shown = assert_no_markup_from_data(app.run())
    surge = sample.INCIDENTS["surge"]
    renamed = payload_calls(sample_calls)
    category = renamed.loc[sample_calls["category"] == surge["dimensions"]["category"]]
    name = str(category["category"].iloc[0])
    assert any(name in text for text in shown), name  # the level titles name it literally


def test_teams_conclusions_name_payload_teams_as_text(app):
    app.run()
    at = app.switch_page("pages/teams_page.py").run()
    shown = assert_no_markup_from_data(at)
    named = {raw for raw in PAYLOADS for text in shown if raw.replace("\n", " ") in text}
    assert named, "no team named in the conclusions"


def test_an_agent_card_names_a_payload_agent_and_team_as_text(app, sample_calls):
    renamed = payload_calls(sample_calls)
    agent = next(a for a in renamed["agent"].cat.categories if a.startswith("**b**"))
    app.query_params.update({"page": "teams", "tm_agent": agent})
    shown = assert_no_markup_from_data(app.run())
    assert any(agent in text for text in shown), "the card names the agent"


def test_a_problems_table_shows_column_names_as_text(app, monkeypatch):
    """A CSV whose extra column is named by a payload: the Data page's problems table."""
    frame = pd.DataFrame(
        {
            "call_id": ["1", "2", "3"],
            "arrived_at": ["2025-01-06 09:00", "2025-01-06 09:05", "not a time"],
            "wait_s": ["10", "x", "12"],
            "answered": ["Y", "N", "maybe"],
            "**b** <img src=x onerror=alert(1)>": ["a", "b", "c"],
        }
    )
    data = frame.to_csv(index=False).encode("utf-8")
    app.session_state["upload"] = {
        "name": "[l](e.example) $x$ `y`.csv",
        "digest": hashlib.sha256(data).hexdigest(),
        "data": data,
        "mapping": None,
        "kind": None,
    }
    app.run()
    at = app.switch_page("pages/data_page.py").run()
    shown = assert_no_markup_from_data(at)
    assert at.table, "the upload has problems to list"
    assert "[l](e.example) $x$ `y`.csv" in shown
