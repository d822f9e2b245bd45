"""The demand sections: the plan's forecast accuracy, the app's own forecast, drivers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from ccmetrics import forecast, i18n, kpi
from pages import common
from pages.common import tr
from pages.staffing_sections.charts import accuracy_chart, own_forecast_chart
from pages.staffing_sections.shared import (
    driver_label,
    failure,
    has_values,
    pct,
    queue_filter,
    sentences,
    signed_pct,
)
from pages.staffing_sections.sources import driver_source

__all__ = [
    "FORECAST_HORIZON_DAYS",
    "accuracy_section",
    "own_forecast_section",
    "drivers_section",
    "driver_table",
    "day_drivers",
]

FORECAST_HORIZON_DAYS = 14


@st.cache_data(show_spinner=False, max_entries=16)
def _accuracy(key, plan_key, start, end, queues, _frame, _plan):
    """Forecast accuracy by day and interval over [start, end), and the daily errors.

    The queue filter applies when the plan is per queue; a plan without queues
    forecasts all of them, so it is compared with all the calls.
    """
    plan = _frame if _plan is None else _plan
    filters = queue_filter(queues) if has_values(plan, "queue") else None
    # the week before the range gives the seasonal-naive benchmark of its first days
    frame = kpi.subset(_frame, start - pd.Timedelta(days=forecast.SEASON_DAYS), end, filters)
    plan = kpi.subset(plan, start, end, filters)
    by_day = forecast.forecast_accuracy(frame, plan, level="day")
    by_interval = forecast.forecast_accuracy(frame, plan, level="interval")
    errors = forecast.forecast_errors(frame, plan, level="day")
    return by_day, by_interval, errors


@st.cache_data(show_spinner=False, max_entries=16)
def _history(key, end, queues, _frame) -> pd.DataFrame:
    """Daily calls of the queues in force, from the first day of the data to ``end``."""
    return forecast.daily_volume(kpi.subset(_frame, None, end, queue_filter(queues)))


@st.cache_data(show_spinner=False, max_entries=16)
def _own_forecast(key, end, queues, _history_frame):
    rows = forecast.rolling_origin_evaluation(_history_frame, horizon=7, origins=8)
    summary = forecast.summarize_rolling_origin(rows)
    ahead = forecast.forecast_daily(_history_frame, FORECAST_HORIZON_DAYS)
    return summary, ahead


@st.cache_data(show_spinner=False, max_entries=16)
def _drivers(key, end, queues, drivers_key, _history_frame, _drivers_frame):
    effects = forecast.driver_effects(_history_frame, _drivers_frame)
    contributions = forecast.driver_contributions(_history_frame, _drivers_frame)
    joined = forecast.join_drivers(_history_frame, _drivers_frame)
    flags = {name: bool(joined[name].dropna().isin([0.0, 1.0]).all()) for name in effects["driver"]}
    return effects, contributions, flags


def accuracy_section(ctx: common.Context, plan_key: str, plan) -> None:
    """The plan's forecast against the calls that came and against a seasonal-naive forecast."""
    st.subheader(tr("staff.forecast_title"))
    range_start = pd.Timestamp(ctx.start)
    range_end = pd.Timestamp(ctx.end_exclusive)
    frame = ctx.dataset.frame
    forecast_frame = frame if plan_key == "dataset" else plan
    if not has_values(forecast_frame, "forecast_offered"):
        st.info(tr("staff.no_forecast"), icon=":material/query_stats:")
        return
    try:
        by_day, by_interval, errors = _accuracy(
            ctx.dataset.key, plan_key, range_start, range_end, ctx.queues, _frame=frame, _plan=plan
        )
    except ValueError as error:
        failure("staff.error", error)
        return
    if by_day.empty or by_day["periods"].iloc[0] == 0:
        st.info(tr("staff.acc_no_benchmark"), icon=":material/query_stats:")
        return
    st.caption(tr("staff.acc_caption", start=ctx.start.isoformat(), end=ctx.end.isoformat()))
    accuracy = pd.concat([by_day, by_interval], ignore_index=True)
    level_names = {"day": tr("staff.level_day"), "interval": tr("staff.level_interval")}
    shown = pd.DataFrame(
        {
            tr("staff.col_level"): accuracy["level"].map(level_names),
            tr("staff.col_periods"): accuracy["periods"],
            tr("staff.col_wape"): (accuracy["wape"] * 100).round(1),
            tr("staff.col_naive_wape"): (accuracy["naive_wape"] * 100).round(1),
            tr("staff.col_bias"): (accuracy["bias"] * 100).round(1),
            tr("staff.col_naive_bias"): (accuracy["naive_bias"] * 100).round(1),
        }
    )
    st.dataframe(shown, hide_index=True, width="stretch", column_config=common.column_config(shown))
    daily_row = by_day.iloc[0]
    sentence = tr(
        "staff.acc_better" if daily_row["relative_wape"] < 1 else "staff.acc_worse",
        wape=pct(daily_row["wape"]),
        naive=pct(daily_row["naive_wape"]),
    )
    bias_key = "staff.bias_over" if daily_row["bias"] > 0 else "staff.bias_under"
    st.markdown(sentences(sentence, tr(bias_key, bias=pct(abs(daily_row["bias"])))))
    daily_errors = errors[(errors["period"] >= range_start) & (errors["period"] < range_end)]
    st.markdown(f"**{tr('staff.chart_daily')}**")
    chart = accuracy_chart(daily_errors)
    st.altair_chart(chart, width="stretch", key="staff_accuracy_chart")
    common.png_download(
        chart, f"staffing_forecast_accuracy_{ctx.start}_{ctx.end}", key="staff_accuracy_chart"
    )


def own_forecast_section(ctx: common.Context) -> pd.DataFrame:
    """The app's own daily forecast, evaluated on rolling origins; returns the daily history."""
    st.markdown(f"**{tr('staff.own_title')}**")
    range_end = pd.Timestamp(ctx.end_exclusive)
    try:
        history = _history(ctx.dataset.key, range_end, ctx.queues, _frame=ctx.dataset.frame)
    except ValueError as error:
        failure("staff.error", error)
        history = pd.DataFrame(columns=["date", "offered"])
    if len(history) < forecast.MIN_HISTORY_DAYS + 7:
        st.info(tr("staff.own_short", days=forecast.MIN_HISTORY_DAYS + 7, have=len(history)))
        return history
    try:
        summary, ahead = _own_forecast(
            ctx.dataset.key, range_end, ctx.queues, _history_frame=history
        )
    except ValueError as error:
        failure("staff.error", error)
        return history
    st.caption(
        tr(
            "staff.own_caption",
            days=len(history),
            end=ctx.end.isoformat(),
            origins=int(summary["origins"]),
        )
    )
    st.markdown(
        tr(
            "staff.own_result",
            wape=pct(summary["wape"]),
            naive=pct(summary["naive_wape"]),
            coverage=pct(summary["interval_coverage"]),
        )
    )
    chart = own_forecast_chart(history, ahead)
    st.altair_chart(chart, width="stretch", key="staff_own_forecast_chart")
    common.png_download(chart, f"staffing_own_forecast_{ctx.end}", key="staff_own_forecast_chart")
    st.caption(tr("staff.band_note"))
    return history


def drivers_section(ctx: common.Context, day: dt.date, history: pd.DataFrame) -> None:
    """Daily drivers (weather, campaigns): their effect on calls and on the day."""
    st.subheader(tr("staff.drivers_title"))
    drivers_key, drivers, drivers_name = driver_source(ctx)
    if drivers is None:
        st.info(tr("staff.drivers_none"), icon=":material/thermostat:")
        return
    st.caption(
        tr(
            "staff.drivers_in_use",
            name=drivers_name,
            columns=", ".join(str(c) for c in drivers.columns if c != "date"),
        )
    )
    try:
        effects, contributions, flags = _drivers(
            ctx.dataset.key,
            pd.Timestamp(ctx.end_exclusive),
            ctx.queues,
            drivers_key,
            _history_frame=history,
            _drivers_frame=drivers,
        )
    except ValueError as error:
        failure("staff.drivers_error", error)
        return
    st.caption(tr("staff.drivers_caption", days=len(contributions)))
    verdicts = {
        "useful": tr("staff.verdict_useful"),
        "not significant": tr("staff.verdict_not_significant"),
        "no hold-out gain": tr("staff.verdict_no_gain"),
        "not testable on hold-out": tr("staff.verdict_not_testable"),
    }
    driver_table(effects, verdicts)
    lines = []
    for row in effects.itertuples():
        lines.append(
            "- "
            + common.tr_md(
                "staff.driver_flag" if flags.get(row.driver) else "staff.driver_numeric",
                driver=driver_label(row.driver),
                effect=signed_pct(row.effect),
                low=signed_pct(row.effect_low),
                high=signed_pct(row.effect_high),
                verdict=verdicts[row.verdict],
            )
        )
    st.markdown("\n".join(lines))
    on_day = contributions[pd.to_datetime(contributions["date"]).dt.date == day]
    if not on_day.empty:
        day_drivers(day, on_day.iloc[0], list(effects["driver"]))


def driver_table(effects: pd.DataFrame, verdicts: dict[str, str]) -> None:
    table = pd.DataFrame(
        {
            tr("staff.col_driver"): effects["driver"].map(driver_label),
            tr("staff.col_active"): effects["active_days"],
            tr("staff.col_effect"): (effects["effect"] * 100).round(1),
            tr("staff.col_ci"): [
                f"{low * 100:+.1f} … {high * 100:+.1f}"
                for low, high in zip(effects["effect_low"], effects["effect_high"], strict=True)
            ],
            tr("staff.col_holdout"): [
                f"{pct(without)} → {pct(with_)}"
                for without, with_ in zip(
                    effects["holdout_wape_without"], effects["holdout_wape_with"], strict=True
                )
            ],
            tr("staff.col_verdict"): effects["verdict"].map(verdicts),
        }
    )
    st.dataframe(table, hide_index=True, width="stretch", column_config=common.column_config(table))


def day_drivers(day: dt.date, row, drivers: list[str]) -> None:
    """The selected day's calls split into baseline, each driver's calls and the rest."""
    lang = common.lang()
    added = {name: row[f"from_{name}"] for name in drivers}
    parts = [
        tr(
            "staff.day_driver_part",
            driver=driver_label(name),
            calls=i18n.format_change(calls, "count", lang),
        )
        for name, calls in added.items()
        if abs(calls) >= 0.5
    ]
    if abs(row["from_interaction"]) >= 0.5:
        parts.append(
            tr(
                "staff.day_interaction",
                calls=i18n.format_change(row["from_interaction"], "count", lang),
            )
        )
    if not parts:
        parts = [tr("staff.day_no_drivers")]
    st.info(
        sentences(
            tr(
                "staff.day_drivers",
                day=day.isoformat(),
                offered=common.fmt_count(row["offered"]),
                baseline=common.fmt_count(row["baseline"]),
                parts=tr("compare.list_sep").join(parts),
            ),
            tr(
                "staff.day_residual",
                calls=i18n.format_change(row["residual"], "count", lang),
            ),
        ),
        icon=":material/thermostat:",
    )
