"""Summaries: the leading elements, the verdict's reason, and the summary and driver sentences."""

from __future__ import annotations

import numpy as np

from ccmetrics import i18n
from ccmetrics.drill.constants import (
    _DIM_NAMES_ZH,
    _METRIC_KEYS,
    CONCENTRATED_EXPLAINED,
    MATERIAL_CHANGE,
    MAX_SELECTED,
)
from ccmetrics.drill.elements import and_list, element_label, element_names
from ccmetrics.drill.engine import _is_concentrated
from ccmetrics.drill.result import Explanation
from ccmetrics.kpi import KPI_UNITS, format_value

__all__ = [
    "leading_elements",
    "VERDICT_REASONS",
    "verdict_reason",
]


# --------------------------------------------------------------------------- summaries


def _percent(value: float) -> str:
    return f"{value * 100:.0f}%"


def _signed_percent(value: float) -> str:
    """A relative change in whole percent: "+23%", "-4%", and "0%" when it rounds to zero."""
    if not np.isfinite(value):
        return "–"
    return f"{i18n.format_signed(value * 100)}%"


def _leading(explanation: Explanation, prefer: str = "demand", most: int | None = 2) -> list[dict]:
    """The first selected elements of the side to name, each with the union's explained/size.

    The side: the preferred one when it is concentrated, else a concentrated
    side, else the side of the best selected element. A side with root causes
    (:attr:`Explanation.causes`) names its causes: all of them (at most
    :data:`MAX_SELECTED`) when ``most`` is None; a side without names the
    first two elements of the greedy selection then.
    """
    concentration = explanation.concentration
    if not concentration:
        return []
    sides = [side for side, taken in concentration.items() if _is_concentrated(taken)]
    if prefer in sides:
        side = prefer
    elif sides:
        side = sides[0]
    else:
        first = explanation.table[explanation.table["selected"]]
        side = first["side"].iloc[0] if len(first) else next(iter(concentration))
    if most is None:
        causes = explanation.causes
        has_causes = causes is not None and bool((causes["side"] == side).any())
        most = MAX_SELECTED if has_causes else 2
    return concentration[side][:most]


def leading_elements(explanation: Explanation, most: int = 2) -> list[dict]:
    """The first selected elements the summary names, each with the union's explained share.

    The root causes (:attr:`Explanation.causes`, the coarsest elements that
    explain the change, largest share first) when the named side has some;
    else the first elements of the greedy selection.

    Parameters
    ----------
    explanation : Explanation
    most : int, default 2
        How many elements at most.

    Returns
    -------
    list of dict
        ``element`` (label), ``values`` (dimension -> value), ``explained``
        and ``size`` of the union of the elements up to it; empty when none
        was selected.

    Examples
    --------
    >>> from ccmetrics.drill import explain
    >>> from ccmetrics.sample import generate_calls
    >>> calls = generate_calls(start="2025-02-11", days=29)
    >>> e = explain(calls, ("2025-03-11 09:00", "2025-03-11 12:00"), metric="offered")
    >>> leading_elements(e, most=1)[0]["values"]
    {'category': 'Data plan (GPRS)', 'segment': 'Prepaid'}
    """
    return _leading(explanation, most=most)


#: Codes of :func:`verdict_reason`.
VERDICT_REASONS = (
    "concentrated",
    "broad_volume",
    "broad_handle_time",
    "broad_supply",
    "broad",
    "local",
    "none",
)


def verdict_reason(explanation: Explanation) -> str:
    """What a verdict means here, as a code the pages translate (one of :data:`VERDICT_REASONS`).

    Parameters
    ----------
    explanation : Explanation

    Returns
    -------
    str
        ``concentrated``, ``local`` and ``none`` as the verdict; a broad
        verdict of a queue metric says what drove it: ``broad_volume`` (offered
        calls rose beyond their noise band), ``broad_handle_time`` (handle
        time did), ``broad_supply`` (neither did: the cause is likely on the
        supply side); ``broad`` when no driver was examined.

    Notes
    -----
    A broad change never reads "typical of understaffing" when the volume
    rose significantly and materially: the volume driver comes first.

    Examples
    --------
    >>> from ccmetrics.drill import explain
    >>> from ccmetrics.sample import generate_calls
    >>> calls = generate_calls(start="2025-02-11", days=29)
    >>> verdict_reason(explain(calls, ("2025-03-05", "2025-03-06")))
    'broad_volume'
    """
    if explanation.verdict != "broad":
        return explanation.verdict
    drivers = [driver["driver"] for driver in explanation.drivers]
    if not drivers:
        return "broad"
    if "volume" in drivers:
        return "broad_volume"
    if "handle_time" in drivers:
        return "broad_handle_time"
    return "broad_supply"


def _sentences(parts: list[str], language: str) -> str:
    """Sentences one after the other as the language writes them ("A. B." / "A。B。")."""
    text = ""
    for part in parts:
        text = i18n.t("drill.two_sentences", language, first=text, second=part) if text else part
    return text


def _names(items: list[dict], language: str) -> str:
    """Element names for a sentence: "A and B" / "A、B" (the table's labels in English)."""
    return element_names([item["values"] for item in items], language=language)


def _summarise(
    explanation: Explanation,
    name_en: str,
    name_zh: str,
    formatter,
    dims_en: str,
    dims_zh: str,
    formatter_zh=None,
) -> dict:
    """The verdict's summary in English and Chinese, from the ``drill.*`` translation keys."""
    texts = {}
    for language, name, language_formatter, dims in (
        ("en", name_en, formatter, dims_en),
        ("zh", name_zh, formatter_zh or formatter, dims_zh),
    ):
        texts[language] = _summary_text(explanation, language, name, language_formatter, dims)
    return texts


def _summary_text(explanation: Explanation, language: str, name: str, formatter, dims) -> str:
    t = i18n.t
    totals = explanation.totals
    head = {
        "name": name,
        "value": formatter(totals["value_anomaly"]),
        "baseline": formatter(totals["value_baseline"]),
    }
    if explanation.kind == "count":
        head = t(
            "drill.head_count", language, change=_signed_percent(totals["relative_change"]), **head
        )
    else:
        head = t("drill.head", language, **head)
    if explanation.verdict == "none":
        return t("drill.summary_none", language, head=head, p=f"{totals['p_value']:.2g}")
    if explanation.verdict == "local":  # never "no significant change" beside significant rows
        rows = explanation.table[explanation.table["significant"]]
        first = (
            rows["element"].iloc[0]
            if language == "en"
            else element_label(rows["values"].iloc[0], language=language)
        )
        key = "drill.summary_local_one" if len(rows) == 1 else "drill.summary_local"
        return t(
            key, language, head=head, p=f"{totals['p_value']:.2g}", count=len(rows), element=first
        )
    if explanation.verdict == "broad":
        lead = _leading(explanation, most=None)
        if lead and lead[-1]["explained"] >= CONCENTRATED_EXPLAINED:
            # a selected (starred) element explains most of it, but no more than its size
            # would predict: say so rather than "no few elements explain most of it"
            return t(
                "drill.summary_broad_named",
                language,
                head=head,
                dims=dims,
                names=_names(lead, language),
                explained=_percent(lead[-1]["explained"]),
                size=_percent(lead[-1]["size"]),
            )
        return t("drill.summary_broad", language, head=head, dims=dims)
    lead = _leading(explanation, most=None)
    names = _names(lead, language)
    explained, size = lead[-1]["explained"], lead[-1]["size"]
    if explanation.kind == "count":
        side = "extra" if totals["change"] >= 0 else "missing"
        if explained > 1.005:
            # the leading elements changed by more than the net change: the rest moved the
            # other way, so "103% of the extra calls" would read as an error
            key = f"drill.summary_count_all_{side}"
        else:
            key = f"drill.summary_count_{side}"
        return t(key, language, head=head, names=names, explained=_percent(explained))
    return t(
        "drill.summary_share",
        language,
        head=head,
        names=names,
        explained=_percent(explained),
        size=_percent(size),
    )


def _generic_formatter(value: float) -> str:
    if not np.isfinite(value):
        return "–"
    return f"{value:.4g}"


def _formatter(metric: str, language: str = "en"):
    """Values of ``metric`` as the app shows them: English as :func:`ccmetrics.kpi.format_value`,
    other languages by :func:`ccmetrics.i18n.format_number` ("374 秒")."""

    def formatted(value: float) -> str:
        if language == "en":
            return format_value(metric, value)
        return i18n.format_number(value, KPI_UNITS.get(metric, "score"), language)

    return formatted


def _dims_text(explanation: Explanation) -> tuple[str, str]:
    dims = [d for side in explanation.dims.values() for d in side]
    if not dims:
        return i18n.t("drill.dims_none", "en"), i18n.t("drill.dims_none", "zh")
    names_en = and_list(dims, "en")
    names_zh = and_list([_DIM_NAMES_ZH.get(d, d) for d in dims], "zh")
    return names_en, names_zh


def _canonical_summary(explanation: Explanation) -> dict:
    key = _METRIC_KEYS.get(explanation.metric)
    name_en, name_zh = (
        (i18n.t(key, "en"), i18n.t(key, "zh")) if key else (explanation.metric, explanation.metric)
    )
    dims_en, dims_zh = _dims_text(explanation)
    summary = _summarise(
        explanation,
        name_en,
        name_zh,
        _formatter(explanation.metric),
        dims_en,
        dims_zh,
        formatter_zh=_formatter(explanation.metric, "zh"),
    )
    if explanation.drivers and explanation.verdict in ("concentrated", "broad"):
        summary = {
            language: _sentences([text, _driver_text(explanation, language)], language)
            for language, text in summary.items()
        }
    return summary


def _drivers(explanation: Explanation) -> list[dict]:
    """Volume and handle-time changes behind a queue metric (or "supply" when neither).

    A driver is a change of offered calls or AHT that is significant, pushes
    the metric the way it moved (more calls or longer calls when service got
    worse) and is material (at least :data:`MATERIAL_CHANGE` relative).
    """
    lower_is_worse = explanation.metric in ("service_level", "answer_rate")
    worse = (explanation.totals["change"] < 0) == lower_is_worse
    found = []
    for driver, sub in (("volume", explanation.volume), ("handle_time", explanation.handle_time)):
        if sub is None or sub.verdict in ("none", "local"):
            continue
        change = sub.totals["relative_change"]
        if not (np.isfinite(change) and abs(change) >= MATERIAL_CHANGE and (change > 0) == worse):
            continue
        named = _leading(sub, most=None) if sub.verdict == "concentrated" else []
        lead = named[0] if named else None
        found.append(
            {
                "driver": driver,
                "change": change,
                "p_value": sub.totals["p_value"],
                "verdict": sub.verdict,
                "element": None if lead is None else lead["element"],
                "values": None if lead is None else lead["values"],
                "explained_share": None if lead is None else float(named[-1]["explained"]),
                "named": [{"element": n["element"], "values": n["values"]} for n in named],
            }
        )
    if not found:
        found.append(
            {
                "driver": "supply",
                "change": np.nan,
                "p_value": np.nan,
                "verdict": "none",
                "element": None,
                "values": None,
                "explained_share": None,
                "named": [],
            }
        )
    return found


def _driver_text(explanation: Explanation, language: str) -> str:
    """The drivers' sentence in ``language``, from the ``drill.driver_*`` translation keys."""
    t = i18n.t
    parts = []
    for driver in explanation.drivers:
        change = _signed_percent(driver["change"])
        element = None
        if driver["element"]:
            element = _names(driver.get("named") or [driver], language)
        if driver["driver"] == "volume":
            if element:
                side = "extra" if driver["change"] >= 0 else "missing"
                # as the summary: named elements that changed by more than the net change
                # (the rest moved the other way) are "all of the extra calls", not "102 %"
                every = "all_" if driver["explained_share"] > 1.005 else ""
                parts.append(
                    t(
                        f"drill.driver_volume_{every}{side}",
                        language,
                        change=change,
                        share=_percent(driver["explained_share"]),
                        element=element,
                    )
                )
            else:
                parts.append(t("drill.driver_volume_broad", language, change=change))
        elif driver["driver"] == "handle_time":
            if element:
                parts.append(
                    t("drill.driver_handle_time_where", language, change=change, element=element)
                )
            else:
                parts.append(t("drill.driver_handle_time", language, change=change))
        else:
            volume = explanation.volume.totals["relative_change"] if explanation.volume else np.nan
            handle = (
                explanation.handle_time.totals["relative_change"]
                if explanation.handle_time
                else np.nan
            )
            parts.append(
                t(
                    "drill.driver_supply",
                    language,
                    volume=_signed_percent(volume),
                    handle=_signed_percent(handle),
                )
            )
    return _sentences(parts, language)
