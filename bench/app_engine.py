"""Benchmark: what the app does when it opens a data set on an engine, one run, no Streamlit.

Usage: ``python bench/app_engine.py FOLDER [duckdb|spark]`` (``CCMETRICS_MEMORY_LIMIT=4GB``
caps DuckDB as the app does). Times, cumulatively from the start, the steps of
``pages.common.data`` on a canonical Parquet file or folder: open
(``engine_source.open_source``), the span of arrivals, the default period (last full
month) counted against the row budget (``fit_budget``), the period's calls fetched with
the FCR flags of the whole data (``Dataset.window``), cast to the canonical dtypes, and
the Overview tiles' comparison with the days before (``engine_source.period_comparison``).
Prints the load average, the sizes and the process's peak RSS. A benchmark, not a test:
record the figures in docs/PERFORMANCE.md ("The app on an engine source").
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ccmetrics import engine_source  # noqa: E402
from ccmetrics.schema import KpiSettings  # noqa: E402


def main(path: str, engine: str = "duckdb") -> None:
    print(f"load average before: {os.getloadavg()}")
    started = time.perf_counter()
    marks: dict[str, float] = {}

    def mark(name: str) -> None:
        marks[name] = time.perf_counter() - started

    data = engine_source.open_source(engine_source.EngineSource(path, engine))
    mark("open")
    first, last = engine_source.arrival_span(data)
    mark("span")
    period = engine_source.fit_budget(data, *engine_source.last_full_month(first, last))
    mark("budget")
    start = pd.Timestamp(period.start)
    end = pd.Timestamp(period.end) + pd.Timedelta(days=1)
    frame = data.window(start, end, settings=KpiSettings())
    mark("window")
    frame = engine_source.canonical_dtypes(frame)
    mark("dtypes")
    engine_source.period_comparison(data, start, end, KpiSettings())
    mark("comparison")
    print(
        f"calls in all {data.rows:,}, span {first} – {last}, period {period.start} – "
        f"{period.end}: {period.calls:,} calls (cut: {period.cut}), frame "
        f"{frame.memory_usage(deep=True).sum() / 1e9:.2f} GB"
    )
    print("seconds from the start: " + ", ".join(f"{k} {v:.2f}" for k, v in marks.items()))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6  # kB on Linux
    print(f"peak RSS {peak:.2f} GB; load average after: {os.getloadavg()}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
