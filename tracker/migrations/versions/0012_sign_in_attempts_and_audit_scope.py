"""sign-in attempts claimed before the password is checked; the case and meeting of each audit entry

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0012"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # pending (claimed, being checked), failed, refused (throttled), password (right, code to follow),
    # succeeded. Pending and failed attempts count against the limits.
    op.add_column(
        "login_attempt",
        sa.Column(
            "outcome",
            sqlmodel.sql.sqltypes.AutoString(length=20),
            nullable=False,
            server_default="failed",
        ),
    )
    # The browser's sign-in device id, when it has signed in to this account before.
    op.add_column(
        "login_attempt",
        sa.Column("device", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    )
    op.execute("UPDATE login_attempt SET outcome = 'succeeded' WHERE succeeded")
    op.create_index("ix_login_attempt_device_at", "login_attempt", ["device", "at"])

    # Plain ADD COLUMN (no table rebuild on SQLite), so the append-only triggers stay in place. No
    # foreign keys: entries outlive what they are about and are never changed.
    op.add_column("audit_event", sa.Column("case_id", sa.Integer(), nullable=True))
    op.add_column("audit_event", sa.Column("meeting_id", sa.Integer(), nullable=True))
    op.create_index("ix_audit_event_case_id", "audit_event", ["case_id"])
    op.create_index("ix_audit_event_meeting_id", "audit_event", ["meeting_id"])


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
