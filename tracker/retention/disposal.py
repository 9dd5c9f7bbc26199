"""Disposal: removing the personal data of a record, in one transaction, after a recorded decision.

A disposed case keeps its row and the rows of its history, anonymous: its category, levels, dated events,
the meetings' structured decisions (purposes, risk levels, pillar statuses, level decisions, review dates)
and its actions' dates and statuses. Those are what the annual report and the quality dashboard count, so
their figures do not change. What goes is everything that says who the person was or what was said about
them: the name, the reference and the ViSOR, nDelius and PNC identifiers, the date of birth, the free text
of the case, its meetings' records and its minutes (executive summaries included), the emails that named it,
any other text that names it, its draft disclosure packs, the personal text and stored PDF of its issued
ones (`tracker.retention.packs`), and its name and identifiers wherever the audit trail's texts hold them
(replaced, as in any other text, and the entries marked as changed). One erasure entry for the case and one
for each of its packs record the type, the id and the rule, never the content.

The writes are SQL statements (not ORM changes), so the approved minutes' freeze, which guards ORM writes
to a meeting's record, does not stand in the way, and no change is logged row by row with its label.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.core import audit
from tracker.core.db import db
from tracker.core.timeutil import format_date
from tracker.core.types import utcnow
from tracker.evaluations.models import Answer, EventEvaluation, Question, QuestionKind, Response
from tracker.meetings.models import Action, AgendaItem, Case, CaseEvent, CaseStatus, PillarEntry
from tracker.minutes.models import Minutes, MinutesVersion
from tracker.retention import packs, scrubbing
from tracker.retention.models import LegalHold, RecordKind, RetentionReview, ReviewOutcome
from tracker.training.models import Attendance, Enrolment, SessionReply, Trainee

DISPOSED_NAME = "Disposed of"
# The date of birth cannot be NULL (the case table is every case-data table's parent, and SQLite cannot
# relax a column without rebuilding the table): a disposed case holds this placeholder, never a real date.
PLACEHOLDER_BIRTH_DATE = date(1900, 1, 1)

class DisposalRefused(Exception):
    """The record cannot be disposed of; the message says why."""


def disposed_reference(case_id: int) -> str:
    return f"DISPOSED-{case_id}"


def personal_terms(case: Case) -> list[str]:
    """What names the person in text: the name, the references and the date of birth as people write it."""
    terms = [case.name, case.reference, case.visor_reference, case.ndelius_reference, case.pnc_reference]
    born = case.date_of_birth
    if born is not None and born != PLACEHOLDER_BIRTH_DATE:
        terms += [born.isoformat(), born.strftime("%d/%m/%Y"), format_date(born)]
    return [term for term in dict.fromkeys(term.strip() for term in terms) if term]


def _blank(value: Any) -> Any:
    """The structure kept, every text emptied (yes/no answers and numbers stay)."""
    if isinstance(value, str):
        return ""
    if isinstance(value, list):
        return [_blank(item) for item in value]
    if isinstance(value, dict):
        return {key: _blank(item) for key, item in value.items()}
    return value


# The case and its own records ---------------------------------------------------------------------------


# The free text of a case's rows in a meeting's record, emptied in the rows and in the copies of the record
# a correction to the minutes keeps (its restore point and its draft).
ITEM_TEXTS = (
    "risk_notes", "assessment_tool", "contingency_plan", "licence_conditions", "level_decision_reason"
)  # fmt: skip
PILLAR_TEXTS = ("summary", "not_applicable_reason")
ACTION_TEXTS = ("description", "dropped_reason", "progress_note")


def _blank_case_rows(connection: sa.Connection, case: Case, item_ids: list[int]) -> None:
    connection.execute(
        sa.update(Case.__table__)
        .where(Case.__table__.c.id == case.id)
        .values(
            name=DISPOSED_NAME,
            reference=disposed_reference(case.id),
            visor_reference="",
            ndelius_reference="",
            pnc_reference="",
            borough="",
            date_of_birth=PLACEHOLDER_BIRTH_DATE,
            disposed_at=utcnow(),
            version=Case.__table__.c.version + 1,
        )
    )
    connection.execute(
        sa.update(CaseEvent.__table__).where(CaseEvent.__table__.c.case_id == case.id).values(reason="")
    )
    connection.execute(
        sa.update(AgendaItem.__table__)
        .where(AgendaItem.__table__.c.case_id == case.id)
        .values(dict.fromkeys(ITEM_TEXTS, ""))
    )
    if item_ids:
        connection.execute(
            sa.update(PillarEntry.__table__)
            .where(PillarEntry.__table__.c.agenda_item_id.in_(item_ids))
            .values(dict.fromkeys(PILLAR_TEXTS, ""))
        )
    connection.execute(
        sa.update(Action.__table__)
        .where(Action.__table__.c.case_id == case.id)
        .values(dict.fromkeys(ACTION_TEXTS, ""))
    )
    reviews = RetentionReview.__table__
    connection.execute(
        sa.update(reviews)
        .where(reviews.c.kind == RecordKind.CASE.name, reviews.c.record_id == case.id)
        .values(reason="")
    )
    holds = LegalHold.__table__
    connection.execute(sa.update(holds).where(holds.c.case_id == case.id).values(reason="", lift_reason=""))


def _redacted_case_record(item: dict[str, Any], case_id: int) -> dict[str, Any]:
    """A frozen minutes record's entry for the case: the decisions' codes kept, every text gone."""
    kept = {"id", "case_id", "category", "category_4", "level", "purpose", "risks", "imminence"}
    kept |= {"level_decision", "level_after", "next_review", "assessed_on", "presenting_officer"}
    redacted = {key: (value if key in kept else _blank(value)) for key, value in item.items()}
    redacted["reference"] = disposed_reference(case_id)
    redacted["name"] = DISPOSED_NAME
    # Codes inside the lists (pillar, status, part, outcome) say nothing about the person: keep them.
    for key, codes in (
        ("pillars", ("pillar", "status")),
        ("plan", ("part", "outcome", "last_agreed")),
        ("actions", ("pillar", "agency", "owner", "due", "status")),
        ("previous_actions", ("pillar", "agency", "owner", "due", "status")),
    ):
        redacted[key] = [
            {field: (entry[field] if field in codes else _blank(entry[field])) for field in entry}
            for entry in item.get(key) or []
        ]
    return redacted


def _redact_minutes(
    connection: sa.Connection, case: Case, meeting_ids: list[int], item_ids: list[int], pattern
) -> None:
    if not meeting_ids:
        return
    versions = MinutesVersion.__table__
    rows = connection.execute(
        select(
            versions.c.id,
            versions.c.sections,
            versions.c.record,
            versions.c.correction_reason,
            versions.c.restore_point,
            versions.c.draft_record,
        )
        .join(Minutes.__table__, Minutes.__table__.c.id == versions.c.minutes_id)
        .where(Minutes.__table__.c.meeting_id.in_(meeting_ids))
    ).all()
    own_items = {str(item_id) for item_id in item_ids}
    for version_id, sections, record, correction_reason, restore_point, draft_record in rows:
        sections = dict(sections or {})
        items = dict(sections.get("items") or {})
        for key in own_items & items.keys():
            items[key] = _blank(items[key])
        sections["items"] = items
        if record is not None:
            record = dict(record)
            record["items"] = [
                _redacted_case_record(item, case.id) if item.get("case_id") == case.id else item
                for item in record.get("items") or []
            ]
        connection.execute(
            sa.update(versions)
            .where(versions.c.id == version_id)
            .values(
                sections=scrubbing.scrub(sections, pattern),
                record=scrubbing.scrub(record, pattern),
                correction_reason=scrubbing.scrub(correction_reason, pattern),
                restore_point=scrubbing.scrub(_blanked_point(restore_point, case.id, item_ids), pattern),
                draft_record=scrubbing.scrub(_blanked_point(draft_record, case.id, item_ids), pattern),
            )
        )


def _blanked_point(point: dict[str, Any] | None, case_id: int, item_ids: list[int]) -> dict[str, Any] | None:
    """A correction's copy of a meeting's record (`tracker.minutes.restore_point`) with the case's free
    text emptied, as in the rows: abandoning or approving the correction puts none of it back."""
    if not point:
        return point
    point = {name: dict(rows) if isinstance(rows, dict) else rows for name, rows in point.items()}
    own = (
        ("items", ITEM_TEXTS, lambda row: row.get("case_id") == case_id),
        ("pillars", PILLAR_TEXTS, lambda row: row.get("agenda_item_id") in item_ids),
        ("actions", ACTION_TEXTS, lambda row: row.get("case_id") == case_id),
    )
    for name, texts, belongs in own:
        for key, row in (point.get(name) or {}).items():
            if belongs(row):
                point[name][key] = {**row, **{text: "" for text in texts if text in row}}
    return point


# The one entry point ----------------------------------------------------------------------------------


def active_hold(case_id: int) -> LegalHold | None:
    return db.session.exec(
        select(LegalHold).where(LegalHold.case_id == case_id, col(LegalHold.lifted_at).is_(None))
    ).first()


def dispose_of_case(case: Case, review: RetentionReview, rule: str) -> None:
    """Remove the personal data of `case`, in the request's transaction, keeping its anonymous counts.

    Refused (DisposalRefused) unless `review` is this case's review with a recorded decision to dispose
    of it, by someone; refused under a legal hold; refused for a case already disposed of.
    """
    from tracker.retention import rules

    decided = (
        review.kind is RecordKind.CASE
        and review.record_id == case.id
        and review.outcome is ReviewOutcome.DISPOSED
        and review.decided_by_id is not None
        and review.decided_at is not None
    )
    refusal = rules.disposal_refusal(
        decided=decided,
        legal_hold=active_hold(case.id) is not None,
        already_disposed=case.disposed_at is not None,
        still_managed=case.status is not CaseStatus.EXITED,
    )
    if refusal:
        raise DisposalRefused(refusal)
    session = db.session
    session.flush()
    connection = session.connection()
    terms = personal_terms(case)
    pattern = scrubbing.pattern_for(terms)
    items = connection.execute(
        select(AgendaItem.id, AgendaItem.meeting_id).where(AgendaItem.case_id == case.id)
    ).all()
    item_ids = [row[0] for row in items]
    meeting_ids = sorted({row[1] for row in items})
    _blank_case_rows(connection, case, item_ids)
    _redact_minutes(connection, case, meeting_ids, item_ids, pattern)
    scrubbing.remove_emails(connection, terms, pattern)
    drafts, issued = packs.dispose_of_packs(connection, case.id)
    scrubbing.scrub_everywhere(connection, terms, pattern)
    audit.redact_entries(f"case {case.id}", terms, pattern)
    session.expire_all()
    audit.record_erasure("Case", case.id, rule)
    for pack_id in sorted(drafts + issued):
        audit.record_erasure("DisclosurePack", pack_id, rule, case_id=case.id)


def _require_decision(review: RetentionReview, kind: RecordKind, record_id: int) -> None:
    from tracker.retention import rules

    decided = (
        review.kind is kind
        and review.record_id == record_id
        and review.outcome is ReviewOutcome.DISPOSED
        and review.decided_by_id is not None
    )
    refusal = rules.disposal_refusal(decided=decided, legal_hold=False, already_disposed=False)
    if refusal:
        raise DisposalRefused(refusal)


def dispose_of_training_record(trainee: Trainee, review: RetentionReview, rule: str) -> None:
    """Remove who a person without an account was from their training record: the name and email go,
    with the notes, comments and override reasons about them; their places, attendance and hours stay
    (the training figures count them), and any evaluation answers they gave become anonymous."""
    _require_decision(review, RecordKind.TRAINING_RECORD, trainee.id)
    session = db.session
    session.flush()
    connection = session.connection()
    terms = [term for term in (trainee.name, trainee.email) if term and term != DISPOSED_NAME]
    pattern = scrubbing.pattern_for(terms) if terms else None
    enrolments = select(Enrolment.__table__.c.id).where(Enrolment.__table__.c.trainee_id == trainee.id)
    connection.execute(
        sa.update(Trainee.__table__)
        .where(Trainee.__table__.c.id == trainee.id)
        .values(name=DISPOSED_NAME, email=f"disposed-{trainee.id}@disposed.invalid")
    )
    connection.execute(
        sa.update(Enrolment.__table__)
        .where(Enrolment.__table__.c.trainee_id == trainee.id)
        .values(override_reason="")
    )
    connection.execute(
        sa.update(Attendance.__table__)
        .where(Attendance.__table__.c.enrolment_id.in_(enrolments))
        .values(note="")
    )
    connection.execute(
        sa.update(SessionReply.__table__)
        .where(SessionReply.__table__.c.enrolment_id.in_(enrolments))
        .values(comment="")
    )
    connection.execute(
        sa.update(Response.__table__)
        .where(Response.__table__.c.trainee_id == trainee.id)
        .values(trainee_id=None)
    )
    if pattern is not None:
        scrubbing.remove_emails(connection, terms, pattern)
        scrubbing.scrub_everywhere(connection, terms, pattern, also_skip={"trainee"})
        audit.redact_entries(f"trainee {trainee.id}", terms, pattern)
    session.expire_all()
    audit.record_erasure("Trainee", trainee.id, rule)


def dispose_of_evaluation_answers(evaluation: EventEvaluation, review: RetentionReview, rule: str) -> None:
    """Remove the written answers of an evaluation and who gave any of its answers; the ratings, yes/no
    answers and choices stay, so the figures reported from them do not change."""
    _require_decision(review, RecordKind.EVALUATION_ANSWERS, evaluation.id)
    session = db.session
    session.flush()
    connection = session.connection()
    responses = select(Response.__table__.c.id).where(Response.__table__.c.evaluation_id == evaluation.id)
    free_text = select(Question.__table__.c.id).where(
        Question.__table__.c.kind == QuestionKind.FREE_TEXT.name
    )
    connection.execute(
        sa.update(Answer.__table__)
        .where(Answer.__table__.c.response_id.in_(responses), Answer.__table__.c.question_id.in_(free_text))
        .values(text=None)
    )
    connection.execute(
        sa.update(Response.__table__)
        .where(Response.__table__.c.evaluation_id == evaluation.id)
        .values(trainee_id=None)
    )
    session.expire_all()
    audit.record_erasure("EventEvaluation", evaluation.id, rule)
