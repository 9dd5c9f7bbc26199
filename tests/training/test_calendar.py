"""Training in Outlook: a file per session and per event (one entry per session), invitations when a
person takes a place, cancellations when they lose it or a session is called off, updates when a
session moves; each trainee's email names only them."""

from __future__ import annotations

from datetime import UTC, time, timedelta

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.calendar import outlook
from tests.justify import disclosed
from tests.pages import banners, soup
from tests.posted import date_parts
from tracker.core.models import AuditEvent
from tracker.core.timeutil import format_date, london_to_utc, today_london
from tracker.training.models import CourseKind, EnrolmentStatus, TrainingSession

MONDAY = today_london() + timedelta(days=14 - today_london().weekday())
TUESDAY = MONDAY + timedelta(days=1)


def _session_form(title: str, day, starts: str, ends: str, version: str, **place) -> dict:
    """The session form for one day: `place` is its venue or online link."""
    return {"title": title, "day": date_parts(day), "starts": starts, "ends": ends, "version": version, **place}


@pytest.fixture
def course(factory):
    """A two-day chair course a fortnight ahead, with two people on it and one waiting."""
    event = factory.event(
        factory.course(CourseKind.CHAIR_COURSE, title="MAPPA Chair Training"),
        days=[MONDAY, TUESDAY],
        title="Spring cohort",
        capacity=2,
    )
    people = {
        "rosa": factory.trainee(name="Rosa Delgado", email="rosa.delgado@social-care.example"),
        "tom": factory.trainee(name="Tom Ashby", email="tom.ashby@housing.example"),
        "wendy": factory.trainee(name="Wendy Waiting", email="wendy@youth-justice.example"),
    }
    enrolments = {
        "rosa": factory.enrolment(event, people["rosa"]),
        "tom": factory.enrolment(event, people["tom"]),
        "wendy": factory.enrolment(
            event, people["wendy"], status=EnrolmentStatus.WAITING, waiting_position=1
        ),
    }
    return event, people, enrolments


SUBJECTS = {"invitation": "Invitation: ", "update": "Updated: ", "cancellation": "Cancelled: "}


def by_recipient(smtp_server, kind: str) -> dict[str, list[outlook.Parsed]]:
    """Each recipient's calendars of this kind (by the email's subject), checked by every rule for the
    kind, in the order they arrived."""
    found: dict[str, list[outlook.Parsed]] = {}
    for received in smtp_server.received:
        if received.message["Subject"].startswith(SUBJECTS[kind]):
            found.setdefault(received.recipients[0], []).append(outlook.calendar_of(received.message, kind))
    return found


def email_texts(email) -> tuple[str, str]:
    """An email's text part and its HTML part as a person reads them, each on one line."""
    html = BeautifulSoup(email.get_body(("html",)).get_content(), "html.parser").get_text(" ", strip=True)
    return " ".join(email.get_body(("plain",)).get_content().split()), " ".join(html.split())


# Downloads ------------------------------------------------------------------------------------------


def test_a_courses_file_has_one_entry_per_session_related_to_the_event(client_as, course, session):
    event, _people, _enrolments = course
    response = client_as("TRSG").get(disclosed(f"/training/events/{event.id}/calendar.ics"))
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert (
        response.headers["Content-Disposition"]
        == 'attachment; filename="mappa-chair-training-spring-cohort.ics"'
    )
    parsed = outlook.check_file(response.data, "download")
    first, second = parsed.events
    assert [str(e["SUMMARY"]) for e in parsed.events] == [
        "MAPPA Chair Training, Spring cohort: session 1 of 2",
        "MAPPA Chair Training, Spring cohort: session 2 of 2",
    ]
    assert [str(e["UID"]) for e in parsed.events] == [
        f"training-session-{s.id}@tracker.test" for s in event.sessions
    ]
    assert first["RELATED-TO"] == second["RELATED-TO"] == f"training-event-{event.id}@tracker.test"
    assert first.decoded("DTSTART").astimezone(UTC) == london_to_utc(MONDAY, time(9, 30))
    assert second.decoded("DTEND").astimezone(UTC) == london_to_utc(TUESDAY, time(16, 30))
    assert first["LOCATION"] == "Training room"
    assert first["URL"] == "http://tracker.test/training/my-record"
    export = session.exec(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert (export.object_type, export.summary) == ("CourseEvent", "calendar file, 2 sessions")


def test_a_sessions_file_is_that_session_alone_and_a_cancelled_one_leaves_the_courses_file(
    client_as, course, session
):
    event, _people, _enrolments = course
    client = client_as("TRSG")
    day_two = event.sessions[1]
    response = client.get(disclosed(f"/training/sessions/{day_two.id}/calendar.ics"))
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="mappa-chair-training-spring-cohort-session-2.ics"'
    )
    parsed = outlook.check_file(response.data, "download")
    assert parsed.event["SUMMARY"] == "MAPPA Chair Training, Spring cohort: session 2 of 2"
    client.post(f"/training/sessions/{event.sessions[0].id}/cancel")
    remaining = outlook.check_file(client.get(disclosed(f"/training/events/{event.id}/calendar.ics")).data, "download")
    # The one session still taking place is the whole course now.
    assert [str(e["SUMMARY"]) for e in remaining.events] == ["MAPPA Chair Training, Spring cohort"]


def test_people_download_the_training_they_have_a_place_on_and_nothing_else(client_as, factory, course):
    event, _people, enrolments = course
    chair = factory.user("CHAIR")
    trainee = factory.trainee(chair)
    client = client_as(chair)
    url = f"/training/events/{event.id}/calendar.ics"
    assert client.get(url).status_code == 404
    assert client.get(disclosed(f"/training/sessions/{event.sessions[0].id}/calendar.ics")).status_code == 404
    waiting = factory.enrolment(event, trainee, status=EnrolmentStatus.WAITING, waiting_position=2)
    assert client.get(url).status_code == 404
    waiting.status = EnrolmentStatus.ENROLLED
    factory.save(waiting)
    assert client.get(url).status_code == 200
    assert client.get(disclosed(f"/training/sessions/{event.sessions[0].id}/calendar.ics")).status_code == 200


def test_the_event_page_and_a_persons_own_record_offer_the_calendar_files(client_as, factory, course):
    event, _people, _enrolments = course
    page = soup(client_as("TRSG").get(f"/training/events/{event.id}"))
    hrefs = [a["href"] for a in page.select("a.govuk-link") if "Add to calendar" in a.get_text()]
    assert hrefs == [
        f"/training/events/{event.id}/calendar.ics",
        *(f"/training/sessions/{s.id}/calendar.ics" for s in event.sessions),
    ]
    chair = factory.user("CHAIR")
    trainee = factory.trainee(chair)
    factory.enrolment(event, trainee)
    past = factory.event(days=[today_london() - timedelta(days=30)], title="Last month's forum")
    factory.enrolment(past, trainee)
    record = soup(client_as(chair).get("/training/my-record"))
    links = [a for a in record.select("a.govuk-link") if "Add to calendar" in a.get_text()]
    assert [a["href"] for a in links] == [f"/training/events/{event.id}/calendar.ics"]
    assert links[0].get_text(" ", strip=True) == "Add to calendar Spring cohort (.ics)"


# Invitations, updates and cancellations -------------------------------------------------------------


def test_enrolling_someone_with_a_place_invites_them_to_each_session_naming_only_them(
    client_as, factory, course, smtp_server
):
    event, _people, _enrolments = course
    event.capacity = 3
    factory.save(event)
    agency = factory.agency("Test Police")
    data = {"name": "Kim Nguyen", "email": "kim.nguyen@police.example", "agency_id": str(agency.id)}
    response = client_as("TRSG").post(f"/training/events/{event.id}/enrol", data=data)
    assert response.status_code == 302
    invitations = by_recipient(smtp_server, "invitation")
    assert list(invitations) == ["kim.nguyen@police.example"]
    summaries = [str(p.event["SUMMARY"]) for p in invitations["kim.nguyen@police.example"]]
    assert sorted(summaries) == [
        "MAPPA Chair Training, Spring cohort: session 1 of 2",
        "MAPPA Chair Training, Spring cohort: session 2 of 2",
    ]
    for parsed in invitations["kim.nguyen@police.example"]:
        assert str(parsed.event["ATTENDEE"]) == "mailto:kim.nguyen@police.example"
        assert parsed.event["ATTENDEE"].params["CN"] == "Kim Nguyen"


def test_someone_put_on_the_waiting_list_is_not_invited(client_as, factory, course, smtp_server):
    event, _people, _enrolments = course
    agency = factory.agency("Test Police")
    data = {"name": "Late Comer", "email": "late@police.example", "agency_id": str(agency.id)}
    response = client_as("TRSG").post(f"/training/events/{event.id}/enrol", data=data, follow_redirects=True)
    assert "Late Comer added to the waiting list." in banners(response)
    assert smtp_server.received == []


def test_withdrawing_someone_cancels_their_sessions_and_invites_whoever_moves_up(
    client_as, course, session, smtp_server
):
    event, _people, enrolments = course
    response = client_as("TRSG").post(f"/training/enrolments/{enrolments['rosa'].id}/withdraw")
    assert response.status_code == 302
    cancellations = [r for r in smtp_server.received if r.recipients == ["rosa.delgado@social-care.example"]]
    assert len(cancellations) == 2
    for received in cancellations:
        parsed = outlook.calendar_of(received.message, "cancellation")
        assert parsed.event["SEQUENCE"] == 1  # above the invitation's 0
        assert str(parsed.event["ATTENDEE"]) == "mailto:rosa.delgado@social-care.example"
    moved_up = [r for r in smtp_server.received if r.recipients == ["wendy@youth-justice.example"]]
    assert len(moved_up) == 2
    for received in moved_up:
        outlook.calendar_of(received.message, "invitation")
    assert len(smtp_server.received) == 4  # Tom keeps his place and hears nothing
    session.expire_all()
    assert [session.get(TrainingSession, s.id).sequence for s in event.sessions] == [1, 1]


def test_someone_given_a_place_again_after_a_cancellation_gets_an_invitation_that_outranks_it(
    client_as, course, smtp_server
):
    """Outlook keeps the entry with the higher SEQUENCE: an invitation at the cancellation's own number
    could leave the person's diary showing the session cancelled."""
    event, people, enrolments = course
    trsg = client_as("TRSG")
    trsg.post(f"/training/enrolments/{enrolments['wendy'].id}/withdraw")  # off the waiting list: nothing sent
    trsg.post(f"/training/enrolments/{enrolments['rosa'].id}/withdraw")
    cancelled = by_recipient(smtp_server, "cancellation")["rosa.delgado@social-care.example"]
    smtp_server.received.clear()
    rosa = people["rosa"]
    trsg.post(
        f"/training/events/{event.id}/enrol",
        data={"name": rosa.name, "email": rosa.email, "agency_id": str(rosa.agency_id)},
    )
    invited = by_recipient(smtp_server, "invitation")["rosa.delgado@social-care.example"]
    assert len(invited) == len(cancelled) == 2
    for cancellation, invitation in zip(cancelled, invited, strict=True):
        assert invitation.event["UID"] == cancellation.event["UID"]
        assert invitation.event["SEQUENCE"] > cancellation.event["SEQUENCE"]


def test_moving_a_session_sends_everyone_with_a_place_an_update(client_as, course, smtp_server):
    event, _people, _enrolments = course
    day_one = event.sessions[0]
    first = outlook.check_file(
        client_as("TRSG").get(disclosed(f"/training/sessions/{day_one.id}/calendar.ics")).data, "download"
    )
    data = _session_form("Day 1", MONDAY, "10:00", "16:30", "1", venue="Training room")
    client_as("TRSG").post(f"/training/sessions/{day_one.id}/edit", data=data)
    updates = by_recipient(smtp_server, "update")
    assert sorted(updates) == ["rosa.delgado@social-care.example", "tom.ashby@housing.example"]
    for (parsed,) in updates.values():
        assert parsed.event["UID"] == first.event["UID"]
        assert parsed.event["SEQUENCE"] == first.event["SEQUENCE"] + 1
        assert parsed.event.decoded("DTSTART").astimezone(UTC) == london_to_utc(MONDAY, time(10))
        assert len(parsed.vobject.vevent.attendee_list) == 1
    smtp_server.received.clear()
    data.update(title="Day 1: the Four Pillars", version="2")
    client_as("TRSG").post(f"/training/sessions/{day_one.id}/edit", data=data)
    assert smtp_server.received == []  # a new title is not a change to anyone's diary


def test_a_session_moved_before_another_renumbers_it_in_everyones_diary(client_as, course, smtp_server):
    """Day 1 moved after day 2: day 2 is now "session 1 of 2", and the diaries that read "session 2 of 2"
    are updated, so that no two entries say the same."""
    event, _people, _enrolments = course
    day_one, day_two = event.sessions
    data = _session_form("Day 1", TUESDAY + timedelta(days=1), "09:30", "16:30", "1", venue="Training room")
    assert client_as("TRSG").post(f"/training/sessions/{day_one.id}/edit", data=data).status_code == 302
    updates = by_recipient(smtp_server, "update")
    assert sorted(updates) == ["rosa.delgado@social-care.example", "tom.ashby@housing.example"]
    for moved, renumbered in updates.values():
        assert moved.event["UID"] == f"training-session-{day_one.id}@tracker.test"
        assert moved.event["SUMMARY"] == "MAPPA Chair Training, Spring cohort: session 2 of 2"
        assert renumbered.event["UID"] == f"training-session-{day_two.id}@tracker.test"
        assert renumbered.event["SUMMARY"] == "MAPPA Chair Training, Spring cohort: session 1 of 2"
        assert renumbered.event["SEQUENCE"] == 1
    (email,) = [r.message for r in smtp_server.received if "session 1 of 2" in r.message["Subject"]][:1]
    assert "What has changed: the session number." in email.get_body(("plain",)).get_content()


def test_a_session_added_before_the_others_renumbers_them(client_as, course, smtp_server):
    event, _people, _enrolments = course
    day_one, day_two = event.sessions
    data = _session_form("Pre-course", MONDAY - timedelta(days=3), "09:30", "12:00", "0", venue="Room 2")
    assert client_as("TRSG").post(f"/training/events/{event.id}/sessions/new", data=data).status_code == 302
    for (invitation,) in by_recipient(smtp_server, "invitation").values():
        assert invitation.event["SUMMARY"] == "MAPPA Chair Training, Spring cohort: session 1 of 3"
    updates = by_recipient(smtp_server, "update")
    assert sorted(updates) == ["rosa.delgado@social-care.example", "tom.ashby@housing.example"]
    for first, second in updates.values():
        assert [(str(u.event["UID"]), str(u.event["SUMMARY"])) for u in (first, second)] == [
            (f"training-session-{day_one.id}@tracker.test", "MAPPA Chair Training, Spring cohort: session 2 of 3"),
            (f"training-session-{day_two.id}@tracker.test", "MAPPA Chair Training, Spring cohort: session 3 of 3"),
        ]


def test_cancelling_a_session_sends_everyone_with_a_place_a_cancellation(client_as, course, smtp_server):
    event, _people, _enrolments = course
    client_as("TRSG").post(f"/training/sessions/{event.sessions[1].id}/cancel")
    cancellations = by_recipient(smtp_server, "cancellation")
    assert sorted(cancellations) == ["rosa.delgado@social-care.example", "tom.ashby@housing.example"]
    for (parsed,) in cancellations.values():
        assert parsed.icalendar["METHOD"] == "CANCEL"
        assert parsed.event["STATUS"] == "CANCELLED"
        assert parsed.event["UID"] == f"training-session-{event.sessions[1].id}@tracker.test"
        assert parsed.event["SEQUENCE"] == 1


def test_cancelling_one_day_names_that_session_and_says_the_others_stand_renumbered(
    client_as, course, smtp_server
):
    """Day 1 of 2 called off: the cancellation is of "session 1 of 2" (subject, body and calendar), not of
    the course; it says day 2 still stands and is renumbered, and the update for day 2 follows it."""
    event, _people, _enrolments = course
    day_one, day_two = event.sessions
    client_as("TRSG").post(f"/training/sessions/{day_one.id}/cancel")
    title = "MAPPA Chair Training, Spring cohort: session 1 of 2"
    cancelled = [r.message for r in smtp_server.received if r.message["Subject"].startswith("Cancelled: ")]
    assert sorted(m["To"] for m in cancelled) == ["rosa.delgado@social-care.example", "tom.ashby@housing.example"]
    for email in cancelled:
        assert email["Subject"].startswith(f"Cancelled: {title}, ")
        parsed = outlook.calendar_of(email, "cancellation")
        assert parsed.icalendar["METHOD"] == "CANCEL"
        assert parsed.event["UID"] == f"training-session-{day_one.id}@tracker.test"
        assert parsed.event["SEQUENCE"] == 1
        assert parsed.event["SUMMARY"] == f"Cancelled: {title}"
        for text in email_texts(email):
            assert "MAPPA Chair Training, Spring cohort: Day 1 (session 1 of 2) is cancelled." in text
            assert "The other session of this course is still taking place:" in text
            assert format_date(TUESDAY, with_weekday=True) + ", 09:30 to 16:30 (UK time)" in text
            assert "renumbered" in text and "you will get an update for it" in text
            assert "is cancelled for you" not in text
    updates = by_recipient(smtp_server, "update")
    for (renumbered,) in updates.values():
        assert renumbered.event["UID"] == f"training-session-{day_two.id}@tracker.test"
        assert renumbered.event["SUMMARY"] == "MAPPA Chair Training, Spring cohort"


def test_cancelling_day_2_names_it_by_its_title_beside_the_number_its_invitation_gave_it(
    client_as, course, smtp_server
):
    """The TRSG's pages call it "Day 2" and the invitation "session 2 of 2": the cancellation's text says
    both, and its subject and calendar keep the invitation's title, so people match it to what they hold."""
    event, _people, _enrolments = course
    day_two = event.sessions[1]
    client_as("TRSG").post(f"/training/sessions/{day_two.id}/cancel")
    cancellations = by_recipient(smtp_server, "cancellation")
    assert sorted(cancellations) == ["rosa.delgado@social-care.example", "tom.ashby@housing.example"]
    for (parsed,) in cancellations.values():
        assert parsed.event["SUMMARY"] == "Cancelled: MAPPA Chair Training, Spring cohort: session 2 of 2"
    cancelled = [r.message for r in smtp_server.received if r.message["Subject"].startswith("Cancelled: ")]
    assert len(cancelled) == 2
    for email in cancelled:
        assert email["Subject"].startswith("Cancelled: MAPPA Chair Training, Spring cohort: session 2 of 2, ")
        for text in email_texts(email):
            assert "MAPPA Chair Training, Spring cohort: Day 2 (session 2 of 2) is cancelled." in text


def test_the_session_left_after_a_cancellation_is_told_why_it_changed_not_of_a_number_it_no_longer_has(
    client_as, course, smtp_server
):
    """Day 2 of 2 cancelled: day 1's entry loses its "session 1 of 2", so its update says the other session
    was cancelled and this is the only one left, not that "the session number" changed."""
    event, _people, _enrolments = course
    day_one, day_two = event.sessions
    client_as("TRSG").post(f"/training/sessions/{day_two.id}/cancel")
    updates = by_recipient(smtp_server, "update")
    assert sorted(updates) == ["rosa.delgado@social-care.example", "tom.ashby@housing.example"]
    for (renumbered,) in updates.values():
        assert renumbered.event["UID"] == f"training-session-{day_one.id}@tracker.test"
        assert renumbered.event["SUMMARY"] == "MAPPA Chair Training, Spring cohort"
    emails = [r.message for r in smtp_server.received if r.message["Subject"].startswith("Updated: ")]
    assert len(emails) == 2
    for email in emails:
        for text in email_texts(email):
            assert (
                "What has changed: the other session was cancelled, so this is now the only session of the"
                " course." in text
            )
            assert "session number" not in text


def test_someone_without_an_account_is_pointed_to_the_attached_file_and_the_sender_not_a_sign_in(
    client_as, factory, course, smtp_server
):
    """Invitation, update and cancellation alike: a trainee with no account cannot sign in, so their email
    says the attached calendar file holds the details and whom to ask (who made the change); someone with
    an account still gets the link to their training record."""
    event, _people, _enrolments = course
    event.capacity = 4
    factory.save(event)
    lead = factory.user("TRSG", name="Tara Lead", email="tara.lead@probation.example")
    trsg = client_as(lead)
    chair = factory.user("CHAIR", email="chair.with.account@police.example")
    factory.enrolment(event, factory.trainee(chair))
    agency = factory.agency("Test Police")
    enrol = {"name": "Kim Nguyen", "email": "kim.nguyen@police.example", "agency_id": str(agency.id)}
    assert trsg.post(f"/training/events/{event.id}/enrol", data=enrol).status_code == 302
    moved = _session_form("Day 1", MONDAY, "10:00", "16:30", "1", venue="Training room")
    assert trsg.post(f"/training/sessions/{event.sessions[0].id}/edit", data=moved).status_code == 302
    assert trsg.post(f"/training/sessions/{event.sessions[1].id}/cancel").status_code == 302
    received = {kind: [r.message for r in smtp_server.received if r.message["Subject"].startswith(start)]
                for kind, start in SUBJECTS.items()}
    assert [m["To"] for m in received["invitation"]] == ["kim.nguyen@police.example"] * 2
    without = [m for kind in received.values() for m in kind if m["To"] != "chair.with.account@police.example"]
    assert {m["To"] for m in without} == {
        "kim.nguyen@police.example", "rosa.delgado@social-care.example", "tom.ashby@housing.example"
    }
    # Kim's two invitations; then for each of the three, day 1 moved, day 2 cancelled, day 1 renumbered.
    assert len(without) == 2 + 3 * 3
    for email in without:
        for text in email_texts(email):
            assert "The calendar file attached to this email holds the details" in text
            assert "contact Tara Lead (tara.lead@probation.example)" in text
            assert "sign-in needed" not in text and "my-record" not in text
        assert "my-record" not in email.get_body(("html",)).get_content()
    with_account = next(m for m in received["update"] if m["To"] == "chair.with.account@police.example")
    for text in email_texts(with_account):
        assert "The details are in MAPPA Tracker (sign-in needed)" in text
        assert "attached to this email" not in text
    assert "http://tracker.test/training/my-record" in with_account.get_body(("plain",)).get_content()


def test_a_new_session_invites_everyone_with_a_place(client_as, course, smtp_server):
    event, _people, _enrolments = course
    day = TUESDAY + timedelta(days=7)
    data = _session_form("Follow-up", day, "09:30", "12:00", "0", online_link="https://meet.example.org/follow-up")
    assert client_as("TRSG").post(f"/training/events/{event.id}/sessions/new", data=data).status_code == 302
    invitations = by_recipient(smtp_server, "invitation")
    assert sorted(invitations) == ["rosa.delgado@social-care.example", "tom.ashby@housing.example"]
    for (parsed,) in invitations.values():
        assert parsed.event["SUMMARY"] == "MAPPA Chair Training, Spring cohort: session 3 of 3"
        assert parsed.event["LOCATION"] == "Online: https://meet.example.org/follow-up"
        assert parsed.event["X-MICROSOFT-SKYPETEAMSMEETINGURL"] == "https://meet.example.org/follow-up"
        assert "Join online: https://meet.example.org/follow-up" in str(parsed.event["DESCRIPTION"])


def test_a_session_added_for_one_cancelled_is_numbered_among_those_taking_place(
    client, client_as, factory, course, smtp_server
):
    """A two-day course with day 2 cancelled and another day added is still "1 of 2" and "2 of 2": in the
    invitation, the course's file and each person's feed; the cancellation reads as day 2 of 2."""
    event, _people, _enrolments = course
    trsg = client_as("TRSG")
    trsg.post(f"/training/sessions/{event.sessions[1].id}/cancel")
    (cancelled,) = next(iter(by_recipient(smtp_server, "cancellation").values()))
    assert cancelled.event["SUMMARY"] == "Cancelled: MAPPA Chair Training, Spring cohort: session 2 of 2"
    smtp_server.received.clear()
    data = _session_form("Day 2 again", TUESDAY + timedelta(days=14), "09:30", "16:30", "0", venue="Room 2")
    assert trsg.post(f"/training/events/{event.id}/sessions/new", data=data).status_code == 302

    for (parsed,) in by_recipient(smtp_server, "invitation").values():
        assert parsed.event["SUMMARY"] == "MAPPA Chair Training, Spring cohort: session 2 of 2"
    whole = outlook.check_file(trsg.get(disclosed(f"/training/events/{event.id}/calendar.ics")).data, "download")
    assert [str(e["SUMMARY"]) for e in whole.events] == [
        "MAPPA Chair Training, Spring cohort: session 1 of 2",
        "MAPPA Chair Training, Spring cohort: session 2 of 2",
    ]
    chair = factory.user("CHAIR")
    factory.enrolment(event, factory.trainee(chair))
    feed = outlook.check_file(client.get(f"/calendar/feed/{factory.feed_link(chair)}.ics").data, "feed")
    assert sorted((str(e["SUMMARY"]), str(e.get("STATUS"))) for e in feed.events) == [
        ("Cancelled: MAPPA Chair Training, Spring cohort: session 2 of 2", "CANCELLED"),
        ("MAPPA Chair Training, Spring cohort: session 1 of 2", "CONFIRMED"),
        ("MAPPA Chair Training, Spring cohort: session 2 of 2", "CONFIRMED"),
    ]


def test_an_online_link_must_be_a_web_address(client_as, course):
    event, _people, _enrolments = course
    data = _session_form("Follow-up", TUESDAY, "09:30", "12:00", "0", online_link="ring 020 7946 0000")
    response = client_as("TRSG").post(f"/training/events/{event.id}/sessions/new", data=data)
    assert "Enter the online link in full, starting with https://" in soup(response).get_text()


def test_enrolling_someone_on_training_already_held_sends_nothing(client_as, factory, smtp_server):
    held = factory.event(days=[today_london() - timedelta(days=20)])
    agency = factory.agency("Test Police")
    data = {"name": "Kim Nguyen", "email": "kim.nguyen@police.example", "agency_id": str(agency.id)}
    assert client_as("TRSG").post(f"/training/events/{held.id}/enrol", data=data).status_code == 302
    assert smtp_server.received == []


def test_a_feed_numbers_the_sessions_as_the_files_do(client, factory, course):
    event, _people, _enrolments = course
    chair = factory.user("CHAIR")
    factory.enrolment(event, factory.trainee(chair))
    parsed = outlook.check_file(client.get(f"/calendar/feed/{factory.feed_link(chair)}.ics").data, "feed")
    assert [(str(e["SUMMARY"]), str(e["RELATED-TO"])) for e in parsed.events] == [
        ("MAPPA Chair Training, Spring cohort: session 1 of 2", f"training-event-{event.id}@tracker.test"),
        ("MAPPA Chair Training, Spring cohort: session 2 of 2", f"training-event-{event.id}@tracker.test"),
    ]
    assert parsed.events[0].decoded("DTSTART").astimezone(UTC) == london_to_utc(MONDAY, time(9, 30))


def test_withdrawing_someone_from_the_waiting_list_sends_nothing(client_as, course, smtp_server):
    _event, _people, enrolments = course
    response = client_as("TRSG").post(f"/training/enrolments/{enrolments['wendy'].id}/withdraw")
    assert response.status_code == 302
    assert smtp_server.received == []
