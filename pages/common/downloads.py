"""Downloads: CSV (safe for Excel), chart PNGs, Parquet, and the bundled sample files."""

from __future__ import annotations

import io as bytes_io
import json
from pathlib import Path

import pandas as pd
import streamlit as st

from pages.common.text import lang, tr

__all__ = ["csv_bytes", "PNG_WIDTH", "png_download", "parquet_bytes", "sample_files"]


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """CSV as UTF-8 with a byte-order mark, formula cells neutralised (:func:`ccmetrics.report.safe_csv_bytes`).

    Excel opens Chinese text correctly, and a cell such as ``=HYPERLINK(...)`` from the
    data is written as text, not run as a formula.
    """
    from ccmetrics import report

    return report.safe_csv_bytes(frame)


#: Width in pixels given to a downloaded chart that has none (the app stretches charts to
#: the page; a spec without a width would be drawn 300 pixels wide).
PNG_WIDTH = 800


@st.cache_data(show_spinner=False, max_entries=32)
def _png_of_spec(spec_json: str, language: str) -> bytes:
    from ccmetrics import report

    spec = json.loads(spec_json)
    if "width" not in spec and ("mark" in spec or "layer" in spec):
        spec["width"] = PNG_WIDTH
    # the report's fonts: a sans-serif CJK font first for Chinese, Latin fonts first otherwise
    font = report.FONT_STACK if language == "zh" else report.FONT_STACK_EN
    spec.setdefault("config", {}).setdefault("font", font)
    return report.chart_to_png(spec)


def png_download(chart, name: str, key: str) -> None:
    """A "Download PNG" button for an Altair chart, drawn where it is called (under the chart).

    The image is rendered only when the button is clicked (deferred download, no rerun),
    by :func:`ccmetrics.report.chart_to_png` (vl-convert with a CJK font, so Chinese text
    is drawn), and cached on the chart's specification. ``name`` is the file name without
    ``.png``; ``key`` a widget key unique on the page.
    """
    language = lang()

    def image() -> bytes:
        return _png_of_spec(json.dumps(chart.to_dict(), sort_keys=True, default=str), language)

    st.download_button(
        tr("report.download_png"),
        data=image,
        file_name=f"{name}.png",
        mime="image/png",
        key=f"{key}_png",
        on_click="ignore",
        type="tertiary",
        icon=":material/image:",
    )


def parquet_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as a Parquet file."""
    buffer = bytes_io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def sample_files() -> list[Path]:
    """Bundled sample exports a user can download and upload again to try the loader."""
    from ccmetrics import sample

    folder = Path(sample.SAMPLE_DIR)
    return [
        folder / name
        for name in ("calls_zh_gbk.csv.gz", "intervals.csv", "roster.csv")
        if (folder / name).exists()
    ]
