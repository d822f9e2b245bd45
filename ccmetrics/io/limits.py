"""Resource limits of the loader: how much it reads from a stream, unpacks from an
archive, and how large a worksheet it hands to the Excel reader.

The limits are checked while reading and unpacking (never trusting sizes a
header declares), so a 3 MB gzip that unpacks to 3 GB, an endless stream or
``/dev/zero`` end with a :class:`~ccmetrics.io.problems.LoadError` within
seconds instead of exhausting the server's memory.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from ccmetrics.io.problems import LoadError

__all__ = ["MAX_SOURCE_BYTES", "MAX_UNPACKED_BYTES", "MAX_EXCEL_CELLS", "MAX_NESTING"]

#: Most bytes read from a stream or a special file (a pipe, a device), and the
#: largest upload: the app's ``server.maxUploadSize`` (1,024 MB) is this limit.
#: A regular file given by path is memory-mapped and not limited here.
MAX_SOURCE_BYTES = 1 << 30

#: Most bytes one file may unpack to (gzip, zip, a worksheet of an .xlsx): what
#: the loader can hold (a 1 GiB CSV loads in about 4 GB, DESIGN.md, PERFORMANCE.md).
MAX_UNPACKED_BYTES = 1 << 30

#: Most cells (rows x columns of the used range) a worksheet may span before it
#: is handed to the Excel reader, which allocates every cell of the range (about
#: 32 bytes each): 25 million cells are about 800 MB. One cell at XFD1048576
#: spans 17 billion cells (512 GiB).
MAX_EXCEL_CELLS = 25_000_000

#: Most layers of compression unpacked (gzip in gzip in zip ...).
MAX_NESTING = 4

_READ_CHUNK = 1 << 20
#: Bytes unpacked per step while checking the unpacked size.
_UNPACK_STEP = 8 << 20


def too_large(name: str, what: str, limit: int) -> LoadError:
    """The LoadError of a source beyond a limit; ``what`` is ``"file"`` or ``"unpacked"``."""
    megabytes = limit >> 20
    text = (
        f"{name}: the file unpacks to more than {megabytes:,} MB, more than the loader can hold."
        if what == "unpacked"
        else f"{name}: the file is larger than {megabytes:,} MB, more than the loader can hold."
    )
    return LoadError(
        text + " Needed: a smaller export (fewer days or columns), or a split file.",
        "too_large",
        {"file": name, "limit_mb": megabytes, "what": what},
    )


def looks_binary_head(head: bytes) -> bool:
    """True when the first bytes of a stream are binary: NUL bytes in most of it
    and not the every-other-byte zeros of UTF-16 text, or mostly control bytes."""
    if not head:
        return False
    zeros = head.count(0)
    if zeros > 0.9 * len(head):
        return True
    controls = sum(1 for b in head if b < 9 or 13 < b < 32)
    odd, even = head[1::2].count(0), head[0::2].count(0)
    utf16 = max(odd, even) > 0.3 * len(head) / 2 and min(odd, even) < 0.05 * len(head) / 2
    return not utf16 and (zeros > 0.001 * len(head) or controls > 0.05 * len(head))


def read_capped(handle, name: str, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """Read a stream piece by piece, at most ``limit`` bytes.

    A stream whose first MiB is binary (``/dev/zero``, ``/dev/urandom``) is
    refused at once rather than read to the limit.
    """
    from ccmetrics.io.read import _not_a_table

    out = bytearray()
    while True:
        chunk = handle.read(min(_READ_CHUNK, limit + 1 - len(out)))
        if isinstance(chunk, str):
            chunk = chunk.encode("utf-8")
        if not chunk:
            break
        out += chunk
        if len(out) > limit:
            raise too_large(name, "file", limit)
        if len(out) >= _READ_CHUNK and len(out) - len(chunk) < _READ_CHUNK:
            if looks_binary_head(bytes(out[:_READ_CHUNK])):
                raise _not_a_table(name)
    return bytes(out)


def read_path_capped(path: Path, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """The bytes of a path that is not a regular file (a device, a pipe), capped."""
    with open(path, "rb") as handle:
        return read_capped(handle, path.name, limit)


def gunzip_capped(data, name: str, limit: int = MAX_UNPACKED_BYTES) -> bytes:
    """Unpack gzip data (every member of a multi-member file), at most ``limit`` bytes.

    The input is fed :data:`_READ_CHUNK` bytes at a time and the output taken
    :data:`_UNPACK_STEP` bytes at a time, so a bomb stops at the limit having
    held no more than the limit, and no step copies the rest of a large input.
    """
    damaged = LoadError(f"{name}: a damaged gzip file.", "unreadable_file", {"file": name})
    view = memoryview(data)
    position = 0
    pieces: list[bytes] = []  # joined once at the end: a growing buffer copies again and again
    size = 0
    inflater = zlib.decompressobj(wbits=31)
    tail: bytes | memoryview = b""
    while True:
        if not tail and position < len(view):
            tail = view[position : position + _READ_CHUNK]
            position += len(tail)
        try:
            piece = inflater.decompress(tail, _UNPACK_STEP)
        except zlib.error:
            raise damaged from None
        pieces.append(piece)
        size += len(piece)
        if size > limit:
            raise too_large(name, "unpacked", limit)
        if inflater.eof:
            rest = inflater.unused_data + bytes(view[position : position + 2])
            if rest[:2] != b"\x1f\x8b":
                break  # the last member (trailing bytes are ignored, as gzip does)
            tail = inflater.unused_data
            inflater = zlib.decompressobj(wbits=31)
            continue
        tail = inflater.unconsumed_tail
        if not tail and position >= len(view) and not piece:
            raise damaged  # the data ends inside a member: truncated
    return b"".join(pieces)


def iter_member_capped(archive, member, name: str, limit: int = MAX_UNPACKED_BYTES):
    """The unpacked bytes of one zip member, piece by piece; at most ``limit`` in all.

    The size the archive declares is checked first, and the bytes counted while
    they are unpacked (a member that lies about its size fails its CRC check).
    """
    import zipfile

    info = archive.getinfo(member) if isinstance(member, str) else member
    if info.flag_bits & 0x1:
        raise LoadError(
            f"{name}: the archive is password-protected. Needed: an archive without a "
            "password (or the file itself).",
            "password_protected",
            {"file": name},
        )
    if info.file_size > limit:
        raise too_large(name, "unpacked", limit)
    total = 0
    try:
        with archive.open(info) as handle:
            while True:
                chunk = handle.read(min(_READ_CHUNK, limit + 1 - total))
                if not chunk:
                    break
                total += len(chunk)
                if total > limit:
                    raise too_large(name, "unpacked", limit)
                yield chunk
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
        raise LoadError(
            f"{name}: a damaged or unsupported zip archive ({exc.__class__.__name__}).",
            "unreadable_file",
            {"file": name},
        ) from None


def read_member_capped(archive, member, name: str, limit: int = MAX_UNPACKED_BYTES) -> bytes:
    """One member of a zip archive, read piece by piece, at most ``limit`` bytes."""
    return b"".join(iter_member_capped(archive, member, name, limit))
