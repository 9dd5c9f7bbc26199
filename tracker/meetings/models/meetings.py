"""Meetings, their agenda items, invitations and attendance, the Four Pillars entries and actions."""

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from tracker.auth.models import Agency, User
from tracker.core.pillars import Pillar
from tracker.core.relations import named_by, ordered_children
from tracker.core.types import UTCDateTime, enum_field, timestamp_field, utcnow
from tracker.meetings.models.cases import Case
from tracker.meetings.models.enums import (
    ActionStatus,
    AgendaPurpose,
    AttendanceStatus,
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

if TYPE_CHECKING:  # the plan's part refers back to its agenda item, so it is imported after this module
    from tracker.meetings.models.plan import PlanPart, PlanPartKind

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
    # The SEQUENCE of the version last sent to everyone in its diary (when it last moved): a reply to it or
    # a later one is current. Taking someone off raises `sequence` for their cancellation alone, and the
    # others' replies to the version they hold still count.
    sequence_for_all: int = Field(default=0)
    # Brought in from the area's own records (`tracker.transfer`): a historical record, held, its minutes
    # approved as imported; nobody was invited through the tracker.
    imported: bool = Field(default=False)
    created_at: datetime = timestamp_field()
    updated_at: datetime = timestamp_field()
    version: int = Field(default=1)

    chair: User = named_by("Meeting.chair_id")
    administrator: User | None = named_by("Meeting.administrator_id")
    agenda_items: list["AgendaItem"] = ordered_children("meeting", "AgendaItem.position")
    invitations: list["Invitation"] = ordered_children("meeting", "Invitation.id")

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
    # The case's category at the meeting: when the item was added, following the case until the meeting
    # starts (a category changed later is not what the meeting, or its minutes, recorded).
    category_considered: Category = enum_field(Category)
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
    # Who recorded the decision as it stands, and when: the entry it makes in the case's history is theirs,
    # whoever sets the case from its history later (abandoning a correction puts these back with it).
    decision_recorded_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")
    decision_recorded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_review_on: date | None = Field(default=None)
    # Why the meeting did not discuss the case after all ("Not reached: time ran out"), or "" when it is to
    # be (or was) discussed. A case not discussed has nothing recorded at the meeting: no plan, decision
    # or actions, and the case stands as it did (`tracker.meetings.services.deferral`).
    not_discussed_reason: str = Field(default="", sa_type=sa.Text)
    version: int = Field(default=1)

    meeting: Meeting = Relationship(back_populates="agenda_items")
    case: Case = Relationship()
    presenting_officer: User | None = named_by("AgendaItem.presenting_officer_id")
    pillar_entries: list["PillarEntry"] = ordered_children(
        "agenda_item", "PillarEntry.id", cascade="all, delete-orphan"
    )
    plan_parts: list["PlanPart"] = ordered_children(
        "agenda_item", "PlanPart.id", cascade="all, delete-orphan", foreign_keys="PlanPart.agenda_item_id"
    )

    @property
    def not_discussed(self) -> bool:
        """The chair marked the case not discussed at this meeting (deferred), with a reason."""
        return bool(self.not_discussed_reason)

    @property
    def category_4(self) -> bool:
        """Category 4 at the meeting or now: left out for anyone not cleared for it."""
        return self.category_considered is Category.CATEGORY_4 or self.case.is_category_4

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

    @property
    def pillars_complete(self) -> int:
        """How many of the Four Pillars this meeting has done: recorded (not outstanding) and, where the
        pillar was carried from the last meeting, confirmed or changed here (the wording carried alone is
        the last meeting's work)."""
        waiting = self.pillars_to_confirm
        return sum(
            entry.status is not PillarStatus.OUTSTANDING and entry.pillar not in waiting
            for entry in self.pillar_entries
        )

    @property
    def pillars_to_confirm(self) -> set:
        """The pillars carried from the last meeting's plan that this meeting has not yet confirmed or
        changed: their wording is there, but the work is still to do."""
        from tracker.meetings.models.plan import PlanOutcome

        return {
            part.part.pillar
            for part in self.plan_parts
            if part.part.pillar is not None
            and part.carried_from_id is not None
            and part.outcome is PlanOutcome.PENDING
        }

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
    agency: Agency = named_by("[Invitation.agency_id]")
    deputy_agency: Agency | None = named_by("[Invitation.deputy_agency_id]")
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
        # Open or done actions by due date; with completed_on and case_id the Board dashboard counts a
        # year's actions from the index alone.
        sa.Index("ix_meeting_action_status_due_on_completed", "status", "due_on", "completed_on", "case_id"),
        # "My overdue actions": one person's open actions by the date in force, found and ordered from the
        # index alone (by the date agreed, SQLite scanned every overdue action in the area instead).
        sa.Index(
            "ix_meeting_action_owner_status_due_in_force",
            "owner_id",
            "status",
            sa.text("coalesce(revised_due_on, due_on)"),
        ),
        # A case's open actions, which its next agenda and the meeting page review.
        sa.Index("ix_meeting_action_case_id_status", "case_id", "status"),
        # Open actions by the date now in force (the list's overdue filter and its order by due date). An
        # index on an expression (as is the one above): SQLite's reflection skips them, so a batch migration
        # that rebuilds this table on SQLite must create them again.
        sa.Index(
            "ix_meeting_action_status_due_in_force", "status", sa.text("coalesce(revised_due_on, due_on)")
        ),
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
    # Who marked it done (None for an action done before this was kept, or brought in done): its owner then,
    # whoever owns it since.
    completed_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")
    # Follow-up after the meeting: a new due date, and what happened (why it could not be done). The
    # date in force is the new one where set (`due_in_force`); `due_on` stays the date the meeting agreed.
    revised_due_on: date | None = Field(default=None)
    progress_note: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    version: int = Field(default=1)

    case: Case = Relationship()
    agenda_item: AgendaItem = Relationship()
    owner_agency: Agency = Relationship()
    owner: User | None = Relationship(sa_relationship_kwargs={"foreign_keys": "[Action.owner_id]"})
    completed_by: User | None = Relationship(
        sa_relationship_kwargs={"foreign_keys": "[Action.completed_by_id]"}
    )

    @property
    def due_in_force(self) -> date:
        """When the action is due now: the new date its owner set since the meeting, or the date agreed."""
        return self.revised_due_on or self.due_on

    def audit_label(self) -> str:
        return f"action {self.id} on case {self.case_id}"

    def audit_scope(self):
        return self.case_id, sa.select(AgendaItem.meeting_id).where(AgendaItem.id == self.agenda_item_id)


def action_due_in_force() -> sa.ColumnElement[date]:
    """`Action.due_in_force` in SQL, for the queries of what is overdue or due (and their order)."""
    return sa.func.coalesce(Action.revised_due_on, Action.due_on)
