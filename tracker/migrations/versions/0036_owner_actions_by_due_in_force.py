"""my overdue actions by the date in force: one person's open actions are found and ordered by the due date
now in force (0035), so their index is on that date rather than the date agreed

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DUE_IN_FORCE = "coalesce(revised_due_on, due_on)"


def upgrade() -> None:
    op.drop_index("ix_meeting_action_owner_status_due_on", table_name="meeting_action")
    op.create_index(
        "ix_meeting_action_owner_status_due_in_force",
        "meeting_action",
        ["owner_id", "status", sa.text(DUE_IN_FORCE)],
    )


def downgrade() -> None:
    op.drop_index("ix_meeting_action_owner_status_due_in_force", table_name="meeting_action")
    op.create_index(
        "ix_meeting_action_owner_status_due_on", "meeting_action", ["owner_id", "status", "due_on"]
    )
