"""CPU time of the drill-down's explanation of one day, with and without the root-cause search.

Usage: ``python bench/drill_timing.py [--calls 1000000] [--rounds 5]``. Explains each of five
whole days (a week before the end of :mod:`bench.datagen`'s file) with ``drill.explain`` and
prints the best CPU time (``time.process_time``, steadier than wall time on a shared machine)
per day, first with the cause search switched off (what the drill-down cost before causes
existed), then as it runs. The difference is the cost of the causes.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import datagen  # noqa: E402

from ccmetrics import drill, io  # noqa: E402
from ccmetrics.drill import engine  # noqa: E402
from ccmetrics.schema import KpiSettings  # noqa: E402


def best_cpu(frame: pd.DataFrame, days: list, rounds: int) -> list[float]:
    settings = KpiSettings()

    def run(day):
        return drill.explain(frame, (day, day + pd.Timedelta(days=1)), settings=settings)

    for day in days:  # warm-up
        run(day)
    best = [float("inf")] * len(days)
    for _ in range(rounds):
        for i, day in enumerate(days):
            started = time.process_time()
            run(day)
            best[i] = min(best[i], time.process_time() - started)
    return best


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    path, _ = datagen.calls_csv(args.calls)
    frame = io.load(path).frame
    last = frame["arrived_at"].max().normalize()
    days = [last - pd.Timedelta(days=k) for k in range(7, 12)]
    search = engine._causes
    engine._causes = lambda cube, max_order: search(None, max_order)  # no cause search
    without = best_cpu(frame, days, args.rounds)
    engine._causes = search
    with_causes = best_cpu(frame, days, args.rounds)
    for label, times in (("without causes", without), ("with causes", with_causes)):
        shown = ", ".join(f"{t:.3f}" for t in times)
        print(f"{label}: {shown} s CPU per day; mean {sum(times) / len(times):.3f} s")


if __name__ == "__main__":
    main()
