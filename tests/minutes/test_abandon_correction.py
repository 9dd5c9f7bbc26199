"""A correction to approved minutes is a draft kept apart from the live record until it is approved; abandoning
it drops the draft, and the meeting's record (decision, plan, pillars, actions), the case's level and history
and the plan a review still being prepared starts from stay as approved. Also run on PostgreSQL
(TEST_DATABASE_URL)."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from tests.meetings.conftest import start_correction
from tests.pages import page_text
from tests.posted import action_form, decision_form
from tracker.core.timeutil import today_london
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Case,
    CaseEvent,
    Level,
    MeetingStatus,
    PillarEntry,
    PlanPartKind,
)
from tracker.minutes.models import Minutes, MinutesStatus, MinutesVersion

SUPERVISION = PlanPartKind.SUPERVISION


def _minutes(session, meeting) -> Minutes:
    session.expire_all()
    return session.exec(select(Minutes).where(Minutes.meeting_id == meeting.id)).one()


def test_abandoning_a_correction_puts_the_approved_record_back_everywhere(client_as, factory, session):
    chair = factory.user("CHAIR", name="Daniel Price")
    first = factory.held_meeting(chair=chair, days_ago=2)  # after the case was referred
    factory.minutes(first, MinutesStatus.DISTRIBUTED)
    source = first.agenda_items[0]
    case = source.case
    client = client_as(chair)
    review = factory.meeting(chair=chair, day=today_london() + timedelta(days=7), status=MeetingStatus.SCHEDULED)
    assert client.post(
        f"/meetings/{review.id}/agenda/new", data={"case_reference": case.reference, "purpose": "REVIEW"}
    ).status_code == 302
    review_item = session.exec(select(AgendaItem).where(AgendaItem.meeting_id == review.id)).one()
    events_before = len(session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id)).all())

    assert start_correction(client, session, first, "Recorded against the wrong case").status_code == 302
    url = f"/meetings/{first.id}/agenda/{source.id}"
    entry = session.get(AgendaItem, source.id).entry_for(SUPERVISION.pillar)
    assert client.post(
        f"{url}/pillars/supervision",
        data={"version": str(entry.version), "status": "ADDRESSED", "summary": "CORRECTION-DRAFT supervision"},
    ).status_code == 302
    item = session.get(AgendaItem, source.id)
    assert client.post(
        f"{url}/decision",
        data=decision_form(
            item.version, "RAISE", "CORRECTION-DRAFT raise", today_london() + timedelta(days=14)
        ),
    ).status_code == 302
    owner = factory.user("PRACTITIONER")
    due = today_london() + timedelta(days=10)
    assert client.post(
        f"{url}/actions/new", data=action_form(owner.agency_id, owner.id, due, description="CORRECTION-DRAFT action")
    ).status_code == 302
    # The chair working on the correction sees the draft; the live record (the case, the review that starts
    # from the meeting, the action owner's list) stays as approved.
    assert "CORRECTION-DRAFT supervision" in page_text(client.get(url))
    session.expire_all()
    assert session.get(Case, case.id).level is Level.LEVEL_2
    assert session.get(AgendaItem, review_item.id).entry_for(SUPERVISION.pillar).summary == (
        "Plan for supervision"
    )
    assert "CORRECTION-DRAFT" not in page_text(client_as(owner).get("/actions"))

    # Meanwhile the owner of one of the meeting's agreed actions marks it done: follow-up, not the record.
    agreed = session.exec(select(Action).where(Action.agenda_item_id == source.id)).first()
    done_by_owner = client_as(session.get(type(chair), agreed.owner_id)).post(f"/actions/{agreed.id}/complete")
    assert done_by_owner.status_code == 302

    shown = client.get(f"/meetings/{first.id}/minutes")
    assert "Abandon the correction" in page_text(shown)
    ask = client.get(f"/meetings/{first.id}/minutes/abandon-correction")
    assert "What was changed for the correction is lost" in page_text(ask)
    minutes = _minutes(session, first)
    done = client.post(
        f"/meetings/{first.id}/minutes/abandon-correction", data={"version": str(minutes.version)},
        follow_redirects=True,
    )
    assert "The correction was abandoned. Version 1 stands, as approved." in page_text(done)

    minutes = _minutes(session, first)
    assert minutes.status is MinutesStatus.DISTRIBUTED
    assert [v.number for v in session.exec(select(MinutesVersion).where(MinutesVersion.minutes_id == minutes.id))] == [1]
    item = session.get(AgendaItem, source.id)
    assert item.entry_for(SUPERVISION.pillar).summary == "Plan for supervision"
    assert item.level_decision.name == "RETAIN" and item.level_decision_reason == "Risk is stable; the plan is working."
    assert session.get(Case, case.id).level is Level.LEVEL_2
    assert len(session.exec(select(CaseEvent).where(CaseEvent.case_id == case.id)).all()) == events_before
    assert not session.exec(select(Action).where(Action.description == "CORRECTION-DRAFT action")).all()
    kept = session.get(Action, agreed.id)
    assert kept.status is ActionStatus.DONE and kept.completed_on == today_london()
    assert session.get(AgendaItem, review_item.id).entry_for(SUPERVISION.pillar).summary == "Plan for supervision"
    assert "CORRECTION-DRAFT" not in page_text(client.get(f"/cases/{case.id}"))
    # The approved record is frozen again.
    entry = item.entry_for(SUPERVISION.pillar)
    client.post(
        f"{url}/pillars/supervision", data={"version": str(entry.version), "status": "ADDRESSED", "summary": "x"}
    )
    session.expire_all()
    assert session.get(PillarEntry, entry.id).summary == "Plan for supervision"
