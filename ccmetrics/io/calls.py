"""The canonical call frame: :func:`_build_calls` and its steps.

Each step reads the mapped columns it needs from the build context, counts
what it drops or changes in the problems report, and hands its values on;
the order of the steps is the order of the report.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ccmetrics.io.context import (
    _booleans,
    _BuildContext,
    _dimension,
    _durations,
    _has_unused_categories,
    _numbers,
    _string_column,
    _timestamp,
    _typed,
)
from ccmetrics.io.mapping import chinese_header
from ccmetrics.io.parse import (
    _apply_unique,
    _looks_time_only,
    _missing_mask,
    _parse_bool,
    _strings,
    _token_key,
)
from ccmetrics.io.problems import LoadError
from ccmetrics.io.synonyms import (
    _COMPLAINT_CATEGORY_WORDS,
    _OUTBOUND,
    _OUTCOME_ABANDONED,
    _OUTCOME_ANSWERED,
    _OUTCOME_DROP,
    _OUTCOME_IVR_ABANDONED,
    _OUTCOME_IVR_CONTAINED,
)
from ccmetrics.schema import CALL_COLUMNS, DIMENSIONS

#: The keys of the arrival, queue-entry and answer times (their columns are read together).
_TIME_KEYS = ("arrived_at", "arrival_date", "queued_at", "answered_at")

__all__ = ["canonical_integers"]


def _duplicated(values: pd.Series) -> np.ndarray:
    """``values.duplicated(keep="first")`` as a boolean array, faster for numeric ids.

    Ids written as canonical integers (:func:`canonical_integers`) are compared
    as int64 (a stable sort, not a hash table of millions of strings); anything
    else uses pandas.
    """
    numeric = canonical_integers(values) if len(values) > 100_000 else None
    if numeric is not None and numeric[1].all():
        numbers = numeric[0]
        n, low = len(numbers), int(numbers.min())
        row_bits = max(1, (n - 1).bit_length())
        if (int(numbers.max()) - low).bit_length() + row_bits <= 62:
            # (id, row) in one int64: a plain sort is the stable order by id
            packed = ((numbers - low) << row_bits) | np.arange(n, dtype=np.int64)
            packed.sort()
            order, ordered = packed & ((1 << row_bits) - 1), packed >> row_bits
        else:
            order = np.argsort(numbers, kind="stable")
            ordered = numbers[order]
        duplicated = np.zeros(n, dtype=bool)
        duplicated[order[1:]] = ordered[1:] == ordered[:-1]
        return duplicated
    return values.duplicated(keep="first").to_numpy()


def canonical_integers(values: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """Ids that are canonical integers, as int64 numbers.

    Parameters
    ----------
    values : pandas.Series
        Ids with a string dtype (not object).

    Returns
    -------
    tuple of numpy.ndarray or None
        ``(numbers, known)``: int64 values (0 where missing) and the mask of
        present ids; None when some string is not a canonical integer or the
        dtype is not a string dtype.

    Notes
    -----
    A canonical integer is ASCII digits, no sign, padding or leading zero, at
    most 18 digits ("15146862031"). Equal strings are then equal numbers,
    which sort and compare far faster than millions of strings hash.
    """
    if not (
        pd.api.types.is_string_dtype(values.dtype)
        and not pd.api.types.is_object_dtype(values.dtype)
    ):
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        text = pa.array(values.array)
        if not (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)):
            return None
        lengths = pc.binary_length(text)
        longest = pc.max(lengths).as_py()
        if longest is None or longest > 18 or not pc.all(pc.ascii_is_decimal(text)).as_py():
            return None
        if pc.any(pc.and_(pc.starts_with(text, "0"), pc.greater(lengths, 1))).as_py():
            return None
        numbers = pc.cast(text, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError, TypeError):
        return None
    known = np.asarray(numbers.is_valid(), dtype=bool)
    return np.asarray(numbers.fill_null(0), dtype=np.int64), known


def _build_calls(ctx: _BuildContext) -> pd.DataFrame:
    """The canonical call frame of one load (see :func:`ccmetrics.io.load`).

    Parameters
    ----------
    ctx : _BuildContext
        The parsed source table, mapping, options and problems of the load.

    Returns
    -------
    pandas.DataFrame
        :data:`ccmetrics.schema.CALL_COLUMNS`, the kept rows sorted by ``arrived_at``.
    """
    _drop_outbound(ctx)
    outcome_answered, outcome_abandoned, outcome_ivr = _outcome_flags(ctx)
    arrived = _arrival_times(ctx)
    arrived, queued = _queue_entry(ctx, arrived)
    call_id = _call_ids(ctx)  # compares whole parsed rows: nothing released before it
    ctx.release("call_id", "direction", "outcome")
    durations, answered_at = _call_durations(ctx, arrived)
    ctx.release(*_TIME_KEYS, *durations)
    answered, abandoned, derived_from = _answer_flags(
        ctx, outcome_answered, outcome_abandoned, answered_at, durations["talk_s"]
    )
    ctx.release("answered", "abandoned")
    ivr = _ivr_flags(ctx, answered, abandoned, outcome_ivr, queued)
    ctx.release(*ivr)
    ivr_only = np.zeros(ctx.n, dtype=bool)
    for key in ivr:
        if ivr[key] is not None:
            ivr_only |= ivr[key] == 1
    answered_bool, abandoned_bool = _settle_answer_flags(
        ctx, answered, abandoned, derived_from, ivr_only
    )
    extras = _call_extras(ctx)
    _note_call_checks(ctx, durations, extras["agent"], answered_bool, abandoned_bool, ivr_only)
    values = {
        "call_id": call_id,
        "arrived_at": arrived,
        "answered": answered_bool,
        "abandoned": abandoned_bool,
        **durations,
        **extras,
        **{key: flags for key, flags in ivr.items() if flags is not None},
        "ivr_path": _menu_path(_dimension(ctx, "ivr_path")),
    }
    # the arrays live on in ``values`` only, so each goes once its typed column is made
    del call_id, arrived, queued, answered_at, answered_bool, abandoned_bool, durations, extras
    del ivr, answered, abandoned, outcome_answered, outcome_abandoned, outcome_ivr, ivr_only
    return _assemble_calls(ctx, values)


def _drop_outbound(ctx: _BuildContext) -> None:
    """Drop rows whose direction is outbound: they are not offered calls."""
    direction = ctx.column("direction")
    if direction is not None:
        key = _apply_unique(
            _strings(direction), lambda u: _token_key(u).isin(_OUTBOUND).to_numpy(), dtype=bool
        )
        ctx.drop(
            key & ~_missing_mask(direction),
            "info",
            "outbound_call",
            "direction",
            f"'{ctx.label('direction')}': outbound calls were dropped (only offered inbound calls count)",
        )


def _classify_outcomes(u: pd.Series) -> np.ndarray:
    """Outcome class of unique outcome strings: 1 answered, 2 abandoned, 3 phantom/test,
    4 served in the IVR, 5 hung up in the IVR, 0 unknown."""
    k = _token_key(u)
    out = np.zeros(len(u), dtype=float)
    out[k.isin(_OUTCOME_ANSWERED).to_numpy()] = 1
    out[k.isin(_OUTCOME_ABANDONED).to_numpy()] = 2
    out[k.isin(_OUTCOME_DROP).to_numpy()] = 3
    out[k.isin(_OUTCOME_IVR_CONTAINED).to_numpy()] = 4
    out[k.isin(_OUTCOME_IVR_ABANDONED).to_numpy()] = 5
    return out


def _outcome_flags(ctx: _BuildContext):
    """Answered and abandoned (1/0/NaN) from an outcome column, and the IVR outcome
    (1 served in the IVR, 2 hung up there, 0 reached the queue, NaN unknown);
    phantom/test calls dropped."""
    outcome = ctx.column("outcome")
    if outcome is None:
        return None, None, None
    tokens = _strings(outcome)
    missing_outcome = _missing_mask(outcome)
    cls = _apply_unique(tokens, _classify_outcomes)
    cls[missing_outcome] = 0
    ctx.drop(
        cls == 3,
        "warning",
        "phantom_call",
        "outcome",
        f"'{ctx.label('outcome')}': phantom/test calls were dropped",
    )
    unknown = (cls == 0) & ~missing_outcome & ctx.keep
    if unknown.any():
        values = sorted(set(tokens[unknown].astype(str).unique()))[:10]
        ctx.problems.add_rows(
            "warning",
            "unknown_outcome",
            "outcome",
            unknown,
            ctx.rows,
            f"'{ctx.label('outcome')}': outcome values not recognised ({', '.join(values)})",
            values=values,
        )
    in_ivr = (cls == 4) | (cls == 5)
    outcome_answered = np.where(cls == 1, 1.0, np.where((cls == 2) | in_ivr, 0.0, np.nan))
    outcome_abandoned = np.where(cls == 2, 1.0, np.where((cls == 1) | in_ivr, 0.0, np.nan))
    outcome_ivr = np.select([cls == 4, cls == 5, (cls == 1) | (cls == 2)], [1.0, 2.0, 0.0], np.nan)
    return outcome_answered, outcome_abandoned, outcome_ivr


def _arrival_times(ctx: _BuildContext) -> pd.Series:
    """Arrival times; rows without a readable one dropped (an error when none can be read)."""
    used = ctx.used
    arrived, missing_dt, bad_dt = _timestamp(ctx, "arrived_at", "arrival_date")
    used.pop("arrival_date", None)
    label = ctx.label("arrived_at")
    if ctx.keep.any() and (bad_dt | missing_dt)[ctx.keep].all():
        first = (
            used["arrived_at"] if isinstance(used["arrived_at"], str) else used["arrived_at"][-1]
        )
        sample = _strings(ctx.raw[first]).dropna().head(3).tolist()
        raise LoadError(
            f"{ctx.name}: no value of '{label}' could be read as a date/time (e.g. {sample}). "
            "Needed: dates like 2024-01-31 09:15:00, or the option datetime_format.",
            "all_datetimes_unparseable",
            {"file": ctx.name, "column": label, "sample": sample},
        )
    ctx.drop(
        missing_dt,
        "warning",
        "missing_datetime",
        "arrived_at",
        f"'{label}': rows without an arrival time were dropped",
    )
    ctx.drop(
        bad_dt,
        "warning",
        "unparseable_datetime",
        "arrived_at",
        f"'{label}': rows whose arrival time could not be read were dropped",
    )
    return arrived


def _queue_entry(ctx: _BuildContext, arrived: pd.Series) -> tuple[pd.Series, np.ndarray | None]:
    """The queue entry time where mapped and readable (after midnight moved a day), else
    ``arrived``; and which rows entered the queue (a time, readable or not; None when no
    queue-entry column is mapped)."""
    if "queued_at" not in ctx.used:
        return arrived, None
    problems = ctx.problems
    queued, bad_q = _later_timestamp(ctx, "queued_at")
    problems.add_rows(
        "warning",
        "ignored_datetime",
        "queued_at",
        bad_q & ctx.keep,
        ctx.rows,
        f"'{ctx.label('queued_at')}': queue entry times that could not be read were ignored "
        "(the calls were kept)",
        source=ctx.label("queued_at"),
    )
    delta = (queued - arrived).dt.total_seconds().to_numpy()
    after_midnight = (delta < -12 * 3600) & ctx.keep
    if after_midnight.any():
        problems.add_rows(
            "info",
            "time_after_midnight",
            "queued_at",
            after_midnight,
            ctx.rows,
            f"'{ctx.label('queued_at')}': queue entry after midnight of a call that started "
            "the day before; moved to the next day",
        )
        queued = queued.where(~after_midnight, queued + pd.Timedelta(days=1))
    # an unreadable queue entry is a queue entry whose time is unknown
    return queued.where(queued.notna(), arrived), queued.notna().to_numpy() | bad_q


def _later_timestamp(ctx: _BuildContext, key: str) -> tuple[pd.Series, np.ndarray]:
    """A time after the arrival (queue entry, answer): values and the unreadable mask.

    A column of clock times alone takes the date of the arrival time when that
    is a ``[date, time]`` pair. In such a clock column an exact ``00:00:00``
    that holds more than 1 % of the values is the export's "did not happen"
    (e.g. never queued), not midnight: it is read as missing and reported
    (``midnight_as_missing``).
    """
    source = ctx.used[key]
    arrival = ctx.used.get("arrived_at")
    if isinstance(source, str) and isinstance(arrival, list) and len(arrival) == 2:
        if _looks_time_only(ctx.column(key)):
            ctx.used[key] = [arrival[0], source]
    values, _missing, bad = _timestamp(ctx, key)
    if isinstance(ctx.used[key], list):
        known = values.notna().to_numpy()
        midnight = known & (values == values.dt.normalize()).to_numpy()
        if midnight.sum() > 0.01 * max(int(known.sum()), 1):
            ctx.problems.add_rows(
                "info",
                "midnight_as_missing",
                key,
                midnight & ctx.keep,
                ctx.rows,
                f"'{ctx.label(key)}': 00:00:00 read as 'did not happen' (no {key})",
                source=ctx.label(key),
            )
            values = values.where(~midnight)
    return values, bad


def _call_ids(ctx: _BuildContext) -> pd.Series:
    """Call ids: generated when unmapped, blanks replaced, repeated ids after the first dropped."""
    n, problems = ctx.n, ctx.problems
    call_id = _string_column(ctx, "call_id")
    if call_id is None:
        call_id = _generated_ids(n)
        problems.add(
            "info",
            "generated_call_id",
            "call_id",
            int(ctx.keep.sum()),
            "No call id column: ids C0000001, C0000002, ... were generated in file order.",
            count=int(ctx.keep.sum()),
        )
        return call_id
    blank = call_id.isna().to_numpy() & ctx.keep
    if blank.any():
        problems.add_rows(
            "info",
            "missing_call_id",
            "call_id",
            blank,
            ctx.rows,
            f"'{ctx.label('call_id')}': blank call ids were replaced by generated ids (row-<n>)",
        )
        call_id = call_id.where(
            ~blank, pd.Series(np.char.add("row-", ctx.rows.astype(str)), dtype="string")
        )
    dup = _kept_duplicates(ctx, call_id)
    # an automatic mapping takes an id only if its repeats are true duplicates
    if ctx.partners is not None and dup.any() and not _true_duplicates_only(ctx, call_id, dup):
        call_id = _unique_call_ids(ctx, call_id)
        dup = _kept_duplicates(ctx, call_id)
    ctx.drop(
        dup,
        "warning",
        "duplicate_call_id",
        "call_id",
        f"'{ctx.label('call_id')}': repeated call ids; the first row was kept, later rows dropped",
    )
    return call_id


def _kept_duplicates(ctx: _BuildContext, ids: pd.Series) -> np.ndarray:
    """Rows whose id repeats an earlier kept row's id (only kept rows compared)."""
    if ctx.keep.all():
        return _duplicated(ids)
    dup = np.zeros(ctx.n, bool)
    dup[ctx.keep] = _duplicated(ids[ctx.keep])
    return dup


def _true_duplicates_only(ctx: _BuildContext, ids: pd.Series, dup=None) -> bool:
    """True when every repeated id (among kept rows) repeats a row whose read data are all equal."""
    dup = _kept_duplicates(ctx, ids) if dup is None else dup
    if not dup.any():
        return True
    repeated = ids.isin(ids[dup]).to_numpy() & ctx.keep
    rows = ctx.raw.loc[repeated].astype("string").assign(_id=ids[repeated].to_numpy())
    distinct = rows.drop_duplicates()
    return not distinct["_id"].duplicated().any()


def _unique_call_ids(ctx: _BuildContext, call_id: pd.Series) -> pd.Series:
    """A call id that repeats with different data, made unique with a partner column or not used.

    Tried in turn, the first partner column (line, trunk, VRU, date) that
    leaves only true duplicates becomes part of the id (``[partner, id]``,
    reported ``composite_call_id``); when none does, the column is not used
    as the id and ids are generated (``call_id_not_unique``).
    """
    label = ctx.label("call_id")
    for partner in ctx.partners:
        ctx.used["call_id"] = [partner, ctx.used["call_id"]]
        combined = _string_column(ctx, "call_id")
        if _true_duplicates_only(ctx, combined):
            ctx.problems.add(
                "info",
                "composite_call_id",
                "call_id",
                int(ctx.keep.sum()),
                f"'{label}' repeats with different data in other rows; the call id is "
                f"'{partner}' + '{label}'.",
                source=label,
                partner=partner,
            )
            return combined.where(combined.notna(), call_id)
        ctx.used["call_id"] = ctx.used["call_id"][1]
    repeated = int((_kept_duplicates(ctx, call_id)).sum())
    ctx.problems.add(
        "warning",
        "call_id_not_unique",
        "call_id",
        repeated,
        f"'{label}' repeats with different data ({repeated:,} rows) and no line, trunk, VRU or "
        "date column makes it unique: it is not used as the call id; ids were generated.",
        source=label,
        count=repeated,
        candidates=list(ctx.partners),
    )
    del ctx.used["call_id"]
    return _generated_ids(ctx.n)


def _generated_ids(n: int) -> pd.Series:
    """Ids C0000001, C0000002, ... in file order."""
    if n < 10_000_000:
        return pd.Series([f"C{i:07d}" for i in range(1, n + 1)], dtype="string")
    return pd.Series(np.char.add("C", np.arange(1, n + 1).astype(str)), dtype="string")


def _call_durations(ctx: _BuildContext, arrived: pd.Series) -> tuple[dict, np.ndarray | None]:
    """Durations in seconds (wait from an answer time when no wait column) and answer-time presence."""
    problems = ctx.problems
    durations = {
        key: _durations(ctx, key) for key in ("wait_s", "talk_s", "hold_s", "acw_s", "ivr_s")
    }
    answered_at = None
    if "answered_at" in ctx.used:
        answered_at_ts, bad_a = _later_timestamp(ctx, "answered_at")
        problems.add_rows(
            "warning",
            "ignored_datetime",
            "answered_at",
            bad_a & ctx.keep,
            ctx.rows,
            f"'{ctx.label('answered_at')}': answer times that could not be read were ignored "
            "(the calls were kept)",
            source=ctx.label("answered_at"),
        )
        answered_at = answered_at_ts.notna().to_numpy()
        if durations["wait_s"] is None:
            wait = (answered_at_ts - arrived).dt.total_seconds().to_numpy()
            negative = (wait < 0) & ctx.keep
            problems.add_rows(
                "warning",
                "negative_duration",
                "wait_s",
                negative,
                ctx.rows,
                "answer time before arrival time: wait set missing",
            )
            durations["wait_s"] = np.where(wait < 0, np.nan, wait)
    if durations["wait_s"] is None:
        raise LoadError(
            f"{ctx.name}: required column wait_s (seconds in queue) is missing. "
            f"Found columns: {', '.join(ctx.columns)}. Needed: a wait/queue time column "
            f"(e.g. wait time, queue time, speed of answer, {chinese_header('wait_s')}), "
            "or an answer timestamp.",
            "missing_required_column",
            {"file": ctx.name, "key": "wait_s", "columns": ctx.columns},
        )
    return durations, answered_at


def _answer_flags(ctx, outcome_answered, outcome_abandoned, answered_at, talk):
    """Answered and abandoned (1/0/NaN) from flags, an outcome, an answer time or talk time."""
    answered = _booleans(ctx, "answered")
    abandoned = _booleans(ctx, "abandoned")
    derived_from = None
    if answered is None and abandoned is None:
        if outcome_answered is not None:
            answered, abandoned = outcome_answered, outcome_abandoned
        elif answered_at is not None:
            answered = answered_at.astype(float)
            derived_from = ctx.label("answered_at")
        elif talk is not None:
            answered = np.where(np.isnan(talk), 0.0, (talk > 0).astype(float))
            derived_from = ctx.label("talk_s")
        else:
            raise LoadError(
                f"{ctx.name}: required column answered/abandoned is missing. Found columns: "
                f"{', '.join(ctx.columns)}. Needed: an answered or abandoned flag (Y/N; e.g. "
                f"{chinese_header('answered')}), an outcome column (e.g. AGENT/HANG), a talk time "
                "or an answer timestamp.",
                "missing_required_column",
                {"file": ctx.name, "key": "answered", "columns": ctx.columns},
            )
    if outcome_answered is not None and answered is not None and abandoned is None:
        answered = np.where(np.isnan(answered), outcome_answered, answered)
    return answered, abandoned, derived_from


def _ivr_flags(ctx, answered, abandoned, outcome_ivr, queued) -> dict[str, np.ndarray | None]:
    """``ivr_contained`` and ``ivr_abandoned`` (1/0/NaN; None when the file says nothing).

    From their own columns; else from an IVR outcome (self-service, IVR hang-up); else,
    with the option ``ivr_abandon_before_queue`` and a queue-entry column, an abandoned
    call without a queue entry time hung up in the IVR. A call an agent answered did
    not end in the IVR: such flags are cleared and reported.
    """
    contained = _booleans(ctx, "ivr_contained")
    hung_up = _booleans(ctx, "ivr_abandoned")
    if outcome_ivr is not None and (outcome_ivr >= 1).any():
        from_outcome_c = np.where(
            outcome_ivr == 1, 1.0, np.where(np.isnan(outcome_ivr), np.nan, 0.0)
        )
        from_outcome_a = np.where(
            outcome_ivr == 2, 1.0, np.where(np.isnan(outcome_ivr), np.nan, 0.0)
        )
        contained = from_outcome_c if contained is None else np.fmax(contained, from_outcome_c)
        hung_up = from_outcome_a if hung_up is None else np.fmax(hung_up, from_outcome_a)
    if hung_up is None and queued is not None and ctx.options.get("ivr_abandon_before_queue"):
        gave_up = abandoned if abandoned is not None else np.where(answered == 1, 0.0, np.nan)
        hung_up = np.where(np.isnan(gave_up), np.nan, ((gave_up == 1) & ~queued).astype(float))
        ctx.problems.add_rows(
            "info",
            "ivr_abandon_before_queue",
            "ivr_abandoned",
            (hung_up == 1) & ctx.keep,
            ctx.rows,
            f"abandoned calls without a queue entry time ('{ctx.label('queued_at')}') "
            "hung up in the IVR: they are IVR abandons, not queue abandons",
            source=ctx.label("queued_at"),
        )
    if answered is not None:
        conflict = (answered == 1) & (
            ((contained == 1) if contained is not None else False)
            | ((hung_up == 1) if hung_up is not None else False)
        )
        conflict = np.asarray(conflict, dtype=bool) & ctx.keep
        if conflict.any():
            ctx.problems.add_rows(
                "warning",
                "ivr_only_but_answered",
                "ivr_contained" if contained is not None else "ivr_abandoned",
                conflict,
                ctx.rows,
                "answered calls flagged as ended in the IVR were kept as answered (not in the IVR)",
            )
            if contained is not None:
                contained = np.where(conflict, 0.0, contained)
            if hung_up is not None:
                hung_up = np.where(conflict, 0.0, hung_up)
    if contained is not None and hung_up is not None:
        # a caller who hung up in the menu was not served by it
        contained = np.where(hung_up == 1, 0.0, contained)
    return {"ivr_contained": contained, "ivr_abandoned": hung_up}


def _menu_path(path: pd.Series | None) -> pd.Series | None:
    """IVR menu paths with their choices joined by " > " (">", "->", "→", "»" read alike)."""
    if path is None:
        return None
    categories = pd.Series(path.cat.categories.astype(str))
    parts = categories.str.split(r"\s*(?:->|>|→|»)\s*", regex=True)
    cleaned = parts.map(lambda items: " > ".join(item for item in items if item))
    cleaned = cleaned.where(cleaned != "")
    codes, uniques = pd.factorize(cleaned, use_na_sentinel=True)
    old = path.cat.codes.to_numpy()
    mapped = np.where(old >= 0, codes[np.maximum(old, 0)] if len(codes) else -1, -1)
    return pd.Series(
        pd.Categorical.from_codes(mapped, categories=pd.Index(uniques).astype(str)),
        index=path.index,
    )


def _settle_answer_flags(
    ctx, answered, abandoned, derived_from, ivr_only
) -> tuple[np.ndarray, np.ndarray]:
    """Exactly one of answered/abandoned per kept row that reached the queue: derive the
    missing one, settle both, drop neither; rows that ended in the IVR (``ivr_only``) are
    neither answered nor abandoned, and kept."""
    problems = ctx.problems
    if answered is None:
        answered = np.where(np.isnan(abandoned), np.nan, 1.0 - abandoned)
        derived_from = derived_from or ctx.label("abandoned")
        kind_derived = "answered"
    elif abandoned is None:
        abandoned = np.where(np.isnan(answered), np.nan, 1.0 - answered)
        kind_derived = "abandoned"
    else:
        kind_derived = None
    if kind_derived:
        problems.add(
            "info",
            "derived_answered",
            kind_derived,
            int(ctx.keep.sum()),
            f"{kind_derived} was derived from '{derived_from or ctx.label('answered')}'.",
            count=int(ctx.keep.sum()),
            source=derived_from or ctx.label("answered"),
        )
    elif derived_from:
        problems.add(
            "info",
            "derived_answered",
            "answered",
            int(ctx.keep.sum()),
            f"answered was derived from '{derived_from}'.",
            count=int(ctx.keep.sum()),
            source=derived_from,
        )
    both = (answered == 1) & (abandoned == 1) & ctx.keep
    problems.add_rows(
        "warning",
        "answered_and_abandoned",
        "answered",
        both,
        ctx.rows,
        "calls flagged both answered and abandoned were kept as answered",
    )
    abandoned = np.where(both, 0.0, abandoned)
    neither = ~((answered == 1) | (abandoned == 1)) & ~ivr_only
    if ivr_only.any():
        ctx.problems.add_rows(
            "info",
            "ivr_only_calls",
            "ivr_contained",
            ivr_only & ctx.keep,
            ctx.rows,
            "calls that ended in the IVR (served by self-service or hung up there) were loaded; "
            "they are not offered to the queue",
        )
        answered = np.where(ivr_only, 0.0, answered)
        abandoned = np.where(ivr_only, 0.0, abandoned)
    ctx.drop(
        neither,
        "warning",
        "neither_answered_nor_abandoned",
        "answered",
        "calls neither answered nor abandoned (unknown outcome) were dropped",
    )
    return answered == 1, abandoned == 1


def _call_extras(ctx: _BuildContext) -> dict[str, Any]:
    """Optional flags, scores, cost, dimensions and customer id (None where unmapped)."""
    flags = {key: _booleans(ctx, key) for key in ("transferred", "resolved")}
    csat = _numbers(ctx, "csat", 1, 5)
    qa = _numbers(ctx, "qa_score", 0, 100)
    cost = _numbers(ctx, "cost")
    ctx.release(*flags, "csat", "qa_score", "cost")
    dims = {key: _dimension(ctx, key) for key in DIMENSIONS}
    customer = _string_column(ctx, "customer_id")
    ctx.release(*dims, "customer_id")
    quality = _quality_columns(ctx, dims["category"])
    ctx.release(*quality)
    return {
        **flags,
        "csat": csat,
        "qa_score": qa,
        "cost": cost,
        **dims,
        "customer_id": customer,
        **quality,
    }


def _quality_columns(ctx: _BuildContext, category: pd.Series | None) -> dict[str, Any]:
    """Complaint and business-error flags, entry completeness and evaluator (None where unmapped).

    Without a complaint column, a category whose name contains a complaint word
    (:data:`ccmetrics.io.synonyms._COMPLAINT_CATEGORY_WORDS`) marks the complaints:
    the flag is then true for calls of such a category, false for calls of another
    known category, unknown where the category is (problem ``derived_complaint``).
    Entry completeness is read as yes/no (1/0) when every value is one, else as a
    number: a fraction 0–1, or a percentage (a "%" sign or values above 1).
    """
    complaint = _booleans(ctx, "complaint")
    if complaint is None and category is not None:
        complaint = _complaint_from_category(ctx, category)
    return {
        "complaint": complaint,
        "business_error": _booleans(ctx, "business_error"),
        "entry_completeness": _entry_completeness(ctx),
        "evaluator": _dimension(ctx, "evaluator"),
    }


def _complaint_from_category(ctx: _BuildContext, category: pd.Series) -> np.ndarray | None:
    """1/0/NaN per row: the category names a complaint; None when no category does."""
    names = pd.Series(category.cat.categories, dtype="str").str.lower()
    is_complaint = np.zeros(len(names), dtype=bool)
    for word in _COMPLAINT_CATEGORY_WORDS:
        is_complaint |= names.str.contains(word, regex=False).to_numpy()
    if not is_complaint.any():
        return None
    codes = category.cat.codes.to_numpy()
    values = np.where(codes >= 0, is_complaint[np.maximum(codes, 0)].astype(float), np.nan)
    complaint_names = [
        str(c) for c, flag in zip(category.cat.categories, is_complaint, strict=True) if flag
    ]
    ctx.problems.add(
        "info",
        "derived_complaint",
        "complaint",
        int((~np.isnan(values) & ctx.keep).sum()),
        f"complaint was derived from '{ctx.label('category')}': calls of "
        f"{', '.join(complaint_names[:10])} are complaints.",
        source=ctx.label("category"),
        categories=complaint_names[:10],
    )
    return values


def _entry_completeness(ctx: _BuildContext) -> np.ndarray | None:
    """The share of required after-call fields filled, per call (0–1), or None when unmapped."""
    source = ctx.column("entry_completeness")
    if source is None:
        return None
    flags, not_flags = _parse_bool(source)
    if (~np.isnan(flags) & ctx.keep).any() and not (not_flags & ctx.keep).any():
        return _booleans(ctx, "entry_completeness")
    return _numbers(ctx, "entry_completeness", 0, 1, percent_to_fraction=True)


def _note_call_checks(ctx, durations, agent, answered_bool, abandoned_bool, ivr_only) -> None:
    """Report kept calls worth a look: zero or missing waits, answered without agent or talk
    (calls that ended in the IVR never waited in a queue: no wait is expected of them)."""
    problems, keep = ctx.problems, ctx.keep & ~ivr_only
    wait = durations["wait_s"]
    problems.add_rows(
        "info",
        "abandoned_zero_wait",
        "wait_s",
        abandoned_bool & (wait == 0) & keep,
        ctx.rows,
        "abandoned calls with wait 0 (e.g. hung up before reaching the queue); "
        "the KPI engine counts them as short abandons",
    )
    problems.add_rows(
        "info",
        "missing_wait",
        "wait_s",
        np.isnan(wait) & keep,
        ctx.rows,
        f"'{ctx.label('wait_s')}': calls without a wait time were kept with wait missing",
    )
    if agent is not None:
        problems.add_rows(
            "warning",
            "answered_without_agent",
            "agent",
            answered_bool & agent.isna().to_numpy() & keep,
            ctx.rows,
            "answered calls without an agent (kept; agent missing)",
        )
    if durations["talk_s"] is not None:
        problems.add_rows(
            "info",
            "answered_zero_talk",
            "talk_s",
            answered_bool & (durations["talk_s"] == 0) & keep,
            ctx.rows,
            "answered calls with talk time 0",
        )


def _assemble_calls(ctx: _BuildContext, values: dict) -> pd.DataFrame:
    """The kept rows as :data:`ccmetrics.schema.CALL_COLUMNS`, sorted by arrival, unused categories removed.

    ``values`` is emptied: each built array is let go once its typed column exists.
    """
    columns = {
        name: _typed(values.pop(name, None), dtype, ctx.n) for name, dtype in CALL_COLUMNS.items()
    }
    frame = pd.DataFrame(columns, copy=False)  # no copy of 5-10 million rows
    keep = ctx.keep
    if not keep.all():
        frame = frame.loc[keep]
    if not frame["arrived_at"].is_monotonic_increasing:
        frame = frame.sort_values("arrived_at", kind="mergesort")
    frame = frame.reset_index(drop=True)
    for name in (*DIMENSIONS, "evaluator"):
        if _has_unused_categories(frame[name]):
            frame[name] = frame[name].cat.remove_unused_categories()
    return frame
