"""Benchmark: first view and interactions at 1, 5 and 10 million calls, beside DuckDB.

Usage: ``python bench/run.py [--sizes 1000000,5000000,10000000] [--rounds 3]``
(``make bench``). For each size it generates (once, cached) a year of calls
with :mod:`bench.datagen`, then, in fresh child processes so that each peak
memory belongs to one stage:

* **first view**, ``--rounds`` times, alternating with the reference so both
  see the same machine load: ``io.load`` of the CSV (bytes -> canonical frame)
  then ``kpi.compute(frame, freq="30min")`` (every KPI, FCR included);
* **DuckDB reference**: the same 30-minute table (offered, answered, abandoned,
  answered within 20 s, short abandons, wait and handle sums) straight from
  the same CSV, in-process;
* **cached reload**: ``io.load_cached`` of the same CSV, once to write the
  Parquet copy (a fresh load plus the write) and ``--rounds`` times served
  from it (hashing the file's bytes included), each in a fresh process as
  after a restart;
* **interactions** after one load: the ccmetrics calls behind each page, on
  the app's default window (the last 28 days, one queue) and on the whole
  year, on the call-level frame and on a 30-minute cube, and the Overview
  exactly as the app computes it (cube lookups, a breakdown by team from the
  day x queue x team cube); a threshold change as the app meets it (the cubes
  updated from their ``CubeIndex``, built once per dataset and not timed there).

Prints a Markdown table of the best wall time of each stage (seconds), the
ratio first view / DuckDB (best over best, and the median of the per-round
ratios), and the peak resident memory of each child process. A benchmark,
not a test: these machines are shared and noisy, so ratios measured in the
same run are what to compare; record results in docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: Folder holding the ``ccmetrics`` package to measure (``--ccmetrics``; default
#: this checkout), e.g. an older version extracted with ``git archive``.
PACKAGE_ROOT = Path(os.environ.get("CCMETRICS_BENCH_PACKAGE", ROOT))
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(PACKAGE_ROOT))

#: The DuckDB reference: the 30-minute table ccmetrics' first view also produces.
DUCKDB_QUERY = """
SELECT time_bucket(INTERVAL 30 minutes, arrived_at) AS period,
       count(*) AS offered,
       count_if(answered) AS answered,
       count_if(abandoned) AS abandoned,
       count_if(answered AND wait_s <= 20) AS answered_in_sl,
       count_if(abandoned AND wait_s < 5) AS short_abandoned,
       sum(CASE WHEN answered THEN wait_s END) AS wait_s_sum,
       sum(talk_s + coalesce(hold_s, 0) + coalesce(acw_s, 0)) AS handle_s_sum
FROM read_csv('{path}')
GROUP BY 1
ORDER BY 1
"""


def peak_rss_mb() -> float:
    """Peak resident memory of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def best_of(repeat: int, function) -> tuple[float, object]:
    """Run ``function`` ``repeat`` times; return (best wall seconds, last result)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


# --------------------------------------------------------------------------- children


def child_duckdb(path: str) -> dict:
    import duckdb

    started = time.perf_counter()
    connection = duckdb.connect()
    table = connection.sql(DUCKDB_QUERY.format(path=path)).df()
    connection.close()
    return {"seconds": time.perf_counter() - started, "rows": len(table), "peak_mb": peak_rss_mb()}


def child_first_view(path: str) -> dict:
    from ccmetrics import io, kpi

    started = time.perf_counter()
    result = io.load(path)
    loaded = time.perf_counter()
    table = kpi.compute(result.frame, freq="30min")
    done = time.perf_counter()
    frame = result.frame
    return {
        "seconds": done - started,
        "load_s": loaded - started,
        "compute_s": done - loaded,
        "rows": len(frame),
        "periods": len(table),
        "frame_bytes_per_row": float(frame.memory_usage(deep=True).sum() / max(len(frame), 1)),
        "peak_mb": peak_rss_mb(),
    }


def child_cached(path: str, cache_dir: str) -> dict:
    """``io.load_cached`` in a fresh process: a miss writes the copy, a hit reads it."""
    from ccmetrics import io

    started = time.perf_counter()
    result = io.load_cached(path, cache_dir=cache_dir)
    return {
        "seconds": time.perf_counter() - started,
        "rows": len(result.frame),
        "peak_mb": peak_rss_mb(),
    }


def child_interactions(path: str, repeat: int) -> dict:
    """Time the ccmetrics calls behind each page after one load (best of ``repeat``)."""
    import tempfile

    import pandas as pd

    from ccmetrics import compare, drill, io, kpi, spc
    from ccmetrics.cube import CubeIndex, build_cube
    from ccmetrics.schema import DIMENSIONS, KpiSettings

    out: dict[str, float] = {}
    started = time.perf_counter()
    frame = io.load(path).frame
    out["load"] = time.perf_counter() - started
    settings = KpiSettings()
    changed = KpiSettings(sl_threshold_s=30)
    out["fcr"], frame = best_of(1, lambda: kpi.add_fcr_flags(frame, settings))
    out["cube"], cube = best_of(repeat, lambda: build_cube(frame, "30min", ["queue"], settings))
    out["team_cube"], team_cube = best_of(
        repeat, lambda: build_cube(frame, "D", ["queue", "team"], settings)
    )
    # what the app keeps per dataset (pages/common/aggregates.py): the CubeIndex of each cube shape,
    # the 30-min x queue cube, and the day x queue x team cube once a team breakdown is shown
    out["cube_index"], index = best_of(repeat, lambda: CubeIndex(frame, "30min", ["queue"]))
    index.cube(frame, settings)
    out["team_index"], team_index = best_of(
        repeat, lambda: CubeIndex(frame, "D", ["queue", "team"])
    )
    team_day_cube = team_index.cube(frame, settings)

    def cube_update(cube_index, new_settings):
        """A threshold change as the app meets it: the cube for T not counted yet (the
        kept counts of T are dropped first, so that every round counts them)."""
        cube_index.clear(["sl"])
        return cube_index.cube(frame, new_settings)

    times = frame["arrived_at"]
    first, last = times.min().normalize(), times.max().normalize()
    end = last + pd.Timedelta(days=1)
    start = end - pd.Timedelta(days=28)
    queue = str(frame["queue"].dropna().iloc[0])
    one_queue = {"queue": [queue]}

    def overview(data, window_start, filters, settings=settings):
        """The Overview page: tiles against the previous period, daily trend, heatmap."""
        window = kpi.subset(data, window_start, end, filters)
        kpi.period_comparison(data, window_start, end, settings, filters=filters)
        kpi.compute(window, freq="D", settings=settings)
        kpi.weekday_slot_table(window, slot="30min", settings=settings)

    def breakdown(data, window_start, filters, by="team"):
        return kpi.compute(kpi.subset(data, window_start, end, filters), by=by, settings=settings)

    dimensions = [d for d in DIMENSIONS if d in frame.columns]

    def app_overview(window_start, filters, by):
        """The Overview as the app computes it (pages/common/aggregates.py), the cube already
        built for the settings in force: which KPIs and dimensions the data has (on the
        calls), tiles, daily trend and heat maps from the cube, the breakdown from the
        cube when ``by`` is the cube's dimension (queue, the default) and from the day x
        queue x team cube for ``by="team"``."""
        kpi.missing_inputs(frame)
        [d for d in dimensions if frame[d].notna().any()]
        overview(cube, window_start, filters)
        breakdown(cube if by == "queue" else team_day_cube, window_start, filters, by=by)

    def control_chart(data, window_start, freq, granularity):
        table = kpi.compute(
            kpi.subset(data, window_start, end), freq=freq, settings=settings, keep_sums=True
        )
        return spc.kpi_chart(table, "service_level", granularity=granularity)

    timings = {
        "overview_28d_calls": lambda: (
            overview(frame, start, one_queue),
            breakdown(frame, start, one_queue),
        ),
        "overview_year_calls": lambda: overview(frame, first, None),
        "overview_year_cube": lambda: overview(cube, first, None),
        "breakdown_year_calls": lambda: breakdown(frame, first, None),
        "setting_change_28d_calls": lambda: overview(frame, start, one_queue, changed),
        "setting_change_cube": lambda: overview(
            build_cube(frame, "30min", ["queue"], changed), first, None, changed
        ),
        "cube_update": lambda: cube_update(index, changed),
        "setting_change_update": lambda: overview(
            cube_update(index, changed), first, None, changed
        ),
        "breakdown_app_team_year": lambda: breakdown(team_day_cube, first, None),
        "setting_change_team": lambda: kpi.compute(
            cube_update(team_index, changed), by="team", settings=changed
        ),
        "chart_day_year_calls": lambda: control_chart(frame, first, "D", "day"),
        "chart_day_year_cube": lambda: control_chart(cube, first, "D", "day"),
        "chart_30min_28d_calls": lambda: control_chart(frame, start, "30min", "interval"),
        "chart_30min_28d_cube": lambda: control_chart(cube, start, "30min", "interval"),
        "overview_app_28d": lambda: app_overview(start, one_queue, "queue"),
        "overview_app_year": lambda: app_overview(first, None, "queue"),
        "overview_app_year_team": lambda: app_overview(first, None, "team"),
        "drill_day": lambda: drill.explain(
            frame, (last - pd.Timedelta(days=7), last - pd.Timedelta(days=6)), settings=settings
        ),
        "funnel_28d": lambda: compare.funnel(
            kpi.subset(frame, start, end), "team", "service_level", settings=settings
        ),
        "funnel_year": lambda: compare.funnel(frame, "team", "service_level", settings=settings),
        "funnel_year_cube": lambda: compare.funnel(
            team_cube, "team", "service_level", settings=settings
        ),
    }
    for name, function in timings.items():
        out[name] = best_of(repeat, function)[0]
    with tempfile.TemporaryDirectory() as folder:
        parquet = Path(folder) / "frame.parquet"
        out["parquet_write"] = best_of(1, lambda: frame.to_parquet(parquet))[0]
        out["parquet_read"] = best_of(repeat, lambda: pd.read_parquet(parquet))[0]
    out["peak_mb"] = peak_rss_mb()
    return out


def run_child(args: list[str], timeout: float = 3600) -> dict:
    """Run ``bench/run.py --child ...`` in a fresh process (niced) and parse its JSON."""
    command = ["nice", "-n", "5", sys.executable, str(Path(__file__).resolve()), *args]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------- report

ROWS = [
    ("duckdb", "DuckDB reference: 30-min table from the CSV"),
    ("first_view", "ccmetrics first view: io.load + kpi.compute 30 min"),
    ("load_s", "  of which io.load (CSV -> canonical frame)"),
    ("compute_s", "  of which kpi.compute 30 min (FCR included)"),
    ("ratio", "ratio first view / DuckDB (best / best)"),
    ("ratio_median", "ratio, median of the per-round ratios"),
    ("first_view_mb", "peak memory, first view process (MB)"),
    ("duckdb_mb", "peak memory, DuckDB process (MB)"),
    ("bytes_per_row", "canonical frame, bytes per call"),
    ("fcr", "kpi.add_fcr_flags, once per upload"),
    ("cube", "build_cube 30 min x queue, once per settings"),
    ("team_cube", "build_cube day x queue x team, once per settings"),
    ("overview_28d_calls", "Overview, 28 days + queue filter (calls)"),
    ("overview_year_calls", "Overview, whole year (calls)"),
    ("overview_year_cube", "Overview, whole year (cube)"),
    ("breakdown_year_calls", "Breakdown by team, whole year (calls)"),
    ("setting_change_28d_calls", "Setting change T=30 s: Overview, 28 days (calls)"),
    ("setting_change_cube", "Setting change T=30 s: cube rebuild + Overview, year"),
    ("cube_index", "CubeIndex 30 min x queue, once per dataset"),
    ("team_index", "CubeIndex day x queue x team, once per dataset"),
    ("cube_update", "Setting change T=30 s: cube update (CubeIndex), 30 min x queue"),
    ("setting_change_update", "Setting change T=30 s: cube update + Overview, year"),
    ("breakdown_app_team_year", "Overview breakdown by team, year, as the app computes it"),
    (
        "setting_change_team",
        "Setting change T=30 s: day x queue x team cube update + breakdown by team, year",
    ),
    ("chart_day_year_calls", "Control chart, daily SL, whole year (calls)"),
    ("chart_day_year_cube", "Control chart, daily SL, whole year (cube)"),
    ("chart_30min_28d_calls", "Control chart, 30-min SL, 28 days (calls)"),
    ("chart_30min_28d_cube", "Control chart, 30-min SL, 28 days (cube)"),
    ("overview_app_28d", "App Overview, 28 days + queue filter (cube; breakdown by queue)"),
    ("overview_app_year", "App Overview, whole year (cube; breakdown by queue)"),
    (
        "overview_app_year_team",
        "App Overview, whole year (cubes; breakdown by team from the day x queue x team cube)",
    ),
    ("drill_day", "Drill-down explain of one day"),
    ("funnel_28d", "Team funnel, 28 days"),
    ("funnel_year", "Team funnel, whole year (calls)"),
    ("funnel_year_cube", "Team funnel, whole year (day x queue x team cube)"),
    ("parquet_write", "Parquet copy of the frame: write"),
    ("parquet_read", "Parquet copy of the frame: read (re-upload, restart)"),
    ("interactions_mb", "peak memory, interactions process (MB)"),
    ("cached_miss", "io.load_cached, first time: io.load + write the Parquet copy"),
    ("cached_miss_mb", "  peak memory of that process (MB)"),
    ("cached_reload", "cached reload: io.load_cached served from the copy (hash included)"),
    ("cached_reload_mb", "  peak memory of that process (MB)"),
]


def format_value(key: str, value) -> str:
    if value is None:
        return "–"
    if key.startswith("ratio"):
        return f"{value:.2f}×"
    if key.endswith("_mb"):
        return f"{value:,.0f}"
    if key == "bytes_per_row":
        return f"{value:.0f}"
    return f"{value:.3f}"


def measure(calls: int, days: int, rounds: int, repeat: int, interactions: bool) -> dict:
    import datagen

    path, rows = datagen.calls_csv(calls, days)
    duckdb_runs, first_runs = [], []
    for _ in range(rounds):
        duckdb_runs.append(run_child(["--child", "duckdb", str(path)]))
        first_runs.append(run_child(["--child", "first_view", str(path)]))
    best_duck = min(duckdb_runs, key=lambda r: r["seconds"])
    best_first = min(first_runs, key=lambda r: r["seconds"])
    ratios = [f["seconds"] / d["seconds"] for d, f in zip(duckdb_runs, first_runs, strict=True)]
    result = {
        "calls": best_first["rows"],
        "csv_mb": path.stat().st_size / 1e6,
        "duckdb": best_duck["seconds"],
        "first_view": best_first["seconds"],
        "load_s": min(r["load_s"] for r in first_runs),
        "compute_s": min(r["compute_s"] for r in first_runs),
        "ratio": best_first["seconds"] / best_duck["seconds"],
        "ratio_median": statistics.median(ratios),
        "first_view_mb": max(r["peak_mb"] for r in first_runs),
        "duckdb_mb": max(r["peak_mb"] for r in duckdb_runs),
        "bytes_per_row": best_first["frame_bytes_per_row"],
    }
    result.update(measure_cached(path, rounds))
    if interactions:
        steps = run_child(["--child", "interactions", str(path), "--repeat", str(repeat)])
        result.update({k: v for k, v in steps.items() if k not in ("load", "peak_mb")})
        result["interactions_mb"] = steps["peak_mb"]
    return result


def measure_cached(path: Path, rounds: int) -> dict:
    """The cached-reload rows: one miss (writes the copy), then ``rounds`` hits."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="ccmetrics-bench-cache-") as folder:
        try:
            miss = run_child(["--child", "cached", str(path), "--cache-dir", folder])
        except RuntimeError as error:  # e.g. --ccmetrics names a version without load_cached
            print(f"# cached reload not measured: {str(error)[:200]}", file=sys.stderr)
            return {}
        hits = [
            run_child(["--child", "cached", str(path), "--cache-dir", folder])
            for _ in range(rounds)
        ]
    return {
        "cached_miss": miss["seconds"],
        "cached_miss_mb": miss["peak_mb"],
        "cached_reload": min(h["seconds"] for h in hits),
        "cached_reload_mb": max(h["peak_mb"] for h in hits),
    }


def describe_machine() -> str:
    import duckdb
    import numpy
    import pandas
    import pyarrow

    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory_gb:.0f} GiB; Python {platform.python_version()}, "
        f"pandas {pandas.__version__}, numpy {numpy.__version__}, pyarrow {pyarrow.__version__}, "
        f"duckdb {duckdb.__version__}; load average {os.getloadavg()[0]:.1f} at the start"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes", default="1000000,5000000,10000000", help="calls, comma-separated"
    )
    parser.add_argument("--days", type=int, default=365, help="days of data (default a year)")
    parser.add_argument("--rounds", type=int, default=3, help="first view / DuckDB rounds")
    parser.add_argument("--repeat", type=int, default=3, help="runs per interaction (best kept)")
    parser.add_argument("--no-interactions", action="store_true", help="first view only")
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--ccmetrics",
        help="folder holding the ccmetrics package to measure (default this checkout), e.g. "
        "an older version: git archive <commit> ccmetrics | tar -x -C /tmp/old",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--cache-dir", help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        if args.child == "duckdb":
            result = child_duckdb(args.path)
        elif args.child == "first_view":
            result = child_first_view(args.path)
        elif args.child == "cached":
            result = child_cached(args.path, args.cache_dir)
        else:
            result = child_interactions(args.path, args.repeat)
        print(json.dumps(result))
        return 0

    if args.ccmetrics:
        os.environ["CCMETRICS_BENCH_PACKAGE"] = str(Path(args.ccmetrics).resolve())
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    machine = describe_machine()
    results = {}
    for calls in sizes:
        print(f"# {calls:,} calls ...", file=sys.stderr, flush=True)
        results[calls] = measure(
            calls, args.days, args.rounds, args.repeat, not args.no_interactions
        )
    print(f"# bench/run.py, {time.strftime('%Y-%m-%d %H:%M')}")
    print(f"# machine: {machine}")
    if args.ccmetrics:
        print(f"# ccmetrics measured: {Path(args.ccmetrics).resolve()}")
    print(
        f"# data: a year of generated calls (bench/datagen.py); best of {args.rounds} rounds for "
        f"the first view and DuckDB, best of {args.repeat} for interactions; seconds unless stated"
    )
    header = "| stage | " + " | ".join(
        f"{r['calls']:,} calls ({r['csv_mb']:,.0f} MB)" for r in results.values()
    )
    print(header + " |")
    print("|---|" + "---:|" * len(results))
    for key, label in ROWS:
        values = [r.get(key) for r in results.values()]
        if all(v is None for v in values):
            continue
        print(f"| {label} | " + " | ".join(format_value(key, v) for v in values) + " |")
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
