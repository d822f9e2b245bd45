"""AppTests: the Overview, Drill-down and Staffing pages tell the same story of a day.

The data is the generated hotline of tests/unit/test_story.py (``ccmetrics.sample`` at seed 7,
2025-02-03 to 2025-03-23, holding the sample's incidents), uploaded as a call log, with a
staffing plan uploaded on the Staffing page: interval start, queue, forecast volume,
scheduled and staffed agents (the simulation's seats ÷ 0.74: a quarter of the logged-in
time is off the phones) and no forecast AHT — the blind scenario of the issue. Every
expected sentence is recomputed with ``ccmetrics.story`` on the same files as loaded by
``ccmetrics.io.load``.
"""

from __future__ import annotations

import hashlib
import io as bytes_io

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ccmetrics import i18n, io, kpi, sample, staffing, story
from ccmetrics.sample import INCIDENTS
from ccmetrics.text import escape_markdown
from pages.story_panel import markdown_text
from tests.conftest import REPO_ROOT, sample_dir

TIMEOUT_S = 120
SEED, START, DAYS = 7, "2025-02-03", 49
SURGE = INCIDENTS["surge"]["first_date"]
SHORTFALL = INCIDENTS["staffing_shortfall"]["first_date"]
AHT_DAY = "2025-02-18"  # the day after Team 6's step (2025-02-17)


def _upload(name: str, data: bytes) -> dict:
    digest = hashlib.sha256(data).hexdigest()
    return {"name": name, "digest": digest, "data": data, "mapping": None, "kind": None}


@pytest.fixture(scope="module")
def files():
    calls = sample.generate_calls(seed=SEED, start=START, days=DAYS)
    intervals = sample.generate_intervals(calls, seed=SEED, start=START, days=DAYS)
    plan = intervals[["interval_start", "interval_minutes", "queue", "forecast_offered"]].copy()
    plan["scheduled_agents"] = intervals["scheduled_agents"] / 0.74
    plan["staffed_agents"] = intervals["staffed_agents"] / 0.74
    buffer = bytes_io.BytesIO()
    calls.to_parquet(buffer, index=False)
    data, plan_bytes = buffer.getvalue(), plan.to_csv(index=False).encode()
    frame, plan_frame = io.load(data).frame, io.load(plan_bytes).frame
    calibration = staffing.calibrate(frame, plan_frame)
    return {
        "data": data,
        "plan": plan_bytes,
        "frame": frame,
        "plan_frame": plan_frame,
        "calibration": calibration,
    }


def expected(files, day: str) -> story.Story:
    return story.day_story(
        files["frame"], day, plan=files["plan_frame"], calibration=files["calibration"]
    )


def open_page(files, page: str, day: str, lang: str = "en") -> AppTest:
    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT_S)
    app.session_state["upload"] = _upload("hotline.parquet", files["data"])
    app.session_state["staff_plan"] = {
        "name": "plan.csv",
        "digest": hashlib.sha256(files["plan"]).hexdigest(),
        "data": files["plan"],
    }
    app.query_params.update({"page": page, "day": day, "lang": lang})
    at = app.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_story(at: AppTest, lang: str = "en") -> list[str]:
    title = f"**{i18n.t('story.title', lang)}** — "
    return [info.value[len(title) :] for info in at.info if info.value.startswith(title)]


def test_staffing_page_tells_the_shortfall_and_states_the_calibration(files):
    told = expected(files, SHORTFALL)
    assert told.cause == "supply_shortfall"
    at = open_page(files, "staffing", SHORTFALL)
    assert shown_story(at) == [markdown_text(story.describe(told, "en"))]
    captions = [caption.value for caption in at.caption]
    assert story.calibration_text(files["calibration"], "en") in captions
    assert i18n.t("story.forecast_aht_baseline", "en") in captions
    # the page's own tile names staffing too: the two never disagree
    cause = [m.value for m in at.metric if m.label == i18n.EN["staff.tile_cause"]]
    assert cause == [i18n.EN["staff.effect_staffing"]]


def test_drilldown_page_tells_the_surge_in_chinese(files):
    told = expected(files, SURGE)
    assert told.cause == "demand_surge" and told.concentrated
    at = open_page(files, "drill-down", SURGE, lang="zh")
    assert shown_story(at, "zh") == [markdown_text(story.describe(told, "zh"))]
    # and the verdict above its table does not call the surge understaffing
    assert not [info.value for info in at.info if "人手不足" in info.value]


def test_overview_and_staffing_tell_the_same_handle_time_step(files):
    told = expected(files, AHT_DAY)
    assert told.cause == "handle_time_shift" and told.team == "Team 6"
    sentence = markdown_text(story.describe(told, "en"))
    assert shown_story(open_page(files, "overview", AHT_DAY)) == [sentence]
    assert shown_story(open_page(files, "staffing", AHT_DAY)) == [sentence]


def test_control_charts_page_flags_the_days_the_story_calls_out_of_control(files):
    """The story judges a day on the page's own chart (revised limits): the days the page
    lists as signals are the days whose story has ``signal``, and the story the page tells
    (of its most severe finding) is one of them."""
    at = open_page(files, "control-charts", SHORTFALL)
    rules = i18n.t("cc.col_rules", "en")
    table = next(frame.value for frame in at.dataframe if rules in frame.value.columns)
    listed = {label.split(" ")[-1] for label in table["Period"]}
    chart = story.daily_chart(files["frame"])
    low = chart[chart["signal"] & (chart["value"] < chart["center"])]
    assert listed == set(low.index.strftime("%Y-%m-%d"))
    assert {SURGE, SHORTFALL, "2025-02-23", "2025-03-12"} <= listed
    [sentence] = shown_story(at)
    day = sentence[:12].replace("\\", "")  # the escaped "2025\-03\-11" of the top finding
    assert day in listed
    told = expected(files, day)
    assert told.signal
    assert sentence == markdown_text(story.describe(told, "en"))


@pytest.mark.parametrize(
    ("day", "cause"),
    [(SURGE, "demand_surge"), (SHORTFALL, "supply_shortfall")],
)
def test_bundled_sample_pages_tell_its_incidents(monkeypatch, day, cause):
    """The app's own sample with its interval plan: Drill-down and Staffing agree."""
    folder = sample_dir()
    monkeypatch.setattr(sample, "SAMPLE_DIR", folder)
    calls = io.load(folder / "calls.parquet").frame
    plan = io.load(folder / "intervals.csv").frame
    told = story.day_story(calls, day, plan=plan, calibration=_sample_calibration(calls, plan))
    assert told.cause == cause
    sentence = markdown_text(story.describe(told, "en"))
    for page in ("drill-down", "staffing"):
        app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT_S)
        app.query_params.update({"page": page, "day": day})
        at = app.run()
        assert not at.exception, [e.value for e in at.exception]
        assert shown_story(at) == [sentence], page


@pytest.mark.parametrize(
    ("day", "cause", "tile", "clause"),
    [
        # an ordinary day: a few elements moved, nothing beyond noise (why_day's largest
        # effect is staffing, 1.7 of the 2.5 points short of target: under story.MIN_EFFECT,
        # not a story), so the summary names the story's cause, not "mainly staffing"
        (
            "2025-03-07",
            "local_change",
            "staff.cause_local_change",
            "; main cause (the day's story): local change.",
        ),
        # the injected shortfall: the story's cause is carried by the split's largest effect
        ("2025-03-17", "supply_shortfall", "staff.effect_staffing", "; mainly staffing."),
    ],
)
def test_bundled_sample_staffing_tile_and_summary_name_the_story_cause(
    monkeypatch, day, cause, tile, clause
):
    """The Staffing page's "Main cause" tile and its summary say what the story above them says."""
    folder = sample_dir()
    monkeypatch.setattr(sample, "SAMPLE_DIR", folder)
    calls = io.load(folder / "calls.parquet").frame
    plan = io.load(folder / "intervals.csv").frame
    calibration = _sample_calibration(calls, plan)
    told = story.day_story(calls, day, plan=plan, calibration=calibration)
    assert told.cause == cause
    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT_S)
    app.query_params.update({"page": "staffing", "day": day})
    at = app.run()
    assert not at.exception, [e.value for e in at.exception]
    assert shown_story(at) == [markdown_text(story.describe(told, "en"))]
    shown = [m.value for m in at.metric if m.label == i18n.EN["staff.tile_cause"]]
    assert shown == [i18n.EN[tile]]
    # the summary under the tiles: why_day of the day (all queues, Erlang A, calibrated as
    # the story is) with the story's cause, ending in the clause that names it
    start = pd.Timestamp(day)
    end = start + pd.Timedelta(days=1)
    row = staffing.why_day(
        staffing.why_intervals(
            kpi.subset(calls, start, end), kpi.subset(plan, start, end), calibration=calibration
        )
    ).iloc[0]
    summary = staffing.why_summary(row, cause)["en"]
    assert clause in summary
    opening = escape_markdown(f"{day}: service level")
    assert [info.value for info in at.info if info.value.startswith(opening)] == [
        escape_markdown(summary)
    ]


def test_every_story_cause_has_a_tile_label():
    from pages import staffing_page

    named = set(staffing.CAUSE_EFFECTS) | set(staffing_page.CAUSE_KEYS)
    assert named == set(story.CAUSES)
    assert not set(staffing.CAUSE_EFFECTS) & set(staffing_page.CAUSE_KEYS)
    for key in staffing_page.CAUSE_KEYS.values():
        assert key in i18n.EN and key in i18n.ZH


_FITS: dict = {}


def _sample_calibration(calls, plan) -> staffing.Calibration:
    if "sample" not in _FITS:
        _FITS["sample"] = staffing.calibrate(calls, plan)
    return _FITS["sample"]


def _refuse(error: Exception):
    def day_story(*args, **kwargs):
        raise error

    return day_story


def _coded(message: str, code: str) -> ValueError:
    error = ValueError(message)
    error.code = code  # as ccmetrics.drill.explain marks the errors it can name
    return error


@pytest.mark.parametrize(
    ("error", "lang", "reason_key"),
    [
        (_coded("no baseline rows", "no_baseline_data"), "zh", "dd.error_no_baseline_data"),
        (OverflowError("math range error"), "en", "story.error_arithmetic"),
    ],
)
def test_a_story_that_cannot_be_told_says_why_in_the_ui_language(
    monkeypatch, error, lang, reason_key
):
    """The story panel names the refusal in the page's language instead of a traceback."""
    from pages import story_panel

    monkeypatch.setattr(sample, "SAMPLE_DIR", sample_dir())
    monkeypatch.setattr(story, "day_story", _refuse(error))
    story_panel._story.clear()  # a story cached by an earlier test would hide the refusal
    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT_S)
    app.query_params.update({"page": "overview", "day": "2025-03-07", "lang": lang})
    at = app.run()
    assert not at.exception, [e.value for e in at.exception]
    reason = i18n.t(reason_key, lang)
    assert i18n.t("story.error", lang, reason=escape_markdown(reason)) in [
        w.value for w in at.warning
    ]
    assert shown_story(at, lang) == []
    story_panel._story.clear()
