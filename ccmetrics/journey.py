"""The caller's journey: IVR, queue, conversation, after-call work; and the IVR menu.

A call passes the customer's moments of truth in order — the IVR (welcome message,
menu), the queue, the conversation with an agent and the agent's after-call work
(ACW). For each stage this module counts the calls that entered it, the callers lost
there and the mean time spent, overall or per period, and ranks the IVR menu:

* :func:`journey_stages` — one row per stage with data;
* :func:`journey_trend` — the same per period, for a trend line per stage;
* :func:`menu_ranking` — each menu option (top level and full path) with its
  containment (self-service share, Wilson interval) and the agent-handled volume it
  sends;
* :func:`topic_ranking` — the topics (``category``) by the agent-handled volume they
  bring, the menu depth where callers find them, and whether they belong higher in
  the menu.

IVR columns follow the canonical contract: ``ivr_s`` (seconds in the IVR),
``ivr_contained`` (served by self-service, never asked for an agent),
``ivr_abandoned`` (hung up in the IVR before reaching the queue) and ``ivr_path``
(the menu choices, top level first, joined by ``" > "``). A row with
``ivr_contained`` or ``ivr_abandoned`` true never reached the queue: it is neither
answered nor abandoned, so the queue, conversation and ACW stages (taken from
:func:`ccmetrics.kpi.compute`) leave it out, exactly as every queue KPI does.

Functions return codes and numbers; the page translates the stage codes
(``journey.stage.<code>``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccmetrics.cube import frame_kind, period_start
from ccmetrics.kpi import compute
from ccmetrics.schema import KpiSettings
from ccmetrics.staffing import sl_noise_band

__all__ = [
    "IVR_COLUMNS",
    "PATH_SEPARATOR",
    "STAGES",
    "STAGE_COLUMNS",
    "MENU_LEVELS",
    "MENU_COLUMNS",
    "TOPIC_COLUMNS",
    "has_ivr",
    "split_path",
    "journey_stages",
    "journey_trend",
    "menu_ranking",
    "topic_ranking",
]

#: The canonical IVR columns; a row is an IVR call when any of them is known.
IVR_COLUMNS = ("ivr_s", "ivr_contained", "ivr_abandoned", "ivr_path")

#: How ``ivr_path`` joins the menu choices (top level first).
PATH_SEPARATOR = " > "

#: The stages of a call, in the order a caller meets them.
STAGES = ("ivr", "queue", "conversation", "acw")

#: Columns of :func:`journey_stages` (``period`` comes first in :func:`journey_trend`).
STAGE_COLUMNS = (
    "stage",
    "entered",
    "lost",
    "lost_short",
    "lost_share",
    "contained",
    "contained_share",
    "mean_s",
    "time_n",
)

#: The levels of :func:`menu_ranking`: top-level options, then full paths.
MENU_LEVELS = ("top", "path")

#: Columns of :func:`menu_ranking`.
MENU_COLUMNS = (
    "level",
    "option",
    "depth",
    "entered",
    "contained",
    "containment",
    "containment_low",
    "containment_high",
    "lost",
    "to_queue",
    "agent_handled",
    "agent_share",
    "rank",
)

#: Columns of :func:`topic_ranking`.
TOPIC_COLUMNS = (
    "category",
    "calls",
    "agent_handled",
    "agent_share",
    "rank",
    "path",
    "path_share",
    "depth",
    "belongs_higher",
    "easier_topic",
    "easier_depth",
)


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def _has_values(frame: pd.DataFrame, column: str) -> bool:
    """Whether ``frame`` has ``column`` with at least one value (all-missing is absent)."""
    return column in frame.columns and bool(frame[column].notna().any())


def _flag(frame: pd.DataFrame, column: str) -> np.ndarray:
    """A yes/no column as float: 1.0, 0.0, or NaN when unknown or absent."""
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    values = frame[column]
    if not isinstance(values.dtype, pd.BooleanDtype):
        values = values.astype("boolean")
    return values.astype("Float64").to_numpy(dtype=float, na_value=np.nan)


def _seconds(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _require_calls(calls: pd.DataFrame) -> None:
    if frame_kind(calls) != "calls":
        raise ValueError("the journey needs call-level data (one row per call)")


def has_ivr(calls: pd.DataFrame) -> bool:
    """Whether a frame carries IVR data (any :data:`IVR_COLUMNS` with a value).

    Examples
    --------
    >>> has_ivr(pd.DataFrame({"ivr_s": [None, 12.0]})), has_ivr(pd.DataFrame({"wait_s": [3.0]}))
    (True, False)
    """
    return any(_has_values(calls, column) for column in IVR_COLUMNS)


def split_path(path) -> tuple[str, ...]:
    """The menu choices of one ``ivr_path`` value, top level first.

    Parameters
    ----------
    path : str or missing
        Choices joined by ``">"`` (spaces around it are ignored).

    Returns
    -------
    tuple of str
        The non-empty choices, stripped; ``()`` for a missing or empty path.

    Examples
    --------
    >>> split_path("Billing > Balance"), split_path("Data>Roaming >"), split_path(None)
    (('Billing', 'Balance'), ('Data', 'Roaming'), ())
    """
    if path is None or path is pd.NA or (isinstance(path, float) and np.isnan(path)):
        return ()
    return tuple(part.strip() for part in str(path).split(">") if part.strip())


def _path_parts(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Of each ``ivr_path`` value: its depth, top choice and choices joined by " > ".

    Returns (depth, top, path): int64 (0 for a missing or empty path), then object
    arrays (None and "" there). :func:`split_path` runs once per distinct value, not
    once per call: a year of calls has a few dozen paths.
    """
    codes, uniques = pd.factorize(values)
    split = [split_path(value) for value in uniques] + [()]  # code -1 (missing) -> ()
    depth = np.array([len(parts) for parts in split], dtype=np.int64)
    top = np.empty(len(split), dtype=object)
    path = np.empty(len(split), dtype=object)
    for index, parts in enumerate(split):
        top[index] = parts[0] if parts else None
        path[index] = PATH_SEPARATOR.join(parts)
    return depth[codes], top[codes], path[codes]


# ---------------------------------------------------------------------------
# stages
# ---------------------------------------------------------------------------


def _ivr_sums(calls: pd.DataFrame, keys: list[pd.Series]) -> pd.DataFrame:
    """Per group: IVR calls entering, contained, lost, and the sum/n of ``ivr_s``."""
    known = np.zeros(len(calls), dtype=bool)
    for column in IVR_COLUMNS:
        if column in calls.columns:
            known |= calls[column].notna().to_numpy()
    contained = _flag(calls, "ivr_contained")
    abandoned = _flag(calls, "ivr_abandoned")
    seconds = _seconds(calls, "ivr_s")
    timed = known & ~np.isnan(seconds)
    parts = pd.DataFrame(
        {
            "ivr_entered": known.astype(float),
            "ivr_contained": np.where(known, contained == 1.0, False).astype(float),
            "ivr_lost": np.where(known, abandoned == 1.0, False).astype(float),
            "ivr_time_sum": np.where(timed, seconds, 0.0),
            "ivr_time_n": timed.astype(float),
        },
        index=calls.index,
    )
    if not keys:
        return parts.sum().to_frame().T
    return parts.groupby(keys, observed=True, sort=True).sum().reset_index()


def _stage_rows(row: pd.Series, ivr: dict, flags: dict) -> list[dict]:
    """The stage rows of one group (sums of :func:`compute` and of :func:`_ivr_sums`)."""
    rows = []
    nan = float("nan")
    if flags["ivr"] and ivr.get("ivr_entered", 0.0) > 0:
        entered = ivr["ivr_entered"]
        lost = ivr["ivr_lost"] if flags["ivr_lost"] else nan
        contained = ivr["ivr_contained"] if flags["ivr_contained"] else nan
        time_n = ivr["ivr_time_n"]
        rows.append(
            {
                "stage": "ivr",
                "entered": entered,
                "lost": lost,
                "lost_short": nan,
                "lost_share": lost / entered,
                "contained": contained,
                "contained_share": contained / entered,
                "mean_s": ivr["ivr_time_sum"] / time_n if time_n > 0 else nan,
                "time_n": time_n,
            }
        )
    offered = float(row["offered"])
    if offered > 0:
        waited_n = np.nansum([row["wait_n__sum"], row["abandon_wait_n__sum"]])
        waited = np.nansum([row["wait_s_sum__sum"], row["abandon_wait_s_sum__sum"]])
        rows.append(
            {
                "stage": "queue",
                "entered": offered,
                "lost": float(row["abandoned"]),
                "lost_short": float(row["short_abandoned"]),
                "lost_share": float(row["abandoned"]) / offered,
                "contained": nan,
                "contained_share": nan,
                "mean_s": waited / waited_n if waited_n > 0 else nan,
                "time_n": float(waited_n),
            }
        )
    answered = float(row["answered"])
    if answered > 0:
        handled = float(np.nan_to_num(row["handle_n"], nan=0.0))
        talk_hold = float(row["talk_s"]) + float(np.nan_to_num(row["hold_s"], nan=0.0))
        rows.append(
            {
                "stage": "conversation",
                "entered": answered,
                "lost": nan,
                "lost_short": nan,
                "lost_share": nan,
                "contained": nan,
                "contained_share": nan,
                "mean_s": talk_hold if handled > 0 else nan,
                "time_n": handled,
            }
        )
        if flags["acw"]:
            rows.append(
                {
                    "stage": "acw",
                    "entered": answered,
                    "lost": nan,
                    "lost_short": nan,
                    "lost_share": nan,
                    "contained": nan,
                    "contained_share": nan,
                    "mean_s": float(row["acw_s"]) if handled > 0 else nan,
                    "time_n": handled,
                }
            )
    return rows


def _journey(calls: pd.DataFrame, freq: str | None, settings: KpiSettings | None) -> pd.DataFrame:
    _require_calls(calls)
    flags = {
        "ivr": has_ivr(calls),
        "ivr_lost": _has_values(calls, "ivr_abandoned"),
        "ivr_contained": _has_values(calls, "ivr_contained"),
        "acw": _has_values(calls, "acw_s"),
    }
    columns = list(STAGE_COLUMNS) if freq is None else ["period", *STAGE_COLUMNS]
    if calls.empty:
        return pd.DataFrame(columns=columns)
    queue = compute(calls, freq=freq, settings=settings, keep_sums=True)
    keys = [] if freq is None else [period_start(calls["arrived_at"], freq).rename("period")]
    ivr = _ivr_sums(calls, keys)
    if freq is None:
        ivr_by_key = {None: ivr.iloc[0].to_dict()}
    else:
        ivr_by_key = {row["period"]: row.to_dict() for _, row in ivr.iterrows()}
    rows = []
    for _, row in queue.iterrows():
        key = None if freq is None else row["period"]
        for stage in _stage_rows(row, ivr_by_key.get(key, {}), flags):
            if freq is not None:
                stage = {"period": key, **stage}
            rows.append(stage)
    out = pd.DataFrame(rows, columns=columns)
    order = {stage: position for position, stage in enumerate(STAGES)}
    sort_keys = ["_order"] if freq is None else ["period", "_order"]
    out = out.assign(_order=out["stage"].map(order)).sort_values(sort_keys, kind="stable")
    return out.drop(columns="_order").reset_index(drop=True)


def journey_stages(calls: pd.DataFrame, settings: KpiSettings | None = None) -> pd.DataFrame:
    """Calls entering, callers lost and time spent at each stage of the call.

    Parameters
    ----------
    calls : DataFrame
        Canonical call-level frame (optionally with the :data:`IVR_COLUMNS`).
    settings : KpiSettings, optional
        ``short_abandon_s`` (S) decides which queue abandons are short.

    Returns
    -------
    DataFrame
        One row per stage with data, in :data:`STAGES` order; a stage without
        data is absent (never a row of zeros). Columns :data:`STAGE_COLUMNS`:

        - ``stage``: ``"ivr"``, ``"queue"``, ``"conversation"`` or ``"acw"``;
        - ``entered``: calls that entered the stage;
        - ``lost``: callers who hung up at the stage (IVR abandons, queue
          abandons); NaN where a stage loses no caller the data records
          (conversation, ACW) or the IVR abandon flag is absent;
        - ``lost_short``: queue only, abandons after less than S seconds (a
          part of ``lost``);
        - ``lost_share``: lost / entered;
        - ``contained``, ``contained_share``: IVR only, calls served by
          self-service and their share of the IVR calls (the IVR containment);
        - ``mean_s``: mean seconds spent at the stage; ``time_n``: the calls
          that mean rests on.

    Notes
    -----
    - IVR: entered = rows with any IVR column known (``ivr_n``); lost =
      ``ivr_abandoned`` true; contained = ``ivr_contained`` true; mean_s =
      Σ ``ivr_s`` / rows with ``ivr_s`` known.
    - Queue: entered = offered calls O (answered or abandoned); lost = abandoned
      B, of which short Bs (wait < S); mean_s = Σ ``wait_s`` of answered and
      abandoned calls / those calls with a known wait — the time every queued
      caller spent, so it lies between the ASA (answered only) and the mean
      abandon wait.
    - Conversation: entered = answered A; mean_s = talk + hold of answered calls
      with a known talk time (the AHT's talk and hold components, a missing hold
      counting 0 s, :func:`ccmetrics.kpi.derive`).
    - ACW (when ``acw_s`` has values): entered = A; mean_s = the AHT's ACW
      component over the same calls.

    ``lost_share`` of the queue is B / O, every abandon counted; the abandon
    rate KPI is (B − Bs) / (O − Bs) and leaves short abandons out.

    Examples
    --------
    >>> calls = pd.DataFrame({
    ...     "arrived_at": pd.to_datetime(["2025-01-01 08:00"] * 3),
    ...     "wait_s": [10.0, 30.0, 0.0], "answered": [True, False, False],
    ...     "abandoned": [False, True, False], "talk_s": [100.0, None, None],
    ...     "ivr_s": [20.0, 40.0, 60.0], "ivr_contained": [False, False, True]})
    >>> journey_stages(calls)[["stage", "entered", "lost", "mean_s"]].to_string(index=False)
    '       stage  entered  lost  mean_s\\n         ivr      3.0   NaN    40.0\\n       queue      2.0   1.0    20.0\\nconversation      1.0   NaN   100.0'
    """
    return _journey(calls, None, settings)


def journey_trend(
    calls: pd.DataFrame, freq: str = "D", settings: KpiSettings | None = None
) -> pd.DataFrame:
    """:func:`journey_stages` per period, for a trend line per stage.

    Parameters
    ----------
    calls : DataFrame
        Canonical call-level frame.
    freq : str, default "D"
        Period: a pandas offset alias ("h", "D", "W", "MS"); calls are
        attributed to the period of their arrival
        (:func:`ccmetrics.cube.period_start`).
    settings : KpiSettings, optional

    Returns
    -------
    DataFrame
        ``period`` (period start) then :data:`STAGE_COLUMNS`, one row per period
        and stage with data in that period, ordered by period then stage.

    Notes
    -----
    Every row is :func:`journey_stages` of the calls of its period.

    Examples
    --------
    >>> calls = pd.DataFrame({
    ...     "arrived_at": pd.to_datetime(["2025-01-01 08:00", "2025-01-02 08:00"]),
    ...     "wait_s": [10.0, 30.0], "answered": [True, False], "abandoned": [False, True]})
    >>> journey_trend(calls)[["period", "stage", "entered", "lost"]].to_string(index=False)
    '    period        stage  entered  lost\\n2025-01-01        queue      1.0   0.0\\n2025-01-01 conversation      1.0   NaN\\n2025-01-02        queue      1.0   1.0'
    """
    return _journey(calls, freq, settings)


# ---------------------------------------------------------------------------
# menu
# ---------------------------------------------------------------------------


def _path_frame(calls: pd.DataFrame) -> pd.DataFrame:
    """One row per call with a known path: its top option, full path, depth and outcomes."""
    if "ivr_path" not in calls.columns:
        raise ValueError("the data has no ivr_path column (the IVR menu choices)")
    depth, top, path = _path_parts(calls["ivr_path"])
    keep = depth > 0
    rows = calls[keep]
    answered = rows["answered"].to_numpy(dtype=bool)
    abandoned = rows["abandoned"].to_numpy(dtype=bool)
    return pd.DataFrame(
        {
            "top": top[keep],
            "path": path[keep],
            "depth": depth[keep],
            "contained": _flag(rows, "ivr_contained") == 1.0,
            "lost": _flag(rows, "ivr_abandoned") == 1.0,
            "to_queue": answered | abandoned,
            "agent_handled": answered,
        }
    )


def menu_ranking(calls: pd.DataFrame, confidence: float = 0.95) -> pd.DataFrame:
    """Each IVR menu option with its self-service share and the agent volume it sends.

    Parameters
    ----------
    calls : DataFrame
        Canonical call-level frame with ``ivr_path``; rows with a missing path
        are left out.
    confidence : float, default 0.95
        Coverage of the containment interval.

    Returns
    -------
    DataFrame
        Columns :data:`MENU_COLUMNS`, first the top-level options
        (``level == "top"``, the path's first choice) then the full paths
        (``level == "path"``), each ranked by agent-handled volume:

        - ``option``: the option (top level) or the path joined by " > ";
        - ``depth``: menu steps to reach it (1 for a top-level option);
        - ``entered``: calls that chose it;
        - ``contained``: of those, served by self-service; ``containment`` =
          contained / entered with its Wilson interval ``containment_low``,
          ``containment_high`` (NaN without ``ivr_contained``);
        - ``lost``: hung up in the IVR there (NaN without ``ivr_abandoned``);
        - ``to_queue``: sent to the agents' queue (answered or abandoned);
        - ``agent_handled``: answered by an agent;
        - ``agent_share``: agent_handled / all agent-handled calls with a path;
        - ``rank``: 1 for the option sending the most agent-handled calls
          within its level (ties share the best rank).

    Notes
    -----
    Containment of option j is ``p = c_j / n_j``; its interval is Wilson's
    score interval (:func:`ccmetrics.staffing.sl_noise_band`):
    ``(p + z²/2n ± z √(p(1−p)/n + z²/4n²)) / (1 + z²/n)``. The denominator is
    every call that chose the option, as the IVR containment KPI's is every
    call with IVR data.

    References
    ----------
    .. [1] E. B. Wilson, "Probable inference, the law of succession, and
       statistical inference", JASA 22(158), 209-212, 1927.

    Examples
    --------
    >>> calls = pd.DataFrame({
    ...     "ivr_path": ["Billing > Balance", "Billing > Balance", "Data", None],
    ...     "ivr_contained": [True, False, False, None],
    ...     "answered": [False, True, True, True], "abandoned": [False] * 4})
    >>> menu_ranking(calls)[["level", "option", "depth", "entered", "agent_handled", "rank"]].to_string(index=False)
    'level            option  depth  entered  agent_handled  rank\\n  top           Billing      1      2.0            1.0     1\\n  top              Data      1      1.0            1.0     1\\n path Billing > Balance      2      2.0            1.0     1\\n path              Data      1      1.0            1.0     1'
    """
    paths = _path_frame(calls)
    has_contained = _has_values(calls, "ivr_contained")
    has_lost = _has_values(calls, "ivr_abandoned")
    total_handled = float(paths["agent_handled"].sum())
    tables = []
    for level in MENU_LEVELS:
        grouped = paths.groupby(level, sort=True)
        table = pd.DataFrame(
            {
                "entered": grouped.size().astype(float),
                "contained": grouped["contained"].sum().astype(float),
                "lost": grouped["lost"].sum().astype(float),
                "to_queue": grouped["to_queue"].sum().astype(float),
                "agent_handled": grouped["agent_handled"].sum().astype(float),
                "depth": grouped["depth"].min() if level == "path" else 1,
            }
        )
        table.index.name = "option"
        table = table.reset_index()
        table.insert(0, "level", level)
        tables.append(table)
    out = pd.concat(tables, ignore_index=True)
    if not has_contained:
        out["contained"] = np.nan
    if not has_lost:
        out["lost"] = np.nan
    out["containment"] = out["contained"] / out["entered"]
    low, high = sl_noise_band(out["contained"], out["entered"], confidence)
    known = out["contained"].notna().to_numpy()
    out["containment_low"] = np.where(known, low, np.nan)
    out["containment_high"] = np.where(known, high, np.nan)
    out["agent_share"] = out["agent_handled"] / total_handled if total_handled > 0 else np.nan
    out["rank"] = (
        out.groupby("level", sort=False)["agent_handled"]
        .rank(method="min", ascending=False)
        .astype(int)
    )
    out["depth"] = out["depth"].astype(int)
    out["_level"] = out["level"].map({"top": 0, "path": 1})
    out = out.sort_values(["_level", "rank", "option"], kind="stable").drop(columns="_level")
    return out[list(MENU_COLUMNS)].reset_index(drop=True)


def topic_ranking(calls: pd.DataFrame, top: int | None = None) -> pd.DataFrame:
    """Topics ranked by the agent-handled volume they bring, with where callers find them.

    Pass the calls of the period whose menu is judged (e.g. the last four weeks
    after a menu change): a topic's depth is where its callers found it in these
    calls.

    Parameters
    ----------
    calls : DataFrame
        Canonical call-level frame with ``category`` (the topic) and ``ivr_path``.
    top : int, optional
        How many of the most agent-handled topics the top of the menu should
        hold. Default: the number of top-level options the calls chose (the
        places the menu's first level has).

    Returns
    -------
    DataFrame
        One row per topic, by rank. Columns :data:`TOPIC_COLUMNS`:

        - ``category``: the topic;
        - ``calls``: its calls (contained, lost in the IVR or queued);
        - ``agent_handled``: its calls answered by an agent; ``agent_share``:
          their share of all agent-handled calls with a topic;
        - ``rank``: 1 for the topic agents handle most (ties share the best rank);
        - ``path``: the menu path most of its callers chose (ties: the
          shallower, then alphabetical); ``path_share``: the share of its calls
          with a path that chose it; ``depth``: that path's menu steps
          (missing when none of its calls has a path);
        - ``belongs_higher``: the rule below holds;
        - ``easier_topic``, ``easier_depth``: when it holds, the topic agents
          handle less that callers reach in the fewest steps (the one to swap
          with), and its depth.

    Notes
    -----
    The operator's rule is to put the topics agents are asked about most at the
    top of the menu. A topic T **belongs higher** when

    1. it is among the ``top`` topics agents handle most (rank ≤ top), and
    2. it sits deeper than the place the menu would give it if its places were
       handed out by volume: with the topics' current depths sorted ascending
       and the topics sorted by agent-handled calls (most first), the i-th topic's
       place is the i-th depth; T is flagged when depth(T) > its place. The topic
       named beside it (``easier_topic``) is the least-asked topic that sits at
       T's place or above.

    Condition 1 keeps the flag for the topics the top of the menu has room for;
    condition 2 keeps the menu's own shape (how many options it has at each
    depth) and asks only whether the most-asked topics hold its shallowest
    places. A menu ordered by volume flags nothing; a topic moved deeper while
    its agent volume stays high is flagged; one rare topic given a place of its
    own at the top (a complaints line) does not flag every busier topic, since
    only one topic could take that place.

    Examples
    --------
    >>> calls = pd.DataFrame({
    ...     "category": ["Balance", "Balance", "Balance", "Roaming"],
    ...     "ivr_path": ["Billing > Account > Balance"] * 3 + ["Roaming"],
    ...     "answered": [True, True, False, True], "abandoned": [False] * 4})
    >>> topic_ranking(calls, top=1)[["category", "rank", "depth", "belongs_higher", "easier_topic"]].to_string(index=False)
    'category  rank  depth  belongs_higher easier_topic\\n Balance     1      3            True      Roaming\\n Roaming     2      1           False         None'
    """
    for column in ("category", "ivr_path"):
        if column not in calls.columns:
            raise ValueError(f"the data has no {column} column")
    topics = calls[calls["category"].notna()]
    answered = topics["answered"].to_numpy(dtype=bool)
    category = topics["category"].astype(str).to_numpy()
    grouped = pd.DataFrame({"category": category, "agent_handled": answered}).groupby(
        "category", sort=True
    )
    out = pd.DataFrame(
        {
            "calls": grouped.size().astype(float),
            "agent_handled": grouped["agent_handled"].sum().astype(float),
        }
    )
    out.index.name = "category"
    out = out.reset_index()
    total = float(out["agent_handled"].sum())
    out["agent_share"] = out["agent_handled"] / total if total > 0 else np.nan
    out["rank"] = out["agent_handled"].rank(method="min", ascending=False).astype(int)

    depth, _, path = _path_parts(topics["ivr_path"])
    known = depth > 0
    chosen = pd.DataFrame(
        {
            "category": category[known],
            "path": path[known],
            "depth": depth[known],
        }
    )
    counts = chosen.groupby(["category", "path", "depth"]).size().rename("n").reset_index()
    counts["share"] = counts["n"] / counts.groupby("category")["n"].transform("sum")
    counts = counts.sort_values(
        ["category", "n", "depth", "path"], ascending=[True, False, True, True]
    )
    mode = counts.drop_duplicates("category").set_index("category")
    out["path"] = out["category"].map(mode["path"])
    out["path_share"] = out["category"].map(mode["share"]).astype(float)
    out["depth"] = out["category"].map(mode["depth"]).astype("Int64")

    if top is not None:
        limit = top
    else:
        every_depth, every_top, _ = _path_parts(calls["ivr_path"])
        limit = len(set(every_top[every_depth > 0]))
    # the menu's places handed out by volume: the i-th most asked topic (with a known
    # depth) gets the i-th shallowest of the current depths
    placed = out[out["depth"].notna()].sort_values(
        ["agent_handled", "category"], ascending=[False, True], kind="stable"
    )
    place = pd.Series(
        np.sort(placed["depth"].astype(float).to_numpy()), index=placed.index, dtype=float
    )
    flags, easier, easier_depth = [], [], []
    for index, row in out.iterrows():
        flagged = bool(
            row["rank"] <= limit
            and pd.notna(row["depth"])
            and float(row["depth"]) > place.get(index, np.inf)
        )
        candidates = out[
            (out["agent_handled"] < row["agent_handled"])
            & out["depth"].notna()
            & (out["depth"].astype(float) <= place.get(index, np.nan))
        ]
        flagged = flagged and len(candidates) > 0
        flags.append(flagged)
        if flagged:
            best = candidates.sort_values(
                ["agent_handled", "depth", "category"], kind="stable"
            ).iloc[0]
            easier.append(best["category"])
            easier_depth.append(int(best["depth"]))
        else:
            easier.append(None)
            easier_depth.append(pd.NA)
    out["belongs_higher"] = flags
    out["easier_topic"] = pd.Series(easier, index=out.index, dtype=object)
    out["easier_depth"] = pd.array(easier_depth, dtype="Int64")
    out = out.sort_values(["rank", "category"], kind="stable")
    return out[list(TOPIC_COLUMNS)].reset_index(drop=True)
