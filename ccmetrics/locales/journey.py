"""Strings of the caller's journey (Overview section, ccmetrics.journey) and the IVR menu
dimension; merged into ccmetrics.i18n."""

EN: dict[str, str] = {
    "dim.ivr_path": "IVR menu path",
    "journey.title": "The caller's journey",
    "journey.intro": (
        "Each call passes the IVR, the queue, the conversation with an agent and the agent's "
        "after-call work. Per stage: the calls that entered it, the callers lost there and the "
        "mean time spent."
    ),
    "journey.no_ivr": (
        "The data has no IVR columns (IVR time, contained in IVR, abandoned in IVR, IVR menu "
        "path), so the journey and the menu table are not shown. Map them on the Data page "
        "when your export has them."
    ),
    "journey.no_calls": ("The journey needs call-by-call data; interval reports do not show it."),
    "journey.no_ivr_in_window": "No call in this window has IVR data.",
    "journey.queue_filter": (
        "A queue filter is on: callers served or lost in the IVR reach no queue, so only "
        "the IVR calls that carry one of these queues are counted."
    ),
    "journey.stage.ivr": "IVR",
    "journey.stage.queue": "Queue",
    "journey.stage.conversation": "Conversation",
    "journey.stage.acw": "After-call work",
    "journey.mean_time": "mean time, {n} calls",
    "journey.entered": "Entered: {n}",
    "journey.lost": "Lost here: {n} ({share})",
    "journey.lost_short": "Lost here: {n} ({share}), of which {short} within {seconds} s",
    "journey.contained": "Served by self-service: {n} ({share})",
    "journey.time_help": (
        "IVR: mean IVR time. Queue: mean wait of every queued caller, answered or not (the "
        "ASA counts answered calls only). Conversation: talk + hold. After-call work: the "
        "AHT's ACW part."
    ),
    "journey.lost_help": (
        "Share lost here = callers who hung up at this stage ÷ calls that entered it; short "
        "abandons count here, while the abandon-rate tile leaves them out."
    ),
    "journey.trend_time": "Mean time per stage",
    "journey.trend_lost": "Callers lost and served by self-service",
    "journey.axis_period": "Day",
    "journey.axis_stage": "Stage",
    "journey.axis_seconds": "Mean seconds",
    "journey.axis_share": "Share of the calls entering the stage",
    "journey.axis_measure": "Measure",
    "journey.axis_calls": "Calls",
    "journey.measure.ivr_lost": "Lost in the IVR",
    "journey.measure.ivr_contained": "Served by the IVR",
    "journey.measure.queue_lost": "Lost in the queue",
    "journey.menu_title": "IVR menu: where the agents' calls come from",
    "journey.menu_level": "Menu level",
    "journey.level.top": "Top-level options",
    "journey.level.path": "Full paths",
    "journey.menu_help": (
        "Each menu option, ranked by the calls agents answered after callers chose it. "
        "Containment = calls served by self-service ÷ calls that chose the option, with its "
        "95% Wilson interval."
    ),
    "journey.col.rank": "Rank",
    "journey.col.option": "Menu option",
    "journey.col.depth": "Menu depth",
    "journey.col.entered": "Calls",
    "journey.col.contained": "Self-served",
    "journey.col.containment": "Containment",
    "journey.col.interval": "95% interval",
    "journey.col.lost": "Lost in IVR",
    "journey.col.to_queue": "Sent to the queue",
    "journey.col.agent_handled": "Answered by agents",
    "journey.col.agent_share": "Share of agents' calls",
    "journey.topics_title": "Topics: do the most asked sit at the top?",
    "journey.topics_rule": (
        "A topic belongs higher in the menu when it is among the {top} topics agents answer "
        "most ({top} = the options of the menu's first level) and sits deeper than the place "
        "the menu would give it if its places (its options at each depth) were handed out by "
        "volume, the most asked topic taking the shallowest place. The operator puts the "
        "topics agents are asked about most at the top of the menu."
    ),
    "journey.col.topic": "Topic",
    "journey.col.path": "Where callers find it",
    "journey.col.path_share": "Share of its calls on that path",
    "journey.col.belongs_higher": "Belongs higher",
    "journey.col.easier": "Less asked but higher",
    "journey.flag_yes": "Yes",
    "journey.easier": "{topic} (depth {depth})",
    "journey.topic_flagged": (
        "**{topic}** (rank {rank} by agents' calls) sits at menu depth {depth}, while "
        "**{easier}**, asked less, sits at depth {easier_depth}."
    ),
    "journey.none_flagged": (
        "The menu follows the agents' volume: no topic asked more sits deeper than one asked less."
    ),
    "journey.no_topics": (
        "No call has both a topic (category) and a menu path: the topic table needs both."
    ),
    "journey.download_menu": "Download the menu table (CSV)",
    "journey.download_topics": "Download the topic table (CSV)",
}

ZH: dict[str, str] = {
    "dim.ivr_path": "IVR 菜单路径",
    "journey.title": "来电旅程",
    "journey.intro": (
        "每通来电依次经过 IVR、排队、与坐席通话以及坐席的话后处理。按环节列出：进入该环节的来电量、"
        "在该环节流失的来电者和平均停留时长。"
    ),
    "journey.no_ivr": (
        "数据中没有 IVR 字段（IVR 时长、IVR 自助解决、IVR 内放弃、IVR 菜单路径），因此不显示来电旅程"
        "和菜单表。若导出文件包含这些字段，请在“数据”页映射。"
    ),
    "journey.no_calls": "来电旅程需要逐通来电数据；时段报表无法显示。",
    "journey.no_ivr_in_window": "此时间范围内没有带 IVR 数据的来电。",
    "journey.queue_filter": (
        "已按技能组筛选：在 IVR 内自助解决或流失的来电不会进入任何技能组，因此只统计带有所选技能组的 "
        "IVR 来电。"
    ),
    "journey.stage.ivr": "IVR 语音导航",
    "journey.stage.queue": "排队",
    "journey.stage.conversation": "通话",
    "journey.stage.acw": "话后处理",
    "journey.mean_time": "平均时长，{n} 通",
    "journey.entered": "进入：{n}",
    "journey.lost": "在此流失：{n}（{share}）",
    "journey.lost_short": "在此流失：{n}（{share}），其中 {short} 通在 {seconds} 秒内挂断",
    "journey.contained": "自助解决：{n}（{share}）",
    "journey.time_help": (
        "IVR：平均 IVR 时长。排队：所有排队来电者（无论是否接通）的平均等待时长（平均应答速度只计接通"
        "来电）。通话：通话 + 保持。话后处理：平均处理时长中的话后处理部分。"
    ),
    "journey.lost_help": (
        "在此流失占比 = 在该环节挂断的来电者 ÷ 进入该环节的来电；此处计入短时放弃，而放弃率卡片不计入。"
    ),
    "journey.trend_time": "各环节平均时长",
    "journey.trend_lost": "流失与自助解决",
    "journey.axis_period": "日期",
    "journey.axis_stage": "环节",
    "journey.axis_seconds": "平均秒数",
    "journey.axis_share": "占进入该环节来电的比例",
    "journey.axis_measure": "指标",
    "journey.axis_calls": "来电量",
    "journey.measure.ivr_lost": "IVR 内流失",
    "journey.measure.ivr_contained": "IVR 自助解决",
    "journey.measure.queue_lost": "排队中流失",
    "journey.menu_title": "IVR 菜单：坐席的来电从哪里来",
    "journey.menu_level": "菜单层级",
    "journey.level.top": "一级选项",
    "journey.level.path": "完整路径",
    "journey.menu_help": (
        "按来电者选择该选项后由坐席接听的来电量排序。自助解决率 = 自助解决的来电 ÷ 选择该选项的来电，"
        "附 95% Wilson 区间。"
    ),
    "journey.col.rank": "排名",
    "journey.col.option": "菜单选项",
    "journey.col.depth": "菜单层数",
    "journey.col.entered": "来电量",
    "journey.col.contained": "自助解决",
    "journey.col.containment": "自助解决率",
    "journey.col.interval": "95% 区间",
    "journey.col.lost": "IVR 内流失",
    "journey.col.to_queue": "转入排队",
    "journey.col.agent_handled": "坐席接听",
    "journey.col.agent_share": "占坐席来电比例",
    "journey.topics_title": "业务类型：咨询最多的是否放在菜单最上层？",
    "journey.topics_rule": (
        "若某业务类型属于坐席接听最多的前 {top} 个业务类型（{top} = 菜单一级选项的个数），且所在层级"
        "比按来电量重新分配菜单位置时应得的位置更深（保持菜单各层现有的选项数，来电最多的业务占最浅的"
        "位置），则该业务类型应在菜单中上移。运营商的做法是把坐席被问得最多的业务放在菜单最上层。"
    ),
    "journey.col.topic": "业务类型",
    "journey.col.path": "来电者在哪里找到它",
    "journey.col.path_share": "走该路径的来电占比",
    "journey.col.belongs_higher": "应上移",
    "journey.col.easier": "咨询更少但更靠上",
    "journey.flag_yes": "是",
    "journey.easier": "{topic}（第 {depth} 层）",
    "journey.topic_flagged": (
        "**{topic}**（按坐席来电排第 {rank}）位于菜单第 {depth} 层，而咨询更少的 **{easier}** 位于第 "
        "{easier_depth} 层。"
    ),
    "journey.none_flagged": "菜单顺序与坐席来电量一致：没有咨询更多的业务类型比咨询更少的更深。",
    "journey.no_topics": "没有同时带业务类型和菜单路径的来电：业务类型表需要两者。",
    "journey.download_menu": "下载菜单表（CSV）",
    "journey.download_topics": "下载业务类型表（CSV）",
}
