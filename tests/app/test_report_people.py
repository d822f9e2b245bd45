"""AppTest: the Report page passes the roster in use into the report's people block.

Expected values are recomputed with the functions the block calls on the same data (the
sample's roster.csv and calls, March 2025): :func:`ccmetrics.people.attrition_summary` over
the period (its own reference tests are tests/unit/test_people.py) and the sentence of
:func:`ccmetrics.report.people.attrition_text` (tests/unit/test_report_journey.py). A roster
set by the Data page (``st.session_state["roster"]``) replaces the sample's, its file name
shown as text.
"""

from __future__ import annotations

import pandas as pd
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from ccmetrics import people
from ccmetrics.report.people import LEVEL
from tests.conftest import sample_dir

TIMEOUT_S = 90
MARCH = {"from": "2025-03-01", "to": "2025-03-31"}


@pytest.fixture
def downloads(monkeypatch):
    captured: dict[str, object] = {}
    original = streamlit.download_button

    def recording(label, data, *args, **kwargs):
        captured[kwargs.get("file_name")] = data
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", recording)
    return captured


def _build(app: AppTest, downloads: dict) -> str:
    app.query_params.update({"page": "report", "rp_days": "", **MARCH})
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    app.button(key="rp_build").click()
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    (name,) = [
        n for n in downloads if n and n.startswith("ccmetrics_report_") and n.endswith(".html")
    ]
    return downloads[name].decode("utf-8")


def test_the_report_carries_the_people_block_of_the_roster_in_use(app, downloads):
    roster = people.read_roster(sample_dir() / "roster.csv")
    # a roster "uploaded" on the Data page: one agent fewer, a name with markup characters
    uploaded = roster.iloc[1:].reset_index(drop=True)
    app.session_state["roster"] = {"name": "<b>team</b>.csv", "digest": "x", "frame": uploaded}
    text = _build(app, downloads)
    assert 'id="people"' in text
    agents = uploaded["agent"].nunique()
    assert f"Roster: &lt;b&gt;team&lt;/b&gt;.csv, {agents} agents." in text
    assert "<b>team" not in text
    start, last = pd.Timestamp(MARCH["from"]), pd.Timestamp(MARCH["to"])
    summary = people.attrition_summary(uploaded, start=start, end=last, level=LEVEL).iloc[0]
    assert f"average headcount of {summary['average_headcount']:.1f}, an attrition of " in text
    assert f"an attrition of {100 * summary['attrition_rate']:.1f}% over the period" in text
    tenure = text[text.index("KPIs by tenure") :]
    assert "<td>0–3</td>" in tenure and "<td>24+</td>" in tenure
