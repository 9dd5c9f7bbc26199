"""A case's risk management plan: one living record carried from review to review.

The plan's parts are the risk assessment (with its tool and date), the Four Pillars, the contingency plan
and the licence or order conditions. Their wording at each meeting is that meeting's record (the agenda
item's risk fields and its pillar entries). A case's first meeting agrees the plan; each later review
starts from the plan as last agreed (copied from the case's latest held meeting before it, not one brought
in from the area's records) and the chair confirms or changes each part; `PlanPart` says which and where
it was carried from, for the agenda item, the minutes and the plan's history. When another meeting is
held before a review still being prepared (or a correction changes the plan it was carried from),
`carry_forward` brings the review up to the plan as now last agreed.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core import settings
from tracker.core.db import db
from tracker.core.timeutil import format_date
from tracker.core.types import utcnow
from tracker.meetings.models import (
    AgendaItem,
    Meeting,
    MeetingStatus,
    PillarStatus,
    PlanOutcome,
    PlanPart,
    PlanPartKind,
)

ASSESSMENT_TOOLS = settings.define(
    "assessment_tools",
    "OASys, ARMS, RM2000, Other",
    "Risk assessment tools",
    hint="The tools a risk assessment may be recorded with, separated by commas.",
    group="Meetings and deadlines",
    separator=",",
)

RISK_COLUMNS = (
    "risk_to_children",
    "risk_to_public",
    "risk_to_known_adult",
    "risk_to_staff",
    "risk_to_prisoners",
)
# What each part holds on an agenda item (pillars are held on its pillar entries).
ITEM_COLUMNS = {
    PlanPartKind.RISK_ASSESSMENT: (
        *RISK_COLUMNS,
        "imminence",
        "risk_notes",
        "assessment_tool",
        "assessed_on",
    ),
    PlanPartKind.CONTINGENCY: ("contingency_plan",),
    PlanPartKind.LICENCE_CONDITIONS: ("licence_conditions",),
}
PILLAR_COLUMNS = ("status", "summary", "not_applicable_reason")


def tools() -> list[str]:
    """The assessment tools the area uses, in the order the setting lists them."""
    return settings.entries(settings.get(ASSESSMENT_TOOLS.key), ",")


# The wording of a part at one meeting ---------------------------------------------------------------


def values(item: AgendaItem, kind: PlanPartKind) -> tuple:
    """The part as this meeting holds it, comparable with another meeting's."""
    if kind.pillar is not None:
        entry = item.entry_for(kind.pillar)
        return tuple(getattr(entry, name) for name in PILLAR_COLUMNS) if entry else ()
    return tuple(getattr(item, name) for name in ITEM_COLUMNS[kind])


def wording(item: AgendaItem, kind: PlanPartKind) -> str:
    """The part in words, as the agenda item, the minutes and the plan's history show it."""
    if kind.pillar is not None:
        entry = item.entry_for(kind.pillar)
        if entry is None:
            return pillar_wording(PillarStatus.OUTSTANDING, "")
        text = entry.not_applicable_reason if entry.status is PillarStatus.NOT_APPLICABLE else entry.summary
        return pillar_wording(entry.status, text)
    if kind is PlanPartKind.RISK_ASSESSMENT:
        risks = [(who, level.label if level else None) for who, level in item.risks]
        tool = f"{item.assessment_tool}, {format_date(item.assessed_on)}" if has_tool_and_date(item) else ""
        return risk_wording(risks, item.imminence.label if item.imminence else None, item.risk_notes, tool)
    return text_wording(getattr(item, ITEM_COLUMNS[kind][0]))


# The same words from plain values, so that the minutes' frozen record of a meeting (which holds the
# codes and texts, not the agenda item) reads exactly as the live plan did when it was approved.


def pillar_wording(status: PillarStatus, text: str | None) -> str:
    """A pillar in words: its status with its summary (the reason, when it does not apply)."""
    if status is PillarStatus.OUTSTANDING and not text:
        return "Outstanding"
    if status is PillarStatus.NOT_APPLICABLE:
        return f"Not applicable: {text}"
    return f"{status.label}: {text}" if text else status.label


def risk_wording(
    risks: list[tuple[str, str | None]], imminence: str | None, notes: str | None, assessment: str
) -> str:
    """The risk assessment in words: `risks` is whom each risk is to with its level's label (None when
    not assessed), `imminence` a label, `assessment` the tool and date ("OASys, 3 March 2026") or ""."""
    if imminence is None or any(level is None for _who, level in risks):
        return "Not assessed"
    parts = ["; ".join(f"{who}: {level}" for who, level in risks), f"Imminence: {imminence}"]
    # The parts are joined with full stops: the notes' own closing one is not doubled.
    parts.append(f"Risk factors: {notes.rstrip().rstrip('.')}" if notes else "")
    parts.append(f"Assessed with {assessment}" if assessment else "")
    return ". ".join(part for part in parts if part)


def text_wording(text: str | None) -> str:
    """A part held as free text (the contingency plan, the licence or order conditions) in words."""
    return text or "None recorded"


def is_assessed(item: AgendaItem) -> bool:
    return all(getattr(item, name) is not None for name in RISK_COLUMNS) and item.imminence is not None


def has_tool_and_date(item: AgendaItem) -> bool:
    return bool(item.assessment_tool.strip()) and item.assessed_on is not None


def risk_problem(item: AgendaItem) -> str | None:
    """What is missing from the risk assessment for approval (the case is named by the caller)."""
    if not is_assessed(item):
        return "no risk assessment is recorded"
    if not has_tool_and_date(item):
        return "the risk assessment has no assessment tool and date"
    return None


def copy_plan(source: AgendaItem, target: AgendaItem) -> None:
    """Put the plan as `source` agreed it on `target` (the next review's agenda item)."""
    for kind in PlanPartKind:
        copy_part(source, target, kind)


def copy_part(source: AgendaItem, target: AgendaItem, kind: PlanPartKind) -> None:
    if kind.pillar is not None:
        theirs, ours = source.entry_for(kind.pillar), target.entry_for(kind.pillar)
        if theirs is not None and ours is not None:
            for name in PILLAR_COLUMNS:
                setattr(ours, name, getattr(theirs, name))
        return
    for name in ITEM_COLUMNS[kind]:
        setattr(target, name, getattr(source, name))


# Carrying the plan forward ----------------------------------------------------------------------------


# Meetings that agreed a plan: held ones (one brought in from the records has a decision, never a plan)
# that discussed the case (one that did not, deferring it, agreed nothing).
_AGREED_A_PLAN = sa.and_(
    Meeting.status == MeetingStatus.HELD,
    col(Meeting.imported).is_(False),
    AgendaItem.not_discussed_reason == "",
)


def agreed_before(case_id: int, meeting: Meeting) -> AgendaItem | None:
    """The plan as it stands before this meeting: the case's item at its latest held meeting before it."""
    return db.session.exec(
        select(AgendaItem)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(
            AgendaItem.case_id == case_id,
            _AGREED_A_PLAN,
            Meeting.starts_at < meeting.starts_at,
            Meeting.id != meeting.id,
        )
        .order_by(col(Meeting.starts_at).desc(), col(AgendaItem.id).desc())
        .options(selectinload(AgendaItem.pillar_entries), selectinload(AgendaItem.meeting))
        .limit(1)
    ).first()


def start(item: AgendaItem, meeting: Meeting) -> AgendaItem | None:
    """Open the item with the plan as it stands (the case's first meeting starts from blank), each part
    waiting to be confirmed or changed. Returns the item the plan came from."""
    source = agreed_before(item.case_id, meeting)
    if source is not None:
        copy_plan(source, item)
    item.plan_parts = [
        PlanPart(case_id=item.case_id, part=kind, carried_from_id=source.id if source else None)
        for kind in PlanPartKind
    ]
    return source


def _part(item: AgendaItem, kind: PlanPartKind) -> PlanPart:
    part = item.part_for(kind)
    if part is None:
        part = PlanPart(case_id=item.case_id, part=kind)
        item.plan_parts.append(part)
    return part


def snapshot(item: AgendaItem, kinds: list[PlanPartKind]) -> dict[PlanPartKind, tuple]:
    """The parts' wording before a change, for `recorded` to tell which parts the change touched."""
    return {kind: values(item, kind) for kind in kinds}


def recorded(
    item: AgendaItem, kinds: list[PlanPartKind], by: User, before: dict[PlanPartKind, tuple] | None = None
) -> None:
    """After the chair saved these parts: each is changed or confirmed against the plan it was carried
    from (or agreed, at the case's first meeting). At a held meeting (a correction to its minutes) the
    parts whose wording changed (`before`: as `snapshot` took them; without it, all of them) are the plan
    agreed again, and the case's reviews still being prepared start from it (`carry_forward`): when the
    correction is approved (`tracker.minutes.services.approve`), not while it is a draft."""
    from tracker.meetings import freeze

    for kind in kinds:
        part = _part(item, kind)
        source = db.session.get(AgendaItem, part.carried_from_id) if part.carried_from_id else None
        if source is None:
            part.outcome = PlanOutcome.NEW
        else:
            same = values(source, kind) == values(item, kind)
            part.outcome = PlanOutcome.CONFIRMED if same else PlanOutcome.CHANGED
        part.reviewed_at, part.reviewed_by_id = utcnow(), by.id
    held = item.id is not None and item.meeting.status is MeetingStatus.HELD
    if held and not freeze.correcting(item.meeting_id):
        changed = [kind for kind in kinds if before is None or before.get(kind) != values(item, kind)]
        if changed:
            carry_forward(item.case_id, agreed_at=item, kinds=changed)


def carry_forward(
    case_id: int, agreed_at: AgendaItem | None = None, kinds=(), withdrawn: bool = False
) -> None:
    """Each of the case's reviews whose record is still open starts from the plan as last agreed before
    it (the case's latest held meeting before its date), after a meeting is recorded as held (or brought
    in held), a meeting being prepared moves, or a correction changes the plan at `agreed_at` (`kinds`).

    A part the review has not yet looked at takes the plan's wording. A part a meeting still to come has
    already confirmed or changed keeps its own wording but is waiting again (its `reviewed_at` stays, so
    the agenda item says the plan was agreed again after it was reviewed and shows the new wording): the
    earlier review was of a plan that no longer stands. At a meeting already held, what it reviewed is
    its record and stays as it is. Approved minutes (a frozen record) never change, and a correction to
    them never changes where the meeting's plan was carried from (`_sources`).

    A meeting whose approved minutes are being corrected keeps the record as approved in its rows (the
    correction's draft is kept apart: `tracker.minutes.correction`) and is left as it is too: only that
    correction, approved, changes its record. Its draft looks at the plan again when it is next opened
    (`look_again`).

    `withdrawn`: the wording `agreed_at` had for `kinds` was never approved (a correction abandoned). A
    review that confirmed it confirmed nothing that stands: its part takes the plan's wording back, as one
    not looked at would, and waits to be confirmed again (so no page or draft minutes offer the withdrawn
    wording as the review's own). A change the review made stays its own."""
    from tracker.meetings import freeze
    from tracker.minutes import correction

    targets = db.session.exec(
        select(AgendaItem)
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(
            AgendaItem.case_id == case_id,
            col(Meeting.status).in_((MeetingStatus.SCHEDULED, MeetingStatus.HELD)),
        )
        .options(
            selectinload(AgendaItem.pillar_entries),
            selectinload(AgendaItem.plan_parts),
            selectinload(AgendaItem.meeting),
        )
    ).all()
    with db.session.no_autoflush:
        meeting_ids = {target.meeting_id for target in targets}
        frozen = freeze.frozen_meetings(db.session, meeting_ids)
        approved = freeze.approved_once(db.session, meeting_ids)
        standing = frozen | correction.kept_apart(approved - frozen)
    # (item id, part) agreed again: at `agreed_at`, then at each held meeting taking it (in date order).
    again = {(agreed_at.id, kind) for kind in kinds} if agreed_at is not None else set()
    for target in sorted(targets, key=lambda item: (item.meeting.starts_at, item.id)):
        if target.meeting_id in standing:
            continue
        for source, part in _sources(case_id, target, target.meeting_id in approved):
            if part.carried_from_id != source.id or (source.id, part.part) in again:
                before = values(target, part.part)
                _carry_part(source, target, part, withdrawn and source.id == agreed_at.id)
                if values(target, part.part) != before:
                    again.add((target.id, part.part))


def _sources(case_id: int, target: AgendaItem, approved: bool) -> list[tuple[AgendaItem, PlanPart]]:
    """Each part of the review with the plan it starts from: the plan as last agreed before it; at a meeting
    whose minutes were approved and are being corrected, the meeting each part was approved carried from,
    whichever meeting has been held before it since (a correction reopens what the meeting recorded, not
    where its plan came from, so only a change agreed again there reaches it)."""
    if not approved:
        source = agreed_before(case_id, target.meeting)
        return [(source, part) for part in target.plan_parts] if source is not None else []
    found = []
    for part in target.plan_parts:
        source = db.session.get(AgendaItem, part.carried_from_id) if part.carried_from_id else None
        if source is not None:
            found.append((source, part))
    return found


def carry_forward_many(case_ids: list[int], chunk: int = 500) -> None:
    """`carry_forward` for each of these cases with a review still to come (after meetings are brought in
    held: one of them may be the plan as last agreed for it)."""
    for start in range(0, len(case_ids), chunk):
        waiting = db.session.exec(
            select(AgendaItem.case_id)
            .join(Meeting, col(Meeting.id) == AgendaItem.meeting_id)
            .where(
                col(AgendaItem.case_id).in_(case_ids[start : start + chunk]),
                Meeting.status == MeetingStatus.SCHEDULED,
            )
            .distinct()
        ).all()
        for case_id in waiting:
            carry_forward(case_id)


def _carry_part(source: AgendaItem, target: AgendaItem, part: PlanPart, withdrawn: bool = False) -> None:
    untouched = part.outcome is PlanOutcome.PENDING and part.reviewed_at is None
    confirmed_withdrawn = withdrawn and part.outcome is PlanOutcome.CONFIRMED
    if untouched or confirmed_withdrawn:
        if values(source, part.part) != values(target, part.part):
            copy_part(source, target, part.part)
            _bump_version(target, part.part)
        if confirmed_withdrawn:
            part.outcome = PlanOutcome.PENDING
    elif target.meeting.status is MeetingStatus.SCHEDULED or part.outcome is not PlanOutcome.CHANGED:
        # What this review settled on is what has now been agreed: it confirms the plan as it stands,
        # with nothing new to look at; otherwise it has to be looked at again. At a meeting already held,
        # a part it confirmed is looked at again too when the plan it confirmed no longer stands (a
        # correction to the earlier minutes changed it, or was abandoned); a change it made is its own.
        same = values(source, part.part) == values(target, part.part)
        part.outcome = PlanOutcome.CONFIRMED if same else PlanOutcome.PENDING
    else:
        return
    part.carried_from_id = source.id


def _bump_version(target: AgendaItem, kind: PlanPartKind) -> None:
    # A form opened on the old wording is refused as someone else's change rather than saved over it.
    if kind.pillar is not None:
        entry = target.entry_for(kind.pillar)
        if entry is not None:
            entry.version += 1
    else:
        target.version += 1


def confirm(item: AgendaItem, kind: PlanPartKind, by: User) -> PlanOutcome:
    """The chair confirms the part as last agreed: a part waiting to be looked at takes the plan's
    wording (the same, unless the plan was agreed again after this review was prepared); a part already
    confirmed or changed meanwhile stays as it is."""
    part, before = _part(item, kind), snapshot(item, [kind])
    if part.outcome is PlanOutcome.PENDING and part.carried_from_id is not None:
        source = db.session.get(AgendaItem, part.carried_from_id)
        if source is not None and values(source, kind) != values(item, kind):
            copy_part(source, item, kind)
            _bump_version(item, kind)
    recorded(item, [kind], by, before)
    return part.outcome


def look_again(item: AgendaItem) -> None:
    """A part this meeting confirmed whose wording where it was carried from has changed since (a meeting
    reopened by a correction to this one's minutes) waits to be looked at again, as `carry_forward` has
    a held review do: what it confirmed no longer stands there."""
    for part in item.plan_parts:
        if part.outcome is PlanOutcome.CONFIRMED and part.carried_from_id is not None:
            source = db.session.get(AgendaItem, part.carried_from_id)
            if source is not None and values(source, part.part) != values(item, part.part):
                part.outcome = PlanOutcome.PENDING


def pending(item: AgendaItem) -> list[PlanPartKind]:
    """The parts carried from the last meeting that this one has not yet confirmed or changed."""
    return [p.part for p in item.plan_parts if p.carried_from_id and p.outcome is PlanOutcome.PENDING]
