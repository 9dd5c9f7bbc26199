"""Cases, their history, Level 2 and 3 meetings, agendas, invitations and attendance, the Four Pillars
checklist, risk assessments, level decisions, actions, and the record of who may chair which level.

Records of meetings are closed, never cascaded away: foreign keys to cases, meetings and people restrict
deletion. The few rows that belong wholly to one parent (a pillar entry to its agenda item) go with it.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from tracker.auth.models import Agency, User
from tracker.core.pillars import Pillar
from tracker.core.types import LabelledEnum, UTCDateTime, enum_field, timestamp_field, utcnow

# Enumerations ------------------------------------------------------------------------------------


class Category(LabelledEnum):
    CATEGORY_1 = "Category 1"
    CATEGORY_2 = "Category 2"
    CATEGORY_3 = "Category 3"
    CATEGORY_4 = "Category 4"

    @property
    def number(self) -> int:
        return int(self.name[-1])

    @property
    def description(self) -> str:
        return CATEGORY_DESCRIPTIONS[self]


CATEGORY_DESCRIPTIONS = {
    Category.CATEGORY_1: "Subject to sex offender notification requirements",
    Category.CATEGORY_2: "Violent offenders sentenced to 12 months or more, or a hospital order",
    Category.CATEGORY_3: "Other dangerous offenders who pose a risk of serious harm",
    Category.CATEGORY_4: "Terrorism and terrorism-risk individuals",
}


class Level(LabelledEnum):
    LEVEL_1 = "Level 1"
    LEVEL_2 = "Level 2"
    LEVEL_3 = "Level 3"

    @property
    def number(self) -> int:
        return int(self.name[-1])

    @property
    def has_meetings(self) -> bool:
        """Levels 2 and 3 are managed through MAPPA meetings; Level 1 by the lead agency alone."""
        return self is not Level.LEVEL_1


MEETING_LEVELS = (Level.LEVEL_2, Level.LEVEL_3)


class CaseStatus(LabelledEnum):
    ACTIVE = "Active"
    IN_CUSTODY = "In custody"
    EXITED = "Exited MAPPA"


class CaseEventKind(LabelledEnum):
    REFERRED = "Referred"
    LEVEL_CHANGED = "Level changed"
    RECALLED = "Returned to custody (breach of licence)"
    CUSTODY_OTHER = "Returned to custody (new offence or remand)"
    RELEASED = "Released from custody"
    EXITED = "Exited MAPPA"


class MeetingType(LabelledEnum):
    INITIAL = "Initial"
    REVIEW = "Review"
    EMERGENCY = "Emergency"


class MeetingStatus(LabelledEnum):
    SCHEDULED = "Scheduled"
    HELD = "Held"
    CANCELLED = "Cancelled"


class AgendaPurpose(LabelledEnum):
    INITIAL = "Initial"
    REVIEW = "Review"


class Rsvp(LabelledEnum):
    AWAITING = "Not replied"
    ACCEPTED = "Attending"
    TENTATIVE = "Tentative"
    DECLINED = "Not attending"


class AttendanceStatus(LabelledEnum):
    PRESENT = "Present"
    APOLOGIES = "Apologies"
    ABSENT = "Absent"


class PillarStatus(LabelledEnum):
    ADDRESSED = "Addressed"
    NOT_APPLICABLE = "Not applicable"
    OUTSTANDING = "Outstanding"


class RiskLevel(LabelledEnum):
    LOW = "Low"
    MEDIUM = "Medium"
    HIGH = "High"
    VERY_HIGH = "Very high"


class Imminence(LabelledEnum):
    NOT_IMMINENT = "Not imminent: unlikely in the near future"
    IF_CIRCUMSTANCES_CHANGE = "Could happen if circumstances change"
    IMMINENT = "Imminent: could happen at any time"


class LevelDecision(LabelledEnum):
    RETAIN = "Retain at the current level"
    RAISE = "Raise the level"
    LOWER = "Lower the level"
    EXIT = "Exit MAPPA meeting management"


class ActionStatus(LabelledEnum):
    OPEN = "Open"
    DONE = "Done"
    DROPPED = "Dropped"
    # Taken off the meeting's record before its minutes were approved: never agreed, never listed.
    REMOVED = "Removed"


# The record of who may chair what ------------------------------------------------------------------


class ChairProfile(SQLModel, table=True):
    """A chair's grade and the levels they may chair (Level 3 needs more seniority than Level 2)."""

    __tablename__ = "chair_profile"

    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    grade: str = Field(default="", max_length=120)
    may_chair_level_2: bool = Field(default=True)
    may_chair_level_3: bool = Field(default=False)
    updated_at: datetime = timestamp_field()

    user: User = Relationship()

    def may_chair(self, level: Level) -> bool:
        allowed = {Level.LEVEL_2: self.may_chair_level_2, Level.LEVEL_3: self.may_chair_level_3}
        return allowed.get(level, False)

    def audit_label(self) -> str:
        return f"chair record of user {self.user_id}"


# Cases ---------------------------------------------------------------------------------------------


class Case(SQLModel, table=True):
    """A MAPPA-eligible person managed at Level 2 or 3: only what the meetings need to know.

    `last_reviewed_on` and `next_review_on` are kept from the meetings that discussed the case, so that
    lists can find reviews overdue or due soon in SQL; the deadlines themselves come from `rules`.
    """

    __tablename__ = "mappa_case"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=40, sa_column_kwargs={"unique": True})
    name: str = Field(max_length=200, index=True)
    date_of_birth: date
    visor_reference: str = Field(default="", max_length=40)
    ndelius_reference: str = Field(default="", max_length=40)
    pnc_reference: str = Field(default="", max_length=40)
    category: Category = enum_field(Category, index=True)
    level: Level = enum_field(Level, index=True)
    status: CaseStatus = enum_field(CaseStatus, default=CaseStatus.ACTIVE, index=True)
    lead_agency_id: int = Field(foreign_key="agency.id", index=True, ondelete="RESTRICT")
    lead_officer_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="RESTRICT")
    borough: str = Field(default="", max_length=80, index=True)
    referred_on: date = Field(index=True)
    last_reviewed_on: date | None = Field(default=None, index=True)
    next_review_on: date | None = Field(default=None, index=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="RESTRICT")
    created_at: datetime = timestamp_field()
    version: int = Field(default=1)

    lead_agency: Agency = Relationship()
    lead_officer: User | None = Relationship(sa_relationship_kwargs={"foreign_keys": "Case.lead_officer_id"})
    events: list["CaseEvent"] = Relationship(
        back_populates="case",
        sa_relationship_kwargs={"order_by": "[CaseEvent.occurred_on.desc(), CaseEvent.id.desc()]"},
    )

    @property
    def is_category_4(self) -> bool:
        return self.category is Category.CATEGORY_4

    def audit_label(self) -> str:
        return self.reference

    def audit_scope(self):
        return self.id, None


class CaseEvent(SQLModel, table=True):
    """A dated change in a case's history: referral, level change, custody, release, exit.

    `level` is the level after the event (for custody events, the level the person was managed at), so
    the annual report can count people per level over a year and returns to custody by level and category.
    """

    __tablename__ = "case_event"
    __table_args__ = (sa.Index("ix_case_event_kind_occurred_on", "kind", "occurred_on"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mappa_case.id", index=True, ondelete="RESTRICT")
    kind: CaseEventKind = enum_field(CaseEventKind)
    occurred_on: date = Field(index=True)
    level: Level = enum_field(Level)
    previous_level: Level | None = enum_field(Level, nullable=True)
    reason: str = Field(default="", sa_type=sa.Text)
    agenda_item_id: int | None = Field(
        default=None, foreign_key="agenda_item.id", index=True, ondelete="RESTRICT"
    )
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")
    recorded_at: datetime = timestamp_field()

    case: Case = Relationship(back_populates="events")
    recorded_by: User | None = Relationship()

    def audit_label(self) -> str:
        return f"{self.kind.label} on case {self.case_id}"

    def audit_scope(self):
        return self.case_id, None


# Meetings ------------------------------------------------------------------------------------------


# Changing any of these on a meeting moves or cancels its calendar entry.
MEETING_CALENDAR_FIELDS = ("starts_at", "ends_at", "venue", "online_link", "status")


class Meeting(SQLModel, table=True):
    """A Level 2 or 3 MAPPA meeting. `sequence` rises whenever its date, time, place or status changes
    (calendar files use it as SEQUENCE so that Outlook updates the entry)."""

    __tablename__ = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(max_length=20, sa_column_kwargs={"unique": True})
    level: Level = enum_field(Level, index=True)
    meeting_type: MeetingType = enum_field(MeetingType)
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    venue: str = Field(default="", max_length=200)
    online_link: str = Field(default="", max_length=500)
    chair_id: int = Field(foreign_key="user.id", index=True, ondelete="RESTRICT")
    administrator_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="RESTRICT")
    status: MeetingStatus = enum_field(MeetingStatus, default=MeetingStatus.SCHEDULED, index=True)
    cancelled_reason: str = Field(default="", sa_type=sa.Text)
    # Why the chair chairs although the chairs' register shows them untrained or with CPD lapsed on the
    # meeting's day (empty when the chair was trained and current).
    chair_reason: str = Field(default="", sa_type=sa.Text)
    sequence: int = Field(default=0)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = Field(default=1)

    chair: User = Relationship(sa_relationship_kwargs={"foreign_keys": "Meeting.chair_id"})
    administrator: User | None = Relationship(
        sa_relationship_kwargs={"foreign_keys": "Meeting.administrator_id"}
    )
    agenda_items: list["AgendaItem"] = Relationship(
        back_populates="meeting", sa_relationship_kwargs={"order_by": "AgendaItem.position"}
    )
    invitations: list["Invitation"] = Relationship(
        back_populates="meeting", sa_relationship_kwargs={"order_by": "Invitation.id"}
    )

    @property
    def place(self) -> str:
        return self.venue or ("Online" if self.online_link else "")

    def audit_label(self) -> str:
        return self.reference

    def audit_scope(self):
        return None, self.id


class AgendaItem(SQLModel, table=True):
    """One case on a meeting's agenda, and what the meeting decided about it: the risk assessment, the
    Four Pillars (in `pillar_entries`), the level decision and the next review date."""

    __tablename__ = "agenda_item"
    __table_args__ = (sa.UniqueConstraint("meeting_id", "case_id"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True, ondelete="RESTRICT")
    case_id: int = Field(foreign_key="mappa_case.id", index=True, ondelete="RESTRICT")
    position: int = Field(default=1)
    purpose: AgendaPurpose = enum_field(AgendaPurpose)
    slot_starts_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    slot_ends_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    presenting_officer_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")
    # The case's level when the item was added: the level the meeting considered.
    level_considered: Level = enum_field(Level)
    risk_to_children: RiskLevel | None = enum_field(RiskLevel, nullable=True)
    risk_to_public: RiskLevel | None = enum_field(RiskLevel, nullable=True)
    risk_to_known_adult: RiskLevel | None = enum_field(RiskLevel, nullable=True)
    risk_to_staff: RiskLevel | None = enum_field(RiskLevel, nullable=True)
    risk_to_prisoners: RiskLevel | None = enum_field(RiskLevel, nullable=True)
    imminence: Imminence | None = enum_field(Imminence, nullable=True)
    risk_notes: str = Field(default="", sa_type=sa.Text)
    assessment_tool: str = Field(default="", max_length=60)
    assessed_on: date | None = Field(default=None)
    contingency_plan: str = Field(default="", sa_type=sa.Text)
    licence_conditions: str = Field(default="", sa_type=sa.Text)
    level_decision: LevelDecision | None = enum_field(LevelDecision, nullable=True)
    level_decision_reason: str = Field(default="", sa_type=sa.Text)
    # The level a raise or lower set, from where the case stood at this meeting's date when recorded.
    level_decided: Level | None = enum_field(Level, nullable=True)
    next_review_on: date | None = Field(default=None)
    version: int = Field(default=1)

    meeting: Meeting = Relationship(back_populates="agenda_items")
    case: Case = Relationship()
    presenting_officer: User | None = Relationship()
    pillar_entries: list["PillarEntry"] = Relationship(
        back_populates="agenda_item",
        sa_relationship_kwargs={"order_by": "PillarEntry.id", "cascade": "all, delete-orphan"},
    )
    plan_parts: list["PlanPart"] = Relationship(
        back_populates="agenda_item",
        sa_relationship_kwargs={
            "order_by": "PlanPart.id",
            "cascade": "all, delete-orphan",
            "foreign_keys": "PlanPart.agenda_item_id",
        },
    )

    @property
    def risks(self) -> list[tuple[str, RiskLevel | None]]:
        return [
            ("Children", self.risk_to_children),
            ("The public", self.risk_to_public),
            ("A known adult", self.risk_to_known_adult),
            ("Staff", self.risk_to_staff),
            ("Prisoners", self.risk_to_prisoners),
        ]

    def entry_for(self, pillar: Pillar) -> "PillarEntry | None":
        return next((entry for entry in self.pillar_entries if entry.pillar is pillar), None)

    def part_for(self, kind: "PlanPartKind") -> "PlanPart | None":
        return next((part for part in self.plan_parts if part.part is kind), None)

    def audit_label(self) -> str:
        return f"agenda item {self.id} of meeting {self.meeting_id}"

    def audit_scope(self):
        return self.case_id, self.meeting_id


class Invitation(SQLModel, table=True):
    """An agency (and, usually, a named person from it) invited to a meeting: their reply, and whether
    they attended, sent apologies (with a named deputy, and the deputy's agency) or were absent. Someone
    who came without an invitation is recorded as a walk-in: their name, agency and role, present. Each
    attendee's acceptance of the confidentiality statement is recorded with their attendance."""

    __tablename__ = "invitation"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True, ondelete="RESTRICT")
    agency_id: int = Field(foreign_key="agency.id", index=True, ondelete="RESTRICT")
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="RESTRICT")
    rsvp: Rsvp = enum_field(Rsvp, default=Rsvp.AWAITING)
    rsvp_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # The comment sent with a reply by email (Outlook's "Edit the response before sending").
    rsvp_comment: str = Field(default="", sa_type=sa.Text)
    attendance: AttendanceStatus | None = enum_field(AttendanceStatus, nullable=True)
    deputy_name: str = Field(default="", max_length=200)
    deputy_agency_id: int | None = Field(default=None, foreign_key="agency.id", ondelete="RESTRICT")
    walk_in: bool = Field(default=False)
    attendee_name: str = Field(default="", max_length=200)
    attendee_role: str = Field(default="", max_length=200)
    statement_accepted: bool = Field(default=False)
    invited_at: datetime = timestamp_field()

    meeting: Meeting = Relationship(back_populates="invitations")
    agency: Agency = Relationship(sa_relationship_kwargs={"foreign_keys": "[Invitation.agency_id]"})
    deputy_agency: Agency | None = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Invitation.deputy_agency_id]"}
    )
    user: User | None = Relationship()

    @property
    def who(self) -> str:
        """The person invited by name, or the walk-in's name (empty for an agency invited as such)."""
        return self.user.name if self.user else self.attendee_name

    def audit_label(self) -> str:
        return f"invitation of agency {self.agency_id} to meeting {self.meeting_id}"

    def audit_scope(self):
        return None, self.meeting_id


class PillarEntry(SQLModel, table=True):
    """One of the Four Pillars for one case at one meeting: addressed, not applicable (and why), or
    outstanding."""

    __tablename__ = "pillar_entry"
    __table_args__ = (sa.UniqueConstraint("agenda_item_id", "pillar"),)

    id: int | None = Field(default=None, primary_key=True)
    agenda_item_id: int = Field(foreign_key="agenda_item.id", index=True, ondelete="CASCADE")
    pillar: Pillar = enum_field(Pillar)
    status: PillarStatus = enum_field(PillarStatus, default=PillarStatus.OUTSTANDING)
    not_applicable_reason: str = Field(default="", sa_type=sa.Text)
    summary: str = Field(default="", sa_type=sa.Text)
    updated_at: datetime = timestamp_field()
    updated_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")
    version: int = Field(default=1)

    agenda_item: AgendaItem = Relationship(back_populates="pillar_entries")

    def audit_label(self) -> str:
        return f"{self.pillar.label} for agenda item {self.agenda_item_id}"

    def audit_scope(self):
        item = AgendaItem.id == self.agenda_item_id
        return sa.select(AgendaItem.case_id).where(item), sa.select(AgendaItem.meeting_id).where(item)


class Action(SQLModel, table=True):
    """Something a meeting asked an agency (and a named person) to do by a date, under a pillar."""

    __tablename__ = "meeting_action"
    __table_args__ = (
        sa.Index("ix_meeting_action_status_due_on", "status", "due_on"),
        # "My overdue actions": one person's open actions by date.
        sa.Index("ix_meeting_action_owner_status_due_on", "owner_id", "status", "due_on"),
        # A case's open actions, which its next agenda and the meeting page review.
        sa.Index("ix_meeting_action_case_id_status", "case_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mappa_case.id", ondelete="RESTRICT")
    agenda_item_id: int = Field(foreign_key="agenda_item.id", index=True, ondelete="RESTRICT")
    pillar: Pillar | None = enum_field(Pillar, nullable=True)
    description: str = Field(sa_type=sa.Text)
    owner_agency_id: int = Field(foreign_key="agency.id", index=True, ondelete="RESTRICT")
    owner_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="RESTRICT")
    due_on: date = Field(index=True)
    status: ActionStatus = enum_field(ActionStatus, default=ActionStatus.OPEN, index=True)
    dropped_reason: str = Field(default="", sa_type=sa.Text)
    completed_on: date | None = Field(default=None)
    # Follow-up after the meeting: a new due date, and what happened (why it could not be done).
    revised_due_on: date | None = Field(default=None)
    progress_note: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = Field(default=1)

    case: Case = Relationship()
    agenda_item: AgendaItem = Relationship()
    owner_agency: Agency = Relationship()
    owner: User | None = Relationship()

    def audit_label(self) -> str:
        return f"action {self.id} on case {self.case_id}"

    def audit_scope(self):
        return self.case_id, sa.select(AgendaItem.meeting_id).where(AgendaItem.id == self.agenda_item_id)

# The risk management plan --------------------------------------------------------------------------


class PlanPartKind(LabelledEnum):
    """The parts of a case's risk management plan, each confirmed or changed at every review."""

    RISK_ASSESSMENT = "Risk assessment"
    SUPERVISION = "Supervision"
    MONITORING_AND_CONTROL = "Monitoring and control"
    INTERVENTIONS_AND_TREATMENT = "Interventions and treatment"
    VICTIM_SAFETY_PLANNING = "Victim safety planning"
    CONTINGENCY = "Contingency plan"
    LICENCE_CONDITIONS = "Licence or order conditions"

    @property
    def slug(self) -> str:
        return self.name.lower().replace("_", "-")

    @classmethod
    def from_slug(cls, slug: str) -> "PlanPartKind | None":
        return cls.__members__.get(slug.upper().replace("-", "_"))

    @property
    def pillar(self) -> Pillar | None:
        return Pillar.__members__.get(self.name)

    @classmethod
    def for_pillar(cls, pillar: Pillar) -> "PlanPartKind":
        return cls[pillar.name]


class PlanOutcome(LabelledEnum):
    PENDING = "Not yet confirmed or changed"
    NEW = "Agreed"
    CONFIRMED = "Confirmed"
    CHANGED = "Changed"


class PlanPart(SQLModel, table=True):
    """What one meeting did with one part of a case's plan: the wording itself is the meeting's record
    (the agenda item's risk fields, its pillar entries); this says whether the meeting confirmed the part
    as carried from `carried_from` (the case's previous meeting) or changed it, or agreed it first."""

    __tablename__ = "plan_part"
    __table_args__ = (sa.UniqueConstraint("agenda_item_id", "part"),)

    id: int | None = Field(default=None, primary_key=True)
    agenda_item_id: int = Field(foreign_key="agenda_item.id", index=True, ondelete="CASCADE")
    case_id: int = Field(foreign_key="mappa_case.id", index=True, ondelete="RESTRICT")
    part: PlanPartKind = enum_field(PlanPartKind)
    outcome: PlanOutcome = enum_field(PlanOutcome, default=PlanOutcome.PENDING)
    carried_from_id: int | None = Field(
        default=None, foreign_key="agenda_item.id", index=True, ondelete="RESTRICT"
    )
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reviewed_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")

    agenda_item: AgendaItem = Relationship(
        back_populates="plan_parts", sa_relationship_kwargs={"foreign_keys": "PlanPart.agenda_item_id"}
    )
    carried_from: AgendaItem | None = Relationship(
        sa_relationship_kwargs={"foreign_keys": "PlanPart.carried_from_id"}
    )

    def audit_label(self) -> str:
        return f"{self.part.label} of the plan at agenda item {self.agenda_item_id}"

    def audit_scope(self):
        return self.case_id, sa.select(AgendaItem.meeting_id).where(AgendaItem.id == self.agenda_item_id)

class EmailOptOut(SQLModel, table=True):
    """An optional email a person has turned off under Your account (`tracker.meetings.follow_up.KINDS`)."""

    __tablename__ = "email_opt_out"

    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    kind: str = Field(max_length=40, primary_key=True)


class ActionReminder(SQLModel, table=True):
    """A reminder sent to an action's owner, once per action and threshold ("due soon", "overdue"), so
    that running the daily command twice sends nothing new."""

    __tablename__ = "action_reminder"

    action_id: int = Field(foreign_key="meeting_action.id", primary_key=True, ondelete="CASCADE")
    threshold: str = Field(max_length=20, primary_key=True)
    sent_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
