"""Cases and their dated history, and the record of who may chair which level."""

from datetime import date, datetime, time

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from tracker.auth.models import Agency, User
from tracker.core.relations import named_by, ordered_children
from tracker.core.types import UTCDateTime, enum_field, timestamp_field
from tracker.meetings.models.enums import CaseEventKind, CaseStatus, Category, Level

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
    # When it is next due at a meeting (None if not managed through meetings): `rules.review_due_on` of the
    # fields above, stored by `tracker.meetings.tallies` whenever they change, so lists and counts of
    # reviews overdue or due soon are answered from this column's index.
    review_due_on: date | None = Field(default=None, index=True)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="RESTRICT")
    created_at: datetime = timestamp_field()
    # When its personal data was disposed of under the retention rules (tracker.retention): the row stays,
    # anonymous, so that the annual report and the dashboard still count the person.
    disposed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    version: int = Field(default=1)

    lead_agency: Agency = Relationship()
    lead_officer: User | None = named_by("Case.lead_officer_id")
    events: list["CaseEvent"] = ordered_children("case", lambda: history_order(descending=True))

    @property
    def is_category_4(self) -> bool:
        return self.category is Category.CATEGORY_4

    def audit_label(self) -> str:
        return self.reference

    def audit_scope(self):
        return self.id, None


class CaseReviewTally(SQLModel, table=True):
    """How many cases are next due at a meeting on each day (Category 4 apart), kept by
    `tracker.meetings.tallies` as cases change: the co-ordinator's counts of reviews overdue and due soon
    add up these rows rather than every case."""

    __tablename__ = "case_review_tally"

    due_on: date = Field(primary_key=True)
    category_4: bool = Field(primary_key=True)
    cases: int = Field(default=0)


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
    # The time of day it happened (London), when known: it places the entry against a meeting on the same
    # day. An entry recorded outside meetings without one came before that day's meetings (they knew of
    # it); an entry a meeting's decision made has the meeting's start (`tracker.meetings.timeline`).
    occurred_time: time | None = Field(default=None)
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


def history_order(event=None, descending: bool = False) -> list:
    """The order of a case's history entries in SQL, as `tracker.meetings.timeline.position` orders them:
    by day; within it, an entry recorded outside meetings without a time first, then by the time of day,
    a meeting's entry (its start) before an entry timed at the same minute; then as recorded. `event`:
    the columns of case_event (the model's, by default); `descending`: latest first."""
    event = event if event is not None else CaseEvent
    untimed = sa.and_(event.occurred_time.is_(None), event.agenda_item_id.is_(None))
    order = [
        event.occurred_on,
        sa.case((untimed, 0), else_=1),
        event.occurred_time,
        sa.case((event.agenda_item_id.is_(None), 1), else_=0),
        event.id,
    ]
    return [column.desc() for column in order] if descending else order


class CaseCategoryChange(SQLModel, table=True):
    """A case's category changed (on its form), and what it was before: a year's figures count each person
    by the category they had at its end, so a change made later does not alter a year already reported."""

    __tablename__ = "case_category_change"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mappa_case.id", index=True, ondelete="RESTRICT")
    changed_on: date = Field(index=True)
    previous_category: Category = enum_field(Category)
    category: Category = enum_field(Category)
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")
    recorded_at: datetime = timestamp_field()

    def audit_label(self) -> str:
        return f"category of case {self.case_id}: {self.previous_category.label} to {self.category.label}"

    def audit_scope(self):
        return self.case_id, None
