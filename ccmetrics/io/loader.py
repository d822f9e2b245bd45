"""The entry point :func:`load`: a source read, mapped, parsed and built into a canonical frame."""

from __future__ import annotations

import re

from ccmetrics.io.calls import _build_calls
from ccmetrics.io.context import _BuildContext
from ccmetrics.io.intervals import _build_intervals
from ccmetrics.io.mapping import (
    _complete_arrival,
    _id_partners,
    _mapped_columns,
    _require_time,
    guess_kind,
    guess_mapping,
)
from ccmetrics.io.problems import LoadError, LoadResult, _note_mapping_checks, _Problems
from ccmetrics.io.read import _hand_back_memory, _source_bytes, _Table
from ccmetrics.io.synonyms import _CALL_INPUT_KEYS, _INTERVAL_INPUT_KEYS, _INTERVAL_ONLY
from ccmetrics.schema import DIMENSIONS

__all__ = ["load", "LOAD_STAGES", "STAGE_FRACTIONS"]

#: Stage codes of the ``progress(stage, fraction)`` callable of :func:`load` and
#: :func:`load_cached`, in the order they can come: ``cached`` (looking for a
#: Parquet copy, :func:`load_cached` only), ``reading`` (file bytes, format,
#: encoding and header), ``parsing`` (the mapped columns parsed into a table),
#: ``building`` (values checked and converted into the canonical frame),
#: ``saving`` (a Parquet copy written, :func:`load_cached` only) and ``done``.
LOAD_STAGES = ("cached", "reading", "parsing", "building", "saving", "done")

#: The ``fraction`` reported with each stage: the rough share of the work done
#: when the stage starts, from timing a 1M-call CSV (reading ~5%, parsing ~35%,
#: building ~60% of a fresh load; writing a copy adds ~15%).
STAGE_FRACTIONS = {
    "cached": 0.0,
    "reading": 0.0,
    "parsing": 0.05,
    "building": 0.35,
    "saving": 0.9,
    "done": 1.0,
}


_STRING_KEYS = {"call_id", "customer_id", "outcome", "direction", *DIMENSIONS}


def _check_excel_sheet(table, kind, used) -> None:
    """A workbook whose first sheet has no time column but another sheet has:
    name that sheet. A time column whose every cell is a formula saved without
    its value: say so, rather than that no time could be read."""
    start = "arrived_at" if kind == "calls" else "interval_start"
    if start not in used:
        table._other_sheet(table._book, table.sheet)
        return
    blank = getattr(table, "formula_blank_columns", {})
    sources = used[start] if isinstance(used[start], list) else [used[start]]
    for col in sources:
        if col in blank and table._frame[col].isna().all():
            raise LoadError(
                f"{table.name}: the column '{col}' ({start}) holds formulas saved without "
                f"their values ({blank[col]:,} cells), so no time can be read. Needed: open "
                "the workbook in Excel and save it (the values are stored then), or export "
                "it as CSV.",
                "formulas_without_values",
                {"file": table.name, "column": col, "sheet": table.sheet, "count": blank[col]},
            )


def load(
    source,
    mapping: dict | None = None,
    *,
    kind: str | None = None,
    encoding: str | None = None,
    sheet=None,
    progress=None,
) -> LoadResult:
    """Load a call-center export into a canonical frame.

    Parameters
    ----------
    source : str, Path, bytes or binary file object
        The export (CSV/TSV/TXT, gzip CSV, XLSX/XLS, Parquet); file objects
        such as Streamlit's ``UploadedFile`` need ``.read()`` (``.name`` is
        used in messages).
    mapping : dict, optional
        ``{canonical: source_column}`` (see the module docstring for lists,
        input keys and ``"options"``). None: :func:`guess_mapping`.
    kind : {"calls", "intervals"}, optional
        Force the kind; guessed from the columns if None.
    encoding : str, optional
        Text encoding; detected if None (BOM, UTF-8, GB18030, detector).
    sheet : str or int, optional
        Excel sheet; the first sheet if None.
    progress : callable, optional
        ``progress(stage, fraction)``, called at each stage boundary with a
        code of :data:`LOAD_STAGES` (``"reading"``, ``"parsing"``,
        ``"building"``, then ``"done"``) and the rough share of the work
        done so far (see :data:`STAGE_FRACTIONS`). None: nothing is reported.

    Returns
    -------
    LoadResult
        ``frame`` (canonical columns of :mod:`ccmetrics.schema`, calls sorted
        by ``arrived_at``, intervals by ``interval_start``), ``kind``,
        ``mapping``, ``problems`` (``level, code, column, rows, message,
        params``), ``encoding`` and ``file_rows`` (see
        :meth:`LoadResult.row_accounting`).

    Raises
    ------
    LoadError
        Empty file, binary garbage, no recognisable time column, a required
        column missing, or a mapped column not in the file.

    Notes
    -----
    For calls, ``answered`` and ``abandoned`` are exactly one true per row:
    derived from one another, from an outcome column, or (when only talk or
    answer-time columns exist) ``answered = talk_s > 0`` / ``answered_at``
    present. Interval sums come from averages as ``sum = average x count``
    (ASA x answered, average talk x answered, average abandon time x
    abandoned); ``staffed_agents = staffed seconds / (60 x interval_minutes)``.

    Examples
    --------
    >>> text = b"call_id,arrived_at,wait_s,answered\\n1,2024-01-01 09:00:00,12,Y\\n"
    >>> result = load(text)
    >>> result.kind, int(result.frame["answered"].sum())
    ('calls', 1)
    """
    problems = _Problems()
    if progress is not None:
        progress("reading", STAGE_FRACTIONS["reading"])
    data, name = _source_bytes(source)
    table = _Table(data, name, encoding, sheet, problems)
    del data  # the table holds the bytes until they are parsed
    columns = table.columns
    user_mapping = dict(mapping or {})
    options = dict(user_mapping.pop("options", None) or {})
    user_mapping = {k: v for k, v in user_mapping.items() if v not in (None, "", [])}
    kind, used, partners = _choose_mapping(user_mapping, kind, table, name)
    if partners is not None and _ivr_abandons_before_queue(kind, used, options):
        options["ivr_abandon_before_queue"] = True
    sources = _mapped_sources(used, columns, name)
    if table.format == "excel":
        _check_excel_sheet(table, kind, used)
    _require_time(kind, used, name, columns, options)
    string_columns, category_columns, flag_columns = _read_types(used, kind, options, table)
    if progress is not None:
        progress("parsing", STAGE_FRACTIONS["parsing"])
    # partner columns the mapping does not use are read too, to make call ids unique
    extra = [c for c in partners or [] if c not in sources]
    raw = table.read(sources + extra, string_columns | set(extra), category_columns, flag_columns)
    table.release()  # parsed: the file's bytes are no longer needed here
    if len(raw) >= 1_000_000:
        _hand_back_memory()
    if len(raw) == 0:
        raise LoadError(
            f"{name}: the file has a header row but no data rows. Found columns: {', '.join(columns)}.",
            "no_data_rows",
            {"file": name, "columns": columns},
        )
    if progress is not None:
        progress("building", STAGE_FRACTIONS["building"])
    file_rows = len(raw) + table.skipped_rows
    read_problems = len(problems.items)
    context = _BuildContext(raw, used, options, problems, name, columns, partners)
    frame = _build_calls(context) if kind == "calls" else _build_intervals(context)
    final_mapping = {k: v for k, v in context.used.items()}
    del context, raw
    if len(frame) >= 1_000_000:
        _hand_back_memory()
    _note_unused(problems, columns, final_mapping, at=read_problems)
    _note_mapping_checks(problems, kind, frame, file_rows, final_mapping)
    if options:
        final_mapping["options"] = options
    if progress is not None:
        progress("done", 1.0)
    return LoadResult(
        frame=frame,
        kind=kind,
        mapping=final_mapping,
        problems=problems.frame(),
        encoding=table.encoding,
        source_name=name,
        format=table.format,
        columns=list(columns),
        file_rows=file_rows,
    )


def _ivr_abandons_before_queue(kind: str, used: dict, options: dict) -> bool:
    """Whether an automatic mapping reads abandoned calls without a queue entry as IVR
    abandons: a call file with an outcome or abandoned flag, a queue-entry column and an
    IVR time, no IVR-abandon column, and no choice of the user's in the options."""
    return (
        kind == "calls"
        and "ivr_abandon_before_queue" not in options
        and "queued_at" in used
        and "ivr_s" in used
        and ("outcome" in used or "abandoned" in used)
        and "ivr_abandoned" not in used
    )


def _choose_mapping(user_mapping: dict, kind, table: _Table, name: str):
    """The kind, the mapping used and the columns that may complete a repeated call id.

    A mapping given with column keys is used as given (unknown keys are an
    error); otherwise the headers are matched (:func:`guess_mapping`), a date
    alone as the arrival gets its time-of-day column, and line/trunk/VRU/date
    columns are offered to make repeated call ids unique.
    """
    columns = table.columns
    if user_mapping:
        known = _CALL_INPUT_KEYS | _INTERVAL_INPUT_KEYS
        unknown = sorted(set(user_mapping) - known)
        if unknown:
            raise LoadError(
                f"{name}: unknown mapping key(s) {', '.join(unknown)}. "
                f"Known keys: {', '.join(sorted(known))}.",
                "unknown_mapping_key",
                {"file": name, "keys": unknown},
            )
        if kind is None:
            kind = "intervals" if set(user_mapping) & _INTERVAL_ONLY else "calls"
        used, partners = user_mapping, None
    else:
        kind = kind or guess_kind(columns)
        used = guess_mapping(columns, kind)
        partners = []
        if kind == "calls":
            used = _complete_arrival(used, columns, table.sample)
            partners = _id_partners(used, columns)
    if kind not in ("calls", "intervals"):
        raise ValueError(f"kind must be 'calls' or 'intervals', not {kind!r}")
    return kind, used, partners


def _mapped_sources(used: dict, columns: list[str], name: str) -> list[str]:
    """The source columns a mapping names, in mapping order; an error for a column not in the file."""
    sources = []
    for key, value in used.items():
        for col in value if isinstance(value, list) else [value]:
            if col not in columns:
                raise LoadError(
                    f"{name}: the mapping names column {col!r} for {key}, but the file has no such column. "
                    f"Found columns: {', '.join(columns)}.",
                    "mapped_column_missing",
                    {"file": name, "key": key, "column": col, "columns": columns},
                )
            sources.append(col)
    return sources


def _read_types(used: dict, kind: str, options: dict, table: _Table):
    """Source columns read as strings, as categoricals (dimensions only) and as flags (yes/no only)."""
    string_columns = set()
    for key, value in used.items():
        if key in _STRING_KEYS or key in ("arrival_date", "interval_date"):
            string_columns.update(value if isinstance(value, list) else [value])
        elif isinstance(value, list) and key in (
            "arrived_at",
            "interval_start",
            "queued_at",
            "answered_at",
        ):
            string_columns.add(value[0])
    for key, value in used.items():
        # durations written "mm:ss" must not be read as clock times (hh:mm) by Arrow
        if isinstance(value, str) and (key.endswith("_s") or key.endswith("_s_sum")):
            if any(
                re.fullmatch(r"\s*-?\d{1,3}:\d{2}(\.\d+)?\s*", cell) for cell in table.sample(value)
            ):
                string_columns.add(value)
    # columns used only as dimensions are read as categoricals, those used only
    # as yes/no flags as nullable booleans (same values, less time and memory)
    uses: dict[str, set[str]] = {}
    for key, value in used.items():
        for col in value if isinstance(value, list) else [value]:
            uses.setdefault(col, set()).add(key if isinstance(value, str) else f"{key}[]")
    extra_missing = bool(options.get("missing_values"))
    category_columns = frozenset(
        col for col, keys in uses.items() if keys <= set(DIMENSIONS) and not extra_missing
    )
    flag_keys = {
        "answered",
        "abandoned",
        "transferred",
        "resolved",
        "ivr_contained",
        "complaint",
        "business_error",
    }
    flag_columns = frozenset(
        col
        for col, keys in uses.items()
        if kind == "calls" and keys <= flag_keys and not extra_missing
    )
    return string_columns, category_columns, flag_columns


def _note_unused(problems: _Problems, columns: list[str], used: dict, at: int) -> None:
    """Report the source columns the final mapping does not use, where the read's problems end."""
    taken = _mapped_columns(used)
    unused = [c for c in columns if c not in taken and not c.startswith("Unnamed: ")]
    if unused:
        problems.add(
            "info",
            "unmapped_columns",
            None,
            0,
            f"Columns not used: {', '.join(unused)}.",
            columns=unused,
        )
        problems.items.insert(at, problems.items.pop())
