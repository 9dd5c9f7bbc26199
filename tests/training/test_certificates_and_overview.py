"""Certificates as PDF, and the overview of a reporting year and its CSV export."""

import csv
import io
from datetime import date

import pypdf
from sqlmodel import select

from tests.justify import disclosed
from tests.pages import page_text, soup, table_rows
from tests.posted import date_parts
from tests.reports.shorthand import C1, L2, R
from tracker.core.models import AuditEvent
from tracker.core.pillars import Pillar
from tracker.training import overview, rules
from tracker.training.models import (
    Attendance,
    CourseEvent,
    CourseKind,
    EnrolmentStatus,
    EventKind,
    Mark,
    TraineeRole,
)


def _pdf(response) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(response.data))


def test_a_chair_downloads_their_certificate_with_their_name_and_the_event(client_as, factory, session):
    chair = factory.user("CHAIR", name="Daniel Price")
    course = factory.course(title="MAPPA Chair Training")
    event = factory.event(course, title="Cohort 1, May 2024", days=[date(2024, 5, 13), date(2024, 5, 14)])
    place = factory.completed(event, factory.trainee(chair), date(2024, 5, 14), sessions_attended=2)
    response = client_as(chair).get(disclosed(f"/training/enrolments/{place.id}/certificate.pdf"))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="certificate-cohort-1-may-2024-daniel-price.pdf"'
    )
    reader = _pdf(response)
    text = reader.pages[0].extract_text()
    for words in (
        "Certificate of completion",
        "Daniel Price",
        "MAPPA Chair Training",
        "Cohort 1, May 2024",
        "13 and 14 May 2024",
    ):
        assert words in text
    assert (
        reader.metadata.title
        == "Certificate of completion: Daniel Price, MAPPA Chair Training (Cohort 1, May 2024)"
    )
    assert "Training and Research Sub-Group" in reader.metadata.author
    fonts = [font.get_object() for font in reader.pages[0]["/Resources"]["/Font"].values()]
    assert fonts and all("/FontFile2" in font["/FontDescriptor"] for font in fonts)  # every font embedded
    audit = session.exec(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert (audit.object_type, audit.object_id) == ("Enrolment", str(place.id))


def test_nobody_else_may_download_a_chairs_certificate_and_unfinished_courses_have_none(client_as, factory):
    event = factory.event()
    done = factory.completed(event, sessions_attended=2)
    halfway = factory.enrolment(event, sessions_attended=1)
    assert client_as("CHAIR").get(disclosed(f"/training/enrolments/{done.id}/certificate.pdf")).status_code == 404
    assert client_as("TRSG").get(disclosed(f"/training/enrolments/{halfway.id}/certificate.pdf")).status_code == 404


def test_a_forum_certifies_attendance_with_its_pillar_and_cpd_hours(client_as, factory):
    forum_course = factory.course(CourseKind.CPD, title="Chairs' Forum", cpd_minutes=180)
    forum = factory.event(
        forum_course, title="June forum", pillar=Pillar.INTERVENTIONS_AND_TREATMENT, days=[date(2024, 6, 12)]
    )
    place = factory.completed(forum, factory.trainee(name="Asha Forum"), sessions_attended=1, cpd_minutes=180)
    text = (
        _pdf(client_as("TRSG").get(disclosed(f"/training/enrolments/{place.id}/certificate.pdf")))
        .pages[0]
        .extract_text()
    )
    assert "Certificate of attendance" in text and "Asha Forum" in text
    assert "Focus: Interventions and treatment" in text and "3 CPD hours" in text


def test_certificates_for_an_event_come_as_one_pdf_with_a_page_per_person(client_as, factory, session):
    event = factory.event(title="Cohort 2")
    names = ["Ann One", "Ben Two", "Cat Three"]
    for name in names:
        factory.completed(event, factory.trainee(name=name), sessions_attended=2)
    factory.enrolment(event, factory.trainee(name="Dan Unfinished"), sessions_attended=1)
    response = client_as("TRSG").get(disclosed(f"/training/events/{event.id}/certificates.pdf"))
    assert response.headers["Content-Disposition"] == 'attachment; filename="certificates-cohort-2.pdf"'
    reader = _pdf(response)
    assert [next(n for n in names if n in page.extract_text()) for page in reader.pages] == names
    assert reader.metadata.title.startswith("Certificates: ")
    assert (
        session.exec(select(AuditEvent).where(AuditEvent.action == "export")).one().object_type
        == "CourseEvent"
    )


def test_an_event_with_nobody_to_certify_says_so(client_as, factory):
    event = factory.event()
    response = client_as("TRSG").get(disclosed(f"/training/events/{event.id}/certificates.pdf"), follow_redirects=True)
    assert "No one has a certificate for this event yet" in page_text(response)


# The overview --------------------------------------------------------------------------------------


def _known_year(factory):
    """2024/25: one chair course (3 completers: 2 chairs, 1 administrator; D absent on day 2), a forum
    on 31 March 2025 with 2 participants, and a forum on 1 April 2025 that belongs to the next year."""
    course = factory.course(title="Chair course")
    cohort = factory.event(course, days=[date(2024, 5, 13), date(2024, 5, 14)])
    places = []
    for name, role in [("A", TraineeRole.CHAIR), ("B", TraineeRole.CHAIR), ("C", TraineeRole.ADMINISTRATOR)]:
        places.append(
            factory.completed(
                cohort, factory.trainee(name=name), date(2024, 5, 14), role=role, sessions_attended=2
            )
        )
    absent = factory.enrolment(cohort, factory.trainee(name="D"), sessions_attended=1)
    day1, day2 = cohort.sessions
    for place in places:
        factory.save(Attendance(session_id=day1.id, enrolment_id=place.id, mark=Mark.PRESENT))
        factory.save(Attendance(session_id=day2.id, enrolment_id=place.id, mark=Mark.LATE))
    factory.save(Attendance(session_id=day1.id, enrolment_id=absent.id, mark=Mark.PRESENT))
    factory.save(Attendance(session_id=day2.id, enrolment_id=absent.id, mark=Mark.ABSENT))

    forum_course = factory.course(CourseKind.CPD, title="Forum", cpd_minutes=180)
    march = factory.event(
        forum_course, pillar=Pillar.SUPERVISION, days=[date(2025, 3, 31)], title="March forum"
    )
    april = factory.event(forum_course, days=[date(2025, 4, 1)], title="April forum")
    for event, names in [(march, ("E", "F")), (april, ("G",))]:
        for name in names:
            factory.completed(
                event, factory.trainee(name=name), event.starts_at.date(), sessions_attended=1, cpd_minutes=180
            )


def test_the_overview_shows_the_years_figures_from_known_data(client_as, factory, app_context):
    _known_year(factory)
    figures = overview.year_figures(rules.ReportingYear(2024))
    assert figures.chair_courses == 1
    assert figures.events == {EventKind.COHORT: 1, EventKind.CHAIRS_FORUM: 1}
    assert figures.new_chairs == 2
    assert figures.trained_by_role == {
        TraineeRole.CHAIR: 4,
        TraineeRole.ADMINISTRATOR: 1,
        TraineeRole.STAFF: 0,
    }
    assert [(f.title, f.participants, f.pillar) for f in figures.forums] == [
        ("March forum", 2, Pillar.SUPERVISION)
    ]
    assert figures.cpd_minutes == 360
    assert [(a.kind, a.marked, a.attended) for a in figures.attendance] == [(EventKind.COHORT, 8, 7)]
    next_year = overview.year_figures(rules.ReportingYear(2025))
    assert [f.title for f in next_year.forums] == ["April forum"] and next_year.new_chairs == 0

    for role in ("SMB", "LAY_ADVISER", "TRSG"):
        response = client_as(role).get("/training/overview?year=2024")
        text = page_text(response)
        assert "Training overview 2024/25" in text
        assert "1 chair training course" in text and "2 new chairs trained" in text
        assert table_rows(response, "Chairs' Forums held")[0] == [
            "March forum",
            "31 March 2025",
            "Supervision",
            "2",
        ]
        assert ["Course cohort", "1", "88%"] in table_rows(response, "Events delivered by kind")


def test_the_overview_downloads_as_csv(client_as, factory, session):
    _known_year(factory)
    response = client_as("SMB").get(disclosed("/training/overview.csv?year=2024"))
    assert response.headers["Content-Disposition"] == 'attachment; filename="training-overview-2024-25.csv"'
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    values = {row["Measure"]: row["Value"] for row in rows}
    assert rows[0]["Reporting year"] == "2024/25"
    assert values["Chair training courses"] == "1"
    assert values["New chairs trained"] == "2"
    assert values["Participants in all"] == "2"
    assert values["CPD hours"] == "6"
    assert values["Course cohort: attendance rate (%)"] == "88"
    assert (
        session.exec(select(AuditEvent).where(AuditEvent.action == "export")).one().summary == "CSV 2024/25"
    )


def test_the_attendance_rate_counts_as_the_completion_rule_does_and_leaves_out_those_withdrawn(
    client_as, factory
):
    cohort = factory.event(factory.course(title="Chair course"), days=[date(2024, 12, 1), date(2024, 12, 2)])
    stayed = factory.enrolment(cohort, factory.trainee(name="Left Early Once"), EnrolmentStatus.NOT_COMPLETED)
    withdrawn = factory.enrolment(cohort, factory.trainee(name="David Young"), EnrolmentStatus.WITHDRAWN)
    for day, mark in zip(cohort.sessions, (Mark.PRESENT, Mark.LEFT_EARLY), strict=True):
        factory.save(Attendance(session_id=day.id, enrolment_id=stayed.id, mark=mark))
        factory.save(Attendance(session_id=day.id, enrolment_id=withdrawn.id, mark=Mark.PRESENT))
    # A course whose rule counts left early as attending.
    lenient = factory.course(CourseKind.CPD, title="Forum", completion_marks=["PRESENT", "LATE", "LEFT_EARLY"])
    forum = factory.event(lenient, days=[date(2024, 12, 10)])
    place = factory.completed(forum)
    factory.save(Attendance(session_id=forum.sessions[0].id, enrolment_id=place.id, mark=Mark.LEFT_EARLY))

    client = client_as("SMB")
    rows = table_rows(client.get("/training/overview?year=2024"), "Events delivered by kind")
    assert ["Course cohort", "1", "50%"] in rows and ["Chairs' Forum", "1", "100%"] in rows
    assert ["All events", "2", "67%"] in rows
    export = client.get(disclosed("/training/overview.csv?year=2024"))
    values = {row["Measure"]: row["Value"] for row in csv.DictReader(io.StringIO(export.data.decode("utf-8-sig")))}
    assert values["Course cohort: attendance rate (%)"] == "50"
    assert values["Attendance rate overall (%)"] == "67"


def test_an_event_counts_as_delivered_only_once_someone_attended_it(client_as, factory, app_context):
    """An event nobody came to was not delivered: not one nobody enrolled on, nor one whose registers
    mark everyone absent. While no register is marked, someone holding a place is taken as attending."""
    briefings = factory.course(CourseKind.CPD, title="Briefing")

    def briefing(title, day):
        return factory.event(briefings, kind=EventKind.BRIEFING, days=[day], title=title)

    briefing("Briefing for agency staff 2", date(2024, 6, 3))  # nobody enrolled
    absent = briefing("All absent", date(2024, 7, 1))
    place = factory.enrolment(absent, role=TraineeRole.STAFF)
    factory.save(Attendance(session_id=absent.sessions[0].id, enrolment_id=place.id, mark=Mark.ABSENT))
    withdrawn = briefing("Everyone withdrew", date(2024, 8, 5))
    factory.enrolment(withdrawn, status=EnrolmentStatus.WITHDRAWN, role=TraineeRole.STAFF)
    unmarked = briefing("Registers not yet marked", date(2024, 9, 2))
    factory.enrolment(unmarked, role=TraineeRole.STAFF)
    left_early = briefing("Left early", date(2024, 10, 7))
    place = factory.enrolment(left_early, status=EnrolmentStatus.NOT_COMPLETED, role=TraineeRole.STAFF)
    factory.save(Attendance(session_id=left_early.sessions[0].id, enrolment_id=place.id, mark=Mark.LEFT_EARLY))
    empty_forum = factory.event(briefings, kind=EventKind.CHAIRS_FORUM, days=[date(2024, 11, 4)], title="Empty")

    figures = overview.year_figures(rules.ReportingYear(2024))
    assert figures.events == {EventKind.BRIEFING: 2}
    assert figures.forums == [] and empty_forum.title == "Empty"
    response = client_as("SMB").get("/training/overview?year=2024")
    assert ["Briefing for agency staff", "2", "0%"] in table_rows(response, "Events delivered by kind")
    assert "once it has begun and someone attended it" in page_text(response)
    factory.person(C1, (date(2022, 5, 1), R, L2))  # the annual report's years start with case history
    report = client_as("SMB").get("/reports/annual-report?year=2024")
    training = soup(report).select("#table-training tbody tr")
    rows = [[cell.get_text(" ", strip=True) for cell in row.select("th, td")] for row in training]
    assert ["Training and CPD events delivered", "2"] in rows


def test_a_year_with_no_training_is_refused_as_not_found(client_as):
    assert client_as("SMB").get("/training/overview?year=1990").status_code == 404


def test_a_chair_course_earns_no_cpd_hours_on_its_form_certificate_record_or_report(
    client_as, factory, session, app_context
):
    """Chairs are trained by the chair course and kept current by CPD events: the chair course's event
    form does not ask for CPD hours (hours posted anyway are not kept), and hours an event was once
    given are printed on no certificate, counted in no record and in no report, as the CPD events'
    hours are."""
    chair = factory.user("CHAIR", name="Daniel Price")
    course = factory.course(title="MAPPA Chair Training")
    client = client_as("TRSG")
    form = client.get(f"/training/courses/{course.id}/events/new")
    assert soup(form).select_one("input[name=cpd_hours]") is None
    client.post(
        f"/training/courses/{course.id}/events/new",
        data={
            "title": "Cohort posted",
            "kind": "COHORT",
            "capacity": "20",
            "cpd_hours": "12",
            "first_day": date_parts(date(2025, 5, 12)),
            "starts": "09:30",
            "ends": "16:30",
            "venue": "Room 2",
        },
    )
    posted = session.exec(select(CourseEvent).where(CourseEvent.title == "Cohort posted")).one()
    assert posted.cpd_minutes == 0

    # An event given 12 CPD hours before this was fixed, completed by Daniel; then a forum worth 3.
    days = [date(2025, 5, 13), date(2025, 5, 14)]
    cohort = factory.event(course, title="Cohort 1", days=days, cpd_minutes=720)
    place = factory.completed(
        cohort, factory.trainee(chair), date(2025, 5, 14), sessions_attended=2, cpd_minutes=720
    )
    forum = factory.event(
        factory.course(CourseKind.CPD, title="Chairs' Forum", cpd_minutes=180),
        title="June forum",
        pillar=Pillar.SUPERVISION,
        days=[date(2025, 6, 12)],
    )
    trainee = session.get(type(place), place.id).trainee
    factory.completed(forum, trainee, date(2025, 6, 12), sessions_attended=1, cpd_minutes=180)

    certificate = _pdf(client.get(disclosed(f"/training/enrolments/{place.id}/certificate.pdf")))
    assert "CPD" not in certificate.pages[0].extract_text()
    record = client_as(chair).get("/training/my-record")
    assert "CPD hours in all: 3" in page_text(record)
    rows = table_rows(record, "Courses and CPD events")
    assert [row[3] for row in rows] == ["3", "Not CPD"]
    assert overview.year_figures(rules.ReportingYear(2025)).cpd_minutes == 180
    assert "None: chair training is not CPD" in page_text(client.get(f"/training/events/{cohort.id}"))
