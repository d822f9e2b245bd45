"""Control charts (issue 4). Until then: the daily KPIs the charts will plot."""

from __future__ import annotations

import streamlit as st

from pages import common
from pages.common import tr

ctx = common.context()
st.title(tr("nav.control_charts"))
common.coming_soon("control_charts", 4)
st.markdown(tr("page.meanwhile"))
common.kpi_table(common.daily(ctx), ["period"], key="control_daily")
