"""The whole area as a documented, versioned set of CSV files in one ZIP, and back again.

An area can take everything out (the Technology Code of Practice asks for open standards and no lock-in):
every table that holds the area's records, the audit trail included, one CSV file a table, with
`manifest.json` (format, version, schema revision, row counts) and `schema.json` (a JSON Schema per table:
columns, types, keys, references). `load` puts such a file into a new, empty installation.

No secret that signs someone in or opens a link leaves in it (the file goes to another organisation, and
the links it would carry work on this installation): sign-in sessions and attempts, password reset, feed
and evaluation links stay behind as whole tables; password hashes, two-factor keys, and the hashes of
account invitations' and minutes links' tokens and codes as columns (`WITHHELD`); and the stored emails
go without their one-time links (`REDACTED`). After an import everyone sets a new password through a
reset link, and a link sent before the export opens nothing there.

Text that a spreadsheet would run as a formula goes behind an apostrophe (`tracker.core.csvfile.safe_cell`,
as every CSV the tracker writes), which `load` takes off again (`unsafe_text`): the records come back as
they were.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import secrets
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel

from tracker.core import mail
from tracker.core.csvfile import safe_cell, unsafe_text
from tracker.core.db import db
from tracker.core.types import utcnow

FORMAT = "mappa-tracker-area-export"
FORMAT_VERSION = 1
# Tables that only make sense on the installation that wrote them.
LEFT_OUT = frozenset(
    {
        "alembic_version",
        "user_session",
        "login_attempt",
        "password_reset",
        "feed_token",
        "evaluation_link",
        "caseload_upload",
        "audit_erasure_permit",  # empty outside a disposal's transaction
    }
)
# Columns that sign people in or open a link sent from here: never exported. After an import a column
# that may be empty is; a token's hash (which must be there, and unique) is a random one that no link has.
WITHHELD = frozenset(
    {
        ("user", "password_hash"),
        ("user", "totp_secret"),
        ("account_invitation", "token_hash"),
        ("minutes_disclosure", "token_hash"),
        # The code's hash is of the token's hash and six digits: with the first, the code is found at once.
        ("minutes_disclosure", "code_hash"),
    }
)
# Columns exported changed: each value as the function gives it. A stored email keeps everything but its
# one-time links (password and account links, minutes and evaluation links), which work for whoever holds
# them; an email already sent was stored without them (tracker.core.sending), one waiting still has them.
REDACTED: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("outbox_message", "message"): mail.without_one_time_links,
}
REDACTED_NOTES = {
    ("outbox_message", "message"): f"every one-time link in the email's text replaced by {mail.LINK_REMOVED}",
}
NULL_NOTE = "An empty cell is no value (NULL), or empty text where the column does not allow NULL."
README = f"""MAPPA Tracker area export, format {FORMAT} version {FORMAT_VERSION}

tables/<name>.csv   one file a table: UTF-8 with a byte-order mark, a header row of column names.
manifest.json       the format and its version, the schema revision, when and where it was made,
                    the row count of each table and what was left out.
schema.json         a JSON Schema for each table's rows: each column's type, whether it may be empty,
                    the primary key and the columns that refer to other tables.

Values: whole numbers and decimals as digits; true/false; dates as YYYY-MM-DD; times as ISO 8601 in
UTC (2025-03-31T09:30:00+00:00); choices by their code name (LEVEL_2); lists and records as JSON;
stored emails (bytes) in base64.
{NULL_NOTE}
A cell whose text a spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage
return, and not a plain number) is written behind one apostrophe ('), so that opening a file in Excel runs
nothing; text already starting with apostrophes before such a character gains one too. Reading the file
back, take that one apostrophe off (the tracker's own import does).
Left out, because they sign people in or open links that work on the installation that made them:
sign-in sessions and attempts; password reset, calendar feed and evaluation links (whole tables); password
hashes and two-factor keys (user.password_hash, user.totp_secret: people set new ones after an import);
the hashes of account invitations' and agencies' minutes links' tokens and codes
(account_invitation.token_hash, minutes_disclosure.token_hash and code_hash: an import gives each link a
new random hash, so a link sent before opens nothing). Stored emails (outbox_message.message) are in the
file with every one-time link replaced by "{mail.LINK_REMOVED}". manifest.json lists all of these.
"""


def refusal(user) -> str | None:
    """Why this person may not make the export, if they may not: it holds every case, Category 4 included,
    so only someone cleared for terrorism cases makes it."""
    if user.terrorism_cleared:
        return None
    return (
        "The export holds every case, Category 4 included: only someone cleared for terrorism cases may "
        "make it. Ask a system admin who is cleared."
    )


def tables() -> list[sa.Table]:
    """The area's tables, each after every table it refers to (the order an import needs)."""
    return [table for table in SQLModel.metadata.sorted_tables if table.name not in LEFT_OUT]


def _columns(table: sa.Table) -> list[sa.Column]:
    return [column for column in table.columns if (table.name, column.name) not in WITHHELD]


# Writing ------------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return value.name
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _redacted(change: Callable[[Any], Any] | None, value: Any) -> Any:
    return value if change is None or value is None else change(value)


def _base(column: sa.Column) -> sa.types.TypeEngine:
    """The column's type as the database sees it (a UTC timestamp is a DateTime)."""
    kind = column.type
    return kind.impl if isinstance(kind, sa.types.TypeDecorator) else kind


def _json_type(column: sa.Column) -> dict[str, Any]:
    kind = _base(column)
    if isinstance(kind, sa.Enum):
        schema: dict[str, Any] = {"type": "string", "enum": list(kind.enums)}
    elif isinstance(kind, sa.Boolean):
        schema = {"type": "boolean"}
    elif isinstance(kind, sa.Integer):
        schema = {"type": "integer"}
    elif isinstance(kind, sa.Numeric):
        schema = {"type": "number"}
    elif isinstance(kind, sa.DateTime):
        schema = {"type": "string", "format": "date-time"}
    elif isinstance(kind, sa.Date):
        schema = {"type": "string", "format": "date"}
    elif isinstance(kind, sa.Time):
        # A time of day in London, with no offset (JSON Schema's "time" format would require one).
        schema = {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?$"}
    elif isinstance(kind, sa.JSON):
        schema = {"type": ["object", "array"], "contentMediaType": "application/json"}
    elif isinstance(kind, sa.LargeBinary):
        schema = {"type": "string", "contentEncoding": "base64"}
    else:
        schema = {"type": "string"}
        length = getattr(kind, "length", None)
        if length:
            schema["maxLength"] = length
    if column.nullable:
        schema["type"] = [*([schema["type"]] if isinstance(schema["type"], str) else schema["type"]), "null"]
    return schema


def schema() -> dict[str, Any]:
    """A JSON Schema (draft 2020-12) of every exported table's rows."""
    described = {}
    for table in tables():
        columns = _columns(table)
        described[table.name] = {
            "type": "object",
            "title": table.name,
            "description": (table.comment or "") + f" File: tables/{table.name}.csv.",
            "properties": {column.name: _json_type(column) for column in columns},
            "required": [column.name for column in columns if not column.nullable],
            "x-primary-key": [column.name for column in table.primary_key.columns],
            "x-references": {
                column.name: f"{fk.column.table.name}.{fk.column.name}"
                for column in columns
                for fk in column.foreign_keys
            },
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{FORMAT} version {FORMAT_VERSION}",
        "description": NULL_NOTE,
        "$defs": described,
    }


def _schema_revision() -> str | None:
    try:
        return db.session.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    except sa.exc.DatabaseError:
        return None


@dataclass(frozen=True)
class Export:
    data: bytes
    counts: dict[str, int]


def build(area: str) -> Export:
    """The whole area as a ZIP (in memory: an area's records are tens of megabytes at most)."""
    counts: dict[str, int] = {}
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for table in tables():
            columns = _columns(table)
            text = io.StringIO()
            text.write("\ufeff")
            writer = csv.writer(text, lineterminator="\r\n")
            writer.writerow([column.name for column in columns])
            statement = sa.select(*columns).order_by(*table.primary_key.columns)
            number = 0
            changes = [REDACTED.get((table.name, column.name)) for column in columns]
            for row in db.session.execute(statement):
                writer.writerow(
                    [safe_cell(_text(_redacted(c, value))) for c, value in zip(changes, row, strict=True)]
                )
                number += 1
            counts[table.name] = number
            archive.writestr(f"tables/{table.name}.csv", text.getvalue())
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_revision": _schema_revision(),
            "area": area,
            "made_at": utcnow().isoformat(),
            "tables": counts,
            "left_out_tables": sorted(LEFT_OUT - {"alembic_version"}),
            "withheld_columns": [f"{table}.{column}" for table, column in sorted(WITHHELD)],
            "redacted_columns": {".".join(key): note for key, note in REDACTED_NOTES.items()},
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
        archive.writestr("schema.json", json.dumps(schema(), indent=2))
        archive.writestr("README.txt", README)
    return Export(out.getvalue(), counts)


# Reading ------------------------------------------------------------------------------------------------


class ImportRefused(Exception):
    """The file cannot go into this database; the message says why."""


def _value(column: sa.Column, text: str) -> Any:
    if text == "":
        return None if column.nullable else ("" if _is_text(column) else None)
    kind = _base(column)
    if isinstance(kind, sa.Enum):
        return text
    if isinstance(kind, sa.Boolean):
        return text == "true"
    if isinstance(kind, sa.Integer):
        return int(text)
    if isinstance(kind, sa.Numeric):
        return Decimal(text)
    if isinstance(kind, sa.JSON):
        return json.loads(text)
    if isinstance(kind, sa.LargeBinary):
        return base64.b64decode(text)
    if isinstance(kind, sa.DateTime):
        return datetime.fromisoformat(text)
    if isinstance(kind, sa.Date):
        return date.fromisoformat(text)
    if isinstance(kind, sa.Time):
        return time.fromisoformat(text)
    return text


def _is_text(column: sa.Column) -> bool:
    kind = _base(column)
    return isinstance(kind, sa.String | sa.Text) and not isinstance(kind, sa.Enum)


def load(data: bytes) -> dict[str, int]:
    """Put an export into this installation, which must have no accounts yet (a new one): the tables'
    rows with their ids, in one transaction (the caller commits). Returns the rows loaded per table."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        manifest = json.loads(archive.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ImportRefused(
            "The file is not a MAPPA Tracker area export (a ZIP with manifest.json)"
        ) from error
    if manifest.get("format") != FORMAT or manifest.get("format_version") != FORMAT_VERSION:
        raise ImportRefused(f"The file is not {FORMAT} version {FORMAT_VERSION}")
    if manifest.get("schema_revision") != _schema_revision():
        raise ImportRefused(
            f"The file was made at schema revision {manifest.get('schema_revision')}; this installation "
            f"is at {_schema_revision()}. Bring both to the same version first"
        )
    session = db.session
    user = SQLModel.metadata.tables["user"]
    if session.execute(sa.select(sa.func.count()).select_from(user)).scalar():
        raise ImportRefused("This installation already has accounts: import only into a new, empty one")
    ordered = tables()
    # A new installation holds only what its migrations wrote (the default evaluation form): the file's
    # rows replace it. The audit trail, which cannot be deleted from, is empty there.
    for table in reversed(ordered):
        if table.name != "audit_event":
            session.execute(table.delete())
    loaded = {}
    for table in ordered:
        try:
            text = archive.read(f"tables/{table.name}.csv").decode("utf-8-sig")
        except KeyError as error:
            raise ImportRefused(f"The file has no tables/{table.name}.csv") from error
        reader = csv.reader(io.StringIO(text))
        header = next(reader, [])
        columns = {column.name: column for column in _columns(table)}
        if set(header) != set(columns):
            raise ImportRefused(f"tables/{table.name}.csv does not have the columns of {table.name}")
        stand_ins = _stand_ins(table)
        rows = [
            {name: _value(columns[name], unsafe_text(cell)) for name, cell in zip(header, row, strict=True)}
            | {name: make() for name, make in stand_ins.items()}
            for row in reader
        ]
        for start in range(0, len(rows), 1000):
            session.execute(table.insert(), rows[start : start + 1000])
        loaded[table.name] = len(rows)
    _restart_ids(ordered)
    return loaded


def _stand_ins(table: sa.Table) -> dict[str, Callable[[], str]]:
    """For each withheld column of the table that must have a value (a link's token hash): a random hash
    of no token, so the imported record is whole and its link opens nothing."""
    return {
        column.name: lambda: secrets.token_hex(32)
        for column in table.columns
        if (table.name, column.name) in WITHHELD and not column.nullable
    }


def _restart_ids(ordered: list[sa.Table]) -> None:
    """PostgreSQL's id sequences carry on after the highest id loaded (SQLite's do by themselves)."""
    if db.session.get_bind().dialect.name != "postgresql":
        return
    for table in ordered:
        key = list(table.primary_key.columns)
        if len(key) != 1 or not isinstance(key[0].type, sa.Integer):
            continue
        following = sa.select(sa.func.coalesce(sa.func.max(key[0]), 0) + 1).scalar_subquery()
        sequence = sa.func.pg_get_serial_sequence(f'"{table.name}"', key[0].name)
        db.session.execute(sa.select(sa.func.setval(sequence, following, False)))
