"""Outcomes: setting them when an event has ended, and overriding one with a reason. Messages to the
people on an event: written, previewed, then sent through the outbox."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from tracker.core.forms import require_confirmation
from tracker.core.locking import Conflict
from tracker.core.permissions import Permission, requires
from tracker.training import listings, loaders, outcomes
from tracker.training.forms import MailingForm, OutcomeForm
from tracker.training.models import EnrolmentStatus
from tracker.training.views import bp
from tracker.training.views.common import released_message


@bp.route("/events/<int:event_id>/close", methods=["POST"])
@requires(Permission.MANAGE_TRAINING)
def event_close(event_id: int):
    event = loaders.event_to_manage(event_id)
    require_confirmation()
    try:
        places = outcomes.close_event(event, g.user)
    except outcomes.NotEnded as error:
        flash(f"{error}.")
    else:
        if places is not None:
            flash(
                released_message("Outcomes set, the waiting list closed and certificates sent.", places),
                "success",
            )
        else:
            flash("The outcomes of this event were already set.")
    return redirect(url_for("training.event_view", event_id=event.id))


@bp.route("/enrolments/<int:enrolment_id>/outcome", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def outcome(enrolment_id: int):
    enrolment = loaders.enrolment_to_manage(enrolment_id)
    event = enrolment.event
    if event.closed_at is None or enrolment.status in (EnrolmentStatus.WAITING, EnrolmentStatus.NOT_PLACED):
        abort(404)
    form = OutcomeForm()
    if request.method == "GET":
        form.version.data = str(enrolment.version)
        form.outcome.data = enrolment.status.name
        form.reason.data = enrolment.outcome_reason
    elif form.validate_on_submit():
        try:
            places = outcomes.override_outcome(
                enrolment, form.version.data, EnrolmentStatus[form.outcome.data], form.reason.data, g.user
            )
        except Conflict:
            form.show_conflict()
        else:
            message = f"{enrolment.trainee.name}'s outcome is now {enrolment.status.label}."
            flash(released_message(message, places), "success")
            return redirect(url_for("training.event_view", event_id=event.id))
    return render_template("training/outcome.html", form=form, enrolment=enrolment, event=event)


@bp.route("/events/<int:event_id>/email", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def event_email(event_id: int):
    """Write the message; a valid one is shown as a preview with who it goes to, to confirm."""
    event = loaders.event_to_manage(event_id)
    form = MailingForm()
    if form.validate_on_submit():
        people = listings.mailing_recipients(event.id, form.audience.data)
        if people:
            return render_template("training/email_preview.html", form=form, event=event, people=people)
        form.audience.errors.append(
            f"No one is in '{listings.AUDIENCES[form.audience.data].lower()}' yet: select someone else"
        )
    return render_template("training/email_form.html", form=form, event=event)


@bp.route("/events/<int:event_id>/email/send", methods=["POST"])
@requires(Permission.MANAGE_TRAINING)
def event_email_send(event_id: int):
    event = loaders.event_to_manage(event_id)
    form = MailingForm()
    if not form.validate_on_submit():
        return render_template("training/email_form.html", form=form, event=event)
    if request.form.get("change"):
        return render_template("training/email_form.html", form=form, event=event)
    count = outcomes.email_event(event, form.audience.data, form.subject.data, form.body.data, g.user)
    people = f"{count} {'person' if count == 1 else 'people'}"
    flash(f"Email '{form.subject.data}' sent to {people}.", "success")
    return redirect(url_for("training.event_view", event_id=event.id))
