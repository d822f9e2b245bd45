"""The engine: KPI sums, FCR and call windows as SQL queries over an embedded DuckDB.

A :class:`Dataset` holds canonical calls where DuckDB reads them — a pandas
frame (registered as Arrow), a canonical Parquet file or a folder of them —
and answers each question with one SQL query whose result is a small pandas
frame: the summed measures of :mod:`ccmetrics.cube` per period × dimensions
(:meth:`Dataset.sums`), the KPIs derived from them by :func:`ccmetrics.kpi.derive`
(:meth:`Dataset.kpis`), and the calls of a window (:meth:`Dataset.window`).
The per-call pandas frame is not the unit of work: a Parquet folder larger
than memory is aggregated with DuckDB's memory limit and spilling to disk.

The measures are one table, :data:`MEASURE_SQL` (measure name → the SQL
expression of one call's value, summed per group), mirroring
:func:`ccmetrics.cube.call_measures`; adding a measure is one entry there.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ccmetrics import kpi
from ccmetrics.cube import IVR_COLUMNS, MEASURES
from ccmetrics.schema import KpiSettings

__all__ = [
    "Dataset",
    "MeasureSql",
    "MEASURE_SQL",
    "COVERED_KPIS",
    "NOT_COVERED_KPIS",
    "period_sql",
    "is_dataset",
]


@dataclass(frozen=True)
class MeasureSql:
    """One additive measure of a call, as SQL.

    Attributes
    ----------
    sql : str
        An expression over one call's canonical columns giving its value (a
        number, never NULL); it may name the settings ``{sl_threshold_s}``,
        ``{short_abandon_s}`` and ``{csat_top_box}`` and the FCR flags
        ``__fcr_eligible`` / ``__fcr_resolved``.
    needs : tuple of str
        Canonical columns that must each have at least one known value in the
        selection; otherwise the measure is missing (NaN), as
        :func:`ccmetrics.cube.call_measures` leaves a measure whose input the
        frame lacks. ``"__fcr"`` stands for "the data supports an FCR definition".
    """

    sql: str
    needs: tuple[str, ...] = ()


def _flag(condition: str, *needs: str) -> MeasureSql:
    """A 0/1 measure: 1 when ``condition`` is true (an unknown condition counts 0)."""
    return MeasureSql(f"CASE WHEN {condition} THEN 1 ELSE 0 END", needs)


def _value(condition: str, value: str, *needs: str) -> MeasureSql:
    """A sum measure: ``value`` where ``condition`` holds, else 0."""
    return MeasureSql(f"CASE WHEN {condition} THEN {value} ELSE 0.0 END", needs)


_HANDLED = "answered AND talk_s IS NOT NULL"
_HANDLE = "talk_s + coalesce(hold_s, 0.0) + coalesce(acw_s, 0.0)"
_COSTED = "(answered OR abandoned) AND cost IS NOT NULL"
#: A call that ended in the IVR (self-served or hung up there): never offered to a queue,
#: so CSAT, QA and FCR leave it out as :func:`ccmetrics.cube.ivr_only_rows` does.
_IVR_ONLY = "(coalesce(ivr_contained, false) OR coalesce(ivr_abandoned, false))"
_QUEUED = f"NOT {_IVR_ONLY}"

#: The measures of :data:`ccmetrics.cube.MEASURES` the engine computes from calls:
#: name → :class:`MeasureSql`. Mirrors :func:`ccmetrics.cube.call_measures` (NULL
#: comparisons are false as NaN comparisons are there: an unknown wait is never short
#: or within T). Measures not listed (interval staffing, reported service level, and
#: any added to the cube since) are missing from call data, as they are there.
MEASURE_SQL: dict[str, MeasureSql] = {
    "offered": _flag("answered OR abandoned"),
    "answered": _flag("answered"),
    "abandoned": _flag("abandoned"),
    "short_abandoned": _flag("abandoned AND wait_s < {short_abandon_s}"),
    "answered_in_sl": _flag("answered AND wait_s <= {sl_threshold_s}"),
    "abandoned_in_sl": _flag("abandoned AND wait_s <= {sl_threshold_s}"),
    "wait_n": _flag("answered AND wait_s IS NOT NULL"),
    "wait_s_sum": _value("answered AND wait_s IS NOT NULL", "wait_s"),
    "wait_s_sq_sum": _value("answered AND wait_s IS NOT NULL", "wait_s * wait_s"),
    "abandon_wait_n": _flag("abandoned AND wait_s IS NOT NULL"),
    "abandon_wait_s_sum": _value("abandoned AND wait_s IS NOT NULL", "wait_s"),
    "handle_n": _flag(_HANDLED, "talk_s"),
    "talk_s_sum": _value(_HANDLED, "talk_s", "talk_s"),
    "hold_s_sum": _value(_HANDLED, "coalesce(hold_s, 0.0)", "talk_s", "hold_s"),
    "acw_s_sum": _value(_HANDLED, "coalesce(acw_s, 0.0)", "talk_s", "acw_s"),
    "handle_s_sum": _value(_HANDLED, _HANDLE, "talk_s"),
    "handle_s_sq_sum": _value(_HANDLED, f"({_HANDLE}) * ({_HANDLE})", "talk_s"),
    "transfer_n": _flag("answered AND transferred IS NOT NULL", "transferred"),
    "transferred": _flag("answered AND transferred", "transferred"),
    "fcr_n": _flag("__fcr_eligible", "__fcr"),
    "fcr_resolved": _flag("__fcr_eligible AND __fcr_resolved", "__fcr"),
    "csat_n": _flag(f"{_QUEUED} AND csat IS NOT NULL", "csat"),
    "csat_sum": _value(f"{_QUEUED} AND csat IS NOT NULL", "csat", "csat"),
    "csat_top2": _flag(f"{_QUEUED} AND csat >= {{csat_top_box}}", "csat"),
    "qa_n": _flag(f"{_QUEUED} AND qa_score IS NOT NULL", "qa_score"),
    "qa_sum": _value(f"{_QUEUED} AND qa_score IS NOT NULL", "qa_score", "qa_score"),
    # entered the IVR: any IVR column known (``__ivr_known``, see Dataset._selection)
    "ivr_n": _flag("__ivr_known IS NOT NULL", "__ivr_known"),
    "ivr_contained": _flag("ivr_contained", "ivr_contained"),
    "ivr_abandoned_n": _flag("ivr_abandoned", "ivr_abandoned"),
    "ivr_time_n": _flag("ivr_s IS NOT NULL", "ivr_s"),
    "ivr_s_sum": _value("ivr_s IS NOT NULL", "ivr_s", "ivr_s"),
    "cost_n": _flag(_COSTED, "cost"),
    # x 10^4 rounded half to even, as np.rint: whole numbers sum exactly in any order
    "cost_e4_sum": _value(_COSTED, "round_even(cost * 1e4, 0)", "cost"),
    "cost_handle_s_sum": _value(f"{_COSTED} AND {_HANDLED}", _HANDLE, "cost", "talk_s"),
    "complaint_n": _flag("answered AND complaint IS NOT NULL", "complaint"),
    "complaints": _flag("answered AND complaint", "complaint"),
    "error_n": _flag("answered AND business_error IS NOT NULL", "business_error"),
    "errors": _flag("answered AND business_error", "business_error"),
    "entry_n": _flag("answered AND entry_completeness IS NOT NULL", "entry_completeness"),
    "entry_filled_e4_sum": _value(
        "answered AND entry_completeness IS NOT NULL",
        "round_even(entry_completeness * 1e4, 0)",
        "entry_completeness",
    ),
}

#: Columns of :func:`ccmetrics.kpi.compute` the engine's :meth:`Dataset.kpis` gives
#: equal to it on call data (tested in tests/unit/test_engine.py). ``occupancy`` and
#: ``staffed_hours`` need interval staffing: missing on calls in both.
COVERED_KPIS = (
    "offered",
    "answered",
    "abandoned",
    "short_abandoned",
    "answered_in_sl",
    "service_level",
    "abandon_rate",
    "answer_rate",
    "asa_s",
    "avg_abandon_wait_s",
    "aht_s",
    "talk_s",
    "hold_s",
    "acw_s",
    "transfer_rate",
    "fcr_rate",
    "csat_mean",
    "csat_top2box",
    "csat_n",
    "qa_mean",
    "qa_n",
    "occupancy",
    "ivr_containment",
    "ivr_contained",
    "ivr_abandoned_n",
    "ivr_abandon_rate",
    "ivr_s",
    "cost_per_call",
    "cost_per_minute",
    "complaint_rate",
    "error_rate",
    "entry_completeness",
    "sl_base",
    "abandon_base",
    "wait_n",
    "abandon_wait_n",
    "handle_n",
    "transfer_n",
    "fcr_n",
    "ivr_n",
    "ivr_time_n",
    "staffed_hours",
    "cost_n",
    "cost_minutes",
    "complaint_n",
    "error_n",
    "entry_n",
)

#: Columns of :func:`ccmetrics.kpi.compute` the engine does not compute yet
#: (KPIs whose measures the cube gained after :data:`MEASURE_SQL` was written).
NOT_COVERED_KPIS = tuple(
    name for name in (*kpi.KPI_COLUMNS, *kpi.BASE_COLUMNS) if name not in COVERED_KPIS
)

#: Canonical columns the measures read; one absent from the data reads as NULL.
_FLOAT_COLUMNS = (
    "wait_s",
    "talk_s",
    "hold_s",
    "acw_s",
    "csat",
    "qa_score",
    "ivr_s",
    "cost",
    "entry_completeness",
)
_BOOL_COLUMNS = (
    "transferred",
    "resolved",
    "ivr_contained",
    "ivr_abandoned",
    "complaint",
    "business_error",
    "fcr_eligible",
    "fcr_resolved",
)
_REQUIRED = ("arrived_at", "answered", "abandoned")
_NS_PER_DAY = 86_400 * 10**9
#: White space stripped from customer ids: ASCII, no-break space, ideographic space.
_WHITE_SPACE = "".join(map(chr, (0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0xA0, 0x3000)))


def _quoted(name: str) -> str:
    """A column name as a SQL identifier (any text from a file is data, never SQL)."""
    return '"' + str(name).replace('"', '""') + '"'


def _floor_ns(expression: str, step_ns: int) -> str:
    """``expression`` (a timestamp) floored to a multiple of ``step_ns`` from the epoch,
    as pandas' ``floor`` does (integer nanoseconds: no rounding to microseconds)."""
    epoch = f"epoch_ns({expression})"
    return f"make_timestamp_ns({epoch} - (({epoch} % {step_ns}) + {step_ns}) % {step_ns})"


def period_sql(freq: str, column: str = "arrived_at") -> str:
    """The SQL of :func:`ccmetrics.cube.period_start`: the start of each timestamp's period.

    Parameters
    ----------
    freq : str
        A pandas offset alias: fixed ones ("30min", "h", "D") floor from the epoch;
        "W" gives the Monday that starts the ISO week, "MS" (or "M") the month's first day.
    column : str, default "arrived_at"
        The timestamp column.

    Returns
    -------
    str
        A SQL expression of type TIMESTAMP_NS.

    Examples
    --------
    >>> period_sql("30min")
    'make_timestamp_ns(epoch_ns("arrived_at") - ((epoch_ns("arrived_at") % 1800000000000) + 1800000000000) % 1800000000000)'
    """
    alias = str(freq).upper()
    times = _quoted(column)
    if alias.startswith("W"):
        return f"CAST(date_trunc('week', {_floor_ns(times, _NS_PER_DAY)}) AS TIMESTAMP_NS)"
    if alias in {"MS", "M", "ME"}:
        return f"CAST(date_trunc('month', {_floor_ns(times, _NS_PER_DAY)}) AS TIMESTAMP_NS)"
    step = pd.Timedelta(pd.tseries.frequencies.to_offset(freq)).value
    if step <= 0:
        raise ValueError(f"the period {freq!r} has no length")
    return _floor_ns(times, step)


def _number(value) -> str:
    """A setting as a SQL literal (numbers only)."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"a threshold must be a finite number, not {value!r}")
    return repr(number)


def _timestamp_ns(value) -> int:
    return pd.Timestamp(value).as_unit("ns").value


class Dataset:
    """Canonical calls in an embedded DuckDB, queried for sums, KPIs and windows.

    Parameters
    ----------
    source : DataFrame, pyarrow.Table, str or Path
        Canonical calls (``io.load(...).frame``), an Arrow table of them, a canonical
        Parquet file, or a folder of Parquet files (flat or hive-partitioned, read
        recursively).
    memory_limit : str, optional
        DuckDB's memory limit, e.g. ``"4GB"``; above it, sorts and aggregates spill.
    temp_directory : str or Path, optional
        Where DuckDB spills (default: DuckDB's own choice).
    threads : int, optional
        Worker threads (default: DuckDB's, one per core).

    Attributes
    ----------
    columns : tuple of str
        The canonical columns of the data.
    rows : int
        The number of calls.

    Notes
    -----
    Rows are identified in their order in the source (row position of a frame;
    file name and row number of a Parquet file), so ties in arrival time are
    broken as :func:`ccmetrics.cube.fcr_flags` breaks them.

    Examples
    --------
    >>> calls = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-01-01 08:00"] * 4),
    ...     "wait_s": [10.0, 30.0, 2.0, 60.0], "answered": [True, True, False, False],
    ...     "abandoned": [False, False, True, True]})
    >>> float(Dataset(calls).kpis().service_level.iloc[0])  # 1 / (4 - 1)
    0.3333333333333333
    """

    def __init__(self, source, *, memory_limit=None, temp_directory=None, threads=None):
        import duckdb
        import pyarrow as pa

        config = {}
        if memory_limit is not None:
            config["memory_limit"] = str(memory_limit)
        if temp_directory is not None:
            config["temp_directory"] = str(temp_directory)
        if threads is not None:
            config["threads"] = int(threads)
        self._connection = duckdb.connect(config=config)
        self._frame_dtypes: dict = {}
        if isinstance(source, pd.DataFrame):
            self._frame_dtypes = dict(source.dtypes)
            source = pa.Table.from_pandas(source, preserve_index=False)
        if isinstance(source, pa.Table):
            row = pa.array(np.arange(source.num_rows, dtype=np.int64))
            self._connection.register("__source", source.append_column("__row", row))
            self._scan = "__source"
            self._row_sql, self._row_names = "__row", ("__row",)
        else:
            path = Path(source)
            if path.is_dir():
                files = path / "**" / "*.parquet"
                hive = any("=" in part.name for part in path.iterdir() if part.is_dir())
                # a row is (its file, its row number); the file by a hash of its name, a
                # fixed-width sort key (ties in time across files only: any fixed order will do)
                self._row_sql = "hash(filename) AS __file, file_row_number"
                self._row_names = ("__file", "file_row_number")
            else:
                files, hive = path, False
                self._row_sql, self._row_names = "file_row_number", ("file_row_number",)
            self._scan = (
                f"read_parquet('{str(files).replace(chr(39), chr(39) * 2)}', "
                f"hive_partitioning = {str(hive).lower()}, filename = {str(path.is_dir()).lower()}, "
                "file_row_number = true)"
            )
        self._read_facts()

    def _read_facts(self) -> None:
        """The columns, the number of calls, the data's end and whether customers are
        identified, read from the bound ``_scan`` (a subclass on another engine binds its own)."""
        described = self._run(f"DESCRIBE SELECT * FROM {self._scan}").fetchall()
        hidden = {"__row", "filename", "file_row_number", "__file"}
        self.columns = tuple(row[0] for row in described if row[0] not in hidden)
        missing = [c for c in _REQUIRED if c not in self.columns]
        if missing:
            raise ValueError(
                f"not canonical calls: the data lacks {missing} (it has {list(self.columns)})"
            )
        # calls that ended in the IVR neither extend the data's end nor identify a
        # customer for FCR (as :func:`ccmetrics.cube.fcr_flags`)
        flags = [c for c in ("ivr_contained", "ivr_abandoned") if c in self.columns]
        queued = " AND ".join(f"NOT coalesce(CAST({_quoted(c)} AS BOOLEAN), false)" for c in flags)
        only_queued = f" FILTER (WHERE {queued})" if queued else ""
        facts = self._run(
            f"SELECT max(arrived_at){only_queued}, count(*)"
            + (f", count(customer_id){only_queued}" if "customer_id" in self.columns else "")
            + f" FROM {self._scan}"
        ).fetchall()[0]
        self._data_end_ns = None if facts[0] is None else _timestamp_ns(facts[0])
        self.rows = int(facts[1])
        self._has_ids = bool(facts[2]) if len(facts) > 2 else False
        self._padded: bool | None = None
        self._fcr_tables: dict[tuple, tuple[str | None, bool]] = {}

    def _padded_ids(self) -> bool:
        """Whether some customer id starts or ends with white space (asked once)."""
        if self._padded is None:
            customer = "CAST(customer_id AS VARCHAR)"
            query = (
                f"SELECT count(*) FROM {self._scan} "
                f"WHERE {customer} <> trim({customer}, '{_WHITE_SPACE}')"
            )
            self._padded = bool(self._run(query).fetchall()[0][0])
        return self._padded

    def close(self) -> None:
        """Close the DuckDB connection."""
        self._connection.close()

    def _sql(self, text: str) -> str:
        """The text of a query as this engine runs it: DuckDB's SQL, as written here. Every
        query goes through this hook, so a subclass on another engine transpiles it once."""
        return text

    def _run(self, text: str):
        """Run one query (its text through :meth:`_sql`); the engine's relation of the result."""
        return self._connection.sql(self._sql(text))

    # ------------------------------------------------------------------ SQL pieces

    def _ivr_known(self) -> str:
        """``__ivr_known``: 1 where any IVR column of the call is known, NULL elsewhere
        (and everywhere when the data has no IVR column, so ``ivr_n`` is missing)."""
        present = [c for c in IVR_COLUMNS if c in self.columns]
        if not present:
            return "CAST(NULL AS INTEGER) AS __ivr_known"
        known = " OR ".join(f"{_quoted(c)} IS NOT NULL" for c in present)
        if "ivr_s" in present:  # NaN is an unknown time, as in the cube
            known = known.replace(
                '"ivr_s" IS NOT NULL', "nullif(\"ivr_s\", 'NaN'::DOUBLE) IS NOT NULL"
            )
        return f"CASE WHEN {known} THEN 1 END AS __ivr_known"

    def _column(self, name: str, kind: str) -> str:
        """A canonical column as the measures read it: NaN as NULL, absent as NULL."""
        if name not in self.columns:
            return f"CAST(NULL AS {kind}) AS {_quoted(name)}"
        if kind == "DOUBLE":
            return f"nullif(CAST({_quoted(name)} AS DOUBLE), 'NaN'::DOUBLE) AS {_quoted(name)}"
        return f"CAST({_quoted(name)} AS {kind}) AS {_quoted(name)}"

    def _fcr_stages(self, settings: KpiSettings) -> tuple[list[str], bool]:
        """The columns ``__fcr_eligible`` and ``__fcr_resolved`` (as
        :func:`ccmetrics.cube.fcr_flags` gives them) as successive projections over
        the calls (each expression written once), and whether the data supports an
        FCR definition."""
        columns = set(self.columns)
        if {"fcr_eligible", "fcr_resolved"} <= columns:  # flags computed before: kept
            return [
                "coalesce(fcr_eligible, false) AS __fcr_eligible",
                "__fcr_eligible AND coalesce(fcr_resolved, false) AS __fcr_resolved",
            ], True
        method = settings.fcr_method
        if method == "auto":
            method = "repeat_calls" if self._has_ids else "resolved_flag"
        if method == "resolved_flag":
            if "resolved" not in columns:
                return ["false AS __fcr_eligible", "false AS __fcr_resolved"], False
            eligible = "answered AND resolved IS NOT NULL"
            return [
                f"{eligible} AS __fcr_eligible",
                f"{eligible} AND resolved AS __fcr_resolved",
            ], True
        if not self._has_ids or self._data_end_ns is None:
            return ["false AS __fcr_eligible", "false AS __fcr_resolved"], self._has_ids
        window_ns = int(settings.fcr_window_h * 3600 * 1e9)
        # ids are compared stripped of white space (ASCII, no-break and ideographic
        # spaces); stripping costs a pass over every id, so only when some id is padded
        customer = "CAST(customer_id AS VARCHAR)"
        if self._padded_ids():
            customer = f"trim({customer}, '{_WHITE_SPACE}')"
        # blank and all-zero ids are a common "unidentified" placeholder: unknown customers
        known = "coalesce(__customer <> '' AND NOT regexp_full_match(__customer, '0+'), false)"
        eligible = (
            f"answered AND {known} AND epoch_ns(arrived_at) + {window_ns} <= {self._data_end_ns}"
        )
        # the next call of the same customer (unknown customers are never eligible)
        next_call = (
            f"lead(epoch_ns(arrived_at)) OVER (PARTITION BY __customer, {_IVR_ONLY} "
            f"ORDER BY arrived_at, {', '.join(self._row_names)})"
        )
        repeated = f"coalesce(__next_ns - epoch_ns(arrived_at) <= {window_ns}, false)"
        stages = [
            f"{customer} AS __customer",
            f"{eligible} AS __fcr_eligible, {next_call} AS __next_ns",
            f"__fcr_eligible AND NOT {repeated} AS __fcr_resolved",
        ]
        return stages, True

    def _fcr_table(self, settings: KpiSettings) -> tuple[str | None, bool]:
        """The temporary table of the FCR-eligible calls (row keys, ``__e``, ``__r``) of the
        whole data for these FCR settings, made once, and whether FCR is defined; None
        when it is not. A window function over every call is the costly part of a query:
        kept, a second question about the whole data costs a join instead."""
        key = (float(settings.fcr_window_h), settings.fcr_method)
        if key not in self._fcr_tables:
            sql, defined = self._selection(settings, None, None, None, fcr=True, cached=False)
            table = None
            if defined:
                table = f"__fcr_{len(self._fcr_tables)}"
                self._run(
                    f"CREATE TEMP TABLE {table} AS WITH {sql} SELECT {', '.join(self._row_names)}, "
                    "__fcr_eligible AS __e, __fcr_resolved AS __r FROM selection WHERE __fcr_eligible"
                )
            self._fcr_tables[key] = (table, defined)
        return self._fcr_tables[key]

    def _selection(
        self, settings, start, end, filters, fcr: bool, cached: bool = True
    ) -> tuple[str, bool]:
        """The CTEs up to ``selection``: every column the measures read, the FCR flags
        computed on the calls up to one FCR window after ``end`` (or, for the whole data and
        ``cached``, kept from :meth:`_fcr_table`), then ``selection`` (the calls of
        ``[start, end)`` matching ``filters``); whether FCR is defined."""
        columns = [_quoted(c) for c in self.columns if c not in _FLOAT_COLUMNS + _BOOL_COLUMNS]
        columns = [c for c in columns if c not in ('"answered"', '"abandoned"')]
        columns += ["coalesce(CAST(answered AS BOOLEAN), false) AS answered"]
        columns += ["coalesce(CAST(abandoned AS BOOLEAN), false) AS abandoned"]
        columns += [self._column(name, "DOUBLE") for name in _FLOAT_COLUMNS]
        columns += [self._column(name, "BOOLEAN") for name in _BOOL_COLUMNS]
        columns += [self._ivr_known()]
        wide, narrow = [], []
        start_ns = None if start is None else _timestamp_ns(start)
        end_ns = None if end is None else _timestamp_ns(end)
        stages, fcr_defined = ["false AS __fcr_eligible", "false AS __fcr_resolved"], False
        cached = cached and start is None and end is None
        window_ns = 0
        if fcr:
            stages, fcr_defined = self._fcr_stages(settings)
            window_ns = int(settings.fcr_window_h * 3600 * 1e9)
        if start_ns is not None:
            wide.append(f"epoch_ns(arrived_at) >= {start_ns}")
            narrow.append(f"epoch_ns(arrived_at) >= {start_ns}")
        if end_ns is not None:
            narrow.append(f"epoch_ns(arrived_at) < {end_ns}")
            # a repeat call up to one window after the end still counts against a call
            wide.append(f"epoch_ns(arrived_at) <= {end_ns + window_ns}")
        for column, allowed in (filters or {}).items():
            if not allowed:
                continue
            if column not in self.columns:
                raise ValueError(f"cannot filter on {column!r}: the data has no such column")
            values = ", ".join("'" + str(v).replace("'", "''") + "'" for v in allowed)
            narrow.append(f"CAST({_quoted(column)} AS VARCHAR) IN ({values})")
        where = f" WHERE {' AND '.join(wide)}" if wide else ""
        selected = f" WHERE {' AND '.join(narrow)}" if narrow else ""
        # the projection first, so that the flags below read the normalised columns
        ctes = [
            f"stage0 AS (SELECT {', '.join(columns)}, {self._row_sql} FROM {self._scan}{where})"
        ]
        if fcr and cached:
            # the whole data: the flags computed once per FCR setting, joined by row
            table, fcr_defined = self._fcr_table(settings)
            stages = ["false AS __fcr_eligible", "false AS __fcr_resolved"] if table is None else []
            if table is not None:
                ctes.append(
                    "stage1 AS (SELECT calls.*, coalesce(flags.__e, false) AS __fcr_eligible, "
                    "coalesce(flags.__r, false) AS __fcr_resolved FROM stage0 AS calls "
                    f"LEFT JOIN {table} AS flags USING ({', '.join(self._row_names)}))"
                )
        for stage in stages:
            ctes.append(f"stage{len(ctes)} AS (SELECT *, {stage} FROM stage{len(ctes) - 1})")
        ctes.append(f"selection AS (SELECT * FROM stage{len(ctes) - 1}{selected})")
        sql = ", ".join(ctes)
        return sql, fcr_defined

    def _keys(self, by) -> list[str]:
        by = [by] if isinstance(by, str) else list(by or ())
        unknown = [c for c in by if c not in self.columns]
        if unknown:
            raise ValueError(
                f"cannot group by {unknown}: the data has no such column (it has {list(self.columns)})"
            )
        if len(set(by)) != len(by) or "period" in by:
            raise ValueError(f"cannot group by {by}: repeated or reserved column names")
        return by

    # ------------------------------------------------------------------ queries

    def sums(self, by=(), freq=None, settings=None, start=None, end=None, filters=None):
        """Summed additive measures per group and period, as one SQL query.

        Parameters
        ----------
        by : str or sequence of str, optional
            Dimension columns to group by.
        freq : str, optional
            Period ("30min", "h", "D", "W", "MS"); see :func:`period_sql`.
        settings : KpiSettings, optional
            T, S, the top box and the FCR window and method (default ``KpiSettings()``).
        start, end : date-like, optional
            Half-open window ``[start, end)`` on ``arrived_at``.
        filters : dict, optional
            ``{column: [allowed values]}`` (compared as text); an empty list means no filter.

        Returns
        -------
        DataFrame
            The ``by`` columns, ``period`` when ``freq`` is given, then
            :data:`ccmetrics.cube.MEASURES` (float), one row per group with calls, in
            the order of :func:`ccmetrics.kpi.compute` (missing keys last; a frame's
            categorical keys in their category order). Without ``by`` and ``freq``,
            one row (all NaN for no calls).

        Notes
        -----
        Each measure is ``SUM`` of its :data:`MEASURE_SQL` expression over the calls
        of the group: exactly the sums of :func:`ccmetrics.cube.call_measures`. A
        measure whose input has no known value in the selection is NaN. FCR flags
        are computed by a window function (the next call of the same customer, in
        arrival order) over the calls from ``start`` to one FCR window after ``end``,
        with censoring at the end of the whole data, so a window's flags equal those
        of :func:`ccmetrics.kpi.add_fcr_flags` on the whole data set.
        """
        settings = settings or KpiSettings()
        keys = self._keys(by)
        selection, fcr_defined = self._selection(settings, start, end, filters, fcr=True)
        values = {
            "sl_threshold_s": _number(settings.sl_threshold_s),
            "short_abandon_s": _number(settings.short_abandon_s),
            "csat_top_box": _number(settings.csat_top_box),
        }
        key_sql = [_quoted(c) for c in keys]
        if freq is not None:
            key_sql.append(f"{period_sql(freq)} AS period")
        needs = sorted({need for m in MEASURE_SQL.values() for need in m.needs if need != "__fcr"})
        aggregates = [f"count({_quoted(c)}) AS {_quoted('__known_' + c)}" for c in needs]
        for name in MEASURES:
            measure = MEASURE_SQL.get(name)
            if measure is None or ("__fcr" in measure.needs and not fcr_defined):
                aggregates.append(f"CAST(NULL AS DOUBLE) AS {_quoted(name)}")
            else:
                sql = measure.sql.format(**values)
                aggregates.append(f"CAST(sum({sql}) AS DOUBLE) AS {_quoted(name)}")
        group = ""
        if key_sql:
            positions = ", ".join(str(i + 1) for i in range(len(key_sql)))
            group = f" GROUP BY {positions}"
        query = (
            f"WITH {selection} SELECT {', '.join([*key_sql, *aggregates])} FROM selection{group}"
        )
        table = self._run(query).df()
        for column in needs:
            known = table.pop("__known_" + column)
            if known.sum() == 0:  # no known value in the selection: the measure is missing
                for name, measure in MEASURE_SQL.items():
                    if column in measure.needs:
                        table[name] = np.nan
        names = [*keys, "period"] if freq is not None else keys
        table = self._ordered(table, keys, names)
        return table[[*names, *MEASURES]]

    def _ordered(self, table: pd.DataFrame, keys: list[str], names: list[str]) -> pd.DataFrame:
        """Key columns in the source frame's dtypes, rows in pandas' sorted group order."""
        for column in keys:
            dtype = self._frame_dtypes.get(column)
            if dtype is not None:
                table[column] = table[column].astype(object).where(table[column].notna(), None)
                table[column] = table[column].astype(dtype)
        if "period" in names:
            table["period"] = pd.to_datetime(table["period"]).astype("datetime64[ns]")
        if names:
            table = table.sort_values(names, na_position="last", kind="stable")
        return table.reset_index(drop=True)

    def kpis(self, by=(), freq=None, settings=None, start=None, end=None, filters=None):
        """The KPI table: :func:`ccmetrics.kpi.derive` of :meth:`sums`.

        Parameters
        ----------
        by, freq, settings, start, end, filters
            As for :meth:`sums`.

        Returns
        -------
        DataFrame
            The columns of :func:`ccmetrics.kpi.compute` (keys, ``period``,
            :data:`ccmetrics.kpi.KPI_COLUMNS`, :data:`ccmetrics.kpi.BASE_COLUMNS`);
            those of :data:`NOT_COVERED_KPIS` are missing (NaN).

        Notes
        -----
        Formulas: :func:`ccmetrics.kpi.derive`. ``Dataset(calls).kpis(by, freq)``
        equals ``kpi.compute(calls, by=by, freq=freq)`` for :data:`COVERED_KPIS`.
        """
        settings = settings or KpiSettings()
        table = kpi.derive(self.sums(by, freq, settings, start, end, filters), settings)
        return kpi.without_ivr_only_groups(table, self._keys(by))

    def count(self, start=None, end=None) -> int:
        """Number of calls in ``[start, end)`` (all calls without bounds)."""
        where = []
        if start is not None:
            where.append(f"epoch_ns(arrived_at) >= {_timestamp_ns(start)}")
        if end is not None:
            where.append(f"epoch_ns(arrived_at) < {_timestamp_ns(end)}")
        condition = f" WHERE {' AND '.join(where)}" if where else ""
        query = f"SELECT count(*) FROM {self._scan}{condition}"
        return int(self._run(query).fetchall()[0][0])

    def window(self, start=None, end=None, columns=None, settings=None) -> pd.DataFrame:
        """The calls of ``[start, end)`` as a pandas frame, in arrival order.

        Parameters
        ----------
        start, end : date-like, optional
            Half-open window on ``arrived_at``.
        columns : sequence of str, optional
            Columns to return (default: every canonical column).
        settings : KpiSettings, optional
            When given, also the columns ``fcr_eligible`` and ``fcr_resolved`` of
            :func:`ccmetrics.kpi.add_fcr_flags` on the whole data (a repeat call after
            ``end`` counts), for the FCR window and method of these settings.

        Returns
        -------
        DataFrame
            The calls (for call lists and drill-downs), in the source frame's dtypes
            when the data set was made from a frame; ordered by arrival time, then
            by position in the source.
        """
        names = list(self.columns if columns is None else columns)
        unknown = [c for c in names if c not in self.columns]
        if unknown:
            raise ValueError(f"no such columns: {unknown} (the data has {list(self.columns)})")
        selection, defined = self._selection(
            settings or KpiSettings(), start, end, None, fcr=settings is not None, cached=False
        )
        flags = ""
        if settings is not None and defined and "fcr_eligible" not in names:
            flags = ", __fcr_eligible AS fcr_eligible, __fcr_resolved AS fcr_resolved"
        query = (
            f"WITH {selection} SELECT {', '.join(_quoted(c) for c in names)}{flags} "
            f"FROM selection ORDER BY arrived_at, {', '.join(self._row_names)}"
        )
        frame = self._run(query).to_arrow_table().to_pandas()
        for column in names:
            dtype = self._frame_dtypes.get(column)
            if dtype is not None and frame[column].dtype != dtype:
                frame[column] = frame[column].astype(dtype)
        return frame


#: What makes an object an engine-backed data set (the Dataset protocol): the methods
#: every module asks through, and the canonical column names present.
DATASET_METHODS = ("sums", "kpis", "count", "window")


def is_dataset(obj) -> bool:
    """Whether ``obj`` is an engine-backed data set rather than a pandas frame.

    Parameters
    ----------
    obj : object
        A canonical pandas frame, a :class:`Dataset`, or any object following the
        Dataset protocol (e.g. the same queries on another engine).

    Returns
    -------
    bool
        True when ``obj`` is not a pandas frame and has the callables ``sums``,
        ``kpis``, ``count`` and ``window`` and a ``columns`` attribute.

    Examples
    --------
    >>> calls = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-01-01 08:00"]),
    ...     "answered": [True], "abandoned": [False]})
    >>> is_dataset(calls), is_dataset(Dataset(calls))
    (False, True)
    """
    if isinstance(obj, (pd.DataFrame, pd.Series)):
        return False
    if not all(callable(getattr(obj, name, None)) for name in DATASET_METHODS):
        return False
    return getattr(obj, "columns", None) is not None
