"""Rebuilding a table on SQLite with columns and a foreign key added to (or taken from) its own CREATE TABLE
statement, as SQLite's procedure for other schema changes has it, since SQLite cannot add a foreign key to a
table afterwards: its indexes (those on an expression too), triggers, statistics and id counter kept (ids
freed before are never given out again: 0038), its rows copied and counted, the foreign keys checked.
Migrations 0040 and 0049 use it.

Never edit what is here: migrations already run depend on it. A change belongs in a new module.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from alembic import op

# Where the constraints begin, after the columns, as SQLAlchemy writes them (and 0038 kept them).
CONSTRAINTS = re.compile(r", \n\t(?=CONSTRAINT |UNIQUE |FOREIGN KEY|CHECK )")


@dataclass(frozen=True)
class AddedColumns:
    """Columns and the foreign key that goes with them, added to a table's CREATE TABLE statement on the way
    up and taken from it on the way down. `columns` and `foreign_key` are as they stand in the statement
    (each after ", \\n\\t"); `marker`, a column's name that must not be there before."""

    table: str
    columns: str
    foreign_key: str
    marker: str

    def upgrade(self) -> None:
        rebuild(self.table, self.with_columns)

    def downgrade(self) -> None:
        rebuild(self.table, self.without_columns)

    def with_columns(self, create: str) -> str:
        found = CONSTRAINTS.search(create)
        if found is None or not create.endswith("\n)") or self.marker in create:
            raise RuntimeError(f"{self.table}: its CREATE TABLE statement is not as expected")
        with_columns = create[: found.start()] + self.columns + create[found.start() :]
        return with_columns[: -len("\n)")] + self.foreign_key + "\n)"

    def without_columns(self, create: str) -> str:
        if create.count(self.columns) != 1 or create.count(self.foreign_key) != 1:
            raise RuntimeError(f"{self.table}: its CREATE TABLE statement is not as expected")
        return create.replace(self.columns, "").replace(self.foreign_key, "")


def rebuild(table: str, change: Callable[[str], str]) -> None:
    """Rebuild the table with the CREATE TABLE statement `change` makes of its own, in one transaction with
    the foreign keys off (the switch is a no-op inside a transaction: the one Alembic began is committed
    first, and a new one begun at the end for Alembic to record the revision in)."""
    connection = op.get_bind()
    foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
    connection.exec_driver_sql("COMMIT")
    connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
    # Legacy renaming: the triggers of other tables that name this one are left as they are.
    connection.exec_driver_sql("PRAGMA legacy_alter_table = ON")
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            _rebuild(connection, table, change)
        except BaseException:
            connection.exec_driver_sql("ROLLBACK")
            raise
        connection.exec_driver_sql("COMMIT")
    finally:
        connection.exec_driver_sql("PRAGMA legacy_alter_table = OFF")
        connection.exec_driver_sql(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _rebuild(connection: sa.Connection, table: str, change: Callable[[str], str]) -> None:
    create = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).scalar_one()
    head = re.match(rf'CREATE TABLE ("?){table}\1 \(', create)
    if head is None:
        raise RuntimeError(f"{table}: unexpected CREATE TABLE statement")
    new_create = change(create)
    others = (
        connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL "
            "ORDER BY type, name",
            (table,),
        )
        .scalars()
        .all()
    )
    before = [row[1] for row in connection.exec_driver_sql(f'PRAGMA table_info("{table}")').all()]
    count = connection.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar_one()  # noqa: S608
    counter = _counter(connection, table)
    statistics = _statistics(connection, table)

    new_name = f"_rebuilt_{table}"
    connection.exec_driver_sql(f'CREATE TABLE "{new_name}" (' + new_create[head.end() :])
    after = {row[1] for row in connection.exec_driver_sql(f'PRAGMA table_info("{new_name}")').all()}
    columns = ", ".join(f'"{name}"' for name in before if name in after)
    connection.exec_driver_sql(
        f'INSERT INTO "{new_name}" ({columns}) SELECT {columns} FROM "{table}"'  # noqa: S608
    )
    connection.exec_driver_sql(f'DROP TABLE "{table}"')
    connection.exec_driver_sql(f'ALTER TABLE "{new_name}" RENAME TO "{table}"')
    for statement in others:
        connection.exec_driver_sql(statement)
    for row in statistics:
        connection.exec_driver_sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", tuple(row))
    if counter is not None:  # ids freed before the rebuild are not given out again (0038)
        connection.exec_driver_sql("DELETE FROM sqlite_sequence WHERE name = ?", (table,))
        connection.exec_driver_sql("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, counter))
    copied = connection.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar_one()  # noqa: S608
    if copied != count:
        raise RuntimeError(f"{table}: {count} rows before the rebuild, {copied} after")
    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if problems:
        raise RuntimeError(f"foreign keys broken by the rebuild: {problems[:10]}")


def _counter(connection: sa.Connection, table: str) -> int | None:
    kept = connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").first()
    if kept is None:
        return None
    return connection.exec_driver_sql("SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)).scalar()


def _statistics(connection: sa.Connection, table: str) -> list[sa.Row]:
    kept = connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
    if kept is None:
        return []
    return connection.exec_driver_sql("SELECT tbl, idx, stat FROM sqlite_stat1 WHERE tbl = ?", (table,)).all()
