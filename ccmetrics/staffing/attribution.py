"""Splitting a service-level change into its causes, and the chance variation of a measured SL."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from itertools import combinations

import numpy as np
from numpy.typing import ArrayLike
from statsmodels.stats.proportion import proportion_confint

__all__ = ["EFFECTS", "attribute_change", "sl_noise_band"]


#: The four parts of a service-level shortfall, in the order of the sequential
#: (one-at-a-time) attribution: demand first (volume, then handle time), then
#: supply (staffing), then what the queueing model does not explain.
EFFECTS = ("volume", "aht", "staffing", "unexplained")


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
