"""The app on a data set on an engine: a canonical Parquet folder opened through the
environment or the Data page, the period in view fetched from the engine.

Expected numbers are those of :func:`ccmetrics.kpi.period_comparison` (itself tested
against hand calculations in tests/unit) on the same calls loaded by
``ccmetrics.io.load`` as a pandas frame, with FCR flags of the whole data
(:func:`ccmetrics.kpi.add_fcr_flags`): the app's numbers on the engine must be those.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
import streamlit as st

from ccmetrics import engine_source, i18n, io, kpi
from ccmetrics.schema import KpiSettings
from pages import common, engine_section
from tests.app.helpers import run
from tests.conftest import require_spark

TIMEOUT_S = 60

#: The sample's last full month (it spans 2025-01-01 to 2025-03-31).
MARCH = (dt.date(2025, 3, 1), dt.date(2025, 3, 31))


@pytest.fixture(scope="module")
def calls_folder(sample_folder, tmp_path_factory):
    """The sample's canonical calls as a Parquet folder of two files (before and from
    February), as a lake of canonical calls holds them."""
    frame = io.load(sample_folder / "calls.parquet").frame
    folder = tmp_path_factory.mktemp("lake") / "calls"
    folder.mkdir()
    february = pd.Timestamp("2025-02-01")
    frame[frame["arrived_at"] < february].to_parquet(folder / "2025-01.parquet", index=False)
    frame[frame["arrived_at"] >= february].to_parquet(folder / "2025-02_03.parquet", index=False)
    return folder


@pytest.fixture(autouse=True)
def _fresh_engine_caches(monkeypatch, tmp_path):
    """No source named in the environment unless a test names one; engine caches empty;
    the cubes an engine keeps in a private cache folder (never the user's)."""
    monkeypatch.setenv(io.CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.delenv(engine_source.SOURCE_ENV, raising=False)
    monkeypatch.delenv(engine_source.ENGINE_ENV, raising=False)
    monkeypatch.delenv(engine_source.MASTER_ENV, raising=False)
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()


def tiles(at) -> dict[str, object]:
    return {metric.label: metric for metric in at.metric}


def assert_overview_is_kpi_of(at, calls, start, end):
    """The Overview's tiles show the KPIs of ``calls`` in ``[start, end]`` (days included)
    and their change against the days before, which lie outside the period fetched: the
    engine's comparison over the whole data."""
    compared = kpi.period_comparison(
        calls, pd.Timestamp(start), pd.Timestamp(end + dt.timedelta(days=1)), KpiSettings()
    ).set_index("kpi")
    assert compared["change"].notna().any()  # the days before hold calls: a change to show
    shown = tiles(at)
    for name, _ in common.TILES:
        unit, decimals = kpi.KPI_UNITS[name], common.DECIMALS.get(name)
        tile = shown[i18n.EN[f"tile.{name}"]]
        expected = i18n.format_number(compared.loc[name, "current"], unit, decimals=decimals)
        assert tile.value == expected, name
        change = compared.loc[name, "change"]
        assert tile.delta == i18n.format_change(change, unit, decimals=decimals), name
    n_sl = i18n.format_number(compared.loc["service_level", "n_current"], "count")
    assert f"n = {n_sl}" in [caption.value for caption in at.caption]


def test_a_folder_named_in_the_environment_opens_on_its_last_full_month(
    app, monkeypatch, calls_folder, flagged_calls
):
    monkeypatch.setenv(engine_source.SOURCE_ENV, str(calls_folder))
    run(app)
    ctx = app.session_state["_context"]
    assert ctx.dataset.engine is not None and ctx.dataset.engine.source.engine == "duckdb"
    assert (ctx.start, ctx.end) == MARCH
    assert app.query_params["from"] == "2025-03-01" and app.query_params["to"] == "2025-03-31"
    # the frame the pages read is March's calls, FCR flags of the whole data included
    march = kpi.subset(flagged_calls, pd.Timestamp("2025-03-01"), pd.Timestamp("2025-04-01"))
    assert len(ctx.dataset.frame) == len(march)
    assert ctx.dataset.engine.rows == len(flagged_calls)
    assert ctx.dataset.engine.period.calls == len(march)
    assert int(ctx.dataset.frame["fcr_resolved"].sum()) == int(march["fcr_resolved"].sum())
    assert_overview_is_kpi_of(app, flagged_calls, *MARCH)
    # the sidebar says the range is the period fetched, not the whole data
    assert i18n.t("sidebar.range_engine", days="31") in [c.value for c in app.sidebar.caption]
    assert not app.error


def test_every_page_runs_on_the_period_fetched(app, monkeypatch, calls_folder):
    monkeypatch.setenv(engine_source.SOURCE_ENV, str(calls_folder))
    run(app)
    for url, path, title_key, _ in common.PAGES:
        run(app.switch_page(path))
        assert [title.value for title in app.title] == [i18n.EN[title_key]], url
        assert app.session_state["_context"].dataset.engine is not None, url
        assert not app.error, url
        if url == "teams":  # the days before March are on the engine, not fetched: said so
            note = i18n.t("data.engine_no_previous", days=31)
            assert note in [c.value for c in app.caption], url


def test_the_data_page_opens_a_folder_and_fetches_another_period(app, calls_folder, flagged_calls):
    app.query_params["page"] = "data"
    run(app)
    run(app.text_input(key="engine_path").input(str(calls_folder)))
    run(app.button(key="engine_open").click())
    facts = {m.label: m.value for m in app.metric}
    assert facts["Calls in all"] == f"{len(flagged_calls):,}"
    assert facts["Data span"] == "2025-01-01 – 2025-03-31"
    assert facts["Period fetched"] == "2025-03-01 – 2025-03-31"
    # February instead: the sidebar's range and the Overview follow
    picker = app.date_input(key=engine_section.period_key(app.session_state["_context"].dataset))
    run(picker.set_value((dt.date(2025, 2, 1), dt.date(2025, 2, 28))))
    run(app.button(key="engine_fetch").click())
    february = kpi.subset(flagged_calls, pd.Timestamp("2025-02-01"), pd.Timestamp("2025-03-01"))
    facts = {m.label: m.value for m in app.metric}
    assert facts["Period fetched"] == "2025-02-01 – 2025-02-28"
    assert facts["Calls fetched"] == f"{len(february):,}"
    run(app.switch_page("pages/overview_page.py"))
    assert_overview_is_kpi_of(app, flagged_calls, dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    assert not app.error


def test_a_period_over_the_row_budget_is_cut_and_said(
    app, monkeypatch, calls_folder, flagged_calls
):
    days = flagged_calls["arrived_at"].dt.normalize().value_counts()
    # a budget that holds March's last 10 days but not its last 11
    last_10 = int(days[days.index >= pd.Timestamp("2025-03-22")].sum())
    monkeypatch.setattr(engine_source, "ROW_BUDGET", last_10)
    monkeypatch.setenv(engine_source.SOURCE_ENV, str(calls_folder))
    app.query_params["page"] = "data"
    run(app)
    facts = {m.label: m.value for m in app.metric}
    assert facts["Period fetched"] == "2025-03-22 – 2025-03-31"
    assert facts["Calls fetched"] == f"{last_10:,}"
    assert any("2025-03-22" in w.value and "2025-03-01" in w.value for w in app.warning)


@pytest.mark.parametrize(("lang", "words"), [("en", "does not exist"), ("zh", "不存在")])
def test_a_bad_path_says_so_and_keeps_the_sample(app, monkeypatch, tmp_path, lang, words):
    missing = tmp_path / "no_such_folder"
    monkeypatch.setenv(engine_source.SOURCE_ENV, str(missing))
    app.query_params["lang"] = lang
    app.run()
    assert not app.exception
    shown_path = common.md(str(missing))  # the path as text (Markdown escaped)
    assert any(shown_path in e.value and words in e.value for e in app.error)
    assert app.session_state["_context"].dataset.is_sample
    # the same path typed on the Data page: the message, the sample still in use
    run(app.switch_page("pages/data_page.py"))
    run(app.text_input(key="engine_path").input(str(missing)))
    app.button(key="engine_open").click().run()
    assert not app.exception
    assert any(shown_path in e.value and words in e.value for e in app.error)
    assert app.session_state["_context"].dataset.is_sample


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "Spark cannot start"), ("zh", "Spark 无法启动")]
)
def test_a_spark_that_cannot_start_says_so(app, monkeypatch, calls_folder, lang, words):
    from ccmetrics import engine_spark

    def no_java(master=None):
        raise RuntimeError("Java gateway process exited before sending its port number")

    monkeypatch.setattr(engine_spark, "spark_session", no_java)
    app.query_params.update({"page": "data", "lang": lang})
    run(app)
    run(app.text_input(key="engine_path").input(str(calls_folder)))
    run(app.radio(key="engine_choice").set_value("spark"))
    app.button(key="engine_open").click().run()
    assert not app.exception
    assert any(words in e.value and "Java gateway" in e.value for e in app.error)
    assert app.session_state["_context"].dataset.is_sample


def test_files_that_are_not_canonical_calls_say_so(app, tmp_path):
    folder = tmp_path / "other"
    folder.mkdir()
    pd.DataFrame({"x": [1, 2]}).to_parquet(folder / "x.parquet")
    app.query_params["page"] = "data"
    run(app)
    run(app.text_input(key="engine_path").input(str(folder)))
    app.button(key="engine_open").click().run()
    assert not app.exception
    # the translation's words between the path and the missing columns, which it names
    said = i18n.EN["data.engine_error.not_canonical"].split("{path}")[1].split("{missing}")[0]
    assert "standard columns" in said
    assert any(
        said in e.value and folder.name in e.value and "abandoned" in e.value for e in app.error
    )


@pytest.fixture
def spark_master():
    """A local Spark master the app's session starts on (skipped without Java or pyspark,
    except in CI, ``CI=true``, where the Spark tests must run); the session is stopped after."""
    require_spark()
    yield "local[2]"
    from pyspark.sql import SparkSession

    st.cache_resource.clear()  # the app's SparkDataset, before its session stops
    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()


@pytest.mark.spark
def test_the_overview_on_spark_shows_the_same_numbers(
    new_app, monkeypatch, calls_folder, flagged_calls, spark_master
):
    monkeypatch.setenv(engine_source.SOURCE_ENV, str(calls_folder))
    monkeypatch.setenv(engine_source.ENGINE_ENV, "spark")
    monkeypatch.setenv(engine_source.MASTER_ENV, spark_master)
    app = new_app()
    app.default_timeout = 180  # the Spark session starts in the first run (~10 s)
    run(app)
    ctx = app.session_state["_context"]
    assert ctx.dataset.engine.source == engine_source.EngineSource(
        str(calls_folder), "spark", spark_master
    )
    assert (ctx.start, ctx.end) == MARCH
    assert_overview_is_kpi_of(app, flagged_calls, *MARCH)
    assert not app.error


def test_a_link_made_on_the_source_opens_its_view_again(new_app, monkeypatch, calls_folder):
    monkeypatch.setenv(engine_source.SOURCE_ENV, str(calls_folder))
    first = new_app()
    first.query_params.update({"from": "2025-03-10", "to": "2025-03-16", "queue": "VIP"})
    run(first)
    link = {key: first.query_params[key] for key in ("data", "dname", "from", "to", "queue")}
    assert link["data"] == first.session_state["_context"].dataset.digest[:16]
    # a new session on the same source follows the link: its range and queue, no notice
    second = new_app()
    second.query_params.update(link)
    run(second)
    ctx = second.session_state["_context"]
    assert ctx.dataset.engine is not None
    assert (ctx.start, ctx.end, ctx.queues) == (
        dt.date(2025, 3, 10),
        dt.date(2025, 3, 16),
        ("VIP",),
    )
    assert not [w for w in second.warning if w.icon == ":material/link_off:"]  # no "other data"
    assert [s for s in second.success if s.icon == ":material/link:"]  # "the link's view, restored"
