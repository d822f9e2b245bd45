"""Benchmark: load an N-call CSV export and compute the KPI tables.

Usage: ``python bench/bench_load.py [--calls 1000000] [--repeat 3]`` (``make bench``).
Prints one row per stage with the best wall time of ``--repeat`` runs and the
process's peak memory. A benchmark, not a test: these machines are shared and
noisy, so record figures in docs/PERFORMANCE.md with the date and machine.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ccmetrics import io, kpi, sample  # noqa: E402
from ccmetrics.cube import build_cube  # noqa: E402


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def best_of(repeat: int, function):
    """Run ``function`` ``repeat`` times; return (best seconds, last result)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000, help="approximate number of calls")
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage (best is reported)")
    args = parser.parse_args(argv)

    base = len(sample.generate_calls(days=7))  # calls a week at scale 1
    scale = args.calls / (base * 90 / 7)
    started = time.perf_counter()
    calls = sample.generate_calls(scale=scale)
    generated_s = time.perf_counter() - started
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "calls.csv"
        calls.to_csv(path, index=False)
        size_mb = os.path.getsize(path) / 1e6
        del calls
        load_s, loaded = best_of(args.repeat, lambda: io.load(path))
        frame = loaded.frame
        rows.append(("io.load (CSV → canonical frame)", load_s))
        rows.append(("kpi.compute whole period", best_of(args.repeat, lambda: kpi.compute(frame))[0]))
        rows.append(("kpi.compute freq=30min", best_of(args.repeat, lambda: kpi.compute(frame, freq="30min"))[0]))
        rows.append(("kpi.compute freq=D by queue", best_of(args.repeat, lambda: kpi.compute(frame, by="queue", freq="D"))[0]))
        rows.append(("kpi.compute by agent", best_of(args.repeat, lambda: kpi.compute(frame, by="agent"))[0]))
        rows.append(("cube.build_cube 15min × all dims", best_of(args.repeat, lambda: build_cube(frame, "15min"))[0]))
        frame_mb = frame.memory_usage(deep=True).sum() / 1e6
        n_rows = len(frame)

    print(f"# bench_load: {n_rows:,} calls, CSV {size_mb:,.0f} MB, generated in {generated_s:.1f} s")
    print(f"# machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"# canonical frame: {frame_mb:,.0f} MB ({frame_mb * 1e6 / max(n_rows, 1):.0f} bytes/row)")
    print("| stage | best of %d (s) |" % args.repeat)
    print("|---|---:|")
    for name, seconds in rows:
        print(f"| {name} | {seconds:.3f} |")
    print(f"| peak memory of the process | {peak_rss_mb():,.0f} MB |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
