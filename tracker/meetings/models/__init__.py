"""Cases, their history, Level 2 and 3 meetings, agendas, invitations and attendance, the Four Pillars
checklist, risk assessments, level decisions, actions, and the record of who may chair which level.

Records of meetings are closed, never cascaded away: foreign keys to cases, meetings and people restrict
deletion. The few rows that belong wholly to one parent (a pillar entry to its agenda item) go with it.

A module per subject: `enums`, `cases` (cases, their history and the chairs' records), `meetings`
(meetings, agenda items, invitations, pillar entries and actions) and `plan` (the risk management plan,
and the follow-up emails' records).
"""

from tracker.core.pillars import Pillar
from tracker.meetings.models.cases import (
    Case,
    CaseCategoryChange,
    CaseEvent,
    CaseReviewTally,
    ChairProfile,
    history_order,
)
from tracker.meetings.models.enums import (
    CATEGORY_DESCRIPTIONS,
    MEETING_LEVELS,
    ActionStatus,
    AgendaPurpose,
    AttendanceStatus,
    CaseEventKind,
    CaseStatus,
    Category,
    Imminence,
    Level,
    LevelDecision,
    MeetingStatus,
    MeetingType,
    PillarStatus,
    RiskLevel,
    Rsvp,
)
from tracker.meetings.models.meetings import (
    MEETING_CALENDAR_FIELDS,
    Action,
    AgendaItem,
    Invitation,
    Meeting,
    PillarEntry,
    action_due_in_force,
)
from tracker.meetings.models.plan import (
    ActionReminder,
    DigestSent,
    EmailOptOut,
    PlanOutcome,
    PlanPart,
    PlanPartKind,
)

__all__ = [
    "Action",
    "action_due_in_force",
    "ActionReminder",
    "ActionStatus",
    "DigestSent",
    "AgendaItem",
    "AgendaPurpose",
    "AttendanceStatus",
    "CATEGORY_DESCRIPTIONS",
    "Case",
    "CaseCategoryChange",
    "CaseEvent",
    "CaseReviewTally",
    "CaseEventKind",
    "CaseStatus",
    "Category",
    "ChairProfile",
    "EmailOptOut",
    "history_order",
    "Imminence",
    "Invitation",
    "Level",
    "LevelDecision",
    "MEETING_CALENDAR_FIELDS",
    "MEETING_LEVELS",
    "Meeting",
    "MeetingStatus",
    "MeetingType",
    "Pillar",
    "PillarEntry",
    "PillarStatus",
    "PlanOutcome",
    "PlanPart",
    "PlanPartKind",
    "RiskLevel",
    "Rsvp",
]
