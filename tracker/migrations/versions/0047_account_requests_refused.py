"""a chair's account the TRSG asked for records when a system admin refused it, and why, so that the chairs'
register tells a refused request from none (a refusal only ended the request until now)

Requests refused before this revision get the day of their refusal from the audit trail ("account refused"),
and no reason (none was asked for). Neither column names another table, so SQLite's own ADD COLUMN adds them
without a rebuild.

Revision ID: 0047
Revises: 0046
Create Date: 2026-12-06
"""

from collections.abc import Sequence

from alembic import op

from tracker.migrations import columns as col

revision: str = "0047"
down_revision: str | None = "0046"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("account_invitation", *col.utc_times("refused_at", nullable=True))
    op.add_column("account_invitation", *col.texts("refusal_reason", nullable=True))
    # The latest refusal the audit trail records of each request not approved nor used (that of
    # `tracker.training.invitations.refuse`); a request the trail has no refusal of keeps NULL.
    op.execute(
        """
        UPDATE account_invitation SET refused_at = (
            SELECT MAX(audit_event.at) FROM audit_event
            WHERE audit_event.action = 'account refused'
              AND audit_event.object_type = 'AccountInvitation'
              AND audit_event.object_id = CAST(account_invitation.id AS VARCHAR(60))
        )
        WHERE approved_at IS NULL AND used_at IS NULL
        """
    )


def downgrade() -> None:
    with op.batch_alter_table("account_invitation") as batch_op:
        batch_op.drop_column("refusal_reason")
        batch_op.drop_column("refused_at")
