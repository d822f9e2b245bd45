"""Command line: ``python -m ccmetrics report|kpis EXPORT ...`` — the app's numbers without the app.

``report`` writes the findings report (HTML, PowerPoint, PNG charts) of a period, so it can
run every Monday from cron; ``kpis`` prints the KPI table. Both load the export with
:func:`ccmetrics.io.load` and compute with the same functions as the app. ``journey EXPORT``
prints the caller's journey (:mod:`ccmetrics.journey`) and ``people ROSTER`` attrition,
survival and KPIs by tenure (:mod:`ccmetrics.people`).

``kpis`` and ``report`` take ``--engine duckdb|spark``: the calls are then a data set of
:mod:`ccmetrics.engine` (or :mod:`ccmetrics.engine_spark`) over the loaded frame, a folder of
canonical calls in Parquet files, or the Parquet copy of an export loaded before
(:func:`ccmetrics.io.cached_copy`: reopened without parsing or hashing it again). ``kpis`` asks
the engine for the KPI table; ``report`` fetches the calls with the FCR flags the engine
computes and runs the report code on them, so both print what the pandas path prints.

Bad input (a file that cannot be loaded, a malformed mapping file, a bad option, an empty
period, an output folder that cannot be written) gives one line on stderr, in the language
of ``--lang`` (``error: ...`` / ``错误：...``), and exit status 2; never a traceback. Every
option is checked before any file is read. Exit status 1 is kept for an unexpected failure
of the program itself (one line too; ``CCMETRICS_DEBUG=1`` shows the traceback).

Examples
--------
::

    python -m ccmetrics report sample_data/calls.parquet --out reports/ --period 2025-03-01:2025-03-31
    python -m ccmetrics report calls.csv --out reports/ --lang zh --format html,pptx \\
        --intervals intervals.csv --drivers weather.csv
    python -m ccmetrics kpis sample_data/calls.parquet --by team --freq W --json
    python -m ccmetrics report calls_folder/ --out reports/ --engine duckdb
    python -m ccmetrics journey calls.csv --lang zh
    python -m ccmetrics people sample_data/roster.csv --calls sample_data/calls.parquet --json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import re
import sys
import unicodedata
from pathlib import Path

__all__ = [
    "main",
    "build_parser",
    "parse_period",
    "parse_day",
    "OptionError",
    "InputError",
    "EXIT_BAD_INPUT",
    "EXIT_INTERNAL_ERROR",
    "FIRST_DAY",
    "LAST_DAY",
]

#: Exit status for bad input (unreadable file, bad option, empty period).
EXIT_BAD_INPUT = 2

#: Exit status for a failure of the program itself (a bug), not of its input.
EXIT_INTERNAL_ERROR = 1

#: Days the program can represent: the nanosecond timestamps of pandas span
#: 1677-09-21 00:12 to 2262-04-11 23:47; a period's end is the day after its last day.
FIRST_DAY = dt.date(1677, 9, 22)
LAST_DAY = dt.date(2262, 4, 10)

#: Environment variable that lets an unexpected failure show its traceback.
DEBUG_ENV = "CCMETRICS_DEBUG"

#: A message longer than this is cut (a file with a 1 MB header would fill the terminal).
_MAX_MESSAGE_CHARS = 2000

#: Largest ``--limit-days`` (about 100 years) and ``--max-findings``.
_MAX_LIMIT_DAYS = 36_600
_MAX_FINDINGS = 1000

_LANGUAGES = ("en", "zh")


class InputError(Exception):
    """Bad input: a translation key of ``cli.*`` (or a ready message) and its parameters.

    Parameters
    ----------
    key : str
        ``cli.<code>`` key of the translation table, or ``""`` when ``text`` is given.
    text : str, optional
        A message already in the chosen language (e.g. a translated ``LoadError``).
    **params
        Values of the key's placeholders.
    """

    def __init__(self, key: str = "", text: str | None = None, **params) -> None:
        super().__init__(key or text)
        self.key = key
        self.text = text
        self.params = params

    def message(self, lang: str) -> str:
        """The message in ``lang`` (one line is made of it by :func:`main`).

        ``InputError("a sentence")`` (a first argument that is no key of the table) is a
        message already made, shown as it is.
        """
        from ccmetrics import i18n

        if self.text is not None:
            return self.text
        if not i18n.has_key(self.key, lang):
            return self.key
        return i18n.t(self.key, lang, **self.params)


class OptionError(argparse.ArgumentTypeError):
    """An option value that cannot be used: a ``cli.*`` key and its parameters.

    An :class:`argparse.ArgumentTypeError` (what :func:`parse_period` documents), carrying
    what a translated message needs.
    """

    def __init__(self, key: str, **params) -> None:
        from ccmetrics import i18n

        super().__init__(i18n.t(key, "en", **params))
        self.key = key
        self.params = params


class _UsageError(Exception):
    """What argparse reports (missing, unknown or malformed arguments), in its English words."""


class _Parser(argparse.ArgumentParser):
    """An argument parser that raises instead of printing a usage block and exiting.

    :func:`main` turns the error into one translated line.
    """

    def error(self, message: str):  # noqa: D102 (argparse's hook)
        raise _UsageError(message)


# --------------------------------------------------------------------------- option values


def _shown(value) -> str:
    """An option value as it is quoted in messages."""
    return repr(str(value))


def parse_day(text: str, option: str = "date") -> dt.date:
    """Parse one day ``YYYY-MM-DD`` within :data:`FIRST_DAY` … :data:`LAST_DAY`.

    Parameters
    ----------
    text : str
        An ISO date, e.g. ``"2025-03-01"``.
    option : str
        The option's name, for the message.

    Returns
    -------
    datetime.date

    Raises
    ------
    OptionError
        ``cli.bad_date`` when the text is not an ISO date, ``cli.date_range`` when the
        day lies outside what the program can represent.

    Examples
    --------
    >>> parse_day("2025-03-01")
    datetime.date(2025, 3, 1)
    """
    value = str(text).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise OptionError("cli.bad_date", option=option, value=_shown(text))
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise OptionError("cli.bad_date", option=option, value=_shown(text)) from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise OptionError(
            "cli.date_range",
            option=option,
            value=value,
            first=FIRST_DAY.isoformat(),
            last=LAST_DAY.isoformat(),
        )
    return day


def parse_period(text: str, option: str = "--period"):
    """Parse ``FIRST:LAST`` (both days included) into a half-open ``(start, end)`` pair.

    Parameters
    ----------
    text : str
        ``"2025-03-01:2025-03-31"``; either side may be empty (``"2025-03-01:"``: from that
        day to the end of the data).
    option : str
        The option's name, for the message.

    Returns
    -------
    tuple
        ``(start, end)`` as Timestamps or None, ``end`` being the day after the last day.

    Raises
    ------
    OptionError
        (an :class:`argparse.ArgumentTypeError`) When the text is not two ISO dates
        ``YYYY-MM-DD`` separated by a colon, a day lies outside :data:`FIRST_DAY` …
        :data:`LAST_DAY`, or the last day is before the first.

    Examples
    --------
    >>> [str(t.date()) for t in parse_period("2025-03-01:2025-03-31")]
    ['2025-03-01', '2025-04-01']
    """
    import pandas as pd

    if text.count(":") != 1 or not text.replace(":", "").strip():
        raise OptionError("cli.bad_period", option=option, value=_shown(text))
    first, last = (part.strip() for part in text.split(":"))
    try:
        first_day = parse_day(first, option) if first else None
        last_day = parse_day(last, option) if last else None
    except OptionError as error:
        if error.key == "cli.bad_date":
            raise OptionError("cli.bad_period", option=option, value=_shown(text)) from None
        raise
    if first_day is not None and last_day is not None and last_day < first_day:
        raise OptionError("cli.period_reversed", option=option, value=text.strip())
    start = pd.Timestamp(first_day) if first_day is not None else None
    end = pd.Timestamp(last_day) + pd.Timedelta(days=1) if last_day is not None else None
    return start, end


def _number(text: str, option: str, *, percent: bool = False) -> float:
    """A finite number >= 0 (at most 100 when ``percent``)."""
    try:
        value = float(str(text).strip())
    except ValueError:
        raise OptionError("cli.not_a_number", option=option, value=_shown(text)) from None
    if not math.isfinite(value):
        raise OptionError("cli.not_finite", option=option, value=_shown(text))
    if value < 0 or (percent and value > 100):
        key = "cli.percent_range" if percent else "cli.negative"
        raise OptionError(key, option=option, value=_shown(text))
    return value


def _integer(text: str, option: str, low: int, high: int) -> int:
    """A whole number in ``[low, high]``."""
    value = str(text).strip()
    if not re.fullmatch(r"[+-]?\d+", value):
        raise OptionError("cli.not_an_integer", option=option, value=_shown(text))
    if len(value.lstrip("+-")) > 12 or not low <= int(value) <= high:
        raise OptionError(
            "cli.integer_range", option=option, value=_shown(text), low=low, high=high
        )
    return int(value)


def _formats(text: str, option: str = "--format") -> list[str]:
    from ccmetrics.report import FORMATS

    formats = [part.strip().lower() for part in text.split(",") if part.strip()]
    unknown = [f for f in formats if f not in FORMATS]
    if unknown or not formats:
        raise OptionError(
            "cli.bad_formats", option=option, value=_shown(text), choices=", ".join(FORMATS)
        )
    return list(dict.fromkeys(formats))


def _day(text: str, option: str):
    import pandas as pd

    return pd.Timestamp(parse_day(text, option))


def _days(text: str, option: str) -> list:
    days = [_day(part.strip(), option) for part in text.split(",") if part.strip()]
    if not days:
        raise OptionError("cli.bad_date", option=option, value=_shown(text))
    return days


def _freq(text: str, option: str = "--freq") -> str:
    """A pandas offset alias of a positive length (``30min``, ``h``, ``D``, ``W``, ``MS``)."""
    from pandas.tseries.frequencies import to_offset

    value = str(text).strip()
    try:
        offset = to_offset(value)
    except (ValueError, TypeError):
        raise OptionError("cli.bad_freq", option=option, value=_shown(text)) from None
    if offset is None or offset.n < 1:
        raise OptionError("cli.bad_freq", option=option, value=_shown(text))
    return value


def _check_options(args) -> None:
    """Convert and check every option value in place, before any file is read.

    Raises
    ------
    OptionError
        The first option that cannot be used.
    """
    if args.command == "people":  # its own options: no export, no KPI settings
        return _check_people(args)
    args.sl_threshold = _number(args.sl_threshold, "--sl-threshold")
    args.short_abandon = _number(args.short_abandon, "--short-abandon")
    args.sl_target = _number(args.sl_target, "--sl-target", percent=True)
    if args.cost_per_agent_hour is not None:
        args.cost_per_agent_hour = _number(args.cost_per_agent_hour, "--cost-per-agent-hour")
    if args.period is not None:
        args.period = parse_period(args.period)
    if args.command == "report":
        args.formats = _formats(args.formats)
        if args.change_date is not None:
            args.change_date = _day(args.change_date, "--change-date")
        if args.findings is not None:
            args.findings = _days(args.findings, "--findings")
        if args.limit_days is not None:
            args.limit_days = _integer(args.limit_days, "--limit-days", 1, _MAX_LIMIT_DAYS)
        args.max_findings = _integer(args.max_findings, "--max-findings", 0, _MAX_FINDINGS)
        _check_out(args.out)
    elif args.freq is not None:
        args.freq = _freq(args.freq)


def _check_out(path: Path) -> None:
    """``--out`` must be a folder, or a path where one can be created; nothing is created here."""
    if path.exists() and not path.is_dir():
        raise OptionError("cli.out_is_file", path=str(path))
    ancestor = path.absolute()
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OptionError("cli.out_not_creatable", path=str(path), blocker=str(ancestor))
    if not os.access(ancestor, os.W_OK | os.X_OK):
        raise OptionError("cli.out_not_writable", path=str(path), folder=str(ancestor))


# --------------------------------------------------------------------------- usage errors

#: argparse's own messages (Python 3.9-3.13 wording) -> translation key and named groups.
_USAGE_PATTERNS = (
    (
        re.compile(r"the following arguments are required: (?P<names>.*)", re.S),
        "cli.missing_arguments",
    ),
    (re.compile(r"unrecognized arguments: (?P<names>.*)", re.S), "cli.unknown_arguments"),
    (
        re.compile(
            r"argument (?P<option>\S+): invalid choice: (?P<value>.*?) \(choose from (?P<choices>.*)\)",
            re.S,
        ),
        "cli.invalid_choice",
    ),
    (re.compile(r"argument (?P<option>\S+): expected one argument", re.S), "cli.expected_value"),
    (
        re.compile(r"argument (?P<option>\S+): ignored explicit argument (?P<value>.*)", re.S),
        "cli.no_value_allowed",
    ),
    (
        re.compile(r"ambiguous option: (?P<option>\S+) could match (?P<choices>.*)", re.S),
        "cli.ambiguous_option",
    ),
)


def _usage_message(message: str, lang: str) -> str:
    """argparse's message in ``lang`` (its own words in ``cli.usage`` when not recognised)."""
    from ccmetrics import i18n

    for pattern, key in _USAGE_PATTERNS:
        match = pattern.fullmatch(message.strip())
        if match:
            params = match.groupdict()
            if "option" in params:
                params["option"] = params["option"].split("/")[0]
            return i18n.t(key, lang, **params)
    return i18n.t("cli.usage", lang, detail=message.strip())


def _requested_language(argv: list[str]) -> str:
    """``--lang`` as written on the command line (messages of a failed parse need it too)."""
    chosen = "en"
    for position, word in enumerate(argv):
        if word == "--lang" and position + 1 < len(argv):
            chosen = argv[position + 1]
        elif word.startswith("--lang="):
            chosen = word.split("=", 1)[1]
    return chosen if chosen in _LANGUAGES else "en"


def _printable(text: str) -> str:
    """``text`` with line breaks, tabs and other control characters escaped (``\\n``, ``\\x1b``).

    A file, column, agent or queue name may hold a newline, a terminal escape sequence,
    U+2028 or a right-to-left override; none of them may reach the terminal as a control.
    """
    out = []
    for char in str(text):
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") and char != "\u200d":
            out.append(char.encode("unicode_escape").decode("ascii"))
        else:
            out.append(char)
    return "".join(out)


def _one_line(text: str) -> str:
    """``text`` as one printable line (see :func:`_printable`), cut at 2,000 characters."""
    line = _printable(str(text).replace("\t", " ")).strip()
    if len(line) > _MAX_MESSAGE_CHARS:
        line = line[: _MAX_MESSAGE_CHARS - 1] + "…"
    return line


# --------------------------------------------------------------------------- parser


def _add_common(parser: argparse.ArgumentParser) -> None:
    """Options shared by both commands: the export, its mapping, the period, KPI settings, language."""
    from ccmetrics.schema import SL_FORMULAS

    parser.add_argument(
        "export",
        metavar="EXPORT",
        type=Path,
        help="call-by-call export or interval report: CSV/TSV (any encoding), gzip CSV, "
        "Excel or Parquet",
    )
    parser.add_argument(
        "--sheet",
        metavar="SHEET",
        help="Excel workbooks: the sheet to read, by name, or by position counted from 0 "
        "(default: the first sheet)",
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
        help="days to cover, both included, e.g. 2025-03-01:2025-03-31 "
        f"(default: the whole span of the data; days from {FIRST_DAY} to {LAST_DAY})",
    )
    parser.add_argument(
        "--lang",
        choices=_LANGUAGES,
        default="en",
        help="language of the report and of error messages (default en)",
    )
    settings = parser.add_argument_group("KPI settings (defaults as in the app)")
    settings.add_argument(
        "--sl-threshold",
        default="20",
        metavar="SECONDS",
        help="a call answered within this many seconds is within service level (default 20)",
    )
    settings.add_argument(
        "--short-abandon",
        default="5",
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
        default="80",
        metavar="PERCENT",
        help="service-level target drawn on the charts, in percent, 0 to 100 (default 80)",
    )
    settings.add_argument(
        "--cost-per-agent-hour",
        default=None,
        metavar="RATE",
        help="cost of one staffed agent hour: cost per call and per minute from staffed hours "
        "x RATE (interval exports with staffing) instead of a per-call cost column",
    )


def _add_engine(command) -> None:
    """``--engine`` and ``--spark-master`` (commands ``kpis`` and ``report``)."""
    command.add_argument(
        "--engine",
        choices=("pandas", "duckdb", "spark"),
        default="pandas",
        help="compute with pandas (default) or with DuckDB (ccmetrics.engine), which also reads "
        "a folder of canonical calls in Parquet files given as EXPORT and reopens the Parquet "
        "copy of an export loaded before (no parsing again); spark runs the same queries on "
        "Spark (ccmetrics.engine_spark; needs pyspark and Java)",
    )
    command.add_argument(
        "--spark-master",
        metavar="URL",
        help="with --engine spark: the Spark master, e.g. spark://host:7077 or yarn (default: "
        "SPARK_REMOTE, a Spark Connect URL, when set; else local[2])",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m ccmetrics`` (both commands and all options).

    Values are kept as written; :func:`main` converts and checks them (so that every bad
    value gets a translated one-line message). A parse error raises an internal usage
    error instead of exiting.
    """
    parser = _Parser(
        prog="python -m ccmetrics",
        description="Call-center analytics from the command line: the same numbers as the app.",
        epilog="Exit status: 0 success, 2 bad input (unreadable file or mapping, bad option, "
        "empty period, output folder that cannot be written), 1 unexpected failure.",
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
        "--out",
        required=True,
        type=Path,
        metavar="DIR",
        help="folder for the files (created; an existing file is refused)",
    )
    report.add_argument(
        "--format",
        dest="formats",
        default="html,pptx,png",
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
        "--roster",
        type=Path,
        metavar="FILE",
        help="agent roster (agent, team, start date, leave date; CSV or Excel): the report "
        "gets a people block, attrition over the period and KPIs by tenure band (default "
        "with the bundled sample: its roster.csv, as in the app)",
    )
    report.add_argument(
        "--targets",
        type=Path,
        metavar="FILE",
        help="targets file (CSV or Excel; columns kpi, level, unit, target, optional direction "
        "and tolerance): the headline KPIs get the organisation's traffic lights; its "
        "organisation service-level target replaces --sl-target",
    )
    report.add_argument(
        "--change-date",
        metavar="YYYY-MM-DD",
        help="check whether a change made on this day improved service level and AHT",
    )
    report.add_argument(
        "--findings",
        metavar="DAYS",
        help="comma-separated days to report, e.g. 2025-03-11,2025-03-17 "
        "(default: the days beyond the control limits, most severe first)",
    )
    report.add_argument(
        "--limit-days",
        metavar="N",
        help="rest the control limits on the N days up to the period's end, 1 to "
        f"{_MAX_LIMIT_DAYS:,} (default: the period's days, as the app's Control charts page "
        "for the same date range)",
    )
    _add_engine(report)
    report.add_argument(
        "--max-findings",
        default="5",
        metavar="N",
        help=f"findings to include, most severe first, 0 to {_MAX_FINDINGS} (default 5)",
    )

    _add_journey_people(commands)

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
    _add_engine(kpis)
    return parser


# --------------------------------------------------------------------------- inputs


def _settings(args):
    from ccmetrics.schema import KpiSettings

    try:
        return KpiSettings(
            sl_threshold_s=args.sl_threshold,
            short_abandon_s=args.short_abandon,
            sl_formula=args.sl_formula,
            sl_target=args.sl_target / 100.0,
            cost_per_agent_hour=args.cost_per_agent_hour,
        )
    except ValueError as error:  # the options are checked before; kept for new settings
        raise InputError("cli.bad_settings", reason=str(error)) from None


def _read_targets(path: Path, settings, lang: str):
    """(settings, targets table) of a targets file: the file's organisation service-level
    target becomes the settings' (the line the charts draw), and the settings' target fills
    in when the file has none."""
    import dataclasses

    from ccmetrics import targets
    from ccmetrics.i18n import TRANSLATIONS

    try:
        table = targets.read_targets(path)
    except OSError as error:
        raise InputError("cli.report_failed", reason=f"{path}: {error.strerror or error}") from None
    except targets.TargetsError as error:
        params = {
            key: ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else value
            for key, value in error.params.items()
        }
        template = TRANSLATIONS[lang][f"targets.error.{error.code}"]
        raise InputError(text=template.format(**params)) from None
    level_sl = table[(table["kpi"] == "service_level") & (table["level"] == "organisation")]
    if len(level_sl):
        settings = dataclasses.replace(settings, sl_target=float(level_sl["target"].iloc[0]))
    return settings, targets.combine_targets(targets.default_targets(settings), table)


def _read_mapping(path: Path, lang: str):
    """The mapping file, read and checked by :func:`ccmetrics.io.read_mapping`.

    Every message names the mapping file (not the export).
    """
    from ccmetrics import io

    try:
        return io.read_mapping(path)
    except io.LoadError as error:
        raise InputError(text=_load_error_text(error, lang)) from None
    except OSError as error:
        raise InputError(
            "cli.mapping_unreadable", file=str(path), reason=error.strerror or str(error)
        ) from None
    except (ValueError, RecursionError, MemoryError) as error:
        raise InputError("cli.mapping_unreadable", file=str(path), reason=str(error)) from None


def _load(
    path: Path,
    mapping_path: Path | None,
    lang: str = "en",
    sheet: str | None = None,
    cached: bool = False,
):
    """Load an export with its mapping; every failure becomes an :class:`InputError`.

    ``cached``: through :func:`ccmetrics.io.load_cached` (the Parquet copy in the default
    cache folder, read or written; the file hashed once, its digest remembered by
    :func:`ccmetrics.io.source_digest`).

    A ``LoadError`` keeps its (translated) message; any other exception raised while the
    loader reads this file is still the file's fault as far as the user can act on it:
    one line naming the file and what went wrong, exit status 2. A ``sheet`` given for a
    file that is not an Excel workbook is an error too (it would be ignored silently).
    """
    from ccmetrics import io

    mapping = _read_mapping(mapping_path, lang) if mapping_path is not None else None
    try:
        if cached:
            digest = io.source_digest(path)
            result = io.load_cached(path, mapping, sheet=sheet, digest=digest)
        else:
            result = io.load(path, mapping, sheet=sheet)
        if sheet is not None and result.format != "excel":
            raise InputError("cli.sheet_not_excel", file=str(path), format=result.format)
        return result
    except InputError:
        raise
    except io.LoadError as error:
        raise InputError(text=_load_error_text(error, lang)) from None
    except OSError as error:
        raise InputError(
            "cli.unreadable", file=str(path), reason=error.strerror or str(error)
        ) from None
    except MemoryError:
        raise InputError("cli.out_of_memory", file=str(path)) from None
    except Exception as error:  # noqa: BLE001 (the loader failed on this file: say so in one line)
        if os.environ.get(DEBUG_ENV):
            raise
        raise InputError(
            "cli.load_failed", file=str(path), reason=f"{type(error).__name__}: {error}"
        ) from None


def _load_error_text(error, lang: str) -> str:
    """The LoadError's message, translated when the table has its code."""
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
    """The daily driver file (``forecast.read_drivers``); its error ends the run, translated."""
    from ccmetrics import forecast  # statsmodels: imported only when drivers are given

    try:
        return forecast.read_drivers(path, str(path))
    except forecast.DriverFileError as error:
        raise InputError(f"error.{error.code}", **error.params) from None


def _nonempty_period(frame, period):
    """``(start, end)`` of the period; an :class:`InputError` when it holds no data."""
    from ccmetrics import kpi

    start, end = period or (None, None)
    if start is None and end is None:
        if frame.empty:
            raise InputError("cli.empty_data")
        return start, end
    if kpi.subset(frame, start, end).empty:
        import pandas as pd

        first = start.date().isoformat() if start is not None else "…"
        last = (end - pd.Timedelta(days=1)).date().isoformat() if end is not None else "…"
        raise InputError("cli.empty_period", first=first, last=last)
    return start, end


# --------------------------------------------------------------------------- commands


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
    lang = args.lang
    data, loaded = _open_data(args, lang)
    kind = "calls" if data is not None else loaded.kind
    companions = sample_companions(args.export) if kind == "calls" else {}
    if args.intervals is None and "intervals" in companions:
        args.intervals = companions["intervals"]
        print(f"staffing: {args.intervals}", file=sys.stderr)
    if args.drivers is None and "drivers" in companions:
        args.drivers = companions["drivers"]
        print(f"drivers: {args.drivers}", file=sys.stderr)
    intervals = None
    if args.intervals is not None:
        interval_result = _load(args.intervals, None, lang)
        if interval_result.kind != "intervals":
            raise InputError("cli.not_intervals", file=str(args.intervals))
        intervals = interval_result.frame
    drivers = _read_drivers(args.drivers) if args.drivers is not None else None
    roster = _report_roster(args, kind, lang)
    goals = None
    if args.targets is not None:
        settings, goals = _read_targets(args.targets, settings, lang)
    if data is not None:
        start, end = _engine_period(data, args)
        frame = _report_calls(data, args, settings)
    else:
        frame = loaded.frame
        start, end = _nonempty_period(frame, args.period)
    import pandas as pd

    from ccmetrics import report  # charts and slides: imported once the input is known good

    try:
        built = report.build_report(
            frame,
            start=start,
            end=end,
            settings=settings,
            lang=lang,
            change_date=args.change_date,
            findings=args.findings,
            intervals=intervals,
            drivers=drivers,
            max_findings=args.max_findings,
            source=args.export.name,
            limit_days=args.limit_days,
            targets=goals,
            roster=roster,
        )
    except (OverflowError, pd.errors.OutOfBoundsDatetime):
        raise InputError(
            "cli.dates_out_of_range", first=FIRST_DAY.isoformat(), last=LAST_DAY.isoformat()
        ) from None
    except ValueError as error:
        raise InputError("cli.report_failed", reason=str(error)) from None
    try:
        written = report.write_report(built, args.out, args.formats)
    except OSError as error:
        where = error.filename or args.out
        raise InputError(
            "cli.write_failed", path=str(where), reason=error.strerror or str(error)
        ) from None
    for path in written:
        print(path)
    return 0


def _report_calls(data, args, settings):
    """The calls the report reads, fetched from the engine with their FCR flags.

    The report reads the whole history, not only its period and a baseline before it: each
    finding's story looks for a team's handle-time step over every day up to the period's
    end (``story.step_start``; its control chart is the report's own), the drivers'
    seasonal model is fitted to every day's volume and the staffing calibration to every
    staffed day. So the window is all calls, with the
    FCR flags the engine computes over the whole data (a repeat call after the period
    counts, as ``kpi.add_fcr_flags`` on the loaded frame); the report code then runs on
    that frame unchanged, so the report is the one the pandas path writes.
    """
    errors = _engine_errors(args)
    try:
        return data.window(settings=settings)
    except errors as error:
        reason = (str(error).splitlines() or [""])[0]
        raise InputError("cli.folder_unreadable", folder=str(args.export), reason=reason) from None


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

    from ccmetrics import kpi, kpis

    settings = _settings(args)
    data, loaded = _open_data(args, args.lang)
    if data is not None:
        start, end = _engine_period(data, args)
        table = _engine_kpis(data, args, settings, start, end)
    else:  # pandas, and interval reports (already aggregates) whatever the engine
        frame = loaded.frame
        if args.by is not None and args.by not in frame.columns:
            columns = ", ".join(map(str, frame.columns))
            raise InputError("cli.bad_by", column=args.by, columns=columns)
        start, end = _nonempty_period(frame, args.period)
        if kpi.time_column(frame) == "arrived_at":
            frame = kpi.add_fcr_flags(frame, settings)
        if args.period:
            frame = kpi.subset(frame, start, end)
        try:
            table = kpi.compute(frame, by=args.by, freq=args.freq, settings=settings)
        except ValueError as error:
            raise InputError("cli.kpis_failed", reason=str(error)) from None
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
            labels = values.astype(object).where(values.notna(), "(blank)").astype(str)
            shown[key] = labels.map(_printable)  # names from the file, never terminal controls
    for name in kpis.WIDE_TABLE_KPIS:
        if name in table.columns and table[name].notna().any():
            shown[name] = [kpi.format_value(name, value) for value in table[name]]
    print(shown.to_string(index=False))
    return 0


#: Exports at least this large are opened through the Parquet copy of an earlier load
#: (:func:`ccmetrics.io.cached_copy`) and, when there is none, loaded with
#: :func:`ccmetrics.io.load_cached`, which writes one: the threshold of the app's uploads
#: (pages/common/data.py), below which a copy saves less than a tenth of a second.
CACHE_MIN_BYTES = 16 << 20


def _open_data(args, lang: str):
    """The data of ``kpis`` / ``report``: ``(data set, None)`` with ``--engine duckdb|spark``
    and call data, else ``(None, LoadResult)`` (pandas, and interval reports whatever the
    engine: they are aggregates already).

    A folder is canonical calls in Parquet files (the engine reads them). A file of at least
    :data:`CACHE_MIN_BYTES` loaded before (by this command or the app) is reopened from its
    Parquet copy without parsing it or building a pandas frame; a first load writes the copy,
    which the engine then reads in place of the frame (one copy of the calls in memory, not
    a frame and its Arrow table).
    """
    if args.export.is_dir():
        return _folder_data(args), None
    if args.engine == "pandas":
        return None, _load(args.export, args.mapping, lang, args.sheet)
    cacheable = _cacheable(args.export) and args.sheet is None
    mapping = _read_mapping(args.mapping, lang) if args.mapping is not None else None
    copy = _calls_copy(args.export, mapping) if cacheable else None
    if copy is not None:
        try:
            return _dataset(copy, args), None
        except InputError:
            raise
        except Exception:  # noqa: BLE001 (a copy the engine cannot read: loaded again)
            if os.environ.get(DEBUG_ENV):
                raise
    loaded = _load(args.export, args.mapping, lang, args.sheet, cached=cacheable)
    from ccmetrics import kpi

    if kpi.time_column(loaded.frame) != "arrived_at":
        return None, loaded
    copy = _calls_copy(args.export, mapping) if cacheable else None
    if copy is not None:  # the copy just written: the engine reads it, the frame is let go
        try:
            return _dataset(copy, args), None
        except InputError:
            raise
        except Exception:  # noqa: BLE001 (a copy the engine cannot read: the frame is used)
            if os.environ.get(DEBUG_ENV):
                raise
    return _dataset(loaded.frame, args), loaded


def _cacheable(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size >= CACHE_MIN_BYTES
    except OSError:
        return False


def _calls_copy(path: Path, mapping):
    """The Parquet copy of canonical calls of an earlier load of ``path``, or None."""
    from ccmetrics import io

    try:
        copy = io.cached_copy(path, mapping)
        if copy is None:
            return None
        import pyarrow.parquet as pq

        return copy if "arrived_at" in pq.read_schema(copy).names else None
    except Exception:  # noqa: BLE001 (no copy to use: the export is loaded)
        if os.environ.get(DEBUG_ENV):
            raise
        return None


def _engine_period(data, args):
    """``(start, end)`` of ``--period`` over a data set, after checking ``--by`` and that the
    period holds calls (the messages of the pandas path)."""
    by = getattr(args, "by", None)
    if by is not None and by not in data.columns:
        raise InputError("cli.bad_by", column=by, columns=", ".join(data.columns))
    start, end = args.period or (None, None)
    if data.count(start, end) == 0:
        if start is None and end is None:
            raise InputError("cli.empty_data")
        import pandas as pd

        first = start.date().isoformat() if start is not None else "…"
        last = (end - pd.Timedelta(days=1)).date().isoformat() if end is not None else "…"
        raise InputError("cli.empty_period", first=first, last=last)
    return start, end


def _folder_data(args):
    """A folder of canonical calls in Parquet files as a data set of ``--engine``, read by the
    engine (:class:`ccmetrics.engine.Dataset`) without a pandas frame of the calls; its
    column types checked by one count."""
    if args.engine == "pandas" or args.mapping is not None or args.sheet is not None:
        raise InputError("cli.folder_needs_engine", folder=str(args.export))
    errors = _engine_errors(args)
    try:
        data = _dataset(args.export, args)
        data.count()
    except (ValueError, *errors) as error:
        raise InputError(
            "cli.folder_unreadable", folder=str(args.export), reason=_one_line(str(error))
        ) from None
    return data


def _engine_errors(args) -> tuple[type[Exception], ...]:
    """The errors the chosen engine raises on data it cannot read."""
    if args.engine == "spark":
        from pyspark.errors import PySparkException

        return (PySparkException,)
    import duckdb

    return (duckdb.Error,)


def _dataset(source, args):
    """The engine-backed data set of ``--engine`` over a frame or a Parquet folder or copy
    (DuckDB keeps the cube of a Parquet source between runs: asked again, it reads the cube)."""
    if args.engine != "spark":
        from ccmetrics.engine import Dataset, cube_dir_for

        if isinstance(source, (str, Path)):
            return Dataset(source, cube_dir=cube_dir_for(source))
        return Dataset(source, cubes=False)  # a frame: one question, no file to keep a cube for
    try:
        from ccmetrics.engine_spark import SparkDataset, spark_session

        session = spark_session(args.spark_master)
    except Exception as error:  # no pyspark, no Java, no cluster: said, never a traceback
        raise InputError("cli.spark_unavailable", reason=_one_line(str(error))) from None
    return SparkDataset(source, session)


def _engine_kpis(data, args, settings, start, end):
    """The KPI table from a :class:`ccmetrics.engine.Dataset` (FCR flags of the whole data)."""
    errors = _engine_errors(args)
    try:
        return data.kpis(args.by or (), args.freq, settings, start, end)
    except ValueError as error:
        raise InputError("cli.kpis_failed", reason=str(error)) from None
    except errors as error:  # a column the files hold in a type canonical calls never have
        reason = (str(error).splitlines() or [""])[0]  # DuckDB's first line; the SQL after it
        raise InputError("cli.folder_unreadable", folder=str(args.export), reason=reason) from None


# --------------------------------------------------------------------------- journey, people

#: Periods the ``people`` command counts attrition by (period start aliases).
_PEOPLE_FREQS = ("MS", "QS", "YS")


def _add_journey_people(commands) -> None:
    """The ``journey`` and ``people`` commands."""
    journey = commands.add_parser(
        "journey",
        help="print the caller's journey: the stages of a call and the IVR menu",
        description=(
            "Print, for the calls of a period, each stage of the call (IVR, queue, "
            "conversation, after-call work: calls entering, callers lost, mean time), the IVR "
            "menu options ranked by the calls agents answered, and the topics, with those that "
            "belong higher in the menu. Needs call-by-call data with IVR columns."
        ),
        epilog="Example: python -m ccmetrics journey sample_data/calls.parquet --lang zh",
    )
    _add_common(journey)
    journey.add_argument(
        "--json",
        action="store_true",
        help="print JSON: stages, menu and topics with raw numbers (fractions for shares)",
    )
    journey.set_defaults(freq=None)
    people = commands.add_parser(
        "people",
        help="print attrition, survival by tenure and KPIs by tenure band from an agent roster",
        description=(
            "Print attrition by period (leavers / average headcount, exact Poisson interval), "
            "how long agents stay (Kaplan-Meier) and, with --calls, the KPIs by tenure band "
            "(KPI settings as the app's defaults)."
        ),
        epilog="Example: python -m ccmetrics people sample_data/roster.csv --calls "
        "sample_data/calls.parquet",
    )
    people.add_argument(
        "roster",
        metavar="ROSTER",
        type=Path,
        help="agent roster: agent, team, start date, leave date (blank while employed); CSV "
        "or Excel, English or Chinese headers",
    )
    people.add_argument(
        "--calls",
        type=Path,
        metavar="FILE",
        help="call-by-call export: adds the KPIs by the agent's tenure band",
    )
    people.add_argument(
        "--mapping",
        metavar="MAPPING.json",
        type=Path,
        help="column mapping of the --calls export (default: guessed from the headers)",
    )
    people.add_argument(
        "--period",
        metavar="FIRST:LAST",
        help="days to cover, both included (default: the roster's whole span; the calls' "
        "whole span for the KPIs by tenure)",
    )
    people.add_argument(
        "--freq",
        choices=_PEOPLE_FREQS,
        default="MS",
        help="attrition by month (MS, default), quarter (QS) or year (YS)",
    )
    people.add_argument("--json", action="store_true", help="print JSON with raw numbers")
    people.add_argument(
        "--lang",
        choices=_LANGUAGES,
        default="en",
        help="language of the tables and of error messages (default en)",
    )


def _check_people(args) -> None:
    if args.period is not None:
        args.period = parse_period(args.period)


def _read_roster(path: Path, lang: str):
    """The roster file (:func:`ccmetrics.people.read_roster`); its error ends the run, translated."""
    from ccmetrics import io, people

    try:
        return people.read_roster(path)
    except io.LoadError as error:  # a RosterError too: its code is translated
        raise InputError(text=_load_error_text(error, lang)) from None
    except OSError as error:
        raise InputError(
            "cli.unreadable", file=str(path), reason=error.strerror or str(error)
        ) from None
    except Exception as error:  # noqa: BLE001 (the reader failed on this file: say so in one line)
        if os.environ.get(DEBUG_ENV):
            raise
        raise InputError(
            "cli.load_failed", file=str(path), reason=f"{type(error).__name__}: {error}"
        ) from None


def _report_roster(args, kind: str, lang: str):
    """The roster of ``report --roster``; with the bundled sample calls and no --roster, the
    sample's roster.csv (as the app's Report page uses it)."""
    if args.roster is None and kind == "calls" and sample_companions(args.export):
        from ccmetrics.sample import SAMPLE_DIR

        path = Path(SAMPLE_DIR) / "roster.csv"
        if path.exists():
            args.roster = path
            print(f"roster: {path}", file=sys.stderr)
    return _read_roster(args.roster, lang) if args.roster is not None else None


def _json_records(table) -> list[dict] | None:
    if table is None:
        return None
    return [
        {str(key): _json_value(value) for key, value in row.items()}
        for row in table.to_dict("records")
    ]


def _print_table(title: str, headers: list[str], rows: list[list[str]]) -> None:
    import pandas as pd

    print(title)
    shown = pd.DataFrame([[_printable(cell) for cell in row] for row in rows], columns=headers)
    print(shown.to_string(index=False) if len(shown) else "–")
    print()


def _run_journey(args) -> int:
    from ccmetrics import i18n, journey, kpi
    from ccmetrics.report.journey import JourneyBlock, stage_rows

    settings = _settings(args)
    lang = args.lang
    loaded = _load(args.export, args.mapping, lang, args.sheet)
    frame = loaded.frame
    if loaded.kind != "calls":
        raise InputError("cli.journey_needs_calls", file=str(args.export))
    if not journey.has_ivr(frame):
        raise InputError("cli.journey_no_ivr", file=str(args.export))
    start, end = _nonempty_period(frame, args.period)
    if args.period:
        frame = kpi.subset(frame, start, end)
    try:
        stages = journey.journey_stages(frame, settings)
        has_path = "ivr_path" in frame.columns and frame["ivr_path"].notna().any()
        menu = journey.menu_ranking(frame) if has_path else None
        top = int((menu["level"] == "top").sum()) if menu is not None else 0
        has_topics = has_path and "category" in frame.columns and frame["category"].notna().any()
        topics = journey.topic_ranking(frame, top=top) if has_topics else None
    except ValueError as error:
        raise InputError("cli.kpis_failed", reason=str(error)) from None
    if args.json:
        result = {
            "stages": _json_records(stages),
            "menu": _json_records(menu),
            "top_options": top,
            "topics": _json_records(topics),
        }
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    headers, rows = stage_rows(JourneyBlock(stages=stages), lang)
    _print_table(i18n.t("cli.journey.stages", lang), headers, rows)
    if menu is None:
        print(i18n.t("cli.journey.no_menu", lang))
        return 0
    _print_table(i18n.t("cli.journey.menu", lang), *_menu_table(menu, lang))
    if topics is None:
        print(i18n.t("cli.journey.no_topics", lang))
        return 0
    _print_table(i18n.t("cli.journey.topics", lang, top=top), *_topic_table(topics, lang))
    return 0


def _menu_table(menu, lang: str) -> tuple[list[str], list[list[str]]]:
    from ccmetrics import i18n

    def share(value):
        return i18n.format_number(value, "percent", lang)

    def count(value):
        return i18n.format_number(value, "count", lang)

    keys = ("rank", "option", "depth", "entered", "containment", "interval", "lost")
    keys += ("to_queue", "agent_handled", "agent_share")
    headers = [i18n.t("cli.journey.col.level", lang)]
    headers += [i18n.t(f"journey.col.{key}", lang) for key in keys]
    rows = []
    for row in menu.itertuples(index=False):
        interval = (
            f"{share(row.containment_low)} – {share(row.containment_high)}"
            if row.containment_low == row.containment_low  # not NaN
            else i18n.t("unit.missing", lang)
        )
        rows.append(
            [
                i18n.t(f"journey.level.{row.level}", lang),
                str(int(row.rank)),
                str(row.option),
                str(int(row.depth)),
                count(row.entered),
                share(row.containment),
                interval,
                count(row.lost),
                count(row.to_queue),
                count(row.agent_handled),
                share(row.agent_share),
            ]
        )
    return headers, rows


def _topic_table(topics, lang: str) -> tuple[list[str], list[list[str]]]:
    import pandas as pd

    from ccmetrics import i18n

    keys = ("rank", "topic", "agent_handled", "agent_share", "path", "depth", "path_share")
    keys += ("belongs_higher", "easier")
    headers = [i18n.t(f"journey.col.{key}", lang) for key in keys]
    rows = []
    for row in topics.itertuples(index=False):
        flagged = bool(row.belongs_higher)
        rows.append(
            [
                str(int(row.rank)),
                str(row.category),
                i18n.format_number(row.agent_handled, "count", lang),
                i18n.format_number(row.agent_share, "percent", lang),
                "" if pd.isna(row.path) else str(row.path),
                "" if pd.isna(row.depth) else str(int(row.depth)),
                i18n.format_number(row.path_share, "percent", lang),
                i18n.t("journey.flag_yes", lang) if flagged else "",
                i18n.t("journey.easier", lang, topic=row.easier_topic, depth=int(row.easier_depth))
                if flagged
                else "",
            ]
        )
    return headers, rows


def _people_calls(args, roster, lang: str):
    """KPIs by tenure band of the --calls export over --period (None without --calls)."""
    if args.calls is None:
        return None
    from ccmetrics import kpi, people
    from ccmetrics.schema import KpiSettings

    loaded = _load(args.calls, args.mapping, lang)
    frame = loaded.frame
    if loaded.kind != "calls":
        raise InputError("cli.people_calls_intervals", file=str(args.calls))
    if "agent" not in frame.columns or not frame["agent"].notna().any():
        raise InputError("cli.people_calls_no_agent", file=str(args.calls))
    start, end = _nonempty_period(frame, args.period)
    settings = KpiSettings()
    frame = kpi.add_fcr_flags(frame, settings)
    if args.period:
        frame = kpi.subset(frame, start, end)
    try:
        return people.kpis_by_tenure(frame, roster, settings=settings)
    except ValueError as error:
        raise InputError("cli.kpis_failed", reason=str(error)) from None


def _people_json(table, survival, at, tenure) -> dict:
    """The people command's result as JSON-ready data: attrition, survival and tenure."""
    return {
        "attrition": _json_records(table),
        "survival": {
            "spells": survival.attrs["spells"],
            "leavers": survival.attrs["leavers"],
            "median_months": _json_value(survival.attrs["median_months"]),
            "at": _json_records(at),
        },
        "tenure": _json_records(tenure),
        "unmatched_calls": tenure.attrs["unmatched_calls"] if tenure is not None else None,
    }


def _attrition_rows(table, lang: str, pct: str) -> tuple[list[str], list[list[str]]]:
    """Headers and text rows of the attrition table, period by period."""
    from ccmetrics import i18n

    def share(value):
        return i18n.format_number(value, "percent", lang)

    headers = [
        i18n.t(key, lang, pct=pct)
        for key in (
            "cli.people.col.period",
            "people.col.headcount_start",
            "people.col.headcount_end",
            "people.col.hires",
            "people.col.leavers",
            "people.col.average_headcount",
            "people.col.attrition_rate",
            "people.col.interval",
            "people.col.annualised_rate",
        )
    ]
    rows = [
        [
            row.period.strftime("%Y-%m-%d"),
            str(row.headcount_start),
            str(row.headcount_end),
            str(row.hires),
            str(row.leavers),
            f"{row.average_headcount:.1f}",
            share(row.attrition_rate),
            f"{share(row.ci_lower)} – {share(row.ci_upper)}",
            share(row.annualised_rate),
        ]
        for row in table.itertuples(index=False)
    ]
    return headers, rows


def _survival_title(survival, lang: str) -> str:
    """Title of the survival table: spells, leavers and median tenure."""
    from ccmetrics import i18n

    median = survival.attrs["median_months"]
    return i18n.t(
        "cli.people.survival",
        lang,
        spells=survival.attrs["spells"],
        leavers=survival.attrs["leavers"],
        median=i18n.t("people.median_months", lang, months=median)
        if median == median  # not NaN
        else i18n.t("people.median_none", lang),
    )


def _survival_rows(at, lang: str, pct: str) -> tuple[list[str], list[list[str]]]:
    """Headers and text rows of the share still employed at given tenures."""
    from ccmetrics import i18n

    def share(value):
        return i18n.format_number(value, "percent", lang)

    headers = [
        i18n.t(f"cli.people.col.{key}", lang, pct=pct)
        for key in ("months", "survival", "interval", "at_risk")
    ]
    rows = [
        [
            f"{row.tenure_months:g}",
            share(row.survival),
            f"{share(row.ci_lower)} – {share(row.ci_upper)}"
            if row.ci_lower == row.ci_lower  # not NaN
            else share(row.ci_lower),
            i18n.format_number(row.at_risk, "count", lang),
        ]
        for row in at.itertuples(index=False)
    ]
    return headers, rows


def _run_people(args) -> int:
    """Print (or give as JSON) a roster's attrition, survival and, with calls, tenure."""
    import pandas as pd

    from ccmetrics import i18n, people
    from ccmetrics.report import people as block

    lang = args.lang
    roster = _read_roster(args.roster, lang)
    start, end = args.period or (None, None)
    last = end - pd.Timedelta(days=1) if end is not None else None
    try:
        table = people.attrition(roster, args.freq, start=start, end=last, level=block.LEVEL)
        survival = people.survival(roster, end=last, level=block.LEVEL)
    except ValueError:
        first = start.date().isoformat() if start is not None else "…"
        raise InputError(
            "cli.empty_period", first=first, last=last.date().isoformat() if last else "…"
        ) from None
    longest = block.longest_tenure_months(roster, last)
    at = block.survival_at(survival, block.SURVIVAL_MONTHS, longest)
    tenure = _people_calls(args, roster, lang)
    if args.json:
        result = _people_json(table, survival, at, tenure)
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    pct = f"{100 * block.LEVEL:g}%"
    headers, rows = _attrition_rows(table, lang, pct)
    _print_table(i18n.t("cli.people.attrition", lang, pct=pct), headers, rows)
    title = _survival_title(survival, lang)
    headers, rows = _survival_rows(at, lang, pct)
    _print_table(title, headers, rows)
    if tenure is not None:
        headers, rows = block.tenure_rows(tenure, lang)
        unmatched = i18n.format_number(tenure.attrs["unmatched_calls"], "count", lang)
        _print_table(i18n.t("cli.people.tenure", lang, unmatched=unmatched), headers, rows)
    return 0


#: Commands beside ``report`` and ``kpis``: name -> runner.
_EXTRA_COMMANDS = {"journey": _run_journey, "people": _run_people}


def _print_error(message: str, lang: str) -> None:
    from ccmetrics import i18n

    print(_one_line(i18n.t("cli.error", lang, message=message)), file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after the program name (default ``sys.argv[1:]``).

    Returns
    -------
    int
        0 success; :data:`EXIT_BAD_INPUT` (2) for bad input, with one line on stderr in the
        language of ``--lang``; :data:`EXIT_INTERNAL_ERROR` (1) for an unexpected failure
        (one line; set ``CCMETRICS_DEBUG=1`` for the traceback). ``--help`` exits with
        status 0 through ``SystemExit`` as usual.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _requested_language(argv)
    try:
        args = build_parser().parse_args(argv)
        lang = args.lang
        _check_options(args)
        if args.command in _EXTRA_COMMANDS:
            return _EXTRA_COMMANDS[args.command](args)
        if args.command == "report":
            return _run_report(args)
        return _run_kpis(args)
    except _UsageError as error:
        _print_error(_usage_message(str(error), lang), lang)
        return EXIT_BAD_INPUT
    except OptionError as error:
        from ccmetrics import i18n

        _print_error(i18n.t(error.key, lang, **error.params), lang)
        return EXIT_BAD_INPUT
    except InputError as error:
        _print_error(error.message(lang), lang)
        return EXIT_BAD_INPUT
    except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        _print_error(_interrupted_text(lang), lang)
        return 130
    except Exception as error:  # noqa: BLE001 (a bug: one line, the traceback on request)
        if os.environ.get(DEBUG_ENV):
            raise
        from ccmetrics import i18n

        _print_error(
            i18n.t(
                "cli.internal_error", lang, error=f"{type(error).__name__}: {error}", env=DEBUG_ENV
            ),
            lang,
        )
        return EXIT_INTERNAL_ERROR


def _interrupted_text(lang: str) -> str:
    from ccmetrics import i18n

    return i18n.t("cli.interrupted", lang)


if __name__ == "__main__":
    sys.exit(main())
