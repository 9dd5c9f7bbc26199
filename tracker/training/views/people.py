"""People known to training: the list, each person's record, one's own record, the chairs' register."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, g, render_template, request
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.auth.models import Agency, User
from tracker.core import settings
from tracker.core.db import db
from tracker.core.pagination import paginate
from tracker.core.permissions import Permission, Role, requires
from tracker.core.timeutil import today_london
from tracker.core.types import utcnow
from tracker.training import queries, services
from tracker.training.models import (
    Course,
    CourseEvent,
    CourseKind,
    Enrolment,
    Trainee,
)
from tracker.training.views import bp


@bp.route("/people")
@requires(Permission.MANAGE_TRAINING)
def trainee_list():
    query, agency = request.args.get("q", "").strip(), request.args.get("agency", type=int)
    statement = select(Trainee).order_by(col(Trainee.name), col(Trainee.id))
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            sa.or_(sa.func.lower(Trainee.name).like(pattern), col(Trainee.email).like(pattern))
        )
    if agency:
        statement = statement.where(Trainee.agency_id == agency)
    agencies = db.session.exec(select(Agency).order_by(Agency.name)).all()
    return render_template(
        "training/trainee_list.html",
        page=paginate(statement),
        query=query,
        agency=agency,
        agencies=[(a.id, a.name) for a in agencies],
    )


@bp.route("/people/<int:trainee_id>")
@requires(Permission.MANAGE_TRAINING)
def trainee_view(trainee_id: int):
    trainee = db.session.get(Trainee, trainee_id) or abort(404)
    return render_template("training/trainee_view.html", trainee=trainee, **_record(trainee, trainee.user))


@bp.route("/my-record")
@requires(Permission.VIEW_OWN_TRAINING)
def my_record():
    trainee = services.trainee_for_user(g.user)
    return render_template("training/my_record.html", trainee=trainee, **_record(trainee, g.user))


def _record(trainee: Trainee | None, user: User | None) -> dict:
    """A person's training record: their enrolments (a page of them), CPD hours, and chair status."""
    statement = (
        select(Enrolment)
        .join(Trainee)
        .join(CourseEvent, col(CourseEvent.id) == Enrolment.event_id)
        .where(Enrolment.trainee_id == (trainee.id if trainee else -1), queries.visible_enrolments(g.user))
        .options(selectinload(Enrolment.event).selectinload(CourseEvent.course))
        .order_by(col(CourseEvent.starts_at).desc(), col(Enrolment.id).desc())
    )
    totals = db.session.execute(
        select(sa.func.coalesce(sa.func.sum(Enrolment.cpd_minutes), 0))
        .join(CourseEvent, col(CourseEvent.id) == Enrolment.event_id)
        .join(Course, col(Course.id) == CourseEvent.course_id)
        .where(Enrolment.trainee_id == (trainee.id if trainee else -1), Course.kind == CourseKind.CPD)
    ).scalar_one()
    is_chair = user is not None and user.has_role(Role.CHAIR)
    return {
        "page": paginate(statement),
        "cpd_minutes": totals,
        "chair_status": queries.chair_status_for(user) if is_chair else None,
        "today": today_london(),
        "now": utcnow(),
    }


@bp.route("/chairs")
@requires(Permission.MANAGE_TRAINING)
def chairs_register():
    state = request.args.get("status", "")
    query = request.args.get("q", "").strip()
    page = paginate(queries.chairs_register_statement(state, query), scalars=False)
    return render_template(
        "training/chairs_register.html",
        page=page,
        statuses=queries.register_statuses(page.items),
        register_key=queries.register_key,
        state=state,
        query=query,
        filters=queries.REGISTER_FILTERS,
        lapse_months=settings.get("cpd_lapse_months"),
        warning_months=settings.get("cpd_warning_months"),
    )
