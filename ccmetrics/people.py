"""People: the agent roster, attrition, survival by tenure and KPIs by tenure band.

An agent roster lists each employment spell of an agent: the agent's id, team,
start date and leave date (blank while still employed). From it:

* :func:`read_roster` — read a roster file (CSV/TSV/Excel, English or Chinese
  headers, UTF-8 or GBK text) with the loader's reader (:mod:`ccmetrics.io`).
* :func:`attrition` — per month (or quarter, year): headcount, leavers, average
  headcount, the attrition rate with an exact Poisson interval and the
  annualised rate; optionally per team.
* :func:`survival` — Kaplan–Meier estimate of staying employed by tenure, with
  Greenwood confidence intervals.
* :func:`tenure_bands` and :func:`kpis_by_tenure` — each call's agent tenure at
  the call date, and the KPIs of :func:`ccmetrics.kpi.compute` by tenure band
  (the learning curve of handle time, QA and first-contact resolution).

Functions return numbers and codes; the pages translate them.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from ccmetrics.i18n import t
from ccmetrics.io.parse import _missing_mask, _parse_datetime
from ccmetrics.io.problems import LoadError, _Problems
from ccmetrics.io.read import _source_bytes, _Table
from ccmetrics.io.synonyms import SYNONYMS

__all__ = [
    "ROSTER_COLUMNS",
    "ROSTER_HEADERS",
    "DAYS_PER_MONTH",
    "DEFAULT_BANDS",
    "RosterError",
    "read_roster",
    "attrition",
    "attrition_summary",
    "survival",
    "tenure_bands",
    "kpis_by_tenure",
]

#: Columns of a roster as :func:`read_roster` returns it.
ROSTER_COLUMNS = ("agent", "team", "start_date", "leave_date", "role")

#: Headers of a roster's columns beyond the loader's synonyms (data: a JSON file).
_HEADER_FILE = Path(__file__).resolve().parent / "mappings" / "roster_headers.json"


def _roster_headers() -> dict[str, tuple[str, ...]]:
    extra = json.loads(_HEADER_FILE.read_text(encoding="utf-8"))
    headers = {}
    for column in ("agent", "team", "start_date", "leave_date", "role"):
        names = [*SYNONYMS["calls"].get(column, ()), *extra.get(column, ())]
        headers[column] = tuple(dict.fromkeys(n.strip().lower() for n in names))
    return headers


#: Headers recognised for each roster column (compared stripped and lower-cased): the
#: loader's synonyms of ``agent`` and ``team`` plus ``ccmetrics/mappings/roster_headers.json``.
ROSTER_HEADERS: dict[str, tuple[str, ...]] = _roster_headers()
#: Roster columns a file must have (a blank leave date means still employed).
_REQUIRED = ("agent", "start_date", "leave_date")

#: Average days of a month (365.25 / 12): tenure in months is days / DAYS_PER_MONTH.
DAYS_PER_MONTH = 365.25 / 12

#: Default tenure bands in months: [0, 3), [3, 6), [6, 12), [12, 24), [24, ∞).
DEFAULT_BANDS = (0, 3, 6, 12, 24)

#: Rows named in a message at most.
_EXAMPLE_ROWS = 5
#: Characters of a cell a message quotes at most (a cell may be megabytes long).
_EXAMPLE_CHARS = 40
#: Roster dates outside [_FIRST_DATE, _END_DATE) are not read (the loader's parser
#: refuses placeholder and far-off dates the same way).
_FIRST_DATE = pd.Timestamp("1900-01-01")
_END_DATE = pd.Timestamp("2200-01-01")
#: Day zero of Excel's serial days (1900 date system, its 1900-02-29 included).
_SERIAL_ORIGIN = "1899-12-30"
#: Characters of the longest date a roster cell may hold ("Wednesday, 31 December 2025").
_MAX_DATE_CHARS = 64


class RosterError(LoadError):
    """A roster file that cannot be used; ``code`` and ``params`` give the reason.

    The message is the English text of the translation key ``error.<code>``
    (``ccmetrics/locales/people.py``); a display translates the code with the same
    params. Errors of reading the file itself (empty, not a table, damaged) are the
    loader's :class:`ccmetrics.io.LoadError` codes.

    Attributes
    ----------
    code : str
        ``roster_missing_column`` (params ``file, column, columns``),
        ``roster_no_rows`` (``file``), ``roster_bad_dates`` (``file, column, count,
        rows, examples``), ``roster_leave_before_start`` (``file, count, rows,
        examples``), ``roster_duplicate_column`` (``file, column``: two columns of
        the same header) or ``roster_overlapping_spells`` (``file, count, rows,
        examples``: an agent employed twice at once, a repeated row included). ``rows`` are line numbers of the file (header on line 1).
    params : dict
    """

    def __init__(self, code: str, **params):
        super().__init__(t(f"error.{code}", "en", **params), code, params)


def _find_columns(headers: list[str]) -> dict[str, str]:
    """Roster column -> the file's header that holds it (first match in ROSTER_HEADERS order)."""
    lowered = {str(h).strip().lower(): h for h in reversed(headers)}
    found = {}
    for column, names in ROSTER_HEADERS.items():
        for name in names:
            if name in lowered:
                found[column] = lowered[name]
                break
    return found


def _dates(values: pd.Series, column: str) -> tuple[pd.Series, np.ndarray]:
    """Dates of a roster column and the mask of non-blank values that are not dates.

    A column of five-digit numbers only is Excel serial days (date = 1899-12-30 +
    n days). Otherwise the loader's date parser reads the column's format
    (detected); a value in another format, as hand-kept rosters mix them, is read on
    its own if it has a four-digit year and its day and month cannot be swapped
    (year first, or a day above 12, or a month name).
    """
    blank = _missing_mask(values)
    text = values.astype("string").str.strip()
    if (~blank).any() and bool(text[~blank].str.fullmatch(r"\d{5}(\.0+)?").all()):
        # five-digit numbers are Excel serial days (43831 is 2020-01-01), as a roster saved
        # from Excel with its dates formatted as numbers has them; read as text they would
        # pass for YYMMDD (43831 as 2043-08-31, 43900 not a date)
        days = pd.to_numeric(text.where(~blank), errors="coerce")
        dates = pd.Timestamp(_SERIAL_ORIGIN) + pd.to_timedelta(days, unit="D")
        bad = ~blank & ((dates < _FIRST_DATE) | (dates >= _END_DATE)).to_numpy()
        return dates.where(~bad).dt.normalize(), bad
    # a date is short; a long cell is never one (and the parsers' time grows with a cell's
    # length, the free-form one's with its square: a 20 MB cell took minutes)
    long = ~blank & (text.str.len() > _MAX_DATE_CHARS).fillna(False).to_numpy(dtype=bool)
    parsed, bad = _parse_datetime(values.where(~long), _Problems(), column, {}, date_only=True)
    dates = pd.Series(parsed.to_numpy(dtype="datetime64[ns]"), index=values.index)
    bad = (np.asarray(bad, dtype=bool) | long) & ~blank
    if bad.any():
        text = values[bad].astype("string").str.strip()
        text = text.where(text.str.len() <= _MAX_DATE_CHARS)
        again = pd.to_datetime(text, errors="coerce", format="mixed")
        # 01/02/2020 is 2 January or 1 February: a value is read only when its year comes
        # first or both orders give the same day (13/02/2020, 5 March 2020)
        day_first = pd.to_datetime(text, errors="coerce", format="mixed", dayfirst=True)
        year_first = text.str.match(r"\d{4}\D").fillna(False).astype(bool)
        again = again.where(year_first | (again == day_first))
        again = again.where(text.str.contains(r"\d{4}", regex=True).fillna(False).astype(bool))
        # outside the window a date is a placeholder (0001-01-01, 9999-12-31) or a typo, and
        # beyond 1677-2262 it would wrap around in nanoseconds
        again = again.where((again >= _FIRST_DATE) & (again < _END_DATE))
        dates[bad] = again.to_numpy(dtype="datetime64[ns]")
        bad[bad] = again.isna().to_numpy()
    return dates.dt.normalize(), bad


def _shown(values: pd.Series) -> list[str]:
    """The first values a message quotes, each cut to _EXAMPLE_CHARS characters."""
    out = []
    for value in values.head(_EXAMPLE_ROWS).astype("string").fillna(""):
        out.append(value if len(value) <= _EXAMPLE_CHARS else value[:_EXAMPLE_CHARS] + "…")
    return out


def _overlapping_spells(
    agent: pd.Series, start: pd.Series, leave: pd.Series, has_agent: np.ndarray
) -> np.ndarray:
    """Rows whose spell overlaps another spell of the same agent (a repeated row too).

    Spells of one agent sorted by start date overlap when a start date is on or
    before the previous spell's leave date (the last day employed; blank = still
    employed, so any later spell overlaps it).
    """
    # the latest time of the column's own unit (dates read from Excel serials are in us)
    still_employed = pd.Timestamp.max.as_unit(np.datetime_data(leave.dtype)[0])
    spells = pd.DataFrame(
        {"agent": agent, "start": start, "leave": leave.fillna(still_employed)}
    )[has_agent]
    spells = spells.sort_values(["agent", "start"], kind="stable")
    previous = spells.groupby("agent", sort=False)["leave"].shift(1)
    # cumulative latest leave date of the agent's earlier spells (a long spell may cover many)
    latest = previous.groupby(spells["agent"], sort=False).cummax()
    clash = (spells["start"] <= latest).fillna(False).to_numpy(dtype=bool)
    # both spells of a clash are named: the earlier one too
    agents = set(spells["agent"][clash])
    mask = np.zeros(len(agent), dtype=bool)
    mask[has_agent] = agent[has_agent].isin(agents).to_numpy()
    return mask


def _lines(mask: np.ndarray, line_of_row: np.ndarray) -> str:
    return ", ".join(str(int(line_of_row[i])) for i in np.flatnonzero(mask)[:_EXAMPLE_ROWS])


def read_roster(source, *, sheet=None) -> pd.DataFrame:
    """Read an agent roster file.

    Parameters
    ----------
    source : str, Path, bytes or binary file object
        As for :func:`ccmetrics.io.load`: a CSV/TSV (UTF-8, GBK/GB18030, gzip or zip
        allowed), an Excel workbook or a Parquet file.
    sheet : str or int, optional
        Excel sheet; the first if None.

    Returns
    -------
    DataFrame
        One row per employment spell: ``agent`` (str), ``team`` (str, missing when
        the file has no team column), ``start_date`` and ``leave_date``
        (datetime64, midnight; ``leave_date`` NaT while still employed) and
        ``role`` (str, missing when absent). ``attrs``: ``file`` (the file name),
        ``file_rows`` (data rows of the file), ``dropped`` (dict reason -> rows
        left out: ``missing_agent`` for rows without an agent id,
        ``malformed_row`` for CSV rows with a wrong number of fields), so
        ``file_rows == len(frame) + sum(dropped.values())``.

    Raises
    ------
    RosterError
        A required column is missing or repeated, there is no data row, a date
        cannot be read (or lies outside 1900-2199), a leave date is before its
        start date or two spells of an agent overlap — naming the file, column
        and rows.
    LoadError
        The loader's errors for a file that is not a readable table.

    Notes
    -----
    Headers are matched stripped and case-insensitively against
    :data:`ROSTER_HEADERS` (``agent``/``工号``/``坐席``, ``team``/``班组``,
    ``start date``/``入职日期``, ``leave date``/``离职日期``, ``role``/``岗位``).
    ``agent``, ``start_date`` and ``leave_date`` are required; a blank start date
    is an error, a blank leave date means still employed. Dates are read by the
    loader's parser (one format per column, e.g. 2024-03-01, 2024/3/1,
    2024年3月1日, Excel serial days). The leave date is the last day employed. An
    agent on several rows has several spells (a re-hire); the spells of an agent
    must not overlap (a repeated row would count the agent twice).
    """
    data, name = _source_bytes(source)
    table = _Table(data, name, None, sheet, _Problems())
    del data
    headers = list(table.columns)
    found = _find_columns(headers)
    for column in _REQUIRED:
        if column not in found:
            raise RosterError(
                "roster_missing_column",
                file=name,
                column=column,
                columns=", ".join(map(str, headers)),
            )
    for header in found.values():
        # the reader names a repeated header "agent.1": which of the two is meant is unknown
        if f"{header}.1" in headers:
            raise RosterError("roster_duplicate_column", file=name, column=str(header))
    raw = table.read(list(found.values()), set(found.values()))
    file_rows = len(raw) + table.skipped_rows
    if len(raw) == 0:
        raise RosterError("roster_no_rows", file=name)
    # line number of each data row in the file: header on line 1 (CSV after any preamble)
    offset = getattr(table, "header_line", 0) + 2
    line_of_row = np.arange(len(raw)) + offset
    agent = raw[found["agent"]].astype("string").str.strip()
    has_agent = (agent.notna() & (agent != "")).to_numpy()
    start, bad_start = _dates(raw[found["start_date"]], str(found["start_date"]))
    leave, bad_leave = _dates(raw[found["leave_date"]], str(found["leave_date"]))
    bad_start = (bad_start | start.isna().to_numpy()) & has_agent
    bad_leave = bad_leave & has_agent
    for column, bad in (("start_date", bad_start), ("leave_date", bad_leave)):
        if bad.any():
            raise RosterError(
                "roster_bad_dates",
                file=name,
                column=str(found[column]),
                count=int(bad.sum()),
                rows=_lines(bad, line_of_row),
                examples=", ".join(f"“{v}”" for v in _shown(raw[found[column]][bad])),
            )
    backwards = (leave < start).to_numpy() & has_agent
    if backwards.any():
        raise RosterError(
            "roster_leave_before_start",
            file=name,
            count=int(backwards.sum()),
            rows=_lines(backwards, line_of_row),
            examples=", ".join(_shown(agent[backwards])),
        )
    overlapping = _overlapping_spells(agent, start, leave, has_agent)
    if overlapping.any():
        raise RosterError(
            "roster_overlapping_spells",
            file=name,
            count=int(overlapping.sum()),
            rows=_lines(overlapping, line_of_row),
            examples=", ".join(_shown(agent[overlapping].drop_duplicates())),
        )

    def text(column: str) -> pd.Series:
        if column not in found:
            return pd.Series(pd.NA, index=raw.index, dtype="string")
        values = raw[found[column]].astype("string").str.strip()
        return values.mask(values == "")

    roster = pd.DataFrame(
        {
            "agent": agent,
            "team": text("team"),
            "start_date": start,
            "leave_date": leave,
            "role": text("role"),
        }
    )[has_agent].reset_index(drop=True)
    dropped = {"missing_agent": int((~has_agent).sum())}
    if table.skipped_rows:
        dropped["malformed_row"] = int(table.skipped_rows)
    roster.attrs.update(file=name, file_rows=int(file_rows), dropped=dropped)
    return roster


# ---------------------------------------------------------------------------
# attrition
# ---------------------------------------------------------------------------


def _person_days(start: np.ndarray, leave: np.ndarray, first, last) -> float:
    """Days employed within [first, last] (both included), summed over spells."""
    first, last = np.datetime64(first, "D"), np.datetime64(last, "D")
    begin = np.maximum(start.astype("datetime64[D]"), first)
    end = np.where(np.isnat(leave), last, np.minimum(leave.astype("datetime64[D]"), last))
    days = (end - begin).astype("int64") + 1
    return float(np.clip(days, 0, None).sum())


def _poisson_interval(count: int, level: float) -> tuple[float, float]:
    """Exact (Garwood) interval of a Poisson mean given ``count`` events."""
    alpha = 1.0 - level
    lower = 0.0 if count == 0 else stats.chi2.ppf(alpha / 2, 2 * count) / 2
    upper = stats.chi2.ppf(1 - alpha / 2, 2 * count + 2) / 2
    return float(lower), float(upper)


def _period_starts(first: pd.Timestamp, last: pd.Timestamp, freq: str) -> pd.DatetimeIndex:
    offset = pd.tseries.frequencies.to_offset(freq)
    opening = offset.rollback(first.normalize())
    return pd.date_range(opening, last, freq=offset)


def attrition(
    roster: pd.DataFrame,
    freq: str = "MS",
    *,
    by: str | None = None,
    start=None,
    end=None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Attrition per period: headcount, leavers and the attrition rate with an interval.

    Parameters
    ----------
    roster : DataFrame
        As :func:`read_roster` returns it.
    freq : str, default "MS"
        Period start alias: "MS" (months), "QS" (quarters), "YS" (years).
    by : str, optional
        A roster column to split by (e.g. "team").
    start, end : date-like, optional
        First and last day counted (default: the earliest start date and the latest
        start or leave date). A last period cut by ``end`` counts its days up to ``end``.
    level : float, default 0.95
        Confidence level of the interval.

    Returns
    -------
    DataFrame
        One row per period (and ``by`` value): ``by`` column if given, ``period``
        (first day), ``period_end`` (last day counted), ``days``,
        ``headcount_start`` (employed on the first day), ``headcount_end``
        (employed on the last day), ``hires`` (spells starting in the period),
        ``leavers`` (spells whose leave date is in the period),
        ``average_headcount`` (person-days / days), ``attrition_rate``,
        ``ci_lower``, ``ci_upper``, ``annualised_rate``.

    Notes
    -----
    ``average headcount = Σ days employed in the period / days of the period``
    (the mean daily headcount; a spell is employed from its start date to its
    leave date, both included).

    ``attrition rate = leavers / average headcount`` (per period).

    Interval: leavers are taken as Poisson with mean rate × average headcount, and
    the exact (Garwood 1936) interval of the count,
    ``[χ²(α/2; 2k)/2, χ²(1 − α/2; 2k + 2)/2]``, is divided by the average headcount
    (k = 0 gives [0, 3.689/average] at 95 %).

    ``annualised rate = leavers / person-years = rate × 365.25 / days``.
    """
    first, last = _bounds(roster, start, end)
    starts = _period_starts(first, last, freq)
    rows = []
    for key, spells in _groups(roster, by):
        for opening in starts:
            next_opening = opening + pd.tseries.frequencies.to_offset(freq)
            period_last = min(next_opening - pd.Timedelta(days=1), last)
            row = _span_row(*spells, max(opening, first), period_last, level)
            rows.append(row if by is None else {by: key, **row})
    return pd.DataFrame(rows)


def _bounds(roster: pd.DataFrame, start, end) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day counted: given, else the roster's first start and last date."""
    if roster.empty:
        raise ValueError("the roster has no rows")
    start_dates = roster["start_date"].to_numpy(dtype="datetime64[ns]")
    leave_dates = roster["leave_date"].to_numpy(dtype="datetime64[ns]")
    first = pd.Timestamp(start if start is not None else np.nanmin(start_dates)).normalize()
    known = np.concatenate([start_dates, leave_dates[~np.isnat(leave_dates)]])
    last = pd.Timestamp(end if end is not None else known.max()).normalize()
    if last < first:
        raise ValueError("end is before start")
    return first, last


def _groups(roster: pd.DataFrame, by: str | None):
    """(key, (start days, leave days)) for the whole roster or each ``by`` value."""
    parts = [(None, roster)] if by is None else roster.groupby(by, sort=True, observed=True)
    for key, part in parts:
        start = part["start_date"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        leave = part["leave_date"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        yield key, (start, leave)


def _span_row(start, leave, first: pd.Timestamp, last: pd.Timestamp, level: float) -> dict:
    """Headcount, leavers and rates of the spells over the days [first, last]."""
    days = (last - first).days + 1
    a, b = np.datetime64(first, "D"), np.datetime64(last, "D")
    on_first = (start <= a) & (np.isnat(leave) | (leave >= a))
    on_last = (start <= b) & (np.isnat(leave) | (leave >= b))
    leavers = int(np.sum(~np.isnat(leave) & (leave >= a) & (leave <= b)))
    average = _person_days(start, leave, a, b) / days
    rate = lower = upper = annual = float("nan")
    if average > 0:
        low_count, high_count = _poisson_interval(leavers, level)
        rate, lower, upper = leavers / average, low_count / average, high_count / average
        annual = rate * 365.25 / days
    return {
        "period": first,
        "period_end": last,
        "days": days,
        "headcount_start": int(on_first.sum()),
        "headcount_end": int(on_last.sum()),
        "hires": int(np.sum((start >= a) & (start <= b))),
        "leavers": leavers,
        "average_headcount": average,
        "attrition_rate": rate,
        "ci_lower": lower,
        "ci_upper": upper,
        "annualised_rate": annual,
    }


def attrition_summary(
    roster: pd.DataFrame, *, by: str | None = None, start=None, end=None, level: float = 0.95
) -> pd.DataFrame:
    """Attrition over one span of days (e.g. the last 24 months), overall or per ``by`` value.

    Parameters
    ----------
    roster, by, start, end, level
        As for :func:`attrition`.

    Returns
    -------
    DataFrame
        One row (per ``by`` value): the columns of :func:`attrition` for the span
        [start, end], plus ``annualised_lower`` and ``annualised_upper`` (the
        interval of the annualised rate).

    Notes
    -----
    As :func:`attrition` with the whole span as one period: ``average headcount =
    person-days / days``; ``annualised rate = leavers / person-years`` with the exact
    Poisson interval of the leavers divided by the person-years.
    """
    first, last = _bounds(roster, start, end)
    rows = []
    for key, spells in _groups(roster, by):
        row = _span_row(*spells, first, last, level)
        scale = 365.25 / row["days"]
        row["annualised_lower"] = row["ci_lower"] * scale
        row["annualised_upper"] = row["ci_upper"] * scale
        rows.append(row if by is None else {by: key, **row})
    return pd.DataFrame(rows)


# ---------------------------------------------------------------------------
# survival by tenure
# ---------------------------------------------------------------------------


def survival(roster: pd.DataFrame, *, end=None, level: float = 0.95) -> pd.DataFrame:
    """Kaplan–Meier estimate of the share of agents still employed by tenure.

    Parameters
    ----------
    roster : DataFrame
        As :func:`read_roster` returns it.
    end : date-like, optional
        The data's end date: spells still open on it (no leave date, or a leave date
        after it) are censored there; spells starting after it are left out.
        Default: the latest start or leave date of the roster.
    level : float, default 0.95
        Confidence level of the pointwise interval.

    Returns
    -------
    DataFrame
        One row per distinct tenure with a leaver, preceded by a row at tenure 0
        (survival 1): ``tenure_days``, ``tenure_months`` (days / 30.44),
        ``at_risk``, ``leavers``, ``censored`` (spells censored at tenures from
        this row's to the next's), ``survival``, ``se`` (Greenwood), ``ci_lower``,
        ``ci_upper``. ``attrs``: ``spells``, ``leavers``, ``median_months`` (the
        first tenure where survival ≤ 0.5; NaN if never).

    Notes
    -----
    Tenure of a spell: leave date − start date in days (a leaver) or end − start
    date (censored). Kaplan–Meier (1958): at each tenure tᵢ with dᵢ leavers and
    nᵢ spells at risk (tenure ≥ tᵢ), ``S(t) = Π_{tᵢ ≤ t} (1 − dᵢ/nᵢ)``.
    Greenwood's variance: ``Var S(t) = S(t)² Σ_{tᵢ ≤ t} dᵢ / (nᵢ (nᵢ − dᵢ))``.
    The interval is Greenwood's on the log(−log) scale (Kalbfleisch & Prentice),
    which stays within [0, 1]: ``S(t)^exp(± z σ / log S(t))`` with
    ``σ² = Σ dᵢ/(nᵢ(nᵢ − dᵢ)) / (log S(t))²``; where S = 1 it is [1, 1] and where
    S = 0 it is [0, 0].
    """
    start = roster["start_date"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    leave = roster["leave_date"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    known = np.concatenate([start, leave[~np.isnat(leave)]])
    last = np.datetime64(pd.Timestamp(end).normalize() if end is not None else known.max(), "D")
    keep = start <= last
    start, leave = start[keep], leave[keep]
    left = ~np.isnat(leave) & (leave <= last)
    stop = np.where(left, leave, last)
    durations = (stop - start).astype("int64").astype(float)
    return _kaplan_meier(durations, left, level)


def _kaplan_meier(durations: np.ndarray, events: np.ndarray, level: float) -> pd.DataFrame:
    """Kaplan–Meier table with Greenwood log(−log) intervals (see :func:`survival`)."""
    durations = np.asarray(durations, dtype=float)
    events = np.asarray(events, dtype=bool)
    z = stats.norm.ppf(0.5 + level / 2)
    times = np.unique(durations[events])
    rows = [
        {
            "tenure_days": 0.0,
            "at_risk": int(len(durations)),
            "leavers": 0,
            "censored": int(np.sum(~events & (durations < (times[0] if len(times) else np.inf)))),
            "survival": 1.0,
            "se": 0.0,
            "ci_lower": 1.0,
            "ci_upper": 1.0,
        }
    ]
    s, greenwood = 1.0, 0.0
    for i, time in enumerate(times):
        at_risk = int(np.sum(durations >= time))
        leavers = int(np.sum(events & (durations == time)))
        upto = times[i + 1] if i + 1 < len(times) else np.inf
        censored = int(np.sum(~events & (durations >= time) & (durations < upto)))
        s *= 1.0 - leavers / at_risk
        if at_risk > leavers:
            greenwood += leavers / (at_risk * (at_risk - leavers))
        se = s * math.sqrt(greenwood)
        if 0.0 < s < 1.0:
            log_s = math.log(s)
            sigma = math.sqrt(greenwood) / abs(log_s)
            lower = s ** math.exp(z * sigma)
            upper = s ** math.exp(-z * sigma)
        else:
            lower = upper = s
        rows.append(
            {
                "tenure_days": float(time),
                "at_risk": at_risk,
                "leavers": leavers,
                "censored": censored,
                "survival": s,
                "se": se,
                "ci_lower": lower,
                "ci_upper": upper,
            }
        )
    table = pd.DataFrame(rows)
    table.insert(1, "tenure_months", table["tenure_days"] / DAYS_PER_MONTH)
    below = table[table["survival"] <= 0.5]
    table.attrs.update(
        spells=int(len(durations)),
        leavers=int(events.sum()),
        median_months=float(below["tenure_months"].iloc[0]) if len(below) else float("nan"),
    )
    return table


# ---------------------------------------------------------------------------
# tenure and the learning curve
# ---------------------------------------------------------------------------


def _band_labels(bands) -> list[str]:
    edges = list(bands)
    labels = []
    for low, high in zip(edges, [*edges[1:], None], strict=True):
        labels.append(f"{low:g}–{high:g}" if high is not None else f"{low:g}+")
    return labels


def tenure_bands(tenure_months, bands=DEFAULT_BANDS) -> pd.Categorical:
    """The tenure band of each tenure (in months).

    Parameters
    ----------
    tenure_months : array-like
        Tenures in months (NaN where unknown).
    bands : sequence of float, default DEFAULT_BANDS
        Increasing lower edges in months; the last band is open-ended.

    Returns
    -------
    pandas.Categorical
        Ordered labels such as ``"0–3"``, ``"3–6"``, …, ``"24+"`` (months); each
        band holds tenures with ``low ≤ tenure < high``. Missing where the tenure
        is unknown or below the first edge.
    """
    edges = [float(b) for b in bands]
    if not edges:
        raise ValueError("tenure bands need at least one edge")
    if any(later <= earlier for earlier, later in zip(edges, edges[1:], strict=False)):
        raise ValueError("tenure bands must be increasing")
    values = np.asarray(tenure_months, dtype=float)
    labels = _band_labels(bands)
    codes = np.searchsorted(np.asarray(edges), values, side="right") - 1
    codes = np.where(np.isfinite(values) & (values >= edges[0]), codes, -1)
    return pd.Categorical.from_codes(codes, categories=labels, ordered=True)


def _tenure_at_calls(calls: pd.DataFrame, roster: pd.DataFrame) -> np.ndarray:
    """Tenure in months of each call's agent on the call's date (NaN when not on the roster
    or not employed that day); with several spells, the latest started by the call date."""
    missing = [c for c in ("arrived_at", "agent") if c not in calls.columns]
    if missing:
        raise ValueError(f"the calls have no column {missing}: tenure needs arrived_at and agent")
    left = pd.DataFrame(
        {
            "position": np.arange(len(calls)),
            "agent": calls["agent"].astype("string").to_numpy(),
            "day": pd.to_datetime(calls["arrived_at"])
            .dt.normalize()
            .to_numpy(dtype="datetime64[ns]"),
        }
    ).dropna(subset=["agent", "day"])
    right = pd.DataFrame(
        {
            "agent": roster["agent"].astype("string").to_numpy(),
            "start": roster["start_date"].to_numpy(dtype="datetime64[ns]"),
            "leave": roster["leave_date"].to_numpy(dtype="datetime64[ns]"),
        }
    ).dropna(subset=["agent", "start"])
    left = left.sort_values("day", kind="stable")
    right = right.sort_values("start", kind="stable")
    joined = pd.merge_asof(
        left, right, left_on="day", right_on="start", by="agent", direction="backward"
    )
    inside = joined["start"].notna() & (joined["leave"].isna() | (joined["day"] <= joined["leave"]))
    months = (joined["day"] - joined["start"]).dt.days / DAYS_PER_MONTH
    tenure = np.full(len(calls), np.nan)
    tenure[joined["position"].to_numpy()[inside.to_numpy()]] = months[inside].to_numpy()
    return tenure


def kpis_by_tenure(
    calls: pd.DataFrame,
    roster: pd.DataFrame,
    *,
    bands=DEFAULT_BANDS,
    settings=None,
) -> pd.DataFrame:
    """The KPIs of :func:`ccmetrics.kpi.compute` by the agent's tenure band at the call date.

    Parameters
    ----------
    calls : DataFrame
        Canonical calls with ``arrived_at`` and ``agent`` (FCR flags added by
        :func:`ccmetrics.kpi.add_fcr_flags` when FCR is wanted).
    roster : DataFrame
        As :func:`read_roster` returns it.
    bands : sequence of float, default DEFAULT_BANDS
        Lower edges of the tenure bands in months (see :func:`tenure_bands`).
    settings : KpiSettings, optional
        As for :func:`ccmetrics.kpi.compute`.

    Returns
    -------
    DataFrame
        One row per tenure band (in band order, every band present): ``tenure_band``,
        ``agents`` (distinct agents with calls in the band), then the columns of
        :func:`ccmetrics.kpi.compute` (``aht_s``, ``qa_mean``, ``qa_n``,
        ``fcr_rate``, … with their n). ``attrs["unmatched_calls"]``: answered calls
        whose agent is not on the roster or not employed on the call date (left out).

    Notes
    -----
    ``tenure = (call date − start date of the agent's spell) / 30.44`` months, the
    spell being the latest one started on or before the call date; a call after
    that spell's leave date is unmatched. Within each band the KPIs are
    :func:`ccmetrics.kpi.compute`'s, e.g. AHT = Σ handle time / answered calls.
    """
    from ccmetrics import kpi

    tenure = _tenure_at_calls(calls, roster)
    band = tenure_bands(tenure, bands)
    frame = calls.assign(tenure_band=band)
    answered = frame["answered"].fillna(False).to_numpy(dtype=bool) if "answered" in frame else None
    has_agent = frame["agent"].notna().to_numpy()
    matched = band.codes >= 0
    unmatched = int(np.sum(has_agent & ~matched & (answered if answered is not None else True)))
    scoped = frame[matched]
    table = kpi.compute(scoped, by="tenure_band", settings=settings)
    agents = scoped.groupby("tenure_band", observed=False)["agent"].nunique()
    table = table.set_index("tenure_band").reindex(band.categories)
    table.insert(0, "agents", agents.reindex(band.categories).fillna(0).astype(int))
    table.index = pd.CategoricalIndex(table.index, categories=band.categories, ordered=True)
    table.index.name = "tenure_band"
    table = table.reset_index()
    table.attrs["unmatched_calls"] = unmatched
    return table
