"""RiskLoc (Kalander 2022, arXiv:2205.10004), written from the paper for the benchmark only.

Never imported by ccmetrics. Steps, as the paper describes them:

1. Deviation score of each leaf, ``ds = 2 (f − v) / (f + v)`` (0 when both are 0);
   for a derived measure v = v_a / v_b and f = f_a / f_b.
2. Cutoff: ``t = −(the one of the 6th smallest and 6th largest distinct ds with
   the smaller magnitude)``; leaves beyond t (on the side away from 0) form the
   abnormal partition.
3. Weights: abnormal leaves |ds|, normal leaves |t − ds|, capped at 1; 0 when
   v = f = 0.
4. Explanatory power per leaf: additive ``(v − f) / (V − F)``; derived
   ``((v_a − f_a) F_b − (v_b − f_b) F_a) / (F_b (F_b + v_b − f_b))`` normalised
   to sum 1; sign flipped when the abnormal part sums negative.
5. Layer-wise search (layer 1 first): in each cuboid, elements holding an
   abnormal leaf, in decreasing EP above the best so far (initially
   ``pep × EP of the abnormal partition``), are scored with
   risk = W_abnormal / (W_abnormal + W_normal + 1) − low-risk, where the
   low-risk term is mean |ds| of the leaves against the element's own
   proportional expectation divided by their mean |ds|; the first with
   risk ≥ 0.5 in each cuboid is a candidate, the best EP over the layer is
   taken; the search stops at the first layer with a candidate.
6. The cause's leaves are removed and the search repeats while the abnormal
   EP left is at least the threshold.

(The repository's element pruning, an optimisation, is left out.)
"""

from __future__ import annotations

from itertools import combinations

import numpy as np


def riskloc(codes, v, f, *, v_b=None, f_b=None, max_order=3, risk_threshold=0.5, pep=0.02):
    """Return the list of causes, each a tuple of (dim index, code) pairs, in the order found."""
    codes = np.asarray(codes)
    derived = v_b is not None
    if derived:
        with np.errstate(divide="ignore", invalid="ignore"):
            real = np.nan_to_num(np.asarray(v) / np.asarray(v_b))
            pred = np.nan_to_num(np.asarray(f) / np.asarray(f_b))
    else:
        real, pred = np.asarray(v, float), np.asarray(f, float)
    with np.errstate(divide="ignore", invalid="ignore"):
        ds = np.nan_to_num(2 * (pred - real) / (pred + real))
    unique = np.unique(ds)
    n = min(6, len(unique))
    low, high = unique[n - 1], unique[-n]
    cutoff = -(low if abs(low) <= abs(high) else high)
    right = cutoff >= 0 if cutoff != 0 else np.copysign(1, cutoff) > 0
    abnormal = ds > cutoff if right else ds < cutoff
    weight = np.abs(cutoff - ds)
    weight[(real == 0) & (pred == 0)] = 0
    weight = np.where(abnormal, np.abs(ds), weight)
    weight = np.minimum(weight, 1.0)
    if derived:
        fa, fb = float(np.sum(f)), float(np.sum(f_b))
        num = (np.asarray(v) - f) * fb - (np.asarray(v_b) - f_b) * fa
        den = fb * (fb + np.asarray(v_b) - f_b)
        with np.errstate(divide="ignore", invalid="ignore"):
            ep = np.nan_to_num(num / den)
        ep = ep / ep.sum() if ep.sum() != 0 else ep
    else:
        total = real.sum() - pred.sum()
        ep = (real - pred) / total if total != 0 else np.zeros_like(real)
    if ep[abnormal].sum() < 0:
        ep = -ep
    threshold = ep[abnormal].sum() * pep
    sizes = codes.max(axis=0) + 1
    n_dims = codes.shape[1]
    active = np.ones(len(real), dtype=bool)
    causes = []
    while active.any() and ep[active & abnormal].sum() >= threshold:
        found = _search(
            codes,
            sizes,
            n_dims,
            active,
            abnormal,
            weight,
            ep,
            real,
            pred,
            ds,
            threshold,
            max_order,
            risk_threshold,
        )
        if found is None:
            break
        causes.append(found)
        mask = np.ones(len(real), dtype=bool)
        for d, c in found:
            mask &= codes[:, d] == c
        active &= ~mask
    return causes


def _search(
    codes,
    sizes,
    n_dims,
    active,
    abnormal,
    weight,
    ep,
    real,
    pred,
    ds,
    threshold,
    max_order,
    risk_threshold,
):
    for layer in range(1, min(max_order, n_dims) + 1):
        best_ep, best = threshold, None
        for dims in combinations(range(n_dims), layer):
            key = np.zeros(len(real), dtype=np.int64)
            for d in dims:
                key = key * sizes[d] + codes[:, d]
            space = int(np.prod([sizes[d] for d in dims]))
            k = key[active]
            ep_sum = np.bincount(k, ep[active], space)
            n_ab = np.bincount(k, abnormal[active].astype(float), space)
            w_ab = np.bincount(k, (weight * abnormal)[active], space)
            w_n = np.bincount(k, (weight * ~abnormal)[active], space)
            candidates = np.flatnonzero((n_ab > 0) & (ep_sum > best_ep))
            for element in candidates[np.argsort(-ep_sum[candidates], kind="stable")]:
                high = w_ab[element] / (w_ab[element] + w_n[element] + 1)
                leaf = active & (key == element)
                risk = high - _low_risk(real[leaf], pred[leaf], ds[leaf])
                if risk >= risk_threshold:
                    best_ep = ep_sum[element]
                    rest, values = int(element), []
                    for d in reversed(dims):
                        values.append((d, rest % int(sizes[d])))
                        rest //= int(sizes[d])
                    best = tuple(sorted(values))
                    break
        if best is not None:
            return best
    return None


def _low_risk(real, pred, ds):
    keep = (real != 0) & (pred != 0)
    if not keep.any():
        return 0.0
    real, pred, ds = real[keep], pred[keep], ds[keep]
    a = pred * real.sum() / pred.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.nan_to_num(2 * (a - real) / (a + real))
    w2 = np.abs(ds).mean()
    return float(np.abs(d).mean() / w2) if w2 != 0 else 0.0
