"""AppTest of the Report page and of the "download PNG" action under the app's charts.

Where the expected values come from: the page must show what ``ccmetrics.report`` and
``ccmetrics.kpi`` compute on the same data (the sample, FCR flags on the whole frame,
the sidebar's period), so the test recomputes them here with those functions (their own
reference tests are tests/unit/test_report.py and tests/unit/test_kpi.py):

* the listed findings are ``report.candidate_findings`` of the period, in its order and
  with its translated labels; the ticked ones are what ``build_report`` keeps by default
  (the first ``DEFAULT_MAX_FINDINGS`` days beyond the limits);
* the HTML report holds the KPI values ``kpi.compute`` gives for the period, formatted by
  ``i18n.format_number`` (one decimal for percentages);
* a note typed on the page comes out HTML-escaped (``html.escape`` of the hand-written note);
* the injected incidents of the sample (``sample.INCIDENTS``) are among March's findings.
"""

from __future__ import annotations

import hashlib
import html
import io as bytes_io
import json
import zipfile

import numpy as np
import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from streamlit.testing.v1 import AppTest

from ccmetrics import forecast, i18n, io, kpi, report, sample
from ccmetrics.schema import KpiSettings
from pages import common
from tests.app.helpers import run

TIMEOUT_S = 60
SETTINGS = KpiSettings()
#: February and March: nine candidate days, eight beyond the limits (more than the five kept).
TWO_MONTHS = {"from": "2025-02-01", "to": "2025-03-31"}
MARCH = {"from": "2025-03-01", "to": "2025-03-31"}
SURGE_DAY = sample.INCIDENTS["surge"]["first_date"]  # 2025-03-11
STORM_DAY = sample.INCIDENTS["storm"]["first_date"]  # 2025-03-05
SHORTFALL_DAY = sample.INCIDENTS["staffing_shortfall"]["first_date"]  # 2025-03-17
NOTE = 'Data-plan offer sent without warning <script>alert(1)</script> & "IT"'


@pytest.fixture(scope="module")
def calls(sample_folder):
    """The sample as the app prepares it: loaded, FCR flags on the whole frame."""
    return kpi.add_fcr_flags(io.load(sample_folder / "calls.parquet").frame, SETTINGS)


def open_report(at: AppTest, **params) -> AppTest:
    at.query_params.update({"page": "report", **params})
    return run(at)


def end_of(period: dict) -> pd.Timestamp:
    return pd.Timestamp(period["to"]) + pd.Timedelta(days=1)


def listed(at: AppTest) -> list[tuple[str, bool]]:
    """(label, ticked) of the finding checkboxes, in page order."""
    return [(box.label, box.value) for box in at.checkbox if box.key.startswith("rp_pick_")]


def file_of(downloads: dict, extension: str) -> tuple[str, bytes]:
    names = [name for name in downloads if name and name.startswith("ccmetrics_report_")]
    found = [name for name in names if name.endswith(f".{extension}")]
    assert len(found) == 1, names
    return found[0], downloads[found[0]][1]


# ---------------------------------------------------------------- candidates, both languages


def test_lists_the_candidate_findings_in_english_and_chinese(app, calls):
    open_report(app, **TWO_MONTHS)
    assert [t.value for t in app.title] == [i18n.EN["nav.report"]]
    start, end = pd.Timestamp(TWO_MONTHS["from"]), end_of(TWO_MONTHS)
    expected = report.candidate_findings(calls, start=start, end=end, settings=SETTINGS, lang="en")
    assert len(expected) > report.DEFAULT_MAX_FINDINGS  # so the default choice is a real choice
    beyond = expected["beyond_limits"].to_numpy(dtype=bool)
    # beyond-the-limits days first (their own heading), then the runs, each in candidate order
    order = pd.concat([expected[beyond], expected[~beyond]])
    kept = set(expected[beyond]["finding"].head(report.DEFAULT_MAX_FINDINGS))
    assert listed(app) == [
        (label, day in kept) for day, label in zip(order["finding"], order["label"], strict=True)
    ]
    assert i18n.EN["report.runs_title"] in [m.value.strip("*") for m in app.markdown]
    # a notes box under each ticked day only
    assert [a.label for a in app.text_area] == [
        i18n.t("report.note_label", "en", day=day) for day in order["finding"] if day in kept
    ]
    assert not app.get("iframe")  # nothing built before "Build report"

    app.radio(key="lang").set_value("zh")
    run(app)
    assert [t.value for t in app.title] == [i18n.ZH["nav.report"]]
    expected_zh = report.candidate_findings(
        calls, start=start, end=end, settings=SETTINGS, lang="zh"
    )
    order_zh = pd.concat([expected_zh[beyond], expected_zh[~beyond]])
    assert [label for label, _ in listed(app)] == order_zh["label"].tolist()
    assert [ticked for _, ticked in listed(app)] == [day in kept for day in order_zh["finding"]]
    assert app.button(key="rp_build").label == i18n.ZH["report.build"]


def test_a_queue_filter_lists_the_candidates_of_that_queue(app, calls):
    open_report(app, queue="VIP", **MARCH)
    vip = kpi.subset(calls, filters={"queue": ["VIP"]})
    expected = report.candidate_findings(
        vip, start=MARCH["from"], end=end_of(MARCH), settings=SETTINGS, lang="en"
    )
    assert sorted(label for label, _ in listed(app)) == sorted(expected["label"])


# ---------------------------------------------------------------- ticking, URL state


def test_ticking_changes_the_url_and_the_count(app):
    open_report(app, **MARCH)
    # March: the storm, the surge and the staffing shortfall; all three kept by default
    assert sorted(box.key for box in app.checkbox if box.value) == [
        f"rp_pick_{day}" for day in sorted({STORM_DAY, SURGE_DAY, SHORTFALL_DAY})
    ]
    assert "rp_days" not in app.query_params
    app.checkbox(key=f"rp_pick_{STORM_DAY}").uncheck()
    run(app)
    assert app.query_params["rp_days"] == ",".join(
        day for day in (SHORTFALL_DAY, SURGE_DAY) if app.checkbox(key=f"rp_pick_{day}").value
    )
    assert i18n.t("report.selected", "en", count=2, total=3) in [c.value for c in app.caption]
    assert len(app.text_area) == 2
    for day in (SHORTFALL_DAY, SURGE_DAY):
        app.checkbox(key=f"rp_pick_{day}").uncheck()
    run(app)
    assert app.query_params["rp_days"] == "none"
    assert len(app.text_area) == 0
    app.checkbox(key=f"rp_pick_{STORM_DAY}").check()
    app.checkbox(key=f"rp_pick_{SURGE_DAY}").check()
    app.checkbox(key=f"rp_pick_{SHORTFALL_DAY}").check()
    run(app)
    assert "rp_days" not in app.query_params  # back to the default choice


def test_choices_survive_a_language_switch(app, calls):
    """A manager's own choice (not the default), a note and a change date, made with the
    widgets, stay as they are when the UI language flips en -> zh -> en: the keyed widgets
    keep their values while their labels change language."""
    open_report(app, **MARCH)
    app.checkbox(key=f"rp_pick_{STORM_DAY}").uncheck()
    run(app)
    app.text_area(key=f"rp_note_{SURGE_DAY}").input("Offer sent without warning")
    app.date_input(key="rp_change_input").set_value(pd.Timestamp("2025-03-18").date())
    run(app)
    picked = {SURGE_DAY, SHORTFALL_DAY}
    start, end = pd.Timestamp(MARCH["from"]), end_of(MARCH)
    for language in ("zh", "en"):
        app.radio(key="lang").set_value(language)
        run(app)
        assert [t.value for t in app.title] == [i18n.t("nav.report", language)]
        expected = report.candidate_findings(
            calls, start=start, end=end, settings=SETTINGS, lang=language
        )
        label_of = dict(zip(expected["finding"], expected["label"], strict=True))
        assert listed(app) == [(label_of[day], day in picked) for day in expected["finding"]], (
            language
        )
        assert [a.label for a in app.text_area] == [
            i18n.t("report.note_label", language, day=day)
            for day in expected["finding"]
            if day in picked
        ]
        assert app.text_area(key=f"rp_note_{SURGE_DAY}").value == "Offer sent without warning"
        assert str(app.date_input(key="rp_change_input").value) == "2025-03-18"
        assert app.date_input(key="rp_change_input").label == i18n.t("report.change_date", language)
        assert app.query_params["rp_days"] == ",".join(
            day for day in expected["finding"] if day in picked
        )
        assert app.query_params["rp_change"] == "2025-03-18"
        assert i18n.t("report.selected", language, count=2, total=3) in [
            c.value for c in app.caption
        ]


# ---------------------------------------------------------------- build and downloads


def test_build_gives_html_pptx_and_pngs_with_the_period_kpis_and_the_escaped_note(
    app, calls, downloads
):
    # a pasted link: March, only the surge ticked, a change date for the improvement check
    open_report(app, rp_days=SURGE_DAY, rp_change="2025-03-18", **MARCH)
    assert [(box.key, box.value) for box in app.checkbox if box.value] == [
        (f"rp_pick_{SURGE_DAY}", True)
    ]
    assert str(app.date_input(key="rp_change_input").value) == "2025-03-18"
    assert i18n.EN["report.build_hint"] in [c.value for c in app.caption]
    app.text_area(key=f"rp_note_{SURGE_DAY}").input(NOTE)
    app.button(key="rp_build").click()
    run(app)
    assert len(app.get("iframe")) == 1  # the preview

    name, html_bytes = file_of(downloads, "html")
    assert name == "ccmetrics_report_2025-03-01_2025-03-31_en.html"
    text = html_bytes.decode("utf-8")
    # the headline KPIs of the period, as ccmetrics.kpi computes them, in their table rows
    start, end = pd.Timestamp(MARCH["from"]), end_of(MARCH)
    period = kpi.compute(kpi.subset(calls, start, end), settings=SETTINGS).iloc[0]
    for name in ("offered", "answer_rate", "service_level", "abandon_rate", "asa_s", "aht_s"):
        value = i18n.format_number(period[name], kpi.KPI_UNITS[name], "en")
        row = f'<td>{html.escape(i18n.EN[f"tile.{name}"])}</td><td class="num">{value}</td>'
        assert row in text, (name, value)
    assert f"{period['service_level'] * 100:.1f}%" in text  # one decimal, e.g. "78.4%"
    # only the ticked finding, with the note escaped
    assert f'id="finding-{SURGE_DAY}"' in text
    assert f'id="finding-{STORM_DAY}"' not in text and f'id="finding-{SHORTFALL_DAY}"' not in text
    assert html.escape(NOTE) in text
    assert "<script>alert(1)" not in text
    assert 'id="improvement"' in text

    _, pptx_bytes = file_of(downloads, "pptx")
    deck = Presentation(bytes_io.BytesIO(pptx_bytes))
    slide_texts = [
        " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        for slide in deck.slides
    ]
    finding_slides = [i for i, t in enumerate(slide_texts) if NOTE in t]
    assert len(finding_slides) == 1  # the note, as typed, on the finding's slide
    pictures = [
        shape
        for shape in deck.slides[finding_slides[0]].shapes
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    assert pictures

    _, zip_bytes = file_of(downloads, "zip")
    with zipfile.ZipFile(bytes_io.BytesIO(zip_bytes)) as archive:
        names = archive.namelist()
        assert names and all(n.endswith(".png") for n in names)
        assert all(archive.read(n)[:8] == b"\x89PNG\r\n\x1a\n" for n in names)
    assert any(SURGE_DAY in n for n in names)  # the finding's own chart

    # the UI language switches the report's language (rebuilt for the same choice)
    downloads.clear()
    app.radio(key="lang").set_value("zh")
    run(app)
    name, html_bytes = file_of(downloads, "html")
    assert name.endswith("_zh.html")
    text = html_bytes.decode("utf-8")
    row = (
        f'<td>{i18n.ZH["tile.aht_s"]}</td><td class="num">'
        f"{i18n.format_number(period['aht_s'], 'seconds', 'zh')}</td>"
    )
    assert row in text
    assert html.escape(NOTE) in text

    # a changed choice hides the stale preview until "Build report" is pressed again
    app.checkbox(key=f"rp_pick_{STORM_DAY}").check()
    run(app)
    assert not app.get("iframe")
    assert i18n.ZH["report.stale"] in [c.value for c in app.caption]


def test_data_without_signals_builds_a_report_without_findings(app, downloads):
    """Two days of calls: no control chart can be drawn, the page says so and still builds."""
    count = 80
    calls = pd.DataFrame(
        {
            "call_id": [f"c{i}" for i in range(count)],
            "arrived_at": pd.date_range("2025-01-06 09:00", periods=count, freq="37min"),
            "wait_s": np.linspace(0.0, 60.0, count),
            "answered": True,
            "talk_s": np.linspace(120, 360, count),
        }
    )
    data = calls.to_csv(index=False).encode("utf-8")
    app.session_state["upload"] = {
        "name": "two_days.csv",
        "digest": hashlib.sha256(data).hexdigest(),
        "data": data,
        "mapping": None,
        "kind": None,
    }
    open_report(app)
    assert i18n.EN["report.no_candidates"] in [i.value for i in app.info]
    assert i18n.EN["report.sources_none"] in [c.value for c in app.caption]
    app.button(key="rp_build").click()
    run(app)
    _, html_bytes = file_of(downloads, "html")
    assert report.REPORT_TEXT["en"]["findings.none"] in html_bytes.decode("utf-8")


# ---------------------------------------------------------------- PNG of the app's charts


def test_overview_charts_have_a_png_download(app, downloads, monkeypatch):
    run(app)
    assert [t.value for t in app.title] == [i18n.EN["overview.title"]]
    pngs = {name: item for name, item in downloads.items() if name and name.endswith(".png")}
    assert sorted(pngs) == [
        # the caller's journey (the sample has IVR data): time per stage, callers lost
        "journey_lost_2025-03-04_2025-03-31.png",
        "journey_time_2025-03-04_2025-03-31.png",
        "overview_service_level_2025-03-04_2025-03-31.png",
        "overview_trend_2025-03-04_2025-03-31.png",
        "overview_volume_2025-03-04_2025-03-31.png",
    ]
    label, render = pngs["overview_trend_2025-03-04_2025-03-31.png"]
    assert label == i18n.EN["report.download_png"]
    assert callable(render)  # rendered only when clicked
    image = render()
    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(image[16:20], "big")  # IHDR width
    assert width >= 2 * common.PNG_WIDTH  # drawn at scale 2, at least the given width

    # in Chinese the image asks for the report's CJK-first fonts (Chinese drawn, not boxes)
    rendered = []
    monkeypatch.setattr(report, "chart_to_png", lambda spec: rendered.append(spec) or b"png")
    downloads.clear()
    app.radio(key="lang").set_value("zh")
    run(app)
    label, render = downloads["overview_trend_2025-03-04_2025-03-31.png"]
    assert label == i18n.ZH["report.download_png"]
    assert render() == b"png"
    assert rendered[0]["config"]["font"] == report.FONT_STACK
    assert rendered[0]["width"] == common.PNG_WIDTH
    assert i18n.ZH["overview.target"].split("{")[0] in json.dumps(rendered[0], ensure_ascii=False)


def test_csv_downloads_neutralise_formula_cells():
    # OWASP CSV injection: a cell starting with = + - @ gets a leading single quote
    frame = pd.DataFrame(
        {"category": ['=HYPERLINK("http://x","y")', "+1", "计费"], "n": [1, -2, 3]}
    )
    lines = common.csv_bytes(frame).decode("utf-8-sig").splitlines()
    assert lines == [
        "category,n",
        '"\'=HYPERLINK(""http://x"",""y"")",1',
        "'+1,-2",
        "计费,3",
    ]
    assert common.csv_bytes(frame)[:3] == b"\xef\xbb\xbf"


def test_the_report_uses_the_plan_and_drivers_uploaded_on_the_staffing_page(
    app, sample_folder, downloads
):
    """A plan and a driver file uploaded on the Staffing page go into the report too."""
    plan = (sample_folder / "intervals.csv").read_bytes()
    weather = (sample_folder / "weather.csv").read_bytes()
    app.session_state["staff_plan"] = {
        "name": "plan_march.csv",
        "digest": hashlib.sha256(plan).hexdigest(),
        "data": plan,
    }
    app.session_state["staff_drivers"] = {
        "name": "weather_march.csv",
        "digest": hashlib.sha256(weather).hexdigest(),
        "data": weather,
    }
    open_report(app, **MARCH)
    captions = " ".join(c.value for c in app.caption)
    assert i18n.t("report.sources_plan", "en", name="plan_march.csv") in captions
    assert i18n.t("report.sources_drivers", "en", name="weather_march.csv") in captions
    assert i18n.EN["report.sources_none"] not in captions
    app.button(key="rp_build").click()
    run(app)
    _, html_bytes = file_of(downloads, "html")
    text = html.unescape(html_bytes.decode("utf-8"))
    # the staffing attribution of the shortfall day comes from the uploaded plan
    assert "no interval file with staffing" not in text.lower()
    assert "mainly staffing" in text
    # and the drivers from the uploaded weather file
    assert "Rain, storm that day" in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_bad_driver_file_is_left_out_with_its_reason_in_the_ui_language(app, lang):
    """The Report reads the Staffing page's driver upload with ``forecast.read_drivers``:
    a date on two rows (lines 3 and 4 of the file) is its ``drivers_duplicate_dates``
    error, shown translated, and the report goes on without drivers."""
    data = "日期,降雨\n2025-03-01,1\n2025-03-02,0\n2025-03-02,1\n".encode("gbk")
    app.session_state["staff_drivers"] = {
        "name": "weather_[x].csv",
        "digest": hashlib.sha256(data).hexdigest(),
        "data": data,
    }
    open_report(app, lang=lang, **MARCH)
    with pytest.raises(forecast.DriverFileError) as raised:
        forecast.read_drivers(data, "weather_[x].csv")
    assert raised.value.code == "drivers_duplicate_dates"

    def escaped(key, **params):
        return i18n.t(key, lang, **{name: common.md(value) for name, value in params.items()})

    expected = (
        escaped("report.drivers_error", name="weather_[x].csv")
        + " "
        + escaped(f"error.{raised.value.code}", **raised.value.params)
    )
    assert [w.value for w in app.warning] == [expected]
    captions = " ".join(c.value for c in app.caption)
    assert i18n.t("report.sources_drivers", lang, name="weather_[x].csv") not in captions
