"""Sending a form to an event: attaching it, the evaluation's page, its closing date, links and reminders."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from tracker.core import settings
from tracker.core.forms import ConfirmForm, require_confirmation
from tracker.core.locking import Conflict
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import today_london
from tracker.core.types import utcnow
from tracker.evaluations import listings, loaders, queries, rules, services
from tracker.evaluations.forms import AttachForm, ClosingDateForm, form_choices
from tracker.evaluations.views import bp


@bp.route("/events/<int:event_id>/attach", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def attach(event_id: int):
    event = loaders.event_to_evaluate(event_id)
    existing = listings.evaluation_of(event)
    if existing is not None:
        return redirect(url_for("evaluations.evaluation_view", evaluation_id=existing.id))
    today = today_london()
    forms = listings.current_forms()
    form = AttachForm(today=today)
    form.form_id.choices = form_choices(forms)
    if request.method == "GET":
        form.form_id.data = str(forms[0].id) if forms else None
        form.closes_on.data = rules.default_closing_date(today, settings.get(rules.OPEN_DAYS.key))
    if form.validate_on_submit():
        chosen = next(f for f in forms if str(f.id) == form.form_id.data)
        evaluation, sent = services.send_form(
            event, chosen, form.closes_on.data, form.always_anonymous.data, g.user
        )
        flash(_sent_message(sent), "success")
        return redirect(url_for("evaluations.evaluation_view", evaluation_id=evaluation.id))
    return render_template(
        "evaluations/attach.html", form=form, event=event, attendees=listings.attendee_count(event)
    )


def _sent_message(sent: int) -> str:
    if not sent:
        return "The form is ready. No one has attended yet: send the links once the registers are marked."
    return f"Links sent to {sent} attendee{'s' if sent != 1 else ''}."


@bp.route("/<int:evaluation_id>")
@requires(Permission.MANAGE_EVALUATIONS)
def evaluation_view(evaluation_id: int):
    evaluation = loaders.evaluation_to_manage(evaluation_id)
    now = utcnow()
    rate = queries.rates([evaluation.id])[evaluation.id]
    return render_template(
        "evaluations/evaluation_view.html",
        evaluation=evaluation,
        rate=rate,
        held_back=queries.anonymous_held_back(evaluation),
        minimum=settings.get(rules.MIN_ANONYMOUS_RESPONSES.key),
        # On an anonymous form nobody sees who has answered: the page gives the counts only.
        page=None if evaluation.always_anonymous else paginate(listings.invitations_statement(evaluation)),
        without_link=listings.count_without_link(evaluation),
        is_open=rules.is_open(evaluation.closes_on, today_london()),
        reminder_wait=rules.reminder_wait(
            evaluation.last_reminded_at, now, settings.get(rules.REMINDER_GAP_DAYS.key)
        ),
        confirm=ConfirmForm(),
    )


@bp.route("/<int:evaluation_id>/closing-date", methods=["GET", "POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def closing_date(evaluation_id: int):
    evaluation = loaders.evaluation_to_manage(evaluation_id)
    form = ClosingDateForm(obj=evaluation)
    if form.validate_on_submit():
        try:
            services.set_closing_date(evaluation, form.closes_on.data, form.version.data, g.user)
        except services.ClosesBeforeAnswers as refused:
            form.closes_on.errors.append(str(refused))
        except Conflict:
            form.show_conflict(
                "Someone else changed this evaluation while you were editing it: "
                "check the date and save again"
            )
        else:
            flash("Closing date saved.", "success")
            return redirect(url_for("evaluations.evaluation_view", evaluation_id=evaluation.id))
    return render_template("evaluations/closing_date.html", form=form, evaluation=evaluation)


@bp.route("/<int:evaluation_id>/send-links", methods=["POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def send_links(evaluation_id: int):
    evaluation = loaders.evaluation_to_manage(evaluation_id)
    require_confirmation()
    if not rules.is_open(evaluation.closes_on, today_london()):
        flash("The evaluation has closed: change the closing date to send more links.")
    else:
        flash(_sent_message(services.send_links(evaluation, g.user)), "success")
    return redirect(url_for("evaluations.evaluation_view", evaluation_id=evaluation.id))


@bp.route("/<int:evaluation_id>/remind", methods=["POST"])
@requires(Permission.MANAGE_EVALUATIONS)
def remind(evaluation_id: int):
    evaluation = loaders.evaluation_to_manage(evaluation_id)
    require_confirmation()
    wait = rules.reminder_wait(
        evaluation.last_reminded_at, utcnow(), settings.get(rules.REMINDER_GAP_DAYS.key)
    )
    if not rules.is_open(evaluation.closes_on, today_london()):
        flash("The evaluation has closed: no reminders can be sent.")
    elif wait is not None:
        flash("A reminder went out recently: the next can be sent once the gap set in Settings has passed.")
    else:
        _remind(evaluation)
    return redirect(url_for("evaluations.evaluation_view", evaluation_id=evaluation.id))


def _remind(evaluation) -> None:
    try:
        reminded = services.remind(evaluation, g.user)
    except Conflict:
        flash("A reminder went out recently: the next can be sent once the gap set in Settings has passed.")
    else:
        flash(f"Reminder sent to {reminded} {'person' if reminded == 1 else 'people'}.", "success")
