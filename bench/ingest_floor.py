"""The floor of a first view that keeps every call: parsing the CSV, beside DuckDB.

Usage: ``python bench/ingest_floor.py [--calls 5000000] [--rounds 3]``. Times, alternating
round by round so all three see the same machine load (best and median of ``--rounds``):

* DuckDB's 30-minute aggregate straight from the CSV (strings never materialised);
* pyarrow parsing the whole CSV into Arrow, dimensions as dictionaries (what ``io.load`` does);
* DuckDB parsing the whole CSV into an Arrow table.

A benchmark, not a test; the figures go to docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

__all__ = ["main"]

DIMENSION_COLUMNS = ("queue", "category", "segment", "team", "agent")


def arrow_parse(path: Path) -> float:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    types = {c: pa.dictionary(pa.int32(), pa.string()) for c in DIMENSION_COLUMNS}
    started = time.perf_counter()
    pacsv.read_csv(
        pa.memory_map(str(path)),
        read_options=pacsv.ReadOptions(block_size=1 << 24),
        convert_options=pacsv.ConvertOptions(column_types=types),
    )
    return time.perf_counter() - started


def duckdb_parse(path: Path) -> float:
    import duckdb

    started = time.perf_counter()
    connection = duckdb.connect()
    connection.sql(f"SELECT * FROM read_csv('{path}')").to_arrow_table()
    connection.close()
    return time.perf_counter() - started


def duckdb_aggregate(path: Path) -> float:
    import duckdb
    from run import DUCKDB_QUERY

    started = time.perf_counter()
    connection = duckdb.connect()
    connection.sql(DUCKDB_QUERY.format(path=path)).fetchall()
    connection.close()
    return time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=5_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    import datagen

    path, rows = datagen.calls_csv(args.calls, 365)
    steps = {
        "DuckDB: the 30-minute aggregate straight from the CSV": duckdb_aggregate,
        "pyarrow: parse the whole CSV into Arrow (dimensions as dictionaries)": arrow_parse,
        "DuckDB: parse the whole CSV into an Arrow table": duckdb_parse,
    }
    times: dict[str, list[float]] = {name: [] for name in steps}
    for _ in range(args.rounds):
        for name, step in steps.items():
            times[name].append(step(path))
    print(f"| step at {rows:,} calls | best (s) | median (s) |\n|---|---:|---:|")
    for name, values in times.items():
        print(f"| {name} | {min(values):.2f} | {statistics.median(values):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
