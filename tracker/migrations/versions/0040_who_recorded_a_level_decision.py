"""who recorded a level decision: each agenda item keeps who recorded its level decision as it stands, and
when, so that the entry the decision makes in the case's history says so however often the history is set
again (abandoning a correction of approved minutes used to make it the work of whoever abandoned it)

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-06

Each item whose decision already made an entry takes the entry's recorder and time; the others (a decision
that changed nothing, or none yet) are left empty, and their entries, if one is ever made, fall back on
whoever sets the case's history then, as before.

On PostgreSQL the columns are added. SQLite cannot add a table's foreign key to it afterwards (a column's
own REFERENCES is enforced, but read back without its ON DELETE), and a batch would drop agenda_item with
the foreign keys on, deleting the plan parts that cascade from it and losing its AUTOINCREMENT (0038); so
agenda_item is rebuilt as 0038 rebuilds a table, with its CREATE TABLE statement kept as it was but for the
two columns and their foreign key, and its counter kept where it was.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import tracker.core.types
from tracker.migrations.sqlite_rebuild import AddedColumns

revision: str = "0040"
down_revision: str | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "agenda_item"
ON_SQLITE = AddedColumns(
    TABLE,
    columns=", \n\tdecision_recorded_by_id INTEGER, \n\tdecision_recorded_at DATETIME",
    foreign_key=", \n\tFOREIGN KEY(decision_recorded_by_id) REFERENCES user (id) ON DELETE RESTRICT",
    marker="decision_recorded_by_id",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        ON_SQLITE.upgrade()
    else:
        op.add_column(TABLE, sa.Column("decision_recorded_by_id", sa.Integer(), nullable=True))
        op.add_column(
            TABLE,
            sa.Column("decision_recorded_at", tracker.core.types.UTCDateTime(timezone=True), nullable=True),
        )
        op.create_foreign_key(None, TABLE, "user", ["decision_recorded_by_id"], ["id"], ondelete="RESTRICT")
    entry = "FROM case_event WHERE case_event.agenda_item_id = agenda_item.id"
    op.execute(
        "UPDATE agenda_item SET "  # noqa: S608 (nothing in it comes from outside)
        f"decision_recorded_by_id = (SELECT recorded_by_id {entry} ORDER BY case_event.id LIMIT 1), "
        f"decision_recorded_at = (SELECT recorded_at {entry} ORDER BY case_event.id LIMIT 1) "
        f"WHERE EXISTS (SELECT 1 {entry})"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        ON_SQLITE.downgrade()
    else:
        op.drop_column(TABLE, "decision_recorded_at")
        op.drop_column(TABLE, "decision_recorded_by_id")  # its foreign key goes with it
