"""Migration 0042 adds who approves a meeting's minutes in place of a chair who has left, and why a version was
approved by someone other than the chair: minutes already there keep every row and id, have no approver in
their chair's place and no note, and (on SQLite, where the table is rebuilt) keep AUTOINCREMENT and its
counter, their indexes, and a foreign key the database enforces."""

from __future__ import annotations

from datetime import datetime

import pytest
import sqlalchemy as sa

from tests.migrating import database_at, discussed_at, insert, old_case
from tracker.core import migrate


def test_minutes_already_there_have_no_approver_in_the_chairs_place_and_no_note(
    database_url, tmp_path_factory
):
    with database_at(database_url, tmp_path_factory, "0041") as (url, engine, t):
        with engine.begin() as db:
            chair, case = old_case(db, t)
            ids = []
            for number in (1, 2, 3):
                meeting, _item = discussed_at(db, t, case, chair, number, datetime(2026, number, 10, 10))
                minutes = insert(db, t["minutes"], meeting_id=meeting, status="APPROVED")
                insert(
                    db,
                    t["minutes_version"],
                    minutes_id=minutes,
                    number=1,
                    sections={},
                    correction_reason="",
                    approved_at=datetime(2026, number, 11),
                    approved_by_id=chair,
                )
                ids.append((meeting, minutes))
            # The newest minutes deleted before the migration: their id is not given out again.
            deleted_meeting, deleted = ids.pop()
            db.execute(t["minutes_version"].delete().where(t["minutes_version"].c.minutes_id == deleted))
            db.execute(t["minutes"].delete().where(t["minutes"].c.id == deleted))

        migrate.upgrade(url, "0042")

        with engine.begin() as db:
            found = db.execute(
                sa.text("SELECT id, meeting_id, status, approver_id FROM minutes ORDER BY id")
            ).all()
            assert [tuple(row) for row in found] == [(m, meeting, "APPROVED", None) for meeting, m in ids]
            notes = db.execute(sa.text("SELECT approved_by_id, approval_note FROM minutes_version")).all()
            assert [tuple(row) for row in notes] == [(chair, ""), (chair, "")]
            meeting = ids[0][0]
            db.execute(sa.text("DELETE FROM minutes WHERE meeting_id = :m"), {"m": deleted_meeting})
            new = db.execute(
                sa.text(
                    "INSERT INTO minutes (meeting_id, status, created_at, updated_at, version, approver_id) "
                    "VALUES (:m, 'DRAFT', :at, :at, 1, :chair) RETURNING id"
                ),
                {"m": deleted_meeting, "at": datetime(2026, 4, 1), "chair": chair},
            ).scalar_one()
            assert new == deleted + 1
            if db.dialect.name == "sqlite":
                schema = db.exec_driver_sql(
                    "SELECT sql FROM sqlite_master WHERE name = 'minutes'"
                ).scalar_one()
                assert "AUTOINCREMENT" in schema
                indexes = {row[1] for row in db.exec_driver_sql("PRAGMA index_list('minutes')").all()}
                assert {"ix_minutes_status", "ix_minutes_updated_at", "ix_minutes_approver_id"} <= indexes
                assert db.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        with engine.connect() as db, pytest.raises(sa.exc.IntegrityError):
            if db.dialect.name == "sqlite":
                db.exec_driver_sql("PRAGMA foreign_keys = ON")
            db.execute(
                sa.text("UPDATE minutes SET approver_id = 999999 WHERE meeting_id = :m"), {"m": meeting}
            )
