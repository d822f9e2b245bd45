"""Tests of ccmetrics.report: the findings document, its HTML, PPTX and PNG outputs, safe CSV.

Where the expected values come from:

* the report must show the numbers of the functions the app uses, so most expectations are
  computed here independently with ``ccmetrics.kpi`` / ``spc`` / ``drill`` / ``staffing``
  on the same window (the brief: "every number comes from these functions");
* the March findings must be the incidents injected into the shipped sample
  (``ccmetrics.sample.INCIDENTS``, the generator's single source of truth: dates, the
  surge's dimensions, a staffing cause for the shortfall, a storm flag in the weather file);
* escaping and CSV neutralisation are checked against hand-written strings (OWASP's
  CSV-injection rule: a cell starting with =, +, -, @ gets a leading single quote).

The March report on the ~193k-call sample is built once per module (about 2 s); the other
tests use small synthetic frames.
"""

from __future__ import annotations

import csv
import html
import io
import re
import struct
import zipfile
from html.parser import HTMLParser

import numpy as np
import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from ccmetrics import drill, i18n, journey, kpi, report, spc, staffing
from ccmetrics import io as ccio
from ccmetrics.report import (
    build_report,
    candidate_findings,
    chart_pngs,
    control_charts,
    png_zip,
    report_html,
    report_period,
    report_pptx,
    safe_csv_bytes,
    write_report,
)
from ccmetrics.report.headline import headline_kpis
from ccmetrics.sample import INCIDENTS, SAMPLE_DIR
from tests.conftest import IN_CI

CALLS = SAMPLE_DIR / "calls.parquet"
INTERVALS = SAMPLE_DIR / "intervals.csv"
WEATHER = SAMPLE_DIR / "weather.csv"
MARCH = ("2025-03-01", "2025-04-01")
ONE_DAY = pd.Timedelta(days=1)

needs_sample = pytest.mark.skipif(
    not (CALLS.exists() and INTERVALS.exists() and WEATHER.exists()),
    reason="sample data not generated yet (make sample)",
)


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def sample():
    if not (CALLS.exists() and INTERVALS.exists() and WEATHER.exists()):
        pytest.skip("sample data not generated yet (make sample)")
    return {
        "calls": ccio.load(CALLS).frame,
        "intervals": ccio.load(INTERVALS).frame,
        "weather": pd.read_csv(WEATHER),
    }


SURGE_NOTE = "Data-plan offer went out without warning <b>the call center</b> & IT"


@pytest.fixture(scope="module")
def march(sample):
    """The March report in English, with staffing, weather and a note on the surge day."""
    built = build_report(
        sample["calls"],
        start=MARCH[0],
        end=MARCH[1],
        intervals=sample["intervals"],
        drivers=sample["weather"],
        notes={INCIDENTS["surge"]["first_date"]: SURGE_NOTE},
        source="calls.parquet",
    )
    return built, report_html(built)


def section(text: str, section_id: str) -> str:
    """The HTML of one <section id=...>."""
    start = text.index(f'<section id="{section_id}">')
    return text[start : text.index("</section>", start)]


def table_rows(fragment: str) -> list[list[str]]:
    """Cells of every body row of the first table in an HTML fragment."""
    body = fragment[fragment.index("<tbody>") : fragment.index("</tbody>")]
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cell))
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


class TagCollector(HTMLParser):
    """Every start tag of a document (to prove no injected element exists)."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def make_calls(
    *,
    start: str = "2025-02-03",
    days: int = 35,
    per_day: int = 150,
    seed: int = 11,
    categories=("Billing", "Top-up", "Roaming"),
    teams=("T1", "T2", "T3"),
    mean_wait=lambda day: 8.0,
    surge: tuple | None = None,
) -> pd.DataFrame:
    """Synthetic canonical calls: Poisson days, exponential waits, every call answered.

    ``surge = (day, category, extra_calls, wait_s)`` adds calls of one category with a
    fixed wait on one day.
    """
    rng = np.random.default_rng(seed)
    frames = []
    for day in pd.date_range(start, periods=days, freq="D"):
        n = int(rng.poisson(per_day))
        frames.append(
            pd.DataFrame(
                {
                    "arrived_at": day + pd.to_timedelta(rng.uniform(8, 20, n) * 3600, unit="s"),
                    "category": rng.choice(categories, n),
                    "wait_s": rng.exponential(mean_wait(day), n),
                }
            )
        )
        if surge is not None and day == pd.Timestamp(surge[0]):
            extra = int(surge[2])
            frames.append(
                pd.DataFrame(
                    {
                        "arrived_at": day
                        + pd.to_timedelta(rng.uniform(9, 12, extra) * 3600, unit="s"),
                        "category": surge[1],
                        "wait_s": float(surge[3]),
                    }
                )
            )
    calls = pd.concat(frames, ignore_index=True).sort_values("arrived_at", ignore_index=True)
    n = len(calls)
    calls["call_id"] = [f"c{i}" for i in range(n)]
    calls["answered"] = True
    calls["abandoned"] = False
    calls["team"] = rng.choice(teams, n)
    calls["agent"] = [
        f"{team}-{k}" for team, k in zip(calls["team"], rng.integers(1, 4, n), strict=True)
    ]
    calls["talk_s"] = rng.gamma(4.0, 60.0, n)
    calls["hold_s"] = 0.0
    calls["acw_s"] = 30.0
    return calls


# --------------------------------------------------------------------------- the March report


@needs_sample
def test_march_kpi_table_shows_the_kpis_of_ccmetrics_kpi(sample, march):
    built, text = march
    flagged = kpi.add_fcr_flags(sample["calls"])
    current = kpi.compute(kpi.subset(flagged, *MARCH)).iloc[0]
    # previous period of equal length (31 days) just before March
    previous = kpi.compute(kpi.subset(flagged, "2025-01-29", "2025-03-01")).iloc[0]
    rows = {row[0]: row[1:] for row in table_rows(section(text, "kpis"))}
    # the headline's KPIs, then every other KPI of the registry the sample has (its IVR)
    expected_names = [
        name
        for name in headline_kpis(flagged, report.HEADLINE_KPIS)
        if name not in kpi.missing_inputs(flagged) and pd.notna(current[name])
    ]
    assert {"ivr_containment", "ivr_abandon_rate", "ivr_s"} <= set(expected_names)

    def shown_name(name: str) -> str:  # the tile's short name, else the KPI's name
        key = f"tile.{name}" if i18n.has_key(f"tile.{name}", "en") else f"kpi.{name}"
        return i18n.t(key, "en")

    assert list(rows) == [shown_name(name) for name in expected_names]
    for name in expected_names:
        shown_current, shown_previous, shown_change, shown_n = rows[shown_name(name)]
        # the app's decimals: the unit's default, one for the QA score (82.6, as the app)
        decimals = {"qa_mean": 1}.get(name)
        assert shown_current == kpi.format_value(name, current[name], decimals=decimals), name
        assert shown_previous == kpi.format_value(name, previous[name], decimals=decimals), name
        assert shown_n == kpi.format_value("offered", current[kpi.KPI_BASE[name]]), name
        assert shown_change == i18n.format_change(
            current[name] - previous[name], kpi.KPI_UNITS[name], "en", decimals=decimals
        ), name
    # Pinned values of the shipped sample (kpi.compute, seed 20250101), one decimal for %
    # and for the QA score (0-100 scale).
    assert rows["Service level"][0] == "76.7%"
    assert rows["Offered"][0] == "69,310"
    assert rows["QA score"][0] == "82.6"


@needs_sample
def test_march_report_has_an_svg_per_chart_with_the_signals_marked(march):
    built, text = march
    charts = built.all_charts
    assert [c.key for c in built.charts] == ["service_level", "offered", "aht_s"]
    assert text.count("<svg") == len(charts) == 3 + len(built.findings)
    for chart in charts:
        figure = text[text.index(f'<figure id="chart-{chart.key}"') :]
        figure = figure[: figure.index("</figure>")]
        assert figure.count("<svg") == 1 and "role-mark" in figure, chart.key
    # Signal points are drawn in the signal colour: one per signal day of the period.
    for chart in built.charts:
        figure = text[text.index(f'<figure id="chart-{chart.key}"') :]
        figure = figure[: figure.index("</figure>")]
        signals = int(chart.data["signal"].sum())
        assert figure.count('fill="#d62728"') == signals, chart.key
    # Self-contained: no script, no remote resource.
    assert "<script" not in text.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", text)


@needs_sample
def test_march_findings_are_the_injected_incidents(sample, march):
    built, text = march
    ids = [f.id for f in built.findings]
    incident_days = {
        INCIDENTS[name]["first_date"] for name in ("surge", "staffing_shortfall", "storm")
    }
    # No other one-day incident was injected in March: the days beyond the limits are these.
    candidates = built.candidates
    assert set(candidates.loc[candidates["beyond_limits"], "finding"]) == incident_days
    assert set(ids) == incident_days
    for day in incident_days:
        assert f'id="finding-{day}"' in text
    found = {f.id: f for f in built.findings}

    # The surge: extra calls about the GPRS data plan from Prepaid customers.
    surge = found[INCIDENTS["surge"]["first_date"]]
    assert surge.metric == "offered" and surge.explanation.verdict == "concentrated"
    assert surge.path[-1]["values"] == INCIDENTS["surge"]["dimensions"]
    assert surge.staffing["main_cause"] == "volume"
    assert surge.note == SURGE_NOTE
    # sample_data/README.md: the surge day's service level; the surge leads the sentence
    assert surge.bullets[0].startswith("Offered 3,113 against an expected")
    assert "Service level 54.5%" in surge.bullets[0]

    # The shortfall: normal demand, a third of the seats empty -> broad, staffing.
    shortfall = found[INCIDENTS["staffing_shortfall"]["first_date"]]
    assert shortfall.metric == "service_level"
    assert shortfall.staffing["main_cause"] == "staffing"
    assert shortfall.explanation.verdict == "broad"

    # The storm: about 35 % more calls in every category -> broad volume, weather.
    storm = found[INCIDENTS["storm"]["first_date"]]
    assert storm.metric == "offered" and storm.explanation.verdict == "broad"
    assert "storm" in storm.drivers["active"]
    assert storm.staffing["main_cause"] == "volume"
    # The expected calls with and without the weather are those of forecast.driver_contributions.
    from ccmetrics import forecast

    contributions = forecast.driver_contributions(
        forecast.daily_volume(sample["calls"]), sample["weather"]
    ).set_index("date")
    day = contributions.loc[pd.Timestamp(storm.id)]
    assert (
        f"expects {day['fitted']:,.0f} calls with the drivers and {day['baseline']:,.0f} "
        f"without them ({day['offered']:,.0f} offered)"
    ) in storm.bullets[2]


@needs_sample
def test_limits_on_a_quarter_of_history_flag_the_three_service_level_collapses(sample):
    # sample_data/README.md: over the 90 days, a chart of daily service level flags exactly
    # the three one-day incident days; March alone holds all three: its own limits would be
    # widened by them (Laney's sigma_z from the moving ranges) so that only the worst one
    # showed, but the revised limits (spc.kpi_chart(revise=True), as on the Control charts
    # page) leave the days beyond them out and flag all three.
    incident_days = {
        pd.Timestamp(INCIDENTS[name]["first_date"])
        for name in ("surge", "staffing_shortfall", "storm")
    }
    quarter = control_charts(sample["calls"], start=MARCH[0], end=MARCH[1], limit_days=91)
    sl = quarter["service_level"]
    assert sl.attrs["limits_start"] == pd.Timestamp("2025-01-01")
    assert set(sl.index[sl["signal"] & (sl.index >= MARCH[0])]) == incident_days
    march_only = control_charts(sample["calls"], start=MARCH[0], end=MARCH[1])["service_level"]
    assert set(march_only.index[march_only["signal"]]) == incident_days
    assert set(march_only.attrs["revised_out"]) == incident_days


@needs_sample
def test_march_findings_show_what_drill_and_staffing_compute(sample, march):
    built, text = march
    day = pd.Timestamp(INCIDENTS["surge"]["first_date"])
    finding = next(f for f in built.findings if f.date == day)
    explanation = drill.explain(sample["calls"], (day, day + ONE_DAY), metric=finding.metric)
    numbers = finding.numbers.set_index("kpi")
    for _, row in explanation.kpis.set_index("kpi").loc[["service_level", "offered"]].iterrows():
        assert numbers.loc[row.name, "day_text"] == kpi.format_value(row.name, row["anomaly"])
        assert numbers.loc[row.name, "baseline_text"] == kpi.format_value(row.name, row["baseline"])
    assert html.escape(explanation.summary["en"]) in text
    # the staffing model calibrated to the center once (staffing.calibrate), as the app does
    calibration = staffing.calibrate(sample["calls"], sample["intervals"])
    why = staffing.why_day(
        staffing.why_intervals(
            kpi.subset(sample["calls"], day, day + ONE_DAY),
            kpi.subset(sample["intervals"], day, day + ONE_DAY),
            calibration=calibration,
        )
    ).iloc[0]
    assert finding.story.cause == "demand_surge" and why["main_cause"] == "volume"
    assert html.escape(staffing.why_summary(why, finding.story.cause)["en"]) in text
    assert "; mainly volume." in staffing.why_summary(why, finding.story.cause)["en"]
    # The manager's note is shown, escaped.
    assert html.escape(SURGE_NOTE) in text and SURGE_NOTE not in text


@needs_sample
def test_march_findings_tell_the_story_every_page_tells(sample, march):
    """Each finding leads with ccmetrics.story's sentence of its day, the one the app's
    pages show, and the report states the staffing calibration once."""
    from ccmetrics import story

    built, text = march
    calibration = staffing.calibrate(sample["calls"], sample["intervals"])
    assert html.escape(story.calibration_text(calibration, "en")) in text
    causes = {}
    for finding in built.findings:
        told = story.day_story(
            sample["calls"], finding.date, plan=sample["intervals"], calibration=calibration
        )
        assert finding.story_text == story.describe(told, "en")
        assert html.escape(finding.story_text) in text
        causes[finding.id] = told.cause
    assert causes[INCIDENTS["staffing_shortfall"]["first_date"]] == "supply_shortfall"
    assert causes[INCIDENTS["surge"]["first_date"]] == "demand_surge"
    assert causes[INCIDENTS["storm"]["first_date"]] == "demand_surge"


# --------------------------------------------------------------------------- formats and language


SURGE_NOTE_ZH = "流量套餐推广未提前通知呼叫中心"
#: Names of methods that stay in Latin letters in Chinese text (as in the app's zh strings).
METHOD_NAMES = ("Laney", "XmR", "Shapley", "Erlang", "Wilson")
#: Words the Chinese tables keep in Latin letters (IVR 语音导航, IVR 自助解决率).
KEPT_ACRONYMS = ("IVR",)


@pytest.fixture(scope="module")
def march_zh(sample):
    """The March report of :func:`march` in Chinese (same data, staffing, weather, a note)."""
    built = build_report(
        sample["calls"],
        start=MARCH[0],
        end=MARCH[1],
        intervals=sample["intervals"],
        drivers=sample["weather"],
        notes={INCIDENTS["surge"]["first_date"]: SURGE_NOTE_ZH},
        source="calls.parquet",
        lang="zh",
    )
    return built, report_html(built)


def visible_text(document: str) -> str:
    """What a reader sees: the text of the HTML and of the charts' SVG labels, unescaped."""
    document = re.sub(r"<style.*?</style>", " ", document, flags=re.S)
    labels = re.findall(r"<text[^>]*>(.*?)</text>", document, flags=re.S)
    document = re.sub(r"<svg.*?</svg>", " ", document, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", "\n", document) + "\n" + "\n".join(labels))


def without_data_values(text: str, calls: pd.DataFrame, extra=()) -> str:
    """``text`` with the data's own names removed (categories, queues, teams, IVR menu options,
    the file name)."""
    names = {
        str(v)
        for dim in ("queue", "category", "segment", "team", "agent", "channel")
        if dim in calls.columns
        for v in calls[dim].dropna().unique()
    }
    if "ivr_path" in calls.columns:  # the menu's options, whole paths and each choice
        for path in calls["ivr_path"].dropna().unique():
            names |= {str(path), *journey.split_path(path)}
    for name in sorted({*names, *extra, *METHOD_NAMES, *KEPT_ACRONYMS}, key=len, reverse=True):
        text = text.replace(name, " ")
    return text


@needs_sample
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_numbers_are_formatted_as_the_app_formats_them(march, march_zh, lang, monkeypatch):
    """Every headline KPI (and each finding's numbers) reads as the app's fmt/fmt_change of it."""
    from pages import common  # the app's formatting helpers (Overview tiles, tables)
    from pages.common import text as common_text

    monkeypatch.setattr(common_text, "lang", lambda: lang)  # read by fmt, fmt_change, fmt_count
    built = (march if lang == "en" else march_zh)[0]
    assert set(built.kpis["kpi"]) >= {"service_level", "qa_mean", "csat_mean", "aht_s"}
    for row in built.kpis.itertuples():
        assert row.current_text == common.fmt(row.kpi, row.current), row.kpi
        assert row.previous_text == common.fmt(row.kpi, row.previous), row.kpi
        assert row.change_text == common.fmt_change(row.kpi, row.change), row.kpi
        assert row.n_text == common.fmt_count(row.n_current), row.kpi
    # the QA score as the app shows it: one decimal (0-100 scale), not two
    qa = built.kpis.set_index("kpi").loc["qa_mean"]
    assert re.fullmatch(r"\d+\.\d", qa["current_text"]), qa["current_text"]
    for finding in built.findings:
        for row in finding.numbers.itertuples():
            assert row.day_text == common.fmt(row.kpi, row.day), (finding.id, row.kpi)
            assert row.baseline_text == common.fmt(row.kpi, row.baseline), (finding.id, row.kpi)


@needs_sample
def test_the_chinese_march_report_has_no_english_text(sample, march, march_zh):
    built_en, _ = march
    built_zh, text_zh = march_zh
    calls = sample["calls"]
    assert [f.id for f in built_zh.findings] == [f.id for f in built_en.findings]
    # 1. Each finding's texts: no word of the English texts (data names aside) in the Chinese.
    for en, zh in zip(built_en.findings, built_zh.findings, strict=True):
        texts_en = [en.title, *en.bullets, en.staffing_summary, en.comparison_summary, *en.notes]
        texts_zh = [zh.title, *zh.bullets, zh.staffing_summary, zh.comparison_summary, *zh.notes]
        words = set(re.findall(r"[A-Za-z]{3,}", without_data_values(" ".join(texts_en), calls)))
        assert words, en.id  # the English texts have words of their own
        left = without_data_values(" ".join(texts_zh), calls)
        assert not [w for w in words if re.search(rf"\b{w}\b", left)], (zh.id, left)
        # the drill-down's verdict in Chinese, never the English one
        if zh.explanation is not None:
            verdict = report.REPORT_TEXT["zh"][f"verdict.{zh.explanation.verdict}"]
            assert (
                html.escape(report.REPORT_TEXT["zh"]["finding.verdict"].format(verdict=verdict))
                in text_zh
            )
            assert report.REPORT_TEXT["en"][f"verdict.{zh.explanation.verdict}"] not in text_zh
            assert html.escape(zh.explanation.summary["zh"]) in text_zh
    # 2. The storm day names the weather drivers in Chinese (columns rain, storm of weather.csv).
    storm = next(f for f in built_zh.findings if f.id == INCIDENTS["storm"]["first_date"])
    assert "暴风雨" in storm.bullets[2] and "storm" not in storm.bullets[2]
    # 3. The whole document, chart labels included: no Latin word but the data's names and
    #    the methods' names (Laney, XmR, Shapley, Erlang).
    left = without_data_values(visible_text(text_zh), calls, extra=["calls.parquet"])
    assert re.findall(r"[A-Za-z]{2,}", left) == []


def test_zh_report_explains_why_a_drill_down_could_not_run_in_chinese():
    """A picked day without calls: drill.explain raises (code no_anomaly_data); the finding
    says so in the report's language, as do a bad driver file and an impossible change date."""
    days = pd.date_range("2025-03-03", periods=21, freq="D")
    days = days[days != pd.Timestamp("2025-03-12")].repeat(40)
    calls = pd.DataFrame(
        {
            "arrived_at": days + pd.Timedelta(hours=9),
            "wait_s": 5.0,
            "answered": True,
            "abandoned": False,
        }
    )
    with pytest.raises(ValueError) as raised:
        drill.explain(calls, ("2025-03-12", "2025-03-13"))
    assert raised.value.code == "no_anomaly_data"
    no_date = pd.DataFrame({"day": ["2025-03-03"], "rain": [1]})
    for lang in ("en", "zh"):
        built = build_report(
            calls, findings=["2025-03-12"], lang=lang, drivers=no_date, change_date="2025-03-23"
        )
        reason = i18n.t("dd.error_no_anomaly_data", lang)
        expected = report.REPORT_TEXT[lang]["finding.no_drill"].format(reason=reason)
        assert built.findings[0].notes == [expected]
        assert built.findings[0].bullets[1] == expected
        assert any(
            w.startswith(report.REPORT_TEXT[lang]["warning.drivers"][:6]) for w in built.warnings
        )
        if lang == "zh":
            text = " ".join([*built.warnings, *built.findings[0].bullets])
            assert re.findall(r"[A-Za-z]{2,}", text) == [], text
        else:
            assert "the driver file has no 'date' column" in " ".join(built.warnings)


@needs_sample
def test_control_charts_are_those_of_the_control_charts_page(sample, march):
    built, _ = march
    charts = built.chart_frames
    assert charts["service_level"].attrs["limits_start"] == pd.Timestamp(MARCH[0])
    assert charts["service_level"].attrs["limits_end"] == pd.Timestamp("2025-03-31")
    # The page: kpi.compute(freq="D", keep_sums=True) of the date range, then spc.kpi_chart.
    flagged = kpi.add_fcr_flags(sample["calls"])
    table = kpi.compute(kpi.subset(flagged, *MARCH), freq="D", keep_sums=True)
    columns = ["value", "center", "lcl", "ucl", "signal", "rules"]
    for name, chart_type in (
        ("service_level", "p_prime"),
        ("offered", "seasonal"),
        ("aht_s", "xmr"),
    ):
        expected = spc.kpi_chart(table, name, granularity="day", revise=True)
        assert charts[name].attrs["chart"] == expected.attrs["chart"] == chart_type
        pd.testing.assert_frame_equal(
            charts[name][columns], expected[columns], check_names=False, check_freq=False
        )
    # Laney p' of x = answered within the threshold over n = offered - short abandons.
    daily = table.set_index(pd.DatetimeIndex(table["period"]))
    # Revised limits: the three incident days (sample_data/README.md) stay out of them.
    left_out = daily.index.isin(
        [pd.Timestamp(INCIDENTS[n]["first_date"]) for n in ("surge", "staffing_shortfall", "storm")]
    )
    assert set(charts["service_level"].attrs["revised_out"]) == set(daily.index[left_out])
    sl = spc.p_chart(
        daily["answered_in_sl"],
        daily["offered"] - daily["short_abandoned"],
        laney=True,
        exclude=left_out,
    )
    np.testing.assert_allclose(charts["service_level"]["ucl"], sl["ucl"])
    assert charts["service_level"]["signal"].tolist() == sl["signal"].tolist()


@needs_sample
def test_march_pptx_has_the_expected_slides_with_pictures(march):
    built, _ = march
    deck = Presentation(io.BytesIO(report_pptx(built)))
    slides = list(deck.slides)
    expected = 2 + len(built.charts) + len(built.findings) + (built.teams is not None)
    expected += (built.journey is not None) + (built.people is not None)
    assert built.people is None  # no roster given
    assert len(slides) == expected == 10  # 3 charts, 3 findings, teams, the journey (IVR)

    def texts(slide) -> str:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts += [cell.text for row in shape.table.rows for cell in row.cells]
        return "\n".join(parts)

    def pictures(slide) -> list:
        return [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]

    assert built.title in texts(slides[0]) and built.period_text in texts(slides[0])
    kpi_slide = texts(slides[1])
    for row in built.kpis.itertuples():
        assert row.name in kpi_slide and row.current_text in kpi_slide
    for slide, chart in zip(slides[2:5], built.charts, strict=True):
        (picture,) = pictures(slide)
        assert picture.image.blob == chart.png()
        assert chart.caption in texts(slide)
    for slide, finding in zip(slides[5:8], built.findings, strict=True):
        (picture,) = pictures(slide)
        assert picture.image.blob == finding.chart.png()
        body = texts(slide)
        assert finding.title in body
        assert all(bullet in body for bullet in finding.bullets)
        assert finding.numbers.iloc[0]["day_text"] in body
        assert finding.title in slide.notes_slide.notes_text_frame.text
    surge_slide = slides[5 + [f.id for f in built.findings].index(INCIDENTS["surge"]["first_date"])]
    assert SURGE_NOTE in texts(surge_slide)
    assert "Team 3" in texts(slides[8])
    journey_slide = texts(slides[9])  # the sample's IVR: the caller's journey after the teams
    ivr = built.journey.stages.set_index("stage").loc["ivr"]
    assert "The caller's journey" in journey_slide
    assert i18n.format_number(ivr["entered"], "count", "en") in journey_slide


@needs_sample
def test_chart_pngs_are_real_images_of_every_chart(march):
    from PIL import Image

    built, _ = march
    archive = zipfile.ZipFile(io.BytesIO(png_zip(built)))
    names = archive.namelist()
    assert names == list(chart_pngs(built))
    assert len(names) == len(built.all_charts)
    for name in names:
        data = archive.read(name)
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", data[16:24])
        assert width >= 1200 and height >= 400, name  # scale 2 of a 640-px-wide chart
        image = Image.open(io.BytesIO(data)).convert("RGB")
        colors = image.getcolors(maxcolors=1 << 20)
        assert len(colors) > 50, f"{name} looks empty"
    # The service-level chart shows its signal points in red.
    image = Image.open(io.BytesIO(archive.read(names[0]))).convert("RGB")
    reds = sum(
        count for count, (r, g, b) in image.getcolors(1 << 20) if r > 200 and g < 60 and b < 60
    )
    assert reds > 100


# --------------------------------------------------------------------------- synthetic data

XSS_CATEGORY = "<script>alert(1)</script>"
XSS_TEAM = "<img src=x onerror=alert(2)>"
XSS_NOTE = "</div><script>alert(3)</script>"


def test_text_from_the_data_and_notes_is_escaped():
    surge_day = "2025-03-04"
    calls = make_calls(
        teams=("T1", "T2", XSS_TEAM),
        surge=(surge_day, XSS_CATEGORY, 250, 90.0),
    )
    built = build_report(calls, notes={surge_day: XSS_NOTE})
    assert surge_day in [f.id for f in built.findings]
    text = report_html(built)
    collector = TagCollector()
    collector.feed(text)
    assert "script" not in collector.tags and "img" not in collector.tags
    assert "<script" not in text.lower() and "<img" not in text.lower()
    assert html.escape(XSS_CATEGORY) in text  # the category is shown, as text
    assert html.escape(XSS_TEAM) in text
    assert html.escape(XSS_NOTE) in text
    # PowerPoint text is plain text: the names appear literally, never as markup.
    deck = Presentation(io.BytesIO(report_pptx(built)))
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in deck.slides if s.has_notes_slide)
    assert XSS_NOTE in notes


def test_escaped_names_keep_chinese_and_the_zh_report_uses_the_app_translations():
    calls = make_calls(
        categories=("账单查询", "流量套餐", "国际漫游"), surge=("2025-03-04", "流量套餐", 250, 90.0)
    )
    built = build_report(calls, lang="zh")
    text = report_html(built)
    assert '<html lang="zh-CN">' in text
    assert "流量套餐" in text
    assert i18n.t("kpi.service_level", "zh") in text
    assert i18n.t("report.col_current", "zh") in text
    # seconds as the app shows them in Chinese ("374 秒")
    aht = built.kpis.set_index("kpi").loc["aht_s"]
    assert aht["current_text"] == i18n.format_number(aht["current"], "seconds", "zh")
    assert aht["current_text"].endswith("秒")


def test_improvement_check_matches_spc_on_independent_counts():
    change = pd.Timestamp("2025-03-24")
    calls = make_calls(
        start="2025-03-03",
        days=42,
        per_day=120,
        mean_wait=lambda day: 14.0 if day < change else 6.0,
    )
    built = build_report(calls, change_date=change, findings=[])
    # Numerator and denominator counted here with pandas, not with ccmetrics.kpi:
    # every call is answered and none abandoned, so SL = share of waits <= 20 s.
    day = calls["arrived_at"].dt.normalize()
    within = (calls["wait_s"] <= 20).groupby(day).sum().astype(float)
    offered = calls.groupby(day).size().astype(float)
    expected = spc.improvement_check(within, offered, change=change, label="Service level")
    check = built.improvement[0]
    assert check.sentence_en == expected.sentence_en
    assert check.difference == pytest.approx(expected.difference)
    assert check.significant and check.after > check.before
    assert html.escape(expected.sentence_en) in report_html(built)
    assert built.improvement_chart is not None
    assert built.findings == []


def test_candidates_and_chosen_findings():
    surge_day = pd.Timestamp("2025-03-04")
    calls = make_calls(surge=(surge_day, "Roaming", 250, 90.0))
    candidates = candidate_findings(calls)
    assert list(candidates.columns) == list(report.CANDIDATE_COLUMNS)
    first = candidates.iloc[0]
    assert first["finding"] == "2025-03-04" and first["beyond_limits"]
    # more calls than expected lead: the drill-down explains the surge, not the waits
    assert first["metric"] == "offered" and first["direction"] == "above"
    assert set(first["kpis"].split(",")) == {"service_level", "offered"}
    charts = control_charts(calls)
    z_values = [abs(charts[name].loc[surge_day, "z"]) for name in first["kpis"].split(",")]
    assert first["severity"] == pytest.approx(max(z_values))
    # A day the manager picks although no chart signalled is reported too.
    days = pd.date_range("2025-02-03", "2025-03-09").strftime("%Y-%m-%d")
    quiet = next(day for day in days if day not in set(candidates["finding"]))
    built = build_report(calls, findings=[quiet], notes={quiet: "training day"})
    (finding,) = built.findings
    assert finding.id == quiet and finding.signals == [] and finding.note == "training day"
    with pytest.raises(ValueError, match="outside the period"):
        build_report(calls, findings=["2026-01-01"])
    with pytest.raises(ValueError, match="lang"):
        build_report(calls, lang="fr")


def test_finding_chart_of_a_volume_surge_compares_the_day_with_the_baseline_days():
    surge_day = pd.Timestamp("2025-03-04")
    # 250 extra calls answered at once: offered signals, service level does not.
    calls = make_calls(surge=(surge_day, "Roaming", 250, 1.0))
    candidates = candidate_findings(calls).set_index("finding")
    assert candidates.loc["2025-03-04", "kpis"] == "offered"
    built = build_report(calls, findings=[surge_day])
    (finding,) = built.findings
    assert finding.metric == "offered"
    windows = finding.explanation.baseline
    assert len(windows) == 4 and all(pd.Timestamp(a).day_of_week == 1 for a, _ in windows)
    # Calls per half hour counted here with pandas: the day, and the mean of the baseline days.
    slot = calls["arrived_at"].dt.floor("30min").dt.strftime("%H:%M")
    day_counts = slot[calls["arrived_at"].dt.normalize() == surge_day].value_counts()
    in_baseline = np.zeros(len(calls), dtype=bool)
    for a, b in windows:
        in_baseline |= ((calls["arrived_at"] >= a) & (calls["arrived_at"] < b)).to_numpy()
    baseline_mean = slot[in_baseline].value_counts() / len(windows)
    data = finding.chart.data
    shown_day = data[data["series"] == "2025-03-04"].set_index("slot")["value"]
    shown_baseline = data[data["series"] != "2025-03-04"].set_index("slot")["value"]
    pd.testing.assert_series_equal(
        shown_day.sort_index(), day_counts.sort_index().astype(float), check_names=False
    )
    pd.testing.assert_series_equal(
        shown_baseline.sort_index(), baseline_mean.sort_index(), check_names=False
    )


def test_report_period_defaults_to_the_whole_span():
    calls = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-03-01 08:05", "2025-03-10 21:59"])})
    assert report_period(calls) == (pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-11"))
    assert report_period(calls, "2025-03-05", None) == (
        pd.Timestamp("2025-03-05"),
        pd.Timestamp("2025-03-11"),
    )
    with pytest.raises(ValueError):
        report_period(calls, "2025-03-05", "2025-03-05")


def test_control_charts_skip_a_kpi_without_data():
    calls = make_calls().drop(columns=["talk_s", "hold_s", "acw_s"])
    assert set(control_charts(calls)) == {"service_level", "offered"}
    built = build_report(calls, findings=[])
    assert any("AHT" in warning for warning in built.warnings)


def test_write_report_writes_every_format(tmp_path):
    built = build_report(make_calls(days=28), findings=[])
    written = write_report(built, tmp_path / "out", ["html", "pptx", "png"])
    names = sorted(p.name for p in written)
    assert names[0] == "01_service_level.png"
    assert "ccmetrics_report_2025-02-03_2025-03-02.html" in names
    assert "ccmetrics_report_2025-02-03_2025-03-02.pptx" in names
    assert all(p.stat().st_size > 0 for p in written)
    with pytest.raises(ValueError):
        write_report(built, tmp_path, ["pdf"])


def test_report_text_has_the_same_keys_and_placeholders_in_both_languages():
    en, zh = report.REPORT_TEXT["en"], report.REPORT_TEXT["zh"]
    assert set(en) == set(zh)
    for key in en:
        assert set(re.findall(r"{(\w+)}", en[key])) == set(re.findall(r"{(\w+)}", zh[key])), key


def test_cjk_glyphs_are_drawn_in_chart_images():
    """Two different Chinese characters must give two different images (boxes would not)."""
    import os
    from pathlib import Path

    if not any(
        Path(d).is_dir()
        for d in [os.environ.get("CCMETRICS_FONT_DIR", ""), *report.FONT_DIRECTORIES]
        if d
    ):
        if IN_CI:
            pytest.fail("no CJK font folder (apt-get install fonts-noto-cjk)")
        pytest.skip("no CJK font folder")

    def title_png(title: str) -> dict:
        import altair as alt

        spec = (
            alt.Chart(pd.DataFrame({"x": [1]}), title=title)
            .mark_point()
            .properties(width=40, height=10)
            .configure(font=report.FONT_STACK)
            .to_dict()
        )
        return spec

    specs = [title_png(text) for text in ("服务", "水平", "\U000f0000\U000f0001")]
    # The report's images (SVG rendered to PNG) and the app's "download PNG" helper.
    for render in (
        lambda spec: report.ReportChart(key="t", title="", spec=spec, data=pd.DataFrame()).png(),
        report.chart_to_png,
    ):
        first, second, missing = (render(spec) for spec in specs)
        assert first != second
        assert first != missing and second != missing


# --------------------------------------------------------------------------- CSV


def test_safe_csv_bytes_neutralises_formulas_and_writes_utf8_with_bom():
    frame = pd.DataFrame(
        {
            "category": pd.Categorical(['=HYPERLINK("http://x","y")', "Billing", "+SUM(A1)"]),
            "agent": ["@cmd", "-1+2", "张三"],
            "note": ["\t=1", "plain, with comma", None],
            "n": [-1, 2, 3],
            "=header": [1.5, 2.0, -0.25],
        }
    )
    data = safe_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["category", "agent", "note", "n", "'=header"]
    assert rows[1] == ['\'=HYPERLINK("http://x","y")', "'@cmd", "'\t=1", "-1", "1.5"]
    assert rows[2] == ["Billing", "'-1+2", "plain, with comma", "2", "2.0"]
    assert rows[3] == ["'+SUM(A1)", "张三", "", "3", "-0.25"]
    # The input frame is left unchanged.
    assert frame.loc[0, "agent"] == "@cmd"


def test_error_reason_translates_coded_errors_and_keeps_english_messages_in_english():
    # What the Report page shows when candidates or the build fail (pages/report_page.py).
    coded = ValueError("the data has nothing to compute csat_mean from")
    coded.code = "no_metric_data"
    assert report.error_reason(coded, "zh") == i18n.t("dd.error_no_metric_data", "zh").rstrip("。")
    assert report.error_reason(coded, "en") == i18n.t("dd.error_no_metric_data", "en")
    plain = ValueError("the period must end after it starts (2025-03-02 – 2025-03-01).")
    assert report.error_reason(plain, "en") == str(plain).rstrip(".")
    zh = report.error_reason(plain, "zh")
    assert zh and "period" not in zh
