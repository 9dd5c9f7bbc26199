"""Enrolling people on an event, one at a time or from an uploaded file, and withdrawing them."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlmodel import select

from tracker.auth.models import Agency
from tracker.core.db import db
from tracker.core.forms import ConfirmForm
from tracker.core.permissions import Permission, requires
from tracker.training import rules, services
from tracker.training.forms import (
    EnrolForm,
    UploadForm,
)
from tracker.training.models import (
    Enrolment,
    EnrolmentImport,
    EnrolmentStatus,
    TraineeRole,
)
from tracker.training.views import bp
from tracker.training.views.common import event_or_404, saved_message


@bp.route("/events/<int:event_id>/enrol", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def enrol(event_id: int):
    event = event_or_404(event_id)
    form = EnrolForm()
    if form.validate_on_submit():
        services.lock_event(event.id)
        trainee = services.trainee_for(form.name.data, form.email.data, int(form.agency_id.data))
        role = TraineeRole[form.role.data] if form.role.data in TraineeRole.__members__ else None
        try:
            enrolment = services.enrol(event, trainee, role)
        except services.AlreadyEnrolled as error:
            form.email.errors.append(str(error))
        else:
            where = "the waiting list" if enrolment.status is EnrolmentStatus.WAITING else "the event"
            flash(f"{trainee.name} added to {where}.", "success")
            return redirect(url_for("training.event_view", event_id=event.id))
    return render_template("training/enrol.html", form=form, event=event)


@bp.route("/enrolments/<int:enrolment_id>/withdraw", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def withdraw(enrolment_id: int):
    """Ask first (their place goes to the waiting list, and their calendar entries are cancelled), then
    withdraw."""
    enrolment = db.session.get(Enrolment, enrolment_id) or abort(404)
    if request.method == "GET" and enrolment.status in (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING):
        return render_template(
            "training/withdraw.html",
            enrolment=enrolment,
            event=enrolment.event,
            waiting=services.waiting_count(enrolment.event_id),
            confirm=ConfirmForm(),
        )
    if request.method == "POST" and not ConfirmForm().validate_on_submit():
        abort(400)
    if enrolment.status not in (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING):
        flash(f"{enrolment.trainee.name} cannot be withdrawn: they have {enrolment.status.label.lower()}.")
        return redirect(url_for("training.event_view", event_id=enrolment.event_id))
    moved = services.withdraw(enrolment)
    flash(saved_message(f"{enrolment.trainee.name} withdrawn.", moved), "success")
    return redirect(url_for("training.event_view", event_id=enrolment.event_id))


@bp.route("/events/<int:event_id>/upload", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def upload(event_id: int):
    event = event_or_404(event_id)
    form = UploadForm()
    if form.validate_on_submit():
        try:
            rows = rules.read_upload(form.file.data.read())
        except rules.UploadProblem as problem:
            form.file.errors.append(str(problem))
        else:
            staged = services.stage_upload(event, form.file.data.filename or "", rows, g.user)
            return redirect(url_for("training.upload_preview", upload_id=staged.id))
    return render_template("training/upload.html", form=form, event=event, agency_names=_agency_names())


def _agency_names() -> list[str]:
    """The names an uploaded file must use, listed beside the upload."""
    return list(db.session.exec(select(Agency.name).where(Agency.active).order_by(Agency.name)))


def _own_upload_or_404(upload_id: int) -> EnrolmentImport:
    staged = db.session.get(EnrolmentImport, upload_id)
    if staged is None or staged.created_by_id != g.user.id:
        abort(404)
    return staged


@bp.route("/uploads/<int:upload_id>")
@requires(Permission.MANAGE_TRAINING)
def upload_preview(upload_id: int):
    staged = _own_upload_or_404(upload_id)
    event = event_or_404(staged.event_id)
    preview = services.preview_upload(staged, event)
    return render_template(
        "training/upload_preview.html",
        staged=staged,
        event=event,
        preview=preview,
        form=UploadForm(),
        confirm=ConfirmForm(),
        agency_names=_agency_names(),
    )


@bp.route("/uploads/<int:upload_id>/confirm", methods=["POST"])
@requires(Permission.MANAGE_TRAINING)
def upload_confirm(upload_id: int):
    staged = _own_upload_or_404(upload_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    event = services.lock_event(staged.event_id) or abort(404)
    if services.preview_upload(staged, event).errors:
        flash("The file still has errors: nobody has been enrolled. Upload a corrected file.")
        return redirect(url_for("training.upload_preview", upload_id=staged.id))
    enrolments = services.confirm_upload(staged, event)
    waiting = sum(1 for e in enrolments if e.status is EnrolmentStatus.WAITING)
    message = f"{len(enrolments)} people enrolled from {staged.filename or 'the file'}."
    if waiting:
        message += f" {waiting} of them are on the waiting list."
    flash(message, "success")
    return redirect(url_for("training.event_view", event_id=event.id))
