"""A data set on an engine as the app opens it: where it is, which engine, which period.

The app's pages read a pandas frame of calls. On an engine the data set itself stays
where it is (a canonical Parquet file or folder, read by the embedded DuckDB of
:class:`ccmetrics.engine.Dataset` or by Spark through
:class:`ccmetrics.engine_spark.SparkDataset`) and is the source of truth; the app
fetches **the period in view** as a frame with the engine's ``window`` (FCR flags
computed by the engine over the whole data set, so a repeat call after the period
still counts), and every page runs on that frame unchanged.

This module holds the parts of that which are not UI: naming a source
(:class:`EngineSource`, from the environment with :func:`source_from_env`), opening
it with a clear error (:func:`open_source`, :class:`SourceError`), the span of its
calls (:func:`arrival_span`), the period fetched by default (:func:`last_full_month`),
the cut of a period to a row budget (:func:`fit_budget`) and the canonical dtypes of
a fetched frame (:func:`canonical_dtypes`). It never imports streamlit.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ccmetrics.schema import CALL_COLUMNS

__all__ = [
    "SOURCE_ENV",
    "ENGINE_ENV",
    "MASTER_ENV",
    "MEMORY_ENV",
    "ENGINES",
    "ROW_BUDGET",
    "ERROR_CODES",
    "EngineSource",
    "SourceError",
    "FetchPeriod",
    "source_from_env",
    "open_source",
    "arrival_bounds",
    "arrival_span",
    "period_comparison",
    "last_full_month",
    "fit_budget",
    "canonical_dtypes",
]

#: Environment variable naming a canonical Parquet file or folder the app opens at start.
SOURCE_ENV = "CCMETRICS_SOURCE"
#: Environment variable naming the engine (:data:`ENGINES`; default ``duckdb``).
ENGINE_ENV = "CCMETRICS_ENGINE"
#: Environment variable naming the Spark master (``spark://host:7077``, ``yarn``,
#: ``local[4]``); without it :func:`ccmetrics.engine_spark.spark_session` uses
#: ``SPARK_REMOTE`` (Spark Connect) when set, else ``local[2]``.
MASTER_ENV = "CCMETRICS_SPARK_MASTER"
#: Environment variable setting DuckDB's memory limit (``4GB``): above it the engine
#: spills sorts and aggregates to disk, so a server shared by others is not filled.
MEMORY_ENV = "CCMETRICS_MEMORY_LIMIT"
#: The engines a source can be opened on.
ENGINES = ("duckdb", "spark")
#: Most calls the app fetches into one pandas frame (a longer period is cut to its
#: last days that fit): 5M canonical calls are about 2.5 GB of pandas frame.
ROW_BUDGET = 5_000_000
#: The codes of :class:`SourceError`.
ERROR_CODES = ("missing", "engine", "spark_unavailable", "unreadable", "not_canonical", "no_calls")


@dataclass(frozen=True)
class EngineSource:
    """A canonical Parquet file or folder of calls and the engine that reads it.

    Attributes
    ----------
    path : str
        The Parquet file or folder (``bench/datagen.py --parquet-folder``,
        ``ccmetrics.io.load_cached``'s copies, a lake's folder of canonical calls).
    engine : str
        ``"duckdb"`` (embedded) or ``"spark"``.
    master : str or None
        The Spark master (Spark only); None: :func:`ccmetrics.engine_spark.spark_session`'s
        choice (``SPARK_REMOTE``, else the active session, else ``local[2]``).
    """

    path: str
    engine: str = "duckdb"
    master: str | None = None


class SourceError(Exception):
    """A source that cannot be opened: ``code`` (what went wrong) and ``params``.

    Codes: ``missing`` (no such file or folder; params ``path``), ``engine``
    (an engine not in :data:`ENGINES`; ``engine``), ``spark_unavailable``
    (pyspark, Java or the master missing; ``reason``), ``unreadable`` (not
    Parquet the engine reads; ``path``, ``reason``), ``not_canonical`` (Parquet
    without the columns every canonical call has; ``path``, ``missing``: their names,
    comma-separated), ``no_calls`` (``path``).
    """

    def __init__(self, code: str, **params):
        super().__init__(f"{code}: {params}")
        self.code = code
        self.params = params


@dataclass(frozen=True)
class FetchPeriod:
    """A period of calls to fetch, both ends included, and what the row budget did to it.

    Attributes
    ----------
    start, end : datetime.date
        The period fetched.
    calls : int
        Calls in the period (the engine's ``count``).
    asked_start : datetime.date
        The start asked for; later than it when the period was cut.
    cut : bool
        Whether the start was moved later to keep the calls within the budget.
    """

    start: dt.date
    end: dt.date
    calls: int
    asked_start: dt.date
    cut: bool


def source_from_env(environ=None) -> EngineSource | None:
    """The source the environment names (:data:`SOURCE_ENV`, :data:`ENGINE_ENV`,
    :data:`MASTER_ENV`), or None when :data:`SOURCE_ENV` is unset or blank."""
    environ = os.environ if environ is None else environ
    path = str(environ.get(SOURCE_ENV, "")).strip()
    if not path:
        return None
    engine = str(environ.get(ENGINE_ENV, "") or "duckdb").strip().lower()
    master = str(environ.get(MASTER_ENV, "")).strip() or None
    return EngineSource(path, engine, master)


def _one_line(text: str) -> str:
    """An engine's error as one short line (its first; the SQL and stack after it are noise)."""
    return ((str(text).strip().splitlines() or [""])[0])[:300]


def open_source(source: EngineSource):
    """Open the calls of ``source`` on its engine.

    Parameters
    ----------
    source : EngineSource

    Returns
    -------
    ccmetrics.engine.Dataset
        A :class:`ccmetrics.engine.Dataset` (DuckDB, with the memory limit of
        :data:`MEMORY_ENV` when set, its cube kept in
        :func:`ccmetrics.engine.cube_dir_for`'s folder between processes) or
        :class:`ccmetrics.engine_spark.SparkDataset` (Spark) over the Parquet file or folder.

    Raises
    ------
    SourceError
        The path does not exist, the engine is unknown, Spark cannot start, or the
        files are not canonical calls (never the engine's own exception).
    """
    if source.engine not in ENGINES:
        raise SourceError("engine", engine=source.engine)
    path = Path(source.path).expanduser()
    remote = source.engine == "spark" and "://" in source.path  # s3a://, hdfs://: Spark reads it
    if not remote and not path.exists():
        raise SourceError("missing", path=source.path)
    if source.engine == "duckdb":
        import duckdb

        from ccmetrics.engine import Dataset, NotCanonicalError, cube_dir_for

        memory_limit = os.environ.get(MEMORY_ENV, "").strip() or None
        try:
            # its cube kept beside the loader's cache: a source opened again reads it
            return Dataset(path, memory_limit=memory_limit, cube_dir=cube_dir_for(path))
        except NotCanonicalError as error:
            raise SourceError(
                "not_canonical", path=source.path, missing=", ".join(error.missing)
            ) from None
        except (duckdb.Error, ValueError, OSError) as error:
            raise SourceError("unreadable", path=source.path, reason=_one_line(error)) from None
    try:
        from ccmetrics.engine_spark import SparkDataset, spark_session

        session = spark_session(source.master)
    except Exception as error:  # no pyspark, no Java, no master to reach: said, not raised
        raise SourceError("spark_unavailable", reason=_one_line(error)) from None
    from ccmetrics.engine import NotCanonicalError

    try:
        return SparkDataset(source.path if remote else str(path), session)
    except NotCanonicalError as error:
        raise SourceError(
            "not_canonical", path=source.path, missing=", ".join(error.missing)
        ) from None
    except Exception as error:  # Spark's reader errors have no common base outside pyspark
        raise SourceError("unreadable", path=source.path, reason=_one_line(error)) from None


def arrival_bounds(dataset) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and last arrival time in ``dataset`` (None when it holds no call).

    Notes
    -----
    One query, ``SELECT min(arrived_at), max(arrived_at)``, sent through the
    engine's query hook (``_run``, which a data set on another engine transpiles),
    over the data set's bound scan of the calls.
    """
    first, last = dataset._run(
        f"SELECT min(arrived_at), max(arrived_at) FROM {dataset._scan}"
    ).fetchall()[0]
    if first is None or last is None:
        return None
    return pd.Timestamp(first), pd.Timestamp(last)


def arrival_span(dataset) -> tuple[dt.date, dt.date] | None:
    """The first and last day with a call in ``dataset`` (None when it holds no call):
    the days of :func:`arrival_bounds`."""
    bounds = arrival_bounds(dataset)
    return None if bounds is None else (bounds[0].date(), bounds[1].date())


def last_full_month(first: dt.date, last: dt.date) -> tuple[dt.date, dt.date]:
    """The period the app fetches by default: the last calendar month the data covers whole.

    Parameters
    ----------
    first, last : datetime.date
        The first and last day with calls (:func:`arrival_span`).

    Returns
    -------
    (datetime.date, datetime.date)
        The first and last day of the latest month M with ``first <= M's first day``
        and ``M's last day <= last``; the whole span ``(first, last)`` when the data
        covers no month whole.

    Examples
    --------
    >>> last_full_month(dt.date(2025, 1, 1), dt.date(2025, 3, 31))
    (datetime.date(2025, 3, 1), datetime.date(2025, 3, 31))
    >>> last_full_month(dt.date(2025, 1, 1), dt.date(2025, 3, 30))
    (datetime.date(2025, 2, 1), datetime.date(2025, 2, 28))
    """
    month_start = last.replace(day=1)
    month_end = (month_start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    if last < month_end:  # the last month is not over in the data: the one before it
        month_end = month_start - dt.timedelta(days=1)
        month_start = month_end.replace(day=1)
    if month_start < first:
        return first, last
    return month_start, month_end


def _calls_from(dataset, day: dt.date, end: dt.date) -> int:
    """Calls of ``dataset`` from ``day`` to ``end``, both included."""
    return int(dataset.count(pd.Timestamp(day), pd.Timestamp(end + dt.timedelta(days=1))))


def fit_budget(dataset, start: dt.date, end: dt.date, budget: int = ROW_BUDGET) -> FetchPeriod:
    """The period ``[start, end]`` cut to its last days whose calls fit in ``budget``.

    Parameters
    ----------
    dataset : ccmetrics.engine.Dataset
        Any data set with ``count(start, end)`` (half-open on ``arrived_at``).
    start, end : datetime.date
        The period asked for, both days included.
    budget : int
        The most calls to fetch.

    Returns
    -------
    FetchPeriod
        ``start`` unchanged when the period's calls are at most ``budget``; else the
        earliest day ``s`` with ``count(s, end + 1 day) <= budget`` (``cut`` True),
        or ``end`` alone when even that one day holds more.

    Notes
    -----
    The calls from day ``s`` to ``end`` fall as ``s`` moves later, so ``s`` is found
    by bisection: about log2(days) ``count`` queries.
    """
    calls = _calls_from(dataset, start, end)
    if calls <= budget:
        return FetchPeriod(start, end, calls, start, False)
    low, high = 1, (end - start).days  # day offsets: low..high holds the answer, or none fits
    while low < high:
        middle = (low + high) // 2
        if _calls_from(dataset, start + dt.timedelta(days=middle), end) <= budget:
            high = middle
        else:
            low = middle + 1
    first = start + dt.timedelta(days=max(high, 0))
    return FetchPeriod(first, end, _calls_from(dataset, first, end), start, True)


def canonical_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame fetched from an engine in the dtypes of :data:`ccmetrics.schema.CALL_COLUMNS`.

    Parquet and the engines carry text for categories, and booleans with nulls come
    back as objects: each canonical column is cast to its schema dtype (categories
    sorted, as ``astype("category")`` makes them), so the pages see the frame
    ``ccmetrics.io.load`` would give. Other columns (the FCR flags) are left as they are.
    """
    kinds = {
        "category": "category",
        "string": "string",
        "boolean": "boolean",
        "bool": "bool",
        "float": "float64",
    }
    out = frame.copy(deep=False)
    for column, kind in CALL_COLUMNS.items():
        wanted = kinds.get(kind)
        # by name: pandas' "str" dtype compares equal to "string" but is another dtype
        if column not in out.columns or wanted is None or str(out[column].dtype) == wanted:
            continue
        out[column] = out[column].astype(wanted)
    return out


def period_comparison(
    dataset, start, end, settings=None, filters=None, first_seen=None
) -> pd.DataFrame:
    """:func:`ccmetrics.kpi.period_comparison` asked of a data set on an engine.

    Parameters
    ----------
    dataset : ccmetrics.engine.Dataset
        The whole data set (the previous window is read from the engine, not from a
        fetched period).
    start, end : date-like
        The current window ``[start, end)``.
    settings : KpiSettings, optional
    filters : dict, optional
        Dimension filters as for :meth:`ccmetrics.engine.Dataset.sums`.
    first_seen : Timestamp, optional
        The data's first arrival (:func:`arrival_bounds`; read when not given).

    Returns
    -------
    DataFrame
        The columns and rows of :func:`ccmetrics.kpi.period_comparison`: ``kpi, current,
        previous, change, n_current, n_previous, unit`` per KPI of
        :data:`ccmetrics.kpi.KPI_BASE`.

    Notes
    -----
    The same rules as :func:`ccmetrics.kpi.period_comparison`, with the engine's
    :meth:`~ccmetrics.engine.Dataset.kpis` (equal to :func:`ccmetrics.kpi.compute`)
    for each window: previous window = ``[start − (end − start), start)``; its values
    are missing when it holds no call (the engine's ``offered`` sum of an empty
    selection is NULL, of calls none of which is offered 0), and its counts are
    missing when the data begins after ``previous start + 1 day``.
    """
    from ccmetrics import kpi
    from ccmetrics.schema import KpiSettings

    settings = settings or KpiSettings()
    start, end = pd.Timestamp(start), pd.Timestamp(end)
    previous_start = start - (end - start)
    current = dataset.kpis(settings=settings, start=start, end=end, filters=filters).iloc[0]
    previous = dataset.kpis(
        settings=settings, start=previous_start, end=start, filters=filters
    ).iloc[0]
    seen = dataset.sums(
        settings=settings, start=previous_start, end=start, filters=filters, measures=("offered",)
    )
    has_previous = bool(seen["offered"].notna().any())
    if first_seen is None:
        bounds = arrival_bounds(dataset)
        first_seen = None if bounds is None else bounds[0]
    return kpi.comparison_table(current, previous, has_previous, first_seen, previous_start)
