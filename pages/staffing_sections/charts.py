"""The Staffing page's Altair charts (data in, chart out; no analysis)."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from pages import common
from pages.common import tr

SOLID = [1, 0]
DASHED = [6, 3]
#: Legends above the plot, high enough (offset) to clear the horizontal y-axis title below
#: them: at Vega's default offset a long Chinese title ran into the legend in the PNG.
LEGEND_OFFSET = 26
LEGEND = alt.Legend(
    orient="top",
    symbolType="stroke",
    symbolStrokeWidth=3,
    labelLimit=320,
    offset=LEGEND_OFFSET,
)

__all__ = [
    "SOLID",
    "DASHED",
    "LEGEND_OFFSET",
    "LEGEND",
    "COLOURS",
    "waterfall_chart",
    "X_TIME",
    "series_chart",
    "calls_chart",
    "curve_chart",
    "accuracy_chart",
    "own_forecast_chart",
]
COLOURS = {
    "offered": "#9ecae1",
    "forecast": "#08519c",
    "staffed": "#1f77b4",
    "scheduled": "#7f7f7f",
    "required_plan": "#fdae6b",
    "required_actual": "#e6550d",
    "measured": "#1f77b4",
    "model": "#e6550d",
    "target": "#d62728",
    "loss": "#d62728",
    "gain": "#2ca02c",
    "total": "#7f7f7f",
    "erlang_c": "#1f77b4",
    "erlang_a": "#e6550d",
    "naive": "#bdbdbd",
}


def waterfall_chart(waterfall: pd.DataFrame) -> alt.LayerChart:
    order = list(waterfall["step"])
    x_steps = alt.X("step:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=160))
    bars = (
        alt.Chart(waterfall)
        .mark_bar(size=48)
        .encode(
            x=x_steps,
            y=alt.Y(
                "start:Q",
                title=tr("axis.service_level"),
                scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%", **common.HORIZONTAL_TITLE),
            ),
            y2="end:Q",
            color=alt.Color(
                "kind:N",
                scale=alt.Scale(
                    domain=["total", "loss", "gain"],
                    range=[COLOURS["total"], COLOURS["loss"], COLOURS["gain"]],
                ),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("step:N", title=tr("staff.col_cause")),
                alt.Tooltip("label:N", title=" "),
            ],
        )
    )
    texts = (
        alt.Chart(waterfall)
        .mark_text(baseline="bottom", dy=-4, fontSize=12, fontWeight="bold")
        .encode(x=x_steps, y=alt.Y("top:Q", scale=alt.Scale(domain=[0, 1])), text="label:N")
    )
    return alt.layer(bars, texts).properties(height=300)


X_TIME = alt.X(
    "time:O",
    title=None,
    axis=alt.Axis(labelExpr="slice(datum.value, 3) == '00' ? datum.value : ''", labelAngle=0),
)


def series_chart(
    per_interval: pd.DataFrame,
    columns: dict,
    value_title: str,
    axis_format: str,
    tip_format: str,
    height: int,
) -> alt.Chart:
    """Lines of several per-interval series: column -> (label, colour, dash)."""
    long = per_interval.melt(
        id_vars=["time"], value_vars=list(columns), var_name="column", value_name="value"
    )
    long["series"] = long["column"].map({c: label for c, (label, _, _) in columns.items()})
    labels = [label for label, _, _ in columns.values()]
    return (
        alt.Chart(long.dropna(subset=["value"]))
        .mark_line(point=alt.OverlayMarkDef(size=16, filled=True))
        .encode(
            x=X_TIME,
            y=alt.Y(
                "value:Q",
                title=value_title,
                axis=alt.Axis(format=axis_format, **common.HORIZONTAL_TITLE),
            ),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(domain=labels, range=[c for _, c, _ in columns.values()]),
                legend=LEGEND,
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=labels, range=[d for _, _, d in columns.values()]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("time:N", title=tr("axis.slot")),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("value:Q", title=value_title, format=tip_format),
            ],
        )
        .properties(height=height)
    )


def calls_chart(per_interval: pd.DataFrame) -> alt.LayerChart:
    """Offered bars and the forecast line (one colour legend for both marks)."""
    call_series = {
        "offered": tr("staff.series_offered"),
        "forecast_offered": tr("staff.series_forecast"),
    }
    has_forecast = bool(per_interval["forecast_offered"].notna().any())
    if not has_forecast:
        call_series.pop("forecast_offered")
    call_long = per_interval.melt(
        id_vars=["time"], value_vars=list(call_series), var_name="column", value_name="calls"
    )
    call_long["series"] = call_long["column"].map(call_series)
    call_colour = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(
            domain=list(call_series.values()),
            range=[COLOURS["offered"], COLOURS["forecast"]][: len(call_series)],
        ),
        legend=alt.Legend(orient="top", labelLimit=320, offset=LEGEND_OFFSET),
    )
    call_tooltip = [
        alt.Tooltip("time:N", title=tr("axis.slot")),
        alt.Tooltip("series:N", title=" "),
        alt.Tooltip("calls:Q", title=tr("staff.axis_calls"), format=",.1f"),
    ]
    call_base = alt.Chart(call_long).encode(
        x=X_TIME,
        y=alt.Y("calls:Q", title=tr("staff.axis_calls"), axis=alt.Axis(**common.HORIZONTAL_TITLE)),
        color=call_colour,
        tooltip=call_tooltip,
    )
    call_layers = [call_base.mark_bar().transform_filter(alt.datum.column == "offered")]
    if has_forecast:
        call_layers.append(
            call_base.mark_line(
                strokeDash=[5, 3], point=alt.OverlayMarkDef(size=16, filled=True)
            ).transform_filter(alt.datum.column == "forecast_offered")
        )
    return alt.layer(*call_layers).properties(height=220)


def curve_chart(
    curve: pd.DataFrame, models: dict[str, str], columns: dict[str, str], title, fmt, top, rule
) -> alt.LayerChart:
    """One what-if panel over the agent counts: column -> model code ("erlang_c"/"erlang_a")."""
    x_agents = alt.X("agents:O", title=tr("staff.axis_agents_phones"), axis=alt.Axis(labelAngle=0))
    long = curve.melt(id_vars=["agents"], value_vars=list(columns), var_name="column")
    long["model"] = long["column"].map({column: models[m] for column, m in columns.items()})
    long = long[long["value"].map(math.isfinite)]
    shown = [m for m in models if m in columns.values()]
    scale = alt.Scale(domain=[0, top]) if top else alt.Scale()
    lines = (
        alt.Chart(long)
        .mark_line(point=alt.OverlayMarkDef(size=30, filled=True), clip=True)
        .encode(
            x=x_agents,
            y=alt.Y(
                "value:Q",
                title=title,
                scale=scale,
                axis=alt.Axis(format=fmt, **common.HORIZONTAL_TITLE),
            ),
            color=alt.Color(
                "model:N",
                title=None,
                scale=alt.Scale(
                    domain=[models[m] for m in shown], range=[COLOURS[m] for m in shown]
                ),
                legend=LEGEND,
            ),
            tooltip=[
                alt.Tooltip("agents:O", title=tr("staff.col_agents")),
                alt.Tooltip("model:N", title=" "),
                alt.Tooltip("value:Q", title=title, format=fmt),
            ],
        )
    )
    layers = [lines]
    if rule is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"value": [rule]}))
            .mark_rule(color=COLOURS["target"], strokeDash=[6, 4])
            .encode(y="value:Q")
        )
    return alt.layer(*layers).properties(height=260)


def accuracy_chart(errors: pd.DataFrame) -> alt.Chart:
    """Actual, forecast and seasonal-naive calls per day."""
    long = errors.melt(
        id_vars=["period"], value_vars=["actual", "forecast", "naive"], var_name="series"
    )
    series_names = {
        "actual": tr("staff.series_actual"),
        "forecast": tr("staff.series_forecast"),
        "naive": tr("staff.series_naive"),
    }
    long["series"] = long["series"].map(series_names)
    long["day"] = pd.to_datetime(long["period"]).dt.strftime("%Y-%m-%d")
    return (
        alt.Chart(long.dropna(subset=["value"]))
        .mark_line(point=True)
        .encode(
            x=alt.X(
                "day:O",
                title=tr("axis.day"),
                axis=alt.Axis(
                    labelExpr="slice(datum.value, 5)", labelAngle=0, labelOverlap="parity"
                ),
            ),
            y=alt.Y("value:Q", title=tr("axis.offered"), axis=alt.Axis(**common.HORIZONTAL_TITLE)),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(
                    domain=list(series_names.values()),
                    range=[COLOURS["staffed"], COLOURS["required_actual"], COLOURS["naive"]],
                ),
                legend=LEGEND,
            ),
            tooltip=[
                alt.Tooltip("day:N", title=tr("axis.day")),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("value:Q", title=tr("axis.offered"), format=",.0f"),
            ],
        )
        .properties(height=280)
    )


def own_forecast_chart(history: pd.DataFrame, ahead: pd.DataFrame) -> alt.LayerChart:
    """The last eight weeks of calls, the forecast ahead and its prediction band."""
    actual_name, forecast_name = tr("staff.series_actual"), tr("staff.series_forecast")
    lines = pd.concat(
        [
            history.tail(8 * 7).assign(series=actual_name, calls=lambda f: f["offered"]),
            ahead.assign(series=forecast_name, calls=lambda f: f["forecast"]),
        ],
        ignore_index=True,
    )[["date", "series", "calls"]]
    # a tick a week: Vega's default restarts its 4-day ticks at each month (03-29, 04-01)
    x_date = alt.X(
        "date:T",
        title=tr("axis.day"),
        axis=alt.Axis(format="%m-%d", tickCount={"interval": "week", "step": 1}),
    )
    band = (
        alt.Chart(ahead)
        .mark_area(color=COLOURS["required_plan"], opacity=0.35)
        .encode(
            x=x_date,
            y="lower:Q",
            y2="upper:Q",
            tooltip=[
                alt.Tooltip("date:T", title=tr("axis.day"), format="%Y-%m-%d"),
                alt.Tooltip("lower:Q", title=tr("staff.series_interval"), format=",.0f"),
                alt.Tooltip("upper:Q", title=tr("staff.series_interval"), format=",.0f"),
            ],
        )
    )
    history_lines = (
        alt.Chart(lines)
        .mark_line(point=alt.OverlayMarkDef(size=20, filled=True))
        .encode(
            x=x_date,
            y=alt.Y("calls:Q", title=tr("axis.offered"), axis=alt.Axis(**common.HORIZONTAL_TITLE)),
            color=alt.Color(
                "series:N",
                title=None,
                scale=alt.Scale(
                    domain=[actual_name, forecast_name],
                    range=[COLOURS["staffed"], COLOURS["required_actual"]],
                ),
                legend=LEGEND,
            ),
            strokeDash=alt.StrokeDash(
                "series:N",
                scale=alt.Scale(domain=[actual_name, forecast_name], range=[SOLID, DASHED]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("date:T", title=tr("axis.day"), format="%Y-%m-%d"),
                alt.Tooltip("series:N", title=" "),
                alt.Tooltip("calls:Q", title=tr("axis.offered"), format=",.0f"),
            ],
        )
    )
    return alt.layer(band, history_lines).properties(height=280)
