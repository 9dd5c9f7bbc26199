"""A case on the agenda that the meeting did not discuss after all (deferred: not reached, a key agency
absent): marked with the chair's reason, and undone while the record is still open.

A case not discussed agreed nothing, as a meeting called off agreed nothing (`cancel`): marking it withdraws
what had been recorded for it at this meeting, after a page that lists each thing first. Its plan goes back
to the plan as last agreed (waiting, as when it was put on the agenda), its level decision and next review
are cleared, and the actions agreed for it are taken off the record (kept, marked removed). The case then
stands as it did before the meeting (`timeline` and `plan` leave the item out): its level, review date, plan
and "last discussed" unchanged, and a review that was due stays due. Undoing it puts the case back to be
discussed; what was withdrawn is not put back.
"""

from __future__ import annotations

from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core import audit, locking
from tracker.core.db import db
from tracker.meetings import freeze, plan, timeline
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    LevelDecision,
    Meeting,
    PillarStatus,
    PlanOutcome,
    PlanPartKind,
)
from tracker.meetings.services.actions import remove_action
from tracker.meetings.services.base import Refused, ensure_record_open
from tracker.meetings.services.record import _ensure_later_approved_decision_stands, ensure_plan_open


def _actions(item: AgendaItem) -> list[Action]:
    """The actions agreed for the case at this meeting (not those already taken off the record)."""
    return list(
        db.session.exec(
            select(Action)
            .where(Action.agenda_item_id == item.id, Action.status != ActionStatus.REMOVED)
            .order_by(col(Action.id))
        )
    )


def withdrawn_by_deferral(item: AgendaItem) -> list[str]:
    """What marking the case not discussed withdraws from the meeting's record, as the page warns of it
    (each a sentence's object: "the plan's supervision as recorded here")."""
    found = []
    looked_at = [part.part.label.lower() for part in item.plan_parts if part.reviewed_at is not None]
    if looked_at:
        found.append("the plan's " + ", ".join(looked_at) + " as recorded here")
    if item.level_decision is not None:
        found.append(f"the level decision ({item.level_decision.label}) and its next review date")
    actions = _actions(item)
    if actions:
        found.append(f"{len(actions)} action{'s' if len(actions) != 1 else ''} agreed for the case")
    return found


def ensure_may_defer(meeting: Meeting, item: AgendaItem) -> None:
    """Whether the case may be marked not discussed (asked before the form is shown, and again as it is
    saved): the record open (not once the minutes are approved, nor in a correction to them), the case not
    already marked, and nothing a later meeting's approved minutes started from (its plan or decision)."""
    _ensure_open(meeting, item)
    if item.not_discussed:
        raise Refused(f"{item.case.reference} is already marked as not discussed at this meeting")
    _ensure_none_approved_later(item)
    ensure_plan_open(item, list(PlanPartKind))
    _ensure_later_approved_decision_stands(item, LevelDecision.RETAIN)


def defer(meeting: Meeting, item: AgendaItem, reason: str, version, by: User) -> bool:
    """Mark the case not discussed at this meeting, for `reason`, withdrawing what was recorded for it
    (`withdrawn_by_deferral`). False, changing nothing, when someone else saved the item since the page
    was built."""
    ensure_may_defer(meeting, item)
    if not reason.strip():
        raise Refused("Enter why the case was not discussed", field="reason")
    if not locking.claim(item, version):
        return False
    withdrawn = withdrawn_by_deferral(item)
    _withdraw_plan(item)
    _withdraw_decision(item)
    for action in _actions(item):
        remove_action(action)
    item.not_discussed_reason = reason.strip()
    _set_case(item, by)
    summary = f"{item.case.reference} not discussed at {meeting.reference}: {item.not_discussed_reason}"
    if withdrawn:
        summary += ". Withdrawn: " + "; ".join(withdrawn)
    audit.record("not discussed", item, summary=summary)
    return True


def undo_deferral(meeting: Meeting, item: AgendaItem, by: User) -> None:
    """Put the case back to be discussed at this meeting (its plan waiting to be confirmed or changed).
    Refused once a later meeting on the case has approved minutes: that meeting started from the case as
    it stood without this discussion."""
    _ensure_open(meeting, item)
    if not item.not_discussed:
        raise Refused(f"{item.case.reference} is not marked as not discussed at this meeting")
    _ensure_none_approved_later(item, undoing=True)
    item.not_discussed_reason = ""
    item.version += 1  # a form opened before is refused rather than saved over this
    _set_case(item, by)
    summary = f"{item.case.reference} to be discussed at {meeting.reference} after all"
    audit.record("discussion restored", item, summary=summary)


def _ensure_open(meeting: Meeting, item: AgendaItem) -> None:
    ensure_record_open(meeting)
    if freeze.correcting(meeting.id):
        raise Refused(
            f"The minutes of {meeting.reference} are being corrected: whether {item.case.reference} was "
            "discussed cannot be changed in a correction"
        )


def _later_approved(item: AgendaItem) -> freeze.Settled | None:
    settled = freeze.settled_meetings([item.case_id]).get(item.case_id, [])
    return next((each for each in settled if each.starts_at > item.meeting.starts_at), None)


def _ensure_none_approved_later(item: AgendaItem, undoing: bool = False) -> None:
    """Marking the case not discussed, and undoing that, are refused alike once a later meeting on the case
    has approved minutes (approved once: being corrected too): that meeting started from the case as it
    stood with (or without) this discussion, directly or through the meetings in between, which would
    take the plan as last agreed before them afresh."""
    later = _later_approved(item)
    if later is None:
        return
    stood = "without" if undoing else "with"
    raise Refused(
        f"{later.reference}, a later meeting on {item.case.reference}, has approved minutes: it "
        f"started from the case as it stood {stood} this discussion, so whether the case was discussed "
        "here can no longer be changed, not even by correcting those minutes"
    )


def _withdraw_plan(item: AgendaItem) -> None:
    """Each part of the plan back to the plan as last agreed (blank at the case's first meeting), waiting."""
    for part in item.plan_parts:
        source = db.session.get(AgendaItem, part.carried_from_id) if part.carried_from_id else None
        if source is not None:
            plan.copy_part(source, item, part.part)
        else:
            _blank(item, part.part)
        part.outcome, part.reviewed_at, part.reviewed_by_id = PlanOutcome.PENDING, None, None
    for entry in item.pillar_entries:
        entry.version += 1  # a form opened on the withdrawn wording is refused rather than saved over it


def _blank(item: AgendaItem, kind: PlanPartKind) -> None:
    if kind.pillar is not None:
        entry = item.entry_for(kind.pillar)
        if entry is not None:
            entry.status, entry.summary, entry.not_applicable_reason = PillarStatus.OUTSTANDING, "", ""
        return
    for name in plan.ITEM_COLUMNS[kind]:
        setattr(item, name, AgendaItem.model_fields[name].default)


def _withdraw_decision(item: AgendaItem) -> None:
    item.level_decision, item.level_decision_reason, item.level_decided = None, "", None
    item.next_review_on = None
    item.decision_recorded_by_id, item.decision_recorded_at = None, None


def _set_case(item: AgendaItem, by: User) -> None:
    """The case from its history without (or with) this discussion, and its reviews still being prepared
    from the plan as now last agreed."""
    timeline.rederive(item.case, by.id)
    plan.carry_forward(item.case_id)
