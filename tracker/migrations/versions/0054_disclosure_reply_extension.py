"""a disclosure pack records that the time to reply to its subject access request was extended by two further
months (UK GDPR Article 12(3)): the day the requester was told, within the first month, and why

Revision ID: 0054
Revises: 0053
Create Date: 2026-12-11

Packs before this revision were not extended: no day, and an empty reason.

An issued pack is closed to change by the database (migrations 0018 and 0024), except for the erasure of a
disposed case's packs, which lets through changes to the columns it does not list. A new trigger keeps both
columns of an issued pack as they were, as 0053's keeps the day the request was received, with one
exception: the reason may be blanked, since it can name the person or say what they asked for, so it goes
with the requester and the purpose's detail when the case is disposed of. On PostgreSQL
`erase_disclosure_packs` (0024) is made again to blank it; on SQLite the disposal blanks it itself
(`tracker.retention.packs`), under the triggers. Both columns are added in place (nullable, or with a
default), so SQLite needs no rebuild.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.migrations import frozen

revision: str = "0054"
down_revision: str | None = "0053"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "disclosure_pack"
TOLD = "reply_extension_told_on"
REASON = "reply_extension_reason"
ISSUED = frozen.DISCLOSURE_ISSUED
KEPT = "disclosure_pack_extension_kept"

PG_KEPT_FUNCTION = (
    f"CREATE FUNCTION {KEPT}() RETURNS trigger LANGUAGE plpgsql AS $$ "
    f"BEGIN RAISE EXCEPTION '{ISSUED}'; END $$"
)
PG_KEPT_TRIGGER = (
    f"CREATE TRIGGER {KEPT} BEFORE UPDATE OF {TOLD}, {REASON} ON {TABLE} FOR EACH ROW "
    f"WHEN (OLD.issued_at IS NOT NULL AND (NEW.{TOLD} IS DISTINCT FROM OLD.{TOLD} "
    f"OR (NEW.{REASON} IS DISTINCT FROM OLD.{REASON} AND NEW.{REASON} <> ''))) "
    f"EXECUTE FUNCTION {KEPT}()"
)
SQLITE_KEPT_TRIGGER = (
    f"CREATE TRIGGER {KEPT} BEFORE UPDATE OF {TOLD}, {REASON} ON {TABLE} "
    f"WHEN OLD.issued_at IS NOT NULL AND (NEW.{TOLD} IS NOT OLD.{TOLD} "
    f"OR (NEW.{REASON} IS NOT OLD.{REASON} AND NEW.{REASON} <> '')) "
    f"BEGIN SELECT RAISE(ABORT, '{ISSUED}'); END"
)

# 0024's function, blanking the reason for an extension too.
PG_ERASE_FUNCTION = """
CREATE OR REPLACE FUNCTION erase_disclosure_packs(p_case integer) RETURNS integer[]
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  packs integer[];
BEGIN
  IF NOT EXISTS (SELECT 1 FROM mappa_case WHERE id = p_case AND disposed_at IS NOT NULL) THEN
    RAISE EXCEPTION 'only the disclosure packs of a case being disposed of may be erased';
  END IF;
  SELECT coalesce(array_agg(id ORDER BY id), '{}') INTO packs
    FROM disclosure_pack WHERE case_id = p_case AND issued_at IS NOT NULL;
  PERFORM set_config('tracker.disclosure_erasure', 'on', true);
  UPDATE disclosure_pack SET requester = '', purpose_detail = '', reply_extension_reason = ''
    WHERE id = ANY(packs) AND (requester <> '' OR purpose_detail <> '' OR reply_extension_reason <> '');
  UPDATE disclosure_document SET paragraphs = (
      SELECT coalesce(json_agg(jsonb_set(p::jsonb, '{text}', '""'::jsonb) ORDER BY n), '[]'::json)
      FROM json_array_elements(paragraphs) WITH ORDINALITY AS e(p, n))
    WHERE pack_id = ANY(packs);
  UPDATE disclosure_redaction SET note = '' WHERE pack_id = ANY(packs) AND note <> '';
  UPDATE disclosure_agreement SET override_reason = '' WHERE pack_id = ANY(packs) AND override_reason <> '';
  UPDATE disclosure_copy SET pdf = ''::bytea WHERE pack_id = ANY(packs) AND octet_length(pdf) > 0;
  PERFORM set_config('tracker.disclosure_erasure', 'off', true);
  RETURN packs;
END $$
"""


def upgrade() -> None:
    op.add_column(TABLE, sa.Column(TOLD, sa.Date(), nullable=True))
    op.add_column(TABLE, sa.Column(REASON, sa.Text(), nullable=False, server_default=""))
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_KEPT_FUNCTION)
        op.execute(PG_KEPT_TRIGGER)
        op.execute(PG_ERASE_FUNCTION)
    else:
        op.execute(SQLITE_KEPT_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(frozen.disclosure_erase_function("CREATE OR REPLACE"))
        op.execute(f"DROP TRIGGER {KEPT} ON {TABLE}")
        op.execute(f"DROP FUNCTION {KEPT}()")
    else:
        op.execute(f"DROP TRIGGER {KEPT}")
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+) rather than a rebuild.
    op.drop_column(TABLE, REASON)
    op.drop_column(TABLE, TOLD)
