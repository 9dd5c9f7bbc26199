"""Retention reviews and legal holds: which records are due for review under the area's retention rules,
what the co-ordinator decided about each (retain, with a reason and a new review date, or dispose of), and
the holds that stop a case being disposed of while it may be needed in legal proceedings.

A review names its record by kind and id only, never by a name or reference, so that it can outlive the
record's personal data as the proof that a disposal was decided by someone.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from tracker.auth.models import User
from tracker.core.relations import named_by
from tracker.core.types import LabelledEnum, UTCDateTime, enum_field, timestamp_field


class RecordKind(LabelledEnum):
    CASE = "Case"
    TRAINING_RECORD = "Training record"
    EVALUATION_ANSWERS = "Evaluation answers"


class ReviewOutcome(LabelledEnum):
    DUE = "Due for review"
    RETAINED = "Retained"
    DISPOSED = "Disposed of"
    # No rule makes the record due any more (a setting lengthened since, a case referred again): the review
    # is closed without a decision, and the record is found again when a rule makes it due.
    WITHDRAWN = "Withdrawn: no longer due"


class RetentionReview(SQLModel, table=True):
    """One review of one record: found due by `tracker retention-review` under `rule`, then decided."""

    __tablename__ = "retention_review"
    __table_args__ = (sa.Index("ix_retention_review_record", "kind", "record_id"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: RecordKind = enum_field(RecordKind)
    record_id: int
    # The rule that made the record due (a key of `rules.RULES`), and the day it became due.
    rule: str = Field(max_length=60)
    due_on: date = Field(index=True)
    found_at: datetime = timestamp_field()
    outcome: ReviewOutcome = enum_field(ReviewOutcome, default=ReviewOutcome.DUE, index=True)
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    decided_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")
    reason: str = Field(default="", sa_type=sa.Text)
    # For a record retained: when it is to be reviewed again.
    retain_until: date | None = Field(default=None)
    version: int = Field(default=1)

    decided_by: User | None = Relationship()

    def audit_label(self) -> str:
        return f"retention review of {self.kind.label.lower()} {self.record_id}"

    def audit_scope(self):
        return (self.record_id if self.kind is RecordKind.CASE else None), None


class LegalHold(SQLModel, table=True):
    """A hold on a case: while it is not lifted, the case cannot be disposed of, whatever is decided."""

    __tablename__ = "legal_hold"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mappa_case.id", index=True, ondelete="RESTRICT")
    reason: str = Field(sa_type=sa.Text)
    placed_at: datetime = timestamp_field()
    placed_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")
    lifted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    lifted_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")
    lift_reason: str = Field(default="", sa_type=sa.Text)

    placed_by: User | None = named_by("LegalHold.placed_by_id")

    def audit_label(self) -> str:
        return f"legal hold {self.id} on case {self.case_id}"

    def audit_scope(self):
        return self.case_id, None
