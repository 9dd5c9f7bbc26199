"""annual report figures and meeting audits

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.core.types
from tracker.core.migrate import create_indexes

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "annual_figures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("start_year", sa.Integer(), nullable=False),
        sa.Column("level_1_category_1", sa.Integer(), nullable=True),
        sa.Column("level_1_category_2", sa.Integer(), nullable=True),
        sa.Column("level_1_category_3", sa.Integer(), nullable=True),
        sa.Column("breach_of_notification", sa.Integer(), nullable=True),
        sa.Column("notification_revoked", sa.Integer(), nullable=True),
        sa.Column("shpo_imposed", sa.Integer(), nullable=True),
        sa.Column("shpo_foreign_travel", sa.Integer(), nullable=True),
        sa.Column("notification_orders", sa.Integer(), nullable=True),
        sa.Column("sro_breach_notification", sa.Integer(), nullable=True),
        sa.Column("shpo_breach_level_2", sa.Integer(), nullable=True),
        sa.Column("shpo_breach_level_3", sa.Integer(), nullable=True),
        sa.Column("notification_rate", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("updated_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("start_year"),
    )
    op.create_table(
        "meeting_audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("auditor_id", sa.Integer(), nullable=False),
        sa.Column("assigned_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "status",
            sa.Enum("ASSIGNED", "COMPLETED", name="auditstatus", native_enum=False, length=40),
            nullable=False,
        ),
        sa.Column("created_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.Column("completed_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["assigned_by_id"], ["user.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["auditor_id"], ["user.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["meeting_id"], ["meeting.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id"),
    )
    create_indexes("meeting_audit", "auditor_id", "status")

    op.create_table(
        "audit_score",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column(
            "criterion",
            sa.Enum(
                "PAPERS_IN_ADVANCE",
                "PURPOSE_STATED",
                "INTRODUCTIONS",
                "CONFIDENTIALITY_STATEMENT",
                "TIME_BY_URGENCY",
                "AGENCIES_CONTRIBUTE",
                "DISSENT_RECORDED",
                "RISK_SUMMARY",
                "VICTIMS_AND_DIVERSITY",
                "LEVEL_RECONSIDERED",
                "REVIEW_DATE_SET",
                name="auditcriterion",
                native_enum=False,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(["audit_id"], ["meeting_audit.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("audit_id", "criterion"),
    )
    create_indexes("audit_score", "audit_id", "criterion")


def downgrade() -> None:
    op.drop_table("audit_score")
    op.drop_table("meeting_audit")
    op.drop_table("annual_figures")
