"""the cases a list page showed, beside its one `view` entry in the audit trail, so that the log review's
search by case finds who read a case on a list (the case list, the action list, the cases due for an agenda,
the home page's panels), when and on which page

Before this revision a list page was logged as "page /cases?..." about no case. Its entries stay as they
were: which cases those pages showed was never recorded, and is not made up now.

`audit_event_case` holds an entry's id and a case's id and nothing else (no text, so a case's disposal has
nothing to take out of it, as the trail's own `case_id`). It is append-only as the trail is: on PostgreSQL
the application role may only INSERT and SELECT (tracker.core.roles.APPEND_ONLY, granted after each
upgrade) and a trigger refuses any change or deletion even to the owner; on SQLite triggers refuse them.
The table is new, so SQLite needs no rebuild.

Revision ID: 0055
Revises: 0054
Create Date: 2026-12-12
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.migrations import columns as col

revision: str = "0055"
down_revision: str | None = "0054"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "audit_event_case"
REFUSED = "the audit trail is append-only"
PG_FUNCTION = (
    f"CREATE FUNCTION {TABLE}_append_only() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{REFUSED}'; END $$"
)
PG_TRIGGER = (
    f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
    f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only()"
)
SQLITE_EVENTS = ("UPDATE", "DELETE")


def upgrade() -> None:
    op.create_table(
        TABLE,
        *col.integers("audit_event_id", "case_id"),
        *col.foreign_keys(audit_event_id="audit_event"),
        sa.PrimaryKeyConstraint("audit_event_id", "case_id"),
    )
    op.create_index(f"ix_{TABLE}_case_id", TABLE, ["case_id", "audit_event_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_FUNCTION)
        op.execute(PG_TRIGGER)
    else:
        for event in SQLITE_EVENTS:
            op.execute(
                f"CREATE TRIGGER {TABLE}_no_{event.lower()} BEFORE {event} ON {TABLE} "
                f"BEGIN SELECT RAISE(ABORT, '{REFUSED}'); END"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER {TABLE}_append_only ON {TABLE}")
        op.execute(f"DROP FUNCTION {TABLE}_append_only()")
    else:
        for event in SQLITE_EVENTS:
            op.execute(f"DROP TRIGGER {TABLE}_no_{event.lower()}")
    op.drop_index(f"ix_{TABLE}_case_id", table_name=TABLE)
    op.drop_table(TABLE)
