"""Text of the UI: the language in force, translations, Markdown escaping, number formats.

Every other module of :mod:`pages.common` and every page writes text through these
helpers: :func:`tr` for a translated string, :func:`md` / :func:`tr_md` for data shown
as Markdown, :func:`fmt` and friends for KPI values (formatted by :mod:`ccmetrics.kpi`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ccmetrics import i18n, kpi
from ccmetrics.text import escape_markdown

__all__ = [
    "lang",
    "tr",
    "md",
    "tr_md",
    "join_list",
    "markdown_table",
    "labeller",
    "DECIMALS",
    "fmt",
    "fmt_count",
    "fmt_change",
    "has_field",
    "field_name",
    "FormatValues",
]


def lang() -> str:
    """The language in force ("en" or "zh")."""
    value = st.session_state.get("lang", i18n.DEFAULT_LANGUAGE)
    return value if value in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def tr(key: str, **params) -> str:
    """Translate ``key`` into the language in force (see :func:`ccmetrics.i18n.t`)."""
    return i18n.t(key, lang(), **params)


def join_list(items) -> str:
    """Items in running text, in the language in force: "A, B" / "A、B"."""
    return ("、" if lang() == "zh" else ", ").join(items)


def md(value) -> str:
    """A value from the data (a name, a file or column name, a note, a sentence a
    ccmetrics function built with names in it) ready to put into Markdown: it shows
    as its own text (:func:`ccmetrics.text.escape_markdown`).

    Every string Streamlit renders as Markdown goes through this when it holds
    data: ``st.markdown``, ``st.caption``, the alert boxes, ``st.table`` cells,
    widget labels and help, tab, expander and status labels, radio options. Not
    needed for ``st.dataframe`` cells and headers, selectbox and multiselect
    options, chart text: Streamlit shows those as plain text.
    """
    return escape_markdown(value)


def tr_md(key: str, **params) -> str:
    """:func:`tr` with every parameter escaped for Markdown (:func:`md`).

    For a translated sentence shown as Markdown whose parameters hold data; the
    translation's own Markdown (``**{node}**``) still renders.
    """
    return tr(key, **{name: md(value) for name, value in params.items()})


def markdown_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A frame for ``st.table`` (which renders its cells and headers as Markdown):
    every header and every text cell escaped (:func:`md`), numbers kept."""
    out = frame.copy()
    for column in out.columns:
        values = out[column]
        if not (pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values)):
            out[column] = values.map(lambda v: v if v is None or v is pd.NA else md(v))
    out.columns = [md(c) for c in out.columns]
    return out


def labeller(prefix: str):
    """A ``format_func`` that translates ``prefix + option`` in the language in force now.

    The language is bound when the widget is drawn, so the function gives the
    same labels wherever Streamlit calls it (AppTest calls it outside the run).
    """
    language = lang()

    def label(option) -> str:
        return i18n.t(f"{prefix}{option}", language)

    return label


#: Decimals that differ from the unit's default: the report's table (one format for both).
DECIMALS = kpi.KPI_DECIMALS


def fmt(kpi_name: str, value) -> str:
    """A KPI value formatted for display in the language in force ("81.8%", "68 秒")."""
    return kpi.format_kpi(kpi_name, value, lang())


def fmt_count(value) -> str:
    """A count with thousands separators."""
    return i18n.format_number(value, "count", lang())


def fmt_change(kpi_name: str, change) -> str | None:
    """A KPI's change against the previous period ("+1.2 pp", "-3 秒"); None if missing."""
    return kpi.format_kpi_change(kpi_name, change, lang())


def has_field(column: str) -> bool:
    """Whether a canonical column has a translated name (``field.<column>``)."""
    return i18n.has_key(f"field.{column}", lang())


def field_name(column: str) -> str:
    """The translated name of a canonical column, or the column itself."""
    return tr(f"field.{column}") if has_field(column) else column


class FormatValues(dict):
    """``format_map`` values that show "?" for a placeholder a loader error or problem
    did not provide."""

    def __missing__(self, key):
        return "?"
