"""Meetings in Outlook: the .ics download, invitations, updates and cancellations by email (through a
real SMTP server on loopback), the personal feed, and nothing about a case in any of them."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from tests.calendar import outlook
from tests.justify import disclosed
from tests.pages import page_text, soup
from tests.posted import meeting_as_it_stands
from tracker.auth.models import AgencySector
from tracker.core import sending
from tracker.core.models import AuditEvent
from tracker.core.timeutil import london_to_utc, today_london
from tracker.core.types import utcnow
from tracker.meetings.models import Category, Invitation, Meeting, MeetingStatus, Rsvp
from tracker.training.models import CourseKind

SOON = today_london() + timedelta(days=10)


def _day(day: date) -> list[str]:
    return [str(day.day), str(day.month), str(day.year)]


def details(meeting: Meeting, **changes) -> dict:
    """The meeting's details form, filled in as it stands (on SOON, 10:00 to 12:00), with some changes."""
    return meeting_as_it_stands(
        meeting, **{"day": _day(SOON), "start_time": "10:00", "end_time": "12:00", **changes}
    )


@pytest.fixture
def people(factory):
    """A chair, an administrator and a probation officer invited by name."""
    probation = factory.agency("Calendar Probation", AgencySector.PROBATION)
    return {
        "chair": factory.user("CHAIR", name="Dana Whitfield", email="dana.whitfield@police.example"),
        "administrator": factory.user("ADMINISTRATOR", name="Aisha Karim", email="aisha.karim@mappa.example"),
        "officer": factory.user(
            "PRACTITIONER", agency=probation, name="Li Chen", email="li.chen@probation.example"
        ),
    }


@pytest.fixture
def meeting(factory, people):
    meeting = factory.meeting(
        chair=people["chair"],
        administrator=people["administrator"],
        day=SOON,
        venue="Room 4, Lambeth Police Station",
        online_link="https://teams.example/l/meetup-join/abc",
    )
    factory.invitation(meeting, people["officer"])
    return meeting


def arrived(smtp_server, kind: str) -> dict[str, outlook.Parsed]:
    """The calendar of each email that arrived, by recipient, checked by every rule for its kind."""
    return {r.recipients[0]: outlook.calendar_of(r.message, kind) for r in smtp_server.received}


# The download --------------------------------------------------------------------------------------


def test_a_meetings_calendar_file_passes_every_outlook_rule_and_is_recorded_as_an_export(
    client_as, people, meeting, session
):
    response = client_as(people["officer"]).get(disclosed(f"/meetings/{meeting.id}/calendar.ics"))
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="mappa-meeting-{meeting.reference}.ics"'
    )
    parsed = outlook.check_file(response.data, "download")
    vevent = parsed.event
    assert vevent["UID"] == f"meeting-{meeting.id}@tracker.test"
    assert vevent["SUMMARY"] == f"MAPPA Level 2 meeting {meeting.reference}"
    assert vevent["LOCATION"] == "Room 4, Lambeth Police Station; online: https://teams.example/l/meetup-join/abc"
    assert vevent["URL"] == f"http://tracker.test/meetings/{meeting.id}"
    assert "Join online: https://teams.example/l/meetup-join/abc" in str(vevent["DESCRIPTION"])
    assert vevent.decoded("DTSTART").astimezone(UTC) == meeting.starts_at
    assert vevent["SEQUENCE"] == 0
    exports = session.exec(select(AuditEvent).where(AuditEvent.action == "export")).all()
    assert [(e.user_id, e.object_type, e.object_id, e.summary) for e in exports] == [
        (people["officer"].id, "Meeting", str(meeting.id), "calendar file")
    ]


def test_the_meeting_page_offers_the_calendar_file_unless_it_is_cancelled(
    client_as, people, meeting, session
):
    from bs4 import BeautifulSoup

    client = client_as(people["chair"])
    soup = BeautifulSoup(client.get(f"/meetings/{meeting.id}").data, "html.parser")
    link = soup.find("a", string="Add to calendar (.ics)")
    assert link["href"] == f"/meetings/{meeting.id}/calendar.ics"
    assert "govuk-link" in link["class"]
    meeting.status = MeetingStatus.CANCELLED
    session.add(meeting)
    session.commit()
    assert "Add to calendar" not in page_text(client.get(f"/meetings/{meeting.id}"))


def test_someone_not_involved_in_a_meeting_cannot_download_it(client_as, meeting):
    assert client_as("CHAIR").get(disclosed(f"/meetings/{meeting.id}/calendar.ics")).status_code == 404


# Invitations, updates and cancellations -------------------------------------------------------------


def test_scheduling_a_meeting_invites_its_chair_and_administrator_in_outlook(
    client_as, people, session, smtp_server
):
    data = {
        "level": "LEVEL_2",
        "meeting_type": "REVIEW",
        "day": _day(SOON),
        "start_time": "10:00",
        "end_time": "12:00",
        "venue": "Room 4",
        "online_link": "",
        "chair_id": str(people["chair"].id),
        "chair_reason": "Covering for a trained chair on leave",
        "administrator_id": str(people["administrator"].id),
    }
    assert client_as(people["administrator"]).post("/meetings/new", data=data).status_code == 302
    meeting = session.exec(select(Meeting).where(Meeting.chair_id == people["chair"].id)).one()
    invitations = arrived(smtp_server, "invitation")
    assert sorted(invitations) == ["aisha.karim@mappa.example", "dana.whitfield@police.example"]
    for parsed in invitations.values():
        assert parsed.event["UID"] == f"meeting-{meeting.id}@tracker.test"
        assert parsed.event["SEQUENCE"] == 0
        assert sorted(str(a) for a in parsed.event["ATTENDEE"]) == [
            "mailto:aisha.karim@mappa.example",
            "mailto:dana.whitfield@police.example",
        ]
    message = smtp_server.received[0].message
    assert message["Subject"].strip().startswith(f"Invitation: MAPPA Level 2 meeting {meeting.reference}, ")
    sent = session.exec(select(AuditEvent).where(AuditEvent.action == "email sent")).all()
    assert [entry.object_id for entry in sent] == [str(meeting.id)] * 2
    assert sorted(entry.summary for entry in sent) == [
        f"calendar invitation for MAPPA Level 2 meeting {meeting.reference} to {address}"
        for address in ("aisha.karim@mappa.example", "dana.whitfield@police.example")
    ]


def test_inviting_a_person_by_name_sends_them_an_invitation_and_an_agency_alone_nothing(
    client_as, factory, people, meeting, smtp_server
):
    housing = factory.agency("Calendar Housing", AgencySector.HOUSING)
    officer = factory.user("PRACTITIONER", agency=housing, name="Hana Officer", email="hana@housing.example")
    client = client_as(people["administrator"])
    url = f"/meetings/{meeting.id}/invitations/new"
    assert client.post(url, data={"agency_id": str(housing.id), "user_id": ""}).status_code == 302
    assert smtp_server.received == []
    assert (
        client.post(url, data={"agency_id": str(housing.id), "user_id": str(officer.id)}).status_code == 302
    )
    (invitation,) = arrived(smtp_server, "invitation").items()
    assert invitation[0] == "hana@housing.example"
    # The invitation lists everyone in the meeting's diary, as Outlook shows the attendees.
    assert len(invitation[1].event["ATTENDEE"]) == 4


def test_moving_a_meeting_sends_everyone_an_update_with_the_same_uid_and_a_higher_sequence(
    client_as, people, meeting, session, smtp_server
):
    client = client_as(people["administrator"])
    first = outlook.check_file(client.get(disclosed(f"/meetings/{meeting.id}/calendar.ics")).data, "download")
    later = SOON + timedelta(days=1)
    response = client.post(f"/meetings/{meeting.id}/edit", data=details(meeting, day=_day(later)))
    assert response.status_code == 302
    updates = arrived(smtp_server, "update")
    assert sorted(updates) == [
        "aisha.karim@mappa.example",
        "dana.whitfield@police.example",
        "li.chen@probation.example",
    ]
    for parsed in updates.values():
        assert parsed.event["UID"] == first.event["UID"]
        assert parsed.event["SEQUENCE"] == first.event["SEQUENCE"] + 1 == 1
        assert parsed.event.decoded("DTSTART").astimezone(UTC) == london_to_utc(later, time(10))
    assert smtp_server.received[0].message["Subject"].strip().startswith("Updated: MAPPA Level 2 meeting")
    session.expire_all()
    assert session.get(Meeting, meeting.id).sequence == 1


def test_moving_a_meeting_to_an_hour_gone_by_today_still_tells_everyone_whose_diary_holds_it(
    client_as, people, meeting, smtp_server
):
    """A meeting to come moved to earlier today (it was in fact held first thing) is still in everyone's
    diary at its old time: they are sent the update, as for any move, though it has now ended."""
    today = today_london()
    response = client_as(people["administrator"]).post(
        f"/meetings/{meeting.id}/edit",
        data=details(meeting, day=_day(today), start_time="00:00", end_time="00:01"),
    )
    assert response.status_code == 302
    updates = arrived(smtp_server, "update")
    assert sorted(updates) == ["aisha.karim@mappa.example", "dana.whitfield@police.example", "li.chen@probation.example"]
    for parsed in updates.values():
        assert parsed.event.decoded("DTSTART").astimezone(UTC) == london_to_utc(today, time(0))


def test_a_reply_to_the_meeting_as_it_was_no_longer_stands_once_it_moves(client_as, people, meeting, session):
    """The update asks everyone again, so the page shows them waiting for a reply rather than attending
    a meeting at a time they may not be free; saving it unmoved keeps their reply."""
    invitation = session.exec(select(Invitation).where(Invitation.meeting_id == meeting.id)).one()
    invitation.rsvp, invitation.rsvp_at, invitation.rsvp_comment = Rsvp.ACCEPTED, utcnow(), "See you there"
    session.commit()
    client = client_as(people["administrator"])
    assert client.post(f"/meetings/{meeting.id}/edit", data=details(meeting)).status_code == 302
    session.expire_all()
    assert session.get(Invitation, invitation.id).rsvp is Rsvp.ACCEPTED

    later = SOON + timedelta(days=1)
    assert client.post(f"/meetings/{meeting.id}/edit", data=details(meeting, day=_day(later))).status_code == 302
    session.expire_all()
    moved = session.get(Invitation, invitation.id)
    assert (moved.rsvp, moved.rsvp_at, moved.rsvp_comment) == (Rsvp.AWAITING, None, "")
    assert "Li Chen" in page_text(client.get(f"/meetings/{meeting.id}"))


def test_saving_a_meeting_unmoved_sends_nothing(client_as, people, meeting, smtp_server):
    client = client_as(people["administrator"])
    assert client.post(f"/meetings/{meeting.id}/edit", data=details(meeting)).status_code == 302
    assert smtp_server.received == []


def test_changing_the_place_sends_an_update_naming_the_new_place(client_as, people, meeting, smtp_server):
    client = client_as(people["chair"])
    data = details(meeting, venue="Room 9, Brixton Probation Office")
    assert client.post(f"/meetings/{meeting.id}/edit", data=data).status_code == 302
    updates = arrived(smtp_server, "update")
    assert len(updates) == 3
    assert {str(p.event["LOCATION"]) for p in updates.values()} == {
        "Room 9, Brixton Probation Office; online: https://teams.example/l/meetup-join/abc"
    }
    # The email says what changed.
    for received in smtp_server.received:
        body = received.message.get_body(preferencelist=("plain",)).get_content()
        assert "What has changed: the place." in body


def test_a_new_chair_is_invited_and_the_one_replaced_gets_a_cancellation(
    client_as, factory, people, meeting, smtp_server, session
):
    new_chair = factory.user("CHAIR", name="Ravi Shah", email="ravi.shah@police.example")
    client = client_as(people["administrator"])
    response = client.post(f"/meetings/{meeting.id}/edit", data=details(meeting, chair_id=str(new_chair.id)))
    assert response.status_code == 302
    (invited,) = smtp_server.to("ravi.shah@police.example")
    outlook.calendar_of(invited.message, "invitation")
    (replaced,) = smtp_server.to("dana.whitfield@police.example")
    cancellation = outlook.calendar_of(replaced.message, "cancellation")
    assert str(cancellation.event["ATTENDEE"]) == "mailto:dana.whitfield@police.example"
    assert cancellation.event["SEQUENCE"] == 1
    # Nothing changed for the others: they hear nothing.
    assert len(smtp_server.received) == 2


def test_cancelling_a_meeting_sends_everyone_a_cancellation(client_as, people, meeting, smtp_server):
    client = client_as(people["chair"])
    response = client.post(f"/meetings/{meeting.id}/cancel", data={"version": "1", "reason": "Chair unwell"})
    assert response.status_code == 302
    cancellations = arrived(smtp_server, "cancellation")
    assert len(cancellations) == 3
    for parsed in cancellations.values():
        assert parsed.icalendar["METHOD"] == "CANCEL"
        assert parsed.event["STATUS"] == "CANCELLED"
        assert parsed.event["UID"] == f"meeting-{meeting.id}@tracker.test"
        assert parsed.event["SEQUENCE"] == 1
    message = smtp_server.received[0].message
    assert message["Subject"].strip().startswith(f"Cancelled: MAPPA Level 2 meeting {meeting.reference}")
    # The reason given stays in the tracker.
    assert "unwell" not in message.as_string()


def test_taking_an_invitation_off_sends_that_person_alone_a_cancellation_that_outranks_it(
    client_as, people, meeting, session, smtp_server
):
    invitation = meeting.invitations[0]
    client = client_as(people["administrator"])
    response = client.post(f"/meetings/{meeting.id}/invitations/{invitation.id}/remove")
    assert response.status_code == 302
    (received,) = smtp_server.received
    assert received.recipients == ["li.chen@probation.example"]
    parsed = outlook.calendar_of(received.message, "cancellation")
    assert str(parsed.event["ATTENDEE"]) == "mailto:li.chen@probation.example"
    assert parsed.event["SEQUENCE"] == 1  # above the invitation's 0
    assert "is cancelled for you" in received.message.get_body(preferencelist=("plain",)).get_content()
    session.expire_all()
    assert session.get(Meeting, meeting.id).sequence == 1


def test_inviting_someone_again_after_taking_them_off_outranks_their_cancellation(
    client_as, people, meeting, session, smtp_server
):
    """Li is taken off (a cancellation at SEQUENCE 1), then invited again: the new invitation carries a
    higher SEQUENCE than the cancellation, so Outlook keeps the meeting whichever email it reads first."""
    invitation = meeting.invitations[0]
    client = client_as(people["administrator"])
    client.post(f"/meetings/{meeting.id}/invitations/{invitation.id}/remove")
    data = {"agency_id": str(invitation.agency_id), "user_id": str(invitation.user_id)}
    assert client.post(f"/meetings/{meeting.id}/invitations/new", data=data).status_code == 302
    cancelled, invited = (
        outlook.calendar_of(message.message, kind)
        for message, kind in zip(smtp_server.received, ("cancellation", "invitation"), strict=True)
    )
    assert cancelled.event["SEQUENCE"] == 1 and invited.event["SEQUENCE"] == 2


def test_adding_someone_to_a_meeting_already_held_sends_them_nothing(client_as, factory, people, smtp_server):
    held = factory.meeting(
        chair=people["chair"], day=today_london() - timedelta(days=3), status=MeetingStatus.HELD
    )
    probation = factory.agency("Calendar Probation")
    client = client_as(people["chair"])
    data = {"agency_id": str(probation.id), "user_id": str(people["officer"].id)}
    assert client.post(f"/meetings/{held.id}/invitations/new", data=data).status_code == 302
    assert smtp_server.received == []


def test_an_agency_invited_without_a_name_is_invited_at_its_secure_group_mailbox_and_told_of_removal(
    client_as, factory, people, meeting, session, smtp_server
):
    children = factory.agency(
        "Calendar Children", AgencySector.CHILDRENS_SOCIAL_CARE, secure_mailbox="mappa@children.gov.example"
    )
    client = client_as(people["administrator"])
    url = f"/meetings/{meeting.id}/invitations/new"
    assert client.post(url, data={"agency_id": str(children.id), "user_id": ""}).status_code == 302
    (invitation,) = arrived(smtp_server, "invitation").items()
    assert invitation[0] == "mappa@children.gov.example"
    assert "mailto:mappa@children.gov.example" in {str(a) for a in invitation[1].event["ATTENDEE"]}
    # Later updates reach it as they reach everyone.
    smtp_server.received.clear()
    client.post(f"/meetings/{meeting.id}/edit", data=details(meeting, venue="Room 12"))
    assert "mappa@children.gov.example" in arrived(smtp_server, "update")
    smtp_server.received.clear()
    added = session.exec(
        select(Invitation).where(Invitation.meeting_id == meeting.id, Invitation.agency_id == children.id)
    ).one()
    client.post(f"/meetings/{meeting.id}/invitations/{added.id}/remove", data={"version": "0"})
    assert list(arrived(smtp_server, "cancellation")) == ["mappa@children.gov.example"]


# When the mail server fails -------------------------------------------------------------------------


def test_when_the_mail_server_is_down_the_change_is_saved_and_its_emails_wait_in_the_outbox(
    client_as, factory, people, meeting, session, mail_server_down
):
    client = client_as(people["administrator"])
    later = SOON + timedelta(days=2)
    response = client.post(f"/meetings/{meeting.id}/edit", data=details(meeting, day=_day(later)))
    assert response.status_code == 302
    session.expire_all()
    moved = session.get(Meeting, meeting.id)
    assert moved.starts_at == london_to_utc(later, time(10)) and moved.sequence == 1
    # The person who made the change is not held up; the system admin sees the emails waiting.
    outbox = client_as(factory.user("SYSTEM_ADMIN")).get("/admin/outbox?status=queued")
    rows = [row.get_text(" ", strip=True) for row in soup(outbox).select("#outbox tbody tr")]
    assert len(rows) == 3
    for address in ("li.chen@probation.example", "aisha.karim@mappa.example", "dana.whitfield@police.example"):
        (row,) = [row for row in rows if address in row]
        assert f"Updated: MAPPA Level 2 meeting {meeting.reference}" in row
        assert "Queued" in row and "Next try" in row and "Connection refused" in row
    # Once the server is back, the next run delivers them.
    mailbox = mail_server_down.come_back()
    with client.application.app_context():
        sending.send_all_due(now=utcnow() + timedelta(minutes=2))
    assert sorted(r.recipients[0] for r in mailbox.received) == [
        "aisha.karim@mappa.example",
        "dana.whitfield@police.example",
        "li.chen@probation.example",
    ]


def test_a_refused_address_fails_for_good_and_everyone_else_still_gets_their_email(
    client_as, factory, people, meeting, session, smtp_server
):
    smtp_server.refuse.add("li.chen@probation.example")
    client = client_as(people["chair"])
    client.post(f"/meetings/{meeting.id}/edit", data=details(meeting, day=_day(SOON + timedelta(days=1))))
    assert sorted(r.recipients[0] for r in smtp_server.received) == [
        "aisha.karim@mappa.example",
        "dana.whitfield@police.example",
    ]
    outbox = client_as(factory.user("SYSTEM_ADMIN")).get("/admin/outbox?status=failed")
    (row,) = [row.get_text(" ", strip=True) for row in soup(outbox).select("#outbox tbody tr")]
    assert "li.chen@probation.example" in row and "550 5.1.1 No such mailbox" in row and "Failed" in row
    actions = {
        e.action for e in session.exec(select(AuditEvent).where(AuditEvent.object_id == str(meeting.id)))
    }
    assert {"email sent", "email failed"} <= actions


# Privacy -------------------------------------------------------------------------------------------

NAME, REFERENCE = "Zebedee Quimbleworth", "ZQ-CASE-7731"
DATE_OF_BIRTH = date(1977, 3, 14)
CASE_DETAILS = [
    NAME,
    "Quimbleworth",
    REFERENCE,
    "14 March 1977",
    "1977-03-14",
    "14/03/1977",
    "19770314",
    "Category 1",
    "sex offender",
    "Chair unwell",
]


def _everything_in(received) -> str:
    """Every header and every part of an email, decoded, as one text."""
    message = received.message
    texts = [f"{key}: {value}" for key, value in message.items()]
    for part in message.walk():
        if not part.is_multipart():
            texts.append(part.get_payload(decode=True).decode())
    return "\n".join(texts)


def test_nothing_about_a_case_leaves_in_a_file_an_email_or_a_feed(
    client, client_as, factory, people, meeting, smtp_server
):
    case = factory.case(
        name=NAME, reference=REFERENCE, date_of_birth=DATE_OF_BIRTH, category=Category.CATEGORY_1
    )
    factory.agenda_item(meeting, case)
    housing = factory.agency("Calendar Housing", AgencySector.HOUSING)
    newcomer = factory.user("PRACTITIONER", agency=housing, email="hana@housing.example")
    chair = client_as(people["chair"])
    assert NAME in page_text(chair.get(f"/meetings/{meeting.id}"))  # the tracker itself shows the case
    leaving = [chair.get(disclosed(f"/meetings/{meeting.id}/calendar.ics")).data.decode()]
    invite = {"agency_id": str(housing.id), "user_id": str(newcomer.id)}
    chair.post(f"/meetings/{meeting.id}/invitations/new", data=invite)
    chair.post(f"/meetings/{meeting.id}/edit", data=details(meeting, day=_day(SOON + timedelta(days=1))))
    token = factory.feed_link(people["chair"])
    leaving.append(client.get(f"/calendar/feed/{token}.ics").data.decode())
    factory.session.expire_all()
    version = factory.session.get(Meeting, meeting.id).version
    chair.post(f"/meetings/{meeting.id}/cancel", data={"version": str(version), "reason": "Chair unwell"})
    # An invitation for the newcomer, then an update and a cancellation for each of the four.
    assert len(smtp_server.received) == 1 + 4 + 4
    leaving += [_everything_in(received) for received in smtp_server.received]
    assert all(f"M-{SOON.year}-" in text for text in leaving)  # the meeting's reference does leave
    for method in ("PUBLISH", "REQUEST", "CANCEL"):
        assert any(f"METHOD:{method}" in text for text in leaving)
    for text in leaving:
        for detail in CASE_DETAILS:
            assert detail.lower() not in text.lower(), detail


# Feeds and times -----------------------------------------------------------------------------------


def test_a_chairs_feed_holds_their_meetings_and_training_sessions_and_nobody_elses(
    client, factory, people, meeting
):
    from tracker.training.models import EnrolmentStatus

    chair = people["chair"]
    supported = factory.meeting(
        chair=factory.user("CHAIR"), administrator=chair, day=SOON + timedelta(days=3)
    )
    invited = factory.meeting(chair=factory.user("CHAIR"), day=SOON + timedelta(days=4))
    factory.invitation(invited, chair)
    someone_elses = factory.meeting(chair=factory.user("CHAIR"), day=SOON + timedelta(days=5))
    forum = factory.event(
        factory.course(CourseKind.CPD, title="Chairs' Forum"),
        days=[SOON + timedelta(days=6)],
        title="Chairs' Forum: Victim Safety",
    )
    trainee = factory.trainee(chair)
    factory.enrolment(forum, trainee)
    full = factory.event(days=[SOON + timedelta(days=8)], title="Development day", capacity=1)
    factory.enrolment(full, factory.trainee(people["administrator"]))
    factory.enrolment(full, trainee, status=EnrolmentStatus.WAITING, waiting_position=1)

    parsed = outlook.check_file(client.get(f"/calendar/feed/{factory.feed_link(chair)}.ics").data, "feed")
    assert [str(e["SUMMARY"]) for e in parsed.events] == [
        f"MAPPA Level 2 meeting {meeting.reference}",
        f"MAPPA Level 2 meeting {supported.reference}",
        f"MAPPA Level 2 meeting {invited.reference}",
        "Chairs' Forum: Victim Safety",
    ]
    assert someone_elses.reference not in parsed.raw.decode()


def test_a_feed_of_real_meetings_costs_the_same_queries_for_three_meetings_or_thirty(
    app, client, factory, people
):
    chair = people["chair"]
    token = factory.feed_link(chair)
    engine = app.extensions["db_engine"]
    counts = []
    for how_many in (3, 30):
        made = sum(1 for _ in factory.session.exec(select(Meeting.id).where(Meeting.chair_id == chair.id)))
        for n in range(made, how_many):
            factory.meeting(chair=chair, day=SOON + timedelta(days=n))
        statements = []

        def count(_connection, _cursor, statement, *_args, statements=statements):
            if "SAVEPOINT" not in statement:  # the tests' own transaction handling
                statements.append(statement)

        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            body = client.get(f"/calendar/feed/{token}.ics").data
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        assert len(outlook.parse(body).events) == how_many
        counts.append(len(statements))
    assert counts[0] == counts[1]


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() + 1) % 7)


def _clock_changes() -> list[date]:
    """The next last Sundays of March and October."""
    today = today_london()
    sundays = sorted(_last_sunday(year, month) for year in (today.year, today.year + 1) for month in (3, 10))
    return [sunday for sunday in sundays if sunday > today + timedelta(days=2)][:2]


@pytest.mark.parametrize("change", [0, 1], ids=["next change", "the one after"])
@pytest.mark.parametrize("offset", [-2, -1, 1, 2], ids=["Friday", "Saturday", "Monday", "Tuesday"])
def test_meetings_either_side_of_the_clock_changes_are_at_the_right_time(
    client_as, factory, people, change, offset
):
    sunday = _clock_changes()[change]
    day = sunday + timedelta(days=offset)
    meeting = factory.meeting(chair=people["chair"], day=day)  # 10:00 to 12:00 in London
    parsed = outlook.check_file(
        client_as(people["chair"]).get(disclosed(f"/meetings/{meeting.id}/calendar.ics")).data, "download"
    )
    assert parsed.line("DTSTART;") == f"DTSTART;TZID=Europe/London:{day:%Y%m%d}T100000"
    assert parsed.line("DTEND;") == f"DTEND;TZID=Europe/London:{day:%Y%m%d}T120000"
    # 10:00 in summer time (after March's change, before October's) is 09:00 UTC.
    summer = (sunday.month == 3) == (offset > 0)
    expected = datetime.combine(day, time(9 if summer else 10), tzinfo=UTC)
    assert parsed.event.decoded("DTSTART").astimezone(UTC) == expected
    assert parsed.vobject.vevent.dtstart.value.astimezone(UTC) == expected


def test_moving_a_meeting_across_the_clock_change_sends_the_right_new_time(
    client_as, factory, people, smtp_server
):
    sunday = _clock_changes()[0]
    before, after = sunday - timedelta(days=1), sunday + timedelta(days=1)
    meeting = factory.meeting(chair=people["chair"], day=before)
    client = client_as(people["chair"])
    client.post(f"/meetings/{meeting.id}/edit", data=details(meeting, day=_day(after)))
    (update,) = arrived(smtp_server, "update").values()
    assert update.line("DTSTART;") == f"DTSTART;TZID=Europe/London:{after:%Y%m%d}T100000"
    summer_after = sunday.month == 3
    expected = datetime.combine(after, time(9 if summer_after else 10), tzinfo=UTC)
    assert update.event.decoded("DTSTART").astimezone(UTC) == expected
    assert update.vobject.vevent.dtstart.value.astimezone(UTC) == expected
