"""The plain-language summary of one day of the staffing analysis."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ccmetrics import i18n
from ccmetrics.staffing.codes import (
    _EFFECT_NAMES,
    CAUSE_NAMES,
    INTERVAL_CLASSES,
    MISSED_CLASSES,
    effect_of_cause,
)

__all__ = ["why_summary"]


def _points(value: float) -> str:
    return f"{value * 100:+.1f}".replace("-", "−")


def why_summary(day: pd.Series, cause: str | None = None) -> dict[str, str]:
    """Plain-language summary of one day of :func:`why_day`, in English and Chinese.

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
    date = pd.Timestamp(day["date"]).strftime("%Y-%m-%d")
    measured, target = day["measured_sl"], day["target_sl"]
    n = day["sl_base"]
    if not np.isfinite(measured):
        return {"en": f"{date}: no calls to measure.", "zh": f"{date}：没有可计量的来电。"}
    en = [
        f"{date}: service level {measured:.1%} against a target of {target:.1%} "
        f"(n = {n:,.0f} calls)"
    ]
    zh = [f"{date}：服务水平 {measured:.1%}，目标 {target:.1%}（n = {n:,.0f} 通）"]
    if day["shortfall"] >= 0:
        en[0] += ": target met."
        zh[0] += "，达标。"
    else:
        en[0] += f", {abs(day['shortfall']) * 100:.1f} points short."
        zh[0] += f"，低 {abs(day['shortfall']) * 100:.1f} 个百分点。"
    if np.isfinite(day["model_sl"]):
        en.append(
            f"With the agents actually staffed the queueing model expected {day['model_sl']:.1%}."
        )
        zh.append(f"按实际在岗人数，排队模型预计为 {day['model_sl']:.1%}。")
    columns = {
        "volume": "shapley_volume",
        "aht": "shapley_aht",
        "staffing": "shapley_staffing",
        "unexplained": "unexplained",
    }
    known = {name: day[column] for name, column in columns.items() if np.isfinite(day[column])}
    if day["shortfall"] < 0 and known:
        main_effect = day["main_cause"]
        if cause is None or effect_of_cause(cause) == main_effect:
            main_en = f"; mainly {_EFFECT_NAMES[main_effect]['en']}."
            main_zh = f"；主要原因：{_EFFECT_NAMES[main_effect]['zh']}。"
        else:  # the story names another cause: say so, never "mainly" against the numbers
            main_en = i18n.t("staff.summary_story_cause", "en", cause=CAUSE_NAMES[cause]["en"])
            main_zh = i18n.t("staff.summary_story_cause", "zh", cause=CAUSE_NAMES[cause]["zh"])
        en.append(
            "Shortfall by cause (Shapley, points): "
            + ", ".join(f"{_EFFECT_NAMES[k]['en']} {_points(v)}" for k, v in known.items())
            + main_en
        )
        zh.append(
            "缺口归因（Shapley，百分点）："
            + "，".join(f"{_EFFECT_NAMES[k]['zh']} {_points(v)}" for k, v in known.items())
            + main_zh
        )
    staffed, scheduled, needed = (
        day["staffed_hours"],
        day["scheduled_hours"],
        day["required_actual_hours"],
    )
    if np.isfinite(staffed):
        estimate_en = (
            " (estimated from busy time ÷ expected occupancy)" if day["staffed_is_estimate"] else ""
        )
        estimate_zh = "（由忙碌时长 ÷ 预期占用率估算）" if day["staffed_is_estimate"] else ""
        text_en = f"Staffed {staffed:,.0f} agent-hours{estimate_en}"
        text_zh = f"在岗 {staffed:,.0f} 坐席小时{estimate_zh}"
        if np.isfinite(scheduled):
            text_en += f", scheduled {scheduled:,.0f}"
            text_zh += f"，排班 {scheduled:,.0f}"
        if np.isfinite(needed):
            text_en += f", needed for the actual load {needed:,.0f}"
            text_zh += f"，实际话务所需 {needed:,.0f}"
        en.append(text_en + ".")
        zh.append(text_zh + "。")
    counts = {code: int(day[f"n_{code}"]) for code in MISSED_CLASSES if day[f"n_{code}"] > 0}
    with_calls = int(day["intervals"] - day["n_no_calls"])
    missed = sum(counts.values())
    en.append(
        f"{missed} of {with_calls} intervals missed the target beyond noise"
        + (
            " (" + ", ".join(f"{INTERVAL_CLASSES[k]['en']} {v}" for k, v in counts.items()) + ")."
            if counts
            else "."
        )
    )
    zh.append(
        f"{with_calls} 个时段中有 {missed} 个超出随机波动未达标"
        + (
            "（" + "，".join(f"{INTERVAL_CLASSES[k]['zh']} {v}" for k, v in counts.items()) + "）。"
            if counts
            else "。"
        )
    )
    return {"en": " ".join(en), "zh": "".join(zh)}
