"""Finding and removing every mention of a disposed-of person in text: any text column of any table, JSON
included, and the outbox's stored emails (decoded first, as they may be base64 or quoted-printable). Used
by `tracker.retention.disposal`; the mentions are matched as whole words."""

from __future__ import annotations

import email
import email.policy
import re
from typing import Any

import sqlalchemy as sa
from sqlmodel import SQLModel, select

from tracker.core.audit import REDACTED
from tracker.core.models import OutboxMessage
from tracker.retention import packs

# Tables whose text is not about cases, or that are handled on their own: people's accounts and sign-in
# bookkeeping (a member of staff may share a name with the person), the trail (`audit.redact_entries`),
# the case itself and the minutes (redacted field by field first).
NOT_SCRUBBED = {
    "audit_event",
    "user",
    "agency",
    "login_attempt",
    "user_session",
    "password_reset",
    "feed_token",
    "setting",
    "mappa_case",
}


def pattern_for(terms: list[str]) -> re.Pattern[str]:
    # Whole words only: disposing of TST-00001 leaves TST-000012 alone.
    alternatives = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def scrub(value: Any, pattern: re.Pattern[str]) -> Any:
    """The value (text, or JSON of lists and dicts) with every mention replaced."""
    if isinstance(value, str):
        return pattern.sub(REDACTED, value)
    if isinstance(value, list):
        return [scrub(item, pattern) for item in value]
    if isinstance(value, dict):
        return {key: scrub(item, pattern) for key, item in value.items()}
    return value


# Emails, and any other text that names the person ------------------------------------------------------


def _message_text(raw: bytes) -> str:
    """An email's headers and text parts, decoded (bodies may be quoted-printable or base64)."""
    message = email.message_from_bytes(raw or b"", policy=email.policy.default)
    parts = [str(value) for value in message.values()]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            try:
                parts.append(part.get_content())
            except (LookupError, ValueError):
                parts.append(part.get_payload(decode=True).decode("utf-8", "replace"))
    return "\n".join(parts)


_ENCODED = (b"content-transfer-encoding: base64", b"quoted-printable", b"=?")


def _may_name(raw: bytes, needles: list[bytes]) -> bool:
    """Whether an email could name the person: a term in its raw bytes, or an encoded part or header
    (base64, quoted-printable, RFC 2047) that only decoding can tell. Parsing every email is slow."""
    lowered = (raw or b"").lower()
    return any(needle in lowered for needle in needles) or any(mark in lowered for mark in _ENCODED)


def remove_emails(connection: sa.Connection, terms: list[str], pattern: re.Pattern[str]) -> int:
    """Delete the outbox's copies of emails that name the person (sent or not: an unsent one that names
    them should not go either). Read in batches; the outbox is pruned of nothing else."""
    outbox = OutboxMessage.__table__
    needles = [term.lower().encode() for term in terms]
    doomed = []
    last_id = 0
    while True:
        rows = connection.execute(
            select(outbox.c.id, outbox.c.subject, outbox.c.summary, outbox.c.recipients, outbox.c.message)
            .where(outbox.c.id > last_id)
            .order_by(outbox.c.id)
            .limit(500)
        ).all()
        if not rows:
            break
        for row in rows:
            body = _message_text(row.message) if _may_name(row.message, needles) else ""
            text = "\n".join((row.subject or "", row.summary or "", row.recipients or "", body))
            if pattern.search(text):
                doomed.append(row.id)
        last_id = rows[-1].id
    if doomed:
        connection.execute(sa.delete(outbox).where(outbox.c.id.in_(doomed)))
    return len(doomed)


def _is_text(column: sa.Column) -> bool:
    kind = column.type
    if isinstance(kind, sa.Enum):
        return False
    if isinstance(kind, sa.types.TypeDecorator):
        kind = kind.impl_instance if hasattr(kind, "impl_instance") else kind.impl
    return isinstance(kind, (sa.String, sa.Text, sa.JSON)) and not isinstance(kind, sa.Enum)


def _json_forms(term: str) -> list[str]:
    import json

    escaped = json.dumps(term)[1:-1]
    return [term] if escaped == term else [term, escaped]


def scrub_everywhere(
    connection: sa.Connection,
    terms: list[str],
    pattern: re.Pattern[str],
    also_skip: frozenset[str] | set[str] = frozenset(),
) -> None:
    """Every other text column of every table: a mention of the person is replaced by "[disposed of]".
    Issued disclosure packs are left as sent (their own case's are erased by `packs.dispose_of_packs`)."""
    leave = packs.rows_to_leave()
    for table in SQLModel.metadata.sorted_tables:
        if table.name in NOT_SCRUBBED or table.name in also_skip:
            continue
        key = list(table.primary_key.columns)
        for column in (c for c in table.columns if _is_text(c) and not c.primary_key):
            is_json = isinstance(column.type, sa.JSON)
            searched = sa.cast(column, sa.Text) if is_json else column
            forms = [form for term in terms for form in (_json_forms(term) if is_json else [term])]
            condition = sa.or_(
                *(sa.func.lower(searched).contains(form.lower(), autoescape=True) for form in forms)
            )
            if table.name in leave:
                condition = sa.and_(condition, sa.not_(leave[table.name]))
            for row in connection.execute(select(*key, column).where(condition)).all():
                value = row[-1]
                cleaned = scrub(value, pattern)
                if cleaned != value:
                    where = sa.and_(*(c == row[n] for n, c in enumerate(key)))
                    connection.execute(sa.update(table).where(where).values({column.name: cleaned}))
