"""AppTest of targets: the sidebar's file and editor, the Overview tiles' lights and the
Teams page's league-table lights and period-against-period gaps.

Expected lights and tables are recomputed here with ``ccmetrics.kpi.period_comparison`` (the
tiles' values), ``ccmetrics.targets`` (whose own tests hold the hand-computed values) and
``sample_data/targets.csv``, on the data the app uses (the sample with FCR flags on the whole
frame, the default 28-day window). A page that judged another value, another n, another
target or another period fails.
"""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ccmetrics import i18n, io, kpi, targets
from ccmetrics.schema import KpiSettings
from pages import targets_section
from tests.app.helpers import run
from tests.conftest import REPO_ROOT, sample_dir

TIMEOUT_S = 90
#: The app's default window on the sample: the last 28 days (2025-03-04 to 2025-03-31).
WINDOW = (pd.Timestamp("2025-03-04"), pd.Timestamp("2025-04-01"))
SETTINGS = KpiSettings()
TARGETS_FILE = REPO_ROOT / "sample_data" / "targets.csv"


@pytest.fixture(scope="module")
def frame():
    calls = io.load(sample_dir() / "calls.parquet").frame
    return kpi.add_fcr_flags(calls, SETTINGS)


@pytest.fixture(scope="module")
def compared(frame):
    return kpi.period_comparison(frame, *WINDOW, SETTINGS).set_index("kpi")


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    return run(at.file_uploader(key="targets_upload").set_value((name, data, "text/csv")))


def tile_text(
    name: str, light: str, goal: targets.Target, lang: str = "en", markdown: bool = True
) -> str:
    """A light's text: in a caption its marker in Streamlit's colour syntax (":red[●]")."""
    marker = targets_section.MARKERS[light]
    if markdown:
        marker = f":{targets_section.MARKDOWN_COLOURS[light]}[{marker}]"
    return i18n.t(
        "targets.tile",
        lang,
        marker=marker,
        word=i18n.t(f"targets.light.{light}", lang),
        direction=i18n.t(f"targets.direction.{goal.direction}", lang),
        target=kpi.format_kpi(name, goal.target, lang),
    )


def expected_tile(frame, compared, table, name: str, lang: str = "en") -> str:
    """The caption of a tile: the tile's value and n against its target (sd from the window)."""
    goal = targets.target_for(table, name)
    sd = None
    if name in ("aht_s", "asa_s", "csat_mean", "qa_mean"):
        window = kpi.subset(frame, *WINDOW)
        sd = float(targets.status(window, table, [name], settings=SETTINGS)["sd"].iloc[0])
    row = compared.loc[name]
    light = targets.traffic_light(name, row["current"], goal, n=row["n_current"], sd=sd)
    return tile_text(name, light, goal, lang)


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The one table of the page with a column of that name."""
    found = [df.value for df in at.dataframe if column in df.value.columns]
    assert len(found) == 1, column
    return found[0]


def captions(at: AppTest) -> list[str]:
    return [c.value for c in at.caption]


def lights(at: AppTest) -> list[str]:
    """The captions that are traffic lights (":red[●] missed · ...")."""
    return [
        c
        for c in captions(at)
        if any(c.startswith(f":{colour}[") for colour in targets_section.MARKDOWN_COLOURS.values())
    ]


def test_overview_tiles_light_the_settings_target_then_the_file(app, frame, compared):
    at = run(app)
    # without a file only the service-level setting is a target: one tile has a light
    defaults = targets.default_targets(SETTINGS)
    lit = lights(at)
    assert lit == [expected_tile(frame, compared, defaults, "service_level")]
    # 76.2 % of 63,250 calls against 80 %: red (the binomial tail is ~1e-119)
    assert lit[0].startswith(":red[●] missed")

    at = upload(at, "targets.csv", TARGETS_FILE.read_bytes())
    table = targets.read_targets(TARGETS_FILE)
    lit = lights(at)
    expected = [
        expected_tile(frame, compared, table, name)
        for name in ("service_level", "abandon_rate", "aht_s", "fcr_rate", "csat_mean")
    ]
    assert lit == expected
    # the file's organisation targets fill the editor; its SL target the settings
    assert at.number_input(key="target_org_aht_s").value == 360
    assert at.number_input(key="target_org_abandon_rate").value == 5
    assert at.session_state["sl_target_pct"] == 80
    assert "targets.csv: 8 targets (2 for teams, 1 for agents)." in captions(at)

    # the editor overrides the organisation's target: abandon rate at most 10 %
    at = run(at.number_input(key="target_org_abandon_rate").set_value(10.0))
    edited = targets.combine_targets(
        table, targets.make_targets([{"kpi": "abandon_rate", "target": 0.10}])
    )
    assert expected_tile(frame, compared, edited, "abandon_rate") in captions(at)
    assert compared.loc["abandon_rate", "current"] < 0.10  # 9.5 %: now met
    assert expected_tile(frame, compared, edited, "abandon_rate").startswith(":green[●] met")

    run(at.radio(key="lang").set_value("zh"))
    assert expected_tile(frame, compared, edited, "aht_s", "zh") in captions(at)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_bad_targets_file_is_refused_with_file_column_and_rows(app, lang):
    app.query_params["lang"] = lang
    at = run(app)
    bad = b"kpi,level,unit,target\nservice_level,organisation,,80\nspeed,organisation,,3\n"
    at = upload(at, "goals.csv", bad)
    message = i18n.t(
        "targets.error.kpi_unknown", lang, file="goals.csv", column="kpi", rows="3", values="speed"
    )
    assert [e.value for e in at.error] == [message]
    lit = lights(at)
    assert len(lit) == 1  # still only the settings' service-level target


def test_teams_section_and_league_lights(app, frame):
    at = run(app)
    at = upload(at, "targets.csv", TARGETS_FILE.read_bytes())
    app.query_params["page"] = "teams"
    at = run(at.switch_page("pages/teams_page.py"))
    assert i18n.EN["targets.section_title"] in [h.value for h in at.subheader]
    table = targets.read_targets(TARGETS_FILE)
    options = ["qa_mean", "csat_mean", "csat_top2box", "aht_s", "fcr_rate", "transfer_rate"]
    # the default unit is the agent; the default KPI the first with an organisation target
    assert at.radio(key="targets_by").value == "agent"
    assert at.selectbox(key="targets_kpi").value == "csat_mean"

    at = run(at.radio(key="targets_by").set_value("team"))
    at = run(at.selectbox(key="targets_kpi").set_value("aht_s"))
    gaps = targets.gap_table(
        frame, "team", options, current=WINDOW, targets=table, settings=SETTINGS
    )
    rows = gaps[gaps["kpi"] == "aht_s"]
    shown = table_with(at, "Gap beyond noise?")
    assert shown["Team"].tolist() == rows["team"].tolist()
    assert shown["n"].tolist() == rows["n"].astype(int).tolist()
    assert shown["Now"].tolist() == [kpi.format_kpi("aht_s", v) for v in rows["value"]]
    assert shown["Against target"].tolist() == [
        f"{targets_section.MARKERS[light]} {i18n.EN[f'targets.light.{light}']}"
        for light in rows["light"]
    ]
    assert shown["Gap beyond noise?"].tolist() == [
        i18n.EN[f"targets.verdict.{v}"] for v in rows["others_verdict"]
    ]
    # Team 6 is judged against its own 420 s, the others against the organisation's 360 s
    targets_shown = dict(zip(shown["Team"], shown["Target"], strict=True))
    assert targets_shown["Team 6"] == kpi.format_kpi("aht_s", 420.0)
    assert targets_shown["Team 1"] == kpi.format_kpi("aht_s", 360.0)
    counts = rows["light"].value_counts()
    summary = i18n.t(
        "targets.summary_lights",
        kpi=i18n.EN["kpi.aht_s"],
        total=len(rows),
        red=int(counts.get("red", 0)),
        amber=int(counts.get("amber", 0)),
        green=int(counts.get("green", 0)),
        unit="team",
    )
    assert any(info.value.startswith(summary) for info in at.info)

    # the league table of the Teams page's KPI carries the lights of the same window
    at = run(at.radio(key="teams_unit").set_value("team"))
    at = run(at.selectbox(key="teams_kpi").set_value("aht_s"))
    window = kpi.subset(frame, *WINDOW)
    status = targets.status(window, table, ["aht_s"], by="team", settings=SETTINGS)
    expected = dict(zip(status["unit"], status["light"], strict=True))
    league = table_with(at, "Plausible ranks (95%)")
    for team, text in zip(league["Team"], league["Against target"], strict=True):
        light = expected[team]
        assert text == f"{targets_section.MARKERS[light]} {i18n.EN[f'targets.light.{light}']}"

    # the agent card of A0101 carries its own QA target (85) and the organisation's others
    at = run(at.selectbox(key="teams_agent").set_value("A0101"))
    card = table_with(at, "vs centre").set_index("KPI")
    agents = targets.status(window, table, ["qa_mean", "aht_s"], by="agent", settings=SETTINGS)
    mine = agents[agents["unit"] == "A0101"].set_index("kpi")
    for metric, goal in (
        ("qa_mean", targets.Target("qa_mean", "agent", "A0101", 85.0, "min")),
        ("aht_s", targets.Target("aht_s", "organisation", "", 360.0, "max", 10.0)),
    ):
        name = i18n.EN[f"tile.{metric}"]
        assert card.loc[name, "Against target"] == tile_text(
            metric, mine.loc[metric, "light"], goal, markdown=False
        )


def test_report_headline_carries_the_lights(app, frame, monkeypatch):
    import streamlit

    captured: dict[str, object] = {}
    original = streamlit.download_button

    def recording(label, data, *args, **kwargs):
        captured[kwargs.get("file_name")] = data
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", recording)
    app.query_params.update(
        {"page": "report", "from": "2025-03-01", "to": "2025-03-31", "rp_days": "none"}
    )
    at = upload(run(app), "targets.csv", TARGETS_FILE.read_bytes())
    at = run(at.button(key="rp_build").click())
    html_text = next(
        data for name, data in captured.items() if name and name.endswith("_en.html")
    ).decode("utf-8")
    assert "<th>Against target</th>" in html_text
    # the headline's own values and n, against the file's organisation targets
    start, end = pd.Timestamp("2025-03-01"), pd.Timestamp("2025-04-01")
    headline = kpi.period_comparison(frame, start, end, SETTINGS)
    headline = headline[headline["kpi"].isin(["service_level", "abandon_rate", "aht_s"])]
    table = targets.read_targets(TARGETS_FILE)
    lights = targets.headline_lights(headline, kpi.subset(frame, start, end), table, SETTINGS)
    for row in lights.itertuples(index=False):
        goal = targets.target_for(table, row.kpi)
        text = tile_text(row.kpi, row.light, goal, markdown=False)
        colour = targets.LIGHT_COLOURS[row.light]
        assert f'<span style="color:{colour}">{text[0]}</span>{text[1:]}' in html_text, row.kpi


def test_names_from_a_targets_file_are_text(app):
    at = run(app)
    hostile = b"kpi,level,unit,target\n![x](http://host/p.png),organisation,,80\n"
    at = upload(at, "**bold**.csv", hostile)
    shown = at.error[0].value
    assert "![x](http://host" not in shown and "**bold**" not in shown
    assert "\\*\\*bold\\*\\*.csv" in shown


def test_a_file_target_outside_the_editor_is_kept(app, compared):
    # offered calls has no better direction and no editor field: the file's target applies
    at = upload(run(app), "volume.csv", b"kpi,target,direction\noffered,60000,min\n")
    goal = targets.Target("offered", "organisation", "", 60000.0, "min")
    assert compared.loc["offered", "current"] >= 60000  # 63,787 calls: met
    assert tile_text("offered", "green", goal) in lights(at)
