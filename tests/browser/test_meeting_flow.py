"""Journeys through building and running a meeting: the administrator builds an agenda from the cases due,
finds a case by search, sees and resolves an overlap warning and prints the agenda with its standard items;
the chair records a deputy from another agency and a walk-in attendee, and marks a case not reached as
not discussed."""

import io
import re

import pypdf
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_check, confirm_if_warned, sign_in_as
from tests.browser.test_meetings import choose, fill_meeting, sign_out
from tests.justify import disclosed

pytestmark = pytest.mark.browser


def test_an_agenda_is_built_from_the_due_list_and_search_and_the_room_is_run(page):
    sign_in_as(page, "administrator")
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.get_by_role("button", name="Schedule a meeting").click()
    fill_meeting(page, "Review", "22:00", "23:50", "MAPPA Unit, Room 6")
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.get_by_text("Now add the cases to its agenda")).to_be_visible()
    meeting_url = page.url

    # The first case comes from the due list.
    page.get_by_role("button", name="Add a case to the agenda").click()
    due = page.get_by_role("table", name="Cases due")
    expect(due).to_be_visible()
    axe_check(page)
    rows = due.locator("tbody tr")
    first_reference = rows.nth(0).locator("td").first.inner_text().split("\n")[0].strip()
    second_reference = rows.nth(1).locator("td").first.inner_text().split("\n")[0].strip()
    rows.nth(0).get_by_role("link", name=re.compile("Choose")).click()
    expect(page.get_by_label("MAPPA reference of the case")).to_have_value(first_reference)
    page.get_by_label("Time slot starts").fill("22:00")
    page.get_by_label("Time slot ends").fill("22:40")
    page.get_by_role("button", name="Add to agenda").click()
    confirm_if_warned(page, "Add to agenda", page.get_by_role("table", name="Cases on the agenda"))
    expect(page.get_by_role("table", name="Cases on the agenda")).to_contain_text(first_reference)

    # The second by search, in a slot that overlaps the first: warned before saving.
    page.get_by_role("button", name="Add a case to the agenda").click()
    page.get_by_label("MAPPA reference or name").fill(second_reference.lower())
    page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name=f"Choose {second_reference} for the agenda").click()
    page.get_by_label("Time slot starts").fill("22:30")
    page.get_by_label("Time slot ends").fill("23:10")
    page.get_by_role("button", name="Add to agenda").click()
    warnings = page.locator("#warnings")
    expect(warnings).to_contain_text(f"{second_reference}'s slot (22:30 to 23:10) overlaps {first_reference}'s")
    axe_check(page)
    # Resolved by moving the slot: the overlap is no longer said.
    page.get_by_label("Time slot starts").fill("22:40")
    page.get_by_label("Time slot ends").fill("23:20")
    page.get_by_role("button", name=re.compile("^Add to agenda")).click()
    agenda = page.get_by_role("table", name="Cases on the agenda")
    expect(page.locator("#warnings").or_(agenda).first).not_to_contain_text("overlaps")
    confirm_if_warned(page, "Add to agenda", agenda)
    expect(agenda).to_contain_text(second_reference)
    expect(page.locator("main")).not_to_contain_text("overlaps")
    expect(page.locator("#standard-items-before")).to_contain_text("1. Introductions and apologies")
    expect(page.locator("#standard-items-after")).to_contain_text("Any other business")
    axe_check(page)

    # Prints the agenda with its standard items.
    pdf_url = page.get_by_role("link", name="Download the agenda as a PDF").get_attribute("href")
    response = page.request.get(disclosed(pdf_url))
    assert response.ok
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.body())).pages)
    order = [
        "1. Introductions and apologies",
        "2. Confidentiality and diversity statement",
        "3. Minutes and actions of the last meeting",
        first_reference,
        second_reference,
        "6. Any other business",
        "7. Date of next meeting",
    ]
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)

    # Invites the police officer.
    page.get_by_role("button", name="Invite agencies").click()
    page.get_by_label("Agency", exact=True).select_option(label="Metropolitan Police Service")
    page.get_by_label("Person").select_option(label="Grace Adeyemi (Metropolitan Police Service)")
    page.get_by_role("button", name="Invite", exact=True).click()
    sign_out(page)

    # The chair records the officer's deputy from another agency, and a walk-in.
    sign_in_as(page, "chair")
    page.goto(meeting_url)
    page.get_by_role("button", name="Record attendance").first.click()
    choose(page, "Grace Adeyemi, Metropolitan Police Service", "Apologies")
    page.get_by_label("Deputy for Grace Adeyemi, Metropolitan Police Service").fill("DS Alex Moran")
    page.get_by_label("Deputy's agency, for Grace Adeyemi, Metropolitan Police Service").select_option(
        label="Probation Service (London)"
    )
    page.get_by_label("Grace Adeyemi, Metropolitan Police Service: accepted the confidentiality statement").check()
    axe_check(page)
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("DS Alex Moran (Probation Service (London))")

    page.get_by_role("button", name="Record attendance").first.click()
    page.get_by_role("link", name="Record a walk-in attendee").click()
    page.get_by_label("Name").fill("Sam Okafor")
    page.get_by_label("Agency").select_option(label="Metropolitan Police Service")
    page.get_by_label("Role").fill("Neighbourhood sergeant")
    page.get_by_label("Accepted the confidentiality statement").check()
    axe_check(page)
    page.get_by_role("button", name="Record attendee").click()
    expect(page.get_by_text("Sam Okafor recorded as attending.")).to_be_visible()
    page.goto(meeting_url)
    expect(page.locator("main")).to_contain_text("Sam Okafor, Neighbourhood sergeant (walked in)")
    expect(page.locator("main")).not_to_contain_text("Police is not represented")

    # The second case is not reached: the chair marks it not discussed, with the reason.
    page.get_by_role("link", name=second_reference, exact=True).click()
    page.get_by_role("link", name=re.compile("Mark as not discussed")).click()
    axe_check(page)
    page.get_by_label("Why was the case not discussed?").fill("Not reached: time ran out")
    page.get_by_role("button", name="Mark as not discussed").click()
    expect(page.get_by_text(f"{second_reference} marked as not discussed at this meeting.")).to_be_visible()
    agenda = page.get_by_role("table", name="Cases on the agenda")
    expect(agenda).to_contain_text("Not discussed")
    expect(agenda).to_contain_text("Not reached: time ran out")
