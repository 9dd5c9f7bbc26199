"""The annual report as a PDF: A4, its tables laid out as the published report lays them out (levels down,
categories across, totals at the end of each), then the figures entered by the co-ordinator and the
training section.

The report holds aggregates only, with small numbers hidden, so it is marked OFFICIAL (not
OFFICIAL-SENSITIVE) at the top and bottom of every page. Text is set in the tracker's one embedded font
(`tracker.core.pdf`), so it prints the same everywhere and can be searched and copied.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

from tracker.core.pdf import (
    FONT,
    GREY,
    OFFICIAL,
    TEXT_WIDTH,
    PageFurniture,
    body_style,
    bold_style,
    render,
)
from tracker.core.timeutil import format_date, london
from tracker.reports import rules
from tracker.reports.annual import RATE_LABEL, AnnualReport
from tracker.reports.rules import ReportTable

MARKING = OFFICIAL
LIGHT = colors.HexColor("#f3f2f1")
RULE = colors.HexColor("#b1b4b6")


def _styles() -> dict[str, ParagraphStyle]:
    body = body_style()
    return {
        "body": body,
        "note": ParagraphStyle("note", parent=body, fontSize=8, leading=10.5, textColor=GREY, spaceBefore=3),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11.5, spaceAfter=0),
        "head": bold_style("head", body, 9, 11.5, spaceAfter=0),
        "title": bold_style("title", body, 20, 25, spaceAfter=8),
        "h2": bold_style("h2", body, 14, 18, spaceBefore=12, spaceAfter=6),
        "h3": bold_style("h3", body, 10.5, 14, spaceBefore=8, spaceAfter=4),
    }


def _grid(data: list[list], widths: list[float], *, total_row: bool, total_column: bool) -> Table:
    table = Table(data, colWidths=[w * TEXT_WIDTH for w in widths], repeatRows=1)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("BACKGROUND", (0, 0), (-1, 0), LIGHT),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if total_row:
        style.append(("LINEABOVE", (0, -1), (-1, -1), 0.8, colors.black))
    if total_column:
        style.append(("LINEBEFORE", (-1, 0), (-1, -1), 0.8, colors.black))
    table.setStyle(TableStyle(style))
    return table


def _number(text: str, styles, bold: bool = False) -> Paragraph:
    style = ParagraphStyle("number", parent=styles["head" if bold else "cell"], alignment=2)
    return Paragraph(escape(text), style)


def level_table(table: ReportTable, styles) -> list:
    """A levels-by-categories table: the header row, a row per level, the total row in bold."""
    header = [Paragraph("", styles["head"])] + [_number(label, styles, True) for label in table.column_labels]
    data = [header]
    last = len(table.row_labels) - 1
    for index, (label, row) in enumerate(zip(table.row_labels, table.shown(), strict=True)):
        bold = index == last
        data.append(
            [Paragraph(escape(label), styles["head"])]
            + [_number(text, styles, bold or column == len(row) - 1) for column, text in enumerate(row)]
        )
    columns = len(table.column_labels)
    widths = [0.28] + [0.72 / columns] * columns
    flowables = [
        Paragraph(escape(table.title), styles["h3"]),
        _grid(data, widths, total_row=True, total_column=True),
    ]
    if table.note:
        flowables.append(Paragraph(escape(table.note), styles["note"]))
    return [KeepTogether(flowables), Spacer(0, 6)]


def _list_table(
    header: list[str], rows: list[list[str]], widths: list[float], styles, numeric: set[int]
) -> Table:
    data = [
        [
            _number(text, styles, True) if i in numeric else Paragraph(escape(text), styles["head"])
            for i, text in enumerate(header)
        ]
    ]
    for row in rows:
        data.append(
            [
                _number(text, styles) if i in numeric else Paragraph(escape(text), styles["cell"])
                for i, text in enumerate(row)
            ]
        )
    return _grid(data, widths, total_row=False, total_column=False)


def _entered(report: AnnualReport, styles) -> list:
    rows = [[label, cell.text] for label, cell in report.entered] + [[RATE_LABEL, report.rate_text]]
    story = [
        Paragraph("Orders, notification requirements and breaches", styles["h2"]),
        Paragraph(
            "These figures come from ViSOR, the courts and the police, entered by the MAPPA co-ordinator.",
            styles["body"],
        ),
        _list_table(["Figure", "Number"], rows, [0.8, 0.2], styles, {1}),
    ]
    if report.rate_note:
        story.append(Paragraph(escape(report.rate_note), styles["note"]))
    if any(cell.hidden for _label, cell in report.entered):
        story.append(Paragraph(escape(rules.suppression_note(report.threshold)), styles["note"]))
    if not report.figures_entered:
        story.append(Paragraph("The figures for this year have not been entered yet.", styles["note"]))
    return story


def _training(report: AnnualReport, styles) -> list:
    figures = report.training
    story = [
        Paragraph("Training and development", styles["h2"]),
        _list_table(
            ["Measure", "Number"], [list(m) for m in report.training_measures], [0.8, 0.2], styles, {1}
        ),
    ]
    if figures.forums:
        story += [
            Paragraph("Chairs' Forums", styles["h3"]),
            _list_table(
                ["Forum", "Date", "Pillar", "Participants"],
                [
                    [
                        forum.title,
                        format_date(london(forum.starts_at)),
                        forum.pillar.label if forum.pillar else "",
                        str(forum.participants),
                    ]
                    for forum in figures.forums
                ],
                [0.4, 0.18, 0.27, 0.15],
                styles,
                {3},
            ),
        ]
    if report.highlights:
        rows = []
        for highlight in report.highlights:
            rate = rules.percent(highlight.response_rate)
            rows.append(
                [
                    f"{highlight.event_title} ({format_date(london(highlight.starts_at))})",
                    f"{highlight.responses} of {highlight.invited} ({rate})",
                    highlight.ratings_cell,
                ]
            )
        story += [
            Paragraph("Evaluation highlights", styles["h3"]),
            _list_table(["Event", "Responses", "Average ratings"], rows, [0.3, 0.17, 0.53], styles, set()),
        ]
    return story


def report_pdf(report: AnnualReport) -> bytes:
    """The annual report, titled and described for document readers."""
    styles = _styles()
    first, last = report.year.first_day, report.year.last_day
    story = [
        Paragraph(escape(report.title), styles["title"]),
        Paragraph(
            escape(
                f"Statistics for the reporting year {format_date(first)} to {format_date(last)}, made on "
                f"{format_date(report.made_on)}. Category 4 (terrorism) is published only nationally and "
                "is not counted here."
            ),
            styles["body"],
        ),
        Paragraph("MAPPA-eligible individuals", styles["h2"]),
    ]
    for table in report.tables:
        story += level_table(table, styles)
    story += _entered(report, styles)
    story += _training(report, styles)

    return render(
        story,
        title=report.title,
        author=f"MAPPA {report.area} Strategic Management Board",
        subject=f"MAPPA annual report statistics, 1 April {report.year.start_year} to 31 March "
        f"{report.year.start_year + 1}",
        keywords=("MAPPA", "annual report"),
        furniture=PageFurniture(MARKING, report.title),
    )
