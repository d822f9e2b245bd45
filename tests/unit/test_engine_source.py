"""Tests of ccmetrics.engine_source: naming, opening and fetching a data set on an engine.

Expected values are worked by hand from the small frames below (calls per day written
out), or are ``ccmetrics.io.load``'s own frame for the dtypes.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from ccmetrics import engine_source, io, kpi
from ccmetrics.engine import Dataset
from ccmetrics.engine_source import (
    EngineSource,
    SourceError,
    arrival_span,
    canonical_dtypes,
    fit_budget,
    last_full_month,
    open_source,
    period_comparison,
    source_from_env,
)
from ccmetrics.schema import KpiSettings
from tests.conftest import sample_dir

D = dt.date


def calls_on(days: dict[str, int]) -> pd.DataFrame:
    """``n`` answered calls at noon on each day of ``days`` (``{"2025-03-01": n, ...}``)."""
    times = [pd.Timestamp(f"{day} 12:00") for day, n in days.items() for _ in range(n)]
    n = len(times)
    return pd.DataFrame(
        {
            "call_id": [f"c{i}" for i in range(n)],
            "arrived_at": times,
            "wait_s": [1.0] * n,
            "answered": [True] * n,
            "abandoned": [False] * n,
        }
    )


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (D(2025, 1, 1), D(2025, 3, 31), (D(2025, 3, 1), D(2025, 3, 31))),  # ends on a month's end
        (D(2025, 1, 1), D(2025, 3, 30), (D(2025, 2, 1), D(2025, 2, 28))),  # March not over
        (D(2024, 1, 15), D(2024, 3, 5), (D(2024, 2, 1), D(2024, 2, 29))),  # a leap February
        (D(2024, 12, 1), D(2025, 1, 10), (D(2024, 12, 1), D(2024, 12, 31))),  # across a year
        (D(2025, 2, 2), D(2025, 3, 30), (D(2025, 2, 2), D(2025, 3, 30))),  # no whole month
        (D(2025, 3, 1), D(2025, 3, 1), (D(2025, 3, 1), D(2025, 3, 1))),  # one day
    ],
)
def test_the_default_period_is_the_last_full_month(first, last, expected):
    assert last_full_month(first, last) == expected


def test_a_period_within_the_budget_is_fetched_whole():
    data = Dataset(calls_on({"2025-03-01": 3, "2025-03-02": 1, "2025-03-04": 2}))
    got = fit_budget(data, D(2025, 3, 1), D(2025, 3, 4), budget=6)
    assert (got.start, got.end, got.calls, got.cut) == (D(2025, 3, 1), D(2025, 3, 4), 6, False)


@pytest.mark.parametrize(
    ("budget", "start", "calls"),
    [
        # calls from each day to the 5th: 1st 3+1+0+2+4 = 10, 2nd 7, 3rd 6, 4th 6, 5th 4
        (9, D(2025, 3, 2), 7),
        (7, D(2025, 3, 2), 7),
        (6, D(2025, 3, 3), 6),  # the 3rd holds no call: the earliest day that fits
        (5, D(2025, 3, 5), 4),
        (3, D(2025, 3, 5), 4),  # even the last day alone is over: that day, said as cut
    ],
)
def test_a_period_over_the_budget_starts_on_its_earliest_day_that_fits(budget, start, calls):
    data = Dataset(calls_on({"2025-03-01": 3, "2025-03-02": 1, "2025-03-04": 2, "2025-03-05": 4}))
    got = fit_budget(data, D(2025, 3, 1), D(2025, 3, 5), budget=budget)
    assert (got.start, got.end, got.calls, got.asked_start, got.cut) == (
        start,
        D(2025, 3, 5),
        calls,
        D(2025, 3, 1),
        True,
    )


def test_the_span_is_the_first_and_last_day_with_a_call():
    data = Dataset(calls_on({"2025-02-27": 1, "2025-03-04": 2}))
    assert arrival_span(data) == (D(2025, 2, 27), D(2025, 3, 4))
    assert arrival_span(Dataset(calls_on({}).astype({"arrived_at": "datetime64[ns]"}))) is None


def test_the_environment_names_the_source():
    assert source_from_env({}) is None
    assert source_from_env({"CCMETRICS_SOURCE": "  "}) is None
    assert source_from_env({"CCMETRICS_SOURCE": "/lake/calls"}) == EngineSource("/lake/calls")
    assert source_from_env(
        {
            "CCMETRICS_SOURCE": "/lake/calls",
            "CCMETRICS_ENGINE": "Spark",
            "CCMETRICS_SPARK_MASTER": "spark://h:7077",
        }
    ) == EngineSource("/lake/calls", "spark", "spark://h:7077")


def test_a_source_that_cannot_be_opened_raises_a_coded_error(tmp_path):
    with pytest.raises(SourceError) as missing:
        open_source(EngineSource(str(tmp_path / "nothing")))
    assert (missing.value.code, missing.value.params) == (
        "missing",
        {"path": str(tmp_path / "nothing")},
    )
    with pytest.raises(SourceError) as engine:
        open_source(EngineSource(str(tmp_path), "oracle"))
    assert engine.value.code == "engine"
    pd.DataFrame({"x": [1]}).to_parquet(tmp_path / "x.parquet")
    with pytest.raises(SourceError) as unreadable:
        open_source(EngineSource(str(tmp_path)))
    assert unreadable.value.code == "not_canonical"
    assert unreadable.value.params == {
        "path": str(tmp_path),
        "missing": "arrived_at, answered, abandoned",
    }
    (tmp_path / "x.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(SourceError) as broken:
        open_source(EngineSource(str(tmp_path)))
    assert broken.value.code == "unreadable" and broken.value.params["reason"]
    assert set(engine_source.ERROR_CODES) >= {"missing", "engine", "unreadable", "not_canonical"}


def test_a_fetched_window_has_the_loaders_dtypes(tmp_path):
    frame = io.load(sample_dir() / "calls.parquet").frame
    frame.to_parquet(tmp_path / "calls.parquet", index=False)
    data = open_source(EngineSource(str(tmp_path)))
    start, end = pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-08")
    fetched = canonical_dtypes(data.window(start, end))
    expected = frame[(frame["arrived_at"] >= start) & (frame["arrived_at"] < end)]
    expected = expected.sort_values("arrived_at", kind="stable").reset_index(drop=True)
    assert fetched.dtypes.astype(str).to_dict() == expected.dtypes.astype(str).to_dict()
    pd.testing.assert_frame_equal(fetched, expected, check_categorical=False, check_dtype=False)


@pytest.mark.parametrize(
    ("start", "end", "filters", "settings"),
    [
        ("2025-03-01", "2025-04-01", None, KpiSettings()),  # a month against the 31 days before
        ("2025-03-10", "2025-03-17", {"queue": ["VIP"]}, KpiSettings(sl_threshold_s=30)),
        ("2025-01-10", "2025-01-20", None, KpiSettings()),  # previous window begins before the data
        ("2025-01-01", "2025-01-05", None, KpiSettings()),  # no previous window at all
        ("2025-02-01", "2025-03-01", {"queue": ["General", "VIP"]}, KpiSettings(fcr_window_h=48)),
    ],
)
def test_the_comparison_on_the_engine_is_kpis_period_comparison(
    sample_calls, start, end, filters, settings
):
    expected = kpi.period_comparison(sample_calls, start, end, settings, filters=filters)
    got = period_comparison(Dataset(sample_calls), start, end, settings, filters=filters)
    # the engine sums in another order: equal to 1e-9 relative, counts exactly
    pd.testing.assert_frame_equal(got, expected, check_exact=False, rtol=1e-9, atol=0)
    if start == "2025-01-01":
        assert got["previous"].isna().all()
    if start == "2025-01-10":  # rates compared, counts of a shorter span not
        previous = got.set_index("kpi")["previous"]
        assert pd.isna(previous["offered"]) and pd.notna(previous["service_level"])


def test_the_memory_limit_of_the_environment_is_duckdbs(tmp_path, monkeypatch):
    calls_on({"2025-03-01": 2}).to_parquet(tmp_path / "calls.parquet", index=False)
    monkeypatch.setenv(engine_source.MEMORY_ENV, "1GB")
    data = open_source(EngineSource(str(tmp_path)))
    limit = data._run("SELECT current_setting('memory_limit')").fetchall()[0][0]
    assert limit == "953.6 MiB"  # 1GB is 10**9 bytes, which DuckDB shows in MiB
    monkeypatch.setenv(engine_source.MEMORY_ENV, "lots")
    with pytest.raises(SourceError) as error:
        open_source(EngineSource(str(tmp_path)))
    assert error.value.code == "unreadable"


def test_a_spark_that_cannot_start_is_said_with_its_reason(tmp_path, monkeypatch):
    from ccmetrics import engine_spark

    def no_java(master=None):
        raise RuntimeError("Java gateway process exited before sending its port number\nmore")

    monkeypatch.setattr(engine_spark, "spark_session", no_java)
    with pytest.raises(SourceError) as error:
        open_source(EngineSource(str(tmp_path), "spark", "spark://nowhere:7077"))
    assert error.value.code == "spark_unavailable"
    assert error.value.params == {
        "reason": "Java gateway process exited before sending its port number"
    }


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    """Each test its own cache folder (the kept cubes go there, never to the user's)."""
    monkeypatch.setenv(io.CACHE_ENV, str(tmp_path / "cache"))


def test_a_folder_opened_again_reads_its_kept_cube(sample_calls, tmp_path, monkeypatch):
    """open_source keeps the cube of a folder in the cache folder (``CCMETRICS_CACHE_DIR``):
    opened again, its facts and KPIs come from the cube without a call being read (the
    folder is moved away before the question), equal to the first open's and to pandas'."""
    import shutil

    from tests.unit.test_engine import assert_same_kpis

    folder = tmp_path / "calls"
    folder.mkdir()
    february = sample_calls["arrived_at"] >= "2025-02-01"
    sample_calls[~february].to_parquet(folder / "2025-01.parquet", index=False)
    sample_calls[february].to_parquet(folder / "2025-02_03.parquet", index=False)
    first = open_source(EngineSource(str(folder)))
    expected = first.kpis("queue", "W")
    assert len(list((tmp_path / "cache" / "cubes").glob("*.parquet"))) == 1

    def no_counting(self):
        raise AssertionError("the facts were counted on the calls")

    monkeypatch.setattr(Dataset, "_count_facts", no_counting)
    later = open_source(EngineSource(str(folder)))
    assert later.rows == first.rows == len(sample_calls)
    shutil.move(folder, tmp_path / "moved")  # reading a call now fails
    got = later.kpis("queue", "W")
    pd.testing.assert_frame_equal(got, expected)
    reference = kpi.compute(kpi.add_fcr_flags(sample_calls), by="queue", freq="W")
    reference["queue"] = reference["queue"].astype(str)  # Parquet keeps no category order
    reference = reference.sort_values(["queue", "period"], ignore_index=True)
    got["queue"] = got["queue"].astype(str)
    assert_same_kpis(got, reference, ["queue", "period"])
