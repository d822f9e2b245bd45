"""Column mapping: header matching (:func:`guess_kind`, :func:`guess_mapping`), mapping JSON files
(:func:`save_mapping`, :func:`read_mapping`), their schema (:func:`validate_mapping`,
:class:`MappingError`) and the check that a mapping names a time column.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import unicodedata
from pathlib import Path

from ccmetrics.io.parse import offset_minutes
from ccmetrics.io.problems import LoadError
from ccmetrics.io.synonyms import (
    _CALL_INPUT_KEYS,
    _ID_PARTNER_WORDS,
    _INTERVAL_INPUT_KEYS,
    _INTERVAL_ONLY,
    _UNIT_WORDS,
    SYNONYMS,
)
from ccmetrics.schema import DIMENSIONS

__all__ = [
    "guess_kind",
    "guess_mapping",
    "save_mapping",
    "read_mapping",
    "validate_mapping",
    "MappingError",
    "MAPPING_OPTIONS",
    "MAPPING_MAX_BYTES",
    "MAPPING_MAX_DEPTH",
    "chinese_header",
]


def chinese_header(key: str, kind: str = "calls") -> str:
    """The first Chinese header the loader reads as ``key``: the example a message gives.

    Examples
    --------
    >>> chinese_header("wait_s") in SYNONYMS["calls"]["wait_s"]
    True
    """
    for header in SYNONYMS[kind][key]:
        if any(unicodedata.name(char, "").startswith("CJK") for char in header):
            return header
    raise KeyError(f"{key} has no Chinese synonym")


_UNIT_GROUP = "|".join(sorted((re.escape(u) for u in _UNIT_WORDS), key=len, reverse=True))
_UNIT_PAREN = re.compile(r"\s*[\(\[（【]\s*(" + _UNIT_GROUP + r")\s*[\)\]）】]\s*$")
_UNIT_SUFFIX = re.compile(
    r"[\s_\.\-](ms|msec|millis|milliseconds|s|sec|secs|seconds|min|mins|minutes|hrs|hours)$"
)
_UNIT_IN = re.compile(r"\s+in\s+(ms|milliseconds|s|sec|secs|seconds|min|mins|minutes|hours)$")


def _key(text: str) -> str:
    """Case- and punctuation-free form of a header (CJK characters kept)."""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    return re.sub(r"[\W_]+", "", text)


def _split_unit(header: str) -> tuple[str, str | None]:
    """Return (key without a unit suffix, unit or None)."""
    text = unicodedata.normalize("NFKC", str(header)).strip().lower()
    for pattern in (_UNIT_PAREN, _UNIT_IN, _UNIT_SUFFIX):
        match = pattern.search(text)
        if match and match.start() > 0:
            return _key(text[: match.start()]), _UNIT_WORDS.get(match.group(1))
    for word, unit in (("毫秒", "ms"), ("秒", "s"), ("分钟", "min")):
        if text.endswith(word) and len(text) > len(word):
            return _key(text[: -len(word)]), unit
    return _key(text), None


def _build_index(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, int]]:
    index: dict[str, tuple[str, int]] = {}
    for canonical, names in table.items():
        for rank, name in enumerate(names):
            index.setdefault(_key(name), (canonical, rank))
    for canonical in table:  # a canonical name always means itself, before any synonym
        index[_key(canonical)] = (canonical, -1)
    return index


_INDEX = {kind: _build_index(table) for kind, table in SYNONYMS.items()}


def _match(columns: list[str], kind: str) -> dict[str, str]:
    """Map canonical keys to the best-ranked source column for one kind."""
    index = _INDEX[kind]
    best: dict[str, tuple[int, int, str]] = {}
    for position, column in enumerate(columns):
        base, _unit = _split_unit(column)
        full = _key(column)
        for candidate in (full, base):
            if candidate in index:
                canonical, rank = index[candidate]
                current = best.get(canonical)
                if current is None or (rank, position) < current[:2]:
                    best[canonical] = (rank, position, column)
                break
    return {canonical: column for canonical, (_r, _p, column) in best.items()}


def guess_kind(columns) -> str:
    """Guess whether headers describe call-level records or interval counts.

    Parameters
    ----------
    columns : iterable of str
        Source headers.

    Returns
    -------
    str
        ``"calls"`` or ``"intervals"``.

    Notes
    -----
    Intervals when the interval synonyms find an offered-calls count, or both
    an answered and an abandoned count, and the call synonyms find no call id.

    Examples
    --------
    >>> guess_kind(["row_date", "starttime", "callsoffered", "acdcalls"])
    'intervals'
    >>> guess_kind(["Call Id", "Date", "Time", "Answered (Y/N)"])
    'calls'
    """
    columns = [str(c) for c in columns]
    calls = _match(columns, "calls")
    intervals = _match(columns, "intervals")
    if "call_id" in calls:
        return "calls"
    if "offered" in intervals or {"answered", "abandoned"} <= set(intervals):
        return "intervals"
    if len(set(intervals) & _INTERVAL_ONLY) >= 2 and not ({"wait_s", "talk_s"} & set(calls)):
        return "intervals"
    return "calls"


def guess_mapping(columns, kind: str | None = None) -> dict:
    """Map source headers to canonical columns from :data:`SYNONYMS`.

    Parameters
    ----------
    columns : iterable of str
        Source headers.
    kind : {"calls", "intervals"}, optional
        Use the synonyms of this kind; guessed with :func:`guess_kind` if None.

    Returns
    -------
    dict
        ``{canonical: source_column}``; ``arrived_at``/``interval_start`` may
        be ``[date_column, time_column]`` when the export splits them.

    Notes
    -----
    Matching is case-, space- and punctuation-insensitive and ignores unit
    suffixes. When several columns match one key, the one matching the
    earlier synonym wins, then the leftmost column.

    Examples
    --------
    >>> guess_mapping(["Call Id", "Date", "Time", "Speed of answer in seconds"])
    {'call_id': 'Call Id', 'wait_s': 'Speed of answer in seconds', 'arrived_at': ['Date', 'Time']}
    """
    columns = [str(c) for c in columns]
    kind = kind or guess_kind(columns)
    matched = _match(columns, kind)
    if kind == "calls":
        start, date_key, time_key = "arrived_at", "arrival_date", "arrival_time"
    else:
        start, date_key, time_key = "interval_start", "interval_date", "interval_time"
    date_col = matched.pop(date_key, None)
    time_col = matched.pop(time_key, None)
    if start not in matched:
        if date_col and time_col:
            matched[start] = [date_col, time_col]
        elif date_col or time_col:
            matched[start] = date_col or time_col
    elif date_col and kind == "calls":
        # a "start time" column may hold only the clock time: load() checks the values
        matched["arrival_date"] = date_col
    if kind == "intervals" and start in matched:
        matched.pop("day_index", None)
    return matched


#: A clock time of day: ``7:02:47``, ``09:15``, ``9:15:00.250``, ``2:05 PM``.
_CLOCK_CELL = re.compile(r"\s*\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s*[AaPp]\.?[Mm]\.?)?\s*")
#: A date without a time of day (a midnight clock allowed, as Excel writes dates):
#: ISO, day/month orders, YYMMDD, YYYYMMDD, 2024年1月31日.
_DATE_CELL = re.compile(
    r"\s*(\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{6}|\d{8}"
    r"|\d{4}年\d{1,2}月\d{1,2}日?)(\s+0?0:00(:00)?)?\s*"
)


def _share_matching(cells: list[str], pattern: re.Pattern) -> float:
    """Share of the non-blank ``cells`` that ``pattern`` matches whole (0 when none is filled)."""
    filled = [str(c) for c in cells if str(c).strip()]
    if not filled:
        return 0.0
    return sum(1 for c in filled if pattern.fullmatch(c)) / len(filled)


def _mapped_columns(used: dict) -> set[str]:
    """Every source column a mapping uses."""
    out: set[str] = set()
    for value in used.values():
        out.update(value if isinstance(value, list) else [value])
    return out


def _complete_arrival(used: dict, columns: list[str], sample) -> dict:
    """An automatic calls mapping whose arrival time is a date alone, given its time of day.

    Parameters
    ----------
    used : dict
        The mapping from :func:`guess_mapping`.
    columns : list of str
        Source headers.
    sample : callable
        ``sample(column) -> list of str``: the first cells of a column.

    Returns
    -------
    dict
        ``used``, with ``arrived_at`` as ``[date_column, time_column]`` when
        ``arrived_at`` holds dates only and a column of clock times is not
        mapped yet (the leftmost such column: exports list the start of a
        call before its later steps); otherwise unchanged.

    Notes
    -----
    A column counts as dates when at least 90 % of its first cells are
    dates without a time of day (:data:`_DATE_CELL`), as clock times when at
    least 90 % are ``h:mm[:ss]`` (:data:`_CLOCK_CELL`) and one of them is past
    the first hour (durations such as ``0:02:14`` are not). A date alone is never
    the arrival time while such a column exists: every call would sit at
    midnight.
    """
    arrival = used.get("arrived_at")
    if not isinstance(arrival, str) or _share_matching(sample(arrival), _DATE_CELL) < 0.9:
        return used
    taken = _mapped_columns(used)
    for column in columns:
        cells = sample(column) if column not in taken else []
        if _share_matching(cells, _CLOCK_CELL) >= 0.9 and _past_the_first_hour(cells):
            completed = dict(used)
            completed["arrived_at"] = [arrival, column]
            completed.pop("arrival_date", None)
            return completed
    return used


def _past_the_first_hour(cells: list[str]) -> bool:
    """True when some clock cell is at 01:00 or later: a column of clock-like
    durations (``0:02:14`` talk times) stays in the first hour, times of day do not."""
    hours = [int(c.strip().split(":")[0]) for c in cells if _CLOCK_CELL.fullmatch(str(c))]
    return any(hour > 0 for hour in hours)


def _id_partners(used: dict, columns: list[str]) -> list[str]:
    """Columns that may make repeated call ids unique, best first.

    Line, trunk, VRU, switch or site columns (:data:`_ID_PARTNER_WORDS` in the
    header), left to right, then the date column of the arrival time. The
    call id column itself is never its own partner.
    """
    call_id = used.get("call_id")
    if not isinstance(call_id, str):
        return []
    partners = [
        column
        for column in columns
        if column != call_id and any(word in _key(column) for word in _ID_PARTNER_WORDS)
    ]
    arrival = used.get("arrived_at")
    date_column = arrival[0] if isinstance(arrival, list) else used.get("arrival_date")
    if isinstance(date_column, str) and date_column not in partners and date_column != call_id:
        partners.append(date_column)
    return partners


def save_mapping(mapping: dict, path_or_file) -> None:
    """Save a mapping (and its options) as JSON.

    Parameters
    ----------
    mapping : dict
        ``{canonical: source_column or [columns]}``, optionally ``"options"``.
    path_or_file : str, Path or file object
        Where to write (text or binary file objects are accepted).

    Returns
    -------
    None

    Examples
    --------
    >>> import io
    >>> buffer = io.StringIO()
    >>> save_mapping({"call_id": "Call Id"}, buffer)
    >>> read_mapping(io.StringIO(buffer.getvalue()))
    {'call_id': 'Call Id'}
    """
    text = json.dumps(mapping, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    if isinstance(path_or_file, (str, Path)):
        Path(path_or_file).write_text(text, encoding="utf-8")
        return
    try:
        path_or_file.write(text)
    except TypeError:
        path_or_file.write(text.encode("utf-8"))


# --------------------------------------------------------------------------
# Mapping files: the schema
# --------------------------------------------------------------------------

#: Largest mapping file read (a mapping saved by the app is a few kilobytes).
MAPPING_MAX_BYTES = 1 << 20

#: Deepest nesting of a valid mapping: ``{"options": {"recode": {key: {old: new}}}}``.
MAPPING_MAX_DEPTH = 4

#: Most columns joined into one composite ``call_id`` / ``customer_id``.
_MAX_KEY_COLUMNS = 8

#: Keys whose value may be ``[date_column, time_column]``.
_PAIR_KEYS = frozenset({"arrived_at", "interval_start", "queued_at", "answered_at"})

#: Keys whose value may be a list of columns joined with ``"-"`` (a composite key).
_COMPOSITE_KEYS = frozenset({"call_id", "customer_id"})

#: The options a mapping may carry (see the module docstring), in documentation order.
MAPPING_OPTIONS = (
    "missing_values",
    "truncate",
    "recode",
    "units",
    "datetime_format",
    "day_index_start",
    "dayfirst",
    "utc_offset",
    "ivr_abandon_before_queue",
)

#: Units a mapping's ``units`` option may name.
_UNIT_NAMES = ("s", "ms", "min", "h", "day")

_FIRST_DAY, _LAST_DAY = "1677-09-22", "2262-04-10"


class MappingError(LoadError):
    """A mapping (file) that cannot be used; ``params["file"]`` names the mapping file.

    A :class:`LoadError`, so callers that handle load failures handle it too; its
    ``code`` is one of ``bad_mapping_file`` and the ``mapping_*`` codes of the module
    docstring, its message the English text of ``error.<code>``.
    """

    def __init__(self, code: str, **params) -> None:
        from ccmetrics import i18n  # the one table of messages (English here)

        super().__init__(i18n.t(f"error.{code}", "en", **params), code, params)


def _found(value) -> str:
    """A value as it is quoted in a message: its JSON, at most 80 characters."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 80 else text[:79] + "…"


def _is_text_list(value, low: int = 1, high: int | None = None) -> bool:
    return (
        isinstance(value, list)
        and low <= len(value) <= (high if high is not None else len(value))
        and all(isinstance(item, str) for item in value)
    )


def _depth(value, limit: int) -> int:
    """Nesting depth of a JSON value, counting no deeper than ``limit + 1``."""
    if limit < 0 or not isinstance(value, (dict, list)):
        return 0
    items = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(item, limit - 1) for item in items), default=0)


def validate_mapping(obj, name: str = "mapping") -> dict:
    """Check a mapping against its schema; return it, or raise :class:`MappingError`.

    Parameters
    ----------
    obj : object
        A mapping as read from JSON: ``{canonical_key: column | [columns] | null}``,
        optionally ``"options"`` (see the module docstring).
    name : str
        The mapping file's name, for the messages.

    Returns
    -------
    dict
        ``obj`` itself, unchanged.

    Raises
    ------
    MappingError
        The first rule broken, checked in this order:

        ==============================  ==================================================
        code                            rule
        ==============================  ==================================================
        mapping_too_deep                at most :data:`MAPPING_MAX_DEPTH` levels of nesting
        bad_mapping_file                a JSON object
        mapping_unknown_key             every key a loader input key or ``options``
        mapping_bad_pair                ``arrived_at``, ``interval_start``, ``queued_at``,
                                        ``answered_at``: a column or [date, time]
        mapping_bad_columns             ``call_id``, ``customer_id``: a column or a list of
                                        1-8 columns
        mapping_bad_column              any other key: a column name (text) or null
        mapping_bad_options             ``options`` an object (or null)
        mapping_unknown_option          option names among :data:`MAPPING_OPTIONS`
        mapping_bad_<option>            each option's value of its documented shape
        ==============================  ==================================================

    Examples
    --------
    >>> validate_mapping({"arrived_at": ["date", "time"], "options": {"dayfirst": True}})
    {'arrived_at': ['date', 'time'], 'options': {'dayfirst': True}}
    """
    if _depth(obj, MAPPING_MAX_DEPTH) > MAPPING_MAX_DEPTH:
        raise MappingError("mapping_too_deep", file=name, limit=MAPPING_MAX_DEPTH)
    if not isinstance(obj, dict):
        raise MappingError("bad_mapping_file", file=name)
    known = _CALL_INPUT_KEYS | _INTERVAL_INPUT_KEYS
    unknown = [str(key) for key in obj if key != "options" and key not in known]
    if unknown:
        raise MappingError(
            "mapping_unknown_key",
            file=name,
            keys=", ".join(unknown),
            known=", ".join(sorted(known)),
        )
    for key, value in obj.items():
        if key == "options" or value is None or isinstance(value, str):
            continue
        if key in _PAIR_KEYS:
            if not _is_text_list(value, 2, 2):
                raise MappingError("mapping_bad_pair", file=name, where=key, found=_found(value))
        elif key in _COMPOSITE_KEYS:
            if not _is_text_list(value, 1, _MAX_KEY_COLUMNS):
                raise MappingError(
                    "mapping_bad_columns",
                    file=name,
                    where=key,
                    found=_found(value),
                    limit=_MAX_KEY_COLUMNS,
                )
        else:
            raise MappingError("mapping_bad_column", file=name, where=key, found=_found(value))
    options = obj.get("options")
    if options is None:
        return obj
    if not isinstance(options, dict):
        raise MappingError("mapping_bad_options", file=name, found=_found(options))
    unknown = [str(option) for option in options if option not in MAPPING_OPTIONS]
    if unknown:
        raise MappingError(
            "mapping_unknown_option",
            file=name,
            options=", ".join(unknown),
            known=", ".join(MAPPING_OPTIONS),
        )
    for option, value in options.items():
        if value is not None:
            _check_option(option, value, name, known)
    return obj


def _check_option(option: str, value, name: str, known) -> None:
    """Raise ``mapping_bad_<option>`` when an option's value is not of its shape."""
    where = f"options.{option}"
    dimensions = ", ".join(DIMENSIONS)

    def fail(at, found, **extra):
        raise MappingError(
            f"mapping_bad_{option}", file=name, where=at, found=_found(found), **extra
        )

    if option == "missing_values":
        if isinstance(value, dict):
            for key, values in value.items():
                if key not in known or not _is_text_list(values, 0):
                    fail(f"{where}.{key}", values)
        elif not _is_text_list(value, 0):
            fail(where, value)
    elif option == "truncate":
        if not isinstance(value, dict):
            fail(where, value, dimensions=dimensions)
        for key, length in value.items():
            if (
                key not in DIMENSIONS
                or isinstance(length, bool)
                or not isinstance(length, int)
                or length < 1
            ):
                fail(f"{where}.{key}", length, dimensions=dimensions)
    elif option == "recode":
        if not isinstance(value, dict):
            fail(where, value, dimensions=dimensions)
        for key, table in value.items():
            if key not in DIMENSIONS or not isinstance(table, dict):
                fail(f"{where}.{key}", table, dimensions=dimensions)
            for old, new in table.items():
                if not isinstance(new, str):
                    fail(f"{where}.{key}.{old}", new, dimensions=dimensions)
    elif option == "units":
        units = ", ".join(_UNIT_NAMES)
        if not isinstance(value, dict):
            fail(where, value, units=units)
        for key, unit in value.items():
            if key not in known or unit not in _UNIT_NAMES:
                fail(f"{where}.{key}", unit, units=units)
    elif option == "datetime_format":
        if not isinstance(value, str) or "%" not in value or len(value) > 200:
            fail(where, value)
    elif option == "day_index_start":
        try:
            day = _dt.date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            day = None
        if (
            day is None
            or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)
            or not _FIRST_DAY <= value <= _LAST_DAY
        ):
            fail(where, value, first=_FIRST_DAY, last=_LAST_DAY)
    elif option in ("dayfirst", "ivr_abandon_before_queue"):
        if not isinstance(value, bool):
            fail(where, value)
    elif option == "utc_offset":
        # the loader reads only offsets ('+08:00', '-0500', 'Z'); a zone name would be ignored
        minutes = offset_minutes(value) if isinstance(value, str) and len(value) <= 10 else None
        if minutes is None or abs(minutes) > 14 * 60:
            fail(where, value)


def _mapping_text(raw: bytes, name: str) -> str:
    """The mapping file's bytes as text: UTF-8 (a BOM allowed), nothing else."""
    if len(raw) > MAPPING_MAX_BYTES:
        raise MappingError("mapping_too_large", file=name, limit=f"{MAPPING_MAX_BYTES:,}")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise MappingError("mapping_not_utf8", file=name, position=error.start + 1) from None


def _parse_mapping_json(text: str, name: str):
    """``json.loads`` that refuses repeated keys, NaN/Infinity and deep nesting."""

    def pairs(items):
        seen = {}
        for key, value in items:
            if key in seen:
                raise MappingError("mapping_duplicate_key", file=name, where=key)
            seen[key] = value
        return seen

    def constant(word):
        position = text.find(word)
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        raise MappingError(
            "mapping_not_json",
            file=name,
            detail=f"{word} is not a JSON value",
            line=line,
            column=column,
        )

    try:
        return json.loads(text, object_pairs_hook=pairs, parse_constant=constant)
    except MappingError:
        raise
    except json.JSONDecodeError as error:
        raise MappingError(
            "mapping_not_json", file=name, detail=error.msg, line=error.lineno, column=error.colno
        ) from None
    except RecursionError:
        raise MappingError("mapping_too_deep", file=name, limit=MAPPING_MAX_DEPTH) from None
    except ValueError:  # Python reads no integer of more than 4,300 digits
        raise MappingError("mapping_huge_number", file=name) from None


def read_mapping(path_or_file) -> dict:
    """Read a mapping saved by :func:`save_mapping` and check it (:func:`validate_mapping`).

    Parameters
    ----------
    path_or_file : str, Path, bytes or file object
        The mapping file (its ``.name`` is used in messages), at most
        :data:`MAPPING_MAX_BYTES` of UTF-8 JSON.

    Returns
    -------
    dict
        The mapping.

    Raises
    ------
    MappingError
        (a :class:`LoadError`) naming the mapping file: ``mapping_not_found``,
        ``mapping_is_folder``, ``mapping_unreadable`` (no permission, a device
        error), ``mapping_too_large``, ``mapping_not_utf8``, ``mapping_not_json``
        (also NaN/Infinity), ``mapping_huge_number``, ``mapping_duplicate_key``,
        ``mapping_too_deep``, or a code of :func:`validate_mapping`.
    """
    if isinstance(path_or_file, (str, Path)):
        path = Path(path_or_file)
        name = path.name or str(path)
        try:
            if path.is_dir():
                raise MappingError("mapping_is_folder", file=name)
            with open(path, "rb") as handle:  # never more than the cap (think of /dev/zero)
                raw = handle.read(MAPPING_MAX_BYTES + 1)
        except FileNotFoundError:
            raise MappingError("mapping_not_found", file=name) from None
        except OSError as error:
            reason = error.strerror or type(error).__name__
            raise MappingError("mapping_unreadable", file=name, reason=reason) from None
    elif isinstance(path_or_file, (bytes, bytearray, memoryview)):
        raw, name = bytes(path_or_file), "mapping"
    else:
        name = Path(str(getattr(path_or_file, "name", "mapping"))).name
        raw = path_or_file.read(MAPPING_MAX_BYTES + 1)
    if isinstance(raw, str):
        if len(raw) > MAPPING_MAX_BYTES:
            raise MappingError("mapping_too_large", file=name, limit=f"{MAPPING_MAX_BYTES:,}")
        text = raw.removeprefix("\ufeff")
    else:
        text = _mapping_text(bytes(raw), name)
    return validate_mapping(_parse_mapping_json(text, name), name)


def _require_time(kind, used, name, columns, options):
    start = "arrived_at" if kind == "calls" else "interval_start"
    if start in used:
        return
    if kind == "intervals" and "day_index" in used:
        if options.get("day_index_start"):
            return
        raise LoadError(
            f"{name}: no date or time column; '{used['day_index']}' looks like a running day number. "
            f"Found columns: {', '.join(columns)}. Needed: a date column, or the option day_index_start, "
            "e.g. mapping={'options': {'day_index_start': '2024-01-01'}} "
            "to number the days from a start date.",
            "day_index_needs_start",
            {"file": name, "column": used["day_index"], "columns": columns},
        )
    examples = (
        f"arrival/start time, timestamp, date + time, {chinese_header('arrived_at')}"
        if kind == "calls"
        else ("interval start, row_date + starttime, date + interval")
    )
    raise LoadError(
        f"{name}: no recognisable time column for {kind}. Found columns: {', '.join(columns)}. "
        f"Needed: a column with the {'arrival time of each call' if kind == 'calls' else 'start of each interval'} "
        f"(e.g. {examples}); map it with mapping={{'{start}': '<column>'}}.",
        "no_time_column",
        {"file": name, "kind": kind, "columns": columns},
    )
