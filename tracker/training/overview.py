"""The TRSG's figures for a reporting year, as the annual report quotes them, and their CSV export.

An event belongs to the year its first session falls in, and counts as delivered once it has begun and
someone attended it (while no register is marked, once someone holds a place on it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from tracker.core.csvfile import csv_text
from tracker.core.db import db
from tracker.core.numbers import round_half_up
from tracker.core.pillars import Pillar
from tracker.core.timeutil import london
from tracker.core.types import utcnow
from tracker.training import rules
from tracker.training.models import (
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
    TraineeRole,
    TrainingSession,
)
from tracker.training.queries import year_bounds_utc


@dataclass(frozen=True)
class Forum:
    event_id: int
    title: str
    starts_at: datetime
    pillar: Pillar | None
    participants: int


@dataclass(frozen=True)
class AttendanceRate:
    kind: EventKind | None  # None: every kind together
    marked: int
    attended: int

    @property
    def rate(self) -> float | None:
        return self.attended / self.marked if self.marked else None


@dataclass(frozen=True)
class YearFigures:
    year: rules.ReportingYear
    events: dict[EventKind, int]
    new_chairs: int
    trained_by_role: dict[TraineeRole, int]
    forums: list[Forum]
    cpd_minutes: int
    attendance: list[AttendanceRate]

    @property
    def chair_courses(self) -> int:
        return self.events.get(EventKind.COHORT, 0)

    @property
    def events_total(self) -> int:
        return sum(self.events.values())

    @property
    def people_trained(self) -> int:
        return sum(self.trained_by_role.values())

    @property
    def forum_participants(self) -> int:
        return sum(forum.participants for forum in self.forums)

    @property
    def attendance_overall(self) -> AttendanceRate | None:
        marked = sum(row.marked for row in self.attendance)
        attended = sum(row.attended for row in self.attendance)
        return AttendanceRate(None, marked, attended) if marked else None


def _delivered(year: rules.ReportingYear, now: datetime):
    """Events whose first session is in the year and has begun, and that someone attended
    (`_someone_attended`): an event nobody came to was not delivered."""
    start, end = year_bounds_utc(year)
    return sa.and_(
        col(CourseEvent.starts_at) >= start,
        col(CourseEvent.starts_at) < end,
        col(CourseEvent.starts_at) <= now,
        _someone_attended(),
    )


def _someone_attended():
    """The event's registers show someone there (a session attended as the course's rule counts it, or
    credited by the TRSG's outcome, or any mark of attending: present, late or left early); or, while
    none of its registers is marked, someone holds a place. Its own aliases, correlated to the event
    alone, so that it reads the same inside a query over enrolments."""
    place, marked, session = aliased(Enrolment), aliased(Attendance), aliased(TrainingSession)
    on_event = place.event_id == CourseEvent.id
    registers = (
        select(marked.id)
        .join(session, col(session.id) == marked.session_id)
        .join(place, col(place.id) == marked.enrolment_id)
        .where(session.event_id == CourseEvent.id)
        .correlate(CourseEvent)
    )
    credited = select(place.id).where(on_event, place.sessions_attended > 0).correlate(CourseEvent)
    attending = registers.where(
        session.status == SessionStatus.SCHEDULED,
        col(place.status).in_(ON_REGISTER),
        col(marked.mark).in_(rules.ATTENDED),
    )
    holding = select(place.id).where(on_event, col(place.status).in_(TAKING_A_PLACE)).correlate(CourseEvent)
    return sa.or_(
        credited.exists(),
        attending.exists(),
        sa.and_(~registers.exists(), holding.exists()),
    )


def year_figures(year: rules.ReportingYear, now: datetime | None = None) -> YearFigures:
    """Every figure for the year, in eight aggregate queries whatever the number of people."""
    now = now or utcnow()
    delivered = _delivered(year, now)
    events = dict(
        db.session.execute(
            select(CourseEvent.kind, sa.func.count()).where(delivered).group_by(CourseEvent.kind)
        ).all()
    )
    return YearFigures(
        year=year,
        events=events,
        new_chairs=_new_chairs(year),
        trained_by_role=_trained_by_role(year),
        forums=_forums(delivered),
        cpd_minutes=_cpd_minutes(delivered),
        attendance=_attendance(year, now),
    )


def _new_chairs(year: rules.ReportingYear) -> int:
    """Chairs who first completed the chair course during the year."""
    first = (
        select(Enrolment.trainee_id, sa.func.min(Enrolment.completed_on).label("first_completed"))
        .join(CourseEvent, col(CourseEvent.id) == Enrolment.event_id)
        .join(Course, col(Course.id) == CourseEvent.course_id)
        .where(
            Course.kind == CourseKind.CHAIR_COURSE,
            Enrolment.status == EnrolmentStatus.COMPLETED,
            Enrolment.role == TraineeRole.CHAIR,
        )
        .group_by(Enrolment.trainee_id)
        .subquery()
    )
    return db.session.scalar(
        select(sa.func.count())
        .select_from(first)
        .where(first.c.first_completed.between(year.first_day, year.last_day))
    )


def _trained_by_role(year: rules.ReportingYear) -> dict[TraineeRole, int]:
    """People who completed a course or CPD event during the year, by the capacity they attended in."""
    rows = db.session.execute(
        select(Enrolment.role, sa.func.count(sa.distinct(Enrolment.trainee_id)))
        .where(
            Enrolment.status == EnrolmentStatus.COMPLETED,
            col(Enrolment.completed_on).between(year.first_day, year.last_day),
        )
        .group_by(Enrolment.role)
    ).all()
    counts = dict(rows)
    return {role: counts.get(role, 0) for role in TraineeRole}


def _forums(delivered) -> list[Forum]:
    participants = (
        select(sa.func.count())
        .where(Enrolment.event_id == CourseEvent.id, Enrolment.sessions_attended > 0)
        .correlate(CourseEvent)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(CourseEvent.id, CourseEvent.title, CourseEvent.starts_at, CourseEvent.pillar, participants)
        .where(delivered, CourseEvent.kind == EventKind.CHAIRS_FORUM)
        .order_by(col(CourseEvent.starts_at))
    ).all()
    return [Forum(*row) for row in rows]


def _cpd_minutes(delivered) -> int:
    return (
        db.session.scalar(
            select(sa.func.coalesce(sa.func.sum(Enrolment.cpd_minutes), 0))
            .join(CourseEvent, col(CourseEvent.id) == Enrolment.event_id)
            .join(Course, col(Course.id) == CourseEvent.course_id)
            .where(delivered, Course.kind == CourseKind.CPD)
        )
        or 0
    )


def _attendance(year: rules.ReportingYear, now: datetime) -> list[AttendanceRate]:
    """Marks on the registers of the year's sessions, by kind of event: the marks of those on the
    registers (never of someone withdrawn, whom the registers leave out), a mark counting as attended
    when the course's completion rule counts it (so "left early" counts only where the course says so)."""
    start, end = year_bounds_utc(year)
    rows = db.session.execute(
        select(CourseEvent.kind, CourseEvent.course_id, Attendance.mark, sa.func.count())
        .join(TrainingSession, col(TrainingSession.id) == Attendance.session_id)
        .join(CourseEvent, col(CourseEvent.id) == TrainingSession.event_id)
        .join(Enrolment, col(Enrolment.id) == Attendance.enrolment_id)
        .where(
            col(TrainingSession.starts_at) >= start,
            col(TrainingSession.starts_at) < end,
            col(TrainingSession.starts_at) <= now,
            TrainingSession.status == SessionStatus.SCHEDULED,
            col(Enrolment.status).in_(ON_REGISTER),
        )
        .group_by(CourseEvent.kind, CourseEvent.course_id, Attendance.mark)
    ).all()
    course_ids = {course_id for _kind, course_id, _mark, _count in rows}
    counted = {
        course.id: course.counted_marks
        for course in db.session.exec(select(Course).where(col(Course.id).in_(course_ids)))
    }
    marked: dict[EventKind, int] = {}
    attended: dict[EventKind, int] = {}
    for kind, course_id, mark, count in rows:
        marked[kind] = marked.get(kind, 0) + count
        if mark in counted[course_id]:
            attended[kind] = attended.get(kind, 0) + count
    return [AttendanceRate(kind, marked[kind], attended.get(kind, 0)) for kind in EventKind if kind in marked]


def percent(value: float | None) -> str:
    return "" if value is None else f"{round_half_up(value * 100)}%"


def figures_csv(figures: YearFigures) -> str:
    """The year's figures as CSV: one figure a row, with the section it belongs to. Every value is a
    number (rates in per cent), empty where there is none."""
    label = figures.year.label
    rows: list[list[object]] = []

    def row(section: str, measure: str, value) -> None:
        rows.append([label, section, measure, value])

    def rate(value: float | None) -> int | None:
        return None if value is None else round_half_up(value * 100)

    row("Delivered", "Chair training courses", figures.chair_courses)
    for kind in EventKind:
        row("Delivered", f"Events: {kind.label}", figures.events.get(kind, 0))
    row("Delivered", "Events in all", figures.events_total)
    row("People trained", "New chairs trained", figures.new_chairs)
    for role, count in figures.trained_by_role.items():
        row("People trained", f"Completed: {role.label}", count)
    for forum in figures.forums:
        pillar = forum.pillar.label if forum.pillar else "No pillar"
        when = london(forum.starts_at).strftime("%-d %B %Y")
        row("Chairs' Forums", f"{forum.title} ({when}, {pillar}): participants", forum.participants)
    row("Chairs' Forums", "Participants in all", figures.forum_participants)
    row("CPD", "CPD hours", rules.format_hours(figures.cpd_minutes))
    for line in figures.attendance:
        row("Attendance", f"{line.kind.label}: attendance rate (%)", rate(line.rate))
    overall = figures.attendance_overall
    row("Attendance", "Attendance rate overall (%)", rate(overall.rate if overall else None))
    return csv_text(["Reporting year", "Section", "Measure", "Value"], rows)
