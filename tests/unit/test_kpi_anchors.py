"""KPI engine on real anchor files, against figures published for them.

Sources: ../shared/anchors/data/pwc-phonenow/PROVENANCE.md, table "Published headline figures".
"""

from __future__ import annotations

import pytest

from ccmetrics import io
from ccmetrics.kpi import compute
from tests.conftest import require_anchor


@pytest.fixture(scope="module")
def pwc():
    return io.load(require_anchor("data/pwc-phonenow/01 Call-Center-Dataset.xlsx")).frame


def test_pwc_published_headline_figures(pwc):
    row = compute(pwc).iloc[0]
    assert (row.offered, row.answered, row.abandoned) == (5000, 4054, 946)
    assert row.answer_rate == pytest.approx(0.8108)  # published 81.08 %
    assert row.asa_s == pytest.approx(67.52, abs=0.005)  # published 67.52 s = 273,729 / 4,054
    assert row.csat_mean == pytest.approx(3.40, abs=0.005)  # published 3.40 / 5
    # top-2-box over answered (rated) calls: 2,023 / 4,054 = 49.90 % (PROVENANCE: "Over answered calls")
    assert row.csat_top2box == pytest.approx(2023 / 4054)
    # no customer ids -> FCR from the platform's Resolved flag: 3,646 / 4,054 = 89.94 %
    assert row.fcr_rate == pytest.approx(3646 / 4054)
    # PwC leaves the wait of abandoned calls blank: unknown, so no average abandon wait
    assert row.abandon_wait_n == 0


def test_pwc_per_agent(pwc):
    by_agent = compute(pwc, by="agent").set_index("agent")
    assert by_agent.loc["Jim", "answered"] == 536  # published: most calls answered, Jim 536
    assert by_agent.loc["Joe", "csat_mean"] == pytest.approx(3.33, abs=0.005)  # published 3.33
    assert by_agent.loc["Joe", "asa_s"] == pytest.approx(71, abs=0.5)  # published 71 s
