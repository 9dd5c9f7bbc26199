"""No id is given out twice: every table whose id the database gives out says so in the models and, on
SQLite, in the migrated schema (AUTOINCREMENT); migration 0038 rebuilds the tables of a database already
in use keeping every row, id, index, trigger and foreign key, and starts each table's ids past those the
audit trail names, so an id freed before the migration is not given out again either."""

from datetime import datetime

import sqlalchemy as sa
from alembic import command
from sqlmodel import SQLModel

import tracker.models  # noqa: F401
from tests.migrating import database_at, insert, old_case
from tracker.core import migrate


def _tables_with_generated_ids() -> list[sa.Table]:
    return [table for table in SQLModel.metadata.sorted_tables if table.autoincrement_column is not None]



def _pack_entry(db: sa.Connection, t: dict, action: str, pack: int) -> None:
    """The trail's entry for a disclosure pack, as the tracker writes one."""
    insert(
        db,
        t["audit_event"],
        actor="someone",
        action=action,
        object_type="DisclosurePack",
        object_id=str(pack),
        summary="",
    )

def test_every_table_whose_id_the_database_gives_out_never_gives_one_out_twice(app):
    tables = _tables_with_generated_ids()
    assert len(tables) > 40
    assert all(table.dialect_options["sqlite"]["autoincrement"] for table in tables)
    engine = app.extensions["db_engine"]
    if engine.dialect.name != "sqlite":
        return  # PostgreSQL's sequences never go back
    with engine.connect() as connection:
        schema = dict(
            connection.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all()
        )
    assert [table.name for table in tables if "AUTOINCREMENT" not in schema[table.name]] == []


def _shape(connection: sa.Connection) -> dict:
    """Each table's columns (with defaults), foreign keys and indexes, and every trigger, as SQLite
    reports them."""
    tables = connection.exec_driver_sql(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
    ).scalars()
    shape = {}
    for table in tables:
        indexes = connection.exec_driver_sql(f'PRAGMA index_list("{table}")').all()
        shape[table] = (
            connection.exec_driver_sql(f'PRAGMA table_xinfo("{table}")').all(),
            connection.exec_driver_sql(f'PRAGMA foreign_key_list("{table}")').all(),
            sorted(
                (
                    tuple(index[1:]),
                    tuple(connection.exec_driver_sql(f'PRAGMA index_xinfo("{index[1]}")').all()),
                )
                for index in indexes
            ),
        )
    shape["statistics"] = connection.exec_driver_sql("SELECT * FROM sqlite_stat1 ORDER BY tbl, idx").all()
    shape["triggers and indexes"] = connection.exec_driver_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('trigger', 'index') ORDER BY name"
    ).all()
    return shape


def _rows(connection: sa.Connection, tables: dict) -> dict:
    return {
        name: sorted(tuple(row) for row in connection.execute(sa.select(table)).all())
        for name, table in tables.items()
        if name != "alembic_version"
    }


def test_the_migration_keeps_every_row_and_gives_no_deleted_id_out_again(database_url, tmp_path_factory):
    with database_at(database_url, tmp_path_factory, "0037") as (url, engine, t):
        with engine.begin() as db:
            chair, case = old_case(db, t)
            # Rows that refer to the user with ON DELETE CASCADE and SET NULL: rebuilding the user table
            # must neither delete nor blank them.
            insert(db, t["user_role"], user_id=chair, role="CHAIR")
            insert(db, t["password_reset"], user_id=chair, token_hash="h" * 64, created_by_id=chair)
            insert(db, t["setting"], key="reminder_days", value="5", updated_by_id=chair)
            issued = insert(
                db,
                t["disclosure_pack"],
                case_id=case,
                created_by_id=chair,
                purpose="COURT",
                version=1,
                issued_at=datetime(2026, 2, 1),
            )
            drafts = [
                insert(
                    db, t["disclosure_pack"], case_id=case, created_by_id=chair, purpose="COURT", version=1
                )
                for _ in range(3)
            ]
            for pack in [issued, *drafts]:
                _pack_entry(db, t, "create", pack)
        deleted = drafts[-1]
        with engine.begin() as db:
            # The newest pack deleted before the migration (as disposal deletes a draft); the trail names it.
            db.execute(t["disclosure_pack"].delete().where(t["disclosure_pack"].c.id == deleted))
            _pack_entry(db, t, "delete", deleted)
            sqlite = db.dialect.name == "sqlite"
            if sqlite:
                db.exec_driver_sql("ANALYZE")  # the planner's statistics, which must survive the rebuild
            shape = _shape(db) if sqlite else None
            rows = _rows(db, t)
        assert rows["user_role"] and rows["password_reset"] and rows["setting"]

        migrate.upgrade(url, "0038")  # the shape as 0038 leaves it (later migrations change it)
        with engine.begin() as db:
            assert _rows(db, t) == rows
            if sqlite:
                assert _shape(db) == shape
                assert db.exec_driver_sql("PRAGMA foreign_key_check").all() == []
                assert db.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            new_pack = insert(
                db, t["disclosure_pack"], case_id=case, created_by_id=chair, purpose="COURT", version=1
            )
            new_user = insert(db, t["user"], email="new@example.org", agency_id=rows["agency"][0][0])
        assert new_pack == deleted + 1  # past every pack the trail names, the deleted one too
        assert new_user == chair + 1

        with engine.connect() as db:  # the triggers are still there
            for statement in ("UPDATE audit_event SET actor = 'someone else'", "DELETE FROM disclosure_pack"):
                try:
                    db.exec_driver_sql(statement)
                except sa.exc.DatabaseError as refused:
                    assert "append-only" in str(refused) or "cannot be changed" in str(refused)
                else:
                    raise AssertionError(f"not refused: {statement}")
                db.rollback()

        if sqlite:  # and back: the tables as they were, rows and all
            command.downgrade(migrate.alembic_config(url), "0037")
            with engine.connect() as db:
                schema = db.exec_driver_sql("SELECT group_concat(sql) FROM sqlite_master").scalar()
                assert "AUTOINCREMENT" not in schema
                assert _shape(db) == shape
                assert db.exec_driver_sql("PRAGMA foreign_key_check").all() == []
