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


def _page(certificate: Certificate, area: str, issued: date, styles) -> list:
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
    return lines


def certificates_pdf(certificates: list[Certificate], *, area: str, issued: date, title: str) -> bytes:
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
        story += _page(certificate, area, issued, styles)
    document.build(story, onFirstPage=_border, onLaterPages=_border)
    return buffer.getvalue()


def _border(canvas, document) -> None:
    canvas.saveState()
    canvas.setStrokeColor(colors.HexColor("#1d70b8"))
    canvas.setLineWidth(3)
    width, height = document.pagesize
    canvas.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)
    canvas.restoreState()
