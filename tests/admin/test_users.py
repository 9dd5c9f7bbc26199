"""Admins add and change accounts, make password links and reset two-factor sign-in."""

import re
from datetime import timedelta

from sqlmodel import select

from tests.pages import soup
from tracker.auth.models import AccessGrant, AgencySector, GrantOutcome, PasswordReset, User, UserSession
from tracker.auth.services import set_password
from tracker.core.models import OutboxMessage
from tracker.core.permissions import Role
from tracker.core.types import utcnow


def errors(response) -> list[str]:
    summary = soup(response).select_one(".govuk-error-summary")
    return [a.get_text(strip=True) for a in summary.select("a")] if summary else []


def form_data(agency, **overrides):
    data = {
        "name": "Nia Brooks",
        "email": "Nia.Brooks@Example.org",
        "agency_id": str(agency.id),
        "job_title": "Housing Officer",
        "roles": ["PRACTITIONER"],
    }
    data.update(overrides)
    return data


def confirm_waiting(admin_client, person, session) -> None:
    """A second system admin confirms every grant waiting for the person."""
    session.expire_all()
    waiting = session.exec(
        select(AccessGrant).where(AccessGrant.user_id == person.id, AccessGrant.outcome == GrantOutcome.WAITING)
    ).all()
    assert waiting
    for grant in waiting:
        assert admin_client.post(f"/admin/grants/{grant.id}/confirm").status_code == 302
    session.expire_all()


def test_an_admin_adds_a_person_and_is_shown_a_one_time_link(client_as, factory, session):
    """No mail server: an account that reads no case data (a TRSG member's) has its link shown to hand
    over (see tests/admin/test_password_links.py for the accounts whose link never is)."""
    agency = factory.agency("Borough Housing")
    client = client_as(factory.user("SYSTEM_ADMIN"))
    response = client.post("/admin/users/new", data=form_data(agency, roles=["TRSG"]))
    assert response.status_code == 200
    link = soup(response).select_one("#reset-link").get_text()
    assert link.startswith("http://tracker.test/reset-password/")
    user = session.exec(select(User).where(User.email == "nia.brooks@example.org")).one()
    assert user.active and user.roles == {Role.TRSG} and user.password_hash is None
    assert session.exec(select(PasswordReset).where(PasswordReset.user_id == user.id)).one().used_at is None


def test_without_a_mail_server_a_wide_access_accounts_link_is_never_shown_on_screen(client_as, factory, session):
    """No mail server (the tests' app, a trial): an admin is shown a TRSG member's link to hand over, but
    never the link of an account that reads every case or gives roles, or waits for that, since whoever
    sets its password becomes it: that link goes only by email, kept on the server."""
    coordinator = factory.user("COORDINATOR", name="Helen Marsh", email="helen.marsh@example.org")
    admin = client_as(factory.user("SYSTEM_ADMIN"))
    response = admin.post(f"/admin/users/{coordinator.id}/reset-link", data={"confirm": "y"})
    assert soup(response).select_one("#reset-link") is None
    assert "its password link is never shown on screen" in soup(response).get_text(" ", strip=True)
    (email,) = session.exec(select(OutboxMessage)).all()
    assert email.recipients == "helen.marsh@example.org"

    made = admin.post("/admin/users/new", data=form_data(factory.agency("Unit"), roles=["COORDINATOR"]))
    assert soup(made).select_one("#reset-link") is None
    assert len(session.exec(select(OutboxMessage)).all()) == 2


def test_the_mappa_administrator_role_waits_for_a_second_admin(client_as, factory, session):
    """An administrator puts any case on the agenda of a meeting it administers, and then sees it: one admin
    alone must not make such an account (and set its password) and read any case through it."""
    from tracker.auth.models import Privilege

    first = client_as(factory.user("SYSTEM_ADMIN"))
    made = first.post("/admin/users/new", data=form_data(factory.agency("Unit"), roles=["ADMINISTRATOR"]))
    assert made.status_code == 200 and soup(made).select_one("#reset-link") is None
    person = session.exec(select(User).where(User.email == "nia.brooks@example.org")).one()
    assert Role.ADMINISTRATOR not in person.roles
    (grant,) = session.exec(select(AccessGrant).where(AccessGrant.user_id == person.id)).all()
    assert grant.privilege is Privilege.ADMINISTRATOR and grant.outcome is GrantOutcome.WAITING
    shown = soup(first.get(f"/admin/users/{person.id}")).get_text(" ", strip=True)
    assert "Roles None yet" in shown and "reaches any case (MAPPA administrator)" in shown
    first.post(f"/admin/grants/{grant.id}/confirm")  # refused: the admin who asked cannot confirm it
    session.expire_all()
    assert Role.ADMINISTRATOR not in session.get(User, person.id).roles

    confirm_waiting(client_as(factory.user("SYSTEM_ADMIN")), person, session)
    assert Role.ADMINISTRATOR in session.get(User, person.id).roles

    # Added to an existing account, the role waits too.
    practitioner = factory.user("PRACTITIONER")
    roles = ["PRACTITIONER", "ADMINISTRATOR"]
    data = form_data(practitioner.agency, name=practitioner.name, email=practitioner.email, roles=roles, active="y")
    assert first.post(f"/admin/users/{practitioner.id}/edit", data=data).status_code == 302
    session.expire_all()
    assert session.get(User, practitioner.id).roles == {Role.PRACTITIONER}


def test_adding_a_person_with_missing_or_duplicate_details_changes_nothing(client_as, factory, session):
    agency = factory.agency("Borough Housing")
    existing = factory.user("CHAIR")
    client = client_as(factory.user("SYSTEM_ADMIN"))
    before = len(session.exec(select(User)).all())
    response = client.post(
        "/admin/users/new", data=form_data(agency, name="", email=existing.email, roles=[])
    )
    assert errors(response) == [
        "Enter the person's full name",
        "There is already an account with this email address",
        "Select at least one role",
    ]
    assert len(session.exec(select(User)).all()) == before


def test_an_admin_changes_roles_and_deactivating_signs_the_person_out(client_as, factory, session):
    person = factory.user("PRACTITIONER")
    client_as(person)  # gives the person a signed-in session
    client = client_as(factory.user("SYSTEM_ADMIN"))
    data = form_data(person.agency, name=person.name, email=person.email, roles=["CHAIR", "PRACTITIONER"])
    response = client.post(f"/admin/users/{person.id}/edit", data=data)  # "active" unticked
    assert response.headers["Location"] == f"/admin/users/{person.id}"
    session.expire_all()
    assert person.roles == {Role.CHAIR, Role.PRACTITIONER}
    assert person.active is False
    open_sessions = session.exec(
        select(UserSession).where(UserSession.user_id == person.id, UserSession.ended_at.is_(None))
    ).all()
    assert open_sessions == []


def test_an_admin_cannot_lock_themselves_out(client_as, factory):
    admin = factory.user("SYSTEM_ADMIN")
    client = client_as(admin)
    data = form_data(admin.agency, name=admin.name, email=admin.email, roles=["CHAIR"], active="y")
    response = client.post(f"/admin/users/{admin.id}/edit", data=data)
    assert errors(response) == ["You cannot remove your own admin role or deactivate your own account"]


def test_an_admin_gives_no_role_or_clearance_to_themselves(client_as, factory, session):
    """A system admin who could make himself co-ordinator and clear himself for Category 4 would read every
    case: another admin (cleared himself, to grant clearance) must grant either. The same changes to someone
    else are saved."""
    admin, other = factory.user("SYSTEM_ADMIN"), factory.user("SYSTEM_ADMIN", terrorism_cleared=True)
    client = client_as(admin)
    base = {"name": admin.name, "email": admin.email, "active": "y"}
    promoted = client.post(
        f"/admin/users/{admin.id}/edit", data=form_data(admin.agency, **base, roles=["SYSTEM_ADMIN", "COORDINATOR"])
    )
    assert errors(promoted) == ["You cannot give yourself a role: ask another system admin"]
    cleared = client.post(
        f"/admin/users/{admin.id}/edit",
        data=form_data(admin.agency, **base, roles=["SYSTEM_ADMIN"], terrorism_cleared="y"),
    )
    assert errors(cleared) == ["You cannot clear yourself for Category 4 cases: ask another system admin"]
    session.expire_all()
    assert session.get(User, admin.id).roles == {Role.SYSTEM_ADMIN}
    assert session.get(User, admin.id).terrorism_cleared is False
    data = form_data(admin.agency, **base, roles=["SYSTEM_ADMIN", "COORDINATOR"], terrorism_cleared="y")
    assert client_as(other).post(f"/admin/users/{admin.id}/edit", data=data).status_code == 302
    # Both wait for a third admin: not the one who asked, nor the one they are for.
    session.expire_all()
    assert session.get(User, admin.id).roles == {Role.SYSTEM_ADMIN}
    assert session.get(User, admin.id).terrorism_cleared is False
    confirm_waiting(client_as(factory.user("SYSTEM_ADMIN", terrorism_cleared=True)), admin, session)
    assert session.get(User, admin.id).roles == {Role.SYSTEM_ADMIN, Role.COORDINATOR}
    assert session.get(User, admin.id).terrorism_cleared is True


def test_clearance_is_not_taken_from_someone_still_running_category_4_work(client_as, factory, session):
    """Priya minutes a meeting with a Category 4 case on it: taking her clearance would leave her its
    administrator, unable to see the case. The admin is told what to hand over (the meeting, by reference
    only); once the meeting is someone else's, the clearance goes."""
    from tracker.meetings.models import Category, Meeting

    priya = factory.user("ADMINISTRATOR", name="Priya Cleared", terrorism_cleared=True)
    meeting = factory.meeting(administrator=priya)
    factory.agenda_item(meeting, factory.case(category=Category.CATEGORY_4, reference="SECRET-1"))
    client = client_as(factory.user("SYSTEM_ADMIN", terrorism_cleared=True))
    data = form_data(priya.agency, name=priya.name, email=priya.email, roles=["ADMINISTRATOR"], active="y")
    refused = client.post(f"/admin/users/{priya.id}/edit", data=data)
    assert errors(refused) == [
        f"Priya Cleared still has a part in Category 4 work (administrator of {meeting.reference}): give it to "
        "someone cleared first, then remove the clearance"
    ]
    assert "SECRET-1" not in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, priya.id).terrorism_cleared is True
    handed = session.get(Meeting, meeting.id)
    handed.administrator_id = factory.user("ADMINISTRATOR", terrorism_cleared=True).id
    factory.save(handed)
    assert client.post(f"/admin/users/{priya.id}/edit", data=data).status_code == 302
    session.expire_all()
    assert session.get(User, priya.id).terrorism_cleared is False


def test_a_new_password_link_replaces_the_old_one(client_as, factory, client):
    person = factory.user("CHAIR")
    old_token = factory.reset_link(person)
    admin = client_as(factory.user("SYSTEM_ADMIN"))
    admin.post(f"/admin/users/{person.id}/reset-link")
    response = client.get(f"/reset-password/{old_token}")
    assert response.status_code == 404
    assert "This link does not work" in response.get_data(as_text=True)


def test_a_password_link_works_once_and_ends_the_persons_sessions(client, factory, session):
    person = factory.user("CHAIR")
    token = factory.reset_link(person)
    new = {"password": "tidal orchard compass", "confirm": "tidal orchard compass"}
    assert client.post(f"/reset-password/{token}", data=new).headers["Location"] == "/sign-in"
    assert client.get(f"/reset-password/{token}").status_code == 404


def test_resetting_two_factor_lets_the_person_set_it_up_again(client_as, factory, session):
    person = factory.user("COORDINATOR", totp_secret="JBSWY3DPEHPK3PXP")
    client_as(factory.user("SYSTEM_ADMIN")).post(f"/admin/users/{person.id}/reset-two-factor")
    session.expire_all()
    assert person.totp_secret is None


def test_the_user_list_filters_by_name_and_role(client_as, factory):
    factory.user("CHAIR", name="Ingrid Olsen")
    factory.user("TRSG", name="Ingrid Sandoval")
    client = client_as(factory.user("SYSTEM_ADMIN"))
    page = soup(client.get("/admin/users?q=ingrid&role=CHAIR"))
    names = [a.get_text() for a in page.select("tbody a")]
    assert names == ["Ingrid Olsen"]


def test_where_mail_is_configured_the_link_goes_only_to_the_person(app, client, client_as, factory, smtp_server):
    """An admin who saw the link could set the password and be that person: where mail goes out, the
    link goes to the person's own address and the admin is told only that it went."""
    person = factory.user("CHAIR", email="mailed@example.org")
    admin = client_as(factory.user("SYSTEM_ADMIN"))
    response = admin.post(f"/admin/users/{person.id}/reset-link")
    assert soup(response).select_one("#reset-link") is None
    assert "reset-password/" not in response.get_data(as_text=True)
    assert "We have emailed a link to mailed@example.org" in soup(response).get_text(" ", strip=True)
    [message] = [received.message for received in smtp_server.received]
    assert message["To"] == "mailed@example.org"
    assert message["Subject"] == "Set your MAPPA Tracker password"
    link = re.search(r"http://tracker.test(/reset-password/\S+)", message.get_content()).group(1)
    assert client.get(link).status_code == 200


def test_a_changed_email_address_is_told_to_the_old_one(client_as, factory, session, smtp_server):
    """Changing the address is how an account would be taken over (the next password link goes to the new
    one): the old address hears of it, with the new one and who changed it. A co-ordinator's new address
    waits for a second admin, as the role itself would; so does a practitioner's (their account reads case
    data: see test_an_email_change_of_an_account_that_reads_case_data_waits_for_a_second_admin); a TRSG
    member's, whose account reads none, changes at once."""
    person = factory.user("COORDINATOR", name="Ada Moved", email="ada@example.org")
    admin = client_as(factory.user("SYSTEM_ADMIN", name="Sam Admin"))
    data = form_data(person.agency, name=person.name, email="ada.new@example.org", roles=["COORDINATOR"], active="y")
    saved = admin.post(f"/admin/users/{person.id}/edit", data=data, follow_redirects=True)
    assert (
        "The new email address (ada.new@example.org) will take effect once another system admin confirms it."
        in soup(saved).get_text(" ", strip=True)
    )
    session.expire_all()
    assert session.get(User, person.id).email == "ada@example.org" and smtp_server.received == []
    confirm_waiting(client_as(factory.user("SYSTEM_ADMIN", name="Bea Second")), person, session)
    assert session.get(User, person.id).email == "ada.new@example.org"
    [message] = [received.message for received in smtp_server.received]
    assert message["To"] == "ada@example.org"
    assert message["Subject"] == "Your MAPPA Tracker email address has changed"
    body = message.get_content()
    assert "ada.new@example.org" in body and "Bea Second" in body and "http" not in body
    officer = factory.user("TRSG", email="olu@example.org")
    moved = form_data(officer.agency, name=officer.name, email="olu.new@example.org", roles=["TRSG"], active="y")
    assert admin.post(f"/admin/users/{officer.id}/edit", data=moved).status_code == 302
    session.expire_all()
    assert session.get(User, officer.id).email == "olu.new@example.org"
    assert smtp_server.received[-1].message["To"] == "olu@example.org"
    smtp_server.received.clear()
    # Any other change says nothing.
    data["job_title"] = "Co-ordinator"
    assert admin.post(f"/admin/users/{person.id}/edit", data=data).status_code == 302
    assert smtp_server.received == []


def test_without_mail_the_admin_gives_the_link_and_nothing_is_sent(app, client_as, factory):
    from pathlib import Path

    person = factory.user("TRSG")
    # The app (and its mail folder) serves the whole session: count only what this request writes.
    before = set(Path(app.config["MAIL_FOLDER"]).glob("*.eml"))
    client_as(factory.user("SYSTEM_ADMIN")).post(f"/admin/users/{person.id}/reset-link")
    assert set(Path(app.config["MAIL_FOLDER"]).glob("*.eml")) == before


def test_when_the_mail_server_is_down_the_link_is_still_made_and_its_email_waits_in_the_outbox(
    client_as, factory, session, mail_server_down
):
    person = factory.user("CHAIR", email="unreachable@example.org")
    admin = client_as(factory.user("SYSTEM_ADMIN"))
    response = admin.post(f"/admin/users/{person.id}/reset-link")
    assert soup(response).select_one("#reset-link") is None
    assert "We have emailed a link to unreachable@example.org" in soup(response).get_text(" ", strip=True)
    assert session.exec(select(PasswordReset).where(PasswordReset.user_id == person.id)).one()
    (row,) = soup(admin.get("/admin/outbox?status=queued")).select("#outbox tbody tr")
    text = row.get_text(" ", strip=True)
    assert "unreachable@example.org" in text and "Set your MAPPA Tracker password" in text
    assert "Next try" in text


def test_an_agency_holding_case_records_does_not_become_the_lay_advisers_and_they_read_none(
    client_as, factory, session
):
    """An agency that leads a case (or owns actions, is invited, has people who read case records) is not
    turned into one that holds none; and nobody in the lay advisers' group gets a role that reads them."""
    from tracker.auth.models import Agency, AgencySector

    housing = factory.agency("Housing Holding Records", AgencySector.HOUSING)
    factory.case(lead_agency_id=housing.id)
    lay = factory.agency("Board Lay Advisers", AgencySector.LAY_ADVISERS)
    client = client_as("SYSTEM_ADMIN")
    refused = client.post(
        f"/admin/agencies/{housing.id}/edit",
        data={"name": housing.name, "sector": "LAY_ADVISERS", "secure_mailbox": "", "active": "y"},
    )
    assert errors(refused)[0].startswith("Housing Holding Records holds case records: it leads cases")
    session.expire_all()
    assert session.get(Agency, housing.id).sector is AgencySector.HOUSING
    refused = client.post("/admin/users/new", data=form_data(lay, roles=["PRACTITIONER"]))
    assert errors(refused) == [
        "Board Lay Advisers holds no case records (lay advisers see figures only): choose roles that do not "
        "read case records, or another agency"
    ]
    assert client.post("/admin/users/new", data=form_data(lay, roles=["LAY_ADVISER"])).status_code == 200
    assert session.exec(select(User).where(User.agency_id == lay.id)).one().roles == {Role.LAY_ADVISER}


def test_only_an_admin_cleared_for_category_4_clears_someone_or_changes_a_cleared_account(
    client_as, factory, session
):
    """Clearance opens every Category 4 case. A system admin who is not cleared could otherwise add an
    account for an address he reads, clear it and sign in as it; or change a cleared person's email
    address, make its password link and become them. He may still deactivate a cleared account (a leaver)
    and sign it out everywhere; an admin who is cleared does the rest."""
    agency = factory.agency("Borough Housing")
    uncleared = client_as(factory.user("SYSTEM_ADMIN"))
    refused = uncleared.post("/admin/users/new", data=form_data(agency, terrorism_cleared="y"))
    assert errors(refused) == [
        "Only a system admin cleared for Category 4 cases can clear someone for them: ask one"
    ]
    assert session.exec(select(User).where(User.email == "nia.brooks@example.org")).first() is None

    person = factory.user(
        "COORDINATOR", name="Cleo Cleared", email="cleo@example.org", terrorism_cleared=True,
        totp_secret="JBSWY3DPEHPK3PXP",
    )
    details = {"name": person.name, "email": person.email, "roles": ["COORDINATOR"], "terrorism_cleared": "y"}
    moved = uncleared.post(
        f"/admin/users/{person.id}/edit", data=form_data(person.agency, **{**details, "email": "me@example.org"}, active="y")
    )
    cleared_only = (
        "Cleo Cleared is cleared for Category 4 cases: only a system admin who is cleared too can change this "
        "account (you can deactivate it, or sign it out everywhere)"
    )
    assert moved.status_code == 302
    assert cleared_only in soup(uncleared.get(moved.headers["Location"])).get_text(" ", strip=True)
    assert uncleared.get(f"/admin/users/{person.id}/edit").status_code == 302  # the form is not offered
    link = uncleared.post(f"/admin/users/{person.id}/reset-link", follow_redirects=True)
    assert soup(link).select_one("#reset-link") is None and cleared_only in link.get_data(as_text=True)
    uncleared.post(f"/admin/users/{person.id}/reset-two-factor")
    session.expire_all()
    person = session.get(User, person.id)
    assert person.email == "cleo@example.org" and person.totp_secret == "JBSWY3DPEHPK3PXP"
    assert session.exec(select(PasswordReset).where(PasswordReset.user_id == person.id)).first() is None
    page = soup(uncleared.get(f"/admin/users/{person.id}")).get_text(" ", strip=True)
    assert "Make a link to set a new password" not in page and "Change details" not in page
    assert "only a system admin who is cleared too can change this account" in page

    # Deactivating (a leaver) is open to him, and signs the person out; switching the account back on is not.
    client_as(person)
    deactivated = uncleared.post(f"/admin/users/{person.id}/deactivate", follow_redirects=True)
    assert "Cleo Cleared's account is deactivated and signed out everywhere." in soup(deactivated).get_text()
    session.expire_all()
    assert session.get(User, person.id).active is False
    assert not session.exec(select(UserSession).where(UserSession.user_id == person.id, UserSession.ended_at.is_(None))).all()
    reactivated = uncleared.post(
        f"/admin/users/{person.id}/edit", data=form_data(person.agency, **details, active="y")
    )
    assert reactivated.status_code == 302
    session.expire_all()
    assert session.get(User, person.id).active is False

    cleared = client_as(factory.user("SYSTEM_ADMIN", terrorism_cleared=True))
    assert cleared.post(
        f"/admin/users/{person.id}/edit", data=form_data(person.agency, **details, active="y")
    ).status_code == 302
    made = soup(cleared.post(f"/admin/users/{person.id}/reset-link")).get_text(" ", strip=True)
    assert "Password link made" in made  # emailed to Cleo only: a wide-access account's link is never shown
    assert session.exec(select(PasswordReset).where(PasswordReset.user_id == person.id)).one().used_at is None
    created = cleared.post("/admin/users/new", data=form_data(agency, terrorism_cleared="y"))
    assert created.status_code == 200
    nia = session.exec(select(User).where(User.email == "nia.brooks@example.org")).one()
    assert not nia.terrorism_cleared  # until a second cleared admin confirms it
    confirm_waiting(client_as(factory.user("SYSTEM_ADMIN", terrorism_cleared=True)), nia, session)
    assert session.get(User, nia.id).terrorism_cleared


def test_a_password_link_made_before_an_account_gains_access_stops_working(client_as, factory, client, session):
    """An uncleared admin's link to an uncleared practitioner, shown to him on screen, must not still open
    the account once a cleared admin has cleared it or given it a role that reads every case (nor once its
    email address changed); a change that adds nothing (a new job title) leaves the link as it was."""
    person = factory.user("PRACTITIONER", name="Nadia Rahman", email="nadia@example.org")
    cleared_admin = client_as(factory.user("SYSTEM_ADMIN", terrorism_cleared=True))
    second = client_as(factory.user("SYSTEM_ADMIN", terrorism_cleared=True))
    base = {"name": person.name, "email": person.email, "roles": ["PRACTITIONER"], "active": "y"}
    changes = [
        ({"job_title": "Senior practitioner"}, 200),
        ({"roles": ["PRACTITIONER", "CHAIR"]}, 404),
        ({"terrorism_cleared": "y"}, 404),
        ({"roles": ["PRACTITIONER", "CHAIR", "COORDINATOR"]}, 404),
        ({"email": "nadia.rahman@example.org"}, 404),
    ]
    for change, answer in changes:
        token = factory.reset_link(person, shown=True)
        response = cleared_admin.post(
            f"/admin/users/{person.id}/edit", data=form_data(person.agency, **{**base, **change})
        )
        assert response.status_code == 302, errors(response)
        if {"terrorism_cleared", "email"} & change.keys() or "COORDINATOR" in change.get("roles", []):
            # Asked for, the link still works; confirmed by a second admin, it does not.
            assert client.get(f"/reset-password/{token}").status_code == 200
            confirm_waiting(second, person, session)
        assert client.get(f"/reset-password/{token}").status_code == answer, change
        session.expire_all()
        person = session.get(User, person.id)
        base = {**base, **change}


def test_wide_access_takes_a_second_admin_who_is_not_the_first_under_another_account(
    client_as, factory, session
):
    """A co-ordinator's role reads every case and an admin's gives roles: one admin asks, another confirms.
    Sam cannot make himself co-ordinator through an admin account he asked for (Two), nor make an account
    for an address he reads and have Two confirm its role; Bea, a genuine second admin, can confirm."""
    agency = factory.agency("Co-ordination Unit", AgencySector.PROBATION)
    sam, bea = factory.user("SYSTEM_ADMIN", name="Sam Okafor"), factory.user("SYSTEM_ADMIN", name="Bea Second")
    as_sam, as_bea = client_as(sam), client_as(bea)

    made = as_sam.post("/admin/users/new", data=form_data(agency, name="Admin Two", email="two@example.org",
                                                           roles=["SYSTEM_ADMIN"]))
    assert "Admin Two's account is made. The system admin role will take effect once another system admin confirms it." in (
        soup(made).get_text(" ", strip=True)
    )
    two = session.exec(select(User).where(User.email == "two@example.org")).one()
    assert two.roles == set()
    listed = soup(as_bea.get("/admin/users")).select_one("#waiting-grants").get_text(" ", strip=True)
    assert "Admin Two : system admin role, asked for by Sam Okafor" in listed
    home = soup(as_bea.get("/home")).select_one("#grants-panel").get_text(" ", strip=True)
    assert "Admin Two : system admin role, asked for by Sam Okafor" in home
    (grant,) = session.exec(select(AccessGrant).where(AccessGrant.user_id == two.id)).all()
    refused = as_sam.post(f"/admin/grants/{grant.id}/confirm", follow_redirects=True)
    assert "You asked for this: another system admin confirms it" in soup(refused).get_text()
    confirm_waiting(as_bea, two, session)
    assert session.get(User, two.id).roles == {Role.SYSTEM_ADMIN}
    as_two = client_as(session.get(User, two.id))

    # Two asks for Sam to be co-ordinator: neither Two (who asked) nor Sam (whom it is for) confirms it.
    base = {"name": sam.name, "email": sam.email, "active": "y", "roles": ["SYSTEM_ADMIN", "COORDINATOR"]}
    assert as_two.post(f"/admin/users/{sam.id}/edit", data=form_data(sam.agency, **base)).status_code == 302
    (for_sam,) = session.exec(select(AccessGrant).where(AccessGrant.user_id == sam.id)).all()
    page = soup(as_sam.get(f"/admin/users/{sam.id}")).select_one("#waiting-grants").parent.get_text(" ", strip=True)
    assert "This is for you: another system admin confirms it." in page
    as_sam.post(f"/admin/grants/{for_sam.id}/confirm")
    as_two.post(f"/admin/grants/{for_sam.id}/confirm")
    session.expire_all()
    assert session.get(User, sam.id).roles == {Role.SYSTEM_ADMIN}

    # Sam makes a co-ordinator for an address he reads: Two, whose admin role Sam asked for, cannot confirm.
    as_sam.post("/admin/users/new", data=form_data(agency, name="Helen Fake", email="fake@example.org",
                                                   roles=["COORDINATOR"]))
    fake = session.exec(select(User).where(User.email == "fake@example.org")).one()
    (for_fake,) = session.exec(select(AccessGrant).where(AccessGrant.user_id == fake.id)).all()
    alias = as_two.post(f"/admin/grants/{for_fake.id}/confirm", follow_redirects=True)
    assert (
        "Sam Okafor asked for your own admin role, so your confirmation would not be a second person's"
        in soup(alias).get_text()
    )
    session.expire_all()
    assert session.get(User, fake.id).roles == set()
    # Bea refuses it; Two withdraws what he asked for Sam.
    assert as_bea.post(f"/admin/grants/{for_fake.id}/refuse", data={"reason": "Not a real person"}).status_code == 302
    assert as_two.post(f"/admin/grants/{for_sam.id}/refuse").status_code == 302
    session.expire_all()
    assert session.get(AccessGrant, for_fake.id).outcome is GrantOutcome.REFUSED
    assert session.get(AccessGrant, for_sam.id).outcome is GrantOutcome.WITHDRAWN
    assert as_bea.post(f"/admin/grants/{for_sam.id}/confirm").status_code == 302
    assert session.get(User, sam.id).roles == {Role.SYSTEM_ADMIN}
    assert soup(as_bea.get("/admin/users")).select_one("#waiting-grants") is None
    assert soup(as_bea.get("/home")).select_one("#grants-panel") is None


def test_a_clearance_is_confirmed_only_by_a_cleared_admin(client_as, factory, session):
    person = factory.user("CHAIR", name="Cara Chair")
    asked_by = client_as(factory.user("SYSTEM_ADMIN", terrorism_cleared=True))
    base = {"name": person.name, "email": person.email, "roles": ["CHAIR"], "active": "y", "terrorism_cleared": "y"}
    assert asked_by.post(f"/admin/users/{person.id}/edit", data=form_data(person.agency, **base)).status_code == 302
    (grant,) = session.exec(select(AccessGrant).where(AccessGrant.user_id == person.id)).all()
    uncleared = client_as(factory.user("SYSTEM_ADMIN"))
    page = soup(uncleared.get(f"/admin/users/{person.id}")).get_text(" ", strip=True)
    assert "Only a system admin cleared for Category 4 cases can confirm a clearance: ask one." in page
    uncleared.post(f"/admin/grants/{grant.id}/confirm")
    session.expire_all()
    assert session.get(User, person.id).terrorism_cleared is False
    confirm_waiting(client_as(factory.user("SYSTEM_ADMIN", terrorism_cleared=True)), person, session)
    assert session.get(User, person.id).terrorism_cleared is True


def test_an_admin_does_not_confirm_for_an_admin_account_he_asked_for(client_as, factory, session):
    """The other way round too: Sam asked for Xavier's admin role (Bea confirmed it), so what Xavier asks
    for is not Sam's to confirm; and confirming re-checks the account as it now is (an agency of lay
    advisers holds no case records)."""
    agency = factory.agency("Second Unit", AgencySector.PROBATION)
    sam, bea = factory.user("SYSTEM_ADMIN", name="Sam Okafor"), factory.user("SYSTEM_ADMIN", name="Bea Second")
    as_sam, as_bea = client_as(sam), client_as(bea)
    as_sam.post("/admin/users/new", data=form_data(agency, name="Xavier Alt", email="x@example.org", roles=["SYSTEM_ADMIN"]))
    xavier = session.exec(select(User).where(User.email == "x@example.org")).one()
    confirm_waiting(as_bea, xavier, session)
    marcus = factory.user("PRACTITIONER", name="Marcus Reid")
    base = {"name": marcus.name, "email": marcus.email, "active": "y", "roles": ["PRACTITIONER", "COORDINATOR"]}
    client_as(session.get(User, xavier.id)).post(f"/admin/users/{marcus.id}/edit", data=form_data(marcus.agency, **base))
    (grant,) = session.exec(select(AccessGrant).where(AccessGrant.user_id == marcus.id)).all()
    refused = as_sam.post(f"/admin/grants/{grant.id}/confirm", follow_redirects=True)
    assert "You asked for Xavier Alt's admin role, so your confirmation would not be a second person's" in (
        soup(refused).get_text()
    )
    session.expire_all()
    assert session.get(User, marcus.id).roles == {Role.PRACTITIONER}

    # The agency became the lay advisers' meanwhile: confirming checks the account as it is now.
    agency = session.get(User, marcus.id).agency
    agency.sector = AgencySector.LAY_ADVISERS
    factory.save(agency)
    refused = as_bea.post(f"/admin/grants/{grant.id}/confirm", follow_redirects=True)
    assert f"{agency.name} holds no case records" in soup(refused).get_text()
    session.expire_all()
    assert session.get(User, marcus.id).roles == {Role.PRACTITIONER}


def test_the_edit_form_shows_what_waits_and_unticking_it_withdraws_the_request(client_as, factory, session):
    person = factory.user("PRACTITIONER", name="Wai Ting")
    admin = client_as(factory.user("SYSTEM_ADMIN"))
    base = {"name": person.name, "email": person.email, "active": "y"}
    asked = form_data(person.agency, **base, roles=["PRACTITIONER", "COORDINATOR"])
    assert admin.post(f"/admin/users/{person.id}/edit", data=asked).status_code == 302
    form = soup(admin.get(f"/admin/users/{person.id}/edit"))
    assert form.find("input", attrs={"name": "roles", "value": "COORDINATOR"}).has_attr("checked")
    assert admin.post(f"/admin/users/{person.id}/edit", data=asked).status_code == 302  # saved again: still one
    (grant,) = session.exec(select(AccessGrant).where(AccessGrant.user_id == person.id)).all()
    unticked = form_data(person.agency, **base, roles=["PRACTITIONER"])
    assert admin.post(f"/admin/users/{person.id}/edit", data=unticked).status_code == 302
    session.expire_all()
    assert session.get(AccessGrant, grant.id).outcome is GrantOutcome.WITHDRAWN


def test_a_password_an_admin_was_shown_the_link_for_ends_when_the_account_gets_wide_access(
    app, client_as, factory, client, session
):
    """One admin adds a TRSG member (no mail server, and the account reads no case data, so he is shown
    the link), sets its password himself, then asks for the co-ordinator role. A second admin's confirmation must not hand him an account that
    reads every case: the password he chose and the second factor he set up end, the account is signed
    out, and a new link goes to the person's own address. The second admin is warned before confirming."""
    agency = factory.agency("Borough Housing")
    sam = factory.user("SYSTEM_ADMIN", name="Sam Asker")
    asker = client_as(sam)
    made = asker.post("/admin/users/new", data=form_data(agency, roles=["TRSG"]))
    shown = soup(made).select_one("#reset-link").get_text()
    person = session.exec(select(User).where(User.email == "nia.brooks@example.org")).one()
    chosen = {"password": "tidal orchard compass", "confirm": "tidal orchard compass"}
    assert client.post(shown.removeprefix("http://tracker.test"), data=chosen).status_code == 302
    details = {"name": person.name, "email": person.email, "active": "y"}
    asker.post(
        f"/admin/users/{person.id}/edit",
        data=form_data(agency, **details, roles=["TRSG", "COORDINATOR"]),
    )
    session.expire_all()
    factory.save(UserSession(token_hash="f" * 64, user_id=person.id))
    person.totp_secret = "JBSWY3DPEHPK3PXP"
    # Signed in as the person, he changed the password on the account page: still his.
    set_password(person, "another orchard compass")
    factory.save(person)

    second = client_as(factory.user("SYSTEM_ADMIN", name="Ruth Second"))
    page = soup(second.get(f"/admin/users/{person.id}")).get_text(" ", strip=True)
    assert (
        "Nia Brooks's password was set through a link shown on screen to Sam Asker, who could have set it. "
        "Confirming a role or clearance ends that password" in page
    )
    (grant,) = session.exec(select(AccessGrant).where(AccessGrant.user_id == person.id)).all()
    confirmed = second.post(f"/admin/grants/{grant.id}/confirm", follow_redirects=True)
    assert "a new password link has gone to their own email address" in soup(confirmed).get_text(" ", strip=True)

    session.expire_all()
    person = session.get(User, person.id)
    assert Role.COORDINATOR in person.roles
    assert person.password_hash is None and person.totp_secret is None
    open_sessions = select(UserSession).where(UserSession.user_id == person.id, UserSession.ended_at.is_(None))
    assert session.exec(open_sessions).all() == []
    newest = session.exec(
        select(PasswordReset).where(PasswordReset.user_id == person.id).order_by(PasswordReset.id.desc())
    ).first()
    assert newest.used_at is None and not newest.shown_to_admin
    mailed = session.exec(select(OutboxMessage).where(OutboxMessage.recipients.contains(person.email))).all()
    assert any("Set your MAPPA Tracker password" in m.subject for m in mailed)
    signed_in = client.post("/sign-in", data={"email": person.email, "password": "tidal orchard compass"})
    assert signed_in.status_code == 200  # refused: the sign-in page again, not on to the second step


def test_a_password_set_through_an_emailed_link_since_a_shown_one_is_kept(client_as, factory, session):
    """Only a password whose latest link was shown to an admin is ended: one set since through a link that
    went to the person's own address is theirs alone."""
    person = factory.user("PRACTITIONER", password_changed_at=utcnow())
    for token, shown, used in (("s", True, utcnow() - timedelta(days=2)), ("e", False, utcnow())):
        link = PasswordReset(
            user_id=person.id, token_hash=token * 64, expires_at=used, used_at=used, shown_to_admin=shown
        )
        factory.save(link)
    client_as("SYSTEM_ADMIN").post(
        f"/admin/users/{person.id}/edit",
        data=form_data(
            person.agency, name=person.name, email=person.email, active="y", roles=["PRACTITIONER", "COORDINATOR"]
        ),
    )
    confirm_waiting(client_as(factory.user("SYSTEM_ADMIN")), person, session)
    assert session.get(User, person.id).password_hash is not None


def emailed_link(delivered, address: str) -> str:
    """The path of the newest password link emailed to this address (as it arrived: the outbox keeps the
    sent email without it)."""
    mailed = [
        message
        for message in delivered
        if message["To"] == address
        and message["Subject"] in ("Set your MAPPA Tracker password", "A MAPPA Tracker account has been made for you")
    ][-1]
    body = mailed.get_body(("plain",)).get_content()
    return re.search(r"http://tracker.test(/reset-password/\S+)", body).group(1)


def test_a_link_emailed_to_the_person_still_works_once_a_second_admin_confirms_wide_access(
    client_as, factory, client, session, delivered
):
    """A new co-ordinator's link goes only to their own address. Whoever reads that address could set the
    password before the role is confirmed, and would be sent the next link anyway: the second admin's
    confirmation leaves it working (no admin saw it), so the person can still set their password; so does
    a clearance confirmed later. A link emailed before a new address is confirmed went to the old one: it
    stops working, a new one goes to the new address at once, and the confirming admin is told so."""
    agency = factory.agency("Co-ordination Unit", AgencySector.PROBATION)
    first = client_as(factory.user("SYSTEM_ADMIN", name="Sam Asker", terrorism_cleared=True))
    second = client_as(factory.user("SYSTEM_ADMIN", name="Ruth Second", terrorism_cleared=True))
    made = first.post("/admin/users/new", data=form_data(agency, roles=["COORDINATOR"]))
    assert soup(made).select_one("#reset-link") is None
    person = session.exec(select(User).where(User.email == "nia.brooks@example.org")).one()
    welcome = emailed_link(delivered, person.email)

    (grant,) = session.exec(select(AccessGrant).where(AccessGrant.user_id == person.id)).all()
    confirmed = second.post(f"/admin/grants/{grant.id}/confirm", follow_redirects=True)
    said = soup(confirmed).get_text(" ", strip=True)
    assert "Nia Brooks has the MAPPA co-ordinator role from now." in said and "no longer works" not in said
    assert client.get(welcome).status_code == 200

    details = {"name": person.name, "email": person.email, "active": "y", "roles": ["COORDINATOR"]}
    first.post(f"/admin/users/{person.id}/edit", data=form_data(agency, **details, terrorism_cleared="y"))
    confirm_waiting(second, person, session)
    assert session.get(User, person.id).terrorism_cleared
    assert client.get(welcome).status_code == 200

    moved = {**details, "email": "nia.moved@example.org", "terrorism_cleared": "y"}
    first.post(f"/admin/users/{person.id}/edit", data=form_data(agency, **moved))
    (grant,) = session.exec(
        select(AccessGrant).where(AccessGrant.user_id == person.id, AccessGrant.outcome == GrantOutcome.WAITING)
    ).all()
    confirmed = second.post(f"/admin/grants/{grant.id}/confirm", follow_redirects=True)
    assert (
        "Their unused password link went to the old address, so it no longer works: a new password link has "
        "gone to the new one." in soup(confirmed).get_text(" ", strip=True)
    )
    assert client.get(welcome).status_code == 404
    session.expire_all()
    fresh = emailed_link(delivered, "nia.moved@example.org")
    chosen = {"password": "tidal orchard compass", "confirm": "tidal orchard compass"}
    assert client.post(fresh, data=chosen).status_code == 302
    assert session.get(User, person.id).password_hash is not None


def test_a_link_shown_to_an_admin_ends_on_wide_access_and_a_new_one_is_emailed_to_the_person(
    client_as, factory, client, session, delivered
):
    """No mail server: Sam adds a TRSG member and is shown the link to hand over; before it is used he
    asks for the co-ordinator role. Once a second admin confirms it the link he saw no longer works, and
    (so the person is not left with no way in) a new one goes to their own address at once, never shown;
    the confirming admin is told."""
    agency = factory.agency("Borough Housing")
    sam = client_as(factory.user("SYSTEM_ADMIN", name="Sam Asker"))
    made = sam.post("/admin/users/new", data=form_data(agency, roles=["TRSG"]))
    shown = soup(made).select_one("#reset-link").get_text()
    shown = shown.removeprefix("http://tracker.test")
    person = session.exec(select(User).where(User.email == "nia.brooks@example.org")).one()
    details = {"name": person.name, "email": person.email, "active": "y"}
    sam.post(f"/admin/users/{person.id}/edit", data=form_data(agency, **details, roles=["TRSG", "COORDINATOR"]))
    assert client.get(shown).status_code == 200  # asked for, not yet confirmed

    (grant,) = session.exec(select(AccessGrant).where(AccessGrant.user_id == person.id)).all()
    confirmed = client_as(factory.user("SYSTEM_ADMIN")).post(f"/admin/grants/{grant.id}/confirm", follow_redirects=True)
    said = soup(confirmed).get_text(" ", strip=True)
    assert (
        "Nia Brooks has the MAPPA co-ordinator role from now. Their unused password link had been shown on "
        "screen to an admin, so it no longer works: a new password link has gone to their own email address."
        in said
    )
    assert "reset-password/" not in confirmed.get_data(as_text=True)
    assert client.get(shown).status_code == 404
    session.expire_all()
    fresh = emailed_link(delivered, "nia.brooks@example.org")
    newest = session.exec(select(PasswordReset).where(PasswordReset.user_id == person.id, PasswordReset.used_at.is_(None)).order_by(PasswordReset.id.desc())).first()
    assert not newest.shown_to_admin
    chosen = {"password": "tidal orchard compass", "confirm": "tidal orchard compass"}
    assert client.post(fresh, data=chosen).status_code == 302


def test_a_role_one_admin_gives_leaves_an_emailed_link_working_but_not_a_shown_one(client_as, factory, client):
    """A role that needs no second admin (chair) ends a link an admin was shown, not one that went to the
    person's own address."""
    person = factory.user("PRACTITIONER", name="Nadia Rahman", email="nadia@example.org")
    emailed, shown = factory.reset_link(person), factory.reset_link(person, shown=True)
    data = {"name": person.name, "email": person.email, "roles": ["PRACTITIONER", "CHAIR"], "active": "y"}
    admin = client_as(factory.user("SYSTEM_ADMIN"))
    assert admin.post(f"/admin/users/{person.id}/edit", data=form_data(person.agency, **data)).status_code == 302
    assert client.get(f"/reset-password/{emailed}").status_code == 200
    assert client.get(f"/reset-password/{shown}").status_code == 404


def test_no_password_link_is_made_for_or_used_on_a_deactivated_account(client_as, factory, client, session):
    """Owen has left and his account is switched off: his page offers no password link, asking for one
    anyway is refused with the reason and makes none, and a link made while he was active (for one that
    outlived a deactivation made some other way) sets no password."""
    owen = factory.user("PRACTITIONER", name="Owen Hughes", email="owen@example.org")
    earlier = factory.reset_link(owen)
    admin = client_as(factory.user("SYSTEM_ADMIN"))
    assert admin.post(f"/admin/users/{owen.id}/deactivate").status_code == 302
    assert client.get(f"/reset-password/{earlier}").status_code == 404

    page = soup(admin.get(f"/admin/users/{owen.id}"))
    assert page.find("button", string=lambda s: s and "Make a link" in s) is None
    assert "The account is deactivated, so no password link is made for it." in page.get_text(" ", strip=True)
    before = len(session.exec(select(PasswordReset).where(PasswordReset.user_id == owen.id)).all())
    refused = admin.post(f"/admin/users/{owen.id}/reset-link", follow_redirects=True)
    assert "Owen Hughes's account is deactivated, so no password link is made for it" in (
        soup(refused).get_text(" ", strip=True)
    )
    assert "reset-password/" not in refused.get_data(as_text=True)
    session.expire_all()
    assert len(session.exec(select(PasswordReset).where(PasswordReset.user_id == owen.id)).all()) == before

    # A link still live on an account switched off: it shows why it does not work and sets nothing.
    token = factory.reset_link(owen)
    chosen = {"password": "tidal orchard compass", "confirm": "tidal orchard compass"}
    used = client.post(f"/reset-password/{token}", data=chosen)
    assert used.status_code == 404
    assert "The account this link is for is deactivated" in soup(used).get_text(" ", strip=True)
    session.expire_all()
    assert session.get(User, owen.id).password_changed_at is None
    assert session.exec(select(PasswordReset).where(PasswordReset.user_id == owen.id)).all()[-1].used_at is None


def test_deactivating_an_account_on_its_form_stops_its_password_links(client_as, factory, client):
    person = factory.user("PRACTITIONER")
    token = factory.reset_link(person)
    data = form_data(person.agency, name=person.name, email=person.email, roles=["PRACTITIONER"])
    assert client_as(factory.user("SYSTEM_ADMIN")).post(f"/admin/users/{person.id}/edit", data=data).status_code == 302
    person.active = True
    factory.save(person)  # switched on again: the link made before still does not work
    assert client.get(f"/reset-password/{token}").status_code == 404


def test_deactivating_an_account_stops_its_calendar_feed_link_for_good(client_as, factory, client):
    person = factory.user("PRACTITIONER")
    token = factory.feed_link(person)
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 200
    admin = client_as(factory.user("SYSTEM_ADMIN"))
    data = form_data(person.agency, name=person.name, email=person.email, roles=["PRACTITIONER"])
    assert admin.post(f"/admin/users/{person.id}/edit", data=data).status_code == 302
    # Switched on again: the old link does not come back with the account.
    assert admin.post(f"/admin/users/{person.id}/edit", data={**data, "active": "y"}).status_code == 302
    assert client.get(f"/calendar/feed/{token}.ics").status_code == 404


def test_an_email_change_of_an_account_that_reads_case_data_waits_for_a_second_admin(
    client, client_as, factory, session, smtp_server
):
    """An admin alone must not be able to take over a chair's or practitioner's account by giving it an
    address he reads (its next password link would go there): the new address waits for a second admin,
    password links still go to the old one meanwhile, and taking the role away in the same save (to give it
    back later) changes nothing. An account with no role that reads case data but a part in a meeting is
    held back too: giving the role back would reopen that meeting."""
    chair = factory.user("CHAIR", name="Chris Chair", email="chris@example.org")
    factory.meeting(chair=chair)
    admin = client_as(factory.user("SYSTEM_ADMIN", name="Sam Admin"))
    for roles in (["CHAIR"], ["TRSG"], ["TRSG"]):
        data = form_data(chair.agency, name=chair.name, email="taken.over@example.org", roles=roles, active="y")
        saved = admin.post(f"/admin/users/{chair.id}/edit", data=data, follow_redirects=True)
        assert "will take effect once another system admin confirms it" in soup(saved).get_text(" ", strip=True)
        session.expire_all()
        assert session.get(User, chair.id).email == "chris@example.org"
    admin.post(f"/admin/users/{chair.id}/reset-link")
    assert [received.message["To"] for received in smtp_server.received] == ["chris@example.org"]

    officer = factory.user("PRACTITIONER", email="pat@example.org")
    data = form_data(officer.agency, name=officer.name, email="pat.new@example.org", active="y")
    admin.post(f"/admin/users/{officer.id}/edit", data=data)
    session.expire_all()
    assert session.get(User, officer.id).email == "pat@example.org"
    confirm_waiting(client_as(factory.user("SYSTEM_ADMIN", name="Bea Second")), officer, session)
    assert session.get(User, officer.id).email == "pat.new@example.org"
