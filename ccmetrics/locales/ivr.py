"""Strings of the IVR stage of a call: its KPIs and canonical columns (English and Simplified Chinese)."""

EN: dict[str, str] = {
    "kpi.ivr_contained": "Calls served in the IVR",
    "kpi.ivr_abandoned_n": "Calls lost in the IVR",
    "kpi.ivr_abandon_rate": "IVR abandon rate",
    "kpi.ivr_s": "Mean IVR time",
    "kpi.ivr_time_n": "Calls with an IVR time",
    "field.ivr_abandoned": "hung up in the IVR (yes/no)",
    "field.ivr_path": "IVR menu path",
    "problem.ivr_only_calls": (
        "Calls that ended in the IVR (self-service or hung up there) were loaded; they are "
        "not offered to the queue."
    ),
    "problem.ivr_abandon_before_queue": (
        "Abandoned calls without a queue entry time are read as hung up in the IVR."
    ),
    "problem.ivr_only_but_answered": (
        "Answered calls flagged as ended in the IVR were kept as answered."
    ),
    "error.mapping_bad_ivr_abandon_before_queue": (
        "In the mapping file {file}, “{where}” is {found}; the option "
        "ivr_abandon_before_queue is true, false or null."
    ),
}

ZH: dict[str, str] = {
    "kpi.ivr_contained": "IVR 自助解决量",
    "kpi.ivr_abandoned_n": "IVR 内放弃量",
    "kpi.ivr_abandon_rate": "IVR 放弃率",
    "kpi.ivr_s": "平均 IVR 时长",
    "kpi.ivr_time_n": "有 IVR 时长的来电量",
    "field.ivr_abandoned": "是否在 IVR 内挂机",
    "field.ivr_path": "IVR 菜单路径",
    "problem.ivr_only_calls": "已载入在 IVR 内结束的来电（自助解决或在 IVR 内挂机），它们不计入呼入量。",
    "problem.ivr_abandon_before_queue": "没有排队开始时间的放弃来电按在 IVR 内挂机处理。",
    "problem.ivr_only_but_answered": "标记为在 IVR 内结束的已接通来电按已接通保留。",
    "error.mapping_bad_ivr_abandon_before_queue": (
        "映射文件 {file} 中，“{where}”为 {found}；选项 ivr_abandon_before_queue 应为 true、false 或 null。"
    ),
}
