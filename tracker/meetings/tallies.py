"""Each case's review due date, stored on the case, and how many cases fall due on each day, both kept in
the same flush as the change (see `tracker.core.tallies`): the lists of reviews overdue or due soon are
then a range of an index, and the co-ordinator's counts of them a sum over a few hundred days, however
many cases the area has.

The date is `rules.review_due_on` of the case's level, status, referral and review dates and the area's
intervals: it is worked out again whenever one of them changes, and for every case when an interval
setting does.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session as OrmSession

from tracker.core import settings, tallies
from tracker.core.models import Setting
from tracker.meetings import rules
from tracker.meetings.models import Case, CaseReviewTally, CaseStatus, Category, Level

# What the due date is worked out from: a change to any of these works it out again.
DUE_FROM = ("level", "status", "referred_on", "last_reviewed_on", "next_review_on")
INTERVAL_KEYS = {
    definition.key for table in (rules.INITIAL_DAYS, rules.REVIEW_WEEKS) for definition in table.values()
}

Reader = Callable[[str], Any]


def changed(obj, names: Iterable[str]) -> bool:
    """Whether the flush changes any of the object's attributes named."""
    state = sa.inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def by_name(column) -> sa.ColumnElement[str]:
    """An enum column as the names it stores, whatever else the column may hold."""
    return sa.type_coerce(column, sa.String)


def due_on(
    level: Level,
    status: CaseStatus,
    referred_on: date,
    last_reviewed_on: date | None,
    next_review_on: date | None,
    setting: Reader,
) -> date | None:
    """When a case is next due at a meeting (None if it is not managed through meetings)."""
    if not rules.needs_meetings(level, status):
        return None
    return rules.review_due_on(
        referred_on=referred_on,
        last_reviewed_on=last_reviewed_on,
        next_review_on=next_review_on,
        initial_days=setting(rules.INITIAL_DAYS[level].key),
        interval_weeks=setting(rules.REVIEW_WEEKS[level].key),
    )


def _store_due_dates(session: OrmSession) -> None:
    setting = None  # the area's intervals, read from the flush's own connection when first needed
    for case in (*session.new, *session.dirty):
        if not isinstance(case, Case):
            continue
        if case in session.new or changed(case, DUE_FROM):
            setting = setting or settings_reader(session.connection())
            due = due_on(
                case.level, case.status, case.referred_on, case.last_reviewed_on, case.next_review_on, setting
            )
            if due != case.review_due_on:
                case.review_due_on = due


def _contributions(connection: sa.Connection, ids: set[int] | None) -> Iterable[tuple]:
    table = Case.__table__
    category = by_name(table.c.category)
    statement = sa.select(table.c.review_due_on, category).where(table.c.review_due_on.is_not(None))
    if ids is not None:
        statement = statement.where(table.c.id.in_(ids))
    return ((due, name == Category.CATEGORY_4.name) for due, name in connection.execute(statement))


def settings_reader(connection: sa.Connection) -> Reader:
    """The area's settings as the database holds them (outside a request, or within a flush)."""
    table = Setting.__table__
    stored = {
        key: json.loads(value) for key, value in connection.execute(sa.select(table.c.key, table.c.value))
    }
    return lambda key: stored.get(key, settings.REGISTRY[key].default)


def store_every_due_date(connection: sa.Connection) -> int:
    """Work out every case's due date afresh (after an interval setting changes, or a bulk load); how many
    changed. Read by name, so that a row a migration's test left half made has no date rather than no
    backfill."""
    table = Case.__table__
    setting = settings_reader(connection)
    rows = connection.execute(
        sa.select(
            table.c.id,
            by_name(table.c.level).label("level"),
            by_name(table.c.status).label("status"),
            table.c.referred_on,
            table.c.last_reviewed_on,
            table.c.next_review_on,
            table.c.review_due_on,
        )
    ).all()
    changes = []
    for row in rows:
        level, status = Level.__members__.get(row.level), CaseStatus.__members__.get(row.status)
        due = None
        if level is not None and status is not None and row.referred_on is not None:
            due = due_on(level, status, row.referred_on, row.last_reviewed_on, row.next_review_on, setting)
        if due != row.review_due_on:
            changes.append({"case_id": row.id, "due": due})
    if changes:
        connection.execute(
            sa.update(table)
            .where(table.c.id == sa.bindparam("case_id"))
            .values(review_due_on=sa.bindparam("due")),
            changes,
        )
    return len(changes)


CASES_DUE = tallies.Tally(
    table=CaseReviewTally.__table__,
    keys=("due_on", "category_4"),
    count="cases",
    touched=lambda case, _added_or_deleted: case.id,
    contributions=_contributions,
    prepare=_store_due_dates,
    watched=(Case,),
    recount_when=lambda obj: isinstance(obj, Setting) and obj.key in INTERVAL_KEYS,
    refresh=store_every_due_date,
)


def recount(connection: sa.Connection) -> None:
    """Every case's due date and the counts of them, worked out afresh."""
    store_every_due_date(connection)
    tallies.recount(CASES_DUE, connection)


def due_counts(today: date, horizon: date, *, category_4: bool) -> sa.Select:
    """(overdue, due before `horizon`, managed through meetings) among all cases (Category 4 only if
    `category_4`), from the tally: one row."""
    table = CaseReviewTally.__table__
    shown = sa.true() if category_4 else sa.not_(table.c.category_4)

    def total(condition) -> sa.ColumnElement[int]:
        return sa.func.coalesce(sa.func.sum(table.c.cases).filter(condition), 0)

    return sa.select(
        total(table.c.due_on < today).label("overdue"),
        total(sa.and_(table.c.due_on >= today, table.c.due_on < horizon)).label("due_soon"),
        sa.func.coalesce(sa.func.sum(table.c.cases), 0).label("managed"),
    ).where(shown)
