"""Events of a course: the list, creating one with its first sessions, its page and its details."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from flask import abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.core.db import db
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, requires
from tracker.core.pillars import Pillar
from tracker.core.timeutil import london_to_utc, today_london
from tracker.training import queries, services
from tracker.training.forms import (
    EventForm,
    NewEventForm,
    hours_field_value,
    hours_value,
)
from tracker.training.models import (
    Audience,
    Course,
    CourseEvent,
    CourseKind,
    Enrolment,
    EnrolmentStatus,
    EventKind,
    Trainee,
    TrainingSession,
)
from tracker.training.views import bp
from tracker.training.views.common import event_or_404, saved_message


def _event_filters() -> queries.EventFilters:
    args = request.args
    return queries.EventFilters(
        query=args.get("q", "").strip(),
        kind=args.get("kind", "") if args.get("kind", "") in EventKind.__members__ else "",
        course_id=args.get("course", type=int),
        year=args.get("year", type=int),
        when=args.get("when", "") if args.get("when") in ("upcoming", "past") else "",
    )


@bp.route("/events")
@requires(Permission.MANAGE_TRAINING)
def event_list():
    filters = _event_filters()
    page = paginate(queries.event_list_statement(filters), scalars=False)
    courses = db.session.exec(select(Course).order_by(Course.title)).all()
    return render_template(
        "training/event_list.html",
        page=page,
        filters=filters,
        kinds=EventKind.choices(),
        courses=[(c.id, c.title) for c in courses],
        years=[(y.start_year, y.label) for y in queries.reporting_years()],
    )


@bp.route("/courses/<int:course_id>/events/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def event_new(course_id: int):
    course = db.session.get(Course, course_id) or abort(404)
    if not course.active:
        abort(404)
    form = NewEventForm(course=course)
    if request.method == "GET":
        form.version.data = "0"
        form.cpd_hours.data = hours_field_value(course.cpd_minutes)
        form.kind.data = form.kind.choices[0][0] if len(form.kind.choices) == 1 else None
        form.audience.data = [Audience.NEW_CHAIRS.name] if course.kind is CourseKind.CHAIR_COURSE else []
    if form.validate_on_submit():
        event = CourseEvent(course=course, title=form.title.data, kind=EventKind[form.kind.data], capacity=1)
        _apply_event(form, event)
        event.created_by_id = g.user.id
        db.session.add(event)
        _first_sessions(event, course, form)
        sessions = f"{course.days} session{'s' if course.days != 1 else ''}"
        flash(f"Event '{event.title}' created with {sessions}.", "success")
        return redirect(url_for("training.event_view", event_id=event.id))
    return render_template("training/event_form.html", form=form, course=course, event=None)


def _first_sessions(event: CourseEvent, course: Course, form: NewEventForm) -> None:
    """The course's days, on consecutive weekdays from the first (each can be moved afterwards)."""
    day = form.first_day.data
    for number in range(1, course.days + 1):
        event.sessions.append(
            TrainingSession(
                title=f"Day {number}" if course.days > 1 else "Session",
                starts_at=london_to_utc(day, form.starts.data),
                ends_at=london_to_utc(day, form.ends.data),
                venue=form.venue.data or "",
                online_link=form.online_link.data or "",
            )
        )
        day += timedelta(days=1)
        while day.weekday() >= 5:
            day += timedelta(days=1)
    event.refresh_dates()
    db.session.flush()


def _apply_event(form: EventForm, event: CourseEvent) -> None:
    event.title = form.title.data
    event.kind = EventKind[form.kind.data]
    forum = event.kind is EventKind.CHAIRS_FORUM
    event.pillar = Pillar[form.pillar.data] if forum and form.pillar.data in Pillar.__members__ else None
    event.capacity = form.capacity.data
    event.audience = list(form.audience.data or [])
    event.presenters = form.presenters.data or ""
    event.lived_experience = form.lived_experience.data
    event.cpd_minutes = hours_value(form.cpd_hours)


@bp.route("/events/<int:event_id>")
@requires(Permission.MANAGE_TRAINING)
def event_view(event_id: int):
    event = event_or_404(event_id)
    status = request.args.get("status", "")
    statement = (
        select(Enrolment)
        .join(Trainee)
        .where(Enrolment.event_id == event.id)
        .options(selectinload(Enrolment.trainee))
        .order_by(col(Enrolment.waiting_position).nulls_first(), col(Trainee.name), col(Trainee.id))
    )
    if status in EnrolmentStatus.__members__:
        statement = statement.where(Enrolment.status == EnrolmentStatus[status])
    else:
        statement = statement.where(Enrolment.status != EnrolmentStatus.WITHDRAWN)
    counts = dict(
        db.session.execute(
            select(Enrolment.status, sa.func.count())
            .where(Enrolment.event_id == event.id)
            .group_by(Enrolment.status)
        ).all()
    )
    return render_template(
        "training/event_view.html",
        event=event,
        page=paginate(statement),
        status=status,
        statuses=EnrolmentStatus.choices(),
        counts=counts,
        today=today_london(),
    )


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def event_edit(event_id: int):
    event = event_or_404(event_id)
    form = EventForm(obj=event, course=event.course)
    if request.method == "GET":
        form.kind.data = event.kind.name
        form.pillar.data = event.pillar.name if event.pillar else None
        form.cpd_hours.data = hours_field_value(event.cpd_minutes)
    if form.validate_on_submit() and form.check_version(event.version) and _capacity_fits(form, event):
        services.lock_event(event.id)
        _apply_event(form, event)
        event.version += 1
        moved = services.fill_places(event)
        services.recalculate(event)
        flash(saved_message(f"Changes to '{event.title}' saved.", moved), "success")
        return redirect(url_for("training.event_view", event_id=event.id))
    return render_template("training/event_form.html", form=form, course=event.course, event=event)


def _capacity_fits(form: EventForm, event: CourseEvent) -> bool:
    taken = services.places_taken(event.id)
    if form.capacity.data < taken:
        form.capacity.errors.append(f"Places must be {taken} or more: {taken} people already have a place")
        return False
    return True
