"""Journeys through training: the TRSG runs a course and a forum; chairs and the Board see the results."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import (
    answer_disclosure,
    axe_check,
    demo_email,
    fill_date_boxes,
    pdf_pages,
    return_from_download,
    sign_in_as,
)
from tracker.core.timeutil import today_london

pytestmark = pytest.mark.browser


def _people_csv(bad_line: bool) -> bytes:
    """20 people: the demo's new chair, and 19 invented people; optionally one with an unknown agency."""
    rows = ["name,email,agency", f"Claire Donovan,{demo_email('claire.donovan')},Probation Service (London)"]
    for number in range(1, 20):
        agency = "Metropolitan Police Service" if number % 2 else "Probation Service (London)"
        rows.append(f"Journey Person {number},journey.person{number}@agency.example,{agency}")
    if bad_line:
        rows[5] = "Journey Person 4,journey.person4@agency.example,Ministry of Magic"
    return ("\n".join(rows) + "\n").encode()


def test_the_trsg_runs_a_two_day_course_and_a_forum_and_the_results_show_everywhere(page):
    sign_in_as(page, "trsg")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Training").click()
    expect(page.get_by_role("heading", name="Training", exact=True)).to_be_visible()
    axe_check(page)

    # A two-day course held a fortnight ago (Monday and Tuesday), so both registers are open.
    first_day = today_london() - timedelta(days=today_london().weekday() + 14)
    page.get_by_role("link", name="Courses").click()
    axe_check(page)
    page.get_by_role("link", name="Add an event of MAPPA Chair Training").click()
    page.get_by_label("Event title").fill("Journey cohort")
    page.get_by_label("Places").fill("24")
    fill_date_boxes(page, "first_day", first_day)
    page.get_by_label("Start time").fill("09:30")
    page.get_by_label("End time").fill("16:30")
    page.get_by_label("Venue").fill("Training room 2")
    axe_check(page)
    page.get_by_role("button", name="Create event").click()
    expect(page.get_by_text("Event 'Journey cohort' created with 2 sessions.")).to_be_visible()
    event_url = page.url
    axe_check(page)

    # 20 people from a file: one bad line is reported and nobody is enrolled until it is fixed.
    page.get_by_role("link", name="Enrol people from a CSV file").click()
    axe_check(page)
    page.get_by_label("Upload a CSV file").set_input_files(
        {"name": "cohort.csv", "mimeType": "text/csv", "buffer": _people_csv(bad_line=True)}
    )
    page.get_by_role("button", name="Upload and check").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Line 6: 'Ministry of Magic' is not an agency in the tracker")
    expect(summary).to_contain_text("Nobody has been enrolled")
    expect(page.get_by_role("button", name="Enrol 20 people")).to_have_count(0)
    axe_check(page)
    page.goto(event_url)
    expect(page.get_by_text("0 of 24 taken")).to_be_visible()
    page.go_back()
    page.get_by_label("Upload the corrected CSV file").set_input_files(
        {"name": "cohort.csv", "mimeType": "text/csv", "buffer": _people_csv(bad_line=False)}
    )
    page.get_by_role("button", name="Upload and check").click()
    # Claire Donovan already holds a place on the demo's January cohort: one place per person per course,
    # unless the TRSG overrides with a reason.
    expect(page.get_by_text("Claire Donovan already has a place on MAPPA Chair Training").first).to_be_visible()
    axe_check(page)
    page.get_by_label("Override the enrolment rules").fill("Moved forward to this cohort by the TRSG lead")
    page.get_by_role("button", name="Enrol 20 people").click()
    expect(page.get_by_text("20 people enrolled from cohort.csv.")).to_be_visible()

    # Day 1: everyone present. Day 2: one person absent, the rest present.
    page.get_by_role("link", name="Register for Day 1").click()
    axe_check(page)
    page.get_by_role("button", name="Mark everyone not yet marked as present").click()
    expect(page.get_by_text("Register for Day 1 saved (20 changes).")).to_be_visible()
    page.get_by_role("link", name="Register for Day 2").click()
    absent = page.get_by_role("group", name="Journey Person 7")
    absent.get_by_label("Absent").check()
    page.get_by_label("Note for Journey Person 7").fill("Called in sick")
    page.get_by_role("button", name="Mark everyone not yet marked as present").click()
    expect(page.get_by_text("Register for Day 2 saved (20 changes).")).to_be_visible()
    expect(page.get_by_text("19 people")).to_be_visible()

    # Certificates for the event: a page for each of the 19 who completed.
    page.get_by_role("link", name="Download certificates (PDF)").click()
    with page.expect_download() as download:
        answer_disclosure(page)
    pages = pdf_pages(download.value)
    assert len(pages) == 19
    assert "Claire Donovan" in pages[0] and "Journey cohort" in pages[0]
    assert download.value.suggested_filename == "certificates-journey-cohort.pdf"
    return_from_download(page)

    # The completers appear on the chairs' register as trained, with an account or not yet.
    page.get_by_role("link", name="Chairs' register").click()
    page.get_by_label("Name").fill("Claire")
    page.get_by_role("button", name="Filter").click()
    row = page.locator("tbody tr", has_text="Claire Donovan")
    expect(row).to_contain_text("Trained")
    expect(row).to_contain_text(f"{first_day + timedelta(days=1):%-d %B %Y}")
    axe_check(page)
    page.get_by_label("Name").fill("Journey Person 1")
    page.get_by_role("button", name="Filter").click()
    row = page.locator("tbody tr", has_text="Journey Person 1 ")
    expect(row.first).to_contain_text("No account yet")
    expect(row.first).to_contain_text("Trained")

    # A Chairs' Forum on victim safety planning, yesterday: Imran Hussain attends and his CPD is current.
    page.get_by_role("link", name="Courses").click()
    page.get_by_role("link", name="Add an event of Chairs' Forum").click()
    page.get_by_label("Event title").fill("Journey forum")
    page.get_by_label("Chairs' Forum").check()
    page.get_by_label("Victim safety planning").check()
    page.get_by_label("Places").fill("60")
    fill_date_boxes(page, "first_day", today_london() - timedelta(days=1))
    page.get_by_label("Start time").fill("13:30")
    page.get_by_label("End time").fill("16:30")
    page.get_by_label("Online link").fill("https://meet.demo.mappa.example/forum")
    page.get_by_role("button", name="Create event").click()
    page.get_by_role("link", name="Enrol a person").click()
    page.get_by_label("Full name").fill("Imran Hussain")
    page.get_by_label("Email address").fill(demo_email("imran.hussain"))
    page.get_by_label("Agency", exact=True).select_option(label="Metropolitan Police Service")
    axe_check(page)
    page.get_by_role("button", name="Enrol").click()
    expect(page.get_by_text("Imran Hussain added to the event.")).to_be_visible()
    page.get_by_role("link", name="Register for Session").click()
    page.get_by_role("group", name="Imran Hussain").get_by_label("Present").check()
    page.get_by_role("button", name="Save register").click()
    expect(page.get_by_text("Register for Session saved (1 change).")).to_be_visible()
    page.get_by_role("link", name="Chairs' register").click()
    page.get_by_label("Name").fill("Imran")
    page.get_by_role("button", name="Filter").click()
    row = page.locator("tbody tr", has_text="Imran Hussain")
    expect(row).to_contain_text("Victim safety planning")
    expect(row.get_by_text("Trained", exact=True)).to_be_visible()

    # The overview for the seed year.
    page.get_by_role("link", name="Overview").click()
    page.get_by_label("Reporting year").select_option(label="2024/25")
    page.get_by_role("button", name="Show year").click()
    expect(page.locator("#chair-courses")).to_have_text("3")
    expect(page.locator("#new-chairs")).to_have_text("57")
    expect(page.locator("#forum-participants")).to_have_text("107")
    axe_check(page)
    page.get_by_role("button", name="Download these figures (CSV)").click()
    with page.expect_download() as download:
        answer_disclosure(page)
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert "2024/25,People trained,New chairs trained,57" in text


def test_a_chair_sees_their_record_and_downloads_a_certificate(page):
    sign_in_as(page, "chair")
    expect(page.get_by_role("heading", name="Your chair training")).to_be_visible()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My training").click()
    expect(page.get_by_role("heading", name="My training")).to_be_visible()
    expect(page.get_by_text("Supervision").first).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Download certificate for Cohort 1, May 2024 (PDF)").click()
    with page.expect_download() as download:
        answer_disclosure(page)
    text = pdf_pages(download.value)[0]
    assert "Daniel Price" in text and "Cohort 1, May 2024" in text


def test_the_board_sees_the_training_figures_only(page):
    sign_in_as(page, "smb")
    navigation = page.get_by_role("navigation", name="Main")
    expect(navigation.get_by_role("link", name="Training", exact=True)).to_have_count(0)
    navigation.get_by_role("link", name="Training figures").click()
    expect(page.get_by_role("heading", name="Training overview")).to_be_visible()
    axe_check(page)
    assert page.request.get("/training/chairs").status == 403


def test_training_and_evaluation_pages_fit_a_phone_and_their_wide_tables_scroll_on_their_own(page):
    """At 375 px nothing pushes the page sideways: a wide table scrolls inside its own region, which a
    keyboard can reach."""
    page.set_viewport_size({"width": 375, "height": 812})
    sign_in_as(page, "trsg")
    page.goto("/training/events")
    page.get_by_role("link", name="Cohort 2, September 2024").click()
    expect(page.get_by_role("heading", name="Cohort 2, September 2024")).to_be_visible()
    event_page = page.url
    page.get_by_role("link", name="Chairs' register").first.click()
    person = page.get_by_role("link", name="Daniel Price").get_attribute("href")
    paths = [
        "/training/events",
        "/training/courses",
        "/training/people",
        "/training/chairs",
        "/training/overview?year=2024",
        event_page,
        person,
        "/evaluations/events",
    ]
    for path in paths:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width} px wide at a phone's width"
    page.goto("/evaluations/events")
    page.get_by_role("link", name="Compare events").first.click()
    page.get_by_label(re.compile(r"Chairs' Forum, June 2024")).check()
    page.get_by_label(re.compile(r"Chairs' Forum, December 2024")).check()
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("region", name="Response rates")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe_check(page)
