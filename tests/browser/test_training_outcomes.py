"""Journeys through outcomes: the TRSG prints the sign-in sheet, takes the registers from paper, sets the
outcomes of a course where one person left early and one was absent, and emails the cohort; then anyone,
signed out, checks the certificate by its code."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    answer_disclosure,
    axe_check,
    fill_date_boxes,
    pdf_pages,
    return_from_download,
    sign_in_as,
)
from tracker.core.timeutil import today_london

pytestmark = pytest.mark.browser

PEOPLE = ["Outcome Present", "Outcome Early", "Outcome Absent"]


def _csv() -> bytes:
    rows = ["name,email,agency"] + [
        f"{name},{name.lower().replace(' ', '.')}@agency.example,Probation Service (London)" for name in PEOPLE
    ]
    return ("\n".join(rows) + "\n").encode()


def _status(page, name: str):
    return page.locator("table", has_text="People on this event").locator("tbody tr", has_text=name)


def test_a_course_with_one_left_early_and_one_absent_ends_with_the_right_outcomes_and_certificates(page):
    sign_in_as(page, "trsg")
    # A two-day course held three weeks ago (Monday and Tuesday): its registers come from the paper sheets.
    first_day = today_london() - timedelta(days=today_london().weekday() + 21)
    page.goto("/training/courses")
    page.get_by_role("link", name="Add an event of MAPPA Chair Training").click()
    page.get_by_label("Event title").fill("Outcomes cohort")
    page.get_by_label("Places", exact=True).fill("3")
    fill_date_boxes(page, "first_day", first_day)
    page.get_by_label("Start time").fill("09:30")
    page.get_by_label("End time").fill("16:30")
    page.get_by_label("Venue").fill("Training room 1")
    page.get_by_role("button", name="Create event").click()
    expect(page.get_by_text("Event 'Outcomes cohort' created with 2 sessions.")).to_be_visible()
    event_url = page.url
    page.get_by_role("link", name="Enrol people from a CSV file").click()
    page.get_by_label("Upload a CSV file").set_input_files(
        {"name": "outcomes.csv", "mimeType": "text/csv", "buffer": _csv()}
    )
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_role("button", name="Enrol 3 people").click()
    expect(page.get_by_text("3 people enrolled from outcomes.csv.")).to_be_visible()
    expect(page.get_by_text("Set when the event ends")).to_be_visible()

    # The sign-in sheet for the room, with everyone on it.
    page.get_by_role("link", name="Sign-in sheet for Day 1 (PDF)").click()
    with page.expect_download() as download:
        answer_disclosure(page, "Sharing with a partner agency under the information sharing agreement")
    return_from_download(page)
    sheet = pdf_pages(download.value)[0]
    assert "Sign-in sheet: Day 1" in sheet and all(name in sheet for name in PEOPLE)

    # Day 1 from the paper sheet: everyone present.
    page.get_by_role("link", name="Register for Day 1").click()
    expect(page.get_by_label("These marks are taken from the paper sign-in sheet")).to_be_checked()
    expect(page.get_by_text("Present and late count as attending.")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Mark everyone not yet marked as present").click()
    expect(page.get_by_text("Register for Day 1 saved (3 changes).")).to_be_visible()
    # Day 2: one left early, one absent.
    page.get_by_role("link", name="Register for Day 2").click()
    page.get_by_role("group", name="Outcome Early").get_by_label("Left early").check()
    page.get_by_label("Note for Outcome Early").fill("Left at 2pm")
    page.get_by_role("group", name="Outcome Absent").get_by_label("Absent").check()
    page.get_by_role("group", name="Outcome Present").get_by_label("Present").check()
    page.get_by_role("button", name="Save register").click()
    expect(page.get_by_text("Register for Day 2 saved (3 changes).")).to_be_visible()
    page.get_by_role("link", name="Register for Day 2").click()
    expect(page.get_by_text("marked from the paper sign-in sheet")).to_have_count(3)
    page.goto(event_url)

    # The event has ended: the TRSG sets the outcomes.
    page.get_by_role("button", name="Set outcomes and send certificates").click()
    expect(page.get_by_text("Outcomes set, the waiting list closed and certificates sent.")).to_be_visible()
    expect(_status(page, "Outcome Present")).to_contain_text("Completed")
    expect(_status(page, "Outcome Early")).to_contain_text("Did not complete")
    expect(_status(page, "Outcome Absent")).to_contain_text("Did not complete")
    expect(_status(page, "Outcome Early").get_by_role("link", name=re.compile("Certificate"))).to_have_count(0)
    axe_check(page)

    # One certificate for the event, carrying its verification code.
    page.get_by_role("link", name="Download certificates (PDF)").click()
    with page.expect_download() as download:
        answer_disclosure(page)
    return_from_download(page)
    pages = pdf_pages(download.value)
    assert len(pages) == 1 and "Outcome Present" in pages[0]
    code = re.search(r"Verification code ([0-9A-Z]{5}-[0-9A-Z]{5})", pages[0]).group(1)

    # The TRSG overrides the early leaver's outcome, with a reason that is shown.
    page.get_by_role("link", name="Override outcome for Outcome Early").click()
    axe_check(page)
    page.get_by_role("button", name="Save outcome").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for overriding the outcome")
    page.get_by_label("Completed").check()
    page.get_by_label("Reason for overriding the outcome").fill("Left for a MAPPA meeting; covered with the trainer")
    page.get_by_role("button", name="Save outcome").click()
    expect(page.get_by_text("Outcome Early's outcome is now Completed.")).to_be_visible()
    expect(_status(page, "Outcome Early")).to_contain_text(
        "Outcome overridden: Left for a MAPPA meeting; covered with the trainer"
    )

    # An email to everyone who attended: written, checked, then sent.
    page.get_by_role("link", name="Email people on this event").click()
    page.get_by_label("Everyone who attended").check()
    page.get_by_label("Subject").fill("Slides from the course")
    page.get_by_label("Message").fill("The slides are on the shared drive.")
    axe_check(page)
    page.get_by_role("button", name="Preview the email").click()
    expect(page.get_by_text("Everyone who attended (3 people)")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Send the email").click()
    expect(page.get_by_text("Email 'Slides from the course' sent to 3 people.")).to_be_visible()

    # Signed out, anyone checks the certificate by its code, and sees only name, course and date.
    page.context.clear_cookies()
    page.goto("/certificates/check")
    expect(page.get_by_role("heading", name="Check a MAPPA training certificate")).to_be_visible()
    axe_check(page)
    page.get_by_label("Certificate code").fill("ZZZZZ-ZZZZZ")
    page.get_by_role("button", name="Check certificate").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("There is no certificate with this code")
    axe_check(page)
    page.get_by_label("Certificate code").fill(code.lower().replace("-", " "))
    page.get_by_role("button", name="Check certificate").click()
    expect(page.get_by_role("heading", name="This certificate is genuine")).to_be_visible()
    summary = page.locator(".govuk-summary-list")
    expect(summary).to_contain_text("Outcome Present")
    expect(summary).to_contain_text("MAPPA Chair Training")
    expect(summary).to_contain_text(f"{first_day + timedelta(days=1):%-d %B %Y}")
    expect(summary).not_to_contain_text("Probation Service")
    axe_check(page)
