"""Agents to staff: required agents for a target, scheduled agents after shrinkage, the curve.

:func:`agents_required` (whole agents), :func:`agents_for_target` (the exact real
count), :func:`scheduled_agents` (shrinkage) and :func:`staffing_curve` (Erlang C and
A over a range of agents, for the what-if charts).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd
from scipy.optimize import brentq

from ccmetrics.staffing.erlang import (
    _check_finite,
    _check_integer_agents,
    _uses_erlang_a,
    erlang_a,
    erlang_c,
    model_service_level,
)

__all__ = ["agents_required", "agents_for_target", "scheduled_agents", "staffing_curve"]

#: ``agents_required`` gives up above this many agents.
_MAX_AGENTS = 10_000_000


# --------------------------------------------------------------------------
# required and scheduled agents
# --------------------------------------------------------------------------
def agents_required(
    calls: float,
    interval_s: float,
    aht_s: float,
    target_sl: float | None,
    threshold_s: float,
    *,
    max_occupancy: float | None = None,
    target_asa_s: float | None = None,
    model: str = "erlang_c",
    patience_s: float | None = None,
) -> int:
    """Smallest whole number of agents meeting every given target at once.

    Parameters
    ----------
    calls, interval_s, aht_s : float
        Calls offered, interval length (s) and average handle time (s).
    target_sl : float or None
        Required service level, in (0, 1); None for no service-level target.
    threshold_s : float
        Service-level threshold in seconds.
    max_occupancy : float, optional
        Highest acceptable occupancy, in (0, 1].
    target_asa_s : float, optional
        Highest acceptable ASA in seconds (> 0).
    model : {"erlang_c", "erlang_a"}
        Queueing model; ``"erlang_a"`` needs ``patience_s``.
    patience_s : float, optional
        Mean patience in seconds for Erlang A.

    Returns
    -------
    int
        Agents on the phones (before shrinkage, see :func:`scheduled_agents`);
        0 when ``calls == 0``.

    Notes
    -----
    A count ``N`` qualifies when ``service_level(N) >= target_sl``,
    ``occupancy(N) <= max_occupancy`` and ``asa_s(N) <= target_asa_s`` (the
    targets given), and for Erlang C also ``N > A`` (a stable queue). Each
    metric improves as ``N`` grows, so the search doubles ``N`` until every
    target holds and then bisects down to the smallest qualifying count.

    References
    ----------
    .. [1] Call Centre Helper, "Erlang C Formula - Made Simple With an Easy
       Worked Example", https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm

    Examples
    --------
    >>> agents_required(100, 1800, 180, target_sl=0.8, threshold_s=20)
    14
    >>> agents_required(100, 1800, 180, 0.8, 20, max_occupancy=0.70)
    15
    """
    if target_sl is None and max_occupancy is None and target_asa_s is None:
        raise ValueError("give at least one target: target_sl, max_occupancy or target_asa_s")
    if target_sl is not None and not 0.0 < float(target_sl) < 1.0:
        raise ValueError(f"target_sl must be in (0, 1), got {target_sl!r}")
    if max_occupancy is not None and not 0.0 < float(max_occupancy) <= 1.0:
        raise ValueError(f"max_occupancy must be in (0, 1], got {max_occupancy!r}")
    if target_asa_s is not None and not float(target_asa_s) > 0.0:
        raise ValueError(f"target_asa_s must be > 0, got {target_asa_s!r}")
    if model == "erlang_c":

        def evaluate(n: int) -> dict:
            return erlang_c(calls, interval_s, aht_s, n, threshold_s)

    elif model == "erlang_a":
        if patience_s is None:
            raise ValueError('model="erlang_a" needs patience_s')

        def evaluate(n: int) -> dict:
            return erlang_a(calls, interval_s, aht_s, n, threshold_s, patience_s)

    else:
        raise ValueError(f'model must be "erlang_c" or "erlang_a", got {model!r}')

    def meets_targets(n: int) -> bool:
        metrics = evaluate(n)
        if n == 0 or not metrics["stable"]:
            return False
        if target_sl is not None and metrics["service_level"] < target_sl:
            return False
        if max_occupancy is not None and metrics["occupancy"] > max_occupancy:
            return False
        if target_asa_s is not None and metrics["asa_s"] > target_asa_s:
            return False
        return True

    load = evaluate(1)["load_erlangs"]  # also validates the inputs
    if load == 0.0:
        return 0
    failing = 0  # zero agents never serve a positive load
    candidate = max(1, math.floor(load) + 1)
    while not meets_targets(candidate):
        if candidate > _MAX_AGENTS:
            raise ValueError(f"targets not met with up to {_MAX_AGENTS} agents")
        failing, candidate = candidate, 2 * candidate
    while candidate - failing > 1:  # invariant: failing fails, candidate meets
        middle = (failing + candidate) // 2
        if meets_targets(middle):
            candidate = middle
        else:
            failing = middle
    return candidate


def scheduled_agents(required: float, shrinkage: float) -> int:
    """Agents to schedule so that ``required`` remain on the phones after shrinkage.

    Parameters
    ----------
    required : float
        Agents needed on the phones (>= 0), e.g. from :func:`agents_required`.
    shrinkage : float
        Share of paid time not available for calls (breaks, training,
        absence), in [0, 1).

    Returns
    -------
    int
        ``ceil(required / (1 - shrinkage))``.

    Notes
    -----
    The quotient is rounded to 9 decimals before the ceiling so that binary
    floating point cannot push an exact result up (``21 / (1 - 0.3)`` is
    ``30.000000000000004`` in floating point, and 30 agents suffice).

    Examples
    --------
    >>> scheduled_agents(14, 0.30)
    20
    """
    required = _check_finite("required", required, minimum=0.0, strict=False)
    shrinkage = _check_finite("shrinkage", shrinkage, minimum=0.0, strict=False)
    if shrinkage >= 1.0:
        raise ValueError(f"shrinkage must be in [0, 1), got {shrinkage!r}")
    return math.ceil(round(required / (1.0 - shrinkage), 9))


# --------------------------------------------------------------------------
# what-if curve
# --------------------------------------------------------------------------
def staffing_curve(
    calls: float,
    interval_s: float,
    aht_s: float,
    threshold_s: float,
    agents_range: Iterable[int],
    patience_s: float | None = None,
) -> pd.DataFrame:
    """Erlang C and Erlang A metrics for each agent count, for a what-if chart.

    Parameters
    ----------
    calls, interval_s, aht_s, threshold_s : float
        As in :func:`erlang_c`.
    agents_range : iterable of int
        Whole agent counts to evaluate, e.g. ``range(10, 21)``.
    patience_s : float, optional
        Mean patience for Erlang A; None leaves the Erlang A columns NaN.

    Returns
    -------
    pandas.DataFrame
        One row per agent count with columns ``agents``, ``erlang_c_sl``,
        ``erlang_c_asa_s``, ``erlang_c_occupancy``, ``erlang_a_sl``,
        ``erlang_a_asa_s``, ``erlang_a_occupancy``, ``erlang_a_p_abandon``.
        Unstable Erlang C rows have SL 0 and ASA ``inf`` (see :func:`erlang_c`).

    Notes
    -----
    Each row is :func:`erlang_c` and :func:`erlang_a` at that agent count.
    Occupancy is the carried load per agent: Erlang C ``A / N`` (every call
    is answered), Erlang A ``lambda (1 - P(abandon)) AHT / N = A (1 -
    P(abandon)) / N`` (only answered calls occupy an agent), so with
    abandons it is below Erlang C's.

    Examples
    --------
    >>> curve = staffing_curve(100, 1800, 180, 20, range(13, 16), patience_s=300)
    >>> curve["agents"].tolist()
    [13, 14, 15]
    >>> round(float(curve.loc[1, "erlang_c_sl"]), 4)
    0.8884
    >>> round(float(curve.loc[1, "erlang_a_occupancy"]), 6)  # 10 (1 - 0.013984) / 14
    0.704297
    """
    rows = []
    for agents in agents_range:
        agents = _check_integer_agents(agents)
        c = erlang_c(calls, interval_s, aht_s, agents, threshold_s)
        row = {
            "agents": agents,
            "erlang_c_sl": c["service_level"],
            "erlang_c_asa_s": c["asa_s"],
            "erlang_c_occupancy": c["occupancy"],
            "erlang_a_sl": math.nan,
            "erlang_a_asa_s": math.nan,
            "erlang_a_occupancy": math.nan,
            "erlang_a_p_abandon": math.nan,
        }
        if patience_s is not None:
            a = erlang_a(calls, interval_s, aht_s, agents, threshold_s, patience_s)
            row["erlang_a_sl"] = a["service_level"]
            row["erlang_a_asa_s"] = a["asa_s"]
            row["erlang_a_occupancy"] = a["occupancy"]
            row["erlang_a_p_abandon"] = a["p_abandon"]
        rows.append(row)
    columns = [
        "agents",
        "erlang_c_sl",
        "erlang_c_asa_s",
        "erlang_c_occupancy",
        "erlang_a_sl",
        "erlang_a_asa_s",
        "erlang_a_occupancy",
        "erlang_a_p_abandon",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"agents": "int64"} | {name: "float64" for name in columns[1:]})


def agents_for_target(
    calls: float,
    interval_s: float,
    aht_s: float,
    target_sl: float,
    threshold_s: float,
    patience_s: float | None = None,
) -> float:
    """Real number of agents at which the model's service level equals the target exactly.

    Parameters
    ----------
    calls, interval_s, aht_s, threshold_s : float
        As in :func:`erlang_c`.
    target_sl : float
        Target service level in (0, 1).
    patience_s : float, optional
        None or ``inf`` for Erlang C, a finite mean patience for Erlang A.

    Returns
    -------
    float
        ``N*`` with ``model_service_level(..., N*) == target_sl`` (0 when
        ``calls == 0``); ``agents_required(...) - 1 < N* <= agents_required(...)``.

    Notes
    -----
    :func:`agents_required` gives the smallest whole ``k`` meeting the target.
    For Erlang A, ``N*`` is the linear interpolation between ``k - 1`` and
    ``k`` (the interpolation of :func:`model_service_level`). For Erlang C,
    ``N*`` is the root of ``SL(N) = target`` on ``[max(k - 1, A), k]`` found
    with Brent's method (SL is continuous and increasing there, 0 at ``N = A``).
    The attribution of :func:`why_intervals` starts from ``N*`` so that its
    starting point is exactly the target.

    Examples
    --------
    >>> n_star = agents_for_target(100, 1800, 180, 0.8, 20)
    >>> 13 < n_star < 14, round(model_service_level(100, 1800, 180, n_star, 20), 10)
    (True, 0.8)
    """
    model = "erlang_a" if _uses_erlang_a(patience_s) else "erlang_c"
    whole = agents_required(
        calls, interval_s, aht_s, target_sl, threshold_s, model=model, patience_s=patience_s
    )
    if whole == 0:
        return 0.0

    def gap(n: float) -> float:
        return model_service_level(calls, interval_s, aht_s, n, threshold_s, patience_s) - target_sl

    at_whole = gap(whole)
    if at_whole == 0.0:
        return float(whole)
    if model == "erlang_a":
        below = gap(whole - 1)
        return (whole - 1) + (-below) / (at_whole - below)
    load = calls * aht_s / interval_s
    lower = max(whole - 1.0, load)
    return float(brentq(gap, lower, float(whole), xtol=1e-10, rtol=1e-12))
