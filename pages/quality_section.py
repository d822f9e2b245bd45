"""Cost and quality sections: a KPI table for the Overview (beside its tiles), a table by
unit and the after-call-work-against-quality chart for the Teams page.

Every number comes from ccmetrics: the Overview table from its period comparison
(:func:`ccmetrics.kpi.period_comparison` through ``common.comparison``), the Teams
table from :func:`ccmetrics.kpi.compute` on the window's calls, the chart and its sentence from
:func:`ccmetrics.quality.acw_quality` (a reading code turned into words by the
translation table). A KPI the data has no input for is left out, with a note naming it.
"""

from __future__ import annotations

import datetime as dt

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from ccmetrics import kpi, kpis, quality
from pages import common
from pages.common import tr

__all__ = [
    "present_kpis",
    "overview_table",
    "overview_section",
    "teams_section",
    "acw_chart_data",
    "acw_line_data",
]

#: Quality measures of the ACW check, in the order the picker offers them.
ACW_MEASURES = ("error_rate", "entry_completeness")
MIN_CALLS = 20
#: Translation key of each reading code of :func:`ccmetrics.quality.acw_quality`.
READING_KEYS = {
    "shorter_acw_worse": "quality.reading.shorter_acw_worse",
    "shorter_acw_better": "quality.reading.shorter_acw_better",
    "no_evidence": "quality.reading.no_evidence",
    "too_few_units": "quality.reading.too_few_units",
}
#: The noun of a unit in running text.
UNIT_KEYS = {"agent": "compare.unit.agent", "team": "compare.unit.team"}


def present_kpis(n_by_kpi: dict, missing: dict) -> tuple[list[str], list[str]]:
    """(cost and quality KPIs the data in view has, those it has not), registry order.

    A KPI is present when the data has its input (:func:`ccmetrics.kpi.missing_inputs`)
    and the window holds some calls it rests on (``n_by_kpi[kpi]`` above 0).
    """
    shown, hidden = [], []
    for name in kpis.QUALITY_KPIS:
        n = n_by_kpi.get(name, np.nan)
        if name not in missing and pd.notna(n) and n > 0:
            shown.append(name)
        else:
            hidden.append(name)
    return shown, hidden


def _hidden_note(hidden: list[str]) -> None:
    if hidden:
        names = ", ".join(tr(f"kpi.{name}") for name in hidden)
        st.caption(tr("quality.hidden", kpis=names))


def overview_table(
    compared: pd.DataFrame, names: list[str], previous_complete: bool
) -> pd.DataFrame:
    """The Overview's cost and quality table: one row per KPI, the values as the tiles
    write them (``compared``: :func:`ccmetrics.kpi.period_comparison` indexed by KPI)."""
    rows = []
    for name in names:
        row = compared.loc[name]
        known_before = previous_complete and row["n_previous"] > 0
        rows.append(
            {
                tr("quality.col_kpi"): tr(f"tile.{name}"),
                tr("quality.col_current"): common.fmt(name, row["current"]),
                tr("quality.col_previous"): common.fmt(
                    name, row["previous"] if known_before else np.nan
                ),
                tr("quality.col_change"): (
                    common.fmt_change(name, row["change"]) if known_before else None
                )
                or "–",
                tr("quality.col_n"): common.fmt_count(row["n_current"]),
            }
        )
    return pd.DataFrame(rows)


def overview_section(ctx: common.Context) -> None:
    """The cost and quality KPIs of the window against the previous one (a table beside
    the tiles), or a note when the data has none of them."""
    compared = common.comparison(ctx).set_index("kpi")
    missing = kpi.missing_inputs(ctx.dataset.frame)
    shown, hidden = present_kpis(compared["n_current"].to_dict(), missing)
    if not shown:
        st.caption(tr("quality.none"))
        return
    st.subheader(tr("quality.title"))
    previous_complete = ctx.start - dt.timedelta(days=ctx.days) >= ctx.dataset.data_first_day
    st.dataframe(
        overview_table(compared, shown, previous_complete), hide_index=True, width="stretch"
    )
    _hidden_note(hidden)


@st.cache_data(show_spinner=False, max_entries=16)
def _kpis_by(key, start, end, queues, settings, by, _frame) -> pd.DataFrame:
    """:func:`ccmetrics.kpi.compute` of the window's calls, by ``by`` (None: one row)."""
    window = kpi.subset(_frame, start, end, {"queue": list(queues)} if queues else {})
    return kpi.compute(window, by=by, settings=settings)


@st.cache_data(show_spinner=False, max_entries=16)
def _acw_quality(key, start, end, queues, measure, by, _frame) -> quality.AcwQuality:
    window = kpi.subset(_frame, start, end, {"queue": list(queues)} if queues else {})
    return quality.acw_quality(window, measure, by=by, min_calls=MIN_CALLS)


def acw_chart_data(result: quality.AcwQuality) -> pd.DataFrame:
    """The points of the ACW chart: one per unit, the rate as a percentage."""
    units = result.units
    return pd.DataFrame(
        {
            "unit": units[result.by].astype(str),
            "acw_s": units["acw_s"].astype(float),
            "quality_pct": units["quality"].astype(float) * 100,
            "calls": units["quality_n"].astype(float),
        }
    )


def acw_line_data(result: quality.AcwQuality) -> pd.DataFrame:
    """The ends of the least-squares line of :func:`ccmetrics.quality.acw_quality` over
    the ACW range of the points (empty without a line)."""
    if not np.isfinite(result.slope) or result.units.empty:
        return pd.DataFrame({"line_acw_s": [], "line_pct": []})
    ends = np.array([result.units["acw_s"].min(), result.units["acw_s"].max()], dtype=float)
    return pd.DataFrame(
        {"line_acw_s": ends, "line_pct": (result.intercept + result.slope * ends) * 100}
    )


def _stats_text(result: quality.AcwQuality) -> str:
    def two(value: float) -> str:
        return "–" if not np.isfinite(value) else f"{value:.2f}"

    return tr(
        "quality.stats",
        r=two(result.pearson_r),
        level=f"{result.confidence:.0%}",
        low=two(result.pearson_low),
        high=two(result.pearson_high),
        p="–" if not np.isfinite(result.pearson_p) else f"{result.pearson_p:.3g}",
        rho=two(result.spearman_rho),
        rho_low=two(result.spearman_low),
        rho_high=two(result.spearman_high),
        units=result.n_units,
    )


def _draw_acw(result: quality.AcwQuality) -> None:
    data = acw_chart_data(result)
    name = tr(f"kpi.{result.quality}")
    unit_title = tr(f"dim.{result.by}")
    points = (
        alt.Chart(data)
        .mark_circle(size=70, opacity=0.8)
        .encode(
            x=alt.X("acw_s:Q", title=tr("quality.axis_acw"), scale=alt.Scale(zero=False)),
            y=alt.Y(
                "quality_pct:Q",
                title=tr("header.percent", name=name),
                axis=alt.Axis(**common.HORIZONTAL_TITLE),  # Chinese reads badly rotated
            ),
            tooltip=[
                alt.Tooltip("unit:N", title=unit_title),
                alt.Tooltip("acw_s:Q", title=tr("quality.axis_acw"), format=".0f"),
                alt.Tooltip("quality_pct:Q", title=tr("header.percent", name=name), format=".1f"),
                alt.Tooltip("calls:Q", title=tr("quality.axis_calls"), format=",.0f"),
            ],
        )
    )
    line = acw_line_data(result)
    trend = alt.Chart(line).mark_line(color="#888888").encode(x="line_acw_s:Q", y="line_pct:Q")
    layers = alt.layer(points, trend) if len(line) else alt.layer(points)
    st.altair_chart(
        layers.properties(height=340, usermeta={"chart": "quality_acw"}), width="stretch"
    )


def teams_section(ctx: common.Context) -> None:
    """Cost and quality by team or agent, and after-call work against quality."""
    if ctx.dataset.kind != "calls" or ctx.window.empty:
        return
    view = (
        ctx.dataset.key,
        pd.Timestamp(ctx.start),
        pd.Timestamp(ctx.end_exclusive),
        ctx.queues,
        ctx.settings,
    )
    total = _kpis_by(*view, None, _frame=ctx.dataset.frame).iloc[0]
    missing = kpi.missing_inputs(ctx.dataset.frame)
    n_by_kpi = {name: total[kpis.KPIS[name].base] for name in kpis.QUALITY_KPIS}
    shown, hidden = present_kpis(n_by_kpi, missing)
    st.subheader(tr("quality.title"))
    if not shown:
        st.info(tr("quality.none"))
        return
    dims = common.dimensions_present(ctx.dataset.frame)
    by = "agent" if "agent" in dims else ("team" if "team" in dims else None)
    if by is not None:
        st.markdown(f"**{tr('quality.table_title', dimension=tr(f'dim.{by}').lower())}**")
        table = _kpis_by(*view, by, _frame=ctx.dataset.frame)
        table = table[table[by].notna()]  # calls no agent answered have no cost or quality
        shown_table = common.display_table(table, [by], kpis=("answered", *shown))
        st.dataframe(
            shown_table,
            hide_index=True,
            width="stretch",
            column_config=common.column_config(shown_table),
        )
    _hidden_note(hidden)

    measures = [m for m in ACW_MEASURES if m in shown]
    if by is None or not measures or "acw_s" in missing or ctx.window["acw_s"].isna().all():
        st.caption(tr("quality.no_acw"))
        return
    st.markdown(f"**{tr('quality.acw_title')}**")
    measure = st.selectbox(
        tr("quality.pick"), options=measures, format_func=common.labeller("kpi."), key="quality_acw"
    )
    result = _acw_quality(*view[:4], measure, by, _frame=ctx.dataset.frame)
    name = tr(f"kpi.{measure}")
    st.caption(
        tr(
            "quality.acw_intro",
            unit=tr(UNIT_KEYS[by]),
            min_calls=MIN_CALLS,
            quality=name.lower() if ctx.lang == "en" else name,
        )
    )
    if result.n_units:
        _draw_acw(result)
    st.markdown(
        tr(
            READING_KEYS[result.reading],
            quality=name.lower() if ctx.lang == "en" else name,
        )
    )
    st.caption(_stats_text(result))
