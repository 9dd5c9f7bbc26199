"""The TRSG's training home and the courses it runs."""

from __future__ import annotations

from flask import flash, g, redirect, render_template, request, url_for

from tracker.core.locking import Conflict
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, requires
from tracker.training import listings, loaders, queries, services
from tracker.training.forms import CourseForm, hours_field_value, hours_value
from tracker.training.models import DEFAULT_COMPLETION_MARKS, CourseKind
from tracker.training.views import bp


@bp.route("/")
@requires(Permission.MANAGE_TRAINING)
def index():
    due_soon, lapsed = queries.chairs_due_count()
    return render_template(
        "training/index.html",
        upcoming=listings.upcoming_events(),
        due_soon=due_soon,
        lapsed=lapsed,
        awaiting=listings.awaiting_training_count(),
    )


@bp.route("/courses")
@requires(Permission.MANAGE_TRAINING)
def course_list():
    query, kind = request.args.get("q", "").strip(), request.args.get("kind", "")
    return render_template(
        "training/course_list.html",
        page=paginate(listings.courses_statement(query, kind)),
        query=query,
        kind=kind,
        kinds=CourseKind.choices(),
    )


@bp.route("/courses/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def course_new():
    defaults = {"version": "0", "completion_marks": list(DEFAULT_COMPLETION_MARKS)}
    form = CourseForm(data=defaults if request.method == "GET" else None)
    if form.validate_on_submit():
        course = services.add_course(g.user, **_course_details(form))
        flash(f"Course '{course.title}' added.", "success")
        return redirect(url_for("training.course_list"))
    return render_template("training/course_form.html", form=form, course=None)


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def course_edit(course_id: int):
    course = loaders.course_to_manage(course_id)
    form = CourseForm(obj=course, editing=course)
    if request.method == "GET":
        form.kind.data = course.kind.name
        if course.kind is CourseKind.CPD:  # a chair course earns none, whatever it was once given
            form.cpd_hours.data = hours_field_value(course.cpd_minutes)
    if form.validate_on_submit():
        try:
            services.update_course(course, form.version.data, g.user, **_course_details(form))
        except Conflict:
            form.show_conflict()
        else:
            flash(f"Changes to '{course.title}' saved.", "success")
            return redirect(url_for("training.course_list"))
    return render_template("training/course_form.html", form=form, course=course)


def _course_details(form: CourseForm) -> dict:
    return {
        "title": form.title.data,
        "kind": CourseKind[form.kind.data],
        "description": form.description.data or "",
        "days": form.days.data,
        "cpd_minutes": hours_value(form.cpd_hours),
        "completion_marks": list(form.completion_marks.data or []),
        "sessions_required": form.sessions_required.data,
        "active": form.active.data,
    }
