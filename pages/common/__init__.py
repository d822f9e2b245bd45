"""Shared UI of every page: state, URL sync, sidebar, dataset loading, caching, formatting.

Not a page (``app.py`` registers pages explicitly with ``st.navigation``). Pages
call :func:`context` for the dataset and the filters in force, the cached
aggregate helpers for numbers, and :func:`tr` for text. Every number comes from
:mod:`ccmetrics`; this package only reads state, calls ccmetrics, caches and
formats. One module per concern (a page imports the package and reads
``common.X``; the ``__all__`` of every module below is re-exported here, and the
package's ``__all__`` is theirs put together):

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

from pages.common import (
    aggregates,
    charts,
    data,
    downloads,
    mapping_editor,
    sidebar,
    state,
    tables,
    text,
)
from pages.common.aggregates import *  # noqa: F403
from pages.common.aggregates import (  # noqa: F401 (caches tests clear or call directly)
    _cube,
    _cube_index,
    _dim_cube,
)
from pages.common.charts import *  # noqa: F403
from pages.common.data import *  # noqa: F403
from pages.common.data import _load_bytes  # noqa: F401 (a cache tests clear or call directly)
from pages.common.downloads import *  # noqa: F403
from pages.common.mapping_editor import *  # noqa: F403
from pages.common.sidebar import *  # noqa: F403
from pages.common.state import *  # noqa: F403
from pages.common.tables import *  # noqa: F403
from pages.common.text import *  # noqa: F403

__all__ = [
    name
    for module in (
        text,
        state,
        data,
        aggregates,
        sidebar,
        tables,
        downloads,
        mapping_editor,
        charts,
    )
    for name in module.__all__
]
