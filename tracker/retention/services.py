"""Retention reviews: finding the records due (the daily command), the co-ordinator's decisions, and the
legal holds on cases. Services flush; the view or the command commits."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core import locking
from tracker.core.db import db
from tracker.core.timeutil import london, today_london
from tracker.core.types import utcnow
from tracker.evaluations.models import EventEvaluation
from tracker.meetings.models import Case, CaseEvent, CaseEventKind, CaseStatus
from tracker.retention import disposal, rules
from tracker.retention.models import LegalHold, RecordKind, RetentionReview, ReviewOutcome
from tracker.training.models import CourseEvent, Enrolment, Trainee


class Refused(Exception):
    """A decision the rules do not allow; the message is for the person."""


NO_LONGER_DUE = (
    "This record is not due for review under the area's retention settings as they are now (they may have "
    "changed since the review was listed), so it cannot be disposed of. Nothing was disposed of; the daily "
    "review withdraws this review."
)


# Finding what is due ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    kind: RecordKind
    record_id: int
    due: rules.Due


def _case_candidates(today: date, only: int | None = None) -> Iterable[Found]:
    years = _setting(rules.CASE_YEARS_AFTER_EXIT)
    age = _setting(rules.CASE_REVIEW_AGE)
    exits = (
        select(CaseEvent.case_id, sa.func.max(CaseEvent.occurred_on).label("exited_on"))
        .where(CaseEvent.kind == CaseEventKind.EXITED)
        .group_by(CaseEvent.case_id)
        .subquery()
    )
    statement = (
        select(Case.id, Case.date_of_birth, Case.status, exits.c.exited_on)
        .outerjoin(exits, exits.c.case_id == Case.id)
        .where(
            col(Case.disposed_at).is_(None),
            sa.or_(
                sa.and_(
                    Case.status == CaseStatus.EXITED, exits.c.exited_on <= rules.add_years(today, -years)
                ),
                Case.date_of_birth <= rules.add_years(today, -age),
            ),
        )
    )
    if only is not None:
        statement = statement.where(Case.id == only)
    for case_id, born, status, exited_on in db.session.execute(statement):
        due = rules.case_due(
            date_of_birth=born,
            exited_on=exited_on if status is CaseStatus.EXITED else None,
            years_after_exit=years,
            review_age=age,
        )
        if due is not None:
            yield Found(RecordKind.CASE, case_id, due)


def _training_candidates(today: date, only: int | None = None) -> Iterable[Found]:
    years = _setting(rules.TRAINING_YEARS)
    last = sa.func.max(CourseEvent.starts_at)
    statement = (
        select(Trainee.id, last)
        .join(Enrolment, col(Enrolment.trainee_id) == Trainee.id)
        .join(CourseEvent, col(CourseEvent.id) == Enrolment.event_id)
        .outerjoin(User, col(User.id) == Trainee.user_id)
        .where(sa.or_(col(Trainee.user_id).is_(None), col(User.active).is_(False)))
        .group_by(Trainee.id)
    )
    if only is not None:
        statement = statement.where(Trainee.id == only)
    for trainee_id, last_start in db.session.execute(statement):
        due = rules.training_due(london(last_start).date() if last_start else None, years)
        if due is not None and due.on <= today:
            yield Found(RecordKind.TRAINING_RECORD, trainee_id, due)


def _evaluation_candidates(today: date, only: int | None = None) -> Iterable[Found]:
    years = _setting(rules.EVALUATION_YEARS)
    statement = select(EventEvaluation.id, EventEvaluation.closes_on).where(
        EventEvaluation.closes_on <= rules.add_years(today, -years)
    )
    if only is not None:
        statement = statement.where(EventEvaluation.id == only)
    for evaluation_id, closes_on in db.session.execute(statement):
        yield Found(RecordKind.EVALUATION_ANSWERS, evaluation_id, rules.evaluation_due(closes_on, years))


def _setting(definition) -> int:
    from tracker.core import settings

    return int(settings.get(definition.key))


_CANDIDATES = {
    RecordKind.CASE: _case_candidates,
    RecordKind.TRAINING_RECORD: _training_candidates,
    RecordKind.EVALUATION_ANSWERS: _evaluation_candidates,
}


def due_now(review: RetentionReview, today: date) -> rules.Due | None:
    """When the review's record is due under the area's settings and the record as they are today, or None
    when no rule makes it due now (a setting lengthened since the review was found, a case referred again,
    a leaver's account active again): then nothing may be disposed of on the strength of the review."""
    found = next(iter(_CANDIDATES[review.kind](today, only=review.record_id)), None)
    return found.due if found is not None else None


def withdraw_not_due(today: date, found: list[Found] | None = None) -> list[RetentionReview]:
    """Close, as withdrawn, every review waiting for a decision whose record no rule makes due today (`found`:
    what the rules make due, when already worked out). Returns the reviews withdrawn."""
    if found is None:
        found = [found for candidates in _CANDIDATES.values() for found in candidates(today)]
    due = {(candidate.kind, candidate.record_id) for candidate in found}
    withdrawn = [review for review in open_reviews() if (review.kind, review.record_id) not in due]
    for review in withdrawn:
        review.outcome = ReviewOutcome.WITHDRAWN
        review.decided_at = utcnow()
        review.reason = f"No rule made the record due on {today:%-d %B %Y} under the area's settings then."
        review.version += 1
    db.session.flush()
    return withdrawn


def find_due(today: date) -> list[RetentionReview]:
    """The day's review (`review_day`): returns the reviews added."""
    return review_day(today)[0]


def review_day(today: date) -> tuple[list[RetentionReview], list[RetentionReview]]:
    """List, as a review due, every record its rule makes due today that has none open, was not
    retained beyond today and was not disposed of; withdraw the open reviews of records no rule makes due
    any more (`withdraw_not_due`). Idempotent: a second run the same day adds nothing. Returns the reviews
    added and those withdrawn, from one working out of what is due."""
    found = [found for candidates in _CANDIDATES.values() for found in candidates(today)]
    withdrawn = withdraw_not_due(today, found)
    return _add_due(today, found), withdrawn


def _add_due(today: date, found: list[Found]) -> list[RetentionReview]:
    if not found:
        return []
    previous: dict[tuple[RecordKind, int], list[RetentionReview]] = {}
    kinds = {f.kind for f in found}
    for review in db.session.exec(
        select(RetentionReview).where(col(RetentionReview.kind).in_(kinds)).order_by(RetentionReview.id)
    ):
        previous.setdefault((review.kind, review.record_id), []).append(review)
    added = []
    for candidate in found:
        history = previous.get((candidate.kind, candidate.record_id), [])
        if any(r.outcome in (ReviewOutcome.DUE, ReviewOutcome.DISPOSED) for r in history):
            continue
        retained = [r.retain_until for r in history if r.outcome is ReviewOutcome.RETAINED and r.retain_until]
        if not rules.is_due(candidate.due, max(retained, default=None), today):
            continue
        review = RetentionReview(
            kind=candidate.kind,
            record_id=candidate.record_id,
            rule=candidate.due.rule,
            due_on=max([candidate.due.on, *retained]),
        )
        db.session.add(review)
        added.append(review)
    db.session.flush()
    return added


def open_reviews() -> list[RetentionReview]:
    """The reviews waiting for a decision, the longest due first."""
    return list(
        db.session.exec(
            select(RetentionReview)
            .where(RetentionReview.outcome == ReviewOutcome.DUE)
            .order_by(RetentionReview.due_on, RetentionReview.id)
        )
    )


# Decisions ----------------------------------------------------------------------------------------------


def _claim(review: RetentionReview, version: int) -> None:
    if review.outcome is not ReviewOutcome.DUE:
        raise Refused(f"This review has already been decided: {review.outcome.label.lower()}.")
    if not locking.claim(review, version):
        raise Refused("Someone else decided this review while you were reading it. Reload the page.")


def retain(
    review: RetentionReview, user: User, reason: str, review_on: date, version: int, today: date
) -> None:
    """Keep the record, with the reason and the date of its next review."""
    problems = rules.retain_refusal(reason, review_on, today, rules.latest_review(today))
    if problems:
        raise Refused(next(iter(problems.values())))
    _claim(review, version)
    review.outcome = ReviewOutcome.RETAINED
    review.reason = reason.strip()
    review.retain_until = review_on
    review.decided_at = utcnow()
    review.decided_by_id = user.id
    db.session.flush()


def dispose(review: RetentionReview, user: User, version: int, today: date | None = None) -> None:
    """Record the decision to dispose of the record, then dispose of it, in the one transaction: if the
    disposal is refused (a legal hold, or the record no longer due under today's settings) the decision is
    not kept either."""
    if review.outcome is ReviewOutcome.DUE and due_now(review, today or today_london()) is None:
        raise Refused(NO_LONGER_DUE)
    if review.kind is RecordKind.CASE:
        case = db.session.get(Case, review.record_id)
        refusal = rules.disposal_refusal(
            decided=True,
            legal_hold=disposal.active_hold(case.id) is not None,
            already_disposed=case.disposed_at is not None,
            still_managed=case.status is not CaseStatus.EXITED,
        )
        if refusal:
            raise Refused(refusal)
    _claim(review, version)
    review.outcome = ReviewOutcome.DISPOSED
    review.decided_at = utcnow()
    review.decided_by_id = user.id
    db.session.flush()
    rule = f"{rules.RULES.get(review.rule, review.rule)}; review {review.id}"
    try:
        if review.kind is RecordKind.CASE:
            case = db.session.get(Case, review.record_id)
            disposal.dispose_of_case(case, review, rule)
        elif review.kind is RecordKind.TRAINING_RECORD:
            disposal.dispose_of_training_record(db.session.get(Trainee, review.record_id), review, rule)
        else:
            disposal.dispose_of_evaluation_answers(
                db.session.get(EventEvaluation, review.record_id), review, rule
            )
    except disposal.DisposalRefused as refused:
        raise Refused(str(refused)) from refused


# Legal holds --------------------------------------------------------------------------------------------


def place_hold(case: Case, user: User, reason: str) -> LegalHold:
    if not reason.strip():
        raise Refused("Enter why the case is held")
    if case.disposed_at is not None:
        raise Refused("This case has already been disposed of.")
    if disposal.active_hold(case.id) is not None:
        raise Refused("This case is already under a legal hold.")
    hold = LegalHold(case_id=case.id, reason=reason.strip(), placed_by_id=user.id)
    db.session.add(hold)
    db.session.flush()
    return hold


def lift_hold(case: Case, user: User, reason: str) -> LegalHold:
    hold = disposal.active_hold(case.id)
    if hold is None:
        raise Refused("This case is not under a legal hold.")
    if not reason.strip():
        raise Refused("Enter why the hold is lifted")
    hold.lifted_at = utcnow()
    hold.lifted_by_id = user.id
    hold.lift_reason = reason.strip()
    db.session.flush()
    return hold
