"""The case's risk management plan through two meetings: the first builds it and its minutes are
approved; the second opens with that plan, the chair changes one pillar and confirms the rest, and its
approved minutes say which part changed; the case page shows both versions."""

import re
from datetime import time, timedelta

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import axe_check, confirm_if_warned, sign_in_as
from tests.browser.test_meetings import choose, fill_date, fill_meeting, fill_referral, record_risk, sign_out
from tracker.core.timeutil import today_london

pytestmark = pytest.mark.browser

PILLARS = {
    "supervision": "Weekly reporting to the probation officer.",
    "monitoring and control": "Monthly police home visits.",
    "interventions and treatment": "Accredited programme from next month.",
    "victim safety planning": "Victim liaison officer in touch; no-contact condition.",
}


def schedule(page: Page, case: str, starts: str, ends: str) -> tuple[str, str]:
    page.goto("/meetings/new")
    fill_meeting(page, "Review", starts, ends, "MAPPA Unit, Room 5")
    page.get_by_role("button", name="Schedule meeting").click()
    expect(page.get_by_text("Now add the cases to its agenda")).to_be_visible()
    meeting_url = page.url
    reference = page.get_by_role("heading", level=1).inner_text().split()[0]
    page.get_by_role("button", name="Add a case to the agenda").click()
    page.get_by_label("MAPPA reference of the case").fill(case)
    page.get_by_role("button", name="Add to agenda").click()
    # A warning may come first (another scheduled meeting, the purpose): confirm it.
    confirm_if_warned(page, "Add to agenda", page.get_by_role("table", name="Cases on the agenda"))
    expect(page.get_by_role("table", name="Cases on the agenda")).to_contain_text(case)
    return meeting_url, reference


def decide_hold_and_submit(page: Page, meeting_url: str) -> None:
    today = today_london()
    page.get_by_role("button", name="Record the level decision and next review").click()
    choose(page, "Level decision", "Retain at the current level")
    page.get_by_label("Rationale").fill("The plan manages the risk; multi-agency work is still needed.")
    fill_date(page, "Next review date", today + timedelta(days=14))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Level decision and next review saved")).to_be_visible()
    page.goto(meeting_url)
    page.get_by_role("button", name="Record the meeting as held").click()
    expect(page.get_by_text("recorded as held")).to_be_visible()
    page.goto(meeting_url + "/minutes")
    page.get_by_role("button", name=re.compile("Write the minutes|Change the draft")).click()
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("The draft minutes have been saved.")).to_be_visible()
    page.goto(meeting_url + "/minutes")
    page.get_by_role("button", name="Submit to the chair for approval").click()
    expect(page.get_by_text("The minutes have been submitted to the chair for approval.")).to_be_visible()


def approve(page: Page, meeting_url: str) -> None:
    page.goto(meeting_url + "/minutes")
    page.get_by_role("button", name="Approve the minutes").click()
    expect(page.get_by_text("You have approved the minutes.")).to_be_visible()
    axe_check(page)


def test_a_plan_is_built_approved_carried_to_the_next_review_and_changed(page, clock):
    today = today_london()
    clock(today, time(23, 59))  # the meetings this evening have started by the time they are held
    case = f"LDN-PLAN-{today:%m%d}"

    # The administrator refers a case and runs its first meeting, which builds the plan.
    sign_in_as(page, "administrator")
    page.goto("/cases/new")
    fill_referral(page, case, "Owen Planwright", 35)
    page.get_by_role("button", name="Refer case").click()
    first, first_reference = schedule(page, case, "21:00", "21:30")
    page.get_by_role("link", name=case, exact=True).click()
    for pillar, summary in PILLARS.items():
        page.get_by_role("link", name=f"Record {pillar}").click()
        choose(page, "Status", "Addressed")
        page.get_by_label("Summary of the plan").fill(summary)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text(summary).first).to_be_visible()
    page.get_by_role("button", name="Record the risk assessment").click()
    levels = dict.fromkeys(("Children", "The public", "A known adult", "Staff", "Prisoners"), "Medium")
    contingency = "Any breach is reported to police at once."
    record_risk(page, levels, "Could happen if circumstances change", contingency, today)
    expect(page.get_by_text("Risk assessment saved")).to_be_visible()
    decide_hold_and_submit(page, first)
    sign_out(page)

    # The chair approves the first meeting's minutes: its record is now frozen.
    sign_in_as(page, "chair")
    approve(page, first)
    page.goto(first)
    expect(page.locator("#record-frozen")).to_contain_text("make a correction to the minutes")
    sign_out(page)

    # The second meeting opens with the plan from the first, each part labelled where it was agreed.
    sign_in_as(page, "administrator")
    second, _second_reference = schedule(page, case, "22:00", "22:30")
    page.get_by_role("link", name=case, exact=True).click()
    plan = page.locator("#plan-parts")
    expect(plan).to_contain_text("Monitoring and control: not yet confirmed or changed Addressed: Monthly")
    expect(plan).to_contain_text(f"Last agreed: {first_reference}")
    axe_check(page)
    # The chair changes one pillar ...
    page.get_by_role("link", name="Record monitoring and control").click()
    page.get_by_label("Summary of the plan").fill("Fortnightly police home visits and a GPS tag.")
    page.get_by_role("button", name="Save").click()
    expect(plan).to_contain_text("Monitoring and control: changed Addressed: Fortnightly police home visits")
    # ... and confirms every other part as it stands.
    for part in (
        "risk assessment",
        "supervision",
        "interventions and treatment",
        "victim safety planning",
        "contingency plan",
        "licence or order conditions",
    ):
        page.get_by_role("button", name=f"Confirm {part}").click()
        expect(page.get_by_text(re.compile(r": confirmed for "))).to_be_visible()
    expect(plan).not_to_contain_text("not yet confirmed")
    axe_check(page)
    decide_hold_and_submit(page, second)
    sign_out(page)

    # The chair approves; the minutes say which part changed, with the wording it replaced.
    sign_in_as(page, "chair")
    approve(page, second)
    changes = page.locator(".app-plan-changes")
    expect(changes).to_contain_text("Monitoring and control: changed")
    expect(changes).to_contain_text("Supervision: confirmed")
    expect(changes).to_contain_text("Risk assessment: confirmed")
    changes.get_by_text("Previous wording").click()
    expect(changes).to_contain_text("Addressed: Monthly police home visits.")

    # The case page shows both versions of the pillar.
    page.goto(second)
    page.get_by_role("link", name=case, exact=True).click()
    page.get_by_role("link", name="See the case").click()
    history = page.locator('[data-part="monitoring-and-control"]')
    expect(history).to_contain_text("(changed): Addressed: Fortnightly police home visits and a GPS tag.")
    expect(history).to_contain_text("(agreed): Addressed: Monthly police home visits.")
    axe_check(page)
