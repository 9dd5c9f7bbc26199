"""A form's sections and questions: adding, changing, removing and reordering them (a change to a form
that has been sent makes a new version)."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from tracker.core.db import db
from tracker.core.forms import ConfirmForm
from tracker.core.permissions import Permission, requires
from tracker.evaluations import rules, services
from tracker.evaluations.forms import (
    QuestionForm,
    SectionForm,
)
from tracker.evaluations.models import (
    FormSection,
    Question,
    QuestionKind,
)
from tracker.evaluations.views import bp
from tracker.evaluations.views.common import (
    form_or_404,
    latest_or_redirect,
    question_or_404,
    saved,
    section_or_404,
)


@bp.route("/forms/<int:form_id>/sections/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def section_new(form_id: int):
    evaluation_form = form_or_404(form_id)
    if elsewhere := latest_or_redirect(evaluation_form):
        return elsewhere
    form = SectionForm()
    if form.validate_on_submit():
        copy = services.writable(evaluation_form, g.user)
        section = FormSection(title=form.title.data, description=form.description.data or "")
        section.position = len(copy.form.sections) + 1
        copy.form.sections.append(section)
        copy.form.version += 1
        return saved(copy, evaluation_form, f"Section '{section.title}' added.")
    return render_template(
        "evaluations/section_form.html",
        form=form,
        evaluation_form=evaluation_form,
        section=None,
        locked=services.is_locked(evaluation_form),
    )


@bp.route("/sections/<int:section_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def section_edit(section_id: int):
    section, evaluation_form = section_or_404(section_id)
    if elsewhere := latest_or_redirect(evaluation_form):
        return elsewhere
    form = SectionForm(obj=section)
    if form.validate_on_submit():
        copy = services.writable(evaluation_form, g.user)
        target = copy.sections[section.id]
        target.title, target.description = form.title.data, form.description.data or ""
        copy.form.version += 1
        return saved(copy, evaluation_form, f"Section '{target.title}' saved.")
    return render_template(
        "evaluations/section_form.html",
        form=form,
        evaluation_form=evaluation_form,
        section=section,
        locked=services.is_locked(evaluation_form),
    )


@bp.route("/sections/<int:section_id>/delete", methods=["POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def section_delete(section_id: int):
    section, evaluation_form = section_or_404(section_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if elsewhere := latest_or_redirect(evaluation_form):
        return elsewhere
    if len(evaluation_form.sections) == 1:
        flash("A form needs at least one section: this is its last.")
        return redirect(url_for("evaluations.form_view", form_id=evaluation_form.id))
    copy = services.writable(evaluation_form, g.user)
    target = copy.sections[section.id]
    for question in list(target.questions):
        copy.form.questions.remove(question)
        db.session.delete(question)
    copy.form.sections.remove(target)
    db.session.delete(target)
    services.renumber(copy.form.sections)
    copy.form.version += 1
    return saved(copy, evaluation_form, f"Section '{section.title}' and its questions removed.")


@bp.route("/sections/<int:section_id>/questions/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def question_new(section_id: int):
    section, evaluation_form = section_or_404(section_id)
    if elsewhere := latest_or_redirect(evaluation_form):
        return elsewhere
    form = QuestionForm(data={"required": True} if request.method == "GET" else None)
    if form.validate_on_submit():
        copy = services.writable(evaluation_form, g.user)
        target = copy.sections[section.id]
        question = Question(form=copy.form, kind=QuestionKind[form.kind.data], text=form.text.data)
        _apply_question(form, question)
        question.position = len(target.questions) + 1
        target.questions.append(question)
        copy.form.version += 1
        return saved(copy, evaluation_form, "Question added.")
    return render_template(
        "evaluations/question_form.html",
        form=form,
        evaluation_form=evaluation_form,
        section=section,
        question=None,
        locked=services.is_locked(evaluation_form),
    )


def _apply_question(form: QuestionForm, question: Question) -> None:
    question.kind = QuestionKind[form.kind.data]
    question.text = form.text.data
    question.hint = form.hint.data or ""
    question.required = form.required.data
    question.options = form.parsed_options


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def question_edit(question_id: int):
    question, evaluation_form = question_or_404(question_id)
    if elsewhere := latest_or_redirect(evaluation_form):
        return elsewhere
    form = QuestionForm(obj=question)
    if request.method == "GET":
        form.kind.data = question.kind.name
        form.options.data = "\n".join(question.options)
    if form.validate_on_submit():
        copy = services.writable(evaluation_form, g.user)
        _apply_question(form, copy.questions[question.id])
        copy.form.version += 1
        return saved(copy, evaluation_form, "Question saved.")
    return render_template(
        "evaluations/question_form.html",
        form=form,
        evaluation_form=evaluation_form,
        section=question.section,
        question=question,
        locked=services.is_locked(evaluation_form),
    )


@bp.route("/questions/<int:question_id>/delete", methods=["POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def question_delete(question_id: int):
    question, evaluation_form = question_or_404(question_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if elsewhere := latest_or_redirect(evaluation_form):
        return elsewhere
    copy = services.writable(evaluation_form, g.user)
    target = copy.questions[question.id]
    section = target.section
    section.questions.remove(target)
    copy.form.questions.remove(target)
    db.session.delete(target)
    services.renumber(section.questions)
    copy.form.version += 1
    return saved(copy, evaluation_form, f"Question '{question.text}' removed.")


@bp.route("/questions/<int:question_id>/move", methods=["POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def question_move(question_id: int):
    question, evaluation_form = question_or_404(question_id)
    direction = request.form.get("direction")
    if not ConfirmForm().validate_on_submit() or direction not in ("up", "down"):
        abort(400)
    if elsewhere := latest_or_redirect(evaluation_form):
        return elsewhere
    copy = services.writable(evaluation_form, g.user)
    target = copy.questions[question.id]
    siblings = list(target.section.questions)
    order = rules.moved(list(range(len(siblings))), siblings.index(target), direction)
    services.renumber([siblings[i] for i in order])
    copy.form.version += 1
    return saved(copy, evaluation_form, f"Question '{question.text}' moved {direction}.")
