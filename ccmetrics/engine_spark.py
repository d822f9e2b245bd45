"""The engine's queries on Spark: the same SQL as :mod:`ccmetrics.engine`, transpiled.

:class:`SparkDataset` is a :class:`ccmetrics.engine.Dataset` whose calls live in
Spark (a pandas frame or Arrow table sent to the session, a canonical Parquet
file or folder, or a Spark DataFrame such as a warehouse table of canonical
calls). It runs every query :class:`~ccmetrics.engine.Dataset` writes, in
DuckDB's SQL, through :func:`to_spark_sql`: sqlglot transpiles the dialect and
rewrites the few DuckDB functions Spark lacks, so a query is written once and
the numbers are those of the embedded engine.

Spark's timestamps are microseconds: a nanosecond part of ``arrived_at`` is cut
off (canonical calls carry whole seconds or milliseconds). Timestamps are read
and returned as UTC wall times (the session's time zone is set to UTC), so a
naive business-local time is never shifted.
"""

from __future__ import annotations

import functools
import os
import tempfile
import threading
import uuid
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import sqlglot
from sqlglot import exp

from ccmetrics.engine import Dataset

__all__ = ["SparkDataset", "spark_session", "to_spark_sql", "DEFAULT_MASTER"]

#: The master of the session :func:`spark_session` builds when none is named.
DEFAULT_MASTER = "local[2]"

#: pyspark warns on every pandas conversion that it does not yet fully support
#: pandas 3; ccmetrics converts through Arrow itself (``toArrow``, ``createDataFrame``
#: of an Arrow table), so the warning only concerns the session start-up checks.
_PANDAS_VERSION_WARNING = r"PySpark does not yet fully support pandas"

#: The engine's temporary tables (``__fcr_1``, ...) start so; each is made unique per Spark
#: data set, since a Spark session's temporary views are shared by every data set in it.
_TEMP_PREFIX = "__"


@contextmanager
def _quiet_pandas_version():
    """Silence pyspark's pandas-version warning only (understood: see the constant)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=_PANDAS_VERSION_WARNING, category=FutureWarning)
        yield


def spark_session(master: str | None = None):
    """A Spark session for the engine: the active one, a named master, or ``local[2]``.

    Parameters
    ----------
    master : str, optional
        A Spark master URL (``spark://host:7077``, ``yarn``, ``local[4]``). Without it,
        ``SPARK_REMOTE`` (a Spark Connect URL, ``sc://host:15002``) is used when set,
        else the active session, else ``local[2]``.

    Returns
    -------
    pyspark.sql.SparkSession
        With the UI off, the session time zone UTC and few shuffle partitions when local.
    """
    with _quiet_pandas_version():
        from pyspark.sql import SparkSession

        builder = SparkSession.builder.appName("ccmetrics")
        if master is None and not os.environ.get("SPARK_REMOTE"):
            active = SparkSession.getActiveSession()
            if active is not None:
                return active
            master = DEFAULT_MASTER
        if master is not None:
            builder = builder.master(master)
        if master is not None and master.startswith("local"):
            builder = (
                builder.config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.sql.shuffle.partitions", "4")
            )
        session = builder.config("spark.sql.session.timeZone", "UTC").getOrCreate()
    if master is not None and master.startswith("local"):
        session.sparkContext.setLogLevel("ERROR")
    return session


# --------------------------------------------------------------------------- SQL


#: ``TRY_CAST(__v AS UBIGINT)`` on Spark.
_UNSIGNED = sqlglot.parse_one(
    "CASE WHEN NOT startswith(__v, '-') THEN TRY_CAST(__v AS DECIMAL(20, 0)) END", read="spark"
)


def _rewrite(node: exp.Expression) -> exp.Expression:
    """One node of a DuckDB query as Spark has it (DuckDB-only functions and types)."""
    if isinstance(node, exp.Anonymous):
        name = str(node.this).lower()
        args = node.expressions
        if name == "epoch_ns":  # nanoseconds since the epoch; Spark keeps microseconds
            micros = exp.func("unix_micros", exp.cast(args[0], "TIMESTAMP"))
            return exp.paren(exp.Mul(this=micros, expression=exp.Literal.number(1000)))
        if name == "make_timestamp_ns":  # exact: every nanosecond value here is whole µs
            whole = exp.IntDiv(this=exp.paren(args[0]), expression=exp.Literal.number(1000))
            return exp.func("timestamp_micros", whole)
        if name == "round_even":  # half to even, as numpy's rint
            return exp.func("bround", *args)
    if isinstance(node, exp.RegexpFullMatch):  # Java's find() anchored to the whole text
        pattern = node.expression
        if isinstance(pattern, exp.Literal) and pattern.is_string:
            anchored = exp.Literal.string(f"\\A(?:{pattern.this})\\z")
            return exp.RegexpLike(this=node.this, expression=anchored)
    if isinstance(node, exp.TryCast) and node.to.this == exp.DataType.Type.UBIGINT:
        # no unsigned integers in Spark: 20 decimal digits, a sign refused as DuckDB does
        return _UNSIGNED.transform(
            lambda n: node.this.copy() if isinstance(n, exp.Column) and n.name == "__v" else n
        )
    if isinstance(node, exp.DataType) and node.this == exp.DataType.Type.TIMESTAMP_NS:
        return exp.DataType.build("TIMESTAMP")
    return node


def _rename_temp(node: exp.Expression, suffix: str) -> exp.Expression:
    """The engine's temporary tables under this data set's own names."""
    named = node.name if isinstance(node, exp.Table) else ""
    if named.startswith(_TEMP_PREFIX) and not (suffix and named.endswith(suffix)):
        return exp.table_(node.name + suffix, alias=node.alias or None)
    return node


@functools.lru_cache(maxsize=256)  # a question asked again costs no second transpilation
def to_spark_sql(text: str, temp_suffix: str = "") -> str:
    """A query of :class:`ccmetrics.engine.Dataset` (DuckDB's SQL) as Spark SQL.

    Parameters
    ----------
    text : str
        One DuckDB statement: a query, ``DESCRIBE`` of one, or ``CREATE TEMP TABLE``
        ``name AS`` a query.
    temp_suffix : str, default ""
        Appended to the engine's temporary table names (``__*``) not ending with it.

    Returns
    -------
    str
        Spark SQL: sqlglot's transpilation (``NULLS LAST`` made explicit, types and
        quoting), with ``epoch_ns(t)`` as ``unix_micros(t) * 1000``,
        ``make_timestamp_ns(n)`` as ``timestamp_micros(n DIV 1000)``, ``round_even`` as
        ``bround``, ``regexp_full_match(s, p)`` as ``s RLIKE '\\A(?:p)\\z'``, and a
        temporary table as ``CACHE TABLE name AS query`` (which the data set's connection
        keeps as a local checkpoint under that name).

    Examples
    --------
    >>> to_spark_sql("SELECT round_even(cost * 1e4, 0) AS c FROM calls")
    'SELECT BROUND(cost * 1e4, 0) AS c FROM calls'
    """
    tree = sqlglot.parse_one(text, read="duckdb")
    # a replaced node's own arguments are not revisited: again until nothing changes
    # (functions nest a few deep, e.g. make_timestamp_ns(epoch_ns(t) - ...))
    before = None
    while before != (after := tree.sql()):
        before, tree = after, tree.transform(_rewrite)
    tree = tree.transform(_rename_temp, suffix=temp_suffix)
    if isinstance(tree, exp.Create) and tree.args.get("expression") is not None:
        name = tree.this.sql(dialect="spark")
        return f"CACHE TABLE {name} AS {tree.expression.sql(dialect='spark')}"
    return tree.sql(dialect="spark")


# --------------------------------------------------------------------------- results


def _utc_wall_times(table: pa.Table) -> pa.Table:
    """Spark's UTC timestamps as naive nanosecond times (the wall time in UTC)."""
    fields = [
        pa.field(f.name, pa.timestamp("ns")) if pa.types.is_timestamp(f.type) else f
        for f in table.schema
    ]
    return table.cast(pa.schema(fields))


class _SparkResult:
    """A Spark query's result with the methods the engine calls on a DuckDB relation."""

    def __init__(self, frame):
        self._frame = frame

    def to_arrow_table(self) -> pa.Table:
        with _quiet_pandas_version():
            return _utc_wall_times(self._frame.toArrow())

    def df(self) -> pd.DataFrame:
        return self.to_arrow_table().to_pandas()

    def fetchall(self) -> list[tuple]:
        return [tuple(row.values()) for row in self.to_arrow_table().to_pylist()]


class _SparkConnection:
    """A Spark session behind the ``sql(text)`` the engine calls on a DuckDB connection."""

    def __init__(self, session):
        self.session = session
        self._cached: list[str] = []

    def sql(self, text: str) -> _SparkResult:
        if not text.startswith("CACHE TABLE "):
            return _SparkResult(self.session.sql(text))
        # CACHE TABLE of a query with CTEs is never matched again (a CTE's id differs at
        # each analysis), so each later query recomputed it: its rows are kept instead
        # (a local checkpoint) under the table's name
        _, _, name, _, query = text.split(" ", 4)
        kept = self.session.sql(query).localCheckpoint(eager=True)
        kept.createOrReplaceTempView(name)
        self._cached.append(name)
        return _SparkResult(kept)

    def close(self) -> None:
        for name in self._cached:
            self.session.catalog.dropTempView(name)
        self._cached.clear()


# --------------------------------------------------------------------------- the data set


def _is_local(session) -> bool:
    """Whether the session runs in this process's machine (a local master)."""
    try:
        return str(session.sparkContext.master).startswith("local")
    except Exception:  # Spark Connect: the client has no context, the server is elsewhere
        return False


def _arrow_for_spark(table: pa.Table) -> pa.Table:
    """An Arrow table in types Spark reads: categories as text, microsecond times."""
    fields, columns = [], []
    for field, column in zip(table.schema, table.columns, strict=True):
        kind = field.type
        if pa.types.is_dictionary(kind):
            column, kind = column.cast(kind.value_type), kind.value_type
        if pa.types.is_large_string(kind):
            kind = pa.string()
        elif pa.types.is_timestamp(kind):
            kind = pa.timestamp("us")  # naive wall time, read as UTC by the session
        columns.append(column.cast(kind, safe=False))
        fields.append(pa.field(field.name, kind))
    return pa.Table.from_arrays(columns, schema=pa.schema(fields))


class SparkDataset(Dataset):
    """Canonical calls in Spark, queried with the SQL of :class:`ccmetrics.engine.Dataset`.

    Parameters
    ----------
    source : DataFrame, pyarrow.Table, str, Path or pyspark.sql.DataFrame
        Canonical calls (``io.load(...).frame``), an Arrow table of them, a canonical
        Parquet file or folder (local or any path Spark reads, e.g. ``s3a://``), or a
        Spark DataFrame of canonical calls (e.g. ``spark.table("calls")``).
    spark : pyspark.sql.SparkSession, optional
        The session (default: :func:`spark_session`); its time zone is set to UTC.

    Attributes
    ----------
    columns : tuple of str
        The canonical columns of the data.
    rows : int
        The number of calls.

    Notes
    -----
    Same methods and results as :class:`ccmetrics.engine.Dataset` (``sums``,
    ``kpis``, ``count``, ``window``): every query is the engine's DuckDB SQL
    through :func:`to_spark_sql`. Rows are identified by position in a frame, by
    file and row index in Parquet; in a Spark DataFrame by
    ``monotonically_increasing_id`` (an order that only breaks ties in arrival
    time of one customer's calls, for FCR).
    """

    def __init__(self, source, spark=None):
        session = spark if spark is not None else spark_session()
        session.conf.set("spark.sql.session.timeZone", "UTC")
        self._connection = _SparkConnection(session)
        self._suffix = "_" + uuid.uuid4().hex[:12]
        self._frame_dtypes: dict = {}
        self._files: tempfile.TemporaryDirectory | None = None
        self._lock = threading.RLock()
        self._scan = "__calls" + self._suffix
        self._spark_frame(source, session).createOrReplaceTempView(self._scan)
        # no kept cubes: each question is one query that Spark plans and runs as a whole
        self._read_facts(cubes=False)

    def _spark_frame(self, source, session):
        """The calls as a Spark DataFrame with their row keys; sets the row-key names."""
        from pyspark.sql import DataFrame
        from pyspark.sql import functions as F
        from pyspark.sql.types import LongType

        if isinstance(source, pd.DataFrame):
            self._frame_dtypes = dict(source.dtypes)
            source = pa.Table.from_pandas(source, preserve_index=False)
        if isinstance(source, pa.Table):
            row = pa.array(np.arange(source.num_rows, dtype=np.int64))
            table = _arrow_for_spark(source.append_column("__row", row))
            self._row_sql, self._row_names = "__row", ("__row",)
            if not _is_local(session):  # executors elsewhere: the rows sent through Spark
                return session.createDataFrame(table)
            # a local session reads a Parquet copy about three times faster than it
            # takes the same Arrow table from Python (measured on the sample)
            self._files = tempfile.TemporaryDirectory(prefix="ccmetrics-spark-")
            path = Path(self._files.name) / "calls.parquet"
            pq.write_table(table, path)
            return session.read.parquet(str(path))
        if isinstance(source, DataFrame):
            self._row_sql, self._row_names = "__row", ("__row",)
            return source.withColumn("__row", F.monotonically_increasing_id())
        # nanosecond Parquet times are read as integers, then made microsecond timestamps
        session.conf.set("spark.sql.legacy.parquet.nanosAsLong", "true")
        reader = session.read
        path = Path(source)
        if path.is_dir() and not any("=" in p.name for p in path.iterdir() if p.is_dir()):
            reader = reader.option("recursiveFileLookup", "true")
        frame = reader.parquet(str(source))
        if "arrived_at" in frame.columns and isinstance(
            frame.schema["arrived_at"].dataType, LongType
        ):
            micros = F.expr("timestamp_micros(arrived_at DIV 1000)")
            frame = frame.withColumn("arrived_at", micros)
        self._row_sql = "__file, file_row_number"
        self._row_names = ("__file", "file_row_number")
        return frame.select(
            "*",
            F.hash(F.col("_metadata.file_path")).alias("__file"),
            F.col("_metadata.row_index").alias("file_row_number"),
        )

    def _sql(self, text: str) -> str:
        """The engine's DuckDB query as Spark SQL (:func:`to_spark_sql`)."""
        return to_spark_sql(text, self._suffix)

    def close(self) -> None:
        """Drop this data set's temporary views (the session stays open)."""
        self._connection.close()
        self._connection.session.catalog.dropTempView(self._scan)
        if self._files is not None:
            self._files.cleanup()
