"""Evaluation pages: the TRSG's forms and their versions, sending a form to an event, answering through a
one-time link, and the results (per event, side by side, as CSV and PDF).

The TRSG manages evaluations (MANAGE_EVALUATIONS). Results are aggregates of training feedback with no
case data, so everyone who sees the training figures (VIEW_TRAINING_OVERVIEW: the TRSG, the SMB, lay
advisers and the co-ordinator) may read them and download the PDF summary; only the TRSG sees who
answered and the CSV of every response, which names the people who chose to give their name.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.auth.forms import ConfirmForm
from tracker.auth.models import User
from tracker.core import audit, settings
from tracker.core.csvfile import csv_download
from tracker.core.db import db
from tracker.core.navigation import dashboard_panel
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, can_view, get_visible_or_404, public, requires
from tracker.core.timeutil import today_london
from tracker.core.types import utcnow
from tracker.evaluations import export, pdf, queries, rules, services
from tracker.evaluations.forms import (
    AttachForm,
    ClosingDateForm,
    CompareForm,
    FormDetailsForm,
    QuestionForm,
    SectionForm,
    answer_form,
    field_name,
    form_choices,
)
from tracker.evaluations.models import (
    EvaluationForm,
    EvaluationInvitation,
    EventEvaluation,
    FormSection,
    Question,
    QuestionKind,
)
from tracker.training.models import CourseEvent, Enrolment, Trainee

bp = Blueprint("evaluations", __name__, url_prefix="/evaluations")


@bp.context_processor
def _names() -> dict:
    return {
        "QuestionKind": QuestionKind,
        "percent": rules.percent,
        "one_decimal": rules.one_decimal,
        "field_name": field_name,
    }


# Home page panels -----------------------------------------------------------------------------------


@dashboard_panel
def _answer_panel(user: User):
    """Evaluations waiting for this person's answers, with links that need no email."""
    waiting = services.outstanding_for(user, today_london())
    if not waiting:
        return None
    return "evaluations/panels/to_answer.html", {"invitations": waiting}


@dashboard_panel
def _results_panel(user: User):
    if user.can(Permission.MANAGE_EVALUATIONS) or not user.can(Permission.VIEW_TRAINING_OVERVIEW):
        return None
    return "evaluations/panels/results.html", {}


@can_view.register(EvaluationInvitation)
def _invitation_visible(invitation: EvaluationInvitation, user: User) -> bool:
    """A link shown in the app is for the person it was sent to, and nobody else."""
    return invitation.enrolment.trainee.user_id == user.id


# Forms ------------------------------------------------------------------------------------------------


@bp.route("/forms")
@requires(Permission.MANAGE_EVALUATIONS)
def form_list():
    latest = (
        select(EvaluationForm.family_id, sa.func.max(EvaluationForm.version_number).label("number"))
        .group_by(EvaluationForm.family_id)
        .subquery()
    )
    statement = (
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
    page = paginate(statement)
    return render_template(
        "evaluations/form_list.html", page=page, sent=_family_uses([f.family_id for f in page.items])
    )


def _family_uses(family_ids: list[int]) -> dict[int, int]:
    rows = db.session.execute(
        select(EvaluationForm.family_id, sa.func.count(EventEvaluation.id))
        .join(EventEvaluation, col(EventEvaluation.form_id) == EvaluationForm.id)
        .where(col(EvaluationForm.family_id).in_(family_ids))
        .group_by(EvaluationForm.family_id)
    )
    return dict(rows.all())


@bp.route("/forms/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def form_new():
    form = FormDetailsForm(data={"version": "0"} if request.method == "GET" else None)
    if form.validate_on_submit():
        created = services.create_form(form.name.data, form.description.data or "", g.user)
        flash(f"Form '{created.name}' created. Add its questions.", "success")
        return redirect(url_for("evaluations.form_view", form_id=created.id))
    return render_template("evaluations/form_details.html", form=form, evaluation_form=None)


def _form_or_404(form_id: int) -> EvaluationForm:
    return services.load_form(form_id) or abort(404)


@bp.route("/forms/<int:form_id>")
@requires(Permission.MANAGE_EVALUATIONS)
def form_view(form_id: int):
    evaluation_form = _form_or_404(form_id)
    versions = db.session.exec(
        select(EvaluationForm)
        .where(EvaluationForm.family_id == evaluation_form.family_id)
        .order_by(col(EvaluationForm.version_number).desc())
    ).all()
    sent = services.times_sent([v.id for v in versions])
    return render_template(
        "evaluations/form_view.html",
        evaluation_form=evaluation_form,
        versions=versions,
        sent=sent,
        is_latest=versions[0].id == evaluation_form.id,
        locked=rules.is_locked(sent.get(evaluation_form.id, 0)),
        confirm=ConfirmForm(),
    )


@bp.route("/forms/<int:form_id>/preview")
@requires(Permission.MANAGE_EVALUATIONS)
def form_preview(form_id: int):
    evaluation_form = _form_or_404(form_id)
    return render_template(
        "evaluations/answer.html",
        form=answer_form(evaluation_form, ask_name=True),
        evaluation_form=evaluation_form,
        event=None,
        preview=True,
    )


def _latest_or_redirect(evaluation_form: EvaluationForm):
    """None if this version may be changed; otherwise a redirect to the version that may."""
    latest_id = services.latest_version_id(evaluation_form.family_id)
    if latest_id == evaluation_form.id:
        return None
    flash(
        f"Version {evaluation_form.version_number} has been replaced by a newer version: "
        "make changes to this one instead."
    )
    return redirect(url_for("evaluations.form_view", form_id=latest_id))


def _saved(copy: services.Copy, original: EvaluationForm, message: str):
    """Flash what happened (saying so when the change made a new version) and show the version."""
    if copy.form.id != original.id:
        message += (
            f" The form had been sent to events, so the change made version {copy.form.version_number};"
            f" those events keep version {original.version_number}."
        )
    flash(message, "success")
    return redirect(url_for("evaluations.form_view", form_id=copy.form.id))


@bp.route("/forms/<int:form_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def form_edit(form_id: int):
    evaluation_form = _form_or_404(form_id)
    if elsewhere := _latest_or_redirect(evaluation_form):
        return elsewhere
    form = FormDetailsForm(obj=evaluation_form)
    if form.validate_on_submit() and form.check_version(evaluation_form.version):
        copy = services.writable(evaluation_form, g.user)
        copy.form.name, copy.form.description = form.name.data, form.description.data or ""
        copy.form.version += 1
        return _saved(copy, evaluation_form, "Form details saved.")
    return render_template(
        "evaluations/form_details.html",
        form=form,
        evaluation_form=evaluation_form,
        locked=services.is_locked(evaluation_form),
    )


@bp.route("/forms/<int:form_id>/sections/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def section_new(form_id: int):
    evaluation_form = _form_or_404(form_id)
    if elsewhere := _latest_or_redirect(evaluation_form):
        return elsewhere
    form = SectionForm()
    if form.validate_on_submit():
        copy = services.writable(evaluation_form, g.user)
        section = FormSection(title=form.title.data, description=form.description.data or "")
        section.position = len(copy.form.sections) + 1
        copy.form.sections.append(section)
        copy.form.version += 1
        return _saved(copy, evaluation_form, f"Section '{section.title}' added.")
    return render_template(
        "evaluations/section_form.html",
        form=form,
        evaluation_form=evaluation_form,
        section=None,
        locked=services.is_locked(evaluation_form),
    )


def _section_or_404(section_id: int) -> tuple[FormSection, EvaluationForm]:
    section = db.session.get(FormSection, section_id) or abort(404)
    return section, _form_or_404(section.form_id)


@bp.route("/sections/<int:section_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def section_edit(section_id: int):
    section, evaluation_form = _section_or_404(section_id)
    if elsewhere := _latest_or_redirect(evaluation_form):
        return elsewhere
    form = SectionForm(obj=section)
    if form.validate_on_submit():
        copy = services.writable(evaluation_form, g.user)
        target = copy.sections[section.id]
        target.title, target.description = form.title.data, form.description.data or ""
        copy.form.version += 1
        return _saved(copy, evaluation_form, f"Section '{target.title}' saved.")
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
    section, evaluation_form = _section_or_404(section_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if elsewhere := _latest_or_redirect(evaluation_form):
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
    return _saved(copy, evaluation_form, f"Section '{section.title}' and its questions removed.")


@bp.route("/sections/<int:section_id>/questions/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def question_new(section_id: int):
    section, evaluation_form = _section_or_404(section_id)
    if elsewhere := _latest_or_redirect(evaluation_form):
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
        return _saved(copy, evaluation_form, "Question added.")
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


def _question_or_404(question_id: int) -> tuple[Question, EvaluationForm]:
    question = db.session.get(Question, question_id) or abort(404)
    return question, _form_or_404(question.form_id)


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def question_edit(question_id: int):
    question, evaluation_form = _question_or_404(question_id)
    if elsewhere := _latest_or_redirect(evaluation_form):
        return elsewhere
    form = QuestionForm(obj=question)
    if request.method == "GET":
        form.kind.data = question.kind.name
        form.options.data = "\n".join(question.options)
    if form.validate_on_submit():
        copy = services.writable(evaluation_form, g.user)
        _apply_question(form, copy.questions[question.id])
        copy.form.version += 1
        return _saved(copy, evaluation_form, "Question saved.")
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
    question, evaluation_form = _question_or_404(question_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if elsewhere := _latest_or_redirect(evaluation_form):
        return elsewhere
    copy = services.writable(evaluation_form, g.user)
    target = copy.questions[question.id]
    section = target.section
    section.questions.remove(target)
    copy.form.questions.remove(target)
    db.session.delete(target)
    services.renumber(section.questions)
    copy.form.version += 1
    return _saved(copy, evaluation_form, f"Question '{question.text}' removed.")


@bp.route("/questions/<int:question_id>/move", methods=["POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def question_move(question_id: int):
    question, evaluation_form = _question_or_404(question_id)
    direction = request.form.get("direction")
    if not ConfirmForm().validate_on_submit() or direction not in ("up", "down"):
        abort(400)
    if elsewhere := _latest_or_redirect(evaluation_form):
        return elsewhere
    copy = services.writable(evaluation_form, g.user)
    target = copy.questions[question.id]
    siblings = list(target.section.questions)
    order = rules.moved(list(range(len(siblings))), siblings.index(target), direction)
    services.renumber([siblings[i] for i in order])
    copy.form.version += 1
    return _saved(copy, evaluation_form, f"Question '{question.text}' moved {direction}.")


# Sending a form to an event ------------------------------------------------------------------------


def _current_forms() -> list[EvaluationForm]:
    """The newest version of every form, the default first."""
    latest = (
        select(EvaluationForm.family_id, sa.func.max(EvaluationForm.version_number).label("number"))
        .group_by(EvaluationForm.family_id)
        .subquery()
    )
    return list(
        db.session.exec(
            select(EvaluationForm)
            .join(
                latest,
                sa.and_(
                    latest.c.family_id == EvaluationForm.family_id,
                    latest.c.number == EvaluationForm.version_number,
                ),
            )
            .order_by(col(EvaluationForm.is_default).desc(), col(EvaluationForm.name))
        )
    )


@bp.route("/events/<int:event_id>/attach", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def attach(event_id: int):
    event = services.event_or_none(event_id) or abort(404)
    existing = db.session.exec(select(EventEvaluation).where(EventEvaluation.event_id == event.id)).first()
    if existing is not None:
        return redirect(url_for("evaluations.evaluation_view", evaluation_id=existing.id))
    today = today_london()
    forms = _current_forms()
    form = AttachForm(today=today)
    form.form_id.choices = form_choices(forms)
    if request.method == "GET":
        form.form_id.data = str(forms[0].id) if forms else None
        form.closes_on.data = rules.default_closing_date(today, settings.get(rules.OPEN_DAYS.key))
    if form.validate_on_submit():
        chosen = next(f for f in forms if str(f.id) == form.form_id.data)
        evaluation = services.attach(event, chosen, form.closes_on.data, form.always_anonymous.data, g.user)
        sent = services.send_links(evaluation)
        flash(_sent_message(sent), "success")
        return redirect(url_for("evaluations.evaluation_view", evaluation_id=evaluation.id))
    attendees = db.session.scalar(
        select(sa.func.count())
        .select_from(Enrolment)
        .where(Enrolment.event_id == event.id, Enrolment.sessions_attended > 0)
    )
    return render_template("evaluations/attach.html", form=form, event=event, attendees=attendees)


def _sent_message(sent: int) -> str:
    if not sent:
        return "The form is ready. No one has attended yet: send the links once the registers are marked."
    return f"Links sent to {sent} attendee{'s' if sent != 1 else ''}."


def _evaluation_or_404(evaluation_id: int) -> EventEvaluation:
    return queries.load_evaluation(evaluation_id) or abort(404)


@bp.route("/<int:evaluation_id>")
@requires(Permission.MANAGE_EVALUATIONS)
def evaluation_view(evaluation_id: int):
    evaluation = _evaluation_or_404(evaluation_id)
    statement = (
        select(EvaluationInvitation)
        .join(Enrolment, col(Enrolment.id) == EvaluationInvitation.enrolment_id)
        .join(Trainee, col(Trainee.id) == Enrolment.trainee_id)
        .where(EvaluationInvitation.evaluation_id == evaluation.id)
        .options(selectinload(EvaluationInvitation.enrolment).selectinload(Enrolment.trainee))
        .order_by(col(EvaluationInvitation.answered), col(Trainee.name), col(EvaluationInvitation.id))
    )
    now = utcnow()
    return render_template(
        "evaluations/evaluation_view.html",
        evaluation=evaluation,
        rate=queries.rates([evaluation.id])[evaluation.id],
        page=paginate(statement),
        without_link=services.count_without_link(evaluation),
        is_open=rules.is_open(evaluation.closes_on, today_london()),
        reminder_wait=rules.reminder_wait(
            evaluation.last_reminded_at, now, settings.get(rules.REMINDER_GAP_DAYS.key)
        ),
        confirm=ConfirmForm(),
    )


@bp.route("/<int:evaluation_id>/closing-date", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def closing_date(evaluation_id: int):
    evaluation = _evaluation_or_404(evaluation_id)
    form = ClosingDateForm(obj=evaluation)
    if form.validate_on_submit():
        if form.version.data != str(evaluation.version):
            form.closes_on.errors.append(
                "Someone else changed this evaluation while you were editing it: "
                "check the date and save again"
            )
        else:
            evaluation.closes_on = form.closes_on.data
            evaluation.version += 1
            flash("Closing date saved.", "success")
            return redirect(url_for("evaluations.evaluation_view", evaluation_id=evaluation.id))
    return render_template("evaluations/closing_date.html", form=form, evaluation=evaluation)


@bp.route("/<int:evaluation_id>/send-links", methods=["POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def send_links(evaluation_id: int):
    evaluation = _evaluation_or_404(evaluation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if not rules.is_open(evaluation.closes_on, today_london()):
        flash("The evaluation has closed: change the closing date to send more links.")
    else:
        flash(_sent_message(services.send_links(evaluation)), "success")
    return redirect(url_for("evaluations.evaluation_view", evaluation_id=evaluation.id))


@bp.route("/<int:evaluation_id>/remind", methods=["POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def remind(evaluation_id: int):
    evaluation = _evaluation_or_404(evaluation_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    wait = rules.reminder_wait(
        evaluation.last_reminded_at, utcnow(), settings.get(rules.REMINDER_GAP_DAYS.key)
    )
    if not rules.is_open(evaluation.closes_on, today_london()):
        flash("The evaluation has closed: no reminders can be sent.")
    elif wait is not None:
        flash("A reminder went out recently: the next can be sent once the gap set in Settings has passed.")
    else:
        reminded = services.remind(evaluation)
        flash(f"Reminder sent to {reminded} {'person' if reminded == 1 else 'people'}.", "success")
    return redirect(url_for("evaluations.evaluation_view", evaluation_id=evaluation.id))


# Answering -------------------------------------------------------------------------------------------


@bp.route("/answer/<token>", methods=["GET", "POST"])
@public
def answer(token: str):
    invitation = services.invitation_for_token(token)
    if invitation is None:
        return render_template("evaluations/link_refused.html", reason="unknown"), 404
    return _answer(invitation, action=url_for("evaluations.answer", token=token))


@bp.route("/invitations/<int:invitation_id>", methods=["GET", "POST"])
@requires()
def answer_signed_in(invitation_id: int):
    invitation = get_visible_or_404(EvaluationInvitation, invitation_id)
    return _answer(invitation, action=url_for("evaluations.answer_signed_in", invitation_id=invitation.id))


def _answer(invitation: EvaluationInvitation, action: str):
    """The answer page for a link: refused once used or closed; otherwise validated, then kept once."""
    evaluation = _evaluation_or_404(invitation.evaluation_id)
    today = today_london()
    if invitation.answered:
        return render_template("evaluations/link_refused.html", reason="answered", evaluation=evaluation), 410
    if not rules.is_open(evaluation.closes_on, today):
        return render_template("evaluations/link_refused.html", reason="closed", evaluation=evaluation), 410
    form = answer_form(evaluation.form, ask_name=not evaluation.always_anonymous)
    if form.validate_on_submit():
        values = {q.id: form[field_name(q)].data for q in evaluation.form.questions}
        named = not evaluation.always_anonymous and form.named.data == "YES"
        try:
            services.submit(invitation, evaluation.form, values, named, today)
        except services.AlreadyAnswered:
            return render_template(
                "evaluations/link_refused.html", reason="answered", evaluation=evaluation
            ), 410
        return redirect(url_for("evaluations.thanks"))
    return render_template(
        "evaluations/answer.html",
        form=form,
        evaluation_form=evaluation.form,
        event=evaluation.event,
        evaluation=evaluation,
        person=invitation.enrolment.trainee.name,
        action=action,
        preview=False,
    )


@bp.route("/thank-you")
@public
def thanks():
    return render_template("evaluations/thanks.html")


# Results ------------------------------------------------------------------------------------------


@bp.route("/events")
@requires(Permission.VIEW_TRAINING_OVERVIEW)
def evaluation_list():
    statement = (
        select(EventEvaluation)
        .join(CourseEvent, col(CourseEvent.id) == EventEvaluation.event_id)
        .options(selectinload(EventEvaluation.event), selectinload(EventEvaluation.form))
        .order_by(col(CourseEvent.starts_at).desc(), col(EventEvaluation.id).desc())
    )
    page = paginate(statement)
    to_evaluate = []
    if g.user.can(Permission.MANAGE_EVALUATIONS):
        to_evaluate = db.session.exec(
            select(CourseEvent)
            .where(
                col(CourseEvent.id).not_in(select(EventEvaluation.event_id)),
                col(CourseEvent.starts_at).is_not(None),
                col(CourseEvent.starts_at) <= utcnow(),
            )
            .order_by(col(CourseEvent.starts_at).desc())
            .limit(8)
        ).all()
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
    evaluation = _evaluation_or_404(evaluation_id)
    return render_template(
        "evaluations/results.html",
        results=queries.results(evaluation),
        show_names=g.user.can(Permission.MANAGE_EVALUATIONS),
        is_open=rules.is_open(evaluation.closes_on, today_london()),
    )


@bp.route("/<int:evaluation_id>/questions/<int:question_id>/answers")
@requires(Permission.VIEW_TRAINING_OVERVIEW)
def text_answers(evaluation_id: int, question_id: int):
    evaluation = _evaluation_or_404(evaluation_id)
    question = next((q for q in evaluation.form.questions if q.id == question_id), None)
    if question is None or question.kind is not QuestionKind.FREE_TEXT:
        abort(404)
    return render_template(
        "evaluations/text_answers.html",
        evaluation=evaluation,
        question=question,
        page=paginate(queries.text_answers_statement(evaluation.id, question.id), scalars=False),
        show_names=g.user.can(Permission.MANAGE_EVALUATIONS),
    )


@bp.route("/<int:evaluation_id>/results.csv")
@requires(Permission.MANAGE_EVALUATIONS)
def results_csv(evaluation_id: int):
    evaluation = _evaluation_or_404(evaluation_id)
    data = export.responses_csv(evaluation)
    audit.record("export", evaluation, summary=f"CSV of responses, {evaluation.form.label}")
    return csv_download(data, f"{export.file_stem(evaluation)}-responses.csv")


@bp.route("/<int:evaluation_id>/results.pdf")
@requires(Permission.VIEW_TRAINING_OVERVIEW)
def results_pdf(evaluation_id: int):
    evaluation = _evaluation_or_404(evaluation_id)
    results = queries.results(evaluation, texts_shown=pdf.TEXTS_IN_PDF)
    data = pdf.results_pdf(results, area=settings.get("area_name"), issued=today_london())
    audit.record("export", evaluation, summary=f"PDF results summary, {evaluation.form.label}")
    return _download(data, "application/pdf", f"{export.file_stem(evaluation)}-results.pdf")


def _download(data: bytes | str, mimetype: str, filename: str) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/compare")
@requires(Permission.VIEW_TRAINING_OVERVIEW)
def compare():
    choosable = queries.comparable_evaluations()
    form = CompareForm(request.args, families={e.id: e.form.family_id for e in choosable})
    form.evaluation.choices = [(e.id, f"{e.event.title} ({e.form.label})") for e in choosable]
    comparison = None
    if "evaluation" in request.args and form.validate():
        comparison = queries.comparison(form.evaluation.data)
    return render_template("evaluations/compare.html", form=form, comparison=comparison)
