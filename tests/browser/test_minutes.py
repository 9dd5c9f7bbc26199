"""The chair's minutes journey on the demo: finish the late draft of a demo meeting (saved in the background
as well), submit it, have approval refused while a pillar is outstanding, put that right, approve,
distribute and download the PDF, then correct the minutes into version 2. Axe checks each page. Submitting
emails the chair; approving emails the meeting's administrator."""

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import (
    answer_disclosure,
    axe_check,
    delivered_mail,
    own_page,
    return_from_download,
    sign_in_as,
)
from tracker.core.timeutil import today_london

pytestmark = pytest.mark.browser


def set_pillar(page: Page, case_reference: str, pillar: str, status: str, summary: str = "") -> None:
    page.get_by_role(
        "link", name=f"Change this case's Four Pillars, risk, decision or actions for {case_reference}"
    ).click()
    axe_check(page)
    page.get_by_role("link", name=f"Record {pillar.lower()}").click()
    page.get_by_label(status, exact=True).check()
    if summary:
        page.get_by_label("Summary of the plan").fill(summary)
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"{pillar} saved for {case_reference}.")).to_be_visible()


def _emailed(live_server, subject: str) -> list[str]:
    """Who the emails with this subject went to."""
    return [message["To"] for message in delivered_mail(live_server) if message["Subject"] == subject]


def _administrator_email(live_server, reference: str) -> str:
    from sqlmodel import select

    from tracker.core.db import db
    from tracker.meetings.models import Meeting

    with live_server.app.app_context():
        return db.session.exec(select(Meeting).where(Meeting.reference == reference)).one().administrator.email


def test_the_chair_drafts_submits_approves_distributes_and_corrects_the_minutes(page, live_server):
    reference = f"M-{today_london().year}-0101"
    case = "LDN-2026-0101"
    sign_in_as(page, "chair")
    # The home page panel counts the demo chair's late draft among the overdue minutes.
    expect(page.get_by_role("link", name=re.compile(r"^[1-9]\d* overdue"))).to_be_visible()
    axe_check(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Minutes", exact=True).click()
    axe_check(page)
    page.get_by_role("link", name=re.compile(r"^Overdue")).click()
    axe_check(page)
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Minutes of {reference}")
    expect(page.get_by_text("Overdue")).to_be_visible()
    axe_check(page)

    # The chair finishes the administrator's draft; leaving a box saves it in the background.
    page.get_by_role("button", name="Change the draft").click()
    axe_check(page)
    risk = page.get_by_label("Risk assessment: the chair's summary of the risk factors").first
    risk.fill("Alcohol misuse and loss of accommodation raise the risk; work and the programme protect.")
    page.get_by_label("Disclosure decisions").first.focus()
    expect(page.locator("[data-autosave-status]")).to_contain_text("Draft saved at")
    page.get_by_label("Disclosure decisions").first.fill("No disclosure: the conditions manage the risk.")
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("The draft minutes have been saved.")).to_be_visible()
    expect(page.get_by_text("Alcohol misuse and loss of accommodation raise the risk")).to_be_visible()
    axe_check(page)

    # A pillar left outstanding: submitting works, approval is refused and names the case and pillar.
    page.get_by_role("button", name="Change the draft").click()
    set_pillar(page, case, "Victim safety planning", "Outstanding")
    page.get_by_role("link", name="Minutes", exact=True).click()
    page.get_by_role("link", name=reference).click()
    page.get_by_role("button", name="Submit to the chair for approval").click()
    expect(page.get_by_text("The minutes have been submitted to the chair for approval.")).to_be_visible()
    # The chair submitted them himself: he is not emailed that they await his approval (an
    # administrator's submission is, tests/meetings/test_follow_up.py).
    assert _emailed(live_server, f"Minutes of MAPPA meeting {reference} await your approval") == []
    page.get_by_role("button", name="Approve the minutes").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(f"Case {case}: the Victim safety planning pillar is still outstanding")
    expect(page).to_have_title(re.compile(r"^Error: "))
    axe_check(page)

    # The chair records the pillar and approves.
    page.get_by_role("button", name="Change the draft").click()
    set_pillar(
        page, case, "Victim safety planning", "Addressed", "Victim liaison in touch; no-contact condition."
    )
    page.goto(page.url.split("/agenda/")[0] + "/minutes")
    page.get_by_role("button", name="Approve the minutes").click()
    expect(page.get_by_text("You have approved the minutes.")).to_be_visible()
    expect(page.get_by_text("By Daniel Price on")).to_be_visible()
    axe_check(page)
    # The administrator is told by email that the minutes are approved, ready to distribute.
    approved = _emailed(live_server, f"Minutes of MAPPA meeting {reference} approved")
    assert approved == [_administrator_email(live_server, reference)]

    # ... distributes them to the agencies that attended.
    page.get_by_role("button", name="Distribute the minutes").click()
    axe_check(page)
    page.get_by_role("button", name="Record the distribution").click()
    expect(page.get_by_text("The distribution has been recorded")).to_be_visible()
    expect(page.get_by_role("heading", name="Distributed")).to_be_visible()
    axe_check(page)

    # ... and downloads the approved PDF.
    page.get_by_role("link", name="Download these minutes as a PDF").click()
    with page.expect_download() as download:
        answer_disclosure(page)
    assert download.value.suggested_filename == f"{reference}-minutes-v1-approved.pdf"
    reader = PdfReader(download.value.path())
    assert all("OFFICIAL-SENSITIVE" in p.extract_text() for p in reader.pages)
    assert "Alcohol misuse and loss of accommodation" in " ".join(p.extract_text() for p in reader.pages)
    return_from_download(page)

    # A correction makes version 2; version 1 stays readable.
    page.get_by_role("button", name="Correct the minutes").click()
    axe_check(page)
    page.get_by_role("button", name="Start a corrected version").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the reason for the correction")
    axe_check(page)
    page.get_by_label("Why are the minutes being corrected?").fill(
        "The housing officer's update was misattributed"
    )
    page.get_by_role("button", name="Start a corrected version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Version 2 of the minutes")
    axe_check(page)
    page.get_by_role("link", name="Back to the minutes").click()
    page.get_by_role("link", name="Version 1").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Version 1 of the minutes")
    expect(page.get_by_text("This version stands: version 2, a correction, is being written")).to_be_visible()
    expect(page.get_by_text("Alcohol misuse and loss of accommodation raise the risk")).to_be_visible()
    axe_check(page)


def test_the_chair_and_the_administrator_write_different_parts_at_once_and_both_are_kept(
    page, browser, live_server
):
    reference = f"M-{today_london().year}-0101"
    with own_page(browser, live_server) as administrator:
        sign_in_as(page, "chair")
        sign_in_as(administrator, "administrator")
        for person in (page, administrator):
            person.goto("/minutes?show=all")
            person.get_by_role("link", name=reference).click()
            person.get_by_role("button", name="Change the draft").click()

        page.get_by_label("Introductions and purpose of the meeting").fill(
            "Introductions, in the chair's words."
        )
        page.get_by_role("button", name="Save the draft").click()
        expect(page.get_by_text("The draft minutes have been saved.")).to_be_visible()

        # The administrator's page, opened before the chair saved, saves in the background ...
        administrator.get_by_label("Disclosure decisions").first.fill(
            "No disclosure, in the administrator's words."
        )
        administrator.get_by_label("Differing views and how the meeting proceeded").first.focus()
        expect(administrator.locator("[data-autosave-status]")).to_contain_text(
            "Daniel Price saved changes to other parts"
        )
        # ... and then with the button: the chair's introductions, still old on this page, are kept.
        administrator.get_by_label("Differing views and how the meeting proceeded").first.fill("None.")
        administrator.get_by_role("button", name="Save the draft").click()
        expect(administrator.get_by_text("The draft minutes have been saved.")).to_be_visible()
        for text in (
            "Introductions, in the chair's words.",
            "No disclosure, in the administrator's words.",
        ):
            expect(administrator.get_by_text(text)).to_be_visible()
        axe_check(administrator)


def test_the_minutes_pages_fit_a_phone_and_their_tables_scroll_in_their_own_pane(browser, live_server):
    with own_page(browser, live_server, 375, 800) as phone:
        sign_in_as(phone, "chair")
        phone.goto("/minutes?show=all")
        phone.get_by_role("link", name=f"M-{today_london().year}-0101").click()
        for url in ("/minutes?show=all", phone.url, phone.url + "/edit"):
            phone.goto(url)
            assert phone.evaluate("document.documentElement.scrollWidth") <= 375, (
                f"{url} is wider than a phone"
            )
            axe_check(phone)
        phone.goto("/minutes?show=all")
        pane = phone.get_by_role("region", name="Minutes: all minutes")
        assert pane.evaluate("pane => pane.scrollWidth > pane.clientWidth")  # the table scrolls inside it


def test_a_draft_is_kept_on_the_page_when_the_person_has_been_signed_out(browser, live_server):
    # Its own page: the refused background save is logged by the browser, which the `page` fixture fails on.
    with own_page(browser, live_server) as page:
        sign_in_as(page, "chair")
        page.clock.install()
        page.goto("/minutes?show=all")
        page.get_by_role("link", name=f"M-{today_london().year}-0101").click()
        page.get_by_role("button", name="Change the draft").click()
        box = page.get_by_label("Any other business")
        box.fill("Written after a long break.")
        # Half an hour later the tracker has signed the person out; they press "Save the draft".
        page.context.clear_cookies()
        page.clock.set_system_time(datetime.now() + timedelta(minutes=29))
        page.get_by_role("button", name="Save the draft").click()
        expect(page.locator("[data-autosave-status]")).to_contain_text("Not saved: you have been signed out")
        # The page and what was written on it are still there to copy.
        expect(page).to_have_url(re.compile(r"/minutes/edit$"))
        expect(box).to_have_value("Written after a long break.")


def test_after_a_quiet_spell_saving_checks_first_and_then_saves(page):
    sign_in_as(page, "chair")
    page.clock.install()
    page.goto("/minutes?show=all")
    page.get_by_role("link", name=f"M-{today_london().year}-0101").click()
    page.get_by_role("button", name="Change the draft").click()
    page.get_by_label("Any other business").fill("Written after a quiet spell, still signed in.")
    page.clock.set_system_time(datetime.now() + timedelta(minutes=29))
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("The draft minutes have been saved.")).to_be_visible()
    expect(page.get_by_text("Written after a quiet spell, still signed in.")).to_be_visible()
