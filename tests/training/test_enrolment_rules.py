"""The enrolment rules: one place per person per course and no second chair course for a completed chair
(unless the TRSG overrides, with a reason), and a warning for sessions on weekends or bank holidays."""

from datetime import date

from sqlmodel import select

from tests.pages import banners, error_summary, page_text, table_rows
from tests.posted import session_form
from tests.training.helpers import upload_people
from tracker.core.models import AuditEvent
from tracker.training.models import CourseKind, Enrolment, EnrolmentImport, EnrolmentStatus, EventKind

SPRING, AUTUMN = [date(2031, 3, 10), date(2031, 3, 11)], [date(2031, 10, 6), date(2031, 10, 7)]


def _two_cohorts(factory):
    course = factory.course(title="MAPPA Chair Training")
    return (
        factory.event(course, days=SPRING, title="Spring cohort"),
        factory.event(course, days=AUTUMN, title="Autumn cohort"),
    )


def _enrol(client, event, trainee, reason=""):
    data = {"name": trainee.name, "email": trainee.email, "agency_id": str(trainee.agency_id)}
    if reason:
        data["override_reason"] = reason
    return client.post(f"/training/events/{event.id}/enrol", data=data, follow_redirects=True)


def test_a_person_with_a_place_on_one_cohort_needs_an_override_for_another(client_as, factory, session):
    spring, autumn = _two_cohorts(factory)
    rosa = factory.trainee(name="Rosa Delgado")
    factory.enrolment(spring, rosa)
    client = client_as("TRSG")

    response = _enrol(client, autumn, rosa)
    assert error_summary(response) == [
        "Rosa Delgado already has a place on MAPPA Chair Training (Spring cohort): one place per person "
        "per course. To give them a place anyway, say why the rule is overridden"
    ]
    assert session.exec(select(Enrolment).where(Enrolment.event_id == autumn.id)).all() == []

    response = _enrol(client, autumn, rosa, reason="Moving to the autumn cohort; spring place to be withdrawn")
    assert "Rosa Delgado added to the event." in banners(response)
    rows = table_rows(response, "People on this event")
    assert "Enrolment rules overridden: Moving to the autumn cohort; spring place to be withdrawn" in rows[0][2]
    enrolment = session.exec(select(Enrolment).where(Enrolment.event_id == autumn.id)).one()
    audit = session.exec(
        select(AuditEvent).where(AuditEvent.action == "override", AuditEvent.object_id == str(enrolment.id))
    ).one()
    assert "Spring cohort" in audit.summary and "Moving to the autumn cohort" in audit.summary


def test_a_completed_chair_is_not_offered_another_chair_course(client_as, factory, session):
    done = factory.event(factory.course(title="MAPPA Chair Training"), days=SPRING, title="Spring cohort")
    other = factory.event(factory.course(title="Chairing Level 3 meetings"), days=AUTUMN, title="Cohort 1")
    tom = factory.trainee(name="Tom Ashby")
    factory.enrolment(done, tom, EnrolmentStatus.COMPLETED, completed_on=SPRING[1])
    response = _enrol(client_as("TRSG"), other, tom)
    assert error_summary(response) == [
        "Tom Ashby has already completed a chair course (MAPPA Chair Training): completed chairs are not "
        "offered places on another chair course. To give them a place anyway, say why the rule is overridden"
    ]
    assert session.exec(select(Enrolment).where(Enrolment.event_id == other.id)).all() == []


def test_chairs_forums_can_be_attended_again_and_again(client_as, factory, session):
    forums = factory.course(CourseKind.CPD, title="Chairs' Forum")
    june = factory.event(forums, days=[date(2031, 6, 12)], kind=EventKind.CHAIRS_FORUM)
    november = factory.event(forums, days=[date(2031, 11, 13)], kind=EventKind.CHAIRS_FORUM)
    chair = factory.trainee(name="Ann Chair")
    factory.enrolment(june, chair)
    response = _enrol(client_as("TRSG"), november, chair)
    assert "Ann Chair added to the event." in banners(response)


def test_an_upload_shows_the_rule_as_a_row_error_until_overridden(client_as, factory, session):
    spring, autumn = _two_cohorts(factory)
    agency = factory.agency("Metropolitan Police Service")
    factory.enrolment(spring, factory.trainee(name="Kim Nguyen", email="kim@example.org", agency_id=agency.id))
    client = client_as("TRSG")
    rows = ["Kim Nguyen,kim@example.org,Metropolitan Police Service", "Lee Park,lee@example.org,Metropolitan Police Service"]
    response = upload_people(client, autumn, rows)
    assert error_summary(response) == [
        "Line 2: Kim Nguyen already has a place on MAPPA Chair Training (Spring cohort): one place per "
        "person per course"
    ]
    assert "give a reason for overriding the enrolment rules" in page_text(response)
    staged = session.exec(select(EnrolmentImport)).one()

    response = client.post(f"/training/uploads/{staged.id}/confirm", follow_redirects=True)
    assert (
        "Nobody has been enrolled: give a reason for overriding the enrolment rules, or upload a corrected "
        "file." in banners(response)
    )
    assert session.exec(select(Enrolment).where(Enrolment.event_id == autumn.id)).all() == []

    response = client.post(
        f"/training/uploads/{staged.id}/confirm",
        data={"override_reason": "Agreed with her manager"},
        follow_redirects=True,
    )
    assert "2 people enrolled from people.csv." in banners(response)
    reasons = {
        e.trainee.name: e.override_reason
        for e in session.exec(select(Enrolment).where(Enrolment.event_id == autumn.id))
    }
    assert reasons == {"Kim Nguyen": "Agreed with her manager", "Lee Park": ""}


def test_the_waiting_list_skips_those_with_a_place_or_a_completion_elsewhere(client_as, factory, session):
    spring, autumn = _two_cohorts(factory)
    autumn.capacity = 1
    session.add(autumn)
    session.commit()
    leaving = factory.enrolment(autumn, factory.trainee(name="Leaving Soon"))
    placed = factory.trainee(name="Placed Elsewhere")
    completed = factory.trainee(name="Completed Elsewhere")
    waiting = factory.trainee(name="Next Waiting")
    for position, trainee in enumerate([placed, completed, waiting], start=1):
        factory.enrolment(autumn, trainee, EnrolmentStatus.WAITING, waiting_position=position)
    factory.enrolment(spring, placed)
    factory.enrolment(spring, completed, EnrolmentStatus.COMPLETED, completed_on=SPRING[1])

    response = client_as("TRSG").post(f"/training/enrolments/{leaving.id}/withdraw", follow_redirects=True)
    assert "Leaving Soon withdrawn. Moved up from the waiting list: Next Waiting." in banners(response)
    rows = {row[0].split(" Test")[0]: row[2] for row in table_rows(response, "People on this event")}
    assert rows == {
        "Next Waiting": "Enrolled",
        "Placed Elsewhere": "Waiting list (number 1)",
        "Completed Elsewhere": "Waiting list (number 2)",
    }


def test_a_session_on_a_bank_holiday_warns_when_saved_but_is_saved(client_as, factory, session):
    event = factory.event(days=[date(2025, 4, 16), date(2025, 4, 17)])
    data = session_form("Day 3", date(2025, 4, 18), ends="12:00")
    response = client_as("TRSG").post(
        f"/training/events/{event.id}/sessions/new", data=data, follow_redirects=True
    )
    assert "Session 'Day 3' added." in banners(response)
    assert (
        "Day 3, Friday 18 April 2025, is a bank holiday (Good Friday). Check the date is right."
        in banners(response)
    )
    session.expire_all()
    assert len(session.get(type(event), event.id).sessions) == 3


def test_a_session_moved_to_a_weekend_warns(client_as, factory, session):
    event = factory.event(days=[date(2027, 3, 8)])
    day = event.sessions[0]
    data = session_form("Day 1", date(2027, 3, 13), version=str(day.version))
    response = client_as("TRSG").post(f"/training/sessions/{day.id}/edit", data=data, follow_redirects=True)
    assert "Changes to 'Day 1' saved." in banners(response)
    assert "Day 1, Saturday 13 March 2027, is at the weekend. Check the date is right." in banners(response)


def test_a_place_on_another_chair_course_needs_an_override(client_as, factory, session):
    """A chair holding a place (or a waiting-list place) on an upcoming event of one chair course is not
    quietly given a place on another chair course: they would keep the first once they complete it."""
    january = factory.event(factory.course(title="MAPPA Chair Training"), days=SPRING, title="Cohort January")
    other = factory.event(factory.course(title="Chairing Level 3 meetings"), days=AUTUMN, title="Cohort 1")
    claire, wes = factory.trainee(name="Claire Donovan"), factory.trainee(name="Wes Hall")
    factory.enrolment(january, claire)
    factory.enrolment(january, wes, EnrolmentStatus.WAITING, waiting_position=1)
    client = client_as("TRSG")

    response = _enrol(client, other, claire)
    assert error_summary(response) == [
        "Claire Donovan already has a place on another chair course event (Cohort January, MAPPA Chair "
        "Training: enrolled): a chair takes one chair course at a time. To give them a place anyway, say "
        "why the rule is overridden"
    ]
    response = _enrol(client, other, wes)
    assert error_summary(response) == [
        "Wes Hall already has a place on another chair course event (Cohort January, MAPPA Chair "
        "Training: on the waiting list): a chair takes one chair course at a time. To give them a place "
        "anyway, say why the rule is overridden"
    ]
    assert session.exec(select(Enrolment).where(Enrolment.event_id == other.id)).all() == []

    response = _enrol(client, other, claire, reason="Moving to the level 3 course")
    assert "Claire Donovan added to the event." in banners(response)


def test_an_upload_shows_a_place_on_another_chair_course_as_a_row_error(client_as, factory, session):
    january = factory.event(factory.course(title="MAPPA Chair Training"), days=SPRING, title="Cohort January")
    other = factory.event(factory.course(title="Chairing Level 3 meetings"), days=AUTUMN, title="Cohort 1")
    agency = factory.agency("Metropolitan Police Service")
    factory.enrolment(january, factory.trainee(name="Kim Nguyen", email="kim@example.org", agency_id=agency.id))
    response = upload_people(client_as("TRSG"), other, ["Kim Nguyen,kim@example.org,Metropolitan Police Service"])
    assert error_summary(response) == [
        "Line 2: Kim Nguyen already has a place on another chair course event (Cohort January, MAPPA Chair "
        "Training: enrolled): a chair takes one chair course at a time"
    ]


def test_a_place_on_a_chair_course_already_over_does_not_count(client_as, factory, session):
    past = factory.event(
        factory.course(title="MAPPA Chair Training"), days=[date(2020, 3, 10)], title="Cohort 2020"
    )
    other = factory.event(factory.course(title="Chairing Level 3 meetings"), days=AUTUMN, title="Cohort 1")
    rosa = factory.trainee(name="Rosa Delgado")
    factory.enrolment(past, rosa)
    response = _enrol(client_as("TRSG"), other, rosa)
    assert "Rosa Delgado added to the event." in banners(response)
