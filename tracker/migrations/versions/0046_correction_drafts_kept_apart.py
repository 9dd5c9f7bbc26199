"""a correction to approved minutes keeps its draft of the meeting's record apart from the live record
(`tracker.minutes.correction`): what the approved minutes decided stands until the correction is approved

Revision ID: 0046
Revises: 0045
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0046"
down_revision: str | None = "0045"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A correction under way now has its draft in the live rows, as corrections had until now: the first
    # page of it someone working on it opens takes the draft out of them (`correction.open_draft`).
    op.add_column("minutes_version", sa.Column("draft_record", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("minutes_version") as batch_op:
        batch_op.drop_column("draft_record")
