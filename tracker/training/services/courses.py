"""Changes to courses and events."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta

from tracker.auth.models import User
from tracker.core import workdays
from tracker.core.db import db
from tracker.core.locking import Conflict, claim_or_conflict, parse_version
from tracker.core.timeutil import london_to_utc
from tracker.training import listings
from tracker.training.models import Course, CourseEvent, Enrolment, EventKind, TrainingSession
from tracker.training.services.common import OutcomesFixed, TooFewPlaces, assign_fields
from tracker.training.services.places import fill_places
from tracker.training.services.sessions import recalculate

# Courses -------------------------------------------------------------------------------------------


def add_course(actor: User, **details) -> Course:
    """A new course (`details`: title, kind, description, days, cpd_minutes, active)."""
    course = Course(**details)
    db.session.add(course)
    db.session.flush()
    return course


def update_course(course: Course, version, actor: User, **details) -> None:
    """Change a course. A changed completion rule applies at once to its events still running (those
    whose outcomes are set keep them: the TRSG can override one with a reason)."""
    before = (list(course.completion_marks), course.sessions_required)
    claim_or_conflict(course, version)
    assign_fields(course, details)
    db.session.flush()
    if (list(course.completion_marks), course.sessions_required) != before:
        for event in listings.open_events(course.id):
            recalculate(event)


# Events --------------------------------------------------------------------------------------------


@dataclass
class FirstSessions:
    """When a new event's sessions are: the course's days on consecutive working days from the first."""

    first_day: date
    starts: time
    ends: time
    venue: str = ""
    online_link: str = ""


def _event_details(details: dict) -> dict:
    """Only a Chairs' Forum is about a pillar."""
    if details.get("kind") is not EventKind.CHAIRS_FORUM:
        details = {**details, "pillar": None}
    return details


def create_event(course: Course, actor: User, first: FirstSessions, **details) -> CourseEvent:
    """A new event of a course, with a session for each of the course's days (each can be moved
    afterwards). `details`: title, kind, pillar, capacity, audience, presenters, lived_experience,
    cpd_minutes."""
    event = CourseEvent(course=course, created_by_id=actor.id, **_event_details(details))
    db.session.add(event)
    day = first.first_day
    for number in range(1, course.days + 1):
        event.sessions.append(
            TrainingSession(
                title=f"Day {number}" if course.days > 1 else "Session",
                starts_at=london_to_utc(day, first.starts),
                ends_at=london_to_utc(day, first.ends),
                venue=first.venue,
                online_link=first.online_link,
            )
        )
        day += timedelta(days=1)
        while not workdays.is_working_day(day):  # past weekends and bank holidays
            day += timedelta(days=1)
    event.refresh_dates()
    db.session.flush()
    return event


# What an event's completed records and the reported figures count: (attribute, as said, form field).
_FIXED_ONCE_OUTCOMES_SET = (
    ("cpd_minutes", "CPD hours", "cpd_hours"),
    ("kind", "kind of event", "kind"),
    ("pillar", "pillar", "pillar"),
)


def update_event(event: CourseEvent, version, actor: User, **details) -> list[Enrolment]:
    """Change an event's details; the waiting list moves up into any places added. Returns those who
    moved up. Raises TooFewPlaces (changing nothing) if fewer places than are taken are asked for, and
    OutcomesFixed once the outcomes are set if the CPD hours, kind or pillar would change."""
    if parse_version(version) != event.version:
        raise Conflict
    taken = listings.places_taken(event.id)
    if details["capacity"] < taken:
        raise TooFewPlaces(taken)
    details = _event_details(details)
    if event.closed_at is not None:
        for name, what, field in _FIXED_ONCE_OUTCOMES_SET:
            if name in details and details[name] != getattr(event, name):
                raise OutcomesFixed(event.title, what, field)
    claim_or_conflict(event, version)
    assign_fields(event, details)
    moved = fill_places(event)
    recalculate(event)
    return moved
