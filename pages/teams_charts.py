"""The Teams page's charts and tables: funnel plot, caterpillar plot and league table,
quadrant, agent card and QA against CSAT, drawn from the tables of
:mod:`ccmetrics.compare`; and the words the page uses for units, KPIs and p-values.
"""

from __future__ import annotations

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from ccmetrics import compare, i18n, kpi
from pages import common, targets_section
from pages.common import tr

__all__ = [
    "unit_word",
    "units_word",
    "short_name",
    "cannot",
    "funnel_points",
    "funnel_curves",
    "draw_funnel",
    "funnel_notes",
    "caterpillar_data",
    "draw_caterpillar",
    "league_table",
    "draw_league_table",
    "draw_quadrant",
    "card_table",
    "draw_card",
    "draw_qa_vs_csat",
]

LIMIT_KEYS = {"95": "teams.limit_95", "99_8": "teams.limit_99_8"}
METHOD_KEYS = {
    "exact": "teams.method_exact",
    "wilson": "teams.method_wilson",
    "normal": "teams.method_normal",
}
STATUS_KEYS = {
    "better": "teams.flag_better",
    "none": "teams.flag_none",
    "worse": "teams.flag_worse",
}
VERDICT_KEYS = {
    "better": "teams.verdict_better",
    "none": "teams.verdict_noise",
    "worse": "teams.verdict_worse",
}
#: Colours of a funnel dot's status and of an agent-card gap's verdict.
COLOURS = {"better": "#2ca02c", "none": "#4c78a8", "worse": "#d62728"}
VERDICT_COLOURS = {"better": "#2ca02c", "none": "#9e9e9e", "worse": "#d62728"}
CENTRE_COLOUR = "#555555"
#: Above this many units the x-axis of the caterpillar plot shows no names (tooltips do).
MAX_NAMED_UNITS = 40
#: y-axis titles written horizontally above the axis (as on the Overview), starting at
#: the axis: the Teams charts' titles are long ("AHT adjusted for call mix (s)").
HORIZONTAL_TITLE = {**common.HORIZONTAL_TITLE, "titleAlign": "left", "titleX": 0}


def unit_word(by: str) -> str:
    return tr("teams.unit_team") if by == "team" else tr("teams.unit_agent")


def units_word(by: str) -> str:
    return tr("teams.units_team") if by == "team" else tr("teams.units_agent")


def short_name(metric: str) -> str:
    """The tile name when there is one ("AHT"), else the KPI name."""
    key = f"tile.{metric}"
    return tr(f"tile.{metric}") if i18n.has_key(key, common.lang()) else tr(f"kpi.{metric}")


def _with_unit(metric: str, name: str) -> str:
    """A header or axis title with the KPI's unit: "AHT (s)", "FCR (%)"."""
    unit = kpi.KPI_UNITS.get(metric)
    if unit == "percent":
        return tr("header.percent", name=name)
    if unit == "seconds":
        return tr("header.seconds", name=name)
    return name


def _vega_format(metric: str) -> str:
    """d3 number format of a KPI's values in charts (percentages with one decimal)."""
    unit = kpi.KPI_UNITS.get(metric)
    if unit == "percent":
        return ".1%"
    if unit == "seconds":
        return ",.0f"
    return f".{common.DECIMALS.get(metric, 2)}f"


def _axis_format(metric: str, values=()) -> str:
    """d3 format of a KPI's axis: whole percentages, one decimal when the ``values`` drawn
    span less than 5 points (else neighbouring ticks read the same: "87%", "87%")."""
    if kpi.KPI_UNITS.get(metric) != "percent":
        return _vega_format(metric)
    drawn = np.asarray(values, dtype=float).ravel()
    drawn = drawn[np.isfinite(drawn)]
    return ".1%" if drawn.size and np.ptp(drawn) < 0.05 else ".0%"


def _display(metric: str, values) -> pd.Series:
    """KPI values as a table shows them: percentages ×100 with one decimal, seconds whole."""
    values = pd.Series(values, dtype=float)
    unit = kpi.KPI_UNITS.get(metric)
    if unit == "percent":
        return (values * 100).round(1)
    if unit == "seconds":
        return values.round(0)
    return values.round(common.DECIMALS.get(metric, 2))


def _number_format(metric: str) -> str:
    unit = kpi.KPI_UNITS.get(metric)
    if unit == "percent":
        return "%.1f"
    if unit == "seconds":
        return "%.0f"
    return f"%.{common.DECIMALS.get(metric, 2)}f"


def _spread(metric: str, sd: float) -> str:
    """A standard deviation in the KPI's unit ("2.1 pp", "34 s", "3.2")."""
    unit = kpi.KPI_UNITS.get(metric)
    if unit == "percent":
        return tr("unit.points", value=f"{100 * sd:.1f}")
    if unit == "seconds":
        return common.fmt(metric, sd)
    return f"{sd:.{common.DECIMALS.get(metric, 2)}f}"


def _p_text(p: float) -> str:
    return tr("teams.p_small") if p < 0.001 else tr("teams.p_value", p=f"{p:.3f}")


def cannot(what_key: str, metric: str, by: str, error: Exception) -> None:
    """A translated note instead of a traceback when ccmetrics cannot compare the data in view."""
    st.warning(
        tr(
            "teams.cannot_compare",
            what=tr(what_key),
            kpi=tr(f"kpi.{metric}"),
            units=units_word(by),
        ),
        icon=":material/info:",
    )
    st.caption(common.tr_md("teams.error_detail", reason=str(error)))


def _status_scale() -> alt.Scale:
    return alt.Scale(
        domain=[tr(STATUS_KEYS[s]) for s in STATUS_KEYS], range=[COLOURS[s] for s in STATUS_KEYS]
    )


# --------------------------------------------------------------------------- funnel plot


def funnel_points(table: pd.DataFrame) -> pd.DataFrame:
    """The dots of the funnel plot (``compare.funnel_points``), status translated and the
    flagged units labelled."""
    points = compare.funnel_points(table)
    points["status"] = [tr(STATUS_KEYS[s]) for s in points["status"]]
    points["label"] = points["unit"].where(points["flag"] != "", "")
    return points


def funnel_curves(table: pd.DataFrame) -> pd.DataFrame:
    """The limit curves (``compare.funnel_curves``) with the translated name of their band."""
    curves = compare.funnel_curves(table)
    curves["band"] = [tr(LIMIT_KEYS[level]) for level in curves["level"]]
    return curves


def _funnel_limits_layer(table: pd.DataFrame, x: alt.X, y_options: dict) -> alt.TopLevelMixin:
    """The limits: a grey bar per unit with a case mix (each unit's limits depend on its own
    mix; light 99.8%, dark 95%), else the limit curves of ``compare.funnel_curves``.
    ``y_options``: the scale, title and axis of the y channel."""
    if table.attrs.get("casemix"):
        bands = table[["n", *(f"{side}_{s}" for s in LIMIT_KEYS for side in ("lower", "upper"))]]
        return alt.layer(
            *(
                alt.Chart(bands)
                .mark_rule(color=colour, strokeWidth=7, strokeCap="round")
                .encode(x=x, y=alt.Y(f"lower_{suffix}:Q", **y_options), y2=f"upper_{suffix}:Q")
                for suffix, colour in (("99_8", "#e3e3e3"), ("95", "#bdbdbd"))
            )
        )
    return (
        alt.Chart(funnel_curves(table))
        .mark_line(color="#555555", strokeWidth=1.2, clip=True)
        .encode(
            x=x,
            y=alt.Y("limit:Q", **y_options),
            detail="line:N",
            strokeDash=alt.StrokeDash(
                "band:N",
                title=None,
                scale=alt.Scale(
                    domain=[tr(k) for k in LIMIT_KEYS.values()], range=[[5, 4], [1, 0]]
                ),
                legend=alt.Legend(orient="bottom"),
            ),
        )
    )


def _funnel_tooltip(by: str, metric: str, value_title: str, casemix: bool) -> list:
    number = _vega_format(metric)
    tooltip = [
        alt.Tooltip("unit:N", title=tr(f"dim.{by}")),
        alt.Tooltip("n:Q", title=tr(f"kpi.{kpi.KPI_BASE[metric]}"), format=",.0f"),
        alt.Tooltip("value:Q", title=value_title, format=number),
    ]
    if casemix:
        tooltip += [
            alt.Tooltip("raw:Q", title=tr("teams.raw_value"), format=number),
            alt.Tooltip("expected:Q", title=tr("teams.expected"), format=number),
        ]
    return [
        *tooltip,
        alt.Tooltip("z:Q", title=tr("teams.z"), format=".2f"),
        alt.Tooltip("status:N", title=tr("teams.status")),
    ]


def draw_funnel(table: pd.DataFrame, by: str, metric: str) -> None:
    attrs = table.attrs
    casemix = bool(attrs.get("casemix"))
    points = funnel_points(table)
    outer = compare.level_suffix(max(attrs["levels"]))
    low = min(points["value"].min(), table[f"lower_{outer}"].min())
    high = max(points["value"].max(), table[f"upper_{outer}"].max())
    pad = (high - low) * 0.05 or abs(high) * 0.05 or 1.0
    y_scale = alt.Scale(domain=[float(low - pad), float(high + pad)], zero=False, nice=False)
    name = short_name(metric)
    y_title = _with_unit(metric, tr("teams.funnel_value_adjusted", kpi=name) if casemix else name)
    x = alt.X(
        "n:Q",
        title=tr(f"kpi.{kpi.KPI_BASE[metric]}"),
        # curves start at n = 0; a unit's own limits (case mix) need no room there
        scale=alt.Scale(zero=False, padding=16)
        if casemix
        else alt.Scale(zero=True, domainMax=float(points["n"].max()) * 1.05, nice=False),
    )
    y_axis = alt.Axis(format=_axis_format(metric, [low - pad, high + pad]), **HORIZONTAL_TITLE)
    limits_layer = _funnel_limits_layer(
        table, x, {"scale": y_scale, "title": y_title, "axis": y_axis}
    )
    centre_rule = (
        alt.Chart(pd.DataFrame({"target": [attrs["target"]]}))
        .mark_rule(color=CENTRE_COLOUR, strokeDash=[2, 2])
        .encode(y=alt.Y("target:Q", scale=y_scale))
    )
    dots = (
        alt.Chart(points)
        .mark_circle(size=70, opacity=0.85, stroke="white", strokeWidth=0.5)
        .encode(
            x=x,
            y=alt.Y("value:Q", scale=y_scale),
            color=alt.Color(
                "status:N", title=None, scale=_status_scale(), legend=alt.Legend(orient="bottom")
            ),
            tooltip=_funnel_tooltip(by, metric, y_title, casemix),
        )
    )
    names = (
        alt.Chart(points)
        .transform_filter("datum.label != ''")
        .mark_text(align="left", dx=7, dy=-7, fontSize=12, fontWeight="bold")
        .encode(
            x=x,
            y=alt.Y("value:Q", scale=y_scale),
            text="label:N",
            color=alt.Color("status:N", scale=_status_scale(), legend=None),
        )
    )
    chart = (
        alt.layer(limits_layer, centre_rule, dots, names)
        .resolve_scale(color="independent")
        .properties(height=380, usermeta={"chart": "teams_funnel"})
    )
    st.altair_chart(chart, width="stretch", key="teams_funnel_chart")
    common.png_download(chart, "teams_funnel", key="teams_funnel_chart")
    st.info(common.md(attrs["conclusion"][common.lang()]), icon=":material/filter_alt:")
    st.caption(funnel_notes(table, by, metric))


def funnel_notes(table: pd.DataFrame, by: str, metric: str) -> str:
    """The caption under the funnel: the centre, the limits' method and the over-dispersion
    adjustment in plain words."""
    attrs = table.attrs
    units, target = units_word(by), common.fmt(metric, attrs["target"])
    if attrs.get("casemix"):
        notes = [tr("teams.funnel_caption_mix", units=units, target=target)]
    else:
        method = tr(METHOD_KEYS[compare.limits_method(table)])
        notes = [tr("teams.funnel_caption", units=units, target=target, method=method)]
    phi, p_value = attrs["phi"], attrs["overdispersion_p"]
    if np.isfinite(phi) and np.isfinite(p_value):
        if attrs["overdispersion_applied"]:
            spread = _spread(metric, float(np.sqrt(attrs["tau2"])))
            notes.append(
                tr(
                    "teams.od_applied",
                    units=units,
                    phi=f"{phi:.1f}",
                    p=_p_text(p_value),
                    spread=spread,
                )
            )
        else:
            notes.append(tr("teams.od_chance", units=units, phi=f"{phi:.1f}", p=_p_text(p_value)))
    return " ".join(notes)


# --------------------------------------------------------------------------- shrinkage


def _rank_ranges(ranks: pd.DataFrame) -> list[str]:
    """Rank intervals as text: "2 – 6", or "8" when the interval is one rank."""
    return [
        tr("teams.rank_single", rank=int(low))
        if low == high
        else tr("teams.rank_range", low=int(low), high=int(high))
        for low, high in zip(ranks["rank_lower"], ranks["rank_upper"], strict=True)
    ]


def _adjusted(ranks: pd.DataFrame) -> bool:
    """Whether ``compare.shrink`` shrank values adjusted for a call mix."""
    return bool(ranks.attrs.get("casemix"))


def caterpillar_data(ranks: pd.DataFrame) -> pd.DataFrame:
    """The caterpillar's points (``compare.caterpillar_data``) with their rank intervals as text."""
    data = compare.caterpillar_data(ranks)
    data["ranks"] = _rank_ranges(ranks)
    return data


def draw_caterpillar(ranks: pd.DataFrame, by: str, metric: str) -> None:
    data = caterpillar_data(ranks)
    order = data["unit"].tolist()
    many = len(order) > MAX_NAMED_UNITS
    x = alt.X(
        "unit:N",
        sort=order,
        title=tr(f"dim.{by}"),
        axis=alt.Axis(labels=not many, ticks=not many, labelAngle=0 if len(order) <= 16 else -60),
    )
    name = _with_unit(metric, _value_name(ranks, metric))
    y_axis = alt.Axis(
        format=_axis_format(metric, data[["ci_lower", "ci_upper", "ring"]]),
        **HORIZONTAL_TITLE,
    )
    tooltip = [
        alt.Tooltip("unit:N", title=tr(f"dim.{by}")),
        alt.Tooltip("n:Q", title=tr(f"kpi.{kpi.KPI_BASE[metric]}"), format=",.0f"),
        alt.Tooltip("estimate:Q", title=tr("teams.estimate"), format=_vega_format(metric)),
        alt.Tooltip("ci_lower:Q", title=tr("teams.interval"), format=_vega_format(metric)),
        alt.Tooltip("ci_upper:Q", title=tr("teams.interval"), format=_vega_format(metric)),
        alt.Tooltip("raw:Q", title=tr("teams.raw_value"), format=_vega_format(metric)),
    ]
    if _adjusted(ranks):
        tooltip.append(
            alt.Tooltip("adjusted:Q", title=tr("teams.adjusted_value"), format=_vega_format(metric))
        )
    tooltip.append(alt.Tooltip("ranks:N", title=tr("teams.col_rank_interval")))
    base = alt.Chart(data).encode(x=x, tooltip=tooltip)
    bars = base.mark_rule(color="#1f77b4", strokeWidth=2).encode(
        y=alt.Y("ci_lower:Q", title=name, axis=y_axis, scale=alt.Scale(zero=False)),
        y2="ci_upper:Q",
    )
    estimates = base.mark_circle(color="#1f77b4", size=45, opacity=1).encode(y="estimate:Q")
    raw = base.mark_point(color="#7f7f7f", size=30, shape="circle", filled=False).encode(y="ring:Q")
    centre = (
        alt.Chart(pd.DataFrame({"centre": [ranks.attrs["prior"]["mean"]]}))
        .mark_rule(color="#555555", strokeDash=[4, 3])
        .encode(y="centre:Q")
    )
    chart = alt.layer(bars, raw, estimates, centre).properties(
        height=320, usermeta={"chart": "teams_caterpillar"}
    )
    st.altair_chart(chart, width="stretch", key="teams_caterpillar_chart")
    common.png_download(chart, "teams_caterpillar", key="teams_caterpillar_chart")


def _value_name(ranks: pd.DataFrame, metric: str) -> str:
    """The KPI's name, "adjusted for call mix" when the values shrunk were adjusted."""
    name = short_name(metric)
    return tr("teams.funnel_value_adjusted", kpi=name) if _adjusted(ranks) else name


def _value_columns(ranks: pd.DataFrame, metric: str) -> list[str]:
    """Headers of the league table's KPI-valued columns: raw, (adjusted,) shrunken."""
    names = [tr("teams.raw_value")]
    if _adjusted(ranks):
        names.append(tr("teams.adjusted_value"))
    names.append(tr("teams.estimate"))
    return [_with_unit(metric, name) for name in names]


def league_table(ranks: pd.DataFrame, by: str, metric: str) -> pd.DataFrame:
    """The league table as shown: rank, unit, n, raw value, with a case mix the adjusted
    value that was shrunk, the shrunken value, intervals and shrinkage."""
    value_columns = _value_columns(ranks, metric)
    values = [ranks["value"], *([ranks["value_adjusted"]] if _adjusted(ranks) else [])]
    values.append(ranks["estimate"])
    return pd.DataFrame(
        {
            tr("teams.col_rank"): ranks["rank"].astype(int).to_numpy(),
            tr(f"dim.{by}"): ranks[by].astype(str).to_numpy(),
            tr("report.col_n"): ranks["n"].astype(int).to_numpy(),
            **{
                name: _display(metric, column).to_numpy()
                for name, column in zip(value_columns, values, strict=True)
            },
            tr("teams.interval"): [
                f"{common.fmt(metric, lo)} – {common.fmt(metric, hi)}"
                for lo, hi in zip(ranks["ci_lower"], ranks["ci_upper"], strict=True)
            ],
            tr("teams.col_rank_interval"): _rank_ranges(ranks),
            tr("teams.col_shrinkage"): (ranks["shrinkage"].to_numpy(dtype=float) * 100).round(0),
        }
    )


def draw_league_table(ranks: pd.DataFrame, by: str, metric: str, file_name: str) -> None:
    shown = targets_section.with_lights(league_table(ranks, by, metric), ranks, by, metric)
    number = st.column_config.NumberColumn(format=_number_format(metric))
    config = {
        tr("report.col_n"): st.column_config.NumberColumn(format="localized"),
        **dict.fromkeys(_value_columns(ranks, metric), number),
        tr("teams.col_shrinkage"): st.column_config.NumberColumn(format="%.0f"),
    }
    st.dataframe(
        targets_section.style_lights(shown),
        hide_index=True,
        width="stretch",
        column_config=config,
        height=min(38 + 35 * len(shown), 420),
    )
    st.caption(tr("teams.league_help", unit=unit_word(by), units=units_word(by)))
    st.download_button(
        tr("overview.download_csv"),
        data=common.csv_bytes(shown),
        file_name=file_name,
        mime="text/csv",
        icon=":material/download:",
        key="teams_league_csv",
    )


# --------------------------------------------------------------------------- quadrant


def draw_quadrant(x_ranks, y_ranks, by: str, x_metric: str, y_metric: str) -> None:
    data = compare.quadrant_data(x_ranks, y_ranks)
    x_name = _with_unit(x_metric, _value_name(x_ranks, x_metric))
    y_name = _with_unit(y_metric, _value_name(y_ranks, y_metric))
    size_title = tr(f"kpi.{kpi.KPI_BASE[x_metric]}")
    x = alt.X(
        "x:Q",
        title=x_name,
        axis=alt.Axis(format=_axis_format(x_metric, data["x"])),
        scale=alt.Scale(zero=False, reverse=not compare.HIGHER_IS_BETTER[x_metric]),
    )
    y = alt.Y(
        "y:Q",
        title=y_name,
        axis=alt.Axis(format=_axis_format(y_metric, data["y"]), **HORIZONTAL_TITLE),
        scale=alt.Scale(zero=False, reverse=not compare.HIGHER_IS_BETTER[y_metric]),
    )
    dots = (
        alt.Chart(data)
        .mark_circle(color="#1f77b4", opacity=0.7)
        .encode(
            x=x,
            y=y,
            size=alt.Size(
                "n_x:Q",
                title=size_title,
                scale=alt.Scale(range=[30, 400]),
                legend=alt.Legend(orient="right"),
            ),
            tooltip=[
                alt.Tooltip("unit:N", title=tr(f"dim.{by}")),
                alt.Tooltip("x:Q", title=x_name, format=_vega_format(x_metric)),
                alt.Tooltip("y:Q", title=y_name, format=_vega_format(y_metric)),
                alt.Tooltip("n_x:Q", title=size_title, format=",.0f"),
                alt.Tooltip("n_y:Q", title=tr(f"kpi.{kpi.KPI_BASE[y_metric]}"), format=",.0f"),
            ],
        )
    )
    layers = [dots]
    if len(data) <= 20:
        layers.append(
            alt.Chart(data)
            .mark_text(align="left", dx=8, fontSize=11)
            .encode(x=x, y=y, text="unit:N")
        )
    layers.append(
        alt.Chart(pd.DataFrame({"x": [x_ranks.attrs["prior"]["mean"]]}))
        .mark_rule(color="#555555", strokeDash=[4, 3])
        .encode(x="x:Q")
    )
    layers.append(
        alt.Chart(pd.DataFrame({"y": [y_ranks.attrs["prior"]["mean"]]}))
        .mark_rule(color="#555555", strokeDash=[4, 3])
        .encode(y="y:Q")
    )
    chart = alt.layer(*layers).properties(height=380, usermeta={"chart": "teams_quadrant"})
    st.altair_chart(chart, width="stretch", key="teams_quadrant_chart")
    common.png_download(chart, "teams_quadrant", key="teams_quadrant_chart")
    st.caption(tr("teams.quad_caption", n=size_title))


# --------------------------------------------------------------------------- agent card


def card_table(rows: pd.DataFrame, team_label: str) -> pd.DataFrame:
    """The agent card as shown: formatted values, gaps and verdicts per KPI."""
    return pd.DataFrame(
        {
            tr("report.col_kpi"): [short_name(m) for m in rows["metric"]],
            tr("dim.agent"): [
                common.fmt(m, v) for m, v in zip(rows["metric"], rows["value"], strict=True)
            ],
            tr("report.col_n"): [common.fmt_count(v) for v in rows["n"]],
            team_label: [
                common.fmt(m, v) for m, v in zip(rows["metric"], rows["team_value"], strict=True)
            ],
            tr("teams.col_gap_team"): [
                common.fmt_change(m, v) or tr("unit.missing")
                for m, v in zip(rows["metric"], rows["team_gap"], strict=True)
            ],
            tr("teams.col_vs_team"): [tr(VERDICT_KEYS[v]) for v in rows["team_verdict"]],
            tr("teams.col_centre"): [
                common.fmt(m, v) for m, v in zip(rows["metric"], rows["centre_value"], strict=True)
            ],
            tr("teams.col_gap_centre"): [
                common.fmt_change(m, v) or tr("unit.missing")
                for m, v in zip(rows["metric"], rows["centre_gap"], strict=True)
            ],
            tr("teams.col_vs_centre"): [tr(VERDICT_KEYS[v]) for v in rows["centre_verdict"]],
        }
    )


def _verdict_colour(text: str) -> str:
    if text == tr(VERDICT_KEYS["better"]):
        return f"color: {VERDICT_COLOURS['better']}; font-weight: 600"
    if text == tr(VERDICT_KEYS["worse"]):
        return f"color: {VERDICT_COLOURS['worse']}; font-weight: 600"
    return "color: #808080"


def draw_card(rows: pd.DataFrame, agent: str, team: str | None) -> None:
    """The agent card; without a team (no team column) every gap is to the centre."""
    beyond = rows[rows["team_verdict"] != "none"]
    if beyond.empty:
        if team is None:
            text = common.tr_md("teams.card_none_centre", agent=agent)
        else:
            text = common.tr_md("teams.card_none", agent=agent, team=team)
        st.info(text, icon=":material/person:")
    else:
        items = common.join_list(
            tr(
                "teams.card_better" if verdict == "better" else "teams.card_worse",
                kpi=short_name(m),
            )
            for m, verdict in zip(beyond["metric"], beyond["team_verdict"], strict=True)
        )
        count, total = len(beyond), len(rows)
        if team is None:
            text = common.tr_md(
                "teams.card_some_centre", agent=agent, count=count, total=total, items=items
            )
        else:
            text = common.tr_md(
                "teams.card_some", agent=agent, team=team, count=count, total=total, items=items
            )
        st.warning(text, icon=":material/person:")
    shown = targets_section.card_lights(card_table(rows, tr("dim.team")), rows, agent)
    gap_column = tr("teams.col_gap_team") if team is not None else tr("teams.col_gap_centre")
    verdict_columns = [tr("teams.col_vs_centre")]
    if team is None:
        team_columns = [tr("dim.team"), tr("teams.col_gap_team"), tr("teams.col_vs_team")]
        shown_gaps = shown[gap_column].to_numpy()
        shown = shown.drop(columns=team_columns)
    else:
        verdict_columns.insert(0, tr("teams.col_vs_team"))
        shown_gaps = shown[gap_column].to_numpy()
    st.dataframe(
        targets_section.style_lights(shown.style.map(_verdict_colour, subset=verdict_columns)),
        hide_index=True,
        width="stretch",
    )
    oriented = pd.DataFrame(
        {
            "kpi": [short_name(m) for m in rows["metric"]],
            "z": rows["team_z_better"].astype(float).to_numpy(),
            "verdict": [tr(VERDICT_KEYS[v]) for v in rows["team_verdict"]],
            "gap": shown_gaps,
        }
    ).dropna(subset=["z"])
    verdict_scale = alt.Scale(
        domain=[tr(VERDICT_KEYS[v]) for v in VERDICT_KEYS],
        range=[VERDICT_COLOURS[v] for v in VERDICT_KEYS],
    )
    bars = (
        alt.Chart(oriented)
        .mark_bar(height=16)
        .encode(
            x=alt.X(
                "z:Q",
                title=tr("teams.card_axis") if team is not None else tr("teams.card_axis_centre"),
            ),
            y=alt.Y("kpi:N", title=None, sort=list(oriented["kpi"]), axis=alt.Axis(labelLimit=220)),
            color=alt.Color(
                "verdict:N", title=None, scale=verdict_scale, legend=alt.Legend(orient="bottom")
            ),
            tooltip=[
                alt.Tooltip("kpi:N", title=tr("report.col_kpi")),
                alt.Tooltip("gap:N", title=gap_column),
                alt.Tooltip("z:Q", title=tr("teams.z"), format=".2f"),
                alt.Tooltip("verdict:N", title=verdict_columns[0]),
            ],
        )
    )
    zero = alt.Chart(pd.DataFrame({"z": [0.0]})).mark_rule(color="#555555").encode(x="z:Q")
    chart = alt.layer(bars, zero).properties(
        height=110 + 30 * len(oriented), usermeta={"chart": "teams_card"}
    )
    st.altair_chart(chart, width="stretch", key="teams_card_chart")
    common.png_download(chart, "teams_card", key="teams_card_chart")
    st.caption(tr("teams.card_caption"))


# --------------------------------------------------------------------------- QA vs CSAT


def _two(value: float) -> str:
    return f"{value:.2f}" if np.isfinite(value) else tr("unit.missing")


def draw_qa_vs_csat(result: dict, qa_by: str) -> None:
    st.info(common.md(result["conclusion"][common.lang()]), icon=":material/fact_check:")
    calls, units = result["call_level"], result["unit_level"]
    first, second, third = st.columns(3)
    with first.container(border=True):
        st.metric(tr("teams.qa_calls"), _two(calls["rho"]))
        st.caption(
            tr(
                "teams.qa_ci",
                low=_two(calls["ci_lower"]),
                high=_two(calls["ci_upper"]),
                n=common.fmt_count(calls["n"]),
            )
        )
    with second.container(border=True):
        st.metric(tr("teams.qa_units", units=units_word(qa_by)), _two(units["r"]))
        st.caption(
            tr("teams.qa_units_n", count=common.fmt_count(units["units"]), units=units_word(qa_by))
        )
    with third.container(border=True):
        st.metric(tr("teams.qa_corrected"), _two(units["r_disattenuated"]))
        st.caption(
            tr(
                "teams.qa_reliability",
                qa=_two(units["reliability_qa"]),
                csat=_two(units["reliability_csat"]),
            )
        )
    table = result["units"].dropna(subset=["qa_mean", "csat_mean"])
    data = pd.DataFrame(
        {
            "unit": table[qa_by].astype(str).to_numpy(),
            "qa": table["qa_mean"].to_numpy(dtype=float),
            "csat": table["csat_mean"].to_numpy(dtype=float),
            "qa_n": table["qa_n"].to_numpy(dtype=float),
            "csat_n": table["csat_n"].to_numpy(dtype=float),
        }
    )
    qa_name, csat_name = short_name("qa_mean"), short_name("csat_mean")
    chart = (
        alt.Chart(data)
        .mark_circle(color="#9467bd", opacity=0.65)
        .encode(
            x=alt.X("qa:Q", title=qa_name, scale=alt.Scale(zero=False)),
            y=alt.Y(
                "csat:Q",
                title=csat_name,
                scale=alt.Scale(zero=False),
                axis=alt.Axis(**HORIZONTAL_TITLE),
            ),
            size=alt.Size(
                "qa_n:Q",
                title=tr("kpi.qa_n"),
                scale=alt.Scale(range=[20, 300]),
                legend=alt.Legend(orient="right"),
            ),
            tooltip=[
                alt.Tooltip("unit:N", title=tr(f"dim.{qa_by}")),
                alt.Tooltip("qa:Q", title=qa_name, format=".1f"),
                alt.Tooltip("csat:Q", title=csat_name, format=".2f"),
                alt.Tooltip("qa_n:Q", title=tr("kpi.qa_n"), format=",.0f"),
                alt.Tooltip("csat_n:Q", title=tr("kpi.csat_n"), format=",.0f"),
            ],
        )
        .properties(height=320, usermeta={"chart": "teams_qa_csat"})
    )
    st.altair_chart(chart, width="stretch", key="teams_qa_chart")
    common.png_download(chart, "teams_qa", key="teams_qa_chart")
    st.caption(tr("teams.qa_caption", units=units_word(qa_by)))
