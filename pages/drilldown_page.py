"""Drill-down: why a window's KPI moved — verdict, ranked elements and a decomposition tree.

The page is opened from a control-chart signal, an Overview click, a pasted URL
or its own window picker. It shows the window's KPIs against the baseline (and
which baseline windows were used or skipped), the verdict and summary of
:func:`ccmetrics.drill.explain` for the metric picked, the ranked elements
(demand side and supply side apart), a decomposition tree the manager walks
one dimension at a time (:func:`ccmetrics.drill.decompose`), and the calls
behind the node reached (:func:`ccmetrics.drill.element_calls`), downloadable
as CSV. Every number comes from ``ccmetrics``; this page only reads state,
calls ccmetrics (cached), formats and draws: :func:`main` runs one section
function per part of the page. The sections live in :mod:`pages.drilldown_sections`
and :mod:`pages.drilldown_tree`; the URL state (window, path) and the texts naming
windows and elements in :mod:`pages.drilldown_state`.

Which window is explained
-------------------------
1. ``dd_start`` and ``dd_end`` ("YYYY-MM-DDTHH:MM", set by the window picker,
   carried by a shared link, or taken from the exact window a control-chart
   click hands over in ``st.session_state["anomaly_window"]`` — one interval,
   day or week) win;
2. else the shared ``interval`` ("YYYY-MM-DDTHH:MM", set by a control-chart
   signal): ``dd_minutes`` minutes from there — the chart's granularity, which
   the signalling page may set with ``set_page_param("dd_minutes", "60")``;
   30 minutes when absent;
3. else the shared ``day`` (an Overview click): the whole day;
4. else the last day of the sidebar's date range.

A new signal — ``day``/``interval`` different from what the page saw last —
drops the window picked by hand and the tree path, so a click elsewhere in the
app always opens what was clicked; a handed-over ``anomaly_window`` is used
only when it agrees with ``day``/``interval`` (a stale one is ignored). The window is not bound by the sidebar's
date range (the baseline lies weeks before it); the sidebar's queue filter and
KPI settings apply.

Page parameters in the URL
--------------------------
========== =====================================================================
dd_start   window start (with dd_end), "YYYY-MM-DDTHH:MM"
dd_end     window end, exclusive ("…T00:00" of the next day for a whole day)
dd_minutes length of an interval signal, minutes (default 30)
dd_metric  metric explained (a key of ``ccmetrics.drill.METRICS``)
dd_padj    multiple-testing adjustment, "holm" (default) or "bh"
dd_path    tree path, "category=Data plan (GPRS)|segment=Prepaid" (see
           :func:`encode_path`)
dd_split   dimension splitting the last node of the path
========== =====================================================================
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ccmetrics import drill, i18n
from pages import common, story_panel
from pages import drilldown_sections as sections
from pages.common import tr
from pages.drilldown_state import (
    Window,
    decode_path,
    encode_path,
    forget_stale_window,
    p_text,
    parse_stamp,
    resolve_window,
    window_text,
)
from pages.drilldown_tree import tree_section

__all__ = [
    "Window",
    "encode_path",
    "decode_path",
    "parse_stamp",
    "resolve_window",
    "window_text",
    "p_text",
]


def _error_text(error: ValueError) -> str:
    """The translated reason of a drill error: by its ``code`` when it has one (as the report)."""
    code = getattr(error, "code", None)
    if code == "no_baseline_window":
        return tr("dd.error_baseline")
    if code and i18n.has_key(f"dd.error_{code}", common.lang()):
        return tr("dd.error_generic", detail=tr(f"dd.error_{code}"))
    message = str(error)
    if "baseline" in message:
        return tr("dd.error_baseline")
    return tr("dd.error_generic", detail=message[:200])


def main() -> None:
    ctx = common.context()
    language = ctx.lang
    st.title(tr("nav.drilldown"))
    forget_stale_window()
    window = sections.window_section(ctx)
    frame = sections.filtered(ctx.dataset.key, ctx.queues, _frame=ctx.dataset.frame)
    sections.hour_strip(ctx, window)
    in_window = sections.node_calls(
        ctx.dataset.key, ctx.queues, window.start, window.end, (), _frame=frame
    )
    if in_window.empty:
        st.info(tr("dd.no_calls"), icon=":material/filter_alt_off:")
        return
    metric, p_adjust = sections.options_section(frame)
    dims = sections.menu_path_option(frame)
    try:
        with st.spinner(tr("dd.explaining")):
            e = sections.explanation(
                ctx.dataset.key,
                ctx.queues,
                window.start,
                window.end,
                metric,
                ctx.settings,
                p_adjust,
                _frame=frame,
                dims=dims,
            )
    except ValueError as error:
        st.warning(_error_text(error), icon=":material/warning:")
        return
    sections.verdict_section(e, language)
    story_panel.show_story(ctx, pd.Timestamp(window.start).date())  # as on every page
    sections.tiles_section(e)
    sections.baseline_section(e, metric)
    dims = [
        d
        for d in drill.DRILL_DIMENSIONS
        if d in {*e.dims.get("demand", []), *e.dims.get("supply", [])}
    ]
    dims += [d for side in e.dims.values() for d in side if d not in dims]
    sections.ranked_section(e, metric, dims)
    path = tree_section(ctx, e, frame, metric, p_adjust, dims)
    sections.calls_section(ctx, window, frame, path)
    sections.notes_section(e)


if __name__ == "__main__":
    main()
