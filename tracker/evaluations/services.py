"""Changes to evaluations that touch several rows: versions of forms, sending links, reminders, answers.

Services flush when they need ids and never commit: the request commits once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

import sqlalchemy as sa
from flask import current_app, render_template, url_for
from sqlalchemy.orm import selectinload
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core import mail, settings
from tracker.core.db import db
from tracker.core.types import utcnow
from tracker.evaluations import rules
from tracker.evaluations.models import (
    Answer,
    EvaluationForm,
    EvaluationInvitation,
    EventEvaluation,
    FormSection,
    InvitationLink,
    Question,
    Response,
)
from tracker.training.models import CourseEvent, Enrolment, EnrolmentStatus, Trainee

# Forms and their versions ----------------------------------------------------------------------


def load_form(form_id: int) -> EvaluationForm | None:
    """A form version with its sections and questions (two more queries, whatever their number)."""
    return db.session.exec(
        select(EvaluationForm)
        .where(EvaluationForm.id == form_id)
        .options(
            selectinload(EvaluationForm.sections).selectinload(FormSection.questions),
            selectinload(EvaluationForm.questions),
        )
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


def create_form(name: str, description: str, user: User) -> EvaluationForm:
    form = EvaluationForm(name=name, description=description, created_by_id=user.id)
    db.session.add(form)
    db.session.flush()
    form.family_id = form.id
    form.sections.append(FormSection(title="Questions", position=1))
    db.session.flush()
    return form


@dataclass
class Copy:
    """A new version, and where each section and question of the old one went."""

    form: EvaluationForm
    sections: dict[int, FormSection] = field(default_factory=dict)
    questions: dict[int, Question] = field(default_factory=dict)


def new_version(old: EvaluationForm, user: User) -> Copy:
    """The next version of a form: a copy of every section and question, keeping their lineage."""
    number = db.session.scalar(
        select(sa.func.max(EvaluationForm.version_number)).where(EvaluationForm.family_id == old.family_id)
    )
    form = EvaluationForm(
        family_id=old.family_id,
        version_number=number + 1,
        name=old.name,
        description=old.description,
        is_default=old.is_default,
        created_by_id=user.id,
    )
    copy = Copy(form)
    db.session.add(form)
    for section in old.sections:
        new_section = FormSection(
            title=section.title, description=section.description, position=section.position
        )
        form.sections.append(new_section)
        copy.sections[section.id] = new_section
        for question in section.questions:
            new_question = Question(
                form=form,
                kind=question.kind,
                text=question.text,
                hint=question.hint,
                required=question.required,
                options=list(question.options),
                position=question.position,
                lineage=question.lineage,
            )
            new_section.questions.append(new_question)
            copy.questions[question.id] = new_question
    db.session.flush()
    return copy


def writable(form: EvaluationForm, user: User) -> Copy:
    """The version a change may be made to: this one, or (once it has been sent) a new version."""
    if is_locked(form):
        return new_version(form, user)
    copy = Copy(form)
    copy.sections = {section.id: section for section in form.sections}
    copy.questions = {question.id: question for question in form.questions}
    return copy


def renumber(items: list) -> None:
    for position, item in enumerate(items, start=1):
        item.position = position


# Sending ---------------------------------------------------------------------------------------------


def event_or_none(event_id: int) -> CourseEvent | None:
    return db.session.exec(
        select(CourseEvent)
        .where(CourseEvent.id == event_id)
        .options(selectinload(CourseEvent.course), selectinload(CourseEvent.sessions))
    ).first()


def attach(event: CourseEvent, form: EvaluationForm, closes_on: date, always_anonymous: bool, user: User):
    evaluation = EventEvaluation(
        event_id=event.id,
        form_id=form.id,
        closes_on=closes_on,
        always_anonymous=always_anonymous,
        created_by_id=user.id,
    )
    db.session.add(evaluation)
    db.session.flush()
    return evaluation


def _without_link(evaluation: EventEvaluation):
    """People who attended at least one session of the event and have no link yet (a statement)."""
    has_link = select(EvaluationInvitation.enrolment_id).where(
        EvaluationInvitation.evaluation_id == evaluation.id
    )
    return select(Enrolment).where(
        Enrolment.event_id == evaluation.event_id,
        Enrolment.sessions_attended > 0,
        col(Enrolment.status).in_((EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED)),
        col(Enrolment.id).not_in(has_link),
    )


def attendees_without_link(evaluation: EventEvaluation) -> list[Enrolment]:
    statement = _without_link(evaluation).options(selectinload(Enrolment.trainee)).order_by(Enrolment.id)
    return list(db.session.exec(statement))


def count_without_link(evaluation: EventEvaluation) -> int:
    return db.session.scalar(select(sa.func.count()).select_from(_without_link(evaluation).subquery()))


def new_link(invitation: EvaluationInvitation) -> str:
    """A new link for the invitation (its token's hash kept), as the full address to email."""
    token, token_hash = rules.new_token()
    db.session.add(InvitationLink(invitation=invitation, token_hash=token_hash))
    return current_app.config["BASE_URL"].rstrip("/") + url_for("evaluations.answer", token=token)


def send_links(evaluation: EventEvaluation) -> int:
    """Give every attendee without a link one, by email; return how many were sent."""
    enrolments = attendees_without_link(evaluation)
    for enrolment in enrolments:
        invitation = EvaluationInvitation(evaluation_id=evaluation.id, enrolment=enrolment)
        db.session.add(invitation)
        _email(invitation, evaluation, reminder=False)
    return len(enrolments)


def remind(evaluation: EventEvaluation) -> int:
    """Email the link again to everyone who has not answered; return how many."""
    waiting = list(
        db.session.exec(
            select(EvaluationInvitation)
            .where(
                EvaluationInvitation.evaluation_id == evaluation.id,
                col(EvaluationInvitation.answered).is_(False),
            )
            .options(selectinload(EvaluationInvitation.enrolment).selectinload(Enrolment.trainee))
        )
    )
    for invitation in waiting:
        invitation.reminders += 1
        _email(invitation, evaluation, reminder=True)
    evaluation.last_reminded_at = utcnow()
    evaluation.version += 1
    return len(waiting)


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


def _email(invitation: EvaluationInvitation, evaluation: EventEvaluation, *, reminder: bool) -> None:
    trainee = invitation.enrolment.trainee
    event = evaluation.event
    subject = f"{'Reminder: ' if reminder else ''}Tell us about {event.title}"
    message = mail.new_message(trainee.email, subject)
    message.set_content(
        render_template(
            "evaluations/email/link.txt",
            name=trainee.name,
            event=event,
            link=new_link(invitation),
            closes_on=evaluation.closes_on,
            reminder=reminder,
            always_anonymous=evaluation.always_anonymous,
        )
    )
    mail.queue(message)


# Answering ---------------------------------------------------------------------------------------------


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


class AlreadyAnswered(Exception):
    pass


def submit(
    invitation: EvaluationInvitation,
    form: EvaluationForm,
    values: dict[int, object],
    named: bool,
    today: date,
) -> Response:
    """Keep one person's answers. The link is claimed first, in one conditional UPDATE, so two
    submissions of the same link at once cannot both count: the second raises AlreadyAnswered."""
    claimed = db.session.execute(
        sa.update(EvaluationInvitation)
        .where(EvaluationInvitation.id == invitation.id, col(EvaluationInvitation.answered).is_(False))
        .values(answered=True)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:
        raise AlreadyAnswered
    set_committed_value(invitation, "answered", True)
    response = Response(
        evaluation_id=invitation.evaluation_id,
        form_id=form.id,
        trainee_id=invitation.enrolment.trainee_id if named else None,
        submitted_on=today,
    )
    for question in form.questions:
        for number, text in rules.stored_answers(question.kind, values.get(question.id)):
            response.answers.append(Answer(question_id=question.id, number=number, text=text))
    db.session.add(response)
    db.session.flush()
    return response
