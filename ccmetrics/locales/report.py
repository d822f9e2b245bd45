"""Strings of the report page (English and Simplified Chinese); merged into ccmetrics.i18n.

The report's own text (headings, bullets, chart titles) lives in
``ccmetrics/locales/report_doc.py``; these are the page's controls. ``report.download_png``
is the label of the "download PNG" button under every chart of the app
(``pages.common.png_download``).
"""

EN: dict[str, str] = {
    "report.intro": (
        "Pick the findings of {start} – {end} ({days} days · queues: {queues}) to take to the "
        "meeting, add a note to each, then build the report: a one-page HTML file, a "
        "PowerPoint deck and the charts as PNG images."
    ),
    "report.no_data": (
        "No calls in the selected date range and queues: nothing to report. Widen the filters "
        "in the sidebar."
    ),
    "report.error": "The report could not be built for this selection: {reason}",
    "report.findings_title": "Findings of the period",
    "report.findings_help": (
        "What the control charts of service level, offered calls and AHT found, one line per "
        "story (a day, or a sustained shift from its first day), most severe first. Ticked at "
        "first: the {count} most severe beyond the control limits, what the report keeps when "
        "nobody chooses."
    ),
    "report.no_candidates": (
        "No control chart signalled in this period. The report will hold the headline KPIs, "
        "the control charts and the team comparison, without findings."
    ),
    "report.beyond_title": "Beyond the control limits",
    "report.runs_title": "Runs: days in a long run on one side of the centre line (weaker signals)",
    "report.selected": "{count} of {total} days go into the report.",
    "report.note_label": "Your note for {day}",
    "report.note_placeholder": "What happened, what was done about it, who follows up…",
    "report.change_title": "Improvement check",
    "report.change_date": "Change date (optional)",
    "report.change_help": (
        "The day a change took effect (a new script, more staff, a system fix). The report "
        "compares daily service level and AHT before this day with the days from it on, "
        "within the period."
    ),
    "report.sources_dataset": "Staffing: the staffed agents of the interval data in use.",
    "report.sources_plan": "Staffing: the plan {name} explains each finding's day.",
    "report.sources_drivers": "Drivers: {name}.",
    "report.drivers_error": "The driver file {name} is left out of the report.",
    "report.sources_none": (
        "No staffing data: findings are explained by the drill-down and the comparison of "
        "queues and teams (an interval export with staffed agents adds a staffing attribution)."
    ),
    "report.build_title": "Build and download",
    "report.build": "Build report",
    "report.building": "Building the report: KPIs, control charts, drill-downs, slides…",
    "report.build_hint": "Nothing is built until you press “Build report” (it takes a few seconds).",
    "report.stale": "The selection changed since the last build: press “Build report” again.",
    "report.built": "Built {when}: {findings} findings, {charts} charts.",
    "report.download_html": "HTML report",
    "report.download_pptx": "PowerPoint slides",
    "report.download_zip": "Chart images (PNG, zip)",
    "report.preview_title": "Preview",
    "report.preview_caption": "The HTML report as it downloads (scroll inside the frame).",
    "report.download_png": "Download PNG",
}

ZH: dict[str, str] = {
    "report.intro": (
        "勾选 {start} 至 {end}（{days} 天 · 技能组：{queues}）中要带到会上的发现，为每条发现写下备注，"
        "然后生成报告：一页 HTML 文件、一份 PowerPoint 幻灯片，以及 PNG 格式的图表图片。"
    ),
    "report.no_data": "所选日期范围和技能组内没有来电，无法生成报告。请在侧边栏放宽筛选条件。",
    "report.error": "无法按当前选择生成报告：{reason}",
    "report.findings_title": "本期发现",
    "report.findings_help": (
        "服务水平、来电量和平均处理时长的控制图发现的情况，每件事一行（某一天，或自首日起的一次持续偏移），"
        "按严重程度排序。默认勾选超出控制限最严重的 {count} 项，即不做选择时报告所包含的内容。"
    ),
    "report.no_candidates": "本期没有任何控制图发出信号。报告将包含核心指标、控制图和团队比较，但没有具体发现。",
    "report.beyond_title": "超出控制限",
    "report.runs_title": "连续偏离：多日连续位于中心线同一侧（较弱的信号）",
    "report.selected": "共 {total} 天，已选 {count} 天写入报告。",
    "report.note_label": "{day} 的备注",
    "report.note_placeholder": "发生了什么、采取了哪些措施、由谁跟进……",
    "report.change_title": "改进效果检验",
    "report.change_date": "变更日期（可选）",
    "report.change_help": "某项变更生效的日期（新话术、增加人手、系统修复等）。报告将在本期内比较该日之前与该日起的每日服务水平和平均处理时长。",
    "report.sources_dataset": "人力：使用当前时段数据中的在岗坐席数。",
    "report.sources_plan": "人力：用排班计划 {name} 解释每条发现当天的情况。",
    "report.sources_drivers": "外部因素：{name}。",
    "report.drivers_error": "外部因素文件 {name} 未纳入报告。",
    "report.sources_none": "没有人力数据：发现仅由下钻分析以及技能组和团队比较来解释（上传含在岗坐席数的时段报表即可增加人力归因）。",
    "report.build_title": "生成与下载",
    "report.build": "生成报告",
    "report.building": "正在生成报告：核心指标、控制图、下钻分析、幻灯片……",
    "report.build_hint": "点击「生成报告」后才会生成（需要几秒钟）。",
    "report.stale": "自上次生成以来选择已更改：请再次点击「生成报告」。",
    "report.built": "生成于 {when}：{findings} 条发现，{charts} 张图表。",
    "report.download_html": "HTML 报告",
    "report.download_pptx": "PowerPoint 幻灯片",
    "report.download_zip": "图表图片（PNG，zip 压缩包）",
    "report.preview_title": "预览",
    "report.preview_caption": "下载后的 HTML 报告即如下所示（可在框内滚动）。",
    "report.download_png": "下载 PNG 图片",
}
