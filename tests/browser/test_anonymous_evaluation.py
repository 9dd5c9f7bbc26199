"""The journey of an anonymous evaluation: the TRSG sends a form that keeps every answer anonymous to a
development day; three attendees answer through their links and the TRSG sees no results and no names,
only how many have answered; two more answer and the results appear (the minimum is 5 by default)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_check, delivered_mail, sign_in_as

pytestmark = pytest.mark.browser

EVENT = "Chairs' development day, January 2026"
LINK = re.compile(r"https?://[^\s]+/evaluations/answer/[\w-]+")


def _links(live_server) -> list[str]:
    links = []
    for message in delivered_mail(live_server):
        if EVENT in message["Subject"] and (found := LINK.search(message.get_content())):
            links.append(found.group(0))
    return links


def _answer(page, overall: str) -> None:
    expect(page.get_by_text("Your answers are anonymous: they are not linked to you.")).to_be_visible()
    expect(page.get_by_role("group", name="Do you want your name kept with your answers?")).to_have_count(0)
    page.get_by_role("group", name="Overall, how would you rate the event?").get_by_label(overall).check()
    for question, answer in (
        ("How relevant was the event to your practice?", "4 – Very relevant"),
        ("How confident did you feel before the event?", "2 – Slightly confident"),
        ("How confident do you feel now?", "4 – Very confident"),
    ):
        page.get_by_role("group", name=question).get_by_label(answer).check()
    page.get_by_role("group", name="Would you recommend the event to a colleague?").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", name="Thank you for your feedback")).to_be_visible()


def test_three_anonymous_answers_show_no_results_and_no_names_and_five_show_results(
    page, browser, live_server
):
    sign_in_as(page, "trsg")
    page.goto("/evaluations/events")
    page.get_by_role("link", name=EVENT).first.click()
    expect(page.get_by_role("heading", name="Send an evaluation form")).to_be_visible()
    page.get_by_label("Keep every answer anonymous").check()
    axe_check(page)
    page.get_by_role("button", name="Send the form").click()
    expect(page.get_by_text(re.compile(r"Links sent to \d+ attendees\."))).to_be_visible()
    evaluation_url = page.url
    links = _links(live_server)
    assert len(links) >= 5

    visitor = browser.new_context(base_url=live_server.url)
    answering = visitor.new_page()
    for link, overall in zip(links[:3], ["5 – Excellent", "4 – Good", "3 – Fair"], strict=True):
        answering.goto(link)
        _answer(answering, overall)
    axe_check(answering)

    # Three answers: how many, never who; no results, charts or downloads.
    page.goto(evaluation_url)
    counts = page.locator(".app-answer-counts")
    expect(counts).to_contain_text("Answered 3")
    expect(page.get_by_text("Every answer is anonymous, so who has answered is not shown")).to_be_visible()
    expect(page.get_by_role("table", name="People sent a link")).to_have_count(0)
    expect(page.locator(".govuk-tag")).to_have_count(0)
    axe_check(page)
    page.get_by_role("link", name="See the results").click()
    expect(page.get_by_text("Its results show once 2 more people answer")).to_be_visible()
    expect(page.get_by_role("table")).to_have_count(0)
    expect(page.get_by_role("link", name="Summary (PDF)")).to_have_count(0)
    expect(page.get_by_role("link", name="Every response (CSV)")).to_have_count(0)
    expect(page.get_by_text("Mean")).to_have_count(0)
    axe_check(page)

    for link in links[3:5]:
        answering.goto(link)
        _answer(answering, "4 – Good")
    visitor.close()

    # Five answers: the results show, still with no names.
    page.reload()
    expect(page.get_by_text(re.compile(r"\d+% \(5 of \d+ people sent a link\)"))).to_be_visible()
    overall = page.get_by_role("table", name="Answers to: Overall, how would you rate the event?")
    expect(overall.get_by_role("row", name=re.compile(r"^4 – Good 3 60%"))).to_be_visible()
    expect(page.get_by_text("Mean 4.0, median 4.0, on a scale of 1 to 5.").first).to_be_visible()
    expect(page.get_by_role("link", name="Summary (PDF)")).to_be_visible()
    axe_check(page)
    page.goto(evaluation_url)
    expect(page.locator(".app-answer-counts")).to_contain_text("Answered 5")
    expect(page.locator(".govuk-tag")).to_have_count(0)
