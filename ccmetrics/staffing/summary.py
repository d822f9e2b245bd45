"""The plain-language summary of one day of the staffing analysis."""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from ccmetrics import i18n
from ccmetrics.staffing.codes import (
    CAUSE_NAMES,
    INTERVAL_CLASSES,
    MISSED_CLASSES,
    effect_of_cause,
)

__all__ = ["why_summary"]


def _points(value: float) -> str:
    return f"{value * 100:+.1f}".replace("-", "−")


def _effect_name(effect: str, lang: str) -> str:
    """An effect of :data:`EFFECTS` as the summary names it ("mainly staffing")."""
    return i18n.t(f"staff.summary_effect.{effect}", lang)


def why_summary(day: pd.Series, cause: str | None = None) -> dict[str, str]:
    """Plain-language summary of one day of :func:`why_day`, in English and Chinese.

    The sentences come from the translation table (``staff.summary_*``); this
    function picks them and fills in the day's numbers.

    Parameters
    ----------
    day : Series
        One row of :func:`why_day`.
    cause : str, optional
        The day's story cause (one of ``ccmetrics.story.CAUSES``). Given, the
        summary names it as the day's main cause, so that it says what the story
        says; omitted, the main cause is ``day["main_cause"]``.

    Returns
    -------
    dict
        ``{"en": str, "zh": str}``.

    Notes
    -----
    States the measured SL against the target with its n, the model's SL
    with the agents staffed, the Shapley split of the shortfall in points,
    the main cause, staffed vs scheduled vs needed agent-hours (saying when
    staffing was estimated) and how many intervals missed the target beyond
    noise, by class.

    The main cause after the split is "mainly <effect>" when it is the split's
    most negative effect (``day["main_cause"]``) and, with ``cause``, also the
    effect of the story's cause (:func:`effect_of_cause`). A story whose cause
    is carried by another effect, by an effect the split lacks (e.g. volume
    without a forecast) or by none (e.g. "local_change": no effect is beyond
    noise) is named as the story's cause (:data:`CAUSE_NAMES`) instead, so the
    sentence never calls an effect the main one when its own numbers say
    otherwise.

    Examples
    --------
    >>> from ccmetrics.staffing import why_day, why_intervals
    >>> intervals = pd.DataFrame({"interval_start": pd.to_datetime(["2025-01-06 09:00"]),
    ...     "interval_minutes": [30.0], "offered": [100.0], "answered": [100.0],
    ...     "answered_in_sl": [50.0], "short_abandoned": [0.0], "handle_s_sum": [18000.0],
    ...     "staffed_agents": [14.0]})
    >>> why_summary(why_day(why_intervals(intervals, model="erlang_c")).iloc[0])["en"][:62]
    '2025-01-06: service level 50.0% against a target of 80.0% (n ='
    """
    return {lang: _summary(day, cause, lang) for lang in i18n.LANGUAGES}


def _summary(day: pd.Series, cause: str | None, lang: str) -> str:
    """:func:`why_summary` in one language: its sentences one after the other."""
    date = pd.Timestamp(day["date"]).strftime("%Y-%m-%d")
    if not np.isfinite(day["measured_sl"]):
        return i18n.t("staff.summary_no_calls", lang, date=date)
    sentences = [_target_sentence(day, date, lang)]
    if np.isfinite(day["model_sl"]):
        sentences.append(i18n.t("staff.summary_model", lang, model=f"{day['model_sl']:.1%}"))
    split = _split_sentence(day, cause, lang)
    if split:
        sentences.append(split)
    if np.isfinite(day["staffed_hours"]):
        sentences.append(_staffed_sentence(day, lang))
    sentences.append(_missed_sentence(day, lang))
    return functools.reduce(
        lambda first, second: i18n.t("compare.two_sentences", lang, first=first, second=second),
        sentences,
    )


def _target_sentence(day: pd.Series, date: str, lang: str) -> str:
    """The measured service level against the target, with its n: met, or how far short."""
    numbers = {
        "date": date,
        "measured": f"{day['measured_sl']:.1%}",
        "target": f"{day['target_sl']:.1%}",
        "n": f"{day['sl_base']:,.0f}",
    }
    if day["shortfall"] >= 0:
        return i18n.t("staff.summary_met", lang, **numbers)
    points = f"{abs(day['shortfall']) * 100:.1f}"
    return i18n.t("staff.summary_short", lang, points=points, **numbers)


def _split_sentence(day: pd.Series, cause: str | None, lang: str) -> str:
    """The Shapley split of a shortfall in points and its main cause ("" when none)."""
    columns = {
        "volume": "shapley_volume",
        "aht": "shapley_aht",
        "staffing": "shapley_staffing",
        "unexplained": "unexplained",
    }
    known = {name: day[column] for name, column in columns.items() if np.isfinite(day[column])}
    if not (day["shortfall"] < 0 and known):
        return ""
    main_effect = day["main_cause"]
    if cause is None or effect_of_cause(cause) == main_effect:
        main = i18n.t("staff.summary_mainly", lang, effect=_effect_name(main_effect, lang))
    else:  # the story names another cause: say so, never "mainly" against the numbers
        main = i18n.t("staff.summary_story_cause", lang, cause=CAUSE_NAMES[cause][lang])
    effects = i18n.t("compare.list_sep", lang).join(
        f"{_effect_name(name, lang)} {_points(value)}" for name, value in known.items()
    )
    return i18n.t("staff.summary_split", lang, effects=effects, main=main)


def _staffed_sentence(day: pd.Series, lang: str) -> str:
    """Staffed agent-hours (saying when estimated), scheduled and needed for the actual load."""
    scheduled, needed = day["scheduled_hours"], day["required_actual_hours"]
    return i18n.t(
        "staff.summary_staffed",
        lang,
        staffed=f"{day['staffed_hours']:,.0f}",
        estimate=i18n.t("staff.summary_estimate", lang) if day["staffed_is_estimate"] else "",
        scheduled=(
            i18n.t("staff.summary_scheduled", lang, hours=f"{scheduled:,.0f}")
            if np.isfinite(scheduled)
            else ""
        ),
        needed=(
            i18n.t("staff.summary_needed", lang, hours=f"{needed:,.0f}")
            if np.isfinite(needed)
            else ""
        ),
    )


def _missed_sentence(day: pd.Series, lang: str) -> str:
    """How many intervals with calls missed the target beyond noise, by class."""
    counts = {code: int(day[f"n_{code}"]) for code in MISSED_CLASSES if day[f"n_{code}"] > 0}
    numbers = {
        "missed": sum(counts.values()),
        "with_calls": int(day["intervals"] - day["n_no_calls"]),
    }
    if not counts:
        return i18n.t("staff.summary_missed", lang, **numbers)
    classes = i18n.t("compare.list_sep", lang).join(
        f"{INTERVAL_CLASSES[code][lang]} {count}" for code, count in counts.items()
    )
    return i18n.t("staff.summary_missed_classes", lang, classes=classes, **numbers)
