"""Strings of the app on a data set on an engine (the Data page's "Data on an engine"
section and the sidebar's note); merged into ccmetrics.i18n."""

EN: dict[str, str] = {
    "data.engine_title": "Data on an engine",
    "data.engine_help": (
        "Open call records kept in a Parquet file or a folder of Parquet files, in "
        "ccmetrics' standard columns, on DuckDB (built into the app) or on Spark. "
        "The calls stay on the engine; the app fetches only the period you look at."
    ),
    "data.engine_path": "Parquet file or folder",
    "data.engine_path_help": "A path on the machine running the app (or that Spark reads).",
    "data.engine_engine": "Engine",
    "data.engine_name.duckdb": "DuckDB (built in)",
    "data.engine_name.spark": "Spark (distributed)",
    "data.engine_master": "Spark master",
    "data.engine_master_help": (
        "e.g. spark://host:7077, yarn or local[4]. Empty: SPARK_REMOTE (Spark Connect) "
        "when set, else local[2]."
    ),
    "data.engine_open": "Open",
    "data.engine_opened": "Opened {path} on {engine}.",
    "data.engine_in_use": "In use: **{name}** on {engine}; period fetched: {start} – {end}.",
    "data.engine_source": "Source: {path}",
    "data.engine_calls_all": "Calls in all",
    "data.engine_data_span": "Data span",
    "data.engine_period": "Period fetched",
    "data.engine_period_calls": "Calls fetched",
    "data.engine_period_pick": "Period to fetch",
    "data.engine_period_help": (
        "The pages show this period (the sidebar's range narrows it). It opens on the last "
        "full month of the data; at most {budget} calls are fetched."
    ),
    "data.engine_fetch": "Fetch period",
    "data.engine_cut": (
        "The period asked from {asked} holds more than {budget} calls: it was cut to start "
        "on {start}."
    ),
    "data.engine_error.missing": "{path} does not exist: give the path of a Parquet file or folder of call records.",
    "data.engine_error.engine": "Unknown engine {engine}: use duckdb or spark.",
    "data.engine_error.spark_unavailable": (
        "Spark cannot start: it needs pyspark, Java 17 and a Spark master it can reach "
        "(Spark says: {reason})."
    ),
    "data.engine_error.unreadable": (
        "{path} cannot be read as call records in Parquet with ccmetrics' standard columns "
        "(the engine says: {reason})."
    ),
    "data.engine_error.not_canonical": (
        "{path} is Parquet but not call records in ccmetrics' standard columns: it lacks "
        "{missing} (load the export on this page first; its Parquet download has them)."
    ),
    "data.engine_error.no_calls": "{path} holds no calls.",
    "data.engine_no_previous": (
        "The {days} days before the window were not fetched from the engine: the change column "
        "is empty (the Data page fetches a longer period)."
    ),
    "sidebar.engine_failed": "Not opened, the bundled sample is in use: {reason}",
    "sidebar.engine_period": "{calls} calls fetched of {rows} on {engine}",
    "sidebar.range_engine": (
        "The range stays within the period fetched from the engine ({days} days); "
        "fetch another period on the Data page."
    ),
}

ZH: dict[str, str] = {
    "data.engine_title": "引擎上的数据",
    "data.engine_help": (
        "打开 Parquet 文件（或一个装有 Parquet 文件的文件夹）中按 ccmetrics 标准字段保存的"
        "来电记录，使用应用内置的 DuckDB 或 Spark。来电数据留在引擎中，应用只取回您查看的时间段。"
    ),
    "data.engine_path": "Parquet 文件或文件夹",
    "data.engine_path_help": "运行本应用的机器上（或 Spark 可读取）的路径。",
    "data.engine_engine": "引擎",
    "data.engine_name.duckdb": "DuckDB（内置）",
    "data.engine_name.spark": "Spark（分布式）",
    "data.engine_master": "Spark 主节点",
    "data.engine_master_help": (
        "例如 spark://host:7077、yarn 或 local[4]。留空：设置了 SPARK_REMOTE（Spark Connect）"
        "时使用它，否则使用 local[2]。"
    ),
    "data.engine_open": "打开",
    "data.engine_opened": "已在 {engine}上打开 {path}。",
    "data.engine_in_use": "当前数据：**{name}**，引擎 {engine}，已取回 {start} 至 {end} 的数据。",
    "data.engine_source": "数据源：{path}",
    "data.engine_calls_all": "来电总数",
    "data.engine_data_span": "数据时间范围",
    "data.engine_period": "已取回的时间段",
    "data.engine_period_calls": "已取回的来电",
    "data.engine_period_pick": "要取回的时间段",
    "data.engine_period_help": (
        "各页面显示这个时间段（侧边栏的日期范围可再缩小）。默认为数据中最后一个完整月份；"
        "最多取回 {budget} 通来电。"
    ),
    "data.engine_fetch": "取回时间段",
    "data.engine_cut": "从 {asked} 开始的时间段超过 {budget} 通来电：已改为从 {start} 开始。",
    "data.engine_error.missing": "{path} 不存在：请填写来电记录所在的 Parquet 文件或文件夹的路径。",
    "data.engine_error.engine": "未知引擎 {engine}：请使用 duckdb 或 spark。",
    "data.engine_error.spark_unavailable": (
        "Spark 无法启动：需要 pyspark、Java 17 以及可连接的 Spark 主节点（Spark 报告：{reason}）。"
    ),
    "data.engine_error.unreadable": (
        "无法把 {path} 读取为按 ccmetrics 标准字段保存的 Parquet 来电记录（引擎报告：{reason}）。"
    ),
    "data.engine_error.not_canonical": (
        "{path} 是 Parquet 文件，但不是按 ccmetrics 标准字段保存的来电记录：缺少 {missing}"
        "（请先在本页上传导出文件；其 Parquet 下载包含这些字段）。"
    ),
    "data.engine_error.no_calls": "{path} 中没有来电。",
    "data.engine_no_previous": (
        "窗口之前的 {days} 天未从引擎取回：变化一栏为空（可在数据页取回更长的时间段）。"
    ),
    "sidebar.engine_failed": "未能打开，正在使用内置示例数据：{reason}",
    "sidebar.engine_period": "已在 {engine}上取回 {calls} 通来电（共 {rows} 通）",
    "sidebar.range_engine": "日期范围限于从引擎取回的时间段（{days} 天）；如需其他时间段，请在数据页取回。",
}
