"""the Four Pillars figures count no discussion at a meeting brought in from the area's records (its plan
did not come in with it): worked out again for the data already there

Revision ID: 0045
Revises: 0043
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0045"
down_revision: str | None = "0043"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from tracker.core import tallies
    from tracker.reports.tallies import DISCUSSIONS, PILLARS

    for tally in (DISCUSSIONS, PILLARS):
        tallies.recount(tally, op.get_bind())


def downgrade() -> None:
    pass  # no schema to undo (before this the imported discussions counted: recounting is 0043's to do)
