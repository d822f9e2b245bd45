"""Strings of the comparison of teams and agents (English and Simplified Chinese); merged into
ccmetrics.i18n.

The plain-language conclusions of :mod:`ccmetrics.funnel` and :mod:`ccmetrics.compare`
(``shrink``, ``gaps``, ``differences``, ``qa_vs_csat``) are built from these sentences; a
conclusion is its sentences joined by a space. ``{unit}`` is the running-text noun of the
compared dimension (``compare.unit.<dimension>``): English writes its plural as ``{unit}s``,
Chinese has no plural. Numbers keep their format spec in the template (``{p:.3g}``).
"""

EN: dict[str, str] = {
    # --- words shared by the conclusions ----------------------------------------------
    "compare.unit.queue": "queue",
    "compare.unit.category": "category",
    "compare.unit.segment": "customer segment",
    "compare.unit.team": "team",
    "compare.unit.agent": "agent",
    "compare.unit.channel": "channel",
    "compare.list_sep": ", ",
    "compare.clause_sep": "; ",
    "compare.two_sentences": "{first} {second}",
    "compare.better": "better",
    "compare.worse": "worse",
    "compare.casemix": "Values are adjusted for each {unit}'s mix of {mix}.",
    # --- funnel plot ------------------------------------------------------------------
    "compare.funnel.spread": (
        "The {count} {unit}s differ on {kpi} more than chance alone explains "
        "(real variation between {unit}s, over-dispersion), but no single {unit} "
        "stands out beyond that spread: none is outside the {pct} limits."
    ),
    "compare.funnel.spread_widened": (
        "The {count} {unit}s differ on {kpi} more than chance alone explains "
        "(real variation between {unit}s, over-dispersion), but no single {unit} "
        "stands out beyond that spread: none is outside the {pct} limits "
        "(widened for that variation)."
    ),
    "compare.funnel.chance": (
        "No {unit} is outside the {pct} limits for {kpi}: the differences between "
        "the {count} {unit}s are consistent with chance."
    ),
    "compare.funnel.chance_allowed": (
        "The limits allow for a small estimated variation between {unit}s."
    ),
    "compare.funnel.above": "above the limits ({direction}): {names}",
    "compare.funnel.below": "below the limits ({direction}): {names}",
    "compare.funnel.outside_one": (
        "{flagged} of {count} {unit}s differs from the centre on {kpi} beyond the {pct} "
        "limits — {parts}."
    ),
    "compare.funnel.outside_many": (
        "{flagged} of {count} {unit}s differ from the centre on {kpi} beyond the {pct} "
        "limits — {parts}."
    ),
    "compare.funnel.widened_one": (
        "The limits are widened for the variation between {unit}s beyond chance "
        "(over-dispersion): it stands out even beyond that spread."
    ),
    "compare.funnel.widened_many": (
        "The limits are widened for the variation between {unit}s beyond chance "
        "(over-dispersion): these stand out even beyond that spread."
    ),
    "compare.funnel.not_widened": (
        "Together the {unit}s vary more than chance alone explains (over-dispersion) and "
        "the limits are not widened for it, so some of these may be ordinary variation "
        "between {unit}s."
    ),
    # --- shrinkage and rank intervals -------------------------------------------------
    "compare.shrink.head": (
        "Ranking {count} {unit}s on {kpi} after shrinkage: the typical {pct} rank "
        "interval spans {width:.0f} places."
    ),
    "compare.shrink.top": "Surely in the top quarter: {names}.",
    "compare.shrink.bottom": "Surely in the bottom quarter: {names}.",
    "compare.shrink.none_sure": (
        "No {unit} is surely in the top or bottom quarter: a league table would rank noise."
    ),
    # --- gaps to the team or centre ---------------------------------------------------
    "compare.gaps.reference_within": "their {unit}",
    "compare.gaps.reference_centre": "the centre",
    "compare.gaps.none": "No gap to {reference} is beyond noise (at {pct}).",
    "compare.gaps.item": "{name} {kpi} ({direction})",
    "compare.gaps.some": (
        "{beyond} of {total} gaps to {reference} are beyond noise (at {pct}): {items}."
    ),
    # --- omnibus and pairwise tests ---------------------------------------------------
    "compare.differences.differ": "The {count} {unit}s differ on {kpi} ({test}, p = {p:.3g}).",
    "compare.differences.no_evidence": (
        "No evidence that the {count} {unit}s differ on {kpi} ({test}, p = {p:.3g})."
    ),
    "compare.differences.pairs": "{significant} of {pairs} pairs differ after {method} adjustment.",
    "compare.differences.within": "Calls are compared within {mix}.",
    # --- QA vs CSAT -------------------------------------------------------------------
    "compare.qa.too_few": (
        "Too few calls have both a QA score and a customer rating to compare them."
    ),
    "compare.qa.calls": (
        "On {n} calls with both, QA scores show {strength} agreement with the customer's "
        "rating (Spearman ρ = {rho:.2f}, {pct} CI {ci_lower:.2f} to {ci_upper:.2f})."
    ),
    "compare.qa.strength.none": "no",
    "compare.qa.strength.none_negative": "no negative",
    "compare.qa.strength.weak": "a weak",
    "compare.qa.strength.weak_negative": "a weak negative",
    "compare.qa.strength.moderate": "a moderate",
    "compare.qa.strength.moderate_negative": "a moderate negative",
    "compare.qa.strength.strong": "a strong",
    "compare.qa.strength.strong_negative": "a strong negative",
    "compare.qa.units": "Across {count} {unit}s the correlation of the means is r = {r:.2f}.",
    "compare.qa.units_corrected": (
        "Across {count} {unit}s the correlation of the means is r = {r:.2f}; corrected for "
        "the noise of small samples (reliability of a QA mean {reliability_qa:.2f}, of a "
        "CSAT mean {reliability_csat:.2f}) it is {r_corrected:.2f}."
    ),
    "compare.qa.items_track": "Items that track customer satisfaction: {names}.",
    "compare.qa.items_other": "Items that do not: {names}.",
}

ZH: dict[str, str] = {
    # --- words shared by the conclusions ----------------------------------------------
    "compare.unit.queue": "技能组",
    "compare.unit.category": "业务类型",
    "compare.unit.segment": "客户分群",
    "compare.unit.team": "班组",
    "compare.unit.agent": "坐席",
    "compare.unit.channel": "渠道",
    "compare.list_sep": "、",
    "compare.clause_sep": "；",
    "compare.two_sentences": "{first}{second}",
    "compare.better": "更好",
    "compare.worse": "更差",
    "compare.casemix": "数值已按各{unit}的{mix}构成进行调整。",
    # --- funnel plot ------------------------------------------------------------------
    "compare.funnel.spread": (
        "{count} 个{unit}的{kpi}差异超出随机波动所能解释的范围（{unit}之间存在"
        "真实差异，即过度离散），但没有哪个{unit}超出这一差异范围：均在 {pct} 控制限内。"
    ),
    "compare.funnel.spread_widened": (
        "{count} 个{unit}的{kpi}差异超出随机波动所能解释的范围（{unit}之间存在"
        "真实差异，即过度离散），但没有哪个{unit}超出这一差异范围：均在 {pct} "
        "控制限内（已按这一差异放宽）。"
    ),
    "compare.funnel.chance": "{count} 个{unit}的{kpi}均在 {pct} 控制限内：差异可由随机波动解释。",
    "compare.funnel.chance_allowed": "控制限已考虑{unit}之间估计的少量差异。",
    "compare.funnel.above": "高于控制限（{direction}）：{names}",
    "compare.funnel.below": "低于控制限（{direction}）：{names}",
    "compare.funnel.outside_one": "{count} 个{unit}中有 {flagged} 个的{kpi}超出 {pct} 控制限——{parts}。",
    "compare.funnel.outside_many": (
        "{count} 个{unit}中有 {flagged} 个的{kpi}超出 {pct} 控制限——{parts}。"
    ),
    "compare.funnel.widened_one": (
        "控制限已按{unit}之间超出随机波动的差异（过度离散）放宽：以上{unit}即使相对这一差异范围也属突出。"
    ),
    "compare.funnel.widened_many": (
        "控制限已按{unit}之间超出随机波动的差异（过度离散）放宽：以上{unit}即使相对这一差异范围也属突出。"
    ),
    "compare.funnel.not_widened": (
        "{unit}之间整体差异超出随机波动（过度离散），而控制限未相应放宽，"
        "因此其中部分可能只是{unit}之间的正常差异。"
    ),
    # --- shrinkage and rank intervals -------------------------------------------------
    "compare.shrink.head": (
        "对 {count} 个{unit}的{kpi}收缩估计后排名：典型的 {pct} 名次区间跨度为 {width:.0f} 位。"
    ),
    "compare.shrink.top": "确定位于前四分之一：{names}。",
    "compare.shrink.bottom": "确定位于后四分之一：{names}。",
    "compare.shrink.none_sure": "没有{unit}能确定位于前或后四分之一：简单排名只是在排列随机波动。",
    # --- gaps to the team or centre ---------------------------------------------------
    "compare.gaps.reference_within": "所在{unit}",
    "compare.gaps.reference_centre": "全中心",
    "compare.gaps.none": "与{reference}的差距均在随机波动范围内（{pct}）。",
    "compare.gaps.item": "{name} {kpi}（{direction}）",
    # names what the gaps are measured to, as the English does
    "compare.gaps.some": "与{reference}的 {total} 项差距中有 {beyond} 项超出随机波动（{pct}）：{items}。",
    # --- omnibus and pairwise tests ---------------------------------------------------
    "compare.differences.differ": "{count} 个{unit}的{kpi}存在显著差异（{test}，p = {p:.3g}）。",
    "compare.differences.no_evidence": (
        "没有证据表明 {count} 个{unit}的{kpi}存在差异（{test}，p = {p:.3g}）。"
    ),
    "compare.differences.pairs": "经 {method} 校正后，{pairs} 对中有 {significant} 对存在差异。",
    "compare.differences.within": "已在同一{mix}内进行比较。",
    # --- QA vs CSAT -------------------------------------------------------------------
    "compare.qa.too_few": "同时具有质检得分和客户评价的通话太少，无法比较。",
    "compare.qa.calls": (
        "在 {n} 通同时有质检和评价的通话中，质检得分与客户评价呈{strength}相关"
        "（Spearman ρ = {rho:.2f}，{pct} 置信区间 {ci_lower:.2f} 至 {ci_upper:.2f}）。"
    ),
    "compare.qa.strength.none": "几乎没有",
    "compare.qa.strength.none_negative": "几乎没有负",
    "compare.qa.strength.weak": "较弱的",
    "compare.qa.strength.weak_negative": "较弱的负",
    "compare.qa.strength.moderate": "中等的",
    "compare.qa.strength.moderate_negative": "中等的负",
    "compare.qa.strength.strong": "较强的",
    "compare.qa.strength.strong_negative": "较强的负",
    "compare.qa.units": "在 {count} 个{unit}层面，平均值的相关系数 r = {r:.2f}。",
    "compare.qa.units_corrected": (
        "在 {count} 个{unit}层面，平均值的相关系数 r = {r:.2f}；校正小样本噪声后"
        "（质检均值信度 {reliability_qa:.2f}，满意度均值信度 {reliability_csat:.2f}）为 "
        "{r_corrected:.2f}。"
    ),
    "compare.qa.items_track": "与客户满意度相关的条目：{names}。",
    "compare.qa.items_other": "与客户满意度无关的条目：{names}。",
}
