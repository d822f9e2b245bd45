"""Strings of the control-chart computations (English and Simplified Chinese); merged into ccmetrics.i18n.

The sentence of :func:`ccmetrics.spc.improvement_check` (``spc.improvement.*``): the KPI's
name, the values before and after with their unit, and the confidence interval of the
difference are filled in by the function.
"""

EN: dict[str, str] = {
    "spc.improvement.significant": (
        "{label} {verb} from {before} to {after}, {level} CI {low} to {high}{span}"
    ),
    "spc.improvement.not_significant": (
        "{label} changed from {before} to {after}, {level} CI {low} to {high}{span}: "
        "not a clear change"
    ),
    "spc.improvement.rose": "rose",
    "spc.improvement.fell": "fell",
    "spc.improvement.points": " points",
}

ZH: dict[str, str] = {
    "spc.improvement.significant": (
        "{label}从{before}{verb}{after}，{level}置信区间为{low}至{high}{span}"
    ),
    "spc.improvement.not_significant": (
        "{label}从{before}变为{after}，{level}置信区间为{low}至{high}{span}，变化不显著"
    ),
    "spc.improvement.rose": "上升至",
    "spc.improvement.fell": "下降至",
    "spc.improvement.points": "个百分点",
}
