"""Staffing: Erlang C/A queueing models and "was it staffing or something else?".

Queueing: :func:`erlang_c`, :func:`erlang_a`, :func:`agents_required`,
:func:`scheduled_agents`, :func:`estimate_patience`, :func:`staffing_curve`,
:func:`model_service_level`, :func:`agents_for_target`.

Why analysis: :func:`staffing_inputs` (demand, plan and staffing per queue and
interval), :func:`why_intervals` (required agents, model vs measured service
level, attribution of the shortfall into volume, AHT, staffing and an
unexplained remainder, classification), :func:`why_day` (the same per day),
:func:`why_summary` (sentences in English and Chinese), built on
:func:`attribute_change` (one-at-a-time and Shapley) and :func:`sl_noise_band`.

The queueing functions take plain numbers in seconds (``interval_s``, ``aht_s``,
``threshold_s``, ``patience_s``) and return plain Python numbers, a dict or a
DataFrame. The offered load in Erlangs is ``A = calls * aht_s / interval_s``.

Every formula is evaluated in log space with :func:`scipy.special.gammaln`,
:func:`scipy.special.gammainc` and :func:`scipy.special.gammaincc`, so it stays
finite and accurate for thousands of agents (no factorials, no ``A ** N``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike
from scipy.optimize import brentq
from scipy.special import gammainc, gammaincc, gammaln, logsumexp
from scipy.stats import t as stats_t
from statsmodels.stats.proportion import proportion_confint

from ccmetrics import i18n
from ccmetrics.cube import frame_kind, ivr_only_rows
from ccmetrics.kpi import compute
from ccmetrics.schema import KpiSettings

__all__ = [
    "erlang_c",
    "erlang_a",
    "agents_required",
    "scheduled_agents",
    "estimate_patience",
    "staffing_curve",
    "EFFECTS",
    "INTERVAL_CLASSES",
    "INTERVAL_CLASS_HELP",
    "MISSED_CLASSES",
    "INPUT_NOTES",
    "model_service_level",
    "agents_for_target",
    "attribute_change",
    "sl_noise_band",
    "staffing_inputs",
    "EFFICIENCY_RANGE",
    "Calibration",
    "calibrate",
    "why_intervals",
    "classify_intervals",
    "why_day",
    "why_summary",
    "what_if",
    "CAUSE_EFFECTS",
    "CAUSE_NAMES",
    "effect_of_cause",
]

#: Below this value a regularized incomplete gamma function is treated as
#: underflowed and a series is used instead.
_UNDERFLOW = 1e-200
#: Series terms are added in blocks of this many.
_SERIES_BLOCK = 2048
#: Erlang A sums a series for P(abandon | wait) when the closed form lost more
#: than three digits to cancellation (P(abandon | wait) below this share of 1/rho - 1).
_CANCELLATION = 1e-3
#: ``agents_required`` gives up above this many agents.
_MAX_AGENTS = 10_000_000


# --------------------------------------------------------------------------
# validation helpers
# --------------------------------------------------------------------------
def _check_finite(name: str, value: float, *, minimum: float, strict: bool) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if value < minimum or (strict and value == minimum):
        relation = ">" if strict else ">="
        raise ValueError(f"{name} must be {relation} {minimum}, got {value!r}")
    return value


def _check_queue_inputs(
    calls: float, interval_s: float, aht_s: float, agents: float, threshold_s: float
) -> tuple[float, float, float, float, float]:
    calls = _check_finite("calls", calls, minimum=0.0, strict=False)
    interval_s = _check_finite("interval_s", interval_s, minimum=0.0, strict=True)
    aht_s = _check_finite("aht_s", aht_s, minimum=0.0, strict=True)
    agents = _check_finite("agents", agents, minimum=0.0, strict=False)
    threshold_s = _check_finite("threshold_s", threshold_s, minimum=0.0, strict=False)
    return calls, interval_s, aht_s, agents, threshold_s


def _check_integer_agents(agents: float) -> int:
    if not float(agents).is_integer():
        raise ValueError(f"agents must be a whole number for Erlang A, got {agents!r}")
    return int(agents)


# --------------------------------------------------------------------------
# numerical building blocks
# --------------------------------------------------------------------------
def _log_inverse_erlang_b(agents: float, load: float) -> float:
    """Return ``log(1 / B(N, A))`` for real ``N >= 0`` and ``A > 0``.

    ``1 / B(N, A) = e^A A^-N Gamma(N + 1, A)`` (Jagerman 1974), with
    ``Gamma(N + 1, A) = Gamma(N + 1) * gammaincc(N + 1, A)``. When ``N`` is far
    below ``A`` the regularized function underflows; for whole ``N`` the exact
    finite sum ``1 / B = sum_{i=0}^{N} N! / ((N - i)! A^i)`` is used instead.
    """
    upper = float(gammaincc(agents + 1.0, load))
    if upper > _UNDERFLOW:
        return float(gammaln(agents + 1.0) + math.log(upper) + load - agents * math.log(load))
    if float(agents).is_integer():
        steps = np.arange(int(agents) + 1, dtype=float)
        log_terms = gammaln(agents + 1.0) - gammaln(agents - steps + 1.0) - steps * math.log(load)
        return float(logsumexp(log_terms))
    # Unreachable from the public functions: Erlang C returns early when N <= A
    # (and then gammaincc(N + 1, A) >= ~0.5), Erlang A takes whole agents only.
    raise ValueError(f"Erlang B underflow for fractional agents={agents} far below load={load}")


def _log_gamma_series(shape: float, z: float) -> float:
    """Return ``log S(s, z)`` with ``S(s, z) = sum_{j>=0} z^j / (s (s+1) ... (s+j))``.

    ``S(s, z) = e^z z^-s gamma(s, z)`` (lower incomplete gamma). The gamma form
    is used unless ``gammainc(s, z)`` underflows, which only happens for ``z``
    well below ``s``; there the series terms shrink at least by ``z / s`` per
    step and the series itself is summed in log space.
    """
    if z == 0.0:
        return -math.log(shape)
    lower = float(gammainc(shape, z))
    if lower > _UNDERFLOW:
        return float(math.log(lower) + gammaln(shape) + z - shape * math.log(z))
    log_z = math.log(z)
    total = -math.log(shape)  # term j = 0 is 1 / s
    last = total
    start = 1
    while True:
        steps = np.arange(start, start + _SERIES_BLOCK, dtype=float)
        log_terms = last + np.cumsum(log_z - np.log(shape + steps))
        total = float(np.logaddexp(total, logsumexp(log_terms)))
        last = float(log_terms[-1])
        start += _SERIES_BLOCK
        if last < total + math.log(1e-17):
            return total


def _log_queue_moment(x: float, y: float) -> float:
    """Return ``log sum_{j>=1} j t_j`` with ``t_j = y^j / ((x+1) (x+2) ... (x+j))``, for ``y < x``.

    A sum of positive terms in log space: ``log t_j`` is the running sum of
    ``log(y / (x + i)) = log(y / x) - log1p(i / x)``. The terms shrink at
    least by ``(j + 1) y / (j (x + j + 1)) < 1`` per step once ``j`` is past
    the largest term; summing stops when the geometric bound on the rest is
    below ``1e-17`` of the total.
    """
    log_rho = math.log(y / x)
    total = -math.inf
    last = 0.0  # log t_0
    start = 1
    while True:
        steps = np.arange(start, start + _SERIES_BLOCK, dtype=float)
        log_terms = last + np.cumsum(log_rho - np.log1p(steps / x))
        total = float(np.logaddexp(total, logsumexp(log_terms + np.log(steps))))
        last = float(log_terms[-1])
        end = steps[-1]
        start += _SERIES_BLOCK
        ratio = (end + 1.0) / end * y / (x + end + 1.0)
        if ratio < 1.0 and last + math.log(end) - math.log1p(-ratio) < total + math.log(1e-17):
            return total


# --------------------------------------------------------------------------
# Erlang C
# --------------------------------------------------------------------------
def erlang_c(
    calls: float, interval_s: float, aht_s: float, agents: float, threshold_s: float
) -> dict:
    """Erlang C (M/M/N) service level, waiting probability, ASA and occupancy.

    Parameters
    ----------
    calls : float
        Calls offered in the interval (>= 0).
    interval_s : float
        Interval length in seconds (> 0).
    aht_s : float
        Average handle time in seconds (> 0).
    agents : float
        Agents on the phones (>= 0). May be fractional, e.g. a measured
        average of 12.4 agents logged in (continuous extension, see Notes).
    threshold_s : float
        Service-level threshold ``T`` in seconds (>= 0).

    Returns
    -------
    dict
        ``p_wait`` probability that a caller waits at all; ``service_level``
        probability of being answered within ``threshold_s``; ``asa_s`` mean
        wait in seconds; ``occupancy`` fraction of agent time busy;
        ``load_erlangs`` offered load ``A``; ``stable`` whether ``N > A``;
        ``message`` None, or why the queue is unstable.

    Notes
    -----
    With ``A = calls * aht_s / interval_s`` and ``N = agents``:

    * Erlang B for real ``N`` (Jagerman 1974):
      ``B(N, A) = A^N e^-A / Gamma(N + 1, A)``, with ``Gamma(., .)`` the upper
      incomplete gamma function; it equals the textbook
      ``(A^N / N!) / sum_{k=0}^{N} A^k / k!`` at whole ``N`` and decreases
      continuously between them. Computed as
      ``log(1/B) = gammaln(N+1) + log(gammaincc(N+1, A)) + A - N log A``.
    * Erlang C: ``P(wait) = C = N B / (N - A (1 - B))``, evaluated as
      ``1 / C = A / N + (N - A) / N * (1 / B)`` with ``logaddexp``.
    * ``service_level = 1 - C exp(-(N - A) T / AHT)``,
      ``asa_s = C AHT / (N - A)``, ``occupancy = A / N``.

    When ``N <= A`` the queue is unstable (it grows without bound): the result
    is ``p_wait = 1``, ``service_level = 0``, ``asa_s = inf``, ``occupancy =
    1`` (agents never idle; NaN with zero agents), ``stable = False`` and a
    message, never a negative wait. With no calls nobody waits:
    ``p_wait = 0``, ``service_level = 1``, ``asa_s = 0``, ``occupancy = 0``.

    References
    ----------
    .. [1] D. L. Jagerman, "Some properties of the Erlang loss function",
       Bell System Technical Journal 53(3), 525-551, 1974.
    .. [2] Call Centre Helper, "Erlang C Formula - Made Simple With an Easy
       Worked Example", https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm

    Examples
    --------
    >>> result = erlang_c(calls=100, interval_s=1800, aht_s=180, agents=14, threshold_s=20)
    >>> round(result["service_level"], 4), round(result["p_wait"], 4)
    (0.8884, 0.1741)
    """
    calls, interval_s, aht_s, agents, threshold_s = _check_queue_inputs(
        calls, interval_s, aht_s, agents, threshold_s
    )
    load = calls * aht_s / interval_s
    if load == 0.0:
        return {
            "p_wait": 0.0,
            "service_level": 1.0,
            "asa_s": 0.0,
            "occupancy": 0.0,
            "load_erlangs": 0.0,
            "stable": True,
            "message": None,
        }
    if agents <= load:
        return {
            "p_wait": 1.0,
            "service_level": 0.0,
            "asa_s": math.inf,
            "occupancy": 1.0 if agents > 0 else math.nan,
            "load_erlangs": load,
            "stable": False,
            "message": (
                f"unstable queue: {agents:g} agents <= offered load {load:.3f} Erlangs; "
                "the queue grows without bound"
            ),
        }
    log_inverse_b = _log_inverse_erlang_b(agents, load)
    log_inverse_c = np.logaddexp(
        math.log(load / agents), math.log1p(-load / agents) + log_inverse_b
    )
    p_wait = math.exp(-float(log_inverse_c))
    spare = agents - load
    return {
        "p_wait": p_wait,
        "service_level": 1.0 - p_wait * math.exp(-spare * threshold_s / aht_s),
        "asa_s": p_wait * aht_s / spare,
        "occupancy": load / agents,
        "load_erlangs": load,
        "stable": True,
        "message": None,
    }


# --------------------------------------------------------------------------
# Erlang A
# --------------------------------------------------------------------------
def erlang_a(
    calls: float,
    interval_s: float,
    aht_s: float,
    agents: int,
    threshold_s: float,
    patience_s: float,
) -> dict:
    """Erlang A (Palm, M/M/N+M) metrics: a queue whose callers may hang up.

    Parameters
    ----------
    calls : float
        Calls offered in the interval (>= 0).
    interval_s : float
        Interval length in seconds (> 0).
    aht_s : float
        Average handle time in seconds (> 0).
    agents : int
        Agents on the phones: a whole number >= 0 (see Notes).
    threshold_s : float
        Service-level threshold ``T`` in seconds (>= 0).
    patience_s : float
        Mean patience in seconds (> 0): each waiting caller hangs up after an
        exponential time with this mean (see :func:`estimate_patience`).
        ``math.inf`` gives the Erlang C result with ``p_abandon = 0``.

    Returns
    -------
    dict
        ``p_wait`` probability that a caller finds all agents busy;
        ``p_abandon`` probability that a caller hangs up before an answer;
        ``service_level`` probability that a caller is answered within
        ``threshold_s``, over all arrivals (abandons count against);
        ``asa_s`` mean time in queue over all arrivals, answered or
        abandoned; ``occupancy`` fraction of agent time busy;
        ``load_erlangs``; ``stable`` (always True: abandonment keeps the queue
        finite); ``message`` None.

    Notes
    -----
    Rates ``lambda = calls / interval_s``, ``mu = 1 / aht_s``,
    ``theta = 1 / patience_s``; ``A = lambda / mu``, ``x = N mu / theta``,
    ``y = lambda / theta``, ``rho = A / N`` and
    ``S(s, z) = e^z z^-s gamma(s, z) = sum_j z^j / (s (s+1) ... (s+j))``.
    Following Garnett, Mandelbaum and Reiman (2002) and Mandelbaum and Zeltyn
    (2007), with ``B = B(N, A)`` the Erlang B blocking probability and
    ``A(x, y) = x S(x, y)``:

    * ``p_wait = A(x, y) B / (1 + (A(x, y) - 1) B)``; ``pi_N = p_wait / A(x, y)``
      is the probability of exactly ``N`` callers in the system.
    * ``P(abandon | wait) = 1 / (rho A(x, y)) + 1 - 1 / rho`` and
      ``p_abandon = p_wait * P(abandon | wait)``. Equivalently (Little's law
      on the queue, ``pi_{N+j} = pi_N t_j`` with
      ``t_j = y^j / ((x+1) ... (x+j))``),
      ``P(abandon | wait) = sum_{j>=1} j t_j / (y A(x, y))``: a sum of positive
      terms, used when ``rho < 1`` and the two terms of the closed form
      cancel to below ``1e-3 (1 / rho - 1)`` (long patience, near Erlang C).
    * ``asa_s = p_abandon * patience_s`` (Little's law: ``E[W] = P(Ab) / theta``).
    * ``occupancy = A (1 - p_abandon) / N`` (answered work per agent; capped at
      1 against rounding in heavy overload).
    * The offered wait ``V`` (the wait of an infinitely patient caller) has
      density ``f(v) = N mu pi_N exp(y (1 - e^{-theta v}) - N mu v)`` for
      ``v > 0``; a caller is answered within ``T`` when ``V <= T`` and ``V`` is
      below its own patience, so
      ``service_level = 1 - p_abandon - P(answered, V > T)`` with
      ``P(answered, V > T) = int_T^inf e^{-theta v} f(v) dv
      = pi_N x exp(y (1 - e^{-theta T}) - (N mu + theta) T) S(x + 1, y e^{-theta T})``.

    As ``patience_s -> inf`` these tend to Erlang C (for ``N > A``). Agents
    must be whole: Erlang B is then exact for any load (the continuous
    extension is only needed for Erlang C's measured fractional staffing).
    Every quantity is carried as a logarithm (``log A(x, y)``, ``log(1/B)``,
    ``log pi_N``) and only probabilities are exponentiated, so loads of
    hundreds of thousands of Erlangs stay finite, with any number of agents.

    References
    ----------
    .. [1] O. Garnett, A. Mandelbaum, M. Reiman, "Designing a call center with
       impatient customers", Manufacturing & Service Operations Management
       4(3), 208-227, 2002.
    .. [2] A. Mandelbaum, S. Zeltyn, "Service engineering in action: the
       Palm/Erlang-A queue, with applications to call centers", in Advances in
       Services Innovations, Springer, 17-45, 2007.

    Examples
    --------
    >>> result = erlang_a(100, 1800, 180, agents=14, threshold_s=20, patience_s=300)
    >>> round(result["p_abandon"], 6), round(result["service_level"], 6)
    (0.013984, 0.916792)
    """
    calls, interval_s, aht_s, agents, threshold_s = _check_queue_inputs(
        calls, interval_s, aht_s, agents, threshold_s
    )
    agents = _check_integer_agents(agents)
    patience_s = float(patience_s)
    if not patience_s > 0:
        raise ValueError(f"patience_s must be > 0, got {patience_s!r}")
    if math.isinf(patience_s):
        result = erlang_c(calls, interval_s, aht_s, agents, threshold_s)
        return {"p_wait": result["p_wait"], "p_abandon": 0.0, **result}

    load = calls * aht_s / interval_s
    if load == 0.0:
        return {
            "p_wait": 0.0,
            "p_abandon": 0.0,
            "service_level": 1.0,
            "asa_s": 0.0,
            "occupancy": 0.0,
            "load_erlangs": 0.0,
            "stable": True,
            "message": None,
        }
    if agents == 0:
        # Nobody is ever answered; every caller waits until their patience runs out.
        return {
            "p_wait": 1.0,
            "p_abandon": 1.0,
            "service_level": 0.0,
            "asa_s": patience_s,
            "occupancy": math.nan,
            "load_erlangs": load,
            "stable": True,
            "message": None,
        }

    arrival_rate = calls / interval_s
    service_rate = 1.0 / aht_s
    abandon_rate = 1.0 / patience_s
    x = agents * service_rate / abandon_rate
    y = arrival_rate / abandon_rate
    rho = load / agents

    log_big_a = math.log(x) + _log_gamma_series(x, y)  # log A(x, y) >= 0
    log_inverse_b = _log_inverse_erlang_b(agents, load)  # log(1/B) > 0
    # 1 / p_wait = 1 + (1/B - 1) / A(x, y), with log(1/B - 1) = L + log(1 - e^-L)
    log_inverse_b_minus_one = log_inverse_b + math.log(-math.expm1(-log_inverse_b))
    log_p_wait = -float(np.logaddexp(0.0, log_inverse_b_minus_one - log_big_a))
    log_pi_n = log_p_wait - log_big_a

    p_wait = math.exp(log_p_wait)
    # 1 / (rho A(x, y)) as exp(-log A) / rho: A(x, y) itself overflows far below the load.
    abandon_given_wait = math.exp(-log_big_a) / rho + 1.0 - 1.0 / rho
    if rho < 1.0 and abandon_given_wait < _CANCELLATION * (1.0 / rho - 1.0):
        # Two nearly equal terms cancelled (long patience): the positive series instead.
        log_moment = _log_queue_moment(x, y)
        abandon_given_wait = math.exp(log_moment - math.log(y) - log_big_a)
    p_abandon = min(max(p_wait * abandon_given_wait, 0.0), 1.0)

    decay = -math.expm1(-abandon_rate * threshold_s)  # 1 - e^{-theta T}
    log_answered_after_t = (
        log_pi_n
        + math.log(x)
        + y * decay
        - (agents * service_rate + abandon_rate) * threshold_s
        + _log_gamma_series(x + 1.0, y * math.exp(-abandon_rate * threshold_s))
    )
    service_level = 1.0 - p_abandon - math.exp(log_answered_after_t)
    return {
        "p_wait": p_wait,
        "p_abandon": p_abandon,
        "service_level": min(max(service_level, 0.0), 1.0),
        "asa_s": p_abandon * patience_s,
        "occupancy": min(load * (1.0 - p_abandon) / agents, 1.0),
        "load_erlangs": load,
        "stable": True,
        "message": None,
    }


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


def estimate_patience(abandoned: float, total_wait_s: float) -> float:
    """Mean caller patience in seconds from abandons and total waiting time.

    Parameters
    ----------
    abandoned : float
        Number of callers who hung up while waiting (>= 0).
    total_wait_s : float
        Total seconds waited by all queued callers, answered and abandoned
        alike (>= 0).

    Returns
    -------
    float
        Estimated mean patience ``total_wait_s / abandoned``; ``inf`` when
        nobody abandoned (no evidence of impatience).

    Notes
    -----
    With exponential patience of rate ``theta``, an abandoned caller's wait is
    an observed patience time and an answered caller's wait a right-censored
    one. The censored-exponential log-likelihood
    ``abandoned * log(theta) - theta * total_wait_s`` is maximized at
    ``theta_hat = abandoned / total_wait_s``, so the patience mean is
    ``1 / theta_hat = total_wait_s / abandoned``. In Erlang A the same identity
    holds exactly in expectation: ``P(abandon) = theta * E[wait]``.

    References
    ----------
    .. [1] L. Brown, N. Gans, A. Mandelbaum, A. Sakov, H. Shen, S. Zeltyn,
       L. Zhao, "Statistical analysis of a telephone call center: a
       queueing-science perspective", JASA 100(469), 36-50, 2005.

    Examples
    --------
    >>> estimate_patience(abandoned=12, total_wait_s=3600)
    300.0
    """
    abandoned = _check_finite("abandoned", abandoned, minimum=0.0, strict=False)
    total_wait_s = _check_finite("total_wait_s", total_wait_s, minimum=0.0, strict=False)
    if abandoned == 0.0:
        return math.inf
    if total_wait_s == 0.0:
        raise ValueError("abandons with zero total waiting time: patience cannot be estimated")
    return total_wait_s / abandoned


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


# --------------------------------------------------------------------------
# "Was it staffing or something else?" -- model SL, attribution, classification
# --------------------------------------------------------------------------
#: The four parts of a service-level shortfall, in the order of the sequential
#: (one-at-a-time) attribution: demand first (volume, then handle time), then
#: supply (staffing), then what the queueing model does not explain.
EFFECTS = ("volume", "aht", "staffing", "unexplained")

#: Interval classes of :func:`classify_intervals` with their labels.
INTERVAL_CLASSES: dict[str, dict[str, str]] = {
    "no_calls": {"en": "no calls", "zh": "无来电"},
    "met_target": {"en": "met target", "zh": "达标"},
    "within_noise": {"en": "below target, within noise", "zh": "未达标，但在随机波动范围内"},
    "forecast_miss": {"en": "forecast miss", "zh": "预测偏差"},
    "schedule_gap": {"en": "schedule gap", "zh": "排班缺口"},
    "adherence_gap": {"en": "adherence gap", "zh": "出勤缺口"},
    "understaffed": {"en": "understaffed for the actual load", "zh": "实际话务量下人手不足"},
    "something_else": {"en": "something else", "zh": "其他原因"},
}
#: One-sentence explanation of each class (for tooltips and reports).
INTERVAL_CLASS_HELP: dict[str, dict[str, str]] = {
    "no_calls": {
        "en": "No calls arrived, so there is no service level.",
        "zh": "没有来电，无法计算服务水平。",
    },
    "met_target": {
        "en": "Measured service level at or above target.",
        "zh": "实测服务水平达到或超过目标。",
    },
    "within_noise": {
        "en": "Below target, but by less than the chance variation of so few calls.",
        "zh": "低于目标，但差距在来电量较少时的随机波动范围内。",
    },
    "forecast_miss": {
        "en": "More load (calls × handle time) arrived than forecast; the biggest part of the agent gap.",
        "zh": "实际话务负荷（来电量 × 处理时长）高于预测，是人手缺口的最大部分。",
    },
    "schedule_gap": {
        "en": "The schedule had fewer agents than the forecast needed.",
        "zh": "排班人数少于预测所需人数。",
    },
    "adherence_gap": {
        "en": "Fewer agents were on the phones than scheduled.",
        "zh": "实际在岗人数少于排班人数。",
    },
    "understaffed": {
        "en": "Fewer agents than the actual load needed (no forecast or schedule to say why).",
        "zh": "在岗人数少于实际话务所需（缺少预测或排班数据，无法细分原因）。",
    },
    "something_else": {
        "en": "Enough agents for the actual load, yet service level far below what the model expects.",
        "zh": "在岗人数足以应对实际话务，服务水平却远低于模型预期。",
    },
}
#: Classes that mean "missed the target beyond noise".
MISSED_CLASSES = (
    "forecast_miss",
    "schedule_gap",
    "adherence_gap",
    "understaffed",
    "something_else",
)

#: Notes :func:`staffing_inputs` may attach to its result (``table.attrs["notes"]``):
#: code -> English message (``{plan_queues}`` / ``{data_queues}`` are filled in).
INPUT_NOTES: dict[str, str] = {
    "plan_without_queues": (
        "The plan has no queues while the data has ({data_queues}): "
        "the data is compared with the plan over all queues together."
    ),
    "plan_other_queues": (
        "None of the plan's queues ({plan_queues}) is in the data ({data_queues}): "
        "the plan and the calls are not compared."
    ),
    "forecast_aht_from_baseline": (
        "The plan has a forecast volume but no forecast AHT: the volume effect uses the "
        "baseline AHT of each queue."
    ),
}

#: Names of the effects in the summary sentences.
_EFFECT_NAMES = {
    "volume": {"en": "volume", "zh": "话务量"},
    "aht": {"en": "handle time", "zh": "处理时长"},
    "staffing": {"en": "staffing", "zh": "人力"},
    "unexplained": {"en": "unexplained", "zh": "无法解释"},
}


def _uses_erlang_a(patience_s: float | None) -> bool:
    return patience_s is not None and math.isfinite(float(patience_s))


def model_service_level(
    calls: float,
    interval_s: float,
    aht_s: float,
    agents: float,
    threshold_s: float,
    patience_s: float | None = None,
) -> float:
    """Service level the queueing model predicts, for any real number of agents.

    Parameters
    ----------
    calls, interval_s, aht_s, threshold_s : float
        As in :func:`erlang_c`.
    agents : float
        Agents on the phones (>= 0), whole or fractional (a measured mean).
    patience_s : float, optional
        Mean patience in seconds. None or ``inf``: Erlang C; finite: Erlang A.

    Returns
    -------
    float
        The probability of being answered within ``threshold_s``.

    Notes
    -----
    Erlang C uses its continuous extension in ``agents`` (see :func:`erlang_c`);
    an unstable queue (``agents <= load``) gives 0. Erlang A is defined for
    whole agents only, so a fractional count ``N = k + f`` (``0 <= f < 1``)
    gets the linear interpolation ``(1 - f) SL(k) + f SL(k + 1)``; it equals
    Erlang A at whole counts and is continuous and increasing in ``N``.

    Examples
    --------
    >>> round(model_service_level(100, 1800, 180, 14, 20), 4)  # Erlang C, CCH example
    0.8884
    >>> round(model_service_level(100, 1800, 180, 14, 20, patience_s=300), 6)
    0.916792
    """
    if not _uses_erlang_a(patience_s):
        return erlang_c(calls, interval_s, aht_s, agents, threshold_s)["service_level"]
    agents = _check_finite("agents", agents, minimum=0.0, strict=False)
    lower = math.floor(agents)
    fraction = agents - lower
    low_sl = erlang_a(calls, interval_s, aht_s, lower, threshold_s, patience_s)["service_level"]
    if fraction == 0.0:
        return low_sl
    high_sl = erlang_a(calls, interval_s, aht_s, lower + 1, threshold_s, patience_s)[
        "service_level"
    ]
    return (1.0 - fraction) * low_sl + fraction * high_sl


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


def attribute_change(
    function: Callable[..., float],
    start: dict[str, float],
    end: dict[str, float],
    order: Sequence[str],
) -> dict:
    """Split ``function(end) - function(start)`` among its inputs, one at a time and by Shapley.

    Parameters
    ----------
    function : callable
        Takes the inputs named in ``order`` as keyword arguments, returns a number.
    start, end : dict
        Value of every input before and after the change.
    order : sequence of str
        The inputs, in the order the sequential attribution changes them.

    Returns
    -------
    dict
        ``start_value``, ``end_value``, ``sequential`` ({input: effect}: the
        change when this input moves from start to end after the inputs before
        it in ``order`` have moved) and ``shapley`` ({input: effect}: the
        average of the sequential effect over all orders). Both sets of effects
        sum to ``end_value - start_value``.

    Notes
    -----
    With ``v(S)`` the function evaluated with the inputs of ``S`` at their end
    values and the others at their start values, input ``i`` of ``n`` gets the
    Shapley value
    ``phi_i = sum_{S not containing i} |S|! (n - |S| - 1)! / n! [v(S + i) - v(S)]``
    (Shapley 1953), which does not depend on any order. ``v`` is evaluated
    once per subset (``2^n`` evaluations).

    References
    ----------
    .. [1] L. S. Shapley, "A value for n-person games", in Contributions to the
       Theory of Games II, Princeton University Press, 307-317, 1953.

    Examples
    --------
    >>> parts = attribute_change(lambda a, b: a * b, {"a": 1, "b": 1}, {"a": 2, "b": 3}, ["a", "b"])
    >>> parts["sequential"], parts["shapley"]
    ({'a': 1, 'b': 4}, {'a': 2.0, 'b': 3.0})
    """
    names = list(order)
    missing = [name for name in names if name not in start or name not in end]
    if missing:
        raise ValueError(f"start and end need a value for every input; missing {missing}")
    values: dict[frozenset, float] = {}

    def value(changed: frozenset) -> float:
        if changed not in values:
            arguments = {name: (end[name] if name in changed else start[name]) for name in names}
            values[changed] = function(**arguments)
        return values[changed]

    sequential: dict[str, float] = {}
    changed: frozenset = frozenset()
    for name in names:
        sequential[name] = value(changed | {name}) - value(changed)
        changed = changed | {name}
    count = len(names)
    shapley: dict[str, float] = {}
    for name in names:
        others = [other for other in names if other != name]
        total = 0.0
        for size in range(count):
            weight = math.factorial(size) * math.factorial(count - size - 1) / math.factorial(count)
            for subset in combinations(others, size):
                before = frozenset(subset)
                total += weight * (value(before | {name}) - value(before))
        shapley[name] = total
    return {
        "start_value": value(frozenset()),
        "end_value": value(frozenset(names)),
        "sequential": sequential,
        "shapley": shapley,
    }


def sl_noise_band(
    in_sl: ArrayLike, n: ArrayLike, confidence: float = 0.95
) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a measured service level (the noise band of one interval).

    Parameters
    ----------
    in_sl : array-like
        Calls in service level (the numerator, may be fractional after rounding).
    n : array-like
        Calls the service level rests on (its denominator, ``sl_base``).
    confidence : float, default 0.95
        Coverage of the interval.

    Returns
    -------
    (ndarray, ndarray)
        Lower and upper bounds; NaN where ``n`` is 0 or missing.

    Notes
    -----
    Wilson (1927) interval for a binomial proportion ``p = x / n`` with
    ``z = Phi^-1(1 - (1 - confidence) / 2)``:
    ``(p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n)``, computed by
    :func:`statsmodels.stats.proportion.proportion_confint`. Calls of one
    interval share the same queue, so their outcomes are positively
    correlated; the binomial band is then a lower bound on the true noise.

    References
    ----------
    .. [1] E. B. Wilson, "Probable inference, the law of succession, and
       statistical inference", JASA 22(158), 209-212, 1927.
    .. [2] L. D. Brown, T. T. Cai, A. DasGupta, "Interval estimation for a
       binomial proportion", Statistical Science 16(2), 101-133, 2001.

    Examples
    --------
    >>> low, high = sl_noise_band([8], [10])
    >>> round(float(low[0]), 4), round(float(high[0]), 4)
    (0.4902, 0.9433)
    """
    successes = np.asarray(in_sl, dtype=float)
    trials = np.asarray(n, dtype=float)
    valid = trials > 0
    safe_trials = np.where(valid, trials, 1.0)
    safe_successes = np.clip(np.where(valid, successes, 0.0), 0.0, safe_trials)
    low, high = proportion_confint(
        safe_successes, safe_trials, alpha=1.0 - confidence, method="wilson"
    )
    low = np.where(valid, low, np.nan)
    high = np.where(valid, high, np.nan)
    return low, high


def _has_values(frame: pd.DataFrame, column: str) -> bool:
    """Whether ``frame`` has ``column`` with at least one value (an all-missing column is absent)."""
    return column in frame.columns and bool(frame[column].notna().any())


def _queue_names(frame: pd.DataFrame) -> list[str]:
    return sorted(str(name) for name in frame["queue"].dropna().unique())


def _queue_keys(frame: pd.DataFrame, plan: pd.DataFrame | None) -> tuple[list[str], list[dict]]:
    """The key columns shared by the data and the plan, and the notes on how they line up."""
    if not _has_values(frame, "queue"):
        return [], []
    if plan is None or plan is frame:
        return ["queue"], []
    data_queues = _queue_names(frame)
    if not _has_values(plan, "queue"):
        note = _input_note("plan_without_queues", [], data_queues)
        return [], [note]
    plan_queues = _queue_names(plan)
    if not set(plan_queues) & set(data_queues):
        return ["queue"], [_input_note("plan_other_queues", plan_queues, data_queues)]
    return ["queue"], []


def _input_note(code: str, plan_queues: list[str], data_queues: list[str]) -> dict:
    message = INPUT_NOTES[code].format(
        plan_queues=", ".join(plan_queues), data_queues=", ".join(data_queues)
    )
    return {
        "code": code,
        "message": message,
        "plan_queues": plan_queues,
        "data_queues": data_queues,
    }


def _plan_table(plan: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Forecast and staffing per key and interval: sums, AHT weighted by forecast calls."""
    columns = ["forecast_offered", "forecast_aht_s", "scheduled_agents", "staffed_agents"]
    data = pd.DataFrame({"interval_start": pd.to_datetime(plan["interval_start"])})
    for key in keys:
        data[key] = plan[key].astype(str).to_numpy()
    for column in columns:
        if column in plan.columns:
            data[column] = pd.to_numeric(plan[column], errors="coerce").to_numpy(dtype=float)
        else:
            data[column] = np.nan
    data["forecast_handle_s"] = data["forecast_offered"] * data["forecast_aht_s"]
    grouped = data.groupby([*keys, "interval_start"], sort=True)
    table = grouped[
        ["forecast_offered", "forecast_handle_s", "scheduled_agents", "staffed_agents"]
    ].sum(min_count=1)
    table["forecast_aht_s"] = table["forecast_handle_s"] / table["forecast_offered"].where(
        table["forecast_offered"] > 0
    )
    # A forecast of 0 calls keeps its (unweighted) AHT so that the model can still run.
    plain_aht = grouped["forecast_aht_s"].mean()
    table["forecast_aht_s"] = table["forecast_aht_s"].fillna(plain_aht)
    return table.drop(columns="forecast_handle_s").reset_index()


def staffing_inputs(
    frame: pd.DataFrame,
    plan: pd.DataFrame | None = None,
    *,
    settings: KpiSettings | None = None,
    freq: str = "30min",
    expected_occupancy: float = 0.85,
) -> pd.DataFrame:
    """Demand, plan, staffing and measured service level per queue and interval.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or canonical intervals.
    plan : DataFrame, optional
        An interval frame with ``interval_start`` (and ``queue`` for a plan
        per queue) and any of ``forecast_offered``, ``forecast_aht_s``,
        ``scheduled_agents``, ``staffed_agents``. When omitted and ``frame`` is
        an interval frame, those columns of ``frame`` are used.
    settings : KpiSettings, optional
        Threshold, target and service-level formula.
    freq : str, default "30min"
        Interval length for call-level data (ignored for interval frames and
        when ``plan`` gives ``interval_minutes``).
    expected_occupancy : float, default 0.85
        Occupancy assumed when staffing must be estimated from call data.

    Returns
    -------
    DataFrame
        One row per (queue,) interval, sorted: ``queue`` (when the rows are
        per queue, see Notes),
        ``interval_start``, ``interval_s``, ``offered``, ``answered_in_sl``,
        ``sl_base``, ``measured_sl``, ``abandoned``, ``wait_s_total``
        (waits of answered and abandoned calls), ``handle_s_sum``,
        ``handle_n``, ``aht_s`` (measured, NaN without answered calls),
        ``aht_used_s`` (``aht_s``, else the forecast AHT, else the queue's
        mean AHT over the frame), ``forecast_offered``, ``forecast_aht_s``,
        ``scheduled_agents``, ``staffed_agents``, ``staffed_is_estimate``.
        ``table.attrs["notes"]`` lists how the data and the plan were lined
        up: dicts with ``code`` (a key of :data:`INPUT_NOTES`, for
        translation), ``message`` (English), ``plan_queues`` and
        ``data_queues`` (sorted queue names); empty when nothing needs saying.

    Notes
    -----
    Rows are per queue when ``frame`` has queue values; a ``queue`` column
    without any value (the loader keeps every canonical column, all-missing
    where the export lacks it) counts as absent. A plan must match: a plan
    without queue values beside calls with queues is compared with all
    queues together (the calls are summed over queues) and the note
    ``plan_without_queues`` says so; a plan per queue beside data without
    queues is summed over its queues (the only comparison possible, no
    note). When both have queues but share none, the rows are kept apart
    (the plan's queues get 0 calls, the data's queues no plan) and the note
    ``plan_other_queues`` names both sets.

    Measured values come from :func:`ccmetrics.kpi.compute` (calls by arrival
    interval). Plan rows of finer dimensions are summed per queue and
    interval; the forecast AHT is weighted by forecast calls. Where
    ``staffed_agents`` is unknown it is estimated as busy agent-time ÷
    expected occupancy, ``handle_s_sum / interval_s / expected_occupancy``
    (handle time of the calls arriving in the interval), and
    ``staffed_is_estimate`` is True.

    Examples
    --------
    >>> intervals = pd.DataFrame({"interval_start": pd.to_datetime(["2025-01-06 09:00"]),
    ...     "interval_minutes": [30.0], "offered": [100.0], "answered": [95.0],
    ...     "answered_in_sl": [80.0], "short_abandoned": [0.0], "handle_s_sum": [17100.0],
    ...     "staffed_agents": [14.0]})
    >>> row = staffing_inputs(intervals).iloc[0]
    >>> float(row.measured_sl), float(row.aht_s), bool(row.staffed_is_estimate)
    (0.8, 180.0, False)
    >>> per_queue = intervals.assign(queue="Sales", staffed_agents=float("nan"))
    >>> plan = intervals[["interval_start", "interval_minutes", "staffed_agents"]]
    >>> staffing_inputs(per_queue, plan).attrs["notes"][0]["code"]
    'plan_without_queues'
    """
    settings = settings or KpiSettings()
    if not 0.0 < expected_occupancy <= 1.0:
        raise ValueError(f"expected_occupancy must be in (0, 1], got {expected_occupancy!r}")
    kind = frame_kind(frame)
    if plan is None and kind == "intervals":
        plan = frame
    if kind == "calls":
        ended_in_ivr = ivr_only_rows(frame)
        if ended_in_ivr.any():
            # calls that ended in the IVR reached no queue: they need no agent
            frame = frame[~ended_in_ivr]
    keys, notes = _queue_keys(frame, plan)
    if kind == "intervals":
        minutes = float(pd.to_numeric(frame["interval_minutes"], errors="coerce").max())
    elif plan is not None and "interval_minutes" in plan.columns:
        minutes = float(pd.to_numeric(plan["interval_minutes"], errors="coerce").max())
    else:
        minutes = pd.Timedelta(pd.tseries.frequencies.to_offset(freq)).total_seconds() / 60.0
    if not (math.isfinite(minutes) and minutes > 0):
        raise ValueError("cannot tell the interval length: give interval_minutes or freq")
    interval_s = minutes * 60.0

    kpis = compute(
        frame, by=keys or None, freq=f"{minutes:g}min", settings=settings, keep_sums=True
    )
    table = pd.DataFrame(
        {"interval_start": pd.to_datetime(kpis["period"]).astype("datetime64[ns]")}
    )
    for key in keys:
        table.insert(0, key, kpis[key].astype(str).to_numpy())
    table["offered"] = kpis["offered"].to_numpy(dtype=float)
    table["sl_base"] = kpis["sl_base"].to_numpy(dtype=float)
    table["measured_sl"] = kpis["service_level"].to_numpy(dtype=float)
    table["answered_in_sl"] = table["measured_sl"] * table["sl_base"]
    table["abandoned"] = kpis["abandoned__sum"].to_numpy(dtype=float)
    table["wait_s_total"] = np.nansum(
        [kpis["wait_s_sum__sum"].to_numpy(float), kpis["abandon_wait_s_sum__sum"].to_numpy(float)],
        axis=0,
    )
    table["handle_s_sum"] = kpis["handle_s_sum__sum"].to_numpy(dtype=float)
    table["handle_n"] = kpis["handle_n__sum"].to_numpy(dtype=float)
    table["aht_s"] = kpis["aht_s"].to_numpy(dtype=float)

    if plan is not None:
        planned = _plan_table(plan, keys)
        planned["interval_start"] = planned["interval_start"].astype("datetime64[ns]")
        table = planned.merge(table, on=[*keys, "interval_start"], how="outer")
        table["offered"] = table["offered"].fillna(0.0)
    else:
        for column in ("forecast_offered", "forecast_aht_s", "scheduled_agents", "staffed_agents"):
            table[column] = np.nan
    table = table.sort_values([*keys, "interval_start"]).reset_index(drop=True)
    table.insert(len(keys) + 1, "interval_s", interval_s)

    if keys:
        totals = table.groupby(keys)[["handle_s_sum", "handle_n"]].transform("sum")
        handle_total, handle_count = totals["handle_s_sum"], totals["handle_n"]
    else:
        handle_total = pd.Series(table["handle_s_sum"].sum(), index=table.index)
        handle_count = pd.Series(table["handle_n"].sum(), index=table.index)
    mean_aht = handle_total / handle_count.where(handle_count > 0)
    table["aht_used_s"] = table["aht_s"].fillna(table["forecast_aht_s"]).fillna(mean_aht)
    busy_agents = table["handle_s_sum"].where(table["offered"] > 0, 0.0) / interval_s
    estimate = busy_agents / expected_occupancy
    table["staffed_is_estimate"] = table["staffed_agents"].isna()
    table["staffed_agents"] = table["staffed_agents"].fillna(estimate)
    order = [
        *keys,
        "interval_start",
        "interval_s",
        "offered",
        "answered_in_sl",
        "sl_base",
        "measured_sl",
        "abandoned",
        "wait_s_total",
        "handle_s_sum",
        "handle_n",
        "aht_s",
        "aht_used_s",
        "forecast_offered",
        "forecast_aht_s",
        "scheduled_agents",
        "staffed_agents",
        "staffed_is_estimate",
    ]
    table = table[order]
    table.attrs["notes"] = notes
    return table


def _patience_by_row(table: pd.DataFrame, keys: list[str], model: str, patience_s) -> np.ndarray:
    """Mean patience for each row: inf for Erlang C, else given or estimated per queue."""
    if model == "erlang_c":
        return np.full(len(table), math.inf)
    if model != "erlang_a":
        raise ValueError(f'model must be "erlang_a" or "erlang_c", got {model!r}')
    if isinstance(patience_s, dict):
        if not keys:
            raise ValueError("patience_s as a dict needs data with a 'queue' column")
        values = table[keys[0]].map(patience_s)
        if values.isna().any():
            missing = sorted(set(table.loc[values.isna(), keys[0]]))
            raise ValueError(f"patience_s gives no value for queues {missing}")
        return values.to_numpy(dtype=float)
    if patience_s is not None:
        value = float(patience_s)
        if not value > 0:
            raise ValueError(f"patience_s must be > 0, got {patience_s!r}")
        return np.full(len(table), value)

    def estimate(group: pd.DataFrame) -> float:
        abandoned = float(np.nansum(group["abandoned"]))
        waited = float(np.nansum(group["wait_s_total"]))
        if not np.isfinite(group["abandoned"]).any() or abandoned == 0.0 or waited == 0.0:
            return math.inf
        return estimate_patience(abandoned, waited)

    if not keys:
        return np.full(len(table), estimate(table))
    per_queue = {name: estimate(group) for name, group in table.groupby(keys[0])}
    return table[keys[0]].map(per_queue).to_numpy(dtype=float)


def _why_row(
    row: dict,
    target: float,
    threshold_s: float,
    patience_s: float,
    efficiency: float = 1.0,
    baseline_aht_s: float = math.nan,
) -> dict:
    """Required agents, model service levels and the attribution of one interval.

    The model runs on effective agents (``efficiency`` × logged-in agents);
    agent counts are reported in logged-in agents again (÷ ``efficiency``).
    A forecast volume without a forecast AHT is paired with ``baseline_aht_s``.
    """
    interval_s = row["interval_s"]
    offered = row["offered"]
    aht = row["aht_used_s"]
    staffed = row["staffed_agents"] * efficiency
    scheduled = row["scheduled_agents"] * efficiency
    forecast_calls, forecast_aht = row["forecast_offered"], row["forecast_aht_s"]
    if np.isfinite(forecast_calls) and not (np.isfinite(forecast_aht) and forecast_aht > 0):
        forecast_aht = baseline_aht_s
    erlang = "erlang_a" if _uses_erlang_a(patience_s) else "erlang_c"
    out = {
        "patience_s": patience_s,
        "model": erlang,
        "required_forecast": math.nan,
        "required_actual": math.nan,
        "needed_forecast": math.nan,
        "needed_actual": math.nan,
        "planned_sl": math.nan,
        "model_sl": math.nan,
        **{
            f"seq_{name}": math.nan
            for name in ("volume", "aht", "staffing", "schedule", "adherence")
        },
        **{f"shapley_{name}": math.nan for name in ("volume", "aht", "staffing")},
        "unexplained": math.nan,
    }

    def sl(calls: float, aht_s: float, agents: float) -> float:
        return model_service_level(calls, interval_s, aht_s, agents, threshold_s, patience_s)

    def needed(calls: float, aht_s: float) -> tuple[int, float]:
        """Effective agents meeting the target: (whole logged-in agents, exact effective)."""
        exact = agents_for_target(calls, interval_s, aht_s, target, threshold_s, patience_s)
        if efficiency == 1.0:
            whole = agents_required(
                calls, interval_s, aht_s, target, threshold_s, model=erlang, patience_s=patience_s
            )
        else:
            whole = math.ceil(exact / efficiency - 1e-9)
        return whole, exact

    has_forecast = bool(
        np.isfinite(forecast_calls) and np.isfinite(forecast_aht) and forecast_aht > 0
    )
    if has_forecast:
        out["required_forecast"], out["needed_forecast"] = needed(forecast_calls, forecast_aht)
        if np.isfinite(scheduled):
            out["planned_sl"] = sl(forecast_calls, forecast_aht, scheduled)
    if not (np.isfinite(aht) and aht > 0):
        return _in_logged_in_agents(out, efficiency)
    out["required_actual"], out["needed_actual"] = needed(offered, aht)
    if not np.isfinite(staffed):
        return _in_logged_in_agents(out, efficiency)
    out["model_sl"] = sl(offered, aht, staffed)
    if not (offered > 0 and np.isfinite(row["measured_sl"])):
        return _in_logged_in_agents(out, efficiency)

    if has_forecast:
        order = ["calls", "aht_s", "agents"]
        start = {"calls": forecast_calls, "aht_s": forecast_aht, "agents": out["needed_forecast"]}
    else:
        order = ["agents"]
        start = {"calls": offered, "aht_s": aht, "agents": out["needed_actual"]}
    end = {"calls": offered, "aht_s": aht, "agents": staffed}
    parts = attribute_change(
        lambda **inputs: sl(
            inputs.get("calls", start["calls"]),
            inputs.get("aht_s", start["aht_s"]),
            inputs["agents"],
        ),
        start,
        end,
        order,
    )
    names = {"calls": "volume", "aht_s": "aht", "agents": "staffing"}
    for name in order:
        out[f"seq_{names[name]}"] = parts["sequential"][name]
        out[f"shapley_{names[name]}"] = parts["shapley"][name]
    if np.isfinite(scheduled):
        at_schedule = sl(offered, aht, scheduled)
        out["seq_schedule"] = at_schedule - sl(offered, aht, start["agents"])
        out["seq_adherence"] = out["model_sl"] - at_schedule
    out["unexplained"] = row["measured_sl"] - out["model_sl"]
    return _in_logged_in_agents(out, efficiency)


def _in_logged_in_agents(out: dict, efficiency: float) -> dict:
    """The exact agent needs of :func:`_why_row` in logged-in agents (effective ÷ efficiency)."""
    for column in ("needed_forecast", "needed_actual"):
        out[column] = out[column] / efficiency
    return out


# --------------------------------------------------------------------------
# Calibration: how many of the logged-in agents the queueing model should count
# --------------------------------------------------------------------------
#: Search range of an efficiency (effective agents per logged-in agent).
EFFICIENCY_RANGE = (0.2, 3.0)
#: Modified z-score above which a day's efficiency is an outlier (Iglewicz-Hoaglin).
CALIBRATION_OUTLIER_Z = 3.5


@dataclass
class Calibration:
    """The queueing model fitted to a center's ordinary days (see :func:`calibrate`).

    Attributes
    ----------
    efficiency : dict
        ``{queue: e}``: effective agents per logged-in agent, per queue (key
        ``""`` when the data has no queues).
    overall : float
        Mean of the ordinary days' efficiencies (all queues, weighted by
        staffed agent-hours): the share of logged-in time the model counts as
        on the phones.
    low, high : float
        95 % confidence interval of ``overall`` (t interval over the days).
    days : int
        Ordinary days the calibration rests on.
    skipped : list of dict
        Days left out: ``date`` (ISO), ``reason`` ("excluded": given as out of
        control; "outlier": its own efficiency is an outlier), ``efficiency``.
    baseline_aht_s : dict
        ``{queue: seconds}``: mean handle time of the ordinary days.
    daily : DataFrame
        ``date``, ``efficiency``, ``used`` per day (for charts and tests).
    """

    efficiency: dict
    overall: float
    low: float
    high: float
    days: int
    skipped: list = field(default_factory=list)
    baseline_aht_s: dict = field(default_factory=dict)
    daily: pd.DataFrame | None = None

    def for_queue(self, queue) -> float:
        """Efficiency of ``queue`` (the overall one for a queue not calibrated)."""
        value = self.efficiency.get(str(queue), math.nan)
        return float(value) if np.isfinite(value) else float(self.overall)


def _day_efficiency(rows: pd.DataFrame, threshold_s: float, patience: np.ndarray) -> float:
    """Efficiency at which the model's SL of a queue-day equals its measured SL (weighted by n)."""
    n = rows["sl_base"].to_numpy(float)
    measured = float(np.dot(n, rows["measured_sl"].to_numpy(float)))
    calls = rows["offered"].to_numpy(float)
    aht = rows["aht_used_s"].to_numpy(float)
    agents = rows["staffed_agents"].to_numpy(float)
    interval_s = rows["interval_s"].to_numpy(float)

    def gap(e: float) -> float:
        model = sum(
            weight * model_service_level(v, t, h, e * a, threshold_s, p)
            for weight, v, t, h, a, p in zip(
                n, calls, interval_s, aht, agents, patience, strict=True
            )
        )
        return model - measured

    low, high = EFFICIENCY_RANGE
    at_low, at_high = gap(low), gap(high)
    if at_low >= 0 or at_high <= 0:
        return math.nan  # the model cannot reach the measured SL in the range
    return float(brentq(gap, low, high, xtol=2e-3))


def calibrate(
    frame: pd.DataFrame,
    plan: pd.DataFrame | None = None,
    *,
    settings: KpiSettings | None = None,
    model: str = "erlang_a",
    patience_s: float | dict | None = None,
    exclude_days: Iterable = (),
    max_days: int | None = 42,
    freq: str = "30min",
    expected_occupancy: float = 0.85,
) -> Calibration:
    """Fit the queueing model to the center: effective agents per logged-in agent, per queue.

    Parameters
    ----------
    frame, plan, settings, model, patience_s, freq, expected_occupancy
        As in :func:`why_intervals` (pass the whole history, not one day).
    exclude_days : iterable of dates, optional
        Days known to be out of control (e.g. the control chart's signals):
        never used.
    max_days : int or None, default 42
        Calibrate on the most recent days with data only (None: every day);
        the efficiency is a property of the center, six weeks pin it down
        and keep the cost near one second.

    Returns
    -------
    Calibration
        Per-queue efficiencies, the overall one with its 95 % interval, the
        ordinary days used, the days skipped and why, the baseline AHT.

    Notes
    -----
    Logged-in agents are not all on the phones (breaks, back office, system
    time), so the queueing model ``g(V, H, N)`` of :func:`model_service_level`
    is too optimistic with ``N`` = staffed agents, and every deviation would
    land in "unexplained". For each queue and day the efficiency ``e`` solves

    ``sum_i n_i g(V_i, H_i, e N_i) = sum_i n_i SL_i``

    (intervals ``i`` with calls, ``n_i`` the SL base) by Brent's method on
    ``[0.2, 3]``. A day's efficiency is the staffed-hour-weighted mean of its
    queues'. Days given in ``exclude_days`` and days whose efficiency is an
    outlier (modified z-score ``|e - median| / (1.4826 MAD) > 3.5``, Iglewicz
    and Hoaglin 1993) are skipped. A queue's efficiency is the n-weighted
    mean over the ordinary days; ``overall`` is the mean of the ordinary days'
    efficiencies with the t interval ``mean ± t(0.975, k-1) sd / sqrt(k)``.
    A staffing shortfall, a surge or a longer handle time leaves ``e``
    unchanged (the model sees them), so such days calibrate like any other;
    what the model cannot see shows up as an outlying ``e``. Staffing
    estimated from busy time is not calibrated (efficiency 1, ``days`` 0).

    Examples
    --------
    >>> intervals = pd.DataFrame({"interval_start": pd.to_datetime(
    ...     ["2025-01-06 09:00", "2025-01-07 09:00"]), "interval_minutes": [30.0] * 2,
    ...     "offered": [100.0] * 2, "answered": [100.0] * 2, "answered_in_sl": [80.0] * 2,
    ...     "short_abandoned": [0.0] * 2, "handle_s_sum": [18000.0] * 2,
    ...     "staffed_agents": [20.0] * 2})
    >>> fit = calibrate(intervals, model="erlang_c")
    >>> n_star = agents_for_target(100, 1800, 180, 0.8, 20)  # 13.04 agents give 80 %
    >>> fit.days, abs(fit.overall * 20 - n_star) < 0.05
    (2, True)
    """
    settings = settings or KpiSettings()
    threshold_s = settings.sl_threshold_s
    table = staffing_inputs(
        frame, plan, settings=settings, freq=freq, expected_occupancy=expected_occupancy
    )
    keys = ["queue"] if "queue" in table.columns else []
    table["_patience"] = _patience_by_row(table, keys, model, patience_s)
    table["date"] = pd.to_datetime(table["interval_start"]).dt.normalize()
    table["_queue"] = table[keys[0]].astype(str) if keys else ""
    usable = (
        (table["sl_base"] > 0)
        & table["measured_sl"].notna()
        & (table["aht_used_s"] > 0)
        & (table["staffed_agents"] > 0)
        & ~table["staffed_is_estimate"].astype(bool)
    )
    rows = table[usable]
    if max_days is not None:
        recent = np.sort(rows["date"].unique())[-int(max_days) :]
        rows = rows[rows["date"].isin(recent)]
    empty = pd.DataFrame({"date": [], "efficiency": [], "used": []})
    if rows.empty:
        return Calibration({}, 1.0, math.nan, math.nan, 0, [], {}, empty)
    per_queue = []
    for (queue, date), group in rows.groupby(["_queue", "date"], sort=True):
        per_queue.append(
            {
                "queue": queue,
                "date": date,
                "efficiency": _day_efficiency(group, threshold_s, group["_patience"].to_numpy()),
                "n": float(group["sl_base"].sum()),
                "hours": float((group["staffed_agents"] * group["interval_s"]).sum() / 3600),
                "handle_s": float(group["handle_s_sum"].sum()),
                "handle_n": float(group["handle_n"].sum()),
            }
        )
    fits = pd.DataFrame(per_queue)
    fits = fits[np.isfinite(fits["efficiency"])]
    fits["_weighted"] = fits["efficiency"] * fits["hours"]
    by_day = fits.groupby("date", sort=True)
    daily = (by_day["_weighted"].sum() / by_day["hours"].sum()).rename("efficiency").reset_index()
    excluded = {pd.Timestamp(day).normalize() for day in exclude_days}
    values = daily["efficiency"].to_numpy(float)
    reason = np.where(daily["date"].isin(excluded), "excluded", "")
    candidates = reason == ""
    if candidates.sum() >= 3:
        center = float(np.median(values[candidates]))
        spread = 1.4826 * float(np.median(np.abs(values[candidates] - center)))
        outlier = candidates & (np.abs(values - center) > CALIBRATION_OUTLIER_Z * max(spread, 1e-6))
        reason = np.where(outlier, "outlier", reason)
    daily["used"] = reason == ""
    skipped = [
        {
            "date": row.date.strftime("%Y-%m-%d"),
            "reason": str(why),
            "efficiency": float(row.efficiency),
        }
        for row, why in zip(daily.itertuples(), reason, strict=True)
        if why
    ]
    used_days = set(daily.loc[daily["used"], "date"])
    ordinary = fits[fits["date"].isin(used_days)]
    if ordinary.empty:
        return Calibration({}, 1.0, math.nan, math.nan, 0, skipped, {}, daily)
    efficiency, baseline_aht = {}, {}
    for queue, group in ordinary.groupby("queue", sort=True):
        efficiency[queue] = float(np.average(group["efficiency"], weights=group["n"]))
        count = group["handle_n"].sum()
        baseline_aht[queue] = float(group["handle_s"].sum() / count) if count > 0 else math.nan
    used = daily.loc[daily["used"], "efficiency"].to_numpy(float)
    overall = float(used.mean())
    if used.size >= 2:
        half = float(stats_t.ppf(0.975, used.size - 1) * used.std(ddof=1) / math.sqrt(used.size))
    else:
        half = math.nan
    return Calibration(
        efficiency=efficiency,
        overall=overall,
        low=overall - half,
        high=overall + half,
        days=int(used.size),
        skipped=skipped,
        baseline_aht_s=baseline_aht,
        daily=daily,
    )


def _calibration_by_row(
    table: pd.DataFrame, keys: list[str], calibration: Calibration | None
) -> tuple[np.ndarray, np.ndarray]:
    """Efficiency and baseline AHT of every row of a :func:`staffing_inputs` table."""
    queues = table[keys[0]].astype(str) if keys else pd.Series("", index=table.index)
    if calibration is not None and calibration.days > 0:
        efficiency = queues.map(calibration.for_queue).to_numpy(float)
        baseline = queues.map(calibration.baseline_aht_s).to_numpy(float)
    else:
        efficiency = np.ones(len(table))
        baseline = np.full(len(table), np.nan)
    # no baseline from the calibration: the queue's mean AHT over the table
    handle = table.groupby(queues)["handle_s_sum"].transform("sum")
    count = table.groupby(queues)["handle_n"].transform("sum")
    mean_aht = (handle / count.where(count > 0)).to_numpy(float)
    baseline = np.where(np.isfinite(baseline), baseline, mean_aht)
    return efficiency, baseline


def why_intervals(
    frame: pd.DataFrame,
    plan: pd.DataFrame | None = None,
    *,
    settings: KpiSettings | None = None,
    model: str = "erlang_a",
    patience_s: float | dict | None = None,
    freq: str = "30min",
    expected_occupancy: float = 0.85,
    confidence: float = 0.95,
    calibration: Calibration | None = None,
) -> pd.DataFrame:
    """Was it staffing or something else? Per queue and interval: needs, staffing, model vs measured SL.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls or intervals: pass the day(s) to explain (the whole
        history also works, at about 1 ms per queue-interval).
    plan : DataFrame, optional
        Forecast and staffing per (queue,) interval, see :func:`staffing_inputs`.
    settings : KpiSettings, optional
        ``sl_target``, ``sl_threshold_s`` and the service-level formula.
    model : {"erlang_a", "erlang_c"}
        Queueing model. Erlang A (default) lets callers hang up, which keeps
        overloaded intervals realistic; without abandons it is Erlang C.
    patience_s : float or dict, optional
        Mean patience (s) for Erlang A, one number or ``{queue: seconds}``.
        Default: estimated per queue from ``frame`` with
        :func:`estimate_patience` (abandons ÷ total waiting time).
    freq : str, default "30min"
        Interval length of call-level data without a plan.
    expected_occupancy : float, default 0.85
        For staffing estimated from call data (see :func:`staffing_inputs`).
    confidence : float, default 0.95
        Coverage of the noise band :func:`sl_noise_band`.
    calibration : Calibration, optional
        The center's efficiency per queue (:func:`calibrate`): the model then
        runs on ``efficiency × staffed`` effective agents, and a forecast
        volume without a forecast AHT is paired with the calibration's
        baseline AHT. Default: every logged-in agent on the phones
        (efficiency 1) and, for a forecast without AHT, the queue's mean AHT
        over ``frame``.

    Returns
    -------
    DataFrame
        The columns of :func:`staffing_inputs` and, per row:

        - ``efficiency``: effective agents per logged-in agent (1 without a
          calibration); ``forecast_aht_is_baseline``: the forecast had no AHT
          and the baseline AHT stands in for it;

        - ``target_sl``, ``threshold_s``, ``patience_s``, ``model`` (the model
          used: "erlang_c" when patience is infinite);
        - ``required_forecast``, ``required_actual``: whole agents meeting the
          target at forecast and at actual volume and AHT
          (:func:`agents_required`); ``needed_forecast``, ``needed_actual``:
          the exact real-valued counts (:func:`agents_for_target`);
        - ``planned_sl``: the model's SL of the plan (forecast load, scheduled
          agents); ``model_sl``: the model's SL at the actual load with the
          agents staffed, beside ``measured_sl``;
        - ``seq_volume``, ``seq_aht``, ``seq_staffing``: the shortfall
          ``measured_sl - target_sl`` changed one input at a time in that
          order, with ``seq_staffing = seq_schedule + seq_adherence``;
          ``shapley_volume``, ``shapley_aht``, ``shapley_staffing``: the
          order-free Shapley split; ``unexplained = measured_sl - model_sl``;
        - ``sl_low``, ``sl_high``: noise band of ``measured_sl``;
          ``interval_class``: see :func:`classify_intervals`.

        Effects are fractions of service level (−0.10 = ten points lost);
        NaN where the input is missing (no forecast: volume and AHT effects;
        no calls: every effect). ``attrs["notes"]`` as in
        :func:`staffing_inputs` (e.g. a plan without queues).

    Notes
    -----
    With ``g(V, H, N)`` the model's SL (:func:`model_service_level`), forecast
    calls and AHT ``V_f, H_f``, actual ``V, H``, ``N* = needed_forecast`` (so
    that ``g(V_f, H_f, N*) = target`` exactly), scheduled ``N_sch`` and
    staffed ``N``:

    - volume ``= g(V, H_f, N*) - target``; AHT ``= g(V, H, N*) - g(V, H_f, N*)``;
      staffing ``= g(V, H, N) - g(V, H, N*)``, split into schedule
      ``g(V, H, N_sch) - g(V, H, N*)`` and adherence ``g(V, H, N) - g(V, H, N_sch)``;
      unexplained ``= measured - g(V, H, N)``. They sum to ``measured - target``.
    - Shapley: each of volume, AHT, staffing averaged over the six orders
      (:func:`attribute_change`); the unexplained part is the same.

    Without a forecast the start is the actual load with ``N* = needed_actual``,
    and the shortfall splits into staffing and unexplained only. With a
    calibration every agent count ``N`` enters ``g`` as ``e N`` (``e`` the
    queue's efficiency); ``needed_*`` and ``required_*`` are given back in
    logged-in agents (``N* / e``, rounded up for whole agents).

    Examples
    --------
    >>> intervals = pd.DataFrame({"interval_start": pd.to_datetime(["2025-01-06 09:00"]),
    ...     "interval_minutes": [30.0], "offered": [120.0], "answered": [120.0],
    ...     "answered_in_sl": [60.0], "short_abandoned": [0.0], "handle_s_sum": [21600.0],
    ...     "forecast_offered": [100.0], "forecast_aht_s": [180.0],
    ...     "scheduled_agents": [14.0], "staffed_agents": [14.0]})
    >>> row = why_intervals(intervals, model="erlang_c").iloc[0]
    >>> int(row.required_forecast), int(row.required_actual), row.interval_class
    (14, 16, 'forecast_miss')
    """
    settings = settings or KpiSettings()
    target, threshold_s = settings.sl_target, settings.sl_threshold_s
    table = staffing_inputs(
        frame, plan, settings=settings, freq=freq, expected_occupancy=expected_occupancy
    )
    keys = ["queue"] if "queue" in table.columns else []
    patience = _patience_by_row(table, keys, model, patience_s)
    efficiency, baseline_aht = _calibration_by_row(table, keys, calibration)
    no_forecast_aht = np.isfinite(table["forecast_offered"].to_numpy(float)) & ~(
        table["forecast_aht_s"].to_numpy(float) > 0
    )
    records = table.to_dict("records")
    rows = [
        _why_row(
            record,
            target,
            threshold_s,
            patience[index],
            efficiency[index],
            baseline_aht[index],
        )
        for index, record in enumerate(records)
    ]
    table = table.assign(efficiency=efficiency, forecast_aht_is_baseline=no_forecast_aht)
    if no_forecast_aht.any():
        table.attrs["notes"] = [
            *table.attrs["notes"],
            _input_note("forecast_aht_from_baseline", [], []),
        ]
    result = pd.concat([table, pd.DataFrame(rows, index=table.index)], axis=1)
    result.insert(result.columns.get_loc("patience_s"), "target_sl", target)
    result.insert(result.columns.get_loc("patience_s"), "threshold_s", threshold_s)
    result["sl_low"], result["sl_high"] = sl_noise_band(
        result["answered_in_sl"], result["sl_base"], confidence
    )
    result["interval_class"] = classify_intervals(result)
    result.attrs["notes"] = table.attrs["notes"]
    return result


def classify_intervals(table: pd.DataFrame) -> pd.Series:
    """Name the reason each interval missed its target, or say it did not (beyond noise).

    Parameters
    ----------
    table : DataFrame
        Columns ``measured_sl``, ``sl_base``, ``sl_high`` (upper noise bound),
        ``target_sl``, ``model_sl``, ``needed_forecast``, ``needed_actual``,
        ``scheduled_agents``, ``staffed_agents`` (as made by :func:`why_intervals`).

    Returns
    -------
    Series of str
        One code of :data:`INTERVAL_CLASSES` per row, same index.

    Notes
    -----
    In this order:

    1. ``no_calls``: no measured service level (``sl_base`` 0 or missing).
    2. ``met_target``: ``measured_sl >= target_sl``.
    3. ``within_noise``: below target, but the upper noise bound reaches it
       (one unlucky interval is not blamed on anyone).
    4. ``something_else``: missed beyond noise although the agents staffed
       were enough for the actual load (``model_sl >= target_sl``): the SL is
       far below what the model expects.
    5. Otherwise the interval was understaffed for its actual load. The agent
       deficit splits exactly into three gaps,
       ``needed_actual - staffed = (needed_actual - needed_forecast)
       + (needed_forecast - scheduled) + (scheduled - staffed)``, and the
       largest names the class: ``forecast_miss`` (the load was above
       forecast), ``schedule_gap`` (the schedule did not cover the forecast),
       ``adherence_gap`` (fewer agents on the phones than scheduled). Without
       a forecast or a schedule the class is ``understaffed``.

    Examples
    --------
    >>> row = pd.DataFrame({"measured_sl": [0.55], "sl_base": [200.0], "sl_high": [0.62],
    ...     "target_sl": [0.8], "model_sl": [0.5], "needed_forecast": [13.4],
    ...     "needed_actual": [13.6], "scheduled_agents": [14.0], "staffed_agents": [10.0]})
    >>> classify_intervals(row).tolist()
    ['adherence_gap']
    """
    measured = table["measured_sl"].to_numpy(dtype=float)
    base = table["sl_base"].to_numpy(dtype=float)
    high = table["sl_high"].to_numpy(dtype=float)
    target = table["target_sl"].to_numpy(dtype=float)
    model_sl = table["model_sl"].to_numpy(dtype=float)
    gaps = np.column_stack(
        [
            table["needed_actual"].to_numpy(float) - table["needed_forecast"].to_numpy(float),
            table["needed_forecast"].to_numpy(float) - table["scheduled_agents"].to_numpy(float),
            table["scheduled_agents"].to_numpy(float) - table["staffed_agents"].to_numpy(float),
        ]
    )
    gap_names = np.array(["forecast_miss", "schedule_gap", "adherence_gap"], dtype=object)
    splittable = np.isfinite(gaps).all(axis=1)
    largest = gap_names[np.argmax(np.where(np.isfinite(gaps), gaps, -np.inf), axis=1)]
    understaffed = np.where(splittable, largest, "understaffed")

    no_calls = ~(base > 0) | np.isnan(measured)
    met = ~no_calls & (measured >= target)
    noise = ~no_calls & ~met & (high >= target)
    missed = ~no_calls & ~met & ~noise
    enough = missed & (model_sl >= target)
    classes = np.select(
        [no_calls, met, noise, enough, missed],
        ["no_calls", "met_target", "within_noise", "something_else", understaffed],
        default="understaffed",
    )
    return pd.Series(classes, index=table.index, name="interval_class", dtype=object)


def why_day(table: pd.DataFrame, by: str | list[str] | None = None) -> pd.DataFrame:
    """Roll the interval analysis of :func:`why_intervals` up to days (optionally per queue).

    Parameters
    ----------
    table : DataFrame
        Output of :func:`why_intervals`.
    by : str or list of str, optional
        Extra grouping columns, e.g. "queue". Default: all queues together.

    Returns
    -------
    DataFrame
        One row per date (and group): ``date``, ``intervals``, ``offered``,
        ``forecast_offered``, ``aht_s`` (actual, Σ handle ÷ handled calls),
        ``forecast_aht_s`` (weighted by forecast calls), agent-hours
        ``required_forecast_hours``, ``required_actual_hours``,
        ``scheduled_hours``, ``staffed_hours``, ``staffed_is_estimate`` (any
        interval estimated), ``sl_base``, ``measured_sl``, ``model_sl``,
        ``planned_sl``, ``target_sl``, ``shortfall`` (measured − target), the
        effect columns of :func:`why_intervals` (``seq_*``, ``shapley_*``,
        ``unexplained``), ``main_cause`` (the effect with the most negative
        Shapley value — "volume", "aht", "staffing" or "unexplained" — when
        the target was missed, else None) and ``n_<class>`` interval counts for
        every class of :data:`INTERVAL_CLASSES`. Then the mean agents per
        interval ``staffed_agents``, ``scheduled_agents``,
        ``required_forecast_agents`` and ``required_actual_agents`` and the
        caller patience ``patience_s`` (see Notes).

    Notes
    -----
    Mean agents per interval are agent-hours ÷ (interval hours × distinct
    interval starts in the group): per ``by="interval_start"`` the agents of
    that interval (every queue added up), per day their mean over the day.
    Caller patience is :func:`estimate_patience` on the group's totals,
    ``Σ wait_s_total ÷ Σ abandoned`` (censored-exponential maximum
    likelihood): ``inf`` when nobody abandoned, NaN when abandons come with
    no waiting time recorded.

    The day's measured SL is ``Σ answered_in_sl / Σ sl_base``, i.e. the
    intervals' SLs weighted by their base ``n_i``. Model SLs and every effect
    are rolled up with the same weights, ``Σ n_i e_i / Σ n_i``, so the day's
    effects still sum to the day's shortfall exactly. An effect missing in any
    interval with calls is missing for the day. Agent-hours are agents ×
    interval length.

    Examples
    --------
    >>> intervals = pd.DataFrame({"interval_start": pd.to_datetime(["2025-01-06 09:00"] * 2),
    ...     "interval_minutes": [30.0] * 2, "queue": ["A", "B"], "offered": [100.0, 100.0],
    ...     "answered": [100.0] * 2, "answered_in_sl": [90.0, 50.0],
    ...     "short_abandoned": [0.0] * 2, "handle_s_sum": [18000.0] * 2,
    ...     "staffed_agents": [14.0, 14.0]})
    >>> day = why_day(why_intervals(intervals, model="erlang_c")).iloc[0]
    >>> float(day.measured_sl), day.main_cause
    (0.7, 'unexplained')
    """
    by = [by] if isinstance(by, str) else list(by or [])
    data = table.copy()
    data["date"] = pd.to_datetime(data["interval_start"]).dt.normalize()
    hours = data["interval_s"] / 3600.0
    weight = data["sl_base"].where(data["measured_sl"].notna() & (data["sl_base"] > 0), 0.0)
    data["_weight"] = weight
    effect_columns = [
        "seq_volume",
        "seq_aht",
        "seq_staffing",
        "seq_schedule",
        "seq_adherence",
        "shapley_volume",
        "shapley_aht",
        "shapley_staffing",
        "unexplained",
    ]
    weighted = ["model_sl", "planned_sl", *effect_columns]
    for column in weighted:
        # NaN stays NaN where the interval counts (weight > 0); 0 where it does not.
        data[f"_w_{column}"] = np.where(weight > 0, data[column] * weight, 0.0)
    data["_forecast_handle"] = data["forecast_offered"] * data["forecast_aht_s"]
    data["required_forecast_hours"] = data["required_forecast"] * hours
    data["required_actual_hours"] = data["required_actual"] * hours
    data["scheduled_hours"] = data["scheduled_agents"] * hours
    data["staffed_hours"] = data["staffed_agents"] * hours
    for code in INTERVAL_CLASSES:
        data[f"n_{code}"] = (data["interval_class"] == code).astype(int)
    keys = ["date", *by]
    grouped = data.groupby(keys, sort=True, observed=True)

    def total(column: str, min_count: int = 1) -> pd.Series:
        return grouped[column].sum(min_count=min_count)

    def strict_total(column: str) -> pd.Series:
        return grouped[column].agg(lambda values: values.sum(skipna=False))

    day = pd.DataFrame(index=grouped.size().index)
    day["intervals"] = grouped.size()
    day["offered"] = total("offered")
    day["forecast_offered"] = total("forecast_offered")
    day["aht_s"] = total("handle_s_sum") / total("handle_n").where(lambda n: n > 0)
    day["forecast_aht_s"] = total("_forecast_handle") / day["forecast_offered"].where(
        lambda n: n > 0
    )
    for column in (
        "required_forecast_hours",
        "required_actual_hours",
        "scheduled_hours",
        "staffed_hours",
    ):
        day[column] = total(column)
    day["staffed_is_estimate"] = grouped["staffed_is_estimate"].any()
    day["sl_base"] = total("_weight", min_count=0)
    base = day["sl_base"].where(day["sl_base"] > 0)
    day["measured_sl"] = total("answered_in_sl") / base
    for column in weighted:
        day[column] = strict_total(f"_w_{column}") / base
    day["target_sl"] = grouped["target_sl"].first()
    day["shortfall"] = day["measured_sl"] - day["target_sl"]
    day = day[[c for c in day.columns if c not in effect_columns] + effect_columns]
    shapley = day[["shapley_volume", "shapley_aht", "shapley_staffing", "unexplained"]]
    shapley = shapley.set_axis(list(EFFECTS), axis=1)
    cause = shapley.fillna(np.inf).idxmin(axis=1).where(shapley.notna().any(axis=1))
    day["main_cause"] = cause.where(day["shortfall"] < 0).astype(object)
    day["main_cause"] = day["main_cause"].where(day["main_cause"].notna(), None)
    for code in INTERVAL_CLASSES:
        day[f"n_{code}"] = total(f"n_{code}", min_count=0).astype(int)
    # agent-hours back to agents: the interval's length times the intervals in the group
    slot_hours = grouped["interval_s"].max() / 3600.0 * grouped["interval_start"].nunique()
    for agents, hours in (
        ("staffed_agents", "staffed_hours"),
        ("scheduled_agents", "scheduled_hours"),
        ("required_forecast_agents", "required_forecast_hours"),
        ("required_actual_agents", "required_actual_hours"),
    ):
        day[agents] = day[hours] / slot_hours
    if {"abandoned", "wait_s_total"} <= set(data.columns):
        day["patience_s"] = _group_patience(total("abandoned", 0), total("wait_s_total", 0))
    else:
        day["patience_s"] = math.nan
    return day.reset_index()


def _group_patience(abandoned: pd.Series, waited: pd.Series) -> pd.Series:
    """:func:`estimate_patience` per group: inf without abandons, NaN without waiting time."""
    patience = waited / abandoned.where(abandoned > 0)
    patience = patience.where(abandoned > 0, math.inf)
    return patience.where((abandoned == 0) | (waited > 0), math.nan)


def _points(value: float) -> str:
    return f"{value * 100:+.1f}".replace("-", "−")


def why_summary(day: pd.Series, cause: str | None = None) -> dict[str, str]:
    """Plain-language summary of one day of :func:`why_day`, in English and Chinese.

    Parameters
    ----------
    day : Series
        One row of :func:`why_day`.
    cause : str, optional
        The day's story cause (one of ``ccmetrics.story.CAUSES``). Given, the
        summary names it as the day's main cause, so that it says what the story
        says; omitted, the main cause is ``day["main_cause"]``.

    Returns
    -------
    dict
        ``{"en": str, "zh": str}``.

    Notes
    -----
    States the measured SL against the target with its n, the model's SL
    with the agents staffed, the Shapley split of the shortfall in points,
    the main cause, staffed vs scheduled vs needed agent-hours (saying when
    staffing was estimated) and how many intervals missed the target beyond
    noise, by class.

    The main cause after the split is "mainly <effect>" when it is the split's
    most negative effect (``day["main_cause"]``) and, with ``cause``, also the
    effect of the story's cause (:func:`effect_of_cause`). A story whose cause
    is carried by another effect, by an effect the split lacks (e.g. volume
    without a forecast) or by none (e.g. "local_change": no effect is beyond
    noise) is named as the story's cause (:data:`CAUSE_NAMES`) instead, so the
    sentence never calls an effect the main one when its own numbers say
    otherwise.

    Examples
    --------
    >>> intervals = pd.DataFrame({"interval_start": pd.to_datetime(["2025-01-06 09:00"]),
    ...     "interval_minutes": [30.0], "offered": [100.0], "answered": [100.0],
    ...     "answered_in_sl": [50.0], "short_abandoned": [0.0], "handle_s_sum": [18000.0],
    ...     "staffed_agents": [14.0]})
    >>> why_summary(why_day(why_intervals(intervals, model="erlang_c")).iloc[0])["en"][:62]
    '2025-01-06: service level 50.0% against a target of 80.0% (n ='
    """
    date = pd.Timestamp(day["date"]).strftime("%Y-%m-%d")
    measured, target = day["measured_sl"], day["target_sl"]
    n = day["sl_base"]
    if not np.isfinite(measured):
        return {"en": f"{date}: no calls to measure.", "zh": f"{date}：没有可计量的来电。"}
    en = [
        f"{date}: service level {measured:.1%} against a target of {target:.1%} "
        f"(n = {n:,.0f} calls)"
    ]
    zh = [f"{date}：服务水平 {measured:.1%}，目标 {target:.1%}（n = {n:,.0f} 通）"]
    if day["shortfall"] >= 0:
        en[0] += ": target met."
        zh[0] += "，达标。"
    else:
        en[0] += f", {abs(day['shortfall']) * 100:.1f} points short."
        zh[0] += f"，低 {abs(day['shortfall']) * 100:.1f} 个百分点。"
    if np.isfinite(day["model_sl"]):
        en.append(
            f"With the agents actually staffed the queueing model expected {day['model_sl']:.1%}."
        )
        zh.append(f"按实际在岗人数，排队模型预计为 {day['model_sl']:.1%}。")
    columns = {
        "volume": "shapley_volume",
        "aht": "shapley_aht",
        "staffing": "shapley_staffing",
        "unexplained": "unexplained",
    }
    known = {name: day[column] for name, column in columns.items() if np.isfinite(day[column])}
    if day["shortfall"] < 0 and known:
        main_effect = day["main_cause"]
        if cause is None or effect_of_cause(cause) == main_effect:
            main_en = f"; mainly {_EFFECT_NAMES[main_effect]['en']}."
            main_zh = f"；主要原因：{_EFFECT_NAMES[main_effect]['zh']}。"
        else:  # the story names another cause: say so, never "mainly" against the numbers
            main_en = i18n.t("staff.summary_story_cause", "en", cause=CAUSE_NAMES[cause]["en"])
            main_zh = i18n.t("staff.summary_story_cause", "zh", cause=CAUSE_NAMES[cause]["zh"])
        en.append(
            "Shortfall by cause (Shapley, points): "
            + ", ".join(f"{_EFFECT_NAMES[k]['en']} {_points(v)}" for k, v in known.items())
            + main_en
        )
        zh.append(
            "缺口归因（Shapley，百分点）："
            + "，".join(f"{_EFFECT_NAMES[k]['zh']} {_points(v)}" for k, v in known.items())
            + main_zh
        )
    staffed, scheduled, needed = (
        day["staffed_hours"],
        day["scheduled_hours"],
        day["required_actual_hours"],
    )
    if np.isfinite(staffed):
        estimate_en = (
            " (estimated from busy time ÷ expected occupancy)" if day["staffed_is_estimate"] else ""
        )
        estimate_zh = "（由忙碌时长 ÷ 预期占用率估算）" if day["staffed_is_estimate"] else ""
        text_en = f"Staffed {staffed:,.0f} agent-hours{estimate_en}"
        text_zh = f"在岗 {staffed:,.0f} 坐席小时{estimate_zh}"
        if np.isfinite(scheduled):
            text_en += f", scheduled {scheduled:,.0f}"
            text_zh += f"，排班 {scheduled:,.0f}"
        if np.isfinite(needed):
            text_en += f", needed for the actual load {needed:,.0f}"
            text_zh += f"，实际话务所需 {needed:,.0f}"
        en.append(text_en + ".")
        zh.append(text_zh + "。")
    counts = {code: int(day[f"n_{code}"]) for code in MISSED_CLASSES if day[f"n_{code}"] > 0}
    with_calls = int(day["intervals"] - day["n_no_calls"])
    missed = sum(counts.values())
    en.append(
        f"{missed} of {with_calls} intervals missed the target beyond noise"
        + (
            " (" + ", ".join(f"{INTERVAL_CLASSES[k]['en']} {v}" for k, v in counts.items()) + ")."
            if counts
            else "."
        )
    )
    zh.append(
        f"{with_calls} 个时段中有 {missed} 个超出随机波动未达标"
        + (
            "（" + "，".join(f"{INTERVAL_CLASSES[k]['zh']} {v}" for k, v in counts.items()) + "）。"
            if counts
            else "。"
        )
    )
    return {"en": " ".join(en), "zh": "".join(zh)}


# --------------------------------------------------------------------------
# what-if and the story's cause
# --------------------------------------------------------------------------
def what_if(
    calls: float,
    interval_minutes: float,
    aht_s: float,
    threshold_s: float,
    target: float,
    shrinkage: float,
    patience_s: float,
    margin: int = 6,
) -> dict:
    """Agents needed for one interval by Erlang C and Erlang A, and the curve around them.

    Parameters
    ----------
    calls : float
        Calls offered in the interval.
    interval_minutes : float
        Interval length in minutes.
    aht_s, threshold_s : float
        Average handle time and service-level threshold, seconds.
    target : float
        Service-level target as a fraction (0.8 for 80 %).
    shrinkage : float
        Share of paid time off the phones (0.3 for 30 %).
    patience_s : float
        Mean caller patience for Erlang A, seconds.
    margin : int
        Agent counts shown on each side of the required agents in the curve.

    Returns
    -------
    dict
        ``required_c``, ``required_a`` (:func:`agents_required`, Erlang C and
        A), ``scheduled_c``, ``scheduled_a`` (:func:`scheduled_agents` with
        ``shrinkage``), ``at_c``, ``at_a`` (:func:`erlang_c` and
        :func:`erlang_a` at the required agents, at least one) and ``curve``
        (:func:`staffing_curve` from ``max(1, min(required) − margin)`` to
        ``max(required, 1) + margin`` agents).

    Raises
    ------
    ValueError
        From the queueing functions, for inputs out of their domain.

    Notes
    -----
    Scheduled agents are ``ceil(required ÷ (1 − shrinkage))``; the offered
    load is ``A = calls × aht_s ÷ (60 × interval_minutes)`` Erlangs.

    Examples
    --------
    The Call Centre Helper worked example (100 calls in 30 minutes, AHT 180 s,
    80 % in 20 s, 30 % shrinkage): 14 agents, 20 scheduled.

    >>> result = what_if(100, 30, 180, 20, 0.8, 0.3, 300)
    >>> result["required_c"], result["scheduled_c"]
    (14, 20)
    """
    interval_s = float(interval_minutes) * 60.0
    required_c = agents_required(calls, interval_s, aht_s, target, threshold_s)
    required_a = agents_required(
        calls, interval_s, aht_s, target, threshold_s, model="erlang_a", patience_s=patience_s
    )
    low = max(1, min(required_c, required_a) - margin)
    high = max(required_c, required_a, 1) + margin
    return {
        "required_c": required_c,
        "required_a": required_a,
        "scheduled_c": scheduled_agents(required_c, shrinkage),
        "scheduled_a": scheduled_agents(required_a, shrinkage),
        "at_c": erlang_c(calls, interval_s, aht_s, max(required_c, 1), threshold_s),
        "at_a": erlang_a(calls, interval_s, aht_s, max(required_a, 1), threshold_s, patience_s),
        "curve": staffing_curve(
            calls, interval_s, aht_s, threshold_s, range(low, high + 1), patience_s=patience_s
        ),
    }


#: The staffing effect (:data:`EFFECTS`) that carries each cause of ``ccmetrics.story``:
#: a story named by the staffing attribution names the same effect on the Staffing page.
CAUSE_EFFECTS = {
    "demand_surge": "volume",
    "forecast_miss": "volume",
    "supply_shortfall": "staffing",
    "handle_time_shift": "aht",
    "other": "unexplained",
}


#: Each cause of ``ccmetrics.story`` (``story.CAUSES``) as :func:`why_summary` names it
#: (the words of the Staffing page's "Main cause" tile and of the story's sentence).
CAUSE_NAMES = {
    cause: {lang: i18n.t(f"staff.story_cause.{cause}", lang) for lang in ("en", "zh")}
    for cause in (
        "demand_surge",
        "forecast_miss",
        "supply_shortfall",
        "handle_time_shift",
        "other",
        "demand_drop",
        "below_target",
        "local_change",
        "no_significant_change",
        "insufficient_data",
    )
}


def effect_of_cause(cause: str) -> str | None:
    """The staffing effect that names a story's cause, None for a cause without one.

    Examples
    --------
    >>> effect_of_cause("supply_shortfall"), effect_of_cause("no_significant_change")
    ('staffing', None)
    """
    return CAUSE_EFFECTS.get(cause)
