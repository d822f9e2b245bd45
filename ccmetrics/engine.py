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

What is costly is done once per data set and kept in the engine: the FCR flags
per FCR setting, and cubes (the measures per :data:`CUBE_FREQ` × :data:`CUBE_DIMS`
cell, per :data:`DIM_CUBE_FREQ` × queue × one dimension on demand) from which a
window, a period and a filter on their dimensions are roll-ups in SQL.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ccmetrics import kpi
from ccmetrics.cube import GROUP_SETTINGS, IVR_COLUMNS, MEASURES, SETTING_GROUPS
from ccmetrics.schema import KpiSettings

__all__ = [
    "Dataset",
    "NotCanonicalError",
    "MeasureSql",
    "MEASURE_SQL",
    "COVERED_KPIS",
    "NOT_COVERED_KPIS",
    "period_sql",
    "is_dataset",
    "CUBE_FREQ",
    "CUBE_DIMS",
    "DIM_CUBE_FREQ",
    "CUBE_MIN_SHARE",
    "CUBE_STORE_VERSION",
    "default_cube_dir",
    "cube_dir_for",
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

    def aggregate(self, **settings) -> str:
        """The SQL aggregate of the measure over a group: ``sum(sql)`` with the settings'
        values in place (0, never NULL, for a group of calls none of which counts).

        Notes
        -----
        A sum of ``CASE`` values, not ``count(*) FILTER (WHERE ...)``: DuckDB 2.0
        computes forty filtered aggregates per group three times slower than forty
        sums (measured in docs/PERFORMANCE.md, "Engine cubes").
        """
        return f"sum({self.sql.format(**settings)})"


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


class NotCanonicalError(ValueError):
    """The data lacks columns every canonical call has (:data:`_REQUIRED`).

    Attributes ``missing`` (the required columns absent) and ``found`` (the columns
    the data has), so a caller can say which in the user's language.
    """

    def __init__(self, missing, found):
        self.missing = tuple(missing)
        self.found = tuple(found)
        super().__init__(
            f"not canonical calls: the data lacks {list(self.missing)} (it has {list(self.found)})"
        )
#: Columns whose known values decide whether a measure is missing (``MeasureSql.needs``).
_NEEDS = tuple(sorted({n for m in MEASURE_SQL.values() for n in m.needs if n != "__fcr"}))

#: The cube every view of the app rolls up from: the measures per half hour × queue.
#: Every window of whole half hours, every period of 30 min, an hour, a day, a week or
#: a month, and every queue filter is a union of its cells.
CUBE_FREQ = "30min"
CUBE_DIMS = ("queue",)
#: A breakdown by another dimension (team, agent, category, ...) over whole days rolls
#: up from a day × queue × <dimension> cube, made the first time it is asked for.
DIM_CUBE_FREQ = "D"
#: Before a cube of a shape exists, a window shorter than this share of the data's
#: span is answered from the calls: the cube's one pass over every call costs more
#: than one query over a short window, and a one-day question never waits for it.
CUBE_MIN_SHARE = 0.25
#: The layout of a cube kept in a file (:class:`Dataset` ``cube_dir``); a file of
#: another layout is never read.
CUBE_STORE_VERSION = 1
_NS_PER_DAY = 86_400 * 10**9
#: White space stripped from customer ids: every character Python's ``str.strip`` strips
#: (``str.isspace``), as :func:`ccmetrics.cube.fcr_flags` strips ids with ``.str.strip()``.
_WHITE_SPACE = "".join(
    map(chr, (*range(0x09, 0x0E), *range(0x1C, 0x21), 0x85, 0xA0, 0x1680, *range(0x2000, 0x200B)))
) + "".join(map(chr, (0x2028, 0x2029, 0x202F, 0x205F, 0x3000)))


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
    cubes : bool, default True
        Whether :meth:`sums` may answer from cube tables kept in the engine (see
        :meth:`cube_shape`); False computes every answer from the calls (same numbers).
    cube_dir : str or Path, optional
        For a Parquet source: a private folder where the :data:`CUBE_FREQ` ×
        :data:`CUBE_DIMS` cube is kept between processes (e.g. :func:`default_cube_dir`).
        The cube is written there once, when it is first made, and a later data set
        over the same files (same names, sizes and modification times) reads it
        instead of the calls; a changed source is never answered from an older cube.
        Default None: cubes live in this process only.

    Attributes
    ----------
    columns : tuple of str
        The canonical columns of the data.
    rows : int
        The number of calls.

    Notes
    -----
    A kept cube file holds the cells' sums for the settings it was made with (T, S,
    the top box and the FCR window and method, recorded in the file); a question
    with other settings counts the parts that depend on them as for a cube made in
    this process. The file lies outside the data's folder: a Parquet file in it
    would be read as calls, and the folder may not be the user's to write.

    Rows are identified in their order in the source (row position of a frame;
    file name and row number of a Parquet file), so ties in arrival time are
    broken as :func:`ccmetrics.cube.fcr_flags` breaks them.

    What is kept between questions (temporary tables of the connection): the FCR
    flags of the whole data per FCR setting, and cubes — the measures summed per
    :data:`CUBE_FREQ` × :data:`CUBE_DIMS` cell, or per :data:`DIM_CUBE_FREQ` × queue
    × one more dimension — whose roll-ups answer a window, a period and a filter
    on their dimensions without reading the calls again. A cube keeps the
    setting-independent sums once and the setting-dependent ones
    (:data:`ccmetrics.cube.SETTING_GROUPS`) per setting value, counted on a table of
    each cell's calls per distinct wait and CSAT, so a threshold change reads neither
    the calls nor the other measures.

    Examples
    --------
    >>> calls = pd.DataFrame({"arrived_at": pd.to_datetime(["2025-01-01 08:00"] * 4),
    ...     "wait_s": [10.0, 30.0, 2.0, 60.0], "answered": [True, True, False, False],
    ...     "abandoned": [False, False, True, True]})
    >>> float(Dataset(calls).kpis().service_level.iloc[0])  # 1 / (4 - 1)
    0.3333333333333333
    """

    #: Setting values whose dependent cube counts are kept, per cube and setting group.
    KEEP = 8
    #: FCR flags of a stretch of the data kept per FCR setting (:meth:`_fcr_range`);
    #: beyond them a stretch's flags are computed within its query and let go.
    KEEP_FCR_RANGES = 4

    #: Where cubes of this data set are kept between processes (None: nowhere); its source path.
    _cube_dir: Path | None = None
    _source_path: Path | None = None

    def __init__(
        self,
        source,
        *,
        memory_limit=None,
        temp_directory=None,
        threads=None,
        cubes=True,
        cube_dir=None,
    ):
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
        # one connection, one query at a time (a Streamlit server asks from several threads)
        self._lock = threading.RLock()
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
            self._source_path = path
            if cube_dir is not None:
                self._cube_dir = Path(cube_dir)
                inside = self._cube_dir.resolve()
                if path.is_dir() and inside.is_relative_to(path.resolve()):
                    # a cube file there would be read as calls by the folder's scan
                    raise ValueError(
                        f"the cube folder {str(cube_dir)!r} lies inside the data's folder "
                        f"{str(source)!r}; choose one outside it (e.g. engine.default_cube_dir())"
                    )
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
        self._read_facts(cubes)

    def _read_facts(self, cubes: bool = True) -> None:
        """The columns, the number of calls, the data's span and whether customers are
        identified, read from the bound ``_scan`` (a subclass on another engine binds its own)."""
        described = self._run(f"DESCRIBE SELECT * FROM {self._scan}").fetchall()
        hidden = {"__row", "filename", "file_row_number", "__file"}
        self.columns = tuple(row[0] for row in described if row[0] not in hidden)
        # arrival bounds compared as timestamps when the column holds nanoseconds (a
        # filter DuckDB pushes into the scan, so a day's window skips the other rows'
        # columns); as epoch nanoseconds otherwise (exact whatever the unit)
        types = {row[0]: row[1] for row in described}
        self._ns_times = types.get("arrived_at") == "TIMESTAMP_NS"
        missing = [c for c in _REQUIRED if c not in self.columns]
        if missing:
            raise NotCanonicalError(missing, self.columns)
        # the files' signature when the data was opened: a cube is kept for these files,
        # with the facts below (a data set opened again over the same files reads no call)
        self._signature = self._source_signature() if self._cube_dir is not None else None
        facts = self._kept_facts()
        if facts is None:
            facts = self._count_facts()
        self._data_end_ns, self.rows, self._span_ns, self._has_ids = facts
        self._use_cubes = bool(cubes)
        self._ids: tuple[str, str] | None = None
        self._fcr_tables: dict[tuple, tuple[str | None, bool]] = {}
        self._fcr_ranges: dict[tuple, list[tuple]] = {}
        self._cubes: dict[tuple, _Cube] = {}
        self._names = 0

    def _count_facts(self) -> tuple:
        """(the last arrival of a call offered to a queue in epoch ns or None, the number
        of calls, the span of arrivals in ns, whether some such call names a customer),
        by one pass over the calls."""
        # calls that ended in the IVR neither extend the data's end nor identify a
        # customer for FCR (as :func:`ccmetrics.cube.fcr_flags`)
        only_queued = f" FILTER (WHERE {self._queued_sql()})"
        facts = self._run(
            f"SELECT max(arrived_at){only_queued}, count(*), min(arrived_at), max(arrived_at)"
            + (f", count(customer_id){only_queued}" if "customer_id" in self.columns else "")
            + f" FROM {self._scan}"
        ).fetchall()[0]
        return (
            None if facts[0] is None else _timestamp_ns(facts[0]),
            int(facts[1]),
            0 if facts[2] is None else _timestamp_ns(facts[3]) - _timestamp_ns(facts[2]),
            bool(facts[4]) if len(facts) > 4 else False,
        )

    # ------------------------------------------------------------------ plumbing

    def _run(self, query: str):
        """Run one SQL statement on the connection (every query of the engine goes here)."""
        with self._lock:
            return self._connection.sql(self._sql(query))

    def _frame(self, query: str) -> pd.DataFrame:
        with self._lock:
            return self._connection.sql(self._sql(query)).df()

    def _sql(self, text: str) -> str:
        """The text of a query as this engine runs it: DuckDB's SQL, as written here. Every
        query goes through this hook, so a subclass on another engine transpiles it once."""
        return text

    def _table_name(self, kind: str) -> str:
        self._names += 1
        return f"__{kind}_{self._names}"

    def close(self) -> None:
        """Close the DuckDB connection."""
        with self._lock:
            self._connection.close()

    # ------------------------------------------------------------------ SQL pieces

    def _queued_sql(self) -> str:
        """True for a call that did not end in the IVR (:func:`ccmetrics.cube.ivr_only_rows`)."""
        flags = [c for c in ("ivr_contained", "ivr_abandoned") if c in self.columns]
        if not flags:
            return "true"
        return " AND ".join(f"NOT coalesce(CAST({_quoted(c)} AS BOOLEAN), false)" for c in flags)

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

    def _after(self, ns: int, strict: bool = False) -> str:
        """The condition: the call arrived at or after (``strict``: after) ``ns``."""
        operator = ">" if strict else ">="
        if self._ns_times:
            return f"arrived_at {operator} make_timestamp_ns({int(ns)})"
        return f"epoch_ns(arrived_at) {operator} {int(ns)}"

    def _before(self, ns: int, inclusive: bool = False) -> str:
        """The condition: the call arrived before (``inclusive``: at or before) ``ns``."""
        operator = "<=" if inclusive else "<"
        if self._ns_times:
            return f"arrived_at {operator} make_timestamp_ns({int(ns)})"
        return f"epoch_ns(arrived_at) {operator} {int(ns)}"

    def _customer_ids(self) -> tuple[str, str]:
        """The customer key of a call as SQL and the condition that it names a known
        customer (asked of the data once).

        Ids that are all canonical integers (digits, no sign, padding or leading zero,
        at most 18: the test of :func:`ccmetrics.io.calls.canonical_integers`) are
        compared as BIGINT, which partitions and sorts far faster than text; "0" is
        then the only unknown id. Otherwise ids are text stripped of white space
        (ASCII, no-break and ideographic spaces; stripped only when some id is padded)
        and blank and all-zero ids, a common "unidentified" placeholder, are unknown.
        """
        if self._ids is None:
            text = "CAST(customer_id AS VARCHAR)"
            # canonical: the text of the number read from it is the text itself (no sign,
            # padding, leading zero or separator), in at most 18 digits; a number compare
            # per id, where a regular expression over millions of ids costs several times more
            number = f"TRY_CAST({text} AS UBIGINT)"
            canonical = f"length({text}) <= 18 AND CAST({number} AS VARCHAR) = {text}"
            others = self._run(
                f"SELECT count(*) FILTER (WHERE NOT coalesce({canonical}, false)) "
                f"FROM {self._scan} WHERE customer_id IS NOT NULL"
            ).fetchall()[0][0]
            if not others:
                self._ids = (f"CAST({text} AS BIGINT)", "__customer <> 0")
            else:
                padded = self._run(
                    f"SELECT count(*) FILTER (WHERE {text} <> trim({text}, '{_WHITE_SPACE}')) "
                    f"FROM {self._scan}"
                ).fetchall()[0][0]
                key = f"trim({text}, '{_WHITE_SPACE}')" if padded else text
                self._ids = (key, "__customer <> '' AND NOT regexp_full_match(__customer, '0+')")
        return self._ids

    def _fcr_flags_sql(self, settings: KpiSettings, low_ns=None, high_ns=None):
        """A SELECT of the FCR-eligible calls (row keys, ``__t`` the arrival in epoch
        nanoseconds, and ``__r``, whether resolved)
        among the calls of ``[low_ns, high_ns]`` (every call without bounds), as
        :func:`ccmetrics.cube.fcr_flags` flags them on the whole data set; None when
        no call is eligible; and whether the data supports an FCR definition."""
        columns = set(self.columns)
        rows = ", ".join(self._row_names)
        bounds = []
        if low_ns is not None:
            bounds.append(self._after(low_ns))
        if high_ns is not None:
            bounds.append(self._before(high_ns, inclusive=True))
        answered = "coalesce(CAST(answered AS BOOLEAN), false)"
        if {"fcr_eligible", "fcr_resolved"} <= columns:  # flags computed before: kept
            where = " AND ".join(["coalesce(CAST(fcr_eligible AS BOOLEAN), false)", *bounds])
            return (
                f"SELECT {self._row_sql}, epoch_ns(arrived_at) AS __t, "
                "coalesce(CAST(fcr_resolved AS BOOLEAN), false) AS __r "
                f"FROM {self._scan} WHERE {where}"
            ), True
        method = settings.fcr_method
        if method == "auto":
            method = "repeat_calls" if self._has_ids else "resolved_flag"
        if method == "resolved_flag":
            if "resolved" not in columns:
                return None, False
            where = " AND ".join([answered, "resolved IS NOT NULL", *bounds])
            return (
                f"SELECT {self._row_sql}, epoch_ns(arrived_at) AS __t, "
                "CAST(resolved AS BOOLEAN) AS __r "
                f"FROM {self._scan} WHERE {where}"
            ), True
        if not self._has_ids or self._data_end_ns is None:
            return None, self._has_ids
        window_ns = int(settings.fcr_window_h * 3600 * 1e9)
        customer, known = self._customer_ids()
        where = " AND ".join([self._queued_sql(), "customer_id IS NOT NULL", *bounds])
        # only the columns the window function needs go through its sort; IVR-only calls
        # and unknown customers are neither eligible nor a repeat call, so left out
        calls = (
            f"SELECT {self._row_sql}, epoch_ns(arrived_at) AS __t, {answered} AS __answered, "
            f"{customer} AS __customer FROM {self._scan} WHERE {where}"
        )
        nexts = (
            f"SELECT *, lead(__t) OVER (PARTITION BY __customer ORDER BY __t, {rows}) AS __next "
            f"FROM ({calls}) AS calls WHERE {known}"
        )
        # eligible: answered, with the whole window inside the data (later calls censored);
        # resolved: the same customer's next call (answered or not) is not within the window
        return (
            f"SELECT {rows}, __t, NOT coalesce(__next - __t <= {window_ns}, false) AS __r "
            f"FROM ({nexts}) AS nexts "
            f"WHERE __answered AND __t + {window_ns} <= {self._data_end_ns}"
        ), True

    def _fcr_table(self, settings: KpiSettings) -> tuple[str | None, bool]:
        """The temporary table of the FCR-eligible calls of the whole data (row keys,
        ``__r``) for these FCR settings, made once, and whether FCR is defined (None
        for no table). The window function over every call is the costly part of FCR:
        kept, a later question costs a join instead."""
        key = (float(settings.fcr_window_h), settings.fcr_method)
        with self._lock:
            whole = [k for k in self._fcr_ranges.get(key, []) if k[:2] == (None, None)]
            if key not in self._fcr_tables and whole:  # the whole data's, kept as a stretch
                self._fcr_tables[key] = whole[0][2:]
            if key not in self._fcr_tables:
                sql, defined = self._fcr_flags_sql(settings)
                table = None
                if sql is not None:
                    table = self._table_name("fcr")
                    self._run(f"CREATE TEMP TABLE {table} AS {sql}")
                self._fcr_tables[key] = (table, defined)
            return self._fcr_tables[key]

    def _fcr_range(self, settings: KpiSettings, low_ns, high_ns) -> tuple[str | None, bool, bool]:
        """The FCR flags of the calls of ``[low_ns, high_ns]`` (None: unbounded) for these
        FCR settings: a temporary table kept per setting and stretch, whether FCR is
        defined, and whether the first is a table's name (True) or a SELECT to run
        within the question (once :data:`KEEP_FCR_RANGES` stretches are kept).

        A kept stretch covering ``[low_ns, high_ns]`` answers: its flag of a call at
        ``t`` with ``low_ns <= t`` and ``t + window <= high_ns`` is that of the whole data
        (the same customer's next call, if within the window, lies in the stretch; the
        eligibility is judged against the end of the whole data). So the period the app
        fetches with :meth:`window` and its KPIs share one window function.
        """
        key = (float(settings.fcr_window_h), settings.fcr_method)
        with self._lock:
            kept = self._fcr_ranges.setdefault(key, [])
            for low, high, table, defined in kept:
                if (low is None or (low_ns is not None and low <= low_ns)) and (
                    high is None or (high_ns is not None and high_ns <= high)
                ):
                    return table, defined, True
            sql, defined = self._fcr_flags_sql(settings, low_ns, high_ns)
            if sql is None:  # no flag whatever the stretch: said for every stretch
                kept.append((None, None, None, defined))
                return None, defined, True
            if len(kept) >= self.KEEP_FCR_RANGES:
                return sql, defined, False
            table = self._table_name("fcr")
            self._run(f"CREATE TEMP TABLE {table} AS {sql}")
            kept.append((low_ns, high_ns, table, defined))
            return table, defined, True

    def _projection(self) -> list[str]:
        """Every column the measures read, normalised (booleans known, NaN as NULL)."""
        columns = [_quoted(c) for c in self.columns if c not in _FLOAT_COLUMNS + _BOOL_COLUMNS]
        columns = [c for c in columns if c not in ('"answered"', '"abandoned"')]
        columns += ["coalesce(CAST(answered AS BOOLEAN), false) AS answered"]
        columns += ["coalesce(CAST(abandoned AS BOOLEAN), false) AS abandoned"]
        columns += [self._column(name, "DOUBLE") for name in _FLOAT_COLUMNS]
        columns += [self._column(name, "BOOLEAN") for name in _BOOL_COLUMNS]
        columns += [self._ivr_known()]
        return columns

    def _filters_sql(self, filters, columns=None) -> list[str]:
        conditions = []
        for column, allowed in (filters or {}).items():
            if not allowed:
                continue
            if column not in (self.columns if columns is None else columns):
                raise ValueError(f"cannot filter on {column!r}: the data has no such column")
            values = ", ".join("'" + str(v).replace("'", "''") + "'" for v in allowed)
            conditions.append(f"CAST({_quoted(column)} AS VARCHAR) IN ({values})")
        return conditions

    def _selection(
        self, settings, start, end, filters, fcr: bool, cached: bool = True
    ) -> tuple[str, bool]:
        """The CTEs up to ``selection``: the calls of ``[start, end)`` matching
        ``filters`` with every column the measures read and the FCR flags
        ``__fcr_eligible``/``__fcr_resolved`` of the whole data; whether FCR is defined.

        The flags come from the table kept per FCR setting (:meth:`_fcr_table`) when
        it exists or the question is about the whole data (``cached``); otherwise they
        are those of the calls from ``start`` to one FCR window after ``end`` only (a
        later repeat call cannot change a flag of the window), kept for a later question
        on the same stretch or inside it (:meth:`_fcr_range`)."""
        start_ns = None if start is None else _timestamp_ns(start)
        end_ns = None if end is None else _timestamp_ns(end)
        narrow = []
        if start_ns is not None:
            narrow.append(self._after(start_ns))
        if end_ns is not None:
            narrow.append(self._before(end_ns))
        narrow += self._filters_sql(filters)
        where = f" WHERE {' AND '.join(narrow)}" if narrow else ""
        ctes = [
            f"calls AS (SELECT {', '.join(self._projection())}, {self._row_sql} "
            f"FROM {self._scan}{where})"
        ]
        flags, defined = None, False
        if fcr:
            key = (float(settings.fcr_window_h), settings.fcr_method)
            bounded = start_ns is not None or end_ns is not None
            if key in self._fcr_tables or (cached and not bounded):
                flags, defined = self._fcr_table(settings)
                if flags is not None and bounded:  # only the window's flags are joined
                    within = [f"__t >= {start_ns}"] if start_ns is not None else []
                    within += [f"__t < {end_ns}"] if end_ns is not None else []
                    ctes.append(f"flags AS (SELECT * FROM {flags} WHERE {' AND '.join(within)})")
                    flags = "flags"
            else:
                window_ns = int(settings.fcr_window_h * 3600 * 1e9)
                high = None if end_ns is None else end_ns + window_ns
                flags, defined, is_table = self._fcr_range(settings, start_ns, high)
                if flags is not None:
                    within = [f"__t >= {start_ns}"] if start_ns is not None else []
                    within += [f"__t < {end_ns}"] if end_ns is not None else []
                    source = flags if is_table else f"({flags}) AS computed"
                    where = f" WHERE {' AND '.join(within)}" if within else ""
                    ctes.append(f"flags AS (SELECT * FROM {source}{where})")
                    flags = "flags"
        if flags is None:
            ctes.append(
                "selection AS (SELECT *, false AS __fcr_eligible, false AS __fcr_resolved "
                "FROM calls)"
            )
        else:
            ctes.append(
                "selection AS (SELECT calls.*, flags.__r IS NOT NULL AS __fcr_eligible, "
                "coalesce(flags.__r, false) AS __fcr_resolved FROM calls "
                f"LEFT JOIN {flags} AS flags USING ({', '.join(self._row_names)}))"
            )
        return ", ".join(ctes), defined

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

    @staticmethod
    def _setting_values(settings: KpiSettings) -> dict[str, str]:
        return {
            "sl_threshold_s": _number(settings.sl_threshold_s),
            "short_abandon_s": _number(settings.short_abandon_s),
            "csat_top_box": _number(settings.csat_top_box),
        }

    def _aggregates(self, settings: KpiSettings, fcr_defined: bool, names=MEASURES) -> list[str]:
        """The aggregates of the measures ``names`` (NULL for one the engine does not
        compute or the data's FCR definition lacks)."""
        values = self._setting_values(settings)
        aggregates = []
        for name in names:
            measure = MEASURE_SQL.get(name)
            if measure is None or ("__fcr" in measure.needs and not fcr_defined):
                aggregates.append(f"CAST(NULL AS DOUBLE) AS {_quoted(name)}")
            else:
                aggregates.append(
                    f"CAST({measure.aggregate(**values)} AS DOUBLE) AS {_quoted(name)}"
                )
        return aggregates

    def _finish(self, table: pd.DataFrame, keys: list[str], freq, asked=MEASURES) -> pd.DataFrame:
        """A measure whose input has no known value in the selection is missing (NaN);
        with no call at all every measure is, and so is every measure not ``asked``;
        then keys in order and dtypes."""
        missing = {name for name in MEASURES if name not in asked}
        for column in _NEEDS:
            known = "__known_" + column  # absent when read by no measure asked
            if known in table.columns and table[known].fillna(0).sum() == 0:
                missing.update(n for n, measure in MEASURE_SQL.items() if column in measure.needs)
        if table["__rows"].fillna(0).sum() == 0:
            missing.update(MEASURES)
        names = [*keys, "period"] if freq is not None else keys
        # one new frame (setting forty columns one by one cost a second per drill-down)
        columns = {name: table[name] for name in names}
        columns.update({name: np.nan if name in missing else table[name] for name in MEASURES})
        table = pd.DataFrame(columns, index=table.index)
        return self._ordered(table, keys, names)

    # ------------------------------------------------------------------ cubes

    def cube_shape(self, by=(), freq=None, start=None, end=None, filters=None):
        """The cube that answers a question of :meth:`sums` exactly, if any.

        Parameters
        ----------
        by, freq, start, end, filters
            As for :meth:`sums`.

        Returns
        -------
        tuple or None
            ``(step, dims)``: :data:`CUBE_FREQ` × :data:`CUBE_DIMS` when every
            grouped or filtered dimension is a cube dimension, every period a union
            of cube intervals and the window's ends lie on interval boundaries
            (:func:`ccmetrics.cube.answers_exactly`); else :data:`DIM_CUBE_FREQ` ×
            queue × ``d`` when one other dimension ``d`` of
            :data:`ccmetrics.schema.DIMENSIONS` is asked for over whole days; else
            None (the calls answer).
        """
        from ccmetrics.cube import answers_exactly
        from ccmetrics.schema import DIMENSIONS

        asked = set(self._keys(by)) | {c for c, allowed in (filters or {}).items() if allowed}
        base = tuple(d for d in CUBE_DIMS if d in self.columns)
        if answers_exactly(base, CUBE_FREQ, dims=asked, freq=freq, start=start, end=end):
            return (CUBE_FREQ, base)
        others = asked - set(base)
        if len(others) == 1:
            (other,) = others
            dims = (*base, other)
            if other in DIMENSIONS and answers_exactly(
                dims, DIM_CUBE_FREQ, dims=asked, freq=freq, start=start, end=end
            ):
                return (DIM_CUBE_FREQ, dims)
        return None

    def answers_from_cube(self, by=(), freq=None, start=None, end=None, filters=None) -> bool:
        """Whether :meth:`sums` of this question is a roll-up of a cube already made (or
        kept in a file), reading no call.

        Parameters
        ----------
        by, freq, start, end, filters
            As for :meth:`sums`.

        Returns
        -------
        bool
        """
        shape = self.cube_shape(by, freq, start, end, filters)
        if shape is None or not self._use_cubes:
            return False
        with self._lock:
            if shape not in self._cubes and shape == self._main_shape():
                self._read_kept_cube()
            return shape in self._cubes

    def _cube(self, shape, settings: KpiSettings, asked=MEASURES) -> _Cube:
        """The cube of ``shape`` with the setting-dependent counts of ``settings`` ready
        for the measures ``asked`` (a setting group none of whose measures is asked, e.g.
        FCR for a service-level chart, is counted the first time one of them is)."""
        with self._lock:
            cube = self._cubes.get(shape)
            if cube is None:
                cube = self._build_cube(shape, settings)
                self._cubes[shape] = cube
                cube.kept = shape != self._main_shape()  # only the main cube goes to a file
            for group, names in SETTING_GROUPS.items():
                if not set(names) & set(asked):
                    continue
                values = _group_values(settings, group)
                if (group, values) not in cube.parts:
                    self._count_part(cube, group, values, settings)
                    stale = [k for k in cube.parts if k[0] == group and k[1] != values]
                    for old in stale[: max(0, len(stale) - self.KEEP + 1)]:
                        table = cube.parts.pop(old)
                        if table != cube.base:
                            self._run(f"DROP TABLE IF EXISTS {table}")
            fcr = ("fcr", _group_values(settings, "fcr"))
            if not cube.kept and fcr in cube.parts:  # every part of its build settings is there
                cube.kept = True
                self._keep_cube(cube, fcr)
            return cube

    def _build_cube(self, shape, settings: KpiSettings) -> _Cube:
        """One pass over the calls: every measure (for ``settings``) per cell, each cell
        numbered; the threshold counts of ``settings`` kept as the first part of their
        group; the FCR counts are counted apart (:meth:`_cube`, when asked for)."""
        step, dims = shape
        # FCR counts apart (a narrow join of the kept flags to their cells): joining the
        # flags to every call's wide row cost most of the pass (3.5 of 6 s at 5M calls)
        selection, _ = self._selection(settings, None, None, None, fcr=False)
        keys = [_quoted(d) for d in dims]
        known = [f"count({_quoted(c)}) AS {_quoted('__known_' + c)}" for c in _NEEDS]
        aggregates = [*self._aggregates(settings, False), *known, "count(*) AS __rows"]
        positions = ", ".join(str(i + 1) for i in range(len(keys) + 1))
        base = self._table_name("cube")
        self._run(
            f"CREATE TEMP TABLE {base} AS WITH {selection}, cells AS ("
            f"SELECT {', '.join([*keys, f'{period_sql(step)} AS period', *aggregates])} "
            f"FROM selection GROUP BY {positions}) "
            "SELECT CAST(row_number() OVER () AS INTEGER) AS __cell, * FROM cells"
        )
        cube = _Cube(step=step, dims=dims, base=base)
        for group in SETTING_GROUPS:
            if group != "fcr":
                cube.parts[(group, _group_values(settings, group))] = base
        return cube

    def _count_part(self, cube: _Cube, group: str, values: tuple, settings: KpiSettings):
        """The measures of one setting group for other setting values, per cell.

        The thresholds' counts come from the cube's table of inputs: the calls of each
        cell counted per distinct (answered, abandoned, IVR flags, wait, CSAT) — made the
        first time a threshold changes. Waits are mostly whole seconds, so it has a few
        hundred rows per busy cell where the cell has thousands of calls, and a
        threshold change sums it instead of the calls. FCR counts come from the FCR flags
        of the setting (:meth:`_fcr_table`) joined to their cells."""
        names = SETTING_GROUPS[group]
        part = self._table_name("part")
        if group == "fcr":
            flags, defined = self._fcr_table(settings)
            cube.fcr_defined[values] = defined
            if flags is None:
                self._run(
                    f"CREATE TEMP TABLE {part} AS SELECT __cell, CAST(NULL AS DOUBLE) AS fcr_n, "
                    f"CAST(NULL AS DOUBLE) AS fcr_resolved FROM {cube.base}"
                )
            else:
                rows = ", ".join(self._row_names)
                dims = "".join(f", {_quoted(d)}" for d in cube.dims)
                calls = f"SELECT {self._row_sql}, arrived_at{dims} FROM {self._scan}"
                self._run(
                    f"CREATE TEMP TABLE {part} AS SELECT cells.__cell, "
                    "CAST(count(*) AS DOUBLE) AS fcr_n, "
                    "CAST(sum(CASE WHEN flags.__r THEN 1 ELSE 0 END) AS DOUBLE) AS fcr_resolved "
                    f"FROM ({calls}) AS calls JOIN {flags} AS flags USING ({rows}) "
                    f"JOIN {cube.base} AS cells ON {self._cell_match(cube)} GROUP BY 1"
                )
        else:
            if cube.inputs is None:
                selection, _ = self._selection(settings, None, None, None, fcr=False)
                inputs = [
                    f"calls.{c}"
                    for c in ("answered", "abandoned", "wait_s", "csat", "ivr_contained", "ivr_abandoned")
                ]  # fmt: skip
                positions = ", ".join(str(i + 1) for i in range(len(inputs) + 1))
                cube.inputs = self._table_name("inputs")
                self._run(
                    f"CREATE TEMP TABLE {cube.inputs} AS WITH {selection} "
                    f"SELECT cells.__cell, {', '.join(inputs)}, count(*) AS __calls "
                    f"FROM selection AS calls JOIN {cube.base} AS cells "
                    f"ON {self._cell_match(cube)} GROUP BY {positions}"
                )
            values_sql = self._setting_values(settings)
            counts = ", ".join(
                f"CAST(sum(({MEASURE_SQL[name].sql.format(**values_sql)}) * __calls) AS DOUBLE) "
                f"AS {_quoted(name)}"
                for name in names
            )
            self._run(
                f"CREATE TEMP TABLE {part} AS SELECT __cell, {counts} "
                f"FROM {cube.inputs} GROUP BY __cell"
            )
        cube.parts[(group, values)] = part

    @staticmethod
    def _cell_match(cube: _Cube) -> str:
        """The join condition of a call (``calls``) and its cell (``cells``) of ``cube``."""
        on = [f"cells.period = {period_sql(cube.step, 'arrived_at')}"]
        on += [f"cells.{_quoted(d)} IS NOT DISTINCT FROM calls.{_quoted(d)}" for d in cube.dims]
        return " AND ".join(on)

    def _roll_up(
        self, shape, keys, freq, settings, start, end, filters, asked=MEASURES
    ) -> pd.DataFrame:
        """:meth:`sums` as a roll-up of the cube of ``shape``: sums of its cells."""
        with self._lock:  # the parts it reads are not dropped by another thread meanwhile
            return self._roll_up_locked(shape, keys, freq, settings, start, end, filters, asked)

    def _roll_up_locked(self, shape, keys, freq, settings, start, end, filters, asked):
        cube = self._cube(shape, settings, asked)
        source = {name: "cells" for name in MEASURES}
        joins, aliases = [], {}
        for group, names in SETTING_GROUPS.items():
            table = cube.parts.get((group, _group_values(settings, group)))
            if table is None:  # a group not asked for (see _cube): its measures NULL
                for name in names:
                    source[name] = None
                continue
            if table == cube.base:
                continue
            if table not in aliases:
                aliases[table] = f"part{len(aliases)}"
                joins.append(f"LEFT JOIN {table} AS {aliases[table]} USING (__cell)")
            alias = aliases[table]
            for name in names:
                source[name] = alias
        fcr_defined = cube.fcr_defined.get(_group_values(settings, "fcr"), False)
        columns = [f"cells.{_quoted(d)}" for d in cube.dims] + ["cells.period"]
        for name in MEASURES:
            column = f"{source[name]}.{_quoted(name)}"
            if source[name] is None:
                column = "CAST(NULL AS DOUBLE)"
            elif source[name] != "cells":
                # a cell without an eligible call has no FCR row: it counts 0
                column = f"coalesce({column}, 0.0)"
            measure = MEASURE_SQL.get(name)
            if measure is None or ("__fcr" in measure.needs and not fcr_defined):
                column = "CAST(NULL AS DOUBLE)"
            columns.append(f"{column} AS {_quoted(name)}")
        columns += [f"cells.{_quoted('__known_' + c)}" for c in _NEEDS] + ["cells.__rows"]
        where = []
        if start is not None:
            where.append(f"epoch_ns(period) >= {_timestamp_ns(start)}")
        if end is not None:
            where.append(f"epoch_ns(period) < {_timestamp_ns(end)}")
        where += self._filters_sql(filters, cube.dims)
        key_sql = [_quoted(c) for c in keys]
        if freq is not None:
            key_sql.append(f"{period_sql(freq, 'period')} AS period")
        sums = [f"sum({_quoted(name)}) AS {_quoted(name)}" for name in MEASURES]
        sums += [f"sum({_quoted('__known_' + c)}) AS {_quoted('__known_' + c)}" for c in _NEEDS]
        sums += ["sum(__rows) AS __rows"]
        group = ""
        if key_sql:
            group = " GROUP BY " + ", ".join(str(i + 1) for i in range(len(key_sql)))
        query = (
            f"WITH cube AS (SELECT {', '.join(columns)} FROM {cube.base} AS cells "
            f"{' '.join(joins)}) SELECT {', '.join([*key_sql, *sums])} FROM cube"
            + (f" WHERE {' AND '.join(where)}" if where else "")
            + group
        )
        return self._finish(self._frame(query), keys, freq, asked)

    def _answer_from_cube(self, shape, start, end, measures=None) -> bool:
        """Whether to use (or build) the cube of ``shape``: always once built; before,
        never for a question naming a few ``measures`` (summing those from the calls
        costs a fraction of a cube of every measure: 2.5 s against 17.8 s for the service
        level's five over 50M calls, docs/PERFORMANCE.md), and otherwise only for a
        window of at least :data:`CUBE_MIN_SHARE` of the data's span (a shorter one
        costs less from the calls than the cube's pass over every call)."""
        if shape is None or not self._use_cubes:
            return False
        if shape not in self._cubes and shape == self._main_shape():
            self._read_kept_cube()
        if shape in self._cubes:
            return True
        if measures is not None:
            return False
        if start is None and end is None:
            return True
        first = _timestamp_ns(start) if start is not None else None
        last = _timestamp_ns(end) if end is not None else None
        if first is None or last is None:
            return True
        return last - first >= CUBE_MIN_SHARE * self._span_ns

    # ------------------------------------------------------------------ cubes kept in files

    def _main_shape(self) -> tuple:
        """The shape of the cube every view rolls up from (:data:`CUBE_FREQ` × the
        :data:`CUBE_DIMS` the data has)."""
        return (CUBE_FREQ, tuple(d for d in CUBE_DIMS if d in self.columns))

    def _source_signature(self) -> str | None:
        """A digest of what the main cube's sums depend on besides the settings: every
        Parquet file of the source (path within it, size, modification time), the
        measures' SQL and the cube's shape; None when it cannot be read."""
        path = self._source_path
        try:
            files = sorted(path.rglob("*.parquet")) if path.is_dir() else [path]
            listed = []
            for file in files:
                info = file.stat()
                listed.append([str(file.relative_to(path)) if path.is_dir() else file.name,
                               info.st_size, info.st_mtime_ns])  # fmt: skip
        except OSError:
            return None
        text = json.dumps(
            {
                "version": CUBE_STORE_VERSION,
                "files": listed,
                "measures": {name: [m.sql, list(m.needs)] for name, m in MEASURE_SQL.items()},
                "shape": list(self._main_shape()),
                "columns": list(self.columns),
            },
            sort_keys=True,
        )
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def _kept_cube_path(self, signature: str) -> Path:
        """The file of the main cube: named by the source's path, then by its signature."""
        source = hashlib.sha256(str(self._source_path.resolve()).encode("utf-8")).hexdigest()
        return self._cube_dir / f"cube-{source[:16]}-{signature[:32]}.parquet"

    def _kept_file_facts(self) -> dict | None:
        """What the main cube's file records (:meth:`_keep_cube`) when its signature is
        the source's, read from the file's footer; None otherwise."""
        if self._cube_dir is None or self._signature is None:
            return None
        import pyarrow.parquet as pq

        try:
            metadata = pq.read_metadata(self._kept_cube_path(self._signature)).metadata or {}
            facts = json.loads(metadata[b"ccmetrics_cube"])
        except (OSError, KeyError, ValueError):  # absent, unreadable or not a kept cube
            return None
        if facts.get("version") != CUBE_STORE_VERSION or facts.get("signature") != self._signature:
            return None
        return facts

    def _kept_facts(self) -> tuple | None:
        """The facts of :meth:`_count_facts` as the main cube's file records them."""
        facts = self._kept_file_facts()
        if facts is None or "data" not in facts:
            return None
        data = facts["data"]
        return (data["end_ns"], int(data["rows"]), int(data["span_ns"]), bool(data["has_ids"]))

    def _read_kept_cube(self) -> None:
        """Load the main cube from its file when one matches the source's signature."""
        facts = self._kept_file_facts()
        if facts is None:
            return
        import pyarrow.parquet as pq

        try:
            table = pq.read_table(self._kept_cube_path(self._signature))
        except (OSError, ValueError):  # removed or damaged since its footer was read
            return
        step, dims = self._main_shape()
        base = self._table_name("cube")
        with self._lock:
            if (step, dims) in self._cubes:  # read by another thread meanwhile
                return
            name = self._table_name("kept")
            self._connection.register(name, table)
            try:
                self._run(f"CREATE TEMP TABLE {base} AS SELECT * FROM {name}")
            finally:
                self._connection.unregister(name)
            cube = _Cube(step=step, dims=dims, base=base, kept=True)
            for group, values in facts["groups"].items():
                cube.parts[(group, tuple(values))] = base
            cube.fcr_defined[tuple(facts["groups"]["fcr"])] = bool(facts["fcr_defined"])
            self._cubes[(step, dims)] = cube

    def _keep_cube(self, cube: _Cube, fcr: tuple) -> None:
        """Write the main cube to its file: the base table with the FCR counts of its
        build settings in place, and those settings (nothing when the files changed since
        the data was opened, or the folder cannot be written; the cube stays in memory)."""
        if self._cube_dir is None or self._signature is None:
            return
        if self._source_signature() != self._signature:
            return
        import pyarrow.parquet as pq

        groups = {group: list(values) for (group, values), table in cube.parts.items()
                  if table == cube.base}  # fmt: skip
        groups["fcr"] = list(fcr[1])
        facts = {
            "version": CUBE_STORE_VERSION,
            "signature": self._signature,
            "groups": groups,
            "fcr_defined": bool(cube.fcr_defined.get(fcr[1], False)),
            "data": {
                "end_ns": self._data_end_ns,
                "rows": self.rows,
                "span_ns": self._span_ns,
                "has_ids": self._has_ids,
            },
        }
        part = cube.parts[fcr]
        table = self._run(
            "SELECT cells.* REPLACE (coalesce(part.fcr_n, 0.0) AS fcr_n, "
            "coalesce(part.fcr_resolved, 0.0) AS fcr_resolved) "
            f"FROM {cube.base} AS cells LEFT JOIN {part} AS part USING (__cell) ORDER BY __cell"
        ).to_arrow_table()
        metadata = {**(table.schema.metadata or {}), b"ccmetrics_cube": json.dumps(facts)}
        path = self._kept_cube_path(self._signature)
        partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.partial")
        try:
            self._cube_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            pq.write_table(table.replace_schema_metadata(metadata), partial, compression="zstd")
            os.chmod(partial, 0o600)  # the user's own, as the loader's cached copies
            os.replace(partial, path)
            # older cubes of the same source (its files have changed since) are dropped
            for other in self._cube_dir.glob(path.name.rsplit("-", 1)[0] + "-*.parquet"):
                if other != path:
                    other.unlink(missing_ok=True)
        except OSError:
            Path(partial).unlink(missing_ok=True)

    # ------------------------------------------------------------------ queries

    def sums(
        self, by=(), freq=None, settings=None, start=None, end=None, filters=None, measures=None
    ):
        """Summed additive measures per group and period.

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
        measures : sequence of str, optional
            The measures to sum (names of :data:`ccmetrics.cube.MEASURES`); default
            every one. The others are still columns of the result, all NaN, so
            :func:`ccmetrics.kpi.derive` reads the table as ever (the KPIs made from
            them are NaN). The FCR flags (a window function over every call of the
            customers, and a check of the customer ids) are made only when
            ``fcr_n`` or ``fcr_resolved`` is asked for.

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
        Each measure is the sum of its :data:`MEASURE_SQL` expression over the calls
        of the group: exactly the sums of :func:`ccmetrics.cube.call_measures`. A
        measure whose input has no known value in the selection is NaN. FCR flags are
        those of the whole data (the next call of the same customer, in arrival
        order, censored at the end of the data), as
        :func:`ccmetrics.kpi.add_fcr_flags` gives them. When a cube answers the
        question (:meth:`cube_shape`), the sums are the sums of its cells — each
        cell's sums are those of its calls, so the groups' are too (counts exactly,
        sums of values up to the order of addition). Asking for some ``measures``
        changes neither whether a cube answers nor any sum asked for: a sum is the
        same whichever other measures are summed beside it.
        """
        settings = settings or KpiSettings()
        keys = self._keys(by)
        asked = _asked_measures(measures)
        shape = self.cube_shape(keys, freq, start, end, filters)
        if self._answer_from_cube(shape, start, end, measures):
            return self._roll_up(shape, keys, freq, settings, start, end, filters, asked)
        fcr = bool(set(asked) & set(SETTING_GROUPS["fcr"]))
        selection, fcr_defined = self._selection(settings, start, end, filters, fcr=fcr)
        key_sql = [_quoted(c) for c in keys]
        if freq is not None:
            key_sql.append(f"{period_sql(freq)} AS period")
        aggregates = self._aggregates(settings, fcr_defined, asked)
        needs = {n for name in asked if name in MEASURE_SQL for n in MEASURE_SQL[name].needs}
        aggregates += [
            f"count({_quoted(c)}) AS {_quoted('__known_' + c)}" for c in _NEEDS if c in needs
        ]
        aggregates += ["count(*) AS __rows"]
        group = ""
        if key_sql:
            positions = ", ".join(str(i + 1) for i in range(len(key_sql)))
            group = f" GROUP BY {positions}"
        query = (
            f"WITH {selection} SELECT {', '.join([*key_sql, *aggregates])} FROM selection{group}"
        )
        return self._finish(self._frame(query), keys, freq, asked)

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
        """Number of calls in ``[start, end)`` (all calls without bounds).

        Notes
        -----
        Counted on the main cube (each cell's calls) when it exists or is kept in a file
        and both bounds lie on its half hours, as a span test asks for whole days.
        """
        if start is None and end is None:
            return self.rows
        counted = self._count_from_cube(start, end)
        if counted is not None:
            return counted
        where = []
        if start is not None:
            where.append(self._after(_timestamp_ns(start)))
        if end is not None:
            where.append(self._before(_timestamp_ns(end)))
        condition = f" WHERE {' AND '.join(where)}" if where else ""
        query = f"SELECT count(*) FROM {self._scan}{condition}"
        return int(self._run(query).fetchall()[0][0])

    def _count_from_cube(self, start, end) -> int | None:
        """:meth:`count` as the sum of the main cube's cells, or None when no main cube is
        at hand or a bound lies inside a cell."""
        if not self._use_cubes or self.cube_shape(start=start, end=end) != self._main_shape():
            return None
        shape = self._main_shape()
        with self._lock:
            if shape not in self._cubes:
                self._read_kept_cube()
            cube = self._cubes.get(shape)
            if cube is None:
                return None
            where = []
            if start is not None:
                where.append(f"epoch_ns(period) >= {_timestamp_ns(start)}")
            if end is not None:
                where.append(f"epoch_ns(period) < {_timestamp_ns(end)}")
            query = f"SELECT coalesce(sum(__rows), 0) FROM {cube.base} WHERE {' AND '.join(where)}"
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
        with self._lock:
            table = self._connection.sql(self._sql(query)).to_arrow_table()
        frame = table.to_pandas()
        for column in names:
            dtype = self._frame_dtypes.get(column)
            if dtype is None or frame[column].dtype == dtype:
                continue
            if isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "iu":
                # a nullable integer straight from Arrow: through float64 (what to_pandas
                # makes of integers with NULLs) an integer above 2**53 would be rounded
                frame[column] = pd.Series(dtype.__from_arrow__(table.column(column)))
            else:
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


@dataclass
class _Cube:
    """A cube kept in the engine: its shape, the table of its cells (``__cell``, keys,
    ``period``, every measure for the settings it was built with, known counts), the
    table of the setting-dependent counts per ``(group, setting values)`` (the base
    table itself for the settings of the build), the table of the thresholds' inputs per
    cell (made on the first threshold change) and whether FCR is defined per FCR setting."""

    step: str
    dims: tuple[str, ...]
    base: str
    parts: dict = field(default_factory=dict)
    inputs: str | None = None
    fcr_defined: dict = field(default_factory=dict)
    #: Whether the cube is in its file already, or is not to be written to one.
    kept: bool = False


def default_cube_dir() -> Path:
    """The folder of cubes kept between processes: ``cubes`` in the loader's cache folder
    (:func:`ccmetrics.io.default_cache_dir`: ``$CCMETRICS_CACHE_DIR`` or ``~/.cache/ccmetrics``)."""
    from ccmetrics.io import default_cache_dir

    return default_cache_dir() / "cubes"


def cube_dir_for(source) -> Path | None:
    """Where the cube of a canonical Parquet file or folder is kept between processes:
    :func:`default_cube_dir`, or None when that folder lies inside the data's folder
    (its cube file would be read as calls; the cube then stays in memory).

    Parameters
    ----------
    source : str or Path
        The Parquet file or folder a :class:`Dataset` opens.

    Returns
    -------
    Path or None
    """
    folder, data = default_cube_dir(), Path(source).expanduser()
    if data.is_dir() and folder.resolve().is_relative_to(data.resolve()):
        return None
    return folder


def _asked_measures(measures) -> tuple[str, ...]:
    """The measures :meth:`Dataset.sums` is asked for, in :data:`MEASURES` order (every
    one for None); ValueError naming any that is not a measure."""
    if measures is None:
        return tuple(MEASURES)
    measures = [measures] if isinstance(measures, str) else list(measures)
    unknown = [m for m in measures if m not in MEASURES]
    if unknown:
        raise ValueError(f"no such measures: {unknown} (the measures are {list(MEASURES)})")
    return tuple(m for m in MEASURES if m in measures)


def _group_values(settings: KpiSettings, group: str) -> tuple:
    """The values of the settings one setting group's counts depend on."""
    return tuple(getattr(settings, name) for name in GROUP_SETTINGS[group])
