"""The codes the staffing analysis returns, and their names in the translation table."""

from __future__ import annotations

from ccmetrics import i18n

__all__ = [
    "INTERVAL_CLASSES",
    "INTERVAL_CLASS_HELP",
    "MISSED_CLASSES",
    "INPUT_NOTES",
    "CAUSE_EFFECTS",
    "CAUSE_NAMES",
    "effect_of_cause",
]


#: Interval classes of :func:`classify_intervals` with their labels.
INTERVAL_CLASSES: dict[str, dict[str, str]] = {
    "no_calls": {"en": "no calls", "zh": "无来电"},
    "met_target": {"en": "met target", "zh": "达标"},
    "within_noise": {"en": "below target, within noise", "zh": "未达标，但在随机波动范围内"},
    "forecast_miss": {"en": "forecast miss", "zh": "预测偏差"},
    "schedule_gap": {"en": "schedule gap", "zh": "排班缺口"},
    "adherence_gap": {"en": "adherence gap", "zh": "出勤缺口"},
    "understaffed": {"en": "understaffed for the actual load", "zh": "实际话务量下人手不足"},
    "something_else": {"en": "something else", "zh": "其他原因"},
}
#: One-sentence explanation of each class (for tooltips and reports).
INTERVAL_CLASS_HELP: dict[str, dict[str, str]] = {
    "no_calls": {
        "en": "No calls arrived, so there is no service level.",
        "zh": "没有来电，无法计算服务水平。",
    },
    "met_target": {
        "en": "Measured service level at or above target.",
        "zh": "实测服务水平达到或超过目标。",
    },
    "within_noise": {
        "en": "Below target, but by less than the chance variation of so few calls.",
        "zh": "低于目标，但差距在来电量较少时的随机波动范围内。",
    },
    "forecast_miss": {
        "en": "More load (calls × handle time) arrived than forecast; the biggest part of the agent gap.",
        "zh": "实际话务负荷（来电量 × 处理时长）高于预测，是人手缺口的最大部分。",
    },
    "schedule_gap": {
        "en": "The schedule had fewer agents than the forecast needed.",
        "zh": "排班人数少于预测所需人数。",
    },
    "adherence_gap": {
        "en": "Fewer agents were on the phones than scheduled.",
        "zh": "实际在岗人数少于排班人数。",
    },
    "understaffed": {
        "en": "Fewer agents than the actual load needed (no forecast or schedule to say why).",
        "zh": "在岗人数少于实际话务所需（缺少预测或排班数据，无法细分原因）。",
    },
    "something_else": {
        "en": "Enough agents for the actual load, yet service level far below what the model expects.",
        "zh": "在岗人数足以应对实际话务，服务水平却远低于模型预期。",
    },
}
#: Classes that mean "missed the target beyond noise".
MISSED_CLASSES = (
    "forecast_miss",
    "schedule_gap",
    "adherence_gap",
    "understaffed",
    "something_else",
)

#: Notes :func:`staffing_inputs` may attach to its result (``table.attrs["notes"]``):
#: code -> English message (``{plan_queues}`` / ``{data_queues}`` are filled in).
INPUT_NOTES: dict[str, str] = {
    "plan_without_queues": (
        "The plan has no queues while the data has ({data_queues}): "
        "the data is compared with the plan over all queues together."
    ),
    "plan_other_queues": (
        "None of the plan's queues ({plan_queues}) is in the data ({data_queues}): "
        "the plan and the calls are not compared."
    ),
    "forecast_aht_from_baseline": (
        "The plan has a forecast volume but no forecast AHT: the volume effect uses the "
        "baseline AHT of each queue."
    ),
}

#: Names of the effects in the summary sentences.
_EFFECT_NAMES = {
    "volume": {"en": "volume", "zh": "话务量"},
    "aht": {"en": "handle time", "zh": "处理时长"},
    "staffing": {"en": "staffing", "zh": "人力"},
    "unexplained": {"en": "unexplained", "zh": "无法解释"},
}


#: The staffing effect (:data:`EFFECTS`) that carries each cause of ``ccmetrics.story``:
#: a story named by the staffing attribution names the same effect on the Staffing page.
CAUSE_EFFECTS = {
    "demand_surge": "volume",
    "forecast_miss": "volume",
    "supply_shortfall": "staffing",
    "handle_time_shift": "aht",
    "other": "unexplained",
}


#: Each cause of ``ccmetrics.story`` (``story.CAUSES``) as :func:`why_summary` names it
#: (the words of the Staffing page's "Main cause" tile and of the story's sentence).
CAUSE_NAMES = {
    cause: {lang: i18n.t(f"staff.story_cause.{cause}", lang) for lang in ("en", "zh")}
    for cause in (
        "demand_surge",
        "forecast_miss",
        "supply_shortfall",
        "handle_time_shift",
        "other",
        "demand_drop",
        "below_target",
        "local_change",
        "no_significant_change",
        "insufficient_data",
    )
}


def effect_of_cause(cause: str) -> str | None:
    """The staffing effect that names a story's cause, None for a cause without one.

    Examples
    --------
    >>> effect_of_cause("supply_shortfall"), effect_of_cause("no_significant_change")
    ('staffing', None)
    """
    return CAUSE_EFFECTS.get(cause)
