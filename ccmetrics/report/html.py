"""The report as one self-contained HTML file (:func:`report_html`).

CSS inline, charts as inline SVG, no network needed, a content-security policy that forbids
scripts; text that comes from the data is HTML-escaped.
"""

from __future__ import annotations

import html

import pandas as pd

from ccmetrics import compare, drill, i18n
from ccmetrics.report.build import TEAM_METRICS, Report
from ccmetrics.report.charts import ReportChart, _font_stack
from ccmetrics.report.findings import Finding, _drivers_text
from ccmetrics.report.journey import journey_html
from ccmetrics.report.people import people_html
from ccmetrics.report.text import _day_text, _fmt, _kpi_name, _share, _text
from ccmetrics.targets import LIGHT_COLOURS

# --------------------------------------------------------------------------- rendering: HTML

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #f4f5f7; color: #1d1d1f; font-family: FONTS; font-size: 15px;
  line-height: 1.55; }
main { max-width: 980px; margin: 0 auto; background: #fff; padding: 28px 40px 40px; }
header h1 { margin: 0 0 4px; font-size: 26px; }
.meta { color: #555; margin: 0; }
h2 { font-size: 20px; border-bottom: 2px solid #1f5fa8; padding-bottom: 4px; margin-top: 34px; }
h3 { font-size: 17px; margin: 0 0 8px; }
h4 { font-size: 14px; margin: 16px 0 4px; color: #333; text-transform: none; }
table { border-collapse: collapse; margin: 8px 0; font-size: 14px; }
th, td { border-bottom: 1px solid #e3e3e3; padding: 4px 10px; text-align: left; }
th { background: #f1f4f8; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 12px 0 18px; }
figure svg { max-width: 100%; height: auto; }
figcaption { color: #555; font-size: 13px; }
.finding { border: 1px solid #dde3ea; border-left: 5px solid #d62728; border-radius: 6px;
  padding: 16px 20px; margin: 18px 0; }
.finding ul.bullets { padding-left: 20px; }
.finding ul.bullets li { margin: 4px 0; }
.label { font-weight: 600; }
.note { background: #fff8e1; border-left: 4px solid #f0b400; padding: 8px 12px; margin: 8px 0;
  white-space: pre-wrap; }
.muted { color: #666; font-size: 13px; }
.worse { color: #b71c1c; font-weight: 600; }
.better { color: #1b5e20; font-weight: 600; }
.warnings li { color: #6d4c00; }
@media print { body { background: #fff; } main { padding: 0; } .finding { break-inside: avoid; } }
"""


def _e(value) -> str:
    """HTML-escape any value (data text, notes, numbers)."""
    return html.escape(str(value), quote=True)


def _table_html(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(
        f'<th class="num">{_e(h)}</th>' if i in numeric else f"<th>{_e(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="num">{cell}</td>' if i in numeric else f"<td>{cell}</td>"
            for i, cell in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _text_table_html(headers: list[str], rows, numeric: set[int] = frozenset()) -> str:
    """:func:`_table_html` of cells that are text, not markup: each cell escaped."""
    return _table_html(headers, [[_e(cell) for cell in row] for row in rows], numeric)


def _light_html(light: str, text: str) -> str:
    """A traffic light's text with its marker (the first character) in the light's colour."""
    marker = f'<span style="color:{LIGHT_COLOURS[light]}">{_e(text[:1])}</span>'
    return marker + _e(text[1:])


def _kpi_table_html(report: Report) -> str:
    lang = report.lang
    headers = [
        i18n.t("report.col_kpi", lang),
        i18n.t("report.col_current", lang),
        i18n.t("report.col_previous", lang),
        i18n.t("report.col_change", lang),
        i18n.t("report.col_n", lang),
    ]
    rows = [
        [_e(r.name), _e(r.current_text), _e(r.previous_text), _e(r.change_text), _e(r.n_text)]
        for r in report.kpis.itertuples()
    ]
    if "light_text" in report.kpis.columns:  # targets were set
        headers.append(i18n.t("targets.col_light", lang))
        rows = [
            [*row, _light_html(light, text)]
            for row, light, text in zip(
                rows, report.kpis["light"], report.kpis["light_text"], strict=True
            )
        ]
    return _table_html(headers, rows, {1, 2, 3, 4})


def _figure_html(chart: ReportChart) -> str:
    caption = f"<figcaption>{_e(chart.caption)}</figcaption>" if chart.caption else ""
    return f'<figure id="chart-{_e(chart.key)}" role="img" aria-label="{_e(chart.title)}">{chart.svg()}{caption}</figure>'


def _numbers_html(numbers: pd.DataFrame | None, lang: str, kind: str = "day") -> str:
    if numbers is None or numbers.empty:
        return ""
    headers = [
        _text("numbers.kpi", lang),
        _text("numbers.shift" if kind == "shift" else "numbers.day", lang),
        _text("numbers.baseline", lang),
        _text("numbers.change", lang),
    ]
    rows = [
        [_e(r.name), _e(r.day_text), _e(r.baseline_text), _e(r.change_text)]
        for r in numbers.itertuples()
    ]
    return _table_html(headers, rows, {1, 2, 3})


def _element_text(values: dict, lang: str) -> str:
    return drill.element_label(values, language=lang)


def _elements_html(explanation: drill.Explanation, lang: str) -> str:
    selected = explanation.selected.head(drill.MAX_SELECTED)
    if selected.empty:
        return ""
    metric = explanation.metric
    headers = [
        _text("col.element", lang),
        _text("col.share_day", lang),
        _text("col.share_baseline", lang),
        _text("col.value_day", lang),
        _text("col.value_baseline", lang),
        _text("col.explained", lang),
    ]
    rows = []
    for _, row in selected.iterrows():
        rows.append(
            [
                _e(_element_text(row["values"], lang)),
                _e(_share(row["share_anomaly"])),
                _e(_share(row["share_baseline"])),
                _e(_fmt(metric, row["rate_anomaly"], lang)),
                _e(_fmt(metric, row["rate_baseline"], lang)),
                _e(_share(row["explained_share"])),
            ]
        )
    heading = (
        "finding.elements" if explanation.verdict == "concentrated" else "finding.elements_broad"
    )
    return f"<h4>{_e(_text(heading, lang))}</h4>" + _table_html(headers, rows, {1, 2, 3, 4, 5})


def _path_text(path: list[dict], lang: str) -> str:
    steps = [
        _text(
            "finding.path_step",
            lang,
            element=_element_text(step["values"], lang),
            share=_share(step["share_anomaly"]),
            baseline_share=_share(step["share_baseline"]),
        )
        for step in path
    ]
    return _text("finding.path", lang, path=" → ".join(steps))


def _finding_html(finding: Finding, lang: str) -> str:
    parts = [f'<article class="finding" id="finding-{_e(finding.id)}">']
    parts.append(f"<h3>{_e(finding.title)}</h3>")
    if finding.story_text:
        parts.append(f'<p class="story"><strong>{_e(finding.story_text)}</strong></p>')
    labels = [
        _text("finding.what_label", lang),
        _text("finding.where", lang),
        _text("finding.why", lang),
    ]
    items = "".join(
        f'<li><span class="label">{_e(label)}</span>{_e(text)}</li>'
        for label, text in zip(labels, finding.bullets, strict=False)
        if text
    )
    parts.append(f'<ul class="bullets">{items}</ul>')
    if finding.note:
        parts.append(
            f'<h4>{_e(_text("finding.note", lang))}</h4><div class="note">{_e(finding.note)}</div>'
        )
    if finding.chart is not None:
        parts.append(_figure_html(finding.chart))
    parts.append(_numbers_html(finding.numbers, lang, finding.kind))
    parts.append(f"<h4>{_e(_text('finding.drill', lang))}</h4>")
    if finding.explanation is not None:
        e = finding.explanation
        parts.append(f"<p>{_e(e.summary[lang])}</p>")
        parts.append(
            f'<p class="muted">{_e(_text("finding.verdict", lang, verdict=_text("verdict." + e.verdict, lang)))}</p>'
        )
        if finding.path:
            parts.append(f"<p>{_e(_path_text(finding.path, lang))}</p>")
        parts.append(_elements_html(e, lang))
    for note in finding.notes:
        parts.append(f'<p class="muted">{_e(note)}</p>')
    if finding.kind != "shift":  # the staffing model explains one day's intervals
        parts.append(f"<h4>{_e(_text('finding.staffing', lang))}</h4>")
        parts.append(f"<p>{_e(finding.staffing_summary or _text('finding.no_staffing', lang))}</p>")
    if finding.drivers is not None:
        parts.append(f"<h4>{_e(_text('finding.drivers', lang))}</h4>")
        parts.append(
            f"<p>{_e(_drivers_text(finding.drivers, lang) or _text('finding.no_drivers', lang))}</p>"
        )
    if finding.comparison_summary:
        heading = "finding.comparison_shift" if finding.kind == "shift" else "finding.comparison"
        parts.append(f"<h4>{_e(_text(heading, lang))}</h4>")
        parts.append(f"<p>{_e(finding.comparison_summary)}</p>")
    parts.append("</article>")
    return "".join(parts)


def _team_cell(value, flag: str, metric: str, lang: str) -> str:
    text = _e(_fmt(metric, value, lang))
    if flag not in ("above", "below"):
        return text
    higher_better = compare.HIGHER_IS_BETTER.get(metric, True)
    better = (flag == "above") == higher_better
    arrow = "▲" if flag == "above" else "▼"
    return f'<span class="{"better" if better else "worse"}">{text} {arrow}</span>'


def _team_rows(report: Report) -> tuple[list[str], list[str], list[list[str]]]:
    lang = report.lang
    metrics = [m for m in TEAM_METRICS if m in report.teams.columns]
    headers = [_text("col.team", lang), _text("col.calls", lang)] + [
        _kpi_name(m, lang) for m in metrics
    ]
    rows = []
    for _, row in report.teams.iterrows():
        cells = [_e(row["team"]), _e(i18n.format_number(row["answered"], "count", lang))]
        cells += [_team_cell(row[m], row[f"{m}_flag"], m, lang) for m in metrics]
        rows.append(cells)
    return headers, metrics, rows


def _compared_text(report: Report) -> str:
    """What the headline KPIs' changes are against (or why none is shown)."""
    has_previous = report.kpis["previous"].notna().any() if not report.kpis.empty else False
    if not has_previous:
        return _text("kpis.no_previous", report.lang)
    previous_last = report.previous[1] - pd.Timedelta(days=1)
    return _text(
        "kpis.compared",
        report.lang,
        start=_day_text(report.previous[0]),
        end=_day_text(previous_last),
    )


def _header_html(report: Report) -> list[str]:
    """The document's head and the report's header: title, period, source, filters."""
    lang = report.lang
    html_lang = "zh-CN" if lang == "zh" else "en"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{html_lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
        "style-src 'unsafe-inline'; img-src data:; font-src data:\">",
        f"<title>{_e(report.title)} · {_e(report.period_text)}</title>",
        f"<style>{_CSS.replace('FONTS', _font_stack(lang))}</style></head><body><main>",
        "<header>",
        f"<h1>{_e(report.title)}</h1>",
        f'<p class="meta">{_e(report.period_text)}</p>',
        f'<p class="meta">{_e(_text("generated", lang, source=report.source or "–", when=report.generated))}</p>',
    ]
    if report.filters:
        described = "; ".join(
            f"{i18n.t('dim.' + k, lang) if i18n.has_key('dim.' + k, lang) else k}: "
            + ", ".join(map(str, v))
            for k, v in report.filters.items()
            if v
        )
        parts.append(f'<p class="meta">{_e(_text("filters", lang, filters=described))}</p>')
    parts.append("</header>")
    return parts


def _charts_html(report: Report) -> list[str]:
    """The control-chart section: what the limits rest on, the charts, the warnings."""
    lang = report.lang
    parts = [f'<section id="charts"><h2>{_e(_text("section.charts", lang))}</h2>']
    if report.chart_frames:
        first = next(iter(report.chart_frames.values())).attrs
        parts.append(
            '<p class="muted">'
            + _e(
                _text(
                    "charts.intro",
                    lang,
                    days=first["limit_days"],
                    start=_day_text(first["limits_start"]),
                    end=_day_text(first["limits_end"]),
                )
            )
            + "</p>"
        )
    for chart in report.charts:
        parts.append(_figure_html(chart))
    if report.warnings:
        items = "".join(f"<li>{_e(w)}</li>" for w in report.warnings)
        parts.append(f'<ul class="warnings muted">{items}</ul>')
    parts.append("</section>")
    return parts


def report_html(report: Report) -> str:
    """The report as one self-contained HTML document.

    Parameters
    ----------
    report : Report

    Returns
    -------
    str
        HTML5 with inline CSS and the charts as inline SVG (rendered by vl-convert): it
        opens without network access. A content-security policy forbids scripts and
        remote resources; every text from the data or the manager is HTML-escaped.

    Examples
    --------
    >>> from ccmetrics.report import build_report
    >>> days = pd.date_range("2025-03-03", periods=28, freq="D").repeat(20)
    >>> calls = pd.DataFrame({"arrived_at": days + pd.Timedelta(hours=9), "wait_s": 5.0,
    ...     "answered": True, "abandoned": False, "category": "<b>Billing</b>"})
    >>> text = report_html(build_report(calls))
    >>> text.count("<svg") >= 2, "<b>Billing" in text
    (True, False)
    """
    lang = report.lang
    parts = _header_html(report)

    parts.append(f'<section id="kpis"><h2>{_e(_text("section.kpis", lang))}</h2>')
    parts.append(_kpi_table_html(report))
    parts.append(f'<p class="muted">{_e(_compared_text(report))}</p>')
    parts.append("</section>")

    parts += _charts_html(report)

    parts.append(f'<section id="findings"><h2>{_e(_text("section.findings", lang))}</h2>')
    if report.calibration_text:
        parts.append(f'<p class="muted">{_e(report.calibration_text)}</p>')
    if not report.findings:
        parts.append(f"<p>{_e(_text('findings.none', lang))}</p>")
    for finding in report.findings:
        parts.append(_finding_html(finding, lang))
    parts.append("</section>")

    if report.teams is not None:
        headers, metrics, rows = _team_rows(report)
        parts.append(f'<section id="teams"><h2>{_e(_text("section.teams", lang))}</h2>')
        parts.append(f'<p class="muted">{_e(_text("teams.intro", lang))}</p>')
        parts.append(_table_html(headers, rows, set(range(1, len(headers)))))
        for summary in report.team_summaries:
            parts.append(f"<p>{_e(summary)}</p>")
        parts.append("</section>")

    parts += journey_html(report.journey, lang)
    parts += people_html(report.people, lang)

    if report.change_date is not None:
        parts.append(
            f'<section id="improvement"><h2>{_e(_text("section.improvement", lang, date=_day_text(report.change_date)))}</h2>'
        )
        for check in report.improvement:
            parts.append(f"<p>{_e(check.sentence_zh if lang == 'zh' else check.sentence_en)}</p>")
        if report.improvement_chart is not None:
            parts.append(_figure_html(report.improvement_chart))
        parts.append("</section>")

    parts.append(f'<section id="method"><h2>{_e(_text("section.method", lang))}</h2><ul>')
    for key in ("method.limits", "method.drill", "method.staffing"):
        parts.append(f"<li>{_e(_text(key, lang))}</li>")
    parts.append("</ul></section></main></body></html>")
    return "\n".join(parts)
