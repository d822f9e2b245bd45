"""The sample's IVR: every queued call unchanged, IVR-only rows added, the menu change found.

The queue totals below were measured with ``ccmetrics.kpi.compute`` on main's committed
``sample_data/calls.parquet`` (commit 314324f, before the IVR was added); the IVR must not
move any of them. The menu change of ``sample.IVR_MENU_CHANGE`` must be found by the daily
control chart of ``ivr_containment`` and confirmed by the improvement check.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ccmetrics import forecast, io, kpi, sample, spc
from ccmetrics.cube import ivr_only_rows
from tests.conftest import sample_dir

CHANGE = pd.Timestamp(sample.IVR_MENU_CHANGE["date"])

# kpi.compute(kpi.add_fcr_flags(io.load("sample_data/calls.parquet").frame)) on main 314324f
MAIN_TOTALS = {
    "offered": 193_224,
    "answered": 175_384,
    "abandoned": 17_840,
    "short_abandoned": 1_489,
    "answered_in_sl": 150_717,
    "service_level": 0.7860693144183378,
    "abandon_rate": 0.0852791613424779,
    "asa_s": 8.95083930119053,
    "aht_s": 370.11211969164805,
    "transfer_rate": 0.07780071158144415,
    "fcr_rate": 0.8680518808574688,
    "fcr_n": 170_082,
    "csat_mean": 4.004503684833045,
    "csat_n": 43_964,
    "qa_mean": 82.415611814346,
    "qa_n": 4_266,
}


@pytest.fixture(scope="module")
def calls() -> pd.DataFrame:
    return io.load(sample_dir() / "calls.parquet").frame


@pytest.fixture(scope="module")
def daily(calls) -> pd.DataFrame:
    return kpi.compute(calls, freq="D", keep_sums=True)


def test_queue_totals_are_mains(calls):
    row = kpi.compute(kpi.add_fcr_flags(calls)).iloc[0]
    for name, expected in MAIN_TOTALS.items():
        assert row[name] == pytest.approx(expected, rel=1e-12), name


def test_ivr_only_rows_change_no_queue_number_on_any_day(calls, daily):
    queued = calls[~ivr_only_rows(calls)]
    without = kpi.compute(queued, freq="D", keep_sums=True)
    columns = [c for c in (*kpi.KPI_COLUMNS, *kpi.BASE_COLUMNS) if not c.startswith("ivr_")]
    pd.testing.assert_frame_equal(daily[["period", *columns]], without[["period", *columns]])


def test_daily_volume_by_queue_counts_the_offered_calls(calls):
    # the IVR-only rows have no queue: they are in no queue's series, and offer nothing
    by_queue = forecast.daily_volume(calls, by="queue")
    queued = forecast.daily_volume(calls[~ivr_only_rows(calls)], by="queue")
    pd.testing.assert_frame_equal(by_queue.reset_index(drop=True), queued.reset_index(drop=True))
    assert by_queue["offered"].sum() == MAIN_TOTALS["offered"]


def test_ivr_rows_are_loaded_as_the_contract_says(calls):
    only = ivr_only_rows(calls)
    contained = calls["ivr_contained"].to_numpy(dtype=bool, na_value=False)
    hung_up = calls["ivr_abandoned"].to_numpy(dtype=bool, na_value=False)
    assert only.sum() == contained.sum() + hung_up.sum() and not (contained & hung_up).any()
    assert not calls.loc[only, ["answered", "abandoned"]].to_numpy().any()
    assert calls.loc[only, ["queue", "agent", "team"]].isna().all().all()
    assert calls.loc[only, "wait_s"].isna().all() and calls.loc[~only, "wait_s"].notna().all()
    # every call entered the IVR: a path and a time each
    assert calls["ivr_path"].notna().all() and calls["ivr_s"].notna().all()
    tops = {path.split(" > ")[0] for path in calls["ivr_path"].cat.categories}
    assert tops == {"Billing", "Data", "Roaming", "Complaints", "Other"}
    # complaints are never served by self-service: their IVR-only rows are hang-ups only
    complaint = (calls["category"] == "Complaint").to_numpy()
    assert not (contained & complaint).any()
    # before the change the balance path, from it the deeper one
    billing = calls[calls["category"] == "Billing enquiry"]
    agent = billing["ivr_path"] == sample.IVR_AGENT_PATH
    before = billing[(billing["arrived_at"] < CHANGE) & ~agent]["ivr_path"]
    after = billing[(billing["arrived_at"] >= CHANGE) & ~agent]["ivr_path"]
    assert set(before) == {"Billing > Balance"}
    assert set(after) == {sample.IVR_MENU_CHANGE["path"]}


def test_containment_by_topic_and_before_after_the_change(calls):
    # expected shares of the IVR callers: sample.IVR_CONTAINMENT (self-service) by category
    before = calls[calls["arrived_at"] < CHANGE]
    by_topic = kpi.compute(before, by="category").set_index("category")
    for topic, share in sample.IVR_CONTAINMENT.items():
        n = by_topic.loc[topic, "ivr_n"]
        # within 4 binomial standard errors of the share the generator used
        tolerance = 4 * np.sqrt(max(share * (1 - share), 1e-9) / n) + 1e-9
        assert abs(by_topic.loc[topic, "ivr_containment"] - share) <= tolerance, topic
    billing_after = kpi.compute(
        calls[(calls["arrived_at"] >= CHANGE) & (calls["category"] == "Billing enquiry")]
    ).iloc[0]
    share = sample.IVR_MENU_CHANGE["containment"]
    assert abs(billing_after.ivr_containment - share) <= 4 * np.sqrt(
        share * (1 - share) / billing_after.ivr_n
    )


def test_daily_control_chart_of_containment_signals_from_the_menu_change(daily):
    # limits from the days before the change (a stable baseline), as a manager would set them
    before = (daily["period"] < CHANGE).to_numpy()
    chart = spc.kpi_chart(daily, "ivr_containment", baseline=before)
    assert chart.attrs["chart"] == "p_prime"
    signals = chart.index[chart["signal"].to_numpy(dtype=bool)]
    # measured: no day before the change signals; from the change, containment sits below
    # the lower limit
    assert len(signals) > 0 and signals.min() >= CHANGE
    after = chart[chart.index >= CHANGE]
    assert (after["value"] < after["lcl"]).mean() > 0.9
    assert bool(chart.loc[CHANGE, "signal"])


def test_improvement_check_confirms_the_drop(daily):
    chart = spc.kpi_chart(daily, "ivr_containment", change=CHANGE)
    check = chart.attrs["improvement"]
    assert check.kind == "proportion" and check.significant
    assert check.difference < 0 and check.ci_high < 0
    # the same check from the counts: contained / entered per day
    direct = spc.improvement_check(
        daily["ivr_contained"].to_numpy(),
        daily["ivr_n"].to_numpy(),
        change=_days_before_change(daily),
    )
    assert direct.difference == pytest.approx(check.difference)
    assert direct.before == pytest.approx(
        daily.loc[daily["period"] < CHANGE, "ivr_contained"].sum()
        / daily.loc[daily["period"] < CHANGE, "ivr_n"].sum()
    )


def _days_before_change(daily) -> int:
    return int((daily["period"] < CHANGE).sum())


def test_zh_file_carries_the_ivr(calls):
    path = sample_dir() / "calls_zh_gbk.csv.gz"
    headers = sample.ZH_HEADERS
    ivr_headers = [headers[name] for name in ("ivr_s", "ivr_contained", "ivr_abandoned")]
    zh = pd.read_csv(path, encoding="gbk", dtype=str, keep_default_na=False, usecols=ivr_headers)
    assert len(zh) == len(calls)
    assert (zh[headers["ivr_contained"]] == "是").sum() == int(calls["ivr_contained"].sum())
    assert (zh[headers["ivr_abandoned"]] == "是").sum() == int(calls["ivr_abandoned"].sum())
    assert zh[headers["ivr_s"]].astype(int).sum() == calls["ivr_s"].sum()
    # the loader maps the Chinese IVR columns by default (first day's rows, re-encoded)
    head = pd.read_csv(path, encoding="gbk", dtype=str, keep_default_na=False, nrows=4000)
    first_day = head[head[headers["arrived_at"]] < "2025-01-02"]
    assert len(first_day) < len(head)  # the whole first day is inside the rows read
    loaded = io.load(first_day.to_csv(index=False).encode("gbk"))
    frame = loaded.frame.set_index("call_id")
    day = calls[calls["arrived_at"] < "2025-01-02"].set_index("call_id").loc[frame.index]
    assert loaded.row_accounting().dropped == {} and len(frame) == len(first_day)
    for column in ("ivr_contained", "ivr_abandoned", "answered", "abandoned"):
        assert frame[column].tolist() == day[column].tolist(), column
    menu = sample.ZH_VALUES["ivr_path"]
    expected = [" > ".join(menu[o] for o in p.split(" > ")) for p in day["ivr_path"].astype(str)]
    assert frame["ivr_path"].astype(str).tolist() == expected
