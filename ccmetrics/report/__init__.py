"""Meeting-ready findings: a one-page HTML report, a PowerPoint deck, chart images and safe CSV.

A manager takes what the app found into the Monday meeting. :func:`build_report`
assembles the findings of a period into a :class:`Report`:

1. **Headline KPIs** against the previous period of equal length
   (:func:`ccmetrics.kpi.period_comparison`).
2. **Control charts** of daily service level, offered calls and AHT
   (:func:`control_charts`; the chart type of each KPI is
   :func:`ccmetrics.spc.default_chart_for`: Laney p′, the like-for-like seasonal
   chart and XmR), signals marked.
3. **Findings**: the days on which a chart signalled (:func:`candidate_findings`),
   the top ones by severity unless the manager picked others, each with the
   drill-down (:func:`ccmetrics.drill.explain`: verdict, top elements, the
   path), the staffing attribution of that day when an interval file with
   staffing is given (:func:`ccmetrics.staffing.why_intervals`,
   :func:`~ccmetrics.staffing.why_day`, :func:`~ccmetrics.staffing.why_summary`),
   the queue or team comparison of that day (:func:`ccmetrics.compare.funnel`),
   external drivers such as weather (:func:`ccmetrics.forecast.driver_contributions`)
   and the manager's note.
4. **Team comparison** over the period (funnel limits per KPI).
5. **Improvement check** when a change date is given
   (:func:`ccmetrics.spc.improvement_check`).
6. **The caller's journey** when the data has IVR columns (:mod:`ccmetrics.journey`: each
   stage's calls, callers lost and mean time, the top menu options, the topics that belong
   higher in the menu).
7. **People** when a roster is given (:mod:`ccmetrics.people`: attrition over the period
   with its exact Poisson interval, KPIs by tenure band).

Every number comes from those functions, the same the pages call, so the report
and the app never disagree; values are formatted by :func:`format_kpi` (the
app's format: percentages with one decimal, "81.8%"; QA scores with one decimal).

Outputs: :func:`report_html` (one self-contained file: CSS inline, charts as inline
SVG rendered by vl-convert, no network needed, a content-security policy that
forbids scripts), :func:`report_pptx` (python-pptx: a title slide, a KPI slide,
one slide per control chart, one slide per finding with its chart, three bullets
and the numbers), :func:`chart_pngs` / :func:`png_zip` (a PNG per chart) and
:func:`write_report` (the files, for the command line). Everything follows
``lang`` ("en" or "zh"); text that comes from the data (category, team and agent
names, notes) is HTML-escaped. :func:`safe_csv_bytes` is the CSV export every
download uses: UTF-8 with a byte-order mark, cells that a spreadsheet would run
as a formula neutralised.

Chinese text in PNG images needs a CJK font: the renderer registers the first
font folder of :data:`FONT_DIRECTORIES` that exists (Debian's ``fonts-noto-cjk``)
and Chinese reports ask for :data:`FONT_STACK` (English ones for :data:`FONT_STACK_EN`,
Latin fonts first: rendering with a CJK font is about three times slower, and English
charts hold no Chinese text; browsers still fall back per glyph for Chinese data).

Modules
-------
============  ================================================================================
``text``      :data:`REPORT_TEXT`, KPI and driver names, :func:`error_reason`, value formatting
``charts``    :class:`ReportChart`, the Vega-Lite specs, fonts, :func:`chart_to_png`
``period``    :func:`report_period`, the daily KPI table, :func:`control_charts`
``findings``  :class:`Finding`, :func:`candidate_findings`, one finding with its analyses
``build``     :class:`Report`, :func:`build_report`, the team comparison, the improvement check
``html``      :func:`report_html`
``pptx``      :func:`report_pptx`
``files``     :func:`chart_pngs`, :func:`png_zip`, :func:`safe_csv_bytes`, :func:`write_report`
``headline``  :func:`~ccmetrics.report.headline.headline_kpis`: the headline's KPIs from the registry
``journey``   the caller's journey block (IVR data only): stages, top menu options, topics
``people``    the people block (with a roster): attrition over the period, KPIs by tenure band
============  ================================================================================
"""

from ccmetrics.kpi import KPI_DECIMALS, format_kpi, format_kpi_change  # re-exported
from ccmetrics.report.build import (
    DEFAULT_MAX_FINDINGS,
    HEADLINE_KPIS,
    TEAM_METRICS,
    Report,
    build_report,
)
from ccmetrics.report.charts import (
    FONT_DIRECTORIES,
    FONT_STACK,
    FONT_STACK_EN,
    ReportChart,
    chart_to_png,
)
from ccmetrics.report.files import FORMATS, chart_pngs, png_zip, safe_csv_bytes, write_report
from ccmetrics.report.findings import (
    CANDIDATE_COLUMNS,
    Finding,
    _comparison_agrees,  # noqa: F401  (private, checked by the tests)
    candidate_findings,
)
from ccmetrics.report.html import report_html
from ccmetrics.report.period import CHART_KPIS, control_charts, report_period
from ccmetrics.report.pptx import report_pptx
from ccmetrics.report.text import (
    KNOWN_DRIVERS,
    REPORT_TEXT,
    driver_name,
    error_reason,
)

__all__ = [
    "REPORT_TEXT",
    "HEADLINE_KPIS",
    "CHART_KPIS",
    "TEAM_METRICS",
    "DEFAULT_MAX_FINDINGS",
    "FONT_STACK",
    "FONT_STACK_EN",
    "FONT_DIRECTORIES",
    "FORMATS",
    "CANDIDATE_COLUMNS",
    "KPI_DECIMALS",
    "format_kpi",
    "format_kpi_change",
    "error_reason",
    "KNOWN_DRIVERS",
    "driver_name",
    "ReportChart",
    "Finding",
    "Report",
    "report_period",
    "control_charts",
    "candidate_findings",
    "build_report",
    "report_html",
    "report_pptx",
    "chart_pngs",
    "chart_to_png",
    "png_zip",
    "safe_csv_bytes",
    "write_report",
]
