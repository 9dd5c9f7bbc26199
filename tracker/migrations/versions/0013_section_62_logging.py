"""section 62 logging: the justification, reason and recipient of each audit entry, and the indexes the
log review searches by

The reason and recipient may name the person a disposed case was about (a subject access request's
requester is often the subject), so the trail's one erasure path (migration 0014) now blanks them with the
summary, and still lets nothing else about an entry change.

Revision ID: 0013
Revises: 0025
Create Date: 2026-12-03
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from tracker.migrations import frozen

revision: str = "0013"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_INDEXES = {
    "ix_audit_event_user_id_at": ["user_id", "at"],
    "ix_audit_event_case_id_at": ["case_id", "at"],
    "ix_audit_event_action_at": ["action", "at"],
    "ix_audit_event_reason_at": ["reason", "at"],
}


# What the erasure blanks, before this migration and after; every other column must stay as it was.
_BLANKED_BEFORE = ("summary",)
_BLANKED = ("summary", "reason", "recipient")
_KEPT = frozen.AUDIT_KEPT_ON_ERASURE


def _pg_functions(blanked: tuple[str, ...], kept: tuple[str, ...]) -> list[str]:
    return frozen.audit_blanking_pg(blanked, kept)


def _sqlite_trigger(blanked: tuple[str, ...], kept: tuple[str, ...]) -> str:
    return frozen.audit_blanking_sqlite(blanked, kept)


def _erasure_path(blanked: tuple[str, ...], kept: tuple[str, ...]) -> None:
    if op.get_bind().dialect.name == "postgresql":
        for statement in _pg_functions(blanked, kept):
            op.execute(statement)
    else:
        op.execute("DROP TRIGGER audit_event_no_update")
        op.execute(_sqlite_trigger(blanked, kept))


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild on SQLite), so the append-only triggers stay in place; existing
    # entries get the empty string, and are never changed.
    for name, length in (("justified_by", 20), ("reason", 500), ("recipient", 255)):
        op.add_column(
            "audit_event",
            sa.Column(
                name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=False, server_default=""
            ),
        )
    for name, columns in _INDEXES.items():
        op.create_index(name, "audit_event", columns)
    _erasure_path(_BLANKED, (*_KEPT, "justified_by"))


def downgrade() -> None:
    _erasure_path(_BLANKED_BEFORE, _KEPT)
    for name in _INDEXES:
        op.drop_index(name, table_name="audit_event")
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+) rather than a rebuild, which would drop the triggers.
    for name in ("recipient", "reason", "justified_by"):
        op.drop_column("audit_event", name)
