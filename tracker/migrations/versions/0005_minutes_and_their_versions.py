"""minutes and their versions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa

from tracker.core.migrate import create_table_with_id, drop_tables
from tracker.migrations import columns as col

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_table_with_id(
        "minutes",
        *col.integers("meeting_id"),
        col.enum_column("status", "minutesstatus", "DRAFT", "SUBMITTED", "APPROVED", "DISTRIBUTED"),
        *col.utc_times("created_at"),
        *col.integers("created_by_id", nullable=True),
        *col.utc_times("updated_at"),
        *col.integers("updated_by_id", nullable=True),
        *col.integers("version"),
        *col.foreign_keys(created_by_id="user", meeting_id="meeting", updated_by_id="user"),
        sa.UniqueConstraint("meeting_id"),
        indexed=("status", "updated_at"),
    )

    create_table_with_id(
        "minutes_version",
        *col.integers("minutes_id", "number"),
        *col.json_columns("sections"),
        *col.json_columns("record", nullable=True),
        *col.texts("correction_reason"),
        *col.utc_times("created_at"),
        *col.integers("created_by_id", nullable=True),
        *col.when_and_who("submitted", "approved", "distributed"),
        *col.foreign_keys(
            approved_by_id="user",
            created_by_id="user",
            distributed_by_id="user",
            minutes_id="minutes",
            submitted_by_id="user",
        ),
        sa.UniqueConstraint("minutes_id", "number"),
        indexed=("approved_at", "distributed_at", "minutes_id"),
    )

    create_table_with_id(
        "minutes_recipient",
        *col.integers("version_id", "agency_id"),
        *col.integers("user_id", nullable=True),
        *col.foreign_keys(agency_id="agency", user_id="user", version_id="minutes_version"),
        indexed=("agency_id", "user_id", "version_id"),
    )


def downgrade() -> None:
    drop_tables("minutes_recipient", "minutes_version", "minutes")
