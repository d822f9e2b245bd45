"""AppTest of the cost and quality sections (pages/quality_section.py) on a small upload.

The export below is built here: 8 agents × 24 answered calls over two days plus 4
abandoned calls. Agent i has ACW 20 + 10·i seconds and ERRORS[i] business errors of
its 24 calls; every answered call costs 3.00; the first call of each agent each day
is a complaint; an error call has entry completeness 0.5, the others 1. The expected
values are counted by hand below and the ones that come from a statistic are
recomputed with the ccmetrics function the page calls (ccmetrics.quality, whose own
tests check it against scipy).
"""

from __future__ import annotations

import json

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from ccmetrics import i18n, io, kpis, quality
from tests.app.helpers import run

ERRORS = (9, 8, 8, 5, 4, 3, 1, 2)
CALLS_PER_DAY = 12


def export(with_cost: bool = True) -> bytes:
    header = ["call_id", "arrived_at", "wait_s", "answered", "talk_s", "acw_s", "agent", "team"]
    header += (
        ["cost", "complaint", "business_error", "entry_completeness"]
        if with_cost
        else ["complaint"]
    )
    lines = [",".join(header)]
    call = 0
    for day_index, day in enumerate(("2025-01-06", "2025-01-07")):
        for agent, errors in enumerate(ERRORS):
            for j in range(CALLS_PER_DAY):
                call += 1
                # errors on the agent's first calls: day 1 takes ceil(E/2), day 2 the rest
                first_day = (errors + 1) // 2
                is_error = j < first_day if day_index == 0 else j < errors - first_day
                time = f"{day} {8 + j:02d}:{agent * 5:02d}:00"
                row = [str(call), time, "10", "Y", "120", str(20 + 10 * agent), f"A{agent}"]
                row.append("T1" if agent < 4 else "T2")
                if with_cost:
                    row += ["3.00", "Y" if j == 0 else "N", "Y" if is_error else "N"]
                    row.append("0.5" if is_error else "1")
                else:
                    row.append("Y" if j == 0 else "N")
                lines.append(",".join(row))
        for k in range(2):
            call += 1
            blanks = ",,,," if with_cost else ","
            lines.append(f"{call},{day} 09:3{k}:00,60,N,,,,{blanks}")
    return ("\n".join(lines) + "\n").encode()


def upload(app: AppTest, data: bytes, lang: str) -> AppTest:
    app.query_params["lang"] = lang
    run(app)
    run(app.switch_page("pages/data_page.py"))
    app.file_uploader(key="uploader").set_value(("quality.csv", data, "text/csv"))
    return run(app)


def quality_table(at: AppTest, lang: str) -> dict[str, str]:
    """The Overview's cost and quality table as {tile name: value this period}."""
    kpi_col, current_col = i18n.t("quality.col_kpi", lang), i18n.t("quality.col_current", lang)
    for frame in (df.value for df in at.dataframe):
        if kpi_col in frame.columns:
            return dict(zip(frame[kpi_col], frame[current_col], strict=True))
    return {}


def chart(at: AppTest, name: str, column: str = "acw_s") -> pd.DataFrame:
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        if spec.get("usermeta", {}).get("chart") == name:
            frames = [pa.ipc.open_stream(d.data.data).read_pandas() for d in element.proto.datasets]
            return next(f for f in frames if column in f.columns)
    raise AssertionError(f"no chart {name} on the page")


def texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown] + [c.value for c in at.caption]


def test_the_export_counts():
    frame = io.load(export()).frame
    assert len(frame) == 8 * 24 + 4
    answered = frame[frame["answered"]]
    errors = answered.groupby("agent", observed=True)["business_error"].sum()
    assert errors.tolist() == list(ERRORS)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_overview_shows_the_cost_and_quality_table(app, lang):
    at = upload(app, export(), lang)
    run(at.switch_page("pages/overview_page.py"))
    shown = quality_table(at, lang)
    assert list(shown) == [i18n.t(f"tile.{name}", lang) for name in kpis.QUALITY_KPIS]
    # 192 answered calls at 3.00 each: 3.00 per call
    assert shown[i18n.t("tile.cost_per_call", lang)] == "3.00"
    # handle 120 + (20 + 10 i) s for 24 calls of each agent i: Σ = 24 × (8 × 140 + 10 × 28)
    # = 33,600 s = 560 min; 576 / 560 = 1.03
    assert shown[i18n.t("tile.cost_per_minute", lang)] == "1.03"
    # 16 complaints (one per agent per day) of 192: 8.3 %; 40 errors of 192: 20.8 %
    assert shown[i18n.t("tile.complaint_rate", lang)] == "8.3%"
    assert shown[i18n.t("tile.error_rate", lang)] == "20.8%"
    # (152 × 1 + 40 × 0.5) / 192 = 172 / 192 = 89.6 %
    assert shown[i18n.t("tile.entry_completeness", lang)] == "89.6%"
    hidden_prefix = i18n.t("quality.hidden", lang, kpis="")[:6]
    assert not [t for t in texts(at) if t.startswith(hidden_prefix)]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_teams_page_shows_the_acw_chart_and_its_reading(app, lang):
    at = upload(app, export(), lang)
    run(at.switch_page("pages/teams_page.py"))
    points = chart(at, "quality_acw").sort_values("acw_s").reset_index(drop=True)
    assert points["acw_s"].tolist() == [20.0 + 10 * i for i in range(8)]
    assert points["quality_pct"].tolist() == pytest.approx([e / 24 * 100 for e in ERRORS])
    assert points["calls"].tolist() == [24.0] * 8
    expected = quality.acw_quality(io.load(export()).frame, "error_rate", min_calls=20)
    assert expected.reading == "shorter_acw_worse"  # r = -0.96 across the 8 agents
    line = chart(at, "quality_acw", "line_acw_s")
    assert line["line_acw_s"].tolist() == [20.0, 90.0]  # the ACW range of the points
    ends = [(expected.intercept + expected.slope * acw) * 100 for acw in (20.0, 90.0)]
    assert line["line_pct"].tolist() == pytest.approx(ends)
    name = i18n.t("kpi.error_rate", lang)
    sentence = i18n.t(
        "quality.reading.shorter_acw_worse", lang, quality=name.lower() if lang == "en" else name
    )
    assert sentence in texts(at)
    stats = [t for t in texts(at) if t.startswith("Pearson r = ")]
    assert len(stats) == 1 and f"{expected.pearson_r:.2f}" in stats[0]
    # the table by agent: cost and quality columns, one row per agent
    tables = [df.value for df in at.dataframe]
    header = i18n.t("header.percent", lang, name=i18n.t("tile.error_rate", lang))
    table = next(t for t in tables if header in t.columns)
    assert len(table) == 8
    assert table[header].tolist() == [round(e / 24 * 100, 1) for e in ERRORS]


def test_missing_cost_is_hidden_with_a_note(app):
    at = upload(app, export(with_cost=False), "en")
    run(at.switch_page("pages/overview_page.py"))
    shown = quality_table(at, "en")
    assert shown == {"Complaint rate": "8.3%"}
    assert "Cost per call" not in shown
    note = i18n.t(
        "quality.hidden",
        "en",
        kpis="Cost per call, Cost per minute, Business error rate, Entry completeness",
    )
    assert note in texts(at)
    run(at.switch_page("pages/teams_page.py"))
    assert i18n.t("quality.no_acw", "en") in texts(at)
