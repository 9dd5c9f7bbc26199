"""An uploaded caseload, held on the server between the preview and the import."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from tracker.core.types import timestamp_field


class CaseloadUpload(SQLModel, table=True):
    """A spreadsheet of cases (or of their open actions or past meetings) as read, kept until its rows have
    no errors and someone imports them."""

    __tablename__ = "caseload_upload"

    id: int | None = Field(default=None, primary_key=True)
    created_by_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = timestamp_field()
    filename: str = Field(default="", max_length=255)
    # What the rows are: "cases", "actions" (open actions per case) or "meetings" (past meetings per case).
    kind: str = Field(default="cases", max_length=20)
    # The rows as read: [{"line": 2, "reference": ..., "name": ..., ...}].
    rows: list[dict] = Field(default_factory=list, sa_type=sa.JSON)
    imported_at: datetime | None = timestamp_field(nullable=True, default_now=False)

    def audit_label(self) -> str:
        return f"caseload upload of {len(self.rows)} rows"
