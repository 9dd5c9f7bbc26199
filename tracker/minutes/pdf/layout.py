"""The minutes' PDF styles and building blocks: text, headings that never end a page, and tables whose
rows move to the next page whole."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from tracker.core.pdf import (
    FONT,
    FONT_BOLD,
    OFFICIAL_SENSITIVE,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    PageFurniture,
    body_style,
    bold_style,
    render,
)

MARKING = OFFICIAL_SENSITIVE
NO_DISSENT = "No differing views were recorded."
LIGHT = colors.HexColor("#f3f2f1")


@cache
def styles() -> dict[str, ParagraphStyle]:
    body = body_style()
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10.5, spaceAfter=0),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8.5, leading=11, spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", parent=body, fontName=FONT_BOLD, fontSize=8.5, leading=11),
        "title": bold_style("title", body, 17, 22, spaceAfter=6),
        "h2": bold_style("h2", body, 13, 17, spaceBefore=10, spaceAfter=5),
        "h3": bold_style("h3", body, 10.5, 14, spaceBefore=7, spaceAfter=3),
        "h4": bold_style("h4", body, 9.5, 13, spaceBefore=4, spaceAfter=2),
        "statement": ParagraphStyle(
            "statement",
            parent=body,
            fontSize=8.5,
            leading=11.5,
            borderPadding=6,
            backColor=LIGHT,
            spaceBefore=6,
            spaceAfter=12,
        ),
    }


def text(value: str | None, style: str = "body", empty: str = "None recorded.") -> Paragraph:
    """A paragraph of what someone typed: escaped (it is not markup) with its line breaks kept."""
    value = (value or "").strip()
    if not value:
        return Paragraph(f'<font color="#505a5f">{escape(empty)}</font>', styles()[style])
    return Paragraph(escape(value).replace("\n", "<br/>"), styles()[style])


class Heading(Paragraph):
    """A heading that never ends a page: unless what follows it (`following`, set by `bind_headings`)
    can start on the same page, the heading moves to the next page with it."""

    following: Flowable | None = None

    def wrap(self, availWidth, availHeight):  # noqa: N803 (reportlab's names)
        width, height = super().wrap(availWidth, availHeight)
        room = availHeight - height - self.getSpaceAfter()
        at_top = availHeight >= TEXT_HEIGHT
        if not at_top and self.following is not None and not _starts_within(self.following, availWidth, room):
            # Say it is too tall for what is left: the frame asks to split it, `split` declines, and
            # the heading goes to the next page.
            return width, availHeight + 1
        return width, height

    def split(self, availWidth, availHeight):  # noqa: N803
        return []


def _starts_within(flowable: Flowable, width: float, room: float) -> bool:
    """Whether some of the flowable (all of it, or the first part of a split) fits in `room`."""
    if room <= 0:
        return False
    if flowable.wrap(width, room)[1] <= room:
        return True
    return bool(flowable.split(width, room))


def bind_headings(story: list[Flowable]) -> list[Flowable]:
    """Tell each heading what follows it, so that it stays with the start of it."""
    for flowable, following in zip(story, story[1:], strict=False):
        if isinstance(flowable, Heading):
            flowable.following = following
    return story


def render_marked(story: list[Flowable], *, running: str, draft: bool = False, what: str, **meta) -> bytes:
    """A case document as a PDF marked OFFICIAL-SENSITIVE on every page and in its subject (which says
    `what` it is), `running` at the head of each page, DRAFT across it if a draft; its headings kept with
    what follows them. `meta` is the PDF's title, author and keywords, as for `render`."""
    return render(
        bind_headings(story),
        subject=f"{MARKING}: {what}",
        furniture=PageFurniture(MARKING, running, draft),
        **meta,
    )


class RowTable(Table):
    """A table that breaks between rows, repeating its header row, and splits a row only when the row
    cannot fit on a page of its own.

    reportlab's own fallback (`splitInRow`) splits whichever row meets the foot of the page, so the rest
    of a table that had just broken between rows could start again under the part already placed: a
    second header row and the top lines of one row at the foot of the page.
    """

    def split(self, availWidth, availHeight):  # noqa: N803
        self._calc(availWidth, availHeight)
        # The first row that does not fit: split inside it only if it would not fit on a page either.
        row = self._getFirstPossibleSplitRowPosition(availHeight, ignoreSpans=1)
        header = sum(self._rowHeights[: self.repeatRows])
        too_tall = row < len(self._rowHeights) and header + self._rowHeights[row] > TEXT_HEIGHT
        return self._splitRows(availHeight, doInRowSplit=1 if too_tall else 0)


def heading(value: str, style: str, outline_level: int | None = None) -> Paragraph:
    paragraph = Heading(escape(value), styles()[style])
    paragraph.outline_level = outline_level  # type: ignore[attr-defined]
    paragraph.outline_title = value  # type: ignore[attr-defined]
    return paragraph


def table(header: list[str], rows: Iterable[list[str]], widths: list[float]) -> Table:
    """A table that repeats its header on every page it runs onto."""
    cell = styles()["cell"]
    data = [[Paragraph(escape(label), styles()["cell_head"]) for label in header]]
    data += [[Paragraph(escape(value or "").replace("\n", "<br/>"), cell) for value in row] for row in rows]
    result = RowTable(data, colWidths=[w * TEXT_WIDTH for w in widths], repeatRows=1)
    result.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.3, colors.HexColor("#b1b4b6")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return result


def facts(rows: list[tuple[str, str]]) -> Table:
    """A two-column list of labels and values (like a GOV.UK summary list)."""
    data = [
        [
            Paragraph(escape(label), styles()["cell_head"]),
            Paragraph(escape(value or "").replace("\n", "<br/>"), styles()["cell"]),
        ]
        for label, value in rows
    ]
    result = RowTable(data, colWidths=[0.3 * TEXT_WIDTH, 0.7 * TEXT_WIDTH])
    result.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, colors.HexColor("#b1b4b6")),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    return result
