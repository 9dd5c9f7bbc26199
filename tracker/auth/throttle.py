"""Sign-in throttling that slows guessing without locking the account's owner out.

Each attempt (a password, or a security code) is first *claimed*: counted against every earlier
pending or failed attempt and recorded as pending (or refused) in one transaction, one claim at a time
per account and per address, before anything is checked. However many attempts are sent at once,
exactly as many as the limit allows are checked and the rest are refused.

The limits, each over a sliding window:
- a browser that has signed in to this account before (it holds a signed device cookie naming the
  account) is limited only by its own failures: the owner's usual browser is never locked out by
  someone guessing elsewhere;
- any other browser is limited by the failures from its network address (the strictest limit), and by
  the account's failures from unrecognised browsers anywhere (a looser limit that slows a guesser who
  spreads attempts over many addresses).
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from flask import Response, current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import text
from sqlmodel import col, select

from tracker.auth import rules
from tracker.auth.models import LoginAttempt, User
from tracker.core.db import db
from tracker.core.types import utcnow

DEVICE_COOKIE = "tracker_device"
_DEVICE_DAYS = 365
_COUNTED = ("pending", "failed")


def claim(email: str, user: User | None) -> tuple[LoginAttempt, str | None]:
    """Record an attempt before checking it; the message to show instead, when it must be refused."""
    attempt = LoginAttempt(email=email, ip_address=_address(), device=_device_for(user), outcome="pending")
    _one_claim_at_a_time(email, attempt.ip_address)
    refusal = _refusal(attempt)
    attempt.outcome = "refused" if refusal else "pending"
    db.session.add(attempt)
    # Committed now, not with the rest of the request, so that the next claim for this account or
    # address (waiting on the lock above) counts this one.
    db.session.commit()
    return attempt, refusal


def _one_claim_at_a_time(email: str, address: str) -> None:
    """Claims for one account or one address are counted and recorded one after another.

    Counting and recording happen in one transaction, and no two such transactions for the same
    account or address overlap: on SQLite every write transaction already holds the database's write
    lock (BEGIN IMMEDIATE); on PostgreSQL a transaction-level advisory lock per account and per
    address does the same (taken in a fixed order, so two claims never wait on each other).
    """
    if db.engine.dialect.name != "postgresql":
        return
    for key in sorted({f"sign-in account {email.lower()}", f"sign-in address {address}"}):
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": key})


def failed(attempt: LoginAttempt) -> None:
    attempt.outcome = "failed"


def password_right(attempt: LoginAttempt) -> None:
    """The password was right and a security code is still to come: not a failure, not yet a success."""
    attempt.outcome = "password"


def succeeded(attempt: LoginAttempt | None, email: str) -> None:
    if attempt is None:
        attempt = LoginAttempt(email=email, ip_address=_address())
        db.session.add(attempt)
    attempt.outcome = "succeeded"
    attempt.succeeded = True


def _refusal(attempt: LoginAttempt) -> str | None:
    config = current_app.config
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    now = utcnow()
    counted = select(LoginAttempt.at).where(
        LoginAttempt.at > now - window,
        col(LoginAttempt.outcome).in_(_COUNTED),
    )
    if attempt.device is not None:
        failures = db.session.exec(counted.where(LoginAttempt.device == attempt.device)).all()
        wait = _wait(failures, config["LOGIN_MAX_FAILURES_PER_DEVICE"], now, window)
        if wait:
            return (
                f"There have been too many failed attempts to sign in from this browser. "
                f"Wait {wait}, then try again."
            )
        return None
    failures = db.session.exec(counted.where(LoginAttempt.ip_address == attempt.ip_address)).all()
    wait = _wait(failures, config["LOGIN_MAX_FAILURES_PER_ADDRESS"], now, window)
    if wait:
        return (
            f"There have been too many failed attempts to sign in from your network. Wait {wait}, then "
            "try again. A browser you have signed in with before can still sign in."
        )
    # A successful sign-in wipes the account's slate.
    last_success = db.session.scalar(
        select(LoginAttempt.at)
        .where(LoginAttempt.email == attempt.email, LoginAttempt.outcome == "succeeded")
        .order_by(col(LoginAttempt.at).desc())
        .limit(1)
    )
    account = counted.where(LoginAttempt.email == attempt.email, col(LoginAttempt.device).is_(None))
    if last_success is not None:
        account = account.where(LoginAttempt.at > last_success)
    wait = _wait(db.session.exec(account).all(), config["LOGIN_MAX_FAILURES_PER_ACCOUNT"], now, window)
    if wait:
        return (
            f"There have been too many failed attempts to sign in to this account. Wait {wait}, then "
            "try again. A browser you have signed in with before can still sign in."
        )
    return None


def _wait(failures, limit: int, now, window) -> str | None:
    minutes = rules.minutes_until_allowed(failures, now=now, limit=limit, window=window)
    if not minutes:
        return None
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


# The device cookie -------------------------------------------------------------------------------


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="sign-in device")


def _device_for(user: User | None) -> str | None:
    """This browser's device id, if it has signed in to this account before."""
    cookie = request.cookies.get(DEVICE_COOKIE)
    if user is None or not cookie:
        return None
    try:
        user_id, device = _serializer().loads(cookie)
    except (BadSignature, TypeError, ValueError):
        return None
    return device if user_id == user.id and isinstance(device, str) else None


def remember_device(response: Response, user: User) -> Response:
    """After a successful sign-in: mark this browser as one this account has signed in with."""
    device = _device_for(user) or secrets.token_urlsafe(16)
    response.set_cookie(
        DEVICE_COOKIE,
        _serializer().dumps([user.id, device]),
        max_age=_DEVICE_DAYS * 24 * 3600,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
        httponly=True,
        samesite="Lax",
    )
    return response


def _address() -> str:
    return request.remote_addr or "unknown"
