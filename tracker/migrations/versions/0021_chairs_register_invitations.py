"""chairs: the reason for an untrained or lapsed chair on a meeting; invitations to make an account

Revision ID: 0021
Revises: 0022
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import tracker.core.types

revision: str = "0021"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("meeting") as batch:
        batch.add_column(sa.Column("chair_reason", sa.Text(), nullable=False, server_default=""))
    op.create_table(
        "account_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("trainee_id", sa.Integer(), nullable=False),
        sa.Column("email", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["trainee_id"], ["trainee.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["created_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
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
