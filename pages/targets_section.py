"""Targets: the sidebar's targets (a file and an organisation editor), traffic lights on the
Overview tiles and the Teams league table, and the Teams page's period-against-period gaps.

Every number and light comes from :mod:`ccmetrics.targets` (tested there); this module
reads state, calls it (cached) and draws. Pages call one function each:
``sidebar()`` from ``app.py``, ``tile_light(...)`` in each Overview tile,
``with_lights(...)`` on the Teams league table and ``teams_section(ctx, metrics)`` at the
end of the Teams page.

State: ``_targets_file`` (the checked table of an uploaded targets file and its name),
``_targets_error`` (the translated reason a file was refused), and one number input per
KPI of :data:`EDITOR_KPIS` (``target_org_<kpi>``: the organisation target in the
displayed unit, None for none). The service-level organisation target is the settings'
one (the line the Overview's trend draws), so a targets file's service-level target is
copied into the settings when it is loaded.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
import streamlit as st

from ccmetrics import kpi, kpis, targets
from ccmetrics.i18n import TRANSLATIONS
from ccmetrics.unitstats import unit_noun
from pages import common
from pages.common import tr

#: KPIs of the sidebar's organisation editor (service level is the settings' target,
#: offered has no better direction).
EDITOR_KPIS = (
    "answer_rate",
    "abandon_rate",
    "asa_s",
    "aht_s",
    "transfer_rate",
    "fcr_rate",
    "csat_mean",
    "qa_mean",
)
#: The marker shown beside a light's word (the word is always shown too).
MARKERS = targets.MARKERS
#: Streamlit's Markdown colour of each light (the tiles' marker).
MARKDOWN_COLOURS = {"green": "green", "amber": "orange", "red": "red", "grey": "gray"}
#: KPIs the Teams section offers by category, before the team and agent KPIs.
CATEGORY_KPIS = ("service_level", "abandon_rate")
#: Units the Teams section compares, when the data has them.
GAP_UNITS = ("agent", "team", "category")
UPLOAD_KEY = "targets_upload"
FILE_STATE = "_targets_file"
ERROR_STATE = "_targets_error"
SAVED_STATE = "_targets_saved"


def _editor_key(name: str) -> str:
    return f"target_org_{name}"


def _to_display(name: str, value: float) -> float:
    return value * 100 if kpis.KPIS[name].unit == "percent" else value


def _from_display(name: str, value: float) -> float:
    return value / 100 if kpis.KPIS[name].unit == "percent" else value


# --------------------------------------------------------------------------- sidebar


def _error_text(error: targets.TargetsError) -> str:
    # names and cells from the file are text, not Markdown
    params = {
        key: common.md(", ".join(map(str, value)) if isinstance(value, (list, tuple)) else value)
        for key, value in error.params.items()
    }
    template = TRANSLATIONS[common.lang()][f"targets.error.{error.code}"]
    return template.format_map(common.FormatValues(params))


def _on_upload() -> None:
    """Read the uploaded targets file; on success fill the editor and the SL setting."""
    state = st.session_state
    upload = state.get(UPLOAD_KEY)
    state[ERROR_STATE] = None
    if upload is None:  # the file was removed from the uploader
        _clear_file()
        return
    try:
        table = targets.read_targets(upload.getvalue(), name=upload.name)
    except targets.TargetsError as error:
        state[ERROR_STATE] = _error_text(error)
        return
    state[FILE_STATE] = {"name": upload.name, "table": table}
    organisation = table[table["level"] == "organisation"].set_index("kpi")["target"]
    for name in EDITOR_KPIS:
        if name in organisation.index:
            state[_editor_key(name)] = round(_to_display(name, float(organisation[name])), 6)
    if "service_level" in organisation.index:
        # the settings' SL target is a whole percentage (the sidebar's number input)
        percent = round(float(organisation["service_level"]) * 100)
        state["sl_target_pct"] = min(max(percent, 1), 100)


def _clear_file() -> None:
    """Forget the file's targets and the organisation targets it filled in."""
    state = st.session_state
    state[FILE_STATE] = None
    state[ERROR_STATE] = None
    for name in EDITOR_KPIS:
        state[_editor_key(name)] = None


def _keep_editor_values() -> None:
    """Keep the editor's numbers across page switches (as the sidebar's settings are kept)."""
    state = st.session_state
    saved = state.get(SAVED_STATE, {})
    for name in EDITOR_KPIS:
        key = _editor_key(name)
        if key in state:
            state[key] = state[key]
        else:
            state[key] = saved.get(key)


def _editor_label(name: str) -> str:
    unit = kpis.KPIS[name].unit
    label = tr(f"kpi.{name}")
    if unit in ("percent", "seconds"):
        return tr(f"header.{unit}", name=label)
    return label


def sidebar() -> None:
    """The sidebar's targets: a targets file and the organisation target of each KPI."""
    _keep_editor_values()
    state = st.session_state
    with st.sidebar.expander(tr("targets.sidebar_title"), icon=":material/flag:"):
        st.file_uploader(
            tr("targets.upload"),
            type=["csv", "tsv", "txt", "xlsx", "xls"],
            key=UPLOAD_KEY,
            on_change=_on_upload,
            help=tr("targets.upload_help"),
        )
        if state.get(ERROR_STATE):
            st.error(state[ERROR_STATE], icon=":material/error:")
        loaded = state.get(FILE_STATE)
        if loaded:
            table = loaded["table"]
            st.caption(
                tr(
                    "targets.loaded",
                    file=common.md(loaded["name"]),
                    rows=len(table),
                    teams=int((table["level"] == "team").sum()),
                    agents=int((table["level"] == "agent").sum()),
                )
            )
        st.caption(tr("targets.editor_caption"))
        for name in EDITOR_KPIS:
            unit = kpis.KPIS[name].unit
            st.number_input(
                _editor_label(name),
                min_value=0.0,
                max_value=100.0 if unit == "percent" else None,
                step={"percent": 0.5, "seconds": 5.0}.get(unit, 0.1),
                key=_editor_key(name),
                format="%g",
            )
    state[SAVED_STATE] = {_editor_key(n): state.get(_editor_key(n)) for n in EDITOR_KPIS}


def current_targets(ctx: common.Context) -> pd.DataFrame:
    """The targets in force: the file's, the editor's organisation targets over them, and
    the settings' service-level target.

    Built once per file, editor values and settings and kept in the session: the
    Overview asks for it once per tile (0.1-0.2 s a run when each built it again).
    """
    state = st.session_state
    loaded = state.get(FILE_STATE)
    file_table = loaded["table"] if loaded else None
    editor = tuple(state.get(_editor_key(name)) for name in EDITOR_KPIS)
    kept = state.get(_TARGETS_KEPT)
    if kept is not None and kept[0] is file_table and kept[1] == editor and kept[2] == ctx.settings:
        return kept[3]
    table = _targets_in_force(ctx, file_table)
    state[_TARGETS_KEPT] = (file_table, editor, ctx.settings, table)
    return table


#: Session key of the last :func:`current_targets` (its file table, editor values,
#: settings and the table built from them).
_TARGETS_KEPT = "_targets_kept"


def _targets_in_force(ctx: common.Context, file_table: pd.DataFrame | None) -> pd.DataFrame:
    """:func:`current_targets` built from the file table, the editor and the settings."""
    state = st.session_state
    edited = []
    for name in EDITOR_KPIS:
        value = state.get(_editor_key(name))
        if value is None:
            continue
        row = {"kpi": name, "target": _from_display(name, float(value))}
        if file_table is not None:
            same = file_table[(file_table["kpi"] == name) & (file_table["level"] == "organisation")]
            if len(same):
                row["direction"] = same["direction"].iloc[0]
                row["tolerance"] = float(same["tolerance"].iloc[0])
        try:
            edited.append(targets.make_targets([row]))
        except ValueError:
            continue  # a number the editor's limits allow but the KPI does not
    if file_table is not None:
        # the editor holds the organisation targets of its KPIs (filled from the file when it
        # loaded) and the settings the service level's; the file keeps the others
        held = file_table["kpi"].isin([*EDITOR_KPIS, "service_level"])
        file_table = file_table[(file_table["level"] != "organisation") | ~held]
    return targets.combine_targets(file_table, *edited, targets.default_targets(ctx.settings))


def _key_of(table: pd.DataFrame) -> tuple:
    """A small hashable key of a targets table (for the caches)."""
    return tuple(map(tuple, table[list(targets.TARGET_COLUMNS)].itertuples(index=False)))


def report_targets(ctx: common.Context) -> dict:
    """The report's targets as the keyword arguments of its cached build (key and table)."""
    goals = current_targets(ctx)
    return {"targets_key": _key_of(goals), "_targets": goals}


def light_text(light: str, goal: targets.Target | None = None, markdown: bool = False) -> str:
    """The marker and the word of a light, with the target when given ("● met · target at
    least 80.0%"); with ``markdown`` the marker in the light's colour (for captions)."""
    marker = MARKERS[light]
    if markdown:
        marker = f":{MARKDOWN_COLOURS[light]}[{marker}]"
    word = tr(f"targets.light.{light}")
    if goal is None:
        return f"{marker} {word}"
    return tr(
        "targets.tile",
        marker=marker,
        word=word,
        direction=tr(f"targets.direction.{goal.direction}"),
        target=common.fmt(goal.kpi, goal.target),
    )


def _light_of(text) -> str | None:
    """The light a table cell of :func:`light_text` shows (None for another cell)."""
    if not isinstance(text, str) or text[:1] not in MARKERS.values():
        return None
    # "missed, within noise" holds "missed": the longer words are tried first
    for light in ("amber", "red", "green", "grey"):
        if tr(f"targets.light.{light}") in text:
            return light
    return None


def _light_style(text) -> str:
    light = _light_of(text)
    return f"color: {targets.LIGHT_COLOURS[light]}" if light else ""


def style_lights(table):
    """A table (DataFrame or Styler) with its "Against target" cells in their light's colour."""
    styler = table if hasattr(table, "map") and hasattr(table, "data") else table.style
    column = tr("targets.col_light")
    if column not in styler.data.columns:
        return table
    return styler.map(_light_style, subset=[column])


# --------------------------------------------------------------------------- Overview tiles


@st.cache_data(show_spinner=False, max_entries=16)
def _status(key, start, end, queues, settings, by, names, goals_key, _frame, _goals):
    window = kpi.subset(_frame, start, end, {"queue": list(queues)} if queues else None)
    return targets.status(window, _goals, list(names), by=by, settings=settings)


def _window_status(ctx: common.Context, names, by=None) -> pd.DataFrame:
    goals = current_targets(ctx)
    return _status(
        ctx.dataset.key,
        pd.Timestamp(ctx.start),
        pd.Timestamp(ctx.end_exclusive),
        ctx.queues,
        ctx.settings,
        by,
        tuple(names),
        _key_of(goals),
        _frame=ctx.dataset.frame,
        _goals=goals,
    )


def tile_light(ctx: common.Context, name: str, value, n) -> None:
    """The light of an Overview tile under its value (nothing when the KPI has no target).

    The tile's own value and n are judged; the standard deviation a mean's test needs
    comes from :func:`ccmetrics.targets.status` on the same window.
    """
    if ctx.dataset.kind != "calls":
        return
    goal = targets.target_for(current_targets(ctx), name)
    if goal is None:
        return
    sd = None
    if kpis.KPIS[name].kind == "mean":
        found = _window_status(ctx, (name,))
        if len(found) and math.isfinite(found["sd"].iloc[0]):
            sd = float(found["sd"].iloc[0])
    count = None if n is None or pd.isna(n) else float(n)
    light = targets.traffic_light(name, value, goal, n=count, sd=sd)
    st.caption(light_text(light, goal, markdown=True), help=tr("targets.light_help"))


# --------------------------------------------------------------------------- Teams league table


def with_lights(shown: pd.DataFrame, ranks: pd.DataFrame, by: str, metric: str) -> pd.DataFrame:
    """The league table with an "Against target" column (unchanged when no target applies)."""
    ctx = common.context()
    goals = current_targets(ctx)
    if not len(goals[goals["kpi"] == metric]) or by not in ("team", "agent"):
        return shown
    found = _window_status(ctx, (metric,), by=by).set_index("unit")
    units = ranks[by].astype(str)
    if found["target"].reindex(units).isna().all():
        return shown  # no unit in view has a target for this KPI
    lights = [found["light"].get(unit, "grey") for unit in units]
    out = shown.copy()
    position = out.columns.get_loc(tr("report.col_n")) + 2
    out.insert(position, tr("targets.col_light"), [light_text(light) for light in lights])
    out.insert(
        position + 1,
        tr("targets.col_target"),
        [
            common.fmt(metric, value) if pd.notna(value) else tr("unit.missing")
            for value in found["target"].reindex(units).to_numpy()
        ],
    )
    return out


def card_lights(shown: pd.DataFrame, rows: pd.DataFrame, agent: str) -> pd.DataFrame:
    """The agent card with an "Against target" column (unchanged when no target applies)."""
    ctx = common.context()
    goals = current_targets(ctx)
    metrics = tuple(rows["metric"])
    if not goals["kpi"].isin(metrics).any():
        return shown
    found = _window_status(ctx, metrics, by="agent")
    mine = found[found["unit"] == str(agent)].set_index("kpi")
    if mine["target"].reindex(metrics).isna().all():
        return shown
    texts = []
    for metric in metrics:
        if metric in mine.index and pd.notna(mine.loc[metric, "target"]):
            # the agent's own, its team's or the organisation's target, as status found it
            goal = targets.Target(
                metric,
                str(mine.loc[metric, "target_level"]),
                "",
                float(mine.loc[metric, "target"]),
                str(mine.loc[metric, "direction"]),
                float(mine.loc[metric, "tolerance"]),
            )
            texts.append(light_text(str(mine.loc[metric, "light"]), goal))
        else:
            texts.append(light_text("grey"))
    out = shown.copy()
    out.insert(out.columns.get_loc(tr("report.col_n")) + 1, tr("targets.col_light"), texts)
    return out


# --------------------------------------------------------------------------- Teams: gaps


@st.cache_data(show_spinner=False, max_entries=8)
def _gap_table(key, start, end, queues, settings, by, names, goals_key, _frame, _goals):
    filters = {"queue": list(queues)} if queues else None
    return targets.gap_table(
        _frame,
        by,
        list(names),
        current=(start, end),
        targets=_goals,
        settings=settings,
        filters=filters,
    )


def _verdict(value: str) -> str:
    return tr(f"targets.verdict.{value}")


def _shown(table: pd.DataFrame, by: str, metric: str) -> pd.DataFrame:
    """The rows of one KPI as displayed."""
    rows = table[table["kpi"] == metric]

    def values(column: str) -> list[str]:
        return [common.fmt(metric, v) if pd.notna(v) else tr("unit.missing") for v in rows[column]]

    def changes(column: str) -> list[str]:
        return [
            (common.fmt_change(metric, v) or tr("unit.missing"))
            if pd.notna(v)
            else tr("unit.missing")
            for v in rows[column]
        ]

    return pd.DataFrame(
        {
            tr("targets.col_rank"): rows["rank"].astype(int).to_numpy(),
            tr(f"dim.{by}"): rows[by].astype(str).to_numpy(),
            tr("targets.col_n"): rows["n"].astype(int).to_numpy(),
            tr("targets.col_value"): values("value"),
            tr("targets.col_n_before"): [
                common.fmt_count(v) if pd.notna(v) else tr("unit.missing") for v in rows["n_before"]
            ],
            tr("targets.col_value_before"): values("value_before"),
            tr("targets.col_change"): changes("change"),
            tr("targets.col_change_verdict"): [
                _verdict(v) if pd.notna(change) else tr("unit.missing")
                for v, change in zip(rows["change_verdict"], rows["change"], strict=True)
            ],
            tr("targets.col_target"): values("target"),
            tr("targets.col_light"): [light_text(v) for v in rows["light"]],
            tr("targets.col_target_gap"): changes("target_gap"),
            tr("targets.col_others"): values("others_value"),
            tr("targets.col_others_gap"): changes("others_gap"),
            tr("targets.col_others_verdict"): [_verdict(v) for v in rows["others_verdict"]],
        }
    )


def _pick_unit_and_kpi(ctx: common.Context, units, metrics):
    """The section's title and its unit and KPI pickers: (by, metric, KPI options, targets)."""
    st.subheader(tr("targets.section_title"))
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    with left:
        common.restore("targets_by", "tg_unit", units, units[0])
        by = st.radio(
            tr("targets.by"),
            options=units,
            format_func=common.labeller("dim."),
            key="targets_by",
            horizontal=True,
        )
    common.remember("tg_unit", by)
    with right:
        # queue-level KPIs make sense per category, not per team or agent
        options = [*CATEGORY_KPIS, *metrics] if by == "category" else list(metrics)
        goals = current_targets(ctx)
        organisation = set(goals.loc[goals["level"] == "organisation", "kpi"])
        with_target = [m for m in options if m in organisation]
        common.restore("targets_kpi", "tg_kpi", options, (with_target or options)[0])
        metric = st.selectbox(
            tr("targets.kpis"),
            options=options,
            format_func=common.labeller("kpi."),
            key="targets_kpi",
        )
    common.remember("tg_kpi", metric)
    return by, metric, options, goals


def _summary_text(rows: pd.DataFrame, metric: str, noun: str) -> str:
    """The lights and gaps of one KPI's rows, counted in a sentence."""
    counts = rows["light"].value_counts()
    name = tr(f"kpi.{metric}")
    if counts.get("grey", 0) == len(rows):
        lights = tr("targets.summary_no_target", kpi=name)
    else:
        lights = tr(
            "targets.summary_lights",
            kpi=name,
            red=int(counts.get("red", 0)),
            amber=int(counts.get("amber", 0)),
            green=int(counts.get("green", 0)),
            total=int(len(rows) - counts.get("grey", 0)),
            unit=noun,
        )
    gaps = tr(
        "targets.summary_gaps",
        better=int((rows["others_verdict"] == "better").sum()),
        worse=int((rows["others_verdict"] == "worse").sum()),
        changed=int((rows["change_verdict"] != "none").sum()),
        unit=noun,
    )
    return f"{lights} {gaps}"


def _draw_gap_table(ctx: common.Context, table: pd.DataFrame, by: str, metric: str) -> None:
    """The units' table of one KPI with its lights, and the whole table as CSV."""
    shown = _shown(table, by, metric)
    st.dataframe(
        style_lights(shown),
        hide_index=True,
        width="stretch",
        column_config={tr("targets.col_n"): st.column_config.NumberColumn(format="localized")},
        height=min(38 + 35 * len(shown), 420),
        key="targets_table",
    )
    st.caption(tr("targets.light_help"))
    st.download_button(
        tr("targets.download"),
        data=common.csv_bytes(table),
        file_name=f"ccmetrics_targets_{by}_{ctx.start.isoformat()}_{ctx.end.isoformat()}.csv",
        mime="text/csv",
        icon=":material/download:",
        key="targets_csv",
    )


def teams_section(ctx: common.Context, metrics) -> None:
    """Each unit this period against the period before, its target and the others' average."""
    if ctx.dataset.kind != "calls":
        return
    dims = common.dimensions_present(ctx.dataset.frame)
    units = [u for u in GAP_UNITS if u in dims]
    if not units or not metrics:
        return
    by, metric, options, goals = _pick_unit_and_kpi(ctx, units, metrics)
    noun = unit_noun(by, common.lang())
    st.caption(
        tr("targets.section_intro", unit=noun, days=ctx.days, method=tr("targets.method.holm"))
    )
    try:
        table = _gap_table(
            ctx.dataset.key,
            pd.Timestamp(ctx.start),
            pd.Timestamp(ctx.end_exclusive),
            ctx.queues,
            ctx.settings,
            by,
            tuple(options),
            _key_of(goals),
            _frame=ctx.dataset.frame,
            _goals=goals,
        )
    except ValueError as error:
        st.info(tr("targets.cannot", reason=common.md(str(error))))
        return
    rows = table[table["kpi"] == metric]
    if rows.empty:
        st.info(tr("targets.no_units", unit=unit_noun(by, common.lang())))
        return
    if (
        ctx.start - dt.timedelta(days=ctx.days) < ctx.dataset.first_day
        and rows["n_before"].isna().all()
    ):
        # on an engine the days before exist but were not fetched: said so, not "no data"
        key = "data.engine_no_previous" if ctx.dataset.engine is not None else "targets.no_previous"
        st.caption(tr(key, days=ctx.days))
    st.info(_summary_text(rows, metric, noun), icon=":material/flag:")
    _draw_gap_table(ctx, table, by, metric)
