"""case category changes: each change of a case's category and what it was before, so that a year's
figures count each person by the category they had at its end

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-04
"""

from collections.abc import Sequence

from alembic import op

from tracker.core.migrate import create_table_with_id
from tracker.migrations import columns as col

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = ("CATEGORY_1", "CATEGORY_2", "CATEGORY_3", "CATEGORY_4")


def upgrade() -> None:
    create_table_with_id(
        "case_category_change",
        *col.integers("case_id"),
        *col.dates("changed_on"),
        col.enum_column("previous_category", "category", *CATEGORIES),
        col.enum_column("category", "category", *CATEGORIES),
        *col.integers("recorded_by_id", nullable=True),
        *col.utc_times("recorded_at"),
        *col.foreign_keys(case_id="mappa_case", recorded_by_id="user"),
    )
    with op.batch_alter_table("case_category_change") as batch_op:
        batch_op.create_index(batch_op.f("ix_case_category_change_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_category_change_changed_on"), ["changed_on"], unique=False)


def downgrade() -> None:
    op.drop_table("case_category_change")
