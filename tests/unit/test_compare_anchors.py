"""ccmetrics.compare on real anchor data (../shared/anchors; skipped outside CI when absent).

* PwC/Forage "PhoneNow" (synthetic, 5,000 calls): its 8 agents are identical by construction
  (speed of answer about uniform on 10-125 s, talk about uniform on 30-420 s for every agent,
  PROVENANCE.md), so no agent may be flagged at 99.8 % and no over-dispersion may be found.
* Technion "Anonymous Bank", February 1999 (real): the 24 named agents' service times are compared
  with the service type (PS, PE, IN, NE, NW, TT; the loader's ``category``) taken into account.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ccmetrics import compare
from tests.conftest import REPO_ROOT, require_anchor

pytestmark = pytest.mark.anchors

PWC = "data/pwc-phonenow/01 Call-Center-Dataset.xlsx"
TECHNION = "data/technion-anonymous-bank/data_anonymous_bank_february.txt"
TECHNION_MAPPING = REPO_ROOT / "ccmetrics" / "mappings" / "technion_anonymous_bank.json"

#: Metrics the PwC file supports (no transfer flag, no QA score).
PWC_METRICS = (
    "service_level",
    "answer_rate",
    "abandon_rate",
    "fcr_rate",
    "csat_top2box",
    "aht_s",
    "asa_s",
    "csat_mean",
)


@pytest.fixture(scope="module")
def pwc_calls() -> pd.DataFrame:
    path = require_anchor(PWC)
    io = pytest.importorskip("ccmetrics.io")
    return io.load(path).frame


@pytest.fixture(scope="module")
def technion_calls() -> pd.DataFrame:
    path = require_anchor(TECHNION)
    io = pytest.importorskip("ccmetrics.io")
    if not TECHNION_MAPPING.exists():
        pytest.skip(f"mapping not shipped yet: {TECHNION_MAPPING}")
    return io.load(path, io.read_mapping(TECHNION_MAPPING)).frame


@pytest.mark.parametrize("metric", PWC_METRICS)
def test_pwc_no_agent_is_flagged_at_99_8_percent(pwc_calls, metric):
    table = compare.funnel(pwc_calls, "agent", metric)
    assert len(table) == 8
    assert table["flag"].eq("").all(), table[["agent", "value", "z", "flag"]]
    assert table.attrs["overdispersion_applied"] is False
    assert "No agent is outside the 99.8% limits" in table.attrs["conclusion"]["en"]


def test_pwc_league_table_of_identical_agents_ranks_noise(pwc_calls):
    """Shrinkage finds no real variation in CSAT (τ² = 0): every agent may rank 1st to 8th."""
    table = compare.shrink(pwc_calls, "agent", "csat_mean")
    assert table.attrs["prior"]["tau2"] == 0
    assert table["rank_lower"].eq(1).all() and table["rank_upper"].eq(8).all()
    # the published lowest agent (Joe, 3.33) is pulled to the centre (3.40)
    joe = table.set_index("agent").loc["Joe"]
    assert round(joe["value"], 2) == 3.33
    assert joe["estimate"] == pytest.approx(pwc_calls["csat"].mean())


def test_technion_service_times_of_24_agents_with_case_mix(technion_calls):
    """Service time (ser_time, the loader's talk_s) per agent, judged against the value
    expected from each agent's own mix of service types (indirect standardisation).

    ELI takes mostly stock-exchange calls (NE), the longest type, so his expected time is far
    above the centre and the adjustment removes more than half of his raw excess.
    """
    calls = technion_calls
    raw = compare.funnel(calls, "agent", "talk_s").set_index("agent")
    adjusted = compare.funnel(calls, "agent", "talk_s", casemix="category").set_index("agent")
    assert len(adjusted) == 24
    assert adjusted.attrs["casemix"] == ["category"]

    # the expected time of every agent, recomputed here from the per-type means
    answered = calls[calls["answered"] & calls["talk_s"].notna() & calls["agent"].notna()]
    type_mean = answered.groupby("category", observed=True)["talk_s"].mean()
    mix = pd.crosstab(answered["agent"], answered["category"])
    expected = (mix * type_mean).sum(axis=1) / mix.sum(axis=1)
    pd.testing.assert_series_equal(
        adjusted["expected"].sort_index(),
        expected.reindex(adjusted.index).sort_index(),
        check_names=False,
        rtol=1e-10,
    )

    centre = adjusted.attrs["target"]
    eli = adjusted.loc["ELI"]
    assert mix.loc["ELI", "NE"] / mix.loc["ELI"].sum() > 0.8
    assert type_mean["NE"] > type_mean["PS"] > type_mean["NW"]
    assert eli["expected"] > centre + 60
    assert abs(eli["z"]) < abs(raw.loc["ELI", "z"]) / 2
    assert eli["value_adjusted"] == pytest.approx(eli["value"] - eli["expected"] + centre)
    assert "category" in adjusted.attrs["conclusion"]["en"].lower()


def test_technion_agents_differ_less_once_calls_are_compared_within_service_type(technion_calls):
    raw = compare.differences(technion_calls, "agent", "talk_s", test="kruskal")
    adjusted = compare.differences(
        technion_calls, "agent", "talk_s", test="kruskal", casemix="category"
    )
    h_raw = raw["omnibus"]["statistic"].iloc[0]
    h_adjusted = adjusted["omnibus"]["statistic"].iloc[0]
    assert raw["omnibus"]["df1"].iloc[0] == 23
    assert np.isfinite(h_adjusted) and h_adjusted < h_raw
