"""AppTest (streamlit.testing.v1) of the app shell, the Overview and Data pages.

Every number the app shows must be the one ``ccmetrics.kpi`` computes: the
expected values below are recomputed with ``ccmetrics.kpi`` on the same data
and formatted with ``ccmetrics.i18n`` (whose own tests hold hand-written
values), so a page that drops a filter, a setting or the FCR preparation fails.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ccmetrics import i18n, io, kpi, sample
from ccmetrics.schema import KpiSettings
from pages import common
from pages.common import aggregates as common_aggregates
from pages.common import data as common_data
from tests.app.helpers import record_aggregate_sources, run
from tests.conftest import REPO_ROOT

TIMEOUT_S = 60
TILE_LABELS_EN = [i18n.EN[f"tile.{name}"] for name, _ in common.TILES]
TILE_LABELS_ZH = [i18n.ZH[f"tile.{name}"] for name, _ in common.TILES]


def tiles(at: AppTest) -> dict[str, object]:
    return {metric.label: metric for metric in at.metric}


def default_window(frame: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The app's default range: the last 28 days when the data spans at least 56 days."""
    first = frame["arrived_at"].min().normalize()
    last = frame["arrived_at"].max().normalize()
    if (last - first).days + 1 >= 56:
        return last - pd.Timedelta(days=27), last + pd.Timedelta(days=1)
    return first, last + pd.Timedelta(days=1)


def upload_window(frame: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The range an upload opens on: its whole span, or its last 92 days when longer."""
    first = frame["arrived_at"].min().normalize()
    last = frame["arrived_at"].max().normalize()
    first = max(first, last - pd.Timedelta(days=common.UPLOAD_WINDOW_DAYS - 1))
    return first, last + pd.Timedelta(days=1)


def expected_tile(frame, start, end, name, settings=None, filters=None, lang="en"):
    compared = kpi.period_comparison(
        frame, start, end, settings or KpiSettings(), filters=filters
    ).set_index("kpi")
    unit, decimals = kpi.KPI_UNITS[name], common.DECIMALS.get(name)
    return i18n.format_number(compared.loc[name, "current"], unit, lang, decimals=decimals)


# ---------------------------------------------------------------- every page renders


@pytest.mark.parametrize(("url", "path", "title_key", "icon"), common.PAGES)
def test_every_page_renders_on_the_sample(app, url, path, title_key, icon):
    run(app)
    run(app.switch_page(path))
    assert [title.value for title in app.title] == [i18n.EN[title_key]]
    assert app.query_params["page"] == url
    assert not app.error


def test_overview_tiles_show_the_kpi_engine_numbers(app, flagged_calls):
    run(app)
    shown = tiles(app)
    assert list(shown) == TILE_LABELS_EN  # the sample supports every tile KPI
    start, end = default_window(flagged_calls)
    compared = kpi.period_comparison(flagged_calls, start, end, KpiSettings()).set_index("kpi")
    for name, _ in common.TILES:
        unit = kpi.KPI_UNITS[name]
        metric = shown[i18n.EN[f"tile.{name}"]]
        decimals = common.DECIMALS.get(name)  # QA scores (0-100) with one decimal
        assert metric.value == i18n.format_number(
            compared.loc[name, "current"], unit, decimals=decimals
        ), name
        change = compared.loc[name, "change"]
        assert metric.delta == i18n.format_change(change, unit, decimals=decimals), name
    # percentages with one decimal, e.g. 81.8%
    assert (
        shown["Service level"].value.endswith("%")
        and len(shown["Service level"].value.split(".")[1]) == 2
    )
    captions = [caption.value for caption in app.caption]
    n_sl = i18n.format_number(compared.loc["service_level", "n_current"], "count")
    assert f"n = {n_sl}" in captions
    assert app.query_params["from"] == start.date().isoformat()
    assert app.query_params["to"] == (end - pd.Timedelta(days=1)).date().isoformat()


def test_breakdown_table_is_the_kpi_table_by_queue(app, flagged_calls):
    run(app)
    start, end = default_window(flagged_calls)
    expected = kpi.compute(kpi.subset(flagged_calls, start, end), by="queue").sort_values(
        "offered", ascending=False
    )
    table = app.dataframe[-1].value
    assert list(table["Queue"]) == [str(q) for q in expected["queue"]]
    assert list(table["Offered"]) == list(expected["offered"].round(0))
    assert list(table["Service level (%)"]) == list((expected["service_level"] * 100).round(1))


def test_csv_export_is_utf8_with_bom():
    frame = pd.DataFrame({"队列": ["数据业务"], "服务水平（%）": [81.8]})
    data = common.csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM to read UTF-8 Chinese text
    assert data.decode("utf-8-sig").splitlines() == ["队列,服务水平（%）", "数据业务,81.8"]


# ---------------------------------------------------------------- settings and filters


def test_settings_change_the_numbers(app, flagged_calls):
    run(app)
    start, end = default_window(flagged_calls)
    before = tiles(app)["Service level"].value
    assert before == expected_tile(flagged_calls, start, end, "service_level")

    run(app.number_input(key="sl_threshold_s").set_value(60))
    after = tiles(app)["Service level"].value
    assert after == expected_tile(
        flagged_calls, start, end, "service_level", KpiSettings(sl_threshold_s=60)
    )
    assert after != before
    assert app.query_params["sl"] == "60"

    run(app.selectbox(key="sl_formula").set_value("answered"))
    answered_only = KpiSettings(sl_threshold_s=60, sl_formula="answered")
    assert tiles(app)["Service level"].value == expected_tile(
        flagged_calls, start, end, "service_level", answered_only
    )

    run(app.number_input(key="short_abandon_s").set_value(30))
    abandon = KpiSettings(sl_threshold_s=60, sl_formula="answered", short_abandon_s=30)
    assert tiles(app)["Abandon rate"].value == expected_tile(
        flagged_calls, start, end, "abandon_rate", abandon
    )


def test_queue_and_date_filters_change_the_numbers(app, flagged_calls):
    run(app)
    queue = sorted(flagged_calls["queue"].dropna().unique().astype(str))[0]
    run(app.multiselect(key="queues").set_value([queue]))
    start, end = default_window(flagged_calls)
    assert tiles(app)["Offered"].value == expected_tile(
        flagged_calls, start, end, "offered", filters={"queue": [queue]}
    )
    assert app.query_params["queue"] == queue

    run(app.date_input(key="date_range").set_value((dt.date(2025, 2, 3), dt.date(2025, 2, 9))))
    week = (pd.Timestamp("2025-02-03"), pd.Timestamp("2025-02-10"))
    assert tiles(app)["Offered"].value == expected_tile(
        flagged_calls, *week, "offered", filters={"queue": [queue]}
    )
    assert (app.query_params["from"], app.query_params["to"]) == ("2025-02-03", "2025-02-09")


# ---------------------------------------------------------------- language


def test_language_switch_changes_the_labels(app):
    run(app)
    assert [t.value for t in app.title] == ["Overview"]
    run(app.radio(key="lang").set_value("zh"))
    assert [t.value for t in app.title] == ["总览"]
    assert list(tiles(app)) == TILE_LABELS_ZH
    assert app.number_input(key="sl_threshold_s").label == "服务水平时限（秒）"
    assert app.multiselect(key="queues").label == "技能组"
    assert app.query_params["lang"] == "zh"
    run(app.switch_page("pages/data_page.py"))
    assert [t.value for t in app.title] == ["数据"]
    assert app.file_uploader(key="uploader").label == "上传导出文件"


# ---------------------------------------------------------------- deep links


def test_query_param_deep_link_restores_the_view(app, flagged_calls):
    queue = sorted(flagged_calls["queue"].dropna().unique().astype(str))[-1]
    app.query_params.update(
        {
            "page": "drill-down",
            "lang": "zh",
            "from": "2025-02-03",
            "to": "2025-02-16",
            "queue": queue,
            "sl": "30",
            "slf": "offered",
            "day": "2025-02-05",
            "interval": "2025-02-05T10:30",
        }
    )
    run(app)
    assert [t.value for t in app.title] == [i18n.ZH["nav.drilldown"]]
    assert app.session_state["date_range"] == (dt.date(2025, 2, 3), dt.date(2025, 2, 16))
    assert app.session_state["queues"] == [queue]
    assert app.session_state["sl_threshold_s"] == 30
    assert app.session_state["sl_formula"] == "offered"
    assert app.date_input(key="drill_day").value == dt.date(2025, 2, 5)
    assert app.session_state["interval"] == "2025-02-05T10:30"
    for key, value in {
        "page": "drill-down",
        "lang": "zh",
        "from": "2025-02-03",
        "to": "2025-02-16",
        "queue": queue,
        "sl": "30",
        "slf": "offered",
        "day": "2025-02-05",
        "interval": "2025-02-05T10:30",
    }.items():
        assert app.query_params[key] == value, key

    # the same view's Overview numbers follow the restored filters and settings
    run(app.switch_page("pages/overview_page.py"))
    settings = KpiSettings(sl_threshold_s=30, sl_formula="offered")
    window = (pd.Timestamp("2025-02-03"), pd.Timestamp("2025-02-17"))
    assert tiles(app)["服务水平"].value == expected_tile(
        flagged_calls, *window, "service_level", settings, {"queue": [queue]}, lang="zh"
    )


def test_open_day_switches_to_the_drilldown(app):
    run(app)
    run(app.selectbox(key="open_day_choice").set_value("2025-03-10"))
    run(app.button(key="open_day_button").click())
    assert [t.value for t in app.title] == ["Drill-down"]
    assert app.query_params["page"] == "drill-down"
    assert app.query_params["day"] == "2025-03-10"
    assert app.date_input(key="drill_day").value == dt.date(2025, 3, 10)


# ---------------------------------------------------------------- upload


def zh_gbk_export(calls: pd.DataFrame) -> bytes:
    """Calls written the way the Chinese sample export is: Chinese headers, GBK, gzip."""
    text = sample.calls_to_zh_frame(calls).to_csv(index=False, lineterminator="\n")
    return gzip.compress(text.encode("gbk"), mtime=0)


@pytest.fixture(scope="module")
def february_export(sample_folder):
    """February calls of one queue, as a GBK export, and its canonical frame."""
    raw = pd.read_parquet(sample_folder / "calls.parquet")
    queue = sorted(raw["queue"].dropna().unique().astype(str))[0]
    subset = raw[
        (raw["arrived_at"] >= "2025-02-01")
        & (raw["arrived_at"] < "2025-03-01")
        & (raw["queue"] == queue)
    ]
    data = zh_gbk_export(subset.reset_index(drop=True))
    loaded = io.load(data).frame
    return data, kpi.add_fcr_flags(loaded, KpiSettings())


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    run(at.switch_page("pages/data_page.py"))
    return run(at.file_uploader(key="uploader").set_value((name, data, "application/octet-stream")))


def test_upload_through_the_uploader_replaces_the_dataset(app, february_export, flagged_calls):
    data, frame = february_export
    run(app)
    sample_offered = tiles(app)["Offered"].value
    upload(app, "february.csv.gz", data)
    assert any("february.csv.gz" in s.value for s in app.success)
    facts = {m.label: m.value for m in app.metric}
    assert facts["Rows loaded"] == f"{len(frame):,}"
    assert facts["Encoding"] in ("gb18030", "gbk")
    assert app.sidebar.markdown[0].value == "**february.csv.gz**"

    run(app.switch_page("pages/overview_page.py"))
    # 28 days of data: the range is the whole span, and there is no previous period
    start, end = pd.Timestamp("2025-02-01"), pd.Timestamp("2025-03-01")
    assert app.session_state["date_range"] == (dt.date(2025, 2, 1), dt.date(2025, 2, 28))
    shown = tiles(app)
    assert shown["Offered"].value == expected_tile(frame, start, end, "offered")
    assert shown["Offered"].value != sample_offered
    assert shown["Service level"].value == expected_tile(frame, start, end, "service_level")
    assert shown["Service level"].delta is None or shown["Service level"].delta == ""

    # back to the sample
    run(app.button(key="use_sample_button").click())
    assert tiles(app)["Offered"].value == sample_offered


@pytest.fixture
def stages(monkeypatch):
    """The load stages the upload status box shows, in order (recorded from its labels)."""
    shown = []
    original = common.stage_label

    def record(stage):
        shown.append(stage)
        return original(stage)

    monkeypatch.setattr(common_data, "stage_label", record)  # read by the status box
    return shown


def test_an_upload_shows_its_load_stages_and_loads(
    app, february_export, stages, monkeypatch, tmp_path
):
    monkeypatch.setenv("CCMETRICS_CACHE_DIR", str(tmp_path))
    data, frame = february_export
    assert len(data) < common.CACHE_MIN_BYTES  # small: loaded directly, no Parquet copy
    run(app)
    upload(app, "february.csv.gz", data)
    # the bar starts on "reading", then follows ccmetrics.io.load and the FCR preparation
    assert stages == ["reading", "reading", "parsing", "building", "preparing", "done"]
    assert not app.exception and not app.error
    assert {m.label: m.value for m in app.metric}["Rows loaded"] == f"{len(frame):,}"
    assert list(tmp_path.iterdir()) == []


def test_a_large_upload_is_served_from_its_parquet_copy(
    app, february_export, stages, monkeypatch, tmp_path
):
    monkeypatch.setenv("CCMETRICS_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(common_data, "CACHE_MIN_BYTES", 0)  # every upload counts as large
    data, frame = february_export
    run(app)
    upload(app, "february.csv.gz", data)
    assert stages == [
        "reading",
        "cached",
        "reading",
        "parsing",
        "building",
        "saving",
        "preparing",
        "done",
    ]
    assert len(list(tmp_path.glob("*.parquet"))) == 1
    first = tiles(app)
    # a new session (as after a restart) uploading the same file reads the copy
    again = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=TIMEOUT_S)
    run(again)
    stages.clear()
    upload(again, "february.csv.gz", data)
    assert stages == ["reading", "cached", "preparing", "done"]
    assert {m.label: m.value for m in again.metric}["Rows loaded"] == f"{len(frame):,}"
    run(app.switch_page("pages/overview_page.py"))
    run(again.switch_page("pages/overview_page.py"))
    assert {k: m.value for k, m in tiles(again).items()} == {
        k: m.value for k, m in tiles(app).items()
    }
    assert first  # the Data page drew its facts before


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "The file could not be loaded: bad.csv has no column the loader recognises as a time.",
        ),
        ("zh", "无法载入该文件：bad.csv 中没有可识别的时间列。"),
    ],
)
def test_a_bad_upload_shows_a_translated_message_not_a_traceback(app, lang, expected):
    app.query_params["lang"] = lang
    run(app)
    upload(app, "bad.csv", b"colour,size\nred,3\nblue,4\n")
    assert len(app.error) == 1
    assert [box.label for box in app.status] == [i18n.t("data.loading", lang, name="bad.csv")]
    assert app.error[0].value.startswith(expected)
    assert not app.exception
    # the dataset in use did not change
    assert app.sidebar.markdown[0].value == f"**{i18n.t('sidebar.dataset_sample', lang)}**"


def test_mapping_editor_and_saved_mapping_change_what_is_computed(app, february_export):
    data, _ = february_export
    run(app)
    upload(app, "february.csv.gz", data)
    editor = app.data_editor[0]
    rows = editor.value
    assert list(rows.columns) == ["source", "preview", "target"]
    csat_row = int(rows.index[rows["source"] == "满意度"][0])
    assert rows.loc[csat_row, "target"] == "csat"
    assert rows.loc[rows["source"] == "是否接通", "preview"].iloc[0] in ("是 · 否", "否 · 是")
    assert all(rows["preview"] != ""), rows  # raw values of every column of the file

    # un-map the CSAT column in the editor and apply: the CSAT tile disappears
    app.session_state[editor.key] = {
        "edited_rows": {csat_row: {"target": None}},
        "added_rows": [],
        "deleted_rows": [],
    }
    run(app.button(key="apply_mapping").click())
    assert any(s.value == "Mapping applied." for s in app.success)
    assert "csat" not in app.session_state["upload"]["mapping"]
    run(app.switch_page("pages/overview_page.py"))
    assert "CSAT" not in tiles(app)
    hidden = [e for e in app.expander if e.label.startswith("KPIs not shown")]
    assert hidden and "CSAT rating (1–5)" in hidden[0].markdown[0].value

    # a saved mapping (JSON) loaded from a file is applied the same way
    mapping = io.load(data).mapping
    mapping.pop("qa_score")
    run(app.switch_page("pages/data_page.py"))
    saved = json.dumps(mapping, ensure_ascii=False).encode("utf-8")
    run(
        app.file_uploader(key="mapping_uploader").set_value(
            ("mapping.json", saved, "application/json")
        )
    )
    assert app.session_state["upload"]["mapping"] == mapping
    run(app.switch_page("pages/overview_page.py"))
    labels = list(tiles(app))
    assert "QA score" not in labels and "CSAT" in labels


def test_load_report_is_translated(app, february_export):
    data, _ = february_export
    app.query_params["lang"] = "zh"
    run(app)
    upload(app, "february.csv.gz", data)
    report = app.table[-1].value
    assert list(report.columns) == ["级别", "字段", "行数", "说明"]
    assert all(level in ("错误", "警告", "提示") for level in report["级别"])
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in message) for message in report["说明"])


def test_mapping_rows_round_trip_a_split_date_and_time():
    """A date + time pair becomes two editor rows and comes back as the loader's list."""
    rows = pd.DataFrame(
        {
            "source": ["Date", "Time", "Wait"],
            "preview": ["", "", ""],
            "target": ["arrival_date", "arrival_time", "wait_s"],
        }
    )
    mapping, problem = common.mapping_from_rows(rows, {"options": {"dayfirst": True}})
    assert problem is None
    assert mapping == {
        "wait_s": "Wait",
        "arrived_at": ["Date", "Time"],
        "options": {"dayfirst": True},
    }

    twice = rows.assign(target=["wait_s", "arrival_time", "wait_s"])
    mapping, problem = common.mapping_from_rows(twice, None)
    assert mapping is None and "Date, Wait" in problem


def test_interval_report_hides_the_tiles_it_cannot_support(app, sample_folder):
    """The sample interval report has no FCR, CSAT or QA sums: those tiles are hidden and listed."""
    data = (sample_folder / "intervals.csv").read_bytes()
    run(app)
    upload(app, "intervals.csv", data)
    frame = io.load(data).frame
    missing = kpi.missing_inputs(frame)
    run(app.switch_page("pages/overview_page.py"))
    shown = list(tiles(app))
    hidden_tiles = [name for name, _ in common.TILES if name in missing]
    assert hidden_tiles  # the interval file really lacks some
    assert shown == [i18n.EN[f"tile.{n}"] for n, _ in common.TILES if n not in missing]
    note = next(e for e in app.expander if e.label.startswith("KPIs not shown")).markdown[0].value
    for name in hidden_tiles:
        assert i18n.EN[f"kpi.{name}"] in note
        for column in missing[name]:
            assert f"`{i18n.EN[f'field.{column}']}`" in note
    start, end = upload_window(frame.rename(columns={"interval_start": "arrived_at"}))
    assert tiles(app)["Offered"].value == expected_tile(frame, start, end, "offered")


# ---------------------------------------------------------------- the cube
#
# Property checked (cube ≡ calls): every number the Overview draws from the app's cube
# (30 min × queue, ``common.aggregate_source``) equals ``kpi.compute`` on the prepared
# calls for the same window, queue filter and settings. The sums behind each KPI are
# counts and whole seconds, exact in float64 in any order of addition, so the cube's
# roll-up gives the calls' sums bit for bit and the values are compared exactly.

FULL_SPAN = ("2025-01-01", "2025-03-31")


@pytest.fixture
def sources(monkeypatch):
    """Which frame each aggregate of the page came from ("cube" or "calls"), with a clean
    cache so that no value computed earlier from the other source is served."""
    return record_aggregate_sources(monkeypatch, lambda dims, freq, by, kind: (dims, freq, kind))


def chart_data(at: AppTest, columns: set[str]) -> pd.DataFrame:
    """The data set with ``columns`` among those the page's charts sent to the browser."""
    import pyarrow as pa

    for chart in at.get("vega_lite_chart"):
        for data in chart.proto.datasets:
            frame = pa.ipc.open_stream(data.data.data).read_all().to_pandas()
            if columns <= set(frame.columns):
                return frame
    raise AssertionError(f"no chart data with {columns}")


@pytest.mark.parametrize(
    ("span", "queue", "params"),
    [
        ("default", False, {}),
        ("whole", False, {}),
        ("default", True, {}),
        ("whole", True, {"sl": "45"}),
        ("default", False, {"sl": "45", "sa": "10", "slf": "answered"}),
    ],
)
def test_overview_from_the_cube_equals_kpi_on_calls(
    app, flagged_calls, sources, span, queue, params
):
    settings = KpiSettings(
        sl_threshold_s=float(params.get("sl", 20)),
        short_abandon_s=float(params.get("sa", 5)),
        sl_formula=params.get("slf", "offered_excl_short"),
    )
    if span == "whole":
        start, end = pd.Timestamp(FULL_SPAN[0]), pd.Timestamp(FULL_SPAN[1]) + pd.Timedelta(days=1)
        params = {**params, "from": FULL_SPAN[0], "to": FULL_SPAN[1]}
    else:
        start, end = default_window(flagged_calls)
    filters = None
    if queue:
        name = sorted(flagged_calls["queue"].dropna().unique().astype(str))[1]
        params, filters = {**params, "queue": name}, {"queue": [name]}
    app.query_params.update(params)
    run(app)
    # every aggregate the Overview shows came from the cube
    assert sources and {source for *_, source in sources} == {"cube"}, sources

    window = kpi.subset(flagged_calls, start, end, filters)
    # tiles and their change against the previous period
    compared = kpi.period_comparison(flagged_calls, start, end, settings, filters).set_index("kpi")
    shown = tiles(app)
    for name, _ in common.TILES:
        unit, decimals = kpi.KPI_UNITS[name], common.DECIMALS.get(name)
        row = compared.loc[name]
        metric = shown[i18n.EN[f"tile.{name}"]]
        assert metric.value == i18n.format_number(row["current"], unit, decimals=decimals), name
    # the cached comparison behind the tiles, unformatted
    ctx = app.session_state["_context"]
    from_cube = common.comparison(ctx).set_index("kpi")
    pd.testing.assert_frame_equal(from_cube, compared, check_exact=True)

    # daily trend
    days = kpi.compute(window, freq="D", settings=settings)
    trend = chart_data(app, {"day", "offered", "service_level"})
    assert list(trend["day"]) == list(pd.to_datetime(days["period"]).dt.strftime("%Y-%m-%d"))
    assert list(trend["offered"]) == list(days["offered"])
    assert list(trend["service_level"]) == list(days["service_level"])

    # weekday × half-hour heat maps
    slots = kpi.weekday_slot_table(window, slot="30min", settings=settings)
    heat = chart_data(app, {"slot", "offered_per_day", "service_level"})
    assert list(zip(heat["weekday"], heat["slot"], strict=True)) == list(
        zip(slots["weekday"], slots["slot"], strict=True)
    )
    assert list(heat["offered_per_day"]) == list(slots["offered_per_day"])
    assert list(heat["service_level"]) == list(slots["service_level"])

    # the breakdown by queue (the default dimension, a cube dimension)
    expected = kpi.compute(window, by="queue", settings=settings).sort_values(
        "offered", ascending=False
    )
    table = app.dataframe[-1].value
    assert list(table["Queue"]) == [str(q) for q in expected["queue"]]
    assert list(table["Offered"]) == list(expected["offered"].round(0))
    assert list(table["Service level (%)"]) == list((expected["service_level"] * 100).round(1))
    assert list(table["FCR (%)"]) == list((expected["fcr_rate"] * 100).round(1))


@pytest.mark.parametrize(
    ("by", "span", "queue", "params"),
    [
        ("team", "default", False, {}),
        ("agent", "whole", False, {}),
        ("category", "whole", True, {"sl": "45"}),
        ("team", "default", True, {"sl": "30", "sa": "10", "slf": "answered"}),
    ],
)
def test_a_breakdown_by_another_dimension_comes_from_its_day_cube(
    app, flagged_calls, sources, by, span, queue, params
):
    """Breakdown by team / agent / category: from the day × queue × <dimension> cube
    (``common.aggregate_source``), equal to ``kpi.compute`` on the prepared calls of the
    same window, queue filter and settings (counts and whole seconds: exact sums)."""
    settings = KpiSettings(
        sl_threshold_s=float(params.get("sl", 20)),
        short_abandon_s=float(params.get("sa", 5)),
        sl_formula=params.get("slf", "offered_excl_short"),
    )
    if span == "whole":
        start, end = pd.Timestamp(FULL_SPAN[0]), pd.Timestamp(FULL_SPAN[1]) + pd.Timedelta(days=1)
        params = {**params, "from": FULL_SPAN[0], "to": FULL_SPAN[1]}
    else:
        start, end = default_window(flagged_calls)
    filters, dims = None, (by,)
    if queue:
        name = sorted(flagged_calls["queue"].dropna().unique().astype(str))[1]
        params, filters, dims = {**params, "queue": name}, {"queue": [name]}, ("queue", by)
    app.query_params.update(params)
    run(app)
    run(app.segmented_control(key="breakdown_by").set_value(by))
    assert (dims, None, "cube") in sources, sources
    assert (dims, None, "calls") not in sources, sources

    expected = kpi.compute(kpi.subset(flagged_calls, start, end, filters), by=by, settings=settings)
    # the cached table behind the breakdown, unformatted
    ctx = app.session_state["_context"]
    pd.testing.assert_frame_equal(
        common.breakdown(ctx, by=by), expected, check_exact=True, check_categorical=False
    )
    expected = expected.sort_values("offered", ascending=False)
    table = app.dataframe[-1].value
    blank = i18n.EN["dim.missing"]  # calls without a value form their own row
    assert list(table[i18n.EN[f"dim.{by}"]]) == [
        blank if pd.isna(v) else str(v) for v in expected[by]
    ]
    for column, values in [  # NaN where a row has no FCR-eligible call: equal as NaN
        ("Offered", expected["offered"].round(0)),
        ("Service level (%)", (expected["service_level"] * 100).round(1)),
        ("FCR (%)", (expected["fcr_rate"] * 100).round(1)),
    ]:
        np.testing.assert_array_equal(
            table[column].to_numpy(float), values.to_numpy(float), err_msg=column
        )


def test_fcr_on_the_cube_is_the_fcr_of_the_whole_data_set(flagged_calls):
    """The cube carries the FCR flags computed on the whole frame before any filter (a
    repeat call after the window's end counts against a call inside it), so FCR from the
    cube equals FCR from the calls for any window, and differs from flags computed on the
    window alone."""
    from ccmetrics.cube import build_cube

    cube = build_cube(flagged_calls, common.CUBE_FREQ, list(common.CUBE_DIMS), KpiSettings())
    start, end = pd.Timestamp("2025-02-01"), pd.Timestamp("2025-02-08")
    on_calls = kpi.compute(kpi.subset(flagged_calls, start, end)).iloc[0]
    on_cube = kpi.compute(kpi.subset(cube, start, end)).iloc[0]
    assert (on_cube["fcr_rate"], on_cube["fcr_n"]) == (on_calls["fcr_rate"], on_calls["fcr_n"])
    window_only = kpi.add_fcr_flags(
        kpi.subset(flagged_calls.drop(columns=["fcr_eligible", "fcr_resolved"]), start, end)
    )
    assert kpi.compute(window_only).iloc[0]["fcr_n"] != on_cube["fcr_n"]


def test_a_large_dataset_builds_its_cube_only_for_a_long_window(flagged_calls, monkeypatch):
    """The cost rule of ``common.aggregate_source``: with the cube not built for the settings
    in force, a large dataset keeps a short window on the calls and builds the cube for a
    long one; once built, the cube serves every window. Interval exports and other
    dimensions never use it."""
    monkeypatch.setattr(common_aggregates, "CUBE_ALWAYS_CALLS", 0)  # the sample counts as large
    monkeypatch.setattr(common_aggregates, "_built_cubes", set())
    monkeypatch.setattr(common_aggregates, "_built_indexes", set())
    common._cube.clear()
    common._dim_cube.clear()
    common._cube_index.clear()
    settings = KpiSettings(sl_threshold_s=33)
    dataset = common.Dataset(
        key="test-cost-rule",
        name="sample",
        kind="calls",
        frame=flagged_calls,
        first_day=dt.date(2025, 1, 1),
        last_day=dt.date(2025, 3, 31),
        is_sample=True,
    )

    def context(start, end, queues=(), settings=settings):
        return common.Context("en", dataset, settings, start, end, queues)

    def kind(frame):
        return "cube" if "interval_start" in frame.columns else "calls"

    week = context(dt.date(2025, 3, 1), dt.date(2025, 3, 7))
    quarter = context(dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    assert kind(common.aggregate_source(week, (), "D")) == "calls"  # 7 of 90 days
    assert kind(common.aggregate_source(quarter, (), "D")) == "cube"  # builds it
    assert kind(common.aggregate_source(week, ("queue",), "D")) == "cube"  # now built
    # another threshold: an update of the CubeIndex already built (cheap), any window
    other = KpiSettings(sl_threshold_s=34)
    week_other = context(dt.date(2025, 3, 1), dt.date(2025, 3, 7), settings=other)
    assert kind(common.aggregate_source(week_other, (), "D")) == "cube"
    assert common.aggregate_source(week_other, (), "D").attrs["ccmetrics_settings"] == {
        **common.aggregate_source(week, (), "D").attrs["ccmetrics_settings"],
        "sl_threshold_s": 34.0,
    }
    # a breakdown by team: its day × queue × team cube is not built yet, so a week stays
    # on the calls and a quarter builds it; then a week (and a queue filter) uses it
    assert kind(common.aggregate_source(week, ("team",), None, by="team")) == "calls"
    by_team = common.aggregate_source(quarter, ("team",), None, by="team")
    assert kind(by_team) == "cube"
    from ccmetrics.cube import build_cube

    pd.testing.assert_frame_equal(
        by_team, build_cube(flagged_calls, "D", ["queue", "team"], settings), check_exact=True
    )
    assert kind(common.aggregate_source(week, ("queue", "team"), None, by="team")) == "cube"
    assert kind(common.aggregate_source(week_other, ("team",), "W", by="team")) == "cube"
    # the day cube answers whole days grouped by one dimension only
    assert kind(common.aggregate_source(quarter, ("team",), "h", by="team")) == "calls"
    noon = (pd.Timestamp("2025-01-01 12:00"), pd.Timestamp("2025-03-31"))
    assert kind(common.aggregate_source(quarter, ("team",), None, *noon, by="team")) == "calls"
    assert kind(common.aggregate_source(quarter, ("team",), None)) == "calls"  # a team filter
    assert kind(common.aggregate_source(quarter, ("segment", "team"), None, by="team")) == "calls"
    assert kind(common.aggregate_source(quarter, (), "15min")) == "calls"  # finer than 30 min
    assert kind(common.aggregate_source(quarter, ("segment",), "D")) == "calls"
    intervals = common.Context(
        "en",
        common.Dataset(
            "test-intervals",
            "i",
            "intervals",
            pd.DataFrame({"interval_start": []}),
            dt.date(2025, 1, 1),
            dt.date(2025, 3, 31),
            False,
        ),
        settings,
        dt.date(2025, 1, 1),
        dt.date(2025, 3, 31),
        (),
    )
    assert common.aggregate_source(intervals, (), "D") is intervals.dataset.frame  # the export
