"""A case on the agenda the meeting did not discuss after all (deferred for lack of time, a key agency
absent): the chair marks it with a reason; it needs nothing for approval, changes nothing about the case,
the minutes say so, and it can be undone until the minutes are approved. Also run on PostgreSQL
(TEST_DATABASE_URL)."""

from __future__ import annotations

import io
from datetime import timedelta
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader
from sqlmodel import select

from tests.justify import disclosed
from tests.pages import page_text
from tracker.core.models import AuditEvent
from tracker.core.timeutil import format_date, today_london
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Case,
    Imminence,
    LevelDecision,
    MeetingStatus,
    PillarStatus,
    PlanOutcome,
    PlanPartKind,
    RiskLevel,
)
from tracker.minutes.models import Minutes, MinutesStatus

from .conftest import post_confirming_warnings

REASON = "Not reached: time ran out"


def _complete(factory, item: AgendaItem, day) -> None:
    """Record everything approval needs for a case (as `held_meeting` does)."""
    for entry in item.pillar_entries:
        entry.status, entry.summary = PillarStatus.ADDRESSED, f"Plan for {entry.pillar.label.lower()}"
    item.risk_to_children = item.risk_to_known_adult = item.risk_to_public = RiskLevel.MEDIUM
    item.risk_to_staff = item.risk_to_prisoners = RiskLevel.LOW
    item.imminence = Imminence.IF_CIRCUMSTANCES_CHANGE
    item.assessment_tool, item.assessed_on = "OASys", day - timedelta(days=7)
    item.level_decision, item.level_decision_reason = LevelDecision.RETAIN, "Risk is stable."
    item.next_review_on = day + timedelta(weeks=8)
    factory.save(item)


@pytest.fixture
def story(client_as, factory, session):
    """The tester's meeting: a case last discussed 20 weeks ago (approved minutes; the review it set 12
    weeks ago is overdue), on the agenda of a meeting held yesterday with another case fully recorded."""
    chair = factory.user("CHAIR", name="Daniel Price")
    client = client_as(chair)
    first_day = today_london() - timedelta(weeks=20)
    first = factory.meeting(chair=chair, day=first_day, status=MeetingStatus.SCHEDULED)
    earlier = factory.agenda_item(first)
    _complete(factory, earlier, first_day)
    assert client.post(f"/meetings/{first.id}/held", data={}).status_code == 302
    factory.minutes(first, MinutesStatus.APPROVED)

    day = today_london() - timedelta(days=1)
    meeting = factory.meeting(chair=chair, day=day, status=MeetingStatus.SCHEDULED)
    other = factory.agenda_item(meeting)
    _complete(factory, other, day)
    url = f"/meetings/{meeting.id}/agenda/new"
    response = post_confirming_warnings(
        client, url, {"case_reference": earlier.case.reference, "purpose": "REVIEW"}
    )
    assert response.status_code == 302, page_text(response)
    session.expire_all()
    item = session.exec(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.case_id == earlier.case_id)
    ).one()
    return SimpleNamespace(
        client=client, chair=chair, first=first, earlier=earlier, meeting=meeting, item=item, day=day
    )


def _url(story, path: str = "") -> str:
    return f"/meetings/{story.meeting.id}/agenda/{story.item.id}{path}"


def _defer(story, session, reason: str = REASON):
    session.expire_all()
    version = session.get(AgendaItem, story.item.id).version
    return story.client.post(_url(story, "/not-discussed"), data={"reason": reason, "version": str(version)})


def _held(story) -> None:
    assert story.client.post(f"/meetings/{story.meeting.id}/held", data={}).status_code == 302


def _case(session, story) -> Case:
    session.expire_all()
    return session.get(Case, story.item.case_id)


def _approve(story, factory, session):
    minutes = factory.minutes(story.meeting, MinutesStatus.SUBMITTED)
    return story.client.post(f"/meetings/{story.meeting.id}/minutes/approve", data={"version": minutes.version})


def test_a_case_not_reached_leaves_the_case_as_it_stood_and_the_minutes_are_approved_saying_so(
    story, factory, session
):
    _held(story)
    before = _case(session, story)
    assert before.last_reviewed_on == story.day  # held: taken as discussed, until marked otherwise

    response = _defer(story, session)

    assert response.status_code == 302, page_text(response)
    case = _case(session, story)
    assert case.last_reviewed_on == today_london() - timedelta(weeks=20)
    assert case.next_review_on == story.earlier.next_review_on
    assert case.level is before.level
    assert case.review_due_on is not None and case.review_due_on < today_london()  # still overdue
    case_page = page_text(story.client.get(f"/cases/{case.id}"))
    assert f"Last discussed {format_date(case.last_reviewed_on)}" in case_page
    # The agenda says so, with the reason.
    agenda = BeautifulSoup(story.client.get(f"/meetings/{story.meeting.id}").data, "html.parser")
    assert "Not discussed" in agenda.select_one(".app-not-discussed").get_text()
    assert REASON in agenda.select_one(".app-not-discussed").get_text()

    approved = _approve(story, factory, session)

    assert approved.status_code == 302, page_text(approved)
    minutes = page_text(story.client.get(f"/meetings/{story.meeting.id}/minutes"))
    assert f"Not discussed at this meeting: {REASON}" in minutes
    pdf = story.client.get(disclosed(f"/meetings/{story.meeting.id}/minutes/versions/1/pdf"))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split())
    assert f"Not discussed at this meeting: {REASON}" in text
    # The plan as last agreed stands where it was agreed: the case page's plan history names only that
    # meeting, not the one that did not discuss the case.
    soup = BeautifulSoup(story.client.get(f"/cases/{case.id}").data, "html.parser")
    history = " ".join(ul.get_text(" ", strip=True) for ul in soup.select(".app-plan-history"))
    assert story.first.reference in history and story.meeting.reference not in history


def test_before_the_meeting_is_held_a_case_can_be_marked_not_discussed_too(story, session):
    response = _defer(story, session, "Key agency absent")
    assert response.status_code == 302
    _held(story)
    case = _case(session, story)
    assert case.last_reviewed_on == today_london() - timedelta(weeks=20)


def test_a_reason_is_required_and_nothing_changes_without_one(story, session):
    response = _defer(story, session, "  ")
    assert response.status_code == 200
    assert "Enter why the case was not discussed" in page_text(response)
    session.expire_all()
    assert session.get(AgendaItem, story.item.id).not_discussed_reason == ""


def test_what_was_recorded_is_listed_first_and_withdrawn_with_the_marking(story, factory, session):
    _held(story)
    client = story.client
    assert client.post(_url(story, "/plan/supervision/confirm"), data={}).status_code == 302
    item = session.get(AgendaItem, story.item.id)
    item.level_decision, item.level_decision_reason = LevelDecision.RETAIN, "Not discussed: deferred"
    item.next_review_on = story.day + timedelta(weeks=4)
    factory.save(item)
    action = factory.action(item, description="Visit the new address")

    asked = client.get(_url(story, "/not-discussed"))

    warning = BeautifulSoup(asked.data, "html.parser").select_one("#withdrawn").get_text(" ", strip=True)
    assert "the plan's supervision as recorded here" in warning, warning
    assert "the level decision (Retain at the current level) and its next review date" in warning, warning
    assert "1 action" in warning, warning

    assert _defer(story, session).status_code == 302

    session.expire_all()
    item = session.get(AgendaItem, story.item.id)
    assert item.level_decision is None and item.next_review_on is None and item.level_decision_reason == ""
    supervision = item.part_for(PlanPartKind.SUPERVISION)
    assert supervision.outcome is PlanOutcome.PENDING and supervision.reviewed_at is None
    assert session.get(Action, action.id).status is ActionStatus.REMOVED
    case = _case(session, story)
    assert case.next_review_on == story.earlier.next_review_on
    entries = session.exec(select(AuditEvent).where(AuditEvent.action == "not discussed")).all()
    assert [e.summary for e in entries] == [
        f"{case.reference} not discussed at {story.meeting.reference}: {REASON}. Withdrawn: the plan's "
        "supervision as recorded here; the level decision (Retain at the current level) and its next review "
        "date; 1 action agreed for the case"
    ]


def test_nothing_can_be_recorded_for_a_case_not_discussed(story, session):
    _held(story)
    _defer(story, session)
    response = story.client.get(_url(story, "/decision"))
    assert response.status_code == 302
    followed = story.client.get(response.headers["Location"])
    assert "is marked as not discussed at this meeting, so nothing can be recorded" in page_text(followed)
    refused = story.client.post(_url(story, "/plan/supervision/confirm"), data={})
    assert refused.status_code == 302
    assert session.get(AgendaItem, story.item.id).part_for(PlanPartKind.SUPERVISION).reviewed_at is None


def test_it_can_be_undone_before_approval_and_the_case_then_needs_its_record_again(story, factory, session):
    _held(story)
    _defer(story, session)
    item_page = story.client.get(_url(story))
    assert f"Not discussed at this meeting: {REASON}" in page_text(item_page)

    undone = story.client.post(_url(story, "/not-discussed/undo"), data={})

    assert undone.status_code == 302
    session.expire_all()
    assert session.get(AgendaItem, story.item.id).not_discussed_reason == ""
    assert _case(session, story).last_reviewed_on == story.day
    assert session.exec(select(AuditEvent).where(AuditEvent.action == "discussion restored")).all()
    refused = _approve(story, factory, session)
    assert refused.status_code == 200
    assert f"Case {story.item.case.reference}: no level decision is recorded" in page_text(refused)


def test_once_the_minutes_are_approved_it_is_frozen_like_the_rest(story, factory, session):
    _held(story)
    _defer(story, session)
    assert _approve(story, factory, session).status_code == 302

    undo = story.client.post(_url(story, "/not-discussed/undo"), data={})
    again = story.client.get(_url(story, "/not-discussed"))

    assert undo.status_code == 303 and again.status_code == 303
    session.expire_all()
    assert session.get(AgendaItem, story.item.id).not_discussed_reason == REASON
    minutes = session.exec(select(Minutes).where(Minutes.meeting_id == story.meeting.id)).one()
    assert minutes.status is MinutesStatus.APPROVED


def test_the_next_review_starts_from_the_plan_agreed_before_the_meeting_that_did_not_discuss_it(
    story, factory, session
):
    _held(story)
    _defer(story, session)
    later = factory.meeting(chair=story.chair, day=today_london() + timedelta(days=7))
    response = post_confirming_warnings(
        story.client,
        f"/meetings/{later.id}/agenda/new",
        {"case_reference": story.item.case.reference, "purpose": "REVIEW"},
    )
    assert response.status_code == 302, page_text(response)
    session.expire_all()
    review = session.exec(select(AgendaItem).where(AgendaItem.meeting_id == later.id)).one()
    assert {part.carried_from_id for part in review.plan_parts} == {story.earlier.id}
