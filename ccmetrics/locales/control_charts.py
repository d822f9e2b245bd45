"""Strings of the control charts page (English and Simplified Chinese); merged into ccmetrics.i18n."""

EN: dict[str, str] = {
    # --- header and controls ---------------------------------------------------
    "cc.intro": (
        "A control chart separates real changes from everyday noise: points outside the "
        "limits, or unusual runs, are signals worth a look; everything else is noise."
    ),
    "cc.window": "{start} – {end} · queues: {queues} · segments: {segments}",
    "cc.all": "all",
    "cc.view": "View",
    "cc.view.one": "One KPI",
    "cc.view.all": "All KPIs",
    "cc.kpi": "KPI",
    "cc.granularity": "One point per",
    "cc.gran.interval": "{minutes} min",
    "cc.gran.day": "day",
    "cc.gran.week": "week",
    "cc.segment": "Customer segments",
    "cc.segment_placeholder": "All segments",
    "cc.chart_type": "Chart",
    "cc.chart_type_help": "The default is the chart that fits this KPI and granularity.",
    "cc.chart.p_prime": "Laney p′ chart",
    "cc.chart.p": "p chart",
    "cc.chart.xbar_s": "X̄-S chart",
    "cc.chart.xmr": "XmR (individuals) chart",
    "cc.chart.seasonal": "Seasonal (like-for-like) chart",
    "cc.chart.ewma": "EWMA chart",
    "cc.chart.cusum": "CUSUM chart",
    "cc.default_mark": "{chart} (default)",
    "cc.chart_about.p_prime": (
        "Laney p′ chart: limits from the day-to-day variation of the rate, because with "
        "hundreds of calls a plain p chart flags almost every point."
    ),
    "cc.chart_about.p": (
        "p chart: limits from binomial noise alone; with large call volumes they are usually "
        "too narrow."
    ),
    "cc.chart_about.xbar_s": (
        "X̄-S chart: each point is the mean of its calls; limits from the spread of the calls "
        "within each period, widened (Laney) when the period means vary more than that spread "
        "explains."
    ),
    "cc.chart_about.xmr": "XmR chart: limits from the average change between consecutive points.",
    "cc.chart_about.seasonal": (
        "Seasonal chart: each point is compared with the same weekday (and time of day) in "
        "the baseline, so a regular Monday-morning peak is not an alarm."
    ),
    "cc.chart_about.ewma": (
        "EWMA chart: a smoothed line that picks up small persistent drifts; the points are "
        "the smoothed values."
    ),
    "cc.chart_about.cusum": (
        "CUSUM chart: cumulative deviations from the center, in standard deviations; a "
        "signal means a persistent shift up or down."
    ),
    "cc.settings": "Rules, baseline and exclusions",
    "cc.rules": "Rules",
    "cc.rules_help": (
        "Nelson 1 (a point beyond the limits) and the Anhøj runs analysis are the default: "
        "more rules find more signals, and more false alarms."
    ),
    "cc.rules_not_used": "This chart uses its own limits only; the rules do not apply.",
    "cc.no_rules": "No rule selected: nothing can signal.",
    "cc.rule.nelson_1": "Nelson 1 · a point beyond the limits",
    "cc.rule.nelson_2": "Nelson 2 · nine points in a row on one side",
    "cc.rule.nelson_3": "Nelson 3 · six points in a row rising or falling",
    "cc.rule.nelson_4": "Nelson 4 · fourteen points alternating up and down",
    "cc.rule.nelson_5": "Nelson 5 · two of three points beyond 2 sigma",
    "cc.rule.nelson_6": "Nelson 6 · four of five points beyond 1 sigma",
    "cc.rule.nelson_7": "Nelson 7 · fifteen points in a row within 1 sigma",
    "cc.rule.nelson_8": "Nelson 8 · eight points in a row outside 1 sigma",
    "cc.rule.anhoej": "Anhøj · an unusually long run on one side",
    "cc.rule.ewma": "EWMA beyond its limits",
    "cc.rule.cusum_upper": "CUSUM · upward shift",
    "cc.rule.cusum_lower": "CUSUM · downward shift",
    "cc.use_baseline": "Compute the limits from part of the range only",
    "cc.baseline": "Baseline (limits from these days)",
    "cc.baseline_help": (
        "Points in the baseline define the center line and limits; later points are judged "
        "against them."
    ),
    "cc.exclude": "Leave out of the limits",
    "cc.exclude_help": (
        "Points with a known special cause stay on the chart but do not widen the limits."
    ),
    "cc.exclude_placeholder": "No point left out",
    "cc.exclude_signals": "Leave the current signals out of the limits",
    "cc.use_change": "Check whether a change worked",
    "cc.change": "Change took effect on",
    "cc.change_help": (
        "The limits are computed separately before and after this day, and the two periods "
        "are compared."
    ),
    # --- chart -----------------------------------------------------------------------
    "cc.signal": "Signal",
    "cc.no_signal": "No signal",
    "cc.line.ucl": "Upper limit",
    "cc.line.center": "Center line",
    "cc.line.lcl": "Lower limit",
    "cc.line.change": "Change",
    "cc.tip.period": "Period",
    "cc.tip.rules": "Rules fired",
    "cc.tip.excluded": "Left out of the limits",
    "cc.yes": "yes",
    "cc.week_of": "week of {day}",
    "cc.cusum_axis": "CUSUM (standard deviations)",
    "cc.partial_weeks": (
        "The first or the last week is only partly inside the date range: its volumes are not "
        "comparable with whole weeks."
    ),
    "cc.chart_hint": "Click a red point to open that period in the drill-down.",
    "cc.summary": "{chart} · {signals} of {points} points signal",
    "cc.summary_phase.before": "Before the change",
    "cc.summary_phase.after": "After the change",
    "cc.sigma_z": "Laney's σz = {value} (variation beyond what the call volume explains)",
    "cc.lag1": "lag-1 autocorrelation {value}",
    "cc.limit_points": "limits from {count} points",
    "cc.anhoej_ok": (
        "Runs analysis: longest run {run} (limit {run_max}), {crossings} crossings of the "
        "center line (at least {crossings_min} expected): no sign of a shift."
    ),
    "cc.anhoej_signal": (
        "Runs analysis: longest run {run} (limit {run_max}), {crossings} crossings of the "
        "center line (at least {crossings_min} expected): a sustained shift (see below)."
    ),
    # --- diagnostics (ccmetrics.spc warning codes) -------------------------------------
    "cc.warn.few_points": (
        "Too few points define the limits ({count}): treat signals as hints rather than "
        "findings (20 or more points are better)."
    ),
    "cc.warn.overdispersion_attribute": (
        "The points vary {sigma_z} times more than chance allows at these call volumes: "
        "these limits are too narrow and flag ordinary periods. Use the Laney p′ chart."
    ),
    "cc.warn.overdispersion_means": (
        "The period means vary {sigma_z} times more than the spread of the calls within each "
        "period explains (calls of the same period are alike, e.g. waits that build up and "
        "drain together). The limits are widened by that factor (Laney's adjustment) so that "
        "ordinary periods are not flagged."
    ),
    "cc.warn.autocorrelation_positive": (
        "Consecutive points are correlated (lag-1 autocorrelation {value}): the limits are "
        "too narrow and long runs are expected, so expect extra signals. Try a coarser "
        "granularity or the seasonal chart."
    ),
    "cc.warn.autocorrelation_negative": (
        "Consecutive points alternate (lag-1 autocorrelation {value}): the limits are too "
        "wide and may hide real changes."
    ),
    "cc.warn.slot_without_baseline": (
        "Some time slots have no data in the baseline: their points have no expectation and "
        "cannot signal."
    ),
    # --- improvement check ---------------------------------------------------------------
    "cc.improvement_title": "Did the change work?",
    "cc.improvement_test.proportion": "Two-proportion test, allowing for day-to-day variation",
    "cc.improvement_test.mean": "Welch's t-test on the period values",
    "cc.improvement_detail": "{test} · p {p_value}",
    # --- verdict: what the chart says, in one sentence --------------------------------
    "cc.verdict_title": "What this chart says",
    "cc.verdict.stable_misses_target": (
        "Stable at {level} ± {spread}, {side} the {target} target: the process, not a day, is "
        "the problem. About {share} of {units} reach the target; only a change to the process "
        "(staffing, handle time, routing) moves the level."
    ),
    "cc.verdict.stable_meets_target": (
        "Stable at {level} ± {spread}, meeting the {target} target (about {share} of {units} "
        "reach it): no signal, the variation is what the process usually shows."
    ),
    "cc.verdict.stable": (
        "Stable at {level} ± {spread}: no signal, the variation is what the process usually shows."
    ),
    "cc.verdict.signals": (
        "{count} one-off incident(s) beyond the limits; the most severe: {peak}, {value} "
        "against {center}. Open it in the drill-down for the cause."
    ),
    "cc.verdict.shift": (
        "A sustained shift {direction} the center line from {start} ({signals} signal(s) "
        "over {points} {units}): one finding, not one per {unit}. Check it with the "
        "improvement check from {start}."
    ),
    "cc.verdict.shift_window": (
        "A sustained stretch {direction} the center line from {start} to {end} ({signals} "
        "signal(s) over {points} intervals): one finding, not one per interval."
    ),
    "cc.verdict.capability": (
        "Outside the signals the process runs at {level} ± {spread} against the {target} "
        "target (about {share} of {units} reach it)."
    ),
    "cc.verdict.spread_help": "± one standard deviation of the {units} without a signal.",
    "cc.side.below": "below",
    "cc.side.above": "above",
    "cc.units.interval": "intervals",
    "cc.units.day": "days",
    "cc.units.week": "weeks",
    "cc.unit.interval": "interval",
    "cc.unit.day": "day",
    "cc.unit.week": "week",
    "cc.check_shift": "Check the shift from {start}",
    "cc.findings_title": "Findings (one per incident or shift, most severe first)",
    "cc.kind.point": "one-off incident",
    "cc.kind.shift": "sustained shift",
    "cc.col_kind": "Finding",
    "cc.col_direction": "Side",
    "cc.col_from": "From",
    "cc.col_to": "To",
    "cc.col_signals": "Signals",
    "cc.col_peak": "Most severe",
    "cc.col_severity": "Severity (σ)",
    "cc.map_title": "Signal map: day × time of day",
    "cc.map_caption": (
        "Each cell is one interval, coloured by its distance from the center line in standard "
        "errors (blue below, red above); outlined cells are signals."
    ),
    "cc.map_z": "Distance (σ)",
    "cc.map_day": "Day",
    "cc.map_slot": "Time of day",
    "cc.signals_sorted": "Most severe first.",
    # --- signals -----------------------------------------------------------------------
    "cc.signals_title": "Signals",
    "cc.no_signals": "No signal in this chart: the variation is what the process usually shows.",
    "cc.no_signal_points": "No period is beyond the control limits.",
    "cc.col_period": "Period",
    "cc.col_n": "n",
    "cc.col_center": "Center",
    "cc.col_lcl": "Lower limit",
    "cc.col_ucl": "Upper limit",
    "cc.col_rules": "Rules fired",
    "cc.open_signal": "Or pick a signal to open in the drill-down",
    "cc.open_signal_button": "Open in drill-down",
    # --- small multiples -------------------------------------------------------------
    "cc.multiples_intro": (
        "Every KPI on its default chart for the selected period, the KPIs with the most "
        "signals first. Red points are signals."
    ),
    "cc.multiples_title": "{kpi} · signals: {signals}",
    "cc.open_chart": "Open chart",
    # --- problems ----------------------------------------------------------------------
    "cc.no_kpi": "The data has none of the KPIs this page charts.",
    "cc.too_many_points": (
        "{points} points are too many to chart one by one. Narrow the date range in the "
        "sidebar (at most about {days} days at this granularity)."
    ),
    "cc.error.no_points": (
        "No point is left to compute the limits: widen the baseline or leave fewer points out."
    ),
    "cc.error.change_sides": "Pick a change date with points on both sides of it.",
    "cc.error.phase_points": (
        "Each side of the change needs at least two points: move the change date."
    ),
    "cc.error.generic": "This chart cannot be drawn for the selected data ({reason}).",
}

ZH: dict[str, str] = {
    # --- header and controls ---------------------------------------------------
    "cc.intro": (
        "控制图把真正的变化与日常波动区分开：超出控制限的点或异常的游程是值得关注的信号，"
        "其余都是正常波动。"
    ),
    "cc.window": "{start} – {end} · 技能组：{queues} · 客户群：{segments}",
    "cc.all": "全部",
    "cc.view": "视图",
    "cc.view.one": "单个指标",
    "cc.view.all": "全部指标",
    "cc.kpi": "指标",
    "cc.granularity": "每个点代表",
    "cc.gran.interval": "{minutes} 分钟",
    "cc.gran.day": "天",
    "cc.gran.week": "周",
    "cc.segment": "客户群",
    "cc.segment_placeholder": "全部客户群",
    "cc.chart_type": "控制图类型",
    "cc.chart_type_help": "默认值是最适合该指标和时间粒度的控制图。",
    "cc.chart.p_prime": "Laney p′ 控制图",
    "cc.chart.p": "p 控制图",
    "cc.chart.xbar_s": "均值-标准差（X̄-S）控制图",
    "cc.chart.xmr": "单值-移动极差（XmR）控制图",
    "cc.chart.seasonal": "季节性（同期对比）控制图",
    "cc.chart.ewma": "指数加权移动平均（EWMA）控制图",
    "cc.chart.cusum": "累积和（CUSUM）控制图",
    "cc.default_mark": "{chart}（默认）",
    "cc.chart_about.p_prime": (
        "Laney p′ 控制图：控制限来自比率在各期之间的实际波动；来电量达到数百通时，"
        "普通 p 控制图几乎会把每个点都标为异常。"
    ),
    "cc.chart_about.p": "p 控制图：控制限只考虑二项抽样误差；来电量大时通常过窄。",
    "cc.chart_about.xbar_s": (
        "均值-标准差控制图：每个点是该时段通话的平均值，控制限来自时段内通话的离散程度；"
        "当各时段平均值的波动超出时段内离散程度所能解释的范围时，控制限按 Laney 方法放宽。"
    ),
    "cc.chart_about.xmr": "单值-移动极差控制图：控制限来自相邻两点之间的平均变化。",
    "cc.chart_about.seasonal": (
        "季节性控制图：每个点与基准期内相同星期（及相同时段）的水平比较，"
        "因此每周一上午的固定高峰不会被误报。"
    ),
    "cc.chart_about.ewma": "EWMA 控制图：平滑后的曲线，能发现微小而持续的漂移；图中的点是平滑值。",
    "cc.chart_about.cusum": "CUSUM 控制图：相对中心线的累积偏差（以标准差为单位）；出现信号表示持续上移或下移。",
    "cc.settings": "判异规则、基准期与剔除点",
    "cc.rules": "判异规则",
    "cc.rules_help": "默认使用 Nelson 规则 1（超出控制限）和 Anhøj 游程分析；规则越多，发现的信号越多，误报也越多。",
    "cc.rules_not_used": "该控制图只使用自身的控制限，判异规则不适用。",
    "cc.no_rules": "未选择任何规则：不会出现信号。",
    "cc.rule.nelson_1": "Nelson 规则 1 · 一点超出控制限",
    "cc.rule.nelson_2": "Nelson 规则 2 · 连续九点位于中心线同一侧",
    "cc.rule.nelson_3": "Nelson 规则 3 · 连续六点递增或递减",
    "cc.rule.nelson_4": "Nelson 规则 4 · 连续十四点上下交替",
    "cc.rule.nelson_5": "Nelson 规则 5 · 三点中有两点超出 2 倍标准差",
    "cc.rule.nelson_6": "Nelson 规则 6 · 五点中有四点超出 1 倍标准差",
    "cc.rule.nelson_7": "Nelson 规则 7 · 连续十五点在 1 倍标准差以内",
    "cc.rule.nelson_8": "Nelson 规则 8 · 连续八点在 1 倍标准差以外",
    "cc.rule.anhoej": "Anhøj 游程 · 同一侧的游程异常长",
    "cc.rule.ewma": "EWMA 超出控制限",
    "cc.rule.cusum_upper": "CUSUM · 向上偏移",
    "cc.rule.cusum_lower": "CUSUM · 向下偏移",
    "cc.use_baseline": "只用部分日期计算控制限",
    "cc.baseline": "基准期（用这些日期计算控制限）",
    "cc.baseline_help": "基准期内的点决定中心线和控制限，之后的点据此判断。",
    "cc.exclude": "不参与控制限计算的点",
    "cc.exclude_help": "已知特殊原因的点仍显示在图上，但不会放宽控制限。",
    "cc.exclude_placeholder": "没有剔除的点",
    "cc.exclude_signals": "把当前信号点排除在控制限计算之外",
    "cc.use_change": "检验一项改进是否有效",
    "cc.change": "改进生效日期",
    "cc.change_help": "在该日期前后分别计算控制限，并比较前后两段。",
    # --- chart -----------------------------------------------------------------------
    "cc.signal": "信号",
    "cc.no_signal": "无信号",
    "cc.line.ucl": "控制上限",
    "cc.line.center": "中心线",
    "cc.line.lcl": "控制下限",
    "cc.line.change": "改进日期",
    "cc.tip.period": "时段",
    "cc.tip.rules": "触发的规则",
    "cc.tip.excluded": "不参与控制限计算",
    "cc.yes": "是",
    "cc.week_of": "{day} 当周",
    "cc.cusum_axis": "CUSUM（标准差）",
    "cc.partial_weeks": "第一周或最后一周只有部分日期在所选范围内：其来电量不能与完整的周比较。",
    "cc.chart_hint": "点击红色的点，在根因下钻页打开该时段。",
    "cc.summary": "{chart} · {points} 个点中有 {signals} 个信号",
    "cc.summary_phase.before": "改进前",
    "cc.summary_phase.after": "改进后",
    "cc.sigma_z": "Laney σz = {value}（超出来电量所能解释的波动）",
    "cc.lag1": "一阶自相关 {value}",
    "cc.limit_points": "控制限基于 {count} 个点",
    "cc.anhoej_ok": (
        "游程分析：最长游程 {run}（上限 {run_max}），穿越中心线 {crossings} 次"
        "（至少应有 {crossings_min} 次）：没有发生偏移的迹象。"
    ),
    "cc.anhoej_signal": (
        "游程分析：最长游程 {run}（上限 {run_max}），穿越中心线 {crossings} 次"
        "（至少应有 {crossings_min} 次）：存在持续偏移（见下文）。"
    ),
    # --- diagnostics (ccmetrics.spc warning codes) -------------------------------------
    "cc.warn.few_points": "控制限只基于 {count} 个点：信号仅供参考，不宜作为结论（最好有 20 个以上的点）。",
    "cc.warn.overdispersion_attribute": (
        "各点的波动是该来电量下随机波动的 {sigma_z} 倍：这些控制限过窄，会把正常时段标为异常。"
        "请使用 Laney p′ 控制图。"
    ),
    "cc.warn.overdispersion_means": (
        "各时段平均值的波动是时段内通话离散程度所能解释的 {sigma_z} 倍（同一时段的通话彼此相似，"
        "例如等待时间一起累积、一起消退）。控制限已按此倍数放宽（Laney 调整），"
        "以免把正常时段标为异常。"
    ),
    "cc.warn.autocorrelation_positive": (
        "相邻的点相互关联（一阶自相关 {value}）：控制限偏窄，且容易出现长游程，信号会偏多。"
        "可改用更粗的时间粒度或季节性控制图。"
    ),
    "cc.warn.autocorrelation_negative": (
        "相邻的点上下交替（一阶自相关 {value}）：控制限偏宽，可能掩盖真实的变化。"
    ),
    "cc.warn.slot_without_baseline": "部分时段在基准期内没有数据：这些点没有预期值，不会产生信号。",
    # --- improvement check ---------------------------------------------------------------
    "cc.improvement_title": "改进是否有效？",
    "cc.improvement_test.proportion": "两比例检验（已考虑各期之间的波动）",
    "cc.improvement_test.mean": "基于各期数值的 Welch t 检验",
    "cc.improvement_detail": "{test} · p 值 {p_value}",
    # --- verdict: what the chart says, in one sentence --------------------------------
    "cc.verdict_title": "这张控制图说明了什么",
    "cc.verdict.stable_misses_target": (
        "过程稳定在 {level} ± {spread}，{side}目标 {target}：问题在过程本身，而不在某一天。"
        "按{units}计约 {share} 达到目标；只有改变过程（排班、处理时长、路由）才能改变这一水平。"
    ),
    "cc.verdict.stable_meets_target": (
        "过程稳定在 {level} ± {spread}，达到目标 {target}（按{units}计约 {share} 达标）："
        "没有信号，波动属于过程的正常波动。"
    ),
    "cc.verdict.stable": "过程稳定在 {level} ± {spread}：没有信号，波动属于过程的正常波动。",
    "cc.verdict.signals": (
        "{count} 个超出控制限的单次事件；最严重的是 {peak}：{value}（中心线 {center}）。"
        "可在根因下钻页查看原因。"
    ),
    "cc.verdict.shift": (
        "自 {start} 起持续{direction}中心线（{points} 个{units}中有 {signals} 个信号）："
        "这是一个发现，而不是每个{unit}各算一个。可用自 {start} 起的改进检验加以确认。"
    ),
    "cc.verdict.shift_window": (
        "自 {start} 至 {end} 持续{direction}中心线（{points} 个时段中有 {signals} 个信号）："
        "这是一个发现，而不是每个时段各算一个。"
    ),
    "cc.verdict.capability": (
        "除信号外，过程运行在 {level} ± {spread}，目标为 {target}（按{units}计约 {share} 达标）。"
    ),
    "cc.verdict.spread_help": "± 为无信号的各{units}之间的一个标准差。",
    "cc.side.below": "低于",
    "cc.side.above": "高于",
    "cc.units.interval": "时段",
    "cc.units.day": "天",
    "cc.units.week": "周",
    "cc.unit.interval": "时段",
    "cc.unit.day": "天",
    "cc.unit.week": "周",
    "cc.check_shift": "检验自 {start} 起的偏移",
    "cc.findings_title": "发现（每个事件或偏移一条，最严重的在前）",
    "cc.kind.point": "单次事件",
    "cc.kind.shift": "持续偏移",
    "cc.col_kind": "发现",
    "cc.col_direction": "方向",
    "cc.col_from": "起始",
    "cc.col_to": "结束",
    "cc.col_signals": "信号数",
    "cc.col_peak": "最严重的点",
    "cc.col_severity": "严重程度（σ）",
    "cc.map_title": "信号分布图：日期 × 时段",
    "cc.map_caption": "每个格子是一个时段，颜色表示它偏离中心线的标准误个数（蓝色偏低，红色偏高）；带边框的格子是信号。",
    "cc.map_z": "偏离（σ）",
    "cc.map_day": "日期",
    "cc.map_slot": "时段",
    "cc.signals_sorted": "按严重程度排序，最严重的在前。",
    # --- signals -----------------------------------------------------------------------
    "cc.signals_title": "信号",
    "cc.no_signals": "该控制图没有信号：波动属于过程的正常波动。",
    "cc.no_signal_points": "没有超出控制限的时段。",
    "cc.col_period": "时段",
    "cc.col_n": "样本量 n",
    "cc.col_center": "中心线",
    "cc.col_lcl": "控制下限",
    "cc.col_ucl": "控制上限",
    "cc.col_rules": "触发的规则",
    "cc.open_signal": "或选择一个信号，在根因下钻页打开",
    "cc.open_signal_button": "在根因下钻页打开",
    # --- small multiples -------------------------------------------------------------
    "cc.multiples_intro": "所选期间内每个指标的默认控制图，信号最多的指标排在前面。红色的点是信号。",
    "cc.multiples_title": "{kpi} · {signals} 个信号",
    "cc.open_chart": "打开控制图",
    # --- problems ----------------------------------------------------------------------
    "cc.no_kpi": "数据中没有本页可以绘制的指标。",
    "cc.too_many_points": "{points} 个点太多，无法逐点绘制。请在侧边栏缩小日期范围（该粒度下最多约 {days} 天）。",
    "cc.error.no_points": "没有可用于计算控制限的点：请扩大基准期或减少剔除的点。",
    "cc.error.change_sides": "请选择一个前后都有数据点的改进日期。",
    "cc.error.phase_points": "改进日期前后各需要至少两个点：请调整改进日期。",
    "cc.error.generic": "无法为所选数据绘制该控制图（{reason}）。",
}
