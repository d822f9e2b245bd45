"""Links that say what they show, and the range an upload opens on (AppTests).

A link made on an upload carries the data set's identity (``data``: the start of
its SHA-256, ``dname``: its file name) with the view. Opened in a session where
that file is not loaded, the page says so and offers the upload instead of
showing another data set's numbers; after the upload the whole view comes back,
the drill-down tree path included. An upload opens on its whole span, up to its
last 92 days, with a note.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io as bytes_io

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ccmetrics import i18n, io, sample
from pages import common
from pages.drilldown_page import decode_path, encode_path
from tests.app.helpers import run

TIMEOUT_S = 90
SURGE = sample.INCIDENTS["surge"]
NAME = "hotline march.parquet"


@pytest.fixture(scope="module")
def hotline(sample_folder) -> bytes:
    """An upload: the sample from 15 February on (the surge morning inside), as Parquet."""
    frame = io.load(sample_folder / "calls.parquet").frame
    frame = frame[frame["arrived_at"] >= "2025-02-15"].reset_index(drop=True)
    buffer = bytes_io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def upload_state(name: str, data: bytes) -> dict:
    return {
        "name": name,
        "digest": hashlib.sha256(data).hexdigest(),
        "data": data,
        "mapping": None,
        "kind": None,
    }


SURGE_PATH = [(dim, value) for dim, value in SURGE["dimensions"].items()]
VIEW = {
    "page": "drill-down",
    "from": "2025-02-20",
    "to": "2025-03-20",
    "dd_start": f"{SURGE['first_date']}T{SURGE['time_window'][0]}",
    "dd_end": f"{SURGE['last_date']}T{SURGE['time_window'][1]}",
    "dd_path": encode_path(SURGE_PATH),
}


def shared_link(new_app, hotline) -> dict[str, str]:
    """The URL of a drill-down view made in a session that uploaded the hotline file."""
    at = new_app()
    at.session_state["upload"] = upload_state(NAME, hotline)
    at.query_params.update(VIEW)
    run(at)
    return {key: at.query_params[key] for key in at.query_params}


def level_titles(at: AppTest) -> list[str]:
    prefix = i18n.EN["dd.level_title"].split("{")[0]
    return [m.value for m in at.markdown if m.value.startswith(prefix)]


def test_a_link_carries_the_data_sets_identity_with_the_view(new_app, hotline):
    link = shared_link(new_app, hotline)
    assert link["data"] == hashlib.sha256(hotline).hexdigest()[: common.LINK_DIGEST_CHARS]
    assert link["dname"] == NAME
    for key, value in VIEW.items():
        assert link[key] == value, key
    # a view of the sample says so too
    at = run(new_app())
    assert at.query_params["data"] == common.SAMPLE_DATA_ID
    assert "dname" not in at.query_params


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_opened_without_its_data_the_link_says_so_and_restores_after_the_upload(
    new_app, hotline, lang
):
    link = {**shared_link(new_app, hotline), "lang": lang}
    at = new_app()
    at.query_params.update(link)
    run(at)
    # no numbers of the sample under the link's view: only the notice and the upload
    assert not at.metric and not at.title
    expected = common.md(NAME)
    assert len(at.warning) == 1 and expected in at.warning[0].value
    assert at.warning[0].value.startswith(i18n.t("link.other_data", lang).split("**")[0])
    assert at.file_uploader(key="link_uploader")
    # the URL is still the link (a reload or a copy keeps it)
    assert {key: at.query_params[key] for key in link} == link

    at.file_uploader(key="link_uploader").set_value((NAME, hotline, "application/octet-stream"))
    run(at)
    assert [t.value for t in at.title] == [i18n.t("nav.drilldown", lang)]
    assert any(common.md(NAME) in box.value for box in at.success)
    assert at.session_state["date_range"] == (dt.date(2025, 2, 20), dt.date(2025, 3, 20))
    assert decode_path(at.query_params["dd_path"]) == SURGE_PATH
    for key in ("data", "dname", "from", "to", "dd_start", "dd_end", "dd_path"):
        assert at.query_params[key] == link[key], key
    if lang == "en":  # the tree opens down the shared path: three levels
        assert len(level_titles(at)) == 3


def test_another_file_restores_the_view_with_a_warning(new_app, hotline, sample_folder):
    link = shared_link(new_app, hotline)
    other = (sample_folder / "calls.parquet").read_bytes()
    at = new_app()
    at.query_params.update(link)
    run(at)
    at.file_uploader(key="link_uploader").set_value(("calls.parquet", other, "x"))
    run(at)
    assert any("calls.parquet" in box.value for box in at.warning)
    assert decode_path(at.query_params["dd_path"]) == SURGE_PATH
    assert at.query_params["data"] != link["data"]  # the URL now names the file shown


def test_the_sample_can_be_opened_instead(new_app, hotline):
    link = shared_link(new_app, hotline)
    at = new_app()
    at.query_params.update(link)
    run(at)
    run(at.button(key="link_use_sample").click())
    assert not at.warning or all(NAME not in w.value for w in at.warning)
    assert [t.value for t in at.title] == [i18n.EN["nav.drilldown"]]
    assert at.query_params["data"] == common.SAMPLE_DATA_ID
    assert "dname" not in at.query_params


# ---------------------------------------------------------------- the range an upload opens on


def daily_calls(days: int) -> bytes:
    """Four answered calls a day for ``days`` days from 2024-01-01, as CSV."""
    stamps = pd.date_range("2024-01-01 09:00", periods=days, freq="D").repeat(4)
    stamps = stamps + pd.to_timedelta(np.tile([0, 60, 120, 180], days), unit="min")
    frame = pd.DataFrame(
        {
            "call_id": [f"c{i}" for i in range(len(stamps))],
            "arrived_at": stamps.strftime("%Y-%m-%d %H:%M:%S"),
            "wait_s": 12,
            "answered": "Y",
            "talk_s": 180,
        }
    )
    return frame.to_csv(index=False).encode()


@pytest.mark.parametrize(
    ("days", "first", "note_key"),
    [
        (40, dt.date(2024, 1, 1), "sidebar.range_whole"),  # under 56 days
        (90, dt.date(2024, 1, 1), "sidebar.range_whole"),  # the old default cut this to 28
        (200, dt.date(2024, 7, 18) - dt.timedelta(days=91), "sidebar.range_recent"),
    ],
)
def test_an_upload_opens_on_its_whole_span_up_to_92_days(new_app, days, first, note_key):
    at = new_app()
    at.session_state["upload"] = upload_state("daily.csv", daily_calls(days))
    run(at)
    last = dt.date(2024, 1, 1) + dt.timedelta(days=days - 1)
    assert at.session_state["date_range"] == (first, last)
    span = (last - first).days + 1
    assert span == min(days, common.UPLOAD_WINDOW_DAYS)
    note = i18n.t(note_key, "en", days=f"{span:,}", total=f"{days:,}")
    assert note in [c.value for c in at.sidebar.caption]
    # a range the user picked carries no note
    run(at.date_input(key="date_range").set_value((last - dt.timedelta(days=6), last)))
    assert note not in [c.value for c in at.sidebar.caption]


def test_a_link_naming_a_payload_file_shows_the_name_as_text(new_app):
    payload = "![x](http://127.0.0.1:9/p.png) **b**"
    at = new_app()
    at.query_params.update({"page": "overview", "data": "0123456789abcdef", "dname": payload})
    run(at)
    notice = at.warning[0].value
    assert payload not in notice and common.md(payload) in notice
    assert at.file_uploader(key="link_uploader").label == common.tr_md("link.upload", name=payload)
