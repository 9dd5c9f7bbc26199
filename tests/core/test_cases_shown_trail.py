"""The cases a list page showed (`audit_event_case`, migration 0055) are part of the audit trail: added with
the page's entry, never changed nor deleted, on either backend; and they hold ids alone, so a case's
disposal has nothing to take out of them."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from tests.migrating import database_at, insert
from tracker.core import migrate
from tracker.core.models import AuditEvent, AuditEventCase

# SQLite: the triggers refuse. PostgreSQL: the app's role may not even try (the owner meets the trigger).
LINKS_REFUSE = "append-only|permission denied for table audit_event_case"


def test_the_cases_shown_cannot_be_changed_or_deleted_by_the_app(app, session):
    entry = AuditEvent(actor="someone", action="view", object_type="Page", summary="page /cases")
    session.add(entry)
    session.flush()
    session.add_all([AuditEventCase(audit_event_id=entry.id, case_id=case_id) for case_id in (1, 2)])
    session.commit()
    links = AuditEventCase.__table__
    for statement in (
        sa.update(links).values(case_id=3),
        sa.update(links).values(audit_event_id=entry.id + 1),
        sa.delete(links),
    ):
        with pytest.raises(sa.exc.DatabaseError, match=LINKS_REFUSE), session.begin_nested():
            session.execute(statement)
    assert session.execute(sa.select(sa.func.count()).select_from(links)).scalar() == 2


def test_the_cases_shown_hold_ids_and_nothing_a_disposal_must_remove():
    columns = AuditEventCase.__table__.columns
    assert {column.name for column in columns} == {"audit_event_id", "case_id"}
    assert all(isinstance(column.type, sa.Integer) for column in columns)


def test_migration_0055_adds_the_append_only_links_and_takes_them_away_again(database_url, tmp_path_factory):
    with database_at(database_url, tmp_path_factory, "0054") as (url, engine, tables):
        with engine.begin() as db:
            before = insert(db, tables["audit_event"], actor="someone", action="view", summary="page /cases")
        migrate.upgrade(url, "0055")
        with engine.begin() as db:
            db.execute(
                sa.text("INSERT INTO audit_event_case (audit_event_id, case_id) VALUES (:e, 7)"), {"e": before}
            )
        with engine.connect() as db:  # the owner meets the triggers
            for statement in ("UPDATE audit_event_case SET case_id = 8", "DELETE FROM audit_event_case"):
                with pytest.raises(sa.exc.DatabaseError, match="append-only"):
                    db.exec_driver_sql(statement)
                db.rollback()
            if db.dialect.name == "sqlite":
                db.exec_driver_sql("PRAGMA foreign_keys = ON")  # as the app's connections have it
            with pytest.raises(sa.exc.IntegrityError):  # an entry that is not in the trail
                db.exec_driver_sql("INSERT INTO audit_event_case (audit_event_id, case_id) VALUES (999999, 7)")
            db.rollback()
            found = db.exec_driver_sql("SELECT audit_event_id, case_id FROM audit_event_case").all()
            assert [tuple(row) for row in found] == [(before, 7)]

        command.downgrade(migrate.alembic_config(url), "0054")
        with engine.connect() as db:
            assert "audit_event_case" not in sa.inspect(db).get_table_names()
            assert db.exec_driver_sql("SELECT count(*) FROM audit_event").scalar() == 1  # the trail as it was
        migrate.upgrade(url)
        with engine.connect() as db:
            assert db.exec_driver_sql("SELECT count(*) FROM audit_event_case").scalar() == 0
