"""Shared UI of every page: state, URL sync, sidebar, dataset loading, caching, formatting.

Not a page (``app.py`` registers pages explicitly with ``st.navigation``). Pages
call :func:`context` for the dataset and the filters in force, the cached
aggregate helpers below for numbers, and :func:`tr` for text. Every number
comes from :mod:`ccmetrics.kpi`; this module only reads state, calls
ccmetrics, caches and formats.

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
(:func:`link_notice`) and offers the upload instead of showing the sample's
numbers under the link's view; the view (range, queues, settings, page state
such as the drill-down path) is kept and restored once the file is uploaded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io as bytes_io
import json
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import streamlit as st

from ccmetrics import i18n, kpi, kpis
from ccmetrics.cube import periods_roll_up
from ccmetrics.schema import DIMENSIONS, SL_FORMULAS, KpiSettings
from ccmetrics.text import escape_markdown

__all__ = [
    "PAGES",
    "Dataset",
    "Context",
    "tr",
    "tr_md",
    "md",
    "markdown_table",
    "lang",
    "init_state",
    "make_pages",
    "follow_page_param",
    "render_sidebar",
    "sync_query_params",
    "context",
    "load_upload",
    "activate_upload",
    "use_sample",
    "handle_upload",
    "stage_label",
    "CACHE_MIN_BYTES",
    "comparison",
    "aggregate_source",
    "daily",
    "slot_table",
    "breakdown",
    "kpi_table",
    "display_table",
    "csv_bytes",
    "png_download",
    "dimensions_present",
    "set_selected_day",
    "data_id",
    "link_notice",
    "SAMPLE_DATA_ID",
    "UPLOAD_TYPES",
]

REPO_ROOT = Path(__file__).resolve().parents[1]

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

#: KPI tiles of the Overview, in order, with the colour sense of a rise:
#: "normal" (a rise is good), "inverse" (a rise is bad), "off" (neither); from the KPI registry.
TILES = tuple((name, kpis.change_sense(name)) for name in kpis.TILE_KPIS)

#: KPI columns shown in tables (breakdowns, per-day and per-hour tables).
TABLE_KPIS = kpis.TABLE_KPIS

#: The sample opens on its last 28 days (a month of the three it holds).
_DEFAULT_WINDOW_DAYS = 28
#: An upload opens on its whole span, or on its last 92 days (a quarter) when longer:
#: an incident early in the file stays in view, and a year-long export still opens fast.
UPLOAD_WINDOW_DAYS = 92
#: ``data`` in the URL of a view of the bundled sample.
SAMPLE_DATA_ID = "sample"
#: Hex digits of an upload's SHA-256 a link carries (64 bits: two exports never share them).
LINK_DIGEST_CHARS = 16
#: File types the uploaders accept.
UPLOAD_TYPES = ["csv", "tsv", "txt", "gz", "zip", "xlsx", "xls", "parquet"]


# --------------------------------------------------------------------------- text


def lang() -> str:
    """The language in force ("en" or "zh")."""
    value = st.session_state.get("lang", i18n.DEFAULT_LANGUAGE)
    return value if value in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def tr(key: str, **params) -> str:
    """Translate ``key`` into the language in force (see :func:`ccmetrics.i18n.t`)."""
    return i18n.t(key, lang(), **params)


def md(value) -> str:
    """A value from the data (a name, a file or column name, a note, a sentence a
    ccmetrics function built with names in it) ready to put into Markdown: it shows
    as its own text (:func:`ccmetrics.text.escape_markdown`).

    Every string Streamlit renders as Markdown goes through this when it holds
    data: ``st.markdown``, ``st.caption``, the alert boxes, ``st.table`` cells,
    widget labels and help, tab, expander and status labels, radio options. Not
    needed for ``st.dataframe`` cells and headers, selectbox and multiselect
    options, chart text: Streamlit shows those as plain text.
    """
    return escape_markdown(value)


def tr_md(key: str, **params) -> str:
    """:func:`tr` with every parameter escaped for Markdown (:func:`md`).

    For a translated sentence shown as Markdown whose parameters hold data; the
    translation's own Markdown (``**{node}**``) still renders.
    """
    return tr(key, **{name: md(value) for name, value in params.items()})


def markdown_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame for ``st.table`` (which renders its cells and headers as Markdown):
    every header and every text cell escaped (:func:`md`), numbers kept."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)):
            out[column] = values.map(lambda v: v if v is None or v is pd.NA else md(v))
    out.columns = [md(c) for c in out.columns]
    return out


def labeller(prefix: str):
    """A ``format_func`` that translates ``prefix + option`` in the language in force now.

    The language is bound when the widget is drawn, so the function gives the
    same labels wherever Streamlit calls it (AppTest calls it outside the run).
    """
    language = lang()

    def label(option) -> str:
        return i18n.t(f"{prefix}{option}", language)

    return label


#: Decimals that differ from the unit's default: the report's table (one format for both).
DECIMALS = kpi.KPI_DECIMALS


def fmt(kpi_name: str, value) -> str:
    """A KPI value formatted for display in the language in force ("81.8%", "68 秒")."""
    return kpi.format_kpi(kpi_name, value, lang())


def fmt_count(value) -> str:
    """A count with thousands separators."""
    return i18n.format_number(value, "count", lang())


def fmt_change(kpi_name: str, change) -> str | None:
    """A KPI's change against the previous period ("+1.2 pp", "-3 秒"); None if missing."""
    return kpi.format_kpi_change(kpi_name, change, lang())


def has_field(column: str) -> bool:
    """Whether a canonical column has a translated name (``field.<column>``)."""
    return i18n.has_key(f"field.{column}", lang())


def field_name(column: str) -> str:
    """The translated name of a canonical column, or the column itself."""
    return tr(f"field.{column}") if has_field(column) else column


# --------------------------------------------------------------------------- dataset


@dataclass(frozen=True)
class Dataset:
    """The data in use: a cache key, a display name and the canonical frame."""

    key: str
    name: str
    kind: str
    frame: pd.DataFrame = field(repr=False)
    first_day: dt.date
    last_day: dt.date
    is_sample: bool
    digest: str = ""


@st.cache_resource(show_spinner=False, max_entries=1)
def _sample_result():
    from ccmetrics import io, sample

    return io.load(Path(sample.SAMPLE_DIR) / "calls.parquet")


#: Uploads at least this large are loaded through ``ccmetrics.io.load_cached``: a
#: Parquet copy keyed by the content hash (in ``$CCMETRICS_CACHE_DIR``, else
#: ``~/.cache/ccmetrics``) makes a re-upload or a restart fast. Measured on the
#: generated CSVs of bench/datagen.py (fresh load / first load writing the copy
#: / load from the copy): 7 MB 0.09 / 0.13 / 0.03 s; 18 MB 0.19 / 0.31 / 0.06 s;
#: 123 MB (1M calls) 2.0 / 2.2 / 0.44 s; 620 MB (5M calls) 7.6 / ~10 / 2.3 s.
#: Below 16 MB of upload a copy saves less than a tenth of a second and only
#: fills the disk; gzip and Excel uploads parse several times slower per byte,
#: so 16 MB of them already pays.
CACHE_MIN_BYTES = 16 << 20


def _load_bytes(
    name: str, data: bytes, mapping: dict | None, kind: str | None, digest: str, progress=None
):
    """Run the loader on uploaded bytes (through the Parquet copy when large enough)."""
    from ccmetrics import io

    source = bytes_io.BytesIO(data)  # shares ``data``: no copy
    source.name = name
    if len(data) >= CACHE_MIN_BYTES:
        return io.load_cached(
            source,
            mapping or None,
            kind=kind,
            cache_dir=io.default_cache_dir(),
            digest=digest,
            progress=progress,
        )
    return io.load(source, mapping or None, kind=kind, progress=progress)


@st.cache_resource(show_spinner=False, max_entries=4)
def _upload_result(
    digest: str, name: str, mapping_json: str, kind: str | None, _data: bytes, _loaded=None
):
    """Parse an upload once per (content hash, mapping, kind); the bytes are not hashed again.

    ``_loaded`` is a result :func:`handle_upload` just loaded (with progress shown):
    it is what the cache keeps, so the upload is not parsed a second time.
    """
    if _loaded is not None:
        return _loaded
    mapping = json.loads(mapping_json) if mapping_json else None
    return _load_bytes(name, _data, mapping, kind, digest)


@st.cache_resource(show_spinner=False, max_entries=4)
def _prepared(key: str, fcr_window_h: float, fcr_method: str, _frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with FCR flags computed once on the whole data set (before any filter)."""
    if kpi.time_column(_frame) == "arrived_at":
        return kpi.add_fcr_flags(
            _frame, KpiSettings(fcr_window_h=fcr_window_h, fcr_method=fcr_method)
        )
    return _frame


#: The cube the app aggregates long windows from (``ccmetrics.cube.build_cube``):
#: additive measures per half hour × queue. Every filter of the sidebar (date range,
#: queue) and every period the pages draw (30 min, hour, day, week) is a roll-up of
#: it, so KPIs from it equal KPIs from the calls (tests/test_app.py).
CUBE_FREQ = "30min"
CUBE_DIMS = ("queue",)
#: A breakdown by another dimension (team, agent, category, ...) over whole days comes
#: from a day × queue × <dimension> cube, built the first time that dimension is asked
#: for (the queue keeps the sidebar's filter exact). bench/run.py at 5M calls: the
#: Overview breakdown by team over a year costs 0.60 s on the calls.
DIM_CUBE_FREQ = "D"
#: Call-level datasets smaller than this always aggregate from the cube (it builds in
#: well under 0.1 s; the bundled sample has 193k calls).
CUBE_ALWAYS_CALLS = 500_000
#: For a larger dataset whose cube is not built yet (neither for the settings in force
#: nor, for a cheap update, for any settings), a window shorter than this share of the
#: data's span is computed from the calls instead of building the cube first.
#: bench/run.py at 5M calls: the cube builds in 0.8 s; the Overview from calls costs
#: 0.36 s for 28 days and 2.9 s for a year (≈ 8 ms a day), so building pays from about
#: a quarter of a year on, and every later view of any window then costs tens of
#: milliseconds. Once a cube of that shape has been built, a threshold change only
#: recounts the setting-dependent measures (``ccmetrics.cube.CubeIndex``, about 0.07 s
#: at 5M), so every window then uses the cube.
CUBE_MIN_SHARE = 0.25

#: Cubes built in this process, as ``(_cube_key(...), freq, dims)`` (a cube whose key is
#: here is reused whatever the window; one evicted from the cache is only rebuilt,
#: never wrong).
_built_cubes: set[tuple] = set()
#: Cube shapes ``(dataset key, freq, dims)`` whose :class:`ccmetrics.cube.CubeIndex` is
#: built: a cube of that shape for other settings is then a cheap update.
_built_indexes: set[tuple] = set()


def _cube_key(key: str, settings: KpiSettings) -> tuple:
    """The cache key of a cube: the dataset and the settings that change its counts."""
    return (
        key,
        float(settings.sl_threshold_s),
        float(settings.short_abandon_s),
        float(settings.csat_top_box),
        float(settings.fcr_window_h),
        str(settings.fcr_method),
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def _cube_index(key: str, freq: str, dims: tuple[str, ...], _frame: pd.DataFrame):
    """The setting-independent part of a cube of the dataset ``key`` (cell of every call,
    sums that no setting changes): built once per dataset and cube shape, whatever the
    settings (the prepared frames of other FCR windows have the same rows)."""
    from ccmetrics.cube import CubeIndex

    index = CubeIndex(_frame, freq, [d for d in dims if d in _frame.columns])
    _built_indexes.add((key, freq, dims))
    return index


def _cube_of(
    key: str, freq: str, dims: tuple[str, ...], settings_key: tuple, frame: pd.DataFrame
) -> pd.DataFrame:
    """The cube of shape ``freq`` × ``dims`` for the settings of ``settings_key``."""
    _, sl_threshold_s, short_abandon_s, csat_top_box, fcr_window_h, fcr_method = settings_key
    settings = KpiSettings(
        sl_threshold_s=sl_threshold_s,
        short_abandon_s=short_abandon_s,
        csat_top_box=csat_top_box,
        fcr_window_h=fcr_window_h,
        fcr_method=fcr_method,
    )
    built = _cube_index(key, freq, dims, _frame=frame).cube(frame, settings)
    _built_cubes.add((settings_key, freq, dims))
    return built


@st.cache_resource(show_spinner=False, max_entries=4)
def _cube(
    key: str,
    sl_threshold_s: float,
    short_abandon_s: float,
    csat_top_box: float,
    fcr_window_h: float,
    fcr_method: str,
    _frame: pd.DataFrame,
) -> pd.DataFrame:
    """The :data:`CUBE_FREQ` × :data:`CUBE_DIMS` cube of a prepared call-level frame (FCR
    flags already on it, so the cube's ``fcr_n``/``fcr_resolved`` are the flags computed
    on the whole data set); after a setting change an update of the cached
    ``CubeIndex``, equal to ``build_cube`` (tests/test_cube.py)."""
    settings_key = (key, sl_threshold_s, short_abandon_s, csat_top_box, fcr_window_h, fcr_method)
    return _cube_of(key, CUBE_FREQ, CUBE_DIMS, settings_key, _frame)


@st.cache_resource(show_spinner=False, max_entries=8)
def _dim_cube(
    key: str,
    dim: str,
    sl_threshold_s: float,
    short_abandon_s: float,
    csat_top_box: float,
    fcr_window_h: float,
    fcr_method: str,
    _frame: pd.DataFrame,
) -> pd.DataFrame:
    """The :data:`DIM_CUBE_FREQ` × queue × ``dim`` cube of a prepared call-level frame,
    built the first time a view asks for ``dim`` (as :func:`_cube` otherwise)."""
    settings_key = (key, sl_threshold_s, short_abandon_s, csat_top_box, fcr_window_h, fcr_method)
    return _cube_of(key, DIM_CUBE_FREQ, (*CUBE_DIMS, dim), settings_key, _frame)


def _mapping_json(mapping) -> str:
    return json.dumps(mapping or {}, sort_keys=True, ensure_ascii=False)


def load_upload(
    name: str,
    data: bytes,
    mapping: dict | None = None,
    kind: str | None = None,
    digest: str | None = None,
    progress=None,
):
    """Parse uploaded bytes with the loader (cached by content hash, mapping and kind).

    ``digest`` is the SHA-256 of ``data`` when already known (hashing a large
    file on every rerun would cost seconds). ``progress(stage, fraction)``, if
    given, follows the load (see ``ccmetrics.io.LOAD_STAGES``); it is not called
    when the result is already in memory. Returns the loader's ``LoadResult``;
    raises ``ccmetrics.io.LoadError`` when the file cannot be loaded.
    """
    digest = digest or hashlib.sha256(data).hexdigest()
    mapping_json = _mapping_json(mapping)
    if progress is None:
        return _upload_result(digest, name, mapping_json, kind, data)
    # load outside the cached function (it must not draw), then hand the result to the cache
    result = _load_bytes(name, data, mapping, kind, digest, progress)
    return _upload_result(digest, name, mapping_json, kind, data, _loaded=result)


def _upload_key(upload: dict) -> str:
    """The dataset key of an upload: content hash and a hash of its mapping and kind."""
    variant = _mapping_json({"mapping": upload.get("mapping"), "kind": upload.get("kind")})
    return f"upload:{upload['digest']}:{hashlib.sha256(variant.encode()).hexdigest()[:16]}"


def _spooled(data: bytes, digest: str):
    """A large upload's bytes as a read-only map of a private file (0600 in a 0700
    folder beside the Parquet copies), so the session holds no copy of them in the
    server's memory; the bytes themselves below :data:`CACHE_MIN_BYTES` (a few MB
    held do not matter) or when the file cannot be written."""
    import mmap
    import os

    from ccmetrics import io

    if len(data) < CACHE_MIN_BYTES:
        return data
    try:
        folder = io.default_cache_dir() / "uploads"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = folder / digest
        if not path.exists() or path.stat().st_size != len(data):
            temporary = folder / f".{digest}.{os.getpid()}.tmp"
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        with open(path, "rb") as source:
            return mmap.mmap(source.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return data


def activate_upload(
    name: str, data: bytes, mapping: dict | None = None, kind: str | None = None, progress=None
):
    """Load an upload and make it the dataset in use (filters reset to its span).

    Returns the ``LoadResult``; raises ``LoadError`` and leaves the dataset in use
    unchanged when the file cannot be loaded. ``progress`` as for :func:`load_upload`,
    plus a last ``"preparing"`` stage (FCR flags on the whole data set).
    """
    digest = hashlib.sha256(data).hexdigest()
    loading = None
    if progress is not None:

        def loading(stage, fraction):  # the load is the first 90 %; "done" comes after preparing
            if stage != "done":
                progress(stage, None if fraction is None else 0.9 * fraction)

    result = load_upload(name, data, mapping, kind, digest, loading)
    upload = {
        "name": name,
        "digest": digest,
        "data": _spooled(data, digest),
        "mapping": mapping,
        "kind": kind,
    }
    if progress is not None:
        progress("preparing", 0.9)
        current = settings()
        key = _upload_key(upload)
        prepared = _prepared(key, current.fcr_window_h, current.fcr_method, result.frame)
        if result.kind == "calls":  # the first view of any window then comes from the cube
            _cube(*_cube_key(key, current), _frame=prepared)
    st.session_state["upload"] = upload
    _restore_link_view(name, digest)
    return result


def _restore_link_view(name: str, digest: str) -> None:
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


def _drop_link() -> None:
    """Open the sample instead of the link's data (the link's view is dropped)."""
    st.session_state.pop("_link_data", None)
    st.session_state.pop("_link_view", None)


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
    st.button(tr("link.use_sample"), on_click=_drop_link, key="link_use_sample")
    if page.url_path != "data":
        st.stop()


def use_sample() -> None:
    """Drop the upload: the bundled sample becomes the dataset in use again."""
    st.session_state.pop("upload", None)


@dataclass(frozen=True)
class UploadOutcome:
    """What :func:`handle_upload` did: ``ok``, a translated ``message`` and the ``result``."""

    ok: bool
    message: str
    result: object = None


def stage_label(stage: str) -> str:
    """The translated label of a load stage (``ccmetrics.io.LOAD_STAGES`` and ``"preparing"``)."""
    labels = {
        "cached": tr("data.stage_cached"),
        "reading": tr("data.stage_reading"),
        "parsing": tr("data.stage_parsing"),
        "building": tr("data.stage_building"),
        "saving": tr("data.stage_saving"),
        "preparing": tr("data.stage_preparing"),
        "done": tr("data.stage_done"),
    }
    return labels.get(stage, stage)


class _LoadStatus:
    """A ``st.status`` box with a progress bar that follows the loader's stages."""

    def __init__(self, name: str):
        self.name = name
        self.box = st.status(tr_md("data.loading", name=name), expanded=True)
        with self.box:
            self.bar = st.progress(0.0, text=stage_label("reading"))
        self.fraction = 0.0

    def __call__(self, stage: str, fraction: float | None) -> None:
        if fraction is not None:
            self.fraction = max(self.fraction, min(float(fraction), 1.0))
        self.bar.progress(self.fraction, text=stage_label(stage))

    def finish(self, ok: bool) -> None:
        if ok:
            self.bar.progress(1.0, text=stage_label("done"))
        self.box.update(state="complete" if ok else "error", expanded=not ok)


def handle_upload(
    name: str, data: bytes, mapping: dict | None = None, *, kind: str | None = None
) -> UploadOutcome:
    """Load an uploaded file and, when it loads, make it the dataset in use.

    Shows the stages of the load (reading, parsing, building the frame,
    preparing the FCR flags) in a status box. Never raises for a bad file: a
    ``LoadError`` (or any other reading error) comes back as a translated
    message, and the dataset in use stays as it was.
    """
    from ccmetrics import io

    status = _LoadStatus(name)
    try:
        result = activate_upload(name, data, mapping, kind, progress=status)
    except io.LoadError as error:
        status.finish(False)
        return UploadOutcome(False, tr_md("data.load_error", reason=load_error_text(error)))
    except Exception as error:  # an unexpected reader failure must not show a traceback
        status.finish(False)
        return UploadOutcome(
            False,
            tr_md("data.unexpected_error", error=f"{type(error).__name__}: {str(error)[:200]}"),
        )
    status.finish(True)
    return UploadOutcome(
        True,
        tr_md(
            "data.in_use",
            name=name,
            rows=fmt_count(len(result.frame)),
            kind=tr(f"kind.{result.kind}"),
        ),
        result,
    )


def handle_mapping_file(upload: dict, name: str, content: bytes) -> UploadOutcome:
    """Apply a mapping saved as JSON to the upload in use."""
    from ccmetrics import io

    source = bytes_io.BytesIO(content)
    source.name = name
    try:
        mapping = io.read_mapping(source)
    except io.LoadError as error:
        return UploadOutcome(False, tr_md("data.mapping_invalid", reason=load_error_text(error)))
    return handle_upload(upload["name"], upload["data"], mapping)


def load_error_text(error) -> str:
    """The translated reason of a ``LoadError`` (its ``code`` and ``params``)."""
    code = getattr(error, "code", "")
    params = dict(getattr(error, "params", {}) or {})
    if not code or not i18n.has_key(f"error.{code}", lang()):
        return str(error)
    values = _FormatValues(
        {
            key: ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else value
            for key, value in params.items()
        }
    )
    if "key" in params:
        values["key"] = field_name(str(params["key"]))
        values.setdefault("keys", str(params["key"]))
    return i18n.TRANSLATIONS[lang()][f"error.{code}"].format_map(values)


class _FormatValues(dict):
    """format_map values that show "?" for a placeholder the error did not provide."""

    def __missing__(self, key):
        return "?"


def current_result():
    """The ``LoadResult`` of the dataset in use (upload if any, else the sample)."""
    upload = st.session_state.get("upload")
    if upload:
        return load_upload(
            upload["name"],
            upload["data"],
            upload.get("mapping"),
            upload.get("kind"),
            upload["digest"],
        )
    return _sample_result()


def _dataset(settings: KpiSettings) -> Dataset:
    upload = st.session_state.get("upload")
    result = current_result()
    if upload:
        key = _upload_key(upload)
        name = upload["name"]
    else:
        key, name = "sample", tr("sidebar.dataset_sample")
    frame = _prepared(key, settings.fcr_window_h, settings.fcr_method, result.frame)
    times = frame[kpi.time_column(frame)]
    first = times.min()
    last = times.max()
    today = dt.date.today()
    return Dataset(
        key=key,
        name=name,
        kind=result.kind,
        frame=frame,
        first_day=first.date() if pd.notna(first) else today,
        last_day=last.date() if pd.notna(last) else today,
        is_sample=not upload,
        digest=upload["digest"] if upload else "",
    )


def data_id(ds: Dataset) -> str:
    """The dataset's identity in a link: :data:`SAMPLE_DATA_ID`, or the start of its content hash."""
    return SAMPLE_DATA_ID if ds.is_sample else ds.digest[:LINK_DIGEST_CHARS]


# --------------------------------------------------------------------------- state and URL


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


def settings() -> KpiSettings:
    """The KPI settings in force, from the sidebar."""
    state = st.session_state
    return KpiSettings(
        sl_threshold_s=float(state["sl_threshold_s"]),
        short_abandon_s=float(state["short_abandon_s"]),
        sl_formula=state["sl_formula"],
        sl_target=float(state["sl_target_pct"]) / 100.0,
    )


@dataclass(frozen=True)
class Context:
    """Everything a page needs: language, dataset, filters and settings in force."""

    lang: str
    dataset: Dataset
    settings: KpiSettings
    start: dt.date
    end: dt.date
    queues: tuple[str, ...]

    @property
    def end_exclusive(self) -> dt.date:
        """The day after ``end`` (KPI windows are half-open)."""
        return self.end + dt.timedelta(days=1)

    @property
    def days(self) -> int:
        """Days in the date range, both ends included."""
        return (self.end - self.start).days + 1

    @property
    def filters(self) -> dict[str, list[str]]:
        """Dimension filters for :func:`ccmetrics.kpi.subset`."""
        return {"queue": list(self.queues)} if self.queues else {}

    @property
    def window(self) -> pd.DataFrame:
        """Rows of the dataset in the date range and queues."""
        return kpi.subset(self.dataset.frame, self.start, self.end_exclusive, self.filters)


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
        current = settings()
        with st.spinner(tr_md("data.loading", name=_dataset_label())):
            ds = _dataset(current)

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
        if not ds.is_sample:
            st.button(tr("sidebar.use_sample"), on_click=use_sample, key="use_sample_button")

        # A new dataset resets the filters to its span (or to what the URL asked for).
        if state.get("_filters_for") != ds.key:
            state["_filters_for"] = ds.key
            wanted_range = state.pop("_url_range", None)
            state["date_range"] = _clamp_range(wanted_range or _default_range(ds), ds)
            queues = _queues_of(ds)
            state["queues"] = [q for q in state.pop("_url_queues", []) if q in queues]
        value = state.get("date_range")
        if isinstance(value, (tuple, list)) and len(value) == 2:
            state["date_range"] = _clamp_range(tuple(value), ds)

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


def _dataset_label() -> str:
    upload = st.session_state.get("upload")
    return upload["name"] if upload else tr("sidebar.dataset_sample")


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


# --------------------------------------------------------------------------- cached aggregates


@st.cache_data(show_spinner=False, max_entries=64)
def _comparison(key, start, end, queues, settings, _frame) -> pd.DataFrame:
    filters = {"queue": list(queues)} if queues else None
    return kpi.period_comparison(_frame, start, end, settings, filters=filters)


@st.cache_data(show_spinner=False, max_entries=64)
def _daily(key, start, end, queues, settings, _frame) -> pd.DataFrame:
    window = kpi.subset(_frame, start, end, {"queue": list(queues)} if queues else None)
    return kpi.compute(window, freq="D", settings=settings)


@st.cache_data(show_spinner=False, max_entries=64)
def _slot_table(key, start, end, queues, settings, _frame) -> pd.DataFrame:
    window = kpi.subset(_frame, start, end, {"queue": list(queues)} if queues else None)
    return kpi.weekday_slot_table(window, slot="30min", settings=settings)


@st.cache_data(show_spinner=False, max_entries=64)
def _breakdown(key, start, end, queues, settings, by, freq, _frame) -> pd.DataFrame:
    window = kpi.subset(_frame, start, end, {"queue": list(queues)} if queues else None)
    return kpi.compute(window, by=by, freq=freq, settings=settings)


def _args(ctx: Context, start=None, end=None):
    return (
        ctx.dataset.key,
        pd.Timestamp(start if start is not None else ctx.start),
        pd.Timestamp(end if end is not None else ctx.end_exclusive),
        ctx.queues,
        ctx.settings,
    )


def _cube_answers(freq: str | None, step: str = CUBE_FREQ) -> bool:
    """Whether periods of ``freq`` are unions of whole cube intervals of length ``step``
    (so a roll-up of the cube gives them exactly): none, a multiple of ``step``, or a
    week or month (whole days)."""
    return periods_roll_up(freq, step)


def aggregate_source(
    ctx: Context, dims=(), freq: str | None = None, start=None, end=None, *, by=None
) -> pd.DataFrame:
    """The frame a view's KPIs are aggregated from: a cube when one answers exactly.

    Parameters
    ----------
    ctx : Context
        The dataset and settings in force.
    dims : iterable of str
        Dimensions the view filters or groups on.
    freq : str, optional
        The period the view groups by.
    start, end : date-like, optional
        The window (default the date range in force), for the rules below.
    by : str, optional
        The dimension the view groups by (one of ``dims``; the others filter).

    Returns
    -------
    DataFrame
        For a call-level dataset: the cached cube :data:`CUBE_FREQ` × :data:`CUBE_DIMS`
        when every dimension is a cube dimension and every period a union of cube
        intervals; else the cached cube :data:`DIM_CUBE_FREQ` × queue × ``by`` when the
        view groups by ``by`` and filters on the queue only, the window is whole days
        and every period a union of days (a breakdown by team, agent, category, ...);
        otherwise the dataset's frame (interval exports, filters on other dimensions,
        periods finer than a cube's). Every source gives the same KPIs
        (``kpi.compute`` of a cube is exact; tests/test_app.py): the choice is only
        about cost.

    Notes
    -----
    A dataset of :data:`CUBE_ALWAYS_CALLS` calls or more whose cube of that shape is
    not built yet for the settings in force, nor ever built for other settings (its
    ``CubeIndex`` would make the update cheap), keeps a window shorter than
    :data:`CUBE_MIN_SHARE` of its span on the calls rather than wait for the cube; a
    longer window builds it, and every later view uses it.
    """
    ds = ctx.dataset
    frame = ds.frame
    if ds.kind != "calls" or "arrived_at" not in frame.columns:
        return frame
    first = pd.Timestamp(start if start is not None else ctx.start)
    last = pd.Timestamp(end if end is not None else ctx.end_exclusive)
    key = _cube_key(ds.key, ctx.settings)
    others = set(dims) - set(CUBE_DIMS)
    if not others and _cube_answers(freq):
        shape = (CUBE_FREQ, CUBE_DIMS)

        def cube():
            return _cube(*key, _frame=frame)

    elif (
        by is not None
        and others == {by}
        and by in DIMENSIONS
        and by in frame.columns
        and _cube_answers(freq, DIM_CUBE_FREQ)
        and first == first.normalize()
        and last == last.normalize()
    ):
        shape = (DIM_CUBE_FREQ, (*CUBE_DIMS, by))

        def cube():
            return _dim_cube(key[0], by, *key[1:], _frame=frame)

    else:
        return frame
    if (
        len(frame) >= CUBE_ALWAYS_CALLS
        and (key, *shape) not in _built_cubes
        and (ds.key, *shape) not in _built_indexes
    ):
        span = (ds.last_day - ds.first_day).days + 1
        if (last - first).days < CUBE_MIN_SHARE * span:
            return frame
    return cube()


def _filter_dims(ctx: Context) -> tuple[str, ...]:
    return tuple(ctx.filters)


def comparison(ctx: Context) -> pd.DataFrame:
    """KPIs of the date range against the range of equal length before it (cached)."""
    return _comparison(*_args(ctx), _frame=aggregate_source(ctx, _filter_dims(ctx)))


def daily(ctx: Context) -> pd.DataFrame:
    """KPIs per day of the date range (cached)."""
    return _daily(*_args(ctx), _frame=aggregate_source(ctx, _filter_dims(ctx), "D"))


def slot_table(ctx: Context) -> pd.DataFrame:
    """KPIs per weekday × half hour over the date range (cached)."""
    return _slot_table(*_args(ctx), _frame=aggregate_source(ctx, _filter_dims(ctx), "30min"))


def breakdown(
    ctx: Context, by: str | None = None, freq: str | None = None, start=None, end=None
) -> pd.DataFrame:
    """KPIs per value of ``by`` and/or per period ``freq`` (cached; from a cube when one
    answers exactly, see :func:`aggregate_source`)."""
    dims = (*_filter_dims(ctx), *([by] if by else []))
    source = aggregate_source(ctx, dims, freq, start, end, by=by)
    return _breakdown(*_args(ctx, start, end), by, freq, _frame=source)


def dimensions_present(frame: pd.DataFrame) -> list[str]:
    """Canonical dimensions the data carries (with at least one value)."""
    return [d for d in DIMENSIONS if d in frame.columns and frame[d].notna().any()]


# --------------------------------------------------------------------------- tables


def _header(kpi_name: str) -> str:
    """A short column header with its unit: the table's short name when the tile's is wide
    ("平均应答（秒）" for 平均应答速度), else the tile name ("ASA (s)")."""
    unit = kpi.KPI_UNITS.get(kpi_name)
    if i18n.has_key(f"header.short.{kpi_name}", lang()):
        name = tr(f"header.short.{kpi_name}")
    elif i18n.has_key(f"tile.{kpi_name}", lang()):
        name = tr(f"tile.{kpi_name}")
    elif i18n.has_key(f"header.{kpi_name}", lang()):
        name = tr(f"header.{kpi_name}")
    else:
        name = tr(f"kpi.{kpi_name}")
    if unit == "percent":
        return tr("header.percent", name=name)
    if unit == "seconds":
        return tr("header.seconds", name=name)
    return name


def display_table(table: pd.DataFrame, keys: list[str], kpis=TABLE_KPIS) -> pd.DataFrame:
    """A KPI table ready to show and export: translated headers, percentages ×100.

    Key columns (dimensions, ``period``) come first; KPI columns with no value
    at all (not supported by the data) are dropped. Numbers are those
    :func:`ccmetrics.kpi.format_kpi` writes (:func:`ccmetrics.kpi.round_for_display`:
    percentages ×100 with one decimal, seconds whole, QA one decimal, other scores
    two; never -0); ``attrs["decimals"]`` holds each KPI column's decimals for
    :func:`column_config`.
    """
    out = pd.DataFrame(index=table.index)
    for key in keys:
        values = table[key]
        if key == "period":
            out[tr("axis.day")] = pd.to_datetime(values).dt.strftime("%Y-%m-%d")
        elif key == "hour":
            out[tr("axis.slot")] = values
        else:
            out[tr(f"dim.{key}")] = (
                values.astype("object").where(values.notna(), tr("dim.missing")).astype(str)
            )
    decimals = {}
    for name in kpis:
        if name not in table.columns or table[name].isna().all():
            continue
        header = _header(name)
        out[header] = kpi.round_for_display(table[name], name)
        decimals[header] = kpi.display_decimals(name)
    out = out.reset_index(drop=True)
    out.attrs["decimals"] = decimals
    return out


def number_format(decimals: int) -> str:
    """The ``st.column_config.NumberColumn`` format of a column shown with ``decimals`` places
    (whole numbers with thousands separators, as :func:`fmt_count`)."""
    return "localized" if decimals == 0 else f"%.{decimals}f"


def column_config(frame: pd.DataFrame) -> dict:
    """Number formats for a :func:`display_table` frame: each KPI column with the decimals
    of :func:`ccmetrics.kpi.display_decimals` (QA 81.7 here as on the tiles and in the
    report), other float columns by their values."""
    config = {}
    known = frame.attrs.get("decimals", {})
    for column in frame.columns:
        if column in known:
            config[column] = st.column_config.NumberColumn(format=number_format(known[column]))
        elif pd.api.types.is_float_dtype(frame[column]):
            text = str(column)
            if text.endswith("(%)") or text.endswith("（%）"):
                config[column] = st.column_config.NumberColumn(format="%.1f")
            elif all(frame[column].dropna() == frame[column].dropna().round(0)):
                config[column] = st.column_config.NumberColumn(format="localized")
            else:
                config[column] = st.column_config.NumberColumn(format="%.2f")
    return config


def kpi_table(
    table: pd.DataFrame, keys: list[str], *, download_name: str | None = None, key: str = "table"
) -> None:
    """Show a KPI table (sortable) and, optionally, a CSV download of it."""
    shown = display_table(table, keys)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=column_config(shown))
    if download_name:
        st.download_button(
            tr("overview.download_csv"),
            data=csv_bytes(shown),
            file_name=download_name,
            mime="text/csv",
            icon=":material/download:",
            key=f"{key}_csv",
        )


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as UTF-8 with a byte-order mark, formula cells neutralised (:func:`ccmetrics.report.safe_csv_bytes`).

    Excel opens Chinese text correctly, and a cell such as ``=HYPERLINK(...)`` from the
    data is written as text, not run as a formula.
    """
    from ccmetrics import report

    return report.safe_csv_bytes(frame)


#: Width in pixels given to a downloaded chart that has none (the app stretches charts to
#: the page; a spec without a width would be drawn 300 pixels wide).
PNG_WIDTH = 800


@st.cache_data(show_spinner=False, max_entries=32)
def _png_of_spec(spec_json: str, language: str) -> bytes:
    from ccmetrics import report

    spec = json.loads(spec_json)
    if "width" not in spec and ("mark" in spec or "layer" in spec):
        spec["width"] = PNG_WIDTH
    # the report's fonts: a sans-serif CJK font first for Chinese, Latin fonts first otherwise
    font = report.FONT_STACK if language == "zh" else report.FONT_STACK_EN
    spec.setdefault("config", {}).setdefault("font", font)
    return report.chart_to_png(spec)


def png_download(chart, name: str, key: str) -> None:
    """A "Download PNG" button for an Altair chart, drawn where it is called (under the chart).

    The image is rendered only when the button is clicked (deferred download, no rerun),
    by :func:`ccmetrics.report.chart_to_png` (vl-convert with a CJK font, so Chinese text
    is drawn), and cached on the chart's specification. ``name`` is the file name without
    ``.png``; ``key`` a widget key unique on the page.
    """
    language = lang()

    def image() -> bytes:
        return _png_of_spec(json.dumps(chart.to_dict(), sort_keys=True, default=str), language)

    st.download_button(
        tr("report.download_png"),
        data=image,
        file_name=f"{name}.png",
        mime="image/png",
        key=f"{key}_png",
        on_click="ignore",
        type="tertiary",
        icon=":material/image:",
    )


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as a Parquet file."""
    buffer = bytes_io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def sample_files() -> list[Path]:
    """Bundled sample exports a user can download and upload again to try the loader."""
    from ccmetrics import sample

    folder = Path(sample.SAMPLE_DIR)
    return [
        folder / name
        for name in ("calls_zh_gbk.csv.gz", "intervals.csv")
        if (folder / name).exists()
    ]


# --------------------------------------------------------------------------- mapping editor

#: Mapping keys the loader understands besides the canonical columns (see ccmetrics.io).
_EXTRA_TARGETS = {
    "calls": ("arrival_date", "arrival_time", "queued_at", "answered_at", "outcome", "direction"),
    "intervals": (
        "interval_date",
        "interval_time",
        "day_index",
        "staffed_s",
        "asa_s",
        "avg_talk_s",
        "avg_hold_s",
        "avg_acw_s",
        "aht_s",
        "avg_abandon_wait_s",
    ),
}
#: A split date + time pair the loader takes as a list under the time key.
_SPLIT_TIME = {
    "arrived_at": ("arrival_date", "arrival_time"),
    "interval_start": ("interval_date", "interval_time"),
}


def mapping_targets(kind: str) -> list[str]:
    """The mapping keys a user can pick for a ``kind`` of export."""
    from ccmetrics.schema import CALL_COLUMNS, INTERVAL_COLUMNS

    columns = CALL_COLUMNS if kind == "calls" else INTERVAL_COLUMNS
    return [*columns, *_EXTRA_TARGETS[kind]]


def target_labeller():
    """How a mapping key is shown in the editor (language bound now, as in :func:`labeller`)."""
    language = lang()

    def label(target) -> str:
        if target is None or target == "":
            return i18n.t("data.not_mapped", language)
        key = f"field.{target}"
        return i18n.t(key, language) if i18n.has_key(key, language) else str(target)

    return label


def _raw_head(name: str, data: bytes, encoding: str | None, rows: int = 200) -> pd.DataFrame:
    """The first rows of the raw upload, every column as text (``ccmetrics.io.preview``)."""
    from ccmetrics import io

    source = bytes_io.BytesIO(data)  # shares ``data``: no copy
    source.name = name
    return io.preview(source, encoding=encoding, rows=rows)


@st.cache_data(show_spinner=False, max_entries=8)
def _preview(digest: str, name: str, encoding: str | None, _data: bytes) -> dict[str, str]:
    try:
        head = _raw_head(name, _data, encoding)
    except Exception:  # a preview is a convenience: never break the page for it
        return {}
    preview = {}
    for column in head.columns:
        values = head[column].dropna().astype(str)
        values = values[values.str.strip() != ""].unique()[:3]
        preview[str(column)] = " · ".join(v[:40] for v in values)
    return preview


def mapping_rows(result, upload: dict) -> pd.DataFrame:
    """One editor row per source column: the column, a few values, the key it feeds."""
    target_of: dict[str, str] = {}
    for key, value in (result.mapping or {}).items():
        if key == "options" or value is None:
            continue
        if isinstance(value, list):
            if key in _SPLIT_TIME and len(value) == 2:
                target_of[value[0]], target_of[value[1]] = _SPLIT_TIME[key]
            else:
                for column in value:
                    target_of[column] = key
        else:
            target_of[value] = key
    preview = _preview(upload["digest"], upload["name"], result.encoding, upload["data"])
    columns = [str(c) for c in (result.columns or [])]
    return pd.DataFrame(
        {
            "source": columns,
            "preview": [preview.get(c, "") for c in columns],
            "target": [target_of.get(c) for c in columns],
        }
    )


def mapping_from_rows(rows: pd.DataFrame, previous: dict | None) -> tuple[dict | None, str | None]:
    """Turn the edited rows back into a loader mapping; a translated problem if ambiguous."""
    groups: dict[str, list[str]] = {}
    for source, target in zip(rows["source"], rows["target"], strict=True):
        if target is None or (isinstance(target, float) and pd.isna(target)) or target == "":
            continue
        groups.setdefault(str(target), []).append(str(source))
    mapping: dict = {}
    for key, sources in groups.items():
        if len(sources) == 1:
            mapping[key] = sources[0]
        elif key == "call_id" or (key in _SPLIT_TIME and len(sources) == 2):
            mapping[key] = sources
        else:
            return None, tr_md(
                "data.mapping_duplicate", field=field_name(key), columns=", ".join(sources)
            )
    for key, (date_key, time_key) in _SPLIT_TIME.items():
        if key not in mapping and date_key in mapping and time_key in mapping:
            mapping[key] = [mapping.pop(date_key), mapping.pop(time_key)]
    if previous and previous.get("options"):
        mapping["options"] = previous["options"]
    return mapping, None


def mapping_json_bytes(mapping: dict | None) -> bytes:
    """A mapping as JSON (the format ``ccmetrics.io.read_mapping`` reads)."""
    from ccmetrics import io

    buffer = bytes_io.StringIO()
    io.save_mapping(dict(mapping or {}), buffer)
    return buffer.getvalue().encode("utf-8")


# --------------------------------------------------------------------------- load report


def problems_table(problems: pd.DataFrame) -> pd.DataFrame:
    """The loader's problems with translated level, column name and message."""
    rows = []
    for record in problems.to_dict("records"):
        params = record.get("params") if isinstance(record.get("params"), dict) else {}
        column = record.get("column")
        column_text = field_name(str(column)) if isinstance(column, str) and column else ""
        rows.append(
            {
                tr("data.problem_level"): tr(f"level.{record.get('level')}")
                if i18n.has_key(f"level.{record.get('level')}", lang())
                else str(record.get("level")),
                tr("data.problem_column"): column_text,
                tr("data.problem_rows"): int(record.get("rows") or 0),
                tr("data.problem_message"): problem_text(
                    str(record.get("code", "")), params, str(record.get("message", "")), column_text
                ),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            tr("data.problem_level"),
            tr("data.problem_column"),
            tr("data.problem_rows"),
            tr("data.problem_message"),
        ],
    )


def problem_text(code: str, params: dict, message: str, column: str = "") -> str:
    """A loader problem in the language in force (the English message if the code is new)."""
    key = f"problem.{code}"
    if not i18n.has_key(key, lang()):
        return message
    values = _FormatValues(
        {
            k: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v
            for k, v in params.items()
        }
    )
    values["column"] = column
    text = i18n.TRANSLATIONS[lang()][key].format_map(values)
    sample = params.get("sample")
    if isinstance(sample, (list, tuple)) and sample and all(isinstance(v, int) for v in sample):
        text += tr("problem.sample_rows", rows=", ".join(str(v) for v in sample))
    return text
