"""an evaluation keeps the days it was reopened after closing, so that answers given anonymously after a
reopening are held back until there are enough of them, instead of showing at the next close beside the
anonymous answers shown at the first (`tracker.evaluations.rules.anonymous_shown`)

Reopenings before this revision were not kept, and the audit trail names the fields an update changed but
not their values: an evaluation reopened before it counts its answers as given in one opening, as until now.

Revision ID: 0048
Revises: 0047
Create Date: 2026-12-08
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.core.migrate import create_indexes
from tracker.migrations import columns as col

revision: str = "0048"
down_revision: str | None = "0047"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # AUTOINCREMENT on SQLite, as migration 0038 made every table whose id the database gives out.
    op.create_table(
        "evaluation_reopening",
        col.id_column(),
        *col.integers("evaluation_id"),
        *col.dates("reopened_on"),
        *col.foreign_keys("CASCADE", evaluation_id="event_evaluation"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    create_indexes("evaluation_reopening", "evaluation_id")


def downgrade() -> None:
    op.drop_table("evaluation_reopening")
