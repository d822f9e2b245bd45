"""AppTest of the Overview's journey section: it shows what ``ccmetrics.journey`` computes.

The data are small hand-made frames following the IVR contract, put in the session as an
upload whose load returns them (so the test does not depend on how the loader maps IVR
columns); expected values are recomputed with :mod:`ccmetrics.journey`, whose own tests
(tests/unit/test_journey.py) hold the hand calculations. Without IVR columns the section
is a short note. On the bundled sample the section follows whether the sample has IVR data.
"""

from __future__ import annotations

import dataclasses
import io as bytes_io
import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from ccmetrics import i18n, io, journey
from ccmetrics.schema import KpiSettings
from ccmetrics.text import escape_markdown
from pages.common import data as common_data
from tests.app.helpers import run

TIMEOUT_S = 60

#: Seven days of calls; the app's default window (the last 28 days) holds them all.
DAYS = pd.date_range("2025-03-03", periods=7, freq="D")
#: The menu of the test data: path -> (topic, calls a day, of which contained, lost in IVR).
MENU = {
    "Billing > Balance": ("Balance", 6, 3, 1),
    "Billing > Invoice": ("Invoice", 2, 0, 0),
    "Data": ("Data", 3, 1, 0),
    "Roaming > Abroad > Charges": ("<b>Roaming</b> *charges*", 8, 1, 1),
}
#: The topic whose name holds markup.
ROAMING = "<b>Roaming</b> *charges*"


def ivr_calls() -> pd.DataFrame:
    """Calls of :data:`MENU` on each of :data:`DAYS`, canonical columns, IVR-only rows included.

    A queued call waits 5 + 7·k s (k its number that day), is answered unless k is a
    multiple of 4 (then abandoned), talks 120 s, holds 10 s, wraps up 30 s. The topic
    with markup in its name tests that names are shown as text.
    """
    rows = []
    for day in DAYS:
        minute = 0
        for path, (topic, count, contained, lost) in MENU.items():
            for k in range(count):
                minute += 3
                ivr_only = k < contained + lost
                answered = not ivr_only and k % 4 != 0
                rows.append(
                    {
                        "call_id": f"{day:%m%d}-{minute}",
                        "arrived_at": day + pd.Timedelta(hours=9, minutes=minute),
                        "queue": None if ivr_only else "Main",
                        "category": topic,
                        "wait_s": 0.0 if ivr_only else 5.0 + 7.0 * k,
                        "answered": answered,
                        "abandoned": not ivr_only and not answered,
                        "talk_s": 120.0 if answered else np.nan,
                        "hold_s": 10.0 if answered else np.nan,
                        "acw_s": 30.0 if answered else np.nan,
                        "ivr_s": 20.0 + 4.0 * len(journey.split_path(path)) + k,
                        "ivr_contained": k < contained,
                        "ivr_abandoned": contained <= k < contained + lost,
                        "ivr_path": path,
                    }
                )
    frame = pd.DataFrame(rows)
    for column in ("queue", "category"):
        frame[column] = frame[column].astype("category")
    for column in ("ivr_contained", "ivr_abandoned"):
        frame[column] = frame[column].astype("boolean")
    return frame


def without_ivr(frame: pd.DataFrame) -> pd.DataFrame:
    """The queued calls only, without any IVR column (an export without IVR data)."""
    queued = frame[frame["answered"] | frame["abandoned"]]
    return queued.drop(columns=list(journey.IVR_COLUMNS)).reset_index(drop=True)


def loaded(text: str, name: str):
    """The loader's ``LoadResult`` of a small CSV."""
    source = bytes_io.BytesIO(text.encode("utf-8"))
    source.name = name
    return io.load(source)


def use_result(at: AppTest, result, monkeypatch) -> None:
    """Make ``result`` the data in use: an upload whose load returns it."""
    monkeypatch.setattr(common_data, "_load_bytes", lambda *args, **kwargs: result)
    content = int(pd.util.hash_pandas_object(result.frame).sum())
    at.session_state["upload"] = {
        "name": result.source_name,
        "digest": f"journey-test-{result.source_name}-{content}",
        "data": b"",
        "mapping": None,
        "kind": None,
    }


def use_frame(at: AppTest, frame: pd.DataFrame, monkeypatch, name: str) -> None:
    """Make the canonical call frame ``frame`` the data in use.

    The loader reads a one-call CSV for a ``LoadResult`` with every field filled; its
    frame is then replaced by ``frame`` (the test does not rest on how the loader maps
    IVR columns).
    """
    template = loaded(
        "call_id,arrived_at,wait_s,answered,abandoned\nx,2025-03-03 09:00,5,True,False\n", name
    )
    use_result(at, dataclasses.replace(template, frame=frame, file_rows=len(frame)), monkeypatch)


def open_overview(at: AppTest, lang: str = "en") -> AppTest:
    at.query_params.update({"page": "overview", "lang": lang})
    return run(at)


def chart(at: AppTest, name: str) -> pd.DataFrame:
    """The data of the page's chart ``name`` (``usermeta.chart``)."""
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        if spec.get("usermeta", {}).get("chart") == name:
            frames = [
                pa.ipc.open_stream(dataset.data.data).read_pandas()
                for dataset in element.proto.datasets
            ]
            assert len(frames) == 1
            return frames[0]
    raise AssertionError(f"no chart {name} on the page")


def stage_times(at: AppTest, lang: str = "en") -> dict[str, str]:
    """Stage code -> the mean time shown under its name (``**name**`` then ``### time``)."""
    names = {f"**{i18n.t(f'journey.stage.{s}', lang)}**": s for s in journey.STAGES}
    texts = [m.value for m in at.markdown]
    return {
        names[text]: texts[i + 1].removeprefix("### ")
        for i, text in enumerate(texts[:-1])
        if text in names
    }


def frame_of(at: AppTest, column: str) -> pd.DataFrame:
    """The one table of the page with ``column``."""
    found = [d.value for d in at.dataframe if column in d.value.columns]
    assert len(found) == 1, column
    return found[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_section_shows_the_stages_trend_and_menu(app, monkeypatch, lang):
    calls = ivr_calls()
    use_frame(app, calls, monkeypatch, f"ivr_{lang}.csv")
    at = open_overview(app, lang)
    assert i18n.t("journey.title", lang) in [s.value for s in at.subheader]
    assert i18n.t("journey.no_ivr", lang) not in [i.value for i in at.info]

    expected = journey.journey_stages(calls, KpiSettings()).set_index("stage")
    times = stage_times(at, lang)
    assert list(times) == list(expected.index) == ["ivr", "queue", "conversation", "acw"]
    for stage, shown in times.items():
        assert shown == i18n.format_number(expected.loc[stage, "mean_s"], "seconds", lang)
    captions = "\n".join(c.value for c in at.caption)
    ivr = expected.loc["ivr"]
    assert (
        i18n.t(
            "journey.contained",
            lang,
            n=i18n.format_number(ivr["contained"], "count", lang),
            share=i18n.format_number(ivr["contained_share"], "percent", lang),
        )
        in captions
    )

    # the trend lines are journey_trend's values, one per day and stage
    trend = journey.journey_trend(calls, "D", KpiSettings())
    lines = chart(at, "journey_time")
    assert len(lines) == len(trend) == 7 * 4
    queue_days = trend[trend["stage"] == "queue"]["mean_s"].to_numpy()
    shown = lines[lines["stage"] == i18n.t("journey.stage.queue", lang)]["mean_s"].to_numpy()
    np.testing.assert_allclose(shown, queue_days)
    lost = chart(at, "journey_lost")
    contained = lost[lost["measure"] == i18n.t("journey.measure.ivr_contained", lang)]
    np.testing.assert_allclose(
        contained["share"].to_numpy(),
        trend[trend["stage"] == "ivr"]["contained_share"].to_numpy(),
    )

    # the menu table: the full paths of menu_ranking, by agent-handled volume
    menu = journey.menu_ranking(calls)
    paths = menu[menu["level"] == "path"]
    table = frame_of(at, i18n.t("journey.col.option", lang))
    assert list(table[i18n.t("journey.col.option", lang)]) == list(paths["option"])
    assert list(table[i18n.t("journey.col.agent_handled", lang)]) == list(paths["agent_handled"])


def test_topic_flags_are_the_rule_and_names_stay_text(app, monkeypatch):
    calls = ivr_calls()
    use_frame(app, calls, monkeypatch, "ivr_topics.csv")
    at = open_overview(app)
    # By hand, per day: Roaming 8 calls, 1 contained, 1 lost in the IVR, 6 queued of which
    # k = 4 abandons -> 5 answered; Data 3 - 1 contained = 2 answered; Balance 6 - 3 - 1 =
    # 2 queued, k = 4 abandons -> 1; Invoice 2 queued, k = 0 abandons -> 1. Over 7 days:
    # Roaming 35, Data 14, Balance 7, Invoice 7. The menu has 3 top-level options (Billing,
    # Data, Roaming), so the top 3 by rank are Roaming, Data, Balance and Invoice (tied).
    # Roaming is 3 steps deep while Data, answered less, is 1 step deep: it belongs higher.
    # Data (depth 1) is the shallowest; Balance and Invoice (depth 2) have no topic answered
    # less than 7 calls: none of them is flagged.
    topics = journey.topic_ranking(calls).set_index("category")
    assert list(topics["agent_handled"]) == [35, 14, 7, 7]
    assert set(topics.index[topics["belongs_higher"]]) == {ROAMING}
    assert topics.loc[ROAMING, "easier_topic"] == "Data"
    assert i18n.t("journey.topics_rule", top=3) in [c.value for c in at.caption]
    table = frame_of(at, i18n.t("journey.col.topic"))
    shown = table[table[i18n.t("journey.col.belongs_higher")] == i18n.t("journey.flag_yes")]
    assert list(shown[i18n.t("journey.col.topic")]) == [ROAMING]
    # the sentence names the topic as text: escaped in the Markdown, never rendered
    warning = "\n".join(w.value for w in at.warning)
    assert escape_markdown(ROAMING) in warning and ROAMING not in warning


def test_without_ivr_columns_the_section_is_a_note(app, monkeypatch):
    use_frame(app, without_ivr(ivr_calls()), monkeypatch, "no_ivr.csv")
    at = open_overview(app)
    assert i18n.t("journey.no_ivr") in [i.value for i in at.info]
    assert not stage_times(at)
    assert not [d for d in at.dataframe if i18n.t("journey.col.option") in d.value.columns]


def test_on_the_sample_the_section_follows_its_ivr_data(app):
    at = open_overview(app)
    frame = at.session_state["_context"].dataset.frame  # the sample as the app loaded it
    assert i18n.t("journey.title") in [s.value for s in at.subheader]
    if journey.has_ivr(frame):
        assert "ivr" in stage_times(at)
        assert i18n.t("journey.no_ivr") not in [i.value for i in at.info]
    else:
        assert i18n.t("journey.no_ivr") in [i.value for i in at.info]
        assert not stage_times(at)


def test_a_queue_filter_says_what_the_ivr_counts_cover(app, monkeypatch):
    calls = ivr_calls()
    use_frame(app, calls, monkeypatch, "ivr_queue.csv")
    app.query_params.update({"page": "overview", "queue": "Main"})
    at = run(app)
    assert i18n.t("journey.queue_filter") in [c.value for c in at.caption]
    # callers served or lost in the IVR carry no queue: only the queued calls remain
    queued = calls[calls["queue"] == "Main"]
    expected = journey.journey_stages(queued).set_index("stage")
    assert stage_times(at)["ivr"] == i18n.format_number(expected.loc["ivr", "mean_s"], "seconds")


def test_interval_data_get_the_calls_note(app, monkeypatch):
    rows = "\n".join(
        f"2025-03-{day:02d} {hour:02d}:00,60,20,18,2" for day in range(3, 10) for hour in (9, 10)
    )
    result = loaded(
        "interval_start,interval_minutes,offered,answered,abandoned\n" + rows + "\n",
        "intervals.csv",
    )
    assert result.kind == "intervals"
    use_result(app, result, monkeypatch)
    at = open_overview(app)
    assert i18n.t("journey.no_calls") in [i.value for i in at.info]
    assert not stage_times(at)


def test_drilldown_explains_by_the_menu_path(app, monkeypatch):
    """The drill-down page examines ``ivr_path`` and names it with the app's words.

    Five Mondays of 40 calls; on the last, the 20 calls by "Data > Roaming" wait 120 s
    (the others 10 s): the service level drops from 100 % to 50 %, all on that path.
    """
    lines = ["call_id,arrived_at,wait_s,answered,abandoned,queue"]
    paths = []
    for week in range(5):
        day = pd.Timestamp("2025-02-03") + pd.Timedelta(weeks=week)
        for i in range(40):
            path = "Data > Roaming" if i % 2 else "Billing"
            wait = 120 if week == 4 and i % 2 else 10
            arrived = day + pd.Timedelta(hours=9, minutes=i)
            lines.append(f"w{week}c{i},{arrived:%Y-%m-%d %H:%M},{wait},True,False,Q1")
            paths.append(path)
    template = loaded("\n".join(lines) + "\n", "menu_drill.csv")
    frame = template.frame.assign(ivr_path=paths)
    use_result(app, dataclasses.replace(template, frame=frame), monkeypatch)
    # the menu path is examined when asked for (dd_ivr=1, the page's checkbox): by default
    # it is left out, since a menu change makes new paths look like surges for weeks
    app.query_params.update(
        {
            "page": "drill-down",
            "dd_start": "2025-03-03T09:00",
            "dd_end": "2025-03-03T10:00",
            "dd_ivr": "1",
        }
    )
    at = run(app)
    name = i18n.t("dim.ivr_path")
    assert any(name in m.value for m in at.markdown), [m.value for m in at.markdown]
    ranked = [d.value for d in at.dataframe if "Element" in d.value.columns]
    assert ranked and f"{name}=Data > Roaming" in list(ranked[0]["Element"])
