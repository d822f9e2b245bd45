"""Wall time of one day's drill-down on an engine-backed data set against the pandas frame.

Usage: ``python bench/engine_drill.py [--calls 1000000] [--day 2025-06-11]``. Uses the
cached CSV of :mod:`bench.datagen` and its canonical Parquet copy (made once by
``bench/engine.py``, or here when missing). In one process, one after the other:

* **frame**: the canonical frame read from the Parquet copy, flagged for FCR once as the
  app does (``kpi.add_fcr_flags``), then ``drill.explain(frame, day)``;
* **Dataset over Parquet**: ``Dataset(parquet)`` (no pandas frame of the calls), then
  ``drill.explain(data, day)``: one ``GROUP BY`` of the dimensions per compared and
  candidate window, the span by counts.

Each explanation runs twice (the first is cold: the engine's first scan of the file, the
frame's first pass over its columns); both times are printed, with the load average. The
two explanations are checked to agree (verdict and elements). A benchmark, not a test.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import datagen  # noqa: E402
from engine import canonical_parquet  # noqa: E402

from ccmetrics import drill, kpi  # noqa: E402
from ccmetrics.engine import Dataset  # noqa: E402


def timed(function) -> tuple[object, float]:
    started = time.perf_counter()
    result = function()
    return result, time.perf_counter() - started


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--day", default="2025-06-11")
    args = parser.parse_args(argv)
    csv, rows = datagen.calls_csv(args.calls, args.days)
    parquet = canonical_parquet(csv)
    day = pd.Timestamp(args.day)
    window = (day, day + pd.Timedelta(days=1))
    print(f"{rows:,} calls; {parquet} ({parquet.stat().st_size / 1e6:,.0f} MB)")
    print(f"load average before: {os.getloadavg()}")

    frame, read_s = timed(lambda: pd.read_parquet(parquet))
    flagged, flag_s = timed(lambda: kpi.add_fcr_flags(frame))
    on_frame = [timed(lambda: drill.explain(flagged, window)) for _ in range(2)]
    data, open_s = timed(lambda: Dataset(parquet))
    on_data = [timed(lambda: drill.explain(data, window)) for _ in range(2)]

    expected, got = on_frame[0][0], on_data[0][0]
    same = expected.verdict == got.verdict and (
        expected.table["element"].tolist() == got.table["element"].tolist()
    )
    print(f"frame: read {read_s:.2f} s, FCR flags {flag_s:.2f} s (once per data set)")
    print("  drill.explain: " + ", ".join(f"{s:.2f} s" for _, s in on_frame))
    print(f"Dataset over Parquet: open {open_s:.2f} s")
    print("  drill.explain: " + ", ".join(f"{s:.2f} s" for _, s in on_data))
    print(f"same verdict and elements: {same} ({expected.verdict})")
    print(f"load average after: {os.getloadavg()}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
