"""A trained chair with no account: the TRSG asks from the chairs' register for one to be made, and a system
admin approves it (making an account that reads case data is the admin's decision); only then an email
(through the outbox) with a one-time link that expires; following it sets a password, makes the account
with the chair role and links it to the training record, so the history is kept and the person appears
once."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlmodel import select

from tests.pages import page_text
from tests.training.helpers import trained_chair
from tracker.auth.models import AccountInvitation, User
from tracker.core.db import db
from tracker.core.models import OutboxMessage
from tracker.core.permissions import Role
from tracker.core.types import utcnow
from tracker.training import invitations, queries

PASSWORD = "copper kettle winter harbour"


def test_only_a_trained_chair_without_an_account_may_be_invited():
    def standing(**changes):
        values = {"has_account": False, "trained_as_chair": True, "email_taken": False} | changes
        return invitations.Standing(**values)

    assert invitations.invitation_problem(standing()) is None
    assert invitations.invitation_problem(standing(has_account=True)) == "This chair already has an account"
    assert "completed chair training" in invitations.invitation_problem(standing(trained_as_chair=False))
    assert "already uses" in invitations.invitation_problem(standing(email_taken=True))


def test_a_link_works_once_and_until_it_expires():
    now = utcnow()
    fresh = AccountInvitation(
        trainee_id=1, email="a@example.org", token_hash="x", expires_at=now + timedelta(1), approved_at=now
    )
    assert invitations.link_usable(fresh, now)
    assert not invitations.link_usable(None, now)
    expired = AccountInvitation(
        trainee_id=1, email="a@example.org", token_hash="x", expires_at=now, approved_at=now
    )
    assert not invitations.link_usable(expired, now)
    used = AccountInvitation(
        trainee_id=1,
        email="a@example.org",
        token_hash="x",
        expires_at=now + timedelta(1),
        used_at=now,
        approved_at=now,
    )
    assert not invitations.link_usable(used, now)
    asked = AccountInvitation(
        trainee_id=1, email="a@example.org", token_hash="x", expires_at=now + timedelta(1)
    )
    assert not invitations.link_usable(asked, now) and invitations.request_open(asked, now)


def _link(delivered, trainee) -> str:
    """The newest account link emailed to the trainee, as it arrived (the outbox keeps the sent email
    without it)."""
    message = [message for message in delivered if message["To"] == trainee.email][-1]
    return re.search(r"https?://\S+/create-account/\S+", message.get_content()).group(0)


def test_the_register_invites_a_trained_chair_who_makes_an_account_that_keeps_their_record(
    app, client, client_as, factory, session, delivered
):
    trainee = trained_chair(factory, name="Nia Okafor", email="nia.okafor@example.org")
    trsg = client_as("TRSG")
    register = page_text(trsg.get("/training/chairs?q=Okafor"))
    assert "No account yet" in register and "Ask for an account : Nia Okafor" in register

    page = page_text(trsg.get(f"/training/chairs/{trainee.id}/invite"))
    assert "nia.okafor@example.org" in page and "works once, for 7 days" in page
    assert "a system admin makes it" in page
    response = trsg.post(f"/training/chairs/{trainee.id}/invite", data={}, follow_redirects=True)
    assert "A system admin has been asked to make Nia Okafor's account" in page_text(response)
    assert "No account yet: asked for on" in page_text(trsg.get("/training/chairs?q=Okafor"))
    # Nothing goes to the chair until a system admin approves.
    assert [m for m in delivered if m["To"] == trainee.email] == []

    admin = client_as(factory.user("SYSTEM_ADMIN", name="Sam Admin"))
    home = page_text(admin.get("/home"))
    assert "Chairs' accounts the TRSG asked for" in home and "nia.okafor@example.org" in home
    asked = session.exec(select(AccountInvitation).where(AccountInvitation.trainee_id == trainee.id)).one()
    request_page = page_text(admin.get(f"/admin/account-requests/{asked.id}"))
    assert "Nia Okafor" in request_page and "Approve and send the link" in request_page
    approved = admin.post(f"/admin/account-requests/{asked.id}/approve", data={}, follow_redirects=True)
    assert "Nia Okafor's account is approved" in page_text(approved)
    link = _link(delivered, trainee)
    message = session.exec(select(OutboxMessage).where(OutboxMessage.recipients == trainee.email)).one()
    assert message.subject == "Make your MAPPA Tracker account"

    path = link.split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + path)
    assert "Set a password for the MAPPA Tracker account of nia.okafor@example.org" in page_text(form)
    mismatch = client.post("/" + path, data={"password": PASSWORD, "confirm": "something else entirely"})
    assert mismatch.status_code == 200
    assert session.exec(select(User).where(User.email == trainee.email)).first() is None

    made = client.post("/" + path, data={"password": PASSWORD, "confirm": PASSWORD})
    assert made.status_code == 302 and made.headers["Location"].endswith("/sign-in")
    assert "Your account is ready" in page_text(client.get("/sign-in"))
    user = session.exec(select(User).where(User.email == trainee.email)).one()
    assert user.roles == {Role.CHAIR} and user.name == "Nia Okafor"
    assert user.chair_trained and user.chair_trained_by_course  # as the register says, for the meetings
    session.refresh(trainee)
    assert trainee.user_id == user.id

    # The link was used up; the chair signs in, and is one row of the register (now with an account).
    assert client.get("/" + path).status_code == 404
    signed_in = client.post("/sign-in", data={"email": trainee.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    with app.test_request_context():
        rows = db.session.execute(queries.chairs_register_statement(query="Okafor")).all()
    assert [(row.user_id, row.trainee_id) for row in rows] == [(user.id, trainee.id)]
    record = page_text(client.get("/training/my-record"))
    assert "Trained" in record


def test_the_new_chair_appears_once_in_the_chair_picker(client, client_as, factory, session):
    trainee = trained_chair(factory, name="Owen Marsh", email="owen.marsh@example.org")
    administrator = client_as("ADMINISTRATOR")
    assert "1 trained chair on the chairs' register has no account yet" in page_text(
        administrator.get("/meetings/new")
    )
    token = factory.account_invitation(trainee)
    client.post(f"/create-account/{token}", data={"password": PASSWORD, "confirm": PASSWORD})
    page = administrator.get("/meetings/new").data.decode()
    assert page.count("Owen Marsh (Test Police) – trained, CPD current until") == 1
    assert "has no account yet" not in page


def test_a_chair_who_is_not_trained_or_already_has_an_account_is_not_invited(client_as, factory, session):
    awaiting = factory.trainee(name="Awaiting Person")
    event = factory.event(days=[date(2031, 5, 1)])
    factory.enrolment(event, awaiting)
    trsg = client_as("TRSG")
    page = page_text(trsg.get(f"/training/chairs/{awaiting.id}/invite"))
    assert "Only a chair who has completed chair training can be invited" in page
    assert "Ask a system admin" not in page
    assert trsg.post(f"/training/chairs/{awaiting.id}/invite", data={}).status_code == 409
    with_account = factory.trainee(factory.user("CHAIR"))
    assert "already has an account" in page_text(trsg.get(f"/training/chairs/{with_account.id}/invite"))
    assert session.exec(select(AccountInvitation)).all() == []
    assert session.exec(select(OutboxMessage)).all() == []


def test_an_expired_or_replaced_link_does_not_work(client, client_as, factory, session, delivered):
    trainee = trained_chair(factory)
    expired = factory.account_invitation(trainee, days=-1)
    response = client.get(f"/create-account/{expired}")
    assert response.status_code == 404 and "This link does not work" in page_text(response)
    trsg, admin = client_as("TRSG"), client_as("SYSTEM_ADMIN")

    def asked_and_approved() -> str:
        trsg.post(f"/training/chairs/{trainee.id}/invite", data={})
        asked = session.exec(
            select(AccountInvitation)
            .where(AccountInvitation.trainee_id == trainee.id)
            .order_by(AccountInvitation.id.desc())
        ).first()
        admin.post(f"/admin/account-requests/{asked.id}/approve", data={})
        return _link(delivered, trainee)

    first = asked_and_approved()
    second = asked_and_approved()
    assert first != second
    assert client.get("/" + first.split("://", 1)[1].split("/", 1)[1]).status_code == 404
    assert client.get("/" + second.split("://", 1)[1].split("/", 1)[1]).status_code == 200


def test_the_trsg_asking_makes_no_account_and_sends_no_link(client, client_as, factory, session, delivered):
    """The TRSG's role reads no case data: asking for a chair's account gives no one a way to make it
    (no link is sent, none that exists works) until a system admin approves."""
    trainee = trained_chair(factory, name="Ola Bright", email="ola.bright@example.org")
    client_as("TRSG").post(f"/training/chairs/{trainee.id}/invite", data={})
    assert [m for m in delivered if m["To"] == trainee.email] == []
    asked = session.exec(select(AccountInvitation).where(AccountInvitation.trainee_id == trainee.id)).one()
    assert asked.approved_at is None
    assert session.exec(select(User).where(User.email == trainee.email)).first() is None
    # A refused request sends nothing and ends.
    admin = client_as("SYSTEM_ADMIN")
    refused = admin.post(
        f"/admin/account-requests/{asked.id}/refuse", data={"reason": "Not known to us"}, follow_redirects=True
    )
    assert "The account for Ola Bright is refused" in page_text(refused)
    assert admin.post(f"/admin/account-requests/{asked.id}/approve", data={}).status_code == 302
    assert [m for m in delivered if m["To"] == trainee.email] == []
    assert "has been dealt with already" in page_text(admin.get(f"/admin/account-requests/{asked.id}"))


def test_no_chairs_account_is_made_for_someone_in_an_agency_that_holds_no_case_records(
    client, client_as, factory, session, delivered
):
    """A lay adviser who sat chair training (to understand it) gets no account that reads case records:
    the TRSG is told so and cannot ask, an admin cannot approve one, and a link sent before this rule (or
    before their agency changed) makes no account."""
    from tracker.auth.models import AgencySector

    lay = factory.agency("Lay Advisers", AgencySector.LAY_ADVISERS)
    trainee = trained_chair(factory, name="Lee Lay", email="lee.lay@example.org", agency_id=lay.id)
    trsg = client_as("TRSG")
    page = page_text(trsg.get(f"/training/chairs/{trainee.id}/invite"))
    assert "Lay Advisers holds no case records" in page and "Ask a system admin" not in page
    assert trsg.post(f"/training/chairs/{trainee.id}/invite", data={}).status_code == 409
    assert session.exec(select(AccountInvitation)).all() == []

    token = factory.account_invitation(trainee)
    made = client.post(f"/create-account/{token}", data={"password": PASSWORD, "confirm": PASSWORD})
    assert made.status_code == 404 and "Lay Advisers holds no case records" in page_text(made)
    assert "No chair's account can be made with it now" in page_text(made)  # said before any password is chosen
    assert session.exec(select(User).where(User.email == trainee.email)).first() is None
