"""Benchmark of the engine slice: pandas KPIs against ccmetrics.engine (DuckDB), same run.

Usage: ``python bench/engine.py [--calls 1000000] [--rounds 2] [--interactions]``. Uses the cached
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

With ``--interactions``, instead: the app's interactions (first view, daily SL of the
year, a month and the year by team, a queue filter, a threshold change and back, an FCR
window change, one day's calls and KPIs), (p) as ``pages/common/aggregates.py`` answers
them today (FCR flags on the frame, ``cube.CubeIndex``, ``kpi.compute`` of a cube's
window) against (e) one engine ``Dataset`` over the loaded frame and (q) one over the
canonical Parquet copy, whose cubes and FCR flags are kept in the engine.

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


def _time_year_and_day(out: dict, daily, day_calls):
    """Time what every stage answers after its first view: the year's daily SL series
    (``daily()``, the daily KPI table) and one day's calls (``day_calls(DAY, end)``),
    keeping their rows (the stages must agree on them); returns the day's end."""
    import pandas as pd

    out["days"] = len(_timed(out, "daily_sl", lambda: daily()["service_level"]))
    end = pd.Timestamp(DAY) + pd.Timedelta(days=1)
    out["day_calls"] = len(_timed(out, "day_window", lambda: day_calls(DAY, end)))
    return end


def child_pandas(csv: str) -> dict:
    from ccmetrics import io, kpi

    out: dict = {}
    started = time.perf_counter()
    frame = _timed(out, "load", lambda: io.load(csv).frame)
    table = _timed(out, "kpis_30min", lambda: kpi.compute(frame, freq="30min"))
    out["first_view"] = time.perf_counter() - started
    out["periods"] = len(table)
    flagged = _timed(out, "fcr_flags", lambda: kpi.add_fcr_flags(frame))
    _time_year_and_day(
        out,
        lambda: kpi.compute(flagged, freq="D"),
        lambda start, end: kpi.subset(frame, start, end),
    )
    out["peak_mb"] = peak_rss_mb()
    return out


def child_engine(source: str, memory_limit: str | None = None) -> dict:
    """(b) over the frame ``io.load`` makes of a CSV, or (c) over a canonical Parquet file
    (no pandas frame of the calls; one day's KPIs by queue timed too)."""
    from ccmetrics.engine import Dataset
    from ccmetrics.schema import KpiSettings

    over_parquet = source.endswith(".parquet")
    if not over_parquet:  # (c) imports no loader: its peak memory is the engine's own
        from ccmetrics import io

    out: dict = {}
    started = time.perf_counter()
    if over_parquet:
        data = _timed(out, "open", lambda: Dataset(source, memory_limit=memory_limit))
    else:
        frame = _timed(out, "load", lambda: io.load(source).frame)
        data = _timed(out, "open", lambda: Dataset(frame))
    _timed(out, "fcr_table", lambda: data._fcr_table(KpiSettings()))  # part of the first kpis
    table = _timed(out, "kpis_30min", lambda: data.kpis(freq="30min"))
    out["first_view"] = time.perf_counter() - started
    out["periods"] = len(table)
    end = _time_year_and_day(out, lambda: data.kpis(freq="D"), data.window)
    if over_parquet:
        day_kpis = _timed(out, "day_kpis", lambda: data.kpis("queue", start=DAY, end=end))
        out["day_queues"] = len(day_kpis)
    out["peak_mb"] = peak_rss_mb()
    return out


#: The interactions of the app compared between its pandas cube path and the engine, in
#: the order a user meets them (each a new question: no answer is cached before it).
MONTH = ("2025-06-01", "2025-07-01")
OTHER_MONTH = ("2025-03-01", "2025-04-01")
INTERACTIONS = [
    ("first_view", "first view: FCR flags, cube, 30-min KPIs of the year (from the loaded calls)"),
    ("daily_sl", "daily SL of the year"),
    ("month_team", "a month by team, first time (calls: no team cube yet)"),
    ("year_team", "the year by team (builds the day x queue x team cube)"),
    ("month_team_cube", "another month by team (a roll-up of that cube)"),
    ("month_queue_filter", "a month's daily KPIs, one queue"),
    ("threshold", "threshold change T = 30 s: daily SL of the year"),
    ("threshold_back", "back to T = 20 s: daily SL of the year"),
    ("fcr_window", "FCR window 24 h: daily KPIs of the year"),
    ("day_window", "one day's calls as pandas"),
    ("day_queues", "one day's KPIs by queue"),
]


def child_app_pandas(csv: str) -> dict:
    """The interactions as ``pages/common/aggregates.py`` answers them today: FCR flags on
    the frame, ``CubeIndex`` cubes (30 min x queue; day x queue x team), ``kpi.compute``
    of a cube's window, the calls for a short window before a cube of that shape exists."""
    import pandas as pd

    from ccmetrics import io, kpi
    from ccmetrics.cube import CubeIndex
    from ccmetrics.schema import KpiSettings

    out: dict = {}
    frame = _timed(out, "load", lambda: io.load(csv).frame)
    default = KpiSettings()
    state: dict = {}

    def first_view():
        state["flagged"] = kpi.add_fcr_flags(frame, default)
        state["index"] = CubeIndex(state["flagged"], "30min", ["queue"])
        state["cube"] = state["index"].cube(state["flagged"], default)
        return kpi.compute(state["cube"], freq="30min", settings=default)

    table = _timed(out, "first_view", first_view)
    cube, flagged, index = state["cube"], state["flagged"], state["index"]
    out["periods"] = len(table)
    daily = _timed(out, "daily_sl", lambda: kpi.compute(cube, freq="D")["service_level"])
    out["days"] = len(daily)
    month = _timed(out, "month_team", lambda: kpi.compute(kpi.subset(flagged, *MONTH), by="team"))
    out["teams"] = len(month)

    def year_team():
        state["team_index"] = CubeIndex(flagged, "D", ["queue", "team"])
        state["team_cube"] = state["team_index"].cube(flagged, default)
        return kpi.compute(state["team_cube"], by="team")

    _timed(out, "year_team", year_team)
    team_cube = state["team_cube"]
    _timed(
        out, "month_team_cube", lambda: kpi.compute(kpi.subset(team_cube, *OTHER_MONTH), by="team")
    )
    queue = str(frame["queue"].dropna().iloc[0])
    _timed(out, "month_queue_filter", lambda: kpi.compute(
        kpi.subset(cube, *MONTH, {"queue": [queue]}), freq="D"))  # fmt: skip
    t30 = KpiSettings(sl_threshold_s=30)
    sl30 = _timed(
        out, "threshold", lambda: kpi.compute(index.cube(flagged, t30), freq="D", settings=t30)
    )
    out["sl30_mean"] = float(sl30["service_level"].mean())
    _timed(out, "threshold_back", lambda: kpi.compute(index.cube(flagged, default), freq="D"))
    w24 = KpiSettings(fcr_window_h=24)

    def fcr_window():
        again = kpi.add_fcr_flags(frame, w24)  # the app keeps one flagged frame per FCR window
        return kpi.compute(index.cube(again, w24), freq="D", settings=w24)

    fcr = _timed(out, "fcr_window", fcr_window)
    out["fcr24_mean"] = float(fcr["fcr_rate"].mean())
    end = pd.Timestamp(DAY) + pd.Timedelta(days=1)
    out["day_calls"] = len(_timed(out, "day_window", lambda: kpi.subset(frame, DAY, end)))
    _timed(out, "day_queues", lambda: kpi.compute(kpi.subset(flagged, DAY, end), by="queue"))
    out["peak_mb"] = peak_rss_mb()
    return out


def child_app_engine(source: str, memory_limit: str | None = None) -> dict:
    """The same interactions from one :class:`ccmetrics.engine.Dataset` (its cubes and FCR
    flags kept in the engine): over the loaded frame (a CSV) or over a canonical Parquet file."""
    import pandas as pd

    from ccmetrics import io
    from ccmetrics.engine import Dataset
    from ccmetrics.schema import KpiSettings

    out: dict = {}
    if source.endswith(".parquet"):
        data = _timed(out, "open", lambda: Dataset(source, memory_limit=memory_limit))
        out["first_view_open"] = out["open"]
    else:
        frame = _timed(out, "load", lambda: io.load(source).frame)
        data = None
    default = KpiSettings()
    state = {"data": data}

    def first_view():
        if state["data"] is None:
            state["data"] = Dataset(frame)
        return state["data"].kpis(freq="30min", settings=default)

    table = _timed(out, "first_view", first_view)
    data = state["data"]
    out["periods"] = len(table)
    daily = _timed(out, "daily_sl", lambda: data.kpis(freq="D")["service_level"])
    out["days"] = len(daily)
    month = _timed(out, "month_team", lambda: data.kpis("team", start=MONTH[0], end=MONTH[1]))
    out["teams"] = len(month)
    _timed(out, "year_team", lambda: data.kpis("team", start="2025-01-01", end="2026-01-01"))
    _timed(
        out, "month_team_cube", lambda: data.kpis("team", start=OTHER_MONTH[0], end=OTHER_MONTH[1])
    )
    queue = str(data.window("2025-06-02", "2025-06-03", ["queue"])["queue"].dropna().iloc[0])
    _timed(out, "month_queue_filter", lambda: data.kpis(
        freq="D", start=MONTH[0], end=MONTH[1], filters={"queue": [queue]}))  # fmt: skip
    t30 = KpiSettings(sl_threshold_s=30)
    sl30 = _timed(out, "threshold", lambda: data.kpis(freq="D", settings=t30))
    out["sl30_mean"] = float(sl30["service_level"].mean())
    _timed(out, "threshold_back", lambda: data.kpis(freq="D", settings=default))
    w24 = KpiSettings(fcr_window_h=24)
    fcr = _timed(out, "fcr_window", lambda: data.kpis(freq="D", settings=w24))
    out["fcr24_mean"] = float(fcr["fcr_rate"].mean())
    end = pd.Timestamp(DAY) + pd.Timedelta(days=1)
    out["day_calls"] = len(_timed(out, "day_window", lambda: data.window(DAY, end)))
    _timed(out, "day_queues", lambda: data.kpis("queue", start=DAY, end=end))
    out["peak_mb"] = peak_rss_mb()
    return out


def _best_of_rounds(script: str, stages: dict, args, last_of: tuple = ()) -> dict[str, dict]:
    """Each stage run ``args.rounds`` times in a child: the least of each float (seconds,
    MB), except keys ending in ``last_of`` (means: the last round's), other values the last."""
    best: dict[str, dict] = {name: {} for name in stages}
    for _ in range(args.rounds):
        for name, path in stages.items():
            result = run_child_of(
                script, ["--child", name, "--memory-limit", args.memory_limit, path]
            )
            for key, value in result.items():
                kept = best[name].get(key)
                if isinstance(value, float) and not key.endswith(last_of):
                    best[name][key] = value if kept is None else min(kept, value)
                else:
                    best[name][key] = value
    return best


def interactions(args, csv: Path, parquet: Path, script: str) -> int:
    """``--interactions``: the app's interactions, pandas cube path against the engine."""
    import datagen  # noqa: F401  (the cached files exist: made by main)

    load_start = os.getloadavg()[0]
    stages = {"app_pandas": str(csv), "app_engine": str(csv), "app_engine_parquet": str(parquet)}
    best = _best_of_rounds(script, stages, args, last_of=("_mean",))
    print(f"# bench/engine.py --interactions --calls {args.calls} --rounds {args.rounds}, "
          f"{time.strftime('%Y-%m-%d %H:%M')}; load average {load_start:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end")  # fmt: skip
    print(f"# data: {csv.name} ({csv.stat().st_size / 1e6:,.0f} MB CSV, "
          f"{parquet.stat().st_size / 1e6:,.0f} MB canonical Parquet); best of {args.rounds}")  # fmt: skip
    print("| interaction (seconds) | (p) pandas + CubeIndex (the app today) | (e) engine over the "
          "loaded frame | (q) engine over the Parquet copy | (e)/(p) |")  # fmt: skip
    print("|---|---:|---:|---:|---:|")
    rows = [("load", "io.load of the CSV (before the first view; (q): Dataset over the file)")]
    for key, label in [*rows, *INTERACTIONS, ("peak_mb", "peak memory of the process (MB)")]:
        cells = []
        for name in stages:
            value = best[name].get(
                "open" if key == "load" and name == "app_engine_parquet" else key
            )
            cells.append(
                "–"
                if value is None
                else (f"{value:,.0f}" if key.endswith("_mb") else f"{value:.3f}")
            )
        p, e = best["app_pandas"].get(key), best["app_engine"].get(key)
        ratio = f"{e / p:.2f}" if p and e else "–"
        print(f"| {label} | " + " | ".join(cells) + f" | {ratio} |")
    checks = {name: {k: best[name].get(k) for k in ("periods", "days", "teams", "day_calls",
                                                    "sl30_mean", "fcr24_mean")}
              for name in stages}  # fmt: skip
    print(f"# same answers (rows; mean daily SL at T = 30 s; mean daily FCR at 24 h): {checks}")
    return 0


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
    parser.add_argument(
        "--interactions",
        action="store_true",
        help="compare the app's interactions: pandas + CubeIndex against the engine's cubes",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("path", nargs="?", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        children = {
            "pandas": lambda: child_pandas(args.path),
            "engine_frame": lambda: child_engine(args.path),
            "engine_parquet": lambda: child_engine(args.path, args.memory_limit),
            "cli_pandas": lambda: child_cli(args.path, "pandas"),
            "cli_duckdb": lambda: child_cli(args.path, "duckdb"),
            "cli_folder": lambda: child_cli(str(Path(args.path).parent), "duckdb"),
            "app_pandas": lambda: child_app_pandas(args.path),
            "app_engine": lambda: child_app_engine(args.path),
            "app_engine_parquet": lambda: child_app_engine(args.path, args.memory_limit),
        }
        print(json.dumps(children[args.child]()))
        return 0

    import datagen

    machine = describe_machine()
    csv, rows = datagen.calls_csv(args.calls, args.days)
    parquet = canonical_parquet(csv)
    script = str(Path(__file__).resolve())
    if args.interactions:
        print(f"# machine: {machine}")
        return interactions(args, csv, parquet, script)
    stages = {"pandas": str(csv), "engine_frame": str(csv), "engine_parquet": str(parquet)}
    clis = {"cli_pandas": str(csv), "cli_duckdb": str(csv), "cli_folder": str(parquet)}
    stages.update(clis)
    best = _best_of_rounds(script, stages, args)
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
