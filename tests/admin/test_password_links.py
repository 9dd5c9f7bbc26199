"""One admin alone never obtains a usable password link (nor a password he set) for an account that reads
case data or has case work: where no mail server is set up, such an account's link goes only to its own
address (kept in the mail folder on the server), new account or not; only an account that reads no case
record (a TRSG member's, the Board's, a lay adviser's) has its link shown to hand over. And a password set
through a link an admin saw ends when the account comes to read case data, or is made active again."""

import re
from datetime import timedelta

from bs4 import BeautifulSoup
from sqlmodel import select

from tracker.auth.models import AgencySector, PasswordReset, User, UserSession
from tracker.core.models import OutboxMessage
from tracker.core.permissions import Role
from tracker.core.types import utcnow

CHOSEN = {"password": "tidal orchard compass", "confirm": "tidal orchard compass"}


def text(response) -> str:
    return BeautifulSoup(response.data, "html.parser").get_text(" ", strip=True)


def shown_link(response) -> str | None:
    found = BeautifulSoup(response.data, "html.parser").select_one("#reset-link")
    return found.get_text().removeprefix("http://tracker.test") if found else None


def account_form(agency, **fields) -> dict:
    data = {"name": "Nia Brooks", "email": "nia.brooks@example.org", "agency_id": str(agency.id)}
    return {**data, "job_title": "", **fields}


def edit_form(person, **fields) -> dict:
    details = {"name": person.name, "email": person.email, "roles": [role.name for role in person.roles]}
    return account_form(person.agency, **{**details, "active": "y", **fields})


def emailed_link(delivered, address: str) -> str:
    """The path of the newest password link emailed to this address, as it arrived."""
    subjects = ("Set your MAPPA Tracker password", "A MAPPA Tracker account has been made for you")
    mailed = [m for m in delivered if m["To"] == address and m["Subject"] in subjects]
    return re.search(r"http://tracker.test(/reset-password/\S+)", mailed[-1].get_content()).group(1)


def links_of(session, person) -> list[PasswordReset]:
    session.expire_all()
    return session.exec(select(PasswordReset).where(PasswordReset.user_id == person.id)).all()


def test_without_mail_a_chairs_or_practitioners_link_is_never_shown_to_the_admin(
    client_as, factory, session, delivered
):
    """The tester's finding: with no mail server, a system admin (who reads no case data) made a chair's
    link, was shown it, set the password and read the chair's cases. Now the link goes only to the chair's
    own address; the page says why it is not shown and where the email is. So for a practitioner, and for
    an account whose only case-reading part is a meeting it is named on."""
    admin = client_as(factory.user("SYSTEM_ADMIN"))
    chair = factory.user("CHAIR", name="Chris Chair", email="chris@example.org")
    practitioner = factory.user("PRACTITIONER", name="Pat Officer", email="pat@example.org")
    named = factory.user("TRSG", name="Tess Named", email="tess@example.org")
    factory.meeting(chair=named)
    for person, why in (
        (chair, "reads case records"),
        (practitioner, "reads case records"),
        (named, "has a part in meetings or cases"),
    ):
        made = admin.post(f"/admin/users/{person.id}/reset-link")
        assert made.status_code == 200 and shown_link(made) is None
        assert "reset-password/" not in made.get_data(as_text=True)
        said = text(made)
        assert f"{person.name}'s account {why}, so its password link is never shown on screen" in said
        assert f"The link is in an email to {person.email}." in said
        assert "No mail server is set up, so the email does not leave the server" in said
        assert f"pass it on to {person.name}, at {person.email} only" in said
        (link,) = links_of(session, person)
        assert not link.shown_to_admin
        assert emailed_link(delivered, person.email).startswith("/reset-password/")


def test_without_mail_an_account_that_reads_no_case_record_has_its_link_shown(client_as, factory, session):
    """A TRSG member, a Board member, a lay adviser: none reads a case record, so the admin may still be
    shown the link to hand over where no mail goes out (it is marked as shown)."""
    admin = client_as(factory.user("SYSTEM_ADMIN"))
    lay = factory.agency("Lay Advisers", AgencySector.LAY_ADVISERS)
    for person in (factory.user("TRSG"), factory.user("SMB"), factory.user("LAY_ADVISER", agency=lay)):
        made = admin.post(f"/admin/users/{person.id}/reset-link")
        assert shown_link(made).startswith("/reset-password/")
        (link,) = links_of(session, person)
        assert link.shown_to_admin
    assert session.exec(select(OutboxMessage)).all() == []


def test_a_new_practitioners_link_goes_only_to_their_own_address(client, client_as, factory, session, delivered):
    """Adding a practitioner (or a chair) no longer shows the admin its first link: the "Account created"
    page says it is in an email to the person, which sets the password."""
    admin = client_as(factory.user("SYSTEM_ADMIN"))
    agency = factory.agency("Borough Housing")
    for name, email, role in (("Nia Brooks", "nia@example.org", "PRACTITIONER"), ("Cal Day", "cal@example.org", "CHAIR")):
        made = admin.post("/admin/users/new", data=account_form(agency, name=name, email=email, roles=[role]))
        assert made.status_code == 200 and shown_link(made) is None
        assert "Account created" in text(made)
        assert f"{name}'s account reads case records, so its password link is never shown on screen" in text(made)
        person = session.exec(select(User).where(User.email == email)).one()
        assert person.roles == {Role[role]}
        assert client.post(emailed_link(delivered, email), data=CHOSEN).status_code == 302
        session.expire_all()
        assert session.get(User, person.id).password_hash is not None


def test_a_role_that_reads_case_data_ends_a_password_an_admin_saw(client, client_as, factory, session, delivered):
    """An admin adds a TRSG member (shown the link, as the account reads no case record), sets the password
    himself and then gives the account the chair role, which needs no second admin: the password he chose
    ends with the save, with the second factor and sessions, and a new link goes to the person's own
    address; the admin is told so. A role that reads no case data (the Board's) leaves it alone."""
    admin = client_as(factory.user("SYSTEM_ADMIN", name="Sam Asker"))
    agency = factory.agency("Probation North", AgencySector.PROBATION)
    made = admin.post("/admin/users/new", data=account_form(agency, roles=["TRSG"]))
    assert client.post(shown_link(made), data=CHOSEN).status_code == 302
    person = session.exec(select(User).where(User.email == "nia.brooks@example.org")).one()
    factory.save(UserSession(token_hash="e" * 64, user_id=person.id))

    admin.post(f"/admin/users/{person.id}/edit", data=edit_form(person, roles=["TRSG", "SMB"]))
    session.expire_all()
    assert session.get(User, person.id).password_hash is not None

    person = session.get(User, person.id)
    saved = admin.post(
        f"/admin/users/{person.id}/edit", data=edit_form(person, roles=["TRSG", "SMB", "CHAIR"]), follow_redirects=True
    )
    assert (
        "Their password was set through a link shown to an admin, so it and their two-factor sign-in are ended "
        "and they are signed out: a new password link has gone to their own email address." in text(saved)
    )
    session.expire_all()
    person = session.get(User, person.id)
    assert Role.CHAIR in person.roles and person.password_hash is None
    open_sessions = select(UserSession).where(UserSession.user_id == person.id, UserSession.ended_at.is_(None))
    assert session.exec(open_sessions).all() == []
    assert client.post("/sign-in", data={"email": person.email, "password": CHOSEN["password"]}).status_code == 200
    assert client.post(emailed_link(delivered, person.email), data=CHOSEN).status_code == 302


def test_making_an_account_active_again_ends_a_password_an_admin_saw(client_as, factory, session):
    """A practitioner whose password was set through a link shown to an admin (before such links went only
    by email) left and is made active again: the password does not come back with the account; one set
    through a link emailed to the person does."""
    admin = client_as(factory.user("SYSTEM_ADMIN"))
    used = utcnow() - timedelta(days=30)
    people = {}
    for shown in (True, False):
        person = factory.user("PRACTITIONER", password_changed_at=used)
        factory.save(PasswordReset(user_id=person.id, token_hash=f"{shown:d}{person.id}".ljust(64, "0"),
                                   expires_at=used, used_at=used, shown_to_admin=shown))
        assert admin.post(f"/admin/users/{person.id}/deactivate").status_code == 302
        session.expire_all()
        person = session.get(User, person.id)
        assert session.get(User, person.id).password_hash is not None
        again = admin.post(f"/admin/users/{person.id}/edit", data=edit_form(person), follow_redirects=True)
        assert again.status_code == 200
        people[shown] = (person.id, text(again))
    session.expire_all()
    assert session.get(User, people[True][0]).password_hash is None
    assert "a new password link has gone to their own email address" in people[True][1]
    assert session.get(User, people[False][0]).password_hash is not None
    assert "a new password link" not in people[False][1]


def test_a_new_address_waits_when_the_same_save_asks_for_wide_access(client_as, factory, session):
    """A TRSG member's new address would change at once (the account reads no case data), but not in the
    save that also asks for the system admin role: one admin alone would otherwise give the account an
    address he reads and, once a second admin confirms the role, have its password link sent there."""
    person = factory.user("TRSG", name="Tom Trainer", email="tom@example.org")
    admin = client_as(factory.user("SYSTEM_ADMIN"))
    data = edit_form(person, email="tom.moved@example.org", roles=["TRSG", "SYSTEM_ADMIN"])
    saved = admin.post(f"/admin/users/{person.id}/edit", data=data, follow_redirects=True)
    assert "new email address (tom.moved@example.org) will take effect once another system admin" in text(saved)
    session.expire_all()
    assert session.get(User, person.id).email == "tom@example.org"


def test_approving_a_chairs_account_without_mail_says_where_the_email_is(client_as, factory, session):
    """The chair's link is never shown to the admin who approves it; with no mail server the admin is told
    the email is kept on the server rather than that it was emailed."""
    from tests.training.helpers import trained_chair
    from tracker.auth.models import AccountInvitation

    trainee = trained_chair(factory, name="Femi Adeyemi", email="femi@example.org")
    client_as("TRSG").post(f"/training/chairs/{trainee.id}/invite", data={})
    asked = session.exec(select(AccountInvitation).where(AccountInvitation.trainee_id == trainee.id)).one()
    approved = client_as("SYSTEM_ADMIN").post(f"/admin/account-requests/{asked.id}/approve", follow_redirects=True)
    said = text(approved)
    assert "Femi Adeyemi's account is approved. No mail server is set up, so the email with the link" in said
    assert "has been emailed a link" not in said and "create-account/" not in approved.get_data(as_text=True)
