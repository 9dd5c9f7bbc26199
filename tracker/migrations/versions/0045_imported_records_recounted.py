"""what was brought in from the area's records is counted as it should be, worked out again for the data
already there: the Four Pillars figures count no discussion at an imported meeting (its plan did not come
in with it), and a case brought in with its next review date is due then, not at the initial meeting
deadline of its referral

Revision ID: 0045
Revises: 0044
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0045"
down_revision: str | None = "0044"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    from tracker.core import tallies
    from tracker.meetings import tallies as case_tallies
    from tracker.reports.tallies import DISCUSSIONS, PILLARS

    connection = op.get_bind()
    for tally in (DISCUSSIONS, PILLARS):
        tallies.recount(tally, connection)
    case_tallies.recount(connection)


def downgrade() -> None:
    pass  # no schema to undo (the counts before this are the earlier rules' to work out again)
