"""The state of one canonical build and the per-key column parsers shared by calls and intervals.

:class:`_BuildContext` holds the parsed source table, the mapping in use, the
options, the problems collector and the mask of rows still kept; the helpers
turn one mapped key into values (timestamps, durations, numbers, flags,
dimensions, strings) and count what they could not read.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccmetrics.io.mapping import _split_unit
from ccmetrics.io.parse import (
    _looks_time_only,
    _missing_mask,
    _parse_bool,
    _parse_datetime,
    _parse_duration,
    _parse_number,
    _parse_time_of_day,
    _strings,
    _text,
    ambiguous_commas,
)
from ccmetrics.io.problems import LoadError
from ccmetrics.io.synonyms import PLACEHOLDERS

__all__: list[str] = []


class _BuildContext:
    """One build: source table, mapping used, options, problems and the rows still kept."""

    def __init__(self, raw, used, options, problems, name, columns, partners=None):
        self.raw = raw
        self.used = dict(used)
        self.options = options
        self.problems = problems
        self.name = name
        self.columns = columns
        # columns that may make repeated call ids unique; None for a mapping given by the
        # user (used as given), a list (maybe empty) for an automatic one
        self.partners = None if partners is None else list(partners)
        self.n = len(raw)
        self.rows = np.arange(1, self.n + 1)
        self.keep = np.ones(self.n, dtype=bool)
        missing = options.get("missing_values") or {}
        self.missing_all = tuple(missing) if isinstance(missing, list) else ()
        self.missing_by_key = missing if isinstance(missing, dict) else {}
        self.built: set[str] = set()  # keys whose values are built (see release)

    def release(self, *keys: str) -> None:
        """Drop the source columns of ``keys``, whose values are built, from the parsed
        table, unless a key still to be built reads them (or, until the call ids are
        built, they may complete a repeated id): the parsed table then shrinks while
        the canonical columns are made, instead of both being held whole."""
        self.built.update(keys)
        needed = {
            column
            for key, source in self.used.items()
            if key not in self.built
            for column in (source if isinstance(source, list) else [source])
        }
        if "call_id" not in self.built:
            needed.update(self.partners or ())
        for key in keys:
            source = self.used.get(key)
            for column in source if isinstance(source, list) else [source]:
                if column is not None and column not in needed and column in self.raw.columns:
                    del self.raw[column]
        if self.n >= 1_000_000:
            import pyarrow as pa

            # text columns are Arrow memory: give it back for the next columns' NumPy arrays
            pa.default_memory_pool().release_unused()

    def column(self, key) -> pd.Series | None:
        source = self.used.get(key)
        if source is None or isinstance(source, list):
            return None
        s = self.raw[source]
        extra = self.missing_all + tuple(self.missing_by_key.get(key, ()))
        if extra:
            mask = _missing_mask(s, extra)
            if mask.any():
                s = s.astype(object).where(~mask, None)
        return s

    def unit(self, key) -> str | None:
        units = self.options.get("units") or {}
        if key in units:
            return units[key]
        source = self.used.get(key)
        if isinstance(source, str):
            return _split_unit(source)[1]
        return None

    def label(self, key) -> str:
        source = self.used.get(key)
        return "+".join(source) if isinstance(source, list) else str(source)

    def drop(self, mask, level, code, key, message, **params):
        """Drop the kept rows where ``mask`` is true, reported under ``code`` (``params["dropped"]``)."""
        mask = np.asarray(mask, bool) & self.keep
        dropped = int(mask.sum())
        count = self.problems.add_rows(
            level, code, key, mask, self.rows, message, dropped=dropped, **params
        )
        self.keep &= ~mask
        return count


def _timestamp(ctx: _BuildContext, key: str, date_key: str | None = None) -> pd.Series:
    """Parse a datetime key (single column or [date, time])."""
    source = ctx.used[key]
    opts = ctx.options
    if isinstance(source, list):
        if len(source) != 2:
            raise LoadError(
                f"{ctx.name}: {key} must be one column or [date_column, time_column], not {source}.",
                "unknown_mapping_key",
                {"file": ctx.name, "key": key},
            )
        date_s = _with_missing(ctx, key, ctx.raw[source[0]])
        time_s = _with_missing(ctx, key, ctx.raw[source[1]])
        dates, bad_date = _parse_datetime(date_s, ctx.problems, source[0], opts, date_only=True)
        seconds, bad_time = _parse_time_of_day(time_s)
        if bad_time.mean() > 0.5 and not _looks_time_only(time_s):
            full, bad_full = _parse_datetime(time_s, ctx.problems, source[1], opts)
            return full, _missing_mask(time_s), bad_full
        values = dates.dt.normalize() + pd.to_timedelta(seconds, unit="s")
        missing = _missing_mask(date_s) | _missing_mask(time_s)
        bad = (bad_date | bad_time) & ~missing
        return values.astype("datetime64[ns]"), missing, bad
    s = ctx.column(key)
    if date_key and date_key in ctx.used and _looks_time_only(s):
        ctx.used[key] = [ctx.used.pop(date_key), source]
        return _timestamp(ctx, key)
    values, bad = _parse_datetime(s, ctx.problems, source, opts)
    return values, _missing_mask(s), bad


def _with_missing(ctx, key, s):
    extra = ctx.missing_all + tuple(ctx.missing_by_key.get(key, ()))
    if extra:
        mask = _missing_mask(s, extra)
        if mask.any():
            s = s.astype(object).where(~mask, None)
    return s


def _note_ambiguous_commas(ctx: _BuildContext, key: str, s: pd.Series, label: str) -> None:
    """Say where '1,250' was read as 1250 with nothing in the column to confirm it."""
    if pd.api.types.is_numeric_dtype(s.dtype) or pd.api.types.is_bool_dtype(s.dtype):
        return
    if s.dtype == object and not s.map(lambda v: isinstance(v, str)).any():
        return
    codes, uniques = pd.factorize(_strings(s), use_na_sentinel=True)
    if len(uniques) == 0:
        return
    ambiguous = ambiguous_commas(pd.Series(np.asarray(uniques, dtype=object), dtype="str"))
    mask = np.where(codes >= 0, ambiguous[np.maximum(codes, 0)], False)
    ctx.problems.add_rows(
        "warning",
        "ambiguous_number",
        key,
        mask & ctx.keep,
        ctx.rows,
        f"'{label}' ({key}): values like 1,250 were read with the comma as a thousands "
        "separator (1250); nothing in the column shows whether it is a decimal comma (1.25)",
        source=label,
    )


def _durations(ctx: _BuildContext, key: str) -> np.ndarray | None:
    s = ctx.column(key)
    if s is None:
        return None
    values, bad, _unit = _parse_duration(s, ctx.unit(key))
    label = ctx.label(key)
    _note_ambiguous_commas(ctx, key, s, label)
    ctx.problems.add_rows(
        "warning",
        "unparseable_number",
        key,
        bad & ctx.keep,
        ctx.rows,
        f"'{label}' ({key}): values that are not durations were set missing",
        source=label,
    )
    negative = (values < 0) & ctx.keep
    ctx.problems.add_rows(
        "warning",
        "negative_duration",
        key,
        negative,
        ctx.rows,
        f"'{label}' ({key}): negative durations were set missing",
        source=label,
    )
    values = np.where(values < 0, np.nan, values)
    return values


def _numbers(
    ctx: _BuildContext, key: str, low=None, high=None, percent_to_fraction=False
) -> np.ndarray | None:
    s = ctx.column(key)
    if s is None:
        return None
    values, bad, percent = _parse_number(s)
    label = ctx.label(key)
    _note_ambiguous_commas(ctx, key, s, label)
    ctx.problems.add_rows(
        "warning",
        "unparseable_number",
        key,
        bad & ctx.keep,
        ctx.rows,
        f"'{label}' ({key}): values that are not numbers were set missing",
        source=label,
    )
    if percent_to_fraction:
        finite = values[~np.isnan(values)]
        if percent or (finite.size and finite.max() > 1.0):
            values = values / 100.0
    out = np.zeros(len(values), bool)
    if low is not None:
        out |= values < low
    if high is not None:
        out |= values > high
    if out.any():
        ctx.problems.add_rows(
            "warning",
            "out_of_range",
            key,
            out & ctx.keep,
            ctx.rows,
            f"'{label}' ({key}): values outside {low}–{high} were set missing",
            source=label,
            low=low,
            high=high,
        )
        values = np.where(out, np.nan, values)
    return values


def _booleans(ctx: _BuildContext, key: str) -> np.ndarray | None:
    s = ctx.column(key)
    if s is None:
        return None
    values, bad = _parse_bool(s)
    label = ctx.label(key)
    ctx.problems.add_rows(
        "warning",
        "unparseable_boolean",
        key,
        bad & ctx.keep,
        ctx.rows,
        f"'{label}' ({key}): values that are not yes/no were set missing",
        source=label,
    )
    present = values[ctx.keep]
    blanks = np.isnan(values) & ~bad & ctx.keep
    if present.size and not (present == 0).any() and (present == 1).any() and blanks.any():
        ctx.problems.add_rows(
            "info",
            "blank_as_false",
            key,
            blanks,
            ctx.rows,
            f"'{label}' ({key}) is only filled when true; blanks were read as false",
            source=label,
        )
        values = np.where(blanks, 0.0, values)
    return values


def _dimension(ctx: _BuildContext, key: str) -> pd.Series | None:
    s = ctx.column(key)
    if s is None:
        return None
    cat = s.astype("category") if not isinstance(s.dtype, pd.CategoricalDtype) else s
    categories = pd.Series([_text(c) for c in cat.cat.categories], dtype="str").str.strip()
    truncate = (ctx.options.get("truncate") or {}).get(key)
    if truncate:
        categories = categories.str.slice(0, int(truncate))
    recode = (ctx.options.get("recode") or {}).get(key)
    if recode:
        categories = categories.replace({str(k): str(v) for k, v in recode.items()})
    extra = ctx.missing_all + tuple(ctx.missing_by_key.get(key, ()))
    categories = categories.where(~categories.isin(PLACEHOLDERS + extra))
    new_codes, new_categories = pd.factorize(categories, use_na_sentinel=True)
    codes = cat.cat.codes.to_numpy()
    if len(new_codes):
        mapped = np.where(codes >= 0, new_codes[np.maximum(codes, 0)], -1)
    else:
        mapped = np.full(len(codes), -1)
    categories = pd.Index(np.asarray(new_categories, dtype=object)).astype("str")
    return pd.Series(pd.Categorical.from_codes(mapped, categories=categories), index=s.index)


def _string_column(ctx: _BuildContext, key: str) -> pd.Series | None:
    source = ctx.used.get(key)
    if source is None:
        return None
    parts = source if isinstance(source, list) else [source]
    pieces = []
    missing = np.zeros(ctx.n, bool)
    extra = ctx.missing_all + tuple(ctx.missing_by_key.get(key, ()))
    for col in parts:
        s = ctx.raw[col]
        if pd.api.types.is_string_dtype(s.dtype) and s.dtype != object:
            # _missing_mask and _strings in one go (one strip of the column, not two)
            stripped = s.str.strip()
            missing |= (
                s.isna().to_numpy()
                | stripped.isin(PLACEHOLDERS + tuple(extra)).to_numpy()
                | stripped.isna().to_numpy()
            )
            pieces.append(stripped)
        else:
            missing |= _missing_mask(s, extra)
            pieces.append(_strings(s))
    text = pieces[0]
    for piece in pieces[1:]:
        text = text + "-" + piece
    if missing.any():
        text = text.where(~missing)
    return text.astype("string")


def _has_unused_categories(values: pd.Series) -> bool:
    """True when a categorical column has categories that no row uses."""
    categories = len(values.cat.categories)
    if categories == 0:
        return False
    codes = values.cat.codes.to_numpy()
    return bool((np.bincount(codes[codes >= 0], minlength=categories) == 0).any())


def _typed(values, dtype: str, n: int) -> pd.Series:
    if values is None:
        if dtype == "category":
            return pd.Series(
                pd.Categorical.from_codes(np.full(n, -1), categories=pd.Index([], dtype="str"))
            )
        if dtype == "string":
            return pd.Series(pd.NA, index=range(n), dtype="string")
        if dtype == "boolean":
            return pd.Series(pd.arrays.BooleanArray(np.zeros(n, bool), np.ones(n, bool)))
        if dtype == "datetime":
            return pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
        return pd.Series(np.full(n, np.nan), copy=False)
    if isinstance(values, pd.Series):
        values = values.reset_index(drop=True)
    if dtype == "category":
        return values if isinstance(values, pd.Series) else pd.Series(values, dtype="category")
    if dtype == "string":
        return pd.Series(values, dtype="string")
    if dtype == "boolean":
        arr = np.asarray(values, dtype=float)
        return pd.Series(pd.arrays.BooleanArray(arr == 1, np.isnan(arr)))
    # the loader's own temporaries are wrapped, not copied again; views of the
    # parsed table are copied (the frame's columns must be writable arrays)
    if dtype == "bool":
        return pd.Series(_own_array(values, bool), copy=False)
    if dtype == "datetime":
        return pd.Series(values).astype("datetime64[ns]")
    return pd.Series(_own_array(values, float), copy=False)


def _own_array(values, dtype) -> np.ndarray:
    """``values`` as a writable array of ``dtype`` that owns its memory."""
    array = np.asarray(values, dtype=dtype)
    if not (array.flags.owndata and array.flags.writeable):
        array = array.copy()
    return array
