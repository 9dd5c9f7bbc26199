"""The chairs' register: its statement, filters, counts and the statuses of a page of it."""

from __future__ import annotations

import functools
from datetime import date, time, timedelta

import sqlalchemy as sa
from sqlmodel import col, select

from tracker.auth.models import Agency, User, UserRole
from tracker.core import settings
from tracker.core.db import db
from tracker.core.permissions import Role
from tracker.core.timeutil import london_to_utc, today_london
from tracker.core.types import UTCDateTime
from tracker.training import rules
from tracker.training.models import (
    Course,
    CourseEvent,
    CourseKind,
    Enrolment,
    EnrolmentStatus,
    Trainee,
    TraineeRole,
)
from tracker.training.queries.chairs import latest_cpd
from tracker.training.rules import ChairState, ChairStatus

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


def _register_people(days: int = 0) -> sa.Subquery:
    """Everyone on the chairs' register, with the day they completed chair training and their last CPD:
    each active account with the chair role, and each person without an account who has a place on a
    chair training course as a chair (a new chair, trained or awaiting training, whose account may come
    later). `trainee_id` is the training record, if any; `since`, when the account (or, without one, the
    training record) was made. With `days`, also each person's last CPD on or before each of so many days
    (`last_cpd_on_N`, on or before the bound parameter `day_N`), to count the register as it stood then.

    Each side of the union joins its agency and dates itself: joined to the union from outside,
    PostgreSQL cannot estimate the joins and picks nested loops that grow with the square of the register.
    """
    completed = _by_trainee(
        sa.func.min(Enrolment.completed_on),
        Course.kind == CourseKind.CHAIR_COURSE,
        Enrolment.status == EnrolmentStatus.COMPLETED,
    )
    attended = col(Enrolment.last_attended_on)
    cpd = (
        select(
            col(Enrolment.trainee_id).label("trainee_id"),
            sa.func.max(attended).label("day"),
            *(
                sa.func.max(sa.case((attended <= sa.bindparam(f"day_{n}", type_=sa.Date), attended))).label(
                    f"day_{n}"
                )
                for n in range(days)
            ),
        )
        .join(CourseEvent, col(CourseEvent.id) == Enrolment.event_id)
        .join(Course, col(Course.id) == CourseEvent.course_id)
        .where(Course.kind == CourseKind.CPD, Enrolment.sessions_attended > 0)
        .group_by(Enrolment.trainee_id)
        .subquery()
    )

    def with_dates(statement: sa.Select) -> sa.Select:
        return (
            statement.add_columns(
                completed.c.day.label("completed_on"),
                cpd.c.day.label("last_cpd_on"),
                *(cpd.c[f"day_{n}"].label(f"last_cpd_on_{n}") for n in range(days)),
            )
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
            col(User.created_at).label("since"),
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
            col(Trainee.created_at).label("since"),
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
    limits = _limits(today)
    return _conditions(
        people.c.completed_on,
        people.c.last_cpd_on,
        people.c.flagged,
        limits.lapsed_if_on_or_before,
        limits.due_soon_if_on_or_before,
    )


def _limits(today: date) -> rules.CpdThresholds:
    return rules.cpd_thresholds(today, settings.get("cpd_lapse_months"), settings.get("cpd_warning_months"))


def _conditions(completed_on, last_cpd_on, flagged, lapsed_if_on_or_before, due_soon_if_on_or_before) -> dict:
    """`_in_state`'s conditions, from the day a person completed chair training, their last CPD, whether
    their account says trained, and the last day a CPD may have been for it to have lapsed and to be due
    soon (dates, or bound parameters that stand for them)."""
    trained = sa.or_(completed_on.is_not(None), flagged.is_(True))
    latest = sa.case(
        (last_cpd_on.is_(None), completed_on),
        (completed_on.is_(None), last_cpd_on),
        (last_cpd_on > completed_on, last_cpd_on),
        else_=completed_on,
    )
    lapsed = sa.or_(latest.is_(None), latest <= lapsed_if_on_or_before)
    return {
        ChairState.AWAITING_TRAINING.name: sa.not_(trained),
        ChairState.CPD_LAPSED.name: sa.and_(trained, lapsed),
        ChairState.TRAINED.name: sa.and_(trained, sa.not_(lapsed)),
        DUE_SOON: sa.and_(trained, sa.not_(lapsed), latest <= due_soon_if_on_or_before),
    }


def register_counts(today: date | None = None) -> dict[str, int]:
    """How many people the chairs' register lists, in all and in each filter (the state names and
    DUE_SOON, trained with CPD lapsing soon), on a day: the one answer to "who is a chair and are they
    current" that the Board's dashboard reads too. One pass over the register, in one query."""
    return register_counts_on([today or today_london()])[0]


def register_counts_on(days: list[date]) -> list[dict[str, int]]:
    """`register_counts` on each of several days, as the register stood at the end of each (a past
    quarter's end for the Board): who was on it then (an account made, or a place given, by then), who
    had completed chair training by then, and their last CPD by then. One pass over the register."""
    statement, names = _counts_statement(len(days))
    parameters = {}
    for number, day in enumerate(days):
        limits = _limits(day)
        parameters[f"day_{number}"] = day
        parameters[f"before_{number}"] = london_to_utc(day + timedelta(days=1), time(0))
        parameters[f"lapsed_{number}"] = limits.lapsed_if_on_or_before
        parameters[f"soon_{number}"] = limits.due_soon_if_on_or_before
    values = [int(value) for value in db.session.execute(statement, parameters).one()]
    width = len(names) + 1
    return [
        {"ALL": values[start], **dict(zip(names, values[start + 1 : start + width], strict=True))}
        for start in range(0, len(values), width)
    ]


@functools.cache
def _counts_statement(days: int) -> tuple[sa.Select, list[str]]:
    """The counting statement for so many days, the days as bound parameters (day_N, before_N: the day
    and the instant after it; lapsed_N, soon_N: its CPD limits): built once, as it is the same from one
    day to the next (building it costs more than running it)."""
    people = _register_people(days)
    columns: list[sa.ColumnElement] = []
    names: list[str] = []

    def how_many(condition) -> sa.ColumnElement:
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    for number in range(days):
        day = sa.bindparam(f"day_{number}", type_=sa.Date)
        on_it = people.c.since < sa.bindparam(f"before_{number}", type_=UTCDateTime)
        completed = sa.case((people.c.completed_on <= day, people.c.completed_on))
        lapsed, soon = (sa.bindparam(f"{name}_{number}", type_=sa.Date) for name in ("lapsed", "soon"))
        conditions = _conditions(completed, people.c[f"last_cpd_on_{number}"], people.c.flagged, lapsed, soon)
        names = list(conditions)
        columns += [how_many(on_it), *(how_many(sa.and_(on_it, on)) for on in conditions.values())]
    return select(*columns).select_from(people), names


def register_statuses(rows, today: date | None = None) -> dict[int, ChairStatus]:
    """The status of each row of the register (by trainee_id, or -user_id for an account with no
    training record), with the pillar of each person's latest CPD in one more query."""
    today = today or today_london()
    lapse, warning = settings.get("cpd_lapse_months"), settings.get("cpd_warning_months")
    trainee_ids = [row.trainee_id for row in rows if row.trainee_id is not None]
    latest = latest_cpd(col(Enrolment.trainee_id), trainee_ids)
    return {
        register_key(row): rules.chair_status(
            row.completed_on,
            row.last_cpd_on,
            today,
            lapse,
            warning,
            trained_without_record=bool(row.flagged),
            last_cpd_pillar=latest.get(row.trainee_id, (None, None))[1],
        )
        for row in rows
    }


def register_key(row) -> int:
    return row.trainee_id if row.trainee_id is not None else -row.user_id


def chairs_due_count(today: date | None = None) -> tuple[int, int]:
    """How many chairs' CPD is due soon, and how many have lapsed (for reminders)."""
    counts = []
    for state in (DUE_SOON, ChairState.CPD_LAPSED.name):
        statement = chairs_register_statement(state, today=today)
        counts.append(db.session.scalar(select(sa.func.count()).select_from(statement.subquery())))
    return counts[0], counts[1]
