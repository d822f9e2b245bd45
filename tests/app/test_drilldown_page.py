"""AppTest of the Drill-down page (pages/drilldown_page.py) on the bundled sample.

Expected values are recomputed here with ``ccmetrics.drill`` (explain,
decompose, element_calls — whose own tests hold hand-built cubes with known
answers) on the frame the app prepares (the sample loaded, FCR flags on the
whole frame), and formatted with ``ccmetrics.i18n``: the page must show those
numbers and texts, not its own. The surge morning is ``INCIDENTS["surge"]`` of
``ccmetrics.sample`` (2025-03-11 09:00–12:00, category "Data plan (GPRS)" ×
segment "Prepaid").
"""

from __future__ import annotations

import doctest
import io as bytes_io

import pandas as pd
import pytest
import streamlit
from streamlit.testing.v1 import AppTest

from ccmetrics import drill, i18n, io, kpi, sample
from ccmetrics.schema import DIMENSIONS, KpiSettings
from pages import drilldown_page, drilldown_state
from pages.drilldown_page import decode_path, encode_path, resolve_window
from tests.app.helpers import run

TIMEOUT_S = 60
SURGE = sample.INCIDENTS["surge"]
SURGE_START = pd.Timestamp(f"{SURGE['first_date']} {SURGE['time_window'][0]}")
SURGE_END = pd.Timestamp(f"{SURGE['last_date']} {SURGE['time_window'][1]}")
SURGE_LINK = {
    "page": "drill-down",
    "dd_start": SURGE_START.strftime("%Y-%m-%dT%H:%M"),
    "dd_end": SURGE_END.strftime("%Y-%m-%dT%H:%M"),
}
INJECTED = SURGE["dimensions"]  # {"category": "Data plan (GPRS)", "segment": "Prepaid"}


@pytest.fixture(scope="module")
def calls(sample_folder):
    """The sample as the app prepares it: loaded, FCR flags on the whole frame."""
    frame = io.load(sample_folder / "calls.parquet").frame
    return kpi.add_fcr_flags(frame, KpiSettings())


@pytest.fixture(scope="module")
def surge_sl(calls):
    return drill.explain(calls, (SURGE_START, SURGE_END), metric="service_level")


@pytest.fixture
def downloads(monkeypatch):
    """The data of every st.download_button drawn, by label (the page calls st.download_button)."""
    captured: dict[str, bytes] = {}
    original = streamlit.download_button

    def recording(label, data, *args, **kwargs):
        captured[label] = data
        return original(label, data, *args, **kwargs)

    monkeypatch.setattr(streamlit, "download_button", recording)
    return captured


def boxes(at: AppTest) -> list[str]:
    return [box.value for box in [*at.info, *at.success]]


def markdown(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown]


def value_pickers(at: AppTest) -> list:
    """The tree's per-level value selectboxes, root first."""
    return [box for box in at.selectbox if str(box.key).startswith("dd_value_pick_")]


# ---------------------------------------------------------------- pure helpers


def test_docstring_examples():
    # the page's URL helpers (encode_path, resolve_window, ...) live in pages.drilldown_state
    result = doctest.testmod(drilldown_state)
    assert result.attempted >= 8 and result.failed == 0


@pytest.mark.parametrize(
    "items",
    [
        [("category", "Data plan (GPRS)"), ("segment", "Prepaid")],
        [("category", "a|b=c%7C 100%"), ("queue", "x=y"), ("team", None)],
        [("agent", "%25|%3D||==")],
        [],
    ],
)
def test_path_round_trip_survives_separators(items):
    assert decode_path(encode_path(items)) == items


def test_path_reads_like_the_values():
    # the brief's example stays readable in the URL
    text = encode_path([("category", "Data plan (GPRS)"), ("segment", "Prepaid")])
    assert text == "category=Data plan (GPRS)|segment=Prepaid"
    with pytest.raises(ValueError):
        decode_path("category")


def test_window_precedence():
    day = pd.Timestamp("2025-03-11").date()
    # dd_start/dd_end win over an interval
    picked = resolve_window("2025-03-11T09:00", "2025-03-11T12:00", "2025-03-11T10:30", "60", day)
    assert (picked.start, picked.end, picked.source) == (SURGE_START, SURGE_END, "picked")
    # an interval lasts dd_minutes (default 30)
    hour = resolve_window(None, None, "2025-03-11T10:30", "60", day)
    assert (hour.end - hour.start, hour.source) == (pd.Timedelta(minutes=60), "interval")
    half = resolve_window(None, None, "2025-03-11T10:30", None, day)
    assert half.end == pd.Timestamp("2025-03-11 11:00")
    # a reversed or unreadable dd window falls back; the day is the whole day
    whole = resolve_window("2025-03-11T12:00", "2025-03-11T09:00", "garbage", None, day)
    assert (whole.start, whole.end, whole.source) == (
        pd.Timestamp("2025-03-11"),
        pd.Timestamp("2025-03-12"),
        "day",
    )


# ---------------------------------------------------------------- the surge morning


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_surge_morning_shows_the_explanation_of_drill_explain(app, calls, surge_sl, lang):
    app.query_params.update({**SURGE_LINK, "lang": lang})
    run(app)
    assert [t.value for t in app.title] == [i18n.t("nav.drilldown", lang)]
    e = surge_sl
    verdict = {"concentrated": "dd.verdict_concentrated", "broad": "dd.verdict_broad"}
    shown = [box for box in boxes(app) if e.summary[lang] in box]
    assert len(shown) == 1, boxes(app)
    assert i18n.t("dd.verdict", lang, verdict=i18n.t(verdict[e.verdict], lang)) in shown[0]
    # the volume driver names the injected element (drill's own test holds this on the sample)
    assert e.drivers[0]["values"] == INJECTED

    # KPI tiles: the window against the baseline, as drill.explain computed them
    tiles = {metric.label: metric for metric in app.metric}
    table = e.kpis.set_index("kpi")
    for name in ("offered", "service_level", "abandon_rate", "asa_s", "aht_s"):
        tile = tiles[i18n.t(f"tile.{name}", lang)]
        unit = kpi.KPI_UNITS[name]
        assert tile.value == i18n.format_number(table.loc[name, "anomaly"], unit, lang)
        assert tile.delta == i18n.format_change(table.loc[name, "change"], unit, lang)
    # the window's service level is the KPI engine's
    engine = kpi.compute(kpi.subset(calls, SURGE_START, SURGE_END)).iloc[0]["service_level"]
    assert tiles[i18n.t("tile.service_level", lang)].value == i18n.format_number(
        engine, "percent", lang
    )

    # baseline windows: used and skipped ones are named
    used = e.baseline_windows[e.baseline_windows["used"]]
    skipped = e.baseline_windows[e.baseline_windows["excluded"]]
    assert len(used) == 4 and len(skipped) >= 1
    prefix = i18n.t("dd.baseline_used", lang, count=4, source="@", windows="@").split("@")[0]
    caption = next(c.value for c in app.caption if c.value.startswith(prefix))
    for start in [*used["start"], *skipped["start"]]:
        assert start.strftime("%m-%d") in caption


def test_ranked_tables_follow_explain_by_side(app, surge_sl):
    app.query_params.update(SURGE_LINK)
    run(app)
    e = surge_sl
    ranked = [d.value for d in app.dataframe if "Element" in d.value.columns]
    demand, supply = ranked
    for shown, side in ((demand, "demand"), (supply, "supply")):
        expected = e.table[e.table["side"] == side]
        assert len(shown) == len(expected)
        assert list(shown["Service level, window (%)"]) == list(
            (expected["rate_anomaly"] * 100).round(1)
        )
        assert list(shown["Impact (pp)"]) == list((expected["impact"] * 100).round(1))
        assert list(shown["Explains (%)"]) == list((expected["explained_share"] * 100).round(1))
        # the adjusted p with its method named in the header
        assert list(shown["p (Holm)"]) == [drilldown_page.p_text(p) for p in expected["p_adjusted"]]
    # The demand side's root causes come first, starred: service fell from 88 % to 19 % for
    # Prepaid and Youth customers in every category, while Premium (served by the VIP queue,
    # which the surge did not reach) stayed near its baseline, so "segment=Prepaid" and
    # "segment=Youth" are the coarsest elements that hold the change. Before the causes were
    # used the first row was the element of best concentration score, the GPRS category
    # (whose extra calls are the surge: the driver sentence names them as the volume's causes).
    causes = e.causes[e.causes["side"] == "demand"]
    assert list(causes["element"]) == ["segment=Prepaid", "segment=Youth"]
    first = demand.iloc[: len(causes)]
    assert list(first["Element"]) == ["Customer segment=Prepaid", "Customer segment=Youth"]
    assert (first["Finding"] == "★ In the explanation").all()
    assert supply["Element"].str.startswith("Queue=").all()


def test_path_in_the_url_restores_the_tree_and_the_download(app, calls, surge_sl, downloads):
    path = [("category", INJECTED["category"]), ("segment", INJECTED["segment"])]
    app.query_params.update({**SURGE_LINK, "dd_path": encode_path(path), "dd_split": "queue"})
    run(app)
    e = surge_sl
    window = (SURGE_START, SURGE_END)
    pickers = value_pickers(app)
    assert len(pickers) == 3  # category, segment (on the path), then queue (open)
    levels = [
        drill.decompose(calls, window, e.baseline, dim, path=dict(path[:i]))
        for i, dim in enumerate(["category", "segment", "queue"])
    ]
    for picker, level, (_, value) in zip(pickers[:2], levels[:2], path, strict=True):
        assert picker.value == list(level["value"]).index(value)
    assert pickers[2].value == -1
    # the open level splits the node by queue, values in decompose's order (by impact)
    assert pickers[2].options[1:] == [
        f"{v} (explains {i18n.format_number(s, 'percent')})"
        for v, s in zip(levels[2]["value"], levels[2]["explained_share"], strict=True)
    ]
    titles = [m for m in markdown(app) if m.startswith("**Level")]
    node = levels[2].attrs["node"]
    assert titles[2] == (
        "**Level 3 · Category=Data plan (GPRS) & Customer segment=Prepaid** — "
        f"{i18n.format_number(node['value_anomaly'], 'percent')} in the window, baseline "
        f"{i18n.format_number(node['value_baseline'], 'percent')}, "
        f"n = {i18n.format_number(node['n_anomaly'], 'count')}"
    )
    # the calls behind the node: listed and downloadable with every row
    behind = drill.element_calls(calls, dict(path), [window])
    count = i18n.format_number(len(behind), "count")
    assert (
        f"**{count}** calls of **Category=Data plan (GPRS) & Customer segment=Prepaid** in the window."
        in markdown(app)
    )
    data = downloads[f"Download the {count} rows (CSV)"]
    assert data.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(bytes_io.BytesIO(data), encoding="utf-8-sig", dtype=str)
    assert len(table) == len(behind)
    assert list(table["call id"]) == list(behind["call_id"].astype(str))
    assert set(table["category (call reason)"]) == {INJECTED["category"]}
    assert app.query_params["dd_path"] == "category=Data plan (GPRS)|segment=Prepaid"


def test_widgets_change_the_view(app, calls):
    app.query_params.update(SURGE_LINK)
    run(app)
    # the metric picker: explaining the volume names the injected element first
    run(app.selectbox(key="dd_metric_pick").set_value("offered"))
    assert app.query_params["dd_metric"] == "offered"
    volume = drill.explain(calls, (SURGE_START, SURGE_END), metric="offered")
    assert volume.verdict == "concentrated" and volume.table.iloc[0]["values"] == INJECTED
    assert any(volume.summary["en"] in box for box in boxes(app))
    # the tree: open the first category value with the selectbox fallback
    first = value_pickers(app)[0]
    run(first.set_value(0))
    opened = decode_path(app.query_params["dd_path"])
    assert len(opened) == 1 and len(value_pickers(app)) == 2
    # split the node by another dimension, then open its first value
    split = next(s for s in app.segmented_control if str(s.key).startswith("dd_split_pick_"))
    other = next(d for d in DIMENSIONS if i18n.EN[f"dim.{d}"] in split.options and d != split.value)
    run(split.set_value(other))
    assert app.query_params["dd_split"] == other
    assert any(m.startswith("**Level 2") for m in markdown(app))
    run(value_pickers(app)[1].set_value(0))
    assert len(decode_path(app.query_params["dd_path"])) == 2
    assert len(value_pickers(app)) == 3
    # stop at the root again
    run(value_pickers(app)[0].set_value(-1))
    assert "dd_path" not in app.query_params


def test_window_picker(app):
    app.query_params.update({"page": "drill-down", "day": "2025-03-11"})
    run(app)
    assert "Explaining the whole day **2025-03-11 (Tue) 00:00–24:00**." in markdown(app)[0]
    run(app.selectbox(key="dd_from_pick").set_value("09:00"))
    run(app.selectbox(key="dd_to_pick").set_value("12:00"))
    assert (app.query_params["dd_start"], app.query_params["dd_end"]) == (
        "2025-03-11T09:00",
        "2025-03-11T12:00",
    )
    assert markdown(app)[0] == "Explaining **2025-03-11 (Tue) 09:00–12:00**."
    # a reversed window is refused with a message, the window in force stays
    run(app.selectbox(key="dd_to_pick").set_value("08:00"))
    assert any(w.value == "The window must end after it starts." for w in app.warning)
    assert app.query_params["dd_end"] == "2025-03-11T12:00"


def test_interval_signal_and_a_broken_path(app):
    app.query_params.update(
        {
            "page": "drill-down",
            "day": "2025-03-11",
            "interval": "2025-03-11T09:00",
            "dd_minutes": "60",
            "dd_path": "category=No such category|segment=Prepaid",
        }
    )
    run(app)
    assert markdown(app)[0].startswith("Explaining **2025-03-11 (Tue) 09:00–10:00**")
    assert "(60 min)" in markdown(app)[0]
    assert any("does not exist" in w.value for w in app.warning)
    assert "dd_path" not in app.query_params  # the tree opens at the root


def test_control_chart_handover_becomes_the_window(app):
    """The Control charts page sets day, interval and the point's exact window, then switches here."""
    run(app)
    app.session_state["day"] = "2025-03-11"
    app.session_state["interval"] = "2025-03-11T09:00"
    app.session_state["anomaly_window"] = ("2025-03-11T09:00", "2025-03-11T10:00")
    run(app.switch_page("pages/drilldown_page.py"))
    assert markdown(app)[0] == (
        "Explaining **2025-03-11 (Tue) 09:00–10:00**: the period picked on a control chart."
    )
    assert (app.query_params["dd_start"], app.query_params["dd_end"]) == (
        "2025-03-11T09:00",
        "2025-03-11T10:00",
    )
    # a later Overview click on another day (a new signal): the handed-over window is stale
    run(app.switch_page("pages/overview_page.py"))
    run(app.selectbox(key="open_day_choice").set_value("2025-03-17"))
    run(app.button(key="open_day_button").click())
    assert "dd_start" not in app.query_params
    assert markdown(app)[0].startswith("Explaining the whole day **2025-03-17 (Mon)")


def test_choices_survive_a_language_switch(app, calls):
    """Every choice keeps its value when the language flips, and is sent again under its new
    label (the browser keeps a choice as its label; a choice not sent again after a switch
    shows a label no option has any more)."""
    path = [("category", INJECTED["category"])]
    app.query_params.update(
        {**SURGE_LINK, "dd_metric": "offered", "dd_padj": "bh", "dd_path": encode_path(path)}
    )
    run(app)
    split = next(s for s in app.segmented_control if str(s.key).startswith("dd_split_pick_"))
    run(split.set_value("queue"))
    opened = drill.decompose(
        calls,
        (SURGE_START, SURGE_END),
        drill.explain(calls, (SURGE_START, SURGE_END), metric="offered").baseline,
        "queue",
        metric="offered",
        path=dict(path),
        p_adjust="bh",
    )
    first_queue = opened["value"].iloc[0]
    run(value_pickers(app)[1].set_value(0))
    chosen_path = [*path, ("queue", first_queue)]
    assert decode_path(app.query_params["dd_path"]) == chosen_path
    for lang in ("zh", "en", "zh"):
        run(app.radio(key="lang").set_value(lang))
        assert not app.error
        assert markdown(app)[0] == i18n.t(
            "dd.window_picked",
            lang,
            window=f"2025-03-11 ({i18n.t('weekday.1', lang)}) 09:00–12:00",
        )
        checks = (
            (app.selectbox(key="dd_metric_pick"), "offered", i18n.t("kpi.offered", lang)),
            (app.selectbox(key="dd_padj_pick"), "bh", i18n.t("dd.adjust_bh", lang)),
            (app.selectbox(key="dd_from_pick"), "09:00", "09:00"),
            (app.selectbox(key="dd_to_pick"), "12:00", "12:00"),
        )
        for box, value, label in checks:
            assert box.value == value, (lang, box.key)
            assert box.proto.set_value and box.proto.raw_value == label, (lang, box.key)
        pickers = value_pickers(app)
        assert len(pickers) == 3  # category and queue on the path, the next level open
        for picker, (_, value) in zip(pickers, chosen_path, strict=False):
            assert picker.proto.set_value, (lang, picker.key)
            label = picker.proto.raw_value
            assert label == picker.options[picker.value + 1]  # option -1 ("stop here") first
            assert label.startswith(f"{value}{'（' if lang == 'zh' else ' ('}"), (lang, label)
        assert pickers[2].value == -1
        assert pickers[2].proto.raw_value == i18n.t("dd.tree_none", lang)
        open_split = next(
            s for s in app.segmented_control if str(s.key).startswith("dd_split_pick_")
        )
        assert open_split.proto.set_value
        assert list(open_split.proto.raw_values) == [i18n.t(f"dim.{open_split.value}", lang)]
        assert decode_path(app.query_params["dd_path"]) == chosen_path
        assert app.query_params["dd_metric"] == "offered"
        assert app.query_params["dd_padj"] == "bh"


@pytest.mark.parametrize("language", ["en", "zh"])
def test_drill_errors_are_shown_by_their_code_in_the_ui_language(monkeypatch, language):
    # drill raises ValueErrors that carry a code (the report translates them the same way);
    # the page must show the translated reason, not the English message.
    monkeypatch.setattr(drilldown_page.common, "lang", lambda: language)
    monkeypatch.setattr(drilldown_page, "tr", lambda key, **params: i18n.t(key, language, **params))
    calls = sample.generate_calls(days=15, scale=0.05)
    calls["csat"] = float("nan")  # no rated call: CSAT cannot be explained
    with pytest.raises(ValueError) as raised:
        drill.explain(calls, ("2025-01-10 09:00", "2025-01-10 10:00"), metric="csat_mean")
    error = raised.value
    assert error.code == "no_metric_data"
    shown = drilldown_page._error_text(error)
    assert shown == i18n.t(
        "dd.error_generic", language, detail=i18n.t("dd.error_no_metric_data", language)
    )
    if language == "zh":
        assert str(error) not in shown
