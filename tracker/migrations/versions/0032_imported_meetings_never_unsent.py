"""the minutes tally counts no meeting brought in from the area's records as not yet sent (the overdue list
never shows one): worked out again for the data already there

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from tracker.minutes import tallies

    tallies.recount(op.get_bind())


def downgrade() -> None:
    pass  # no schema to undo (0031 counted these meetings as unsent: recounting is its own to do)
