"""Invitations to a meeting, replies to them and the attendance recorded."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from tracker.core import settings
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import london, today_london
from tracker.meetings import loaders, rules, services
from tracker.meetings.forms import (
    InvitationForm,
    RsvpForm,
    WalkInForm,
    attendance_form_class,
)
from tracker.meetings.models import AttendanceStatus, MeetingStatus, Rsvp
from tracker.meetings.views.common import _confirm_removal, _removal, bp

# Invitations, replies and attendance ---------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/invitations/new", methods=["GET", "POST"])
@requires(Permission.RUN_MEETINGS)
def invitation_new(meeting_id: int):
    meeting = loaders.meeting_to_change(meeting_id)
    # Only people cleared are offered for a meeting discussing a Category 4 case, to someone who may know.
    category_4 = g.user.terrorism_cleared and any(item.case.is_category_4 for item in meeting.agenda_items)
    form = InvitationForm(cleared_only=category_4)
    if form.validate_on_submit():
        agency_id = int(form.agency_id.data)
        user_id = int(form.user_id.data) if form.user_id.data else None
        try:
            invitation = services.invite_to(meeting, agency_id, user_id, g.user)
        except services.Refused as refused:
            (form.user_id if user_id else form.agency_id).errors = [str(refused)]
        else:
            flash(*services.invited_notice(meeting, invitation))
            if request.form.get("another"):
                return redirect(url_for("meetings.invitation_new", meeting_id=meeting.id))
            return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor="attendance"))
    return render_template("meetings/invitation_form.html", form=form, meeting=meeting)


@bp.route("/meetings/<int:meeting_id>/invitations/<int:invitation_id>/remove", methods=["GET", "POST"])
@requires(Permission.RUN_MEETINGS)
def invitation_remove(meeting_id: int, invitation_id: int):
    """Ask first (GET, changing nothing; it says who is sent a cancellation), then take the invitation off
    (POST); both load it the same way."""
    meeting = loaders.meeting_to_run(meeting_id)
    invitation = loaders.invitation_on(meeting, invitation_id)
    if request.method == "GET":
        return _confirm_removal(
            meeting,
            lambda: services.ensure_may_uninvite(meeting, invitation),
            "attendance",
            "meetings/invitation_remove.html",
            invitation=invitation,
            told=services.cancellation_to(meeting, invitation),
        )
    return _removal(
        meeting,
        lambda: services.uninvite(meeting, invitation, g.user),
        f"{_invited(invitation)} removed.",
        "attendance",
    )


@bp.route("/meetings/<int:meeting_id>/reply", methods=["GET", "POST"])
@requires(Permission.REPLY_TO_INVITATIONS)
def meeting_rsvp(meeting_id: int):
    meeting, invitation = loaders.meeting_to_reply(meeting_id)
    if meeting.status is not MeetingStatus.SCHEDULED:
        flash(f"This meeting is {meeting.status.label.lower()}, so replies are closed.", "important")
        return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
    form = RsvpForm()
    if request.method == "GET" and invitation.rsvp is not Rsvp.AWAITING:
        form.answer.data = invitation.rsvp.name
        form.deputy_name.data = invitation.deputy_name
    if form.validate_on_submit():
        services.reply(meeting, invitation, Rsvp[form.answer.data], form.deputy_name.data or "", g.user)
        flash("Your reply has been sent.", "success")
        return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id))
    return render_template("meetings/rsvp_form.html", form=form, meeting=meeting, invitation=invitation)


@bp.route("/meetings/<int:meeting_id>/attendance", methods=["GET", "POST"])
@requires(Permission.RUN_MEETINGS)
def attendance(meeting_id: int):
    meeting = loaders.meeting_to_change(meeting_id)
    if (not_yet := _before_the_day(meeting)) is not None:
        return not_yet
    invitations = meeting.invitations
    form = attendance_form_class(invitations)()
    if request.method == "GET":
        for invitation in invitations:
            getattr(form, f"status_{invitation.id}").data = (
                invitation.attendance.name if invitation.attendance else None
            )
            getattr(form, f"deputy_{invitation.id}").data = invitation.deputy_name
            getattr(form, f"deputy_agency_{invitation.id}").data = str(invitation.deputy_agency_id or "")
            getattr(form, f"accepted_{invitation.id}").data = invitation.statement_accepted
            if attendee := getattr(form, f"attendee_{invitation.id}", None):
                attendee.data = invitation.attendee_name
    if form.validate_on_submit():
        try:
            services.record_attendance(meeting, _attendance(form, invitations), today_london(), g.user)
        except services.Refused as refused:
            getattr(form, refused.field).errors = [str(refused)]
        else:
            flash("Attendance saved.", "success")
            return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor="attendance"))
    fields = ("status", "deputy", "deputy_agency", "accepted", "attendee")
    rows = [(i, *(getattr(form, f"{name}_{i.id}", None) for name in fields)) for i in invitations]
    return render_template(
        "meetings/attendance_form.html",
        form=form,
        meeting=meeting,
        rows=rows,
        statement=settings.get("confidentiality_statement"),
    )


def _before_the_day(meeting):
    """Before the day of the meeting nobody has attended yet: back to the meeting's page, saying from
    when attendance can be recorded (None from the day of the meeting)."""
    problem = rules.attendance_date_problem(london(meeting.starts_at).date(), today_london())
    if problem is None:
        return None
    flash(f"{problem}.", "important")
    return redirect(url_for("meetings.meeting_view", meeting_id=meeting.id, _anchor="attendance"))


def _attendance(form, invitations) -> dict:
    """For each invitation, whether they attended, their deputy (name and agency), whether the
    confidentiality statement was accepted and, for an agency invited as such, who came, as the form gives
    them."""
    return {
        i.id: {
            "status": AttendanceStatus[getattr(form, f"status_{i.id}").data],
            "deputy": getattr(form, f"deputy_{i.id}").data or "",
            "deputy_agency_id": getattr(form, f"deputy_agency_{i.id}").data or "",
            "accepted": getattr(form, f"accepted_{i.id}").data,
            "attendee": getattr(getattr(form, f"attendee_{i.id}", None), "data", "") or "",
        }
        for i in invitations
    }


@bp.route("/meetings/<int:meeting_id>/attendance/walk-in", methods=["GET", "POST"])
@requires(Permission.RUN_MEETINGS)
def walk_in(meeting_id: int):
    """Record someone who came without an invitation."""
    meeting = loaders.meeting_to_change(meeting_id)
    if (not_yet := _before_the_day(meeting)) is not None:
        return not_yet
    form = WalkInForm()
    if form.validate_on_submit():
        fields = ("name", "agency_id", "role", "accepted")
        try:
            person = services.record_walk_in(
                meeting, {f: getattr(form, f).data for f in fields}, today_london(), g.user
            )
        except services.Refused as refused:
            form.name.errors = [str(refused)]
        else:
            flash(f"{person.attendee_name} recorded as attending.", "success")
            return redirect(url_for("meetings.attendance", meeting_id=meeting.id))
    statement = settings.get("confidentiality_statement")
    return render_template("meetings/walk_in_form.html", form=form, meeting=meeting, statement=statement)


def _invited(invitation) -> str:
    """Who is taken off, as the confirmation page names them: a walk-in by name, a person invited with
    their agency, or the agency."""
    if invitation.walk_in:
        return f"{invitation.attendee_name} (walked in)"
    invited = invitation.agency.name
    if invitation.user is not None:
        invited = f"{invitation.user.name} ({invited})"
    return f"Invitation of {invited}"
