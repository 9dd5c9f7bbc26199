"""The TRSG's training home and the courses it runs."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from sqlmodel import col, select

from tracker.core.db import db
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, requires
from tracker.training import queries, rules
from tracker.training.forms import (
    CourseForm,
    hours_field_value,
    hours_value,
)
from tracker.training.models import (
    Course,
    CourseKind,
)
from tracker.training.views import bp


@bp.route("/")
@requires(Permission.MANAGE_TRAINING)
def index():
    upcoming = db.session.execute(
        queries.event_list_statement(queries.EventFilters(when="upcoming")).limit(5)
    ).all()
    due_soon, lapsed = queries.chairs_due_count()
    awaiting = db.session.scalar(
        select(sa.func.count()).select_from(
            queries.chairs_register_statement(rules.ChairState.AWAITING_TRAINING.name).subquery()
        )
    )
    return render_template(
        "training/index.html", upcoming=upcoming, due_soon=due_soon, lapsed=lapsed, awaiting=awaiting
    )


@bp.route("/courses")
@requires(Permission.MANAGE_TRAINING)
def course_list():
    query, kind = request.args.get("q", "").strip(), request.args.get("kind", "")
    statement = select(Course).order_by(col(Course.active).desc(), col(Course.title))
    if query:
        statement = statement.where(sa.func.lower(Course.title).like(f"%{query.lower()}%"))
    if kind in CourseKind.__members__:
        statement = statement.where(Course.kind == CourseKind[kind])
    return render_template(
        "training/course_list.html",
        page=paginate(statement),
        query=query,
        kind=kind,
        kinds=CourseKind.choices(),
    )


@bp.route("/courses/new", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def course_new():
    form = CourseForm(data={"version": "0"} if request.method == "GET" else None)
    if form.validate_on_submit():
        course = Course(title=form.title.data, kind=CourseKind[form.kind.data])
        _apply_course(form, course)
        db.session.add(course)
        flash(f"Course '{course.title}' added.", "success")
        return redirect(url_for("training.course_list"))
    return render_template("training/course_form.html", form=form, course=None)


@bp.route("/courses/<int:course_id>/edit", methods=["GET", "POST"])
@requires(Permission.MANAGE_TRAINING)
def course_edit(course_id: int):
    course = db.session.get(Course, course_id) or abort(404)
    form = CourseForm(obj=course, editing=course)
    if request.method == "GET":
        form.kind.data = course.kind.name
        form.cpd_hours.data = hours_field_value(course.cpd_minutes)
    if form.validate_on_submit() and form.check_version(course.version):
        _apply_course(form, course)
        course.version += 1
        flash(f"Changes to '{course.title}' saved.", "success")
        return redirect(url_for("training.course_list"))
    return render_template("training/course_form.html", form=form, course=course)


def _apply_course(form: CourseForm, course: Course) -> None:
    course.title = form.title.data
    course.kind = CourseKind[form.kind.data]
    course.description = form.description.data or ""
    course.days = form.days.data
    course.cpd_minutes = hours_value(form.cpd_hours)
    course.active = form.active.data
