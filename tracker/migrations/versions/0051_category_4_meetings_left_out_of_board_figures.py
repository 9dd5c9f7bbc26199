"""the Board's figures about meetings leave out a meeting held only for Category 4 cases: its kept counts
worked out again for the data already there

Revision ID: 0051
Revises: 0050
Create Date: 2026-12-07
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0051"
down_revision: str | None = "0050"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from tracker.reports import tallies

    tallies.recount(op.get_bind())


def downgrade() -> None:
    pass  # no schema to undo: the counts as 0050 kept them are its own to recount
