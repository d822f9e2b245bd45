"""Control charts: which periods are out of statistical control, for one KPI or all of them.

Thin page: the KPI table comes from ``ccmetrics.kpi.compute`` (of the app's cube when the
filters are date range and queue, ``common.aggregate_source``) and every chart (limits,
signals, diagnostics, improvement check) from ``ccmetrics.spc.kpi_chart``. A click on a
signal point (or the picker under the signals table) opens the Drill-down page on that
period.

A signal opens the Drill-down page through the shared ``day`` / ``interval`` state, the
Drill-down's ``dd_minutes`` parameter and ``st.session_state["anomaly_window"]`` (see
:func:`pages.control_charts_sections.open_drilldown`).

Where the code lives: :func:`main` runs one section function per part of the page. The
controls and the KPI table are in :mod:`pages.control_charts_controls`, the sections in
:mod:`pages.control_charts_sections`, the figures in :mod:`pages.control_charts_figures`
and the words (option labels, verdict, warnings) in :mod:`pages.control_charts_labels`.

Page state mirrored in the URL: ``cc_view`` (one/all), ``cc_kpi``, ``cc_gran``, ``cc_seg``
(segments, "|"-separated), ``cc_chart``, ``cc_rules`` (comma-separated), ``cc_base``
("from..to"), ``cc_excl`` (point ids, comma-separated), ``cc_change`` (a day).
"""

from __future__ import annotations

import streamlit as st

from ccmetrics import kpi
from pages import common
from pages import control_charts_controls as controls
from pages import control_charts_labels as labels
from pages import control_charts_sections as sections
from pages.common import tr


def one_kpi(ctx: common.Context, top, view: controls.View, limits: controls.Limits) -> None:
    """One KPI's chart with its verdict, improvement check and signals."""
    kpi_name = controls.kpi_choice(top, view)
    choices = controls.chart_choices(ctx, view, kpi_name, limits)
    if choices is None:
        return
    chart_type, change_day = choices
    try:
        chart = controls.kpi_chart(
            view.table_key,
            kpi_name,
            chart_type,
            view.granularity,
            tuple(limits.rules),
            limits.baseline_mask,
            limits.exclude_mask,
            change_day.isoformat() if change_day else None,
            labels.improvement_labels(kpi_name),
            _table=view.table,
        )
    except ValueError as error:
        st.warning(labels.error_text(error), icon=":material/warning:")
        return
    points = sections.chart_section(ctx, view, kpi_name, chart_type, chart, change_day)
    sections.summary_section(chart, chart_type, limits.rules)
    sections.verdict_section(ctx, view, kpi_name, chart_type, chart, change_day)
    sections.improvement_section(chart)
    sections.signals_section(ctx, view, kpi_name, chart_type, chart, points)


def main() -> None:
    ctx = common.context()
    st.title(tr("nav.control_charts"))
    st.caption(tr("cc.intro"))
    minutes = kpi.chart_interval_minutes(ctx.dataset.frame)
    # the view needs room for both labels in Chinese ("单个指标 | 全部指标" was cut at 1.5)
    top = st.columns([1.8, 1.9, 2.1, 2.0], vertical_alignment="bottom")
    view_name, granularity, segments = controls.view_controls(ctx, top, minutes)
    view = controls.table_section(ctx, granularity, segments, minutes)
    if view is None:
        return
    limits = controls.settings_section(ctx, view)
    if view_name == "all":
        sections.small_multiples_section(view, limits)
    else:
        one_kpi(ctx, top, view, limits)


if __name__ == "__main__":
    main()
