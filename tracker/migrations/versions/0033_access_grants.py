"""access grants: a role that reads every case or gives roles, Category 4 clearance, and a new email
address for an account that has one, take a second system admin's confirmation

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

from tracker.core.migrate import create_table_with_id
from tracker.migrations import columns as col

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_table_with_id(
        "access_grant",
        *col.integers("user_id"),
        col.enum_column("privilege", "privilege", "SYSTEM_ADMIN", "COORDINATOR", "CATEGORY_4", "NEW_EMAIL"),
        col.enum_column("outcome", "grantoutcome", "WAITING", "CONFIRMED", "REFUSED", "WITHDRAWN"),
        *col.integers("requested_by_id"),
        *col.utc_times("requested_at"),
        *col.integers("decided_by_id", nullable=True),
        *col.utc_times("decided_at", nullable=True),
        *col.strings(254, "detail"),
        *col.foreign_keys(user_id="user", requested_by_id="user", decided_by_id="user"),
        indexed=("outcome", "user_id"),
    )


def downgrade() -> None:
    op.drop_table("access_grant")
