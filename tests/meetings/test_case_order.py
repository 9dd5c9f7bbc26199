"""A case's meetings follow one another in order of their start times, and once a meeting's minutes are
approved its place in that order is part of its record: no case goes on a meeting starting at or before
one of its meetings whose minutes are approved (or being corrected), no meeting moves there or past one,
and no case is on two meetings starting at the same moment. A correction to an approved review never
changes the meeting its plan was carried from, and abandoning it puts the plan back as approved. Also run
on PostgreSQL (TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from tests.pages import error_summary, page_text
from tests.posted import date_parts, decision_form
from tracker.core.timeutil import london_to_utc, today_london
from tracker.meetings import plan
from tracker.meetings.models import (
    AgendaItem,
    LevelDecision,
    Meeting,
    MeetingStatus,
    PlanOutcome,
    PlanPartKind,
)
from tracker.minutes.models import MinutesStatus

from .conftest import move_meeting, post_confirming_warnings, start_correction

MONITORING = PlanPartKind.MONITORING_AND_CONTROL


@pytest.fixture
def chair(factory):
    return factory.user("CHAIR", name="Daniel Price")


def _at(factory, meeting: Meeting, day: date, hour: int) -> Meeting:
    """The meeting moved to `hour` o'clock on `day` (for half an hour)."""
    meeting.starts_at = london_to_utc(day, time(hour))
    meeting.ends_at = london_to_utc(day, time(hour, 30))
    return factory.save(meeting)


def _meeting(factory, chair, day: date, hour: int) -> Meeting:
    return _at(factory, factory.meeting(chair=chair, day=day, status=MeetingStatus.SCHEDULED), day, hour)


def _add(client, meeting: Meeting, case):
    url = f"/meetings/{meeting.id}/agenda/new"
    return post_confirming_warnings(client, url, {"case_reference": case.reference, "purpose": "REVIEW"})


def _item(session, meeting: Meeting, case) -> AgendaItem | None:
    session.expire_all()
    return session.exec(
        select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.case_id == case.id)
    ).first()


def _approved_at(factory, chair, day: date, hour: int, correcting: bool = False, client=None, session=None):
    """A meeting held on `day` at `hour` discussing a new case, its minutes approved (and, with
    `correcting`, being corrected); the meeting and its case."""
    meeting = _at(factory, factory.held_meeting(chair=chair, days_ago=(today_london() - day).days), day, hour)
    factory.minutes(meeting, MinutesStatus.APPROVED)
    if correcting:
        assert start_correction(client, session, meeting, "The risk was recorded wrongly").status_code == 302
    return meeting, meeting.agenda_items[0].case


# Putting a case on a meeting -----------------------------------------------------------------------


@pytest.mark.parametrize("correcting", [False, True], ids=["approved", "being-corrected"])
@pytest.mark.parametrize(
    ("days_before", "hour"), [(0, 12), (0, 21), (1, 23)], ids=["earlier-that-day", "same-time", "day-before"]
)
def test_a_case_is_not_put_on_a_meeting_starting_at_or_before_one_whose_minutes_are_approved(
    client_as, factory, session, chair, correcting, days_before, hour
):
    client = client_as(chair)
    today = today_london()
    approved, case = _approved_at(factory, chair, today, 21, correcting, client, session)
    earlier = _meeting(factory, chair, today - timedelta(days=days_before), hour)

    response = _add(client, earlier, case)

    assert response.status_code == 200
    state = "being corrected" if correcting else "approved"
    said = " ".join(error_summary(response))
    assert f"{case.reference} cannot go on this meeting" in said
    assert approved.reference in said and f"minutes are {state}" in said
    assert _item(session, earlier, case) is None


def test_a_case_goes_on_a_meeting_starting_after_its_approved_meeting_that_day(
    client_as, factory, session, chair
):
    client = client_as(chair)
    today = today_london()
    _approved, case = _approved_at(factory, chair, today, 21)
    later = _meeting(factory, chair, today, 22)
    response = _add(client, later, case)
    assert response.status_code == 302, page_text(response)
    assert _item(session, later, case) is not None


def test_a_case_is_not_put_on_two_meetings_starting_at_the_same_moment(client_as, factory, session, chair):
    """Neither meeting would come before the other: the plan and the level would have no order to follow."""
    client = client_as("COORDINATOR")
    day = today_london() + timedelta(days=7)
    case = factory.case()
    first, second = _meeting(factory, chair, day, 18), _meeting(factory, chair, day, 18)
    added = _add(client, first, case)
    assert added.status_code == 302, page_text(added)
    response = _add(client, second, case)
    assert response.status_code == 200
    assert (
        f"{case.reference} cannot go on this meeting: it is on the agenda of {first.reference}, which starts "
        "at the same time"
    ) in " ".join(error_summary(response))
    assert _item(session, second, case) is None


# Moving a meeting ----------------------------------------------------------------------------------


def _move(client, session, meeting: Meeting, chair, day: date, start: str, end: str):
    return move_meeting(client, session, meeting, chair, day, start_time=start, end_time=end)


@pytest.mark.parametrize(
    ("start", "end"), [("12:00", "12:30"), ("21:00", "21:30")], ids=["before", "same-time"]
)
def test_a_meeting_is_not_moved_to_or_before_a_meeting_of_its_case_whose_minutes_are_approved(
    client_as, factory, session, chair, start, end
):
    client = client_as(chair)
    today = today_london()
    approved, case = _approved_at(factory, chair, today, 21)
    review = _meeting(factory, chair, today + timedelta(days=7), 10)
    assert _add(client, review, case).status_code == 302
    starts_at = session.get(Meeting, review.id).starts_at

    response = _move(client, session, review, chair, today, start, end)

    assert response.status_code == 200
    assert approved.reference in " ".join(error_summary(response))
    session.expire_all()
    assert session.get(Meeting, review.id).starts_at == starts_at
    assert _move(client, session, review, chair, today, "22:00", "22:30").status_code == 302


def test_a_meeting_before_one_whose_minutes_were_approved_since_keeps_its_place(
    client_as, factory, session, chair
):
    """The case went on the meeting before the later meeting's minutes were approved: moving it past that
    meeting, or to its start, would change the order the approved record was made in; earlier still
    changes nothing it comes before."""
    client = client_as("COORDINATOR")
    today = today_london()
    case = factory.case()
    earlier = _meeting(factory, chair, today, 12)
    assert _add(client, earlier, case).status_code == 302
    later = factory.held_meeting(chair=chair, days_ago=0)
    _at(factory, later, today, 21)
    factory.agenda_item(later, case)
    factory.minutes(later, MinutesStatus.APPROVED)
    starts_at = session.get(Meeting, earlier.id).starts_at

    for day, start, end in ((today + timedelta(days=1), "10:00", "10:30"), (today, "21:00", "21:30")):
        response = _move(client, session, earlier, chair, day, start, end)
        assert response.status_code == 200
        assert f"This meeting comes before {later.reference}" in " ".join(error_summary(response))
    session.expire_all()
    assert session.get(Meeting, earlier.id).starts_at == starts_at
    assert _move(client, session, earlier, chair, today, "11:00", "11:30").status_code == 302


# A correction never moves where an approved review's plan came from ---------------------------------


def _risk_form(item: AgendaItem, **changed) -> dict:
    form = {
        "version": str(item.version),
        **{name: getattr(item, name).name for name in plan.RISK_COLUMNS},
        "imminence": item.imminence.name,
        "risk_notes": item.risk_notes,
        "contingency_plan": item.contingency_plan,
        "licence_conditions": item.licence_conditions,
        "assessment_tool": item.assessment_tool,
        "assessed_on": date_parts(item.assessed_on),
    }
    return {**form, **changed}


def _plan_of(session, item_id: int) -> dict:
    session.expire_all()
    item = session.get(AgendaItem, item_id)
    return {
        part.part: (part.outcome, part.carried_from_id, plan.values(item, part.part))
        for part in item.plan_parts
    }


def test_a_correction_started_and_abandoned_leaves_an_approved_review_s_plan_as_approved(
    client_as, factory, session, chair
):
    """The case's review at 21:00 (B) confirmed the plan agreed at its last meeting (A) and its minutes were
    approved; an emergency meeting at 12:00 that day (C), which the case went on before then, is recorded
    held after. Correcting B's minutes (a risk level changed) and abandoning the correction leaves B's plan
    carried from A, confirmed, with the wording it was approved with: never re-based on C."""
    client = client_as(chair)
    today = today_london()
    first = factory.held_meeting(chair=chair, days_ago=30)
    factory.minutes(first, MinutesStatus.APPROVED)
    source = first.agenda_items[0]
    case = source.case
    review, emergency = _meeting(factory, chair, today, 21), _meeting(factory, chair, today, 12)
    assert _add(client, emergency, case).status_code == 302
    assert _add(client, review, case).status_code == 302
    at_review, at_emergency = _item(session, review, case), _item(session, emergency, case)
    url = f"/meetings/{review.id}/agenda/{at_review.id}"
    for kind in PlanPartKind:
        assert client.post(f"{url}/plan/{kind.slug}/confirm", data={}).status_code == 302
    decided = client.post(
        f"{url}/decision",
        data=decision_form(
            _item(session, review, case).version, "RETAIN", "Stable", today + timedelta(weeks=8)
        ),
    )
    assert decided.status_code == 302
    assert client.post(f"/meetings/{review.id}/held", data={}).status_code == 302
    factory.minutes(session.get(Meeting, review.id), MinutesStatus.APPROVED)
    entry = _item(session, emergency, case).entry_for(MONITORING.pillar)
    changed = {"version": str(entry.version), "status": "ADDRESSED", "summary": "C: GPS tag fitted"}
    assert (
        client.post(
            f"/meetings/{emergency.id}/agenda/{at_emergency.id}/pillars/{MONITORING.slug}", data=changed
        )
    ).status_code == 302
    assert client.post(f"/meetings/{emergency.id}/held", data={}).status_code == 302
    approved = _plan_of(session, at_review.id)
    assert {carried for _outcome, carried, _values in approved.values()} == {source.id}
    assert {outcome for outcome, _carried, _values in approved.values()} == {PlanOutcome.CONFIRMED}

    assert start_correction(client, session, review, "Risk to staff recorded wrongly").status_code == 302
    risk = client.post(
        f"{url}/risk", data=_risk_form(_item(session, review, case), risk_to_staff="VERY_HIGH")
    )
    assert risk.status_code == 302, page_text(risk)
    during = _plan_of(session, at_review.id)
    assert {carried for _outcome, carried, _values in during.values()} == {source.id}
    assert during[MONITORING] == approved[MONITORING]

    version = session.execute(
        sa.text("SELECT version FROM minutes WHERE meeting_id = :id"), {"id": review.id}
    ).scalar_one()
    abandoned = client.post(
        f"/meetings/{review.id}/minutes/abandon-correction", data={"version": str(version)}
    )
    assert abandoned.status_code == 302

    assert _plan_of(session, at_review.id) == approved
    # A later correction is not refused for a part "not yet confirmed".
    assert start_correction(client, session, review, "Another correction").status_code == 302


# Two meetings of a case starting at the same moment (put on both before the rule above) ------------------


def _twins(client_as, factory, session, chair):
    """A Level 2 case on two meetings held three days ago at 18:00, put first on the chair's (so the
    case's history has it first), which raised it to Level 3, then on another chair's (which the chair
    does not see), which lowered it again, its minutes approved. (The chair's item, the other meeting.)"""
    other_chair = factory.user("CHAIR", name="Other Chair")
    day = today_london() - timedelta(days=3)
    case = factory.case(referred_on=day - timedelta(days=60))
    own = _at(factory, factory.meeting(chair=chair, day=day, status=MeetingStatus.HELD), day, 18)
    theirs = _at(factory, factory.meeting(chair=other_chair, day=day, status=MeetingStatus.HELD), day, 18)
    item = factory.agenda_item(own, case)
    other = factory.agenda_item(theirs, case)
    assert _decide(client_as(chair), session, item, "RAISE").status_code == 302
    assert _decide(client_as(other_chair), session, other, "LOWER").status_code == 302
    factory.minutes(session.get(Meeting, theirs.id), MinutesStatus.APPROVED)
    return item, session.get(Meeting, theirs.id)


def _decide(client, session, item: AgendaItem, decision: str):
    session.expire_all()
    version = session.get(AgendaItem, item.id).version
    return client.post(
        f"/meetings/{item.meeting_id}/agenda/{item.id}/decision",
        data=decision_form(version, decision, "Reviewed", today_london() + timedelta(days=14)),
    )


def test_a_decision_refused_for_a_same_time_approved_meeting_is_said_on_the_chair_s_own_form(
    client_as, factory, session, chair
):
    """The approved meeting comes after the chair's in the case's history (the case went on it second):
    retaining the level at the chair's meeting instead of raising it would change the level it started
    from. The refusal is on
    the decision form the chair was on, not a page of a meeting he may not see."""
    item, theirs = _twins(client_as, factory, session, chair)
    client = client_as(chair)
    assert client.get(f"/meetings/{theirs.id}").status_code == 404

    response = _decide(client, session, item, "RETAIN")

    assert response.status_code == 200
    assert f"at {theirs.reference} on" in " ".join(error_summary(response))
    session.expire_all()
    assert session.get(AgendaItem, item.id).level_decision is LevelDecision.RAISE


def test_a_change_the_record_guard_refuses_goes_back_to_a_page_the_person_sees(
    client_as, factory, session, chair, monkeypatch
):
    """Whatever reaches the approved record of a meeting the person does not see (here with the service's
    own check taken away, so that only the guard on every write stands), the answer is on the meeting
    he was changing, naming the other meeting without sending him to it."""
    from tracker.meetings.services import record

    monkeypatch.setattr(record, "_ensure_later_approved_decision_stands", lambda item, decision: None)
    item, theirs = _twins(client_as, factory, session, chair)
    client = client_as(chair)

    response = _decide(client, session, item, "RETAIN")

    assert response.status_code in (302, 303)
    assert response.location.endswith(f"/meetings/{item.meeting_id}")
    page = client.get(response.location)
    assert page.status_code == 200
    assert f"The minutes of meeting {theirs.reference} are approved" in page_text(page)
    session.expire_all()
    assert session.get(AgendaItem, item.id).level_decision is LevelDecision.RAISE
