"""Every table of the tracker, imported in one place so that SQLModel.metadata knows them all."""

from tracker.auth.models import Agency, LoginAttempt, PasswordReset, User, UserRole, UserSession
from tracker.calendar.models import FeedToken
from tracker.core.models import AuditEvent, Setting

__all__ = [
    "Agency",
    "AuditEvent",
    "FeedToken",
    "LoginAttempt",
    "PasswordReset",
    "Setting",
    "User",
    "UserRole",
    "UserSession",
]
