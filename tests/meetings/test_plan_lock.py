"""The living plan stays locked where approved minutes started from it: a change at an older meeting is
refused when it would reach approved minutes through meetings in between (and deferring follows the rule
undoing a deferral does); a correction reopens the plan it started from only as part of it (abandoning it
is refused while a reopened meeting was changed meanwhile, and approving that meeting's minutes is refused
while they contradict the approved ones); a Confirm from a page shown before the wording changed is
refused. Also run on PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from bs4 import BeautifulSoup

from tests.pages import page_text
from tracker.core.timeutil import today_london
from tracker.meetings.models import AgendaItem, LevelDecision, Meeting, PlanOutcome, PlanPartKind
from tracker.minutes import checks
from tracker.minutes import record as records
from tracker.minutes.models import MinutesStatus

from . import test_plan_carried_forward as carried
from .conftest import approve_correction, start_correction
from .test_plan_carried_forward import _add, _held_with_case, _item_url, _part, _row, _save_pillar

case_plan, chair = carried.case_plan, carried.chair  # the fixtures

SUPERVISION = PlanPartKind.SUPERVISION
INTERVENTIONS = PlanPartKind.INTERVENTIONS_AND_TREATMENT


def _three_held(factory, session, case_plan, chair):
    """Three meetings on the case held after its first: the last one's minutes approved, the middle one
    having confirmed supervision as carried from the oldest."""
    client, case = case_plan.client, case_plan.source.case
    oldest = _held_with_case(client, session, factory, chair, case, days_ago=20)
    middle = _held_with_case(client, session, factory, chair, case, days_ago=15)
    last = _held_with_case(client, session, factory, chair, case, days_ago=10)
    assert client.post(f"{_item_url(middle)}/plan/supervision/confirm", data={}).status_code == 302
    assert client.post(f"{_item_url(last)}/plan/supervision/confirm", data={}).status_code == 302
    factory.minutes(session.get(Meeting, last.meeting_id), MinutesStatus.APPROVED)
    session.expire_all()
    return oldest, middle, last


def test_a_change_at_an_older_meeting_that_would_reach_approved_minutes_through_one_in_between_is_refused(
    factory, session, case_plan, chair
):
    client = case_plan.client
    oldest, middle, last = _three_held(factory, session, case_plan, chair)
    middle_ref = session.get(Meeting, middle.meeting_id).reference
    last_ref = session.get(Meeting, last.meeting_id).reference
    entry = session.get(AgendaItem, oldest.id).entry_for(SUPERVISION.pillar)

    response = client.post(
        f"{_item_url(oldest)}/pillars/supervision",
        data={"version": str(entry.version), "status": "ADDRESSED", "summary": "APRIL: Twice-weekly reporting"},
        follow_redirects=True,
    )

    said = page_text(response)
    assert f"was carried forward from this meeting, through {middle_ref}, to {last_ref}" in said
    assert "whose minutes are approved" in said
    session.expire_all()
    assert session.get(AgendaItem, oldest.id).entry_for(SUPERVISION.pillar).summary == "Plan for supervision"
    # The meeting in between keeps its confirmation, so its minutes can still be approved.
    assert _part(session, middle, SUPERVISION).outcome is PlanOutcome.CONFIRMED
    shown = BeautifulSoup(client.get(_item_url(oldest)).data, "html.parser").select_one("#plan-closed")
    assert f"carried forward, through {middle_ref}, to {last_ref}" in shown.get_text(" ", strip=True)


def test_deferring_an_older_meeting_s_case_is_refused_once_a_later_meeting_has_approved_minutes(
    factory, session, case_plan, chair
):
    client = case_plan.client
    oldest, middle, last = _three_held(factory, session, case_plan, chair)
    last_ref = session.get(Meeting, last.meeting_id).reference
    url = f"{_item_url(oldest)}/not-discussed"
    version = session.get(AgendaItem, oldest.id).version

    response = client.post(url, data={"version": str(version), "reason": "Not reached"}, follow_redirects=True)

    said = page_text(response)
    assert f"{last_ref}, a later meeting on {case_plan.source.case.reference}, has approved minutes" in said
    # A correction of those minutes does not release it (whether a case was discussed is not corrected).
    assert "can no longer be changed, not even by correcting those minutes" in said
    session.expire_all()
    assert session.get(AgendaItem, oldest.id).not_discussed_reason == ""
    assert _part(session, middle, SUPERVISION).outcome is PlanOutcome.CONFIRMED


def _abandon(client, session, meeting_id):
    version = session.execute(
        sa.text("SELECT version FROM minutes WHERE meeting_id = :id"), {"id": meeting_id}
    ).scalar_one()
    return client.post(
        f"/meetings/{meeting_id}/minutes/abandon-correction", data={"version": str(version)}, follow_redirects=True
    )


def _approval_problems(factory, meeting_id) -> list[str]:
    with factory.app.app_context():
        return checks.approval_problems(records.load_meeting(meeting_id))


def test_a_meeting_a_correction_reopened_changes_only_as_part_of_it(factory, session, case_plan, chair):
    """Correcting the approved minutes reopens the plan they started from; changed meanwhile, the earlier
    meeting's minutes wait for the correction, and abandoning it is refused (saying what to put back) until
    the wording is put back."""
    client = case_plan.client
    _oldest, middle, last = _three_held(factory, session, case_plan, chair)
    middle_meeting, last_meeting = session.get(Meeting, middle.meeting_id), session.get(Meeting, last.meeting_id)
    assert start_correction(client, session, last_meeting, "Supervision recorded wrongly").status_code == 302
    _save_pillar(client, session, middle, SUPERVISION, "JUNE CHANGED: daily reporting")

    problems = _approval_problems(factory, middle.meeting_id)
    assert any(
        f"the plan's supervision at this meeting no longer says what {last_meeting.reference}" in problem
        and "approve that correction first" in problem
        for problem in problems
    ), problems

    refused = page_text(_abandon(client, session, last.meeting_id))
    assert f"the plan for {case_plan.source.case.reference} at {middle_meeting.reference} was changed" in refused
    assert "Supervision: “Addressed: Plan for supervision”" in refused
    assert session.execute(
        sa.text("SELECT status FROM minutes WHERE meeting_id = :id"), {"id": last.meeting_id}
    ).scalar_one() == MinutesStatus.DRAFT.name

    # Put back, the correction can be abandoned, and the two records agree.
    session.expire_all()
    _save_pillar(client, session, middle, SUPERVISION, "Plan for supervision")
    assert "Version 1 stands" in page_text(_abandon(client, session, last.meeting_id))
    assert not [p for p in _approval_problems(factory, middle.meeting_id) if "no longer says" in p]


def test_approving_a_correction_looks_again_at_a_part_changed_at_the_meeting_it_reopened(
    factory, session, case_plan, chair
):
    client = case_plan.client
    _oldest, middle, last = _three_held(factory, session, case_plan, chair)
    last_meeting = session.get(Meeting, last.meeting_id)
    assert start_correction(client, session, last_meeting, "Supervision recorded wrongly").status_code == 302
    _save_pillar(client, session, middle, SUPERVISION, "JUNE CHANGED: daily reporting")

    row = _row(client, last, SUPERVISION)  # the correction's draft
    assert "JUNE CHANGED: daily reporting" in row and "not yet confirmed or changed" in row
    waiting = "TST-00002: the plan's Supervision has not been confirmed or changed at this meeting"
    waiting = waiting.replace("TST-00002", case_plan.source.case.reference)
    assert waiting in page_text(approve_correction(client, session, last_meeting))
    # Confirmed again, the correction's minutes say what the meeting it reopened now says.
    assert client.post(f"{_item_url(last)}/plan/supervision/confirm", data={}).status_code == 302
    version = session.execute(sa.text("SELECT version FROM minutes WHERE meeting_id = :id"), {"id": last.meeting_id})
    again = client.post(f"/meetings/{last.meeting_id}/minutes/approve", data={"version": str(version.scalar_one())})
    assert "Supervision has not been confirmed" not in page_text(again)
    assert "JUNE CHANGED: daily reporting" in _row(client, last, SUPERVISION)


def test_correcting_an_older_meeting_and_the_approved_one_after_it_ends_with_both_approved(
    factory, session, case_plan
):
    """The tester's finding: with corrections of two meetings under way, each waited for the other (the
    later for the earlier's record to be approved, the earlier for the later's correction to be). The
    earlier is approved first; the later correction then looks at the new wording again."""
    client, first, source, later = case_plan.client, case_plan.first, case_plan.source, case_plan.emergency
    review = _add(client, session, later, source.case)
    for kind in PlanPartKind:
        assert client.post(f"{_item_url(review)}/plan/{kind.slug}/confirm", data={}).status_code == 302
    review = session.get(AgendaItem, review.id)
    review.level_decision, review.level_decision_reason = LevelDecision.RETAIN, "Risk is stable."
    review.next_review_on = today_london() + timedelta(weeks=8)
    factory.save(review)
    assert client.post(f"/meetings/{later.id}/held", data={}).status_code == 302
    factory.minutes(later, MinutesStatus.APPROVED)

    assert start_correction(client, session, first, "Supervision recorded wrongly").status_code == 302
    assert start_correction(client, session, later, "Follows the correction before it").status_code == 302
    _save_pillar(client, session, source, SUPERVISION, "CORRECTED: daily reporting")
    approved = approve_correction(client, session, first)
    assert approved.status_code == 302, page_text(approved)

    row = _row(client, review, SUPERVISION)  # the later correction looks at it again
    assert "CORRECTED: daily reporting" in row and "not yet confirmed or changed" in row
    assert client.post(f"{_item_url(review)}/plan/supervision/confirm", data={}).status_code == 302
    approved = approve_correction(client, session, later)
    assert approved.status_code == 302, page_text(approved)
    statuses = session.execute(
        sa.text("SELECT status FROM minutes WHERE meeting_id IN (:a, :b)"), {"a": first.id, "b": later.id}
    ).scalars()
    assert set(statuses) == {MinutesStatus.APPROVED.name}


def _shown_confirm(client, item) -> dict[str, str]:
    soup = BeautifulSoup(client.get(_item_url(item)).data, "html.parser")
    form = soup.select_one(f'form[action$="/plan/{INTERVENTIONS.slug}/confirm"]')
    return {field["name"]: field.get("value", "") for field in form.select("input[type=hidden]")}


def test_a_confirm_from_a_page_shown_before_a_correction_changed_the_wording_is_refused(session, case_plan):
    client, first, source = case_plan.client, case_plan.first, case_plan.source
    review_item = _add(client, session, case_plan.review, source.case)
    shown = _shown_confirm(client, review_item)  # tab B

    assert start_correction(client, session, first, "Interventions recorded wrongly").status_code == 302
    _save_pillar(client, session, source, INTERVENTIONS, "CORRECTED: a different programme")
    assert approve_correction(client, session, first).status_code == 302

    response = client.post(f"{_item_url(review_item)}/plan/{INTERVENTIONS.slug}/confirm", data=shown, follow_redirects=True)

    assert "the wording of interventions and treatment has changed since the page was shown" in page_text(response)
    assert _part(session, review_item, INTERVENTIONS).outcome is PlanOutcome.PENDING
    # From the page as it is now, the confirmation is made.
    fresh = _shown_confirm(client, review_item)
    client.post(f"{_item_url(review_item)}/plan/{INTERVENTIONS.slug}/confirm", data=fresh)
    assert _part(session, review_item, INTERVENTIONS).outcome is PlanOutcome.CONFIRMED


def test_a_part_confirmed_while_preparing_a_review_is_not_said_to_be_agreed_at_a_meeting_not_yet_held(
    session, case_plan
):
    client, source = case_plan.client, case_plan.source
    review_item = _add(client, session, case_plan.review, source.case)
    assert client.post(f"{_item_url(review_item)}/plan/supervision/confirm", data={}).status_code == 302

    row = _row(client, review_item, SUPERVISION)
    assert "Confirmed for this meeting" in row
    assert f"Last agreed: {case_plan.review.reference}" not in row
