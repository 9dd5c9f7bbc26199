"""A meeting's agenda: putting cases on it, changing, moving and taking them off."""

from __future__ import annotations

from datetime import datetime, time

import sqlalchemy as sa
from sqlmodel import select

from tracker.auth.models import User
from tracker.core import locking
from tracker.core.db import db
from tracker.core.timeutil import london, london_to_utc
from tracker.meetings import access, plan, rules
from tracker.meetings.models import Action, AgendaItem, AgendaPurpose, Case, Meeting, Pillar, PillarEntry
from tracker.meetings.services.base import (
    PLANNING,
    Refused,
    ensure_cleared,
    ensure_meeting_cleared,
    ensure_record_open,
)
from tracker.meetings.services.order import ensure_case_order

NO_SUCH_CASE = "There is no case with this MAPPA reference"


def find_case_for_agenda(reference: str, user: User) -> Case | None:
    """A case this person may put on an agenda, by its MAPPA reference (in any case): any case for those
    who schedule meetings, otherwise only one they may already change (so that putting a case on an
    agenda never gives a chair a case he could not see). Category 4 only for those cleared for it."""
    return db.session.exec(
        select(Case).where(
            sa.func.upper(Case.reference) == reference.strip().upper(), access.agenda_case_condition(user)
        )
    ).first()


def ensure_staff_cleared(meeting: Meeting, case: Case, slot: dict) -> None:
    """The Category 4 staffing rule for putting this case on this meeting (its chair, administrator and
    named invitees, and the presenting officer given): Refused, naming the person, otherwise."""
    ensure_meeting_cleared(meeting, case)
    ensure_cleared(case, slot.get("presenting_officer_id"), "presenting officer")


def ensure_may_add(meeting: Meeting, case: Case, slot: dict) -> None:
    """Whether this case may go on this meeting (asked before any warning, and again as it is added): its
    staff cleared for it (`ensure_staff_cleared`), and the meeting in its place among the case's meetings
    (`ensure_case_order`). Refused, saying why, otherwise."""
    ensure_staff_cleared(meeting, case, slot)
    ensure_case_order(meeting, [case], meeting.starts_at)


def add_to_agenda(
    meeting: Meeting, reference: str, purpose: AgendaPurpose, slot: dict, by: User
) -> AgendaItem:
    """Put the case with this reference on the agenda. A reference this person may not use gets the same
    answer as one that does not exist. `slot`: slot_start, slot_end, presenting_officer_id."""
    ensure_record_open(meeting, PLANNING)
    case = find_case_for_agenda(reference, by)
    if case is None:
        raise Refused(NO_SUCH_CASE)
    if any(item.case_id == case.id for item in meeting.agenda_items):
        raise Refused(f"{case.reference} is already on this agenda")
    ensure_may_add(meeting, case, slot)
    item = add_agenda_item(meeting, case, purpose)
    _apply_slot(meeting, item, purpose, slot)
    return item


# What the agenda item form edits (`locking.claim_part`): the chair saving the item's decision or risk
# assessment meanwhile is no conflict with it.
SLOT_FORM_COLUMNS = ("purpose", "slot_starts_at", "slot_ends_at", "presenting_officer_id")


def change_agenda_item(
    meeting: Meeting, item: AgendaItem, purpose: AgendaPurpose, slot: dict, version, by: User, shown=None
) -> bool:
    """False, changing nothing, when someone else saved the item's purpose, slot or presenting officer
    since the form was built (`shown`: their fingerprint as the page showed them)."""
    ensure_record_open(meeting, PLANNING)
    ensure_cleared(item.case, slot.get("presenting_officer_id"), "presenting officer")
    if not locking.claim_part(item, version, shown, SLOT_FORM_COLUMNS):
        return False
    _apply_slot(meeting, item, purpose, slot)
    return True


def _apply_slot(meeting: Meeting, item: AgendaItem, purpose: AgendaPurpose, slot: dict) -> None:
    item.purpose = purpose
    item.slot_starts_at, item.slot_ends_at = slot_times(meeting, slot.get("slot_start"), slot.get("slot_end"))
    officer = slot.get("presenting_officer_id")
    item.presenting_officer_id = int(officer) if officer else None
    put_in_time_order(meeting)


def put_in_time_order(meeting: Meeting) -> None:
    """Number the agenda so that cases with a time slot run in order of their start times (the others
    keep the places they were given): the agenda page, its PDF and the minutes list them in this order."""
    items = sorted(meeting.agenda_items, key=lambda i: i.position)
    order = rules.agenda_in_time_order([each.slot_starts_at for each in items])
    for position, index in enumerate(order, start=1):
        items[index].position = position


def move(meeting: Meeting, item: AgendaItem, direction: str, by: User) -> bool:
    """Move an item up or down the agenda; Refused when that would put cases with time slots out of the
    order of their start times."""
    ensure_record_open(meeting, PLANNING)
    return direction in ("up", "down") and move_agenda_item(meeting, item, direction)


def take_off_agenda(meeting: Meeting, item: AgendaItem, by: User) -> None:
    """Take a case off the agenda, unless the meeting has already recorded something about it."""
    ensure_may_take_off(meeting, item)
    remove_agenda_item(meeting, item)


def ensure_may_take_off(meeting: Meeting, item: AgendaItem) -> None:
    """Whether the case may come off the agenda (asked before the person confirms, and again as it is
    taken off): RecordClosed once the meeting is past planning, Refused when it recorded something about
    the case."""
    ensure_record_open(meeting, PLANNING)
    if item_has_record(item):
        raise Refused(
            f"{item.case.reference} cannot be removed: the meeting recorded actions, a decision or parts of "
            "the plan for it."
        )


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
        category_considered=case.category,
    )
    item.pillar_entries = [PillarEntry(pillar=pillar) for pillar in Pillar]
    # A review opens with the case's plan as last agreed; a first meeting builds it.
    plan.start(item, meeting)
    db.session.add(item)
    db.session.flush()
    db.session.expire(meeting, ["agenda_items"])
    return item


def move_agenda_item(meeting: Meeting, item: AgendaItem, direction: str) -> bool:
    """Swap an item with its neighbour above or below; False when it is already at that end."""
    items = sorted(meeting.agenda_items, key=lambda i: i.position)
    index = items.index(item)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(items):
        return False
    upper, lower = sorted((index, other))
    if problem := rules.agenda_move_problem(items[upper].slot_starts_at, items[lower].slot_starts_at):
        raise Refused(problem.replace("the case", items[index].case.reference))
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


def item_has_record(item: AgendaItem) -> bool:
    """Whether removing the item would lose something the meeting recorded about the case: actions, a
    level decision, or a part of the plan (a pillar, the risk assessment) it looked at."""
    raised = db.session.scalar(select(sa.func.count()).where(Action.agenda_item_id == item.id))
    looked_at = any(part.reviewed_at is not None for part in item.plan_parts)
    return bool(raised) or item.level_decision is not None or looked_at
