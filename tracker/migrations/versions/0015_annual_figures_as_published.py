"""annual figures as published: breaches of notification split into cautioned and convicted, the
population the rate per 100,000 is worked out from (with its source), and no Level 1 Category 3 figure
(Category 3 is never managed at Level 1; the published tables show "-")

Revision ID: 0015
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.migrations import columns as col

revision: str = "0015"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Years entered before keep their combined breach figure and their rate, which the report still shows.
    with op.batch_alter_table("annual_figures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("breach_cautioned", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("breach_convicted", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("population", sa.BigInteger(), nullable=True))
        batch_op.add_column(*col.strings(300, "population_source", server_default=""))
        batch_op.drop_column("level_1_category_3")
    with op.batch_alter_table("annual_figures", schema=None) as batch_op:
        batch_op.alter_column("population_source", server_default=None)


def downgrade() -> None:
    with op.batch_alter_table("annual_figures", schema=None) as batch_op:
        batch_op.add_column(sa.Column("level_1_category_3", sa.Integer(), nullable=True))
        batch_op.drop_column("population_source")
        batch_op.drop_column("population")
        batch_op.drop_column("breach_convicted")
        batch_op.drop_column("breach_cautioned")
