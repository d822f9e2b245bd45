"""Erlang C and Erlang A: service level, waiting, ASA, occupancy and abandonment of one interval.

:func:`erlang_c` (M/M/N), :func:`erlang_a` (M/M/N+M, callers hang up) and
:func:`model_service_level` (either model, for any real number of agents). Every
formula is evaluated in log space with :func:`scipy.special.gammaln`,
:func:`scipy.special.gammainc` and :func:`scipy.special.gammaincc`, so it stays
finite and accurate for thousands of agents (no factorials, no ``A ** N``).
"""

from __future__ import annotations

import functools
import math

import numpy as np
from scipy.special import gammainc, gammaincc, gammaln, logsumexp

__all__ = ["erlang_c", "erlang_a", "model_service_level"]


#: Below this value a regularized incomplete gamma function is treated as
#: underflowed and a series is used instead.
_UNDERFLOW = 1e-200
#: Series terms are added in blocks of this many.
_SERIES_BLOCK = 2048
#: Erlang A sums a series for P(abandon | wait) when the closed form lost more
#: than three digits to cancellation (P(abandon | wait) below this share of 1/rho - 1).
_CANCELLATION = 1e-3


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
# the model's service level, Erlang C or A
# --------------------------------------------------------------------------
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
    low_sl = _erlang_a_service_level(calls, interval_s, aht_s, lower, threshold_s, patience_s)
    if fraction == 0.0:
        return low_sl
    high_sl = _erlang_a_service_level(calls, interval_s, aht_s, lower + 1, threshold_s, patience_s)
    return (1.0 - fraction) * low_sl + fraction * high_sl


@functools.lru_cache(maxsize=1 << 16)
def _erlang_a_service_level(
    calls: float,
    interval_s: float,
    aht_s: float,
    agents: int,
    threshold_s: float,
    patience_s: float,
) -> float:
    """:func:`erlang_a`'s service level, remembered: a root search over a fractional
    staffing (the calibration's efficiency) asks for the same whole agent counts again
    and again, and each costs about 20 microseconds."""
    return erlang_a(calls, interval_s, aht_s, agents, threshold_s, patience_s)["service_level"]
