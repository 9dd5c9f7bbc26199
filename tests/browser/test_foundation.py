"""Journeys through the foundation: signing in as each role, mistakes, timeouts, the admin's work."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlmodel import Session, select

from tests.browser.conftest import axe_check, delivered_mail, demo_email, sign_in_as
from tracker.auth.models import User, UserSession
from tracker.core.types import utcnow

pytestmark = pytest.mark.browser

# Each demo account, and navigation it must see (and some it must not).
NAVIGATION = {
    "admin": (["Users", "Agencies", "Settings", "Audit trail"], ["Reports"]),
    "coordinator": (["Audit trail"], ["Users", "Settings"]),
    "chair": (["Home"], ["Users", "Audit trail", "Settings"]),
    "administrator": (["Home"], ["Users", "Audit trail"]),
    "trsg": (["Home"], ["Users", "Audit trail"]),
    "smb": (["Home"], ["Users", "Audit trail"]),
    "lay.adviser": (["Home"], ["Users", "Audit trail"]),
    "practitioner": (["Home"], ["Users", "Audit trail"]),
}


@pytest.mark.parametrize("local", NAVIGATION)
def test_each_demo_account_signs_in_and_sees_the_navigation_of_its_role(page, local):
    sign_in_as(page, local)
    navigation = page.get_by_role("navigation", name="Main")
    shown, hidden = NAVIGATION[local]
    for label in shown:
        expect(navigation.get_by_role("link", name=label, exact=True)).to_be_visible()
    for label in hidden:
        expect(navigation.get_by_role("link", name=label, exact=True)).to_have_count(0)
    axe_check(page)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You have signed out.")).to_be_visible()


def test_a_wrong_password_shows_a_clear_message(page):
    page.goto("/sign-in")
    axe_check(page)
    page.get_by_label("Email address").fill(demo_email("chair"))
    page.get_by_label("Password", exact=True).fill("not the right password")
    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a correct email address and password")
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    axe_check(page)


def test_wrong_passwords_do_not_lock_the_owner_out_and_the_right_one_still_signs_in(page):
    for _ in range(5):
        page.goto("/sign-in")
        page.get_by_label("Email address").fill(demo_email("kwame.mensah"))
        page.get_by_label("Password", exact=True).fill("guessing again and again")
        page.get_by_role("button", name="Sign in").click()
        expect(page.locator(".govuk-error-summary")).to_contain_text(
            "Enter a correct email address and password"
        )
    sign_in_as(page, "kwame.mensah")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_an_idle_session_ends_with_a_message(page, live_server):
    sign_in_as(page, "practitioner")
    with Session(live_server.app.extensions["db_engine"]) as session:
        user = session.exec(select(User).where(User.email == demo_email("practitioner"))).one()
        for row in session.exec(select(UserSession).where(UserSession.user_id == user.id)):
            row.last_seen_at = utcnow() - timedelta(minutes=31)
        session.commit()
    page.goto("/account")
    expect(
        page.get_by_text("You were signed out because you did not do anything for 30 minutes")
    ).to_be_visible()


def _first_password_link_emailed(live_server, address: str) -> str:
    """The newest password link in the mail folder for this address: for a new account, in the email
    that tells the person an account was made for them."""
    mailed = [m for m in delivered_mail(live_server) if m["To"] == address]
    assert mailed and mailed[-1]["Subject"] == "A MAPPA Tracker account has been made for you"
    return re.search(r"https?://\S+/reset-password/\S+", mailed[-1].get_content()).group(0)


def test_the_admin_adds_a_person_who_sets_a_password_and_signs_in(page, browser, live_server):
    sign_in_as(page, "admin")
    page.get_by_role("link", name="Users", exact=True).click()
    axe_check(page)
    page.get_by_role("button", name="Add a user").click()
    page.get_by_label("Full name").fill("Rosa Delgado")
    page.get_by_label("Email address").fill("rosa.delgado@demo.mappa.example")
    page.get_by_label("Agency", exact=True).select_option(label="Youth Justice Service")
    page.get_by_label("Agency practitioner").check()
    axe_check(page)
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_role("heading", name="Account created")).to_be_visible()
    # No mail server: a practitioner's account reads case records, so its link is never shown to the admin;
    # it waits in the mail folder on the server, for the person's own address only.
    expect(page.get_by_text("Rosa Delgado's account reads case records, so its password link is never shown")).to_be_visible()
    expect(page.locator("#reset-link")).to_have_count(0)
    axe_check(page)
    link = _first_password_link_emailed(live_server, "rosa.delgado@demo.mappa.example")

    other = browser.new_context(base_url=live_server.url).new_page()
    other.goto(link)
    other.get_by_label("New password", exact=True).fill("short")
    other.get_by_label("Confirm new password").fill("short")
    other.get_by_role("button", name="Save password").click()
    expect(other.locator(".govuk-error-summary")).to_contain_text("Password must be 12 characters or more")
    other.get_by_label("New password", exact=True).fill("violet harbour lantern")
    other.get_by_label("Confirm new password").fill("violet harbour lantern")
    other.get_by_role("button", name="Save password").click()
    other.get_by_label("Email address").fill("rosa.delgado@demo.mappa.example")
    other.get_by_label("Password", exact=True).fill("violet harbour lantern")
    other.get_by_role("button", name="Sign in").click()
    expect(other.get_by_role("heading", name="Hello, Rosa Delgado")).to_be_visible()
    other.context.close()

    page.get_by_role("link", name="Audit trail").click()
    page.get_by_label("Person").fill("rosa.delgado")
    page.get_by_role("button", name="Search").click()
    table = page.locator("table")
    expect(table).to_contain_text("sign-in")
    expect(table).to_contain_text("password reset")
    axe_check(page)


def test_a_second_admin_refuses_a_new_email_address_saying_why(page, browser, live_server):
    """An admin asks for a new address for a practitioner's account (it reads case data, so a second admin
    decides); the second admin refuses it, must say why, and the first reads why on their home page."""
    sign_in_as(page, "admin")
    page.goto("/admin/users/new")
    page.get_by_label("Full name").fill("Tomasz Brennan")
    page.get_by_label("Email address").fill("tomasz.brennan@demo.mappa.example")
    page.get_by_label("Agency", exact=True).select_option(label="Youth Justice Service")
    page.get_by_label("Agency practitioner").check()
    page.get_by_role("button", name="Add user").click()
    expect(page.get_by_role("heading", name="Account created")).to_be_visible()
    page.goto("/admin/users?q=tomasz")
    page.get_by_role("link", name="Tomasz Brennan").click()
    page.get_by_role("button", name="Change details").click()
    page.get_by_label("Email address").fill("t.brennan@elsewhere.example")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_text("will take effect once another system admin confirms it")).to_be_visible()

    second = browser.new_context(base_url=live_server.url).new_page()
    sign_in_as(second, "admin2")
    second.goto("/admin/users?q=tomasz")
    second.get_by_role("link", name="Tomasz Brennan").first.click()
    second.get_by_role("button", name="Refuse the new email address for Tomasz Brennan").click()
    expect(second.get_by_role("heading", level=1)).to_have_text("New email address for Tomasz Brennan")
    axe_check(second)
    second.get_by_role("button", name="Refuse").click()
    expect(second.locator(".govuk-error-summary")).to_contain_text("Enter why you are refusing the request")
    axe_check(second)
    second.get_by_label("Why are you refusing it?").fill("Tomasz has not moved agency: ask him first")
    second.get_by_role("button", name="Refuse").click()
    expect(second.locator(".govuk-notification-banner")).to_contain_text(
        "for Tomasz Brennan: refused. Sam Okafor, who asked for it, has been emailed your reason."
    )
    expect(second.locator("#refused-grants + table")).to_contain_text("ask him first")
    expect(second.get_by_text("tomasz.brennan@demo.mappa.example").first).to_be_visible()
    second.context.close()

    page.goto("/home")
    panel = page.locator("#refused-grants-panel")
    expect(panel).to_contain_text("Tomasz Brennan: new email address (t.brennan@elsewhere.example), refused by")
    expect(panel).to_contain_text("Tomasz has not moved agency: ask him first")
    axe_check(page)
