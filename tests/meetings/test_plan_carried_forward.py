"""A review still being prepared starts from the plan as last agreed, even when another meeting on the case
is held before it after the case went on its agenda (an emergency meeting, or an earlier meeting already
scheduled): parts not yet looked at take the newly agreed wording, parts already confirmed or changed are
shown with it and wait to be looked at again. Also run on PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import time, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.pages import page_text
from tests.posted import date_parts
from tracker.core.db import db
from tracker.core.timeutil import format_date, today_london
from tracker.meetings import plan
from tracker.meetings.models import Action, ActionStatus, AgendaItem, MeetingStatus, PlanOutcome, PlanPartKind
from tracker.minutes.models import MinutesStatus

from .conftest import approve_correction, move_meeting, post_confirming_warnings, start_correction

SUPERVISION = PlanPartKind.SUPERVISION
MONITORING = PlanPartKind.MONITORING_AND_CONTROL
NEW_SUPERVISION = "DEC4 SUPERVISION: weekly appointments and a curfew"


@pytest.fixture
def chair(factory):
    return factory.user("CHAIR", name="Daniel Price")


def _add(client, session, meeting, case) -> AgendaItem:
    url = f"/meetings/{meeting.id}/agenda/new"
    response = post_confirming_warnings(client, url, {"case_reference": case.reference, "purpose": "REVIEW"})
    assert response.status_code == 302, page_text(response)
    session.expire_all()
    return session.exec(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.case_id == case.id)
    ).one()


def _item_url(item: AgendaItem) -> str:
    return f"/meetings/{item.meeting_id}/agenda/{item.id}"


def _save_pillar(client, session, item: AgendaItem, kind: PlanPartKind, summary: str) -> None:
    entry = session.get(AgendaItem, item.id).entry_for(kind.pillar)
    response = client.post(
        f"{_item_url(item)}/pillars/{kind.slug}",
        data={"version": str(entry.version), "status": "ADDRESSED", "summary": summary},
    )
    assert response.status_code == 302, page_text(response)


def _part(session, item: AgendaItem, kind: PlanPartKind):
    session.expire_all()
    return session.get(AgendaItem, item.id).part_for(kind)


def _plan_text(client, item: AgendaItem) -> str:
    soup = BeautifulSoup(client.get(_item_url(item)).data, "html.parser")
    return soup.select_one("#plan-parts").get_text(" ", strip=True)


def _row(client, item: AgendaItem, kind: PlanPartKind) -> str:
    soup = BeautifulSoup(client.get(_item_url(item)).data, "html.parser")
    rows = soup.select("#plan-parts .govuk-summary-list__row")
    return next(r.get_text(" ", strip=True) for r in rows if r.dt.get_text().startswith(kind.label + ":"))


@pytest.fixture
def case_plan(client_as, factory, session, chair, clock) -> SimpleNamespace:
    """A case whose plan was agreed at a meeting held a month ago (approved minutes), and a review of it
    next week. `on_agenda(order)`: the review and an emergency meeting today, the case put on both (the
    review first, or the emergency meeting first: an earlier meeting already scheduled). The clock is at
    midday, so the emergency meeting (10:00) has started and can be recorded as held."""
    clock(today_london(), time(12, 0))
    first = factory.held_meeting(chair=chair, days_ago=30)
    factory.minutes(first, MinutesStatus.APPROVED)
    source = first.agenda_items[0]
    client = client_as(chair)
    review = factory.meeting(chair=chair, day=today_london() + timedelta(days=7), status=MeetingStatus.SCHEDULED)
    emergency = factory.meeting(chair=chair, day=today_london(), status=MeetingStatus.SCHEDULED)

    def on_agenda(review_first: bool):
        order = (review, emergency) if review_first else (emergency, review)
        items = {meeting.id: _add(client, session, meeting, source.case) for meeting in order}
        return items[review.id], items[emergency.id]

    return SimpleNamespace(
        client=client, first=first, source=source, review=review, emergency=emergency, on_agenda=on_agenda
    )


@pytest.mark.parametrize("review_first", [True, False], ids=["emergency-called-later", "earlier-already-scheduled"])
def test_a_review_starts_from_the_plan_agreed_at_a_meeting_held_before_it_after_it_was_prepared(
    session, case_plan, review_first
):
    client, first, emergency = case_plan.client, case_plan.first, case_plan.emergency
    later, sooner = case_plan.on_agenda(review_first)
    assert _part(session, later, SUPERVISION).carried_from_id == case_plan.source.id

    _save_pillar(client, session, sooner, SUPERVISION, NEW_SUPERVISION)
    assert client.post(f"/meetings/{emergency.id}/held", data={}).status_code == 302

    part = _part(session, later, SUPERVISION)
    assert part.carried_from_id == sooner.id and part.outcome is PlanOutcome.PENDING
    assert session.get(AgendaItem, later.id).entry_for(SUPERVISION.pillar).summary == NEW_SUPERVISION
    # A part the emergency meeting confirmed is carried from it too.
    assert _part(session, later, MONITORING).carried_from_id == sooner.id
    row = _row(client, later, SUPERVISION)
    assert NEW_SUPERVISION in row
    assert f"Last agreed: {emergency.reference}" in row
    assert first.reference not in _plan_text(client, later)
    # Nothing had been looked at yet, so nothing is said to have been agreed again after it.
    assert "agreed again" not in row


def test_a_part_the_review_had_already_confirmed_is_shown_with_the_new_wording_and_waits_again(
    session, case_plan
):
    client, emergency = case_plan.client, case_plan.emergency
    review_item, emergency_item = case_plan.on_agenda(True)
    url = _item_url(review_item)
    assert client.post(f"{url}/plan/supervision/confirm", data={}).status_code == 302
    _save_pillar(client, session, review_item, MONITORING, "Review's own monitoring")
    assert _part(session, review_item, SUPERVISION).outcome is PlanOutcome.CONFIRMED

    _save_pillar(client, session, emergency_item, SUPERVISION, NEW_SUPERVISION)
    assert client.post(f"/meetings/{emergency.id}/held", data={}).status_code == 302

    for kind in (SUPERVISION, MONITORING):
        part = _part(session, review_item, kind)
        assert part.outcome is PlanOutcome.PENDING and part.carried_from_id == emergency_item.id, kind
    held_on = format_date(today_london())
    supervision = _row(client, review_item, SUPERVISION)
    assert f"The plan was agreed again at {emergency.reference} on {held_on} after this review had looked" in supervision
    assert f"Newly agreed at {emergency.reference} on {held_on}: Addressed: {NEW_SUPERVISION}" in supervision
    assert "Prepared for this meeting: Addressed: Plan for supervision" in supervision
    monitoring = _row(client, review_item, MONITORING)
    assert "Prepared for this meeting: Addressed: Review's own monitoring" in monitoring
    # The review's own wording is not overwritten, and its minutes cannot be approved until it is looked at.
    item = session.get(AgendaItem, review_item.id)
    assert item.entry_for(MONITORING.pillar).summary == "Review's own monitoring"
    assert {SUPERVISION, MONITORING} <= set(plan.pending(item))

    # Confirming now confirms the newly agreed wording.
    assert client.post(f"{url}/plan/supervision/confirm", data={"carried_from": str(emergency_item.id)}).status_code == 302
    part = _part(session, review_item, SUPERVISION)
    assert part.outcome is PlanOutcome.CONFIRMED
    assert session.get(AgendaItem, review_item.id).entry_for(SUPERVISION.pillar).summary == NEW_SUPERVISION
    # Saving the review's own wording again records it as a change to the plan as now agreed.
    _save_pillar(client, session, review_item, MONITORING, "Review's own monitoring")
    assert _part(session, review_item, MONITORING).outcome is PlanOutcome.CHANGED
    assert "Previous wording of monitoring and control Addressed: Plan for monitoring and control" in _row(
        client, review_item, MONITORING
    )


def test_a_confirmation_from_a_page_shown_before_the_plan_was_agreed_again_is_refused(session, case_plan):
    client, emergency, source = case_plan.client, case_plan.emergency, case_plan.source
    review_item, emergency_item = case_plan.on_agenda(True)
    _save_pillar(client, session, emergency_item, SUPERVISION, NEW_SUPERVISION)
    assert client.post(f"/meetings/{emergency.id}/held", data={}).status_code == 302

    response = client.post(
        f"{_item_url(review_item)}/plan/supervision/confirm", data={"carried_from": str(source.id)}, follow_redirects=True
    )
    assert "was agreed again at another meeting since the page was shown" in page_text(response)
    assert _part(session, review_item, SUPERVISION).outcome is PlanOutcome.PENDING


def test_a_meeting_held_before_a_later_held_meeting_does_not_become_the_source(
    client_as, factory, session, case_plan, chair
):
    """The source is the latest meeting held before the review: recording an older meeting as held later
    changes nothing for a review that already starts from a newer one."""
    client, case = case_plan.client, case_plan.source.case
    older = factory.meeting(chair=chair, day=today_london() - timedelta(days=20), status=MeetingStatus.SCHEDULED)
    older_item = _add(client, session, older, case)
    newer = factory.meeting(chair=chair, day=today_london() - timedelta(days=10), status=MeetingStatus.SCHEDULED)
    newer_item = _add(client, session, newer, case)
    _save_pillar(client, session, newer_item, SUPERVISION, "Agreed ten days ago")
    assert client.post(f"/meetings/{newer.id}/held", data={}).status_code == 302
    review_item = _add(client, session, case_plan.review, case)
    assert _part(session, review_item, SUPERVISION).carried_from_id == newer_item.id

    _save_pillar(client, session, older_item, SUPERVISION, "Agreed twenty days ago")
    assert client.post(f"/meetings/{older.id}/held", data={}).status_code == 302

    assert _part(session, review_item, SUPERVISION).carried_from_id == newer_item.id
    assert session.get(AgendaItem, review_item.id).entry_for(SUPERVISION.pillar).summary == "Agreed ten days ago"


def test_wording_a_held_meeting_takes_from_one_recorded_before_it_reaches_the_reviews_after_it(
    client_as, factory, session, case_plan, chair
):
    """The newer meeting had not looked at monitoring, so it takes what the older one (recorded late)
    agreed; the review that starts from the newer meeting takes it in turn, so what its chair sees and
    confirms is the plan as it now stands."""
    client, case = case_plan.client, case_plan.source.case
    older = factory.meeting(chair=chair, day=today_london() - timedelta(days=20), status=MeetingStatus.SCHEDULED)
    older_item = _add(client, session, older, case)
    newer = factory.meeting(chair=chair, day=today_london() - timedelta(days=10), status=MeetingStatus.SCHEDULED)
    newer_item = _add(client, session, newer, case)
    assert client.post(f"/meetings/{newer.id}/held", data={}).status_code == 302
    review_item = _add(client, session, case_plan.review, case)

    _save_pillar(client, session, older_item, MONITORING, "Agreed twenty days ago: a GPS tag")
    assert client.post(f"/meetings/{older.id}/held", data={}).status_code == 302

    for item in (newer_item, review_item):
        assert session.get(AgendaItem, item.id).entry_for(MONITORING.pillar).summary == (
            "Agreed twenty days ago: a GPS tag"
        ), item.meeting_id
    assert _part(session, review_item, MONITORING).carried_from_id == newer_item.id
    assert "Agreed twenty days ago: a GPS tag" in _row(client, review_item, MONITORING)


def test_a_meeting_brought_in_from_the_area_s_records_is_not_where_the_plan_was_last_agreed(
    client_as, factory, session, case_plan, chair
):
    """An imported meeting brings its level decision and actions, not a plan: the review keeps the plan
    from the meeting that agreed one, and a case put on an agenda afterwards starts from it too."""
    client, case, source = case_plan.client, case_plan.source.case, case_plan.source
    review_item = _add(client, session, case_plan.review, case)
    imported = factory.meeting(
        chair=chair, day=today_london() - timedelta(days=10), status=MeetingStatus.HELD, imported=True
    )
    factory.agenda_item(imported, case)
    with factory.app.app_context():  # as the import does, once the meetings are in
        plan.carry_forward_many([case.id])
        db.session.commit()

    for item in (review_item, _add(client, session, case_plan.emergency, case)):
        assert _part(session, item, SUPERVISION).carried_from_id == source.id
        assert session.get(AgendaItem, item.id).entry_for(SUPERVISION.pillar).summary == "Plan for supervision"
    history = BeautifulSoup(client.get(f"/cases/{case.id}").data, "html.parser")
    assert imported.reference not in history.select_one('[data-part="supervision"]').get_text(" ", strip=True)


def test_approved_minutes_of_a_later_meeting_stay_as_they_were(client_as, factory, session, case_plan, chair):
    """A meeting held after the one recorded late has a frozen record: it keeps the plan it reviewed."""
    client, case, source = case_plan.client, case_plan.source.case, case_plan.source
    late = factory.meeting(chair=chair, day=today_london() - timedelta(days=20), status=MeetingStatus.SCHEDULED)
    late_item = _add(client, session, late, case)
    held = factory.meeting(chair=chair, day=today_london() - timedelta(days=10), status=MeetingStatus.SCHEDULED)
    held_item = _add(client, session, held, case)
    assert client.post(f"/meetings/{held.id}/held", data={}).status_code == 302
    # held_item still carries the plan from the first meeting, untouched; its minutes are approved.
    session.expire_all()
    factory.minutes(session.get(type(held), held.id), MinutesStatus.APPROVED)
    frozen_record = session.execute(
        sa.text("SELECT record FROM minutes_version v JOIN minutes m ON m.id = v.minutes_id WHERE m.meeting_id = :id"),
        {"id": held.id},
    ).scalar_one()

    _save_pillar(client, session, late_item, SUPERVISION, NEW_SUPERVISION)
    assert client.post(f"/meetings/{late.id}/held", data={}).status_code == 302

    part = _part(session, held_item, SUPERVISION)
    assert part.carried_from_id == source.id
    assert session.get(AgendaItem, held_item.id).entry_for(SUPERVISION.pillar).summary == "Plan for supervision"
    assert session.execute(
        sa.text("SELECT record FROM minutes_version v JOIN minutes m ON m.id = v.minutes_id WHERE m.meeting_id = :id"),
        {"id": held.id},
    ).scalar_one() == frozen_record


def test_a_correction_that_changes_a_part_the_review_confirmed_makes_it_wait_again(session, case_plan):
    client, first, source = case_plan.client, case_plan.first, case_plan.source
    review_item = _add(client, session, case_plan.review, source.case)
    url = _item_url(review_item)
    for slug in ("supervision", "monitoring-and-control"):
        assert client.post(f"{url}/plan/{slug}/confirm", data={}).status_code == 302

    start_correction(client, session, first, "The plan was recorded wrongly")
    _save_pillar(client, session, source, SUPERVISION, "Fortnightly, corrected")
    # A draft: nothing is agreed again yet.
    assert _part(session, review_item, SUPERVISION).outcome is PlanOutcome.CONFIRMED
    assert "Fortnightly, corrected" not in _row(client, review_item, SUPERVISION)
    assert approve_correction(client, session, first).status_code == 302

    # Supervision was changed by the correction: the review looks at it again. Monitoring was not.
    assert _part(session, review_item, SUPERVISION).outcome is PlanOutcome.PENDING
    assert _part(session, review_item, MONITORING).outcome is PlanOutcome.CONFIRMED
    row = _row(client, review_item, SUPERVISION)
    assert f"The plan was agreed again at {first.reference}" in row
    assert "Fortnightly, corrected" in row


def test_a_part_the_review_confirmed_as_the_new_meeting_then_agreed_it_stays_confirmed(session, case_plan):
    """Nothing to look at again: the review settled on the wording the plan now has."""
    client, emergency = case_plan.client, case_plan.emergency
    review_item, emergency_item = case_plan.on_agenda(True)
    interventions = PlanPartKind.INTERVENTIONS_AND_TREATMENT
    assert client.post(f"{_item_url(review_item)}/plan/{interventions.slug}/confirm", data={}).status_code == 302
    _save_pillar(client, session, emergency_item, SUPERVISION, NEW_SUPERVISION)
    assert client.post(f"/meetings/{emergency.id}/held", data={}).status_code == 302

    part = _part(session, review_item, interventions)
    assert part.outcome is PlanOutcome.CONFIRMED and part.carried_from_id == emergency_item.id
    assert interventions not in plan.pending(session.get(AgendaItem, review_item.id))
    row = _row(client, review_item, interventions)
    assert "agreed again" not in row


def test_a_review_moved_after_a_meeting_held_on_the_case_starts_from_its_plan(
    client_as, factory, session, case_plan, chair
):
    """The review still to come was dated before another meeting on the case; moved after it (once that
    meeting is held), it starts from the plan agreed there."""
    client, case = case_plan.client, case_plan.source.case
    behind = factory.meeting(chair=chair, day=today_london() - timedelta(days=5), status=MeetingStatus.SCHEDULED)
    review_item = _add(client, session, behind, case)
    held = factory.meeting(chair=chair, day=today_london() - timedelta(days=3), status=MeetingStatus.SCHEDULED)
    held_item = _add(client, session, held, case)
    _save_pillar(client, session, held_item, SUPERVISION, NEW_SUPERVISION)
    assert client.post(f"/meetings/{held.id}/held", data={}).status_code == 302
    assert _part(session, review_item, SUPERVISION).carried_from_id == case_plan.source.id

    moved = move_meeting(client, session, behind, chair, today_london() + timedelta(days=3))
    assert moved.status_code == 302, page_text(moved)
    part = _part(session, review_item, SUPERVISION)
    assert part.carried_from_id == held_item.id and part.outcome is PlanOutcome.PENDING
    assert session.get(AgendaItem, review_item.id).entry_for(SUPERVISION.pillar).summary == NEW_SUPERVISION


def test_risk_factors_ending_with_a_full_stop_are_not_given_a_second_one(factory):
    from tracker.meetings import plan
    from tracker.meetings.models import Imminence, PlanPartKind, RiskLevel

    risks = dict.fromkeys(plan.RISK_COLUMNS, RiskLevel.LOW)
    item = factory.agenda_item(
        factory.meeting(), factory.case(), **risks, imminence=Imminence.NOT_IMMINENT, risk_notes="Access to children."
    )
    assert "Risk factors: Access to children" in plan.wording(item, PlanPartKind.RISK_ASSESSMENT)
    assert ".." not in plan.wording(item, PlanPartKind.RISK_ASSESSMENT)


def _abandon_correction(client, session, meeting) -> None:
    version = session.execute(
        sa.text("SELECT version FROM minutes WHERE meeting_id = :id"), {"id": meeting.id}
    ).scalar_one()
    response = client.post(f"/meetings/{meeting.id}/minutes/abandon-correction", data={"version": str(version)})
    assert response.status_code == 302


def test_the_meeting_page_says_how_many_pillars_carried_forward_wait_to_be_confirmed(session, case_plan):
    """A review opens with the last plan's wording for the Four Pillars: the meeting page counts none of
    them complete until confirmed or changed, and says that they are carried and wait for that."""
    client, source = case_plan.client, case_plan.source
    review_item = _add(client, session, case_plan.review, source.case)
    row = BeautifulSoup(client.get(f"/meetings/{case_plan.review.id}").data, "html.parser")
    cell = row.select_one(".app-pillars-to-confirm")
    assert cell is not None and cell.get_text(strip=True) == "4 carried from the last plan, to confirm or change"
    assert client.post(f"{_item_url(review_item)}/plan/supervision/confirm", data={}).status_code == 302
    row = BeautifulSoup(client.get(f"/meetings/{case_plan.review.id}").data, "html.parser")
    assert "1 of 4 complete" in row.get_text(" ", strip=True)
    assert row.select_one(".app-pillars-to-confirm").get_text(strip=True).startswith("3 carried")


def test_the_case_page_warns_while_a_meeting_on_the_case_has_its_minutes_corrected(session, case_plan):
    """What a meeting under correction decided is shown as approved, and the case page says a correction
    is under way, naming the meeting, and says nothing once the correction is abandoned."""
    client, first, source = case_plan.client, case_plan.first, case_plan.source
    warning = (
        f"The minutes of {first.reference} are being corrected. What that meeting decided about this case "
        "(its level, plan, Four Pillars and actions) is shown as approved"
    )

    def case_warnings() -> list[str]:
        response = client.get(f"/cases/{source.case_id}")
        assert response.status_code == 200
        soup = BeautifulSoup(response.data, "html.parser")
        return [w.get_text(" ", strip=True) for w in soup.select(".app-case-correcting")]

    assert case_warnings() == []
    assert start_correction(client, session, first, "Supervision recorded wrongly").status_code == 302
    (shown,) = case_warnings()
    assert warning in shown
    _abandon_correction(client, session, first)
    assert case_warnings() == []


def test_a_review_during_a_correction_is_shown_the_approved_plan_and_its_confirmation_stands_if_abandoned(
    session, case_plan
):
    """The correction's wording is a draft: a review prepared meanwhile is shown the plan as approved, with
    a warning that it may still change; abandoning the correction leaves what the review confirmed (and,
    held meanwhile, its minutes) as they were."""
    client, first, source, emergency = case_plan.client, case_plan.first, case_plan.source, case_plan.emergency
    review_item = _add(client, session, emergency, source.case)
    assert start_correction(client, session, first, "Supervision recorded wrongly").status_code == 302
    _save_pillar(client, session, source, SUPERVISION, "CORRECTION-DRAFT supervision")

    row = _row(client, review_item, SUPERVISION)
    assert "CORRECTION-DRAFT" not in row and "Addressed: Plan for supervision" in row
    correcting = f"The minutes of {first.reference} are being corrected, so this wording, as approved, may still change"
    assert correcting in row
    assert client.post(f"{_item_url(review_item)}/plan/supervision/confirm", data={}).status_code == 302
    assert client.post(f"/meetings/{emergency.id}/held", data={}).status_code == 302
    assert _part(session, review_item, SUPERVISION).outcome is PlanOutcome.CONFIRMED

    _abandon_correction(client, session, first)

    part = _part(session, review_item, SUPERVISION)
    assert part.outcome is PlanOutcome.CONFIRMED and part.carried_from_id == source.id
    row = _row(client, review_item, SUPERVISION)
    assert "withdrawn" not in row and "agreed again" not in row and "are being corrected" not in row
    assert SUPERVISION not in plan.pending(session.get(AgendaItem, review_item.id))
    assert session.get(AgendaItem, review_item.id).entry_for(SUPERVISION.pillar).summary == "Plan for supervision"


def test_a_change_a_held_review_made_stays_its_own_when_an_earlier_correction_is_abandoned(session, case_plan):
    client, first, source, emergency = case_plan.client, case_plan.first, case_plan.source, case_plan.emergency
    review_item = _add(client, session, emergency, source.case)
    assert start_correction(client, session, first, "Supervision recorded wrongly").status_code == 302
    _save_pillar(client, session, source, SUPERVISION, "CORRECTION-DRAFT supervision")
    _save_pillar(client, session, review_item, SUPERVISION, "The review's own supervision")
    assert client.post(f"/meetings/{emergency.id}/held", data={}).status_code == 302
    _abandon_correction(client, session, first)

    part = _part(session, review_item, SUPERVISION)
    assert part.outcome is PlanOutcome.CHANGED
    assert session.get(AgendaItem, review_item.id).entry_for(SUPERVISION.pillar).summary == (
        "The review's own supervision"
    )


def _held_with_case(client, session, factory, chair, case, days_ago: int) -> AgendaItem:
    meeting = factory.meeting(
        chair=chair, day=today_london() - timedelta(days=days_ago), status=MeetingStatus.SCHEDULED
    )
    item = _add(client, session, meeting, case)
    assert client.post(f"/meetings/{meeting.id}/held", data={}).status_code == 302
    return item


def test_the_plan_a_later_approved_meeting_started_from_is_not_changed_at_the_earlier_one(
    factory, session, case_plan, chair
):
    """An earlier meeting's record still open (minutes not approved) may not change the plan a later
    meeting carried from it once that meeting's minutes are approved: its minutes confirm or change the
    wording the earlier one left, and would contradict it. Its minutes are corrected first."""
    client, case = case_plan.client, case_plan.source.case
    earlier = _held_with_case(client, session, factory, chair, case, days_ago=20)
    later = _held_with_case(client, session, factory, chair, case, days_ago=10)
    assert _part(session, later, SUPERVISION).carried_from_id == earlier.id
    # While the later meeting's minutes are a draft, the change is made and carried to it.
    _save_pillar(client, session, earlier, MONITORING, "GPS tag fitted; curfew 9pm to 7am")
    assert session.get(AgendaItem, later.id).entry_for(MONITORING.pillar).summary.startswith("GPS tag")
    factory.minutes(session.get(type(later.meeting), later.meeting_id), MinutesStatus.APPROVED)
    session.expire_all()
    earlier = session.get(AgendaItem, earlier.id)
    url = _item_url(earlier)
    wording = {entry.pillar: entry.summary for entry in earlier.pillar_entries}
    risk = (earlier.risk_to_children, earlier.contingency_plan, earlier.version)
    later_meeting = session.get(AgendaItem, later.id).meeting
    shown = BeautifulSoup(client.get(url).data, "html.parser")
    assert f"carried forward to {later_meeting.reference}" in shown.select_one("#plan-closed").get_text()
    assert not shown.select(f'a[href$="/pillars/{SUPERVISION.slug}"]') and not shown.select('a[href$="/risk"]')
    said = (
        f"The plan for {case.reference} (supervision) was carried forward from this meeting to "
        f"{later_meeting.reference} on {format_date(later_meeting.starts_at)}, whose minutes are approved"
    )

    entry = earlier.entry_for(SUPERVISION.pillar)
    changed = {"version": str(entry.version), "status": "ADDRESSED", "summary": "Daily reporting"}
    response = client.post(f"{url}/pillars/{SUPERVISION.slug}", data=changed)
    assert response.status_code == 302
    assert said in page_text(client.get(response.location))
    assert client.get(f"{url}/pillars/{SUPERVISION.slug}").status_code == 302  # not offered either
    risk_form = {
        "version": str(earlier.version),
        **dict.fromkeys(
            (
                "risk_to_children",
                "risk_to_public",
                "risk_to_known_adult",
                "risk_to_staff",
                "risk_to_prisoners",
            ),
            "VERY_HIGH",
        ),
        "imminence": "IMMINENT",
        "assessment_tool": "OASys",
        "assessed_on": date_parts(today_london() - timedelta(days=20)),
    }
    response = client.post(f"{url}/risk", data=risk_form)
    assert "whose minutes are approved" in page_text(client.get(response.location))
    assert client.get(f"{url}/risk").status_code == 302
    client.post(f"{url}/plan/{SUPERVISION.slug}/confirm", data={})
    session.expire_all()
    earlier = session.get(AgendaItem, earlier.id)
    assert {entry.pillar: entry.summary for entry in earlier.pillar_entries} == wording
    assert (earlier.risk_to_children, earlier.contingency_plan, earlier.version) == risk


@pytest.mark.parametrize("held", [False, True], ids=["review-to-come", "review-held-meanwhile"])
def test_a_review_that_confirmed_the_plan_during_a_correction_looks_again_once_it_is_approved(
    session, case_plan, held
):
    """The review confirmed the approved wording while the correction was a draft; once the correction is
    approved, the part it changed is the plan agreed again: the review is shown the new wording and waits
    for it to be confirmed (held meanwhile, its minutes wait for that too)."""
    client, first, source = case_plan.client, case_plan.first, case_plan.source
    meeting = case_plan.emergency if held else case_plan.review
    review_item = _add(client, session, meeting, source.case)
    assert start_correction(client, session, first, "Supervision recorded wrongly").status_code == 302
    _save_pillar(client, session, source, SUPERVISION, "CORRECTED supervision")
    assert client.post(f"{_item_url(review_item)}/plan/supervision/confirm", data={}).status_code == 302
    if held:
        assert client.post(f"/meetings/{meeting.id}/held", data={}).status_code == 302
    for page in (_item_url(review_item), f"{_item_url(review_item)}/pillars/supervision"):
        assert "CORRECTED supervision" not in page_text(client.get(page)), page

    assert approve_correction(client, session, first).status_code == 302

    part = _part(session, review_item, SUPERVISION)
    assert part.outcome is PlanOutcome.PENDING and part.carried_from_id == source.id
    assert SUPERVISION in plan.pending(session.get(AgendaItem, review_item.id))
    row = _row(client, review_item, SUPERVISION)
    assert f"The plan was agreed again at {first.reference}" in row
    assert "CORRECTED supervision" in row


def test_actions_a_later_approved_meeting_reviewed_are_not_changed_at_the_earlier_one(
    factory, session, case_plan, chair
):
    """The later meeting reviewed the open actions agreed before it, and its approved minutes list them
    (or say there were none): an action added, changed or taken off at the earlier meeting afterwards
    would make the records disagree. While the later minutes are a draft, it is allowed."""
    client, case = case_plan.client, case_plan.source.case
    earlier = _held_with_case(client, session, factory, chair, case, days_ago=20)
    later = _held_with_case(client, session, factory, chair, case, days_ago=10)
    owner = factory.user("PRACTITIONER")
    url = f"{_item_url(earlier)}/actions"
    agreed = {
        "pillar": "SUPERVISION",
        "description": "Weekly reporting to the probation officer",
        "owner_agency_id": str(owner.agency_id),
        "owner_id": str(owner.id),
        "due_on": date_parts(today_london() + timedelta(days=14)),
    }
    assert client.post(f"{url}/new", data=agreed).status_code == 302  # the later minutes are a draft
    action = session.exec(select(Action).where(Action.agenda_item_id == earlier.id)).one()
    factory.minutes(session.get(type(later.meeting), later.meeting_id), MinutesStatus.APPROVED)
    later_reference = session.get(AgendaItem, later.id).meeting.reference

    response = client.post(f"{url}/new", data={**agreed, "description": "Added after the review"})
    assert response.status_code == 302
    assert f"were reviewed at {later_reference}" in page_text(client.get(response.location))
    assert client.get(f"{url}/new").status_code == 302  # not offered either
    changed = {**agreed, "description": "Changed after the review"}
    client.post(f"{url}/{action.id}/edit", data=changed)
    client.post(f"{url}/{action.id}/remove", data={})
    session.expire_all()
    rows = session.exec(select(Action).where(Action.agenda_item_id == earlier.id)).all()
    assert [(a.description, a.status) for a in rows] == [(agreed["description"], ActionStatus.OPEN)]
    shown = BeautifulSoup(client.get(_item_url(earlier)).data, "html.parser")
    assert shown.select_one("#actions-closed") is not None
    assert not shown.select('a[href*="/actions/new"]')
