"""accounts, agencies, sessions, audit trail and settings

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import tracker.core.types
from tracker.core.migrate import create_indexes

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agency",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column(
            "sector",
            sa.Enum(
                "POLICE",
                "PROBATION",
                "PRISONS",
                "CHILDRENS_SOCIAL_CARE",
                "ADULT_SOCIAL_CARE",
                "HEALTH",
                "YOUTH_JUSTICE",
                "DWP",
                "HOUSING",
                "EDUCATION",
                "ELECTRONIC_MONITORING",
                "IMMIGRATION",
                "OTHER",
                name="agencysector",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    create_indexes("agency", "sector")

    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("ip_address", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_login_attempt_email_at", "login_attempt", ["email", "at"])
    op.create_index("ix_login_attempt_ip_at", "login_attempt", ["ip_address", "at"])

    op.create_table(
        "user",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("job_title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("password_hash", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("terrorism_cleared", sa.Boolean(), nullable=False),
        sa.Column("chair_trained", sa.Boolean(), nullable=False),
        sa.Column("totp_secret", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("totp_last_counter", sa.Integer(), nullable=True),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["agency_id"], ["agency.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    create_indexes("user", "active", "agency_id", "name")

    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("object_type", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("object_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("ip_address", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    create_indexes("audit_event", "action", "at", "user_id")
    op.create_index("ix_audit_event_object", "audit_event", ["object_type", "object_id"])

    op.create_table(
        "password_reset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    create_indexes("password_reset", "user_id")

    op.create_table(
        "setting",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("updated_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "user_role",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "role",
            sa.Enum(
                "SYSTEM_ADMIN",
                "COORDINATOR",
                "CHAIR",
                "ADMINISTRATOR",
                "TRSG",
                "SMB",
                "LAY_ADVISER",
                "PRACTITIONER",
                name="role",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "role"),
    )
    op.create_table(
        "user_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ended_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("end_reason", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("ip_address", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("user_agent", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    create_indexes("user_session", "user_id")

    _make_audit_trail_append_only()
    _add_standard_agencies()


# The Responsible Authority and the duty-to-co-operate agencies every area has (domain.md); an admin
# renames them to the area's own (for instance "Police" to the force's name) and adds others.
STANDARD_AGENCIES = [
    ("Police", "POLICE"),
    ("Probation Service", "PROBATION"),
    ("HM Prison Service", "PRISONS"),
    ("Children's Social Care", "CHILDRENS_SOCIAL_CARE"),
    ("Adult Social Care", "ADULT_SOCIAL_CARE"),
    ("Health (including mental health trusts)", "HEALTH"),
    ("Youth Justice Service", "YOUTH_JUSTICE"),
    ("Department for Work and Pensions", "DWP"),
    ("Local Housing Authority", "HOUSING"),
    ("Registered Social Landlord", "HOUSING"),
    ("Education", "EDUCATION"),
    ("Electronic Monitoring Service", "ELECTRONIC_MONITORING"),
    ("UK Visas and Immigration", "IMMIGRATION"),
]


def _add_standard_agencies() -> None:
    agency = sa.table("agency", sa.column("name"), sa.column("sector"), sa.column("active"))
    op.bulk_insert(
        agency, [{"name": name, "sector": sector, "active": True} for name, sector in STANDARD_AGENCIES]
    )


def _make_audit_trail_append_only() -> None:
    """No route edits the trail, and the database refuses to as well."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'the audit trail is append-only'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
            "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()"
        )
    else:
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_event_no_{event.lower()} BEFORE {event} ON audit_event "
                "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_event_append_only ON audit_event")
        op.execute("DROP FUNCTION audit_event_append_only()")
    op.drop_table("user_session")
    op.drop_table("user_role")
    op.drop_table("setting")
    op.drop_table("password_reset")
    op.drop_table("audit_event")
    op.drop_table("user")
    op.drop_table("login_attempt")
    op.drop_table("agency")
