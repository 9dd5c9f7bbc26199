"""The co-ordinator opens a case they have no part in: asked why first, they give a reason, see the case,
and find their reason in the audit trail's search (section 62 of the Data Protection Act 2018)."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_check, sign_in_as

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
    page.get_by_label("Operation").select_option(label="Justification: a reason given for opening a case")
    page.get_by_role("button", name="Search").click()
    entries = page.locator("tbody tr")
    expect(entries).to_have_count(1)
    expect(entries.first).to_contain_text("coordinator@")
    expect(entries.first).to_contain_text("Reason: Other: Checking the victim contact arrangements")
    axe_check(page)
