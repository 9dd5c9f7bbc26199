"""Queries for training pages: chair statuses, the chairs' register, lists of events and people.

Each builds a fixed number of SQL statements whatever the amount of data, and lists are paginated in SQL.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.auth.models import Agency, User, UserRole
from tracker.core import settings
from tracker.core.db import db
from tracker.core.permissions import Permission, Role
from tracker.core.timeutil import LONDON, london_to_utc, today_london
from tracker.core.types import utcnow
from tracker.training import rules
from tracker.training.models import (
    ON_REGISTER,
    Course,
    CourseEvent,
    CourseKind,
    Enrolment,
    EnrolmentStatus,
    Trainee,
    TraineeRole,
    TrainingSession,
)
from tracker.training.rules import ChairState, ChairStatus

# Who may see which enrolment --------------------------------------------------------------------


def visible_enrolments(user: User) -> sa.ColumnElement[bool]:
    """Which enrolments a person may see, as a condition on a query joined to Trainee: the TRSG sees
    every one; anyone else with a training record only their own."""
    if user.can(Permission.MANAGE_TRAINING):
        return sa.true()
    if user.can(Permission.VIEW_OWN_TRAINING):
        return Trainee.user_id == user.id
    return sa.false()


def enrolment_visible(enrolment: Enrolment, user: User) -> bool:
    """The same rule for one enrolment (certificates), asked of the database."""
    statement = (
        select(Enrolment.id).join(Trainee).where(Enrolment.id == enrolment.id, visible_enrolments(user))
    )
    return db.session.scalar(statement) is not None


def visible_events(user: User) -> sa.ColumnElement[bool]:
    """Which events (and their sessions) a person may see, as a condition on CourseEvent: the TRSG
    every one; anyone else with a training record those they have a place on."""
    if user.can(Permission.MANAGE_TRAINING):
        return sa.true()
    if not user.can(Permission.VIEW_OWN_TRAINING):
        return sa.false()
    mine = (
        select(Enrolment.event_id)
        .join(Trainee, col(Trainee.id) == Enrolment.trainee_id)
        .where(Trainee.user_id == user.id, col(Enrolment.status).in_(ON_REGISTER))
    )
    return col(CourseEvent.id).in_(mine)


def event_visible(event: CourseEvent, user: User) -> bool:
    statement = select(CourseEvent.id).where(CourseEvent.id == event.id, visible_events(user))
    return db.session.scalar(statement) is not None


def session_visible(session: TrainingSession, user: User) -> bool:
    statement = select(CourseEvent.id).where(CourseEvent.id == session.event_id, visible_events(user))
    return db.session.scalar(statement) is not None


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


def _last_cpd_pillars(user_ids: list[int]) -> dict[int, tuple[date, object]]:
    """Per account: the day and pillar of their latest CPD (a window function: one row per person)."""
    ranked = (
        select(
            col(Trainee.user_id).label("user_id"),
            col(Enrolment.last_attended_on).label("day"),
            col(CourseEvent.pillar).label("pillar"),
            sa.func.row_number()
            .over(
                partition_by=Trainee.user_id,
                order_by=(col(Enrolment.last_attended_on).desc(), col(Enrolment.id).desc()),
            )
            .label("rank"),
        )
        .join(Enrolment, col(Enrolment.trainee_id) == Trainee.id)
        .join(CourseEvent, col(CourseEvent.id) == Enrolment.event_id)
        .join(Course, col(Course.id) == CourseEvent.course_id)
        .where(
            col(Trainee.user_id).in_(user_ids),
            Course.kind == CourseKind.CPD,
            Enrolment.sessions_attended > 0,
        )
        .subquery()
    )
    rows = db.session.execute(
        select(ranked.c.user_id, ranked.c.day, ranked.c.pillar).where(ranked.c.rank == 1)
    )
    return {row.user_id: (row.day, row.pillar) for row in rows}


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
    latest = _last_cpd_pillars(ids)
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


# The chairs' register ------------------------------------------------------------------------------

# The register's filters: the three states, and the reminders (trained, but CPD lapses soon).
DUE_SOON = "DUE_SOON"
REGISTER_FILTERS = [(state.name, state.label) for state in ChairState] + [(DUE_SOON, "CPD due soon")]


def _by_trainee(day, *conditions) -> sa.Subquery:
    """Per training record: `day` (an aggregate of enrolment dates) over enrolments meeting `conditions`."""
    return (
        select(col(Enrolment.trainee_id).label("trainee_id"), day.label("day"))
        .join(CourseEvent, col(CourseEvent.id) == Enrolment.event_id)
        .join(Course, col(Course.id) == CourseEvent.course_id)
        .where(*conditions)
        .group_by(Enrolment.trainee_id)
        .subquery()
    )


def _register_people() -> sa.Subquery:
    """Everyone on the chairs' register, with the day they completed chair training and their last CPD:
    each active account with the chair role, and each person without an account who has a place on a
    chair training course as a chair (a new chair, trained or awaiting training, whose account may come
    later). `trainee_id` is the training record, if any.

    Each side of the union joins its agency and dates itself: joined to the union from outside,
    PostgreSQL cannot estimate the joins and picks nested loops that grow with the square of the register.
    """
    completed = _by_trainee(
        sa.func.min(Enrolment.completed_on),
        Course.kind == CourseKind.CHAIR_COURSE,
        Enrolment.status == EnrolmentStatus.COMPLETED,
    )
    cpd = _by_trainee(
        sa.func.max(Enrolment.last_attended_on),
        Course.kind == CourseKind.CPD,
        Enrolment.sessions_attended > 0,
    )

    def with_dates(statement: sa.Select) -> sa.Select:
        return (
            statement.add_columns(completed.c.day.label("completed_on"), cpd.c.day.label("last_cpd_on"))
            .outerjoin(completed, completed.c.trainee_id == Trainee.id)
            .outerjoin(cpd, cpd.c.trainee_id == Trainee.id)
        )

    chairs = select(UserRole.user_id).where(UserRole.role == Role.CHAIR)
    accounts = with_dates(
        select(
            col(User.id).label("user_id"),
            col(Trainee.id).label("trainee_id"),
            col(User.name).label("name"),
            col(Agency.name).label("agency"),
            col(User.chair_trained).label("flagged"),
        )
        .join(Agency, col(Agency.id) == User.agency_id)
        .outerjoin(Trainee, col(Trainee.user_id) == User.id)
        .where(col(User.id).in_(chairs), col(User.active).is_(True))
    )
    new_chairs = (
        select(Enrolment.trainee_id)
        .join(CourseEvent, col(CourseEvent.id) == Enrolment.event_id)
        .join(Course, col(Course.id) == CourseEvent.course_id)
        .where(
            Course.kind == CourseKind.CHAIR_COURSE,
            Enrolment.role == TraineeRole.CHAIR,
            Enrolment.status != EnrolmentStatus.WITHDRAWN,
        )
    )
    without_accounts = with_dates(
        select(
            sa.cast(sa.null(), sa.Integer).label("user_id"),
            col(Trainee.id).label("trainee_id"),
            col(Trainee.name).label("name"),
            col(Agency.name).label("agency"),
            sa.false().label("flagged"),
        )
        .join(Agency, col(Agency.id) == Trainee.agency_id)
        .where(col(Trainee.user_id).is_(None), col(Trainee.id).in_(new_chairs))
    )
    return sa.union_all(accounts, without_accounts).subquery("people")


def chairs_register_statement(state: str = "", query: str = "", today: date | None = None) -> sa.Select:
    """The register's rows by name (user_id, trainee_id, name, agency, flagged, completed_on,
    last_cpd_on), filtered by status in SQL with the same rule as `rules.chair_status`."""
    people = _register_people()
    statement = select(
        people.c.user_id,
        people.c.trainee_id,
        people.c.name,
        people.c.agency,
        people.c.flagged,
        people.c.completed_on,
        people.c.last_cpd_on,
    ).order_by(people.c.name, people.c.user_id.is_(None), people.c.user_id, people.c.trainee_id)
    if query:
        statement = statement.where(sa.func.lower(people.c.name).like(f"%{query.lower()}%"))
    condition = _in_state(people, today or today_london()).get(state)
    return statement if condition is None else statement.where(condition)


def _in_state(people: sa.Subquery, today: date) -> dict[str, sa.ColumnElement[bool]]:
    """For each register filter (the state names and DUE_SOON), the condition a row meets to be in it:
    the rule of `rules.chair_status`, in SQL."""
    completed_on, last_cpd_on = people.c.completed_on, people.c.last_cpd_on
    trained = sa.or_(completed_on.is_not(None), people.c.flagged.is_(True))
    latest = sa.case(
        (last_cpd_on.is_(None), completed_on),
        (completed_on.is_(None), last_cpd_on),
        (last_cpd_on > completed_on, last_cpd_on),
        else_=completed_on,
    )
    limits = rules.cpd_thresholds(today, settings.get("cpd_lapse_months"), settings.get("cpd_warning_months"))
    lapsed = sa.or_(latest.is_(None), latest <= limits.lapsed_if_on_or_before)
    return {
        ChairState.AWAITING_TRAINING.name: sa.not_(trained),
        ChairState.CPD_LAPSED.name: sa.and_(trained, lapsed),
        ChairState.TRAINED.name: sa.and_(trained, sa.not_(lapsed)),
        DUE_SOON: sa.and_(trained, sa.not_(lapsed), latest <= limits.due_soon_if_on_or_before),
    }


def register_counts(today: date | None = None) -> dict[str, int]:
    """How many people the chairs' register lists, in all and in each filter (the state names and
    DUE_SOON, trained with CPD lapsing soon), on a day: the one answer to "who is a chair and are they
    current" that the Board's dashboard reads too. One pass over the register, in one query."""
    people = _register_people()
    conditions = _in_state(people, today or today_london())
    in_each = [sa.func.coalesce(sa.func.sum(sa.case((when, 1), else_=0)), 0) for when in conditions.values()]
    counts = [sa.func.count(), *in_each]
    values = db.session.execute(select(*counts).select_from(people)).one()
    return dict(zip(["ALL", *conditions], (int(value) for value in values), strict=True))


def register_statuses(rows, today: date | None = None) -> dict[int, ChairStatus]:
    """The status of each row of the register (by trainee_id, or -user_id for an account with no
    training record), with the pillar of each person's latest CPD in one more query."""
    today = today or today_london()
    lapse, warning = settings.get("cpd_lapse_months"), settings.get("cpd_warning_months")
    pillars = _last_cpd_pillars_by_trainee([row.trainee_id for row in rows if row.trainee_id is not None])
    return {
        register_key(row): rules.chair_status(
            row.completed_on,
            row.last_cpd_on,
            today,
            lapse,
            warning,
            trained_without_record=bool(row.flagged),
            last_cpd_pillar=pillars.get(row.trainee_id),
        )
        for row in rows
    }


def register_key(row) -> int:
    return row.trainee_id if row.trainee_id is not None else -row.user_id


def _last_cpd_pillars_by_trainee(trainee_ids: list[int]) -> dict[int, object]:
    """Per training record: the pillar of the latest CPD attended (None for an event with no pillar)."""
    if not trainee_ids:
        return {}
    ranked = (
        select(
            col(Enrolment.trainee_id).label("trainee_id"),
            col(CourseEvent.pillar).label("pillar"),
            sa.func.row_number()
            .over(
                partition_by=Enrolment.trainee_id,
                order_by=(col(Enrolment.last_attended_on).desc(), col(Enrolment.id).desc()),
            )
            .label("rank"),
        )
        .join(CourseEvent, col(CourseEvent.id) == Enrolment.event_id)
        .join(Course, col(Course.id) == CourseEvent.course_id)
        .where(
            col(Enrolment.trainee_id).in_(trainee_ids),
            Course.kind == CourseKind.CPD,
            Enrolment.sessions_attended > 0,
        )
        .subquery()
    )
    rows = db.session.execute(select(ranked.c.trainee_id, ranked.c.pillar).where(ranked.c.rank == 1))
    return {row.trainee_id: row.pillar for row in rows}


def chairs_due_count(today: date | None = None) -> tuple[int, int]:
    """How many chairs' CPD is due soon, and how many have lapsed (for reminders)."""
    counts = []
    for state in (DUE_SOON, ChairState.CPD_LAPSED.name):
        statement = chairs_register_statement(state, today=today)
        counts.append(db.session.scalar(select(sa.func.count()).select_from(statement.subquery())))
    return counts[0], counts[1]


# Events --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventFilters:
    query: str = ""
    kind: str = ""
    course_id: int | None = None
    year: int | None = None
    when: str = ""  # "upcoming" or "past"


def year_bounds_utc(year: rules.ReportingYear) -> tuple[datetime, datetime]:
    """The reporting year as UTC instants: from midnight on 1 April to midnight after 31 March, London."""
    return (
        london_to_utc(year.first_day, time.min),
        london_to_utc(year.last_day + timedelta(days=1), time.min),
    )


def places_columns():
    """Correlated counts of places taken and people waiting, for lists of events."""
    taken = (
        select(sa.func.count())
        .where(
            Enrolment.event_id == CourseEvent.id,
            col(Enrolment.status).in_([EnrolmentStatus.ENROLLED, EnrolmentStatus.COMPLETED]),
        )
        .correlate(CourseEvent)
        .scalar_subquery()
        .label("taken")
    )
    waiting = (
        select(sa.func.count())
        .where(Enrolment.event_id == CourseEvent.id, Enrolment.status == EnrolmentStatus.WAITING)
        .correlate(CourseEvent)
        .scalar_subquery()
        .label("waiting")
    )
    return taken, waiting


def event_list_statement(filters: EventFilters, now: datetime | None = None) -> sa.Select:
    now = now or utcnow()
    taken, waiting = places_columns()
    statement = select(CourseEvent, taken, waiting).options(selectinload(CourseEvent.course))
    if filters.query:
        statement = statement.where(sa.func.lower(CourseEvent.title).like(f"%{filters.query.lower()}%"))
    if filters.kind:
        statement = statement.where(CourseEvent.kind == filters.kind)
    if filters.course_id:
        statement = statement.where(CourseEvent.course_id == filters.course_id)
    if filters.year:
        start, end = year_bounds_utc(rules.ReportingYear(filters.year))
        statement = statement.where(col(CourseEvent.starts_at) >= start, col(CourseEvent.starts_at) < end)
    if filters.when == "upcoming":
        statement = statement.where(col(CourseEvent.ends_at) >= now).order_by(
            col(CourseEvent.starts_at), col(CourseEvent.id)
        )
    else:
        if filters.when == "past":
            statement = statement.where(col(CourseEvent.ends_at) < now)
        statement = statement.order_by(
            col(CourseEvent.starts_at).desc().nulls_first(), col(CourseEvent.id).desc()
        )
    return statement


def reporting_years(today: date | None = None) -> list[rules.ReportingYear]:
    """Reporting years from the first event's to the current one, newest first."""
    today = today or today_london()
    first = db.session.scalar(select(sa.func.min(CourseEvent.starts_at)))
    current = rules.reporting_year_of(today)
    earliest = rules.reporting_year_of(first.astimezone(LONDON).date()) if first else current
    return [rules.ReportingYear(y) for y in range(current.start_year, earliest.start_year - 1, -1)]
