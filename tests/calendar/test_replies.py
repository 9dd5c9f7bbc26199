"""Accept, Tentative and Decline from Outlook come back by email: `tracker fetch-replies` reads them from
the organiser's mailbox on a real IMAP server (Dovecot, tests/imapserver.py) and records them on the
meeting invitation or training place, or leaves them unapplied and listed for the system admin."""

from __future__ import annotations

from datetime import timedelta
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import pytest
from bs4 import BeautifulSoup
from icalendar import Calendar, Event, vCalAddress
from sqlmodel import select

from tracker.auth.models import AgencySector
from tracker.calendar.models import EmailReply, ReplyAnswer
from tracker.core.models import AuditEvent
from tracker.core.timeutil import today_london
from tracker.core.types import utcnow
from tracker.meetings.models import Invitation, MeetingStatus, Rsvp
from tracker.training.models import SessionReply

ORGANISER = "mappa-meetings@tracker.test"
SOON = today_london() + timedelta(days=10)


def outlook_reply(
    uid: str,
    attendee: str,
    partstat: str,
    *,
    sequence: int = 0,
    comment: str = "",
    sender: str | None = None,
    method: str = "REPLY",
    summary: str = "MAPPA meeting",
) -> bytes:
    """A reply as Outlook sends one: multipart/alternative with text, HTML and text/calendar;
    method=REPLY, the calendar carrying the UID, SEQUENCE, one ATTENDEE with its PARTSTAT, and a COMMENT
    when the person edited the response before sending."""
    calendar = Calendar()
    calendar.add("prodid", "Microsoft Exchange Server 2010")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", uid)
    event.add("sequence", sequence)
    event.add("dtstamp", utcnow())
    event.add("dtstart", utcnow() + timedelta(days=10))
    event.add("dtend", utcnow() + timedelta(days=10, hours=2))
    event.add("summary", f"{partstat.title()}: {summary}")
    event.add("organizer", vCalAddress(f"mailto:{ORGANISER}"))
    person = vCalAddress(f"mailto:{attendee}")
    person.params["PARTSTAT"] = partstat
    event.add("attendee", person)
    if comment:
        event.add("comment", comment)
    calendar.add_component(event)
    answer = {"ACCEPTED": "Accepted", "TENTATIVE": "Tentative", "DECLINED": "Declined"}.get(partstat, partstat)
    message = EmailMessage()
    message["From"] = sender or attendee
    message["To"] = ORGANISER
    message["Subject"] = f"{answer}: {summary}"
    message["Date"] = formatdate()
    message["Message-ID"] = make_msgid(domain="outlook.example")
    message.set_content(comment or f"{answer}.")
    message.add_alternative(f"<html><body><p>{comment or answer}</p></body></html>", subtype="html")
    message.add_alternative(
        calendar.to_ical(),
        maintype="text",
        subtype="calendar",
        cte="base64",
        params={"method": method, "charset": "utf-8"},
    )
    return message.as_bytes()


@pytest.fixture
def people(factory):
    probation = factory.agency("Replies Probation", AgencySector.PROBATION)
    housing = factory.agency("Replies Housing", AgencySector.HOUSING)
    return {
        "chair": factory.user("CHAIR", name="Dana Whitfield", email="dana.replies@police.example"),
        "officer": factory.user("PRACTITIONER", agency=probation, name="Li Chen", email="li.replies@probation.example"),
        "housing": factory.user("PRACTITIONER", agency=housing, name="Hana Officer", email="hana.replies@housing.example"),
    }


@pytest.fixture
def meeting(factory, people):
    meeting = factory.meeting(chair=people["chair"], day=SOON, sequence=2, sequence_for_all=2)  # moved twice
    factory.invitation(meeting, people["officer"])
    factory.invitation(meeting, people["housing"])
    return meeting


def fetch(app):
    result = app.test_cli_runner().invoke(args=["fetch-replies"])
    assert result.exit_code == 0, result.output
    return result.output.strip()


def test_accept_tentative_and_decline_from_outlook_are_recorded_and_the_reply_page_agrees(
    app, session, client_as, people, meeting, organiser_mailbox
):
    uid = f"meeting-{meeting.id}@tracker.test"
    organiser_mailbox.arrive(outlook_reply(uid, "li.replies@probation.example", "DECLINED", sequence=2,
                                           comment="On leave that week; Sam Reed will come instead."))  # fmt: skip
    organiser_mailbox.arrive(outlook_reply(uid, "Hana.Replies@housing.example", "TENTATIVE", sequence=2))
    assert fetch(app) == "Replies applied 2, not applied 0."

    session.expire_all()
    answers = {i.user_id: i for i in session.exec(select(Invitation).where(Invitation.meeting_id == meeting.id))}
    declined = answers[people["officer"].id]
    assert declined.rsvp is Rsvp.DECLINED and declined.rsvp_at is not None
    assert declined.rsvp_comment == "On leave that week; Sam Reed will come instead."
    assert answers[people["housing"].id].rsvp is Rsvp.TENTATIVE
    trail = session.exec(select(AuditEvent).where(AuditEvent.action == "reply by email")).all()
    assert sorted(entry.summary for entry in trail) == [
        f"Declined by email from li.replies@probation.example for meeting {meeting.reference} (with a comment)",
        f"Tentative by email from hana.replies@housing.example for meeting {meeting.reference}",
    ]
    # Processed messages leave the inbox, so none is applied twice.
    assert organiser_mailbox.subjects("INBOX") == []
    assert sorted(organiser_mailbox.subjects("Processed by MAPPA Tracker")) == [
        "Declined: MAPPA meeting",
        "Tentative: MAPPA meeting",
    ]
    assert fetch(app) == "Replies applied 0, not applied 0."

    # The person's own page shows the reply that came by email; the meeting page lists it.
    page = client_as(people["officer"]).get(f"/meetings/{meeting.id}")
    text = BeautifulSoup(page.data, "html.parser").get_text(" ", strip=True)
    assert "Your reply: Not attending" in text
    form = client_as(people["housing"]).get(f"/meetings/{meeting.id}/reply")
    checked = BeautifulSoup(form.data, "html.parser").select_one("input[name=answer][checked]")
    assert checked["value"] == "TENTATIVE"


@pytest.mark.parametrize(
    ("make", "why"),
    [
        (lambda m, uid: outlook_reply(uid, "stranger@elsewhere.example", "ACCEPTED", sequence=2),
         "stranger@elsewhere.example is not invited to meeting"),
        (lambda m, uid: outlook_reply("meeting-999999@tracker.test", "li.replies@probation.example", "ACCEPTED"),
         "no meeting has the UID meeting-999999@tracker.test"),
        (lambda m, uid: outlook_reply("someone-else-7@calendar.example", "li.replies@probation.example", "ACCEPTED"),
         "is not one of the tracker's invitations"),
        (lambda m, uid: outlook_reply(uid, "li.replies@probation.example", "ACCEPTED", sequence=1),
         "it answers an older version of the invitation (SEQUENCE 1; the meeting is at 2)"),
        (lambda m, uid: outlook_reply(uid, "li.replies@probation.example", "ACCEPTED", sequence=99),
         "it answers a version of the invitation that was never sent (SEQUENCE 99; the meeting is at 2)"),
        (lambda m, uid: outlook_reply(uid, "li.replies@probation.example", "ACCEPTED", sequence=2,
                                      sender="someone.else@probation.example"),
         "sent from someone.else@probation.example, not the attendee's address li.replies@probation.example"),
        (lambda m, uid: outlook_reply(uid, "li.replies@probation.example", "ACCEPTED", sequence=2, method="REQUEST"),
         "the calendar part is not a reply (METHOD:REQUEST)"),
        (lambda m, uid: outlook_reply(uid, "li.replies@probation.example", "NEEDS-ACTION", sequence=2),
         "the answer NEEDS-ACTION is not Accepted, Tentative or Declined"),
        (lambda m, uid: b"From: li.replies@probation.example\r\nSubject: Thanks\r\nMessage-ID: <t@x>\r\n\r\nSee you there\r\n",
         "no calendar reply in the email"),
        # Ids and SEQUENCEs beyond what the database holds (SQLite's integers, PostgreSQL's above 2**31 - 1).
        (lambda m, uid: outlook_reply("meeting-99999999999999999999999@tracker.test", "li.replies@probation.example",
                                      "ACCEPTED"),
         "no meeting has the UID meeting-99999999999999999999999@tracker.test"),
        (lambda m, uid: outlook_reply("training-session-2147483648@tracker.test", "li.replies@probation.example",
                                      "ACCEPTED"),
         "no training session has the UID training-session-2147483648@tracker.test"),
        (lambda m, uid: outlook_reply(uid, "li.replies@probation.example", "ACCEPTED", sequence=-1),
         "the reply's SEQUENCE -1 is not one the tracker sends"),
    ],
    ids=["not-invited", "unknown-uid", "foreign-uid", "older-sequence", "never-sent-sequence", "other-sender", "not-reply",
         "no-answer", "no-calendar", "huge-id", "id-beyond-postgresql", "negative-sequence"],
)  # fmt: skip
def test_a_reply_that_does_not_fit_is_never_applied_and_is_listed_for_the_admin(
    app, session, factory, client_as, meeting, organiser_mailbox, make, why
):
    organiser_mailbox.arrive(make(meeting, f"meeting-{meeting.id}@tracker.test"))
    assert fetch(app) == "Replies applied 0, not applied 1."
    session.expire_all()
    assert {i.rsvp for i in session.exec(select(Invitation).where(Invitation.meeting_id == meeting.id))} == {
        Rsvp.AWAITING
    }
    (row,) = session.exec(select(EmailReply)).all()
    assert not row.applied and why in row.outcome
    assert organiser_mailbox.subjects("INBOX") == []
    assert len(organiser_mailbox.subjects("Not applied by MAPPA Tracker")) == 1
    page = client_as(factory.user("SYSTEM_ADMIN")).get("/admin/email-replies")
    (listed,) = [r.get_text(" ", strip=True) for r in BeautifulSoup(page.data, "html.parser").select("#replies tbody tr")]
    assert "Not applied" in listed and why in listed


def test_taking_someone_off_leaves_the_others_replies_current_and_a_move_does_not(
    app, session, factory, client_as, meeting, people, organiser_mailbox
):
    """Taking one person off raises the SEQUENCE for their cancellation alone: the others still hold the
    invitation at SEQUENCE 2, and their Accept to it is recorded. Once the meeting moves (a new version
    everyone is sent), an answer to the old one is not."""
    removed = factory.user("PRACTITIONER", name="Off The List")
    invitation = factory.invitation(meeting, removed)
    coordinator = client_as("COORDINATOR")
    response = coordinator.post(
        f"/meetings/{meeting.id}/invitations/{invitation.id}/remove", data={"confirm": "y"}
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(type(meeting), meeting.id).sequence == 3
    uid = f"meeting-{meeting.id}@tracker.test"
    organiser_mailbox.arrive(outlook_reply(uid, "li.replies@probation.example", "ACCEPTED", sequence=2))
    assert fetch(app) == "Replies applied 1, not applied 0."
    moved = session.get(type(meeting), meeting.id)
    from tracker.meetings.services.meetings import note_calendar_change

    note_calendar_change(moved, moved=True)
    session.commit()
    organiser_mailbox.arrive(outlook_reply(uid, "hana.replies@housing.example", "ACCEPTED", sequence=3))
    assert fetch(app) == "Replies applied 0, not applied 1."
    rsvps = {i.user_id: i.rsvp for i in session.exec(select(Invitation).where(Invitation.meeting_id == meeting.id))}
    assert rsvps[people["officer"].id] is Rsvp.ACCEPTED and rsvps[people["housing"].id] is Rsvp.AWAITING


def test_the_chair_s_accept_is_noted_and_a_decline_is_listed_for_someone_to_act_on(
    app, session, meeting, people, organiser_mailbox
):
    """The chair is sent the invitation as the person who runs the meeting: an Accept from Outlook is taken
    (nothing to mark); a Decline is listed, not applied, saying the meeting needs another chair."""
    uid = f"meeting-{meeting.id}@tracker.test"
    organiser_mailbox.arrive(outlook_reply(uid, "dana.replies@police.example", "ACCEPTED", sequence=2))
    assert fetch(app) == "Replies applied 1, not applied 0."
    organiser_mailbox.arrive(outlook_reply(uid, "dana.replies@police.example", "DECLINED", sequence=2))
    assert fetch(app) == "Replies applied 0, not applied 1."
    declined = session.exec(select(EmailReply).where(EmailReply.applied.is_(False))).one()
    assert declined.outcome == (
        f"the chair of meeting {meeting.reference} declined it: give the meeting another chair on its details page"
    )


def test_replies_to_a_cancelled_meeting_are_not_applied(app, session, meeting, organiser_mailbox):
    meeting.status = MeetingStatus.CANCELLED
    session.add(meeting)
    session.commit()
    organiser_mailbox.arrive(outlook_reply(f"meeting-{meeting.id}@tracker.test", "li.replies@probation.example",
                                           "ACCEPTED", sequence=2))  # fmt: skip
    assert fetch(app) == "Replies applied 0, not applied 1."
    (row,) = session.exec(select(EmailReply)).all()
    assert row.outcome == f"meeting {meeting.reference} is cancelled: replies are closed"


def test_a_decline_of_a_training_session_is_recorded_on_the_place_over_tls(
    app, session, factory, client_as, organiser_mailbox, dovecot
):
    app.config.update(IMAP_SECURITY="tls", IMAP_PORT=dovecot.imaps_port)
    event = factory.event(days=[SOON, SOON + timedelta(days=1)])
    trainee = factory.trainee(email="new.chair@police.example")
    enrolment = factory.enrolment(event, trainee)
    first, second = event.sessions
    organiser_mailbox.arrive(outlook_reply(f"training-session-{second.id}@tracker.test",
                                           "new.chair@police.example", "DECLINED", comment="Court that day"))  # fmt: skip
    outsider = "not.enrolled@police.example"
    organiser_mailbox.arrive(outlook_reply(f"training-session-{first.id}@tracker.test", outsider, "ACCEPTED"))
    assert fetch(app) == "Replies applied 1, not applied 1."
    (answer,) = session.exec(select(SessionReply)).all()
    assert (answer.session_id, answer.enrolment_id) == (second.id, enrolment.id)
    assert answer.answer is ReplyAnswer.DECLINED and answer.comment == "Court that day"
    (logged,) = session.exec(select(AuditEvent).where(AuditEvent.action == "reply by email")).all()
    assert logged.summary == f"Declined by email from new.chair@police.example for session {second.id} (with a comment)"
    refused = session.exec(select(EmailReply).where(EmailReply.applied.is_(False))).one()
    assert refused.outcome == f"{outsider} has no place on this session's event"
    # The TRSG sees who declined on the session's register.
    page = client_as("TRSG").get(f"/training/sessions/{second.id}/register")
    text = BeautifulSoup(page.data, "html.parser").get_text(" ", strip=True)
    assert "Replies to the invitation" in text
    (listed,) = BeautifulSoup(page.data, "html.parser").select("#session-replies li")
    assert listed.get_text(" ", strip=True) == f"{trainee.name}: Declined (“Court that day”)"


def test_invitations_ask_outlook_to_reply_to_the_organisers_mailbox(
    client_as, factory, people, session, smtp_server, organiser_mailbox
):
    from tests.meetings.test_calendar import details

    meeting = factory.meeting(chair=people["chair"], day=SOON)
    client_as(people["chair"]).post(f"/meetings/{meeting.id}/edit", data=details(meeting, venue="Room 9"))
    (received,) = smtp_server.received
    message = received.message
    assert message["Reply-To"] == ORGANISER
    part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    calendar = Calendar.from_ical(part.get_payload(decode=True))
    assert str(calendar.walk("VEVENT")[0]["ORGANIZER"]) == f"mailto:{ORGANISER}"


def test_an_email_that_fails_unexpectedly_is_set_aside_and_the_replies_after_it_are_read(
    app, session, factory, client_as, people, meeting, organiser_mailbox, monkeypatch
):
    """Whatever goes wrong with one email (here a fault applying it, and a subject PostgreSQL cannot hold),
    it is moved to the not-applied folder and listed with the reason, the error is logged, and the run goes
    on to the replies after it: one crafted email never stops `tracker fetch-replies` for good."""
    from tracker.calendar import replies

    applying = replies._apply_to_meeting

    def faulty(reply, meeting_id):
        if reply.attendee == "hana.replies@housing.example":
            raise RuntimeError("a fault in applying this reply")
        return applying(reply, meeting_id)

    monkeypatch.setattr(replies, "_apply_to_meeting", faulty)
    uid = f"meeting-{meeting.id}@tracker.test"
    organiser_mailbox.arrive(outlook_reply(uid, "hana.replies@housing.example", "ACCEPTED", sequence=2))
    # A NUL character, encoded in the subject (RFC 2047), that only PostgreSQL refuses to store.
    organiser_mailbox.arrive(
        b"From: li.replies@probation.example\r\nSubject: =?utf-8?q?Thanks=00?=\r\n"
        b"Message-ID: <nul@outlook.example>\r\n\r\nSee you there\r\n"
    )
    organiser_mailbox.arrive(outlook_reply(uid, "li.replies@probation.example", "DECLINED", sequence=2))
    assert fetch(app) == "Replies applied 1, not applied 2."

    session.expire_all()
    rsvps = {i.user_id: i.rsvp for i in session.exec(select(Invitation).where(Invitation.meeting_id == meeting.id))}
    assert rsvps[people["officer"].id] is Rsvp.DECLINED and rsvps[people["housing"].id] is Rsvp.AWAITING
    assert organiser_mailbox.subjects("INBOX") == []
    assert len(organiser_mailbox.subjects("Not applied by MAPPA Tracker")) == 2
    faulted = session.exec(select(EmailReply).where(EmailReply.sender == "hana.replies@housing.example")).one()
    assert not faulted.applied
    assert faulted.outcome == "it could not be read or applied: an unexpected error (RuntimeError), in the log"
    page = client_as(factory.user("SYSTEM_ADMIN")).get("/admin/email-replies")
    listed = [r.get_text(" ", strip=True) for r in BeautifulSoup(page.data, "html.parser").select("#replies tbody tr")]
    assert len(listed) == 3 and sum("Not applied" in row for row in listed) == 2
    assert any("unexpected error (RuntimeError)" in row for row in listed)
    assert fetch(app) == "Replies applied 0, not applied 0."
