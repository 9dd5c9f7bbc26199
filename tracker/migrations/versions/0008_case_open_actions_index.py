"""a case's open actions by one index

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # (case_id, status) serves every lookup the case_id index served, and a case's open actions too, so
    # the planner no longer walks all open actions (SQLite, unanalysed, preferred the status index).
    op.drop_index("ix_meeting_action_case_id", table_name="meeting_action")
    op.create_index("ix_meeting_action_case_id_status", "meeting_action", ["case_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_meeting_action_case_id_status", table_name="meeting_action")
    op.create_index("ix_meeting_action_case_id", "meeting_action", ["case_id"])
