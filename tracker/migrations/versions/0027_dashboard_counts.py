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
    op.create_table(
        "discussion_tally",
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("all_pillars", sa.Boolean(), nullable=False),
        sa.Column("discussions", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("held_on", "all_pillars"),
    )
    op.create_table(
        "pillar_tally",
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("pillar", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("entries", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("held_on", "pillar", "status"),
    )
    op.create_table(
        "minutes_sent_tally",
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("sent", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("meetings", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("held_on", "sent"),
    )
    op.create_table(
        "attendance_tally",
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("represented", sa.Boolean(), nullable=False),
        sa.Column("invitations", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("held_on", "agency_id", "represented"),
    )
    op.create_table(
        "audit_tally",
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("audits", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("held_on"),
    )
    op.create_table(
        "audit_score_tally",
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("criterion", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("scores", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("held_on", "criterion", "score"),
    )
    # The backfill: the application's own rules, over what the database holds now.
    from tracker.reports import tallies

    tallies.recount(op.get_bind())


def downgrade() -> None:
    op.drop_table("audit_score_tally")
    op.drop_table("audit_tally")
    op.drop_table("attendance_tally")
    op.drop_table("minutes_sent_tally")
    op.drop_table("pillar_tally")
    op.drop_table("discussion_tally")
    op.drop_table("action_tally")
    op.drop_table("review_tally")
