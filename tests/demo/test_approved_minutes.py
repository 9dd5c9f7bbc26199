"""The demo's approved minutes are records the app itself could have made: every meeting whose minutes
are approved passes the checks a chair's approval runs, and each can be corrected, its actions saved again
as they stand and approved again, as a chair learning the system on the demo would try."""

from __future__ import annotations

from sqlmodel import col, select
from werkzeug.datastructures import MultiDict

from tests.minutes.conftest import text_of
from tracker.auth.models import User
from tracker.core.db import db
from tracker.meetings.forms import ActionForm
from tracker.meetings.models import Action, ActionStatus, Meeting
from tracker.minutes import record as records
from tracker.minutes import services
from tracker.minutes.models import Minutes, MinutesStatus

APPROVED = (MinutesStatus.APPROVED, MinutesStatus.DISTRIBUTED)


def _approved_meetings() -> list[Meeting]:
    ids = db.session.exec(select(Minutes.meeting_id).where(col(Minutes.status).in_(APPROVED))).all()
    meetings = sorted(records.load_meetings(list(ids)), key=lambda meeting: meeting.starts_at)
    assert len(meetings) > 20, "the demo has a year and more of approved minutes"
    return meetings


def _actions(meeting: Meeting) -> list[Action]:
    return db.session.exec(
        select(Action)
        .where(
            col(Action.agenda_item_id).in_([item.id for item in meeting.agenda_items]),
            Action.status != ActionStatus.REMOVED,
        )
        .order_by(col(Action.id))
    ).all()


def _as_posted(action: Action) -> dict:
    """The action's edit form sent back unchanged, as its page shows it."""
    return {
        "description": action.description,
        "pillar": action.pillar.name if action.pillar else "",
        "owner_agency_id": str(action.owner_agency_id),
        "owner_id": str(action.owner_id or ""),
        "due_on": [str(action.due_on.day), str(action.due_on.month), str(action.due_on.year)],
    }


def test_every_demo_meeting_with_approved_minutes_passes_the_checks_approval_runs(app, demo):
    meetings = _approved_meetings()
    problems = {
        meeting.reference: found for meeting in meetings if (found := services.approval_problems(meeting))
    }
    assert problems == {}
    # Each action as agreed could be saved again from its form: its owner is one of the form's choices.
    refused = []
    for meeting in meetings:
        category_4 = {item.id: item.case.is_category_4 for item in meeting.agenda_items}
        for action in _actions(meeting):
            with app.test_request_context(method="POST"):
                form = ActionForm(
                    MultiDict(_as_posted(action)), cleared_only=category_4[action.agenda_item_id]
                )
                if not form.validate():
                    refused.append((meeting.reference, action.owner_agency.name, form.errors))
    assert refused == []


def _sample(meetings: list[Meeting]) -> list[Meeting]:
    """The latest approved meeting of each chair and, for each agency that owns an action in approved
    minutes, the latest with one of its actions (every meeting would take the suite a minute and more)."""
    chosen: dict[object, Meeting] = {}
    for meeting in meetings:  # oldest first: the latest one of each kind stays
        chosen[("chair", meeting.chair_id)] = meeting
        for action in _actions(meeting):
            chosen[("agency", action.owner_agency_id)] = meeting
    return sorted({meeting.id: meeting for meeting in chosen.values()}.values(), key=lambda m: m.starts_at)


def test_demo_minutes_can_be_corrected_their_actions_saved_as_they_stand_and_approved_again(demo, client_as):
    sample = _sample(_approved_meetings())
    owners = {action.owner_agency_id for meeting in sample for action in _actions(meeting)}
    assert len({meeting.chair_id for meeting in sample}) == 2 and len(owners) >= 5
    failed = []
    for meeting in sample:
        chair = client_as(db.session.get(User, meeting.chair_id))
        base = f"/meetings/{meeting.id}"
        minutes = records.load_minutes(meeting)
        response = chair.post(
            f"{base}/minutes/correct",
            data={"version": minutes.version, "reason": "Checking the record is complete"},
        )
        steps = [("correct", response)]
        for action in _actions(meeting):
            edit = f"{base}/agenda/{action.agenda_item_id}/actions/{action.id}/edit"
            steps.append((f"save action {action.id}", chair.post(edit, data=_as_posted(action))))
        db.session.expire_all()
        minutes = records.load_minutes(meeting)
        steps.append(("submit", chair.post(f"{base}/minutes/submit", data={"version": minutes.version})))
        db.session.expire_all()
        minutes = records.load_minutes(meeting)
        steps.append(("approve", chair.post(f"{base}/minutes/approve", data={"version": minutes.version})))
        failed += [
            (meeting.reference, step, text_of(response)[:300])
            for step, response in steps
            if response.status_code != 302
        ]
        db.session.expire_all()
        minutes = records.load_minutes(meeting)
        if minutes.status is not MinutesStatus.APPROVED or minutes.current.approved_at is None:
            failed.append((meeting.reference, "not approved again", minutes.status.name))
    assert failed == []
