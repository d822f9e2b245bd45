"""The engine: candidate elements, the greedy selection, generalisations and the verdict."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from itertools import combinations

import numpy as np
import pandas as pd

from ccmetrics import multitest, rootcause
from ccmetrics.drill.constants import (
    CONCENTRATED_ELEMENTS,
    CONCENTRATED_EXPLAINED,
    CONCENTRATED_LIFT,
    EFFECT_COLUMNS,
    MAX_SELECTED,
    MIN_EXPLAINED,
    MIN_LIFT,
    P_ADJUST_METHODS,
    RATE_COLUMNS,
    SELECTION_POOL,
    SIZE_FLOOR,
    TABLE_COLUMNS,
    _InputError,
)
from ccmetrics.drill.effects import _Cube, _effects, _score
from ccmetrics.drill.elements import element_label
from ccmetrics.drill.result import Explanation
from ccmetrics.drill.significance import (
    _TESTS,
    _TOTAL_TESTS,
    _count_dispersion,
    _element_p,
    _p_adjust_name,
    _total_p,
)

__all__: list[str] = []


@dataclass
class _Candidates:
    side: list
    dim_sets: list
    codes: list
    a: np.ndarray
    b: np.ndarray
    w: np.ndarray


def _candidates(cube: _Cube, max_order: int, min_share: float, min_count: float) -> _Candidates:
    """Every element (dimension value combination within one side) with enough support."""
    total_a, total_b = cube.a.sum(axis=0), cube.b.sum(axis=0)
    sides, dim_sets, codes, a_parts, w_parts = [], [], [], [], []
    n_windows = cube.w.shape[0]
    for side in dict.fromkeys(cube.sides[d] for d in cube.dims):
        indices = [i for i, d in enumerate(cube.dims) if cube.sides[d] == side]
        for order in range(1, min(max_order, len(indices)) + 1):
            for dim_set in combinations(indices, order):
                keys = cube.codes[:, list(dim_set)]
                group = (
                    pd.DataFrame(keys).groupby(list(range(order)), sort=False).ngroup().to_numpy()
                )
                n_groups = int(group.max()) + 1 if len(group) else 0
                _, first = np.unique(group, return_index=True)
                a = np.stack([np.bincount(group, cube.a[:, i], n_groups) for i in range(3)], axis=1)
                w = (
                    np.stack(
                        [
                            np.stack(
                                [np.bincount(group, cube.w[j, :, i], n_groups) for i in range(3)],
                                axis=1,
                            )
                            for j in range(n_windows)
                        ]
                    )
                    if n_windows
                    else np.zeros((0, n_groups, 3))
                )
                b = w.sum(axis=0)
                share_a = a[:, 1] / total_a[1] if total_a[1] > 0 else np.zeros(n_groups)
                share_b = b[:, 1] / total_b[1] if total_b[1] > 0 else np.zeros(n_groups)
                support = (np.maximum(share_a, share_b) >= min_share) & (
                    a[:, 1] + b[:, 1] * cube.scale >= min_count
                )
                keep = np.flatnonzero(support)
                for index in keep:
                    sides.append(side)
                    dim_sets.append(dim_set)
                    codes.append(tuple(keys[first[index]]))
                a_parts.append(a[keep])
                w_parts.append(w[:, keep])
    if a_parts:
        a_all = np.concatenate(a_parts)
        w_all = np.concatenate(w_parts, axis=1)
    else:
        a_all, w_all = np.zeros((0, 3)), np.zeros((n_windows, 0, 3))
    return _Candidates(sides, dim_sets, codes, a_all, w_all.sum(axis=0), w_all)


def _select(cube: _Cube, cand: _Candidates, eligible: np.ndarray, score: np.ndarray):
    """Greedy selection per side: best gain given the elements already taken.

    Returns ``{candidate index: (step, gain)}`` and, per side, the list of
    ``(candidate index, explained, size)`` in selection order, where explained
    and size are those of the union of the elements selected so far.
    """
    total_a, total_b = cube.a.sum(axis=0), cube.b.sum(axis=0)
    chosen: dict[int, tuple[int, float]] = {}
    steps: dict[str, list] = {}
    sides = np.asarray(cand.side, dtype=object)
    for side in dict.fromkeys(cand.side):
        pool = np.flatnonzero((sides == side) & eligible)
        pool = pool[np.argsort(-score[pool], kind="stable")][:SELECTION_POOL]
        if not len(pool):
            continue
        masks = np.stack([cube.mask(cand.dim_sets[i], cand.codes[i]) for i in pool])
        union = np.zeros(len(cube.codes), dtype=bool)
        base_explained, base_size = 0.0, 0.0
        taken = np.zeros(len(pool), dtype=bool)
        for step in range(MAX_SELECTED):
            merged = (masks | union).astype(float)
            effects = _effects(
                merged @ cube.a, merged @ cube.b, total_a, total_b, cube.kind, cube.scale
            )
            more = effects["explained_share"] - base_explained
            bigger = effects["size"] - base_size
            ok = (~taken) & (more >= MIN_EXPLAINED) & (more >= MIN_LIFT * np.maximum(bigger, 0.0))
            gain = np.where(ok, _score(more, bigger), -np.inf)
            best = int(np.argmax(gain))
            if not np.isfinite(gain[best]):
                break
            chosen[int(pool[best])] = (step, float(gain[best]))
            taken[best] = True
            union |= masks[best]
            base_explained = float(effects["explained_share"][best])
            base_size = float(effects["size"][best])
            steps.setdefault(side, []).append((int(pool[best]), base_explained, base_size))
    return chosen, steps


def _generalisations(cand: _Candidates, chosen: dict, values: list, effects: dict, significant):
    """For each candidate, the selected element it is a coarser version of ("" if none).

    A generalisation drops one or more dimensions of a selected element (same
    side), is significant, explains at least :data:`MIN_EXPLAINED` of the
    change and at least :data:`CONCENTRATED_LIFT` × its share of the volume.
    """
    out = np.full(len(cand.side), "", dtype=object)
    explained = np.nan_to_num(effects["explained_share"], nan=0.0)
    size = np.maximum(effects["size"], SIZE_FLOOR)
    concentrated = (
        significant & (explained >= MIN_EXPLAINED) & (explained >= CONCENTRATED_LIFT * size)
    )
    for index, _ in sorted(chosen.items(), key=lambda item: item[1][0]):
        target = values[index]
        for other in np.flatnonzero(concentrated & (out == "")):
            if other in chosen or cand.side[other] != cand.side[index]:
                continue
            mine = values[other]
            if len(mine) < len(target) and all(
                dim in target and _same(target[dim], value) for dim, value in mine.items()
            ):
                out[other] = element_label(target)
    return out


def _same(left, right) -> bool:
    if isinstance(left, float) and isinstance(right, float) and np.isnan(left) and np.isnan(right):
        return True
    return left == right


# --------------------------------------------------------------------------- the engine


def _element_table(
    cand, values, effects, *, score, p_values, p_adjusted, significant, selected, gain
) -> pd.DataFrame:
    """The explanation's table in :data:`TABLE_COLUMNS` order, one row per candidate, in
    candidate order (``generalises`` is filled in and the rows ordered by :func:`_analyse`)."""
    return pd.DataFrame(
        {
            "element": [element_label(v) for v in values],
            "side": pd.Series(cand.side, dtype=object),
            "order": [len(d) for d in cand.dim_sets],
            "values": values,
            **{name: effects[name] for name in (*RATE_COLUMNS, *EFFECT_COLUMNS)},
            "score": score,
            "p_value": p_values,
            "p_adjusted": p_adjusted,
            "significant": significant,
            "selected": selected,
            "gain": gain,
        },
        columns=list(TABLE_COLUMNS),
    )


def _totals(cube: _Cube, overall: dict, total_a, total_b, p_total: float, c2: float) -> dict:
    """The whole population's values, change, volumes and test (``Explanation.totals``)."""
    delta = float(overall["delta"])
    value_a, value_b = float(overall["value_anomaly"]), float(overall["value_baseline"])
    totals = {
        "value_anomaly": value_a,
        "value_baseline": value_b,
        "change": delta,
        "relative_change": delta / value_b if value_b else np.nan,
        "n_anomaly": float(total_a[1]),
        "n_baseline": float(total_b[1] * cube.scale),
        "n_baseline_raw": float(total_b[1]),
        "p_value": p_total,
        "test": _TOTAL_TESTS[cube.kind],
    }
    if cube.kind == "count":
        totals["dispersion_c2"] = c2
    return totals


def _analyse(
    cube: _Cube,
    *,
    anomaly,
    baseline,
    metric: str,
    max_order: int,
    p_adjust: str,
    alpha: float,
    min_share: float,
    min_count: float,
) -> Explanation:
    """Candidates, decomposition, tests, selection and verdict of a cube.

    The root causes (:func:`_causes`) become the selected elements of the sides they are
    on; a side without causes keeps the greedy selection.
    """
    p_adjust = _p_adjust_name(p_adjust)
    total_a, total_b = cube.a.sum(axis=0), cube.b.sum(axis=0)
    if total_a[1] <= 0:
        raise _InputError("the anomaly window has no data for this metric", "no_anomaly_data")
    if total_b[1] <= 0:
        raise _InputError("the baseline windows have no data for this metric", "no_baseline_data")
    c2 = _count_dispersion(cube) if cube.kind == "count" else 0.0
    overall = _effects(total_a[None, :], total_b[None, :], total_a, total_b, cube.kind, cube.scale)
    p_total = _total_p(cube, total_a, total_b, c2)
    cand = _candidates(cube, max_order, min_share, min_count)
    stats = _element_statistics(cube, cand, total_a, total_b, c2, p_adjust, alpha)
    delta = float(overall["delta"])
    changed = p_total < alpha and delta != 0 and np.isfinite(delta)
    if changed:
        chosen, steps = _select(cube, cand, stats["significant"], stats["score"])
    else:
        chosen, steps = {}, {}
    # The verdict reads the greedy selection: does a small part of the volume hold most of
    # the change? Which elements the explanation names is the root-cause set's to say.
    concentrated = any(
        _is_concentrated([{"explained": e, "size": z} for _, e, z in taken])
        for taken in steps.values()
    )
    # The causes are searched for when the change is significant (there are none otherwise);
    # the ranking of an unchanged cube waits until someone reads it.
    causes, cause_ranking, cause_keys = _causes(cube if changed else None, max_order)
    cause_index = _cause_candidates(cube, cand, cause_keys)
    if cause_index:
        if len(cand.side) > len(stats["score"]):  # a cause below the support floor became a row
            stats = _element_statistics(cube, cand, total_a, total_b, c2, p_adjust, alpha)
        causes, cause_index = _causes_in_order(causes, cause_index, stats["score"])
        chosen, steps = _cause_selection(cube, cand, cause_index, chosen, steps)
    table, values = _ordered_element_table(cube, cand, stats, chosen, cause_index)
    if changed:
        verdict = "concentrated" if concentrated else "broad"
    else:
        # "no significant change" only when no row of the table is significant either
        verdict = "local" if bool(stats["significant"].any()) else "none"
    totals = _totals(cube, overall, total_a, total_b, p_total, c2)
    explanation = Explanation(
        metric=metric,
        kind=cube.kind,
        table=table,
        verdict=verdict,
        summary={},
        anomaly=anomaly,
        baseline=list(baseline),
        totals=totals,
        p_adjust=p_adjust,
        p_adjust_method=P_ADJUST_METHODS[p_adjust][1],
        test=_TESTS[cube.kind],
        alpha=alpha,
        dims=_dims_by_side(cube),
        baseline_scale=cube.scale,
        concentration=_concentration(steps, values),
    )
    explanation.causes = causes
    if changed:
        explanation.cause_ranking = cause_ranking
    else:
        # No significant change: no cause (the verdict says "none" or "local"); the ranking
        # stays, as the table does, with no row marked a cause, computed when first read.
        explanation._rank_later = functools.partial(_unchanged_ranking, cube, max_order)
    return explanation


def _concentration(steps: dict, values: list) -> dict:
    """Per side, the greedy selection's elements with their explained share and size."""
    return {
        side: [
            {"element": element_label(values[i]), "values": values[i], "explained": e, "size": z}
            for i, e, z in taken
        ]
        for side, taken in steps.items()
    }


def _dims_by_side(cube: _Cube) -> dict[str, list]:
    """The cube's dimensions grouped by the side they are on, in cube order."""
    sides: dict[str, list] = {}
    for dim in cube.dims:
        sides.setdefault(cube.sides[dim], []).append(dim)
    return sides


def _element_statistics(cube: _Cube, cand, total_a, total_b, c2, p_adjust: str, alpha: float):
    """Effects, score, p-values (raw and adjusted) and significance of every candidate."""
    effects = _effects(cand.a, cand.b, total_a, total_b, cube.kind, cube.scale)
    score = _score(effects["explained_share"], effects["size"])
    p_values = _element_p(cube.kind, cand.a, cand.b, total_a, total_b, cube.scale, c2)
    p_adjusted = multitest.adjust(p_values, p_adjust)
    significant = p_adjusted < alpha
    return {
        "effects": effects,
        "score": score,
        "p_values": p_values,
        "p_adjusted": p_adjusted,
        "significant": significant,
    }


def _causes_in_order(causes: pd.DataFrame, cause_index: list, score):
    """The causes and their candidate rows by share, then score, ranked from 1."""
    # Largest share first; between equal shares (the same calls named on both sides,
    # category=A and the queue that takes them) the more concentrated element first.
    shares = causes["share"].to_numpy(float)
    order = sorted(
        range(len(cause_index)),
        key=lambda k: (-round(float(shares[k]), 9), -float(score[cause_index[k]])),
    )
    cause_index = [cause_index[k] for k in order]
    causes = causes.iloc[order].reset_index(drop=True)
    causes["rank"] = np.arange(1, len(causes) + 1)
    return causes, cause_index


def _ordered_element_table(cube: _Cube, cand, stats: dict, chosen: dict, cause_index: list):
    """The element table in reading order, and each candidate's values by dimension."""
    score, significant, effects = stats["score"], stats["significant"], stats["effects"]
    gain = np.full(len(cand.side), np.nan)
    selected = np.zeros(len(cand.side), dtype=bool)
    for index, (_, value) in chosen.items():
        gain[index] = value
        selected[index] = True
    values = [
        {cube.dims[d]: cube.value(d, c) for d, c in zip(dims, codes, strict=True)}
        for dims, codes in zip(cand.dim_sets, cand.codes, strict=True)
    ]
    table = _element_table(
        cand,
        values,
        effects,
        score=score,
        p_values=stats["p_values"],
        p_adjusted=stats["p_adjusted"],
        significant=significant,
        selected=selected,
        gain=gain,
    )
    generalises = _generalisations(cand, chosen, values, effects, significant)
    table["generalises"] = generalises
    # the causes first (largest share first), then elements the greedy step selected on a
    # side without causes (by gain), the generalisations and the rest (by score)
    cause_rank = np.full(len(cand.side), np.inf)
    for rank, index in enumerate(cause_index):
        cause_rank[index] = rank
    is_cause = np.isfinite(cause_rank)
    group = np.where(is_cause, 0, np.where(selected, 1, np.where(generalises != "", 2, 3)))
    key = np.where(is_cause, cause_rank, np.where(selected, -np.nan_to_num(gain, nan=0.0), -score))
    order = np.lexsort((-np.abs(table["impact"].to_numpy()), key, group))
    return table.iloc[order].reset_index(drop=True), values


def _unchanged_ranking(cube: _Cube, max_order: int) -> pd.DataFrame:
    """The cause ranking of a cube whose change is not significant: no row is a cause."""
    _, ranking, _ = _causes(cube, max_order)
    ranking["cause"] = False
    return ranking


def _causes(cube: _Cube | None, max_order: int) -> tuple[pd.DataFrame, pd.DataFrame, list]:
    """Root causes and ranking per side (:func:`ccmetrics.rootcause.localize`).

    Returns the causes, the ranking and, per cause row, its ``(dimension indices,
    codes)`` in the cube; empty when ``cube`` is None.
    """
    columns = ["element", "side", *rootcause.CAUSE_COLUMNS]
    if cube is None or not len(cube.codes):
        return pd.DataFrame(columns=columns), pd.DataFrame(columns=columns), []
    windows = cube.w.shape[0]
    expected = cube.b * cube.scale
    # the leaves by their codes (a missing value is code -1): localize names elements by
    # them, which are the candidates' keys, and no value is copied per leaf
    leaves = pd.DataFrame(cube.codes, columns=list(cube.dims))
    position = {dim: d for d, dim in enumerate(cube.dims)}
    if cube.kind == "count":
        arrays = {"actual": cube.a[:, 1], "expected": expected[:, 1], "counts": True}
    else:
        arrays = {
            "actual": cube.a[:, 0],
            "expected": expected[:, 0],
            "kind": cube.kind,
            "actual_denominator": cube.a[:, 1],
            "expected_denominator": expected[:, 1],
            "counts": cube.kind == "ratio",
        }
        if cube.kind == "mean":
            # per-call variance of each leaf from the baseline's Σx, Σx², n (pooled where n < 2)
            n, total, squares = cube.b[:, 1], cube.b[:, 0], cube.b[:, 2]
            with np.errstate(divide="ignore", invalid="ignore"):
                variance = (squares - total**2 / n) / (n - 1)
                pooled = (squares.sum() - total.sum() ** 2 / n.sum()) / (n.sum() - 1)
            arrays["unit_variance"] = np.where(n >= 2, np.clip(variance, 0.0, None), pooled)
    # Week-to-week variation from the baseline windows (each scaled to the anomaly's length).
    per_window = cube.w * cube.window_scale[:, None, None]
    if cube.kind == "count":
        c2 = rootcause.window_dispersion(per_window[:, :, 1])
    else:
        c2 = rootcause.window_dispersion(
            per_window[:, :, 0],
            per_window[:, :, 1],
            kind=cube.kind,
            unit_variance=arrays.get("unit_variance"),
        )
    causes, rankings = [], []
    for side in dict.fromkeys(cube.sides[d] for d in cube.dims):
        dims = [d for d in cube.dims if cube.sides[d] == side]
        # rows, not DataFrames: two frames per side cost more than the rest on this path
        found = rootcause._localize_rows(
            leaves,
            dims,
            **arrays,
            forecast_windows=windows or None,
            max_order=max_order,
            dispersion=c2 if windows >= 2 else None,
        )
        for found_rows, out in ((found.causes, causes), (found.ranking, rankings)):
            rows = []
            for row in found_rows:
                key = (
                    tuple(position[dim] for dim in row["values"]),
                    tuple(int(code) for code in row["values"].values()),
                )
                values = {cube.dims[d]: cube.value(d, code) for d, code in zip(*key, strict=True)}
                row = {**row, "values": values}
                rows.append(({"element": element_label(values), "side": side, **row}, key))
            out.append(rows)
    # Causes of both sides by share; the ranking side by side, the side of the largest
    # cause first (each side's own order kept).
    cause_rows = sorted((row for part in causes for row in part), key=lambda row: -row[0]["share"])
    if cause_rows:
        rankings.sort(
            key=lambda part: 0 if part and part[0][0]["side"] == cause_rows[0][0]["side"] else 1
        )
    ranking_rows = [row for part in rankings for row in part]

    def frame(rows: list) -> pd.DataFrame:
        return pd.DataFrame(
            [{**row, "rank": rank} for rank, (row, _) in enumerate(rows, start=1)],
            columns=columns,
        )

    return frame(cause_rows), frame(ranking_rows), [key for _, key in cause_rows]


def _cause_candidates(cube: _Cube, cand: _Candidates, keys: list) -> list[int]:
    """The candidate index of each cause, appending those the support floor left out."""
    where = {key: i for i, key in enumerate(zip(cand.dim_sets, cand.codes, strict=True))}
    found = []
    for dims, codes in keys:
        if (dims, codes) not in where:
            mask = cube.mask(dims, codes).astype(float)
            cand.side.append(cube.sides[cube.dims[dims[0]]])
            cand.dim_sets.append(dims)
            cand.codes.append(codes)
            window_sums = np.einsum("l,wlk->wk", mask, cube.w)[:, None, :]
            cand.a = np.concatenate([cand.a, (mask @ cube.a)[None, :]])
            cand.w = np.concatenate([cand.w, window_sums], axis=1)
            cand.b = cand.w.sum(axis=0)
            where[(dims, codes)] = len(cand.side) - 1
        found.append(where[(dims, codes)])
    return found


def _cause_selection(cube: _Cube, cand: _Candidates, cause_index: list, chosen: dict, steps: dict):
    """The selection with the causes in place of the greedy choice on the sides they are on.

    As :func:`_select` returns it: each cause's gain is the concentration score of what it
    adds to the causes before it on its side (``Δe · ln(Δe / Δs)``), and each step holds
    the explained share and size of the union so far.
    """
    total_a, total_b = cube.a.sum(axis=0), cube.b.sum(axis=0)
    sides = {cand.side[i] for i in cause_index}
    chosen = {i: step for i, step in chosen.items() if cand.side[i] not in sides}
    steps = {side: taken for side, taken in steps.items() if side not in sides}
    for side in dict.fromkeys(cand.side[i] for i in cause_index):
        union = np.zeros(len(cube.codes), dtype=bool)
        explained, size = 0.0, 0.0
        for step, index in enumerate(i for i in cause_index if cand.side[i] == side):
            union |= cube.mask(cand.dim_sets[index], cand.codes[index])
            weight = union.astype(float)
            effects = _effects(
                (weight @ cube.a)[None, :],
                (weight @ cube.b)[None, :],
                total_a,
                total_b,
                cube.kind,
                cube.scale,
            )
            new_explained = float(np.nan_to_num(effects["explained_share"][0]))
            new_size = float(effects["size"][0])
            gain = float(_score(new_explained - explained, max(new_size - size, 0.0)))
            explained, size = new_explained, new_size
            chosen[index] = (step, gain)
            steps.setdefault(side, []).append((index, explained, size))
    return chosen, steps


def _is_concentrated(taken: list) -> bool:
    """Do the first :data:`CONCENTRATED_ELEMENTS` selected elements of a side concentrate?"""
    if not taken:
        return False
    union = taken[min(CONCENTRATED_ELEMENTS, len(taken)) - 1]
    return (
        union["explained"] >= CONCENTRATED_EXPLAINED
        and union["size"] <= union["explained"] / CONCENTRATED_LIFT
    )
