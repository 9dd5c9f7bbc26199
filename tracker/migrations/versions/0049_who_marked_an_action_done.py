"""who marked an action done: each action keeps who marked it done (the date it was done is kept already), so
that its page says "Done by" them however the action's owner changes since (a correction of the minutes
handing the action to someone else while it was being done used to leave it done under the new owner, with
no record of who did it)

Revision ID: 0049
Revises: 0048
Create Date: 2026-12-09

Actions done before this revision are left without who marked them done (the audit trail names the fields
an update changed, not their values, so it cannot say which update marked it done): their pages say when
they were done, as before.

On PostgreSQL the column is added. On SQLite meeting_action is rebuilt as 0040 rebuilds agenda_item (its
CREATE TABLE statement kept as it was but for the column and its foreign key, its indexes, including those
on an expression, and its id counter kept), since SQLite cannot add a foreign key to a table afterwards.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.migrations.sqlite_rebuild import AddedColumns

revision: str = "0049"
down_revision: str | None = "0048"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "meeting_action"
ON_SQLITE = AddedColumns(
    TABLE,
    columns=", \n\tcompleted_by_id INTEGER",
    foreign_key=", \n\tFOREIGN KEY(completed_by_id) REFERENCES user (id) ON DELETE RESTRICT",
    marker="completed_by_id",
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        ON_SQLITE.upgrade()
    else:
        op.add_column(TABLE, sa.Column("completed_by_id", sa.Integer(), nullable=True))
        op.create_foreign_key(None, TABLE, "user", ["completed_by_id"], ["id"], ondelete="RESTRICT")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        ON_SQLITE.downgrade()
    else:
        op.drop_column(TABLE, "completed_by_id")  # its foreign key goes with it
