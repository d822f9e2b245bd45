"""Strings of the staffing page (English and Simplified Chinese); merged into ccmetrics.i18n.

Also the words ``ccmetrics.staffing`` returns through its codes: the interval classes
(``staff.class.*``, ``staff.class_help.*``, read into ``staffing.INTERVAL_CLASSES`` /
``INTERVAL_CLASS_HELP``), the notes of ``staffing_inputs`` (``staff.input_note.*``) and
the pieces of the day's summary (``staff.summary_*``, put together by ``why_summary``).
"""

EN: dict[str, str] = {
    # sources
    "staff.intro": (
        "Was a bad day a staffing problem? The queueing model compares the agents on the "
        "phones with what the calls that came needed, and splits the service-level shortfall "
        "into volume, handle time, staffing and what the model does not explain."
    ),
    "staff.source": "Calls: {data} · Staffing plan: {plan}",
    "staff.plan_sample": "the bundled sample plan (intervals.csv)",
    "staff.plan_dataset": "the interval data in use",
    "staff.plan_upload": "{name} (uploaded on this page)",
    "staff.plan_none": "none, staffing estimated from the calls",
    "staff.estimate_warning": (
        "No staffing plan: the agents on the phones are **estimated** from the calls as busy "
        "agent-time ÷ an expected occupancy of {occupancy}. The model service level and the "
        "staffing effect rest on this estimate. Upload an interval export with staffed agents "
        "(under “Staffing plan and external drivers”) for measured staffing."
    ),
    "staff.scope_plan_no_queues": (
        "The staffing plan has no queue column: the comparison covers all queues together "
        "(the queue filter does not apply here)."
    ),
    "staff.scope_plan_other_queues": (
        "None of the plan's queues ({plan_queues}) is in the data ({data_queues}): check that "
        "the plan belongs to this data."
    ),
    # uploads
    "staff.inputs_title": "Staffing plan and external drivers",
    "staff.plan_upload_label": "Staffing plan or interval export",
    "staff.plan_upload_help": (
        "An interval file with offered calls and any of forecast_offered, forecast_aht_s, "
        "scheduled_agents, staffed_agents per queue and interval (e.g. the platform's "
        "interval report). It replaces the plan named above."
    ),
    "staff.plan_in_use": "Plan in use: {name} ({rows} rows).",
    "staff.plan_remove": "Stop using the uploaded plan",
    "staff.plan_error": "The plan could not be loaded: {reason}",
    "staff.plan_no_columns": (
        "{name} has none of the plan columns (forecast_offered, forecast_aht_s, "
        "scheduled_agents, staffed_agents): it cannot serve as a staffing plan."
    ),
    "staff.drivers_upload_label": "Daily driver file (CSV)",
    "staff.drivers_upload_help": (
        "One row per day: a date column and one column per driver, e.g. rain (yes/no), "
        "campaign (0/1), temperature."
    ),
    "staff.drivers_in_use": "Drivers in use: {name} ({columns}).",
    "staff.drivers_sample": "the bundled sample weather (weather.csv)",
    "staff.drivers_remove": "Stop using the uploaded drivers",
    "staff.drivers_error": "The driver file could not be read: {reason}",
    # the day
    "staff.day": "Day",
    "staff.day_title": "Was it staffing? {day}",
    "staff.model": "Queueing model",
    "staff.model_erlang_a": "Erlang A (callers may hang up)",
    "staff.model_erlang_c": "Erlang C (nobody hangs up)",
    "staff.model_help": (
        "Erlang A lets waiting callers hang up, with their mean patience estimated from the "
        "day's calls (abandons ÷ total waiting time); it stays realistic when a queue is "
        "overloaded. Erlang C assumes every caller waits until answered."
    ),
    "staff.no_calls_day": "No calls on {day} in the data in use: pick another day.",
    "staff.error": "The staffing analysis could not run on this data: {reason}",
    "staff.tile_measured": "Service level (measured)",
    "staff.tile_model": "Service level (model)",
    "staff.tile_model_help": (
        "What the queueing model expects with the agents actually on the phones and the calls "
        "and handle time that actually came. Far above the measured value: something the model "
        "does not see (outage, long after-call work, agents not taking calls)."
    ),
    "staff.tile_cause": "Main cause",
    "staff.tile_cause_help": (
        "The cause the day's story names, in the terms of the waterfall: volume, handle time, "
        "staffing or other. A day within its usual variation names no staffing effect."
    ),
    "staff.cause_demand_drop": "Demand drop",
    "staff.cause_below_target": "Process below target",
    "staff.cause_local_change": "Local change",
    "staff.cause_no_significant_change": "No significant change",
    "staff.cause_insufficient_data": "Not enough data",
    "staff.tile_offered": "Offered calls",
    "staff.tile_staffed": "Staffed agent-hours",
    "staff.tile_staffed_estimate": "Agent-hours (estimate)",
    "staff.target_n": "Target {target} · n = {n}",
    "staff.vs_forecast": "{change} vs forecast",
    "staff.vs_needed": "{change} vs needed",
    "staff.target_met": "Target met",
    "staff.effect_volume": "Volume",
    "staff.effect_aht": "Handle time",
    "staff.effect_staffing": "Staffing",
    "staff.effect_other": "Other",
    "staff.step_target": "Target",
    "staff.step_actual": "Actual",
    "staff.waterfall_title": "From target to measured service level",
    "staff.attribution": "Split",
    "staff.attr_shapley": "Shapley (order-free)",
    "staff.attr_sequential": "One at a time",
    "staff.attr_help": (
        "One at a time: move volume, then handle time, then staffing from plan to actual, in "
        "that order. Shapley: the average over every order, so no cause gains from going first."
    ),
    "staff.waterfall_caption": (
        "Volume and handle time: what the calls that came (instead of the forecast) cost "
        "with the agents the forecast needed; staffing: the agents on the phones instead of "
        "those needed; other: measured minus model service level, what the queueing model "
        "does not explain."
    ),
    "staff.col_cause": "Cause",
    "staff.col_points": "Effect (pp)",
    "staff.split_staffing": (
        "Staffing, one at a time: schedule {schedule} (schedule against the forecast's need) "
        "and adherence {adherence} (agents on the phones against the schedule)."
    ),
    "staff.no_forecast_split": (
        "Without a forecast the shortfall splits into staffing and other only."
    ),
    # interval chart
    "staff.intervals_title": "Interval by interval",
    "staff.chart_queue": "Queue in the charts",
    "staff.all_queues": "All queues",
    "staff.chart_calls": "Calls: offered and forecast",
    "staff.chart_agents": "Agents: on the phones, scheduled and needed",
    "staff.chart_sl": "Service level: measured and model",
    "staff.series_offered": "Offered",
    "staff.series_forecast": "Forecast",
    "staff.series_staffed": "Staffed",
    "staff.series_staffed_estimate": "Staffed (estimate)",
    "staff.series_scheduled": "Scheduled",
    "staff.series_required_plan": "Needed at forecast",
    "staff.series_required_actual": "Needed for the calls that came",
    "staff.series_measured": "Measured",
    "staff.series_model": "Model with staffed agents",
    "staff.series_target": "Target",
    "staff.axis_agents": "Agents",
    "staff.axis_calls": "Calls",
    # classification
    "staff.classes_title": "What went wrong in each interval",
    "staff.classes_caption": (
        "An interval is blamed on a cause only when its service level is below target beyond "
        "the chance variation of its calls (95% Wilson band)."
    ),
    "staff.col_class": "Class",
    "staff.col_intervals": "Intervals",
    "staff.col_meaning": "Meaning",
    "staff.details": "Every interval of {day}",
    "staff.col_time": "Time",
    "staff.col_offered": "Offered",
    "staff.col_forecast": "Forecast",
    "staff.col_measured": "Measured SL (%)",
    "staff.col_model": "Model SL (%)",
    "staff.col_staffed": "Staffed",
    "staff.col_scheduled": "Scheduled",
    "staff.col_needed": "Needed",
    # what-if
    "staff.whatif_title": "What-if: how many agents?",
    "staff.whatif_intro": (
        "Agents needed for one interval, with Erlang C (nobody hangs up) and Erlang A "
        "(callers hang up after their patience runs out) side by side. Scheduled = needed ÷ "
        "(1 − shrinkage), rounded up."
    ),
    "staff.in_calls": "Calls in the interval",
    "staff.in_len": "Interval (minutes)",
    "staff.in_aht": "AHT (s)",
    "staff.in_thr": "Answer within (s)",
    "staff.in_tgt": "SL target (%)",
    "staff.in_shr": "Shrinkage (%)",
    "staff.in_shr_help": "Share of paid time not on the phones: breaks, training, meetings, absence.",
    "staff.in_pat": "Mean patience (s)",
    "staff.in_pat_help": "Erlang A: how long a waiting caller holds on, on average, before hanging up.",
    "staff.fill_busiest": "Use the busiest interval",
    "staff.fill_note": (
        "Busiest interval of {day}: {time}, {calls} calls, AHT {aht}. Mean patience estimated "
        "from the day (abandons ÷ total waiting time): {patience}."
    ),
    "staff.no_patience": "no abandons, cannot be estimated",
    "staff.box_erlang_c": "Erlang C",
    "staff.box_erlang_a": "Erlang A (patience {patience})",
    "staff.required": "Agents needed",
    "staff.required_help": "The smallest number of agents on the phones that meets the service-level target.",
    "staff.scheduled": "Scheduled ({shrinkage} shrinkage)",
    "staff.at_required_c": (
        "With {agents} agents: service level {sl}, {p_wait} of callers wait, ASA {asa}, "
        "occupancy {occupancy}."
    ),
    "staff.at_required_a": (
        "With {agents} agents: service level {sl}, {abandon} hang up, ASA {asa}, "
        "occupancy {occupancy}."
    ),
    "staff.load": "Offered load: {load} Erlangs (calls × AHT ÷ interval length).",
    "staff.curve_sl": "Service level",
    "staff.curve_asa": "ASA (s)",
    "staff.curve_abandon": "Hang up before an answer (Erlang A)",
    "staff.axis_agents_phones": "Agents on the phones",
    "staff.whatif_error": "No answer for these inputs: {reason}",
    "staff.curve_table": "Values per number of agents",
    "staff.col_agents": "Agents",
    "staff.col_c_sl": "Erlang C service level (%)",
    "staff.col_c_asa": "Erlang C ASA (s)",
    "staff.col_c_occupancy": "Erlang C occupancy (%)",
    "staff.col_a_sl": "Erlang A service level (%)",
    "staff.col_a_asa": "Erlang A ASA (s)",
    "staff.col_a_occupancy": "Erlang A occupancy (%)",
    "staff.col_a_abandon": "Erlang A hang-ups (%)",
    # forecast accuracy
    "staff.forecast_title": "Forecast accuracy",
    "staff.no_forecast": (
        "No forecast in the data or the plan: upload a plan with forecast_offered to score it "
        "against the seasonal-naive benchmark."
    ),
    "staff.acc_caption": (
        "{start} to {end}: the supplied forecast against seasonal naive (the same period one "
        "week earlier). WAPE = Σ |forecast − actual| ÷ Σ actual; bias = (Σ forecast − Σ actual) "
        "÷ Σ actual."
    ),
    "staff.level_day": "By day",
    "staff.level_interval": "By interval",
    "staff.col_level": "Level",
    "staff.col_periods": "Periods",
    "staff.col_wape": "WAPE (%)",
    "staff.col_naive_wape": "Seasonal naive WAPE (%)",
    "staff.col_bias": "Bias (%)",
    "staff.col_naive_bias": "Seasonal naive bias (%)",
    "staff.acc_better": (
        "By day the forecast misses by {wape} of the calls, seasonal naive by {naive}: the "
        "forecast beats the benchmark."
    ),
    "staff.acc_worse": (
        "By day the forecast misses by {wape} of the calls, seasonal naive by {naive}: the "
        "forecast does no better than repeating last week."
    ),
    "staff.bias_over": "It forecasts {bias} more calls than came (over-forecast).",
    "staff.bias_under": "It forecasts {bias} fewer calls than came (under-forecast).",
    "staff.acc_no_benchmark": (
        "No day of the range has both a forecast and the same weekday one week earlier: "
        "nothing to compare."
    ),
    "staff.chart_daily": "Calls per day: actual, forecast and seasonal naive",
    "staff.series_actual": "Actual",
    "staff.series_naive": "Seasonal naive",
    "staff.own_title": "Daily volume forecast (weekly seasonal model)",
    "staff.own_caption": (
        "Robust weekly seasonal regression on the {days} days up to {end}, tested on "
        "{origins} rolling origins of 7 days against seasonal naive."
    ),
    "staff.own_result": (
        "Hold-out WAPE {wape} against {naive} for seasonal naive; {coverage} of the actual "
        "days fell inside the 95% prediction interval."
    ),
    "staff.own_short": "A forecast needs at least {days} days of history; the data has {have}.",
    "staff.series_interval": "95% prediction interval",
    "staff.band_note": "Shaded: the 95% prediction interval of the forecast.",
    # drivers
    "staff.drivers_title": "External drivers",
    "staff.drivers_none": (
        "No driver file: upload a daily CSV (date and columns such as rain, campaign) under "
        "“Staffing plan and external drivers” to test whether it moves volume."
    ),
    "staff.drivers_caption": (
        "Effect of each driver on daily calls in the weekly seasonal regression ({days} days), "
        "with a 95% confidence interval. A driver counts as useful only if it also makes "
        "hold-out forecasts more accurate."
    ),
    "staff.col_driver": "Driver",
    # the bundled sample's weather.csv columns (other driver columns are shown as named)
    "driver.rain": "Rain",
    "driver.storm": "Storm",
    "driver.snow": "Snow",
    "driver.heat": "Heat",
    "driver.temperature": "Temperature",
    "driver.temperature_c": "Temperature (°C)",
    "driver.holiday": "Holiday",
    "driver.campaign": "Campaign",
    "driver.promotion": "Promotion",
    "driver.outage": "Outage",
    "staff.col_active": "Days active",
    "staff.col_effect": "Effect (%)",
    "staff.col_ci": "95% CI (%)",
    "staff.col_holdout": "Hold-out WAPE without → with",
    "staff.col_verdict": "Verdict",
    "staff.verdict_useful": "useful: improves hold-out forecasts",
    "staff.verdict_not_significant": "not significant: the interval includes zero",
    "staff.verdict_no_gain": "no gain on hold-out forecasts",
    "staff.verdict_not_testable": "cannot be tested on hold-out (no event to test on)",
    "staff.driver_flag": "**{driver}**: on such a day calls are {effect} (95% CI {low} to {high}); {verdict}.",
    "staff.driver_numeric": (
        "**{driver}**: per unit calls change by {effect} (95% CI {low} to {high}); {verdict}."
    ),
    "staff.day_drivers": (
        "{day}: {offered} calls; the seasonal model expects {baseline} without the drivers. "
        "Added by the drivers: {parts}."
    ),
    "staff.day_driver_part": "{driver} {calls}",
    "staff.day_interaction": "together {calls}",
    "staff.day_no_drivers": "none",
    "staff.day_residual": "Not explained: {calls}.",
    "staff.story_cause.demand_surge": "demand surge",
    "staff.story_cause.forecast_miss": "forecast miss",
    "staff.story_cause.supply_shortfall": "supply shortfall",
    "staff.story_cause.handle_time_shift": "handle-time shift",
    "staff.story_cause.other": "no single cause beyond noise",
    "staff.story_cause.demand_drop": "demand drop",
    "staff.story_cause.below_target": "process below target",
    "staff.story_cause.local_change": "local change",
    "staff.story_cause.no_significant_change": "no significant change",
    "staff.story_cause.insufficient_data": "not enough data",
    "staff.summary_story_cause": "; main cause (the day's story): {cause}.",
    # interval classes of ccmetrics.staffing.classify_intervals and what each means
    "staff.class.no_calls": "no calls",
    "staff.class.met_target": "met target",
    "staff.class.within_noise": "below target, within noise",
    "staff.class.forecast_miss": "forecast miss",
    "staff.class.schedule_gap": "schedule gap",
    "staff.class.adherence_gap": "adherence gap",
    "staff.class.understaffed": "understaffed for the actual load",
    "staff.class.something_else": "something else",
    "staff.class_help.no_calls": "No calls arrived, so there is no service level.",
    "staff.class_help.met_target": "Measured service level at or above target.",
    "staff.class_help.within_noise": (
        "Below target, but by less than the chance variation of so few calls."
    ),
    "staff.class_help.forecast_miss": (
        "More load (calls × handle time) arrived than forecast; the biggest part of the agent gap."
    ),
    "staff.class_help.schedule_gap": "The schedule had fewer agents than the forecast needed.",
    "staff.class_help.adherence_gap": "Fewer agents were on the phones than scheduled.",
    "staff.class_help.understaffed": (
        "Fewer agents than the actual load needed (no forecast or schedule to say why)."
    ),
    "staff.class_help.something_else": (
        "Enough agents for the actual load, yet service level far below what the model expects."
    ),
    # notes of ccmetrics.staffing.staffing_inputs on how the data and the plan line up
    "staff.input_note.plan_without_queues": (
        "The plan has no queues while the data has ({data_queues}): "
        "the data is compared with the plan over all queues together."
    ),
    "staff.input_note.plan_other_queues": (
        "None of the plan's queues ({plan_queues}) is in the data ({data_queues}): "
        "the plan and the calls are not compared."
    ),
    "staff.input_note.forecast_aht_from_baseline": (
        "The plan has a forecast volume but no forecast AHT: the volume effect uses the "
        "baseline AHT of each queue."
    ),
    # the day's summary (ccmetrics.staffing.why_summary)
    "staff.summary_effect.volume": "volume",
    "staff.summary_effect.aht": "handle time",
    "staff.summary_effect.staffing": "staffing",
    "staff.summary_effect.unexplained": "unexplained",
    "staff.summary_no_calls": "{date}: no calls to measure.",
    "staff.summary_met": (
        "{date}: service level {measured} against a target of {target} (n = {n} calls): target met."
    ),
    "staff.summary_short": (
        "{date}: service level {measured} against a target of {target} (n = {n} calls), "
        "{points} points short."
    ),
    "staff.summary_model": "With the agents actually staffed the queueing model expected {model}.",
    "staff.summary_split": "Shortfall by cause (Shapley, points): {effects}{main}",
    "staff.summary_mainly": "; mainly {effect}.",
    "staff.summary_staffed": "Staffed {staffed} agent-hours{estimate}{scheduled}{needed}.",
    "staff.summary_estimate": " (estimated from busy time ÷ expected occupancy)",
    "staff.summary_scheduled": ", scheduled {hours}",
    "staff.summary_needed": ", needed for the actual load {hours}",
    "staff.summary_missed": "{missed} of {with_calls} intervals missed the target beyond noise.",
    "staff.summary_missed_classes": (
        "{missed} of {with_calls} intervals missed the target beyond noise ({classes})."
    ),
}

ZH: dict[str, str] = {
    # sources
    "staff.intro": (
        "某天服务水平差，是人手不足造成的吗？排队模型把实际在岗坐席数与实际来电所需坐席数作比较，"
        "并把服务水平缺口拆分为话务量、处理时长、人力以及模型无法解释的部分。"
    ),
    "staff.source": "来电数据：{data} · 排班计划：{plan}",
    "staff.plan_sample": "示例数据自带的排班计划（intervals.csv）",
    "staff.plan_dataset": "当前使用的时段数据",
    "staff.plan_upload": "{name}（在本页上传）",
    "staff.plan_none": "无，在岗人数由来电数据估算",
    "staff.estimate_warning": (
        "没有排班计划：在岗坐席数由来电数据**估算**，即忙碌坐席时长 ÷ 预期占用率 {occupancy}。"
        "模型服务水平和人力影响都基于这一估算。如需实测在岗人数，请在“排班计划与外部因素”中"
        "上传含在岗坐席数的时段报表。"
    ),
    "staff.scope_plan_no_queues": "排班计划没有技能组列：比较按全部技能组合计进行（技能组筛选在此不适用）。",
    "staff.scope_plan_other_queues": (
        "排班计划中的技能组（{plan_queues}）都不在数据中（{data_queues}）：请确认计划与数据是否对应。"
    ),
    # uploads
    "staff.inputs_title": "排班计划与外部因素",
    "staff.plan_upload_label": "排班计划或时段报表",
    "staff.plan_upload_help": (
        "按技能组和时段的文件，含呼入量以及 forecast_offered、forecast_aht_s、scheduled_agents、"
        "staffed_agents 中的任意列（例如平台导出的时段报表）。上传后替换上方所列的计划。"
    ),
    "staff.plan_in_use": "使用中的计划：{name}（{rows} 行）。",
    "staff.plan_remove": "停用上传的计划",
    "staff.plan_error": "无法读取排班计划：{reason}",
    "staff.plan_no_columns": (
        "{name} 不含任何计划列（forecast_offered、forecast_aht_s、scheduled_agents、"
        "staffed_agents），不能作为排班计划。"
    ),
    "staff.drivers_upload_label": "每日外部因素文件（CSV）",
    "staff.drivers_upload_help": "每天一行：一个日期列，每个因素一列，例如下雨（是/否）、营销活动（0/1）、气温。",
    "staff.drivers_in_use": "使用中的外部因素：{name}（{columns}）。",
    "staff.drivers_sample": "示例数据自带的天气（weather.csv）",
    "staff.drivers_remove": "停用上传的外部因素",
    "staff.drivers_error": "无法读取外部因素文件：{reason}",
    # the day
    "staff.day": "日期",
    "staff.day_title": "是人手问题吗？{day}",
    "staff.model": "排队模型",
    "staff.model_erlang_a": "Erlang A（来电者会放弃）",
    "staff.model_erlang_c": "Erlang C（无人放弃）",
    "staff.model_help": (
        "Erlang A 允许排队的来电者挂断，平均耐心时长由当天来电估算（放弃量 ÷ 总等待时长），"
        "在队列过载时仍然贴近实际。Erlang C 假设每位来电者都会一直等到接通。"
    ),
    "staff.no_calls_day": "当前数据中 {day} 没有来电：请选择其他日期。",
    "staff.error": "无法对此数据进行人力分析：{reason}",
    "staff.tile_measured": "服务水平（实测）",
    "staff.tile_model": "服务水平（模型）",
    "staff.tile_model_help": (
        "按实际在岗坐席数、实际来电量和处理时长，排队模型预计的服务水平。若远高于实测值，"
        "说明有模型看不到的问题（系统故障、话后处理过长、坐席未接听等）。"
    ),
    "staff.tile_cause": "主要原因",
    "staff.tile_cause_help": (
        "当天结论所指出的原因，用瀑布图的分类表示：话务量、处理时长、人力或其他。"
        "处于正常波动范围内的日子不归因于任何一项。"
    ),
    "staff.cause_demand_drop": "需求下降",
    "staff.cause_below_target": "流程整体低于目标",
    "staff.cause_local_change": "局部变化",
    "staff.cause_no_significant_change": "无显著变化",
    "staff.cause_insufficient_data": "数据不足",
    "staff.tile_offered": "呼入量",
    "staff.tile_staffed": "在岗工时",
    "staff.tile_staffed_estimate": "在岗工时（估算）",
    "staff.target_n": "目标 {target} · 样本量 n = {n}",
    "staff.vs_forecast": "{change}（较预测）",
    "staff.vs_needed": "{change}（较所需）",
    "staff.target_met": "已达标",
    "staff.effect_volume": "话务量",
    "staff.effect_aht": "处理时长",
    "staff.effect_staffing": "人力",
    "staff.effect_other": "其他",
    "staff.step_target": "目标",
    "staff.step_actual": "实际",
    "staff.waterfall_title": "从目标到实测服务水平",
    "staff.attribution": "拆分方法",
    "staff.attr_shapley": "Shapley（与顺序无关）",
    "staff.attr_sequential": "逐项替换",
    "staff.attr_help": (
        "逐项替换：依次把话务量、处理时长、人力从计划值换成实际值。Shapley：对所有替换顺序取平均，"
        "任何原因都不会因排在前面而占便宜。"
    ),
    "staff.waterfall_caption": (
        "话务量和处理时长：在预测所需坐席数下，实际来电（而非预测）带来的影响；人力：实际在岗人数"
        "与所需人数之差的影响；其他：实测减去模型服务水平，即排队模型无法解释的部分。"
    ),
    "staff.col_cause": "原因",
    "staff.col_points": "影响（个百分点）",
    "staff.split_staffing": (
        "人力（逐项替换）可再分为：排班 {schedule}（排班人数与预测所需之差）和出勤 {adherence}"
        "（实际在岗与排班人数之差）。"
    ),
    "staff.no_forecast_split": "没有预测数据时，缺口只能拆分为人力和其他两部分。",
    # interval chart
    "staff.intervals_title": "逐时段分析",
    "staff.chart_queue": "图表中的技能组",
    "staff.all_queues": "全部技能组",
    "staff.chart_calls": "来电：实际呼入与预测",
    "staff.chart_agents": "坐席：在岗、排班与所需",
    "staff.chart_sl": "服务水平：实测与模型",
    "staff.series_offered": "实际呼入",
    "staff.series_forecast": "预测",
    "staff.series_staffed": "在岗",
    "staff.series_staffed_estimate": "在岗（估算）",
    "staff.series_scheduled": "排班",
    "staff.series_required_plan": "按预测所需",
    "staff.series_required_actual": "按实际来电所需",
    "staff.series_measured": "实测",
    "staff.series_model": "模型（按在岗人数）",
    "staff.series_target": "目标",
    "staff.axis_agents": "坐席数",
    "staff.axis_calls": "来电数",
    # classification
    "staff.classes_title": "各时段的问题所在",
    "staff.classes_caption": (
        "只有当某时段的服务水平低于目标、且超出其来电量对应的随机波动范围（95% Wilson 区间）时，"
        "才归因于某个原因。"
    ),
    "staff.col_class": "类别",
    "staff.col_intervals": "时段数",
    "staff.col_meaning": "含义",
    "staff.details": "{day} 的全部时段",
    "staff.col_time": "时间",
    "staff.col_offered": "呼入量",
    "staff.col_forecast": "预测",
    "staff.col_measured": "实测服务水平（%）",
    "staff.col_model": "模型服务水平（%）",
    "staff.col_staffed": "在岗",
    "staff.col_scheduled": "排班",
    "staff.col_needed": "所需",
    # what-if
    "staff.whatif_title": "假设分析：需要多少坐席？",
    "staff.whatif_intro": (
        "单个时段所需坐席数，Erlang C（无人放弃）与 Erlang A（来电者耐心耗尽后挂断）并列比较。"
        "排班人数 = 所需人数 ÷（1 − 缩减率），向上取整。"
    ),
    "staff.in_calls": "时段内来电量",
    "staff.in_len": "时段长度（分钟）",
    "staff.in_aht": "平均处理时长（秒）",
    "staff.in_thr": "接通时限（秒）",
    "staff.in_tgt": "目标（%）",
    "staff.in_shr": "缩减率（%）",
    "staff.in_shr_help": "带薪时间中不在线接听的比例：休息、培训、会议、缺勤。",
    "staff.in_pat": "耐心时长（秒）",
    "staff.in_pat_help": "Erlang A：排队的来电者平均等待多久后挂断。",
    "staff.fill_busiest": "使用当天最繁忙的时段",
    "staff.fill_note": (
        "{day} 最繁忙的时段：{time}，{calls} 通来电，平均处理时长 {aht}。由当天数据估算的平均耐心时长"
        "（放弃量 ÷ 总等待时长）：{patience}。"
    ),
    "staff.no_patience": "无放弃来电，无法估算",
    "staff.box_erlang_c": "Erlang C 模型",
    "staff.box_erlang_a": "Erlang A 模型（耐心时长 {patience}）",
    "staff.required": "所需坐席数",
    "staff.required_help": "达到服务水平目标所需的最少在线坐席数。",
    "staff.scheduled": "排班人数（缩减率 {shrinkage}）",
    "staff.at_required_c": (
        "{agents} 名坐席时：服务水平 {sl}，{p_wait} 的来电需要排队，平均应答速度 {asa}，占用率 {occupancy}。"
    ),
    "staff.at_required_a": (
        "{agents} 名坐席时：服务水平 {sl}，{abandon} 的来电放弃，平均应答速度 {asa}，占用率 {occupancy}。"
    ),
    "staff.load": "话务负荷：{load} 爱尔兰（来电量 × 平均处理时长 ÷ 时段长度）。",
    "staff.curve_sl": "服务水平",
    "staff.curve_asa": "平均应答速度（秒）",
    "staff.curve_abandon": "接通前挂断（Erlang A）",
    "staff.axis_agents_phones": "在线坐席数",
    "staff.whatif_error": "这些输入无法求解：{reason}",
    "staff.curve_table": "各坐席数下的数值",
    "staff.col_agents": "坐席数",
    "staff.col_c_sl": "Erlang C 服务水平（%）",
    "staff.col_c_asa": "Erlang C 平均应答速度（秒）",
    "staff.col_c_occupancy": "Erlang C 占用率（%）",
    "staff.col_a_sl": "Erlang A 服务水平（%）",
    "staff.col_a_asa": "Erlang A 平均应答速度（秒）",
    "staff.col_a_occupancy": "Erlang A 占用率（%）",
    "staff.col_a_abandon": "Erlang A 放弃率（%）",
    # forecast accuracy
    "staff.forecast_title": "预测准确度",
    "staff.no_forecast": (
        "数据和排班计划中都没有预测：请上传含 forecast_offered 的计划，与季节性朴素基准进行比较。"
    ),
    "staff.acc_caption": (
        "{start} 至 {end}：所提供的预测与季节性朴素预测（一周前同期的实际值）比较。"
        "WAPE = Σ |预测 − 实际| ÷ Σ 实际；偏差 = (Σ 预测 − Σ 实际) ÷ Σ 实际。"
    ),
    "staff.level_day": "按天",
    "staff.level_interval": "按时段",
    "staff.col_level": "粒度",
    "staff.col_periods": "期数",
    "staff.col_wape": "WAPE 误差（%）",
    "staff.col_naive_wape": "季节性朴素 WAPE（%）",
    "staff.col_bias": "偏差（%）",
    "staff.col_naive_bias": "季节性朴素偏差（%）",
    "staff.acc_better": "按天计，预测的误差为来电量的 {wape}，季节性朴素为 {naive}：预测优于基准。",
    "staff.acc_worse": "按天计，预测的误差为来电量的 {wape}，季节性朴素为 {naive}：预测并不比照搬上周更好。",
    "staff.bias_over": "预测比实际来电多 {bias}（高估）。",
    "staff.bias_under": "预测比实际来电少 {bias}（低估）。",
    "staff.acc_no_benchmark": "所选范围内没有哪一天同时具备预测值和一周前同日的实际值：无法比较。",
    "staff.chart_daily": "每日来电：实际、预测与季节性朴素",
    "staff.series_actual": "实际",
    "staff.series_naive": "季节性朴素",
    "staff.own_title": "每日来电量预测（周季节模型）",
    "staff.own_caption": (
        "以截至 {end} 的 {days} 天数据拟合稳健的周季节回归，并在 {origins} 个滚动起点（每次 7 天）"
        "上与季节性朴素预测比较。"
    ),
    "staff.own_result": "留出期 WAPE 为 {wape}，季节性朴素为 {naive}；{coverage} 的实际日值落在 95% 预测区间内。",
    "staff.own_short": "预测至少需要 {days} 天历史数据；当前数据只有 {have} 天。",
    "staff.series_interval": "95% 预测区间",
    "staff.band_note": "阴影部分：预测的 95% 预测区间。",
    # drivers
    "staff.drivers_title": "外部因素",
    "staff.drivers_none": (
        "没有外部因素文件：请在“排班计划与外部因素”中上传每日 CSV（日期及下雨、营销活动等列），"
        "检验其是否影响来电量。"
    ),
    "staff.drivers_caption": (
        "各因素在周季节回归（{days} 天）中对每日来电量的影响及 95% 置信区间。只有同时提高了留出期"
        "预测准确度的因素才算有用。"
    ),
    "staff.col_driver": "因素",
    "driver.rain": "降雨",
    "driver.storm": "暴风雨",
    "driver.snow": "降雪",
    "driver.heat": "高温",
    "driver.temperature": "气温",
    "driver.temperature_c": "气温（°C）",
    "driver.holiday": "节假日",
    "driver.campaign": "营销活动",
    "driver.promotion": "促销活动",
    "driver.outage": "系统故障",
    "staff.col_active": "生效天数",
    "staff.col_effect": "影响（%）",
    "staff.col_ci": "95% 置信区间（%）",
    "staff.col_holdout": "留出期 WAPE：不含 → 含",
    "staff.col_verdict": "结论",
    "staff.verdict_useful": "有用：提高了留出期预测准确度",
    "staff.verdict_not_significant": "不显著：置信区间包含零",
    "staff.verdict_no_gain": "留出期预测没有改善",
    "staff.verdict_not_testable": "无法在留出期检验（没有可检验的事件）",
    "staff.driver_flag": "**{driver}**：这样的日子来电量 {effect}（95% 置信区间 {low} 至 {high}）；{verdict}。",
    "staff.driver_numeric": "**{driver}**：每增加一个单位，来电量变化 {effect}（95% 置信区间 {low} 至 {high}）；{verdict}。",
    "staff.day_drivers": "{day}：{offered} 通来电；若无这些因素，季节模型预计 {baseline} 通。各因素带来的来电：{parts}。",
    "staff.day_driver_part": "{driver}带来 {calls}",
    "staff.day_interaction": "共同作用 {calls}",
    "staff.day_no_drivers": "无",
    "staff.day_residual": "无法解释：{calls}。",
    "staff.story_cause.demand_surge": "需求激增",
    "staff.story_cause.forecast_miss": "预测偏差",
    "staff.story_cause.supply_shortfall": "人力不足",
    "staff.story_cause.handle_time_shift": "处理时长变化",
    "staff.story_cause.other": "没有超出随机波动的单一原因",
    "staff.story_cause.demand_drop": "需求下降",
    "staff.story_cause.below_target": "流程整体低于目标",
    "staff.story_cause.local_change": "局部变化",
    "staff.story_cause.no_significant_change": "无显著变化",
    "staff.story_cause.insufficient_data": "数据不足",
    "staff.summary_story_cause": "；主要原因（当天的结论）：{cause}。",
    # interval classes of ccmetrics.staffing.classify_intervals and what each means
    "staff.class.no_calls": "无来电",
    "staff.class.met_target": "达标",
    "staff.class.within_noise": "未达标，但在随机波动范围内",
    "staff.class.forecast_miss": "预测偏差",
    "staff.class.schedule_gap": "排班缺口",
    "staff.class.adherence_gap": "出勤缺口",
    "staff.class.understaffed": "实际话务量下人手不足",
    "staff.class.something_else": "其他原因",
    "staff.class_help.no_calls": "没有来电，无法计算服务水平。",
    "staff.class_help.met_target": "实测服务水平达到或超过目标。",
    "staff.class_help.within_noise": "低于目标，但差距在来电量较少时的随机波动范围内。",
    "staff.class_help.forecast_miss": "实际话务负荷（来电量 × 处理时长）高于预测，是人手缺口的最大部分。",
    "staff.class_help.schedule_gap": "排班人数少于预测所需人数。",
    "staff.class_help.adherence_gap": "实际在岗人数少于排班人数。",
    "staff.class_help.understaffed": "在岗人数少于实际话务所需（缺少预测或排班数据，无法细分原因）。",
    "staff.class_help.something_else": "在岗人数足以应对实际话务，服务水平却远低于模型预期。",
    # notes of ccmetrics.staffing.staffing_inputs on how the data and the plan line up
    "staff.input_note.plan_without_queues": (
        "排班计划没有队列，而数据有队列（{data_queues}）：数据按全部队列合计与计划比较。"
    ),
    "staff.input_note.plan_other_queues": (
        "排班计划的队列（{plan_queues}）都不在数据中（{data_queues}）：计划与来电未作比较。"
    ),
    "staff.input_note.forecast_aht_from_baseline": (
        "计划有预测来电量但没有预测处理时长：话务量影响采用各队列的基准处理时长。"
    ),
    # the day's summary (ccmetrics.staffing.why_summary)
    "staff.summary_effect.volume": "话务量",
    "staff.summary_effect.aht": "处理时长",
    "staff.summary_effect.staffing": "人力",
    "staff.summary_effect.unexplained": "无法解释",
    "staff.summary_no_calls": "{date}：没有可计量的来电。",
    "staff.summary_met": "{date}：服务水平 {measured}，目标 {target}（n = {n} 通），达标。",
    "staff.summary_short": (
        "{date}：服务水平 {measured}，目标 {target}（n = {n} 通），低 {points} 个百分点。"
    ),
    "staff.summary_model": "按实际在岗人数，排队模型预计为 {model}。",
    "staff.summary_split": "缺口归因（Shapley，百分点）：{effects}{main}",
    "staff.summary_mainly": "；主要原因：{effect}。",
    "staff.summary_staffed": "在岗 {staffed} 坐席小时{estimate}{scheduled}{needed}。",
    "staff.summary_estimate": "（由忙碌时长 ÷ 预期占用率估算）",
    "staff.summary_scheduled": "，排班 {hours}",
    "staff.summary_needed": "，实际话务所需 {hours}",
    "staff.summary_missed": "{with_calls} 个时段中有 {missed} 个超出随机波动未达标。",
    "staff.summary_missed_classes": (
        "{with_calls} 个时段中有 {missed} 个超出随机波动未达标（{classes}）。"
    ),
}
