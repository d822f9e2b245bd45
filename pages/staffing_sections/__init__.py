"""The sections of the Staffing page (``pages/staffing_page.py`` calls them in order).

Each section reads the page state, calls ``ccmetrics.staffing`` or ``ccmetrics.forecast``
and draws; no statistics here. One module per part of the page:

=============  ==============================================================
``shared``     codes, formats, the plan test, ``DayAnalysis``, ``CAUSE_KEYS``
``sources``    where the plan and the drivers come from, their uploaders
``day``        the day: model picker, story, notes, tiles, waterfall,
               intervals, interval classes
``whatif``     the what-if inputs, boxes and curves
``demand``     forecast accuracy, the app's own forecast, daily drivers
``charts``     the Altair charts the sections draw
=============  ==============================================================
"""

from __future__ import annotations

from pages.staffing_sections.day import (
    classes_section,
    day_and_model,
    intervals_section,
    scope_notes_section,
    story_section,
    tiles_section,
    waterfall_section,
)
from pages.staffing_sections.demand import (
    accuracy_section,
    drivers_section,
    own_forecast_section,
)
from pages.staffing_sections.shared import CAUSE_KEYS
from pages.staffing_sections.sources import plan_source, uploads_section
from pages.staffing_sections.whatif import whatif_section

__all__ = [
    "CAUSE_KEYS",
    "plan_source",
    "uploads_section",
    "day_and_model",
    "story_section",
    "scope_notes_section",
    "tiles_section",
    "waterfall_section",
    "intervals_section",
    "classes_section",
    "whatif_section",
    "accuracy_section",
    "own_forecast_section",
    "drivers_section",
]
