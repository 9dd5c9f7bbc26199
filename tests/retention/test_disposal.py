"""Disposal of a case: its personal data is gone from every text column of every table, last year's annual
report and the dashboard for its year give the same figures, the trail keeps an erasure entry without
content; a legal hold, or the lack of a recorded decision, stops it. Its draft disclosure pack goes, and
its issued one keeps only the facts of the disclosure; outside disposal an issued pack stays closed."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from email.message import EmailMessage

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup
from sqlmodel import select

from tests.conftest import TRAIL_REFUSES, assert_trail_refuses
from tests.disclosure.conftest import pdf_text, stream_bytes
from tests.justify import disclosed, give_reason
from tracker.core import audit
from tracker.core.db import db
from tracker.core.models import AuditEvent, OutboxMessage, Setting
from tracker.core.timeutil import format_date, today_london
from tracker.core.types import utcnow
from tracker.disclosure import services as disclosure
from tracker.disclosure import sources
from tracker.disclosure.models import (
    AgencyAgreement,
    DisclosureCopy,
    DisclosurePack,
    PackDocument,
    PackPurpose,
    Redaction,
    RedactionReason,
)
from tracker.meetings.models import (
    ActionStatus,
    AgendaPurpose,
    AttendanceStatus,
    Case,
    CaseEvent,
    CaseEventKind,
    Category,
    Level,
    LevelDecision,
    MeetingStatus,
    PillarStatus,
    PlanOutcome,
    PlanPart,
    PlanPartKind,
    RiskLevel,
)
from tracker.minutes.document import MinutesRecord
from tracker.minutes.models import MinutesStatus, MinutesVersion
from tracker.reports import annual, quality
from tracker.reports.rules import ReportingYear
from tracker.retention import disposal, scrubbing, services
from tracker.retention.models import LegalHold, RecordKind, RetentionReview, ReviewOutcome

YEAR = ReportingYear(today_london().year - 3)
NAME = "Zebedee Quartermaine"
BORN = date(1961, 7, 14)
IDENTIFIERS = {
    "reference": "ZQ-RET-4471",
    "visor_reference": "VIS-8830121",
    "ndelius_reference": "X771903",
    "pnc_reference": "61/0098765Q",
}
TERMS = [NAME, *IDENTIFIERS.values(), BORN.isoformat(), "14/07/1961", "14 July 1961"]


def _day(month: int, day: int) -> date:
    """A day in the reporting year YEAR (April to March)."""
    return date(YEAR.start_year + (month < 4), month, day)


def _held_meeting(factory, day: date, chair, owner):
    meeting = factory.meeting(chair=chair, day=day, status=MeetingStatus.HELD)
    factory.invitation(meeting, owner, attendance=AttendanceStatus.PRESENT)
    return meeting


def _record(factory, meeting, case, *, purpose, mention: str, owner, carried_from=None):
    """An agenda item with a complete record that names `mention` in its free text, its plan parts, and
    an action."""
    item = factory.agenda_item(meeting, case, purpose=purpose)
    for entry in item.pillar_entries:
        entry.status = PillarStatus.ADDRESSED
        entry.summary = f"{entry.pillar.label}: weekly contact with {mention}"
    item.risk_to_public = RiskLevel.HIGH
    item.risk_notes = f"{mention} (born 14 July 1961) told staff about a new partner."
    item.contingency_plan = f"Recall {mention} if he contacts the victim."
    item.licence_conditions = f"{mention} must live at approved premises."
    item.assessment_tool, item.assessed_on = "OASys", meeting.starts_at.date() - timedelta(days=5)
    item.level_decision = LevelDecision.RETAIN
    item.level_decision_reason = f"{mention}'s risk is stable."
    item.next_review_on = meeting.starts_at.date() + timedelta(weeks=12)
    item.plan_parts = [
        PlanPart(
            case_id=case.id,
            part=kind,
            outcome=PlanOutcome.CONFIRMED if carried_from else PlanOutcome.NEW,
            carried_from_id=carried_from.id if carried_from else None,
        )
        for kind in PlanPartKind
    ]
    factory.save(item)
    factory.action(
        item,
        owner=owner,
        description=f"Check {mention}'s address ({IDENTIFIERS['pnc_reference']})",
        due_on=meeting.starts_at.date() + timedelta(days=14),
        status=ActionStatus.DONE,
        completed_on=meeting.starts_at.date() + timedelta(days=10),
        progress_note=f"Visited {mention}",
    )
    return item


@pytest.fixture
def disposable(factory, session, app):
    """A case with two held meetings in YEAR (the minutes of both approved, so frozen), actions and its plan
    confirmed at the second; another case discussed alongside it; an email, a legal hold lifted and audit
    entries that name it."""
    chair = factory.user("CHAIR")
    owner = factory.user("PRACTITIONER")
    case = factory.person(
        Category.CATEGORY_2,
        (_day(5, 2), CaseEventKind.REFERRED, Level.LEVEL_2),
        (_day(2, 20), CaseEventKind.EXITED, Level.LEVEL_2),
    )
    for field, value in IDENTIFIERS.items():
        setattr(case, field, value)
    case.name, case.date_of_birth, case.borough = NAME, BORN, "Hackney"
    factory.save(case)
    exit_event = session.exec(
        select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.kind == CaseEventKind.EXITED)
    ).one()
    exit_event.reason = f"{NAME} moved to Scotland."
    factory.save(exit_event)
    other = factory.person(Category.CATEGORY_1, (_day(4, 20), CaseEventKind.REFERRED, Level.LEVEL_2))
    first = _held_meeting(factory, _day(6, 12), chair, owner)
    second = _held_meeting(factory, _day(10, 3), chair, owner)
    item_1 = _record(factory, first, case, purpose=AgendaPurpose.INITIAL, mention=NAME, owner=owner)
    _record(factory, first, other, purpose=AgendaPurpose.INITIAL, mention=f"a friend of {NAME}", owner=owner)
    item_2 = _record(
        factory, second, case, purpose=AgendaPurpose.REVIEW, mention=NAME, owner=owner, carried_from=item_1
    )
    for meeting, item in ((first, item_1), (second, item_2)):
        sections = {
            "meeting": {
                "other_business": f"Housing for {NAME} was raised ({IDENTIFIERS['visor_reference']})."
            },
            "items": {
                str(item.id): {
                    "executive_summary": f"{NAME}, born {BORN:%d/%m/%Y}, {IDENTIFIERS['ndelius_reference']}.",
                    "new_information": f"Police: {NAME} was seen in Camden.",
                    "statement_read": True,
                }
            },
        }
        factory.minutes(meeting, MinutesStatus.APPROVED, sections=sections)
    factory.outbox_message(subject=f"Papers for {IDENTIFIERS['reference']}")
    encoded = EmailMessage()
    encoded["Subject"] = "Action reminder"
    encoded.set_content(f"Über {NAME}: the action is due.", cte="base64")
    session.add(
        OutboxMessage(
            sender="t@example.org",
            recipients="a@example.org",
            subject="Action reminder",
            message=bytes(encoded),
        )
    )
    factory.outbox_message(subject="Another case's papers")
    session.add(
        LegalHold(
            case_id=case.id,
            reason=f"Claim by {NAME}",
            placed_by_id=chair.id,
            lifted_at=utcnow(),
            lift_reason="Settled",
        )
    )
    session.commit()
    with app.test_request_context():
        audit.record("view", case)
        version = db.session.exec(select(MinutesVersion)).first()
        audit.record("view", version, summary=f"executive summary of {first.reference} for {case.reference}")
        audit.record("view", object_type="Page", summary=f"search for {NAME}")
        db.session.commit()
    session.expire_all()
    return case


def _decided_review(session, case: Case, user) -> RetentionReview:
    """A review of the case, due: the area reviews cases a year after they exit (the case exited in YEAR, so
    the rules make it due now, as disposal checks)."""
    session.merge(Setting(key="retention_case_years_after_exit", value="1"))
    review = RetentionReview(
        kind=RecordKind.CASE,
        record_id=case.id,
        rule="case-exit",
        due_on=today_london(),
        outcome=ReviewOutcome.DUE,
    )
    session.add(review)
    session.commit()
    return review


def _text_columns(connection: sa.Connection):
    inspector = sa.inspect(connection)
    for table in inspector.get_table_names():
        for column in inspector.get_columns(table):
            kind = column["type"]
            if isinstance(kind, (sa.String, sa.Text, sa.JSON)) or type(kind).__name__ in ("JSON", "JSONB"):
                yield table, column["name"]


def _mentions(connection: sa.Connection, terms: list[str]) -> list[tuple[str, str, str]]:
    """Every (table, column, value) whose text holds one of the terms (as written, or escaped in JSON)."""
    forms = {form.lower() for term in terms for form in (term, json.dumps(term)[1:-1])}
    found = []
    for table, column in _text_columns(connection):
        quoted = connection.dialect.identifier_preparer.quote
        rows = connection.execute(
            sa.text(f"SELECT CAST({quoted(column)} AS TEXT) FROM {quoted(table)}")  # noqa: S608
        ).scalars()
        for value in rows:
            if value and any(form in value.lower() for form in forms):
                found.append((table, column, value[:120]))
    return found


def _binary_mentions(connection: sa.Connection, terms: list[str]) -> list[tuple[str, str, int]]:
    """Every (table, column, length) whose bytes hold one of the terms: a PDF's extracted text and decoded
    streams, or any other bytes as they are."""
    inspector = sa.inspect(connection)
    quoted = connection.dialect.identifier_preparer.quote
    found = []
    for table in inspector.get_table_names():
        for column in inspector.get_columns(table):
            if not isinstance(column["type"], sa.LargeBinary):
                continue
            rows = connection.execute(sa.text(f"SELECT {quoted(column['name'])} FROM {quoted(table)}")).scalars()  # noqa: S608
            for value in rows:
                value = bytes(value or b"")
                if value.startswith(b"%PDF"):
                    readable = [pdf_text(value).encode(), *stream_bytes(value)]
                else:
                    readable = [value]
                text = b"\n".join(readable).lower()
                if any(term.lower().encode() in text for term in terms):
                    found.append((table, column["name"], len(value)))
    return found


@dataclass
class Packs:
    issued: int
    draft: int
    sha256: str
    size: int
    documents: int
    redactions: int


@pytest.fixture
def packs(app, session, factory, disposable) -> Packs:
    """The case's disclosure packs: one issued (with redactions whose notes, an agency's override and the
    reason its time to reply was extended name the person), one still a draft."""
    coordinator = factory.user("COORDINATOR")
    with app.test_request_context():
        case = db.session.get(Case, disposable.id)
        by = db.session.merge(coordinator)
        keys = [source.key for source in sources.available(case)]
        assert keys
        issued = disclosure.start_pack(
            case,
            f"{NAME} (data subject)",
            PackPurpose.SUBJECT_ACCESS,
            f"Asked by {NAME} by letter",
            by,
            received_on=today_london(),
        )
        disclosure.choose_documents(issued, case, keys)
        document = issued.documents[0]
        disclosure.mark(
            issued,
            document,
            0,
            disclosure.Marking("", True, False, RedactionReason.THIRD_PARTY, f"names {NAME}'s neighbour"),
            by,
        )
        disclosure.mark(
            issued,
            document,
            1,
            disclosure.Marking("", True, False, RedactionReason.OTHER, f"{IDENTIFIERS['reference']} only"),
            by,
        )
        for agency in disclosure.contributing_agencies(issued):
            disclosure.record_agreement(
                issued, agency, False, "Sam Lee", today_london(), f"Court order for {NAME}", by
            )
        # The time to reply extended, for a reason that names the person.
        disclosure.extend_reply(issued, today_london(), f"{NAME} asked for every meeting since 2019")
        copy = disclosure.issue(issued, case, str(issued.version), by)
        draft = disclosure.start_pack(
            case, "Crown Court", PackPurpose.COURT, f"Trial of {NAME}", by, received_on=today_london()
        )
        disclosure.choose_documents(draft, case, keys)
        disclosure.mark(
            draft,
            draft.documents[0],
            0,
            disclosure.Marking("", True, False, RedactionReason.OTHER, f"{NAME}'s victim"),
            by,
        )
        found = Packs(issued.id, draft.id, copy.sha256, copy.size, len(issued.documents), len(issued.redactions))
        assert NAME in pdf_text(copy.pdf)
        db.session.commit()
    session.expire_all()
    return found


def _figures(today: date):
    return annual.build(YEAR, today), quality.build(YEAR, today)


def test_disposal_leaves_no_personal_field_and_the_same_figures(
    app, session, factory, connection, disposable, packs, client_as
):
    coordinator = factory.user("COORDINATOR")
    review = _decided_review(session, disposable, coordinator)
    today = today_london()
    with app.test_request_context():
        named = {table for table, _column, _value in _mentions(connection, TERMS)}
        assert {"mappa_case", "minutes_version", "audit_event", "outbox_message", "pillar_entry"} <= named
        assert {"disclosure_pack", "disclosure_document", "disclosure_redaction"} <= named
        assert ("disclosure_copy", "pdf", packs.size) in _binary_mentions(connection, TERMS)
        report_before, dashboard_before = _figures(today)
        assert report_before.tables[1].cells[-1][-1].value >= 2  # the two people are counted
        assert dashboard_before.trend("actions").year.whole >= 3
        services.dispose(db.session.get(RetentionReview, review.id), coordinator, review.version)
        db.session.commit()
    with app.test_request_context():
        assert _mentions(connection, TERMS) == []
        assert _binary_mentions(connection, TERMS) == []
        report_after, dashboard_after = _figures(today)
        assert report_after == report_before
        assert dashboard_after == dashboard_before
        case = db.session.get(Case, disposable.id)
        assert case.disposed_at is not None and case.name == disposal.DISPOSED_NAME
        assert case.category is Category.CATEGORY_2
        assert case.date_of_birth != BORN
        subjects = {message.subject for message in db.session.exec(select(OutboxMessage))}
        assert subjects == {"Another case's papers"}  # the emails naming the person are gone, others stay
        for version in db.session.exec(select(MinutesVersion)):
            record = MinutesRecord.from_json(version.record)  # the frozen record still reads
            assert [item.name for item in record.items if item.case_id == case.id] == [disposal.DISPOSED_NAME]
        erasure = db.session.exec(
            select(AuditEvent).where(AuditEvent.action == "erase", AuditEvent.object_type == "Case")
        ).one()
        assert erasure.object_id == str(case.id)
        assert "retention rule" in erasure.summary
        assert not any(term.lower() in erasure.summary.lower() for term in TERMS)
        blanked = db.session.exec(
            select(AuditEvent).where(AuditEvent.action == "erase", AuditEvent.object_type == "AuditEvent")
        ).one()
        assert "names and identifiers of the person replaced" in blanked.summary
        assert db.session.get(RetentionReview, review.id).outcome is ReviewOutcome.DISPOSED
        _assert_packs_disposed_of(packs)
    client = client_as(coordinator)
    base = f"/cases/{disposable.id}/disclosure-packs/{packs.issued}"
    download = client.get(f"{base}/pdf")
    assert download.status_code == 302
    shown = client.get(download.headers["Location"]).get_data(as_text=True)
    assert "disposed of with the case under the retention rules" in shown
    assert packs.sha256 in shown


def _assert_packs_disposed_of(packs: Packs) -> None:
    """The draft is gone; the issued pack keeps its facts, counts and hash, and nothing of what it said."""
    assert db.session.get(DisclosurePack, packs.draft) is None
    for model in (PackDocument, Redaction, AgencyAgreement):
        assert db.session.exec(select(model).where(model.pack_id == packs.draft)).all() == []
    pack = db.session.get(DisclosurePack, packs.issued)
    assert pack.issued_at is not None and pack.issued_by_id is not None
    assert (pack.purpose, pack.requester, pack.purpose_detail) == (PackPurpose.SUBJECT_ACCESS, "", "")
    # The day the requester was told the time to reply was extended stays; why, which named them, goes.
    assert (pack.reply_extension_told_on, pack.reply_extension_reason) == (pack.request_received_on, "")
    assert (len(pack.documents), len(pack.redactions)) == (packs.documents, packs.redactions)
    assert all(paragraph["text"] == "" for document in pack.documents for paragraph in document.paragraphs)
    assert all(paragraph["heading"] for document in pack.documents for paragraph in document.paragraphs)
    assert all(redaction.note == "" for redaction in pack.redactions)
    assert all(agreement.override_reason == "" for agreement in pack.agreements)
    copy = db.session.exec(select(DisclosureCopy).where(DisclosureCopy.pack_id == pack.id)).one()
    assert (copy.pdf, copy.sha256, copy.size, copy.disposed_of) == (b"", packs.sha256, packs.size, True)
    erased = db.session.exec(
        select(AuditEvent).where(AuditEvent.action == "erase", AuditEvent.object_type == "DisclosurePack")
    ).all()
    assert sorted(int(entry.object_id) for entry in erased) == sorted([packs.issued, packs.draft])
    assert all(entry.summary and NAME not in entry.summary for entry in erased)


def test_a_pack_started_after_disposal_never_takes_the_deleted_drafts_id_nor_its_trail(
    app, session, factory, disposable, packs, client_as
):
    """The draft is the newest pack, and disposal deletes it: the next pack (another case's) gets a new
    id, so the trail of that pack holds its own entries, not the deleted draft's (on SQLite, an id was
    reused before migration 0038)."""
    coordinator = factory.user("COORDINATOR")
    review = _decided_review(session, disposable, coordinator)
    other = factory.case()
    with app.test_request_context():
        services.dispose(db.session.get(RetentionReview, review.id), coordinator, review.version)
        db.session.commit()
    with app.test_request_context():
        by = db.session.merge(coordinator)
        pack = disclosure.start_pack(
            db.session.get(Case, other.id),
            "Jordan Avery (data subject)",
            PackPurpose.SUBJECT_ACCESS,
            "",
            by,
            received_on=today_london(),
        )
        db.session.commit()
        new_id = pack.id
    assert new_id > packs.draft
    trail = session.exec(
        select(AuditEvent).where(
            AuditEvent.object_type == "DisclosurePack", AuditEvent.object_id == str(new_id)
        )
    ).all()
    assert [(entry.action, entry.case_id) for entry in trail] == [("create", other.id)]
    shown = client_as(coordinator).get(f"/admin/audit?object_type=DisclosurePack&object_id={new_id}")
    rows = [
        " ".join(tr.get_text(" ").split())
        for tr in BeautifulSoup(shown.data, "html.parser").select("tbody tr")
    ]
    assert len(rows) == 1 and "retention" not in rows[0]


def test_outside_disposal_an_issued_pack_and_its_copy_cannot_be_changed(app, session, connection, packs):
    """The erasure's own changes (blanking the text, emptying the PDF) are refused to the application's
    role outside the erasure path: on PostgreSQL even with the path's flag set, on SQLite even with a permit
    for another case; deletes are always refused."""
    refused = "cannot be changed|kept as sent|permission denied"
    postgresql = connection.dialect.name == "postgresql"
    pack_id = packs.issued
    statements = [
        sa.update(DisclosurePack).where(DisclosurePack.id == pack_id).values(requester="", purpose_detail=""),
        sa.update(Redaction).where(Redaction.pack_id == pack_id).values(note=""),
        sa.update(AgencyAgreement).where(AgencyAgreement.pack_id == pack_id).values(override_reason=""),
        sa.update(PackDocument).where(PackDocument.pack_id == pack_id).values(paragraphs=[]),
        sa.update(DisclosureCopy).where(DisclosureCopy.pack_id == pack_id).values(pdf=b""),
        sa.delete(Redaction).where(Redaction.pack_id == pack_id),
        sa.delete(PackDocument).where(PackDocument.pack_id == pack_id),
        sa.delete(DisclosureCopy).where(DisclosureCopy.pack_id == pack_id),
        sa.delete(DisclosurePack).where(DisclosurePack.id == pack_id),
    ]
    for statement in statements:
        for opened in (False, True):
            with pytest.raises(sa.exc.DatabaseError, match=refused), session.begin_nested():
                if opened and postgresql:
                    session.execute(sa.text("SELECT set_config('tracker.disclosure_erasure', 'on', true)"))
                elif opened:
                    session.execute(sa.text("INSERT INTO audit_erasure_permit (case_id) VALUES (0)"))
                session.execute(statement)
    # Not even the erasure itself, for a case that is not being disposed of.
    case_id = session.get(DisclosurePack, pack_id).case_id
    with pytest.raises(sa.exc.DatabaseError, match=f"{refused}|being disposed of"), session.begin_nested():
        if postgresql:
            session.execute(sa.text("SELECT erase_disclosure_packs(:case)"), {"case": case_id})
        else:
            session.execute(sa.text("INSERT INTO audit_erasure_permit (case_id) VALUES (:case)"), {"case": case_id})
            session.execute(
                sa.update(DisclosurePack).where(DisclosurePack.id == pack_id).values(requester="", purpose_detail="")
            )
    session.expire_all()
    pack = session.get(DisclosurePack, pack_id)
    assert pack.requester == f"{NAME} (data subject)"
    copy = session.exec(select(DisclosureCopy).where(DisclosureCopy.pack_id == pack_id)).one()
    assert NAME in pdf_text(copy.pdf)


def test_disposal_is_refused_without_a_recorded_decision(app, session, factory, disposable):
    review = _decided_review(session, disposable, factory.user("COORDINATOR"))
    with app.test_request_context():
        due = db.session.get(RetentionReview, review.id)
        with pytest.raises(disposal.DisposalRefused, match="decision"):
            disposal.dispose_of_case(db.session.get(Case, disposable.id), due, "rule")
        db.session.rollback()
    session.expire_all()
    assert session.get(Case, disposable.id).name == NAME


def test_a_legal_hold_stops_disposal_and_keeps_the_decision_open(app, session, factory, disposable):
    coordinator = factory.user("COORDINATOR")
    review = _decided_review(session, disposable, coordinator)
    with app.test_request_context():
        services.place_hold(db.session.get(Case, disposable.id), coordinator, "Judicial review pending")
        with pytest.raises(services.Refused, match="legal hold"):
            services.dispose(db.session.get(RetentionReview, review.id), coordinator, review.version)
        db.session.commit()
    session.expire_all()
    assert session.get(Case, disposable.id).name == NAME
    assert session.get(RetentionReview, review.id).outcome is ReviewOutcome.DUE


def test_the_trail_refuses_any_other_change_to_an_entry(app, session, factory):
    """The redaction path lets a disposed person's identifiers be replaced, never anything else changed,
    nor an entry deleted."""
    session.add(AuditEvent(actor="someone", action="test", summary="kept"))
    session.commit()
    assert_trail_refuses(session, summary="")
    assert_trail_refuses(session, summary="[disposed of]", redacted_at=utcnow())


def test_the_redaction_path_replaces_the_persons_identifiers_and_nothing_else(app, session, connection):
    """Only the redaction path may change the trail, and only by putting "[disposed of]" in place of the
    person's name and identifiers and marking the entry; it logs each use. Another word of the entry, or
    an entry that does not name the person, is left as it was."""
    session.add(AuditEvent(actor="someone", action="view", summary="opened ZQ-RET-4471", reason="Checking"))
    session.add(AuditEvent(actor="someone", action="view", summary="opened ZQ-RET-44712"))
    # Whatever the case; and a recipient the mark would make too long for its column ends with the mark.
    session.add(AuditEvent(actor="someone", action="export", recipient="x" * 243 + " zq-ret-4471"))
    session.commit()
    entry = session.exec(select(AuditEvent).where(AuditEvent.summary == "opened ZQ-RET-4471")).one()
    postgresql = connection.dialect.name == "postgresql"
    for change in ({"summary": ""}, {"summary": "", "redacted_at": utcnow()}, {"summary": "[disposed of]"}):
        with pytest.raises(sa.exc.DatabaseError, match=TRAIL_REFUSES), session.begin_nested():
            if postgresql:  # setting the flag the function sets does not give the application role the right
                session.execute(sa.text("SELECT set_config('tracker.audit_erasure', 'on', true)"))
            else:  # a permit lets the mark be put in and the entry marked, never a text blanked
                session.execute(sa.text("INSERT INTO audit_erasure_permit (case_id) VALUES (1)"))
            session.execute(sa.update(AuditEvent).where(AuditEvent.id == entry.id).values(**change))
    if not postgresql:  # nor, with a permit, another column changed along with the mark
        with pytest.raises(sa.exc.DatabaseError, match=TRAIL_REFUSES), session.begin_nested():
            session.execute(sa.text("INSERT INTO audit_erasure_permit (case_id) VALUES (1)"))
            session.execute(
                sa.update(AuditEvent)
                .where(AuditEvent.id == entry.id)
                .values(summary="opened [disposed of]", redacted_at=utcnow(), actor="someone else")
            )
    with app.test_request_context():
        terms = ["ZQ-RET-4471"]
        redacted = audit.redact_entries("case 1", terms, scrubbing.pattern_for(terms))
        db.session.commit()
    assert redacted == 2
    session.expire_all()
    kept = session.get(AuditEvent, entry.id)
    assert (kept.summary, kept.reason, kept.actor, kept.action) == ("opened [disposed of]", "Checking", "someone", "view")
    assert kept.redacted_at is not None
    other = session.exec(select(AuditEvent).where(AuditEvent.summary == "opened ZQ-RET-44712")).one()
    assert other.redacted_at is None
    long = session.exec(select(AuditEvent).where(AuditEvent.action == "export")).one()
    assert long.recipient == "x" * 242 + "[disposed of]" and long.redacted_at is not None
    log = session.exec(select(AuditEvent).where(AuditEvent.object_type == "AuditEvent")).one()
    assert log.action == "erase"
    assert log.summary == 'names and identifiers of the person replaced with "[disposed of]" in 2 entries on disposal of case 1'


def test_disposal_takes_only_the_persons_names_out_of_the_trail_and_the_entries_say_so(
    app, session, factory, disposable, client_as
):
    """A live case's agenda downloaded for "Solicitor acting for" the person keeps its details, reason and
    recipient, with the name replaced; a listed reason for opening the disposed case stays as chosen.
    Each entry changed says so on the audit trail page, whose statement about changes stays true."""
    coordinator = factory.user("COORDINATOR")
    live = factory.case(reference="LIVE-5501")
    meeting = factory.meeting(chair=factory.user("CHAIR"))
    factory.agenda_item(meeting, live)
    client = client_as(coordinator)
    sharing = "Sharing with a partner agency under the information sharing agreement"
    agenda = client.get(
        disclosed(
            f"/meetings/{meeting.id}/agenda/pdf",
            recipient="someone",
            **{"recipient_name": f"Solicitor acting for {NAME}", "reason": sharing},
        )
    )
    assert agenda.status_code == 200
    checking = "Checking the record for a data protection request"
    give_reason(client, disposable.id, checking)
    assert client.get(f"/cases/{disposable.id}").status_code == 200
    review = _decided_review(session, disposable, coordinator)
    with app.test_request_context():
        services.dispose(db.session.get(RetentionReview, review.id), coordinator, review.version)
        db.session.commit()

    session.expire_all()
    export = session.exec(
        select(AuditEvent).where(AuditEvent.action == "export", AuditEvent.meeting_id == meeting.id)
    ).one()
    assert export.summary == f"PDF agenda of {meeting.reference}"
    assert (export.reason, export.recipient) == (sharing, "Solicitor acting for [disposed of]")
    assert export.redacted_at is not None
    opened = session.exec(
        select(AuditEvent).where(
            AuditEvent.action == "view", AuditEvent.case_id == disposable.id, AuditEvent.justified_by == "reason"
        )
    ).all()
    assert opened and {entry.reason for entry in opened} == {checking}
    shown = client.get(f"/admin/audit?case={live.reference}&action=export")
    page = BeautifulSoup(shown.data, "html.parser")
    (row,) = [" ".join(tr.get_text(" ").split()) for tr in page.select("tbody tr")]
    assert f"PDF agenda of {meeting.reference}" in row and sharing in row
    assert "To: Solicitor acting for [disposed of]" in row
    assert f"Names of a disposed case removed on {format_date(today_london())}" in row
    statement = page.select_one("main p").get_text(" ")
    assert "never changed" not in statement and "the entry then says so" in statement


def _trail_rows(response) -> list[str]:
    return [" ".join(tr.get_text(" ").split()) for tr in BeautifulSoup(response.data, "html.parser").select("tbody tr")]


def test_the_erasure_entries_name_the_rule_once_and_only_those_who_may_see_the_case_read_them(
    app, session, factory, disposable, packs, client_as
):
    """The case's and its packs' erasure entries read "Retention rule: <the rule>; review N" (not the words
    twice) and are the case's: the co-ordinator reads them; the system admin, who sees no case data, reads
    none of them, nor the entry saying the case's names were taken out of the trail, on the page or in
    its CSV."""
    coordinator = factory.user("COORDINATOR")
    review = _decided_review(session, disposable, coordinator)
    with app.test_request_context():
        services.dispose(db.session.get(RetentionReview, review.id), coordinator, review.version)
        db.session.commit()
    rule = f"Years after the case exited MAPPA; review {review.id}"
    erased = _trail_rows(client_as(coordinator).get("/admin/audit?action=erase"))
    assert len([row for row in erased if f"Retention rule: {rule}" in row]) == 3  # the case and its 2 packs
    assert not any("retention rule: retention rule" in row.lower() for row in erased)
    assert any(f"on disposal of case {disposable.id}" in row for row in erased)
    admin = client_as("SYSTEM_ADMIN")
    assert _trail_rows(admin.get("/admin/audit?action=erase")) == ["Nothing matches this search."]
    assert not any(f"case {disposable.id}" in row or "DisclosurePack" in row for row in _trail_rows(admin.get("/admin/audit")))
    exported = admin.get(disclosed("/admin/audit.csv?action=erase")).get_data(as_text=True)
    assert exported.splitlines()[1:] == []
    whole = admin.get(disclosed("/admin/audit.csv")).get_data(as_text=True)
    assert "DisclosurePack" not in whole and "retention rule" not in whole.lower()


def test_disposal_empties_the_case_s_text_in_the_copies_a_correction_keeps(app, session, factory, disposable):
    """A correction under way keeps the meeting's record as approved and its own draft as JSON: disposal
    empties the case's free text there as in the rows, so neither approving nor abandoning the correction
    brings any of it back."""
    from tracker.meetings.models import AgendaItem
    from tracker.minutes import restore_point
    from tracker.minutes.models import Minutes

    coordinator = factory.user("COORDINATOR")
    review = _decided_review(session, disposable, coordinator)
    with app.test_request_context():
        item = db.session.exec(
            select(AgendaItem).where(AgendaItem.case_id == disposable.id, AgendaItem.purpose == AgendaPurpose.REVIEW)
        ).one()
        minutes = db.session.exec(select(Minutes).where(Minutes.meeting_id == item.meeting_id)).one()
        point = restore_point.take(item.meeting, MinutesStatus.APPROVED)
        draft = json.loads(json.dumps({key: value for key, value in point.items() if key != "status"}))
        for row in draft["pillars"].values():
            row["summary"] = "DRAFT: sleeps at his sister's flat on Tuesdays"
        db.session.add(
            MinutesVersion(
                minutes_id=minutes.id, number=2, correction_reason="Address", restore_point=point, draft_record=draft
            )
        )
        minutes.status = MinutesStatus.DRAFT
        db.session.commit()
        services.dispose(db.session.get(RetentionReview, review.id), coordinator, review.version)
        db.session.commit()
    with app.test_request_context():
        kept = db.session.exec(select(MinutesVersion).where(MinutesVersion.number == 2)).one()
        held = json.dumps([kept.restore_point, kept.draft_record])
        for text in ("sleeps at his sister", "weekly contact with", "told staff about a new partner", "Check "):
            assert text not in held, text
        assert "approved premises" not in held and "risk is stable" not in held


def test_a_list_that_showed_a_disposed_case_is_still_found_by_it_and_keeps_only_its_id(
    app, session, factory, disposable, client_as
):
    """The cases a list page showed are kept as ids (`audit_event_case`): disposal has nothing to take out
    of them, and the log still answers who read the case on a list, found by its reference after disposal."""
    coordinator = factory.user("COORDINATOR")
    client = client_as(coordinator)
    listed = client.get(f"/cases?q={NAME.split()[0]}&status=all")
    assert listed.status_code == 200 and NAME in listed.get_data(as_text=True)
    review = _decided_review(session, disposable, coordinator)
    with app.test_request_context():
        services.dispose(db.session.get(RetentionReview, review.id), coordinator, review.version)
        db.session.commit()
    found = _trail_rows(client.get(f"/admin/audit?case={disposal.disposed_reference(disposable.id)}&action=view"))
    on_list = [row for row in found if "page /cases?q=[search]&status=all" in row]
    assert len(on_list) == 1 and NAME not in on_list[0]
    assert f"{disposal.disposed_reference(disposable.id)} was on this page" in on_list[0]
