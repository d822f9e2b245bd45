"""Load any call-center export into a canonical ccmetrics frame.

:func:`load` reads a CSV/TSV/TXT (delimiter sniffed), gzip-compressed CSV,
XLSX/XLS or Parquet file, recognises its headers (:data:`SYNONYMS`), parses
the values (seconds, milliseconds, ``h:mm:ss``, Excel fractions of a day,
separate date and time columns, Avaya ``HHMM``, Y/N and 是/否 booleans,
outcome codes) and returns a :class:`LoadResult` whose ``frame`` follows
:mod:`ccmetrics.schema`. Nothing is lost silently: every dropped row and
every changed value is counted in ``LoadResult.problems``; unusable input
raises :class:`LoadError`.

``load(..., progress=callable)`` reports the stages of a load
(:data:`LOAD_STAGES`: reading, parsing, building, done) for a progress bar;
:func:`load_cached` serves a repeated load of the same bytes with the same
mapping from a Parquet copy keyed by their SHA-256 (:data:`LOADER_VERSION`
invalidates copies; the cache folder is private, 0700 with files 0600, and a
copy is served only when it matches the checksum stored beside it);
:func:`preview` gives the first rows of any export as text without parsing it
whole.

Modules
-------
=============  ===============================================================
``read``       bytes, compression, encodings, CSV sniffing, Excel, Parquet, :func:`preview`
``synonyms``   the data: header synonyms, placeholders, outcome and yes/no tokens
``mapping``    :func:`guess_kind`, :func:`guess_mapping`, mapping JSON files
``parse``      timestamps, clock times, durations, yes/no flags, numbers
``context``    the state of one build and the per-key column parsers
``calls``      the canonical call frame, step by step
``intervals``  the canonical interval frame, step by step
``problems``   :class:`LoadError`, :class:`LoadResult`, the problems report
``loader``     :func:`load`
``cache``      :func:`load_cached`, the Parquet copy; :func:`cached_copy` reopens it
=============  ===============================================================

Mapping
-------
A mapping is ``{canonical_name: source_column}``. Besides the canonical
columns of :mod:`ccmetrics.schema` the loader understands these input keys:

* ``arrived_at`` / ``interval_start`` may be ``[date_column, time_column]``;
  ``call_id`` may be a list of columns (joined with ``"-"``: a composite key).
* ``outcome``: a column such as AGENT/HANG/PHANTOM or answered/abandoned,
  turned into ``answered``/``abandoned`` (phantom and test calls dropped).
* ``queued_at``: queue-entry time. ``arrived_at`` is the queue entry when
  known and the contact start (IVR entry) otherwise, as DESIGN.md defines.
  A queue entry more than 12 h before the start is taken as after midnight
  (next day).
* ``answered_at``: answer timestamp; gives ``answered`` and, when no wait
  column is mapped, ``wait_s = answered_at - arrived_at``.
* ``direction``: rows whose direction is outbound are dropped (counted).
* Intervals: ``day_index`` (a running day number, needs the option
  ``day_index_start``), averages ``asa_s``, ``avg_talk_s``, ``avg_hold_s``,
  ``avg_acw_s``, ``aht_s``, ``avg_abandon_wait_s`` (multiplied by the matching
  count to give the additive sums) and ``staffed_s`` (staffed seconds in the
  interval, e.g. Avaya ``i_stafftime``, divided by the interval length).

A mapping may also carry ``"options"``:

* ``missing_values``: a list of extra placeholders, or ``{key: [values]}``
  per mapped key (e.g. ``{"agent": ["NO_SERVER"]}``);
* ``truncate``: ``{key: n}`` keeps the first ``n`` characters of a
  dimension (e.g. the VRU ``AA01`` of ``AA0101``);
* ``recode``: ``{key: {old: new}}`` renames dimension values;
* ``units``: ``{key: "s"|"ms"|"min"|"h"|"day"}`` overrides the unit of a
  duration column;
* ``datetime_format``: a strptime format for every date/time column;
* ``day_index_start``: ``"YYYY-MM-DD"``, the date of day index 1;
* ``dayfirst``: ``true``/``false`` to settle ambiguous ``01/02/2024`` dates;
* ``utc_offset``: ``"+08:00"``, the business clock that times written with
  UTC offsets (and time-zone-aware Parquet times) are converted to; without
  it, the offset most rows carry.
* ``ivr_abandon_before_queue``: ``true`` reads an abandoned call without a
  queue-entry time as a call that hung up in the IVR (``ivr_abandoned``). The
  automatic mapping sets it when a file has an outcome or abandoned flag, a
  queue-entry column and an IVR time but no IVR-abandon column (e.g. the
  Technion bank's ``HANG`` rows with ``q_start`` 0:00:00).

The IVR stage: ``ivr_contained`` (self-service) and ``ivr_abandoned`` come
from their own yes/no columns (self-service, 自助, IVR挂机 ...), from an
outcome column (``self-service``, ``IVR abandoned``, 自助, IVR挂机 ...) or from
the option above; ``ivr_path`` (the menu choices) is a text column whose
choices are re-joined with " > " (">", "->", "→" and "»" read alike).
A call that ended in the IVR (an IVR-only row) is loaded with
``answered = abandoned = False`` and never counted as offered.

A mapping with only ``"options"`` keeps the automatic column mapping.
When column keys are given, the mapping is used exactly as given.

The automatic mapping matches headers (:data:`SYNONYMS`) and then looks at
the values: a date column alone is never the arrival time while a column of
clock times exists (``arrived_at = [date, time]``); a queue-entry or answer
column of clock times takes the arrival's date; a call id is used only if
its repeats are true duplicates (every column read is equal), else it is
combined with the first line/trunk/VRU/date column that makes it unique, or
not used (ids generated). The problems report says which.

Problem codes
-------------
``LoadResult.problems`` has the columns ``level`` (error/warning/info),
``code``, ``column``, ``rows`` (rows affected), ``message`` (English, with a
sample of 1-based data-row numbers) and ``params`` (a dict with what a
translation needs: ``count``, ``sample`` and code-specific entries).

Row accounting: every problem that leaves rows out (``malformed_row``,
``outbound_call``, ``phantom_call``, ``missing_datetime``,
``unparseable_datetime``, ``duplicate_call_id``,
``neither_answered_nor_abandoned``) carries ``params["dropped"]``, and
``LoadResult.file_rows`` counts the data rows of the file, so that
``file_rows = len(frame) + dropped rows`` for every load
(:meth:`LoadResult.row_accounting`). The codes of :data:`MAPPING_CHECKS`
say the mapping itself is likely wrong; a mapping editor shows them first.

==============================  =======  ==========================================
code                            level    meaning
==============================  =======  ==========================================
skipped_preamble                info     lines above the header row were skipped
malformed_row                   warning  CSV rows with a wrong number of fields, skipped
unmapped_columns                info     source columns the loader did not use
outbound_call                   info     rows with an outbound direction dropped
phantom_call                    warning  phantom/test calls dropped
missing_datetime                warning  rows without a date/time dropped
unparseable_datetime            warning  rows whose date/time could not be read dropped
ambiguous_date_format           info     day-first and month-first both fit; ``params.format``
timezone_dropped                info     timezone-aware times converted to naive
time_after_midnight             info     queue entry after midnight moved to the next day
generated_call_id               info     no call id column: ids generated
missing_call_id                 info     blank call ids replaced by generated ids
duplicate_call_id               warning  repeated call id: first kept, later rows dropped
negative_duration               warning  negative durations set missing
unparseable_number              warning  values that are not numbers set missing
out_of_range                    warning  values outside their valid range set missing
unparseable_boolean             warning  values that are not yes/no set missing
blank_as_false                  info     a flag column with no false values: blanks read as false
unknown_outcome                 warning  outcome values not recognised (rows reported as neither)
neither_answered_nor_abandoned  warning  calls neither answered nor abandoned dropped
answered_and_abandoned          warning  calls flagged both: kept as answered
derived_answered                info     answered/abandoned derived from another column
derived_complaint               info     complaint flag derived from a complaint category
abandoned_zero_wait             info     abandoned calls with wait 0 (short abandons in the KPIs)
missing_wait                    info     calls without a wait time (kept, NaN)
answered_without_agent          warning  answered calls with no agent
answered_zero_talk              info     answered calls with talk time 0
derived_offered                 info     interval offered = answered + abandoned
plan_only                       warning  interval file with a plan but no actual calls
derived_sum                     info     interval sum = average x count
derived_handle                  info     interval handle = talk + hold + acw
derived_staffed_agents          info     staffed agents = staffed seconds / interval seconds
inferred_interval_minutes       info     interval length inferred from the spacing
inconsistent_counts             warning  answered + abandoned > offered
timezone_converted              info     times with other UTC offsets shifted to one clock
mixed_timestamp_formats         info     numeric times of several kinds, read value by value
dst_change                      info     a day whose local clock repeats or skips an hour
ambiguous_number                warning  '1,250' read as 1250 with nothing to confirm it
mixed_encoding                  warning  lines not in UTF-8 like the rest, read as ``fallback``
encoding_guessed                warning  another encoding fits about as well; characters named
formula_without_value           warning  Excel formulas saved without values read as blank
ignored_datetime                warning  queue entry/answer times not read: ignored, calls kept
midnight_as_missing             info     00:00:00 in a later clock column read as "did not happen"
composite_call_id               info     repeated call id made unique with a line/trunk/VRU/date column
call_id_not_unique              warning  call id repeats with different data: not used, ids generated
single_time_of_day              warning  every call arrives at one clock time (mapping check)
many_rows_dropped               warning  more than 1 % of the rows left out (mapping check)
ivr_only_calls                  info     calls that ended in the IVR, loaded, not offered
ivr_abandon_before_queue        info     abandoned calls with no queue entry read as IVR abandons
ivr_only_but_answered           warning  answered calls flagged as ended in the IVR: kept as answered
==============================  =======  ==========================================

Rows dropped (``rows`` counts them, so rows in the file = rows loaded + these):
``malformed_row``, ``outbound_call``, ``phantom_call``, ``missing_datetime``,
``unparseable_datetime``, ``duplicate_call_id``, ``neither_answered_nor_abandoned``.

:class:`LoadError` carries ``code`` and ``params`` in the same way; its codes
are ``file_not_found``, ``empty_file``, ``not_a_table``, ``unreadable_file``,
``bad_sheet``, ``no_data_rows``, ``no_time_column``, ``missing_required_column``,
``mapped_column_missing``, ``unknown_mapping_key``, ``day_index_needs_start``,
``all_datetimes_unparseable``, ``bad_mapping_file``, ``encoding_failed``,
``too_large`` (a stream, archive or workbook beyond :mod:`ccmetrics.io.limits`),
``too_deeply_nested``, ``password_protected``, ``sheet_too_large``,
``data_on_other_sheet`` (``params.suggested_sheet``) and ``formulas_without_values``.

A mapping file that breaks its schema raises :class:`MappingError` (a
:class:`LoadError` whose ``params["file"]`` is the mapping file, never the
data file): ``mapping_not_found``, ``mapping_is_folder``,
``mapping_unreadable``, ``mapping_too_large``, ``mapping_not_utf8``,
``mapping_not_json``, ``mapping_huge_number``, ``mapping_too_deep``, ``mapping_duplicate_key``, ``mapping_unknown_key``,
``mapping_bad_column``, ``mapping_bad_pair``, ``mapping_bad_columns``,
``mapping_bad_options``, ``mapping_unknown_option``,
``mapping_bad_missing_values``, ``mapping_bad_truncate``,
``mapping_bad_recode``, ``mapping_bad_units``,
``mapping_bad_datetime_format``, ``mapping_bad_day_index_start``,
``mapping_bad_dayfirst`` and ``mapping_bad_ivr_abandon_before_queue`` (see
:func:`validate_mapping`).

"""

from ccmetrics.io.cache import (
    CACHE_DIR_MODE,
    CACHE_ENV,
    CACHE_FILE_MODE,
    CACHE_MAX_BYTES,
    LOADER_VERSION,
    cached_copy,
    content_digest,
    default_cache_dir,
    load_cached,
    source_digest,
)
from ccmetrics.io.loader import LOAD_STAGES, STAGE_FRACTIONS, load
from ccmetrics.io.mapping import (
    MAPPING_MAX_BYTES,
    MAPPING_OPTIONS,
    MappingError,
    guess_kind,
    guess_mapping,
    read_mapping,
    save_mapping,
    validate_mapping,
)
from ccmetrics.io.problems import (
    MAPPING_CHECKS,
    PROBLEM_COLUMNS,
    LoadError,
    LoadResult,
    RowAccounting,
)
from ccmetrics.io.read import PREVIEW_BYTES, preview
from ccmetrics.io.synonyms import PLACEHOLDERS, SYNONYMS

__all__ = [
    "LoadResult",
    "LoadError",
    "load",
    "load_cached",
    "cached_copy",
    "source_digest",
    "preview",
    "PREVIEW_BYTES",
    "content_digest",
    "default_cache_dir",
    "LOAD_STAGES",
    "STAGE_FRACTIONS",
    "LOADER_VERSION",
    "CACHE_ENV",
    "CACHE_MAX_BYTES",
    "CACHE_DIR_MODE",
    "CACHE_FILE_MODE",
    "guess_mapping",
    "guess_kind",
    "save_mapping",
    "read_mapping",
    "validate_mapping",
    "MappingError",
    "MAPPING_OPTIONS",
    "MAPPING_MAX_BYTES",
    "SYNONYMS",
    "PLACEHOLDERS",
    "PROBLEM_COLUMNS",
    "MAPPING_CHECKS",
    "RowAccounting",
]
