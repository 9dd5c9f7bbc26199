"""What every PDF the tracker makes shares: the embedded font and the marked, numbered A4 page.

DejaVu Sans (shipped in tracker/core/data with its licence) covers the accented letters of people's
names that reportlab's built-in fonts lack, and reportlab embeds the subset each document uses.

`render` lays a platypus story out on A4 pages that carry the document's protective marking at top and
bottom, a running title and "Page N of M" (a draft also says DRAFT across every page), with the document
metadata (title, author, subject) that readers and screen readers show, and a PDF outline from the
headings that ask for one (a flowable with `outline_level` and `outline_title`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdf_canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONT_FOLDER = Path(__file__).resolve().parent / "data"

OFFICIAL = "OFFICIAL"
OFFICIAL_SENSITIVE = "OFFICIAL-SENSITIVE"
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 18 * mm
TOP_MARGIN = 22 * mm
BOTTOM_MARGIN = 20 * mm
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
# The height of a page's text frame: what a flowable on a page of its own has to fit in.
TEXT_HEIGHT = PAGE_HEIGHT - TOP_MARGIN - BOTTOM_MARGIN
GREY = colors.HexColor("#505a5f")


@cache
def register_fonts() -> None:
    """Register the font family with reportlab, once per process."""
    pdfmetrics.registerFont(TTFont(FONT, str(FONT_FOLDER / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONT_FOLDER / "DejaVuSans-Bold.ttf")))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


def body_style() -> ParagraphStyle:
    """The running text of the tracker's reports and records, the parent of their other styles."""
    register_fonts()
    return ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, spaceAfter=4)


def bold_style(name: str, body: ParagraphStyle, size: float, leading: float, **space) -> ParagraphStyle:
    """A bold style on the body text (a title, a heading, a table's head), with any `spaceBefore` and
    `spaceAfter` of its own."""
    return ParagraphStyle(name, parent=body, fontName=FONT_BOLD, fontSize=size, leading=leading, **space)


@dataclass(frozen=True)
class PageFurniture:
    """What every page carries besides the content."""

    marking: str
    running_title: str
    draft: bool = False


def numbered_canvas(furniture: PageFurniture) -> type[pdf_canvas.Canvas]:
    """A canvas class that holds back each page until the end, so every page can say "Page N of M"."""

    class NumberedCanvas(pdf_canvas.Canvas):
        def __init__(self, *args, **kwargs):
            # Start every page in the embedded font, so no unembedded Helvetica is referenced.
            kwargs["initialFontName"] = FONT
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 (reportlab's name)
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                draw_furniture(self, furniture, number, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def draw_furniture(canvas: pdf_canvas.Canvas, furniture: PageFurniture, number: int, total: int) -> None:
    if furniture.draft:
        # Drawn over the content, so light and see-through enough to leave the text readable.
        canvas.saveState()
        canvas.setFillColor(colors.Color(0.6, 0.6, 0.6, alpha=0.25))
        canvas.setFont(FONT_BOLD, 110)
        canvas.translate(PAGE_WIDTH / 2, PAGE_HEIGHT / 2)
        canvas.rotate(50)
        canvas.drawCentredString(0, -40, "DRAFT")
        canvas.restoreState()
    canvas.saveState()
    canvas.setFillColor(colors.black)
    canvas.setFont(FONT_BOLD, 11)
    canvas.drawCentredString(PAGE_WIDTH / 2, PAGE_HEIGHT - 10 * mm, furniture.marking)
    canvas.drawCentredString(PAGE_WIDTH / 2, 8 * mm, furniture.marking)
    canvas.setFont(FONT, 8)
    canvas.setFillColor(GREY)
    canvas.drawString(MARGIN, PAGE_HEIGHT - 15 * mm, furniture.running_title)
    canvas.drawRightString(PAGE_WIDTH - MARGIN, 13 * mm, f"Page {number} of {total}")
    canvas.setStrokeColor(GREY)
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN, PAGE_HEIGHT - 16.5 * mm, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - 16.5 * mm)
    canvas.restoreState()


class MarkedDocument(BaseDocTemplate):
    """A4 pages with room for the marking, and a PDF outline from the headings that ask for one."""

    def __init__(self, buffer: io.BytesIO, *, title: str, author: str, subject: str, keywords: list[str]):
        super().__init__(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=TOP_MARGIN,
            bottomMargin=BOTTOM_MARGIN,
            title=title,
            author=author,
            subject=subject,
            creator="MAPPA Tracker",
            keywords=keywords,
            lang="en-GB",
        )
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="content",
        )
        self.addPageTemplates([PageTemplate(id="page", frames=[frame])])
        self._outline_keys = 0

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 (reportlab's name)
        level = getattr(flowable, "outline_level", None)
        if level is None:
            return
        self._outline_keys += 1
        key = f"h{self._outline_keys}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.outline_title, key, level=level, closed=level > 0)


def render(
    story: list[Flowable],
    *,
    title: str,
    author: str,
    subject: str,
    furniture: PageFurniture,
    keywords: tuple[str, ...] = ("MAPPA",),
) -> bytes:
    """The story as a PDF of marked, numbered A4 pages."""
    register_fonts()
    buffer = io.BytesIO()
    document = MarkedDocument(
        buffer, title=title, author=author, subject=subject, keywords=[furniture.marking, *keywords]
    )
    document.build(story, canvasmaker=numbered_canvas(furniture))
    return buffer.getvalue()
