"""Disclosure packs: what is held about a case, assembled for one requester and purpose, with passages
redacted, each contributing agency's agreement, and the exact PDF that was sent.

A pack is a draft until issued. Its documents are copies of their sources taken when chosen (approved
minutes are frozen, the plan's history is read as it stood), so redactions always point at the text they
were marked on. Issuing keeps the PDF's bytes in `DisclosureCopy`, a table the application may only add to;
after that the database refuses any change to the pack, its documents, redactions or agreements.
"""

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, Relationship, SQLModel

from tracker.auth.models import Agency, User
from tracker.core.relations import named_by, ordered_children
from tracker.core.timeutil import format_date
from tracker.core.types import LabelledEnum, UTCDateTime, enum_field, timestamp_field


class PackPurpose(LabelledEnum):
    SUBJECT_ACCESS = "Subject access request"
    COURT = "Court"
    PAROLE_BOARD = "Parole Board"
    OTHER_AREA = "Another MAPPA area"
    OTHER = "Other"


class RedactionReason(LabelledEnum):
    THIRD_PARTY = "Third-party information"
    AGENCY_NOT_AGREED = "Agency information whose owner has not agreed to its disclosure"
    OTHER = "Other"


class DocumentKind(LabelledEnum):
    EXECUTIVE_SUMMARY = "Executive summary"
    MINUTES = "Minutes"
    PLAN_HISTORY = "Risk management plan history"


class DisclosurePack(SQLModel, table=True):
    """One pack for one requester and purpose. `version` rises with every change, so the pack issued is
    the one the co-ordinator checked."""

    __tablename__ = "disclosure_pack"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="mappa_case.id", index=True, ondelete="RESTRICT")
    requester: str = Field(max_length=200)
    purpose: PackPurpose = enum_field(PackPurpose)
    purpose_detail: str = Field(default="", sa_type=sa.Text)
    # The day the request arrived (a subject access request is answered within a month of it); agencies'
    # answers are dated from it.
    request_received_on: date
    # A subject access request's time to reply extended by two further months (UK GDPR Article 12(3)): the
    # day the requester was told (within the first month) and why. None and "": not extended.
    reply_extension_told_on: date | None = None
    reply_extension_reason: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = timestamp_field()
    created_by_id: int = Field(foreign_key="user.id", ondelete="RESTRICT")
    issued_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    issued_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="RESTRICT")
    version: int = Field(default=1)

    created_by: User = named_by("DisclosurePack.created_by_id")
    issued_by: User | None = named_by("DisclosurePack.issued_by_id")
    documents: list["PackDocument"] = ordered_children("pack", "PackDocument.position")
    redactions: list["Redaction"] = ordered_children("pack", "Redaction.id")
    agreements: list["AgencyAgreement"] = ordered_children("pack", "AgencyAgreement.id")

    @property
    def is_issued(self) -> bool:
        return self.issued_at is not None

    @property
    def reply_extended(self) -> bool:
        """The time to reply to its request was extended (recorded once, with the day the requester was
        told)."""
        return self.reply_extension_told_on is not None

    @property
    def purpose_text(self) -> str:
        """The purpose as the cover sheet says it: its label, with the detail given."""
        return f"{self.purpose.label}: {self.purpose_detail}" if self.purpose_detail else self.purpose.label

    def audit_label(self) -> str:
        return f"disclosure pack {self.id} for {self.requester}"

    def audit_created(self) -> str:
        """What the entry for its creation adds to the label."""
        if self.request_received_on is None:  # refused at flush: the entry is never written
            return ""
        return f"request received {format_date(self.request_received_on)}"

    def audit_scope(self):
        return self.case_id, None


class PackDocument(SQLModel, table=True):
    """A document in a pack: its paragraphs as copied from the source, each {"heading", "text"}. Headings
    are the tracker's own labels; only the text can hold what a person wrote, and only text is redacted."""

    __tablename__ = "disclosure_document"
    __table_args__ = (sa.UniqueConstraint("pack_id", "source"),)

    id: int | None = Field(default=None, primary_key=True)
    pack_id: int = Field(foreign_key="disclosure_pack.id", index=True, ondelete="RESTRICT")
    kind: DocumentKind = enum_field(DocumentKind)
    # Where it came from: "summary:<version id>:<case id>", "minutes:<version id>:<case id>" or "plan".
    source: str = Field(max_length=80)
    title: str = Field(max_length=300)
    position: int = Field(default=0)
    paragraphs: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    # The agencies whose information the document holds (their ids), for their agreement.
    agency_ids: list[int] = Field(default_factory=list, sa_type=sa.JSON)

    pack: DisclosurePack = Relationship(back_populates="documents")

    def audit_label(self) -> str:
        return f"{self.title} in disclosure pack {self.pack_id}"

    def audit_scope(self):
        return sa.select(DisclosurePack.case_id).where(DisclosurePack.id == self.pack_id), None


class Redaction(SQLModel, table=True):
    """A passage of one paragraph left out of the pack: characters `start` to `end` of its text."""

    __tablename__ = "disclosure_redaction"

    id: int | None = Field(default=None, primary_key=True)
    pack_id: int = Field(foreign_key="disclosure_pack.id", index=True, ondelete="RESTRICT")
    document_id: int = Field(foreign_key="disclosure_document.id", index=True, ondelete="RESTRICT")
    paragraph: int
    start: int
    end: int
    reason: RedactionReason = enum_field(RedactionReason)
    note: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = timestamp_field()
    created_by_id: int = Field(foreign_key="user.id", ondelete="RESTRICT")

    pack: DisclosurePack = Relationship(back_populates="redactions")

    def audit_label(self) -> str:
        # Never the passage itself: the trail must not keep what the pack leaves out.
        return (
            f"redaction in document {self.document_id}, paragraph {self.paragraph + 1} ({self.reason.name})"
        )

    def audit_scope(self):
        return sa.select(DisclosurePack.case_id).where(DisclosurePack.id == self.pack_id), None


class AgencyAgreement(SQLModel, table=True):
    """Whether a contributing agency agreed to its information being disclosed, who said so and when; or
    why the co-ordinator went ahead without its agreement."""

    __tablename__ = "disclosure_agreement"
    __table_args__ = (sa.UniqueConstraint("pack_id", "agency_id"),)

    id: int | None = Field(default=None, primary_key=True)
    pack_id: int = Field(foreign_key="disclosure_pack.id", index=True, ondelete="RESTRICT")
    agency_id: int = Field(foreign_key="agency.id", index=True, ondelete="RESTRICT")
    agreed: bool
    agreed_by: str = Field(max_length=200)
    agreed_on: date
    override_reason: str = Field(default="", sa_type=sa.Text)
    recorded_at: datetime = timestamp_field()
    recorded_by_id: int = Field(foreign_key="user.id", ondelete="RESTRICT")

    pack: DisclosurePack = Relationship(back_populates="agreements")
    agency: Agency = Relationship()

    @property
    def settled(self) -> bool:
        """Agreed, or overridden with a reason: the pack may go."""
        return self.agreed or bool(self.override_reason.strip())

    def audit_label(self) -> str:
        return f"agency {self.agency_id} agreement to disclosure pack {self.pack_id}"

    def audit_scope(self):
        return sa.select(DisclosurePack.case_id).where(DisclosurePack.id == self.pack_id), None


class DisclosureCopy(SQLModel, table=True):
    """Exactly what was sent: the issued PDF's bytes and their SHA-256. The application may only add to
    this table (tracker.core.roles, and triggers), so the record of a disclosure cannot be rewritten."""

    __tablename__ = "disclosure_copy"

    id: int | None = Field(default=None, primary_key=True)
    pack_id: int = Field(
        foreign_key="disclosure_pack.id", ondelete="RESTRICT", sa_column_kwargs={"unique": True}
    )
    pdf: bytes = Field(sa_type=sa.LargeBinary)
    sha256: str = Field(max_length=64)
    size: int
    created_at: datetime = timestamp_field()

    @property
    def disposed_of(self) -> bool:
        """Its bytes were erased when the case was disposed of (tracker.retention.packs); the SHA-256 and
        size of what was sent stay."""
        return not self.pdf

    def audit_label(self) -> str:
        return f"issued copy of disclosure pack {self.pack_id} (SHA-256 {self.sha256})"

    def audit_scope(self):
        return sa.select(DisclosurePack.case_id).where(DisclosurePack.id == self.pack_id), None
