"""Staffing and demand: was a day's service level a staffing problem? What-if, forecast, drivers.

Thin page: it picks the staffing plan (:func:`plan_source`), calls
``ccmetrics.staffing`` (``why_intervals``, ``why_day``, ``why_summary``,
``shortfall_steps``, ``what_if``, ``busiest_interval``, ``effect_of_cause``) and
``ccmetrics.forecast``
(``forecast_accuracy``, ``forecast_errors``, ``daily_volume``,
``forecast_daily``, ``rolling_origin_evaluation``, ``summarize_rolling_origin``,
``driver_effects``, ``driver_contributions``, ``join_drivers``, ``read_drivers``), and draws
with Altair. The page is :func:`main`; its sections are functions in
``pages/staffing_sections/`` (one module per part of the page).

Where the staffing plan comes from, in order: a plan uploaded on this page; the
dataset itself when it is an interval export with plan columns; the bundled
``intervals.csv`` when the bundled sample is in use; otherwise none (staffing is
then estimated from the calls and labelled so). Daily drivers: an upload on this
page, else the bundled ``weather.csv`` with the sample.

Page state in the URL (besides the shared ``day``): ``st_model``, ``st_attr``,
``st_queue`` and the what-if inputs ``st_calls``, ``st_len``, ``st_aht``,
``st_thr``, ``st_tgt``, ``st_shr``, ``st_pat`` (only when they differ from
their defaults).
"""

from __future__ import annotations

import streamlit as st

from pages import common
from pages.common import tr
from pages.staffing_sections import (
    CAUSE_KEYS,
    accuracy_section,
    classes_section,
    day_and_model,
    drivers_section,
    intervals_section,
    own_forecast_section,
    plan_source,
    scope_notes_section,
    story_section,
    tiles_section,
    uploads_section,
    waterfall_section,
    whatif_section,
)

__all__ = ["main", "CAUSE_KEYS"]


def main() -> None:
    """The page: sources, the day (story, tiles, waterfall, intervals), what-if, demand."""
    ctx = common.context()
    st.title(tr("nav.staffing"))
    st.caption(tr("staff.intro"))
    plan_key, plan, plan_name = plan_source(ctx)
    uploads_section(plan)
    st.caption(common.tr_md("staff.source", data=ctx.dataset.name, plan=plan_name))
    day, model = day_and_model(ctx)
    why = story_section(ctx, day, model, plan_key, plan)
    scope = None
    if why is not None:
        scope_notes_section(day, why)
    if why is not None and why.row is not None:
        tiles_section(why)
        waterfall_section(day, why.row)
        scope = intervals_section(ctx, day, why)
        classes_section(day, why)
    whatif_section(ctx, day, scope)
    accuracy_section(ctx, plan_key, plan)
    history = own_forecast_section(ctx)
    drivers_section(ctx, day, history)


if __name__ == "__main__":
    main()
