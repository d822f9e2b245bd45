"""Teams: a fair comparison of teams and agents.

A funnel plot (each unit against control limits for its n, with the
over-dispersion adjustment said in plain words), shrunken estimates with
credible and rank intervals (caterpillar plot and league table; with the case
mix on, of the values ``funnel(casemix=...)`` judges), two KPIs at
once on shrunken values, an agent card (every KPI against the team and the
centre, and whether each gap is beyond noise) and whether QA agrees with the
customer. Every number, and every table a chart draws, comes from
:mod:`ccmetrics.compare` (which re-exports :mod:`ccmetrics.funnel`); whether the
day cube answers a view exactly is :func:`ccmetrics.cube.answers_exactly`. This
page reads state, calls them (cached) and draws: :func:`main` runs one section
function per part of the page; the charts and tables the sections draw are in
:mod:`pages.teams_charts`.

The page's own state travels in the URL: ``tm_unit`` (team or agent),
``tm_kpi``, ``tm_team`` (compare the agents of one team), ``tm_mix`` (compare
within the call mix), ``tm_qx`` / ``tm_qy`` (the two KPIs of the quadrant) and
``tm_agent`` (the agent card).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import pandas as pd
import streamlit as st

from ccmetrics import compare, cube, kpi
from pages import common, people_section, quality_section, targets_section
from pages.common import tr
from pages.teams_charts import (
    cannot,
    draw_card,
    draw_caterpillar,
    draw_funnel,
    draw_league_table,
    draw_qa_vs_csat,
    draw_quadrant,
    short_name,
    unit_word,
    units_word,
)

#: KPIs a team or an agent answers for (queue-level KPIs such as service level are not).
UNIT_KPIS = ("qa_mean", "csat_mean", "csat_top2box", "aht_s", "fcr_rate", "transfer_rate")
#: KPI whose inputs (``kpi.missing_inputs``) enable a KPI of UNIT_KPIS, when it is another one.
ENABLED_BY = {"csat_top2box": "csat_mean"}
#: KPIs that may be compared within the call mix, and the strata of that mix.
CASEMIX_KPIS = ("aht_s", "fcr_rate")
CASEMIX_STRATA = ("queue", "category")
#: Levels of the funnel limits (the flag is judged at the outer one).
LEVELS = (0.95, 0.998)
#: Widget key -> URL parameter of the page.
PARAMS = {
    "teams_unit": "tm_unit",
    "teams_team": "tm_team",
    "teams_kpi": "tm_kpi",
    "teams_mix": "tm_mix",
    "teams_qx": "tm_qx",
    "teams_qy": "tm_qy",
    "teams_agent": "tm_agent",
}


# --------------------------------------------------------------------------- cached calls


def _view(ctx: common.Context) -> tuple:
    """The small cache key of the data in view: dataset, window, queues and settings."""
    return (
        ctx.dataset.key,
        pd.Timestamp(ctx.start),
        pd.Timestamp(ctx.end_exclusive),
        ctx.queues,
        ctx.settings,
    )


def _scope(frame, start, end, queues, team) -> pd.DataFrame:
    filters = {"queue": list(queues)} if queues else {}
    if team:
        filters["team"] = [team]
    return kpi.subset(frame, start, end, filters)


def _source(ctx: common.Context, team: str, by: str, metric: str, casemix) -> pd.DataFrame:
    """The frame the funnel and the shrinkage of ``metric`` by ``by`` are computed from.

    The day × queue × ``by`` cube of ``common.aggregate_source`` when
    ``cube.answers_exactly`` says it gives the calls' result (a proportion KPI, every
    filter and stratum a cube dimension, a window of whole days); the dataset's calls
    otherwise (tests/app/test_teams_page.py compares both sources).
    """
    cube_dims = (*common.CUBE_DIMS, by)
    dims = (*ctx.filters, by, *casemix, *(("team",) if team else ()))
    exact = cube.answers_exactly(
        cube_dims,
        common.DIM_CUBE_FREQ,
        dims=dims,
        start=ctx.start,
        end=ctx.end_exclusive,
        metric=metric,
        spread=True,
    )
    if exact:
        return common.aggregate_source(ctx, (*ctx.filters, by), by=by)
    return ctx.dataset.frame


@st.cache_data(show_spinner=False, max_entries=32)
def _funnel(key, start, end, queues, settings, team, by, metric, casemix, origin, _frame):
    scope = _scope(_frame, start, end, queues, team)
    return compare.funnel(
        scope, by, metric, settings=settings, levels=LEVELS, casemix=list(casemix) or None
    )


@st.cache_data(show_spinner=False, max_entries=32)
def _shrink(key, start, end, queues, settings, team, by, metric, casemix, origin, _frame):
    scope = _scope(_frame, start, end, queues, team)
    return compare.shrink(scope, by, metric, settings=settings, casemix=list(casemix) or None)


def _unit_table(function, ctx, view, team, by, metric, casemix) -> pd.DataFrame:
    """``_funnel`` or ``_shrink`` of the view, on the frame :func:`_source` picks."""
    source = _source(ctx, team, by, metric, casemix)
    # the kind of frame ("intervals" for a cube, "calls") is part of the cache key
    return function(*view, team, by, metric, casemix, cube.frame_kind(source), _frame=source)


@st.cache_data(show_spinner=False, max_entries=16)
def _gaps(key, start, end, queues, settings, metrics, within, _frame):
    window = _scope(_frame, start, end, queues, None)
    return compare.gaps(window, "agent", list(metrics), within=within, settings=settings)


@st.cache_data(show_spinner=False, max_entries=16)
def _qa_vs_csat(key, start, end, queues, team, by, _frame):
    scope = _scope(_frame, start, end, queues, team)
    return compare.qa_vs_csat(scope, by=by)


# --------------------------------------------------------------------------- formatting


def _mix_for(metric: str, casemix: tuple[str, ...]) -> tuple[str, ...]:
    """The case mix a KPI is adjusted for: the one in force if the KPI can be adjusted."""
    return casemix if metric in CASEMIX_KPIS else ()


# =========================================================================== the page


@dataclass(frozen=True)
class Choice:
    """What the reader picked: the units, the team filter, the KPI and the case mix."""

    by: str
    team: str
    metric: str
    casemix: tuple[str, ...]
    strata_text: str


def _team_label(value: str) -> str:
    return value or tr("teams.all_agents")


def _agent_label(agent: str, team_of: dict[str, str]) -> str:
    return f"{agent} · {team_of[agent]}" if agent in team_of else agent


def header(ctx: common.Context) -> None:
    st.title(tr("nav.teams"))
    st.caption(
        tr(
            "overview.window",
            start=ctx.start.isoformat(),
            end=ctx.end.isoformat(),
            days=ctx.days,
            queues=", ".join(map(common.md, ctx.queues))
            if ctx.queues
            else tr("overview.all_queues"),
        )
    )


def comparable(ctx: common.Context) -> tuple[list[str], list[str], dict] | None:
    """(dimensions present, KPIs a unit answers for, KPIs without inputs), or None after
    saying why the data in view cannot be compared."""
    frame = ctx.dataset.frame
    dims = common.dimensions_present(frame) if ctx.dataset.kind == "calls" else []
    if not any(d in dims for d in ("team", "agent")):
        st.info(tr("teams.needs_units"), icon=":material/groups:")
        return None
    missing = kpi.missing_inputs(frame)
    metrics = [m for m in UNIT_KPIS if ENABLED_BY.get(m, m) not in missing]
    if not metrics:
        st.info(tr("teams.no_kpi"), icon=":material/groups:")
        return None
    if ctx.window.empty:
        st.info(tr("overview.no_data"), icon=":material/filter_alt_off:")
        return None
    return dims, metrics, missing


def choices(ctx: common.Context, dims: list[str], metrics: list[str]) -> Choice:
    """The unit, team filter, KPI and case-mix widgets, restored from and mirrored in the URL."""
    unit_options = [d for d in ("team", "agent") if d in dims]
    unit_col, team_col, kpi_col = st.columns([1, 1, 2], vertical_alignment="bottom")
    with unit_col:
        common.restore("teams_unit", PARAMS["teams_unit"], unit_options, unit_options[0])
        by = st.radio(
            tr("teams.unit"),
            options=unit_options,
            format_func=common.labeller("dim."),
            key="teams_unit",
            horizontal=True,
        )
    common.remember(PARAMS["teams_unit"], by)
    team = ""
    if by == "agent" and "team" in dims:
        team_options = ["", *sorted(str(t) for t in ctx.window["team"].dropna().unique())]
        with team_col:
            common.restore("teams_team", PARAMS["teams_team"], team_options, "")
            team = st.selectbox(
                tr("teams.team_filter"),
                options=team_options,
                format_func=_team_label,
                key="teams_team",
            )
        common.remember(PARAMS["teams_team"], team)
    with kpi_col:
        default_metric = "qa_mean" if "qa_mean" in metrics else metrics[0]
        common.restore("teams_kpi", PARAMS["teams_kpi"], metrics, default_metric)
        metric = st.selectbox(
            tr("teams.kpi"), options=metrics, format_func=common.labeller("kpi."), key="teams_kpi"
        )
    common.remember(PARAMS["teams_kpi"], metric)

    strata = [c for c in CASEMIX_STRATA if c in dims]
    strata_text = common.join_list(tr(f"dim.{c}").lower() for c in strata)
    casemix: tuple[str, ...] = ()
    if metric in CASEMIX_KPIS and strata:
        if "teams_mix" not in st.session_state:
            st.session_state["teams_mix"] = common.page_param("tm_mix") == "1"
        if st.toggle(
            tr("teams.casemix", strata=strata_text),
            key="teams_mix",
            help=tr("teams.casemix_help", units=units_word(by), strata=strata_text),
        ):
            casemix = tuple(strata)
        common.remember(PARAMS["teams_mix"], "1" if casemix else None)
    return Choice(by, team, metric, casemix, strata_text)


def funnel_section(ctx: common.Context, view: tuple, choice: Choice) -> pd.DataFrame | None:
    """The funnel plot; returns its table (None when the data cannot be compared)."""
    st.subheader(tr("teams.funnel_title"))
    by, metric = choice.by, choice.metric
    try:
        table = _unit_table(_funnel, ctx, view, choice.team, by, metric, choice.casemix)
    except ValueError as error:
        cannot("teams.what_funnel", metric, by, error)
        return None
    draw_funnel(table, by, metric)
    return table


def rank_section(ctx: common.Context, view: tuple, choice: Choice, metrics: list[str]) -> None:
    """Shrunken estimates: the caterpillar plot, the conclusion and the league table."""
    by, metric, casemix = choice.by, choice.metric, choice.casemix
    st.subheader(tr("teams.rank_title"))
    st.caption(
        tr("teams.rank_caption_mix" if casemix else "teams.rank_caption", units=units_word(by))
    )
    if casemix:
        st.caption(
            tr(
                "teams.casemix_rank_note",
                unit=unit_word(by),
                strata=choice.strata_text,
                kpis=common.join_list(short_name(m) for m in CASEMIX_KPIS if m in metrics),
            )
        )
    try:
        # with the case mix on, the values of funnel(casemix=...) are the ones shrunk and ranked
        ranks = _unit_table(_shrink, ctx, view, choice.team, by, metric, casemix)
    except ValueError as error:
        cannot("teams.what_rank", metric, by, error)
        return
    draw_caterpillar(ranks, by, metric)
    st.info(common.md(ranks.attrs["conclusion"][common.lang()]), icon=":material/leaderboard:")
    draw_league_table(
        ranks,
        by,
        metric,
        f"ccmetrics_{by}_{metric}_{ctx.start.isoformat()}_{ctx.end.isoformat()}.csv",
    )


def quadrant_section(ctx: common.Context, view: tuple, choice: Choice, metrics: list[str]) -> None:
    """Two KPIs at once on shrunken values (when the data has two KPIs)."""
    if len(metrics) < 2:
        return
    st.subheader(tr("teams.quad_title"))
    x_col, y_col = st.columns(2)
    x_default = "aht_s" if "aht_s" in metrics else metrics[0]
    y_default = next(
        (m for m in ("qa_mean", "csat_mean", *metrics) if m in metrics and m != x_default),
        metrics[0],
    )
    with x_col:
        common.restore("teams_qx", PARAMS["teams_qx"], metrics, x_default)
        x_metric = st.selectbox(
            tr("teams.quad_x"), options=metrics, format_func=common.labeller("kpi."), key="teams_qx"
        )
    with y_col:
        common.restore("teams_qy", PARAMS["teams_qy"], metrics, y_default)
        y_metric = st.selectbox(
            tr("teams.quad_y"), options=metrics, format_func=common.labeller("kpi."), key="teams_qy"
        )
    common.remember(PARAMS["teams_qx"], x_metric)
    common.remember(PARAMS["teams_qy"], y_metric)
    if x_metric == y_metric:
        st.info(tr("teams.quad_same"))
        return
    by, team = choice.by, choice.team
    try:
        # the case mix in force applies to the KPIs it is defined for (AHT, FCR)
        x_mix, y_mix = _mix_for(x_metric, choice.casemix), _mix_for(y_metric, choice.casemix)
        x_ranks = _unit_table(_shrink, ctx, view, team, by, x_metric, x_mix)
        y_ranks = _unit_table(_shrink, ctx, view, team, by, y_metric, y_mix)
    except ValueError as error:
        cannot("teams.what_quad", y_metric, by, error)
        return
    draw_quadrant(x_ranks, y_ranks, by, x_metric, y_metric)


def card_section(
    view: tuple,
    frame: pd.DataFrame,
    dims: list[str],
    metrics: list[str],
    choice: Choice,
    funnel_table: pd.DataFrame | None,
) -> None:
    """The agent card: pick an agent (by default the one the funnel flags farthest out)."""
    if "agent" not in dims:
        return
    st.subheader(tr("teams.card_title"))
    within = "team" if "team" in dims else None
    try:
        to_team = _gaps(*view, tuple(metrics), within, _frame=frame)
        to_centre = _gaps(*view, tuple(metrics), None, _frame=frame)
    except ValueError as error:
        cannot("teams.what_card", choice.metric, "agent", error)
        return
    if not len(to_team):
        return
    in_scope = compare.card_agents(to_team, choice.team)
    agents = in_scope.index.tolist()
    if not agents:
        return
    team_of = in_scope.to_dict() if within else {}
    flagged = (
        compare.flagged_units(funnel_table)
        if choice.by == "agent" and funnel_table is not None
        else []
    )
    default_agent = next((a for a in flagged if a in agents), agents[0])
    common.restore("teams_agent", PARAMS["teams_agent"], agents, default_agent)
    agent = st.selectbox(
        tr("teams.card_pick"),
        options=agents,
        format_func=partial(_agent_label, team_of=team_of),
        key="teams_agent",
    )
    common.remember(PARAMS["teams_agent"], agent)
    rows = compare.agent_card(to_team, to_centre, agent, metrics)
    if len(rows):
        draw_card(rows, agent, team_of.get(agent) if within else None)


def qa_section(view: tuple, frame: pd.DataFrame, dims: list[str], missing: dict, team: str) -> None:
    """Does QA agree with the customer?"""
    st.subheader(tr("teams.qa_title"))
    if "qa_mean" in missing or "csat_mean" in missing:
        st.info(tr("teams.qa_missing"))
        return
    qa_by = "agent" if "agent" in dims else "team"
    try:
        result = _qa_vs_csat(*view[:4], team, qa_by, _frame=frame)
    except ValueError as error:
        cannot("teams.what_qa", "qa_mean", qa_by, error)
        return
    draw_qa_vs_csat(result, qa_by)


def main() -> None:
    ctx = common.context()
    header(ctx)
    found = comparable(ctx)
    if found is None:
        return
    dims, metrics, missing = found
    st.markdown(tr("teams.intro"))
    view = _view(ctx)
    choice = choices(ctx, dims, metrics)
    funnel_table = funnel_section(ctx, view, choice)
    rank_section(ctx, view, choice, metrics)
    quadrant_section(ctx, view, choice, metrics)
    card_section(view, ctx.dataset.frame, dims, metrics, choice, funnel_table)
    qa_section(view, ctx.dataset.frame, dims, missing, choice.team)
    people_section.calibration_section(ctx)
    people_section.people_sections(ctx)
    targets_section.teams_section(ctx, metrics)
    quality_section.teams_section(ctx)


main()
