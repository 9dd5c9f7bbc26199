"""The audit trail: who did what, to which object, when and from where.

Creates, changes and deletes of audited models are recorded automatically when the session flushes;
views record what a flush cannot see (sign-ins, views of case data, exports) with `record`.

An entry about case data also records the case and the meeting it concerns (a model says which with
`audit_scope()`), so that the trail shows it only to people who may see that case or meeting.

To the standard of section 62 of the Data Protection Act 2018, a consultation (`view`) says how it was
justified (the person's role on the case, or the reason they gave: `tracker.meetings.justification` puts
it on `g.justification` before the view runs), and a disclosure (`export`) names who received the data
and why (`tracker.core.downloads` puts them on `g.disclosure`). An erasure says what was erased, never
what it held (`record_erasure`); disposal replaces the person's name and identifiers in earlier entries
(`redact_entries`), the one change an entry may undergo, and marks each entry it changed.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from flask import g, has_request_context, request
from sqlalchemy.orm import Session as OrmSession

from tracker.core.db import READ_METHODS
from tracker.core.models import AuditErasurePermit, AuditEvent
from tracker.core.types import utcnow

# Models whose changes need no entry of their own (they are the trail, or bookkeeping of sign-in).
# A model can also opt out with `__audited__ = False` (anonymous evaluation answers, whose entries
# would name who answered, when and from where).
_NOT_AUDITED = {"AuditEvent", "AuditErasurePermit", "UserSession", "LoginAttempt"}

# Entries that record someone reading data (a page, a download), as against changing it.
CONSULTATIONS = {"view", "export"}
# The operations the log review searches by, named as section 62 of the Data Protection Act 2018 names
# them (collection, alteration, consultation, disclosure, combination, erasure), then the account's own.
OPERATIONS = {
    "view": "Consultation: a page of case data or a personal record opened",
    "reason given": "Justification: a reason given for opening a case or a meeting's minutes",
    "export": "Disclosure: a file downloaded",
    "distribute": "Disclosure: approved minutes distributed",
    "email sent": "Disclosure: an email sent",
    "minutes link sent": "Disclosure: a minutes link sent to an agency mailbox",
    "minutes disclosed": "Disclosure: minutes opened by an agency mailbox",
    "disclosure": "Disclosure: a disclosure pack issued to its requester",
    "create": "Collection: a record added",
    "import": "Combination: a caseload brought in",
    "update": "Alteration: a record changed",
    "delete": "Erasure: a record deleted",
    "erase": "Erasure: personal data disposed of under a retention rule",
    "sign-in": "Account: signed in",
    "sign-in failed": "Account: sign-in failed",
    "sign-out": "Account: signed out",
}
# The texts of an entry that may name a disposed-of person, in which disposal replaces their name and
# identifiers with REDACTED (migration 0039), marking the entry `redacted_at`.
REDACTED_TEXTS = ("summary", "reason", "recipient")
REDACTED = "[disposed of]"
# The entry written when someone gives their reason for opening a case they have no part in.
REASON_GIVEN = "reason given"


def _audited(obj: Any) -> bool:
    return (
        type(obj).__name__ not in _NOT_AUDITED
        and hasattr(obj, "__table__")
        and getattr(type(obj), "__audited__", True)
    )


def _actor(user: Any = None) -> tuple[int | None, str, str | None]:
    in_request = has_request_context()
    user = user or (g.get("user") if in_request else None)
    address = request.remote_addr if in_request else None
    if user is not None:
        return user.id, user.email, address
    if in_request and g.get("command"):  # a command that renders links in a request context of its own
        return None, f"system ({g.command})", None
    return None, "anonymous" if in_request else "system (command line)", address


def describe(obj: Any) -> tuple[str, str | None, str]:
    """The type, id and a short label of a model instance, for the trail. A table keyed by something else
    than an `id` (a setting, by its key) is named by that key."""
    object_id = getattr(obj, "id", None)
    if object_id is None and hasattr(obj, "__table__") and not hasattr(obj, "id"):
        keys = [getattr(obj, column.name, None) for column in obj.__table__.primary_key.columns]
        object_id = "/".join(str(key) for key in keys) if None not in keys else None
    label_fn = getattr(obj, "audit_label", None)
    label = label_fn() if callable(label_fn) else ""
    return type(obj).__name__, None if object_id is None else str(object_id), label


def described(object_type: str | None, object_id: str | None) -> Any:
    """The record `describe` named, where it still exists: for an entry written later than the request
    that knew the record (the email sender's), so that the entry has the record's case and meeting."""
    from sqlmodel import SQLModel

    from tracker.core.db import db

    if not object_type or not object_id or not object_id.isdigit():
        return None
    model = next((m.class_ for m in SQLModel._sa_registry.mappers if m.class_.__name__ == object_type), None)
    return db.session.get(model, int(object_id)) if model is not None else None


def scope(obj: Any, connection: sa.Connection | None = None) -> tuple[int | None, int | None]:
    """The case id and meeting id an object's entries concern, from its `audit_scope()` if it has one.

    A model may give either as a plain id or as a scalar SELECT (for one whose case or meeting is found
    through a parent), run here on the given connection.
    """
    scope_fn = getattr(obj, "audit_scope", None)
    if not callable(scope_fn):
        return None, None
    resolved = []
    for value in scope_fn():
        if isinstance(value, sa.ClauseElement):
            from tracker.core.db import db

            value = (connection or db.session.connection()).scalar(value)
        resolved.append(value)
    return resolved[0], resolved[1]


def record(
    action: str,
    obj: Any = None,
    *,
    summary: str = "",
    object_type: str | None = None,
    object_id: Any = None,
    session: OrmSession | None = None,
    actor: Any = None,
    justified_by: str = "",
    reason: str = "",
    recipient: str = "",
    case_id: int | None = None,
    meeting_id: int | None = None,
) -> AuditEvent:
    """Add an entry to the trail in the current request's session (committed with the request).

    `actor` names the person when nobody is signed in yet (a failed sign-in, a timed-out session). A
    consultation or disclosure without its own justification or recipient takes the request's.
    """
    from tracker.core.db import db

    if has_request_context() and action in CONSULTATIONS:
        if not justified_by:
            justification = g.get("justification", ("", ""))
            if callable(justification):  # worked out once, from what the page has loaded (`obj`)
                justification = g.justification = justification(obj)
            justified_by, reason = justification
        if action == "export" and not recipient:
            from tracker.core.downloads import disclosure_details

            recipient, reason = disclosure_details()  # or the person is asked first
            justified_by = "disclosure"
    if obj is not None:
        object_type, found_id, label = describe(obj)
        object_id = found_id if object_id is None else object_id
        summary = summary or label
        scoped_case_id, scoped_meeting_id = scope(obj, session.connection() if session is not None else None)
        case_id = scoped_case_id if case_id is None else case_id  # a case the caller names is more exact
        meeting_id = scoped_meeting_id if meeting_id is None else meeting_id
    user_id, actor_label, address = _actor(actor)
    event = AuditEvent(
        user_id=user_id,
        actor=actor_label,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        summary=summary,
        ip_address=address,
        case_id=case_id,
        meeting_id=meeting_id,
        justified_by=justified_by,
        reason=reason[:500],
        recipient=recipient[:255],
    )
    reading = has_request_context() and request.method in READ_METHODS
    if session is None and reading and action in CONSULTATIONS:
        # A page's own entry is added as the request commits (`add_deferred`), so that on SQLite the page
        # takes the write lock for its entry alone, not for the rest of the page (tracker.core.db).
        g.setdefault("audit_deferred", []).append(event)
    else:
        (session or db.session).add(event)
    if action in CONSULTATIONS and has_request_context():
        g.audit_consulted = True
        if action == "export" and event.recipient and event.reason:
            g.audit_disclosed = True
    return event


def add_deferred() -> None:
    """Add the entries a page read has logged to the request's session, which then commits them."""
    from tracker.core.db import db

    for event in g.pop("audit_deferred", []):
        db.session.add(event)


def _changed_fields(obj: Any) -> list[str]:
    state = sa.inspect(obj)
    return sorted(attr.key for attr in state.attrs if attr.history.has_changes())


@contextmanager
def paused(session: OrmSession):
    """Record no entries for what the session flushes meanwhile: bookkeeping that moves rows without
    changing what the record says (a correction's draft put into the live rows for a request and taken
    out again, which the draft's own changes are recorded without)."""
    session.flush()  # what was changed before is recorded
    session.info["audit_paused"] = True
    try:
        yield
        session.flush()
    finally:
        session.info.pop("audit_paused", None)


def _created(obj: Any) -> str:
    """What a model's creation entry says beyond its label, if it says (`audit_created()`): the details
    of a record whose later changes are only named."""
    created = getattr(obj, "audit_created", None)
    return created() if callable(created) else ""


def _collect_changes(session: OrmSession, _context, _instances) -> None:
    if session.info.get("audit_paused"):
        return
    pending = session.info.setdefault("audit_pending", [])
    for obj in session.new:
        if _audited(obj):
            pending.append(("create", obj, _created(obj)))
    for obj in session.dirty:
        if not _audited(obj):
            continue
        fields = _changed_fields(obj)
        if fields:
            pending.append(("update", obj, "changed: " + ", ".join(fields)))
    for obj in session.deleted:
        if _audited(obj):
            # Described now: once deleted, the object and the rows its scope is found through are gone.
            pending.append(("delete", (*describe(obj), *scope(obj, session.connection())), ""))


def _write_changes(session: OrmSession, _context) -> None:
    pending = session.info.pop("audit_pending", [])
    if not pending:
        return
    user_id, actor, address = _actor()
    rows = []
    connection = session.connection()
    for action, obj, note in pending:
        if isinstance(obj, tuple):
            object_type, object_id, label, case_id, meeting_id = obj
        else:
            object_type, object_id, label = describe(obj)
            case_id, meeting_id = scope(obj, connection)
        summary = "; ".join(part for part in (label, note) if part)
        rows.append(
            {
                "at": utcnow(),
                "user_id": user_id,
                "actor": actor,
                "action": action,
                "object_type": object_type,
                "object_id": object_id,
                "summary": summary,
                "ip_address": address,
                "case_id": case_id,
                "meeting_id": meeting_id,
            }
        )
    connection.execute(sa.insert(AuditEvent), rows)


def init_app(_app) -> None:
    """Every ORM session records its changes in the audit trail as it flushes."""
    from tracker.core.db import listen

    listen(OrmSession, "before_flush", _collect_changes)
    listen(OrmSession, "after_flush", _write_changes)


# Erasure ------------------------------------------------------------------------------------------------

ERASE = "erase"


def record_erasure(object_type: str, object_id: Any, rule: str, case_id: int | None = None) -> AuditEvent:
    """Log that a record's personal data was erased: its type, id and the rule applied (the reason, which
    the trail shows after "Retention rule: "), never what was erased (section 62 of the Data Protection Act
    2018 asks for the erasure to be logged; repeating the content would undo it). A record of a case (a
    disclosure pack) names the case, so the entry is read only by those who may see it."""
    return record(
        ERASE,
        object_type=object_type,
        object_id=object_id,
        summary=f"retention rule: {rule}",
        justified_by="retention rule",
        reason=rule,
        case_id=int(object_id) if object_type == "Case" else case_id,
    )


def redact_entries(record_label: str, terms: list[str], pattern: re.Pattern[str]) -> int:
    """Replace a disposed person's name and identifiers (`terms`, found as whole words by `pattern`) with
    "[disposed of]" in the summaries, reasons and recipients of the trail's entries (about their case or
    any other: a live case's agenda sent to "Solicitor acting for" them), and mark each entry changed
    (`redacted_at`, which the trail's pages show). The rest of each text stays as written, so a reason
    chosen from the area's list, or the recipient of another case's papers, still reads; who did what,
    when and to which object stays too. Returns how many entries changed.

    The one change the trail allows, and itself logged ("erase", on AuditEvent, with the count). On
    PostgreSQL the application role may not UPDATE the trail at all: it calls `redact_audit_entries`, a
    SECURITY DEFINER function owned by the schema's owner that makes the replacement itself (so the role
    can take words out of an entry, never write its own), and the append-only trigger lets only that
    through (migration 0039). On SQLite the trigger lets such an update through only while a row of
    `audit_erasure_permit` exists, added and removed here in the transaction.
    """
    from tracker.core.db import db

    connection = db.session.connection()
    trail = AuditEvent.__table__
    texts = [trail.c[name] for name in REDACTED_TEXTS]
    mentions = [
        sa.func.lower(text).contains(term.lower(), autoescape=True) for text in texts for term in terms
    ]
    rows = connection.execute(sa.select(trail.c.id, *texts).where(sa.or_(sa.false(), *mentions))).all()
    changes = []
    for row in rows:
        redacted = {name: _redacted(trail.c[name], getattr(row, name), pattern) for name in REDACTED_TEXTS}
        if any(redacted[name] != getattr(row, name) for name in REDACTED_TEXTS):
            changes.append({"entry": row.id, **{f"new_{name}": value for name, value in redacted.items()}})
    if connection.dialect.name == "postgresql":
        return connection.execute(
            sa.text("SELECT redact_audit_entries(:record, CAST(:ids AS integer[]), CAST(:terms AS text[]))"),
            {"record": record_label, "ids": [change["entry"] for change in changes], "terms": terms},
        ).scalar_one()
    new_texts = {name: sa.bindparam(f"new_{name}") for name in REDACTED_TEXTS}
    connection.execute(sa.insert(AuditErasurePermit.__table__).values(case_id=0))
    try:
        if changes:
            connection.execute(
                sa.update(trail)
                .where(trail.c.id == sa.bindparam("entry"))
                .values(redacted_at=utcnow(), **new_texts),
                changes,
            )
    finally:
        connection.execute(sa.delete(AuditErasurePermit.__table__))
    connection.execute(sa.insert(trail).values(**redaction_log_entry(record_label, len(changes))))
    return len(changes)


def _redacted(column: sa.Column, text: str, pattern: re.Pattern[str]) -> str:
    """The text with the terms replaced, within the column's length: one the mark makes too long is cut
    short and ends with the mark (as PostgreSQL's function does)."""
    redacted = pattern.sub(REDACTED, text)
    limit = getattr(column.type, "length", None)
    if limit and len(redacted) > limit:
        return redacted[: limit - len(REDACTED)] + REDACTED
    return redacted


def redaction_log_entry(record_label: str, redacted: int) -> dict[str, Any]:
    """The entry that logs a redaction of the trail (PostgreSQL's function writes the same)."""
    return {
        "at": utcnow(),
        "actor": "system (audit erasure)",
        "action": ERASE,
        "object_type": "AuditEvent",
        "summary": f'names and identifiers of the person replaced with "{REDACTED}" in {redacted} entries '
        f"on disposal of {record_label}",
    }
