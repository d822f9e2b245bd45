"""Tests for ccmetrics.staffing (queueing models).

Published values live in ``tests/unit/results/staffing_reference.py`` with their sources; hand
calculations stay beside their assertion. Sources of expected values, cited at each test:

* CCH: Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked
  Example", https://www.callcentrehelper.com/erlang-c-formula-example-121281.htm
  (100 calls in 30 min, AHT 180 s, 80/20, shrinkage 30%: N = 14, P(wait) 0.1741,
  SL 88.8%, ASA 7.8 s, occupancy 71.4%, 20 agents scheduled).
* pyworkforce (github.com/rodrigo-arenas/pyworkforce): README.md ErlangC example
  (raw_positions 14, positions 20, service_level 0.8884, occupancy 0.7143,
  waiting_probability 0.1741); pyworkforce/queuing/tests/test_erlang.py
  ``test_over_occupancy_erlangc`` (max_occupancy 0.7: raw 15, positions 22,
  SL 0.941, occupancy 0.667, P(wait) 0.102, asa = 0.33 min);
  pyworkforce/queuing/tests/test_abandonment.py ``test_erlanga_regression_metrics``
  (ErlangA, same load, patience 5 min, 14 positions).
* Independent implementations written here: the textbook integer Erlang C sum in
  exact rational arithmetic, the textbook Erlang B recursion, the integral
  representation of Erlang B for real N, and the Erlang A birth-death chain with
  a matrix-exponential tagged-caller model.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.integrate import quad
from scipy.linalg import expm
from scipy.special import logsumexp

from ccmetrics.staffing import (
    CAUSE_EFFECTS,
    CAUSE_NAMES,
    EFFECTS,
    INPUT_NOTES,
    INTERVAL_CLASS_HELP,
    INTERVAL_CLASSES,
    agents_for_target,
    agents_required,
    attribute_change,
    busiest_interval,
    classify_intervals,
    day_gaps,
    effect_of_cause,
    erlang_a,
    erlang_c,
    estimate_patience,
    model_service_level,
    scheduled_agents,
    shortfall_steps,
    sl_noise_band,
    staffing_curve,
    staffing_inputs,
    what_if,
    why_day,
    why_intervals,
    why_summary,
)
from tests.unit.results import staffing_reference as ref

# The worked example: 100 calls in 30 minutes, AHT 180 s -> A = 100 * 180 / 1800 = 10 Erlangs.
CALLS, INTERVAL_S, AHT_S, THRESHOLD_S = ref.CALLS, ref.INTERVAL_S, ref.AHT_S, ref.THRESHOLD_S


# --------------------------------------------------------------------------
# independent reference implementations (test-only)
# --------------------------------------------------------------------------
def textbook_erlang_c(load: Fraction, agents: int) -> float:
    """P(wait) = X / (X + Y), X = A^N/N! * N/(N-A), Y = sum_{i<N} A^i/i! (exact fractions)."""
    x = load**agents / math.factorial(agents) * Fraction(agents) / (agents - load)
    y = sum(load**i / math.factorial(i) for i in range(agents))
    return float(x / (x + y))


def recursive_erlang_b(load: float, agents: int) -> float:
    """Textbook recursion B(0) = 1, B(k) = A B(k-1) / (k + A B(k-1))."""
    blocking = 1.0
    for k in range(1, agents + 1):
        blocking = load * blocking / (k + load * blocking)
    return blocking


def integral_erlang_b(load: float, agents: float) -> float:
    """Erlang B for real N from 1/B(N, A) = A * int_0^inf e^{-A t} (1 + t)^N dt."""
    value, _ = quad(lambda t: math.exp(-load * t + agents * math.log1p(t)), 0, math.inf)
    return 1.0 / (load * value)


def chain_erlang_a(calls, interval_s, aht_s, agents, threshold_s, patience_s, queue_cap=400):
    """Erlang A from its birth-death chain, truncated at ``queue_cap`` waiting callers.

    Stationary p_k proportional to prod lambda / (min(i, N) mu + max(i - N, 0) theta).
    SL: a caller arriving with j callers ahead moves up at rate N mu + j theta, is
    answered from j = 0 at rate N mu, abandons at rate theta; P(answered by T) from
    the matrix exponential of that absorbing chain's generator.
    """
    lam, mu, theta = calls / interval_s, 1 / aht_s, 1 / patience_s
    weights = [1.0]
    for k in range(1, agents + queue_cap + 1):
        weights.append(weights[-1] * lam / (min(k, agents) * mu + max(k - agents, 0) * theta))
    p = np.array(weights) / sum(weights)
    queued = np.arange(len(p)) - agents
    p_wait = p[agents:].sum()
    mean_queue = (queued[agents:] * p[agents:]).sum()
    p_abandon = theta * mean_queue / lam
    generator = np.zeros((queue_cap + 2, queue_cap + 2))  # last state = answered
    for j in range(queue_cap + 1):
        move_up = agents * mu + j * theta
        generator[j, queue_cap + 1 if j == 0 else j - 1] = move_up
        generator[j, j] = -(move_up + theta)
    answered_by_t = expm(generator * threshold_s)[: queue_cap + 1, queue_cap + 1]
    service_level = p[:agents].sum() + (p[agents:] * answered_by_t).sum()
    return {
        "p_wait": p_wait,
        "p_abandon": p_abandon,
        "service_level": service_level,
        "asa_s": mean_queue / lam,
        "occupancy": lam * (1 - p_abandon) / (agents * mu),
    }


def log_chain_erlang_a(calls, interval_s, aht_s, agents, patience_s, queue_cap):
    """P(wait) and P(abandon) of the Erlang A birth-death chain, in log space (any load).

    log p_k relative to p_N: the running sum of log(lambda / rate_i) from state N
    upwards, and minus the running sum from N downwards, so that the states near N
    (where the probability is) carry no large partial sums. P(abandon) =
    theta E[queue] / lambda, a sum of positive terms.
    """
    lam, mu, theta = calls / interval_s, 1 / aht_s, 1 / patience_s
    states = np.arange(1, agents + queue_cap + 1)
    log_step = np.log(lam) - np.log(
        np.minimum(states, agents) * mu + np.maximum(states - agents, 0) * theta
    )  # log(p_k / p_{k-1}) for k = 1 .. N + cap
    below = -np.cumsum(log_step[:agents][::-1])[::-1]  # log(p_k / p_N), k = 0 .. N-1
    above = np.concatenate([[0.0], np.cumsum(log_step[agents:])])  # k = N .. N + cap
    log_p = np.concatenate([below, above])
    log_total = logsumexp(log_p)
    p_wait = math.exp(logsumexp(above) - log_total)
    mean_queue = float(np.sum(np.arange(queue_cap + 1) * np.exp(above - log_total)))
    return {"p_wait": p_wait, "p_abandon": theta * mean_queue / lam}


# --------------------------------------------------------------------------
# Erlang C: the published worked example
# --------------------------------------------------------------------------
def test_erlang_c_worked_example_14_agents():
    # CCH and pyworkforce README: 14 agents -> P(wait) 0.1741, SL 0.8884 (CCH: 88.8%),
    # occupancy 10/14 = 0.7143 (CCH: 71.4%). ASA (CCH: 7.8 s) by hand:
    # ASA = P(wait) * AHT / (N - A) = 0.174132 * 180 / 4 = 7.836 s -> 7.84.
    result = erlang_c(CALLS, INTERVAL_S, AHT_S, agents=ref.WORKED_AGENTS, threshold_s=THRESHOLD_S)
    assert result["load_erlangs"] == pytest.approx(10.0)
    assert round(result["p_wait"], 4) == ref.WORKED_P_WAIT
    assert round(result["service_level"], 4) == ref.WORKED_SERVICE_LEVEL
    assert round(result["asa_s"], 2) == 7.84
    assert round(result["occupancy"], 3) == ref.WORKED_OCCUPANCY
    assert result["stable"] is True and result["message"] is None


def test_erlang_c_worked_example_matches_textbook_sum():
    # Textbook formula with exact fractions: X = 10^14/14! * 14/4, Y = sum_{i<14} 10^i/i!.
    p_wait = textbook_erlang_c(Fraction(10), 14)
    assert round(p_wait, 4) == ref.WORKED_P_WAIT
    # SL = 1 - P(wait) e^{-(N-A) T/AHT} = 1 - 0.174132 * e^{-4*20/180} = 1 - 0.174132 * 0.641180.
    expected_sl = 1 - p_wait * math.exp(-4 * 20 / 180)
    result = erlang_c(CALLS, INTERVAL_S, AHT_S, 14, THRESHOLD_S)
    assert result["p_wait"] == pytest.approx(p_wait, rel=1e-12)
    assert result["service_level"] == pytest.approx(expected_sl, rel=1e-12)
    assert result["asa_s"] == pytest.approx(p_wait * 180 / 4, rel=1e-12)


def test_agents_required_worked_example_and_shrinkage():
    # CCH / pyworkforce README: 14 raw agents meet 80/20; 14 / (1 - 0.30) = 20 scheduled.
    required = agents_required(CALLS, INTERVAL_S, AHT_S, ref.SL_TARGET, THRESHOLD_S)
    assert required == ref.WORKED_AGENTS
    assert scheduled_agents(required, ref.SHRINKAGE) == ref.WORKED_SCHEDULED
    # 13 agents fall short (textbook SL 0.7956 < 0.80), so 14 is the smallest.
    assert erlang_c(CALLS, INTERVAL_S, AHT_S, 13, THRESHOLD_S)["service_level"] < 0.80
    # Max occupancy 85% (CCH's input) does not bind: 10/14 = 0.714.
    assert agents_required(CALLS, INTERVAL_S, AHT_S, 0.80, THRESHOLD_S, max_occupancy=0.85) == 14


def test_agents_required_max_occupancy_70_percent():
    # pyworkforce test_erlang.py::test_over_occupancy_erlangc, asa = 0.33 min = 19.8 s:
    # raw 15, positions 22, SL 0.941, occupancy 0.667, P(wait) 0.102.
    # By hand: 10/14 = 0.714 > 0.70 and 10/15 = 0.667 <= 0.70; ceil(15 / 0.7) = ceil(21.43) = 22.
    threshold_s = ref.OVER_OCCUPANCY_THRESHOLD_MIN * 60
    required = agents_required(
        CALLS, INTERVAL_S, AHT_S, 0.80, threshold_s, max_occupancy=ref.OVER_OCCUPANCY_MAX
    )
    assert required == ref.OVER_OCCUPANCY_RAW
    assert scheduled_agents(required, 0.30) == ref.OVER_OCCUPANCY_POSITIONS
    result = erlang_c(CALLS, INTERVAL_S, AHT_S, required, threshold_s)
    assert round(result["service_level"], 3) == ref.OVER_OCCUPANCY_SERVICE_LEVEL
    assert round(result["occupancy"], 3) == ref.OVER_OCCUPANCY_OCCUPANCY
    assert round(result["p_wait"], 3) == ref.OVER_OCCUPANCY_P_WAIT
    assert agents_required(CALLS, INTERVAL_S, AHT_S, 0.80, THRESHOLD_S, max_occupancy=0.70) == 15


def test_agents_required_asa_target():
    # ASA by hand from the textbook sum: N = 14 -> 7.84 s; N = 15 -> 0.102042 * 180 / 5 = 3.67 s.
    assert agents_required(CALLS, INTERVAL_S, AHT_S, None, THRESHOLD_S, target_asa_s=10) == 14
    assert agents_required(CALLS, INTERVAL_S, AHT_S, None, THRESHOLD_S, target_asa_s=5) == 15
    # Every target at once: 80/20 alone needs 14, ASA <= 5 s needs 15.
    assert agents_required(CALLS, INTERVAL_S, AHT_S, 0.80, THRESHOLD_S, target_asa_s=5) == 15
    # Occupancy alone: 10 / N <= 0.5 -> N = 20.
    assert agents_required(CALLS, INTERVAL_S, AHT_S, None, THRESHOLD_S, max_occupancy=0.5) == 20


@pytest.mark.parametrize(
    ("load", "agents"),
    [
        (Fraction(10), 11),
        (Fraction(10), 20),
        (Fraction(15, 2), 9),
        (Fraction(1, 2), 1),
        (Fraction(42), 50),
    ],
)
def test_erlang_c_matches_textbook_sum(load, agents):
    # Independent: textbook Erlang C in exact rational arithmetic (interval 1800 s, AHT 180 s).
    calls = float(load) * 1800 / 180
    result = erlang_c(calls, 1800, 180, agents, 30)
    assert result["p_wait"] == pytest.approx(textbook_erlang_c(load, agents), rel=1e-10)


# --------------------------------------------------------------------------
# Erlang C: stability, large N, fractional agents
# --------------------------------------------------------------------------
@pytest.mark.parametrize("agents", [0, 8, 10, 9.99])
def test_erlang_c_unstable_queue(agents):
    # A = 10 Erlangs: N <= A has no steady state.
    result = erlang_c(CALLS, INTERVAL_S, AHT_S, agents, THRESHOLD_S)
    assert result["stable"] is False
    assert result["p_wait"] == 1.0
    assert result["service_level"] == 0.0
    assert result["asa_s"] == math.inf
    assert "unstable" in result["message"]


def test_erlang_c_just_above_load_is_stable_and_finite():
    result = erlang_c(CALLS, INTERVAL_S, AHT_S, 10.01, THRESHOLD_S)
    assert result["stable"] is True
    assert 0.99 < result["p_wait"] < 1.0
    # ASA = P(wait) * 180 / 0.01 -> about 18,000 s: large, finite, positive.
    assert 17_000 < result["asa_s"] < 18_000


def test_erlang_c_large_n_matches_erlang_b_recursion():
    # 10,000 agents at 9,800 Erlangs: factorials overflow, log space must not.
    calls = 9_800 * 1800 / 180
    result = erlang_c(calls, 1800, 180, 10_000, 20)
    for key in ("p_wait", "service_level", "occupancy"):
        assert 0.0 <= result[key] <= 1.0
    assert math.isfinite(result["asa_s"]) and result["asa_s"] > 0
    # Independent: textbook Erlang B recursion, then C = N B / (N - A (1 - B)).
    blocking = recursive_erlang_b(9_800.0, 10_000)
    p_wait = 10_000 * blocking / (10_000 - 9_800 * (1 - blocking))
    assert result["p_wait"] == pytest.approx(p_wait, rel=1e-9)
    assert result["occupancy"] == pytest.approx(0.98)


def test_erlang_c_large_n_overstaffed_tiny_and_underflowing_waits():
    # 5,000 agents for 4,000 Erlangs: P(wait) is tiny (about 1.6e-52), checked against the
    # independent Erlang B recursion; 5,000 agents for 1,000 Erlangs underflows to 0 cleanly.
    result = erlang_c(4_000 * 1800 / 180, 1800, 180, 5_000, 20)
    blocking = recursive_erlang_b(4_000.0, 5_000)
    p_wait = 5_000 * blocking / (5_000 - 4_000 * (1 - blocking))
    assert 0 < p_wait < 1e-40
    assert result["p_wait"] == pytest.approx(p_wait, rel=1e-8)
    assert result["service_level"] == 1.0
    idle = erlang_c(1_000 * 1800 / 180, 1800, 180, 5_000, 20)
    assert idle["p_wait"] < 1e-300 and idle["service_level"] == 1.0 and idle["asa_s"] < 1e-300


@pytest.mark.parametrize("agents", [11, 12, 13, 14, 15])
def test_erlang_c_fractional_path_equals_integers(agents):
    # At whole N the continuous extension equals the textbook sum; just above N it is continuous.
    exact = textbook_erlang_c(Fraction(10), agents)
    assert erlang_c(CALLS, INTERVAL_S, AHT_S, float(agents), THRESHOLD_S)[
        "p_wait"
    ] == pytest.approx(exact, rel=1e-10)
    nudged = erlang_c(CALLS, INTERVAL_S, AHT_S, agents + 1e-9, THRESHOLD_S)["p_wait"]
    assert nudged == pytest.approx(exact, rel=1e-6)


def test_erlang_c_fractional_agents_monotone_between_neighbours():
    grid = np.linspace(11, 15, 81)
    results = [erlang_c(CALLS, INTERVAL_S, AHT_S, n, THRESHOLD_S) for n in grid]
    p_wait = np.array([r["p_wait"] for r in results])
    service_level = np.array([r["service_level"] for r in results])
    asa = np.array([r["asa_s"] for r in results])
    assert np.all(np.diff(p_wait) < 0)
    assert np.all(np.diff(service_level) > 0)
    assert np.all(np.diff(asa) < 0)
    at_12 = erlang_c(CALLS, INTERVAL_S, AHT_S, 12, THRESHOLD_S)
    at_12_4 = erlang_c(CALLS, INTERVAL_S, AHT_S, 12.4, THRESHOLD_S)
    at_13 = erlang_c(CALLS, INTERVAL_S, AHT_S, 13, THRESHOLD_S)
    assert at_13["service_level"] > at_12_4["service_level"] > at_12["service_level"]
    assert at_12_4["occupancy"] == pytest.approx(10 / 12.4)


@pytest.mark.parametrize("agents", [10.5, 12.4, 13.7])
def test_erlang_c_fractional_matches_integral_representation(agents):
    # Independent: 1/B(N, A) = A int_0^inf e^{-A t} (1 + t)^N dt (valid for real N),
    # then C = N B / (N - A (1 - B)).
    blocking = integral_erlang_b(10.0, agents)
    p_wait = agents * blocking / (agents - 10.0 * (1 - blocking))
    result = erlang_c(CALLS, INTERVAL_S, AHT_S, agents, THRESHOLD_S)
    assert result["p_wait"] == pytest.approx(p_wait, rel=1e-8)


@settings(max_examples=60, deadline=None)
@given(
    load=st.floats(0.05, 3_000),
    spare=st.floats(0.001, 500),
    threshold_s=st.floats(0, 600),
)
def test_erlang_c_outputs_are_valid_probabilities(load, spare, threshold_s):
    result = erlang_c(load * 1800 / 180, 1800, 180, load + spare, threshold_s)
    assert 0.0 <= result["p_wait"] <= 1.0
    assert 0.0 <= result["service_level"] <= 1.0
    assert result["asa_s"] >= 0.0 and math.isfinite(result["asa_s"])
    more = erlang_c(load * 1800 / 180, 1800, 180, load + spare + 1, threshold_s)
    assert more["p_wait"] <= result["p_wait"] * (1 + 1e-12)


def test_erlang_c_no_calls():
    result = erlang_c(0, INTERVAL_S, AHT_S, 3, THRESHOLD_S)
    assert result["p_wait"] == 0.0 and result["service_level"] == 1.0 and result["asa_s"] == 0.0
    assert agents_required(0, INTERVAL_S, AHT_S, 0.8, THRESHOLD_S) == 0


# --------------------------------------------------------------------------
# Erlang A
# --------------------------------------------------------------------------
def test_erlang_a_pyworkforce_regression_values():
    # pyworkforce test_abandonment.py::test_erlanga_regression_metrics: ErlangA(transactions=100,
    # aht=3, asa=20/60, interval=30, patience=5) with 14 positions (minutes): waiting 0.14526,
    # abandonment 0.013984, occupancy 0.704297, ASA 0.069919 min, service level 0.916792.
    result = erlang_a(
        CALLS,
        INTERVAL_S,
        AHT_S,
        ref.ERLANG_A_AGENTS,
        THRESHOLD_S,
        patience_s=ref.ERLANG_A_PATIENCE_S,
    )
    assert round(result["p_wait"], 5) == ref.ERLANG_A_P_WAIT
    assert round(result["p_abandon"], 6) == ref.ERLANG_A_P_ABANDON
    assert round(result["occupancy"], 6) == ref.ERLANG_A_OCCUPANCY
    assert round(result["asa_s"] / 60, 6) == ref.ERLANG_A_ASA_MIN
    assert round(result["service_level"], 6) == ref.ERLANG_A_SERVICE_LEVEL
    # Occupancy by hand: A (1 - P(Ab)) / N = 10 * (1 - 0.013984) / 14 = 0.704297.
    assert result["occupancy"] == pytest.approx(10 * (1 - result["p_abandon"]) / 14)
    # ASA by Little's law: E[W] = P(Ab) * patience = 0.013984 * 300 = 4.195 s.
    assert result["asa_s"] == pytest.approx(result["p_abandon"] * 300)


@pytest.mark.parametrize(
    "args",
    [
        (100, 1800, 180, 13, 20, 300),
        (100, 1800, 180, 8, 20, 300),  # overloaded: 8 agents for 10 Erlangs
        (100, 1800, 180, 11, 60, 60),
        (30, 900, 240, 5, 30, 120),
        (100, 1800, 180, 14, 0, 300),  # threshold 0: SL = P(no wait)
    ],
)
def test_erlang_a_matches_birth_death_chain(args):
    # Independent: truncated birth-death chain + matrix-exponential tagged caller.
    reference = chain_erlang_a(*args)
    result = erlang_a(*args)
    for key, value in reference.items():
        assert result[key] == pytest.approx(value, rel=1e-7, abs=1e-12), key


def test_erlang_a_tends_to_erlang_c_as_patience_grows():
    c = erlang_c(CALLS, INTERVAL_S, AHT_S, 15, THRESHOLD_S)
    gaps = []
    for patience_s in (1e3, 1e5, 1e7, 1e9):
        a = erlang_a(CALLS, INTERVAL_S, AHT_S, 15, THRESHOLD_S, patience_s)
        gaps.append(abs(a["service_level"] - c["service_level"]))
    assert gaps == sorted(gaps, reverse=True) and gaps[-1] < 1e-7
    a = erlang_a(CALLS, INTERVAL_S, AHT_S, 15, THRESHOLD_S, 1e9)
    assert a["p_wait"] == pytest.approx(c["p_wait"], rel=1e-6)
    assert a["asa_s"] == pytest.approx(c["asa_s"], rel=1e-6)
    assert a["occupancy"] == pytest.approx(c["occupancy"], rel=1e-6)
    assert a["p_abandon"] < 1e-8
    infinite = erlang_a(CALLS, INTERVAL_S, AHT_S, 15, THRESHOLD_S, math.inf)
    assert infinite["service_level"] == c["service_level"] and infinite["p_abandon"] == 0.0


def test_erlang_a_large_n_is_finite():
    # 10,000 agents at 9,800 Erlangs, patience 5 min; and 9,000 agents (overloaded).
    calls = 9_800 * 1800 / 180
    staffed = erlang_a(calls, 1800, 180, 10_000, 20, 300)
    short = erlang_a(calls, 1800, 180, 9_000, 20, 300)
    for result in (staffed, short):
        for key in ("p_wait", "p_abandon", "service_level", "occupancy"):
            assert 0.0 <= result[key] <= 1.0, key
        assert math.isfinite(result["asa_s"])
    # Abandonment lowers the wait probability below Erlang C's.
    assert staffed["p_wait"] < erlang_c(calls, 1800, 180, 10_000, 20)["p_wait"]
    # Overloaded: the 9,000 agents are all busy, so throughput = 9,000 / 180 per s and
    # P(Ab) -> 1 - 9,000 / 9,800 = 0.0816 (fluid limit, Garnett et al. 2002).
    assert short["p_abandon"] == pytest.approx(1 - 9_000 / 9_800, rel=1e-3)


def test_erlang_a_large_load_far_below_and_above_the_load():
    # 100,000 calls in 15 min at AHT 2 h: A = 100,000 x 7,200 / 900 = 800,000 Erlangs,
    # patience 1 h. This used to overflow (A(x, y) ~ e^400,000 with one agent).
    calls, interval_s, aht_s, patience_s = 100_000, 900, 7_200, 3_600
    required = agents_required(
        calls, interval_s, aht_s, 0.99, 0, model="erlang_a", patience_s=patience_s
    )
    # Threshold 0: answered within 0 s means not waiting, so SL = 1 - P(wait) and the
    # target needs P(wait) <= 1 %. Independent: the birth-death chain in log space.
    for agents in (required - 1, required):
        result = erlang_a(calls, interval_s, aht_s, agents, 0, patience_s)
        reference = log_chain_erlang_a(calls, interval_s, aht_s, agents, patience_s, 20_000)
        assert result["p_wait"] == pytest.approx(reference["p_wait"], rel=1e-6)
        assert result["p_abandon"] == pytest.approx(reference["p_abandon"], rel=1e-6)
        assert result["service_level"] == pytest.approx(1 - reference["p_wait"], rel=1e-9)
    assert reference["p_wait"] <= 0.01  # at `required`
    previous = log_chain_erlang_a(calls, interval_s, aht_s, required - 1, patience_s, 20_000)
    assert previous["p_wait"] > 0.01
    # Far below the load every agent is always busy: throughput N / AHT, so by hand
    # P(abandon) = 1 - N / A (1 agent: 1 - 1/800,000; 1,000 agents: 0.99875).
    for agents in (1, 1_000, 400_000):
        result = erlang_a(calls, interval_s, aht_s, agents, 20, patience_s)
        assert result["p_abandon"] == pytest.approx(1 - agents / 800_000, rel=1e-9)
        assert result["p_wait"] == 1.0 and result["service_level"] == 0.0
        assert result["asa_s"] == pytest.approx(result["p_abandon"] * patience_s)


def test_erlang_a_large_n_tends_to_erlang_c_as_patience_grows():
    # 10,000 agents at 9,800 Erlangs (rho = 0.98): every gap to Erlang C shrinks about
    # tenfold per tenfold patience; ASA = P(Ab) x patience needs P(Ab) accurate to its
    # last digits, where the closed form 1/(rho A(x, y)) + 1 - 1/rho cancels.
    calls = 9_800 * 1800 / 180
    c = erlang_c(calls, 1800, 180, 10_000, 20)
    patiences = (1e3, 1e5, 1e7, 1e9, 1e11)
    results = [erlang_a(calls, 1800, 180, 10_000, 20, p) for p in patiences]
    for key in ("service_level", "p_wait", "asa_s", "occupancy"):
        gaps = [abs(a[key] / c[key] - 1) for a in results]
        assert all(later < 0.2 * earlier for earlier, later in zip(gaps, gaps[1:], strict=False)), (
            key
        )
        assert gaps[-1] < 1e-8, key
    # P(Ab) against the log-space birth-death chain, short and very long patience.
    for patience_s in (300, 1e5, 1e9):
        result = erlang_a(calls, 1800, 180, 10_000, 20, patience_s)
        reference = log_chain_erlang_a(calls, 1800, 180, 10_000, patience_s, 4_000)
        assert result["p_abandon"] == pytest.approx(reference["p_abandon"], rel=1e-6)
        assert result["p_wait"] == pytest.approx(reference["p_wait"], rel=1e-6)


def test_erlang_a_more_agents_better_service():
    levels = [erlang_a(CALLS, INTERVAL_S, AHT_S, n, THRESHOLD_S, 300) for n in range(1, 25)]
    sl = [r["service_level"] for r in levels]
    abandon = [r["p_abandon"] for r in levels]
    assert all(b > a for a, b in zip(sl, sl[1:], strict=False))
    assert all(b < a for a, b in zip(abandon, abandon[1:], strict=False))


def test_erlang_a_zero_agents_and_no_calls():
    nobody = erlang_a(CALLS, INTERVAL_S, AHT_S, 0, THRESHOLD_S, 300)
    assert nobody["p_abandon"] == 1.0 and nobody["service_level"] == 0.0
    assert nobody["asa_s"] == 300.0  # everyone waits out their patience
    quiet = erlang_a(0, INTERVAL_S, AHT_S, 2, THRESHOLD_S, 300)
    assert quiet["service_level"] == 1.0 and quiet["p_abandon"] == 0.0


def test_agents_required_erlang_a():
    # Independent: the smallest N whose chain SL >= 0.80 (patience 5 min).
    chain_sl = {
        n: chain_erlang_a(CALLS, INTERVAL_S, AHT_S, n, THRESHOLD_S, 300)["service_level"]
        for n in (12, 13)
    }
    assert chain_sl[12] < 0.80 <= chain_sl[13]
    assert (
        agents_required(
            CALLS, INTERVAL_S, AHT_S, 0.80, THRESHOLD_S, model="erlang_a", patience_s=300
        )
        == 13
    )
    # Fewer agents than Erlang C's 14: abandons shorten the queue.
    assert agents_required(CALLS, INTERVAL_S, AHT_S, 0.80, THRESHOLD_S) == 14


def test_agents_required_large_load_is_the_smallest_count():
    calls = 9_800 * 1800 / 180
    required = agents_required(calls, 1800, 180, 0.80, 20)
    assert erlang_c(calls, 1800, 180, required, 20)["service_level"] >= 0.80
    assert erlang_c(calls, 1800, 180, required - 1, 20)["service_level"] < 0.80
    assert 9_800 < required < 10_000


# --------------------------------------------------------------------------
# shrinkage, patience, curve
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("required", "shrinkage", "expected"),
    [(14, 0.30, 20), (15, 0.30, 22), (14, 0.0, 14), (13, 0.35, 20), (21, 0.30, 30), (0, 0.3, 0)],
)
def test_scheduled_agents(required, shrinkage, expected):
    # By hand: 14/0.7 = 20; 15/0.7 = 21.43 -> 22; 13/0.65 = 20; 21/0.7 = 30 exactly,
    # although 21 / (1 - 0.3) is 30.000000000000004 in floating point.
    assert scheduled_agents(required, shrinkage) == expected


def test_estimate_patience_hand_calculation():
    # 12 abandons, 3,600 s waited in total by all queued callers: 3600 / 12 = 300 s.
    assert estimate_patience(12, 3600) == 300.0
    assert estimate_patience(0, 500) == math.inf
    with pytest.raises(ValueError):
        estimate_patience(3, 0)


def test_estimate_patience_recovers_simulated_patience():
    # Simulation: exponential patience (mean 120 s) censored by exponential offered waits
    # (mean 60 s). Wait = min(offered, patience); abandoned when patience < offered.
    rng = np.random.default_rng(7)
    patience = rng.exponential(120.0, size=40_000)
    offered = rng.exponential(60.0, size=40_000)
    abandoned = patience < offered
    waits = np.minimum(patience, offered)
    estimate = estimate_patience(abandoned.sum(), waits.sum())
    # Standard error of the MLE is about 120 / sqrt(#abandons) = 120 / sqrt(13,300) = 1.0 s.
    assert estimate == pytest.approx(120.0, abs=4.0)


def test_staffing_curve_rows_match_the_models():
    curve = staffing_curve(CALLS, INTERVAL_S, AHT_S, THRESHOLD_S, range(9, 17), patience_s=300)
    assert list(curve.columns) == [
        "agents",
        "erlang_c_sl",
        "erlang_c_asa_s",
        "erlang_c_occupancy",
        "erlang_a_sl",
        "erlang_a_asa_s",
        "erlang_a_occupancy",
        "erlang_a_p_abandon",
    ]
    assert curve["agents"].tolist() == list(range(9, 17))
    row_14 = curve.set_index("agents").loc[14]
    assert round(row_14["erlang_c_sl"], 4) == ref.WORKED_SERVICE_LEVEL  # CCH / pyworkforce
    assert round(row_14["erlang_a_sl"], 6) == ref.ERLANG_A_SERVICE_LEVEL  # pyworkforce
    assert round(row_14["erlang_a_p_abandon"], 6) == ref.ERLANG_A_P_ABANDON
    unstable = curve.set_index("agents").loc[10]
    assert unstable["erlang_c_sl"] == 0.0 and unstable["erlang_c_asa_s"] == math.inf
    assert 0 < unstable["erlang_a_sl"] < 1  # Erlang A stays defined at N <= A
    assert curve["erlang_a_sl"].is_monotonic_increasing


def test_staffing_curve_erlang_a_occupancy_is_the_answered_load_per_agent():
    curve = staffing_curve(CALLS, INTERVAL_S, AHT_S, THRESHOLD_S, [8, 14], patience_s=300)
    rows = curve.set_index("agents")
    # By hand at 14 agents: lambda (1 - P(Ab)) AHT / N = (100 / 1800) (1 - 0.013984) 180 / 14
    # = 10 x 0.986016 / 14 = 0.704297, pyworkforce's Erlang A regression occupancy.
    assert round(rows.loc[14, "erlang_a_p_abandon"], 6) == ref.ERLANG_A_P_ABANDON
    assert round(rows.loc[14, "erlang_a_occupancy"], 6) == ref.ERLANG_A_OCCUPANCY
    assert rows.loc[14, "erlang_a_occupancy"] < rows.loc[14, "erlang_c_occupancy"] == 10 / 14
    # Overloaded (8 agents for 10 Erlangs): the answered load is the mean number of busy
    # agents, E[min(k, N)] over the birth-death chain, divided by N.
    lam, mu, theta = CALLS / INTERVAL_S, 1 / AHT_S, 1 / 300
    weights = [1.0]
    for k in range(1, 8 + 400 + 1):
        weights.append(weights[-1] * lam / (min(k, 8) * mu + max(k - 8, 0) * theta))
    p = np.array(weights) / sum(weights)
    busy = float((np.minimum(np.arange(len(p)), 8) * p).sum())
    assert rows.loc[8, "erlang_a_occupancy"] == pytest.approx(busy / 8, rel=1e-9)
    assert rows.loc[8, "erlang_a_occupancy"] == pytest.approx(
        10 * (1 - rows.loc[8, "erlang_a_p_abandon"]) / 8, rel=1e-12
    )
    assert 0.95 < rows.loc[8, "erlang_a_occupancy"] < 1.0
    assert rows.loc[8, "erlang_c_occupancy"] == 1.0  # unstable: agents never idle


def test_staffing_curve_without_patience_leaves_erlang_a_empty():
    curve = staffing_curve(CALLS, INTERVAL_S, AHT_S, THRESHOLD_S, [14, 15])
    assert curve["erlang_a_sl"].isna().all() and curve["erlang_a_p_abandon"].isna().all()
    assert curve["erlang_a_occupancy"].isna().all()
    pd.testing.assert_series_equal(
        curve["erlang_c_occupancy"], pd.Series([10 / 14, 10 / 15], name="erlang_c_occupancy")
    )


# --------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "call",
    [
        lambda: erlang_c(-1, 1800, 180, 14, 20),
        lambda: erlang_c(100, 0, 180, 14, 20),
        lambda: erlang_c(100, 1800, 0, 14, 20),
        lambda: erlang_c(100, 1800, 180, -1, 20),
        lambda: erlang_c(100, 1800, 180, 14, -5),
        lambda: erlang_c(math.nan, 1800, 180, 14, 20),
        lambda: erlang_a(100, 1800, 180, 13.5, 20, 300),
        lambda: erlang_a(100, 1800, 180, 13, 20, 0),
        lambda: agents_required(100, 1800, 180, 1.0, 20),
        lambda: agents_required(100, 1800, 180, None, 20),
        lambda: agents_required(100, 1800, 180, 0.8, 20, model="erlang_a"),
        lambda: agents_required(100, 1800, 180, 0.8, 20, model="erlang_x"),
        lambda: agents_required(100, 1800, 180, 0.8, 20, max_occupancy=0),
        lambda: scheduled_agents(14, 1.0),
        lambda: staffing_curve(100, 1800, 180, 20, [12.5]),
    ],
)
def test_invalid_inputs_raise(call):
    with pytest.raises(ValueError):
        call()


# --------------------------------------------------------------------------
# model SL for real agent counts, exact agents for a target
# --------------------------------------------------------------------------
def test_model_service_level_erlang_c_and_a():
    # Erlang C at 14 agents: CCH 0.8884; Erlang A (patience 300 s): pyworkforce 0.916792.
    worked = model_service_level(CALLS, INTERVAL_S, AHT_S, 14, THRESHOLD_S)
    assert round(worked, 4) == ref.WORKED_SERVICE_LEVEL
    patient = model_service_level(CALLS, INTERVAL_S, AHT_S, 14, THRESHOLD_S, 300)
    assert round(patient, 6) == ref.ERLANG_A_SERVICE_LEVEL
    # Infinite patience is Erlang C.
    assert (
        model_service_level(CALLS, INTERVAL_S, AHT_S, 12.4, THRESHOLD_S, math.inf)
        == (erlang_c(CALLS, INTERVAL_S, AHT_S, 12.4, THRESHOLD_S)["service_level"])
    )
    # Erlang A at 13.25 agents: linear interpolation 0.75 SL(13) + 0.25 SL(14).
    sl_13 = erlang_a(CALLS, INTERVAL_S, AHT_S, 13, THRESHOLD_S, 300)["service_level"]
    sl_14 = erlang_a(CALLS, INTERVAL_S, AHT_S, 14, THRESHOLD_S, 300)["service_level"]
    assert model_service_level(CALLS, INTERVAL_S, AHT_S, 13.25, THRESHOLD_S, 300) == pytest.approx(
        0.75 * sl_13 + 0.25 * sl_14
    )


def test_agents_for_target_is_exact_and_between_whole_counts():
    # Erlang C: 13 agents give 0.7956 < 0.80 <= 0.8884 at 14 (CCH), so 13 < N* < 14.
    n_star = agents_for_target(CALLS, INTERVAL_S, AHT_S, 0.80, THRESHOLD_S)
    assert 13 < n_star < 14
    assert model_service_level(CALLS, INTERVAL_S, AHT_S, n_star, THRESHOLD_S) == pytest.approx(
        0.80, abs=1e-9
    )
    # Erlang A (patience 300 s): 13 agents are required (see test_agents_required_erlang_a);
    # by hand N* = 12 + (0.80 - SL(12)) / (SL(13) - SL(12)).
    sl_12 = erlang_a(CALLS, INTERVAL_S, AHT_S, 12, THRESHOLD_S, 300)["service_level"]
    sl_13 = erlang_a(CALLS, INTERVAL_S, AHT_S, 13, THRESHOLD_S, 300)["service_level"]
    expected = 12 + (0.80 - sl_12) / (sl_13 - sl_12)
    assert agents_for_target(CALLS, INTERVAL_S, AHT_S, 0.80, THRESHOLD_S, 300) == pytest.approx(
        expected
    )
    assert agents_for_target(0, INTERVAL_S, AHT_S, 0.80, THRESHOLD_S) == 0.0


# --------------------------------------------------------------------------
# attribution: one at a time and Shapley
# --------------------------------------------------------------------------
def test_attribute_change_tiny_hand_case():
    # f(a, b, c) = a * b * c from (1, 1, 1) to (2, 3, 4): total change 24 - 1 = 23.
    # v(.) with the changed inputs: v{} = 1, v{a} = 2, v{b} = 3, v{c} = 4, v{ab} = 6,
    # v{ac} = 8, v{bc} = 12, v{abc} = 24.
    parts = attribute_change(
        lambda a, b, c: a * b * c, {"a": 1, "b": 1, "c": 1}, {"a": 2, "b": 3, "c": 4}, "abc"
    )
    assert parts["start_value"] == 1 and parts["end_value"] == 24
    # One at a time, order a, b, c: a 2 - 1 = 1; b 6 - 2 = 4; c 24 - 6 = 18 (sum 23).
    assert parts["sequential"] == {"a": 1, "b": 4, "c": 18}
    # Shapley, weights |S|!(n-|S|-1)!/n! = 1/3, 1/6, 1/6, 1/3 for |S| = 0, 1, 1, 2:
    # a: 1/3 (2-1) + 1/6 (6-3) + 1/6 (8-4) + 1/3 (24-12) = 1/3 + 1/2 + 2/3 + 4 = 5.5
    # b: 1/3 (3-1) + 1/6 (6-2) + 1/6 (12-4) + 1/3 (24-8) = 2/3 + 2/3 + 4/3 + 16/3 = 8
    # c: 1/3 (4-1) + 1/6 (8-2) + 1/6 (12-3) + 1/3 (24-6) = 1 + 1 + 3/2 + 6 = 9.5
    assert parts["shapley"] == pytest.approx({"a": 5.5, "b": 8.0, "c": 9.5})
    assert sum(parts["sequential"].values()) == 23
    assert sum(parts["shapley"].values()) == pytest.approx(23)
    # With no interaction (a sum) every order gives the same split.
    additive = attribute_change(lambda a, b: a + 10 * b, {"a": 0, "b": 0}, {"a": 1, "b": 2}, "ab")
    assert additive["sequential"] == additive["shapley"] == {"a": 1, "b": 20}
    with pytest.raises(ValueError):
        attribute_change(lambda a: a, {"a": 1}, {}, "a")


def interval_row(**changes) -> dict:
    """One 30-minute interval: 100 calls at 180 s forecast, staffed as scheduled (14)."""
    row = {
        "interval_start": pd.Timestamp("2025-01-06 09:00"),
        "interval_minutes": 30.0,
        "queue": "Q",
        "offered": 100.0,
        "answered": 100.0,
        "abandoned": 0.0,
        "short_abandoned": 0.0,
        "answered_in_sl": 80.0,
        "wait_s_sum": 500.0,
        "abandon_wait_s_sum": 0.0,
        "handle_s_sum": 18000.0,
        "forecast_offered": 100.0,
        "forecast_aht_s": 180.0,
        "scheduled_agents": 14.0,
        "staffed_agents": 14.0,
    }
    row.update(changes)
    return row


def test_sl_attribution_of_one_interval_by_hand():
    # Forecast 100 calls x 180 s, scheduled 14; actual 110 calls x 190 s (handle 20,900 s
    # over 110 answered), staffed 13; measured SL 60 / 110. Model: Erlang C, 80/20.
    frame = pd.DataFrame(
        [
            interval_row(
                offered=110.0,
                answered=110.0,
                answered_in_sl=60.0,
                handle_s_sum=20900.0,
                staffed_agents=13.0,
            )
        ]
    )
    row = why_intervals(frame, model="erlang_c").iloc[0]

    def g(calls, aht, agents):
        return erlang_c(calls, 1800, aht, agents, 20)["service_level"]

    n_star = agents_for_target(100, 1800, 180, 0.80, 20)  # g(100, 180, N*) = 0.80 exactly
    measured = 60 / 110
    volume = g(110, 180, n_star) - 0.80
    aht = g(110, 190, n_star) - g(110, 180, n_star)
    staffing = g(110, 190, 13) - g(110, 190, n_star)
    unexplained = measured - g(110, 190, 13)
    assert row["needed_forecast"] == pytest.approx(n_star)
    assert row["aht_s"] == pytest.approx(190.0)
    assert row["model_sl"] == pytest.approx(g(110, 190, 13))
    assert row["seq_volume"] == pytest.approx(volume)
    assert row["seq_aht"] == pytest.approx(aht)
    assert row["seq_staffing"] == pytest.approx(staffing)
    # Staffing splits into schedule (N* -> 14) and adherence (14 -> 13).
    assert row["seq_schedule"] == pytest.approx(g(110, 190, 14) - g(110, 190, n_star))
    assert row["seq_adherence"] == pytest.approx(g(110, 190, 13) - g(110, 190, 14))
    assert row["seq_schedule"] + row["seq_adherence"] == pytest.approx(row["seq_staffing"])
    assert row["unexplained"] == pytest.approx(unexplained)
    # The one-at-a-time parts sum to the total shortfall measured - target.
    total = row["seq_volume"] + row["seq_aht"] + row["seq_staffing"] + row["unexplained"]
    assert total == pytest.approx(measured - 0.80)
    # Shapley for volume (V), weights 1/3, 1/6, 1/6, 1/3 over the subsets of {H, N}:
    shapley_volume = (
        (g(110, 180, n_star) - g(100, 180, n_star)) / 3
        + (g(110, 190, n_star) - g(100, 190, n_star)) / 6
        + (g(110, 180, 13) - g(100, 180, 13)) / 6
        + (g(110, 190, 13) - g(100, 190, 13)) / 3
    )
    assert row["shapley_volume"] == pytest.approx(shapley_volume)
    shapley_total = row["shapley_volume"] + row["shapley_aht"] + row["shapley_staffing"]
    assert shapley_total + row["unexplained"] == pytest.approx(measured - 0.80)
    # Required whole agents: 14 at forecast (CCH); at 110 x 190 s (A = 11.61) more are needed.
    assert row["required_forecast"] == 14
    assert row["required_actual"] == agents_required(110, 1800, 190, 0.80, 20)
    assert row["required_actual"] > 14


def test_attribution_without_a_forecast_is_staffing_and_unexplained_only():
    frame = pd.DataFrame([interval_row(staffed_agents=12.0, answered_in_sl=70.0)])
    frame = frame.drop(columns=["forecast_offered", "forecast_aht_s"])
    row = why_intervals(frame, model="erlang_c").iloc[0]
    assert np.isnan(row["seq_volume"]) and np.isnan(row["shapley_aht"])
    # Start at the actual load with N* = needed_actual: staffing = g(12) - 0.80.
    staffing = erlang_c(100, 1800, 180, 12, 20)["service_level"] - 0.80
    assert row["seq_staffing"] == pytest.approx(staffing)
    assert row["shapley_staffing"] == pytest.approx(staffing)
    assert row["seq_staffing"] + row["unexplained"] == pytest.approx(0.70 - 0.80)


# --------------------------------------------------------------------------
# noise band and classification
# --------------------------------------------------------------------------
def test_sl_noise_band_wilson_by_hand():
    # Wilson 95 % for 8 of 10, z = 1.959964: centre (0.8 + z^2/20) / (1 + z^2/10) = 0.716740,
    # half-width z sqrt(0.8 * 0.2 / 10 + z^2 / 400) / (1 + z^2/10) = 0.226578
    # -> (0.4902, 0.9433).
    low, high = sl_noise_band([8, 0, 5], [10, 0, np.nan])
    assert round(low[0], 4) == 0.4902 and round(high[0], 4) == 0.9433
    assert np.isnan(low[1]) and np.isnan(high[2])


def test_classification_of_constructed_intervals():
    frame = pd.DataFrame(
        [
            # Demand 150 calls where 100 were forecast; schedule and staffing as planned.
            interval_row(
                queue="surge",
                offered=150.0,
                answered=150.0,
                answered_in_sl=45.0,
                handle_s_sum=27000.0,
            ),
            # Demand as forecast, 11 of 14 scheduled agents on the phones.
            interval_row(queue="absent", staffed_agents=11.0, answered_in_sl=40.0),
            # Demand as forecast, only 12 scheduled and staffed.
            interval_row(
                queue="plan", scheduled_agents=12.0, staffed_agents=12.0, answered_in_sl=55.0
            ),
            # 17 agents for 100 calls (model SL 0.99), yet 40 % answered in time.
            interval_row(
                queue="other", scheduled_agents=17.0, staffed_agents=17.0, answered_in_sl=40.0
            ),
            # 5 calls, 3 in time: 60 % is below 80 %, but within noise (Wilson upper 0.88).
            interval_row(
                queue="few",
                offered=5.0,
                answered=5.0,
                answered_in_sl=3.0,
                handle_s_sum=900.0,
                forecast_offered=5.0,
                scheduled_agents=2.0,
                staffed_agents=2.0,
            ),
            interval_row(queue="fine"),
            interval_row(
                queue="empty", offered=0.0, answered=0.0, answered_in_sl=0.0, handle_s_sum=0.0
            ),
        ]
    )
    table = why_intervals(frame, model="erlang_c").set_index("queue")
    assert table.loc["surge", "interval_class"] == "forecast_miss"
    assert table.loc["absent", "interval_class"] == "adherence_gap"
    assert table.loc["plan", "interval_class"] == "schedule_gap"
    assert table.loc["other", "interval_class"] == "something_else"
    assert table.loc["few", "interval_class"] == "within_noise"
    assert table.loc["fine", "interval_class"] == "met_target"
    assert table.loc["empty", "interval_class"] == "no_calls"
    # The main Shapley effect agrees with the class.
    assert table.loc["surge", "shapley_volume"] < table.loc["surge", "shapley_staffing"]
    assert table.loc["absent", "shapley_staffing"] < -0.3
    assert table.loc["other", "unexplained"] < -0.5
    assert set(table["interval_class"]) <= set(INTERVAL_CLASSES)
    assert set(INTERVAL_CLASS_HELP) == set(INTERVAL_CLASSES)


def test_classify_intervals_splits_the_agent_gap():
    # Gaps (needed_actual - needed_forecast, needed_forecast - scheduled, scheduled - staffed):
    # row 0: (2, 0.5, 1) -> forecast; row 1: (0.2, 3, 1) -> schedule; row 2: (0.2, -1, 4) -> adherence.
    rows = pd.DataFrame(
        {
            "measured_sl": [0.5, 0.5, 0.5, 0.5],
            "sl_base": [200.0] * 4,
            "sl_high": [0.57] * 4,
            "target_sl": [0.8] * 4,
            "model_sl": [0.4, 0.4, 0.4, 0.4],
            "needed_forecast": [13.5, 16.0, 12.0, np.nan],
            "needed_actual": [15.5, 16.2, 12.2, 14.0],
            "scheduled_agents": [13.0, 13.0, 13.0, 13.0],
            "staffed_agents": [12.0, 12.0, 9.0, 12.0],
        }
    )
    assert classify_intervals(rows).tolist() == [
        "forecast_miss",
        "schedule_gap",
        "adherence_gap",
        "understaffed",  # no forecast: the gap cannot be split
    ]


# --------------------------------------------------------------------------
# inputs from calls, patience, day roll-up, summary
# --------------------------------------------------------------------------
def test_staffing_inputs_from_calls_estimates_staffing():
    calls = pd.DataFrame(
        {
            "arrived_at": pd.to_datetime(
                ["2025-01-06 09:05", "2025-01-06 09:10", "2025-01-06 09:40"]
            ),
            "queue": ["Q", "Q", "Q"],
            "wait_s": [5.0, 40.0, 10.0],
            "answered": [True, True, True],
            "abandoned": [False, False, False],
            "talk_s": [600.0, 900.0, 1200.0],
            "hold_s": [0.0, 0.0, 0.0],
            "acw_s": [0.0, 300.0, 0.0],
        }
    )
    table = staffing_inputs(calls, expected_occupancy=0.8)
    # 09:00: busy 600 + 1200 = 1,800 s of 1,800 s -> 1 busy agent / 0.8 = 1.25 agents.
    # 09:30: 1,200 s -> 0.667 busy / 0.8 = 0.833 agents.
    assert table["staffed_agents"].tolist() == pytest.approx([1.25, 1200 / 1800 / 0.8])
    assert table["staffed_is_estimate"].all()
    assert table["measured_sl"].tolist() == [0.5, 1.0]
    assert table["aht_s"].tolist() == [900.0, 1200.0]
    # With a plan, staffing comes from the plan and is not an estimate.
    plan = pd.DataFrame(
        {
            "interval_start": pd.to_datetime(
                ["2025-01-06 09:00", "2025-01-06 09:30", "2025-01-06 10:00"]
            ),
            "interval_minutes": 30.0,
            "queue": "Q",
            "staffed_agents": [2.0, 2.0, 1.0],
            "forecast_offered": [2.0, 1.0, 1.0],
            "forecast_aht_s": [800.0, 800.0, 700.0],
        }
    )
    planned = staffing_inputs(calls, plan)
    assert planned["staffed_agents"].tolist() == [2.0, 2.0, 1.0]
    assert not planned["staffed_is_estimate"].any()
    # 10:00 had no call: 0 offered, no measured SL, AHT taken from the forecast.
    assert planned["offered"].tolist() == [2.0, 1.0, 0.0]
    assert np.isnan(planned["measured_sl"].iloc[2]) and planned["aht_used_s"].iloc[2] == 700.0


def three_calls(queue) -> pd.DataFrame:
    """Calls at 09:05 (talk 600 s), 09:10 (900 s + ACW 300 s), 09:40 (1,200 s); 80/20 met by
    the first and third (waits 5, 40, 10 s)."""
    return pd.DataFrame(
        {
            "arrived_at": pd.to_datetime(
                ["2025-01-06 09:05", "2025-01-06 09:10", "2025-01-06 09:40"]
            ),
            "queue": queue,
            "wait_s": [5.0, 40.0, 10.0],
            "answered": [True, True, True],
            "abandoned": [False, False, False],
            "talk_s": [600.0, 900.0, 1200.0],
            "hold_s": [0.0, 0.0, 0.0],
            "acw_s": [0.0, 300.0, 0.0],
        }
    )


def half_hour_plan(**columns) -> pd.DataFrame:
    """A plan for 09:00 and 09:30: forecast 2 and 1 calls at 800 s, 2 agents staffed."""
    plan = pd.DataFrame(
        {
            "interval_start": pd.to_datetime(["2025-01-06 09:00", "2025-01-06 09:30"]),
            "interval_minutes": 30.0,
            "forecast_offered": [2.0, 1.0],
            "forecast_aht_s": [800.0, 800.0],
            "staffed_agents": [2.0, 2.0],
        }
    )
    return plan.assign(**columns)


@pytest.mark.parametrize(
    "empty_queue",
    [
        pd.Categorical([None, None, None], categories=[]),  # as ccmetrics.io.load keeps it
        [np.nan, np.nan, np.nan],
    ],
)
def test_staffing_inputs_call_log_without_queue_values(empty_queue):
    # The loader keeps every canonical column, all-missing where the export lacks it: a
    # queue column without any value is no queue (this raised IndexError).
    calls = three_calls(empty_queue)
    table = staffing_inputs(calls, expected_occupancy=0.8)
    assert "queue" not in table.columns and table.attrs["notes"] == []
    # The same as the call log without the column, see the hand calculation above:
    # 1,800 s busy of 1,800 s / 0.8 = 1.25 agents; 1,200 / 1,800 / 0.8 = 0.833 agents.
    assert table["staffed_agents"].tolist() == pytest.approx([1.25, 1200 / 1800 / 0.8])
    assert table["measured_sl"].tolist() == [0.5, 1.0]
    pd.testing.assert_frame_equal(
        table, staffing_inputs(calls.drop(columns="queue"), None, expected_occupancy=0.8)
    )
    # With a plan (with or without an empty queue column of its own), joined per interval.
    for plan in (half_hour_plan(), half_hour_plan(queue=[np.nan, np.nan])):
        planned = staffing_inputs(calls, plan)
        assert planned["forecast_offered"].tolist() == [2.0, 1.0]
        assert planned["staffed_agents"].tolist() == [2.0, 2.0]
        assert planned.attrs["notes"] == []


@pytest.mark.parametrize("plan_queue", ["absent", "empty"])
def test_staffing_inputs_plan_without_queues_compares_all_queues_together(plan_queue):
    # Calls in queues A and B, a plan without queues (no column, or an all-missing one as
    # the loader makes it). Before: ValueError, or every forecast NaN (misjoined on "nan").
    calls = three_calls(["A", "B", "A"])
    plan = half_hour_plan() if plan_queue == "absent" else half_hour_plan(queue=[None, None])
    table = staffing_inputs(calls, plan)
    assert "queue" not in table.columns
    # The calls summed over queues: 09:00 has 2 (A and B), 09:30 has 1 (A); by hand
    # SL 1/2 and 1/1, AHT (600 + 1,200) / 2 = 900 s and 1,200 s.
    assert table["offered"].tolist() == [2.0, 1.0]
    assert table["measured_sl"].tolist() == [0.5, 1.0]
    assert table["aht_s"].tolist() == [900.0, 1200.0]
    assert table["forecast_offered"].tolist() == [2.0, 1.0]
    assert table["forecast_aht_s"].tolist() == [800.0, 800.0]
    assert table["staffed_agents"].tolist() == [2.0, 2.0]
    assert not table["staffed_is_estimate"].any()
    [note] = table.attrs["notes"]
    assert note["code"] == "plan_without_queues" and note["code"] in INPUT_NOTES
    assert note["data_queues"] == ["A", "B"] and note["plan_queues"] == []
    assert "A, B" in note["message"]
    # why_intervals passes the note on and models the plan, not NaN.
    why = why_intervals(calls, plan, model="erlang_c")
    assert why.attrs["notes"] == table.attrs["notes"]
    assert why["required_forecast"].tolist() == [
        agents_required(2, 1800, 800, 0.8, 20),
        agents_required(1, 1800, 800, 0.8, 20),
    ]
    # The model at the plan's 2 agents with the measured load (2 x 900 s, 1 x 1,200 s).
    assert why["model_sl"].tolist() == [
        model_service_level(2, 1800, 900, 2, 20),
        model_service_level(1, 1800, 1200, 2, 20),
    ]


def test_staffing_inputs_plan_per_queue_with_data_without_queues_is_summed():
    # A plan per queue beside a call log without queue values: the plan's queues are
    # summed per interval (by hand: forecast 1 + 1 = 2 calls, AHT (1 x 600 + 1 x 1,000) / 2
    # = 800 s, 1 + 1 = 2 agents at 09:00); nothing to say, no other comparison exists.
    calls = three_calls([None, None, None])
    plan = pd.DataFrame(
        {
            "interval_start": pd.to_datetime(["2025-01-06 09:00"] * 2 + ["2025-01-06 09:30"]),
            "interval_minutes": 30.0,
            "queue": ["A", "B", "A"],
            "forecast_offered": [1.0, 1.0, 1.0],
            "forecast_aht_s": [600.0, 1000.0, 800.0],
            "staffed_agents": [1.0, 1.0, 2.0],
        }
    )
    table = staffing_inputs(calls, plan)
    assert "queue" not in table.columns and table.attrs["notes"] == []
    assert table["forecast_offered"].tolist() == [2.0, 1.0]
    assert table["forecast_aht_s"].tolist() == [800.0, 800.0]
    assert table["staffed_agents"].tolist() == [2.0, 2.0]


def test_staffing_inputs_plan_of_other_queues_is_named():
    calls = three_calls(["A", "B", "A"])
    table = staffing_inputs(calls, half_hour_plan(queue="C"))
    [note] = table.attrs["notes"]
    assert note["code"] == "plan_other_queues"
    assert note["plan_queues"] == ["C"] and note["data_queues"] == ["A", "B"]
    # Kept apart: C has the plan and no calls, A and B calls and estimated staffing.
    by_queue = table.groupby("queue")[["offered", "forecast_offered"]].sum(min_count=1)
    assert by_queue["offered"].to_dict() == {"A": 2.0, "B": 1.0, "C": 0.0}
    assert by_queue.loc["C", "forecast_offered"] == 3.0
    assert by_queue[["forecast_offered"]].loc[["A", "B"]].isna().all().all()
    # A plan sharing a queue with the data needs no note.
    assert staffing_inputs(calls, half_hour_plan(queue="A")).attrs["notes"] == []


def test_patience_is_estimated_per_queue():
    frame = pd.DataFrame(
        [
            interval_row(
                queue="A", abandoned=4.0, answered=96.0, wait_s_sum=900.0, abandon_wait_s_sum=300.0
            ),
            interval_row(
                queue="A",
                interval_start=pd.Timestamp("2025-01-06 09:30"),
                abandoned=2.0,
                answered=98.0,
                wait_s_sum=600.0,
                abandon_wait_s_sum=0.0,
            ),
            interval_row(queue="B", abandoned=0.0),
        ]
    )
    table = why_intervals(frame).set_index("queue")
    # Queue A: (900 + 300 + 600 + 0) s waited / 6 abandons = 300 s (estimate_patience).
    assert table.loc["A", "patience_s"].tolist() == [300.0, 300.0]
    assert (table.loc["A", "model"] == "erlang_a").all()
    # Queue B: no abandons -> infinite patience -> Erlang C.
    assert table.loc["B", "patience_s"] == math.inf and table.loc["B", "model"] == "erlang_c"
    fixed = why_intervals(frame, patience_s={"A": 120.0, "B": 60.0}).set_index("queue")
    assert fixed.loc["B", "patience_s"] == 60.0
    with pytest.raises(ValueError):
        why_intervals(frame, patience_s={"A": 120.0})


def test_why_day_effects_add_up_to_the_day_shortfall():
    frame = pd.DataFrame(
        [
            interval_row(queue="A", staffed_agents=12.0, answered_in_sl=60.0),
            interval_row(
                queue="B", offered=120.0, answered=120.0, answered_in_sl=70.0, handle_s_sum=22800.0
            ),
            interval_row(
                queue="A", interval_start=pd.Timestamp("2025-01-06 09:30"), answered_in_sl=85.0
            ),
        ]
    )
    table = why_intervals(frame, model="erlang_c")
    day = why_day(table).iloc[0]
    # Day SL = (60 + 70 + 85) / (100 + 120 + 100) = 215 / 320.
    assert day["measured_sl"] == pytest.approx(215 / 320)
    assert day["shortfall"] == pytest.approx(215 / 320 - 0.80)
    shapley = day["shapley_volume"] + day["shapley_aht"] + day["shapley_staffing"]
    sequential = day["seq_volume"] + day["seq_aht"] + day["seq_staffing"]
    assert shapley + day["unexplained"] == pytest.approx(day["shortfall"])
    assert sequential + day["unexplained"] == pytest.approx(day["shortfall"])
    # Effects are weighted by each interval's n: volume = (120 x volume of B) / 320.
    b_volume = table.loc[table["queue"] == "B", "shapley_volume"].item()
    assert day["shapley_volume"] == pytest.approx(120 * b_volume / 320)
    # Agent-hours: 12 + 14 + 14 agents for half an hour each.
    assert day["staffed_hours"] == pytest.approx(20.0)
    assert day["scheduled_hours"] == pytest.approx(21.0)
    assert day["intervals"] == 3 and day["main_cause"] in EFFECTS
    per_queue = why_day(table, by="queue")
    assert per_queue["queue"].tolist() == ["A", "B"]
    assert per_queue.loc[0, "measured_sl"] == pytest.approx(145 / 200)


def test_why_summary_states_the_numbers_in_both_languages():
    frame = pd.DataFrame([interval_row(staffed_agents=11.0, answered_in_sl=40.0)])
    day = why_day(why_intervals(frame, model="erlang_c")).iloc[0]
    summary = why_summary(day)
    assert set(summary) == {"en", "zh"}
    assert "service level 40.0% against a target of 80.0% (n = 100 calls)" in summary["en"]
    assert "40.0 points short" in summary["en"] and "mainly staffing" in summary["en"]
    assert "Staffed 6 agent-hours, scheduled 7" in summary["en"]
    assert "adherence gap 1" in summary["en"]
    assert "服务水平 40.0%，目标 80.0%" in summary["zh"] and "主要原因：人力" in summary["zh"]
    met = why_summary(why_day(why_intervals(pd.DataFrame([interval_row()]))).iloc[0])
    assert "target met" in met["en"] and "达标" in met["zh"]


def test_why_summary_names_the_story_cause():
    # 40 % against 80 % with 11 agents: the split's largest effect is staffing
    frame = pd.DataFrame([interval_row(staffed_agents=11.0, answered_in_sl=40.0)])
    day = why_day(why_intervals(frame, model="erlang_c")).iloc[0]
    assert day["main_cause"] == "staffing"
    # a story carried by that effect: the same sentence as without a story
    assert why_summary(day, "supply_shortfall") == why_summary(day)
    # a story with another cause: named as the story's, never "mainly staffing"
    local = why_summary(day, "local_change")
    assert "; main cause (the day's story): local change." in local["en"]
    assert "mainly" not in local["en"]
    assert "；主要原因（当天的结论）：局部变化。" in local["zh"]
    surge = why_summary(day, "demand_surge")
    assert "; main cause (the day's story): demand surge." in surge["en"]
    # everything but the cause is the same sentence
    assert (
        surge["en"].replace("main cause (the day's story): demand surge", "mainly staffing")
        == (why_summary(day)["en"])
    )


def test_every_story_cause_has_a_name_in_both_languages():
    from ccmetrics import story

    assert set(CAUSE_NAMES) == set(story.CAUSES)
    for names in CAUSE_NAMES.values():
        assert set(names) == {"en", "zh"} and all(names.values())


# --------------------------------------------------------------------------
# what the Staffing page shows: what-if, agents and patience per interval, the story's cause
# --------------------------------------------------------------------------
def test_what_if_worked_example():
    # CCH / pyworkforce README: 14 agents meet 80/20, 20 scheduled at 30 % shrinkage,
    # SL 0.8884 and occupancy 0.7143 at 14 agents.
    result = what_if(CALLS, INTERVAL_S / 60, AHT_S, THRESHOLD_S, 0.80, 0.30, 300)
    assert (result["required_c"], result["scheduled_c"]) == (
        ref.WORKED_AGENTS,
        ref.WORKED_SCHEDULED,
    )
    assert round(result["at_c"]["service_level"], 4) == ref.WORKED_SERVICE_LEVEL
    assert round(result["at_c"]["occupancy"], 3) == ref.WORKED_OCCUPANCY
    # Erlang A with 5 minutes' patience: the smallest count agents_required finds, and 13
    # agents give less than 80 % there while 14 give 0.916792 (pyworkforce, test above).
    assert result["required_a"] == agents_required(
        CALLS, INTERVAL_S, AHT_S, 0.80, THRESHOLD_S, model="erlang_a", patience_s=300
    )
    assert result["scheduled_a"] == scheduled_agents(result["required_a"], 0.30)
    assert result["at_a"] == erlang_a(CALLS, INTERVAL_S, AHT_S, result["required_a"], 20, 300)
    # The curve runs 6 agents either side: from min(14, N_A) - 6 to max(14, N_A) + 6.
    low = min(14, result["required_a"]) - 6
    high = max(14, result["required_a"]) + 6
    assert result["curve"]["agents"].tolist() == list(range(low, high + 1))
    # A load the models refuse raises ValueError (the page shows it as a message).
    with pytest.raises(ValueError):
        what_if(CALLS, INTERVAL_S / 60, 0, THRESHOLD_S, 0.80, 0.30, 300)


def test_what_if_without_calls_starts_the_curve_at_one_agent():
    # No calls: no agent is required, the curve still starts at 1 agent (0 agents is no queue).
    result = what_if(0, 30, 180, 20, 0.8, 0.3, 300)
    assert (result["required_c"], result["scheduled_c"]) == (0, 0)
    assert result["curve"]["agents"].tolist() == list(range(1, 8))


def test_why_day_gives_agents_and_patience_per_interval():
    frame = pd.DataFrame(
        [
            interval_row(
                queue="A",
                staffed_agents=12.0,
                abandoned=4.0,
                answered=96.0,
                wait_s_sum=900.0,
                abandon_wait_s_sum=300.0,
            ),
            interval_row(queue="B", staffed_agents=9.0, abandoned=0.0),
            interval_row(
                queue="A",
                interval_start=pd.Timestamp("2025-01-06 09:30"),
                abandoned=2.0,
                answered=98.0,
                wait_s_sum=600.0,
                abandon_wait_s_sum=0.0,
            ),
        ]
    )
    table = why_intervals(frame, model="erlang_c")
    per_interval = why_day(table, by="interval_start").set_index("interval_start")
    nine, half_past = pd.Timestamp("2025-01-06 09:00"), pd.Timestamp("2025-01-06 09:30")
    # 09:00: 12 + 9 agents on both queues; 09:30: queue A's 14 alone.
    assert per_interval.loc[nine, "staffed_agents"] == pytest.approx(21.0)
    assert per_interval.loc[half_past, "staffed_agents"] == pytest.approx(14.0)
    assert per_interval.loc[nine, "scheduled_agents"] == pytest.approx(
        table.loc[table["interval_start"] == nine, "scheduled_agents"].sum()
    )
    # Agents from hours: required agent-hours / half an hour.
    assert per_interval["required_actual_agents"].tolist() == pytest.approx(
        (per_interval["required_actual_hours"] / 0.5).tolist()
    )
    # Patience, 09:00: queue A's 900 + 300 s and queue B's 500 s waited / 4 abandons = 425 s;
    # 09:30: 600 s / 2 abandons = 300 s.
    assert per_interval["patience_s"].tolist() == [425.0, 300.0]
    day = why_day(table).iloc[0]
    # The day: (12 + 9 + 14) agents over 2 half-hours = 17.5 on average;
    # (1,700 + 600) s waited / 6 abandons = 383.33 s.
    assert day["staffed_agents"] == pytest.approx(17.5)
    assert day["patience_s"] == pytest.approx(2300 / 6)
    # Queue B never lost a caller: no evidence of impatience.
    assert why_day(table, by="queue").set_index("queue").loc["B", "patience_s"] == math.inf


def test_effect_of_cause_follows_the_story_codes():
    from ccmetrics import story

    assert {cause: effect_of_cause(cause) for cause in CAUSE_EFFECTS} == CAUSE_EFFECTS
    assert set(CAUSE_EFFECTS) <= set(story.CAUSES)
    assert set(CAUSE_EFFECTS.values()) == set(EFFECTS)
    for cause in ("below_target", "local_change", "no_significant_change", "insufficient_data"):
        assert effect_of_cause(cause) is None


def test_shortfall_steps_run_from_target_to_measured_by_hand():
    # Target 80 %, measured 60 %: Shapley effects -10, +2, -15, +3 points sum to -20.
    day = pd.Series(
        {
            "target_sl": 0.8,
            "measured_sl": 0.6,
            "shapley_volume": -0.10,
            "shapley_aht": 0.02,
            "shapley_staffing": -0.15,
            "seq_volume": np.nan,
            "seq_aht": np.nan,
            "seq_staffing": -0.23,
            "unexplained": 0.03,
        }
    )
    steps = shortfall_steps(day)
    assert steps["step"].tolist() == [
        "target",
        "volume",
        "aht",
        "staffing",
        "unexplained",
        "measured",
    ]
    # each bar starts where the last ended: 0.8 -> 0.7 -> 0.72 -> 0.57 -> 0.60
    assert steps["start"].tolist() == pytest.approx([0.0, 0.8, 0.7, 0.72, 0.57, 0.0])
    assert steps["end"].tolist() == pytest.approx([0.8, 0.7, 0.72, 0.57, 0.6, 0.6])
    assert steps["kind"].tolist() == ["total", "loss", "gain", "loss", "gain", "total"]
    # the sequential split without a forecast: volume and AHT are missing and left out
    sequential = shortfall_steps(day, "sequential")
    assert sequential["step"].tolist() == ["target", "staffing", "unexplained", "measured"]
    assert sequential["end"].tolist() == pytest.approx([0.8, 0.57, 0.6, 0.6])
    with pytest.raises(ValueError):
        shortfall_steps(day, "largest")


def test_shortfall_steps_of_a_real_day_end_at_the_measured_level():
    # the effects of why_intervals sum to measured - target, so the last effect ends there
    frame = pd.DataFrame([interval_row(staffed_agents=11.0, answered_in_sl=40.0)])
    day = why_day(why_intervals(frame, model="erlang_c")).iloc[0]
    for attribution in ("shapley", "sequential"):
        steps = shortfall_steps(day, attribution)
        assert steps["end"].iloc[-2] == pytest.approx(day["measured_sl"], abs=1e-12)
        assert steps["value"].iloc[1:-1].sum() == pytest.approx(day["shortfall"], abs=1e-12)


def test_busiest_interval_by_hand():
    # 09:00: 100 calls, 18,000 s over 100 answered; 09:30: 150 calls, 145 answered with
    # 29,000 s (AHT 200 s), 5 abandoned after 250 s of waiting in all.
    frame = pd.DataFrame(
        [
            interval_row(),
            interval_row(
                interval_start=pd.Timestamp("2025-01-06 09:30"),
                offered=150.0,
                answered=145.0,
                abandoned=5.0,
                handle_s_sum=29000.0,
                abandon_wait_s_sum=250.0,
            ),
        ]
    )
    busiest = busiest_interval(why_intervals(frame, model="erlang_c"))
    assert busiest["interval_start"] == pd.Timestamp("2025-01-06 09:30")
    assert busiest["offered"] == 150.0
    assert busiest["aht_s"] == pytest.approx(29000.0 / 145.0)
    assert busiest["interval_minutes"] == 30.0
    # patience over the day: waits 500 + 500 + 250 s over 5 abandons = 250 s
    assert busiest["patience_s"] == pytest.approx((500.0 + 500.0 + 250.0) / 5.0)
    # nobody abandoned: no evidence of impatience
    calm = busiest_interval(why_intervals(pd.DataFrame([interval_row()]), model="erlang_c"))
    assert calm["patience_s"] == math.inf


def test_day_gaps_by_hand():
    # 40 % against 80 % with 11 agents for 30 minutes: 5.5 agent-hours staffed; 100 calls
    # at 180 s need 14 agents by Erlang C (80/20), 7 agent-hours; forecast 100 calls.
    frame = pd.DataFrame([interval_row(staffed_agents=11.0, answered_in_sl=40.0)])
    day = why_day(why_intervals(frame, model="erlang_c")).iloc[0]
    gaps = day_gaps(day)
    assert gaps["calls_vs_forecast"] == 0.0
    assert gaps["hours_vs_needed"] == pytest.approx(11 * 0.5 - 14 * 0.5)
    # no forecast: the calls have nothing to be compared with
    plain = why_day(why_intervals(frame.drop(columns=["forecast_offered"]), model="erlang_c"))
    assert math.isnan(day_gaps(plain.iloc[0])["calls_vs_forecast"])
