"""The Control charts page's words: option labels, point names, the verdict and warnings.

Every ``cc.`` translation key the page uses is named here (the option dicts below), so
the texts of the charts, the verdict, the findings and the diagnostics are read from
one place; the numbers they carry come from :mod:`ccmetrics.spc`.
"""

from __future__ import annotations

import pandas as pd

from ccmetrics import i18n, kpi, spc
from pages import common
from pages.common import tr

__all__ = [
    "VIEW_KEYS",
    "GRANULARITY_KEYS",
    "CHART_KEYS",
    "CHART_ABOUT_KEYS",
    "RULE_KEYS",
    "SELECTABLE_RULES",
    "PHASE_KEYS",
    "KIND_KEYS",
    "SIDE_KEYS",
    "UNITS_KEYS",
    "UNIT_KEYS",
    "VERDICT_KEYS",
    "IMPROVEMENT_TEST_KEYS",
    "ERROR_KEYS",
    "label_with",
    "point_ids",
    "point_label",
    "point_labeller",
    "improvement_labels",
    "error_text",
    "value_format",
    "axis_title",
    "rules_text",
    "kpi_text",
    "spread_text",
    "share_text",
    "verdict_text",
    "episodes_frame",
    "warning_text",
]

VIEW_KEYS = {"one": "cc.view.one", "all": "cc.view.all"}
GRANULARITY_KEYS = {"interval": "cc.gran.interval", "day": "cc.gran.day", "week": "cc.gran.week"}
CHART_KEYS = {
    "p_prime": "cc.chart.p_prime",
    "p": "cc.chart.p",
    "xbar_s": "cc.chart.xbar_s",
    "xmr": "cc.chart.xmr",
    "seasonal": "cc.chart.seasonal",
    "ewma": "cc.chart.ewma",
    "cusum": "cc.chart.cusum",
}
CHART_ABOUT_KEYS = {
    "p_prime": "cc.chart_about.p_prime",
    "p": "cc.chart_about.p",
    "xbar_s": "cc.chart_about.xbar_s",
    "xmr": "cc.chart_about.xmr",
    "seasonal": "cc.chart_about.seasonal",
    "ewma": "cc.chart_about.ewma",
    "cusum": "cc.chart_about.cusum",
}
RULE_KEYS = {
    "nelson_1": "cc.rule.nelson_1",
    "nelson_2": "cc.rule.nelson_2",
    "nelson_3": "cc.rule.nelson_3",
    "nelson_4": "cc.rule.nelson_4",
    "nelson_5": "cc.rule.nelson_5",
    "nelson_6": "cc.rule.nelson_6",
    "nelson_7": "cc.rule.nelson_7",
    "nelson_8": "cc.rule.nelson_8",
    "anhoej": "cc.rule.anhoej",
    "ewma": "cc.rule.ewma",
    "cusum_upper": "cc.rule.cusum_upper",
    "cusum_lower": "cc.rule.cusum_lower",
}
SELECTABLE_RULES = (*spc.NELSON_RULES, "anhoej")
PHASE_KEYS = {"before": "cc.summary_phase.before", "after": "cc.summary_phase.after"}
KIND_KEYS = {"point": "cc.kind.point", "shift": "cc.kind.shift"}
SIDE_KEYS = {"above": "cc.side.above", "below": "cc.side.below"}
UNITS_KEYS = {"interval": "cc.units.interval", "day": "cc.units.day", "week": "cc.units.week"}
UNIT_KEYS = {"interval": "cc.unit.interval", "day": "cc.unit.day", "week": "cc.unit.week"}
VERDICT_KEYS = {
    "stable": "cc.verdict.stable",
    "stable_meets_target": "cc.verdict.stable_meets_target",
    "stable_misses_target": "cc.verdict.stable_misses_target",
}
IMPROVEMENT_TEST_KEYS = {
    "proportion": "cc.improvement_test.proportion",
    "mean": "cc.improvement_test.mean",
}
#: ccmetrics.spc.ChartInputError codes -> the translated explanation shown instead.
ERROR_KEYS = {
    "no_limit_points": "cc.error.no_points",
    "change_sides": "cc.error.change_sides",
    "phase_points": "cc.error.phase_points",
}


def label_with(keys: dict[str, str], default=None, **params):
    """A ``format_func`` translating options through ``keys`` (language bound now, since
    Streamlit may call it outside the run); ``default`` is marked "(default)"."""
    language = common.lang()

    def label(option) -> str:
        text = (
            i18n.t(keys[option], language, **params) if params else i18n.t(keys[option], language)
        )
        if default is not None and option == default:
            return i18n.t("cc.default_mark", language, chart=text)
        return text

    return label


def point_ids(periods, granularity: str) -> list[str]:
    """Stable ids of the points: "YYYY-MM-DD", or "YYYY-MM-DDTHH:MM" per interval."""
    stamps = pd.DatetimeIndex(periods)
    pattern = "%Y-%m-%dT%H:%M" if granularity == "interval" else "%Y-%m-%d"
    return list(stamps.strftime(pattern))


def point_label(point_id: str, granularity: str, language: str | None = None) -> str:
    """How a point is named to a user: "Wed 2025-03-05 09:30", "week of 2025-03-03"."""
    language = language or common.lang()
    stamp = pd.Timestamp(point_id)
    if granularity == "week":
        return i18n.t("cc.week_of", language, day=stamp.strftime("%Y-%m-%d"))
    weekday = i18n.t(f"weekday.{stamp.day_of_week}", language)
    if granularity == "interval":
        return f"{weekday} {stamp.strftime('%Y-%m-%d %H:%M')}"
    return f"{weekday} {stamp.strftime('%Y-%m-%d')}"


def point_labeller(granularity: str):
    """A ``format_func`` naming point ids (language bound now)."""
    language = common.lang()
    return lambda point_id: point_label(point_id, granularity, language)


def improvement_labels(kpi_name: str) -> tuple:
    """KPI name, unit and decimals for the improvement sentences (both languages)."""
    unit = kpi.KPI_UNITS.get(kpi_name, "score")
    units = (" s", "秒") if unit == "seconds" else ("", "")
    return (
        i18n.t(f"kpi.{kpi_name}", "en"),
        i18n.t(f"kpi.{kpi_name}", "zh"),
        units[0],
        units[1],
        kpi.display_decimals(kpi_name),
    )


def error_text(error: ValueError) -> str:
    key = ERROR_KEYS.get(getattr(error, "code", None))
    return tr(key) if key else common.tr_md("cc.error.generic", reason=str(error))


# --------------------------------------------------------------------------- chart drawing


def value_format(kpi_name: str, chart: str) -> str:
    """d3 format of the plotted values."""
    if chart == "cusum":
        return ",.2f"
    unit = kpi.KPI_UNITS.get(kpi_name, "score")
    if unit == "percent":
        return ".1%"
    if unit in ("seconds", "count"):
        return ",.0f"
    return ",.1f" if kpi_name in common.DECIMALS else ",.2f"


def axis_title(kpi_name: str, chart: str) -> str:
    if chart == "cusum":
        return tr("cc.cusum_axis")
    name = tr(f"kpi.{kpi_name}") if kpi_name != "aht_s" else tr("tile.aht_s")
    if kpi_name == "asa_s":
        name = tr("tile.asa_s")
    unit = kpi.KPI_UNITS.get(kpi_name)
    return tr("header.seconds", name=name) if unit == "seconds" else name


def rules_text(rules: str) -> str:
    """Translated names of the rules that fired ("" when none)."""
    return "; ".join(tr(RULE_KEYS[rule]) for rule in rules.split(",") if rule in RULE_KEYS)


# --------------------------------------------------------------------------- verdict, findings, map


def kpi_text(kpi_name: str, value) -> str:
    return kpi.format_kpi(kpi_name, value, common.lang())


def spread_text(kpi_name: str, value) -> str:
    """A spread in the KPI's unit, unsigned ("5.2 pp", "8 s")."""
    return (kpi.format_kpi_change(kpi_name, value, common.lang()) or "–").lstrip("+")


def share_text(share) -> str:
    return i18n.format_number(share, "percent", common.lang(), decimals=0)


def verdict_text(verdict: dict, kpi_name: str, chart_type: str, granularity: str) -> str:
    """The chart's one sentence (``ccmetrics.spc.chart_verdict``) in the UI language."""
    code = verdict["code"]
    found = verdict["capability"]
    units = tr(UNITS_KEYS[granularity])
    if code in ("shift", "signals"):
        episodes = verdict["episodes"]
        kind = "shift" if code == "shift" else "point"
        top = episodes[episodes["kind"] == kind].iloc[0]
        if code == "shift" and granularity == "interval":  # a window of one day, not a change
            return tr(
                "cc.verdict.shift_window",
                direction=tr(SIDE_KEYS[top["direction"]]),
                start=point_label(point_ids([top["start"]], granularity)[0], granularity),
                end=pd.Timestamp(top["end"]).strftime("%H:%M"),
                signals=int(top["n_signals"]),
                points=int(top["n_points"]),
            )
        if code == "shift":
            return tr(
                "cc.verdict.shift",
                direction=tr(SIDE_KEYS[top["direction"]]),
                start=point_label(point_ids([top["start"]], granularity)[0], granularity),
                signals=int(top["n_signals"]),
                points=int(top["n_points"]),
                units=units,
                unit=tr(UNIT_KEYS[granularity]),
            )
        return tr(
            "cc.verdict.signals",
            count=verdict["incidents"],
            peak=point_label(point_ids([top["peak"]], granularity)[0], granularity),
            value=kpi_text(kpi_name, top["peak_value"]),
            center=kpi_text(kpi_name, top["peak_center"]),
        )
    if chart_type == "cusum":  # its points are cumulative sums, not the KPI's level
        return tr("cc.no_signals")
    params = {
        "level": kpi_text(kpi_name, found["level"]),
        "spread": spread_text(kpi_name, found["spread"]),
        "target": kpi_text(kpi_name, found["target"]),
        "share": share_text(found["share_meeting"]),
        "units": units,
        "side": tr(SIDE_KEYS["below" if found["gap"] < 0 else "above"]),
    }
    return tr(VERDICT_KEYS[code], **params)


def episodes_frame(episodes: pd.DataFrame, kpi_name: str, granularity: str) -> pd.DataFrame:
    """The findings table: one row per incident or shift, most severe first."""
    label = lambda stamp: point_label(point_ids([stamp], granularity)[0], granularity)  # noqa: E731
    return pd.DataFrame(
        {
            tr("cc.col_kind"): [tr(KIND_KEYS[k]) for k in episodes["kind"]],
            tr("cc.col_direction"): [tr(SIDE_KEYS[d]) for d in episodes["direction"]],
            tr("cc.col_from"): [label(s) for s in episodes["start"]],
            tr("cc.col_to"): [label(s) for s in episodes["end"]],
            tr("cc.col_signals"): episodes["n_signals"].astype(int).to_numpy(),
            tr("cc.col_peak"): [
                f"{label(p)}{'：' if common.lang() == 'zh' else ': '}{kpi_text(kpi_name, v)}"
                for p, v in zip(episodes["peak"], episodes["peak_value"], strict=True)
            ],
            tr("cc.col_severity"): episodes["severity"].round(1).to_numpy(),
        }
    )


def warning_text(warning: dict, diagnostics: dict, chart_type: str) -> str:
    """A ccmetrics.spc diagnostic warning in the language in force (by its code)."""
    code = warning.get("code")
    if code == "few_points":
        return tr("cc.warn.few_points", count=diagnostics["n_limit_points"])
    if code == "overdispersion":
        key = (
            "cc.warn.overdispersion_attribute"
            if chart_type in ("p", "p_prime")
            else "cc.warn.overdispersion_means"
        )
        return tr(key, sigma_z=f"{diagnostics['sigma_z']:.1f}")
    if code == "autocorrelation":
        value = diagnostics["lag1_autocorrelation"]
        key = (
            "cc.warn.autocorrelation_positive" if value > 0 else "cc.warn.autocorrelation_negative"
        )
        return tr(key, value=f"{value:.2f}")
    if code == "slot_without_baseline":
        return tr("cc.warn.slot_without_baseline")
    return common.md(warning.get("text", code))
