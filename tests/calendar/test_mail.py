"""Invitations, updates and cancellations, sent through a real SMTP server on loopback and read back."""

from __future__ import annotations

import dataclasses
import email
import email.policy
from pathlib import Path

import pytest

from tests.calendar.conftest import INVITEES, a_meeting, parse
from tracker.calendar import mail, rules
from tracker.calendar.events import Attendee


def read(received) -> email.message.EmailMessage:
    return email.message_from_bytes(received.data, policy=email.policy.default)


def calendar_part(message):
    (part,) = [p for p in message.iter_parts() if p.get_content_type() == "text/calendar"]
    return part


def body_text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def test_each_invitee_gets_an_outlook_invitation_with_text_html_and_calendar_parts(
    app, app_context, smtp_server
):
    event = a_meeting()
    assert mail.send_invitations(event) == 2
    assert sorted(r.recipients[0] for r in smtp_server.received) == sorted(p.email for p in INVITEES)
    for received in smtp_server.received:
        message = read(received)
        assert received.sender == app.config["MAIL_FROM"]
        assert message.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in message.iter_parts()] == [
            "text/plain",
            "text/html",
            "text/calendar",
        ]
        part = calendar_part(message)
        assert part.get_param("method") == "REQUEST"
        assert part.get_content_charset() == "utf-8"
        raw = part.get_payload(decode=True)
        assert b"\r\n" in raw and b"\n" not in raw.replace(b"\r\n", b"")  # CRLF kept byte for byte
        parsed = parse(raw)
        assert parsed.icalendar["METHOD"] == "REQUEST"
        assert parsed.event["UID"] == event.uid
        assert len(parsed.event["ATTENDEE"]) == 2
        assert parsed.vobject.vevent.organizer.value == f"mailto:{app.config['MAIL_FROM']}"


def test_the_invitation_says_what_when_where_and_links_back_and_nothing_more(app_context, smtp_server):
    mail.send_invitations(a_meeting(), [INVITEES[0]])
    (received,) = smtp_server.received
    message = read(received)
    assert message["To"] == "dana.whitfield@police.example"
    assert message["Subject"] == "Invitation: MAPPA Level 2 meeting M-2026-0143, 9 June 2026 at 10:00"
    text = body_text(message)
    assert "Hello Dana Whitfield," in text
    assert "You are invited to MAPPA Level 2 meeting M-2026-0143. Use Accept or Decline" in text
    assert "When: Tuesday 9 June 2026, 10:00 to 12:00 (UK time)" in text
    assert "Where: Room 4, Lambeth Police Station" in text
    assert "Join online: https://teams.example/l/meetup-join/abc" in text
    assert "http://tracker.test/meetings/143" in text
    html = message.get_body(preferencelist=("html",)).get_content()
    assert '<a href="http://tracker.test/meetings/143">MAPPA Tracker</a>' in html


def test_html_in_a_venue_is_escaped_in_the_html_part(app_context, smtp_server):
    mail.send_invitations(a_meeting(venue="Room <b>4</b> & annexe"), [INVITEES[0]])
    html = read(smtp_server.received[0]).get_body(preferencelist=("html",)).get_content()
    assert "Room &lt;b&gt;4&lt;/b&gt; &amp; annexe" in html


def test_an_update_goes_to_everyone_with_the_same_uid_and_a_higher_sequence(app_context, smtp_server):
    before = a_meeting()
    after = a_meeting(venue="Room 9, Brixton Probation Office")
    after = dataclasses.replace(after, sequence=rules.next_sequence(before, after))
    mail.send_invitations(before)
    mail.send_update(after)
    invitations, updates = smtp_server.received[:2], smtp_server.received[2:]
    assert len(updates) == 2
    first = parse(calendar_part(read(invitations[0])).get_payload(decode=True))
    message = read(updates[0])
    assert message["Subject"].startswith("Updated: MAPPA Level 2 meeting M-2026-0143")
    assert "has changed" in body_text(message)
    part = calendar_part(message)
    assert part.get_param("method") == "REQUEST"
    second = parse(part.get_payload(decode=True))
    assert second.event["UID"] == first.event["UID"]
    assert second.event["SEQUENCE"] == first.event["SEQUENCE"] + 1
    assert second.event["LOCATION"] == "Room 9, Brixton Probation Office; online: https://teams.example/l/meetup-join/abc"


def test_a_cancellation_goes_to_everyone_invited_as_method_cancel(app_context, smtp_server):
    invited = a_meeting()
    called_off = a_meeting(cancelled=True)
    called_off = dataclasses.replace(called_off, sequence=rules.next_sequence(invited, called_off))
    assert mail.send_cancellation(called_off) == 2
    for received in smtp_server.received:
        message = read(received)
        assert message["Subject"] == "Cancelled: MAPPA Level 2 meeting M-2026-0143, 9 June 2026 at 10:00"
        # Called off for everyone: it says so, never "for you" as if the meeting went ahead.
        assert "M-2026-0143 is cancelled." in body_text(message)
        assert "for you" not in body_text(message)
        part = calendar_part(message)
        assert part.get_param("method") == "CANCEL"
        parsed = parse(part.get_payload(decode=True))
        assert parsed.icalendar["METHOD"] == "CANCEL"
        assert parsed.event["STATUS"] == "CANCELLED"
        assert parsed.event["UID"] == invited.uid
        assert parsed.event["SEQUENCE"] == 1


def test_a_person_taken_off_the_list_alone_gets_a_cancellation(app_context, smtp_server):
    removed = INVITEES[1]
    meeting = a_meeting(attendees=INVITEES[:1], sequence=2)
    mail.send_cancellation(dataclasses.replace(meeting, sequence=3), [removed])
    (received,) = smtp_server.received
    assert received.recipients == [removed.email]
    message = read(received)
    # It says the meeting still takes place (for the others), in the email and in the calendar entry.
    assert "is cancelled for you: it still takes place for the others" in body_text(message)
    parsed = parse(calendar_part(message).get_payload(decode=True))
    assert parsed.icalendar["METHOD"] == "CANCEL"
    assert parsed.event["STATUS"] == "CANCELLED"
    assert parsed.event["SEQUENCE"] == 3
    description = str(parsed.event["DESCRIPTION"])
    assert "It is cancelled for you: the meeting still takes place for the others." in description
    assert "has been cancelled" not in description
    assert str(parsed.event["ATTENDEE"]) == f"mailto:{removed.email}"


def test_an_invitation_goes_only_to_attendees_and_a_cancelled_event_is_not_invited_to(app_context):
    with pytest.raises(ValueError, match="not attendees"):
        mail.send_invitations(a_meeting(), [Attendee("someone.else@example.org")])
    with pytest.raises(ValueError, match="send_cancellation"):
        mail.send_update(a_meeting(cancelled=True))


def test_without_an_smtp_server_invitations_are_written_to_the_mail_folder(app, app_context):
    folder = Path(app.config["MAIL_FOLDER"])
    before = set(folder.glob("*.eml")) if folder.exists() else set()
    mail.send_invitations(a_meeting(), [INVITEES[0]])
    (written,) = set(folder.glob("*.eml")) - before
    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    assert calendar_part(message).get_param("method") == "REQUEST"
    parse(calendar_part(message).get_payload(decode=True))
