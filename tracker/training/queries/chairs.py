"""Chair statuses, worked out for many people in a fixed number of statements."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.core import settings
from tracker.core.db import db
from tracker.core.models import AuditEvent
from tracker.core.timeutil import today_london
from tracker.training import rules
from tracker.training.models import (
    Course,
    CourseEvent,
    CourseKind,
    Enrolment,
    EnrolmentStatus,
    EventKind,
    Trainee,
)
from tracker.training.rules import ChairStatus

# Chair statuses ------------------------------------------------------------------------------------


def _completed_chair_course() -> sa.Subquery:
    """Per account: the first day they completed the chair course."""
    return (
        select(
            col(Trainee.user_id).label("user_id"),
            sa.func.min(Enrolment.completed_on).label("completed_on"),
        )
        .join(Enrolment, col(Enrolment.trainee_id) == Trainee.id)
        .join(CourseEvent, col(CourseEvent.id) == Enrolment.event_id)
        .join(Course, col(Course.id) == CourseEvent.course_id)
        .where(
            col(Trainee.user_id).is_not(None),
            Course.kind == CourseKind.CHAIR_COURSE,
            Enrolment.status == EnrolmentStatus.COMPLETED,
        )
        .group_by(Trainee.user_id)
        .subquery("completed")
    )


def latest_cpd(person: sa.ColumnElement, ids: list[int]) -> dict[int, tuple[date, object]]:
    """Per person, the day and pillar of their latest CPD attended (a window function: one row each).

    `person` is the column that names them: `Trainee.user_id` for accounts, `Enrolment.trainee_id` for
    training records; `ids` are its values wanted.
    """
    if not ids:
        return {}
    ranked = (
        select(
            person.label("person"),
            col(Enrolment.last_attended_on).label("day"),
            col(CourseEvent.pillar).label("pillar"),
            sa.func.row_number()
            .over(
                partition_by=person,
                order_by=(col(Enrolment.last_attended_on).desc(), col(Enrolment.id).desc()),
            )
            .label("rank"),
        )
        .select_from(Enrolment)
        .join(Trainee, col(Trainee.id) == Enrolment.trainee_id)
        .join(CourseEvent, col(CourseEvent.id) == Enrolment.event_id)
        .join(Course, col(Course.id) == CourseEvent.course_id)
        .where(
            person.in_(ids),
            Course.kind == CourseKind.CPD,
            Enrolment.sessions_attended > 0,
        )
        .subquery()
    )
    rows = db.session.execute(
        select(ranked.c.person, ranked.c.day, ranked.c.pillar).where(ranked.c.rank == 1)
    )
    return {row.person: (row.day, row.pillar) for row in rows}


def chair_statuses(user_ids: Iterable[int], today: date | None = None) -> dict[int, ChairStatus]:
    """Each account's chair status (see `rules.chair_status`), for many people in three queries.

    The meetings area calls this for its chair warnings.
    """
    ids = list(set(user_ids))
    if not ids:
        return {}
    today = today or today_london()
    completed = _completed_chair_course()
    rows = db.session.execute(
        select(User.id, User.chair_trained, completed.c.completed_on)
        .outerjoin(completed, completed.c.user_id == User.id)
        .where(col(User.id).in_(ids))
    ).all()
    latest = latest_cpd(col(Trainee.user_id), ids)
    lapse, warning = settings.get("cpd_lapse_months"), settings.get("cpd_warning_months")
    result = {}
    for user_id, flagged, completed_on in rows:
        last_day, pillar = latest.get(user_id, (None, None))
        result[user_id] = rules.chair_status(
            completed_on,
            last_day,
            today,
            lapse,
            warning,
            trained_without_record=flagged,
            last_cpd_pillar=pillar,
        )
    return result


def chair_status_for(user: User) -> ChairStatus:
    return chair_statuses([user.id])[user.id]


# Places on chair course events ----------------------------------------------------------------------


def other_chair_cohorts(event: CourseEvent) -> tuple[sa.ColumnElement[bool], ...]:
    """The conditions (on CourseEvent and Course, joined) for a cohort of a chair course other than this
    event: where a second place, or a chair course completed, counts against someone."""
    return (
        CourseEvent.id != event.id,
        CourseEvent.kind == EventKind.COHORT,
        Course.kind == CourseKind.CHAIR_COURSE,
    )


def places_to_release(event: CourseEvent, trainee_ids: list[int], now) -> sa.Select:
    """The places and waiting-list places of these people on chair course events other than this one
    that have not begun, except those given by the TRSG's override (`services.release_chair_places`)."""
    not_begun = sa.or_(col(CourseEvent.starts_at).is_(None), col(CourseEvent.starts_at) > now)
    return (
        select(Enrolment)
        .join(CourseEvent, col(CourseEvent.id) == Enrolment.event_id)
        .join(Course, col(Course.id) == CourseEvent.course_id)
        .where(
            col(Enrolment.trainee_id).in_(trainee_ids),
            *other_chair_cohorts(event),
            col(CourseEvent.closed_at).is_(None),
            not_begun,
            col(Enrolment.status).in_([EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING]),
            Enrolment.override_reason == "",
        )
        .order_by(col(CourseEvent.starts_at), col(CourseEvent.id), col(Enrolment.id))
    )


def released_chair_places(event: CourseEvent, trainee_id: int) -> sa.Select:
    """(place, the release's summary) of this person's places on chair course events other than this
    one, whose outcomes are not set, that a chair course completion released
    (`services.release_chair_places`) and that have stayed withdrawn since: the trail's "place
    released" entry is the place's latest withdrawal."""
    released = (
        select(sa.func.max(AuditEvent.id))
        .where(
            AuditEvent.action == "place released",
            AuditEvent.object_type == "Enrolment",
            AuditEvent.object_id == sa.cast(Enrolment.id, sa.String),
            col(AuditEvent.at) >= Enrolment.withdrawn_at,
        )
        .correlate(Enrolment)
        .scalar_subquery()
    )
    return (
        select(Enrolment, AuditEvent.summary)
        .join(CourseEvent, col(CourseEvent.id) == Enrolment.event_id)
        .join(Course, col(Course.id) == CourseEvent.course_id)
        .join(AuditEvent, col(AuditEvent.id) == released)
        .where(
            Enrolment.trainee_id == trainee_id,
            *other_chair_cohorts(event),
            col(CourseEvent.closed_at).is_(None),
            Enrolment.status == EnrolmentStatus.WITHDRAWN,
        )
        .order_by(col(CourseEvent.starts_at), col(CourseEvent.id), col(Enrolment.id))
    )


def upcoming_chair_places(event: CourseEvent, statuses, now, *whose) -> sa.Select:
    """(event title, course title, status) of the places with these `statuses` on chair course events
    other than this one whose outcomes are not set and which have not ended, of the people `whose`
    picks out (conditions on Enrolment)."""
    to_come = sa.or_(col(CourseEvent.ends_at).is_(None), col(CourseEvent.ends_at) >= now)
    return (
        select(CourseEvent.title, Course.title, Enrolment.status)
        .join(Course, col(Course.id) == CourseEvent.course_id)
        .join(Enrolment, col(Enrolment.event_id) == CourseEvent.id)
        .where(
            *whose,
            *other_chair_cohorts(event),
            col(CourseEvent.closed_at).is_(None),
            to_come,
            col(Enrolment.status).in_(statuses),
        )
        .order_by(col(CourseEvent.starts_at), col(CourseEvent.id))
    )
