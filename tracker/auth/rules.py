"""Rules for passwords, sign-in throttling, session lifetimes and one-time codes, over plain values."""

from __future__ import annotations

import hashlib
import math
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

import pyotp
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from zxcvbn import zxcvbn
from zxcvbn.frequency_lists import FREQUENCY_LISTS

MINIMUM_PASSWORD_LENGTH = 12
MAXIMUM_PASSWORD_LENGTH = 256

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
_COMMON_PASSWORDS = frozenset(FREQUENCY_LISTS["passwords"])  # the 30,000 most common, from zxcvbn
_PADDING = "0123456789!@#$%^&*()-_=+.,?~ "
# zxcvbn's score 3 means "safely unguessable": about 10^8 guesses or more against its bundled lists of
# breached passwords, words and names, keyboard patterns, sequences, repeats and dates.
_MINIMUM_STRENGTH = 3
_STRENGTH_CHECKED_CHARACTERS = 100  # zxcvbn slows sharply on very long input; a longer phrase is strong
# Verified against when the account does not exist, so a wrong email takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(stored_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash or _DUMMY_HASH, password) and stored_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _hasher.check_needs_rehash(stored_hash)


def password_problem(password: str, *, email: str = "", name: str = "") -> str | None:
    """Why a new password is refused, or None. Length and commonness only: no composition rules."""
    if len(password) < MINIMUM_PASSWORD_LENGTH:
        return f"Password must be {MINIMUM_PASSWORD_LENGTH} characters or more"
    if len(password) > MAXIMUM_PASSWORD_LENGTH:
        return f"Password must be {MAXIMUM_PASSWORD_LENGTH} characters or fewer"
    folded = password.lower()
    # "Dragon2026!!" is "dragon" with padding: the padding adds little that guessers do not try first.
    core = folded.strip(_PADDING)
    if folded in _COMMON_PASSWORDS or core in _COMMON_PASSWORDS or _is_repetitive(core or folded):
        return "Password is too common. Try a longer phrase of unrelated words"
    personal = {email.lower(), email.lower().split("@")[0], name.lower().replace(" ", "")} - {""}
    if any(part and part in folded.replace(" ", "") for part in personal if len(part) >= 4):
        return "Password must not contain your name or email address"
    strength = zxcvbn(password[:_STRENGTH_CHECKED_CHARACTERS], user_inputs=sorted(personal))
    if strength["score"] < _MINIMUM_STRENGTH:
        return (
            "Password is too easy to guess: it is like passwords found in data breaches. "
            "Try a longer phrase of three or four unrelated words"
        )
    return None


def _is_repetitive(password: str) -> bool:
    """A long password made of one short piece repeated, like "aaaaaaaaaaaa" or "abcabcabcabc"."""
    return any((password[:size] * len(password))[: len(password)] == password for size in range(1, 4))


def minutes_until_allowed(
    failures: Iterable[datetime], *, now: datetime, limit: int, window: timedelta
) -> int | None:
    """Minutes to wait before another attempt, when `limit` failures fall inside the window; else None."""
    recent = sorted(at for at in failures if now - at < window)
    if len(recent) < limit:
        return None
    # The wait ends when enough of the recent failures have aged out of the window.
    frees_at = recent[len(recent) - limit] + window
    return max(1, math.ceil((frees_at - now).total_seconds() / 60))


def session_end_reason(
    created_at: datetime,
    last_seen_at: datetime,
    *,
    now: datetime,
    idle: timedelta,
    maximum: timedelta,
    needs_second_factor: bool = False,
    second_factor: bool = False,
) -> str | None:
    """Why a signed-in session is over ('two-factor', 'expired' or 'idle'), or None while it is still good.

    'two-factor': the person's roles need a security code at sign-in (`needs_second_factor`, now: a role
    may have been given since) and this session was made without one (`second_factor`). Signing in again
    asks for the code, or has them set two-factor sign-in up first.
    """
    if needs_second_factor and not second_factor:
        return "two-factor"
    if now - created_at >= maximum:
        return "expired"
    if now - last_seen_at >= idle:
        return "idle"
    return None


def never_had_a_password(password_hash: str | None, password_changed_at: datetime | None) -> bool:
    """Whether an account has never had a password: one an admin made, not yet set up. (A password ended
    since, `tracker.admin.services.end_password_an_admin_saw`, leaves the time it was last set.)"""
    return password_hash is None and password_changed_at is None


def new_token() -> tuple[str, str]:
    """A random token for a cookie or a link, and the hash to store in its place."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(secret: str, email: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=issuer)


def check_totp(secret: str, code: str, *, last_counter: int | None, at: datetime) -> int | None:
    """The time step a code matches (allowing one step of clock drift), or None.

    A code whose step is not later than the last one used is refused, so a code seen over someone's
    shoulder cannot be replayed.
    """
    code = "".join(code.split())
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    counter = totp.timecode(at)
    for step in (counter - 1, counter, counter + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            if last_counter is not None and step <= last_counter:
                return None
            return step
    return None
