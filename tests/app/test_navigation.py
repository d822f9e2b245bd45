"""Navigation: window pickers start at the center's opening hours (kpi.operating_hours).

Hand values: calls at 08:07 and 21:59 give opening 08:00 and closing 22:00 on a
15-minute clock; a 30-minute interval starting at 21:30 closes at 22:00; the
bundled sample's calls arrive from 08:00 to 21:59 (its generator's opening hours).
"""

from __future__ import annotations

import pandas as pd

from ccmetrics import kpi

TIMEOUT_S = 90


def test_operating_hours_of_calls_and_intervals():
    calls = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-01-06 08:07", "2025-01-07 21:59"])})
    assert kpi.operating_hours(calls) == (8 * 60, 22 * 60)
    assert kpi.operating_hours(calls, step_minutes=60) == (8 * 60, 22 * 60)
    intervals = pd.DataFrame(
        {
            "interval_start": pd.to_datetime(["2025-01-06 07:30", "2025-01-06 21:30"]),
            "interval_minutes": [30, 30],
            "offered": [3, 4],
        }
    )
    assert kpi.operating_hours(intervals) == (7 * 60 + 30, 22 * 60)
    around_the_clock = pd.DataFrame(
        {"arrived_at": pd.to_datetime(["2025-01-06 00:00:00", "2025-01-06 23:59:59"])}
    )
    assert kpi.operating_hours(around_the_clock) == (0, 24 * 60)
    assert kpi.operating_hours(calls.iloc[:0]) == (0, 24 * 60)


def test_the_drilldown_window_picker_starts_at_the_opening_hours(app):
    app.query_params.update({"page": "drill-down", "day": "2025-03-11"})
    at = app.run()
    assert not at.exception
    start, end = at.selectbox(key="dd_from_pick"), at.selectbox(key="dd_to_pick")
    assert (start.value, end.value) == ("08:00", "22:00")
    assert start.options[0] == "08:00" and end.options[-1] == "22:00"
    # a narrower window, then back to the opening hours: the whole day again (no dd_start)
    at.selectbox(key="dd_from_pick").set_value("09:00").run()
    assert at.query_params["dd_start"] == "2025-03-11T09:00"
    at.selectbox(key="dd_from_pick").set_value("08:00").run()
    assert "dd_start" not in at.query_params and "dd_end" not in at.query_params
