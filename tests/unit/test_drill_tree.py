"""Walking the decomposition tree from a link: ``drill.resolve_path`` and ``drill.default_split``.

The expected paths and splits are worked out by hand from the small frames below.
"""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd

from ccmetrics import drill
from ccmetrics.drill import tree


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "category": ["Billing", "Billing", "Data", "Data"],
            "segment": ["Prepaid", None, "Postpaid", "Prepaid"],
            "queue": [7, 7, 8, 8],  # numbers: a link carries them as text
        }
    )


DIMS = ["queue", "category", "segment"]


def test_docstring_examples():
    result = doctest.testmod(tree)
    assert result.attempted >= 1 and result.failed == 0


def test_a_known_path_keeps_every_step_with_the_datas_values():
    path, unknown = drill.resolve_path(
        [("category", "Data"), ("queue", "8"), ("segment", "Prepaid")], _frame(), DIMS
    )
    assert path == [("category", "Data"), ("queue", 8), ("segment", "Prepaid")]
    assert isinstance(path[1][1], (int, np.integer))  # the column's number, not the text
    assert unknown is False


def test_the_blank_node_exists_only_where_the_column_has_blanks():
    assert drill.resolve_path([("segment", None)], _frame(), DIMS) == ([("segment", None)], False)
    assert drill.resolve_path([("category", None)], _frame(), DIMS) == ([], True)


def test_the_path_stops_at_the_first_unknown_step():
    frame = _frame()
    # a value the column does not hold: the steps after it go too
    assert drill.resolve_path(
        [("category", "Data"), ("segment", "Gold"), ("queue", "8")], frame, DIMS
    ) == ([("category", "Data")], True)
    # a dimension the tree does not split by
    assert drill.resolve_path([("agent", "Ann")], frame, DIMS) == ([], True)
    # a dimension named twice
    assert drill.resolve_path([("category", "Data"), ("category", "Billing")], frame, DIMS) == (
        [("category", "Data")],
        True,
    )
    assert drill.resolve_path([], frame, DIMS) == ([], False)


def _ranked() -> pd.DataFrame:
    """Ranked elements, best first (as Explanation.table's ``values`` column)."""
    return pd.DataFrame(
        {
            "values": [
                {"category": "Data", "segment": "Prepaid"},
                {"queue": 8},
                {"category": "Billing", "queue": 7},
            ]
        }
    )


def test_the_split_follows_the_best_ranked_element_below_the_node():
    table = _ranked()
    # root: the best element adds category first (its own order), category is left
    assert drill.default_split(table, [], ["queue", "category", "segment"]) == "category"
    # under category=Data the best element below adds segment
    assert drill.default_split(table, [("category", "Data")], ["queue", "segment"]) == "segment"
    # under category=Billing only the third element lies below: it adds queue
    assert drill.default_split(table, [("category", "Billing")], ["queue", "segment"]) == "queue"
    # a node's value read from a link as text still matches the element's number
    assert drill.default_split(table, [("queue", "7")], ["category", "segment"]) == "category"


def test_without_an_element_below_the_node_the_first_dimension_left_splits():
    table = _ranked()
    assert drill.default_split(table, [("segment", "Postpaid")], ["queue", "category"]) == "queue"
    # the only element below adds nothing that is left
    assert (
        drill.default_split(table, [("category", "Data"), ("segment", "Prepaid")], ["queue"])
        == "queue"
    )


def _level(lows, highs) -> pd.DataFrame:
    return pd.DataFrame({"band_low": lows, "band_high": highs})


def test_level_bars_draw_the_first_values_and_the_one_on_the_path():
    level = _level([0.1, 0.2, 0.3, 0.4, 0.5], [0.2, 0.3, 0.4, 0.5, 0.6])
    assert drill.level_bars(level, "service_level", 3)[0] == [0, 1, 2]
    # the value on the path is drawn last when it is not among the first three
    assert drill.level_bars(level, "service_level", 3, chosen=4)[0] == [0, 1, 2, 4]
    assert drill.level_bars(level, "service_level", 3, chosen=1)[0] == [0, 1, 2]
    assert drill.level_bars(level, "service_level", 10)[0] == [0, 1, 2, 3, 4]
    order, low, high = drill.level_bars(level, "service_level", 3, chosen=4)
    assert low.tolist() == [0.1, 0.2, 0.3, 0.5] and high.tolist() == [0.2, 0.3, 0.4, 0.6]


def test_level_bars_clip_the_band_to_what_the_metric_can_be():
    level = _level([-0.05, 0.9, -3.0], [0.4, 1.2, 2.0])
    # a proportion (service level, unit percent) lies in [0, 1]
    _, low, high = drill.level_bars(level, "service_level", 15)
    assert low.tolist() == [0.0, 0.9, 0.0] and high.tolist() == [0.4, 1.0, 1.0]
    # seconds are never negative, and have no upper bound
    _, low, high = drill.level_bars(level * 100, "aht_s", 15)
    assert low.tolist() == [0.0, 90.0, 0.0] and high.tolist() == [40.0, 120.0, 200.0]
    # nor are counts (offered calls)
    _, low, _ = drill.level_bars(level, "offered", 15)
    assert low.tolist() == [0.0, 0.9, 0.0]


def test_overlapping_periods_share_time_with_the_half_open_window():
    hours = pd.date_range("2025-03-11 08:00", periods=5, freq="h")
    one_hour = pd.Timedelta(hours=1)
    # 09:00-12:00 holds the hours of 09, 10 and 11; the 08 hour ends where it starts
    window = (pd.Timestamp("2025-03-11 09:00"), pd.Timestamp("2025-03-11 12:00"))
    assert drill.overlapping(hours, one_hour, window).tolist() == [False, True, True, True, False]
    # 09:30-10:15 touches the 09 and 10 hours
    window = ("2025-03-11 09:30", "2025-03-11 10:15")
    assert drill.overlapping(hours, one_hour, window).tolist() == [False, True, True, False, False]
