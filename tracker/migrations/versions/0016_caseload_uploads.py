"""caseload uploads, held for their preview until imported

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

from tracker.core.migrate import create_table_with_id
from tracker.migrations import columns as col

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_table_with_id(
        "caseload_upload",
        *col.integers("created_by_id"),
        *col.utc_times("created_at"),
        *col.strings(255, "filename"),
        *col.json_columns("rows"),
        *col.utc_times("imported_at", nullable=True),
        *col.foreign_keys("CASCADE", created_by_id="user"),
        indexed=("created_by_id",),
    )


def downgrade() -> None:
    op.drop_index("ix_caseload_upload_created_by_id", table_name="caseload_upload")
    op.drop_table("caseload_upload")
