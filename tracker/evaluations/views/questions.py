"""A form's sections and questions: adding, changing, removing and reordering them (a change to a form
that has been sent makes a new version).

Each change claims the form at the version the page was built from, so of two people changing the same
form at once exactly one change is saved and the other is told so.
"""

from __future__ import annotations

from flask import abort, flash, g, redirect, request, url_for

from tracker.core.forms import ConfirmForm, require_confirmation
from tracker.core.permissions import Permission, requires
from tracker.evaluations import listings, loaders, rules, services
from tracker.evaluations.forms import QuestionForm, SectionForm
from tracker.evaluations.models import EvaluationForm, Question, QuestionKind, new_lineage
from tracker.evaluations.views import bp
from tracker.evaluations.views.common import (
    editing_page,
    latest_or_redirect,
    save_from_button,
    save_from_form,
)


@bp.route("/forms/<int:form_id>/sections/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def section_new(form_id: int):
    evaluation_form = loaders.form_to_manage(form_id)
    if elsewhere := latest_or_redirect(evaluation_form):
        return elsewhere
    form = _versioned(SectionForm(), evaluation_form)
    done = save_from_form(
        form,
        evaluation_form,
        # add_section gives the copy and the new section, whose title is the form's.
        lambda version: services.add_section(evaluation_form, version, g.user, *_section(form))[0],
        f"Section '{form.title.data}' added.",
    )
    return done or _section_page(form, evaluation_form, None)


def _versioned(form, evaluation_form: EvaluationForm):
    """The form, carrying the version of the evaluation form its page shows."""
    if request.method == "GET":
        form.version.data = str(evaluation_form.version)
    return form


def _section(form: SectionForm) -> tuple[str, str]:
    return form.title.data, form.description.data or ""


def _section_page(form: SectionForm, evaluation_form: EvaluationForm, section):
    return editing_page("evaluations/section_form.html", form, evaluation_form, section=section)


@bp.route("/sections/<int:section_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def section_edit(section_id: int):
    section, evaluation_form = loaders.section_to_manage(section_id)
    if elsewhere := latest_or_redirect(evaluation_form):
        return elsewhere
    form = _versioned(SectionForm(obj=section), evaluation_form)
    done = save_from_form(
        form,
        evaluation_form,
        lambda version: services.save_section(evaluation_form, section.id, version, g.user, *_section(form)),
        f"Section '{form.title.data}' saved.",
    )
    return done or _section_page(form, evaluation_form, section)


@bp.route("/sections/<int:section_id>/delete", methods=["POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def section_delete(section_id: int):
    section, evaluation_form = loaders.section_to_manage(section_id)
    require_confirmation()
    if elsewhere := latest_or_redirect(evaluation_form):
        return elsewhere
    try:
        return save_from_button(
            evaluation_form,
            lambda version: services.delete_section(evaluation_form, section.id, version, g.user),
            f"Section '{section.title}' and its questions removed.",
        )
    except services.LastSection as error:
        flash(str(error))
        return redirect(url_for("evaluations.form_view", form_id=evaluation_form.id))


@bp.route("/sections/<int:section_id>/questions/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def question_new(section_id: int):
    section, evaluation_form = loaders.section_to_manage(section_id)
    if elsewhere := latest_or_redirect(evaluation_form):
        return elsewhere
    form = QuestionForm(data={"required": True} if request.method == "GET" else None)
    form = _with_measures(_versioned(form, evaluation_form), evaluation_form, None)
    done = save_from_form(
        form,
        evaluation_form,
        lambda version: services.add_question(
            evaluation_form, section.id, version, g.user, **_question(form, None)
        ),
        "Question added.",
        valid=lambda: _question_valid(form, evaluation_form, None),
    )
    return done or _question_page(form, evaluation_form, section, None)


def _question(form: QuestionForm, question: Question | None) -> dict:
    return {
        "kind": QuestionKind[form.kind.data],
        "text": form.text.data,
        "hint": form.hint.data or "",
        "required": form.required.data,
        "options": form.parsed_options,
        "lineage": _lineage(form, question),
    }


def _with_measures(form: QuestionForm, evaluation_form: EvaluationForm, question: Question | None):
    """Offer the questions of other forms as "the same measure as" (the one the question already is, if
    any, chosen)."""
    form.measures = {m.lineage: m for m in listings.measures_elsewhere(evaluation_form.family_id)}
    own = "A measure of its own (not compared with other forms)"
    form.measure.choices = [("", own)] + [(m.lineage, m.label) for m in form.measures.values()]
    if request.method == "GET" and question is not None and question.lineage in form.measures:
        form.measure.data = question.lineage
    return form


def _question_valid(form: QuestionForm, evaluation_form: EvaluationForm, question: Question | None) -> bool:
    """The form's own checks and the measure's together, so that every problem shows at once."""
    valid = form.validate_on_submit()
    return form.is_submitted() and _measure_ok(form, evaluation_form, question) and valid


def _measure_ok(form: QuestionForm, evaluation_form: EvaluationForm, question: Question | None) -> bool:
    """The measure chosen compares (same kind of answer) and no other question of the form is it."""
    chosen = form.measure.data or ""
    if not chosen or form.kind.data not in QuestionKind.__members__ or chosen not in form.measures:
        return True
    others = {q.lineage for q in evaluation_form.questions if question is None or q.id != question.id}
    problem = rules.measure_problem(
        QuestionKind[form.kind.data], form.measures[chosen].kind, chosen in others
    )
    if problem:
        form.measure.errors = [*form.measure.errors, problem]
    return problem is None


def _lineage(form: QuestionForm, question: Question | None) -> str | None:
    """The measure key to save: the one chosen; a new one for a question leaving another form's
    measure; else None (keep its own, which stays the same across the form's versions)."""
    if form.measure.data:
        return form.measure.data
    if question is not None and question.lineage in form.measures:
        return new_lineage()
    return None


def _question_page(form: QuestionForm, evaluation_form: EvaluationForm, section, question):
    template = "evaluations/question_form.html"
    return editing_page(template, form, evaluation_form, section=section, question=question)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def question_edit(question_id: int):
    question, evaluation_form = loaders.question_to_manage(question_id)
    if elsewhere := latest_or_redirect(evaluation_form):
        return elsewhere
    form = _with_measures(_versioned(QuestionForm(obj=question), evaluation_form), evaluation_form, question)
    if request.method == "GET":
        form.kind.data = question.kind.name
        form.options.data = "\n".join(question.options)
    done = save_from_form(
        form,
        evaluation_form,
        lambda version: services.save_question(
            evaluation_form, question.id, version, g.user, **_question(form, question)
        ),
        "Question saved.",
        valid=lambda: _question_valid(form, evaluation_form, question),
    )
    return done or _question_page(form, evaluation_form, question.section, question)


@bp.route("/questions/<int:question_id>/delete", methods=["POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def question_delete(question_id: int):
    question, evaluation_form = loaders.question_to_manage(question_id)
    require_confirmation()
    if elsewhere := latest_or_redirect(evaluation_form):
        return elsewhere
    return save_from_button(
        evaluation_form,
        lambda version: services.delete_question(evaluation_form, question.id, version, g.user),
        f"Question '{question.text}' removed.",
    )


@bp.route("/questions/<int:question_id>/move", methods=["POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def question_move(question_id: int):
    question, evaluation_form = loaders.question_to_manage(question_id)
    direction = request.form.get("direction")
    if not ConfirmForm().validate_on_submit() or direction not in ("up", "down"):
        abort(400)
    if elsewhere := latest_or_redirect(evaluation_form):
        return elsewhere
    return save_from_button(
        evaluation_form,
        lambda version: services.move_question(evaluation_form, question.id, direction, version, g.user),
        f"Question '{question.text}' moved {direction}.",
    )
