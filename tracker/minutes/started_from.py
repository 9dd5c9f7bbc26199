"""What a later meeting's approved minutes say it started from, held against the earlier meeting's plan.

A review starts from the plan as last agreed, and its approved minutes say what it did with each part: the
wording it confirmed, or the wording it changed (its "previous wording"). That wording is the earlier
meeting's, frozen with the later minutes: the earlier meeting's plan must still say it, or the two records
contradict each other. A correction to the later minutes reopens the earlier plan only as part of the
correction, so:

- approving the earlier meeting's minutes is refused while its plan says something else than a later
  approved meeting started from (approve that meeting's correction first, which looks at it again);
- abandoning a correction is refused while a meeting it reopened says something else than the approved
  minutes started from (put that meeting's wording back, or approve the correction instead).
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.core.db import db
from tracker.meetings import freeze, plan
from tracker.meetings.models import AgendaItem, Meeting, PlanOutcome, PlanPart, PlanPartKind
from tracker.minutes.document import MinutesRecord
from tracker.minutes.models import Minutes, MinutesVersion


@dataclass(frozen=True)
class Departure:
    """An earlier meeting's plan no longer says what a later meeting's approved minutes started from."""

    earlier: Meeting
    later: Meeting
    case_reference: str
    # Each part that differs, with the wording the later approved minutes started from.
    started_from: dict[PlanPartKind, str]

    @property
    def parts(self) -> str:
        return ", ".join(kind.label.lower() for kind in self.started_from)


def departures(item: AgendaItem, later_ids: set[int] | None = None) -> list[Departure]:
    """Each later meeting on the case whose minutes have been approved (approved now, or being corrected:
    the version that stands) that carried parts of the plan from this item, when this item's wording of
    those parts is not what those minutes started from (`later_ids`: only these meetings)."""
    if item.id is None or item.case.disposed_at is not None or item.not_discussed:
        return []
    rows = db.session.exec(
        select(PlanPart.part, AgendaItem.meeting_id)
        .join(AgendaItem, col(AgendaItem.id) == PlanPart.agenda_item_id)
        .where(PlanPart.carried_from_id == item.id, AgendaItem.meeting_id != item.meeting_id)
    ).all()
    carried: dict[int, list[PlanPartKind]] = {}
    for kind, meeting_id in rows:
        if later_ids is None or meeting_id in later_ids:
            carried.setdefault(meeting_id, []).append(kind)
    with db.session.no_autoflush:
        approved = freeze.approved_once(db.session, set(carried))
    found = []
    for meeting_id in sorted(approved):
        case = _approved_case_record(meeting_id, item.case_id)
        if case is None:
            continue
        differing = {}
        for kind in sorted(carried[meeting_id], key=list(PlanPartKind).index):
            outcome = case.plan_outcome(kind)
            if outcome is PlanOutcome.CONFIRMED:
                expected = case.plan_wording(kind)
            elif outcome is PlanOutcome.CHANGED:
                expected = next(p.previous for p in case.plan if p.part == kind.name)
            else:
                continue
            if plan.wording(item, kind) != expected:
                differing[kind] = expected
        if differing:
            later = db.session.get(Meeting, meeting_id)
            found.append(Departure(item.meeting, later, item.case.reference, differing))
    return sorted(found, key=lambda departure: departure.later.starts_at)


def _approved_case_record(meeting_id: int, case_id: int):
    """The case's part of the meeting's minutes as last approved (the version that stands), or None."""
    record = db.session.scalar(
        sa.select(MinutesVersion.record)
        .join(Minutes, Minutes.id == MinutesVersion.minutes_id)
        .where(Minutes.meeting_id == meeting_id, MinutesVersion.approved_at.is_not(None))
        .order_by(MinutesVersion.number.desc())
        .limit(1)
    )
    if not record:
        return None
    cases = [case for case in MinutesRecord.from_json(record).items if case.case_id == case_id]
    return cases[0] if cases and not cases[0].not_discussed else None


def approval_problem(departure: Departure) -> str:
    """Why the earlier meeting's minutes are not approved: its plan contradicts the later minutes."""
    later = departure.later
    correcting = freeze.correcting(later.id)
    then = (
        f"The minutes of {later.reference} are being corrected: approve that correction first (it looks at "
        "the new wording again), or put the wording back here"
        if correcting
        else f"Put the wording back here, or correct the minutes of {later.reference} first"
    )
    return (
        f"{departure.case_reference}: the plan's {departure.parts} at this meeting no longer says what "
        f"{later.reference}, a later meeting whose minutes are approved, started from. {then}"
    )


def abandon_problem(departure: Departure) -> str:
    """Why a correction is not abandoned: an earlier meeting it reopened was changed meanwhile."""
    wording = "; ".join(f"{kind.label}: “{text}”" for kind, text in departure.started_from.items())
    return (
        f"While this correction was under way, the plan for {departure.case_reference} at "
        f"{departure.earlier.reference} was changed ({departure.parts}): the approved minutes of "
        f"{departure.later.reference} started from it as it was. To abandon the correction, first put "
        f"that wording back at {departure.earlier.reference} ({wording}); or keep the change and approve "
        "this correction, confirming or changing those parts here"
    )


def reopened_departures(meeting: Meeting) -> list[Departure]:
    """For a correction to the meeting's minutes: each earlier meeting the correction reopened (the items its
    parts were carried from) whose plan no longer says what these minutes, as approved, started from."""
    source_ids = db.session.exec(
        select(PlanPart.carried_from_id)
        .join(AgendaItem, col(AgendaItem.id) == PlanPart.agenda_item_id)
        .where(AgendaItem.meeting_id == meeting.id, col(PlanPart.carried_from_id).is_not(None))
    ).all()
    sources = [db.session.get(AgendaItem, source_id) for source_id in sorted(set(source_ids))]
    sources.sort(key=lambda source: (source.meeting.starts_at, source.id))
    return [found for source in sources for found in departures(source, {meeting.id})]
