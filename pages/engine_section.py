"""The Data page's "Data on an engine": open a Parquet file or folder of canonical calls
on DuckDB or Spark, see what is in use and pick the period fetched.

How the pages run on such a data set (the period in view fetched as the app's frame)
is told in :mod:`pages.common.data`; the source, the default period and the row
budget in :mod:`ccmetrics.engine_source`.
"""

from __future__ import annotations

import streamlit as st

from ccmetrics import engine_source
from pages import common
from pages.common import tr

__all__ = ["open_form", "in_use", "period_key"]


def open_form(ctx) -> None:
    """The form that opens a source: path, engine, Spark master, Open."""
    view = ctx.dataset.engine
    source = view.source if view is not None else None
    with st.expander(tr("data.engine_title"), icon=":material/storage:"):
        st.caption(tr("data.engine_help"))
        path = st.text_input(
            tr("data.engine_path"),
            value=source.path if source else "",
            help=tr("data.engine_path_help"),
            key="engine_path",
        )
        engine = st.radio(
            tr("data.engine_engine"),
            options=list(engine_source.ENGINES),
            index=engine_source.ENGINES.index(source.engine) if source else 0,
            format_func=common.labeller("data.engine_name."),
            horizontal=True,
            key="engine_choice",
        )
        master = st.text_input(
            tr("data.engine_master"),
            value=(source.master or "") if source else "",
            help=tr("data.engine_master_help"),
            disabled=engine != "spark",
            key="engine_master",
        )
        if st.button(tr("data.engine_open"), type="primary", key="engine_open"):
            with st.spinner(common.tr_md("data.loading", name=path)):
                outcome = common.open_engine(path, engine, master if engine == "spark" else None)
            if outcome.ok:
                st.session_state["_flash"] = outcome.message
                st.rerun()
            st.error(outcome.message, icon=":material/error:")


def period_key(dataset) -> str:
    """The key of the period picker: one per period fetched, so that the picker opens on
    the period fetched (cut or not) and never keeps dates outside another source's span."""
    return f"engine_period_{dataset.key}"


def in_use(ctx) -> None:
    """What is in use: the source, its calls in all and span, the period fetched and its
    calls, and the picker of another period."""
    dataset = ctx.dataset
    view = dataset.engine
    period = view.period
    engine_name = tr(f"data.engine_name.{view.source.engine}")
    st.success(
        common.tr_md(
            "data.engine_in_use",
            name=dataset.name,
            engine=engine_name,
            start=period.start.isoformat(),
            end=period.end.isoformat(),
        ),
        icon=":material/check_circle:",
    )
    st.text(tr("data.engine_source", path=str(view.source.path)))  # a path is text, never markup
    # one row for the whole data, one for the period fetched: calls beside their span
    rows = (
        {
            "data.engine_calls_all": common.fmt_count(view.rows),
            "data.engine_data_span": f"{view.data_first.isoformat()} – {view.data_last.isoformat()}",
        },
        {
            "data.engine_period_calls": common.fmt_count(period.calls),
            "data.engine_period": f"{period.start.isoformat()} – {period.end.isoformat()}",
        },
    )
    for facts in rows:
        with st.container(horizontal=True):
            for label_key, value in facts.items():
                st.metric(tr(label_key), value, border=True, width="content")
    budget = common.fmt_count(engine_source.ROW_BUDGET)
    if period.cut:
        st.warning(
            tr(
                "data.engine_cut",
                asked=period.asked_start.isoformat(),
                budget=budget,
                start=period.start.isoformat(),
            ),
            icon=":material/content_cut:",
        )
    with st.container(horizontal=True, vertical_alignment="bottom"):
        picked = st.date_input(
            tr("data.engine_period_pick"),
            value=(period.start, period.end),
            min_value=view.data_first,
            max_value=view.data_last,
            help=tr("data.engine_period_help", budget=budget),
            format="YYYY-MM-DD",
            key=period_key(dataset),
        )
        if st.button(tr("data.engine_fetch"), key="engine_fetch") and len(picked) == 2:
            common.fetch_engine_period(*picked)
            st.rerun()
