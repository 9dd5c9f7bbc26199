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

from tracker.core.pdf import FONT, GREY, OFFICIAL, TEXT_WIDTH, PageFurniture, register_fonts, render
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


def _question(result: QuestionResult, styles, still_open: bool = False) -> list:
    question = result.question
    parts = [Paragraph(escape(question.text), styles["question"])]
    summary = f"Answered by {result.answered}"
    if result.withheld:
        return [*parts, Paragraph(escape(f"{summary} · too few answers to show"), styles["small"])]
    if question.kind is QuestionKind.RATING and result.answered:
        summary += (
            f" · mean {rules.one_decimal(result.mean)} · median {rules.one_decimal(result.median)} (1 to 5)"
        )
    since = f" given since it reopened on {result.held_since:%-d %B %Y}" if result.held_since else ""
    if result.held_back and still_open:  # the count would tell whether the newest anonymous person answered
        summary += f" · anonymous answers{since} held back until the evaluation closes"
    elif result.held_back:
        answers = "answer" if result.held_back == 1 else "answers"
        summary += f" · {result.held_back} anonymous {answers}{since} held back"
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


def held_back_note(count: int, minimum: int, closes_on: date | None = None, since: date | None = None) -> str:
    """What the summary says of the anonymous answers held back (`rules.anonymous_shown`); `closes_on`
    while the evaluation is still open; `since`, the day it reopened, when they were given since."""
    who = ("1 person" if count == 1 else f"{count} people") + " answered anonymously"
    again, beside = "", "the named answers"
    if since:
        who += f" since the evaluation reopened on {since:%-d %B %Y}"
        again, beside = " since it reopened", beside + " and the results as they were before it reopened"
    if closes_on is None:
        return (
            f"{who}: held back from this summary until at least {minimum} people have answered "
            f"anonymously{again}, since so few could be traced to who gave them beside {beside}."
        )
    also = f" and at least {minimum} people have answered anonymously{again}" if count < minimum else ""
    return (
        f"{who}: held back from this summary until the evaluation closes on "
        f"{closes_on:%-d %B %Y}{also}, since while it is open each new anonymous answer could be told from "
        "what changed between two copies."
    )


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
                f"{'closes' if rules.is_open(evaluation.closes_on, issued) else 'closed'} "
                f"{format_date(evaluation.closes_on)}"
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
    if held := results.held_back:
        closes_on = results.evaluation.closes_on if results.still_open else None
        note = held_back_note(held.count, results.minimum, closes_on, held.since)
        story.append(Paragraph(escape(note), styles["body"]))
    for section in results.form.sections:
        if not section.questions:  # a heading with nothing under it
            continue
        story.append(Paragraph(escape(section.title), styles["section"]))
        for question in section.questions:
            story += _question(results.questions[question.id], styles, results.still_open)
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


# Comparing events ----------------------------------------------------------------------------------


def _comparison_table(compared, comparison, styles) -> Table:
    """One measure across the events: a column per event, a row per figure."""
    question = compared.question

    def cell(text: str) -> Paragraph:
        return Paragraph(escape(text), styles["cell"])

    def figure(index: int, value) -> str:
        if compared.by_event[index] is None:
            return "Not asked"
        if compared.withheld[index]:
            return "Too few answers to show"
        return value(compared.by_event[index])

    events = range(len(comparison.evaluations))
    rows = [[cell("")] + [cell(e.event.title) for e in comparison.evaluations]]
    rows.append([cell("Answered by")] + [cell(figure(i, lambda r: str(r.answered))) for i in events])
    if question.kind is QuestionKind.RATING:
        rows.append(
            [cell("Mean (1 to 5)")] + [cell(figure(i, lambda r: rules.one_decimal(r.mean))) for i in events]
        )
        rows.append(
            [cell("Median")] + [cell(figure(i, lambda r: rules.one_decimal(r.median))) for i in events]
        )
    for label in compared.labels:

        def count(result, label=label) -> str:
            bar = next((b for b in result.bars if b.label == label), None)
            return "–" if bar is None else f"{bar.count} ({rules.percent(bar.share)})"

        rows.append([cell(label)] + [cell(figure(i, count)) for i in events])
    width = (TEXT_WIDTH - 50 * mm) / max(len(comparison.evaluations), 1)
    table = Table(
        rows, colWidths=[50 * mm] + [width] * len(comparison.evaluations), hAlign="LEFT", repeatRows=1
    )
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.3, LIGHT),
                ("LINEBELOW", (0, 0), (-1, 0), 0.8, GREY),
            ]
        )
    )
    return table


def _wordings(compared, comparison, styles) -> Paragraph:
    """Each event's own wording of a measure its forms word differently."""
    asked = [
        f"{evaluation.event.title}: “{wording}”"
        for evaluation, wording in zip(comparison.evaluations, compared.wordings, strict=True)
        if wording is not None
    ]
    text = "The forms word this question differently. Each event asked: " + "; ".join(asked) + "."
    return Paragraph(escape(text), styles["small"])


def comparison_pdf(comparison, *, area: str, issued: date) -> bytes:
    """Events side by side, measure by measure (`queries.Comparison`), for the Board: figures only, no
    free text; what anonymity hides says so."""
    register_fonts()
    styles = _styles()
    story = [
        Paragraph(escape(f"MAPPA {area} · Training and Research Sub-Group"), styles["small"]),
        Paragraph("Comparison of evaluations", styles["title"]),
        Paragraph("Response rates", styles["section"]),
    ]
    for evaluation, rate in zip(comparison.evaluations, comparison.rates, strict=True):
        line = (
            f"{evaluation.event.title} ({format_date(evaluation.event.starts_at)}, {evaluation.form.label}): "
            f"{rate.responses} of {rate.invited} responded ({rules.percent(rate.rate)})."
        )
        story.append(Paragraph(escape(line), styles["body"]))
    for evaluation, held, why in comparison.held_back_notes:
        answers = "1 answer" if held == 1 else f"{held} answers"
        line = f"{evaluation.event.title}: {answers} given anonymously not counted in these figures, {why}."
        story.append(Paragraph(escape(line), styles["small"]))
    for evaluation, needed in comparison.withheld:
        line = (
            f"{evaluation.event.title} is left out: its form is anonymous and it has too few responses "
            f"for people not to be recognised ({needed} more needed)."
        )
        story.append(Paragraph(escape(line), styles["small"]))
    for title, questions in comparison.sections:
        story.append(Paragraph(escape(title), styles["section"]))
        for compared in questions:
            heading = Paragraph(escape(compared.question.text), styles["question"])
            if compared.reworded:
                heading = KeepTogether([heading, _wordings(compared, comparison, styles)])
            if compared.question.kind is QuestionKind.FREE_TEXT:
                answered = [
                    figure
                    for index, result in enumerate(compared.by_event)
                    for figure in [
                        "not asked"
                        if result is None
                        else "too few to show"
                        if compared.withheld[index]
                        else f"{result.answered} answers"
                    ]
                ]
                events = [e.event.title for e in comparison.evaluations]
                text = "; ".join(f"{event}: {figure}" for event, figure in zip(events, answered, strict=True))
                story.append(KeepTogether([heading, Paragraph(escape(text), styles["small"])]))
                continue
            story.append(
                KeepTogether([heading, Spacer(1, 2 * mm), _comparison_table(compared, comparison, styles)])
            )
    story += [Spacer(1, 6 * mm), Paragraph(escape(f"Produced on {format_date(issued)}."), styles["small"])]
    title = "Comparison of evaluations"
    return render(
        story,
        title=title,
        author=f"MAPPA {area} Training and Research Sub-Group",
        subject=", ".join(e.event.title for e in comparison.evaluations),
        keywords=("MAPPA", "evaluation", "comparison"),
        furniture=PageFurniture(OFFICIAL, title),
    )
