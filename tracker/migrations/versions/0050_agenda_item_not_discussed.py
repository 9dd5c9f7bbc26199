"""an agenda item records why the meeting did not discuss its case after all (deferred, with the chair's
reason), so that a case not reached is kept in the minutes without a plan, decision or actions recorded for
it, and the case stands as it did (`tracker.meetings.services.deferral`)

Items before this revision were all to be discussed: they get an empty reason.

Revision ID: 0050
Revises: 0049
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0050"
down_revision: str | None = "0049"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column(
        "agenda_item", sa.Column("not_discussed_reason", sa.Text(), nullable=False, server_default="")
    )


def downgrade() -> None:
    with op.batch_alter_table("agenda_item") as batch_op:
        batch_op.drop_column("not_discussed_reason")
