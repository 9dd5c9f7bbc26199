"""Migration 0054 lets a disclosure pack record that the time to reply to its subject access request was
extended: the day the requester was told (none for the packs already there) and why (empty). An issued
pack keeps both as they were, through the erasure of a disposed case's packs too, which may only blank
the reason (it can name the person), as it blanks the requester; on PostgreSQL `erase_disclosure_packs`
does so."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tests.migrating import database_at, insert, old_case, triggers
from tracker.core import migrate

REFUSED = "cannot be changed"
REASON = "Asked for the records of eight meetings by Old Person"


def _erasing(db: sa.Connection, t: dict, case: int) -> None:
    """The erasure path opened for the case's packs, as a disposal opens it (the case marked disposed)."""
    db.execute(sa.text("UPDATE mappa_case SET disposed_at = :at WHERE id = :id"), {"at": datetime.now(UTC), "id": case})
    if db.dialect.name == "sqlite":
        insert(db, t["audit_erasure_permit"], case_id=case)
    else:
        db.execute(sa.text("SELECT set_config('tracker.disclosure_erasure', 'on', true)"))


def test_packs_already_there_are_not_extended_and_an_issued_pack_keeps_its_extension(
    database_url, tmp_path_factory
):
    with database_at(database_url, tmp_path_factory, "0053") as (url, engine, t):
        with engine.begin() as db:
            chair, case = old_case(db, t)
            pack = t["disclosure_pack"]
            started = datetime(2026, 1, 31, 9, tzinfo=UTC)
            values = {"case_id": case, "created_by_id": chair, "created_at": started, "purpose": "SUBJECT_ACCESS"}
            issued = insert(
                db, pack, **values, request_received_on=date(2026, 1, 31),
                issued_at=datetime(2026, 2, 2, 9, tzinfo=UTC), issued_by_id=chair,
            )
            draft = insert(db, pack, **values, request_received_on=date(2026, 1, 31))
            before = triggers(db)

        migrate.upgrade(url, "0054")

        with engine.begin() as db:
            found = db.execute(
                sa.text("SELECT id, reply_extension_told_on, reply_extension_reason FROM disclosure_pack ORDER BY id")
            ).all()
            assert [tuple(row) for row in found] == [(issued, None, ""), (draft, None, "")]
            assert triggers(db) == before | {"disclosure_pack_extension_kept"}
            # A draft is extended, then issued.
            db.execute(
                sa.text(
                    "UPDATE disclosure_pack SET reply_extension_told_on = :day, reply_extension_reason = :why "
                    "WHERE id = :id"
                ),
                {"day": date(2026, 2, 20), "why": REASON, "id": draft},
            )
            db.execute(
                sa.text("UPDATE disclosure_pack SET issued_at = :at, issued_by_id = :by WHERE id = :id"),
                {"at": datetime(2026, 4, 1, 9, tzinfo=UTC), "by": chair, "id": draft},
            )

        for statement in (
            "UPDATE disclosure_pack SET reply_extension_told_on = '2026-02-01' WHERE id = :id",
            "UPDATE disclosure_pack SET reply_extension_reason = 'Another reason' WHERE id = :id",
        ):
            for pack_id in (issued, draft):
                with engine.connect() as db, pytest.raises(sa.exc.DatabaseError, match=REFUSED):
                    db.execute(sa.text(statement), {"id": pack_id})

        # The erasure of a disposed case's packs may blank the reason (with the requester and the purpose's
        # detail), and change nothing else: not the day the requester was told, nor the reason to new words.
        with engine.connect() as db:
            _erasing(db, t, case)
            blank = "UPDATE disclosure_pack SET requester = '', purpose_detail = ''"
            for change in ("reply_extension_told_on = '2026-02-01'", "reply_extension_reason = 'Something else'"):
                with pytest.raises(sa.exc.DatabaseError, match=REFUSED), db.begin_nested():
                    db.execute(sa.text(f"{blank}, {change} WHERE id = :id"), {"id": draft})
            db.execute(sa.text(f"{blank}, reply_extension_reason = '' WHERE id = :id"), {"id": draft})
            kept = db.execute(
                sa.text("SELECT reply_extension_told_on, reply_extension_reason FROM disclosure_pack WHERE id = :id"),
                {"id": draft},
            ).one()
            assert (date.fromisoformat(str(kept[0])), kept[1]) == (date(2026, 2, 20), "")
            db.rollback()


def test_on_postgresql_the_erasure_function_blanks_the_reason_for_an_extension(database_url, tmp_path_factory):
    if not database_url.startswith("postgresql"):
        pytest.skip("erase_disclosure_packs is PostgreSQL's (on SQLite the disposal blanks it, under the triggers)")
    with database_at(database_url, tmp_path_factory, "0054") as (_url, engine, t), engine.connect() as db:
        chair, case = old_case(db, t)
        pack = insert(
            db, t["disclosure_pack"], case_id=case, created_by_id=chair, purpose="SUBJECT_ACCESS",
            request_received_on=date(2026, 1, 31), reply_extension_told_on=date(2026, 2, 20),
            reply_extension_reason=REASON, issued_at=datetime(2026, 4, 1, 9, tzinfo=UTC), issued_by_id=chair,
        )
        db.execute(
            sa.text("UPDATE mappa_case SET disposed_at = :at WHERE id = :id"),
            {"at": datetime.now(UTC), "id": case},
        )
        assert db.execute(sa.text("SELECT erase_disclosure_packs(:case)"), {"case": case}).scalar_one() == [pack]
        kept = db.execute(
            sa.text(
                "SELECT requester, reply_extension_told_on, reply_extension_reason FROM disclosure_pack "
                "WHERE id = :id"
            ),
            {"id": pack},
        ).one()
        assert tuple(kept) == ("", date(2026, 2, 20), "")
        db.rollback()
