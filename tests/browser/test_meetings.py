"""Journeys through a meeting: the administrator refers a case, schedules a meeting, builds its agenda,
invites agencies and records attendance; the chair records the Four Pillars, risk, actions, the level
decision and the next review; the dashboard then shows the next deadline."""

import re
from datetime import time, timedelta
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_check, choose_chair, sign_in_as
from tracker.core.timeutil import today_london

pytestmark = pytest.mark.browser


def fill_date(page: Page, legend: str, day) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def choose(page: Page, legend: str, option: str) -> None:
    page.get_by_role("group", name=legend).get_by_label(option, exact=True).check()


def record_risk(page: Page, levels: dict[str, str], imminence: str, contingency: str, day) -> None:
    """Fill in the risk assessment (each group's level, imminence, the contingency plan, OASys on the day) and
    save it."""
    for group, level in levels.items():
        choose(page, group, level)
    page.get_by_label(imminence).check()
    page.get_by_label("Contingency plan").fill(contingency)
    choose(page, "Assessment tool", "OASys")
    fill_date(page, "Date of the assessment", day)
    axe_check(page)
    page.get_by_role("button", name="Save").click()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def fill_referral(page: Page, reference: str, name: str, age: int) -> None:
    """The referral form for a Category 2, Level 2 case referred today, led by Probation in Camden."""
    today = today_london()
    page.get_by_label("MAPPA reference").fill(reference)
    page.get_by_label("Full name").fill(name)
    fill_date(page, "Date of birth", today.replace(year=today.year - age))
    page.get_by_label("Category 2: Violent offenders", exact=False).check()
    choose(page, "Level", "Level 2")
    fill_date(page, "Date referred", today)
    page.get_by_label("Lead agency").select_option(label="Probation Service (London)")
    page.get_by_label("Borough").fill("Camden")


def fill_meeting(page: Page, kind: str, starts: str, ends: str, venue: str, chair: str = "Daniel Price") -> None:
    """The form for a Level 2 meeting of the given type today."""
    choose(page, "Level", "Level 2")
    choose(page, "Type of meeting", kind)
    fill_date(page, "Date", today_london())
    page.get_by_label("Start time").fill(starts)
    page.get_by_label("End time").fill(ends)
    page.get_by_label("Venue").fill(venue)
    choose_chair(page, chair)


def test_a_meeting_from_referral_to_next_review(page, clock):
    today = today_london()
    clock(today, time(23, 59))  # the meeting this evening has started by the time it is recorded as held
    reference = f"LDN-JOURNEY-{today:%m%d}"

    # The administrator refers a case.
    sign_in_as(page, "administrator")
    page.get_by_role("link", name="Cases", exact=True).click()
    axe_check(page)
    page.get_by_role("button", name="Refer a case").click()
    fill_referral(page, reference, "Victor Journeyman", 40)
    axe_check(page)
    page.get_by_role("button", name="Refer case").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{reference}: Victor Journeyman")
    axe_check(page)

    # ... schedules an initial meeting for today, which must end after it starts.
    page.get_by_role("link", name="Meetings", exact=True).click()
    axe_check(page)
    page.get_by_role("button", name="Schedule a meeting").click()
    fill_meeting(page, "Initial", "23:00", "22:00", "MAPPA Unit, Room 5")
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The end time must be after the start time")
    expect(page).to_have_title(re.compile(r"^Error: "))
    axe_check(page)
    page.get_by_label("End time").fill("23:45")
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.get_by_text("Now add the cases to its agenda")).to_be_visible()
    meeting_url = page.url
    axe_check(page)

    # ... builds the agenda.
    page.get_by_role("button", name="Add a case to the agenda").click()
    page.get_by_label("MAPPA reference of the case").fill(reference)
    page.get_by_label("Time slot starts").fill("23:00")
    page.get_by_label("Time slot ends").fill("23:30")
    axe_check(page)
    page.get_by_role("button", name="Add to agenda").click()
    expect(page.get_by_role("table", name="Cases on the agenda")).to_contain_text(reference)
    # A misclick on Remove only asks; Cancel leaves the case on the agenda.
    page.get_by_role("link", name=f"Remove {reference}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Are you sure you want to remove {reference} from the agenda of M-"
    )
    axe_check(page)
    page.get_by_role("link", name="Cancel").click()
    expect(page.get_by_role("table", name="Cases on the agenda")).to_contain_text(reference)

    # ... invites agencies: with only Police and Children's Social Care, Probation is missing.
    page.get_by_role("button", name="Invite agencies").click()
    page.get_by_label("Agency", exact=True).select_option(label="Metropolitan Police Service")
    page.get_by_label("Person").select_option(label="Grace Adeyemi (Metropolitan Police Service)")
    axe_check(page)
    page.get_by_role("button", name="Invite and add another").click()
    page.get_by_label("Agency", exact=True).select_option(label="Children's Social Care")
    page.get_by_role("button", name="Invite", exact=True).click()
    warnings = page.locator("main")
    expect(warnings).to_contain_text("Probation is not represented")
    axe_check(page)

    # ... invites housing by mistake, and takes the invitation off: Remove asks first.
    page.get_by_role("button", name="Invite agencies").click()
    page.get_by_label("Agency", exact=True).select_option(label="Local Housing Authority")
    page.get_by_role("button", name="Invite", exact=True).click()
    invited = page.get_by_role("table", name="Agencies and people invited")
    expect(invited).to_contain_text("Local Housing Authority")
    page.get_by_role("link", name="Remove Local Housing Authority").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Are you sure you want to remove the invitation of Local Housing Authority to M-"
    )
    axe_check(page)
    page.get_by_role("button", name="Yes, remove").click()
    expect(page.get_by_text("Invitation of Local Housing Authority removed.")).to_be_visible()
    expect(invited).not_to_contain_text("Local Housing Authority")

    # ... records attendance: the police officer sends apologies with no deputy, so Police is missing too.
    page.get_by_role("button", name="Record attendance").click()
    choose(page, "Grace Adeyemi, Metropolitan Police Service", "Apologies")
    choose(page, "Children's Social Care", "Present")
    axe_check(page)
    page.get_by_role("button", name="Save attendance").click()
    expect(warnings).to_contain_text("Police is not represented")
    expect(warnings).to_contain_text("Probation is not represented")
    sign_out(page)

    # The chair records the Four Pillars, risk, an action, the level decision and the next review.
    sign_in_as(page, "chair")
    page.goto(meeting_url)
    axe_check(page)
    page.get_by_role("link", name=reference, exact=True).click()
    axe_check(page)
    for pillar, summary in [
        ("supervision", "Weekly reporting to the probation officer."),
        ("monitoring and control", "Monthly police home visits."),
        ("interventions and treatment", "Accredited programme from next month."),
    ]:
        page.get_by_role("link", name=f"Record {pillar}").click()
        choose(page, "Status", "Addressed")
        page.get_by_label("Summary of the plan").fill(summary)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text(summary, exact=True)).to_be_visible()
    page.get_by_role("link", name="Record victim safety planning").click()
    choose(page, "Status", "Not applicable")
    axe_check(page)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why this pillar does not apply")
    page.get_by_label("Why it does not apply").fill("No identified victim or contact with children.")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Not applicable: No identified victim").first).to_be_visible()

    page.get_by_role("button", name="Record the risk assessment").click()
    levels = {"Children": "Medium", "The public": "High"}
    levels |= dict.fromkeys(("A known adult", "Staff", "Prisoners"), "Low")
    contingency = "Any breach is reported to police at once; recall considered."
    record_risk(page, levels, "Imminent: could happen at any time", contingency, today)
    expect(page.get_by_text("Risk assessment saved")).to_be_visible()

    page.get_by_role("button", name="Add an action", exact=True).click()
    page.get_by_label("Action", exact=True).fill("Confirm the approved premises placement")
    page.get_by_label("Pillar").select_option(label="Supervision")
    page.get_by_label("Owner agency").select_option(label="Probation Service (London)")
    page.get_by_label("Owner", exact=True).select_option(label="Marcus Reid (Probation Service (London))")
    fill_date(page, "Due date", today + timedelta(days=7))
    axe_check(page)
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_text("Confirm the approved premises placement").first).to_be_visible()

    page.get_by_role("button", name="Record the level decision and next review").click()
    choose(page, "Level decision", "Retain at the current level")
    page.get_by_label("Rationale").fill("The plan manages the risk; multi-agency work is still needed.")
    fill_date(page, "Next review date", today + timedelta(weeks=20))
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Level 2 cases are reviewed at least every 16 weeks"
    )
    axe_check(page)
    next_review = today + timedelta(days=10)
    fill_date(page, "Next review date", next_review)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Level decision and next review saved")).to_be_visible()

    page.get_by_role("link", name=re.compile(r"^Back to M-")).click()
    page.get_by_role("button", name="Record the meeting as held").click()
    expect(page.get_by_text("recorded as held")).to_be_visible()
    axe_check(page)

    # The dashboard now shows the case's next review as due soon, and the demo's overdue meeting.
    page.get_by_role("link", name="Home", exact=True).click()
    due_soon = page.locator("h2:has-text('Meetings due in the next') + ul")
    expect(due_soon).to_contain_text(f"{reference}: Review, Level 2, due {next_review:%-d %B %Y}")
    expect(page.locator("h2:has-text('Meetings overdue') + ul")).to_contain_text("LDN-2026-0106")
    axe_check(page)


def test_a_practitioner_replies_to_an_invitation_and_sees_no_category_4_case(page):
    sign_in_as(page, "practitioner")
    page.get_by_role("link", name="Meetings", exact=True).click()
    axe_check(page)
    page.get_by_role("link", name=re.compile(r"M-\d{4}-0105")).click()
    expect(page.get_by_role("table", name="Cases on the agenda")).to_contain_text("LDN-2026-0104")
    expect(page.get_by_role("table", name="Cases on the agenda")).not_to_contain_text("LDN-2026-0108")
    page.get_by_role("link", name="Reply to the invitation").click()
    choose(page, "Will you attend?", "No, I cannot attend")
    page.get_by_label("Deputy attending in your place").fill("DS Alex Moran")
    axe_check(page)
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_text("Your reply has been sent.")).to_be_visible()
    page.get_by_role("link", name="Actions", exact=True).click()
    expect(page.locator("table")).to_contain_text("Overdue")
    axe_check(page)
    # Every row's "Mark done" posts the page's one form to its own action, and comes back to the list.
    done = page.get_by_role("button", name=re.compile("^Mark done")).first
    description = done.locator(".govuk-visually-hidden").inner_text().removeprefix(": ")
    done.click()
    expect(page.get_by_text(f"Action marked as done: {description}")).to_be_visible()
    assert urlsplit(page.url).path == "/actions"
    page.get_by_label("Status").select_option(label="Done")
    page.get_by_role("button", name="Filter").click()
    expect(page.locator("table")).to_contain_text(description)


def test_meeting_pages_fit_a_phone_screen_with_wide_tables_scrolling_in_their_own_box(page):
    sign_in_as(page, "chair")
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto("/meetings?sort=reference&order=asc")
    page.get_by_role("link", name="M-2026-0101", exact=True).click()
    page.wait_for_url(re.compile(r"/meetings/\d+$"))  # the meeting's own address, not the list's
    visited = [urlsplit(page.url).path]
    for path in ("/meetings", "/cases", "/actions?owner=all", "/home"):
        page.goto(path)
        visited.append(path)
    for path in visited:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} is {width} px wide on a 375 px screen"
        axe_check(page)
    page.goto(visited[0])
    agenda = page.get_by_role("region", name="Cases on the agenda")
    assert agenda.evaluate("box => box.scrollWidth > box.clientWidth")
