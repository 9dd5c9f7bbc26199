"""Loading an evaluation record for a page: one loader per kind of object and what the page does with it.

Each finds the object or answers 404, and refuses (403) anyone who may not do that with it. Forms and
sending them are the TRSG's (MANAGE_EVALUATIONS); results are read by everyone who sees the training
figures (VIEW_TRAINING_OVERVIEW); a link shown in the app is for the person it was sent to (`can_view`).
"""

from __future__ import annotations

from flask import abort, g

from tracker.core.db import db
from tracker.core.permissions import Permission, get_visible_or_404
from tracker.evaluations import listings, queries
from tracker.evaluations.models import (
    EvaluationForm,
    EvaluationInvitation,
    EventEvaluation,
    FormSection,
    Question,
)
from tracker.training.models import CourseEvent


def _needs(permission: Permission) -> None:
    if not g.user.can(permission):
        abort(403)


def form_to_manage(form_id: int) -> EvaluationForm:
    """A form version with its sections and questions."""
    _needs(Permission.MANAGE_EVALUATIONS)
    return listings.load_form(form_id) or abort(404)


def section_to_manage(section_id: int) -> tuple[FormSection, EvaluationForm]:
    _needs(Permission.MANAGE_EVALUATIONS)
    section = db.session.get(FormSection, section_id) or abort(404)
    return section, form_to_manage(section.form_id)


def question_to_manage(question_id: int) -> tuple[Question, EvaluationForm]:
    _needs(Permission.MANAGE_EVALUATIONS)
    question = db.session.get(Question, question_id) or abort(404)
    return question, form_to_manage(question.form_id)


def event_to_evaluate(event_id: int) -> CourseEvent:
    _needs(Permission.MANAGE_EVALUATIONS)
    return listings.event_or_none(event_id) or abort(404)


def evaluation_to_manage(evaluation_id: int) -> EventEvaluation:
    _needs(Permission.MANAGE_EVALUATIONS)
    return queries.load_evaluation(evaluation_id) or abort(404)


def evaluation_to_read(evaluation_id: int) -> EventEvaluation:
    """An evaluation whose results are read (aggregates: no case data, and names only for the TRSG)."""
    _needs(Permission.VIEW_TRAINING_OVERVIEW)
    return queries.load_evaluation(evaluation_id) or abort(404)


def evaluation_answered(invitation: EvaluationInvitation) -> EventEvaluation:
    """The evaluation a link answers (the link itself is the permission)."""
    return queries.load_evaluation(invitation.evaluation_id) or abort(404)


def invitation_to_answer(invitation_id: int) -> EvaluationInvitation:
    """A link shown in the app, for the person it was sent to and nobody else."""
    return get_visible_or_404(EvaluationInvitation, invitation_id)
