"""Strings of the day's story (ccmetrics.story) and the staffing calibration; merged into ccmetrics.i18n."""

EN: dict[str, str] = {
    "story.title": "The day's story",
    "story.error": "The day's story could not be told: {reason}",
    "story.error_arithmetic": (
        "a number of this day is beyond what the queueing model can compute with"
    ),
    "story.demand_surge_concentrated": (
        "{day}: demand surge — offered calls {change} against the baseline; {share} of the "
        "extra calls were {element}. Service level {sl} (target {target})."
    ),
    "story.demand_surge_all": (
        "{day}: demand surge — offered calls {change} against the baseline; all of the extra "
        "calls were {element} (the other calls fell). Service level {sl} (target {target})."
    ),
    "story.demand_surge_broad": (
        "{day}: demand surge — offered calls {change} against the baseline, spread across the "
        "calls (broad). Service level {sl} (target {target})."
    ),
    "story.demand_drop_concentrated": (
        "{day}: demand drop — offered calls {change} against the baseline, beyond their usual "
        "variation; {share} of the missing calls were {element}. Service level {sl} "
        "(target {target})."
    ),
    "story.demand_drop_broad": (
        "{day}: demand drop — offered calls {change} against the baseline, beyond their usual "
        "variation and spread across the calls (broad). Service level {sl} (target {target})."
    ),
    "story.forecast_miss": (
        "{day}: forecast miss — calls arrived above the forecast in the intervals that "
        "mattered, costing {points} of service level ({sl}, target {target}); over the day "
        "{offered} offered against {forecast} forecast ({gap}), and {change} against the "
        "baseline days, within their usual range."
    ),
    "story.supply_shortfall": (
        "{day}: supply shortfall — {staffed} agent-hours staffed against {scheduled} scheduled "
        "({ratio}); the missing agents cost {points} of service level ({sl}, target {target})."
    ),
    "story.handle_time_shift_team": (
        "{day}: handle-time shift in {team} from {since} — its handle time {change} against "
        "the baseline. Service level {sl} (target {target})."
    ),
    "story.handle_time_shift": (
        "{day}: handle-time shift — longer calls cost {points} of service level "
        "({sl}, target {target})."
    ),
    "story.below_target": (
        "{day}: a process below target — service level {sl}, as usual for this process "
        "(stable at {center}, day-to-day sd {spread}), below the {target} target: the process, "
        "not the day, is the problem."
    ),
    "story.local_change": (
        "{day}: the day's service level as a whole did not change significantly ({sl}), but "
        "some elements did ({count} significant in the table), led by {element}."
    ),
    "story.other": (
        "{day}: service level {sl} against a target of {target}; no single cause stands out "
        "beyond noise (against the plan: volume {volume}, handle time {aht}, staffing "
        "{staffing}, unexplained {points})."
    ),
    "story.no_significant_change": (
        "{day}: no significant change — service level {sl} against {baseline} on the baseline "
        "days, and no element of the table is significant."
    ),
    "story.insufficient_data": (
        "{day}: not enough data to tell the day's story (no calls that day, or no other week "
        "to compare it with)."
    ),
    "story.calibration": (
        "Calibrated on {days} ordinary days: {share} of logged-in time is on calls "
        "(95 % interval {low}–{high})."
    ),
    "story.calibration_above": (
        "Calibrated on {days} ordinary days: the center serves calls better than the queueing "
        "model predicts from its logged-in agents, as if it had {share} of them on the phones "
        "(95 % interval {low}–{high}); the model is corrected for that."
    ),
    "story.calibration_skipped": "Left out of the calibration as out of control: {days}.",
    "story.forecast_aht_baseline": (
        "The plan has a forecast volume but no forecast AHT: the volume effect uses each "
        "queue's baseline AHT."
    ),
}

ZH: dict[str, str] = {
    "story.title": "当天的结论",
    "story.error": "无法生成当天的结论：{reason}",
    "story.error_arithmetic": "当天的某个数值超出了排队模型的计算范围",
    "story.demand_surge_concentrated": (
        "{day}：需求激增——来电量较基线 {change}；新增来电中 {share} 是 {element}。"
        "服务水平 {sl}（目标 {target}）。"
    ),
    "story.demand_surge_all": (
        "{day}：需求激增——来电量较基线 {change}；新增来电全部是 {element}（其余来电减少）。"
        "服务水平 {sl}（目标 {target}）。"
    ),
    "story.demand_surge_broad": (
        "{day}：需求激增——来电量较基线 {change}，广泛分布于各类来电。服务水平 {sl}（目标 {target}）。"
    ),
    "story.demand_drop_concentrated": (
        "{day}：需求下降——来电量较基线 {change}，超出正常波动；减少的来电中 {share} 是 {element}。"
        "服务水平 {sl}（目标 {target}）。"
    ),
    "story.demand_drop_broad": (
        "{day}：需求下降——来电量较基线 {change}，超出正常波动，广泛分布于各类来电。"
        "服务水平 {sl}（目标 {target}）。"
    ),
    "story.forecast_miss": (
        "{day}：预测偏差——关键时段的来电高于预测，使服务水平下降 {points}（{sl}，目标 {target}）；"
        "全天实际 {offered} 通，预测 {forecast} 通（{gap}），较基线日 {change}，仍在正常范围内。"
    ),
    "story.supply_shortfall": (
        "{day}：人力不足——在岗 {staffed} 坐席小时，排班 {scheduled}（{ratio}）；"
        "缺少的坐席使服务水平下降 {points}（{sl}，目标 {target}）。"
    ),
    "story.handle_time_shift_team": (
        "{day}：处理时长变化——{team} 自 {since} 起处理时长较基线 {change}。"
        "服务水平 {sl}（目标 {target}）。"
    ),
    "story.handle_time_shift": (
        "{day}：处理时长变化——通话变长使服务水平变化 {points}（{sl}，目标 {target}）。"
    ),
    "story.below_target": (
        "{day}：流程未达标——服务水平 {sl}，与该流程平常一致（稳定在 {center}，日间标准差 {spread}），"
        "低于 {target} 的目标：问题在流程，而不在某一天。"
    ),
    "story.local_change": (
        "{day}：当天整体服务水平无显著变化（{sl}），但有 {count} 个元素显著变化，首先是 {element}。"
    ),
    "story.other": (
        "{day}：服务水平 {sl}，目标 {target}；没有哪个原因超出随机波动（相对计划：来电量 {volume}，"
        "处理时长 {aht}，人力 {staffing}，无法解释 {points}）。"
    ),
    "story.no_significant_change": (
        "{day}：无显著变化——服务水平 {sl}，基线日为 {baseline}，表中没有显著的元素。"
    ),
    "story.insufficient_data": "{day}：数据不足，无法得出当天的结论（当天没有来电，或没有可比较的其他周）。",
    "story.calibration": (
        "已用 {days} 个正常日校准：在线时间中 {share} 用于接听电话（95% 区间 {low}–{high}）。"
    ),
    "story.calibration_above": (
        "已用 {days} 个正常日校准：中心的实际服务好于排队模型按在线坐席人数所作的预测，"
        "效果相当于坐席人数乘以 {share}（95% 区间 {low}–{high}）；模型已按此修正。"
    ),
    "story.calibration_skipped": "因失控未用于校准的日期：{days}。",
    "story.forecast_aht_baseline": (
        "计划有预测来电量但没有预测处理时长：来电量的影响按各队列基线处理时长计算。"
    ),
}
