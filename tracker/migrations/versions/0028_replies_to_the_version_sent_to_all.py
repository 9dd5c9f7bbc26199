"""replies to the version sent to all: each meeting's and training session's SEQUENCE as last sent to
everyone in its diary, against which an emailed reply is checked

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-04

Taking one person off a meeting raises its SEQUENCE for their cancellation alone; a reply from anyone else
to the invitation they hold is still current. The data already there takes the SEQUENCE as it stands.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("meeting", "training_session")


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("sequence_for_all", sa.Integer(), nullable=False, server_default="0"))
        op.execute(f"UPDATE {table} SET sequence_for_all = sequence")  # noqa: S608 - the names above


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("sequence_for_all")
