"""minutes approved for a chair who has left: who approves a meeting's minutes in place of its chair (whose
account is deactivated), as the co-ordinator handed the approval over, and why an approved version was
approved by someone other than the meeting's chair

Minutes already there were approved by their meeting's chair (or brought in), so they have no approver in
the chair's place and no note.

On SQLite a new column that names another table is added by rebuilding the table, as SQLite's procedure for
schema changes has it and as migration 0038 did (its CREATE TABLE statement kept but for the new column and
its foreign key, so the id stays AUTOINCREMENT and its counter where it was); Alembic's batch mode would
lose both. SQLite's own ADD COLUMN would take the reference, but written on the column, where SQLAlchemy
reads no ON DELETE.

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-07
"""

from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0042"
down_revision: str | None = "0041"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Where the column and its foreign key go in the CREATE TABLE statement SQLAlchemy wrote for `minutes`.
AFTER_COLUMNS = "\n\tversion INTEGER NOT NULL, \n"
NEW_COLUMN = "\tapprover_id INTEGER, \n"
BEFORE_CONSTRAINTS = "\tFOREIGN KEY(created_by_id) REFERENCES user (id) ON DELETE RESTRICT, \n"
NEW_FOREIGN_KEY = "\tFOREIGN KEY(approver_id) REFERENCES user (id) ON DELETE RESTRICT, \n"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_minutes_on_sqlite(_with_approver)
    else:
        op.add_column("minutes", sa.Column("approver_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            "fk_minutes_approver_id_user", "minutes", "user", ["approver_id"], ["id"], ondelete="RESTRICT"
        )
    op.create_index("ix_minutes_approver_id", "minutes", ["approver_id"])
    op.add_column("minutes_version", sa.Column("approval_note", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    op.drop_column("minutes_version", "approval_note")
    op.drop_index("ix_minutes_approver_id", table_name="minutes")
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_minutes_on_sqlite(_without_approver)
    else:
        op.drop_constraint("fk_minutes_approver_id_user", "minutes", type_="foreignkey")
        op.drop_column("minutes", "approver_id")


def _with_approver(create: str) -> str:
    if create.count(AFTER_COLUMNS) != 1 or create.count(BEFORE_CONSTRAINTS) != 1 or NEW_COLUMN in create:
        raise RuntimeError("minutes: its CREATE TABLE statement is not as expected")
    create = create.replace(AFTER_COLUMNS, AFTER_COLUMNS + NEW_COLUMN)
    return create.replace(BEFORE_CONSTRAINTS, NEW_FOREIGN_KEY + BEFORE_CONSTRAINTS)


def _without_approver(create: str) -> str:
    if create.count(NEW_COLUMN) != 1 or create.count(NEW_FOREIGN_KEY) != 1:
        raise RuntimeError("minutes: its CREATE TABLE statement is not as expected")
    return create.replace(NEW_COLUMN, "").replace(NEW_FOREIGN_KEY, "")


def _rebuild_minutes_on_sqlite(change: Callable[[str], str]) -> None:
    """Rebuild `minutes` from its CREATE TABLE statement as `change` gives it, with the rows, indexes,
    planner's statistics and id counter it had, in one transaction with the foreign keys off (a table
    dropped while they are on first has its rows deleted, which the versions refer to). The switch is a
    no-op inside a transaction, so Alembic's (which has written nothing yet) is committed first, and a new
    one begun at the end for Alembic to record the revision in."""
    connection = op.get_bind()
    foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
    connection.exec_driver_sql("COMMIT")
    connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
    connection.exec_driver_sql("PRAGMA legacy_alter_table = ON")
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            _rebuild(connection, change)
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            if problems:
                raise RuntimeError(f"foreign keys broken by the rebuild: {problems[:10]}")
        except BaseException:
            connection.exec_driver_sql("ROLLBACK")
            raise
        connection.exec_driver_sql("COMMIT")
    finally:
        connection.exec_driver_sql("PRAGMA legacy_alter_table = OFF")
        connection.exec_driver_sql(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _rebuild(connection: sa.Connection, change: Callable[[str], str]) -> None:
    create = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'minutes'"
    ).scalar_one()
    new_create = change(create)
    if not new_create.startswith('CREATE TABLE "minutes" ('):
        raise RuntimeError("minutes: unexpected CREATE TABLE statement")
    others = (
        connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'minutes' AND type IN ('index', 'trigger') "
            "AND sql IS NOT NULL ORDER BY type, name"
        )
        .scalars()
        .all()
    )
    old_columns = [row[1] for row in connection.exec_driver_sql('PRAGMA table_info("minutes")').all()]
    counter = connection.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = 'minutes'").scalar()
    statistics = []
    if connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first():
        statistics = connection.exec_driver_sql(
            "SELECT tbl, idx, stat FROM sqlite_stat1 WHERE tbl = 'minutes'"
        ).all()
    count = connection.exec_driver_sql("SELECT count(*) FROM minutes").scalar_one()

    connection.exec_driver_sql(
        new_create.replace('CREATE TABLE "minutes" (', 'CREATE TABLE "_rebuilt_minutes" (', 1)
    )
    new_columns = [
        row[1] for row in connection.exec_driver_sql('PRAGMA table_info("_rebuilt_minutes")').all()
    ]
    columns = ", ".join(f'"{name}"' for name in old_columns if name in new_columns)
    connection.exec_driver_sql(f'INSERT INTO "_rebuilt_minutes" ({columns}) SELECT {columns} FROM minutes')  # noqa: S608
    connection.exec_driver_sql("DROP TABLE minutes")
    connection.exec_driver_sql('ALTER TABLE "_rebuilt_minutes" RENAME TO minutes')
    for statement in others:
        connection.exec_driver_sql(statement)
    for row in statistics:
        connection.exec_driver_sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", tuple(row))
    if counter is not None:
        # Ids given out before and since deleted are not given out again.
        connection.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = 'minutes'")
        connection.exec_driver_sql(
            "INSERT INTO sqlite_sequence (name, seq) VALUES ('minutes', ?)", (counter,)
        )
    if connection.exec_driver_sql("SELECT count(*) FROM minutes").scalar_one() != count:
        raise RuntimeError("minutes: rows lost in the rebuild")
