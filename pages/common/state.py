"""Session and URL state: pages, the view mirrored in the URL, page parameters, links.

State lives in ``st.session_state`` and is mirrored in ``st.query_params`` so
that a pasted URL opens the same view:

========== ======================= =========================================
URL key    session_state key       meaning
========== ======================= =========================================
page       (current page)          url path of the page (also the URL path)
lang       lang                    "en" or "zh"
from, to   date_range              date range, both days included
queue      queues                  queue filter (repeated key; none = all)
sl         sl_threshold_s          service-level threshold T (seconds)
sa         short_abandon_s         short-abandon threshold S (seconds)
slf        sl_formula              service-level formula preset
target     sl_target_pct           service-level target (%)
day        day                     selected day (YYYY-MM-DD) for drill-down
interval   interval                selected interval start (YYYY-MM-DDTHH:MM)
data       (dataset in use)        "sample", or the first 16 hex digits of the
                                   upload's SHA-256 (its content)
dname      (dataset in use)        the upload's file name
========== ======================= =========================================

The uploaded dataset itself cannot travel in a URL, but its identity does: a
link made on an upload and opened where that file is not loaded says so
(:func:`pages.common.sidebar.link_notice`) and offers the upload instead of showing the sample's
numbers under the link's view; the view (range, queues, settings, page state
such as the drill-down path) is kept and restored once the file is uploaded.

A page's own widgets keep their choice the same way (:func:`restore` before the widget
is drawn, :func:`remember` after it).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from ccmetrics import i18n
from ccmetrics.schema import SL_FORMULAS, KpiSettings
from pages.common.text import tr

if TYPE_CHECKING:
    from pages.common.data import Context, Dataset

__all__ = [
    "REPO_ROOT",
    "PAGES",
    "SAMPLE_DATA_ID",
    "LINK_DIGEST_CHARS",
    "PERSISTENT_KEYS",
    "data_id",
    "init_state",
    "make_pages",
    "follow_page_param",
    "settings",
    "sync_query_params",
    "page_param",
    "set_page_param",
    "context",
    "set_selected_day",
    "selected_day",
    "open_drilldown",
    "url_choice",
    "restore",
    "remember",
    "restore_link_view",
    "drop_link",
]

REPO_ROOT = Path(__file__).resolve().parents[2]

#: Registered pages in menu order: (url path, file, title key, icon).
PAGES = (
    ("overview", "pages/overview_page.py", "nav.overview", ":material/dashboard:"),
    (
        "control-charts",
        "pages/control_charts_page.py",
        "nav.control_charts",
        ":material/monitoring:",
    ),
    ("drill-down", "pages/drilldown_page.py", "nav.drilldown", ":material/account_tree:"),
    ("teams", "pages/teams_page.py", "nav.teams", ":material/groups:"),
    ("staffing", "pages/staffing_page.py", "nav.staffing", ":material/support_agent:"),
    ("report", "pages/report_page.py", "nav.report", ":material/description:"),
    ("data", "pages/data_page.py", "nav.data", ":material/upload_file:"),
)

#: ``data`` in the URL of a view of the bundled sample.
SAMPLE_DATA_ID = "sample"
#: Hex digits of an upload's SHA-256 a link carries (64 bits: two exports never share them).
LINK_DIGEST_CHARS = 16


def data_id(ds: Dataset) -> str:
    """The dataset's identity in a link: :data:`SAMPLE_DATA_ID`, or the start of its content hash."""
    return SAMPLE_DATA_ID if ds.is_sample else ds.digest[:LINK_DIGEST_CHARS]


def _parse_date(text) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        return None


def _parse_number(text, low: float, high: float) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if low <= value <= high else None


#: Sidebar widget keys whose values must survive page switches.
PERSISTENT_KEYS = (
    "lang",
    "date_range",
    "queues",
    "sl_threshold_s",
    "short_abandon_s",
    "sl_formula",
    "sl_target_pct",
)


def _keep_widget_values() -> None:
    """Keep the sidebar's values across page switches.

    Streamlit drops a widget's value when a run ends without drawing it (e.g. a
    run cut short by ``st.switch_page``). Re-assigning each value through the
    Session State API at the start of a run makes it survive; a copy saved at
    the end of the previous run restores a value that was dropped anyway.
    """
    state = st.session_state
    saved = state.get("_saved_values", {})
    for key in PERSISTENT_KEYS:
        if key in state:
            state[key] = state[key]
        elif key in saved:
            state[key] = saved[key]


def init_state() -> None:
    """Fill ``st.session_state`` from the URL on a session's first run; keep it on later runs."""
    state = st.session_state
    if state.get("_initialised"):
        _keep_widget_values()
        return
    params = st.query_params
    state["_initialised"] = True
    state["_first_run"] = True
    state["lang"] = (
        params.get("lang") if params.get("lang") in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE
    )
    defaults = KpiSettings()
    sl = _parse_number(params.get("sl"), 0, 3600)
    state["sl_threshold_s"] = int(sl if sl is not None else defaults.sl_threshold_s)
    sa = _parse_number(params.get("sa"), 0, 600)
    state["short_abandon_s"] = int(sa if sa is not None else defaults.short_abandon_s)
    formula = params.get("slf")
    state["sl_formula"] = formula if formula in SL_FORMULAS else defaults.sl_formula
    target = _parse_number(params.get("target"), 1, 100)
    state["sl_target_pct"] = int(target if target is not None else round(defaults.sl_target * 100))
    start, end = _parse_date(params.get("from")), _parse_date(params.get("to"))
    if start and end and start <= end:
        state["_url_range"] = (start, end)
    state["_url_queues"] = params.get_all("queue")
    day = _parse_date(params.get("day"))
    state["day"] = day.isoformat() if day else None
    interval = params.get("interval")
    try:
        state["interval"] = pd.Timestamp(interval).strftime("%Y-%m-%dT%H:%M") if interval else None
    except ValueError:
        state["interval"] = None
    state["_page_params"] = {
        key: params.get(key) for key in params.keys() if key not in _CORE_PARAMS and params.get(key)
    }
    wanted = str(params.get("data") or "").strip().lower()
    if wanted and wanted != SAMPLE_DATA_ID:
        # a link made on an upload: keep its view until that file is loaded here
        state["_link_data"] = {"id": wanted[:64], "name": str(params.get("dname") or "")[:255]}
        state["_link_view"] = {
            "range": state.get("_url_range"),
            "queues": list(state["_url_queues"]),
            "page_params": dict(state["_page_params"]),
            "day": state["day"],
            "interval": state["interval"],
        }


def make_pages() -> dict[str, st.Page]:
    """The ``st.Page`` of every registered page, titled in the language in force."""
    return {
        url: st.Page(
            REPO_ROOT / path,
            title=tr(title_key),
            icon=icon,
            url_path=url,
            default=(url == "overview"),
        )
        for url, path, title_key, icon in PAGES
    }


def follow_page_param(pages: dict[str, st.Page], current: st.Page) -> None:
    """On a session's first run, open the page named by ``?page=`` (a pasted deep link)."""
    if not st.session_state.pop("_first_run", False):
        return
    wanted = st.query_params.get("page")
    if wanted in pages and wanted != current.url_path:
        st.switch_page(pages[wanted], query_params=st.query_params.to_dict())


def settings() -> KpiSettings:
    """The KPI settings in force, from the sidebar."""
    state = st.session_state
    return KpiSettings(
        sl_threshold_s=float(state["sl_threshold_s"]),
        short_abandon_s=float(state["short_abandon_s"]),
        sl_formula=state["sl_formula"],
        sl_target=float(state["sl_target_pct"]) / 100.0,
    )


def sync_query_params(page: st.Page, ctx: Context) -> None:
    """Write the view's state into the URL (only when it changed)."""
    state = st.session_state
    if state.get("_link_data"):
        return  # the link's data is not loaded: its URL stays as it was (see link_notice)
    wanted: dict[str, str | list[str]] = {"page": page.url_path or "overview"}
    wanted["data"] = data_id(ctx.dataset)
    if not ctx.dataset.is_sample:
        wanted["dname"] = ctx.dataset.name
    wanted["lang"] = ctx.lang
    wanted["from"], wanted["to"] = ctx.start.isoformat(), ctx.end.isoformat()
    if ctx.queues:
        wanted["queue"] = list(ctx.queues)
    defaults = KpiSettings()
    if ctx.settings.sl_threshold_s != defaults.sl_threshold_s:
        wanted["sl"] = f"{ctx.settings.sl_threshold_s:g}"
    if ctx.settings.short_abandon_s != defaults.short_abandon_s:
        wanted["sa"] = f"{ctx.settings.short_abandon_s:g}"
    if ctx.settings.sl_formula != defaults.sl_formula:
        wanted["slf"] = ctx.settings.sl_formula
    if ctx.settings.sl_target != defaults.sl_target:
        wanted["target"] = f"{state['sl_target_pct']:g}"
    if state.get("day"):
        wanted["day"] = state["day"]
    if state.get("interval"):
        wanted["interval"] = state["interval"]
    for key, value in state.get("_page_params", {}).items():
        if value not in (None, ""):
            wanted[key] = value
    current = {key: st.query_params.get_all(key) for key in st.query_params.keys()}
    as_lists = {key: value if isinstance(value, list) else [value] for key, value in wanted.items()}
    if current != as_lists:
        st.query_params.from_dict(wanted)


#: URL parameters the shared state owns; any other parameter belongs to a page (see page_param).
_CORE_PARAMS = (
    "page",
    "lang",
    "from",
    "to",
    "queue",
    "sl",
    "sa",
    "slf",
    "target",
    "day",
    "interval",
    "data",
    "dname",
)


def page_param(name: str, default: str | None = None) -> str | None:
    """A page's own state mirrored in the URL (e.g. ``cc_kpi``, ``dd_path``).

    Pages name their parameters with a short page prefix. The value comes from
    a pasted URL on a session's first run, or from :func:`set_page_param` later.
    """
    return st.session_state.setdefault("_page_params", {}).get(name, default)


def set_page_param(name: str, value: str | None) -> None:
    """Remember a page's own state and mirror it in the URL (None removes it)."""
    if name in _CORE_PARAMS:
        raise ValueError(f"{name!r} is a shared parameter, not a page's")
    params = st.session_state.setdefault("_page_params", {})
    if value in (None, ""):
        params.pop(name, None)
        if name in st.query_params:
            del st.query_params[name]
    else:
        params[name] = str(value)
        st.query_params[name] = str(value)


def context() -> Context:
    """The :class:`Context` the sidebar computed in this run (pages call this first)."""
    return st.session_state["_context"]


def set_selected_day(day: str | None) -> None:
    """Remember the day picked for the drill-down and mirror it in the URL as ``day``."""
    st.session_state["day"] = day
    if day:
        st.query_params["day"] = day
    elif "day" in st.query_params:
        del st.query_params["day"]


def selected_day(ctx: Context) -> dt.date:
    """The day picked for the drill-down, clamped to the data (default: the range's last day)."""
    day = _parse_date(st.session_state.get("day")) or ctx.end
    return min(max(day, ctx.dataset.first_day), ctx.dataset.last_day)


def open_drilldown(day: str) -> None:
    """Select ``day`` and switch to the Drill-down page (the URL keeps the view's state)."""
    st.session_state["day"] = day
    st.session_state["interval"] = None
    st.switch_page("pages/drilldown_page.py")


def restore_link_view(name: str, digest: str) -> None:
    """After an upload, the view of a link whose data was missing (if one is waiting)."""
    state = st.session_state
    wanted = state.pop("_link_data", None)
    view = state.pop("_link_view", None)
    if not wanted or not view:
        return
    if view["range"]:
        state["_url_range"] = tuple(view["range"])
    state["_url_queues"] = list(view["queues"])
    state["_page_params"] = dict(view["page_params"])
    state["day"] = view["day"]
    state["interval"] = view["interval"]
    state["_filters_for"] = None  # the next sidebar applies the link's range and queues
    state["_link_restored"] = {"name": name, "same": digest[:LINK_DIGEST_CHARS] == wanted["id"]}


def drop_link() -> None:
    """Open the sample instead of the link's data (the link's view is dropped)."""
    st.session_state.pop("_link_data", None)
    st.session_state.pop("_link_view", None)


def url_choice(param: str, options, default):
    """The choice the page's URL state holds for ``param`` when it is one of ``options``,
    else ``default``."""
    value = page_param(param, default)
    return value if value in options else default


def restore(key: str, param: str, options, default, parse=None) -> None:
    """Give a widget its value before it is drawn: its own, else the URL's, else ``default``.

    Options are language-independent codes, labels come from ``format_func``. The value
    is assigned on every run: the browser keeps a choice as its label, so after a
    language switch only a value sent again shows the option under its new label (a
    selectbox is not sent it otherwise, and looks unselected or empty). A deselected
    segmented control (None) gets the URL's choice back.

    Parameters
    ----------
    key : str
        The widget's key in ``st.session_state``.
    param : str
        The page parameter that mirrors it in the URL (:func:`page_param`).
    options : collection or callable
        The values the widget accepts, or a function saying whether a value is one.
    default
        The value when neither the widget nor the URL holds an accepted one.
    parse : callable, optional
        Turns the URL's text into a value (None when the text is not one); default
        the text itself.
    """
    accepts = options if callable(options) else options.__contains__
    state = st.session_state
    if key in state and accepts(state[key]):
        value = state[key]
    else:
        text = page_param(param)
        value = (parse(text) if parse else text) if text else None
        if value is None or not accepts(value):
            value = default
    state[key] = value


def remember(param: str, value, default=None) -> None:
    """Mirror a widget's value in the URL as text (nothing when it is empty or ``default``)."""
    wanted = None if value in (None, "") or value == default else str(value)
    if page_param(param) != wanted:
        set_page_param(param, wanted)
