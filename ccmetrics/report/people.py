"""The report's "people" block: attrition over the period and KPIs by tenure band.

:func:`people_block` computes, from an agent roster (:func:`ccmetrics.people.read_roster`)
and the period's calls, attrition over the period with its exact Poisson interval
(:func:`ccmetrics.people.attrition_summary`), attrition month by month
(:func:`ccmetrics.people.attrition`) and the KPIs by tenure band
(:func:`ccmetrics.people.kpis_by_tenure`), the functions the Teams page calls;
:func:`people_html` and :func:`people_slide` lay them out. :func:`survival_at` reads the
Kaplan–Meier table at given tenures (the ``people`` command's summary). The block is
absent without a roster. Team names come from the data: the HTML escapes them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ccmetrics import i18n, people
from ccmetrics.cube import frame_kind
from ccmetrics.kpi import format_kpi
from ccmetrics.schema import KpiSettings

__all__ = [
    "LEVEL",
    "TENURE_KPIS",
    "SURVIVAL_MONTHS",
    "PeopleBlock",
    "people_block",
    "longest_tenure_months",
    "survival_at",
    "people_html",
    "people_slide",
]

#: Confidence level of the intervals.
LEVEL = 0.95
#: KPIs of the tenure table, in order (those without a value in any band are left out).
TENURE_KPIS = ("answered", "aht_s", "qa_mean", "fcr_rate", "csat_mean", "transfer_rate")
#: Tenures (months) at which the ``people`` command reads the survival curve.
SURVIVAL_MONTHS = (3, 6, 12, 24)


@dataclass
class PeopleBlock:
    """Attrition and tenure over the report's period.

    Attributes
    ----------
    name : str
        The roster's file name (``roster.attrs["file"]``, "" when unknown).
    agents : int
        Distinct agents of the roster.
    start, last : Timestamp
        First and last day of the period.
    summary : Series
        The one row of :func:`ccmetrics.people.attrition_summary` over the period.
    monthly : DataFrame
        :func:`ccmetrics.people.attrition` by month over the period.
    tenure : DataFrame or None
        :func:`ccmetrics.people.kpis_by_tenure` of the period's calls (None without an
        agent column with a value, or for interval data).
    """

    name: str
    agents: int
    start: pd.Timestamp
    last: pd.Timestamp
    summary: pd.Series
    monthly: pd.DataFrame
    tenure: pd.DataFrame | None = None


def people_block(
    roster: pd.DataFrame | None,
    period_rows: pd.DataFrame,
    start: pd.Timestamp,
    end: pd.Timestamp,
    settings: KpiSettings,
) -> PeopleBlock | None:
    """The people block of a period, or None without a roster (or an empty one).

    Parameters
    ----------
    roster : DataFrame or None
        As :func:`ccmetrics.people.read_roster` returns it.
    period_rows : DataFrame
        Canonical calls of the period (FCR flags added, filters applied).
    start, end : Timestamp
        The period ``[start, end)``.
    settings : KpiSettings

    Returns
    -------
    PeopleBlock or None
    """
    if roster is None or roster.empty:
        return None
    last = pd.Timestamp(end) - pd.Timedelta(days=1)
    summary = people.attrition_summary(roster, start=start, end=last, level=LEVEL).iloc[0]
    monthly = people.attrition(roster, "MS", start=start, end=last, level=LEVEL)
    tenure = None
    has_agent = "agent" in period_rows.columns and bool(period_rows["agent"].notna().any())
    if frame_kind(period_rows) == "calls" and has_agent:
        tenure = people.kpis_by_tenure(period_rows, roster, settings=settings)
    return PeopleBlock(
        name=str(roster.attrs.get("file", "")),
        agents=int(roster["agent"].nunique()),
        start=pd.Timestamp(start),
        last=last,
        summary=summary,
        monthly=monthly,
        tenure=tenure,
    )


def longest_tenure_months(roster: pd.DataFrame, end=None) -> float:
    """The longest tenure the roster observes, in months (leavers and agents still employed).

    Parameters
    ----------
    roster : DataFrame
        As :func:`ccmetrics.people.read_roster` returns it.
    end : date-like, optional
        The data's end date, as for :func:`ccmetrics.people.survival` (default: the latest
        start or leave date).

    Returns
    -------
    float
        ``max((min(leave date, end) − start date) / 30.44)`` over the spells starting on or
        before ``end``; NaN when there is none.

    Examples
    --------
    >>> roster = pd.DataFrame({"start_date": pd.to_datetime(["2024-01-01", "2024-03-01"]),
    ...     "leave_date": pd.to_datetime(["2024-01-31", None])})
    >>> round(longest_tenure_months(roster, end="2024-06-30"), 2)  # 121 days / 30.4375
    3.98
    """
    start = roster["start_date"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    leave = roster["leave_date"].to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
    known = np.concatenate([start, leave[~np.isnat(leave)]])
    if not len(known):
        return float("nan")
    last = np.datetime64(pd.Timestamp(end).normalize() if end is not None else known.max(), "D")
    keep = start <= last
    stop = np.where(np.isnat(leave[keep]), last, np.minimum(leave[keep], last))
    days = (stop - start[keep]).astype("int64")
    return float(days.max() / people.DAYS_PER_MONTH) if len(days) else float("nan")


def survival_at(table: pd.DataFrame, months, max_months: float | None = None) -> pd.DataFrame:
    """The Kaplan–Meier estimate at given tenures.

    Parameters
    ----------
    table : DataFrame
        :func:`ccmetrics.people.survival`.
    months : sequence of float
        Tenures in months.
    max_months : float, optional
        The longest tenure observed (:func:`longest_tenure_months`): beyond it the curve is
        not estimated. Default: no limit.

    Returns
    -------
    DataFrame
        One row per tenure: ``tenure_months``, ``survival``, ``ci_lower``, ``ci_upper`` and
        ``at_risk`` of the last row of ``table`` at or before that tenure; all NaN beyond
        ``max_months``.

    Notes
    -----
    The estimate is a step function, constant between leavers:
    ``S(t) = S(t_i)`` for the largest leaver tenure ``t_i ≤ t`` (Kaplan–Meier); ``at_risk``
    is that row's n_i.

    Examples
    --------
    >>> table = pd.DataFrame({"tenure_months": [0.0, 2.0, 5.0], "survival": [1.0, 0.8, 0.4],
    ...     "ci_lower": [1.0, 0.5, 0.1], "ci_upper": [1.0, 0.95, 0.7], "at_risk": [5, 5, 2]})
    >>> survival_at(table, [1, 3, 6], max_months=5.5)["survival"].tolist()
    [1.0, 0.8, nan]
    """
    rows = []
    for month in months:
        before = table[table["tenure_months"] <= float(month)]
        known = len(before) > 0 and (max_months is None or float(month) <= max_months)
        row = {"tenure_months": float(month)}
        for column in ("survival", "ci_lower", "ci_upper", "at_risk"):
            row[column] = float(before[column].iloc[-1]) if known else np.nan
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- texts and rows


def _percent(value, lang: str) -> str:
    return i18n.format_number(value, "percent", lang)


def _pct_label() -> str:
    return f"{100 * LEVEL:g}%"


def attrition_text(block: PeopleBlock, lang: str) -> str:
    """The period's attrition in one sentence (or why there is none)."""
    row = block.summary
    start, last = block.start.strftime("%Y-%m-%d"), block.last.strftime("%Y-%m-%d")
    if not row["average_headcount"] > 0:
        return i18n.t("report.people.no_headcount", lang, start=start, end=last)
    return i18n.t(
        "report.people.attrition",
        lang,
        start=start,
        end=last,
        leavers=i18n.format_number(row["leavers"], "count", lang),
        headcount=f"{row['average_headcount']:.1f}",
        rate=_percent(row["attrition_rate"], lang),
        pct=_pct_label(),
        low=_percent(row["ci_lower"], lang),
        high=_percent(row["ci_upper"], lang),
        annual=_percent(row["annualised_rate"], lang),
        annual_low=_percent(row["annualised_lower"], lang),
        annual_high=_percent(row["annualised_upper"], lang),
    )


def monthly_rows(block: PeopleBlock, lang: str) -> tuple[list[str], list[list[str]]]:
    """Headers and formatted rows of the month-by-month attrition table (plain text)."""
    headers = [
        i18n.t(key, lang, pct=_pct_label())
        for key in (
            "people.col.period",
            "people.col.headcount_start",
            "people.col.headcount_end",
            "people.col.hires",
            "people.col.leavers",
            "people.col.average_headcount",
            "people.col.attrition_rate",
            "people.col.interval",
        )
    ]
    rows = []
    for row in block.monthly.itertuples(index=False):
        rows.append(
            [
                pd.Timestamp(row.period).strftime("%Y-%m"),
                i18n.format_number(row.headcount_start, "count", lang),
                i18n.format_number(row.headcount_end, "count", lang),
                i18n.format_number(row.hires, "count", lang),
                i18n.format_number(row.leavers, "count", lang),
                f"{row.average_headcount:.1f}",
                _percent(row.attrition_rate, lang),
                f"{_percent(row.ci_lower, lang)} – {_percent(row.ci_upper, lang)}",
            ]
        )
    return headers, rows


def tenure_kpis(table: pd.DataFrame) -> list[str]:
    """The :data:`TENURE_KPIS` with a value in some band of ``table``."""
    return [k for k in TENURE_KPIS if k in table.columns and table[k].notna().any()]


def tenure_rows(table: pd.DataFrame, lang: str) -> tuple[list[str], list[list[str]]]:
    """Headers and formatted rows of :func:`ccmetrics.people.kpis_by_tenure` (plain text)."""
    shown = tenure_kpis(table)
    headers = [i18n.t("dim.tenure_band", lang), i18n.t("people.agents", lang)]
    headers += [_kpi_name(name, lang) for name in shown]
    rows = [
        [str(row["tenure_band"]), i18n.format_number(row["agents"], "count", lang)]
        + [format_kpi(name, row[name], lang) for name in shown]
        for _, row in table.iterrows()
    ]
    return headers, rows


def _kpi_name(name: str, lang: str) -> str:
    from ccmetrics.report.text import _kpi_name as name_of

    return name_of(name, lang)


def _tenure_caption(block: PeopleBlock, lang: str) -> str:
    unmatched = block.tenure.attrs.get("unmatched_calls", 0)
    return i18n.t(
        "people.tenure_caption", lang, unmatched=i18n.format_number(unmatched, "count", lang)
    )


def _source_text(block: PeopleBlock, lang: str) -> str:
    return i18n.t(
        "report.people.source",
        lang,
        name=block.name or i18n.t("unit.missing", lang),
        agents=i18n.format_number(block.agents, "count", lang),
    )


# --------------------------------------------------------------------------- HTML


def people_html(block: PeopleBlock | None, lang: str) -> list[str]:
    """The block as HTML parts (a ``<section id="people">``); ``[]`` without a block."""
    if block is None:
        return []
    from ccmetrics.report.html import _e, _text_table_html

    parts = [f'<section id="people"><h2>{_e(i18n.t("people.title", lang))}</h2>']
    parts.append(f'<p class="muted">{_e(_source_text(block, lang))}</p>')
    parts.append(f"<p>{_e(attrition_text(block, lang))}</p>")
    if len(block.monthly) > 1:
        headers, rows = monthly_rows(block, lang)
        parts.append(_text_table_html(headers, rows, set(range(1, len(headers)))))
    parts.append(f"<h3>{_e(i18n.t('people.tenure_title', lang))}</h3>")
    if block.tenure is None:
        parts.append(f"<p>{_e(i18n.t('report.people.no_agent', lang))}</p>")
    else:
        headers, rows = tenure_rows(block.tenure, lang)
        parts.append(_text_table_html(headers, rows, set(range(1, len(headers)))))
        parts.append(f'<p class="muted">{_e(_tenure_caption(block, lang))}</p>')
    parts.append("</section>")
    return parts


# --------------------------------------------------------------------------- PPTX


def people_slide(slide, block: PeopleBlock, lang: str) -> None:
    """One slide: the period's attrition sentence and the KPIs by tenure band (the month
    table in the speaker notes)."""
    from pptx.util import Inches

    from ccmetrics.report.pptx import _pptx_table, _pptx_text, _slide_title

    _slide_title(slide, i18n.t("people.title", lang), _source_text(block, lang))
    box = _pptx_text(
        slide,
        Inches(0.5),
        Inches(1.45),
        Inches(12.3),
        Inches(0.9),
        [(attrition_text(block, lang), {"size": 15})],
    )
    notes = [attrition_text(block, lang)]
    top = box.top + Inches(1.0)
    if block.tenure is None:
        _pptx_text(
            slide,
            Inches(0.5),
            top,
            Inches(12.3),
            Inches(0.5),
            [i18n.t("report.people.no_agent", lang)],
            size=13,
        )
    else:
        title = (i18n.t("people.tenure_title", lang), {"size": 15, "bold": True})
        _pptx_text(slide, Inches(0.5), top, Inches(12.3), Inches(0.5), [title])
        headers, rows = tenure_rows(block.tenure, lang)
        _pptx_table(
            slide,
            Inches(0.5),
            top + Inches(0.55),
            Inches(12.3),
            headers,
            rows,
            size=12,
            numeric=set(range(1, len(headers))),
        )
        notes.append(_tenure_caption(block, lang))
    headers, rows = monthly_rows(block, lang)
    notes += [" | ".join(headers)] + [" | ".join(row) for row in rows]
    slide.notes_slide.notes_text_frame.text = "\n".join(notes)
