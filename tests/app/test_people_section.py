"""AppTest of the people sections: roster upload (Data page), attrition, survival by tenure,
KPIs by tenure and QA evaluator calibration (Teams page).

Expected values are recomputed with :mod:`ccmetrics.people` and
:func:`ccmetrics.compare.evaluator_calibration` on the data the app uses (the sample and
its roster, FCR flags on the whole frame, the default 28-day window ending 2025-03-31);
those functions' own tests hold the published reference values. A page that shows
another roster, window or number fails.
"""

from __future__ import annotations

import dataclasses
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from ccmetrics import compare, i18n, io, kpi, people, sample
from ccmetrics.schema import KpiSettings
from pages.common import data as common_data
from tests.app.helpers import run
from tests.conftest import sample_dir

TIMEOUT_S = 90
WINDOW = (pd.Timestamp("2025-03-04"), pd.Timestamp("2025-04-01"))
END = pd.Timestamp("2025-03-31")
FIRST_MONTH = pd.Timestamp("2023-04-01")  # 24 months ending with March 2025


@pytest.fixture(scope="module")
def folder():
    return sample_dir()


@pytest.fixture(scope="module")
def roster(folder) -> pd.DataFrame:
    return people.read_roster(folder / "roster.csv")


@pytest.fixture(scope="module")
def window(folder) -> pd.DataFrame:
    frame = kpi.add_fcr_flags(io.load(folder / "calls.parquet").frame, KpiSettings())
    return kpi.subset(frame, *WINDOW)


def open_teams(app: AppTest, lang: str = "en") -> AppTest:
    app.query_params.update({"page": "teams", "lang": lang})
    return run(app)


def chart(at: AppTest, name: str) -> dict[str, pd.DataFrame]:
    """The datasets of the page's chart ``name`` as frames."""
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        if spec.get("usermeta", {}).get("chart") == name:
            return {
                dataset.name: pa.ipc.open_stream(dataset.data.data).read_pandas()
                for dataset in element.proto.datasets
            }
    raise AssertionError(f"no chart {name} on the page")


def only(data: dict[str, pd.DataFrame]) -> pd.DataFrame:
    assert len(data) == 1, list(data)
    return next(iter(data.values()))


def table_with(at: AppTest, *headers: str) -> pd.DataFrame:
    found = [f.value for f in at.dataframe if set(headers) <= set(f.value.columns)]
    assert len(found) == 1, [list(f.value.columns) for f in at.dataframe]
    return found[0]


def test_teams_page_shows_the_sample_rosters_attrition_survival_and_tenure(app, roster, window):
    at = open_teams(app)
    en = i18n.EN
    headings = [s.value for s in at.subheader]
    for key in ("people.attrition_title", "people.survival_title", "people.tenure_title"):
        assert en[key] in headings
    # attrition: 24 months, the rate and its exact Poisson interval of people.attrition
    expected = people.attrition(roster, start=FIRST_MONTH, end=END)
    points = only(chart(at, "people_attrition"))
    assert points["month"].tolist() == expected["period"].dt.strftime("%Y-%m").tolist()
    assert np.allclose(points["rate"], 100 * expected["attrition_rate"])
    assert np.allclose(points["low"], 100 * expected["ci_lower"])
    assert np.allclose(points["high"], 100 * expected["ci_upper"])
    assert points["leavers"].tolist() == expected["leavers"].tolist()
    summary = people.attrition_summary(roster, start=FIRST_MONTH, end=END).iloc[0]
    captions = " ".join(c.value for c in at.caption)
    assert f"{int(summary['leavers'])} leavers" in captions
    assert f"annualised attrition {100 * summary['annualised_rate']:.1f}%" in captions
    # survival: the Kaplan-Meier table of people.survival, censored at the data's last day
    curve = people.survival(roster, end=END)
    drawn = only(chart(at, "people_survival"))
    assert np.allclose(drawn["survival"], 100 * curve["survival"])
    assert np.allclose(drawn["low"], 100 * curve["ci_lower"])
    assert drawn["at_risk"].tolist() == curve["at_risk"].tolist()
    # KPIs by tenure: people.kpis_by_tenure on the calls of the window
    by_tenure = people.kpis_by_tenure(window, roster)
    shown = table_with(at, en["dim.tenure_band"])
    assert shown[en["dim.tenure_band"]].tolist() == list(people.tenure_bands([]).categories)
    assert shown[en["people.agents"]].tolist() == by_tenure["agents"].tolist()
    aht = next(c for c in shown.columns if c.startswith(en["tile.aht_s"]))
    assert shown[aht].tolist() == kpi.round_for_display(by_tenure["aht_s"], "aht_s").tolist()
    # by team: one row per team of the roster
    annualised = f"{en['people.col.annualised_rate']} (%)"
    teams = table_with(at, en["people.col.team"], annualised)
    assert sorted(teams[en["people.col.team"]]) == sorted(roster["team"].unique())


def test_teams_page_people_sections_in_chinese(app):
    at = open_teams(app, "zh")
    zh = i18n.ZH
    headings = [s.value for s in at.subheader]
    assert zh["people.attrition_title"] in headings and zh["people.survival_title"] in headings
    assert any(zh["dim.tenure_band"] in f.value.columns for f in at.dataframe)


ROSTER_GBK = (
    "工号,班组,入职日期,离职日期\n"
    "A0101,Team 1,2020-01-01,\n"
    "A0102,Team 1,2024-06-01,2025-02-14\n"
    "A0103,Team 2,2023-03-01,\n"
).encode("gbk")


def test_data_page_takes_a_roster_and_the_teams_page_uses_it(app):
    app.query_params["lang"] = "en"
    run(app)
    app.switch_page("pages/data_page.py")
    run(app)
    # with the sample calls and no upload, the sample's roster is in use
    assert any(i18n.EN["people.roster_sample"].split(" (")[0] in box.value for box in app.info)
    app.file_uploader(key="roster_uploader").set_value(("staff.csv", ROSTER_GBK, "text/csv"))
    run(app)
    loaded = i18n.t("people.roster_loaded", "en", name="staff.csv", agents="3")
    assert loaded in [box.value for box in app.success]
    rows = i18n.t("people.roster_rows", "en", file_rows="3", loaded="3", dropped="0")
    assert rows in [c.value for c in app.caption]
    app.switch_page("pages/teams_page.py")
    run(app)
    expected = people.attrition(people.read_roster(ROSTER_GBK), start=FIRST_MONTH, end=END)
    points = only(chart(app, "people_attrition"))
    assert points["leavers"].sum() == 1 == expected["leavers"].sum()
    assert np.allclose(points["rate"], 100 * expected["attrition_rate"], equal_nan=True)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_bad_roster_is_refused_with_file_column_and_rows(app, lang):
    app.query_params["lang"] = lang
    run(app)
    app.switch_page("pages/data_page.py")
    run(app)
    bad = "工号,入职日期,离职日期\nA1,2024-01-01,\nA2,later,\n".encode("gbk")
    app.file_uploader(key="roster_uploader").set_value(("bad.csv", bad, "text/csv"))
    run(app)
    errors = [box.value for box in app.error]
    assert len(errors) == 1
    reason = i18n.t(
        "error.roster_bad_dates",
        lang,
        file="bad.csv",
        column="入职日期",
        count=1,
        rows="3",
        examples="“later”",
    )
    assert reason in errors[0].replace("\\", "")


@pytest.fixture
def with_evaluators(folder, monkeypatch):
    """The sample in use with an evaluator column on its calls (as a loader mapping gives)."""
    result = io.load(folder / "calls.parquet")
    frame = result.frame.copy()
    frame["evaluator"] = sample.sample_evaluators(frame)
    patched = dataclasses.replace(result, frame=frame)
    common_data._prepared.clear()
    monkeypatch.setattr(common_data, "_sample_result", lambda: patched)
    yield frame
    common_data._prepared.clear()


def test_teams_page_shows_evaluator_calibration_when_calls_have_an_evaluator(app, with_evaluators):
    at = open_teams(app)
    en = i18n.EN
    assert en["people.cal_title"] in [s.value for s in at.subheader]
    window = kpi.subset(kpi.add_fcr_flags(with_evaluators, KpiSettings()), *WINDOW)
    expected = compare.evaluator_calibration(window)
    table = table_with(at, en["people.cal.col.evaluator"])
    rows = expected["evaluators"]
    assert table[en["people.cal.col.evaluator"]].tolist() == rows["evaluator"].tolist()
    assert table[en["people.cal.col.offset"]].tolist() == rows["offset"].round(1).tolist()
    verdicts = dict(
        zip(table[en["people.cal.col.evaluator"]], table[en["people.cal.col.verdict"]], strict=True)
    )
    assert verdicts[sample.LENIENT_EVALUATOR] == en["people.cal.verdict.lenient"]
    assert expected["conclusion"]["en"] in [box.value for box in at.info]


@pytest.fixture
def without_evaluators(folder, monkeypatch):
    """The sample in use without its evaluator column (an export that names no evaluator)."""
    result = io.load(folder / "calls.parquet")
    patched = dataclasses.replace(result, frame=result.frame.drop(columns="evaluator"))
    common_data._prepared.clear()
    monkeypatch.setattr(common_data, "_sample_result", lambda: patched)
    yield patched.frame
    common_data._prepared.clear()


def test_no_calibration_section_without_an_evaluator_column(app, without_evaluators):
    # the sample itself has evaluators (schema column since the quality columns arrived)
    at = open_teams(app)
    assert i18n.EN["people.cal_title"] not in [s.value for s in at.subheader]
