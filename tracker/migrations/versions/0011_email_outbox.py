"""email outbox

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import tracker.core.types

revision: str = "0011"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbox_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum("QUEUED", "SENT", "FAILED", name="outboxstatus", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("sender", sqlmodel.sql.sqltypes.AutoString(length=320), nullable=False),
        sa.Column("recipients", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("message", sa.LargeBinary(), nullable=False),
        sa.Column("about_type", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("about_id", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("claimed_until", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("claim_token", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_outbox_message_created_at", "outbox_message", ["created_at"])
    op.create_index("ix_outbox_message_due", "outbox_message", ["status", "next_attempt_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_message_due", table_name="outbox_message")
    op.drop_index("ix_outbox_message_created_at", table_name="outbox_message")
    op.drop_table("outbox_message")
