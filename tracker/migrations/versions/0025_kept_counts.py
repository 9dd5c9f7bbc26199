"""kept counts: each case's review due date (indexed), and the counts per day of cases due and of minutes
to write, to approve and to send

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-03

The due date and both tallies are kept by the application as the data changes (tracker.core.tallies); this
migration works them out once for the data already there, with the same functions.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.core.migrate import create_tally
from tracker.migrations import columns as col

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("mappa_case") as batch:
        batch.add_column(sa.Column("review_due_on", sa.Date(), nullable=True))
        batch.create_index("ix_mappa_case_review_due_on", ["review_due_on"])
    create_tally("case_review_tally", *col.dates("due_on"), *col.booleans("category_4"), count="cases")
    create_tally("minutes_tally", *col.strings(20, "stage"), *col.dates("held_on"), count="meetings")
    # The backfill: the application's own rules, over what the database holds now.
    from tracker.meetings import tallies as case_tallies
    from tracker.minutes import tallies as minutes_tallies

    connection = op.get_bind()
    case_tallies.recount(connection)
    minutes_tallies.recount(connection)


def downgrade() -> None:
    op.drop_table("minutes_tally")
    op.drop_table("case_review_tally")
    with op.batch_alter_table("mappa_case") as batch:
        batch.drop_index("ix_mappa_case_review_due_on")
        batch.drop_column("review_due_on")
