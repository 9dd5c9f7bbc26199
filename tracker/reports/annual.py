"""The annual report of a reporting year: the tables the tracker counts from people's dated histories,
the figures the co-ordinator enters, and the training section from the training and evaluation areas.

Built from history (`CaseEvent`), never from a case's current level or status, so a past year's report
reads the same whenever it is made. The people are read as one ordered stream of events, one person at a
time: a fixed number of queries and little memory whatever the number of cases.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlmodel import select

from tracker.core import settings
from tracker.core.csvfile import csv_text
from tracker.core.db import db
from tracker.core.numbers import round_half_up
from tracker.core.timeutil import format_date, london, today_london
from tracker.core.types import utcnow
from tracker.evaluations.queries import evaluation_summary
from tracker.meetings.models import CaseEvent, Level
from tracker.reports import rules
from tracker.reports.histories import year_counts
from tracker.reports.models import AnnualFigures
from tracker.reports.rules import Cell, ReportingYear, ReportTable
from tracker.training import overview as training_overview
from tracker.training.queries import EventFilters, event_list_statement
from tracker.training.rules import format_hours

# The figures the co-ordinator enters, in the report's order: (field, label). Category 3 is never managed
# at Level 1, so Level 1 has two.
LEVEL_1_FIELDS = ("level_1_category_1", "level_1_category_2")
ENTERED_COUNTS = [
    ("breach_cautioned", "Category 1 individuals cautioned for breach of notification requirements"),
    ("breach_convicted", "Category 1 individuals convicted for breach of notification requirements"),
    (
        "notification_revoked",
        "Individuals whose lifetime notification requirements were revoked on application",
    ),
    ("shpo_imposed", "Sexual Harm Prevention Orders imposed by the courts"),
    ("shpo_foreign_travel", "Sexual Harm Prevention Orders with foreign travel restrictions"),
    ("notification_orders", "Notification orders imposed by the courts"),
    (
        "sro_breach_notification",
        "Individuals who became subject to notification requirements after breaching a Sexual Risk Order",
    ),
    ("shpo_breach_level_2", "Level 2 individuals who breached a Sexual Harm Prevention Order"),
    ("shpo_breach_level_3", "Level 3 individuals who breached a Sexual Harm Prevention Order"),
]
SHPO_BREACH_TOTAL_LABEL = "Level 2 and 3 individuals who breached a Sexual Harm Prevention Order, in total"
# Years entered before breaches were asked for as cautioned and convicted hold the two together.
COMBINED_BREACH_LABEL = (
    "Category 1 individuals cautioned or convicted for breach of notification requirements"
)
RATE_LABEL = "Individuals subject to notification requirements per 100,000 of the population aged 10 and over"


def figures_for(year: ReportingYear) -> AnnualFigures | None:
    return db.session.exec(select(AnnualFigures).where(AnnualFigures.start_year == year.start_year)).first()


# The training section ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationHighlight:
    """What people said of one event, in figures: the response rate and each rating question's average."""

    event_title: str
    starts_at: datetime
    responses: int
    invited: int
    response_rate: float | None
    ratings: list[tuple[str, float]]  # question, average rating out of 5
    yes_shares: list[tuple[str, float]]  # question, share answering yes
    # Responses still needed before an anonymous evaluation's ratings show (none: they show).
    needed: int = 0
    # Answers given anonymously (where each person chooses) left out of the figures, being too few, and
    # what the report says of them (`EventSummary.held_back_text`).
    held_back: int = 0
    held_back_text: str = ""

    @property
    def withheld_text(self) -> str:
        """Why an anonymous evaluation's ratings are not given ("" when they are)."""
        if not self.needed:
            return ""
        responses = "response" if self.needed == 1 else "responses"
        return (
            "Withheld until enough people answer: the evaluation is anonymous and needs "
            f"{self.needed} more {responses}"
        )

    @property
    def ratings_cell(self) -> str:
        """What the report says of the event's ratings: their averages, or why there are none."""
        if self.withheld_text:
            return self.withheld_text
        said = "; ".join(part for part in (self.held_back_text, self.ratings_text) if part)
        return said or "No rating questions"

    @property
    def ratings_text(self) -> str:
        """Each rating question with its average: "How relevant was it? 4.2 out of 5; ..."."""
        return "; ".join(
            f"{question}{'' if question.endswith(('?', ':', '.')) else ':'} "
            f"{rules.one_decimal(average)} out of 5"
            for question, average in self.ratings
        )


def evaluation_highlights(year: ReportingYear) -> list[EvaluationHighlight]:
    """The evaluation figures of the year's delivered events (those evaluated), by date."""
    events = [row[0] for row in db.session.execute(event_list_statement(EventFilters(year=year.start_year)))]
    now = utcnow()
    events = [event for event in events if event.starts_at is not None and event.starts_at <= now]
    summaries = evaluation_summary([event.id for event in events])
    highlights = []
    for event in sorted(events, key=lambda e: (e.starts_at, e.id)):
        summary = summaries.get(event.id)
        if summary is None or not summary.responses:
            continue
        highlights.append(
            EvaluationHighlight(
                event_title=event.title,
                starts_at=event.starts_at,
                responses=summary.responses,
                invited=summary.invited,
                response_rate=summary.response_rate,
                ratings=[(q.text, q.mean) for q in summary.questions if q.mean is not None],
                yes_shares=[(q.text, q.yes_share) for q in summary.questions if q.yes_share is not None],
                needed=summary.needed,
                held_back=summary.held_back,
                held_back_text=summary.held_back_text,
            )
        )
    return highlights


# The report --------------------------------------------------------------------------------------------


@dataclass
class AnnualReport:
    year: ReportingYear
    area: str
    threshold: int
    made_on: date
    tables: list[ReportTable]
    entered: list[tuple[str, Cell]]
    rate: Decimal | None
    rate_source: str
    population: int | None
    figures_entered: bool
    training: training_overview.YearFigures
    highlights: list[EvaluationHighlight] = field(default_factory=list)
    rate_hidden: bool = False  # worked out from a hidden Category 1 total: shown with neither

    @property
    def title(self) -> str:
        return f"MAPPA {self.area} annual report {self.year.label}"

    @property
    def file_stem(self) -> str:
        return f"mappa-annual-report-{self.year.slug}"

    @property
    def training_measures(self) -> list[tuple[str, str]]:
        """The training section's figures as the page, the PDF and the CSV all label them."""
        figures = self.training
        return [
            ("Two-day MAPPA Chair Training courses", str(figures.chair_courses)),
            ("New chairs trained", str(figures.new_chairs)),
            ("Training and CPD events delivered", str(figures.events_total)),
            ("People who completed a course or CPD event", str(figures.people_trained)),
            ("Chairs' Forum participants", str(figures.forum_participants)),
            ("CPD hours earned", format_hours(figures.cpd_minutes)),
        ]

    @property
    def rate_note(self) -> str:
        """Where the rate per 100,000 comes from, when the tracker worked it out."""
        if self.rate_hidden:
            return (
                f"{rules.SUPPRESSED}: worked out from the Category 1 total on 31 March, which is hidden, the "
                "rate (with the population it is worked out from) would give that total away."
            )
        if self.population is None:
            return ""
        return (
            "The rate is worked out from the Category 1 total on 31 March and a population aged 10 and "
            f"over of {self.population:,} ({self.rate_source})."
        )

    @property
    def rate_text(self) -> str:
        if self.rate_hidden:
            return rules.SUPPRESSED
        return "Not entered" if self.rate is None else f"{self.rate:.2f}".rstrip("0").rstrip(".")


def build(year: ReportingYear, today: date | None = None) -> AnnualReport:
    """The whole report for a year."""
    threshold = rules.suppression_threshold()
    counts = year_counts(year)
    figures = figures_for(year)
    level_1 = [getattr(figures, name) for name in LEVEL_1_FIELDS] if figures else [None] * 2
    extra = {Level.LEVEL_1: [*level_1, None]} if all(value is not None for value in level_1) else {}
    made_on = today or today_london()
    on = f"31 March {year.start_year + 1}"
    snapshot_note = "People living in the community on 31 March: not those in custody or who had left MAPPA."
    if made_on < year.last_day:  # 31 March has not come: the year as it stands today
        on = format_date(made_on)
        snapshot_note = (
            f"The year is still under way: people living in the community on {on}, the day this report was "
            "made: not those in custody or who had left MAPPA."
        )
    if not extra:
        entered = (
            "are not all entered" if any(value is not None for value in level_1) else "have not been entered"
        )
        snapshot_note += f" Level 1 figures for this year {entered}, so the totals are Levels 2 and 3."
    tables = [
        rules.level_category_table(
            "snapshot",
            f"MAPPA-eligible individuals on {on}, by category and level",
            counts.snapshot,
            rules.MEETING_LEVELS,
            threshold,
            extra_rows=extra,
            note=snapshot_note,
        ),
        rules.level_category_table(
            "over-the-year",
            "Level 2 and 3 individuals by category over the year",
            counts.over_year,
            rules.MEETING_LEVELS,
            threshold,
            note="Each person managed at a level during the year is counted once at that level; someone "
            "managed at both levels is counted at each.",
        ),
        rules.level_category_table(
            "returned-to-custody",
            "Level 2 and 3 individuals returned to custody for breach of licence",
            counts.recalled,
            rules.MEETING_LEVELS,
            threshold,
            note="By the level and category at which the person was managed when recalled; each person "
            "counted once at each level.",
        ),
    ]
    rate, rate_source = _notification_rate(figures, tables[0] if extra else None)
    rate_hidden = bool(extra and rate_source and tables[0].cells[-1][0].hidden)
    return AnnualReport(
        year=year,
        area=settings.get("area_name"),
        threshold=threshold,
        made_on=made_on,
        tables=tables,
        entered=entered_figures(figures, threshold),
        rate=None if rate_hidden else rate,
        rate_source=rate_source,
        population=figures.population if figures and rate_source and not rate_hidden else None,
        rate_hidden=rate_hidden,
        figures_entered=figures is not None,
        training=training_overview.year_figures(year),
        highlights=evaluation_highlights(year),
    )


def entered_figures(figures: AnnualFigures | None, threshold: int) -> list[tuple[str, rules.Cell]]:
    """The entered figures in the report's order, each as a cell, with the total of the SHPO breaches."""

    def value(name: str) -> int | None:
        return getattr(figures, name) if figures else None

    rows = [(label, rules.single_figure(value(name), threshold)) for name, label in ENTERED_COUNTS]
    if figures and figures.breach_of_notification is not None and all(
        value(name) is None for name in ("breach_cautioned", "breach_convicted")
    ):
        rows[0:2] = [(COMBINED_BREACH_LABEL, rules.single_figure(figures.breach_of_notification, threshold))]
    level_2, level_3 = value("shpo_breach_level_2"), value("shpo_breach_level_3")
    if level_2 is None or level_3 is None:
        rows.append((SHPO_BREACH_TOTAL_LABEL, rules.single_figure(None, threshold)))
        return rows
    # The two levels and their total are a small table: a level hidden alone beside the total would be
    # given away by subtraction, so it is protected as the report's tables are (`suppressed_cells`).
    grid = rules.with_totals([[level_2, level_3]])
    hidden = rules.suppressed_cells(grid, threshold)
    cells = [rules.Cell(grid[0][c], (0, c) in hidden) for c in range(3)]
    labels = dict(ENTERED_COUNTS)
    for position, (label, _cell) in enumerate(rows):
        for name, cell in (("shpo_breach_level_2", cells[0]), ("shpo_breach_level_3", cells[1])):
            if label == labels[name]:
                rows[position] = (label, cell)
    rows.append((SHPO_BREACH_TOTAL_LABEL, cells[2]))
    return rows


def _notification_rate(
    figures: AnnualFigures | None, snapshot: ReportTable | None
) -> tuple[Decimal | None, str]:
    """People subject to notification requirements (Category 1 at every level on 31 March) per 100,000 of
    the population aged 10 and over, and where the population figure comes from. Worked out when the
    population and the Level 1 figures are entered; a year entered before holds the rate itself."""
    if figures is None:
        return None, ""
    if figures.population and snapshot is not None:
        notifiable = snapshot.cells[-1][0].value
        source = figures.population_source or "source not given"
        return rules.rate_per_100_000(notifiable, figures.population), source
    return figures.notification_rate, ""


def years_available(today: date | None = None) -> list[ReportingYear]:
    """Reporting years from the first recorded history to the current year, newest first."""
    from sqlalchemy import func

    today = today or today_london()
    first = db.session.scalar(select(func.min(CaseEvent.occurred_on)))
    current = rules.reporting_year_of(today)
    earliest = rules.reporting_year_of(first) if first else current
    return [ReportingYear(y) for y in range(current.start_year, earliest.start_year - 1, -1)]


# CSV ---------------------------------------------------------------------------------------------------


HIDDEN_NOTE = f"{rules.SUPPRESSED} hidden: a small number, or one that would give a small number away"


def _value_and_note(cell: Cell) -> tuple[int | None, str]:
    if not cell.applicable:
        return None, "Not applicable"
    if cell.value is None:
        return None, "Not entered"
    if cell.hidden:
        return None, HIDDEN_NOTE
    return cell.value, ""


def report_csv(report: AnnualReport) -> str:
    """Every figure of the report, one a row: the section, the table, its row and column, and the value,
    numbers without thousands separators so that a spreadsheet adds them up. The value column holds
    numbers only: a figure hidden as [c] or not entered is an empty value with the reason in the note.
    Titles and questions people typed cannot run as spreadsheet formulas."""
    label = report.year.label
    rows: list[list[object]] = []

    def row(*cells, note: str = "") -> None:
        rows.append([label, *cells, note])

    for table in report.tables:
        for row_label, cells in zip(table.row_labels, table.cells, strict=True):
            for column_label, cell in zip(table.column_labels, cells, strict=True):
                value, note = _value_and_note(cell)
                row("Individuals", table.title, row_label, column_label, value, note=note)
    for figure_label, cell in report.entered:
        value, note = _value_and_note(cell)
        row("Orders and notification", figure_label, "", "Number", value, note=note)
    rate = None if report.rate is None else report.rate_text
    note = report.rate_note if rate is not None or report.rate_hidden else "Not entered"
    row("Orders and notification", RATE_LABEL, "", "Rate", rate, note=note)
    for measure, value in report.training_measures:
        row("Training", measure, "", "Number", value)
    for forum in report.training.forums:
        pillar = forum.pillar.label if forum.pillar else "No pillar"
        when = london(forum.starts_at).strftime("%-d %B %Y")
        row("Training", "Chairs' Forums", f"{forum.title} ({when})", pillar, forum.participants)
    for highlight in report.highlights:
        when = london(highlight.starts_at).strftime("%-d %B %Y")
        event = f"{highlight.event_title} ({when})"
        row("Evaluation", event, "Responses", "Number", highlight.responses)
        share = highlight.response_rate
        row(
            "Evaluation", event, "Response rate", "Per cent",
            None if share is None else round_half_up(share * 100),
            note="No one invited" if share is None else "",
        )
        if highlight.needed or highlight.held_back:
            withheld = highlight.withheld_text or highlight.held_back_text
            row("Evaluation", event, "Average ratings", "Average out of 5", None, note=withheld)
        for question, average in highlight.ratings:
            row(
                "Evaluation", event, question, "Average out of 5",
                None if average is None else round_half_up(average, 1),
                note="No answers" if average is None else "",
            )
    return csv_text(["Reporting year", "Section", "Table", "Row", "Column", "Value", "Note"], rows)
