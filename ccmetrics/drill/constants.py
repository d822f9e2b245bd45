"""The metrics explained, the output columns, the selection and verdict rules, error codes."""

from __future__ import annotations

from ccmetrics import i18n, kpis
from ccmetrics.schema import DIMENSIONS

__all__ = [
    "DRILL_DIMENSIONS",
    "DEFAULT_DRILL_DIMENSIONS",
    "METRICS",
    "METRIC_KINDS",
    "QUEUE_METRICS",
    "ARRIVAL_METRICS",
    "P_ADJUST_METHODS",
    "TABLE_COLUMNS",
    "DECOMPOSE_COLUMNS",
    "MIN_EXPLAINED",
    "MIN_LIFT",
    "MAX_SELECTED",
    "MATERIAL_CHANGE",
    "SELECTION_POOL",
    "CONCENTRATED_ELEMENTS",
    "CONCENTRATED_EXPLAINED",
    "CONCENTRATED_LIFT",
    "SIZE_FLOOR",
    "OUTLIER_Z",
    "MISSING",
    "ERROR_CODES",
]


#: Metrics :func:`explain` can explain.
METRICS = (
    "service_level",
    "abandon_rate",
    "answer_rate",
    "transfer_rate",
    "aht_s",
    "asa_s",
    "offered",
    "csat_mean",
)
#: The kind of each metric, from the KPI registry: a proportion of calls is explained as a
#: "ratio" of counts (:func:`explain_ratio`), a per-call mean as a "mean", a volume as a "count".
METRIC_KINDS = {
    metric: {"proportion": "ratio"}.get(kpis.KPIS[metric].kind, kpis.KPIS[metric].kind)
    for metric in METRICS
}

#: Metrics set by waiting in queue: their explanation also examines the volume
#: (``offered``) and handle time (``aht_s``) and names the driver.
QUEUE_METRICS = ("service_level", "abandon_rate", "answer_rate", "asa_s")

#: Metrics measured on every offered call, answered or not: a dimension known
#: only for answered calls (team, agent) would "explain" them by their outcome.
ARRIVAL_METRICS = ("offered", "service_level", "abandon_rate", "answer_rate")

#: Multiple-testing adjustments: name -> (statsmodels' name of the same method, description).
P_ADJUST_METHODS = {
    "holm": ("holm", "Holm (1979) step-down adjustment, controls the family-wise error rate"),
    "bh": ("fdr_bh", "Benjamini-Hochberg (1995) adjustment, controls the false discovery rate"),
}

#: Volume, share and value of an element in each window (columns of both tables below).
RATE_COLUMNS = (
    "n_anomaly",
    "n_baseline",
    "share_anomaly",
    "share_baseline",
    "rate_anomaly",
    "rate_baseline",
)
#: The element's part of the change (columns of both tables below).
EFFECT_COLUMNS = (
    "impact",
    "mix_effect",
    "rate_effect",
    "explained_share",
)

#: Columns of :attr:`Explanation.table`.
TABLE_COLUMNS = (
    "element",
    "side",
    "order",
    "values",
    *RATE_COLUMNS,
    *EFFECT_COLUMNS,
    "score",
    "p_value",
    "p_adjusted",
    "significant",
    "selected",
    "gain",
    "generalises",
)

#: Columns of :func:`decompose`.
DECOMPOSE_COLUMNS = (
    "value",
    "element",
    "values",
    *RATE_COLUMNS,
    "change",
    *EFFECT_COLUMNS,
    "p_value",
    "p_adjusted",
    "significant",
    "band_low",
    "band_high",
    "outside_band",
)

# Selection and verdict rules (see the Notes of explain_ratio).
MIN_EXPLAINED = 0.05  # an element is reported when it explains >= 5 % of the change ...
MIN_LIFT = 1.5  # ... and at least 1.5 x its share of the volume
MAX_SELECTED = 5  # elements reported per side
MATERIAL_CHANGE = 0.10  # a volume or handle-time driver changes by at least 10 %
SELECTION_POOL = 50  # best-scoring candidates per side considered by the greedy step
CONCENTRATED_ELEMENTS = 3  # "a few elements": the verdict looks at the first three
CONCENTRATED_EXPLAINED = 0.5  # ... which explain at least half of the change
CONCENTRATED_LIFT = 2.0  # ... with at most half as large a share of the volume
SIZE_FLOOR = 1e-3  # share floor in the concentration score (new elements)
OUTLIER_Z = 3.5  # Iglewicz-Hoaglin modified z-score threshold for anomalous baseline windows
MISSING = "(missing)"

#: The name of each canonical metric in the summary sentences: its key in the translation table.
_METRIC_KEYS = {
    "service_level": "tile.service_level",
    "abandon_rate": "tile.abandon_rate",
    "answer_rate": "tile.answer_rate",
    "transfer_rate": "tile.transfer_rate",
    "aht_s": "tile.aht_s",
    "asa_s": "tile.asa_s",
    "offered": "kpi.offered",
    "csat_mean": "tile.csat_mean",
}
#: Dimensions the drill-down can examine: the canonical ones and the IVR menu path.
#: ``ivr_path`` is not in :data:`ccmetrics.schema.DIMENSIONS`, whose every member the
#: cubes group by: a menu path splits calls finely and is wanted here, where a bad window
#: is explained, not in every roll-up.
DRILL_DIMENSIONS = (*DIMENSIONS, "ivr_path")
#: Dimensions :func:`explain` examines when none are named: the canonical ones. The menu
#: path is examined when asked for (``dims=[..., "ivr_path"]``): a menu change renames
#: the paths, and a path that did not exist in the baseline weeks looks like a surge of
#: its own on every day of the month after the change, whatever the day's real cause.
DEFAULT_DRILL_DIMENSIONS = DIMENSIONS
#: Chinese dimension names: the app's own (one name table, ccmetrics.i18n).
_DIM_NAMES_ZH = {dim: i18n.ZH[f"dim.{dim}"] for dim in DRILL_DIMENSIONS}
#: Sums of squares behind the mean metrics (for Welch's test).
_SQUARES = {"aht_s": "handle_s_sq_sum", "asa_s": "wait_s_sq_sum"}


#: Codes of the errors :func:`explain`, :func:`decompose` and :func:`default_baseline` raise
#: for data that cannot be explained (``error.code``; the UI translates ``dd.error_<code>``).
ERROR_CODES = (
    "no_anomaly_data",
    "no_baseline_data",
    "no_baseline_window",
    "no_metric_data",
    "no_time_column",
)


class _InputError(ValueError):
    """Data that cannot be explained; ``code`` names the problem so a caller can translate it.

    Codes: ``no_anomaly_data`` and ``no_baseline_data`` (a window holds none of the
    metric's base), ``no_baseline_window`` (no default baseline window has data),
    ``no_metric_data`` (the data has nothing to compute the metric from),
    ``no_time_column`` (a default baseline needs datetimes). ``str(error)`` stays the
    English explanation.
    """

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.code = code
