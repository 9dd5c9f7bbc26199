"""The statements and counts behind the training pages' lists (paginated by the views)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.auth.models import Agency, User
from tracker.core.db import db
from tracker.training import queries, rules
from tracker.training.models import Course, CourseEvent, CourseKind, Enrolment, EnrolmentStatus, Trainee


def courses_statement(query: str, kind: str) -> sa.Select:
    statement = select(Course).order_by(col(Course.active).desc(), col(Course.title))
    if query:
        statement = statement.where(sa.func.lower(Course.title).like(f"%{query.lower()}%"))
    if kind in CourseKind.__members__:
        statement = statement.where(Course.kind == CourseKind[kind])
    return statement


def course_choices() -> list[tuple[int, str]]:
    return [(c.id, c.title) for c in db.session.exec(select(Course).order_by(Course.title))]


def upcoming_events(limit: int = 5) -> list:
    return db.session.execute(
        queries.event_list_statement(queries.EventFilters(when="upcoming")).limit(limit)
    ).all()


def awaiting_training_count() -> int:
    """Chairs who have not yet completed the chair course."""
    return db.session.scalar(
        select(sa.func.count()).select_from(
            queries.chairs_register_statement(rules.ChairState.AWAITING_TRAINING.name).subquery()
        )
    )


def event_enrolments_statement(event_id: int, status: str) -> sa.Select:
    """An event's enrolments with this status (anyone's but the withdrawn when none), waiting list last."""
    statement = (
        select(Enrolment)
        .join(Trainee)
        .where(Enrolment.event_id == event_id)
        .options(selectinload(Enrolment.trainee))
        .order_by(col(Enrolment.waiting_position).nulls_first(), col(Trainee.name), col(Trainee.id))
    )
    if status in EnrolmentStatus.__members__:
        return statement.where(Enrolment.status == EnrolmentStatus[status])
    return statement.where(Enrolment.status != EnrolmentStatus.WITHDRAWN)


def enrolment_counts(event_id: int) -> dict[EnrolmentStatus, int]:
    return dict(
        db.session.execute(
            select(Enrolment.status, sa.func.count())
            .where(Enrolment.event_id == event_id)
            .group_by(Enrolment.status)
        ).all()
    )


def active_agency_names() -> list[str]:
    """The names an uploaded file must use, listed beside the upload."""
    return list(db.session.exec(select(Agency.name).where(Agency.active).order_by(Agency.name)))


def agency_choices() -> list[tuple[int, str]]:
    return [(a.id, a.name) for a in db.session.exec(select(Agency).order_by(Agency.name))]


def trainees_statement(query: str, agency_id: int | None) -> sa.Select:
    statement = select(Trainee).order_by(col(Trainee.name), col(Trainee.id))
    if query:
        pattern = f"%{query.lower()}%"
        statement = statement.where(
            sa.or_(sa.func.lower(Trainee.name).like(pattern), col(Trainee.email).like(pattern))
        )
    if agency_id:
        statement = statement.where(Trainee.agency_id == agency_id)
    return statement


def record_statement(trainee: Trainee | None, viewer: User) -> sa.Select:
    """A person's enrolments that `viewer` may see, newest first."""
    return (
        select(Enrolment)
        .join(Trainee)
        .join(CourseEvent, col(CourseEvent.id) == Enrolment.event_id)
        .where(Enrolment.trainee_id == (trainee.id if trainee else -1), queries.visible_enrolments(viewer))
        .options(selectinload(Enrolment.event).selectinload(CourseEvent.course))
        .order_by(col(CourseEvent.starts_at).desc(), col(Enrolment.id).desc())
    )


def cpd_minutes(trainee: Trainee | None) -> int:
    """A person's CPD minutes over every CPD course they attended."""
    return db.session.execute(
        select(sa.func.coalesce(sa.func.sum(Enrolment.cpd_minutes), 0))
        .join(CourseEvent, col(CourseEvent.id) == Enrolment.event_id)
        .join(Course, col(Course.id) == CourseEvent.course_id)
        .where(Enrolment.trainee_id == (trainee.id if trainee else -1), Course.kind == CourseKind.CPD)
    ).scalar_one()
