"""Command line: ``python -m ccmetrics report|kpis EXPORT ...`` — the app's numbers without the app.

``report`` writes the findings report (HTML, PowerPoint, PNG charts) of a period, so it can
run every Monday from cron; ``kpis`` prints the KPI table. Both load the export with
:func:`ccmetrics.io.load` and compute with the same functions as the app. A file that cannot
be loaded, a bad option or an empty period gives a one-line message on stderr and exit
status 2.

Examples
--------
::

    python -m ccmetrics report sample_data/calls.parquet --out reports/ --period 2025-03-01:2025-03-31
    python -m ccmetrics report calls.csv --out reports/ --lang zh --format html,pptx \\
        --intervals intervals.csv --drivers weather.csv
    python -m ccmetrics kpis sample_data/calls.parquet --by team --freq W --json
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from pathlib import Path

__all__ = ["main", "build_parser", "parse_period"]

#: Exit status for bad input (unreadable file, bad option, empty period).
EXIT_BAD_INPUT = 2

_KPI_TEXT_COLUMNS = (
    "offered",
    "answered",
    "answer_rate",
    "service_level",
    "abandon_rate",
    "asa_s",
    "aht_s",
    "transfer_rate",
    "fcr_rate",
    "csat_mean",
    "qa_mean",
    "occupancy",
)


class InputError(Exception):
    """Bad input: the message is shown as is and the exit status is 2."""


def parse_period(text: str):
    """Parse ``FIRST:LAST`` (both days included) into a half-open ``(start, end)`` pair.

    Parameters
    ----------
    text : str
        ``"2025-03-01:2025-03-31"``; either side may be empty (``"2025-03-01:"``: from that
        day to the end of the data).

    Returns
    -------
    tuple
        ``(start, end)`` as Timestamps or None, ``end`` being the day after the last day.

    Raises
    ------
    argparse.ArgumentTypeError
        When the text is not two ISO dates separated by a colon, or the last day is before
        the first.

    Examples
    --------
    >>> [str(t.date()) for t in parse_period("2025-03-01:2025-03-31")]
    ['2025-03-01', '2025-04-01']
    """
    import pandas as pd

    if text.count(":") != 1:
        raise argparse.ArgumentTypeError(
            f"period must be FIRST:LAST, e.g. 2025-03-01:2025-03-31 (got {text!r})"
        )
    first, last = (part.strip() for part in text.split(":"))
    try:
        start = pd.Timestamp(first).normalize() if first else None
        end = pd.Timestamp(last).normalize() + pd.Timedelta(days=1) if last else None
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"period must be two dates YYYY-MM-DD:YYYY-MM-DD (got {text!r})"
        ) from None
    if start is not None and end is not None and end <= start:
        raise argparse.ArgumentTypeError(f"the period ends before it starts ({text})")
    return start, end


def _formats(text: str) -> list[str]:
    from ccmetrics.report import FORMATS

    formats = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise argparse.ArgumentTypeError(
            f"formats must be a comma-separated list of {', '.join(FORMATS)} (got {text!r})"
        )
    return formats


def _date(text: str):
    import pandas as pd

    try:
        return pd.Timestamp(text).normalize()
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date YYYY-MM-DD: {text!r}") from None


def _dates(text: str) -> list:
    return [_date(part.strip()) for part in text.split(",") if part.strip()]


def _add_common(parser: argparse.ArgumentParser) -> None:
    """Options shared by both commands: the export, its mapping, the period and KPI settings."""
    from ccmetrics.schema import SL_FORMULAS

    parser.add_argument(
        "export",
        metavar="EXPORT",
        type=Path,
        help="call-by-call export or interval report: CSV/TSV (any encoding), gzip CSV, "
        "Excel or Parquet",
    )
    parser.add_argument(
        "--mapping",
        metavar="MAPPING.json",
        type=Path,
        help="column mapping saved from the app's Data page (default: guessed from the headers)",
    )
    parser.add_argument(
        "--period",
        metavar="FIRST:LAST",
        type=parse_period,
        help="days to cover, both included, e.g. 2025-03-01:2025-03-31 "
        "(default: the whole span of the data)",
    )
    settings = parser.add_argument_group("KPI settings (defaults as in the app)")
    settings.add_argument(
        "--sl-threshold",
        type=float,
        default=20.0,
        metavar="SECONDS",
        help="a call answered within this many seconds is within service level (default 20)",
    )
    settings.add_argument(
        "--short-abandon",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="callers hanging up within this many seconds are short abandons (default 5)",
    )
    settings.add_argument(
        "--sl-formula",
        choices=SL_FORMULAS,
        default="offered_excl_short",
        help="service-level formula (default offered_excl_short: A_T / (offered - short abandons))",
    )
    settings.add_argument(
        "--sl-target",
        type=float,
        default=80.0,
        metavar="PERCENT",
        help="service-level target drawn on the charts, in percent (default 80)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m ccmetrics`` (both commands and all options)."""
    parser = argparse.ArgumentParser(
        prog="python -m ccmetrics",
        description="Call-center analytics from the command line: the same numbers as the app.",
        epilog="Exit status: 0 success, 2 bad input (unreadable file, bad option, empty period).",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    report = commands.add_parser(
        "report",
        help="write the findings report (HTML, PowerPoint, PNG charts) of a period",
        description=(
            "Write the findings report of a period: headline KPIs against the previous "
            "period, control charts of daily service level, offered calls and AHT, and for "
            "the days beyond the control limits the drill-down, staffing analysis and "
            "comparison. Files are named ccmetrics_report_FIRST_LAST.*"
        ),
        epilog="Example: python -m ccmetrics report sample_data/calls.parquet --out reports "
        "--period 2025-03-01:2025-03-31 --lang zh",
    )
    _add_common(report)
    report.add_argument(
        "--out", required=True, type=Path, metavar="DIR", help="folder for the files (created)"
    )
    report.add_argument(
        "--lang", choices=("en", "zh"), default="en", help="report language (default en)"
    )
    report.add_argument(
        "--format",
        dest="formats",
        type=_formats,
        default=["html", "pptx", "png"],
        metavar="LIST",
        help="comma-separated outputs among html, pptx, png (default html,pptx,png); png "
        "writes one image per chart into ccmetrics_report_FIRST_LAST_charts/",
    )
    report.add_argument(
        "--intervals",
        type=Path,
        metavar="FILE",
        help="interval report with staffed/scheduled agents and forecast, for the staffing "
        "analysis of each finding (default with the bundled sample: its intervals.csv, as "
        "in the app)",
    )
    report.add_argument(
        "--drivers",
        type=Path,
        metavar="FILE",
        help="daily driver file (CSV with a date column and flags such as rain, storm; "
        "default with the bundled sample: its weather.csv, as in the app)",
    )
    report.add_argument(
        "--change-date",
        type=_date,
        metavar="YYYY-MM-DD",
        help="check whether a change made on this day improved service level and AHT",
    )
    report.add_argument(
        "--findings",
        type=_dates,
        metavar="DAYS",
        help="comma-separated days to report, e.g. 2025-03-11,2025-03-17 "
        "(default: the days beyond the control limits, most severe first)",
    )
    report.add_argument(
        "--limit-days",
        type=int,
        metavar="N",
        help="rest the control limits on the N days up to the period's end (default: the "
        "period's days, as the app's Control charts page for the same date range)",
    )
    report.add_argument(
        "--max-findings",
        type=int,
        default=5,
        metavar="N",
        help="findings to include, most severe first (default 5)",
    )

    kpis = commands.add_parser(
        "kpis",
        help="print the KPI table",
        description="Print the KPI table of the export (percentages with one decimal).",
        epilog="Example: python -m ccmetrics kpis sample_data/calls.parquet --by team --freq W",
    )
    _add_common(kpis)
    kpis.add_argument(
        "--by", metavar="COLUMN", help="group by a column, e.g. queue, team, agent, category"
    )
    kpis.add_argument(
        "--freq",
        metavar="FREQ",
        help="one row per period: 30min, h, D (day), W (week), MS (month)",
    )
    kpis.add_argument(
        "--json",
        action="store_true",
        help="print JSON records with every KPI and its n (raw numbers, fractions for rates)",
    )
    return parser


def _settings(args):
    from ccmetrics.schema import KpiSettings

    try:
        return KpiSettings(
            sl_threshold_s=args.sl_threshold,
            short_abandon_s=args.short_abandon,
            sl_formula=args.sl_formula,
            sl_target=args.sl_target / 100.0,
        )
    except ValueError as error:
        raise InputError(str(error)) from None


def _load(path: Path, mapping_path: Path | None, lang: str = "en"):
    """Load an export with its mapping; a LoadError becomes an InputError with its message."""
    from ccmetrics import io

    try:
        mapping = io.read_mapping(mapping_path) if mapping_path is not None else None
        return io.load(path, mapping)
    except io.LoadError as error:
        raise InputError(_load_error_text(error, lang)) from None
    except OSError as error:
        raise InputError(f"{path}: {error.strerror or error}") from None


def _load_error_text(error, lang: str) -> str:
    """The LoadError's message, translated when the app's table has its code."""
    from ccmetrics import i18n

    key = f"error.{getattr(error, 'code', '')}"
    if lang == "en" or not i18n.has_key(key, lang):
        return str(error)
    params = {
        name: ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else value
        for name, value in dict(getattr(error, "params", {}) or {}).items()
    }

    class Values(dict):
        def __missing__(self, name):
            return "?"

    return i18n.TRANSLATIONS[lang][key].format_map(Values(params))


def _read_drivers(path: Path):
    import pandas as pd

    try:
        return pd.read_csv(path)
    except (OSError, ValueError) as error:
        raise InputError(f"{path}: cannot read the driver file ({error})") from None


def sample_companions(export: Path) -> dict[str, Path]:
    """The bundled sample's interval report and weather file, when ``export`` is a sample
    export: the files the app uses with the sample, so the report matches the app."""
    from ccmetrics.sample import SAMPLE_DIR

    try:
        is_sample = export.resolve().parent == Path(SAMPLE_DIR).resolve()
    except OSError:
        return {}
    if not is_sample:
        return {}
    companions = {
        "intervals": Path(SAMPLE_DIR) / "intervals.csv",
        "drivers": Path(SAMPLE_DIR) / "weather.csv",
    }
    return {name: path for name, path in companions.items() if path.exists()}


def _run_report(args) -> int:
    settings = _settings(args)
    loaded = _load(args.export, args.mapping, args.lang)
    companions = sample_companions(args.export) if loaded.kind == "calls" else {}
    if args.intervals is None and "intervals" in companions:
        args.intervals = companions["intervals"]
        print(f"staffing: {args.intervals}", file=sys.stderr)
    if args.drivers is None and "drivers" in companions:
        args.drivers = companions["drivers"]
        print(f"drivers: {args.drivers}", file=sys.stderr)
    intervals = None
    if args.intervals is not None:
        interval_result = _load(args.intervals, None, args.lang)
        if interval_result.kind != "intervals":
            raise InputError(f"{args.intervals}: not an interval report (read as call records)")
        intervals = interval_result.frame
    drivers = _read_drivers(args.drivers) if args.drivers is not None else None
    start, end = args.period or (None, None)
    if args.max_findings < 0:
        raise InputError("--max-findings must be 0 or more")
    if args.limit_days is not None and args.limit_days < 1:
        raise InputError("--limit-days must be 1 or more")
    from ccmetrics import report  # charts and slides: imported once the input is known good

    try:
        built = report.build_report(
            loaded.frame,
            start=start,
            end=end,
            settings=settings,
            lang=args.lang,
            change_date=args.change_date,
            findings=args.findings,
            intervals=intervals,
            drivers=drivers,
            max_findings=args.max_findings,
            source=args.export.name,
            limit_days=args.limit_days,
        )
    except ValueError as error:
        raise InputError(str(error)) from None
    written = report.write_report(built, args.out, args.formats)
    for path in written:
        print(path)
    return 0


def _json_value(value):
    import pandas as pd

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if hasattr(value, "item"):
        value = value.item()
        if isinstance(value, float) and math.isnan(value):
            return None
    if isinstance(value, (int, float, str, bool)):
        return value
    return None if pd.isna(value) else str(value)


def _run_kpis(args) -> int:
    import pandas as pd

    from ccmetrics import kpi

    settings = _settings(args)
    loaded = _load(args.export, args.mapping)
    frame = loaded.frame
    if kpi.time_column(frame) == "arrived_at":
        frame = kpi.add_fcr_flags(frame, settings)
    if args.period:
        frame = kpi.subset(frame, *args.period)
    try:
        table = kpi.compute(frame, by=args.by, freq=args.freq, settings=settings)
    except ValueError as error:
        raise InputError(str(error)) from None
    keys = [c for c in [args.by, "period" if args.freq else None] if c]
    if args.json:
        columns = [*keys, *kpi.KPI_COLUMNS, *kpi.BASE_COLUMNS]
        records = [
            {column: _json_value(row[column]) for column in columns}
            for row in table.to_dict("records")
        ]
        print(json.dumps(records, ensure_ascii=False, indent=2))
        return 0
    shown = pd.DataFrame(index=table.index)
    for key in keys:
        values = table[key]
        if key == "period":
            times = pd.to_datetime(values)
            with_time = bool((times != times.dt.normalize()).any())
            shown[key] = times.dt.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
        else:
            shown[key] = values.astype(object).where(values.notna(), "(blank)").astype(str)
    for name in _KPI_TEXT_COLUMNS:
        if name in table.columns and table[name].notna().any():
            shown[name] = [kpi.format_value(name, value) for value in table[name]]
    print(shown.to_string(index=False))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 success, 2 bad input)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "report":
            return _run_report(args)
        return _run_kpis(args)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
