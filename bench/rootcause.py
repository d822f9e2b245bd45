"""Benchmark of root-cause localisation: ccmetrics.rootcause.localize beside RiskLoc.

Usage: ``python bench/rootcause.py [--cases 10] [--seed 7]`` (``make bench-rca``).

Semi-synthetic incidents, generated the way the RiskLoc paper (Kalander 2022,
arXiv:2205.10004, section "Semi-synthetic datasets") describes, with our own code:

* a full cube of 5 dimensions (10 × 10 × 10 × 5 × 2 = 10,000 leaves);
* leaf values v ~ 100 · Weibull(α), α ~ U[0.5, 1]; a share U[0, 0.25] of leaves
  set to zero;
* forecast f = v (1 + N(0, σ)), noise level σ ~ U[0, 0.25] (or fixed in the
  noise table), v and f swapped on a random half of the leaves, f ≥ 0;
* 1, 2 or 3 causes at layer 1, 2 or 3 (distinct cuboids, no shared value in a
  shared dimension: disjoint causes); each scales the leaves under it by
  (1 − r), r ~ N(s, d), s ~ U[0.2, 1] + σ, d ~ U[0, 0.1], on the side that
  follows the direction of the normal forecast error (as the paper does so
  that the noise does not cancel the anomaly);
* derived measure: a denominator b made as above and a numerator a = b · p,
  p ~ U[0.05, 0.3] per leaf, each with its own noise; the causes scale the
  actual numerator by (1 ± r) (the ratio rises or falls under them).

Call-center incidents use :mod:`ccmetrics.sample`'s vocabulary and mix (brands
with their shares, categories with each brand's mix, the IVR routing to
queues, the teams of each queue, 8 hours): Poisson calls per leaf in four
baseline weeks and the anomaly window, abandonment binomial with a leaf rate;
1–2 causes at layer 1–2, each holding at least 3 % of the calls and not
nearly nameable by a coarser element (queue=VIP is segment=Premium; the
cause holds < 90 % of any coarser element's calls), multiply the
volume (offered, additive) or the abandon rate (ratio) under them.

Scoring (as RiskLoc's evaluation): a predicted element is a true positive
only when it equals a labelled cause exactly; F1 = 2TP / (2TP + FP + FN)
summed over the cases of a setting. Top-k: a case is a hit when every labelled
cause is among the first k + (number of causes − 1) elements of the ranking
(plain top-k for one cause); RiskLoc's ranking is its set in the order found.
Time: wall time per case of the localisation alone.
"""

from __future__ import annotations

import argparse
import sys
import time
from itertools import combinations, product
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from riskloc_baseline import riskloc  # noqa: E402

from ccmetrics import sample  # noqa: E402
from ccmetrics.rootcause import localize  # noqa: E402

DIM_SIZES = (10, 10, 10, 5, 2)
MIN_CAUSE_VOLUME = 0.03  # a call-center cause holds at least 3 % of the calls


# --------------------------------------------------------------------------- generators


def _full_cube(sizes):
    grids = np.meshgrid(*[np.arange(s) for s in sizes], indexing="ij")
    return np.stack([g.ravel() for g in grids], axis=1)


def _redundant(codes, element, weight, near=0.9):
    """Does a coarser element, or another dimension's value, name (nearly) the same calls?

    True when the element holds at least ``near`` of the weight of an element
    with a subset of its conditions, or of a value of a dimension it does not
    use that covers all its leaves: the label would then be a coincidence.
    """
    mask = _mask(codes, element)
    held = weight[mask].sum()
    dims = [d for d, _ in element]
    for d in range(codes.shape[1]):
        values = np.unique(codes[mask, d])
        if (
            d not in dims
            and len(values) == 1
            and held >= near * weight[codes[:, d] == values[0]].sum()
        ):
            return True
    for size in range(1, len(element)):
        for sub in combinations(element, size):
            if held >= near * weight[_mask(codes, sub)].sum():
                return True
    return False


def _pick_causes(rng, codes, sizes, n_causes, layer, nonzero, min_weight=None):
    """n disjoint causes at a layer: distinct cuboids, no shared value in a shared dimension.

    Causes that a coarser element, or another dimension's value, names nearly
    exactly (>= 90 % of its weight) are redrawn (the label would be a
    coincidence); with ``min_weight`` (weights, share) a cause holds at least
    that share of the weight.
    """
    for _ in range(5000):
        causes, ok = [], True
        for _ in range(n_causes):
            dims = tuple(sorted(rng.choice(len(sizes), size=layer, replace=False)))
            if any(tuple(d for d, _ in c) == dims for c in causes):
                ok = False
                break
            values = []
            for d in dims:
                used = {v for c in causes for dd, v in c if dd == d}
                free = [v for v in range(sizes[d]) if v not in used]
                if not free:
                    ok = False
                    break
                values.append((d, int(rng.choice(free))))
            if not ok:
                break
            causes.append(tuple(values))
        if not ok:
            continue
        masks = [_mask(codes, c) for c in causes]
        if not all((m & nonzero).sum() > 0 for m in masks):
            continue
        weight, share = min_weight if min_weight is not None else (np.ones(len(codes)), 0.0)
        if any(_redundant(codes, c, weight) for c in causes):
            continue
        if any(weight[m].sum() < share * weight.sum() for m in masks):
            continue
        return causes, masks
    raise RuntimeError("could not place causes")


def _mask(codes, element):
    keep = np.ones(len(codes), dtype=bool)
    for d, v in element:
        keep &= codes[:, d] == v
    return keep


def _noisy_pair(rng, n, sigma, zero_rate):
    real = rng.weibull(rng.uniform(0.5, 1.0), n) * 100
    real *= rng.uniform(size=n) > zero_rate
    pred = real * (1 + rng.normal(0, max(sigma, 1e-9), n))
    swap = rng.integers(0, 2, n) == 1
    real, pred = np.where(swap, pred, real), np.where(swap, real, pred)
    return np.clip(real, 0, None), np.clip(pred, 0, None)


def riskloc_case(rng, n_causes, layer, derived, sigma=None):
    """One semi-synthetic incident: codes, measures and the labelled causes."""
    codes = _full_cube(DIM_SIZES)
    n = len(codes)
    sigma = rng.uniform(0, 0.25) if sigma is None else sigma
    zero_rate = rng.uniform(0, 0.25)
    if not derived:
        real, pred = _noisy_pair(rng, n, sigma, zero_rate)
        causes, masks = _pick_causes(rng, codes, DIM_SIZES, n_causes, layer, real > 0)
        up = real.sum() > pred.sum()
        for mask in masks:
            severity = rng.uniform(0.2, 1.0) + sigma
            r = rng.normal(severity, rng.uniform(0, 0.1), mask.sum())
            if up:
                pred[mask] = np.clip(real[mask] * (1 - r), 0, None)
            else:
                real[mask] = np.clip(pred[mask] * (1 - r), 0, None)
        return codes, {"v": real, "f": pred}, causes
    real_b, pred_b = _noisy_pair(rng, n, sigma, zero_rate)
    p = rng.uniform(0.05, 0.3, n)
    pred_a = pred_b * p
    real_a = np.clip(real_b * p * (1 + rng.normal(0, max(sigma, 1e-9), n)), 0, None)
    causes, masks = _pick_causes(rng, codes, DIM_SIZES, n_causes, layer, real_b > 0)
    sign = 1 if rng.uniform() < 0.5 else -1
    for mask in masks:
        severity = rng.uniform(0.2, 1.0) + sigma
        r = rng.normal(severity, rng.uniform(0, 0.1), mask.sum())
        real_a[mask] = np.clip(real_a[mask] * (1 + sign * r), 0, None)
    return codes, {"v": real_a, "f": pred_a, "v_b": real_b, "f_b": pred_b}, causes


def callcenter_case(rng, n_causes, layer, measure, volume_scale=4.0):
    """A call-center incident from ccmetrics.sample's brands, categories, routing and teams."""
    hours = 8
    rows = []
    for s, segment in enumerate(sample.SEGMENTS):
        for c, category in enumerate(sample.CATEGORIES):
            mix = sample.SEGMENT_SHARE[s] * sample.CATEGORY_MIX[segment][c]
            if segment == "Premium":
                routes = {"VIP": 1.0}
            elif category in sample.SPECIALISED_QUEUE:
                routes = {
                    sample.SPECIALISED_QUEUE[category]: sample.SPECIALISED_SHARE,
                    "General": 1 - sample.SPECIALISED_SHARE,
                }
            else:
                routes = {"General": 1.0}
            for queue, share in routes.items():
                teams = [t for t, q in sample.TEAM_QUEUE.items() if q == queue]
                for team in teams:
                    for hour in range(hours):
                        rows.append(
                            (
                                segment,
                                category,
                                queue,
                                team,
                                f"{8 + hour:02d}h",
                                mix * share / len(teams),
                            )
                        )
    leaves = pd.DataFrame(rows, columns=["segment", "category", "queue", "team", "hour", "mix"])
    dims = ["segment", "category", "queue", "team", "hour"]
    hour_curve = 1 + 0.3 * np.sin(np.linspace(0, np.pi, hours))
    hour_index = leaves["hour"].str[:2].astype(int).to_numpy() - 8
    mean = (
        sample.REFERENCE_DAILY_CALLS
        * volume_scale
        * 8
        / 14
        * leaves["mix"].to_numpy()
        * hour_curve[hour_index]
        / hour_curve.mean()
        / hours
    )
    leaf_rate = np.clip(rng.beta(4, 60, len(leaves)), 0.005, 0.5)
    weeks = 4
    week_level = np.exp(rng.normal(0, 0.03, weeks))
    base_calls = np.stack(
        [
            rng.poisson(mean * level * np.exp(rng.normal(0, 0.05, len(leaves))))
            for level in week_level
        ]
    )
    base_aband = rng.binomial(base_calls, leaf_rate)
    codes = np.stack([pd.factorize(leaves[d])[0] for d in dims], axis=1)
    sizes = codes.max(axis=0) + 1
    anomaly_mean = mean * np.exp(rng.normal(0, 0.05, len(leaves)))
    rate_now = leaf_rate.copy()
    causes, masks = _pick_causes(
        rng, codes, sizes, n_causes, layer, mean > 0, min_weight=(mean, MIN_CAUSE_VOLUME)
    )
    for mask in masks:
        if measure == "offered":
            anomaly_mean[mask] *= 1 + rng.uniform(0.3, 1.0)
        else:
            rate_now[mask] = np.clip(rate_now[mask] * (1 + rng.uniform(0.8, 2.0)), 0, 0.95)
    calls = rng.poisson(anomaly_mean)
    aband = rng.binomial(calls, rate_now)
    expected_calls = base_calls.mean(axis=0)
    expected_aband = base_aband.mean(axis=0)
    if measure == "offered":
        data = {"v": calls.astype(float), "f": expected_calls}
    else:
        data = {
            "v": aband.astype(float),
            "f": expected_aband,
            "v_b": calls.astype(float),
            "f_b": expected_calls,
        }
    return codes, data, causes, dims, weeks


# --------------------------------------------------------------------------- methods


def run_ccmetrics(codes, data, *, counts, windows=None, max_order=3):
    frame = pd.DataFrame(codes, columns=[f"d{i}" for i in range(codes.shape[1])])
    dims = list(frame.columns)
    start = time.perf_counter()
    if "v_b" in data:
        result = localize(
            frame,
            dims,
            data["v"],
            data["f"],
            kind="ratio",
            actual_denominator=data["v_b"],
            expected_denominator=data["f_b"],
            counts=counts,
            forecast_windows=windows,
            max_order=max_order,
        )
    else:
        result = localize(
            frame,
            dims,
            data["v"],
            data["f"],
            counts=counts,
            forecast_windows=windows,
            max_order=max_order,
        )
    elapsed = time.perf_counter() - start

    def as_element(values):
        return tuple(sorted((int(k[1:]), int(v)) for k, v in values.items()))

    predicted = [as_element(v) for v in result.causes["values"]]
    ranking = [as_element(v) for v in result.ranking["values"]]
    return predicted, ranking, elapsed


def run_riskloc(codes, data, max_order=3):
    start = time.perf_counter()
    found = riskloc(
        codes, data["v"], data["f"], v_b=data.get("v_b"), f_b=data.get("f_b"), max_order=max_order
    )
    elapsed = time.perf_counter() - start
    return found, found, elapsed


# --------------------------------------------------------------------------- scoring


def score(records):
    tp = sum(r["tp"] for r in records)
    fp = sum(r["fp"] for r in records)
    fn = sum(r["fn"] for r in records)
    out = {"cases": len(records), "F1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0}
    for k in (1, 3, 5):
        out[f"top{k}"] = float(np.mean([r[f"top{k}"] for r in records]))
    out["time_s"] = float(np.mean([r["time"] for r in records]))
    out["max_time_s"] = float(np.max([r["time"] for r in records]))
    return out


def record(predicted, ranking, elapsed, labels):
    labels = {tuple(sorted(c)) for c in labels}
    predicted_set = set(predicted)
    tp = len(predicted_set & labels)
    out = {"tp": tp, "fp": len(predicted_set) - tp, "fn": len(labels) - tp, "time": elapsed}
    for k in (1, 3, 5):
        first = set(ranking[: k + len(labels) - 1])
        out[f"top{k}"] = labels <= first
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10, help="cases per setting")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    rng = np.random.default_rng(args.seed)
    rows = []

    def run_setting(name, cases):
        ours, theirs = [], []
        for codes, data, labels, counts, windows in cases:
            ours.append(record(*run_ccmetrics(codes, data, counts=counts, windows=windows), labels))
            theirs.append(record(*run_riskloc(codes, data), labels))
        for method, records in (("ccmetrics", ours), ("RiskLoc", theirs)):
            rows.append({"setting": name, "method": method, **score(records)})
        print(
            f"{name}: ccmetrics F1 {score(ours)['F1']:.3f}, RiskLoc F1 {score(theirs)['F1']:.3f}",
            file=sys.stderr,
            flush=True,
        )

    for derived, n_causes, layer in product((False, True), (1, 2, 3), (1, 2, 3)):
        name = f"{'derived' if derived else 'additive'} causes={n_causes} layer={layer}"
        cases = []
        for _ in range(args.cases):
            codes, data, labels = riskloc_case(rng, n_causes, layer, derived)
            cases.append((codes, data, labels, False, None))
        run_setting(name, cases)
    for derived, sigma in product((False, True), (0.05, 0.15, 0.25)):
        name = f"{'derived' if derived else 'additive'} noise σ={sigma}"
        cases = []
        for _ in range(args.cases):
            codes, data, labels = riskloc_case(
                rng, int(rng.integers(1, 4)), int(rng.integers(1, 4)), derived, sigma=sigma
            )
            cases.append((codes, data, labels, False, None))
        run_setting(name, cases)
    for measure, n_causes, layer in product(("offered", "abandon_rate"), (1, 2), (1, 2)):
        name = f"call center {measure} causes={n_causes} layer={layer}"
        cases = []
        for _ in range(args.cases):
            codes, data, labels, _, weeks = callcenter_case(rng, n_causes, layer, measure)
            cases.append((codes, data, labels, True, weeks))
        run_setting(name, cases)

    table = pd.DataFrame(rows)
    wide = table.pivot(
        index="setting", columns="method", values=["F1", "top1", "top3", "top5", "time_s"]
    )
    order = list(dict.fromkeys(table["setting"]))
    wide = wide.loc[order]
    lines = [
        "| setting | cases | F1 ours | F1 RiskLoc | top-1 ours | top-1 RL | top-3 ours | "
        "top-3 RL | top-5 ours | top-5 RL | s/case ours | s/case RL |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for setting in order:
        r = wide.loc[setting]
        cases = int(table[table["setting"] == setting]["cases"].iloc[0])
        lines.append(
            f"| {setting} | {cases} | {r[('F1', 'ccmetrics')]:.3f} | {r[('F1', 'RiskLoc')]:.3f} | "
            f"{r[('top1', 'ccmetrics')]:.2f} | {r[('top1', 'RiskLoc')]:.2f} | "
            f"{r[('top3', 'ccmetrics')]:.2f} | {r[('top3', 'RiskLoc')]:.2f} | "
            f"{r[('top5', 'ccmetrics')]:.2f} | {r[('top5', 'RiskLoc')]:.2f} | "
            f"{r[('time_s', 'ccmetrics')]:.3f} | {r[('time_s', 'RiskLoc')]:.3f} |"
        )
    ours = table[table["method"] == "ccmetrics"]
    lines.append("")
    lines.append(f"Slowest ccmetrics case: {ours['max_time_s'].max():.3f} s.")
    print("\n".join(lines))
    return table


if __name__ == "__main__":
    main()
