"""correction restore points: the meeting's record as it stood when a correction to its minutes began, so
that abandoning the correction puts it back

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN: a batch would copy and drop minutes_version, which other tables refer to.
    op.add_column("minutes_version", sa.Column("restore_point", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("minutes_version") as batch_op:
        batch_op.drop_column("restore_point")
