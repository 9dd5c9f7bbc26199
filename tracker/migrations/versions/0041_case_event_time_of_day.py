"""case event time of day: an entry in a case's history may say the time it happened, so that something
recorded outside meetings (a recall, an exit) on the day of a meeting can come after it; the entries
meetings' decisions made take their meeting's start

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-06

An entry recorded outside meetings keeps no time (it came before that day's meetings, as until now). Each
entry a decision made takes its meeting's start, in London, as the tracker sets it from now on.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.core.types
from tracker.core.timeutil import london

revision: str = "0041"
down_revision: str | None = "0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ADD COLUMN (nullable, no reference): no rebuild on SQLite.
    op.add_column("case_event", sa.Column("occurred_time", sa.Time(), nullable=True))
    event = sa.table(
        "case_event",
        sa.column("id", sa.Integer()),
        sa.column("agenda_item_id", sa.Integer()),
        sa.column("occurred_time", sa.Time()),
    )
    item = sa.table("agenda_item", sa.column("id", sa.Integer()), sa.column("meeting_id", sa.Integer()))
    meeting = sa.table(
        "meeting", sa.column("id", sa.Integer()), sa.column("starts_at", tracker.core.types.UTCDateTime())
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(event.c.id, meeting.c.starts_at)
        .join(item, item.c.id == event.c.agenda_item_id)
        .join(meeting, meeting.c.id == item.c.meeting_id)
    ).all()
    if rows:
        bind.execute(
            event.update()
            .where(event.c.id == sa.bindparam("entry"))
            .values(occurred_time=sa.bindparam("at")),
            [{"entry": entry, "at": london(starts_at).time()} for entry, starts_at in rows],
        )


def downgrade() -> None:
    op.drop_column("case_event", "occurred_time")
