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
invalidates copies); :func:`preview` gives the first rows of any export as
text without parsing it whole.

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
* ``dayfirst``: ``true``/``false`` to settle ambiguous ``01/02/2024`` dates.

A mapping with only ``"options"`` keeps the automatic column mapping.
When column keys are given, the mapping is used exactly as given.

Problem codes
-------------
``LoadResult.problems`` has the columns ``level`` (error/warning/info),
``code``, ``column``, ``rows`` (rows affected), ``message`` (English, with a
sample of 1-based data-row numbers) and ``params`` (a dict with what a
translation needs: ``count``, ``sample`` and code-specific entries).

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
==============================  =======  ==========================================

:class:`LoadError` carries ``code`` and ``params`` in the same way; its codes
are ``file_not_found``, ``empty_file``, ``not_a_table``, ``unreadable_file``,
``bad_sheet``, ``no_data_rows``, ``no_time_column``, ``missing_required_column``,
``mapped_column_missing``, ``unknown_mapping_key``, ``day_index_needs_start``,
``all_datetimes_unparseable``, ``bad_mapping_file`` and ``encoding_failed``.
"""

from __future__ import annotations

import codecs
import csv
import datetime as _dt
import gzip
import hashlib
import io
import json
import mmap
import os
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ccmetrics.schema import CALL_COLUMNS, DIMENSIONS, INTERVAL_COLUMNS

__all__ = [
    "LoadResult",
    "LoadError",
    "load",
    "load_cached",
    "preview",
    "PREVIEW_BYTES",
    "content_digest",
    "default_cache_dir",
    "LOAD_STAGES",
    "STAGE_FRACTIONS",
    "LOADER_VERSION",
    "CACHE_ENV",
    "CACHE_MAX_BYTES",
    "guess_mapping",
    "guess_kind",
    "save_mapping",
    "read_mapping",
    "SYNONYMS",
    "PLACEHOLDERS",
    "PROBLEM_COLUMNS",
]

#: Stage codes of the ``progress(stage, fraction)`` callable of :func:`load` and
#: :func:`load_cached`, in the order they can come: ``cached`` (looking for a
#: Parquet copy, :func:`load_cached` only), ``reading`` (file bytes, format,
#: encoding and header), ``parsing`` (the mapped columns parsed into a table),
#: ``building`` (values checked and converted into the canonical frame),
#: ``saving`` (a Parquet copy written, :func:`load_cached` only) and ``done``.
LOAD_STAGES = ("cached", "reading", "parsing", "building", "saving", "done")

#: The ``fraction`` reported with each stage: the rough share of the work done
#: when the stage starts, from timing a 1M-call CSV (reading ~5%, parsing ~35%,
#: building ~60% of a fresh load; writing a copy adds ~15%).
STAGE_FRACTIONS = {
    "cached": 0.0,
    "reading": 0.0,
    "parsing": 0.05,
    "building": 0.35,
    "saving": 0.9,
    "done": 1.0,
}

#: Columns of ``LoadResult.problems``.
PROBLEM_COLUMNS = ("level", "code", "column", "rows", "message", "params")

#: Cell values read as missing everywhere (compared after stripping blanks).
PLACEHOLDERS = (
    "",
    "[None]",
    "None",
    "none",
    "N/A",
    "n/a",
    "#N/A",
    "NULL",
    "null",
    "(null)",
    "-",
    "--",
    "—",
    "nan",
    "NaN",
)

# --------------------------------------------------------------------------
# Synonyms
# --------------------------------------------------------------------------

_CALL_SYNONYMS: dict[str, tuple[str, ...]] = {
    "call_id": (
        "call_id",
        "call id",
        "callid",
        "call_uuid",
        "call uuid",
        "contact id",
        "contactid",
        "contact_id",
        "interaction id",
        "interactionid",
        "conversation id",
        "conversationid",
        "session id",
        "ticket id",
        "record id",
        "id",
        "流水号",
        "通话流水号",
        "呼叫流水号",
        "话单号",
        "通话id",
        "呼叫id",
        "通话编号",
        "呼叫编号",
        "记录编号",
    ),
    "arrived_at": (
        "arrived_at",
        "arrival time",
        "arrival",
        "arrived",
        "arrival datetime",
        "call start",
        "call start time",
        "start time",
        "starttime",
        "start",
        "start datetime",
        "started at",
        "start date time",
        "call time stamp",
        "timestamp",
        "initiationtimestamp",
        "initiation timestamp",
        "contact start",
        "contact_start",
        "call datetime",
        "date time",
        "datetime",
        "call date time",
        "received at",
        "offered at",
        "conversation start",
        "来电时间",
        "呼入时间",
        "进线时间",
        "开始时间",
        "呼叫时间",
        "来电日期时间",
        "接入时间",
        "通话开始时间",
    ),
    "arrival_date": (
        "date",
        "call date",
        "row_date",
        "calldate",
        "start date",
        "day",
        "来电日期",
        "日期",
        "呼入日期",
    ),
    "arrival_time": (
        "time",
        "call time",
        "start time of day",
        "time of day",
        "来电时刻",
        "时间",
        "时刻",
    ),
    "queued_at": (
        "queued_at",
        "queue.enqueuetimestamp",
        "enqueuetimestamp",
        "enqueue timestamp",
        "queue entry time",
        "queue start",
        "queue start time",
        "q_start",
        "排队开始时间",
        "入队时间",
    ),
    "answered_at": (
        "answered_at",
        "agent.connectedtoagenttimestamp",
        "connectedtoagenttimestamp",
        "answered at",
        "answer time",
        "connected at",
        "接通时间",
        "应答时间",
    ),
    "direction": (
        "direction",
        "call direction",
        "initiationmethod",
        "initiation method",
        "call type",
        "inbound/outbound",
        "呼叫方向",
        "呼叫类型",
    ),
    "outcome": (
        "outcome",
        "call outcome",
        "result",
        "call result",
        "status",
        "call status",
        "disconnect type",
        "contact type",
        "disposition type",
        "end reason",
        "处理结果",
        "呼叫结果",
        "通话结果",
        "接通状态",
        "通话状态",
        "挂断",
        "挂断原因",
    ),
    "queue": (
        "queue",
        "queue name",
        "queue.name",
        "queuename",
        "skill",
        "skill name",
        "skill_name",
        "split",
        "split/skill",
        "skill group",
        "ring groups",
        "ring group",
        "campaign",
        "campaign name",
        "service",
        "hunt group",
        "技能组",
        "队列",
        "技能队列",
        "排队队列",
        "队列名称",
    ),
    "category": (
        "category",
        "call category",
        "reason",
        "call reason",
        "contact reason",
        "topic",
        "subject",
        "call type category",
        "service type",
        "wrap-up",
        "wrap up code",
        "wrapup code",
        "disposition",
        "disp_name",
        "disposition name",
        "intent",
        "业务类型",
        "来电类型",
        "诉求类型",
        "来电原因",
        "业务分类",
        "问题类型",
        "咨询类型",
        "服务类型",
    ),
    "segment": (
        "segment",
        "customer segment",
        "customer type",
        "customer tier",
        "tier",
        "plan",
        "brand",
        "customer brand",
        "priority",
        "vip",
        "customer level",
        "客户品牌",
        "客户类型",
        "客户等级",
        "品牌",
        "客户级别",
        "用户品牌",
        "用户类型",
        "客户星级",
    ),
    "team": (
        "team",
        "team name",
        "team_name",
        "group",
        "agent group",
        "agent team",
        "supervisor",
        "班组",
        "组别",
        "团队",
        "小组",
        "坐席组",
    ),
    "agent": (
        "agent",
        "agent name",
        "agent_name",
        "agent.username",
        "agent username",
        "agent id",
        "agent_no",
        "agentid",
        "user name",
        "username",
        "users - interacted",
        "user",
        "representative",
        "rep",
        "employee",
        "server",
        "operator",
        "坐席",
        "坐席工号",
        "工号",
        "座席",
        "座席工号",
        "客服",
        "客服工号",
        "坐席姓名",
        "话务员",
    ),
    "customer_id": (
        "customer_id",
        "customer id",
        "customer",
        "caller id",
        "callerid",
        "caller",
        "customer number",
        "customer phone",
        "customer phone number",
        "contact phone number",
        "customerendpoint.address",
        "ani",
        "ani_dialnum",
        "from",
        "phone",
        "phone number",
        "客户号码",
        "来电号码",
        "主叫号码",
        "客户电话",
        "手机号码",
        "用户号码",
        "客户编号",
    ),
    "channel": (
        "channel",
        "media type",
        "media",
        "media_name",
        "contact channel",
        "entry point",
        "渠道",
        "接入渠道",
        "媒体类型",
    ),
    "wait_s": (
        "wait_s",
        "wait",
        "wait time",
        "waiting time",
        "queue time",
        "queue wait",
        "queue wait time",
        "queue.duration",
        "queueduration",
        "time in queue",
        "hold in queue",
        "speed of answer",
        "answer speed",
        "answer time seconds",
        "delay",
        "q_time",
        "inqueue",
        "in queue",
        "total queue",
        "queue duration",
        "waiting",
        "排队时长",
        "等待时长",
        "排队时间",
        "等待时间",
        "排队等待时长",
        "应答时长",
    ),
    "talk_s": (
        "talk_s",
        "talk",
        "talk time",
        "talktime",
        "talk duration",
        "conversation time",
        "agent.agentinteractionduration",
        "agentinteractionduration",
        "agent interaction duration",
        "agent_time",
        "agent time",
        "total talk",
        "ser_time",
        "service time",
        "avgtalkduration",
        "call duration",
        "通话时长",
        "通话时间",
        "谈话时长",
        "通话时长秒",
    ),
    "hold_s": (
        "hold_s",
        "hold",
        "hold time",
        "holdtime",
        "hold duration",
        "agent.customerholdduration",
        "customerholdduration",
        "customer hold duration",
        "total hold",
        "hold_time",
        "保持时长",
        "保持时间",
        "通话保持时长",
    ),
    "acw_s": (
        "acw_s",
        "acw",
        "acw time",
        "after call work",
        "after call work time",
        "after-call work",
        "after contact work",
        "agent.aftercontactworkduration",
        "aftercontactworkduration",
        "after contact work duration",
        "wrap",
        "wrap time",
        "wrap up",
        "wrap up time",
        "wrapup time",
        "wrap-up time",
        "total acw",
        "acw_seconds",
        "wrap_time",
        "话后处理时长",
        "话后处理",
        "整理时长",
        "话后整理时长",
        "事后处理时长",
        "话后时长",
        "整理时间",
    ),
    "ivr_s": (
        "ivr_s",
        "ivr",
        "ivr time",
        "ivr duration",
        "self service time",
        "prequeue",
        "vru_time",
        "vru time",
        "ivr时长",
        "自助语音时长",
        "语音导航时长",
    ),
    "ivr_contained": (
        "ivr_contained",
        "ivr contained",
        "contained",
        "self served",
        "self service",
        "ivr完成",
        "自助完成",
    ),
    "answered": (
        "answered",
        "is answered",
        "answered y/n",
        "answered (y/n)",
        "connected",
        "handled",
        "是否接通",
        "接通",
        "是否应答",
        "已接通",
        "是否接听",
    ),
    "abandoned": (
        "abandoned",
        "is abandoned",
        "abandon",
        "abandoned y/n",
        "abandoned (y/n)",
        "abandoned call",
        "abn",
        "是否放弃",
        "放弃",
        "是否挂断",
        "呼损",
        "排队放弃",
    ),
    "transferred": (
        "transferred",
        "transfer",
        "is transferred",
        "transfers",
        "transfer out",
        "transfer out (yes/no)",
        "transferred out",
        "是否转接",
        "转接",
    ),
    "resolved": (
        "resolved",
        "is resolved",
        "resolution",
        "first call resolution",
        "fcr",
        "是否解决",
        "解决",
    ),
    "csat": (
        "csat",
        "satisfaction",
        "satisfaction rating",
        "customer satisfaction",
        "rating",
        "csat score",
        "survey score",
        "满意度",
        "满意度评分",
        "客户满意度",
        "评价",
    ),
    "qa_score": (
        "qa_score",
        "qa score",
        "qa",
        "quality score",
        "quality",
        "evaluation score",
        "qa evaluation",
        "质检得分",
        "质检分数",
        "质检成绩",
        "质检",
    ),
    "cost": ("cost", "call cost", "charge", "费用", "成本"),
}

_INTERVAL_SYNONYMS: dict[str, tuple[str, ...]] = {
    "interval_start": (
        "interval_start",
        "interval start",
        "interval start time",
        "period start",
        "datetime",
        "date time",
        "timestamp",
        "start datetime",
        "时段开始时间",
        "时段开始",
    ),
    "interval_date": ("row_date", "date", "day", "report date", "日期"),
    "interval_time": (
        "starttime",
        "start time",
        "interval",
        "time",
        "time interval",
        "half hour",
        "period",
        "时段",
        "时间段",
        "时间",
    ),
    "day_index": ("index", "day index", "day number", "day no", "day_index"),
    "interval_minutes": (
        "interval_minutes",
        "intrvl",
        "interval length",
        "interval minutes",
        "interval_length",
        "时段长度",
    ),
    "queue": (
        "queue",
        "queue name",
        "split",
        "skill",
        "skill name",
        "calltypeid",
        "call type id",
        "call type",
        "calltype",
        "skill group",
        "技能组",
        "队列",
    ),
    "category": ("category", "topic", "reason", "业务类型"),
    "segment": ("segment", "customer segment", "brand", "客户品牌"),
    "team": ("team", "team name", "班组"),
    "agent": ("agent", "agent name", "坐席"),
    "channel": ("channel", "media type", "渠道"),
    "offered": (
        "offered",
        "calls offered",
        "callsoffered",
        "offered calls",
        "incoming calls",
        "calls incoming",
        "incoming",
        "calls received",
        "received calls",
        "inbound calls",
        "total calls",
        "noffered",
        "contacts queued",
        "contacts offered",
        "呼入量",
        "进线量",
        "来电量",
        "呼入总量",
        "来话量",
    ),
    "answered": (
        "answered calls",
        "calls answered",
        "callsanswered",
        "acdcalls",
        "acd calls",
        "handled calls",
        "calls handled",
        "callshandled",
        "contacts handled",
        "nanswered",
        "接通量",
        "应答量",
        "人工接通量",
    ),
    "abandoned": (
        "abandoned calls",
        "calls abandoned",
        "abncalls",
        "totalcallsaband",
        "total calls aband",
        "abandoned",
        "contacts abandoned",
        "nabandon",
        "放弃量",
        "呼损量",
    ),
    "short_abandoned": (
        "short abandoned",
        "short abandons",
        "shortcalls",
        "short calls",
        "短放弃量",
    ),
    "answered_in_sl": (
        "answered in sl",
        "answered within sl",
        "acceptable",
        "servicelevelcalls",
        "service level calls",
        "calls answered within sl",
    ),
    "abandoned_in_sl": (
        "abandoned in sl",
        "abandoned within sl",
        "slvlabns",
        "servicelevelaband",
        "service level aband",
    ),
    "transferred": ("transferred", "transfers", "transferred calls", "转接量"),
    "wait_s_sum": (
        "wait_s_sum",
        "anstime",
        "answerwaittime",
        "answer wait time",
        "total answer time",
    ),
    "abandon_wait_s_sum": (
        "abandon_wait_s_sum",
        "abntime",
        "delayqabandtime",
        "total abandon time",
    ),
    "talk_s_sum": ("talk_s_sum", "acdtime", "talktime", "talk time", "total talk time"),
    "hold_s_sum": ("hold_s_sum", "holdacdtime", "holdtime", "hold time", "total hold time"),
    "acw_s_sum": ("acw_s_sum", "acwtime", "acw time", "total acw time", "worktime"),
    "handle_s_sum": ("handle_s_sum", "handletime", "handle time", "total handle time"),
    "staffed_agents": ("staffed_agents", "staffed agents", "avg staffed", "staffed", "在岗人数"),
    "staffed_s": ("staffed_s", "i_stafftime", "staff time", "staffed time", "logged in time"),
    "scheduled_agents": ("scheduled_agents", "scheduled agents", "scheduled", "排班人数"),
    "forecast_offered": (
        "forecast_offered",
        "forecast offered",
        "forecast calls",
        "forecast volume",
        "预测话务量",
    ),
    "forecast_aht_s": ("forecast_aht_s", "forecast aht", "预测aht"),
    "reported_service_level": (
        "reported_service_level",
        "service level",
        "servicelevel",
        "sl",
        "service level %",
        "service level (20 seconds)",
        "service level 20 seconds",
        "% within service level",
        "服务水平",
        "接通率20秒",
    ),
    "asa_s": (
        "asa",
        "asa_s",
        "average speed of answer",
        "avg speed of answer",
        "answer speed (avg)",
        "answer speed avg",
        "avg answer speed",
        "avg asa",
        "平均应答时长",
        "平均等待时长",
    ),
    "avg_talk_s": (
        "avg talk",
        "avg talk time",
        "average talk time",
        "talk duration (avg)",
        "talk duration avg",
        "att",
        "avg acd time",
        "平均通话时长",
    ),
    "avg_hold_s": ("avg hold", "avg hold time", "average hold time", "平均保持时长"),
    "avg_acw_s": (
        "avg acw",
        "avg acw time",
        "average acw",
        "avg after call work",
        "平均话后处理时长",
    ),
    "aht_s": ("aht", "aht_s", "average handle time", "avg handle time", "平均处理时长"),
    "avg_abandon_wait_s": (
        "avg abandon time",
        "avg aban time",
        "average abandon time",
        "avgabntime",
    ),
}

#: Header synonyms per kind: ``SYNONYMS[kind][key]`` is a tuple of header
#: names, best first. Matching ignores case, spaces, punctuation and unit
#: suffixes such as ``_s``, ``(sec)``, ``(秒)``, ``_ms``, ``in seconds``.
SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "calls": _CALL_SYNONYMS,
    "intervals": _INTERVAL_SYNONYMS,
}

_CALL_INPUT_KEYS = set(CALL_COLUMNS) | {
    "outcome",
    "queued_at",
    "answered_at",
    "direction",
    "arrival_date",
    "arrival_time",
}
_INTERVAL_INPUT_KEYS = set(INTERVAL_COLUMNS) | {
    "interval_date",
    "interval_time",
    "day_index",
    "staffed_s",
    "asa_s",
    "avg_talk_s",
    "avg_hold_s",
    "avg_acw_s",
    "aht_s",
    "avg_abandon_wait_s",
}
_INTERVAL_ONLY = (_INTERVAL_INPUT_KEYS - _CALL_INPUT_KEYS) - {"interval_date", "interval_time"}
#: Interval columns that make a file a staffing plan even without actual call counts.
_PLAN_KEYS = (
    "forecast_offered",
    "forecast_aht_s",
    "scheduled_agents",
    "staffed_agents",
    "staffed_s",
)

_UNIT_WORDS = {
    "ms": "ms",
    "msec": "ms",
    "msecs": "ms",
    "millis": "ms",
    "milliseconds": "ms",
    "毫秒": "ms",
    "s": "s",
    "sec": "s",
    "secs": "s",
    "second": "s",
    "seconds": "s",
    "秒": "s",
    "min": "min",
    "mins": "min",
    "minute": "min",
    "minutes": "min",
    "分钟": "min",
    "h": "h",
    "hr": "h",
    "hrs": "h",
    "hour": "h",
    "hours": "h",
    "小时": "h",
    "%": "%",
    "pct": "%",
    "percent": "%",
    "y/n": None,
    "yes/no": None,
    "yes / no": None,
    "是/否": None,
}
_UNIT_GROUP = "|".join(sorted((re.escape(u) for u in _UNIT_WORDS), key=len, reverse=True))
_UNIT_PAREN = re.compile(r"\s*[\(\[（【]\s*(" + _UNIT_GROUP + r")\s*[\)\]）】]\s*$")
_UNIT_SUFFIX = re.compile(
    r"[\s_\.\-](ms|msec|millis|milliseconds|s|sec|secs|seconds|min|mins|minutes|hrs|hours)$"
)
_UNIT_IN = re.compile(r"\s+in\s+(ms|milliseconds|s|sec|secs|seconds|min|mins|minutes|hours)$")


def _key(text: str) -> str:
    """Case- and punctuation-free form of a header (CJK characters kept)."""
    text = unicodedata.normalize("NFKC", str(text)).lower()
    return re.sub(r"[\W_]+", "", text)


def _split_unit(header: str) -> tuple[str, str | None]:
    """Return (key without a unit suffix, unit or None)."""
    text = unicodedata.normalize("NFKC", str(header)).strip().lower()
    for pattern in (_UNIT_PAREN, _UNIT_IN, _UNIT_SUFFIX):
        match = pattern.search(text)
        if match and match.start() > 0:
            return _key(text[: match.start()]), _UNIT_WORDS.get(match.group(1))
    for word, unit in (("毫秒", "ms"), ("秒", "s"), ("分钟", "min")):
        if text.endswith(word) and len(text) > len(word):
            return _key(text[: -len(word)]), unit
    return _key(text), None


def _build_index(table: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, int]]:
    index: dict[str, tuple[str, int]] = {}
    for canonical, names in table.items():
        for rank, name in enumerate(names):
            index.setdefault(_key(name), (canonical, rank))
    for canonical in table:  # a canonical name always means itself, before any synonym
        index[_key(canonical)] = (canonical, -1)
    return index


_INDEX = {kind: _build_index(table) for kind, table in SYNONYMS.items()}


def _match(columns: list[str], kind: str) -> dict[str, str]:
    """Map canonical keys to the best-ranked source column for one kind."""
    index = _INDEX[kind]
    best: dict[str, tuple[int, int, str]] = {}
    for position, column in enumerate(columns):
        base, _unit = _split_unit(column)
        full = _key(column)
        for candidate in (full, base):
            if candidate in index:
                canonical, rank = index[candidate]
                current = best.get(canonical)
                if current is None or (rank, position) < current[:2]:
                    best[canonical] = (rank, position, column)
                break
    return {canonical: column for canonical, (_r, _p, column) in best.items()}


def guess_kind(columns) -> str:
    """Guess whether headers describe call-level records or interval counts.

    Parameters
    ----------
    columns : iterable of str
        Source headers.

    Returns
    -------
    str
        ``"calls"`` or ``"intervals"``.

    Notes
    -----
    Intervals when the interval synonyms find an offered-calls count, or both
    an answered and an abandoned count, and the call synonyms find no call id.

    Examples
    --------
    >>> guess_kind(["row_date", "starttime", "callsoffered", "acdcalls"])
    'intervals'
    >>> guess_kind(["Call Id", "Date", "Time", "Answered (Y/N)"])
    'calls'
    """
    columns = [str(c) for c in columns]
    calls = _match(columns, "calls")
    intervals = _match(columns, "intervals")
    if "call_id" in calls:
        return "calls"
    if "offered" in intervals or {"answered", "abandoned"} <= set(intervals):
        return "intervals"
    if len(set(intervals) & _INTERVAL_ONLY) >= 2 and not ({"wait_s", "talk_s"} & set(calls)):
        return "intervals"
    return "calls"


def guess_mapping(columns, kind: str | None = None) -> dict:
    """Map source headers to canonical columns from :data:`SYNONYMS`.

    Parameters
    ----------
    columns : iterable of str
        Source headers.
    kind : {"calls", "intervals"}, optional
        Use the synonyms of this kind; guessed with :func:`guess_kind` if None.

    Returns
    -------
    dict
        ``{canonical: source_column}``; ``arrived_at``/``interval_start`` may
        be ``[date_column, time_column]`` when the export splits them.

    Notes
    -----
    Matching is case-, space- and punctuation-insensitive and ignores unit
    suffixes. When several columns match one key, the one matching the
    earlier synonym wins, then the leftmost column.

    Examples
    --------
    >>> guess_mapping(["Call Id", "Date", "Time", "Speed of answer in seconds"])
    {'call_id': 'Call Id', 'wait_s': 'Speed of answer in seconds', 'arrived_at': ['Date', 'Time']}
    """
    columns = [str(c) for c in columns]
    kind = kind or guess_kind(columns)
    matched = _match(columns, kind)
    if kind == "calls":
        start, date_key, time_key = "arrived_at", "arrival_date", "arrival_time"
    else:
        start, date_key, time_key = "interval_start", "interval_date", "interval_time"
    date_col = matched.pop(date_key, None)
    time_col = matched.pop(time_key, None)
    if start not in matched:
        if date_col and time_col:
            matched[start] = [date_col, time_col]
        elif date_col or time_col:
            matched[start] = date_col or time_col
    elif date_col and kind == "calls":
        # a "start time" column may hold only the clock time: load() checks the values
        matched["arrival_date"] = date_col
    if kind == "intervals" and start in matched:
        matched.pop("day_index", None)
    return matched


# --------------------------------------------------------------------------
# Results and errors
# --------------------------------------------------------------------------


class LoadError(ValueError):
    """An export that cannot be loaded; the message says what was found and what is needed.

    Attributes
    ----------
    code : str
        Stable error code (see the module docstring), for translation.
    params : dict
        Values a translated message needs (file name, headers, ...).
    """

    def __init__(self, message: str, code: str = "unreadable_file", params: dict | None = None):
        super().__init__(message)
        self.code = code
        self.params = dict(params or {})


@dataclass
class LoadResult:
    """What :func:`load` returns.

    Attributes
    ----------
    frame : pandas.DataFrame
        Canonical frame (:data:`ccmetrics.schema.CALL_COLUMNS` or
        :data:`ccmetrics.schema.INTERVAL_COLUMNS`, every column present,
        missing where the export lacks it).
    kind : str
        ``"calls"`` or ``"intervals"``.
    mapping : dict
        The mapping used (canonical key -> source column or list of columns,
        plus ``"options"`` when given).
    problems : pandas.DataFrame
        One row per kind of problem: ``level, code, column, rows, message, params``.
    encoding : str or None
        Text encoding used; None for Excel and Parquet.
    source_name : str
        File name used in messages.
    format : str
        ``"csv"``, ``"excel"`` or ``"parquet"``.
    columns : list of str
        The source headers (for a mapping editor).
    """

    frame: pd.DataFrame
    kind: str
    mapping: dict
    problems: pd.DataFrame
    encoding: str | None = None
    source_name: str = ""
    format: str = ""
    columns: list = field(default_factory=list)


class _Problems:
    """Collects problems; turns them into the problems DataFrame."""

    def __init__(self) -> None:
        self.items: list[dict] = []

    def add(self, level, code, column, rows, message, **params):
        self.items.append(
            {
                "level": level,
                "code": code,
                "column": column,
                "rows": int(rows),
                "message": message,
                "params": params,
            }
        )

    def add_rows(self, level, code, column, mask, row_numbers, message, **params):
        """Add a problem for the rows where ``mask`` is true (skip if none)."""
        mask = np.asarray(mask, dtype=bool)
        count = int(mask.sum())
        if count == 0:
            return 0
        sample = [int(r) for r in row_numbers[mask][:5]]
        text = f"{message} ({count:,} row{'s' if count != 1 else ''}; e.g. row{'s' if len(sample) > 1 else ''} "
        text += ", ".join(str(r) for r in sample) + ")"
        self.add(level, code, column, count, text, count=count, sample=sample, **params)
        return count

    def frame(self) -> pd.DataFrame:
        if not self.items:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in PROBLEM_COLUMNS}).astype(
                {"rows": "int64"}
            )
        out = pd.DataFrame(self.items, columns=list(PROBLEM_COLUMNS))
        out["rows"] = out["rows"].astype("int64")
        return out


# --------------------------------------------------------------------------
# Reading bytes and tables
# --------------------------------------------------------------------------


#: Files at least this large are memory-mapped rather than read into a new buffer.
_MAP_BYTES = 1 << 24


def _source_bytes(source) -> tuple[Any, str]:
    """The raw bytes of a source and its name. A large file is memory-mapped
    (read-only, the page cache serves it) rather than copied into new memory."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            if path.is_file() and path.stat().st_size >= _MAP_BYTES:
                with open(path, "rb") as handle:
                    try:
                        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ), path.name
                    except (OSError, ValueError):  # not mappable: read it
                        pass
            return path.read_bytes(), path.name
        except FileNotFoundError:
            raise LoadError(
                f"{path}: file not found.", "file_not_found", {"file": str(path)}
            ) from None
        except IsADirectoryError:
            raise LoadError(
                f"{path}: is a folder, not a file.", "file_not_found", {"file": str(path)}
            ) from None
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source), "uploaded data"
    if hasattr(source, "read"):
        if hasattr(source, "seek"):
            try:
                source.seek(0)
            except (OSError, ValueError):
                pass
        data = source.read()
        if isinstance(data, str):
            data = data.encode("utf-8")
        return bytes(data), Path(str(getattr(source, "name", "uploaded file"))).name
    raise TypeError(
        f"source must be a path, bytes or a binary file object, not {type(source).__name__}"
    )


#: Characters of decoded text the sniffer and the binary check look at (see :func:`_sniff`).
_HEAD_CHARS = 200_001
#: Bytes decoded at a time when a whole file is validated or transcoded.
_CHUNK_BYTES = 1 << 24


def _is_blank(data) -> bool:
    """True when the bytes are empty or only ASCII whitespace (``not data.strip()``).

    Looks at the first 64 KiB first, so a large file is not copied to answer.
    """
    head = bytes(data[:65536])
    if head.strip():
        return False
    return len(data) <= 65536 or not bytes(data).strip()


def _is_ascii(view: memoryview) -> bool:
    """``bytes.isascii`` of any buffer (every byte below 0x80), without a copy."""
    return len(view) == 0 or int(np.frombuffer(view, dtype=np.uint8).max()) < 0x80


def _decoded_chunks(data, encoding: str):
    """Decode ``data`` piece by piece (strict); raises UnicodeDecodeError like ``bytes.decode``."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    view = memoryview(data)
    size = len(view)
    for start in range(0, size, _CHUNK_BYTES):
        end = min(start + _CHUNK_BYTES, size)
        yield decoder.decode(view[start:end], final=end >= size)
    if size == 0:
        yield decoder.decode(b"", final=True)


def _head_text(data, encoding: str) -> str:
    """The first :data:`_HEAD_CHARS` characters of ``data`` decoded (already known valid)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    view = memoryview(data)
    parts, chars, start = [], 0, 0
    while start < len(view) and chars < _HEAD_CHARS:
        end = min(start + 4 * _HEAD_CHARS, len(view))
        part = decoder.decode(view[start:end], final=end >= len(view))
        parts.append(part)
        chars += len(part)
        start = end
    return "".join(parts)[:_HEAD_CHARS]


def _valid(data, encoding: str) -> bool:
    """True when ``data`` decodes strictly with ``encoding`` (without keeping the text)."""
    try:
        for _ in _decoded_chunks(data, encoding):
            pass
    except UnicodeDecodeError:
        return False
    return True


def _utf8_of(data, encoding: str) -> bytes:
    """``data.decode(encoding).encode("utf-8")``, a piece at a time (no full text in memory)."""
    return b"".join(part.encode("utf-8") for part in _decoded_chunks(data, encoding))


def _decode(data: bytes, encoding: str | None, name: str) -> tuple[str, str, Any]:
    """Find the text encoding: BOM, strict UTF-8, GB18030, then charset-normalizer.

    Returns ``(head, encoding, utf8)``: the first :data:`_HEAD_CHARS`
    characters of the text, the encoding used, and the whole text as UTF-8
    bytes (the input itself, or a view of it, when it already is UTF-8). The
    whole text is never held decoded: a 600 MB export would take 0.6-2.4 GB
    as a Python string.
    """
    view = memoryview(data)
    if encoding:
        try:
            info = codecs.lookup(encoding)
            if not getattr(info, "_is_text_encoding", True):
                raise LookupError(f"{encoding!r} is not a text encoding")
            codec = info.name
            if codec == "utf-8" or (codec == "utf-8-sig" and data[:3] != codecs.BOM_UTF8):
                if not _valid(view, "utf-8"):
                    raise UnicodeDecodeError("utf-8", b"", 0, 1, "invalid data")
                return _head_text(view, "utf-8"), encoding, data
            if codec == "utf-8-sig":
                rest = view[len(codecs.BOM_UTF8) :]
                if not _valid(rest, "utf-8"):
                    raise UnicodeDecodeError("utf-8", b"", 0, 1, "invalid data")
                return _head_text(rest, "utf-8"), encoding, rest
            utf8 = _utf8_of(view, encoding)
            return _head_text(utf8, "utf-8"), encoding, utf8
        except (UnicodeDecodeError, LookupError) as exc:
            raise LoadError(
                f"{name}: cannot be read as {encoding} ({exc.__class__.__name__}). "
                "Leave the encoding empty to detect it.",
                "encoding_failed",
                {"file": name, "encoding": encoding},
            ) from None
    if data[:3] == codecs.BOM_UTF8:
        rest = view[len(codecs.BOM_UTF8) :]
        if not _valid(rest, "utf-8"):
            bytes(rest).decode("utf-8", errors="strict")  # raises the error a plain decode raises
        return _head_text(rest, "utf-8"), "utf-8-sig", rest
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if _valid(view, "utf-16"):
            utf8 = _utf8_of(view, "utf-16")
            return _head_text(utf8, "utf-8"), "utf-16", utf8
    head = data[:4096]
    if b"\x00" in head:
        # UTF-16 without a BOM: every other byte of ASCII text is zero
        zeros_odd = head[1::2].count(0)
        zeros_even = head[0::2].count(0)
        for enc, zeros in (("utf-16-le", zeros_odd), ("utf-16-be", zeros_even)):
            if zeros > 0.3 * len(head) / 2 and _valid(view, enc):
                utf8 = _utf8_of(view, enc)
                return _head_text(utf8, "utf-8"), enc, utf8
        raise _not_a_table(name)
    if _is_ascii(view):
        return _head_text(view, "ascii"), "utf-8", data
    if _valid(view, "utf-8"):
        return _head_text(view, "utf-8"), "utf-8", data
    if _valid(view, "gb18030"):
        utf8 = _utf8_of(view, "gb18030")
        return _head_text(utf8, "utf-8"), "gb18030", utf8
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
    except Exception:  # pragma: no cover - detector failure is treated as garbage
        best = None
    if best is not None and best.encoding:
        try:
            utf8 = _utf8_of(view, best.encoding)
            return _head_text(utf8, "utf-8"), best.encoding, utf8
        except (UnicodeDecodeError, LookupError):
            pass
    raise _not_a_table(name)


def _not_a_table(name: str) -> LoadError:
    return LoadError(
        f"{name}: this is not a readable table. Found binary data, not text. "
        "Needed: a CSV/TSV/TXT export, an Excel workbook (.xlsx/.xls) or a Parquet file.",
        "not_a_table",
        {"file": name},
    )


def _looks_binary(text: str) -> bool:
    sample = text[:20_000]
    if not sample:
        return False
    bad = sum(1 for ch in sample if (ord(ch) < 32 and ch not in "\t\r\n") or ch == "\ufffd")
    return bad > 0.01 * len(sample)


_DELIMITERS = (",", ";", "\t", "|")


def _sniff(text: str) -> tuple[str, int, list[str]]:
    """Return (delimiter, header line index, header fields) from the first lines."""
    lines = [line for line in text[:200_000].splitlines()[:60] if line.strip()]
    if len(lines) > 1 and not text[:200_000].endswith(("\n", "\r")) and len(text) > 200_000:
        lines = lines[:-1]
    best = None
    for delim in _DELIMITERS:
        counts = [len(row) for row in csv.reader(lines, delimiter=delim)]
        if not counts:
            continue
        data_counts = counts[1:] or counts
        modal = max(set(data_counts), key=data_counts.count)
        consistency = data_counts.count(modal) / len(data_counts)
        score = (modal > 1, consistency >= 0.9, modal * consistency, -_DELIMITERS.index(delim))
        if best is None or score > best[0]:
            best = (score, delim, modal, counts)
    if best is None:
        return ",", 0, [], []
    _score, delim, modal, counts = best
    header_line = next((i for i, c in enumerate(counts) if c == modal), 0)
    # header_line indexes non-blank lines; translate to the physical line
    physical = [i for i, line in enumerate(text[:200_000].splitlines()[:60]) if line.strip()]
    header_physical = physical[header_line] if physical else 0
    header = next(csv.reader([lines[header_line]], delimiter=delim)) if lines else []
    return (
        delim,
        header_physical,
        header,
        list(csv.reader(lines[header_line + 1 :], delimiter=delim)),
    )


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, name in enumerate(names):
        name = str(name).strip().lstrip("\ufeff") or f"Unnamed: {i}"
        if name in seen:
            seen[name] += 1
            name = f"{name}.{seen[name]}"
        else:
            seen[name] = 0
        out.append(name)
    return out


class _Table:
    """A source table: its headers, and a reader of selected columns."""

    def __init__(
        self,
        data: bytes,
        name: str,
        encoding: str | None,
        sheet,
        problems: _Problems,
        nrows: int | None = None,
    ):
        self.name = name
        self.problems = problems
        self.nrows = nrows  # a preview: Excel and Parquet read only this many rows
        self.encoding: str | None = None
        self._frame: pd.DataFrame | None = None
        if not data or _is_blank(data):
            raise LoadError(
                f"{name}: the file is empty. Needed: a header row and at least one data row.",
                "empty_file",
                {"file": name},
            )
        for _ in range(3):
            if data[:2] == b"\x1f\x8b":
                try:
                    data = gzip.decompress(data)
                except (OSError, EOFError):
                    raise LoadError(
                        f"{name}: a damaged gzip file.", "unreadable_file", {"file": name}
                    ) from None
                continue
            if data[:4] == b"PK\x03\x04":
                data, is_excel = self._unzip(data)
                if is_excel:
                    break
                continue
            break
        if _is_blank(data):
            raise LoadError(f"{name}: the file is empty.", "empty_file", {"file": name})
        self.data = data
        if data[:4] == b"PAR1":
            self.format = "parquet"
            self._open_parquet()
        elif data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
            self.format = "excel"
            self._open_excel(sheet)
        else:
            self.format = "csv"
            if nrows is not None:  # a preview: whole lines of the first PREVIEW_BYTES only
                self.data = _text_head(data, encoding)
            self._open_csv(encoding)

    def _unzip(self, data: bytes) -> tuple[bytes, bool]:
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            raise _not_a_table(self.name) from None
        names = archive.namelist()
        if any(n.startswith("xl/") for n in names):
            return data, True
        files = [n for n in names if not n.endswith("/")]
        if len(files) != 1:
            raise LoadError(
                f"{self.name}: a zip archive with {len(files)} files. Needed: one table per upload.",
                "not_a_table",
                {"file": self.name, "files": files[:10]},
            )
        return archive.read(files[0]), False

    # -- parquet
    def _open_parquet(self):
        import pyarrow as pa
        import pyarrow.parquet as pq

        try:
            # a reader over the caller's buffer (a memory map too): no copy of the file
            self._parquet = pq.ParquetFile(pa.BufferReader(self.data))
        except Exception as exc:
            raise LoadError(
                f"{self.name}: damaged Parquet file ({exc}).",
                "unreadable_file",
                {"file": self.name},
            ) from None
        self.columns = [str(c) for c in self._parquet.schema_arrow.names]

    # -- excel
    def _open_excel(self, sheet):
        try:
            book = pd.ExcelFile(io.BytesIO(self.data), engine="calamine")
        except Exception as exc:
            raise LoadError(
                f"{self.name}: damaged or unsupported Excel workbook ({exc.__class__.__name__}).",
                "unreadable_file",
                {"file": self.name},
            ) from None
        sheets = list(book.sheet_names)
        if sheet is None:
            chosen = sheets[0] if sheets else None
        elif isinstance(sheet, int) and 0 <= sheet < len(sheets):
            chosen = sheets[sheet]
        elif sheet in sheets:
            chosen = sheet
        else:
            chosen = None
        if chosen is None:
            raise LoadError(
                f"{self.name}: no sheet {sheet!r}. Found sheets: {', '.join(map(str, sheets))}.",
                "bad_sheet",
                {"file": self.name, "sheet": sheet, "sheets": sheets},
            )
        frame = pd.read_excel(book, sheet_name=chosen, header=0, nrows=self.nrows)
        frame.columns = _dedupe([str(c) for c in frame.columns])
        self._frame = frame.dropna(how="all")
        self.columns = list(frame.columns)

    # -- csv
    def _open_csv(self, encoding):
        text, self.encoding, self._utf8 = _decode(self.data, encoding, self.name)
        if _looks_binary(text):
            raise _not_a_table(self.name)
        self.delimiter, self.header_line, header, self.sample_rows = _sniff(text)
        if not header:
            raise LoadError(f"{self.name}: the file is empty.", "empty_file", {"file": self.name})
        self.columns = _dedupe(header)
        if self.header_line > 0:
            self.problems.add(
                "info",
                "skipped_preamble",
                None,
                self.header_line,
                f"{self.header_line} line(s) above the header row were skipped.",
                count=self.header_line,
            )
        del text

    def release(self) -> None:
        """Drop the file's bytes (after :meth:`read`): a large export is then held
        only by the caller, if at all, while the canonical frame is built."""
        self.data = None
        self._utf8 = None

    def sample(self, column: str) -> list[str]:
        """The first few raw cells of a CSV column (empty for other formats)."""
        if self.format != "csv" or column not in self.columns:
            return []
        position = self.columns.index(column)
        return [row[position] for row in getattr(self, "sample_rows", []) if len(row) > position]

    def read(
        self,
        columns: list[str],
        string_columns: set[str],
        category_columns: frozenset[str] = frozenset(),
        flag_columns: frozenset[str] = frozenset(),
    ) -> pd.DataFrame:
        """Read the given source columns (ids and dimensions as strings).

        CSV only, for speed and memory (the values a caller sees are the
        same): ``category_columns`` (strings used only as dimensions) are read
        as categoricals with sorted categories, as ``astype("category")``
        would give; ``flag_columns`` (used only as yes/no flags) that Arrow
        reads as booleans with blanks become the nullable ``boolean`` dtype
        instead of Python objects.
        """
        columns = list(dict.fromkeys(columns))
        if self.format == "excel":
            return self._frame[columns].reset_index(drop=True)
        if self.format == "parquet":
            if self.nrows is not None:
                first = next(
                    self._parquet.iter_batches(batch_size=self.nrows, columns=columns), None
                )
                if first is not None:
                    return first.to_pandas()
            return self._parquet.read(columns=columns).to_pandas()
        return self._read_csv(columns, string_columns, category_columns, flag_columns)

    def _read_csv(
        self, columns, string_columns, category_columns=frozenset(), flag_columns=frozenset()
    ) -> pd.DataFrame:
        import pyarrow as pa
        import pyarrow.csv as pacsv

        skipped: list[str] = []

        def on_invalid(row):
            skipped.append(row.text)
            return "skip"

        try:
            column_types = {c: pa.string() for c in columns if c in string_columns}
            for c in columns:
                if c in string_columns and c in category_columns:
                    column_types[c] = pa.dictionary(pa.int32(), pa.string())
            table = pacsv.read_csv(
                pa.BufferReader(pa.py_buffer(self._utf8)),
                read_options=pacsv.ReadOptions(
                    skip_rows=self.header_line + 1, column_names=self.columns, block_size=1 << 24
                ),
                parse_options=pacsv.ParseOptions(
                    delimiter=self.delimiter,
                    invalid_row_handler=on_invalid,
                    newlines_in_values=False,
                ),
                convert_options=pacsv.ConvertOptions(
                    include_columns=columns,
                    column_types=column_types,
                    null_values=list(PLACEHOLDERS),
                    strings_can_be_null=True,
                    quoted_strings_can_be_null=True,
                ),
            )
            for i, field_ in enumerate(table.schema):
                if pa.types.is_time(field_.type):
                    # clock-like cells ("00:02:14") become durations, read as seconds later
                    as_int = table.column(i).cast(
                        pa.int64() if pa.types.is_time64(field_.type) else pa.int32()
                    )
                    unit = field_.type.unit
                    table = table.set_column(
                        i, field_.name, as_int.cast(pa.int64()).cast(pa.duration(unit))
                    )
            holder = [table]
            del table
            frame = _arrow_to_pandas(holder, flag_columns)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            # quoted newlines or odd quoting: the slower pandas parser copes
            frame = pd.read_csv(
                io.BytesIO(self._utf8),
                sep=self.delimiter,
                skiprows=self.header_line + 1,
                names=self.columns,
                usecols=columns,
                header=None,
                engine="python",
                dtype={c: str for c in columns if c in string_columns},
                na_values=list(PLACEHOLDERS),
                keep_default_na=False,
                on_bad_lines="skip",
            )
        if skipped:
            self.problems.add(
                "warning",
                "malformed_row",
                None,
                len(skipped),
                f"{len(skipped):,} row(s) had a wrong number of fields and were skipped "
                f"(e.g. {skipped[0][:80]!r}); row numbers after them shift.",
                count=len(skipped),
                sample_text=[s[:80] for s in skipped[:3]],
            )
        return frame


def _hand_back_memory() -> None:
    """Return freed memory to the operating system.

    Parsing a large CSV leaves about 1 GB (at 5M rows) of freed scratch memory
    with the allocators (Arrow's pool, the C library's per-thread arenas),
    which would otherwise add to the peak while the canonical frame is built.
    """
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to trim
        pass


def _arrow_to_pandas(holder: list, flag_columns=frozenset()) -> pd.DataFrame:
    """An Arrow table (the only item of ``holder``, taken out of it) as pandas:
    dictionary columns as categoricals with sorted categories, boolean
    ``flag_columns`` with blanks as the ``boolean`` dtype. Arrow memory is
    released column by column as it is converted."""
    import pyarrow as pa

    table = holder.pop()
    schema, names = table.schema, table.column_names
    flags = [
        f.name
        for f in schema
        if f.name in flag_columns
        and pa.types.is_boolean(f.type)
        and table.column(f.name).null_count > 0
    ]
    if table.num_rows >= 100_000:
        _hand_back_memory()  # the parser's scratch memory, before converting
    extra = None
    if flags:
        extra = table.select(flags).to_pandas(types_mapper={pa.bool_(): pd.BooleanDtype()}.get)
        table = table.drop_columns(flags)
    rows = table.num_rows
    frame = table.to_pandas(self_destruct=True, split_blocks=True)
    del table
    if rows >= 100_000:
        _hand_back_memory()
    if extra is not None:
        frame = pd.concat([frame, extra], axis=1)[names]
    for f in schema:
        if pa.types.is_dictionary(f.type):
            values = frame[f.name]
            categories = values.cat.categories
            ordered = sorted(str(c) for c in categories)
            if list(categories) != ordered:
                values = values.cat.reorder_categories(ordered)
            frame[f.name] = values
    return frame


# --------------------------------------------------------------------------
# Value parsing (vectorised; string parsing works on unique values)
# --------------------------------------------------------------------------


def _missing_mask(s: pd.Series, extra: tuple = ()) -> np.ndarray:
    mask = np.array(s.isna().to_numpy(), dtype=bool)
    if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
        stripped = _strings(s)
        mask |= stripped.isin(PLACEHOLDERS + tuple(extra)).to_numpy() | stripped.isna().to_numpy()
    return mask


def _strings(s: pd.Series) -> pd.Series:
    """Stripped string view of a column (numbers that are integers lose '.0')."""
    if pd.api.types.is_string_dtype(s.dtype) and s.dtype != object:
        return s.str.strip()
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    texts = np.array([_text(u) for u in uniques] + [None], dtype=object)
    return pd.Series(texts[codes], index=s.index, dtype="str").str.strip()


def _text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (np.floating,)) and float(value).is_integer():
        return str(int(value))
    return str(value)


def _apply_unique(s: pd.Series, func, dtype=float):
    """Apply ``func`` (array of unique stripped strings -> array) through factorize."""
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    values = func(pd.Series(np.asarray(uniques, dtype=object), dtype="str"))
    values = np.asarray(values, dtype=dtype)
    out = np.empty(len(codes), dtype=dtype)
    valid = codes >= 0
    out[valid] = values[codes[valid]]
    if dtype is float:
        out[~valid] = np.nan
    return out


def _clock_to_seconds(u: pd.Series, two_parts: str) -> np.ndarray:
    """Seconds of 'h:mm:ss' / 'mm:ss' (or 'hh:mm' for clock times) strings."""
    text = u.str.strip()
    negative = text.str.startswith("-").fillna(False).to_numpy()
    text = text.str.lstrip("-+")
    parts = text.str.split(":", expand=True, n=3)
    out = np.full(len(u), np.nan)
    if parts.shape[1] < 2:
        return out
    nums = [
        pd.to_numeric(parts[i], errors="coerce").to_numpy(dtype=float)
        for i in range(parts.shape[1])
    ]
    count = parts.notna().sum(axis=1).to_numpy()
    three = count == 3
    if parts.shape[1] >= 3:
        out[three] = nums[0][three] * 3600 + nums[1][three] * 60 + nums[2][three]
    two = count == 2
    if two_parts == "mm:ss":
        out[two] = nums[0][two] * 60 + nums[1][two]
    else:
        out[two] = nums[0][two] * 3600 + nums[1][two] * 60
    out[negative] = -out[negative]
    return out


def _float_strings(u: pd.Series) -> np.ndarray:
    """Numbers from strings: '1,234.5' (thousands) and '12,5' (decimal comma) both read."""
    t = u.str.strip()
    thousands = t.str.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", na=False)
    t = t.where(~thousands, t.str.replace(",", "", regex=False))
    t = t.str.replace(",", ".", regex=False)
    return pd.to_numeric(t, errors="coerce").to_numpy(dtype=float)


def _parse_seconds_strings(u: pd.Series) -> np.ndarray:
    """Numbers or clock strings -> seconds (unit applied later)."""
    numbers = _float_strings(u)
    has_colon = u.str.contains(":", regex=False, na=False).to_numpy()
    if has_colon.any():
        numbers = np.where(has_colon, _clock_to_seconds(u, "mm:ss"), numbers)
    return numbers


_UNIT_FACTOR = {"s": 1.0, "ms": 0.001, "min": 60.0, "h": 3600.0, "day": 86400.0}


def _parse_duration(s: pd.Series, unit: str | None) -> tuple[np.ndarray, np.ndarray, str]:
    """Return (seconds, unparseable mask, unit used).

    Numbers are in ``unit`` (seconds if None); strings may be ``h:mm:ss`` or
    ``mm:ss``; Excel time cells arrive as ``datetime.time``. A unit-less
    column of fractions in [0, 1) is an Excel fraction of a day.
    """
    missing = _missing_mask(s)
    if pd.api.types.is_timedelta64_dtype(s.dtype):
        return s.dt.total_seconds().to_numpy(dtype=float), np.zeros(len(s), bool), "timedelta"
    if pd.api.types.is_bool_dtype(s.dtype):
        s = s.astype(float)
    clock = False
    if pd.api.types.is_numeric_dtype(s.dtype):
        values = s.to_numpy(dtype=float, na_value=np.nan)
    else:
        values = np.full(len(s), np.nan)
        is_time = np.zeros(len(s), bool)
        if s.dtype == object:
            objects = s.to_numpy(dtype=object)
            is_time = np.array(
                [isinstance(v, (_dt.time, _dt.timedelta)) for v in objects], dtype=bool
            )
            if is_time.any():
                values[is_time] = [
                    v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
                    if isinstance(v, _dt.time)
                    else pd.Timedelta(v).total_seconds()
                    for v in objects[is_time]
                ]
                clock = True
        rest = ~is_time & ~missing
        if rest.any():
            text = _strings(s[rest])
            values[rest] = _apply_unique(text, _parse_seconds_strings)
            clock = clock or bool(text.str.contains(":", regex=False, na=False).any())
    bad = ~missing & np.isnan(values)
    if clock:
        return values, bad, "h:mm:ss"
    finite = values[~np.isnan(values)]
    if (
        unit is None
        and finite.size
        and finite.min() >= 0
        and finite.max() < 1
        and not np.all(np.mod(finite, 1) == 0)
    ):
        unit = "day"  # Excel fraction of a day
    return values * _UNIT_FACTOR.get(unit or "s", 1.0), bad, unit or "s"


def _parse_number(s: pd.Series) -> tuple[np.ndarray, np.ndarray, bool]:
    """Return (values, unparseable mask, had percent signs)."""
    missing = _missing_mask(s)
    if pd.api.types.is_bool_dtype(s.dtype):
        return s.astype(float).to_numpy(), np.zeros(len(s), bool), False
    if pd.api.types.is_numeric_dtype(s.dtype):
        return s.to_numpy(dtype=float, na_value=np.nan), np.zeros(len(s), bool), False
    text = _strings(s)
    percent = bool(text.str.endswith("%").fillna(False).any())

    values = _apply_unique(text, lambda u: _float_strings(u.str.rstrip("%")))
    return values, ~missing & np.isnan(values), percent


_TRUE = {"y", "yes", "true", "t", "1", "是", "对", "真", "已", "ok"}
_FALSE = {"n", "no", "false", "f", "0", "否", "不", "假", "未"}


def _parse_bool(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Return (values as float 1/0/NaN, unparseable mask)."""
    if pd.api.types.is_bool_dtype(s.dtype):
        # numpy bool or nullable boolean: 1.0 / 0.0, NaN where missing
        out = s.to_numpy(dtype=float, na_value=np.nan)
        return out, np.zeros(len(s), bool)
    if pd.api.types.is_numeric_dtype(s.dtype):
        values = s.to_numpy(dtype=float, na_value=np.nan)
        return np.where(np.isnan(values), np.nan, (values != 0).astype(float)), np.zeros(
            len(s), bool
        )
    missing = _missing_mask(s)

    def parse(u: pd.Series) -> np.ndarray:
        k = u.str.lower().str.replace(r"[\s\.\-_]+", "", regex=True)
        k = k.str.replace(r"^(1|0)0*$", r"\1", regex=True)
        out = np.full(len(u), np.nan)
        out[k.isin(_TRUE).to_numpy()] = 1.0
        out[k.isin(_FALSE).to_numpy()] = 0.0
        numbers = pd.to_numeric(u, errors="coerce").to_numpy(dtype=float)
        num_ok = np.isnan(out) & ~np.isnan(numbers)
        out[num_ok] = (numbers[num_ok] != 0).astype(float)
        return out

    values = _apply_unique(_strings(s), parse)
    values[missing] = np.nan
    return values, ~missing & np.isnan(values)


_OUTCOME_ANSWERED = {
    "agent",
    "answered",
    "answer",
    "handled",
    "connected",
    "completed",
    "complete",
    "served",
    "acd",
    "accepted",
    "inbound",
    "answeredinsl",
    "answeredoutsl",
    "agentanswered",
    "talked",
    "接通",
    "已接通",
    "人工接通",
    "已接听",
    "接听",
    "应答",
    "已应答",
    "人工应答",
    "成功",
}
_OUTCOME_ABANDONED = {
    "hang",
    "hangup",
    "hungup",
    "abandoned",
    "abandon",
    "abandonedinqueue",
    "shortabandoned",
    "shortabandon",
    "callerabandoned",
    "customerabandoned",
    "abn",
    "missed",
    "abandonedqueue",
    "queueabandon",
    "abandonedinivr",
    "放弃",
    "挂断",
    "未接通",
    "呼损",
    "早释",
    "客户挂断",
    "排队放弃",
    "未接听",
    "排队挂断",
    "用户挂断",
    "未应答",
}
_OUTCOME_DROP = {"phantom", "test", "testcall", "测试", "测试呼叫", "虚拟呼叫"}
_OUTBOUND = {
    "outbound",
    "out",
    "outgoing",
    "autodial",
    "manual",
    "preview",
    "predictive",
    "呼出",
    "外呼",
}


def _token_key(u: pd.Series) -> pd.Series:
    return u.str.lower().str.replace(r"[\s\.\-_/()]+", "", regex=True)


# -- dates and clock times ---------------------------------------------------

_DATE_PARTS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%Y.%m.%d",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%d-%m-%Y",
    "%m-%d-%Y",
    "%Y%m%d",
    "%y%m%d",
    "%m/%d/%y",
    "%d/%m/%y",
    "%Y年%m月%d日",
    "%d-%b-%Y",
    "%d %b %Y",
    "%b %d %Y",
    "%a, %d %b %Y",
    "%d-%b-%y",
)
_TIME_PARTS = (
    "",
    " %H:%M:%S",
    " %H:%M",
    " %H:%M:%S.%f",
    "T%H:%M:%S",
    "T%H:%M:%S.%f",
    " %I:%M:%S %p",
    " %I:%M %p",
    " %H时%M分%S秒",
)


def _detect_datetime_format(sample: pd.Series, date_only: bool = False, dayfirst=None):
    """Best strptime format for a sample of strings.

    Returns (format, success share, ambiguous alternative or None).
    """
    if sample.empty:
        return None, 0.0, None
    iso = pd.to_datetime(sample, format="ISO8601", errors="coerce")
    if iso.notna().mean() >= 0.999 and sample.str.match(r"^\d{4}-\d{2}-\d{2}").all():
        return "ISO8601", 1.0, None
    scores = []
    # a date column may still carry a (midnight) clock time: try those formats second
    for times in ((("",) if date_only else _TIME_PARTS), (_TIME_PARTS[1:] if date_only else ())):
        for date_fmt in _DATE_PARTS:
            for time_fmt in times:
                fmt = date_fmt + time_fmt
                parsed = pd.to_datetime(sample, format=fmt, errors="coerce")
                share = float(parsed.notna().mean())
                if share > 0:
                    scores.append((share, fmt, parsed))
        if scores and max(s[0] for s in scores) >= 0.9:
            break
    if not scores:
        return None, 0.0, None
    top = max(s[0] for s in scores)
    tied = [s for s in scores if s[0] == top]
    chosen = tied[0]
    alternative = None
    for other in tied[1:]:
        if not other[2].equals(chosen[2]):
            alternative = other
            break
    if alternative is not None and dayfirst is not None:
        day_first = [s for s in (chosen, alternative) if s[1].find("%d") < s[1].find("%m")]
        month_first = [s for s in (chosen, alternative) if s[1].find("%d") > s[1].find("%m")]
        pick = day_first if dayfirst else month_first
        if pick:
            chosen = pick[0]
        alternative = None
    return chosen[1], top, (alternative[1] if alternative is not None else None)


def _parse_datetime(
    s: pd.Series, problems: _Problems, column: str, options: dict, date_only: bool = False
):
    """Return (datetime64[ns] values with NaT, unparseable mask)."""
    missing = _missing_mask(s)
    n = len(s)
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        problems.add(
            "info",
            "timezone_dropped",
            column,
            int((~missing).sum()),
            f"'{column}' has time zone {s.dt.tz}; the local clock time was kept (zone dropped).",
            timezone=str(s.dt.tz),
        )
        return s.dt.tz_localize(None).astype("datetime64[ns]"), np.zeros(n, bool)
    if pd.api.types.is_datetime64_dtype(s.dtype):
        return s.astype("datetime64[ns]"), np.zeros(n, bool)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        values = s.to_numpy(dtype=float, na_value=np.nan)
        finite = values[~np.isnan(values)]
        if finite.size == 0:
            return pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]"), np.zeros(n, bool)
        median = float(np.median(finite))
        whole = bool(np.all(np.mod(finite, 1) == 0))
        as_text = pd.Series(values).astype("Int64").astype("str") if whole else None
        month = np.mod(finite // 100, 100)
        if whole and 19000101 <= median <= 21001231:
            out = pd.to_datetime(as_text, format="%Y%m%d", errors="coerce")
        elif whole and 100101 <= median <= 991231 and np.all((month >= 1) & (month <= 12)):
            out = pd.to_datetime(as_text.str.zfill(6), format="%y%m%d", errors="coerce")  # yymmdd
        elif 1 <= median < 100000:
            out = pd.to_datetime(
                values, unit="D", origin="1899-12-30", errors="coerce"
            )  # Excel serial
        elif 1e9 <= median < 5e9:
            out = pd.to_datetime(values, unit="s", errors="coerce")
        elif 1e12 <= median < 5e12:
            out = pd.to_datetime(values, unit="ms", errors="coerce")
        else:
            out = pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
        out = pd.Series(np.asarray(out, dtype="datetime64[ns]"), index=s.index)
        return out, ~missing & out.isna().to_numpy()
    if s.dtype == object:
        objects = s.to_numpy(dtype=object)
        is_dt = np.array([isinstance(v, (_dt.datetime, _dt.date, pd.Timestamp)) for v in objects])
        if is_dt.any():
            out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
            out[is_dt] = pd.to_datetime(pd.Series(objects[is_dt]), errors="coerce").to_numpy(
                dtype="datetime64[ns]"
            )
            rest = ~is_dt & ~missing
            if rest.any():
                sub, _bad = _parse_datetime(_strings(s[rest]), problems, column, options, date_only)
                out[rest] = sub.to_numpy()
            return out, ~missing & out.isna().to_numpy()
    text = _strings(s)
    valid = text[~missing]
    fmt = options.get("datetime_format")
    alternative = None
    if not fmt:
        positions = np.unique(
            np.linspace(0, max(len(valid) - 1, 0), num=min(len(valid), 2000)).astype(int)
        )
        uniques = pd.Series(valid.iloc[positions].unique()[:400], dtype="str")
        fmt, share, alternative = _detect_datetime_format(
            uniques, date_only, options.get("dayfirst")
        )
        if fmt is None:
            out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
            return out, ~missing
        if alternative:
            problems.add(
                "info",
                "ambiguous_date_format",
                column,
                0,
                f"'{column}' fits both {fmt} and {alternative}; {fmt} was used. "
                "Set the option dayfirst to choose.",
                format=fmt,
                alternative=alternative,
            )
    out = _strptime(text, fmt)
    if not options.get("datetime_format") and alternative:
        failures = int((out.isna() & ~pd.Series(missing, index=out.index)).sum())
        if failures:
            other = _strptime(text, alternative)
            if int((other.isna() & ~pd.Series(missing, index=out.index)).sum()) < failures:
                out = other
                problems.items[-1]["params"]["format"] = alternative
                problems.items[-1]["message"] = (
                    f"'{column}' fits both {fmt} and {alternative}; {alternative} was used "
                    "because more values fit it. Set the option dayfirst to choose."
                )
        out = out.dt.tz_localize(None)
    out = out.astype("datetime64[ns]")
    return out, ~missing & out.isna().to_numpy()


def _strptime(text: pd.Series, fmt: str) -> pd.Series:
    """Parse strings with one format: Arrow's strptime, pandas for what it misses."""
    out = None
    if fmt != "ISO8601" and "%f" not in fmt and "%p" not in fmt:
        try:
            import pyarrow as pa
            import pyarrow.compute as pc

            parsed = pc.strptime(
                pa.array(text.to_numpy(dtype=object, na_value=None), type=pa.string()),
                format=fmt,
                unit="s",
                error_is_null=True,
            )
            out = pd.Series(parsed.to_numpy(zero_copy_only=False), index=text.index).astype(
                "datetime64[ns]"
            )
        except Exception:  # formats Arrow cannot parse: pandas below
            out = None
    if out is None:
        return pd.to_datetime(text, format=fmt, errors="coerce")
    retry = out.isna().to_numpy() & text.notna().to_numpy()
    if retry.any():
        out[retry] = pd.to_datetime(text[retry], format=fmt, errors="coerce").to_numpy(
            dtype="datetime64[ns]"
        )
    return out


def _parse_time_of_day(s: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Seconds after midnight from clock strings, HHMM numbers, fractions of a day or time objects."""
    missing = _missing_mask(s)
    n = len(s)
    if pd.api.types.is_timedelta64_dtype(s.dtype):
        return s.dt.total_seconds().to_numpy(dtype=float), np.zeros(n, bool)
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        t = s.dt
        values = (t.hour * 3600 + t.minute * 60 + t.second).to_numpy(dtype=float, na_value=np.nan)
        return values, np.zeros(n, bool)
    if pd.api.types.is_numeric_dtype(s.dtype) and not pd.api.types.is_bool_dtype(s.dtype):
        values = s.to_numpy(dtype=float, na_value=np.nan)
        return _numeric_clock(values), ~missing & np.isnan(_numeric_clock(values))
    values = np.full(n, np.nan)
    rest = ~missing
    if s.dtype == object:
        objects = s.to_numpy(dtype=object)
        is_time = np.array(
            [isinstance(v, (_dt.time, _dt.datetime, _dt.timedelta)) for v in objects]
        )
        if is_time.any():
            values[is_time] = [
                pd.Timedelta(v).total_seconds()
                if isinstance(v, _dt.timedelta)
                else v.hour * 3600 + v.minute * 60 + v.second + v.microsecond / 1e6
                for v in objects[is_time]
            ]
        is_num = np.array(
            [isinstance(v, (int, float, np.number)) and not isinstance(v, bool) for v in objects]
        )
        if is_num.any():
            values[is_num] = _numeric_clock(objects[is_num].astype(float))
        rest &= ~is_time & ~is_num
    if rest.any():
        values[rest] = _apply_unique(_strings(s[rest]), _clock_strings)
    return values, ~missing & np.isnan(values)


def _numeric_clock(values: np.ndarray) -> np.ndarray:
    finite = values[~np.isnan(values)]
    out = np.full(len(values), np.nan)
    if finite.size == 0:
        return out
    if finite.max() <= 1.0:
        return values * 86400.0  # Excel fraction of a day
    whole = np.all(np.mod(finite, 1) == 0)
    if whole and finite.max() <= 2400 and np.all(np.mod(finite, 100) < 60):
        return (values // 100) * 3600 + np.mod(values, 100) * 60  # Avaya HHMM
    if finite.max() < 86400:
        return values  # seconds after midnight
    return out


def _clock_strings(u: pd.Series) -> np.ndarray:
    text = u.str.strip()
    # "09:00 - 09:30" / "09:00-09:30": the start of a range
    text = text.str.replace(
        r"^\s*(\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)\s*[-–~至]\s*.*$", r"\1", regex=True
    )
    ampm = text.str.extract(r"(?i)\s*([ap])\.?m\.?$")[0].str.lower()
    core = text.str.replace(r"(?i)\s*[ap]\.?m\.?$", "", regex=True)
    digits = core.str.fullmatch(r"\d{3,4}", na=False).to_numpy()
    out = _clock_to_seconds(core, "hh:mm")
    if digits.any():
        number = pd.to_numeric(core[digits], errors="coerce").to_numpy(dtype=float)
        ok = np.mod(number, 100) < 60
        out[digits] = np.where(ok, (number // 100) * 3600 + np.mod(number, 100) * 60, np.nan)
    # full datetimes in a time column: keep the clock part
    missing_clock = (
        np.isnan(out)
        & core.str.contains(r"\d{4}|\d{1,2}/\d{1,2}/", regex=True, na=False).to_numpy()
    )
    if missing_clock.any():
        parsed = pd.to_datetime(core[missing_clock], errors="coerce", format="mixed")
        out[missing_clock] = (
            parsed.dt.hour * 3600 + parsed.dt.minute * 60 + parsed.dt.second
        ).to_numpy(dtype=float, na_value=np.nan)
    pm = (ampm == "p").to_numpy()
    am = (ampm == "a").to_numpy()
    hours = np.floor(out / 3600)
    out = np.where(pm & (hours < 12), out + 12 * 3600, out)
    out = np.where(am & (hours == 12), out - 12 * 3600, out)
    out = np.where((out < 0) | (out > 86400), np.nan, out)
    return out


def _looks_time_only(s: pd.Series) -> bool:
    """True when a column holds clock times without dates."""
    if pd.api.types.is_datetime64_any_dtype(s.dtype):
        return False
    if pd.api.types.is_timedelta64_dtype(s.dtype):
        return True
    sample = s.dropna().head(200)
    if sample.empty:
        return False
    if s.dtype == object and all(isinstance(v, _dt.time) for v in sample):
        return True
    if pd.api.types.is_numeric_dtype(s.dtype):
        return bool(sample.max() <= 1.0)
    text = _strings(sample)
    return bool(
        text.str.fullmatch(r"\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?(\s*[AaPp]\.?[Mm]\.?)?", na=False).mean()
        > 0.9
    )


# --------------------------------------------------------------------------
# Mapping files
# --------------------------------------------------------------------------


def save_mapping(mapping: dict, path_or_file) -> None:
    """Save a mapping (and its options) as JSON.

    Parameters
    ----------
    mapping : dict
        ``{canonical: source_column or [columns]}``, optionally ``"options"``.
    path_or_file : str, Path or file object
        Where to write (text or binary file objects are accepted).

    Returns
    -------
    None

    Examples
    --------
    >>> buffer = io.StringIO()
    >>> save_mapping({"call_id": "Call Id"}, buffer)
    >>> read_mapping(io.StringIO(buffer.getvalue()))
    {'call_id': 'Call Id'}
    """
    text = json.dumps(mapping, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    if isinstance(path_or_file, (str, Path)):
        Path(path_or_file).write_text(text, encoding="utf-8")
        return
    try:
        path_or_file.write(text)
    except TypeError:
        path_or_file.write(text.encode("utf-8"))


def read_mapping(path_or_file) -> dict:
    """Read a mapping saved by :func:`save_mapping`.

    Parameters
    ----------
    path_or_file : str, Path, bytes or file object

    Returns
    -------
    dict
        The mapping.

    Raises
    ------
    LoadError
        If the content is not a JSON object of column names.
    """
    if isinstance(path_or_file, (str, Path)):
        raw = Path(path_or_file).read_bytes()
        name = Path(path_or_file).name
    elif isinstance(path_or_file, (bytes, bytearray)):
        raw, name = bytes(path_or_file), "mapping"
    else:
        raw = path_or_file.read()
        name = str(getattr(path_or_file, "name", "mapping"))
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8-sig")
    try:
        mapping = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"{name}: not a JSON mapping ({exc.msg}).", "bad_mapping_file", {"file": name}
        ) from None
    if not isinstance(mapping, dict) or not all(
        key == "options"
        or value is None
        or isinstance(value, str)
        or (isinstance(value, list) and all(isinstance(v, str) for v in value))
        for key, value in mapping.items()
    ):
        raise LoadError(
            f"{name}: a mapping must be a JSON object {{canonical: column or [columns]}}.",
            "bad_mapping_file",
            {"file": name},
        )
    return mapping


# --------------------------------------------------------------------------
# load
# --------------------------------------------------------------------------

_STRING_KEYS = {"call_id", "customer_id", "outcome", "direction", *DIMENSIONS}


def load(
    source,
    mapping: dict | None = None,
    *,
    kind: str | None = None,
    encoding: str | None = None,
    sheet=None,
    progress=None,
) -> LoadResult:
    """Load a call-center export into a canonical frame.

    Parameters
    ----------
    source : str, Path, bytes or binary file object
        The export (CSV/TSV/TXT, gzip CSV, XLSX/XLS, Parquet); file objects
        such as Streamlit's ``UploadedFile`` need ``.read()`` (``.name`` is
        used in messages).
    mapping : dict, optional
        ``{canonical: source_column}`` (see the module docstring for lists,
        input keys and ``"options"``). None: :func:`guess_mapping`.
    kind : {"calls", "intervals"}, optional
        Force the kind; guessed from the columns if None.
    encoding : str, optional
        Text encoding; detected if None (BOM, UTF-8, GB18030, detector).
    sheet : str or int, optional
        Excel sheet; the first sheet if None.
    progress : callable, optional
        ``progress(stage, fraction)``, called at each stage boundary with a
        code of :data:`LOAD_STAGES` (``"reading"``, ``"parsing"``,
        ``"building"``, then ``"done"``) and the rough share of the work
        done so far (see :data:`STAGE_FRACTIONS`). None: nothing is reported.

    Returns
    -------
    LoadResult
        ``frame`` (canonical columns of :mod:`ccmetrics.schema`, calls sorted
        by ``arrived_at``, intervals by ``interval_start``), ``kind``,
        ``mapping``, ``problems`` (``level, code, column, rows, message,
        params``) and ``encoding``.

    Raises
    ------
    LoadError
        Empty file, binary garbage, no recognisable time column, a required
        column missing, or a mapped column not in the file.

    Notes
    -----
    For calls, ``answered`` and ``abandoned`` are exactly one true per row:
    derived from one another, from an outcome column, or (when only talk or
    answer-time columns exist) ``answered = talk_s > 0`` / ``answered_at``
    present. Interval sums come from averages as ``sum = average x count``
    (ASA x answered, average talk x answered, average abandon time x
    abandoned); ``staffed_agents = staffed seconds / (60 x interval_minutes)``.

    Examples
    --------
    >>> text = b"call_id,arrived_at,wait_s,answered\\n1,2024-01-01 09:00:00,12,Y\\n"
    >>> result = load(text)
    >>> result.kind, int(result.frame["answered"].sum())
    ('calls', 1)
    """
    problems = _Problems()
    if progress is not None:
        progress("reading", STAGE_FRACTIONS["reading"])
    data, name = _source_bytes(source)
    table = _Table(data, name, encoding, sheet, problems)
    del data  # the table holds the bytes until they are parsed
    columns = table.columns
    user_mapping = dict(mapping or {})
    options = dict(user_mapping.pop("options", None) or {})
    user_mapping = {k: v for k, v in user_mapping.items() if v not in (None, "", [])}

    if user_mapping:
        known = _CALL_INPUT_KEYS | _INTERVAL_INPUT_KEYS
        unknown = sorted(set(user_mapping) - known)
        if unknown:
            raise LoadError(
                f"{name}: unknown mapping key(s) {', '.join(unknown)}. "
                f"Known keys: {', '.join(sorted(known))}.",
                "unknown_mapping_key",
                {"file": name, "keys": unknown},
            )
        if kind is None:
            kind = "intervals" if set(user_mapping) & _INTERVAL_ONLY else "calls"
        used = user_mapping
    else:
        kind = kind or guess_kind(columns)
        used = guess_mapping(columns, kind)
    if kind not in ("calls", "intervals"):
        raise ValueError(f"kind must be 'calls' or 'intervals', not {kind!r}")

    sources = []
    for key, value in used.items():
        for col in value if isinstance(value, list) else [value]:
            if col not in columns:
                raise LoadError(
                    f"{name}: the mapping names column {col!r} for {key}, but the file has no such column. "
                    f"Found columns: {', '.join(columns)}.",
                    "mapped_column_missing",
                    {"file": name, "key": key, "column": col, "columns": columns},
                )
            sources.append(col)
    _require_time(kind, used, name, columns, options)
    string_columns = set()
    for key, value in used.items():
        if key in _STRING_KEYS or key in ("arrival_date", "interval_date"):
            string_columns.update(value if isinstance(value, list) else [value])
        elif isinstance(value, list) and key in (
            "arrived_at",
            "interval_start",
            "queued_at",
            "answered_at",
        ):
            string_columns.add(value[0])
    for key, value in used.items():
        # durations written "mm:ss" must not be read as clock times (hh:mm) by Arrow
        if isinstance(value, str) and (key.endswith("_s") or key.endswith("_s_sum")):
            if any(
                re.fullmatch(r"\s*-?\d{1,3}:\d{2}(\.\d+)?\s*", cell) for cell in table.sample(value)
            ):
                string_columns.add(value)
    # columns used only as dimensions are read as categoricals, those used only
    # as yes/no flags as nullable booleans (same values, less time and memory)
    uses: dict[str, set[str]] = {}
    for key, value in used.items():
        for col in value if isinstance(value, list) else [value]:
            uses.setdefault(col, set()).add(key if isinstance(value, str) else f"{key}[]")
    extra_missing = bool(options.get("missing_values"))
    category_columns = frozenset(
        col for col, keys in uses.items() if keys <= set(DIMENSIONS) and not extra_missing
    )
    flag_keys = {"answered", "abandoned", "transferred", "resolved", "ivr_contained"}
    flag_columns = frozenset(
        col
        for col, keys in uses.items()
        if kind == "calls" and keys <= flag_keys and not extra_missing
    )
    if progress is not None:
        progress("parsing", STAGE_FRACTIONS["parsing"])
    raw = table.read(sources, string_columns, category_columns, flag_columns)
    table.release()  # parsed: the file's bytes are no longer needed here
    if len(raw) >= 1_000_000:
        _hand_back_memory()
    if len(raw) == 0:
        raise LoadError(
            f"{name}: the file has a header row but no data rows. Found columns: {', '.join(columns)}.",
            "no_data_rows",
            {"file": name, "columns": columns},
        )
    unused = [c for c in columns if c not in set(sources) and not c.startswith("Unnamed: ")]
    if unused:
        problems.add(
            "info",
            "unmapped_columns",
            None,
            0,
            f"Columns not used: {', '.join(unused)}.",
            columns=unused,
        )
    if progress is not None:
        progress("building", STAGE_FRACTIONS["building"])
    context = _Context(raw, used, options, problems, name, columns)
    if kind == "calls":
        frame = _build_calls(context)
    else:
        frame = _build_intervals(context)
    final_mapping = {k: v for k, v in context.used.items()}
    del context, raw
    if len(frame) >= 1_000_000:
        _hand_back_memory()
    if options:
        final_mapping["options"] = options
    if progress is not None:
        progress("done", 1.0)
    return LoadResult(
        frame=frame,
        kind=kind,
        mapping=final_mapping,
        problems=problems.frame(),
        encoding=table.encoding,
        source_name=name,
        format=table.format,
        columns=list(columns),
    )


# --------------------------------------------------------------------------
# Parquet copy keyed by content (load_cached)
# --------------------------------------------------------------------------

#: Version of what :func:`load` returns for given bytes and mapping. It is part
#: of every :func:`load_cached` key: bump it with any change of the loader that
#: changes a frame, a problems report or a mapping, so no stale copy is served.
LOADER_VERSION = 1

#: Folder used by :func:`default_cache_dir`: ``$CCMETRICS_CACHE_DIR`` or ``~/.cache/ccmetrics``.
CACHE_ENV = "CCMETRICS_CACHE_DIR"

#: :func:`load_cached` removes the least recently used copies beyond this many bytes.
CACHE_MAX_BYTES = 8 << 30

_CACHE_LAYOUT = 1


def default_cache_dir() -> Path:
    """The folder of :func:`load_cached` copies: ``$CCMETRICS_CACHE_DIR``, else ``~/.cache/ccmetrics``."""
    folder = os.environ.get(CACHE_ENV)
    return Path(folder).expanduser() if folder else Path.home() / ".cache" / "ccmetrics"


def content_digest(source) -> str:
    """SHA-256 (hex) of a source's bytes, as :func:`load_cached` keys them.

    Parameters
    ----------
    source : str, Path, bytes or binary file object
        What :func:`load` accepts; a large file is hashed through a memory map.

    Returns
    -------
    str
        64 hexadecimal digits.
    """
    data, _name = _source_bytes(source)
    try:
        return hashlib.sha256(memoryview(data)).hexdigest()
    finally:
        if isinstance(data, mmap.mmap):
            data.close()


def _source_name(source) -> str:
    if isinstance(source, (str, Path)):
        return Path(source).name
    if isinstance(source, (bytes, bytearray, memoryview)):
        return "uploaded data"
    return Path(str(getattr(source, "name", "uploaded file"))).name


def _variant(mapping, kind, encoding, sheet) -> str:
    """Hash of what, besides the bytes, decides a load's result (and the loader version)."""
    text = json.dumps(
        {
            "mapping": mapping or {},
            "kind": kind,
            "encoding": encoding,
            "sheet": sheet,
            "loader": LOADER_VERSION,
            "layout": _CACHE_LAYOUT,
            "pandas": pd.__version__,
        },
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _is_missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value)


def _json_round_trips(value) -> bool:
    try:
        return json.loads(json.dumps(value, ensure_ascii=False)) == value
    except (TypeError, ValueError):
        return False


def _read_copy(parquet: Path, meta_path: Path, digest: str, variant: str, name: str):
    """The cached :class:`LoadResult`, or None when the copy is missing, stale or unreadable."""
    if not (parquet.is_file() and meta_path.is_file()):
        return None
    try:
        import pyarrow.parquet as pq

        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if (
            meta.get("digest") != digest
            or meta.get("variant") != variant
            or meta.get("loader") != LOADER_VERSION
        ):
            return None
        table = pq.read_table(parquet)
        if table.num_rows != meta["rows"]:
            return None
        holder = [table]
        del table
        frame = holder.pop().to_pandas(self_destruct=True, split_blocks=True)
        if list(frame.columns) != meta["frame_columns"]:
            return None
        for column, categories_dtype in meta["category_dtypes"].items():
            values = frame[column]
            if (
                len(values.cat.categories) == 0
                and str(values.cat.categories.dtype) != categories_dtype
            ):
                # no categories (all missing): Parquet cannot tell str from object
                empty = pd.Index([], dtype=categories_dtype)
                frame[column] = values.cat.set_categories(empty)
        if [str(t) for t in frame.dtypes] != meta["dtypes"]:
            return None
        problems = pd.DataFrame(meta["problems"], columns=list(PROBLEM_COLUMNS))
        problems["rows"] = problems["rows"].astype("int64")
        if problems.empty:
            problems = _Problems().frame()
        result = LoadResult(
            frame=frame,
            kind=meta["kind"],
            mapping=meta["mapping"],
            problems=problems,
            encoding=meta["encoding"],
            source_name=name,
            format=meta["format"],
            columns=list(meta["columns"]),
        )
    except Exception:  # a damaged copy is a miss: loaded again and rewritten
        return None
    try:
        os.utime(meta_path)  # most recently used
    except OSError:
        pass
    return result


def _write_copy(result: LoadResult, parquet: Path, meta_path: Path, digest, variant) -> bool:
    """Write the copy atomically (temporary files renamed into place); False if not possible."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    problems = [
        {
            "level": row["level"],
            "code": row["code"],
            "column": None if _is_missing(row["column"]) else row["column"],
            "rows": int(row["rows"]),
            "message": row["message"],
            "params": row["params"],
        }
        for row in result.problems.to_dict("records")
    ]
    meta = {
        "digest": digest,
        "variant": variant,
        "loader": LOADER_VERSION,
        "rows": len(result.frame),
        "frame_columns": [str(c) for c in result.frame.columns],
        "dtypes": [str(t) for t in result.frame.dtypes],
        "category_dtypes": {
            str(c): str(result.frame[c].cat.categories.dtype)
            for c, t in result.frame.dtypes.items()
            if isinstance(t, pd.CategoricalDtype)
        },
        "kind": result.kind,
        "mapping": result.mapping,
        "problems": problems,
        "encoding": result.encoding,
        "format": result.format,
        "columns": list(result.columns),
    }
    if not _json_round_trips(meta):  # a value JSON cannot hold exactly: do not cache
        return False
    token = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
    tmp_parquet = parquet.with_name(f".{parquet.name}.{token}.tmp")
    tmp_meta = meta_path.with_name(f".{meta_path.name}.{token}.tmp")
    try:
        parquet.parent.mkdir(parents=True, exist_ok=True)
        table = pa.Table.from_pandas(result.frame, preserve_index=False)
        pq.write_table(table, tmp_parquet, compression="zstd")
        del table
        tmp_meta.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp_parquet, parquet)
        os.replace(tmp_meta, meta_path)  # the JSON last: a copy counts once both are in place
    except Exception:  # full disk, read-only folder, a frame Arrow cannot write: no copy
        for path in (tmp_parquet, tmp_meta):
            try:
                path.unlink()
            except OSError:
                pass
        return False
    return True


def _prune(folder: Path, max_bytes: int, keep: tuple[Path, ...]) -> None:
    """Remove least recently used copies until the folder holds at most ``max_bytes``."""
    try:
        metas = sorted(folder.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
        total = 0
        for meta_path in metas:
            parquet = meta_path.with_suffix(".parquet")
            size = meta_path.stat().st_size + (parquet.stat().st_size if parquet.exists() else 0)
            total += size
            if total > max_bytes and parquet not in keep:
                parquet.unlink(missing_ok=True)
                meta_path.unlink(missing_ok=True)
    except OSError:
        pass


def load_cached(
    source,
    mapping: dict | None = None,
    *,
    kind: str | None = None,
    encoding: str | None = None,
    sheet=None,
    cache_dir=None,
    progress=None,
    digest: str | None = None,
    max_bytes: int = CACHE_MAX_BYTES,
) -> LoadResult:
    """:func:`load`, served from a Parquet copy when the same bytes were loaded the same way before.

    The copy is ``<cache_dir>/<sha256 of the bytes>-<variant>.parquet`` (the
    canonical frame) beside a ``.json`` of the same name (kind, problems
    report, mapping used, encoding, format, source headers); ``variant``
    hashes the mapping, ``kind``, ``encoding``, ``sheet``, :data:`LOADER_VERSION`
    and the pandas version. Files are written to temporary names and renamed
    into place. A missing, stale, damaged or unreadable copy is a miss: the
    file is loaded with :func:`load` and the copy rewritten. Failing to write
    a copy (full disk, read-only folder) is not an error either.

    Parameters
    ----------
    source, mapping, kind, encoding, sheet
        As for :func:`load`.
    cache_dir : str or Path, optional
        Folder of the copies (created when missing); None: :func:`default_cache_dir`.
    progress : callable, optional
        ``progress(stage, fraction)`` as for :func:`load`. A hit reports
        ``"cached"`` then ``"done"``; a miss reports the stages of
        :func:`load`, then ``"saving"`` before ``"done"``.
    digest : str, optional
        :func:`content_digest` of ``source`` when the caller already has it
        (hashing 600 MB takes about a second).
    max_bytes : int
        Least recently used copies beyond this total size are removed after a write.

    Returns
    -------
    LoadResult
        Equal to ``load(source, mapping, kind=kind, encoding=encoding,
        sheet=sheet)``: same frame (columns, dtypes, values, index), kind,
        mapping, problems, encoding, format and headers; ``source_name`` is
        the name of this ``source``.

    Raises
    ------
    LoadError
        As :func:`load` (a file that cannot be loaded is never cached).

    Notes
    -----
    The key is ``sha256(bytes) + "-" + sha256(json(mapping, kind, encoding,
    sheet, LOADER_VERSION, layout, pandas version))[:16]``: other bytes,
    another mapping or a new loader version miss.
    """
    folder = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    name = _source_name(source)
    if isinstance(source, (bytes, bytearray, memoryview)) or (
        hasattr(source, "read") and not isinstance(source, (str, Path))
    ):
        data, name = _source_bytes(source)  # read a stream once; bytes are not copied
        source = io.BytesIO(data)
        source.name = name
    if digest is None:
        digest = content_digest(source)
    variant = _variant(mapping, kind, encoding, sheet)
    stem = f"{digest}-{variant}"
    parquet, meta_path = folder / f"{stem}.parquet", folder / f"{stem}.json"
    if progress is not None:
        progress("cached", STAGE_FRACTIONS["cached"])
    result = _read_copy(parquet, meta_path, digest, variant, name)
    if result is not None:
        if progress is not None:
            progress("done", 1.0)
        return result

    def relay(stage, fraction):
        if stage != "done" and progress is not None:
            progress(stage, fraction)

    result = load(source, mapping, kind=kind, encoding=encoding, sheet=sheet, progress=relay)
    result.source_name = name
    if progress is not None:
        progress("saving", STAGE_FRACTIONS["saving"])
    if _write_copy(result, parquet, meta_path, digest, variant):
        _prune(folder, max_bytes, keep=(parquet,))
    if progress is not None:
        progress("done", 1.0)
    return result


#: Bytes of a text export :func:`preview` parses (cut at a line end).
PREVIEW_BYTES = 1 << 18


def _text_head(data, encoding: str | None):
    """Whole lines of the first :data:`PREVIEW_BYTES` of a text export (UTF-16 kept whole)."""
    utf16 = str(encoding or "").lower().startswith("utf-16") or bytes(data[:2]) in (
        codecs.BOM_UTF16_LE,
        codecs.BOM_UTF16_BE,
    )
    if utf16 or len(data) <= PREVIEW_BYTES or b"\x00" in bytes(data[:4096]):
        return data
    head = bytes(data[:PREVIEW_BYTES])
    return head[: head.rfind(b"\n") + 1] or head


def preview(source, *, encoding: str | None = None, sheet=None, rows: int = 200) -> pd.DataFrame:
    """The first rows of an export as the file has them, every column as text.

    For a mapping editor: a text export (also inside gzip) is cut to its
    first :data:`PREVIEW_BYTES` at a line end and Excel and Parquet files are
    read for ``rows`` rows only, so a large file is neither parsed nor
    decompressed whole a second time.

    Parameters
    ----------
    source : str, Path, bytes or binary file object
        As for :func:`load`.
    encoding : str, optional
        Text encoding (e.g. ``LoadResult.encoding``); detected if None.
    sheet : str or int, optional
        Excel sheet; the first sheet if None.
    rows : int
        Rows returned at most.

    Returns
    -------
    pandas.DataFrame
        The source headers (deduplicated as :func:`load` does) as columns, at
        most ``rows`` rows.

    Raises
    ------
    LoadError
        As :func:`load` for a file that is not a readable table.
    """
    data, name = _source_bytes(source)
    head = data
    if bytes(data[:2]) == b"\x1f\x8b":
        stream = io.BytesIO(data) if isinstance(data, bytes) else data
        try:
            with gzip.GzipFile(fileobj=stream) as unzipped:
                head = unzipped.read(PREVIEW_BYTES + 1)
        except (OSError, EOFError):
            raise LoadError(
                f"{name}: a damaged gzip file.", "unreadable_file", {"file": name}
            ) from None
    table = _Table(head, name, encoding, sheet, _Problems(), nrows=rows)
    return table.read(list(table.columns), set(table.columns)).head(rows).reset_index(drop=True)


def _require_time(kind, used, name, columns, options):
    start = "arrived_at" if kind == "calls" else "interval_start"
    if start in used:
        return
    if kind == "intervals" and "day_index" in used:
        if options.get("day_index_start"):
            return
        raise LoadError(
            f"{name}: no date or time column; '{used['day_index']}' looks like a running day number. "
            f"Found columns: {', '.join(columns)}. Needed: a date column, or the option day_index_start, "
            "e.g. mapping={'options': {'day_index_start': '2024-01-01'}} "
            "to number the days from a start date.",
            "day_index_needs_start",
            {"file": name, "column": used["day_index"], "columns": columns},
        )
    examples = (
        "arrival/start time, timestamp, date + time, 来电时间"
        if kind == "calls"
        else ("interval start, row_date + starttime, date + interval")
    )
    raise LoadError(
        f"{name}: no recognisable time column for {kind}. Found columns: {', '.join(columns)}. "
        f"Needed: a column with the {'arrival time of each call' if kind == 'calls' else 'start of each interval'} "
        f"(e.g. {examples}); map it with mapping={{'{start}': '<column>'}}.",
        "no_time_column",
        {"file": name, "kind": kind, "columns": columns},
    )


class _Context:
    def __init__(self, raw, used, options, problems, name, columns):
        self.raw = raw
        self.used = dict(used)
        self.options = options
        self.problems = problems
        self.name = name
        self.columns = columns
        self.n = len(raw)
        self.rows = np.arange(1, self.n + 1)
        self.keep = np.ones(self.n, dtype=bool)
        missing = options.get("missing_values") or {}
        self.missing_all = tuple(missing) if isinstance(missing, list) else ()
        self.missing_by_key = missing if isinstance(missing, dict) else {}

    def column(self, key) -> pd.Series | None:
        source = self.used.get(key)
        if source is None or isinstance(source, list):
            return None
        s = self.raw[source]
        extra = self.missing_all + tuple(self.missing_by_key.get(key, ()))
        if extra:
            mask = _missing_mask(s, extra)
            if mask.any():
                s = s.astype(object).where(~mask, None)
        return s

    def unit(self, key) -> str | None:
        units = self.options.get("units") or {}
        if key in units:
            return units[key]
        source = self.used.get(key)
        if isinstance(source, str):
            return _split_unit(source)[1]
        return None

    def label(self, key) -> str:
        source = self.used.get(key)
        return "+".join(source) if isinstance(source, list) else str(source)

    def drop(self, mask, level, code, key, message, **params):
        mask = np.asarray(mask, bool) & self.keep
        count = self.problems.add_rows(level, code, key, mask, self.rows, message, **params)
        self.keep &= ~mask
        return count


def _timestamp(ctx: _Context, key: str, date_key: str | None = None) -> pd.Series:
    """Parse a datetime key (single column or [date, time])."""
    source = ctx.used[key]
    opts = ctx.options
    if isinstance(source, list):
        if len(source) != 2:
            raise LoadError(
                f"{ctx.name}: {key} must be one column or [date_column, time_column], not {source}.",
                "unknown_mapping_key",
                {"file": ctx.name, "key": key},
            )
        date_s = _with_missing(ctx, key, ctx.raw[source[0]])
        time_s = _with_missing(ctx, key, ctx.raw[source[1]])
        dates, bad_date = _parse_datetime(date_s, ctx.problems, source[0], opts, date_only=True)
        seconds, bad_time = _parse_time_of_day(time_s)
        if bad_time.mean() > 0.5 and not _looks_time_only(time_s):
            full, bad_full = _parse_datetime(time_s, ctx.problems, source[1], opts)
            return full, _missing_mask(time_s), bad_full
        values = dates.dt.normalize() + pd.to_timedelta(seconds, unit="s")
        missing = _missing_mask(date_s) | _missing_mask(time_s)
        bad = (bad_date | bad_time) & ~missing
        return values.astype("datetime64[ns]"), missing, bad
    s = ctx.column(key)
    if date_key and date_key in ctx.used and _looks_time_only(s):
        ctx.used[key] = [ctx.used.pop(date_key), source]
        return _timestamp(ctx, key)
    values, bad = _parse_datetime(s, ctx.problems, source, opts)
    return values, _missing_mask(s), bad


def _with_missing(ctx, key, s):
    extra = ctx.missing_all + tuple(ctx.missing_by_key.get(key, ()))
    if extra:
        mask = _missing_mask(s, extra)
        if mask.any():
            s = s.astype(object).where(~mask, None)
    return s


def _durations(ctx: _Context, key: str) -> np.ndarray | None:
    s = ctx.column(key)
    if s is None:
        return None
    values, bad, _unit = _parse_duration(s, ctx.unit(key))
    label = ctx.label(key)
    ctx.problems.add_rows(
        "warning",
        "unparseable_number",
        key,
        bad & ctx.keep,
        ctx.rows,
        f"'{label}' ({key}): values that are not durations were set missing",
        source=label,
    )
    negative = (values < 0) & ctx.keep
    ctx.problems.add_rows(
        "warning",
        "negative_duration",
        key,
        negative,
        ctx.rows,
        f"'{label}' ({key}): negative durations were set missing",
        source=label,
    )
    values = np.where(values < 0, np.nan, values)
    return values


def _numbers(
    ctx: _Context, key: str, low=None, high=None, percent_to_fraction=False
) -> np.ndarray | None:
    s = ctx.column(key)
    if s is None:
        return None
    values, bad, percent = _parse_number(s)
    label = ctx.label(key)
    ctx.problems.add_rows(
        "warning",
        "unparseable_number",
        key,
        bad & ctx.keep,
        ctx.rows,
        f"'{label}' ({key}): values that are not numbers were set missing",
        source=label,
    )
    if percent_to_fraction:
        finite = values[~np.isnan(values)]
        if percent or (finite.size and finite.max() > 1.0):
            values = values / 100.0
    out = np.zeros(len(values), bool)
    if low is not None:
        out |= values < low
    if high is not None:
        out |= values > high
    if out.any():
        ctx.problems.add_rows(
            "warning",
            "out_of_range",
            key,
            out & ctx.keep,
            ctx.rows,
            f"'{label}' ({key}): values outside {low}–{high} were set missing",
            source=label,
            low=low,
            high=high,
        )
        values = np.where(out, np.nan, values)
    return values


def _booleans(ctx: _Context, key: str) -> np.ndarray | None:
    s = ctx.column(key)
    if s is None:
        return None
    values, bad = _parse_bool(s)
    label = ctx.label(key)
    ctx.problems.add_rows(
        "warning",
        "unparseable_boolean",
        key,
        bad & ctx.keep,
        ctx.rows,
        f"'{label}' ({key}): values that are not yes/no were set missing",
        source=label,
    )
    present = values[ctx.keep]
    blanks = np.isnan(values) & ~bad & ctx.keep
    if present.size and not (present == 0).any() and (present == 1).any() and blanks.any():
        ctx.problems.add_rows(
            "info",
            "blank_as_false",
            key,
            blanks,
            ctx.rows,
            f"'{label}' ({key}) is only filled when true; blanks were read as false",
            source=label,
        )
        values = np.where(blanks, 0.0, values)
    return values


def _dimension(ctx: _Context, key: str) -> pd.Series | None:
    s = ctx.column(key)
    if s is None:
        return None
    cat = s.astype("category") if not isinstance(s.dtype, pd.CategoricalDtype) else s
    categories = pd.Series([_text(c) for c in cat.cat.categories], dtype="str").str.strip()
    truncate = (ctx.options.get("truncate") or {}).get(key)
    if truncate:
        categories = categories.str.slice(0, int(truncate))
    recode = (ctx.options.get("recode") or {}).get(key)
    if recode:
        categories = categories.replace({str(k): str(v) for k, v in recode.items()})
    extra = ctx.missing_all + tuple(ctx.missing_by_key.get(key, ()))
    categories = categories.where(~categories.isin(PLACEHOLDERS + extra))
    new_codes, new_categories = pd.factorize(categories, use_na_sentinel=True)
    codes = cat.cat.codes.to_numpy()
    if len(new_codes):
        mapped = np.where(codes >= 0, new_codes[np.maximum(codes, 0)], -1)
    else:
        mapped = np.full(len(codes), -1)
    categories = pd.Index(np.asarray(new_categories, dtype=object)).astype("str")
    return pd.Series(pd.Categorical.from_codes(mapped, categories=categories), index=s.index)


def _string_column(ctx: _Context, key: str) -> pd.Series | None:
    source = ctx.used.get(key)
    if source is None:
        return None
    parts = source if isinstance(source, list) else [source]
    pieces = []
    missing = np.zeros(ctx.n, bool)
    extra = ctx.missing_all + tuple(ctx.missing_by_key.get(key, ()))
    for col in parts:
        s = ctx.raw[col]
        if pd.api.types.is_string_dtype(s.dtype) and s.dtype != object:
            # _missing_mask and _strings in one go (one strip of the column, not two)
            stripped = s.str.strip()
            missing |= (
                s.isna().to_numpy()
                | stripped.isin(PLACEHOLDERS + tuple(extra)).to_numpy()
                | stripped.isna().to_numpy()
            )
            pieces.append(stripped)
        else:
            missing |= _missing_mask(s, extra)
            pieces.append(_strings(s))
    text = pieces[0]
    for piece in pieces[1:]:
        text = text + "-" + piece
    if missing.any():
        text = text.where(~missing)
    return text.astype("string")


def _duplicated(values: pd.Series) -> np.ndarray:
    """``values.duplicated(keep="first")`` as a boolean array, faster for numeric ids.

    Ids written as canonical integers (:func:`_canonical_integers`) are compared
    as int64 (a stable sort, not a hash table of millions of strings); anything
    else uses pandas.
    """
    numeric = _canonical_integers(values) if len(values) > 100_000 else None
    if numeric is not None and numeric[1].all():
        numbers = numeric[0]
        n, low = len(numbers), int(numbers.min())
        row_bits = max(1, (n - 1).bit_length())
        if (int(numbers.max()) - low).bit_length() + row_bits <= 62:
            # (id, row) in one int64: a plain sort is the stable order by id
            packed = ((numbers - low) << row_bits) | np.arange(n, dtype=np.int64)
            packed.sort()
            order, ordered = packed & ((1 << row_bits) - 1), packed >> row_bits
        else:
            order = np.argsort(numbers, kind="stable")
            ordered = numbers[order]
        duplicated = np.zeros(n, dtype=bool)
        duplicated[order[1:]] = ordered[1:] == ordered[:-1]
        return duplicated
    return values.duplicated(keep="first").to_numpy()


def _canonical_integers(values: pd.Series) -> tuple[np.ndarray, np.ndarray] | None:
    """Strings that are canonical integers ("15146862031": ASCII digits, no sign,
    padding or leading zero, at most 18 digits) as int64 values (0 where missing)
    and a known mask; None when some string is not. Equal strings are then equal
    numbers, which sort and compare far faster than millions of strings hash."""
    if not (
        pd.api.types.is_string_dtype(values.dtype)
        and not pd.api.types.is_object_dtype(values.dtype)
    ):
        return None
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        text = pa.array(values.array)
        if not (pa.types.is_string(text.type) or pa.types.is_large_string(text.type)):
            return None
        lengths = pc.binary_length(text)
        longest = pc.max(lengths).as_py()
        if longest is None or longest > 18 or not pc.all(pc.ascii_is_decimal(text)).as_py():
            return None
        if pc.any(pc.and_(pc.starts_with(text, "0"), pc.greater(lengths, 1))).as_py():
            return None
        numbers = pc.cast(text, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError, TypeError):
        return None
    known = np.asarray(numbers.is_valid(), dtype=bool)
    return np.asarray(numbers.fill_null(0), dtype=np.int64), known


# -- calls -------------------------------------------------------------------


def _build_calls(ctx: _Context) -> pd.DataFrame:
    used, problems = ctx.used, ctx.problems
    n = ctx.n

    # direction: outbound rows are not offered calls
    direction = ctx.column("direction")
    if direction is not None:
        key = _apply_unique(
            _strings(direction), lambda u: _token_key(u).isin(_OUTBOUND).to_numpy(), dtype=bool
        )
        ctx.drop(
            key & ~_missing_mask(direction),
            "info",
            "outbound_call",
            "direction",
            f"'{ctx.label('direction')}': outbound calls were dropped (only offered inbound calls count)",
        )

    # outcome
    outcome_answered = outcome_abandoned = None
    outcome = ctx.column("outcome")
    if outcome is not None:
        tokens = _strings(outcome)
        missing_outcome = _missing_mask(outcome)

        def classify(u):
            k = _token_key(u)
            out = np.zeros(len(u), dtype=float)
            out[k.isin(_OUTCOME_ANSWERED).to_numpy()] = 1
            out[k.isin(_OUTCOME_ABANDONED).to_numpy()] = 2
            out[k.isin(_OUTCOME_DROP).to_numpy()] = 3
            return out

        cls = _apply_unique(tokens, classify)
        cls[missing_outcome] = 0
        ctx.drop(
            cls == 3,
            "warning",
            "phantom_call",
            "outcome",
            f"'{ctx.label('outcome')}': phantom/test calls were dropped",
        )
        unknown = (cls == 0) & ~missing_outcome & ctx.keep
        if unknown.any():
            values = sorted(set(tokens[unknown].astype(str).unique()))[:10]
            problems.add_rows(
                "warning",
                "unknown_outcome",
                "outcome",
                unknown,
                ctx.rows,
                f"'{ctx.label('outcome')}': outcome values not recognised ({', '.join(values)})",
                values=values,
            )
        outcome_answered = np.where(cls == 1, 1.0, np.where(cls == 2, 0.0, np.nan))
        outcome_abandoned = np.where(cls == 2, 1.0, np.where(cls == 1, 0.0, np.nan))

    # arrival time (and queue entry)
    arrived, missing_dt, bad_dt = _timestamp(ctx, "arrived_at", "arrival_date")
    used.pop("arrival_date", None)
    label = ctx.label("arrived_at")
    if bad_dt[ctx.keep].any() and (bad_dt | missing_dt)[ctx.keep].all():
        first = (
            used["arrived_at"] if isinstance(used["arrived_at"], str) else used["arrived_at"][-1]
        )
        sample = _strings(ctx.raw[first]).dropna().head(3).tolist()
        raise LoadError(
            f"{ctx.name}: no value of '{label}' could be read as a date/time (e.g. {sample}). "
            "Needed: dates like 2024-01-31 09:15:00, or the option datetime_format.",
            "all_datetimes_unparseable",
            {"file": ctx.name, "column": label, "sample": sample},
        )
    ctx.drop(
        missing_dt,
        "warning",
        "missing_datetime",
        "arrived_at",
        f"'{label}': rows without an arrival time were dropped",
    )
    ctx.drop(
        bad_dt,
        "warning",
        "unparseable_datetime",
        "arrived_at",
        f"'{label}': rows whose arrival time could not be read were dropped",
    )
    if "queued_at" in used:
        queued, _missing_q, bad_q = _timestamp(ctx, "queued_at")
        problems.add_rows(
            "warning",
            "unparseable_datetime",
            "queued_at",
            bad_q & ctx.keep,
            ctx.rows,
            f"'{ctx.label('queued_at')}': queue entry times that could not be read were ignored",
        )
        delta = (queued - arrived).dt.total_seconds().to_numpy()
        after_midnight = (delta < -12 * 3600) & ctx.keep
        if after_midnight.any():
            problems.add_rows(
                "info",
                "time_after_midnight",
                "queued_at",
                after_midnight,
                ctx.rows,
                f"'{ctx.label('queued_at')}': queue entry after midnight of a call that started "
                "the day before; moved to the next day",
            )
            queued = queued.where(~after_midnight, queued + pd.Timedelta(days=1))
        arrived = queued.where(queued.notna(), arrived)

    # call id
    call_id = _string_column(ctx, "call_id")
    if call_id is None:
        call_id = (
            pd.Series([f"C{i:07d}" for i in range(1, n + 1)], dtype="string")
            if n < 10_000_000
            else (pd.Series(np.char.add("C", np.arange(1, n + 1).astype(str)), dtype="string"))
        )
        problems.add(
            "info",
            "generated_call_id",
            "call_id",
            int(ctx.keep.sum()),
            "No call id column: ids C0000001, C0000002, ... were generated in file order.",
            count=int(ctx.keep.sum()),
        )
    else:
        blank = call_id.isna().to_numpy() & ctx.keep
        if blank.any():
            problems.add_rows(
                "info",
                "missing_call_id",
                "call_id",
                blank,
                ctx.rows,
                f"'{ctx.label('call_id')}': blank call ids were replaced by generated ids (row-<n>)",
            )
            call_id = call_id.where(
                ~blank, pd.Series(np.char.add("row-", ctx.rows.astype(str)), dtype="string")
            )
        if ctx.keep.all():
            dup = _duplicated(call_id)
        else:
            dup = np.zeros(n, bool)
            dup[ctx.keep] = _duplicated(call_id[ctx.keep])
        ctx.drop(
            dup,
            "warning",
            "duplicate_call_id",
            "call_id",
            f"'{ctx.label('call_id')}': repeated call ids; the first row was kept, later rows dropped",
        )

    # durations
    durations = {
        key: _durations(ctx, key) for key in ("wait_s", "talk_s", "hold_s", "acw_s", "ivr_s")
    }
    answered_at = None
    if "answered_at" in used:
        answered_at_ts, _m, bad_a = _timestamp(ctx, "answered_at")
        problems.add_rows(
            "warning",
            "unparseable_datetime",
            "answered_at",
            bad_a & ctx.keep,
            ctx.rows,
            f"'{ctx.label('answered_at')}': answer times that could not be read were ignored",
        )
        answered_at = answered_at_ts.notna().to_numpy()
        if durations["wait_s"] is None:
            wait = (answered_at_ts - arrived).dt.total_seconds().to_numpy()
            negative = (wait < 0) & ctx.keep
            problems.add_rows(
                "warning",
                "negative_duration",
                "wait_s",
                negative,
                ctx.rows,
                "answer time before arrival time: wait set missing",
            )
            durations["wait_s"] = np.where(wait < 0, np.nan, wait)

    if durations["wait_s"] is None:
        raise LoadError(
            f"{ctx.name}: required column wait_s (seconds in queue) is missing. "
            f"Found columns: {', '.join(ctx.columns)}. Needed: a wait/queue time column "
            "(e.g. wait time, queue time, speed of answer, 排队时长), or an answer timestamp.",
            "missing_required_column",
            {"file": ctx.name, "key": "wait_s", "columns": ctx.columns},
        )

    # answered / abandoned
    answered = _booleans(ctx, "answered")
    abandoned = _booleans(ctx, "abandoned")
    derived_from = None
    if answered is None and abandoned is None:
        if outcome_answered is not None:
            answered, abandoned = outcome_answered, outcome_abandoned
        elif answered_at is not None:
            answered = answered_at.astype(float)
            derived_from = ctx.label("answered_at")
        elif durations["talk_s"] is not None:
            talk = durations["talk_s"]
            answered = np.where(np.isnan(talk), 0.0, (talk > 0).astype(float))
            derived_from = ctx.label("talk_s")
        else:
            raise LoadError(
                f"{ctx.name}: required column answered/abandoned is missing. Found columns: "
                f"{', '.join(ctx.columns)}. Needed: an answered or abandoned flag (Y/N, 是/否), an outcome "
                "column (e.g. AGENT/HANG), a talk time or an answer timestamp.",
                "missing_required_column",
                {"file": ctx.name, "key": "answered", "columns": ctx.columns},
            )
    if outcome_answered is not None and answered is not None and abandoned is None:
        answered = np.where(np.isnan(answered), outcome_answered, answered)
    if answered is None:
        answered = np.where(np.isnan(abandoned), np.nan, 1.0 - abandoned)
        derived_from = derived_from or ctx.label("abandoned")
        kind_derived = "answered"
    elif abandoned is None:
        abandoned = np.where(np.isnan(answered), np.nan, 1.0 - answered)
        kind_derived = "abandoned"
    else:
        kind_derived = None
    if kind_derived:
        problems.add(
            "info",
            "derived_answered",
            kind_derived,
            int(ctx.keep.sum()),
            f"{kind_derived} was derived from '{derived_from or ctx.label('answered')}'.",
            count=int(ctx.keep.sum()),
            source=derived_from or ctx.label("answered"),
        )
    elif derived_from:
        problems.add(
            "info",
            "derived_answered",
            "answered",
            int(ctx.keep.sum()),
            f"answered was derived from '{derived_from}'.",
            count=int(ctx.keep.sum()),
            source=derived_from,
        )
    both = (answered == 1) & (abandoned == 1) & ctx.keep
    problems.add_rows(
        "warning",
        "answered_and_abandoned",
        "answered",
        both,
        ctx.rows,
        "calls flagged both answered and abandoned were kept as answered",
    )
    abandoned = np.where(both, 0.0, abandoned)
    neither = ~((answered == 1) | (abandoned == 1))
    ctx.drop(
        neither,
        "warning",
        "neither_answered_nor_abandoned",
        "answered",
        "calls neither answered nor abandoned (unknown outcome) were dropped",
    )
    answered_bool = answered == 1
    abandoned_bool = abandoned == 1

    # optional flags and scores
    flags = {key: _booleans(ctx, key) for key in ("transferred", "resolved", "ivr_contained")}
    csat = _numbers(ctx, "csat", 1, 5)
    qa = _numbers(ctx, "qa_score", 0, 100)
    cost = _numbers(ctx, "cost")
    dims = {key: _dimension(ctx, key) for key in DIMENSIONS}
    customer = _string_column(ctx, "customer_id")

    keep = ctx.keep
    wait = durations["wait_s"]
    problems.add_rows(
        "info",
        "abandoned_zero_wait",
        "wait_s",
        abandoned_bool & (wait == 0) & keep,
        ctx.rows,
        "abandoned calls with wait 0 (e.g. hung up before reaching the queue); "
        "the KPI engine counts them as short abandons",
    )
    problems.add_rows(
        "info",
        "missing_wait",
        "wait_s",
        np.isnan(wait) & keep,
        ctx.rows,
        f"'{ctx.label('wait_s')}': calls without a wait time were kept with wait missing",
    )
    if dims["agent"] is not None:
        problems.add_rows(
            "warning",
            "answered_without_agent",
            "agent",
            answered_bool & dims["agent"].isna().to_numpy() & keep,
            ctx.rows,
            "answered calls without an agent (kept; agent missing)",
        )
    if durations["talk_s"] is not None:
        problems.add_rows(
            "info",
            "answered_zero_talk",
            "talk_s",
            answered_bool & (durations["talk_s"] == 0) & keep,
            ctx.rows,
            "answered calls with talk time 0",
        )

    # assemble
    columns: dict[str, Any] = {}
    for name, dtype in CALL_COLUMNS.items():
        if name == "call_id":
            values = call_id
        elif name == "arrived_at":
            values = arrived
        elif name == "answered":
            values = answered_bool
        elif name == "abandoned":
            values = abandoned_bool
        elif name in durations:
            values = durations[name]
        elif name in flags:
            values = flags[name]
        elif name == "csat":
            values = csat
        elif name == "qa_score":
            values = qa
        elif name == "cost":
            values = cost
        elif name in dims:
            values = dims[name]
        elif name == "customer_id":
            values = customer
        else:  # pragma: no cover
            values = None
        columns[name] = _typed(values, dtype, n)
    frame = pd.DataFrame(columns, copy=False)  # no copy of 5-10 million rows
    if not keep.all():
        frame = frame.loc[keep]
    if not frame["arrived_at"].is_monotonic_increasing:
        frame = frame.sort_values("arrived_at", kind="mergesort")
    frame = frame.reset_index(drop=True)
    for name in DIMENSIONS:
        if _has_unused_categories(frame[name]):
            frame[name] = frame[name].cat.remove_unused_categories()
    return frame


def _has_unused_categories(values: pd.Series) -> bool:
    """True when a categorical column has categories that no row uses."""
    categories = len(values.cat.categories)
    if categories == 0:
        return False
    codes = values.cat.codes.to_numpy()
    return bool((np.bincount(codes[codes >= 0], minlength=categories) == 0).any())


def _typed(values, dtype: str, n: int) -> pd.Series:
    if values is None:
        if dtype == "category":
            return pd.Series(
                pd.Categorical.from_codes(np.full(n, -1), categories=pd.Index([], dtype="str"))
            )
        if dtype == "string":
            return pd.Series(pd.NA, index=range(n), dtype="string")
        if dtype == "boolean":
            return pd.Series(pd.arrays.BooleanArray(np.zeros(n, bool), np.ones(n, bool)))
        if dtype == "datetime":
            return pd.Series(pd.NaT, index=range(n), dtype="datetime64[ns]")
        return pd.Series(np.full(n, np.nan), copy=False)
    if isinstance(values, pd.Series):
        values = values.reset_index(drop=True)
    if dtype == "category":
        return values if isinstance(values, pd.Series) else pd.Series(values, dtype="category")
    if dtype == "string":
        return pd.Series(values, dtype="string")
    if dtype == "boolean":
        arr = np.asarray(values, dtype=float)
        return pd.Series(pd.arrays.BooleanArray(arr == 1, np.isnan(arr)))
    # the loader's own temporaries are wrapped, not copied again; views of the
    # parsed table are copied (the frame's columns must be writable arrays)
    if dtype == "bool":
        return pd.Series(_own_array(values, bool), copy=False)
    if dtype == "datetime":
        return pd.Series(values).astype("datetime64[ns]")
    return pd.Series(_own_array(values, float), copy=False)


def _own_array(values, dtype) -> np.ndarray:
    """``values`` as a writable array of ``dtype`` that owns its memory."""
    array = np.asarray(values, dtype=dtype)
    if not (array.flags.owndata and array.flags.writeable):
        array = array.copy()
    return array


# -- intervals -----------------------------------------------------------------


def _build_intervals(ctx: _Context) -> pd.DataFrame:
    used, problems, options = ctx.used, ctx.problems, ctx.options
    n = ctx.n
    if "interval_start" in used:
        start, missing_dt, bad_dt = _timestamp(ctx, "interval_start")
        label = ctx.label("interval_start")
        if (bad_dt | missing_dt).all():
            raise LoadError(
                f"{ctx.name}: no value of '{label}' could be read as a date/time. "
                "Needed: interval starts like 2024-01-31 09:30, or the option datetime_format.",
                "all_datetimes_unparseable",
                {"file": ctx.name, "column": label},
            )
        ctx.drop(
            missing_dt,
            "warning",
            "missing_datetime",
            "interval_start",
            f"'{label}': rows without an interval start were dropped",
        )
        ctx.drop(
            bad_dt,
            "warning",
            "unparseable_datetime",
            "interval_start",
            f"'{label}': rows whose interval start could not be read were dropped",
        )
    else:
        index_values, bad, _p = _parse_number(ctx.raw[used["day_index"]])
        first = pd.Timestamp(options["day_index_start"])
        start = pd.Series(first + pd.to_timedelta(index_values - 1, unit="D")).astype(
            "datetime64[ns]"
        )
        ctx.drop(
            np.isnan(index_values),
            "warning",
            "unparseable_datetime",
            "day_index",
            f"'{ctx.label('day_index')}': rows without a day number were dropped",
        )

    counts = {}
    for key in (
        "offered",
        "answered",
        "abandoned",
        "short_abandoned",
        "answered_in_sl",
        "abandoned_in_sl",
        "transferred",
    ):
        values = _numbers(ctx, key)
        if values is not None:
            negative = (values < 0) & ctx.keep
            problems.add_rows(
                "warning",
                "negative_duration",
                key,
                negative,
                ctx.rows,
                f"'{ctx.label(key)}' ({key}): negative counts were set missing",
            )
            values = np.where(values < 0, np.nan, values)
        counts[key] = values
    if counts["offered"] is None:
        if counts["answered"] is not None and counts["abandoned"] is not None:
            counts["offered"] = counts["answered"] + counts["abandoned"]
            problems.add(
                "info",
                "derived_offered",
                "offered",
                int(ctx.keep.sum()),
                "offered = answered + abandoned (no offered column).",
                count=int(ctx.keep.sum()),
            )
        elif any(key in used for key in _PLAN_KEYS):
            # A plan file (forecast, schedule) with no actual calls: kept for staffing,
            # the actual-call KPIs of such a file are missing (never 0).
            problems.add(
                "warning",
                "plan_only",
                "offered",
                int(ctx.keep.sum()),
                "no offered, answered or abandoned column: the file holds a plan only "
                "(forecast or schedule); KPIs of actual calls are missing.",
                count=int(ctx.keep.sum()),
            )
        else:
            raise LoadError(
                f"{ctx.name}: required column offered (calls offered per interval) is missing. "
                f"Found columns: {', '.join(ctx.columns)}. Needed: offered calls, or answered and abandoned calls.",
                "missing_required_column",
                {"file": ctx.name, "key": "offered", "columns": ctx.columns},
            )

    # interval length
    if "interval_minutes" in used:
        minutes = _numbers(ctx, "interval_minutes", 0.0)
    else:
        minutes_value = _infer_minutes(start[ctx.keep])
        minutes = np.full(n, minutes_value)
        problems.add(
            "info",
            "inferred_interval_minutes",
            "interval_minutes",
            int(ctx.keep.sum()),
            f"Interval length {minutes_value:g} minutes, inferred from the spacing of the interval starts.",
            count=int(ctx.keep.sum()),
            minutes=minutes_value,
        )

    sums = {
        key: _durations(ctx, key)
        for key in (
            "wait_s_sum",
            "abandon_wait_s_sum",
            "talk_s_sum",
            "hold_s_sum",
            "acw_s_sum",
            "handle_s_sum",
        )
    }
    averages = {
        "asa_s": ("wait_s_sum", "answered"),
        "avg_talk_s": ("talk_s_sum", "answered"),
        "avg_hold_s": ("hold_s_sum", "answered"),
        "avg_acw_s": ("acw_s_sum", "answered"),
        "aht_s": ("handle_s_sum", "answered"),
        "avg_abandon_wait_s": ("abandon_wait_s_sum", "abandoned"),
    }
    for avg_key, (sum_key, count_key) in averages.items():
        if sums[sum_key] is not None or avg_key not in used:
            continue
        average = _durations(ctx, avg_key)
        if counts[count_key] is None:
            continue
        sums[sum_key] = average * counts[count_key]
        problems.add(
            "info",
            "derived_sum",
            sum_key,
            int(ctx.keep.sum()),
            f"{sum_key} = '{ctx.label(avg_key)}' x {count_key}.",
            count=int(ctx.keep.sum()),
            average=ctx.label(avg_key),
            counted=count_key,
        )
    if (
        sums["handle_s_sum"] is None
        and sums["talk_s_sum"] is not None
        and sums["acw_s_sum"] is not None
    ):
        hold = sums["hold_s_sum"] if sums["hold_s_sum"] is not None else 0.0
        sums["handle_s_sum"] = sums["talk_s_sum"] + hold + sums["acw_s_sum"]
        parts = (
            "talk + hold + acw" if sums["hold_s_sum"] is not None else "talk + acw (no hold column)"
        )
        problems.add(
            "info",
            "derived_handle",
            "handle_s_sum",
            int(ctx.keep.sum()),
            f"handle_s_sum = {parts}.",
            count=int(ctx.keep.sum()),
            parts=parts,
        )

    staffed = _numbers(ctx, "staffed_agents", 0.0)
    if staffed is None and "staffed_s" in used:
        staffed_s = _durations(ctx, "staffed_s")
        staffed = staffed_s / (np.asarray(minutes, dtype=float) * 60.0)
        problems.add(
            "info",
            "derived_staffed_agents",
            "staffed_agents",
            int(ctx.keep.sum()),
            f"staffed_agents = '{ctx.label('staffed_s')}' / interval seconds.",
            count=int(ctx.keep.sum()),
        )
    scheduled = _numbers(ctx, "scheduled_agents", 0.0)
    forecast = _numbers(ctx, "forecast_offered", 0.0)
    forecast_aht = _durations(ctx, "forecast_aht_s")
    reported = _numbers(ctx, "reported_service_level", 0.0, 1.0, percent_to_fraction=True)

    if counts["answered"] is not None and counts["abandoned"] is not None:
        over = (counts["answered"] + counts["abandoned"] > counts["offered"] + 1e-9) & ctx.keep
        problems.add_rows(
            "warning",
            "inconsistent_counts",
            "offered",
            over,
            ctx.rows,
            "answered + abandoned is larger than offered (kept as given)",
        )

    dims = {key: _dimension(ctx, key) for key in DIMENSIONS}
    values = {
        "interval_start": start,
        "interval_minutes": minutes,
        **counts,
        **sums,
        "staffed_agents": staffed,
        "scheduled_agents": scheduled,
        "forecast_offered": forecast,
        "forecast_aht_s": forecast_aht,
        "reported_service_level": reported,
        **dims,
    }
    frame = pd.DataFrame(
        {name: _typed(values.get(name), dtype, n) for name, dtype in INTERVAL_COLUMNS.items()}
    )
    frame = frame.loc[ctx.keep]
    order = ["interval_start"] + [d for d in DIMENSIONS if frame[d].notna().any()]
    frame = frame.sort_values(order, kind="mergesort").reset_index(drop=True)
    for name in DIMENSIONS:
        frame[name] = frame[name].cat.remove_unused_categories()
    return frame


def _infer_minutes(starts: pd.Series) -> float:
    unique = np.sort(starts.dropna().unique())
    if len(unique) < 2:
        only = pd.Timestamp(unique[0]) if len(unique) else None
        return 1440.0 if only is not None and only == only.normalize() else 30.0
    diffs = np.diff(unique).astype("timedelta64[s]").astype(float) / 60.0
    diffs = diffs[diffs > 0]
    values, counts = np.unique(diffs, return_counts=True)
    mode = float(values[np.argmax(counts)])
    return min(mode, 1440.0)
