"""The record of a case's discussion at a meeting: the Four Pillars, the risk assessment and the level
decision with the next review. Each change goes through `ensure_record_open` first."""

from __future__ import annotations

from datetime import date

from sqlmodel import select

from tracker.auth.models import User
from tracker.core import locking
from tracker.core.db import db
from tracker.core.timeutil import london
from tracker.core.types import utcnow
from tracker.meetings import rules
from tracker.meetings.models import (
    AgendaItem,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    Imminence,
    LevelDecision,
    MeetingStatus,
    PillarEntry,
    PillarStatus,
    RiskLevel,
)
from tracker.meetings.services.base import ensure_record_open

# The same fields as the risk form's (tracker.meetings.forms.RISK_FIELDS).
RISK_FIELDS = (
    "risk_to_children",
    "risk_to_public",
    "risk_to_known_adult",
    "risk_to_staff",
    "risk_to_prisoners",
)


def save_pillar(
    item: AgendaItem, entry: PillarEntry, status: PillarStatus, summary: str, reason: str, version, by: User
) -> bool:
    """Record one pillar of the checklist; a reason for it not applying is kept only when it does not.
    False, changing nothing, when someone else saved it since the form was built."""
    ensure_record_open(item.meeting)
    if not locking.claim(entry, version):
        return False
    entry.status = status
    entry.summary = summary or ""
    entry.not_applicable_reason = (reason if status is PillarStatus.NOT_APPLICABLE else "") or ""
    entry.updated_at, entry.updated_by_id = utcnow(), by.id
    return True


def save_risk(item: AgendaItem, values: dict, version, by: User) -> bool:
    """Record the risk assessment (`values`: the risk levels and imminence by name, and the notes,
    contingency plan and licence conditions). False when someone else saved it first."""
    ensure_record_open(item.meeting)
    if not locking.claim(item, version):
        return False
    for name in RISK_FIELDS:
        setattr(item, name, RiskLevel[values[name]])
    item.imminence = Imminence[values["imminence"]]
    for name in ("risk_notes", "contingency_plan", "licence_conditions"):
        setattr(item, name, values.get(name) or "")
    return True


def decide_level(
    item: AgendaItem, decision: LevelDecision, reason: str, next_review_on: date | None, version, by: User
) -> bool:
    """Record the level decision and next review (none when the case leaves MAPPA management). False
    when someone else saved the item first."""
    ensure_record_open(item.meeting)
    if not locking.claim(item, version):
        return False
    review_on = next_review_on if rules.level_after_decision(item.level_considered, decision) else None
    record_decision(item, decision, reason, review_on, by)
    return True


def record_decision(
    item: AgendaItem, decision: LevelDecision, reason: str, next_review_on: date | None, by: User
) -> None:
    """Save the meeting's level decision for a case, and apply it to the case and its history.

    Deciding again (a correction) replaces the change the earlier decision made, rather than stacking a
    second one.
    """
    case = item.case
    meeting_day = london(item.meeting.starts_at).date()
    earlier = db.session.exec(select(CaseEvent).where(CaseEvent.agenda_item_id == item.id)).first()
    if earlier is not None:
        case.level = earlier.previous_level or earlier.level
        if earlier.kind is CaseEventKind.EXITED:
            case.status = CaseStatus.ACTIVE
        db.session.delete(earlier)
    item.level_decision = decision
    item.level_decision_reason = reason
    item.next_review_on = next_review_on
    new_level = rules.level_after_decision(item.level_considered, decision)
    if new_level is None:
        case.status = CaseStatus.EXITED
        kind, level = CaseEventKind.EXITED, case.level
    elif new_level is not case.level:
        kind, level = CaseEventKind.LEVEL_CHANGED, new_level
    else:
        kind = None
    if kind is not None:
        db.session.add(
            CaseEvent(
                case_id=case.id,
                kind=kind,
                occurred_on=meeting_day,
                level=level,
                previous_level=case.level,
                reason=reason,
                agenda_item_id=item.id,
                recorded_by_id=by.id,
            )
        )
        case.level = level
    # The review date reaches the case once the meeting is held (here, or in `mark_held`): a meeting
    # still scheduled may yet be cancelled, and the case's current deadline stands until then.
    held = item.meeting.status is MeetingStatus.HELD
    if held and (case.last_reviewed_on is None or case.last_reviewed_on <= meeting_day):
        case.next_review_on = next_review_on
        case.last_reviewed_on = meeting_day
