"""Tests of ccmetrics.kpis, the KPI registry.

Expected values are hand calculations from the KPI conventions of DESIGN.md ("KPI
conventions"), shown beside each row; the registry must name, for every KPI the engine
outputs, the n that convention divides by.
"""

from __future__ import annotations

import ast
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ccmetrics import kpi, kpis
from ccmetrics.kpis import KPIS


def five_calls() -> pd.DataFrame:
    """Five calls on one morning (T = 20 s, S = 5 s, FCR window 72 h).

    | # | arrived | outcome   | wait | talk | hold | acw | transf | resolved | csat | qa |
    | 1 | 08:00   | answered  | 10   | 100  | 0    | 20  | no     | no       | 5    | 80 |
    | 2 | 08:10   | answered  | 30   | 200  | 10   | 10  | yes    | yes      | 3    |    |
    | 3 | 08:20   | abandoned | 2    |      |      |     |        |          |      |    |
    | 4 | 08:30   | abandoned | 40   |      |      |     |        |          |      |    |
    | 5 | 09:00   | answered  | 15   | 60   | 0    | 0   | no     | yes      |      | 90 |
    No call was contained in the IVR.
    """
    return pd.DataFrame(
        {
            "call_id": ["c1", "c2", "c3", "c4", "c5"],
            "arrived_at": pd.to_datetime(
                ["2025-01-06 08:00", "2025-01-06 08:10", "2025-01-06 08:20"]
                + ["2025-01-06 08:30", "2025-01-06 09:00"]
            ),
            "wait_s": [10.0, 30.0, 2.0, 40.0, 15.0],
            "answered": [True, True, False, False, True],
            "abandoned": [False, False, True, True, False],
            "talk_s": [100.0, 200.0, np.nan, np.nan, 60.0],
            "hold_s": [0.0, 10.0, np.nan, np.nan, 0.0],
            "acw_s": [20.0, 10.0, np.nan, np.nan, 0.0],
            "transferred": pd.array([False, True, pd.NA, pd.NA, False], dtype="boolean"),
            "resolved": pd.array([False, True, pd.NA, pd.NA, True], dtype="boolean"),
            "csat": [5.0, 3.0, np.nan, np.nan, np.nan],
            "qa_score": [80.0, np.nan, np.nan, np.nan, 90.0],
            "ivr_contained": pd.array([False] * 5, dtype="boolean"),
        }
    )


# KPI: (value, the n it rests on), by hand from DESIGN.md's conventions on five_calls().
BY_HAND = {
    # offered 5; answered and abandoned are shares of the offered calls
    "offered": (5, 5),
    "answered": (3, 5),
    "abandoned": (2, 5),
    # answered_in_sl / (offered − short_abandoned): calls 1 and 5 waited <= 20 s; call 3 < 5 s
    "service_level": (2 / 4, 4),
    # (abandoned − short) / (offered − short) = (2 − 1) / (5 − 1)
    "abandon_rate": (1 / 4, 4),
    # answered / offered
    "answer_rate": (3 / 5, 5),
    # mean wait of answered calls: (10 + 30 + 15) / 3
    "asa_s": (55 / 3, 3),
    # mean wait of abandoned calls: (2 + 40) / 2
    "avg_abandon_wait_s": (21, 2),
    # mean talk + hold + acw of answered calls: (120 + 220 + 60) / 3, and its parts
    "aht_s": (400 / 3, 3),
    "talk_s": (360 / 3, 3),
    "hold_s": (10 / 3, 3),
    "acw_s": (30 / 3, 3),
    # transferred / answered
    "transfer_rate": (1 / 3, 3),
    # no customer ids: the platform's resolved flag, 2 resolved of the 3 answered calls with one
    "fcr_rate": (2 / 3, 3),
    # rated calls 1 and 2: mean (5 + 3) / 2, top-2-box (>= 4) 1 of 2
    "csat_mean": (4, 2),
    "csat_top2box": (1 / 2, 2),
    # QA: (80 + 90) / 2 over 2 evaluated calls
    "qa_mean": (85, 2),
    # IVR containment: 0 of 5 offered calls
    "ivr_containment": (0, 5),
}


def test_every_kpi_the_engine_outputs_has_one_entry():
    calls = kpi.compute(five_calls())
    intervals = kpi.compute(
        pd.DataFrame(
            {
                "interval_start": pd.to_datetime(["2025-01-06 08:00"]),
                "interval_minutes": [30.0],
                "offered": [10.0],
            }
        )
    )
    for table in (calls, intervals):
        outputs = [c for c in table.columns if c not in kpi.BASE_COLUMNS]
        assert outputs == list(KPIS)  # the same KPIs, in the output order
    assert kpi.KPI_COLUMNS == tuple(KPIS)


def test_every_base_is_an_output_column_of_the_engine():
    columns = set(kpi.compute(five_calls()).columns)
    bases = {entry.base for entry in KPIS.values() if entry.base is not None}
    assert bases <= columns
    assert bases - set(KPIS) == set(kpi.BASE_COLUMNS)  # each n column is some KPI's base


@pytest.mark.parametrize("name", sorted(BY_HAND))
def test_the_base_is_the_n_of_the_design_convention(name):
    row = kpi.compute(five_calls()).iloc[0]
    value, n = BY_HAND[name]
    assert row[name] == pytest.approx(value)
    assert row[KPIS[name].base] == n


def test_occupancy_rests_on_staffed_hours():
    # 4 agents staffed for 30 min = 2 staffed hours; 3,600 handle seconds / 7,200 staffed = 0.5
    row = kpi.compute(
        pd.DataFrame(
            {
                "interval_start": pd.to_datetime(["2025-01-06 08:00"]),
                "interval_minutes": [30.0],
                "offered": [10.0],
                "answered": [8.0],
                "handle_s_sum": [3600.0],
                "staffed_agents": [4.0],
            }
        )
    ).iloc[0]
    assert row["occupancy"] == pytest.approx(0.5)
    assert row[KPIS["occupancy"].base] == pytest.approx(2.0)


def test_units_and_kinds_follow_the_conventions():
    for name, entry in KPIS.items():
        assert entry.unit in kpis.UNITS and entry.kind in kpis.KINDS, name
        # a proportion is shown as a percentage of its n; a count has the count unit
        if entry.kind == "proportion":
            assert entry.unit == "percent" and entry.base is not None, name
        if entry.kind == "count":
            assert entry.unit == "count", name
        if entry.unit == "seconds":
            assert entry.kind == "mean", name
    assert kpis.kpis_of_kind("proportion") == (
        "service_level",
        "abandon_rate",
        "answer_rate",
        "transfer_rate",
        "fcr_rate",
        "csat_top2box",
        "ivr_containment",
        "ivr_abandon_rate",
        "complaint_rate",
        "error_rate",
        "entry_completeness",
    )
    assert kpis.kpis_of_kind("mean") == (
        "asa_s",
        "avg_abandon_wait_s",
        "aht_s",
        "talk_s",
        "hold_s",
        "acw_s",
        "csat_mean",
        "qa_mean",
        "ivr_s",
        "cost_per_call",
    )
    # occupancy: handle seconds / staffed seconds, a percentage but not a share of calls
    assert (KPIS["occupancy"].kind, KPIS["occupancy"].unit) == ("time_share", "percent")
    with pytest.raises(ValueError, match="kind"):
        kpis.kpis_of_kind("ratio")


def test_direction_of_better():
    # service, answers, resolution and ratings are better higher; waits, abandons,
    # transfers and handle time lower; volumes and occupancy neither
    higher = {"service_level", "answer_rate", "fcr_rate", "csat_mean", "csat_top2box", "qa_mean"}
    lower = {"abandon_rate", "asa_s", "aht_s", "transfer_rate"}
    for name in higher:
        assert KPIS[name].higher_is_better is True, name
    for name in lower:
        assert KPIS[name].higher_is_better is False, name
    for name in ("offered", "answered", "occupancy"):
        assert KPIS[name].higher_is_better is None, name


def test_change_sense_of_the_tiles():
    senses = {name: kpis.change_sense(name) for name in kpis.TILE_KPIS}
    assert senses == {
        "offered": "off",
        "answer_rate": "normal",
        "service_level": "normal",
        "abandon_rate": "inverse",
        "asa_s": "inverse",
        "aht_s": "off",  # lower is better for ranking, but a change is not coloured
        "transfer_rate": "inverse",
        "fcr_rate": "normal",
        "csat_mean": "normal",
        "qa_mean": "normal",
    }


def test_display_lists_and_decimals():
    assert kpis.HEADLINE_KPIS == (*kpis.TILE_KPIS, "occupancy")
    assert kpis.TABLE_KPIS[:2] == ("offered", "answered")
    assert set(kpis.TABLE_KPIS) == {*kpis.HEADLINE_KPIS, "answered"}
    # QA scores (0–100) are shown with one decimal, every other KPI with its unit's default
    assert kpis.KPI_DECIMALS == {"qa_mean": 1}
    assert kpi.format_kpi("qa_mean", 82.64) == "82.6"
    assert kpi.format_kpi("csat_mean", 4.256) == "4.26"


def test_inputs_are_canonical_columns():
    from ccmetrics.schema import CALL_COLUMNS, INTERVAL_COLUMNS

    # the loader's staffing columns and the cube's sums enable KPIs beyond the canonical ones
    extra = {"staffed_agents", "staffed_s", "fcr_resolved", "csat_sum", "qa_sum", "ivr_contained"}
    for name, entry in KPIS.items():
        assert set(entry.call_inputs) <= set(CALL_COLUMNS) | extra, name
        assert set(entry.interval_inputs) <= set(INTERVAL_COLUMNS) | extra, name


def test_the_registry_imports_nothing_from_ccmetrics():
    # spc stands at the bottom of the module map and reads the registry
    tree = ast.parse(Path(kpis.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not any(name.startswith("ccmetrics") for name in imported)
