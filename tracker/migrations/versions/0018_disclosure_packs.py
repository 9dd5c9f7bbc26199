"""disclosure packs: documents, redactions, agencies' agreement, and the issued copy kept for the record

The issued copy is append-only (tracker.core.roles.APPEND_ONLY, and triggers); once a pack is issued the
database refuses any change to it, its documents, redactions and agreements.

Revision ID: 0018
Revises: 0019
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.core.migrate import create_table_with_id, drop_tables
from tracker.migrations import columns as col
from tracker.migrations import frozen

revision: str = "0018"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHILDREN = ("disclosure_document", "disclosure_redaction", "disclosure_agreement")
ISSUED = frozen.DISCLOSURE_ISSUED
COPY = frozen.DISCLOSURE_COPY
PURPOSES = ("SUBJECT_ACCESS", "COURT", "PAROLE_BOARD", "OTHER_AREA", "OTHER")


def upgrade() -> None:
    create_table_with_id(
        "disclosure_pack",
        *col.integers("case_id"),
        *col.strings(200, "requester"),
        col.enum_column("purpose", "packpurpose", *PURPOSES, create_constraint=False),
        *col.texts("purpose_detail"),
        *col.utc_times("created_at"),
        *col.integers("created_by_id"),
        *col.when_and_who("issued"),
        *col.integers("version"),
        *col.foreign_keys(case_id="mappa_case", created_by_id="user", issued_by_id="user"),
        indexed=("case_id", "issued_at"),
    )
    create_table_with_id(
        "disclosure_document",
        *col.integers("pack_id"),
        col.enum_column(
            "kind", "documentkind", "EXECUTIVE_SUMMARY", "MINUTES", "PLAN_HISTORY", create_constraint=False
        ),
        *col.strings(80, "source"),
        *col.strings(300, "title"),
        *col.integers("position"),
        *col.json_columns("paragraphs", "agency_ids"),
        *col.foreign_keys(pack_id="disclosure_pack"),
        sa.UniqueConstraint("pack_id", "source"),
        indexed=("pack_id",),
    )
    create_table_with_id(
        "disclosure_redaction",
        *col.integers("pack_id", "document_id", "paragraph", "start", "end"),
        col.enum_column(
            "reason", "redactionreason", "THIRD_PARTY", "AGENCY_NOT_AGREED", "OTHER", create_constraint=False
        ),
        *col.texts("note"),
        *col.utc_times("created_at"),
        *col.integers("created_by_id"),
        *col.foreign_keys(pack_id="disclosure_pack", document_id="disclosure_document", created_by_id="user"),
        indexed=("pack_id", "document_id"),
    )
    create_table_with_id(
        "disclosure_agreement",
        *col.integers("pack_id", "agency_id"),
        *col.booleans("agreed"),
        *col.strings(200, "agreed_by"),
        *col.dates("agreed_on"),
        *col.texts("override_reason"),
        *col.utc_times("recorded_at"),
        *col.integers("recorded_by_id"),
        *col.foreign_keys(pack_id="disclosure_pack", agency_id="agency", recorded_by_id="user"),
        sa.UniqueConstraint("pack_id", "agency_id"),
        indexed=("pack_id", "agency_id"),
    )
    create_table_with_id(
        "disclosure_copy",
        *col.integers("pack_id"),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        *col.strings(64, "sha256"),
        *col.integers("size"),
        *col.utc_times("created_at"),
        *col.foreign_keys(pack_id="disclosure_pack"),
        sa.UniqueConstraint("pack_id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _postgresql_triggers() -> None:
    op.execute(frozen.disclosure_copy_function())
    op.execute(
        "CREATE TRIGGER disclosure_copy_append_only BEFORE UPDATE OR DELETE ON disclosure_copy "
        "FOR EACH ROW EXECUTE FUNCTION disclosure_copy_append_only()"
    )
    op.execute(frozen.disclosure_issued_function())
    op.execute(
        "CREATE TRIGGER disclosure_pack_issued BEFORE UPDATE OR DELETE ON disclosure_pack "
        "FOR EACH ROW EXECUTE FUNCTION disclosure_pack_issued()"
    )
    for table in CHILDREN:
        op.execute(
            f"CREATE TRIGGER {table}_issued BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION disclosure_pack_issued()"
        )


def _sqlite_triggers() -> None:
    for event in ("UPDATE", "DELETE"):
        op.execute(
            f"CREATE TRIGGER disclosure_copy_no_{event.lower()} BEFORE {event} ON disclosure_copy "
            f"BEGIN SELECT RAISE(ABORT, '{COPY}'); END"
        )
        op.execute(
            f"CREATE TRIGGER disclosure_pack_issued_no_{event.lower()} BEFORE {event} ON disclosure_pack "
            f"WHEN OLD.issued_at IS NOT NULL BEGIN SELECT RAISE(ABORT, '{ISSUED}'); END"
        )
    for table in CHILDREN:
        for event, row in (("INSERT", "NEW"), ("UPDATE", "OLD"), ("DELETE", "OLD")):
            op.execute(
                f"CREATE TRIGGER {table}_issued_no_{event.lower()} BEFORE {event} ON {table} "  # noqa: S608
                f"WHEN (SELECT issued_at FROM disclosure_pack WHERE id = {row}.pack_id) IS NOT NULL "
                f"BEGIN SELECT RAISE(ABORT, '{ISSUED}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in CHILDREN:
            op.execute(f"DROP TRIGGER {table}_issued ON {table}")
        op.execute("DROP TRIGGER disclosure_pack_issued ON disclosure_pack")
        op.execute("DROP TRIGGER disclosure_copy_append_only ON disclosure_copy")
    drop_tables(
        "disclosure_copy",
        "disclosure_agreement",
        "disclosure_redaction",
        "disclosure_document",
        "disclosure_pack",
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION disclosure_pack_issued()")
        op.execute("DROP FUNCTION disclosure_copy_append_only()")
