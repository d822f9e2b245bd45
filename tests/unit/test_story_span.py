"""A day's story is judged over the period in view, on the control chart drawn beside it.

The bundled sample runs from 2025-01-01 to 2025-03-31. A report of an earlier period, and
the app's pages over the same date range (``pages/story_panel.py`` calls
``story.day_story(..., start=, end=)`` with the sidebar's range), must tell a day as the
report's own chart of daily service level shows it: same signal, same center line, same
cause, and nothing read from the days after the period.
"""

from __future__ import annotations

import pandas as pd
import pytest

from ccmetrics import kpi, spc, story
from ccmetrics.report import build_report
from ccmetrics.sample import SAMPLE_DIR

#: A week of the sample whose service level sat steadily below the 80 % target.
WEEK = ("2025-01-27", "2025-02-03")
#: Three weeks in which 2025-01-20 (68.3 %) is beyond the lower limit of their chart.
WEEKS = ("2025-01-19", "2025-02-09")


@pytest.fixture(scope="module")
def calls():
    return pd.read_parquet(SAMPLE_DIR / "calls.parquet")


def _low(chart: pd.DataFrame, day) -> bool:
    """The chart flags ``day`` below its center line (what a story calls out of control)."""
    row = chart.loc[pd.Timestamp(day)]
    return bool(row["signal"]) and row["value"] < row["center"]


def _same_story(one: story.Story, other: story.Story) -> None:
    assert one.cause == other.cause
    assert one.signal == other.signal
    assert one.process_center == pytest.approx(other.process_center, rel=1e-12)
    assert one.process_sd == pytest.approx(other.process_sd, rel=1e-12)
    for lang in ("en", "zh"):
        assert story.describe(one, lang) == story.describe(other, lang)


def test_story_span_is_the_period_stretched_to_hold_the_day():
    day = pd.Timestamp("2025-03-17")
    assert story.story_span(day, "2025-03-01", "2025-04-01") == (
        pd.Timestamp("2025-03-01"),
        pd.Timestamp("2025-04-01"),
    )
    # a day after the range (the Staffing page may pick one): the span reaches the day
    assert story.story_span(day, "2025-03-01", "2025-03-10") == (
        pd.Timestamp("2025-03-01"),
        pd.Timestamp("2025-03-18"),
    )
    # a day before it
    assert story.story_span(day, "2025-03-20", "2025-04-01") == (
        pd.Timestamp("2025-03-17"),
        pd.Timestamp("2025-04-01"),
    )
    assert story.story_span(day) == (None, None)


def test_the_reports_story_reads_the_center_line_of_the_reports_chart(calls):
    """The week of 2025-01-27: stable around 74.5 %, below the target. The whole quarter's
    center line is 79.9 %, so a story judged on it called the day "no significant change"
    beside a chart whose verdict is a stable process that misses the target."""
    built = build_report(calls, start=WEEK[0], end=WEEK[1], findings=[WEEK[0]])
    chart = built.chart_frames["service_level"]
    assert spc.chart_verdict(chart, target=built.settings.sl_target)["code"] == (
        "stable_misses_target"
    )
    # the p′ chart's center line is the pooled proportion Σx / Σn of the week (no day is
    # left out of its limits): the week's service level
    week = kpi.compute(kpi.subset(calls, *WEEK), settings=built.settings).iloc[0]
    assert chart.attrs["revised_out"] == []
    assert chart["center"].iloc[0] == pytest.approx(week["service_level"], rel=1e-9)
    assert week["service_level"] == pytest.approx(0.745, abs=0.001)
    [finding] = built.findings
    told = finding.story
    assert told.process_center == pytest.approx(chart.loc[pd.Timestamp(WEEK[0]), "center"])
    assert told.signal == _low(chart, WEEK[0])
    assert told.cause == "below_target"
    assert "74.5%" in finding.story_text
    # the pages' story of the same day over the same date range says the same
    _same_story(story.day_story(calls, WEEK[0], start=WEEK[0], end=WEEK[1]), told)


def test_a_day_beyond_the_reports_limits_is_out_of_control_in_its_story(calls):
    built = build_report(calls, start=WEEKS[0], end=WEEKS[1])
    chart = built.chart_frames["service_level"]
    assert [finding.id for finding in built.findings] == ["2025-01-20"]
    assert _low(chart, "2025-01-20")
    told = built.findings[0].story
    assert told.signal
    assert told.process_center == pytest.approx(chart.loc[pd.Timestamp("2025-01-20"), "center"])
    _same_story(story.day_story(calls, "2025-01-20", start=WEEKS[0], end=WEEKS[1]), told)


def test_the_pages_chart_of_a_range_is_the_reports_chart_of_that_period(calls):
    """``story.daily_chart`` over a span (what the pages' story reads) is the report's chart
    of service level for that period: every point, limit and signal."""
    built = build_report(calls, start=WEEKS[0], end=WEEKS[1], findings=[])
    report_chart = built.chart_frames["service_level"]
    pages_chart = story.daily_chart(calls, built.settings, *WEEKS)
    columns = ["value", "center", "lcl", "ucl", "signal"]
    pd.testing.assert_frame_equal(
        pages_chart[columns], report_chart[columns], check_names=False, check_freq=False
    )


def test_a_past_periods_story_does_not_change_when_newer_data_arrives(calls):
    known_then = calls[calls["arrived_at"] < pd.Timestamp(WEEK[1])]
    assert calls["arrived_at"].max() > pd.Timestamp("2025-03-30")  # eight weeks more data
    then = build_report(known_then, start=WEEK[0], end=WEEK[1], findings=[WEEK[0]])
    now = build_report(calls, start=WEEK[0], end=WEEK[1], findings=[WEEK[0]])
    _same_story(now.findings[0].story, then.findings[0].story)
    assert now.findings[0].story_text == then.findings[0].story_text


def test_a_span_too_short_for_a_chart_flags_nothing(calls):
    """Two days make no chart (the report draws none): no day is out of
    control, no center line, and the story is still told from the drill-down."""
    assert story.daily_chart(calls, start="2025-01-27", end="2025-01-29").empty
    assert len(story.daily_chart(calls, start="2025-01-27", end="2025-01-30")) == 3
    told = story.day_story(calls, "2025-01-27", start="2025-01-27", end="2025-01-29")
    assert not told.signal and told.process_center != told.process_center  # NaN
    assert told.cause in story.CAUSES and told.cause != "below_target"  # no process to judge
