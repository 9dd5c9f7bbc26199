"""Scheduling a meeting, changing, cancelling and holding it, and keeping its calendar entries right
(`cancelling` holds the checks before a meeting is called off and what it then withdraws).

A meeting is in the diary of its chair, its administrator and each person invited by name. Scheduling
it, changing its time or place, cancelling it, and adding or taking someone off it queue the Outlook
invitation, update or cancellation; `tracker.calendar.outbox` sends them once the change is saved.
"""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.calendar import outbox
from tracker.calendar import rules as calendar_rules
from tracker.core import audit, locking
from tracker.core.db import db
from tracker.core.timeutil import exists_in_london, format_date, london, london_to_utc
from tracker.core.types import utcnow
from tracker.meetings import freeze, ics, plan, rules, timeline
from tracker.meetings.models import (
    MEETING_CALENDAR_FIELDS,
    AgendaItem,
    Level,
    Meeting,
    MeetingStatus,
    MeetingType,
    Rsvp,
)
from tracker.meetings.services.base import PLANNING, Refused, ensure_record_open, in_diaries
from tracker.meetings.services.order import ensure_case_order


def _apply_details(meeting: Meeting, details: dict, day: date, starts: time, ends: time) -> None:
    """`details`: level and meeting type (names), venue, online link, chair and administrator ids."""
    meeting.level = Level[details["level"]]
    meeting.meeting_type = MeetingType[details["meeting_type"]]
    meeting.venue = details.get("venue") or ""
    meeting.online_link = details.get("online_link") or ""
    meeting.chair_id = int(details["chair_id"])
    meeting.chair_reason = (details.get("chair_reason") or "").strip()
    meeting.administrator_id = int(details["administrator_id"]) if details.get("administrator_id") else None
    set_meeting_times(meeting, day, starts, ends)


def schedule(details: dict, day: date, starts: time, ends: time, by: User) -> Meeting:
    """Schedule a new meeting from the meeting form's details."""
    meeting = Meeting()
    _apply_details(meeting, details, day, starts, ends)
    schedule_meeting(meeting)
    _audit_chair_reason(meeting, "")
    return meeting


def change_meeting(
    meeting: Meeting, details: dict, day: date, starts: time, ends: time, version, by: User
) -> bool:
    """Change a scheduled meeting's details and tell those in its diary. False, changing nothing, when
    someone else saved the meeting since the form was built."""
    ensure_record_open(meeting, PLANNING)
    _ensure_runners_cleared(meeting, details, by)
    _ensure_decisions_keep_their_place(meeting, london_to_utc(day, starts))
    cases = [item.case for item in meeting.agenda_items]
    ensure_case_order(meeting, cases, london_to_utc(day, starts), moving=True)
    slots = _slots_moved(meeting, day, starts, ends)
    if not locking.claim(meeting, version):
        return False
    reason_before, starts_before = meeting.chair_reason, meeting.starts_at
    for item, slot_starts_at, slot_ends_at in slots:
        item.slot_starts_at, item.slot_ends_at = slot_starts_at, slot_ends_at
    _apply_details(meeting, details, day, starts, ends)
    update_meeting(meeting)
    _audit_chair_reason(meeting, reason_before)
    if meeting.starts_at != starts_before:
        # On its new date the meeting may come after (or before) another meeting held on the case, and the
        # entries its decisions made in the cases' histories move with it.
        for item in meeting.agenda_items:
            if item.level_decision is not None:
                timeline.rederive(item.case, by.id)
            plan.carry_forward(item.case_id)
    return True


def _slots_moved(meeting: Meeting, day: date, starts: time, ends: time) -> list[tuple]:
    """The agenda's time slots moved with the meeting (by as much on the clock as its start moves): (item,
    start, end) for each timed item; Refused, beside the end time, when a slot would then end after the
    meeting does."""
    before = london(meeting.starts_at).replace(tzinfo=None)
    shift = datetime.combine(day, starts) - before
    ends_at = london_to_utc(day, ends)

    def moved(at: datetime | None) -> datetime | None:
        if at is None:
            return None
        wall = london(at).replace(tzinfo=None) + shift
        if not exists_in_london(wall.date(), wall.time()):
            raise Refused(
                f"An agenda time slot, moved with the meeting, would be at {wall:%H:%M} on "
                f"{format_date(wall.date())}, which does not exist (the clocks go forward): choose another "
                "time, or change the case's time slot first",
                field="start_time",
            )
        return london_to_utc(wall.date(), wall.time())

    slots = [
        (item, moved(item.slot_starts_at), moved(item.slot_ends_at))
        for item in meeting.agenda_items
        if item.slot_starts_at is not None or item.slot_ends_at is not None
    ]
    late = [(item, end) for item, _start, end in slots if end is not None and end > ends_at]
    if late:
        item, end = max(late, key=lambda pair: pair[1])
        raise Refused(
            f"The agenda would run until {london(end):%H:%M} ({item.case.reference}'s time slot, moved with "
            "the meeting): end the meeting then or later, or change that case's time slot first",
            field="end_time",
        )
    return slots


def _ensure_decisions_keep_their_place(meeting: Meeting, starts_at: datetime) -> None:
    """A meeting that decided a case's level may not move past a meeting with approved minutes that
    decided the same case's level: the case's history follows the meetings' dates and times, so that
    meeting's record would start from another level. Refused, beside the date."""
    low, high = sorted((meeting.starts_at, starts_at))
    other = approved_decision_between(meeting, low, high) if low != high else None
    if other is not None:
        raise Refused(
            f"{other.reference} ({format_date(london(other.starts_at).date())}) decided the level of a case "
            "this meeting decided too, and its minutes are approved: moving this meeting past it would "
            "change the level that meeting started from. Correct those minutes first, or keep this "
            "meeting's date and time",
            field="day",
        )


def approved_decision_between(meeting: Meeting, low: datetime, high: datetime | None) -> Meeting | None:
    """The first other meeting (not cancelled) starting from `low` to `high` (or any time after) with
    approved minutes, that decided the level of a case this meeting decided: its record starts from the
    level this meeting's decision left the case at."""
    decided = [item.case_id for item in meeting.agenda_items if item.level_decision is not None]
    if not decided:
        return None
    statement = (
        select(Meeting)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(
            col(AgendaItem.case_id).in_(decided),
            col(AgendaItem.level_decision).is_not(None),
            Meeting.id != meeting.id,
            Meeting.status != MeetingStatus.CANCELLED,
            Meeting.starts_at >= low,
        )
        .order_by(col(Meeting.starts_at))
    )
    if high is not None:
        statement = statement.where(Meeting.starts_at <= high)
    passed = db.session.exec(statement).all()
    frozen = freeze.frozen_meetings(db.session, {other.id for other in passed})
    return next((other for other in passed if other.id in frozen), None)


def _audit_chair_reason(meeting: Meeting, before: str) -> None:
    """The trail keeps the reason itself for a chair who is untrained or whose CPD has lapsed (a change
    entry names only the fields changed)."""
    if meeting.chair_reason and meeting.chair_reason != before:
        audit.record("chair reason", meeting, summary=f"{meeting.reference}: {meeting.chair_reason}")


# The people who run a meeting: the form field, the role as the form names it, and the role in short.
RUNNERS = (
    ("chair_id", "chair", "chair"),
    ("administrator_id", "administrator (minute-taker)", "administrator"),
)


def _ensure_runners_cleared(meeting: Meeting, details: dict, by: User) -> None:
    """The chair and administrator of a meeting with a Category 4 case on its agenda must be cleared for
    it; Refused, beside the field, naming the person and why. Someone not cleared themselves (a
    co-ordinator, an administrator) is not told of the case: only that the person cannot take the role."""
    case = next((item.case for item in meeting.agenda_items if item.case.is_category_4), None)
    if case is None:
        return
    for key, role, short in RUNNERS:
        person = db.session.get(User, int(details[key])) if details.get(key) else None
        if person is None or person.terrorism_cleared:
            continue
        if by.terrorism_cleared:
            message = (
                f"{person.name} cannot be the {role} of this meeting: {case.reference} on its agenda is a "
                f"Category 4 case and they are not cleared for Category 4 cases. Choose another {short}, "
                "or take the case off the agenda."
            )
        else:
            message = f"{person.name} cannot be the {role} of this meeting. Choose another {short}."
        raise Refused(message, field=key)


def record_held(meeting: Meeting, now: datetime, by: User) -> bool:
    """Record a scheduled meeting as held, once it has started (`now`: the present moment); False when it
    was not scheduled. Refused, changing nothing, before its start time."""
    if meeting.status is not MeetingStatus.SCHEDULED:
        return False
    if problem := rules.held_too_soon_problem(meeting.starts_at, now):
        raise Refused(f"{problem}.")
    mark_held(meeting)
    return True


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


def _what_changed(meeting: Meeting) -> list[str]:
    """What the update email names as changed (read before anything flushes the session)."""
    state = sa.inspect(meeting)
    names = ("starts_at", "ends_at", "venue", "online_link")

    def before(name: str):
        history = state.attrs[name].history
        return history.deleted[0] if history.deleted else getattr(meeting, name)

    return calendar_rules.what_changed(
        tuple(before(name) for name in names), tuple(getattr(meeting, name) for name in names)
    )


def note_calendar_change(meeting: Meeting, *, moved: bool, someone_removed: bool = False) -> None:
    """The one place a meeting's calendar SEQUENCE rises: once when its date, time, place or status
    changed (a version everyone is sent), or someone was taken off it (so that their cancellation
    outranks their invitation; the others keep theirs, and their replies to it still count)."""
    if moved or someone_removed:
        meeting.sequence += 1
    if moved:
        meeting.sequence_for_all = meeting.sequence
    meeting.updated_at = utcnow()


def bump_sequence_if_moved(meeting: Meeting) -> bool:
    moved = calendar_moved(meeting)
    note_calendar_change(meeting, moved=moved)
    return moved


def schedule_meeting(meeting: Meeting) -> Meeting:
    """Give a new meeting its reference and invite its chair and administrator."""
    meeting.reference = next_reference(london(meeting.starts_at).date())
    meeting.status = MeetingStatus.SCHEDULED
    meeting.sequence = meeting.sequence_for_all = 0
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
    changes = _what_changed(meeting)
    ended = state.attrs["ends_at"].history
    was_to_come = (ended.deleted[0] if ended.deleted else meeting.ends_at) > utcnow()
    db.session.flush()
    db.session.expire(meeting, ["chair", "administrator"])
    now = ics.diary(meeting)
    invited = {i.user_id for i in meeting.invitations}
    before = (now.keys() - arrived) | (arrived & invited) | (replaced - {None})
    gone = [db.session.get(User, user_id) for user_id in before - now.keys() if isinstance(user_id, int)]
    note_calendar_change(meeting, moved=moved, someone_removed=bool(gone))
    if not in_diaries(meeting):
        return
    entry = ics.event(meeting, tuple(ics.attendee(user) for user in now.values()))
    outbox.invite(entry, [ics.attendee(now[user_id]) for user_id in now.keys() - before], about=meeting)
    if moved:
        people = [ics.attendee(now[user_id]) for user_id in now.keys() & before]
        outbox.update(entry, people, about=meeting, changes=changes, was_to_come=was_to_come)
        _ask_again(meeting)
    outbox.cancel(entry, [ics.attendee(user) for user in gone if user and user.active], about=meeting)


def _ask_again(meeting: Meeting) -> None:
    """The update asks everyone again (Outlook shows it waiting for an answer), so a reply to the meeting
    as it was no longer says whether they will come: each invitation waits for a new one."""
    for invitation in meeting.invitations:
        if invitation.rsvp is not Rsvp.AWAITING and invitation.attendance is None:
            invitation.rsvp, invitation.rsvp_at, invitation.rsvp_comment = Rsvp.AWAITING, None, ""
            invitation.deputy_name, invitation.deputy_agency_id = "", None


def cancel_meeting(meeting: Meeting, reason: str) -> None:
    """Call the meeting off and send everyone in its diary a cancellation."""
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = reason
    bump_sequence_if_moved(meeting)
    people = ics.attendees(meeting)
    outbox.cancel(ics.event(meeting, people), people, about=meeting)


def mark_held(meeting: Meeting) -> None:
    """The meeting took place: each case on it was reviewed that day (and its review date, if the
    meeting set one, stands unless a later meeting's does), and its plan is the plan as last agreed for
    the case's reviews after it still being prepared."""
    meeting.status = MeetingStatus.HELD
    bump_sequence_if_moved(meeting)
    db.session.flush()
    for item in meeting.agenda_items:
        timeline.rederive(item.case)
        plan.carry_forward(item.case_id)
