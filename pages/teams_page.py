"""Team and agent comparison (issue 6). Until then: the KPIs per team (or queue)."""

from __future__ import annotations

import streamlit as st

from pages import common
from pages.common import tr

ctx = common.context()
st.title(tr("nav.teams"))
common.coming_soon("teams", 6)
dims = [d for d in ("team", "agent", "queue") if d in common.dimensions_present(ctx.dataset.frame)]
if dims:
    st.markdown(tr("page.meanwhile"))
    by = dims[0]
    table = common.breakdown(ctx, by=by).sort_values("offered", ascending=False)
    common.kpi_table(table, [by], key="teams_table")
