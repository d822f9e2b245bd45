"""The Control charts page's sections: the chart of one KPI (or every KPI's small chart),
its summary, verdict, improvement check and signals; a click on a signal opens the
Drill-down page on that period.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ccmetrics import kpi, spc
from pages import common, story_panel
from pages.common import tr
from pages.control_charts_controls import Limits, View, kpi_chart
from pages.control_charts_figures import SELECTION, chart_figure, plot_frame, signal_map_figure
from pages.control_charts_labels import (
    CHART_ABOUT_KEYS,
    CHART_KEYS,
    IMPROVEMENT_TEST_KEYS,
    PHASE_KEYS,
    UNITS_KEYS,
    axis_title,
    episodes_frame,
    improvement_labels,
    kpi_text,
    point_ids,
    point_labeller,
    share_text,
    spread_text,
    verdict_text,
    warning_text,
)

__all__ = [
    "open_drilldown",
    "small_multiples_section",
    "chart_section",
    "summary_section",
    "verdict_section",
    "improvement_section",
    "signals_section",
]

STAMP = "%Y-%m-%dT%H:%M"


def open_drilldown(point_id: str, granularity: str, minutes: int) -> None:
    """Select the signal's period and switch to the Drill-down page.

    Sets the shared ``day`` (``common.set_selected_day``) and ``interval`` (the period's
    start for interval and week signals, None for a day), the Drill-down's
    ``dd_minutes`` (the period's length when it is not the default 30 minutes) and
    ``st.session_state["anomaly_window"]`` = (start, end), "YYYY-MM-DDTHH:MM", half-open:
    the exact interval, day or week of the point.
    """
    start = pd.Timestamp(point_id)
    length = spc.period_minutes(granularity, minutes)
    end = start + pd.Timedelta(minutes=length)
    common.set_selected_day(start.strftime("%Y-%m-%d"))
    if granularity == "day":
        st.session_state["interval"] = None
        common.set_page_param("dd_minutes", None)
    else:
        st.session_state["interval"] = start.strftime(STAMP)
        common.set_page_param("dd_minutes", None if length == 30 else str(length))
    st.session_state["anomaly_window"] = (start.strftime(STAMP), end.strftime(STAMP))
    st.switch_page("pages/drilldown_page.py")


def _open_chart(name: str) -> None:
    """Button of a small multiple: show that KPI's chart alone."""
    st.session_state["cc_kpi"] = name
    st.session_state["cc_view"] = "one"


def _check_shift(day: dt.date) -> None:
    """Button under a shift: check the improvement from its start."""
    st.session_state["cc_use_change"] = True
    st.session_state["cc_change"] = day


def _leave_signals_out(signal_ids: list[str]) -> None:
    """Button under the signals: leave them out of the limits."""
    current = st.session_state.get("cc_exclude", [])
    st.session_state["cc_exclude"] = [*current, *(p for p in signal_ids if p not in current)]


def small_multiples_section(view: View, limits: Limits) -> None:
    """Every KPI's chart, most signals first; a click opens the Drill-down."""
    st.caption(tr("cc.multiples_intro"))
    charts = {}
    for name in view.kpis:
        try:
            charts[name] = kpi_chart(
                view.table_key,
                name,
                None,
                view.granularity,
                tuple(limits.rules),
                limits.baseline_mask,
                None,
                None,
                improvement_labels(name),
                _table=view.table,
            )
        except ValueError:
            continue  # a KPI that cannot be charted here is left out of the overview
    ranked = spc.by_signal_count(charts)
    per_row = 3
    for row_start in range(0, len(ranked), per_row):
        columns = st.columns(per_row)
        for column, name in zip(columns, ranked[row_start : row_start + per_row], strict=False):
            with column.container(border=True):
                small_multiple(view, name, charts[name])


def small_multiple(view: View, name: str, chart: pd.DataFrame) -> None:
    title = tr("cc.multiples_title", kpi=tr(f"kpi.{name}"), signals=int(chart["signal"].sum()))
    st.markdown(f"**{title}**")
    st.caption(tr(CHART_KEYS[chart.attrs["chart"]]))
    figure = chart_figure(
        plot_frame(chart, view.granularity),
        name,
        chart.attrs["chart"],
        view.granularity,
        height=150,
        compact=True,
    )
    event = st.altair_chart(
        figure,
        on_select="rerun",
        selection_mode=SELECTION,
        key=f"cc_small_{name}",
        width="stretch",
    )
    common.png_download(figure, f"control_chart_{name}", key=f"cc_small_{name}")
    picked = (event.selection.get(SELECTION) if event else None) or []
    if picked and picked[0].get("point_id"):
        open_drilldown(str(picked[0]["point_id"]), view.granularity, view.minutes)
    st.button(
        tr("cc.open_chart"),
        key=f"cc_open_{name}",
        on_click=_open_chart,
        args=(name,),
        icon=":material/open_in_full:",
    )


def chart_section(ctx, view: View, kpi_name: str, chart_type: str, chart, change_day):
    """The chart of one KPI; a click on a point opens the Drill-down. Returns its points."""
    points = plot_frame(chart, view.granularity)
    st.markdown(f"**{tr(f'kpi.{kpi_name}')}** · {tr(CHART_ABOUT_KEYS[chart_type])}")
    change_id = None
    if change_day:
        position = spc.first_period_from(chart.index, change_day)
        change_id = None if position is None else points["point_id"].iloc[position]
    figure = chart_figure(
        points, kpi_name, chart_type, view.granularity, height=380, change_id=change_id
    )
    event = st.altair_chart(
        figure,
        on_select="rerun",
        selection_mode=SELECTION,
        key="cc_plot",
        width="stretch",
    )
    common.png_download(figure, f"control_chart_{kpi_name}_{view.granularity}", key="cc_plot")
    picked = (event.selection.get(SELECTION) if event else None) or []
    if picked and picked[0].get("point_id"):
        open_drilldown(str(picked[0]["point_id"]), view.granularity, view.minutes)
    st.caption(tr("cc.chart_hint"))
    if view.granularity == "week" and (ctx.start.weekday() != 0 or ctx.end.weekday() != 6):
        st.caption(tr("cc.partial_weeks"))
    return points


def summary_section(chart: pd.DataFrame, chart_type: str, rules: list[str]) -> None:
    """Signals and points per phase, the diagnostics, the runs analysis, the warnings."""
    phase_attrs = chart.attrs["phase_attrs"]
    lines = []
    counts = spc.phase_counts(chart)
    for phase, attrs in phase_attrs.items():
        parts = [
            tr(
                "cc.summary",
                chart=tr(CHART_KEYS[chart_type]),
                signals=int(counts.loc[phase, "signals"]),
                points=int(counts.loc[phase, "points"]),
            )
        ]
        diagnostics = attrs["diagnostics"]
        sigma_z = diagnostics.get("sigma_z")
        if sigma_z is not None and pd.notna(sigma_z):
            parts.append(tr("cc.sigma_z", value=f"{sigma_z:.2f}"))
        lag1 = diagnostics.get("lag1_autocorrelation")
        if lag1 is not None and pd.notna(lag1):
            parts.append(tr("cc.lag1", value=f"{lag1:.2f}"))
        parts.append(tr("cc.limit_points", count=diagnostics["n_limit_points"]))
        prefix = f"{tr(PHASE_KEYS[phase])}: " if phase in PHASE_KEYS else ""
        lines.append(prefix + " · ".join(parts))
        runs = attrs.get("anhoej")
        if runs and "anhoej" in rules and pd.notna(runs.get("longest_run")):
            key = "cc.anhoej_signal" if runs["runs_signal"] else "cc.anhoej_ok"
            lines.append(
                prefix
                + tr(
                    key,
                    run=runs["longest_run"],
                    run_max=runs["longest_run_max"],
                    crossings=runs["n_crossings"],
                    crossings_min=runs["n_crossings_min"],
                )
            )
    st.caption("  \n".join(lines))
    if chart_type in ("ewma", "cusum"):
        st.caption(tr("cc.rules_not_used"))
    elif not rules:
        st.caption(tr("cc.no_rules"))
    shown_codes = set()
    for attrs in phase_attrs.values():
        for warning in attrs["diagnostics"]["warnings"]:
            if warning.get("code") in shown_codes:
                continue
            shown_codes.add(warning.get("code"))
            st.warning(
                warning_text(warning, attrs["diagnostics"], chart_type), icon=":material/info:"
            )


def verdict_section(ctx, view: View, kpi_name: str, chart_type: str, chart, change_day) -> None:
    """The chart's verdict, the day's story, the findings and (per interval) the signal map."""
    granularity = view.granularity
    target = ctx.settings.sl_target if kpi_name == "service_level" else None
    verdict = spc.chart_verdict(chart, target=target)
    st.subheader(tr("cc.verdict_title"))
    box = st.info if verdict["code"] in ("stable", "stable_meets_target") else st.warning
    box(verdict_text(verdict, kpi_name, chart_type, granularity), icon=":material/insights:")
    capability_found = verdict["capability"]
    if (
        verdict["code"] in ("shift", "signals")
        and target is not None
        and chart_type != "cusum"
        and pd.notna(capability_found["share_meeting"])
    ):
        st.caption(
            tr(
                "cc.verdict.capability",
                level=kpi_text(kpi_name, capability_found["level"]),
                spread=spread_text(kpi_name, capability_found["spread"]),
                target=kpi_text(kpi_name, target),
                share=share_text(capability_found["share_meeting"]),
                units=tr(UNITS_KEYS[granularity]),
            )
        )
    if chart_type != "cusum":
        st.caption(tr("cc.verdict.spread_help", units=tr(UNITS_KEYS[granularity])))
    episodes = verdict["episodes"]
    if not episodes.empty and granularity != "week":
        # the most severe finding's day in the words every page uses (ccmetrics.story)
        story_panel.show_story(ctx, spc.episode_day(episodes.iloc[0]))
    shifts = episodes[episodes["kind"] == "shift"] if not episodes.empty else episodes
    if not shifts.empty and ctx.days >= 2 and not change_day and granularity != "interval":
        shift_start = pd.Timestamp(shifts.iloc[0]["start"]).date()
        if ctx.start < shift_start <= ctx.end:
            st.button(
                tr("cc.check_shift", start=shift_start.isoformat()),
                key="cc_check_shift",
                on_click=_check_shift,
                args=(shift_start,),
                icon=":material/compare_arrows:",
            )
    if not episodes.empty:
        st.markdown(f"**{tr('cc.findings_title')}**")
        st.dataframe(
            episodes_frame(episodes, kpi_name, granularity),
            hide_index=True,
            width="stretch",
            key="cc_findings",
            column_config={
                tr("cc.col_severity"): st.column_config.NumberColumn(format="%.1f"),
            },
        )
    if granularity == "interval":
        st.markdown(f"**{tr('cc.map_title')}**")
        signal_figure = signal_map_figure(chart, kpi_name)
        st.altair_chart(signal_figure, width="stretch", key="cc_map")
        st.caption(tr("cc.map_caption"))


def improvement_section(chart: pd.DataFrame) -> None:
    """Before against after the change date (``spc.kpi_chart``'s improvement check)."""
    improvement = chart.attrs.get("improvement")
    if improvement is None:
        return
    st.subheader(tr("cc.improvement_title"))
    sentence = improvement.sentence_zh if common.lang() == "zh" else improvement.sentence_en
    box = st.success if improvement.significant else st.info
    box(sentence, icon=":material/insights:")
    p_value = improvement.p_value
    st.caption(
        tr(
            "cc.improvement_detail",
            test=tr(IMPROVEMENT_TEST_KEYS[improvement.kind]),
            p_value="< 0.001" if p_value < 0.001 else f"= {p_value:.3f}",
        )
    )


def signals_table(flagged: pd.DataFrame, kpi_name: str, chart_type: str):
    """The signal points in the KPI's display unit; (table, its column config)."""
    unit = kpi.KPI_UNITS.get(kpi_name, "score")
    scale = 100.0 if unit == "percent" and chart_type != "cusum" else 1.0
    decimals = 1 if scale == 100.0 else (0 if unit in ("seconds", "count") else 2)
    if chart_type == "cusum":
        decimals = 2
    value_header = axis_title(kpi_name, chart_type)
    if scale == 100.0:
        value_header = tr("header.percent", name=value_header)
    shown = pd.DataFrame(
        {
            tr("cc.col_period"): flagged["when"].to_numpy(),
            value_header: (flagged["value"] * scale).round(decimals).to_numpy(),
            tr("cc.col_n"): flagged["n"].round(0).to_numpy(),
            tr("cc.col_center"): (flagged["center"] * scale).round(decimals).to_numpy(),
            tr("cc.col_lcl"): (flagged["lcl"] * scale).round(decimals).to_numpy(),
            tr("cc.col_ucl"): (flagged["ucl"] * scale).round(decimals).to_numpy(),
            tr("cc.col_severity"): flagged["severity"].round(1).to_numpy(),
            tr("cc.col_rules"): flagged["rules_text"].to_numpy(),
        }
    )
    number_format = f"%.{decimals}f"
    config = {
        column: st.column_config.NumberColumn(format=number_format)
        for column in shown.columns[1:]
        if column not in (tr("cc.col_n"), tr("cc.col_rules"), tr("cc.col_severity"))
    }
    config[tr("cc.col_severity")] = st.column_config.NumberColumn(format="%.1f")
    config[tr("cc.col_n")] = st.column_config.NumberColumn(format="localized")
    return shown, config


def signals_section(ctx, view: View, kpi_name: str, chart_type: str, chart, points) -> None:
    """The signal points, most severe first, with buttons to open or leave them out."""
    granularity = view.granularity
    st.subheader(tr("cc.signals_title"))
    ranked_signals = spc.signals_by_severity(chart)
    flagged = (
        points.set_index("point_id")
        .loc[point_ids(ranked_signals.index, granularity)]
        .reset_index()
        .assign(severity=ranked_signals["severity"].to_numpy(dtype=float))
    )
    if flagged.empty:  # what that means is the verdict's to say (e.g. stable but below target)
        st.caption(tr("cc.no_signal_points"))
        return
    st.caption(tr("cc.signals_sorted"))
    shown, config = signals_table(flagged, kpi_name, chart_type)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=config, key="cc_signals")
    left, middle_column, right = st.columns([3, 1.2, 2], vertical_alignment="bottom")
    with left:
        signal_ids = list(flagged["point_id"])
        picked_signal = st.session_state.get("cc_signal_choice")
        # assigned on every run, so a language switch relabels the choice (see common.restore)
        st.session_state["cc_signal_choice"] = (
            picked_signal if picked_signal in signal_ids else signal_ids[0]
        )
        choice = st.selectbox(
            tr("cc.open_signal"),
            options=signal_ids,
            format_func=point_labeller(granularity),
            key="cc_signal_choice",
        )
    with middle_column:
        if st.button(
            tr("cc.open_signal_button"), icon=":material/account_tree:", key="cc_open_signal"
        ):
            open_drilldown(choice, granularity, view.minutes)
    with right:
        st.button(
            tr("cc.exclude_signals"),
            key="cc_exclude_signals",
            on_click=_leave_signals_out,
            args=(list(flagged["point_id"]),),
            icon=":material/filter_alt:",
        )
    st.download_button(
        tr("overview.download_csv"),
        data=common.csv_bytes(shown),
        file_name=(
            f"ccmetrics_signals_{kpi_name}_{granularity}_"
            f"{ctx.start.isoformat()}_{ctx.end.isoformat()}.csv"
        ),
        mime="text/csv",
        icon=":material/download:",
        key="cc_signals_csv",
    )
