"""Tables that belong to no single area: the audit trail, the area's settings and the email outbox."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.core.types import LabelledEnum, UTCDateTime, enum_field, utcnow


class AuditEvent(SQLModel, table=True):
    """One thing that happened: who did what to which object, when and from where. Never changed."""

    __tablename__ = "audit_event"
    __table_args__ = (
        sa.Index("ix_audit_event_object", "object_type", "object_id"),
        # The log review searches by person, case, operation or reason, newest first, within dates.
        sa.Index("ix_audit_event_user_id_at", "user_id", "at"),
        sa.Index("ix_audit_event_case_id_at", "case_id", "at"),
        sa.Index("ix_audit_event_action_at", "action", "at"),
        sa.Index("ix_audit_event_reason_at", "reason", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id", index=True, ondelete="RESTRICT")
    actor: str = Field(max_length=255)
    action: str = Field(max_length=40, index=True)
    object_type: str | None = Field(default=None, max_length=60)
    object_id: str | None = Field(default=None, max_length=60)
    summary: str = Field(default="", sa_type=sa.Text)
    ip_address: str | None = Field(default=None, max_length=64)
    # The case and the meeting the entry is about, where it is about case data: the trail shows such
    # entries only to people who may see that case or meeting (Category 4 to those cleared for it).
    case_id: int | None = Field(default=None, index=True)
    meeting_id: int | None = Field(default=None, index=True)
    # Section 62 of the Data Protection Act 2018: why data was consulted or disclosed, and how that was
    # established ("role": the person's part in the case, named in `reason`; "reason": the reason they
    # gave), and for a disclosure who received it (a person, an agency or a mailbox).
    justified_by: str = Field(default="", max_length=20)
    reason: str = Field(default="", max_length=500)
    recipient: str = Field(default="", max_length=255)
    # When disposing of a person under the retention rules replaced their name and identifiers in this
    # entry's texts with "[disposed of]" (`tracker.core.audit.redact_entries`): the one change an entry
    # may undergo, and the page says so beside it.
    redacted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class AuditEventCase(SQLModel, table=True):
    """A case a list page showed, beside that page's one `view` entry (the case list, the action list): the
    log review's search by case finds the list views that showed it. Written with the entry, in the same
    transaction, and never changed, as the trail itself (migration 0055). It holds the case's id and no
    more, as `AuditEvent.case_id` does: nothing a case's disposal must take out."""

    __tablename__ = "audit_event_case"
    # The search by case reads the links of that case (its cases' ids, then their entries).
    __table_args__ = (sa.Index("ix_audit_event_case_case_id", "case_id", "audit_event_id"),)
    # The links are part of the trail's entry: they need no entry of their own.
    __audited__ = False

    audit_event_id: int = Field(foreign_key="audit_event.id", primary_key=True, ondelete="RESTRICT")
    case_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})


class AuditErasurePermit(SQLModel, table=True):
    """While a row exists (within the one transaction of a case's disposal), SQLite's append-only trigger
    lets a disposed person's identifiers be replaced in the trail's texts; empty at every other moment.
    PostgreSQL uses a SECURITY DEFINER function instead (see `tracker.core.audit.redact_entries`)."""

    __tablename__ = "audit_erasure_permit"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int


class Setting(SQLModel, table=True):
    """An area setting changed from its default (the defaults live in tracker.core.settings)."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True, max_length=80)
    value: str = Field(sa_type=sa.Text)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")

    def audit_label(self) -> str:
        """Which setting, and its value (as stored); a setting deleted went back to its default."""
        state = sa.inspect(self)
        if state.deleted or (state.session is not None and self in state.session.deleted):
            return f"{self.key} back to its default (was {self.value})"[:300]
        return f"{self.key} = {self.value}"[:300]


class OutboxStatus(LabelledEnum):
    QUEUED = "Queued"
    SENT = "Sent"
    FAILED = "Failed"


class OutboxMessage(SQLModel, table=True):
    """An email waiting to go, sent, or given up on: written in the same transaction as the change that
    causes it, and delivered by `tracker send-mail` (tracker.core.sending)."""

    __tablename__ = "outbox_message"
    # The sender's question, "what is due now?", is answered from this index alone.
    __table_args__ = (sa.Index("ix_outbox_message_due", "status", "next_attempt_at"),)
    # Each delivery and each final failure is in the trail already ("email sent", "email failed"); the
    # row's own bookkeeping (claims, attempts) would only bury them.
    __audited__ = False

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime, index=True)
    status: OutboxStatus = enum_field(OutboxStatus, default=OutboxStatus.QUEUED)
    sender: str = Field(max_length=320)
    recipients: str = Field(sa_type=sa.Text)  # comma-separated envelope recipients
    subject: str = Field(default="", sa_type=sa.Text)
    message: bytes = Field(sa_type=sa.LargeBinary)
    # What the email is about, for the audit entries the sender writes.
    about_type: str | None = Field(default=None, max_length=60)
    about_id: str | None = Field(default=None, max_length=60)
    summary: str = Field(default="", sa_type=sa.Text)
    attempts: int = 0
    next_attempt_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    # A sender claims a row until `claimed_until`; a sender that dies leaves a claim that runs out.
    claimed_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    claim_token: str | None = Field(default=None, max_length=32)
    last_error: str | None = Field(default=None, sa_type=sa.Text)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

    @property
    def recipient_list(self) -> list[str]:
        return [address.strip() for address in self.recipients.split(",") if address.strip()]
