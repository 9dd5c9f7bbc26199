"""Changes an admin makes to accounts and agencies, one function per change, each taking the admin acting.
The views parse the forms; these change the records and leave the commit to the request.

Accounts and agencies carry no version on their forms: a system admin's edit of them is rare enough that
the last save is kept (the audit trail records each).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from tracker.auth import rules, sessions
from tracker.auth.models import Agency, AgencySector, PasswordReset, User
from tracker.core.db import db
from tracker.core.permissions import Role
from tracker.core.types import utcnow

# Accounts ---------------------------------------------------------------------------------------


def _apply(user: User, details: dict[str, Any], roles: set[Role]) -> None:
    for name, value in details.items():
        setattr(user, name, value)
    user.set_roles(roles)


def create_account(actor: User, details: dict[str, Any], roles: set[Role]) -> User:
    """A new account (always active), flushed so that it has an id for its first password link."""
    user = User(**{**details, "active": True})
    user.set_roles(roles)
    db.session.add(user)
    db.session.flush()
    return user


class Refused(Exception):
    """A change the rules do not allow; the message says why (`field`: the form field it is about)."""

    def __init__(self, message: str, field: str = "roles"):
        super().__init__(message)
        self.field = field


def update_account(actor: User, user: User, details: dict[str, Any], roles: set[Role]) -> None:
    """Save an account's details and roles; deactivating it signs the person out everywhere. An admin
    gives no role and no Category 4 clearance to themselves: another admin does (each grant of access to
    case records has two people behind it)."""
    if actor.id == user.id:
        if roles - set(user.roles):
            raise Refused("You cannot give yourself a role: ask another system admin")
        if details.get("terrorism_cleared") and not user.terrorism_cleared:
            raise Refused(
                "You cannot clear yourself for Category 4 cases: ask another system admin",
                field="terrorism_cleared",
            )
    if user.terrorism_cleared and not details.get("terrorism_cleared", True):
        _ensure_no_category_4_part(user)
    was_active = user.active
    _apply(user, details, roles)
    if was_active and not user.active:
        sessions.end_all_for(user)


def _ensure_no_category_4_part(user: User) -> None:
    """Clearance is not taken from someone still doing Category 4 work (who would keep the role but no
    longer see the case): what they do is handed to someone cleared first."""
    from tracker.meetings.services import category_4_parts

    parts = category_4_parts(user.id)
    if parts:
        raise Refused(
            f"{user.name} still has a part in Category 4 work ({'; '.join(parts)}): give it to someone "
            "cleared first, then remove the clearance",
            field="terrorism_cleared",
        )


def issue_reset_link(actor: User, user: User, hours: int) -> str:
    """A new password link for the person (its token, shown once), replacing any unused earlier one."""
    token, token_hash = rules.new_token()
    for earlier in db.session.exec(
        select(PasswordReset).where(PasswordReset.user_id == user.id, col(PasswordReset.used_at).is_(None))
    ):
        earlier.expires_at = min(earlier.expires_at, utcnow())
    db.session.add(
        PasswordReset(
            user_id=user.id,
            token_hash=token_hash,
            created_by_id=actor.id,
            expires_at=utcnow() + timedelta(hours=hours),
        )
    )
    return token


def reset_two_factor(actor: User, user: User) -> None:
    """Turn the person's second factor off and sign them out: they set it up again at their next sign-in."""
    user.totp_secret = None
    user.totp_last_counter = None
    sessions.end_all_for(user)


# Agencies ---------------------------------------------------------------------------------------


def add_agency(actor: User, name: str, sector: AgencySector, secure_mailbox: str) -> Agency:
    agency = Agency(name=name, sector=sector, secure_mailbox=secure_mailbox.strip().lower())
    db.session.add(agency)
    return agency


def update_agency(
    actor: User, agency: Agency, name: str, sector: AgencySector, secure_mailbox: str, active: bool
) -> None:
    agency.name = name
    agency.sector = sector
    agency.secure_mailbox = secure_mailbox.strip().lower()
    agency.active = active
