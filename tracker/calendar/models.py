"""The secret link to a person's calendar feed (only its hash is kept, one per person), and the replies
to invitations that come back by email."""

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.core.types import LabelledEnum, enum_field, timestamp_field


class FeedToken(SQLModel, table=True):
    """A person's current feed link. Resetting replaces the hash, so the old link stops at once."""

    __tablename__ = "feed_token"

    id: int | None = Field(default=None, primary_key=True)
    # One link per person; it goes when the account goes (it gives access to nothing else).
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE", sa_column_kwargs={"unique": True})
    token_hash: str = Field(max_length=64, sa_column_kwargs={"unique": True})
    created_at: datetime = timestamp_field()

    def audit_label(self) -> str:
        return f"calendar feed link for user {self.user_id}"


class ReplyAnswer(LabelledEnum):
    """An attendee's answer in an iTIP REPLY (PARTSTAT): Outlook's Accept, Tentative and Decline."""

    ACCEPTED = "Accepted"
    TENTATIVE = "Tentative"
    DECLINED = "Declined"


class EmailReply(SQLModel, table=True):
    """An email that came to the organiser's mailbox (`tracker fetch-replies`): a reply applied to a meeting
    invitation or a training place, or one left unapplied and why, for the system admin to see. Keyed by
    its Message-ID, so that no reply is applied twice."""

    __tablename__ = "email_reply"

    id: int | None = Field(default=None, primary_key=True)
    received_at: datetime = timestamp_field(index=True)
    message_id: str = Field(max_length=500, sa_column_kwargs={"unique": True})
    sender: str = Field(default="", max_length=320)
    subject: str = Field(default="", sa_type=sa.Text)
    event_uid: str | None = Field(default=None, max_length=255)
    sequence: int | None = None
    attendee: str | None = Field(default=None, max_length=320)
    answer: ReplyAnswer | None = enum_field(ReplyAnswer, nullable=True)
    comment: str = Field(default="", sa_type=sa.Text)
    applied: bool = Field(default=False, index=True)
    # Why it was not applied (or, applied, what it changed).
    outcome: str = Field(default="", sa_type=sa.Text)
    object_type: str | None = Field(default=None, max_length=60)
    object_id: str | None = Field(default=None, max_length=60)

    def audit_label(self) -> str:
        return f"email reply {self.message_id} from {self.sender}"

