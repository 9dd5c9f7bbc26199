"""Lists of events: filters, places taken, and the reporting years to choose from."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload
from sqlmodel import col, select

from tracker.core.db import db
from tracker.core.timeutil import LONDON, london_to_utc, today_london
from tracker.core.types import utcnow
from tracker.training import rules
from tracker.training.models import HOLDING_A_PLACE, CourseEvent, Enrolment, EnrolmentStatus

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
            col(Enrolment.status).in_(HOLDING_A_PLACE),
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
