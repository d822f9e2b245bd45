"""Control charts: which periods are out of statistical control, for one KPI or all of them.

Thin page: the KPI table comes from ``ccmetrics.kpi.compute`` (of the app's cube when the
filters are date range and queue, ``common.aggregate_source``) and every chart (limits,
signals, diagnostics, improvement check) from ``ccmetrics.spc.kpi_chart``. A click on a
signal point (or the picker under the signals table) opens the Drill-down page on that
period.

A signal opens the Drill-down page through the shared ``day`` / ``interval`` state, the
Drill-down's ``dd_minutes`` parameter and ``st.session_state["anomaly_window"]`` (see
:func:`open_drilldown`).

Page state mirrored in the URL: ``cc_view`` (one/all), ``cc_kpi``, ``cc_gran``, ``cc_seg``
(segments, "|"-separated), ``cc_chart``, ``cc_rules`` (comma-separated), ``cc_base``
("from..to"), ``cc_excl`` (point ids, comma-separated), ``cc_change`` (a day).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import altair as alt
import pandas as pd
import streamlit as st

from ccmetrics import i18n, kpi, spc
from pages import common, story_panel
from pages.common import tr

GRANULARITIES = ("interval", "day", "week")
VIEWS = ("one", "all")
#: KPIs the page charts, in menu order (those the data supports are shown).
CHART_KPIS = (*(name for name, _ in common.TILES), "occupancy")
#: At most this many points on one chart (an interval chart of a long range is refused).
MAX_POINTS = 3000
SELECTION = "cc_pick"
DAY_MINUTES = 24 * 60
WEEK_MINUTES = 7 * 24 * 60
STAMP = "%Y-%m-%dT%H:%M"
SIGNAL_COLOR = "#d62728"
POINT_COLOR = "#4c78a8"
LIMIT_COLOR = "#d62728"
CENTER_COLOR = "#2ca02c"

VIEW_KEYS = {"one": "cc.view.one", "all": "cc.view.all"}
GRANULARITY_KEYS = {"interval": "cc.gran.interval", "day": "cc.gran.day", "week": "cc.gran.week"}
CHART_KEYS = {
    "p_prime": "cc.chart.p_prime",
    "p": "cc.chart.p",
    "xbar_s": "cc.chart.xbar_s",
    "xmr": "cc.chart.xmr",
    "seasonal": "cc.chart.seasonal",
    "ewma": "cc.chart.ewma",
    "cusum": "cc.chart.cusum",
}
CHART_ABOUT_KEYS = {
    "p_prime": "cc.chart_about.p_prime",
    "p": "cc.chart_about.p",
    "xbar_s": "cc.chart_about.xbar_s",
    "xmr": "cc.chart_about.xmr",
    "seasonal": "cc.chart_about.seasonal",
    "ewma": "cc.chart_about.ewma",
    "cusum": "cc.chart_about.cusum",
}
RULE_KEYS = {
    "nelson_1": "cc.rule.nelson_1",
    "nelson_2": "cc.rule.nelson_2",
    "nelson_3": "cc.rule.nelson_3",
    "nelson_4": "cc.rule.nelson_4",
    "nelson_5": "cc.rule.nelson_5",
    "nelson_6": "cc.rule.nelson_6",
    "nelson_7": "cc.rule.nelson_7",
    "nelson_8": "cc.rule.nelson_8",
    "anhoej": "cc.rule.anhoej",
    "ewma": "cc.rule.ewma",
    "cusum_upper": "cc.rule.cusum_upper",
    "cusum_lower": "cc.rule.cusum_lower",
}
SELECTABLE_RULES = (*spc.NELSON_RULES, "anhoej")
PHASE_KEYS = {"before": "cc.summary_phase.before", "after": "cc.summary_phase.after"}
KIND_KEYS = {"point": "cc.kind.point", "shift": "cc.kind.shift"}
SIDE_KEYS = {"above": "cc.side.above", "below": "cc.side.below"}
UNITS_KEYS = {"interval": "cc.units.interval", "day": "cc.units.day", "week": "cc.units.week"}
UNIT_KEYS = {"interval": "cc.unit.interval", "day": "cc.unit.day", "week": "cc.unit.week"}
VERDICT_KEYS = {
    "stable": "cc.verdict.stable",
    "stable_meets_target": "cc.verdict.stable_meets_target",
    "stable_misses_target": "cc.verdict.stable_misses_target",
}
IMPROVEMENT_TEST_KEYS = {
    "proportion": "cc.improvement_test.proportion",
    "mean": "cc.improvement_test.mean",
}
#: ccmetrics.spc.ChartInputError codes -> the translated explanation shown instead.
ERROR_KEYS = {
    "no_limit_points": "cc.error.no_points",
    "change_sides": "cc.error.change_sides",
    "phase_points": "cc.error.phase_points",
}


def label_with(keys: dict[str, str], default=None, **params):
    """A ``format_func`` translating options through ``keys`` (language bound now, since
    Streamlit may call it outside the run); ``default`` is marked "(default)"."""
    language = common.lang()

    def label(option) -> str:
        text = (
            i18n.t(keys[option], language, **params) if params else i18n.t(keys[option], language)
        )
        if default is not None and option == default:
            return i18n.t("cc.default_mark", language, chart=text)
        return text

    return label


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


def point_ids(periods, granularity: str) -> list[str]:
    """Stable ids of the points: "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM" per interval."""
    stamps = pd.DatetimeIndex(periods)
    pattern = "%Y-%m-%dT%H:%M" if granularity == "interval" else "%Y-%m-%d"
    return list(stamps.strftime(pattern))


def point_label(point_id: str, granularity: str, language: str | None = None) -> str:
    """How a point is named to a user: "Wed 2025-03-05 09:30", "week of 2025-03-03"."""
    language = language or common.lang()
    stamp = pd.Timestamp(point_id)
    if granularity == "week":
        return i18n.t("cc.week_of", language, day=stamp.strftime("%Y-%m-%d"))
    weekday = i18n.t(f"weekday.{stamp.day_of_week}", language)
    if granularity == "interval":
        return f"{weekday} {stamp.strftime('%Y-%m-%d %H:%M')}"
    return f"{weekday} {stamp.strftime('%Y-%m-%d')}"


def point_labeller(granularity: str):
    """A ``format_func`` naming point ids (language bound now)."""
    language = common.lang()
    return lambda point_id: point_label(point_id, granularity, language)


def improvement_labels(kpi_name: str) -> tuple:
    """KPI name, unit and decimals for the improvement sentences (both languages)."""
    unit = kpi.KPI_UNITS.get(kpi_name, "score")
    decimals = {"percent": 1, "seconds": 0, "count": 0}.get(unit, common.DECIMALS.get(kpi_name, 2))
    units = (" s", "秒") if unit == "seconds" else ("", "")
    return (
        i18n.t(f"kpi.{kpi_name}", "en"),
        i18n.t(f"kpi.{kpi_name}", "zh"),
        units[0],
        units[1],
        decimals,
    )


def error_text(error: ValueError) -> str:
    key = ERROR_KEYS.get(getattr(error, "code", None))
    return tr(key) if key else common.tr_md("cc.error.generic", reason=str(error))


def open_drilldown(point_id: str, granularity: str, minutes: int) -> None:
    """Select the signal's period and switch to the Drill-down page.

    Sets the shared ``day`` (``common.set_selected_day``) and ``interval`` (the period's
    start for interval and week signals, None for a day), the Drill-down's
    ``dd_minutes`` (the period's length when it is not the default 30 minutes) and
    ``st.session_state["anomaly_window"]`` = (start, end), "YYYY-MM-DDTHH:MM", half-open:
    the exact interval, day or week of the point.
    """
    start = pd.Timestamp(point_id)
    length = {"interval": minutes, "day": DAY_MINUTES, "week": WEEK_MINUTES}[granularity]
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


# --------------------------------------------------------------------------- chart drawing


def value_format(kpi_name: str, chart: str) -> str:
    """d3 format of the plotted values."""
    if chart == "cusum":
        return ",.2f"
    unit = kpi.KPI_UNITS.get(kpi_name, "score")
    if unit == "percent":
        return ".1%"
    if unit in ("seconds", "count"):
        return ",.0f"
    return ",.1f" if kpi_name in common.DECIMALS else ",.2f"


def axis_title(kpi_name: str, chart: str) -> str:
    if chart == "cusum":
        return tr("cc.cusum_axis")
    name = tr(f"kpi.{kpi_name}") if kpi_name != "aht_s" else tr("tile.aht_s")
    if kpi_name == "asa_s":
        name = tr("tile.asa_s")
    unit = kpi.KPI_UNITS.get(kpi_name)
    return tr("header.seconds", name=name) if unit == "seconds" else name


def rules_text(rules: str) -> str:
    """Translated names of the rules that fired ("" when none)."""
    return "; ".join(tr(RULE_KEYS[rule]) for rule in rules.split(",") if rule in RULE_KEYS)


def plot_frame(chart: pd.DataFrame, granularity: str) -> pd.DataFrame:
    """One row per point: id, label, value, n, limits, signal and the rules in words."""
    ids = point_ids(chart.index, granularity)
    return pd.DataFrame(
        {
            "point_id": ids,
            "when": [point_label(i, granularity) for i in ids],
            "value": chart["value"].to_numpy(dtype=float),
            "n": chart["n"].to_numpy(dtype=float),
            "center": chart["center"].to_numpy(dtype=float),
            "lcl": chart["lcl"].to_numpy(dtype=float),
            "ucl": chart["ucl"].to_numpy(dtype=float),
            "signal": chart["signal"].to_numpy(dtype=bool),
            "status": [tr("cc.signal") if s else tr("cc.no_signal") for s in chart["signal"]],
            "rules_text": [rules_text(str(r)) for r in chart["rules"]],
            "excluded": [tr("cc.yes") if e else "" for e in chart["excluded"]],
            "phase": chart["phase"].astype(str).to_numpy(),
        }
    )


def chart_figure(
    points: pd.DataFrame,
    kpi_name: str,
    chart: str,
    granularity: str,
    *,
    height: int,
    compact: bool = False,
    change_id: str | None = None,
) -> alt.LayerChart:
    """Layered chart: value line, points coloured by signal, center line, stepped limits."""
    fmt = value_format(kpi_name, chart)
    label_expr = (
        "replace(slice(datum.value, 5), 'T', ' ')"
        if granularity == "interval"
        else "slice(datum.value, 5)"
    )
    axis = (
        alt.Axis(labels=False, ticks=False)
        if compact
        else alt.Axis(labelExpr=label_expr, labelAngle=0, labelOverlap="greedy")
    )
    x = alt.X("point_id:O", title=None, axis=axis)
    y_axis = alt.Axis(format=".0%" if fmt == ".1%" else "~s", **common.HORIZONTAL_TITLE)
    if compact:
        y_axis = alt.Axis(format=".0%" if fmt == ".1%" else "~s", title=None)
    y_scale = alt.Scale(zero=False)
    base = alt.Chart(points)
    line = base.mark_line(color=POINT_COLOR, strokeWidth=1.2).encode(
        x=x,
        y=alt.Y(
            "value:Q",
            title=None if compact else axis_title(kpi_name, chart),
            axis=y_axis,
            scale=y_scale,
        ),
        detail="phase:N",
    )
    names = {"ucl": tr("cc.line.ucl"), "center": tr("cc.line.center"), "lcl": tr("cc.line.lcl")}
    limits = points.melt(
        id_vars=["point_id", "phase"],
        value_vars=["ucl", "center", "lcl"],
        var_name="line",
        value_name="y",
    )
    limits["line_name"] = limits["line"].map(names)
    limits["line_group"] = limits["line"] + "/" + limits["phase"]
    order = [names["ucl"], names["center"], names["lcl"]]
    limit_lines = (
        alt.Chart(limits)
        .mark_line(interpolate="step", strokeWidth=1.4)
        .encode(
            x=x,
            y=alt.Y("y:Q", scale=y_scale),
            color=alt.Color(
                "line_name:N",
                scale=alt.Scale(domain=order, range=[LIMIT_COLOR, CENTER_COLOR, LIMIT_COLOR]),
                legend=None if compact else alt.Legend(title=None, orient="top"),
            ),
            strokeDash=alt.StrokeDash(
                "line_name:N",
                scale=alt.Scale(domain=order, range=[[5, 4], [1, 0], [5, 4]]),
                legend=None,
            ),
            detail="line_group:N",
        )
    )
    n_title = tr(f"kpi.{kpi.KPI_BASE[kpi_name]}") if kpi_name in kpi.KPI_BASE else tr("cc.col_n")
    tooltip = [
        alt.Tooltip("when:N", title=tr("cc.tip.period")),
        alt.Tooltip("value:Q", title=axis_title(kpi_name, chart), format=fmt),
        alt.Tooltip("n:Q", title=n_title, format=",.0f"),
        alt.Tooltip("ucl:Q", title=tr("cc.line.ucl"), format=fmt),
        alt.Tooltip("center:Q", title=tr("cc.line.center"), format=fmt),
        alt.Tooltip("lcl:Q", title=tr("cc.line.lcl"), format=fmt),
        alt.Tooltip("rules_text:N", title=tr("cc.tip.rules")),
        alt.Tooltip("excluded:N", title=tr("cc.tip.excluded")),
    ]
    status_order = [tr("cc.no_signal"), tr("cc.signal")]
    dots = base.mark_circle(size=14 if compact else 28, opacity=0.9).encode(
        x=x,
        y=alt.Y("value:Q", scale=y_scale),
        color=alt.Color(
            "status:N",
            scale=alt.Scale(domain=status_order, range=[POINT_COLOR, SIGNAL_COLOR]),
            legend=None if compact else alt.Legend(title=None, orient="top"),
        ),
        tooltip=tooltip,
    )
    pick = alt.selection_point(name=SELECTION, fields=["point_id"], on="click")
    signals = (
        alt.Chart(points[points["signal"]])
        .mark_circle(size=50 if compact else 110, color=SIGNAL_COLOR, cursor="pointer", opacity=1)
        .encode(x=x, y=alt.Y("value:Q", scale=y_scale), tooltip=tooltip)
        .add_params(pick)
    )
    layers = [limit_lines, line, dots, signals]
    if compact:  # small multiples: the limits as a light band, easier to read at this size
        band = base.mark_area(interpolate="step", color="#9e9e9e", opacity=0.22).encode(
            x=x, y=alt.Y("lcl:Q", scale=y_scale), y2="ucl:Q", detail="phase:N"
        )
        center = base.mark_line(interpolate="step", color=CENTER_COLOR, strokeWidth=1).encode(
            x=x, y=alt.Y("center:Q", scale=y_scale), detail="phase:N"
        )
        layers = [band, center, line, dots, signals]
    if change_id is not None:
        change_rule = (
            alt.Chart(pd.DataFrame({"point_id": [change_id]}))
            .mark_rule(color="#7f7f7f", strokeDash=[2, 2])
            .encode(x=x, tooltip=alt.Tooltip("point_id:N", title=tr("cc.line.change")))
        )
        layers.insert(0, change_rule)
    return (
        alt.layer(*layers)
        .resolve_scale(color="independent", strokeDash="independent")
        .properties(height=height)
    )


# --------------------------------------------------------------------------- verdict, findings, map


def kpi_text(kpi_name: str, value) -> str:
    return kpi.format_kpi(kpi_name, value, common.lang())


def spread_text(kpi_name: str, value) -> str:
    """A spread in the KPI's unit, unsigned ("5.2 pp", "8 s")."""
    return (kpi.format_kpi_change(kpi_name, value, common.lang()) or "–").lstrip("+")


def share_text(share) -> str:
    return i18n.format_number(share, "percent", common.lang(), decimals=0)


def verdict_text(verdict: dict, kpi_name: str, chart_type: str, granularity: str) -> str:
    """The chart's one sentence (``ccmetrics.spc.chart_verdict``) in the UI language."""
    code = verdict["code"]
    found = verdict["capability"]
    units = tr(UNITS_KEYS[granularity])
    if code in ("shift", "signals"):
        episodes = verdict["episodes"]
        kind = "shift" if code == "shift" else "point"
        top = episodes[episodes["kind"] == kind].iloc[0]
        if code == "shift" and granularity == "interval":  # a window of one day, not a change
            return tr(
                "cc.verdict.shift_window",
                direction=tr(SIDE_KEYS[top["direction"]]),
                start=point_label(point_ids([top["start"]], granularity)[0], granularity),
                end=pd.Timestamp(top["end"]).strftime("%H:%M"),
                signals=int(top["n_signals"]),
                points=int(top["n_points"]),
            )
        if code == "shift":
            return tr(
                "cc.verdict.shift",
                direction=tr(SIDE_KEYS[top["direction"]]),
                start=point_label(point_ids([top["start"]], granularity)[0], granularity),
                signals=int(top["n_signals"]),
                points=int(top["n_points"]),
                units=units,
                unit=tr(UNIT_KEYS[granularity]),
            )
        return tr(
            "cc.verdict.signals",
            count=verdict["incidents"],
            peak=point_label(point_ids([top["peak"]], granularity)[0], granularity),
            value=kpi_text(kpi_name, top["peak_value"]),
            center=kpi_text(kpi_name, top["peak_center"]),
        )
    if chart_type == "cusum":  # its points are cumulative sums, not the KPI's level
        return tr("cc.no_signals")
    params = {
        "level": kpi_text(kpi_name, found["level"]),
        "spread": spread_text(kpi_name, found["spread"]),
        "target": kpi_text(kpi_name, found["target"]),
        "share": share_text(found["share_meeting"]),
        "units": units,
        "side": tr(SIDE_KEYS["below" if found["gap"] < 0 else "above"]),
    }
    return tr(VERDICT_KEYS[code], **params)


def episodes_frame(episodes: pd.DataFrame, kpi_name: str, granularity: str) -> pd.DataFrame:
    """The findings table: one row per incident or shift, most severe first."""
    label = lambda stamp: point_label(point_ids([stamp], granularity)[0], granularity)  # noqa: E731
    return pd.DataFrame(
        {
            tr("cc.col_kind"): [tr(KIND_KEYS[k]) for k in episodes["kind"]],
            tr("cc.col_direction"): [tr(SIDE_KEYS[d]) for d in episodes["direction"]],
            tr("cc.col_from"): [label(s) for s in episodes["start"]],
            tr("cc.col_to"): [label(s) for s in episodes["end"]],
            tr("cc.col_signals"): episodes["n_signals"].astype(int).to_numpy(),
            tr("cc.col_peak"): [
                f"{label(p)}{'：' if common.lang() == 'zh' else ': '}{kpi_text(kpi_name, v)}"
                for p, v in zip(episodes["peak"], episodes["peak_value"], strict=True)
            ],
            tr("cc.col_severity"): episodes["severity"].round(1).to_numpy(),
        }
    )


def signal_map_figure(chart: pd.DataFrame, kpi_name: str) -> alt.LayerChart:
    """Heat map of an interval chart: one row per day, one column per time slot."""
    cells = spc.signal_map(chart)
    language = common.lang()
    cells["day_label"] = [
        f"{d.strftime('%m-%d')} {i18n.t(f'weekday.{d.day_of_week}', language)}"
        for d in cells["day"]
    ]
    cells["when"] = [
        f"{d.strftime('%Y-%m-%d')} {s}" for d, s in zip(cells["day"], cells["slot"], strict=True)
    ]
    cells["value_text"] = [kpi_text(kpi_name, v) for v in cells["value"]]
    cells["z_shown"] = cells["z"].clip(-6, 6)
    days = list(dict.fromkeys(cells["day_label"]))
    x = alt.X("slot:O", title=tr("cc.map_slot"), axis=alt.Axis(labelAngle=-90))
    y = alt.Y("day_label:O", title=tr("cc.map_day"), sort=days)
    tooltip = [
        alt.Tooltip("when:N", title=tr("cc.tip.period")),
        alt.Tooltip("value_text:N", title=tr(f"kpi.{kpi_name}")),
        alt.Tooltip("z:Q", title=tr("cc.map_z"), format="+.1f"),
    ]
    heat = (
        alt.Chart(cells)
        .mark_rect()
        .encode(
            x=x,
            y=y,
            color=alt.Color(
                "z_shown:Q",
                title=tr("cc.map_z"),
                scale=alt.Scale(scheme="redblue", reverse=True, domain=[-6, 6]),
            ),
            tooltip=tooltip,
        )
    )
    outline = (
        alt.Chart(cells[cells["signal"]])
        .mark_rect(filled=False, stroke="#000000", strokeWidth=1.5)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    # one row of fixed height per day (a fixed chart height squeezed a week into 60 px)
    return alt.layer(heat, outline).properties(height=alt.Step(18))


# --------------------------------------------------------------------------- callbacks


def signal_count(chart: pd.DataFrame) -> int:
    return int(chart["signal"].sum())


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


def warning_text(warning: dict, diagnostics: dict, chart_type: str) -> str:
    """A ccmetrics.spc diagnostic warning in the language in force (by its code)."""
    code = warning.get("code")
    if code == "few_points":
        return tr("cc.warn.few_points", count=diagnostics["n_limit_points"])
    if code == "overdispersion":
        key = (
            "cc.warn.overdispersion_attribute"
            if chart_type in ("p", "p_prime")
            else "cc.warn.overdispersion_means"
        )
        return tr(key, sigma_z=f"{diagnostics['sigma_z']:.1f}")
    if code == "autocorrelation":
        value = diagnostics["lag1_autocorrelation"]
        key = (
            "cc.warn.autocorrelation_positive" if value > 0 else "cc.warn.autocorrelation_negative"
        )
        return tr(key, value=f"{value:.2f}")
    if code == "slot_without_baseline":
        return tr("cc.warn.slot_without_baseline")
    return common.md(warning.get("text", code))


# =========================================================================== sections


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
    common.restore("cc_gran", "cc_gran", lambda v: v in GRANULARITIES, "day")
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
                options=list(GRANULARITIES),
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
    freq = f"{minutes}min" if granularity == "interval" else {"day": "D", "week": "W"}[granularity]
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
        per_day = max(1, round(len(table) / max(ctx.days, 1)))
        st.info(
            tr(
                "cc.too_many_points",
                points=common.fmt_count(len(table)),
                days=MAX_POINTS // per_day,
            ),
            icon=":material/zoom_in:",
        )
        return None
    missing = kpi.missing_inputs(ctx.dataset.frame)
    kpis = [
        name
        for name in CHART_KPIS
        if name not in missing and name in table.columns and table[name].notna().any()
    ]
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
    ranked = sorted(charts, key=lambda name: -signal_count(charts[name]))
    per_row = 3
    for row_start in range(0, len(ranked), per_row):
        columns = st.columns(per_row)
        for column, name in zip(columns, ranked[row_start : row_start + per_row], strict=False):
            with column.container(border=True):
                small_multiple(view, name, charts[name])


def small_multiple(view: View, name: str, chart: pd.DataFrame) -> None:
    title = tr("cc.multiples_title", kpi=tr(f"kpi.{name}"), signals=signal_count(chart))
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


def chart_section(ctx, view: View, kpi_name: str, chart_type: str, chart, change_day):
    """The chart of one KPI; a click on a point opens the Drill-down. Returns its points."""
    points = plot_frame(chart, view.granularity)
    st.markdown(f"**{tr(f'kpi.{kpi_name}')}** · {tr(CHART_ABOUT_KEYS[chart_type])}")
    change_id = None
    if change_day:
        after = points.loc[pd.DatetimeIndex(chart.index) >= pd.Timestamp(change_day), "point_id"]
        change_id = after.iloc[0] if len(after) else None
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
    for phase, attrs in phase_attrs.items():
        in_phase = chart["phase"] == phase
        parts = [
            tr(
                "cc.summary",
                chart=tr(CHART_KEYS[chart_type]),
                signals=int(chart.loc[in_phase, "signal"].sum()),
                points=int(in_phase.sum()),
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
        top = episodes.iloc[0]
        story_day = pd.Timestamp(top["start"] if top["kind"] == "shift" else top["peak"]).date()
        story_panel.show_story(ctx, story_day)
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


# =========================================================================== page


def one_kpi(ctx: common.Context, top, view: View, limits: Limits) -> None:
    """One KPI's chart with its verdict, improvement check and signals."""
    kpi_name = kpi_choice(top, view)
    choices = chart_choices(ctx, view, kpi_name, limits)
    if choices is None:
        return
    chart_type, change_day = choices
    try:
        chart = kpi_chart(
            view.table_key,
            kpi_name,
            chart_type,
            view.granularity,
            tuple(limits.rules),
            limits.baseline_mask,
            limits.exclude_mask,
            change_day.isoformat() if change_day else None,
            improvement_labels(kpi_name),
            _table=view.table,
        )
    except ValueError as error:
        st.warning(error_text(error), icon=":material/warning:")
        return
    points = chart_section(ctx, view, kpi_name, chart_type, chart, change_day)
    summary_section(chart, chart_type, limits.rules)
    verdict_section(ctx, view, kpi_name, chart_type, chart, change_day)
    improvement_section(chart)
    signals_section(ctx, view, kpi_name, chart_type, chart, points)


def main() -> None:
    ctx = common.context()
    st.title(tr("nav.control_charts"))
    st.caption(tr("cc.intro"))
    minutes = kpi.chart_interval_minutes(ctx.dataset.frame)
    # the view needs room for both labels in Chinese ("单个指标 | 全部指标" was cut at 1.5)
    top = st.columns([1.8, 1.9, 2.1, 2.0], vertical_alignment="bottom")
    view_name, granularity, segments = view_controls(ctx, top, minutes)
    view = table_section(ctx, granularity, segments, minutes)
    if view is None:
        return
    limits = settings_section(ctx, view)
    if view_name == "all":
        small_multiples_section(view, limits)
    else:
        one_kpi(ctx, top, view, limits)


if __name__ == "__main__":
    main()
