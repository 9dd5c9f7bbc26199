"""minutes and their versions

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.core.migrate import create_indexes, drop_tables
from tracker.migrations import columns as col

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "minutes",
        col.id_column(),
        *col.integers("meeting_id"),
        col.enum_column("status", "minutesstatus", "DRAFT", "SUBMITTED", "APPROVED", "DISTRIBUTED"),
        *col.utc_times("created_at"),
        *col.integers("created_by_id", nullable=True),
        *col.utc_times("updated_at"),
        *col.integers("updated_by_id", nullable=True),
        *col.integers("version"),
        *col.foreign_keys(created_by_id="user", meeting_id="meeting", updated_by_id="user"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("meeting_id"),
    )
    create_indexes("minutes", "status", "updated_at")

    op.create_table(
        "minutes_version",
        col.id_column(),
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
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("minutes_id", "number"),
    )
    create_indexes("minutes_version", "approved_at", "distributed_at", "minutes_id")

    op.create_table(
        "minutes_recipient",
        col.id_column(),
        *col.integers("version_id", "agency_id"),
        *col.integers("user_id", nullable=True),
        *col.foreign_keys(agency_id="agency", user_id="user", version_id="minutes_version"),
        sa.PrimaryKeyConstraint("id"),
    )
    create_indexes("minutes_recipient", "agency_id", "user_id", "version_id")


def downgrade() -> None:
    drop_tables("minutes_recipient", "minutes_version", "minutes")
