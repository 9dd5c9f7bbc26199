"""A trained chair with no account is invited from the chairs' register to make one: an email (through the
outbox) with a one-time link that expires; following it sets a password, makes the account with the chair
role and links it to the training record, so the history is kept and the person appears once."""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlmodel import select

from tests.meetings.conftest import page_text
from tracker.auth.models import AccountInvitation, User
from tracker.core.db import db
from tracker.core.models import OutboxMessage
from tracker.core.permissions import Role
from tracker.core.timeutil import today_london
from tracker.core.types import utcnow
from tracker.training import invitations, queries
from tracker.training.models import EnrolmentStatus, Trainee, TraineeRole

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
        trainee_id=1, email="a@example.org", token_hash="x", expires_at=now + timedelta(1)
    )
    assert invitations.link_usable(fresh, now)
    assert not invitations.link_usable(None, now)
    expired = AccountInvitation(trainee_id=1, email="a@example.org", token_hash="x", expires_at=now)
    assert not invitations.link_usable(expired, now)
    used = AccountInvitation(
        trainee_id=1, email="a@example.org", token_hash="x", expires_at=now + timedelta(1), used_at=now
    )
    assert not invitations.link_usable(used, now)


def _trained_chair(factory, **fields) -> Trainee:
    """A chair who completed chair training a month ago and has no account."""
    trainee = factory.trainee(**fields)
    day = today_london() - timedelta(days=30)
    event = factory.event(days=[day - timedelta(days=1), day])
    factory.enrolment(
        event, trainee, EnrolmentStatus.COMPLETED, TraineeRole.CHAIR, completed_on=day, sessions_attended=2
    )
    return trainee


def _link(delivered, trainee) -> str:
    """The newest account link emailed to the trainee, as it arrived (the outbox keeps the sent email
    without it)."""
    message = [message for message in delivered if message["To"] == trainee.email][-1]
    return re.search(r"https?://\S+/create-account/\S+", message.get_content()).group(0)


def test_the_register_invites_a_trained_chair_who_makes_an_account_that_keeps_their_record(
    app, client, client_as, factory, session, delivered
):
    trainee = _trained_chair(factory, name="Nia Okafor", email="nia.okafor@example.org")
    trsg = client_as("TRSG")
    register = page_text(trsg.get("/training/chairs?q=Okafor"))
    assert "No account yet" in register and "Invite to make an account : Nia Okafor" in register

    page = page_text(trsg.get(f"/training/chairs/{trainee.id}/invite"))
    assert "nia.okafor@example.org" in page and "works once, for 7 days" in page
    response = trsg.post(f"/training/chairs/{trainee.id}/invite", data={})
    assert response.status_code == 302
    assert "invited on" in page_text(trsg.get("/training/chairs?q=Okafor"))
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
    trainee = _trained_chair(factory, name="Owen Marsh", email="owen.marsh@example.org")
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
    assert "Send the invitation" not in page
    assert trsg.post(f"/training/chairs/{awaiting.id}/invite", data={}).status_code == 409
    with_account = factory.trainee(factory.user("CHAIR"))
    assert "already has an account" in page_text(trsg.get(f"/training/chairs/{with_account.id}/invite"))
    assert session.exec(select(AccountInvitation)).all() == []
    assert session.exec(select(OutboxMessage)).all() == []


def test_an_expired_or_replaced_link_does_not_work(client, client_as, factory, session, delivered):
    trainee = _trained_chair(factory)
    expired = factory.account_invitation(trainee, days=-1)
    response = client.get(f"/create-account/{expired}")
    assert response.status_code == 404 and "This link does not work" in page_text(response)
    trsg = client_as("TRSG")
    trsg.post(f"/training/chairs/{trainee.id}/invite", data={})
    first = _link(delivered, trainee)
    trsg.post(f"/training/chairs/{trainee.id}/invite", data={})
    second = _link(delivered, trainee)
    assert first != second
    assert client.get("/" + first.split("://", 1)[1].split("/", 1)[1]).status_code == 404
    assert client.get("/" + second.split("://", 1)[1].split("/", 1)[1]).status_code == 200
