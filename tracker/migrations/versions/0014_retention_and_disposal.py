"""retention and disposal: reviews, legal holds, a disposed case's mark, and the trail's one erasure path

Revision ID: 0014
Revises: 0018
Create Date: 2026-12-03

The audit trail stays append-only, with one exception made in the database: the summaries of entries about a
disposed case may be set to "" (nothing else about an entry may change, and no entry may be deleted).
On PostgreSQL only through `erase_audit_summaries`, a SECURITY DEFINER function owned by the schema's owner
(the application role has no UPDATE privilege on the trail at all); on SQLite only while a row of
`audit_erasure_permit` exists, which the erasure adds and removes within its transaction.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from tracker.migrations import frozen

revision: str = "0014"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_UNCHANGED = frozen.AUDIT_KEPT_ON_ERASURE

PG_TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('tracker.audit_erasure', true) = 'on' AND NEW.summary = ''
     AND ({new}) IS NOT DISTINCT FROM ({old}) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the audit trail is append-only';
END $$
""".format(
    new=", ".join(f"NEW.{column}" for column in _UNCHANGED),
    old=", ".join(f"OLD.{column}" for column in _UNCHANGED),
)
PG_ORIGINAL_TRIGGER_FUNCTION = (
    "CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$"
)
PG_ERASE_FUNCTION = """
CREATE FUNCTION erase_audit_summaries(p_record text, p_ids integer[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  erased integer;
BEGIN
  PERFORM set_config('tracker.audit_erasure', 'on', true);
  UPDATE audit_event SET summary = '' WHERE id = ANY(p_ids) AND summary <> '';
  GET DIAGNOSTICS erased = ROW_COUNT;
  PERFORM set_config('tracker.audit_erasure', 'off', true);
  INSERT INTO audit_event (at, actor, action, object_type, summary)
  VALUES (now(), 'system (audit erasure)', 'erase', 'AuditEvent',
          format('summaries of %s entries blanked on disposal of %s', erased, p_record));
  RETURN erased;
END $$
"""
_SAME = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in _UNCHANGED)
SQLITE_NO_UPDATE = (
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "  # noqa: S608
    f"WHEN NOT (NEW.summary = '' AND {_SAME} AND EXISTS (SELECT 1 FROM audit_erasure_permit)) "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
)
SQLITE_ORIGINAL_NO_UPDATE = (
    "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
)


def upgrade() -> None:
    op.create_table(
        "retention_review",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "CASE",
                "TRAINING_RECORD",
                "EVALUATION_ANSWERS",
                name="recordkind",
                native_enum=False,
                length=40,
                create_constraint=False,
            ),
            nullable=False,
        ),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("rule", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "outcome",
            sa.Enum(
                "DUE",
                "RETAINED",
                "DISPOSED",
                name="reviewoutcome",
                native_enum=False,
                length=40,
                create_constraint=False,
            ),
            nullable=False,
        ),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("retain_until", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["decided_by_id"], ["user.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("retention_review") as batch:
        batch.create_index("ix_retention_review_record", ["kind", "record_id"])
        batch.create_index(batch.f("ix_retention_review_due_on"), ["due_on"])
        batch.create_index(batch.f("ix_retention_review_outcome"), ["outcome"])
    op.create_table(
        "legal_hold",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("placed_by_id", sa.Integer(), nullable=True),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("lifted_by_id", sa.Integer(), nullable=True),
        sa.Column("lift_reason", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["mappa_case.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["placed_by_id"], ["user.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["lifted_by_id"], ["user.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("legal_hold") as batch:
        batch.create_index(batch.f("ix_legal_hold_case_id"), ["case_id"])
    # ADD COLUMN, not a rebuild: the case table is every case-data table's parent.
    op.add_column("mappa_case", sa.Column("disposed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_mappa_case_disposed_at", "mappa_case", ["disposed_at"])
    op.create_table(
        "audit_erasure_permit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    _open_the_erasure_path()


def _open_the_erasure_path() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_TRIGGER_FUNCTION)
        op.execute(PG_ERASE_FUNCTION)
        op.execute("REVOKE ALL ON FUNCTION erase_audit_summaries(text, integer[]) FROM PUBLIC")
    else:
        op.execute("DROP TRIGGER audit_event_no_update")
        op.execute(SQLITE_NO_UPDATE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION erase_audit_summaries(text, integer[])")
        op.execute(PG_ORIGINAL_TRIGGER_FUNCTION)
    else:
        op.execute("DROP TRIGGER audit_event_no_update")
        op.execute(SQLITE_ORIGINAL_NO_UPDATE)
    op.drop_table("audit_erasure_permit")
    op.drop_index("ix_mappa_case_disposed_at", table_name="mappa_case")
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+) rather than a rebuild of every case-data table's parent.
    op.drop_column("mappa_case", "disposed_at")
    op.drop_table("legal_hold")
    op.drop_table("retention_review")
