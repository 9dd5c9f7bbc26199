"""Disposal of a case's disclosure packs, within the case's disposal.

A draft pack goes altogether (it was never sent: nothing about it needs keeping). An issued pack keeps the
facts of the disclosure that are not personal: its id, the purpose's category, the day its request was
received (and the day the requester was told its time to reply was extended), when and by whom it was
issued, how many documents, redactions and agreements it had, and the SHA-256 and size of the PDF sent.
What goes is what says who the person or the requester was or what was said: the requester, the purpose's
detail and the reason the time to reply was extended, the text of every paragraph of its documents (their
headings and titles are the tracker's own labels), the notes of its redactions, the override reasons of its
agreements, and the bytes of the stored PDF.

An issued pack is closed to change by the database (migration 0018). The erasure is its one way in
(migration 0024; 0054 adds the reason for an extension): on PostgreSQL the application role calls
`erase_disclosure_packs(case id)`, a SECURITY DEFINER function owned by the schema's owner; on SQLite the
triggers allow exactly these blankings while a row of `audit_erasure_permit` for the pack's case exists,
added and removed here in the transaction.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import select

from tracker.core.models import AuditErasurePermit
from tracker.disclosure.models import AgencyAgreement, DisclosureCopy, DisclosurePack, PackDocument, Redaction

# The rows of a pack's own tables, in the order they can be deleted (children first).
_CHILDREN = (Redaction, AgencyAgreement, PackDocument)


def _without_text(paragraphs: list | None) -> list:
    return [{**item, "text": ""} if isinstance(item, dict) else "" for item in paragraphs or []]


def _pack_ids(connection: sa.Connection, case_id: int, issued: bool) -> list[int]:
    """The case's issued packs, or its drafts."""
    packs = DisclosurePack.__table__
    when = packs.c.issued_at.is_not(None) if issued else packs.c.issued_at.is_(None)
    return list(connection.execute(select(packs.c.id).where(packs.c.case_id == case_id, when)).scalars())


def _delete_drafts(connection: sa.Connection, case_id: int) -> list[int]:
    packs = DisclosurePack.__table__
    drafts = _pack_ids(connection, case_id, issued=False)
    if drafts:
        for model in _CHILDREN:
            table = model.__table__
            connection.execute(sa.delete(table).where(table.c.pack_id.in_(drafts)))
        connection.execute(sa.delete(packs).where(packs.c.id.in_(drafts)))
    return drafts


def _erase_issued_on_sqlite(connection: sa.Connection, case_id: int) -> list[int]:
    packs = DisclosurePack.__table__
    issued = _pack_ids(connection, case_id, issued=True)
    if not issued:
        return []
    permit = AuditErasurePermit.__table__
    connection.execute(sa.insert(permit).values(case_id=case_id))
    try:
        connection.execute(
            sa.update(packs)
            .where(packs.c.id.in_(issued))
            .values(requester="", purpose_detail="", reply_extension_reason="")
        )
        documents = PackDocument.__table__
        rows = connection.execute(
            select(documents.c.id, documents.c.paragraphs).where(documents.c.pack_id.in_(issued))
        ).all()
        for document_id, paragraphs in rows:
            connection.execute(
                sa.update(documents)
                .where(documents.c.id == document_id)
                .values(paragraphs=_without_text(paragraphs))
            )
        redactions = Redaction.__table__
        connection.execute(sa.update(redactions).where(redactions.c.pack_id.in_(issued)).values(note=""))
        agreements = AgencyAgreement.__table__
        connection.execute(
            sa.update(agreements).where(agreements.c.pack_id.in_(issued)).values(override_reason="")
        )
        copies = DisclosureCopy.__table__
        connection.execute(sa.update(copies).where(copies.c.pack_id.in_(issued)).values(pdf=b""))
    finally:
        connection.execute(sa.delete(permit).where(permit.c.case_id == case_id))
    return issued


def dispose_of_packs(connection: sa.Connection, case_id: int) -> tuple[list[int], list[int]]:
    """Delete the case's draft packs and erase the personal data of its issued ones. Returns the ids of
    the drafts deleted and of the issued packs erased (for the erasure entries)."""
    drafts = _delete_drafts(connection, case_id)
    if connection.dialect.name == "postgresql":
        issued = connection.execute(
            sa.text("SELECT erase_disclosure_packs(:case_id)"), {"case_id": case_id}
        ).scalar_one()
        return drafts, list(issued or [])
    return drafts, _erase_issued_on_sqlite(connection, case_id)


def rows_to_leave() -> dict[str, sa.ColumnElement[bool]]:
    """For the disposal's search of every text column: the rows of issued packs (any case's), which are
    kept as sent and can only change through the erasure above. Draft packs are searched like any text."""
    issued = select(DisclosurePack.__table__.c.id).where(DisclosurePack.__table__.c.issued_at.is_not(None))
    leave: dict[str, sa.ColumnElement[bool]] = {
        "disclosure_pack": DisclosurePack.__table__.c.issued_at.is_not(None),
        "disclosure_copy": sa.true(),
    }
    for model in _CHILDREN:
        leave[model.__tablename__] = model.__table__.c.pack_id.in_(issued)
    return leave
