"""Signed-in sessions: starting one at sign-in, loading it on each request, ending it.

The browser's signed cookie holds only a random token; the session itself is a row in `user_session`,
so a new id is issued at every sign-in, an admin can end someone's sessions, and idle and absolute
timeouts hold across every worker.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, g, request, session
from sqlalchemy.orm import joinedload
from sqlmodel import select

from tracker.auth import rules
from tracker.auth.models import User, UserSession
from tracker.core import audit
from tracker.core.db import db
from tracker.core.types import utcnow

# Writing last_seen on every request would make every page a write; a minute's accuracy is plenty.
_TOUCH_EVERY = timedelta(seconds=60)

END_MESSAGES = {
    "idle": "You were signed out because you did not do anything for {idle} minutes. Sign in again.",
    "expired": "You were signed out because you had been signed in for {hours} hours. Sign in again.",
    "signed-out": "You have signed out.",
    "reset": "Your password was changed. Sign in with your new password.",
    "first-password": "Your password is set. Sign in with your email address and your new password.",
    "account-made": "Your account is ready. Sign in with your email address and your new password.",
    "password-changed": "Your password was changed in another browser. Sign in with your new password.",
    "admin": "You were signed out by an administrator.",
    "two-factor": (
        "You were signed out because your account now needs two-factor sign-in. Sign in again with your "
        "password, then a security code from your authenticator app (you will be shown how to set one up "
        "if you have not yet)."
    ),
    "access-granted": (
        "You were signed out because an administrator gave your account more access. Sign in again to use it."
    ),
}


def start(user: User, *, second_factor: bool) -> None:
    """Sign this person in: a fresh session id, whatever the browser held before. `second_factor`: they
    gave a security code as well as their password (a session without one ends once their roles need it)."""
    session.clear()
    token, token_hash = rules.new_token()
    db.session.add(
        UserSession(
            token_hash=token_hash,
            user_id=user.id,
            ip_address=request.remote_addr,
            user_agent=(request.user_agent.string or "")[:300],
            second_factor=second_factor,
        )
    )
    session["sid"] = token
    g.user = user


def load_current_user() -> None:
    """Before each request: find the signed-in person, ending the session if it has timed out, or if it
    was made with the password alone and the person's roles (as they are now) need two-factor sign-in."""
    g.user = None
    if request.endpoint == "static":
        return
    token = session.get("sid")
    if not token:
        return
    # One query for the session, its person, their agency and their roles (every page needs all four).
    row = (
        db.session.exec(
            select(UserSession)
            .where(UserSession.token_hash == rules.token_hash(token))
            .options(joinedload(UserSession.user).joinedload(User.role_rows))  # type: ignore[arg-type]
        )
        .unique()
        .first()
    )
    if row is None or not row.user.active:
        session.clear()
        return
    if row.ended_at is not None:
        # Ended by another request (or another worker) a moment ago: still say why.
        session.clear()
        session["ended"] = row.end_reason or "signed-out"
        return
    now = utcnow()
    reason = rules.session_end_reason(
        row.created_at,
        row.last_seen_at,
        now=now,
        idle=timedelta(minutes=current_app.config["SESSION_IDLE_MINUTES"]),
        maximum=timedelta(hours=current_app.config["SESSION_MAX_HOURS"]),
        needs_second_factor=row.user.two_factor_required,
        second_factor=row.second_factor,
    )
    if reason:
        row.ended_at = now
        row.end_reason = reason
        audit.record("sign-out", row.user, summary=f"session ended: {reason}", actor=row.user)
        session.clear()
        session["ended"] = reason
        db.session.commit()
        return
    if now - row.last_seen_at >= _TOUCH_EVERY:
        row.last_seen_at = now
    g.user = row.user
    g.user_session = row


def end(reason: str = "signed-out") -> None:
    row = g.get("user_session")
    if row is not None:
        row.ended_at = utcnow()
        row.end_reason = reason
    session.clear()
    session["ended"] = reason
    g.user = None


def end_all_for(user: User, reason: str = "admin", *, keep: UserSession | None = None) -> int:
    """End every open session of a person (after a password reset or change, or when an admin
    deactivates them), except `keep`: the session of someone changing their own password."""
    statement = select(UserSession).where(
        UserSession.user_id == user.id,
        UserSession.ended_at.is_(None),  # type: ignore[union-attr]
    )
    if keep is not None:
        statement = statement.where(UserSession.id != keep.id)
    rows = db.session.exec(statement).all()
    now = utcnow()
    for row in rows:
        row.ended_at = now
        row.end_reason = reason
    return len(rows)


def end_message() -> str | None:
    reason = session.pop("ended", None)
    if reason is None:
        return None
    return END_MESSAGES.get(reason, END_MESSAGES["signed-out"]).format(
        idle=current_app.config["SESSION_IDLE_MINUTES"], hours=current_app.config["SESSION_MAX_HOURS"]
    )
