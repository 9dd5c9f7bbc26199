"""section 62 logging: the justification, reason and recipient of each audit entry, and the indexes the
log review searches by

Revision ID: 0013
Revises: 0024
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0013"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = {
    "ix_audit_event_user_id_at": ["user_id", "at"],
    "ix_audit_event_case_id_at": ["case_id", "at"],
    "ix_audit_event_action_at": ["action", "at"],
    "ix_audit_event_reason_at": ["reason", "at"],
}


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild on SQLite), so the append-only triggers stay in place; existing
    # entries get the empty string, and are never changed.
    for name, length in (("justified_by", 20), ("reason", 500), ("recipient", 255)):
        op.add_column(
            "audit_event",
            sa.Column(
                name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=False, server_default=""
            ),
        )
    for name, columns in _INDEXES.items():
        op.create_index(name, "audit_event", columns)


def downgrade() -> None:
    for name in _INDEXES:
        op.drop_index(name, table_name="audit_event")
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+) rather than a rebuild, which would drop the triggers.
    for name in ("recipient", "reason", "justified_by"):
        op.drop_column("audit_event", name)
