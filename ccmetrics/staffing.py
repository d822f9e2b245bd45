"""Queueing models for staffing: Erlang C, Erlang A, required and scheduled agents.

All functions take plain numbers in seconds (``interval_s``, ``aht_s``,
``threshold_s``, ``patience_s``) and return plain Python numbers, a dict or a
DataFrame. The offered load in Erlangs is ``A = calls * aht_s / interval_s``.

Every formula is evaluated in log space with :func:`scipy.special.gammaln`,
:func:`scipy.special.gammainc` and :func:`scipy.special.gammaincc`, so it stays
finite and accurate for thousands of agents (no factorials, no ``A ** N``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd
from scipy.special import gammainc, gammaincc, gammaln, logsumexp

__all__ = [
    "erlang_c",
    "erlang_a",
    "agents_required",
    "scheduled_agents",
    "estimate_patience",
    "staffing_curve",
]

#: Below this value a regularized incomplete gamma function is treated as
#: underflowed and a series is used instead.
_UNDERFLOW = 1e-200
#: Series terms are added in blocks of this many.
_SERIES_BLOCK = 2048
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
      ``p_abandon = p_wait * P(abandon | wait)``.
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
    abandon_given_wait = 1.0 / (rho * math.exp(log_big_a)) + 1.0 - 1.0 / rho
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
        ``erlang_a_asa_s``, ``erlang_a_p_abandon``. Unstable Erlang C rows
        have SL 0 and ASA ``inf`` (see :func:`erlang_c`).

    Notes
    -----
    Each row is :func:`erlang_c` and :func:`erlang_a` at that agent count.

    Examples
    --------
    >>> curve = staffing_curve(100, 1800, 180, 20, range(13, 16), patience_s=300)
    >>> curve["agents"].tolist()
    [13, 14, 15]
    >>> round(float(curve.loc[1, "erlang_c_sl"]), 4)
    0.8884
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
            "erlang_a_p_abandon": math.nan,
        }
        if patience_s is not None:
            a = erlang_a(calls, interval_s, aht_s, agents, threshold_s, patience_s)
            row["erlang_a_sl"] = a["service_level"]
            row["erlang_a_asa_s"] = a["asa_s"]
            row["erlang_a_p_abandon"] = a["p_abandon"]
        rows.append(row)
    columns = [
        "agents",
        "erlang_c_sl",
        "erlang_c_asa_s",
        "erlang_c_occupancy",
        "erlang_a_sl",
        "erlang_a_asa_s",
        "erlang_a_p_abandon",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({"agents": "int64"} | {name: "float64" for name in columns[1:]})
