"""Beyond RAM: a month's Overview, the year's control chart and a one-day drill-down
from a Parquet folder of 50 million calls, with DuckDB's memory limit set.

Usage: ``python bench/bigdata.py [--calls 50000000] [--memory-limit 2GB]
[--folder DIR] [--rounds 1] [--cube [--cube-dir DIR]] [--diagnose] [--drill auto|dataset|window]
[--baseline weeks|default]``. The folder is made once by :mod:`bench.datagen`'s
Parquet-folder mode (one zstd file per month, about 1 GB at 50M calls; default in
``$CCMETRICS_BENCH_DIR``). Each step runs in a fresh child process that opens the
folder with ``ccmetrics.engine.Dataset(folder, memory_limit=..., temp_directory=...)``
(no pandas frame of the calls, spilling to the temp directory above the limit), so
each peak memory (``VmHWM``) belongs to one step:

* **open**: ``Dataset(...)`` alone (reads the Parquet footers, the last arrival and
  the row count);
* **month Overview** (what ``pages/overview_page.py`` draws for a month): one engine
  query, the 30-min × queue sums of the month and the month before it
  (``Dataset.sums``; FCR by the window function over those two months and 72 h
  after), shaped as the app's 30-min × queue cube; then, on that small cube, the
  app's own functions: the KPI tiles against the previous month
  (``kpi.period_comparison``), the daily KPIs (``kpi.compute(freq="D")``) and the
  weekday × half-hour table (``kpi.weekday_slot_table``);
* **year control chart** (what the control-charts page draws for a year of days):
  the daily sums of the year (``Dataset.sums(freq="D")``; FCR over the whole year),
  ``kpi.compute(cube, freq="D", keep_sums=True)`` and ``spc.kpi_chart`` of the
  service level (the page's default chart, limits and rule signals); and the same
  with the engine asked only for the service level's measures
  (``Dataset.sums(..., measures=...)``: no FCR window function);
* **one-day drill-down**: the worst day of the year by service level (found by the
  control-chart step, with four same weekdays before it) explained by
  ``drill.explain`` against those four same weekdays: with ``drill.explain(dataset,
  ...)`` when the engine-backed explain is present (``--drill dataset``), else on
  the pandas frame of the five days from ``Dataset.window`` (``--drill window``).

With ``--cube``, also: the engine's 30-min × queue cube of the whole data made once
and kept by the engine (``Dataset(folder, cube_dir=...)``; ``--cube-dir``, default
beside the folder: ``<folder>_cubes``; FCR of the whole data, default settings recorded
in the file), then the Overview, the control chart (the service level's measures) and
the drill-down in fresh processes whose ``Dataset`` over the same folder reads that
cube (and the data's facts) instead of the calls. ``--baseline default`` lets the
drill-down choose its baseline (candidate weeks judged on their sums) instead of
giving it the four same weekdays before. With ``--diagnose``, also the engine's time split into the
check for padded customer ids, the sums with and without the FCR window function, and
the year's two service-level counts alone in SQL. Imports are done before any clock
starts (the app has them imported).

Reported: wall seconds of each part, the step's total after ``open``, and its peak
memory. A benchmark, not a test: record the figures in docs/PERFORMANCE.md ("50M
calls from Parquet") with the command, the machine and the load average.
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

from engine import peak_rss_mb, run_child_of  # noqa: E402
from run import describe_machine  # noqa: E402

#: The month of the Overview (the month before it is the comparison).
MONTH = "2025-06"
#: The year of the control chart.
YEAR = "2025"


def _timed(out: dict, key: str, function):
    started = time.perf_counter()
    result = function()
    out[key] = time.perf_counter() - started
    return result


def _imports() -> None:
    """Import what the steps use before any clock starts (the app has them imported)."""
    import ccmetrics.drill
    import ccmetrics.engine
    import ccmetrics.kpi
    import ccmetrics.spc  # noqa: F401


#: Where the engine keeps its cube of the folder (``Dataset(cube_dir=...)``), for the
#: steps of ``--cube`` only (set in each child from ``--cube-dir``).
_CUBE_DIR: str | None = None


def _open(out: dict, folder: str, memory_limit: str, temp: str):
    from ccmetrics.engine import Dataset

    data = _timed(
        out,
        "open",
        lambda: Dataset(
            folder, memory_limit=memory_limit, temp_directory=temp, cube_dir=_CUBE_DIR
        ),
    )
    out["rows"] = data.rows
    return data


def as_cube(sums, freq: str, settings):
    """``Dataset.sums(by, freq)`` in the shape of :func:`ccmetrics.cube.build_cube`
    (``interval_start``, ``interval_minutes``, the keys, the measures; the settings in
    ``attrs``), so the app's pandas functions read it as they read the app's cube."""
    from dataclasses import asdict

    import pandas as pd

    cube = sums.rename(columns={"period": "interval_start"})
    minutes = pd.Timedelta(pd.tseries.frequencies.to_offset(freq)).total_seconds() / 60.0
    cube.insert(1, "interval_minutes", minutes)
    cube = cube[["interval_start", *[c for c in cube.columns if c != "interval_start"]]]
    cube.attrs["ccmetrics_settings"] = asdict(settings)
    return cube


def child_open(folder: str, memory_limit: str, temp: str) -> dict:
    out: dict = {}
    _open(out, folder, memory_limit, temp)
    out["peak_mb"] = peak_rss_mb()
    return out


def _month(month: str):
    import pandas as pd

    start = pd.Timestamp(month + "-01")
    return start - pd.offsets.MonthBegin(1), start, start + pd.offsets.MonthBegin(1)


def _year():
    import pandas as pd

    start = pd.Timestamp(YEAR + "-01-01")
    return start, start + pd.offsets.YearBegin(1)


def overview_from_cube(out: dict, cube, start, end, settings) -> None:
    """The Overview's three tables from a 30-min × queue cube, with the app's functions."""
    from ccmetrics import kpi

    # the previous window is as many days before the month (kpi.period_comparison)
    compared = _timed(
        out, "tiles", lambda: kpi.period_comparison(cube, start, end, settings=settings)
    )
    month = kpi.subset(cube, start, end)
    daily = _timed(out, "daily", lambda: kpi.compute(month, freq="D", settings=settings))
    slots = _timed(out, "slots", lambda: kpi.weekday_slot_table(month, settings=settings))
    tiles = compared.set_index("kpi")
    out["check"] = {
        "days": len(daily),
        "slots": len(slots),
        "offered": float(daily["offered"].sum()),
        "service_level": float(tiles.loc["service_level", "current"]),
        "service_level_previous": float(tiles.loc["service_level", "previous"]),
        "fcr_rate": float(tiles.loc["fcr_rate", "current"]),
    }


def chart_from_cube(out: dict, cube, start, end, settings) -> None:
    """The control chart of the daily service level from a cube of whole days or finer."""
    import pandas as pd

    from ccmetrics import kpi, spc

    window = kpi.subset(cube, start, end)
    table = _timed(
        out, "kpi_table", lambda: kpi.compute(window, freq="D", settings=settings, keep_sums=True)
    )
    chart = _timed(
        out,
        "chart",
        lambda: spc.kpi_chart(table, "service_level", granularity="day", revise=True),
    )
    # the day the drill-down explains: the worst service level with four same weekdays before it
    days = table.assign(period=pd.to_datetime(table["period"]))
    eligible = days[days["period"] >= days["period"].min() + pd.Timedelta(weeks=4)]
    worst = eligible.loc[eligible["service_level"].idxmin()]
    out["check"] = {
        "days": len(table),
        "chart": str(chart.attrs["chart"]),
        "signals": int(chart["signal"].sum()),
        "mean_service_level": float(table["answered_in_sl"].sum() / table["sl_base"].sum()),
        "worst_day": worst["period"].strftime("%Y-%m-%d"),
        "worst_service_level": float(worst["service_level"]),
    }


def child_overview(folder: str, memory_limit: str, temp: str, month: str = MONTH) -> dict:
    from ccmetrics.schema import KpiSettings

    out: dict = {}
    data = _open(out, folder, memory_limit, temp)
    settings = KpiSettings()
    previous, start, end = _month(month)
    started = time.perf_counter()
    sums = _timed(
        out,
        "engine_sums",
        lambda: data.sums(("queue",), "30min", settings, start=previous, end=end),
    )
    overview_from_cube(out, as_cube(sums, "30min", settings), start, end, settings)
    out["total"] = time.perf_counter() - started
    out["peak_mb"] = peak_rss_mb()
    return out


def child_control_chart(folder: str, memory_limit: str, temp: str) -> dict:
    from ccmetrics.schema import KpiSettings

    out: dict = {}
    data = _open(out, folder, memory_limit, temp)
    settings = KpiSettings()
    start, end = _year()
    started = time.perf_counter()
    sums = _timed(out, "engine_sums", lambda: data.sums((), "D", settings, start=start, end=end))
    chart_from_cube(out, as_cube(sums, "D", settings), start, end, settings)
    out["total"] = time.perf_counter() - started
    out["peak_mb"] = peak_rss_mb()
    return out


def child_control_chart_measures(folder: str, memory_limit: str, temp: str) -> dict:
    """The year control chart as :func:`child_control_chart`, the engine asked only for
    the measures the service level needs (``Dataset.sums(measures=...)``, what
    ``spc.kpi_chart`` asks a data set for): no FCR window function, no id check."""
    from ccmetrics.schema import KpiSettings
    from ccmetrics.spc.kpi_charts import chart_measures

    out: dict = {}
    data = _open(out, folder, memory_limit, temp)
    settings = KpiSettings()
    start, end = _year()
    measures = chart_measures("service_level")
    started = time.perf_counter()
    sums = _timed(
        out,
        "engine_sums",
        lambda: data.sums((), "D", settings, start=start, end=end, measures=measures),
    )
    chart_from_cube(out, as_cube(sums, "D", settings), start, end, settings)
    out["total"] = time.perf_counter() - started
    out["peak_mb"] = peak_rss_mb()
    return out


def child_cube_build(folder: str, memory_limit: str, temp: str) -> dict:
    """The engine's 30-min × queue cube of the whole data (default settings; FCR of the
    whole data), made once and kept by the engine in ``--cube-dir``
    (``Dataset(folder, cube_dir=...)``), where a later data set over the same files reads it."""
    from ccmetrics.schema import KpiSettings

    out: dict = {}
    data = _open(out, folder, memory_limit, temp)
    started = time.perf_counter()
    sums = _timed(out, "engine_sums", lambda: data.sums(("queue",), "30min", KpiSettings()))
    out["total"] = time.perf_counter() - started
    kept = list(Path(_CUBE_DIR).glob("*.parquet"))
    out["check"] = {"cube_rows": len(sums), "files": len(kept),
                    "bytes": sum(p.stat().st_size for p in kept)}  # fmt: skip
    out["peak_mb"] = peak_rss_mb()
    return out


def _sl_only(data, start, end, settings):
    """The daily service-level counts of ``[start, end)`` without FCR, straight in SQL
    (a measurement of the window function's share of the year's sums, not a result)."""
    from ccmetrics.engine import _timestamp_ns, period_sql

    threshold = float(settings.sl_threshold_s)
    query = (
        f"SELECT {period_sql('D')} AS period, count(*) FILTER (WHERE answered AND wait_s <= "
        f"{threshold}) AS answered_in_sl, count(*) FILTER (WHERE answered OR abandoned) AS offered "
        f"FROM {data._scan} WHERE epoch_ns(arrived_at) >= {_timestamp_ns(start)} "
        f"AND epoch_ns(arrived_at) < {_timestamp_ns(end)} GROUP BY 1"
    )
    return data._connection.sql(query).df()


def child_diagnose(folder: str, memory_limit: str, temp: str, month: str = MONTH) -> dict:
    """Where the Overview's and the year's engine time goes, one query after another in
    one process: the check for padded customer ids (a pass over every id of the data,
    made once per Dataset before the first FCR window), the Overview's sums with FCR from
    the resolved flag (no window function) and then as the app asks them (the window
    function over the two months and 72 h after), the year's daily sums likewise, and
    the year's two service-level counts alone in SQL."""
    import pandas as pd

    from ccmetrics.schema import KpiSettings

    out: dict = {}
    data = _open(out, folder, memory_limit, temp)
    start = pd.Timestamp(month + "-01")
    end = start + pd.offsets.MonthBegin(1)
    previous = start - pd.offsets.MonthBegin(1)
    year = (pd.Timestamp(YEAR + "-01-01"), pd.Timestamp(YEAR + "-01-01") + pd.offsets.YearBegin(1))
    flag = KpiSettings(fcr_method="resolved_flag")
    if hasattr(data, "_padded_ids"):
        _timed(out, "padded_ids_check", data._padded_ids)
    _timed(out, "month_sums_no_window", lambda: data.sums(("queue",), "30min", flag, previous, end))
    _timed(out, "month_sums", lambda: data.sums(("queue",), "30min", KpiSettings(), previous, end))
    _timed(out, "year_sums_no_window", lambda: data.sums((), "D", flag, *year))
    _timed(out, "year_sl_counts_sql", lambda: _sl_only(data, *year, KpiSettings()))
    out["peak_mb"] = peak_rss_mb()
    return out


def canonical_dtypes(frame):
    """A window read from Parquet in the loader's dtypes (:data:`ccmetrics.schema.CALL_COLUMNS`:
    categoricals, nullable booleans; Parquet written from generated frames keeps neither
    here, and pandas' group sums are several times slower on text and object columns),
    consolidated in one block per dtype."""
    import pandas as pd

    from ccmetrics.schema import CALL_COLUMNS

    wanted = {"category": "category", "boolean": "boolean"}
    columns = {}
    for name in frame.columns:
        column = frame[name]
        dtype = wanted.get(CALL_COLUMNS.get(name, ""))
        if dtype is not None and str(column.dtype) != dtype:
            column = column.astype(dtype)
        columns[name] = column
    return pd.DataFrame(columns).copy()


def child_drill(
    folder: str, memory_limit: str, temp: str, day: str, mode: str, baseline_mode: str = "weeks"
) -> dict:
    import pandas as pd

    from ccmetrics import drill
    from ccmetrics.schema import KpiSettings

    out: dict = {}
    data = _open(out, folder, memory_limit, temp)
    settings = KpiSettings()
    first = pd.Timestamp(day)
    anomaly = (first, first + pd.Timedelta(days=1))
    baseline = [
        (first - pd.Timedelta(weeks=w), first - pd.Timedelta(weeks=w) + pd.Timedelta(days=1))
        for w in range(4, 0, -1)
    ]
    weeks = baseline
    if baseline_mode == "default" and mode == "dataset":  # judged on the candidates' sums
        baseline = None
    started = time.perf_counter()
    if mode == "dataset":
        explanation = _timed(
            out,
            "explain",
            lambda: drill.explain(data, anomaly, baseline, settings=settings),
        )
    else:
        windows = [*weeks, anomaly]
        frame = _timed(
            out,
            "engine_window",
            lambda: pd.concat([data.window(a, b) for a, b in windows], ignore_index=True),
        )
        out["window_calls"] = len(frame)
        frame = _timed(out, "canonical_dtypes", lambda: canonical_dtypes(frame))
        explanation = _timed(
            out,
            "explain",
            lambda: drill.explain(frame, anomaly, baseline, settings=settings),
        )
    out["total"] = time.perf_counter() - started
    table = explanation.table
    selected = table[table["selected"]] if len(table) else table
    out["check"] = {
        "day": day,
        "mode": mode,
        "verdict": str(explanation.verdict),
        "candidates": len(table),
        "selected": [str(e) for e in selected["element"].head(3)],
    }
    out["peak_mb"] = peak_rss_mb()
    return out


STEPS = {
    "open": "open: `Dataset(folder, memory_limit, temp_directory)`",
    "overview": "month Overview (tiles vs previous month, daily KPIs, weekday x half-hour)",
    "control_chart": "year control chart (daily SL of the year, p-chart limits and signals)",
    "control_chart_measures": "year control chart, the engine asked only for the SL's measures",
    "drill": "one-day drill-down (`drill.explain` of the worst day vs 4 same weekdays)",
}
#: With --cube: the whole data's 30-min × queue cube made once, then read by the two views.
CUBE_STEPS = {
    "cube_build": "the engine's 30-min x queue cube of the whole data, made once and kept",
    "overview_cube": "month Overview, the engine reading its kept cube",
    "control_chart_cube": "year control chart (SL's measures), the engine reading its kept cube",
    "drill_cube": "one-day drill-down, the engine reading its kept cube",
}
TARGETS = {
    "overview": 3.0,
    "control_chart": 3.0,
    "control_chart_measures": 3.0,
    "drill": 2.0,
    "overview_cube": 3.0,
    "control_chart_cube": 3.0,
    "drill_cube": 2.0,
}


def _drill_mode(requested: str) -> str:
    """``dataset`` when ``drill.explain`` accepts a Dataset (the engine-backed explain is
    merged), else ``window``; an explicit request wins."""
    if requested != "auto":
        return requested
    from ccmetrics import engine

    return "dataset" if hasattr(engine, "is_dataset") and _explain_takes_dataset() else "window"


def _explain_takes_dataset() -> bool:
    import inspect

    from ccmetrics import drill

    source = inspect.getsource(drill.explain)
    return "is_dataset" in source


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--folder", help="the Parquet folder (default: made in the bench cache)")
    parser.add_argument("--memory-limit", default="2GB", help="DuckDB's memory limit")
    parser.add_argument("--temp-directory", help="where DuckDB spills (default: beside the folder)")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--month", default=MONTH, help="the Overview's month (YYYY-MM)")
    parser.add_argument("--drill", choices=("auto", "dataset", "window"), default="auto")
    parser.add_argument(
        "--diagnose", action="store_true", help="also time the parts of the engine's queries"
    )
    parser.add_argument(
        "--cube",
        action="store_true",
        help="also: the 30-min x queue cube of the whole data written once, then the Overview "
        "and the control chart read from it",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument(
        "--only", help="comma-separated steps to run (e.g. drill; with drill, give --day)"
    )
    parser.add_argument("--day", help="the drill-down's day (default: the year's worst)")
    parser.add_argument(
        "--baseline",
        choices=("weeks", "default"),
        default="weeks",
        help="the drill-down's baseline: the 4 same weekdays before (given) or drill's default",
    )
    parser.add_argument(
        "--cube-dir", help="with --cube: where the engine keeps its cube (default: beside the folder)"
    )
    args = parser.parse_args(argv)
    if args.child:
        common = (args.folder, args.memory_limit, args.temp_directory)
        children = {
            "open": lambda: child_open(*common),
            "overview": lambda: child_overview(*common, args.month),
            "control_chart": lambda: child_control_chart(*common),
            "control_chart_measures": lambda: child_control_chart_measures(*common),
            "drill": lambda: child_drill(*common, args.day, args.drill, args.baseline),
            "diagnose": lambda: child_diagnose(*common, args.month),
            "cube_build": lambda: child_cube_build(*common),
            "overview_cube": lambda: child_overview(*common, args.month),
            "control_chart_cube": lambda: child_control_chart_measures(*common),
            "drill_cube": lambda: child_drill(*common, args.day, args.drill, args.baseline),
        }
        if args.child in CUBE_STEPS:
            global _CUBE_DIR
            _CUBE_DIR = args.cube_dir
        _imports()
        print(json.dumps(children[args.child]()))
        return 0

    import datagen

    machine = describe_machine()
    load_start = os.getloadavg()
    started = time.perf_counter()
    folder, rows = datagen.calls_parquet_folder(
        args.calls, args.days, folder=args.folder, progress=print
    )
    generation = time.perf_counter() - started
    temp = Path(args.temp_directory or folder.with_name(folder.name + "_spill"))
    temp.mkdir(parents=True, exist_ok=True)
    size = sum(p.stat().st_size for p in folder.glob("*.parquet"))
    mode = _drill_mode(args.drill)
    script = str(Path(__file__).resolve())
    cube_dir = Path(args.cube_dir or folder.with_name(folder.name + "_cubes"))
    base = ["--folder", str(folder), "--memory-limit", args.memory_limit,
            "--temp-directory", str(temp), "--drill", mode, "--month", args.month,
            "--baseline", args.baseline, "--cube-dir", str(cube_dir)]  # fmt: skip
    best: dict[str, dict] = {}
    steps = [*STEPS, *(CUBE_STEPS if args.cube else []), *(["diagnose"] if args.diagnose else [])]
    if args.only:
        steps = [step for step in steps if step in args.only.split(",")]
    for _ in range(args.rounds):
        for step in steps:
            day = args.day or best.get("control_chart", {}).get("check", {}).get("worst_day")
            extra = ["--day", day] if step in ("drill", "drill_cube") else []
            result = run_child_of(script, [*base, "--child", step, *extra])
            kept = best.setdefault(step, {})
            for key, value in result.items():
                if isinstance(value, float) and key in kept:
                    kept[key] = min(kept[key], value)
                else:
                    kept[key] = value
    load_end = os.getloadavg()
    print(f"# bench/bigdata.py --calls {args.calls} --memory-limit {args.memory_limit} "
          f"--rounds {args.rounds}, {time.strftime('%Y-%m-%d %H:%M')}; load average "
          f"{load_start[0]:.1f} at the start, {load_end[0]:.1f} at the end")  # fmt: skip
    print(f"# machine: {machine}")
    print(f"# data: {folder} — {rows:,} calls, {len(list(folder.glob('*.parquet')))} files, "
          f"{size / 1e6:,.0f} MB zstd Parquet (ready in {generation:.1f} s); spill to {temp}; "
          f"drill-down mode: {mode}; best of {args.rounds}")  # fmt: skip
    print("| step | open (s) | step after open (s) | parts (s) | peak MB | target | met |")
    print("|---|---:|---:|---|---:|---:|---|")
    for step, label in {**STEPS, **CUBE_STEPS}.items():
        if step not in best:
            continue
        row = best[step]
        parts = ", ".join(
            f"{k} {v:.2f}"
            for k, v in row.items()
            if isinstance(v, float) and k not in {"open", "total", "peak_mb"}
        )
        total = row.get("total")
        opened = "–" if "open" not in row else f"{row['open']:.2f}"
        target = TARGETS.get(step)
        met = "" if target is None or total is None else ("yes" if total <= target else "no")
        met += "" if row["peak_mb"] <= 6144 else " (peak > 6 GB)"
        print(
            f"| {label} | {opened} | {'–' if total is None else f'{total:.2f}'} | "
            f"{parts or '–'} | {row['peak_mb']:,.0f} | {'–' if target is None else f'≤ {target:g} s'} "
            f"| {met or '–'} |"
        )
    for step in best:
        if "check" in best[step]:
            print(f"# {step}: {json.dumps(best[step]['check'], ensure_ascii=False)}")
    if args.diagnose:
        parts = ", ".join(
            f"{k} {v:.2f}" for k, v in best["diagnose"].items() if k not in {"rows", "peak_mb"}
        )
        print(f"# diagnose (s, one process, in this order): {parts}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
