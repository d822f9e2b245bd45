"""The report's "caller's journey" block: the stages of a call and the IVR menu.

:func:`journey_block` gathers, for the calls of the report's period, the tables of
:mod:`ccmetrics.journey` (:func:`~ccmetrics.journey.journey_stages`,
:func:`~ccmetrics.journey.menu_ranking`, :func:`~ccmetrics.journey.topic_ranking`), the
same functions the Overview's journey section calls; :func:`journey_html` and
:func:`journey_slide` lay them out. The block is absent (None) when the data has no IVR
column with a value. Menu options and topics come from the data: the HTML escapes them,
the slides hold them as plain text.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ccmetrics import i18n, journey
from ccmetrics.cube import frame_kind
from ccmetrics.schema import KpiSettings

__all__ = ["MENU_ROWS", "JourneyBlock", "journey_block", "journey_html", "journey_slide"]

#: Top-level menu options shown at most (ranked by the calls agents answered).
MENU_ROWS = 8


@dataclass
class JourneyBlock:
    """The caller's journey over the report's period.

    Attributes
    ----------
    stages : DataFrame
        :func:`ccmetrics.journey.journey_stages` of the period's calls.
    menu : DataFrame or None
        The top-level rows of :func:`ccmetrics.journey.menu_ranking` (``level == "top"``),
        by rank; None when no call has a menu path.
    topics : DataFrame or None
        :func:`ccmetrics.journey.topic_ranking` with ``top`` = the number of top-level
        options; None without both a topic (``category``) and a menu path.
    top_options : int
        Top-level options the calls chose (the places the menu's first level has).
    queue_filter : bool
        A queue filter is on (IVR-only calls carry no queue and are left out).
    """

    stages: pd.DataFrame
    menu: pd.DataFrame | None = None
    topics: pd.DataFrame | None = None
    top_options: int = 0
    queue_filter: bool = False

    @property
    def flagged(self) -> pd.DataFrame | None:
        """The topics that belong higher in the menu (rows of :attr:`topics`)."""
        if self.topics is None:
            return None
        return self.topics[self.topics["belongs_higher"].to_numpy(dtype=bool)]


def journey_block(
    period_rows: pd.DataFrame, settings: KpiSettings, filters: dict | None = None
) -> JourneyBlock | None:
    """The journey of the period's calls, or None when the data has no IVR.

    Parameters
    ----------
    period_rows : DataFrame
        Canonical calls of the report's period (filters applied).
    settings : KpiSettings
        ``short_abandon_s`` splits the queue's short abandons.
    filters : dict, optional
        The report's filters (a queue filter is noted).

    Returns
    -------
    JourneyBlock or None
        None for interval data or calls without any IVR column with a value.
    """
    if frame_kind(period_rows) != "calls" or not journey.has_ivr(period_rows):
        return None
    stages = journey.journey_stages(period_rows, settings)
    has_path = "ivr_path" in period_rows.columns and period_rows["ivr_path"].notna().any()
    menu = topics = None
    top_options = 0
    if has_path:
        ranking = journey.menu_ranking(period_rows)
        menu = ranking[ranking["level"] == "top"].reset_index(drop=True)
        top_options = len(menu)
        has_topics = "category" in period_rows.columns and period_rows["category"].notna().any()
        if has_topics:
            topics = journey.topic_ranking(period_rows, top=top_options)
    return JourneyBlock(
        stages=stages,
        menu=menu,
        topics=topics,
        top_options=top_options,
        queue_filter=bool((filters or {}).get("queue")),
    )


# --------------------------------------------------------------------------- rows


def _percent(value, lang: str) -> str:
    return i18n.format_number(value, "percent", lang)


def _count(value, lang: str) -> str:
    return i18n.format_number(value, "count", lang)


def _seconds(value, lang: str) -> str:
    return i18n.format_number(value, "seconds", lang)


def stage_rows(block: JourneyBlock, lang: str) -> tuple[list[str], list[list[str]]]:
    """Headers and formatted rows of the stage table (plain text)."""
    headers = [
        i18n.t(f"report.journey.col.{name}", lang)
        for name in ("stage", "entered", "lost", "lost_share", "contained", "mean", "time_n")
    ]
    rows = [
        [
            i18n.t(f"journey.stage.{row.stage}", lang),
            _count(row.entered, lang),
            _count(row.lost, lang),
            _percent(row.lost_share, lang),
            _percent(row.contained_share, lang)
            if pd.notna(row.contained_share)
            else i18n.t("unit.missing", lang),
            _seconds(row.mean_s, lang),
            _count(row.time_n, lang),
        ]
        for row in block.stages.itertuples(index=False)
    ]
    return headers, rows


def menu_rows(block: JourneyBlock, lang: str) -> tuple[list[str], list[list[str]]]:
    """Headers and formatted rows of the top menu options (plain text, at most MENU_ROWS)."""
    headers = [
        i18n.t(key, lang)
        for key in (
            "journey.col.rank",
            "journey.col.option",
            "journey.col.entered",
            "journey.col.containment",
            "journey.col.interval",
            "journey.col.agent_handled",
            "journey.col.agent_share",
        )
    ]
    rows = []
    for row in block.menu.head(MENU_ROWS).itertuples(index=False):
        interval = (
            f"{_percent(row.containment_low, lang)} – {_percent(row.containment_high, lang)}"
            if pd.notna(row.containment_low)
            else i18n.t("unit.missing", lang)
        )
        rows.append(
            [
                str(int(row.rank)),
                str(row.option),
                _count(row.entered, lang),
                _percent(row.containment, lang),
                interval,
                _count(row.agent_handled, lang),
                _percent(row.agent_share, lang),
            ]
        )
    return headers, rows


def topic_sentences(block: JourneyBlock, lang: str) -> list[str]:
    """One sentence per topic that belongs higher; the "menu follows the volume" sentence
    when none does; the "no topics" sentence without a topic table."""
    if block.topics is None:
        return [i18n.t("journey.no_topics", lang)]
    flagged = block.flagged
    if flagged.empty:
        return [i18n.t("journey.none_flagged", lang)]
    return [
        i18n.t(
            "report.journey.topic_flagged",
            lang,
            topic=str(row.category),
            rank=int(row.rank),
            depth=int(row.depth),
            easier=str(row.easier_topic),
            easier_depth=int(row.easier_depth),
        )
        for row in flagged.itertuples(index=False)
    ]


def _menu_note(block: JourneyBlock, lang: str) -> str:
    if block.menu is None or len(block.menu) <= MENU_ROWS:
        return ""
    return i18n.t("report.journey.menu_more", lang, shown=MENU_ROWS, total=len(block.menu))


# --------------------------------------------------------------------------- HTML


def journey_html(block: JourneyBlock | None, lang: str) -> list[str]:
    """The block as HTML parts (a ``<section id="journey">``); ``[]`` without a block."""
    if block is None:
        return []
    from ccmetrics.report.html import _e, _text_table_html

    parts = [f'<section id="journey"><h2>{_e(i18n.t("journey.title", lang))}</h2>']
    parts.append(f'<p class="muted">{_e(i18n.t("report.journey.intro", lang))}</p>')
    if block.queue_filter:
        parts.append(f'<p class="muted">{_e(i18n.t("journey.queue_filter", lang))}</p>')
    headers, rows = stage_rows(block, lang)
    parts.append(_text_table_html(headers, rows, {1, 2, 3, 4, 5, 6}))
    for key in ("journey.time_help", "journey.lost_help"):
        parts.append(f'<p class="muted">{_e(i18n.t(key, lang))}</p>')
    if block.menu is None:
        parts.append(f"<p>{_e(i18n.t('cli.journey.no_menu', lang))}</p>")
    else:
        parts.append(f"<h3>{_e(i18n.t('report.journey.menu_title', lang))}</h3>")
        headers, rows = menu_rows(block, lang)
        parts.append(_text_table_html(headers, rows, {0, 2, 3, 4, 5, 6}))
        note = _menu_note(block, lang)
        parts.append(f'<p class="muted">{_e(i18n.t("journey.menu_help", lang))} {_e(note)}</p>')
        parts.append(f"<h3>{_e(i18n.t('report.journey.topics_title', lang))}</h3>")
        if block.topics is not None:
            rule = i18n.t("journey.topics_rule", lang, top=block.top_options)
            parts.append(f'<p class="muted">{_e(rule)}</p>')
        items = "".join(f"<li>{_e(text)}</li>" for text in topic_sentences(block, lang))
        parts.append(f'<ul class="topics">{items}</ul>')
    parts.append("</section>")
    return parts


# --------------------------------------------------------------------------- PPTX


def journey_slide(slide, block: JourneyBlock, lang: str) -> None:
    """One slide: the stage table, the top menu options and the topics that belong higher
    (the rule and the menu's help text in the speaker notes)."""
    from pptx.util import Inches

    from ccmetrics.report.pptx import _pptx_table, _pptx_text, _slide_title

    _slide_title(slide, i18n.t("journey.title", lang), i18n.t("report.journey.intro", lang))
    headers, rows = stage_rows(block, lang)
    stages = _pptx_table(
        slide,
        Inches(0.5),
        Inches(1.45),
        Inches(12.3),
        headers,
        rows,
        size=11,
        numeric={1, 2, 3, 4, 5, 6},
    )
    top = stages.top + stages.height + Inches(0.2)
    notes = [i18n.t("journey.time_help", lang), i18n.t("journey.lost_help", lang)]
    if block.menu is None:
        _pptx_text(
            slide,
            Inches(0.5),
            top,
            Inches(12.3),
            Inches(0.5),
            [i18n.t("cli.journey.no_menu", lang)],
            size=12,
        )
    else:
        headers, rows = menu_rows(block, lang)
        _pptx_table(
            slide,
            Inches(0.5),
            top,
            Inches(7.4),
            headers,
            rows[:6],
            size=10,
            numeric={0, 2, 3, 4, 5, 6},
        )
        sentences = [(text, {"bullet": True, "size": 12}) for text in topic_sentences(block, lang)]
        title = (i18n.t("report.journey.topics_title", lang), {"size": 13, "bold": True})
        _pptx_text(slide, Inches(8.1), top, Inches(4.8), Inches(3.0), [title, *sentences[:5]])
        notes += [i18n.t("report.journey.menu_title", lang), i18n.t("journey.menu_help", lang)]
        if block.topics is not None:
            notes.append(i18n.t("journey.topics_rule", lang, top=block.top_options))
        notes += [text for text, _style in sentences]
    slide.notes_slide.notes_text_frame.text = "\n\n".join(notes)
