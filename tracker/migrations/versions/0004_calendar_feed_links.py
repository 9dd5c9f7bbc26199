"""calendar feed links

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.core.migrate import create_table_with_id
from tracker.migrations import columns as col

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_table_with_id(
        "feed_token",
        *col.integers("user_id"),
        *col.strings(64, "token_hash"),
        *col.utc_times("created_at"),
        *col.foreign_keys("CASCADE", user_id="user"),
        sa.UniqueConstraint("token_hash"),
        sa.UniqueConstraint("user_id"),
    )


def downgrade() -> None:
    op.drop_table("feed_token")
