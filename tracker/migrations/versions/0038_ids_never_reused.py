"""ids never reused on SQLite: every table whose id the database gives out is rebuilt with AUTOINCREMENT, so
that a record deleted (disposal, a pack or an agenda item removed) never hands its id to the next one, whose
audit trail would then show the deleted record's entries

Without AUTOINCREMENT, SQLite gives a new row the highest id in the table plus one, so deleting the newest
row frees its id. PostgreSQL's sequences never go back: nothing changes there.

Each table is rebuilt as SQLite's own procedure for schema changes has it ("Making Other Kinds Of Table
Schema Changes": foreign keys off, a new table, the rows copied, the old one dropped, the new one renamed,
its indexes and triggers made again, the foreign keys checked), with its CREATE TABLE statement kept as it
was but for the primary key, so columns, defaults, constraints and foreign keys stay exactly as they were
(and the planner's statistics, where ANALYZE has been run).
The counter each table starts from is also moved past the highest id the audit trail names for it, so an id
freed before this migration is not given out again either.

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-06
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0038"
down_revision: str | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The tables whose integer id the database gives out, by the model name the audit trail calls their rows
# (`object_type`), as they stand at this revision.
TABLES = {
    "AccessGrant": "access_grant",
    "AccountInvitation": "account_invitation",
    "Action": "meeting_action",
    "Agency": "agency",
    "AgencyAgreement": "disclosure_agreement",
    "AgendaItem": "agenda_item",
    "AnnualFigures": "annual_figures",
    "Answer": "evaluation_answer",
    "Attendance": "attendance",
    "AuditErasurePermit": "audit_erasure_permit",
    "AuditEvent": "audit_event",
    "AuditScore": "audit_score",
    "Case": "mappa_case",
    "CaseCategoryChange": "case_category_change",
    "CaseEvent": "case_event",
    "CaseloadUpload": "caseload_upload",
    "Course": "course",
    "CourseEvent": "course_event",
    "DisclosureCopy": "disclosure_copy",
    "DisclosurePack": "disclosure_pack",
    "EmailReply": "email_reply",
    "Enrolment": "enrolment",
    "EnrolmentImport": "enrolment_import",
    "EvaluationForm": "evaluation_form",
    "EvaluationInvitation": "evaluation_invitation",
    "EventEvaluation": "event_evaluation",
    "FeedToken": "feed_token",
    "FormSection": "evaluation_section",
    "Invitation": "invitation",
    "InvitationLink": "evaluation_link",
    "LegalHold": "legal_hold",
    "LoginAttempt": "login_attempt",
    "Meeting": "meeting",
    "MeetingAudit": "meeting_audit",
    "Minutes": "minutes",
    "MinutesDisclosure": "minutes_disclosure",
    "MinutesRecipient": "minutes_recipient",
    "MinutesVersion": "minutes_version",
    "OutboxMessage": "outbox_message",
    "PackDocument": "disclosure_document",
    "PasswordReset": "password_reset",
    "PillarEntry": "pillar_entry",
    "PlanPart": "plan_part",
    "Question": "evaluation_question",
    "Redaction": "disclosure_redaction",
    "Response": "evaluation_response",
    "RetentionReview": "retention_review",
    "SessionReply": "session_reply",
    "Trainee": "trainee",
    "TrainingSession": "training_session",
    "User": "user",
    "UserSession": "user_session",
}

# The id column and the primary key as SQLAlchemy writes them, without AUTOINCREMENT and with it.
ID_COLUMN = "\n\tid INTEGER NOT NULL, \n"
ID_COLUMN_AUTOINCREMENT = "\n\tid INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, \n"
PRIMARY_KEY = re.compile(r", \n\tPRIMARY KEY \(id\)(?=, \n|\n\)$)")


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite_tables(autoincrement=True)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuild_sqlite_tables(autoincrement=False)


def _rebuild_sqlite_tables(autoincrement: bool) -> None:
    """Rebuild every table in TABLES not yet as asked, in one transaction with the foreign keys off.

    A table dropped while foreign keys are on first has its rows deleted, and those deletes cascade to
    (or are refused by) the rows that refer to it; the switch is a no-op inside a transaction, so the one
    Alembic began for this migration (it has written nothing yet) is committed first, and a new one is
    begun at the end for Alembic to record the revision in. A table already rebuilt is left alone, so a
    run stopped after the rebuild's commit but before that record can simply be run again.
    """
    connection = op.get_bind()
    foreign_keys = connection.exec_driver_sql("PRAGMA foreign_keys").scalar()
    connection.exec_driver_sql("COMMIT")
    connection.exec_driver_sql("PRAGMA foreign_keys = OFF")
    # Legacy renaming: the triggers of other tables that name a table being rebuilt (the disclosure
    # pack's) are left as they are, rather than parsed while it is missing.
    connection.exec_driver_sql("PRAGMA legacy_alter_table = ON")
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        try:
            for table in TABLES.values():
                _rebuild(connection, table, autoincrement)
            if autoincrement:
                _counters_past_the_trail(connection)
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            if problems:
                raise RuntimeError(f"foreign keys broken by the rebuild: {problems[:10]}")
        except BaseException:
            connection.exec_driver_sql("ROLLBACK")
            raise
        connection.exec_driver_sql("COMMIT")
    finally:
        connection.exec_driver_sql("PRAGMA legacy_alter_table = OFF")
        connection.exec_driver_sql(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _rebuild(connection: sa.Connection, table: str, autoincrement: bool) -> None:
    create = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).scalar_one()
    if (ID_COLUMN_AUTOINCREMENT in create) == autoincrement:
        return
    new_create = (
        _with_autoincrement(table, create) if autoincrement else _without_autoincrement(table, create)
    )
    # The indexes and triggers made with CREATE statements (those of UNIQUE constraints come with the table).
    others = (
        connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger') AND sql IS NOT NULL "
            "ORDER BY type, name",
            (table,),
        )
        .scalars()
        .all()
    )
    columns = ", ".join(
        f'"{row[1]}"' for row in connection.exec_driver_sql(f'PRAGMA table_info("{table}")').all()
    )
    count = connection.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar_one()  # noqa: S608

    new_name = f"_rebuilt_{table}"
    head = re.match(rf'CREATE TABLE ("?){re.escape(table)}\1 \(', new_create)
    if head is None:
        raise RuntimeError(f"{table}: unexpected CREATE TABLE statement")
    connection.exec_driver_sql(f'CREATE TABLE "{new_name}" (' + new_create[head.end() :])
    connection.exec_driver_sql(
        f'INSERT INTO "{new_name}" ({columns}) SELECT {columns} FROM "{table}"'  # noqa: S608
    )
    # The planner's statistics (if ANALYZE was ever run) go with the table dropped; the new one has the
    # same rows and indexes, so they are put back as they were.
    statistics = _statistics(connection, table)
    connection.exec_driver_sql(f'DROP TABLE "{table}"')
    connection.exec_driver_sql(f'ALTER TABLE "{new_name}" RENAME TO "{table}"')
    for statement in others:
        connection.exec_driver_sql(statement)
    for row in statistics:
        connection.exec_driver_sql("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", tuple(row))
    copied = connection.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar_one()  # noqa: S608
    if copied != count:
        raise RuntimeError(f"{table}: {count} rows before the rebuild, {copied} after")


def _statistics(connection: sa.Connection, table: str) -> list[sa.Row]:
    kept = connection.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").first()
    if kept is None:
        return []
    return connection.exec_driver_sql("SELECT tbl, idx, stat FROM sqlite_stat1 WHERE tbl = ?", (table,)).all()


def _with_autoincrement(table: str, create: str) -> str:
    if create.count(ID_COLUMN) != 1 or len(PRIMARY_KEY.findall(create)) != 1:
        raise RuntimeError(f"{table}: its id column or primary key is not as expected")
    return PRIMARY_KEY.sub("", create.replace(ID_COLUMN, ID_COLUMN_AUTOINCREMENT))


def _without_autoincrement(table: str, create: str) -> str:
    if create.count(ID_COLUMN_AUTOINCREMENT) != 1 or not create.endswith("\n)"):
        raise RuntimeError(f"{table}: its id column is not as expected")
    create = create.replace(ID_COLUMN_AUTOINCREMENT, ID_COLUMN)
    last = len(create) - len("\n)")
    # SQLAlchemy puts the primary key after the columns, before the other constraints.
    first_constraint = re.search(r", \n\t(CONSTRAINT |UNIQUE |FOREIGN KEY|CHECK )", create)
    at = first_constraint.start() if first_constraint else last
    return create[:at] + ", \n\tPRIMARY KEY (id)" + create[at:]


def _counters_past_the_trail(connection: sa.Connection) -> None:
    """Move each table's counter past the highest id the audit trail names for its rows, deleted or not."""
    for object_type, table in TABLES.items():
        named = connection.exec_driver_sql(
            "SELECT max(CAST(object_id AS INTEGER)) FROM audit_event "
            "WHERE object_type = ? AND object_id GLOB '[0-9]*' AND object_id NOT GLOB '*[^0-9]*'",
            (object_type,),
        ).scalar()
        if named is None:
            continue
        counter = connection.exec_driver_sql(
            "SELECT seq FROM sqlite_sequence WHERE name = ?", (table,)
        ).first()
        if counter is None:
            connection.exec_driver_sql(
                "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, named)
            )
        elif counter[0] < named:
            connection.exec_driver_sql("UPDATE sqlite_sequence SET seq = ? WHERE name = ?", (named, table))
