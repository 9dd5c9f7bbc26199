"""Journeys through the chairs' register: the administrator schedules a meeting, sees each chair's
training and CPD in the picker, chooses a chair who is not trained and is asked why, and the reason shows
on the meeting; the TRSG asks for an account for a trained chair with none, a system admin approves it, and
the chair makes it from the emailed link."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_check, delivered_mail, sign_in_as
from tests.browser.test_meetings import fill_meeting

pytestmark = pytest.mark.browser


def test_choosing_an_untrained_chair_asks_why_and_the_meeting_shows_it(page):
    sign_in_as(page, "administrator")
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("button", name="Schedule a meeting").click()
    chair = page.get_by_label("Chair", exact=True)
    expect(chair.locator("option", has_text="Imran Hussain (")).to_have_text(
        re.compile(r"– trained, CPD current until \d+ \w+ \d{4}, may chair Level 3$")
    )
    expect(chair.locator("option", has_text="Claire Donovan (")).to_have_text(re.compile(r"– not trained"))
    page.get_by_text(re.compile(r"Chairs' training and CPD \(\d+ trained with CPD current\)")).click()
    statuses = page.get_by_role("table", name="Chairs' training and CPD")
    expect(statuses.get_by_role("row", name=re.compile("Claire Donovan.*Not trained"))).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"\d+ trained chairs on the chairs' register have no account yet"))
    ).to_be_visible()
    axe_check(page)

    fill_meeting(page, "Review", "21:00", "21:45", "MAPPA Unit, Room 2", chair="Claire Donovan")
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why this chair will chair the meeting although they have not completed chair training"
    )
    expect(page).to_have_title(re.compile(r"^Error: "))
    axe_check(page)

    reason = "Shadowing Daniel Price before her course in January"
    page.get_by_label("Why will this chair chair the meeting?").fill(reason)
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.get_by_text("Now add the cases to its agenda")).to_be_visible()
    details = page.locator(".govuk-summary-list").first
    expect(details.get_by_text("Why this chair")).to_be_visible()
    expect(details.get_by_text(reason)).to_be_visible()
    expect(page.get_by_text("Claire Donovan has not completed MAPPA chair training")).to_be_visible()
    axe_check(page)


def _invitation_link(live_server, address: str) -> str:
    for message in delivered_mail(live_server):
        if message["To"] == address and message["Subject"] == "Make your MAPPA Tracker account":
            return re.search(r"https?://\S+/create-account/\S+", message.get_content()).group(0)
    raise AssertionError(f"no invitation to {address}")


def test_a_trained_chair_without_an_account_is_invited_and_makes_one(page, browser, live_server):
    sign_in_as(page, "trsg")
    page.goto("/training/chairs?status=TRAINED")
    axe_check(page)
    invite = page.get_by_role("link", name=re.compile(r"^Ask for an account")).first
    name = invite.inner_text().split(": ", 1)[-1].strip()
    invite.click()
    expect(page.get_by_role("heading", name=f"Ask for an account for {name}")).to_be_visible()
    address = page.locator(".govuk-summary-list__row", has_text="Email address").locator("dd").inner_text()
    axe_check(page)
    page.get_by_role("button", name="Ask a system admin").click()
    expect(page.get_by_text(f"A system admin has been asked to make {name}'s account.")).to_be_visible()
    waiting = re.compile(r"^No account yet: asked for on .*, waiting for a system admin")
    expect(page.get_by_text(waiting)).to_be_visible()

    office = browser.new_context(base_url=live_server.url)
    admin = office.new_page()
    sign_in_as(admin, "admin")
    asked = admin.locator("#account-requests-panel li", has_text=address.strip())
    asked.get_by_role("link", name=name, exact=True).click()  # listed by the chair's name
    expect(admin.get_by_role("heading", name=f"Account for {name}")).to_be_visible()
    axe_check(admin)
    admin.get_by_role("button", name="Approve and send the link").click()
    expect(admin.get_by_text(f"{name}'s account is approved")).to_be_visible()
    office.close()

    link = _invitation_link(live_server, address.strip())
    visitor = browser.new_context(base_url=live_server.url)
    newcomer = visitor.new_page()
    newcomer.goto(link)
    expect(newcomer.get_by_role("heading", name="Make your account")).to_be_visible()
    axe_check(newcomer)
    newcomer.get_by_label("New password", exact=True).fill("lantern orchard pebble violin")
    newcomer.get_by_label("Confirm new password").fill("lantern orchard pebble violin")
    newcomer.get_by_role("button", name="Make my account").click()
    expect(newcomer.get_by_text("Your account is ready.")).to_be_visible()
    newcomer.get_by_label("Email address").fill(address.strip())
    newcomer.get_by_label("Password", exact=True).fill("lantern orchard pebble violin")
    newcomer.get_by_role("button", name="Sign in").click()
    newcomer.wait_for_url("**/home")
    visitor.close()

    page.goto(f"/training/chairs?q={name}")
    expect(page.get_by_text(re.compile(r"^No account yet"))).to_have_count(0)
    expect(page.get_by_role("row", name=re.compile(re.escape(name)))).to_have_count(1)
