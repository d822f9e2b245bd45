"""KPI tables: translated headers with units, display rounding, number formats."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ccmetrics import i18n, kpi, kpis
from pages.common.downloads import csv_bytes
from pages.common.text import lang, tr

__all__ = ["TILES", "TABLE_KPIS", "display_table", "number_format", "column_config", "kpi_table"]

#: KPI tiles of the Overview, in order, with the colour sense of a rise:
#: "normal" (a rise is good), "inverse" (a rise is bad), "off" (neither); from the KPI registry.
TILES = tuple((name, kpis.change_sense(name)) for name in kpis.TILE_KPIS)

#: KPI columns shown in tables (breakdowns, per-day and per-hour tables), the cost and
#: quality KPIs last (a column with no value is left out of a table).
TABLE_KPIS = kpis.WIDE_TABLE_KPIS


def _header(kpi_name: str) -> str:
    """A short column header with its unit: the table's short name when the tile's is wide
    ("平均应答（秒）" for 平均应答速度), else the tile name ("ASA (s)")."""
    unit = kpi.KPI_UNITS.get(kpi_name)
    if i18n.has_key(f"header.short.{kpi_name}", lang()):
        name = tr(f"header.short.{kpi_name}")
    elif i18n.has_key(f"tile.{kpi_name}", lang()):
        name = tr(f"tile.{kpi_name}")
    elif i18n.has_key(f"header.{kpi_name}", lang()):
        name = tr(f"header.{kpi_name}")
    else:
        name = tr(f"kpi.{kpi_name}")
    if unit == "percent":
        return tr("header.percent", name=name)
    if unit == "seconds":
        return tr("header.seconds", name=name)
    return name


def display_table(table: pd.DataFrame, keys: list[str], kpis=TABLE_KPIS) -> pd.DataFrame:
    """A KPI table ready to show and export: translated headers, percentages ×100.

    Key columns (dimensions, ``period``) come first; KPI columns with no value
    at all (not supported by the data) are dropped. Numbers are those
    :func:`ccmetrics.kpi.format_kpi` writes (:func:`ccmetrics.kpi.round_for_display`:
    percentages ×100 with one decimal, seconds whole, QA one decimal, other scores
    two; never -0); ``attrs["decimals"]`` holds each KPI column's decimals for
    :func:`column_config`.
    """
    out = pd.DataFrame(index=table.index)
    for key in keys:
        values = table[key]
        if key == "period":
            out[tr("axis.day")] = pd.to_datetime(values).dt.strftime("%Y-%m-%d")
        elif key == "hour":
            out[tr("axis.slot")] = values
        else:
            out[tr(f"dim.{key}")] = (
                values.astype("object").where(values.notna(), tr("dim.missing")).astype(str)
            )
    decimals = {}
    for name in kpis:
        if name not in table.columns or table[name].isna().all():
            continue
        header = _header(name)
        out[header] = kpi.round_for_display(table[name], name)
        decimals[header] = kpi.display_decimals(name)
    out = out.reset_index(drop=True)
    out.attrs["decimals"] = decimals
    return out


def number_format(decimals: int) -> str:
    """The ``st.column_config.NumberColumn`` format of a column shown with ``decimals`` places
    (whole numbers with thousands separators, as :func:`fmt_count`)."""
    return "localized" if decimals == 0 else f"%.{decimals}f"


def column_config(frame: pd.DataFrame) -> dict:
    """Number formats for a :func:`display_table` frame: each KPI column with the decimals
    of :func:`ccmetrics.kpi.display_decimals` (QA 81.7 here as on the tiles and in the
    report), other float columns by their values."""
    config = {}
    known = frame.attrs.get("decimals", {})
    for column in frame.columns:
        if column in known:
            config[column] = st.column_config.NumberColumn(format=number_format(known[column]))
        elif pd.api.types.is_float_dtype(frame[column]):
            text = str(column)
            if text.endswith("(%)") or text.endswith("（%）"):
                config[column] = st.column_config.NumberColumn(format="%.1f")
            elif all(frame[column].dropna() == frame[column].dropna().round(0)):
                config[column] = st.column_config.NumberColumn(format="localized")
            else:
                config[column] = st.column_config.NumberColumn(format="%.2f")
    return config


def kpi_table(
    table: pd.DataFrame, keys: list[str], *, download_name: str | None = None, key: str = "table"
) -> None:
    """Show a KPI table (sortable) and, optionally, a CSV download of it."""
    shown = display_table(table, keys)
    st.dataframe(shown, hide_index=True, width="stretch", column_config=column_config(shown))
    if download_name:
        st.download_button(
            tr("overview.download_csv"),
            data=csv_bytes(shown),
            file_name=download_name,
            mime="text/csv",
            icon=":material/download:",
            key=f"{key}_csv",
        )
