"""A case whose personal data was disposed of under the retention rules is a record that none remains:
nothing is added to it or changed in it again, by any page, service or command.

The guard runs on every database session's flush, like the approval freeze (`tracker.meetings.freeze`):
a new or changed row of a kind that belongs to a case (registered by the areas that own them) whose case
is disposed is refused with `CaseDisposed`, and the page says why. The disposal itself writes with SQL
statements, not through the session, so the guard never stands in its way.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, url_for
from sqlalchemy.orm import Session as OrmSession

from tracker.meetings.models import AgendaItem, Case

# The kinds of row that belong to a case, found through their `case_id`, their `agenda_item_id`, or
# (a case itself) their own id.
_GUARDED: set[type] = set()


class CaseDisposed(Exception):
    def __init__(self, case_id: int, reference: str):
        super().__init__(
            f"The personal data of {reference} was disposed of under the retention rules: nothing is added "
            "to its record or changed in it"
        )
        self.case_id = case_id


def guard(*models: type) -> None:
    """Rows of these kinds are refused for a disposed case."""
    _GUARDED.update(models)


def _case_ids(session: OrmSession, rows: list) -> set[int]:
    cases, items = set(), set()
    for row in rows:
        if isinstance(row, Case):
            cases.add(row.id)
        elif getattr(row, "case_id", None) is not None:
            cases.add(row.case_id)
        elif getattr(row, "agenda_item_id", None) is not None:
            items.add(row.agenda_item_id)
    if items:
        found = session.execute(sa.select(AgendaItem.case_id).where(AgendaItem.id.in_(items)))
        cases.update(found.scalars())
    return {case_id for case_id in cases if case_id is not None}


def _guard(session: OrmSession, _flush_context, _instances) -> None:
    rows = [row for row in (*session.new, *session.dirty, *session.deleted) if type(row) in _GUARDED]
    if not rows:
        return
    with session.no_autoflush:
        case_ids = _case_ids(session, rows)
        if not case_ids:
            return
        disposed = session.execute(
            sa.select(Case.id, Case.reference)
            .where(Case.id.in_(case_ids), Case.disposed_at.is_not(None))
            .order_by(Case.id)
            .limit(1)
        ).first()
    if disposed is not None:
        raise CaseDisposed(disposed.id, disposed.reference)


def init_app(app: Flask) -> None:
    from tracker.core.db import listen

    listen(OrmSession, "before_flush", _guard)

    from tracker.meetings.freeze import answer_refusals

    answer_refusals(app, CaseDisposed, lambda error: url_for("meetings.case_view", case_id=error.case_id))
