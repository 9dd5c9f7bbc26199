"""sign-in attempts claimed before the password is checked; the case and meeting of each audit entry

Revision ID: 0012
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.migrations import columns as col

revision: str = "0012"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # pending (claimed, being checked), failed, refused (throttled), password (right, code to follow),
    # succeeded. Pending and failed attempts count against the limits.
    op.add_column("login_attempt", *col.strings(20, "outcome", server_default="failed"))
    # The browser's sign-in device id, when it has signed in to this account before.
    op.add_column("login_attempt", *col.strings(64, "device", nullable=True))
    op.execute("UPDATE login_attempt SET outcome = 'succeeded' WHERE succeeded")
    op.create_index("ix_login_attempt_device_at", "login_attempt", ["device", "at"])

    # Plain ADD COLUMN (no table rebuild on SQLite), so the append-only triggers stay in place. No
    # foreign keys: entries outlive what they are about and are never changed.
    op.add_column("audit_event", sa.Column("case_id", sa.Integer(), nullable=True))
    op.add_column("audit_event", sa.Column("meeting_id", sa.Integer(), nullable=True))
    op.create_index("ix_audit_event_case_id", "audit_event", ["case_id"])
    op.create_index("ix_audit_event_meeting_id", "audit_event", ["meeting_id"])
    _scope_existing_entries()


# Entries written before this migration: the case and meeting of each, found through its object
# (":id" stands for the entry's object id).
_SCOPES = {
    "Case": (":id", None),
    "Meeting": (None, ":id"),
    "CaseEvent": ("SELECT case_id FROM case_event WHERE id = :id", None),
    "AgendaItem": (
        "SELECT case_id FROM agenda_item WHERE id = :id",
        "SELECT meeting_id FROM agenda_item WHERE id = :id",
    ),
    "Invitation": (None, "SELECT meeting_id FROM invitation WHERE id = :id"),
    "PillarEntry": (
        "SELECT i.case_id FROM pillar_entry p JOIN agenda_item i ON i.id = p.agenda_item_id WHERE p.id = :id",
        "SELECT i.meeting_id FROM pillar_entry p "
        "JOIN agenda_item i ON i.id = p.agenda_item_id WHERE p.id = :id",
    ),
    "Action": (
        "SELECT case_id FROM meeting_action WHERE id = :id",
        "SELECT i.meeting_id FROM meeting_action a "
        "JOIN agenda_item i ON i.id = a.agenda_item_id WHERE a.id = :id",
    ),
    "Minutes": (None, "SELECT meeting_id FROM minutes WHERE id = :id"),
    "MinutesVersion": (
        None,
        "SELECT m.meeting_id FROM minutes_version v JOIN minutes m ON m.id = v.minutes_id WHERE v.id = :id",
    ),
    "MinutesRecipient": (
        None,
        "SELECT m.meeting_id FROM minutes_recipient r JOIN minutes_version v ON v.id = r.version_id "
        "JOIN minutes m ON m.id = v.minutes_id WHERE r.id = :id",
    ),
    "MeetingAudit": (None, "SELECT meeting_id FROM meeting_audit WHERE id = :id"),
    "AuditScore": (
        None,
        "SELECT a.meeting_id FROM audit_score s JOIN meeting_audit a ON a.id = s.audit_id WHERE s.id = :id",
    ),
}


def _scope_existing_entries() -> None:
    """Fill in the two new columns of existing entries: the one change ever made to the trail, made by
    the schema's owner with the append-only triggers lifted for the length of this migration."""
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        op.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only")
    else:
        op.execute("DROP TRIGGER audit_event_no_update")
    numeric = "object_id ~ '^[0-9]+$'" if postgresql else "object_id NOT GLOB '*[^0-9]*'"
    for object_type, columns in _SCOPES.items():
        values = [
            f"{name} = ({query.replace(':id', 'CAST(audit_event.object_id AS INTEGER)')})"
            for name, query in zip(("case_id", "meeting_id"), columns, strict=True)
            if query
        ]
        op.execute(
            sa.text(
                f"UPDATE audit_event SET {', '.join(values)} WHERE object_type = :type AND {numeric}"  # noqa: S608
            ).bindparams(type=object_type)
        )
    if postgresql:
        op.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only")
    else:
        op.execute(
            "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "
            "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
        )


def downgrade() -> None:
    op.drop_index("ix_audit_event_meeting_id", table_name="audit_event")
    op.drop_index("ix_audit_event_case_id", table_name="audit_event")
    with op.batch_alter_table("login_attempt") as batch_op:
        batch_op.drop_index("ix_login_attempt_device_at")
        batch_op.drop_column("device")
        batch_op.drop_column("outcome")
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+) rather than a rebuild, which would drop the triggers.
    op.drop_column("audit_event", "meeting_id")
    op.drop_column("audit_event", "case_id")
