"""chair training flag source: whether an account's "has completed chair training" was set by a completed
chair course (a correction of its registers then takes it away) rather than by an admin

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite has it for a column with a constant default): a batch would copy and drop
    # the user table, which every other table refers to.
    op.add_column(
        "user", sa.Column("chair_trained_by_course", sa.Boolean(), nullable=False, server_default=sa.false())
    )


def downgrade() -> None:
    with op.batch_alter_table("user") as batch_op:
        batch_op.drop_column("chair_trained_by_course")
