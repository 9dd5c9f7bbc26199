"""Certificates of completion and attendance as PDF: one page per person, A4 landscape, real text.

The font is the tracker's own (tracker.core.pdf), shipped with the package and embedded as a subset, so
certificates look the same on any machine and print every letter of a person's name.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer
from reportlab.platypus.flowables import HRFlowable

from tracker.core.pdf import FONT, register_fonts
from tracker.core.pdf import FONT_BOLD as BOLD
from tracker.core.timeutil import format_date
from tracker.training import rules
from tracker.training.ics import calendar_title


@dataclass(frozen=True)
class Certificate:
    """What one certificate says."""

    kind: str  # "completion" or "attendance"
    name: str
    agency: str
    course: str
    event: str
    days: list[date]
    pillar: str | None
    cpd_minutes: int
    lived_experience: bool
    # The verification code as printed ("7KQ2M-XH93D").
    code: str | None = None

    @property
    def heading(self) -> str:
        return f"Certificate of {self.kind}"


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=13, leading=18, alignment=TA_CENTER)
    return {
        "area": ParagraphStyle("area", base, fontSize=12, textColor=colors.HexColor("#505a5f")),
        "heading": ParagraphStyle("heading", base, fontName=BOLD, fontSize=30, leading=38),
        "body": base,
        "name": ParagraphStyle("name", base, fontName=BOLD, fontSize=24, leading=32),
        "course": ParagraphStyle("course", base, fontName=BOLD, fontSize=18, leading=24),
        "small": ParagraphStyle("small", base, fontSize=10, leading=14, textColor=colors.HexColor("#505a5f")),
    }


def _page(certificate: Certificate, area: str, issued: date, styles, check_at: str) -> list:
    verb = "has completed" if certificate.kind == "completion" else "attended"
    lines = [
        Paragraph(escape(f"MAPPA {area} · Training and Research Sub-Group"), styles["area"]),
        Spacer(1, 10 * mm),
        Paragraph(escape(certificate.heading), styles["heading"]),
        Spacer(1, 8 * mm),
        Paragraph("This is to certify that", styles["body"]),
        Spacer(1, 4 * mm),
        Paragraph(escape(certificate.name), styles["name"]),
        Paragraph(escape(certificate.agency), styles["body"]),
        Spacer(1, 4 * mm),
        Paragraph(verb, styles["body"]),
        Spacer(1, 4 * mm),
        Paragraph(escape(certificate.course), styles["course"]),
        Paragraph(escape(certificate.event), styles["body"]),
    ]
    details = [rules.describe_days(certificate.days)]
    if certificate.pillar:
        details.append(f"Focus: {certificate.pillar}")
    if certificate.cpd_minutes:
        hours = rules.format_hours(certificate.cpd_minutes)
        details.append(f"{hours} CPD hour{'' if hours == '1' else 's'}")
    lines += [Spacer(1, 4 * mm), Paragraph(escape(" · ".join(d for d in details if d)), styles["body"])]
    if certificate.lived_experience:
        lines.append(
            Paragraph("Including a speaker with lived experience of the justice system", styles["small"])
        )
    lines += [
        Spacer(1, 14 * mm),
        HRFlowable(width="40%", color=colors.HexColor("#0b0c0c"), thickness=0.6),
        Paragraph(escape(f"For the Training and Research Sub-Group, MAPPA {area}"), styles["small"]),
        Paragraph(escape(f"Issued on {format_date(issued)}"), styles["small"]),
    ]
    if certificate.code:
        lines.append(
            Paragraph(
                escape(f"Verification code {certificate.code}: check it at {check_at}"), styles["small"]
            )
        )
    return lines


def certificates_pdf(
    certificates: list[Certificate], *, area: str, issued: date, title: str, check_at: str = ""
) -> bytes:
    """One PDF with a page for each certificate, titled and authored for document readers."""
    register_fonts()
    styles = _styles()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=22 * mm,
        bottomMargin=18 * mm,
        title=title,
        author=f"MAPPA {area} Training and Research Sub-Group",
        subject="MAPPA training certificate",
        creator="MAPPA Tracker",
        lang="en-GB",
        initialFontName=FONT,
    )
    story: list = []
    for number, certificate in enumerate(certificates):
        if number:
            story.append(PageBreak())
        story += _page(certificate, area, issued, styles, check_at)
    document.build(story, onFirstPage=_border, onLaterPages=_border)
    return buffer.getvalue()


def _border(canvas, document) -> None:
    canvas.saveState()
    canvas.setStrokeColor(colors.HexColor("#1d70b8"))
    canvas.setLineWidth(3)
    width, height = document.pagesize
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.restoreState()


# Sign-in sheets ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetRow:
    name: str
    agency: str
    role: str


def sign_in_sheet_pdf(
    rows: list[SheetRow], *, area: str, event: str, course: str, session: str, when: str, where: str
) -> bytes:
    """A register to sign in the room: a row per person with space for a signature and the times they
    arrived and left, and blank rows for anyone not on the list. Entered afterwards as marks taken from
    paper."""
    from reportlab.platypus import Table, TableStyle

    from tracker.core import pdf as core_pdf

    register_fonts()  # before any paragraph is made, so the bold face is known
    styles = _styles()
    cell = ParagraphStyle("cell", styles["body"], fontSize=9.5, leading=12, alignment=0)
    heading = ParagraphStyle("sheet-heading", styles["heading"], fontSize=18, leading=24, alignment=0)
    body = ParagraphStyle("sheet-body", styles["body"], fontSize=11, leading=15, alignment=0)
    # Named as the invitations name it: the event alone when its title already names the course.
    named = calendar_title(course, event)
    story: list = [
        Paragraph(escape(f"Sign-in sheet: {session}"), heading),
        Paragraph(escape(named), body),
        Paragraph(escape(" · ".join(part for part in (when, where) if part)), body),
        Spacer(1, 4 * mm),
    ]
    header = ["Name", "Agency", "Signature", "Arrived", "Left"]
    table_rows = [[Paragraph(f"<b>{text}</b>", cell) for text in header]]
    for row in rows:
        table_rows.append(
            [Paragraph(escape(row.name), cell), Paragraph(escape(row.agency), cell), "", "", ""]
        )
    table_rows += [["", "", "", "", ""] for _ in range(5)]
    width = core_pdf.TEXT_WIDTH
    table = Table(
        table_rows,
        colWidths=[width * 0.27, width * 0.27, width * 0.26, width * 0.1, width * 0.1],
        repeatRows=1,
        rowHeights=[None] + [9 * mm] * (len(table_rows) - 1),
    )
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#0b0c0c")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f3f2f1")),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("FONTNAME", (0, 0), (-1, -1), FONT),
            ]
        )
    )
    story.append(table)
    return core_pdf.render(
        story,
        title=f"Sign-in sheet: {named}, {session}",
        author=f"MAPPA {area} Training and Research Sub-Group",
        subject="MAPPA training sign-in sheet",
        furniture=core_pdf.PageFurniture(core_pdf.OFFICIAL, f"Sign-in sheet: {event}, {session}"),
    )
