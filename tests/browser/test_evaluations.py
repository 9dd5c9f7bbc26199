"""Journeys through evaluations: the TRSG sends the default form to a demo forum, three attendees answer
through their emailed links (one anonymously, one without JavaScript), a link used twice is refused,
and the results, the CSV and PDF and the comparison of the June and December forums all work."""

import csv
import io
import re
from pathlib import Path

import pypdf
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    answer_disclosure,
    axe_check,
    delivered_mail,
    return_from_download,
    sign_in_as,
)

pytestmark = pytest.mark.browser

FORUM = re.compile(r"Chairs' Forum, .*: supervision and licence conditions")
LINK = re.compile(r"https?://[^\s]+/evaluations/answer/[\w-]+")


def _emailed_links(live_server) -> list[str]:
    """The answer links in the emails about the forum."""
    return [
        LINK.search(message.get_content()).group(0)
        for message in delivered_mail(live_server)
        if FORUM.search(message["Subject"])
    ]


def _answer(page, *, overall: str, named: bool, comment: str = "") -> None:
    page.get_by_role("group", name="Overall, how would you rate the event?").get_by_label(overall).check()
    page.get_by_role("group", name="How relevant was the event to your practice?").get_by_label(
        "4 – Very relevant"
    ).check()
    page.get_by_role("group", name="How confident did you feel before the event?").get_by_label(
        "2 – Slightly confident"
    ).check()
    page.get_by_role("group", name="How confident do you feel now?").get_by_label(
        "4 – Very confident"
    ).check()
    if comment:
        page.get_by_label("What was most useful? (optional)").fill(comment)
    page.get_by_role("group", name="Would you recommend the event to a colleague?").get_by_label(
        "Yes"
    ).check()
    choice = "Yes, keep my name with my answers" if named else "No, answer anonymously"
    page.get_by_role("group", name="Do you want your name kept with your answers?").get_by_label(
        choice
    ).check()
    page.get_by_role("button", name="Send my answers").click()


def test_the_trsg_sends_the_default_form_to_a_forum_and_sees_three_answers(page, browser, live_server):
    sign_in_as(page, "trsg")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Evaluations").click()
    expect(page.get_by_role("heading", name="Evaluation forms")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("Post-event evaluation"))).to_be_visible()
    axe_check(page)

    # Send the default form to the recent forum, from the list of events not yet evaluated.
    page.get_by_role("link", name="Events and results", exact=True).click()
    axe_check(page)
    page.get_by_role("link", name=FORUM).first.click()
    expect(page.get_by_role("heading", name="Send an evaluation form")).to_be_visible()
    expect(page.get_by_label("Post-event evaluation (version 1)")).to_be_checked()
    axe_check(page)
    page.get_by_role("button", name="Send the form").click()
    expect(page.get_by_text(re.compile(r"Links sent to \d+ attendees\."))).to_be_visible()
    axe_check(page)
    evaluation_url = page.url

    links = _emailed_links(live_server)
    assert len(links) >= 3 and len(set(links)) == len(links)

    # Three attendees answer through their links, signed out: one named, one anonymous, one without
    # JavaScript who first forgets a required question.
    visitor = browser.new_context(base_url=live_server.url)
    answering = visitor.new_page()
    answering.goto(links[0])
    expect(answering.get_by_role("heading", name="Post-event evaluation")).to_be_visible()
    axe_check(answering)
    _answer(
        answering,
        overall="5 – Excellent",
        named=True,
        comment="Hearing from probation about licence breaches.",
    )
    expect(answering.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    axe_check(answering)

    answering.goto(links[1])
    _answer(answering, overall="4 – Good", named=False, comment="The case study.")
    expect(answering.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()

    # A second use of a link is refused.
    answering.goto(links[0])
    expect(answering.get_by_role("heading", name="You have already answered")).to_be_visible()
    axe_check(answering)
    visitor.close()

    no_script = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    plain = no_script.new_page()
    plain.goto(links[2])
    plain.get_by_role("button", name="Send my answers").click()
    summary = plain.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select an answer to ‘Overall, how would you rate the event?’")
    expect(plain).to_have_title(re.compile(r"^Error: "))
    _answer(plain, overall="3 – Fair", named=False)
    expect(plain.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    no_script.close()

    # The results: response rate and a chart (with its table) for each question. Two of the three
    # answered anonymously: fewer than the area's minimum, so beside the named answer their answers are
    # held back (they could be traced by elimination), and the figures are the named answer's alone.
    page.goto(evaluation_url)
    expect(page.get_by_text(re.compile(r"3 of \d+ people sent a link"))).to_be_visible()
    expect(page.get_by_text(re.compile(r"^2 people answered anonymously"))).to_be_visible()
    page.get_by_role("link", name="See the results").click()
    expect(page.get_by_text(re.compile(r"\d+% \(3 of \d+ people sent a link\)"))).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"^2 people answered anonymously. Their answers are held back"))
    ).to_be_visible()
    expect(page.get_by_text("Mean 5.0, median 5.0, on a scale of 1 to 5.").first).to_be_visible()
    overall = page.get_by_role("table", name="Answers to: Overall, how would you rate the event?")
    expect(overall.get_by_role("row", name=re.compile(r"5 – Excellent 1 100%"))).to_be_visible()
    assert page.locator("svg.app-chart__bar").count() >= 22
    expect(page.get_by_text("“Hearing from probation about licence breaches.”")).to_be_visible()
    expect(page.get_by_text("“The case study.”")).to_have_count(0)
    axe_check(page)

    page.get_by_role("link", name="Every response (CSV)").click()
    with page.expect_download() as download:
        answer_disclosure(page)
    rows = list(csv.reader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))
    # The named answer, then the last row saying the anonymous answers are held back.
    assert len(rows) == 3 and rows[1][2] != "Anonymous"
    assert rows[2][2] == "Held back" and "2 responses given anonymously, not included: held back" in rows[2][3]
    assert download.value.suggested_filename.endswith("-responses.csv")
    return_from_download(page)

    page.get_by_role("link", name="Summary (PDF)").click()
    with page.expect_download() as download:
        answer_disclosure(page)
    text = " ".join(p.extract_text() for p in pypdf.PdfReader(download.value.path()).pages)
    assert "Evaluation results" in text and "Overall, how would you rate the event?" in text
    assert "2 people answered anonymously" in " ".join(text.split()) and "The case study." not in text
    assert download.value.suggested_filename.endswith("-results.pdf")


def test_the_june_and_december_forums_compare_side_by_side(page):
    sign_in_as(page, "smb")
    page.get_by_role("link", name="See what people thought of each training event and Chairs' Forum").click()
    axe_check(page)
    page.get_by_role("link", name="Compare events").first.click()
    page.get_by_label(re.compile(r"Chairs' Forum, June 2024")).check()
    page.get_by_label(re.compile(r"Chairs' Forum, December 2024")).check()
    page.get_by_role("button", name="Compare").click()
    table = page.get_by_role("table", name="Overall, how would you rate the event?, by event")
    expect(table.get_by_role("columnheader", name=re.compile("June 2024"))).to_be_visible()
    expect(table.get_by_role("columnheader", name=re.compile("December 2024"))).to_be_visible()
    expect(table.get_by_role("row", name=re.compile(r"^Mean \(1 to 5\) \d\.\d \d\.\d$"))).to_be_visible()
    axe_check(page)


def test_an_attendee_with_an_account_answers_from_their_home_page(page):
    sign_in_as(page, "practitioner")
    panel_link = page.get_by_role("link", name=re.compile("MAPPA briefing for agency staff"))
    panel_link.click()
    expect(page.get_by_role("heading", name="Post-event evaluation")).to_be_visible()
    axe_check(page)
    _answer(page, overall="4 – Good", named=False)
    expect(page.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()
    page.get_by_role("link", name="Back to your home page").click()
    expect(page.get_by_role("heading", name="Evaluations to answer")).to_have_count(0)


def test_result_charts_draw_each_bar_to_scale_in_the_house_colours(page):
    """The tracker's own stylesheet applies to the charts: an unclosed rule above them once left every
    bar's track black, so a 0% answer looked like 100%."""
    sign_in_as(page, "trsg")
    page.goto("/evaluations/events")
    page.get_by_role("link", name=re.compile(r"^Chairs' Forum, December 2024")).first.click()
    expect(page.get_by_text("Evaluation results")).to_be_visible()
    colours = page.evaluate(
        """() => {
            const fill = document.querySelector('.app-chart__fill');
            const track = document.querySelector('.app-chart__track');
            return [getComputedStyle(track).fill, getComputedStyle(fill).fill,
                    getComputedStyle(document.querySelector('.app-chart__bar')).display];
        }"""
    )
    assert colours == ["rgb(243, 242, 241)", "rgb(29, 112, 184)", "block"]
