"""Column mapping: header matching (:func:`guess_kind`, :func:`guess_mapping`), mapping JSON files
(:func:`save_mapping`, :func:`read_mapping`) and the check that a mapping names a time column.
"""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

from ccmetrics.io.problems import LoadError
from ccmetrics.io.synonyms import (
    _ID_PARTNER_WORDS,
    _INTERVAL_ONLY,
    _UNIT_WORDS,
    SYNONYMS,
)

__all__ = ["guess_kind", "guess_mapping", "save_mapping", "read_mapping"]

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


def read_mapping(path_or_file) -> dict:
    """Read a mapping saved by :func:`save_mapping`.

    Parameters
    ----------
    path_or_file : str, Path, bytes or file object

    Returns
    -------
    dict
        The mapping.

    Raises
    ------
    LoadError
        If the content is not a JSON object of column names.
    """
    if isinstance(path_or_file, (str, Path)):
        raw = Path(path_or_file).read_bytes()
        name = Path(path_or_file).name
    elif isinstance(path_or_file, (bytes, bytearray)):
        raw, name = bytes(path_or_file), "mapping"
    else:
        raw = path_or_file.read()
        name = str(getattr(path_or_file, "name", "mapping"))
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8-sig")
    try:
        mapping = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"{name}: not a JSON mapping ({exc.msg}).", "bad_mapping_file", {"file": name}
        ) from None
    if not isinstance(mapping, dict) or not all(
        key == "options"
        or value is None
        or isinstance(value, str)
        or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        for key, value in mapping.items()
    ):
        raise LoadError(
            f"{name}: a mapping must be a JSON object {{canonical: column or [columns]}}.",
            "bad_mapping_file",
            {"file": name},
        )
    return mapping


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
        "arrival/start time, timestamp, date + time, 来电时间"
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
