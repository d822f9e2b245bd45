"""The report's files: PNG images of its charts, safe CSV, :func:`write_report`."""

from __future__ import annotations

import io as bytes_io
import zipfile
from pathlib import Path

import pandas as pd

from ccmetrics.report.build import Report
from ccmetrics.report.html import report_html
from ccmetrics.report.pptx import report_pptx
from ccmetrics.report.text import _day_text

#: Output formats of :func:`write_report`.
FORMATS = ("html", "pptx", "png")


# --------------------------------------------------------------------------- PNG, CSV, files


def chart_pngs(report: Report, scale: float = 2.0) -> dict[str, bytes]:
    """A PNG image of every chart of the report.

    Parameters
    ----------
    report : Report
    scale : float, default 2
        Pixel density (2 gives sharp images on slides and high-density screens).

    Returns
    -------
    dict
        ``{file name: PNG bytes}``, e.g. ``"01_service_level.png"``, numbered in the
        order of the document.
    """
    return {
        f"{index:02d}_{chart.key}.png": chart.png(scale)
        for index, chart in enumerate(report.all_charts, start=1)
    }


def png_zip(report: Report, scale: float = 2.0) -> bytes:
    """The PNG images of :func:`chart_pngs` in one zip archive.

    Returns
    -------
    bytes
        A zip file with one PNG per chart.
    """
    buffer = bytes_io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, image in chart_pngs(report, scale).items():
            archive.writestr(name, image)
    return buffer.getvalue()


#: First characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _neutralise(value):
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def safe_csv_bytes(frame: pd.DataFrame, *, index: bool = False) -> bytes:
    """A DataFrame as CSV that spreadsheets open safely: UTF-8 with BOM, formulas neutralised.

    Parameters
    ----------
    frame : DataFrame
    index : bool, default False
        Write the index too.

    Returns
    -------
    bytes
        The CSV encoded as UTF-8 with a byte-order mark (so Excel reads Chinese text
        correctly). Every text cell and header that starts with ``=``, ``+``, ``-``, ``@``,
        a tab or a carriage return is prefixed with a single quote, so a spreadsheet shows
        it as text instead of running it as a formula. Numbers are written as numbers.

    References
    ----------
    OWASP, "CSV Injection", https://owasp.org/www-community/attacks/CSV_Injection

    Examples
    --------
    >>> frame = pd.DataFrame({"category": ['=HYPERLINK("http://x","y")', "Billing"], "n": [-1, 2]})
    >>> safe_csv_bytes(frame).decode("utf-8-sig").splitlines()
    ['category,n', '"\\'=HYPERLINK(""http://x"",""y"")",-1', 'Billing,2']
    """
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if values.dtype == object or isinstance(
            values.dtype, (pd.StringDtype, pd.CategoricalDtype)
        ):
            safe[column] = values.astype(object).map(_neutralise)
    safe.columns = [_neutralise(str(c)) if isinstance(c, str) else c for c in safe.columns]
    if index:
        safe.index = safe.index.map(_neutralise)
    return safe.to_csv(index=index).encode("utf-8-sig")


def write_report(
    report: Report,
    out_dir,
    formats=FORMATS,
    *,
    basename: str | None = None,
) -> list[Path]:
    """Write the report's files into a folder.

    Parameters
    ----------
    report : Report
    out_dir : str or Path
        Created when missing.
    formats : sequence of {"html", "pptx", "png"}
        "png" writes one image per chart into ``<basename>_charts/``.
    basename : str, optional
        Default ``ccmetrics_report_<first day>_<last day>``.

    Returns
    -------
    list of Path
        The files written.
    """
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown format(s) {unknown}; choose from {list(FORMATS)}")
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    last = report.end - pd.Timedelta(days=1)
    basename = basename or f"ccmetrics_report_{_day_text(report.start)}_{_day_text(last)}"
    written = []
    if "html" in formats:
        path = folder / f"{basename}.html"
        path.write_text(report_html(report), encoding="utf-8")
        written.append(path)
    if "pptx" in formats:
        path = folder / f"{basename}.pptx"
        path.write_bytes(report_pptx(report))
        written.append(path)
    if "png" in formats:
        charts_dir = folder / f"{basename}_charts"
        charts_dir.mkdir(exist_ok=True)
        for name, image in chart_pngs(report).items():
            path = charts_dir / name
            path.write_bytes(image)
            written.append(path)
    return written
