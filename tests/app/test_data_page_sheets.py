"""AppTest of the Data page's sheet choice for Excel workbooks, in English and Chinese.

The workbooks are written in the test (tests/hostile/make_corpus.py's ``xlsx_bytes``):
``table(n)`` is a header and ``n`` call rows, one call every 7 minutes, none of them
phantom, so a sheet of ``n`` rows loads ``n`` calls (counted by hand from the rows).
"""

from __future__ import annotations

import hashlib

import pytest

from ccmetrics import i18n
from ccmetrics.text import escape_markdown
from tests.hostile.make_corpus import table, xlsx_bytes

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOTES = [["Monthly report"], ["prepared by the planning team"]]


def _open_data_page(app, lang):
    app.query_params["lang"] = lang
    app.run()
    app.switch_page("pages/data_page.py").run()


def _sheet_boxes(app, lang):
    return [box for box in app.selectbox if box.label == i18n.t("data.sheet", lang)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_calls_on_the_second_sheet_are_offered_and_load(app, lang):
    workbook = xlsx_bytes([("Notes", NOTES), ("Calls_2024", table(10))])
    _open_data_page(app, lang)
    app.file_uploader(key="uploader").set_value(("book.xlsx", workbook, XLSX)).run()
    assert not app.exception, [e.value for e in app.exception]
    assert "upload" not in app.session_state  # nothing loaded from the notes sheet
    errors = [box.value for box in app.error]
    assert len(errors) == 1 and "Calls\\_2024" in errors[0]  # the error names the sheet
    (offer,) = _sheet_boxes(app, lang)
    assert offer.options == ["Notes", "Calls_2024"]  # plain text, as in the file
    assert offer.value == "Calls_2024"
    app.button(key="load_offered_sheet").click().run()
    assert not app.exception, [e.value for e in app.exception]
    upload = app.session_state["upload"]
    assert upload["sheet"] == "Calls_2024"
    loaded = i18n.t("data.sheet_loaded", lang, sheet=escape_markdown("Calls_2024"))
    assert loaded in [box.value for box in app.success]
    assert not app.error
    (picker,) = _sheet_boxes(app, lang)  # the sheet in use, now a choice among the sheets
    assert picker.value == "Calls_2024"
    assert i18n.t("data.rows", lang) in [m.label for m in app.metric]
    rows = next(m for m in app.metric if m.label == i18n.t("data.rows", lang))
    assert rows.value == "10"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_choosing_another_sheet_reloads_with_it(app, lang):
    workbook = xlsx_bytes([("Jan", table(10)), ("Feb", table(4))])
    digest = hashlib.sha256(workbook).hexdigest()
    _open_data_page(app, lang)
    app.file_uploader(key="uploader").set_value(("book.xlsx", workbook, XLSX)).run()
    assert not app.exception, [e.value for e in app.exception]
    first = app.session_state["upload"]
    assert first["sheet"] is None  # the loader's choice: the first sheet
    picker = app.selectbox(key=f"sheet_{digest}")
    assert picker.options == ["Jan", "Feb"] and picker.value == "Jan"
    rows = next(m for m in app.metric if m.label == i18n.t("data.rows", lang))
    assert rows.value == "10"
    picker.select("Feb").run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.session_state["upload"]["sheet"] == "Feb"
    assert i18n.t("data.sheet_loaded", lang, sheet="Feb") in [box.value for box in app.success]
    rows = next(m for m in app.metric if m.label == i18n.t("data.rows", lang))
    assert rows.value == "4"
    assert app.selectbox(key=f"sheet_{digest}").value == "Feb"
    # back to the first sheet: its own cached result, not the second sheet's
    app.selectbox(key=f"sheet_{digest}").select("Jan").run()
    rows = next(m for m in app.metric if m.label == i18n.t("data.rows", lang))
    assert rows.value == "10"


def test_the_sheet_is_part_of_the_upload_cache_key():
    from pages.common import data

    workbook = xlsx_bytes([("Jan", table(10)), ("Feb", table(4))])
    first = data.load_upload("book.xlsx", workbook)
    second = data.load_upload("book.xlsx", workbook, sheet="Feb")
    assert (len(first.frame), len(second.frame)) == (10, 4)
    upload = {"digest": "d", "mapping": None, "kind": None}
    assert data._upload_key({**upload, "sheet": None}) != data._upload_key(
        {**upload, "sheet": "Feb"}
    )


def test_a_sheet_that_does_not_load_leaves_the_data_in_use(app):
    workbook = xlsx_bytes([("Calls", table(3)), ("Notes", NOTES)])
    digest = hashlib.sha256(workbook).hexdigest()
    _open_data_page(app, "en")
    app.file_uploader(key="uploader").set_value(("book.xlsx", workbook, XLSX)).run()
    app.selectbox(key=f"sheet_{digest}").select("Notes").run()
    assert not app.exception, [e.value for e in app.exception]
    assert len(app.error) == 1  # the notes sheet has no calls: said, nothing changed
    assert app.session_state["upload"]["sheet"] is None
    rows = next(m for m in app.metric if m.label == i18n.t("data.rows", "en"))
    assert rows.value == "3"
    app.run()  # the same choice again: the message stays, the sheet is not loaded again
    assert len(app.error) == 1 and app.error[0].value == app.session_state["_sheet_failed"][2]
