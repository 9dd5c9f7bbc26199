"""Journeys through the Board's reports: the SMB member and the lay adviser see the dashboard and download
the annual report, and reach no case data; the demo chair does the meeting audit they were given."""


import pytest
from playwright.sync_api import expect

from tests.browser.conftest import answer_disclosure, axe_check, pdf_pages, sign_in_as

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("who", ["smb", "lay.adviser"])
def test_the_board_sees_the_dashboard_and_the_annual_report_and_no_case(page, who):
    sign_in_as(page, who)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Quality dashboard")
    expect(page.locator("#trend-pillars")).to_be_visible()
    expect(page.locator("#audit-criteria")).to_contain_text("Confidentiality and diversity statement read")
    axe_check(page)

    page.get_by_role("link", name="Annual report").click()
    page.get_by_label("Reporting year").select_option(label="2024/25")
    page.get_by_role("button", name="Show year").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Annual report 2024/25")
    expect(page.locator("#table-over-the-year")).to_contain_text("831")
    axe_check(page)
    page.get_by_role("button", name="Download the report (PDF)").click()
    with page.expect_download() as info:
        answer_disclosure(page)
    download = info.value
    assert download.suggested_filename == "mappa-annual-report-2024-25.pdf"
    text = "\n".join(pdf_pages(download))
    assert "Level 2 and 3 individuals by category over the year" in text
    assert "OFFICIAL" in text

    # No case data: a meeting, a case and the audits are refused.
    for url in ("/meetings/1", "/cases/1", "/meetings", "/cases", "/reports/audits"):
        assert page.request.get(url).status in (403, 404), url


def test_the_chair_scores_the_meeting_they_were_asked_to_audit(page):
    sign_in_as(page, "chair")
    page.get_by_role("link", name="You have 1 meeting audit to do").click()
    axe_check(page)
    page.get_by_role("link", name="M-").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Audit of meeting")
    axe_check(page)
    # The meeting itself is theirs to open while the audit is to do.
    page.get_by_role("link", name="Open the meeting's record").click()
    expect(page.get_by_text("OFFICIAL-SENSITIVE").first).to_be_visible()
    page.go_back()
    for fieldset in page.locator(".app-audit-criterion").all():
        fieldset.get_by_label("3 – Good").check()
    page.locator(".app-audit-criterion").nth(8).get_by_label("1 – Poor").check()
    page.get_by_role("button", name="Save the audit").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Explain the score for ‘Victims and diversity"
    )
    axe_check(page)
    page.get_by_label("Comment on ‘Victims and diversity considered’").fill("Victims were not discussed.")
    page.get_by_role("button", name="Save the audit").click()
    expect(page.get_by_text("saved.")).to_be_visible()
    expect(page.locator("#audits")).to_contain_text("Completed")
    axe_check(page)


def test_the_charts_are_drawn_and_the_reports_fit_a_phone(page):
    sign_in_as(page, "smb")
    page.goto("/reports/")
    # The tracker's stylesheet reaches the charts: a blue bar as long as its share, on a grey track.
    bar = page.locator("#pillar-table .app-bar").first
    assert bar.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(243, 242, 241)"
    assert bar.evaluate("e => getComputedStyle(e, '::after').backgroundColor") == "rgb(29, 112, 184)"
    share = int(bar.get_attribute("class").rsplit("--", 1)[1])
    width = bar.evaluate("e => parseFloat(getComputedStyle(e, '::after').width) / e.clientWidth * 100")
    assert abs(width - share) < 1
    page.set_viewport_size({"width": 375, "height": 800})
    for url in ("/reports/", "/reports/annual-report?year=2024"):
        page.goto(url)
        # Wide tables scroll inside their own region; the page itself never scrolls sideways.
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, url
        axe_check(page)
