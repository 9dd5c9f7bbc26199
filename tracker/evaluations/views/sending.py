"""Sending a form to an event: attaching it, the evaluation's page, its closing date, links and reminders."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.core import settings
from tracker.core.db import db
from tracker.core.forms import ConfirmForm
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import today_london
from tracker.core.types import utcnow
from tracker.evaluations import queries, rules, services
from tracker.evaluations.forms import (
    AttachForm,
    ClosingDateForm,
    form_choices,
)
from tracker.evaluations.models import (
    EvaluationForm,
    EvaluationInvitation,
    EventEvaluation,
)
from tracker.evaluations.views import bp
from tracker.evaluations.views.common import (
    evaluation_or_404,
)
from tracker.training.models import Enrolment, Trainee


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


@bp.route("/<int:evaluation_id>")
@requires(Permission.MANAGE_EVALUATIONS)
def evaluation_view(evaluation_id: int):
    evaluation = evaluation_or_404(evaluation_id)
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
    evaluation = evaluation_or_404(evaluation_id)
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
    evaluation = evaluation_or_404(evaluation_id)
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
    evaluation = evaluation_or_404(evaluation_id)
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
