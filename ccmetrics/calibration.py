"""QA evaluator calibration: does one evaluator score higher or lower than the others?

* :func:`evaluator_calibration` — each evaluator's offset against the other
  evaluators on comparable calls (the same agent and category), with a t
  interval, Holm-adjusted p-values and a verdict, and the agreement between
  evaluators on calls scored twice.
* :func:`icc_two_way` — the two-way intraclass correlations ICC(2,1) and ICC(3,1)
  of Shrout & Fleiss (1979) for n targets each rated by the same k raters.

:mod:`ccmetrics.compare` re-exports both (``compare.evaluator_calibration``).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy import stats

from ccmetrics.i18n import has_key, t
from ccmetrics.multitest import holm
from ccmetrics.stattests import icc_oneway
from ccmetrics.unitstats import check_columns, in_languages, name_list

__all__ = ["CALIBRATION_CELL", "icc_two_way", "evaluator_calibration"]

#: Columns that define comparable calls, when the data has them.
CALIBRATION_CELL = ("agent", "category")


def icc_two_way(ratings, level: float = 0.95) -> dict:
    """Two-way intraclass correlations of an n targets × k raters table (Shrout & Fleiss 1979).

    Parameters
    ----------
    ratings : array-like, shape (n, k)
        Each row a target (e.g. a call), each column a rater; complete (rows with a
        missing rating are left out).
    level : float, default 0.95
        Confidence level of the interval of ICC(2,1).

    Returns
    -------
    dict
        ``icc_2_1`` (two-way random, absolute agreement, single rater),
        ``ci_lower, ci_upper`` (its interval), ``icc_3_1`` (two-way mixed,
        consistency, single rater), ``ms_targets`` (BMS), ``ms_raters`` (JMS),
        ``ms_error`` (EMS), ``n`` (targets), ``k`` (raters). NaN when n < 2 or k < 2.

    Notes
    -----
    With the two-way ANOVA mean squares BMS (targets), JMS (raters) and EMS
    (residual)::

        ICC(2,1) = (BMS − EMS) / (BMS + (k − 1) EMS + k (JMS − EMS) / n)
        ICC(3,1) = (BMS − EMS) / (BMS + (k − 1) EMS)

    The interval of ICC(2,1) is Shrout & Fleiss's (their eq. for case 2), with
    Satterthwaite's degrees of freedom ``v``::

        F_J = JMS / EMS,  ρ = ICC(2,1)
        v = (k−1)(n−1) (k ρ F_J + n (1 + (k−1) ρ) − k ρ)²
            / ((n−1) k² ρ² F_J² + (n (1 + (k−1) ρ) − k ρ)²)
        lower = n (BMS − F* EMS) / (F* (k JMS + (k n − k − n) EMS) + n BMS),  F* = F(1 − α/2; n−1, v)
        upper = n (F* BMS − EMS) / (k JMS + (k n − k − n) EMS + n F* BMS),    F* = F(1 − α/2; v, n−1)

    Their Table 2 (6 targets, 4 judges) gives ICC(2,1) = 0.29 and ICC(3,1) = 0.71.
    """
    table = np.asarray(ratings, dtype=float)
    table = table[np.all(np.isfinite(table), axis=1)] if table.ndim == 2 else table
    nan = float("nan")
    n, k = table.shape if table.ndim == 2 else (0, 0)
    empty = {
        "icc_2_1": nan,
        "ci_lower": nan,
        "ci_upper": nan,
        "icc_3_1": nan,
        "ms_targets": nan,
        "ms_raters": nan,
        "ms_error": nan,
        "n": int(n),
        "k": int(k),
    }
    if n < 2 or k < 2:
        return empty
    grand = table.mean()
    bms = k * np.sum((table.mean(axis=1) - grand) ** 2) / (n - 1)
    jms = n * np.sum((table.mean(axis=0) - grand) ** 2) / (k - 1)
    residual = table - table.mean(axis=1, keepdims=True) - table.mean(axis=0) + grand
    ems = np.sum(residual**2) / ((n - 1) * (k - 1))
    result = {**empty, "ms_targets": float(bms), "ms_raters": float(jms), "ms_error": float(ems)}
    denominator_2 = bms + (k - 1) * ems + k * (jms - ems) / n
    denominator_3 = bms + (k - 1) * ems
    if denominator_2 <= 0 or denominator_3 <= 0:
        return result
    rho = (bms - ems) / denominator_2
    result["icc_2_1"] = float(rho)
    result["icc_3_1"] = float((bms - ems) / denominator_3)
    if ems > 0:
        alpha = 1.0 - level
        f_j = jms / ems
        a = n * (1 + (k - 1) * rho) - k * rho
        v = (k - 1) * (n - 1) * (k * rho * f_j + a) ** 2
        v /= (n - 1) * k**2 * rho**2 * f_j**2 + a**2
        spread = k * jms + (k * n - k - n) * ems
        f_low = stats.f.ppf(1 - alpha / 2, n - 1, v)
        f_high = stats.f.ppf(1 - alpha / 2, v, n - 1)
        result["ci_lower"] = float(n * (bms - f_low * ems) / (f_low * spread + n * bms))
        result["ci_upper"] = float(n * (f_high * bms - ems) / (spread + n * f_high * bms))
    return result


def _offsets(scored: pd.DataFrame, level: float, reference: set) -> pd.DataFrame:
    """Per evaluator: mean of (score − mean of the scores of the other reference evaluators
    in the same cell), its t interval and p-value."""
    pool = scored[scored["evaluator"].isin(reference)]
    sums = pool.groupby(["cell", "evaluator"], observed=True)["score"].agg(["sum", "count"])
    cell_totals = sums.groupby(level="cell").sum()
    joined = scored.join(cell_totals, on="cell").join(
        sums.rename(columns={"sum": "own_sum", "count": "own_n"}), on=["cell", "evaluator"]
    )
    own_sum = joined["own_sum"].fillna(0.0)
    own_n = joined["own_n"].fillna(0)
    others_n = joined["count"].fillna(0) - own_n
    others_sum = joined["sum"].fillna(0.0) - own_sum
    joined = joined.assign(others_n=others_n, diff=joined["score"] - others_sum / others_n)
    joined = joined[joined["others_n"] > 0]
    rows = []
    for evaluator, part in scored.groupby("evaluator", observed=True, sort=True):
        compared = joined[joined["evaluator"] == evaluator]
        diffs = compared["diff"].to_numpy(dtype=float)
        n = len(diffs)
        row = {
            "evaluator": evaluator,
            "n_scored": int(len(part)),
            "mean_score": float(part["score"].mean()),
            "n_compared": int(n),
            "cells": int(compared["cell"].nunique()),
            "offset": float(diffs.mean()) if n else float("nan"),
            "ci_lower": float("nan"),
            "ci_upper": float("nan"),
            "p_value": float("nan"),
            "t": float("nan"),
            "reference": evaluator in reference,
        }
        if n >= 2:
            sd = float(diffs.std(ddof=1))
            if sd > 0:
                half = stats.t.ppf(0.5 + level / 2, n - 1) * sd / np.sqrt(n)
                row["ci_lower"], row["ci_upper"] = row["offset"] - half, row["offset"] + half
                row["t"] = row["offset"] / (sd / np.sqrt(n))
                row["p_value"] = float(2 * stats.t.sf(abs(row["t"]), n - 1))
        rows.append(row)
    table = pd.DataFrame(rows)
    table["p_adjusted"] = holm(table["p_value"].to_numpy(dtype=float))
    return table


def _calibrated(scored: pd.DataFrame, level: float) -> pd.DataFrame:
    """Offsets against a reference of evaluators who agree: the most extreme flagged
    evaluator leaves the reference, one at a time, until no reference evaluator is flagged."""
    reference = set(scored["evaluator"].unique())
    while True:
        table = _offsets(scored, level, reference)
        flagged = table[table["reference"] & (table["p_adjusted"] < 1 - level)]
        if flagged.empty or len(reference) <= 2:
            return table
        worst = flagged.loc[flagged["t"].abs().idxmax(), "evaluator"]
        reference.discard(worst)


def _agreement(
    scored: pd.DataFrame, level: float, min_calls: int
) -> tuple[dict | None, pd.DataFrame]:
    """Agreement on calls scored by two or more evaluators (ICC(1) overall, ICC(2,1) per pair)."""
    per_call = scored.dropna(subset=["call_id"])
    per_call = per_call.drop_duplicates(["call_id", "evaluator"])
    counts = per_call.groupby("call_id", observed=True)["evaluator"].transform("nunique")
    twice = per_call[counts.to_numpy() >= 2]
    pair_columns = ["evaluator_a", "evaluator_b", "calls", "mean_difference", "icc_2_1"]
    pair_columns += ["ci_lower", "ci_upper"]
    if twice.empty:
        return None, pd.DataFrame(columns=pair_columns)
    overall = icc_oneway(twice["score"].to_numpy(dtype=float), twice["call_id"].to_numpy())
    wide = twice.pivot(index="call_id", columns="evaluator", values="score")
    rows = []
    for a, b in itertools.combinations(sorted(wide.columns, key=str), 2):
        both = wide[[a, b]].dropna()
        if len(both) < min_calls:
            continue
        icc = icc_two_way(both.to_numpy(dtype=float), level)
        rows.append(
            {
                "evaluator_a": a,
                "evaluator_b": b,
                "calls": int(len(both)),
                "mean_difference": float((both[a] - both[b]).mean()),
                "icc_2_1": icc["icc_2_1"],
                "ci_lower": icc["ci_lower"],
                "ci_upper": icc["ci_upper"],
            }
        )
    agreement = {
        "calls": int(twice["call_id"].nunique()),
        "icc_1": overall["icc"],
    }
    return agreement, pd.DataFrame(rows, columns=pair_columns)


def evaluator_calibration(
    frame: pd.DataFrame,
    evaluator: str = "evaluator",
    score: str = "qa_score",
    *,
    within: tuple[str, ...] = CALIBRATION_CELL,
    level: float = 0.95,
    min_pair_calls: int = 5,
) -> dict:
    """Each QA evaluator's scores against the other evaluators' on comparable calls.

    Parameters
    ----------
    frame : DataFrame
        Calls with an evaluator and a QA score (rows lacking either are ignored); a
        call scored twice is two rows with the same ``call_id``.
    evaluator, score : str
        The columns of the evaluator and of the score.
    within : tuple of str, default ("agent", "category")
        Columns that make calls comparable; those the frame lacks are skipped (no
        such column: every call is comparable with every other).
    level : float, default 0.95
        Confidence level; an evaluator is flagged when its Holm-adjusted p-value
        is below 1 − level.
    min_pair_calls : int, default 5
        Calls two evaluators must share for their ICC(2,1).

    Returns
    -------
    dict
        ``evaluators``: DataFrame, one row per evaluator: ``evaluator``,
        ``n_scored`` (scores given), ``mean_score``, ``n_compared`` (scores in a
        cell another evaluator scored too), ``cells``, ``offset``, ``ci_lower``,
        ``ci_upper``, ``p_value``, ``p_adjusted`` (Holm), ``reference`` (whether the
        evaluator is one of the reference evaluators), ``verdict`` (``lenient``,
        ``severe`` or ``none``); ``within``: the columns used; ``within_text``:
        {"en", "zh"} of them in words; ``agreement``: None when no call is scored
        twice, else ``calls`` (calls scored by two or more evaluators) and ``icc_1``
        (ICC(1) of those calls' scores);
        ``pairs``: per pair of evaluators sharing ≥ ``min_pair_calls`` calls:
        ``evaluator_a, evaluator_b, calls, mean_difference`` (a − b),
        ``icc_2_1, ci_lower, ci_upper``; ``conclusion``: {"en", "zh"}.

    Notes
    -----
    Fixed-effects comparison within cells (a cell = one value of each ``within``
    column, e.g. one agent × category): for a score x of evaluator e in cell c,
    ``d = x − mean of the scores of the other reference evaluators in c``; cells no
    other reference evaluator scored are left out. ``offset_e = mean(d)``, with the t
    interval ``offset ± t(1 − α/2; n − 1) s_d / √n`` and the one-sample t test of
    offset = 0; the p-values of all evaluators are adjusted with Holm's method.

    The reference starts as every evaluator. One lenient evaluator would make every
    other one look severe against a pool that holds it, so while a reference
    evaluator is flagged, the one with the largest |t| leaves the reference and the
    offsets are computed again (down to two reference evaluators). Scores in one
    cell share the others' mean, so the interval is somewhat narrow when cells
    hold many scores of one evaluator.

    Agreement: on calls scored by two or more evaluators, ICC(1) (one-way
    random, Shrout & Fleiss case 1: each call may have its own evaluators) of
    :func:`ccmetrics.stattests.icc_oneway`; per pair of evaluators, ICC(2,1)
    (case 2: the same two evaluators on every call) of :func:`icc_two_way`.
    """
    check_columns(frame, [evaluator, score])
    cells = [c for c in within if c in frame.columns]
    values = pd.to_numeric(frame[score], errors="coerce")
    names = frame[evaluator].astype("string").str.strip()
    keep = (
        values.notna().to_numpy()
        & names.notna().to_numpy()
        & (names != "").fillna(False).to_numpy()
    )
    # one integer per cell (a missing value is a value of its own)
    cell = (
        frame.loc[keep, cells].groupby(cells, dropna=False, observed=True, sort=False).ngroup()
        if cells
        else pd.Series(0, index=frame.index[keep])
    )
    scored = pd.DataFrame(
        {
            "evaluator": names[keep].to_numpy(),
            "score": values[keep].to_numpy(dtype=float),
            "cell": cell.to_numpy(),
            "call_id": frame.loc[keep, "call_id"].astype("string").to_numpy()
            if "call_id" in frame.columns
            else pd.array([pd.NA] * int(keep.sum()), dtype="string"),
        }
    )
    if scored.empty:
        raise ValueError(f"no row has both {evaluator!r} and {score!r}")
    table = _calibrated(scored, level).drop(columns="t")
    flagged = table["p_adjusted"] < 1 - level
    table["verdict"] = np.where(
        flagged & (table["offset"] > 0), "lenient", np.where(flagged, "severe", "none")
    )
    agreement, pairs = _agreement(scored, level, min_pair_calls)
    return {
        "evaluators": table,
        "within": cells,
        "within_text": in_languages(lambda lang: _within_text(cells, lang)),
        "agreement": agreement,
        "pairs": pairs,
        "conclusion": _conclusion(table, cells, agreement, level),
    }


def _within_text(cells: list[str], lang: str) -> str:
    """What makes calls comparable, in words ("agent and category"; the column names
    when the table has no words for them)."""
    key = "people.cal.within." + ("_".join(cells) if cells else "none")
    return t(key, lang) if has_key(key, lang) else ", ".join(cells)


def _conclusion(table: pd.DataFrame, cells: list[str], agreement, level: float) -> dict:
    lenient = table.loc[table["verdict"] == "lenient"]
    severe = table.loc[table["verdict"] == "severe"]
    compared = int((table["n_compared"] > 0).sum())

    def render(lang: str) -> str:
        within = _within_text(cells, lang)
        if compared < 2:
            sentences = [t("people.cal.too_few", lang, within=within)]
        else:
            sentences = [t("people.cal.compared", lang, count=len(table), within=within)]
            for key, part in (("people.cal.lenient", lenient), ("people.cal.severe", severe)):
                if len(part):
                    described = [
                        t("people.cal.offset_item", lang, name=row.evaluator, offset=row.offset)
                        for row in part.itertuples()
                    ]
                    sentences.append(t(key, lang, names=name_list(described)))
            if not len(lenient) and not len(severe):
                sentences.append(t("people.cal.none", lang, pct=f"{100 * level:g}%"))
        if agreement is not None and np.isfinite(agreement["icc_1"]):
            sentences.append(
                t("people.cal.agreement", lang, calls=agreement["calls"], icc=agreement["icc_1"])
            )
        return " ".join(sentences)

    return in_languages(render)
