"""Strings of the loader's limits and hostile-file checks (English and Simplified Chinese);
merged into ccmetrics.i18n. Placeholders are the ``params`` of the LoadError or problem."""

EN: dict[str, str] = {
    # --- errors (LoadError codes) ---------------------------------------------------
    "error.too_large": (
        "{file} is larger than {limit_mb} MB (or unpacks to more), more than the app can hold. "
        "Needed: a smaller export (fewer days or columns), or the file split in parts."
    ),
    "error.too_deeply_nested": (
        "{file} is compressed more than {layers} times over. Needed: the export packed once "
        "(one .gz or .zip)."
    ),
    "error.password_protected": (
        "{file} is password-protected. Needed: the file saved without a password, or "
        "exported as CSV."
    ),
    "error.sheet_too_large": (
        "Sheet “{sheet}” of {file} stretches to cell {cell} ({rows} rows × {columns} columns), "
        "more than the {limit} cells the app reads. Needed: delete the cells (or formatting) "
        "beyond the data and save again, or export the sheet as CSV."
    ),
    "error.data_on_other_sheet": (
        "Sheet “{sheet}” of {file} has no calls; sheet “{suggested_sheet}” has. "
        "Needed: choose the sheet “{suggested_sheet}”."
    ),
    "error.formulas_without_values": (
        "The column “{column}” of {file} holds formulas saved without their values, so no "
        "time can be read. Needed: open the workbook in Excel and save it, or export it as CSV."
    ),
    # --- problems -------------------------------------------------------------------
    "problem.timezone_converted": (
        "Times with other UTC offsets were converted to one clock, UTC{offset}."
    ),
    "problem.mixed_timestamp_formats": (
        "{column} mixes numeric time formats; each value was read by its own format."
    ),
    "problem.ambiguous_numeric_dates": (
        "Numbers of {column} like {low} read both as YYMMDD dates (from {yymmdd}) and as Excel "
        "serial days (from {serial}), so they were not read. Set the option datetime_format "
        "to %y%m%d for YYMMDD dates, or export the dates as text."
    ),
    "problem.dst_change": (
        "On {date} the local clock repeats or skips an hour (daylight saving); the intervals "
        "were kept as written."
    ),
    "problem.ambiguous_number": (
        "Values of {column} like 1,250 were read as 1250; nothing in the column shows whether "
        "the comma is a decimal comma (1.25)."
    ),
    "problem.mixed_encoding": (
        "{count} line(s) are not UTF-8 like the rest of the file and were read as {fallback}. "
        "Check the names on those lines."
    ),
    "problem.encoding_guessed": (
        "The text encoding was guessed as {encoding}; {alternative} fits about as well. "
        "Characters in doubt: {characters}. Choose the encoding if names look wrong."
    ),
    "problem.formula_without_value": (
        "{column}: cells with formulas saved without their values were read as blank. Open "
        "the workbook in Excel and save it to store the values."
    ),
}

ZH: dict[str, str] = {
    "error.too_large": (
        "{file} 超过 {limit_mb} MB（或解压后超过），超出本应用能处理的大小。"
        "需要：更小的导出文件（更少的天数或列），或将文件拆分。"
    ),
    "error.too_deeply_nested": "{file} 被压缩了超过 {layers} 层。需要：只压缩一次的导出文件（一个 .gz 或 .zip）。",
    "error.password_protected": "{file} 设有密码保护。需要：取消密码后保存的文件，或导出为 CSV。",
    "error.sheet_too_large": (
        "{file} 的工作表“{sheet}”延伸到单元格 {cell}（{rows} 行 × {columns} 列），"
        "超过本应用读取的 {limit} 个单元格。需要：删除数据以外的单元格（或格式）后重新保存，"
        "或将该工作表导出为 CSV。"
    ),
    "error.data_on_other_sheet": (
        "{file} 的工作表“{sheet}”中没有通话记录，工作表“{suggested_sheet}”中有。"
        "需要：选择工作表“{suggested_sheet}”。"
    ),
    "error.formulas_without_values": (
        "{file} 的列“{column}”是未保存计算结果的公式，无法读取时间。"
        "需要：在 Excel 中打开并保存该工作簿，或导出为 CSV。"
    ),
    "problem.timezone_converted": "带有不同 UTC 偏移的时间已统一换算到 UTC{offset}。",
    "problem.mixed_timestamp_formats": "「{column}」混用了多种数字时间格式，已逐个按各自格式读取。",
    "problem.ambiguous_numeric_dates": (
        "「{column}」中形如 {low} 的数字既可读作 YYMMDD 日期（自 {yymmdd} 起），也可读作 Excel "
        "序列日（自 {serial} 起），因此未读取。若为 YYMMDD 日期，请将选项 datetime_format 设为 "
        "%y%m%d，或将日期导出为文本。"
    ),
    "problem.dst_change": "{date} 当地时钟重复或跳过了一小时（夏令时）；时段按原样保留。",
    "problem.ambiguous_number": (
        "「{column}」中形如 1,250 的值已读作 1250；该列无法判断逗号是否为小数点（1.25）。"
    ),
    "problem.mixed_encoding": "{count} 行不是与文件其余部分相同的 UTF-8 编码，已按 {fallback} 读取，请检查这些行中的名称。",
    "problem.encoding_guessed": (
        "文本编码推断为 {encoding}；{alternative} 也大致符合。存疑的字符：{characters}。"
        "如名称显示不正确，请手动选择编码。"
    ),
    "problem.formula_without_value": (
        "「{column}」中未保存计算结果的公式单元格已按空白读取。请在 Excel 中打开并保存工作簿以保存结果。"
    ),
}
