"""Telling the other system admins that something waits for their confirmation (a role, clearance or new
email address another admin asked for, `grants.ask`, or an agency's new secure mailbox,
`grants.ask_mailbox`): otherwise it shows only on their home page, which they may not open for days.

Each active admin who could confirm it (`grants.why_not`, `grants.why_not_mailbox`: never the admin who
asked nor the person it is for, a cleared admin only for a clearance or a cleared account) is emailed once
for the requests a save makes, with a link to each, unless they turned these emails off under Your
account. The email names the account or agency and what is asked for, never a case."""

from __future__ import annotations

from flask import current_app, render_template, url_for
from sqlmodel import col, select

from tracker.admin import grants
from tracker.auth.models import AccessGrant, MailboxChange, User, UserRole
from tracker.core import mail
from tracker.core.db import db
from tracker.core.permissions import ROLE_PERMISSIONS, Permission
from tracker.meetings import follow_up


def tell_about_grants(made: list[AccessGrant]) -> None:
    """Email the admins who could confirm these requests (made by one save) that they wait for them."""
    if not made:
        return
    db.session.flush()
    for admin in _admins(Permission.MANAGE_USERS):
        theirs = [grant for grant in made if grants.why_not(admin, grant) is None]
        listed = [
            (f"the {grant.in_sentence} for {grant.user.name}", _link("admin.grant_view", grant_id=grant.id))
            for grant in theirs
        ]
        _send(admin, made[0].requested_by, listed, about=made[0])


def tell_about_mailbox(change: MailboxChange) -> None:
    """Email the admins who could confirm this agency's new secure mailbox that it waits for them."""
    db.session.flush()
    link = _link("admin.agency_edit", agency_id=change.agency_id)
    for admin in _admins(Permission.MANAGE_AGENCIES):
        if grants.why_not_mailbox(admin, change) is None:
            listed = [(f"the {change.in_sentence} for {change.agency.name}", link)]
            _send(admin, change.requested_by, listed, about=change)


def _admins(permission: Permission) -> list[User]:
    """The active accounts with a role that gives this permission, by name."""
    roles = [role for role, given in ROLE_PERMISSIONS.items() if permission in given]
    holders = select(UserRole.user_id).where(col(UserRole.role).in_(roles))
    statement = select(User).where(col(User.id).in_(holders), col(User.active).is_(True)).order_by(User.name)
    return list(db.session.exec(statement))


def _link(endpoint: str, **values) -> str:
    return current_app.config["BASE_URL"].rstrip("/") + url_for(endpoint, **values)


def _send(admin: User, asker: User, listed: list[tuple[str, str]], about: object) -> None:
    if not listed or not follow_up.wants(admin, follow_up.SECOND_ADMIN_REQUESTS):
        return
    one = len(listed) == 1
    subject = "A MAPPA Tracker request waits" if one else "MAPPA Tracker requests wait"
    message = mail.new_message(admin.email, f"{subject} for your confirmation")
    body = render_template("admin/email/waiting_for_you.txt", admin=admin, asker=asker, listed=listed)
    message.set_content(body)
    mail.queue(message, about=about, summary=f"request waiting for a second admin, to user {admin.id}")
