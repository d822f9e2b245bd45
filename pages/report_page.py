"""Report: pick the period's findings, add notes, build the meeting report, download it.

Thin page over :mod:`ccmetrics.report`: the days on which a control chart signalled
(:func:`~ccmetrics.report.candidate_findings`, for the sidebar's period and queues) are
listed with checkboxes — ticked at first: what :func:`~ccmetrics.report.build_report`
keeps when nobody chooses — each with a notes box; an optional change date asks for the
improvement check. "Build report" builds the report once for that selection (cached)
and offers the HTML file, the PowerPoint deck and a zip of the chart images, all in the
UI language, with a preview of the HTML.

Every file the app has loaded explains the findings: the staffing plan and the daily
driver file uploaded on the Staffing page (``staff_plan``, ``staff_drivers`` in the session),
else with the bundled sample its interval report (``intervals.csv``) and weather file
(``weather.csv``); an interval dataset with staffed agents explains itself.

Page state in the URL: ``rp_days`` (the ticked days, comma-separated, "none" for none;
absent = the default choice) and ``rp_change`` (the change date).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pandas as pd
import streamlit as st

from ccmetrics import forecast, kpi, report, sample
from pages import common, report_people, story_panel, targets_section
from pages.common import tr

state = st.session_state
ctx = common.context()

PPTX_MIME = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PREVIEW_HEIGHT = 900
NOTE_MAX_CHARS = 2000
#: URL value of an empty choice (an absent parameter means the default choice).
NO_DAYS = "none"


# --------------------------------------------------------------------------- data sources


@st.cache_resource(show_spinner=False, max_entries=2)
def _sample_weather(folder: str) -> pd.DataFrame:
    return pd.read_csv(Path(folder) / "weather.csv")


@st.cache_data(show_spinner=False, max_entries=4)
def _uploaded_drivers(digest: str, name: str, _data: bytes) -> pd.DataFrame:
    """The daily driver file uploaded on the Staffing page, read as that page reads it
    (:func:`ccmetrics.forecast.read_drivers`; a bad file raises its ``DriverFileError``)."""
    return forecast.read_drivers(_data, name)


def driver_error_text(error: forecast.DriverFileError) -> str:
    """A driver file's problem in the UI's language, names escaped for Markdown."""
    return common.tr_md(f"error.{error.code}", **error.params)


def _plan_source() -> tuple[str, pd.DataFrame | None, str]:
    """(key, plan frame, name) of the staffing plan the app has loaded: the one every page
    uses (``story_panel.plan_in_force``: the Staffing page's upload, else the interval
    data itself, else the sample's intervals)."""
    plan_key, plan = story_panel.plan_in_force(ctx)
    if plan_key.startswith("upload:"):
        return plan_key, plan, state["staff_plan"]["name"]
    if plan_key == "dataset":
        frame = ctx.dataset.frame
        if "staffed_agents" not in frame.columns or frame["staffed_agents"].isna().all():
            return "none", None, ""  # a plan without staffed agents attributes nothing
        return plan_key, None, ctx.dataset.name
    if plan_key.startswith("sample:"):
        return plan_key, plan, "intervals.csv"
    return "none", None, ""


def _driver_source() -> tuple[str, pd.DataFrame | None, str]:
    """(key, daily drivers, name): the Staffing page's upload, else the sample's weather."""
    upload = state.get("staff_drivers")
    if upload:
        try:
            table = _uploaded_drivers(upload["digest"], upload["name"], upload["data"])
        except forecast.DriverFileError as error:  # left out, with the reason in words
            st.warning(
                common.tr_md("report.drivers_error", name=upload["name"])
                + " "
                + driver_error_text(error),
                icon=":material/warning:",
            )
            return "none", None, ""
        return f"upload:{upload['digest']}", table, upload["name"]
    folder = Path(sample.SAMPLE_DIR)
    if ctx.dataset.is_sample and (folder / "weather.csv").exists():
        return f"sample:{folder}", _sample_weather(str(folder)), "weather.csv"
    return "none", None, ""


def report_sources() -> tuple[str, pd.DataFrame | None, pd.DataFrame | None, str]:
    """(cache key, staffing intervals, daily drivers, translated note) for :func:`build_report`.

    Every file the app has loaded goes into the report: the staffing plan and the driver
    file uploaded on the Staffing page, else the sample's interval report and weather file
    with the sample; an interval dataset with staffed agents carries its own staffing
    (``intervals`` stays None).
    """
    plan_key, plan, plan_name = _plan_source()
    drivers_key, drivers, drivers_name = _driver_source()
    lines = []
    if plan_key == "dataset":
        lines.append(tr("report.sources_dataset"))
    elif plan_key != "none":
        lines.append(tr("report.sources_plan", name=plan_name))
    if drivers_key != "none":
        lines.append(tr("report.sources_drivers", name=drivers_name))
    note = " ".join(lines) if lines else tr("report.sources_none")
    return f"{plan_key}|{drivers_key}", plan, drivers, note


# --------------------------------------------------------------------------- cached ccmetrics calls


def _filters(queues: tuple[str, ...]) -> dict | None:
    return {"queue": list(queues)} if queues else None


@st.cache_data(show_spinner=False, max_entries=32)
def _candidates(key, start, end, queues, settings, lang, _frame) -> pd.DataFrame:
    frame = kpi.subset(_frame, filters=_filters(queues)) if queues else _frame
    return report.candidate_findings(frame, start=start, end=end, settings=settings, lang=lang)


@st.cache_data(show_spinner=False, max_entries=8)
def _report_files(
    key,
    start,
    end,
    queues,
    settings,
    lang,
    findings,
    notes_key,
    change_date,
    sources_key,
    _frame,
    _notes,
    _intervals,
    _drivers,
    source_name,
    targets_key=(),
    _targets=None,
    roster_key="",
    _roster=None,
) -> dict:
    """The report's files: ``html`` (str), ``pptx`` and ``zip`` (bytes), and a summary."""
    built = report.build_report(
        _frame,
        start=start,
        end=end,
        settings=settings,
        lang=lang,
        findings=list(findings),
        notes=_notes,
        change_date=change_date,
        intervals=_intervals,
        drivers=_drivers,
        filters=_filters(queues),
        source=source_name,
        targets=_targets,
        roster=_roster,
    )
    return {
        "html": report.report_html(built),
        "pptx": report.report_pptx(built),
        "zip": report.png_zip(built),
        "generated": built.generated,
        "findings": len(built.findings),
        "charts": len(built.all_charts),
    }


# --------------------------------------------------------------------------- page state


def _parse_day(text) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        return None


def default_days(candidates: pd.DataFrame) -> list[str]:
    """What :func:`ccmetrics.report.build_report` keeps by default: the first beyond the limits."""
    beyond = candidates[candidates["beyond_limits"].to_numpy(dtype=bool)]
    return beyond["finding"].head(report.DEFAULT_MAX_FINDINGS).tolist()


def initial_days(candidates: pd.DataFrame) -> list[str]:
    """Ticked days from the URL (``rp_days``), or the default when it names none of them."""
    wanted = common.page_param("rp_days")
    if wanted == NO_DAYS:
        return []
    ids = candidates["finding"].tolist()
    picked = [day for day in str(wanted or "").split(",") if day in ids]
    return picked or default_days(candidates)


def pick_key(day: str) -> str:
    return f"rp_pick_{day}"


def note_key(day: str) -> str:
    return f"rp_note_{day}"


def remember_picks(ids: list[str], default: list[str]) -> None:
    """Callback of a checkbox: mirror the ticked days in the URL (absent when default)."""
    picked = [day for day in ids if state.get(pick_key(day))]
    if picked == default:
        common.set_page_param("rp_days", None)
    else:
        common.set_page_param("rp_days", ",".join(picked) or NO_DAYS)


def remember_note(day: str) -> None:
    """Callback of a notes box: keep the note when the box is not drawn (page switch)."""
    state.setdefault("_rp_notes", {})[day] = state.get(note_key(day), "")


def remember_change() -> None:
    value = state.get("rp_change_input")
    common.set_page_param("rp_change", value.isoformat() if value else None)


# --------------------------------------------------------------------------- header

st.title(tr("nav.report"))
st.caption(
    tr(
        "report.intro",
        start=ctx.start.isoformat(),
        end=ctx.end.isoformat(),
        days=ctx.days,
        queues=", ".join(map(common.md, ctx.queues)) if ctx.queues else tr("overview.all_queues"),
    )
)

days = common.daily(ctx)
if days.empty or days["offered"].sum() == 0:
    st.info(tr("report.no_data"), icon=":material/filter_alt_off:")
    st.stop()

args = (
    ctx.dataset.key,
    pd.Timestamp(ctx.start),
    pd.Timestamp(ctx.end_exclusive),
    ctx.queues,
    ctx.settings,
)
try:
    candidates = _candidates(*args, ctx.lang, _frame=ctx.dataset.frame)
except ValueError as error:
    st.warning(
        common.tr_md("report.error", reason=report.error_reason(error, ctx.lang)),
        icon=":material/warning:",
    )
    st.stop()

# --------------------------------------------------------------------------- findings

st.subheader(tr("report.findings_title"))
ids = candidates["finding"].tolist()
default = default_days(candidates)
if candidates.empty:
    st.info(tr("report.no_candidates"), icon=":material/check_circle:")
else:
    st.caption(tr("report.findings_help", count=report.DEFAULT_MAX_FINDINGS))
    ticked = set(initial_days(candidates))
    saved_notes = state.setdefault("_rp_notes", {})
    for day in ids:
        state.setdefault(pick_key(day), day in ticked)
        state.setdefault(note_key(day), saved_notes.get(day, ""))
    beyond = candidates["beyond_limits"].to_numpy(dtype=bool)
    for heading, rows in (
        ("report.beyond_title", candidates[beyond]),
        ("report.runs_title", candidates[~beyond]),
    ):
        if rows.empty:
            continue
        st.markdown(f"**{tr(heading)}**")
        for day, label in zip(rows["finding"], rows["label"], strict=True):
            with st.container(border=True):
                st.checkbox(
                    common.md(label),
                    key=pick_key(day),
                    on_change=remember_picks,
                    args=(ids, default),
                )
                if state[pick_key(day)]:
                    st.text_area(
                        tr("report.note_label", day=day),
                        key=note_key(day),
                        placeholder=tr("report.note_placeholder"),
                        max_chars=NOTE_MAX_CHARS,
                        height=90,
                        on_change=remember_note,
                        args=(day,),
                    )

picked = [day for day in ids if state.get(pick_key(day))]
notes = {day: state.get(note_key(day), "") for day in picked if state.get(note_key(day))}
if ids:
    st.caption(tr("report.selected", count=len(picked), total=len(ids)))

# --------------------------------------------------------------------------- improvement check

st.subheader(tr("report.change_title"))
if "rp_change_input" not in state:
    wanted_change = _parse_day(common.page_param("rp_change"))
    state["rp_change_input"] = (
        wanted_change if wanted_change and ctx.start <= wanted_change <= ctx.end else None
    )
elif state["rp_change_input"] and not ctx.start <= state["rp_change_input"] <= ctx.end:
    state["rp_change_input"] = None  # the period moved away from the change date
    common.set_page_param("rp_change", None)
with st.columns([1, 2])[0]:
    change_date = st.date_input(
        tr("report.change_date"),
        min_value=ctx.start,
        max_value=ctx.end,
        key="rp_change_input",
        format="YYYY-MM-DD",
        help=tr("report.change_help"),
        on_change=remember_change,
    )

# --------------------------------------------------------------------------- build

st.subheader(tr("report.build_title"))
sources_key, intervals, drivers, sources_note = report_sources()
st.caption(sources_note)

notes_key = hashlib.sha256(json.dumps(notes, sort_keys=True).encode("utf-8")).hexdigest()[:16]
selection = (
    *args,
    tuple(picked),
    notes_key,
    change_date.isoformat() if change_date else None,
    sources_key,
)
if st.button(tr("report.build"), type="primary", icon=":material/description:", key="rp_build"):
    state["_rp_built"] = selection
built_for = state.get("_rp_built")
if built_for != selection:
    st.caption(tr("report.stale") if built_for else tr("report.build_hint"))
    st.stop()

try:
    with st.spinner(tr("report.building"), show_time=True):
        files = _report_files(
            *selection[:5],
            ctx.lang,
            *selection[5:],
            _frame=ctx.dataset.frame,
            _notes=notes,
            _intervals=intervals,
            _drivers=drivers,
            source_name=ctx.dataset.name,
            **targets_section.report_targets(ctx),
            **report_people.report_roster(ctx),
        )
except ValueError as error:
    st.warning(
        common.tr_md("report.error", reason=report.error_reason(error, ctx.lang)),
        icon=":material/warning:",
    )
    st.stop()

st.success(
    tr("report.built", when=files["generated"], findings=files["findings"], charts=files["charts"]),
    icon=":material/task_alt:",
)
base = f"ccmetrics_report_{ctx.start.isoformat()}_{ctx.end.isoformat()}_{ctx.lang}"
downloads = (
    ("report.download_html", files["html"].encode("utf-8"), "html", "text/html", "html"),
    ("report.download_pptx", files["pptx"], "pptx", PPTX_MIME, "slideshow"),
    ("report.download_zip", files["zip"], "zip", "application/zip", "imagesmode"),
)
for column, (label_key, data, extension, mime, icon) in zip(
    st.columns(len(downloads)), downloads, strict=True
):
    with column:
        st.download_button(
            tr(label_key),
            data=data,
            file_name=f"{base}.{extension}",
            mime=mime,
            icon=f":material/{icon}:",
            key=f"rp_download_{extension}",
            on_click="ignore",
            width="stretch",
        )

st.subheader(tr("report.preview_title"))
st.caption(tr("report.preview_caption"))
st.iframe(files["html"], height=PREVIEW_HEIGHT)
