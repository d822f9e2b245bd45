"""Property tests: the engine gives the pandas path's numbers on generated call data.

The reference for every expected value is the tested pandas path on the same calls:
``kpi.compute`` of ``kpi.subset`` of the calls flagged for FCR on the whole data
(``kpi.add_fcr_flags``), as the app computes a window. Hypothesis draws small
canonical call frames with what real exports carry and nobody tuned the engine to:
unknown (NULL/NaN) waits and handle parts, zero and huge durations, calls that ended
in the IVR, optional columns missing altogether, dimensions as categories or text with
NULLs, one value, unicode and markup-like names, customer ids as padded or
zero-led text or as integers, calls exactly on half-hour and midnight boundaries,
ties in arrival time, one call; and settings, windows and filters varied. The engine
(:class:`ccmetrics.engine.Dataset` over the frame, with its cubes and without) must
give the same columns, counts exactly, other numbers within 1e-9 relative and NaN
where pandas has NaN; its call windows must be the same rows.

Examples are derandomized (a fixed sequence, so CI repeats them) and few: each one
opens DuckDB connections and runs a dozen queries. After a change of the engine, run
the file once with ``max_examples`` in the hundreds and ``derandomize=False`` (new
examples each run): that is how the regressions at the end of the file were found.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ccmetrics import kpi
from ccmetrics.engine import Dataset
from ccmetrics.schema import KpiSettings
from tests.unit.conftest import COUNT_COLUMNS, assert_numbers_equal

#: Counts (COUNT_COLUMNS): equal exactly. Every other number: within RTOL (sums in another order).
RTOL = 1e-9

PROPERTY = settings(
    max_examples=35,
    deadline=None,
    derandomize=True,
    # no shrinking: a failing example is printed as drawn (shrinking one of these
    # frames takes minutes of DuckDB queries)
    phases=(Phase.explicit, Phase.generate),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

DAY = pd.Timestamp("2025-03-03")  # a Monday: week and month boundaries fall inside the data
#: Arrival offsets in seconds that sit on a boundary or just before one.
BOUNDARIES = [
    0,  # midnight, a Monday
    1799,
    1800,  # a half hour
    3600,
    86_399,
    86_400,  # the next midnight
    86_400 + 1800,
    2 * 86_400 - 1,
    2 * 86_400,
    6 * 86_400 + 84_600,  # the last half hour of a Sunday
    7 * 86_400,  # the next Monday
]

#: Names of dimension values: ordinary, unicode, markup- and formula-like, SQL-like.
NAMES = ["A", "B", "<b>x</b>", "=1+1", "队列一", "Zürich", "it's", "a,b", " padded "]
#: Customer ids as text: padded, zero-led, unknown placeholders (blank, all zeros).
TEXT_IDS = [
    "7",
    "007",
    " 7 ",
    "12",
    "c1",
    "客户",
    "",
    "0",
    "000",
    "\u30007",
    "\u20037\x85",
    "\u2003",
]
#: Customer ids as canonical integers (0 is the unknown placeholder).
INT_IDS = [0, 7, 12, 123456789012345678, 2**63 - 1]  # 19 digits: compared as text

DURATIONS = st.one_of(
    st.sampled_from([np.nan, 0.0, 1e7, 0.5, 20.0]),
    st.floats(0, 3600, allow_nan=False, allow_infinity=False),
)
WAITS = st.one_of(
    st.sampled_from([np.nan, 0.0, 4.999, 5.0, 10.0, 19.999, 20.0, 20.001, 30.0, 1e7]),
    st.floats(0, 600, allow_nan=False, allow_infinity=False),
)
FLAGS = st.sampled_from([True, False, None])
#: Optional columns a frame may lack altogether.
OPTIONAL = (
    "queue",
    "talk_s",
    "hold_s",
    "acw_s",
    "transferred",
    "resolved",
    "csat",
    "qa_score",
    "cost",
    "customer_id",
    "team",
    "category",
    "ivr_contained",
    "ivr_abandoned",
    "ivr_s",
    "complaint",
    "business_error",
    "entry_completeness",
)
OUTCOMES = ["answered", "abandoned", "ivr_contained", "ivr_abandoned"]


def _column(draw, n: int, strategy) -> list:
    return draw(st.lists(strategy, min_size=n, max_size=n))


def _dimension(draw, n: int):
    """A dimension as a category, text or object column; NULLs, one value or many."""
    pool = draw(
        st.sampled_from(
            [["A"], ["A", None], NAMES, [*NAMES, None], ["<b>x</b>", "=1+1", None], ["队列一"]]
        )
    )
    values = _column(draw, n, st.sampled_from(pool))
    kind = draw(st.sampled_from(["category", "category_unused", "string", "object"]))
    if kind == "category":
        return pd.Categorical(values)
    if kind == "category_unused":  # an unused category: an empty group, never a row
        return pd.Categorical(values, categories=sorted(set(NAMES) | {"zz"}))
    if kind == "string":
        return pd.array(values, dtype="string")
    return pd.array(values, dtype=object)


def _customer_ids(draw, n: int):
    kind = draw(st.sampled_from(["text", "int", "Int64", "digits"]))
    if kind == "text":
        return pd.array(_column(draw, n, st.sampled_from([*TEXT_IDS, None])), dtype="string")
    if kind == "int":
        return np.array(_column(draw, n, st.sampled_from(INT_IDS)), dtype=np.int64)
    if kind == "Int64":
        return pd.array(_column(draw, n, st.sampled_from([*INT_IDS, None])), dtype="Int64")
    # canonical integers written as text: the engine compares them as numbers
    return pd.array(_column(draw, n, st.sampled_from(["7", "12", "0", None])), dtype="string")


@st.composite
def call_frames(draw) -> pd.DataFrame:
    """A small canonical call frame with the awkward things real exports have."""
    n = draw(st.integers(1, 24))
    offsets = _column(
        draw,
        n,
        st.one_of(
            st.sampled_from(BOUNDARIES),
            st.integers(0, 8 * 86_400),
            st.integers(0, 3 * 86_400).map(lambda s: s - s % 1800),  # on a half hour
        ),
    )
    if n > 1 and draw(st.booleans()):  # ties: several calls at one instant
        ties = draw(st.integers(1, n - 1))
        offsets[-ties:] = [offsets[0]] * ties
    # canonical arrival times are nanoseconds (pandas parses text to other units)
    arrived = DAY.as_unit("ns") + pd.to_timedelta(np.array(offsets, dtype=np.int64) * 10**9)
    nudge = draw(st.sampled_from([0, 1, -1]))  # a nanosecond off a boundary
    arrived = arrived + pd.to_timedelta(np.where(np.arange(n) == 0, nudge, 0), unit="ns")
    if draw(st.integers(0, 3)) == 0:  # microseconds, as pandas 3 parses text times
        arrived = arrived.astype("datetime64[us]")
    outcome = np.array(_column(draw, n, st.sampled_from(OUTCOMES)))
    answered = outcome == "answered"
    abandoned = outcome == "abandoned"
    frame = pd.DataFrame(
        {
            "call_id": pd.array([f"k{i}" for i in range(n)], dtype="string"),
            "arrived_at": arrived,
            "queue": _dimension(draw, n),
            "team": _dimension(draw, n),
            "category": _dimension(draw, n),
            "customer_id": _customer_ids(draw, n),
            "wait_s": np.array(_column(draw, n, WAITS), dtype=float),
            "answered": answered,
            "abandoned": abandoned,
        }
    )
    for name in ("talk_s", "hold_s", "acw_s"):
        values = np.array(_column(draw, n, DURATIONS), dtype=float)
        frame[name] = np.where(answered, values, np.nan)
    flag_dtype = draw(st.sampled_from(["boolean", object]))  # object: True/False/None
    for name in ("transferred", "resolved", "complaint", "business_error"):
        flags = pd.array(_column(draw, n, FLAGS), dtype="boolean")
        flags[~answered] = pd.NA
        if flag_dtype == "boolean":
            frame[name] = flags
        else:
            frame[name] = np.array([None if v is pd.NA else v for v in flags], dtype=object)
    frame["csat"] = np.array(
        _column(draw, n, st.sampled_from([np.nan, 1.0, 2.0, 3.0, 4.0, 4.5, 5.0])), dtype=float
    )
    frame["qa_score"] = np.array(
        _column(draw, n, st.sampled_from([np.nan, 0.0, 55.5, 80.0, 100.0])), dtype=float
    )
    frame["cost"] = np.array(
        _column(draw, n, st.sampled_from([np.nan, 0.0, 1.23456, 1.23455, 0.00025, 0.00005, 1e6])),
        dtype=float,
    )
    frame["entry_completeness"] = np.array(
        _column(draw, n, st.sampled_from([np.nan, 0.0, 0.5, 1.0, 0.33333])), dtype=float
    )
    ivr = draw(st.booleans())
    frame["ivr_contained"] = pd.array(outcome == "ivr_contained", dtype="boolean")
    frame["ivr_abandoned"] = pd.array(outcome == "ivr_abandoned", dtype="boolean")
    frame["ivr_s"] = np.array(_column(draw, n, DURATIONS), dtype=float)
    if not ivr:  # no IVR in the export: its rows are queue calls, not IVR-only ones
        frame.loc[~(answered | abandoned), "abandoned"] = True
        frame = frame.drop(columns=["ivr_contained", "ivr_abandoned", "ivr_s"])
    dropped = draw(st.lists(st.sampled_from(OPTIONAL), unique=True, max_size=6))
    frame = frame.drop(columns=[c for c in dropped if c in frame.columns])
    if draw(st.booleans()):
        frame = frame.sort_values("arrived_at", kind="stable").reset_index(drop=True)
    return frame


@st.composite
def kpi_settings(draw) -> KpiSettings:
    return KpiSettings(
        # more thresholds than a cube keeps counts for (Dataset.KEEP)
        sl_threshold_s=draw(
            st.sampled_from([0.0, 5.0, 10.0, 15.0, 19.999, 20.0, 25.0, 30.0, 45.0, 60.0])
        ),
        short_abandon_s=draw(st.sampled_from([0.0, 5.0, 10.0])),
        sl_formula=draw(
            st.sampled_from(
                ["offered_excl_short", "answered", "abandons_ignored", "abandons_good", "offered"]
            )
        ),
        csat_top_box=draw(st.sampled_from([3.0, 4.0, 4.5, 5.0])),
        fcr_window_h=draw(st.sampled_from([0.5, 24.0, 72.0])),
        fcr_method=draw(st.sampled_from(["auto", "auto", "repeat_calls", "resolved_flag"])),
    )


#: Window bounds: none, on a half hour or a midnight (a cube answers), or off one.
BOUNDS = st.sampled_from(
    [
        None,
        DAY,
        DAY + pd.Timedelta("30min"),
        DAY + pd.Timedelta("1D"),
        DAY + pd.Timedelta("2D"),
        DAY + pd.Timedelta("1D 07:13:00"),
        DAY + pd.Timedelta("3D"),
    ]
)


@st.composite
def questions(draw, calls: pd.DataFrame):
    """A question of the app: by, freq, settings, start, end, filters."""
    dims = [c for c in ("queue", "team", "category") if c in calls.columns]
    by = draw(st.sampled_from([[], *[[d] for d in dims], *([dims[:2]] if len(dims) > 1 else [])]))
    freq = draw(st.sampled_from([None, "15min", "30min", "h", "D", "W", "MS"]))
    start, end = draw(BOUNDS), draw(BOUNDS)
    filters = None
    if dims and draw(st.booleans()):
        column = draw(st.sampled_from(dims))
        known = sorted({str(v) for v in calls[column].dropna()})
        filters = {column: draw(st.lists(st.sampled_from([*known, "nope"]), max_size=3))}
    return by, freq, draw(kpi_settings()), start, end, filters


def reference(calls, by, freq, kpi_set, start=None, end=None, filters=None) -> pd.DataFrame:
    """The pandas path: FCR flags of the whole data, then the window's KPIs."""
    flagged = kpi.add_fcr_flags(calls, kpi_set)
    table = kpi.compute(
        kpi.subset(flagged, start, end, filters), by=by, freq=freq, settings=kpi_set
    )
    return in_nanoseconds(table)


def in_nanoseconds(table: pd.DataFrame) -> pd.DataFrame:
    """Periods in nanoseconds, as the engine gives them whatever the unit of the times
    (pandas keeps the unit of the times: microseconds for some frames)."""
    if "period" in table.columns:
        table["period"] = table["period"].astype("datetime64[ns]")
    return table


def assert_same_kpis(got: pd.DataFrame, expected: pd.DataFrame, keys: list[str]) -> None:
    """Same columns and rows; keys equal; counts exactly, the rest within RTOL, NaN alike."""
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected), (got[keys], expected[keys])
    for key in keys:
        if expected[key].dtype == float and expected[key].isna().all():
            # an object column without a value: pandas' group-by makes the key float NaN,
            # the engine keeps the column's dtype (None); both say "no value"
            assert got[key].isna().all(), key
            continue
        pd.testing.assert_series_equal(got[key], expected[key], check_names=True)
    numbers = [column for column in expected.columns if column not in keys]
    assert_numbers_equal(got, expected, numbers, COUNT_COLUMNS, rtol=RTOL)


def arrival_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows by arrival, ties in their order in the frame (the engine's window order)."""
    return frame.sort_values("arrived_at", kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- properties


@PROPERTY
@given(data=st.data(), calls=call_frames())
def test_kpis_equal_compute_with_cubes_and_without(data, calls):
    by, freq, kpi_set, start, end, filters = data.draw(questions(calls))
    expected = reference(calls, by, freq, kpi_set, start, end, filters)
    keys = [*by, *(["period"] if freq else [])]
    for cubes in (True, False):
        engine = Dataset(calls, cubes=cubes)
        got = engine.kpis(by, freq, kpi_set, start, end, filters)
        assert_same_kpis(got, expected, keys)
        # asked again under the default settings: kept flags and counts never leak
        again = engine.kpis(by, freq, None, start, end, filters)
        assert_same_kpis(
            again, reference(calls, by, freq, KpiSettings(), start, end, filters), keys
        )


@PROPERTY
@given(data=st.data(), calls=call_frames())
def test_window_is_the_subset_in_arrival_order(data, calls):
    start, end = data.draw(BOUNDS), data.draw(BOUNDS)
    kpi_set = data.draw(kpi_settings())
    engine = Dataset(calls)
    pd.testing.assert_frame_equal(
        engine.window(start, end), arrival_order(kpi.subset(calls, start, end))
    )
    flagged = kpi.subset(kpi.add_fcr_flags(calls, kpi_set), start, end)
    pd.testing.assert_frame_equal(
        engine.window(start, end, settings=kpi_set), arrival_order(flagged)
    )
    assert engine.count(start, end) == len(flagged)


@PROPERTY
@given(data=st.data(), calls=call_frames())
def test_compute_of_a_data_set_equals_compute_of_the_frame(data, calls):
    by, freq, kpi_set, _, _, _ = data.draw(questions(calls))
    expected = in_nanoseconds(kpi.compute(calls, by=by, freq=freq, settings=kpi_set))
    got = kpi.compute(Dataset(calls), by=by, freq=freq, settings=kpi_set)
    assert_same_kpis(got, expected, [*by, *(["period"] if freq else [])])


@settings(PROPERTY, max_examples=8)
@given(data=st.data(), calls=call_frames())
def test_one_data_set_asked_many_questions(data, calls):
    """Questions one after another on one data set, as the app asks them: the cubes,
    the threshold counts and FCR flags it keeps (more setting values than it keeps)
    never give one question another's answer."""
    engine = Dataset(calls)
    for _ in range(data.draw(st.integers(3, 12))):
        by, freq, kpi_set, start, end, filters = data.draw(questions(calls))
        expected = reference(calls, by, freq, kpi_set, start, end, filters)
        got = engine.kpis(by, freq, kpi_set, start, end, filters)
        assert_same_kpis(got, expected, [*by, *(["period"] if freq else [])])


def as_text(values: pd.Series) -> list[str]:
    return values.astype(object).where(values.notna(), None).astype(str).tolist()


@settings(PROPERTY, max_examples=10)
@given(data=st.data(), calls=call_frames())
def test_kpis_of_a_parquet_copy_equal_compute(data, calls):
    """The same over a Parquet file: dimensions come back as text, so keys are compared
    as text and rows matched by them (a file keeps no category order)."""
    by, freq, kpi_set, start, end, filters = data.draw(questions(calls))
    expected = reference(calls, by, freq, kpi_set, start, end, filters)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "calls.parquet"
        calls.to_parquet(path)
        got = Dataset(path).kpis(by, freq, kpi_set, start, end, filters)
    keys = [*by, *(["period"] if freq else [])]
    assert list(got.columns) == list(expected.columns) and len(got) == len(expected)

    def in_key_order(table):
        text = pd.DataFrame({k: as_text(table[k]) for k in keys})
        order = text.sort_values(keys).index if keys else table.index
        table = table.iloc[order].reset_index(drop=True)
        return table.assign(**{k: as_text(table[k]) for k in keys})

    got, expected = in_key_order(got), in_key_order(expected)
    assert_same_kpis(got, expected, keys)


# --------------------------------------------------------------------------- regressions
#
# Failures the properties found, each pinned by a hand-made frame.


def test_month_periods_have_the_unit_of_the_other_periods():
    """pandas 3's ``to_period("M").start_time`` is in microseconds: ``kpi.compute``'s month
    ``period`` was datetime64[us] where every other period (and the engine's) is in the
    unit of the arrival times, nanoseconds."""
    calls = pd.DataFrame(
        {
            "arrived_at": pd.to_datetime(
                ["2025-02-28 23:59:59.999999999", "2025-03-01 00:00:00", "2025-03-31 12:00"],
                format="ISO8601",
            ).astype("datetime64[ns]"),
            "wait_s": [1.0, 2.0, 3.0],
            "answered": [True, False, True],
            "abandoned": [False, True, False],
        }
    )
    expected = pd.Series(pd.to_datetime(["2025-02-01", "2025-03-01"]).astype("datetime64[ns]"))
    for table in (kpi.compute(calls, freq="MS"), Dataset(calls).kpis(freq="MS")):
        pd.testing.assert_series_equal(table["period"], expected, check_names=False)
        assert table["offered"].tolist() == [1.0, 2.0]


def test_window_keeps_nullable_integers_above_two_to_the_53():
    """A nullable integer column with a NULL came back through float64 and was rounded
    (123456789012345678 became ...680): the window gives the frame's values exactly."""
    calls = pd.DataFrame(
        {
            "arrived_at": pd.to_datetime(["2025-03-03 08:00", "2025-03-03 08:01"]).astype(
                "datetime64[ns]"
            ),
            "answered": [True, True],
            "abandoned": [False, False],
            "customer_id": pd.array([123456789012345678, None], dtype="Int64"),
        }
    )
    got = Dataset(calls).window()
    assert got["customer_id"].dtype == "Int64"
    assert got["customer_id"].tolist()[0] == 123456789012345678
    pd.testing.assert_frame_equal(got, calls)


def test_customer_ids_padded_with_any_unicode_white_space_are_one_customer():
    """Ids padded with white space other than ASCII, no-break and ideographic spaces (an em
    space, NEL, a line separator) were one customer for pandas (``str.strip``) and two for
    the engine (FCR 3/3 instead of 2/3)."""
    for pad in ("\u2003", "\x85", "\u2028", "\x1c", "\u205f"):
        calls = pd.DataFrame(
            {
                "arrived_at": pd.to_datetime(
                    ["2025-03-03 08:00", "2025-03-03 09:00", "2025-03-03 10:00", "2025-03-10 00:00"]
                ).astype("datetime64[ns]"),
                "answered": [True] * 4,
                "abandoned": [False] * 4,
                "customer_id": pd.array(["c", f"{pad}c{pad}", "x", "y"], dtype="string"),
            }
        )
        # c (08:00) repeated by c (09:00); c (09:00) and x resolved; y censored: 2 / 3
        assert kpi.compute(calls).fcr_rate.iloc[0] == pytest.approx(2 / 3, rel=1e-15)
        assert_same_kpis(Dataset(calls).kpis(), kpi.compute(calls), [])
