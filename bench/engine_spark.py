"""Benchmark: the sample's 30-minute KPI table on DuckDB and on Spark ``local[2]``, one run.

Usage: ``python bench/engine_spark.py``. Loads ``sample_data/calls.parquet`` once
(``io.load``), then times, in this process: ``Dataset(frame)`` and its 30-min KPI
table (DuckDB, FCR flags included), the Spark session's start, ``SparkDataset(frame)``
and the same table on Spark (first, with its FCR flags; then again, the flags kept).
Then ``python -m ccmetrics kpis sample_data/calls.parquet --freq 30min --json`` as a
process with ``--engine duckdb`` and ``--engine spark`` (imports and session start
included). Prints the load average before and after and whether the numbers agree.
A benchmark, not a test: record the figures in docs/PERFORMANCE.md ("Spark, local[2]").
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SAMPLE = ROOT / "sample_data" / "calls.parquet"


def timed(label: str, function, times: dict):
    started = time.perf_counter()
    result = function()
    times[label] = time.perf_counter() - started
    print(f"{label:<55} {times[label]:8.2f} s", flush=True)
    return result


def main() -> int:
    from ccmetrics import io
    from ccmetrics.engine import Dataset
    from ccmetrics.engine_spark import SparkDataset, spark_session

    print(f"load average at start: {os.getloadavg()}")
    times: dict[str, float] = {}
    calls = timed("io.load of the sample", lambda: io.load(SAMPLE).frame, times)
    print(f"{len(calls):,} calls")
    duck = timed("DuckDB: Dataset(frame)", lambda: Dataset(calls), times)
    want = timed("DuckDB: 30-min KPIs (FCR flags made)", lambda: duck.kpis(freq="30min"), times)
    timed("DuckDB: 30-min KPIs again (flags kept)", lambda: duck.kpis(freq="30min"), times)
    spark = timed("Spark: session local[2]", lambda: spark_session("local[2]"), times)
    data = timed("Spark: SparkDataset(frame)", lambda: SparkDataset(calls, spark), times)
    got = timed("Spark: 30-min KPIs (FCR flags made)", lambda: data.kpis(freq="30min"), times)
    timed("Spark: 30-min KPIs again (flags kept)", lambda: data.kpis(freq="30min"), times)
    spark.stop()
    numbers = want.columns.drop("period")
    same = (
        len(got) == len(want)
        and got["period"].equals(want["period"])
        and np.allclose(
            got[numbers].to_numpy(float, na_value=np.nan),
            want[numbers].to_numpy(float, na_value=np.nan),
            rtol=1e-9,
            atol=0,
            equal_nan=True,
        )
    )
    print(f"{len(want):,} half-hours; same numbers (every column within 1e-9 relative): {same}")
    outputs = {}
    for engine in ("duckdb", "spark"):
        command = [sys.executable, "-m", "ccmetrics", "kpis", str(SAMPLE), "--freq", "30min"]
        command += ["--json", "--engine", engine]
        run = timed(
            f"process: kpis --freq 30min --json --engine {engine}",
            lambda command=command: subprocess.run(
                command, cwd=ROOT, capture_output=True, text=True, check=True
            ),
            times,
        )
        outputs[engine] = run.stdout
    print(
        f"JSON identical: {outputs['duckdb'] == outputs['spark']} ({len(outputs['duckdb']):,} bytes)"
    )
    ratio = (
        times["Spark: 30-min KPIs again (flags kept)"]
        / times["DuckDB: 30-min KPIs again (flags kept)"]
    )
    print(f"Spark / DuckDB, 30-min KPIs with flags kept: {ratio:.0f}x")
    print(f"load average at end: {os.getloadavg()}")
    return 0 if same and outputs["duckdb"] == outputs["spark"] else 1


if __name__ == "__main__":
    sys.exit(main())
