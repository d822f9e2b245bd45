"""The translation table of the user interface: English and Simplified Chinese.

Every string a user sees in the app (page titles, labels, KPI names, help
texts, errors, chart axis titles) is a key of :data:`EN` and :data:`ZH`; the
pages look it up with :func:`t`. A test checks that both languages define the
same keys and that every key the app uses exists.

KPI names follow the terms Chinese call centers use: 服务水平 (service level),
接通率 (answer / connection rate), 放弃率 (abandon rate), 平均应答速度 (ASA),
平均处理时长 (AHT), 转接率 (transfer rate), 首次解决率 (FCR), 满意度 (CSAT),
质检得分 (QA score), 占用率 (occupancy).

This module stands alone (it imports only the per-page string tables of
``ccmetrics/locales/``), so the report
and the command line can use the same table and number formats as the app.
"""

from __future__ import annotations

import math

__all__ = [
    "LANGUAGES",
    "DEFAULT_LANGUAGE",
    "EN",
    "ZH",
    "TRANSLATIONS",
    "t",
    "has_key",
    "format_number",
    "format_change",
    "format_signed",
]

#: Supported languages: code -> name shown in the language switch.
LANGUAGES = {"en": "English", "zh": "简体中文"}
DEFAULT_LANGUAGE = "en"

_WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAYS_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

EN: dict[str, str] = {
    # --- app shell ---------------------------------------------------------
    "app.title": "ccmetrics · call-center analytics",
    "nav.overview": "Overview",
    "nav.control_charts": "Control charts",
    "nav.drilldown": "Drill-down",
    "nav.teams": "Teams",
    "nav.staffing": "Staffing",
    "nav.report": "Report",
    "nav.data": "Data",
    # --- sidebar -----------------------------------------------------------
    "sidebar.language": "Language · 语言",
    "sidebar.dataset": "Dataset",
    "sidebar.dataset_sample": "Bundled sample data",
    "sidebar.dataset_summary": "{rows} rows ({kind}) · {start} – {end}",
    "sidebar.use_sample": "Back to the sample data",
    "sidebar.range_whole": "The range covers the whole data set ({days} days).",
    "sidebar.range_recent": (
        "The data spans {total} days: the range starts with its last {days}. "
        "Widen it above to see more."
    ),
    "link.other_data": (
        "This link shows **{name}** (content {digest}), which is not loaded in this session. "
        "Upload that file to open the link's view: its dates, queues, settings and drill-down "
        "path are kept until then."
    ),
    "link.upload": "Upload {name}",
    "link.use_sample": "Open the bundled sample instead",
    "link.restored": "The link's view is restored on **{name}**.",
    "link.restored_other": (
        "**{name}** is not the file the link was made on (its content differs): the link's "
        "view is shown on it anyway, so its numbers may differ from the ones that were shared."
    ),
    "sidebar.filters": "Filters",
    "sidebar.date_range": "Date range",
    "sidebar.date_range_help": (
        "Both days included. KPI tiles compare this range with the range of equal length "
        "just before it."
    ),
    "sidebar.queue": "Queues",
    "sidebar.queue_placeholder": "All queues",
    "sidebar.settings": "KPI settings",
    "sidebar.sl_threshold": "Service-level threshold (seconds)",
    "sidebar.sl_threshold_help": "A call answered within this many seconds counts as within service level.",
    "sidebar.short_abandon": "Short-abandon threshold (seconds)",
    "sidebar.short_abandon_help": (
        "Callers who hang up within this many seconds are short abandons: left out of the "
        "abandon rate and, by default, of the service level."
    ),
    "sidebar.sl_formula": "Service-level formula",
    "sidebar.sl_formula_help": (
        "Platforms count service level differently; pick the one your reports use. "
        "With A_T = answered within the threshold T and B_T = abandoned within T:\n\n"
        "- Short abandons excluded: A_T ÷ (offered − short abandons)\n"
        "- Answered calls only: A_T ÷ answered\n"
        "- Abandons within T ignored: A_T ÷ (offered − B_T)\n"
        "- Abandons within T count as met: (A_T + B_T) ÷ offered\n"
        "- All offered calls: A_T ÷ offered"
    ),
    "sidebar.sl_target": "Service-level target (%)",
    "sidebar.sl_target_help": "Drawn as a line on the charts.",
    "formula.offered_excl_short": "Excl. short abandons (default)",
    "formula.answered": "Answered calls only",
    "formula.abandons_ignored": "Abandons within T ignored",
    "formula.abandons_good": "Abandons within T count as met",
    "formula.offered": "All offered calls",
    "formula_expr.offered_excl_short": "A_T ÷ (offered − short abandons)",
    "formula_expr.answered": "A_T ÷ answered",
    "formula_expr.abandons_ignored": "A_T ÷ (offered − B_T)",
    "formula_expr.abandons_good": "(A_T + B_T) ÷ offered",
    "formula_expr.offered": "A_T ÷ offered",
    "kind.calls": "call records",
    "kind.intervals": "interval report",
    # --- KPI names (tiles, tables, axes) -----------------------------------
    "kpi.offered": "Offered calls",
    "kpi.answered": "Answered calls",
    "kpi.abandoned": "Abandoned calls",
    "kpi.short_abandoned": "Short abandons",
    "kpi.answered_in_sl": "Answered within threshold",
    "kpi.service_level": "Service level",
    "kpi.abandon_rate": "Abandon rate",
    "kpi.answer_rate": "Answer rate",
    "kpi.asa_s": "ASA (average speed of answer)",
    "kpi.avg_abandon_wait_s": "Average wait before abandoning",
    "kpi.aht_s": "AHT (average handle time)",
    "kpi.talk_s": "Talk time",
    "kpi.hold_s": "Hold time",
    "kpi.acw_s": "After-call work",
    "kpi.transfer_rate": "Transfer rate",
    "kpi.fcr_rate": "First-contact resolution",
    "kpi.csat_mean": "CSAT (mean rating)",
    "kpi.csat_top2box": "CSAT top-2-box",
    "kpi.csat_n": "Rated calls",
    "kpi.qa_mean": "QA score",
    "kpi.qa_n": "QA evaluations",
    "kpi.occupancy": "Occupancy",
    "kpi.ivr_containment": "IVR containment",
    "kpi.sl_base": "Calls in the SL base",
    "kpi.abandon_base": "Calls in the abandon base",
    "kpi.abandon_wait_n": "Abandoned calls with a wait",
    "kpi.wait_n": "Answered calls with a wait",
    "kpi.handle_n": "Handled calls",
    "kpi.transfer_n": "Calls with a transfer flag",
    "kpi.fcr_n": "Calls eligible for FCR",
    "kpi.ivr_n": "Calls with IVR data",
    "kpi.staffed_hours": "Staffed hours",
    # KPI short names for tiles (fit a narrow tile)
    "tile.offered": "Offered",
    "tile.answer_rate": "Answer rate",
    "tile.service_level": "Service level",
    "tile.abandon_rate": "Abandon rate",
    "tile.asa_s": "ASA",
    "tile.aht_s": "AHT",
    "tile.transfer_rate": "Transfer rate",
    "tile.fcr_rate": "FCR",
    "tile.csat_mean": "CSAT",
    "tile.qa_mean": "QA score",
    "kpi_help.offered": "Calls that reached the queue in the period.",
    "kpi_help.answer_rate": "Answered ÷ offered.",
    "kpi_help.service_level": "Share of calls answered within {threshold} s ({formula}).",
    "kpi_help.abandon_rate": (
        "(Abandoned − short abandons) ÷ (offered − short abandons); short = hung up within {short} s."
    ),
    "kpi_help.asa_s": "Mean wait of answered calls, in seconds.",
    "kpi_help.aht_s": "Mean talk + hold + after-call work of answered calls. {split}",
    "kpi_help.transfer_rate": "Transferred ÷ answered calls.",
    "kpi_help.fcr_rate": (
        "Answered calls of a known customer with no new call from that customer within "
        "{window} hours (or the platform's resolved flag)."
    ),
    "kpi_help.csat_mean": "Mean customer rating (1–5) over rated calls; top-2-box {top2}.",
    "kpi_help.qa_mean": "Mean quality-evaluation score (0–100) over evaluated calls.",
    "tile.n": "n = {n}",
    "aht.split": "Talk {talk} · hold {hold} · after-call work {acw}.",
    # --- units and number formats -------------------------------------------
    "unit.seconds": "{value} s",
    "unit.points": "{value} pp",
    "unit.missing": "–",
    "weekday.0": _WEEKDAYS_EN[0],
    "weekday.1": _WEEKDAYS_EN[1],
    "weekday.2": _WEEKDAYS_EN[2],
    "weekday.3": _WEEKDAYS_EN[3],
    "weekday.4": _WEEKDAYS_EN[4],
    "weekday.5": _WEEKDAYS_EN[5],
    "weekday.6": _WEEKDAYS_EN[6],
    # --- dimensions ------------------------------------------------------------
    "dim.queue": "Queue",
    "dim.category": "Category",
    "dim.segment": "Customer segment",
    "dim.team": "Team",
    "dim.agent": "Agent",
    "dim.channel": "Channel",
    "dim.missing": "(blank)",
    # --- Overview ----------------------------------------------------------------
    "overview.title": "Overview",
    "overview.window": "{start} – {end} ({days}-day range) · queues: {queues}",
    "overview.all_queues": "all",
    "overview.no_data": "No calls in the selected date range and queues. Widen the filters in the sidebar.",
    "overview.hidden_title": "KPIs not shown ({count})",
    "overview.hidden_intro": "Your data has no column for these KPIs. Map one of these columns on the Data page to see them:",
    "overview.hidden_item": "**{kpi}**: {columns}",
    "overview.or": " or ",
    "overview.compared_with": "Changes are against {start} – {end}, the period of equal length just before.",
    "overview.no_previous": "No changes shown: the data does not cover a whole period of equal length before this range.",
    "header.percent": "{name} (%)",
    "header.seconds": "{name} (s)",
    "header.answered": "Answered",
    "header.occupancy": "Occupancy",
    # short names of the widest KPI columns of a table (the tiles keep the full names)
    "header.short.asa_s": "ASA",
    "header.short.aht_s": "AHT",
    "header.short.fcr_rate": "FCR",
    "report.col_kpi": "KPI",
    "report.col_current": "This period",
    "report.col_previous": "Previous period",
    "report.col_change": "Change",
    "report.col_n": "n",
    "overview.trend_title": "Daily volume and service level",
    "overview.trend_hint": "Click a day to open it in the drill-down.",
    "overview.open_day": "Or pick a day to open in the drill-down",
    "overview.open_day_button": "Open day",
    "overview.target": "Target {target}",
    "overview.heatmap_title": "When the calls come and when service suffers",
    "overview.heatmap_volume": "Offered calls per day, by weekday and half hour",
    "overview.heatmap_sl": "Service level by weekday and half hour",
    "overview.breakdown_title": "Breakdown",
    "overview.breakdown_by": "Break down by",
    "overview.breakdown_help": "Click a column header to sort.",
    "overview.download_csv": "Download CSV",
    # --- chart axes --------------------------------------------------------------
    "axis.day": "Day",
    "axis.offered": "Offered calls",
    "axis.service_level": "Service level",
    "axis.weekday": "Weekday",
    "axis.slot": "Time of day",
    "axis.offered_per_day": "Offered per day",
    # --- Drill-down: the KPIs of one day by hour ----------------------------------
    "drill.day": "Day",
    "drill.by_hour": "KPIs by hour on {day}",
    # --- Data page ------------------------------------------------------------------
    "data.title": "Data",
    "data.intro": (
        "Upload a call-by-call export or an interval report. The app guesses which column is "
        "which; check the mapping below and fix it if needed."
    ),
    "data.upload": "Upload an export",
    "data.upload_help": "CSV, TSV, Excel or Parquet, up to 1 GB; UTF-8, GBK/GB18030, UTF-16 and other encodings are detected.",
    "data.loading": "Reading {name} …",
    "data.stage_cached": "Looking for a saved copy of this file …",
    "data.stage_reading": "Reading the file …",
    "data.stage_parsing": "Parsing the columns …",
    "data.stage_building": "Building the call table (checking values) …",
    "data.stage_saving": "Saving a copy for the next time …",
    "data.stage_preparing": "Preparing the data set (first-contact resolution flags) …",
    "data.stage_done": "Loaded.",
    "data.in_use": "In use: **{name}** · {rows} rows · {kind}",
    "data.sample_in_use": "In use: the bundled sample (synthetic calls). Upload your own export to replace it.",
    "data.encoding": "Encoding",
    "data.kind": "Kind",
    "data.rows": "Rows loaded",
    "data.span": "Date span",
    "data.not_applicable": "n/a",
    "data.mapping_title": "Column mapping",
    "data.mapping_help": (
        "One row per column of your file: a few of its values, and the canonical field it "
        "feeds. Change a field in the last column, then press Apply mapping."
    ),
    "data.col_source": "Column in your file",
    "data.col_preview": "Sample values",
    "data.col_canonical": "Maps to",
    "data.not_mapped": "— not used —",
    "data.apply": "Apply mapping",
    "data.mapping_applied": "Mapping applied.",
    "data.sheet": "Sheet",
    "data.sheet_help": "The workbook has several sheets; the calls are read from the one chosen here.",
    "data.sheet_loaded": "Sheet “{sheet}” loaded.",
    "data.sheet_offer": "Choose the sheet to read and load it.",
    "data.load_sheet": "Load this sheet",
    "data.mapping_duplicate": "{field} is fed by more than one column ({columns}); keep one.",
    "data.save_mapping": "Save mapping (JSON)",
    "data.load_mapping": "Load a saved mapping (JSON)",
    "data.mapping_invalid": "That mapping file could not be read: {reason}",
    "data.mapping_loaded": "Mapping loaded from {name}.",
    "data.problems_title": "Load report",
    "data.problems_summary": "{rows} rows loaded · findings: {issues}",
    "data.no_problems": "No problems found.",
    "data.rows_equation": "Rows in the file: {file_rows} = {loaded} loaded + {dropped} left out{reasons}.",
    "data.rows_equation_reasons": " (by reason: {reasons})",
    "data.rows_equation_unknown": "Rows loaded: {loaded}; the number of rows in the file is not known for this data set.",
    "data.check_title": "Check the mapping first",
    "data.fix.map_date_and_time": "Likely fix: map the arrival time to a date column and a time column (arrived_at = [date, time]) or to a date-time column.",
    "data.fix.combine_call_id": "Likely fix: the call id repeats; map it together with the column that makes it unique (e.g. call_id = [line, id]).",
    "data.fix.map_arrival_time": "Likely fix: map the arrival time to a column that is filled on every row.",
    "data.fix.set_datetime_format": "Likely fix: check the arrival time column, or set the option datetime_format.",
    "data.fix.map_outcome": "Likely fix: map an answered/abandoned flag or an outcome column.",
    "data.fix.check_delimiter": "Likely fix: the file's rows do not have the header's number of fields; check the export settings (delimiter, quoting).",
    "data.fix.expected_phantoms": "Phantom and test calls are left out by design; nothing to change if that many are expected.",
    "data.fix.expected_outbound": "Outbound calls are left out by design; nothing to change if the file mixes inbound and outbound calls.",
    "data.fix.check_mapping": "Likely fix: check the mapping of the columns named in the reasons below.",
    "data.drop_reason.malformed_row": "malformed rows",
    "data.drop_reason.outbound_call": "outbound calls",
    "data.drop_reason.phantom_call": "phantom/test calls",
    "data.drop_reason.missing_datetime": "no date/time",
    "data.drop_reason.unparseable_datetime": "unreadable date/time",
    "data.drop_reason.duplicate_call_id": "repeated call ids",
    "data.drop_reason.neither_answered_nor_abandoned": "neither answered nor abandoned",
    "data.problem_level": "Level",
    "data.problem_column": "Column",
    "data.problem_rows": "Rows",
    "data.problem_message": "What happened",
    "level.error": "Error",
    "level.warning": "Warning",
    "level.info": "Note",
    "data.download_title": "Download the canonical data",
    "data.download_csv": "CSV (UTF-8 with BOM, opens in Excel)",
    "data.download_parquet": "Parquet",
    "data.load_error": "The file could not be loaded: {reason}",
    "data.unexpected_error": "The file could not be read ({error}). Check that it is a CSV, TSV, Excel or Parquet export.",
    "data.sample_files": "Sample files to try",
    "data.sample_files_help": "Download one of these and upload it above to see how the loader handles it.",
    # --- canonical fields (mapping targets) ------------------------------------------
    "field.call_id": "call id",
    "field.arrived_at": "arrival time",
    "field.queue": "queue",
    "field.category": "category (call reason)",
    "field.segment": "customer segment",
    "field.team": "team",
    "field.agent": "agent",
    "field.customer_id": "customer id",
    "field.channel": "channel",
    "field.wait_s": "wait (seconds)",
    "field.answered": "answered (yes/no)",
    "field.abandoned": "abandoned (yes/no)",
    "field.ivr_s": "IVR time (seconds)",
    "field.ivr_contained": "contained in IVR (yes/no)",
    "field.talk_s": "talk time (seconds)",
    "field.hold_s": "hold time (seconds)",
    "field.acw_s": "after-call work (seconds)",
    "field.transferred": "transferred (yes/no)",
    "field.resolved": "resolved (yes/no)",
    "field.csat": "CSAT rating (1–5)",
    "field.qa_score": "QA score (0–100)",
    "field.cost": "cost",
    "field.interval_start": "interval start",
    "field.interval_minutes": "interval length (minutes)",
    "field.offered": "offered calls",
    "field.short_abandoned": "short abandons",
    "field.answered_in_sl": "answered within threshold",
    "field.abandoned_in_sl": "abandoned within threshold",
    "field.wait_s_sum": "total wait of answered calls (s)",
    "field.abandon_wait_s_sum": "total wait of abandoned calls (s)",
    "field.talk_s_sum": "total talk time (s)",
    "field.hold_s_sum": "total hold time (s)",
    "field.acw_s_sum": "total after-call work (s)",
    "field.handle_s_sum": "total handle time (s)",
    "field.staffed_agents": "staffed agents",
    "field.scheduled_agents": "scheduled agents",
    "field.forecast_offered": "forecast calls",
    "field.forecast_aht_s": "forecast AHT (s)",
    "field.reported_service_level": "reported service level",
    "field.fcr_resolved": "resolved first contacts (count)",
    "field.csat_sum": "sum of CSAT ratings",
    "field.qa_sum": "sum of QA scores",
    # --- loader errors (ccmetrics.io.LoadError codes) ------------------------------
    "error.file_not_found": "{file} was not found.",
    "error.empty_file": "{file} is empty. Needed: a header row and at least one data row.",
    "error.not_a_table": "{file} is not a table. Needed: a CSV, TSV, Excel or Parquet export (one table per upload).",
    "error.unreadable_file": "{file} is damaged or in a format the loader does not read.",
    "error.bad_sheet": "{file} has no sheet {sheet}. Sheets found: {sheets}.",
    "error.no_data_rows": "{file} has a header row but no data rows. Columns found: {columns}.",
    "error.no_time_column": (
        "{file} has no column the loader recognises as a time. Columns found: {columns}. "
        "Needed: the arrival time of each call (or the start of each interval); map it on the Data page."
    ),
    "error.missing_required_column": "{file} has no column for {key}, which is required. Columns found: {columns}.",
    "error.mapped_column_missing": "The mapping names the column “{column}” for {key}, but {file} has no such column. Columns found: {columns}.",
    "error.unknown_mapping_key": "The mapping uses a field the loader does not know: {keys}.",
    "error.day_index_needs_start": "“{column}” in {file} looks like a running day number; the loader needs the date of day 1 (option day_index_start).",
    "error.all_datetimes_unparseable": "No value of “{column}” in {file} could be read as a date/time (e.g. {sample}).",
    "error.bad_mapping_file": "{file} is not a mapping saved by this app (a JSON object of column names).",
    "error.encoding_failed": "{file} cannot be read as {encoding}.",
    # --- driver file errors (ccmetrics.forecast.DriverFileError codes) -----------------
    "error.drivers_unreadable": (
        "{file} cannot be read as a driver file. Needed: a CSV table (UTF-8 or GBK) with a "
        "header row, a date column and one column per driver, one row per day."
    ),
    "error.drivers_not_found": "The driver file {file} was not found.",
    "error.drivers_too_large": (
        "The driver file {file} is larger than {limit} bytes; a daily driver file is a few "
        "kilobytes."
    ),
    "error.drivers_empty": "{file} has no data rows. Needed: one row per day under a header row.",
    "error.drivers_no_driver_column": (
        "{file} has only the date column “{column}”. Needed: at least one driver column "
        "beside it (e.g. rain, campaign)."
    ),
    "error.drivers_bad_dates": (
        "Values that are not dates in the date column “{column}” of {file}: {count} (rows "
        "{rows}: {examples}). Needed: a date with its year on every row, e.g. 2025-03-01."
    ),
    "error.drivers_duplicate_dates": (
        "Dates on more than one row in the column “{column}” of {file}: {count} (rows "
        "{rows}: {examples}). Needed: one row per day."
    ),
    # --- loader problems (LoadResult.problems codes) ---------------------------------
    "problem.sample_rows": " (e.g. rows {rows})",
    "problem.skipped_preamble": "Lines above the header row were skipped.",
    "problem.malformed_row": "Rows with a wrong number of fields were skipped.",
    "problem.unmapped_columns": "Columns not used: {columns}.",
    "problem.outbound_call": "Outbound calls were left out.",
    "problem.phantom_call": "Phantom and test calls were left out.",
    "problem.missing_datetime": "Rows without a date/time were left out.",
    "problem.unparseable_datetime": "Rows whose {column} could not be read were left out.",
    "problem.ambiguous_date_format": "Dates fit both day-first and month-first; read as {format}. Check a few dates.",
    "problem.timezone_dropped": "Times with a time zone were converted to local time without zone.",
    "problem.time_after_midnight": "Queue entries after midnight were moved to the next day.",
    "problem.generated_call_id": "The file has no call id: ids were generated.",
    "problem.missing_call_id": "Blank call ids were replaced by generated ids.",
    "problem.duplicate_call_id": "Repeated call ids: the first row of each id was kept, later rows left out.",
    "problem.negative_duration": "Negative values of {column} were set missing.",
    "problem.unparseable_number": "Values of {column} that are not numbers were set missing.",
    "problem.out_of_range": "Values of {column} outside the valid range were set missing.",
    "problem.unparseable_boolean": "Values of {column} that are not yes/no were set missing.",
    "problem.blank_as_false": "{column} has no “no” values: blanks were read as “no”.",
    "problem.unknown_outcome": "Outcome values not recognised: these calls count as neither answered nor abandoned.",
    "problem.neither_answered_nor_abandoned": "Calls neither answered nor abandoned were left out.",
    "problem.answered_and_abandoned": "Calls flagged both answered and abandoned were kept as answered.",
    "problem.derived_answered": "{column} was derived from another column.",
    "problem.abandoned_zero_wait": "Abandoned calls with a wait of 0 s: the KPIs count them as short abandons.",
    "problem.missing_wait": "Calls without a wait time were kept (wait unknown).",
    "problem.answered_without_agent": "Answered calls with no agent.",
    "problem.answered_zero_talk": "Answered calls with a talk time of 0 s.",
    "problem.derived_offered": "Offered calls were computed as answered + abandoned.",
    "problem.plan_only": "The file holds a plan only (forecast or schedule, no offered, answered or abandoned calls): KPIs of actual calls are missing; the Staffing page can use it as the plan.",
    "problem.derived_sum": "{column} was computed as average × count.",
    "problem.derived_handle": "Total handle time was computed as talk + hold + after-call work.",
    "problem.derived_staffed_agents": "Staffed agents were computed from staffed seconds ÷ interval length.",
    "problem.inferred_interval_minutes": "The interval length was inferred from the spacing of the intervals.",
    "problem.inconsistent_counts": "Answered + abandoned is larger than offered (kept as given).",
    "problem.ignored_datetime": "Values of {column} that could not be read as a date/time were ignored; the calls were kept.",
    "problem.midnight_as_missing": "00:00:00 in {source} means “did not happen” in this export: read as missing, not as midnight.",
    "problem.composite_call_id": "The call id {source} repeats with different data; together with {partner} it is unique, so the call id is {partner} + {source}.",
    "problem.call_id_not_unique": "The call id {source} repeats with different data and no line, trunk, VRU or date column makes it unique: it is not used as the call id; ids were generated.",
    "problem.single_time_of_day": "Every call arrives at {time} ({source}): the arrival time has no time of day, so no interval analysis is possible.",
    "problem.many_rows_dropped": "{count:,} of {file_rows:,} rows ({share:.1%}) were left out; the reasons are listed below.",
    # --- extra mapping keys the loader understands --------------------------------------
    "field.arrival_date": "arrival date",
    "field.arrival_time": "arrival time of day",
    "field.queued_at": "queue entry time",
    "field.answered_at": "answer time",
    "field.outcome": "call outcome (answered/abandoned)",
    "field.direction": "direction (inbound/outbound)",
    "field.interval_date": "interval date",
    "field.interval_time": "interval time of day",
    "field.day_index": "day number",
    "field.staffed_s": "staffed seconds",
    "field.asa_s": "ASA (s)",
    "field.avg_talk_s": "average talk time (s)",
    "field.avg_hold_s": "average hold time (s)",
    "field.avg_acw_s": "average after-call work (s)",
    "field.aht_s": "AHT (s)",
    "field.avg_abandon_wait_s": "average wait before abandoning (s)",
}

ZH: dict[str, str] = {
    # --- app shell ---------------------------------------------------------
    "app.title": "ccmetrics · 呼叫中心运营分析",
    "nav.overview": "总览",
    "nav.control_charts": "控制图",
    "nav.drilldown": "根因下钻",
    "nav.teams": "团队对比",
    "nav.staffing": "人力排班",
    "nav.report": "报告",
    "nav.data": "数据",
    # --- sidebar -----------------------------------------------------------
    "sidebar.language": "Language · 语言",
    "sidebar.dataset": "数据集",
    "sidebar.dataset_sample": "内置示例数据",
    "sidebar.dataset_summary": "{rows} 行（{kind}）· {start} 至 {end}",
    "sidebar.use_sample": "改回示例数据",
    "sidebar.range_whole": "日期范围为全部数据（{days} 天）。",
    "sidebar.range_recent": "数据共 {total} 天：日期范围先显示最近 {days} 天，可在上方放宽。",
    "link.other_data": (
        "此链接展示的是 **{name}**（内容 {digest}），本会话尚未载入该文件。"
        "上传该文件即可打开链接中的视图：在此之前，其日期、技能组、指标口径和下钻路径都会保留。"
    ),
    "link.upload": "上传 {name}",
    "link.use_sample": "改为打开内置示例数据",
    "link.restored": "已在 **{name}** 上恢复链接中的视图。",
    "link.restored_other": (
        "**{name}** 不是生成链接时所用的文件（内容不同）：仍按链接中的视图显示，"
        "因此数字可能与分享时不同。"
    ),
    "sidebar.filters": "筛选",
    "sidebar.date_range": "日期范围",
    "sidebar.date_range_help": "含首尾两天。指标卡将本范围与紧邻其前、等长的时间段比较。",
    "sidebar.queue": "技能组",
    "sidebar.queue_placeholder": "全部技能组",
    "sidebar.settings": "指标口径",
    "sidebar.sl_threshold": "服务水平时限（秒）",
    "sidebar.sl_threshold_help": "在此秒数内接通的来电计为达到服务水平。",
    "sidebar.short_abandon": "短时放弃阈值（秒）",
    "sidebar.short_abandon_help": "在此秒数内挂断的来电为短时放弃：不计入放弃率，默认也不计入服务水平。",
    "sidebar.sl_formula": "服务水平计算口径",
    "sidebar.sl_formula_help": (
        "各平台的服务水平口径不同，请选择与贵司报表一致的口径。A_T = 时限 T 内接通量，B_T = 时限 T 内放弃量：\n\n"
        "- 排除短时放弃：A_T ÷ (呼入量 − 短时放弃量)\n"
        "- 仅计接通来电：A_T ÷ 接通量\n"
        "- 忽略时限内放弃：A_T ÷ (呼入量 − B_T)\n"
        "- 时限内放弃视为达标：(A_T + B_T) ÷ 呼入量\n"
        "- 全部呼入来电：A_T ÷ 呼入量"
    ),
    "sidebar.sl_target": "服务水平目标（%）",
    "sidebar.sl_target_help": "在图表中以目标线显示。",
    "formula.offered_excl_short": "排除短时放弃（默认）",
    "formula.answered": "仅计接通来电",
    "formula.abandons_ignored": "忽略时限内放弃",
    "formula.abandons_good": "时限内放弃视为达标",
    "formula.offered": "全部呼入来电",
    "formula_expr.offered_excl_short": "A_T ÷ (呼入量 − 短时放弃量)",
    "formula_expr.answered": "A_T ÷ 接通量",
    "formula_expr.abandons_ignored": "A_T ÷ (呼入量 − B_T)",
    "formula_expr.abandons_good": "(A_T + B_T) ÷ 呼入量",
    "formula_expr.offered": "A_T ÷ 呼入量",
    "kind.calls": "逐通话记录",
    "kind.intervals": "时段汇总报表",
    # --- KPI names -----------------------------------------------------------
    "kpi.offered": "呼入量",
    "kpi.answered": "接通量",
    "kpi.abandoned": "放弃量",
    "kpi.short_abandoned": "短时放弃量",
    "kpi.answered_in_sl": "时限内接通量",
    "kpi.service_level": "服务水平",
    "kpi.abandon_rate": "放弃率",
    "kpi.answer_rate": "接通率",
    "kpi.asa_s": "平均应答速度",
    "kpi.avg_abandon_wait_s": "放弃前平均等待时长",
    "kpi.aht_s": "平均处理时长",
    "kpi.talk_s": "平均通话时长",
    "kpi.hold_s": "平均保持时长",
    "kpi.acw_s": "平均话后处理时长",
    "kpi.transfer_rate": "转接率",
    "kpi.fcr_rate": "首次解决率",
    "kpi.csat_mean": "满意度（平均分）",
    "kpi.csat_top2box": "满意率（4–5 分占比）",
    "kpi.csat_n": "评价量",
    "kpi.qa_mean": "质检得分",
    "kpi.qa_n": "质检量",
    "kpi.occupancy": "占用率",
    "kpi.ivr_containment": "IVR 自助解决率",
    "kpi.sl_base": "服务水平计算基数",
    "kpi.abandon_base": "放弃率计算基数",
    "kpi.abandon_wait_n": "有等待时长的放弃量",
    "kpi.wait_n": "有等待时长的接通量",
    "kpi.handle_n": "处理量",
    "kpi.transfer_n": "有转接标记的接通量",
    "kpi.fcr_n": "首次解决率计算基数",
    "kpi.ivr_n": "有 IVR 数据的来电量",
    "kpi.staffed_hours": "在岗工时",
    "tile.offered": "呼入量",
    "tile.answer_rate": "接通率",
    "tile.service_level": "服务水平",
    "tile.abandon_rate": "放弃率",
    "tile.asa_s": "平均应答速度",
    "tile.aht_s": "平均处理时长",
    "tile.transfer_rate": "转接率",
    "tile.fcr_rate": "首次解决率",
    "tile.csat_mean": "满意度",
    "tile.qa_mean": "质检得分",
    "kpi_help.offered": "本期进入队列的来电数。",
    "kpi_help.answer_rate": "接通量 ÷ 呼入量。",
    "kpi_help.service_level": "在 {threshold} 秒内接通的来电占比（口径：{formula}）。",
    "kpi_help.abandon_rate": "(放弃量 − 短时放弃量) ÷ (呼入量 − 短时放弃量)；短时放弃 = {short} 秒内挂断。",
    "kpi_help.asa_s": "已接通来电的平均等待秒数。",
    "kpi_help.aht_s": "已接通来电的平均（通话 + 保持 + 话后处理）时长。{split}",
    "kpi_help.transfer_rate": "转接量 ÷ 接通量。",
    "kpi_help.fcr_rate": "已知客户的接通来电中，{window} 小时内该客户未再来电的占比（或采用平台的已解决标记）。",
    "kpi_help.csat_mean": "有评价来电的平均评分（1–5 分）；满意率（4–5 分占比）{top2}。",
    "kpi_help.qa_mean": "被质检来电的平均质检得分（0–100 分）。",
    "tile.n": "样本量 n = {n}",
    "aht.split": "通话 {talk} · 保持 {hold} · 话后处理 {acw}。",
    # --- units ---------------------------------------------------------------
    "unit.seconds": "{value} 秒",
    "unit.points": "{value} 个百分点",
    "unit.missing": "–",
    "weekday.0": _WEEKDAYS_ZH[0],
    "weekday.1": _WEEKDAYS_ZH[1],
    "weekday.2": _WEEKDAYS_ZH[2],
    "weekday.3": _WEEKDAYS_ZH[3],
    "weekday.4": _WEEKDAYS_ZH[4],
    "weekday.5": _WEEKDAYS_ZH[5],
    "weekday.6": _WEEKDAYS_ZH[6],
    # --- dimensions --------------------------------------------------------------
    "dim.queue": "技能组",
    "dim.category": "业务类型",
    "dim.segment": "客户分群",
    "dim.team": "班组",
    "dim.agent": "坐席",
    "dim.channel": "渠道",
    "dim.missing": "（空白）",
    # --- Overview ------------------------------------------------------------------
    "overview.title": "总览",
    "overview.window": "{start} 至 {end}（{days} 天）· 技能组：{queues}",
    "overview.all_queues": "全部",
    "overview.no_data": "所选日期范围和技能组内没有来电。请在侧边栏放宽筛选条件。",
    "overview.hidden_title": "未显示的指标（{count} 项）",
    "overview.hidden_intro": "数据中缺少计算以下指标所需的字段。在「数据」页映射下列任一字段即可显示：",
    "overview.hidden_item": "**{kpi}**：{columns}",
    "overview.or": " 或 ",
    "overview.compared_with": "变化均与紧邻其前、等长的 {start} 至 {end} 比较。",
    "overview.no_previous": "未显示变化：数据未覆盖本范围之前一个完整的等长时间段。",
    "header.percent": "{name}(%)",
    "header.seconds": "{name}（秒）",
    "header.answered": "接通量",
    "header.occupancy": "占用率",
    # 表格中最宽几列的简称（指标卡仍用全称），使 1440 像素宽的页面放得下整张表
    "header.short.asa_s": "平均应答",
    "header.short.aht_s": "平均处理",
    "header.short.fcr_rate": "首解率",
    "report.col_kpi": "指标",
    "report.col_current": "本期",
    "report.col_previous": "上期",
    "report.col_change": "变化",
    "report.col_n": "样本量",
    "overview.trend_title": "每日呼入量与服务水平",
    "overview.trend_hint": "点击某一天即可进入该日的根因下钻。",
    "overview.open_day": "或选择一天进入根因下钻",
    "overview.open_day_button": "打开该日",
    "overview.target": "目标 {target}",
    "overview.heatmap_title": "来电高峰与服务短板出现在何时",
    "overview.heatmap_volume": "按星期与半小时统计的日均呼入量",
    "overview.heatmap_sl": "按星期与半小时统计的服务水平",
    "overview.breakdown_title": "分项明细",
    "overview.breakdown_by": "分组维度",
    "overview.breakdown_help": "点击列标题可排序。",
    "overview.download_csv": "下载 CSV",
    # --- chart axes ----------------------------------------------------------------
    "axis.day": "日期",
    "axis.offered": "呼入量",
    "axis.service_level": "服务水平",
    "axis.weekday": "星期",
    "axis.slot": "时段",
    "axis.offered_per_day": "日均呼入量",
    # --- Drill-down: the KPIs of one day by hour ----------------------------------
    "drill.day": "日期",
    "drill.by_hour": "{day} 各小时指标",
    # --- Data page ---------------------------------------------------------------------
    "data.title": "数据",
    "data.intro": "上传逐通话导出文件或时段汇总报表。系统会自动识别各列含义，请核对下方的字段映射，必要时修改。",
    "data.upload": "上传导出文件",
    "data.upload_help": "支持 CSV、TSV、Excel、Parquet，最大 1 GB；自动识别 UTF-8、GBK/GB18030、UTF-16 等编码。",
    "data.loading": "正在读取 {name} …",
    "data.stage_cached": "正在查找该文件已保存的副本 …",
    "data.stage_reading": "正在读取文件 …",
    "data.stage_parsing": "正在解析各列 …",
    "data.stage_building": "正在生成通话明细表（检查数值）…",
    "data.stage_saving": "正在保存副本，下次载入更快 …",
    "data.stage_preparing": "正在准备数据（首次解决标记）…",
    "data.stage_done": "载入完成。",
    "data.in_use": "当前数据：**{name}** · {rows} 行 · {kind}",
    "data.sample_in_use": "当前数据：内置示例（模拟来电）。上传您自己的导出文件即可替换。",
    "data.encoding": "编码",
    "data.kind": "数据类型",
    "data.rows": "载入行数",
    "data.span": "时间跨度",
    "data.not_applicable": "不适用",
    "data.mapping_title": "字段映射",
    "data.mapping_help": "文件中的每一列占一行：显示该列的部分取值及其对应的标准字段。修改最后一列后，点击「应用映射」。",
    "data.col_source": "文件中的列",
    "data.col_preview": "示例值",
    "data.col_canonical": "对应标准字段",
    "data.not_mapped": "— 不使用 —",
    "data.apply": "应用映射",
    "data.mapping_applied": "已应用映射。",
    "data.sheet": "工作表",
    "data.sheet_help": "该工作簿有多个工作表；通话数据从此处所选的工作表读取。",
    "data.sheet_loaded": "已载入工作表“{sheet}”。",
    "data.sheet_offer": "请选择要读取的工作表并载入。",
    "data.load_sheet": "载入此工作表",
    "data.mapping_duplicate": "「{field}」同时由多列提供（{columns}），请只保留一列。",
    "data.save_mapping": "保存映射（JSON）",
    "data.load_mapping": "载入已保存的映射（JSON）",
    "data.mapping_invalid": "无法读取该映射文件：{reason}",
    "data.mapping_loaded": "已从 {name} 载入映射。",
    "data.problems_title": "载入报告",
    "data.problems_summary": "共载入 {rows} 行 · 提示：{issues} 条",
    "data.no_problems": "未发现问题。",
    "data.rows_equation": "文件行数：{file_rows} = 载入 {loaded} 行 + 剔除 {dropped} 行{reasons}。",
    "data.rows_equation_reasons": "（按原因：{reasons}）",
    "data.rows_equation_unknown": "载入 {loaded} 行；该数据集的文件行数未知。",
    "data.check_title": "请先检查列映射",
    "data.fix.map_date_and_time": "可能的修正：将到达时间映射为日期列加时刻列（arrived_at = [日期, 时刻]），或映射为日期时间列。",
    "data.fix.combine_call_id": "可能的修正：通话编号有重复；请与能使其唯一的列一起映射（例如 call_id = [线路, 编号]）。",
    "data.fix.map_arrival_time": "可能的修正：将到达时间映射到每行都有值的列。",
    "data.fix.set_datetime_format": "可能的修正：检查到达时间列，或设置选项 datetime_format。",
    "data.fix.map_outcome": "可能的修正：映射“是否接通/放弃”标志列或通话结果列。",
    "data.fix.check_delimiter": "可能的修正：文件各行的字段数与表头不符；请检查导出设置（分隔符、引号）。",
    "data.fix.expected_phantoms": "虚拟呼叫和测试呼叫按设计剔除；如预期有这么多，无需修改。",
    "data.fix.expected_outbound": "外呼按设计剔除；如文件混有呼入和外呼，无需修改。",
    "data.fix.check_mapping": "可能的修正：检查下表原因中所列列的映射。",
    "data.drop_reason.malformed_row": "格式错误的行",
    "data.drop_reason.outbound_call": "外呼",
    "data.drop_reason.phantom_call": "虚拟/测试呼叫",
    "data.drop_reason.missing_datetime": "缺少日期时间",
    "data.drop_reason.unparseable_datetime": "日期时间无法识别",
    "data.drop_reason.duplicate_call_id": "通话编号重复",
    "data.drop_reason.neither_answered_nor_abandoned": "既未接通也未放弃",
    "data.problem_level": "级别",
    "data.problem_column": "字段",
    "data.problem_rows": "行数",
    "data.problem_message": "说明",
    "level.error": "错误",
    "level.warning": "警告",
    "level.info": "提示",
    "data.download_title": "下载标准化数据",
    "data.download_csv": "CSV（带 BOM 的 UTF-8，可直接用 Excel 打开）",
    "data.download_parquet": "Parquet",
    "data.load_error": "无法载入该文件：{reason}",
    "data.unexpected_error": "无法读取该文件（{error}）。请确认它是 CSV、TSV、Excel 或 Parquet 导出文件。",
    "data.sample_files": "可供试用的示例文件",
    "data.sample_files_help": "下载其中一个文件并在上方上传，即可查看载入效果。",
    # --- canonical fields ---------------------------------------------------------------
    "field.call_id": "通话编号",
    "field.arrived_at": "来电时间",
    "field.queue": "技能组",
    "field.category": "业务类型（来电原因）",
    "field.segment": "客户分群",
    "field.team": "班组",
    "field.agent": "坐席",
    "field.customer_id": "客户编号",
    "field.channel": "渠道",
    "field.wait_s": "等待时长（秒）",
    "field.answered": "是否接通",
    "field.abandoned": "是否放弃",
    "field.ivr_s": "IVR 时长（秒）",
    "field.ivr_contained": "是否在 IVR 内自助解决",
    "field.talk_s": "通话时长（秒）",
    "field.hold_s": "保持时长（秒）",
    "field.acw_s": "话后处理时长（秒）",
    "field.transferred": "是否转接",
    "field.resolved": "是否解决",
    "field.csat": "满意度评分（1–5）",
    "field.qa_score": "质检得分（0–100）",
    "field.cost": "成本",
    "field.interval_start": "时段开始时间",
    "field.interval_minutes": "时段长度（分钟）",
    "field.offered": "呼入量",
    "field.short_abandoned": "短时放弃量",
    "field.answered_in_sl": "时限内接通量",
    "field.abandoned_in_sl": "时限内放弃量",
    "field.wait_s_sum": "接通来电总等待时长（秒）",
    "field.abandon_wait_s_sum": "放弃来电总等待时长（秒）",
    "field.talk_s_sum": "总通话时长（秒）",
    "field.hold_s_sum": "总保持时长（秒）",
    "field.acw_s_sum": "总话后处理时长（秒）",
    "field.handle_s_sum": "总处理时长（秒）",
    "field.staffed_agents": "在岗坐席数",
    "field.scheduled_agents": "排班坐席数",
    "field.forecast_offered": "预测呼入量",
    "field.forecast_aht_s": "预测平均处理时长（秒）",
    "field.reported_service_level": "报表中的服务水平",
    "field.fcr_resolved": "首次解决量",
    "field.csat_sum": "满意度评分合计",
    "field.qa_sum": "质检得分合计",
    # --- 载入错误 -----------------------------------------------------------------------
    "error.file_not_found": "找不到文件 {file}。",
    "error.empty_file": "{file} 是空文件。需要一行表头和至少一行数据。",
    "error.not_a_table": "{file} 不是表格文件。需要 CSV、TSV、Excel 或 Parquet 导出文件（每次上传一个表格）。",
    "error.unreadable_file": "{file} 已损坏，或是无法读取的格式。",
    "error.bad_sheet": "{file} 中没有工作表 {sheet}。现有工作表：{sheets}。",
    "error.no_data_rows": "{file} 只有表头，没有数据行。现有列：{columns}。",
    "error.no_time_column": "{file} 中没有可识别的时间列。现有列：{columns}。需要每通来电的来电时间（或每个时段的开始时间），可在「数据」页手动映射。",
    "error.missing_required_column": "{file} 缺少必需的字段「{key}」。现有列：{columns}。",
    "error.mapped_column_missing": "映射为「{key}」指定了列“{column}”，但 {file} 中没有该列。现有列：{columns}。",
    "error.unknown_mapping_key": "映射中使用了系统不认识的字段：{keys}。",
    "error.day_index_needs_start": "{file} 中的“{column}”像是连续的天数编号，需要提供第 1 天对应的日期（选项 day_index_start）。",
    "error.all_datetimes_unparseable": "{file} 中“{column}”的所有值都无法识别为日期时间（例如 {sample}）。",
    "error.bad_mapping_file": "{file} 不是本应用保存的映射文件（应为列名组成的 JSON 对象）。",
    "error.encoding_failed": "无法以 {encoding} 编码读取 {file}。",
    # --- 外部因素文件错误 -------------------------------------------------------------
    "error.drivers_unreadable": (
        "无法将 {file} 读取为外部因素文件。需要：带表头的 CSV 表格（UTF-8 或 GBK 编码），"
        "含一列日期和每个因素一列，每天一行。"
    ),
    "error.drivers_not_found": "找不到外部因素文件 {file}。",
    "error.drivers_too_large": "外部因素文件 {file} 超过 {limit} 字节；每日外部因素文件通常只有几 KB。",
    "error.drivers_empty": "{file} 没有数据行。需要：表头下每天一行。",
    "error.drivers_no_driver_column": "{file} 只有日期列“{column}”。需要：日期列旁至少一列外部因素（如降雨、促销活动）。",
    "error.drivers_bad_dates": (
        "{file}：日期列“{column}”中有 {count} 个值不是日期（第 {rows} 行：{examples}）。"
        "需要：每行一个带年份的日期，例如 2025-03-01。"
    ),
    "error.drivers_duplicate_dates": (
        "{file}：列“{column}”中有 {count} 个日期重复出现在多行（第 {rows} 行：{examples}）。"
        "需要：每天一行。"
    ),
    # --- 载入提示 -----------------------------------------------------------------------
    "problem.sample_rows": "（例如第 {rows} 行）",
    "problem.skipped_preamble": "已跳过表头上方的若干行。",
    "problem.malformed_row": "字段数不符的行已跳过。",
    "problem.unmapped_columns": "未使用的列：{columns}。",
    "problem.outbound_call": "已剔除外呼记录。",
    "problem.phantom_call": "已剔除虚拟呼叫和测试呼叫。",
    "problem.missing_datetime": "缺少日期时间的行已剔除。",
    "problem.unparseable_datetime": "「{column}」无法识别的行已剔除。",
    "problem.ambiguous_date_format": "日期既可按“日在前”也可按“月在前”解读，已按 {format} 读取，请抽查几条日期。",
    "problem.timezone_dropped": "带时区的时间已转换为不带时区的本地时间。",
    "problem.time_after_midnight": "午夜后进入队列的记录已顺延到次日。",
    "problem.generated_call_id": "文件中没有通话编号，已自动生成。",
    "problem.missing_call_id": "空白的通话编号已用自动生成的编号代替。",
    "problem.duplicate_call_id": "通话编号重复：每个编号保留第一行，其余行已剔除。",
    "problem.negative_duration": "「{column}」的负值已置为缺失。",
    "problem.unparseable_number": "「{column}」中不是数字的值已置为缺失。",
    "problem.out_of_range": "「{column}」中超出有效范围的值已置为缺失。",
    "problem.unparseable_boolean": "「{column}」中无法识别为是/否的值已置为缺失。",
    "problem.blank_as_false": "「{column}」中没有“否”值：空白按“否”处理。",
    "problem.unknown_outcome": "无法识别的通话结果：这些来电既不计为接通，也不计为放弃。",
    "problem.neither_answered_nor_abandoned": "既未接通也未放弃的来电已剔除。",
    "problem.answered_and_abandoned": "同时标记为接通和放弃的来电按接通处理。",
    "problem.derived_answered": "「{column}」由其他列推算得到。",
    "problem.abandoned_zero_wait": "等待 0 秒即放弃的来电：指标中计为短时放弃。",
    "problem.missing_wait": "缺少等待时长的来电已保留（等待时长未知）。",
    "problem.answered_without_agent": "已接通但没有坐席信息的来电。",
    "problem.answered_zero_talk": "已接通但通话时长为 0 秒的来电。",
    "problem.derived_offered": "呼入量按接通量 + 放弃量计算。",
    "problem.plan_only": "该文件只有计划（预测或排班，没有呼入、接通或放弃量）：实际话务的指标缺失；「人力排班」页可将其用作计划。",
    "problem.derived_sum": "「{column}」按平均值 × 数量计算。",
    "problem.derived_handle": "总处理时长按通话 + 保持 + 话后处理计算。",
    "problem.derived_staffed_agents": "在岗坐席数按在岗秒数 ÷ 时段长度计算。",
    "problem.inferred_interval_minutes": "时段长度根据各时段的间隔推断。",
    "problem.inconsistent_counts": "接通量 + 放弃量大于呼入量（按原值保留）。",
    "problem.ignored_datetime": "「{column}」中无法识别为日期时间的值已忽略，来电保留。",
    "problem.midnight_as_missing": "在该导出文件中，「{source}」的 00:00:00 表示“未发生”：按缺失读取，而不是午夜。",
    "problem.composite_call_id": "通话编号「{source}」重复且其他数据不同；与「{partner}」组合后唯一，因此通话编号为「{partner}」+「{source}」。",
    "problem.call_id_not_unique": "通话编号「{source}」重复且其他数据不同，没有线路、中继、VRU 或日期列能使其唯一：不作为通话编号使用，已自动生成编号。",
    "problem.single_time_of_day": "所有来电的到达时刻都是 {time}（「{source}」）：到达时间没有时刻，无法按时段分析。",
    "problem.many_rows_dropped": "共 {file_rows:,} 行中有 {count:,} 行（{share:.1%}）被剔除，原因见下表。",
    # --- 其他映射字段 ---------------------------------------------------------------------
    "field.arrival_date": "来电日期",
    "field.arrival_time": "来电时刻",
    "field.queued_at": "进入队列时间",
    "field.answered_at": "接通时间",
    "field.outcome": "通话结果（接通/放弃）",
    "field.direction": "呼叫方向（呼入/呼出）",
    "field.interval_date": "时段日期",
    "field.interval_time": "时段时刻",
    "field.day_index": "天数编号",
    "field.staffed_s": "在岗秒数",
    "field.asa_s": "平均应答速度（秒）",
    "field.avg_talk_s": "平均通话时长（秒）",
    "field.avg_hold_s": "平均保持时长（秒）",
    "field.avg_acw_s": "平均话后处理时长（秒）",
    "field.aht_s": "平均处理时长（秒）",
    "field.avg_abandon_wait_s": "放弃前平均等待时长（秒）",
}


def _merge_page_strings() -> None:
    """Add each page's strings (ccmetrics/locales/<page>.py) to EN and ZH; a key may be defined once."""
    import importlib

    from ccmetrics.locales import PAGE_MODULES

    for name in PAGE_MODULES:
        module = importlib.import_module(f"ccmetrics.locales.{name}")
        for table, part in ((EN, module.EN), (ZH, module.ZH)):
            twice = sorted(set(table) & set(part))
            if twice:
                raise KeyError(f"ccmetrics/locales/{name}.py redefines {twice}")
            table.update(part)


_merge_page_strings()

#: Language code -> translation dict.
TRANSLATIONS: dict[str, dict[str, str]] = {"en": EN, "zh": ZH}


def has_key(key: str, lang: str = DEFAULT_LANGUAGE) -> bool:
    """Whether ``key`` is defined for ``lang``.

    Parameters
    ----------
    key : str
        A translation key, e.g. ``"kpi.service_level"``.
    lang : str, default "en"
        A code of :data:`LANGUAGES`.

    Returns
    -------
    bool

    Examples
    --------
    >>> has_key("kpi.service_level", "zh"), has_key("no.such.key")
    (True, False)
    """
    return key in TRANSLATIONS.get(lang, {})


def t(key: str, lang: str = DEFAULT_LANGUAGE, **params) -> str:
    """Translate ``key`` into ``lang`` and fill in ``{placeholders}``.

    Parameters
    ----------
    key : str
        A key of :data:`EN` / :data:`ZH`.
    lang : str, default "en"
        ``"en"`` or ``"zh"``; an unknown code falls back to English.
    **params
        Values for the placeholders of the template (``str.format`` syntax).

    Returns
    -------
    str
        The translated text.

    Raises
    ------
    KeyError
        When ``key`` is not in the table: a missing translation is a bug the
        tests must catch, not a string to show to a user.

    Examples
    --------
    >>> t("kpi.service_level", "zh")
    '服务水平'
    >>> t("overview.target", "en", target="80.0%")
    'Target 80.0%'
    """
    table = TRANSLATIONS.get(lang, EN)
    template = table[key]
    return template.format(**params) if params else template


def _is_missing(value) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def format_number(
    value, unit: str, lang: str = DEFAULT_LANGUAGE, *, decimals: int | None = None
) -> str:
    """Format a KPI value for display in ``lang``.

    Parameters
    ----------
    value : float or None
        The value; a fraction for ``unit == "percent"``.
    unit : {"percent", "seconds", "count", "score"}
        The KPI's unit (``ccmetrics.kpi.KPI_UNITS``).
    lang : str, default "en"
    decimals : int, optional
        Override the default decimals (percent 1, seconds 0, count 0, score 2).

    Returns
    -------
    str
        ``"81.8%"``, ``"68 s"`` / ``"68 秒"``, ``"5,000"``, ``"4.21"``; ``"–"``
        when the value is missing (a rate with n = 0 is missing, never 0). A value
        that rounds to zero reads ``"0.0%"``, never ``"-0.0%"``.

    Examples
    --------
    >>> format_number(0.8176, "percent"), format_number(67.52, "seconds", "zh")
    ('81.8%', '68 秒')
    >>> format_number(float("nan"), "percent")
    '–'
    """
    if _is_missing(value):
        return t("unit.missing", lang)
    value = float(value)
    if unit == "percent":
        places = 1 if decimals is None else decimals
        return f"{_signed_round(value * 100, places):.{places}f}%"
    if unit == "seconds":
        places = 0 if decimals is None else decimals
        return t("unit.seconds", lang, value=f"{_signed_round(value, places):,.{places}f}")
    places = (0 if unit == "count" else 2) if decimals is None else decimals
    return f"{_signed_round(value, places):,.{places}f}"


def format_change(
    change, unit: str, lang: str = DEFAULT_LANGUAGE, *, decimals: int | None = None
) -> str | None:
    """Format the change of a KPI against the previous period, with its sign.

    Parameters
    ----------
    change : float or None
        current − previous (a difference of fractions for percentages).
    unit : {"percent", "seconds", "count", "score"}
    lang : str, default "en"
    decimals : int, optional
        Override the default decimals (points 1, seconds 0, count 0, score 2).

    Returns
    -------
    str or None
        Percentages as percentage points with one decimal (``"+1.2 pp"`` /
        ``"+1.2 个百分点"``), seconds whole (``"-3 s"``), counts with
        thousands separators (``"+1,204"``), scores with two decimals; None
        when the change is missing (no previous period). A change that rounds
        to zero has no sign (``"0.0 pp"``, ``"0 s"``): it is no change, neither
        "+0.0" nor "-0.0" (:func:`format_signed`).

    Examples
    --------
    >>> format_change(0.0123, "percent"), format_change(-3.4, "seconds", "zh")
    ('+1.2 pp', '-3 秒')
    >>> format_change(-0.0004, "percent"), format_change(0.3, "seconds")
    ('0.0 pp', '0 s')
    """
    if _is_missing(change):
        return None
    change = float(change)
    if unit == "percent":
        places = 1 if decimals is None else decimals
        return t("unit.points", lang, value=format_signed(change * 100, places))
    if unit == "seconds":
        places = 0 if decimals is None else decimals
        return t("unit.seconds", lang, value=format_signed(change, places))
    places = (0 if unit == "count" else 2) if decimals is None else decimals
    return format_signed(change, places)


def format_signed(value: float, decimals: int = 0) -> str:
    """A number with its sign and thousands separators; no sign when it rounds to zero.

    Parameters
    ----------
    value : float
    decimals : int, default 0

    Returns
    -------
    str
        ``"+1,204"``, ``"-4.6"``; ``"0"`` / ``"0.0"`` when ``value`` rounds to
        zero at ``decimals`` (a change that small is no change: "+0.0" and "-0.0"
        would suggest a direction); "–" when missing.

    Examples
    --------
    >>> format_signed(1204.4), format_signed(-4.56, 1), format_signed(-0.04, 1), format_signed(0.4)
    ('+1,204', '-4.6', '0.0', '0')
    """
    if _is_missing(value):
        return "–"
    rounded = _signed_round(float(value), decimals)
    if rounded == 0:
        return f"{0:.{decimals}f}"
    return f"{rounded:+,.{decimals}f}"


def _signed_round(value: float, decimals: int) -> float:
    """Round and turn -0.0 into 0.0, so a change that rounds to zero reads "+0.0", not "-0.0"."""
    return round(value, decimals) + 0.0
