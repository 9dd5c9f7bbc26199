"""The minutes' workflow: submitting a draft, approving it, recording its distribution, and starting (or
abandoning) a correction of approved minutes."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlmodel import select

from tracker.auth.models import Agency
from tracker.core.db import db
from tracker.core.permissions import Permission, requires
from tracker.core.templating import plural
from tracker.meetings.models import Meeting
from tracker.minutes import handover, holders, recipients, services
from tracker.minutes import record as records
from tracker.minutes.access import may_approve, may_distribute, may_draft
from tracker.minutes.forms import CorrectionForm, DistributeForm, StepForm
from tracker.minutes.models import Minutes
from tracker.minutes.views.common import bp, meeting_to_draft, meeting_to_view
from tracker.minutes.views.pages import minutes_page


def _step_view(meeting_id: int, allowed, action, success: str):
    """The shape every workflow button shares: check, take the step, say what happened."""
    meeting = meeting_to_view(meeting_id)
    if not allowed(g.user, meeting):
        abort(404)
    minutes = records.load_minutes(meeting) or abort(404)
    form = StepForm()
    try:
        action(meeting, minutes, form.version.data or "")
    except services.StepRefused as refused:
        return _refused(meeting, minutes, refused.problems)
    flash(success, "success")
    _warn_if_approver_left(meeting, minutes)
    return redirect(url_for("minutes.minutes_view", meeting_id=meeting.id))


def _warn_if_approver_left(meeting: Meeting, minutes: Minutes) -> None:
    """Minutes that now wait for someone who has left: say so, and who puts it right."""
    departed = handover.departed_approver(meeting, minutes)
    if departed is not None:
        flash(
            f"{departed.name}, who would approve these minutes, has left (their account is deactivated). "
            "No one can approve them until the MAPPA co-ordinator hands the approval to another chair.",
            "important",
        )


def _refused(meeting: Meeting, minutes: Minutes, problems: list[str]):
    """The minutes page with why the step was refused. Refusals come before any change; the rollback
    makes sure of it, since the page is sent as a success (a form with errors, in GOV.UK style)."""
    db.session.rollback()
    return minutes_page(meeting, records.load_minutes(meeting), refused=problems)


@bp.route("/meetings/<int:meeting_id>/minutes/submit", methods=["POST"])
@requires(Permission.EDIT_MINUTES)
def minutes_submit(meeting_id: int):
    return _step_view(
        meeting_id,
        may_draft,
        lambda meeting, minutes, version: services.submit(minutes, version, g.user),
        "The minutes have been submitted to the chair for approval.",
    )


@bp.route("/meetings/<int:meeting_id>/minutes/approve", methods=["POST"])
@requires(Permission.APPROVE_MINUTES)
def minutes_approve(meeting_id: int):
    return _step_view(
        meeting_id,
        may_approve,
        lambda meeting, minutes, version: services.approve(meeting, minutes, version, g.user),
        "You have approved the minutes. They can now be distributed.",
    )


def _asked_step(meeting: Meeting, minutes: Minutes, form, take, announce, template: str, then: str, **page):
    """A step asked for on a page of its own (distributing, starting or abandoning a correction): taken
    once the form is sent, `announce`d from what `take` gives back, then on to the page `then` (the
    form's page shown with `page`)."""
    if form.validate_on_submit():
        try:
            done = take()
        except services.StepRefused as refused:
            return _refused(meeting, minutes, refused.problems)
        announce(done)
        _warn_if_approver_left(meeting, minutes)
        return redirect(url_for(then, meeting_id=meeting.id))
    return render_template(template, meeting=meeting, minutes=minutes, form=form, **page)


def _versioned(form_class, minutes: Minutes):
    """The step's form, carrying the version of the minutes the page was shown with."""
    return form_class(data={"version": str(minutes.version)} if request.method == "GET" else None)


@bp.route("/meetings/<int:meeting_id>/minutes/distribute", methods=["GET", "POST"])
@requires(Permission.EDIT_MINUTES)
def minutes_distribute(meeting_id: int):
    meeting = meeting_to_view(meeting_id)
    if not may_distribute(g.user, meeting):
        abort(404)
    minutes = records.load_minutes(meeting)
    if minutes is None or minutes.latest_approved is None:
        abort(404)
    agencies = db.session.exec(select(Agency).where(Agency.active).order_by(Agency.name)).all()
    form = _versioned(DistributeForm, minutes)
    form.recipients.choices = recipients.recipient_choices(meeting, agencies)
    ticks = holders.to_tick(meeting, minutes, form.recipients.choices)
    if request.method == "GET":
        form.recipients.data = ticks.values
    return _asked_step(
        meeting,
        minutes,
        form,
        lambda: services.distribute(meeting, minutes, form.version.data or "", form.recipients.data, g.user),
        _announce_distribution,
        "minutes/distribute.html",
        "minutes.minutes_view",
        hints=ticks.hints,
    )


def _announce_distribution(done: services.Distributed) -> None:
    flash(f"The distribution has been recorded: {plural(done.added, 'new recipient')}.", "success")
    if done.send_another_way:
        flash(
            f"Nothing was sent to {', '.join(done.send_another_way)}: no one there is named and the "
            "agency has no secure mailbox in the tracker. Send them the minutes another way (a secure "
            "email with the PDF), or ask the system admin to add the agency's secure mailbox.",
            "important",
        )


@bp.route("/meetings/<int:meeting_id>/minutes/correct", methods=["GET", "POST"])
@requires(Permission.EDIT_MINUTES)
def minutes_correct(meeting_id: int):
    meeting, minutes = meeting_to_draft(meeting_id)
    if minutes is None or minutes.latest_approved is None:
        abort(404)
    form = _versioned(CorrectionForm, minutes)
    return _asked_step(
        meeting,
        minutes,
        form,
        lambda: services.correct(minutes, form.version.data or "", form.reason.data, g.user),
        lambda draft: flash(
            f"Version {draft.number} has been started. Version {draft.number - 1} stays as approved.",
            "success",
        ),
        "minutes/correct.html",
        "minutes.minutes_edit",
    )


@bp.route("/meetings/<int:meeting_id>/minutes/abandon-correction", methods=["GET", "POST"])
@requires(Permission.EDIT_MINUTES)
def minutes_abandon_correction(meeting_id: int):
    """Ask first (what the correction changed goes), then put the approved record back."""
    meeting, minutes = meeting_to_draft(meeting_id)
    if minutes is None or minutes.current.approved_at is not None or minutes.current.restore_point is None:
        abort(404)
    form = _versioned(StepForm, minutes)
    return _asked_step(
        meeting,
        minutes,
        form,
        lambda: services.abandon_correction(minutes, form.version.data or "", g.user),
        lambda standing: flash(
            f"The correction was abandoned. Version {standing.number} stands, as approved.", "success"
        ),
        "minutes/abandon.html",
        "minutes.minutes_view",
    )
