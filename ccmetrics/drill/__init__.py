"""Root-cause drill-down: which categories, segments, queues and teams drove a bad window.

"Service level collapsed on Tuesday morning — why?" :func:`explain` compares an
anomaly window with a baseline (by default the same weekday and time window of
the previous four ordinary weeks), splits the KPI change among every dimension
value and combination of values (an *element*, e.g. ``category=GPRS &
segment=Prepaid``), tests each one, and picks the few elements that explain
most of the change while holding a small part of the calls.

The generic engine, :func:`explain_ratio`, works on any additive cube
(dimension columns, a time column, a numerator and a denominator per row), so
it is also checked on public root-cause benchmarks. :func:`decompose` gives one
level of a decomposition tree, :func:`element_calls` the calls behind an
element, :func:`default_baseline` the baseline windows and why some were left
out.

Three kinds of metric are handled:

* ``"ratio"``: a proportion of counts (service level, abandon, answer and
  transfer rates, a stall rate): numerator ≤ denominator.
* ``"mean"``: a sum over a count (AHT, ASA, CSAT), with the sum of squares for
  the significance test.
* ``"count"``: a volume (offered calls): where did the extra calls come from?

Every rate is derived from additive sums (:mod:`ccmetrics.cube`) with the KPI
formulas of :func:`ccmetrics.kpi.derive`; nothing here re-implements a KPI.

Modules
-------
================  ===============================================================
``constants``     the metrics explained, output columns, selection and verdict rules, error codes
``result``        :class:`Explanation`, what an explanation holds
``windows``       time windows, the rows of a frame inside each (binary-search slices),
                  :func:`overlapping` periods
``effects``       the additive cube of elements, mix and rate effects, the concentration score
``significance``  the tests of an element's change and of the total change
``elements``      :func:`element_label`, :func:`element_names`, :func:`element_calls`
``engine``        candidate elements, the greedy selection, generalisations, the verdict
``summary``       :func:`leading_elements`, :func:`verdict_reason`, the summary sentences
``frames``        a metric's numerator and denominator in a canonical call frame
``baseline``      :func:`default_baseline` and the rows of the windows compared
``explain``       :func:`explain_ratio` (any additive cube) and :func:`explain`
``decompose``     :func:`decompose`, one level of the decomposition tree
``notes``         :func:`note_code`: the notes of an explanation as codes
``tree``          :func:`resolve_path`, :func:`default_split`: walking the tree from a link
================  ===============================================================
"""

from __future__ import annotations

# Every public name of the former single module, and (``name as name``) the rules the story
# and the report read (``drill.MATERIAL_CHANGE``) and the private helpers the tests check
# against a straightforward reference. A test that monkeypatches a helper patches the
# module that reads it, not this one.
from ccmetrics.drill.baseline import default_baseline
from ccmetrics.drill.constants import (
    ARRIVAL_METRICS,
    DECOMPOSE_COLUMNS,
    DEFAULT_DRILL_DIMENSIONS,
    DRILL_DIMENSIONS,
    ERROR_CODES,
    METRIC_KINDS,
    METRICS,
    P_ADJUST_METHODS,
    QUEUE_METRICS,
    TABLE_COLUMNS,
)
from ccmetrics.drill.constants import CONCENTRATED_ELEMENTS as CONCENTRATED_ELEMENTS
from ccmetrics.drill.constants import CONCENTRATED_EXPLAINED as CONCENTRATED_EXPLAINED
from ccmetrics.drill.constants import CONCENTRATED_LIFT as CONCENTRATED_LIFT
from ccmetrics.drill.constants import MATERIAL_CHANGE as MATERIAL_CHANGE
from ccmetrics.drill.constants import MAX_SELECTED as MAX_SELECTED
from ccmetrics.drill.constants import MIN_EXPLAINED as MIN_EXPLAINED
from ccmetrics.drill.constants import MIN_LIFT as MIN_LIFT
from ccmetrics.drill.constants import MISSING as MISSING
from ccmetrics.drill.constants import OUTLIER_Z as OUTLIER_Z
from ccmetrics.drill.constants import SELECTION_POOL as SELECTION_POOL
from ccmetrics.drill.constants import SIZE_FLOOR as SIZE_FLOOR
from ccmetrics.drill.decompose import decompose
from ccmetrics.drill.elements import _filter_mask as _filter_mask
from ccmetrics.drill.elements import element_calls, element_label, element_names
from ccmetrics.drill.explain import explain, explain_ratio
from ccmetrics.drill.notes import NOTE_CODES, note_code
from ccmetrics.drill.result import Explanation
from ccmetrics.drill.summary import VERDICT_REASONS, leading_elements, verdict_reason
from ccmetrics.drill.summary import _signed_percent as _signed_percent
from ccmetrics.drill.tree import default_split, level_bars, resolve_path, same_value
from ccmetrics.drill.windows import _read_columns as _read_columns
from ccmetrics.drill.windows import _time_ordered as _time_ordered
from ccmetrics.drill.windows import _window_ids as _window_ids
from ccmetrics.drill.windows import _window_rows as _window_rows
from ccmetrics.drill.windows import _windows as _windows
from ccmetrics.drill.windows import overlapping

__all__ = [
    "ERROR_CODES",
    "METRICS",
    "METRIC_KINDS",
    "QUEUE_METRICS",
    "ARRIVAL_METRICS",
    "P_ADJUST_METHODS",
    "TABLE_COLUMNS",
    "DECOMPOSE_COLUMNS",
    "DRILL_DIMENSIONS",
    "DEFAULT_DRILL_DIMENSIONS",
    "Explanation",
    "explain",
    "explain_ratio",
    "default_baseline",
    "decompose",
    "element_calls",
    "element_label",
    "element_names",
    "leading_elements",
    "verdict_reason",
    "VERDICT_REASONS",
    "resolve_path",
    "default_split",
    "same_value",
    "level_bars",
    "overlapping",
    "NOTE_CODES",
    "note_code",
]
