"""What the review pages show of each record: a fixed number of queries for the whole list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core.db import db
from tracker.core.timeutil import format_date
from tracker.evaluations.models import EventEvaluation
from tracker.meetings.access import case_condition
from tracker.meetings.models import Case, CaseEvent, CaseEventKind
from tracker.retention import rules
from tracker.retention.models import LegalHold, RecordKind, RetentionReview
from tracker.training.models import CourseEvent, Trainee


@dataclass(frozen=True)
class RecordSummary:
    review: RetentionReview
    label: str
    detail: str
    held: bool = False
    case: Case | None = None

    @property
    def rule_label(self) -> str:
        return rules.RULES.get(self.review.rule, self.review.rule)


def exit_dates(case_ids: list[int]) -> dict[int, date]:
    if not case_ids:
        return {}
    rows = db.session.execute(
        select(CaseEvent.case_id, sa.func.max(CaseEvent.occurred_on))
        .where(col(CaseEvent.case_id).in_(case_ids), CaseEvent.kind == CaseEventKind.EXITED)
        .group_by(CaseEvent.case_id)
    )
    return dict(rows.all())


def held_cases(case_ids: list[int]) -> set[int]:
    if not case_ids:
        return set()
    rows = db.session.execute(
        select(LegalHold.case_id).where(
            col(LegalHold.case_id).in_(case_ids), col(LegalHold.lifted_at).is_(None)
        )
    )
    return {row[0] for row in rows}


def _case_summary(review: RetentionReview, case: Case, exited: date | None, held: bool) -> RecordSummary:
    parts = [case.category.label, case.status.label]
    if exited:
        parts.append(f"exited MAPPA {format_date(exited)}")
    return RecordSummary(review, f"Case {case.reference}", ", ".join(parts), held, case)


def summaries(reviews: list[RetentionReview], user: User) -> list[RecordSummary]:
    """Each review with what it is about, leaving out cases this person may not see (Category 4 to
    someone not cleared for it)."""
    ids = {kind: [r.record_id for r in reviews if r.kind is kind] for kind in RecordKind}
    cases = {c.id: c for c in db.session.exec(select(Case).where(col(Case.id).in_(ids[RecordKind.CASE])))}
    exits = exit_dates(list(cases))
    held = held_cases(list(cases))
    trainees = {
        t.id: t
        for t in db.session.exec(select(Trainee).where(col(Trainee.id).in_(ids[RecordKind.TRAINING_RECORD])))
    }
    evaluations = {
        row[0]: row[1:]
        for row in db.session.execute(
            select(EventEvaluation.id, CourseEvent.title, EventEvaluation.closes_on)
            .join(CourseEvent, col(CourseEvent.id) == EventEvaluation.event_id)
            .where(col(EventEvaluation.id).in_(ids[RecordKind.EVALUATION_ANSWERS]))
        )
    }
    seen = set(db.session.exec(select(Case.id).where(col(Case.id).in_(list(cases)), case_condition(user))))
    listed = []
    for review in reviews:
        if review.kind is RecordKind.CASE:
            case = cases.get(review.record_id)
            if case is not None and case.id in seen:
                listed.append(_case_summary(review, case, exits.get(case.id), case.id in held))
        elif review.kind is RecordKind.TRAINING_RECORD and review.record_id in trainees:
            trainee = trainees[review.record_id]
            listed.append(RecordSummary(review, f"Training record of {trainee.name}", trainee.agency.name))
        elif review.record_id in evaluations:
            title, closes_on = evaluations[review.record_id]
            listed.append(
                RecordSummary(review, f"Evaluation answers: {title}", f"closed {format_date(closes_on)}")
            )
    return listed


def summary_of(review: RetentionReview, user: User) -> RecordSummary | None:
    found = summaries([review], user)
    return found[0] if found else None
