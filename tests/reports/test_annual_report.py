"""The annual report: a data set with known answers gives exactly the expected tables, every total adds
up, a past year reads the same after later events, and the PDF and CSV say what the page says."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader
from sqlmodel import select

from tests.justify import disclosed
from tests.reports.shorthand import C1, C2, C3, C4, IN, L1, L2, L3, OUT, C, R, X
from tracker.core import settings
from tracker.core.models import AuditEvent, Setting
from tracker.core.timeutil import today_london
from tracker.evaluations.rules import MIN_ANONYMOUS_RESPONSES
from tracker.reports import annual, histories, rules
from tracker.reports.rules import ReportingYear, ReportTable

YEAR = ReportingYear(2023)


@pytest.fixture
def people(factory):
    """The known data set for 2023/24 (1 April 2023 to 31 March 2024)."""
    made = {
        # Category 1: at Level 2 all year; raised from Level 2 to Level 3; recalled; left before; came after.
        "steady": factory.person(C1, (date(2022, 5, 1), R, L2)),
        "raised": factory.person(C1, (date(2023, 6, 1), R, L2), (date(2023, 9, 1), C, L3)),
        "recalled": factory.person(C1, (date(2022, 1, 1), R, L2), (date(2023, 11, 1), IN, L2)),
        "left_before": factory.person(C1, (date(2021, 1, 1), R, L2), (date(2023, 3, 30), X, L2)),
        "came_after": factory.person(C1, (date(2024, 4, 1), R, L3)),
        # Category 2: six at Level 2 on 31 March; one lowered from Level 3 to 2, then to Level 1.
        "lowered": factory.person(C2, (date(2023, 5, 2), R, L3), (date(2023, 12, 1), C, L2), (date(2024, 2, 1), C, L1)),
        # Category 3: recalled at Level 3 and released before 31 March.
        "released": factory.person(
            C3, (date(2022, 3, 1), R, L3), (date(2023, 7, 1), IN, L3), (date(2024, 1, 10), OUT, L3)
        ),
        # Category 4: never counted.
        "terrorism": factory.person(C4, (date(2023, 5, 1), R, L3), (date(2023, 8, 1), IN, L3)),
    }  # fmt: skip
    for number in range(6):
        made[f"category_2_{number}"] = factory.person(C2, (date(2023, 4, 10 + number), R, L2))
    factory.annual_figures(
        2023, level_1_category_1=100, level_1_category_2=50, shpo_imposed=40,
        shpo_foreign_travel=2, notification_rate=81.4,
    )  # fmt: skip
    return made


@pytest.fixture
def no_threshold(app_context):
    settings.set_value("suppression_threshold", 1, None)


@pytest.fixture
def suppression_on(app_context):
    settings.set_value("suppression_enabled", True, None)


def _tables(report) -> dict[str, ReportTable]:
    return {table.key: table for table in report.tables}


def assert_totals_add_up(table: ReportTable) -> None:
    """Every row's cells add up to its total, every column's to the total row, and the grand total to both."""
    values = [[cell.value for cell in row] for row in table.cells]
    for row in values:
        assert sum(row[:-1]) == row[-1]
    for column in range(len(values[0])):
        assert sum(row[column] for row in values[:-1]) == values[-1][column]


def test_the_known_data_set_gives_exactly_the_expected_tables(people, no_threshold):
    tables = _tables(annual.build(YEAR))
    assert tables["snapshot"].labelled_rows() == [
        ("Level 1", ["100", "50", "-", "150"]),
        ("Level 2", ["1", "6", "0", "7"]),
        ("Level 3", ["1", "0", "1", "2"]),
        ("Total", ["102", "56", "1", "159"]),
    ]
    assert tables["over-the-year"].labelled_rows() == [
        ("Level 2", ["3", "7", "0", "10"]),
        ("Level 3", ["1", "1", "1", "3"]),
        ("Total", ["4", "8", "1", "13"]),
    ]
    assert tables["returned-to-custody"].labelled_rows() == [
        ("Level 2", ["1", "0", "0", "1"]),
        ("Level 3", ["0", "0", "1", "1"]),
        ("Total", ["1", "0", "1", "2"]),
    ]
    for table in tables.values():
        assert_totals_add_up(table)


def test_small_numbers_are_hidden_with_a_note_and_cannot_be_recovered(people, suppression_on):
    report = annual.build(YEAR)
    tables = _tables(report)
    assert report.threshold == 5
    # 31 March: the ones and the 2 are hidden; then 6 (else Level 2's total gives away the 1 beside it),
    # 56 (else the total row gives away Category 3) and 7 (else the Total column gives away 2).
    assert tables["snapshot"].labelled_rows() == [
        ("Level 1", ["100", "50", "-", "150"]),
        ("Level 2", ["[c]", "[c]", "0", "[c]"]),
        ("Level 3", ["[c]", "0", "[c]", "[c]"]),
        ("Total", ["102", "[c]", "[c]", "159"]),
    ]
    assert "[c] Hidden: fewer than 5 people" in tables["snapshot"].note
    for table in tables.values():
        assert_totals_add_up(table)
        hidden = {(r, c) for r, row in enumerate(table.cells) for c, cell in enumerate(row) if cell.hidden}
        rows, columns = len(table.cells), len(table.cells[0])
        for r in range(rows):
            assert sum(1 for c in range(columns) if (r, c) in hidden) != 1
        for c in range(columns):
            assert sum(1 for r in range(rows) if (r, c) in hidden) != 1
    entered = dict(report.entered)
    assert entered["Sexual Harm Prevention Orders with foreign travel restrictions"].text == "[c]"
    assert entered["Sexual Harm Prevention Orders imposed by the courts"].text == "40"
    assert entered["Notification orders imposed by the courts"].text == "Not entered"


def test_an_entered_figure_hidden_is_not_given_away_by_its_total_or_a_rate(factory, suppression_on):
    """The SHPO breaches at Level 2 (2, hidden) and Level 3 (10) have a total: shown as 12 beside a hidden
    2 it would give the 2 away, so Level 3 is hidden with it. A Category 1 total of 3, hidden, is not
    given away by the rate per 100,000 worked out from it and the population either."""
    factory.annual_figures(
        2022, shpo_breach_level_2=2, shpo_breach_level_3=10, level_1_category_1=3, level_1_category_2=0,
        population=100_000, population_source="Invented estimate",
    )  # fmt: skip
    report = annual.build(ReportingYear(2022))
    entered = dict(report.entered)
    shown = [
        entered[f"Level {n} individuals who breached a Sexual Harm Prevention Order"].text for n in (2, 3)
    ]
    assert shown == ["[c]", "[c]"]
    assert entered[annual.SHPO_BREACH_TOTAL_LABEL].text == "12"
    assert _tables(report)["snapshot"].cells[-1][0].hidden
    assert report.rate_text == "[c]" and report.rate is None and "100,000" not in report.rate_note
    assert "would give that total away" in report.rate_note


def test_a_past_year_reads_the_same_after_later_events(people, factory, no_threshold):
    before = [table.shown() for table in annual.build(YEAR).tables]
    factory.save(
        *[
            factory_event
            for factory_event in [
                _event(people["raised"].id, date(2024, 5, 1), X, L3),
                _event(people["steady"].id, date(2024, 4, 2), C, L3),
            ]
        ]
    )
    people["steady"].level = L3
    factory.save(people["steady"])
    assert [table.shown() for table in annual.build(YEAR).tables] == before


def test_a_past_year_reads_the_same_after_a_category_changes(people, factory, session, no_threshold):
    """Each person is counted by the category they had at the year's end: a case moved from Category 1 to
    Category 4 (found to be terrorism-connected) today, and the Category 4 case moved to Category 2, leave
    2023/24 as it was reported; the current year counts them by what they are now. Both ways of counting
    (one pass over the rows, and the histories) agree."""
    from tracker.meetings.models import Category
    from tracker.meetings.services import edit_case

    before = [table.shown() for table in annual.build(YEAR).tables]
    counted_before = histories.year_counts(YEAR)
    coordinator = factory.user("COORDINATOR", terrorism_cleared=True)
    for case, category in ((people["steady"], Category.CATEGORY_4), (people["terrorism"], Category.CATEGORY_2)):
        assert edit_case(case, {"category": category}, case.version, coordinator)
    session.commit()
    assert [table.shown() for table in annual.build(YEAR).tables] == before
    assert histories.year_counts(YEAR) == counted_before
    assert rules.count_year(histories.histories(YEAR), YEAR) == counted_before
    this_year = ReportingYear(today_london().year if today_london().month > 3 else today_london().year - 1)
    assert histories.categories_then(this_year) == {}


def _event(case_id, day, kind, level):
    from tracker.meetings.models import CaseEvent

    return CaseEvent(case_id=case_id, kind=kind, occurred_on=day, level=level)


def test_without_level_1_figures_the_31_march_totals_are_levels_2_and_3(factory, no_threshold):
    factory.person(C1, (date(2022, 5, 1), R, L2))
    table = _tables(annual.build(YEAR))["snapshot"]
    assert table.row_labels == ["Level 2", "Level 3", "Total"]
    assert "Level 1 figures for this year have not been entered" in table.note
    factory.annual_figures(2023, level_1_category_1=100)
    table = _tables(annual.build(YEAR))["snapshot"]
    assert table.row_labels == ["Level 2", "Level 3", "Total"]
    assert "Level 1 figures for this year are not all entered" in table.note


def test_a_year_still_under_way_is_counted_as_it_stands_today_and_says_so(factory, no_threshold):
    """31 March of the year under way has not come: the table is of the day the report is made."""
    factory.person(C1, (date(2022, 5, 1), R, L2))
    table = _tables(annual.build(ReportingYear(2026), today=date(2026, 12, 5)))["snapshot"]
    assert table.title == "MAPPA-eligible individuals on 5 December 2026, by category and level"
    assert table.note.startswith(
        "The year is still under way: people living in the community on 5 December 2026, the day this "
        "report was made"
    )
    past = _tables(annual.build(YEAR, today=date(2026, 12, 5)))["snapshot"]
    assert past.title == f"MAPPA-eligible individuals on 31 March {YEAR.start_year + 1}, by category and level"


# Through the pages -----------------------------------------------------------------------------------


def test_the_annual_report_page_shows_the_tables(people, client_as, suppression_on):
    page = client_as("SMB").get("/reports/annual-report?year=2023")
    assert page.status_code == 200
    soup = BeautifulSoup(page.data, "html.parser")
    assert soup.h1.get_text(strip=True) == "Annual report 2023/24"
    over_year = soup.find(id="table-over-the-year")
    rows = [
        [cell.get_text(strip=True) for cell in row.find_all(["th", "td"])] for row in over_year.select("tr")
    ]
    assert rows[0] == ["Level", "Category 1", "Category 2", "Category 3", "Total"]
    assert rows[-1] == ["Total", "[c]", "8", "[c]", "13"]
    assert "Enter figures" not in soup.get_text()


def test_the_pdf_is_a4_marked_official_with_the_tables_and_embedded_fonts(people, client_as, session):
    response = client_as("LAY_ADVISER").get(disclosed("/reports/annual-report/2023.pdf"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert 'filename="mappa-annual-report-2023-24.pdf"' in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    assert reader.metadata.title == "MAPPA London annual report 2023/24"
    assert "Strategic Management Board" in reader.metadata.author
    first = reader.pages[0]
    assert [round(float(v)) for v in first.mediabox[2:]] == [595, 842]
    texts = [page.extract_text() for page in reader.pages]
    for number, page_text in enumerate(texts, start=1):
        assert page_text.count("OFFICIAL") == 2, f"page {number} is not marked at top and bottom"
        assert f"Page {number} of {len(texts)}" in page_text
    text = "\n".join(texts)
    assert "OFFICIAL-SENSITIVE" not in text
    assert "Level 2 and 3 individuals by category over the year" in text
    assert "Level 2 and 3 individuals returned to custody for breach of licence" in text
    assert "Sexual Harm Prevention Orders imposed by the courts" in text
    assert "81.4" in text
    for font in _fonts(reader):
        assert "/FontFile2" in font["/FontDescriptor"], f"{font['/BaseFont']} is not embedded"
    exports = session.exec(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert [(e.object_type, e.summary) for e in exports] == [("AnnualReport", "PDF 2023/24")]


def _fonts(reader):
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            yield descendants[0].get_object() if descendants else font


def test_the_csv_has_every_cell_of_every_table_and_its_totals_add_up(people, client_as, suppression_on):
    response = client_as("COORDINATOR").get(disclosed("/reports/annual-report/2023.csv"))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert 'filename="mappa-annual-report-2023-24.csv"' in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    by_table: dict[str, dict[tuple[str, str], str]] = {}
    for row in rows:
        if row["Section"] == "Individuals":
            value = "[c]" if row["Note"].startswith("[c]") else row["Value"]
            assert row["Value"] == "" or row["Note"] == ""
            by_table.setdefault(row["Table"], {})[(row["Row"], row["Column"])] = value
    assert len(by_table) == 3
    over_year = by_table["Level 2 and 3 individuals by category over the year"]
    assert over_year[("Total", "Total")] == "13"
    assert over_year[("Level 2", "Category 2")] == "[c]"  # 7, hidden beside the 3 it would give away
    assert (
        by_table[next(t for t in by_table if t.startswith("MAPPA-eligible"))][("Level 1", "Category 1")]
        == "100"
    )
    # Numbers are plain, for a spreadsheet: 1,500 would be read as text.
    # Category 3 at Level 1 cannot have a figure: an empty cell.
    assert all(value in ("[c]", "") or value.isdigit() for cells in by_table.values() for value in cells.values())
    # Where nothing on a line is hidden, the shown numbers add up to the total shown, across and down.
    for cells in by_table.values():
        row_labels = {r for r, _c in cells}
        columns = {c for _r, c in cells}
        lines = [
            [(label, c) for c in sorted(columns - {"Total"})] + [(label, "Total")] for label in row_labels
        ]
        lines += [
            [(r, column) for r in sorted(row_labels - {"Total"})] + [("Total", column)] for column in columns
        ]
        for line in lines:
            values = [cells[position] for position in line]
            if "[c]" not in values:
                assert sum(int(v or 0) for v in values[:-1]) == int(values[-1])
    figures = {
        row["Table"]: (row["Value"], row["Note"]) for row in rows if row["Section"] == "Orders and notification"
    }
    # A hidden figure is an empty number, flagged in the note: never text in the number column.
    assert figures["Sexual Harm Prevention Orders with foreign travel restrictions"] == ("", annual.HIDDEN_NOTE)
    # The training figures carry the page's labels, every one of them.
    training = [row["Table"] for row in rows if row["Section"] == "Training" and not row["Row"]]
    assert training == [
        "Two-day MAPPA Chair Training courses",
        "New chairs trained",
        "Training and CPD events delivered",
        "People who completed a course or CPD event",
        "Chairs' Forum participants",
        "CPD hours earned",
    ]


def test_large_numbers_are_plain_in_the_csv_and_titles_cannot_run_as_formulas(
    factory, client_as, no_threshold
):
    from tracker.training.models import CourseKind

    factory.person(C1, (date(2022, 5, 1), R, L2))
    factory.annual_figures(2023, level_1_category_1=6912, level_1_category_2=4137)
    forum = factory.event(factory.course(CourseKind.CPD), title="=HYPERLINK(1)", days=[date(2023, 6, 14)])
    factory.enrolment(forum)  # someone came: an event nobody attended was not delivered
    data = client_as("SMB").get(disclosed("/reports/annual-report/2023.csv")).data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(data)))
    level_1 = {row[4]: row[5] for row in rows if row[3] == "Level 1"}
    assert level_1 == {"Category 1": "6912", "Category 2": "4137", "Category 3": "", "Total": "11049"}
    forum_rows = [row for row in rows if row[2] == "Chairs' Forums"]
    assert forum_rows and all(row[3].startswith("'=HYPERLINK") for row in forum_rows)


def test_a_year_before_any_history_is_not_found(client_as):
    assert client_as("SMB").get(disclosed("/reports/annual-report/1990.pdf")).status_code == 404


def _evaluated(factory, title, day, answered, ratings, yes=1, **evaluation_options):
    """A CPD event of the year, its evaluation sent to `answered` people who answered, and one response a
    rating in `ratings` (each saying `yes` to the yes-or-no question). Gives the evaluation, its rating
    question and its yes-or-no question."""
    from tracker.training.models import CourseKind

    factory.person(C1, (date(2022, 5, 1), R, L2))
    forum = factory.event(factory.course(CourseKind.CPD), title=title, days=[day])
    evaluation = factory.evaluation(forum, **evaluation_options)
    for _ in range(answered):
        factory.evaluation_invitation(evaluation, answered=True)
    rating, _single, _multiple, yes_no, _text = evaluation.form.ordered_questions
    for value in ratings:
        factory.response(evaluation, {rating.id: [(value, None)], yes_no.id: [(yes, None)]})
    return evaluation, rating, yes_no


def _evaluations_page(client):
    """The 2023 report page, and the text of each row of its evaluations table."""
    soup = BeautifulSoup(client.get("/reports/annual-report?year=2023").data, "html.parser")
    rows = [
        [c.get_text(" ", strip=True) for c in r.find_all(["th", "td"])]
        for r in soup.find(id="table-evaluations").select("tr")
    ]
    return soup, rows


def _csv_2023(client) -> str:
    return client.get(disclosed("/reports/annual-report/2023.csv")).data.decode()


def _pdf_2023_text(client) -> str:
    pdf = client.get(disclosed("/reports/annual-report/2023.pdf")).data
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_the_training_section_quotes_the_years_events_and_evaluation_highlights(factory, client_as):
    _evaluated(factory, "Forum on victims", date(2023, 6, 14), 4, (4, 5, 5))
    # Three anonymous answers show where the area's minimum is three.
    factory.save(Setting(key=MIN_ANONYMOUS_RESPONSES.key, value="3"))
    client = client_as("SMB")
    _soup, rows = _evaluations_page(client)
    assert rows[1] == [
        "Forum on victims (14 June 2023)",
        "3 of 4 (75%)",
        "How would you rate the day? 4.7 out of 5",
    ]
    assert "Forum on victims (14 June 2023),How would you rate the day?,Average out of 5,4.7" in _csv_2023(client)
    text = _pdf_2023_text(client)
    assert "Evaluation highlights" in text and "4.7 out of 5" in text


def test_evaluation_highlights_say_an_anonymous_forms_ratings_are_withheld_until_enough_answer(
    factory, client_as
):
    # Three responses, of the five the area needs.
    _evaluated(factory, "Forum on housing", date(2023, 7, 12), 4, (4, 5, 5), always_anonymous=True)
    withheld = "Withheld until enough people answer: the evaluation is anonymous and needs 2 more responses"
    client = client_as("SMB")
    soup, rows = _evaluations_page(client)
    assert rows[1] == ["Forum on housing (12 July 2023)", "3 of 4 (75%)", withheld]
    assert "No rating questions" not in soup.get_text()
    assert f"Forum on housing (12 July 2023),Average ratings,Average out of 5,,{withheld}" in _csv_2023(client)
    text = " ".join(_pdf_2023_text(client).split())
    assert withheld in text and "No rating questions" not in text


@pytest.mark.parametrize("named", [False, True], ids=["all-anonymous", "one-named"])
def test_evaluation_highlights_say_anonymous_answers_are_held_back_where_each_person_chooses(
    factory, client_as, named
):
    """Where each person chooses whether to give their name, too few anonymous answers are held back: the
    report says so, rather than "No rating questions" (all anonymous) or an average of the named answers
    passed off as everyone's."""
    evaluation, rating, yes_no = _evaluated(factory, "Briefing", date(2023, 9, 12), 5, (1, 2), yes=0)
    if named:
        trainee = factory.trainee(name="Invented Named Person")
        factory.response(evaluation, {rating.id: [(5, None)], yes_no.id: [(1, None)]}, trainee_id=trainee.id)
    client = client_as("SMB")
    cell = _evaluations_page(client)[1][1]
    said = "2 anonymous answers held back until enough people answer anonymously: "
    if named:
        assert cell[-1].startswith(said + "the averages are of the named answers; ")
        assert "5.0 out of 5" in cell[-1]
    else:
        assert cell[-1] == said + "no named answer to average"
    assert f"Briefing (12 September 2023),Average ratings,Average out of 5,,{said}" in _csv_2023(client)
