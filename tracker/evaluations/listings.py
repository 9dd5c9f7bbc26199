"""What the evaluation pages and services read: the statements behind the pages' lists (paginated by the
views), forms and their versions, who has a link, who is due a reminder, the link a token opens. Nothing
here changes a record: changes go through services.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core import settings
from tracker.core.db import db
from tracker.core.types import utcnow
from tracker.evaluations import rules
from tracker.evaluations.models import (
    EvaluationForm,
    EvaluationInvitation,
    EventEvaluation,
    FormSection,
    InvitationLink,
    Question,
    QuestionKind,
)
from tracker.evaluations.queries.event_results import form_contents
from tracker.training.listings import enrolments_on
from tracker.training.models import ON_REGISTER, CourseEvent, Enrolment, Trainee


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


@dataclass(frozen=True)
class Measure:
    """A question of another form that a question may be marked as the same measure as."""

    lineage: str
    kind: QuestionKind
    label: str


def measures_elsewhere(family_id: int) -> list[Measure]:
    """The questions of the newest version of every other form, one per measure (lineage), by form and
    question order: what the question editor offers as "the same measure as"."""
    latest = latest_forms_statement().where(EvaluationForm.family_id != family_id).subquery()
    rows = db.session.execute(
        select(Question.lineage, Question.kind, Question.text, latest.c.name)
        .join(latest, latest.c.id == Question.form_id)
        .join(FormSection, col(FormSection.id) == Question.section_id)
        .order_by(latest.c.name, latest.c.id, FormSection.position, Question.position)
    )
    measures: dict[str, Measure] = {}
    for lineage, kind, text, form_name in rows:
        measures.setdefault(lineage, Measure(lineage, kind, f"{text} ({form_name})"))
    return list(measures.values())


def current_forms() -> list[EvaluationForm]:
    return list(db.session.exec(latest_forms_statement()))


def current_names() -> list[tuple[int, str]]:
    """Every form's current name (its newest version's), with its family."""
    latest = latest_forms_statement().subquery()
    return [tuple(row) for row in db.session.execute(select(latest.c.family_id, latest.c.name))]


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
    return enrolments_on(event.id, Enrolment.sessions_attended > 0)


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


def load_form(form_id: int) -> EvaluationForm | None:
    """A form version with its sections and questions (two more queries, whatever their number)."""
    return db.session.exec(
        select(EvaluationForm).where(EvaluationForm.id == form_id).options(*form_contents())
    ).first()



def times_sent(form_ids: list[int]) -> dict[int, int]:
    """How many events each form version has been sent to."""
    if not form_ids:
        return {}
    rows = db.session.execute(
        select(EventEvaluation.form_id, sa.func.count())
        .where(col(EventEvaluation.form_id).in_(form_ids))
        .group_by(EventEvaluation.form_id)
    )
    return dict(rows.all())



def is_locked(form: EvaluationForm) -> bool:
    return rules.is_locked(times_sent([form.id]).get(form.id, 0))



def latest_version_id(family_id: int) -> int:
    return db.session.scalar(
        select(EvaluationForm.id)
        .where(EvaluationForm.family_id == family_id)
        .order_by(col(EvaluationForm.version_number).desc())
        .limit(1)
    )



def event_or_none(event_id: int) -> CourseEvent | None:
    return db.session.exec(
        select(CourseEvent)
        .where(CourseEvent.id == event_id)
        .options(selectinload(CourseEvent.course), selectinload(CourseEvent.sessions))
    ).first()



def _without_link(evaluation: EventEvaluation):
    """People who attended at least one session of the event and have no link yet (a statement)."""
    has_link = select(EvaluationInvitation.enrolment_id).where(
        EvaluationInvitation.evaluation_id == evaluation.id
    )
    return select(Enrolment).where(
        Enrolment.event_id == evaluation.event_id,
        Enrolment.sessions_attended > 0,
        col(Enrolment.status).in_(ON_REGISTER),
        col(Enrolment.id).not_in(has_link),
    )



def attendees_without_link(evaluation: EventEvaluation) -> list[Enrolment]:
    statement = _without_link(evaluation).options(selectinload(Enrolment.trainee)).order_by(Enrolment.id)
    return list(db.session.exec(statement))



def count_without_link(evaluation: EventEvaluation) -> int:
    return db.session.scalar(select(sa.func.count()).select_from(_without_link(evaluation).subquery()))



def due_for_reminders(now: datetime, today: date) -> list[EventEvaluation]:
    """Open evaluations with people yet to answer, whose last reminder (or, before any, the latest link)
    went out at least the gap set in Settings ago: what the daily `tracker send-reminders` reminds."""
    gap = settings.get(rules.REMINDER_GAP_DAYS.key)
    latest_link = (
        select(EvaluationInvitation.evaluation_id, sa.func.max(EvaluationInvitation.sent_at).label("sent_at"))
        .where(col(EvaluationInvitation.answered).is_(False))
        .group_by(EvaluationInvitation.evaluation_id)
        .subquery()
    )
    rows = db.session.exec(
        select(EventEvaluation, latest_link.c.sent_at)
        .join(latest_link, latest_link.c.evaluation_id == EventEvaluation.id)
        .where(EventEvaluation.closes_on >= today)
        .order_by(EventEvaluation.id)
    )
    return [
        evaluation
        for evaluation, sent_at in rows
        if rules.reminder_wait(evaluation.last_reminded_at or sent_at, now, gap) is None
    ]



def invitation_for_token(token: str) -> EvaluationInvitation | None:
    if not token or len(token) > 100:
        return None
    return db.session.exec(
        select(EvaluationInvitation)
        .join(InvitationLink, col(InvitationLink.invitation_id) == EvaluationInvitation.id)
        .where(InvitationLink.token_hash == rules.token_hash(token))
    ).first()



def outstanding_for(user: User, today: date) -> list[EvaluationInvitation]:
    """The open evaluations this person has a link to and has not answered."""
    return list(
        db.session.exec(
            select(EvaluationInvitation)
            .join(Enrolment, col(Enrolment.id) == EvaluationInvitation.enrolment_id)
            .join(Trainee, col(Trainee.id) == Enrolment.trainee_id)
            .join(EventEvaluation, col(EventEvaluation.id) == EvaluationInvitation.evaluation_id)
            .where(
                Trainee.user_id == user.id,
                col(EvaluationInvitation.answered).is_(False),
                EventEvaluation.closes_on >= today,
            )
            .options(selectinload(EvaluationInvitation.evaluation).selectinload(EventEvaluation.event))
            .order_by(EventEvaluation.closes_on)
        )
    )
