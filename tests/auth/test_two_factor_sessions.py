"""A session carries whether it was made with a security code: a role that needs two-factor sign-in never
works in a session made with the password alone, and a confirmed grant of wider access signs the person
out everywhere."""

import re

import pyotp
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.factories.core import PASSWORD
from tests.pages import page_text
from tracker.auth.models import AccessGrant, GrantOutcome, User, UserSession
from tracker.core.permissions import Role

TWO_FACTOR_NEEDED = "You were signed out because your account now needs two-factor sign-in."
MORE_ACCESS = "You were signed out because an administrator gave your account more access."


def sign_in(client, email, password=PASSWORD):
    return client.post("/sign-in", data={"email": email, "password": password})


def signed_out(client, path: str) -> bool:
    """Whether asking for `path` sends the browser to the sign-in page (its session is over)."""
    response = client.get(path)
    return response.status_code == 302 and response.headers["Location"].startswith("/sign-in")


def ask_for_role(admin, person, role: str) -> None:
    data = {
        "name": person.name,
        "email": person.email,
        "agency_id": str(person.agency_id),
        "job_title": "",
        "active": "y",
        "roles": [r.name for r in person.roles] + [role],
    }
    assert admin.post(f"/admin/users/{person.id}/edit", data=data).status_code == 302


def waiting_grant(session, person) -> AccessGrant:
    session.expire_all()
    return session.exec(
        select(AccessGrant).where(
            AccessGrant.user_id == person.id, AccessGrant.outcome == GrantOutcome.WAITING
        )
    ).one()


def test_a_coordinator_role_confirmed_while_signed_in_with_the_password_alone_does_not_open_every_case(
    app, client, client_as, factory, session
):
    """The practitioner signs in with her password (no code: her role does not need one) and keeps the
    session. One admin asks for the co-ordinator role for her, a second confirms it: that session must
    not read every case or the audit trail. It is over, the sign-in page says why, and signing in again
    asks her to set up two-factor sign-in before anything opens."""
    grace = factory.user("PRACTITIONER", name="Grace Adeyemi")
    assert sign_in(client, grace.email).headers["Location"] == "/home"
    assert client.get("/home").status_code == 200
    asker, confirmer = client_as(factory.user("SYSTEM_ADMIN")), client_as(factory.user("SYSTEM_ADMIN"))
    ask_for_role(asker, grace, "COORDINATOR")
    assert client.get("/home").status_code == 200  # asked for, not yet hers
    confirmed = confirmer.post(f"/admin/grants/{waiting_grant(session, grace).id}/confirm")
    assert confirmed.status_code == 302
    session.expire_all()
    assert Role.COORDINATOR in session.get(User, grace.id).roles

    assert signed_out(client, "/cases")
    assert signed_out(client, "/admin/audit")
    assert MORE_ACCESS in page_text(client.get("/sign-in"))
    assert confirmer.get("/home").status_code == 200  # the confirming admin's own session goes on

    assert sign_in(client, grace.email).headers["Location"] == "/sign-in/set-up-two-factor"
    assert signed_out(client, "/cases")
    page = client.get("/sign-in/set-up-two-factor")
    secret = BeautifulSoup(page.data, "html.parser").select_one("#totp-secret").get_text().replace(" ", "")
    assert (
        client.post("/sign-in/set-up-two-factor", data={"code": pyotp.TOTP(secret).now()}).status_code == 302
    )
    assert client.get("/cases").status_code == 200


def test_a_session_made_without_a_code_ends_as_soon_as_the_persons_roles_need_one(client, factory, session):
    """However a role that needs two-factor sign-in came to the account, a session made with the password
    alone is ended on its next request, and the sign-in page says why; one made with a code goes on."""
    person = factory.user("CHAIR")
    sign_in(client, person.email)
    (made,) = session.exec(select(UserSession).where(UserSession.user_id == person.id)).all()
    assert client.get("/home").status_code == 200
    person.set_roles({Role.CHAIR, Role.COORDINATOR})
    factory.save(person)

    assert signed_out(client, "/cases")
    session.expire_all()
    assert session.get(UserSession, made.id).end_reason == "two-factor"
    assert TWO_FACTOR_NEEDED in page_text(client.get("/sign-in"))
    assert signed_out(client, "/home")

    # With two-factor set up, signing in asks for the code, and that session lasts.
    secret = pyotp.random_base32()
    person.totp_secret = secret
    factory.save(person)
    assert sign_in(client, person.email).headers["Location"] == "/sign-in/two-factor"
    assert signed_out(client, "/cases")
    client.post("/sign-in/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert client.get("/cases").status_code == 200
    newest = session.exec(
        select(UserSession).where(UserSession.user_id == person.id).order_by(UserSession.id.desc())
    ).first()
    assert newest.second_factor is True


def test_someone_who_set_her_password_while_her_role_waited_must_set_up_two_factor_once_it_is_confirmed(
    client, client_as, factory, session, smtp_server
):
    """A new co-ordinator's account is made, her role waiting for a second admin; she sets her password
    through the emailed link and signs in with it alone (nothing she has yet needs a code). Once the role
    is confirmed that session is over, and she gets in again only by setting up two-factor sign-in."""
    agency = factory.agency("Co-ordination Unit")
    asker, confirmer = client_as(factory.user("SYSTEM_ADMIN")), client_as(factory.user("SYSTEM_ADMIN"))
    made = asker.post(
        "/admin/users/new",
        data={
            "name": "Nia Brooks",
            "email": "nia.brooks@example.org",
            "agency_id": str(agency.id),
            "job_title": "",
            "roles": ["COORDINATOR"],
        },
    )
    assert made.status_code == 200
    nia = session.exec(select(User).where(User.email == "nia.brooks@example.org")).one()
    (emailed,) = [r.message for r in smtp_server.received if r.recipients == [nia.email]]
    link = re.search(r"http://tracker.test(/reset-password/\S+)", emailed.get_content()).group(1)
    chosen = "tidal orchard compass"
    assert client.post(link, data={"password": chosen, "confirm": chosen}).status_code == 302
    assert sign_in(client, nia.email, chosen).headers["Location"] == "/home"
    assert client.get("/home").status_code == 200

    confirmer.post(f"/admin/grants/{waiting_grant(session, nia).id}/confirm")
    assert signed_out(client, "/cases")
    assert MORE_ACCESS in page_text(client.get("/sign-in"))
    assert sign_in(client, nia.email, chosen).headers["Location"] == "/sign-in/set-up-two-factor"
    assert signed_out(client, "/cases")


def test_a_confirmed_clearance_signs_the_person_out_everywhere(client, client_as, factory, session):
    """Category 4 clearance needs no code, but a session started before it was given (a browser left
    open) does not go on with it: the person signs in again."""
    chair = factory.user("CHAIR", name="Cara Chair")
    browsers = [client, client.application.test_client()]
    for browser in browsers:
        sign_in(browser, chair.email)
    cleared = {"terrorism_cleared": True}
    asker = client_as(factory.user("SYSTEM_ADMIN", **cleared))
    confirmer = client_as(factory.user("SYSTEM_ADMIN", **cleared))
    data = {
        "name": chair.name,
        "email": chair.email,
        "agency_id": str(chair.agency_id),
        "job_title": "",
        "active": "y",
        "roles": ["CHAIR"],
        "terrorism_cleared": "y",
    }
    asker.post(f"/admin/users/{chair.id}/edit", data=data)
    confirmer.post(f"/admin/grants/{waiting_grant(session, chair).id}/confirm")
    session.expire_all()
    assert session.get(User, chair.id).terrorism_cleared
    for browser in browsers:
        assert signed_out(browser, "/home")
        assert MORE_ACCESS in page_text(browser.get("/sign-in"))
    assert sign_in(client, chair.email).headers["Location"] == "/home"
