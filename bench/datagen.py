"""Realistic call-level CSV exports of any size for the benchmarks.

A thin wrapper around :func:`ccmetrics.sample.generate_calls` (the queue
simulation of the bundled sample): ``calls`` rows over ``days`` days (default a
year, what a 300-seat center produces in 5-10 million calls), written as a
canonical-header CSV like a platform export. Files are cached by
(calls, days, seed) in ``$CCMETRICS_BENCH_DIR`` (default
``~/.cache/ccmetrics-bench``) because generating 10 million calls takes about a
minute. The cache lives outside the repository.

Usage: ``python bench/datagen.py --calls 5000000`` prints the path of the CSV.

**Parquet-folder mode** (data larger than memory): ``python bench/datagen.py --calls
50000000 --parquet-folder DIR`` writes the canonical calls as a folder of zstd Parquet
files, one per calendar month (``calls_YYYY-MM.parquet``), generating one month at a
time so no more than a month of calls is ever in memory. Every month is
:func:`ccmetrics.sample.generate_calls` of that month at the scale of the whole
period (the same demand model, trend, incidents, queue simulation and outcome
models as the CSV mode), each month from its own seed derived from ``seed``.
What differs from one ``generate_calls`` of the whole period: each month draws
its own customer pool and follow-up calls, so a repeat call never crosses a
month's end (FCR is a little higher in a month's last three days) and a customer
seldom calls in two months. Without ``--parquet-folder`` the folder is cached in
:func:`cache_dir` like the CSV.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ccmetrics import sample  # noqa: E402

__all__ = [
    "cache_dir",
    "scale_for",
    "generate",
    "calls_csv",
    "month_chunks",
    "calls_parquet_folder",
]

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


def month_chunks(start: str, days: int) -> list[tuple[pd.Timestamp, int]]:
    """The period of ``days`` days from ``start`` cut at month starts: (first day, days) each.

    Examples
    --------
    >>> [(str(d.date()), n) for d, n in month_chunks("2025-01-20", 20)]
    [('2025-01-20', 12), ('2025-02-01', 8)]
    """
    first = pd.Timestamp(start).normalize()
    end = first + pd.Timedelta(days=days)
    cuts = [
        first,
        *pd.date_range(first + pd.offsets.MonthBegin(1), end, freq="MS", inclusive="left"),
        end,
    ]
    return [(a, int((b - a).days)) for a, b in itertools.pairwise(cuts)]


def _month_seed(seed: int, index: int) -> int:
    """The seed of the ``index``-th month: a 32-bit word of ``SeedSequence([seed, index])``."""
    return int(np.random.SeedSequence([int(seed), int(index)]).generate_state(1)[0])


def calls_parquet_folder(
    calls: int,
    days: int = 365,
    seed: int = sample.DEFAULT_SEED,
    folder: Path | str | None = None,
    start: str = "2025-01-01",
    progress=None,
) -> tuple[Path, int]:
    """A folder of about ``calls`` canonical calls as Parquet, one file per month.

    Parameters
    ----------
    calls : int
        About how many calls over the whole period (the scale is that of
        :func:`scale_for` for the whole period).
    days : int, default 365
        Length of the period from ``start``.
    seed : int
        The seed; the same arguments give the same files.
    folder : path, optional
        Where to write (created; default a folder in :func:`cache_dir` named by
        calls, days, seed and :data:`LAYOUT`). A folder already complete for the
        same arguments (its ``_rows.txt``) is kept.
    start : str, default "2025-01-01"
        First day.
    progress : callable, optional
        Called with a line of text after each month is written.

    Returns
    -------
    (Path, int)
        The folder and its exact number of calls.

    Notes
    -----
    Month ``i`` is ``sample.generate_calls(seed_i, month start, month days,
    scale)`` with ``seed_i`` from ``SeedSequence([seed, i])``; files are written
    with zstd compression, row groups of at most 1,048,576 calls, arrival order.
    """
    if folder is None:
        folder = cache_dir() / f"calls_{calls}_{days}d_seed{seed}_v{LAYOUT}_parquet"
    folder = Path(folder)
    done = folder / "_rows.txt"  # "_": not a data file to pyarrow, not "*.parquet" to DuckDB
    stamp = f"{calls} {days} {seed} {start} {LAYOUT}"
    if done.exists():
        recorded = done.read_text().split("\n")
        if len(recorded) == 2 and recorded[1] == stamp:
            return folder, int(recorded[0])
        raise FileExistsError(
            f"{folder} holds other generated calls ({recorded[-1]!r}); remove it first"
        )
    folder.mkdir(parents=True, exist_ok=True)
    scale = scale_for(calls, days, seed)
    rows = 0
    for index, (first, length) in enumerate(month_chunks(start, days)):
        started = time.perf_counter()
        month = sample.generate_calls(
            seed=_month_seed(seed, index),
            start=first.strftime("%Y-%m-%d"),
            days=length,
            scale=scale,
        )
        path = folder / f"calls_{first:%Y-%m}.parquet"
        partial = folder / f".{path.name}.part"
        month.to_parquet(partial, compression="zstd", index=False, row_group_size=1 << 20)
        partial.replace(path)
        rows += len(month)
        del month
        if progress is not None:
            progress(f"{path.name}: {rows:,} calls so far ({time.perf_counter() - started:.1f} s)")
    done.write_text(f"{rows}\n{stamp}")
    return folder, rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--seed", type=int, default=sample.DEFAULT_SEED)
    parser.add_argument(
        "--parquet-folder",
        nargs="?",
        const="",
        metavar="DIR",
        help="write a folder of canonical Parquet files, one per month (default: in the cache)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    if args.parquet_folder is not None:
        folder, rows = calls_parquet_folder(
            args.calls, args.days, args.seed, args.parquet_folder or None, progress=print
        )
        size = sum(p.stat().st_size for p in folder.glob("*.parquet"))
        print(
            f"{folder} ({rows:,} calls, {size / 1e6:,.0f} MB, {time.perf_counter() - started:.1f} s)"
        )
        return 0
    path, rows = calls_csv(args.calls, args.days, args.seed)
    print(
        f"{path} ({rows:,} calls, {path.stat().st_size / 1e6:,.0f} MB, "
        f"{time.perf_counter() - started:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
