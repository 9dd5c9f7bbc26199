"""Tables that belong to no single area: the audit trail and the area's settings."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.core.types import UTCDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    """One thing that happened: who did what to which object, when and from where. Never changed."""

    __tablename__ = "audit_event"
    __table_args__ = (sa.Index("ix_audit_event_object", "object_type", "object_id"),)

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


class Setting(SQLModel, table=True):
    """An area setting changed from its default (the defaults live in tracker.core.settings)."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True, max_length=80)
    value: str = Field(sa_type=sa.Text)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
