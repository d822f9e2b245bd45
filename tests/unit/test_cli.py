"""Tests of the command line ``python -m ccmetrics report|kpis``.

End-to-end runs use a subprocess (``sys.executable -m ccmetrics``) on the shipped sample;
option handling is tested in process through :func:`ccmetrics.__main__.main`. Expected
numbers come from ``ccmetrics.kpi.compute`` on the same data, and for the whole sample from
the figures measured in ``sample_data/README.md`` (193,224 calls, 90.8 % answered).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from pptx import Presentation

from ccmetrics import io as ccio
from ccmetrics import kpi
from ccmetrics.__main__ import _read_drivers, main, parse_period
from ccmetrics.sample import INCIDENTS, SAMPLE_DIR

REPO_ROOT = Path(__file__).resolve().parents[2]
CALLS = SAMPLE_DIR / "calls.parquet"
INTERVALS = SAMPLE_DIR / "intervals.csv"

needs_sample = pytest.mark.skipif(
    not (CALLS.exists() and INTERVALS.exists()),
    reason="sample data not generated yet (make sample)",
)


def run_cli(*args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ccmetrics", *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@pytest.fixture
def small_csv(tmp_path) -> Path:
    """Six calls with non-standard headers, for mapping and period options."""
    path = tmp_path / "calls.csv"
    path.write_text(
        "when,queue time,got through\n"
        "2025-03-03 09:00:00,5,yes\n"
        "2025-03-03 09:10:00,40,yes\n"
        "2025-03-03 09:20:00,12,no\n"
        "2025-03-04 10:00:00,3,yes\n"
        "2025-03-04 10:05:00,25,yes\n"
        "2025-03-05 11:00:00,8,yes\n",
        encoding="utf-8",
    )
    return path


# --------------------------------------------------------------------------- end to end


@needs_sample
def test_report_runs_end_to_end_on_the_sample(tmp_path):
    out = tmp_path / "reports"
    result = run_cli(
        "report",
        str(CALLS),
        "--out",
        str(out),
        "--period",
        "2025-03-01:2025-03-31",
        "--intervals",
        str(INTERVALS),
        "--lang",
        "zh",
    )
    assert result.returncode == 0, result.stderr
    written = [Path(line) for line in result.stdout.splitlines()]
    assert all(path.exists() for path in written)
    html_file = out / "ccmetrics_report_2025-03-01_2025-03-31.html"
    pptx_file = out / "ccmetrics_report_2025-03-01_2025-03-31.pptx"
    assert html_file in written and pptx_file in written
    text = html_file.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in text and "服务水平" in text
    for name in ("surge", "staffing_shortfall", "storm"):
        assert f'id="finding-{INCIDENTS[name]["first_date"]}"' in text
    # The March service level as kpi.compute gives it, one decimal.
    march = kpi.subset(ccio.load(CALLS).frame, "2025-03-01", "2025-04-01")
    assert kpi.format_value("service_level", kpi.compute(march).iloc[0]["service_level"]) in text
    assert len(Presentation(str(pptx_file)).slides) >= 5
    images = [p for p in written if p.suffix == ".png"]
    assert len(images) == text.count("<svg")
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in images)


@needs_sample
def test_kpis_json_parses_and_matches_kpi_compute():
    result = run_cli("kpis", str(CALLS), "--json", "--by", "team")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    flagged = kpi.add_fcr_flags(ccio.load(CALLS).frame)
    expected = kpi.compute(flagged, by="team")
    assert len(records) == len(expected)
    by_team = {record["team"]: record for record in records}
    for _, row in expected.dropna(subset=["team"]).iterrows():
        record = by_team[row["team"]]
        for name in ("offered", "service_level", "aht_s", "fcr_rate", "qa_mean"):
            assert record[name] == pytest.approx(row[name]), (row["team"], name)
    # Calls never answered have no team: their row is there, with missing (null) rates.
    blank = by_team[None]
    assert blank["answered"] == 0 and blank["aht_s"] is None


@needs_sample
def test_kpis_text_shows_the_sample_figures_of_its_readme(capsys):
    assert main(["kpis", str(CALLS)]) == 0
    out = capsys.readouterr().out
    # sample_data/README.md: "193,224 calls, 90.8 % answered".
    assert "193,224" in out and "90.8%" in out


def test_bad_file_exits_with_status_2_and_a_clear_message(tmp_path):
    garbage = tmp_path / "export.csv"
    garbage.write_bytes(b"\x00\x01\x02 not a table \xff\xfe")
    result = run_cli("report", str(garbage), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.startswith("error: export.csv")
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- options (in process)


def test_missing_file_and_bad_options_are_clear_errors(tmp_path, small_csv, capsys):
    assert main(["kpis", str(tmp_path / "nope.csv")]) == 2
    assert "nope.csv: file not found" in capsys.readouterr().err
    assert main(["kpis", str(small_csv)]) == 2  # no recognisable time column
    assert "no recognisable time column" in capsys.readouterr().err
    assert (
        main(
            ["report", str(small_csv), "--out", str(tmp_path), "--period", "2025-03-31:2025-03-01"]
        )
        == 2
    )
    assert "ends before it starts" in capsys.readouterr().err
    assert main(["report", str(small_csv), "--out", str(tmp_path), "--format", "html,pdf"]) == 2
    assert "html, pptx, png" in capsys.readouterr().err


def test_mapping_period_and_settings_options(tmp_path, small_csv, capsys):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(
        json.dumps({"arrived_at": "when", "wait_s": "queue time", "answered": "got through"}),
        encoding="utf-8",
    )
    assert main(["kpis", str(small_csv), "--mapping", str(mapping), "--json"]) == 0
    (whole,) = json.loads(capsys.readouterr().out)
    # Hand count: 6 offered, 5 answered with waits 5, 40, 3, 25, 8 (3 within 20 s), one
    # abandon after 12 s (not short, >= 5 s): SL = 3 / (6 - 0); with T = 30 s, 4 / 6.
    assert whole["offered"] == 6 and whole["answered"] == 5
    assert whole["service_level"] == pytest.approx(3 / 6)
    assert main(["kpis", str(small_csv), "--mapping", str(mapping), "--json",
                 "--sl-threshold", "30"]) == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)[0]["service_level"] == pytest.approx(4 / 6)
    args = ["kpis", str(small_csv), "--mapping", str(mapping), "--freq", "D"]
    assert main([*args, "--period", "2025-03-04:2025-03-05"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[:2] == ["period", "offered"]
    assert [line.split()[0] for line in out[1:]] == ["2025-03-04", "2025-03-05"]
    assert main([*args, "--by", "weather"]) == 2
    assert "cannot group by" in capsys.readouterr().err


def test_report_with_chosen_findings_and_formats(tmp_path, small_csv, capsys):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"arrived_at": "when", "wait_s": "queue time",
                                   "answered": "got through"}))  # fmt: skip
    out = tmp_path / "out"
    code = main(
        ["report", str(small_csv), "--mapping", str(mapping), "--out", str(out),
         "--format", "html", "--findings", "2025-03-04", "--lang", "en"]
    )  # fmt: skip
    assert code == 0, capsys.readouterr().err
    (html_file,) = out.iterdir()
    assert html_file.name == "ccmetrics_report_2025-03-03_2025-03-05.html"
    assert 'id="finding-2025-03-04"' in html_file.read_text(encoding="utf-8")
    assert main(["report", str(small_csv), "--mapping", str(mapping), "--out", str(out),
                 "--findings", "2025-04-01"]) == 2  # fmt: skip
    assert "outside the period" in capsys.readouterr().err


def test_driver_file_headed_in_chinese_is_read_as_the_page_reads_it(tmp_path):
    """The command line and the Staffing page read a driver file with forecast.read_drivers:
    a GBK file headed 日期 gives its dates as the ``date`` column the report needs."""
    path = tmp_path / "天气.csv"
    path.write_bytes("日期,暴雨\n2025-03-11,0\n2025-03-12,1\n".encode("gbk"))
    table = _read_drivers(path)
    assert table.columns.tolist() == ["date", "暴雨"]
    assert table["date"].tolist() == [pd.Timestamp("2025-03-11"), pd.Timestamp("2025-03-12")]
    assert table["暴雨"].tolist() == [0, 1]


def test_bad_driver_file_exits_with_status_2_and_a_message_in_the_language(
    tmp_path, small_csv, capsys
):
    mapping = tmp_path / "mapping.json"
    mapping.write_text(json.dumps({"arrived_at": "when", "wait_s": "queue time",
                                   "answered": "got through"}))  # fmt: skip
    drivers = tmp_path / "drivers.csv"
    drivers.write_text("date,rain\n2025-03-03,1\nlater,0\n", encoding="utf-8")
    args = ["report", str(small_csv), "--mapping", str(mapping), "--out", str(tmp_path / "out"),
            "--drivers", str(drivers)]  # fmt: skip
    assert main([*args, "--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "Values that are not dates in the date column “date”" in err
    assert "(rows 3: later)" in err and str(drivers) in err
    assert main([*args, "--lang", "zh"]) == 2
    assert "不是日期（第 3 行：later）" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_help_documents_every_option():
    result = run_cli("--help")
    assert result.returncode == 0 and "report" in result.stdout and "kpis" in result.stdout
    report_help = run_cli("report", "--help").stdout
    for option in ("--out", "--period", "--lang", "--mapping", "--format", "--intervals",
                   "--drivers", "--change-date", "--findings", "--max-findings", "--limit-days",
                   "--sl-threshold", "--sl-formula"):  # fmt: skip
        assert option in report_help, option
    kpis_help = run_cli("kpis", "--help").stdout
    for option in ("--by", "--freq", "--json", "--period", "--mapping", "--sheet", "--lang"):
        assert option in kpis_help, option


def test_parse_period():
    assert parse_period("2025-03-01:2025-03-31") == (
        pd.Timestamp("2025-03-01"),
        pd.Timestamp("2025-04-01"),
    )
    assert parse_period("2025-03-01:") == (pd.Timestamp("2025-03-01"), None)
    import argparse

    for bad in ("2025-03-01", "2025-03-01:2025-13-40", "2025-03-05:2025-03-01"):
        with pytest.raises(argparse.ArgumentTypeError):
            parse_period(bad)
