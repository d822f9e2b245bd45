"""The report's strings and formatting: :data:`REPORT_TEXT` (en, zh), KPI and driver names.

Report-only sentences live in the translation table under ``report.doc.``
(``ccmetrics/locales/report_doc.py``), read here as :data:`REPORT_TEXT`; KPI names, units and weekdays come from
the app's i18n table, values are formatted by :func:`ccmetrics.kpi.format_kpi` (re-exported
here with :data:`~ccmetrics.kpi.KPI_DECIMALS` and :func:`~ccmetrics.kpi.format_kpi_change`).
"""

from __future__ import annotations

import math
import unicodedata

import pandas as pd

from ccmetrics import i18n, spc
from ccmetrics.kpi import format_kpi, format_kpi_change

#: Prefix of the report document's keys in the translation table (``ccmetrics/locales/report_doc.py``).
TEXT_PREFIX = "report.doc."

#: The report document's strings per language, without :data:`TEXT_PREFIX` (read from the table).
REPORT_TEXT: dict[str, dict[str, str]] = {
    lang: {
        key.removeprefix(TEXT_PREFIX): value
        for key, value in i18n.TRANSLATIONS[lang].items()
        if key.startswith(TEXT_PREFIX)
    }
    for lang in i18n.LANGUAGES
}

#: Effect of the staffing model's shortfall split -> its key in the translation table.
_CAUSE_KEYS = {
    "volume": "staff.effect_volume",
    "aht": "staff.effect_aht",
    "staffing": "staff.effect_staffing",
    "unexplained": TEXT_PREFIX + "cause.unexplained",
}


#: Daily driver columns with a name in the i18n table (``driver.<column>``, en and zh);
#: other columns keep the name they have in the driver file.
KNOWN_DRIVERS = (
    "rain",
    "storm",
    "snow",
    "heat",
    "temperature",
    "temperature_c",
    "holiday",
    "campaign",
    "promotion",
    "outage",
)
#: ccmetrics.spc.ChartInputError codes -> the app's translated explanation (Control charts page).
_CHART_ERROR_KEYS = {
    "no_limit_points": "cc.error.no_points",
    "change_sides": "cc.error.change_sides",
    "phase_points": "cc.error.phase_points",
}


# --------------------------------------------------------------------------- text helpers


def _text(key: str, lang: str, **params) -> str:
    """A report-only string of :data:`REPORT_TEXT` in ``lang``."""
    return i18n.t(TEXT_PREFIX + key, _check_lang(lang), **params)


def _cause_name(effect: str, lang: str) -> str:
    """An effect of the staffing split (``volume``, ``aht``, ...) as it sits mid-sentence."""
    text = i18n.t(_CAUSE_KEYS[effect], lang)
    return text[:1].lower() + text[1:] if lang == "en" else text


def _kpi_name(name: str, lang: str, *, short: bool = True) -> str:
    """The app's name of a KPI (the short tile name when there is one)."""
    if short and i18n.has_key(f"tile.{name}", lang):
        return i18n.t(f"tile.{name}", lang)
    if i18n.has_key(f"kpi.{name}", lang):
        return i18n.t(f"kpi.{name}", lang)
    return name


def _fmt(name: str, value, lang: str) -> str:
    """A KPI value as the app shows it (:func:`format_kpi`)."""
    return format_kpi(name, value, lang)


def _fmt_change(name: str, change, lang: str) -> str:
    text = format_kpi_change(name, change, lang)
    return text if text is not None else i18n.t("unit.missing", lang)


def _share(value) -> str:
    return i18n.format_number(value, "percent", "en")


def _day_text(day: pd.Timestamp) -> str:
    return pd.Timestamp(day).strftime("%Y-%m-%d")


def _weekday(day: pd.Timestamp, lang: str) -> str:
    return i18n.t(f"weekday.{pd.Timestamp(day).day_of_week}", lang)


def driver_name(column: str, lang: str = "en") -> str:
    """A driver column's name in ``lang``, as the Staffing page and the report show it.

    Parameters
    ----------
    column : str
        A column of a daily driver file (``rain``, ``storm``, ...).
    lang : {"en", "zh"}, default "en"

    Returns
    -------
    str
        ``driver.<column>`` of the i18n table for :data:`KNOWN_DRIVERS` (case-insensitive),
        else the column as written.

    Examples
    --------
    >>> driver_name("rain", "zh"), driver_name("Storm"), driver_name("promo_code")
    ('降雨', 'Storm', 'promo_code')
    """
    column = str(column).strip()
    key = f"driver.{column.lower()}"
    return i18n.t(key, lang) if column.lower() in KNOWN_DRIVERS else column


def _driver_name(name: str, lang: str) -> str:
    """:func:`driver_name`, lower case in English (it sits mid-sentence)."""
    text = driver_name(name, lang)
    known = str(name).strip().lower() in KNOWN_DRIVERS
    return text[:1].lower() + text[1:] if lang == "en" and known else text


def error_reason(error: Exception, lang: str) -> str:
    """Why an analysis could not run, in ``lang``.

    Errors with a ``code`` (:func:`ccmetrics.drill.explain`, :mod:`ccmetrics.spc`) get the
    app's translation of that code; others keep their English message in an English report
    and a general Chinese reason in a Chinese one (the message itself is English).
    """
    code = getattr(error, "code", None)
    key = _CHART_ERROR_KEYS.get(code) if isinstance(error, spc.ChartInputError) else None
    if key is None and code:
        key = f"dd.error_{code}"
    if key and i18n.has_key(key, lang):
        return _strip_full_stop(i18n.t(key, lang))
    if lang == "en":
        return str(error).rstrip(".")
    return _text("reason.other", lang)


_error_reason = error_reason


def _strip_full_stop(text: str) -> str:
    """A sentence without its final full stops (".", "。", ...), to sit inside another."""
    while text and unicodedata.name(text[-1], "").endswith("FULL STOP"):
        text = text[:-1]
    return text


def _list_separator(lang: str) -> str:
    """Between the items of a list: "、" in Chinese, ", " in English."""
    return i18n.t("compare.list_sep", lang)


def _clause_separator(lang: str) -> str:
    """Between the clauses of a sentence: "；" in Chinese, "; " in English."""
    return i18n.t("compare.clause_sep", lang)


def _check_lang(lang: str) -> str:
    if lang not in REPORT_TEXT:
        raise ValueError(f"lang must be one of {sorted(REPORT_TEXT)}, not {lang!r}")
    return lang


def _finite(value) -> bool:
    try:
        return value is not None and math.isfinite(float(value))
    except (TypeError, ValueError):
        return False
