"""Least-privilege database roles on PostgreSQL: the app connects as a role that cannot erase the trail.

Two roles: the *owner* (MIGRATION_DATABASE_URL) owns the schema and runs the migrations; the
*application role* (DATABASE_URL) reads and writes the tables, but on the audit trail may only INSERT
and SELECT. It owns nothing, so it cannot drop or alter a table nor disable the append-only trigger,
and as it is no superuser it cannot set session_replication_role to skip triggers either.
"""

from __future__ import annotations

import sqlalchemy as sa

# Tables the application role may read and add to, never change.
APPEND_ONLY = ("audit_event", "audit_event_case", "disclosure_copy")
READ_ONLY = ("alembic_version",)
# The only paths by which the application role may change the trail or an issued disclosure: replacing a
# disposed person's name and identifiers in the trail's texts (migration 0039), and blanking the personal
# text of a disposed case's issued disclosure packs and emptying their stored PDFs (migration 0024).
# SECURITY DEFINER functions owned by the schema's owner.
ERASURE_FUNCTIONS = ("redact_audit_entries(text, integer[], text[])", "erase_disclosure_packs(integer)")


class RoleProblem(Exception):
    """The role cannot be used as the application role; the message says why."""


def grant_app_role(connection: sa.Connection, role: str) -> None:
    """Give `role` what the app needs and no more. Run as the schema's owner, after each upgrade
    (the default privileges set here also cover tables that later migrations by the owner create).
    Idempotent."""
    if connection.dialect.name != "postgresql":
        raise RoleProblem("Database roles apply to PostgreSQL only")
    found = connection.execute(
        sa.text("SELECT rolsuper, rolbypassrls FROM pg_roles WHERE rolname = :role"), {"role": role}
    ).first()
    if found is None:
        raise RoleProblem(f'There is no role "{role}". Create it first (CREATE ROLE ... LOGIN PASSWORD ...)')
    if found.rolsuper:
        raise RoleProblem(f'"{role}" is a superuser, which can always erase the audit trail')
    if role == connection.execute(sa.text("SELECT current_user")).scalar():
        raise RoleProblem(f'"{role}" owns the schema: the application role must be another role')
    owner_of_trail = connection.execute(
        sa.text("SELECT tableowner FROM pg_tables WHERE schemaname = 'public' AND tablename = 'audit_event'")
    ).scalar()
    if owner_of_trail == role:
        raise RoleProblem(f'"{role}" owns the audit trail table: the application role must not')
    quoted = connection.dialect.identifier_preparer.quote(role)
    dml = "SELECT, INSERT, UPDATE, DELETE"
    others = "TRUNCATE, REFERENCES, TRIGGER"
    statements = [
        f"GRANT USAGE ON SCHEMA public TO {quoted}",
        f"GRANT {dml} ON ALL TABLES IN SCHEMA public TO {quoted}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT {dml} ON TABLES TO {quoted}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {quoted}",
        f"REVOKE CREATE ON SCHEMA public FROM {quoted}",
    ]
    present = set(
        connection.execute(sa.text("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")).scalars()
    )
    # A database at an older revision lacks the later tables; the grant after its upgrade covers them.
    for table in (table for table in APPEND_ONLY if table in present):
        statements.append(f"REVOKE UPDATE, DELETE, {others} ON {table} FROM {quoted}, PUBLIC")
        statements.append(f"GRANT SELECT, INSERT ON {table} TO {quoted}")
    for table in READ_ONLY:
        statements.append(f"REVOKE INSERT, UPDATE, DELETE, {others} ON {table} FROM {quoted}")
    for signature in ERASURE_FUNCTIONS:
        exists = connection.execute(sa.text("SELECT to_regprocedure(:f)"), {"f": signature}).scalar()
        if exists is not None:
            statements.append(f"GRANT EXECUTE ON FUNCTION {signature} TO {quoted}")
    for statement in statements:
        connection.exec_driver_sql(statement)
