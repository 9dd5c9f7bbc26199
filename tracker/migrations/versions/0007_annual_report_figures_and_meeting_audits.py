"""annual report figures and meeting audits

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.core.types

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
    with op.batch_alter_table("meeting_audit", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_meeting_audit_auditor_id"), ["auditor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_meeting_audit_status"), ["status"], unique=False)

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
    with op.batch_alter_table("audit_score", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_score_audit_id"), ["audit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_score_criterion"), ["criterion"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_score", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_score_criterion"))
        batch_op.drop_index(batch_op.f("ix_audit_score_audit_id"))

    op.drop_table("audit_score")
    with op.batch_alter_table("meeting_audit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_audit_status"))
        batch_op.drop_index(batch_op.f("ix_meeting_audit_auditor_id"))

    op.drop_table("meeting_audit")
    op.drop_table("annual_figures")
