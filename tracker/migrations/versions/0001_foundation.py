"""accounts, agencies, sessions, audit trail and settings

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.core.migrate import create_table_with_id, drop_tables
from tracker.migrations import columns as col

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


SECTORS = (
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
)
ROLES = (
    "SYSTEM_ADMIN",
    "COORDINATOR",
    "CHAIR",
    "ADMINISTRATOR",
    "TRSG",
    "SMB",
    "LAY_ADVISER",
    "PRACTITIONER",
)


def upgrade() -> None:
    create_table_with_id(
        "agency",
        *col.strings(200, "name"),
        col.enum_column("sector", "agencysector", *SECTORS),
        *col.booleans("active"),
        sa.UniqueConstraint("name"),
        indexed=("sector",),
    )

    create_table_with_id(
        "login_attempt",
        *col.strings(254, "email"),
        *col.strings(64, "ip_address"),
        *col.utc_times("at"),
        *col.booleans("succeeded"),
    )
    op.create_index("ix_login_attempt_email_at", "login_attempt", ["email", "at"])
    op.create_index("ix_login_attempt_ip_at", "login_attempt", ["ip_address", "at"])

    create_table_with_id(
        "user",
        *col.strings(200, "name"),
        *col.strings(254, "email"),
        *col.integers("agency_id"),
        *col.strings(200, "job_title"),
        *col.strings(255, "password_hash", nullable=True),
        *col.booleans("active", "terrorism_cleared", "chair_trained"),
        *col.strings(64, "totp_secret", nullable=True),
        *col.integers("totp_last_counter", nullable=True),
        *col.utc_times("created_at"),
        *col.utc_times("password_changed_at", nullable=True),
        *col.integers("version"),
        *col.foreign_keys(agency_id="agency"),
        sa.UniqueConstraint("email"),
        indexed=("active", "agency_id", "name"),
    )

    create_table_with_id(
        "audit_event",
        *col.utc_times("at"),
        *col.integers("user_id", nullable=True),
        *col.strings(255, "actor"),
        *col.strings(40, "action"),
        *col.strings(60, "object_type", "object_id", nullable=True),
        *col.texts("summary"),
        *col.strings(64, "ip_address", nullable=True),
        *col.foreign_keys(user_id="user"),
        indexed=("action", "at", "user_id"),
    )
    op.create_index("ix_audit_event_object", "audit_event", ["object_type", "object_id"])

    create_table_with_id(
        "password_reset",
        *col.integers("user_id"),
        *col.strings(64, "token_hash"),
        *col.integers("created_by_id", nullable=True),
        *col.utc_times("created_at", "expires_at"),
        *col.utc_times("used_at", nullable=True),
        *col.foreign_keys("SET NULL", created_by_id="user"),
        *col.foreign_keys("CASCADE", user_id="user"),
        sa.UniqueConstraint("token_hash"),
        indexed=("user_id",),
    )

    op.create_table(
        "setting",
        *col.strings(80, "key"),
        *col.texts("value"),
        *col.utc_times("updated_at"),
        *col.integers("updated_by_id", nullable=True),
        *col.foreign_keys("SET NULL", updated_by_id="user"),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "user_role",
        *col.integers("user_id"),
        col.enum_column("role", "role", *ROLES),
        *col.foreign_keys("CASCADE", user_id="user"),
        sa.PrimaryKeyConstraint("user_id", "role"),
    )
    create_table_with_id(
        "user_session",
        *col.strings(64, "token_hash"),
        *col.integers("user_id"),
        *col.utc_times("created_at", "last_seen_at"),
        *col.utc_times("ended_at", nullable=True),
        *col.strings(20, "end_reason", nullable=True),
        *col.strings(64, "ip_address", nullable=True),
        *col.strings(300, "user_agent"),
        *col.foreign_keys("CASCADE", user_id="user"),
        sa.UniqueConstraint("token_hash"),
        indexed=("user_id",),
    )

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
    drop_tables(
        "user_session",
        "user_role",
        "setting",
        "password_reset",
        "audit_event",
        "user",
        "login_attempt",
        "agency",
    )
