"""chairs: the reason for an untrained or lapsed chair on a meeting; invitations to make an account

Revision ID: 0021
Revises: 0022
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.core.migrate import create_table_with_id
from tracker.migrations import columns as col

revision: str = "0021"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meeting") as batch:
        batch.add_column(sa.Column("chair_reason", sa.Text(), nullable=False, server_default=""))
    create_table_with_id(
        "account_invitation",
        *col.integers("trainee_id"),
        *col.strings(254, "email"),
        *col.strings(64, "token_hash"),
        *col.integers("created_by_id", nullable=True),
        *col.utc_times("created_at", "expires_at"),
        *col.utc_times("used_at", nullable=True),
        *col.integers("user_id", nullable=True),
        *col.foreign_keys("CASCADE", trainee_id="trainee"),
        *col.foreign_keys("SET NULL", created_by_id="user", user_id="user"),
        sa.UniqueConstraint("token_hash"),
    )
    with op.batch_alter_table("account_invitation") as batch:
        batch.create_index(batch.f("ix_account_invitation_trainee_id"), ["trainee_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("account_invitation") as batch:
        batch.drop_index(batch.f("ix_account_invitation_trainee_id"))
    op.drop_table("account_invitation")
    with op.batch_alter_table("meeting") as batch:
        batch.drop_column("chair_reason")
