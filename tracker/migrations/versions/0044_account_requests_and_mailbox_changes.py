"""a chair's account asked for by the TRSG is made only once a system admin approves it; a new secure mailbox
for an agency takes a second system admin's confirmation

Invitations already sent from the chairs' register were never approved by a system admin: their links stop
working, and they wait for one as requests (approving sends a new link).

`approved_at` names no other table, so SQLite's own ADD COLUMN adds it without a rebuild (who approved is in
the audit trail).

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.core.migrate import create_indexes
from tracker.migrations import columns as col

revision: str = "0044"
down_revision: str | None = "0043"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("account_invitation", *col.utc_times("approved_at", nullable=True))
    # AUTOINCREMENT on SQLite, as migration 0038 made every table whose id the database gives out: an id is
    # never given out twice, so the audit trail's entries about one request never name another.
    op.create_table(
        "mailbox_change",
        col.id_column(),
        *col.integers("agency_id"),
        *col.strings(254, "address", "old_address"),
        col.enum_column("outcome", "grantoutcome", "WAITING", "CONFIRMED", "REFUSED", "WITHDRAWN"),
        *col.integers("requested_by_id"),
        *col.utc_times("requested_at"),
        *col.integers("decided_by_id", nullable=True),
        *col.utc_times("decided_at", nullable=True),
        *col.foreign_keys(agency_id="agency", requested_by_id="user", decided_by_id="user"),
        sa.PrimaryKeyConstraint("id"),
        sqlite_autoincrement=True,
    )
    create_indexes("mailbox_change", "outcome", "agency_id")


def downgrade() -> None:
    op.drop_table("mailbox_change")
    op.drop_column("account_invitation", "approved_at")
