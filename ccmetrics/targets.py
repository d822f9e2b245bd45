"""Targets by level (organisation, team, agent), traffic lights, and gaps period against period.

A target is a value a KPI should reach: at least it (``direction="min"``, for a KPI
where higher is better) or at most it (``"max"``). It is set for the organisation and,
optionally, for a team or an agent; the most specific one applies
(:func:`target_for`). Targets come from a file (:func:`read_targets`), from the
settings (:func:`default_targets`) or from a UI (:func:`make_targets`), and tables
combine with :func:`combine_targets`.

:func:`traffic_light` judges a value against its target with the n it rests on, so a
small team that misses by a hair is not painted red; :func:`gap_table` puts each unit's
KPIs this period against the period before, against its target and against the average
of the other units, every gap judged beyond noise (the comparisons of
:mod:`ccmetrics.compare`, p-values adjusted by :mod:`ccmetrics.multitest`).

The module returns codes and numbers; the words are in ``ccmetrics/locales/targets.py``
(keys ``targets.*``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ccmetrics import compare, kpis, multitest
from ccmetrics.i18n import LANGUAGES, TRANSLATIONS
from ccmetrics.kpi import compute, subset
from ccmetrics.schema import KpiSettings
from ccmetrics.unitstats import METRICS, unit_summary

__all__ = [
    "LEVELS",
    "DIRECTIONS",
    "LIGHTS",
    "MARKERS",
    "LIGHT_COLOURS",
    "TARGET_COLUMNS",
    "GAP_COLUMNS",
    "MAX_FILE_BYTES",
    "ERROR_CODES",
    "VERDICTS",
    "Target",
    "TargetsError",
    "make_targets",
    "combine_targets",
    "default_targets",
    "read_targets",
    "target_for",
    "target_test",
    "traffic_light",
    "status",
    "headline_lights",
    "gap_table",
]

#: Levels of a target, from the least to the most specific.
LEVELS = ("organisation", "team", "agent")
#: "min": the KPI should be at least the target; "max": at most the target.
DIRECTIONS = ("min", "max")
#: Traffic lights: met, missed within noise, missed beyond noise, not judged.
LIGHTS = ("green", "amber", "red", "grey")
#: The marker a display shows, in the light's colour, beside the light's word (never the
#: colour alone): a filled circle, an empty one for grey (characters every font has).
MARKERS = {"green": "\u25cf", "amber": "\u25cf", "red": "\u25cf", "grey": "\u25cb"}
#: The colour of each light's marker (and of its word in tables).
LIGHT_COLOURS = {"green": "#2ca02c", "amber": "#d98c00", "red": "#d62728", "grey": "#9e9e9e"}
#: Columns of a targets table.
TARGET_COLUMNS = ("kpi", "level", "unit", "target", "direction", "tolerance")
#: Codes of :class:`TargetsError` (the message of each is ``targets.error.<code>``).
ERROR_CODES = (
    "unreadable",
    "too_large",
    "empty",
    "columns_missing",
    "kpi_unknown",
    "level_unknown",
    "unit_missing",
    "target_not_number",
    "target_out_of_range",
    "direction_unknown",
    "direction_needed",
    "tolerance_invalid",
    "duplicate",
    "malformed_rows",
    "duplicate_column",
)
#: Verdicts of a change or a gap in :func:`gap_table`.
VERDICTS = ("better", "worse", "none")
#: A targets file larger than this is refused (a targets file is one row per KPI and unit).
MAX_FILE_BYTES = 1 << 18
#: Characters of a cell an error message quotes at most.
_EXAMPLE_CHARS = 40
#: Output columns of :func:`gap_table` after the unit column.
GAP_COLUMNS = (
    "kpi",
    "rank",
    "n",
    "value",
    "n_before",
    "value_before",
    "change",
    "change_p",
    "change_p_adjusted",
    "change_verdict",
    "target",
    "target_level",
    "target_gap",
    "target_p",
    "light",
    "others_value",
    "others_gap",
    "others_p",
    "others_p_adjusted",
    "others_verdict",
)


@dataclass(frozen=True)
class Target:
    """The target that applies to a KPI (one row of a targets table).

    Attributes
    ----------
    kpi : str
        A key of :data:`ccmetrics.kpis.KPIS`.
    level : str
        One of :data:`LEVELS`.
    unit : str
        The team's or agent's name ("" at organisation level).
    target : float
        In the KPI's own scale (a fraction for a percentage, seconds for a time).
    direction : str
        One of :data:`DIRECTIONS`.
    tolerance : float
        A miss up to this much is never red (same scale as ``target``).
    """

    kpi: str
    level: str
    unit: str
    target: float
    direction: str
    tolerance: float = 0.0


class TargetsError(ValueError):
    """A targets file or table that cannot be used.

    Attributes
    ----------
    code : str
        ``unreadable``, ``too_large``, ``empty``, ``columns_missing``, ``kpi_unknown``,
        ``level_unknown``, ``unit_missing``, ``target_not_number``,
        ``target_out_of_range``, ``direction_unknown``, ``direction_needed``,
        ``tolerance_invalid``, ``duplicate``, ``malformed_rows`` or
        ``duplicate_column``; the message in the UI's language is
        the translation ``targets.error.<code>``.
    params : dict
        ``file``, and where they apply ``column`` (as the file spells it), ``rows``
        (the file's line numbers, the header being line 1), ``values`` (the
        offending cells), ``columns``/``found`` (missing and present headers),
        ``reason``, ``limit``.
    """

    def __init__(self, message: str, code: str, params: dict | None = None):
        super().__init__(message)
        self.code = code
        self.params = dict(params or {})


# --------------------------------------------------------------------------- the words


def _words(key: str) -> set[str]:
    """Every language's comma-separated words of ``targets.words.<key>``, lower case."""
    out = {key}
    for lang in LANGUAGES:
        text = TRANSLATIONS[lang][f"targets.words.{key}"]
        out.update(word.strip().lower() for word in text.split(",") if word.strip())
    return out


def _kpi_names() -> dict[str, str]:
    """{lower-case code or display name in any language: KPI code}."""
    out = {}
    for name in kpis.KPIS:
        out[name.lower()] = name
        for lang in LANGUAGES:
            label = TRANSLATIONS[lang].get(f"kpi.{name}")
            if label:
                out.setdefault(label.strip().lower(), name)
    return out


def _default_direction(kpi: str) -> str | None:
    better = kpis.KPIS[kpi].higher_is_better
    if better is None:
        return None
    return "min" if better else "max"


# --------------------------------------------------------------------------- tables


def _check_values(kpi: str, target: float, tolerance: float) -> None:
    unit = kpis.KPIS[kpi].unit
    if not math.isfinite(target) or (unit == "percent" and not 0 <= target <= 1):
        raise ValueError(f"target {target} of {kpi} is out of range")
    if unit in ("seconds", "count") and target < 0:
        raise ValueError(f"target {target} of {kpi} is negative")
    if not math.isfinite(tolerance) or tolerance < 0 or (unit == "percent" and tolerance >= 1):
        raise ValueError(f"tolerance {tolerance} of {kpi} is not valid")


def make_targets(rows) -> pd.DataFrame:
    """A validated targets table from records.

    Parameters
    ----------
    rows : iterable of dict or Target
        Each with ``kpi``, ``target`` and optionally ``level`` (default
        "organisation"), ``unit`` (required for team and agent), ``direction``
        (default from the KPI registry's ``higher_is_better``) and ``tolerance``
        (default 0). Values in the KPI's own scale (fractions for percentages).

    Returns
    -------
    DataFrame
        :data:`TARGET_COLUMNS`, one row per record.

    Raises
    ------
    ValueError
        An unknown KPI or level, a missing unit name, a value out of range, a KPI
        without a better direction and none given, or the same KPI, level and unit twice.

    Examples
    --------
    >>> make_targets([{"kpi": "aht_s", "target": 300}]).iloc[0].to_dict()
    {'kpi': 'aht_s', 'level': 'organisation', 'unit': '', 'target': 300.0, 'direction': 'max', 'tolerance': 0.0}
    """
    records = []
    for row in rows:
        row = row.__dict__ if isinstance(row, Target) else dict(row)
        kpi = row["kpi"]
        if kpi not in kpis.KPIS:
            raise ValueError(f"unknown KPI {kpi!r}")
        level = row.get("level") or "organisation"
        if level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
        unit = "" if level == "organisation" else str(row.get("unit") or "").strip()
        if level != "organisation" and not unit:
            raise ValueError(f"a {level} target of {kpi} needs the {level}'s name")
        direction = row.get("direction") or _default_direction(kpi)
        if direction not in DIRECTIONS:
            raise ValueError(f"{kpi} needs a direction of {DIRECTIONS}, not {direction!r}")
        target = float(row["target"])
        tolerance = float(row.get("tolerance") or 0.0)
        _check_values(kpi, target, tolerance)
        records.append((kpi, level, unit, target, direction, tolerance))
    table = pd.DataFrame(records, columns=list(TARGET_COLUMNS))
    table["target"] = table["target"].astype(float)
    table["tolerance"] = table["tolerance"].astype(float)
    twice = table.duplicated(["kpi", "level", "unit"], keep=False)
    if twice.any():
        raise ValueError(f"the same KPI, level and unit twice: {table[twice].to_dict('records')}")
    return table


def combine_targets(*tables) -> pd.DataFrame:
    """Targets tables combined; a later table's row replaces an earlier one's of the same
    KPI, level and unit.

    Examples
    --------
    >>> first = make_targets([{"kpi": "aht_s", "target": 300}, {"kpi": "fcr_rate", "target": 0.8}])
    >>> later = make_targets([{"kpi": "aht_s", "target": 280}])
    >>> combine_targets(first, later)[["kpi", "target"]].to_dict("records")
    [{'kpi': 'fcr_rate', 'target': 0.8}, {'kpi': 'aht_s', 'target': 280.0}]
    """
    present = [t for t in tables if t is not None and len(t)]
    if not present:
        return make_targets([])
    table = pd.concat([t[list(TARGET_COLUMNS)] for t in present], ignore_index=True)
    table = table.drop_duplicates(["kpi", "level", "unit"], keep="last")
    return table.reset_index(drop=True)


def default_targets(settings: KpiSettings | None = None) -> pd.DataFrame:
    """The targets the app holds without a targets file: the service-level target setting.

    Parameters
    ----------
    settings : KpiSettings, optional
        Its ``sl_target`` (default 0.8: 80 % of calls answered within
        ``sl_threshold_s`` = 20 s, the "80/20" of DESIGN.md's KPI conventions).

    Returns
    -------
    DataFrame
        :data:`TARGET_COLUMNS`: one organisation row, ``service_level`` at least
        ``settings.sl_target``.

    Notes
    -----
    The domain brief (``shared/docs/SOURCES.md``) asks for targets at every level but
    names no value; the only target the project already had is the service-level
    setting. Other KPIs get no default: a made-up abandon, AHT or CSAT target would
    paint tiles red or green on a number nobody chose. ``sample_data/targets.csv``
    shows commonly used values (abandon rate at most 5 %, ...) as an example file.

    Examples
    --------
    >>> default_targets()[["kpi", "target", "direction"]].to_dict("records")
    [{'kpi': 'service_level', 'target': 0.8, 'direction': 'min'}]
    """
    settings = settings or KpiSettings()
    return make_targets([{"kpi": "service_level", "target": settings.sl_target}])


# --------------------------------------------------------------------------- a targets file


def _rows_text(positions) -> str:
    return ", ".join(str(p + 2) for p in positions)


def _fail(code: str, message: str, **params) -> None:
    raise TargetsError(message, code, params)


def _number_cells(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(number, written with a % sign) of each text cell; NaN where not a number."""
    text = cells.fillna("").astype(str).str.strip().str.replace(" ", "", regex=False)
    percent = text.str.endswith("%")
    text = text.str.rstrip("%")
    numbers = pd.to_numeric(text.where(text != ""), errors="coerce").astype(float)
    # inf, 1e400: no target or tolerance is infinite
    numbers = numbers.where(np.isfinite(numbers))
    return numbers, percent


def _unpacked(data: bytes, name: str) -> bytes:
    """A gzip or a one-file zip unpacked (layer by layer) within MAX_FILE_BYTES.

    A small archive may hold gigabytes, and the reader would use only the first
    rows of a long text: an unpacked targets file has the same cap as a plain one.
    An Excel workbook (a zip with an ``xl/`` folder) is left to the reader.
    """
    import io as bytes_io
    import zipfile

    from ccmetrics.io.limits import MAX_NESTING, gunzip_capped, read_member_capped

    for _ in range(MAX_NESTING):
        if data[:2] == b"\x1f\x8b":
            data = gunzip_capped(data, name, limit=MAX_FILE_BYTES)
            continue
        if data[:4] != b"PK\x03\x04":
            break
        try:
            archive = zipfile.ZipFile(bytes_io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError, OSError):
            break  # the reader says it is damaged
        files = [info for info in archive.infolist() if not info.filename.endswith("/")]
        if any(info.filename.startswith("xl/") for info in files) or len(files) != 1:
            break  # a workbook, or an archive the reader refuses
        data = read_member_capped(archive, files[0], name, limit=MAX_FILE_BYTES)
    return data


def _read_bytes(source, name: str | None) -> tuple[bytes, str]:
    """The first bytes of a targets file (one past the cap) and the name messages use."""
    if isinstance(source, (bytes, bytearray)):
        data = bytes(source[: MAX_FILE_BYTES + 1])
    else:
        path_like = isinstance(source, str) or hasattr(source, "as_posix")
        shown = source if path_like else getattr(source, "name", "")
        name = name or str(shown or "").replace("\\", "/").rsplit("/", 1)[-1]
        try:
            if path_like:
                # read one byte past the cap: a larger file (or /dev/zero) is never read whole
                with open(source, "rb") as handle:
                    data = handle.read(MAX_FILE_BYTES + 1)
            else:
                data = source.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            name = name or "targets"
            _fail("unreadable", f"{name}: {error}", file=name, reason=str(error.strerror or error))
    name = name or "targets"
    if len(data) > MAX_FILE_BYTES:
        _fail(
            "too_large",
            f"{name}: larger than {MAX_FILE_BYTES} bytes",
            file=name,
            limit=MAX_FILE_BYTES,
        )
    return data, name


def _read_raw(data: bytes, name: str) -> tuple[pd.DataFrame, int]:
    """The file's cells as text and its header line (0-based); refuses damaged rows."""
    from ccmetrics.io import LoadError  # the loader package imports much; only a file needs it
    from ccmetrics.io.problems import _Problems
    from ccmetrics.io.read import _Table

    problems = _Problems()
    try:
        data = _unpacked(data, name)
        # read whole (a preview's row or byte limit would cut rows silently): the byte
        # caps above bound it
        table = _Table(data, name, None, None, problems)
        raw = table.read(list(table.columns), set(table.columns))
    except LoadError as error:
        if error.code == "too_large":
            _fail("too_large", str(error), file=name, limit=MAX_FILE_BYTES)
        _fail("unreadable", str(error), file=name, reason=str(error))
    if table.skipped_rows:
        # a row with a wrong number of fields: its values cannot be placed in columns
        samples = [
            str(text)[:_EXAMPLE_CHARS]
            for item in problems.items
            if item["code"] == "malformed_row"
            for text in item["params"].get("sample_text", [])
        ]
        _fail(
            "malformed_rows",
            f"{name}: {table.skipped_rows} rows with a wrong number of fields",
            file=name,
            count=int(table.skipped_rows),
            values=", ".join(samples),
        )
    # line of the header in the file (0-based; a title block above it moves it down)
    header_line = int(getattr(table, "header_line", 0) or 0)
    return raw, header_line


def _target_headers(raw: pd.DataFrame, name: str) -> dict:
    """The file's column of each of :data:`TARGET_COLUMNS` it has; refuses a missing one."""
    for twice in [c for c in raw.columns if str(c).endswith(".1")]:
        head = str(twice)[:-2]
        if head in raw.columns and any(head.strip().lower() in _words(c) for c in TARGET_COLUMNS):
            _fail(
                "duplicate_column",
                f"{name}: two columns named {head}",
                file=name,
                column=head,
            )
    headers = {}
    for column in raw.columns:
        key = str(column).strip().lower()
        for canonical in TARGET_COLUMNS:
            if canonical not in headers and key in _words(canonical):
                headers[canonical] = column
    # level and unit may be left out by a file of organisation targets only
    missing = [c for c in ("kpi", "target") if c not in headers]
    if missing:
        _fail(
            "columns_missing",
            f"{name}: no column {missing} (it has {list(raw.columns)})",
            file=name,
            columns=missing,
            found=[str(c) for c in raw.columns],
        )
    return headers


class _TargetRows:
    """The non-blank rows of a targets file: their cells by column, and refusals naming rows."""

    def __init__(self, raw: pd.DataFrame, headers: dict, header_line: int, name: str):
        blank = raw.isna() | raw.astype("string").apply(lambda c: c.str.strip() == "")
        self.raw = raw[~blank.all(axis=1)].copy()  # blank lines are no rows
        if self.raw.empty:
            _fail("empty", f"{name}: no target rows", file=name)
        self.headers = headers
        self.name = name
        self.positions = np.asarray(self.raw.index) + header_line

    def cells(self, column: str) -> pd.Series:
        """The column's cells as stripped text (empty when the file has no such column)."""
        if column not in self.headers:
            return pd.Series("", index=self.raw.index)
        return self.raw[self.headers[column]].fillna("").astype(str).str.strip()

    def bad(self, code: str, column: str, mask, values) -> None:
        """Refuse the file with ``code`` when any row of ``mask`` is true."""
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            name, headers, positions = self.name, self.headers, self.positions
            shown = sorted({str(v)[:_EXAMPLE_CHARS] for v in np.asarray(values)[mask]})
            _fail(
                code,
                f"{name}, column {headers.get(column, column)}, rows {_rows_text(positions[mask])}: {code}",
                file=name,
                column=str(headers.get(column, column)),
                rows=_rows_text(positions[mask]),
                values=", ".join(shown),
            )


def _kpi_level_unit(rows: _TargetRows) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Each row's KPI code, level and unit, checked."""
    names = _kpi_names()
    kpi_text = rows.cells("kpi")
    kpi = kpi_text.str.lower().map(names)
    rows.bad("kpi_unknown", "kpi", kpi.isna(), kpi_text)

    level_words = {level: _words(level) for level in LEVELS}
    level_text = rows.cells("level")
    level = pd.Series("organisation", index=rows.raw.index, dtype=object)
    known = level_text == ""
    for word_level, words in level_words.items():
        hit = level_text.str.lower().isin(words)
        level[hit] = word_level
        known |= hit
    rows.bad("level_unknown", "level", ~known, level_text)

    unit = rows.cells("unit").where(level != "organisation", "")
    rows.bad("unit_missing", "unit", (level != "organisation") & (unit == ""), unit)
    return kpi, level, unit


def _target_tolerance(rows: _TargetRows, kpi: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Each row's target and tolerance in the KPI's own scale, checked."""
    target, target_percent = _number_cells(rows.cells("target"))
    rows.bad("target_not_number", "target", target.isna(), rows.cells("target"))

    tolerance, tolerance_percent = _number_cells(rows.cells("tolerance"))
    tolerance_bad = rows.cells("tolerance").ne("") & tolerance.isna()
    rows.bad("tolerance_invalid", "tolerance", tolerance_bad, rows.cells("tolerance"))
    tolerance = tolerance.fillna(0.0)

    is_percent = kpi.map(lambda k: kpis.KPIS[k].unit == "percent").astype(bool)
    points = bool((is_percent & ~target_percent & (target > 1)).any())
    target = target.where(~(is_percent & (target_percent | points)), target / 100)
    tolerance = tolerance.where(~(is_percent & (tolerance_percent | points)), tolerance / 100)

    unit_of = kpi.map(lambda k: kpis.KPIS[k].unit)
    out_of_range = ((unit_of == "percent") & ((target < 0) | (target > 1))) | (
        unit_of.isin(["seconds", "count"]) & (target < 0)
    )
    rows.bad("target_out_of_range", "target", out_of_range, rows.cells("target"))
    tolerance_range = (tolerance < 0) | ((unit_of == "percent") & (tolerance >= 1))
    rows.bad("tolerance_invalid", "tolerance", tolerance_range, rows.cells("tolerance"))
    return target, tolerance


def _directions(rows: _TargetRows, kpi: pd.Series) -> pd.Series:
    """Each row's direction: the file's, else the KPI's default; checked."""
    direction_text = rows.cells("direction")
    direction = pd.Series(None, index=rows.raw.index, dtype=object)
    given = direction_text != ""
    for word_direction in DIRECTIONS:
        direction[direction_text.str.lower().isin(_words(word_direction))] = word_direction
    rows.bad("direction_unknown", "direction", given & direction.isna(), direction_text)
    defaults = kpi.map(_default_direction)
    direction = direction.where(given, defaults)
    rows.bad("direction_needed", "direction", direction.isna(), rows.cells("kpi"))
    return direction


def _refuse_duplicates(table: pd.DataFrame, rows: _TargetRows) -> None:
    """Refuse the file when a KPI, level and unit has two rows."""
    name = rows.name
    twice = table.duplicated(["kpi", "level", "unit"], keep=False).to_numpy()
    if twice.any():
        shown = sorted(
            {f"{r.kpi}/{r.level}/{r.unit}".rstrip("/") for r in table[twice].itertuples()}
        )
        _fail(
            "duplicate",
            f"{name}, rows {_rows_text(rows.positions[twice])}: the same KPI, level and unit twice",
            file=name,
            rows=_rows_text(rows.positions[twice]),
            values=", ".join(shown),
        )


def read_targets(source, name: str | None = None) -> pd.DataFrame:
    """Read and check a targets file (CSV, TSV or Excel; English or Chinese headers).

    Parameters
    ----------
    source : str, Path, bytes or binary file object
        The file, as :func:`ccmetrics.io.load` takes it (encodings such as GBK and
        Excel sheets are read the same way).
    name : str, optional
        The file name used in messages (default: the path's name, or "targets").

    Returns
    -------
    DataFrame
        :data:`TARGET_COLUMNS` in the KPIs' own scale, one row per file row, in
        the file's order. ``.attrs``: ``file`` (the name), ``file_rows`` (data rows
        read) and ``dropped`` ({"blank_row": blank rows}), so ``file_rows ==
        len(frame) + sum(dropped.values())``; any other bad row refuses the file.

    Raises
    ------
    TargetsError
        With a ``code`` and ``params`` naming the file, column and rows (line
        numbers of the file, the header being line 1): see :class:`TargetsError`.

    Notes
    -----
    Columns (headers matched without case; every language's words of
    ``targets.words.*`` are accepted): ``kpi`` (指标: a KPI code such as
    ``abandon_rate`` or its display name), ``level`` (层级: organisation / team /
    agent, 组织 / 班组 / 坐席; blank or no column: organisation), ``unit`` (对象: the team's or agent's name, blank
    for the organisation), ``target`` (目标值), optional ``direction`` (方向: min =
    at least, max = at most; default from the KPI: higher better → min) and
    ``tolerance`` (容差; default 0). Percentage targets may be written 80, 80 % or
    0.8: a cell with a % sign is divided by 100; otherwise, when any percentage
    target of the file is above 1, every percentage target and tolerance written
    without % is read as points (divided by 100), else as fractions. Times are in
    seconds. Infinite or not-a-number targets and tolerances are refused.

    Limits: at most :data:`MAX_FILE_BYTES` are read (a gzip or one-file zip is
    unpacked within the same cap); a row with a wrong number of fields or a
    column header written twice refuses the file; blank rows are skipped and
    counted in ``attrs["dropped"]``.

    Examples
    --------
    >>> text = b"kpi,level,unit,target\\nservice_level,organisation,,80%\\naht_s,team,Team 1,300\\n"
    >>> read_targets(text)[["kpi", "level", "unit", "target"]].to_dict("records")
    [{'kpi': 'service_level', 'level': 'organisation', 'unit': '', 'target': 0.8}, {'kpi': 'aht_s', 'level': 'team', 'unit': 'Team 1', 'target': 300.0}]
    """
    data, name = _read_bytes(source, name)
    raw, header_line = _read_raw(data, name)
    file_rows = len(raw)
    headers = _target_headers(raw, name)
    rows = _TargetRows(raw, headers, header_line, name)
    kpi, level, unit = _kpi_level_unit(rows)
    target, tolerance = _target_tolerance(rows, kpi)
    direction = _directions(rows, kpi)
    table = pd.DataFrame(
        {
            "kpi": kpi.to_numpy(),
            "level": level.to_numpy(),
            "unit": unit.to_numpy(),
            "target": target.to_numpy(dtype=float),
            "direction": direction.to_numpy(),
            "tolerance": tolerance.to_numpy(dtype=float),
        }
    )
    _refuse_duplicates(table, rows)
    table.attrs.update(
        file=name, file_rows=file_rows, dropped={"blank_row": file_rows - len(table)}
    )
    return table


# --------------------------------------------------------------------------- looking up


def target_for(targets: pd.DataFrame | None, kpi: str, team=None, agent=None) -> Target | None:
    """The target that applies to a KPI: the agent's, else the team's, else the organisation's.

    Parameters
    ----------
    targets : DataFrame or None
        A targets table (:data:`TARGET_COLUMNS`).
    kpi : str
        A KPI code.
    team, agent : str, optional
        The team and the agent (compared as text).

    Returns
    -------
    Target or None
        None when no row of the table applies.

    Examples
    --------
    >>> table = make_targets([{"kpi": "aht_s", "target": 300},
    ...                       {"kpi": "aht_s", "level": "team", "unit": "T1", "target": 330}])
    >>> target_for(table, "aht_s", team="T1").target, target_for(table, "aht_s", team="T2").target
    (330.0, 300.0)
    """
    return _lookup(_target_index(targets), kpi, team=team, agent=agent)


def _target_index(targets: pd.DataFrame | None) -> dict:
    """Every row of a targets table by (kpi, level, unit as text), the last row of a key kept.

    Built once per table so that looking up the target of hundreds of units (agents of a
    gap table) does not filter the table once per unit; a row whose unit is missing
    never matches, as in a comparison of the column with text.
    """
    if targets is None or not len(targets):
        return {}
    index = {}
    units = targets["unit"].astype(str)
    for row, unit in zip(targets.itertuples(index=False), units, strict=True):
        if not isinstance(unit, str):
            continue
        index[(row.kpi, row.level, unit)] = Target(
            str(row.kpi),
            str(row.level),
            str(row.unit),
            float(row.target),
            str(row.direction),
            float(row.tolerance),
        )
    return index


def _lookup(index: dict, kpi: str, team=None, agent=None) -> Target | None:
    """:func:`target_for` over a :func:`_target_index`: the agent's, the team's, the organisation's."""
    for level, unit in (("agent", agent), ("team", team), ("organisation", "")):
        if level != "organisation" and (
            unit is None or (isinstance(unit, float) and math.isnan(unit))
        ):
            continue
        goal = index.get((kpi, level, str(unit)))
        if goal is not None:
            return goal
    return None


# --------------------------------------------------------------------------- the traffic light


def target_test(
    kpi: str,
    value,
    target,
    n=None,
    sd=None,
    *,
    direction: str | None = None,
    tolerance: float = 0.0,
    alpha: float = 0.05,
) -> dict:
    """A value against its target, with the one-sided test behind :func:`traffic_light`.

    Parameters
    ----------
    kpi : str
        A KPI code (its kind and better direction come from :data:`ccmetrics.kpis.KPIS`).
    value : float
        The KPI's value (a fraction for a percentage).
    target : float, Target or None
        The target; a :class:`Target` also gives ``direction`` and ``tolerance``.
    n : float, optional
        The n the value rests on (calls of its base).
    sd : float, optional
        For a mean KPI, the standard deviation of the per-call values.
    direction : {"min", "max"}, optional
        Default: the Target's, else the KPI's (higher better → "min").
    tolerance : float, default 0
        A miss up to this much is never red.
    alpha : float, default 0.05
        One-sided level of the test.

    Returns
    -------
    dict
        ``light`` (one of :data:`LIGHTS`), ``gap`` (value − target, NaN when grey),
        ``p_value`` (of the test that the KPI truly meets target − tolerance; 1 when
        met or within tolerance, NaN when grey), ``test`` ("binomial", "t", "exact"
        or "none").

    Notes
    -----
    With direction "min" (at least the target) and bound b = target − tolerance
    (for "max": b = target + tolerance and every inequality reversed):

    * grey: no target, no value, or n = 0;
    * green: value ≥ target;
    * otherwise a one-sided test of H0 "the true value is at least b" against
      "it is below b": a proportion with x = round(value · n) calls of n has
      p = P(X ≤ x) for X ~ Binomial(n, b) (for "max": p = P(X ≥ x)); a mean with
      its n and sd has t = (value − b) / (sd / √n) and p = F_t(t; n − 1) (for "max":
      1 − F_t); a count, a time share, or a value without n (or sd) is taken as
      exact: p = 0 when value < b, else 1;
    * red when p < alpha, amber otherwise (the miss is within the tolerance or
      within what chance allows for its n).

    Examples
    --------
    >>> target_test("service_level", 0.75, 0.80, n=100)["light"]  # P(X ≤ 75 | 100, 0.8) = 0.131
    'amber'
    >>> target_test("service_level", 0.75, 0.80, n=1000)["light"]  # P(X ≤ 750 | 1000, 0.8) < 0.001
    'red'
    """
    grey = {"light": "grey", "gap": float("nan"), "p_value": float("nan"), "test": "none"}
    if isinstance(target, Target):
        direction = direction or target.direction
        tolerance = target.tolerance if tolerance == 0.0 else tolerance
        target = target.target
    if target is None or value is None:
        return grey
    target, value = float(target), float(value)
    if not (math.isfinite(target) and math.isfinite(value)):
        return grey
    if n is not None and not (float(n) > 0):
        return grey
    direction = direction or _default_direction(kpi)
    if direction not in DIRECTIONS:
        raise ValueError(f"{kpi} needs a direction of {DIRECTIONS}, not {direction!r}")
    sign = 1.0 if direction == "min" else -1.0  # sign · (value − target) ≥ 0 is good
    gap = value - target
    if sign * gap >= 0:
        return {"light": "green", "gap": gap, "p_value": 1.0, "test": "none"}
    bound = target - sign * float(tolerance)
    kind = kpis.KPIS[kpi].kind
    if sign * (value - bound) >= 0:
        p_value, test = 1.0, "exact"
    elif kind == "proportion" and n is not None:
        test = "binomial"
        trials = int(round(float(n)))
        successes = int(round(value * float(n)))
        if direction == "min":
            p_value = (
                1.0 if bound <= 0 else float(stats.binom.cdf(successes, trials, min(bound, 1.0)))
            )
        else:
            p_value = (
                1.0 if bound >= 1 else float(stats.binom.sf(successes - 1, trials, max(bound, 0.0)))
            )
    elif (
        kind == "mean"
        and n is not None
        and sd is not None
        and float(n) >= 2
        and math.isfinite(float(sd))
    ):
        test = "t"
        if float(sd) == 0:
            p_value = 0.0
        else:
            t_stat = (value - bound) / (float(sd) / math.sqrt(float(n)))
            dof = float(n) - 1
            p_value = float(
                stats.t.cdf(t_stat, dof) if direction == "min" else stats.t.sf(t_stat, dof)
            )
    else:
        p_value, test = 0.0, "exact"
    light = "red" if p_value < alpha else "amber"
    return {"light": light, "gap": gap, "p_value": p_value, "test": test}


def traffic_light(kpi: str, value, target, n=None, sd=None, **options) -> str:
    """ "green", "amber", "red" or "grey": a value against its target, beyond noise.

    The rule is :func:`target_test`'s (its Notes give the formulas): green meets the
    target; amber misses it within the tolerance or within noise for its n; red misses
    it beyond both (one-sided test at ``alpha`` = 5 %: binomial for a rate, t for a
    mean); grey has no target or no data.

    Parameters
    ----------
    kpi, value, target, n, sd
        As :func:`target_test`.
    **options
        ``direction``, ``tolerance``, ``alpha`` of :func:`target_test`.

    Returns
    -------
    str
        One of :data:`LIGHTS`.

    Examples
    --------
    >>> traffic_light("aht_s", 310.0, 300.0, n=400, sd=120.0)  # t = 10/6 = 1.67, p = 0.048
    'red'
    >>> traffic_light("aht_s", 310.0, 300.0, n=100, sd=120.0)  # t = 10/12 = 0.83, p = 0.20
    'amber'
    """
    return target_test(kpi, value, target, n, sd, **options)["light"]


# --------------------------------------------------------------------------- per-unit tables


def _summary(frame: pd.DataFrame, by: str | None, kpi: str, settings) -> pd.DataFrame:
    """n, value and sd of a KPI per unit (one row named "" without ``by``)."""
    if by is None:
        frame = frame.assign(_all="")
        key = "_all"
    else:
        key = by
    if kpi in METRICS:
        table = unit_summary(frame, key, kpi, settings)
        if "sum_sq" in table.columns:
            with np.errstate(divide="ignore", invalid="ignore"):
                table["sd"] = np.sqrt(table["sum_sq"] / (table["n"] - 1))
        else:
            table["sd"] = np.nan
    else:
        computed = compute(frame, by=key, settings=settings)
        table = computed[[key, kpi]].rename(columns={kpi: "value"})
        table["n"] = np.nan
        table["sd"] = np.nan
        table = table[np.isfinite(table["value"].to_numpy(dtype=float))]
    return table.rename(columns={key: "unit"}).reset_index(drop=True)


def status(
    frame: pd.DataFrame,
    targets: pd.DataFrame | None,
    kpi_names,
    *,
    by: str | None = None,
    settings: KpiSettings | None = None,
    alpha: float = 0.05,
) -> pd.DataFrame:
    """Each KPI (per unit) against the target that applies, with its traffic light.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls (the window to judge).
    targets : DataFrame or None
        A targets table.
    kpi_names : sequence of str
        KPI codes; those the data cannot give are left out.
    by : {"team", "agent", "category", ...}, optional
        One row per unit of this column; None: one row for the whole frame.
    settings : KpiSettings, optional
    alpha : float, default 0.05

    Returns
    -------
    DataFrame
        ``unit`` (the ``by`` value; "" without ``by``), ``kpi``, ``n``, ``value``,
        ``sd`` (of the per-call values, means only), ``target``, ``direction``,
        ``tolerance``, ``target_level``, ``target_gap``, ``target_p``, ``light``.

    Notes
    -----
    n, value and sd come from :func:`ccmetrics.unitstats.unit_summary` (the KPI
    engine's definitions; sd = √(Σ(y − ȳ)² / (n − 1))); the target of an agent is
    :func:`target_for` with the agent and the team that took most of its calls; of
    a team, with the team; of anything else, the organisation's. The light is
    :func:`target_test`'s.
    """
    if by is not None and by not in frame.columns:
        raise ValueError(f"the data has no column {by!r} (it has {list(frame.columns)})")
    rows = []
    team_of = _team_of(frame) if by == "agent" else {}
    index = _target_index(targets)
    for name in kpi_names:
        try:
            table = _summary(frame, by, name, settings)
        except (ValueError, KeyError):
            continue
        for row in table.itertuples(index=False):
            unit = "" if by is None else str(row.unit)
            goal = _goal(index, name, by, unit, team_of)
            n = None if not np.isfinite(row.n) else float(row.n)
            sd = None if not np.isfinite(row.sd) else float(row.sd)
            test = target_test(name, row.value, goal, n, sd, alpha=alpha)
            rows.append(
                {
                    "unit": unit,
                    "kpi": name,
                    "n": row.n,
                    "value": float(row.value),
                    "sd": row.sd,
                    "target": goal.target if goal else np.nan,
                    "direction": goal.direction if goal else None,
                    "tolerance": goal.tolerance if goal else np.nan,
                    "target_level": goal.level if goal else None,
                    "target_gap": test["gap"],
                    "target_p": test["p_value"],
                    "light": test["light"],
                }
            )
    columns = [
        "unit",
        "kpi",
        "n",
        "value",
        "sd",
        "target",
        "direction",
        "tolerance",
        "target_level",
        "target_gap",
        "target_p",
        "light",
    ]
    return pd.DataFrame(rows, columns=columns)


def headline_lights(
    headline: pd.DataFrame,
    frame: pd.DataFrame,
    targets: pd.DataFrame | None,
    settings: KpiSettings | None = None,
) -> pd.DataFrame:
    """The organisation traffic light of each KPI of a headline table.

    Parameters
    ----------
    headline : DataFrame
        One row per KPI with ``kpi``, ``current`` and ``n_current`` (as
        :func:`ccmetrics.kpi.period_comparison`).
    frame : DataFrame
        The period's rows (for the standard deviation a mean's test needs).
    targets : DataFrame or None
    settings : KpiSettings, optional

    Returns
    -------
    DataFrame
        ``kpi``, ``target``, ``direction``, ``light`` (:func:`traffic_light` of the
        headline's own value and n against the organisation target), one row per
        headline row, in its order; ``light`` "grey" and ``target`` NaN without a target.
    """
    names = list(headline["kpi"])
    means = [name for name in names if kpis.KPIS[name].kind == "mean"]
    spread = status(frame, None, means, settings=settings).set_index("kpi")["sd"] if means else {}
    rows = []
    index = _target_index(targets)
    for row in headline.itertuples(index=False):
        goal = _lookup(index, row.kpi)
        sd = spread.get(row.kpi) if row.kpi in means else None
        n = None if pd.isna(row.n_current) else float(row.n_current)
        light = traffic_light(
            row.kpi, row.current, goal, n=n, sd=None if sd is None or pd.isna(sd) else float(sd)
        )
        rows.append(
            {
                "kpi": row.kpi,
                "target": goal.target if goal else np.nan,
                "direction": goal.direction if goal else None,
                "light": light,
            }
        )
    return pd.DataFrame(rows, columns=["kpi", "target", "direction", "light"])


def _team_of(frame: pd.DataFrame) -> dict[str, str]:
    """Each agent's team: the one that took most of its calls."""
    if "team" not in frame.columns or "agent" not in frame.columns:
        return {}
    pairs = frame[["agent", "team"]].dropna().astype(str)
    if pairs.empty:
        return {}
    counts = pairs.value_counts().reset_index(name="calls")
    counts = counts.sort_values(["agent", "calls", "team"], ascending=[True, False, True])
    first = counts.drop_duplicates("agent")
    return dict(zip(first["agent"], first["team"], strict=True))


def _goal(index: dict, kpi: str, by: str | None, unit: str, team_of: dict) -> Target | None:
    """The target of one unit, from the :func:`_target_index` of the targets table."""
    if by == "agent":
        return _lookup(index, kpi, team=team_of.get(unit), agent=unit)
    if by == "team":
        return _lookup(index, kpi, team=unit)
    return _lookup(index, kpi)


# --------------------------------------------------------------------------- gaps, period against period


def _verdict(beyond: np.ndarray, good: np.ndarray) -> np.ndarray:
    return np.where(beyond, np.where(good, "better", "worse"), "none")


def _change_test(now: pd.DataFrame, before: pd.DataFrame, kind: str) -> np.ndarray:
    """Two-sided p-value of each unit's change between the periods (NaN when one lacks)."""
    n1, n2 = now["n"].to_numpy(dtype=float), before["n"].to_numpy(dtype=float)
    y1, y2 = now["value"].to_numpy(dtype=float), before["value"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "proportion":
            pooled = (y1 * n1 + y2 * n2) / (n1 + n2)
            se = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
            z = (y1 - y2) / se
            p = 2 * stats.norm.sf(np.abs(z))
        else:
            ss = now["sum_sq"].to_numpy(dtype=float) + before["sum_sq"].to_numpy(dtype=float)
            dof = n1 + n2 - 2
            se = np.sqrt(ss / dof * (1 / n1 + 1 / n2))
            t_stat = (y1 - y2) / se
            p = 2 * stats.t.sf(np.abs(t_stat), dof)
    valid = (n1 > 0) & (n2 > 0) & np.isfinite(se) & (se > 0)
    return np.where(valid, p, np.nan)


def _paired_periods(now_frame, before_frame, by: str, name: str, settings):
    """Each unit's summary this period beside the period before; None without data now.

    Returns (paired, before_cols, sum_sq_now, now): the merged summaries, the previous
    period's columns without their suffix, this period's sum of squares and its
    :func:`unit_summary` as computed (for :func:`_others_gap`).
    """
    try:
        now = unit_summary(now_frame, by, name, settings)
    except ValueError:
        return None
    if now.empty:
        return None
    summary = now
    try:
        before = unit_summary(before_frame, by, name, settings)
    except ValueError:
        before = now.iloc[0:0]
    now = now.assign(**{by: now[by].astype(str)})
    before = before.assign(**{by: before[by].astype(str)})
    paired = now.merge(before, on=by, how="left", suffixes=("", "_before"))
    before_cols = paired[[c for c in paired.columns if c.endswith("_before")]]
    before_cols = before_cols.rename(columns=lambda c: c.removesuffix("_before"))
    if "sum_sq" not in before_cols.columns:
        before_cols["sum_sq"] = np.nan
    sum_sq_now = (
        paired["sum_sq"] if "sum_sq" in paired.columns else pd.Series(np.nan, index=paired.index)
    )
    return paired, before_cols, sum_sq_now, summary


def _others_gap(summary: pd.DataFrame, by: str, name: str, paired, level: float):
    """Each unit's p-value against the other units, and the KPI over the other units' calls.

    ``summary`` is this period's :func:`unit_summary` by ``by``: the rows of
    :func:`ccmetrics.compare.gaps` over the period's calls, from the summary already made.
    """
    gaps = compare._metric_gaps(summary, [], by, name, 1 - level)
    gaps = gaps.assign(**{by: gaps[by].astype(str)}).set_index(by)
    others_p = gaps["p_value"].reindex(paired[by]).to_numpy(dtype=float)
    n = paired["n"].to_numpy(dtype=float)
    value = paired["value"].to_numpy(dtype=float)
    totals = value * n
    with np.errstate(divide="ignore", invalid="ignore"):
        others_value = (totals.sum() - totals) / (n.sum() - n)
    others_value = np.where(n.sum() - n > 0, others_value, np.nan)
    return others_p, others_value


def _add_target_columns(piece, name: str, by: str, kind: str, sum_sq_now, targets, team_of):
    """Add each unit's target, the level it comes from, its gap, p-value and light."""
    n = piece["n"].to_numpy(dtype=float)
    value = piece["value"].to_numpy(dtype=float)
    index = _target_index(targets)
    goals = [_goal(index, name, by, unit, team_of) for unit in piece[by]]
    sds = (
        np.sqrt(sum_sq_now.to_numpy(dtype=float) / (n - 1))
        if kind == "mean"
        else np.full(len(n), np.nan)
    )
    tests = [
        target_test(name, v, g, nn, None if not np.isfinite(s) else s)
        for v, g, nn, s in zip(value, goals, n, sds, strict=True)
    ]
    piece["target"] = [g.target if g else np.nan for g in goals]
    piece["target_level"] = [g.level if g else None for g in goals]
    piece["target_gap"] = [t["gap"] for t in tests]
    piece["target_p"] = [t["p_value"] for t in tests]
    piece["light"] = [t["light"] for t in tests]


def _gap_piece(now_frame, before_frame, by: str, name: str, options: dict):
    """The :data:`GAP_COLUMNS` rows of one KPI, sorted by rank; None without data now."""
    settings, level, adjust = options["settings"], options["level"], options["adjust"]
    threshold = 1 - level
    kind = compare.metric_kind(name)
    summaries = _paired_periods(now_frame, before_frame, by, name, settings)
    if summaries is None:
        return None
    paired, before_cols, sum_sq_now, now_summary = summaries
    change_p = _change_test(
        pd.DataFrame({"n": paired["n"], "value": paired["value"], "sum_sq": sum_sq_now}),
        before_cols,
        kind,
    )
    higher = bool(kpis.KPIS[name].higher_is_better)
    change = paired["value"].to_numpy(dtype=float) - before_cols["value"].to_numpy(dtype=float)
    change_adjusted = multitest.adjust(change_p, adjust)
    change_beyond = np.nan_to_num(change_adjusted, nan=1.0) < threshold

    others_p, others_value = _others_gap(now_summary, by, name, paired, level)
    others_adjusted = multitest.adjust(others_p, adjust)
    others_beyond = np.nan_to_num(others_adjusted, nan=1.0) < threshold
    n = paired["n"].to_numpy(dtype=float)
    value = paired["value"].to_numpy(dtype=float)

    piece = pd.DataFrame({by: paired[by].to_numpy(), "kpi": name})
    order = -value if higher else value
    piece["rank"] = pd.Series(order).rank(method="min").astype(int).to_numpy()
    piece["n"] = n
    piece["value"] = value
    piece["n_before"] = before_cols["n"].to_numpy(dtype=float)
    piece["value_before"] = before_cols["value"].to_numpy(dtype=float)
    piece["change"] = change
    piece["change_p"] = change_p
    piece["change_p_adjusted"] = change_adjusted
    piece["change_verdict"] = _verdict(change_beyond, (change > 0) == higher)
    _add_target_columns(piece, name, by, kind, sum_sq_now, options["targets"], options["team_of"])
    piece["others_value"] = others_value
    piece["others_gap"] = value - others_value
    piece["others_p"] = others_p
    piece["others_p_adjusted"] = others_adjusted
    piece["others_verdict"] = _verdict(others_beyond, (value > others_value) == higher)
    return piece.sort_values(["rank", by], kind="stable")


def gap_table(
    frame: pd.DataFrame,
    by: str,
    kpi_names,
    *,
    current,
    previous=None,
    targets: pd.DataFrame | None = None,
    settings: KpiSettings | None = None,
    level: float = 0.95,
    adjust: str = "holm",
    filters: dict | None = None,
) -> pd.DataFrame:
    """Each unit's KPIs now and before, against its target and the other units' average.

    Parameters
    ----------
    frame : DataFrame
        Canonical calls (the whole data set: FCR flags are added before the windows
        are cut, as :func:`ccmetrics.kpi.period_comparison` does).
    by : str
        The unit column: "agent", "team", "category", ...
    kpi_names : sequence of str
        KPIs of :data:`ccmetrics.unitstats.METRICS`; those the data cannot give
        are left out.
    current : (start, end)
        The period ``[start, end)``.
    previous : (start, end), optional
        The period before; default the period of equal length just before ``current``.
    targets : DataFrame, optional
        A targets table (the target of each unit as :func:`status`).
    settings : KpiSettings, optional
    level : float, default 0.95
        A gap or change is beyond noise when its adjusted p-value is below 1 − level.
    adjust : {"holm", "bh"}, default "holm"
        Adjustment of the p-values over the units of each KPI
        (:func:`ccmetrics.multitest.adjust`).
    filters : dict, optional
        Dimension filters applied to both periods (as :func:`ccmetrics.kpi.subset`).

    Returns
    -------
    DataFrame
        One row per unit and KPI with data this period, sorted by KPI then rank: the
        ``by`` column and :data:`GAP_COLUMNS`: ``kpi``; ``rank`` (1 = best this period
        by the KPI's direction); ``n``, ``value`` (this period), ``n_before``,
        ``value_before`` (NaN when the unit has no data before); ``change`` (value −
        value_before), ``change_p`` (two-sided), ``change_p_adjusted``,
        ``change_verdict`` ("better", "worse", "none": within noise or no
        previous value); ``target``, ``target_level`` (which target applied),
        ``target_gap`` (value − target), ``target_p`` (:func:`target_test`),
        ``light``; ``others_value`` (the KPI over every call of the other units),
        ``others_gap`` (value − others_value), ``others_p`` (two-sided),
        ``others_p_adjusted``, ``others_verdict``. ``.attrs`` holds ``by``,
        ``current``, ``previous``, ``level``, ``adjust``.

    Raises
    ------
    ValueError
        When the frame has no ``by`` column.

    Notes
    -----
    Gap to the others: :func:`ccmetrics.compare.gaps` (the unit against the rest;
    proportions a pooled two-proportion z-test, means a z-test with the within-unit
    variance pooled over units); others_value = (Σ total − total_i) / (N − n_i).
    Change: proportions a pooled two-proportion z-test, z = (y₁ − y₀) /
    √(p̄(1 − p̄)(1/n₁ + 1/n₀)); means Student's two-sample t with the unit's
    variance pooled over both periods, t = (y₁ − y₀) / √(s²(1/n₁ + 1/n₀)),
    s² = (SS₁ + SS₀)/(n₁ + n₀ − 2). Both p-value families are adjusted over the
    units of a KPI (Holm or Benjamini–Hochberg).
    """
    from ccmetrics.cube import frame_kind
    from ccmetrics.kpi import add_fcr_flags

    settings = settings or KpiSettings()
    if by not in frame.columns:
        raise ValueError(f"the data has no column {by!r} (it has {list(frame.columns)})")
    start, end = (pd.Timestamp(current[0]), pd.Timestamp(current[1]))
    if previous is None:
        previous = (start - (end - start), start)
    before_start, before_end = pd.Timestamp(previous[0]), pd.Timestamp(previous[1])
    if frame_kind(frame) == "calls" and "fcr_eligible" not in frame.columns:
        frame = add_fcr_flags(frame, settings)
    now_frame = subset(frame, start, end, filters)
    before_frame = subset(frame, before_start, before_end, filters)
    team_of = _team_of(now_frame) if by == "agent" else {}
    options = {
        "settings": settings,
        "level": level,
        "adjust": adjust,
        "targets": targets,
        "team_of": team_of,
    }
    pieces = []
    for name in kpi_names:
        if name not in METRICS:
            continue
        piece = _gap_piece(now_frame, before_frame, by, name, options)
        if piece is not None:
            pieces.append(piece)
    if pieces:
        out = pd.concat(pieces, ignore_index=True)
    else:
        out = pd.DataFrame(columns=[by, *GAP_COLUMNS])
    out.attrs.update(
        {
            "by": by,
            "current": (start, end),
            "previous": (before_start, before_end),
            "level": level,
            "adjust": adjust,
        }
    )
    return out
