"""disclosure packs: documents, redactions, agencies' agreement, and the issued copy kept for the record

The issued copy is append-only (tracker.core.roles.APPEND_ONLY, and triggers); once a pack is issued the
database refuses any change to it, its documents, redactions and agreements.

Revision ID: 0018
Revises: 0019
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import tracker.core.types

revision: str = "0018"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHILDREN = ("disclosure_document", "disclosure_redaction", "disclosure_agreement")
ISSUED = "an issued disclosure pack cannot be changed"
COPY = "the issued copy of a disclosure pack is kept as sent"


def _enum(name: str, *members: str) -> sa.Enum:
    return sa.Enum(*members, name=name.lower(), native_enum=False, length=40, create_constraint=False)


def upgrade() -> None:
    op.create_table(
        "disclosure_pack",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("requester", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column(
            "purpose",
            _enum("PackPurpose", "SUBJECT_ACCESS", "COURT", "PAROLE_BOARD", "OTHER_AREA", "OTHER"),
            nullable=False,
        ),
        sa.Column("purpose_detail", sa.Text(), nullable=False),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("issued_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("issued_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["mappa_case.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["issued_by_id"], ["user.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_disclosure_pack_case_id", "disclosure_pack", ["case_id"])
    op.create_index("ix_disclosure_pack_issued_at", "disclosure_pack", ["issued_at"])
    op.create_table(
        "disclosure_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind", _enum("DocumentKind", "EXECUTIVE_SUMMARY", "MINUTES", "PLAN_HISTORY"), nullable=False
        ),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("paragraphs", sa.JSON(), nullable=False),
        sa.Column("agency_ids", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["pack_id"], ["disclosure_pack.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pack_id", "source"),
    )
    op.create_index("ix_disclosure_document_pack_id", "disclosure_document", ["pack_id"])
    op.create_table(
        "disclosure_redaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("paragraph", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column(
            "reason", _enum("RedactionReason", "THIRD_PARTY", "AGENCY_NOT_AGREED", "OTHER"), nullable=False
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["pack_id"], ["disclosure_pack.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["document_id"], ["disclosure_document.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_disclosure_redaction_pack_id", "disclosure_redaction", ["pack_id"])
    op.create_index("ix_disclosure_redaction_document_id", "disclosure_redaction", ["document_id"])
    op.create_table(
        "disclosure_agreement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("agreed", sa.Boolean(), nullable=False),
        sa.Column("agreed_by", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("override_reason", sa.Text(), nullable=False),
        sa.Column("recorded_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["pack_id"], ["disclosure_pack.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pack_id", "agency_id"),
    )
    op.create_index("ix_disclosure_agreement_pack_id", "disclosure_agreement", ["pack_id"])
    op.create_index("ix_disclosure_agreement_agency_id", "disclosure_agreement", ["agency_id"])
    op.create_table(
        "disclosure_copy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pack_id", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["pack_id"], ["disclosure_pack.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pack_id"),
    )
    if op.get_bind().dialect.name == "postgresql":
        _postgresql_triggers()
    else:
        _sqlite_triggers()


def _postgresql_triggers() -> None:
    op.execute(
        "CREATE FUNCTION disclosure_copy_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{COPY}'; END $$"
    )
    op.execute(
        "CREATE TRIGGER disclosure_copy_append_only BEFORE UPDATE OR DELETE ON disclosure_copy "
        "FOR EACH ROW EXECUTE FUNCTION disclosure_copy_append_only()"
    )
    op.execute(
        "CREATE FUNCTION disclosure_pack_issued() RETURNS trigger LANGUAGE plpgsql AS $$ "  # noqa: S608
        "DECLARE pack integer; BEGIN "
        "IF TG_TABLE_NAME = 'disclosure_pack' THEN "
        f"  IF OLD.issued_at IS NOT NULL THEN RAISE EXCEPTION '{ISSUED}'; END IF; "
        "ELSE "
        "  IF TG_OP = 'INSERT' THEN pack := NEW.pack_id; ELSE pack := OLD.pack_id; END IF; "
        "  IF (SELECT issued_at FROM disclosure_pack WHERE id = pack) IS NOT NULL THEN "
        f"    RAISE EXCEPTION '{ISSUED}'; END IF; "
        "END IF; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
    )
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
    op.drop_table("disclosure_copy")
    op.drop_table("disclosure_agreement")
    op.drop_table("disclosure_redaction")
    op.drop_table("disclosure_document")
    op.drop_table("disclosure_pack")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION disclosure_pack_issued()")
        op.execute("DROP FUNCTION disclosure_copy_append_only()")
