"""The Control charts page's controls: view, granularity, segments, KPI, chart type,
rules, baseline, exclusions and change date, restored from and mirrored in the URL,
and the KPI table they give (cached ``kpi.compute`` and ``spc.kpi_chart``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from ccmetrics import kpi, spc
from pages import common
from pages.common import tr
from pages.control_charts_labels import (
    CHART_KEYS,
    GRANULARITY_KEYS,
    RULE_KEYS,
    SELECTABLE_RULES,
    VIEW_KEYS,
    error_text,
    improvement_labels,
    label_with,
    point_ids,
    point_labeller,
)

__all__ = [
    "VIEWS",
    "CHART_KPIS",
    "MAX_POINTS",
    "View",
    "Limits",
    "parse_list",
    "parse_day",
    "parse_day_range",
    "kpi_table",
    "kpi_chart",
    "view_controls",
    "table_section",
    "restore_limits",
    "settings_section",
    "kpi_choice",
    "chart_choices",
]

VIEWS = ("one", "all")
#: KPIs the page charts, in menu order (those the data supports are shown).
CHART_KPIS = (*(name for name, _ in common.TILES), "occupancy")
#: At most this many points on one chart (an interval chart of a long range is refused).
MAX_POINTS = 3000


# --------------------------------------------------------------------------- state and URL


def parse_list(text: str, separator: str = ",") -> list[str]:
    return [part for part in text.split(separator) if part]


def parse_day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def parse_day_range(text: str) -> tuple[dt.date, dt.date] | None:
    start, _, end = text.partition("..")
    first, last = parse_day(start), parse_day(end)
    return (first, last) if first and last and first <= last else None


# --------------------------------------------------------------------------- data


@st.cache_data(show_spinner=False, max_entries=32)
def kpi_table(key, start, end, filters, settings, freq, _frame) -> pd.DataFrame:
    """KPIs per period with the sums behind them (``filters``: tuple of (dimension, values))."""
    window = kpi.subset(_frame, start, end, {name: list(values) for name, values in filters})
    return kpi.compute(window, freq=freq, settings=settings, keep_sums=True)


@st.cache_data(show_spinner=False, max_entries=64)
def kpi_chart(
    table_key, kpi_name, chart, granularity, rules, baseline, exclude, change, labels, _table
):
    """``spc.kpi_chart`` of one KPI (cached on the table's key and the chart options)."""
    label, label_zh, unit, unit_zh, decimals = labels
    return spc.kpi_chart(
        _table,
        kpi_name,
        chart=chart,
        granularity=granularity,
        rules=rules,
        baseline=None if baseline is None else list(baseline),
        exclude=None if exclude is None else list(exclude),
        change=change,
        label=label,
        label_zh=label_zh,
        unit=unit,
        unit_zh=unit_zh,
        decimals=decimals,
        revise=True,
    )


@dataclass
class View:
    """The choices above the chart and the KPI table they give."""

    granularity: str
    minutes: int
    table: pd.DataFrame
    table_key: tuple
    kpis: list[str]
    ids: list[str]


@dataclass
class Limits:
    """Rules, baseline and exclusions from the settings expander."""

    rules: list[str]
    baseline_mask: tuple | None
    exclude_mask: tuple | None


def view_controls(ctx: common.Context, top, minutes: int) -> tuple[str, str, list[str]]:
    """View (one KPI or all), granularity and segments; mirrored in the URL."""
    frame = ctx.dataset.frame
    segments_present = (
        sorted(str(s) for s in frame["segment"].dropna().unique())
        if "segment" in frame.columns
        else []
    )
    common.restore("cc_view", "cc_view", lambda v: v in VIEWS, "one")
    common.restore("cc_gran", "cc_gran", lambda v: v in spc.GRANULARITIES, "day")
    common.restore(
        "cc_segments",
        "cc_seg",
        lambda v: isinstance(v, list) and set(v) <= set(segments_present),
        [],
        parse=lambda text: parse_list(text, "|"),
    )
    with top[0]:
        view = (
            st.segmented_control(
                tr("cc.view"), options=list(VIEWS), format_func=label_with(VIEW_KEYS), key="cc_view"
            )
            or "one"
        )
    with top[1]:
        interval_label = label_with({"interval": GRANULARITY_KEYS["interval"]}, minutes=minutes)
        gran_labels = label_with(GRANULARITY_KEYS)
        granularity = (
            st.segmented_control(
                tr("cc.granularity"),
                options=list(spc.GRANULARITIES),
                format_func=lambda g: interval_label(g) if g == "interval" else gran_labels(g),
                key="cc_gran",
            )
            or "day"
        )
    segments = []
    if segments_present:
        with top[3]:
            segments = st.multiselect(
                tr("cc.segment"),
                options=segments_present,
                key="cc_segments",
                placeholder=tr("cc.segment_placeholder"),
            )
    common.remember("cc_view", view, "one")
    common.remember("cc_gran", granularity, "day")
    common.remember("cc_seg", "|".join(segments) or None, None)
    st.caption(
        tr(
            "cc.window",
            start=ctx.start.isoformat(),
            end=ctx.end.isoformat(),
            queues=", ".join(map(common.md, ctx.queues)) if ctx.queues else tr("cc.all"),
            segments=", ".join(map(common.md, segments)) if segments else tr("cc.all"),
        )
    )
    return view, granularity, segments


def table_section(
    ctx: common.Context, granularity: str, segments: list[str], minutes: int
) -> View | None:
    """The KPI table of the choices; None (with a message) when there is nothing to chart."""
    freq = spc.period_freq(granularity, minutes)
    filters = []
    if ctx.queues:
        filters.append(("queue", tuple(ctx.queues)))
    if segments:
        filters.append(("segment", tuple(segments)))
    table_args = (
        ctx.dataset.key,
        pd.Timestamp(ctx.start),
        pd.Timestamp(ctx.end_exclusive),
        tuple(filters),
        ctx.settings,
        freq,
    )
    # the cube (half hour × queue) answers day, week and 30-min charts filtered by date and
    # queue exactly; a segment filter needs the calls
    source = common.aggregate_source(ctx, [name for name, _ in filters], freq)
    table = kpi_table(*table_args, _frame=source)
    if table.empty or table["offered"].sum() == 0:
        st.info(tr("overview.no_data"), icon=":material/filter_alt_off:")
        return None
    if len(table) > MAX_POINTS:
        st.info(
            tr(
                "cc.too_many_points",
                points=common.fmt_count(len(table)),
                days=spc.days_that_fit(len(table), ctx.days, MAX_POINTS),
            ),
            icon=":material/zoom_in:",
        )
        return None
    kpis = spc.chartable_kpis(table, CHART_KPIS, kpi.missing_inputs(ctx.dataset.frame))
    if not kpis:
        st.info(tr("cc.no_kpi"))
        return None
    ids = point_ids(table["period"], granularity)
    return View(granularity, minutes, table, (*table_args, "table"), kpis, ids)


def restore_limits(ctx: common.Context, ids: list[str]) -> None:
    """Rules, baseline, exclusions and change date from the session or the URL."""
    common.restore(
        "cc_rules",
        "cc_rules",
        lambda v: isinstance(v, list) and set(v) <= set(SELECTABLE_RULES),
        list(spc.DEFAULT_RULES),
        parse=parse_list,
    )
    common.restore(
        "cc_use_baseline",
        "cc_base",
        lambda v: isinstance(v, bool),
        False,
        parse=lambda t: bool(parse_day_range(t)),
    )
    common.restore(
        "cc_baseline",
        "cc_base",
        lambda v: (
            isinstance(v, (tuple, list))
            and len(v) in (1, 2)
            and all(ctx.start <= day <= ctx.end for day in v)
        ),
        (ctx.start, ctx.end),
        parse=parse_day_range,
    )
    common.restore("cc_exclude", "cc_excl", lambda v: isinstance(v, list), [], parse=parse_list)
    st.session_state["cc_exclude"] = [p for p in st.session_state["cc_exclude"] if p in set(ids)]
    common.restore(
        "cc_use_change",
        "cc_change",
        lambda v: isinstance(v, bool),
        False,
        parse=lambda t: bool(parse_day(t)),
    )
    middle = ctx.start + dt.timedelta(days=ctx.days // 2)
    common.restore(
        "cc_change",
        "cc_change",
        lambda v: isinstance(v, dt.date) and ctx.start < v <= ctx.end,
        middle,
        parse=parse_day,
    )


def settings_section(ctx: common.Context, view: View) -> Limits:
    """The settings expander: rules, a baseline period, points left out of the limits."""
    restore_limits(ctx, view.ids)
    with st.expander(tr("cc.settings"), icon=":material/tune:"):
        rules = st.multiselect(
            tr("cc.rules"),
            options=list(SELECTABLE_RULES),
            format_func=label_with(RULE_KEYS),
            key="cc_rules",
            help=tr("cc.rules_help"),
        )
        left, right = st.columns(2)
        with left:
            use_baseline = st.toggle(tr("cc.use_baseline"), key="cc_use_baseline")
            picked_baseline = st.date_input(
                tr("cc.baseline"),
                min_value=ctx.start,
                max_value=ctx.end,
                key="cc_baseline",
                format="YYYY-MM-DD",
                disabled=not use_baseline,
                help=tr("cc.baseline_help"),
            )
        with right:
            excluded_ids = st.multiselect(
                tr("cc.exclude"),
                options=view.ids,
                format_func=point_labeller(view.granularity),
                key="cc_exclude",
                placeholder=tr("cc.exclude_placeholder"),
                help=tr("cc.exclude_help"),
            )
    baseline_range = None
    if use_baseline and isinstance(picked_baseline, (tuple, list)) and len(picked_baseline) == 2:
        baseline_range = (picked_baseline[0], picked_baseline[1])
    common.remember("cc_rules", ",".join(rules), ",".join(spc.DEFAULT_RULES))
    common.remember(
        "cc_base",
        (
            f"{baseline_range[0].isoformat()}..{baseline_range[1].isoformat()}"
            if baseline_range
            else None
        ),
        None,
    )
    common.remember("cc_excl", ",".join(excluded_ids) or None, None)
    baseline_mask = (
        kpi.periods_within(view.table["period"], *baseline_range) if baseline_range else None
    )
    exclude_mask = tuple(p in set(excluded_ids) for p in view.ids) if excluded_ids else None
    return Limits(list(rules), baseline_mask, exclude_mask)


def kpi_choice(top, view: View) -> str:
    default_kpi = "service_level" if "service_level" in view.kpis else view.kpis[0]
    common.restore("cc_kpi", "cc_kpi", lambda v: v in view.kpis, default_kpi)
    with top[2]:
        kpi_name = st.selectbox(
            tr("cc.kpi"), options=view.kpis, format_func=common.labeller("kpi."), key="cc_kpi"
        )
    common.remember("cc_kpi", kpi_name, default_kpi)
    return kpi_name


def chart_choices(ctx: common.Context, view: View, kpi_name: str, limits: Limits):
    """Chart type and change date; (chart type, change day) or None when it cannot be drawn."""
    try:
        default_chart = kpi_chart(
            view.table_key,
            kpi_name,
            None,
            view.granularity,
            tuple(limits.rules),
            None,
            None,
            None,
            improvement_labels(kpi_name),
            _table=view.table,
        )
    except ValueError as error:
        st.warning(error_text(error), icon=":material/warning:")
        return None
    available = default_chart.attrs["charts_available"]
    default_type = default_chart.attrs["chart"]
    # the chart type follows the KPI and granularity unless the user picked one for them
    chart_for = (kpi_name, view.granularity)
    if st.session_state.get("_cc_chart_for") != chart_for:
        if "_cc_chart_for" in st.session_state:
            st.session_state.pop("cc_chart", None)
            common.set_page_param("cc_chart", None)
        st.session_state["_cc_chart_for"] = chart_for
    common.restore("cc_chart", "cc_chart", lambda v: v in available, default_type)
    row = st.columns([2.2, 1.8, 1.6], vertical_alignment="bottom")
    with row[0]:
        chart_type = st.selectbox(
            tr("cc.chart_type"),
            options=available,
            format_func=label_with(CHART_KEYS, default=default_type),
            key="cc_chart",
            help=tr("cc.chart_type_help"),
        )
    common.remember("cc_chart", chart_type, default_type)
    use_change = False
    if ctx.days >= 2:  # a change date needs a day before it in the range
        with row[1]:
            use_change = st.toggle(
                tr("cc.use_change"), key="cc_use_change", help=tr("cc.change_help")
            )
    change_day = None
    if use_change:
        with row[2]:
            change_day = st.date_input(
                tr("cc.change"),
                min_value=ctx.start + dt.timedelta(days=1),
                max_value=ctx.end,
                key="cc_change",
                format="YYYY-MM-DD",
            )
    common.remember("cc_change", change_day.isoformat() if change_day else None, None)
    return chart_type, change_day
