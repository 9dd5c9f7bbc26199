"""Training sessions as calendar entries: one entry per session (a two-day course is two entries, each
with its own times, RELATED-TO the event), titled with the event's title and which session it is. Also
the people whose diaries they are in (those with a place) and the provider for personal feeds.

Invitations to training go to each person on their own, naming only them as the attendee: trainees come
from many agencies, and an invitation would otherwise show everyone's address to everyone.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import Response, url_for
from sqlmodel import col, select

from tracker.auth.models import User
from tracker.calendar import ics as files
from tracker.calendar.events import Attendee, CalendarEvent, training_session_event, usable_link
from tracker.core.db import db
from tracker.core.permissions import Permission
from tracker.training.models import (
    ON_REGISTER,
    TAKING_A_PLACE,
    Course,
    CourseEvent,
    Enrolment,
    SessionStatus,
    Trainee,
    TrainingSession,
)


def attendee(trainee: Trainee) -> Attendee:
    return Attendee(trainee.email, trainee.name, has_account=trainee.user_id is not None)


def calendar_title(course_title: str, event_title: str) -> str:
    """What a diary shows: the course's name and the event's ("MAPPA Chair Training, Cohort May 2027"),
    or the event's alone when it already names the course."""
    if course_title.casefold() in event_title.casefold():
        return event_title
    return f"{course_title}, {event_title}"


def numbering(event: CourseEvent) -> dict[int, tuple[int, int]]:
    """Each session's (number, of) within its event, in time order, among the sessions taking place (a
    two-day course with a day cancelled and another added is still 1 of 2 and 2 of 2). A cancelled session
    is numbered as though it were still among them, as its cancellation is read."""
    ordered = sorted(event.sessions, key=lambda s: (s.starts_at, s.id))
    total = sum(s.status is SessionStatus.SCHEDULED for s in ordered)
    numbers, counted = {}, 0
    for session in ordered:
        counted += session.status is SessionStatus.SCHEDULED
        numbers[session.id] = _number(session, counted, total)
    return numbers


def _number(session: TrainingSession, counted: int, total: int) -> tuple[int, int]:
    """(number, of) from how many sessions taking place start with or before it, and in all."""
    number = counted if session.status is SessionStatus.SCHEDULED else counted + 1
    return number, max(total, number)


def entry(
    session: TrainingSession, title: str, number: int, of: int, people: tuple[Attendee, ...] = ()
) -> CalendarEvent:
    return training_session_event(
        session_id=session.id,
        event_id=session.event_id,
        title=title,
        number=number,
        of=of,
        start=session.starts_at,
        end=session.ends_at,
        # Trainees follow their training on their own record (the event's page is the TRSG's).
        path=url_for("training.my_record"),
        session_title=session.title,
        venue=session.venue,
        join_url=usable_link(session.online_link),
        sequence=session.sequence,
        cancelled=session.status is SessionStatus.CANCELLED,
        attendees=people,
    )


def session_entry(
    session: TrainingSession,
    people: tuple[Attendee, ...] = (),
    numbers: dict[int, tuple[int, int]] | None = None,
) -> CalendarEvent:
    """The session's entry, numbered as it is now or by `numbers` (a cancellation is numbered as the
    session was before it was called off: "session 1 of 2", not the course as a whole)."""
    number, of = (numbers or numbering(session.event))[session.id]
    event = session.event
    return entry(session, calendar_title(event.course.title, event.title), number, of, people)


def event_entries(event: CourseEvent) -> list[CalendarEvent]:
    """Every session still taking place, as one entry each."""
    numbers = numbering(event)
    title = calendar_title(event.course.title, event.title)
    return [entry(s, title, *numbers[s.id]) for s in event.sessions if s.status is SessionStatus.SCHEDULED]


def download(entries: list[CalendarEvent], what: str) -> Response:
    return files.download_response(files.publish(entries), what)


def with_a_place(event_id: int) -> list[Trainee]:
    """The people whose diaries the event's sessions are in."""
    return list(
        db.session.exec(
            select(Trainee)
            .join(Enrolment, col(Enrolment.trainee_id) == Trainee.id)
            .where(Enrolment.event_id == event_id, col(Enrolment.status).in_(TAKING_A_PLACE))
        )
    )


# Feeds -------------------------------------------------------------------------------------------


def sessions_in_calendar(user: User, start: datetime, end: datetime) -> list[CalendarEvent]:
    """The sessions of events this person has a place on (not those they wait for) overlapping
    [start, end), numbered within their events by the database: one query."""
    if not user.can(Permission.VIEW_OWN_TRAINING):
        return []
    events = (
        select(Enrolment.event_id)
        .join(Trainee, col(Trainee.id) == Enrolment.trainee_id)
        .where(Trainee.user_id == user.id, col(Enrolment.status).in_(ON_REGISTER))
    )
    in_order = (col(TrainingSession.starts_at), col(TrainingSession.id))
    # Numbered as `numbering` does, among the sessions taking place.
    taking_place = sa.case((TrainingSession.status == SessionStatus.SCHEDULED, 1), else_=0)
    numbered = (
        select(
            col(TrainingSession.id).label("session_id"),
            sa.func.sum(taking_place)
            .over(partition_by=TrainingSession.event_id, order_by=in_order)
            .label("counted"),
            sa.func.sum(taking_place).over(partition_by=TrainingSession.event_id).label("total"),
        )
        .where(col(TrainingSession.event_id).in_(events))
        .subquery()
    )
    rows = db.session.exec(
        select(TrainingSession, Course.title, CourseEvent.title, numbered.c.counted, numbered.c.total)
        .join(numbered, numbered.c.session_id == TrainingSession.id)
        .join(CourseEvent, col(CourseEvent.id) == TrainingSession.event_id)
        .join(Course, col(Course.id) == CourseEvent.course_id)
        .where(TrainingSession.starts_at < end, TrainingSession.ends_at > start)
        .order_by(*in_order)
    )
    return [
        entry(session, calendar_title(course, title), *_number(session, counted, total))
        for session, course, title, counted, total in rows
    ]
