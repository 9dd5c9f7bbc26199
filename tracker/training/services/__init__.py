"""Every change to training records goes through here: courses, events, sessions, enrolling and
withdrawing, registers, uploads. A function per change a person makes, taking who makes it and, for a
record two people may edit, the version their page was built from (claimed first, in one conditional
UPDATE: `tracker.core.locking`), so of two saves at once exactly one is kept and the other raises Conflict
having changed nothing. The audit trail records each change when the session flushes.

Services flush when they need ids and never commit: the request commits once. A session is in the
diary of everyone with a place on its event: taking a place (enrolling, or moving up from the waiting
list), losing one (withdrawing), and adding, moving or cancelling a session queue the Outlook
invitation, update or cancellation here; `tracker.calendar.outbox` sends them once the change is saved.

A module per subject: `courses` (courses and events), `places` (people, enrolling, withdrawing and
the waiting list), `sessions` (sessions and registers) and `uploads`.
"""

from tracker.training.services.common import (
    AlreadyEnrolled,
    BreaksEnrolmentRule,
    EnrolmentClosed,
    OutcomesFixed,
    OutcomesSet,
    RegisterTaken,
    RoleRefused,
    TooFewPlaces,
    UploadAlreadyUsed,
    UploadHasErrors,
)
from tracker.training.services.courses import (
    FirstSessions,
    add_course,
    create_event,
    update_course,
    update_event,
)
from tracker.training.services.places import (
    ChairPlaces,
    GivenBack,
    enrol,
    enrol_person,
    fill_places,
    lock_event,
    namesake,
    trainee_for,
    withdraw,
)
from tracker.training.services.sessions import (
    add_session,
    cancel_session,
    completion_rule,
    ensure_open,
    recalculate,
    reschedule_session,
    save_register,
    session_times,
)
from tracker.training.services.uploads import confirm_upload, stage_upload

__all__ = [
    "AlreadyEnrolled",
    "BreaksEnrolmentRule",
    "ChairPlaces",
    "EnrolmentClosed",
    "GivenBack",
    "RoleRefused",
    "FirstSessions",
    "OutcomesFixed",
    "OutcomesSet",
    "RegisterTaken",
    "TooFewPlaces",
    "UploadAlreadyUsed",
    "UploadHasErrors",
    "add_course",
    "add_session",
    "cancel_session",
    "completion_rule",
    "confirm_upload",
    "create_event",
    "enrol",
    "enrol_person",
    "ensure_open",
    "fill_places",
    "lock_event",
    "namesake",
    "recalculate",
    "reschedule_session",
    "save_register",
    "session_times",
    "stage_upload",
    "trainee_for",
    "update_course",
    "update_event",
    "withdraw",
]
