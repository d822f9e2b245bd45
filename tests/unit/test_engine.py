"""Tests of ccmetrics.engine: DuckDB sums and KPIs equal ccmetrics.kpi.compute.

The reference for every expected value is ``kpi.compute`` (the tested pandas
path) on the same calls; the hand-made frames pin the edge cases where SQL and
pandas most easily differ (NULL vs NaN, ties, boundaries, censoring).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ccmetrics import kpi
from ccmetrics.cube import MEASURES
from ccmetrics.engine import COVERED_KPIS, MEASURE_SQL, NOT_COVERED_KPIS, Dataset, period_sql
from ccmetrics.schema import KpiSettings
from tests.conftest import sample_dir
from tests.unit.conftest import COUNT_COLUMNS, assert_numbers_equal

#: The KPIs and n the engine must cover (the core of DESIGN.md's KPI conventions).
CORE = (
    "offered",
    "answered",
    "abandoned",
    "service_level",
    "abandon_rate",
    "answer_rate",
    "asa_s",
    "aht_s",
    "talk_s",
    "hold_s",
    "acw_s",
    "transfer_rate",
    "fcr_rate",
    "csat_mean",
    "csat_top2box",
    "qa_mean",
    "csat_n",
    "qa_n",
    "sl_base",
    "abandon_base",
    "wait_n",
    "handle_n",
    "transfer_n",
    "fcr_n",
)


#: Two non-default settings: other thresholds, SL preset, FCR window and top box; and
#: the zero thresholds with the resolved-flag FCR method.
OTHER_SETTINGS = (
    KpiSettings(
        sl_threshold_s=30,
        short_abandon_s=10,
        sl_formula="answered",
        fcr_window_h=24,
        csat_top_box=5,
    ),
    KpiSettings(
        sl_threshold_s=0, short_abandon_s=0, sl_formula="abandons_good", fcr_method="resolved_flag"
    ),
)


def assert_same_kpis(engine: pd.DataFrame, pandas: pd.DataFrame, keys: list[str]) -> None:
    """Equal key columns and, for every covered column, counts exactly and the rest to rtol 1e-12."""
    assert len(engine) == len(pandas)
    assert list(engine.columns) == list(pandas.columns)
    for key in keys:
        pd.testing.assert_series_equal(engine[key], pandas[key], check_names=True)
    assert_numbers_equal(engine, pandas, COVERED_KPIS, COUNT_COLUMNS, rtol=1e-12)


def test_the_core_kpis_are_covered_and_the_rest_listed():
    assert set(CORE) <= set(COVERED_KPIS)
    every = set(kpi.KPI_COLUMNS) | set(kpi.BASE_COLUMNS)
    assert set(COVERED_KPIS) <= every
    assert set(NOT_COVERED_KPIS) == every - set(COVERED_KPIS)
    assert set(MEASURE_SQL) <= set(MEASURES)


# --------------------------------------------------------------------------- hand-made calls


def edge_calls() -> pd.DataFrame:
    """Twelve calls over two days, each row an edge case named in its comment."""
    # fmt: off
    rows = [
        # time, queue, team, category, customer, wait, answered, talk, hold, acw, transferred, csat, qa, resolved
        ("2025-03-03 08:00:00", "A", "T1", "x", "c1", 20.0, True, 100.0, 10.0, 5.0, False, 5.0, 80.0, True),  # wait == T: in SL
        ("2025-03-03 08:00:00", "A", "T1", "x", "c1", 5.0, False, np.nan, np.nan, np.nan, pd.NA, np.nan, np.nan, pd.NA),  # tie with the call above; wait == S: not short
        ("2025-03-03 08:29:59.999999999", "A", "T2", "y", " c1 ", np.nan, True, 50.0, np.nan, 3.0, True, 4.0, np.nan, False),  # NaN wait; padded id; last instant of a period
        ("2025-03-03 08:30:00", "B", "T2", "y", "", 4.0, False, np.nan, np.nan, np.nan, pd.NA, np.nan, np.nan, pd.NA),  # first instant of the next period; blank id
        ("2025-03-03 08:30:00", "B", None, "y", "000", 30.0, True, 200.5, 0.0, 0.0, pd.NA, 3.0, 70.5, True),  # all-zero id; missing team
        ("2025-03-03 09:10:00", "B", "T1", None, None, 1.0, False, np.nan, np.nan, np.nan, pd.NA, np.nan, np.nan, pd.NA),  # all-abandoned period; missing id and category
        ("2025-03-03 09:20:00", "B", "T1", "x", "c2", 4.999, False, np.nan, np.nan, np.nan, pd.NA, np.nan, np.nan, pd.NA),  # just short
        ("2025-03-03 12:00:00", "A", "T1", "x", "c2", 19.5, True, 60.0, 0.0, 10.0, False, np.nan, 90.0, True),  # c2 again within 72 h
        ("2025-03-04 08:00:00", "A", "T2", "x", "c3", 0.0, True, 30.0, 0.0, 0.0, False, 1.0, np.nan, pd.NA),  # c3 once
        ("2025-03-05 07:59:59", "A", "T2", "y", "c1", 45.0, True, 75.0, 5.0, 5.0, True, np.nan, 60.0, False),  # c1 47.5 h after row 2: a repeat within 72 h, not within 24 h
        ("2025-03-06 10:00:00", "B", "T1", "y", "c4", 2.0, True, 90.0, 0.0, 0.0, False, 2.0, np.nan, True),  # censored: < 72 h before the end
        ("2025-03-07 10:00:00", "B", "T1", "y", "c4", 25.0, True, 80.0, 0.0, 0.0, False, 5.0, 100.0, True),  # the last call
    ]
    columns = [
        "arrived_at", "queue", "team", "category", "customer_id", "wait_s", "answered",
        "talk_s", "hold_s", "acw_s", "transferred", "csat", "qa_score", "resolved",
    ]
    # fmt: on
    frame = pd.DataFrame(rows, columns=columns)
    frame["arrived_at"] = pd.to_datetime(frame["arrived_at"], format="ISO8601")
    for dimension in ("queue", "team", "category"):
        # an unused category: an empty group, never a row
        frame[dimension] = pd.Categorical(
            frame[dimension], categories=["A", "B", "T1", "T2", "x", "y", "zz"]
        )
    frame["customer_id"] = frame["customer_id"].astype("string")
    frame["abandoned"] = ~frame["answered"]
    for flag in ("transferred", "resolved"):
        frame[flag] = frame[flag].astype("boolean")
    frame.insert(0, "call_id", pd.array([f"k{i}" for i in range(len(frame))], dtype="string"))
    return frame


BYS = ([], ["queue"], ["team", "category"])
FREQS = (None, "30min", "D", "W")


@pytest.mark.parametrize("settings", [KpiSettings(), *OTHER_SETTINGS, KpiSettings(fcr_window_h=24)])
@pytest.mark.parametrize("by", BYS)
def test_edge_calls_equal_compute(by, settings):
    calls = edge_calls()
    data = Dataset(calls)
    for freq in FREQS:
        expected = kpi.compute(calls, by=by, freq=freq, settings=settings)
        got = data.kpis(by, freq, settings)
        assert_same_kpis(got, expected, [*by, *(["period"] if freq else [])])


def test_edge_calls_hand_counts():
    """The numbers behind the equality, by hand, so that both engines are checked."""
    row = Dataset(edge_calls()).kpis().iloc[0]
    # 12 offered, 8 answered, 4 abandoned; short abandons: waits 4.0, 1.0, 4.999 (< 5), not 5.0
    assert (row.offered, row.answered, row.abandoned, row.short_abandoned) == (12, 8, 4, 3)
    # answered within 20 s: waits 20.0, 0.0, 2.0, 19.5 (the NaN wait never is); SL = 4 / (12 - 3)
    assert row.answered_in_sl == 4 and row.service_level == pytest.approx(4 / 9, rel=1e-15)
    # FCR (72 h): eligible = answered, known id, arrived <= 2025-03-04 10:00: rows 0, 2, 7, 8
    # (row 4's id "000" is unknown); row 0 is repeated by its tie (row 1), row 2 by row 9
    # (2 days later), row 7 is c2's last call, row 8 c3's only call
    assert (row.fcr_n, row.fcr_rate) == (4, 0.5)


def test_edge_period_boundary_and_week():
    sums = Dataset(edge_calls()).sums(freq="30min")
    first = sums.set_index("period").loc[pd.Timestamp("2025-03-03 08:00"), "offered"]
    second = sums.set_index("period").loc[pd.Timestamp("2025-03-03 08:30"), "offered"]
    assert (first, second) == (3, 2)  # 08:29:59.999999999 stays in the 08:00 period
    weeks = Dataset(edge_calls()).sums(freq="W")
    assert weeks["period"].tolist() == [pd.Timestamp("2025-03-03")]  # a Monday


def test_sums_equal_the_cube_measures():
    calls = edge_calls()
    for by, freq in [([], None), (["queue"], "30min"), (["team"], "D")]:
        expected = kpi.compute(calls, by=by, freq=freq, keep_sums=True)
        got = Dataset(calls).sums(by, freq)
        for name in MEASURES:
            np.testing.assert_allclose(
                got[name].to_numpy(float),
                expected[f"{name}__sum"].to_numpy(float),
                rtol=1e-12,
                equal_nan=True,
                err_msg=name,
            )


def test_missing_columns_and_empty_data():
    calls = edge_calls().drop(columns=["csat", "hold_s", "customer_id", "resolved"])
    calls["qa_score"] = np.nan  # present, never known: missing, as an absent column is
    assert_same_kpis(
        Dataset(calls).kpis(["queue"], "D"),
        kpi.compute(calls, by="queue", freq="D"),
        ["queue", "period"],
    )
    assert np.isnan(Dataset(calls).kpis().fcr_rate.iloc[0])
    empty = calls.iloc[:0]
    assert_same_kpis(Dataset(empty).kpis(), kpi.compute(empty), [])
    assert len(Dataset(empty).kpis("queue", "D")) == 0


def test_window_of_a_data_set_keeps_fcr_of_the_whole_data():
    calls = edge_calls()
    start, end = "2025-03-03", "2025-03-04"
    expected = kpi.compute(kpi.subset(kpi.add_fcr_flags(calls), start, end), by="queue")
    got = Dataset(calls).kpis("queue", start=start, end=end)
    assert_same_kpis(got, expected, ["queue"])
    filtered = Dataset(calls).kpis(start=start, end=end, filters={"queue": ["B"]})
    reference = kpi.compute(kpi.subset(kpi.add_fcr_flags(calls), start, end, {"queue": ["B"]}))
    assert_same_kpis(filtered, reference, [])


def test_window_rows():
    calls = edge_calls()
    got = Dataset(calls).window("2025-03-03 08:30", "2025-03-04")
    pd.testing.assert_frame_equal(
        got, kpi.subset(calls, "2025-03-03 08:30", "2025-03-04").reset_index(drop=True)
    )
    assert Dataset(calls).window(columns=["call_id"])["call_id"].tolist() == [
        f"k{i}" for i in range(12)
    ]
    assert Dataset(calls).count("2025-03-03", "2025-03-04") == 8


def test_bad_requests_are_refused():
    data = Dataset(edge_calls())
    with pytest.raises(ValueError, match="cannot group by"):
        data.sums("no_such_column")
    with pytest.raises(ValueError, match="lacks"):
        Dataset(pd.DataFrame({"arrived_at": pd.to_datetime([]), "wait_s": []}))
    with pytest.raises(ValueError, match="no such column"):
        data.window(columns=["nope"])


def test_period_sql_of_every_alias_matches_period_start():
    from ccmetrics.cube import period_start

    times = pd.Series(pd.to_datetime(
        ["2024-12-31 23:59:59.999999999", "2025-03-02 23:30", "2025-03-03 00:00", "2025-03-16 13:14:15"],
        format="ISO8601",
    ))  # fmt: skip
    import duckdb

    connection = duckdb.connect()
    connection.register("t", pd.DataFrame({"arrived_at": times}))
    for freq in ("30min", "h", "D", "W", "MS", "15min"):
        got = connection.sql(f"SELECT {period_sql(freq)} AS p FROM t").df()["p"]
        assert got.astype("datetime64[ns]").tolist() == period_start(times, freq).tolist(), freq


# --------------------------------------------------------------------------- Parquet


def test_parquet_file_and_folders_equal_the_frame(tmp_path):
    calls = edge_calls()
    file = tmp_path / "calls.parquet"
    calls.to_parquet(file)
    flat = tmp_path / "flat"
    flat.mkdir()
    for part, rows in enumerate(np.array_split(np.arange(len(calls)), 3)):
        calls.iloc[rows].to_parquet(flat / f"part-{part}.parquet")
    hive = tmp_path / "hive"
    for day, rows in calls.groupby(calls["arrived_at"].dt.strftime("%Y-%m-%d")):
        (hive / f"day={day}").mkdir(parents=True)
        rows.to_parquet(hive / f"day={day}" / "part.parquet")
    expected = Dataset(calls).kpis("team", "D")
    for source in (file, flat, hive):
        data = Dataset(source, memory_limit="256MB", temp_directory=tmp_path / "spill", threads=1)
        got = data.kpis("team", "D")
        got["team"] = got["team"].astype(calls["team"].dtype)
        assert_same_kpis(got, expected, ["period"])
        pd.testing.assert_series_equal(got["team"], expected["team"])


# --------------------------------------------------------------------------- the sample


@pytest.mark.parametrize("by", BYS)
@pytest.mark.parametrize("freq", ["30min", "D", "W"])
def test_sample_equals_compute(sample_calls, sample_data, by, freq):
    expected = kpi.compute(sample_calls, by=by, freq=freq)
    assert_same_kpis(sample_data.kpis(by, freq), expected, [*by, "period"])


@pytest.mark.parametrize("settings", OTHER_SETTINGS)
@pytest.mark.parametrize(
    ("by", "freq"), [([], "30min"), (["queue"], "D"), (["team", "category"], "W")]
)
def test_sample_equals_compute_under_other_settings(sample_calls, sample_data, by, freq, settings):
    expected = kpi.compute(sample_calls, by=by, freq=freq, settings=settings)
    assert_same_kpis(sample_data.kpis(by, freq, settings), expected, [*by, "period"])


# --------------------------------------------------------------------------- command line


def run_cli(capsys, *argv) -> tuple[int, str, str]:
    from ccmetrics.__main__ import main

    status = main([str(arg) for arg in argv])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_cli_engines_print_the_same_json(capsys, tmp_path, sample_calls):
    export = sample_dir() / "calls.parquet"
    options = ["--by", "team", "--freq", "D", "--period", "2025-02-01:2025-02-28", "--json"]
    status, pandas_json, _ = run_cli(capsys, "kpis", export, *options)
    assert status == 0 and pandas_json.startswith("[")
    assert run_cli(capsys, "kpis", export, *options, "--engine", "duckdb") == (0, pandas_json, "")
    folder = tmp_path / "calls"  # canonical calls in a hive-partitioned Parquet folder
    months = sample_calls["arrived_at"].dt.strftime("%Y-%m")
    for month, rows in sample_calls.groupby(months):
        (folder / f"month={month}").mkdir(parents=True)
        rows.to_parquet(folder / f"month={month}" / "calls.parquet")
    assert run_cli(capsys, "kpis", folder, *options, "--engine", "duckdb") == (0, pandas_json, "")


def test_cli_folder_needs_the_engine_and_canonical_calls(capsys, tmp_path):
    status, out, err = run_cli(capsys, "kpis", tmp_path)
    assert status == 2 and "--engine duckdb" in err and str(tmp_path) in err
    status, out, err = run_cli(capsys, "kpis", tmp_path, "--engine", "duckdb", "--lang", "zh")
    assert status == 2 and str(tmp_path) in err and "Parquet" in err and "Traceback" not in err
    pd.DataFrame({"x": [1]}).to_parquet(tmp_path / "other.parquet")
    status, out, err = run_cli(capsys, "kpis", tmp_path, "--engine", "duckdb")
    assert status == 2 and "arrived_at" in err
    typed = tmp_path / "typed"  # a wait written as text: the message names the column
    typed.mkdir()
    calls = edge_calls().assign(wait_s=["x"] * 12)
    calls.to_parquet(typed / "calls.parquet")
    status, out, err = run_cli(capsys, "kpis", typed, "--engine", "duckdb")
    assert status == 2 and "wait_s" in err and str(typed) in err and "SELECT" not in err


def test_kept_fcr_flags_follow_the_settings():
    """One data set asked under several FCR windows and methods, back and forth: the flags
    kept per setting never leak into another setting's answer."""
    calls = edge_calls()
    data = Dataset(calls)
    for settings in (
        KpiSettings(),
        KpiSettings(fcr_window_h=24),
        KpiSettings(fcr_method="resolved_flag"),
        KpiSettings(),
    ):
        assert_same_kpis(
            data.kpis("team", settings=settings),
            kpi.compute(calls, "team", settings=settings),
            ["team"],
        )
        day = kpi.subset(kpi.add_fcr_flags(calls, settings), "2025-03-03", "2025-03-04")
        assert_same_kpis(
            data.kpis(start="2025-03-03", end="2025-03-04", settings=settings),
            kpi.compute(day, settings=settings),
            [],
        )


def test_calls_carrying_fcr_flags_keep_them():
    """Calls flagged before (``kpi.add_fcr_flags``, as the app and the command line hold
    them) are counted with their own flags, whatever the settings, as compute counts them."""
    calls = kpi.add_fcr_flags(edge_calls(), KpiSettings(fcr_window_h=24))
    for settings in (KpiSettings(), KpiSettings(fcr_window_h=24)):
        expected = kpi.compute(calls, "team", "D", settings)
        assert_same_kpis(Dataset(calls).kpis("team", "D", settings), expected, ["team", "period"])
        day = kpi.compute(kpi.subset(calls, "2025-03-03", "2025-03-04"), settings=settings)
        got = Dataset(calls).kpis(settings=settings, start="2025-03-03", end="2025-03-04")
        assert_same_kpis(got, day, [])


def test_window_with_fcr_flags_of_the_whole_data(tmp_path):
    calls = edge_calls()
    for settings in (KpiSettings(), KpiSettings(fcr_window_h=24)):
        expected = kpi.subset(kpi.add_fcr_flags(calls, settings), "2025-03-03", "2025-03-04")
        got = Dataset(calls).window("2025-03-03", "2025-03-04", settings=settings)
        pd.testing.assert_frame_equal(got, expected.reset_index(drop=True))
    # row 0 (c1, answered) is repeated by its tie, row 7 (c2's last call) resolved
    assert got["fcr_resolved"].tolist()[:1] == [False] and got["fcr_resolved"].iloc[7]
    calls.to_parquet(tmp_path / "calls.parquet")
    from_file = Dataset(tmp_path / "calls.parquet").window(
        "2025-03-03", "2025-03-04", settings=settings
    )
    assert from_file["fcr_resolved"].tolist() == got["fcr_resolved"].tolist()
