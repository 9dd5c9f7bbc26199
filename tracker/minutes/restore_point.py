"""A correction's restore point: the meeting's record as it stood when a correction to its approved minutes
began, so that abandoning the correction puts back exactly what was approved.

A correction reopens the record: what the chair changes in it (a level decision, the plan, the Four
Pillars, actions, attendance) takes effect as it is saved. Abandoning the correction restores every row
of the record from this point (removing the rows added since, such as a new action or a walk-in; an
agreed action's follow-up since, such as being done, stays), sets
the case's history from its decisions again and carries the restored plan to the reviews still being
prepared, then removes the draft version, so that the approved minutes and the record agree again.

Values are kept as JSON: an enum by name, a date or time by its ISO form, read back by the column's type.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel, col, select

from tracker.auth.models import User
from tracker.core.db import db
from tracker.meetings import freeze, plan, timeline
from tracker.meetings.models import (
    Action,
    ActionStatus,
    AgendaItem,
    Invitation,
    Meeting,
    PillarEntry,
    PlanPart,
    PlanPartKind,
)

# What the record holds: a name, the model, and which rows belong to the meeting (given the agenda items).
# Parents first: rows are added in this order and removed in the reverse.
Rows = Callable[[Meeting, list[int]], sa.ColumnElement[bool]]
RECORD: tuple[tuple[str, type[SQLModel], Rows], ...] = (
    ("meeting", Meeting, lambda meeting, _items: col(Meeting.id) == meeting.id),
    ("invitations", Invitation, lambda meeting, _items: col(Invitation.meeting_id) == meeting.id),
    ("items", AgendaItem, lambda meeting, _items: col(AgendaItem.meeting_id) == meeting.id),
    ("pillars", PillarEntry, lambda _meeting, items: col(PillarEntry.agenda_item_id).in_(items)),
    ("plan", PlanPart, lambda _meeting, items: col(PlanPart.agenda_item_id).in_(items)),
    ("actions", Action, lambda _meeting, items: col(Action.agenda_item_id).in_(items)),
)
# Columns that follow the record up rather than hold it: kept as they are now.
_KEPT = {"version", "sequence", "sequence_for_all", "updated_at"}


def take(meeting: Meeting, status: enum.Enum) -> dict[str, Any]:
    """The meeting's record as it stands, and the minutes' status before the correction."""
    items = _item_ids(meeting)
    point: dict[str, Any] = {"status": status.name}
    for name, model, rows in RECORD:
        point[name] = {
            str(row.id): {column.key: _dump(getattr(row, column.key)) for column in _columns(model)}
            for row in db.session.exec(select(model).where(rows(meeting, items)))
        }
    return point


def restore(meeting: Meeting, point: dict[str, Any], by: User) -> None:
    """Put the meeting's record back as `take` found it, then its cases' histories and later reviews."""
    items = sorted(set(_item_ids(meeting)) | {int(key) for key in point["items"]})
    before = {
        item.id: plan.snapshot(item, list(PlanPartKind))
        for item in db.session.exec(select(AgendaItem).where(col(AgendaItem.id).in_(items)))
    }
    current = {
        name: {row.id: row for row in db.session.exec(select(model).where(rows(meeting, items)))}
        for name, model, rows in RECORD
    }
    for name, _model, _rows in reversed(RECORD):  # children before their parents
        for row_id, row in current[name].items():
            if str(row_id) not in point[name]:
                db.session.delete(row)
        db.session.flush()
    for name, model, _rows in RECORD:
        columns = {column.key: column for column in _columns(model)}
        for key, values in point[name].items():
            row = current[name].get(int(key))
            if row is None:
                row = model()
                db.session.add(row)
            kept = _KEPT | (_follow_up(row, values) if row.id is not None else set())
            for column_name, value in values.items():
                if column_name in columns and (column_name not in kept or row.id is None):
                    setattr(row, column_name, _load(columns[column_name], value))
            if row.id is not None and hasattr(row, "version"):
                row.version += 1  # a form opened on the corrected wording is refused, not saved over this
        db.session.flush()
    db.session.expire_all()
    for item in db.session.exec(select(AgendaItem).where(col(AgendaItem.meeting_id) == meeting.id)):
        timeline.rederive(item.case, by.id)
        was = before.get(item.id, {})
        changed = [kind for kind in PlanPartKind if was.get(kind) != plan.values(item, kind)]
        if changed:
            plan.carry_forward(item.case_id, agreed_at=item, kinds=changed, withdrawn=True)


def _follow_up(row: SQLModel, saved: dict[str, Any]) -> set[str]:
    """An agreed action's progress since (done, could not be done, a new due date, a note) is follow-up,
    not the record: it stays. Taking the action off the record (or putting it back) is the record's."""
    if not isinstance(row, Action):
        return set()
    removed = ActionStatus.REMOVED
    if row.status is removed or saved.get("status") == removed.name:
        return set()
    return set(freeze.ACTION_PROGRESS)


def _item_ids(meeting: Meeting) -> list[int]:
    return list(db.session.exec(select(AgendaItem.id).where(col(AgendaItem.meeting_id) == meeting.id)))


def _columns(model: type[SQLModel]) -> list[sa.Column]:
    return list(sa.inspect(model).columns)


def _dump(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.name
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _load(column: sa.Column, value: Any) -> Any:
    """A value `_dump` kept, read back by the column's type (an enum by name, a date or time by ISO form)."""
    stored = column.type.impl_instance if isinstance(column.type, sa.types.TypeDecorator) else column.type
    if value is None:
        return None
    if isinstance(stored, sa.Enum) and stored.enum_class is not None:
        return stored.enum_class[value]
    if isinstance(stored, sa.DateTime):
        return datetime.fromisoformat(value)
    if isinstance(stored, sa.Date):
        return date.fromisoformat(value)
    return value
