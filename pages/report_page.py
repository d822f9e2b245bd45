"""Meeting report (issue 8). Until then: the headline KPIs against the previous period."""

from __future__ import annotations

import streamlit as st

from pages import common
from pages.common import tr

ctx = common.context()
st.title(tr("nav.report"))
common.coming_soon("report", 8)
st.markdown(tr("page.meanwhile"))
common.comparison_table(ctx)
