"""Tests for ccmetrics.staffing (queueing models).

Sources of expected values, cited at each test:

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

from ccmetrics.staffing import (
    agents_required,
    erlang_a,
    erlang_c,
    estimate_patience,
    scheduled_agents,
    staffing_curve,
)

# The worked example: 100 calls in 30 minutes, AHT 180 s -> A = 100 * 180 / 1800 = 10 Erlangs.
CALLS, INTERVAL_S, AHT_S, THRESHOLD_S = 100, 1800, 180, 20


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


# --------------------------------------------------------------------------
# Erlang C: the published worked example
# --------------------------------------------------------------------------
def test_erlang_c_worked_example_14_agents():
    # CCH and pyworkforce README: 14 agents -> P(wait) 0.1741, SL 0.8884 (CCH: 88.8%),
    # occupancy 10/14 = 0.7143 (CCH: 71.4%). ASA (CCH: 7.8 s) by hand:
    # ASA = P(wait) * AHT / (N - A) = 0.174132 * 180 / 4 = 7.836 s -> 7.84.
    result = erlang_c(CALLS, INTERVAL_S, AHT_S, agents=14, threshold_s=THRESHOLD_S)
    assert result["load_erlangs"] == pytest.approx(10.0)
    assert round(result["p_wait"], 4) == 0.1741
    assert round(result["service_level"], 4) == 0.8884
    assert round(result["asa_s"], 2) == 7.84
    assert round(result["occupancy"], 3) == 0.714
    assert result["stable"] is True and result["message"] is None


def test_erlang_c_worked_example_matches_textbook_sum():
    # Textbook formula with exact fractions: X = 10^14/14! * 14/4, Y = sum_{i<14} 10^i/i!.
    p_wait = textbook_erlang_c(Fraction(10), 14)
    assert round(p_wait, 4) == 0.1741
    # SL = 1 - P(wait) e^{-(N-A) T/AHT} = 1 - 0.174132 * e^{-4*20/180} = 1 - 0.174132 * 0.641180.
    expected_sl = 1 - p_wait * math.exp(-4 * 20 / 180)
    result = erlang_c(CALLS, INTERVAL_S, AHT_S, 14, THRESHOLD_S)
    assert result["p_wait"] == pytest.approx(p_wait, rel=1e-12)
    assert result["service_level"] == pytest.approx(expected_sl, rel=1e-12)
    assert result["asa_s"] == pytest.approx(p_wait * 180 / 4, rel=1e-12)


def test_agents_required_worked_example_and_shrinkage():
    # CCH / pyworkforce README: 14 raw agents meet 80/20; 14 / (1 - 0.30) = 20 scheduled.
    required = agents_required(CALLS, INTERVAL_S, AHT_S, 0.80, THRESHOLD_S)
    assert required == 14
    assert scheduled_agents(required, 0.30) == 20
    # 13 agents fall short (textbook SL 0.7956 < 0.80), so 14 is the smallest.
    assert erlang_c(CALLS, INTERVAL_S, AHT_S, 13, THRESHOLD_S)["service_level"] < 0.80
    # Max occupancy 85% (CCH's input) does not bind: 10/14 = 0.714.
    assert agents_required(CALLS, INTERVAL_S, AHT_S, 0.80, THRESHOLD_S, max_occupancy=0.85) == 14


def test_agents_required_max_occupancy_70_percent():
    # pyworkforce test_erlang.py::test_over_occupancy_erlangc, asa = 0.33 min = 19.8 s:
    # raw 15, positions 22, SL 0.941, occupancy 0.667, P(wait) 0.102.
    # By hand: 10/14 = 0.714 > 0.70 and 10/15 = 0.667 <= 0.70; ceil(15 / 0.7) = ceil(21.43) = 22.
    threshold_s = 0.33 * 60
    required = agents_required(CALLS, INTERVAL_S, AHT_S, 0.80, threshold_s, max_occupancy=0.70)
    assert required == 15
    assert scheduled_agents(required, 0.30) == 22
    result = erlang_c(CALLS, INTERVAL_S, AHT_S, required, threshold_s)
    assert round(result["service_level"], 3) == 0.941
    assert round(result["occupancy"], 3) == 0.667
    assert round(result["p_wait"], 3) == 0.102
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
    result = erlang_a(CALLS, INTERVAL_S, AHT_S, 14, THRESHOLD_S, patience_s=300)
    assert round(result["p_wait"], 5) == 0.14526
    assert round(result["p_abandon"], 6) == 0.013984
    assert round(result["occupancy"], 6) == 0.704297
    assert round(result["asa_s"] / 60, 6) == 0.069919
    assert round(result["service_level"], 6) == 0.916792
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
        "erlang_a_p_abandon",
    ]
    assert curve["agents"].tolist() == list(range(9, 17))
    row_14 = curve.set_index("agents").loc[14]
    assert round(row_14["erlang_c_sl"], 4) == 0.8884  # CCH / pyworkforce README
    assert round(row_14["erlang_a_sl"], 6) == 0.916792  # pyworkforce Erlang A regression
    assert round(row_14["erlang_a_p_abandon"], 6) == 0.013984
    unstable = curve.set_index("agents").loc[10]
    assert unstable["erlang_c_sl"] == 0.0 and unstable["erlang_c_asa_s"] == math.inf
    assert 0 < unstable["erlang_a_sl"] < 1  # Erlang A stays defined at N <= A
    assert curve["erlang_a_sl"].is_monotonic_increasing


def test_staffing_curve_without_patience_leaves_erlang_a_empty():
    curve = staffing_curve(CALLS, INTERVAL_S, AHT_S, THRESHOLD_S, [14, 15])
    assert curve["erlang_a_sl"].isna().all() and curve["erlang_a_p_abandon"].isna().all()
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
