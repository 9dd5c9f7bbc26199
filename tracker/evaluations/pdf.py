"""An evaluation's results as a PDF summary: A4, real text, a bar and the numbers for every answer.

Pages are the tracker's marked, numbered A4 pages (`tracker.core.pdf`), marked OFFICIAL: the summary holds
no case data, and free-text answers appear without names because it goes to the Board.
"""

from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from tracker.core.pdf import FONT, GREY, OFFICIAL, PageFurniture, register_fonts, render
from tracker.core.pdf import FONT_BOLD as BOLD
from tracker.core.timeutil import format_date
from tracker.evaluations import rules
from tracker.evaluations.models import QuestionKind
from tracker.evaluations.queries import QuestionResult, Results

# Free-text answers printed per question; the rest are on the results pages and in the CSV.
TEXTS_IN_PDF = 25
BLUE = colors.HexColor("#1d70b8")
LIGHT = colors.HexColor("#b1b4b6")
BAR_WIDTH = 55 * mm


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=10, leading=14)
    return {
        "body": base,
        "small": ParagraphStyle("small", base, fontSize=9, leading=12, textColor=GREY),
        "title": ParagraphStyle("title", base, fontName=BOLD, fontSize=20, leading=26, spaceAfter=4),
        "section": ParagraphStyle("section", base, fontName=BOLD, fontSize=14, leading=18, spaceBefore=10),
        "question": ParagraphStyle("question", base, fontName=BOLD, fontSize=11, leading=15, spaceBefore=8),
        "cell": ParagraphStyle("cell", base, fontSize=9, leading=11),
        "quote": ParagraphStyle("quote", base, fontSize=9, leading=12, leftIndent=6 * mm, spaceAfter=3),
    }


def _bar(scale: float) -> Drawing:
    drawing = Drawing(BAR_WIDTH, 9)
    drawing.add(Rect(0, 1, BAR_WIDTH, 7, fillColor=colors.HexColor("#f3f2f1"), strokeColor=None))
    if scale > 0:
        drawing.add(Rect(0, 1, max(1.0, BAR_WIDTH * scale), 7, fillColor=BLUE, strokeColor=None))
    return drawing


def _question(result: QuestionResult, styles) -> list:
    question = result.question
    parts = [Paragraph(escape(question.text), styles["question"])]
    summary = f"Answered by {result.answered}"
    if question.kind is QuestionKind.RATING and result.answered:
        summary += (
            f" · mean {rules.one_decimal(result.mean)} · median {rules.one_decimal(result.median)} (1 to 5)"
        )
    parts.append(Paragraph(escape(summary), styles["small"]))
    if result.bars:
        rows = [["Answer", "Number", "Share", ""]]
        rows += [
            [
                Paragraph(escape(bar.label), styles["cell"]),
                str(bar.count),
                rules.percent(bar.share),
                _bar(bar.scale),
            ]
            for bar in result.bars
        ]
        table = Table(rows, colWidths=[62 * mm, 18 * mm, 16 * mm, BAR_WIDTH + 4 * mm], hAlign="LEFT")
        table.setStyle(
            TableStyle(
                [
                    ("FONT", (0, 0), (-1, -1), FONT, 9),
                    ("FONT", (0, 0), (-1, 0), BOLD, 9),
                    ("ALIGN", (1, 0), (2, -1), "RIGHT"),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.3, LIGHT),
                ]
            )
        )
        parts += [Spacer(1, 2 * mm), table]
    elif question.kind is QuestionKind.FREE_TEXT:
        for answer in result.texts:
            parts.append(Paragraph("“" + escape(answer.text).replace("\n", "<br/>") + "”", styles["quote"]))
        if result.answered > len(result.texts):
            more = result.answered - len(result.texts)
            parts.append(Paragraph(f"{more} more answers are on the results pages.", styles["small"]))
        if not result.answered:
            parts.append(Paragraph("No answers.", styles["small"]))
    return [KeepTogether(parts[:4]), *parts[4:]]


def results_pdf(results: Results, *, area: str, issued: date) -> bytes:
    """The results of one evaluation, titled and authored for document readers."""
    register_fonts()
    styles = _styles()
    evaluation, event = results.evaluation, results.evaluation.event
    rate = results.rate
    story = [
        Paragraph(escape(f"MAPPA {area} · Training and Research Sub-Group"), styles["small"]),
        Paragraph("Evaluation results", styles["title"]),
        Paragraph(escape(event.title), styles["section"]),
        Paragraph(
            escape(
                f"{format_date(event.starts_at)} · {results.form.label} · "
                f"closes {format_date(evaluation.closes_on)}"
            ),
            styles["small"],
        ),
        Spacer(1, 3 * mm),
        Paragraph(
            escape(
                f"Responses: {rate.responses} of {rate.invited} people sent a link "
                f"(response rate {rules.percent(rate.rate)})."
            ),
            styles["body"],
        ),
    ]
    for section in results.form.sections:
        story.append(Paragraph(escape(section.title), styles["section"]))
        for question in section.questions:
            story += _question(results.questions[question.id], styles)
    story += [Spacer(1, 6 * mm), Paragraph(escape(f"Produced on {format_date(issued)}."), styles["small"])]
    title = f"Evaluation results: {event.title}"
    return render(
        story,
        title=title,
        author=f"MAPPA {area} Training and Research Sub-Group",
        subject=f"Evaluation results, {results.form.label}",
        keywords=("MAPPA", "evaluation"),
        furniture=PageFurniture(OFFICIAL, title),
    )
