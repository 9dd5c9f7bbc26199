"""The secret link to a person's calendar feed: only its hash is kept, one per person."""

from datetime import datetime

from sqlmodel import Field, SQLModel

from tracker.core.types import timestamp_field


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
