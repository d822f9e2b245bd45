"""The Data page's mapping editor and load report: rows to edit, translated problems.

The conversions between a mapping and the editor's rows are
:mod:`ccmetrics.mapping_editor`; this module adds the preview of the raw file (cached),
the labels in the language in force, and the translated problems of a load.
"""

from __future__ import annotations

import io as bytes_io

import pandas as pd
import streamlit as st

from ccmetrics import i18n
from ccmetrics.mapping_editor import (
    mapping_from_targets,
    mapping_targets,
    preview_values,
    targets_of_mapping,
)
from pages.common.text import FormatValues, field_name, lang, tr, tr_md

__all__ = [
    "mapping_targets",
    "target_labeller",
    "mapping_rows",
    "mapping_from_rows",
    "mapping_json_bytes",
    "problems_table",
    "problem_text",
]


def target_labeller():
    """How a mapping key is shown in the editor (language bound now, as in
    :func:`pages.common.text.labeller`)."""
    language = lang()

    def label(target) -> str:
        if target is None or target == "":
            return i18n.t("data.not_mapped", language)
        key = f"field.{target}"
        return i18n.t(key, language) if i18n.has_key(key, language) else str(target)

    return label


def _raw_head(name: str, data: bytes, encoding: str | None, rows: int = 200) -> pd.DataFrame:
    """The first rows of the raw upload, every column as text (``ccmetrics.io.preview``)."""
    from ccmetrics import io

    source = bytes_io.BytesIO(data)  # shares ``data``: no copy
    source.name = name
    return io.preview(source, encoding=encoding, rows=rows)


@st.cache_data(show_spinner=False, max_entries=8)
def _preview(digest: str, name: str, encoding: str | None, _data: bytes) -> dict[str, str]:
    try:
        head = _raw_head(name, _data, encoding)
    except Exception:  # a preview is a convenience: never break the page for it
        return {}
    return preview_values(head)


def mapping_rows(result, upload: dict) -> pd.DataFrame:
    """One editor row per source column: the column, a few values, the key it feeds."""
    target_of = targets_of_mapping(result.mapping)
    preview = _preview(upload["digest"], upload["name"], result.encoding, upload["data"])
    columns = [str(c) for c in (result.columns or [])]
    return pd.DataFrame(
        {
            "source": columns,
            "preview": [preview.get(c, "") for c in columns],
            "target": [target_of.get(c) for c in columns],
        }
    )


def mapping_from_rows(rows: pd.DataFrame, previous: dict | None) -> tuple[dict | None, str | None]:
    """Turn the edited rows back into a loader mapping; a translated problem if ambiguous
    (:func:`ccmetrics.mapping_editor.mapping_from_targets`)."""
    mapping, duplicate = mapping_from_targets(rows["source"], rows["target"], previous)
    if duplicate is not None:
        return None, tr_md(
            "data.mapping_duplicate",
            field=field_name(duplicate.key),
            columns=", ".join(duplicate.sources),
        )
    return mapping, None


def mapping_json_bytes(mapping: dict | None) -> bytes:
    """A mapping as JSON (the format ``ccmetrics.io.read_mapping`` reads)."""
    from ccmetrics import io

    buffer = bytes_io.StringIO()
    io.save_mapping(dict(mapping or {}), buffer)
    return buffer.getvalue().encode("utf-8")


def problems_table(problems: pd.DataFrame) -> pd.DataFrame:
    """The loader's problems with translated level, column name and message."""
    rows = []
    for record in problems.to_dict("records"):
        params = record.get("params") if isinstance(record.get("params"), dict) else {}
        column = record.get("column")
        column_text = field_name(str(column)) if isinstance(column, str) and column else ""
        rows.append(
            {
                tr("data.problem_level"): tr(f"level.{record.get('level')}")
                if i18n.has_key(f"level.{record.get('level')}", lang())
                else str(record.get("level")),
                tr("data.problem_column"): column_text,
                tr("data.problem_rows"): int(record.get("rows") or 0),
                tr("data.problem_message"): problem_text(
                    str(record.get("code", "")), params, str(record.get("message", "")), column_text
                ),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            tr("data.problem_level"),
            tr("data.problem_column"),
            tr("data.problem_rows"),
            tr("data.problem_message"),
        ],
    )


def problem_text(code: str, params: dict, message: str, column: str = "") -> str:
    """A loader problem in the language in force (the English message if the code is new)."""
    key = f"problem.{code}"
    if not i18n.has_key(key, lang()):
        return message
    values = FormatValues(
        {
            k: ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v
            for k, v in params.items()
        }
    )
    values["column"] = column
    text = i18n.TRANSLATIONS[lang()][key].format_map(values)
    sample = params.get("sample")
    if isinstance(sample, (list, tuple)) and sample and all(isinstance(v, int) for v in sample):
        text += tr("problem.sample_rows", rows=", ".join(str(v) for v in sample))
    return text
