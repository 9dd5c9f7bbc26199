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
