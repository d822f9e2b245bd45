"""The result of an explanation: :class:`Explanation`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

__all__ = [
    "Explanation",
]


# --------------------------------------------------------------------------- result


@dataclass
class Explanation:
    """What changed between an anomaly window and its baseline, and where.

    Attributes
    ----------
    metric : str
        The metric explained (a key of :data:`METRIC_KINDS`, or the name given
        to :func:`explain_ratio`).
    kind : str
        ``"ratio"``, ``"mean"`` or ``"count"``.
    table : DataFrame
        One row per candidate element, best first (:data:`TABLE_COLUMNS`):
        ``element`` (readable, "category=GPRS & segment=Prepaid"), ``side``
        ("demand"/"supply"), ``order`` (number of dimensions), ``values``
        (dict dimension -> value, NaN for a missing value), ``n_anomaly``,
        ``n_baseline`` (the element's denominator — calls in the KPI's base —
        or its volume for a count, baseline scaled to the anomaly window's
        length), ``share_anomaly``, ``share_baseline`` (its share of that
        volume), ``rate_anomaly``, ``rate_baseline`` (its KPI value; its volume
        for a count), ``impact`` (its part of the total change, in KPI units),
        ``mix_effect`` + ``rate_effect`` = ``impact``, ``explained_share``
        (impact / total change), ``score`` (concentration score),
        ``p_value``, ``p_adjusted``, ``significant`` (p_adjusted < alpha),
        ``selected`` (part of the explanation: the root causes of
        :attr:`causes` on the sides that have some, else the greedy
        selection), ``gain`` (its concentration score given the elements
        selected before it on its side; NaN when not selected),
        ``generalises`` (for a coarser version of a selected element — fewer
        dimensions, same values, itself significant and concentrated — the
        selected element's name; "" otherwise). The causes come first,
        largest share first; then the other selected elements, by gain; then
        the generalisations (the same finding described more coarsely, as a
        manager walks down the tree), by score; then the rest, by score. An
        element named as a cause is always a row, even below the support
        floor (``min_share``, ``min_count``).
    verdict : str
        ``"concentrated"`` (a few elements explain most of the change: read
        from the greedy selection, whatever the causes),
        ``"broad"`` (a significant change spread in proportion to volume),
        ``"local"`` (the total did not change significantly, but some
        elements did) or ``"none"`` (no significant
        change: neither the total nor any element of the table).
    summary : dict
        ``{"en": ..., "zh": ...}``: one or two plain sentences.
    anomaly : tuple
        The anomaly window ``(start, end)``, half-open.
    baseline : list of tuple
        The baseline windows used.
    totals : dict
        ``value_anomaly``, ``value_baseline``, ``change``,
        ``relative_change``, ``n_anomaly``, ``n_baseline`` (scaled),
        ``n_baseline_raw``, ``p_value``, ``test`` of the whole population.
    p_adjust : str
        ``"holm"`` or ``"bh"``; ``p_adjust_method`` says what it is.
    test : str
        The significance test applied to each element.
    alpha : float
        Significance level.
    dims : dict
        ``{"demand": [...], "supply": [...]}``: the dimensions examined.
    kpis : DataFrame or None
        For canonical frames: every KPI in the anomaly window against the
        baseline (``kpi, anomaly, baseline, change, n_anomaly, n_baseline,
        unit``; baseline counts scaled to the anomaly window's length).
    volume, handle_time : Explanation or None
        For :data:`QUEUE_METRICS`: the explanation of ``offered`` and ``aht_s``
        over the same windows.
    drivers : list of dict
        For :data:`QUEUE_METRICS`: ``driver`` ("volume", "handle_time" or
        "supply"), ``change`` (relative), ``p_value``, ``element`` and
        ``values`` of the leading element (its first cause), ``named`` (the
        elements the driver sentence names: every cause of the volume or
        handle-time explanation, else its leading element; each ``{"element",
        "values"}``) and ``explained_share`` (of the named elements together);
        None and [] when the change is broad.
    baseline_windows : DataFrame or None
        The candidate baseline windows and why some were left out
        (:func:`default_baseline`); None when the baseline was given.
    baseline_scale : float
        Anomaly length / total baseline length (baseline volumes are
        multiplied by it).
    concentration : dict
        Per side, the selected elements in order (the causes by share, else
        the greedy selection's order), each as ``{"element", "values",
        "explained", "size"}`` where explained and size are those of the union
        of the elements up to it: what the summary names.
    notes : list of str
        Choices the data forced (dimensions left out, assumed variances).
    causes : DataFrame or None
        The root causes (:func:`ccmetrics.rootcause.localize`): the set of
        disjoint, coarsest elements that explain the change, largest share
        first, per side; columns ``element``, ``side`` and
        :data:`ccmetrics.rootcause.CAUSE_COLUMNS`. Empty when the change is
        not significant (verdict "none" or "local") or is everywhere (no
        element localises it). When not empty, the causes are the
        explanation: the ``selected`` rows of :attr:`table` (first), the
        elements the summary, the drivers, the story and the report name.
    cause_ranking : DataFrame or None
        The same columns: per side the causes, then their coarser versions
        whose other children lean the same way, then the best other
        elements: what to look at next. Given, like the table, even when
        the change is not significant (then computed when first read).
    """

    metric: str
    kind: str
    table: pd.DataFrame
    verdict: str
    summary: dict
    anomaly: tuple
    baseline: list
    totals: dict
    p_adjust: str
    p_adjust_method: str
    test: str
    alpha: float
    dims: dict
    baseline_scale: float
    concentration: dict = field(default_factory=dict)
    kpis: pd.DataFrame | None = None
    volume: Explanation | None = None
    handle_time: Explanation | None = None
    drivers: list = field(default_factory=list)
    baseline_windows: pd.DataFrame | None = None
    notes: list = field(default_factory=list)
    causes: pd.DataFrame | None = None
    _cause_ranking: pd.DataFrame | None = field(default=None, repr=False)
    # a picklable callable giving the ranking (functools.partial of a module function)
    _rank_later: Callable[[], pd.DataFrame] | None = field(default=None, repr=False, compare=False)

    @property
    def cause_ranking(self) -> pd.DataFrame | None:
        """The cause ranking (see the class's attributes), computed on first reading."""
        if self._cause_ranking is None and self._rank_later is not None:
            self._cause_ranking, self._rank_later = self._rank_later(), None
        return self._cause_ranking

    @cause_ranking.setter
    def cause_ranking(self, value: pd.DataFrame | None) -> None:
        self._cause_ranking, self._rank_later = value, None

    @property
    def selected(self) -> pd.DataFrame:
        """The rows of :attr:`table` that form the explanation (selected elements)."""
        return self.table[self.table["selected"]]
