"""Realistic call-level CSV exports of any size for the benchmarks.

A thin wrapper around :func:`ccmetrics.sample.generate_calls` (the queue
simulation of the bundled sample): ``calls`` rows over ``days`` days (default a
year, what a 300-seat center produces in 5-10 million calls), written as a
canonical-header CSV like a platform export. Files are cached by
(calls, days, seed) in ``$CCMETRICS_BENCH_DIR`` (default
``~/.cache/ccmetrics-bench``) because generating 10 million calls takes about a
minute. The cache lives outside the repository.

Usage: ``python bench/datagen.py --calls 5000000`` prints the path of the CSV.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ccmetrics import sample  # noqa: E402

__all__ = ["cache_dir", "scale_for", "generate", "calls_csv"]

#: Version of the file layout; bump it when the writer changes so caches refresh.
LAYOUT = 1


def cache_dir() -> Path:
    """Folder of the cached benchmark files (created when missing)."""
    folder = Path(os.environ.get("CCMETRICS_BENCH_DIR", Path.home() / ".cache" / "ccmetrics-bench"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def scale_for(calls: int, days: int, seed: int = sample.DEFAULT_SEED) -> float:
    """The ``scale`` of :func:`ccmetrics.sample.generate_calls` that gives about ``calls`` rows.

    Calibrated on the same period generated at scale 0.2 (the count is about
    proportional to the scale; trend and seasonality make a short period a
    poor guide).
    """
    probe = 0.2
    return probe * calls / len(sample.generate_calls(seed=seed, days=days, scale=probe))


def generate(calls: int, days: int = 365, seed: int = sample.DEFAULT_SEED) -> pd.DataFrame:
    """Generate about ``calls`` canonical calls over ``days`` days (see the module docstring)."""
    return sample.generate_calls(seed=seed, days=days, scale=scale_for(calls, days, seed))


def _write_csv(frame: pd.DataFrame, path: Path, chunk_rows: int = 500_000) -> None:
    """Write the frame as an export would: ISO times, whole seconds without '.0', blanks for missing."""
    whole = [c for c in ("wait_s", "talk_s", "hold_s", "acw_s", "csat", "qa_score") if c in frame]
    partial = path.with_suffix(".part")
    with open(partial, "w", encoding="utf-8", newline="") as handle:
        for offset in range(0, len(frame), chunk_rows):
            chunk = frame.iloc[offset : offset + chunk_rows].copy()
            for column in whole:
                values = chunk[column].to_numpy(dtype=float)
                if np.all(np.isnan(values) | (values == np.round(values))):
                    chunk[column] = pd.array(values, dtype="Float64").astype("Int64")
            chunk.to_csv(
                handle,
                index=False,
                header=offset == 0,
                date_format="%Y-%m-%d %H:%M:%S",
                lineterminator="\n",
            )
    partial.replace(path)


def calls_csv(calls: int, days: int = 365, seed: int = sample.DEFAULT_SEED) -> tuple[Path, int]:
    """Path of a cached CSV of about ``calls`` generated calls, and its exact row count."""
    path = cache_dir() / f"calls_{calls}_{days}d_seed{seed}_v{LAYOUT}.csv"
    rows_file = path.with_suffix(".rows")
    if not (path.exists() and rows_file.exists()):
        frame = generate(calls, days, seed)
        _write_csv(frame, path)
        rows_file.write_text(str(len(frame)))
        del frame
    return path, int(rows_file.read_text())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=sample.DEFAULT_SEED)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    path, rows = calls_csv(args.calls, args.days, args.seed)
    print(
        f"{path} ({rows:,} calls, {path.stat().st_size / 1e6:,.0f} MB, "
        f"{time.perf_counter() - started:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
