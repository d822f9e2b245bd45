"""The HTML report and a slide in a real browser (Debian's Chromium through Playwright).

* The Chinese March report of the sample is opened from a file: it loads nothing from the
  network, and its Chinese text — headings, tables and the SVG charts — is drawn with a CJK
  font (the fonts Chromium actually used, read through the DevTools protocol), not as boxes
  (two different characters give two different images; missing-glyph boxes would not).
  A screenshot goes to ``test-artifacts/report_zh.png``.
* A finding slide of the English PowerPoint deck is drawn as HTML from the .pptx itself
  (every picture, text box and table at its position and size; LibreOffice is not needed)
  and saved as ``docs/screenshots/slide_example.png`` for the README.

Without Chromium these tests skip, except with ``CI=true``, where they fail.
"""

from __future__ import annotations

import base64
import html
import io

import pandas as pd
import pytest

from ccmetrics import io as ccio
from ccmetrics.report import FONT_STACK, build_report, report_html, report_pptx
from ccmetrics.sample import INCIDENTS, SAMPLE_DIR
from tests.browser.conftest import ARTIFACTS, SCREENSHOTS, unavailable
from tests.browser.helpers import fonts_used_for

pytestmark = pytest.mark.browser

CALLS = SAMPLE_DIR / "calls.parquet"
INTERVALS = SAMPLE_DIR / "intervals.csv"
WEATHER = SAMPLE_DIR / "weather.csv"
CJK_FAMILIES = ("CJK", "Noto Sans SC", "Source Han", "WenQuanYi", "YaHei", "PingFang")
SLIDE_WIDTH_PX = 1280


@pytest.fixture(scope="module")
def sample():
    if not (CALLS.exists() and INTERVALS.exists() and WEATHER.exists()):
        unavailable("sample data not generated yet (make sample)")
    return {
        "calls": ccio.load(CALLS).frame,
        "intervals": ccio.load(INTERVALS).frame,
        "weather": pd.read_csv(WEATHER),
    }


def test_chinese_report_is_self_contained_and_drawn_with_a_cjk_font(browser, sample, tmp_path):
    built = build_report(
        sample["calls"],
        start="2025-03-01",
        end="2025-04-01",
        lang="zh",
        intervals=sample["intervals"],
        drivers=sample["weather"],
        notes={INCIDENTS["surge"]["first_date"]: "流量套餐优惠短信发出前未通知呼叫中心"},
        source="calls.parquet",
    )
    path = tmp_path / "report_zh.html"
    path.write_text(report_html(built), encoding="utf-8")
    page = browser.new_page(viewport={"width": 1100, "height": 1400})
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(path.as_uri(), wait_until="load")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "report_zh.png"), full_page=True)

    # Nothing but the file itself: no network needed to open the report.
    assert requested == [path.as_uri()]
    assert page.locator("figure svg").count() == len(built.all_charts)
    assert page.locator("article.finding").count() == len(built.findings)

    # Chinese text in HTML and inside the SVG charts is drawn with a CJK font.
    for selector in ("h1", "#kpis tbody td", "article.finding h3", "figure svg text"):
        fonts = fonts_used_for(page, selector, pierce=True)
        assert any(name in family for family in fonts for name in CJK_FAMILIES), (selector, fonts)

    # Boxes would look alike: two different characters must give two different images.
    page.set_content(
        f'<div style="font-family:{html.escape(FONT_STACK)};font-size:48px">'
        '<span id="a">服务</span> <span id="b">水平</span> '
        '<span id="c">\U000f0000\U000f0001</span></div>'
    )
    first, second, missing = (page.locator(f"#{k}").screenshot() for k in "abc")
    assert first != second and missing not in (first, second)
    page.close()


# --------------------------------------------------------------------------- slide thumbnail


def _runs_html(paragraph, px_per_pt: float, default_color: str = "#1d1d1f") -> str:
    spans = []
    for run in paragraph.runs:
        size = (run.font.size.pt if run.font.size else 18) * px_per_pt
        color = default_color
        if run.font.color is not None and run.font.color.type is not None:
            color = f"#{run.font.color.rgb}"
        weight = 700 if run.font.bold else 400
        spans.append(
            f'<span style="font-size:{size:.1f}px;font-weight:{weight};color:{color}">'
            f"{html.escape(run.text)}</span>"
        )
    return "".join(spans)


def slide_html(slide, slide_width: int, slide_height: int, width_px: int = SLIDE_WIDTH_PX) -> str:
    """Draw one python-pptx slide as HTML: pictures, text boxes and tables where they are."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE
    from pptx.enum.text import PP_ALIGN

    scale = width_px / slide_width
    px_per_pt = width_px / (slide_width / 914400) / 72  # 914,400 EMU per inch
    parts = []

    def place(shape) -> str:
        return (
            f"position:absolute;left:{shape.left * scale:.1f}px;top:{shape.top * scale:.1f}px;"
            f"width:{shape.width * scale:.1f}px;"
        )

    for shape in slide.shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
            data = base64.b64encode(shape.image.blob).decode("ascii")
            parts.append(
                f'<img style="{place(shape)}height:{shape.height * scale:.1f}px" '
                f'src="data:image/png;base64,{data}">'
            )
        elif shape.has_table:
            rows = []
            for index, row in enumerate(shape.table.rows):
                cells = []
                for cell in row.cells:
                    paragraph = cell.text_frame.paragraphs[0]
                    align = "right" if paragraph.alignment == PP_ALIGN.RIGHT else "left"
                    # PowerPoint's default table style: white bold header on accent blue, banded rows.
                    background = (
                        "#4472c4" if index == 0 else ("#e9edf4" if index % 2 else "#ffffff")
                    )
                    color = "#ffffff" if index == 0 else "#1d1d1f"
                    cells.append(
                        f'<td style="padding:2px 8px;text-align:{align};background:{background};'
                        f'border-bottom:1px solid #ffffff">{_runs_html(paragraph, px_per_pt, color)}</td>'
                    )
                rows.append(f"<tr>{''.join(cells)}</tr>")
            parts.append(
                f'<table style="{place(shape)}border-collapse:collapse">{"".join(rows)}</table>'
            )
        elif shape.has_text_frame:
            paragraphs = "".join(
                f'<p style="margin:0 0 {6 * px_per_pt:.1f}px;line-height:1.25">'
                f"{_runs_html(p, px_per_pt)}</p>"
                for p in shape.text_frame.paragraphs
            )
            parts.append(f'<div style="{place(shape)}">{paragraphs}</div>')
    height_px = round(slide_height * scale)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0}'
        f".slide{{position:relative;width:{width_px}px;height:{height_px}px;background:#fff;"
        f"overflow:hidden;font-family:{FONT_STACK}}}</style></head>"
        f'<body><div class="slide">{"".join(parts)}</div></body></html>'
    )


def test_finding_slide_thumbnail_for_the_readme(browser, sample):
    from PIL import Image
    from pptx import Presentation

    surge = INCIDENTS["surge"]["first_date"]
    built = build_report(
        sample["calls"],
        start="2025-03-01",
        end="2025-04-01",
        findings=[surge],
        intervals=sample["intervals"],
        drivers=sample["weather"],
        notes={
            surge: "Data-plan offer sent without telling the call center; next time: +12 agents 09:00-12:00."
        },
        source="calls.parquet",
    )
    deck = Presentation(io.BytesIO(report_pptx(built)))
    slide = list(deck.slides)[2 + len(built.charts)]  # title, KPIs, charts, then the finding
    assert built.findings[0].title in "\n".join(
        shape.text_frame.text for shape in slide.shapes if shape.has_text_frame
    )
    page = browser.new_page(viewport={"width": SLIDE_WIDTH_PX, "height": 720})
    page.set_content(slide_html(slide, deck.slide_width, deck.slide_height))
    page.wait_for_load_state("load")
    assert page.locator("img").count() == 1
    assert page.evaluate("document.querySelector('img').naturalWidth") > 1000
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / "slide_example.png"
    page.screenshot(path=str(target))
    page.close()
    image = Image.open(target).convert("RGB")
    assert image.size == (SLIDE_WIDTH_PX, 720)
    assert len(image.getcolors(maxcolors=1 << 20)) > 200  # chart, text and table, not blank
