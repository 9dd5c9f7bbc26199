"""who marked an action done: each action keeps who marked it done (the date it was done is kept already), so
that its page says "Done by" them however the action's owner changes since (a correction of the minutes
handing the action to someone else while it was being done used to leave it done under the new owner, with
no record of who did it)

Revision ID: 0049
Revises: 0048
Create Date: 2026-12-09

Actions done before this revision are left without who marked them done (the audit trail names the fields
an update changed, not their values, so it cannot say which update marked it done): their pages say when
they were done, as before.

On PostgreSQL the column is added. On SQLite meeting_action is rebuilt as 0040 rebuilds agenda_item (its
CREATE TABLE statement kept as it was but for the column and its foreign key, its indexes, including those
on an expression, and its id counter kept), since SQLite cannot add a foreign key to a table afterwards.
"""

import re
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0049"
down_revision: str | None = "0048"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "meeting_action"
COLUMNS = ", \n\tcompleted_by_id INTEGER"
FOREIGN_KEY = ", \n\tFOREIGN KEY(completed_by_id) REFERENCES user (id) ON DELETE RESTRICT"
# Where the constraints begin, after the columns, as SQLAlchemy writes them (and 0038 kept them).
CONSTRAINTS = re.compile(r", \n\t(?=CONSTRAINT |UNIQUE |FOREIGN KEY|CHECK )")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(_with_columns)
    else:
        op.add_column(TABLE, sa.Column("completed_by_id", sa.Integer(), nullable=True))
        op.create_foreign_key(None, TABLE, "user", ["completed_by_id"], ["id"], ondelete="RESTRICT")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(_without_columns)
    else:
        op.drop_column(TABLE, "completed_by_id")  # its foreign key goes with it


def _with_columns(create: str) -> str:
    found = CONSTRAINTS.search(create)
    if found is None or not create.endswith("\n)") or "completed_by_id" in create:
        raise RuntimeError(f"{TABLE}: its CREATE TABLE statement is not as expected")
    with_columns = create[: found.start()] + COLUMNS + create[found.start() :]
    return with_columns[: -len("\n)")] + FOREIGN_KEY + "\n)"


def _without_columns(create: str) -> str:
    if create.count(COLUMNS) != 1 or create.count(FOREIGN_KEY) != 1:
        raise RuntimeError(f"{TABLE}: its CREATE TABLE statement is not as expected")
    return create.replace(COLUMNS, "").replace(FOREIGN_KEY, "")


def _rebuild_sqlite(change: Callable[[str], str]) -> None:
    """Rebuild meeting_action with the CREATE TABLE statement `change` makes of its own, as SQLite's procedure
    for other schema changes has it, in one transaction with the foreign keys off (the switch is a no-op
    inside a transaction: the one Alembic began is committed first, and a new one begun at the end for
    Alembic to record the revision in)."""
    connection = op.get_bind()
    foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
    connection.exec_driver_sql("COMMIT")
    connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
    # Legacy renaming: the triggers of other tables that name meeting_action are left as they are.
    connection.exec_driver_sql("PRAGMA legacy_alter_table = ON")
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            _rebuild(connection, change)
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
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)
    ).scalar_one()
    head = re.match(rf'CREATE TABLE ("?){TABLE}\1 \(', create)
    if head is None:
        raise RuntimeError(f"{TABLE}: unexpected CREATE TABLE statement")
    new_create = change(create)
    others = (
        connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL "
            "ORDER BY type, name",
            (TABLE,),
        )
        .scalars()
        .all()
    )
    before = [row[1] for row in connection.exec_driver_sql(f'PRAGMA table_info("{TABLE}")').all()]
    count = connection.exec_driver_sql(f'SELECT count(*) FROM "{TABLE}"').scalar_one()  # noqa: S608
    counter = _counter(connection)
    statistics = _statistics(connection)

    new_name = f"_rebuilt_{TABLE}"
    connection.exec_driver_sql(f'CREATE TABLE "{new_name}" (' + new_create[head.end() :])
    after = {row[1] for row in connection.exec_driver_sql(f'PRAGMA table_info("{new_name}")').all()}
    columns = ", ".join(f'"{name}"' for name in before if name in after)
    connection.exec_driver_sql(
        f'INSERT INTO "{new_name}" ({columns}) SELECT {columns} FROM "{TABLE}"'  # noqa: S608
    )
    connection.exec_driver_sql(f'DROP TABLE "{TABLE}"')
    connection.exec_driver_sql(f'ALTER TABLE "{new_name}" RENAME TO "{TABLE}"')
    for statement in others:
        connection.exec_driver_sql(statement)
    for row in statistics:
        connection.exec_driver_sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", tuple(row))
    if counter is not None:  # ids freed before the rebuild are not given out again (0038)
        connection.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = ?", (TABLE,))
        connection.exec_driver_sql("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (TABLE, counter))
    copied = connection.exec_driver_sql(f'SELECT count(*) FROM "{TABLE}"').scalar_one()  # noqa: S608
    if copied != count:
        raise RuntimeError(f"{TABLE}: {count} rows before the rebuild, {copied} after")
    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if problems:
        raise RuntimeError(f"foreign keys broken by the rebuild: {problems[:10]}")


def _counter(connection: sa.Connection) -> int | None:
    kept = connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").first()
    if kept is None:
        return None
    return connection.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = ?", (TABLE,)).scalar()


def _statistics(connection: sa.Connection) -> list[sa.Row]:
    kept = connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
    if kept is None:
        return []
    return connection.exec_driver_sql("SELECT tbl, idx, stat FROM sqlite_stat1 WHERE tbl = ?", (TABLE,)).all()
