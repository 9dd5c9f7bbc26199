"""calendar feed links

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.migrations.columns import foreign_keys, id_column, integers, strings, utc_times

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "feed_token",
        id_column(),
        *integers("user_id"),
        *strings(64, "token_hash"),
        *utc_times("created_at"),
        *foreign_keys("CASCADE", user_id="user"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
        sa.UniqueConstraint("user_id"),
    )


def downgrade() -> None:
    op.drop_table("feed_token")
