"""Where the staffing plan and the daily drivers come from, and their uploaders."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import streamlit as st

from ccmetrics import forecast, io, sample
from pages import common
from pages.common import tr
from pages.staffing_sections.shared import has_plan, state

__all__ = [
    "plan_source",
    "driver_source",
    "uploads_section",
    "plan_uploader",
    "drivers_uploader",
]


@st.cache_resource(show_spinner=False, max_entries=2)
def _sample_plan(folder: str) -> pd.DataFrame:
    return io.load(Path(folder) / "intervals.csv").frame


@st.cache_resource(show_spinner=False, max_entries=2)
def _sample_drivers(folder: str) -> pd.DataFrame:
    return forecast.read_drivers(Path(folder) / "weather.csv")


@st.cache_data(show_spinner=False, max_entries=4)
def _read_drivers(digest: str, name: str, _data: bytes) -> pd.DataFrame:
    """A daily driver file with its date column renamed ``date`` (``forecast.read_drivers``)."""
    return forecast.read_drivers(_data, name)


def plan_source(ctx: common.Context) -> tuple[str, pd.DataFrame | None, str]:
    """(cache key, plan frame or None, translated name) of the staffing plan in force.

    None with key "dataset" means the interval data in use carries its own plan
    (``staffing_inputs`` then reads it from the frame); key "none": no plan.
    """
    upload = state.get("staff_plan")
    if upload:
        result = common.load_upload(
            upload["name"], upload["data"], kind="intervals", digest=upload["digest"]
        )
        return (
            f"upload:{upload['digest']}",
            result.frame,
            tr("staff.plan_upload", name=upload["name"]),
        )
    if ctx.dataset.kind == "intervals" and has_plan(ctx.dataset.frame):
        return "dataset", None, tr("staff.plan_dataset")
    if ctx.dataset.is_sample:
        folder = str(sample.SAMPLE_DIR)
        if (Path(folder) / "intervals.csv").exists():
            return f"sample:{folder}", _sample_plan(folder), tr("staff.plan_sample")
    return "none", None, tr("staff.plan_none")


def driver_source(ctx: common.Context) -> tuple[str, pd.DataFrame | None, str]:
    """(cache key, daily driver table or None, name) of the drivers in force."""
    upload = state.get("staff_drivers")
    if upload:
        return (
            f"upload:{upload['digest']}",
            _read_drivers(upload["digest"], upload["name"], upload["data"]),
            upload["name"],
        )
    if ctx.dataset.is_sample:
        path = Path(sample.SAMPLE_DIR) / "weather.csv"
        if path.exists():
            return f"sample:{path}", _sample_drivers(str(path.parent)), tr("staff.drivers_sample")
    return "none", None, ""


def _plan_uploaded(widget_key: str) -> None:
    """Callback of the plan uploader: load the file, keep it when it holds a plan."""
    uploaded = state.get(widget_key)
    state.pop("staff_plan_message", None)
    if uploaded is None:
        state.pop("staff_plan", None)
        return
    data = uploaded.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    try:
        result = common.load_upload(uploaded.name, data, kind="intervals", digest=digest)
    except io.LoadError as error:
        state["staff_plan_message"] = common.tr_md(
            "staff.plan_error", reason=common.load_error_text(error)
        )
        return
    if not has_plan(result.frame):
        state["staff_plan_message"] = common.tr_md("staff.plan_no_columns", name=uploaded.name)
        return
    state["staff_plan"] = {"name": uploaded.name, "digest": digest, "data": data}


def _drivers_uploaded(widget_key: str) -> None:
    """Callback of the driver uploader: keep a daily driver file ``forecast.read_drivers`` reads."""
    uploaded = state.get(widget_key)
    state.pop("staff_drivers_message", None)
    if uploaded is None:
        state.pop("staff_drivers", None)
        return
    data = uploaded.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    try:
        _read_drivers(digest, uploaded.name, data)
    except forecast.DriverFileError as error:
        state["staff_drivers_message"] = common.tr_md(
            "staff.drivers_error", reason=common.load_error_text(error)
        )
        return
    state["staff_drivers"] = {"name": uploaded.name, "digest": digest, "data": data}


def _forget(name: str) -> None:
    """Stop using an upload of this page and empty its uploader."""
    state.pop(name, None)
    state[f"{name}_generation"] = state.get(f"{name}_generation", 0) + 1


def uploads_section(plan: pd.DataFrame | None) -> None:
    """The expander with the plan and driver uploaders."""
    with st.expander(tr("staff.inputs_title"), icon=":material/upload_file:"):
        left, right = st.columns(2)
        with left:
            plan_uploader(plan)
        with right:
            drivers_uploader()


def plan_uploader(plan: pd.DataFrame | None) -> None:
    plan_widget = f"staff_plan_file_{state.get('staff_plan_generation', 0)}"
    st.file_uploader(
        tr("staff.plan_upload_label"),
        type=["csv", "txt", "tsv", "gz", "xlsx", "xls", "parquet", "zip"],
        key=plan_widget,
        help=tr("staff.plan_upload_help"),
        on_change=_plan_uploaded,
        args=(plan_widget,),
    )
    if state.get("staff_plan_message"):
        st.error(state["staff_plan_message"], icon=":material/error:")
    if state.get("staff_plan"):
        st.caption(
            tr(
                "staff.plan_in_use",
                name=state["staff_plan"]["name"],
                rows=common.fmt_count(len(plan)),
            )
        )
        st.button(
            tr("staff.plan_remove"),
            on_click=_forget,
            args=("staff_plan",),
            key="staff_plan_remove",
        )


def drivers_uploader() -> None:
    drivers_widget = f"staff_drivers_file_{state.get('staff_drivers_generation', 0)}"
    st.file_uploader(
        tr("staff.drivers_upload_label"),
        type=["csv", "txt"],
        key=drivers_widget,
        help=tr("staff.drivers_upload_help"),
        on_change=_drivers_uploaded,
        args=(drivers_widget,),
    )
    if state.get("staff_drivers_message"):
        st.error(state["staff_drivers_message"], icon=":material/error:")
    if state.get("staff_drivers"):
        st.button(
            tr("staff.drivers_remove"),
            on_click=_forget,
            args=("staff_drivers",),
            key="staff_drivers_remove",
        )
