"""Sign-in throttling, per account and per network address, from the recorded attempts."""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, request
from sqlmodel import select

from tracker.auth import rules
from tracker.auth.models import LoginAttempt
from tracker.core.db import db
from tracker.core.types import utcnow


def refusal(email: str) -> str | None:
    """The message to show instead of trying the password, or None when an attempt is allowed."""
    config = current_app.config
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    now = utcnow()
    since = now - window
    recent = select(LoginAttempt.at, LoginAttempt.succeeded).where(LoginAttempt.at > since)
    account_attempts = db.session.exec(recent.where(LoginAttempt.email == email)).all()
    # A successful sign-in wipes the account's slate; failures from the address still count.
    last_success = max((at for at, ok in account_attempts if ok), default=since)
    by_account = [at for at, ok in account_attempts if not ok and at > last_success]
    wait = rules.minutes_until_allowed(
        by_account, now=now, limit=config["LOGIN_MAX_FAILURES_PER_ACCOUNT"], window=window
    )
    if wait:
        return (
            f"There have been too many failed attempts to sign in to this account. "
            f"Wait {_minutes(wait)}, then try again."
        )
    by_address = [
        at for at, ok in db.session.exec(recent.where(LoginAttempt.ip_address == _address())) if not ok
    ]
    wait = rules.minutes_until_allowed(
        by_address, now=now, limit=config["LOGIN_MAX_FAILURES_PER_ADDRESS"], window=window
    )
    if wait:
        return (
            f"There have been too many failed attempts to sign in from your network. "
            f"Wait {_minutes(wait)}, then try again."
        )
    return None


def note(email: str, succeeded: bool) -> None:
    db.session.add(LoginAttempt(email=email, ip_address=_address(), succeeded=succeeded))


def _address() -> str:
    return request.remote_addr or "unknown"


def _minutes(count: int) -> str:
    return "1 minute" if count == 1 else f"{count} minutes"
