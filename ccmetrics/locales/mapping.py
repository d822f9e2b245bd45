"""Messages of a mapping file that cannot be used (English and Simplified Chinese).

``error.<code>`` of the codes :func:`ccmetrics.io.validate_mapping` and
:func:`ccmetrics.io.read_mapping` raise (a ``MappingError``). Every message names the
mapping file (``{file}``), never the data file. ``{found}`` is the offending value as
JSON, cut to 80 characters; ``{where}`` the path to it, e.g. ``options.truncate.agent``.
"""

EN: dict[str, str] = {
    "error.mapping_not_found": "The mapping file {file} was not found.",
    "error.mapping_is_folder": "The mapping file {file} is a folder; choose the .json file in it.",
    "error.mapping_unreadable": "The mapping file {file} cannot be read: {reason}.",
    "error.mapping_too_large": (
        "The mapping file {file} is larger than {limit} bytes; a mapping saved by this app "
        "is a small JSON object."
    ),
    "error.mapping_not_utf8": (
        "The mapping file {file} is not UTF-8 text (byte {position} cannot be read). Save it "
        "as UTF-8."
    ),
    "error.mapping_not_json": (
        "The mapping file {file} is not valid JSON: {detail} (line {line}, column {column})."
    ),
    "error.mapping_huge_number": (
        "The mapping file {file} holds a number of more than 4,300 digits; no option needs one."
    ),
    "error.mapping_too_deep": (
        "The mapping file {file} is nested too deeply; a mapping is at most {limit} levels deep."
    ),
    "error.mapping_duplicate_key": "The mapping file {file} gives “{where}” twice.",
    "error.mapping_unknown_key": (
        "The mapping file {file} uses fields the loader does not know: {keys}. Known fields: "
        "{known}."
    ),
    "error.mapping_bad_column": (
        "In the mapping file {file}, “{where}” must be a column name (text) or null, not {found}."
    ),
    "error.mapping_bad_pair": (
        "In the mapping file {file}, “{where}” must be a column name, or a pair [date column, "
        "time column], not {found}."
    ),
    "error.mapping_bad_columns": (
        "In the mapping file {file}, “{where}” must be a column name, or a list of 1 to {limit} "
        "column names joined into one key, not {found}."
    ),
    "error.mapping_bad_options": (
        "In the mapping file {file}, “options” must be an object {{option: value}}, not {found}."
    ),
    "error.mapping_unknown_option": (
        "The mapping file {file} has options the loader does not know: {options}. Known "
        "options: {known}."
    ),
    "error.mapping_bad_missing_values": (
        "In the mapping file {file}, “{where}” is {found}; the option missing_values is a list of texts, or an object {{field: [texts]}}."
    ),
    "error.mapping_bad_truncate": (
        "In the mapping file {file}, “{where}” is {found}; the option truncate is an object {{dimension: number of characters ≥ 1}} (dimensions: {dimensions})."
    ),
    "error.mapping_bad_recode": (
        "In the mapping file {file}, “{where}” is {found}; the option recode is an object {{dimension: {{old text: new text}}}} (dimensions: {dimensions})."
    ),
    "error.mapping_bad_units": (
        "In the mapping file {file}, “{where}” is {found}; the option units is an object {{field: unit}} with units among {units}."
    ),
    "error.mapping_bad_datetime_format": (
        'In the mapping file {file}, “{where}” is {found}; the option datetime_format is a strptime format such as "%d/%m/%Y %H:%M".'
    ),
    "error.mapping_bad_day_index_start": (
        "In the mapping file {file}, “{where}” is {found}; the option day_index_start is a date YYYY-MM-DD between {first} and {last}."
    ),
    "error.mapping_bad_dayfirst": (
        "In the mapping file {file}, “{where}” is {found}; the option dayfirst is true, false or null."
    ),
    "error.mapping_bad_utc_offset": (
        'In the mapping file {file}, “{where}” is {found}; the option utc_offset is the business clock\'s offset from UTC, such as "+08:00" or "-05:00" (at most 14 hours).'
    ),
}

ZH: dict[str, str] = {
    "error.mapping_not_found": "找不到映射文件 {file}。",
    "error.mapping_is_folder": "映射文件 {file} 是文件夹；请选择其中的 .json 文件。",
    "error.mapping_unreadable": "无法读取映射文件 {file}：{reason}。",
    "error.mapping_too_large": "映射文件 {file} 超过 {limit} 字节；本应用保存的映射是一个很小的 JSON 对象。",
    "error.mapping_not_utf8": "映射文件 {file} 不是 UTF-8 文本（第 {position} 字节无法读取）。请以 UTF-8 编码保存。",
    "error.mapping_not_json": "映射文件 {file} 不是有效的 JSON：{detail}（第 {line} 行，第 {column} 列）。",
    "error.mapping_huge_number": "映射文件 {file} 中有超过 4,300 位的数字；没有任何选项需要这样的数字。",
    "error.mapping_too_deep": "映射文件 {file} 嵌套层级过深；映射最多 {limit} 层。",
    "error.mapping_duplicate_key": "映射文件 {file} 中“{where}”出现了两次。",
    "error.mapping_unknown_key": "映射文件 {file} 中有系统不认识的字段：{keys}。可用字段：{known}。",
    "error.mapping_bad_column": "映射文件 {file} 中，“{where}”应为列名（文本）或 null，而不是 {found}。",
    "error.mapping_bad_pair": "映射文件 {file} 中，“{where}”应为列名，或 [日期列, 时间列] 两列，而不是 {found}。",
    "error.mapping_bad_columns": (
        "映射文件 {file} 中，“{where}”应为列名，或由 1 至 {limit} 个列名组成的列表（合并为一个编号），而不是 {found}。"
    ),
    "error.mapping_bad_options": "映射文件 {file} 中，“options”应为对象 {{选项: 值}}，而不是 {found}。",
    "error.mapping_unknown_option": "映射文件 {file} 中有系统不认识的选项：{options}。可用选项：{known}。",
    "error.mapping_bad_missing_values": (
        "映射文件 {file} 中，“{where}”为 {found}；选项 missing_values 应为文本列表，或对象 {{字段: [文本]}}。"
    ),
    "error.mapping_bad_truncate": (
        "映射文件 {file} 中，“{where}”为 {found}；选项 truncate 应为对象 {{维度: 字符数（≥ 1）}}（维度：{dimensions}）。"
    ),
    "error.mapping_bad_recode": (
        "映射文件 {file} 中，“{where}”为 {found}；选项 recode 应为对象 {{维度: {{原文本: 新文本}}}}（维度：{dimensions}）。"
    ),
    "error.mapping_bad_units": (
        "映射文件 {file} 中，“{where}”为 {found}；选项 units 应为对象 {{字段: 单位}}，单位可为 {units}。"
    ),
    "error.mapping_bad_datetime_format": (
        '映射文件 {file} 中，“{where}”为 {found}；选项 datetime_format 应为 strptime 格式，例如 "%d/%m/%Y %H:%M"。'
    ),
    "error.mapping_bad_day_index_start": (
        "映射文件 {file} 中，“{where}”为 {found}；选项 day_index_start 应为 {first} 至 {last} 之间的 YYYY-MM-DD 日期。"
    ),
    "error.mapping_bad_dayfirst": (
        "映射文件 {file} 中，“{where}”为 {found}；选项 dayfirst 应为 true、false 或 null。"
    ),
    "error.mapping_bad_utc_offset": (
        '映射文件 {file} 中，“{where}”为 {found}；选项 utc_offset 应为业务时钟相对 UTC 的偏移，如 "+08:00" 或 "-05:00"（不超过 14 小时）。'
    ),
}
