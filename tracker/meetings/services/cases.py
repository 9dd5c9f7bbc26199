"""Referring a case, changing its details and recording what happens to it between meetings."""

from __future__ import annotations

from datetime import date, time
from types import SimpleNamespace

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core import locking
from tracker.core.db import db
from tracker.core.timeutil import format_date, format_time, london, today_london
from tracker.core.types import utcnow
from tracker.meetings import rules, timeline
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Case,
    CaseCategoryChange,
    CaseEvent,
    CaseEventKind,
    CaseStatus,
    Category,
    Invitation,
    Level,
    Meeting,
    MeetingStatus,
)
from tracker.meetings.services.base import Refused, ensure_cleared, ensure_meeting_cleared


def refer_case(values: dict, level: Level, by: User) -> Case:
    """Add a newly referred case (`values`: its fields from the case form), with its referral as the first
    entry of its history."""
    return refer_cases([(values, level)], by)[0]


def refer_cases(referrals: list[tuple[dict, Level]], by: User, *, referrer: bool = True) -> list[Case]:
    """Add many newly referred cases at once (a caseload brought in), each with its referral in its
    history: two inserts of many rows, whatever the number. `by` is the referrer (`Case.created_by_id`,
    which gives them the case as their own) unless `referrer` is False: a caseload brought in from a
    spreadsheet was referred by someone else, before the tracker, so the case has no referrer in it and
    whoever brought it in is recorded as such by the audit trail (and as having recorded the referral)."""
    cases = []
    for values, level in referrals:
        case = Case(**values)
        ensure_cleared(case, case.lead_officer_id, "lead officer")
        case.level, case.status = level, CaseStatus.ACTIVE
        case.created_by_id = by.id if referrer else None
        cases.append(case)
    db.session.add_all(cases)
    db.session.flush()
    db.session.add_all(referral(case, by.id) for case in cases)
    return cases


def referral(case: Case, recorded_by_id: int | None) -> CaseEvent:
    """The first entry of a newly referred case's history: its referral, at its level."""
    return CaseEvent(
        case_id=case.id,
        kind=CaseEventKind.REFERRED,
        occurred_on=case.referred_on,
        level=case.level,
        reason="Referred for Level 2 or 3 management",
        recorded_by_id=recorded_by_id,
    )


def edit_case(case: Case, values: dict, version, by: User) -> bool:
    """Change a case's details (not its level: that changes through a decision or a recorded event).
    False, changing nothing, when someone else saved the case since the form was built.

    A new referral date must come no later than anything the case's record holds after the referral (a
    meeting that discussed it, an event in its history): Refused, beside the date, otherwise. The history's
    referral moves with it, so the case page and its history agree.
    """
    ensure_not_disposed(case)
    category = values.get("category", case.category)
    changed = SimpleNamespace(reference=case.reference, is_category_4=category is Category.CATEGORY_4)
    ensure_cleared(changed, values.get("lead_officer_id"), "lead officer")
    if changed.is_category_4 and not case.is_category_4:
        _ensure_everyone_on_it_cleared(case, changed)
    referred_on = values.get("referred_on", case.referred_on)
    moved = referred_on != case.referred_on
    if moved:
        _ensure_referral_first(case, referred_on)
    if not locking.claim(case, version):
        return False
    if moved:
        _move_referral(case, referred_on)
    if category is not case.category:
        # Kept so that a year already reported counts the person by the category they had then.
        db.session.add(
            CaseCategoryChange(
                case_id=case.id,
                changed_on=today_london(),
                previous_category=case.category,
                category=category,
                recorded_by_id=by.id,
            )
        )
        _recategorise_meetings_to_come(case, category)
    for name, value in values.items():
        setattr(case, name, value)
    return True


def _recategorise_meetings_to_come(case: Case, category: Category) -> None:
    """The meetings still to come discuss the case in its new category; a meeting already started (held,
    its minutes drafted or approved) keeps the category the case had at it."""
    items = db.session.exec(
        select(AgendaItem)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(
            AgendaItem.case_id == case.id,
            Meeting.status == MeetingStatus.SCHEDULED,
            Meeting.starts_at > utcnow(),
        )
    ).all()
    for item in items:
        item.category_considered = category


def ensure_not_disposed(case: Case) -> None:
    """A case whose personal data was disposed of under the retention rules is not changed again (its
    details would put personal data back in a record that says none remains)."""
    if case.disposed_at is not None:
        raise Refused(
            f"The personal data of {case.reference} was disposed of under the retention rules on "
            f"{format_date(london(case.disposed_at).date())}: the case cannot be changed"
        )


def _ensure_everyone_on_it_cleared(case: Case, changed: SimpleNamespace) -> None:
    """A case becoming Category 4 must leave no one not cleared for it in a role on it: the chair,
    administrator, named invitees and presenting officer of each meeting discussing it whose record is
    still open (approved minutes stand as they are), and the owners of its open actions. Refused, beside
    the category, naming the meeting or action and what to do."""
    from tracker.meetings import freeze

    items = db.session.exec(
        select(AgendaItem)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaItem.case_id == case.id, Meeting.status != MeetingStatus.CANCELLED)
        .order_by(col(Meeting.starts_at))
    ).all()
    frozen = freeze.frozen_meetings(db.session, {item.meeting_id for item in items})
    for item in (item for item in items if item.meeting_id not in frozen):
        try:
            ensure_meeting_cleared(item.meeting, changed)
            ensure_cleared(changed, item.presenting_officer_id, "presenting officer")
        except Refused as refused:
            raise Refused(
                f"{case.reference} cannot become Category 4 while it is on {item.meeting.reference}: "
                f"{refused}. Change who runs or attends that meeting first, or take the case off its agenda",
                field="category",
            ) from None
    owners = db.session.exec(
        select(Action.owner_id).where(Action.case_id == case.id, Action.status == ActionStatus.OPEN)
    ).all()
    for owner_id in owners:
        try:
            ensure_cleared(changed, owner_id, "owner of one of its open actions")
        except Refused as refused:
            raise Refused(
                f"{case.reference} cannot become Category 4: {refused}. "
                "Give the action to someone cleared first",
                field="category",
            ) from None


def earliest_after_referral(case: Case) -> tuple[date, str] | None:
    """The earliest thing the case's record holds besides its referral, and what it was: a meeting that
    discussed it (not one cancelled) or an entry in its history. None when there is nothing yet."""
    found = []
    meeting = db.session.exec(
        select(Meeting.starts_at, Meeting.reference)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .where(AgendaItem.case_id == case.id, Meeting.status != MeetingStatus.CANCELLED)
        .order_by(col(Meeting.starts_at))
        .limit(1)
    ).first()
    if meeting is not None:
        found.append((london(meeting.starts_at).date(), f"meeting {meeting.reference} discussed the case"))
    event = db.session.exec(
        select(CaseEvent.occurred_on, CaseEvent.kind)
        .where(CaseEvent.case_id == case.id, CaseEvent.kind != CaseEventKind.REFERRED)
        .order_by(col(CaseEvent.occurred_on), col(CaseEvent.id))
        .limit(1)
    ).first()
    if event is not None:
        found.append((event.occurred_on, f"the case's history records: {event.kind.label}"))
    return min(found, key=lambda pair: pair[0], default=None)


def _ensure_referral_first(case: Case, referred_on: date) -> None:
    earliest = earliest_after_referral(case)
    if earliest is not None and referred_on > earliest[0]:
        on, what = earliest
        raise Refused(
            f"The referral date must be on or before {on:%-d %B %Y}, when {what}", field="referred_on"
        )


def _move_referral(case: Case, referred_on: date) -> None:
    """The history's referral entry (the one dated as the case is, or else the first) takes the new date."""
    referrals = db.session.exec(
        select(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.kind == CaseEventKind.REFERRED)
        .order_by(col(CaseEvent.occurred_on), col(CaseEvent.id))
    ).all()
    first = referrals[0] if referrals else None
    entry = next((e for e in referrals if e.occurred_on == case.referred_on), first)
    if entry is not None:
        entry.occurred_on = referred_on


class DateRefused(ValueError):
    """An event whose date (or time of day) cannot enter the case's history: a message for that field."""

    def __init__(self, message: str, field: str = "occurred_on"):
        super().__init__(message)
        self.field = field


BEFORE_REFERRAL = "The date must be on or after the case's referral, {on}"
# Each kind of event, and what it would change, entered before a meeting whose minutes are approved.
BEFORE_APPROVED_MEETING = {
    CaseEventKind.LEVEL_CHANGED: ("A change of level", "the level that meeting started from"),
    CaseEventKind.RECALLED: ("A return to custody", "whether the person was in custody when it met"),
    CaseEventKind.CUSTODY_OTHER: ("A return to custody", "whether the person was in custody when it met"),
    CaseEventKind.RELEASED: ("A release from custody", "whether the person was in custody when it met"),
    CaseEventKind.EXITED: ("An exit from MAPPA", "whether the case was still managed at MAPPA when it met"),
}
DECIDED_AT_APPROVED_MEETING = (
    "{what} must come after {reference}, held on {on} from {starts}, whose minutes are approved: before that "
    "meeting it would change {rewrites}. Give a date after {on}, or {on} with the time it happened (after "
    "{starts}); or correct those minutes"
)


def record_case_event(
    case: Case,
    kind: CaseEventKind,
    occurred_on: date,
    new_level: Level | None,
    reason: str,
    by: User,
    occurred_time: time | None = None,
) -> CaseEvent:
    """Record a level change or custody event (on a day, at a time of day if given) and apply it to the
    case. Raises ValueError (a message for the form; DateRefused for its date and time) when the event
    does not fit the case, changing nothing."""
    return record_case_events([(case, kind, occurred_on, new_level, reason, occurred_time)], by)[0]


def record_case_events(
    events: list[tuple[Case, CaseEventKind, date, Level | None, str, time | None]], by: User
) -> list[CaseEvent]:
    """`record_case_event` for many cases at once (one event each), replaying their histories together.
    Every event is checked before anything changes: the level it starts from is the case's level where it
    comes in its history (`timeline.position`: without a time, before that day's meetings); it may not be
    dated before the referral, nor come before a level decision whose minutes are approved (a level
    change, an exit or a return to custody there would rewrite what that meeting started from), but may
    come after one held earlier the same day, given the time it happened."""
    decided = timeline.decided_at_approved_meetings([case.id for case, *_rest in events]) if events else {}
    levels = timeline.levels_at([(case, on, clock) for case, _kind, on, _level, _reason, clock in events])
    recorded = []
    for case, kind, occurred_on, new_level, reason, occurred_time in events:
        ensure_not_disposed(case)
        if occurred_on < case.referred_on:
            raise DateRefused(BEFORE_REFERRAL.format(on=format_date(case.referred_on)))
        frozen = decided.get(case.id)
        if frozen is not None and not frozen.comes_after(occurred_on, occurred_time):
            _refuse_before(frozen, kind, occurred_on)
        before = levels[case.id]
        status, level = rules.case_after_event(case.status, before, kind, new_level)
        recorded.append(
            CaseEvent(
                case_id=case.id,
                kind=kind,
                occurred_on=occurred_on,
                occurred_time=occurred_time,
                level=level,
                previous_level=before if level is not before else None,
                reason=reason,
                recorded_by_id=by.id,
            )
        )
    db.session.add_all(recorded)
    # An event dated before meetings already recorded: the case is what its history says, in date order.
    timeline.rederive_many([case for case, *_rest in events], by.id)
    return recorded


def _refuse_before(frozen: timeline.Decided, kind: CaseEventKind, occurred_on: date) -> None:
    what, rewrites = BEFORE_APPROVED_MEETING.get(kind, (kind.label, "what that meeting started from"))
    raise DateRefused(
        DECIDED_AT_APPROVED_MEETING.format(
            what=what,
            reference=frozen.reference,
            on=format_date(frozen.on),
            starts=format_time(frozen.starts),
            rewrites=rewrites,
        ),
        # On the meeting's own day the time is what places it.
        field="occurred_time" if occurred_on == frozen.on else "occurred_on",
    )


def category_4_parts(person_id: int) -> list[str]:
    """What this person does on Category 4 work that needs their clearance, in words that name no case:
    each meeting discussing a Category 4 case whose record is still open that they chair, minute or are
    invited to by name, and the open actions on such cases they own."""
    from tracker.meetings import freeze

    runs = (
        select(Meeting.id, Meeting.reference, Meeting.chair_id, Meeting.administrator_id)
        .join(AgendaItem, AgendaItem.meeting_id == Meeting.id)
        .join(Case, Case.id == AgendaItem.case_id)
        .where(Case.category == Category.CATEGORY_4, Meeting.status != MeetingStatus.CANCELLED)
        .where(
            sa.or_(
                Meeting.chair_id == person_id,
                Meeting.administrator_id == person_id,
                col(Meeting.id).in_(select(Invitation.meeting_id).where(Invitation.user_id == person_id)),
            )
        )
        .distinct()
        .order_by(Meeting.reference)
    )
    meetings = db.session.exec(runs).all()
    frozen = freeze.frozen_meetings(db.session, {row.id for row in meetings})

    def part(row) -> str:
        if row.chair_id == person_id:
            return f"chair of {row.reference}"
        return f"{'administrator' if row.administrator_id == person_id else 'invitee'} of {row.reference}"

    parts = [part(row) for row in meetings if row.id not in frozen]
    actions = db.session.scalar(
        select(sa.func.count())
        .select_from(Action)
        .join(Case, Case.id == Action.case_id)
        .where(
            Action.owner_id == person_id,
            Action.status == ActionStatus.OPEN,
            Case.category == Category.CATEGORY_4,
        )
    )
    if actions:
        parts.append(f"owner of {actions} open action{'s' if actions != 1 else ''}")
    return parts
