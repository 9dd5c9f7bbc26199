"""For tests of a migration that changes data already there: a database of the run's kind stopped at the
revision before it, and rows with a plain value in every column the database requires."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

import sqlalchemy as sa

from tests.conftest import make_database, owner_url


@contextmanager
def database_at(database_url: str, tmp_path_factory, revision: str) -> Iterator[tuple[str, sa.Engine, dict]]:
    """A new database (SQLite or PostgreSQL, as the run's `database_url`) migrated to `revision`: the owner's
    URL (to migrate it further), an engine on it and its tables as they stand; dropped afterwards."""
    kind = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    databases = make_database(kind, tmp_path_factory, revision=revision)
    url = owner_url(next(databases))
    engine = sa.create_engine(url)
    try:
        meta = sa.MetaData()
        meta.reflect(engine)
        yield url, engine, meta.tables
    finally:
        engine.dispose()
        databases.close()


def row(table: sa.Table, **values) -> dict:
    """Values for every column the database requires, with these overrides."""
    found = {}
    for column in table.columns:
        if column.name in values or column.primary_key or column.nullable or column.server_default is not None:
            continue
        kind = column.type
        if isinstance(kind, sa.Boolean):
            found[column.name] = False
        elif isinstance(kind, sa.Integer):
            found[column.name] = 1
        elif isinstance(kind, sa.DateTime) or "DateTime" in type(kind).__name__:
            found[column.name] = datetime(2026, 1, 1)
        elif isinstance(kind, sa.Date):
            found[column.name] = date(2026, 1, 1)
        elif isinstance(kind, sa.JSON):
            found[column.name] = {}
        else:
            found[column.name] = "x"
    found.update(values)
    return found


def insert(connection: sa.Connection, table: sa.Table, **values) -> int:
    """A `row` of `table` inserted; its id."""
    return connection.execute(table.insert().values(row(table, **values))).inserted_primary_key[0]


def old_case(db: sa.Connection, t: dict) -> tuple[int, int]:
    """A probation agency, a chair and their case OLD-1 (Category 2, Level 2): (the chair's id, the case's)."""
    agency = insert(db, t["agency"], name="Probation")
    chair = insert(db, t["user"], email="chair@example.org", agency_id=agency)
    case = insert(
        db, t["mappa_case"], reference="OLD-1", category="CATEGORY_2", level="LEVEL_2", lead_agency_id=agency
    )
    return chair, case


def discussed_at(
    db: sa.Connection, t: dict, case: int, chair: int, number: int, at: datetime, status: str = "HELD", **item
) -> tuple[int, int]:
    """Level 2 review M-OLD-`number` at `at`, with `case` on its agenda (these `item` values, the rest of its
    text blank): (the meeting's id, the agenda item's)."""
    meeting = insert(
        db,
        t["meeting"],
        reference=f"M-OLD-{number}",
        level="LEVEL_2",
        meeting_type="REVIEW",
        starts_at=at,
        ends_at=at,
        chair_id=chair,
        status=status,
    )
    for blank in ("risk_notes", "contingency_plan", "licence_conditions", "level_decision_reason"):
        item.setdefault(blank, "")
    return meeting, insert(
        db,
        t["agenda_item"],
        meeting_id=meeting,
        case_id=case,
        purpose="REVIEW",
        level_considered="LEVEL_2",
        **item,
    )


def triggers(db: sa.Connection) -> set[str]:
    """The names of the database's own triggers (not PostgreSQL's internal ones for foreign keys)."""
    if db.dialect.name == "sqlite":
        found = db.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").scalars()
    else:
        found = db.exec_driver_sql("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal").scalars()
    return set(found)
