"""Problems report and errors of a load: :class:`LoadError`, :class:`LoadResult`, the collector.

The problem codes and the LoadError codes are listed in the docstring of
:mod:`ccmetrics.io`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["PROBLEM_COLUMNS", "LoadError", "LoadResult"]

#: Columns of ``LoadResult.problems``.
PROBLEM_COLUMNS = ("level", "code", "column", "rows", "message", "params")


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
    """

    frame: pd.DataFrame
    kind: str
    mapping: dict
    problems: pd.DataFrame
    encoding: str | None = None
    source_name: str = ""
    format: str = ""
    columns: list = field(default_factory=list)


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
