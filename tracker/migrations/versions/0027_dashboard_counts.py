"""dashboard counts: per day, discussions held on time or not (reviews and initial meetings) and actions
done on time, late or open

Revision ID: 0027
Revises: 0013
Create Date: 2026-12-03

Both tallies are kept by the application as the data changes (tracker.reports.tallies); this migration
works them out once for the data already there, with the same functions.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0027"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "review_tally",
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("on_time", sa.Boolean(), nullable=False),
        sa.Column("discussions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("held_on", "kind", "on_time"),
    )
    op.create_table(
        "action_tally",
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("outcome", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("actions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("due_on", "outcome"),
    )
    # The backfill: the application's own rules, over what the database holds now.
    from tracker.reports import tallies

    tallies.recount(op.get_bind())


def downgrade() -> None:
    op.drop_table("action_tally")
    op.drop_table("review_tally")
