"""the Board's action figures leave out an action recorded at a meeting later cancelled, done or not: its
kept counts worked out again for the data already there

Revision ID: 0052
Revises: 0051
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0052"
down_revision: str | None = "0051"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from tracker.reports import tallies

    tallies.recount(op.get_bind())


def downgrade() -> None:
    pass  # no schema to undo: the counts as 0051 kept them are its own to recount
