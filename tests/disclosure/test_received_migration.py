"""Migration 0053 gives every disclosure pack the day its request was received: for packs already there, the
day they were started, in London (issued packs too, which the database otherwise refuses to change), then
requires it; the issued packs stay closed to change, their received day even through the erasure of a
disposed case's packs; on SQLite the rebuilt table keeps its triggers, indexes and AUTOINCREMENT."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tests.migrating import database_at, insert, old_case, triggers
from tracker.core import migrate

REFUSED = "cannot be changed"


def test_packs_already_there_were_received_the_day_they_were_started_in_london_and_stay_closed(
    database_url, tmp_path_factory
):
    with database_at(database_url, tmp_path_factory, "0052") as (url, engine, t):
        with engine.begin() as db:
            chair, case = old_case(db, t)
            pack = t["disclosure_pack"]
            started = {
                # 23:30 UTC on 30 June is half past midnight on 1 July in London (summer time).
                "issued": datetime(2026, 6, 30, 23, 30, tzinfo=UTC),
                # In winter London keeps UTC: 23:30 on 31 January is still that day.
                "draft": datetime(2026, 1, 31, 23, 30, tzinfo=UTC),
            }
            issued = insert(
                db,
                pack,
                case_id=case,
                created_by_id=chair,
                purpose="SUBJECT_ACCESS",
                created_at=started["issued"],
                issued_at=datetime(2026, 7, 2, 9, tzinfo=UTC),
                issued_by_id=chair,
            )
            draft = insert(db, pack, case_id=case, created_by_id=chair, purpose="COURT", created_at=started["draft"])
            before = triggers(db)

        migrate.upgrade(url, "0053")

        with engine.begin() as db:
            found = db.execute(sa.text("SELECT id, request_received_on FROM disclosure_pack ORDER BY id")).all()
            as_dates = [(pack_id, date.fromisoformat(str(day))) for pack_id, day in found]
            assert as_dates == [(issued, date(2026, 7, 1)), (draft, date(2026, 1, 31))]
            assert triggers(db) == before | {"disclosure_pack_received_kept"}
            db.execute(
                sa.text("UPDATE disclosure_pack SET request_received_on = :day WHERE id = :id"),
                {"day": date(2026, 1, 30), "id": draft},
            )
            if db.dialect.name == "sqlite":
                schema = db.exec_driver_sql(
                    "SELECT sql FROM sqlite_master WHERE name = 'disclosure_pack'"
                ).scalar_one()
                assert "AUTOINCREMENT" in schema and "request_received_on DATE NOT NULL" in schema
                indexes = {row[1] for row in db.exec_driver_sql("PRAGMA index_list('disclosure_pack')").all()}
                assert {"ix_disclosure_pack_case_id", "ix_disclosure_pack_issued_at"} <= indexes
                assert db.exec_driver_sql("PRAGMA foreign_key_check").all() == []

        refused = [
            ("UPDATE disclosure_pack SET requester = 'Someone else' WHERE id = :id", REFUSED),
            ("UPDATE disclosure_pack SET request_received_on = '2026-06-01' WHERE id = :id", REFUSED),
            ("INSERT INTO disclosure_pack (case_id, requester, purpose, purpose_detail, created_at, created_by_id,"
             " version) SELECT case_id, 'x', 'COURT', '', created_at, created_by_id, 1 FROM disclosure_pack"
             " WHERE id = :id", "null|NULL"),
        ]
        for statement, message in refused:
            with engine.connect() as db, pytest.raises(sa.exc.DatabaseError, match=message):
                db.execute(sa.text(statement), {"id": issued})

        # The erasure of a disposed case's packs blanks their text and may change nothing else: not the day
        # the request was received, a column it does not list.
        with engine.connect() as db:
            db.execute(sa.text("UPDATE mappa_case SET disposed_at = :at WHERE id = :id"), {"at": datetime.now(UTC), "id": case})
            if db.dialect.name == "sqlite":
                insert(db, t["audit_erasure_permit"], case_id=case)
            else:
                db.execute(sa.text("SELECT set_config('tracker.disclosure_erasure', 'on', true)"))
            blank = "UPDATE disclosure_pack SET requester = '', purpose_detail = ''"
            with pytest.raises(sa.exc.DatabaseError, match=REFUSED), db.begin_nested():
                db.execute(sa.text(f"{blank}, request_received_on = '2026-06-01' WHERE id = :id"), {"id": issued})
            db.execute(sa.text(f"{blank} WHERE id = :id"), {"id": issued})  # the erasure itself still goes
            db.rollback()
