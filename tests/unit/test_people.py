"""Tests of ccmetrics.people: roster reading, attrition, Kaplan–Meier survival, KPIs by tenure.

Reference values and their sources are stated at each test: the Kaplan–Meier
estimates and Greenwood standard errors of the 6-MP arm of the Freireich et al.
(1963) leukaemia trial as published in Klein & Moeschberger, *Survival Analysis*
(2nd ed., 2003), Table 4.1A; the exact Poisson interval of 5 events as tabulated
(e.g. Ulm 1990, 1.62–11.67); everything else computed by hand in the test.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from ccmetrics import i18n, people, sample
from ccmetrics.io import LoadError
from tests.conftest import sample_dir
from tests.unit.test_io import _xlsx

# --- reading a roster -------------------------------------------------------------------


def test_read_roster_gbk_chinese_headers_blank_leave_and_row_accounting():
    text = (
        "工号,班组,入职日期,离职日期,岗位\n"
        "A01,一组,2023-03-01,,坐席\n"
        "A02,一组,2024/1/15,2025年2月3日,坐席\n"
        ",二组,2024-01-01,,\n"  # no agent id: left out and counted
        "B01,二组,2022-07-01,2024年12月31日,组长\n"
    )
    roster = people.read_roster(text.encode("gbk"))
    assert roster["agent"].tolist() == ["A01", "A02", "B01"]
    assert roster["team"].tolist() == ["一组", "一组", "二组"]
    assert roster["role"].tolist() == ["坐席", "坐席", "组长"]
    assert roster["start_date"].tolist() == [
        pd.Timestamp("2023-03-01"),
        pd.Timestamp("2024-01-15"),
        pd.Timestamp("2022-07-01"),
    ]
    assert pd.isna(roster["leave_date"].iloc[0])
    assert roster["leave_date"].iloc[1] == pd.Timestamp("2025-02-03")
    # rows in the file = rows loaded + rows left out
    assert roster.attrs["file_rows"] == 4
    assert roster.attrs["dropped"] == {"missing_agent": 1}
    assert roster.attrs["file_rows"] == len(roster) + sum(roster.attrs["dropped"].values())


def test_read_roster_counts_a_malformed_row():
    text = (
        b"agent,start_date,leave_date\nA1,2024-01-01,\nA2,2024-01-01,,extra,more\nA3,2024-02-01,\n"
    )
    roster = people.read_roster(text)
    assert roster["agent"].tolist() == ["A1", "A3"]
    # 3 data rows = 2 loaded + 1 with a wrong number of fields
    assert roster.attrs["file_rows"] == 3
    assert roster.attrs["dropped"] == {"missing_agent": 0, "malformed_row": 1}


def test_read_roster_english_headers_excel_without_team():
    book = _xlsx(
        {
            "Staff": [
                ["Employee ID", "Hire Date", "Termination Date"],
                ["E1", "2024-05-02", ""],
                ["E2", "2021-11-30", "2024-06-30"],
            ]
        }
    )
    roster = people.read_roster(book)
    assert roster["agent"].tolist() == ["E1", "E2"]
    assert roster["team"].isna().all()
    assert roster["leave_date"].iloc[1] == pd.Timestamp("2024-06-30")


def test_read_roster_excel_serial_dates():
    # Excel (1900 date system) serial days: 45292 = 2024-01-01, 45000 = 2023-03-15,
    # 45300 = 2024-01-09 (45292 + 8)
    book = _xlsx(
        {"S": [["agent", "start date", "leave date"], ["A", 45292, None], ["B", 45000, 45300]]}
    )
    roster = people.read_roster(book)
    assert roster["start_date"].tolist() == [pd.Timestamp("2024-01-01"), pd.Timestamp("2023-03-15")]
    assert pd.isna(roster["leave_date"].iloc[0])
    assert roster["leave_date"].iloc[1] == pd.Timestamp("2024-01-09")


def test_read_roster_missing_column_names_file_column_and_headers_in_both_languages():
    with pytest.raises(people.RosterError) as caught:
        people.read_roster(b"agent,team,start date\nA1,T,2024-01-01\n")
    error = caught.value
    assert isinstance(error, LoadError)
    assert error.code == "roster_missing_column"
    assert error.params["column"] == "leave_date"
    assert error.params["columns"] == "agent, team, start date"
    assert "uploaded data has no leave_date column" in str(error)
    assert "缺少" in i18n.t(f"error.{error.code}", "zh", **error.params)


def test_read_roster_unreadable_dates_name_the_column_rows_and_values():
    text = b"agent,start_date,leave_date\nA1,2024-01-01,\nA2,soon,\nA3,2024-13-01,\nA4,3/1,\n"
    with pytest.raises(people.RosterError) as caught:
        people.read_roster(text)
    error = caught.value
    assert error.code == "roster_bad_dates"
    assert error.params["column"] == "start_date"
    # file lines: header is line 1, so A2 is line 3; 2024-13-01 is no date; "3/1" has no year
    assert error.params["rows"] == "3, 4, 5"
    assert error.params["count"] == 3
    assert "“soon”" in error.params["examples"]


def test_read_roster_leave_before_start_is_refused():
    with pytest.raises(people.RosterError) as caught:
        people.read_roster(b"agent,start_date,leave_date\nA1,2024-05-01,2024-04-30\n")
    assert caught.value.code == "roster_leave_before_start"
    assert caught.value.params["rows"] == "2"
    assert caught.value.params["examples"] == "A1"


def test_read_roster_empty_file_is_the_loaders_error():
    with pytest.raises(LoadError) as caught:
        people.read_roster(b"")
    assert caught.value.code == "empty_file"


# --- attrition ----------------------------------------------------------------------------


def _roster(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["agent", "team", "start_date", "leave_date"])
    frame["start_date"] = pd.to_datetime(frame["start_date"])
    frame["leave_date"] = pd.to_datetime(frame["leave_date"])
    return frame


HAND_ROSTER = _roster(
    [
        ("A", "T1", "2024-06-01", None),
        ("B", "T1", "2024-01-01", "2025-01-10"),
        ("C", "T2", "2025-01-21", None),
        ("D", "T2", "2023-01-01", "2024-12-31"),
    ]
)


def test_poisson_interval_matches_published_exact_limits():
    # exact (Garwood) 95 % limits of a Poisson count: k=5 -> 1.6235, 11.6683; k=0 -> 0, 3.6889
    assert people._poisson_interval(5, 0.95) == pytest.approx((1.6235, 11.6683), abs=1e-4)
    assert people._poisson_interval(0, 0.95) == pytest.approx((0.0, 3.6889), abs=1e-4)


def test_attrition_by_month_hand_computed():
    table = people.attrition(HAND_ROSTER, "MS", start="2024-12-01", end="2025-01-31")
    assert table["period"].tolist() == [pd.Timestamp("2024-12-01"), pd.Timestamp("2025-01-01")]
    december, january = table.iloc[0], table.iloc[1]
    # December (31 days): A, B, D employed all month; D's last day is 12-31 -> one leaver
    assert december["headcount_start"] == 3 and december["headcount_end"] == 3
    assert december["leavers"] == 1 and december["hires"] == 0
    assert december["average_headcount"] == pytest.approx(3.0)
    assert december["attrition_rate"] == pytest.approx(1 / 3)
    # January (31 days): A all month (31 days), B 1-10 (10), C 21-31 (11) -> 52 person-days
    assert january["headcount_start"] == 2  # A, B (D left on 12-31)
    assert january["headcount_end"] == 2  # A, C
    assert january["hires"] == 1 and january["leavers"] == 1
    average = 52 / 31
    assert january["average_headcount"] == pytest.approx(average)
    assert january["attrition_rate"] == pytest.approx(1 / average)
    # exact Poisson limits of 1 event: chi2(0.025; 2)/2 = 0.025318, chi2(0.975; 4)/2 = 5.571643
    assert january["ci_lower"] == pytest.approx(0.025318 / average, rel=1e-4)
    assert january["ci_upper"] == pytest.approx(5.571643 / average, rel=1e-4)
    assert january["annualised_rate"] == pytest.approx((1 / average) * 365.25 / 31)


def test_attrition_by_team_and_partial_last_period():
    table = people.attrition(HAND_ROSTER, by="team", start="2025-01-01", end="2025-01-20")
    assert table["team"].tolist() == ["T1", "T2"]
    t1 = table.iloc[0]
    # T1 over 1-20 January (20 days): A 20 days, B 10 days -> average 1.5, B leaves
    assert t1["days"] == 20 and t1["leavers"] == 1
    assert t1["average_headcount"] == pytest.approx(30 / 20)
    assert t1["annualised_rate"] == pytest.approx((1 / 1.5) * 365.25 / 20)
    t2 = table.iloc[1]  # T2: nobody employed (D gone, C not started yet)
    assert t2["average_headcount"] == 0 and np.isnan(t2["attrition_rate"])


def test_attrition_by_quarter_adds_up_the_months():
    months = people.attrition(HAND_ROSTER, "MS", start="2024-10-01", end="2025-03-31")
    quarters = people.attrition(HAND_ROSTER, "QS", start="2024-10-01", end="2025-03-31")
    assert quarters["period"].tolist() == [pd.Timestamp("2024-10-01"), pd.Timestamp("2025-01-01")]
    assert quarters["days"].tolist() == [92, 90]
    assert quarters["leavers"].tolist() == [1, 1]  # D in December, B in January
    assert quarters["leavers"].sum() == months["leavers"].sum()
    # the quarter's person-days are the months' person-days
    month_days = (months["average_headcount"] * months["days"]).to_numpy()
    quarter_days = (quarters["average_headcount"] * quarters["days"]).to_numpy()
    assert quarter_days == pytest.approx([month_days[:3].sum(), month_days[3:].sum()])


def test_attrition_summary_over_a_span_hand_computed():
    table = people.attrition_summary(HAND_ROSTER, start="2024-12-01", end="2025-01-31")
    row = table.iloc[0]
    # 62 days: A 62, B 1 Dec - 10 Jan = 41, C 21-31 Jan = 11, D 1-31 Dec = 31 -> 145 person-days
    assert row["days"] == 62 and row["leavers"] == 2  # D on 12-31, B on 01-10
    assert row["average_headcount"] == pytest.approx(145 / 62)
    person_years = 145 / 365.25
    assert row["annualised_rate"] == pytest.approx(2 / person_years)
    # exact Poisson limits of 2 events: 0.242209, 7.224687
    assert row["annualised_lower"] == pytest.approx(0.242209 / person_years, rel=1e-5)
    assert row["annualised_upper"] == pytest.approx(7.224687 / person_years, rel=1e-5)
    teams = people.attrition_summary(HAND_ROSTER, by="team", start="2024-12-01", end="2025-01-31")
    assert teams["team"].tolist() == ["T1", "T2"]
    assert teams["leavers"].tolist() == [1, 1]
    assert teams["average_headcount"].tolist() == pytest.approx([(62 + 41) / 62, (11 + 31) / 62])


# --- Kaplan–Meier ---------------------------------------------------------------------------

#: 6-MP arm of Freireich et al. (1963): weeks in remission, 1 = relapse, 0 = censored.
SIX_MP = [
    (6, 1), (6, 1), (6, 1), (6, 0), (7, 1), (9, 0), (10, 1), (10, 0), (11, 0), (13, 1),
    (16, 1), (17, 0), (19, 0), (20, 0), (22, 1), (23, 1), (25, 0), (32, 0), (32, 0),
    (34, 0), (35, 0),
]  # fmt: skip


def _six_mp_roster() -> tuple[pd.DataFrame, pd.Timestamp]:
    """The 6-MP data as a roster (days for weeks): a relapse is a leave date, a censored
    time an agent still employed at the end date."""
    end = pd.Timestamp("2024-12-31")
    rows = []
    for i, (time, event) in enumerate(SIX_MP):
        if event:
            start = pd.Timestamp("2024-01-01")
            rows.append((f"P{i}", "T", start, start + pd.Timedelta(days=time)))
        else:
            rows.append((f"P{i}", "T", end - pd.Timedelta(days=time), None))
    return _roster(rows), end


def test_kaplan_meier_and_greenwood_match_klein_moeschberger_table_4_1a():
    roster, end = _six_mp_roster()
    table = people.survival(roster, end=end)
    events = table[table["leavers"] > 0]
    assert events["tenure_days"].tolist() == [6, 7, 10, 13, 16, 22, 23]
    assert events["at_risk"].tolist() == [21, 17, 15, 12, 11, 7, 6]
    # Klein & Moeschberger (2003) Table 4.1A: S(t) and its standard error
    published_s = [0.857, 0.807, 0.753, 0.690, 0.627, 0.538, 0.448]
    published_se = [0.076, 0.087, 0.096, 0.107, 0.114, 0.128, 0.135]
    assert events["survival"].round(3).tolist() == published_s
    assert events["se"].round(3).tolist() == published_se
    assert table.attrs == {
        "spells": 21,
        "leavers": 9,
        "median_months": pytest.approx(23 / people.DAYS_PER_MONTH),
    }
    assert table["censored"].sum() == 12
    first = table.iloc[0]
    assert (first["tenure_days"], first["survival"], first["at_risk"]) == (0, 1.0, 21)


def test_kaplan_meier_log_log_interval_by_hand():
    roster, end = _six_mp_roster()
    row = people.survival(roster, end=end).set_index("tenure_days").loc[6.0]
    # S = 18/21; Greenwood sum = 3 / (21 x 18) = 1/126; sigma = 0.0890871 / 0.1541507 = 0.577922;
    # lower = S^exp(1.959964 sigma) = 0.6197, upper = S^exp(-1.959964 sigma) = 0.9516
    s = 18 / 21
    sigma = math.sqrt(1 / 126) / abs(math.log(s))
    assert sigma == pytest.approx(0.577922, abs=1e-6)
    assert row["ci_lower"] == pytest.approx(0.6197, abs=1e-4)
    assert row["ci_upper"] == pytest.approx(0.9516, abs=1e-4)


def test_survival_leaves_out_spells_starting_after_the_end():
    roster = _roster([("A", "T", "2024-01-01", "2024-01-31"), ("B", "T", "2025-06-01", None)])
    table = people.survival(roster, end="2024-12-31")
    assert table.attrs["spells"] == 1
    assert table["survival"].tolist() == [1.0, 0.0]


# --- tenure and KPIs by tenure -------------------------------------------------------------


def test_tenure_bands_edges():
    band = people.tenure_bands([0, 2.99, 3, 11.99, 12, 30, np.nan, -1])
    assert list(band.categories) == ["0–3", "3–6", "6–12", "12–24", "24+"]
    assert band.astype(object).tolist()[:6] == ["0–3", "0–3", "3–6", "6–12", "12–24", "24+"]
    assert pd.isna(band[6]) and pd.isna(band[7])
    with pytest.raises(ValueError):
        people.tenure_bands([1.0], bands=(0, 6, 3))


def test_kpis_by_tenure_hand_computed():
    roster = _roster(
        [
            ("X", "T", "2025-01-01", None),
            ("Y", "T", "2020-01-01", "2025-03-31"),
        ]
    )
    calls = pd.DataFrame(
        {
            "arrived_at": pd.to_datetime(
                [
                    "2025-01-10 09:00",  # X, 9 days -> 0–3
                    "2025-01-20 10:00",  # X, 19 days -> 0–3
                    "2025-05-01 11:00",  # X, 120 days = 3.94 months -> 3–6
                    "2025-02-01 12:00",  # Y, 5 years -> 24+
                    "2025-04-02 12:00",  # Y after the leave date -> unmatched
                    "2025-02-01 13:00",  # Z not on the roster -> unmatched
                ]
            ),
            "agent": ["X", "X", "X", "Y", "Y", "Z"],
            "answered": [True] * 6,
            "abandoned": [False] * 6,
            "wait_s": [5.0] * 6,
            "talk_s": [100.0, 200.0, 150.0, 300.0, 50.0, 50.0],
            "hold_s": [0.0, 10.0, 0.0, 0.0, 0.0, 0.0],
            "acw_s": [20.0, 30.0, 10.0, 40.0, 0.0, 0.0],
            "qa_score": [70.0, np.nan, 80.0, 90.0, np.nan, np.nan],
        }
    )
    table = people.kpis_by_tenure(calls, roster).set_index("tenure_band")
    assert table.index.tolist() == ["0–3", "3–6", "6–12", "12–24", "24+"]
    # 0–3: handle (100+0+20) and (200+10+30) -> AHT 180; QA 70 on one call
    assert table.loc["0–3", "aht_s"] == pytest.approx(180.0)
    assert table.loc["0–3", "qa_mean"] == pytest.approx(70.0)
    assert table.loc["0–3", "answered"] == 2 and table.loc["0–3", "agents"] == 1
    assert table.loc["3–6", "aht_s"] == pytest.approx(160.0)
    assert table.loc["24+", "aht_s"] == pytest.approx(340.0)
    assert table.loc["24+", "qa_mean"] == pytest.approx(90.0)
    assert table.loc["6–12", "agents"] == 0 and np.isnan(table.loc["6–12", "aht_s"])
    assert table.attrs["unmatched_calls"] == 2


# --- the sample's roster and evaluators ------------------------------------------------------


def test_sample_roster_agrees_with_the_calls(sample_parquet_calls):
    path = sample_dir() / "roster.csv"
    generated = sample.generate_roster(sample_parquet_calls)
    assert path.read_text() == generated.to_csv(index=False, lineterminator="\n")  # the function's
    roster = people.read_roster(path)
    answered = sample_parquet_calls[sample_parquet_calls["agent"].notna()]
    span = answered.groupby(answered["agent"].astype(str))["arrived_at"].agg(["min", "max"])
    on_roster = roster.set_index("agent")
    assert set(span.index) <= set(on_roster.index)
    current = on_roster.loc[span.index]
    assert (current["start_date"] <= span["min"].dt.normalize()).all()
    leave = current["leave_date"]
    assert (leave.isna() | (leave >= span["max"].dt.normalize())).all()
    assert leave.notna().sum() >= 3  # some leave during the calls' quarter
    former = on_roster.drop(span.index)
    assert len(former) == 70 and (former["leave_date"] < pd.Timestamp("2025-01-01")).all()
    assert roster["agent"].str.fullmatch(r"A\d{4}").all() and roster["agent"].is_unique
    # the learning curve: new agents handle calls more slowly than agents of 2+ years
    by_tenure = people.kpis_by_tenure(sample_parquet_calls, roster).set_index("tenure_band")
    assert by_tenure.attrs["unmatched_calls"] == 0
    assert by_tenure.loc["0–3", "aht_s"] > by_tenure.loc["24+", "aht_s"] + 30


def test_sample_evaluators_cover_the_scored_calls_only(sample_parquet_calls):
    evaluators = sample.sample_evaluators(sample_parquet_calls)
    scored = sample_parquet_calls["qa_score"].notna().to_numpy()
    assert (pd.notna(evaluators) == scored).all()
    assert set(pd.unique(evaluators[scored])) == set(sample.EVALUATORS)
    again = sample.sample_evaluators(sample_parquet_calls)
    assert np.array_equal(evaluators.codes, again.codes)  # deterministic for the seed


def test_the_evaluator_column_joins_the_sample_calls_once_the_schema_has_it(monkeypatch):
    plain = sample.generate_calls(days=1)
    columns = {}
    for name, kind in sample.CALL_COLUMNS.items():
        if name != "evaluator":
            columns[name] = kind
        if name == "qa_score":
            columns["evaluator"] = "category"
    monkeypatch.setattr(sample, "CALL_COLUMNS", columns)
    with_evaluator = sample.generate_calls(days=1)
    assert list(with_evaluator.columns) == [c for c in columns if c in with_evaluator.columns]
    # every other column and number is unchanged; the scored calls have an evaluator
    pd.testing.assert_frame_equal(
        with_evaluator.drop(columns="evaluator"), plain.drop(columns=["evaluator"], errors="ignore")
    )
    scored = with_evaluator["qa_score"].notna()
    assert (with_evaluator["evaluator"].notna() == scored).all()
