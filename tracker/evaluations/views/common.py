"""Pieces several evaluation views share: loading a form, section, question or evaluation, and saying
where a change to a form went."""

from __future__ import annotations

from flask import abort, flash, redirect, url_for

from tracker.core.db import db
from tracker.evaluations import queries, services
from tracker.evaluations.models import (
    EvaluationForm,
    EventEvaluation,
    FormSection,
    Question,
)


def form_or_404(form_id: int) -> EvaluationForm:
    return services.load_form(form_id) or abort(404)


def latest_or_redirect(evaluation_form: EvaluationForm):
    """None if this version may be changed; otherwise a redirect to the version that may."""
    latest_id = services.latest_version_id(evaluation_form.family_id)
    if latest_id == evaluation_form.id:
        return None
    flash(
        f"Version {evaluation_form.version_number} has been replaced by a newer version: "
        "make changes to this one instead."
    )
    return redirect(url_for("evaluations.form_view", form_id=latest_id))


def saved(copy: services.Copy, original: EvaluationForm, message: str):
    """Flash what happened (saying so when the change made a new version) and show the version."""
    if copy.form.id != original.id:
        message += (
            f" The form had been sent to events, so the change made version {copy.form.version_number};"
            f" those events keep version {original.version_number}."
        )
    flash(message, "success")
    return redirect(url_for("evaluations.form_view", form_id=copy.form.id))


def section_or_404(section_id: int) -> tuple[FormSection, EvaluationForm]:
    section = db.session.get(FormSection, section_id) or abort(404)
    return section, form_or_404(section.form_id)


def question_or_404(question_id: int) -> tuple[Question, EvaluationForm]:
    question = db.session.get(Question, question_id) or abort(404)
    return question, form_or_404(question.form_id)


def evaluation_or_404(evaluation_id: int) -> EventEvaluation:
    return queries.load_evaluation(evaluation_id) or abort(404)
