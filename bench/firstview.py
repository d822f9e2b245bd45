"""Benchmark: the command line's first view of a CSV as a process, beside the DuckDB reference.

Runs, one at a time, each as its own process:

* the DuckDB reference of ``bench/run.py`` (the 30-minute table from the CSV);
* ``python -m ccmetrics kpis FILE --freq 30min --json`` of this checkout, and of an
  older one when ``--ccmetrics DIR`` names a folder holding its ``ccmetrics`` package
  (e.g. ``git archive 65e4715 ccmetrics | tar -x -C /tmp/old``);

and prints wall seconds, user and system CPU seconds, minor page faults and the peak
resident memory of each (``os.wait4``), the ratio to the reference, and whether the
JSON outputs are byte-identical. The load average is printed at the start and the
end: on a shared machine compare CPU seconds, faults and peaks, not only wall times.

``--stages`` instead times the steps of one first view inside one process (the
loader's steps wrapped, then FCR flags, the 30-minute KPI table and the JSON): CPU
seconds and each stage's own peak (``VmHWM``, reset between stages through
``/proc/self/clear_refs``; Linux only).

Usage::

    .venv/bin/python bench/firstview.py FILE [--ccmetrics /tmp/old]
    .venv/bin/python bench/firstview.py FILE --stages
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The steps of ``io.calls._build_calls`` (and the read) timed by ``--stages``.
_CALL_STEPS = (
    "_drop_outbound",
    "_outcome_flags",
    "_arrival_times",
    "_queue_entry",
    "_call_ids",
    "_call_durations",
    "_answer_flags",
    "_ivr_flags",
    "_settle_answer_flags",
    "_call_extras",
    "_note_call_checks",
    "_assemble_calls",
)


def _run(command: list[str], out_path: Path) -> dict:
    """Run ``command`` with stdout to ``out_path``; its wall time and resource use."""
    started = time.perf_counter()
    with open(out_path, "wb") as out:
        process = subprocess.Popen(command, stdout=out, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"failed ({status}): {' '.join(command)}")
    return {
        "wall": time.perf_counter() - started,
        "user": usage.ru_utime,
        "sys": usage.ru_stime,
        "faults": usage.ru_minflt,
        "peak_mb": usage.ru_maxrss / 1024,
    }


def _cli(package: Path | None, path: str) -> list[str]:
    args = ["kpis", path, "--freq", "30min", "--json"]
    if package is None:
        return [sys.executable, "-m", "ccmetrics", *args]
    code = (
        f"import sys, runpy; sys.path.insert(0, {str(package)!r}); "
        f"sys.argv = ['ccmetrics', *{args!r}]; runpy.run_module('ccmetrics', run_name='__main__')"
    )
    return [sys.executable, "-c", code]


def compare(path: str, package: Path | None) -> None:
    """The reference, the older checkout (if any) and this one, one process each."""
    runs = [
        (
            "DuckDB reference",
            [sys.executable, str(ROOT / "bench" / "run.py"), "--child", "duckdb", path],
        )
    ]
    if package is not None:
        runs.append((f"kpis --json, {package}", _cli(package, path)))
    runs.append(("kpis --json, this checkout", _cli(None, path)))
    print(f"load average at the start: {os.getloadavg()[0]:.1f}")
    results, outputs = [], []
    with tempfile.TemporaryDirectory() as folder:
        for index, (label, command) in enumerate(runs):
            out = Path(folder) / f"{index}.out"
            results.append((label, _run(command, out)))
            outputs.append(out.read_bytes() if index else None)
        print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    reference = results[0][1]["wall"]
    print(
        f"{'process':40s} {'wall s':>7s} {'x ref':>6s} {'user s':>7s} {'sys s':>6s} {'faults':>9s} {'peak MB':>8s}"
    )
    for label, r in results:
        print(
            f"{label[:40]:40s} {r['wall']:7.2f} {r['wall'] / reference:6.2f} {r['user']:7.2f} "
            f"{r['sys']:6.2f} {r['faults']:9,d} {r['peak_mb']:8,.0f}"
        )
    if len(outputs) == 3:
        print("JSON identical" if outputs[1] == outputs[2] else "JSON DIFFERS")


def stages(path: str) -> None:
    """Time the steps of one first view in this process (see the module docstring)."""
    import json
    import resource

    sys.path.insert(0, str(ROOT))
    import ccmetrics.__main__ as cli
    from ccmetrics import io, kpi
    from ccmetrics.io import calls, loader, read
    from ccmetrics.schema import KpiSettings

    last = [resource.getrusage(resource.RUSAGE_SELF)]

    def peak_mb() -> int:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM"):
                    return int(line.split()[1]) // 1024
        return 0

    def mark(label: str) -> None:
        now = resource.getrusage(resource.RUSAGE_SELF)
        cpu = now.ru_utime + now.ru_stime - last[0].ru_utime - last[0].ru_stime
        if label:
            print(f"{label:28s} cpu {cpu:6.2f} s  stage peak {peak_mb():6,d} MB", flush=True)
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # reset VmHWM: the next stage's own peak
        last[0] = now

    def wrap(module, name: str, label: str | None = None) -> None:
        function = getattr(module, name)

        def timed(*args, **kwargs):
            mark("")  # what ran before belongs to no stage
            result = function(*args, **kwargs)
            mark(label or name)
            return result

        setattr(module, name, timed)

    for name in _CALL_STEPS:
        wrap(calls, name)
    wrap(loader, "_Table", "bytes, encoding, sniff")
    wrap(read._Table, "_arrow_csv_table", "CSV parse")
    wrap(read, "_arrow_to_pandas", "Arrow to pandas")
    mark("")
    result = io.load(path)
    mark("rest of io.load")
    settings = KpiSettings()
    frame = kpi.add_fcr_flags(result.frame, settings)
    mark("kpi.add_fcr_flags")
    table = kpi.compute(frame, freq="30min", settings=settings)
    mark("kpi.compute 30 min")
    columns = ["period", *kpi.KPI_COLUMNS, *kpi.BASE_COLUMNS]
    records = [{c: cli._json_value(row[c]) for c in columns} for row in table.to_dict("records")]
    mark("JSON records")
    json.dumps(records, ensure_ascii=False, indent=2)
    mark("JSON dumps")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", help="a call CSV, e.g. from bench/datagen.py")
    parser.add_argument("--ccmetrics", type=Path, help="folder of an older ccmetrics package")
    parser.add_argument("--stages", action="store_true", help="time the steps in one process")
    args = parser.parse_args(argv)
    if args.stages:
        stages(args.path)
    else:
        compare(args.path, args.ccmetrics.resolve() if args.ccmetrics else None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
