"""A meeting's record kept as JSON: the approved record a correction to the minutes began from (its restore
point), and the correction's draft of the record, kept apart from the live one.

While approved minutes are being corrected, the live rows hold the record as approved, so that what the
meeting decided stands everywhere (the case's level and review date, its history, the actions on their
owners' lists, the plan later reviews start from) until the correction is approved. The correction's
draft is held as JSON (`tracker.minutes.correction` puts it into the rows for the request of someone
working on it, and takes it out again before the commit). Approving the correction leaves the draft in
the rows and sets the cases and later reviews from it; abandoning it drops the draft.

`put_back` makes the rows what a point holds: it removes the rows added since (such as a new action or a
walk-in) and adds back those taken away; an agreed action's follow-up since (done, could not be done, a
new due date) stays, being neither the approved record's nor the draft's. The rows of a case whose
personal data was disposed of stay as the disposal left them (`tracker.meetings.disposed` refuses any
change to them): a correction changes the rest of the record, never those.

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
    Case,
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


def take(meeting: Meeting, status: enum.Enum | None = None) -> dict[str, Any]:
    """The meeting's record as it stands (and, for a restore point, the minutes' status before the
    correction)."""
    items = _item_ids(meeting)
    point: dict[str, Any] = {"status": status.name} if status is not None else {}
    for name, model, rows in RECORD:
        point[name] = {
            str(row.id): {column.key: _dump(getattr(row, column.key)) for column in _columns(model)}
            for row in db.session.exec(select(model).where(rows(meeting, items)))
        }
    return point


def put_back(meeting: Meeting, point: dict[str, Any], bump: bool = False) -> None:
    """Make the meeting's record the rows `point` holds. `bump`: raise the version of every row that stays,
    so that a form opened on the wording before is refused rather than saved over this."""
    items = sorted(set(_item_ids(meeting)) | {int(key) for key in point["items"]})
    disposed = disposed_items(items)
    current = {
        name: {
            row.id: row
            for row in db.session.exec(select(model).where(rows(meeting, items)))
            if not _of_disposed(name, _dump_row(row), disposed)
        }
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
            if _row_of(name, key, values, disposed):
                continue
            row = current[name].get(int(key))
            if row is None:
                row = model()
                db.session.add(row)
            kept = _KEPT | (_follow_up(row, values) if row.id is not None else set())
            for column_name, value in values.items():
                if column_name in columns and (column_name not in kept or row.id is None):
                    setattr(row, column_name, _load(columns[column_name], value))
            if bump and row.id is not None and hasattr(row, "version"):
                row.version += 1
        db.session.flush()
    db.session.expire_all()


def restore(meeting: Meeting, point: dict[str, Any], by: User, carried: bool = False) -> None:
    """Put the meeting's record back as `take` found it, and set its cases from their histories again.
    `carried`: the plan the rows held reached the case's later reviews (a correction begun before drafts
    were kept apart), so they take the plan as `point` holds it back (`withdraw`)."""
    held = take(meeting) if carried else None
    put_back(meeting, point, bump=True)
    rederive(meeting, by)
    if held is not None:
        withdraw(meeting, held)


def rederive(meeting: Meeting, by: User | None) -> None:
    """Set each case on the meeting from its history (`timeline`), as the rows now hold the record (a
    disposed case's history is as the disposal left it)."""
    cases = [item.case for item in _items(meeting) if item.case.disposed_at is None]
    timeline.rederive_many(cases, by.id if by else None)


def disposed_items(item_ids: list[int]) -> set[int]:
    """Those of the agenda items whose case's personal data was disposed of."""
    if not item_ids:
        return set()
    return set(
        db.session.exec(
            select(AgendaItem.id)
            .join(Case, col(Case.id) == AgendaItem.case_id)
            .where(col(AgendaItem.id).in_(item_ids), col(Case.disposed_at).is_not(None))
        )
    )


def _of_disposed(name: str, values: dict[str, Any], disposed: set[int]) -> bool:
    """Whether a row of the record (by its name in RECORD and its values) is a disposed case's."""
    if not disposed or name in ("meeting", "invitations"):
        return False
    return (values["id"] if name == "items" else values.get("agenda_item_id")) in disposed


def _row_of(name: str, key: str, values: dict[str, Any], disposed: set[int]) -> bool:
    return _of_disposed(name, {"id": int(key), **values}, disposed)


def _dump_row(row: SQLModel) -> dict[str, Any]:
    return {"id": row.id, "agenda_item_id": getattr(row, "agenda_item_id", None)}


def disposed_changed(
    meeting: Meeting, draft: dict[str, Any] | None, approved: dict[str, Any] | None
) -> Case | None:
    """A disposed case whose part of the record a correction's draft holds differently from the approved
    record (what the disposal left aside: the text it emptied in both, the actions' follow-up), or None."""
    if not draft or not approved:
        return None
    disposed = disposed_items(sorted(set(_item_ids(meeting)) | {int(key) for key in approved["items"]}))
    ignored = _KEPT | freeze.ACTION_PROGRESS

    def part(point: dict[str, Any], item_id: int) -> dict[str, Any]:
        return {
            name: {
                key: {column: value for column, value in row.items() if column not in ignored}
                for key, row in point.get(name, {}).items()
                if _row_of(name, key, row, {item_id})
            }
            for name, _model, _rows in RECORD
        }

    for item_id in sorted(disposed):
        if part(draft, item_id) != part(approved, item_id):
            return db.session.get(AgendaItem, item_id).case
    return None


def keep_disposed(draft: dict[str, Any], before: dict[str, Any] | None) -> dict[str, Any]:
    """The draft as `take` found it in the rows, with a disposed case's part as the draft held it before
    (the rows hold that part as the disposal left it; a change the draft made to it before the disposal
    stays in the draft, so that approving the correction is refused rather than dropping it unsaid)."""
    if not before:
        return draft
    disposed = disposed_items(sorted({int(key) for key in (*draft["items"], *before["items"])}))
    if not disposed:
        return draft
    kept = {}
    for name, _model, _rows in RECORD:
        ours = {key: row for key, row in draft[name].items() if not _row_of(name, key, row, disposed)}
        theirs = {key: row for key, row in before[name].items() if _row_of(name, key, row, disposed)}
        kept[name] = {**ours, **theirs}
    return {**draft, **kept}


def changed_parts(meeting: Meeting, point: dict[str, Any]) -> list[tuple[AgendaItem, list[PlanPartKind]]]:
    """Each agenda item of the meeting whose rows hold parts of the plan differently from `point`, with
    those parts."""
    found = []
    for item in _items(meeting):
        held = _values(point, item.id)
        changed = [kind for kind in PlanPartKind if held.get(kind) != plan.values(item, kind)]
        if changed:
            found.append((item, changed))
    return found


def withdraw(meeting: Meeting, held: dict[str, Any]) -> None:
    """The plan `held` gave, which reached the case's later reviews, was never approved: they take the plan
    as the rows now hold it back (`plan.carry_forward`, withdrawn)."""
    for item, kinds in changed_parts(meeting, held):
        plan.carry_forward(item.case_id, agreed_at=item, kinds=kinds, withdrawn=True)


def same(one: dict[str, Any], other: dict[str, Any]) -> bool:
    """Whether two points hold the same record (the columns that follow the rows up aside)."""

    def record(point: dict[str, Any]) -> dict[str, Any]:
        return {
            name: {
                key: {column: value for column, value in row.items() if column not in _KEPT}
                for key, row in point.get(name, {}).items()
            }
            for name, _model, _rows in RECORD
        }

    return record(one) == record(other)


def _values(point: dict[str, Any], item_id: int) -> dict[PlanPartKind, tuple]:
    """Each part of the plan as `point` holds it for the agenda item, as `plan.values` gives it."""
    item = point["items"].get(str(item_id))
    if item is None:
        return {}
    item_columns = {column.key: column for column in _columns(AgendaItem)}
    pillar_columns = {column.key: column for column in _columns(PillarEntry)}
    entries = {
        row["pillar"]: row for row in point["pillars"].values() if row["agenda_item_id"] == item_id
    }
    found = {}
    for kind in PlanPartKind:
        if kind.pillar is not None:
            entry = entries.get(kind.pillar.name)
            columns = plan.PILLAR_COLUMNS if entry else ()
            found[kind] = tuple(_load(pillar_columns[name], entry[name]) for name in columns)
        else:
            found[kind] = tuple(_load(item_columns[name], item[name]) for name in plan.ITEM_COLUMNS[kind])
    return found


def _items(meeting: Meeting) -> list[AgendaItem]:
    return list(db.session.exec(select(AgendaItem).where(col(AgendaItem.meeting_id) == meeting.id)))


def follow_up(meeting: Meeting) -> dict[int, dict[str, Any]]:
    """Each of the meeting's actions' follow-up as the rows hold it (done, could not be done, a new due
    date, a note), by action id: for `keep_follow_up` to put back after the rows hold another record."""
    items = _item_ids(meeting)
    columns = sorted(freeze.ACTION_PROGRESS - _KEPT)
    return {
        action.id: {name: getattr(action, name) for name in columns}
        for action in db.session.exec(select(Action).where(col(Action.agenda_item_id).in_(items)))
    }


def keep_follow_up(meeting: Meeting, kept: dict[int, dict[str, Any]]) -> None:
    """Put back the follow-up `follow_up` took, on the actions there still are: an owner's progress on an
    agreed action stays whatever a correction's draft did with it (taking it off the record included).
    Taking an action off the record, or putting it back, is the record's, not follow-up."""
    disposed = disposed_items(_item_ids(meeting))
    for action in db.session.exec(select(Action).where(col(Action.id).in_(list(kept)))):
        if ActionStatus.REMOVED in (action.status, kept[action.id]["status"]):
            continue
        if action.agenda_item_id in disposed:  # as the disposal left it
            continue
        for name, value in kept[action.id].items():
            setattr(action, name, value)
    db.session.flush()


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
