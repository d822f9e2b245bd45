"""Strings of the cost and quality KPIs and of the ACW-against-quality section (English and
Simplified Chinese); merged into ccmetrics.i18n.

The reading codes of :func:`ccmetrics.quality.acw_quality` (``quality.reading.*``) are
turned into sentences here; ``{quality}`` is the quality rate's name.
"""

EN: dict[str, str] = {
    # the KPIs and the n they rest on
    "kpi.cost_per_call": "Cost per call",
    "kpi.cost_per_minute": "Cost per minute",
    "kpi.complaint_rate": "Complaint rate",
    "kpi.error_rate": "Business error rate",
    "kpi.entry_completeness": "Entry completeness",
    "kpi.cost_n": "Calls with a cost",
    "kpi.cost_minutes": "Handle minutes of calls with a cost",
    "kpi.complaint_n": "Answered calls with a complaint flag",
    "kpi.error_n": "Answered calls with an error flag",
    "kpi.entry_n": "Answered calls with entry completeness",
    "tile.cost_per_call": "Cost per call",
    "tile.cost_per_minute": "Cost per minute",
    "tile.complaint_rate": "Complaint rate",
    "tile.error_rate": "Business error rate",
    "tile.entry_completeness": "Entry completeness",
    "kpi_help.cost_per_call": (
        "Total cost ÷ calls with a known cost (in the data's currency). With a cost per "
        "agent hour set: that rate × staffed hours ÷ answered calls."
    ),
    "kpi_help.cost_per_minute": (
        "Total cost ÷ handle minutes (talk + hold + ACW) of the calls with a cost. With a "
        "cost per agent hour set: that rate × staffed hours ÷ handle minutes."
    ),
    "kpi_help.complaint_rate": (
        "Complaints ÷ answered calls with a known complaint flag (or a complaint category)."
    ),
    "kpi_help.error_rate": "Business errors ÷ answered calls with a known error flag.",
    "kpi_help.entry_completeness": (
        "Share of the required after-call fields the agents filled, averaged over the "
        "answered calls that record it."
    ),
    # loader columns and problems
    "field.complaint": "complaint (yes/no)",
    "field.business_error": "business error (yes/no)",
    "field.entry_completeness": "entry completeness (share of required fields filled)",
    "field.evaluator": "QA evaluator",
    "problem.derived_complaint": (
        "The complaint flag was derived from {column}: calls of {categories} are complaints."
    ),
    # the section
    "quality.title": "Cost and quality",
    "quality.none": (
        "No cost or quality data: these KPIs need a cost, complaint, business-error or "
        "entry-completeness column."
    ),
    "quality.hidden": "Not in this data: {kpis}.",
    "quality.table_title": "Cost and quality by {dimension}",
    "quality.col_kpi": "KPI",
    "quality.col_current": "This period",
    "quality.col_previous": "Previous period",
    "quality.col_change": "Change",
    "quality.col_n": "n",
    "quality.acw_title": "After-call work against quality",
    "quality.acw_intro": (
        "Pressure on after-call work can degrade what agents enter in it. Each point is "
        "one {unit} with at least {min_calls} calls: mean ACW time against {quality}."
    ),
    "quality.pick": "Quality measure",
    "quality.axis_acw": "Mean ACW (s)",
    "quality.axis_calls": "Calls",
    "quality.stats": (
        "Pearson r = {r} ({level} interval {low} to {high}, p = {p}); Spearman ρ = {rho} "
        "({rho_low} to {rho_high}); {units} units."
    ),
    "quality.reading.shorter_acw_worse": (
        "Units with shorter after-call work have a worse {quality}: the warning shows in "
        "this data (a correlation, not proof of cause)."
    ),
    "quality.reading.shorter_acw_better": (
        "Units with shorter after-call work have a better {quality}: no sign that short "
        "ACW hurts it here."
    ),
    "quality.reading.no_evidence": (
        "No evidence that after-call work time and {quality} go together: the intervals "
        "include zero."
    ),
    "quality.reading.too_few_units": (
        "Too few units with enough calls to test whether after-call work time and "
        "{quality} go together (4 needed)."
    ),
    "quality.no_acw": "The ACW check needs ACW times and an error flag or entry completeness.",
}

ZH: dict[str, str] = {
    "kpi.cost_per_call": "单通成本",
    "kpi.cost_per_minute": "每分钟成本",
    "kpi.complaint_rate": "投诉率",
    "kpi.error_rate": "业务差错率",
    "kpi.entry_completeness": "工单填写完整率",
    "kpi.cost_n": "有成本数据的来电量",
    "kpi.cost_minutes": "有成本来电的处理分钟数",
    "kpi.complaint_n": "有投诉标记的接通量",
    "kpi.error_n": "有差错标记的接通量",
    "kpi.entry_n": "有工单完整度的接通量",
    "tile.cost_per_call": "单通成本",
    "tile.cost_per_minute": "每分钟成本",
    "tile.complaint_rate": "投诉率",
    "tile.error_rate": "业务差错率",
    "tile.entry_completeness": "工单填写完整率",
    "kpi_help.cost_per_call": (
        "总成本 ÷ 有成本数据的来电量（数据中的币种）。设置了每坐席小时成本时："
        "该费率 × 在岗小时数 ÷ 接通量。"
    ),
    "kpi_help.cost_per_minute": (
        "总成本 ÷ 这些来电的处理分钟数（通话 + 保持 + 话后处理）。设置了每坐席小时成本时："
        "该费率 × 在岗小时数 ÷ 处理分钟数。"
    ),
    "kpi_help.complaint_rate": "投诉量 ÷ 有投诉标记（或投诉类业务类型）的接通量。",
    "kpi_help.error_rate": "业务差错量 ÷ 有差错标记的接通量。",
    "kpi_help.entry_completeness": "坐席在话后处理中填写的必填字段占比，按有记录的接通来电平均。",
    "field.complaint": "投诉（是/否）",
    "field.business_error": "业务差错（是/否）",
    "field.entry_completeness": "工单填写完整率（必填字段填写占比）",
    "field.evaluator": "质检员",
    "problem.derived_complaint": "投诉标记由「{column}」推算：{categories} 类来电记为投诉。",
    "quality.title": "成本与质量",
    "quality.none": "没有成本或质量数据：这些指标需要成本、投诉、业务差错或工单完整率列。",
    "quality.hidden": "本数据中没有：{kpis}。",
    "quality.table_title": "按{dimension}的成本与质量",
    "quality.col_kpi": "指标",
    "quality.col_current": "本期",
    "quality.col_previous": "上期",
    "quality.col_change": "变化",
    "quality.col_n": "样本量",
    "quality.acw_title": "话后处理时长与质量",
    "quality.acw_intro": (
        "压缩话后处理时长可能降低坐席录入的质量。每个点是一个来电不少于 {min_calls} 通的"
        "{unit}：平均话后处理时长对{quality}。"
    ),
    "quality.pick": "质量指标",
    "quality.axis_acw": "平均话后处理时长（秒）",
    "quality.axis_calls": "来电量",
    "quality.stats": (
        "Pearson r = {r}（{level} 置信区间 {low} 至 {high}，p = {p}）；Spearman ρ = {rho}"
        "（{rho_low} 至 {rho_high}）；{units} 个单位。"
    ),
    "quality.reading.shorter_acw_worse": (
        "话后处理越短的单位，{quality}越差：本数据中可见这一风险（这是相关，不能证明因果）。"
    ),
    "quality.reading.shorter_acw_better": (
        "话后处理越短的单位，{quality}反而越好：本数据中看不出压缩话后处理有损质量。"
    ),
    "quality.reading.no_evidence": "没有证据表明话后处理时长与{quality}相关：置信区间包含零。",
    "quality.reading.too_few_units": (
        "来电量足够的单位太少，无法检验话后处理时长与{quality}是否相关（至少需要 4 个）。"
    ),
    "quality.no_acw": "话后处理检验需要话后处理时长，以及业务差错标记或工单完整率。",
}
