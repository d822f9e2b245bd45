"""The public API accepts an engine-backed data set and gives what it gives on a frame.

The reference for every expected value is the same function on the pandas frame of the
same calls (the tested path): ``kpi.compute``, ``drill.explain``, ``drill.explain_ratio``,
``compare.funnel``. Each is asked on a :class:`ccmetrics.engine.Dataset` over the frame
and over a Parquet copy of it, and the whole result (tables, verdict, summary codes,
notes) must be the same: counts exactly, other numbers within 1e-9 relative.

The drill-down's FCR row compares with the frame flagged on the whole data
(``kpi.add_fcr_flags``, as the app passes frames): the engine's FCR is always that of
the whole data set, a repeat call after the window counting.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from ccmetrics import compare, drill, kpi, spc, staffing
from ccmetrics.cube import call_measures
from ccmetrics.cube import ivr_only_rows as cube_ivr_only
from ccmetrics.engine import Dataset, is_dataset
from ccmetrics.engine_inputs import span_test
from ccmetrics.sample import generate_calls
from tests.conftest import sample_dir

RTOL = 1e-9


@pytest.fixture(scope="module")
def sample_sets(sample_calls, tmp_path_factory) -> dict:
    """The bundled sample as a data set over the frame and over a Parquet copy."""
    path = tmp_path_factory.mktemp("sample") / "calls.parquet"
    sample_calls.to_parquet(path)
    return {"frame": Dataset(sample_calls), "parquet": Dataset(path)}


@pytest.fixture(scope="module")
def month_calls() -> pd.DataFrame:
    """29 generated days (the doctest of drill.explain: a surge on 2025-03-11 morning)."""
    return generate_calls(start="2025-02-11", days=29)


@pytest.fixture(scope="module")
def month_sets(month_calls, tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("month") / "calls.parquet"
    month_calls.to_parquet(path)
    return {"frame": Dataset(month_calls), "parquet": Dataset(path)}


def as_text(values: pd.Series) -> list[str]:
    return values.astype(object).where(values.notna(), None).astype(str).tolist()


def assert_same_table(got: pd.DataFrame, expected: pd.DataFrame, keys=()) -> None:
    """Same columns and rows; numbers within RTOL, text and flags exactly.

    Text is compared as text: a Parquet copy gives categories back as strings. With
    ``keys``, rows are matched by their keys as text: a Parquet file keeps no category
    order, so its groups come in the text order of their names.
    """
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected)
    if keys:

        def by_keys(table):
            order = pd.DataFrame({k: as_text(table[k]) for k in keys}).sort_values(list(keys))
            return table.iloc[order.index].reset_index(drop=True)

        got, expected = by_keys(got), by_keys(expected)
    for column in expected.columns:
        want, have = expected[column], got[column]
        if pd.api.types.is_numeric_dtype(want) and not pd.api.types.is_bool_dtype(want):
            np.testing.assert_allclose(
                have.to_numpy(float, na_value=np.nan),
                want.to_numpy(float, na_value=np.nan),
                rtol=RTOL,
                atol=0,
                err_msg=column,
            )
        else:
            assert as_text(have) == as_text(want), column


def test_is_dataset_tells_a_data_set_from_a_frame(month_calls, month_sets):
    assert is_dataset(month_sets["frame"]) and is_dataset(month_sets["parquet"])
    assert not is_dataset(month_calls)
    assert not is_dataset(month_calls["arrived_at"])
    assert not is_dataset(None) and not is_dataset({"sums": 1})


def test_a_bad_argument_is_named(month_calls, month_sets):
    with pytest.raises(TypeError, match="engine-backed data set"):
        kpi.compute(object())
    # a key named like a measure: refused on both (the frame cannot insert it either)
    with pytest.raises(ValueError, match="transferred"):
        kpi.compute(month_calls, by="transferred")
    with pytest.raises(ValueError, match="transferred"):
        kpi.compute(month_sets["frame"], by="transferred")


# --------------------------------------------------------------------------- kpi.compute


@pytest.mark.parametrize(
    ("by", "freq", "source"),
    [
        (None, None, "frame"),
        (None, None, "parquet"),
        ("queue", "D", "parquet"),
        (["team", "agent"], None, "frame"),
        ([], "30min", "parquet"),
    ],
)
def test_compute_on_a_data_set_equals_the_frame(sample_calls, sample_sets, by, freq, source):
    expected = kpi.compute(sample_calls, by=by, freq=freq, keep_sums=True)
    got = kpi.compute(sample_sets[source], by=by, freq=freq, keep_sums=True)
    keys = [*kpi._as_list(by), *(["period"] if freq else [])]
    assert_same_table(got, expected, keys if source == "parquet" else ())
    # counts exactly, not within a tolerance
    for column in ("offered", "answered", "abandoned", "handle_n", "fcr_n", "csat_n"):
        assert sorted(got[column].tolist()) == sorted(expected[column].tolist())


def test_compute_under_other_settings(sample_calls, sample_sets):
    settings = kpi.KpiSettings(sl_threshold_s=30, short_abandon_s=10, fcr_window_h=24)
    expected = kpi.compute(sample_calls, by="team", freq="W", settings=settings)
    got = kpi.compute(sample_sets["parquet"], "team", "W", settings)
    assert_same_table(got, expected, ["team", "period"])


# --------------------------------------------------------------------------- drill.explain


def assert_same_value(got, want) -> None:
    """Tables as tables, mappings and lists item by item, numbers within RTOL, else equal."""
    if isinstance(want, pd.DataFrame):
        assert_same_table(got, want)
    elif isinstance(want, dict):
        assert_same_mapping(got, want)
    elif isinstance(want, (list, tuple)):
        assert len(got) == len(want)
        for have, item in zip(got, want, strict=True):
            assert_same_value(have, item)
    elif isinstance(want, (float, np.floating)) and not isinstance(want, bool):
        assert got == pytest.approx(want, rel=RTOL, nan_ok=True)
    else:
        assert got == want


def assert_same_mapping(got: dict, expected: dict) -> None:
    """Same keys; each value as :func:`assert_same_value`."""
    assert got.keys() == expected.keys()
    for key, want in expected.items():
        try:
            assert_same_value(got[key], want)
        except AssertionError as error:
            raise AssertionError(f"{key}: {error}") from error


def assert_same_explanation(got, expected) -> None:
    """The whole explanation: verdict, table, baseline windows, KPI table, summary codes,
    notes, drivers and the volume and handle-time explanations behind them."""
    assert (got.verdict, got.metric, got.kind, got.test) == (
        expected.verdict,
        expected.metric,
        expected.kind,
        expected.test,
    )
    assert (got.anomaly, got.baseline, got.dims) == (
        expected.anomaly,
        expected.baseline,
        expected.dims,
    )
    assert_same_mapping(got.totals, expected.totals)
    assert_same_mapping(got.concentration, expected.concentration)
    assert got.baseline_scale == pytest.approx(expected.baseline_scale, rel=RTOL)
    assert_same_table(got.table, expected.table)
    for part in ("causes", "cause_ranking"):
        if getattr(expected, part) is None:
            assert getattr(got, part) is None
        else:
            assert_same_table(getattr(got, part), getattr(expected, part))
    if expected.baseline_windows is None:
        assert got.baseline_windows is None
    else:
        assert_same_table(got.baseline_windows, expected.baseline_windows)
        assert got.baseline_windows.attrs == expected.baseline_windows.attrs
    if expected.kpis is not None:
        assert_same_table(got.kpis, expected.kpis)
    assert got.summary == expected.summary
    assert got.notes == expected.notes
    assert got.drivers == expected.drivers
    for part in ("volume", "handle_time"):
        if getattr(expected, part) is None:
            assert getattr(got, part) is None
        else:
            assert_same_explanation(getattr(got, part), getattr(expected, part))


SURGE = ("2025-03-11 09:00", "2025-03-11 12:00")


@pytest.fixture(scope="module")
def month_explained(month_calls) -> dict:
    """``drill.explain`` of the surge on the frame, per metric (asked once)."""
    flagged = kpi.add_fcr_flags(month_calls)
    return {
        m: drill.explain(flagged, SURGE, metric=m)
        for m in ("service_level", "offered", "csat_mean")
    }


@pytest.mark.parametrize(
    ("metric", "source"),
    [("service_level", "parquet"), ("offered", "frame"), ("csat_mean", "parquet")],
)
def test_explain_on_a_data_set_equals_the_frame(month_explained, month_sets, metric, source):
    """The default baseline (same weekday, anomalous weeks left out), the elements and
    the drivers of a queue metric come out the same from the engine's group sums."""
    expected = month_explained[metric]
    got = drill.explain(month_sets[source], SURGE, metric=metric)
    assert_same_explanation(got, expected)
    if metric == "offered":  # the doctest's answer, so the comparison is not vacuous
        assert got.verdict == "concentrated"
        assert got.table.loc[0, "element"] == "category=Data plan (GPRS) & segment=Prepaid"


def test_explain_on_the_sample_with_ivr_and_a_given_baseline(sample_calls, sample_sets):
    """The bundled sample has calls that ended in the IVR (left out of every element) and
    a team dimension known only for answered calls (left out, with a note)."""
    flagged = kpi.add_fcr_flags(sample_calls)
    day = sample_calls["arrived_at"].dt.normalize().iloc[len(sample_calls) // 2]
    anomaly = (day, day + pd.Timedelta(days=1))
    expected = drill.explain(flagged, anomaly, metric="abandon_rate", drivers=False)
    got = drill.explain(sample_sets["parquet"], anomaly, metric="abandon_rate", drivers=False)
    assert_same_explanation(got, expected)
    assert any("team" in note for note in got.notes)  # known only for answered calls
    weeks = (1, 2)
    baseline = [(day - pd.Timedelta(days=7 * k), day - pd.Timedelta(days=7 * k - 1)) for k in weeks]
    expected = drill.explain(flagged, anomaly, baseline, metric="aht_s", dims=["queue", "team"])
    got = drill.explain(
        sample_sets["frame"], anomaly, baseline, metric="aht_s", dims=["queue", "team"]
    )
    assert_same_explanation(got, expected)


@pytest.mark.parametrize(
    ("numerator", "denominator", "numerator_sq"),
    [
        ("answered_in_sl", "offered", None),
        ("handle_s_sum", "handle_n", "handle_s_sq_sum"),
        ("offered", None, None),
    ],
)
def test_explain_ratio_on_a_data_set_equals_the_call_cube(
    month_calls, month_sets, numerator, denominator, numerator_sq
):
    """explain_ratio of measures: on the table of every call's measures
    (``cube.call_measures``) and on the engine's sums per window and element."""
    dims = ["queue", "category", "segment"]
    cube = pd.concat([month_calls[["arrived_at", *dims]], call_measures(month_calls)], axis=1)
    options = dict(
        time="arrived_at",
        dims=dims,
        numerator=numerator,
        denominator=denominator,
        numerator_sq=numerator_sq,
        supply_dims=["queue"],
    )
    expected = drill.explain_ratio(cube, SURGE, None, **options)
    source = "frame" if denominator is None else "parquet"
    got = drill.explain_ratio(month_sets[source], SURGE, None, **options)
    assert_same_explanation(got, expected)
    assert expected.baseline_windows["used"].sum() == 4


@pytest.mark.parametrize(
    ("day", "metric", "reasons"),
    [
        ("2025-02-10", "service_level", {"anomalous volume"}),
        ("2025-02-11", "service_level", {"anomalous value"}),
        ("2025-02-11", "aht_s", set()),
    ],
)
def test_default_baseline_of_a_data_set(sample_calls, sample_sets, day, metric, reasons):
    """The candidate weeks of the sample, their values and the ones left out as anomalous
    (by value or by volume), as on the frame."""
    anomaly = (pd.Timestamp(day), pd.Timestamp(day) + pd.Timedelta(days=1))
    expected = drill.default_baseline(sample_calls, anomaly, metric=metric)
    got = drill.default_baseline(sample_sets["parquet"], anomaly, metric=metric)
    assert_same_table(got, expected)
    assert got.attrs == expected.attrs
    assert set(expected.loc[expected["excluded"], "reason"]) >= reasons
    assert expected["used"].sum() >= 3


def test_explain_ratio_on_a_data_set_names_what_it_needs(month_sets):
    with pytest.raises(ValueError, match="MEASURES"):
        drill.explain_ratio(
            month_sets["frame"],
            SURGE,
            None,
            time="arrived_at",
            dims=["queue"],
            numerator="wait_s",
            denominator="offered",
        )


def test_a_metric_missing_from_earlier_weeks_takes_the_same_baseline(month_calls):
    """CSAT collected only from 2025-02-26: the previous weeks have none, so the
    following weeks are the baseline; a window without CSAT fails with the same code."""
    calls = month_calls.copy()
    calls.loc[calls["arrived_at"] < pd.Timestamp("2025-02-26"), "csat"] = np.nan
    data = Dataset(calls)
    calls = kpi.add_fcr_flags(calls)
    anomaly = ("2025-03-04 09:00", "2025-03-04 12:00")
    expected = drill.explain(calls, anomaly, metric="csat_mean")
    got = drill.explain(data, anomaly, metric="csat_mean")
    assert expected.baseline_windows.attrs["source"] == "following weeks"
    assert_same_explanation(got, expected)
    early = ("2025-02-18 09:00", "2025-02-18 12:00")
    with pytest.raises(ValueError) as on_frame:
        drill.explain(calls, early, metric="csat_mean")
    with pytest.raises(ValueError) as on_set:
        drill.explain(data, early, metric="csat_mean")
    assert on_set.value.code == on_frame.value.code


def test_explain_errors_carry_the_same_codes(month_calls, month_sets):
    empty = ("2030-01-01", "2030-01-02")
    with pytest.raises(ValueError) as on_frame:
        drill.explain(month_calls, empty)
    with pytest.raises(ValueError) as on_set:
        drill.explain(month_sets["parquet"], empty)
    assert on_set.value.code == on_frame.value.code
    with pytest.raises(ValueError, match="overlap"):
        drill.explain(month_sets["frame"], SURGE, ("2025-03-11 10:00", "2025-03-11 13:00"))


# --------------------------------------------------------------------------- compare.funnel


@pytest.mark.parametrize(
    ("metric", "casemix", "source"),
    [
        ("service_level", None, "frame"),
        ("fcr_rate", "queue", "parquet"),
        ("aht_s", None, "parquet"),
        ("asa_s", "queue", "frame"),
        ("csat_mean", None, "parquet"),
        ("qa_mean", None, "frame"),
    ],
)
def test_funnel_on_a_data_set_equals_the_frame(sample_calls, sample_sets, metric, casemix, source):
    """Proportions from the engine's KPI sums, AHT and ASA from its sums of squares, CSAT
    and QA from the calls' columns: the same table, limits, flags and conclusion."""
    expected = compare.funnel(sample_calls, "team", metric, casemix=casemix)
    got = compare.funnel(sample_sets[source], "team", metric, casemix=casemix)
    assert_same_table(got, expected, ["team"] if source == "parquet" else ())
    assert_same_mapping(got.attrs, expected.attrs)
    assert len(expected) > 1 and expected["n"].gt(0).all()


# --------------------------------------------------------------------------- staffing


@pytest.fixture(scope="module")
def day_sets(sample_calls, tmp_path_factory) -> dict:
    """One busy day of the bundled sample (with its IVR-only calls), as a frame and as
    data sets over it and over a Parquet copy."""
    day = sample_calls["arrived_at"].dt.normalize().iloc[len(sample_calls) // 3]
    calls = sample_calls[sample_calls["arrived_at"].dt.normalize() == day].reset_index(drop=True)
    path = tmp_path_factory.mktemp("day") / "calls.parquet"
    calls.to_parquet(path)
    intervals = pd.read_csv(sample_dir() / "intervals.csv", parse_dates=["interval_start"])
    plan = intervals[intervals["interval_start"].dt.normalize() == day].reset_index(drop=True)
    return {"calls": calls, "plan": plan, "frame": Dataset(calls), "parquet": Dataset(path)}


def test_why_intervals_and_why_day_on_a_data_set_equal_the_frame(day_sets):
    """Demand, staffing estimate, Erlang A needs, attribution and classes per queue and
    interval, and the day's roll-up, from the engine's sums per queue and interval."""
    calls, plan = day_sets["calls"], day_sets["plan"]
    assert cube_ivr_only(calls).any()  # the IVR-only calls must be left out on both paths
    assert len(plan) > 40  # the day's forecast and rostered agents per queue
    for source, given in (("frame", None), ("parquet", plan)):
        expected = staffing.why_intervals(calls, given)
        got = staffing.why_intervals(day_sets[source], given)
        assert_same_table(got, expected)
        assert got.attrs["notes"] == expected.attrs["notes"]
        assert_same_table(staffing.why_day(got, by="queue"), staffing.why_day(expected, by="queue"))
        assert len(expected) > 40 and expected["interval_class"].nunique() > 1


# --------------------------------------------------------------------------- spc


def assert_same_chart(got: pd.DataFrame, expected: pd.DataFrame) -> None:
    """The points, limits, signals and rules, and the chart's verdict and attributes."""
    assert_same_table(got.reset_index(), expected.reset_index())
    for key in ("kpi", "chart", "default_chart", "charts_available", "kpi_class", "laney"):
        assert got.attrs[key] == expected.attrs[key], key
    assert got.attrs["revised_out"] == expected.attrs["revised_out"]
    assert_same_value(got.attrs["diagnostics"], expected.attrs["diagnostics"])
    assert_same_value(spc.chart_verdict(got), spc.chart_verdict(expected))


@pytest.mark.parametrize(
    ("kpi_name", "granularity", "options"),
    [
        ("service_level", "day", {}),
        ("aht_s", "day", {"revise": True}),
        ("asa_s", "week", {}),
        ("offered", "day", {"change": "2025-03-01"}),
    ],
)
def test_kpi_chart_of_a_data_set_equals_the_chart_of_the_frame(
    sample_calls, sample_sets, kpi_name, granularity, options
):
    freq = spc.period_freq(granularity, 30)
    table = kpi.compute(sample_calls, freq=freq, keep_sums=True)
    expected = spc.kpi_chart(table, kpi_name, granularity=granularity, **options)
    got = spc.kpi_chart(sample_sets["parquet"], kpi_name, granularity=granularity, **options)
    assert_same_chart(got, expected)
    if "change" in options:
        improvement = dataclasses.asdict(expected.attrs["improvement"])
        assert_same_mapping(dataclasses.asdict(got.attrs["improvement"]), improvement)


def test_interval_chart_of_a_data_set(day_sets):
    """Per 15-minute interval of one day (the seasonal default falls back as on a frame)."""
    table = kpi.compute(day_sets["calls"], freq="15min", keep_sums=True)
    expected = spc.kpi_chart(table, "service_level", granularity="interval")
    got = spc.kpi_chart(day_sets["frame"], "service_level", granularity="interval", minutes=15)
    assert_same_chart(got, expected)


# --------------------------------------------------------------------------- the adapter


def test_span_test_answers_as_the_first_day_and_last_call():
    """``first day <= t <= last call`` (the frame's ``times.min().normalize()`` and
    ``times.max()``), asked in any order: the answers it settles by monotonicity agree
    with the direct comparison, bounds included."""
    times = pd.to_datetime(["2025-01-08 10:00", "2025-02-20 15:30", "2025-03-01 00:00"])
    data = Dataset(pd.DataFrame({"arrived_at": times, "answered": True, "abandoned": False}))
    first, last = times.min().normalize(), times.max()
    rng = np.random.default_rng(7)
    for trial in range(20):
        minutes = rng.integers(0, 80 * 24 * 60, 12)
        probes = list(pd.Timestamp("2024-12-25") + pd.to_timedelta(minutes, unit="min"))
        probes += [first, last, last + pd.Timedelta("1ns"), first - pd.Timedelta("1ns")]
        inside = span_test(data, probes[: trial % 4])  # some times announced, some not
        for time in rng.permutation(np.array(probes, dtype=object)):
            assert inside(time) == (first <= time <= last), time
    empty = pd.DataFrame({"arrived_at": pd.to_datetime([]), "answered": [], "abandoned": []})
    assert span_test(Dataset(empty.astype({"answered": bool, "abandoned": bool}))) is None
