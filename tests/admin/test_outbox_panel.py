"""The admin's home page says when emails need them: refused or failed for good, or a sender that has stopped."""

from datetime import timedelta

from tests.pages import page_text
from tracker.core.models import OutboxMessage, OutboxStatus
from tracker.core.types import utcnow


def _email(session, status, **fields):
    message = OutboxMessage(sender="a@example.org", recipients="b@example.org", message=b"x", status=status, **fields)
    session.add(message)
    session.commit()
    return message


def test_failed_emails_and_a_stopped_sender_show_on_the_admins_home_page(client_as, factory, session):
    admin = client_as(factory.user("SYSTEM_ADMIN"))
    assert "Emails that need you" not in page_text(admin.get("/home"))
    _email(session, OutboxStatus.FAILED, last_error="550 mailbox unavailable")
    _email(session, OutboxStatus.FAILED, created_at=utcnow() - timedelta(days=40))  # long ago: not shown
    _email(session, OutboxStatus.QUEUED, next_attempt_at=utcnow() - timedelta(hours=1))
    _email(session, OutboxStatus.QUEUED)  # due now: the sender has it in hand
    text = page_text(admin.get("/home"))
    assert "Emails that need you" in text
    assert "1 email could not be sent in the last 30 days" in text
    assert "1 email waiting longer than 15 minutes" in text
    # Only those who look after the outbox see it.
    assert "Emails that need you" not in page_text(client_as(factory.user("COORDINATOR")).get("/home"))
