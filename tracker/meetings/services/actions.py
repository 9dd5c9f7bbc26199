"""Actions: agreeing them at a meeting, and marking them done or dropped afterwards."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import joinedload
from sqlmodel import col, select

from tracker.auth.models import User, person_named
from tracker.core import locking
from tracker.core.db import db
from tracker.core.timeutil import format_date, london, today_london
from tracker.meetings import action_changes, action_dates, freeze, rules
from tracker.meetings.models import Action, ActionStatus, AgendaItem, Level, Meeting, MeetingStatus, Pillar
from tracker.meetings.queries.deadlines import upcoming_condition
from tracker.meetings.services.base import (
    RecordClosed,
    Refused,
    ensure_cleared,
    ensure_discussed,
    ensure_record_open,
)


def _apply(action: Action, values: dict) -> None:
    action.pillar = Pillar[values["pillar"]] if values.get("pillar") else None
    action.description = values["description"]
    action.owner_agency_id = int(values["owner_agency_id"])
    action.owner_id = int(values["owner_id"]) if values.get("owner_id") else None
    action.due_on = values["due_on"]


def actions_closed_by(item: AgendaItem) -> Meeting | None:
    """The first later meeting on the case whose minutes are approved, or None. That meeting reviewed the
    open actions agreed before it, and its approved minutes list them (or say there were none): an action
    agreed here cannot be added, changed or taken off afterwards without the two records disagreeing."""
    if item.id is None:
        return None
    later = db.session.exec(
        select(Meeting)
        .join(AgendaItem, col(AgendaItem.meeting_id) == Meeting.id)
        .where(
            AgendaItem.case_id == item.case_id,
            col(Meeting.starts_at) > item.meeting.starts_at,
            Meeting.status != MeetingStatus.CANCELLED,
        )
        .order_by(col(Meeting.starts_at))
    ).all()
    with db.session.no_autoflush:
        frozen = freeze.frozen_meetings(db.session, {meeting.id for meeting in later})
    return next((meeting for meeting in later if meeting.id in frozen), None)


def ensure_actions_open(item: AgendaItem) -> None:
    """The check before any change to the actions agreed at this meeting for this case: the meeting's
    record open (`ensure_record_open`), and no later meeting on the case with approved minutes
    (`actions_closed_by`), and the case discussed there (`ensure_discussed`)."""
    ensure_record_open(item.meeting)
    ensure_discussed(item)
    approved = actions_closed_by(item)
    if approved is not None:
        raise RecordClosed(
            item.meeting,
            f"The actions agreed here for {item.case.reference} were reviewed at {approved.reference} on "
            f"{format_date(approved.starts_at)}, whose minutes are approved: that meeting started from them. "
            "Correct those minutes first to change the actions agreed here.",
        )


def add_action(item: AgendaItem, values: dict, by: User) -> Action:
    """An action agreed at the meeting for this case (`values`: pillar name or empty, description,
    owner agency id, owner id or empty, due date)."""
    ensure_actions_open(item)
    ensure_cleared(item.case, values.get("owner_id"), "owner of an action")
    _ensure_due_date_allowed(item, None, values["due_on"])
    action = Action(case_id=item.case_id, agenda_item_id=item.id)
    _apply(action, values)
    db.session.add(action)
    _tell_owners(item, None, action, by)
    return action


def change_action(item: AgendaItem, action: Action, values: dict, by: User) -> None:
    """Change an action as agreed (its text, owner, due date or pillar) until the minutes are approved,
    from the version the form was read at (`values["version"]`; locking.Conflict when someone changed it
    since). An action taken off the record is not changed: it was never agreed."""
    ensure_actions_open(item)
    if action.status is ActionStatus.REMOVED:
        raise Refused(
            "This action was taken off the record, so it cannot be changed: add it again if it was agreed"
        )
    ensure_cleared(item.case, values.get("owner_id"), "owner of an action")
    _ensure_due_date_allowed(item, action, values["due_on"])
    locking.claim_or_conflict(action, values.get("version"))
    was = action_changes.row(action)
    _apply(action, values)
    _tell_owners(item, was, action, by)


def agreed_due_date_problem(item: AgendaItem, action: Action | None, day: date | None) -> str | None:
    """What is wrong with the due date of an action agreed at the meeting (`action`: the one changed, or
    None for a new one), or None: not before the meeting (`rules.action_due_problem`), and for a case with
    no review due not too far ahead (`action_dates.agreed_due_problem`). A date already agreed, kept as it
    is, is not checked again."""
    if day is None or (action is not None and day == action.due_on):
        return None
    meeting_day = london(item.meeting.starts_at).date()
    return rules.action_due_problem(day, meeting_day) or action_dates.agreed_due_problem(
        day, meeting_day, item.case.review_due_on, _unreviewed_weeks()
    )


def _ensure_due_date_allowed(item: AgendaItem, action: Action | None, day: date | None) -> None:
    if problem := agreed_due_date_problem(item, action, day):
        raise Refused(problem, field="due_on")


def _unreviewed_weeks() -> int:
    """How far ahead an action on a case with no review due may be: the longest time between Level 2
    reviews, the longest any case managed through meetings goes before its actions are looked at again."""
    return rules.review_weeks(Level.LEVEL_2)


def _tell_owners(item: AgendaItem, was: dict | None, action: Action, by: User) -> None:
    """Whoever the action is given to or taken from is told (a correction's draft tells no one: its
    approval does)."""
    if not freeze.correcting(item.meeting_id):
        action_changes.tell_new_owner(item.meeting, was, action, by)


def take_off_record(item: AgendaItem, action: Action, by: User) -> None:
    """An action taken off the meeting's record before approval (kept, marked removed)."""
    ensure_actions_open(item)
    remove_action(action)


def progress(action: Action, revised_due_on: date | None, note: str, version, by: User) -> bool:
    """Follow-up after the meeting (open once its minutes are approved): a new due date and what
    happened. Refused when the action is no longer open; False when someone else changed it first."""
    if action.status is not ActionStatus.OPEN:
        raise Refused(f"This action is already {action.status.label.lower()}")
    if problem := new_due_date_problem(action, revised_due_on):
        raise Refused(problem)
    if not locking.claim(action, version):
        return False
    record_progress(action, revised_due_on, note)
    return True


def new_due_date_problem(action: Action, day: date | None) -> str | None:
    """What is wrong with this new due date for the action (`action_dates.revised_due_problem`); a date
    already given, kept as it is, is not checked again."""
    if day is not None and day == action.revised_due_on:
        return None
    today = today_london()
    next_meeting_on = _next_meeting_day(action, today)
    return action_dates.revised_due_problem(
        day, today, action.case.review_due_on, next_meeting_on, _unreviewed_weeks()
    )


def new_due_date_hint(action: Action) -> str:
    """The hint beside the new due date: the latest the action's owner may give
    (`action_dates.revised_due_limit`), and why."""
    today = today_london()
    weeks, review_due_on = _unreviewed_weeks(), action.case.review_due_on
    limit = action_dates.revised_due_limit(today, review_due_on, _next_meeting_day(action, today), weeks)
    return action_dates.revised_due_hint(limit, review_due_on, weeks)


def _next_meeting_day(action: Action, today: date) -> date | None:
    """The day of the case's next scheduled meeting, from today on."""
    starts = db.session.scalar(
        select(sa.func.min(Meeting.starts_at))
        .join(AgendaItem, col(AgendaItem.meeting_id) == Meeting.id)
        .where(AgendaItem.case_id == action.case_id, upcoming_condition(today))
    )
    return london(starts).date() if starts is not None else None


def mark_done(action: Action, today: date, by: User) -> bool:
    """Progress after the meeting, not a change to what it agreed. False when the action was not open."""
    if action.status is not ActionStatus.OPEN:
        return False
    complete_action(action, today, by)
    return True


def drop(action: Action, reason: str, version, by: User, outcome: str = "DROPPED") -> bool:
    """Close an open action without it being done: it could not be done (DROPPED) or was not done
    (NOT_DONE). False, changing nothing, when someone else changed the action since the form was built."""
    if action.status is not ActionStatus.OPEN:
        raise Refused(f"This action is already {action.status.label.lower()}")
    if not locking.claim(action, version):
        return False
    drop_action(action, reason, ActionStatus[outcome])
    return True


def open_actions_by_case(case_ids: list[int], before: datetime | None = None) -> dict[int, list[Action]]:
    """Open actions of these cases (raised at meetings before `before`, when given), in one query."""
    if not case_ids:
        return {}
    # Sorted here rather than in SQL: an ORDER BY due_on would tempt the planner to walk every open
    # action in date order instead of looking up these few cases.
    statement = (
        select(Action)
        .where(col(Action.case_id).in_(case_ids), Action.status == ActionStatus.OPEN)
        .options(person_named(Action.owner), joinedload(Action.owner_agency))
    )
    if before is not None:
        # Filtered here: joining meetings by date would let the planner walk years of meetings (the join
        # that loads each action's meeting is by key, from the few actions found).
        statement = statement.options(joinedload(Action.agenda_item).joinedload(AgendaItem.meeting))
    actions = list(db.session.exec(statement))
    if before is not None:
        actions = [action for action in actions if action.agenda_item.meeting.starts_at < before]
    grouped: dict[int, list[Action]] = {}
    for action in sorted(actions, key=lambda a: (a.due_in_force, a.id)):
        grouped.setdefault(action.case_id, []).append(action)
    return grouped


def to_review(rows: list[tuple[Action, datetime]], before: datetime) -> list[Action]:
    """Of a case's actions with the start of the meeting each was set at, those a meeting starting at
    `before` reviews: set at an earlier meeting and still open, or set at the last one before it (done or
    closed since: the review hears how), as its agenda page and its minutes both list them."""
    rows = [(action, at) for action, at in rows if at < before]
    last = max((at for _action, at in rows), default=None)
    return [action for action, at in rows if action.status is ActionStatus.OPEN or at == last]


def actions_to_review(item: AgendaItem) -> list[Action]:
    """The actions the meeting reviews for the item's case (`to_review`), by the date in force."""
    statement = (
        select(Action, Meeting.starts_at)
        .join(AgendaItem, col(AgendaItem.id) == Action.agenda_item_id)
        .join(Meeting, col(Meeting.id) == AgendaItem.meeting_id)
        .where(
            Action.case_id == item.case_id,
            col(Meeting.starts_at) < item.meeting.starts_at,
            Action.status != ActionStatus.REMOVED,
        )
        .options(person_named(Action.owner), joinedload(Action.owner_agency))
    )
    reviewed = to_review(list(db.session.exec(statement).all()), item.meeting.starts_at)
    return sorted(reviewed, key=lambda action: (action.due_in_force, action.id))


def complete_action(action: Action, today: date, by: User | None = None) -> None:
    """The action done on the day, by this person (kept whoever owns it since)."""
    action.status = ActionStatus.DONE
    action.completed_on = today
    action.completed_by_id = by.id if by else None


def drop_action(action: Action, reason: str, outcome: ActionStatus = ActionStatus.DROPPED) -> None:
    if outcome not in (ActionStatus.DROPPED, ActionStatus.NOT_DONE):
        raise ValueError(f"{outcome} does not close an action without it being done")
    action.status = outcome
    action.dropped_reason = reason


def remove_action(action: Action) -> None:
    """An action taken off the record before approval (kept, marked removed, so the trail stays)."""
    action.status = ActionStatus.REMOVED


def record_progress(action: Action, revised_due_on: date | None, note: str) -> None:
    """Follow-up on an action after the meeting: it stays open, with a new date if one was given."""
    action.revised_due_on = revised_due_on
    action.progress_note = note
