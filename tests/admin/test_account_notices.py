"""What the account holder is told of what an admin did to their account: a two-factor reset, and the
first password link of an account made for them."""

from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage

from sqlmodel import col, select

from tests.pages import banners
from tracker.core.models import OutboxMessage


def queued_to(session, address: str) -> list[EmailMessage]:
    """The emails in the outbox for this address, oldest first, as they will go."""
    session.expire_all()
    rows = session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()
    found = [message_from_bytes(row.message, policy=email_policy.default) for row in rows]
    return [message for message in found if message["To"] == address]


def said(message: EmailMessage) -> str:
    return " ".join(message.get_content().split())


def test_a_two_factor_reset_is_told_to_the_account_holder(client_as, factory, session):
    """Whoever next signs in with the password sets up a new second factor: the person is told who reset
    it and when, and what to do if they did not ask for it, with no case detail."""
    person = factory.user("COORDINATOR", name="Ada Lane", email="ada@example.org", totp_secret="JBSWY3DPEHPK3PXP")
    admin = client_as(factory.user("SYSTEM_ADMIN", name="Sam Admin"))
    done = admin.post(f"/admin/users/{person.id}/reset-two-factor", follow_redirects=True)
    assert banners(done) == [
        "Two-factor sign-in reset for Ada Lane. They will set it up again when they next sign in, and have "
        "been emailed to say so."
    ]
    [notice] = queued_to(session, "ada@example.org")
    assert notice["Subject"] == "Your MAPPA Tracker two-factor sign-in was reset"
    text = said(notice)
    assert text.startswith("Hello Ada Lane, Sam Admin, an administrator of MAPPA Tracker, reset the two-factor")
    assert " on " in text and " at " in text  # when, in London time
    assert "If you did not ask for this, tell your MAPPA co-ordinator straight away" in text


def test_a_refused_two_factor_reset_tells_nobody(client_as, factory, session):
    """An admin not cleared may not reset a cleared account's second factor: nothing changes, nothing goes."""
    person = factory.user("COORDINATOR", email="cleo@example.org", terrorism_cleared=True, totp_secret="JBSWY3DPEHPK3PXP")
    client_as(factory.user("SYSTEM_ADMIN")).post(f"/admin/users/{person.id}/reset-two-factor")
    assert queued_to(session, "cleo@example.org") == []
