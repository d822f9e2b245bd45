"""Words of the drill-down engine's summaries (English and Simplified Chinese); merged into ccmetrics.i18n.

The summary sentences themselves (``drill.head``, ``drill.summary_*``, ``drill.driver_*``) are
in :mod:`ccmetrics.locales.drilldown`; these are the pieces :mod:`ccmetrics.drill.summary` fills
them with: what "the dimensions" are called, and how a list of names ends.
"""

EN: dict[str, str] = {
    "drill.dims_generic": "the dimensions",
    "drill.dims_none": "the data",
    "drill.list_and": "{items} and {last}",
}

ZH: dict[str, str] = {
    "drill.dims_generic": "维度",
    "drill.dims_none": "数据",
    "drill.list_and": "{items}、{last}",
}
