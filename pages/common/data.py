"""The data in use: uploads, the bundled sample, a data set on an engine, their caches,
the Dataset and the Context.

An upload is parsed once per content hash, mapping and kind (:func:`load_upload`; a
Parquet copy for large files), prepared once (FCR flags on the whole data set) and
becomes the :class:`Dataset` in use; the sidebar wraps it with the filters and settings
in force into the :class:`Context` every page reads.

A data set on an engine (:func:`open_engine`, or ``CCMETRICS_SOURCE`` /
``CCMETRICS_ENGINE`` / ``CCMETRICS_SPARK_MASTER`` read at a session's start, see
:mod:`ccmetrics.engine_source`): a canonical Parquet file or folder opened on DuckDB
(embedded) or Spark is the source of truth and stays on the engine. The app fetches
**the period in view** as a pandas frame with the engine's ``window(start, end,
settings=...)`` — FCR flags computed by the engine over the whole data set, so a
repeat call after the period counts — and that slice is the :class:`Dataset`'s
``frame``: every page runs on it unchanged. The period is the last full month of the
data by default (:func:`ccmetrics.engine_source.last_full_month` of the engine's first
and last arrival), another range is picked on the Data page, and a period holding more
than :data:`ccmetrics.engine_source.ROW_BUDGET` calls is cut to its last days that fit
(:func:`ccmetrics.engine_source.fit_budget`; the Data page says so). The opened data
set is cached per (path, engine, master), the period's frame per (source, period, FCR
settings). Precedence: an upload, else the engine source, else the sample; opening one
drops the other. A source that cannot be opened leaves the sample in use and the
sidebar says why (never a traceback).
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

from ccmetrics import engine_source, i18n, kpi
from ccmetrics.engine_source import EngineSource, FetchPeriod, SourceError
from ccmetrics.schema import KpiSettings
from pages.common.aggregates import _cube, cube_key
from pages.common.state import LINK_DIGEST_CHARS, restore_link_view, settings
from pages.common.text import FormatValues, field_name, fmt_count, lang, tr, tr_md

__all__ = [
    "Dataset",
    "Context",
    "UPLOAD_TYPES",
    "CACHE_MIN_BYTES",
    "load_upload",
    "activate_upload",
    "use_sample",
    "UploadOutcome",
    "stage_label",
    "handle_upload",
    "handle_mapping_file",
    "upload_sheets",
    "load_error_text",
    "current_result",
    "load_dataset",
    "EngineView",
    "open_engine",
    "fetch_engine_period",
    "engine_error_text",
]

#: File types the uploaders accept.
UPLOAD_TYPES = ["csv", "tsv", "txt", "gz", "zip", "xlsx", "xls", "parquet"]


@dataclass(frozen=True)
class EngineView:
    """What the app holds of a data set on an engine: the source, its size and span, and
    the period fetched (:class:`ccmetrics.engine_source.FetchPeriod`)."""

    source: EngineSource
    rows: int
    data_first: dt.date
    data_last: dt.date
    period: FetchPeriod
    #: the first arrival time of the data (the previous-period rule of the comparison)
    first_seen: pd.Timestamp | None = None
    #: the opened data set (``ccmetrics.engine.Dataset`` or ``SparkDataset``), cached
    dataset: object = field(default=None, repr=False, compare=False)


@dataclass(frozen=True)
class Dataset:
    """The data in use: a cache key, a display name and the canonical frame.

    ``engine`` is set when the frame is the period fetched from a data set on an engine.
    """

    key: str
    name: str
    kind: str
    frame: pd.DataFrame = field(repr=False)
    first_day: dt.date
    last_day: dt.date
    is_sample: bool
    digest: str = ""
    engine: EngineView | None = None

    @property
    def data_first_day(self) -> dt.date:
        """The first day of the whole data: on an engine, before the period fetched."""
        return self.engine.data_first if self.engine is not None else self.first_day


@st.cache_resource(show_spinner=False, max_entries=1)
def _sample_result():
    """The bundled sample's ``LoadResult``, through the Parquet copy of ``io.load_cached``.

    The copy gives the same result as ``io.load`` and is read in 0.2 s instead of 0.9 s
    (the canonical build is skipped): every server start after the first that wrote it
    loads the sample faster. A folder where no copy can be kept just loads the file.
    """
    from ccmetrics import io, sample

    return io.load_cached(
        Path(sample.SAMPLE_DIR) / "calls.parquet", cache_dir=io.default_cache_dir()
    )


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
    name: str,
    data: bytes,
    mapping: dict | None,
    kind: str | None,
    digest: str,
    progress=None,
    sheet: str | None = None,
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
            sheet=sheet,
            digest=digest,
            progress=progress,
        )
    return io.load(source, mapping or None, kind=kind, sheet=sheet, progress=progress)


@st.cache_resource(show_spinner=False, max_entries=4)
def _upload_result(
    digest: str,
    name: str,
    mapping_json: str,
    kind: str | None,
    sheet: str | None,
    _data: bytes,
    _loaded=None,
):
    """Parse an upload once per (content hash, mapping, kind, sheet); the bytes are not hashed again.

    ``_loaded`` is a result :func:`handle_upload` just loaded (with progress shown):
    it is what the cache keeps, so the upload is not parsed a second time.
    """
    if _loaded is not None:
        return _loaded
    mapping = json.loads(mapping_json) if mapping_json else None
    return _load_bytes(name, _data, mapping, kind, digest, sheet=sheet)


@st.cache_resource(show_spinner=False, max_entries=4)
def _prepared(key: str, fcr_window_h: float, fcr_method: str, _frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with FCR flags computed once on the whole data set (before any filter)."""
    if kpi.time_column(_frame) == "arrived_at":
        return kpi.add_fcr_flags(
            _frame, KpiSettings(fcr_window_h=fcr_window_h, fcr_method=fcr_method)
        )
    return _frame


def _mapping_json(mapping) -> str:
    return json.dumps(mapping or {}, sort_keys=True, ensure_ascii=False)


def load_upload(
    name: str,
    data: bytes,
    mapping: dict | None = None,
    kind: str | None = None,
    digest: str | None = None,
    progress=None,
    sheet: str | None = None,
):
    """Parse uploaded bytes with the loader (cached by content hash, mapping, kind and sheet).

    ``digest`` is the SHA-256 of ``data`` when already known (hashing a large
    file on every rerun would cost seconds). ``progress(stage, fraction)``, if
    given, follows the load (see ``ccmetrics.io.LOAD_STAGES``); it is not called
    when the result is already in memory. ``sheet`` is the Excel sheet to read
    (None: the loader's choice, the first sheet). Returns the loader's ``LoadResult``;
    raises ``ccmetrics.io.LoadError`` when the file cannot be loaded.
    """
    digest = digest or hashlib.sha256(data).hexdigest()
    mapping_json = _mapping_json(mapping)
    if progress is None:
        return _upload_result(digest, name, mapping_json, kind, sheet, data)
    # load outside the cached function (it must not draw), then hand the result to the cache
    result = _load_bytes(name, data, mapping, kind, digest, progress, sheet)
    return _upload_result(digest, name, mapping_json, kind, sheet, data, _loaded=result)


def _upload_key(upload: dict) -> str:
    """The dataset key of an upload: content hash and a hash of its mapping, kind and sheet."""
    variant = _mapping_json(
        {"mapping": upload.get("mapping"), "kind": upload.get("kind"), "sheet": upload.get("sheet")}
    )
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
    name: str,
    data: bytes,
    mapping: dict | None = None,
    kind: str | None = None,
    progress=None,
    sheet: str | None = None,
):
    """Load an upload and make it the dataset in use (filters reset to its span).

    Returns the ``LoadResult``; raises ``LoadError`` and leaves the dataset in use
    unchanged when the file cannot be loaded. ``progress`` as for :func:`load_upload`,
    plus a last ``"preparing"`` stage (FCR flags on the whole data set). ``sheet``
    as for :func:`load_upload`.
    """
    digest = hashlib.sha256(data).hexdigest()
    loading = None
    if progress is not None:

        def loading(stage, fraction):  # the load is the first 90 %; "done" comes after preparing
            if stage != "done":
                progress(stage, None if fraction is None else 0.9 * fraction)

    result = load_upload(name, data, mapping, kind, digest, loading, sheet)
    upload = {
        "name": name,
        "digest": digest,
        "data": _spooled(data, digest),
        "mapping": mapping,
        "kind": kind,
        "sheet": sheet,
    }
    if progress is not None:
        progress("preparing", 0.9)
        current = settings()
        key = _upload_key(upload)
        prepared = _prepared(key, current.fcr_window_h, current.fcr_method, result.frame)
        if result.kind == "calls":  # the first view of any window then comes from the cube
            _cube(*cube_key(key, current), _frame=prepared)
    st.session_state["upload"] = upload
    st.session_state.pop("engine_source", None)  # the upload is the data in use now
    restore_link_view(name, digest)
    return result


def use_sample() -> None:
    """Drop the upload or the engine source: the bundled sample becomes the dataset in use again."""
    st.session_state.pop("upload", None)
    st.session_state.pop("engine_source", None)


@dataclass(frozen=True)
class UploadOutcome:
    """What :func:`handle_upload` did: ``ok``, a translated ``message``, the ``result``,
    and the ``error`` (the ``LoadError``) when the file did not load."""

    ok: bool
    message: str
    result: object = None
    error: object = None


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
    name: str,
    data: bytes,
    mapping: dict | None = None,
    *,
    kind: str | None = None,
    sheet: str | None = None,
) -> UploadOutcome:
    """Load an uploaded file and, when it loads, make it the dataset in use.

    Shows the stages of the load (reading, parsing, building the frame,
    preparing the FCR flags) in a status box. Never raises for a bad file: a
    ``LoadError`` (or any other reading error) comes back as a translated
    message, and the dataset in use stays as it was. ``sheet``: the Excel sheet
    to read (None: the loader's choice).
    """
    from ccmetrics import io

    status = _LoadStatus(name)
    try:
        result = activate_upload(name, data, mapping, kind, progress=status, sheet=sheet)
    except io.LoadError as error:
        status.finish(False)
        return UploadOutcome(
            False, tr_md("data.load_error", reason=load_error_text(error)), error=error
        )
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
    return handle_upload(upload["name"], upload["data"], mapping, sheet=upload.get("sheet"))


def load_error_text(error) -> str:
    """The translated reason of a ``LoadError`` (its ``code`` and ``params``)."""
    code = getattr(error, "code", "")
    params = dict(getattr(error, "params", {}) or {})
    if not code or not i18n.has_key(f"error.{code}", lang()):
        return str(error)
    values = FormatValues(
        {
            key: ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else value
            for key, value in params.items()
        }
    )
    if "key" in params:
        values["key"] = field_name(str(params["key"]))
        values.setdefault("keys", str(params["key"]))
    return i18n.TRANSLATIONS[lang()][f"error.{code}"].format_map(values)


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
            sheet=upload.get("sheet"),
        )
    return _sample_result()


@st.cache_data(show_spinner=False, max_entries=8)
def _sheet_names(digest: str, name: str, _data) -> list[str]:
    from ccmetrics import io
    from ccmetrics.io.excel import Workbook

    try:
        return list(Workbook(bytes(_data), name).sheets)
    except (io.LoadError, ImportError):
        return []


def upload_sheets(upload: dict, result) -> list[str]:
    """The sheet names of an Excel upload in workbook order ([] for other files).

    Read once per content hash: the workbook is opened, none of its sheets read.
    """
    if getattr(result, "format", "") != "excel":
        return []
    return _sheet_names(upload["digest"], upload["name"], upload["data"])


def load_dataset(settings: KpiSettings) -> Dataset:
    """The dataset in use (upload if any, else the engine source if any, else the sample),
    prepared for ``settings``."""
    upload = st.session_state.get("upload")
    if not upload:
        engine_ds = _engine_in_use(settings)
        if engine_ds is not None:
            return engine_ds
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


# --------------------------------------------------------------------------- data set on an engine

#: Session-state key of the engine source in use: ``{"path", "engine", "master", "start",
#: "end"}`` (``start``/``end``: the period asked for as ISO days; None: the default period).
_ENGINE_STATE = "engine_source"


@st.cache_resource(show_spinner=False, max_entries=2)
def _engine_dataset(path: str, engine: str, master: str | None):
    """The data set opened on its engine, with its calls in all and its first and last arrival.

    Cached per (path, engine, master): the engine keeps its connection (DuckDB) or its
    session's views (Spark) across reruns and sessions. Raises ``SourceError`` (never
    cached) when the source cannot be opened or holds no call.
    """
    dataset = engine_source.open_source(EngineSource(path, engine, master))
    bounds = engine_source.arrival_bounds(dataset)
    if bounds is None:
        raise SourceError("no_calls", path=path)
    rows = getattr(dataset, "rows", None)  # counted when the engine opened the data
    return dataset, int(dataset.count() if rows is None else rows), bounds


@st.cache_data(show_spinner=False, max_entries=16)
def _engine_period(
    path: str, engine: str, master: str | None, start: dt.date, end: dt.date, budget: int
) -> FetchPeriod:
    """The period asked for, cut to the row budget (a few ``count`` queries, once)."""
    dataset, _, _ = _engine_dataset(path, engine, master)
    return engine_source.fit_budget(dataset, start, end, budget)


# one period's frame per process: at the row budget it is gigabytes
@st.cache_resource(show_spinner=False, max_entries=1)
def _engine_frame(
    path: str,
    engine: str,
    master: str | None,
    start: dt.date,
    end: dt.date,
    fcr_window_h: float,
    fcr_method: str,
) -> pd.DataFrame:
    """The calls of ``[start, end]`` fetched from the engine, with the FCR flags the
    engine computed over the whole data set, in the canonical dtypes."""
    dataset, _, _ = _engine_dataset(path, engine, master)
    frame = dataset.window(
        pd.Timestamp(start),
        pd.Timestamp(end + dt.timedelta(days=1)),
        settings=KpiSettings(fcr_window_h=fcr_window_h, fcr_method=fcr_method),
    )
    return engine_source.canonical_dtypes(frame)


def _source_digest(source: EngineSource) -> str:
    """The identity of an engine source in links: a hash of its engine, master and path."""
    path = str(Path(source.path).expanduser().resolve())
    text = json.dumps([source.engine, source.master, path], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def engine_error_text(error) -> str:
    """The translated message of a ``SourceError`` (its ``code`` and ``params``), or of
    any other error an engine raised while opening or fetching."""
    code = getattr(error, "code", None)
    if code in engine_source.ERROR_CODES:
        return tr_md(f"data.engine_error.{code}", **error.params)
    return tr_md("data.unexpected_error", error=f"{type(error).__name__}: {str(error)[:200]}")


def _engine_from_env() -> None:
    """At a session's start, the source the environment names becomes the one in use."""
    state = st.session_state
    if state.get("_engine_env_read"):
        return
    state["_engine_env_read"] = True
    source = engine_source.source_from_env()
    if source is not None and not state.get("upload"):
        state[_ENGINE_STATE] = {
            "path": source.path,
            "engine": source.engine,
            "master": source.master,
            "start": None,
            "end": None,
        }


def _asked_period(wanted: dict, first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """The period asked for on the Data page (within the data's span), else the default."""
    if wanted.get("start") and wanted.get("end"):
        start = min(max(dt.date.fromisoformat(wanted["start"]), first), last)
        end = min(max(dt.date.fromisoformat(wanted["end"]), start), last)
        return start, end
    return engine_source.last_full_month(first, last)


def _engine_in_use(settings: KpiSettings) -> Dataset | None:
    """The period in view of the engine source in use, as the app's Dataset (None: no
    source, or one that failed: then the sidebar says why and the sample is in use)."""
    _engine_from_env()
    state = st.session_state
    wanted = state.get(_ENGINE_STATE)
    if not wanted:
        return None
    source = EngineSource(wanted["path"], wanted["engine"], wanted.get("master"))
    try:
        dataset, rows, (first_seen, last_seen) = _engine_dataset(*_source_args(source))
        first, last = first_seen.date(), last_seen.date()
        start, end = _asked_period(wanted, first, last)
        period = _engine_period(*_source_args(source), start, end, engine_source.ROW_BUDGET)
        frame = _engine_frame(
            *_source_args(source),
            period.start,
            period.end,
            settings.fcr_window_h,
            settings.fcr_method,
        )
    except Exception as error:  # an engine failure must not show a traceback
        state.pop(_ENGINE_STATE, None)
        state["_engine_error"] = engine_error_text(error)
        return None
    state.pop("_engine_error", None)
    digest = _source_digest(source)
    link = state.get("_link_data")
    if link and link["id"] == digest[:LINK_DIGEST_CHARS]:
        restore_link_view(Path(source.path).name, digest)  # a link made on this source
    return Dataset(
        key=(
            f"engine:{digest[:32]}:{period.start}:{period.end}"
            f":{settings.fcr_window_h:g}:{settings.fcr_method}"
        ),
        name=Path(source.path).name or source.path,
        kind="calls",
        frame=frame,
        first_day=period.start,
        last_day=period.end,
        is_sample=False,
        digest=digest,
        engine=EngineView(source, rows, first, last, period, first_seen, dataset),
    )


def _source_args(source: EngineSource) -> tuple[str, str, str | None]:
    return source.path, source.engine, source.master


def open_engine(path: str, engine: str = "duckdb", master: str | None = None) -> UploadOutcome:
    """Open a canonical Parquet file or folder on an engine and make it the data in use.

    The default period (the last full month) is fetched by the next run. Never raises:
    a path that does not exist, files that are not canonical calls or a Spark that
    cannot start come back as a translated message naming the path, and the data in
    use stays as it was.
    """
    path = str(path or "").strip()
    master = str(master or "").strip() or None
    source = EngineSource(path, engine, master)
    try:
        _engine_dataset(*_source_args(source))
    except Exception as error:
        return UploadOutcome(False, engine_error_text(error), error=error)
    state = st.session_state
    state[_ENGINE_STATE] = {
        "path": path,
        "engine": engine,
        "master": master,
        "start": None,
        "end": None,
    }
    state.pop("upload", None)
    state.pop("_engine_error", None)
    return UploadOutcome(
        True, tr_md("data.engine_opened", path=path, engine=tr(f"data.engine_name.{engine}"))
    )


def fetch_engine_period(start: dt.date, end: dt.date) -> None:
    """Make ``[start, end]`` (both included) the period fetched from the engine source in use."""
    state = st.session_state
    wanted = state.get(_ENGINE_STATE)
    if wanted:
        state[_ENGINE_STATE] = {**wanted, "start": start.isoformat(), "end": end.isoformat()}
