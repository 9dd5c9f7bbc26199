"""Building a meeting's agenda from the caseload: finding cases by reference or name among those the person
may put on an agenda, the cases due at a meeting of this level, and what to warn about before a case goes
on (or while it sits on) the agenda. Warnings inform; they never block.

Every query here is limited to what the person may see, and a warning never mentions an item they may not
see (a Category 4 case's slot overlapping theirs is not said to someone not cleared: to them it is a free
slot like any other).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core.db import db
from tracker.core.timeutil import london, london_to_utc, today_london
from tracker.meetings import access, queries, rules
from tracker.meetings.models import AgendaItem, AgendaPurpose, Case, CaseStatus, Meeting, MeetingStatus

SEARCH_LIMIT = 20
DUE_LIMIT = 50


def _not_on(meeting: Meeting) -> sa.ColumnElement[bool]:
    return col(Case.id).not_in(select(AgendaItem.case_id).where(AgendaItem.meeting_id == meeting.id))


def on_agenda(meeting: Meeting, case: Case) -> bool:
    return any(item.case_id == case.id for item in meeting.agenda_items)


@dataclass(frozen=True)
class Found:
    """A case found by the search, with the other meetings not yet held it is already on (as `Due.booked`)."""

    case: Case
    booked: tuple[Meeting | None, ...] = ()


def search_cases(user: User, meeting: Meeting, text: str) -> list[Found]:
    """Cases this person may put on this agenda found by `text` as the case list finds them (every word in
    their references or name), each with the other meetings not yet held it is already on, found in one
    query for all of them (as the due list)."""
    if not text.strip():
        return []
    cases = db.session.exec(
        select(Case)
        .where(
            access.agenda_case_condition(user),
            Case.status != CaseStatus.EXITED,
            queries.case_search_condition(text),
            _not_on(meeting),
        )
        .order_by(Case.reference)
        .limit(SEARCH_LIMIT)
    ).all()
    booked = _other_scheduled(meeting, [case.id for case in cases], user)
    return [Found(case, tuple(booked.get(case.id, ()))) for case in cases]


def next_meeting_day(meeting: Meeting) -> date:
    """The day of the next scheduled meeting at this level after this one (or, with none scheduled, four
    weeks on): the cases due before it should be discussed at this one."""
    following = db.session.scalar(
        select(sa.func.min(Meeting.starts_at)).where(
            Meeting.level == meeting.level,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > meeting.starts_at,
            Meeting.id != meeting.id,
        )
    )
    if following is not None:
        return london(following).date()
    return london(meeting.starts_at).date() + timedelta(weeks=4)


@dataclass(frozen=True)
class Due:
    """A case due at a meeting of this level, with the other meetings not yet held it is already on (each
    one the person sees, None for one they do not): listed after the cases not yet booked."""

    case: Case
    reason: str
    purpose: AgendaPurpose
    booked: tuple[Meeting | None, ...] = ()


def _booked_elsewhere(meeting: Meeting, today: date) -> sa.ColumnElement[bool]:
    """Cases on the agenda of another scheduled meeting from today on (as the warning has it)."""
    return col(Case.id).in_(
        select(AgendaItem.case_id)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(Meeting.id != meeting.id, queries.upcoming_condition(today))
    )


def due_cases(user: User, meeting: Meeting) -> list[Due]:
    """The cases at this meeting's level due before the next meeting at that level (initial meetings and
    reviews), and those on no scheduled meeting at all, that this person may put on this agenda. Those
    already on another meeting not yet held come last, saying which (adding one anyway is warned about);
    the meetings are found in one query for all of them."""
    limit = next_meeting_day(meeting)
    today = today_london()
    cases = db.session.exec(
        select(Case)
        .where(
            access.agenda_case_condition(user),
            Case.level == meeting.level,
            _not_on(meeting),
            sa.or_(queries.review_due_before(limit), queries.without_next_meeting_condition(today)),
        )
        .order_by(
            sa.case((_booked_elsewhere(meeting, today), 1), else_=0), queries.review_due_key(), Case.reference
        )
        .limit(DUE_LIMIT)
    ).all()
    booked = _other_scheduled(meeting, [case.id for case in cases], user)
    due = []
    for case in cases:
        on = queries.case_review_due(case)
        kind = rules.next_meeting_kind(case.last_reviewed_on, case.next_review_on)
        initial = kind == rules.INITIAL_MEETING
        reason = f"{kind} due {on:%-d %B %Y}" if on else "No next meeting"
        if on is not None and on >= limit:
            reason = f"No next meeting ({kind.lower()} due {on:%-d %B %Y})"
        purpose = AgendaPurpose.INITIAL if initial else AgendaPurpose.REVIEW
        due.append(Due(case, reason, purpose, tuple(booked.get(case.id, ()))))
    return due


# Warnings --------------------------------------------------------------------------------------------


def _discussed_case_ids(case_ids: list[int]) -> set[int]:
    """The cases among these already discussed at a meeting that was held."""
    if not case_ids:
        return set()
    return set(
        db.session.exec(
            select(AgendaItem.case_id)
            .join(Meeting, Meeting.id == AgendaItem.meeting_id)
            .where(
                col(AgendaItem.case_id).in_(case_ids),
                Meeting.status == MeetingStatus.HELD,
                AgendaItem.not_discussed_reason == "",
            )
        )
    )


def _other_scheduled(meeting: Meeting, case_ids: list[int], user: User) -> dict[int, list[Meeting | None]]:
    """For each of these cases, the other scheduled meetings (today on) it is on: each one this person sees,
    and None for one they do not (said without naming it)."""
    if not case_ids:
        return {}
    seen = sa.case((access.meeting_condition(user), True), else_=False)
    rows = db.session.exec(
        select(AgendaItem.case_id, Meeting, seen)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(
            col(AgendaItem.case_id).in_(case_ids),
            Meeting.id != meeting.id,
            queries.upcoming_condition(today_london()),
        )
        .order_by(Meeting.starts_at)
    ).all()
    found: dict[int, list[Meeting | None]] = {}
    for case_id, other, visible in rows:
        found.setdefault(case_id, []).append(other if visible else None)
    return found


def _overlaps(a: tuple[datetime | None, datetime | None], b: tuple[datetime | None, datetime | None]) -> bool:
    (a_start, a_end), (b_start, b_end) = a, b
    if a_start is None or b_start is None:
        return False
    a_end, b_end = a_end or a_start, b_end or b_start
    if a_start == a_end or b_start == b_end:
        return a_start == b_start
    return a_start < b_end and b_start < a_end


def _slot_text(slot: tuple[datetime | None, datetime | None]) -> str:
    start, end = slot
    return f"{london(start):%H:%M}" + (f" to {london(end):%H:%M}" if end else "")


@dataclass(frozen=True)
class Proposed:
    """A case as it would sit on the agenda: its slot (UTC) and purpose; `item_id` when it is already on."""

    case: Case
    purpose: AgendaPurpose
    slot: tuple[datetime | None, datetime | None]
    item_id: int | None = None


def warnings_for(meeting: Meeting, proposed: list[Proposed], user: User) -> dict[int, list[str]]:
    """What to warn about each proposed item (by case id), in a fixed number of queries: a case that has
    exited MAPPA or is at another level than the meeting, on another scheduled meeting, in a slot
    overlapping another item's, or with a purpose that does not fit its history. Only items this person
    may see are compared or named."""
    visible = [
        item
        for item in meeting.agenda_items
        if user.terrorism_cleared or not item.case.is_category_4
    ]
    case_ids = [p.case.id for p in proposed]
    discussed = _discussed_case_ids(case_ids)
    elsewhere = _other_scheduled(meeting, case_ids, user)
    warnings: dict[int, list[str]] = {}
    for p in proposed:
        said = []
        reference = p.case.reference
        if p.case.status is CaseStatus.EXITED:
            said.append(f"{reference} has exited MAPPA, so it is no longer managed at MAPPA meetings")
        elif p.case.level is not meeting.level:
            said.append(
                f"{reference} is managed at {p.case.level.label}, and this is a {meeting.level.label} meeting"
            )
        for other in elsewhere.get(p.case.id, []):
            if other is None:
                said.append(f"{reference} is already on the agenda of another scheduled meeting")
                continue
            said.append(
                f"{reference} is already on the agenda of {other.reference} on "
                f"{london(other.starts_at):%-d %B %Y}"
            )
        for item in visible:
            if item.id == p.item_id or item.case_id == p.case.id:
                continue
            theirs = (item.slot_starts_at, item.slot_ends_at)
            if _overlaps(p.slot, theirs):
                said.append(
                    f"{reference}'s slot ({_slot_text(p.slot)}) overlaps {item.case.reference}'s "
                    f"({_slot_text(theirs)})"
                )
        was_discussed = p.case.id in discussed or p.case.last_reviewed_on is not None
        if p.purpose is AgendaPurpose.REVIEW and not was_discussed:
            said.append(
                f"{reference} has never been discussed at a meeting: its first discussion is an initial one"
            )
        if p.purpose is AgendaPurpose.INITIAL and was_discussed:
            said.append(f"{reference} has already been discussed at a meeting: this would be a review")
        if said:
            warnings[p.case.id] = said
    return warnings


def agenda_warnings(meeting: Meeting, items: list[AgendaItem], user: User) -> list[str]:
    """The warnings for the items on the agenda that this person sees, in agenda order."""
    proposed = [
        Proposed(item.case, item.purpose, (item.slot_starts_at, item.slot_ends_at), item.id) for item in items
    ]
    found = warnings_for(meeting, proposed, user)
    said: list[str] = []
    for item in items:
        for warning in found.get(item.case_id, []):
            # An overlap is said once, from the later item's side.
            if warning not in said and not _said_the_other_way(warning, said):
                said.append(warning)
    return said


def _said_the_other_way(warning: str, said: list[str]) -> bool:
    if " overlaps " not in warning:
        return False
    first, second = warning.split("'s slot ", 1)[0], warning.split(" overlaps ", 1)[1].split("'s ", 1)[0]
    return any(s.startswith(f"{second}'s slot ") and f" overlaps {first}'s " in s for s in said)


def proposed_slot(meeting: Meeting, starts: time | None, ends: time | None) -> tuple:
    day = london(meeting.starts_at).date()
    return (london_to_utc(day, starts) if starts else None, london_to_utc(day, ends) if ends else None)



def moves_refused(meeting: Meeting) -> set[tuple[int, str]]:
    """The agenda moves (item id, "up" or "down") not offered: those that would put cases with time slots
    out of the order of their start times (the agenda runs in time order; their slots move them)."""
    items = sorted(meeting.agenda_items, key=lambda i: i.position)
    refused = set()
    for upper, lower in zip(items, items[1:], strict=False):
        if rules.agenda_move_problem(upper.slot_starts_at, lower.slot_starts_at):
            refused |= {(upper.id, "down"), (lower.id, "up")}
    return refused
