"""Names and SQL that more than one migration writes out (one creates a thing, a later one brings it back
on its way down), kept here once, exactly as they were first run.

Never edit what is here: migrations already run depend on it. A change belongs in a new migration.
"""

# The audit trail's columns the erasure path of migration 0014 leaves as they were (0013 adds justified_by).
AUDIT_KEPT_ON_ERASURE = (
    "id",
    "at",
    "user_id",
    "actor",
    "action",
    "object_type",
    "object_id",
    "ip_address",
    "case_id",
    "meeting_id",
)

# Migration 0018's messages and trigger functions for a disclosure pack once issued, and for its stored copy.
DISCLOSURE_ISSUED = "an issued disclosure pack cannot be changed"
DISCLOSURE_COPY = "the issued copy of a disclosure pack is kept as sent"


def disclosure_copy_function(create: str = "CREATE") -> str:
    """``create`` is "CREATE" (migration 0018) or "CREATE OR REPLACE" (0024, on its way down)."""
    return (
        f"{create} FUNCTION disclosure_copy_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{DISCLOSURE_COPY}'; END $$"
    )


def disclosure_issued_function(create: str = "CREATE") -> str:
    """``create`` is "CREATE" (migration 0018) or "CREATE OR REPLACE" (0024, on its way down)."""
    return (
        f"{create} FUNCTION disclosure_pack_issued() RETURNS trigger LANGUAGE plpgsql AS $$ "  # noqa: S608
        "DECLARE pack integer; BEGIN "
        "IF TG_TABLE_NAME = 'disclosure_pack' THEN "
        f"  IF OLD.issued_at IS NOT NULL THEN RAISE EXCEPTION '{DISCLOSURE_ISSUED}'; END IF; "
        "ELSE "
        "  IF TG_OP = 'INSERT' THEN pack := NEW.pack_id; ELSE pack := OLD.pack_id; END IF; "
        "  IF (SELECT issued_at FROM disclosure_pack WHERE id = pack) IS NOT NULL THEN "
        f"    RAISE EXCEPTION '{DISCLOSURE_ISSUED}'; END IF; "
        "END IF; "
        "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$"
    )


# Migration 0024's erasure of a disposed case's issued packs, made again by 0054 on its way down.
_DISCLOSURE_ERASE = """
{create} FUNCTION erase_disclosure_packs(p_case integer) RETURNS integer[]
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
  UPDATE disclosure_pack SET requester = '', purpose_detail = ''
    WHERE id = ANY(packs) AND (requester <> '' OR purpose_detail <> '');
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


def disclosure_erase_function(create: str = "CREATE") -> str:
    """``create`` is "CREATE" (migration 0024) or "CREATE OR REPLACE" (0054, on its way down)."""
    return _DISCLOSURE_ERASE.replace("{create}", create, 1)


# Migration 0013's erasure path of the audit trail (the append-only trigger, and on PostgreSQL the function
# that blanks texts), made again by 0039 on its way down.
def audit_blanking_pg(blanked: tuple[str, ...], kept: tuple[str, ...]) -> list[str]:
    blank = " AND ".join(f"NEW.{column} = ''" for column in blanked)
    new = ", ".join(f"NEW.{column}" for column in kept)
    old = ", ".join(f"OLD.{column}" for column in kept)
    assignments = ", ".join(f"{column} = ''" for column in blanked)
    anything = " OR ".join(f"{column} <> ''" for column in blanked)
    return [
        f"""CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_setting('tracker.audit_erasure', true) = 'on' AND {blank}
     AND ({new}) IS NOT DISTINCT FROM ({old}) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the audit trail is append-only';
END $$""",
        f"""CREATE OR REPLACE FUNCTION erase_audit_summaries(p_record text, p_ids integer[]) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  erased integer;
BEGIN
  PERFORM set_config('tracker.audit_erasure', 'on', true);
  UPDATE audit_event SET {assignments} WHERE id = ANY(p_ids) AND ({anything});
  GET DIAGNOSTICS erased = ROW_COUNT;
  PERFORM set_config('tracker.audit_erasure', 'off', true);
  INSERT INTO audit_event (at, actor, action, object_type, summary)
  VALUES (now(), 'system (audit erasure)', 'erase', 'AuditEvent',
          format('summaries of %s entries blanked on disposal of %s', erased, p_record));
  RETURN erased;
END $$""",  # noqa: S608 (the columns are this module's own names)
    ]


def audit_blanking_sqlite(blanked: tuple[str, ...], kept: tuple[str, ...]) -> str:
    blank = " AND ".join(f"NEW.{column} = ''" for column in blanked)
    same = " AND ".join(f"NEW.{column} IS OLD.{column}" for column in kept)
    return (
        "CREATE TRIGGER audit_event_no_update BEFORE UPDATE ON audit_event "  # noqa: S608
        f"WHEN NOT ({blank} AND {same} AND EXISTS (SELECT 1 FROM audit_erasure_permit)) "
        "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END"
    )
