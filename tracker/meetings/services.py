"""What happens when a case or meeting changes: the steps that keep a case's history, its review dates
and a meeting's calendar right. Views call these after a form validates; they flush, never commit (the
request commits once).

A meeting is in the diary of its chair, its administrator and each person invited by name. Scheduling
it, changing its time or place, cancelling it, and adding or taking someone off it queue the Outlook
invitation, update or cancellation here; `tracker.calendar.outbox` sends them once the change is saved.
"""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.calendar import outbox
from tracker.core.db import db
from tracker.core.timeutil import london, london_to_utc
from tracker.core.types import utcnow
from tracker.meetings import ics, plan, rules, timeline
from tracker.meetings.models import (
    MEETING_CALENDAR_FIELDS,
    Action,
    ActionStatus,
    AgendaItem,
    AgendaPurpose,
    Case,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    Invitation,
    Level,
    LevelDecision,
    Meeting,
    MeetingStatus,
    Pillar,
    PillarEntry,
)

# Cases ---------------------------------------------------------------------------------------------


def refer_case(case: Case, level: Level, by: User) -> Case:
    """Add a newly referred case, with its referral as the first entry of its history."""
    case.level = level
    case.status = CaseStatus.ACTIVE
    case.created_by_id = by.id
    db.session.add(case)
    db.session.flush()
    db.session.add(
        CaseEvent(
            case_id=case.id,
            kind=CaseEventKind.REFERRED,
            occurred_on=case.referred_on,
            level=level,
            reason="Referred for Level 2 or 3 management",
            recorded_by_id=by.id,
        )
    )
    return case


def record_case_event(
    case: Case, kind: CaseEventKind, occurred_on: date, new_level: Level | None, reason: str, by: User
) -> CaseEvent:
    """Record a level change or custody event and apply it to the case. Raises ValueError (a message for
    the form) when the event does not fit the case."""
    status, level = rules.case_after_event(case.status, case.level, kind, new_level)
    event = CaseEvent(
        case_id=case.id,
        kind=kind,
        occurred_on=occurred_on,
        level=level,
        previous_level=case.level if level is not case.level else None,
        reason=reason,
        recorded_by_id=by.id,
    )
    case.status, case.level = status, level
    db.session.add(event)
    # An event dated before meetings already recorded: the case is what its history says, in date order.
    timeline.rederive(case, by.id)
    return event


# Meetings ------------------------------------------------------------------------------------------


def next_reference(day: date) -> str:
    prefix = f"M-{day.year}-"
    last = db.session.scalar(
        select(sa.func.max(Meeting.reference)).where(col(Meeting.reference).like(prefix + "%"))
    )
    return rules.next_meeting_reference(day.year, int(last.rsplit("-", 1)[1]) if last else None)


def set_meeting_times(meeting: Meeting, day: date, starts: time, ends: time) -> None:
    meeting.starts_at = london_to_utc(day, starts)
    meeting.ends_at = london_to_utc(day, ends)


def calendar_moved(meeting: Meeting) -> bool:
    """Whether the date, time, place or status changed since the meeting was loaded (read it before
    anything flushes the session)."""
    state = sa.inspect(meeting)
    return state.persistent and any(
        state.attrs[name].history.has_changes() for name in MEETING_CALENDAR_FIELDS
    )


def note_calendar_change(meeting: Meeting, *, moved: bool, someone_removed: bool = False) -> None:
    """The one place a meeting's calendar SEQUENCE rises: once when its date, time, place or status
    changed, or someone was taken off it (so that their cancellation outranks their invitation)."""
    if moved or someone_removed:
        meeting.sequence += 1
    meeting.updated_at = utcnow()


def bump_sequence_if_moved(meeting: Meeting) -> bool:
    moved = calendar_moved(meeting)
    note_calendar_change(meeting, moved=moved)
    return moved


def _in_diaries(meeting: Meeting) -> bool:
    """Invitations and updates are for meetings still to happen (`outbox` drops past ones too)."""
    return meeting.status is MeetingStatus.SCHEDULED


def schedule_meeting(meeting: Meeting) -> Meeting:
    """Give a new meeting its reference and invite its chair and administrator."""
    meeting.reference = next_reference(london(meeting.starts_at).date())
    meeting.status = MeetingStatus.SCHEDULED
    meeting.sequence = 0
    db.session.add(meeting)
    db.session.flush()
    people = ics.attendees(meeting)
    outbox.invite(ics.event(meeting, people), people, about=meeting)
    return meeting


def update_meeting(meeting: Meeting) -> None:
    """After its details form is applied: raise the sequence if the meeting moved, and tell people.

    Those in the diary before and after get an update (if it moved); a new chair or administrator gets
    an invitation, and one replaced (and not in the diary another way) a cancellation.
    """
    state = sa.inspect(meeting)
    roles = [state.attrs[name].history for name in ("chair_id", "administrator_id")]
    arrived = {new for history in roles for new in history.added if history.deleted}
    replaced = {old for history in roles for old in history.deleted}
    moved = calendar_moved(meeting)
    db.session.flush()
    db.session.expire(meeting, ["chair", "administrator"])
    now = ics.diary(meeting)
    invited = {i.user_id for i in meeting.invitations}
    before = (now.keys() - arrived) | (arrived & invited) | (replaced - {None})
    gone = [db.session.get(User, user_id) for user_id in before - now.keys()]
    note_calendar_change(meeting, moved=moved, someone_removed=bool(gone))
    if not _in_diaries(meeting):
        return
    entry = ics.event(meeting, tuple(ics.attendee(user) for user in now.values()))
    outbox.invite(entry, [ics.attendee(now[user_id]) for user_id in now.keys() - before], about=meeting)
    if moved:
        outbox.update(entry, [ics.attendee(now[user_id]) for user_id in now.keys() & before], about=meeting)
    outbox.cancel(entry, [ics.attendee(user) for user in gone if user and user.active], about=meeting)


def cancel_meeting(meeting: Meeting, reason: str) -> None:
    """Call the meeting off and send everyone in its diary a cancellation."""
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = reason
    bump_sequence_if_moved(meeting)
    people = ics.attendees(meeting)
    outbox.cancel(ics.event(meeting, people), people, about=meeting)


def mark_held(meeting: Meeting) -> None:
    """The meeting took place: each case on it was reviewed that day (and its review date, if the
    meeting set one, stands unless a later meeting's does)."""
    meeting.status = MeetingStatus.HELD
    bump_sequence_if_moved(meeting)
    for item in meeting.agenda_items:
        timeline.rederive(item.case)


# Agenda --------------------------------------------------------------------------------------------


def find_case_for_agenda(reference: str, may_see_category_4: bool) -> Case | None:
    """A case someone scheduling a meeting may put on its agenda, by its MAPPA reference (in any case)."""
    case = db.session.exec(
        select(Case).where(sa.func.upper(Case.reference) == reference.strip().upper())
    ).first()
    if case is None or (case.is_category_4 and not may_see_category_4):
        return None
    return case


def slot_times(
    meeting: Meeting, starts: time | None, ends: time | None
) -> tuple[datetime | None, datetime | None]:
    day = london(meeting.starts_at).date()
    return (
        london_to_utc(day, starts) if starts else None,
        london_to_utc(day, ends) if ends else None,
    )


def add_agenda_item(meeting: Meeting, case: Case, purpose: AgendaPurpose) -> AgendaItem:
    """Put a case at the end of the agenda, with its risk management plan as last agreed (blank at its
    first meeting)."""
    position = (max((item.position for item in meeting.agenda_items), default=0)) + 1
    item = AgendaItem(
        meeting_id=meeting.id,
        case_id=case.id,
        position=position,
        purpose=purpose,
        level_considered=case.level,
    )
    item.pillar_entries = [PillarEntry(pillar=pillar) for pillar in Pillar]
    # A review opens with the case's plan as last agreed; a first meeting builds it.
    plan.start(item, meeting)
    db.session.add(item)
    db.session.flush()
    return item


def move_agenda_item(meeting: Meeting, item: AgendaItem, direction: str) -> bool:
    """Swap an item with its neighbour above or below; False when it is already at that end."""
    items = sorted(meeting.agenda_items, key=lambda i: i.position)
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return False
    items[index], items[other] = items[other], items[index]
    for position, each in enumerate(items, start=1):
        each.position = position
    return True


def remove_agenda_item(meeting: Meeting, item: AgendaItem) -> None:
    db.session.delete(item)
    db.session.flush()
    db.session.expire(meeting, ["agenda_items"])
    for position, each in enumerate(sorted(meeting.agenda_items, key=lambda i: i.position), start=1):
        each.position = position


def invite(meeting: Meeting, agency_id: int, user_id: int | None) -> Invitation:
    """Invite an agency (and, usually, a named person from it), who gets an Outlook invitation."""
    invitation = Invitation(meeting_id=meeting.id, agency_id=agency_id, user_id=user_id)
    db.session.add(invitation)
    db.session.flush()
    db.session.expire(meeting, ["invitations"])
    if user_id is not None and _in_diaries(meeting):
        people = ics.attendees(meeting)
        newcomer = [p for p in people if p.email == invitation.user.email]
        outbox.invite(ics.event(meeting, people), newcomer, about=meeting)
    return invitation


def remove_invitation(meeting: Meeting, invitation: Invitation) -> None:
    """Take an invitation off the meeting; the person invited by it gets a cancellation (unless they
    are in the meeting's diary another way)."""
    person = invitation.user
    db.session.delete(invitation)
    db.session.flush()
    db.session.expire(meeting, ["invitations"])
    people = ics.attendees(meeting)
    if person is None or any(p.email == person.email for p in people):
        return
    note_calendar_change(meeting, moved=False, someone_removed=True)
    if _in_diaries(meeting) and person.active:
        outbox.cancel(ics.event(meeting, people), [ics.attendee(person)], about=meeting)


def item_has_record(item: AgendaItem) -> bool:
    """Whether removing the item would lose something the meeting recorded about the case."""
    raised = db.session.scalar(select(sa.func.count()).where(Action.agenda_item_id == item.id))
    return bool(raised) or item.level_decision is not None


# Level decision ------------------------------------------------------------------------------------


def record_decision(
    item: AgendaItem, decision: LevelDecision, reason: str, next_review_on: date | None, by: User
) -> None:
    """Save the meeting's level decision for a case, and set the case from its history in date order
    (`timeline`): the decision applies to the case as it stood at the meeting, and a later meeting's
    decision still stands. Deciding again (a correction) replaces what the earlier decision did."""
    standing = timeline.level_at(item)
    item.level_decision = decision
    item.level_decision_reason = reason
    item.next_review_on = next_review_on
    moves = decision in (LevelDecision.RAISE, LevelDecision.LOWER)
    item.level_decided = rules.level_after_decision(standing, decision) if moves else None
    timeline.rederive(item.case, by.id)


# Actions -------------------------------------------------------------------------------------------


def open_actions_by_case(case_ids: list[int], before: datetime | None = None) -> dict[int, list[Action]]:
    """Open actions of these cases (raised at meetings before `before`, when given), in one query."""
    if not case_ids:
        return {}
    # Sorted here rather than in SQL: an ORDER BY due_on would tempt the planner to walk every open
    # action in date order instead of looking up these few cases.
    statement = (
        select(Action)
        .where(col(Action.case_id).in_(case_ids), Action.status == ActionStatus.OPEN)
        .options(selectinload(Action.owner), selectinload(Action.owner_agency))
    )
    if before is not None:
        # Filtered here: joining meetings by date would let the planner walk years of meetings.
        statement = statement.options(selectinload(Action.agenda_item).selectinload(AgendaItem.meeting))
    actions = list(db.session.exec(statement))
    if before is not None:
        actions = [action for action in actions if action.agenda_item.meeting.starts_at < before]
    grouped: dict[int, list[Action]] = {}
    for action in sorted(actions, key=lambda a: (a.due_on, a.id)):
        grouped.setdefault(action.case_id, []).append(action)
    return grouped


def complete_action(action: Action, today: date) -> None:
    action.status = ActionStatus.DONE
    action.completed_on = today


def remove_action(action: Action) -> None:
    """An action taken off the record before approval (kept, marked removed, so the trail stays)."""
    action.status = ActionStatus.REMOVED


def record_progress(action: Action, revised_due_on: date | None, note: str) -> None:
    """Follow-up on an action after the meeting: it stays open, with a new date if one was given."""
    action.revised_due_on = revised_due_on
    action.progress_note = note


def drop_action(action: Action, reason: str) -> None:
    action.status = ActionStatus.DROPPED
    action.dropped_reason = reason
