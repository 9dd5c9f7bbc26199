"""A case's level follows its decisions in meeting date order, and its risk management plan is carried
from review to review, each part confirmed or changed."""

from __future__ import annotations

from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.pages import page_text
from tests.posted import decision_form
from tracker.core.timeutil import today_london
from tracker.meetings import timeline
from tracker.meetings.models import (
    AgendaItem,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    Level,
    LevelDecision,
    MeetingStatus,
    PlanOutcome,
    PlanPartKind,
)
from tracker.minutes.models import MinutesStatus

from .conftest import approve_correction, start_correction


@pytest.fixture
def chair(factory):
    return factory.user("CHAIR", name="Daniel Price")


def _decide(client, item: AgendaItem, decision: str, review: date, reason: str = "Agreed by the meeting"):
    response = client.post(
        f"/meetings/{item.meeting_id}/agenda/{item.id}/decision",
        data=decision_form(item.version, decision, reason, review),
    )
    assert response.status_code == 302, page_text(response)


def _on_held_meetings(factory, chair, case, *days_ago: int) -> list[AgendaItem]:
    """The case on the agenda of a meeting the chair held each given number of days ago."""
    today = today_london()
    return [
        factory.agenda_item(
            factory.meeting(chair=chair, day=today - timedelta(days=ago), status=MeetingStatus.HELD), case
        )
        for ago in days_ago
    ]


@pytest.fixture
def decided_out_of_order(client_as, factory, session, chair):
    """Decides on a case at a meeting held ten days ago, then at one held twenty days ago (each decision is
    the decision, next review and reason) and returns the case as it then stands."""

    def decide(case: Case, later: tuple, earlier: tuple) -> Case:
        at_earlier, at_later = _on_held_meetings(factory, chair, case, 20, 10)
        client = client_as(chair)
        _decide(client, at_later, *later)
        _decide(client, at_earlier, *earlier)
        session.expire_all()
        return session.get(Case, case.id)

    return decide


# Levels follow time -----------------------------------------------------------------------------------


def test_retain_at_an_earlier_meeting_held_later_leaves_the_lowered_level(
    client_as, factory, session, chair, decided_out_of_order
):
    """LDN-2026-0104: lowered to Level 2 at one meeting; "Retain" recorded afterwards at a meeting dated
    earlier must not move it back to Level 3."""
    today = today_london()
    case = factory.case(Level.LEVEL_3, reference="LDN-2026-0104", referred_on=today - timedelta(days=60))
    upcoming = factory.meeting(chair=chair, day=today + timedelta(days=7))
    at_upcoming = factory.agenda_item(upcoming, case)

    case = decided_out_of_order(
        case,
        later=("LOWER", today + timedelta(weeks=4), "Risk has reduced"),
        earlier=("RETAIN", today - timedelta(days=10), "Stable"),
    )
    assert case.level is Level.LEVEL_2
    # The later meeting's review date stands.
    assert case.next_review_on == today + timedelta(weeks=4)
    changes = session.exec(select(CaseEvent).where(CaseEvent.kind == CaseEventKind.LEVEL_CHANGED)).all()
    assert [(e.previous_level, e.level, e.reason) for e in changes] == [
        (Level.LEVEL_3, Level.LEVEL_2, "Risk has reduced")
    ]
    client = client_as(chair)
    history = page_text(client.get(f"/cases/{case.id}"))
    assert "Level 2 to Level 3" not in history
    # The next meeting's agenda item, added at Level 3, says the level has changed since.
    shown = BeautifulSoup(
        client.get(f"/meetings/{upcoming.id}/agenda/{at_upcoming.id}").data, "html.parser"
    ).select_one("#level-changed")
    assert shown.get_text(" ", strip=True) == (
        "The case's level has changed since it was added to this agenda: it was Level 3 then and stands "
        "at Level 2 for this meeting. The level decision applies to Level 2."
    )


def test_a_decision_at_an_earlier_meeting_never_overrides_a_later_one(factory, decided_out_of_order):
    today = today_london()
    case = decided_out_of_order(
        factory.case(Level.LEVEL_2, referred_on=today - timedelta(days=60)),
        later=("RAISE", today + timedelta(weeks=2), "Escalating risk"),
        earlier=("LOWER", today - timedelta(days=12), "Was stable then"),
    )
    assert case.level is Level.LEVEL_3
    assert case.status is CaseStatus.ACTIVE
    assert case.next_review_on == today + timedelta(weeks=2)
    assert case.last_reviewed_on == today - timedelta(days=10)


def test_correcting_a_decision_rederives_the_case(client_as, factory, session, chair):
    today = today_london()
    case = factory.case(Level.LEVEL_3, referred_on=today - timedelta(days=60))
    [item] = _on_held_meetings(factory, chair, case, 5)
    client = client_as(chair)
    _decide(client, item, "EXIT", today + timedelta(weeks=4), "No longer needs meetings")
    session.expire_all()
    assert session.get(Case, case.id).status is CaseStatus.EXITED
    item = session.get(AgendaItem, item.id)
    _decide(client, item, "LOWER", today + timedelta(weeks=4), "Lowered, not exited")
    session.expire_all()
    case = session.get(Case, case.id)
    assert (case.level, case.status) == (Level.LEVEL_2, CaseStatus.ACTIVE)
    kinds = [e.kind for e in session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id))]
    assert sorted(kind.name for kind in kinds) == ["LEVEL_CHANGED", "REFERRED"]


def test_replay_orders_decisions_by_meeting_date_not_by_when_recorded():
    start = timeline.State(Level.LEVEL_3, CaseStatus.ACTIVE)
    steps = [
        timeline.Step(on=date(2026, 3, 10), item_id=2, key=2, decision=LevelDecision.LOWER, decided=Level.LEVEL_2),
        timeline.Step(on=date(2026, 3, 1), item_id=1, key=1, decision=LevelDecision.RETAIN),
    ]
    state, outcomes = timeline.replay(start, steps)
    assert state.level is Level.LEVEL_2
    assert [(o.item_id, o.level_before, o.level_after) for o in outcomes] == [
        (1, Level.LEVEL_3, Level.LEVEL_3),
        (2, Level.LEVEL_3, Level.LEVEL_2),
    ]


# The plan carried from review to review -----------------------------------------------------------


@pytest.fixture
def review(client_as, factory, session, chair, clock) -> SimpleNamespace:
    """A meeting held a month ago with approved minutes, and a review today to which the chair has added its
    first case: the chair's client, the first meeting, its agenda item, the review and the review's item.
    The clock is at midday, so the review (10:00) has started and can be recorded as held."""
    clock(today_london(), time(12, 0))
    first = factory.held_meeting(chair=chair, days_ago=30)
    factory.minutes(first, MinutesStatus.APPROVED)
    source = first.agenda_items[0]
    meeting = factory.meeting(chair=chair, day=today_london(), status=MeetingStatus.SCHEDULED)
    client = client_as(chair)
    added = {"case_reference": source.case.reference, "purpose": "REVIEW"}
    assert client.post(f"/meetings/{meeting.id}/agenda/new", data=added).status_code == 302
    session.expire_all()
    item = session.exec(select(AgendaItem).where(AgendaItem.meeting_id == meeting.id)).one()
    return SimpleNamespace(client=client, first=first, source=source, meeting=meeting, item=item)


def test_a_review_opens_with_the_plan_as_last_agreed_and_records_what_changed(session, factory, review):
    client, first, case, item = review.client, review.first, review.source.case, review.item
    review = review.meeting
    # The plan came across: pillars, risk and the assessment tool.
    assert item.entry_for(PlanPartKind.MONITORING_AND_CONTROL.pillar).summary == "Plan for monitoring and control"
    assert item.assessment_tool == "OASys"
    url = f"/meetings/{review.id}/agenda/{item.id}"
    shown = page_text(client.get(url))
    assert f"Supervision: not yet confirmed or changed Addressed: Plan for supervision Last agreed: {first.reference}" in shown

    client.post(
        f"{url}/pillars/monitoring-and-control",
        data={"version": "1", "status": "ADDRESSED", "summary": "Weekly police visits and a GPS tag"},
    )
    for part in PlanPartKind:
        if part is not PlanPartKind.MONITORING_AND_CONTROL:
            assert client.post(f"{url}/plan/{part.slug}/confirm", data={}).status_code == 302
    session.expire_all()
    item = session.get(AgendaItem, item.id)
    outcomes = {p.part: p.outcome for p in item.plan_parts}
    assert outcomes.pop(PlanPartKind.MONITORING_AND_CONTROL) is PlanOutcome.CHANGED
    assert set(outcomes.values()) == {PlanOutcome.CONFIRMED}
    soup = BeautifulSoup(client.get(url).data, "html.parser")
    plan_text = soup.select_one("#plan-parts").get_text(" ", strip=True)
    assert "Monitoring and control: changed Addressed: Weekly police visits and a GPS tag" in plan_text
    assert "Previous wording of monitoring and control Addressed: Plan for monitoring and control" in plan_text

    # The case page keeps both versions (once the review's minutes are approved: until then it says so).
    client.post(f"/meetings/{review.id}/held", data={})
    factory.minutes(review, MinutesStatus.APPROVED)
    history = BeautifulSoup(client.get(f"/cases/{case.id}").data, "html.parser")
    monitoring = history.select_one('[data-part="monitoring-and-control"]').get_text(" ", strip=True)
    assert "(changed): Addressed: Weekly police visits and a GPS tag" in monitoring
    assert "(agreed): Addressed: Plan for monitoring and control" in monitoring


def test_the_case_pages_plan_history_says_agreed_only_once_the_minutes_are_approved(
    client_as, factory, session, chair, count_queries
):
    case = factory.case(reference="PLAN-MIN")
    today = today_london()
    meetings = {}
    for weeks, status in enumerate([None, MinutesStatus.DRAFT, MinutesStatus.SUBMITTED, MinutesStatus.APPROVED]):
        meeting = factory.meeting(chair=chair, day=today - timedelta(weeks=weeks + 1), status=MeetingStatus.HELD)
        factory.agenda_item(meeting, case)
        if status is not None:
            factory.minutes(meeting, status)
        meetings[status] = meeting
    client = client_as(chair)

    def lines() -> list[str]:
        soup = BeautifulSoup(client.get(f"/cases/{case.id}").data, "html.parser")
        return [li.get_text(" ", strip=True) for li in soup.select('[data-part="supervision"] li')]

    def label(meeting) -> str:
        return next(line for line in lines() if line.startswith(meeting.reference)).split(":")[0]

    # Staff see the working plan of a meeting whose minutes are not approved, not called agreed.
    for status in (None, MinutesStatus.DRAFT, MinutesStatus.SUBMITTED):
        assert label(meetings[status]).endswith("(minutes not approved yet)")
    assert label(meetings[MinutesStatus.APPROVED]).endswith("(agreed)")
    # Approved minutes being corrected say so (the wording may still change).
    approved = meetings[MinutesStatus.APPROVED]
    assert start_correction(client, session, approved, "The plan was recorded wrongly").status_code == 302
    assert label(approved).endswith("(minutes being corrected)")
    # Whether the minutes are approved is found with the items: more meetings, no more queries.
    with count_queries() as few:
        lines()
    for weeks in range(3):
        more = factory.meeting(chair=chair, day=today - timedelta(weeks=10 + weeks), status=MeetingStatus.HELD)
        factory.agenda_item(more, case)
        factory.minutes(more, MinutesStatus.DRAFT)
    with count_queries() as again:
        assert len(lines()) == 7
    assert again[0] == few[0]


def test_the_agenda_counts_a_pillar_complete_once_the_review_has_confirmed_or_changed_it(session, review):
    """The wording carried from the last meeting is not this meeting's work: a pillar counts as complete
    on the agenda once the review has confirmed or changed it, as approval requires."""
    client, item = review.client, review.item
    meeting_url = f"/meetings/{review.meeting.id}"

    def pillars_column() -> str:
        table = BeautifulSoup(client.get(meeting_url).data, "html.parser").select_one("table")
        cell = table.select("tbody tr")[0].select("td")[5]
        return cell.contents[0].strip()  # the count (a note of pillars still to confirm follows it)

    assert pillars_column() == "0 of 4 complete"
    assert client.post(f"{meeting_url}/agenda/{item.id}/plan/supervision/confirm", data={}).status_code == 302
    assert pillars_column() == "1 of 4 complete"


def test_a_correction_to_the_last_meeting_reaches_the_parts_the_next_review_has_not_yet_confirmed(
    session, review
):
    client, first, source, item = review.client, review.first, review.source, review.item
    url = f"/meetings/{review.meeting.id}/agenda/{item.id}"
    # The review has confirmed supervision; monitoring and control is still waiting.
    assert client.post(f"{url}/plan/supervision/confirm", data={}).status_code == 302

    start_correction(client, session, first, "The plan was recorded wrongly")
    first_url = f"/meetings/{first.id}/agenda/{source.id}"
    for slug, summary in (("monitoring-and-control", "Weekly visits, corrected"), ("supervision", "Fortnightly")):
        entry = session.get(AgendaItem, source.id).entry_for(PlanPartKind.from_slug(slug).pillar)
        response = client.post(
            f"{first_url}/pillars/{slug}",
            data={"version": str(entry.version), "status": "ADDRESSED", "summary": summary},
        )
        assert response.status_code == 302, slug
    session.expire_all()
    item = session.get(AgendaItem, item.id)
    # A draft: the review still starts from the plan as approved.
    assert item.entry_for(PlanPartKind.MONITORING_AND_CONTROL.pillar).summary == "Plan for monitoring and control"
    assert approve_correction(client, session, first).status_code == 302
    session.expire_all()
    item = session.get(AgendaItem, item.id)
    # Approved. Waiting: takes the corrected wording. Confirmed by the review: keeps what the chair confirmed.
    assert item.entry_for(PlanPartKind.MONITORING_AND_CONTROL.pillar).summary == "Weekly visits, corrected"
    assert item.entry_for(PlanPartKind.SUPERVISION.pillar).summary == "Plan for supervision"


def test_approval_needs_each_carried_part_confirmed_and_a_dated_risk_assessment(factory, review):
    client, case, item = review.client, review.source.case, review.item
    review = review.meeting
    item.assessment_tool = ""
    factory.save(item)
    minutes = factory.minutes(review, MinutesStatus.SUBMITTED)

    response = client.post(f"/meetings/{review.id}/minutes/approve", data={"version": minutes.version})

    summary = BeautifulSoup(response.data, "html.parser").select_one(".govuk-error-summary").get_text(" ")
    summary = " ".join(summary.split())
    assert f"Case {case.reference}: the risk assessment has no assessment tool and date" in summary
    assert (
        f"Case {case.reference}: the plan's Supervision has not been confirmed or changed at this meeting"
        in summary
    )


def test_a_review_is_not_approved_while_the_meeting_its_plan_came_from_is_being_corrected(
    factory, session, review
):
    """A correction's wording reaches the review before the correction is approved: approving the review
    then would fix in its minutes a plan nobody approved. It waits for the correction."""
    client, first, case = review.client, review.first, review.source.case
    assert start_correction(client, session, first, "The contingency plan was recorded wrongly").status_code == 302
    minutes = factory.minutes(review.meeting, MinutesStatus.SUBMITTED)

    response = client.post(f"/meetings/{review.meeting.id}/minutes/approve", data={"version": minutes.version})

    assert (
        f"Case {case.reference}: the minutes of {first.reference}, an earlier meeting on the case, are being "
        "corrected: approve or abandon that correction first, so that this meeting starts from an approved "
        "record"
    ) in page_text(response)
    assert session.get(type(minutes), minutes.id).status is MinutesStatus.SUBMITTED


def test_a_case_with_no_risk_assessment_blocks_approval(client_as, factory, session, chair):
    meeting = factory.held_meeting(chair=chair)
    item = meeting.agenda_items[0]
    for name in ("risk_to_children", "risk_to_public", "imminence"):
        setattr(item, name, None)
    factory.save(item)
    minutes = factory.minutes(meeting, MinutesStatus.SUBMITTED)
    response = client_as(chair).post(f"/meetings/{meeting.id}/minutes/approve", data={"version": minutes.version})
    assert f"Case {item.case.reference}: no risk assessment is recorded" in page_text(response)
