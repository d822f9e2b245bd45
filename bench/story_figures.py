"""Figures of the calibrated staffing attribution and the day's story, on two data sets.

Usage: ``python bench/story_figures.py`` (about half a minute).

1. The generated hotline of ``tests/unit/test_story.py``: ``ccmetrics.sample`` at seed 7 over
   2025-02-03 to 2025-03-23 (the sample's incidents fall inside), with a plan whose staffed
   and scheduled agents are the simulation's seats ÷ 0.74 (a quarter of the logged-in time
   off the phones) and no forecast AHT.
2. The bundled sample (``sample_data/calls.parquet`` with its plan ``intervals.csv``).

For each: the calibration, the unexplained part of the service-level shortfall on ordinary
days (every day but the one-day incidents) before and after calibration, the Shapley
attribution of each incident day and its story sentence. Not a test: the tests assert on
the same numbers (tests/unit/test_story.py, tests/app/test_story_pages.py).
"""

from __future__ import annotations

import pandas as pd

from ccmetrics import sample, staffing, story
from ccmetrics.sample import INCIDENTS, SAMPLE_DIR

INCIDENT_DAYS = [INCIDENTS[name]["first_date"] for name in ("surge", "staffing_shortfall", "storm")]
TOLD = [*INCIDENT_DAYS, "2025-02-17", "2025-02-18"]


def _report(title: str, calls: pd.DataFrame, plan: pd.DataFrame) -> None:
    print(f"\n## {title}\n")
    fit = staffing.calibrate(calls, plan)
    print(story.calibration_text(fit, "en"))
    print("per queue:", {q: round(e, 3) for q, e in fit.efficiency.items()})
    print("days skipped:", fit.skipped or "none")
    incidents = pd.to_datetime(INCIDENT_DAYS)
    columns = ["shapley_volume", "shapley_aht", "shapley_staffing", "unexplained", "main_cause"]
    for label, calibration in (("before", None), ("after", fit)):
        days = staffing.why_day(staffing.why_intervals(calls, plan, calibration=calibration))
        days = days.set_index("date")
        ordinary = days[~days.index.isin(incidents)]["unexplained"]
        print(
            f"unexplained on {len(ordinary)} ordinary days, {label} calibration: "
            f"mean {ordinary.mean() * 100:+.1f} pp, median |.| {ordinary.abs().median() * 100:.1f} pp"
        )
        if calibration is not None:
            table = days.loc[incidents, columns].copy()
            table[columns[:4]] = (table[columns[:4]] * 100).round(1)
            print("incident days (points of SL, Shapley):")
            print(table.to_string())
    for day in TOLD:
        told = story.day_story(calls, day, plan=plan, calibration=fit)
        print(f"- {told.cause}: {story.describe(told, 'en')}")


def main() -> None:
    seed, start, days = 7, "2025-02-03", 49
    calls = sample.generate_calls(seed=seed, start=start, days=days)
    intervals = sample.generate_intervals(calls, seed=seed, start=start, days=days)
    plan = intervals[["interval_start", "interval_minutes", "queue", "forecast_offered"]].copy()
    plan["scheduled_agents"] = intervals["scheduled_agents"] / 0.74
    plan["staffed_agents"] = intervals["staffed_agents"] / 0.74
    _report(
        "Generated hotline (seed 7, 74 % of logged-in time on calls, no forecast AHT)", calls, plan
    )
    bundled = pd.read_parquet(SAMPLE_DIR / "calls.parquet")
    bundled_plan = pd.read_csv(SAMPLE_DIR / "intervals.csv", parse_dates=["interval_start"])
    _report("Bundled sample", bundled, bundled_plan)


if __name__ == "__main__":
    main()
