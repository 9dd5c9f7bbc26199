"""agenda item category at the meeting: each case on an agenda keeps the category it had at the meeting,
beside the level, so that a correction of approved minutes and the meeting's page say the category the
meeting recorded, not one the case was given since

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-06

Each item already there takes the category its meeting's last approved minutes recorded for it, and where
no approved minutes hold it, the case's category as it is now (the best known).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CATEGORIES = ("CATEGORY_1", "CATEGORY_2", "CATEGORY_3", "CATEGORY_4")


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite has it for a column with a constant default): a batch would copy and drop
    # agenda_item, and dropping it deletes the plan parts that cascade from it. The default (the column as
    # tracker.migrations.columns.enum_column makes it, with one) only fills the rows for the moment; every
    # one is set below, and the tracker always names the category.
    op.add_column(
        "agenda_item",
        sa.Column(
            "category_considered",
            sa.Enum(*CATEGORIES, name="category", native_enum=False, length=40),
            nullable=False,
            server_default="CATEGORY_1",
        ),
    )
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "UPDATE agenda_item SET category_considered = "
            "(SELECT category FROM mappa_case WHERE mappa_case.id = agenda_item.case_id)"
        )
    )
    recorded = _recorded_categories(bind)
    if recorded:
        bind.execute(
            sa.text("UPDATE agenda_item SET category_considered = :category WHERE id = :id"),
            [{"id": item_id, "category": category} for item_id, category in recorded.items()],
        )
    if bind.dialect.name == "postgresql":  # SQLite keeps the default: dropping it would rebuild the table
        op.alter_column("agenda_item", "category_considered", server_default=None)


def _recorded_categories(bind) -> dict[int, str]:
    """The category each agenda item's meeting recorded, from the latest approved version of its minutes."""
    version = sa.table(
        "minutes_version",
        sa.column("minutes_id", sa.Integer()),
        sa.column("number", sa.Integer()),
        sa.column("approved_at", sa.DateTime()),
        sa.column("record", sa.JSON()),
    )
    latest = (
        sa.select(version.c.minutes_id, sa.func.max(version.c.number).label("number"))
        .where(version.c.approved_at.is_not(None))
        .group_by(version.c.minutes_id)
        .subquery()
    )
    rows = bind.execute(
        sa.select(version.c.record).join(
            latest, sa.and_(latest.c.minutes_id == version.c.minutes_id, latest.c.number == version.c.number)
        )
    )
    found: dict[int, str] = {}
    for (record,) in rows:
        for item in (record or {}).get("items", []):
            if str(item.get("id", "")).isdigit() and item.get("category") in CATEGORIES:
                found[int(item["id"])] = item["category"]
    return found


def downgrade() -> None:
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+) rather than a rebuild, as above.
    op.drop_column("agenda_item", "category_considered")
