"""Sending a failed calendar email again (Email outbox, "Send again"): an invitation to a meeting since
cancelled, or a version a later email has replaced, is refused with the reason, so that it never puts the
meeting back in someone's calendar as it was; the later email itself goes again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import col, select

from tests.calendar import outlook
from tests.meetings.test_calendar import _day, details
from tests.pages import soup
from tracker.auth.models import AgencySector
from tracker.calendar import rules
from tracker.core import sending
from tracker.core.models import OutboxMessage, OutboxStatus
from tracker.core.timeutil import today_london
from tracker.core.types import utcnow

SOON = today_london() + timedelta(days=10)
LI = "li.chen@probation.example"


@pytest.fixture
def invited(client_as, factory, session, smtp_server):
    """A meeting Li Chen is invited to, whose invitation (SEQUENCE 0) her mail server refused for good."""
    probation = factory.agency("Resend Probation", AgencySector.PROBATION)
    officer = factory.user("PRACTITIONER", agency=probation, name="Li Chen", email=LI)
    administrator = factory.user("ADMINISTRATOR", email="aisha.resend@mappa.example")
    meeting = factory.meeting(chair=factory.user("CHAIR"), administrator=administrator, day=SOON)
    smtp_server.refuse.add(LI)
    client = client_as(administrator)
    data = {"agency_id": str(probation.id), "user_id": str(officer.id)}
    assert client.post(f"/meetings/{meeting.id}/invitations/new", data=data).status_code == 302
    return meeting, client


def _failed_to_li(session) -> list[OutboxMessage]:
    session.expire_all()
    return list(
        session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.recipients == LI, OutboxMessage.status == OutboxStatus.FAILED)
            .order_by(col(OutboxMessage.id))
        )
    )


def _send_again(client, row: OutboxMessage) -> str:
    page = client.post(f"/admin/outbox/{row.id}/retry", data={"confirm": "y"}, follow_redirects=True)
    return soup(page).get_text(" ", strip=True)


def test_an_invitation_to_a_meeting_since_cancelled_is_not_sent_again_and_the_cancellation_is(
    client_as, factory, session, smtp_server, invited
):
    meeting, client = invited
    assert (
        client.post(
            f"/meetings/{meeting.id}/cancel", data={"version": "1", "reason": "Chair unwell"}
        ).status_code
        == 302
    )
    invitation, cancellation = _failed_to_li(session)
    smtp_server.refuse.clear()
    smtp_server.received.clear()
    admin = client_as(factory.user("SYSTEM_ADMIN"))

    shown = _send_again(admin, invitation)
    assert (
        f"Not sent again: meeting {meeting.reference} has been cancelled since this invitation was written"
        in shown
    )
    assert session.get(OutboxMessage, invitation.id).status is OutboxStatus.FAILED
    assert "will be sent again" in _send_again(admin, cancellation)
    with admin.application.app_context():
        sending.send_all_due(now=utcnow() + timedelta(minutes=1))
    (received,) = smtp_server.received
    assert received.recipients == [LI]
    assert outlook.calendar_of(received.message, "cancellation").icalendar["METHOD"] == "CANCEL"


def test_an_invitation_a_later_update_replaced_is_not_sent_again_and_the_update_is(
    client_as, factory, session, smtp_server, invited
):
    meeting, client = invited
    moved = client.post(
        f"/meetings/{meeting.id}/edit", data=details(meeting, day=_day(SOON + timedelta(days=1)))
    )
    assert moved.status_code == 302
    invitation, update = _failed_to_li(session)
    smtp_server.refuse.clear()
    smtp_server.received.clear()
    admin = client_as(factory.user("SYSTEM_ADMIN"))

    shown = _send_again(admin, invitation)
    assert f"Not sent again: meeting {meeting.reference} has changed since this email was written" in shown
    assert session.get(OutboxMessage, invitation.id).status is OutboxStatus.FAILED
    assert "will be sent again" in _send_again(admin, update)
    with admin.application.app_context():
        sending.send_all_due(now=utcnow() + timedelta(minutes=1))
    (received,) = smtp_server.received
    assert outlook.calendar_of(received.message, "update").event["SEQUENCE"] == 1


@pytest.mark.parametrize(
    ("method", "sequence", "cancelled", "for_all", "later", "refused"),
    [
        ("REQUEST", 0, False, 0, [], None),  # still the current invitation
        ("REQUEST", 0, True, 1, [1], "has been cancelled"),
        ("REQUEST", 0, False, 1, [], "has changed"),  # everyone was sent version 1
        ("REQUEST", 2, False, 0, [3], "has changed"),  # taken off since: their cancellation is later
        ("CANCEL", 3, False, 4, [], None),  # taken off, then the meeting moved: still to take it out
        ("CANCEL", 3, False, 4, [5], "has changed"),  # invited again since
        ("CANCEL", 1, True, 1, [], None),  # the cancellation itself
    ],
)
def test_which_calendar_emails_may_be_sent_again(method, sequence, cancelled, for_all, later, refused):
    found = rules.resend_refused(
        method, sequence, "meeting M-1", cancelled=cancelled, sequence_for_all=for_all, later_to_them=later
    )
    assert (found is None) if refused is None else (refused in found)
