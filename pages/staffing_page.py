"""Staffing and demand (issue 7). Until then: the half-hourly load of the selected day."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from pages import common
from pages.common import tr

ctx = common.context()
st.title(tr("nav.staffing"))
common.coming_soon("staffing", 7)
day = common.selected_day(ctx)
st.markdown(tr("page.meanwhile"))
st.caption(tr("staffing.load_of_day", day=day.isoformat()))
table = common.breakdown(ctx, freq="30min", start=day, end=day + dt.timedelta(days=1))
if not table.empty:
    table = table.assign(hour=table["period"].dt.strftime("%H:%M"))
    common.kpi_table(table, ["hour"], key="staffing_table")
