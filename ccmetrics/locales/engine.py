"""Strings of the DuckDB engine's command-line use (``kpis --engine duckdb``); merged into
ccmetrics.i18n."""

EN: dict[str, str] = {
    "cli.folder_needs_engine": (
        "{folder} is a folder: ccmetrics reads a folder only as canonical calls in Parquet "
        "files, with --engine duckdb (or spark) and without --mapping or --sheet."
    ),
    "cli.folder_unreadable": (
        "{folder} cannot be read as canonical calls in Parquet files: {reason}."
    ),
    "cli.spark_unavailable": (
        "--engine spark needs pyspark (pip install pyspark), Java 17 and a Spark master it "
        "can reach: {reason}."
    ),
}

ZH: dict[str, str] = {
    "cli.folder_needs_engine": (
        "{folder} 是一个文件夹：ccmetrics 只把文件夹当作 Parquet 格式的标准来电数据读取，"
        "需要 --engine duckdb（或 spark），且不能使用 --mapping 或 --sheet。"
    ),
    "cli.folder_unreadable": "无法把 {folder} 读取为 Parquet 格式的标准来电数据：{reason}。",
    "cli.spark_unavailable": (
        "--engine spark 需要 pyspark（pip install pyspark）、Java 17 以及可连接的 Spark 主节点：{reason}。"
    ),
}
