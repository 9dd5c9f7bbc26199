"""A case's history as its page shows it: the entries of its level and custody (`CaseEvent`) and the changes
of its category (`CaseCategoryChange`), latest first, in two queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from sqlmodel import col, select

from tracker.auth.models import User, person_named
from tracker.core.db import db
from tracker.core.timeutil import london
from tracker.meetings.models import AgendaItem, Case, CaseCategoryChange, CaseEvent, Category
from tracker.meetings.timeline import position


@dataclass(frozen=True)
class HistoryRow:
    """One line of the history table."""

    on: date
    at: time | None  # the time of day given for an event recorded outside meetings
    what: str
    level: str
    reason: str
    recorded_by: str
    order: tuple
    meeting_item: int | None = None  # the agenda item whose decision made the entry


def case_history(case: Case, viewer: User, granted: list[AgendaItem] | None = None) -> list[HistoryRow]:
    """The case's history, latest first: each entry where `timeline.position` puts it in its day, and a
    change of category after that day's entries (it was made on the case's form that day). A change to or
    from Category 4 is left out for anyone not cleared for such cases: the case was one then.

    `granted`: the only items of the case the viewer reads (through a read-only grant, such as an audit's).
    The history is then the case's as it stood for them: their own decisions' entries, and the entries
    made outside meetings before the last of them; nothing of the case's other meetings, nor after."""
    events = db.session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case.id).options(person_named(CaseEvent.recorded_by))
    ).all()
    rows = [_event_row(event) for event in events]
    changes = db.session.exec(
        select(CaseCategoryChange, User.name)
        .outerjoin(User, col(User.id) == CaseCategoryChange.recorded_by_id)
        .where(CaseCategoryChange.case_id == case.id)
    ).all()
    for change, name in changes:
        if viewer.terrorism_cleared or Category.CATEGORY_4 not in (change.previous_category, change.category):
            rows.append(_category_row(change, name))
    if granted is not None:
        rows = _as_it_stood(rows, granted)
    return sorted(rows, key=lambda row: row.order, reverse=True)


def _as_it_stood(rows: list[HistoryRow], granted: list[AgendaItem]) -> list[HistoryRow]:
    """The entries of the granted items' decisions, and those made outside meetings before the last of
    those meetings (where `timeline.position` puts it): what the meetings knew of."""
    ids = {item.id for item in granted}
    last = max(_meeting_position(item) for item in granted)
    return [row for row in rows if row.meeting_item in ids or (row.meeting_item is None and row.order < last)]


def _meeting_position(item: AgendaItem) -> tuple:
    starts = london(item.meeting.starts_at)
    return position(starts.date(), starts.time(), True)


def _event_row(event: CaseEvent) -> HistoryRow:
    meeting = event.agenda_item_id is not None
    moved = event.previous_level is not None and event.previous_level is not event.level
    return HistoryRow(
        on=event.occurred_on,
        at=None if meeting else event.occurred_time,
        what=event.kind.label,
        level=f"{event.previous_level.label} to {event.level.label}" if moved else event.level.label,
        reason=event.reason,
        recorded_by=event.recorded_by.name if event.recorded_by else "",
        order=(*position(event.occurred_on, event.occurred_time, meeting), 0, event.id or 0),
        meeting_item=event.agenda_item_id,
    )


def _category_row(change: CaseCategoryChange, name: str | None) -> HistoryRow:
    return HistoryRow(
        on=change.changed_on,
        at=None,
        what=f"Category changed: {change.previous_category.label} to {change.category.label}",
        level="",
        reason="",
        recorded_by=name or "",
        order=(change.changed_on, 2, time.max, 0, 1, change.id or 0),
    )
