"""weekly digests sent (once per person per week); meetings imported from an area's records; an upload
held for its preview says what it holds (cases, open actions or past meetings)

Revision ID: 0022
Revises: 0023
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import tracker.core.types

revision: str = "0022"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "digest_sent",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("week_of", sa.Date(), nullable=False),
        sa.Column("sent_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "week_of"),
    )
    # Plain ADD COLUMN on both databases: a batch rebuild of `meeting` on SQLite would drop and recreate
    # a table that every meeting record refers to.
    op.add_column("meeting", sa.Column("imported", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column(
        "caseload_upload",
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False, server_default="cases"),
    )


def downgrade() -> None:
    with op.batch_alter_table("caseload_upload") as batch:
        batch.drop_column("kind")
    with op.batch_alter_table("meeting") as batch:
        batch.drop_column("imported")
    op.drop_table("digest_sent")
