"""disposal of a case's disclosure packs: the one erasure path into an issued pack and its copy

Revision ID: 0024
Revises: 0021
Create Date: 2026-12-03

An issued pack stays closed to change (migration 0018), with one exception made in the database: when its
case is disposed of, the personal text of the pack may be blanked (the requester and the purpose's detail,
its documents' paragraph texts, its redactions' notes, its agreements' override reasons) and the stored
PDF's bytes emptied. Nothing else about these rows may change, and none may be deleted; the pack's id,
purpose, issue date and issuer, the counts of its rows and the SHA-256 and size of what was sent stay.
On PostgreSQL only through `erase_disclosure_packs`, a SECURITY DEFINER function owned by the schema's owner
(the triggers let the erasure through only while its flag is set *and* the current user is the table's
owner, which the application role never is); on SQLite only while a row of `audit_erasure_permit` for the
pack's case exists, which the disposal adds and removes within its transaction. Either way only the packs of
a case marked disposed of (in the same transaction, just before) can be erased.
"""

from collections.abc import Sequence

from alembic import op

from tracker.migrations import frozen

revision: str = "0024"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ISSUED = frozen.DISCLOSURE_ISSUED
COPY = frozen.DISCLOSURE_COPY
CHILDREN = ("disclosure_document", "disclosure_redaction", "disclosure_agreement")

# What the erasure may change in each table, and what it must leave there.
ERASABLE = {
    "disclosure_pack": ("requester", "purpose_detail"),
    "disclosure_document": ("paragraphs",),
    "disclosure_redaction": ("note",),
    "disclosure_agreement": ("override_reason",),
    "disclosure_copy": ("pdf",),
}
KEPT = {
    "disclosure_pack": (
        "id",
        "case_id",
        "purpose",
        "created_at",
        "created_by_id",
        "issued_at",
        "issued_by_id",
        "version",
    ),
    "disclosure_document": ("id", "pack_id", "kind", "source", "title", "position", "agency_ids"),
    "disclosure_redaction": (
        "id",
        "pack_id",
        "document_id",
        "paragraph",
        "start",
        '"end"',
        "reason",
        "created_at",
        "created_by_id",
    ),
    "disclosure_agreement": (
        "id",
        "pack_id",
        "agency_id",
        "agreed",
        "agreed_by",
        "agreed_on",
        "recorded_at",
        "recorded_by_id",
    ),
    "disclosure_copy": ("id", "pack_id", "sha256", "size", "created_at"),
}

# PostgreSQL -----------------------------------------------------------------------------------------------

_PG_IS_ERASURE = (
    "current_setting('tracker.disclosure_erasure', true) = 'on' "
    "AND current_user = (SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = TG_RELID)"
)


def _pg_value(row: str, column: str) -> str:
    # json has no equality operator; jsonb does.
    return f"{row}.{column}::jsonb" if column == "agency_ids" else f"{row}.{column}"


def _pg_unchanged(table: str) -> str:
    new = ", ".join(_pg_value("NEW", column) for column in KEPT[table])
    old = ", ".join(_pg_value("OLD", column) for column in KEPT[table])
    return f"(({new}) IS NOT DISTINCT FROM ({old}))"


_PG_BLANK = {
    "disclosure_pack": "NEW.requester = '' AND NEW.purpose_detail = ''",
    "disclosure_document": (
        "NOT EXISTS (SELECT 1 FROM json_array_elements(NEW.paragraphs) p WHERE coalesce(p->>'text', '') <> '')"
    ),
    "disclosure_redaction": "NEW.note = ''",
    "disclosure_agreement": "NEW.override_reason = ''",
    "disclosure_copy": "octet_length(NEW.pdf) = 0",
}


def _pg_erasure_shape(table: str) -> str:
    return f"({_PG_BLANK[table]} AND {_pg_unchanged(table)})"


PG_COPY_FUNCTION = f"""
CREATE OR REPLACE FUNCTION disclosure_copy_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND {_PG_IS_ERASURE} AND {_pg_erasure_shape("disclosure_copy")} THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION '{COPY}';
END $$
"""

_PG_SHAPES = " ".join(
    # Nested, not ANDed: NEW's fields are resolved per table, so only the table's own check may be parsed.
    f"IF TG_TABLE_NAME = '{table}' THEN IF {_pg_erasure_shape(table)} THEN RETURN NEW; END IF; END IF;"
    for table in ("disclosure_pack", *CHILDREN)
)

PG_ISSUED_FUNCTION = f"""
CREATE OR REPLACE FUNCTION disclosure_pack_issued() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE pack integer; issued timestamptz;
BEGIN
  IF TG_TABLE_NAME = 'disclosure_pack' THEN
    issued := OLD.issued_at;
  ELSE
    IF TG_OP = 'INSERT' THEN pack := NEW.pack_id; ELSE pack := OLD.pack_id; END IF;
    issued := (SELECT issued_at FROM disclosure_pack WHERE id = pack);
  END IF;
  IF issued IS NULL THEN
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND {_PG_IS_ERASURE} THEN
    {_PG_SHAPES}
  END IF;
  RAISE EXCEPTION '{ISSUED}';
END $$
"""  # noqa: S608

PG_ERASE_FUNCTION = frozen.disclosure_erase_function()

PG_ORIGINAL_COPY_FUNCTION = frozen.disclosure_copy_function("CREATE OR REPLACE")
PG_ORIGINAL_ISSUED_FUNCTION = frozen.disclosure_issued_function("CREATE OR REPLACE")

# SQLite ---------------------------------------------------------------------------------------------------


def _sqlite_unchanged(table: str) -> str:
    return " AND ".join(f"NEW.{column} IS OLD.{column}" for column in KEPT[table])


_SQLITE_BLANK = {
    "disclosure_pack": "NEW.requester = '' AND NEW.purpose_detail = ''",
    "disclosure_document": (
        "json_valid(NEW.paragraphs) AND NOT EXISTS (SELECT 1 FROM json_each(NEW.paragraphs) p "
        "WHERE coalesce(json_extract(p.value, '$.text'), '') <> '')"
    ),
    "disclosure_redaction": "NEW.note = ''",
    "disclosure_agreement": "NEW.override_reason = ''",
    "disclosure_copy": "length(NEW.pdf) = 0",
}


def _sqlite_permit(case: str) -> str:
    return (
        f"EXISTS (SELECT 1 FROM audit_erasure_permit WHERE case_id = ({case})) "  # noqa: S608
        f"AND EXISTS (SELECT 1 FROM mappa_case WHERE id = ({case}) AND disposed_at IS NOT NULL)"
    )


def _sqlite_case_of(row: str, table: str) -> str:
    if table == "disclosure_pack":
        return f"{row}.case_id"
    return f"SELECT case_id FROM disclosure_pack WHERE id = {row}.pack_id"  # noqa: S608


def _sqlite_erasure(table: str) -> str:
    return (
        f"({_SQLITE_BLANK[table]} AND {_sqlite_unchanged(table)} "
        f"AND {_sqlite_permit(_sqlite_case_of('OLD', table))})"
    )


def _sqlite_update_triggers(erasure: bool) -> list[str]:
    allowed = (lambda table: f" AND NOT {_sqlite_erasure(table)}") if erasure else (lambda table: "")
    statements = [
        "CREATE TRIGGER disclosure_copy_no_update BEFORE UPDATE ON disclosure_copy "
        + (f"WHEN NOT {_sqlite_erasure('disclosure_copy')} " if erasure else "")
        + f"BEGIN SELECT RAISE(ABORT, '{COPY}'); END",
        "CREATE TRIGGER disclosure_pack_issued_no_update BEFORE UPDATE ON disclosure_pack "
        f"WHEN OLD.issued_at IS NOT NULL{allowed('disclosure_pack')} "
        f"BEGIN SELECT RAISE(ABORT, '{ISSUED}'); END",
    ]
    for table in CHILDREN:
        statements.append(
            f"CREATE TRIGGER {table}_issued_no_update BEFORE UPDATE ON {table} "  # noqa: S608
            f"WHEN (SELECT issued_at FROM disclosure_pack WHERE id = OLD.pack_id) IS NOT NULL{allowed(table)} "
            f"BEGIN SELECT RAISE(ABORT, '{ISSUED}'); END"
        )
    return statements


_UPDATE_TRIGGERS = (
    "disclosure_copy_no_update",
    "disclosure_pack_issued_no_update",
    *(f"{table}_issued_no_update" for table in CHILDREN),
)


def _replace_sqlite_triggers(erasure: bool) -> None:
    for name in _UPDATE_TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    for statement in _sqlite_update_triggers(erasure):
        op.execute(statement)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_COPY_FUNCTION)
        op.execute(PG_ISSUED_FUNCTION)
        op.execute(PG_ERASE_FUNCTION)
        op.execute("REVOKE ALL ON FUNCTION erase_disclosure_packs(integer) FROM PUBLIC")
    else:
        _replace_sqlite_triggers(erasure=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION erase_disclosure_packs(integer)")
        op.execute(PG_ORIGINAL_ISSUED_FUNCTION)
        op.execute(PG_ORIGINAL_COPY_FUNCTION)
    else:
        _replace_sqlite_triggers(erasure=False)
