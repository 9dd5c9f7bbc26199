"""A second system admin refusing access another admin asked for (a role, clearance or a new email address),
saying why: nothing is granted, the admin who asked is emailed who refused it and why (through the outbox),
and the audit trail's "access refused" entry keeps the reason, which the request's page, the account's page
and the asking admin's home page read from it.

The person the request was for is not told: nothing changed for them (a refused new email address leaves
their address, and where their emails and password links go, as it was), and a message to the new address
would go to whoever reads it, who may be the one the four eyes kept out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, url_for
from sqlmodel import col, select

from tracker.admin import grants, rules
from tracker.auth.models import AccessGrant, GrantOutcome, MailboxChange, User
from tracker.core import audit
from tracker.core.db import db
from tracker.core.models import AuditEvent
from tracker.core.types import utcnow

REFUSED = "access refused"
# How many of an account's refused requests its page lists, newest first.
LISTED = 5


@dataclass(frozen=True)
class Refusal:
    """A refused request, who refused it (None if their account is gone) and why ("" for one refused
    before a reason was asked for)."""

    grant: AccessGrant
    by: User | None
    reason: str


def refuse(actor: User, grant: AccessGrant, reason: str) -> User | None:
    """Refuse the request, saying why. The admin who asked withdraws it instead (`grants.turn_down`), and
    needs give no reason. Returns the admin who asked, if they were emailed (not when their account is
    deactivated)."""
    asker, reason = _refused(actor, grant, reason)
    if asker is not None:
        _tell_who_asked(asker, grant, actor, reason)
    return asker


def refuse_mailbox(actor: User, change: MailboxChange, reason: str) -> User | None:
    """Refuse a new secure mailbox another admin asked for, saying why, as `refuse` a request for access:
    the agency keeps its mailbox, the trail keeps the reason, and the admin who asked is emailed it (not
    when their account is deactivated; then None)."""
    from tracker.admin.mail import send_mailbox_refused

    asker, reason = _refused(actor, change, reason)
    if asker is not None:
        page = url_for("admin.agency_edit", agency_id=change.agency_id)
        link = current_app.config["BASE_URL"].rstrip("/") + page
        send_mailbox_refused(asker, change, by=actor, reason=reason, link=link)
    return asker


def _refused(actor: User, request: AccessGrant | MailboxChange, reason: str) -> tuple[User | None, str]:
    """Refuse a waiting request another admin made, keeping the reason in the trail: the admin who asked
    (None when their account is deactivated, so no one is emailed) and the reason as kept."""
    if request.outcome is not GrantOutcome.WAITING:
        raise grants.Refused(f"This request was {request.outcome.label.lower()} already")
    if actor.id == request.requested_by_id:
        raise grants.Refused("You asked for this: withdraw it instead")
    if problem := rules.refusal_problem(reason):
        raise grants.Refused(problem)
    reason = reason.strip()
    grants.turn_down(actor, request)
    audit.record(REFUSED, request, justified_by="refusal", reason=reason)
    return (request.requested_by if request.requested_by.active else None), reason


def _tell_who_asked(asker: User, grant: AccessGrant, by: User, reason: str) -> None:
    from tracker.admin.mail import send_grant_refused

    link = current_app.config["BASE_URL"].rstrip("/") + url_for("admin.grant_view", grant_id=grant.id)
    send_grant_refused(asker, grant, by=by, reason=reason, link=link)


def refusal_of(grant: AccessGrant) -> Refusal | None:
    """The refusal of this request, if it was refused."""
    if grant.outcome is not GrantOutcome.REFUSED:
        return None
    return _with_reasons([grant])[0]


def refusals_of(user: User) -> list[Refusal]:
    """The latest requests for this account that a second admin refused, newest first."""
    found = db.session.exec(
        select(AccessGrant)
        .where(AccessGrant.user_id == user.id, AccessGrant.outcome == GrantOutcome.REFUSED)
        .order_by(col(AccessGrant.decided_at).desc(), col(AccessGrant.id).desc())
        .limit(LISTED)
    )
    return _with_reasons(list(found))


def refusals_for_asker(user: User, now: datetime | None = None) -> list[Refusal]:
    """The requests this admin asked for that a second admin refused lately, newest first (their home page
    shows them for `rules.REFUSAL_SHOWN_DAYS`)."""
    since = (now or utcnow()) - timedelta(days=rules.REFUSAL_SHOWN_DAYS)
    found = db.session.exec(
        select(AccessGrant)
        .where(
            AccessGrant.requested_by_id == user.id,
            AccessGrant.outcome == GrantOutcome.REFUSED,
            col(AccessGrant.decided_at) >= since,
        )
        .order_by(col(AccessGrant.decided_at).desc(), col(AccessGrant.id).desc())
    )
    return _with_reasons(list(found))


def _with_reasons(found: list[AccessGrant]) -> list[Refusal]:
    """Each refused request with who refused it and the reason its "access refused" entry keeps (two
    queries, however many)."""
    if not found:
        return []
    ids = [str(grant.id) for grant in found]
    entries = db.session.exec(
        select(AuditEvent.object_id, AuditEvent.reason)
        .where(
            AuditEvent.action == REFUSED,
            AuditEvent.object_type == AccessGrant.__name__,
            col(AuditEvent.object_id).in_(ids),
        )
        .order_by(col(AuditEvent.id))
    )
    reasons = dict(entries.all())  # the latest entry of a request wins (there is one)
    deciders = {grant.decided_by_id for grant in found if grant.decided_by_id is not None}
    users = {user.id: user for user in db.session.exec(select(User).where(col(User.id).in_(deciders)))}
    return [Refusal(grant, users.get(grant.decided_by_id), reasons.get(str(grant.id), "")) for grant in found]
