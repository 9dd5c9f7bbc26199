"""Attendance and what follows from it: completion and CPD, the waiting list, the enrolment rules,
session days, and certificates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from tracker.core import workdays
from tracker.training.models import EnrolmentStatus, Mark

# Present, late and left early all count as attending: the person took part, and the note on the
# register says how much they missed. Only absent does not.
ATTENDED = frozenset({Mark.PRESENT, Mark.LATE, Mark.LEFT_EARLY})

# Completion and CPD --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What someone achieved on an event, from their marks on its scheduled sessions."""

    sessions_attended: int
    cpd_minutes: int
    completed_on: date | None
    last_attended_on: date | None

    @property
    def complete(self) -> bool:
        return self.completed_on is not None


def outcome(marks: Sequence[tuple[date, Mark | None]], event_cpd_minutes: int) -> Outcome:
    """Completion and CPD from (session date, mark) for every scheduled session of an event.

    Complete when every session is attended (present, late or left early), on the day of the last
    session. CPD minutes are earned session by session: the event's minutes shared equally between its
    sessions, so someone at one day of a two-day development day earns half.
    """
    attended_days = [day for day, mark in marks if mark in ATTENDED]
    total = len(marks)
    complete = total > 0 and len(attended_days) == total
    minutes = event_cpd_minutes * len(attended_days) // total if total else 0
    return Outcome(
        sessions_attended=len(attended_days),
        cpd_minutes=minutes,
        completed_on=max(attended_days) if complete else None,
        last_attended_on=max(attended_days, default=None),
    )


def register_open(session_day: date, today: date) -> bool:
    """A register can be marked from the day of its session (never ahead of it)."""
    return today >= session_day


def attendance_rate(marks: Iterable[Mark]) -> float | None:
    """The share of marks that are attendances, or None when no register has been marked."""
    marks = list(marks)
    if not marks:
        return None
    return sum(1 for mark in marks if mark in ATTENDED) / len(marks)


def format_hours(minutes: int) -> str:
    """CPD minutes as hours for people to read: 90 → "1.5", 360 → "6"."""
    hours = round(minutes / 60, 1)
    return f"{hours:g}"


def hours_to_minutes(hours: float) -> int:
    return round(hours * 60)


# The waiting list ---------------------------------------------------------------------------------


def placement(places_taken: int, capacity: int) -> EnrolmentStatus:
    """Where a new enrolment goes: a place while the event has room, otherwise the waiting list."""
    return EnrolmentStatus.ENROLLED if places_taken < capacity else EnrolmentStatus.WAITING


def move_up(
    waiting: Sequence[int], free_places: int, skip: frozenset[int] | set[int] = frozenset()
) -> tuple[list[int], list[int]]:
    """Fill free places from the waiting list, first come first served.

    `waiting` is in waiting-list order; those in `skip` (who hold a place elsewhere on the course, or
    completed it) are passed over and the next person moves up. Returns (moved up, still waiting in
    their new order).
    """
    free = max(0, free_places)
    moved = [item for item in waiting if item not in skip][:free]
    return moved, [item for item in waiting if item not in moved]


# Enrolment rules ---------------------------------------------------------------------------------


def enrolment_conflict(
    name: str,
    course_title: str,
    places_elsewhere: Sequence[str],
    chair_course: bool = False,
    completed_chair_course: str | None = None,
) -> str | None:
    """Why a person should not be given a place on an event, or None when nothing stands in the way.

    One place per person per course: `places_elsewhere` names the course's other events on which they
    hold a place (or completed it). On a chair course, someone who has completed a chair course
    (`completed_chair_course` names it) is not offered another. The TRSG may override either, with a
    reason.
    """
    if chair_course and completed_chair_course:
        return (
            f"{name} has already completed a chair course ({completed_chair_course}): completed chairs "
            "are not offered places on another chair course"
        )
    if places_elsewhere:
        return (
            f"{name} already has a place on {course_title} ({', '.join(places_elsewhere)}): "
            "one place per person per course"
        )
    return None


def session_day_warning(title: str, day: date) -> str | None:
    """A warning when a session falls on a weekend or an England and Wales bank holiday (not a block)."""
    when = f"{title}, {day.strftime('%A')} {day.day} {day.strftime('%B %Y')},"
    holiday = workdays.bank_holiday_name(day)
    if holiday:
        return f"{when} is a bank holiday ({holiday})"
    if day.weekday() >= 5:
        return f"{when} is at the weekend"
    return None


def session_day_warnings(sessions: Iterable[tuple[str, date]]) -> list[str]:
    return [w for title, day in sessions if (w := session_day_warning(title, day)) is not None]


# Certificates --------------------------------------------------------------------------------------


def certificate_kind(is_chair_course: bool, completed: bool, sessions_attended: int) -> str | None:
    """ "completion" for finishing the chair course; "attendance" for attending CPD (the whole event or
    part of it); None when there is nothing to certify (the chair course is certified only when complete)."""
    if is_chair_course:
        return "completion" if completed else None
    return "attendance" if completed or sessions_attended > 0 else None


def describe_days(days: Sequence[date]) -> str:
    """Dates as people write them: "12 June 2024", "3 and 4 June 2024", "30 June and 1 July 2024"."""
    days = sorted(set(days))
    if not days:
        return ""
    same_month = len({(d.year, d.month) for d in days}) == 1
    if same_month:
        parts = [str(d.day) for d in days]
        tail = days[0].strftime(" %B %Y")
    else:
        same_year = len({d.year for d in days}) == 1
        parts = [f"{d.day} {d.strftime('%B')}" + ("" if same_year else f" {d.year}") for d in days]
        tail = f" {days[0].year}" if same_year else ""
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return joined + tail
