"""Tests of ccmetrics.drill.

Expected values come from hand calculations written out next to each test
(Kitagawa's two-group shift-share decomposition, the concentration score
e·ln(e/s)), from scipy/statsmodels for the test statistics, from
``ccmetrics.kpi.compute`` (tested in tests/unit/test_kpi.py) for KPI values, and from
``ccmetrics.sample.INCIDENTS`` for the injected incidents of the sample data.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.multitest import multipletests

from ccmetrics.drill import (
    DECOMPOSE_COLUMNS,
    METRICS,
    TABLE_COLUMNS,
    decompose,
    default_baseline,
    element_calls,
    element_label,
    explain,
    explain_ratio,
)
from ccmetrics.kpi import compute, subset

# ----------------------------------------------------------------------------- helpers


def ratio_cube(cells: dict, dims: tuple[str, ...]) -> pd.DataFrame:
    """A cube from {(time, *dim values): (numerator, denominator)}."""
    rows = [
        {"t": key[0], **dict(zip(dims, key[1:], strict=True)), "num": num, "den": den}
        for key, (num, den) in cells.items()
    ]
    return pd.DataFrame(rows)


def run(cube, dims, **options):
    return explain_ratio(
        cube,
        (1, 2),
        (0, 1),
        time="t",
        dims=list(dims),
        numerator="num",
        denominator="den",
        **options,
    )


def row(explanation, element: str) -> pd.Series:
    table = explanation.table
    found = table[table["element"] == element]
    assert len(found) == 1, f"{element} not in the table"
    return found.iloc[0]


# ----------------------------------------------------------------------------- hand-built cubes


def test_pure_rate_change():
    # Queues A, B, C with 100 calls each in both windows; baseline rate 0.8 everywhere;
    # in the anomaly A falls to 0.4.
    # R_b = 240/300 = 0.8, R_a = 200/300 = 0.6667, change = -0.1333.
    # A: shares 1/3 in both windows -> mix = 0; rate = 1/3 x (0.4 - 0.8) = -0.1333; explains 100 %.
    cells = {}
    for queue in "ABC":
        cells[(0, queue)] = (80, 100)
        cells[(1, queue)] = (40 if queue == "A" else 80, 100)
    e = run(ratio_cube(cells, ("queue",)), ("queue",))
    assert list(e.table.columns) == list(TABLE_COLUMNS)
    assert e.verdict == "concentrated"
    first = e.table.iloc[0]
    assert first["element"] == "queue=A" and first["selected"]
    assert first["impact"] == pytest.approx(-0.4 / 3)
    assert first["mix_effect"] == pytest.approx(0.0, abs=1e-12)
    assert first["rate_effect"] == pytest.approx(-0.4 / 3)
    assert first["explained_share"] == pytest.approx(1.0)
    assert (first["rate_anomaly"], first["rate_baseline"]) == pytest.approx((0.4, 0.8))
    # score = e ln(e / s) = 1 x ln(1 / (1/3)) = ln 3
    assert first["score"] == pytest.approx(math.log(3))
    for queue in "BC":
        other = row(e, f"queue={queue}")
        assert other["impact"] == pytest.approx(0.0, abs=1e-12)
        assert not other["selected"]
    assert e.totals["value_anomaly"] == pytest.approx(200 / 300)
    assert e.totals["value_baseline"] == pytest.approx(0.8)
    assert e.totals["change"] == pytest.approx(-0.4 / 3)
    # the element test is the chi-square homogeneity test of (A good, A bad, rest) x window
    reference = stats.chi2_contingency([[40, 60, 200], [80, 20, 200]], correction=False)
    assert first["p_value"] == pytest.approx(reference.pvalue)
    assert "queue=A" in e.summary["en"] and "100%" in e.summary["en"]
    assert "技能组=A" in e.summary["zh"]  # canonical dimension names are translated


def test_pure_mix_shift():
    # Category A has rate 0.9 and B 0.5 in both windows; the calls shift from A to B.
    # baseline A 800 (720 good), B 200 (100): R_b = 820/1000 = 0.82
    # anomaly  A 400 (360),      B 600 (300): R_a = 660/1000 = 0.66, change = -0.16
    # B: Δs = 0.6 - 0.2 = 0.4, mean rates B 0.5, rest (A) 0.9 -> mix = 0.4 x (0.5 - 0.9) = -0.16,
    #    rate effect = 0.4 x 0 = 0; explains 100 % with a mean share of 0.4.
    # A: Δs = -0.4 -> mix = -0.4 x (0.9 - 0.5) = -0.16 (the same shift seen from the other side),
    #    mean share 0.6. Scores: B ln(1/0.4) = 0.916 > A ln(1/0.6) = 0.511.
    cells = {
        (0, "A"): (720, 800),
        (0, "B"): (100, 200),
        (1, "A"): (360, 400),
        (1, "B"): (300, 600),
    }
    e = run(ratio_cube(cells, ("category",)), ("category",))
    b = e.table.iloc[0]
    assert b["element"] == "category=B"
    assert b["mix_effect"] == pytest.approx(-0.16)
    assert b["rate_effect"] == pytest.approx(0.0, abs=1e-12)
    assert b["impact"] == pytest.approx(-0.16)
    assert b["explained_share"] == pytest.approx(1.0)
    assert (b["share_anomaly"], b["share_baseline"]) == pytest.approx((0.6, 0.2))
    assert b["score"] == pytest.approx(-math.log(0.4))
    a = row(e, "category=A")
    assert a["mix_effect"] == pytest.approx(-0.16)
    assert a["score"] == pytest.approx(-math.log(0.6))
    assert not a["selected"]  # its union with B is everything: it adds no explanation
    assert e.verdict == "concentrated"


def test_two_attribute_cause():
    # 3 categories x 3 segments, 100 calls per cell and window, baseline rate 0.8;
    # in the anomaly only A & X falls to 0.2.
    # R_b = 0.8, R_a = (20 + 8 x 80) / 900 = 0.7333, change = -0.0667.
    # A & X: share 1/9, rate effect 1/9 x (0.2 - 0.8) = -0.0667: explains 100 %, score ln 9.
    # A alone: share 1/3, rate (20 + 160)/300 = 0.6, effect 1/3 x (-0.2) = -0.0667: also 100 %,
    # but three times the volume: score ln 3. Same for X.
    cells = {}
    for category in "ABC":
        for segment in "XYZ":
            cells[(0, category, segment)] = (80, 100)
            cells[(1, category, segment)] = (20 if (category, segment) == ("A", "X") else 80, 100)
    e = run(ratio_cube(cells, ("category", "segment")), ("category", "segment"))
    first = e.table.iloc[0]
    assert first["element"] == "category=A & segment=X"
    assert first["order"] == 2 and first["values"] == {"category": "A", "segment": "X"}
    assert first["impact"] == pytest.approx(-0.6 / 9)
    assert first["explained_share"] == pytest.approx(1.0)
    assert first["score"] == pytest.approx(math.log(9))
    assert e.verdict == "concentrated"
    # only the cause is selected; its coarser versions follow, marked as generalisations
    assert e.table["selected"].sum() == 1
    assert set(e.table["element"].iloc[1:3]) == {"category=A", "segment=X"}
    assert (e.table["generalises"].iloc[1:3] == "category=A & segment=X").all()
    assert row(e, "category=A")["score"] == pytest.approx(math.log(3))
    assert row(e, "category=A")["impact"] == pytest.approx(-0.6 / 9)
    assert row(e, "category=B")["impact"] == pytest.approx(0.0, abs=1e-12)
    assert e.concentration == {
        "demand": [
            {
                "element": "category=A & segment=X",
                "values": {"category": "A", "segment": "X"},
                "explained": pytest.approx(1.0),
                "size": pytest.approx(1 / 9),
            }
        ]
    }


def test_explain_ratio_default_baseline_on_datetimes():
    # Hourly cube over five Mondays 10:00: rate 0.8 on four, 0.5 on the last (the anomaly).
    # With baseline=None the four previous Mondays are the baseline.
    days = pd.date_range("2025-03-03 10:00", periods=5, freq="7D")
    cube = pd.DataFrame(
        {
            "hour": np.repeat(days, 2),
            "queue": ["A", "B"] * 5,
            "num": [80, 80] * 4 + [50, 80],
            "den": [100] * 10,
        }
    )
    e = explain_ratio(
        cube,
        (days[-1], days[-1] + pd.Timedelta("1h")),
        None,
        time="hour",
        dims=["queue"],
        numerator="num",
        denominator="den",
    )
    assert [w[0] for w in e.baseline] == list(days[:4][::-1])
    assert e.baseline_windows["used"].sum() == 4
    assert e.totals["value_baseline"] == pytest.approx(0.8)
    assert e.table.iloc[0]["element"] == "queue=A"
    assert e.concentration["demand"][0]["element"] == "queue=A"
    with pytest.raises(ValueError, match="datetime"):
        explain_ratio(
            ratio_cube({(0, "A"): (1, 2), (1, "A"): (1, 2)}, ("q",)),
            (1, 2),
            None,
            time="t",
            dims=["q"],
            numerator="num",
            denominator="den",
        )


def test_broad_shift():
    # Every cell falls from 0.8 to 0.6; cells of unequal size (A&X 100, A&Y 200, B&X 300,
    # B&Y 400 calls). Each element's rate effect is s x (-0.2) and the total change -0.2,
    # so each explains exactly its share of the volume: score 0, nothing selected, "broad".
    sizes = {("A", "X"): 100, ("A", "Y"): 200, ("B", "X"): 300, ("B", "Y"): 400}
    cells = {}
    for (category, segment), size in sizes.items():
        cells[(0, category, segment)] = (0.8 * size, size)
        cells[(1, category, segment)] = (0.6 * size, size)
    e = run(ratio_cube(cells, ("category", "segment")), ("category", "segment"))
    assert e.verdict == "broad"
    assert e.totals["change"] == pytest.approx(-0.2)
    assert not e.table["selected"].any()
    assert np.allclose(e.table["impact"], -0.2 * e.table["share_baseline"])
    assert np.allclose(e.table["explained_share"], e.table["share_baseline"])
    assert np.allclose(e.table["mix_effect"], 0.0)
    assert np.allclose(e.table["score"], 0.0)
    assert row(e, "category=B")["impact"] == pytest.approx(-0.2 * 0.7)
    assert "broad" in e.summary["en"]


def test_no_change():
    cells = {}
    for category in "AB":
        for segment in "XY":
            cells[(0, category, segment)] = (70, 100)
            cells[(1, category, segment)] = (70, 100)
    e = run(ratio_cube(cells, ("category", "segment")), ("category", "segment"))
    assert e.verdict == "none"
    assert e.totals["change"] == 0.0
    assert e.totals["p_value"] == pytest.approx(1.0)
    assert np.allclose(e.table["impact"], 0.0)
    assert np.allclose(e.table["p_value"], 1.0)
    assert not e.table["selected"].any()
    assert "normal variation" in e.summary["en"]


def test_volume_decomposition_and_test():
    # Offered: baseline A 100, B 100; anomaly A 190, B 100. Total +90, all from A.
    # A: impact 190 - 100 = 90, explains 100 %.
    # mix  = mean volume x Δshare = (290 + 200)/2 x (190/290 - 0.5) = 38.017
    # rate = mean share x Δvolume = (190/290 + 0.5)/2 x 90 = 51.983 (mix + rate = 90)
    cube = pd.DataFrame(
        {"t": [0, 0, 1, 1], "category": ["A", "B", "A", "B"], "calls": [100, 100, 190, 100]}
    )
    e = explain_ratio(
        cube, (1, 2), (0, 1), time="t", dims=["category"], numerator="calls", denominator=None
    )
    assert e.kind == "count"
    a = e.table.iloc[0]
    assert a["element"] == "category=A"
    assert a["impact"] == pytest.approx(90.0)
    assert a["mix_effect"] == pytest.approx(245 * (190 / 290 - 0.5))
    assert a["rate_effect"] == pytest.approx((190 / 290 + 0.5) / 2 * 90)
    assert a["mix_effect"] + a["rate_effect"] == pytest.approx(90.0)
    assert (a["rate_anomaly"], a["rate_baseline"]) == (190.0, 100.0)
    assert a["explained_share"] == pytest.approx(1.0)
    # one baseline window -> c² = 0: z = (190 - 100) / sqrt(145 x 2), the normal approximation
    # of the conditional binomial test of two Poisson counts (a | a + b ~ Bin(290, 1/2)):
    # (190 - 145) / sqrt(290 / 4) gives the same z.
    z = (190 - 145) / math.sqrt(290 / 4)
    assert a["p_value"] == pytest.approx(2 * stats.norm.sf(z))
    assert e.verdict == "concentrated"
    assert "90 of" not in e.summary["en"] and "extra calls" in e.summary["en"]


def test_baseline_volumes_are_scaled_and_dispersion_estimated():
    # Four one-unit baseline windows with totals 80+100, 120+100, 100+100, 100+100 (A+B) and an
    # anomaly window with A 100, B 100. Baseline volume per window-length: A 100, B 100.
    # Window totals 180, 220, 200, 200: mean 200, variance (400 + 400 + 0 + 0)/3 = 266.7;
    # c² = (266.7 - 200) / 200² = 0.001667.
    rows = []
    for t, a in zip([0, 1, 2, 3], [80, 120, 100, 100], strict=True):
        rows += [{"t": t, "category": "A", "calls": a}, {"t": t, "category": "B", "calls": 100}]
    rows += [{"t": 4, "category": "A", "calls": 100}, {"t": 4, "category": "B", "calls": 100}]
    e = explain_ratio(
        pd.DataFrame(rows),
        (4, 5),
        [(0, 1), (1, 2), (2, 3), (3, 4)],
        time="t",
        dims=["category"],
        numerator="calls",
        denominator=None,
    )
    assert e.baseline_scale == pytest.approx(0.25)
    assert e.totals["n_baseline"] == pytest.approx(200.0)
    assert e.totals["n_baseline_raw"] == pytest.approx(800.0)
    assert row(e, "category=A")["n_baseline"] == pytest.approx(100.0)
    assert e.totals["dispersion_c2"] == pytest.approx((800 / 3 - 200) / 200**2)
    assert e.verdict == "none"


def test_mean_metric_uses_welch():
    # AHT-like mean: element A (n 50 both windows) mean 300 -> 360 s, sd 60; B unchanged
    # (mean 300, sd 60, n 50). Shares are unchanged, so the share test gives p = 1 and the
    # element p is the Bonferroni-combined 2 x p_Welch (scipy's Welch test as reference).
    def group(n, mean, sd):
        return n, n * mean, (n - 1) * sd**2 + n * mean**2

    rows = []
    for t, mean_a in ((0, 300.0), (1, 360.0)):
        for name, mean in (("A", mean_a), ("B", 300.0)):
            n, total, squares = group(50, mean, 60.0)
            rows.append({"t": t, "team": name, "n": n, "total": total, "squares": squares})
    e = explain_ratio(
        pd.DataFrame(rows),
        (1, 2),
        (0, 1),
        time="t",
        dims=["team"],
        numerator="total",
        denominator="n",
        numerator_sq="squares",
    )
    assert e.kind == "mean"
    a = row(e, "team=A")
    reference = stats.ttest_ind_from_stats(360, 60, 50, 300, 60, 50, equal_var=False).pvalue
    assert a["p_value"] == pytest.approx(min(1.0, 2 * reference))
    # the total: means 330 vs 300 over 100 calls each, one window (no between-window term)
    # (pooled sd of each window from its groups' n, mean, sd)
    sd_a = np.sqrt(((49 * 3600 + 50 * 360**2) + (49 * 3600 + 50 * 300**2) - 100 * 330**2) / 99)
    sd_b = np.sqrt(98 * 3600 / 99)
    reference_total = stats.ttest_ind_from_stats(330, sd_a, 100, 300, sd_b, 100, equal_var=False)
    assert e.totals["p_value"] == pytest.approx(reference_total.pvalue)
    assert a["impact"] == pytest.approx(0.5 * 60)  # rate effect: mean share 0.5 x +60 s
    assert e.table.iloc[0]["element"] == "team=A"


def test_holm_and_benjamini_hochberg_are_applied_by_hand():
    cells = {}
    for queue, (good_b, good_a) in zip(
        "ABCD", [(80, 40), (80, 70), (80, 78), (80, 80)], strict=True
    ):
        cells[(0, queue)] = (good_b, 100)
        cells[(1, queue)] = (good_a, 100)
    cube = ratio_cube(cells, ("queue",))
    holm = run(cube, ("queue",))
    bh = run(cube, ("queue",), p_adjust="bh")
    assert holm.p_adjust == "holm" and "Holm" in holm.p_adjust_method
    assert bh.p_adjust == "bh" and "Benjamini-Hochberg" in bh.p_adjust_method
    p = holm.table.sort_values("p_value")["p_value"].to_numpy()
    m = len(p)
    # Holm: p_(i) x (m - i + 1), made monotone by a running maximum, capped at 1.
    holm_expected = np.minimum(1, np.maximum.accumulate(p * (m - np.arange(m))))
    # BH: p_(i) x m / i, made monotone by a running minimum from the largest.
    bh_expected = np.minimum(1, np.minimum.accumulate((p * m / np.arange(1, m + 1))[::-1])[::-1])
    assert np.allclose(holm.table.sort_values("p_value")["p_adjusted"], holm_expected)
    assert np.allclose(bh.table.sort_values("p_value")["p_adjusted"], bh_expected)
    # and the same values as statsmodels' implementations of the two methods
    assert np.allclose(
        holm.table["p_adjusted"], multipletests(holm.table["p_value"], method="holm")[1]
    )
    assert np.allclose(
        bh.table["p_adjusted"], multipletests(bh.table["p_value"], method="fdr_bh")[1]
    )
    with pytest.raises(ValueError, match="p_adjust"):
        run(cube, ("queue",), p_adjust="sidak")


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 40), st.integers(1, 40), st.integers(0, 40), st.integers(1, 40)),
        min_size=4,
        max_size=4,
    )
)
def test_kitagawa_identity(cells):
    # For every element e: impact = mix + rate, and impact + s̄_c Δr_c = R_a - R_b, where c is
    # the rest of the population (computed here directly from the cube).
    keys = [("A", "X"), ("A", "Y"), ("B", "X"), ("B", "Y")]
    data = {}
    for (category, segment), (good_b, n_b, good_a, n_a) in zip(keys, cells, strict=True):
        data[(0, category, segment)] = (min(good_b, n_b), n_b)
        data[(1, category, segment)] = (min(good_a, n_a), n_a)
    cube = ratio_cube(data, ("category", "segment"))
    e = explain_ratio(
        cube,
        (1, 2),
        (0, 1),
        time="t",
        dims=["category", "segment"],
        numerator="num",
        denominator="den",
        min_share=0,
        min_count=0,
    )
    change = e.totals["change"]
    for item in e.table.itertuples():
        rest = cube[~np.logical_and.reduce([cube[d] == v for d, v in item.values.items()])]
        assert item.impact == pytest.approx(item.mix_effect + item.rate_effect, abs=1e-12)
        if rest.empty:
            assert item.impact == pytest.approx(change, abs=1e-12)
            continue
        by_window = rest.groupby("t")[["num", "den"]].sum()
        rate_rest = by_window["num"] / by_window["den"]
        if len(rate_rest) < 2:
            continue
        share_rest = by_window["den"] / cube.groupby("t")["den"].sum()
        rest_term = share_rest.mean() * (rate_rest[1] - rate_rest[0])
        assert item.impact + rest_term == pytest.approx(change, abs=1e-9)


def test_input_errors():
    cube = pd.DataFrame({"t": [0, 1], "q": ["A", "A"], "num": [5, 6], "den": [4, 10]})
    with pytest.raises(ValueError, match="numerator <= denominator"):
        explain_ratio(
            cube, (1, 2), (0, 1), time="t", dims=["q"], numerator="num", denominator="den"
        )
    with pytest.raises(ValueError, match="overlap"):
        explain_ratio(cube, (0, 2), (1, 3), time="t", dims=["q"], numerator="num", denominator=None)
    with pytest.raises(ValueError, match="no column"):
        explain_ratio(cube, (1, 2), (0, 1), time="t", dims=["x"], numerator="num", denominator=None)
    with pytest.raises(ValueError, match="metric"):
        explain(pd.DataFrame({"arrived_at": []}), ("2025-01-01", "2025-01-02"), metric="fcr")


def test_element_label():
    assert element_label({"category": "GPRS", "segment": "Prepaid"}) == (
        "category=GPRS & segment=Prepaid"
    )
    assert element_label({"team": np.nan}) == "team=(missing)"
    assert element_label({"queue": "VIP", "x": 1}, language="zh") == "技能组=VIP & x=1"
    # a missing value in Chinese: the app's "（空白）" (i18n dim.missing), not "(missing)"
    assert element_label({"team": np.nan}, language="zh") == "班组=（空白）"


# ----------------------------------------------------------------------------- canonical frames


def make_calls(groups: list[tuple[str, str, int, float, bool]]) -> pd.DataFrame:
    """Calls from (arrival, category, count, wait_s, answered) groups, one second apart."""
    frames = []
    for start, category, count, wait, answered in groups:
        frames.append(
            pd.DataFrame(
                {
                    "arrived_at": pd.Timestamp(start) + pd.to_timedelta(np.arange(count), "s"),
                    "category": category,
                    "queue": "Q1" if category in ("A", "B") else "Q2",
                    "wait_s": wait,
                    "answered": answered,
                    "abandoned": not answered,
                    "talk_s": 200.0 if answered else np.nan,
                    "hold_s": 0.0 if answered else np.nan,
                    "acw_s": 40.0 if answered else np.nan,
                    "team": "T1" if answered else None,
                }
            )
        )
    calls = pd.concat(frames, ignore_index=True).sort_values("arrived_at", ignore_index=True)
    calls["call_id"] = [f"c{i}" for i in range(len(calls))]
    for column in ("category", "queue", "team"):
        calls[column] = calls[column].astype("category")
    return calls


def surge_calls() -> pd.DataFrame:
    # Four ordinary Tuesdays (Feb 4-25) and the anomaly Tuesday (Mar 4), 09:00-10:00:
    # ordinary: 40 calls of A, 30 of B (both queue Q1) and 30 of C (queue Q2), all answered
    # in 5 s (SL 100 %); anomaly: 100 extra A calls, and every call waits 60 s.
    groups = []
    for day in ("2025-02-04", "2025-02-11", "2025-02-18", "2025-02-25", "2025-03-04"):
        wait = 60.0 if day == "2025-03-04" else 5.0
        groups += [
            (f"{day} 09:00", "A", 140 if day == "2025-03-04" else 40, wait, True),
            (f"{day} 09:10", "B", 30, wait, True),
            (f"{day} 09:20", "C", 30, wait, True),
        ]
    return make_calls(groups)


def test_explain_calls_matches_the_kpi_engine():
    calls = surge_calls()
    anomaly = ("2025-03-04 09:00", "2025-03-04 10:00")
    e = explain(calls, anomaly, metric="service_level")
    # default baseline: the four previous Tuesdays (nothing earlier in the data)
    assert [w[0] for w in e.baseline] == [
        pd.Timestamp(f"{d} 09:00") for d in ("2025-02-25", "2025-02-18", "2025-02-11", "2025-02-04")
    ]
    assert e.baseline_scale == pytest.approx(0.25)
    window = compute(subset(calls, *anomaly)).iloc[0]
    assert e.totals["value_anomaly"] == pytest.approx(window["service_level"])  # 0.0
    assert e.totals["value_baseline"] == pytest.approx(1.0)
    a = row(e, "category=A")
    assert a["rate_anomaly"] == pytest.approx(
        compute(subset(calls, *anomaly, {"category": ["A"]})).iloc[0]["service_level"]
    )
    assert (a["n_anomaly"], a["n_baseline"]) == (140.0, 40.0)
    kpis = e.kpis.set_index("kpi")
    assert kpis.loc["offered", "anomaly"] == 200 and kpis.loc["offered", "baseline"] == 100
    assert kpis.loc["aht_s", "anomaly"] == pytest.approx(240.0)
    # every rate falls from 100 % to 0 %: the shift towards A changes nothing -> broad
    assert e.verdict == "broad"
    # ... and the driver is the volume: offered +100 %, all of it category A (explains 100 %
    # with 40 % of the baseline calls: score ln 2.5, above queue Q1's ln(1/0.7))
    assert e.volume.verdict == "concentrated"
    assert e.volume.table.iloc[0]["element"] == "category=A"
    assert e.volume.table.iloc[0]["explained_share"] == pytest.approx(1.0)
    assert e.drivers[0]["driver"] == "volume" and e.drivers[0]["element"] == "category=A"
    assert (
        "Driver: offered +100% vs baseline; 100% of the extra calls were category=A calls."
        in (e.summary["en"])
    )
    assert "业务类型=A" in e.summary["zh"]
    # every handle time is 240 s, but category A's share of answered calls rose from 40 % to
    # 70 %: its row is significant under the table's test (mean and share), so the verdict
    # is "local" (the total did not change; an element did), never "no significant change"
    assert e.handle_time.totals["change"] == pytest.approx(0.0)
    assert e.handle_time.table["significant"].any()
    assert e.handle_time.verdict == "local"
    # team is known only for answered calls: left out for service level, with a note
    assert "team" not in e.dims.get("supply", [])
    assert any(note.startswith("team left out") for note in e.notes)


def test_explain_aht_keeps_supply_dimensions_apart():
    calls = surge_calls()
    e = explain(calls, ("2025-03-04 09:00", "2025-03-04 10:00"), metric="aht_s")
    assert e.dims == {"supply": ["queue"], "demand": ["category"]}
    assert set(e.table["side"]) == {"demand", "supply"}
    assert not e.table["element"].str.contains("queue=.*category|category=.*queue").any()


def test_summary_values_are_in_the_language_of_the_summary():
    # AHT of every answered call: talk 200 + hold 0 + ACW 40 = 240 s, in both windows.
    e = explain(surge_calls(), ("2025-03-04 09:00", "2025-03-04 10:00"), metric="aht_s")
    assert e.summary["en"].startswith("AHT 240 s vs 240 s baseline")
    assert e.summary["zh"].startswith("平均处理时长 240 秒，基线 240 秒")


def test_errors_a_caller_can_translate_carry_a_code():
    calls = surge_calls()
    # no call on Tuesday 2025-03-11, calls on the Tuesdays before: nothing to explain
    with pytest.raises(ValueError, match="anomaly window has no data") as raised:
        explain(calls, ("2025-03-11 09:00", "2025-03-11 10:00"))
    assert raised.value.code == "no_anomaly_data"
    # no handle times at all: AHT cannot be computed
    no_times = calls.drop(columns=["talk_s", "hold_s", "acw_s"])
    with pytest.raises(ValueError, match="nothing to compute aht_s") as raised:
        explain(no_times, ("2025-03-04 09:00", "2025-03-04 10:00"), metric="aht_s")
    assert raised.value.code == "no_metric_data"


def test_default_baseline_skips_anomalous_weeks():
    # Nine Tuesdays 10:00-11:00, 100 calls each. SL 80 % except Feb 11 (30 %).
    # Spread: MAD 0, so the sampling sd sqrt(0.8 x 0.2 / 100) = 0.04 is the floor and
    # |0.3 - 0.8| = 0.5 > 3.5 x 0.04: Feb 11 is left out; the four nearest others are used.
    groups = []
    days = pd.date_range("2025-01-07", periods=9, freq="7D")
    for day in days:
        good = 30 if day == pd.Timestamp("2025-02-11") else 80
        groups += [
            (f"{day:%Y-%m-%d} 10:00", "A", good, 5.0, True),
            (f"{day:%Y-%m-%d} 10:30", "A", 100 - good, 40.0, True),
        ]
    calls = make_calls(groups)
    anomaly = (f"{days[-1]:%Y-%m-%d} 10:00", f"{days[-1]:%Y-%m-%d} 11:00")
    table = default_baseline(calls, anomaly)
    assert table.attrs["source"] == "previous weeks"
    excluded = table[table["excluded"]]
    assert excluded["start"].tolist() == [pd.Timestamp("2025-02-11 10:00")]
    assert excluded["reason"].iloc[0] == "anomalous value"
    used = table[table["used"]]["start"].dt.strftime("%m-%d").tolist()
    assert used == ["02-25", "02-18", "02-04", "01-28"]
    # the anomaly in the first week of the data: the following weeks are used
    first = default_baseline(calls, ("2025-01-07 10:00", "2025-01-07 11:00"))
    assert first.attrs["source"] == "following weeks"
    assert first[first["used"]]["start"].dt.strftime("%m-%d").tolist() == [
        "01-14",
        "01-21",
        "01-28",
        "02-04",
    ]


def test_decompose_one_level():
    calls = surge_calls()
    anomaly = ("2025-03-04 09:00", "2025-03-04 10:00")
    baseline = [("2025-02-25 09:00", "2025-02-25 10:00")]
    level = decompose(calls, anomaly, baseline, "category", metric="offered")
    assert list(level.columns) == list(DECOMPOSE_COLUMNS)
    assert level["value"].iloc[0] == "A" and set(level["value"]) == {"A", "B", "C"}
    top = level.iloc[0]
    assert (top["rate_anomaly"], top["rate_baseline"], top["impact"]) == (140.0, 40.0, 100.0)
    # noise band of a count, one baseline window (scale 1, c² = 0): 40 ± 1.96 sqrt(λ x 2),
    # λ = (140 + 40) / 2 = 90
    assert top["band_high"] == pytest.approx(40 + 1.96 * math.sqrt(180))
    assert top["outside_band"]
    assert not level.iloc[1:]["outside_band"].any()  # B, C: 30 vs 30
    assert level.attrs["node"]["value_anomaly"] == 200.0
    # one level down: within category A, split by queue; ratio band by hand
    sl = decompose(
        calls, anomaly, baseline, "queue", metric="service_level", path={"category": "A"}
    )
    assert sl["element"].tolist() == ["category=A & queue=Q1"]
    # SL 0 % vs 100 %: band 1 ± 1.96 sqrt(1 x 0 x (...)) = [1, 1]
    assert (sl.iloc[0]["band_low"], sl.iloc[0]["band_high"]) == (1.0, 1.0)
    assert sl.iloc[0]["outside_band"] and sl.iloc[0]["significant"]
    with pytest.raises(ValueError, match="already on the path"):
        decompose(calls, anomaly, baseline, "category", path={"category": "A"})


def test_decompose_ratio_band_by_hand():
    # Category A: baseline 80/100 good, anomaly 60/100. Band = 0.8 ± 1.96 sqrt(0.8 x 0.2 x 2/100)
    groups = [
        ("2025-02-25 09:00", "A", 80, 5.0, True),
        ("2025-02-25 09:20", "A", 20, 50.0, True),
        ("2025-03-04 09:00", "A", 60, 5.0, True),
        ("2025-03-04 09:20", "A", 40, 50.0, True),
    ]
    calls = make_calls(groups)
    level = decompose(
        calls,
        ("2025-03-04 09:00", "2025-03-04 10:00"),
        ("2025-02-25 09:00", "2025-02-25 10:00"),
        "category",
    )
    half = 1.96 * math.sqrt(0.8 * 0.2 * (1 / 100 + 1 / 100))
    assert level.iloc[0]["band_low"] == pytest.approx(0.8 - half)
    assert level.iloc[0]["band_high"] == pytest.approx(0.8 + half)
    assert level.iloc[0]["outside_band"]  # 0.6 < 0.8 - 0.111


def test_element_calls():
    calls = surge_calls()
    anomaly = ("2025-03-04 09:00", "2025-03-04 10:00")
    picked = element_calls(calls, {"category": "A"}, anomaly)
    assert len(picked) == 140 and (picked["category"] == "A").all()
    assert len(element_calls(calls, {"category": "A"})) == 140 + 4 * 40
    assert (
        len(element_calls(calls, None, [anomaly, ("2025-02-25 09:00", "2025-02-25 10:00")])) == 300
    )
    unanswered = make_calls([("2025-03-04 09:00", "A", 3, 70.0, False)])
    assert len(element_calls(unanswered, {"team": np.nan})) == 3


def test_every_metric_runs_on_calls():
    calls = surge_calls()
    calls["transferred"] = pd.array([i % 5 == 0 for i in range(len(calls))], dtype="boolean")
    calls["csat"] = np.where(np.arange(len(calls)) % 3 == 0, 4.0, np.nan)
    for metric in METRICS:
        e = explain(calls, ("2025-03-04 09:00", "2025-03-04 10:00"), metric=metric)
        assert e.verdict in ("concentrated", "broad", "local", "none")
        assert set(e.summary) == {"en", "zh"} and e.summary["en"] and e.summary["zh"]


# ----------------------------------------------------------------------------- sample data

from ccmetrics.sample import INCIDENTS, SAMPLE_DIR  # noqa: E402

SAMPLE_CALLS = SAMPLE_DIR / "calls.parquet"
needs_sample = pytest.mark.skipif(
    not SAMPLE_CALLS.exists(), reason="sample_data/calls.parquet absent"
)


def incident_window(name: str) -> tuple[str, str]:
    incident = INCIDENTS[name]
    start, end = incident["time_window"]
    return f"{incident['first_date']} {start}", f"{incident['last_date']} {end}"


@needs_sample
def test_sample_surge_volume_is_concentrated_in_the_injected_element(sample_parquet_calls):
    injected = INCIDENTS["surge"]["dimensions"]
    e = explain(sample_parquet_calls, incident_window("surge"), metric="offered")
    assert e.verdict == "concentrated"
    first = e.table.iloc[0]
    assert first["values"] == injected and first["selected"]
    # 90 % of the injected extra calls are of this element (INCIDENTS extra_mix)
    assert first["explained_share"] > 0.8
    assert element_label(injected) in e.summary["en"]


@needs_sample
def test_sample_surge_service_level_names_the_volume_driver(sample_parquet_calls):
    injected = INCIDENTS["surge"]["dimensions"]
    window = incident_window("surge")
    e = explain(sample_parquet_calls, window, metric="service_level")
    assert e.totals["value_anomaly"] == pytest.approx(
        compute(subset(sample_parquet_calls, *window)).iloc[0]["service_level"]
    )
    assert e.verdict != "none"
    driver = e.drivers[0]
    assert driver["driver"] == "volume" and driver["values"] == injected
    # The surge puts 90 % of its extra calls in GPRS & Prepaid and 10 % in GPRS & Youth
    # (INCIDENTS["surge"]["extra_mix"]). The driver sentence names the volume's root causes,
    # both parts, largest first (it named the first part alone when it read the greedy
    # selection's first element): together they hold more than the net extra calls (the
    # other calls fell a little), so "all of the extra calls", never "102 %".
    youth = {"category": "Data plan (GPRS)", "segment": "Youth"}
    assert [named["values"] for named in driver["named"]] == [injected, youth]
    assert (
        f"all of the extra calls were {element_label(injected)} and {element_label(youth)} calls"
        in e.summary["en"]
    )
    assert element_label(injected, language="zh") in e.summary["zh"]
    assert element_label(youth, language="zh") in e.summary["zh"]


@needs_sample
def test_sample_staffing_shortfall_is_broad_without_volume_change(sample_parquet_calls):
    e = explain(sample_parquet_calls, incident_window("staffing_shortfall"), metric="service_level")
    assert e.verdict == "broad"
    assert e.volume.verdict == "none"
    assert e.volume.totals["p_value"] >= 0.05
    assert [d["driver"] for d in e.drivers] == ["supply"]
    assert "supply side" in e.summary["en"]


@needs_sample
def test_sample_storm_volume_is_broad(sample_parquet_calls):
    # the storm adds about 35 % to every category and brand (INCIDENTS["storm"]): broad
    e = explain(sample_parquet_calls, incident_window("storm"), metric="offered")
    assert e.verdict == "broad"
    assert e.totals["relative_change"] > 0.2


SAMPLE_INTERVALS = SAMPLE_DIR / "intervals.csv"


@pytest.mark.skipif(not SAMPLE_INTERVALS.exists(), reason="sample_data/intervals.csv absent")
def test_sample_intervals_explain_by_queue():
    from ccmetrics.io import load

    intervals = load(SAMPLE_INTERVALS).frame
    window = incident_window("surge")
    e = explain(intervals, window, metric="service_level")
    expected = compute(subset(intervals, *window)).iloc[0]["service_level"]
    assert e.totals["value_anomaly"] == pytest.approx(expected)
    assert e.dims == {"supply": ["queue"]}  # an interval export has queues only
    for item in e.table.itertuples():
        by_queue = compute(subset(intervals, *window, {"queue": [item.values["queue"]]})).iloc[0]
        assert item.rate_anomaly == pytest.approx(by_queue["service_level"])
    assert e.verdict != "none" and e.drivers[0]["driver"] == "volume"
    # no per-call data: the handle-time test assumes a coefficient of variation of 1
    assert any("coefficient of variation" in note for note in e.handle_time.notes)


def test_volume_summary_when_the_leader_rises_more_than_the_net_change():
    # Ordinary Tuesdays: 40 A, 30 B, 30 C; anomaly: 150 A (+110), 20 B (-10), 30 C.
    # Net change +100, A's +110 is 110 % of it: the summary must not say "110% of the extra
    # calls were A calls" but that all of them were, with the share of the net change beside.
    groups = []
    for day in ("2025-02-04", "2025-02-11", "2025-02-18", "2025-02-25", "2025-03-04"):
        anomaly_day = day == "2025-03-04"
        groups += [
            (f"{day} 09:00", "A", 150 if anomaly_day else 40, 5.0, True),
            (f"{day} 09:10", "B", 20 if anomaly_day else 30, 5.0, True),
            (f"{day} 09:20", "C", 30, 5.0, True),
        ]
    calls = make_calls(groups)
    e = explain(calls, ("2025-03-04 09:00", "2025-03-04 10:00"), metric="offered")
    assert e.verdict == "concentrated"
    assert e.table.iloc[0]["element"] == "category=A"
    assert e.table.iloc[0]["explained_share"] == pytest.approx(1.1)
    assert "all of the extra calls were category=A calls (110% of the net change" in e.summary["en"]
    assert "新增来电全部是" in e.summary["zh"] and "110%" in e.summary["zh"]
