"""Root-cause drill-down (issue 5). Until then: pick a day and see its KPIs hour by hour."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from pages import common
from pages.common import tr

ctx = common.context()
st.title(tr("nav.drilldown"))
common.coming_soon("drilldown", 5)
day = common.selected_day(ctx)
picked = st.date_input(
    tr("drill.day"),
    value=day,
    min_value=ctx.dataset.first_day,
    max_value=ctx.dataset.last_day,
    format="YYYY-MM-DD",
    key="drill_day",
)
if picked and picked.isoformat() != st.session_state.get("day"):
    common.set_selected_day(picked.isoformat())
    day = picked
st.subheader(tr("drill.by_hour", day=day.isoformat()))
table = common.breakdown(ctx, freq="h", start=day, end=day + dt.timedelta(days=1))
if table.empty:
    st.info(tr("overview.no_data"))
else:
    table = table.assign(hour=table["period"].dt.strftime("%H:%M"))
    common.kpi_table(
        table, ["hour"], download_name=f"ccmetrics_{day.isoformat()}_by_hour.csv", key="drill_hours"
    )
