"""ccmetrics: the Streamlit app (entry point).

Run with ``streamlit run app.py`` (or ``make run``). Every page is registered
explicitly below; the shared sidebar, state and URL handling live in
``pages/common/``; numbers come from the ``ccmetrics`` package.
"""

from __future__ import annotations

import streamlit as st

from ccmetrics import i18n
from pages import common, targets_section

common.init_state()
st.set_page_config(
    page_title=i18n.t("app.title", common.lang()),
    page_icon=":material/support_agent:",
    layout="wide",
    initial_sidebar_state="expanded",
)

pages = common.make_pages()
current_page = st.navigation(list(pages.values()), position="sidebar")
common.follow_page_param(pages, current_page)
ctx = common.render_sidebar()
targets_section.sidebar()
common.sync_query_params(current_page, ctx)
common.link_notice(current_page)
current_page.run()
