"""Strings of the IVR stage of a call: its KPIs and canonical columns (English and Simplified Chinese)."""

EN: dict[str, str] = {
    "kpi.ivr_contained": "Calls served in the IVR",
    "kpi.ivr_abandoned_n": "Calls lost in the IVR",
    "kpi.ivr_abandon_rate": "IVR abandon rate",
    "kpi.ivr_s": "Mean IVR time",
    "kpi.ivr_time_n": "Calls with an IVR time",
    "field.ivr_abandoned": "hung up in the IVR (yes/no)",
    "field.ivr_path": "IVR menu path",
}

ZH: dict[str, str] = {
    "kpi.ivr_contained": "IVR 自助解决量",
    "kpi.ivr_abandoned_n": "IVR 内放弃量",
    "kpi.ivr_abandon_rate": "IVR 放弃率",
    "kpi.ivr_s": "平均 IVR 时长",
    "kpi.ivr_time_n": "有 IVR 时长的来电量",
    "field.ivr_abandoned": "是否在 IVR 内挂机",
    "field.ivr_path": "IVR 菜单路径",
}
