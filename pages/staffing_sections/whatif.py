"""The what-if section: agents one interval needs by Erlang C and A, and their curves."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import streamlit as st

from ccmetrics import i18n, staffing
from pages import common
from pages.common import tr
from pages.staffing_sections.charts import curve_chart
from pages.staffing_sections.shared import failure, pct, seconds, state

__all__ = [
    "INTERVAL_LENGTHS",
    "WHATIF",
    "init_whatif",
    "busiest_fill",
    "whatif_inputs",
    "whatif_boxes",
    "model_box",
    "whatif_curves",
    "whatif_section",
]

INTERVAL_LENGTHS = (15, 30, 60)
#: What-if inputs: widget key -> (URL parameter, default, lowest, highest). Defaults are the
#: Call Centre Helper worked example (100 calls in 30 min, AHT 180 s, 80/20, 30 % shrinkage).
WHATIF = {
    "staff_calls": ("st_calls", 100, 0, 100_000),
    "staff_len": ("st_len", 30, 15, 60),
    "staff_aht": ("st_aht", 180, 1, 7_200),
    "staff_thr": ("st_thr", 20, 0, 3_600),
    "staff_tgt": ("st_tgt", 80, 1, 99),
    "staff_shr": ("st_shr", 30, 0, 90),
    "staff_pat": ("st_pat", 300, 1, 3_600),
}


@st.cache_data(show_spinner=False, max_entries=64)
def _whatif(calls, minutes, aht_s, threshold_s, target_pct, shrinkage_pct, patience_s) -> dict:
    return staffing.what_if(
        calls, minutes, aht_s, threshold_s, target_pct / 100.0, shrinkage_pct / 100.0, patience_s
    )


def init_whatif() -> None:
    """Fill the what-if widgets from the URL (or their defaults) when they are not drawn yet."""
    for key, (param, default, low, high) in WHATIF.items():
        if key in state:
            continue
        try:
            value = int(float(common.page_param(param, default)))
        except (TypeError, ValueError):
            value = default
        if key == "staff_len" and value not in INTERVAL_LENGTHS:
            value = default
        state[key] = min(max(value, low), high)


def _whatif_changed(key: str) -> None:
    param, default, _, _ = WHATIF[key]
    common.remember(param, state[key], default)


def _fill_whatif(values: dict) -> None:
    """Callback: put the busiest interval of the day into the what-if inputs."""
    for key, value in values.items():
        param, default, low, high = WHATIF[key]
        state[key] = min(max(int(round(value)), low), high)
        common.remember(param, state[key], default)


@st.cache_data(show_spinner=False, max_entries=64)
def _busiest(scope: pd.DataFrame) -> dict:
    """:func:`ccmetrics.staffing.busiest_interval` of a day's intervals (cached by their
    content: it runs the day's queueing model twice, 0.3-0.8 s on every rerun otherwise)."""
    return staffing.busiest_interval(scope)


def busiest_fill(ctx: common.Context, day: dt.date, scope: pd.DataFrame) -> None:
    """The note and button that put the day's busiest interval into the what-if inputs."""
    busiest = _busiest(scope)
    patience, minutes = busiest["patience_s"], busiest["interval_minutes"]
    fill = {
        "staff_calls": busiest["offered"],
        "staff_aht": busiest["aht_s"],
        "staff_thr": ctx.settings.sl_threshold_s,
        "staff_tgt": ctx.settings.sl_target * 100,
    }
    if round(minutes) in INTERVAL_LENGTHS:
        fill["staff_len"] = minutes
    if math.isfinite(patience):
        fill["staff_pat"] = patience
    fill = {k: v for k, v in fill.items() if math.isfinite(v)}
    note_col, button_col = st.columns([3, 1], vertical_alignment="center")
    with note_col:
        st.caption(
            tr(
                "staff.fill_note",
                day=day.isoformat(),
                time=busiest["interval_start"].strftime("%H:%M"),
                calls=common.fmt_count(busiest["offered"]),
                aht=seconds(busiest["aht_s"]),
                patience=seconds(patience) if math.isfinite(patience) else tr("staff.no_patience"),
            )
        )
    with button_col:
        st.button(
            tr("staff.fill_busiest"),
            on_click=_fill_whatif,
            args=(fill,),
            key="staff_fill",
            icon=":material/input:",
        )


def whatif_inputs() -> None:
    inputs = st.columns(7)
    labels = {
        "staff_calls": (tr("staff.in_calls"), None),
        "staff_len": (tr("staff.in_len"), None),
        "staff_aht": (tr("staff.in_aht"), None),
        "staff_thr": (tr("staff.in_thr"), None),
        "staff_tgt": (tr("staff.in_tgt"), None),
        "staff_shr": (tr("staff.in_shr"), tr("staff.in_shr_help")),
        "staff_pat": (tr("staff.in_pat"), tr("staff.in_pat_help")),
    }
    for column, (key, (label, help_text)) in zip(inputs, labels.items(), strict=True):
        _, _, low, high = WHATIF[key]
        with column:
            if key == "staff_len":
                st.selectbox(
                    label,
                    options=list(INTERVAL_LENGTHS),
                    key=key,
                    on_change=_whatif_changed,
                    args=(key,),
                )
            else:
                st.number_input(
                    label,
                    min_value=low,
                    max_value=high,
                    step=1,
                    key=key,
                    help=help_text,
                    on_change=_whatif_changed,
                    args=(key,),
                )


def whatif_boxes(what: dict, shrinkage_pct: int, patience_s: int) -> None:
    """Required and scheduled agents by Erlang C and A, and the queue at that many agents."""
    shrinkage_text = i18n.format_number(shrinkage_pct / 100, "percent", common.lang(), decimals=0)
    box_c, box_a = st.columns(2)
    at_c, at_a = what["at_c"], what["at_a"]
    with box_c.container(border=True):
        model_box(
            tr("staff.box_erlang_c"),
            what["required_c"],
            what["scheduled_c"],
            shrinkage_text,
            tr(
                "staff.at_required_c",
                agents=what["required_c"],
                sl=pct(at_c["service_level"]),
                p_wait=pct(at_c["p_wait"]),
                asa=seconds(at_c["asa_s"], 1),
                occupancy=pct(at_c["occupancy"]),
            ),
        )
    with box_a.container(border=True):
        model_box(
            tr("staff.box_erlang_a", patience=seconds(patience_s)),
            what["required_a"],
            what["scheduled_a"],
            shrinkage_text,
            tr(
                "staff.at_required_a",
                agents=what["required_a"],
                sl=pct(at_a["service_level"]),
                abandon=pct(at_a["p_abandon"]),
                asa=seconds(at_a["asa_s"], 1),
                occupancy=pct(at_a["occupancy"]),
            ),
        )
    st.caption(tr("staff.load", load=f"{at_a['load_erlangs']:,.2f}"))


def model_box(title: str, required: int, scheduled: int, shrinkage_text: str, at: str) -> None:
    """One model's box: its title, required and scheduled agents, the queue at the required."""
    st.markdown(f"**{title}**")
    left, right = st.columns(2)
    left.metric(tr("staff.required"), common.fmt_count(required), help=tr("staff.required_help"))
    right.metric(tr("staff.scheduled", shrinkage=shrinkage_text), common.fmt_count(scheduled))
    st.caption(at)


def whatif_curves(curve: pd.DataFrame, threshold_s: int, target_pct: int, patience_s: int) -> None:
    """Four panels (SL, ASA, occupancy, abandon) over the agent counts, and their table."""
    models = {
        "erlang_c": tr("staff.box_erlang_c"),
        "erlang_a": tr("staff.box_erlang_a", patience=seconds(patience_s)),
    }
    # ASA near an unstable queue runs to minutes: the axis stops at the slowest Erlang A
    # answer (bounded by the patience) or three thresholds, whichever is larger
    asa_top = max(float(curve["erlang_a_asa_s"].max()), 3.0 * threshold_s, 1.0)
    panels = {  # file and key name -> (columns, title, format, axis top, target rule)
        "sl": (
            {"erlang_c_sl": "erlang_c", "erlang_a_sl": "erlang_a"},
            tr("staff.curve_sl"),
            ".0%",
            1,
            target_pct / 100,
        ),
        "asa": (
            {"erlang_c_asa_s": "erlang_c", "erlang_a_asa_s": "erlang_a"},
            tr("staff.curve_asa"),
            ",.0f",
            asa_top,
            None,
        ),
        "occupancy": (
            {"erlang_c_occupancy": "erlang_c", "erlang_a_occupancy": "erlang_a"},
            tr("kpi.occupancy"),
            ".0%",
            1,
            None,
        ),
        "abandon": (
            {"erlang_a_p_abandon": "erlang_a"},
            tr("staff.curve_abandon"),
            ".0%",
            None,
            None,
        ),
    }
    panel_names = list(panels)
    for row_start in (0, 2):
        pair = panel_names[row_start : row_start + 2]
        for column, name in zip(st.columns(2), pair, strict=True):
            with column:
                chart = curve_chart(curve, models, *panels[name])
                st.altair_chart(chart, width="stretch", key=f"staff_whatif_{name}_chart")
                common.png_download(
                    chart, f"staffing_whatif_{name}", key=f"staff_whatif_{name}_chart"
                )
    with st.expander(tr("staff.curve_table")):
        shown = pd.DataFrame(
            {
                tr("staff.col_agents"): curve["agents"],
                tr("staff.col_c_sl"): (curve["erlang_c_sl"] * 100).round(1),
                tr("staff.col_c_asa"): curve["erlang_c_asa_s"].round(1),
                tr("staff.col_c_occupancy"): (curve["erlang_c_occupancy"] * 100).round(1),
                tr("staff.col_a_sl"): (curve["erlang_a_sl"] * 100).round(1),
                tr("staff.col_a_asa"): curve["erlang_a_asa_s"].round(1),
                tr("staff.col_a_occupancy"): (curve["erlang_a_occupancy"] * 100).round(1),
                tr("staff.col_a_abandon"): (curve["erlang_a_p_abandon"] * 100).round(1),
            }
        )
        st.dataframe(shown, hide_index=True, width="stretch")
        st.download_button(
            tr("overview.download_csv"),
            data=common.csv_bytes(shown),
            file_name="ccmetrics_staffing_whatif.csv",
            mime="text/csv",
            icon=":material/download:",
            key="staff_curve_csv",
        )


def whatif_section(ctx: common.Context, day: dt.date, scope: pd.DataFrame | None) -> None:
    """How many agents would one interval need? Erlang C and A from the inputs."""
    st.subheader(tr("staff.whatif_title"))
    st.caption(tr("staff.whatif_intro"))
    init_whatif()
    if scope is not None:  # a day with calls: offer its busiest interval
        busiest_fill(ctx, day, scope)
    whatif_inputs()
    calls, minutes, aht_s = state["staff_calls"], state["staff_len"], state["staff_aht"]
    threshold_s, target_pct = state["staff_thr"], state["staff_tgt"]
    shrinkage_pct, patience_s = state["staff_shr"], state["staff_pat"]
    try:
        what = _whatif(calls, minutes, aht_s, threshold_s, target_pct, shrinkage_pct, patience_s)
    except (ValueError, ArithmeticError) as error:  # e.g. an overflow far below the load
        failure("staff.whatif_error", error)
        return
    whatif_boxes(what, shrinkage_pct, patience_s)
    whatif_curves(what["curve"], threshold_s, target_pct, patience_s)
