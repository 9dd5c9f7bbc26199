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
    return Attendee(trainee.email, trainee.name)


def calendar_title(course_title: str, event_title: str) -> str:
    """What a diary shows: the course's name and the event's ("MAPPA Chair Training, Cohort May 2027"),
    or the event's alone when it already names the course."""
    if course_title.casefold() in event_title.casefold():
        return event_title
    return f"{course_title}, {event_title}"


def numbering(event: CourseEvent) -> dict[int, tuple[int, int]]:
    """Each session's (number, of) within its event, in time order (cancelled ones keep their number)."""
    ordered = sorted(event.sessions, key=lambda s: (s.starts_at, s.id))
    return {session.id: (number, len(ordered)) for number, session in enumerate(ordered, start=1)}


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
        venue=session.venue,
        join_url=usable_link(session.online_link),
        sequence=session.sequence,
        cancelled=session.status is SessionStatus.CANCELLED,
        attendees=people,
    )


def session_entry(session: TrainingSession, people: tuple[Attendee, ...] = ()) -> CalendarEvent:
    number, of = numbering(session.event)[session.id]
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
    numbered = (
        select(
            col(TrainingSession.id).label("session_id"),
            sa.func.row_number()
            .over(partition_by=TrainingSession.event_id, order_by=in_order)
            .label("number"),
            sa.func.count().over(partition_by=TrainingSession.event_id).label("of"),
        )
        .where(col(TrainingSession.event_id).in_(events))
        .subquery()
    )
    rows = db.session.exec(
        select(TrainingSession, Course.title, CourseEvent.title, numbered.c.number, numbered.c.of)
        .join(numbered, numbered.c.session_id == TrainingSession.id)
        .join(CourseEvent, col(CourseEvent.id) == TrainingSession.event_id)
        .join(Course, col(Course.id) == CourseEvent.course_id)
        .where(TrainingSession.starts_at < end, TrainingSession.ends_at > start)
        .order_by(*in_order)
    )
    return [
        entry(session, calendar_title(course, title), number, of)
        for session, course, title, number, of in rows
    ]
