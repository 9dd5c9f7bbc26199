"""The Board's records: the annual report's figures the tracker does not hold (entered by the co-ordinator,
one row per reporting year) and the quality audits of meetings (one per meeting, a score per criterion).

Neither holds a case name or reference: figures are aggregates, and an audit points at a meeting.
"""

from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from tracker.auth.models import User
from tracker.core.relations import named_by, ordered_children
from tracker.core.types import LabelledEnum, UTCDateTime, enum_field, timestamp_field
from tracker.meetings.models import Meeting
from tracker.training.rules import ReportingYear


class AnnualFigures(SQLModel, table=True):
    """The figures of one reporting year (1 April to 31 March) that come from outside the tracker: ViSOR,
    the courts and the police. Empty (None) until the co-ordinator enters them."""

    __tablename__ = "annual_figures"

    id: int | None = Field(default=None, primary_key=True)
    # The reporting year by its first calendar year: 2024 is 1 April 2024 to 31 March 2025.
    start_year: int = Field(sa_column_kwargs={"unique": True})
    level_1_category_1: int | None = Field(default=None)
    level_1_category_2: int | None = Field(default=None)
    # Category 3 is never managed at Level 1: the published table shows "-" there, so nothing is held.
    breach_cautioned: int | None = Field(default=None)
    breach_convicted: int | None = Field(default=None)
    # Cautioned and convicted together, as years entered before the two were asked for separately hold it.
    breach_of_notification: int | None = Field(default=None)
    notification_revoked: int | None = Field(default=None)
    shpo_imposed: int | None = Field(default=None)
    shpo_foreign_travel: int | None = Field(default=None)
    notification_orders: int | None = Field(default=None)
    sro_breach_notification: int | None = Field(default=None)
    shpo_breach_level_2: int | None = Field(default=None)
    shpo_breach_level_3: int | None = Field(default=None)
    # The population aged 10 and over that the rate per 100,000 is worked out from, and where it comes
    # from (for example the ONS mid-year estimate). Years entered before hold the rate itself instead.
    population: int | None = Field(default=None, sa_type=sa.BigInteger)
    population_source: str = Field(default="", max_length=300)
    notification_rate: Decimal | None = Field(default=None, sa_type=sa.Numeric(8, 2))
    updated_at: datetime = timestamp_field()
    updated_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    version: int = Field(default=1)

    updated_by: User | None = Relationship()

    def audit_label(self) -> str:
        return f"annual report figures {ReportingYear(self.start_year).label}"


class AuditCriterion(LabelledEnum):
    """The national meeting-audit form: how the meeting ran, criterion by criterion."""

    PAPERS_IN_ADVANCE = "Papers and previous minutes sent in advance"
    PURPOSE_STATED = "Purpose of the meeting stated (initial or review)"
    INTRODUCTIONS = "Introductions made"
    CONFIDENTIALITY_STATEMENT = "Confidentiality and diversity statement read"
    TIME_BY_URGENCY = "Time given according to urgency"
    AGENCIES_CONTRIBUTE = "Every agency invited to contribute"
    DISSENT_RECORDED = "Dissent recorded, with how the meeting proceeded"
    RISK_SUMMARY = "The chair summarised the risk factors"
    VICTIMS_AND_DIVERSITY = "Victims and diversity considered"
    LEVEL_RECONSIDERED = "The level reconsidered"
    REVIEW_DATE_SET = "A review date set"


class AuditStatus(LabelledEnum):
    ASSIGNED = "To do"
    COMPLETED = "Completed"


class MeetingAudit(SQLModel, table=True):
    """A quality audit of one held meeting by a named auditor: the co-ordinator, or someone they chose."""

    __tablename__ = "meeting_audit"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", ondelete="RESTRICT", sa_column_kwargs={"unique": True})
    auditor_id: int = Field(foreign_key="user.id", index=True, ondelete="RESTRICT")
    assigned_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")
    status: AuditStatus = enum_field(AuditStatus, default=AuditStatus.ASSIGNED, index=True)
    created_at: datetime = timestamp_field()
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    version: int = Field(default=1)

    meeting: Meeting = Relationship()
    auditor: User = named_by("MeetingAudit.auditor_id")
    scores: list["AuditScore"] = ordered_children("audit", "AuditScore.id", cascade="all, delete-orphan")

    def score_for(self, criterion: AuditCriterion) -> "AuditScore | None":
        return next((score for score in self.scores if score.criterion is criterion), None)

    def audit_label(self) -> str:
        return f"quality audit of meeting {self.meeting_id}"

    def audit_scope(self):
        return None, self.meeting_id


class AuditScore(SQLModel, table=True):
    """One criterion of an audit: 4 Excellent to 1 Poor (None: not applicable), and the auditor's comment."""

    __tablename__ = "audit_score"
    __table_args__ = (sa.UniqueConstraint("audit_id", "criterion"),)

    id: int | None = Field(default=None, primary_key=True)
    audit_id: int = Field(foreign_key="meeting_audit.id", index=True, ondelete="CASCADE")
    criterion: AuditCriterion = enum_field(AuditCriterion, index=True)
    score: int | None = Field(default=None)
    comment: str = Field(default="", sa_type=sa.Text)

    audit: MeetingAudit = Relationship(back_populates="scores")

    def audit_label(self) -> str:
        return f"{self.criterion.label} in audit {self.audit_id}"

    def audit_scope(self):
        return None, sa.select(MeetingAudit.meeting_id).where(MeetingAudit.id == self.audit_id)


class ReviewTally(SQLModel, table=True):
    """How many discussions at held meetings on each day were reviews or initial meetings, held on time or
    not (Category 4 apart, and only those the Board dashboard counts), kept by `tracker.reports.tallies` as
    cases, agenda items, meetings and the review intervals change: the dashboard's "held on time" figures
    add up a row a day rather than every case's history."""

    __tablename__ = "review_tally"

    held_on: date = Field(primary_key=True)
    kind: str = Field(primary_key=True, max_length=20)  # REVIEW or INITIAL
    on_time: bool = Field(primary_key=True)
    discussions: int = Field(default=0)


class ActionTally(SQLModel, table=True):
    """How many actions due on each day (the date in force: a new date set since the meeting, or the date
    agreed) were done on time, done late, or are open (Category 4 apart;
    dropped actions are not counted), kept by `tracker.reports.tallies` as actions and cases change: the
    dashboard's "actions completed on time" adds up a row a day rather than the year's actions."""

    __tablename__ = "action_tally"

    due_on: date = Field(primary_key=True)
    outcome: str = Field(primary_key=True, max_length=20)  # ON_TIME, LATE or OPEN
    actions: int = Field(default=0)


class DiscussionTally(SQLModel, table=True):
    """How many discussions at meetings held on each day had all Four Pillars recorded (addressed or not
    applicable) or not (Category 4 apart), kept by `tracker.reports.tallies`."""

    __tablename__ = "discussion_tally"

    held_on: date = Field(primary_key=True)
    all_pillars: bool = Field(primary_key=True)
    discussions: int = Field(default=0)


class PillarTally(SQLModel, table=True):
    """How many pillar entries of discussions at meetings held on each day are at each status, pillar by
    pillar (Category 4 apart), kept by `tracker.reports.tallies`."""

    __tablename__ = "pillar_tally"

    held_on: date = Field(primary_key=True)
    pillar: str = Field(primary_key=True, max_length=40)
    status: str = Field(primary_key=True, max_length=20)
    entries: int = Field(default=0)


class MinutesSentTally(SQLModel, table=True):
    """How many meetings held on each day (imported ones apart) had their minutes first distributed on
    time, late, or not yet (`ON_TIME`, `LATE`, `UNSENT`), kept by `tracker.reports.tallies`: the deadline
    is the area's working days after the meeting, so a change to that setting counts every meeting afresh."""

    __tablename__ = "minutes_sent_tally"

    held_on: date = Field(primary_key=True)
    sent: str = Field(primary_key=True, max_length=20)
    meetings: int = Field(default=0)


class AttendanceTally(SQLModel, table=True):
    """How many invitations of each agency to meetings held on each day, where attendance was recorded,
    were represented (present, or a named deputy went) or not, kept by `tracker.reports.meeting_tallies`."""

    __tablename__ = "attendance_tally"

    held_on: date = Field(primary_key=True)
    agency_id: int = Field(primary_key=True)
    represented: bool = Field(primary_key=True)
    invitations: int = Field(default=0)


class AuditTally(SQLModel, table=True):
    """How many meetings held on each day have a completed quality audit, kept by
    `tracker.reports.meeting_tallies`."""

    __tablename__ = "audit_tally"

    held_on: date = Field(primary_key=True)
    audits: int = Field(default=0)


class AuditScoreTally(SQLModel, table=True):
    """How many criteria of the completed audits of meetings held on each day were given each score, kept
    by `tracker.reports.meeting_tallies` (a criterion not applicable has no score and is not counted)."""

    __tablename__ = "audit_score_tally"

    held_on: date = Field(primary_key=True)
    criterion: str = Field(primary_key=True, max_length=40)
    score: int = Field(primary_key=True)
    scores: int = Field(default=0)
