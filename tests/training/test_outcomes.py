"""Outcomes when an event ends, overrides with a reason, certificates with a verification code (emailed,
downloaded and checked on the public page), and the completion rule a course sets."""

import io
from datetime import datetime, timedelta

import pypdf
import pytest
from sqlmodel import select

from tests.justify import disclosed
from tests.pages import banners, error_summary, page_text, soup, table_rows
from tests.posted import date_parts
from tracker.auth.models import LoginAttempt
from tracker.core.models import AuditEvent
from tracker.core.pillars import Pillar
from tracker.core.timeutil import format_date, london, today_london
from tracker.training import codes
from tracker.training.models import (
    Attendance,
    Course,
    CourseEvent,
    CourseKind,
    Enrolment,
    EnrolmentStatus,
    Mark,
    TrainingSession,
)


def _deliver(app) -> None:
    from tracker.core import sending

    with app.app_context():
        sending.send_all_due()


def _mark(client, session_id, marks: dict, version: int, **extra):
    data = {"register_version": str(version), **extra}
    for enrolment_id, mark in marks.items():
        data[f"mark_{enrolment_id}"] = mark
        data[f"note_{enrolment_id}"] = ""
    return client.post(f"/training/sessions/{session_id}/register", data=data, follow_redirects=True)


@pytest.fixture
def cohort(factory):
    """A two-day chair course held last week: Ada attends both days, Ben leaves early on day 2, Cy is
    absent on day 2; Dee waits for a place."""
    event = factory.event(capacity=3, title="Cohort 7")
    people = {
        name: factory.enrolment(event, factory.trainee(name=name, email=f"{name.lower()}@example.org"))
        for name in ("Ada", "Ben", "Cy")
    }
    people["Dee"] = factory.enrolment(
        event,
        factory.trainee(name="Dee", email="dee@example.org"),
        status=EnrolmentStatus.WAITING,
        waiting_position=1,
    )
    return event, people


def _mark_the_course(client, event, people):
    day1, day2 = event.sessions
    _mark(client, day1.id, {people[n].id: "PRESENT" for n in ("Ada", "Ben", "Cy")}, 0)
    _mark(
        client,
        day2.id,
        {people["Ada"].id: "LATE", people["Ben"].id: "LEFT_EARLY", people["Cy"].id: "ABSENT"},
        0,
    )


def _statuses(session, people) -> dict[str, EnrolmentStatus]:
    session.expire_all()
    return {name: session.get(Enrolment, e.id).status for name, e in people.items()}


def test_setting_the_outcomes_completes_only_those_who_met_the_rule_and_closes_the_waiting_list(
    app, client_as, cohort, session, smtp_server
):
    event, people = cohort
    client = client_as("TRSG")
    _mark_the_course(client, event, people)
    # Before the event is closed, those who have not completed still hold their place.
    assert _statuses(session, people)["Ben"] is EnrolmentStatus.ENROLLED
    page = client.get(f"/training/events/{event.id}")
    assert "Present and late count as attending" in page_text(page)

    response = client.post(f"/training/events/{event.id}/close", follow_redirects=True)
    assert "Outcomes set, the waiting list closed and certificates sent." in banners(response)
    assert _statuses(session, people) == {
        "Ada": EnrolmentStatus.COMPLETED,
        "Ben": EnrolmentStatus.NOT_COMPLETED,
        "Cy": EnrolmentStatus.NOT_COMPLETED,
        "Dee": EnrolmentStatus.NOT_PLACED,
    }
    rows = {row[0].split(" Test")[0]: row[2] for row in table_rows(response, "People on this event")}
    assert rows == {
        "Ada": "Completed",
        "Ben": "Did not complete",
        "Cy": "Did not complete",
        "Dee": "Waiting list closed",
    }

    # Only Ada has a certificate: the code is hers, and it is emailed to her alone, as a PDF.
    ada = session.get(Enrolment, people["Ada"].id)
    assert codes.normalise(ada.certificate_code) == ada.certificate_code
    assert session.get(Enrolment, people["Ben"].id).certificate_code is None
    assert client.get(f"/training/enrolments/{people['Ben'].id}/certificate.pdf").status_code == 404
    _deliver(app)
    certificates = [r for r in smtp_server.received if "certificate" in r.message["Subject"].lower()]
    assert [r.recipients for r in certificates] == [["ada@example.org"]]
    message = certificates[0].message
    assert codes.display(ada.certificate_code) in message.get_body(("plain",)).get_content()
    attachment = next(message.iter_attachments())
    assert attachment.get_content_type() == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(attachment.get_content())).pages[0].extract_text()
    assert "Ada" in text and codes.display(ada.certificate_code) in text

    # Closing again (the daily command after the TRSG) changes and sends nothing.
    result = app.test_cli_runner().invoke(args=["close-training-events"])
    assert "Cohort 7" not in result.output
    again = client.post(f"/training/events/{event.id}/close", follow_redirects=True)
    assert "The outcomes of this event were already set." in banners(again)
    _deliver(app)
    assert len([r for r in smtp_server.received if "certificate" in r.message["Subject"].lower()]) == 1


def test_the_daily_command_closes_ended_events_once_and_leaves_those_still_running(app, factory, session):
    ended = factory.event(title="Ended forum", course=factory.course(CourseKind.CPD))
    running = factory.event(
        title="Running cohort", days=[today_london() - timedelta(days=1), today_london() + timedelta(days=7)]
    )
    place = factory.enrolment(ended)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["close-training-events"])
    assert result.exit_code == 0, result.output
    assert "Ended forum: outcomes set." in result.output
    assert "Running cohort" not in result.output
    session.expire_all()
    assert session.get(Enrolment, place.id).status is EnrolmentStatus.NOT_COMPLETED
    assert session.get(type(running), running.id).closed_at is None
    assert "Ended forum" not in runner.invoke(args=["close-training-events"]).output


def test_an_event_still_running_cannot_have_its_outcomes_set(client_as, factory, session):
    today = today_london()
    event = factory.event(days=[today + timedelta(days=3)])
    response = client_as("TRSG").post(f"/training/events/{event.id}/close", follow_redirects=True)
    assert "The outcomes can be set once the event's last session has ended." in banners(response)
    session.expire_all()
    assert session.get(type(event), event.id).closed_at is None


def test_the_trsg_overrides_an_outcome_with_a_reason_which_is_recorded_and_shown(
    app, client_as, cohort, session, smtp_server
):
    event, people = cohort
    client = client_as("TRSG")
    _mark_the_course(client, event, people)
    # Not before the outcomes are set.
    assert client.get(f"/training/enrolments/{people['Ben'].id}/outcome").status_code == 404
    client.post(f"/training/events/{event.id}/close")
    ben = session.get(Enrolment, people["Ben"].id)
    form = client.get(f"/training/enrolments/{ben.id}/outcome")
    assert soup(form).select_one("input[name=outcome][checked]")["value"] == "NOT_COMPLETED"

    refused = client.post(
        f"/training/enrolments/{ben.id}/outcome",
        data={"outcome": "COMPLETED", "reason": "", "version": ben.version},
    )
    assert error_summary(refused) == ["Enter the reason for overriding the outcome"]
    assert _statuses(session, people)["Ben"] is EnrolmentStatus.NOT_COMPLETED

    reason = "Left at 3pm for a MAPPA meeting; covered the last hour with the trainer"
    response = client.post(
        f"/training/enrolments/{ben.id}/outcome",
        data={"outcome": "COMPLETED", "reason": reason, "version": ben.version},
        follow_redirects=True,
    )
    assert "Ben's outcome is now Completed." in banners(response)
    assert f"Outcome overridden: {reason}" in page_text(response)
    ben = session.get(Enrolment, ben.id)
    session.refresh(ben)
    assert (ben.status, ben.outcome_reason) == (EnrolmentStatus.COMPLETED, reason)
    # Dated the last day of the course, as the registers give no day of completion.
    assert ben.completed_on == today_london() - timedelta(days=6)
    assert ben.certificate_code is not None
    audit = session.exec(select(AuditEvent).where(AuditEvent.action == "outcome overridden")).all()
    assert [a.summary for a in audit] == [f"Did not complete to Completed. Reason: {reason}"]

    # A register corrected afterwards does not undo the override.
    _mark(client, event.sessions[1].id, {ben.id: "ABSENT"}, 1)
    assert _statuses(session, people)["Ben"] is EnrolmentStatus.COMPLETED
    _deliver(app)
    assert ["ben@example.org"] in [r.recipients for r in smtp_server.received]

    # An out-of-date form changes nothing.
    stale = client.post(
        f"/training/enrolments/{ben.id}/outcome",
        data={"outcome": "NOT_COMPLETED", "reason": "Mistake", "version": "1"},
    )
    assert "Someone else changed this" in error_summary(stale)[0]
    assert _statuses(session, people)["Ben"] is EnrolmentStatus.COMPLETED


def test_a_register_taken_from_paper_after_the_event_closed_completes_the_person_and_sends_the_certificate(
    app, client_as, cohort, session, smtp_server
):
    event, people = cohort
    client = client_as("TRSG")
    client.post(f"/training/events/{event.id}/close")
    assert _statuses(session, people)["Ada"] is EnrolmentStatus.NOT_COMPLETED

    page = client.get(f"/training/sessions/{event.sessions[0].id}/register")
    box = soup(page).select_one("input[name=from_paper]")
    assert box is not None and box.has_attr("checked")
    for number, training_session in enumerate(event.sessions):
        _mark(client, training_session.id, {people["Ada"].id: "PRESENT"}, 0, from_paper="y")
    assert _statuses(session, people)["Ada"] is EnrolmentStatus.COMPLETED
    marks = session.exec(select(Attendance).where(Attendance.enrolment_id == people["Ada"].id)).all()
    assert [m.from_paper for m in marks] == [True, True]
    register = client.get(f"/training/sessions/{event.sessions[0].id}/register")
    assert "marked from the paper sign-in sheet" in page_text(register)
    _deliver(app)
    assert [r.recipients for r in smtp_server.received if "certificate" in r.message["Subject"].lower()] == [
        ["ada@example.org"]
    ]


def test_a_register_marked_on_the_day_is_not_from_paper(client_as, factory, session):
    today = today_london()
    event = factory.event(days=[today])
    place = factory.enrolment(event)
    client = client_as("TRSG")
    page = client.get(f"/training/sessions/{event.sessions[0].id}/register")
    assert soup(page).select_one("input[name=from_paper]") is None
    _mark(client, event.sessions[0].id, {place.id: "PRESENT"}, 0, from_paper="y")
    mark = session.exec(select(Attendance).where(Attendance.enrolment_id == place.id)).one()
    assert mark.from_paper is False


def test_the_sign_in_sheet_and_the_register_csv_list_everyone_with_a_place_before_the_day(
    client_as, factory, session
):
    event = factory.event(days=[today_london() + timedelta(days=10)], title="Future cohort")
    factory.enrolment(event, factory.trainee(name="Zoë Ward"))
    factory.enrolment(event, factory.trainee(name="=Formula Person"))
    factory.enrolment(event, factory.trainee(name="Wendy Waiting"), status=EnrolmentStatus.WAITING)
    client = client_as("TRSG")
    sheet = client.get(disclosed(f"/training/sessions/{event.sessions[0].id}/sign-in-sheet.pdf"))
    assert sheet.status_code == 200 and sheet.mimetype == "application/pdf"
    text = pypdf.PdfReader(io.BytesIO(sheet.data)).pages[0].extract_text()
    assert "Sign-in sheet: Day 1" in text and "Zoë Ward" in text and "Signature" in text
    assert "Wendy Waiting" not in text

    export = client.get(disclosed(f"/training/sessions/{event.sessions[0].id}/register.csv"))
    assert export.data.startswith("\ufeff".encode())
    lines = export.data.decode("utf-8-sig").splitlines()
    assert lines[0] == "Name,Email,Agency,Attending as,Mark,Note,From paper sheet,Outcome"
    assert lines[1].startswith("'=Formula Person,")
    assert lines[2].startswith("Zoë Ward,") and "Not marked" in lines[2]
    assert len(lines) == 3


def test_the_sign_in_sheet_names_the_event_as_its_invitations_do(client_as, factory, session):
    """An event whose title already names its course is headed by its title alone, not the course's name
    twice ("Chairs' Forum, Chairs' Forum, January 2027: ...")."""
    forums = factory.course(CourseKind.CPD, title="Chairs' Forum")
    forum = factory.event(
        forums, title="Chairs' Forum, January 2027: victim safety planning", days=[today_london()]
    )
    cohort = factory.event(factory.course(title="MAPPA Chair Training"), title="Cohort 7")
    client = client_as("TRSG")
    for event, named in (
        (forum, "Chairs' Forum, January 2027: victim safety planning"),
        (cohort, "MAPPA Chair Training, Cohort 7"),
    ):
        sheet = client.get(disclosed(f"/training/sessions/{event.sessions[0].id}/sign-in-sheet.pdf"))
        reader = pypdf.PdfReader(io.BytesIO(sheet.data))
        lines = reader.pages[0].extract_text().splitlines()
        assert named in lines and reader.metadata.title.startswith(f"Sign-in sheet: {named}, ")
        assert not any("Chairs' Forum, Chairs' Forum" in line for line in lines)


def test_certificates_only_for_completed_and_the_pdf_carries_the_code(client_as, factory, session):
    chair = factory.user("CHAIR", name="Ida Chair")
    event = factory.event(course=factory.course(CourseKind.CPD), title="Forum")
    partial = factory.enrolment(event, factory.trainee(chair), sessions_attended=1)
    client = client_as(chair)
    assert client.get(f"/training/enrolments/{partial.id}/certificate.pdf").status_code == 404
    partial.status = EnrolmentStatus.COMPLETED
    partial.certificate_code = "7KQ2MXH93D"
    factory.save(partial)
    response = client.get(disclosed(f"/training/enrolments/{partial.id}/certificate.pdf"))
    text = pypdf.PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
    assert "Certificate of attendance" in text and "7KQ2M-XH93D" in text
    assert "http://tracker.test/certificates/check" in text
    record = client.get("/training/my-record")
    assert "Download certificate for Forum (PDF) Code 7KQ2M-XH93D" in page_text(record)


def test_anyone_can_check_a_certificate_code_and_sees_only_name_course_and_date(client, factory, session):
    event = factory.event(title="Cohort 3")
    trainee = factory.trainee(name="Ola Nowak", email="ola@example.org")
    completed = factory.completed(event, trainee, datetime(2025, 1, 21).date(), certificate_code="7KQ2MXH93D")
    page = client.get("/certificates/check")
    assert page.status_code == 200 and "Check a MAPPA training certificate" in page_text(page)
    found = client.post("/certificates/check", data={"code": "7kq2m xh93d"})
    text = page_text(found)
    assert "This certificate is genuine" in text
    assert "Ola Nowak" in text and event.course.title in text and "21 January 2025" in text
    assert "ola@example.org" not in text and "Test Police" not in text and "Cohort 3" not in text

    unknown = client.post("/certificates/check", data={"code": "7KQ2M-XH93E"})
    assert error_summary(unknown) == [
        "There is no certificate with this code. Check it is typed as printed on the certificate"
    ]
    malformed = client.post("/certificates/check", data={"code": "12345"})
    assert error_summary(malformed) == [
        "Enter the code as printed on the certificate: 10 letters and numbers, like 7KQ2M-XH93D"
    ]
    # A certificate whose outcome was changed away no longer verifies: the check says it was withdrawn,
    # and when, with no more about the person than a genuine one shows (not the outcome, nor why).
    completed.status = EnrolmentStatus.NOT_COMPLETED
    completed.outcome_reason = "Left on day 1 for a family emergency"
    factory.save(completed)
    gone = client.post("/certificates/check", data={"code": "7KQ2M-XH93D"})
    text = page_text(gone)
    assert error_summary(gone) == [] and "This certificate has been withdrawn" in text
    assert "Do not accept it as evidence of completing the course" in text
    rows = soup(gone).select(".govuk-summary-list__row")
    assert {
        row.select_one("dt").get_text(strip=True): row.select_one("dd").get_text(strip=True) for row in rows
    } == {
        "Name": "Ola Nowak",
        "Course": event.course.title,
        "Withdrawn on": format_date(today_london()),
    }
    assert "family emergency" not in text and "Did not complete" not in text and "21 January 2025" not in text


def test_checking_codes_is_throttled_per_address_like_sign_in(app, client, factory, session):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    for number in range(limit):
        response = client.post("/certificates/check", data={"code": f"AAAAA-{number:05d}"})
        assert "There is no certificate with this code" in error_summary(response)[0]
    refused = client.post("/certificates/check", data={"code": "AAAAA-99999"})
    assert error_summary(refused)[0].startswith("There have been too many checks from your network. Wait")
    # Checks never count against anyone's sign-in from the same address.
    attempts = session.exec(select(LoginAttempt).where(LoginAttempt.outcome.in_(("pending", "failed")))).all()
    assert attempts == []


def test_the_trsg_emails_everyone_with_a_place_after_a_preview(app, client_as, cohort, session, smtp_server):
    event, people = cohort
    client = client_as("TRSG")
    empty = client.post(f"/training/events/{event.id}/email", data={})
    assert error_summary(empty) == ["Select who to email", "Enter the subject", "Enter the message"]
    data = {"audience": "PLACE", "subject": "Parking on day 2", "body": "Use the rear car park.\nBring ID."}
    preview = client.post(f"/training/events/{event.id}/email", data=data)
    text = page_text(preview)
    assert "Check the email before sending it" in text and "Everyone with a place (3 people)" in text
    _deliver(app)
    assert smtp_server.received == []  # nothing goes before it is confirmed

    sent = client.post(f"/training/events/{event.id}/email/send", data=data, follow_redirects=True)
    assert "Email 'Parking on day 2' sent to 3 people." in banners(sent)
    _deliver(app)
    assert sorted(r.recipients[0] for r in smtp_server.received) == [
        "ada@example.org",
        "ben@example.org",
        "cy@example.org",
    ]
    assert all(len(r.recipients) == 1 for r in smtp_server.received)
    assert "Use the rear car park." in smtp_server.received[0].message.get_content()
    logged = session.exec(select(AuditEvent).where(AuditEvent.action == "event emailed")).one()
    assert "'Parking on day 2' to everyone with a place (3 people)" in logged.summary


def test_who_attended_and_the_waiting_list_are_audiences_of_their_own(client_as, cohort, session):
    event, people = cohort
    client = client_as("TRSG")
    _mark(client, event.sessions[0].id, {people["Ada"].id: "ABSENT", people["Ben"].id: "LEFT_EARLY"}, 0)
    attended = client.post(
        f"/training/events/{event.id}/email",
        data={"audience": "ATTENDED", "subject": "Slides", "body": "Attached."},
    )
    assert "Everyone who attended (1 person)" in page_text(attended)
    assert [li.get_text() for li in soup(attended).select(".govuk-details__text li")] == ["Ben"]
    waiting = client.post(
        f"/training/events/{event.id}/email", data={"audience": "WAITING", "subject": "News", "body": "Soon."}
    )
    assert [li.get_text() for li in soup(waiting).select(".govuk-details__text li")] == ["Dee"]
    unknown = client.post(
        f"/training/events/{event.id}/email", data={"audience": "NOBODY", "subject": "x", "body": "y"}
    )
    assert len(error_summary(unknown)) == 1
    assert "Check the email before sending it" not in page_text(unknown)


def test_a_course_sets_which_marks_count_and_a_change_applies_to_its_running_events(
    client_as, cohort, session
):
    event, people = cohort
    client = client_as("TRSG")
    _mark_the_course(client, event, people)
    assert _statuses(session, people)["Ben"] is EnrolmentStatus.ENROLLED
    course = session.get(Course, event.course_id)
    form = client.get(f"/training/courses/{course.id}/edit")
    checked = [box["value"] for box in soup(form).select("input[name=completion_marks][checked]")]
    assert checked == ["PRESENT", "LATE"]
    response = client.post(
        f"/training/courses/{course.id}/edit",
        data={
            "title": course.title,
            "kind": course.kind.name,
            "days": "2",
            "completion_marks": ["PRESENT", "LATE", "LEFT_EARLY"],
            "sessions_required": "",
            "version": str(course.version),
        },
        follow_redirects=True,
    )
    assert f"Changes to '{course.title}' saved." in banners(response)
    assert _statuses(session, people)["Ben"] is EnrolmentStatus.COMPLETED
    assert _statuses(session, people)["Cy"] is EnrolmentStatus.ENROLLED
    session.expire_all()
    assert session.get(Course, course.id).completion_marks == ["PRESENT", "LATE", "LEFT_EARLY"]
    assert Mark.LEFT_EARLY in session.get(Course, course.id).counted_marks


def test_no_session_is_added_to_an_event_whose_outcomes_are_set(client_as, cohort, session, smtp_server):
    """A session added after the outcomes would turn completions into "did not complete" and cancel
    certificates already sent, unseen: it is refused, and the event page no longer offers it."""
    event, people = cohort
    client = client_as("TRSG")
    _mark_the_course(client, event, people)
    client.post(f"/training/events/{event.id}/close")
    before = _statuses(session, people)
    assert before["Ada"] is EnrolmentStatus.COMPLETED
    form = {
        "title": "Day 3",
        "day": date_parts(today_london()),
        "starts": "09:30",
        "ends": "16:30",
        "version": "0",
        "venue": "Training room",
    }
    refused = client.post(f"/training/events/{event.id}/sessions/new", data=form, follow_redirects=True)
    assert (
        "The outcomes of Cohort 7 are set, so no session can be added: correct a register instead, or set "
        "up another event"
    ) in banners(refused)
    assert _statuses(session, people) == before
    assert len(session.exec(select(TrainingSession).where(TrainingSession.event_id == event.id)).all()) == 2
    assert "Add a session" not in client.get(f"/training/events/{event.id}").get_data(as_text=True)
    # Nor is one cancelled (it would stop counting towards completion).
    day2 = event.sessions[1]
    refused = client.post(f"/training/sessions/{day2.id}/cancel", follow_redirects=True)
    assert (
        "The outcomes of Cohort 7 are set, so no session can be cancelled: correct a register instead, or "
        "set up another event"
    ) in banners(refused)
    assert session.get(TrainingSession, day2.id).status.name == "SCHEDULED"
    assert _statuses(session, people) == before


def _session_form(training_session, day, **changes) -> dict:
    return {
        "title": training_session.title,
        "day": date_parts(day),
        "starts": "09:30",
        "ends": "16:30",
        "version": str(training_session.version),
        "venue": "Training room",
        **changes,
    }


def test_no_session_of_an_event_whose_outcomes_are_set_is_moved(client_as, cohort, session, smtp_server):
    """Moving a session once the outcomes are set would move the day people completed on, and the figures
    of a year already reported: refused, and no longer offered; no update goes to anyone's diary."""
    event, people = cohort
    client = client_as("TRSG")
    _mark_the_course(client, event, people)
    client.post(f"/training/events/{event.id}/close")
    day2 = event.sessions[1]
    held = (day2.starts_at, day2.ends_at)
    smtp_server.received.clear()

    assert client.get(f"/training/sessions/{day2.id}/edit").status_code == 302
    refused = client.post(
        f"/training/sessions/{day2.id}/edit",
        data=_session_form(day2, today_london() + timedelta(days=60)),
        follow_redirects=True,
    )
    assert (
        "The outcomes of Cohort 7 are set, so no session can be changed: correct a register instead, or set "
        "up another event"
    ) in banners(refused)
    session.expire_all()
    assert (
        session.get(TrainingSession, day2.id).starts_at,
        session.get(TrainingSession, day2.id).ends_at,
    ) == held
    assert smtp_server.received == []
    page = client.get(f"/training/events/{event.id}").get_data(as_text=True)
    assert f"/training/sessions/{day2.id}/edit" not in page


def test_a_session_whose_register_is_taken_keeps_its_day(client_as, cohort, session, smtp_server):
    """Its people attended on that day; its times may still be put right."""
    event, people = cohort
    client = client_as("TRSG")
    _mark_the_course(client, event, people)
    day2 = session.get(TrainingSession, event.sessions[1].id)
    held_on = london(day2.starts_at).date()
    smtp_server.received.clear()

    refused = client.post(
        f"/training/sessions/{day2.id}/edit", data=_session_form(day2, held_on + timedelta(days=60))
    )
    assert refused.status_code == 200
    assert (
        "Its register has been taken, so it cannot move to another day: it took place on "
        f"{format_date(held_on)}"
    ) in error_summary(refused)
    session.expire_all()
    assert london(session.get(TrainingSession, day2.id).starts_at).date() == held_on
    assert smtp_server.received == []

    corrected = client.post(
        f"/training/sessions/{day2.id}/edit",
        data=_session_form(day2, held_on, ends="16:00"),
        follow_redirects=True,
    )
    assert "Changes to 'Day 2' saved." in banners(corrected)
    session.expire_all()
    assert london(session.get(TrainingSession, day2.id).ends_at).strftime("%H:%M") == "16:00"


def test_an_event_whose_outcomes_are_set_keeps_its_cpd_hours_and_kind(client_as, factory, session):
    """The completed records count its CPD hours and the reports its kind: the form says so beside the
    field and changes nothing; the title and places may still change."""
    forum = factory.event(
        factory.course(CourseKind.CPD, title="Chairs' Forum", cpd_minutes=180),
        title="June forum",
        pillar=Pillar.SUPERVISION,
        days=[today_london() - timedelta(days=7)],
    )
    factory.completed(forum, sessions_attended=1, cpd_minutes=180)
    client = client_as("TRSG")
    client.post(f"/training/events/{forum.id}/close")
    session.refresh(forum)
    before = (forum.cpd_minutes, forum.kind)
    form = {
        "title": forum.title,
        "kind": forum.kind.name,
        "pillar": "SUPERVISION",
        "capacity": "20",
        "version": str(forum.version),
    }
    refused = client.post(f"/training/events/{forum.id}/edit", data={**form, "cpd_hours": "30"})
    assert refused.status_code == 200
    assert error_summary(refused) == [
        "The outcomes of June forum are set, so its CPD hours cannot change: the records of those who "
        "completed it, and the figures already reported, count them"
    ]
    session.expire_all()
    forum = session.get(CourseEvent, forum.id)
    assert (forum.cpd_minutes, forum.kind) == before
    renamed = client.post(
        f"/training/events/{forum.id}/edit", data={**form, "title": "June forum a", "cpd_hours": "3"}
    )
    assert renamed.status_code == 302
    session.expire_all()
    assert session.get(CourseEvent, forum.id).title == "June forum a"


def test_completing_a_chair_course_releases_places_on_other_chair_courses_not_yet_begun(
    client_as, factory, cohort, session
):
    """A completed chair is not offered another chair course: the places they held on one not yet begun
    go, the reason is recorded, the waiting list moves up, and the TRSG is told which were released."""
    event, people = cohort
    later = [today_london() + timedelta(days=60), today_london() + timedelta(days=61)]
    january = factory.event(
        factory.course(title="Chairing Level 3 meetings"), days=later, capacity=2, title="Cohort January"
    )
    ada_there = factory.enrolment(january, session.get(Enrolment, people["Ada"].id).trainee)
    factory.enrolment(january, factory.trainee(name="Eve"))
    ben_waiting = factory.enrolment(
        january, session.get(Enrolment, people["Ben"].id).trainee, EnrolmentStatus.WAITING, waiting_position=1
    )
    zed = factory.enrolment(january, factory.trainee(name="Zed"), EnrolmentStatus.WAITING, waiting_position=2)
    client = client_as("TRSG")

    day1, day2 = event.sessions
    _mark(client, day1.id, {people[n].id: "PRESENT" for n in ("Ada", "Ben", "Cy")}, 0)
    response = _mark(
        client,
        day2.id,
        {people["Ada"].id: "LATE", people["Ben"].id: "LEFT_EARLY", people["Cy"].id: "ABSENT"},
        0,
    )
    assert (
        "Register for Day 2 saved (3 changes). Completed chairs are not offered another chair course, so "
        "these places were released: Ada from Cohort January (Chairing Level 3 meetings)."
    ) in banners(response)
    session.expire_all()
    assert session.get(Enrolment, ada_there.id).status is EnrolmentStatus.WITHDRAWN
    # The place Ada held goes to the first on the waiting list who holds no chair course place: Ben
    # is waiting only (he has a place on Cohort 7, which has begun), so he moves up.
    assert session.get(Enrolment, ben_waiting.id).status is EnrolmentStatus.ENROLLED
    assert session.get(Enrolment, zed.id).waiting_position == 1
    audit = session.exec(
        select(AuditEvent).where(
            AuditEvent.action == "place released", AuditEvent.object_id == str(ada_there.id)
        )
    ).one()
    assert "Reason: Ada completed" in audit.summary and "Cohort 7" in audit.summary

    client.post(f"/training/events/{event.id}/close")
    response = client.post(
        f"/training/enrolments/{people['Ben'].id}/outcome",
        data={"outcome": "COMPLETED", "reason": "Stayed to the end", "version": "1"},
        follow_redirects=True,
    )
    assert (
        "Ben's outcome is now Completed. Completed chairs are not offered another chair course, so these "
        "places were released: Ben from Cohort January (Chairing Level 3 meetings)."
    ) in banners(response)
    session.expire_all()
    assert session.get(Enrolment, ben_waiting.id).status is EnrolmentStatus.WITHDRAWN
    assert session.get(Enrolment, zed.id).status is EnrolmentStatus.ENROLLED


def _ada_completes_releasing_january(client, factory, cohort, session, *, capacity: int, waiting: bool):
    """Ada completes Cohort 7 (its outcomes then set), releasing her place on Cohort January, a chair
    course two months ahead; the waiting list, if any, moves up into it."""
    event, people = cohort
    later = [today_london() + timedelta(days=60), today_london() + timedelta(days=61)]
    january = factory.event(
        factory.course(title="Chairing Level 3 meetings"),
        days=later,
        capacity=capacity,
        title="Cohort January",
    )
    ada = session.get(Enrolment, people["Ada"].id).trainee
    ada_there = factory.enrolment(january, ada)
    factory.enrolment(january, factory.trainee(name="Eve"))
    if waiting:
        factory.enrolment(january, factory.trainee(name="Zed"), EnrolmentStatus.WAITING, waiting_position=1)
    day1, day2 = event.sessions
    _mark(client, day1.id, {people["Ada"].id: "PRESENT"}, 0)
    released = _mark(client, day2.id, {people["Ada"].id: "PRESENT"}, 0)
    assert (
        "these places were released: Ada from Cohort January (Chairing Level 3 meetings)."
        in (banners(released)[0])
    )
    client.post(f"/training/events/{event.id}/close", follow_redirects=True)
    session.expire_all()
    assert session.get(Enrolment, ada_there.id).status is EnrolmentStatus.WITHDRAWN
    return january, ada_there, day2


def test_a_correction_undoing_a_completion_gives_back_the_chair_place_it_released(
    client_as, factory, cohort, session, smtp_server
):
    """Ada's completion released her place on Cohort January; the register corrected (she was absent
    on day 2), she no longer completed, so the place is hers again while January has one free and has
    not begun: the TRSG is told, the trail records why, and her diary gets its sessions again."""
    event, people = cohort
    client = client_as("TRSG")
    january, ada_there, day2 = _ada_completes_releasing_january(
        client, factory, cohort, session, capacity=2, waiting=False
    )
    smtp_server.received.clear()

    corrected = _mark(client, day2.id, {people["Ada"].id: "ABSENT"}, 1)
    assert banners(corrected) == [
        f"Register for Day 2 saved (1 change). Ada's completion of {event.course.title} (Cohort 7) has been "
        "undone, so the place on Cohort January (Chairing Level 3 meetings) released when Ada completed it "
        "has been given back: Ada is enrolled on it again and has been sent its sessions."
    ]
    session.expire_all()
    assert session.get(Enrolment, people["Ada"].id).status is EnrolmentStatus.NOT_COMPLETED
    place = session.get(Enrolment, ada_there.id)
    assert (place.status, place.withdrawn_at) == (EnrolmentStatus.ENROLLED, None)
    trail = session.exec(
        select(AuditEvent).where(
            AuditEvent.action == "place given back", AuditEvent.object_id == str(ada_there.id)
        )
    ).one()
    assert trail.summary.startswith(
        f"Withdrawn to Enrolled. Reason: Ada's completion of {event.course.title} (Cohort 7), which released "
        "this place, was undone by a correction"
    )
    invited = [m for m in smtp_server.received if m.message["Subject"].startswith("Invitation: ")]
    assert [m.recipients for m in invited] == [["ada@example.org"], ["ada@example.org"]]
    # Nothing is offered back twice: saving the register again changes nothing more.
    again = _mark(client, day2.id, {people["Ada"].id: "ABSENT", people["Ben"].id: "ABSENT"}, 2)
    assert banners(again) == ["Register for Day 2 saved (1 change)."]


def test_the_holder_of_an_emailed_certificate_is_told_when_a_correction_undoes_it(
    app, client_as, cohort, session, smtp_server
):
    """Ada's certificate was emailed when the outcomes were set; the register corrected, its code no
    longer verifies, so she is told it no longer stands; the register put back, she is sent it again."""
    event, people = cohort
    client = client_as("TRSG")
    _mark_the_course(client, event, people)
    client.post(f"/training/events/{event.id}/close")
    _deliver(app)
    ada = session.get(Enrolment, people["Ada"].id)
    session.refresh(ada)
    code = codes.display(ada.certificate_code)
    assert ada.certificate_sent_at is not None
    smtp_server.received.clear()

    _mark(client, event.sessions[1].id, {ada.id: "ABSENT"}, 1)
    _deliver(app)
    [told] = [m for m in smtp_server.received if m.recipients == ["ada@example.org"]]
    assert told.message["Subject"] == f"Your certificate no longer stands: {event.course.title}"
    body = told.message.get_body().get_content()
    assert "no longer recorded as having completed it: your outcome is now Did not complete" in body
    assert f"verification code {code}, no longer stands" in body
    assert not list(told.message.iter_attachments())
    session.expire_all()
    assert session.get(Enrolment, ada.id).certificate_sent_at is None
    trail = session.exec(select(AuditEvent).where(AuditEvent.action == "certificate withdrawn")).one()
    assert trail.object_id == str(ada.id)
    # Checking the code she was emailed says it was withdrawn, and when, not that there is no such code.
    checked = page_text(client.post("/certificates/check", data={"code": code}))
    assert "This certificate has been withdrawn" in checked and "There is no certificate" not in checked
    assert f"Withdrawn on {format_date(today_london())}" in checked

    # Saving the register again tells her nothing more; putting the mark back sends the certificate again.
    smtp_server.received.clear()
    _mark(client, event.sessions[1].id, {ada.id: "ABSENT", people["Ben"].id: "ABSENT"}, 2)
    _deliver(app)
    assert [m.recipients for m in smtp_server.received] == []
    _mark(client, event.sessions[1].id, {ada.id: "PRESENT"}, 3)
    _deliver(app)
    [sent] = [m for m in smtp_server.received if m.recipients == ["ada@example.org"]]
    assert sent.message["Subject"] == f"Your certificate: {event.course.title}"
    assert f"Its verification code is {code}." in sent.message.get_body(("plain",)).get_content()


def test_a_correction_undoing_a_completion_puts_her_first_on_a_full_events_waiting_list(
    client_as, factory, cohort, session
):
    """Zed moved up into the place Ada's completion released: January is full, so Ada is first on its
    waiting list, and the TRSG is told she has no place there."""
    event, people = cohort
    client = client_as("TRSG")
    january, ada_there, day2 = _ada_completes_releasing_january(
        client, factory, cohort, session, capacity=2, waiting=True
    )
    late = factory.enrolment(
        january, factory.trainee(name="Kit"), EnrolmentStatus.WAITING, waiting_position=1
    )

    corrected = _mark(client, day2.id, {people["Ada"].id: "ABSENT"}, 1)
    assert banners(corrected) == [
        f"Register for Day 2 saved (1 change). Ada's completion of {event.course.title} (Cohort 7) has been "
        "undone, so the place on Cohort January (Chairing Level 3 meetings) released when Ada completed it "
        "could not be given back as Cohort January is full: Ada now has no place there, and is first on its "
        "waiting list."
    ]
    session.expire_all()
    place = session.get(Enrolment, ada_there.id)
    assert (place.status, place.waiting_position) == (EnrolmentStatus.WAITING, 1)
    assert session.get(Enrolment, late.id).waiting_position == 2


def test_an_override_undoing_a_completion_says_a_begun_events_place_is_not_given_back(
    client_as, factory, cohort, session
):
    """Taking Completed away by an override offers the place back too; once January has begun nobody
    moves into a place there, so the TRSG is told Ada has none and what to do."""
    event, people = cohort
    client = client_as("TRSG")
    january, ada_there, day2 = _ada_completes_releasing_january(
        client, factory, cohort, session, capacity=2, waiting=False
    )
    for day in session.get(CourseEvent, january.id).sessions:
        day.starts_at -= timedelta(days=61)
    session.get(CourseEvent, january.id).refresh_dates()
    session.commit()

    ada = session.get(Enrolment, people["Ada"].id)
    response = client.post(
        f"/training/enrolments/{ada.id}/outcome",
        data={"outcome": "NOT_COMPLETED", "reason": "Left before the end", "version": str(ada.version)},
        follow_redirects=True,
    )
    assert banners(response) == [
        f"Ada's outcome is now Did not complete. Ada's completion of {event.course.title} (Cohort 7) has been "
        "undone, so the place on Cohort January (Chairing Level 3 meetings) released when Ada completed it "
        "cannot be given back (Cohort January has begun): Ada now has no place there. Enrol Ada on another "
        "chair course event if they are to complete the training."
    ]
    session.expire_all()
    assert session.get(Enrolment, ada_there.id).status is EnrolmentStatus.WITHDRAWN
