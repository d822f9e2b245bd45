"""The report as a PowerPoint deck (:func:`report_pptx`, python-pptx)."""

from __future__ import annotations

import io as bytes_io

from ccmetrics import i18n
from ccmetrics.report.build import TEAM_METRICS, Report
from ccmetrics.report.charts import ReportChart
from ccmetrics.report.findings import Finding
from ccmetrics.report.html import _compared_text, _path_text
from ccmetrics.report.journey import journey_slide
from ccmetrics.report.people import people_slide
from ccmetrics.report.text import _day_text, _fmt, _kpi_name, _text

#: East Asian typeface written into the PowerPoint runs.
PPTX_EA_FONT = "Microsoft YaHei"


# --------------------------------------------------------------------------- rendering: PPTX


def _pptx_font(run, size: float, *, bold: bool = False, color: str | None = None) -> None:
    """Set a run's size, weight, colour, and a Chinese-capable East Asian typeface."""
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    properties = run._r.get_or_add_rPr()
    for old in properties.findall(qn("a:ea")):
        properties.remove(old)
    east_asian = properties.makeelement(qn("a:ea"), {"typeface": PPTX_EA_FONT})
    latin = properties.find(qn("a:latin"))
    if latin is not None:
        latin.addnext(east_asian)
    else:
        # a:ea follows the fill/effect elements; appending keeps the schema order here.
        properties.append(east_asian)


def _pptx_text(slide, left, top, width, height, paragraphs, *, size=14, bold=False, color=None):
    """A text box; ``paragraphs`` is a list of str or (str, dict(size, bold, color, bullet, label)).

    ``label`` is written in bold before the text.
    """
    from pptx.util import Pt

    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for index, item in enumerate(paragraphs):
        text, style = (item, {}) if isinstance(item, str) else item
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        prefix = "• " if style.get("bullet") else ""
        label_text = style.get("label", "")
        if label_text:
            label_text, prefix = prefix + label_text, ""
        paragraph.space_after = Pt(style.get("space_after", 6))
        if label_text:
            label = paragraph.add_run()
            label.text = label_text
            _pptx_font(label, style.get("size", size), bold=True, color=style.get("color", color))
        run = paragraph.add_run()
        run.text = prefix + text
        _pptx_font(
            run,
            style.get("size", size),
            bold=style.get("bold", bold),
            color=style.get("color", color),
        )
    return box


def _pptx_table(slide, left, top, width, headers, rows, *, size=12, row_height=None, numeric=()):
    """A table; the columns in ``numeric`` are right-aligned."""
    from pptx.enum.text import PP_ALIGN
    from pptx.util import Emu, Pt

    row_height = row_height or Pt(size * 2.1)
    shape = slide.shapes.add_table(
        len(rows) + 1, len(headers), left, top, width, Emu(int(row_height) * (len(rows) + 1))
    )
    table = shape.table
    for column, header in enumerate(headers):
        cell = table.cell(0, column)
        cell.text = ""
        paragraph = cell.text_frame.paragraphs[0]
        if column in numeric:
            paragraph.alignment = PP_ALIGN.RIGHT
        run = paragraph.add_run()
        run.text = str(header)
        _pptx_font(run, size, bold=True)
    for r, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            cell = table.cell(r, column)
            cell.text = ""
            paragraph = cell.text_frame.paragraphs[0]
            if column in numeric:
                paragraph.alignment = PP_ALIGN.RIGHT
            run = paragraph.add_run()
            run.text = str(value)
            _pptx_font(run, size)
    return shape


def _slide_title(slide, text: str, subtitle: str = "") -> None:
    from pptx.util import Inches

    paragraphs = [(text, {"size": 26, "bold": True, "color": "1F5FA8"})]
    if subtitle:
        paragraphs.append((subtitle, {"size": 13, "color": "555555"}))
    _pptx_text(slide, Inches(0.5), Inches(0.3), Inches(12.3), Inches(1.0), paragraphs)


def _add_picture(slide, chart: ReportChart, left, top, width):
    return slide.shapes.add_picture(bytes_io.BytesIO(chart.png()), left, top, width=width)


def _title_slide(slide, report: Report) -> None:
    """The title slide: title, period, source and when the report was built."""
    from pptx.util import Inches

    lang = report.lang
    _pptx_text(
        slide,
        Inches(0.8),
        Inches(2.4),
        Inches(11.7),
        Inches(2.5),
        [
            (report.title, {"size": 40, "bold": True, "color": "1F5FA8"}),
            (report.period_text, {"size": 22}),
            (
                _text("generated", lang, source=report.source or "–", when=report.generated),
                {"size": 14, "color": "555555"},
            ),
        ],
    )


def _kpi_slide(slide, report: Report) -> None:
    """The headline KPIs: this period, the previous one, the change and n."""
    from pptx.util import Inches

    lang = report.lang
    _slide_title(slide, _text("slide.kpis", lang), report.period_text)
    headers = [
        i18n.t("report.col_kpi", lang),
        i18n.t("report.col_current", lang),
        i18n.t("report.col_previous", lang),
        i18n.t("report.col_change", lang),
        i18n.t("report.col_n", lang),
    ]
    rows = [
        [r.name, r.current_text, r.previous_text, r.change_text, r.n_text]
        for r in report.kpis.itertuples()
    ]
    if "light_text" in report.kpis.columns:  # targets were set
        headers.append(i18n.t("targets.col_light", lang))
        rows = [[*row, text] for row, text in zip(rows, report.kpis["light_text"], strict=True)]
    table = _pptx_table(
        slide, Inches(0.8), Inches(1.5), Inches(11.7), headers, rows, size=14, numeric={1, 2, 3, 4}
    )
    _pptx_text(
        slide,
        Inches(0.8),
        table.top + table.height + Inches(0.15),
        Inches(11.7),
        Inches(0.5),
        [(_compared_text(report), {"size": 12, "color": "555555"})],
    )


def _chart_slide(slide, chart: ReportChart, report: Report) -> None:
    """One control chart: its image and the signal days."""
    from pptx.util import Inches

    _slide_title(slide, chart.title, report.period_text)
    picture = _add_picture(slide, chart, Inches(0.8), Inches(1.4), Inches(11.7))
    _pptx_text(
        slide,
        Inches(0.8),
        picture.top + picture.height + Inches(0.15),
        Inches(11.7),
        Inches(0.6),
        [chart.caption],
        size=14,
    )


def _finding_slide(slide, finding: Finding, lang: str) -> None:
    """One finding: chart, bullets, numbers, note; the full texts in the speaker notes."""
    from pptx.util import Inches

    _slide_title(slide, finding.title)
    table_top = Inches(1.35)
    if finding.chart is not None:
        picture = _add_picture(slide, finding.chart, Inches(0.4), Inches(1.35), Inches(7.2))
        table_top = picture.top + picture.height + Inches(0.1)
    labels = [
        _text("finding.what_label", lang),
        _text("finding.where", lang),
        _text("finding.why", lang),
    ]
    bullets = [
        (text, {"bullet": True, "size": 13, "space_after": 10, "label": label})
        for label, text in zip(labels, finding.bullets, strict=False)
        if text
    ]
    if finding.story_text:  # the app's sentence for the day leads the slide
        bullets.insert(0, (finding.story_text, {"size": 14, "bold": True, "space_after": 10}))
    if finding.note:
        bullets.append(
            (
                _text("finding.note_text", lang, note=finding.note),
                {"size": 13, "bold": True, "color": "8A6100"},
            )
        )
    _pptx_text(slide, Inches(7.8), Inches(1.35), Inches(5.2), Inches(4.6), bullets)
    if finding.numbers is not None and not finding.numbers.empty:
        headers = [
            _text("numbers.kpi", lang),
            _text("numbers.shift" if finding.kind == "shift" else "numbers.day", lang),
            _text("numbers.baseline", lang),
            _text("numbers.change", lang),
        ]
        rows = [
            [r.name, r.day_text, r.baseline_text, r.change_text]
            for r in finding.numbers.itertuples()
        ]
        _pptx_table(
            slide,
            Inches(0.4),
            table_top,
            Inches(7.2),
            headers,
            rows,
            size=11,
            numeric={1, 2, 3},
        )
    notes = [finding.title, *finding.bullets]
    if finding.path:
        notes.append(_path_text(finding.path, lang))
    if finding.staffing_summary:
        notes.append(finding.staffing_summary)
    if finding.comparison_summary:
        notes.append(finding.comparison_summary)
    if finding.note:
        notes.append(f"{_text('finding.note', lang)}: {finding.note}")
    slide.notes_slide.notes_text_frame.text = "\n\n".join(notes)


def _teams_slide(slide, report: Report, slide_height) -> None:
    """The team comparison: the table and the funnel's conclusions."""
    from pptx.util import Inches

    lang = report.lang
    _slide_title(slide, _text("slide.teams", lang), _text("teams.intro", lang))
    metrics = [m for m in TEAM_METRICS if m in report.teams.columns]
    headers = [_text("col.team", lang), _text("col.calls", lang)] + [
        _kpi_name(m, lang) for m in metrics
    ]
    rows = []
    for _, row in report.teams.head(14).iterrows():
        cells = [str(row["team"]), i18n.format_number(row["answered"], "count", lang)]
        for m in metrics:
            arrow = {"above": " ▲", "below": " ▼"}.get(row[f"{m}_flag"], "")
            cells.append(_fmt(m, row[m], lang) + arrow)
        rows.append(cells)
    table = _pptx_table(
        slide,
        Inches(0.8),
        Inches(1.5),
        Inches(11.7),
        headers,
        rows,
        size=12,
        numeric=set(range(1, len(headers))),
    )
    if report.team_summaries:
        slide.notes_slide.notes_text_frame.text = "\n\n".join(report.team_summaries)
        top = table.top + table.height + Inches(0.3)
        if top + Inches(0.4) * len(report.team_summaries) <= slide_height:
            # the funnel's conclusions on the slide when there is room under the table
            _pptx_text(
                slide,
                Inches(0.8),
                top,
                Inches(11.7),
                slide_height - top - Inches(0.2),
                [(t, {"bullet": True, "size": 13}) for t in report.team_summaries],
            )


def _improvement_slide(slide, report: Report) -> None:
    """The improvement check: the chart and one sentence per KPI."""
    from pptx.util import Inches

    lang = report.lang
    _slide_title(slide, _text("section.improvement", lang, date=_day_text(report.change_date)))
    if report.improvement_chart is not None:
        _add_picture(slide, report.improvement_chart, Inches(0.4), Inches(1.35), Inches(7.2))
    sentences = [
        (check.sentence_zh if lang == "zh" else check.sentence_en, {"bullet": True, "size": 14})
        for check in report.improvement
    ]
    _pptx_text(slide, Inches(7.8), Inches(1.35), Inches(5.2), Inches(4.6), sentences)


def report_pptx(report: Report) -> bytes:
    """The report as a PowerPoint deck (16:9).

    Parameters
    ----------
    report : Report

    Returns
    -------
    bytes
        A .pptx file: a title slide; a KPI slide (this period, previous, change, n); one
        slide per control chart (image and the signal days); one slide per finding (its
        chart image, three bullets — what happened, where, why —, the numbers against the
        baseline, the manager's note; the full drill-down and staffing texts in the speaker
        notes); a team-comparison slide and an improvement slide when the report has them.

    Examples
    --------
    >>> import pandas as pd
    >>> from pptx import Presentation
    >>> from ccmetrics.report import build_report
    >>> days = pd.date_range("2025-03-03", periods=28, freq="D").repeat(20)
    >>> calls = pd.DataFrame({"arrived_at": days + pd.Timedelta(hours=9), "wait_s": 5.0,
    ...     "answered": True, "abandoned": False})
    >>> deck = Presentation(bytes_io.BytesIO(report_pptx(build_report(calls))))
    >>> len(deck.slides)  # title, KPIs, service level and offered charts (no AHT data)
    4
    """
    from pptx import Presentation
    from pptx.util import Inches

    lang = report.lang
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    blank = deck.slide_layouts[6]

    _title_slide(deck.slides.add_slide(blank), report)
    _kpi_slide(deck.slides.add_slide(blank), report)
    for chart in report.charts:
        _chart_slide(deck.slides.add_slide(blank), chart, report)
    for finding in report.findings:
        _finding_slide(deck.slides.add_slide(blank), finding, lang)
    if report.teams is not None:
        _teams_slide(deck.slides.add_slide(blank), report, deck.slide_height)
    if report.journey is not None:
        journey_slide(deck.slides.add_slide(blank), report.journey, lang)
    if report.people is not None:
        people_slide(deck.slides.add_slide(blank), report.people, lang)
    if report.change_date is not None and report.improvement:
        _improvement_slide(deck.slides.add_slide(blank), report)

    buffer = bytes_io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
