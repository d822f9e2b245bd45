"""Problems report and errors of a load: :class:`LoadError`, :class:`LoadResult`, the collector.

The problem codes and the LoadError codes are listed in the docstring of
:mod:`ccmetrics.io`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = [
    "PROBLEM_COLUMNS",
    "MAPPING_CHECKS",
    "MAPPING_FIXES",
    "DROP_CODES",
    "DROPPED_SHARE_FLAG",
    "LoadError",
    "LoadResult",
    "RowAccounting",
]

#: Columns of ``LoadResult.problems``.
PROBLEM_COLUMNS = ("level", "code", "column", "rows", "message", "params")

#: Problem codes that say the mapping itself is likely wrong; a mapping editor
#: shows them first. ``single_time_of_day``: every call arrives at the same
#: clock time (a date taken as the arrival time); ``many_rows_dropped``: more
#: than :data:`DROPPED_SHARE_FLAG` of the file's rows were left out.
MAPPING_CHECKS = ("single_time_of_day", "many_rows_dropped")

#: Share of the file's rows whose dropping flags the mapping (``many_rows_dropped``).
DROPPED_SHARE_FLAG = 0.01


class LoadError(ValueError):
    """An export that cannot be loaded; the message says what was found and what is needed.

    Attributes
    ----------
    code : str
        Stable error code (see the module docstring), for translation.
    params : dict
        Values a translated message needs (file name, headers, ...).
    """

    def __init__(self, message: str, code: str = "unreadable_file", params: dict | None = None):
        super().__init__(message)
        self.code = code
        self.params = dict(params or {})


@dataclass
class LoadResult:
    """What :func:`load` returns.

    Attributes
    ----------
    frame : pandas.DataFrame
        Canonical frame (:data:`ccmetrics.schema.CALL_COLUMNS` or
        :data:`ccmetrics.schema.INTERVAL_COLUMNS`, every column present,
        missing where the export lacks it).
    kind : str
        ``"calls"`` or ``"intervals"``.
    mapping : dict
        The mapping used (canonical key -> source column or list of columns,
        plus ``"options"`` when given).
    problems : pandas.DataFrame
        One row per kind of problem: ``level, code, column, rows, message, params``.
    encoding : str or None
        Text encoding used; None for Excel and Parquet.
    source_name : str
        File name used in messages.
    format : str
        ``"csv"``, ``"excel"`` or ``"parquet"``.
    columns : list of str
        The source headers (for a mapping editor).
    file_rows : int or None
        Data rows in the file below the header, counted by the reader
        (records parsed plus records it skipped as malformed; blank lines are
        not rows). None when unknown. See :meth:`row_accounting`.
    """

    frame: pd.DataFrame
    kind: str
    mapping: dict
    problems: pd.DataFrame
    encoding: str | None = None
    source_name: str = ""
    format: str = ""
    columns: list = field(default_factory=list)
    file_rows: int | None = None

    def row_accounting(self) -> RowAccounting:
        """Rows in the file, rows loaded and rows dropped per reason.

        Returns
        -------
        RowAccounting
            ``file_rows`` (as counted by the reader), ``loaded`` (rows of
            ``frame``) and ``dropped`` (``{problem code: rows}``, from the
            ``dropped`` entry of each problem's params, in report order).

        Notes
        -----
        Every load satisfies ``file_rows = loaded + sum(dropped.values())``
        (:attr:`RowAccounting.balanced`): a row is either in the frame or
        counted under the reason it was left out.

        Examples
        --------
        >>> from ccmetrics.io import load
        >>> text = b"call_id,arrived_at,wait_s,answered\\n1,2024-01-01 09:00,12,Y\\n1,2024-01-01 09:00,12,Y\\n"
        >>> load(text).row_accounting()
        RowAccounting(file_rows=2, loaded=1, dropped={'duplicate_call_id': 1})
        """
        dropped: dict[str, int] = {}
        for record in self.problems.to_dict("records"):
            params = record.get("params")
            count = params.get("dropped") if isinstance(params, dict) else None
            if count:
                dropped[str(record["code"])] = dropped.get(str(record["code"]), 0) + int(count)
        return RowAccounting(file_rows=self.file_rows, loaded=len(self.frame), dropped=dropped)


@dataclass(frozen=True)
class RowAccounting:
    """Where the rows of a file went (:meth:`LoadResult.row_accounting`).

    Attributes
    ----------
    file_rows : int or None
        Data rows in the file (None when the reader did not count them).
    loaded : int
        Rows in the canonical frame.
    dropped : dict
        ``{problem code: rows left out for that reason}``.
    """

    file_rows: int | None
    loaded: int
    dropped: dict

    @property
    def total_dropped(self) -> int:
        """Rows left out for any reason: ``sum(dropped.values())``."""
        return int(sum(self.dropped.values()))

    @property
    def balanced(self) -> bool:
        """True when ``file_rows == loaded + total_dropped``."""
        return self.file_rows == self.loaded + self.total_dropped


class _Problems:
    """Collects problems; turns them into the problems DataFrame."""

    def __init__(self) -> None:
        self.items: list[dict] = []

    def add(self, level, code, column, rows, message, **params):
        self.items.append(
            {
                "level": level,
                "code": code,
                "column": column,
                "rows": int(rows),
                "message": message,
                "params": params,
            }
        )

    def add_rows(self, level, code, column, mask, row_numbers, message, **params):
        """Add a problem for the rows where ``mask`` is true (skip if none)."""
        mask = np.asarray(mask, dtype=bool)
        count = int(mask.sum())
        if count == 0:
            return 0
        sample = [int(r) for r in row_numbers[mask][:5]]
        text = f"{message} ({count:,} row{'s' if count != 1 else ''}; e.g. row{'s' if len(sample) > 1 else ''} "
        text += ", ".join(str(r) for r in sample) + ")"
        self.add(level, code, column, count, text, count=count, sample=sample, **params)
        return count

    def frame(self) -> pd.DataFrame:
        if not self.items:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in PROBLEM_COLUMNS}).astype(
                {"rows": "int64"}
            )
        out = pd.DataFrame(self.items, columns=list(PROBLEM_COLUMNS))
        out["rows"] = out["rows"].astype("int64")
        return out


def _note_mapping_checks(
    problems: _Problems, kind: str, frame: pd.DataFrame, file_rows: int, used: dict
) -> None:
    """Flag a mapping that is likely wrong (:data:`MAPPING_CHECKS`), with the likely fix.

    ``single_time_of_day`` (calls): at least two calls loaded and all arrive at
    one clock time; params ``time``, ``source`` (the arrival column) and
    ``fix`` (``map_date_and_time``). ``many_rows_dropped``: the rows left out
    are more than :data:`DROPPED_SHARE_FLAG` of ``file_rows``; params
    ``count`` (dropped), ``file_rows``, ``share``, ``reason`` (the code that
    dropped most) and ``fix`` (what to change for that reason).
    """
    if kind == "calls" and len(frame) >= 2:
        times = frame["arrived_at"].dropna()
        head = times.iloc[:1000]  # two clock times among the first calls settle it
        if (head - head.dt.normalize()).nunique() > 1:
            times = times.iloc[:0]
        clock = times - times.dt.normalize()
        if len(times) >= 2 and clock.nunique() == 1:
            source = used.get("arrived_at")
            label = "+".join(source) if isinstance(source, list) else str(source)
            text = str(clock.iloc[0]).split(" days ")[-1]
            problems.add(
                "warning",
                "single_time_of_day",
                "arrived_at",
                len(frame),
                f"'{label}': every call arrives at {text}: the arrival time has no time of day. "
                "Map arrived_at to [date column, time column] or to a date-time column.",
                time=text,
                source=label,
                fix="map_date_and_time",
            )
    reasons: dict[str, int] = {}
    for item in problems.items:
        if item["params"].get("dropped"):
            reasons[item["code"]] = reasons.get(item["code"], 0) + int(item["params"]["dropped"])
    dropped = sum(reasons.values())
    if file_rows and dropped > DROPPED_SHARE_FLAG * file_rows:
        reason = max(reasons, key=reasons.get)
        fix = _DROP_FIXES.get(reason, "check_mapping")
        share = dropped / file_rows
        problems.add(
            "warning",
            "many_rows_dropped",
            None,
            dropped,
            f"{dropped:,} of {file_rows:,} rows ({share:.1%}) were left out, most as {reason}. "
            f"Check the mapping ({fix}).",
            count=dropped,
            file_rows=file_rows,
            share=round(share, 4),
            reason=reason,
            fix=fix,
        )


#: Codes of the problems that leave rows out (each carries ``params["dropped"]``).
DROP_CODES = (
    "malformed_row",
    "outbound_call",
    "phantom_call",
    "missing_datetime",
    "unparseable_datetime",
    "duplicate_call_id",
    "neither_answered_nor_abandoned",
)

#: The likely fix of a mapping that drops many rows, by the reason that dropped most.
_DROP_FIXES = {
    "duplicate_call_id": "combine_call_id",
    "missing_datetime": "map_arrival_time",
    "unparseable_datetime": "set_datetime_format",
    "neither_answered_nor_abandoned": "map_outcome",
    "malformed_row": "check_delimiter",
    "phantom_call": "expected_phantoms",
    "outbound_call": "expected_outbound",
}

#: Every ``fix`` code a mapping check can carry (``params["fix"]``).
MAPPING_FIXES = ("map_date_and_time", *_DROP_FIXES.values(), "check_mapping")
