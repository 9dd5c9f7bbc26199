"""Enrolling people on an event, one at a time or from an uploaded file, and withdrawing them."""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask import abort, flash, g, redirect, render_template, request, url_for

from tracker.core.forms import ConfirmForm, require_confirmation
from tracker.core.locking import Conflict
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import format_datetime
from tracker.core.types import utcnow
from tracker.training import listings, loaders, rules, services, upload_check
from tracker.training.forms import EnrolForm, UploadForm
from tracker.training.models import EnrolmentStatus, TraineeRole
from tracker.training.views import bp
from tracker.training.views.common import saved_message

STILL_ENROLLABLE = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)


@bp.route("/events/<int:event_id>/enrol", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def enrol(event_id: int):
    event = loaders.event_to_manage(event_id)
    if request.method == "GET" and event.closed_at is not None:
        return _closed(event)
    form = EnrolForm()
    namesake = None
    if form.validate_on_submit():
        role = TraineeRole[form.role.data] if form.role.data in TraineeRole.__members__ else None
        agency_id = int(form.agency_id.data) if form.agency_id.data else None
        namesake = services.namesake(form.name.data, form.email.data, agency_id)
        if namesake is not None and not _confirmed(namesake, form):
            return _enrol_page(form, event, namesake)
        try:
            enrolment = services.enrol_person(
                event,
                g.user,
                form.name.data,
                form.email.data,
                agency_id,
                role,
                form.override_reason.data or "",
                existing=namesake if form.same_person.data == "EXISTING" else None,
            )
        except (services.AlreadyEnrolled, services.EnrolmentClosed) as error:
            form.email.errors.append(str(error))
        except services.RoleRefused as error:
            form.role.errors = [str(error)]
        except services.BreaksEnrolmentRule as error:
            form.override_reason.errors.append(
                f"{error}. To give them a place anyway, say why the rule is overridden"
            )
        else:
            where = "the waiting list" if enrolment.status is EnrolmentStatus.WAITING else "the event"
            flash(f"{enrolment.trainee.name} added to {where}.", "success")
            return redirect(url_for("training.event_view", event_id=event.id))
    return _enrol_page(form, event, namesake if form.same_person.data else None)


def _closed(event):
    """The enrol pages of an event whose outcomes are set: back to the event, saying why."""
    flash(f"{services.EnrolmentClosed(event.title)}.")
    return redirect(url_for("training.event_view", event_id=event.id))


def _enrol_page(form: EnrolForm, event, namesake):
    """The enrol form, with the warning to confirm when `namesake` (someone on record) may be them."""
    warned = _fingerprint(namesake, form) if namesake else ""
    return render_template("training/enrol.html", form=form, event=event, namesake=namesake, warned=warned)


def _confirmed(namesake, form: EnrolForm) -> bool:
    """Whether the TRSG saw the warning about this namesake and said whether it is them."""
    if request.form.get("warned") != _fingerprint(namesake, form):
        return False
    if form.same_person.data not in ("EXISTING", "NEW"):
        form.same_person.errors = ["Select whether this is the person already on record"]
        return False
    return True


def _fingerprint(namesake, form: EnrolForm) -> str:
    """What the TRSG was warned about: this person on record, for this name, email and agency."""
    seen = f"{namesake.id}\n{form.name.data}\n{form.email.data.lower()}\n{form.agency_id.data}"
    return hashlib.sha256(seen.encode()).hexdigest()[:16]


@bp.route("/enrolments/<int:enrolment_id>/withdraw", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def withdraw(enrolment_id: int):
    """Ask first (their place goes to the waiting list, and their calendar entries are cancelled), then
    withdraw."""
    enrolment = loaders.enrolment_to_manage(enrolment_id)
    begun = rules.event_begun(enrolment.event.starts_at, utcnow())
    if request.method == "GET" and enrolment.status in STILL_ENROLLABLE:
        return render_template(
            "training/withdraw.html",
            enrolment=enrolment,
            event=enrolment.event,
            waiting=listings.waiting_count(enrolment.event_id),
            begun=begun,
            confirm=ConfirmForm(),
        )
    if request.method == "POST" and not ConfirmForm().validate_on_submit():
        abort(400)
    back = redirect(url_for("training.event_view", event_id=enrolment.event_id))
    if enrolment.status not in STILL_ENROLLABLE:
        flash(f"{enrolment.trainee.name} cannot be withdrawn: their status is {enrolment.status.label}.")
        return back
    had_a_place = enrolment.status is EnrolmentStatus.ENROLLED
    try:
        moved = services.withdraw(enrolment, g.user)
    except Conflict:
        flash(
            f"Someone else changed {enrolment.trainee.name}'s place at the same moment: "
            "check it, then try again."
        )
        return back
    message = saved_message(f"{enrolment.trainee.name} withdrawn.", moved)
    if begun and had_a_place and listings.waiting_count(enrolment.event_id):
        message += " The event has begun, so nobody moves up from the waiting list."
    flash(message, "success")
    return back


@bp.route("/events/<int:event_id>/upload", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def upload(event_id: int):
    event = loaders.event_to_manage(event_id)
    if request.method == "GET" and event.closed_at is not None:
        return _closed(event)
    form = UploadForm()
    if form.validate_on_submit():
        if event.closed_at is not None:
            form.file.errors.append(str(services.EnrolmentClosed(event.title)))
            return _upload_page(form, event)
        try:
            rows = rules.read_upload(form.file.data.read())
        except rules.UploadProblem as problem:
            form.file.errors.append(str(problem))
        else:
            staged = services.stage_upload(event, form.file.data.filename or "", rows, g.user)
            return redirect(url_for("training.upload_preview", upload_id=staged.id))
    return _upload_page(form, event)


def _upload_page(form: UploadForm, event):
    return render_template(
        "training/upload.html", form=form, event=event, agency_names=listings.active_agency_names()
    )


@bp.route("/uploads/<int:upload_id>")
@requires(Permission.MANAGE_TRAINING)
def upload_preview(upload_id: int):
    if used := loaders.used_upload(upload_id):
        return _already_used(used.event_id, used.at)
    staged = loaders.own_upload(upload_id)
    event = loaders.event_to_manage(staged.event_id)
    return render_template(
        "training/upload_preview.html",
        staged=staged,
        event=event,
        preview=upload_check.preview_upload(staged, event),
        form=UploadForm(),
        confirm=ConfirmForm(),
        agency_names=listings.active_agency_names(),
    )


@bp.route("/uploads/<int:upload_id>/confirm", methods=["POST"])
@requires(Permission.MANAGE_TRAINING)
def upload_confirm(upload_id: int):
    if used := loaders.used_upload(upload_id):
        return _already_used(used.event_id, used.at)
    staged = loaders.own_upload(upload_id)
    require_confirmation()
    event_id, filename = staged.event_id, staged.filename
    try:
        enrolments = services.confirm_upload(staged, g.user, request.form.get("override_reason", "")[:1000])
    except services.UploadHasErrors as error:
        flash(str(error))
        return redirect(url_for("training.upload_preview", upload_id=staged.id))
    except services.EnrolmentClosed as error:
        flash(f"{error}. Nobody has been enrolled.")
        return redirect(url_for("training.event_view", event_id=event_id))
    except services.UploadAlreadyUsed:
        return _already_used(event_id)
    waiting = sum(1 for e in enrolments if e.status is EnrolmentStatus.WAITING)
    message = f"{len(enrolments)} people enrolled from {filename or 'the file'}."
    if waiting:
        message += f" {waiting} of them {'is' if waiting == 1 else 'are'} on the waiting list."
    flash(message, "success")
    return redirect(url_for("training.event_view", event_id=event_id))


def _already_used(event_id: int, at: datetime | None = None):
    """Back to the event, saying the upload's people were enrolled from it already (nothing changes)."""
    when = f" on {format_datetime(at)}" if at else ""
    flash(f"The people in this file were enrolled from it already{when}: nothing has been changed.")
    return redirect(url_for("training.event_view", event_id=event_id))
