"""Every table of the tracker, imported in one place so that SQLModel.metadata knows them all."""

from tracker.auth.models import Agency, LoginAttempt, PasswordReset, User, UserRole, UserSession
from tracker.core.models import AuditEvent, Setting
from tracker.evaluations.models import (
    Answer,
    EvaluationForm,
    EvaluationInvitation,
    EventEvaluation,
    FormSection,
    InvitationLink,
    Question,
    Response,
)
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
    "Answer",
    "Attendance",
    "AuditEvent",
    "Course",
    "CourseEvent",
    "Enrolment",
    "EvaluationForm",
    "EvaluationInvitation",
    "EventEvaluation",
    "FormSection",
    "InvitationLink",
    "EnrolmentImport",
    "LoginAttempt",
    "PasswordReset",
    "Question",
    "Response",
    "Setting",
    "Trainee",
    "TrainingSession",
    "User",
    "UserRole",
    "UserSession",
]
