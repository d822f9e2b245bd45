"""The Parquet copy of a load keyed by the content of its source: :func:`load_cached`."""

from __future__ import annotations

import hashlib
import io
import json
import mmap
import os
import uuid
from pathlib import Path

import pandas as pd

from ccmetrics.io.loader import STAGE_FRACTIONS, load
from ccmetrics.io.problems import PROBLEM_COLUMNS, LoadResult, _Problems
from ccmetrics.io.read import _source_bytes

__all__ = [
    "load_cached",
    "content_digest",
    "default_cache_dir",
    "LOADER_VERSION",
    "CACHE_ENV",
    "CACHE_MAX_BYTES",
]

#: Version of what :func:`load` returns for given bytes and mapping. It is part
#: of every :func:`load_cached` key: bump it with any change of the loader that
#: changes a frame, a problems report or a mapping, so no stale copy is served.
LOADER_VERSION = 3

#: Folder used by :func:`default_cache_dir`: ``$CCMETRICS_CACHE_DIR`` or ``~/.cache/ccmetrics``.
CACHE_ENV = "CCMETRICS_CACHE_DIR"

#: :func:`load_cached` removes the least recently used copies beyond this many bytes.
CACHE_MAX_BYTES = 8 << 30

_CACHE_LAYOUT = 1


def default_cache_dir() -> Path:
    """The folder of :func:`load_cached` copies: ``$CCMETRICS_CACHE_DIR``, else ``~/.cache/ccmetrics``."""
    folder = os.environ.get(CACHE_ENV)
    return Path(folder).expanduser() if folder else Path.home() / ".cache" / "ccmetrics"


def content_digest(source) -> str:
    """SHA-256 (hex) of a source's bytes, as :func:`load_cached` keys them.

    Parameters
    ----------
    source : str, Path, bytes or binary file object
        What :func:`load` accepts; a large file is hashed through a memory map.

    Returns
    -------
    str
        64 hexadecimal digits.
    """
    data, _name = _source_bytes(source)
    try:
        return hashlib.sha256(memoryview(data)).hexdigest()
    finally:
        if isinstance(data, mmap.mmap):
            data.close()


def _source_name(source) -> str:
    if isinstance(source, (str, Path)):
        return Path(source).name
    if isinstance(source, (bytes, bytearray, memoryview)):
        return "uploaded data"
    return Path(str(getattr(source, "name", "uploaded file"))).name


def _variant(mapping, kind, encoding, sheet) -> str:
    """Hash of what, besides the bytes, decides a load's result (and the loader version)."""
    text = json.dumps(
        {
            "mapping": mapping or {},
            "kind": kind,
            "encoding": encoding,
            "sheet": sheet,
            "loader": LOADER_VERSION,
            "layout": _CACHE_LAYOUT,
            "pandas": pd.__version__,
        },
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _json_round_trips(value) -> bool:
    try:
        return json.loads(json.dumps(value, ensure_ascii=False)) == value
    except (TypeError, ValueError):
        return False


def _read_copy(parquet: Path, meta_path: Path, digest: str, variant: str, name: str):
    """The cached :class:`LoadResult`, or None when the copy is missing, stale or unreadable."""
    if not (parquet.is_file() and meta_path.is_file()):
        return None
    try:
        import pyarrow.parquet as pq

        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if (
            meta.get("digest") != digest
            or meta.get("variant") != variant
            or meta.get("loader") != LOADER_VERSION
        ):
            return None
        table = pq.read_table(parquet)
        if table.num_rows != meta["rows"]:
            return None
        holder = [table]
        del table
        frame = holder.pop().to_pandas(self_destruct=True, split_blocks=True)
        if list(frame.columns) != meta["frame_columns"]:
            return None
        for column, categories_dtype in meta["category_dtypes"].items():
            values = frame[column]
            if (
                len(values.cat.categories) == 0
                and str(values.cat.categories.dtype) != categories_dtype
            ):
                # no categories (all missing): Parquet cannot tell str from object
                empty = pd.Index([], dtype=categories_dtype)
                frame[column] = values.cat.set_categories(empty)
        if [str(t) for t in frame.dtypes] != meta["dtypes"]:
            return None
        problems = pd.DataFrame(meta["problems"], columns=list(PROBLEM_COLUMNS))
        problems["rows"] = problems["rows"].astype("int64")
        if problems.empty:
            problems = _Problems().frame()
        result = LoadResult(
            frame=frame,
            kind=meta["kind"],
            mapping=meta["mapping"],
            problems=problems,
            encoding=meta["encoding"],
            source_name=name,
            format=meta["format"],
            columns=list(meta["columns"]),
            file_rows=meta["file_rows"],
        )
    except Exception:  # a damaged copy is a miss: loaded again and rewritten
        return None
    try:
        os.utime(meta_path)  # most recently used
    except OSError:
        pass
    return result


def _write_copy(result: LoadResult, parquet: Path, meta_path: Path, digest, variant) -> bool:
    """Write the copy atomically (temporary files renamed into place); False if not possible."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    problems = [
        {
            "level": row["level"],
            "code": row["code"],
            "column": None if _is_missing(row["column"]) else row["column"],
            "rows": int(row["rows"]),
            "message": row["message"],
            "params": row["params"],
        }
        for row in result.problems.to_dict("records")
    ]
    meta = {
        "digest": digest,
        "variant": variant,
        "loader": LOADER_VERSION,
        "rows": len(result.frame),
        "frame_columns": [str(c) for c in result.frame.columns],
        "dtypes": [str(t) for t in result.frame.dtypes],
        "category_dtypes": {
            str(c): str(result.frame[c].cat.categories.dtype)
            for c, t in result.frame.dtypes.items()
            if isinstance(t, pd.CategoricalDtype)
        },
        "kind": result.kind,
        "mapping": result.mapping,
        "problems": problems,
        "encoding": result.encoding,
        "format": result.format,
        "columns": list(result.columns),
        "file_rows": result.file_rows,
    }
    if not _json_round_trips(meta):  # a value JSON cannot hold exactly: do not cache
        return False
    token = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp_parquet = parquet.with_name(f".{parquet.name}.{token}.tmp")
    tmp_meta = meta_path.with_name(f".{meta_path.name}.{token}.tmp")
    try:
        parquet.parent.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(result.frame, preserve_index=False)
        pq.write_table(table, tmp_parquet, compression="zstd")
        del table
        tmp_meta.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp_parquet, parquet)
        os.replace(tmp_meta, meta_path)  # the JSON last: a copy counts once both are in place
    except Exception:  # full disk, read-only folder, a frame Arrow cannot write: no copy
        for path in (tmp_parquet, tmp_meta):
            try:
                path.unlink()
            except OSError:
                pass
        return False
    return True


def _prune(folder: Path, max_bytes: int, keep: tuple[Path, ...]) -> None:
    """Remove least recently used copies until the folder holds at most ``max_bytes``."""
    try:
        metas = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        total = 0
        for meta_path in metas:
            parquet = meta_path.with_suffix(".parquet")
            size = meta_path.stat().st_size + (parquet.stat().st_size if parquet.exists() else 0)
            total += size
            if total > max_bytes and parquet not in keep:
                parquet.unlink(missing_ok=True)
                meta_path.unlink(missing_ok=True)
    except OSError:
        pass


def load_cached(
    source,
    mapping: dict | None = None,
    *,
    kind: str | None = None,
    encoding: str | None = None,
    sheet=None,
    cache_dir=None,
    progress=None,
    digest: str | None = None,
    max_bytes: int = CACHE_MAX_BYTES,
) -> LoadResult:
    """:func:`load`, served from a Parquet copy when the same bytes were loaded the same way before.

    The copy is ``<cache_dir>/<sha256 of the bytes>-<variant>.parquet`` (the
    canonical frame) beside a ``.json`` of the same name (kind, problems
    report, mapping used, encoding, format, source headers); ``variant``
    hashes the mapping, ``kind``, ``encoding``, ``sheet``, :data:`LOADER_VERSION`
    and the pandas version. Files are written to temporary names and renamed
    into place. A missing, stale, damaged or unreadable copy is a miss: the
    file is loaded with :func:`load` and the copy rewritten. Failing to write
    a copy (full disk, read-only folder) is not an error either.

    Parameters
    ----------
    source, mapping, kind, encoding, sheet
        As for :func:`load`.
    cache_dir : str or Path, optional
        Folder of the copies (created when missing); None: :func:`default_cache_dir`.
    progress : callable, optional
        ``progress(stage, fraction)`` as for :func:`load`. A hit reports
        ``"cached"`` then ``"done"``; a miss reports the stages of
        :func:`load`, then ``"saving"`` before ``"done"``.
    digest : str, optional
        :func:`content_digest` of ``source`` when the caller already has it
        (hashing 600 MB takes about a second).
    max_bytes : int
        Least recently used copies beyond this total size are removed after a write.

    Returns
    -------
    LoadResult
        Equal to ``load(source, mapping, kind=kind, encoding=encoding,
        sheet=sheet)``: same frame (columns, dtypes, values, index), kind,
        mapping, problems, encoding, format and headers; ``source_name`` is
        the name of this ``source``.

    Raises
    ------
    LoadError
        As :func:`load` (a file that cannot be loaded is never cached).

    Notes
    -----
    The key is ``sha256(bytes) + "-" + sha256(json(mapping, kind, encoding,
    sheet, LOADER_VERSION, layout, pandas version))[:16]``: other bytes,
    another mapping or a new loader version miss.
    """
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    name = _source_name(source)
    if isinstance(source, (bytes, bytearray, memoryview)) or (
        hasattr(source, "read") and not isinstance(source, (str, Path))
    ):
        data, name = _source_bytes(source)  # read a stream once; bytes are not copied
        source = io.BytesIO(data)
        source.name = name
    if digest is None:
        digest = content_digest(source)
    variant = _variant(mapping, kind, encoding, sheet)
    stem = f"{digest}-{variant}"
    parquet, meta_path = folder / f"{stem}.parquet", folder / f"{stem}.json"
    if progress is not None:
        progress("cached", STAGE_FRACTIONS["cached"])
    result = _read_copy(parquet, meta_path, digest, variant, name)
    if result is not None:
        if progress is not None:
            progress("done", 1.0)
        return result

    def relay(stage, fraction):
        if stage != "done" and progress is not None:
            progress(stage, fraction)

    result = load(source, mapping, kind=kind, encoding=encoding, sheet=sheet, progress=relay)
    result.source_name = name
    if progress is not None:
        progress("saving", STAGE_FRACTIONS["saving"])
    if _write_copy(result, parquet, meta_path, digest, variant):
        _prune(folder, max_bytes, keep=(parquet,))
    if progress is not None:
        progress("done", 1.0)
    return result
