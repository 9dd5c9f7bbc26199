"""Bringing a caseload in: the template, a preview that checks every row, all or nothing, Category 4 only for
someone cleared, references de-duplicated without regard to case, CSV and XLSX alike."""

from __future__ import annotations

import io
from datetime import date

import pytest
from bs4 import BeautifulSoup
from openpyxl import Workbook
from sqlmodel import select

from tests.justify import disclosed, open_page
from tracker.auth.models import AgencySector
from tracker.core.models import AuditEvent
from tracker.core.permissions import Role
from tracker.meetings.models import Case, CaseEvent, CaseEventKind, CaseStatus, Category, Level
from tracker.transfer import caseload

HEADER = "reference,name,date_of_birth,category,level,lead_agency,referred_on,next_review_due,status,borough"


def _csv(*rows: str) -> bytes:
    return ("\n".join([HEADER, *rows]) + "\n").encode()


def _upload(client, data: bytes, filename: str = "caseload.csv"):
    return client.post(
        "/cases/import", data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data"
    )


@pytest.fixture
def coordinator(client_as, factory):
    factory.agency("Probation Service (London)")
    return client_as("COORDINATOR")


def test_the_template_names_every_column(coordinator):
    response = coordinator.get(disclosed("/cases/import/template.csv"))
    assert response.status_code == 200 and response.mimetype == "text/csv"
    header = response.data.decode("utf-8-sig").splitlines()[0].split(",")
    assert header == [column.name for column in caseload.CASE_COLUMNS]


def test_a_file_with_faulty_rows_shows_each_problem_and_adds_nothing(coordinator, session, factory):
    factory.case(reference="LDN-2020-0001")
    response = _upload(
        coordinator,
        _csv(
            "LDN-2024-0001,Alex Example,1980-06-30,2,2,Probation Service (London),2024-09-02,2025-01-13,,Camden",
            "ldn-2020-0001,Sam Example,1975-01-01,1,3,Probation Service (London),2024-01-01,,,",
            "LDN-2024-0003,Jo Example,31/02/1990,5,1,Nowhere Agency,2030-01-01,,asleep,",
            "LDN-2024-0001,Kim Example,1970-01-01,3,2,probation service (london),2024-03-01,,In custody,",
            "LDN-2024-0006,Lee Example,2024-11-30,2,2,Probation Service (London),2024-11-01,,,",
        ),
    )
    assert response.status_code == 302
    page = BeautifulSoup(coordinator.get(response.location).data, "html.parser")
    summary = page.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "Row 3, reference: LDN-2020-0001 is already in the tracker" in summary
    assert "Row 4, date_of_birth: Enter the date of birth as a date" in summary
    assert "Row 4, category: The category must be 1, 2, 3 or 4" in summary
    assert "Row 4, level: The level must be 2 or 3" in summary
    assert "Row 4, lead_agency: There is no agency called ‘Nowhere Agency’" in summary
    assert "Row 4, referred_on: The referral date must not be in the future" in summary
    assert "Row 4, status: The status must be Active or In custody" in summary
    assert "Row 5, reference: LDN-2024-0001 is also on row 2" in summary
    assert "Row 6, referred_on: The referral date must be after the date of birth" in summary
    ready = page.find("tr", id="row-2").get_text(" ", strip=True)
    assert "Ready Category 2, Level 2, referred 2 September 2024, next review 13 January 2025 Warning" in ready
    assert ready.endswith("its next review date, 13 January 2025, has passed. If it has been reviewed since, give the date of its next review.")
    assert page.find("button", string=lambda text: text and text.strip().startswith("Add")) is None
    assert session.exec(select(Case).where(Case.reference == "LDN-2024-0001")).first() is None


def test_a_correct_file_imports_every_case_with_its_history_and_review(coordinator, session):
    response = _upload(
        coordinator,
        _csv(
            "ldn-2024-0001,Alex Example,1980-06-30,2,2,Probation Service (London),2024-09-02,2025-01-13,,Camden",
            "LDN-2024-0002,Sam Example,1975-01-01,1,3,probation service (london),2024-01-01,,In custody,",
        ),
    )
    preview = coordinator.get(response.location)
    assert "every row is ready" in preview.data.decode()
    done = coordinator.post(response.location + "/import")
    assert done.status_code == 302 and done.location.endswith("/cases")
    alex = session.exec(select(Case).where(Case.reference == "LDN-2024-0001")).one()
    assert (alex.name, alex.category, alex.level, alex.status) == (
        "Alex Example", Category.CATEGORY_2, Level.LEVEL_2, CaseStatus.ACTIVE,
    )  # fmt: skip
    assert alex.next_review_on == date(2025, 1, 13)
    sam = session.exec(select(Case).where(Case.reference == "LDN-2024-0002")).one()
    assert sam.status is CaseStatus.IN_CUSTODY
    kinds = session.exec(select(CaseEvent.kind).where(CaseEvent.case_id == sam.id)).all()
    assert set(kinds) == {CaseEventKind.REFERRED, CaseEventKind.CUSTODY_OTHER}
    created = session.exec(
        select(AuditEvent).where(AuditEvent.action == "create", AuditEvent.object_type == "Case")
    ).all()
    assert {event.summary for event in created} >= {"LDN-2024-0001", "LDN-2024-0002"}
    assert coordinator.post(response.location + "/import").status_code == 410  # imported once only


def test_category_4_rows_need_someone_cleared(client_as, factory, session):
    factory.agency("Probation Service (London)")
    row = "LDN-2024-0009,Terry Example,1985-02-02,4,3,Probation Service (London),2024-05-01,,,"
    uncleared = client_as("COORDINATOR")
    page = uncleared.get(_upload(uncleared, _csv(row)).location).data.decode()
    assert "LDN-2024-0009 cannot be brought in by you: ask someone cleared for terrorism cases" in page
    cleared = client_as(factory.user("COORDINATOR", terrorism_cleared=True))
    location = _upload(cleared, _csv(row)).location
    assert cleared.post(location + "/import").status_code == 302
    assert session.exec(select(Case).where(Case.reference == "LDN-2024-0009")).one().is_category_4


def test_a_hidden_category_4_case_is_not_confirmed_to_someone_not_cleared(client_as, factory, session):
    """A row whose reference is a Category 4 case the uploader may not see reads as any row they may not
    bring in: never "already in the tracker", which would confirm that the case exists."""
    factory.agency("Probation Service (London)")
    factory.case(reference="LDN-2023-0444", category=Category.CATEGORY_4, name="Hidden Person")
    rows = (
        "ldn-2023-0444,Sam Example,1975-01-01,2,2,Probation Service (London),2024-01-01,,,",
        "LDN-2024-0445,Terry Example,1985-02-02,4,3,Probation Service (London),2024-05-01,,,",
    )
    uncleared = client_as("COORDINATOR")
    location = _upload(uncleared, _csv(*rows)).location
    page = BeautifulSoup(uncleared.get(location).data, "html.parser")
    summary = page.select_one(".govuk-error-summary").get_text(" ", strip=True)
    assert "LDN-2023-0444 cannot be brought in by you: ask someone cleared for terrorism cases" in summary
    assert "LDN-2024-0445 cannot be brought in by you: ask someone cleared for terrorism cases" in summary
    # The same words as for a Category 4 row of their own, and nothing of the hidden case.
    said = [page.find("tr", id=f"row-{n}").get_text(" ", strip=True).split("Error:")[1] for n in (2, 3)]
    assert said[0].replace("LDN-2023-0444", "LDN-2024-0445") == said[1]
    text = page.get_text(" ", strip=True)
    assert "already in the tracker" not in text and "Hidden Person" not in text
    assert uncleared.post(location + "/import").status_code == 302
    assert session.exec(select(Case).where(Case.name == "Sam Example")).first() is None
    # Someone cleared is told plainly.
    cleared = client_as(factory.user("COORDINATOR", terrorism_cleared=True))
    summary = _summary_of(cleared, _upload(cleared, _csv(rows[0])).location)
    assert "Row 2, reference: LDN-2023-0444 is already in the tracker" in summary


def _summary_of(client, location: str) -> str:
    page = BeautifulSoup(client.get(location).data, "html.parser")
    return page.select_one(".govuk-error-summary").get_text(" ", strip=True)


def test_an_excel_workbook_is_read_like_a_csv(coordinator, session):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(
        ["LDN-2024-0100", "Lee Example", date(1990, 4, 4), 3, 2, "Probation Service (London)", date(2024, 6, 1)]
    )
    data = io.BytesIO()
    book.save(data)
    location = _upload(coordinator, data.getvalue(), "caseload.xlsx").location
    assert "every row is ready" in coordinator.get(location).data.decode()
    coordinator.post(location + "/import")
    lee = session.exec(select(Case).where(Case.reference == "LDN-2024-0100")).one()
    assert (lee.date_of_birth, lee.category) == (date(1990, 4, 4), Category.CATEGORY_3)


def test_a_workbook_whose_formulas_were_never_worked_out_is_refused_naming_the_cell(coordinator, session):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(
        ["LDN-2024-0101", '=CONCAT("Lee ", "Example")', "1990-04-04", 3, 2, "Probation Service (London)"]
    )
    data = io.BytesIO()
    book.save(data)  # openpyxl saves formulas without their results, as a script-made file would be
    response = _upload(coordinator, data.getvalue(), "caseload.xlsx")
    assert response.status_code == 200
    assert "Cell B2 holds a formula with no saved result" in response.data.decode()
    assert session.exec(select(Case).where(Case.reference == "LDN-2024-0101")).first() is None


def test_a_row_naming_the_lay_advisers_is_told_they_hold_no_case_records(coordinator, factory, session):
    factory.agency("Board Lay Advisers", AgencySector.LAY_ADVISERS)
    row = "LDN-2024-0200,Ash Example,1988-02-02,2,2,board lay advisers,2024-06-01,,,"
    page = coordinator.get(_upload(coordinator, _csv(row)).location).data.decode()
    assert "Row 2, lead_agency: ‘board lay advisers’ holds no case records, so it cannot be the lead agency" in page
    assert "There is no agency called" not in page
    assert session.exec(select(Case).where(Case.reference == "LDN-2024-0200")).first() is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The selected file is empty"),
        (b"reference,name\nX,Y\n", "date_of_birth, category, level, lead_agency, referred_on are missing"),
        (("\ufeff" + HEADER + "\n").encode("utf-16"), "The selected file has no cases below"),
        (b"\x00\x01\x02garbage", "must be a CSV or an Excel workbook"),
    ],
)
def test_a_file_that_cannot_be_read_gets_a_clear_message(coordinator, data, message):
    response = _upload(coordinator, data)
    assert response.status_code == 200
    assert message in response.data.decode()


def test_only_the_coordinator_brings_in_a_caseload(client_as):
    for role in ("CHAIR", "ADMINISTRATOR", "SYSTEM_ADMIN", "SMB"):
        assert client_as(role).get("/cases/import").status_code == 403


def test_an_import_is_recorded_in_the_trail_as_a_combination(coordinator, session):
    """Section 62 asks for a log of combination: bringing a caseload into the area's records is one."""
    row = "LDN-2024-0031,Jo Example,1980-05-31,2,2,Probation Service (London),2024-09-02,,,"
    location = _upload(coordinator, _csv(row), filename="borough.csv").location
    assert coordinator.post(location + "/import").status_code == 302
    (entry,) = session.exec(select(AuditEvent).where(AuditEvent.action == "import")).all()
    assert entry.summary == "1 line of cases brought in from borough.csv"


def test_an_upload_never_brought_in_is_dropped_by_the_next_or_after_a_day(client_as, coordinator, factory, session):
    """An upload holds names and dates of birth: one abandoned is not kept. The person's next upload
    replaces their earlier one, and anyone's left for a day goes with the next upload made."""
    from datetime import timedelta

    from tracker.core.types import utcnow
    from tracker.transfer.models import CaseloadUpload

    row = "LDN-2024-0041,Kit Example,1980-05-31,2,2,Probation Service (London),2024-09-02,,,"
    _upload(coordinator, _csv(row, row.replace("0041", "0042")))
    second = _upload(coordinator, _csv(row)).location
    assert [len(u.rows) for u in session.exec(select(CaseloadUpload))] == [1]
    assert coordinator.get(second).status_code == 200
    someone = client_as("COORDINATOR")
    theirs = int(_upload(someone, _csv(row)).location.rsplit("/", 1)[1])
    old = session.get(CaseloadUpload, theirs)
    old.created_at = utcnow() - timedelta(days=2)
    factory.save(old)
    _upload(coordinator, _csv(row))
    session.expire_all()
    assert session.get(CaseloadUpload, theirs) is None
    assert len(session.exec(select(CaseloadUpload)).all()) == 1


# Who brought a case in, and when its review is due ------------------------------------------------------


def test_whoever_brings_a_caseload_in_is_not_made_its_referrer(app, client_as, factory, session):
    """The co-ordinator who imports a caseload did not refer it: the case has no referrer in the tracker
    (so no "own case" access and no "referred the case" part in a justification), and the trail records
    who brought it in."""
    from tracker.meetings import access
    from tracker.meetings.justification import role_on_case

    factory.agency("Probation Service (London)")
    importer = factory.user("COORDINATOR")
    client = client_as(importer)
    row = "LDN-2024-0051,Bo Example,1980-05-31,2,2,Probation Service (London),2024-09-02,,,"
    assert client.post(_upload(client, _csv(row)).location + "/import").status_code == 302
    case = session.exec(select(Case).where(Case.reference == "LDN-2024-0051")).one()
    assert case.created_by_id is None
    with app.test_request_context():
        assert role_on_case(importer, case.id) == ""
    created = session.exec(
        select(AuditEvent).where(AuditEvent.action == "create", AuditEvent.summary == "LDN-2024-0051")
    ).one()
    assert created.user_id == importer.id
    # Were they a chair now, the case would not be theirs for having brought it in.
    importer.set_roles({Role.CHAIR})
    factory.save(importer)
    with app.test_request_context():
        mine = session.exec(select(Case.id).where(access.managed_case_condition(importer))).all()
    assert case.id not in mine


def test_a_next_review_date_brought_in_sets_when_the_case_is_due_within_the_levels_interval(
    coordinator, session
):
    """The caseload's next review date is when the case is next due (a review, as it was discussed before
    the tracker), not the initial meeting deadline of a referral long past; and it keeps to the interval
    the decision form does: Level 2 reviewed at least every 16 weeks, Level 3 every 8."""
    from datetime import timedelta

    from tracker.core.timeutil import today_london
    from tracker.meetings import rules

    today = today_london()
    soon, late = today + timedelta(weeks=4), today + timedelta(weeks=9)
    rows = (
        f"LDN-2024-0061,Al Example,1980-05-31,2,2,Probation Service (London),2024-01-02,{soon:%Y-%m-%d},,",
        f"LDN-2024-0062,Bea Example,1980-05-31,2,3,Probation Service (London),2024-01-02,{late:%Y-%m-%d},,",
        f"LDN-2024-0063,Cy Example,1980-05-31,2,2,Probation Service (London),2024-01-02,{late:%Y-%m-%d},,",
        "LDN-2024-0064,Di Example,1980-05-31,2,2,Probation Service (London),2024-01-02,2023-12-01,,",
    )
    location = _upload(coordinator, _csv(*rows)).location
    summary = _summary_of(coordinator, location)
    latest = today + timedelta(weeks=8)
    assert (
        f"Row 3, next_review_due: The next review must be no later than {latest:%-d %B %Y}: Level 3 cases are reviewed at "
        "least every 8 weeks"
    ) in summary
    assert "Row 4" not in summary  # 9 weeks is within Level 2's 16
    assert "Row 5, next_review_due: The next review must be after the referral" in summary
    assert coordinator.post(location + "/import").status_code == 302
    assert session.exec(select(Case).where(Case.reference == "LDN-2024-0061")).first() is None  # nothing
    location = _upload(coordinator, _csv(rows[0])).location
    assert coordinator.post(location + "/import").status_code == 302
    al = session.exec(select(Case).where(Case.reference == "LDN-2024-0061")).one()
    assert (al.next_review_on, al.review_due_on) == (soon, soon)
    assert rules.next_meeting_kind(al.last_reviewed_on, al.next_review_on) == rules.REVIEW
    page = BeautifulSoup(open_page(coordinator, f"/cases/{al.id}").data, "html.parser")
    assert f"Review, {soon:%-d %B %Y}" in " ".join(page.get_text(" ").split())


def test_a_preview_used_or_expired_says_so_and_links_to_upload_again(client_as, coordinator, factory, session):
    """The preview of a file already imported, dropped, left for a day or never this person's: a page that
    says it has expired or been used and where to upload again (not "Page not found"), importing nothing."""
    from datetime import timedelta

    from tracker.core.types import utcnow
    from tracker.transfer.models import CaseloadUpload

    row = "LDN-2024-0071,Ed Example,1980-05-31,2,2,Probation Service (London),2024-09-02,,,"
    used = _upload(coordinator, _csv(row)).location
    assert coordinator.post(used + "/import").status_code == 302
    for response in (coordinator.get(used), coordinator.post(used + "/import")):
        assert response.status_code == 410
        page = BeautifulSoup(response.data, "html.parser")
        assert page.h1.get_text(strip=True) == "This preview has expired or has been used"
        assert [a["href"] for a in page.select("main a.govuk-link")] == ["/cases/import"]
    assert len(session.exec(select(Case).where(Case.reference == "LDN-2024-0071")).all()) == 1
    # One left for a day has expired, though not yet dropped.
    waiting = _upload(coordinator, _csv(row.replace("0071", "0072"))).location
    upload = session.get(CaseloadUpload, int(waiting.rsplit("/", 1)[1]))
    upload.created_at = utcnow() - timedelta(days=2)
    factory.save(upload)
    assert coordinator.post(waiting + "/import").status_code == 410
    assert session.exec(select(Case).where(Case.reference == "LDN-2024-0072")).first() is None
    # Gone altogether, or someone else's: nothing says which, and every kind of upload is offered.
    someone = client_as("COORDINATOR")
    for client, location in ((coordinator, "/cases/import/99999"), (someone, used)):
        response = client.get(location)
        assert response.status_code == 410
        links = [a["href"] for a in BeautifulSoup(response.data, "html.parser").select("main a.govuk-link")]
        assert links == ["/cases/import", "/cases/import/meetings", "/cases/import/actions"]


def test_a_cell_from_the_trackers_own_downloads_loses_the_apostrophe_put_before_a_formula(coordinator, session):
    row = "LDN-2024-0081,Fay Example,1980-05-31,2,2,Probation Service (London),2024-09-02,,,'-Camden"
    assert coordinator.post(_upload(coordinator, _csv(row)).location + "/import").status_code == 302
    assert session.exec(select(Case.borough).where(Case.reference == "LDN-2024-0081")).one() == "-Camden"


# Reading what spreadsheets write, and saying what is wrong by row and column ----------------------------

LONDON = "Probation Service (London)"


def _preview(client, data: bytes, filename: str = "caseload.csv") -> tuple[str, str]:
    """The preview's address and its error summary ("" when every row is ready)."""
    location = _upload(client, data, filename).location
    page = BeautifulSoup(client.get(location).data, "html.parser")
    found = page.select_one(".govuk-error-summary")
    return location, found.get_text(" ", strip=True) if found else ""


def test_dates_excel_keeps_as_numbers_are_read_as_the_dates_they_are(coordinator, session):
    """A date column formatted as a number (Excel's count of days from 30 December 1899), in a CSV or a
    workbook, reads as the date; a year of two digits is not guessed."""
    born, referred = date(1980, 5, 31), date(2024, 9, 2)
    serial = {day: (day - date(1899, 12, 30)).days for day in (born, referred)}
    row = f"LDN-2024-0091,Gus Example,{serial[born]},2,2,{LONDON},{serial[referred]},,,"
    location, summary = _preview(coordinator, _csv(row))
    assert summary == ""
    assert session.exec(select(Case).where(Case.reference == "LDN-2024-0091")).first() is None
    assert coordinator.post(location + "/import").status_code == 302
    book = Workbook()
    book.active.append(HEADER.split(","))
    book.active.append(["LDN-2024-0092", "Hal Example", serial[born], 2, 2, LONDON, serial[referred]])
    data = io.BytesIO()
    book.save(data)
    workbook, summary = _preview(coordinator, data.getvalue(), "caseload.xlsx")
    assert summary == ""
    assert coordinator.post(workbook + "/import").status_code == 302
    for reference in ("LDN-2024-0091", "LDN-2024-0092"):
        case = session.exec(select(Case).where(Case.reference == reference)).one()
        assert (case.date_of_birth, case.referred_on) == (born, referred)
    row = f"LDN-2024-0093,Ida Example,31/05/80,2,2,{LONDON},2024-09-02,,,"
    _location, summary = _preview(coordinator, _csv(row))
    assert "Row 2, date_of_birth: Write the year of the date of birth in full, like 1980-05-31" in summary


def test_a_csv_excel_saved_with_semicolons_is_read(coordinator, session):
    row = f"LDN-2024-0094;Jan Example;31/05/1980;2;2;{LONDON};02/09/2024;;;Camden"
    data = HEADER.replace(",", ";") + "\n" + row + "\n"
    location, summary = _preview(coordinator, data.encode("cp1252"))
    assert summary == ""
    assert coordinator.post(location + "/import").status_code == 302
    case = session.exec(select(Case).where(Case.reference == "LDN-2024-0094")).one()
    assert (case.name, case.borough, case.referred_on) == ("Jan Example", "Camden", date(2024, 9, 2))


def test_the_lead_agency_is_matched_by_name_case_and_spacing_aside_and_an_empty_one_is_asked_for(
    coordinator, session
):
    location, summary = _preview(
        coordinator,
        _csv(
            "LDN-2024-0095,Kay Example,1980-05-31,2,2,  probation   SERVICE (london) ,2024-09-02,,,",
            "LDN-2024-0096,Lou Example,1980-05-31,2,2,,2024-09-02,,,",
        ),
    )
    assert "Row 2" not in summary
    assert "Row 3, lead_agency: Enter the lead agency's name, as listed in the tracker" in summary
    assert "There is no agency called ‘’" not in summary
    assert session.exec(select(Case).where(Case.reference == "LDN-2024-0095")).first() is None


def test_the_templates_example_row_left_in_is_not_brought_in(coordinator, session):
    location, summary = _preview(coordinator, caseload.template_csv().encode("utf-8-sig"))
    assert (
        "Row 2: This is the template's example row (Alex Example, born 31 May 1980): delete it and upload "
        "the file again"
    ) in summary
    assert coordinator.post(location + "/import").status_code == 302
    assert session.exec(select(Case).where(Case.name == "Alex Example")).first() is None


def test_a_date_of_birth_in_the_future_and_a_status_that_is_an_event_are_told_by_row_and_column(
    coordinator, session
):
    from datetime import timedelta

    from tracker.core.timeutil import today_london

    tomorrow = today_london() + timedelta(days=1)
    location, summary = _preview(
        coordinator,
        _csv(
            f"LDN-2024-0097,Max Example,{tomorrow:%Y-%m-%d},2,2,{LONDON},2024-09-02,,,",
            f"LDN-2024-0098,Ned Example,1980-05-31,2,2,{LONDON},2024-09-02,,Recalled,",
            f"LDN-2024-0099,Ola Example,1980-05-31,2,2,{LONDON},2024-09-02,,exited,",
        ),
    )
    assert "Row 2, date_of_birth: The date of birth must be in the past" in summary
    assert (
        "Row 3, status: A recall is recorded on the case once it is in the tracker: enter In custody as the "
        "status"
    ) in summary
    assert "Row 4, status: A case that has left MAPPA is not brought in" in summary
    assert session.exec(select(Case).where(Case.reference == "LDN-2024-0098")).first() is None


def test_a_case_in_custody_comes_in_with_one_custody_event_after_its_referral_and_keeps_its_review(
    coordinator, session
):
    from datetime import timedelta

    from tracker.core.timeutil import today_london

    review = today_london() + timedelta(weeks=2)
    row = f"LDN-2024-0100,Pat Example,1980-05-31,2,2,{LONDON},2024-09-02,{review:%Y-%m-%d},In-Custody,"
    location, summary = _preview(coordinator, _csv(row))
    assert summary == ""
    assert coordinator.post(location + "/import").status_code == 302
    case = session.exec(select(Case).where(Case.reference == "LDN-2024-0100")).one()
    events = session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)).all()
    assert [event.kind for event in events] == [CaseEventKind.REFERRED, CaseEventKind.CUSTODY_OTHER]
    assert events[1].occurred_on == today_london() and events[1].level is Level.LEVEL_2
    assert (case.status, case.next_review_on, case.review_due_on) == (CaseStatus.IN_CUSTODY, review, review)
