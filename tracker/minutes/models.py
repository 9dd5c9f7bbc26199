"""The minutes of a meeting: their versions (immutable once approved) and the people they went to.

A meeting has at most one `Minutes`: its workflow status and the lock two editors share. Its text lives in
`MinutesVersion` rows: version 1 is the first draft; a correction after approval adds version 2 with the
reason, leaving version 1 as it was approved. An approved version also keeps a frozen copy of the
meeting's records (attendance, the Four Pillars, risk, decisions, actions) so that later changes to the
meeting never change what the chair approved.
"""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from tracker.auth.models import Agency, User
from tracker.core.relations import named_by, ordered_children
from tracker.core.types import LabelledEnum, UTCDateTime, enum_field, timestamp_field
from tracker.meetings.models import Meeting


class MinutesStatus(LabelledEnum):
    DRAFT = "Draft"
    SUBMITTED = "Awaiting the chair's approval"
    APPROVED = "Approved"
    DISTRIBUTED = "Distributed"

    @property
    def is_editable(self) -> bool:
        return self in (MinutesStatus.DRAFT, MinutesStatus.SUBMITTED)


class Minutes(SQLModel, table=True):
    """The minutes of one meeting. `version` is the optimistic lock: every save and every step of the
    workflow claims it, so a change based on what someone saw earlier is refused, never applied."""

    __tablename__ = "minutes"

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", ondelete="RESTRICT", sa_column_kwargs={"unique": True})
    status: MinutesStatus = enum_field(MinutesStatus, default=MinutesStatus.DRAFT, index=True)
    created_at: datetime = timestamp_field()
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")
    updated_at: datetime = timestamp_field(index=True)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")
    # Who approves these minutes in place of the meeting's chair, who has left (None: the chair). The
    # co-ordinator hands the approval over (`tracker.minutes.handover`); the meeting's chair stays as held.
    approver_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="RESTRICT")
    version: int = Field(default=1)

    meeting: Meeting = Relationship()
    updated_by: User | None = named_by("Minutes.updated_by_id")
    approver: User | None = named_by("Minutes.approver_id")
    versions: list["MinutesVersion"] = ordered_children("minutes", "MinutesVersion.number")

    @property
    def current(self) -> "MinutesVersion":
        """The latest version: the draft being written, or the last one approved."""
        return self.versions[-1]

    @property
    def latest_approved(self) -> "MinutesVersion | None":
        return next((v for v in reversed(self.versions) if v.approved_at is not None), None)

    def audit_label(self) -> str:
        return f"minutes of meeting {self.meeting_id}"

    def audit_scope(self):
        return None, self.meeting_id


class MinutesTally(SQLModel, table=True):
    """How many meetings held (or to be held) on each day have minutes at a stage: `TO_WRITE` (not begun,
    or a draft), `AWAITING_APPROVAL` (submitted) and `UNSENT` (no version distributed yet); cancelled
    meetings are not counted. Kept by `tracker.minutes.tallies` as meetings and minutes change, so the
    co-ordinator's counts of minutes to write, to approve and overdue add up a row a day rather than every
    meeting of ten years."""

    __tablename__ = "minutes_tally"

    stage: str = Field(primary_key=True, max_length=20)
    held_on: date = Field(primary_key=True)
    meetings: int = Field(default=0)


class MinutesVersion(SQLModel, table=True):
    """One version of the minutes. While a draft, its `sections` (what the drafter writes) change; once
    approved, nothing about it changes again: `record` holds the meeting's records as approved."""

    __tablename__ = "minutes_version"
    __table_args__ = (sa.UniqueConstraint("minutes_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    minutes_id: int = Field(foreign_key="minutes.id", index=True, ondelete="RESTRICT")
    number: int = Field(default=1)
    # The drafter's text: {"meeting": {key: text}, "items": {agenda item id: {key: text or bool}}}.
    sections: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    # The meeting's records frozen at approval (None while a draft: drafts read the live records).
    record: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    # A correction's draft: the meeting's record as it stood when the correction began
    # (`tracker.minutes.restore_point`), to put back if the correction is abandoned.
    restore_point: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    # While the correction is under way, its draft of the meeting's record, kept apart from the live rows
    # (`tracker.minutes.correction`); None once approved or abandoned.
    draft_record: dict[str, Any] | None = Field(default=None, sa_type=sa.JSON)
    correction_reason: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = timestamp_field()
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    submitted_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")
    approved_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    approved_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")
    # Why someone other than the meeting's chair approved it, as the record says it ("for Daniel Price,
    # who has left"); empty when the chair approved it.
    approval_note: str = Field(default="", sa_type=sa.Text)
    distributed_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    distributed_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")

    minutes: Minutes = Relationship(back_populates="versions")
    submitted_by: User | None = named_by("MinutesVersion.submitted_by_id")
    approved_by: User | None = named_by("MinutesVersion.approved_by_id")
    distributed_by: User | None = named_by("MinutesVersion.distributed_by_id")
    recipients: list["MinutesRecipient"] = ordered_children("version", "MinutesRecipient.id")

    @property
    def is_approved(self) -> bool:
        return self.approved_at is not None

    @property
    def status(self) -> MinutesStatus:
        """Where this version stands: an earlier version stays approved (or distributed) while a
        correction after it is drafted."""
        if self.distributed_at is not None:
            return MinutesStatus.DISTRIBUTED
        if self.approved_at is not None:
            return MinutesStatus.APPROVED
        return self.minutes.status

    def audit_label(self) -> str:
        return f"version {self.number} of minutes {self.minutes_id}"

    def audit_scope(self):
        return None, sa.select(Minutes.meeting_id).where(Minutes.id == self.minutes_id)


class MinutesRecipient(SQLModel, table=True):
    """An agency (and, where known, a named person in it) that an approved version was distributed to."""

    __tablename__ = "minutes_recipient"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="minutes_version.id", index=True, ondelete="RESTRICT")
    agency_id: int = Field(foreign_key="agency.id", index=True, ondelete="RESTRICT")
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="RESTRICT")

    version: MinutesVersion = Relationship(back_populates="recipients")
    agency: Agency = Relationship()
    user: User | None = Relationship()

    def audit_label(self) -> str:
        return f"recipient of minutes version {self.version_id}: agency {self.agency_id}"

    def audit_scope(self):
        return None, _meeting_of_version(self.version_id)


def _meeting_of_version(version_id: int) -> sa.Select:
    meeting = sa.select(Minutes.meeting_id).join(MinutesVersion, MinutesVersion.minutes_id == Minutes.id)
    return meeting.where(MinutesVersion.id == version_id)


class MinutesDisclosure(SQLModel, table=True):
    """Approved minutes sent to an agency's secure group mailbox (an agency without accounts): a link
    that opens the PDF once, after the recipient confirms a code emailed to that mailbox. The link dies
    when used, when it expires, after too many wrong codes, or when revoked. Only hashes are kept."""

    __tablename__ = "minutes_disclosure"

    id: int | None = Field(default=None, primary_key=True)
    version_id: int = Field(foreign_key="minutes_version.id", index=True, ondelete="RESTRICT")
    recipient_id: int = Field(foreign_key="minutes_recipient.id", index=True, ondelete="RESTRICT")
    agency_id: int = Field(foreign_key="agency.id", index=True, ondelete="RESTRICT")
    mailbox: str = Field(max_length=254)
    reason: str = Field(default="", sa_type=sa.Text)
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    code_hash: str | None = Field(default=None, max_length=64)
    code_sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    wrong_codes: int = Field(default=0)
    created_at: datetime = timestamp_field()
    created_by_id: int = Field(foreign_key="user.id", ondelete="RESTRICT")
    expires_at: datetime = Field(sa_type=UTCDateTime)
    opened_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")

    version: MinutesVersion = Relationship()
    agency: Agency = Relationship()
    created_by: User = named_by("MinutesDisclosure.created_by_id")

    def audit_label(self) -> str:
        return f"minutes link {self.id} to {self.mailbox}"

    def audit_scope(self):
        return None, _meeting_of_version(self.version_id)

    def state(self, now: datetime) -> str:
        if self.opened_at:
            return "Opened"
        if self.revoked_at:
            return "Revoked"
        if self.expires_at <= now:
            return "Expired"
        return "Waiting"
