"""AppTests: the pages tell a day's story over the sidebar's range, as the report of that period.

The app's own sample (2025-01-01 to 2025-03-31, with its interval plan) opened on an earlier
range through the link's ``from`` and ``to``: the story the pages show is the one the report
of that period prints beside its chart (``ccmetrics.report.build_report`` with the same
plan, as the Report page builds it), not one judged on the whole quarter.
"""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ccmetrics import i18n, io, sample
from ccmetrics.report import build_report
from pages.story_panel import markdown_text
from tests.conftest import REPO_ROOT, sample_dir

TIMEOUT_S = 120


@pytest.fixture(scope="module")
def sample_files():
    folder = sample_dir()
    calls = io.load(folder / "calls.parquet").frame
    plan = io.load(folder / "intervals.csv").frame
    return {"folder": folder, "calls": calls, "plan": plan}


def report_story(files, first: str, last: str, day: str) -> tuple[str, pd.DataFrame]:
    """The story the report of ``first``..``last`` prints for ``day``, and its service level chart."""
    end = pd.Timestamp(last) + pd.Timedelta(days=1)
    built = build_report(
        files["calls"], start=first, end=end, findings=[day], intervals=files["plan"]
    )
    [finding] = built.findings
    return finding.story_text, built.chart_frames["service_level"]


def shown_story(at: AppTest) -> list[str]:
    title = f"**{i18n.t('story.title', 'en')}** — "
    return [info.value[len(title) :] for info in at.info if info.value.startswith(title)]


def open_page(monkeypatch, files, page: str, first: str, last: str, day: str) -> AppTest:
    monkeypatch.setattr(sample, "SAMPLE_DIR", files["folder"])
    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT_S)
    app.query_params.update({"page": page, "from": first, "to": last, "day": day})
    at = app.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_control_charts_page_tells_the_reports_story_of_the_day_its_chart_flags(
    monkeypatch, sample_files
):
    """2025-01-20 is beyond the lower limit of the chart of 2025-01-19..02-08 (not of the
    quarter's): the page lists it, and the story under the chart is the report's."""
    first, last, day = "2025-01-19", "2025-02-08", "2025-01-20"
    text, chart = report_story(sample_files, first, last, day)
    low = chart[chart["signal"] & (chart["value"] < chart["center"])]
    assert list(low.index.strftime("%Y-%m-%d")) == [day]
    at = open_page(monkeypatch, sample_files, "control-charts", first, last, day)
    rules = i18n.t("cc.col_rules", "en")
    table = next(frame.value for frame in at.dataframe if rules in frame.value.columns)
    assert {label.split(" ")[-1] for label in table["Period"]} == {day}
    assert shown_story(at) == [markdown_text(text)]


def test_overview_tells_the_reports_story_of_a_week_below_target(monkeypatch, sample_files):
    """The week of 2025-01-27 sat at 74.5 %: the report of that week and the Overview on that
    range both call the day a process below target, from the week's center line."""
    first, last, day = "2025-01-27", "2025-02-02", "2025-01-27"
    text, _ = report_story(sample_files, first, last, day)
    assert "a process below target" in text and "74.5%" in text
    at = open_page(monkeypatch, sample_files, "overview", first, last, day)
    assert shown_story(at) == [markdown_text(text)]
