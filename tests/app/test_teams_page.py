"""AppTest of the Teams page: it shows what ``ccmetrics.compare`` computes.

Expected values are recomputed here with ``ccmetrics.compare`` on the same data the
app uses (the sample, FCR flags on the whole frame, the default 28-day window), whose
own tests hold the published reference values. A page that drops the window, the
team filter, the case mix or a setting, or draws another KPI than the one picked,
fails. The injected incident comes from ``ccmetrics.sample.INCIDENTS``.
"""

from __future__ import annotations

import hashlib
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from ccmetrics import compare, i18n, io, kpi, sample
from ccmetrics.schema import KpiSettings
from pages import common
from tests.app.helpers import record_aggregate_sources, run

TIMEOUT_S = 60
PAGE = "pages/teams_page.py"
#: The app's default window on the sample: the last 28 days (2025-03-04 to 2025-03-31).
WINDOW = (pd.Timestamp("2025-03-04"), pd.Timestamp("2025-04-01"))
SETTINGS = KpiSettings()


@pytest.fixture(scope="module")
def window(sample_folder):
    """The calls the page compares by default: the sample as the app prepares it, in the window."""
    frame = kpi.add_fcr_flags(io.load(sample_folder / "calls.parquet").frame, SETTINGS)
    return kpi.subset(frame, *WINDOW)


def open_teams(app: AppTest, **params) -> AppTest:
    """Open the app on the Teams page (as a pasted link with ``params`` would)."""
    app.query_params.update({"page": "teams", **params})
    return run(app)


def chart(at: AppTest, name: str) -> tuple[dict, dict[str, pd.DataFrame]]:
    """The Vega-Lite spec of the page's chart ``name`` and its datasets as frames."""
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        if spec.get("usermeta", {}).get("chart") == name:
            data = {
                dataset.name: pa.ipc.open_stream(dataset.data.data).read_pandas()
                for dataset in element.proto.datasets
            }
            return spec, data
    raise AssertionError(f"no chart {name} on the page")


def dataset_with(data: dict[str, pd.DataFrame], column: str) -> pd.DataFrame:
    found = [frame for frame in data.values() if column in frame.columns]
    assert len(found) == 1, (column, [list(f.columns) for f in data.values()])
    return found[0]


def funnel_points(at: AppTest) -> pd.DataFrame:
    _, data = chart(at, "teams_funnel")
    return dataset_with(data, "flag").sort_values("unit").reset_index(drop=True)


def assert_points_match(points: pd.DataFrame, table: pd.DataFrame, by: str) -> None:
    """The chart's dots are the funnel table's units, n, judged values and flags."""
    expected = table.assign(unit=table[by].astype(str)).sort_values("unit").reset_index(drop=True)
    judged = "value_adjusted" if table.attrs["casemix"] else "value"
    assert points["unit"].tolist() == expected["unit"].tolist()
    np.testing.assert_allclose(points["n"], expected["n"])
    np.testing.assert_allclose(points["value"], expected[judged], rtol=1e-12)
    assert points["flag"].tolist() == expected["flag"].tolist()


def flagged(table: pd.DataFrame, by: str) -> list[list[str]]:
    rows = table.loc[table["flag"] != "", [by, "flag"]].astype(str)
    return sorted(rows.values.tolist())


# ---------------------------------------------------------------- renders, both languages


def test_renders_on_the_sample_in_english_and_chinese(app, window):
    open_teams(app)
    assert [t.value for t in app.title] == ["Teams"]
    assert not app.error
    headers = [h.value for h in app.subheader]
    for key in (
        "teams.funnel_title",
        "teams.rank_title",
        "teams.quad_title",
        "teams.card_title",
        "teams.qa_title",
    ):
        assert i18n.EN[key] in headers, key
    table = compare.funnel(window, "team", "qa_mean", settings=SETTINGS)
    infos = [info.value for info in app.info]
    assert table.attrs["conclusion"]["en"] in infos
    assert app.query_params["tm_unit"] == "team" and app.query_params["tm_kpi"] == "qa_mean"

    run(app.radio(key="lang").set_value("zh"))
    assert [t.value for t in app.title] == [i18n.ZH["nav.teams"]]
    assert app.radio(key="teams_unit").label == i18n.ZH["teams.unit"]
    assert app.radio(key="teams_unit").options == ["班组", "坐席"]
    assert app.selectbox(key="teams_kpi").label == "指标"
    assert app.selectbox(key="teams_kpi").value == "qa_mean"
    headers = [h.value for h in app.subheader]
    assert i18n.ZH["teams.funnel_title"] in headers and i18n.ZH["teams.card_title"] in headers
    infos = [info.value for info in app.info]
    assert table.attrs["conclusion"]["zh"] in infos  # the plain-language conclusions in Chinese
    qa = compare.qa_vs_csat(window, by="agent")
    assert qa["conclusion"]["zh"] in infos
    spec, _ = chart(app, "teams_funnel")
    assert "质检量" in json.dumps(spec, ensure_ascii=False)  # axis titles translated
    captions = " ".join(c.value for c in app.caption)
    assert "离散比 φ" in captions  # the over-dispersion adjustment in plain Chinese


# ---------------------------------------------------------------- the funnel


def test_funnel_of_qa_by_team_flags_the_injected_low_quality_team(app, window):
    """INCIDENTS["low_quality_team"]: its QA scores are 10 points lower all quarter."""
    open_teams(app)
    team = sample.INCIDENTS["low_quality_team"]["dimensions"]["team"]
    table = compare.funnel(window, "team", "qa_mean", settings=SETTINGS)
    assert flagged(table, "team") == [[team, "below"]]
    points = funnel_points(app)
    assert_points_match(points, table, "team")
    shown = points.loc[points["label"] != "", "unit"].tolist()
    assert shown == [team]  # the outlier is named on the chart
    assert points.set_index("unit").loc[team, "status"] == i18n.EN["teams.flag_worse"]

    # the limit curves pass through the limits each team is judged by (same funnel_limits call)
    _, data = chart(app, "teams_funnel")
    curves = dataset_with(data, "limit")
    for row in table.itertuples(index=False):
        at_n = curves[curves["n"] == row.n].set_index("line")["limit"]
        for column in ("lower_95", "upper_95", "lower_99_8", "upper_99_8"):
            assert at_n[column] == pytest.approx(getattr(row, column), rel=1e-12), column

    # the over-dispersion adjustment, stated in plain words with compare's phi
    assert table.attrs["overdispersion_applied"]
    captions = " ".join(c.value for c in app.caption)
    assert f"dispersion ratio φ = {table.attrs['phi']:.1f}" in captions
    assert "the limits are widened by the real spread between teams" in captions


def test_switching_kpi_unit_team_and_case_mix_changes_the_chart_data(app, window):
    open_teams(app)
    run(app.selectbox(key="teams_kpi").set_value("aht_s"))
    assert app.query_params["tm_kpi"] == "aht_s"
    assert_points_match(
        funnel_points(app), compare.funnel(window, "team", "aht_s", settings=SETTINGS), "team"
    )

    run(app.radio(key="teams_unit").set_value("agent"))
    assert app.query_params["tm_unit"] == "agent"
    by_agent = compare.funnel(window, "agent", "aht_s", settings=SETTINGS)
    assert len(by_agent) == window["agent"].nunique()
    assert_points_match(funnel_points(app), by_agent, "agent")

    run(app.selectbox(key="teams_team").set_value("Team 6"))
    assert app.query_params["tm_team"] == "Team 6"
    team_six = window[window["team"] == "Team 6"]
    assert_points_match(
        funnel_points(app), compare.funnel(team_six, "agent", "aht_s", settings=SETTINGS), "agent"
    )

    run(app.toggle(key="teams_mix").set_value(True))
    assert app.query_params["tm_mix"] == "1"
    mixed = compare.funnel(
        team_six, "agent", "aht_s", settings=SETTINGS, casemix=["queue", "category"]
    )
    assert_points_match(funnel_points(app), mixed, "agent")
    assert mixed.attrs["conclusion"]["en"] in [info.value for info in app.info]


# ---------------------------------------------------------------- shrinkage, league table, quadrant


def test_caterpillar_and_league_table_show_the_shrunken_estimates(app, window):
    open_teams(app, tm_unit="agent", tm_kpi="csat_top2box")
    ranks = compare.shrink(window, "agent", "csat_top2box", settings=SETTINGS)
    _, data = chart(app, "teams_caterpillar")
    shown = dataset_with(data, "estimate")
    assert shown["unit"].tolist() == ranks["agent"].astype(str).tolist()  # best first
    np.testing.assert_allclose(shown["estimate"], ranks["estimate"], rtol=1e-12)
    np.testing.assert_allclose(shown["ci_lower"], ranks["ci_lower"], rtol=1e-12)
    np.testing.assert_allclose(shown["ci_upper"], ranks["ci_upper"], rtol=1e-12)

    table = app.dataframe[0].value
    assert list(table.columns) == [
        "Rank",
        "Agent",
        "n",
        "Raw value (%)",
        "Shrunken estimate (%)",
        "95% interval",
        "Plausible ranks (95%)",
        "Pulled to the centre (%)",
    ]
    assert table["Agent"].tolist() == ranks["agent"].astype(str).tolist()
    assert table["Rank"].tolist() == ranks["rank"].tolist()
    np.testing.assert_allclose(table["Shrunken estimate (%)"], (ranks["estimate"] * 100).round(1))
    first = ranks.iloc[0]
    assert table["Plausible ranks (95%)"].iloc[0] == (
        f"{int(first['rank_lower'])} – {int(first['rank_upper'])}"
    )
    assert table["95% interval"].iloc[0] == (
        f"{i18n.format_number(first['ci_lower'], 'percent')} – "
        f"{i18n.format_number(first['ci_upper'], 'percent')}"
    )


def test_case_mix_ranks_the_adjusted_values_compare_shrinks(app, window):
    """With the case mix on, the caterpillar, the league table and the quadrant's AHT show
    ``compare.shrink(..., casemix=...)``: the values ``funnel(casemix=...)`` judges, shrunk."""
    mix = ["queue", "category"]
    open_teams(app, tm_unit="agent", tm_kpi="aht_s", tm_mix="1")
    ranks = compare.shrink(window, "agent", "aht_s", settings=SETTINGS, casemix=mix)
    assert ranks.attrs["casemix"] == mix
    raw = compare.shrink(window, "agent", "aht_s", settings=SETTINGS)
    # the adjustment changes the ranking here, so a page shrinking raw values fails below
    assert ranks["agent"].tolist() != raw["agent"].tolist()
    _, data = chart(app, "teams_caterpillar")
    shown = dataset_with(data, "estimate")
    assert shown["unit"].tolist() == ranks["agent"].astype(str).tolist()  # best first
    for column in ("estimate", "ci_lower", "ci_upper"):
        np.testing.assert_allclose(shown[column], ranks[column], rtol=1e-12)
    np.testing.assert_allclose(shown["ring"], ranks["value_adjusted"], rtol=1e-12)
    np.testing.assert_allclose(shown["raw"], ranks["value"], rtol=1e-12)
    # the value shrunk is the funnel's adjusted value
    funnel = compare.funnel(window, "agent", "aht_s", settings=SETTINGS, casemix=mix)
    adjusted = funnel.set_index("agent")["value_adjusted"]
    np.testing.assert_allclose(
        ranks["value_adjusted"], adjusted.loc[ranks["agent"]].to_numpy(), rtol=1e-12
    )

    table = app.dataframe[0].value
    assert list(table.columns) == [
        "Rank",
        "Agent",
        "n",
        "Raw value (s)",
        "Mix-adjusted (s)",
        "Shrunken estimate (s)",
        "95% interval",
        "Plausible ranks (95%)",
        "Pulled to the centre (%)",
    ]
    assert table["Agent"].tolist() == ranks["agent"].astype(str).tolist()
    assert table["Rank"].tolist() == ranks["rank"].tolist()
    np.testing.assert_allclose(table["Mix-adjusted (s)"], ranks["value_adjusted"].round(0))
    np.testing.assert_allclose(table["Shrunken estimate (s)"], ranks["estimate"].round(0))
    assert ranks.attrs["conclusion"]["en"] in [info.value for info in app.info]
    note = i18n.t(
        "teams.casemix_rank_note",
        "en",
        unit="agent",
        strata="queue, category",
        kpis="AHT, FCR",
    )
    captions = [c.value for c in app.caption]
    assert note in captions
    # the rings of the caterpillar are the adjusted values, and the caption says so
    assert i18n.t("teams.rank_caption_mix", "en", units="agents") in captions

    # the quadrant: AHT adjusted for the same mix, CSAT (no case mix defined) as it is
    run(app.selectbox(key="teams_qx").set_value("aht_s"))
    run(app.selectbox(key="teams_qy").set_value("csat_mean"))
    spec, data = chart(app, "teams_quadrant")
    both = dataset_with(data, "n_x").set_index("unit").sort_index()
    ranks = ranks.set_index("agent")
    csat = compare.shrink(window, "agent", "csat_mean", settings=SETTINGS).set_index("agent")
    np.testing.assert_allclose(both["x"], ranks.loc[both.index, "estimate"], rtol=1e-12)
    np.testing.assert_allclose(both["y"], csat.loc[both.index, "estimate"], rtol=1e-12)
    assert "AHT, adjusted for call mix (s)" in json.dumps(spec)

    # Chinese: same numbers, the note and the adjusted column in Chinese
    run(app.radio(key="lang").set_value("zh"))
    table = app.dataframe[0].value
    assert "构成调整后（秒）" in table.columns
    note = i18n.t(
        "teams.casemix_rank_note",
        "zh",
        unit=i18n.ZH["teams.unit_agent"],
        strata=f"{i18n.ZH['dim.queue']}、{i18n.ZH['dim.category']}",
        kpis=f"{i18n.ZH['tile.aht_s']}、{i18n.ZH['tile.fcr_rate']}",
    )
    assert note in [c.value for c in app.caption]


def test_percent_axis_has_a_decimal_when_the_values_are_close(app, window):
    """Team FCR estimates lie within 2 points: whole-percent ticks would read "87%", "87%"."""
    open_teams(app, tm_kpi="fcr_rate", tm_mix="1")
    ranks = compare.shrink(
        window, "team", "fcr_rate", settings=SETTINGS, casemix=["queue", "category"]
    )
    drawn = ranks[["ci_lower", "ci_upper", "value_adjusted"]].to_numpy()
    assert drawn.max() - drawn.min() < 0.05
    spec, _ = chart(app, "teams_caterpillar")
    assert '"format": ".1%"' in json.dumps(spec)
    assert '"format": ".0%"' not in json.dumps(spec)


def test_quadrant_plots_two_shrunken_kpis_sized_by_n(app, window):
    open_teams(app, tm_qx="aht_s", tm_qy="csat_mean")
    spec, data = chart(app, "teams_quadrant")
    shown = dataset_with(data, "n_x").set_index("unit").sort_index()
    aht = compare.shrink(window, "team", "aht_s", settings=SETTINGS).set_index("team")
    csat = compare.shrink(window, "team", "csat_mean", settings=SETTINGS).set_index("team")
    np.testing.assert_allclose(shown["x"], aht.loc[shown.index, "estimate"], rtol=1e-12)
    np.testing.assert_allclose(shown["y"], csat.loc[shown.index, "estimate"], rtol=1e-12)
    np.testing.assert_allclose(shown["n_x"], aht.loc[shown.index, "n"])
    text = json.dumps(spec)
    assert '"reverse": true' in text  # AHT: lower is better, so the axis is turned


# ---------------------------------------------------------------- agent card


def test_agent_card_shows_every_kpi_against_team_and_centre(app, window):
    metrics = ["qa_mean", "csat_mean", "csat_top2box", "aht_s", "fcr_rate", "transfer_rate"]
    to_team = compare.gaps(window, "agent", metrics, within="team", settings=SETTINGS)
    to_centre = compare.gaps(window, "agent", metrics, settings=SETTINGS)
    agent = "A0312"
    open_teams(app)
    run(app.selectbox(key="teams_agent").set_value(agent))
    assert app.query_params["tm_agent"] == agent
    card = app.dataframe[1].value
    mine = to_team[to_team["agent"] == agent].set_index("metric")
    centre = to_centre[to_centre["agent"] == agent].set_index("metric")
    assert card["KPI"].tolist() == [
        i18n.EN[f"tile.{m}"] if f"tile.{m}" in i18n.EN else i18n.EN[f"kpi.{m}"] for m in metrics
    ]
    for position, name in enumerate(metrics):
        row = card.iloc[position]
        unit, decimals = kpi.KPI_UNITS[name], common.DECIMALS.get(name)
        assert row["Agent"] == i18n.format_number(mine.loc[name, "value"], unit, decimals=decimals)
        assert row["Team"] == i18n.format_number(
            mine.loc[name, "reference"], unit, decimals=decimals
        )
        assert row["Gap to team"] == i18n.format_change(
            mine.loc[name, "gap"], unit, decimals=decimals
        )
        assert row["Centre"] == i18n.format_number(
            centre.loc[name, "reference"], unit, decimals=decimals
        )
        if not mine.loc[name, "beyond_noise"]:
            verdict = "teams.verdict_noise"
        elif mine.loc[name, "better"]:
            verdict = "teams.verdict_better"
        else:
            verdict = "teams.verdict_worse"
        assert row["vs team"] == i18n.EN[verdict], name
    beyond = int(mine["beyond_noise"].sum())
    assert beyond > 0  # this agent of the low-quality team has gaps beyond noise
    summary = [w.value for w in app.warning]
    assert any(
        text.startswith(f"{agent} (Team 3): {beyond} of {len(metrics)} gaps") for text in summary
    )


# ---------------------------------------------------------------- QA vs CSAT


def test_qa_vs_csat_panel_shows_compare_result(app, window):
    open_teams(app)
    result = compare.qa_vs_csat(window, by="agent")
    assert result["conclusion"]["en"] in [info.value for info in app.info]
    tiles = {metric.label: metric.value for metric in app.metric}
    assert tiles["Calls: Spearman ρ"] == f"{result['call_level']['rho']:.2f}"
    assert tiles["Correlation of agents' means"] == f"{result['unit_level']['r']:.2f}"
    assert tiles["Corrected for small samples"] == f"{result['unit_level']['r_disattenuated']:.2f}"


# ---------------------------------------------------------------- deep link


def test_deep_link_restores_the_view(app, window):
    open_teams(
        app,
        lang="zh",
        tm_unit="agent",
        tm_team="Team 6",
        tm_kpi="aht_s",
        tm_mix="1",
        tm_qx="fcr_rate",
        tm_qy="csat_mean",
        tm_agent="A0603",
    )
    assert [t.value for t in app.title] == [i18n.ZH["nav.teams"]]
    assert app.radio(key="teams_unit").value == "agent"
    assert app.selectbox(key="teams_team").value == "Team 6"
    assert app.selectbox(key="teams_kpi").value == "aht_s"
    assert app.toggle(key="teams_mix").value is True
    assert app.selectbox(key="teams_qx").value == "fcr_rate"
    assert app.selectbox(key="teams_qy").value == "csat_mean"
    assert app.selectbox(key="teams_agent").value == "A0603"
    team_six = window[window["team"] == "Team 6"]
    mixed = compare.funnel(
        team_six, "agent", "aht_s", settings=SETTINGS, casemix=["queue", "category"]
    )
    assert_points_match(funnel_points(app), mixed, "agent")
    card = app.dataframe[1].value
    assert list(card.columns)[:2] == ["指标", "坐席"]
    for key, value in {
        "page": "teams",
        "lang": "zh",
        "tm_unit": "agent",
        "tm_team": "Team 6",
        "tm_kpi": "aht_s",
        "tm_mix": "1",
        "tm_agent": "A0603",
    }.items():
        assert app.query_params[key] == value, key


# ---------------------------------------------------------------- odd data


def use_upload(app: AppTest, calls: pd.DataFrame, name: str) -> None:
    """Make ``calls`` (written as CSV) the dataset in use, as the Data page would."""
    data = calls.to_csv(index=False).encode("utf-8")
    app.session_state["upload"] = {
        "name": name,
        "digest": hashlib.sha256(data).hexdigest(),
        "data": data,
        "mapping": None,
        "kind": None,
    }


def small_calls(agents: list[str], team: str | None, count: int = 40) -> pd.DataFrame:
    """``count`` answered calls spread over ``agents``, every fourth one evaluated."""
    calls = pd.DataFrame(
        {
            "call_id": [f"c{i}" for i in range(count)],
            "arrived_at": pd.date_range("2025-01-06 09:00", periods=count, freq="7min"),
            "agent": [agents[i % len(agents)] for i in range(count)],
            "wait_s": 10.0,
            "answered": True,
            "talk_s": np.linspace(120, 360, count),
            "qa_score": [70.0 + (i % 7) * 3 if i % 4 == 0 else np.nan for i in range(count)],
        }
    )
    if team is not None:
        calls.insert(2, "team", team)
    return calls


def test_data_with_one_agent_shows_a_message_not_a_traceback(app):
    """Shrinkage needs two units: ccmetrics raises ValueError, the page says so in words."""
    use_upload(app, small_calls(["A1"], "Team A"), "one_agent.csv")
    open_teams(app)
    texts = [w.value for w in app.warning]
    expected = i18n.EN["teams.cannot_compare"].format(
        what=i18n.EN["teams.what_rank"], kpi=i18n.EN["kpi.qa_mean"], units="teams"
    )
    assert expected in texts


def test_agents_without_teams_are_compared_with_the_centre(app):
    calls = small_calls(["A1", "A2", "A3"], None, count=120)
    use_upload(app, calls, "no_teams.csv")
    open_teams(app)
    assert app.radio(key="teams_unit").options == ["Agent"]
    window = kpi.subset(io.load(bytes(calls.to_csv(index=False), "utf-8")).frame)
    to_centre = compare.gaps(window, "agent", ["qa_mean", "aht_s"], settings=SETTINGS)
    agent = app.selectbox(key="teams_agent").value
    mine = to_centre[to_centre["agent"] == agent]
    beyond = int(mine["beyond_noise"].sum())
    texts = [box.value for box in [*app.info, *app.warning]]
    if beyond:
        assert any(text.startswith(f"{agent}: {beyond} of 2 gaps to the centre") for text in texts)
    else:
        assert i18n.EN["teams.card_none_centre"].format(agent=agent) in texts
    card = app.dataframe[1].value
    assert list(card.columns) == ["KPI", "Agent", "n", "Centre", "Gap to centre", "vs centre"]


# ---------------------------------------------------------------- the day cube
#
# Property checked (cube ≡ calls): a proportion KPI's funnel and shrinkage drawn from the
# day × queue × <unit> cube (``common.aggregate_source``) equal ``compare.funnel`` /
# ``compare.shrink`` on the prepared calls of the same window and queue filter. Both count
# successes and n with ``kpi.compute``; the cube's roll-up of counts is exact in float64.

FULL_SPAN = ("2025-01-01", "2025-03-31")


@pytest.fixture
def sources(monkeypatch):
    """The frames the page asked ``common.aggregate_source`` for ("cube" or "calls"), with a
    clean cache so that no table computed earlier from the other source is served."""
    return record_aggregate_sources(monkeypatch, lambda dims, freq, by, kind: (dims, by, kind))


@pytest.mark.parametrize(
    ("span", "queue", "by", "metric"),
    [
        ("default", False, "team", "fcr_rate"),
        ("whole", False, "team", "transfer_rate"),
        ("default", True, "agent", "csat_top2box"),
        ("whole", True, "agent", "fcr_rate"),
        ("whole", False, "agent", "transfer_rate"),
    ],
)
def test_proportion_funnel_and_ranks_from_the_day_cube_equal_compare_on_calls(
    app, sample_folder, sources, span, queue, by, metric
):
    calls = kpi.add_fcr_flags(io.load(sample_folder / "calls.parquet").frame, SETTINGS)
    params = {"tm_unit": by, "tm_kpi": metric}
    start, end = WINDOW
    if span == "whole":
        start, end = pd.Timestamp(FULL_SPAN[0]), pd.Timestamp(FULL_SPAN[1]) + pd.Timedelta(days=1)
        params |= {"from": FULL_SPAN[0], "to": FULL_SPAN[1]}
    filters, dims = None, (by,)
    if queue:
        name = sorted(calls["queue"].dropna().unique().astype(str))[1]
        params, filters, dims = {**params, "queue": name}, {"queue": [name]}, ("queue", by)
    open_teams(app, **params)
    assert (dims, by, "cube") in sources, sources
    assert (dims, by, "calls") not in sources, sources

    scope = kpi.subset(calls, start, end, filters)
    table = compare.funnel(scope, by, metric, settings=SETTINGS)
    assert_points_match(funnel_points(app), table, by)
    assert table.attrs["conclusion"]["en"] in [info.value for info in app.info]

    ranks = compare.shrink(scope, by, metric, settings=SETTINGS)
    _, data = chart(app, "teams_caterpillar")
    shown = dataset_with(data, "estimate")
    assert shown["unit"].tolist() == ranks[by].astype(str).tolist()  # best first
    for column in ("estimate", "ci_lower", "ci_upper"):
        np.testing.assert_allclose(shown[column], ranks[column], rtol=1e-12)
    league = app.dataframe[0].value
    assert league[i18n.EN[f"dim.{by}"]].tolist() == ranks[by].astype(str).tolist()
    assert league["Rank"].tolist() == ranks["rank"].tolist()
    assert ranks.attrs["conclusion"]["en"] in [info.value for info in app.info]


def test_mean_kpis_case_mix_and_team_filter_keep_the_calls(app, sources):
    """The cube has no per-call values (a mean's within-unit spread), no strata and no
    team of an agent: those views stay on the calls."""
    open_teams(app)  # QA mean by team
    assert not [s for s in sources if s[2] == "cube"], sources
    run(app.selectbox(key="teams_kpi").set_value("fcr_rate"))
    assert (("team",), "team", "cube") in sources, sources
    sources.clear()
    run(app.toggle(key="teams_mix").set_value(True))
    run(app.radio(key="teams_unit").set_value("agent"))
    run(app.selectbox(key="teams_team").set_value("Team 6"))
    assert not [s for s in sources if s[2] == "cube"], sources
