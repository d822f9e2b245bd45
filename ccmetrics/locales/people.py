"""Strings of the people views (roster, attrition, tenure) and of QA evaluator calibration
(English and Simplified Chinese); merged into ccmetrics.i18n.

``error.roster_*`` are the codes of :class:`ccmetrics.people.RosterError`;
``people.cal.*`` the sentences of :func:`ccmetrics.calibration.evaluator_calibration`'s
conclusion; the rest the Data and Teams page sections of ``pages/people_section.py``.
"""

EN: dict[str, str] = {
    # --- roster file errors (ccmetrics.people.RosterError codes) -----------------------
    "error.roster_missing_column": (
        "{file} has no {column} column. Columns found: {columns}. Needed: agent (工号/坐席), "
        "start date (入职日期) and leave date (离职日期, blank while employed); team (班组) "
        "is optional."
    ),
    "error.roster_no_rows": "{file} has a header row but no data rows. Needed: one row per agent.",
    "error.roster_bad_dates": (
        "Values that are not dates in the column “{column}” of {file}: {count} (rows {rows}: "
        "{examples}). Needed: a date with its year, e.g. 2024-03-01 (a leave date may be blank)."
    ),
    "error.roster_leave_before_start": (
        "Leave dates before the start date in {file}: {count} (rows {rows}: agents {examples}). "
        "Needed: a leave date on or after the start date."
    ),
    "error.roster_duplicate_column": (
        "{file} has two columns named “{column}”; which one to use is unknown. Needed: one "
        "column of each name."
    ),
    "error.roster_overlapping_spells": (
        "Agents employed twice at the same time in {file}: {count} rows (rows {rows}: agents "
        "{examples}). Needed: each agent once, or one row per employment spell that do not "
        "overlap (a re-hire starts after the previous leave date)."
    ),
    # --- Data page: the roster upload ------------------------------------------------------
    "people.roster_title": "Agent roster (optional)",
    "people.roster_help": (
        "A file with one row per agent: agent id, team, start date and leave date (blank while "
        "still employed); English or Chinese headers (工号, 班组, 入职日期, 离职日期), CSV or "
        "Excel. With it the Teams page shows attrition, survival by tenure and KPIs by tenure."
    ),
    "people.roster_upload": "Roster file",
    "people.roster_loaded": "Roster in use: {name}, {agents} agents.",
    "people.roster_sample": (
        "The sample's roster (roster.csv, {agents} agents) goes with the sample calls; upload "
        "your own roster with your own calls."
    ),
    "people.roster_rows": (
        "Rows in the file {file_rows} = loaded {loaded} + left out {dropped} (no agent id, or "
        "a wrong number of fields)."
    ),
    "people.roster_error": "The roster was not loaded: {reason}",
    "people.roster_remove": "Remove the roster",
    # --- Teams page: attrition ---------------------------------------------------------------
    "people.title": "People: attrition and tenure",
    "people.no_roster": (
        "Load an agent roster on the Data page to see attrition, how long agents stay and the "
        "KPIs of new and experienced agents."
    ),
    "people.attrition_title": "Attrition by month",
    "people.attrition_caption": (
        "Attrition rate = leavers in the month / average headcount (mean daily headcount), "
        "with an exact Poisson {pct} interval. Last {months} months to {end}: {leavers} "
        "leavers, average headcount {headcount}, annualised attrition {annual} "
        "({low}–{high})."
    ),
    "people.month": "Month",
    "people.rate": "Attrition rate",
    "people.col.period": "Month",
    "people.attrition_table": "Attrition month by month",
    "people.col.headcount_start": "Headcount at start",
    "people.col.headcount_end": "Headcount at end",
    "people.col.hires": "Hires",
    "people.col.leavers": "Leavers",
    "people.col.average_headcount": "Average headcount",
    "people.col.attrition_rate": "Attrition rate",
    "people.col.interval": "{pct} interval",
    "people.col.annualised_rate": "Annualised",
    "people.by_team": "Attrition by team over the same {months} months (annualised, exact Poisson interval)",
    "people.col.team": "Team",
    # --- Teams page: survival ------------------------------------------------------------------
    "people.survival_title": "How long agents stay (Kaplan–Meier)",
    "people.survival_caption": (
        "Share of agents still employed at each tenure, with a {pct} Greenwood interval "
        "(log-log). {spells} employment spells, {leavers} leavers; agents still employed are "
        "counted up to {end}. Median tenure: {median}."
    ),
    "people.median_months": "{months:.1f} months",
    "people.median_none": "not reached (more than half still employed)",
    "people.tenure_months": "Tenure (months)",
    "people.still_employed": "Still employed",
    "people.at_risk": "Agents at risk",
    # --- Teams page: KPIs by tenure ----------------------------------------------------------
    "people.tenure_title": "KPIs by tenure: the learning curve",
    "people.tenure_caption": (
        "Each call is placed in its agent's tenure band on the call date (months since the "
        "start date). {unmatched} answered calls whose agent is not on the roster, or not "
        "employed that day, are left out."
    ),
    "dim.tenure_band": "Tenure (months)",
    "people.agents": "Agents",
    # --- Teams page: evaluator calibration --------------------------------------------------
    "people.cal_title": "QA evaluator calibration",
    "people.cal_caption": (
        "Offset = mean of (the evaluator's score − the other evaluators' mean score for the "
        "same {within}), with a {pct} t interval; flagged when beyond noise after Holm's "
        "adjustment over the evaluators."
    ),
    "people.cal.col.evaluator": "Evaluator",
    "people.cal.col.n_scored": "Scores",
    "people.cal.col.mean_score": "Mean score",
    "people.cal.col.n_compared": "Compared",
    "people.cal.col.offset": "Offset (points)",
    "people.cal.col.interval": "{pct} interval",
    "people.cal.col.p_adjusted": "p (Holm)",
    "people.cal.col.verdict": "Verdict",
    "people.cal.verdict.lenient": "Lenient",
    "people.cal.verdict.severe": "Severe",
    "people.cal.verdict.none": "Within noise",
    "people.cal.pairs_title": "Calls scored twice: agreement per pair of evaluators (ICC(2,1))",
    "people.cal.col.evaluator_a": "Evaluator A",
    "people.cal.col.evaluator_b": "Evaluator B",
    "people.cal.col.calls": "Calls",
    "people.cal.col.mean_difference": "Mean A − B",
    "people.cal.col.icc_2_1": "ICC(2,1)",
    "people.cal.missing": (
        "Evaluator calibration needs an evaluator column beside the QA score; map it on the "
        "Data page."
    ),
    "people.cal.within.agent_category": "agent and category",
    "people.cal.within.agent": "agent",
    "people.cal.within.category": "category",
    "people.cal.within.none": "calls",
    "people.cal.too_few": (
        "Too few calls of the same {within} were scored by different evaluators to compare them."
    ),
    "people.cal.compared": ("{count} evaluators compared on calls of the same {within}."),
    "people.cal.offset_item": "{name} ({offset:+.1f} points)",
    "people.cal.lenient": "Scores higher than the others beyond noise: {names}.",
    "people.cal.severe": "Scores lower than the others beyond noise: {names}.",
    "people.cal.none": "No evaluator differs from the others beyond noise ({pct}, Holm).",
    "people.cal.agreement": (
        "On {calls} calls scored twice, the evaluators agree with ICC(1) = {icc:.2f}."
    ),
}

ZH: dict[str, str] = {
    # --- roster file errors ------------------------------------------------------------------
    "error.roster_missing_column": (
        "{file} 缺少 {column} 列。找到的列：{columns}。需要：坐席工号（agent）、入职日期"
        "（start date）和离职日期（leave date，在职者留空）；班组（team）可选。"
    ),
    "error.roster_no_rows": "{file} 只有表头，没有数据行。需要：每位坐席一行。",
    "error.roster_bad_dates": (
        "{file} 的“{column}”列中有 {count} 个值不是日期（第 {rows} 行：{examples}）。"
        "需要：带年份的日期，例如 2024-03-01（离职日期可留空）。"
    ),
    "error.roster_leave_before_start": (
        "{file} 中有 {count} 行离职日期早于入职日期（第 {rows} 行：坐席 {examples}）。"
        "需要：离职日期不早于入职日期。"
    ),
    "error.roster_duplicate_column": "{file} 有两列都叫“{column}”，无法确定使用哪一列。需要：每个列名只出现一次。",
    "error.roster_overlapping_spells": (
        "{file} 中有 {count} 行坐席在同一时间段重复在职（第 {rows} 行：坐席 {examples}）。"
        "需要：每位坐席一行，或每段任职一行且互不重叠（再次入职应在上次离职日期之后）。"
    ),
    # --- Data page ---------------------------------------------------------------------------
    "people.roster_title": "坐席花名册（可选）",
    "people.roster_help": (
        "每位坐席一行：工号、班组、入职日期和离职日期（在职者留空）；中文或英文表头，"
        "CSV 或 Excel。加载后，团队页显示流失率、按司龄的留存和按司龄的指标。"
    ),
    "people.roster_upload": "花名册文件",
    "people.roster_loaded": "正在使用的花名册：{name}，{agents} 名坐席。",
    "people.roster_sample": (
        "示例花名册（roster.csv，{agents} 名坐席）与示例通话配套；使用自己的通话数据时请上传自己的花名册。"
    ),
    "people.roster_rows": "文件行数 {file_rows} = 已加载 {loaded} + 剔除 {dropped}（无工号或字段数不对）。",
    "people.roster_error": "花名册未加载：{reason}",
    "people.roster_remove": "移除花名册",
    # --- Teams page: attrition -------------------------------------------------------------
    "people.title": "人员：流失与司龄",
    "people.no_roster": "在数据页加载坐席花名册，即可查看流失率、坐席留存时长以及新老坐席的指标。",
    "people.attrition_title": "按月流失率",
    "people.attrition_caption": (
        "流失率 = 当月离职人数 / 平均在职人数（日均在职人数），附精确泊松 {pct} 区间。"
        "截至 {end} 的最近 {months} 个月：离职 {leavers} 人，平均在职 {headcount} 人，"
        "年化流失率 {annual}（{low}–{high}）。"
    ),
    "people.month": "月份",
    "people.rate": "流失率",
    "people.col.period": "月份",
    "people.attrition_table": "逐月流失明细",
    "people.col.headcount_start": "月初人数",
    "people.col.headcount_end": "月末人数",
    "people.col.hires": "入职",
    "people.col.leavers": "离职",
    "people.col.average_headcount": "平均在职人数",
    "people.col.attrition_rate": "流失率",
    "people.col.interval": "{pct} 区间",
    "people.col.annualised_rate": "年化",
    "people.by_team": "同期 {months} 个月各班组流失率（年化，精确泊松区间）",
    "people.col.team": "班组",
    # --- Teams page: survival ---------------------------------------------------------------
    "people.survival_title": "坐席留存时长（Kaplan–Meier）",
    "people.survival_caption": (
        "各司龄时仍在职的坐席比例，附 {pct} Greenwood 区间（log-log）。共 {spells} 段任职、"
        "{leavers} 人离职；在职坐席计至 {end}。司龄中位数：{median}。"
    ),
    "people.median_months": "{months:.1f} 个月",
    "people.median_none": "未达到（过半仍在职）",
    "people.tenure_months": "司龄（月）",
    "people.still_employed": "仍在职比例",
    "people.at_risk": "在册人数",
    # --- Teams page: KPIs by tenure --------------------------------------------------------
    "people.tenure_title": "按司龄的指标：学习曲线",
    "people.tenure_caption": (
        "每通电话按坐席在通话当日的司龄（自入职日期起的月数）归入司龄段。"
        "有 {unmatched} 通已接通电话的坐席不在花名册中或当日不在职，未计入。"
    ),
    "dim.tenure_band": "司龄（月）",
    "people.agents": "坐席数",
    # --- Teams page: evaluator calibration -----------------------------------------------
    "people.cal_title": "质检员校准",
    "people.cal_caption": (
        "偏差 = 该质检员评分 − 其他质检员对同一{within}评分均值，取平均，附 {pct} t 区间；"
        "经 Holm 多重校正后超出噪声者标出。"
    ),
    "people.cal.col.evaluator": "质检员",
    "people.cal.col.n_scored": "评分数",
    "people.cal.col.mean_score": "平均分",
    "people.cal.col.n_compared": "可比评分数",
    "people.cal.col.offset": "偏差（分）",
    "people.cal.col.interval": "{pct} 区间",
    "people.cal.col.p_adjusted": "p 值（Holm）",
    "people.cal.col.verdict": "结论",
    "people.cal.verdict.lenient": "偏松",
    "people.cal.verdict.severe": "偏严",
    "people.cal.verdict.none": "在噪声范围内",
    "people.cal.pairs_title": "双评通话：每对质检员的一致性（ICC(2,1)）",
    "people.cal.col.evaluator_a": "质检员 A",
    "people.cal.col.evaluator_b": "质检员 B",
    "people.cal.col.calls": "通话数",
    "people.cal.col.mean_difference": "A − B 平均差",
    "people.cal.col.icc_2_1": "组内相关 ICC(2,1)",
    "people.cal.missing": "质检员校准需要质检得分旁的质检员列；请在数据页映射。",
    "people.cal.within.agent_category": "坐席和业务类型",
    "people.cal.within.agent": "坐席",
    "people.cal.within.category": "业务类型",
    "people.cal.within.none": "通话",
    "people.cal.too_few": "由不同质检员评分的同一{within}通话太少，无法比较。",
    "people.cal.compared": "在同一{within}的通话上比较了 {count} 名质检员。",
    "people.cal.offset_item": "{name}（{offset:+.1f} 分）",
    "people.cal.lenient": "评分显著高于其他质检员（超出噪声）：{names}。",
    "people.cal.severe": "评分显著低于其他质检员（超出噪声）：{names}。",
    "people.cal.none": "没有质检员的评分与其他人的差异超出噪声（{pct}，Holm）。",
    "people.cal.agreement": "在 {calls} 通双评通话上，质检员一致性 ICC(1) = {icc:.2f}。",
}
