"""sessions say whether they were made with a security code: one made with the password alone ends once
the person's roles need two-factor sign-in (a co-ordinator or admin role confirmed while signed in)

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0043"
down_revision: str | None = "0042"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # How the sessions open now were made is not on record, so none counts as made with a code (the safe
    # side): everyone whose role needs two-factor sign-in signs in again once, with their code.
    op.add_column(
        "user_session",
        sa.Column("second_factor", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("user_session") as batch_op:
        batch_op.drop_column("second_factor")
