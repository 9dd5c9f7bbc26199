"""Factories for evaluation forms, evaluations of events, invitations with their links, and responses."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from sqlmodel import col, select

from tracker.core.timeutil import london, today_london
from tracker.evaluations import rules
from tracker.evaluations.models import (
    Answer,
    EvaluationForm,
    EvaluationInvitation,
    EventEvaluation,
    FormSection,
    InvitationLink,
    Question,
    QuestionKind,
    Response,
)
from tracker.training.models import CourseEvent, Enrolment

_numbers = itertools.count(1)
QUALITY = ["Very poor", "Poor", "Fair", "Good", "Excellent"]

# A form with one question of every kind: (kind, text, required, options).
EVERY_KIND = [
    (QuestionKind.RATING, "How would you rate the day?", True, QUALITY),
    (QuestionKind.SINGLE_CHOICE, "Which session was best?", True, ["Morning", "Afternoon"]),
    (QuestionKind.MULTIPLE_CHOICE, "Which topics should come back?", False, ["Risk", "Victims", "Housing"]),
    (QuestionKind.YES_NO, "Would you recommend it?", True, []),
    (QuestionKind.FREE_TEXT, "What should change?", False, []),
]


class EvaluationsFactory:
    def default_form(self) -> EvaluationForm:
        """The default post-event form that migration 0006 adds to every database."""
        return self.session.exec(
            select(EvaluationForm)
            .where(col(EvaluationForm.is_default).is_(True))
            .order_by(col(EvaluationForm.version_number).desc())
        ).first()

    def evaluation_form(self, questions=EVERY_KIND, name: str | None = None, **fields) -> EvaluationForm:
        """A form version 1 with one section holding the questions given as (kind, text, required, options)."""
        form = EvaluationForm(name=name or f"Form {next(_numbers)}", **fields)
        self.save(form)
        form.family_id = form.id
        section = FormSection(form_id=form.id, title="Questions", position=1)
        self.save(section)
        for position, (kind, text, required, options) in enumerate(questions, start=1):
            self.session.add(
                Question(
                    form_id=form.id,
                    section_id=section.id,
                    position=position,
                    kind=kind,
                    text=text,
                    required=required,
                    options=list(options),
                    lineage=f"{form.id}-{position}",
                )
            )
        self.session.commit()
        self.session.refresh(form)
        return form

    def evaluation(
        self,
        event: CourseEvent | None = None,
        form: EvaluationForm | None = None,
        closes_on: date | None = None,
        **fields,
    ) -> EventEvaluation:
        event = event or self.event()
        form = form or self.evaluation_form()
        # As in the app, open for two weeks after the event (or from today, for one still to come): an
        # evaluation of an event long past has closed.
        if closes_on is None:
            last_day = max((london(session.starts_at).date() for session in event.sessions), default=None)
            past = last_day is not None and last_day + timedelta(days=14) < today_london()
            closes_on = (last_day if past else today_london()) + timedelta(days=14)
        return self.save(EventEvaluation(event_id=event.id, form_id=form.id, closes_on=closes_on, **fields))

    def attendee(self, event: CourseEvent, trainee=None) -> Enrolment:
        """Someone who attended the event (one session or more)."""
        return self.enrolment(event, trainee, sessions_attended=1)

    def evaluation_invitation(
        self, evaluation: EventEvaluation, enrolment: Enrolment | None = None, **fields
    ):
        """An invitation and the token of its link (the link's address is /evaluations/answer/<token>)."""
        if enrolment is None:
            enrolment = self.attendee(self.session.get(CourseEvent, evaluation.event_id))
        invitation = self.save(
            EvaluationInvitation(evaluation_id=evaluation.id, enrolment_id=enrolment.id, **fields)
        )
        token, token_hash = rules.new_token()
        self.save(InvitationLink(invitation_id=invitation.id, token_hash=token_hash))
        return invitation, token

    def response(
        self, evaluation: EventEvaluation, answers: dict[int, list[tuple]], trainee_id=None, submitted_on=None
    ) -> Response:
        """A response with answers given per question id as [(number, text), ...], today unless
        `submitted_on` another day."""
        response = Response(
            evaluation_id=evaluation.id,
            form_id=evaluation.form_id,
            trainee_id=trainee_id,
            submitted_on=submitted_on or today_london(),
        )
        for question_id, rows in answers.items():
            for number, text in rows:
                response.answers.append(Answer(question_id=question_id, number=number, text=text))
        return self.save(response)
