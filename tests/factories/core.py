"""Factories for agencies and people."""

from __future__ import annotations

import itertools
from datetime import timedelta

from sqlmodel import Session, select

from tracker.auth import rules
from tracker.auth.models import AccountInvitation, Agency, AgencySector, PasswordReset, User
from tracker.core.models import OutboxMessage
from tracker.core.permissions import Role
from tracker.core.types import utcnow

PASSWORD = "a long test password for everyone"  # noqa: S105
_PASSWORD_HASH = rules.hash_password(PASSWORD)
_numbers = itertools.count(1)


class CoreFactory:
    def __init__(self, session: Session, app=None):
        self.session = session
        # For what the app builds through its own session (db.session, bound to the same connection).
        self.app = app

    def save(self, *objects):
        for obj in objects:
            self.session.add(obj)
        self.session.commit()
        return objects[0] if len(objects) == 1 else objects

    def agency(self, name: str | None = None, sector: AgencySector = AgencySector.POLICE, **fields) -> Agency:
        if name is not None:
            existing = self.session.exec(select(Agency).where(Agency.name == name)).first()
            if existing is not None:
                return existing
        return self.save(Agency(name=name or f"Agency {next(_numbers)}", sector=sector, **fields))

    def user(self, *roles: Role | str, agency: Agency | None = None, **fields) -> User:
        number = next(_numbers)
        fields.setdefault("name", f"Test Person {number}")
        fields.setdefault("email", f"person{number}@example.org")
        fields.setdefault("password_hash", _PASSWORD_HASH)
        user = User(agency_id=(agency or self.agency("Test Police", AgencySector.POLICE)).id, **fields)
        user.set_roles({role if isinstance(role, Role) else Role[role] for role in roles})
        return self.save(user)

    def reset_link(self, user: User, hours: int = 24, shown: bool = False) -> str:
        """A password reset link's token for this person (`shown`: to an admin on screen, rather than
        emailed to the person)."""
        token, token_hash = rules.new_token()
        self.save(
            PasswordReset(
                user_id=user.id,
                token_hash=token_hash,
                expires_at=utcnow() + timedelta(hours=hours),
                shown_to_admin=shown,
            )
        )
        return token

    def account_invitation(self, trainee, days: int = 7) -> str:
        """An invitation's token for a training record's person to make an account (as if the TRSG asked
        for it from the chairs' register and a system admin approved it, sending the link)."""
        token, token_hash = rules.new_token()
        self.save(
            AccountInvitation(
                trainee_id=trainee.id,
                email=trainee.email,
                token_hash=token_hash,
                expires_at=utcnow() + timedelta(days=days),
                approved_at=utcnow(),
            )
        )
        return token

    def outbox_message(self, to: str = "someone@example.org", **fields) -> OutboxMessage:
        """An email in the outbox (queued unless `status` says otherwise)."""
        fields.setdefault("subject", "A test email")
        data = f"From: tracker@example.org\r\nTo: {to}\r\nSubject: {fields['subject']}\r\n\r\nHello.\r\n"
        fields.setdefault("summary", f"{fields['subject']} to {to}")
        return self.save(
            OutboxMessage(sender="tracker@example.org", recipients=to, message=data.encode(), **fields)
        )
