"""audit entries redacted, not blanked: disposing of a person replaces their name and identifiers in the
trail's texts with "[disposed of]", and marks each entry it changed, instead of blanking the texts

Blanking a whole summary, reason and recipient wiped the record of other, live cases' disclosures (a
meeting's agenda sent to "Solicitor acting for <the person>") and the stock reasons given for opening the
disposed case, which name nobody, while the entries still looked untouched.

The trail stays append-only, with one narrower exception: an update that sets `redacted_at` and, in each of
summary, reason and recipient, either leaves the text as it was or puts "[disposed of]" in it, changing no
other column. On PostgreSQL only through `redact_audit_entries(record, ids, terms)`, a SECURITY DEFINER
function owned by the schema's owner, which itself replaces the terms (matched as whole words, whatever the
case) in the given entries: the application role can take words out of an entry, never write its own.
On SQLite only while a row of `audit_erasure_permit` exists (the disposal adds and removes it in its
transaction). It replaces `erase_audit_summaries`, which the application role can no longer call.

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from tracker.migrations import frozen

revision: str = "0039"
down_revision: str | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MARK = "[disposed of]"
_TEXTS = ("summary", "reason", "recipient")
# The texts' lengths at this revision (the summary is unbounded).
_LIMITS = {"reason": 500, "recipient": 255}
_KEPT = (*frozen.AUDIT_KEPT_ON_ERASURE, "justified_by")
# Migration 0013's path, brought back on the way down.
_BLANKED_BY_0013 = ("summary", "reason", "recipient")


def _pg_trigger_function() -> str:
    new = ", ".join(f"NEW.{column}" for column in _KEPT)
    old = ", ".join(f"OLD.{column}" for column in _KEPT)
    texts = " AND ".join(
        f"(NEW.{column} IS NOT DISTINCT FROM OLD.{column} OR strpos(NEW.{column}, '{MARK}') > 0)"
        for column in _TEXTS
    )
    return f"""CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('tracker.audit_erasure', true) = 'on'
     AND NEW.redacted_at IS NOT NULL AND {texts}
     AND ({new}) IS NOT DISTINCT FROM ({old}) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the audit trail is append-only';
END $$"""


def _pg_redacted(column: str) -> str:
    """The column with the terms replaced, kept within its length: a text the mark makes too long is cut
    short and ends with the mark."""
    redacted = f"regexp_replace({column}, pattern, '{MARK}', 'gi')"
    limit = _LIMITS.get(column)
    if limit is None:
        return redacted
    return f"CASE WHEN length({redacted}) > {limit} THEN left({redacted}, {limit - len(MARK)}) || '{MARK}' ELSE {redacted} END"


def _pg_redact_function() -> str:
    # The terms are escaped here (every character that is not a letter, digit or space gets a backslash,
    # which in a PostgreSQL regular expression makes it literal), so no term is read as a pattern; whole
    # words only, as the disposal's own matching (tracker.retention.scrubbing.pattern_for) has it.
    replaced = ", ".join(f"{column} = {_pg_redacted(column)}" for column in _TEXTS)
    found = " OR ".join(f"{column} ~* pattern" for column in _TEXTS)
    return f"""CREATE FUNCTION redact_audit_entries(p_record text, p_ids integer[], p_terms text[])
RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  pattern text;
  redacted integer := 0;
BEGIN
  SELECT '(?<![[:alnum:]_])(?:'
         || string_agg(regexp_replace(term, '([^[:alnum:][:space:]])', '\\\\\\1', 'g'), '|'
                       ORDER BY length(term) DESC)
         || ')(?![[:alnum:]_])'
    INTO pattern
    FROM unnest(p_terms) AS term
   WHERE btrim(term) <> '';
  IF pattern IS NOT NULL THEN
    PERFORM set_config('tracker.audit_erasure', 'on', true);
    UPDATE audit_event SET {replaced}, redacted_at = now()
     WHERE id = ANY(p_ids) AND ({found});
    GET DIAGNOSTICS redacted = ROW_COUNT;
    PERFORM set_config('tracker.audit_erasure', 'off', true);
  END IF;
  INSERT INTO audit_event (at, actor, action, object_type, summary)
  VALUES (now(), 'system (audit erasure)', 'erase', 'AuditEvent',
          format('names and identifiers of the person replaced with "{MARK}" in %s entries on disposal of %s',
                 redacted, p_record));
  RETURN redacted;
END $$"""  # noqa: S608 (the columns are this module's own names)


def _sqlite_trigger() -> str:
    same = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in _KEPT)
    texts = " AND ".join(
        f"(NEW.{column} IS OLD.{column} OR instr(NEW.{column}, '{MARK}') > 0)" for column in _TEXTS
    )
    return (
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "  # noqa: S608
        f"WHEN NOT (NEW.redacted_at IS NOT NULL AND {texts} AND {same} "
        "AND EXISTS (SELECT 1 FROM audit_erasure_permit)) "
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
    )


def upgrade() -> None:
    # Plain ADD COLUMN (no table rebuild on SQLite), so the append-only triggers stay in place.
    op.add_column("audit_event", sa.Column("redacted_at", sa.DateTime(timezone=True), nullable=True))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION erase_audit_summaries(text, integer[])")
        op.execute(_pg_trigger_function())
        op.execute(_pg_redact_function())
        op.execute("REVOKE ALL ON FUNCTION redact_audit_entries(text, integer[], text[]) FROM PUBLIC")
    else:
        op.execute("DROP TRIGGER audit_event_no_update")
        op.execute(_sqlite_trigger())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION redact_audit_entries(text, integer[], text[])")
        for statement in frozen.audit_blanking_pg(_BLANKED_BY_0013, _KEPT):
            op.execute(statement)
        op.execute("REVOKE ALL ON FUNCTION erase_audit_summaries(text, integer[]) FROM PUBLIC")
    else:
        op.execute("DROP TRIGGER audit_event_no_update")
        op.execute(frozen.audit_blanking_sqlite(_BLANKED_BY_0013, _KEPT))
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35+) rather than a rebuild, which would drop the triggers.
    op.drop_column("audit_event", "redacted_at")
