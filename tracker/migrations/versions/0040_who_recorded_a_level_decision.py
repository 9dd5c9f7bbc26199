"""who recorded a level decision: each agenda item keeps who recorded its level decision as it stands, and
when, so that the entry the decision makes in the case's history says so however often the history is set
again (abandoning a correction of approved minutes used to make it the work of whoever abandoned it)

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-06

Each item whose decision already made an entry takes the entry's recorder and time; the others (a decision
that changed nothing, or none yet) are left empty, and their entries, if one is ever made, fall back on
whoever sets the case's history then, as before.

On PostgreSQL the columns are added. SQLite cannot add a table's foreign key to it afterwards (a column's
own REFERENCES is enforced, but read back without its ON DELETE), and a batch would drop agenda_item with
the foreign keys on, deleting the plan parts that cascade from it and losing its AUTOINCREMENT (0038); so
agenda_item is rebuilt as 0038 rebuilds a table, with its CREATE TABLE statement kept as it was but for the
two columns and their foreign key, and its counter kept where it was.
"""

import re
from collections.abc import Callable, Sequence

import sqlalchemy as sa
from alembic import op

import tracker.core.types

revision: str = "0040"
down_revision: str | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "agenda_item"
COLUMNS = ", \n\tdecision_recorded_by_id INTEGER, \n\tdecision_recorded_at DATETIME"
FOREIGN_KEY = ", \n\tFOREIGN KEY(decision_recorded_by_id) REFERENCES user (id) ON DELETE RESTRICT"
# Where the constraints begin, after the columns, as SQLAlchemy writes them (and 0038 kept them).
CONSTRAINTS = re.compile(r", \n\t(?=CONSTRAINT |UNIQUE |FOREIGN KEY|CHECK )")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(_with_columns)
    else:
        op.add_column(TABLE, sa.Column("decision_recorded_by_id", sa.Integer(), nullable=True))
        op.add_column(
            TABLE,
            sa.Column("decision_recorded_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        )
        op.create_foreign_key(None, TABLE, "user", ["decision_recorded_by_id"], ["id"], ondelete="RESTRICT")
    entry = "FROM case_event WHERE case_event.agenda_item_id = agenda_item.id"
    op.execute(
        "UPDATE agenda_item SET "  # noqa: S608 (nothing in it comes from outside)
        f"decision_recorded_by_id = (SELECT recorded_by_id {entry} ORDER BY case_event.id LIMIT 1), "
        f"decision_recorded_at = (SELECT recorded_at {entry} ORDER BY case_event.id LIMIT 1) "
        f"WHERE EXISTS (SELECT 1 {entry})"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite(_without_columns)
    else:
        op.drop_column(TABLE, "decision_recorded_at")
        op.drop_column(TABLE, "decision_recorded_by_id")  # its foreign key goes with it


def _with_columns(create: str) -> str:
    found = CONSTRAINTS.search(create)
    if found is None or not create.endswith("\n)") or "decision_recorded_by_id" in create:
        raise RuntimeError(f"{TABLE}: its CREATE TABLE statement is not as expected")
    with_columns = create[: found.start()] + COLUMNS + create[found.start() :]
    return with_columns[: -len("\n)")] + FOREIGN_KEY + "\n)"


def _without_columns(create: str) -> str:
    if create.count(COLUMNS) != 1 or create.count(FOREIGN_KEY) != 1:
        raise RuntimeError(f"{TABLE}: its CREATE TABLE statement is not as expected")
    return create.replace(COLUMNS, "").replace(FOREIGN_KEY, "")


def _rebuild_sqlite(change: Callable[[str], str]) -> None:
    """Rebuild agenda_item with the CREATE TABLE statement `change` makes of its own, as SQLite's procedure
    for other schema changes has it, in one transaction with the foreign keys off (the switch is a no-op
    inside a transaction: the one Alembic began is committed first, and a new one begun at the end for
    Alembic to record the revision in)."""
    connection = op.get_bind()
    foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
    connection.exec_driver_sql("COMMIT")
    connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
    # Legacy renaming: the triggers of other tables that name agenda_item are left as they are.
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
