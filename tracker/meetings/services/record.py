"""The record of a case's discussion at a meeting: the Four Pillars, the risk assessment and the level
decision with the next review. Each change goes through `ensure_record_open` first; a change to the plan,
through `ensure_plan_open` too."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core import locking
from tracker.core.db import db
from tracker.core.timeutil import format_date
from tracker.core.types import utcnow
from tracker.meetings import freeze, plan, plan_shown, rules, timeline
from tracker.meetings.models import (
    AgendaItem,
    Imminence,
    LevelDecision,
    Meeting,
    PillarEntry,
    PillarStatus,
    PlanOutcome,
    PlanPart,
    PlanPartKind,
    RiskLevel,
)
from tracker.meetings.services.base import RecordClosed, Refused, ensure_discussed, ensure_record_open

# The risk form's fields (tracker.meetings.forms.RiskForm), one a group of people at risk.
RISK_FIELDS = (
    "risk_to_children",
    "risk_to_public",
    "risk_to_known_adult",
    "risk_to_staff",
    "risk_to_prisoners",
)


@dataclass(frozen=True)
class PlanClosed:
    """A later meeting with approved minutes that started from the plan a meeting left: directly, or
    `through` meetings in between (their references, earliest first) whose minutes are not approved and
    which carried the parts on unchanged, so that a change here would reach it."""

    meeting: Meeting
    through: tuple[str, ...] = ()

    @property
    def reference(self) -> str:
        return self.meeting.reference

    @property
    def starts_at(self):
        return self.meeting.starts_at

    @property
    def route(self) -> str:
        """", through M-2026-0099," (or ""), to go before "to" in a sentence."""
        return f", through {', '.join(self.through)}," if self.through else ""


def plan_closed_by(item: AgendaItem, kinds: list[PlanPartKind] | None = None) -> PlanClosed | None:
    """The first later meeting on the case whose minutes are approved that started from these parts of
    the plan (all of them when None) as this meeting left them, or None. It carried them from this meeting,
    or from a meeting in between whose record is still open that carried them on without changing them
    (confirmed, or not yet looked at): a change here would reach it through that meeting (`carry_forward`
    makes the one in between look again, and it could then never be confirmed). Its approved minutes say
    what it started from: this meeting's wording of those parts stands. A meeting whose minutes are being
    corrected leaves open only the plan it carried from directly."""
    if item.id is None:
        return None
    # Item id -> the parts reaching it from `item` unchanged, and the references of the meetings on the way.
    frontier: dict[int, tuple[set[PlanPartKind], tuple[str, ...]]] = {
        item.id: (set(kinds or PlanPartKind), ())
    }
    seen = {item.id}
    while frontier:
        rows = db.session.exec(
            select(PlanPart, Meeting)
            .join(AgendaItem, col(PlanPart.agenda_item_id) == AgendaItem.id)
            .join(Meeting, col(Meeting.id) == AgendaItem.meeting_id)
            .where(col(PlanPart.carried_from_id).in_(list(frontier)))
            .order_by(col(Meeting.starts_at), col(PlanPart.agenda_item_id))
        ).all()
        with db.session.no_autoflush:
            frozen = freeze.frozen_meetings(db.session, {meeting.id for _part, meeting in rows})
            settled = freeze.approved_once(db.session, {meeting.id for _part, meeting in rows})
        found, reached = [], {}
        for part, meeting in rows:
            wanted, route = frontier[part.carried_from_id]
            if part.part not in wanted or part.agenda_item_id in seen:
                continue
            # A correction to a meeting's minutes reopens the plan it started from (as part of the
            # correction: `tracker.minutes.started_from`), not the plan of the meetings before that.
            if meeting.id in frozen or (route and meeting.id in settled):
                found.append(PlanClosed(meeting, route))
            elif part.outcome is not PlanOutcome.CHANGED:
                parts, _route = reached.setdefault(part.agenda_item_id, (set(), (*route, meeting.reference)))
                parts.add(part.part)
        if found:
            return min(found, key=lambda closed: closed.starts_at)
        seen.update(reached)
        frontier = reached
    return None


def ensure_plan_open(item: AgendaItem, kinds: list[PlanPartKind]) -> None:
    """The check before any change to these parts of the plan at this meeting (`ensure_record_open`, then
    this): refused (RecordClosed) when a later meeting whose minutes are approved started from them as this
    meeting left them (`plan_closed_by`: carried from here, or through open meetings in between that
    carried them on unchanged): changing it here would make the records disagree (the later one is never
    carried forward to). Its minutes are corrected first, as for a level decision (`decide_level`). Nothing
    is recorded for a case the meeting did not discuss (`ensure_discussed`)."""
    ensure_record_open(item.meeting)
    ensure_discussed(item)
    approved = plan_closed_by(item, kinds)
    if approved is not None:
        parts = ", ".join(kind.label.lower() for kind in kinds)
        raise RecordClosed(
            item.meeting,
            f"The plan for {item.case.reference} ({parts}) was carried forward from this meeting"
            f"{approved.route} to {approved.reference} on {format_date(approved.starts_at)}, whose minutes "
            "are approved: that meeting started from the plan this one left. Correct those minutes first "
            "to change it here.",
        )


def save_pillar(
    item: AgendaItem, entry: PillarEntry, status: PillarStatus, summary: str, reason: str, version, by: User
) -> bool:
    """Record one pillar of the checklist; a reason for it not applying is kept only when it does not.
    False, changing nothing, when someone else saved it since the form was built."""
    kinds = [PlanPartKind.for_pillar(entry.pillar)]
    ensure_plan_open(item, kinds)
    if not locking.claim(entry, version):
        return False
    before = plan.snapshot(item, kinds)
    entry.status = status
    entry.summary = summary or ""
    entry.not_applicable_reason = (reason if status is PillarStatus.NOT_APPLICABLE else "") or ""
    entry.updated_at, entry.updated_by_id = utcnow(), by.id
    plan.recorded(item, kinds, by, before)
    return True


# What each form of an agenda item edits: the item's version is raised by each, so a save compares only
# its own columns with what its page showed (`locking.claim_part`).
RISK_FORM_COLUMNS = tuple(name for kind in plan.ITEM_COLUMNS for name in plan.ITEM_COLUMNS[kind])
DECISION_FORM_COLUMNS = ("level_decision", "level_decision_reason", "level_decided", "next_review_on")


def save_risk(item: AgendaItem, values: dict, version, by: User, shown: str | None = None) -> bool:
    """Record the risk assessment (`values`: the risk levels and imminence by name, the notes,
    contingency plan and licence conditions, and the assessment tool and date). False when someone else
    saved the risk assessment first (`shown`: its fingerprint as the page showed it)."""
    ensure_plan_open(item, list(plan.ITEM_COLUMNS))
    if not locking.claim_part(item, version, shown, RISK_FORM_COLUMNS):
        return False
    before = plan.snapshot(item, list(plan.ITEM_COLUMNS))
    for name in RISK_FIELDS:
        setattr(item, name, RiskLevel[values[name]])
    item.imminence = Imminence[values["imminence"]]
    for name in ("risk_notes", "contingency_plan", "licence_conditions"):
        setattr(item, name, values.get(name) or "")
    item.assessment_tool = values.get("assessment_tool")
    item.assessed_on = values.get("assessed_on")
    plan.recorded(item, list(plan.ITEM_COLUMNS), by, before)
    return True


def decide_level(
    item: AgendaItem,
    decision: LevelDecision,
    reason: str,
    next_review_on: date | None,
    version,
    by: User,
    shown: str | None = None,
) -> bool:
    """Record the level decision and next review (none when the case leaves MAPPA meeting management,
    by exit or lowered to Level 1). False when someone else saved the decision first (`shown`: its
    fingerprint as the page showed it; a change to another part of the item is no conflict)."""
    ensure_record_open(item.meeting)
    ensure_discussed(item)
    _ensure_later_approved_decision_stands(item, decision)
    if not locking.claim_part(item, version, shown, DECISION_FORM_COLUMNS):
        return False
    after = rules.level_after_decision(timeline.level_at(item), decision)
    # Lowered to Level 1, as when it exits, the case leaves meeting management: no review to hold.
    review_on = next_review_on if after is not None and after.has_meetings else None
    record_decision(item, decision, reason, review_on, by)
    return True


_MOVES = (LevelDecision.RAISE, LevelDecision.LOWER, LevelDecision.EXIT)


def _ensure_later_approved_decision_stands(item: AgendaItem, decision: LevelDecision) -> None:
    """A decision that would change where the case moved on from this meeting (raised, lowered or ended,
    and to which level) is refused while a later meeting's decision on the case has approved minutes:
    that meeting's record starts from this one. Refused, for the decision field."""

    def effect(chosen: LevelDecision | None, level) -> tuple:
        return (chosen, level) if chosen in _MOVES else (None, None)

    standing = timeline.level_at(item)
    after = rules.level_after_decision(standing, decision) if decision in _MOVES[:2] else None
    if effect(decision, after) == effect(item.level_decision, item.level_decided):
        return
    later = timeline.decided_at_approved_meetings([item.case_id]).get(item.case_id)
    if later is None or later.meeting_id == item.meeting_id:
        return
    # Meetings on one day are in the order of their start times, and two starting together in the order
    # the case went on them, as the case's history replays them.
    later_item = db.session.exec(
        select(AgendaItem.id).where(
            AgendaItem.meeting_id == later.meeting_id, AgendaItem.case_id == item.case_id
        )
    ).first()
    starts_at = db.session.get(Meeting, later.meeting_id).starts_at
    if (starts_at, later_item or 0) <= (item.meeting.starts_at, item.id):
        return
    raise Refused(
        f"The level of {item.case.reference} was decided after this meeting, at {later.reference} on "
        f"{format_date(later.on)}, whose minutes are approved: that meeting started from the level this one "
        "left. Correct those minutes first to change this decision",
        field="level_decision",
    )


def confirm_plan_part(
    item: AgendaItem, kind: PlanPartKind, by: User, shown_from: str | None = None, shown: str | None = None
):
    """The chair confirms one part of the plan as carried from the case's last meeting; the outcome.
    `shown_from`: the item the page showed the part carried from; if the plan has been agreed again
    since (another meeting on the case held before this one), nothing is confirmed (Refused). `shown`:
    the fingerprint of the wording the page offered to confirm (`plan_shown.PartView.confirms`); if that
    wording has changed since (a correction to the minutes it was agreed in, say), nothing is confirmed
    either: the person confirms only words they saw."""
    ensure_plan_open(item, [kind])
    part = item.part_for(kind)
    current = part.carried_from_id if part else None
    if shown_from and shown_from != str(current):
        raise Refused(
            f"The plan for {item.case.reference} was agreed again at another meeting since the page was "
            f"shown, so {kind.label.lower()} was not confirmed: look at it again."
        )
    if shown and shown != plan_shown.confirmed_fingerprint(_to_confirm(item, kind)):
        raise Refused(
            f"Someone else saved changes to the plan for {item.case.reference} while you had it open: the "
            f"wording of {kind.label.lower()} has changed since the page was shown, so it was not confirmed. "
            "Look at the wording now, then confirm or change it."
        )
    return plan.confirm(item, kind, by)


def _to_confirm(item: AgendaItem, kind: PlanPartKind) -> str:
    """The wording confirming the part confirms: the plan as last agreed, for a part waiting to be looked
    at (`plan.confirm` takes it); otherwise the meeting's own."""
    part = item.part_for(kind)
    if part is not None and part.outcome is PlanOutcome.PENDING and part.carried_from_id is not None:
        source = db.session.get(AgendaItem, part.carried_from_id)
        if source is not None:
            return plan.wording(source, kind)
    return plan.wording(item, kind)


def record_decision(
    item: AgendaItem, decision: LevelDecision, reason: str, next_review_on: date | None, by: User
) -> None:
    """Save the meeting's level decision for a case, and set the case from its history in date order
    (`timeline`): the decision applies to the case as it stood at the meeting, and a later meeting's
    decision still stands. Deciding again replaces what the earlier decision did; in a correction to the
    minutes, once the correction is approved (`tracker.minutes.correction`)."""
    standing = timeline.level_at(item)
    was = (item.level_decision, item.level_decided, item.level_decision_reason)
    item.level_decision = decision
    item.level_decision_reason = reason
    item.next_review_on = next_review_on
    moves = decision in (LevelDecision.RAISE, LevelDecision.LOWER)
    item.level_decided = rules.level_after_decision(standing, decision) if moves else None
    if (item.level_decision, item.level_decided, item.level_decision_reason) != was:
        # The decision (and the entry it makes in the history) is now the work of whoever changed it.
        item.decision_recorded_by_id, item.decision_recorded_at = by.id, utcnow()
    if not freeze.correcting(item.meeting_id):
        timeline.rederive(item.case, by.id)
