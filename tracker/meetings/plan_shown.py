"""The risk management plan as a page shows it: each part at a meeting (confirmed, changed or waiting, and
where it was last agreed), and each part's wording meeting by meeting (`tracker.meetings.plan` keeps it)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.core import locking
from tracker.core.db import db
from tracker.core.timeutil import format_date, london
from tracker.meetings.models import AgendaItem, Meeting, MeetingStatus, PlanOutcome, PlanPartKind
from tracker.meetings.plan import _AGREED_A_PLAN, wording


@dataclass(frozen=True)
class PartView:
    kind: PlanPartKind
    outcome: PlanOutcome
    text: str
    previous: str | None  # the wording carried from the last meeting, when this meeting changed it
    last_agreed: str  # "M-2026-0101, 3 March 2026": where the part as it stands was agreed
    # When the plan was agreed again after this meeting had reviewed the part: where ("M-2026-0104 on
    # 4 December 2026") and the newly agreed wording, which this meeting has to look at again.
    agreed_again_at: str | None = None
    agreed_again: str | None = None
    carried_from_id: int | None = None  # the item the part was carried from (a confirmation names it)
    # When the minutes of the meeting it was carried from are being corrected: that meeting's reference
    # (the wording may still change, or go back to what was approved).
    correcting: str | None = None
    # When the wording this meeting confirmed was withdrawn (the correction of that meeting's minutes was
    # abandoned) and the part is back to the approved wording, waiting to be confirmed: that meeting.
    withdrawn_at: str | None = None
    # The fingerprint of the wording a "Confirm" here confirms (the plan as last agreed), carried by the
    # form so that a confirmation from a page shown before that wording changed is refused.
    confirms: str = ""
    # At a meeting not yet held, a part settled while preparing it: "Confirmed for this meeting" (said
    # instead of where it was last agreed: the meeting has not taken place).
    settled_for: str | None = None


def confirmed_fingerprint(text: str) -> str:
    """The fingerprint of the wording a confirmation confirms, as the page showed it."""
    return locking.fingerprint_of(text)


def _where(item: AgendaItem) -> str:
    return f"{item.meeting.reference}, {format_date(london(item.meeting.starts_at).date())}"


def parts(item: AgendaItem, session=None) -> list[PartView]:
    """Each part of the plan at this meeting: what it says, whether it was confirmed or changed, what it
    said before, and where it was last agreed."""
    from tracker.meetings import freeze

    sources = {p.carried_from_id for p in item.plan_parts if p.carried_from_id}
    session = session if session is not None else db.session
    loaded, correcting = {}, set()
    if sources:
        # Each source, and whether the minutes of its meeting are being corrected (in the same query).
        statement = (
            select(AgendaItem, freeze.correction_under_way(AgendaItem.meeting_id))
            .where(col(AgendaItem.id).in_(sources))
            .options(selectinload(AgendaItem.pillar_entries), selectinload(AgendaItem.meeting))
        )
        for source, under_correction in session.exec(statement):
            loaded[source.id] = source
            if under_correction:
                correcting.add(source.meeting_id)
    shown = []
    for kind in PlanPartKind:
        part = item.part_for(kind)
        outcome = part.outcome if part else PlanOutcome.PENDING
        source = loaded.get(part.carried_from_id) if part and part.carried_from_id else None
        previous = wording(source, kind) if source and outcome is PlanOutcome.CHANGED else None
        again_at = again = withdrawn_at = None
        if outcome is PlanOutcome.PENDING and source is not None and part.reviewed_at is not None:
            where = f"{source.meeting.reference} on {format_date(london(source.meeting.starts_at).date())}"
            if wording(source, kind) == wording(item, kind):
                # Looked at, yet waiting with the plan's own wording: what it confirmed was withdrawn (a
                # correction abandoned), and the part took the approved wording back (`plan.carry_forward`).
                withdrawn_at = source.meeting.reference
            else:
                again_at, again = where, wording(source, kind)
        if outcome is PlanOutcome.PENDING and source is not None:
            last = _where(source)
        elif outcome is PlanOutcome.PENDING:
            last = "Not yet agreed"
        else:
            last = _where(item)
        carried = part.carried_from_id if part else None
        corrected = source.meeting.reference if source and source.meeting_id in correcting else None
        confirms = wording(source, kind) if source is not None and outcome is PlanOutcome.PENDING else None
        settled_for = None
        if outcome is not PlanOutcome.PENDING and item.meeting.status is not MeetingStatus.HELD:
            settled_for = f"{outcome.label} for this meeting"
        shown.append(
            PartView(
                kind, outcome, wording(item, kind), previous, last, again_at, again, carried, corrected,
                withdrawn_at=withdrawn_at, confirms=confirmed_fingerprint(confirms or wording(item, kind)),
                settled_for=settled_for,
            )
        )
    return shown


@dataclass(frozen=True)
class HistoryEntry:
    meeting: Meeting
    item: AgendaItem
    outcome: PlanOutcome
    text: str
    # Said instead of the outcome while the meeting's minutes are not approved (the working plan, not yet
    # agreed as the record has it): "minutes not approved yet", or "minutes being corrected".
    unapproved: str | None = None

    @property
    def label(self) -> str:
        return self.unapproved or self.outcome.label.lower()


def history(case_id: int, visible) -> dict[PlanPartKind, list[HistoryEntry]]:
    """Part by part, each held meeting's wording and outcome, newest first (meetings `visible` allows). A
    meeting whose minutes are not approved (a draft, awaiting approval, or a correction under way) says so
    instead of the outcome; whether they are is found in the same query. Imported meetings are left out,
    as before (`_AGREED_A_PLAN`)."""
    from tracker.meetings import freeze
    from tracker.minutes.models import Minutes, MinutesStatus

    approved = sa.exists().where(
        Minutes.meeting_id == AgendaItem.meeting_id,
        Minutes.status.in_((MinutesStatus.APPROVED, MinutesStatus.DISTRIBUTED)),
    )
    rows = db.session.exec(
        select(AgendaItem, approved, freeze.correction_under_way(AgendaItem.meeting_id))
        .join(Meeting, Meeting.id == AgendaItem.meeting_id)
        .where(AgendaItem.case_id == case_id, _AGREED_A_PLAN, visible)
        .order_by(col(Meeting.starts_at).desc())
        .options(
            selectinload(AgendaItem.meeting),
            selectinload(AgendaItem.pillar_entries),
            selectinload(AgendaItem.plan_parts),
        )
    ).all()
    result: dict[PlanPartKind, list[HistoryEntry]] = {kind: [] for kind in PlanPartKind}
    for item, is_approved, correcting in rows:
        unapproved = None
        if not is_approved:
            unapproved = "minutes being corrected" if correcting else "minutes not approved yet"
        for kind in PlanPartKind:
            part = item.part_for(kind)
            outcome = part.outcome if part else PlanOutcome.NEW
            result[kind].append(HistoryEntry(item.meeting, item, outcome, wording(item, kind), unapproved))
    return result


@dataclass(frozen=True)
class HistoryLine:
    """One line of a part's history as the case page shows it: an entry, or a run of meetings in a row
    that each confirmed the same wording unchanged (`newest` back to `oldest`, `count` meetings)."""

    newest: HistoryEntry
    oldest: HistoryEntry
    count: int = 1


def in_lines(entries: list[HistoryEntry]) -> list[HistoryLine]:
    """The entries (newest first) with each run of meetings that confirmed the same wording in a row
    (minutes approved) told once: a case reviewed for years reads as what changed and when, not as the
    same words repeated for every meeting."""
    lines: list[HistoryLine] = []
    for entry in entries:
        last = lines[-1] if lines else None
        if (
            last is not None
            and _confirmed(entry)
            and _confirmed(last.oldest)
            and entry.text == last.oldest.text
        ):
            lines[-1] = HistoryLine(last.newest, entry, last.count + 1)
        else:
            lines.append(HistoryLine(entry, entry))
    return lines


def _confirmed(entry: HistoryEntry) -> bool:
    return entry.unapproved is None and entry.outcome is PlanOutcome.CONFIRMED


def history_in_lines(case_id: int, visible) -> dict[PlanPartKind, list[HistoryLine]]:
    """The case page's plan history: `history`, each part's runs of confirmations told once (`in_lines`)."""
    return {kind: in_lines(entries) for kind, entries in history(case_id, visible).items()}
