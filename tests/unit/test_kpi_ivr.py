"""The IVR stage in the KPI engine: IVR-only rows, containment, IVR abandons and IVR time.

Every expected value is a hand count over the small frames below, stated next to it.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ccmetrics import kpi
from ccmetrics.cube import CubeIndex, build_cube, fcr_flags, ivr_only_rows
from ccmetrics.kpis import KPIS

QUEUE_KPIS = [name for name in kpi.KPI_COLUMNS if not name.startswith("ivr_")]
QUEUE_BASES = [name for name in kpi.BASE_COLUMNS if not name.startswith("ivr_")]


def journey_calls() -> pd.DataFrame:
    """Six calls of one customer line.

    ===  =================  ========  ======  =========  =========  ===========  ======
    row  what happened      customer  IVR s   contained  IVR hang   queue wait   CSAT
    ===  =================  ========  ======  =========  =========  ===========  ======
    1    answered           A         30      no         no         10 s         5
    2    abandoned (queue)  B         20      no         no         40 s         -
    3    served in the IVR  A         60      yes        no         -            4
    4    hung up in IVR     C         15      no         yes        -            -
    5    served in the IVR  D         -       yes        -          -            -
    6    answered, no IVR   E         -       -          -          5 s          3
    ===  =================  ========  ======  =========  =========  ===========  ======

    Row 6 comes four days later, so row 1's 72-hour FCR window lies inside the data.
    """
    return pd.DataFrame(
        {
            "call_id": [f"c{i}" for i in range(1, 7)],
            "arrived_at": pd.to_datetime(
                [
                    "2025-01-06 08:00",
                    "2025-01-06 08:30",
                    "2025-01-06 09:00",
                    "2025-01-06 09:30",
                    "2025-01-06 10:00",
                    "2025-01-10 10:00",
                ]
            ),
            "category": pd.Categorical(["Billing", "Data", "Billing", "Data", "Billing", "Data"]),
            "customer_id": pd.array(["A", "B", "A", "C", "D", "E"], dtype="string"),
            "wait_s": [10.0, 40.0, np.nan, np.nan, np.nan, 5.0],
            "answered": [True, False, False, False, False, True],
            "abandoned": [False, True, False, False, False, False],
            "ivr_s": [30.0, 20.0, 60.0, 15.0, np.nan, np.nan],
            "ivr_contained": pd.array([False, False, True, False, True, None], dtype="boolean"),
            "ivr_abandoned": pd.array([False, False, False, True, None, None], dtype="boolean"),
            "ivr_path": pd.Categorical(
                ["Billing > Agent", "Data > Agent", "Billing > Balance", "Data", None, None]
            ),
            "talk_s": [100.0, np.nan, np.nan, np.nan, np.nan, 200.0],
            "csat": [5.0, np.nan, 4.0, np.nan, np.nan, 3.0],
            "qa_score": [80.0, np.nan, 70.0, np.nan, np.nan, 90.0],
        }
    )


def test_ivr_only_rows_are_the_contained_and_the_ivr_abandoned_calls():
    # rows 3 and 5 contained, row 4 hung up in the IVR
    assert ivr_only_rows(journey_calls()).tolist() == [False, False, True, True, True, False]
    assert not ivr_only_rows(journey_calls().drop(columns=["ivr_contained", "ivr_abandoned"])).any()


def test_ivr_kpis_by_hand():
    row = kpi.compute(journey_calls()).iloc[0]
    # entered the IVR: rows 1-5 have some IVR column known, row 6 none -> 5
    assert row.ivr_n == 5
    # contained: rows 3 and 5 -> 2 of 5
    assert row.ivr_contained == 2 and row.ivr_containment == pytest.approx(2 / 5)
    # hung up in the IVR: row 4 -> 1 of 5
    assert row.ivr_abandoned_n == 1 and row.ivr_abandon_rate == pytest.approx(1 / 5)
    # mean IVR time over rows 1-4 with a known time: (30 + 20 + 60 + 15) / 4
    assert row.ivr_time_n == 4 and row.ivr_s == pytest.approx(125 / 4)


def test_queue_and_agent_kpis_leave_ivr_only_rows_out():
    row = kpi.compute(journey_calls()).iloc[0]
    # offered: rows 1, 2, 6; answered 1 and 6; abandoned 2
    assert (row.offered, row.answered, row.abandoned) == (3, 2, 1)
    # CSAT over rated offered calls 1 and 6: (5 + 3) / 2 (row 3's self-service rating is not an agent's)
    assert row.csat_n == 2 and row.csat_mean == pytest.approx(4.0)
    assert row.qa_n == 2 and row.qa_mean == pytest.approx(85.0)
    # FCR (repeat calls, 72 h): row 1 (customer A) is eligible; A's next contact is row 3,
    # served in the IVR, not a repeat call to the queue -> resolved, 1 of 1
    assert row.fcr_n == 1 and row.fcr_rate == pytest.approx(1.0)
    flags = fcr_flags(journey_calls())
    assert flags["fcr_eligible"].tolist() == [True, False, False, False, False, False]


def test_a_frame_without_ivr_only_rows_gives_the_same_queue_numbers():
    calls = journey_calls()
    queued = calls[~ivr_only_rows(calls)]
    with_ivr = kpi.compute(calls, by="category", freq="D")
    without = kpi.compute(queued, by="category", freq="D")
    columns = ["category", "period", *QUEUE_KPIS, *QUEUE_BASES]
    pd.testing.assert_frame_equal(with_ivr[columns], without[columns])
    # dropping every IVR column changes no queue number either
    bare = kpi.compute(queued.drop(columns=["ivr_s", "ivr_contained", "ivr_abandoned", "ivr_path"]))
    pd.testing.assert_frame_equal(
        kpi.compute(calls)[QUEUE_KPIS + QUEUE_BASES], bare[QUEUE_KPIS + QUEUE_BASES]
    )
    assert math.isnan(bare.ivr_containment.iloc[0]) and math.isnan(bare.ivr_s.iloc[0])


def test_ivr_kpis_by_group_and_through_the_cube():
    calls = journey_calls()
    by_category = kpi.compute(calls, by="category").set_index("category")
    # Billing: rows 1, 3, 5 -> entered 3, contained 2 (rows 3, 5), IVR time (30 + 60) / 2
    billing = by_category.loc["Billing"]
    assert (billing.ivr_n, billing.ivr_contained, billing.ivr_time_n) == (3, 2, 2)
    assert billing.ivr_s == pytest.approx(45.0)
    # Data: rows 2, 4 entered (row 6 did not) -> 1 IVR hang-up of 2
    data = by_category.loc["Data"]
    assert (data.ivr_n, data.ivr_abandoned_n, data.ivr_abandon_rate) == (2, 1, 0.5)
    # a cube of the calls (sums per day) gives the same KPIs, non-whole seconds too
    calls["ivr_s"] = calls["ivr_s"] + 0.5
    cube = build_cube(calls, "D", ["category"])
    from_cube = kpi.compute(cube, by="category").set_index("category")
    direct = kpi.compute(calls, by="category").set_index("category")
    ivr_columns = ["ivr_n", "ivr_contained", "ivr_abandoned_n", "ivr_time_n", "ivr_s"]
    pd.testing.assert_frame_equal(from_cube[ivr_columns], direct[ivr_columns])
    assert from_cube.loc["Billing", "ivr_s"] == pytest.approx(45.5)
    indexed = CubeIndex(calls, "D", ["category"]).cube(calls)
    pd.testing.assert_frame_equal(indexed, cube)


def test_registry_entries_of_the_ivr_kpis():
    assert (KPIS["ivr_containment"].base, KPIS["ivr_abandon_rate"].base) == ("ivr_n", "ivr_n")
    assert KPIS["ivr_abandon_rate"].kind == "proportion" and KPIS["ivr_s"].kind == "mean"
    assert KPIS["ivr_s"].base == "ivr_time_n" and KPIS["ivr_s"].unit == "seconds"
    # more self-service is better, more hang-ups in the menu worse
    assert KPIS["ivr_containment"].higher_is_better is True
    assert KPIS["ivr_abandon_rate"].higher_is_better is False
    # a frame that has only an IVR time: the rates have no flag to count, they are missing
    times_only = journey_calls().drop(columns=["ivr_contained", "ivr_abandoned", "ivr_path"])
    times_only = times_only[times_only["wait_s"].notna()]
    row = kpi.compute(times_only).iloc[0]
    assert row.ivr_n == 2 and math.isnan(row.ivr_containment) and math.isnan(row.ivr_abandon_rate)
    assert set(kpi.missing_inputs(times_only)) >= {"ivr_containment", "ivr_abandon_rate"}
    assert "ivr_s" not in kpi.missing_inputs(times_only)


def test_drill_down_and_unit_statistics_leave_ivr_only_rows_out():
    from ccmetrics.drill.frames import _choose_dims
    from ccmetrics.unitstats import call_values

    calls = journey_calls()
    calls["queue"] = pd.Categorical(["Q1", "Q2", None, None, None, "Q1"])
    # the queue is known for every offered call (rows 1, 2, 6); the calls that ended in the
    # IVR (rows 3-5) have none, which must not make it look "known only for answered calls"
    chosen, notes = _choose_dims(calls, calls, ["queue"], "service_level", None)
    assert chosen == {"queue": "supply"} and notes == []
    # per-call CSAT values for comparisons: row 3's self-service rating is left out
    values = call_values(calls, "csat_mean")
    assert values.iloc[0] == 5.0 and np.isnan(values.iloc[2]) and values.iloc[5] == 3.0


def test_a_group_of_calls_that_ended_in_the_ivr_without_a_value_is_no_row():
    calls = journey_calls()
    calls["queue"] = pd.Categorical(["Q1", "Q2", None, None, None, "Q1"])
    by_queue = kpi.compute(calls, by="queue")
    # rows 3-5 ended in the IVR and have no queue: no row of their own; Q1 rows 1 and 6, Q2 row 2
    assert by_queue["queue"].tolist() == ["Q1", "Q2"]
    assert by_queue["offered"].tolist() == [2, 1]
    assert by_queue["ivr_n"].tolist() == [1, 1]  # row 6 has no IVR data
    # the totals and the groups by a column the IVR calls have keep them
    assert kpi.compute(calls).iloc[0].ivr_n == 5
    assert kpi.compute(calls, by="category")["ivr_n"].sum() == 5
    # a queued call without a queue is still a row (its key missing, something offered)
    calls.loc[5, "queue"] = None
    rows = kpi.compute(calls, by="queue")
    assert rows["queue"].isna().sum() == 1 and rows.loc[rows["queue"].isna(), "offered"].item() == 1


def test_the_drill_down_splits_the_offered_calls_only():
    from ccmetrics import drill

    days = pd.date_range("2025-01-06 09:00", periods=14, freq="D")
    calls = pd.DataFrame(
        {
            "arrived_at": np.repeat(days, 3),
            "queue": pd.Categorical(["Q1", "Q2", None] * 14),
            "wait_s": np.tile([5.0, 40.0, np.nan], 14),
            "answered": np.tile([True, True, False], 14),
            "abandoned": np.tile([False, False, False], 14),
            "ivr_contained": pd.array(np.tile([False, False, True], 14), dtype="boolean"),
        }
    )
    level = drill.decompose(calls, (days[-1], days[-1] + pd.Timedelta(days=1)), None, "queue")
    # the self-served calls (no queue) make no element of a service-level split
    assert sorted(level["value"].astype(str)) == ["Q1", "Q2"]
