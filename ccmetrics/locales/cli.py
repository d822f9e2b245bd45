"""Messages of the command line ``python -m ccmetrics`` (English and Simplified Chinese).

Each is one line printed on stderr after ``cli.error`` when the exit status is 2 (bad input)
or 1 (``cli.internal_error``). Placeholders: ``option`` (e.g. ``--period``), ``value`` (what
was given, quoted), ``file``/``path`` (as given on the command line), ``reason`` (the
system's or library's own words).
"""

EN: dict[str, str] = {
    "cli.error": "error: {message}",
    "cli.usage": "{detail}. Run python -m ccmetrics --help for the options.",
    "cli.missing_arguments": ("missing {names}. Run python -m ccmetrics --help for the options."),
    "cli.unknown_arguments": (
        "unknown option or extra argument: {names}. Run python -m ccmetrics --help for the options."
    ),
    "cli.invalid_choice": "{option} must be one of {choices} (got {value}).",
    "cli.expected_value": (
        "{option} needs a value (a value starting with '-' is written {option}=VALUE)."
    ),
    "cli.no_value_allowed": "{option} takes no value (got {value}).",
    "cli.ambiguous_option": "{option} is ambiguous: it could be {choices}.",
    "cli.bad_date": "{option} must be a day written YYYY-MM-DD, e.g. 2025-03-01 (got {value}).",
    "cli.date_range": (
        "{option}: {value} is outside the days the program can represent ({first} to {last})."
    ),
    "cli.dates_out_of_range": (
        "the dates of this period and options reach outside the days the program can "
        "represent ({first} to {last})."
    ),
    "cli.bad_period": (
        "{option} must be FIRST:LAST, two days YYYY-MM-DD, e.g. 2025-03-01:2025-03-31 "
        "(got {value})."
    ),
    "cli.period_reversed": "{option}: the period ends before it starts ({value}).",
    "cli.not_a_number": "{option} must be a number (got {value}).",
    "cli.not_finite": "{option} must be a finite number, not infinity or NaN (got {value}).",
    "cli.negative": "{option} must be 0 or more (got {value}).",
    "cli.percent_range": "{option} is a percentage: it must lie between 0 and 100 (got {value}).",
    "cli.not_an_integer": "{option} must be a whole number (got {value}).",
    "cli.integer_range": "{option} must lie between {low} and {high} (got {value}).",
    "cli.bad_formats": "{option} must be a comma-separated list of {choices} (got {value}).",
    "cli.bad_freq": (
        "{option} must be a period length such as 30min, h, D, W or MS (got {value})."
    ),
    "cli.out_is_file": "--out {path} is an existing file; it must be a folder (created when missing).",
    "cli.out_not_creatable": "--out {path} cannot be created: {blocker} is a file, not a folder.",
    "cli.out_not_writable": "--out {path} cannot be written: no permission to write in {folder}.",
    "cli.write_failed": "cannot write the report to {path}: {reason}.",
    "cli.bad_settings": "the KPI settings cannot be used: {reason}.",
    "cli.mapping_unreadable": "mapping file {file} cannot be read: {reason}.",
    "cli.unreadable": "{file} cannot be read: {reason}.",
    "cli.sheet_not_excel": "--sheet is for Excel workbooks; {file} was read as {format}.",
    "cli.out_of_memory": "{file} is too large to load in the memory available.",
    "cli.load_failed": "{file} could not be loaded: the loader failed on it ({reason}).",
    "cli.not_intervals": (
        "{file}: not an interval report (read as call records). --intervals needs a report "
        "with one row per interval (offered, staffed agents)."
    ),
    "cli.empty_data": "no calls or intervals left after loading: nothing to compute.",
    "cli.empty_period": "no data between {first} and {last}: choose another --period.",
    "cli.report_failed": "the report cannot be built: {reason}.",
    "cli.kpis_failed": "the KPI table cannot be computed: {reason}.",
    "cli.bad_by": "cannot group by {column}: the data has no such column (it has {columns}).",
    "cli.internal_error": (
        "unexpected failure of the program ({error}). Set {env}=1 to see the details, and "
        "please report it."
    ),
    "cli.interrupted": "interrupted.",
}

ZH: dict[str, str] = {
    "cli.error": "错误：{message}",
    "cli.usage": "{detail}。运行 python -m ccmetrics --help 查看选项。",
    "cli.missing_arguments": "缺少 {names}。运行 python -m ccmetrics --help 查看选项。",
    "cli.unknown_arguments": "无法识别的选项或多余的参数：{names}。运行 python -m ccmetrics --help 查看选项。",
    "cli.invalid_choice": "{option} 只能取 {choices}（收到 {value}）。",
    "cli.expected_value": "{option} 需要一个值（以“-”开头的值请写作 {option}=值）。",
    "cli.no_value_allowed": "{option} 不接受值（收到 {value}）。",
    "cli.ambiguous_option": "{option} 有歧义：可能是 {choices}。",
    "cli.bad_date": "{option} 应为 YYYY-MM-DD 格式的日期，例如 2025-03-01（收到 {value}）。",
    "cli.date_range": "{option}：{value} 超出程序可表示的日期范围（{first} 至 {last}）。",
    "cli.dates_out_of_range": "该时段及选项涉及的日期超出程序可表示的范围（{first} 至 {last}）。",
    "cli.bad_period": (
        "{option} 应为“起始日:结束日”，两个 YYYY-MM-DD 日期，例如 2025-03-01:2025-03-31（收到 {value}）。"
    ),
    "cli.period_reversed": "{option}：时段的结束日早于起始日（{value}）。",
    "cli.not_a_number": "{option} 应为数字（收到 {value}）。",
    "cli.not_finite": "{option} 应为有限的数字，不能是无穷大或 NaN（收到 {value}）。",
    "cli.negative": "{option} 不能小于 0（收到 {value}）。",
    "cli.percent_range": "{option} 是百分比，应在 0 到 100 之间（收到 {value}）。",
    "cli.not_an_integer": "{option} 应为整数（收到 {value}）。",
    "cli.integer_range": "{option} 应在 {low} 到 {high} 之间（收到 {value}）。",
    "cli.bad_formats": "{option} 应为以逗号分隔的 {choices} 列表（收到 {value}）。",
    "cli.bad_freq": "{option} 应为时段长度，例如 30min、h、D、W 或 MS（收到 {value}）。",
    "cli.out_is_file": "--out {path} 是已存在的文件，应为文件夹（不存在时会自动创建）。",
    "cli.out_not_creatable": "无法创建 --out {path}：{blocker} 是文件，不是文件夹。",
    "cli.out_not_writable": "无法写入 --out {path}：没有在 {folder} 中写入的权限。",
    "cli.write_failed": "无法将报告写入 {path}：{reason}。",
    "cli.bad_settings": "无法使用这些 KPI 设置：{reason}。",
    "cli.mapping_unreadable": "无法读取映射文件 {file}：{reason}。",
    "cli.unreadable": "无法读取 {file}：{reason}。",
    "cli.sheet_not_excel": "--sheet 仅用于 Excel 工作簿；{file} 被识别为 {format} 文件。",
    "cli.out_of_memory": "{file} 太大，可用内存不足以载入。",
    "cli.load_failed": "无法载入 {file}：载入程序处理该文件时出错（{reason}）。",
    "cli.not_intervals": (
        "{file}：不是时段报表（被识别为逐通来电记录）。--intervals 需要每个时段一行的报表（呼入量、在岗坐席数）。"
    ),
    "cli.empty_data": "载入后没有剩余的来电或时段：无法计算。",
    "cli.empty_period": "{first} 至 {last} 之间没有数据：请换一个 --period。",
    "cli.report_failed": "无法生成报告：{reason}。",
    "cli.kpis_failed": "无法计算 KPI 表：{reason}。",
    "cli.bad_by": "无法按 {column} 分组：数据中没有该列（现有列：{columns}）。",
    "cli.internal_error": "程序意外出错（{error}）。设置 {env}=1 可查看详细信息，请报告此问题。",
    "cli.interrupted": "已中断。",
}
