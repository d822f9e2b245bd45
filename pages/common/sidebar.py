"""What every run draws around a page: the shared sidebar, and the notice of a link whose
data is not loaded.

:func:`render_sidebar` draws the language, the dataset, the filters and the KPI
settings, and returns the :class:`~pages.common.data.Context` the pages read.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ccmetrics import i18n
from ccmetrics.schema import SL_FORMULAS
from pages.common.data import (
    UPLOAD_TYPES,
    Context,
    Dataset,
    handle_upload,
    load_dataset,
    use_sample,
)
from pages.common.state import PERSISTENT_KEYS, drop_link, settings
from pages.common.text import fmt_count, labeller, lang, md, tr, tr_md

__all__ = ["UPLOAD_WINDOW_DAYS", "render_sidebar", "link_notice"]

#: The sample opens on its last 28 days (a month of the three it holds).
_DEFAULT_WINDOW_DAYS = 28
#: An upload opens on its whole span, or on its last 92 days (a quarter) when longer:
#: an incident early in the file stays in view, and a year-long export still opens fast.
UPLOAD_WINDOW_DAYS = 92


def _default_range(ds: Dataset) -> tuple[dt.date, dt.date]:
    """The range a dataset opens on.

    The sample: its last 28 days when it holds at least twice that, else its whole
    span. An upload: its whole span, or its last :data:`UPLOAD_WINDOW_DAYS` days when
    longer (the sidebar says which).
    """
    span = (ds.last_day - ds.first_day).days + 1
    if not ds.is_sample:
        days = min(span, UPLOAD_WINDOW_DAYS)
        return ds.last_day - dt.timedelta(days=days - 1), ds.last_day
    if span >= 2 * _DEFAULT_WINDOW_DAYS:
        return ds.last_day - dt.timedelta(days=_DEFAULT_WINDOW_DAYS - 1), ds.last_day
    return ds.first_day, ds.last_day


def _range_note(ds: Dataset, value) -> str | None:
    """The sidebar's note under an upload's default range (None for the sample or another range)."""
    if ds.is_sample or tuple(value) != _default_range(ds):
        return None
    span = (ds.last_day - ds.first_day).days + 1
    if ds.engine is not None:  # not the whole data: the period fetched from the engine
        return tr("sidebar.range_engine", days=fmt_count(span))
    if span <= UPLOAD_WINDOW_DAYS:
        return tr("sidebar.range_whole", days=fmt_count(span))
    return tr("sidebar.range_recent", total=fmt_count(span), days=fmt_count(UPLOAD_WINDOW_DAYS))


def _clamp_range(value, ds: Dataset) -> tuple[dt.date, dt.date]:
    start, end = value
    start = min(max(start, ds.first_day), ds.last_day)
    end = min(max(end, start), ds.last_day)
    return start, end


def _queues_of(ds: Dataset) -> list[str]:
    if "queue" not in ds.frame.columns:
        return []
    return sorted(str(q) for q in ds.frame["queue"].dropna().unique())


def render_sidebar() -> Context:
    """Draw the sidebar every page shares and return the :class:`Context` in force."""
    state = st.session_state
    with st.sidebar:
        st.radio(
            tr("sidebar.language"),
            options=list(i18n.LANGUAGES),
            format_func=i18n.LANGUAGES.get,
            key="lang",
            horizontal=True,
        )
        ds = _dataset_section()
        _reset_filters_for(ds)
        start, end, queues = _filters_section(ds)
        _settings_section()

    ctx = Context(
        lang=lang(),
        dataset=ds,
        settings=settings(),
        start=start,
        end=end,
        queues=tuple(state.get("queues", []) if queues else ()),
    )
    state["_context"] = ctx
    state["_saved_values"] = {key: state[key] for key in PERSISTENT_KEYS if key in state}
    return ctx


def _dataset_section() -> Dataset:
    """Load the data set in force and name it, with a way back to the sample."""
    with st.spinner(tr_md("data.loading", name=_dataset_label())):
        ds = load_dataset(settings())
    st.subheader(tr("sidebar.dataset"))
    st.markdown(f"**{md(ds.name)}**")
    st.caption(
        tr(
            "sidebar.dataset_summary",
            rows=fmt_count(len(ds.frame)),
            kind=tr(f"kind.{ds.kind}"),
            start=ds.first_day.isoformat(),
            end=ds.last_day.isoformat(),
        )
    )
    if ds.engine is not None:
        st.caption(
            tr(
                "sidebar.engine_period",
                calls=fmt_count(ds.engine.period.calls),
                rows=fmt_count(ds.engine.rows),
                engine=tr(f"data.engine_name.{ds.engine.source.engine}"),
            )
        )
    failed = st.session_state.get("_engine_error")
    if failed and ds.is_sample:  # the source named could not be opened: said, not raised
        st.error(tr("sidebar.engine_failed", reason=failed), icon=":material/error:")
    if not ds.is_sample:
        st.button(tr("sidebar.use_sample"), on_click=use_sample, key="use_sample_button")
    return ds


def _reset_filters_for(ds: Dataset) -> None:
    """A new data set resets the filters to its span (or to what the URL asked for)."""
    state = st.session_state
    if state.get("_filters_for") != ds.key:
        state["_filters_for"] = ds.key
        wanted_range = state.pop("_url_range", None)
        state["date_range"] = _clamp_range(wanted_range or _default_range(ds), ds)
        queues = _queues_of(ds)
        state["queues"] = [q for q in state.pop("_url_queues", []) if q in queues]
    value = state.get("date_range")
    if isinstance(value, (tuple, list)) and len(value) == 2:
        state["date_range"] = _clamp_range(tuple(value), ds)


def _filters_section(ds: Dataset):
    """The date range and queue filters: ``(start, end, queues of the data set)``."""
    st.subheader(tr("sidebar.filters"))
    picked = st.date_input(
        tr("sidebar.date_range"),
        min_value=ds.first_day,
        max_value=ds.last_day,
        key="date_range",
        help=tr("sidebar.date_range_help"),
        format="YYYY-MM-DD",
    )
    if isinstance(picked, (tuple, list)) and len(picked) == 2:
        start, end = picked
        note = _range_note(ds, picked)
        if note:
            st.caption(note)
    elif isinstance(picked, (tuple, list)) and len(picked) == 1:
        start = end = picked[0]  # the user is halfway through picking a range
    else:
        start = end = picked
    queues = _queues_of(ds)
    if queues:
        st.multiselect(
            tr("sidebar.queue"),
            options=queues,
            key="queues",
            placeholder=tr("sidebar.queue_placeholder"),
        )
    return start, end, queues


def _settings_section() -> None:
    """The KPI settings: service-level threshold, short abandon, formula, target."""
    with st.expander(tr("sidebar.settings"), expanded=True):
        st.number_input(
            tr("sidebar.sl_threshold"),
            min_value=0,
            max_value=3600,
            step=5,
            key="sl_threshold_s",
            help=tr("sidebar.sl_threshold_help"),
        )
        st.number_input(
            tr("sidebar.short_abandon"),
            min_value=0,
            max_value=600,
            step=1,
            key="short_abandon_s",
            help=tr("sidebar.short_abandon_help"),
        )
        st.selectbox(
            tr("sidebar.sl_formula"),
            options=list(SL_FORMULAS),
            key="sl_formula",
            format_func=labeller("formula."),
            help=tr("sidebar.sl_formula_help"),
        )
        st.number_input(
            tr("sidebar.sl_target"),
            min_value=1,
            max_value=100,
            step=1,
            key="sl_target_pct",
            help=tr("sidebar.sl_target_help"),
        )


def _dataset_label() -> str:
    upload = st.session_state.get("upload")
    if upload:
        return upload["name"]
    source = st.session_state.get("engine_source")
    return source["path"] if source else tr("sidebar.dataset_sample")


def link_notice(page: st.Page) -> None:
    """Before a page runs: say when a link's data is not loaded, offer its upload.

    While the link's file is missing every page but the Data page shows only this
    notice (an uploader and a way to open the sample instead) and stops, so no
    number of another data set appears under the link's view. After the upload
    the view is restored (:func:`activate_upload`) and a note says on which file.
    """
    state = st.session_state
    restored = state.pop("_link_restored", None)
    if restored:
        key = "link.restored" if restored["same"] else "link.restored_other"
        box = st.success if restored["same"] else st.warning
        box(tr_md(key, name=restored["name"]), icon=":material/link:")
    wanted = state.get("_link_data")
    if not wanted:
        return
    name = wanted["name"] or wanted["id"]
    st.warning(tr_md("link.other_data", name=name, digest=wanted["id"]), icon=":material/link_off:")
    uploaded = st.file_uploader(
        tr_md("link.upload", name=name), type=UPLOAD_TYPES, key="link_uploader"
    )
    if uploaded is not None and uploaded.file_id != state.get("_link_seen_file"):
        state["_link_seen_file"] = uploaded.file_id
        outcome = handle_upload(uploaded.name, uploaded.getvalue())
        if outcome.ok:
            st.rerun()
        st.error(outcome.message, icon=":material/error:")
    st.button(tr("link.use_sample"), on_click=drop_link, key="link_use_sample")
    if page.url_path != "data":
        st.stop()
