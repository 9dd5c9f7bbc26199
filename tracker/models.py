"""Every table of the tracker, imported in one place so that SQLModel.metadata knows them all."""

from tracker.auth.models import Agency, LoginAttempt, PasswordReset, User, UserRole, UserSession
from tracker.core.models import AuditEvent, Setting
from tracker.training.models import (
    Attendance,
    Course,
    CourseEvent,
    Enrolment,
    EnrolmentImport,
    Trainee,
    TrainingSession,
)

__all__ = [
    "Agency",
    "Attendance",
    "AuditEvent",
    "Course",
    "CourseEvent",
    "Enrolment",
    "EnrolmentImport",
    "LoginAttempt",
    "PasswordReset",
    "Setting",
    "Trainee",
    "TrainingSession",
    "User",
    "UserRole",
    "UserSession",
]
