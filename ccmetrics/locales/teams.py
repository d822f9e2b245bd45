"""Strings of the teams page (English and Simplified Chinese); merged into ccmetrics.i18n."""

EN: dict[str, str] = {
    # --- header and choices ------------------------------------------------------
    "teams.intro": (
        "Who really differs once the number of calls behind each figure is taken into "
        "account. A figure built on few calls is noisy: the funnel's limits and the rank "
        "intervals show how much of a gap is luck."
    ),
    "teams.needs_units": (
        "This page compares teams and agents: it needs call records with a team or agent "
        "column. Map one on the Data page."
    ),
    "teams.no_kpi": (
        "The data has no KPI a team or agent answers for (handle time, resolution, transfers, "
        "CSAT or QA). Map the columns on the Data page."
    ),
    "teams.unit": "Compare",
    "teams.team_filter": "Agents of",
    "teams.all_agents": "All teams",
    "teams.kpi": "KPI",
    "teams.unit_team": "team",
    "teams.unit_agent": "agent",
    "teams.units_team": "teams",
    "teams.units_agent": "agents",
    "teams.casemix": "Compare within the call mix ({strata})",
    "teams.casemix_help": (
        "Each of the {units} is judged against the value expected from its own mix of "
        "{strata}, so {units} that take the harder calls are not penalised. Applies to the "
        "funnel plot, the ranking and the quadrant."
    ),
    "teams.casemix_rank_note": (
        "Ranked on values adjusted for the call mix, as in the funnel plot: each {unit}'s raw "
        "value minus the value expected from its own mix of {strata}, plus the centre's value. "
        "These adjusted values are shrunk and ranked, so a {unit} that takes the harder "
        "calls is not ranked last for it. The quadrant adjusts {kpis} the same way."
    ),
    "teams.adjusted_value": "Mix-adjusted",
    # --- funnel plot ---------------------------------------------------------------
    "teams.funnel_title": "Funnel plot: who is outside the limits?",
    "teams.funnel_value_adjusted": "{kpi}, adjusted for call mix",
    "teams.limit_95": "95% limits",
    "teams.limit_99_8": "99.8% limits",
    "teams.flag_better": "Better than the limits",
    "teams.flag_worse": "Worse than the limits",
    "teams.flag_none": "Within the limits",
    "teams.status": "Status",
    "teams.expected": "Expected from the call mix",
    "teams.z": "z-score",
    "teams.method_exact": "exact binomial limits (Spiegelhalter's interpolation)",
    "teams.method_wilson": "Wilson score limits",
    "teams.method_normal": "normal-approximation limits",
    "teams.funnel_caption": (
        "Each dot is one of the {units}; the funnel narrows as n grows. Limits around the centre "
        "{target} (dotted line): 95% (dashed) and 99.8% (solid), {method}. A dot outside the 99.8% limits "
        "is named."
    ),
    "teams.funnel_caption_mix": (
        "Each dot is one of the {units}, its value as it would be with the centre's call mix "
        "(dotted line: the centre, {target}); the grey bar behind it spans its own limits, 95% "
        "(dark) and 99.8% (light), which depend on its mix. A dot outside its 99.8% limits is "
        "named."
    ),
    "teams.od_applied": (
        "The {units} differ more than chance alone explains (dispersion ratio φ = {phi}, "
        "{p}), so the limits are widened by the real spread between {units} (standard "
        "deviation {spread}): only {units} beyond that spread are flagged."
    ),
    "teams.od_chance": (
        "The spread between the {units} is what chance alone would give (dispersion ratio "
        "φ = {phi}, {p}): the limits are those of chance, not widened."
    ),
    "teams.p_small": "p < 0.001",
    "teams.p_value": "p = {p}",
    # --- shrinkage and league table ------------------------------------------------
    "teams.rank_title": "Shrunken estimates and plausible ranks",
    "teams.rank_caption": (
        "The value of each of the {units} is pulled towards the centre in proportion to its "
        "noise (empirical Bayes): the fewer its calls, the further it is pulled. Bars are 95% "
        "credible intervals, rings the raw values; best on the left."
    ),
    "teams.rank_caption_mix": (
        "The value of each of the {units} is pulled towards the centre in proportion to its "
        "noise (empirical Bayes): the fewer its calls, the further it is pulled. Bars are 95% "
        "credible intervals, rings the values adjusted for call mix; best on the left."
    ),
    "teams.estimate": "Shrunken estimate",
    "teams.raw_value": "Raw value",
    "teams.interval": "95% interval",
    "teams.col_rank": "Rank",
    "teams.col_rank_interval": "Plausible ranks (95%)",
    "teams.col_shrinkage": "Pulled to the centre (%)",
    "teams.rank_range": "{low} – {high}",
    "teams.rank_single": "{rank}",
    "teams.league_help": (
        "Rank of the shrunken estimate, with the range of ranks the {unit} plausibly holds: "
        "two {units} whose rank ranges overlap cannot be told apart."
    ),
    # --- quadrant ------------------------------------------------------------------------
    "teams.quad_title": "Two KPIs at once",
    "teams.quad_x": "Horizontal axis",
    "teams.quad_y": "Vertical axis",
    "teams.quad_caption": (
        "Shrunken values, axes turned so that right and up are better; the lines mark the "
        "centre. Dot size: {n}."
    ),
    "teams.quad_same": "Pick two different KPIs.",
    # --- agent card ----------------------------------------------------------------------
    "teams.card_title": "Agent card",
    "teams.card_pick": "Agent",
    "teams.card_none": "{agent} ({team}): every gap to the team is within noise (95%).",
    "teams.card_some": (
        "{agent} ({team}): {count} of {total} gaps to the team are beyond noise (95%) — {items}."
    ),
    "teams.card_none_centre": "{agent}: every gap to the centre is within noise (95%).",
    "teams.card_some_centre": (
        "{agent}: {count} of {total} gaps to the centre are beyond noise (95%) — {items}."
    ),
    "teams.card_axis_centre": "Gap to the centre in standard errors (right = better)",
    "teams.card_better": "{kpi} better",
    "teams.card_worse": "{kpi} worse",
    "teams.col_gap_team": "Gap to team",
    "teams.col_vs_team": "vs team",
    "teams.col_centre": "Centre",
    "teams.col_gap_centre": "Gap to centre",
    "teams.col_vs_centre": "vs centre",
    "teams.verdict_better": "better, beyond noise",
    "teams.verdict_worse": "worse, beyond noise",
    "teams.verdict_noise": "within noise",
    "teams.card_axis": "Gap to the team in standard errors (right = better)",
    "teams.card_caption": (
        "Each gap is tested against the rest of the team (or of the centre): beyond noise "
        "means p < 0.05, two-sided."
    ),
    # --- QA vs CSAT ------------------------------------------------------------------------
    "teams.qa_title": "Does QA agree with the customer?",
    "teams.qa_missing": "This needs both QA scores and customer ratings (CSAT) in the data.",
    "teams.qa_calls": "Calls: Spearman ρ",
    "teams.qa_units": "Correlation of {units}' means",
    "teams.qa_corrected": "Corrected for small samples",
    "teams.qa_ci": "95% CI {low} – {high} · n = {n}",
    "teams.qa_units_n": "{count} {units}",
    "teams.qa_reliability": "Reliability of a QA mean {qa}, of a CSAT mean {csat}",
    "teams.qa_caption": "Each dot is one of the {units}: mean QA score against mean rating; size = QA evaluations.",
    # --- errors ------------------------------------------------------------------------------
    "teams.what_funnel": "The funnel plot",
    "teams.what_rank": "The ranking",
    "teams.what_quad": "The quadrant chart",
    "teams.what_card": "The agent card",
    "teams.what_qa": "The QA vs CSAT panel",
    "teams.cannot_compare": (
        "{what} cannot be drawn for {kpi} on the data in view: too few {units} with data, or "
        "no spread. Widen the date range, or pick another KPI or team."
    ),
    "teams.error_detail": "Details: {reason}",
}

ZH: dict[str, str] = {
    # --- header and choices ------------------------------------------------------
    "teams.intro": (
        "考虑每个数字背后的来电量之后，谁才是真正不同？来电少的数字噪声大："
        "漏斗图的控制限和名次区间告诉您差距中有多少是运气。"
    ),
    "teams.needs_units": "本页比较班组与坐席，需要含班组或坐席列的逐通话记录。请在「数据」页映射该列。",
    "teams.no_kpi": (
        "数据中没有可归属于班组或坐席的指标（处理时长、首次解决、转接、满意度或质检）。"
        "请在「数据」页映射相应列。"
    ),
    "teams.unit": "比较对象",
    "teams.team_filter": "坐席所属班组",
    "teams.all_agents": "全部班组",
    "teams.kpi": "指标",
    "teams.unit_team": "班组",
    "teams.unit_agent": "坐席",
    "teams.units_team": "班组",
    "teams.units_agent": "坐席",
    "teams.casemix": "按来电构成比较（{strata}）",
    "teams.casemix_help": (
        "每个{units}与按其自身{strata}构成推算的期望值比较，承接较难来电的{units}不会因此吃亏。"
        "作用于漏斗图、排名和四象限图。"
    ),
    "teams.casemix_rank_note": (
        "排名基于按来电构成调整后的数值（与漏斗图相同）：各{unit}的原始值减去按其自身{strata}"
        "构成推算的期望值，再加上中心值。对这些调整后的数值进行收缩和排名，"
        "承接较难来电的{unit}不会因此排在末位。四象限图中的{kpis}也按同样方式调整。"
    ),
    "teams.adjusted_value": "构成调整后",
    # --- funnel plot ---------------------------------------------------------------
    "teams.funnel_title": "漏斗图：谁超出了控制限？",
    "teams.funnel_value_adjusted": "{kpi}（按来电构成调整）",
    "teams.limit_95": "95% 控制限",
    "teams.limit_99_8": "99.8% 控制限",
    "teams.flag_better": "优于控制限",
    "teams.flag_worse": "差于控制限",
    "teams.flag_none": "在控制限内",
    "teams.status": "状态",
    "teams.expected": "按来电构成的期望值",
    "teams.z": "z 值",
    "teams.method_exact": "精确二项控制限（Spiegelhalter 插值）",
    "teams.method_wilson": "Wilson 得分控制限",
    "teams.method_normal": "正态近似控制限",
    "teams.funnel_caption": (
        "每个点代表一个{units}；样本量 n 越大，漏斗越窄。中心值 {target}（点线）两侧的控制限："
        "95%（虚线）和 99.8%（实线），{method}。超出 99.8% 控制限的点标出名称。"
    ),
    "teams.funnel_caption_mix": (
        "每个点是一个{units}按全中心来电构成换算后的数值（点线为中心值 {target}）；其后的灰色竖条是它自己的控制限，"
        "95%（深）和 99.8%（浅），取决于其来电构成。超出 99.8% 控制限的点标出名称。"
    ),
    "teams.od_applied": (
        "各{units}之间的差异大于随机波动所能解释的范围（离散比 φ = {phi}，{p}），"
        "因此控制限按{units}之间的真实差异（标准差 {spread}）放宽：只有超出这一差异的{units}才会被标记。"
    ),
    "teams.od_chance": (
        "各{units}之间的差异与随机波动相符（离散比 φ = {phi}，{p}）：控制限即随机波动的范围，未放宽。"
    ),
    "teams.p_small": "p 值 < 0.001",
    "teams.p_value": "p 值 = {p}",
    # --- shrinkage and league table ------------------------------------------------
    "teams.rank_title": "收缩估计与可能名次",
    "teams.rank_caption": (
        "每个{units}的数值按其噪声大小向中心值收缩（经验贝叶斯）：来电越少的{units}收缩越多。"
        "竖线为 95% 可信区间，空心圆为原始值；最好的在左侧。"
    ),
    "teams.rank_caption_mix": (
        "每个{units}的数值按其噪声大小向中心值收缩（经验贝叶斯）：来电越少的{units}收缩越多。"
        "竖线为 95% 可信区间，空心圆为按来电构成调整后的数值；最好的在左侧。"
    ),
    "teams.estimate": "收缩估计",
    "teams.raw_value": "原始值",
    "teams.interval": "95% 区间",
    "teams.col_rank": "名次",
    "teams.col_rank_interval": "可能名次（95%）",
    "teams.col_shrinkage": "向中心收缩（%）",
    "teams.rank_range": "第 {low} – {high} 名",
    "teams.rank_single": "第 {rank} 名",
    "teams.league_help": "按收缩估计排名，并给出该{unit}可能的名次范围：名次范围重叠的两个{units}无法区分高下。",
    # --- quadrant ------------------------------------------------------------------------
    "teams.quad_title": "两个指标同时看",
    "teams.quad_x": "横轴",
    "teams.quad_y": "纵轴",
    "teams.quad_caption": "使用收缩估计，坐标轴方向使右侧和上方为更好；两条线标出中心值。点的大小：{n}。",
    "teams.quad_same": "请选择两个不同的指标。",
    # --- agent card ----------------------------------------------------------------------
    "teams.card_title": "坐席卡片",
    "teams.card_pick": "坐席",
    "teams.card_none": "{agent}（{team}）：与班组的各项差距均在随机波动范围内（95%）。",
    "teams.card_some": "{agent}（{team}）：{total} 项与班组的差距中有 {count} 项超出随机波动（95%）——{items}。",
    "teams.card_none_centre": "{agent}：与全中心的各项差距均在随机波动范围内（95%）。",
    "teams.card_some_centre": "{agent}：{total} 项与全中心的差距中有 {count} 项超出随机波动（95%）——{items}。",
    "teams.card_axis_centre": "与全中心的差距（标准误倍数，右侧为更好）",
    "teams.card_better": "{kpi}更好",
    "teams.card_worse": "{kpi}更差",
    "teams.col_gap_team": "与班组差距",
    "teams.col_vs_team": "对比班组",
    "teams.col_centre": "全中心",
    "teams.col_gap_centre": "与全中心差距",
    "teams.col_vs_centre": "对比全中心",
    "teams.verdict_better": "更好，超出随机波动",
    "teams.verdict_worse": "更差，超出随机波动",
    "teams.verdict_noise": "在随机波动内",
    "teams.card_axis": "与班组的差距（标准误倍数，右侧为更好）",
    "teams.card_caption": "每项差距都与班组（或全中心）其余人员比较：超出随机波动指双侧检验 p < 0.05。",
    # --- QA vs CSAT ------------------------------------------------------------------------
    "teams.qa_title": "质检得分与客户评价一致吗？",
    "teams.qa_missing": "需要数据中同时有质检得分和客户满意度评价。",
    "teams.qa_calls": "通话层面：Spearman ρ",
    "teams.qa_units": "{units}均值的相关系数",
    "teams.qa_corrected": "校正小样本噪声后",
    "teams.qa_ci": "95% 置信区间 {low} 至 {high} · 样本量 {n}",
    "teams.qa_units_n": "{count} 个{units}",
    "teams.qa_reliability": "质检均值信度 {qa}，满意度均值信度 {csat}",
    "teams.qa_caption": "每个点代表一个{units}：平均质检得分对平均客户评价；点的大小 = 质检量。",
    # --- errors ------------------------------------------------------------------------------
    "teams.what_funnel": "漏斗图",
    "teams.what_rank": "排名",
    "teams.what_quad": "四象限图",
    "teams.what_card": "坐席卡片",
    "teams.what_qa": "质检与满意度对比",
    "teams.cannot_compare": (
        "在当前数据上无法绘制{kpi}的{what}：有数据的{units}太少，或数值没有差异。"
        "请放宽日期范围，或换一个指标或班组。"
    ),
    "teams.error_detail": "详情：{reason}",
}
