"""The sessions of an event: adding, moving and cancelling them, and their calendar files."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from tracker.core import audit
from tracker.core.db import db
from tracker.core.forms import ConfirmForm
from tracker.core.permissions import Permission, get_visible_or_404, requires
from tracker.core.timeutil import london, london_to_utc
from tracker.training import ics, services
from tracker.training.forms import (
    SessionForm,
)
from tracker.training.models import (
    CourseEvent,
    SessionStatus,
    TrainingSession,
)
from tracker.training.views import bp
from tracker.training.views.common import event_or_404, slug


@bp.route("/events/<int:event_id>/sessions/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def session_new(event_id: int):
    event = event_or_404(event_id)
    form = SessionForm()
    if request.method == "GET":
        form.version.data = "0"
        form.title.data = f"Day {len(event.sessions) + 1}"
    if form.validate_on_submit():
        session = TrainingSession(title=form.title.data, starts_at=_start(form), ends_at=_end(form))
        session.venue, session.online_link = form.venue.data or "", form.online_link.data or ""
        services.add_session(event, session)
        flash(f"Session '{session.title}' added.", "success")
        return redirect(url_for("training.event_view", event_id=event.id))
    return render_template("training/session_form.html", form=form, event=event, session=None)


def _start(form: SessionForm):
    return london_to_utc(form.day.data, form.starts.data)


def _end(form: SessionForm):
    return london_to_utc(form.day.data, form.ends.data)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def session_edit(session_id: int):
    session = db.session.get(TrainingSession, session_id) or abort(404)
    form = SessionForm(obj=session)
    if request.method == "GET":
        form.day.data = london(session.starts_at).date()
        form.starts.data, form.ends.data = london(session.starts_at).time(), london(session.ends_at).time()
    if form.validate_on_submit() and form.check_version(session.version):
        services.reschedule_session(
            session,
            title=form.title.data,
            starts_at=_start(form),
            ends_at=_end(form),
            venue=form.venue.data or "",
            online_link=form.online_link.data or "",
        )
        flash(f"Changes to '{session.title}' saved.", "success")
        return redirect(url_for("training.event_view", event_id=session.event_id))
    return render_template("training/session_form.html", form=form, event=session.event, session=session)


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def session_cancel(session_id: int):
    """Ask first (it cannot be undone, and everyone with a place is sent a cancellation), then cancel."""
    session = db.session.get(TrainingSession, session_id) or abort(404)
    if request.method == "GET":
        if session.status is SessionStatus.CANCELLED:
            return redirect(url_for("training.event_view", event_id=session.event_id))
        return render_template(
            "training/session_cancel.html",
            session=session,
            event=session.event,
            people=services.places_taken(session.event_id),
            confirm=ConfirmForm(),
        )
    if not ConfirmForm().validate_on_submit() or session.status is SessionStatus.CANCELLED:
        abort(400)
    services.cancel_session(session)
    flash(f"'{session.title}' cancelled. It no longer counts towards completing the event.", "success")
    return redirect(url_for("training.event_view", event_id=session.event_id))


@bp.route("/sessions/<int:session_id>/calendar.ics")
@requires(Permission.VIEW_OWN_TRAINING)
def session_calendar(session_id: int):
    session = get_visible_or_404(TrainingSession, session_id)
    entry = ics.session_entry(session)
    audit.record("export", session, summary="calendar file")
    return ics.download([entry], f"{slug(entry.subject.title)}-session-{entry.subject.number}")


@bp.route("/events/<int:event_id>/calendar.ics")
@requires(Permission.VIEW_OWN_TRAINING)
def event_calendar(event_id: int):
    get_visible_or_404(CourseEvent, event_id)
    event = event_or_404(event_id)
    entries = ics.event_entries(event)
    audit.record("export", event, summary=f"calendar file, {len(entries)} sessions")
    return ics.download(entries, slug(ics.calendar_title(event.course.title, event.title)))
