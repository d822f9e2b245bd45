"""The day's story, shown the same way on the Overview, Drill-down and Staffing pages.

One cached call to :func:`ccmetrics.story.day_story` per data set, plan, queues, day and
settings, with the staffing model calibrated once per data set, plan and queues
(:func:`ccmetrics.staffing.calibrate`); the sentence comes from
:func:`ccmetrics.story.describe`. The story is of the sidebar's queues (every queue when none
is picked): it reads the calls and the plan rows :func:`ccmetrics.story.story_inputs` keeps
for them, as the Report page does with the same filter. It is judged over the sidebar's date
range (:func:`ccmetrics.story.story_span`), the days the Control charts page charts and the
Report page reports on. Names in it come from the data: they are escaped before Markdown sees
them.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import streamlit as st

from ccmetrics import i18n, io, sample, staffing, story
from pages import common

__all__ = [
    "markdown_text",
    "plan_in_force",
    "calibration",
    "story_inputs",
    "day_story",
    "error_reason",
    "show_story",
]

#: Characters Markdown (and Streamlit's extensions) would read as markup.
_MARKUP = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:=])")
#: Columns that make an interval frame a staffing plan.
_PLAN_COLUMNS = ("staffed_agents", "scheduled_agents", "forecast_offered")


def markdown_text(text: str) -> str:
    """``text`` with every Markdown character escaped, so it shows as typed.

    Examples
    --------
    >>> markdown_text("category=**GPRS** & [x](y)")
    'category\\\\=\\\\*\\\\*GPRS\\\\*\\\\* & \\\\[x\\\\]\\\\(y\\\\)'
    """
    return _MARKUP.sub(r"\\\1", text)


@st.cache_resource(show_spinner=False, max_entries=2)
def _sample_plan(folder: str) -> pd.DataFrame:
    return io.load(Path(folder) / "intervals.csv").frame


def plan_in_force(ctx: common.Context) -> tuple[str, pd.DataFrame | None]:
    """(cache key, plan or None) as the Staffing page finds it: its upload, the data's own, the sample's."""
    upload = st.session_state.get("staff_plan")
    if upload:
        result = common.load_upload(
            upload["name"], upload["data"], kind="intervals", digest=upload["digest"]
        )
        return f"upload:{upload['digest']}", result.frame
    frame = ctx.dataset.frame
    if ctx.dataset.kind == "intervals" and any(
        column in frame.columns and frame[column].notna().any() for column in _PLAN_COLUMNS
    ):
        return "dataset", None
    if ctx.dataset.is_sample:
        folder = str(sample.SAMPLE_DIR)
        if (Path(folder) / "intervals.csv").exists():
            return f"sample:{folder}", _sample_plan(folder)
    return "none", None


@st.cache_data(show_spinner=False, max_entries=8)  # per model, and per queues a story reads
def _calibration(key, plan_key, settings, model, queues, _frame, _plan) -> staffing.Calibration:
    return staffing.calibrate(_frame, _plan, settings=settings, model=model)


def _has_staffing(frame: pd.DataFrame, plan: pd.DataFrame | None) -> bool:
    source = plan if plan is not None else frame
    return "staffed_agents" in source.columns and bool(source["staffed_agents"].notna().any())


def calibration(
    ctx: common.Context, plan_key: str, plan, model: str = "erlang_a"
) -> staffing.Calibration | None:
    """The Staffing page's calibration for ``model`` (cached), None without staffing data.

    With a queue filter and a plan split by queue: the queues' own, the one the report
    with that filter and the stories of those queues read (:func:`_story_calibration`).
    Otherwise the data set's: a plan without queue values is compared with every call
    (``staffing.staffing_inputs``, said on the page), so it is calibrated on every call.
    """
    if ctx.queues and (plan is None or story.plan_splits_by(plan, "queue")):
        return _story_calibration(ctx, plan_key, plan, model)
    if not _has_staffing(ctx.dataset.frame, plan):
        return None
    return _calibration(
        ctx.dataset.key, plan_key, ctx.settings, model, (), _frame=ctx.dataset.frame, _plan=plan
    )


def _story_calibration(
    ctx: common.Context, plan_key: str, plan, model: str = "erlang_a"
) -> staffing.Calibration | None:
    """The calibration a story of the sidebar's queues reads, as the report with its filter:
    on the calls and plan rows of those queues (:func:`story_inputs`); the data set's
    without a queue filter."""
    frame, plan_rows = story_inputs(ctx, plan_key, plan)
    if not _has_staffing(frame, plan_rows):
        return None
    return _calibration(
        ctx.dataset.key,
        plan_key,
        ctx.settings,
        model,
        tuple(ctx.queues),
        _frame=frame,
        _plan=plan_rows,
    )


@st.cache_resource(show_spinner=False, max_entries=2)
def _story_inputs(key, plan_key, queues, _frame, _plan):
    # shared, never changed: a resource, not a copy of the data set per call
    return story.story_inputs(_frame, _plan, {"queue": list(queues)})


def story_inputs(
    ctx: common.Context, plan_key: str, plan
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(calls, plan rows) a story of the sidebar's queues reads, as the report with its filter
    (:func:`ccmetrics.story.story_inputs`); the data set and ``plan`` without a queue filter."""
    if not ctx.queues:
        return ctx.dataset.frame, plan
    return _story_inputs(
        ctx.dataset.key, plan_key, ctx.queues, _frame=ctx.dataset.frame, _plan=plan
    )


@st.cache_data(show_spinner=False, max_entries=4)
def _daily_chart(key, queues, settings, first, stop, _frame) -> pd.DataFrame:
    return story.daily_chart(_frame, settings, first, stop)


@st.cache_data(show_spinner=False, max_entries=64)
def _story(
    key, plan_key, queues, day, settings, start, end, _frame, _plan, _calibration
) -> story.Story:
    first, stop = story.story_span(day, start, end)
    return story.day_story(
        _frame,
        day,
        plan=_plan,
        settings=settings,
        calibration=_calibration,
        chart=_daily_chart(key, queues, settings, first, stop, _frame=_frame),
        start=start,
        end=end,
    )


def day_story(ctx: common.Context, day: dt.date, plan_key=None, plan=None) -> story.Story:
    """The story of ``day`` for the sidebar's queues over its date range (cached)."""
    if plan_key is None:
        plan_key, plan = plan_in_force(ctx)
    frame, plan_rows = story_inputs(ctx, plan_key, plan)
    return _story(
        ctx.dataset.key,
        plan_key,
        ctx.queues,
        day.isoformat(),
        ctx.settings,
        ctx.start.isoformat(),
        ctx.end_exclusive.isoformat(),
        _frame=frame,
        _plan=plan_rows,
        _calibration=_story_calibration(ctx, plan_key, plan),
    )


def error_reason(error: ValueError | ArithmeticError) -> str:
    """Why the day's story could not be told, in the UI's language (plain text).

    ``story.day_story`` and the calibration refuse data with a ``ValueError``: a plan
    that cannot be loaded (``io.LoadError``, by its code), a drill-down error (by its
    code, as the Drill-down page words it), or another message of ccmetrics (a
    chart's or the queueing model's, which names the value). An ``ArithmeticError``
    is the queueing model overflowing on the day's numbers.
    """
    if isinstance(error, ArithmeticError):
        return common.tr("story.error_arithmetic")
    if isinstance(error, io.LoadError):
        return common.load_error_text(error)
    code = getattr(error, "code", None)
    if code and i18n.has_key(f"dd.error_{code}", common.lang()):
        return common.tr(f"dd.error_{code}")
    return str(error)[:200]


def show_story(ctx: common.Context, day: dt.date, plan_key=None, plan=None) -> story.Story | None:
    """One ``st.info`` with the day's story (a warning instead when it cannot be told)."""
    try:
        told = day_story(ctx, day, plan_key, plan)
    except (ValueError, ArithmeticError) as error:  # data ccmetrics refuses: say why, no traceback
        st.warning(
            common.tr_md("story.error", reason=error_reason(error)), icon=":material/warning:"
        )
        return None
    st.info(
        f"**{common.tr('story.title')}** — {markdown_text(story.describe(told, ctx.lang))}",
        icon=":material/auto_stories:",
    )
    return told
