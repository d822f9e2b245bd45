"""The Parquet-folder mode of bench/datagen.py at a tiny size, read by the engine.

The 50M-call benchmark (``bench/bigdata.py``) rests on two things tested here on
about 20,000 calls in two monthly files: the folder holds exactly the calls of
``sample.generate_calls`` of each month (the generator the CSV mode uses), and
``engine.Dataset`` over the folder, with a memory limit far below its default,
gives the KPIs of ``kpi.compute`` (the tested pandas path) on those calls
concatenated.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ccmetrics import kpi, sample
from ccmetrics.engine import Dataset
from tests.unit.conftest import COUNT_COLUMNS, assert_numbers_equal
from tests.unit.test_engine import CORE

ROOT = Path(__file__).resolve().parents[2]
SEED = 7
CALLS = 20_000
DAYS = 59  # January and February 2025: two files


def _datagen():
    spec = importlib.util.spec_from_file_location("datagen", ROOT / "bench" / "datagen.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """The folder, its row count, and the months generated again independently, concatenated."""
    datagen = _datagen()
    folder, rows = datagen.calls_parquet_folder(
        CALLS, DAYS, SEED, tmp_path_factory.mktemp("big") / "calls"
    )
    scale = datagen.scale_for(CALLS, DAYS, SEED)
    months = [
        sample.generate_calls(
            seed=int(np.random.SeedSequence([SEED, index]).generate_state(1)[0]),
            start=start,
            days=days,
            scale=scale,
        )
        for index, (start, days) in enumerate((("2025-01-01", 31), ("2025-02-01", 28)))
    ]
    return folder, rows, pd.concat(months, ignore_index=True)


def test_one_file_per_month_with_every_generated_call(generated):
    folder, rows, calls = generated
    files = sorted(p.name for p in folder.glob("*.parquet"))
    assert files == ["calls_2025-01.parquet", "calls_2025-02.parquet"]
    assert rows == len(calls)
    assert abs(rows - CALLS) < 0.1 * CALLS  # the scale is calibrated to about CALLS calls
    read = pd.concat([pd.read_parquet(folder / name) for name in files], ignore_index=True)
    assert list(read.columns) == list(calls.columns)
    for column in calls.columns:
        got, want = read[column], calls[column]
        if isinstance(want.dtype, pd.CategoricalDtype) or isinstance(
            got.dtype, pd.CategoricalDtype
        ):
            got, want = got.astype(object), want.astype(object)
        pd.testing.assert_series_equal(got, want, check_dtype=False, obj=column)


def test_a_second_run_keeps_the_folder_and_other_arguments_are_refused(generated):
    folder, rows, _ = generated
    datagen = _datagen()
    assert datagen.calls_parquet_folder(CALLS, DAYS, SEED, folder) == (folder, rows)
    with pytest.raises(FileExistsError):
        datagen.calls_parquet_folder(CALLS, DAYS, SEED + 1, folder)


def _assert_core_equal(engine: pd.DataFrame, pandas: pd.DataFrame) -> None:
    assert len(engine) == len(pandas)
    assert_numbers_equal(engine, pandas, CORE, COUNT_COLUMNS, rtol=1e-12)


def test_the_engine_over_the_folder_with_a_low_memory_limit_gives_kpi_compute(generated, tmp_path):
    folder, rows, calls = generated
    data = Dataset(folder, memory_limit="64MB", temp_directory=tmp_path / "spill", threads=1)
    limit = data._connection.sql("SELECT current_setting('memory_limit')").fetchall()[0][0]
    assert limit.endswith("MiB") and float(limit.split()[0]) < 64
    assert data.rows == rows == data.count()
    _assert_core_equal(data.kpis(), kpi.compute(calls))
    daily = data.kpis(freq="D")
    want = kpi.compute(calls, freq="D")
    pd.testing.assert_series_equal(daily["period"], want["period"])
    _assert_core_equal(daily, want)
    # Parquet keeps no category order: the engine's rows come in text order
    by_queue = data.kpis("queue")
    want = kpi.compute(calls, by="queue")
    want = want.assign(queue=want["queue"].astype(str)).sort_values("queue", ignore_index=True)
    assert by_queue["queue"].tolist() == want["queue"].tolist() == sorted(sample.QUEUES)
    _assert_core_equal(by_queue, want)
    # a window's FCR flags are those of the whole data (a repeat in February counts)
    window = data.window("2025-01-31", "2025-02-01", settings=kpi.KpiSettings())
    flagged = kpi.add_fcr_flags(calls)
    day = kpi.subset(flagged, "2025-01-31", "2025-02-01")
    assert len(window) == len(day)
    assert window["fcr_resolved"].sum() == day["fcr_resolved"].sum()
    assert window["fcr_eligible"].sum() == day["fcr_eligible"].sum()
