"""annual report figures and meeting audits

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa

from tracker.core.migrate import create_table_with_id, drop_tables
from tracker.migrations import columns as col

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Each figure is blank until it is entered.
FIGURES = (
    "level_1_category_1",
    "level_1_category_2",
    "level_1_category_3",
    "breach_of_notification",
    "notification_revoked",
    "shpo_imposed",
    "shpo_foreign_travel",
    "notification_orders",
    "sro_breach_notification",
    "shpo_breach_level_2",
    "shpo_breach_level_3",
)
CRITERIA = (
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
)


def upgrade() -> None:
    create_table_with_id(
        "annual_figures",
        *col.integers("start_year"),
        *col.integers(*FIGURES, nullable=True),
        sa.Column("notification_rate", sa.Numeric(precision=8, scale=2), nullable=True),
        *col.utc_times("updated_at"),
        *col.integers("updated_by_id", nullable=True),
        *col.integers("version"),
        *col.foreign_keys("SET NULL", updated_by_id="user"),
        sa.UniqueConstraint("start_year"),
    )
    create_table_with_id(
        "meeting_audit",
        *col.integers("meeting_id", "auditor_id"),
        *col.integers("assigned_by_id", nullable=True),
        col.enum_column("status", "auditstatus", "ASSIGNED", "COMPLETED"),
        *col.utc_times("created_at"),
        *col.utc_times("completed_at", nullable=True),
        *col.integers("version"),
        *col.foreign_keys(assigned_by_id="user", auditor_id="user", meeting_id="meeting"),
        sa.UniqueConstraint("meeting_id"),
        indexed=("auditor_id", "status"),
    )

    create_table_with_id(
        "audit_score",
        *col.integers("audit_id"),
        col.enum_column("criterion", "auditcriterion", *CRITERIA),
        *col.integers("score", nullable=True),
        *col.texts("comment"),
        *col.foreign_keys("CASCADE", audit_id="meeting_audit"),
        sa.UniqueConstraint("audit_id", "criterion"),
        indexed=("audit_id", "criterion"),
    )


def downgrade() -> None:
    drop_tables("audit_score", "meeting_audit", "annual_figures")
