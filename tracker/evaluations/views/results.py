"""The results: the list of evaluated events, one event's results and text answers, CSV, PDF, and
events side by side."""

from __future__ import annotations

from collections.abc import Callable

from flask import Response, abort, flash, g, redirect, render_template, request, url_for

from tracker.core import audit, settings
from tracker.core.csvfile import csv_download
from tracker.core.downloads import download, to_themselves
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import today_london
from tracker.evaluations import export, listings, loaders, pdf, queries, rules
from tracker.evaluations.forms import (
    CompareForm,
)
from tracker.evaluations.models import (
    QuestionKind,
)
from tracker.evaluations.views import bp

# The comparison holds figures only (every anonymous event or question under the minimum is withheld), so
# its files go to the person downloading them without asking who they are for.
AGGREGATE = "Aggregate evaluation figures (no personal data)"


@bp.route("/events")
@requires(Permission.VIEW_TRAINING_OVERVIEW)
def evaluation_list():
    page = paginate(listings.evaluations_statement())
    to_evaluate = listings.events_to_evaluate() if g.user.can(Permission.MANAGE_EVALUATIONS) else []
    return render_template(
        "evaluations/evaluation_list.html",
        page=page,
        rates=queries.rates([e.id for e in page.items]),
        to_evaluate=to_evaluate,
        today=today_london(),
    )


@bp.route("/<int:evaluation_id>/results")
@requires(Permission.VIEW_TRAINING_OVERVIEW)
def results(evaluation_id: int):
    evaluation = loaders.evaluation_to_read(evaluation_id)
    return render_template(
        "evaluations/results.html",
        results=queries.results(evaluation),
        show_names=g.user.can(Permission.MANAGE_EVALUATIONS),
        is_open=rules.is_open(evaluation.closes_on, today_london()),
    )


@bp.route("/<int:evaluation_id>/questions/<int:question_id>/answers")
@requires(Permission.VIEW_TRAINING_OVERVIEW)
def text_answers(evaluation_id: int, question_id: int):
    evaluation = loaders.evaluation_to_read(evaluation_id)
    question = next((q for q in evaluation.form.questions if q.id == question_id), None)
    if question is None or question.kind is not QuestionKind.FREE_TEXT:
        abort(404)
    if _withheld(evaluation):
        return redirect(url_for("evaluations.results", evaluation_id=evaluation.id))
    if queries.text_answers_withheld(evaluation, question.id):
        flash("Too few people answered this question for its answers to be shown on an anonymous evaluation.")
        return redirect(url_for("evaluations.results", evaluation_id=evaluation.id))
    held_back = queries.text_answers_held_back(evaluation, question.id)
    return render_template(
        "evaluations/text_answers.html",
        evaluation=evaluation,
        question=question,
        page=paginate(
            queries.text_answers_statement(evaluation, question.id, held_back), scalars=False
        ),
        show_names=g.user.can(Permission.MANAGE_EVALUATIONS),
        held_back=held_back,
        minimum=settings.get(rules.MIN_ANONYMOUS_RESPONSES.key),
        still_open=queries.still_open(evaluation),
    )


@bp.route("/<int:evaluation_id>/results.csv")
@requires(Permission.MANAGE_EVALUATIONS)
def results_csv(evaluation_id: int):
    evaluation = loaders.evaluation_to_manage(evaluation_id)
    if _withheld(evaluation):
        return redirect(url_for("evaluations.results", evaluation_id=evaluation.id))
    data = export.responses_csv(evaluation)
    audit.record("export", evaluation, summary=f"CSV of responses, {evaluation.form.label}")
    return csv_download(data, f"{export.file_stem(evaluation)}-responses.csv")


@bp.route("/<int:evaluation_id>/results.pdf")
@requires(Permission.VIEW_TRAINING_OVERVIEW)
def results_pdf(evaluation_id: int):
    evaluation = loaders.evaluation_to_read(evaluation_id)
    results = queries.results(evaluation, texts_shown=pdf.TEXTS_IN_PDF)
    if results.needed:
        _refuse(results.needed)
        return redirect(url_for("evaluations.results", evaluation_id=evaluation.id))
    data = pdf.results_pdf(results, area=settings.get("area_name"), issued=today_london())
    audit.record("export", evaluation, summary=f"PDF results summary, {evaluation.form.label}")
    return download(data, "application/pdf", f"{export.file_stem(evaluation)}-results.pdf")


def _withheld(evaluation) -> bool:
    """Whether an anonymous evaluation has too few responses for its answers to be shown (saying so)."""
    needed = queries.responses_needed(evaluation, queries.rates([evaluation.id])[evaluation.id].responses)
    if needed:
        _refuse(needed)
    return bool(needed)


def _refuse(needed: int) -> None:
    flash(
        "This evaluation is anonymous: its answers cannot be seen or downloaded until "
        f"{needed} more {'person answers' if needed == 1 else 'people answer'}."
    )


@bp.route("/compare")
@requires(Permission.VIEW_TRAINING_OVERVIEW)
def compare():
    form, comparison = _compared()
    minimum = settings.get(rules.MIN_ANONYMOUS_RESPONSES.key)
    return render_template("evaluations/compare.html", form=form, comparison=comparison, minimum=minimum)


def _compared() -> tuple[CompareForm, queries.Comparison | None]:
    """The choice of events from the query string, and their comparison once the choice is valid."""
    choosable = queries.comparable_evaluations()
    measures = queries.measures_of([e.form_id for e in choosable])
    form = CompareForm(request.args, measures={e.id: measures[e.form_id] for e in choosable})
    form.evaluation.choices = [(e.id, f"{e.event.title} ({e.form.label})") for e in choosable]
    if "evaluation" in request.args and form.validate():
        return form, queries.comparison(form.evaluation.data)
    return form, None


@bp.route("/compare.csv")
@requires(Permission.VIEW_TRAINING_OVERVIEW)
def compare_csv():
    return _comparison_file(
        "CSV", lambda comparison: csv_download(export.comparison_csv(comparison), "evaluation-comparison.csv")
    )


@bp.route("/compare.pdf")
@requires(Permission.VIEW_TRAINING_OVERVIEW)
def compare_pdf():
    def make(comparison):
        data = pdf.comparison_pdf(comparison, area=settings.get("area_name"), issued=today_london())
        return download(data, "application/pdf", "evaluation-comparison.pdf")

    return _comparison_file("PDF", make)


def _comparison_file(kind: str, make: Callable[[queries.Comparison], Response]):
    """The comparison chosen as a file (`kind` names it in the log), to the person downloading it; back to
    the choice, where its problem is shown, when the choice is not valid."""
    _form, comparison = _compared()
    if comparison is None:
        return redirect(_back_to_choice())
    # Recorded before the file is made: `download` logs a file no view has recorded.
    to_themselves(AGGREGATE)
    audit.record("export", summary=f"{kind} of the comparison of evaluations {_ids(comparison)}")
    return make(comparison)


def _back_to_choice() -> str:
    """The comparison page with the same choice, where its problem is shown."""
    query = request.query_string.decode()
    return url_for("evaluations.compare") + (f"?{query}" if query else "")


def _ids(comparison: queries.Comparison) -> str:
    shown = [e.id for e in comparison.evaluations] + [e.id for e, _needed in comparison.withheld]
    return ", ".join(str(i) for i in sorted(shown))
