"""The statements and counts behind the evaluation pages' lists (paginated by the views)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.core.db import db
from tracker.core.types import utcnow
from tracker.evaluations.models import EvaluationForm, EvaluationInvitation, EventEvaluation
from tracker.training.models import CourseEvent, Enrolment, Trainee


def latest_forms_statement() -> sa.Select:
    """The newest version of every form, the default first."""
    latest = (
        select(EvaluationForm.family_id, sa.func.max(EvaluationForm.version_number).label("number"))
        .group_by(EvaluationForm.family_id)
        .subquery()
    )
    return (
        select(EvaluationForm)
        .join(
            latest,
            sa.and_(
                latest.c.family_id == EvaluationForm.family_id,
                latest.c.number == EvaluationForm.version_number,
            ),
        )
        .order_by(col(EvaluationForm.is_default).desc(), col(EvaluationForm.name), col(EvaluationForm.id))
    )


def current_forms() -> list[EvaluationForm]:
    return list(db.session.exec(latest_forms_statement()))


def family_uses(family_ids: list[int]) -> dict[int, int]:
    """How many events each form (every version of it) has been sent to."""
    rows = db.session.execute(
        select(EvaluationForm.family_id, sa.func.count(EventEvaluation.id))
        .join(EventEvaluation, col(EventEvaluation.form_id) == EvaluationForm.id)
        .where(col(EvaluationForm.family_id).in_(family_ids))
        .group_by(EvaluationForm.family_id)
    )
    return dict(rows.all())


def versions(form: EvaluationForm) -> list[EvaluationForm]:
    """Every version of a form, newest first."""
    return list(
        db.session.exec(
            select(EvaluationForm)
            .where(EvaluationForm.family_id == form.family_id)
            .order_by(col(EvaluationForm.version_number).desc())
        )
    )


def evaluation_of(event: CourseEvent) -> EventEvaluation | None:
    return db.session.exec(select(EventEvaluation).where(EventEvaluation.event_id == event.id)).first()


def attendee_count(event: CourseEvent) -> int:
    """People who attended at least one session of the event."""
    return db.session.scalar(
        select(sa.func.count())
        .select_from(Enrolment)
        .where(Enrolment.event_id == event.id, Enrolment.sessions_attended > 0)
    )


def invitations_statement(evaluation: EventEvaluation) -> sa.Select:
    """Who an evaluation was sent to, those yet to answer first."""
    return (
        select(EvaluationInvitation)
        .join(Enrolment, col(Enrolment.id) == EvaluationInvitation.enrolment_id)
        .join(Trainee, col(Trainee.id) == Enrolment.trainee_id)
        .where(EvaluationInvitation.evaluation_id == evaluation.id)
        .options(selectinload(EvaluationInvitation.enrolment).selectinload(Enrolment.trainee))
        .order_by(col(EvaluationInvitation.answered), col(Trainee.name), col(EvaluationInvitation.id))
    )


def evaluations_statement() -> sa.Select:
    return (
        select(EventEvaluation)
        .join(CourseEvent, col(CourseEvent.id) == EventEvaluation.event_id)
        .options(selectinload(EventEvaluation.event), selectinload(EventEvaluation.form))
        .order_by(col(CourseEvent.starts_at).desc(), col(EventEvaluation.id).desc())
    )


def events_to_evaluate(limit: int = 8) -> list[CourseEvent]:
    """Events that have started and have no evaluation yet, the latest first."""
    return list(
        db.session.exec(
            select(CourseEvent)
            .where(
                col(CourseEvent.id).not_in(select(EventEvaluation.event_id)),
                col(CourseEvent.starts_at).is_not(None),
                col(CourseEvent.starts_at) <= utcnow(),
            )
            .order_by(col(CourseEvent.starts_at).desc())
            .limit(limit)
        )
    )
