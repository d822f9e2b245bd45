"""Strings of the drilldown page (English and Simplified Chinese); merged into ccmetrics.i18n."""

EN: dict[str, str] = {
    # window
    "dd.window_interval": (
        "Explaining **{window}**: the interval picked on a control chart ({minutes} min)."
    ),
    "dd.window_day": "Explaining the whole day **{window}**. Narrow it to the bad hours below.",
    "dd.window_picked": "Explaining **{window}**.",
    "dd.window_signal": "Explaining **{window}**: the period picked on a control chart.",
    "dd.pick_title": "Change the window",
    "dd.pick_from": "From",
    "dd.pick_to": "To",
    "dd.pick_help": (
        "00:00–24:00 explains the whole day. The window is compared with the same weekday "
        "and hours of ordinary earlier weeks."
    ),
    "dd.pick_bad": "The window must end after it starts.",
    "dd.hour_in": "In the window",
    "dd.hour_out": "Outside the window",
    "dd.no_calls": "No calls in this window (with the queue filter in force). Pick another window.",
    "dd.explaining": "Comparing the window with its baseline…",
    # options
    "dd.metric": "Explain",
    "dd.metric_help": (
        "The KPI whose change is explained. For service level, abandon rate, answer rate "
        "and ASA the summary also says whether extra or longer calls drove it; pick "
        "'Offered calls' to see where extra calls came from."
    ),
    "dd.ivr_path_option": "Also explain by IVR menu path",
    "dd.ivr_path_option_help": (
        "Adds the IVR menu path to the dimensions examined. Left out by default: after a "
        "menu change the new paths did not exist in the baseline weeks, so they look like a "
        "surge of their own on every day of the month that follows, whatever the day's cause."
    ),
    "dd.adjust": "p-value adjustment",
    "dd.adjust_help": (
        "Many elements are tested at once. Holm controls the chance of any false finding; "
        "Benjamini-Hochberg controls the share of false findings (finds more, with more risk)."
    ),
    "dd.adjust_holm": "Holm",
    "dd.adjust_bh": "Benjamini-Hochberg",
    # verdict
    "dd.verdict": "Verdict: {verdict}",
    "dd.verdict_concentrated": "concentrated",
    "dd.verdict_broad": "broad",
    "dd.verdict_none": "no significant change",
    "dd.verdict_concentrated_help": "a few elements explain most of the change.",
    "dd.verdict_local": "no significant change overall",
    "dd.verdict_broad_help": "the change is spread over the calls in proportion to volume.",
    "dd.verdict_broad_volume_help": (
        "the change is spread over the calls in proportion to volume: more calls arrived "
        "than usual (beyond their noise band), and every caller waited."
    ),
    "dd.verdict_broad_handle_time_help": (
        "the change is spread over the calls in proportion to volume: calls took longer than "
        "usual, and every caller waited."
    ),
    "dd.verdict_broad_supply_help": (
        "the change is spread over the calls in proportion to volume, while volume and handle "
        "time stayed within their usual range — typical of understaffing or a system-wide "
        "cause (see Staffing)."
    ),
    "dd.verdict_local_help": (
        "the window as a whole is within the usual variation of its baseline, but some "
        "elements of the table changed significantly."
    ),
    "dd.verdict_none_help": (
        "the window is within the usual variation of its baseline, and no element of the "
        "table changed significantly."
    ),
    # KPIs against the baseline
    "dd.kpis_title": "The window against its baseline",
    "dd.tile_baseline": "baseline {value}",
    "dd.tile_help": (
        "Value in the window; the change is against the baseline (mean of the baseline "
        "windows, volumes scaled to this window's length). n = {n} in the window, "
        "{n_baseline} in the baseline."
    ),
    "dd.baseline_used": "Baseline: {count} windows from {source} ({windows}).",
    "dd.baseline_skipped": "Skipped as anomalous: {windows}.",
    "dd.baseline_scaled": "Baseline volumes are scaled to the window's length.",
    "dd.baseline_given": "Baseline windows: {windows}.",
    "dd.source_previous": "the same weekday and hours of earlier weeks",
    "dd.source_following": "the same weekday and hours of later weeks (no earlier data)",
    "dd.source_before": "the window just before (no other week has data)",
    "dd.baseline_title": "Baseline windows: used and skipped",
    "dd.baseline_help": (
        "A candidate week is skipped when its value or its volume is an outlier among the "
        "candidates (modified z-score above 3.5, Iglewicz and Hoaglin); the nearest ordinary "
        "weeks are used."
    ),
    "dd.col_window": "Window",
    "dd.col_weeks_away": "Weeks away",
    "dd.col_status": "Status",
    "dd.status_used": "used",
    "dd.status_spare": "not needed (nearer weeks used)",
    "dd.reason_value": "skipped: unusual {kpi}",
    "dd.reason_volume": "skipped: unusual volume",
    "dd.reason_service": "skipped: service level out of control that day",
    "dd.reason_no_data": "skipped: no data",
    # ranked elements
    "dd.ranked_title": "What drove the change",
    "dd.ranked_help": (
        "{count} elements (single values and combinations) ranked by how much of the change "
        "they explain for how few calls. Test: {test}; p adjusted by {method} over all "
        "elements, significant when below {alpha}. Click a row to open it in the tree."
    ),
    "dd.test_ratio": "chi-square test of the element's share and rate against the baseline",
    "dd.test_mean": "Welch's t test of its mean with a test of its share",
    "dd.test_count": "quasi-Poisson test of its volume",
    "dd.side_demand": "Demand side (who called and why)",
    "dd.side_supply": "Supply side (who served the calls)",
    "dd.side_dims": "dimensions: {dims}",
    "dd.side_empty": "No element of this side has enough calls.",
    "dd.ranked_columns": (
        "Impact: how far the total moved because of the element (what it would be had the "
        "element kept its baseline share and rate), split into mix (more or fewer of its "
        "calls) and rate (its own value changed). Explains: impact as a share of the total "
        "change. ★ In the explanation: the elements the verdict rests on. Demand and supply "
        "are never combined: a team is not blamed for a surge it received."
    ),
    "dd.col_element": "Element",
    "dd.col_finding": "Finding",
    "dd.status_selected": "★ In the explanation",
    "dd.col_significant": "Significant",
    "dd.col_explained": "Explains (%)",
    "dd.col_impact": "Impact",
    "dd.col_mix": "Mix effect",
    "dd.col_rate": "Rate effect",
    "dd.col_value_window": "{kpi}, window",
    "dd.col_value_baseline": "{kpi}, baseline",
    "dd.col_n_window": "Calls, window",
    "dd.col_n_baseline": "Calls, baseline",
    "dd.col_share_window": "Share, window",
    "dd.col_share_baseline": "Share, baseline",
    "dd.col_p": "p ({method})",
    "dd.header_points": "{name} (pp)",
    # decomposition tree
    "dd.tree_title": "Decomposition tree",
    "dd.tree_help": (
        "Pick a dimension, then click a bar (or pick its value below the chart) to split it "
        "further by another dimension. The path is kept in the page address, so a copied "
        "link reopens the same tree."
    ),
    "dd.tree_legend": (
        "Bar: the window; black tick: the baseline; grey band: where the window would fall "
        "by chance alone (baseline ± 1.96 standard errors, week-to-week variation included). "
        "Dark bars are significant ({method}-adjusted p < 0.05). Bars are sorted by the share "
        "of the total change they explain."
    ),
    "dd.tree_no_dims": "The data has no dimension (queue, category, …) to split by.",
    "dd.tree_root": "All calls",
    "dd.tree_end": "Every dimension is on the path.",
    "dd.tree_none": "— stop here —",
    "dd.tree_option": "{value} (explains {share})",
    "dd.tree_clear": "Back to all calls",
    "dd.level_title": (
        "**Level {level} · {node}** — {value} in the window, baseline {baseline}, n = {n}"
    ),
    "dd.split_by": "Split by",
    "dd.split_by_fixed": "Split by **{dim}**",
    "dd.open_value": "Open a {dim} value",
    "dd.level_empty": "No calls at this node.",
    "dd.level_more": "The {shown} values with the largest impact of {count}; the list below has all.",
    "dd.path_unknown": (
        "Part of the tree path in the link ({path}) does not exist in this data or for this "
        "KPI; the tree opens at the last node found."
    ),
    "dd.bar_significant": "Significant",
    "dd.bar_not_significant": "Not significant",
    "dd.bar_on_path": "On the path",
    "dd.bar_text": "explains {share}",
    "dd.tip_value": "Value",
    "dd.tip_window": "Window",
    "dd.tip_baseline": "Baseline",
    "dd.tip_band": "Noise band",
    "dd.tip_impact": "Share of the change",
    "dd.tip_n": "n window / baseline",
    "dd.tip_p": "Adjusted p",
    # calls
    "dd.calls_title": "The calls behind it",
    "dd.rows_title": "The interval rows behind it",
    "dd.calls_count": "**{n}** calls of **{node}** in the window.",
    "dd.rows_count": "**{n}** interval rows of **{node}** in the window.",
    "dd.calls_first": "The first {shown} are listed; the download holds them all.",
    "dd.calls_download": "Download the {n} rows (CSV)",
    # notes and errors
    "dd.notes_title": "Notes on this analysis",
    "dd.note_answered_only": (
        "{dims} left out: known only for answered calls, so they would explain {kpi} by its "
        "own outcome. Pick AHT, transfer rate or CSAT to compare them."
    ),
    "dd.note_one_value": "{dims} left out: only one value in these windows.",
    "dd.note_no_values": "{dims} left out: no values in these windows.",
    "dd.note_csat_variance": (
        "No per-call ratings: the CSAT variance is taken at its largest possible value "
        "(Bhatia-Davis bound)."
    ),
    "dd.note_cv": (
        "No per-call times: the variance of {kpi} assumes a coefficient of variation of 1."
    ),
    "dd.error_baseline": (
        "This window cannot be compared: no earlier or later week with the same hours has "
        "calls. Pick a window inside the data."
    ),
    "dd.error_generic": "This window cannot be explained with this data ({detail}).",
    # ccmetrics.drill error codes (the ``code`` of the ValueError explain raises)
    "dd.error_no_anomaly_data": "the window holds no calls this KPI is measured on",
    "dd.error_no_baseline_data": "the baseline days hold no calls this KPI is measured on",
    "dd.error_no_baseline_window": (
        "no earlier or later week with the same hours has calls to compare with"
    ),
    "dd.error_no_metric_data": "the data has nothing to compute this KPI from",
    "dd.error_no_time_column": "the data has no date and time column to find comparable days",
    "dd.error_other": "this window cannot be explained with this data",
    # --- the drill-down's summary sentences (ccmetrics.drill) ------------------------
    "drill.two_sentences": "{first} {second}",
    "drill.head": "{name} {value} vs {baseline} baseline",
    "drill.head_count": "{name} {value} vs {baseline} baseline ({change})",
    "drill.summary_none": "{head}: within normal variation (p = {p}); nothing stands out.",
    "drill.summary_local_one": (
        "{head}: the total is within normal variation (p = {p}), but {count} element changed "
        "significantly, led by {element}."
    ),
    "drill.summary_local": (
        "{head}: the total is within normal variation (p = {p}), but {count} elements changed "
        "significantly, led by {element}."
    ),
    "drill.summary_broad_named": (
        "{head}: a broad change across {dims}; {names} explain {explained} of it, about in "
        "proportion to their {size} of the volume."
    ),
    "drill.summary_broad": "{head}: a broad change across {dims}; no few elements explain most of it.",
    "drill.summary_count_all_extra": (
        "{head}; all of the extra calls were {names} calls ({explained} of the net change; the "
        "other calls moved the other way)."
    ),
    "drill.summary_count_all_missing": (
        "{head}; all of the missing calls were {names} calls ({explained} of the net change; the "
        "other calls moved the other way)."
    ),
    "drill.summary_count_extra": "{head}; {explained} of the extra calls were {names} calls.",
    "drill.summary_count_missing": "{head}; {explained} of the missing calls were {names} calls.",
    "drill.summary_share": (
        "{head}; {explained} of the change comes from {names} ({size} of the volume)."
    ),
    "drill.driver_volume_extra": (
        "Driver: offered {change} vs baseline; {share} of the extra calls were {element} calls."
    ),
    "drill.driver_volume_missing": (
        "Driver: offered {change} vs baseline; {share} of the missing calls were {element} calls."
    ),
    "drill.driver_volume_all_extra": (
        "Driver: offered {change} vs baseline; all of the extra calls were {element} calls "
        "({share} of the net change; the other calls moved the other way)."
    ),
    "drill.driver_volume_all_missing": (
        "Driver: offered {change} vs baseline; all of the missing calls were {element} calls "
        "({share} of the net change; the other calls moved the other way)."
    ),
    "drill.driver_volume_broad": "Driver: offered {change} vs baseline, spread across every category.",
    "drill.driver_handle_time": "Handle time {change} vs baseline.",
    "drill.driver_handle_time_where": "Handle time {change} vs baseline, mostly {element}.",
    "drill.driver_supply": (
        "Offered calls ({volume}) and handle time ({handle}) changed too little to explain it: "
        "the cause is likely on the supply side (agents logged in)."
    ),
}

ZH: dict[str, str] = {
    # window
    "dd.window_interval": "正在分析 **{window}**：控制图上选中的时段（{minutes} 分钟）。",
    "dd.window_day": "正在分析全天 **{window}**。可在下方缩小到异常的几个小时。",
    "dd.window_picked": "正在分析 **{window}**。",
    "dd.window_signal": "正在分析 **{window}**：控制图上选中的时段。",
    "dd.pick_title": "更改分析时段",
    "dd.pick_from": "开始",
    "dd.pick_to": "结束",
    "dd.pick_help": "00:00–24:00 即分析全天。该时段与此前正常各周同一星期几、同一时段比较。",
    "dd.pick_bad": "结束时间必须晚于开始时间。",
    "dd.hour_in": "分析时段内",
    "dd.hour_out": "分析时段外",
    "dd.no_calls": "该时段（在当前技能组筛选下）没有来电，请另选时段。",
    "dd.explaining": "正在与基线比较…",
    # options
    "dd.metric": "分析指标",
    "dd.metric_help": (
        "要解释其变化的指标。分析服务水平、放弃率、接通率和平均应答速度时，结论还会说明是否由"
        "来电增多或处理变长造成；选择“呼入量”可查看新增来电来自哪里。"
    ),
    "dd.ivr_path_option": "同时按 IVR 菜单路径分析",
    "dd.ivr_path_option_help": (
        "把 IVR 菜单路径加入分析维度。默认不含：菜单调整后，新路径在基线各周并不存在，"
        "之后一个月里每天都会像是单独激增，无论当天的真正原因是什么。"
    ),
    "dd.adjust": "p 值校正",
    "dd.adjust_help": (
        "同时检验许多元素。Holm 法控制出现任何误报的概率；Benjamini-Hochberg 法控制误报所占"
        "比例（发现更多，风险也更大）。"
    ),
    "dd.adjust_holm": "Holm 法",
    "dd.adjust_bh": "Benjamini-Hochberg 法",
    # verdict
    "dd.verdict": "结论：{verdict}",
    "dd.verdict_concentrated": "集中",
    "dd.verdict_broad": "广泛",
    "dd.verdict_none": "无显著变化",
    "dd.verdict_concentrated_help": "少数元素解释了大部分变化。",
    "dd.verdict_local": "总体无显著变化",
    "dd.verdict_broad_help": "变化按来电量比例分布于各类来电。",
    "dd.verdict_broad_volume_help": "变化按来电量比例分布于各类来电：来电量高于平常（超出随机波动范围），所有来电都需等待更久。",
    "dd.verdict_broad_handle_time_help": "变化按来电量比例分布于各类来电：通话时长高于平常，所有来电都需等待更久。",
    "dd.verdict_broad_supply_help": (
        "变化按来电量比例分布于各类来电，而来电量和处理时长都在正常范围内——"
        "通常是人手不足或系统性原因（见人力配置页）。"
    ),
    "dd.verdict_local_help": "该时段整体处在基线的正常波动范围内，但表中部分元素显著变化。",
    "dd.verdict_none_help": "该时段处在基线的正常波动范围内，表中也没有显著变化的元素。",
    # KPIs against the baseline
    "dd.kpis_title": "该时段与基线对比",
    "dd.tile_baseline": "基线 {value}",
    "dd.tile_help": (
        "数值为该时段的值；变化相对于基线（各基线时段的平均值，来电量按本时段长度折算）。"
        "样本量：本时段 {n}，基线 {n_baseline}。"
    ),
    "dd.baseline_used": "基线：{source}的 {count} 个时段（{windows}）。",
    "dd.baseline_skipped": "因异常而跳过：{windows}。",
    "dd.baseline_scaled": "基线来电量已按本时段长度折算。",
    "dd.baseline_given": "基线时段：{windows}。",
    "dd.source_previous": "此前各周同一星期几、同一时段",
    "dd.source_following": "此后各周同一星期几、同一时段（之前没有数据）",
    "dd.source_before": "紧邻其前的同长度时段（其他周均无数据）",
    "dd.baseline_title": "基线时段：采用与跳过",
    "dd.baseline_help": (
        "若某候选周的指标值或来电量在候选周中属于离群值（修正 z 分数大于 3.5，Iglewicz 与 "
        "Hoaglin 方法），则跳过该周；采用距离最近的正常周。"
    ),
    "dd.col_window": "时段",
    "dd.col_weeks_away": "相隔周数",
    "dd.col_status": "状态",
    "dd.status_used": "采用",
    "dd.status_spare": "未用（已采用更近的周）",
    "dd.reason_value": "跳过：{kpi}异常",
    "dd.reason_volume": "跳过：来电量异常",
    "dd.reason_service": "跳过：当天服务水平失控",
    "dd.reason_no_data": "跳过：无数据",
    # ranked elements
    "dd.ranked_title": "变化由什么造成",
    "dd.ranked_help": (
        "共 {count} 个元素（单个取值及其组合），按“以较少来电解释较多变化”的程度排序。"
        "检验方法：{test}；p 值经 {method}对全部元素校正，小于 {alpha} 即为显著。"
        "点击某行可在分解树中打开它。"
    ),
    "dd.test_ratio": "卡方检验（元素的占比和比率与基线相比）",
    "dd.test_mean": "Welch t 检验（均值）加占比检验",
    "dd.test_count": "拟泊松检验（来电量）",
    "dd.side_demand": "需求侧（谁来电、为何来电）",
    "dd.side_supply": "供给侧（谁接听）",
    "dd.side_dims": "维度：{dims}",
    "dd.side_empty": "这一侧没有来电量足够的元素。",
    "dd.ranked_columns": (
        "影响：该元素使总体指标变化了多少（即若该元素保持基线的占比和比率，总体会是多少），"
        "分为结构效应（其来电多了或少了）和比率效应（其自身指标变了）。解释占比：影响占总变化"
        "的比例。★ 纳入结论：结论所依据的元素。需求侧与供给侧从不组合：不能把班组接到的突增"
        "归咎于该班组。"
    ),
    "dd.col_element": "元素",
    "dd.col_finding": "判定",
    "dd.status_selected": "★ 纳入结论",
    "dd.col_significant": "显著",
    "dd.col_explained": "解释占比（%）",
    "dd.col_impact": "影响",
    "dd.col_mix": "结构效应",
    "dd.col_rate": "比率效应",
    "dd.col_value_window": "{kpi}（本时段）",
    "dd.col_value_baseline": "{kpi}（基线）",
    "dd.col_n_window": "来电量（本时段）",
    "dd.col_n_baseline": "来电量（基线）",
    "dd.col_share_window": "占比（本时段）",
    "dd.col_share_baseline": "占比（基线）",
    "dd.col_p": "p 值（{method}）",
    "dd.header_points": "{name}（百分点）",
    # decomposition tree
    "dd.tree_title": "分解树",
    "dd.tree_help": (
        "选择一个维度，然后点击某个条形（或在图下方选择其取值），再按另一维度继续拆分。"
        "路径保存在页面地址中，复制链接即可重现同一棵树。"
    ),
    "dd.tree_legend": (
        "条形：本时段；黑色刻线：基线；灰色带：仅凭随机波动本时段可能落入的范围（基线 ± 1.96 "
        "个标准误，含周间波动）。深色条形为显著（经 {method}校正 p < 0.05）。条形按其解释的"
        "总变化占比排序。"
    ),
    "dd.tree_no_dims": "数据中没有可供拆分的维度（技能组、业务类型等）。",
    "dd.tree_root": "全部来电",
    "dd.tree_end": "所有维度都已在路径上。",
    "dd.tree_none": "— 到此为止 —",
    "dd.tree_option": "{value}（解释 {share}）",
    "dd.tree_clear": "返回全部来电",
    "dd.level_title": "**第 {level} 层 · {node}** — 本时段 {value}，基线 {baseline}，样本量 {n}",
    "dd.split_by": "拆分维度",
    "dd.split_by_fixed": "按**{dim}**拆分",
    "dd.open_value": "打开一个{dim}取值",
    "dd.level_empty": "该节点没有来电。",
    "dd.level_more": "显示影响最大的 {shown} 个取值（共 {count} 个）；下方列表包含全部取值。",
    "dd.path_unknown": (
        "链接中的部分分解路径（{path}）在当前数据或该指标下不存在；分解树停在找到的最后一个节点。"
    ),
    "dd.bar_significant": "显著",
    "dd.bar_not_significant": "不显著",
    "dd.bar_on_path": "已选路径",
    "dd.bar_text": "解释 {share}",
    "dd.tip_value": "取值",
    "dd.tip_window": "本时段",
    "dd.tip_baseline": "基线",
    "dd.tip_band": "随机波动带",
    "dd.tip_impact": "占总变化",
    "dd.tip_n": "样本量 本时段 / 基线",
    "dd.tip_p": "校正后 p 值",
    # calls
    "dd.calls_title": "相关来电明细",
    "dd.rows_title": "相关时段数据明细",
    "dd.calls_count": "本时段内 **{node}** 的来电共 **{n}** 通。",
    "dd.rows_count": "本时段内 **{node}** 的时段数据共 **{n}** 行。",
    "dd.calls_first": "仅列出前 {shown} 行；下载文件包含全部。",
    "dd.calls_download": "下载这 {n} 行（CSV）",
    # notes and errors
    "dd.notes_title": "分析说明",
    "dd.note_answered_only": (
        "未纳入{dims}：只有接通的来电才有该信息，用它解释{kpi}等于用结果解释结果。"
        "可改选平均处理时长、转接率或满意度来比较。"
    ),
    "dd.note_one_value": "未纳入{dims}：这些时段内只有一个取值。",
    "dd.note_no_values": "未纳入{dims}：这些时段内没有取值。",
    "dd.note_csat_variance": "没有逐通评分：满意度的方差取其可能的最大值（Bhatia-Davis 上界）。",
    "dd.note_cv": "没有逐通时长：{kpi}的方差按变异系数为 1 估计。",
    "dd.error_baseline": (
        "无法比较该时段：此前或此后各周的同一时段都没有来电。请在数据范围内选择时段。"
    ),
    "dd.error_generic": "无法用当前数据分析该时段（{detail}）。",
    "dd.error_no_anomaly_data": "该时段内没有可计算该指标的来电",
    "dd.error_no_baseline_data": "基线日期内没有可计算该指标的来电",
    "dd.error_no_baseline_window": "此前或此后各周的同一时段都没有可比较的来电",
    "dd.error_no_metric_data": "数据中没有计算该指标所需的字段",
    "dd.error_no_time_column": "数据没有日期时间列，无法找到可比较的日期",
    "dd.error_other": "无法用当前数据分析该时段",
    # --- the drill-down's summary sentences (ccmetrics.drill) ------------------------
    "drill.two_sentences": "{first}{second}",  # no space after a Chinese full stop
    "drill.head": "{name} {value}，基线 {baseline}",
    "drill.head_count": "{name} {value}，基线 {baseline}（{change}）",
    "drill.summary_none": "{head}：在正常波动范围内（p = {p}），没有需要解释的变化。",
    "drill.summary_local_one": (
        "{head}：总体在正常波动范围内（p = {p}），但有 {count} 个元素显著变化，首先是 {element}。"
    ),
    "drill.summary_local": (
        "{head}：总体在正常波动范围内（p = {p}），但有 {count} 个元素显著变化，首先是 {element}。"
    ),
    "drill.summary_broad_named": (
        "{head}：变化广泛分布于各{dims}；{names} 解释了其中 {explained}，大致与其占总量的 {size} 成比例。"
    ),
    "drill.summary_broad": "{head}：变化广泛分布于各{dims}，没有少数元素能解释其大部分。",
    "drill.summary_count_all_extra": (
        "{head}；新增来电全部是 {names} 的来电（占净变化的 {explained}，其余来电反向变化）。"
    ),
    "drill.summary_count_all_missing": (
        "{head}；减少的来电全部是 {names} 的来电（占净变化的 {explained}，其余来电反向变化）。"
    ),
    "drill.summary_count_extra": "{head}；新增来电中 {explained} 是 {names} 的来电。",
    "drill.summary_count_missing": "{head}；减少的来电中 {explained} 是 {names} 的来电。",
    "drill.summary_share": "{head}；变化的 {explained} 来自 {names}（占总量的 {size}）。",
    "drill.driver_volume_extra": "驱动因素：来电量比基线 {change}，新增来电中 {share} 是 {element} 的来电。",
    "drill.driver_volume_missing": (
        "驱动因素：来电量比基线 {change}，减少的来电中 {share} 是 {element} 的来电。"
    ),
    "drill.driver_volume_all_extra": (
        "驱动因素：来电量比基线 {change}，新增来电全部是 {element} 的来电（占净变化的 {share}，"
        "其余来电反向变化）。"
    ),
    "drill.driver_volume_all_missing": (
        "驱动因素：来电量比基线 {change}，减少的来电全部是 {element} 的来电（占净变化的 {share}，"
        "其余来电反向变化）。"
    ),
    "drill.driver_volume_broad": "驱动因素：来电量比基线 {change}，分布于各类别。",
    "drill.driver_handle_time": "处理时长比基线 {change}。",
    "drill.driver_handle_time_where": "处理时长比基线 {change}，主要在 {element}。",
    "drill.driver_supply": (
        "来电量（{volume}）和处理时长（{handle}）的变化不足以解释：原因可能在供给侧（在线坐席数）。"
    ),
}
