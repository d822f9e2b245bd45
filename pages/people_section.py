"""People sections: the roster upload (Data page), attrition, survival by tenure, KPIs by
tenure and QA evaluator calibration (Teams page).

Each section reads state, calls :mod:`ccmetrics.people` or
:func:`ccmetrics.compare.evaluator_calibration` (cached) and draws; every number shown
comes from those functions. The roster in use is ``st.session_state["roster"]``
(``{"name", "digest", "frame"}``) once a roster file is uploaded; with the bundled sample
calls and no upload, the sample's ``roster.csv``.
"""

from __future__ import annotations

import hashlib
import io as bytes_io
from pathlib import Path

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from ccmetrics import compare, people
from ccmetrics.io import LoadError
from pages import common
from pages.common import tr

__all__ = [
    "ROSTER_KEY",
    "ATTRITION_MONTHS",
    "TENURE_KPIS",
    "current_roster",
    "roster_upload",
    "people_sections",
    "calibration_section",
]

#: Session-state key of an uploaded roster.
ROSTER_KEY = "roster"
#: Months of attrition shown, ending with the data's last month.
ATTRITION_MONTHS = 24
#: KPIs of the tenure table, in order (those without data are dropped).
TENURE_KPIS = ("answered", "aht_s", "qa_mean", "qa_n", "fcr_rate", "csat_mean", "transfer_rate")
LEVEL = 0.95


def _pct_label() -> str:
    return f"{100 * LEVEL:g}%"


# --------------------------------------------------------------------------- the roster


@st.cache_data(show_spinner=False, max_entries=4)
def _read_roster(digest: str, name: str, _data: bytes) -> pd.DataFrame:
    source = bytes_io.BytesIO(_data)
    source.name = name
    return people.read_roster(source)


def _sample_roster_path() -> Path:
    from ccmetrics import sample

    return Path(sample.SAMPLE_DIR) / "roster.csv"


def current_roster(ctx: common.Context) -> tuple[pd.DataFrame, str, bool] | None:
    """(roster, file name, is the sample's) in use, or None.

    An uploaded roster goes with any data set; the sample's roster only with the sample calls.
    """
    uploaded = st.session_state.get(ROSTER_KEY)
    if uploaded:
        return uploaded["frame"], uploaded["name"], False
    path = _sample_roster_path()
    if ctx.dataset.is_sample and path.exists():
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        return _read_roster(digest, path.name, data), path.name, True
    return None


def roster_upload(ctx: common.Context) -> None:
    """The Data page's roster uploader, what is in use and the rows it was read from."""
    st.subheader(tr("people.roster_title"))
    st.caption(tr("people.roster_help"))
    uploaded = st.file_uploader(
        tr("people.roster_upload"), type=common.UPLOAD_TYPES, key="roster_uploader"
    )
    if uploaded is not None and uploaded.file_id != st.session_state.get("_roster_file_id"):
        st.session_state["_roster_file_id"] = uploaded.file_id
        data = uploaded.getvalue()
        digest = hashlib.sha256(data).hexdigest()
        try:
            frame = _read_roster(digest, uploaded.name, data)
        except LoadError as error:
            st.session_state["_roster_error"] = common.tr_md(
                "people.roster_error", reason=common.load_error_text(error)
            )
        except Exception as error:  # an unexpected reader failure must not show a traceback
            st.session_state["_roster_error"] = common.tr_md(
                "data.unexpected_error", error=f"{type(error).__name__}: {str(error)[:200]}"
            )
        else:
            st.session_state["_roster_error"] = None
            st.session_state[ROSTER_KEY] = {"name": uploaded.name, "digest": digest, "frame": frame}
    if uploaded is not None and st.session_state.get("_roster_error"):
        st.error(st.session_state["_roster_error"], icon=":material/error:")
    found = current_roster(ctx)
    if found is None:
        return
    roster, name, is_sample = found
    agents = common.fmt_count(roster["agent"].nunique())
    if is_sample:
        st.info(tr("people.roster_sample", agents=agents), icon=":material/badge:")
    else:
        st.success(
            common.tr_md("people.roster_loaded", name=name, agents=agents), icon=":material/badge:"
        )
    dropped = roster.attrs.get("dropped", {})
    st.caption(
        tr(
            "people.roster_rows",
            file_rows=common.fmt_count(roster.attrs.get("file_rows", len(roster))),
            loaded=common.fmt_count(len(roster)),
            dropped=common.fmt_count(sum(dropped.values())),
        )
    )
    if not is_sample and st.button(tr("people.roster_remove"), key="roster_remove"):
        st.session_state.pop(ROSTER_KEY, None)
        st.rerun()


# --------------------------------------------------------------------------- cached numbers


@st.cache_data(show_spinner=False, max_entries=8)
def _attrition(key: str, start, end, by, _roster: pd.DataFrame) -> pd.DataFrame:
    return people.attrition(_roster, "MS", by=by, start=start, end=end, level=LEVEL)


@st.cache_data(show_spinner=False, max_entries=8)
def _attrition_summary(key: str, start, end, by, _roster: pd.DataFrame) -> pd.DataFrame:
    return people.attrition_summary(_roster, by=by, start=start, end=end, level=LEVEL)


@st.cache_data(show_spinner=False, max_entries=8)
def _survival(key: str, end, _roster: pd.DataFrame) -> pd.DataFrame:
    return people.survival(_roster, end=end, level=LEVEL)


@st.cache_data(show_spinner=False, max_entries=8)
def _by_tenure(key: str, view: tuple, _calls: pd.DataFrame, _roster: pd.DataFrame) -> pd.DataFrame:
    return people.kpis_by_tenure(_calls, _roster, settings=view[-1])


@st.cache_data(show_spinner=False, max_entries=8)
def _calibration(view: tuple, _calls: pd.DataFrame) -> dict:
    return compare.evaluator_calibration(_calls, level=LEVEL)


def _roster_key(roster: pd.DataFrame, name: str) -> str:
    """A cache key of a roster's content."""
    hashed = pd.util.hash_pandas_object(roster, index=False).to_numpy()
    return f"{name}:{hashlib.sha256(hashed.tobytes()).hexdigest()[:16]}"


def _view(ctx: common.Context) -> tuple:
    return (ctx.dataset.key, ctx.start, ctx.end, ctx.queues, ctx.settings)


# --------------------------------------------------------------------------- drawing


def _percent(value: float) -> str:
    return f"{100 * value:.1f}%" if np.isfinite(value) else tr("unit.missing")


def _attrition_chart(data: pd.DataFrame) -> None:
    """Each month's attrition rate with its interval, drawn with its PNG download."""
    month, rate = tr("people.month"), tr("people.rate")
    x = alt.X("month:O", title=month, axis=alt.Axis(labelAngle=-45))
    bars = alt.Chart(data).mark_rule(color="#9e9e9e").encode(x=x, y="low:Q", y2="high:Q")
    points = (
        alt.Chart(data)
        .mark_circle(size=60, color="#4c78a8")
        .encode(
            x=x,
            y=alt.Y("rate:Q", title=f"{rate} (%)", axis=alt.Axis(**common.HORIZONTAL_TITLE)),
            tooltip=[
                alt.Tooltip("month:O", title=month),
                alt.Tooltip("rate:Q", title=f"{rate} (%)", format=".1f"),
                alt.Tooltip("low:Q", title="↓", format=".1f"),
                alt.Tooltip("high:Q", title="↑", format=".1f"),
                alt.Tooltip("leavers:Q", title=tr("people.col.leavers")),
                alt.Tooltip("headcount:Q", title=tr("people.col.average_headcount")),
            ],
        )
    )
    chart = (bars + points).properties(height=280, usermeta={"chart": "people_attrition"})
    st.altair_chart(chart, width="stretch", key="people_attrition_chart")
    common.png_download(chart, "attrition", key="people_attrition_chart")


def _attrition_month_table(table: pd.DataFrame, data: pd.DataFrame) -> None:
    """The monthly attrition table, newest month first, in an expander."""
    shown = pd.DataFrame(
        {
            tr("people.col.period"): data["month"],
            tr("people.col.headcount_start"): table["headcount_start"],
            tr("people.col.headcount_end"): table["headcount_end"],
            tr("people.col.hires"): table["hires"],
            tr("people.col.leavers"): table["leavers"],
            tr("people.col.average_headcount"): table["average_headcount"].round(1),
            f"{tr('people.col.attrition_rate')} (%)": data["rate"].round(1),
            tr("people.col.interval", pct=_pct_label()): [
                f"{low:.1f}–{high:.1f}" for low, high in zip(data["low"], data["high"], strict=True)
            ],
            f"{tr('people.col.annualised_rate')} (%)": (100 * table["annualised_rate"]).round(1),
        }
    )
    with st.expander(tr("people.attrition_table"), icon=":material/table:"):
        st.dataframe(
            shown.iloc[::-1], hide_index=True, width="stretch", key="people_attrition_table"
        )


def _attrition_team_table(
    roster: pd.DataFrame, key: str, first: pd.Timestamp, end: pd.Timestamp, months: int
) -> None:
    """Each team's leavers and annualised attrition over the months shown."""
    by_team = _attrition_summary(key, first, end, "team", _roster=roster)
    team_table = pd.DataFrame(
        {
            tr("people.col.team"): by_team["team"].astype(str),
            tr("people.col.leavers"): by_team["leavers"],
            tr("people.col.average_headcount"): by_team["average_headcount"].round(1),
            f"{tr('people.col.annualised_rate')} (%)": (100 * by_team["annualised_rate"]).round(1),
            tr("people.col.interval", pct=_pct_label()): [
                f"{100 * low:.1f}–{100 * high:.1f}" if np.isfinite(low) else tr("unit.missing")
                for low, high in zip(
                    by_team["annualised_lower"], by_team["annualised_upper"], strict=True
                )
            ],
        }
    )
    st.caption(tr("people.by_team", months=months))
    st.dataframe(team_table, hide_index=True, width="stretch", key="people_team_table")


def _attrition_section(roster: pd.DataFrame, key: str, end: pd.Timestamp) -> None:
    """Attrition month by month with its interval, as a chart and tables, and by team."""
    st.subheader(tr("people.attrition_title"))
    first = (end - pd.DateOffset(months=ATTRITION_MONTHS - 1)).replace(day=1)
    table = _attrition(key, first, end, None, _roster=roster)
    overall = _attrition_summary(key, first, end, None, _roster=roster).iloc[0]
    st.caption(
        tr(
            "people.attrition_caption",
            pct=_pct_label(),
            months=len(table),
            end=end.date().isoformat(),
            leavers=common.fmt_count(overall["leavers"]),
            headcount=f"{overall['average_headcount']:.1f}",
            annual=_percent(overall["annualised_rate"]),
            low=_percent(overall["annualised_lower"]),
            high=_percent(overall["annualised_upper"]),
        )
    )
    data = pd.DataFrame(
        {
            "month": table["period"].dt.strftime("%Y-%m"),
            "rate": 100 * table["attrition_rate"],
            "low": 100 * table["ci_lower"],
            "high": 100 * table["ci_upper"],
            "leavers": table["leavers"],
            "headcount": table["average_headcount"].round(1),
        }
    )
    _attrition_chart(data)
    _attrition_month_table(table, data)
    if roster["team"].notna().any():
        _attrition_team_table(roster, key, first, end, len(table))


def _survival_section(roster: pd.DataFrame, key: str, end: pd.Timestamp) -> None:
    st.subheader(tr("people.survival_title"))
    table = _survival(key, end, _roster=roster)
    median = table.attrs["median_months"]
    st.caption(
        tr(
            "people.survival_caption",
            pct=_pct_label(),
            spells=common.fmt_count(table.attrs["spells"]),
            leavers=common.fmt_count(table.attrs["leavers"]),
            end=end.date().isoformat(),
            median=tr("people.median_months", months=median)
            if np.isfinite(median)
            else tr("people.median_none"),
        )
    )
    data = pd.DataFrame(
        {
            "months": table["tenure_months"].round(2),
            "survival": 100 * table["survival"],
            "low": 100 * table["ci_lower"],
            "high": 100 * table["ci_upper"],
            "at_risk": table["at_risk"],
        }
    )
    x = alt.X("months:Q", title=tr("people.tenure_months"))
    band = (
        alt.Chart(data)
        .mark_area(interpolate="step-after", opacity=0.2, color="#4c78a8")
        .encode(x=x, y="low:Q", y2="high:Q")
    )
    line = (
        alt.Chart(data)
        .mark_line(interpolate="step-after", color="#4c78a8")
        .encode(
            x=x,
            y=alt.Y(
                "survival:Q",
                title=f"{tr('people.still_employed')} (%)",
                scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(**common.HORIZONTAL_TITLE),
            ),
            tooltip=[
                alt.Tooltip("months:Q", title=tr("people.tenure_months"), format=".1f"),
                alt.Tooltip("survival:Q", title=f"{tr('people.still_employed')} (%)", format=".1f"),
                alt.Tooltip("low:Q", title="↓", format=".1f"),
                alt.Tooltip("high:Q", title="↑", format=".1f"),
                alt.Tooltip("at_risk:Q", title=tr("people.at_risk")),
            ],
        )
    )
    chart = (band + line).properties(height=280, usermeta={"chart": "people_survival"})
    st.altair_chart(chart, width="stretch", key="people_survival_chart")
    common.png_download(chart, "survival_by_tenure", key="people_survival_chart")


def _tenure_section(ctx: common.Context, roster: pd.DataFrame, key: str) -> None:
    st.subheader(tr("people.tenure_title"))
    window = ctx.window
    if window.empty or "agent" not in window.columns:
        st.info(tr("overview.no_data"), icon=":material/filter_alt_off:")
        return
    table = _by_tenure(key, _view(ctx), _calls=window, _roster=roster)
    st.caption(
        tr("people.tenure_caption", unmatched=common.fmt_count(table.attrs["unmatched_calls"]))
    )
    shown = common.display_table(table, ["tenure_band"], kpis=TENURE_KPIS)
    shown.insert(1, tr("people.agents"), table["agents"].to_numpy())
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config=common.column_config(shown),
        key="people_tenure_table",
    )


def people_sections(ctx: common.Context) -> None:
    """The Teams page's people part: attrition, survival by tenure and KPIs by tenure, when
    a roster is in use (else a note pointing to the Data page)."""
    st.header(tr("people.title"))
    found = current_roster(ctx)
    if found is None:
        st.info(tr("people.no_roster"), icon=":material/badge:")
        return
    roster, name, _is_sample = found
    if roster.empty:
        st.info(tr("people.no_roster"), icon=":material/badge:")
        return
    key = _roster_key(roster, name)
    end = pd.Timestamp(ctx.dataset.last_day)
    _attrition_section(roster, key, end)
    _survival_section(roster, key, end)
    _tenure_section(ctx, roster, key)


#: Translation key of each verdict of ``compare.evaluator_calibration``.
VERDICT_KEYS = {
    "lenient": "people.cal.verdict.lenient",
    "severe": "people.cal.verdict.severe",
    "none": "people.cal.verdict.none",
}


def _verdict(value: str) -> str:
    return tr(VERDICT_KEYS[value])


def calibration_section(ctx: common.Context) -> None:
    """QA evaluator calibration, when the calls in view have an evaluator beside the QA score."""
    window = ctx.window
    if "evaluator" not in window.columns or "qa_score" not in window.columns:
        return
    if not (window["evaluator"].notna() & window["qa_score"].notna()).any():
        return
    st.subheader(tr("people.cal_title"))
    try:
        result = _calibration(_view(ctx), _calls=window)
    except ValueError:
        st.info(tr("people.cal.missing"))
        return
    st.info(common.md(result["conclusion"][common.lang()]), icon=":material/rule:")
    st.caption(
        tr("people.cal_caption", within=result["within_text"][common.lang()], pct=_pct_label())
    )
    table = result["evaluators"]
    shown = pd.DataFrame(
        {
            tr("people.cal.col.evaluator"): table["evaluator"].astype(str),
            tr("people.cal.col.n_scored"): table["n_scored"],
            tr("people.cal.col.mean_score"): table["mean_score"].round(1),
            tr("people.cal.col.n_compared"): table["n_compared"],
            tr("people.cal.col.offset"): table["offset"].round(1),
            tr("people.cal.col.interval", pct=_pct_label()): [
                f"{low:+.1f} – {high:+.1f}" if np.isfinite(low) else tr("unit.missing")
                for low, high in zip(table["ci_lower"], table["ci_upper"], strict=True)
            ],
            tr("people.cal.col.p_adjusted"): table["p_adjusted"].round(4),
            tr("people.cal.col.verdict"): table["verdict"].map(_verdict),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch", key="people_calibration_table")
    pairs = result["pairs"]
    if len(pairs):
        st.caption(tr("people.cal.pairs_title"))
        st.dataframe(
            pd.DataFrame(
                {
                    tr("people.cal.col.evaluator_a"): pairs["evaluator_a"].astype(str),
                    tr("people.cal.col.evaluator_b"): pairs["evaluator_b"].astype(str),
                    tr("people.cal.col.calls"): pairs["calls"],
                    tr("people.cal.col.mean_difference"): pairs["mean_difference"].round(1),
                    tr("people.cal.col.icc_2_1"): pairs["icc_2_1"].round(2),
                }
            ),
            hide_index=True,
            width="stretch",
            key="people_pairs_table",
        )
