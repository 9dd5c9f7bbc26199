"""Changing disclosure packs: starting one, extending the time to reply to a subject access request,
choosing its documents, marking redactions, recording the agencies' agreement, and issuing it.

Every change to a draft raises the pack's version, and issuing claims the version the check page showed,
so what is issued is what was checked. An issued pack is refused every change here, and by the database.
Services flush; the request commits.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from sqlmodel import col, select

from tracker.auth.models import Agency, User
from tracker.core import audit, settings
from tracker.core.db import db
from tracker.core.locking import claim
from tracker.core.timeutil import format_date, format_datetime, today_london
from tracker.core.types import utcnow
from tracker.disclosure import pdf, rules, sources
from tracker.disclosure.models import (
    AgencyAgreement,
    DisclosureCopy,
    DisclosurePack,
    PackDocument,
    PackPurpose,
    Redaction,
    RedactionReason,
)
from tracker.meetings.models import Case

ISSUED = rules.ISSUED
CHANGED_MEANWHILE = (
    "Someone else changed this pack while you were extending the time to reply: nothing was saved. "
    "Check the pack, then extend the time again if it still needs it"
)


class Refused(Exception):
    """The change cannot be made; the message says why, in words for the person."""


def _ensure_draft(pack: DisclosurePack) -> None:
    if pack.is_issued:
        raise Refused(ISSUED)


def _draft(pack: DisclosurePack) -> None:
    """About to change the draft (after every check has passed): it is a new version of the pack."""
    _ensure_draft(pack)
    pack.version += 1


# Starting a pack and its request -------------------------------------------------------------------


def start_pack(
    case: Case, requester: str, purpose: PackPurpose, detail: str, by: User, *, received_on: date
) -> DisclosurePack:
    """A new draft for the request received on `received_on` (refused if that day cannot be it)."""
    problem = rules.received_date_problem(received_on, case.referred_on, today_london())
    if problem:
        raise Refused(problem)
    pack = DisclosurePack(
        case_id=case.id, requester=requester, purpose=purpose, purpose_detail=detail,
        request_received_on=received_on, created_by_id=by.id,
    )
    db.session.add(pack)
    db.session.flush()
    return pack


def change_request(
    pack: DisclosurePack, requester: str, purpose: PackPurpose, detail: str, received_on: date
) -> None:
    """The request as corrected; its date stays no later than any agency's answer already recorded and,
    for a subject access request whose time to reply was extended, within a month before the requester
    was told."""
    _ensure_draft(pack)
    referred_on = db.session.get(Case, pack.case_id).referred_on
    problem = rules.received_date_problem(
        received_on, referred_on, today_london(), first_answer(pack), told_on=extension_told_on(pack, purpose)
    )
    if problem:
        raise Refused(problem)
    _draft(pack)
    pack.requester, pack.purpose, pack.purpose_detail = requester, purpose, detail
    pack.request_received_on = received_on
    db.session.flush()


def first_answer(pack: DisclosurePack) -> date | None:
    """The earliest date of an agency's answer recorded in the pack (the request came no later)."""
    return min((agreement.agreed_on for agreement in pack.agreements), default=None)


def extension_told_on(pack: DisclosurePack, purpose: PackPurpose) -> date | None:
    """The day the requester was told the time to reply was extended, if it was and the request is (still)
    a subject access request: the day the request was received is then held within a month before it."""
    return pack.reply_extension_told_on if purpose is PackPurpose.SUBJECT_ACCESS else None


def extend_reply(pack: DisclosurePack, told_on: date, reason: str) -> None:
    """Extend the time to reply to a subject access request by two further months (UK GDPR Article 12(3)),
    the requester told on `told_on` with `reason`: once, while the pack is a draft. Refused with why."""
    refused = rules.extension_refused(pack.purpose, pack.is_issued, pack.reply_extended)
    refused = refused or rules.extension_told_problem(told_on, pack.request_received_on, today_london())
    if refused or not reason.strip():
        raise Refused(refused or "Enter why the time to reply is extended")
    if not claim(pack, pack.version):  # someone else changed the pack (or extended it) meanwhile
        raise Refused(CHANGED_MEANWHILE)
    pack.reply_extension_told_on, pack.reply_extension_reason = told_on, reason.strip()
    db.session.flush()


# Documents -----------------------------------------------------------------------------------------


def choose_documents(pack: DisclosurePack, case: Case, keys: list[str]) -> None:
    """Make the pack hold exactly these documents: new ones copied from their sources now, those no longer
    chosen removed with their redactions (those still chosen keep theirs, and their copy)."""
    _draft(pack)
    offered = {source.key: source for source in sources.available(case)}
    wanted = [key for key in offered if key in set(keys)]
    held = {document.source: document for document in pack.documents}
    dropped = [document for key, document in held.items() if key not in wanted]
    for redaction in pack.redactions:
        if any(redaction.document_id == document.id for document in dropped):
            db.session.delete(redaction)
    db.session.flush()  # the redactions go first: they refer to their document
    for document in dropped:
        db.session.delete(document)
    for position, key in enumerate(wanted):
        document = held.get(key)
        if document is None:
            source = offered[key]
            document = PackDocument(
                pack_id=pack.id,
                kind=source.kind,
                source=key,
                title=source.title,
                paragraphs=source.paragraphs,
                agency_ids=source.agency_ids,
            )
            db.session.add(document)
        document.position = position
    db.session.flush()
    db.session.expire(pack, ["documents", "redactions"])


# Redactions ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Marking:
    """What the co-ordinator asked to redact in one paragraph."""

    passage: str  # exact text to find ("" with whole_paragraph)
    whole_paragraph: bool
    everywhere: bool  # the passage in every paragraph of every document, not only this one
    reason: RedactionReason
    note: str


def mark(pack: DisclosurePack, document: PackDocument, paragraph: int, marking: Marking, by: User) -> int:
    """Redact as asked; returns how many passages were marked. Refused if the passage is not there."""
    _ensure_draft(pack)
    text = document.paragraphs[paragraph]["text"]
    if marking.whole_paragraph:
        places = [(document, paragraph, 0, len(text))]
    else:
        scope = pack.documents if marking.everywhere else [document]
        places = [
            (doc, number, start, end)
            for doc in scope
            for number, para in enumerate(doc.paragraphs)
            if marking.everywhere or (doc.id == document.id and number == paragraph)
            # Everywhere else, in capitals or not: a name or word missed at the start of a sentence would
            # be disclosed.
            for start, end in rules.occurrences(para["text"], marking.passage, any_case=marking.everywhere)
        ]
        if not rules.occurrences(text, marking.passage):
            raise Refused("The passage to redact is not in this paragraph: copy it exactly as it appears")
    for doc, number, start, end in places:
        problem = rules.span_problem(doc.paragraphs[number]["text"], start, end)
        if problem:
            raise Refused(problem)
    _draft(pack)
    for doc, number, start, end in places:
        db.session.add(
            Redaction(
                pack_id=pack.id,
                document_id=doc.id,
                paragraph=number,
                start=start,
                end=end,
                reason=marking.reason,
                note=marking.note,
                created_by_id=by.id,
            )
        )
    db.session.flush()
    db.session.expire(pack, ["redactions"])
    return len(places)


def unmark(pack: DisclosurePack, redaction: Redaction) -> None:
    _draft(pack)
    db.session.delete(redaction)
    db.session.flush()
    db.session.expire(pack, ["redactions"])


def spans(pack: DisclosurePack) -> dict[tuple[int, int], list[rules.Span]]:
    """The pack's redactions by (document id, paragraph)."""
    found: dict[tuple[int, int], list[rules.Span]] = {}
    for redaction in pack.redactions:
        span = rules.Span(redaction.start, redaction.end, rules.CODES[redaction.reason])
        found.setdefault((redaction.document_id, redaction.paragraph), []).append(span)
    return found


def withheld(pack: DisclosurePack) -> dict[int, int]:
    """How many passages each document of the pack withholds: redactions that overlap or touch are one
    passage, as the PDF draws them and its key counts them."""
    counts = {document.id: 0 for document in pack.documents}
    for (document_id, _paragraph), found in spans(pack).items():
        counts[document_id] += len(rules.merge(found))
    return counts


def _passages(count: int) -> str:
    return f"{count} passage{'' if count == 1 else 's'}"


# The agencies' agreement ---------------------------------------------------------------------------


def contributing_agencies(pack: DisclosurePack) -> list[Agency]:
    """The agencies whose information the pack's documents hold, by name."""
    ids = sorted({agency_id for document in pack.documents for agency_id in document.agency_ids})
    if not ids:
        return []
    return list(db.session.exec(select(Agency).where(col(Agency.id).in_(ids)).order_by(Agency.name)).all())


def standings(pack: DisclosurePack) -> list[tuple[Agency, AgencyAgreement | None]]:
    agreements = {agreement.agency_id: agreement for agreement in pack.agreements}
    return [(agency, agreements.get(agency.id)) for agency in contributing_agencies(pack)]


def record_agreement(
    pack: DisclosurePack, agency: Agency, agreed: bool, agreed_by: str, on: date, override: str, by: User
) -> None:
    """The agency's answer to the request: dated from the day the request was received to today."""
    _ensure_draft(pack)
    problem = rules.agreement_date_problem(on, pack.request_received_on, today_london())
    if problem:
        raise Refused(problem)
    _draft(pack)
    agreement = next((a for a in pack.agreements if a.agency_id == agency.id), None)
    if agreement is None:
        agreement = AgencyAgreement(pack_id=pack.id, agency_id=agency.id)
        db.session.add(agreement)
    agreement.agreed, agreement.agreed_by, agreement.agreed_on = agreed, agreed_by, on
    agreement.override_reason = "" if agreed else override
    agreement.recorded_at, agreement.recorded_by_id = utcnow(), by.id
    db.session.flush()
    db.session.expire(pack, ["agreements"])


def problems(pack: DisclosurePack) -> list[str]:
    standing = [
        rules.AgencyStanding(
            agency.name,
            None if agreement is None else agreement.agreed,
            agreement is not None and bool(agreement.override_reason.strip()),
        )
        for agency, agreement in standings(pack)
    ]
    return rules.issue_problems(len(pack.documents), standing)


# The PDF and issuing -------------------------------------------------------------------------------


def key(pack: DisclosurePack) -> list[tuple[str, str, int]]:
    """The redaction key: every code, its reason and how many passages it withholds (after merging)."""
    counts = {code: 0 for code in rules.CODES.values()}
    for found in spans(pack).values():
        for _start, _end, codes in rules.merge(found):
            for code in codes:
                counts[code] += 1
    return [(code, reason.label, counts[code]) for reason, code in rules.CODES.items()]


def to_print(pack: DisclosurePack, case: Case, issued_on: date | None) -> pdf.PackToPrint:
    found = spans(pack)
    documents = [
        pdf.DocumentToPrint(
            document.title,
            document.kind.label,
            [
                (para["heading"], rules.segments(para["text"], found.get((document.id, number), [])))
                for number, para in enumerate(document.paragraphs)
            ],
        )
        for document in pack.documents
    ]
    return pdf.PackToPrint(
        number=pack.id,
        case_reference=case.reference,
        requester=pack.requester,
        purpose=pack.purpose_text,
        received=format_date(pack.request_received_on),
        date=format_date(issued_on) if issued_on else "Draft: not issued",
        area=str(settings.get("area_name")),
        prepared_by=pack.created_by.name,
        draft=issued_on is None,
        key=key(pack),
        documents=documents,
    )


def preview(pack: DisclosurePack, case: Case) -> bytes:
    """The pack as it would be issued, marked DRAFT on every page."""
    return pdf.pack_pdf(to_print(pack, case, None))


def issue(pack: DisclosurePack, case: Case, version: str, by: User) -> DisclosureCopy:
    """Make the PDF, keep exactly those bytes, log the disclosure, and close the pack to change.
    Raises Refused with what stops it, or locking's claim failing (someone changed the pack meanwhile)."""
    if pack.is_issued:
        raise Refused(ISSUED)
    found = problems(pack)
    if found:
        raise Refused("; ".join(found))
    if not claim(pack, version):
        raise Stale()
    data = pdf.pack_pdf(to_print(pack, case, today_london()))
    digest = hashlib.sha256(data).hexdigest()
    copy = DisclosureCopy(pack_id=pack.id, pdf=data, sha256=digest, size=len(data))
    db.session.add(copy)
    pack.issued_at, pack.issued_by_id = utcnow(), by.id
    db.session.flush()
    audit.record(
        "disclosure",
        pack,
        summary=f"disclosure pack {pack.id} for case {case.reference} to {pack.requester}; "
        f"purpose: {pack.purpose_text}; request received {format_date(pack.request_received_on)}; "
        f"issued by {by.name} ({by.email}) "
        f"on {format_datetime(pack.issued_at)}; "
        f"{len(pack.documents)} documents, {len(pack.redactions)} redactions withholding "
        f"{_passages(sum(withheld(pack).values()))}; SHA-256 {digest}",
        justified_by="disclosure",
        recipient=pack.requester,
        reason=pack.purpose_text,
    )
    return copy


class Stale(Exception):
    """Someone changed the pack after the check page was read: nothing was issued."""


COPY_DISPOSED = (
    "The copy of this pack that was sent was disposed of with the case under the retention rules. "
    "Only its SHA-256, its size and the facts of its issue are kept."
)


def issued_copy(pack: DisclosurePack) -> DisclosureCopy | None:
    return db.session.exec(select(DisclosureCopy).where(DisclosureCopy.pack_id == pack.id)).first()


def packs_for(case: Case) -> list[DisclosurePack]:
    return list(
        db.session.exec(
            select(DisclosurePack)
            .where(DisclosurePack.case_id == case.id)
            .order_by(col(DisclosurePack.created_at).desc(), col(DisclosurePack.id).desc())
        ).all()
    )
