"""The risk management plan carried from meeting to meeting, and the records behind the follow-up emails."""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from tracker.core.pillars import Pillar
from tracker.core.relations import named_by
from tracker.core.types import LabelledEnum, SluggedEnum, UTCDateTime, enum_field, utcnow
from tracker.meetings.models.meetings import AgendaItem

# The risk management plan --------------------------------------------------------------------------


class PlanPartKind(SluggedEnum):
    """The parts of a case's risk management plan, each confirmed or changed at every review."""

    RISK_ASSESSMENT = "Risk assessment"
    SUPERVISION = "Supervision"
    MONITORING_AND_CONTROL = "Monitoring and control"
    INTERVENTIONS_AND_TREATMENT = "Interventions and treatment"
    VICTIM_SAFETY_PLANNING = "Victim safety planning"
    CONTINGENCY = "Contingency plan"
    LICENCE_CONDITIONS = "Licence or order conditions"

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
    carried_from: AgendaItem | None = named_by("PlanPart.carried_from_id")

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


class DigestSent(SQLModel, table=True):
    """A weekly digest sent to a co-ordinator, once per person per week (the Monday it starts), so that
    running the weekly command twice in a week sends nothing new."""

    __tablename__ = "digest_sent"

    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    week_of: date = Field(primary_key=True)
    sent_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
