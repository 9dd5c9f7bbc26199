"""Journeys: a chair subscribes Outlook to their calendar feed, then replaces the link; a chair adds a
meeting to their calendar from its page."""

import re
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_check, sign_in_as
from tests.calendar import outlook

pytestmark = pytest.mark.browser


def fetch(address: str) -> tuple[int, str]:
    """Fetch as Outlook does: no cookies, just the secret address."""
    try:
        with urllib.request.urlopen(address, timeout=10) as response:  # noqa: S310 (our own test server)
            return response.status, response.headers["Content-Type"]
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"]


def test_a_chair_makes_a_feed_link_subscribes_and_replaces_it(page):
    sign_in_as(page, "chair")
    page.goto("/account")
    page.get_by_role("link", name="Manage calendar feed").click()
    expect(page.get_by_role("heading", name="Calendar feed", level=1)).to_be_visible()
    expect(page.get_by_text("Calendar entries never carry the name of a person under MAPPA")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name="Make a").click()
    web = page.locator("#feed-web-address").inner_text()
    webcal = page.locator("#feed-webcal-address").get_attribute("href")
    assert webcal == "webcal://" + web.split("://", 1)[1]
    axe_check(page)
    assert fetch(web) == (200, "text/calendar; charset=utf-8")

    page.get_by_role("button", name="Make a new feed link").click()
    expect(page.locator("#feed-web-address")).not_to_have_text(web)  # read the new page, not the one left
    replacement = page.locator("#feed-web-address").inner_text()
    assert replacement != web
    assert fetch(web)[0] == 404
    assert fetch(replacement)[0] == 200

    # Reloading the page that showed the link does not make (and so break) another one.
    page.reload()
    expect(page.get_by_text("You made your feed link on")).to_be_visible()
    assert fetch(replacement)[0] == 200
    page.get_by_role("button", name="Stop my feed").click()
    expect(page.get_by_text("Your calendar feed is stopped.")).to_be_visible()
    axe_check(page)
    assert fetch(replacement)[0] == 404


def test_a_chair_adds_a_meeting_to_their_calendar_from_its_page(page):
    sign_in_as(page, "chair")
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.locator("table a.govuk-link").filter(has_text=re.compile(r"^M-\d{4}-\d{4}$")).first.click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(re.compile(r"^M-\d{4}-\d{4}"))  # the meeting's page, not the list's
    reference = heading.inner_text().split()[0]
    axe_check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    assert download.value.suggested_filename == f"mappa-meeting-{reference}.ics"
    parsed = outlook.check_file(Path(download.value.path()).read_bytes(), "download")
    assert parsed.event["SUMMARY"].endswith(f"meeting {reference}")
    assert str(parsed.event["URL"]) == page.url
    # The page is still there, and the export is in the audit trail (checked in the client tests).
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
