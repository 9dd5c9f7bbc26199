"""The sessions of an event: adding, moving and cancelling them, and their calendar files."""

from __future__ import annotations

from flask import abort, flash, g, redirect, render_template, request, url_for

from tracker.calendar.ics import OWN_CALENDAR
from tracker.core import audit
from tracker.core.downloads import to_themselves
from tracker.core.forms import ConfirmForm
from tracker.core.locking import Conflict
from tracker.core.permissions import Permission, requires
from tracker.core.timeutil import london
from tracker.training import ics, listings, loaders, services
from tracker.training.forms import SessionForm
from tracker.training.models import CourseEvent, SessionStatus
from tracker.training.views import bp
from tracker.training.views.common import slug, warn_about_days


def _still_open(event: CourseEvent, done: str = "added") -> None:
    """Go no further once the event's outcomes are set: back to its page, saying why."""
    try:
        services.ensure_open(event, done)
    except services.OutcomesSet as refused:
        flash(str(refused), "error")
        abort(redirect(url_for("training.event_view", event_id=event.id)))


@bp.route("/events/<int:event_id>/sessions/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def session_new(event_id: int):
    event = loaders.event_to_manage(event_id)
    form = SessionForm()
    if request.method == "GET":
        form.version.data = "0"
        form.title.data = f"Day {len(event.sessions) + 1}"
    _still_open(event)
    if form.validate_on_submit():
        session = services.add_session(event, g.user, **_session_details(form))
        flash(f"Session '{session.title}' added.", "success")
        warn_about_days([session])
        return redirect(url_for("training.event_view", event_id=event.id))
    return render_template("training/session_form.html", form=form, event=event, session=None)


def _session_details(form: SessionForm) -> dict:
    return {
        "title": form.title.data,
        **services.session_times(form.day.data, form.starts.data, form.ends.data),
        "venue": form.venue.data or "",
        "online_link": form.online_link.data or "",
    }


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def session_edit(session_id: int):
    session = loaders.session_to_manage(session_id)
    _still_open(session.event, "changed")
    form = SessionForm(obj=session)
    if request.method == "GET":
        form.day.data = london(session.starts_at).date()
        form.starts.data, form.ends.data = london(session.starts_at).time(), london(session.ends_at).time()
    if form.validate_on_submit():
        try:
            services.reschedule_session(session, form.version.data, g.user, **_session_details(form))
        except Conflict:
            form.show_conflict()
        except services.RegisterTaken as refused:
            form.day.errors.append(str(refused))
        else:
            flash(f"Changes to '{session.title}' saved.", "success")
            warn_about_days([session])
            return redirect(url_for("training.event_view", event_id=session.event_id))
    return render_template("training/session_form.html", form=form, event=session.event, session=session)


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def session_cancel(session_id: int):
    """Ask first (it cannot be undone, and everyone with a place is sent a cancellation), then cancel."""
    session = loaders.session_to_manage(session_id)
    _still_open(session.event, "cancelled")
    if request.method == "GET":
        if session.status is SessionStatus.CANCELLED:
            return redirect(url_for("training.event_view", event_id=session.event_id))
        return render_template(
            "training/session_cancel.html",
            session=session,
            event=session.event,
            people=listings.places_taken(session.event_id),
            confirm=ConfirmForm(),
        )
    if not ConfirmForm().validate_on_submit() or session.status is SessionStatus.CANCELLED:
        abort(400)
    try:
        services.cancel_session(session, g.user)
    except Conflict:
        flash("Someone else changed this session at the same moment: nothing was cancelled. Try again.")
    else:
        flash(f"'{session.title}' cancelled. It no longer counts towards completing the event.", "success")
    return redirect(url_for("training.event_view", event_id=session.event_id))


@bp.route("/sessions/<int:session_id>/calendar.ics")
@requires(Permission.VIEW_OWN_TRAINING)
def session_calendar(session_id: int):
    session = loaders.session_to_view(session_id)
    entry = ics.session_entry(session)
    to_themselves(OWN_CALENDAR)
    audit.record("export", session, summary="calendar file")
    return ics.download([entry], f"{slug(entry.subject.title)}-session-{entry.subject.number}")


@bp.route("/events/<int:event_id>/calendar.ics")
@requires(Permission.VIEW_OWN_TRAINING)
def event_calendar(event_id: int):
    event = loaders.event_to_view(event_id)
    entries = ics.event_entries(event)
    if not entries:  # every session cancelled: an empty file is not a valid calendar
        flash(f"There is nothing to add to your calendar: every session of {event.title} is cancelled.")
        return redirect(url_for("training.event_view", event_id=event.id))
    to_themselves(OWN_CALENDAR)
    audit.record("export", event, summary=f"calendar file, {len(entries)} sessions")
    return ics.download(entries, slug(ics.calendar_title(event.course.title, event.title)))
