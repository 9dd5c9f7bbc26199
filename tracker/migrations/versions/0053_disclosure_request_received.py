"""a disclosure pack records the day its request was received: a subject access request is answered within a
calendar month of it, and the agencies' answers are dated from it (no longer from the case's referral)

Revision ID: 0053
Revises: 0052
Create Date: 2026-12-10

Packs before this revision are given the day they were started (their `created_at`, in London): the pack
did not record the request's day, and a pack is started once the request is in hand.

Issued packs are closed to change by the database (migrations 0018 and 0024), so the schema's owner lifts
that for the length of the backfill alone: on PostgreSQL by disabling the pack's trigger, on SQLite by
dropping its update trigger and making it again from its own statement. On SQLite the column is then made
NOT NULL by rebuilding the table (`tracker.migrations.sqlite_rebuild.rebuild`, which keeps its triggers,
indexes and id counter), since SQLite cannot add a NOT NULL column without a default. A new trigger keeps
the day of an issued pack as it was, the erasure of a disposed case's packs (0024) included, which lets
through changes to the columns it does not list.
"""

from collections.abc import Sequence
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import tracker.core.types
from tracker.migrations import frozen
from tracker.migrations.sqlite_rebuild import rebuild

revision: str = "0053"
down_revision: str | None = "0052"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "disclosure_pack"
COLUMN = "request_received_on"
ISSUED = frozen.DISCLOSURE_ISSUED
KEPT = "disclosure_pack_received_kept"
# The statements of this revision's trigger, and where SQLite's ALTER TABLE put the column, as it wrote it.
PG_KEPT_FUNCTION = (
    f"CREATE FUNCTION {KEPT}() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{ISSUED}'; END $$"
)
PG_KEPT_TRIGGER = (
    f"CREATE TRIGGER {KEPT} BEFORE UPDATE OF {COLUMN} ON {TABLE} FOR EACH ROW "
    f"WHEN (OLD.issued_at IS NOT NULL AND NEW.{COLUMN} IS DISTINCT FROM OLD.{COLUMN}) "
    f"EXECUTE FUNCTION {KEPT}()"
)
SQLITE_KEPT_TRIGGER = (
    f"CREATE TRIGGER {KEPT} BEFORE UPDATE OF {COLUMN} ON {TABLE} "
    f"WHEN OLD.issued_at IS NOT NULL AND NEW.{COLUMN} IS NOT OLD.{COLUMN} "
    f"BEGIN SELECT RAISE(ABORT, '{ISSUED}'); END"
)
SQLITE_ADDED = f" {COLUMN} DATE,"
SQLITE_REQUIRED = f" \n\t{COLUMN} DATE NOT NULL,"


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    op.add_column(TABLE, sa.Column(COLUMN, sa.Date(), nullable=True))
    if postgresql:
        op.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER disclosure_pack_issued")
        _received_on_the_day_started()
        op.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER disclosure_pack_issued")
        op.alter_column(TABLE, COLUMN, existing_type=sa.Date(), nullable=False)
        op.execute(PG_KEPT_FUNCTION)
        op.execute(PG_KEPT_TRIGGER)
    else:
        connection = op.get_bind()
        trigger = connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'disclosure_pack_issued_no_update'"
        ).scalar_one()
        op.execute("DROP TRIGGER disclosure_pack_issued_no_update")
        _received_on_the_day_started()
        op.execute(trigger)
        rebuild(TABLE, _required)
        op.execute(SQLITE_KEPT_TRIGGER)


def _received_on_the_day_started() -> None:
    """Each pack's request taken as received the day the pack was started, in London."""
    london = ZoneInfo("Europe/London")
    packs = sa.table(
        TABLE,
        sa.column("id", sa.Integer()),
        sa.column("created_at", tracker.core.types.UTCDateTime(timezone=True)),
        sa.column(COLUMN, sa.Date()),
    )
    connection = op.get_bind()
    days = [
        {"pack": pack_id, "day": created_at.astimezone(london).date()}
        for pack_id, created_at in connection.execute(sa.select(packs.c.id, packs.c.created_at))
    ]
    if days:
        connection.execute(
            sa.update(packs).where(packs.c.id == sa.bindparam("pack")).values({COLUMN: sa.bindparam("day")}),
            days,
        )


def _required(create: str) -> str:
    """The table's CREATE TABLE statement with the column NOT NULL, among the columns as SQLAlchemy writes
    them (ALTER TABLE appended it to the last column's line)."""
    if create.count(SQLITE_ADDED) != 1:
        raise RuntimeError(f"{TABLE}: its CREATE TABLE statement is not as expected")
    return create.replace(SQLITE_ADDED, SQLITE_REQUIRED)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER {KEPT} ON {TABLE}")
        op.execute(f"DROP FUNCTION {KEPT}()")
    else:
        op.execute(f"DROP TRIGGER {KEPT}")
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+) rather than a rebuild.
    op.drop_column(TABLE, COLUMN)
