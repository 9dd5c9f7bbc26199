"""What the account holder is told of what an admin did to their account: a two-factor reset, and the
first password link of an account made for them."""

import re
from email import message_from_bytes
from email import policy as email_policy
from email.message import EmailMessage

from sqlmodel import col, select

from tests.pages import banners, page_text
from tracker.auth.models import AgencySector, PasswordReset, User
from tracker.core.models import OutboxMessage
from tracker.core.types import utcnow


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


CHOSEN = {"password": "tidal orchard compass", "confirm": "tidal orchard compass"}


def _link_to(delivered: list[EmailMessage], address: str) -> str:
    """The newest password link emailed to this address, as it arrived (the outbox keeps no links)."""
    mailed = [message for message in delivered if message["To"] == address]
    return re.search(r"http://tracker.test(/reset-password/\S+)", mailed[-1].get_content()).group(1)


def _hours_left(session, person) -> float:
    session.expire_all()
    link = session.exec(
        select(PasswordReset).where(PasswordReset.user_id == person.id).order_by(col(PasswordReset.id).desc())
    ).first()
    return (link.expires_at - utcnow()).total_seconds() / 3600


def test_a_new_account_s_link_says_the_account_was_made_and_lasts_as_long_as_an_invitation(
    app, client, client_as, factory, session, delivered
):
    """The first link of an account an admin made says an account was made for the person, by whom and
    with what role, and lasts as long as a chair's account invitation from the TRSG (so a link made on a
    Friday still works on Monday); once it is used the person reads that their password is set."""
    sam = client_as(factory.user("SYSTEM_ADMIN", name="Sam Admin"))
    agency = factory.agency("Borough Housing", AgencySector.HOUSING)
    form = {"name": "Nia Brooks", "email": "nia@example.org", "agency_id": str(agency.id), "roles": ["PRACTITIONER"]}
    made = sam.post("/admin/users/new", data=form)
    days = app.config["ACCOUNT_INVITATION_DAYS"]
    assert f"It works once, for {days} days" in page_text(made)
    person = session.exec(select(User).where(User.email == "nia@example.org")).one()
    assert days * 24 - 1 < _hours_left(session, person) <= days * 24

    [message] = queued_to(session, "nia@example.org")
    assert message["Subject"] == "A MAPPA Tracker account has been made for you"
    text = said(message)
    assert text.startswith(
        "Hello Nia Brooks, Sam Admin, an administrator of MAPPA Tracker, has made an account for you, in "
        "Borough Housing, with the role Agency practitioner. You sign in with this email address."
    )
    assert "has made a link for you to set your password" not in text
    assert "The link works once, until " in text

    # Made again by another admin before it was used: still the account made for them, by Sam.
    bea = client_as(factory.user("SYSTEM_ADMIN", name="Bea Second"))
    assert "It works once, for 7 days" in page_text(bea.post(f"/admin/users/{person.id}/reset-link"))
    again = queued_to(session, "nia@example.org")[-1]
    assert said(again).startswith("Hello Nia Brooks, Sam Admin, an administrator of MAPPA Tracker, has made")

    done = client.post(_link_to(delivered, "nia@example.org"), data=CHOSEN, follow_redirects=True)
    assert "Your password is set. Sign in with your email address and your new password." in page_text(done)
    assert "Your password was changed" not in page_text(done)


def test_a_later_link_is_a_password_reset_for_a_day(app, client, client_as, factory, session, delivered):
    """An account that has had a password gets the usual link: to set a new one, for PASSWORD_RESET_HOURS;
    using it says the password was changed."""
    person = factory.user("CHAIR", name="Cal Day", email="cal@example.org")
    admin = client_as(factory.user("SYSTEM_ADMIN"))
    hours = app.config["PASSWORD_RESET_HOURS"]
    assert f"It works once, for {hours} hours" in page_text(admin.post(f"/admin/users/{person.id}/reset-link"))
    assert hours - 1 < _hours_left(session, person) <= hours
    [message] = queued_to(session, "cal@example.org")
    assert message["Subject"] == "Set your MAPPA Tracker password"
    assert "has made a link for you to set your password" in said(message)
    done = client.post(_link_to(delivered, "cal@example.org"), data=CHOSEN, follow_redirects=True)
    assert "Your password was changed. Sign in with your new password." in page_text(done)
