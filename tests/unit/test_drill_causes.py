"""The root-cause set is what the drill-down's consumers name: summary, drivers, table, story, report.

The cases are built by hand so that the greedy concentration step and the root-cause search
disagree in a known way. Category X's calls rise in every segment: +300 % in segment Y and
+50 % in Z, W and V. The greedy step takes ``category=X & segment=Y`` first (it holds 2/3
of the extra calls with 1/16 of the volume: score 0.67 ln(0.67 × 16) = 1.58, above
category=X's 1.0 × ln(4) = 1.39), so before the causes were used every consumer named
that over-specific element. Its siblings in X rise too (each by +50 %, a sixth of Y's
+300 %, well beyond noise: 50 extra calls on 100 expected per sibling), so by the issue's
succinctness rule — a child is reported instead of its parent only when the parent's other
children do not deviate — the cause is ``category=X``.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from ccmetrics import drill, story
from ccmetrics.drill.elements import element_label
from ccmetrics.report import build_report
from ccmetrics.schema import KpiSettings

CATEGORIES = ("X", "A", "B", "C")
SEGMENTS = ("Y", "Z", "W", "V")
WOBBLE = (3, -3, 2, -2)  # week-to-week wobble of each cell's calls (sums to zero)


def _lift(category: str, segment: str, two_causes: bool) -> float:
    """Relative volume of a cell on the anomaly day (1 = as in the baseline weeks)."""
    if category == "X":
        return 4.0 if segment == "Y" else 1.5
    if two_causes and category == "B":
        return 1.8  # a second cause, in another branch of the category tree
    return 1.0


def _cube(two_causes: bool = False) -> pd.DataFrame:
    """Calls per (week, category, segment): four baseline weeks (0-3), the anomaly (4)."""
    rows = []
    for week, (c, category), (s, segment) in itertools.product(
        range(5), enumerate(CATEGORIES), enumerate(SEGMENTS)
    ):
        calls = 200.0 + WOBBLE[(week + c + s) % 4]
        if week == 4:
            calls *= _lift(category, segment, two_causes)
        rows.append((week, category, segment, calls))
    return pd.DataFrame(rows, columns=["t", "category", "segment", "calls"])


def _explain_cube(two_causes: bool = False, dims=("category", "segment")) -> drill.Explanation:
    return drill.explain_ratio(
        _cube(two_causes),
        (4, 5),
        [(k, k + 1) for k in range(4)],
        time="t",
        dims=list(dims),
        numerator="calls",
        denominator=None,
    )


def test_greedy_step_alone_would_name_the_over_specific_child():
    # The premise of this file: by the concentration score the greedy step ranks by,
    # X & Y (2/3 of the 900 extra calls with 1/16 of the volume) beats X (all of them with
    # 1/4): 0.667 ln(0.667 × 16) = 1.58 > 1.0 ln(4) = 1.39.
    e = _explain_cube()
    score = e.table.set_index("element")["score"]
    # by hand from the cube: extra calls of a cell = its week-4 calls − 200 (the wobble of
    # the baseline weeks averages to zero; each category's wobble on week 4 sums to zero)
    cube = _cube()
    week = cube[cube["t"] == 4].set_index(["category", "segment"])["calls"] - 200.0
    total = week.sum()
    x_y = week[("X", "Y")] / total
    x = week.loc["X"].sum() / total
    assert score["category=X & segment=Y"] == pytest.approx(x_y * np.log(x_y * 16))
    assert score["category=X"] == pytest.approx(x * np.log(x * 4))
    assert score["category=X & segment=Y"] > score["category=X"]
    assert e.causes["element"].tolist() == ["category=X"]


def test_summary_and_leading_elements_name_the_cause_not_its_child():
    e = _explain_cube()
    assert e.verdict == "concentrated"
    assert [item["values"] for item in drill.leading_elements(e)] == [{"category": "X"}]
    assert "category=X calls" in e.summary["en"]
    assert "segment=Y" not in e.summary["en"]
    assert "100% of the extra calls" in e.summary["en"]  # X holds all 900 extra calls
    zh_name = element_label({"category": "X"}, language="zh")
    assert zh_name in e.summary["zh"]
    assert element_label({"category": "X", "segment": "Y"}, language="zh") not in e.summary["zh"]


def test_table_shows_the_cause_first_and_marks_it_selected():
    # The verdict never contradicts the table under it: what the summary names is the
    # table's first row, selected (starred); the over-specific child is not selected.
    e = _explain_cube()
    assert e.table["element"].iloc[0] == "category=X"
    assert e.table["selected"].iloc[0]
    assert e.selected["element"].tolist() == ["category=X"]
    child = e.table[e.table["element"] == "category=X & segment=Y"].iloc[0]
    assert not child["selected"]
    # X's explained share by hand: 900 extra calls of 900
    assert e.table["explained_share"].iloc[0] == pytest.approx(1.0)
    # the concentration record holds the union's numbers: X is 800 of 3200 baseline calls
    taken = e.concentration["demand"]
    assert taken[0]["explained"] == pytest.approx(1.0)
    assert taken[0]["size"] == pytest.approx(0.25)


def test_decomposition_tree_opens_on_the_cause_dimension():
    # The drill-down page's tree splits first by the dimension the best-ranked element adds
    # below the node: with the cause first in the table, that is category at the root.
    # (segment listed first: the child "segment=Y & category=X" would open on segment)
    from ccmetrics.drill.tree import default_split

    e = _explain_cube(dims=("segment", "category"))
    assert e.table["element"].iloc[0] == "category=X"
    assert default_split(e.table, [], ["segment", "category"]) == "category"


def test_two_causes_in_different_branches_are_both_named():
    # X (all segments) and B (+80 % in every segment): 900 + 640 extra calls.
    e = _explain_cube(two_causes=True)
    assert e.causes["element"].tolist() == ["category=X", "category=B"]
    # each share by hand: the category's extra calls over all extra calls (the baseline of
    # every cell is 200, its wobble averaging to zero over the four weeks)
    cube = _cube(two_causes=True)
    extra = cube[cube["t"] == 4].groupby("category")["calls"].sum() - 200.0 * len(SEGMENTS)
    total = extra.sum()
    assert e.causes["share"].to_numpy() == pytest.approx([extra["X"] / total, extra["B"] / total])
    assert e.selected["element"].tolist() == ["category=X", "category=B"]
    assert e.table["element"].iloc[:2].tolist() == ["category=X", "category=B"]
    names = [item["element"] for item in drill.leading_elements(e)]
    assert names == ["category=X", "category=B"]
    assert "category=X and category=B calls" in e.summary["en"]
    assert "100% of the extra calls" in e.summary["en"]


# --------------------------------------------------------------------------- calls


DAYS = [pd.Timestamp("2025-03-04") + pd.Timedelta(weeks=k) for k in range(5)]  # Tuesdays


def _calls(two_causes: bool = False) -> pd.DataFrame:
    """Canonical calls of five Tuesdays, the last one with the cube's surge.

    Every call is answered after 10 s, except every fifth (40 s): a service level of 80 %
    at a 20 s threshold. On the last day the calls of category X wait 40 s three times in
    five (service level 40 % in X): service falls while the volume rises.
    """
    rows = []
    for day_index, day in enumerate(DAYS):
        last = day_index == 4
        for (c, category), (s, segment) in itertools.product(
            enumerate(CATEGORIES), enumerate(SEGMENTS)
        ):
            n = 100 + WOBBLE[(day_index + c + s) % 4]
            if last:
                n = int(round(n * _lift(category, segment, two_causes)))
            seconds = np.linspace(8 * 3600, 16 * 3600, n, endpoint=False) + 7 * c + s
            for i, second in enumerate(seconds):
                slow = i % 5 < (3 if last and category == "X" else 1)
                rows.append(
                    {
                        "arrived_at": day + pd.Timedelta(seconds=float(second)),
                        "queue": "General",
                        "category": category,
                        "segment": segment,
                        "wait_s": 40.0 if slow else 10.0,
                        "answered": True,
                        "abandoned": False,
                        "talk_s": 240.0 + 10 * (i % 7),
                        "hold_s": 0.0,
                        "acw_s": 30.0,
                    }
                )
    frame = pd.DataFrame(rows)
    for column in ("queue", "category", "segment"):
        frame[column] = frame[column].astype("category")
    return frame.sort_values("arrived_at", ignore_index=True)


@pytest.fixture(scope="module")
def surge_calls() -> pd.DataFrame:
    return _calls()


def test_volume_driver_sentence_names_the_cause(surge_calls):
    e = drill.explain(surge_calls, (DAYS[4], DAYS[4] + pd.Timedelta(days=1)))
    assert e.volume is not None and e.volume.verdict == "concentrated"
    assert e.volume.causes["element"].tolist() == ["category=X"]
    volume = next(d for d in e.drivers if d["driver"] == "volume")
    assert volume["values"] == {"category": "X"}
    assert volume["explained_share"] == pytest.approx(1.0)  # all the extra calls are X's
    assert "were category=X calls" in e.summary["en"]
    assert "segment=Y" not in e.summary["en"]


@pytest.fixture(scope="module")
def two_cause_calls() -> pd.DataFrame:
    return _calls(two_causes=True)


def test_two_volume_causes_are_named_in_the_driver_sentence(two_cause_calls):
    e = drill.explain(two_cause_calls, (DAYS[4], DAYS[4] + pd.Timedelta(days=1)))
    volume = next(d for d in e.drivers if d["driver"] == "volume")
    assert [n["element"] for n in volume["named"]] == ["category=X", "category=B"]
    assert "category=X and category=B calls" in e.summary["en"]


def test_story_names_the_cause_of_the_surge(surge_calls):
    told = story.day_story(surge_calls, DAYS[4])
    assert told.cause == "demand_surge"
    assert told.element == {"category": "X"}
    assert told.element_share == pytest.approx(1.0)
    text = story.describe(told, "en")
    assert "X" in text and "segment" not in text.lower()


def test_story_names_both_causes_of_a_two_cause_surge(two_cause_calls):
    told = story.day_story(two_cause_calls, DAYS[4])
    assert told.cause == "demand_surge"
    assert told.element == {"category": "X"}  # the larger share first
    assert told.elements == [{"category": "X"}, {"category": "B"}]
    assert told.element_share == pytest.approx(1.0)  # together: every extra call
    assert "were category=X and category=B." in story.describe(told, "en")
    zh = story.describe(told, "zh")
    assert drill.element_names([{"category": "X"}, {"category": "B"}], language="zh") in zh


def test_report_names_both_causes_of_a_two_cause_surge(two_cause_calls):
    built = build_report(
        two_cause_calls,
        start=DAYS[4],
        end=DAYS[4] + pd.Timedelta(days=1),
        findings=[DAYS[4]],
        settings=KpiSettings(),
    )
    finding = built.findings[0]
    # service level fell in X only (its calls waited); the extra calls are X's and B's
    assert finding.explanation.causes["element"].tolist() == ["category=X"]
    assert "extra calls were category=X and category=B calls" in finding.bullets[1]
    assert "were category=X and category=B." in finding.story_text


def test_report_names_the_cause_in_its_where_bullet_and_path(surge_calls):
    built = build_report(
        surge_calls,
        start=DAYS[4],
        end=DAYS[4] + pd.Timedelta(days=1),
        findings=[DAYS[4]],
        settings=KpiSettings(),
    )
    finding = built.findings[0]
    where = finding.bullets[1]
    assert "category=X" in where and "segment=Y" not in where
    assert [step["values"] for step in finding.path][-1] == {"category": "X"}
