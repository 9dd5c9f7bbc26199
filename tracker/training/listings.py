"""What the training pages and services read: the statements behind the pages' lists (paginated by the
views), counts, places and waiting lists, and registers (an uploaded file is checked in upload_check.py).
Nothing here changes a record: changes go through services.py."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.auth.models import Agency, User
from tracker.core.db import db
from tracker.core.permissions import Role
from tracker.core.types import utcnow
from tracker.training import queries, rules
from tracker.training.models import (
    HOLDING_A_PLACE,
    ON_REGISTER,
    TAKING_A_PLACE,
    Attendance,
    Course,
    CourseEvent,
    CourseKind,
    Enrolment,
    EnrolmentStatus,
    EventKind,
    SessionStatus,
    Trainee,
    TraineeRole,
    TrainingSession,
)


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
    """A person's CPD minutes over every CPD event they attended: what the rows of their record add up
    to. A chair course earns none (`CourseEvent.earns_cpd`), whatever hours it was once given."""
    return db.session.execute(
        select(sa.func.coalesce(sa.func.sum(Enrolment.cpd_minutes), 0))
        .join(CourseEvent, col(CourseEvent.id) == Enrolment.event_id)
        .join(Course, col(Course.id) == CourseEvent.course_id)
        .where(Enrolment.trainee_id == (trainee.id if trainee else -1), Course.kind == CourseKind.CPD)
    ).scalar_one()


def find_trainee(email: str) -> Trainee | None:
    return db.session.exec(select(Trainee).where(Trainee.email == email.lower())).first()


def on_record(email: str) -> Trainee | User | None:
    """Whoever this email address is already on record as: someone known to training, else an account
    holder. Their name and agency are the record's, whatever is typed."""
    trainee = find_trainee(email)
    if trainee is not None:
        return trainee
    return db.session.exec(select(User).where(sa.func.lower(User.email) == email.lower())).first()


def trainee_for_user(user: User) -> Trainee | None:
    return db.session.exec(select(Trainee).where(Trainee.user_id == user.id)).first()


def enrolments_on(event_id: int, *conditions) -> int:
    """How many enrolments on the event meet these conditions (one query)."""
    return db.session.scalar(
        select(sa.func.count()).select_from(Enrolment).where(Enrolment.event_id == event_id, *conditions)
    )


def places_taken(event_id: int) -> int:
    """Places taken on the event: everyone who holds or held one (`HOLDING_A_PLACE`)."""
    return enrolments_on(event_id, col(Enrolment.status).in_(HOLDING_A_PLACE))


def waiting_list(event_id: int) -> list[Enrolment]:
    return list(
        db.session.exec(
            select(Enrolment)
            .where(Enrolment.event_id == event_id, Enrolment.status == EnrolmentStatus.WAITING)
            .order_by(col(Enrolment.waiting_position), col(Enrolment.id))
        )
    )


def enrolment_conflict(
    event: CourseEvent, trainee: Trainee | None, name: str = "", *, waiting_counts: bool = True
) -> str | None:
    """Why this person should not be given a place on the event (`rules.enrolment_conflict`), or None.

    The rule is about a course's cohorts: a place counts on any other cohort of the same course
    (enrolled or completed); on a chair course, a completion of any chair course counts too, and so
    does a place on an upcoming event of any chair course (enrolled, or on its waiting list unless
    `waiting_counts` is False: moving someone up from a waiting list passes over only those who hold a
    place, lest two waiting lists each wait for the other). CPD events (Chairs' Forums, development
    days, briefings) are meant to be attended again and again, so they are not limited.
    """
    if trainee is None or trainee.id is None or event.kind is not EventKind.COHORT:
        return None
    elsewhere = db.session.exec(
        select(CourseEvent.title)
        .join(Enrolment, col(Enrolment.event_id) == CourseEvent.id)
        .where(
            Enrolment.trainee_id == trainee.id,
            CourseEvent.course_id == event.course_id,
            CourseEvent.id != event.id,
            CourseEvent.kind == EventKind.COHORT,
            col(Enrolment.status).in_(TAKING_A_PLACE),
        )
        .order_by(col(CourseEvent.starts_at), col(CourseEvent.id))
    ).all()
    completed_chair = None
    if event.is_chair_course:
        own = Enrolment.trainee_id == trainee.id
        completed_chair = db.session.exec(chair_courses_completed(event, own)).first()
        statuses = [EnrolmentStatus.ENROLLED] + ([EnrolmentStatus.WAITING] if waiting_counts else [])
        chair_places = [
            f"{title}, {course}: {'on the waiting list' if status is EnrolmentStatus.WAITING else 'enrolled'}"
            for title, course, status in db.session.execute(
                queries.upcoming_chair_places(event, statuses, utcnow(), own)
            ).all()
        ]
    return rules.enrolment_conflict(
        name or trainee.name,
        event.course.title,
        list(elsewhere),
        event.is_chair_course,
        completed_chair,
        chair_places if event.is_chair_course else (),
    )


def session_day_warnings(sessions) -> list[str]:
    """Warnings for scheduled sessions on a weekend or a bank holiday (`rules.session_day_warning`)."""
    from tracker.core.timeutil import london

    return rules.session_day_warnings(
        (s.title, london(s.starts_at).date()) for s in sessions if s.status is SessionStatus.SCHEDULED
    )


def waiting_count(event_id: int) -> int:
    """How many people are on the event's waiting list."""
    return enrolments_on(event_id, Enrolment.status == EnrolmentStatus.WAITING)


def register_enrolments(event_id: int) -> list[Enrolment]:
    """The people on an event's registers (with a place, completed, or did not complete), by name."""
    return list(
        db.session.exec(
            select(Enrolment)
            .join(Trainee)
            .where(Enrolment.event_id == event_id, col(Enrolment.status).in_(ON_REGISTER))
            .options(selectinload(Enrolment.trainee).selectinload(Trainee.user))
            .order_by(col(Trainee.name), col(Trainee.id))
        )
    )


def session_marks(session_id: int) -> dict[int, Attendance]:
    rows = db.session.exec(select(Attendance).where(Attendance.session_id == session_id))
    return {row.enrolment_id: row for row in rows}


def default_role(event: CourseEvent, trainee: Trainee) -> TraineeRole:
    """The capacity someone attends in, unless the TRSG says otherwise: from their account's roles,
    else chairs for the chair course and Chairs' Forums, else agency staff. Someone in an agency that
    holds no case records attends as agency staff (`rules.role_refused`)."""
    roles = trainee.user.roles if trainee.user else set()
    if not trainee.agency.sector.holds_case_records:
        return TraineeRole.STAFF
    if Role.CHAIR in roles:
        return TraineeRole.CHAIR
    if Role.ADMINISTRATOR in roles:
        return TraineeRole.ADMINISTRATOR
    if Role.LAY_ADVISER in roles:
        return TraineeRole.STAFF  # never a chair (`rules.role_refused`)
    if event.is_chair_course or event.kind is EventKind.CHAIRS_FORUM:
        return TraineeRole.CHAIR
    return TraineeRole.STAFF


def session_replies(session_id: int) -> list:
    """Replies to a session's invitations that came back by email (Accept, Tentative, Decline)."""
    from tracker.training.models import SessionReply

    return list(db.session.exec(select(SessionReply).where(SessionReply.session_id == session_id)))


def open_events(course_id: int) -> list[CourseEvent]:
    """A course's events whose outcomes are not yet set."""
    return list(
        db.session.exec(
            select(CourseEvent).where(
                CourseEvent.course_id == course_id, col(CourseEvent.closed_at).is_(None)
            )
        )
    )


def events_to_close(now) -> list[CourseEvent]:
    """Events that have ended (their last scheduled session is over) and whose outcomes are not set."""
    return list(
        db.session.exec(
            select(CourseEvent)
            .where(col(CourseEvent.closed_at).is_(None), col(CourseEvent.ends_at) <= now)
            .order_by(col(CourseEvent.ends_at), col(CourseEvent.id))
        )
    )


# Who a message to an event goes to: a label for people to read, and who it means.
AUDIENCES = {
    "PLACE": "Everyone with a place",
    "WAITING": "Everyone on the waiting list",
    "ATTENDED": "Everyone who attended",
}


def mailing_recipients(event_id: int, audience: str) -> list[Trainee]:
    """The people a message to the event's `audience` goes to (an `AUDIENCES` key), by name.

    With a place: enrolled or completed. Attended: marked present, late or left early at one session
    or more (whatever their outcome)."""
    statement = select(Trainee).join(Enrolment, col(Enrolment.trainee_id) == Trainee.id)
    if audience == "PLACE":
        statement = statement.where(
            Enrolment.event_id == event_id, col(Enrolment.status).in_(TAKING_A_PLACE)
        )
    elif audience == "WAITING":
        statement = statement.where(
            Enrolment.event_id == event_id, Enrolment.status == EnrolmentStatus.WAITING
        )
    elif audience == "ATTENDED":
        attended = (
            select(Attendance.enrolment_id)
            .join(TrainingSession, col(TrainingSession.id) == Attendance.session_id)
            .where(
                TrainingSession.event_id == event_id,
                TrainingSession.status == SessionStatus.SCHEDULED,
                col(Attendance.mark).in_(list(rules.ATTENDED)),
            )
        )
        statement = statement.where(Enrolment.event_id == event_id, col(Enrolment.id).in_(attended))
    else:
        return []
    return list(db.session.exec(statement.order_by(col(Trainee.name), col(Trainee.id))))


def chair_courses_completed(event: CourseEvent, *whose) -> sa.Select:
    """The titles of chair courses completed at events other than this one, by the places `whose` picks
    out (conditions on Enrolment)."""
    return (
        select(Course.title)
        .join(CourseEvent, col(CourseEvent.course_id) == Course.id)
        .join(Enrolment, col(Enrolment.event_id) == CourseEvent.id)
        .where(
            *whose,
            *queries.other_chair_cohorts(event),
            Enrolment.status == EnrolmentStatus.COMPLETED,
        )
    )
