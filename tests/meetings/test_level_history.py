"""A level change recorded outside a meeting enters the case's history at its date: it starts from the level
the case had that day, and it may not rewrite what a meeting whose minutes are approved decided (nor may any
other write, whatever path it takes)."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from tests.meetings.conftest import move_meeting
from tests.pages import error_summary, page_text
from tests.posted import date_parts, decision_form
from tracker.core.db import db
from tracker.core.timeutil import format_date, today_london
from tracker.meetings import freeze, timeline
from tracker.meetings.models import (
    AgendaItem,
    Case,
    CaseEvent,
    CaseEventKind,
    Level,
    LevelDecision,
    MeetingStatus,
)
from tracker.minutes.models import MinutesStatus


@pytest.fixture
def chair(factory):
    return factory.user("CHAIR", name="Daniel Price")


def _lowered(client_as, factory, session, chair, days_ago: int = 15) -> tuple[Case, AgendaItem]:
    """A Level 2 case lowered to Level 1 at a meeting held `days_ago` days ago (the decision recorded
    through the page, so its history entry is made as in use)."""
    today = today_london()
    case = factory.case(Level.LEVEL_2, referred_on=today - timedelta(days=60))
    meeting = factory.meeting(chair=chair, day=today - timedelta(days=days_ago), status=MeetingStatus.HELD)
    item = factory.agenda_item(meeting, case)
    response = client_as(chair).post(
        f"/meetings/{meeting.id}/agenda/{item.id}/decision",
        data=decision_form(item.version, "LOWER", "Risk has reduced", today + timedelta(weeks=8)),
    )
    assert response.status_code == 302, page_text(response)
    session.expire_all()
    return session.get(Case, case.id), session.get(AgendaItem, item.id)


def _change(client, case: Case, level: str, on: date, reason: str = "Risk escalated"):
    return client.post(
        f"/cases/{case.id}/events/new",
        data={"kind": "LEVEL_CHANGED", "new_level": level, "occurred_on": date_parts(on), "reason": reason},
    )


def _history(session, case: Case) -> list[tuple]:
    session.expire_all()
    events = session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.occurred_on, CaseEvent.id)
    ).all()
    return [(e.occurred_on, e.kind, e.previous_level, e.level, e.agenda_item_id) for e in events]


def _snapshot(session) -> dict[str, list]:
    return {
        table: [tuple(row) for row in session.execute(sa.text(f"SELECT * FROM {table} ORDER BY 1"))]  # noqa: S608
        for table in ("case_event", "mappa_case", "agenda_item")
    }


# The level the change starts from --------------------------------------------------------------------


def test_a_back_dated_change_starts_from_the_level_on_its_date(client_as, factory, session, chair):
    """The case was Level 2 until a meeting lowered it to Level 1: a change to Level 3 dated before that
    meeting is "Level 2 to Level 3", not "Level 1 to Level 3"."""
    case, item = _lowered(client_as, factory, session, chair)
    on = today_london() - timedelta(days=24)
    response = _change(client_as("COORDINATOR"), case, "LEVEL_3", on)
    assert response.status_code == 302, page_text(response)
    change = session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.agenda_item_id.is_(None))
        .where(CaseEvent.kind == CaseEventKind.LEVEL_CHANGED)
    ).one()
    assert (change.occurred_on, change.previous_level, change.level) == (on, Level.LEVEL_2, Level.LEVEL_3)
    # The meeting's minutes are not approved: its decision now lowers from Level 3, to the level it fixed.
    decided = session.exec(select(CaseEvent).where(CaseEvent.agenda_item_id == item.id)).one()
    assert (decided.previous_level, decided.level) == (Level.LEVEL_3, Level.LEVEL_1)
    assert session.get(Case, case.id).level is Level.LEVEL_1


def test_a_change_recorded_later_but_dated_earlier_moves_the_from_level_of_the_next(client_as, factory, session):
    today = today_london()
    case = factory.case(Level.LEVEL_2, referred_on=today - timedelta(days=60))
    client = client_as("COORDINATOR")
    assert _change(client, case, "LEVEL_3", today - timedelta(days=5)).status_code == 302
    assert _change(client, case, "LEVEL_1", today - timedelta(days=10)).status_code == 302
    assert [(e[2], e[3]) for e in _history(session, case)[1:]] == [
        (Level.LEVEL_2, Level.LEVEL_1),
        (Level.LEVEL_1, Level.LEVEL_3),
    ]
    assert session.get(Case, case.id).level is Level.LEVEL_3


def test_a_change_to_the_level_the_case_has_now_but_not_on_its_date_is_recorded(
    client_as, factory, session, chair
):
    case, _item = _lowered(client_as, factory, session, chair)
    on = today_london() - timedelta(days=24)
    response = _change(client_as("COORDINATOR"), case, "LEVEL_1", on)
    assert response.status_code == 302, page_text(response)
    response = _change(client_as("COORDINATOR"), case, "LEVEL_1", on + timedelta(days=1))
    assert error_summary(response) == ["The case is already at Level 1: select a different level"]


def test_a_custody_event_records_the_level_on_its_date(client_as, factory, session, chair):
    case, _item = _lowered(client_as, factory, session, chair)
    on = today_london() - timedelta(days=24)
    response = client_as("COORDINATOR").post(
        f"/cases/{case.id}/events/new",
        data={"kind": "RECALLED", "occurred_on": date_parts(on), "reason": "Breached the curfew"},
    )
    assert response.status_code == 302, page_text(response)
    recalled = session.exec(select(CaseEvent).where(CaseEvent.kind == CaseEventKind.RECALLED)).one()
    assert recalled.level is Level.LEVEL_2


# What an approved meeting decided stands -------------------------------------------------------------


@pytest.mark.parametrize("days_before_the_meeting", [9, 0])
def test_a_change_dated_on_or_before_an_approved_decision_is_refused_and_changes_nothing(
    client_as, factory, session, chair, days_before_the_meeting
):
    case, item = _lowered(client_as, factory, session, chair)
    factory.minutes(item.meeting, MinutesStatus.DISTRIBUTED)
    before = _snapshot(session)
    held_on = today_london() - timedelta(days=15)
    client = client_as("COORDINATOR")

    response = _change(client, case, "LEVEL_3", held_on - timedelta(days=days_before_the_meeting))

    assert response.status_code == 200
    held = format_date(held_on)
    message = (
        f"A change of level must come after {item.meeting.reference}, held on {held} from 10:00, whose "
        "minutes are approved: before that meeting it would change the level that meeting started from. "
        f"Give a date after {held}, or {held} with the time it happened (after 10:00); or correct those minutes"
    )
    assert error_summary(response) == [message]
    session.expire_all()
    assert _snapshot(session) == before
    assert (Level.LEVEL_2, Level.LEVEL_1) in [(e[2], e[3]) for e in _history(session, case)]


def test_a_change_dated_after_an_approved_decision_starts_from_it(client_as, factory, session, chair):
    case, item = _lowered(client_as, factory, session, chair)
    factory.minutes(item.meeting, MinutesStatus.APPROVED)
    on = today_london() - timedelta(days=5)
    response = _change(client_as("COORDINATOR"), case, "LEVEL_3", on)
    assert response.status_code == 302, page_text(response)
    assert _history(session, case)[1:] == [
        (on - timedelta(days=10), CaseEventKind.LEVEL_CHANGED, Level.LEVEL_2, Level.LEVEL_1, item.id),
        (on, CaseEventKind.LEVEL_CHANGED, Level.LEVEL_1, Level.LEVEL_3, None),
    ]
    assert session.get(Case, case.id).level is Level.LEVEL_3


@pytest.mark.parametrize("write", ["change", "delete", "replay"])
def test_no_session_can_rewrite_the_history_entry_of_an_approved_decision(
    app_context, client_as, factory, session, chair, write
):
    """The guard, not only the form: the decision's own entry changed or deleted, or a back-dated entry
    written straight to the session and the history replayed, is refused when it flushes."""
    case, item = _lowered(client_as, factory, session, chair)
    factory.minutes(item.meeting, MinutesStatus.APPROVED)
    before = _snapshot(session)
    decided = db.session.exec(select(CaseEvent).where(CaseEvent.agenda_item_id == item.id)).one()
    if write == "change":
        decided.previous_level = Level.LEVEL_3
    elif write == "delete":
        db.session.delete(decided)
    else:
        db.session.add(
            CaseEvent(
                case_id=case.id,
                kind=CaseEventKind.LEVEL_CHANGED,
                occurred_on=today_london() - timedelta(days=24),
                previous_level=Level.LEVEL_2,
                level=Level.LEVEL_3,
            )
        )
    with pytest.raises(freeze.RecordFrozen):
        timeline.rederive(db.session.get(Case, case.id)) if write == "replay" else db.session.flush()
    db.session.rollback()
    session.expire_all()
    assert _snapshot(session) == before


def test_the_latest_approved_decision_is_found_for_each_case(client_as, factory, session, chair):
    case, item = _lowered(client_as, factory, session, chair)
    assert timeline.decided_at_approved_meetings([case.id], session) == {}
    factory.minutes(item.meeting, MinutesStatus.APPROVED)
    later = factory.meeting(chair=chair, day=today_london() - timedelta(days=3), status=MeetingStatus.HELD)
    factory.agenda_item(later, case, level_decision=LevelDecision.RETAIN)  # minutes not approved yet
    found = timeline.decided_at_approved_meetings([case.id], session)
    assert found == {
        case.id: timeline.Decided(
            item.meeting_id, item.meeting.reference, today_london() - timedelta(days=15), time(10, 0)
        )
    }


# A decision at an earlier meeting still open ------------------------------------------------------------


def _decide(client, item: AgendaItem, decision: str, reason: str = "Reviewed"):
    return client.post(
        f"/meetings/{item.meeting_id}/agenda/{item.id}/decision",
        data=decision_form(item.version, decision, reason, today_london() + timedelta(days=14)),
    )


def test_a_decision_that_would_change_what_a_later_approved_meeting_started_from_is_refused(
    client_as, factory, session, chair
):
    """An earlier meeting's record still open (its minutes not approved) may not change the level the case
    moved on with once a later meeting's decision on it is approved: that meeting started from it. A
    decision with the same effect (a new reason) is still saved."""
    case, later = _lowered(client_as, factory, session, chair, days_ago=15)
    factory.minutes(later.meeting, MinutesStatus.DISTRIBUTED)
    earlier_meeting = factory.meeting(
        chair=chair, day=today_london() - timedelta(days=40), status=MeetingStatus.HELD
    )
    earlier = factory.agenda_item(earlier_meeting, session.get(Case, case.id))
    client = client_as(chair)
    assert _decide(client, earlier, "RETAIN").status_code == 302
    session.expire_all()
    earlier = session.get(AgendaItem, earlier.id)
    before = _snapshot(session)

    for decision in ("RAISE", "LOWER", "EXIT"):
        response = _decide(client, earlier, decision)
        assert response.status_code == 200, decision
        assert error_summary(response) == [
            f"The level of {case.reference} was decided after this meeting, at {later.meeting.reference} on "
            f"{format_date(today_london() - timedelta(days=15))}, whose minutes are approved: that meeting "
            "started from the level this one left. Correct those minutes first to change this decision"
        ]
        session.expire_all()
        assert _snapshot(session) == before

    assert _decide(client, earlier, "RETAIN", reason="Reviewed again: risk stable").status_code == 302
    session.expire_all()
    assert session.get(AgendaItem, earlier.id).level_decision_reason == "Reviewed again: risk stable"


@pytest.mark.parametrize("kind", ["EXITED", "RECALLED", "CUSTODY_OTHER"])
def test_an_exit_or_return_to_custody_dated_before_an_approved_decision_is_refused(
    client_as, factory, session, chair, kind
):
    case, item = _lowered(client_as, factory, session, chair)
    factory.minutes(item.meeting, MinutesStatus.APPROVED)
    before = _snapshot(session)
    response = client_as("COORDINATOR").post(
        f"/cases/{case.id}/events/new",
        data={"kind": kind, "occurred_on": date_parts(today_london() - timedelta(days=20)), "reason": "Recorded"},
    )
    assert response.status_code == 200
    what = {"EXITED": "An exit from MAPPA", "RECALLED": "A return to custody", "CUSTODY_OTHER": "A return to custody"}
    assert error_summary(response)[0].startswith(f"{what[kind]} must come after {item.meeting.reference}")
    session.expire_all()
    assert _snapshot(session) == before


@pytest.mark.parametrize("kind", ["LEVEL_CHANGED", "RECALLED"])
def test_an_event_dated_before_the_referral_is_refused(client_as, factory, session, kind):
    referred_on = today_london() - timedelta(days=30)
    case = factory.case(Level.LEVEL_2, referred_on=referred_on)
    before = _snapshot(session)
    response = client_as("COORDINATOR").post(
        f"/cases/{case.id}/events/new",
        data={
            "kind": kind,
            "new_level": "LEVEL_3" if kind == "LEVEL_CHANGED" else "",
            "occurred_on": date_parts(referred_on - timedelta(days=1)),
            "reason": "Recorded",
        },
    )
    assert response.status_code == 200
    assert error_summary(response) == [f"The date must be on or after the case's referral, {format_date(referred_on)}"]
    session.expire_all()
    assert _snapshot(session) == before


def test_a_later_approved_retain_is_protected_too(client_as, factory, session, chair):
    """The tester's case: the later meeting retained the level (no history entry of its own) and its
    minutes are approved; lowering at the earlier meeting would change the level it retained."""
    case = factory.case(Level.LEVEL_2, referred_on=today_london() - timedelta(days=90))
    later = factory.agenda_item(
        factory.meeting(chair=chair, day=today_london() - timedelta(days=10), status=MeetingStatus.HELD), case
    )
    earlier = factory.agenda_item(
        factory.meeting(chair=chair, day=today_london() - timedelta(days=20), status=MeetingStatus.HELD), case
    )
    client = client_as(chair)
    assert _decide(client, later, "RETAIN").status_code == 302
    factory.minutes(later.meeting, MinutesStatus.APPROVED)
    session.expire_all()
    before = _snapshot(session)
    response = _decide(client, session.get(AgendaItem, earlier.id), "LOWER")
    assert response.status_code == 200
    assert error_summary(response)[0].startswith(f"The level of {case.reference} was decided after this meeting")
    session.expire_all()
    assert _snapshot(session) == before


def test_an_exit_shows_the_level_the_case_left_at_not_a_change_to_itself(client_as, factory, session, chair):
    case = factory.case(Level.LEVEL_2, referred_on=today_london() - timedelta(days=90))
    item = factory.agenda_item(
        factory.meeting(chair=chair, day=today_london() - timedelta(days=5), status=MeetingStatus.HELD), case
    )
    client = client_as(chair)
    assert _decide(client, item, "EXIT").status_code == 302
    text = page_text(client.get(f"/cases/{case.id}"))
    assert "Exited MAPPA" in text and "Level 2 to Level 2" not in text


def test_a_meeting_later_the_same_day_than_an_approved_one_may_decide(client_as, factory, session, chair):
    """Meetings on one day follow their start times: a decision at 14:00 comes after one approved at
    10:00, so it changes nothing that meeting started from."""
    from datetime import time

    from tracker.core.timeutil import london_to_utc

    day = today_london() - timedelta(days=3)
    case = factory.case(Level.LEVEL_2, referred_on=day - timedelta(days=60))
    morning = factory.agenda_item(factory.meeting(chair=chair, day=day, status=MeetingStatus.HELD), case)
    afternoon = factory.meeting(chair=chair, day=day, status=MeetingStatus.HELD)
    afternoon.starts_at, afternoon.ends_at = london_to_utc(day, time(14, 0)), london_to_utc(day, time(15, 0))
    factory.save(afternoon)
    later = factory.agenda_item(afternoon, case)
    client = client_as(chair)
    assert _decide(client, morning, "RETAIN").status_code == 302
    factory.minutes(morning.meeting, MinutesStatus.APPROVED)
    session.expire_all()
    assert _decide(client, session.get(AgendaItem, later.id), "RAISE").status_code == 302
    session.expire_all()
    assert session.get(Case, case.id).level is Level.LEVEL_3


def _raised_then_retained(factory, day, early_at):
    """A Level 2 case raised at a meeting (still scheduled) at `early_at` on `day`, and retained at a later
    meeting that day (held), whose minutes are approved: (chair, early meeting, late meeting)."""
    from datetime import datetime

    from tracker.core.timeutil import london_to_utc

    chair = factory.user("CHAIR", name="Covering Chair")
    case = factory.case(Level.LEVEL_2, referred_on=day - timedelta(days=60))
    early = factory.meeting(chair=chair, day=day)
    ends_at = (datetime.combine(day, early_at) + timedelta(minutes=30)).time()
    early.starts_at, early.ends_at = london_to_utc(day, early_at), london_to_utc(day, ends_at)
    factory.save(early)
    factory.agenda_item(early, case, level_decision=LevelDecision.RAISE, level_decided=Level.LEVEL_3)
    late = factory.meeting(chair=chair, day=day, status=MeetingStatus.HELD)
    factory.agenda_item(late, case, level_decision=LevelDecision.RETAIN)
    factory.minutes(late, MinutesStatus.APPROVED)
    return chair, early, late


def test_a_meeting_that_decided_a_level_cannot_move_past_an_approved_meeting_on_the_same_case(
    client_as, factory, session
):
    """The tester's way round: the earlier meeting raised the level, the later one (approved) retained it;
    moving the earlier meeting after the later one would have the approved meeting start from Level 2."""
    from datetime import time

    from tracker.core.timeutil import london

    day = today_london() + timedelta(days=1)
    chair, early, late = _raised_then_retained(factory, day, time(9, 0))
    client = client_as("COORDINATOR")

    def move(start: str, end: str):
        return move_meeting(client, session, early, chair, day, start_time=start, end_time=end)

    refused = move("11:00", "11:30")
    assert refused.status_code == 200
    assert error_summary(refused) == [
        f"{late.reference} ({format_date(day)}) decided the level of a case this meeting decided too, and its "
        "minutes are approved: moving this meeting past it would change the level that meeting started "
        "from. Correct those minutes first, or keep this meeting's date and time"
    ]
    session.expire_all()
    assert london(session.get(type(early), early.id).starts_at).time() == time(9, 0)
    assert move("08:30", "09:00").status_code == 302  # earlier still: nothing it comes before changes


def test_a_meeting_whose_level_decision_an_approved_meeting_builds_on_cannot_be_cancelled(
    client_as, factory, session
):
    """The tester's second way round: the earlier meeting (never marked held) raised the level and the
    later one retained it at Level 3, its minutes approved; cancelling the earlier one would have dropped
    its decision from the case's history, and the approved minutes would start from Level 2."""
    from datetime import time

    day = today_london()
    _chair, early, late = _raised_then_retained(factory, day, time(8, 0))
    client = client_as("COORDINATOR")
    response = client.post(f"/meetings/{early.id}/cancel", data={"version": str(early.version), "reason": "Off"})
    assert response.status_code == 200
    assert error_summary(response) == [
        f"This meeting recorded a level decision for a case that {late.reference} ({format_date(day)}) "
        "decided after it, and that meeting's minutes are approved: cancelling this one would change the "
        "level that meeting started from. If this meeting took place, record it as held; otherwise correct "
        "those minutes first"
    ]
    session.expire_all()
    assert session.get(type(early), early.id).status is MeetingStatus.SCHEDULED
