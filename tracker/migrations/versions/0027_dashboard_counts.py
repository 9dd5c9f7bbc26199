"""dashboard counts: per day, reviews and initial meetings held on time or not, actions done on time, late
or open, discussions with all Four Pillars recorded, pillar entries by status, minutes sent on time, late
or not yet, invitations represented or not by agency, and completed audits and their scores

Revision ID: 0027
Revises: 0013
Create Date: 2026-12-03

The tallies are kept by the application as the data changes (tracker.reports.tallies and
tracker.reports.meeting_tallies); this migration works them out once for the data already there, with the
same functions.
"""

from collections.abc import Sequence

from alembic import op

from tracker.core.migrate import create_tally, drop_tables
from tracker.migrations import columns as col

revision: str = "0027"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_tally(
        "review_tally",
        *col.dates("held_on"),
        *col.strings(20, "kind"),
        *col.booleans("on_time"),
        count="discussions",
    )
    create_tally("action_tally", *col.dates("due_on"), *col.strings(20, "outcome"), count="actions")
    create_tally("discussion_tally", *col.dates("held_on"), *col.booleans("all_pillars"), count="discussions")
    create_tally(
        "pillar_tally",
        *col.dates("held_on"),
        *col.strings(40, "pillar"),
        *col.strings(20, "status"),
        count="entries",
    )
    create_tally("minutes_sent_tally", *col.dates("held_on"), *col.strings(20, "sent"), count="meetings")
    create_tally(
        "attendance_tally",
        *col.dates("held_on"),
        *col.integers("agency_id"),
        *col.booleans("represented"),
        count="invitations",
    )
    create_tally("audit_tally", *col.dates("held_on"), count="audits")
    create_tally(
        "audit_score_tally",
        *col.dates("held_on"),
        *col.strings(40, "criterion"),
        *col.integers("score"),
        count="scores",
    )
    # The backfill: the application's own rules, over what the database holds now.
    from tracker.reports import tallies

    tallies.recount(op.get_bind())


def downgrade() -> None:
    drop_tables(
        "audit_score_tally",
        "audit_tally",
        "attendance_tally",
        "minutes_sent_tally",
        "pillar_tally",
        "discussion_tally",
        "action_tally",
        "review_tally",
    )
