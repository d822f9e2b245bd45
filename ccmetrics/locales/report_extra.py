"""Strings of the report's journey and people blocks and of the ``journey`` and ``people``
commands (English and Simplified Chinese); merged into ccmetrics.i18n.

The blocks reuse the Overview's journey strings (``journey.*``) and the Teams page's people
strings (``people.*``) where the words are the same; these are the report's own sentences,
written without Markdown (the report is HTML and slides, not Streamlit).
"""

EN: dict[str, str] = {
    # the report: the caller's journey
    "report.journey.intro": (
        "The calls of the period at each stage: the IVR, the queue, the conversation with an "
        "agent and the agent's after-call work."
    ),
    "report.journey.col.stage": "Stage",
    "report.journey.col.entered": "Calls entering",
    "report.journey.col.lost": "Lost here",
    "report.journey.col.lost_share": "Share lost",
    "report.journey.col.contained": "Served by self-service",
    "report.journey.col.mean": "Mean time",
    "report.journey.col.time_n": "Calls timed",
    "report.journey.menu_title": "Top menu options by the calls agents answered",
    "report.journey.menu_more": "{shown} of {total} top-level options shown.",
    "report.journey.topics_title": "Topics that belong higher in the menu",
    "report.journey.topic_flagged": (
        "{topic} (rank {rank} by agents' calls) sits at menu depth {depth}, while {easier}, "
        "asked less, sits at depth {easier_depth}."
    ),
    # the report: people
    "report.people.source": "Roster: {name}, {agents} agents.",
    "report.people.attrition": (
        "{start} – {end}: {leavers} leavers from an average headcount of {headcount}, an "
        "attrition of {rate} over the period ({pct} interval {low} – {high}); annualised "
        "{annual} ({annual_low} – {annual_high})."
    ),
    "report.people.no_headcount": "No agent of the roster was employed from {start} to {end}.",
    "report.people.no_agent": (
        "The calls have no agent column: the KPIs by tenure need the agent of each call."
    ),
    # the command line
    "cli.journey_needs_calls": (
        "{file} is an interval report: the journey needs call-by-call data (one row per call)."
    ),
    "cli.journey_no_ivr": (
        "{file} has no IVR column with a value (IVR time, contained in the IVR, abandoned in "
        "the IVR, IVR menu path): the journey needs at least one. Map them with --mapping."
    ),
    "cli.journey.stages": "Stages of the call",
    "cli.journey.menu": "IVR menu options, ranked by the calls agents answered",
    "cli.journey.no_menu": "No call has an IVR menu path: no menu or topic table.",
    "cli.journey.topics": "Topics, ranked by the calls agents answered (top {top})",
    "cli.journey.no_topics": "No call has both a topic (category) and a menu path: no topic table.",
    "cli.journey.col.level": "Level",
    "cli.journey.col.rank_topic": "Rank",
    "cli.people_calls_intervals": (
        "{file} is an interval report: the KPIs by tenure need call-by-call data."
    ),
    "cli.people_calls_no_agent": (
        "{file} has no agent column: the KPIs by tenure need the agent of each call."
    ),
    "cli.people.attrition": "Attrition by period ({pct} exact Poisson interval)",
    "cli.people.survival": (
        "How long agents stay (Kaplan–Meier): {spells} employment spells, {leavers} leavers, "
        "median tenure {median}."
    ),
    "cli.people.tenure": (
        "KPIs by tenure band ({unmatched} answered calls whose agent is not on the roster or "
        "not employed that day are left out)"
    ),
    "cli.people.col.period": "Period from",
    "cli.people.col.months": "Tenure (months)",
    "cli.people.col.survival": "Still employed",
    "cli.people.col.interval": "{pct} interval",
    "cli.people.col.at_risk": "Agents at risk",
}

ZH: dict[str, str] = {
    "report.journey.intro": "本期来电在各环节的情况：IVR 语音导航、排队、与坐席通话以及坐席的话后处理。",
    "report.journey.col.stage": "环节",
    "report.journey.col.entered": "进入来电",
    "report.journey.col.lost": "在此流失",
    "report.journey.col.lost_share": "流失占比",
    "report.journey.col.contained": "自助解决",
    "report.journey.col.mean": "平均时长",
    "report.journey.col.time_n": "计时来电",
    "report.journey.menu_title": "坐席接听来电最多的菜单一级选项",
    "report.journey.menu_more": "共 {total} 个一级选项，显示 {shown} 个。",
    "report.journey.topics_title": "应在菜单中上移的业务类型",
    "report.journey.topic_flagged": (
        "{topic}（按坐席来电排第 {rank}）位于菜单第 {depth} 层，而咨询更少的 {easier} 位于第 "
        "{easier_depth} 层。"
    ),
    "report.people.source": "花名册：{name}，{agents} 名坐席。",
    "report.people.attrition": (
        "{start} 至 {end}：平均在岗人数 {headcount}，离职 {leavers} 人，本期流失率 {rate}"
        "（{pct} 区间 {low} – {high}）；年化 {annual}（{annual_low} – {annual_high}）。"
    ),
    "report.people.no_headcount": "{start} 至 {end} 期间花名册上没有在职坐席。",
    "report.people.no_agent": "来电数据没有坐席列：按司龄统计指标需要每通来电的坐席。",
    "cli.journey_needs_calls": "{file} 是时段报表：来电旅程需要逐通来电数据（每通来电一行）。",
    "cli.journey_no_ivr": (
        "{file} 中没有带值的 IVR 字段（IVR 时长、IVR 自助解决、IVR 内放弃、IVR 菜单路径）："
        "来电旅程至少需要其中之一。请用 --mapping 映射这些字段。"
    ),
    "cli.journey.stages": "来电各环节",
    "cli.journey.menu": "IVR 菜单选项（按坐席接听来电排序）",
    "cli.journey.no_menu": "没有带 IVR 菜单路径的来电：不显示菜单表和业务类型表。",
    "cli.journey.topics": "业务类型（按坐席接听来电排序，前 {top} 个）",
    "cli.journey.no_topics": "没有同时带业务类型和菜单路径的来电：不显示业务类型表。",
    "cli.journey.col.level": "层级",
    "cli.journey.col.rank_topic": "排名",
    "cli.people_calls_intervals": "{file} 是时段报表：按司龄统计指标需要逐通来电数据。",
    "cli.people_calls_no_agent": "{file} 没有坐席列：按司龄统计指标需要每通来电的坐席。",
    "cli.people.attrition": "各期流失率（{pct} 精确泊松区间）",
    "cli.people.survival": (
        "坐席留任时长（Kaplan–Meier）：{spells} 段任职，{leavers} 人离职，司龄中位数 {median}。"
    ),
    "cli.people.tenure": "按司龄段统计的指标（坐席不在花名册上或当天不在职的 {unmatched} 通接听来电未计入）",
    "cli.people.col.period": "起始日期",
    "cli.people.col.months": "司龄（月）",
    "cli.people.col.survival": "仍在职",
    "cli.people.col.interval": "{pct} 区间",
    "cli.people.col.at_risk": "在险坐席",
}
