"""Changes to a person's own sign-in details, one function per change they make: their password (changed,
reset, or rehashed at sign-in) and their second factor. The views check the password or code the person
gave; these make the change and leave the commit to the request.

None of these takes an expected version: each is the person acting on their own credentials, proved by
the password, code or reset link they just gave, not an edit of a record someone else may be editing.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col

from tracker.auth import rules
from tracker.auth.models import PasswordReset, User
from tracker.core.db import db
from tracker.core.types import utcnow


def rehash_password(user: User, password: str) -> None:
    """Store the password just given again with the current hashing parameters."""
    user.password_hash = rules.hash_password(password)


def set_password(user: User, password: str) -> None:
    """The person's new password, chosen on their account page."""
    user.password_hash = rules.hash_password(password)
    user.password_changed_at = utcnow()


def never_had_a_password(user: User) -> bool:
    """Whether the account has never had a password (`rules.never_had_a_password`), nor set one through a
    link (an account made before the time a password was set was recorded)."""
    if not rules.never_had_a_password(user.password_hash, user.password_changed_at):
        return False
    used = sa.select(PasswordReset.id).where(
        col(PasswordReset.user_id) == user.id, col(PasswordReset.used_at).is_not(None)
    )
    return db.session.execute(used.limit(1)).first() is None


def reset_password(reset: PasswordReset, user: User, password: str) -> None:
    """The new password chosen through a reset link, which is then used up."""
    set_password(user, password)
    reset.used_at = utcnow()


def use_code(user: User, step: int) -> bool:
    """Mark the code's time step used, unless another request has used it (or a later one) meanwhile.

    One conditional UPDATE: when several requests send the same code at once, the database lets exactly
    one of them move the counter on (on PostgreSQL the others wait for its row lock, then find the
    condition false); the rest are refused as replays.
    """
    used = db.session.execute(
        sa.update(User)
        .where(
            col(User.id) == user.id,
            sa.or_(col(User.totp_last_counter).is_(None), col(User.totp_last_counter) < step),
        )
        .values(totp_last_counter=step)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:
        return False
    set_committed_value(user, "totp_last_counter", step)
    return True


def turn_on_two_factor(user: User, secret: str, step: int) -> None:
    """Keep the authenticator's secret, the code just checked against it counting as used."""
    user.totp_secret = secret
    user.totp_last_counter = step


def turn_off_two_factor(user: User) -> None:
    user.totp_secret = None
    user.totp_last_counter = None
