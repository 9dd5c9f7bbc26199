"""Every change to evaluations goes through here: forms and their versions, sections and questions,
sending links, closing dates, reminders, answers. A function per change a person makes, taking who makes
it and the version of the record their page was built from: a form (or an evaluation) is claimed first,
in one conditional UPDATE (`tracker.core.locking`), so of two changes at once exactly one is kept and the
other raises Conflict having changed nothing. The audit trail records each change when the session
flushes.

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
from tracker.core import mail
from tracker.core.db import db
from tracker.core.locking import Conflict, claim_or_conflict
from tracker.core.timeutil import format_date, today_london
from tracker.core.types import utcnow
from tracker.evaluations import listings, rules
from tracker.evaluations.models import (
    Answer,
    EvaluationForm,
    EvaluationInvitation,
    EvaluationReopening,
    EventEvaluation,
    FormSection,
    InvitationLink,
    Question,
    Response,
    new_lineage,
)
from tracker.training.ics import calendar_title
from tracker.training.models import CourseEvent, Enrolment


class LastSection(ValueError):
    """A form keeps at least one section."""


# Forms and their versions ----------------------------------------------------------------------


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


def copy_form(old: EvaluationForm, name: str, user: User) -> Copy:
    """A new form (a family of its own) from a version of another: every section and question, each
    question keeping its measure (lineage), so that events evaluated with either compare."""
    form = EvaluationForm(name=name, description=old.description, created_by_id=user.id)
    db.session.add(form)
    db.session.flush()
    form.family_id = form.id
    return _copy_questions(old, form)


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
    db.session.add(form)
    return _copy_questions(old, form)


def _copy_questions(old: EvaluationForm, form: EvaluationForm) -> Copy:
    copy = Copy(form)
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
    if listings.is_locked(form):
        return new_version(form, user)
    return Copy(form, {section.id: section for section in form.sections}, {q.id: q for q in form.questions})


def renumber(items: list) -> None:
    for position, item in enumerate(items, start=1):
        item.position = position


def _change(form: EvaluationForm, version, actor: User) -> Copy:
    """Claim the form at the version the person read, then give the version the change goes to."""
    claim_or_conflict(form, version)
    return writable(form, actor)


def save_form_details(form: EvaluationForm, version, actor: User, name: str, description: str) -> Copy:
    copy = _change(form, version, actor)
    copy.form.name, copy.form.description = name, description
    db.session.flush()
    return copy


def add_section(
    form: EvaluationForm, version, actor: User, title: str, description: str
) -> tuple[Copy, FormSection]:
    copy = _change(form, version, actor)
    section = FormSection(title=title, description=description, position=len(copy.form.sections) + 1)
    copy.form.sections.append(section)
    db.session.flush()
    return copy, section


def save_section(
    form: EvaluationForm, section_id: int, version, actor: User, title: str, description: str
) -> Copy:
    copy = _change(form, version, actor)
    section = copy.sections[section_id]
    section.title, section.description = title, description
    db.session.flush()
    return copy


def delete_section(form: EvaluationForm, section_id: int, version, actor: User) -> Copy:
    """Remove a section and its questions; raises LastSection for a form's only section."""
    if len(form.sections) == 1:
        raise LastSection("A form needs at least one section: this is its last.")
    copy = _change(form, version, actor)
    target = copy.sections[section_id]
    for question in list(target.questions):
        copy.form.questions.remove(question)
        db.session.delete(question)
    copy.form.sections.remove(target)
    db.session.delete(target)
    renumber(copy.form.sections)
    db.session.flush()
    return copy


def _apply_question(question: Question, details: dict) -> None:
    """`details`: kind, text, hint, required, options, and the measure (`lineage`): the key of a
    question of another form it is the same measure as, a new key of its own (`new_lineage()`), or
    None to keep the key it has."""
    for name, value in details.items():
        if name == "lineage" and value is None:
            continue
        setattr(question, name, value)


def add_question(form: EvaluationForm, section_id: int, version, actor: User, **details) -> Copy:
    copy = _change(form, version, actor)
    section = copy.sections[section_id]
    question = Question(form=copy.form, kind=details["kind"], text=details["text"], lineage=new_lineage())
    _apply_question(question, details)
    question.position = len(section.questions) + 1
    section.questions.append(question)
    db.session.flush()
    return copy


def save_question(form: EvaluationForm, question_id: int, version, actor: User, **details) -> Copy:
    copy = _change(form, version, actor)
    _apply_question(copy.questions[question_id], details)
    db.session.flush()
    return copy


def delete_question(form: EvaluationForm, question_id: int, version, actor: User) -> Copy:
    copy = _change(form, version, actor)
    target = copy.questions[question_id]
    section = target.section
    section.questions.remove(target)
    copy.form.questions.remove(target)
    db.session.delete(target)
    renumber(section.questions)
    db.session.flush()
    return copy


def move_question(form: EvaluationForm, question_id: int, direction: str, version, actor: User) -> Copy:
    copy = _change(form, version, actor)
    target = copy.questions[question_id]
    siblings = list(target.section.questions)
    order = rules.moved(list(range(len(siblings))), siblings.index(target), direction)
    renumber([siblings[i] for i in order])
    db.session.flush()
    return copy


# Sending ---------------------------------------------------------------------------------------------


class ClosesBeforeAnswers(ValueError):
    """A closing date before the last answer received: the results would say it closed before answers."""


def last_answered_on(evaluation: EventEvaluation) -> date | None:
    """The day of the latest answer to the evaluation, if any."""
    return db.session.scalar(
        select(sa.func.max(Response.submitted_on)).where(Response.evaluation_id == evaluation.id)
    )


def closing_date_problem(closes_on: date, last_answered: date | None) -> str | None:
    if last_answered is not None and closes_on < last_answered:
        return (
            f"The closing date must be on or after {format_date(last_answered)}, when the last answer was "
            "given" + (": enter today's date to close it tonight" if last_answered == today_london() else "")
        )
    return None


def set_closing_date(evaluation: EventEvaluation, closes_on: date, version, actor: User) -> None:
    """A new closing date: it may close the evaluation early (today, or a day already past), but never
    before an answer already given; one from today on reopens an evaluation that had closed, which is kept
    (`EvaluationReopening`). Raises ClosesBeforeAnswers, or Conflict if someone changed it first."""
    if problem := closing_date_problem(closes_on, last_answered_on(evaluation)):
        raise ClosesBeforeAnswers(problem)
    claim_or_conflict(evaluation, version)
    if rules.reopens(evaluation.closes_on, closes_on, today := today_london()):
        db.session.add(EvaluationReopening(evaluation_id=evaluation.id, reopened_on=today))
    evaluation.closes_on = closes_on
    db.session.flush()


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


def new_link(invitation: EvaluationInvitation) -> str:
    """A new link for the invitation (its token's hash kept), as the full address to email."""
    token, token_hash = rules.new_token()
    db.session.add(InvitationLink(invitation=invitation, token_hash=token_hash))
    return current_app.config["BASE_URL"].rstrip("/") + url_for("evaluations.answer", token=token)


def send_form(
    event: CourseEvent, form: EvaluationForm, closes_on: date, always_anonymous: bool, actor: User
) -> tuple[EventEvaluation, int]:
    """Send a form to an event: the evaluation, and links to everyone who has attended so far (how many)."""
    evaluation = attach(event, form, closes_on, always_anonymous, actor)
    return evaluation, send_links(evaluation, actor)


def send_links(evaluation: EventEvaluation, actor: User | None = None) -> int:
    """Give every attendee without a link one, by email; return how many were sent."""
    enrolments = listings.attendees_without_link(evaluation)
    for enrolment in enrolments:
        invitation = EvaluationInvitation(evaluation_id=evaluation.id, enrolment=enrolment)
        db.session.add(invitation)
        _email(invitation, evaluation, reminder=False)
    return len(enrolments)


def remind(evaluation: EventEvaluation, actor: User | None = None) -> int:
    """Email the link again to everyone who has not answered; return how many.

    Raises Conflict, sending nothing, if someone else changed the evaluation (or reminded) since it was
    read, so two reminders at once do not both go out."""
    claim_or_conflict(evaluation, evaluation.version)
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
    return len(waiting)


def remind_due(now: datetime, today: date) -> list[tuple[str, int]]:
    """Remind everyone due a reminder (`due_for_reminders`): each event's title and how many were
    reminded. An evaluation someone is reminding from its page at the same moment is left to them."""
    sent = []
    for evaluation in listings.due_for_reminders(now, today):
        try:
            sent.append((evaluation.event.title, remind(evaluation)))
        except Conflict:
            continue
    return sent


def _email(invitation: EvaluationInvitation, evaluation: EventEvaluation, *, reminder: bool) -> None:
    trainee = invitation.enrolment.trainee
    event = evaluation.event
    subject = f"{'Reminder: ' if reminder else ''}Tell us about {event.title}"
    message = mail.new_message(trainee.email, subject)
    message.set_content(
        render_template(
            "evaluations/email/link.txt",
            name=trainee.name,
            # The course and the event ("MAPPA Chair Training, Cohort A December 2026"): a cohort's name
            # alone does not say what it was.
            training=calendar_title(event.course.title, event.title),
            link=new_link(invitation),
            closes_on=evaluation.closes_on,
            reminder=reminder,
            always_anonymous=evaluation.always_anonymous,
        )
    )
    mail.queue(message)


# Answering ---------------------------------------------------------------------------------------------


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
