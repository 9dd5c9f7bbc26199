"""case category changes: each change of a case's category and what it was before, so that a year's
figures count each person by the category they had at its end

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.core.types

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = ("CATEGORY_1", "CATEGORY_2", "CATEGORY_3", "CATEGORY_4")


def upgrade() -> None:
    op.create_table(
        "case_category_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("changed_on", sa.Date(), nullable=False),
        sa.Column(
            "previous_category", sa.Enum(*CATEGORIES, name="category", native_enum=False, length=40), nullable=False
        ),
        sa.Column("category", sa.Enum(*CATEGORIES, name="category", native_enum=False, length=40), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", tracker.core.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["mappa_case.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("case_category_change") as batch_op:
        batch_op.create_index(batch_op.f("ix_case_category_change_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_case_category_change_changed_on"), ["changed_on"], unique=False)


def downgrade() -> None:
    op.drop_table("case_category_change")
