"""Benchmark of the engine slice: pandas KPIs against ccmetrics.engine (DuckDB), same run.

Usage: ``python bench/engine.py [--calls 1000000] [--rounds 2]``. Uses the cached
CSV of :mod:`bench.datagen` (a year of generated calls) and, once, a canonical
Parquet copy of its loaded frame beside it (``..._canonical.parquet``). Each
stage runs in a fresh child process, so each peak memory belongs to one stage:

* **(a) pandas**: ``io.load`` of the CSV, ``kpi.compute(frame, freq="30min")``,
  then (after the first view) the whole-year daily SL series and one day's calls
  as the app gets them today (``add_fcr_flags`` + ``compute(freq="D")``;
  ``kpi.subset``);
* **(b) engine over the frame**: ``io.load``, ``Dataset(frame).kpis(freq="30min")``,
  then the same daily series and day window from the Dataset;
* **(c) engine over the Parquet copy**: ``Dataset(parquet, memory_limit=...)``
  (no pandas frame of the calls), ``kpis(freq="30min")``, the whole-year daily SL
  series ``kpis(freq="D")``, one day's ``window`` and one day's KPIs by queue;
* **the command line as a process**: ``kpis CSV --freq 30min --json`` with each
  engine, and ``kpis FOLDER --engine duckdb`` on the folder of the Parquet copy.

Rounds alternate (a), (b), (c) so they see the same machine load; best wall
time per step is kept. A benchmark, not a test: record the figures in
docs/PERFORMANCE.md ("Engine slice") with the command and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from run import describe_machine  # noqa: E402

#: A day in the middle of the generated year (a Wednesday).
DAY = "2025-06-11"


def peak_rss_mb() -> float:
    """Peak resident memory of this process, in MB: ``VmHWM`` of /proc/self/status, which
    starts afresh at exec (``ru_maxrss`` keeps the parent's peak across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _timed(out: dict, key: str, function):
    started = time.perf_counter()
    result = function()
    out[key] = time.perf_counter() - started
    return result


def child_pandas(csv: str) -> dict:
    import pandas as pd

    from ccmetrics import io, kpi

    out: dict = {}
    started = time.perf_counter()
    frame = _timed(out, "load", lambda: io.load(csv).frame)
    table = _timed(out, "kpis_30min", lambda: kpi.compute(frame, freq="30min"))
    out["first_view"] = time.perf_counter() - started
    out["periods"] = len(table)
    flagged = _timed(out, "fcr_flags", lambda: kpi.add_fcr_flags(frame))
    daily = _timed(out, "daily_sl", lambda: kpi.compute(flagged, freq="D")["service_level"])
    out["days"] = len(daily)
    end = pd.Timestamp(DAY) + pd.Timedelta(days=1)
    out["day_calls"] = len(_timed(out, "day_window", lambda: kpi.subset(frame, DAY, end)))
    out["peak_mb"] = peak_rss_mb()
    return out


def child_engine_frame(csv: str) -> dict:
    import pandas as pd

    from ccmetrics import io
    from ccmetrics.engine import Dataset
    from ccmetrics.schema import KpiSettings

    out: dict = {}
    started = time.perf_counter()
    frame = _timed(out, "load", lambda: io.load(csv).frame)
    data = _timed(out, "open", lambda: Dataset(frame))
    _timed(out, "fcr_table", lambda: data._fcr_table(KpiSettings()))  # part of the first kpis
    table = _timed(out, "kpis_30min", lambda: data.kpis(freq="30min"))
    out["first_view"] = time.perf_counter() - started
    out["periods"] = len(table)
    daily = _timed(out, "daily_sl", lambda: data.kpis(freq="D")["service_level"])
    out["days"] = len(daily)
    end = pd.Timestamp(DAY) + pd.Timedelta(days=1)
    out["day_calls"] = len(_timed(out, "day_window", lambda: data.window(DAY, end)))
    out["peak_mb"] = peak_rss_mb()
    return out


def child_engine_parquet(parquet: str, memory_limit: str) -> dict:
    import pandas as pd

    from ccmetrics.engine import Dataset
    from ccmetrics.schema import KpiSettings

    out: dict = {}
    started = time.perf_counter()
    data = _timed(out, "open", lambda: Dataset(parquet, memory_limit=memory_limit))
    _timed(out, "fcr_table", lambda: data._fcr_table(KpiSettings()))  # part of the first kpis
    table = _timed(out, "kpis_30min", lambda: data.kpis(freq="30min"))
    out["first_view"] = time.perf_counter() - started
    out["periods"] = len(table)
    daily = _timed(out, "daily_sl", lambda: data.kpis(freq="D")["service_level"])
    out["days"] = len(daily)
    end = pd.Timestamp(DAY) + pd.Timedelta(days=1)
    out["day_calls"] = len(_timed(out, "day_window", lambda: data.window(DAY, end)))
    out["day_queues"] = len(_timed(out, "day_kpis", lambda: data.kpis("queue", start=DAY, end=end)))
    out["peak_mb"] = peak_rss_mb()
    return out


def canonical_parquet(csv: Path) -> Path:
    """The canonical calls of ``csv`` as one Parquet file in a folder of its own (written
    once, cached beside the CSV; the folder is what ``kpis FOLDER --engine duckdb`` reads)."""
    folder = csv.with_name(csv.stem + "_canonical")
    path = folder / "calls.parquet"
    if not path.exists():
        from ccmetrics import io

        folder.mkdir(exist_ok=True)
        io.load(csv).frame.to_parquet(path, compression="zstd")
    return path


def child_cli(target: str, engine: str) -> dict:
    """``python -m ccmetrics kpis TARGET --freq 30min --json --engine ENGINE`` as a process,
    imports included; its peak memory from the kernel's accounting of the finished child."""
    import resource
    import subprocess

    command = [sys.executable, "-m", "ccmetrics", "kpis", target, "--freq", "30min", "--json"]
    started = time.perf_counter()
    completed = subprocess.run(
        [*command, "--engine", engine], capture_output=True, cwd=ROOT, check=True
    )
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"cli": seconds, "cli_mb": peak, "cli_bytes": len(completed.stdout)}


ROWS = [
    ("first_view", "first view: load (or open) + KPIs 30 min"),
    ("load", "  of which io.load (CSV -> canonical frame)"),
    ("open", "  of which Dataset(...) (register / read the Parquet footer, max time)"),
    ("fcr_table", "  of which FCR flags (engine: the window function, kept per FCR setting)"),
    ("kpis_30min", "  of which the 30-min KPI table (pandas: FCR included)"),
    ("fcr_flags", "kpi.add_fcr_flags (pandas, once per data set)"),
    ("daily_sl", "whole-year daily SL series (FCR included)"),
    ("day_window", "one day's calls as pandas"),
    ("day_kpis", "one day's KPIs by queue (FCR of the whole data)"),
    ("peak_mb", "peak memory of the process (MB)"),
]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--memory-limit", default="1GB", help="DuckDB's limit over Parquet")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        children = {
            "pandas": lambda: child_pandas(args.path),
            "engine_frame": lambda: child_engine_frame(args.path),
            "engine_parquet": lambda: child_engine_parquet(args.path, args.memory_limit),
            "cli_pandas": lambda: child_cli(args.path, "pandas"),
            "cli_duckdb": lambda: child_cli(args.path, "duckdb"),
            "cli_folder": lambda: child_cli(str(Path(args.path).parent), "duckdb"),
        }
        print(json.dumps(children[args.child]()))
        return 0

    import datagen

    machine = describe_machine()
    csv, rows = datagen.calls_csv(args.calls, args.days)
    parquet = canonical_parquet(csv)
    script = str(Path(__file__).resolve())
    stages = {"pandas": str(csv), "engine_frame": str(csv), "engine_parquet": str(parquet)}
    clis = {"cli_pandas": str(csv), "cli_duckdb": str(csv), "cli_folder": str(parquet)}
    stages.update(clis)
    best: dict[str, dict] = {name: {} for name in stages}
    for _ in range(args.rounds):
        for name, path in stages.items():
            extra = ["--memory-limit", args.memory_limit]
            result = run_child_of(script, ["--child", name, *extra, path])
            for key, value in result.items():
                if isinstance(value, float):
                    kept = best[name].get(key)
                    best[name][key] = value if kept is None else min(kept, value)
                else:
                    best[name][key] = value
    print(f"# bench/engine.py --calls {args.calls} --rounds {args.rounds}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}; load average at the end "
          f"{os.getloadavg()[0]:.1f}")  # fmt: skip
    print(f"# machine: {machine}")
    print(f"# data: {rows:,} calls ({csv.stat().st_size / 1e6:,.0f} MB CSV, "
          f"{parquet.stat().st_size / 1e6:,.0f} MB canonical Parquet); best of {args.rounds}")  # fmt: skip
    print("| step (seconds unless stated) | (a) pandas: io.load + kpi | (b) io.load + engine "
          "over the frame | (c) engine over the Parquet copy |")  # fmt: skip
    print("|---|---:|---:|---:|")
    tables = [name for name in stages if name not in clis]
    for key, label in ROWS:
        values = [best[name].get(key) for name in tables]
        if all(v is None for v in values):
            continue
        cells = [
            "–" if v is None else (f"{v:,.0f}" if key.endswith("_mb") else f"{v:.3f}")
            for v in values
        ]
        print(f"| {label} | " + " | ".join(cells) + " |")
    print("| `python -m ccmetrics kpis ... --freq 30min --json` as a process | seconds | peak MB "
          "| JSON bytes |")  # fmt: skip
    print("|---|---:|---:|---:|")
    for name, label in (("cli_pandas", "CSV, --engine pandas"), ("cli_duckdb", "CSV, --engine duckdb"),
                        ("cli_folder", "folder of the Parquet copy, --engine duckdb")):  # fmt: skip
        row = best[name]
        print(f"| {label} | {row['cli']:.3f} | {row['cli_mb']:,.0f} | {row['cli_bytes']:,} |")
    checks = {name: (best[name].get("periods"), best[name].get("days"), best[name].get("day_calls"))
              for name in tables}  # fmt: skip
    print(f"# rows (30-min periods, days, calls of {DAY}) per stage: {checks}")
    return 0


def run_child_of(script: str, args: list[str]) -> dict:
    """:func:`run.run_child` for this script (a fresh, niced process; its last JSON line)."""
    import subprocess

    command = ["nice", "-n", "5", sys.executable, script, *args]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=3600)
    if completed.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    raise SystemExit(main())
