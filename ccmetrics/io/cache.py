"""The Parquet copy of a load keyed by the content of its source: :func:`load_cached`.

The copies hold the content of the users' uploads, so the cache is private: its folder is
``0700`` and every file ``0600`` (created so, never widened afterwards), and a folder that
belongs to another user is never read or written. Each copy has a checksum file beside it
(``sha256sum`` format) that is checked before the copy is served: a copy whose bytes were
changed, truncated or swapped is loaded again from the source and rewritten, never used.
"""

from __future__ import annotations

import hashlib
import io
import json
import mmap
import os
import stat
import time
import uuid
from pathlib import Path

import pandas as pd

from ccmetrics.io.loader import STAGE_FRACTIONS, load
from ccmetrics.io.problems import PROBLEM_COLUMNS, LoadResult, _Problems
from ccmetrics.io.read import _source_bytes

__all__ = [
    "load_cached",
    "cached_copy",
    "source_digest",
    "content_digest",
    "default_cache_dir",
    "LOADER_VERSION",
    "CACHE_ENV",
    "CACHE_MAX_BYTES",
    "CACHE_DIR_MODE",
    "CACHE_FILE_MODE",
    "STAT_INDEX_SUFFIX",
    "SETTLE_NS",
    "SETTLE_WHOLE_SECONDS_NS",
]

#: Version of what :func:`load` returns for given bytes and mapping. It is part
#: of every :func:`load_cached` key: bump it with any change of the loader that
#: changes a frame, a problems report or a mapping, so no stale copy is served.
LOADER_VERSION = 5

#: Folder used by :func:`default_cache_dir`: ``$CCMETRICS_CACHE_DIR`` or ``~/.cache/ccmetrics``.
CACHE_ENV = "CCMETRICS_CACHE_DIR"

#: :func:`load_cached` removes the least recently used copies beyond this many bytes.
CACHE_MAX_BYTES = 8 << 30

#: Permissions of the cache folder and of every file in it: the owner's only.
CACHE_DIR_MODE = 0o700
CACHE_FILE_MODE = 0o600

#: 2: a ``.sha256`` checksum file beside each copy, checked before it is served.
_CACHE_LAYOUT = 2


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


def _private_folder(folder: Path) -> bool:
    """Make ``folder`` a private cache folder (created ``0700``); False when it cannot be one.

    An existing folder of this user with wider permissions (a cache of an earlier version)
    is narrowed to ``0700``. A folder of another user, a shared one (world-writable or
    sticky, such as ``/tmp``: not ours to narrow) or a path that is not a folder is not
    used at all: the load goes on without a copy.
    """
    try:
        folder.mkdir(mode=CACHE_DIR_MODE, parents=True, exist_ok=True)
        if os.name != "posix":  # no owner and mode bits to check (the user's profile is private)
            return folder.is_dir()
        info = folder.stat()
        if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
            return False
        if info.st_mode & (stat.S_IWOTH | stat.S_ISVTX):
            return False
        if stat.S_IMODE(info.st_mode) != CACHE_DIR_MODE:
            os.chmod(folder, CACHE_DIR_MODE)
            return stat.S_IMODE(folder.stat().st_mode) == CACHE_DIR_MODE
    except OSError:
        return False
    return True


def _write_private(path: Path, data) -> None:
    """Write ``data`` to a new file created with :data:`CACHE_FILE_MODE` (never an existing one)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    descriptor = os.open(path, flags, CACHE_FILE_MODE)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def _sha256(data) -> str:
    return hashlib.sha256(memoryview(data)).hexdigest()


def _checksum_text(parquet: Path, parquet_sum: str, meta_path: Path, meta_sum: str) -> str:
    """The checksum file: ``sha256sum`` lines, so ``sha256sum -c`` can check a copy by hand."""
    return f"{parquet_sum}  {parquet.name}\n{meta_sum}  {meta_path.name}\n"


def _read_checksums(path: Path) -> dict[str, str]:
    """``{file name: sha256}`` of a checksum file (at most a few hundred bytes are read)."""
    with open(path, "rb") as handle:
        text = handle.read(4096).decode("ascii")
    sums = {}
    for line in text.splitlines():
        digest, _, name = line.partition("  ")
        if len(digest) == 64 and name:
            sums[name] = digest
    return sums


def _discard(*paths: Path) -> None:
    for path in paths:
        try:
            path.unlink()
        except OSError:
            pass


def _copy_paths(folder: Path, digest: str, variant: str) -> tuple[Path, Path, Path]:
    """The copy of these bytes loaded this way: its rows (``.parquet``), its description
    (``.json``) and the checksums of both (``.sha256``)."""
    stem = f"{digest}-{variant}"
    return folder / f"{stem}.parquet", folder / f"{stem}.json", folder / f"{stem}.sha256"


def _checked_meta(meta_path: Path, sums: dict[str, str]) -> dict | None:
    """The copy's description, None when its bytes fail the checksum stored beside it."""
    meta_bytes = meta_path.read_bytes()
    if _sha256(meta_bytes) != sums.get(meta_path.name):
        return None
    return json.loads(meta_bytes.decode("utf-8"))


def _describes(meta: dict, digest: str, variant: str) -> bool:
    """Whether the description is of these bytes, loaded this way, by this loader."""
    return (
        meta.get("digest") == digest
        and meta.get("variant") == variant
        and meta.get("loader") == LOADER_VERSION
    )


def _read_copy(
    parquet: Path, meta_path: Path, check_path: Path, digest: str, variant: str, name: str
):
    """The cached :class:`LoadResult`, or None when the copy is missing, stale, unreadable,
    or fails its checksum (then it is removed, to be rewritten by the caller)."""
    if not (parquet.is_file() and meta_path.is_file() and check_path.is_file()):
        return None
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq

        sums = _read_checksums(check_path)
        meta = _checked_meta(meta_path, sums)
        if meta is None:
            _discard(check_path, meta_path, parquet)
            return None
        if not _describes(meta, digest, variant):
            return None
        # the bytes hashed are the bytes parsed: read once, checked, then decoded
        with open(parquet, "rb") as handle:
            blob = handle.read()
        if _sha256(blob) != sums.get(parquet.name):
            del blob
            _discard(check_path, meta_path, parquet)
            return None
        table = pq.read_table(pa.py_buffer(blob))
        del blob
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


def _write_copy(
    result: LoadResult, parquet: Path, meta_path: Path, check_path: Path, digest, variant
) -> bool:
    """Write the copy and its checksums atomically (private temporary files renamed into
    place, the checksum file last); False if not possible."""
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
    tmp_check = check_path.with_name(f".{check_path.name}.{token}.tmp")
    try:
        sink = pa.BufferOutputStream()
        table = pa.Table.from_pandas(result.frame, preserve_index=False)
        pq.write_table(table, sink, compression="zstd")
        del table
        blob = sink.getvalue()
        meta_bytes = json.dumps(meta, ensure_ascii=False).encode("utf-8")
        sums = _checksum_text(parquet, _sha256(blob), meta_path, _sha256(meta_bytes))
        _write_private(tmp_parquet, blob)
        del blob
        _write_private(tmp_meta, meta_bytes)
        _write_private(tmp_check, sums.encode("ascii"))
        os.replace(tmp_parquet, parquet)
        os.replace(tmp_meta, meta_path)
        os.replace(tmp_check, check_path)  # last: a copy counts once its checksums are in place
    except Exception:  # full disk, read-only folder, a frame Arrow cannot write: no copy
        _discard(tmp_parquet, tmp_meta, tmp_check)
        return False
    return True


def _prune(folder: Path, max_bytes: int, keep: tuple[Path, ...]) -> None:
    """Remove least recently used copies until the folder holds at most ``max_bytes``."""
    try:
        metas = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        total = 0
        for meta_path in metas:
            parquet = meta_path.with_suffix(".parquet")
            check_path = meta_path.with_suffix(".sha256")
            size = meta_path.stat().st_size + (parquet.stat().st_size if parquet.exists() else 0)
            total += size
            if total > max_bytes and parquet not in keep:
                parquet.unlink(missing_ok=True)
                meta_path.unlink(missing_ok=True)
                check_path.unlink(missing_ok=True)
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
    report, mapping used, encoding, format, source headers) and a ``.sha256``
    holding the SHA-256 of both; ``variant`` hashes the mapping, ``kind``,
    ``encoding``, ``sheet``, :data:`LOADER_VERSION` and the pandas version.
    The folder is private (:data:`CACHE_DIR_MODE`, narrowed if it was wider;
    another user's folder is not used) and every file is created
    :data:`CACHE_FILE_MODE`, under a temporary name renamed into place. A copy
    is served only when the bytes read match its checksums; a missing, stale,
    damaged, truncated or tampered copy is a miss: the file is loaded with
    :func:`load` and the copy rewritten. Failing to write a copy (full disk,
    read-only folder) is not an error either.

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
    parquet, meta_path, check_path = _copy_paths(folder, digest, variant)
    if progress is not None:
        progress("cached", STAGE_FRACTIONS["cached"])
    private = _private_folder(folder)
    result = _read_copy(parquet, meta_path, check_path, digest, variant, name) if private else None
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
    if private and _write_copy(result, parquet, meta_path, check_path, digest, variant):
        _prune(folder, max_bytes, keep=(parquet,))
    if progress is not None:
        progress("done", 1.0)
    return result


# --------------------------------------------------------------------------- re-opening a copy

#: Suffix of the stat index entries kept in the cache folder (one small JSON file per file).
STAT_INDEX_SUFFIX = ".stat"

#: A file whose last change is more recent than this is hashed but not remembered (see
#: :func:`source_digest`): 0.1 s on a file system with sub-second times, 3 s when both its
#: times are whole seconds (1-second and FAT's 2-second file systems).
SETTLE_NS = 100_000_000
SETTLE_WHOLE_SECONDS_NS = 3_000_000_000


def _identity(info: os.stat_result) -> dict:
    """What the stat index compares: which file (device, inode) and its state (size, times)."""
    return {
        "dev": info.st_dev,
        "ino": info.st_ino,
        "size": info.st_size,
        "mtime_ns": info.st_mtime_ns,
        "ctime_ns": info.st_ctime_ns,
    }


def _settled(info: os.stat_result, now_ns: int) -> bool:
    """Whether the file's times are old enough that a later change must change them."""
    whole = info.st_mtime_ns % 1_000_000_000 == 0 and info.st_ctime_ns % 1_000_000_000 == 0
    window = SETTLE_WHOLE_SECONDS_NS if whole else SETTLE_NS
    return now_ns - max(info.st_mtime_ns, info.st_ctime_ns) > window


def _index_entry(folder: Path, path: Path) -> Path:
    key = hashlib.sha256(os.fsencode(str(path))).hexdigest()[:32]
    return folder / f"{key}{STAT_INDEX_SUFFIX}"


def source_digest(source, cache_dir=None) -> str:
    """:func:`content_digest` of a file, remembered by its stat so that re-opening does not hash it.

    Parameters
    ----------
    source : str or Path
        A file. Anything else (bytes, a stream) is hashed as :func:`content_digest` does.
    cache_dir : str or Path, optional
        Folder of the stat index (the cache folder); None: :func:`default_cache_dir`.

    Returns
    -------
    str
        The SHA-256 of the file's bytes (64 hexadecimal digits).

    Notes
    -----
    Hashing is what makes a re-open slow: about a second for 600 MB. The index maps a
    file's identity and state — path, device, inode, size, modification and change times
    in nanoseconds — to the digest of its bytes, one small JSON file per path in the
    private cache folder. A file whose stat equals the remembered one is not read; any
    other stat means the file is hashed again (and the entry rewritten). This is the
    check ``make``, ``rsync`` and git's index rely on, made stricter by two choices:

    * the change time (``ctime``) is compared besides the modification time: writing a
      file sets it and no user can set it back, so content rewritten in place with the same
      size and its old ``mtime`` restored (``touch -d``, ``cp -p``) is still seen;
    * a file is remembered only once it has *settled*: its last change lies more than
      :data:`SETTLE_NS` before the hash (:data:`SETTLE_WHOLE_SECONDS_NS` when its times are
      whole seconds, as on coarse file systems). A write just after the stat, within the
      same tick of the file system's clock, could leave the stat unchanged ("racy git");
      such a file is hashed at every open until it is old enough. The stat is taken
      before and after hashing, and a file that changed meanwhile is not remembered.

    A file system whose clock runs behind this machine's (a network share) could make a
    fresh file look settled: the index trusts the times it is given, as ``make`` does.
    """
    if not isinstance(source, (str, Path)):
        return content_digest(source)
    path = Path(source).absolute()
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    try:
        info = os.stat(path)
    except OSError:
        return content_digest(path)  # raises the file's own error
    private = stat.S_ISREG(info.st_mode) and _private_folder(folder)
    entry = _index_entry(folder, path) if private else None
    if entry is not None:
        try:
            known = json.loads(entry.read_bytes().decode("utf-8"))
            if known.get("path") == str(path) and known.get("stat") == _identity(info):
                digest = known.get("sha256")
                if isinstance(digest, str) and len(digest) == 64:
                    return digest
        except (OSError, ValueError, AttributeError):
            pass  # no entry, or a damaged one: hashed and rewritten
    digest = content_digest(path)
    if entry is None:
        return digest
    try:
        after = os.stat(path)
    except OSError:
        return digest
    if _identity(after) != _identity(info) or not _settled(info, time.time_ns()):
        return digest
    text = json.dumps({"path": str(path), "stat": _identity(info), "sha256": digest})
    token = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    temporary = entry.with_name(f".{entry.name}.{token}.tmp")
    try:
        _write_private(temporary, text.encode("utf-8"))
        os.replace(temporary, entry)
    except OSError:
        _discard(temporary)
    return digest


def cached_copy(
    source,
    mapping: dict | None = None,
    *,
    kind: str | None = None,
    encoding: str | None = None,
    sheet=None,
    cache_dir=None,
    digest: str | None = None,
) -> Path | None:
    """The Parquet copy :func:`load_cached` wrote for this file loaded this way, or None.

    For an engine that reads Parquet itself (``ccmetrics.engine.Dataset``): the copy is
    opened where it lies, no pandas frame is built and nothing is read twice.

    Parameters
    ----------
    source : str or Path
        The file that was loaded (a stream or bytes: None).
    mapping, kind, encoding, sheet
        As given to :func:`load_cached` (they choose the copy, as there).
    cache_dir : str or Path, optional
        Folder of the copies; None: :func:`default_cache_dir`.
    digest : str, optional
        :func:`content_digest` of ``source`` when the caller has it; by default
        :func:`source_digest` (no hashing when the file's stat is remembered).

    Returns
    -------
    Path or None
        The ``.parquet`` copy of canonical rows (the frame of
        ``load(source, mapping, ...)``, written by ``pyarrow`` with its pandas metadata),
        when a copy for the file's current bytes exists, its description (``.json``)
        matches this load and the copy's bytes match the checksum stored beside it
        (the copy itself is checked through :func:`source_digest`, so an unchanged copy
        is not hashed again). None otherwise: load with :func:`load_cached`.

    Notes
    -----
    The copy's description (kind, problems report, row accounting) stays beside it, as
    :func:`load_cached` serves it; this function gives only the rows' file.
    """
    if not isinstance(source, (str, Path)) or not Path(source).is_file():
        return None
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    if not _private_folder(folder):
        return None
    if digest is None:
        digest = source_digest(source, folder)
    variant = _variant(mapping, kind, encoding, sheet)
    parquet, meta_path, check_path = _copy_paths(folder, digest, variant)
    try:
        sums = _read_checksums(check_path)
        meta = _checked_meta(meta_path, sums)
        if meta is None or not _describes(meta, digest, variant):
            return None
        if source_digest(parquet, folder) != sums.get(parquet.name):
            return None
        os.utime(meta_path)  # most recently used, as a load from the copy marks it
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    return parquet
