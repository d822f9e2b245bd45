"""Shared UI of every page: state, URL sync, sidebar, dataset loading, caching, formatting.

Not a page (``app.py`` registers pages explicitly with ``st.navigation``). Pages
call :func:`context` for the dataset and the filters in force, the cached
aggregate helpers for numbers, and :func:`tr` for text. Every number comes from
:mod:`ccmetrics`; this package only reads state, calls ccmetrics, caches and
formats. One module per concern (a page imports the package and reads
``common.X``; every name below is re-exported here):

=================== ===========================================================
module              holds
=================== ===========================================================
``text``            the language in force, ``tr``, ``md``/``tr_md``, KPI formats
``state``           session and URL state, page parameters, links, the pages,
                    a page widget's value kept in the URL (``restore``/``remember``)
``data``            uploads and the sample (cached loads), ``Dataset``, ``Context``
``aggregates``      cubes and the cached KPI aggregates pages read
``sidebar``         the sidebar every page shares, the notice of a link's data
``tables``          KPI tables: headers, display rounding, number formats
``downloads``       CSV, chart PNG and Parquet downloads, the sample files
``mapping_editor``  the Data page's mapping editor and problems report
``charts``          chart settings shared by the pages
=================== ===========================================================

A test that replaces a name replaces it in the module that reads it (e.g.
``pages.common.data.CACHE_MIN_BYTES``), and here too when pages read it as
``common.X``.
"""

from __future__ import annotations

from pages.common.aggregates import (
    CUBE_ALWAYS_CALLS,
    CUBE_DIMS,
    CUBE_FREQ,
    CUBE_MIN_SHARE,
    DIM_CUBE_FREQ,
    _cube,  # noqa: F401 (a cache tests clear or call directly)
    _cube_index,  # noqa: F401 (a cache tests clear or call directly)
    _dim_cube,  # noqa: F401 (a cache tests clear or call directly)
    aggregate_source,
    breakdown,
    comparison,
    cube_key,
    daily,
    dimensions_present,
    slot_table,
)
from pages.common.charts import HORIZONTAL_TITLE
from pages.common.data import (
    CACHE_MIN_BYTES,
    UPLOAD_TYPES,
    Context,
    Dataset,
    UploadOutcome,
    _load_bytes,  # noqa: F401 (a cache tests clear or call directly)
    activate_upload,
    current_result,
    handle_mapping_file,
    handle_upload,
    load_dataset,
    load_error_text,
    load_upload,
    stage_label,
    upload_sheets,
    use_sample,
)
from pages.common.downloads import (
    PNG_WIDTH,
    csv_bytes,
    parquet_bytes,
    png_download,
    sample_files,
)
from pages.common.mapping_editor import (
    mapping_from_rows,
    mapping_json_bytes,
    mapping_rows,
    mapping_targets,
    problem_text,
    problems_table,
    target_labeller,
)
from pages.common.sidebar import UPLOAD_WINDOW_DAYS, link_notice, render_sidebar
from pages.common.state import (
    LINK_DIGEST_CHARS,
    PAGES,
    PERSISTENT_KEYS,
    REPO_ROOT,
    SAMPLE_DATA_ID,
    context,
    data_id,
    follow_page_param,
    init_state,
    make_pages,
    open_drilldown,
    page_param,
    remember,
    restore,
    selected_day,
    set_page_param,
    set_selected_day,
    settings,
    sync_query_params,
    url_choice,
)
from pages.common.tables import (
    TABLE_KPIS,
    TILES,
    column_config,
    display_table,
    kpi_table,
    number_format,
)
from pages.common.text import (
    DECIMALS,
    FormatValues,
    field_name,
    fmt,
    fmt_change,
    fmt_count,
    has_field,
    join_list,
    labeller,
    lang,
    markdown_table,
    md,
    tr,
    tr_md,
)

__all__ = [
    # text
    "lang",
    "tr",
    "md",
    "tr_md",
    "join_list",
    "markdown_table",
    "labeller",
    "DECIMALS",
    "fmt",
    "fmt_count",
    "fmt_change",
    "has_field",
    "field_name",
    "FormatValues",
    # state
    "REPO_ROOT",
    "PAGES",
    "SAMPLE_DATA_ID",
    "LINK_DIGEST_CHARS",
    "PERSISTENT_KEYS",
    "data_id",
    "init_state",
    "make_pages",
    "follow_page_param",
    "settings",
    "sync_query_params",
    "page_param",
    "set_page_param",
    "context",
    "set_selected_day",
    "selected_day",
    "open_drilldown",
    "url_choice",
    "restore",
    "remember",
    # data
    "Dataset",
    "Context",
    "UPLOAD_TYPES",
    "CACHE_MIN_BYTES",
    "load_upload",
    "activate_upload",
    "use_sample",
    "UploadOutcome",
    "stage_label",
    "handle_upload",
    "upload_sheets",
    "handle_mapping_file",
    "load_error_text",
    "current_result",
    "load_dataset",
    # aggregates
    "CUBE_FREQ",
    "CUBE_DIMS",
    "DIM_CUBE_FREQ",
    "CUBE_ALWAYS_CALLS",
    "CUBE_MIN_SHARE",
    "aggregate_source",
    "comparison",
    "daily",
    "slot_table",
    "breakdown",
    "dimensions_present",
    "cube_key",
    # sidebar
    "UPLOAD_WINDOW_DAYS",
    "render_sidebar",
    "link_notice",
    # tables
    "TILES",
    "TABLE_KPIS",
    "display_table",
    "number_format",
    "column_config",
    "kpi_table",
    # downloads
    "csv_bytes",
    "PNG_WIDTH",
    "png_download",
    "parquet_bytes",
    "sample_files",
    # mapping editor
    "mapping_targets",
    "target_labeller",
    "mapping_rows",
    "mapping_from_rows",
    "mapping_json_bytes",
    "problems_table",
    "problem_text",
    # charts
    "HORIZONTAL_TITLE",
]
