"""AppTest of the Staffing page (pages/staffing_page.py).

The page must show what ``ccmetrics.staffing`` and ``ccmetrics.forecast`` compute:
every expected number below is recomputed with those functions on the same data
(the bundled sample and its plan ``intervals.csv``) and formatted with
``ccmetrics.i18n``. The what-if expectations are published values: the Call
Centre Helper worked example (100 calls in 30 minutes, AHT 180 s, 80 % in 20 s
needs 14 agents, SL 88.84 %, P(wait) 17.41 %, ASA 7.84 s, occupancy 71.4 %, and 20
scheduled at 30 % shrinkage),
https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io as bytes_io
import json
import math

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from ccmetrics import forecast, i18n, io, kpi, report, sample, staffing, story
from ccmetrics.text import escape_markdown
from tests.app.helpers import run
from tests.conftest import sample_dir

TIMEOUT_S = 90
PAGE = "staffing"
ALL_QUEUES = "all"  # pages/staffing_page.py's code of the "all queues" option
SHORTFALL_DAY = sample.INCIDENTS["staffing_shortfall"]["first_date"]
SURGE_DAY = sample.INCIDENTS["surge"]["first_date"]
STORM_DAY = sample.INCIDENTS["storm"]["first_date"]


@pytest.fixture(scope="module")
def folder():
    return sample_dir()


@pytest.fixture(scope="module")
def calls(folder) -> pd.DataFrame:
    return io.load(folder / "calls.parquet").frame


@pytest.fixture(scope="module")
def plan(folder) -> pd.DataFrame:
    return io.load(folder / "intervals.csv").frame


def one_day(frame: pd.DataFrame, day: str) -> pd.DataFrame:
    start = pd.Timestamp(day)
    return kpi.subset(frame, start, start + pd.Timedelta(days=1))


_CALIBRATIONS: dict = {}


def calibration_of(frame, plan=None, model="erlang_a") -> staffing.Calibration:
    """The page's calibration: the whole data set with the plan in force, for the model picked."""
    key = (id(frame), id(plan), model)
    if key not in _CALIBRATIONS:
        _CALIBRATIONS[key] = staffing.calibrate(frame, plan, model=model)
    return _CALIBRATIONS[key]


def expected_day(frame, plan=None, day=SHORTFALL_DAY, **options) -> pd.Series:
    """The page's why_day row: one day, calibrated on the whole data set as the page does."""
    calibration = calibration_of(frame, plan, options.get("model", "erlang_a"))
    table = staffing.why_intervals(
        one_day(frame, day),
        None if plan is None else one_day(plan, day),
        calibration=calibration,
        **options,
    )
    return staffing.why_day(table).iloc[0]


def open_page(app: AppTest, **params) -> AppTest:
    app.query_params.update({"page": PAGE, **params})
    return run(app)


def metrics(at: AppTest) -> dict[str, list[str]]:
    """{label: [value, ...]} (a label may occur twice: Erlang C and Erlang A boxes)."""
    shown: dict[str, list[str]] = {}
    for metric in at.metric:
        shown.setdefault(metric.label, []).append(metric.value)
    return shown


def effect_table(at: AppTest, lang: str = "en") -> dict[str, float]:
    table = next(
        frame.value
        for frame in at.dataframe
        if i18n.t("staff.col_points", lang) in frame.value.columns
    )
    return dict(
        zip(
            table[i18n.t("staff.col_cause", lang)],
            table[i18n.t("staff.col_points", lang)],
            strict=True,
        )
    )


def chart_data(at: AppTest, y_title: str) -> pd.DataFrame:
    """The rows the page sent to the browser for the chart whose y axis has this title."""
    for chart in at.get("vega_lite_chart"):
        spec = json.dumps(json.loads(chart.proto.spec), ensure_ascii=False)
        if json.dumps(y_title, ensure_ascii=False) in spec:
            frames = [pa.ipc.open_stream(d.data.data).read_all() for d in chart.proto.datasets]
            return max((f.to_pandas() for f in frames), key=len)
    raise AssertionError(f"no chart titled {y_title!r}")


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    buffer = bytes_io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def texts(at: AppTest) -> list[str]:
    return [
        element.value for kind in ("info", "caption", "markdown") for element in getattr(at, kind)
    ]


# ---------------------------------------------------------------- the day


def test_shortfall_day_is_attributed_to_staffing_as_why_day_says(app, calls, plan):
    at = open_page(app, day=SHORTFALL_DAY)
    assert [t.value for t in at.title] == [i18n.EN["nav.staffing"]]
    assert not at.error
    expected = expected_day(calls, plan)
    assert (
        expected["main_cause"] == "staffing"
    )  # the injected incident (tests/unit/test_staffing_sample.py)
    shown = metrics(at)
    assert shown[i18n.EN["staff.tile_cause"]] == [i18n.EN["staff.effect_staffing"]]
    assert shown[i18n.EN["staff.tile_measured"]] == [
        i18n.format_number(expected["measured_sl"], "percent")
    ]
    assert shown[i18n.EN["staff.tile_model"]] == [
        i18n.format_number(expected["model_sl"], "percent")
    ]
    assert shown[i18n.EN["staff.tile_staffed"]] == [
        i18n.format_number(expected["staffed_hours"], "count")
    ]
    # the waterfall's effects are why_day's Shapley split, in points
    assert effect_table(at) == {
        i18n.EN["staff.effect_volume"]: round(expected["shapley_volume"] * 100, 1),
        i18n.EN["staff.effect_aht"]: round(expected["shapley_aht"] * 100, 1),
        i18n.EN["staff.effect_staffing"]: round(expected["shapley_staffing"] * 100, 1),
        i18n.EN["staff.effect_other"]: round(expected["unexplained"] * 100, 1),
    }
    assert staffing.why_summary(expected)["en"] in texts(at)
    # the class table counts the intervals why_day counts
    classes = next(f.value for f in at.dataframe if i18n.EN["staff.col_meaning"] in f.value.columns)
    counted = dict(
        zip(
            classes[i18n.EN["staff.col_class"]],
            classes[i18n.EN["staff.col_intervals"]],
            strict=True,
        )
    )
    assert counted == {
        staffing.INTERVAL_CLASSES[code]["en"]: int(expected[f"n_{code}"])
        for code in staffing.INTERVAL_CLASSES
        if expected[f"n_{code}"] > 0
    }
    assert counted[staffing.INTERVAL_CLASSES["adherence_gap"]["en"]] == max(counted.values())


def test_widgets_change_the_attribution_and_the_day(app, calls, plan):
    at = open_page(app, day=SHORTFALL_DAY)
    run(at.segmented_control(key="staff_attr").set_value("sequential"))
    expected = expected_day(calls, plan)
    table = effect_table(at)
    assert table[i18n.EN["staff.effect_staffing"]] == round(expected["seq_staffing"] * 100, 1)
    assert table[i18n.EN["staff.effect_volume"]] == round(expected["seq_volume"] * 100, 1)
    assert at.query_params["st_attr"] == "sequential"

    run(at.segmented_control(key="staff_model").set_value("erlang_c"))
    erlang_c = expected_day(calls, plan, model="erlang_c")
    assert metrics(at)[i18n.EN["staff.tile_model"]] == [
        i18n.format_number(erlang_c["model_sl"], "percent")
    ]
    assert at.query_params["st_model"] == "erlang_c"

    # another day: the surge morning's day is mainly volume
    run(at.date_input(key="staff_day").set_value(dt.date.fromisoformat(SURGE_DAY)))
    surge = expected_day(calls, plan, day=SURGE_DAY, model="erlang_c")
    assert surge["main_cause"] == "volume"
    assert metrics(at)[i18n.EN["staff.tile_cause"]] == [i18n.EN["staff.effect_volume"]]
    assert at.query_params["day"] == SURGE_DAY
    assert at.session_state["day"] == SURGE_DAY


# ---------------------------------------------------------------- what-if


def test_whatif_reproduces_the_published_example(app):
    at = open_page(app)
    c_box, a_box = 0, 1
    # another load first, so that the published answer below is not just the defaults
    run(at.number_input(key="staff_calls").set_value(200))
    assert at.query_params["st_calls"] == "200"
    assert metrics(at)[i18n.EN["staff.required"]][c_box] == str(
        staffing.agents_required(200, 1800, 180, 0.8, 20)
    )
    at.number_input(key="staff_calls").set_value(100)
    at.selectbox(key="staff_len").set_value(30)
    at.number_input(key="staff_aht").set_value(180)
    at.number_input(key="staff_thr").set_value(20)
    at.number_input(key="staff_tgt").set_value(80)
    run(at.number_input(key="staff_shr").set_value(30))
    assert "st_calls" not in at.query_params  # back to the default: left out of the URL
    shown = metrics(at)
    assert shown[i18n.EN["staff.required"]][c_box] == "14"  # Call Centre Helper: 14 agents
    assert shown[i18n.EN["staff.scheduled"].format(shrinkage="30%")][c_box] == "20"  # 14 / 0.7
    # SL 88.84 %, P(wait) 17.41 %, ASA 7.84 s, occupancy 71.4 % (published), as shown
    assert i18n.EN["staff.at_required_c"].format(
        agents=14, sl="88.8%", p_wait="17.4%", asa="7.8 s", occupancy="71.4%"
    ) in texts(at)
    # Erlang A beside it: ccmetrics' own answer for patience 300 s
    required_a = staffing.agents_required(100, 1800, 180, 0.8, 20, model="erlang_a", patience_s=300)
    assert shown[i18n.EN["staff.required"]][a_box] == str(required_a)
    assert shown[i18n.EN["staff.scheduled"].format(shrinkage="30%")][a_box] == str(
        math.ceil(required_a / 0.7)
    )
    curve = next(f.value for f in at.dataframe if i18n.EN["staff.col_c_sl"] in f.value.columns)
    at_14 = curve[curve[i18n.EN["staff.col_agents"]] == 14].iloc[0]
    assert at_14[i18n.EN["staff.col_c_sl"]] == 88.8
    # occupancy of both models side by side: Erlang C 71.4 % (published), Erlang A 70.4 %
    # (pyworkforce's 0.704297, the value the occupancy panel below is checked against)
    assert at_14[i18n.EN["staff.col_c_occupancy"]] == 71.4
    assert at_14[i18n.EN["staff.col_a_occupancy"]] == 70.4
    columns = list(curve.columns)
    assert columns.index(i18n.EN["staff.col_a_occupancy"]) == (
        columns.index(i18n.EN["staff.col_a_asa"]) + 1
    )

    # the occupancy panel shows both models: Erlang A's is the answered load per agent
    occupancy = chart_data(at, i18n.EN["kpi.occupancy"])
    assert set(occupancy["column"]) == {"erlang_c_occupancy", "erlang_a_occupancy"}
    expected_curve = staffing.staffing_curve(
        100, 1800, 180, 20, occupancy["agents"].unique().tolist(), patience_s=300
    ).set_index("agents")
    for row in occupancy.itertuples():
        assert row.value == pytest.approx(expected_curve.loc[row.agents, row.column], rel=1e-12)
    at_14 = occupancy[(occupancy["agents"] == 14) & (occupancy["column"] == "erlang_a_occupancy")]
    assert round(float(at_14["value"].iloc[0]), 6) == 0.704297  # pyworkforce's Erlang A value

    run(at.number_input(key="staff_pat").set_value(60))
    assert metrics(at)[i18n.EN["staff.required"]][a_box] == str(
        staffing.agents_required(100, 1800, 180, 0.8, 20, model="erlang_a", patience_s=60)
    )
    assert at.query_params["st_pat"] == "60"


def test_fill_from_the_busiest_interval(app, calls, plan):
    at = open_page(app, day=SHORTFALL_DAY)
    run(at.button(key="staff_fill").click())
    table = staffing.why_intervals(one_day(calls, SHORTFALL_DAY), one_day(plan, SHORTFALL_DAY))
    per_interval = staffing.why_day(table, by="interval_start")
    busiest = per_interval.loc[per_interval["offered"].idxmax()]
    patience = staffing.estimate_patience(table["abandoned"].sum(), table["wait_s_total"].sum())
    assert at.number_input(key="staff_calls").value == round(busiest["offered"])
    assert at.number_input(key="staff_aht").value == round(busiest["aht_s"])
    assert at.number_input(key="staff_pat").value == round(patience)
    assert at.query_params["st_calls"] == str(round(busiest["offered"]))


# ---------------------------------------------------------------- PNG of every chart

#: The charts of the page on the sample (with its plan and weather), in page order: the
#: day's waterfall, calls, agents and service level, the four what-if panels, the forecast
#: accuracy and the page's own forecast.
CHARTS = (
    "waterfall",
    "calls",
    "agents",
    "sl",
    "whatif_sl",
    "whatif_asa",
    "whatif_occupancy",
    "whatif_abandon",
    "accuracy",
    "own_forecast",
)


def page_elements(at: AppTest) -> list:
    """The elements of the main area in page order (containers walked depth first)."""
    return [node for node in at.main if not hasattr(node, "children")]


def test_every_chart_has_a_png_download_under_it(app, downloads, monkeypatch):
    at = open_page(app, day=SHORTFALL_DAY)
    elements = page_elements(at)
    charts = [i for i, node in enumerate(elements) if node.type == "vega_lite_chart"]
    assert len(charts) == len(CHARTS)
    for index, name in zip(charts, CHARTS, strict=True):
        button = elements[index + 1]  # right under the chart
        assert button.type == "download_button", name
        assert button.label == i18n.EN["report.download_png"], name
        assert button.key == f"staff_{name}_chart_png"
    pngs = {name: item for name, item in downloads.items() if name and name.endswith(".png")}
    assert sorted(pngs) == sorted(
        [
            f"staffing_waterfall_{SHORTFALL_DAY}.png",
            f"staffing_calls_{SHORTFALL_DAY}.png",
            f"staffing_agents_{SHORTFALL_DAY}.png",
            f"staffing_service_level_{SHORTFALL_DAY}.png",
            "staffing_whatif_sl.png",
            "staffing_whatif_asa.png",
            "staffing_whatif_occupancy.png",
            "staffing_whatif_abandon.png",
            "staffing_forecast_accuracy_2025-03-04_2025-03-31.png",
            "staffing_own_forecast_2025-03-31.png",
        ]
    )
    label, render = pngs[f"staffing_waterfall_{SHORTFALL_DAY}.png"]
    assert callable(render)  # rendered only when clicked
    image = render()
    assert image[:8] == b"\x89PNG\r\n\x1a\n"

    # in Chinese: the label translated, the image asks for the CJK-first fonts
    rendered = []
    monkeypatch.setattr(report, "chart_to_png", lambda spec: rendered.append(spec) or b"png")
    downloads.clear()
    run(at.radio(key="lang").set_value("zh"))
    label, render = downloads[f"staffing_agents_{SHORTFALL_DAY}.png"]
    assert label == i18n.ZH["report.download_png"]
    assert render() == b"png"
    assert rendered[0]["config"]["font"] == report.FONT_STACK
    assert i18n.ZH["staff.axis_agents"] in json.dumps(rendered[0], ensure_ascii=False)


# ---------------------------------------------------------------- language and deep links


def test_chinese_labels(app, calls, plan):
    at = open_page(app, day=SHORTFALL_DAY, lang="zh")
    assert [t.value for t in at.title] == [i18n.ZH["nav.staffing"]]
    expected = expected_day(calls, plan)
    shown = metrics(at)
    assert shown[i18n.ZH["staff.tile_cause"]] == [i18n.ZH["staff.effect_staffing"]]
    assert staffing.why_summary(expected)["zh"] in texts(at)
    assert set(effect_table(at, "zh")) == {
        i18n.ZH[f"staff.effect_{name}"] for name in ("volume", "aht", "staffing", "other")
    }
    classes = next(f.value for f in at.dataframe if i18n.ZH["staff.col_meaning"] in f.value.columns)
    assert staffing.INTERVAL_CLASSES["adherence_gap"]["zh"] in set(
        classes[i18n.ZH["staff.col_class"]]
    )
    assert staffing.INTERVAL_CLASS_HELP["adherence_gap"]["zh"] in set(
        classes[i18n.ZH["staff.col_meaning"]]
    )
    assert i18n.ZH["staff.required"] in shown
    # the bundled weather.csv's columns (rain, storm, temperature_c) are named in Chinese
    drivers = next(f.value for f in at.dataframe if i18n.ZH["staff.col_driver"] in f.value.columns)
    assert sorted(drivers[i18n.ZH["staff.col_driver"]]) == sorted(
        i18n.ZH[f"driver.{name}"] for name in ("rain", "storm", "temperature_c")
    )
    assert (
        at.segmented_control(key="staff_model").format_func("erlang_a")
        == i18n.ZH["staff.model_erlang_a"]
    )


def test_choices_survive_a_language_switch(app, calls, plan):
    # Option values are language-independent codes and the labels come from format_func;
    # the browser sends back the label it shows, so after a switch the old label must map
    # back to the same value, and the widget must be sent its new label (set_value) or
    # the browser would show it unselected.
    at = open_page(app, day=SHORTFALL_DAY)
    run(at.segmented_control(key="staff_model").set_value("erlang_c"))
    run(at.segmented_control(key="staff_attr").set_value("sequential"))
    run(at.selectbox(key="staff_len").set_value(15))
    run(at.selectbox(key="staff_queue").set_value("VIP"))
    run(at.selectbox(key="staff_queue").set_value(ALL_QUEUES))  # the translated option
    chosen = {
        ("segmented_control", "staff_model"): "erlang_c",
        ("segmented_control", "staff_attr"): "sequential",
        ("selectbox", "staff_queue"): ALL_QUEUES,
        ("selectbox", "staff_len"): 15,
    }
    expected = expected_day(calls, plan, model="erlang_c")
    for lang, table in (("zh", i18n.ZH), ("en", i18n.EN), ("zh", i18n.ZH)):
        run(at.radio(key="lang").set_value(lang))
        assert [t.value for t in at.title] == [table["nav.staffing"]]
        assert not at.error
        for (kind, key), value in chosen.items():
            assert getattr(at, kind)(key=key).value == value, (lang, key)
        model = at.segmented_control(key="staff_model")
        assert model.options == [table["staff.model_erlang_a"], table["staff.model_erlang_c"]]
        assert model.formatted_values == [table["staff.model_erlang_c"]]
        assert list(model.proto.raw_values) == [table["staff.model_erlang_c"]]  # sent again
        assert model.proto.set_value
        attr = at.segmented_control(key="staff_attr")
        assert list(attr.proto.raw_values) == [table["staff.attr_sequential"]]
        queue = at.selectbox(key="staff_queue")
        assert queue.options[0] == table["staff.all_queues"]
        assert queue.proto.raw_value == table["staff.all_queues"] and queue.proto.set_value
        # what the choices select is still in force: Erlang C, one at a time, all queues
        assert metrics(at)[table["staff.tile_model"]] == [
            i18n.format_number(expected["model_sl"], "percent", lang)
        ]
        assert effect_table(at, lang)[table["staff.effect_staffing"]] == round(
            expected["seq_staffing"] * 100, 1
        )
        offered = chart_data(at, table["staff.axis_calls"])
        assert offered.loc[offered["column"] == "offered", "calls"].sum() == expected["offered"]
        assert at.query_params["st_model"] == "erlang_c"
        assert at.query_params["st_attr"] == "sequential"
        assert at.query_params["st_len"] == "15"
        assert "st_queue" not in at.query_params  # all queues is the default


def test_deep_link_restores_the_view(app, calls, plan):
    params = {
        "lang": "zh",
        "day": SURGE_DAY,
        "st_model": "erlang_c",
        "st_attr": "sequential",
        "st_queue": "Data services",
        "st_calls": "150",
        "st_aht": "240",
        "st_shr": "25",
        "st_pat": "120",
    }
    at = open_page(app, **params)
    assert at.date_input(key="staff_day").value == dt.date.fromisoformat(SURGE_DAY)
    assert at.segmented_control(key="staff_model").value == "erlang_c"
    assert at.segmented_control(key="staff_attr").value == "sequential"
    assert at.selectbox(key="staff_queue").value == "Data services"
    assert at.number_input(key="staff_calls").value == 150
    assert at.number_input(key="staff_aht").value == 240
    assert at.number_input(key="staff_shr").value == 25
    assert at.number_input(key="staff_pat").value == 120
    for key, value in {"page": PAGE, **params}.items():
        assert at.query_params[key] == value, key
    expected = expected_day(calls, plan, day=SURGE_DAY, model="erlang_c")
    assert effect_table(at, "zh")[i18n.ZH["staff.effect_volume"]] == round(
        expected["seq_volume"] * 100, 1
    )
    required = staffing.agents_required(150, 1800, 240, 0.8, 20)
    assert metrics(at)[i18n.ZH["staff.required"]][0] == str(required)
    assert metrics(at)[i18n.ZH["staff.scheduled"].format(shrinkage="25%")][0] == str(
        staffing.scheduled_agents(required, 0.25)
    )


# ---------------------------------------------------------------- other data


def _upload(name: str, data: bytes, kind: str | None = None) -> dict:
    import hashlib

    return {
        "name": name,
        "digest": hashlib.sha256(data).hexdigest(),
        "data": data,
        "mapping": None,
        "kind": kind,
    }


def test_call_log_without_a_plan_estimates_staffing(app, calls):
    part = kpi.subset(calls, "2025-03-16", "2025-03-18")
    buffer = bytes_io.BytesIO()
    part.to_parquet(buffer, index=False)
    app.session_state["upload"] = _upload("two_days.parquet", buffer.getvalue())
    at = open_page(app, day=SHORTFALL_DAY)
    loaded = io.load(buffer.getvalue()).frame
    expected = expected_day(loaded)
    assert bool(expected["staffed_is_estimate"])
    shown = metrics(at)
    assert shown[i18n.EN["staff.tile_staffed_estimate"]] == [
        i18n.format_number(expected["staffed_hours"], "count")
    ]
    assert [w.value for w in at.warning] == [
        i18n.EN["staff.estimate_warning"].format(occupancy="85.0%")
    ]
    assert i18n.EN["staff.no_forecast"] in [i.value for i in at.info]
    assert i18n.EN["staff.drivers_none"] in [i.value for i in at.info]
    # The story of these two days (no plan: no staffing evidence, so story.decide goes by
    # the drill-down): Monday's only baseline is Sunday, another weekday, so its doubled
    # calls are the calendar, not a demand surge (note baseline_other_weekday); service level
    # fell with no single cause beyond noise. The summary names that cause, as the story and
    # the tile do; the split without a forecast has no volume effect, never "mainly volume".
    told = story.day_story(loaded, SHORTFALL_DAY)
    assert told.cause == "other" and not told.volume_up
    assert "baseline_other_weekday" in told.notes
    assert shown[i18n.EN["staff.tile_cause"]] == [i18n.EN["staff.effect_other"]]
    summary = staffing.why_summary(expected, told.cause)["en"]
    assert math.isnan(expected["shapley_volume"])
    assert "; main cause (the day's story): no single cause beyond noise. " in summary
    assert summary in texts(at)


def test_call_log_without_queue_values(app, calls):
    # An export without a queue column: the loader keeps "queue", all missing, and
    # staffing.staffing_inputs takes it as no queue (it used to raise IndexError).
    data = parquet_bytes(one_day(calls, SHORTFALL_DAY).drop(columns="queue"))
    loaded = io.load(data).frame
    assert "queue" in loaded.columns and loaded["queue"].isna().all()
    app.session_state["upload"] = _upload("no_queues.parquet", data)
    at = open_page(app, day=SHORTFALL_DAY)
    assert not at.error
    expected = expected_day(loaded)
    shown = metrics(at)
    assert shown[i18n.EN["staff.tile_measured"]] == [
        i18n.format_number(expected["measured_sl"], "percent")
    ]
    assert shown[i18n.EN["staff.tile_staffed_estimate"]] == [
        i18n.format_number(expected["staffed_hours"], "count")
    ]
    assert at.selectbox(key="staff_queue").options == [i18n.EN["staff.all_queues"]]


def queue_less_plan(folder, day: str) -> bytes:
    """The bundled interval export of one day summed over queues (forecast AHT weighted by calls)."""
    plan = pd.read_csv(folder / "intervals.csv", parse_dates=["interval_start"])
    plan = one_day(plan, day).assign(
        forecast_handle_s=lambda f: f["forecast_offered"] * f["forecast_aht_s"]
    )
    summed = plan.groupby(["interval_start", "interval_minutes"], as_index=False)[
        ["offered", "forecast_offered", "forecast_handle_s", "scheduled_agents", "staffed_agents"]
    ].sum()
    summed["forecast_aht_s"] = summed["forecast_handle_s"] / summed["forecast_offered"]
    return summed.drop(columns="forecast_handle_s").to_csv(index=False).encode()


def test_plan_without_queues_is_compared_with_all_queues(app, calls, folder):
    # Calls per queue, a plan without queues and the sidebar filtered to one queue: the
    # plan covers every queue, so staffing_inputs compares all the calls with it (never
    # the VIP calls with the whole centre's agents) and its note is shown translated.
    data = parquet_bytes(one_day(calls, SHORTFALL_DAY))
    plan_bytes = queue_less_plan(folder, SHORTFALL_DAY)
    app.session_state["upload"] = _upload("day.parquet", data)
    app.session_state["staff_plan"] = {
        "name": "plan.csv",
        "digest": hashlib.sha256(plan_bytes).hexdigest(),
        "data": plan_bytes,
    }
    at = open_page(app, day=SHORTFALL_DAY, queue="VIP")
    assert at.session_state["queues"] == ["VIP"]
    day_frame, day_plan = io.load(data).frame, io.load(plan_bytes).frame
    table = staffing.why_intervals(
        day_frame, day_plan, calibration=staffing.calibrate(day_frame, day_plan)
    )
    assert [note["code"] for note in table.attrs["notes"]] == ["plan_without_queues"]
    assert set(staffing.INPUT_NOTES) == {
        "plan_without_queues",
        "plan_other_queues",
        "forecast_aht_from_baseline",
    }
    expected = staffing.why_day(table).iloc[0]
    assert i18n.EN["staff.scope_plan_no_queues"] in [w.value for w in at.warning]
    shown = metrics(at)
    assert shown[i18n.EN["staff.tile_offered"]] == [
        i18n.format_number(expected["offered"], "count")
    ]
    loaded = io.load(data).frame
    offered = int(
        (loaded["answered"] | loaded["abandoned"]).sum()
    )  # not the calls ended in the IVR
    assert expected["offered"] == offered  # all queues, not VIP alone
    assert shown[i18n.EN["staff.tile_model"]] == [
        i18n.format_number(expected["model_sl"], "percent")
    ]
    assert shown[i18n.EN["staff.tile_staffed"]] == [
        i18n.format_number(expected["staffed_hours"], "count")
    ]
    assert math.isfinite(expected["shapley_volume"])  # the forecast joined, not NaN
    assert effect_table(at)[i18n.EN["staff.effect_volume"]] == round(
        expected["shapley_volume"] * 100, 1
    )

    # a plan of other queues: the queues of both are named
    elsewhere = pd.read_csv(bytes_io.BytesIO(plan_bytes)).assign(queue="Elsewhere")
    other_bytes = elsewhere.to_csv(index=False).encode()
    at.session_state["staff_plan"] = {
        "name": "other.csv",
        "digest": hashlib.sha256(other_bytes).hexdigest(),
        "data": other_bytes,
    }
    at = run(at)
    assert i18n.EN["staff.scope_plan_other_queues"].format(
        plan_queues="Elsewhere", data_queues="Data services, General, VIP"
    ) in [w.value for w in at.warning]


def test_interval_export_and_uploads_on_the_page(app, folder, plan):
    data = (folder / "intervals.csv").read_bytes()
    app.session_state["upload"] = _upload("intervals.csv", data)
    at = open_page(app, day=SHORTFALL_DAY)
    expected = expected_day(plan)  # the interval file carries its own plan
    assert expected["main_cause"] == "staffing"
    assert metrics(at)[i18n.EN["staff.tile_cause"]] == [i18n.EN["staff.effect_staffing"]]
    assert i18n.EN["staff.source"].format(
        data="intervals.csv", plan=i18n.EN["staff.plan_dataset"]
    ) in texts(at)
    # forecast accuracy of the range an upload opens on (its whole 90 days) against seasonal naive
    start, end = pd.Timestamp("2025-01-01"), pd.Timestamp("2025-04-01")
    frame = kpi.subset(plan, start - pd.Timedelta(days=7), end)
    by_day = forecast.forecast_accuracy(frame, kpi.subset(plan, start, end)).iloc[0]
    accuracy = next(f.value for f in at.dataframe if i18n.EN["staff.col_wape"] in f.value.columns)
    assert accuracy[i18n.EN["staff.col_wape"]].iloc[0] == round(by_day["wape"] * 100, 1)
    assert accuracy[i18n.EN["staff.col_naive_wape"]].iloc[0] == round(by_day["naive_wape"] * 100, 1)

    # a daily driver file uploaded on the page: a campaign on every 5th day
    days = pd.date_range("2025-01-01", "2025-03-31", freq="D")
    drivers = pd.DataFrame(
        {"date": days.strftime("%Y-%m-%d"), "campaign": [int(i % 5 == 0) for i in range(len(days))]}
    )
    driver_bytes = drivers.to_csv(index=False).encode()
    run(
        at.file_uploader(key="staff_drivers_file_0").set_value(
            ("campaigns.csv", driver_bytes, "text/csv")
        )
    )
    effects = forecast.driver_effects(forecast.daily_volume(plan), drivers).iloc[0]
    table = next(f.value for f in at.dataframe if i18n.EN["staff.col_driver"] in f.value.columns)
    assert list(table[i18n.EN["staff.col_driver"]]) == ["campaign"]
    assert table[i18n.EN["staff.col_effect"]].iloc[0] == round(effects["effect"] * 100, 1)

    # a plan without queues beside data with queues: said, not a traceback
    no_queues = pd.read_csv(folder / "intervals.csv").drop(columns="queue")
    no_queues = no_queues.groupby(["interval_start", "interval_minutes"], as_index=False)[
        ["offered", "forecast_offered", "scheduled_agents", "staffed_agents"]
    ].sum()
    run(
        at.file_uploader(key="staff_plan_file_0").set_value(
            ("plan.csv", no_queues.to_csv(index=False).encode(), "text/csv")
        )
    )
    assert i18n.EN["staff.scope_plan_no_queues"] in [w.value for w in at.warning]
    assert not at.error

    # a file that is not a plan: a translated message, the plan in use stays
    run(
        at.file_uploader(key="staff_plan_file_0").set_value(
            ("colours.csv", b"colour,size\nred,3\n", "text/csv")
        )
    )
    assert any(e.value.startswith(i18n.EN["staff.plan_error"].split("{")[0]) for e in at.error)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_driver_file_that_cannot_be_used_is_named_in_the_ui_language(app, lang):
    # forecast.read_drivers' own reason (a date column and no driver), translated, the
    # bundled drivers stay in use
    at = open_page(app, lang=lang)
    run(
        at.file_uploader(key="staff_drivers_file_0").set_value(
            ("dates_only.csv", b"date\n2025-03-01\n2025-03-02\n", "text/csv")
        )
    )
    reason = i18n.t("error.drivers_no_driver_column", lang, file="dates_only.csv", column="date")
    expected = i18n.t("staff.drivers_error", lang, reason=escape_markdown(reason))
    assert expected in [e.value for e in at.error]
    assert "staff_drivers" not in at.session_state
    assert i18n.t("staff.drivers_sample", lang) in "".join(c.value for c in at.caption)
