"""Tests of ccmetrics.engine_spark: the engine's queries on Spark give DuckDB's numbers.

The reference for every expected value is :class:`ccmetrics.engine.Dataset` (DuckDB,
itself tested equal to ``kpi.compute`` in tests/unit/test_engine.py) on the same
sample calls: counts equal exactly, sums and ratios to 1e-9 relative (Spark adds
in another order). One local Spark session (``local[2]``) serves the module.
Without Java or pyspark the module is skipped, except in CI (``CI=true``), where
it must run.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ccmetrics import compare, drill
from ccmetrics.cube import MEASURES
from ccmetrics.engine import Dataset, is_dataset, period_sql
from ccmetrics.schema import KpiSettings
from tests.unit.conftest import COUNT_COLUMNS, assert_numbers_equal
from tests.unit.test_engine import OTHER_SETTINGS, edge_calls, run_cli
from tests.unit.test_engine_api import (
    assert_same_explanation,
    assert_same_mapping,
    assert_same_table,
)

pytestmark = pytest.mark.spark

#: Measures that count calls (the rest are sums of seconds, scores or costs).
COUNT_MEASURES = {name for name in MEASURES if not name.endswith("_sum")}
#: A sample day for the window of calls.
DAY = ("2025-02-12", "2025-02-13")


def test_the_duckdb_only_sql_is_rewritten_for_spark():
    """Each rewrite by hand: Spark keeps microseconds, rounds half to even with ``bround``,
    matches a whole text with an anchored ``RLIKE``, and keeps a temporary table by name."""
    from ccmetrics.engine_spark import to_spark_sql

    micros = "(UNIX_MICROS(CAST(`arrived_at` AS TIMESTAMP)) * 1000)"
    step = 1_800_000_000_000
    assert to_spark_sql(f"SELECT {period_sql('30min')}") == (
        f"SELECT TIMESTAMP_MICROS(({micros} - (({micros} % {step}) + {step}) % {step}) DIV 1000)"
    )
    assert to_spark_sql("SELECT CAST(t AS TIMESTAMP_NS), round_even(c * 1e4, 0)") == (
        "SELECT CAST(t AS TIMESTAMP), BROUND(c * 1e4, 0)"
    )
    assert to_spark_sql("SELECT regexp_full_match(c, '0+')") == r"SELECT c RLIKE '\\A(?:0+)\\z'"
    assert (
        to_spark_sql(
            "CREATE TEMP TABLE __fcr_0 AS SELECT a FROM s LEFT JOIN __fcr_1 AS f USING (a)", "_x"
        )
        == "CACHE TABLE __fcr_0_x AS SELECT a FROM s LEFT JOIN __fcr_1_x AS f USING (a)"
    )
    # no unsigned integers in Spark: a sign refused, as DuckDB's UBIGINT refuses it
    assert to_spark_sql("SELECT TRY_CAST(c AS UBIGINT)") == (
        "SELECT CASE WHEN NOT STARTSWITH(c, '-') THEN TRY_CAST(c AS DECIMAL(20, 0)) END"
    )
    # DuckDB sorts NULLs last by default, Spark first: made explicit
    assert to_spark_sql("SELECT lead(t) OVER (ORDER BY t) FROM s") == (
        "SELECT LEAD(t) OVER (ORDER BY t NULLS LAST) FROM s"
    )


@pytest.fixture(scope="module")
def duck(sample_calls) -> Dataset:
    return Dataset(sample_calls)


@pytest.fixture(scope="module")
def on_spark(spark, sample_calls):
    from ccmetrics.engine_spark import SparkDataset

    data = SparkDataset(sample_calls, spark)
    yield data
    data.close()


def assert_same(got: pd.DataFrame, want: pd.DataFrame, keys: list[str], counts: set[str]):
    """Same columns, rows and keys; ``counts`` equal exactly, other numbers to rtol 1e-9."""
    assert list(got.columns) == list(want.columns)
    assert len(got) == len(want) > 0
    for key in keys:
        pd.testing.assert_series_equal(got[key], want[key])
    assert_numbers_equal(got, want, got.columns.drop(keys), counts, rtol=1e-9)


def test_the_data_set_reads_the_same_calls(on_spark, duck):
    assert is_dataset(on_spark)
    assert on_spark.columns == duck.columns
    assert on_spark.rows == duck.rows == on_spark.count()
    assert on_spark.count(*DAY) == duck.count(*DAY) > 0


@pytest.mark.parametrize("by, freq", [(["queue"], "30min"), (["team"], "D")])
def test_the_cube_is_the_same(on_spark, duck, by, freq):
    assert_same(on_spark.sums(by, freq), duck.sums(by, freq), [*by, "period"], COUNT_MEASURES)


@pytest.mark.parametrize("by, freq", [([], "D"), (["queue"], None), ([], None)])
def test_the_kpis_are_the_same(on_spark, duck, by, freq):
    keys = [*by, "period"] if freq else by
    assert_same(on_spark.kpis(by, freq), duck.kpis(by, freq), keys, COUNT_COLUMNS)


def test_a_window_of_calls_and_its_fcr_flags_are_the_same(on_spark, duck):
    settings = KpiSettings()
    got, want = on_spark.window(*DAY, settings=settings), duck.window(*DAY, settings=settings)
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-9, atol=0)
    # both flags vary over the day: the comparison above could have told them apart
    assert 0 < got["fcr_eligible"].sum() < len(got)
    assert 0 < got["fcr_resolved"].sum() < got["fcr_eligible"].sum()


def test_a_drill_down_of_one_day_is_the_same(on_spark, duck):
    """The sample day against the same weekday a week before (two windows asked)."""
    day = pd.Timestamp(DAY[0])
    anomaly = (day, day + pd.Timedelta(days=1))
    baseline = [(day - pd.Timedelta(days=7), day - pd.Timedelta(days=6))]
    options = {"metric": "abandon_rate", "dims": ["queue", "category"], "drivers": False}
    got = drill.explain(on_spark, anomaly, baseline, **options)
    assert_same_explanation(got, drill.explain(duck, anomaly, baseline, **options))
    assert len(got.table) > 1


def test_a_team_funnel_is_the_same(on_spark, duck):
    got = compare.funnel(on_spark, "team", "service_level")
    expected = compare.funnel(duck, "team", "service_level")
    assert_same_table(got, expected)
    assert_same_mapping(got.attrs, expected.attrs)
    assert len(expected) > 1 and expected["n"].gt(0).all()


def test_the_cli_on_a_parquet_folder_prints_the_same_json(spark, capsys, tmp_path, sample_calls):
    """``kpis FOLDER --engine spark``: Spark reads the files itself (nanosecond times, row
    index per file, partition folders) and prints what DuckDB prints."""
    folder = tmp_path / "calls"  # February, in two partition folders
    february = sample_calls[sample_calls["arrived_at"].dt.month == 2]
    halves = np.where(february["arrived_at"].dt.day <= 14, "first", "second")
    for half, rows in february.groupby(halves):
        (folder / f"half={half}").mkdir(parents=True)
        rows.to_parquet(folder / f"half={half}" / "calls.parquet")
    options = ["--by", "team", "--freq", "D", "--period", "2025-02-03:2025-02-23", "--json"]
    status, duck_json, _ = run_cli(capsys, "kpis", folder, *options, "--engine", "duckdb")
    assert status == 0 and duck_json.startswith("[")
    assert run_cli(capsys, "kpis", folder, *options, "--engine", "spark") == (0, duck_json, "")


@pytest.mark.parametrize("settings", [KpiSettings(), *OTHER_SETTINGS])
def test_the_edge_cases_are_the_same(spark, settings):
    """The hand-made calls of tests/unit/test_engine.py: NULL and NaN, padded, blank and
    all-zero ids, ties in time, period boundaries, censoring, a missing team."""
    from ccmetrics.engine_spark import SparkDataset

    calls = edge_calls()
    data = SparkDataset(calls, spark)
    try:
        got = data.kpis(["queue"], "D", settings)
    finally:
        data.close()
    assert_same(
        got, Dataset(calls).kpis(["queue"], "D", settings), ["queue", "period"], COUNT_COLUMNS
    )
