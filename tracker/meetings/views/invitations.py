"""Invitations to a meeting, replies to them and the attendance recorded."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from tracker.core.db import db
from tracker.core.forms import ConfirmForm
from tracker.core.permissions import Permission, requires
from tracker.core.types import utcnow
from tracker.meetings import services
from tracker.meetings.forms import (
    InvitationForm,
    RsvpForm,
    attendance_form_class,
)
from tracker.meetings.models import (
    AttendanceStatus,
    Invitation,
    MeetingStatus,
    Rsvp,
)
from tracker.meetings.views.common import _closed, _meeting, bp

# Invitations, replies and attendance ---------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/invitations/new", methods=["GET", "POST"])
@requires(Permission.VIEW_CASE_DATA)
def invitation_new(meeting_id: int):
    meeting = _meeting(meeting_id, run=True)
    if closed := _closed(meeting, open_to=(MeetingStatus.SCHEDULED, MeetingStatus.HELD)):
        return closed
    form = InvitationForm()
    if form.validate_on_submit():
        agency_id = int(form.agency_id.data)
        user_id = int(form.user_id.data) if form.user_id.data else None
        if any(i.agency_id == agency_id and i.user_id == user_id for i in meeting.invitations):
            form.agency_id.errors = ["This agency or person is already invited"]
        else:
            invitation = services.invite(meeting, agency_id, user_id)
            flash(f"{invitation.agency.name} invited.", "success")
            if request.form.get("another"):
                return redirect(url_for("meetings.invitation_new", meeting_id=meeting.id))
            return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor="attendance"))
    return render_template("meetings/invitation_form.html", form=form, meeting=meeting)


@bp.route("/meetings/<int:meeting_id>/invitations/<int:invitation_id>/remove", methods=["POST"])
@requires(Permission.VIEW_CASE_DATA)
def invitation_remove(meeting_id: int, invitation_id: int):
    meeting = _meeting(meeting_id, run=True)
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.meeting_id != meeting.id:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if invitation.attendance is not None:
        flash("Attendance has been recorded for this invitation, so it cannot be removed.", "important")
    else:
        services.remove_invitation(meeting, invitation)
        flash(f"Invitation of {invitation.agency.name} removed.", "success")
    return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor="attendance"))


@bp.route("/meetings/<int:meeting_id>/reply", methods=["GET", "POST"])
@requires(Permission.VIEW_CASE_DATA)
def meeting_rsvp(meeting_id: int):
    meeting = _meeting(meeting_id)
    invitation = next((i for i in meeting.invitations if i.user_id == g.user.id), None)
    if invitation is None:
        abort(403)
    if meeting.status is not MeetingStatus.SCHEDULED:
        flash(f"This meeting is {meeting.status.label.lower()}, so replies are closed.", "important")
        return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
    form = RsvpForm()
    if request.method == "GET" and invitation.rsvp is not Rsvp.AWAITING:
        form.answer.data = invitation.rsvp.name
        form.deputy_name.data = invitation.deputy_name
    if form.validate_on_submit():
        invitation.rsvp = Rsvp[form.answer.data]
        invitation.rsvp_at = utcnow()
        invitation.deputy_name = form.deputy_name.data if invitation.rsvp is Rsvp.DECLINED else ""
        flash("Your reply has been sent.", "success")
        return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
    return render_template("meetings/rsvp_form.html", form=form, meeting=meeting, invitation=invitation)


@bp.route("/meetings/<int:meeting_id>/attendance", methods=["GET", "POST"])
@requires(Permission.VIEW_CASE_DATA)
def attendance(meeting_id: int):
    meeting = _meeting(meeting_id, run=True)
    if closed := _closed(meeting, open_to=(MeetingStatus.SCHEDULED, MeetingStatus.HELD)):
        return closed
    invitations = meeting.invitations
    form = attendance_form_class(invitations)()
    if request.method == "GET":
        for invitation in invitations:
            getattr(form, f"status_{invitation.id}").data = (
                invitation.attendance.name if invitation.attendance else None
            )
            getattr(form, f"deputy_{invitation.id}").data = invitation.deputy_name
    if form.validate_on_submit():
        for invitation in invitations:
            invitation.attendance = AttendanceStatus[getattr(form, f"status_{invitation.id}").data]
            invitation.deputy_name = getattr(form, f"deputy_{invitation.id}").data or ""
        flash("Attendance saved.", "success")
        return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor="attendance"))
    rows = [(i, getattr(form, f"status_{i.id}"), getattr(form, f"deputy_{i.id}")) for i in invitations]
    return render_template("meetings/attendance_form.html", form=form, meeting=meeting, rows=rows)
