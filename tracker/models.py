"""Every table of the tracker, imported in one place so that SQLModel.metadata knows them all."""

from tracker.auth.models import Agency, LoginAttempt, PasswordReset, User, UserRole, UserSession
from tracker.core.models import AuditEvent, Setting
from tracker.meetings.models import (
    Action,
    AgendaItem,
    Case,
    CaseEvent,
    ChairProfile,
    Invitation,
    Meeting,
    PillarEntry,
)
from tracker.minutes.models import Minutes, MinutesRecipient, MinutesVersion

__all__ = [
    "Action",
    "AgendaItem",
    "Case",
    "CaseEvent",
    "ChairProfile",
    "Invitation",
    "Meeting",
    "PillarEntry",
    "Minutes",
    "MinutesRecipient",
    "MinutesVersion",
    "Agency",
    "AuditEvent",
    "LoginAttempt",
    "PasswordReset",
    "Setting",
    "User",
    "UserRole",
    "UserSession",
]
