"""The co-ordinator's disclosure journey on the demo: start a pack for a subject access request about
Paul Greystone, choose the approved minutes and their executive summary, redact another agency's words by
selecting them, record each agency's agreement, check the pack and issue it, then download the copy kept
and find the redacted words nowhere in it. Axe checks each page."""

import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.browser.conftest import axe_check, give_reason, sign_in_as
from tracker.core.timeutil import today_london

pytestmark = pytest.mark.browser

CASE = "LDN-2026-0106"
WITHHELD = "Children's social care: no new concerns"


def _select_in_source(page: Page, words: str) -> None:
    """Select the words in the paragraph as held, as a person would with the mouse."""
    page.evaluate(
        """(words) => {
            const node = document.getElementById("redaction-source").firstChild;
            const start = node.textContent.indexOf(words);
            const range = document.createRange();
            range.setStart(node, start);
            range.setEnd(node, start + words.length);
            const selection = document.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
        }""",
        words,
    )


def _pending_on_the_pack(page: Page, pending) -> int:
    """How many agencies' answers are still to record, counted once the pack's page is back: a count
    taken straight after a click can read the page being left, and end the loop too early."""
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Disclosure pack \d+$"))
    return pending.count()


def test_the_coordinator_builds_redacts_and_issues_a_disclosure_pack(page: Page):
    sign_in_as(page, "coordinator")
    page.goto(f"/cases?status=all&q={CASE}")
    page.get_by_role("link", name=CASE).click()
    give_reason(page, "Responding to a request for information")
    page.get_by_role("link", name="Disclosure packs for this case").click()
    axe_check(page)
    page.get_by_role("button", name="Start a new disclosure pack").click()
    axe_check(page)
    page.get_by_label("Who is the pack for?").fill("Paul Greystone (the data subject)")
    received = today_london()
    page.get_by_label("Day").fill(str(received.day))
    page.get_by_label("Month").fill(str(received.month))
    page.get_by_label("Year").fill(str(received.year))
    page.get_by_label("Subject access request").check()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Choose the documents")
    axe_check(page)
    page.get_by_label(re.compile(r"Executive summary: M-\d{4}-0100")).check()
    page.get_by_label(re.compile(r"Minutes \(this case\): M-\d{4}-0100")).check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Disclosure pack \d+$"))
    expect(page.get_by_text("Cannot start yet")).to_be_visible()
    axe_check(page)

    # The request is complex: the requester was told today that the reply will take two further months.
    page.get_by_role("button", name="Extend the time to reply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Extend the time to reply")
    axe_check(page)
    page.get_by_label("Day").fill(str(received.day))
    page.get_by_label("Month").fill(str(received.month))
    page.get_by_label("Year").fill(str(received.year))
    page.get_by_label("Why is the time to reply extended?").fill("Eight years of minutes, four agencies to ask")
    page.get_by_role("button", name="Extend the time to reply").click()
    expect(page.get_by_text("The time to reply has been extended")).to_be_visible()
    expect(page.get_by_text("Eight years of minutes, four agencies to ask")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name=re.compile(r"^Minutes \(this case\)")).click()
    axe_check(page)
    page.get_by_role("link", name=re.compile(r"Redact text in paragraph \d+, New information from each agency")).click()
    axe_check(page)
    _select_in_source(page, WITHHELD)
    expect(page.get_by_label("Text to redact")).to_have_value(WITHHELD)
    page.get_by_label(re.compile(r"R2: Agency information")).check()
    page.get_by_role("button", name="Redact").click()
    expect(page.get_by_text("1 passage redacted.")).to_be_visible()
    expect(page.locator(".app-redaction")).to_have_count(1)
    expect(page.get_by_text("the strategy discussion has concluded")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Back to the pack").click()
    pending = page.locator(".govuk-task-list__item", has_text="Not yet recorded")
    while _pending_on_the_pack(page, pending):
        pending.first.get_by_role("link").click()
        axe_check(page)
        page.get_by_label("Yes").check()
        page.get_by_label("Who gave the agency's answer?").fill("Information governance lead")
        answered = today_london()  # an answer is dated from the day the request was received to today
        page.get_by_label("Day").fill(str(answered.day))
        page.get_by_label("Month").fill(str(answered.month))
        page.get_by_label("Year").fill(str(answered.year))
        page.get_by_role("button", name="Save and continue").click()

    page.get_by_role("link", name="Check the pack and issue it").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the pack before you issue it")
    axe_check(page)
    page.get_by_role("button", name="Issue the pack").click()
    expect(page.get_by_text(re.compile(r"issued to Paul Greystone \(the data subject\)"))).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"issued$"))
    axe_check(page)

    # Downloading the issued copy again asks who it is for and why, as any download does (the issue itself
    # was logged as the disclosure to the requester).
    page.get_by_role("link", name=re.compile(r"^Download the copy that was sent")).click()
    axe_check(page)
    page.get_by_label("Someone else, an agency or a mailbox").check()
    page.get_by_label("Name the person, agency or mailbox").fill("Paul Greystone (the data subject), by secure post")
    page.get_by_label("Responding to a request for information or a data protection request").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the file").click()
    data = Path(download.value.path()).read_bytes()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())
    assert "Paul Greystone (the data subject)" in text and "Redaction key" in text
    assert "Children's social care" not in text and "no new concerns" not in text
    assert "the strategy discussion has concluded" in text
