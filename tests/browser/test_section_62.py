"""The co-ordinator opens a case they have no part in: asked why first, they give a reason, see the case,
and find their reason in the audit trail's search (section 62 of the Data Protection Act 2018). So too for
the minutes of a meeting they see only by oversight, and their PDF."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import answer_disclosure, axe_check, give_reason, pdf_pages, sign_in_as

pytestmark = pytest.mark.browser


def test_the_coordinator_gives_a_reason_sees_the_case_and_finds_it_in_the_log(page):
    sign_in_as(page, "coordinator")
    page.goto("/cases")
    link = page.locator("table a.govuk-link[href^='/cases/']").first
    reference = link.inner_text().strip()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Why do you need to open this case?")
    expect(page.get_by_text(reference).first).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Open the case").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a reason")
    axe_check(page)
    page.get_by_label("Other").check()
    page.get_by_label("Your reason").fill("Checking the victim contact arrangements")
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    # Once per case per session: the case opens again without asking.
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit trail").click()
    page.get_by_label("Case reference").fill(reference)
    page.get_by_label("Operation").select_option(
        label="Justification: a reason given for opening a case or a meeting's minutes"
    )
    page.get_by_role("button", name="Search").click()
    entries = page.locator("tbody tr")
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text("coordinator@")
    expect(entries.first).to_contain_text("Reason: Other: Checking the victim contact arrangements")
    axe_check(page)


def test_the_coordinator_says_why_before_reading_minutes_they_have_no_part_in_and_their_pdf(page):
    sign_in_as(page, "coordinator")
    page.goto("/minutes?show=all")
    link = page.get_by_role("link", name=re.compile(r"^M-\d{4}-0100$"))
    reference = link.inner_text().strip()
    link.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Why do you need to open these minutes?")
    expect(page.get_by_text(reference).first).to_be_visible()
    axe_check(page)
    give_reason(page, "Responding to a request for information", opening="minutes")
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    # Once per meeting per session: the PDF asks only who the file is for, as every download does.
    page.get_by_role("link", name="Download these minutes as a PDF").click()
    with page.expect_download() as info:
        answer_disclosure(page)
    assert reference in "\n".join(pdf_pages(info.value))

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Audit trail").click()
    page.get_by_label("Operation").select_option(
        label="Justification: a reason given for opening a case or a meeting's minutes"
    )
    page.get_by_role("button", name="Search").click()
    entry = page.locator("tbody tr", has_text=f"reason for opening the minutes of {reference}")
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("coordinator@")
    expect(entry).to_contain_text("Reason: Responding to a request for information")
