"""Strings of targets and traffic lights (English and Simplified Chinese); merged into ccmetrics.i18n.

The ``targets.words.*`` entries are the words :func:`ccmetrics.targets.read_targets`
accepts in a targets file (headers, levels, directions), comma-separated; every
language's list is accepted whatever the language in force.
"""

EN: dict[str, str] = {
    # --- words a targets file may use (comma-separated; matched without case) ---------
    "targets.words.kpi": "kpi, indicator, metric",
    "targets.words.level": "level",
    "targets.words.unit": "unit, unit name, name, team or agent",
    "targets.words.target": "target, goal, target value",
    "targets.words.direction": "direction",
    "targets.words.tolerance": "tolerance",
    "targets.words.organisation": "organisation, organization, org, centre, center, company",
    "targets.words.team": "team",
    "targets.words.agent": "agent",
    "targets.words.min": "min, at least, >=, higher is better",
    "targets.words.max": "max, at most, <=, lower is better",
    # --- names ------------------------------------------------------------------
    "targets.level.organisation": "Organisation",
    "targets.level.team": "Team",
    "targets.level.agent": "Agent",
    "targets.level.default": "Default",
    "targets.direction.min": "at least",
    "targets.direction.max": "at most",
    "targets.light.green": "met",
    "targets.light.amber": "missed, within noise",
    "targets.light.red": "missed",
    "targets.light.grey": "no target",
    "targets.verdict.better": "better",
    "targets.verdict.worse": "worse",
    "targets.verdict.none": "within noise",
    # --- errors of a targets file -----------------------------------------------------
    "targets.error.unreadable": "{file}: not a readable table ({reason}).",
    "targets.error.too_large": (
        "{file}: a targets file of more than {limit} bytes; a targets file holds one row per "
        "KPI and unit."
    ),
    "targets.error.empty": "{file}: no target rows.",
    "targets.error.columns_missing": (
        "{file}: no column {columns}. A targets file needs the columns kpi and target, and "
        "level and unit for team or agent targets (or 指标, 目标值, 层级, 对象); it has {found}."
    ),
    "targets.error.kpi_unknown": (
        "{file}, column {column}, rows {rows}: {values} is not a KPI of the app. Use a KPI "
        "code such as service_level, abandon_rate, aht_s or its name."
    ),
    "targets.error.level_unknown": (
        "{file}, column {column}, rows {rows}: {values} is not a level. Use organisation, "
        "team or agent."
    ),
    "targets.error.unit_missing": (
        "{file}, column {column}, rows {rows}: a team or agent target needs the team's or "
        "agent's name."
    ),
    "targets.error.target_not_number": (
        "{file}, column {column}, rows {rows}: {values} is not a number."
    ),
    "targets.error.target_out_of_range": (
        "{file}, column {column}, rows {rows}: {values} is out of range (percentages between "
        "0 and 100 %, times and counts not negative)."
    ),
    "targets.error.direction_unknown": (
        "{file}, column {column}, rows {rows}: {values} is not a direction. Use min (at "
        "least the target) or max (at most the target)."
    ),
    "targets.error.direction_needed": (
        "{file}, column {column}, rows {rows}: {values} is neither better high nor low; say "
        "min or max in a direction column."
    ),
    "targets.error.tolerance_invalid": (
        "{file}, column {column}, rows {rows}: {values} is not a tolerance (a number not below "
        "0, smaller than 100 % for percentages)."
    ),
    "targets.error.duplicate": (
        "{file}, rows {rows}: the same KPI, level and unit more than once ({values})."
    ),
    "targets.error.malformed_rows": (
        "{file}: {count} rows with a wrong number of fields (or an unterminated quote), e.g. "
        "{values}. Needed: every row with the header's columns."
    ),
    "targets.error.duplicate_column": (
        "{file}: two columns named {column}; which one to use is unknown. Needed: one column "
        "of each name."
    ),
    # --- sidebar ----------------------------------------------------------------------
    "targets.sidebar_title": "Targets",
    "targets.upload": "Targets file (CSV or Excel)",
    "targets.upload_help": (
        "Columns kpi, level (organisation, team or agent), unit (the team's or agent's name), "
        "target, and optionally direction (min or max) and tolerance. Percentages as 80 or "
        "80 %. The most specific target applies: agent, then team, then organisation."
    ),
    "targets.loaded": "{file}: {rows} targets ({teams} for teams, {agents} for agents).",
    "targets.sl_from_file": (
        "The service-level target of the settings is now {target}, from the file."
    ),
    "targets.editor_caption": (
        "Organisation targets (empty: none). The service-level target is the one in the "
        "settings above."
    ),
    # --- tiles and tables --------------------------------------------------------------
    "targets.tile": "{marker} {word} · target {direction} {target}",
    "targets.col_light": "Against target",
    "targets.col_target": "Target",
    "targets.light_help": (
        "Met: the value meets the target. Missed, within noise: it misses the target (beyond "
        "the tolerance) by no more than chance allows for its n (one-sided test at 5 %: "
        "binomial for rates, t for means). Missed: it misses it beyond noise."
    ),
    # --- Teams section ---------------------------------------------------------------
    "targets.section_title": "Targets and gaps, period against period",
    "targets.section_intro": (
        "Each {unit} over the {days} days in view against the {days} days before: the change, "
        "the gap to its target, and the gap to the average of the other {unit}s, one KPI at a "
        "time. A change or gap counts as beyond noise when its p-value, adjusted for the "
        "number of {unit}s ({method}), is below 5 %."
    ),
    "targets.by": "Compare by",
    "targets.kpis": "KPI",
    "targets.no_previous": (
        "The data has no calls in the {days} days before the window: the changes are blank."
    ),
    "targets.no_units": "The data in view has no {unit} with calls for this KPI.",
    "targets.cannot": "The table cannot be computed for this data: {reason}",
    "targets.method.holm": "Holm",
    "targets.method.bh": "Benjamini–Hochberg",
    "targets.col_kpi": "KPI",
    "targets.col_rank": "Rank",
    "targets.col_n": "n",
    "targets.col_value": "Now",
    "targets.col_n_before": "n before",
    "targets.col_value_before": "Before",
    "targets.col_change": "Change",
    "targets.col_change_verdict": "Change beyond noise?",
    "targets.col_target_gap": "Gap to target",
    "targets.col_others": "Average of the others",
    "targets.col_others_gap": "Gap to the others",
    "targets.col_others_verdict": "Gap beyond noise?",
    "targets.summary_lights": (
        "{kpi}: of the {total} {unit}s with a target, {red} miss it beyond noise, {amber} miss "
        "it within noise and {green} meet it."
    ),
    "targets.summary_no_target": "{kpi} has no target: set one in the sidebar or a targets file.",
    "targets.summary_gaps": (
        "Against the average of the others, {better} {unit}s are better and {worse} worse "
        "beyond noise; {changed} changed beyond noise since the period before."
    ),
    "targets.download": "Download the table (CSV)",
}

ZH: dict[str, str] = {
    "targets.words.kpi": "指标, 指标名称, KPI",
    "targets.words.level": "层级, 级别",
    "targets.words.unit": "对象, 对象名称, 名称",
    "targets.words.target": "目标值, 目标",
    "targets.words.direction": "方向",
    "targets.words.tolerance": "容差, 允许偏差",
    "targets.words.organisation": "组织, 中心, 全中心, 公司, 整体",
    "targets.words.team": "班组, 团队",
    "targets.words.agent": "坐席, 个人",
    "targets.words.min": "不低于, 至少, 越高越好",
    "targets.words.max": "不高于, 至多, 越低越好",
    "targets.level.organisation": "组织",
    "targets.level.team": "班组",
    "targets.level.agent": "坐席",
    "targets.level.default": "默认",
    "targets.direction.min": "不低于",
    "targets.direction.max": "不高于",
    "targets.light.green": "达标",
    "targets.light.amber": "未达标（在噪声内）",
    "targets.light.red": "未达标",
    "targets.light.grey": "无目标",
    "targets.verdict.better": "更好",
    "targets.verdict.worse": "更差",
    "targets.verdict.none": "在噪声内",
    "targets.error.unreadable": "{file}：无法读取为表格（{reason}）。",
    "targets.error.too_large": "{file}：目标文件超过 {limit} 字节；目标文件每个指标和对象一行。",
    "targets.error.empty": "{file}：没有目标行。",
    "targets.error.columns_missing": (
        "{file}：缺少列 {columns}。目标文件需要 指标 和 目标值 列，班组或坐席目标还需要 层级 和 "
        "对象 列（或 kpi、target、level、unit）；文件中的列为 {found}。"
    ),
    "targets.error.kpi_unknown": (
        "{file}，列 {column}，第 {rows} 行：{values} 不是本应用的指标。请使用指标代码（如 "
        "service_level、abandon_rate、aht_s）或指标名称。"
    ),
    "targets.error.level_unknown": (
        "{file}，列 {column}，第 {rows} 行：{values} 不是层级。请使用 组织、班组 或 坐席。"
    ),
    "targets.error.unit_missing": (
        "{file}，列 {column}，第 {rows} 行：班组或坐席目标需要填写班组或坐席名称。"
    ),
    "targets.error.target_not_number": "{file}，列 {column}，第 {rows} 行：{values} 不是数字。",
    "targets.error.target_out_of_range": (
        "{file}，列 {column}，第 {rows} 行：{values} 超出范围（百分比在 0 到 100% 之间，时长和"
        "数量不能为负）。"
    ),
    "targets.error.direction_unknown": (
        "{file}，列 {column}，第 {rows} 行：{values} 不是方向。请使用 不低于（min）或 不高于（max）。"
    ),
    "targets.error.direction_needed": (
        "{file}，列 {column}，第 {rows} 行：{values} 没有高好或低好之分；请在方向列填写 不低于 或 不高于。"
    ),
    "targets.error.tolerance_invalid": (
        "{file}，列 {column}，第 {rows} 行：{values} 不是有效容差（不小于 0 的数字，百分比须小于 100%）。"
    ),
    "targets.error.duplicate": "{file}，第 {rows} 行：同一指标、层级和对象出现多次（{values}）。",
    "targets.error.malformed_rows": (
        "{file}：有 {count} 行字段数不对（或引号未闭合），例如 {values}。需要：每行的列与表头一致。"
    ),
    "targets.error.duplicate_column": "{file}：有两列都叫 {column}，无法确定使用哪一列。需要：每个列名只出现一次。",
    "targets.sidebar_title": "目标",
    "targets.upload": "目标文件（CSV 或 Excel）",
    "targets.upload_help": (
        "列：指标、层级（组织、班组 或 坐席）、对象（班组或坐席名称）、目标值，可选 方向（不低于/"
        "不高于）和 容差。百分比写作 80 或 80%。以最具体的目标为准：坐席，其次班组，最后组织。"
    ),
    "targets.loaded": "{file}：{rows} 个目标（班组 {teams} 个，坐席 {agents} 个）。",
    "targets.sl_from_file": "设置中的服务水平目标已按文件改为 {target}。",
    "targets.editor_caption": "组织目标（留空表示无目标）。服务水平目标见上方设置。",
    "targets.tile": "{marker} {word} · 目标 {direction} {target}",
    "targets.col_light": "对照目标",
    "targets.col_target": "目标",
    "targets.light_help": (
        "达标：数值达到目标。未达标（在噪声内）：未达到目标（超出容差），但差距不超过其样本量下的"
        "随机波动（单侧检验，5% 水平：比率用二项检验，均值用 t 检验）。未达标：差距超出噪声。"
    ),
    "targets.section_title": "目标与差距：本期对比上期",
    "targets.section_intro": (
        "每个{unit}在当前 {days} 天与此前 {days} 天对比：变化、与目标的差距、与其他{unit}平均值的"
        "差距，逐项指标。p 值经{unit}个数校正（{method}）后低于 5% 时，变化或差距视为超出噪声。"
    ),
    "targets.by": "比较维度",
    "targets.kpis": "指标",
    "targets.no_previous": "窗口之前的 {days} 天没有来电数据：变化一栏为空。",
    "targets.no_units": "当前数据中没有此指标有来电的{unit}。",
    "targets.cannot": "无法为此数据计算该表：{reason}",
    "targets.method.holm": "Holm 法",
    "targets.method.bh": "Benjamini–Hochberg 法",
    "targets.col_kpi": "指标",
    "targets.col_rank": "排名",
    "targets.col_n": "样本量",
    "targets.col_value": "本期",
    "targets.col_n_before": "上期样本量",
    "targets.col_value_before": "上期",
    "targets.col_change": "变化",
    "targets.col_change_verdict": "变化是否超出噪声",
    "targets.col_target_gap": "与目标差距",
    "targets.col_others": "其他平均",
    "targets.col_others_gap": "与其他平均差距",
    "targets.col_others_verdict": "差距是否超出噪声",
    "targets.summary_lights": (
        "{kpi}：有目标的 {total} 个{unit}中，{red} 个未达标且超出噪声，{amber} 个未达标但在噪声内，"
        "{green} 个达标。"
    ),
    "targets.summary_no_target": "{kpi} 没有目标：可在侧边栏或目标文件中设定。",
    "targets.summary_gaps": (
        "与其他平均相比，{better} 个{unit}更好、{worse} 个更差（超出噪声）；与上期相比 {changed} 个"
        "变化超出噪声。"
    ),
    "targets.download": "下载表格（CSV）",
}
