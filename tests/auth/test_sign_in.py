"""Signing in and out, as a person would through the pages."""

from datetime import timedelta

import pyotp
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.factories.core import PASSWORD
from tests.pages import error_summary, page_text
from tracker.auth.models import LoginAttempt, UserSession
from tracker.core.models import AuditEvent
from tracker.core.types import utcnow


def sign_in(client, email, password=PASSWORD):
    return client.post("/sign-in", data={"email": email, "password": password})


def test_signing_in_with_the_right_password_opens_the_home_page(client, factory):
    user = factory.user("CHAIR", name="Dana Whitfield")
    response = sign_in(client, user.email)
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"
    home = client.get("/home")
    assert "Hello, Dana Whitfield" in page_text(home)


def test_a_wrong_password_gets_a_clear_message_that_does_not_say_which_part_was_wrong(client, factory):
    user = factory.user("CHAIR")
    response = sign_in(client, user.email, "not the password at all")
    assert error_summary(response) == ["Enter a correct email address and password"]
    unknown = sign_in(client, "nobody@example.org", "not the password at all")
    assert error_summary(unknown) == ["Enter a correct email address and password"]


def test_missing_fields_are_named_in_the_error_summary(client):
    response = client.post("/sign-in", data={"email": "", "password": ""})
    assert error_summary(response) == ["Enter your email address", "Enter your password"]
    assert BeautifulSoup(response.data, "html.parser").title.get_text().startswith("Error: ")


def browser_at(app, address):
    """A browser of its own, at this network address."""
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return browser


def test_five_wrong_passwords_from_elsewhere_do_not_lock_the_owner_out(app, client, factory):
    user = factory.user("CHAIR")
    guesser = browser_at(app, "203.0.113.9")
    for _ in range(5):
        assert error_summary(sign_in(guesser, user.email, "wrong password here")) == [
            "Enter a correct email address and password"
        ]
    assert sign_in(client, user.email).headers["Location"] == "/home"


def test_an_account_guessed_at_from_many_addresses_still_opens_in_the_owners_usual_browser(
    app, client, factory
):
    user = factory.user("CHAIR")
    assert sign_in(client, user.email).status_code == 302  # the owner's browser, remembered
    client.post("/sign-out")
    for number in range(20):
        sign_in(browser_at(app, f"198.51.100.{number}"), user.email, "wrong password here")
    new_browser = browser_at(app, "192.0.2.1")
    response = sign_in(new_browser, user.email)  # the right password, from a browser never used
    assert response.status_code == 200
    assert error_summary(response) == [
        "There have been too many failed attempts to sign in to this account. Wait 15 minutes, then "
        "try again. A browser you have signed in with before can still sign in."
    ]
    assert sign_in(client, user.email).headers["Location"] == "/home"


def test_the_owners_browser_is_slowed_by_its_own_failures_only(app, client, factory):
    user = factory.user("CHAIR")
    sign_in(client, user.email)
    client.post("/sign-out")
    for _ in range(5):
        sign_in(client, user.email, "wrong password here")
    response = sign_in(client, user.email)
    assert error_summary(response) == [
        "There have been too many failed attempts to sign in from this browser. Wait 15 minutes, then "
        "try again."
    ]
    assert sign_in(browser_at(app, "192.0.2.7"), user.email).headers["Location"] == "/home"


def test_many_failures_from_one_address_throttle_that_address(app, client, factory):
    victims = [factory.user("PRACTITIONER") for _ in range(5)]
    for victim in victims:
        for _ in range(2):
            sign_in(client, victim.email, "wrong password here")
    response = sign_in(client, factory.user("CHAIR").email)
    assert error_summary(response) == [
        "There have been too many failed attempts to sign in from your network. Wait 15 minutes, then "
        "try again. A browser you have signed in with before can still sign in."
    ]
    assert sign_in(browser_at(app, "192.0.2.8"), victims[0].email).headers["Location"] == "/home"


def test_a_successful_sign_in_clears_the_accounts_failures(client, factory):
    user = factory.user("CHAIR")
    for _ in range(4):
        sign_in(client, user.email, "wrong password here")
    sign_in(client, user.email)
    client.post("/sign-out")
    for _ in range(4):
        sign_in(client, user.email, "wrong password here")
    assert sign_in(client, user.email).status_code == 302


def test_the_session_id_changes_at_sign_in(client, factory, session):
    user = factory.user("CHAIR")
    with client.session_transaction() as browser:
        browser["sid"] = "planted-by-someone-else"
        browser["left-over"] = "from before"
    sign_in(client, user.email)
    with client.session_transaction() as browser:
        assert browser["sid"] != "planted-by-someone-else"
        assert "left-over" not in browser
    rows = session.exec(select(UserSession).where(UserSession.user_id == user.id)).all()
    assert len(rows) == 1


def test_an_idle_session_ends_with_a_message(client, factory, session):
    user = factory.user("CHAIR")
    sign_in(client, user.email)
    row = session.exec(select(UserSession).where(UserSession.user_id == user.id)).one()
    row.last_seen_at = utcnow() - timedelta(minutes=31)
    session.commit()
    response = client.get("/home")
    assert response.headers["Location"].endswith("/sign-in")
    page = client.get("/sign-in")
    assert "You were signed out because you did not do anything for 30 minutes" in page_text(page)


def test_a_session_ends_after_twelve_hours_however_busy(client, factory, session):
    user = factory.user("CHAIR")
    sign_in(client, user.email)
    row = session.exec(select(UserSession).where(UserSession.user_id == user.id)).one()
    row.created_at = utcnow() - timedelta(hours=12, minutes=1)
    session.commit()
    client.get("/home")
    assert "had been signed in for 12 hours" in page_text(client.get("/sign-in"))


def test_signing_out_ends_the_session_on_the_server(client, factory, session):
    user = factory.user("CHAIR")
    sign_in(client, user.email)
    cookie = client.get_cookie("tracker_session").value
    client.post("/sign-out")
    replay = client.application.test_client()
    replay.set_cookie("tracker_session", cookie)
    assert replay.get("/home").status_code == 302


def test_sign_out_needs_a_post(client, factory):
    sign_in(client, factory.user("CHAIR").email)
    assert client.get("/sign-out").status_code == 405


def test_inactive_accounts_cannot_sign_in(client, factory):
    user = factory.user("CHAIR", active=False)
    assert error_summary(sign_in(client, user.email)) == ["Enter a correct email address and password"]


def test_admins_must_set_up_two_factor_before_they_get_in(client, factory, session):
    admin = factory.user("SYSTEM_ADMIN")
    response = sign_in(client, admin.email)
    assert response.headers["Location"] == "/sign-in/set-up-two-factor"
    assert client.get("/home").status_code == 302  # not signed in yet
    page = client.get("/sign-in/set-up-two-factor")
    secret = BeautifulSoup(page.data, "html.parser").select_one("#totp-secret").get_text().replace(" ", "")
    wrong = client.post("/sign-in/set-up-two-factor", data={"code": "000000"})
    assert "The security code is wrong" in error_summary(wrong)[0]
    right = client.post("/sign-in/set-up-two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert right.headers["Location"] == "/home"
    session.refresh(admin)
    assert admin.totp_secret == secret


def test_people_with_two_factor_need_their_code_to_sign_in(client, factory):
    secret = pyotp.random_base32()
    user = factory.user("COORDINATOR", totp_secret=secret)
    assert sign_in(client, user.email).headers["Location"] == "/sign-in/two-factor"
    wrong = client.post("/sign-in/two-factor", data={"code": "123456"})
    assert error_summary(wrong) == ["The security code is wrong or has been used. Enter the latest code"]
    right = client.post("/sign-in/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert right.headers["Location"] == "/home"


def test_the_page_asked_for_before_signing_in_opens_after_the_security_code_too(client, factory):
    secret = pyotp.random_base32()
    user = factory.user("COORDINATOR", totp_secret=secret)
    asked = client.get("/meetings?status=held")
    assert asked.headers["Location"].startswith("/sign-in")
    assert sign_in(client, user.email).headers["Location"] == "/sign-in/two-factor"
    right = client.post("/sign-in/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert right.headers["Location"] == "/meetings?status=held"


def test_the_code_page_is_useless_without_the_password_first(client):
    assert client.get("/sign-in/two-factor").headers["Location"].endswith("/sign-in")


def test_sign_ins_and_failures_go_to_the_audit_trail(client, factory, session):
    user = factory.user("CHAIR")
    sign_in(client, user.email, "wrong password here")
    sign_in(client, user.email)
    events = session.exec(select(AuditEvent).where(AuditEvent.user_id == user.id)).all()
    assert [event.action for event in events] == ["sign-in failed", "sign-in"]
    assert all(event.ip_address == "127.0.0.1" for event in events)
    attempts = session.exec(select(LoginAttempt).where(LoginAttempt.email == user.email)).all()
    assert [attempt.succeeded for attempt in attempts] == [False, True]


def test_after_sign_in_you_land_on_the_page_you_asked_for(client, factory):
    user = factory.user("CHAIR")
    client.get("/account/password")
    response = sign_in(client, user.email)
    assert response.headers["Location"] == "/account/password"


def test_cookies_are_secure_httponly_and_lax_outside_debug(database_url):
    from tracker import create_app

    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "x" * 32})
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    app.extensions["db_engine"].dispose()


def test_opening_a_sign_in_step_does_not_sign_out_someone_signed_in(client_as, factory):
    """A link or image on another site pointing at a sign-in step must not end the person's session (a GET
    changes nothing): only the unfinished sign-in is forgotten."""
    client = client_as(factory.user("CHAIR"))
    for step in ("/sign-in/two-factor", "/sign-in/set-up-two-factor"):
        client.get(step)
        assert client.get("/home").status_code == 200, step
