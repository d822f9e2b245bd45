"""Chart settings shared by the pages' Altair charts."""

from __future__ import annotations

__all__ = ["HORIZONTAL_TITLE"]

#: y-axis titles written horizontally above the axis (Chinese reads badly rotated).
HORIZONTAL_TITLE = {
    "titleAngle": 0,
    "titleAnchor": "end",
    "titleAlign": "center",
    "titleBaseline": "bottom",
    "titleY": -12,
}
