"""Events of a course: the list, creating one with its first sessions, its page and its details."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from tracker.core.forms import ConfirmForm
from tracker.core.locking import Conflict
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, requires
from tracker.core.pillars import Pillar
from tracker.core.timeutil import today_london
from tracker.core.types import utcnow
from tracker.training import listings, loaders, queries, rules, services
from tracker.training.forms import EventForm, NewEventForm, hours_field_value, hours_value
from tracker.training.models import Audience, Course, CourseKind, EnrolmentStatus, EventKind
from tracker.training.views import bp
from tracker.training.views.common import saved_message, warn_about_days


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
    return render_template(
        "training/event_list.html",
        page=paginate(queries.event_list_statement(filters), scalars=False),
        filters=filters,
        kinds=EventKind.choices(),
        courses=listings.course_choices(),
        years=[(y.start_year, y.label) for y in queries.reporting_years()],
    )


@bp.route("/courses/<int:course_id>/events/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def event_new(course_id: int):
    course = loaders.course_to_manage(course_id, active=True)
    form = NewEventForm(course=course)
    if request.method == "GET":
        form.version.data = "0"
        form.cpd_hours.data = hours_field_value(course.cpd_minutes)
        form.kind.data = form.kind.choices[0][0] if len(form.kind.choices) == 1 else None
        form.audience.data = [Audience.NEW_CHAIRS.name] if course.kind is CourseKind.CHAIR_COURSE else []
    if form.validate_on_submit():
        first = services.FirstSessions(
            form.first_day.data, form.starts.data, form.ends.data,
            form.venue.data or "", form.online_link.data or ""
        )
        event = services.create_event(course, g.user, first, **_event_details(form, course))
        sessions = f"{course.days} session{'s' if course.days != 1 else ''}"
        flash(f"Event '{event.title}' created with {sessions}.", "success")
        warn_about_days(event.sessions)
        return redirect(url_for("training.event_view", event_id=event.id))
    return render_template("training/event_form.html", form=form, course=course, event=None)


def _event_details(form: EventForm, course: Course) -> dict:
    """What the form sets. CPD hours only on a CPD event: a chair course earns none, and any it was
    once given are left as they are (never printed or counted), so editing it is not refused for them."""
    details = {
        "title": form.title.data,
        "kind": EventKind[form.kind.data],
        "pillar": Pillar[form.pillar.data] if form.pillar.data in Pillar.__members__ else None,
        "capacity": form.capacity.data,
        "audience": list(form.audience.data or []),
        "presenters": form.presenters.data or "",
        "lived_experience": form.lived_experience.data,
    }
    if course.kind is CourseKind.CPD:
        details["cpd_minutes"] = hours_value(form.cpd_hours)
    return details


@bp.route("/events/<int:event_id>")
@requires(Permission.MANAGE_TRAINING)
def event_view(event_id: int):
    event = loaders.event_to_manage(event_id)
    status = request.args.get("status", "")
    return render_template(
        "training/event_view.html",
        event=event,
        page=paginate(listings.event_enrolments_statement(event.id, status)),
        status=status,
        statuses=EnrolmentStatus.choices(),
        counts=listings.enrolment_counts(event.id),
        taken=listings.places_taken(event.id),
        today=today_london(),
        ended=rules.event_ended(event.ends_at, utcnow()),
        rule_text=services.completion_rule(event.course).describe(len(event.scheduled_sessions)),
        confirm=ConfirmForm(),
    )


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def event_edit(event_id: int):
    event = loaders.event_to_manage(event_id)
    form = EventForm(obj=event, course=event.course, outcomes_set=event.closed_at is not None)
    if request.method == "GET":
        form.kind.data = event.kind.name
        form.pillar.data = event.pillar.name if event.pillar else None
        form.cpd_hours.data = hours_field_value(event.cpd_minutes)
    if form.validate_on_submit():
        try:
            details = _event_details(form, event.course)
            moved = services.update_event(event, form.version.data, g.user, **details)
        except Conflict:
            form.show_conflict()
        except services.TooFewPlaces as error:
            form.capacity.errors.append(str(error))
        except services.OutcomesFixed as refused:
            getattr(form, refused.field).errors.append(str(refused))
        else:
            flash(saved_message(f"Changes to '{event.title}' saved.", moved), "success")
            return redirect(url_for("training.event_view", event_id=event.id))
    return render_template("training/event_form.html", form=form, course=event.course, event=event)
