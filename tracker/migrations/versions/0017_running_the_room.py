"""running the room: walk-in attendees, deputies' agencies, the confidentiality statement accepted;
follow-through emails: optional ones turned off, action reminders sent

Revision ID: 0017
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

import tracker.core.types
from tracker.migrations import columns as col

revision: str = "0017"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("invitation") as batch:
        for column in (
            *col.integers("deputy_agency_id", nullable=True),
            *col.booleans("walk_in", server_default=sa.false()),
            *col.strings(200, "attendee_name", "attendee_role", server_default=""),
            *col.booleans("statement_accepted", server_default=sa.false()),
        ):
            batch.add_column(column)
        batch.create_foreign_key(
            "fk_invitation_deputy_agency_id_agency",
            "agency",
            ["deputy_agency_id"],
            ["id"],
            ondelete="RESTRICT",
        )

    op.create_table(
        "email_opt_out",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", "kind"),
    )
    op.create_table(
        "action_reminder",
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("threshold", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("sent_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["action_id"], ["meeting_action.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("action_id", "threshold"),
    )


def downgrade() -> None:
    op.drop_table("action_reminder")
    op.drop_table("email_opt_out")
    with op.batch_alter_table("invitation") as batch:
        batch.drop_constraint("fk_invitation_deputy_agency_id_agency", type_="foreignkey")
        for column in ("statement_accepted", "attendee_role", "attendee_name", "walk_in", "deputy_agency_id"):
            batch.drop_column(column)
