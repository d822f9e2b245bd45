"""Parsing cell values, vectorised over unique strings: missing values, numbers, durations,
yes/no flags, dates, date-times and clock times.
"""

from __future__ import annotations

import datetime as _dt
import re

import numpy as np
import pandas as pd

from ccmetrics.io.problems import _Problems
from ccmetrics.io.synonyms import _FALSE, _TRUE, PLACEHOLDERS

__all__ = ["offset_minutes"]


def _missing_mask(s: pd.Series, extra: tuple = ()) -> np.ndarray:
    mask = np.array(s.isna().to_numpy(), dtype=bool)
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        stripped = _strings(s)
        mask |= stripped.isin(PLACEHOLDERS + tuple(extra)).to_numpy() | stripped.isna().to_numpy()
    return mask


def _strings(s: pd.Series) -> pd.Series:
    """Stripped string view of a column (numbers that are integers lose '.0')."""
    if pd.api.types.is_string_dtype(s.dtype) and s.dtype != object:
        return s.str.strip()
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    texts = np.array([_text(u) for u in uniques] + [None], dtype=object)
    return pd.Series(texts[codes], index=s.index, dtype="str").str.strip()


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (np.floating,)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _apply_unique(s: pd.Series, func, dtype=float):
    """Apply ``func`` (array of unique stripped strings -> array) through factorize."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    values = func(pd.Series(np.asarray(uniques, dtype=object), dtype="str"))
    values = np.asarray(values, dtype=dtype)
    out = np.empty(len(codes), dtype=dtype)
    valid = codes >= 0
    out[valid] = values[codes[valid]]
    if dtype is float:
        out[~valid] = np.nan
    return out


def _clock_to_seconds(u: pd.Series, two_parts: str) -> np.ndarray:
    """Seconds of 'h:mm:ss' / 'mm:ss' (or 'hh:mm' for clock times) strings."""
    text = u.str.strip()
    negative = text.str.startswith("-").fillna(False).to_numpy()
    text = text.str.lstrip("-+")
    parts = text.str.split(":", expand=True, n=3)
    out = np.full(len(u), np.nan)
    if parts.shape[1] < 2:
        return out
    nums = [
        pd.to_numeric(parts[i], errors="coerce").to_numpy(dtype=float)
        for i in range(parts.shape[1])
    ]
    count = parts.notna().sum(axis=1).to_numpy()
    three = count == 3
    with np.errstate(invalid="ignore"):
        if parts.shape[1] >= 3:
            # minutes and seconds below 60 ("00:99:00" is no clock); hours may exceed 24
            ok = (nums[1] < 60) & (nums[2] < 60)
            three &= ok
            out[three] = nums[0][three] * 3600 + nums[1][three] * 60 + nums[2][three]
        two = (count == 2) & (nums[1] < 60)
    if two_parts == "mm:ss":
        out[two] = nums[0][two] * 60 + nums[1][two]
    else:
        out[two] = nums[0][two] * 3600 + nums[1][two] * 60
    out[negative] = -out[negative]
    return out


#: Units written in duration cells ("12秒", "3分钟", "45 s", "2min", "1h30m"): seconds each.
_CELL_UNITS = {
    "毫秒": 0.001,
    "ms": 0.001,
    "秒钟": 1.0,
    "秒": 1.0,
    "secs": 1.0,
    "sec": 1.0,
    "s": 1.0,
    "分钟": 60.0,
    "分": 60.0,
    "mins": 60.0,
    "min": 60.0,
    "m": 60.0,
    "小时": 3600.0,
    "时": 3600.0,
    "hrs": 3600.0,
    "hr": 3600.0,
    "h": 3600.0,
}
_UNIT_ALTERNATIVES = "|".join(sorted(map(re.escape, _CELL_UNITS), key=len, reverse=True))
_UNIT_PART = re.compile(r"(\d+(?:\.\d+)?)\s*(" + _UNIT_ALTERNATIVES + r")", re.IGNORECASE)
_UNIT_CELL = re.compile(r"^(?:\d+(?:\.\d+)?\s*(?:" + _UNIT_ALTERNATIVES + r")\s*)+$", re.IGNORECASE)


def _unit_seconds(u: pd.Series) -> np.ndarray:
    """Seconds of cells that carry their unit ("12秒", "3分钟", "1h30m"); NaN for others."""
    out = np.full(len(u), np.nan)
    for i, text in enumerate(u.to_numpy(dtype=object)):
        if not isinstance(text, str) or not _UNIT_CELL.match(text):
            continue
        out[i] = sum(
            float(number) * _CELL_UNITS[unit.lower() if unit.isascii() else unit]
            for number, unit in _UNIT_PART.findall(text)
        )
    return out


def _normalise_digits(t: pd.Series) -> pd.Series:
    """Full-width digits and signs ("１２", "－５") as ASCII (NFKC), when there are any."""
    if t.str.contains(r"[\uff01-\uff5e\u3000]", regex=True, na=False).any():
        return t.str.normalize("NFKC")
    return t


def _float_strings(u: pd.Series) -> np.ndarray:
    """Numbers from strings: '1,234.5' and '1.234,5' (thousands) and '12,5' (decimal
    comma) read; infinities ('inf', 'Infinity', '1e400') are not numbers.

    Notes
    -----
    '1,250' alone is ambiguous: read as 1.25 when the column also has decimal
    commas ('12,5'), otherwise as 1250 (see :func:`ambiguous_commas`).
    """
    t = _normalise_digits(u.str.strip())
    us_thousands = t.str.fullmatch(r"[-+]?\d{1,3}(,\d{3})+(\.\d+)?", na=False)
    eu_thousands = t.str.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+,\d+", na=False) | t.str.fullmatch(
        r"[-+]?\d{1,3}(\.\d{3}){2,}", na=False
    )
    decimal_comma = t.str.fullmatch(r"[-+]?\d*,(\d{1,2}|\d{4,})", na=False)
    single = t.str.fullmatch(r"[-+]?\d{1,3},\d{3}", na=False)
    if decimal_comma.any() or eu_thousands.any():
        us_thousands &= ~single  # '1,250' among '12,5': a decimal comma
    t = t.where(~us_thousands, t.str.replace(",", "", regex=False))
    t = t.where(~eu_thousands, t.str.replace(".", "", regex=False))
    t = t.str.replace(",", ".", regex=False)
    values = np.array(pd.to_numeric(t, errors="coerce"), dtype=float)
    values[~np.isfinite(values)] = np.nan
    return values


def ambiguous_commas(u: pd.Series) -> np.ndarray:
    """Mask of values like '1,250' in a column with nothing that settles whether the
    comma is a thousands separator or a decimal comma."""
    t = u.str.strip()
    single = t.str.fullmatch(r"[-+]?\d{1,3},\d{3}", na=False).to_numpy()
    if not single.any():
        return single
    settles = (
        t.str.fullmatch(r"[-+]?\d*,(\d{1,2}|\d{4,})", na=False)
        | t.str.fullmatch(r"[-+]?\d{1,3}(,\d{3}){2,}(\.\d+)?", na=False)
        | t.str.fullmatch(r"[-+]?\d{1,3}(,\d{3})+\.\d+", na=False)
        | t.str.fullmatch(r"[-+]?\d{1,3}(\.\d{3})+,\d+", na=False)
    )
    if settles.any():
        return np.zeros(len(t), bool)
    return single


def _parse_seconds_strings(u: pd.Series) -> np.ndarray:
    """Numbers or clock strings -> seconds (unit applied later)."""
    numbers = _float_strings(u)
    has_colon = u.str.contains(":", regex=False, na=False).to_numpy()
    if has_colon.any():
        numbers = np.where(has_colon, _clock_to_seconds(u, "mm:ss"), numbers)
    return numbers


_UNIT_FACTOR = {"s": 1.0, "ms": 0.001, "min": 60.0, "h": 3600.0, "day": 86400.0}


def _parse_duration(s: pd.Series, unit: str | None) -> tuple[np.ndarray, np.ndarray, str]:
    """Return (seconds, unparseable mask, unit used).

    Numbers are in ``unit`` (seconds if None); strings may be ``h:mm:ss`` or
    ``mm:ss``; Excel time cells arrive as ``datetime.time``. A unit-less
    column of fractions in [0, 1) is an Excel fraction of a day.
    """
    missing = _missing_mask(s)
    if pd.api.types.is_timedelta64_dtype(s.dtype):
        return s.dt.total_seconds().to_numpy(dtype=float), np.zeros(len(s), bool), "timedelta"
    if pd.api.types.is_bool_dtype(s.dtype):
        s = s.astype(float)
    clock = False
    if pd.api.types.is_numeric_dtype(s.dtype):
        values = np.array(s.to_numpy(dtype=float, na_value=np.nan), dtype=float)
    else:
        values = np.full(len(s), np.nan)
        is_time = np.zeros(len(s), bool)
        if s.dtype == object:
            objects = s.to_numpy(dtype=object)
            is_time = np.array(
                [isinstance(v, (_dt.time, _dt.timedelta)) for v in objects], dtype=bool
            )
            if is_time.any():
                values[is_time] = [
                    v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
                    if isinstance(v, _dt.time)
                    else pd.Timedelta(v).total_seconds()
                    for v in objects[is_time]
                ]
                clock = True
        rest = ~is_time & ~missing
        if rest.any():
            text = _normalise_digits(_strings(s[rest]))
            values[rest] = _apply_unique(text, _parse_seconds_strings)
            clock = clock or bool(text.str.contains(":", regex=False, na=False).any())
            # cells that say their unit ("12秒", "3分钟") are seconds already
            with_unit = _apply_unique(text, _unit_seconds)
            if not np.isnan(with_unit).all():
                known = ~np.isnan(with_unit)
                factor = _UNIT_FACTOR.get(unit or "s", 1.0)
                values[np.flatnonzero(rest)[known]] = with_unit[known] / factor
                unit = unit or "s"
    values[~np.isfinite(values)] = np.nan  # inf, 1e400: no duration
    bad = ~missing & np.isnan(values)
    if clock:
        return values, bad, "h:mm:ss"
    finite = values[~np.isnan(values)]
    if (
        unit is None
        and finite.size
        and finite.min() >= 0
        and finite.max() < 1
        and not np.all(np.mod(finite, 1) == 0)
    ):
        unit = "day"  # Excel fraction of a day
    return values * _UNIT_FACTOR.get(unit or "s", 1.0), bad, unit or "s"


def _parse_number(s: pd.Series) -> tuple[np.ndarray, np.ndarray, bool]:
    """Return (values, unparseable mask, had percent signs)."""
    missing = _missing_mask(s)
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.astype(float).to_numpy(), np.zeros(len(s), bool), False
    if pd.api.types.is_numeric_dtype(s.dtype):
        values = np.array(s.to_numpy(dtype=float, na_value=np.nan), dtype=float)
        infinite = np.isinf(values)
        values[infinite] = np.nan
        return values, infinite, False
    text = _strings(s)
    percent = bool(text.str.endswith("%").fillna(False).any())

    values = _apply_unique(text, lambda u: _float_strings(u.str.rstrip("%")))
    return values, ~missing & np.isnan(values), percent


def _parse_bool(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return (values as float 1/0/NaN, unparseable mask)."""
    if pd.api.types.is_bool_dtype(s.dtype):
        # numpy bool or nullable boolean: 1.0 / 0.0, NaN where missing
        out = s.to_numpy(dtype=float, na_value=np.nan)
        return out, np.zeros(len(s), bool)
    if pd.api.types.is_numeric_dtype(s.dtype):
        # only 1 and 0 are yes and no: -1, 0.5 or 2 are not answers
        values = s.to_numpy(dtype=float, na_value=np.nan)
        flag = (values == 0) | (values == 1)
        return np.where(flag, values, np.nan), ~np.isnan(values) & ~flag
    missing = _missing_mask(s)

    def parse(u: pd.Series) -> np.ndarray:
        numbers = np.array(pd.to_numeric(u, errors="coerce"), dtype=float)
        words = np.isnan(numbers)
        k = u.str.lower().str.replace(r"[\s\.\-_]+", "", regex=True)
        out = np.full(len(u), np.nan)
        out[words & k.isin(_TRUE).to_numpy()] = 1.0
        out[words & k.isin(_FALSE).to_numpy()] = 0.0
        number_flag = (numbers == 0) | (numbers == 1)  # "-1", "0.5", "2" are no answer
        out[number_flag] = numbers[number_flag]
        return out

    values = _apply_unique(_strings(s), parse)
    values[missing] = np.nan
    return values, ~missing & np.isnan(values)


def _token_key(u: pd.Series) -> pd.Series:
    return u.str.lower().str.replace(r"[\s\.\-_/()]+", "", regex=True)


# -- dates and clock times ---------------------------------------------------

_DATE_PARTS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%m-%d-%Y",
    "%Y%m%d",
    "%y%m%d",
    "%m/%d/%y",
    "%d/%m/%y",
    "%Y年%m月%d日",
    "%d-%b-%Y",
    "%d %b %Y",
    "%b %d %Y",
    "%a, %d %b %Y",
    "%d-%b-%y",
)
_TIME_PARTS = (
    "",
    " %H:%M:%S",
    " %H:%M",
    " %H:%M:%S.%f",
    "T%H:%M:%S",
    "T%H:%M:%S.%f",
    " %I:%M:%S %p",
    " %I:%M %p",
    " %H时%M分%S秒",
)


def _detect_datetime_format(sample: pd.Series, date_only: bool = False, dayfirst=None):
    """Best strptime format for a sample of strings.

    Returns (format, success share, ambiguous alternative or None).
    """
    if sample.empty:
        return None, 0.0, None
    iso = _to_datetime(sample, "ISO8601")
    if iso.notna().mean() >= 0.999 and sample.str.match(r"^\d{4}-\d{2}-\d{2}").all():
        return "ISO8601", 1.0, None
    scores = []
    # a date column may still carry a (midnight) clock time: try those formats second
    for times in ((("",) if date_only else _TIME_PARTS), (_TIME_PARTS[1:] if date_only else ())):
        for date_fmt in _DATE_PARTS:
            for time_fmt in times:
                fmt = date_fmt + time_fmt
                parsed = _to_datetime(sample, fmt)
                share = float(parsed.notna().mean())
                if share > 0:
                    scores.append((share, fmt, parsed))
        if scores and max(s[0] for s in scores) >= 0.9:
            break
    if not scores:
        return None, 0.0, None
    top = max(s[0] for s in scores)
    tied = [s for s in scores if s[0] == top]
    chosen = tied[0]
    alternative = None
    for other in tied[1:]:
        if not other[2].equals(chosen[2]):
            alternative = other
            break
    if alternative is not None and dayfirst is not None:
        day_first = [s for s in (chosen, alternative) if s[1].find("%d") < s[1].find("%m")]
        month_first = [s for s in (chosen, alternative) if s[1].find("%d") > s[1].find("%m")]
        pick = day_first if dayfirst else month_first
        if pick:
            chosen = pick[0]
        alternative = None
    return chosen[1], top, (alternative[1] if alternative is not None else None)


#: Years a call can have: dates outside are sentinels (0001-01-01, 9999-12-31,
#: Excel's day 0 of 1900) and counted as unreadable.
_YEARS = (1900, 2200)
#: Dates further than this from the median date of their column are counted as
#: unreadable too (a 1970-01-01 epoch zero in 2024 data).
_FAR_FROM_MEDIAN = np.timedelta64(20 * 365, "D")


def _as_ns(values, index=None) -> pd.Series:
    """Datetimes as ``datetime64[ns]``; values outside its range (years 1678-2261) as NaT."""
    series = pd.Series(values, index=index) if not isinstance(values, pd.Series) else values
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        series = series.dt.tz_localize(None)
    if series.dtype == "datetime64[ns]":
        return series
    raw = np.asarray(series.to_numpy(), dtype="datetime64")
    low, high = np.datetime64("1678-01-01"), np.datetime64("2261-12-31")
    ok = ~np.isnat(raw) & (raw > low) & (raw < high)
    out = np.full(len(raw), np.datetime64("NaT"), dtype="datetime64[ns]")
    out[ok] = raw[ok].astype("datetime64[ns]")
    return pd.Series(out, index=series.index)


def _parse_datetime(
    s: pd.Series, problems: _Problems, column: str, options: dict, date_only: bool = False
):
    """Return (datetime64[ns] values with NaT, unparseable mask).

    Dates outside :data:`_YEARS` or further than :data:`_FAR_FROM_MEDIAN` from
    the column's median date are unreadable (NaT, in the mask).
    """
    values, bad = _parse_datetime_values(s, problems, column, options, date_only)
    stamps = values.to_numpy(dtype="datetime64[ns]")
    known = ~np.isnat(stamps)
    if not known.any():
        return values, bad
    median = np.median(stamps[known].astype("int64")).astype("int64").astype("datetime64[ns]")
    low = max(np.datetime64(f"{_YEARS[0]}-01-01", "ns"), median - _FAR_FROM_MEDIAN)
    high = min(np.datetime64(f"{_YEARS[1]}-01-01", "ns"), median + _FAR_FROM_MEDIAN)
    far = known & ((stamps < low) | (stamps > high))
    if far.any():
        values = values.mask(pd.Series(far, index=values.index))
        bad = np.asarray(bad, dtype=bool) | far
    return values, bad


#: Years whole-number Excel serial days of a call log can plausibly hold: a
#: column of numbers that reads both as YYMMDD and as serial days inside these
#: years is ambiguous (e.g. 40105: 2004-01-05 or 2009-10-19).
_SERIAL_YEARS = (1990, 2035)
#: Share of a whole-number column's values that must be valid YYMMDD dates (or
#: HHMMSS clock times) for the column to be read so (the rest are unreadable);
#: Excel serial days of a few weeks or more are far below it (about 4 % of them
#: fit YYMMDD), and so are seconds after midnight (about 36 % fit HHMMSS).
_DIGITS_SHARE = 0.9


def _yymmdd(values: np.ndarray) -> pd.Series:
    """Whole numbers read as YYMMDD dates (50301 is 2005-03-01); NaT where not one."""
    ok = ~np.isnan(values) & (values >= 101) & (values <= 991231)
    text = pd.Series(np.where(ok, values, np.nan)).astype("Int64").astype("str").str.zfill(6)
    return _as_ns(pd.to_datetime(text.where(pd.Series(ok)), format="%y%m%d", errors="coerce"))


def _digit_width(fmt) -> int:
    """Digits a format made only of %Y %y %m %d %H %M %S spans (0 for any other)."""
    if not isinstance(fmt, str) or not re.fullmatch(r"(?:%[YymdHMS])+", fmt):
        return 0
    return sum(4 if part == "Y" else 2 for part in re.findall(r"%(.)", fmt))


#: Numeric timestamps written as digits, by kind: their strptime format.
_DIGIT_FORMATS = {
    "yyyymmdd": "%Y%m%d",
    "yyyymmddhhmmss": "%Y%m%d%H%M%S",
    "yyyymmddhhmm": "%Y%m%d%H%M",
}


def _numeric_timestamps(values: np.ndarray, problems: _Problems, column: str) -> pd.Series:
    """Numbers as times, decided value by value: YYYYMMDD, YYYYMMDDHHMMSS,
    YYYYMMDDHHMM, epoch seconds, epoch milliseconds, Excel serial days (to the
    millisecond); a column of YYMMDD numbers as dates. A column mixing kinds is
    reported (``mixed_timestamp_formats``).

    Notes
    -----
    A column of whole numbers whose values are YYMMDD dates (at least
    :data:`_DIGITS_SHARE` of them) is read as YYMMDD, also for 2000-2009, where
    the leading zero is lost (``050301`` read as the number 50301, which as
    Excel serial days would be 2037-09-18). When every value is below 100000
    and also reads as serial days inside :data:`_SERIAL_YEARS`, both readings
    fit: the values are unreadable and ``ambiguous_numeric_dates`` says so
    (the option ``datetime_format`` ``%y%m%d`` chooses YYMMDD).
    """
    n = len(values)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    known = ~np.isnan(values)
    finite = values[known]
    if finite.size == 0:
        return pd.Series(out)
    with np.errstate(invalid="ignore"):
        whole = np.mod(values, 1) == 0
    median = float(np.median(finite))
    month = np.mod(finite // 100, 100)
    if bool(np.all(whole[known])) and median <= 991231:
        as_yymmdd = _yymmdd(values)
        share = float(as_yymmdd[known].notna().mean())
        old_rule = 100101 <= median and np.all((month >= 1) & (month <= 12))
        if share >= _DIGITS_SHARE or old_rule:
            if np.all(finite < 100000):
                serial = pd.to_datetime(finite, unit="D", origin="1899-12-30", errors="coerce")
                years = serial.year
                if np.all((years >= _SERIAL_YEARS[0]) & (years <= _SERIAL_YEARS[1])):
                    low, high = int(finite.min()), int(finite.max())
                    problems.add(
                        "warning",
                        "ambiguous_numeric_dates",
                        column,
                        int(known.sum()),
                        f"'{column}': numbers like {low} read both as YYMMDD dates "
                        f"({as_yymmdd[known].min():%Y-%m-%d} to {as_yymmdd[known].max():%Y-%m-%d}) "
                        f"and as Excel serial days ({serial.min():%Y-%m-%d} to "
                        f"{serial.max():%Y-%m-%d}), so they were not read. Set the option "
                        "datetime_format to %y%m%d for YYMMDD, or export the dates as text.",
                        low=low,
                        high=high,
                        yymmdd=f"{as_yymmdd[known].min():%Y-%m-%d}",
                        serial=f"{serial.min():%Y-%m-%d}",
                    )
                    return pd.Series(out)
            return as_yymmdd
    kinds = {
        "yyyymmdd": known & whole & (values >= 19000101) & (values <= 21001231),
        "yyyymmddhhmmss": known & whole & (values >= 19000101000000) & (values <= 21001231235959),
        "yyyymmddhhmm": known & whole & (values >= 190001010000) & (values <= 210012312359),
        "epoch_seconds": known & (values >= 1e9) & (values < 5e9),
        "epoch_milliseconds": known & (values >= 1e12) & (values < 5e12),
        "excel_serial": known & (values >= 1) & (values < 100000),
    }
    for kind, mask in kinds.items():
        if not mask.any():
            continue
        part = values[mask]
        if kind in _DIGIT_FORMATS:
            text = pd.Series(part).astype("int64").astype("str")
            parsed = pd.to_datetime(text, format=_DIGIT_FORMATS[kind], errors="coerce")
        elif kind == "epoch_seconds":
            parsed = pd.to_datetime(part, unit="s", errors="coerce")
        elif kind == "epoch_milliseconds":
            parsed = pd.to_datetime(part, unit="ms", errors="coerce")
        else:  # Excel keeps times to the millisecond; the float's last digits are noise
            parsed = pd.Series(
                pd.to_datetime(part, unit="D", origin="1899-12-30", errors="coerce")
            ).dt.round("ms")
        out[mask] = _as_ns(pd.Series(parsed)).to_numpy()
    found = {kind: int(mask.sum()) for kind, mask in kinds.items() if mask.any()}
    if len(found) > 1:
        problems.add(
            "info",
            "mixed_timestamp_formats",
            column,
            int(sum(found.values())),
            f"'{column}' mixes numeric time formats, read value by value: "
            + ", ".join(f"{count:,} {kind.replace('_', ' ')}" for kind, count in found.items()),
            kinds=found,
        )
    return pd.Series(out)


def _parse_datetime_values(
    s: pd.Series, problems: _Problems, column: str, options: dict, date_only: bool = False
):
    """Return (datetime64[ns] values with NaT, unparseable mask)."""
    missing = _missing_mask(s)
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        return _zoned_datetime_values(s, missing, problems, column, options)
    if pd.api.types.is_datetime64_dtype(s.dtype):
        out = _as_ns(s)  # years beyond 1678-2261 (0001-01-01, 9999-12-31) become NaT
        return out, ~missing & out.isna().to_numpy()
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        return _numeric_datetime_values(s, missing, problems, column, options)
    if s.dtype == object:
        parsed = _object_datetime_values(s, missing, problems, column, options, date_only)
        if parsed is not None:
            return parsed
    return _text_datetime_values(s, missing, problems, column, options, date_only)


def _zoned_datetime_values(s: pd.Series, missing, problems: _Problems, column: str, options: dict):
    """Zone-aware timestamps on the business clock (option utc_offset) or their local clock."""
    business = offset_minutes(options.get("utc_offset"))
    if business is not None:
        local = s.dt.tz_convert("UTC").dt.tz_localize(None) + pd.Timedelta(minutes=business)
        problems.add(
            "info",
            "timezone_converted",
            column,
            int((~missing).sum()),
            f"'{column}' has time zone {s.dt.tz}; the times were converted to the business "
            f"clock UTC{_offset_text(business)} (the option utc_offset).",
            timezone=str(s.dt.tz),
            offset=_offset_text(business),
        )
        out = _as_ns(local)
        return out, ~missing & out.isna().to_numpy()
    problems.add(
        "info",
        "timezone_dropped",
        column,
        int((~missing).sum()),
        f"'{column}' has time zone {s.dt.tz}; the local clock time was kept (zone dropped).",
        timezone=str(s.dt.tz),
    )
    out = _as_ns(s.dt.tz_localize(None))
    return out, ~missing & out.isna().to_numpy()


def _numeric_datetime_values(
    s: pd.Series, missing, problems: _Problems, column: str, options: dict
):
    """Numbers as timestamps: digits in the option datetime_format, else epochs or serials."""
    values = np.array(s.to_numpy(dtype=float, na_value=np.nan), dtype=float)
    width = _digit_width(options.get("datetime_format"))
    if width:  # numbers written as digits in a given format (50301 under %y%m%d)
        with np.errstate(invalid="ignore"):
            digits = ~np.isnan(values) & (np.mod(values, 1) == 0) & (values >= 0)
        text = pd.Series(np.where(digits, values, np.nan), index=s.index).astype("Int64")
        text = text.astype("str").str.zfill(width).where(pd.Series(digits, index=s.index))
        out = _as_ns(_strptime(text, options["datetime_format"]))
        return out, ~missing & out.isna().to_numpy()
    out = _numeric_timestamps(values, problems, column)
    out = pd.Series(out.to_numpy(dtype="datetime64[ns]"), index=s.index)
    return out, ~missing & out.isna().to_numpy()


def _object_datetime_values(
    s: pd.Series, missing, problems: _Problems, column: str, options: dict, date_only: bool
):
    """Python datetimes mixed with text, or None when the column holds no datetimes."""
    objects = s.to_numpy(dtype=object)
    is_dt = np.array([isinstance(v, (_dt.datetime, _dt.date, pd.Timestamp)) for v in objects])
    if not is_dt.any():
        return None
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    out[is_dt] = _as_ns(pd.to_datetime(pd.Series(objects[is_dt]), errors="coerce")).to_numpy()
    rest = ~is_dt & ~missing
    if rest.any():
        sub, _bad = _parse_datetime(_strings(s[rest]), problems, column, options, date_only)
        out[rest] = sub.to_numpy()
    return out, ~missing & out.isna().to_numpy()


def _share_at_least(text: pd.Series, pattern: str, share: float) -> bool:
    """Whether at least ``share`` of ``text`` fully matches ``pattern``.

    Exact, but cheap when the answer is no: if none of the first ``n(1 - share) + 1``
    values match, the others cannot make up the share, and the rest is not read.
    """
    n = len(text)
    if n == 0:
        return False
    head = int(n * (1 - share)) + 1
    if head < n and not text.iloc[:head].str.fullmatch(pattern, na=False).any():
        return False
    return bool(text.str.fullmatch(pattern, na=False).mean() >= share)


def _text_datetime_values(
    s: pd.Series, missing, problems: _Problems, column: str, options: dict, date_only: bool
):
    """Text timestamps: with zones, or in the given, digit-only or detected format."""
    text = _strings(s)
    zoned = _with_zones(text, missing, problems, column, options, date_only)
    if zoned is not None:
        return zoned
    valid = text[~missing]
    fmt = options.get("datetime_format")
    alternative = None
    if not fmt and _share_at_least(valid, r"\d{5,6}", _DIGITS_SHARE):
        # whole numbers of 5-6 digits written as text (a column with a stray word, an Excel
        # or Parquet text column): read as numbers would be, YYMMDD or Excel serial days with
        # the ambiguity reported, never by a guessed %y%m%d alone (43831 is 2020-01-01, not
        # 2043-08-31)
        numbers = pd.to_numeric(text.where(text.str.fullmatch(r"\d{5,6}", na=False)))
        return _numeric_datetime_values(numbers, missing, problems, column, options)
    if not fmt and len(valid):  # mostly 14 or 12 digits alone: a timestamp written as digits
        for length, digit_format in ((14, "%Y%m%d%H%M%S"), (12, "%Y%m%d%H%M")):
            if valid.str.fullmatch(rf"\d{{{length}}}", na=False).mean() > 0.5:
                fmt = digit_format
                break
    if not fmt:
        fmt, alternative = _detected_datetime_format(valid, problems, column, options, date_only)
        if fmt is None:
            out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
            return out, ~missing
    out = _strptime(text, fmt)
    if not options.get("datetime_format") and alternative:
        out = _better_of_two_formats(out, text, missing, problems, column, fmt, alternative)
    out = _as_ns(out)
    return out, ~missing & out.isna().to_numpy()


def _detected_datetime_format(
    valid: pd.Series, problems: _Problems, column: str, options: dict, date_only: bool
):
    """(format, alternative) detected on a sample of the values; an ambiguity is reported."""
    positions = np.unique(
        np.linspace(0, max(len(valid) - 1, 0), num=min(len(valid), 2000)).astype(int)
    )
    uniques = pd.Series(valid.iloc[positions].unique()[:400], dtype="str")
    fmt, share, alternative = _detect_datetime_format(uniques, date_only, options.get("dayfirst"))
    if fmt is not None and alternative:
        problems.add(
            "info",
            "ambiguous_date_format",
            column,
            0,
            f"'{column}' fits both {fmt} and {alternative}; {fmt} was used. "
            "Set the option dayfirst to choose.",
            format=fmt,
            alternative=alternative,
        )
    return fmt, alternative


def _better_of_two_formats(
    out: pd.Series, text: pd.Series, missing, problems: _Problems, column, fmt, alternative
):
    """``out`` parsed with ``fmt``, or ``text`` parsed with ``alternative`` if more values fit it."""
    failures = int((out.isna() & ~pd.Series(missing, index=out.index)).sum())
    if failures:
        other = _strptime(text, alternative)
        if int((other.isna() & ~pd.Series(missing, index=out.index)).sum()) < failures:
            out = other
            problems.items[-1]["params"]["format"] = alternative
            problems.items[-1]["message"] = (
                f"'{column}' fits both {fmt} and {alternative}; {alternative} was used "
                "because more values fit it. Set the option dayfirst to choose."
            )
    return out


def _strptime(text: pd.Series, fmt: str) -> pd.Series:
    """Parse strings with one format: Arrow's strptime, pandas for what it misses."""
    out = None
    if fmt != "ISO8601" and "%f" not in fmt and "%p" not in fmt:
        try:
            import pyarrow as pa
            import pyarrow.compute as pc

            parsed = pc.strptime(
                pa.array(text.to_numpy(dtype=object, na_value=None), type=pa.string()),
                format=fmt,
                unit="s",
                error_is_null=True,
            )
            out = _as_ns(pd.Series(parsed.to_numpy(zero_copy_only=False), index=text.index))
        except Exception:  # formats Arrow cannot parse: pandas below
            out = None
    if out is None:
        return _as_ns(_to_datetime(text, fmt))
    retry = out.isna().to_numpy() & text.notna().to_numpy()
    # Arrow's strptime rolls an impossible day over into the next month (2024-02-30 reads
    # as 2024-03-01, 2023-02-29 as 2023-03-01); such a roll-over always lands on day 1-3,
    # so those days are parsed again by pandas, which refuses them.
    retry |= out.dt.day.isin((1, 2, 3)).to_numpy()
    if retry.any():
        out[retry] = _as_ns(_to_datetime(text[retry], fmt)).to_numpy()
    return out


def _to_datetime(text: pd.Series, fmt: str) -> pd.Series:
    """``pd.to_datetime(errors="coerce")`` that leaves out-of-range and mixed-zone
    values as NaT instead of raising."""
    try:
        out = pd.to_datetime(text, format=fmt, errors="coerce")
    except (ValueError, OverflowError, TypeError):
        out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    if isinstance(out.dtype, pd.DatetimeTZDtype):
        out = out.dt.tz_localize(None)
    if out.dtype == object:
        out = pd.Series(pd.NaT, index=text.index, dtype="datetime64[ns]")
    return out


_ZONE_AT_END = re.compile(
    r"^(?P<local>.*\d{1,2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?)\s*"
    r"(?P<zone>Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT|[A-Z]{3,4})$"
)


def offset_minutes(text) -> float | None:
    """Minutes east of UTC of '+08:00', '-0500', 'Z', 'UTC'; None for a name like 'CST'."""
    if text is None:
        return None
    text = str(text).strip()
    if text in ("Z", "UTC", "GMT", "+00:00"):
        return 0.0
    match = re.fullmatch(r"(?:UTC)?([+-])(\d{2}):?(\d{2})?", text)
    if not match:
        return None
    minutes = int(match.group(2)) * 60 + int(match.group(3) or 0)
    return float(minutes if match.group(1) == "+" else -minutes)


def _offset_text(minutes: float) -> str:
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(int(minutes))
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def _with_zones(text, missing, problems, column, options, date_only):
    """Times written with a UTC offset or zone ('2024-03-04T09:00:00+08:00', '...Z',
    '... CST'): put on one business clock, or None when no value has a zone.

    Notes
    -----
    The business clock is the option ``utc_offset`` when set, otherwise the
    offset most values carry: ``local = written time - own offset + business
    offset``. A zone name other than UTC/GMT (CST, EST: ambiguous) keeps the
    written clock, reported as ``timezone_dropped``.
    """
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    if len(uniques) == 0:
        return None
    uniques = pd.Series(np.asarray(uniques, dtype=object), dtype="str")
    parts = uniques.str.extract(_ZONE_AT_END)
    has_zone = parts["zone"].notna().to_numpy()
    if not has_zone.any():
        return None
    offsets_u = np.array(
        [offset_minutes(z) if isinstance(z, str) else np.nan for z in parts["zone"]],
        dtype=float,
    )
    local_u = parts["local"].where(has_zone, uniques)
    valid = codes >= 0
    local = pd.Series(
        np.where(valid, local_u.to_numpy(dtype=object)[np.maximum(codes, 0)], None),
        index=text.index,
        dtype="str",
    )
    offsets = np.where(valid, offsets_u[np.maximum(codes, 0)], np.nan)
    named = valid & np.where(valid, has_zone[np.maximum(codes, 0)], False) & np.isnan(offsets)
    values, bad = _parse_datetime_values(local, problems, column, options, date_only)
    with_offset = ~np.isnan(offsets) & ~bad & ~missing
    if with_offset.any():
        setting = offset_minutes(options.get("utc_offset"))
        if setting is not None:
            business, why = setting, "the option utc_offset"
        else:
            counts = pd.Series(offsets[with_offset]).value_counts()
            business, why = float(counts.index[0]), "the offset most rows have"
        shift = np.where(with_offset, business - offsets, 0.0)
        values = _as_ns(values + pd.to_timedelta(shift, unit="m"))
        moved = int((with_offset & (shift != 0)).sum())
        if moved:
            problems.add(
                "info",
                "timezone_converted",
                column,
                int(with_offset.sum()),
                f"'{column}': times with UTC offsets were put on one clock, "
                f"UTC{_offset_text(business)} ({why}); {moved:,} row(s) with another offset "
                "were shifted to it.",
                offset=_offset_text(business),
                shifted=moved,
            )
        else:  # one offset throughout: its clock is kept as written
            problems.add(
                "info",
                "timezone_dropped",
                column,
                int(with_offset.sum()),
                f"'{column}' has times at UTC{_offset_text(business)}; the written clock time "
                "was kept (offset dropped).",
                timezone=f"UTC{_offset_text(business)}",
                offset=_offset_text(business),
            )
    if named.any():
        zones = sorted(set(parts["zone"][has_zone & np.isnan(offsets_u)]))
        problems.add(
            "info",
            "timezone_dropped",
            column,
            int(named.sum()),
            f"'{column}' names the time zone {', '.join(zones)}, which is ambiguous; the "
            "written clock time was kept.",
            timezone=", ".join(zones),
        )
    return values, bad


def _parse_time_of_day(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Seconds after midnight from clock strings, HHMM numbers, fractions of a day or time objects."""
    missing = _missing_mask(s)
    n = len(s)
    if pd.api.types.is_timedelta64_dtype(s.dtype):
        return s.dt.total_seconds().to_numpy(dtype=float), np.zeros(n, bool)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        t = s.dt
        values = (t.hour * 3600 + t.minute * 60 + t.second).to_numpy(dtype=float, na_value=np.nan)
        return values, np.zeros(n, bool)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        values = s.to_numpy(dtype=float, na_value=np.nan)
        return _numeric_clock(values), ~missing & np.isnan(_numeric_clock(values))
    values = np.full(n, np.nan)
    rest = ~missing
    if s.dtype == object:
        objects = s.to_numpy(dtype=object)
        is_time = np.array(
            [isinstance(v, (_dt.time, _dt.datetime, _dt.timedelta)) for v in objects]
        )
        if is_time.any():
            values[is_time] = [
                pd.Timedelta(v).total_seconds()
                if isinstance(v, _dt.timedelta)
                else v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
                for v in objects[is_time]
            ]
        is_num = np.array(
            [isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in objects]
        )
        if is_num.any():
            values[is_num] = _numeric_clock(objects[is_num].astype(float))
        rest &= ~is_time & ~is_num
    if rest.any():
        values[rest] = _apply_unique(_strings(s[rest]), _clock_strings)
    return values, ~missing & np.isnan(values)


def _hhmmss_valid(values: np.ndarray) -> np.ndarray:
    """Whole numbers that are HHMMSS clock times (93015 is 09:30:15)."""
    with np.errstate(invalid="ignore"):
        return (
            (np.mod(values, 1) == 0)
            & (values >= 0)
            & (values < 240000)
            & (np.mod(values, 100) < 60)
            & (np.mod(values // 100, 100) < 60)
        )


def _numeric_clock(values: np.ndarray) -> np.ndarray:
    """Seconds after midnight of numbers: fractions of a day (Excel), HHMM,
    HHMMSS or seconds.

    Notes
    -----
    Whole numbers up to 2400 whose last two digits are below 60 are HHMM. Above
    2400, a column whose values are HHMMSS (seconds and minutes below 60, hours
    below 24; at least :data:`_DIGITS_SHARE` of them, the rest unreadable) is
    HHMMSS: ``hh * 3600 + mm * 60 + ss``. Seconds after midnight fit HHMMSS
    about a third of the time (0.6 x 0.6), so a column of them falls far below
    that share. Otherwise values below 86400 are seconds after midnight and the
    rest unreadable.
    """
    finite = values[~np.isnan(values)]
    out = np.full(len(values), np.nan)
    if finite.size == 0:
        return out
    if finite.max() <= 1.0:
        return values * 86400.0  # Excel fraction of a day
    whole = np.all(np.mod(finite, 1) == 0)
    if whole and finite.max() <= 2400 and np.all(np.mod(finite, 100) < 60):
        return (values // 100) * 3600 + np.mod(values, 100) * 60  # Avaya HHMM
    hhmmss = _hhmmss_valid(values)
    if hhmmss[~np.isnan(values)].mean() >= _DIGITS_SHARE:
        seconds = (values // 10000) * 3600 + np.mod(values // 100, 100) * 60 + np.mod(values, 100)
        return np.where(hhmmss, seconds, np.nan)
    if finite.max() < 86400:
        return values  # seconds after midnight
    return out


def _clock_strings(u: pd.Series) -> np.ndarray:
    text = u.str.strip()
    # "09:00 - 09:30" / "09:00-09:30": the start of a range
    text = text.str.replace(
        r"^\s*(\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)\s*[-–~至]\s*.*$", r"\1", regex=True
    )
    ampm = text.str.extract(r"(?i)\s*([ap])\.?m\.?$")[0].str.lower()
    core = text.str.replace(r"(?i)\s*[ap]\.?m\.?$", "", regex=True)
    digits = core.str.fullmatch(r"\d{3,4}", na=False).to_numpy()
    six = core.str.fullmatch(r"\d{5,6}", na=False).to_numpy()  # HHMMSS ("093015", "93015")
    out = _clock_to_seconds(core, "hh:mm")
    if digits.any():
        number = pd.to_numeric(core[digits], errors="coerce").to_numpy(dtype=float)
        ok = np.mod(number, 100) < 60
        out[digits] = np.where(ok, (number // 100) * 3600 + np.mod(number, 100) * 60, np.nan)
    if six.any():
        number = pd.to_numeric(core[six], errors="coerce").to_numpy(dtype=float)
        out[six] = np.where(
            _hhmmss_valid(number),
            (number // 10000) * 3600 + np.mod(number // 100, 100) * 60 + np.mod(number, 100),
            np.nan,
        )
    # full datetimes in a time column: keep the clock part
    missing_clock = (
        np.isnan(out)
        & ~six
        & core.str.contains(r"\d{4}|\d{1,2}/\d{1,2}/", regex=True, na=False).to_numpy()
    )
    if missing_clock.any():
        parsed = pd.to_datetime(core[missing_clock], errors="coerce", format="mixed")
        out[missing_clock] = (
            parsed.dt.hour * 3600 + parsed.dt.minute * 60 + parsed.dt.second
        ).to_numpy(dtype=float, na_value=np.nan)
    pm = (ampm == "p").to_numpy()
    am = (ampm == "a").to_numpy()
    hours = np.floor(out / 3600)
    out = np.where(pm & (hours < 12), out + 12 * 3600, out)
    out = np.where(am & (hours == 12), out - 12 * 3600, out)
    out = np.where((out < 0) | (out > 86400), np.nan, out)
    return out


def _looks_time_only(s: pd.Series) -> bool:
    """True when a column holds clock times without dates."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return False
    if pd.api.types.is_timedelta64_dtype(s.dtype):
        return True
    sample = s.dropna().head(200)
    if sample.empty:
        return False
    if s.dtype == object and all(isinstance(v, _dt.time) for v in sample):
        return True
    if pd.api.types.is_numeric_dtype(s.dtype):
        return bool(sample.max() <= 1.0)
    text = _strings(sample)
    return bool(
        text.str.fullmatch(r"\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s*[AaPp]\.?[Mm]\.?)?", na=False).mean()
        > 0.9
    )
