"""Attendance and what follows from it: completion and CPD, the waiting list, the enrolment rules,
session days, and certificates."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from tracker.core import workdays
from tracker.core.permissions import Role
from tracker.training.models import EnrolmentStatus, Mark, TraineeRole

# Present, late and left early all mean the person was there ("everyone who attended", whom the TRSG
# may email); only absent does not. Completion and attendance rates follow the course's own rule
# (`CompletionRule`), where left early counts only if the course says so.
ATTENDED = frozenset({Mark.PRESENT, Mark.LATE, Mark.LEFT_EARLY})

# Completion and CPD --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompletionRule:
    """A course's completion rule: the marks that count as attending a session (present and late by
    default; left early only if the course says so), and how many sessions must be attended (None:
    every scheduled session)."""

    counted: frozenset[Mark] = frozenset({Mark.PRESENT, Mark.LATE})
    sessions_required: int | None = None

    def required_of(self, total: int) -> int:
        """Sessions needed out of `total` scheduled: never more than there are."""
        if self.sessions_required is None:
            return total
        return min(max(self.sessions_required, 1), total)

    def describe(self, total: int | None = None) -> str:
        """The rule in words, for the register and the course's page."""
        marks = [mark.label.lower() for mark in Mark if mark in self.counted]
        counted = " and ".join([", ".join(marks[:-1]), marks[-1]] if len(marks) > 1 else marks)
        if self.sessions_required is None:
            sessions = "every session"
        else:
            needed = self.required_of(total) if total else self.sessions_required
            sessions = f"{needed} session{'s' if needed != 1 else ''}"
            if total:
                sessions += f" of {total}"
        return (
            f"{counted.capitalize()} count as attending. A person completes the event by attending "
            f"{sessions}."
        )


DEFAULT_RULE = CompletionRule()


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


def outcome(
    marks: Sequence[tuple[date, Mark | None]], event_cpd_minutes: int, rule: CompletionRule = DEFAULT_RULE
) -> Outcome:
    """Completion and CPD from (session date, mark) for every scheduled session of an event.

    A session counts as attended when its mark is one the course's `rule` counts (present or late by
    default). Complete when the rule's number of sessions are attended (every one by default), on the
    day the last of them was reached. CPD minutes are earned session by session: the event's minutes
    shared equally between its sessions, so someone at one day of a two-day development day earns half.
    """
    attended_days = sorted(day for day, mark in marks if mark in rule.counted)
    total = len(marks)
    needed = rule.required_of(total)
    complete = total > 0 and len(attended_days) >= needed
    minutes = event_cpd_minutes * len(attended_days) // total if total else 0
    return Outcome(
        sessions_attended=len(attended_days),
        cpd_minutes=minutes,
        completed_on=attended_days[needed - 1] if complete else None,
        last_attended_on=max(attended_days, default=None),
    )


def as_overridden(outcome: Outcome, override: EnrolmentStatus | None, in_full: Outcome) -> Outcome:
    """What the registers' `outcome` counts for once the TRSG set the outcome by hand (`override`): their
    word on attendance too, so that CPD, the chairs' register and the participant counts agree with the
    certificate. Completed against the registers counts as every session attended (`in_full`, the
    outcome of attending them all); another outcome where the registers say complete credits no
    session, as the registers were overruled and cannot say which were attended."""
    if override is EnrolmentStatus.COMPLETED and not outcome.complete:
        return in_full
    if override not in (None, EnrolmentStatus.COMPLETED) and outcome.complete:
        return Outcome(sessions_attended=0, cpd_minutes=0, completed_on=None, last_attended_on=None)
    return outcome


def register_open(session_day: date, today: date) -> bool:
    """A register can be marked from the day of its session (never ahead of it), and afterwards."""
    return today >= session_day


def from_paper(session_day: date, today: date) -> bool:
    """Marks entered after the day of the session are taken from the paper sign-in sheet."""
    return today > session_day


def event_ended(ends_at: datetime | None, now: datetime) -> bool:
    """An event has ended once its last scheduled session has (an event with none never ends)."""
    return ends_at is not None and ends_at <= now


def event_begun(starts_at: datetime | None, now: datetime) -> bool:
    """An event has begun once its first scheduled session has started. From then on a place freed is no
    use to anyone on the waiting list: nobody moves up into a course already under way."""
    return starts_at is not None and starts_at <= now


def attendance_rate(marks: Iterable[Mark], rule: CompletionRule = DEFAULT_RULE) -> float | None:
    """The share of marks that count as attending under the course's completion `rule`, or None when no
    register has been marked."""
    marks = list(marks)
    if not marks:
        return None
    return sum(1 for mark in marks if mark in rule.counted) / len(marks)


def format_hours(minutes: int) -> str:
    """CPD minutes as hours for people to read: 90 → "1.5", 360 → "6"."""
    hours = round(minutes / 60, 1)
    return f"{hours:g}"


def hours_to_minutes(hours: float) -> int:
    return round(hours * 60)


def cpd_hours_refused(minutes: int, course: bool = False) -> str | None:
    """Why a CPD course's, or a CPD event's, hours will not do: every event of a CPD course (a Chairs'
    Forum, a development day, a briefing) earns CPD (`CourseEvent.earns_cpd`), so each needs what it is
    worth, more than 0 (a chair course earns none, and is not asked). None when they will."""
    if minutes > 0:
        return None
    worth = "a whole event of this course is worth" if course else "attending the whole event is worth"
    return f"Enter the CPD hours {worth}, more than 0: every CPD event earns CPD hours"


# The waiting list ---------------------------------------------------------------------------------


def placement(places_taken: int, capacity: int) -> EnrolmentStatus:
    """Where a new enrolment goes: a place while the event has room, otherwise the waiting list."""
    return EnrolmentStatus.ENROLLED if places_taken < capacity else EnrolmentStatus.WAITING


def move_up(
    waiting: Sequence[int], free_places: int, skip: frozenset[int] | set[int] = frozenset()
) -> tuple[list[int], list[int]]:
    """Fill free places from the waiting list, first come first served.

    `waiting` is in waiting-list order; those in `skip` (who hold a place elsewhere on the course or on
    another chair course, or completed it) are passed over and the next person moves up. Returns (moved
    up, still waiting in their new order).
    """
    free = max(0, free_places)
    moved = [item for item in waiting if item not in skip][:free]
    return moved, [item for item in waiting if item not in moved]


# Enrolment rules ---------------------------------------------------------------------------------

# The capacities whose accounts read case records (a chair's and an administrator's roles do).
CASE_RECORD_ROLES = frozenset({TraineeRole.CHAIR, TraineeRole.ADMINISTRATOR})


def enrolment_conflict(
    name: str,
    course_title: str,
    places_elsewhere: Sequence[str],
    chair_course: bool = False,
    completed_chair_course: str | None = None,
    chair_places: Sequence[str] = (),
) -> str | None:
    """Why a person should not be given a place on an event, or None when nothing stands in the way.

    One place per person per course: `places_elsewhere` names the course's other events on which they
    hold a place (or completed it). On a chair course, someone who has completed a chair course
    (`completed_chair_course` names it) is not offered another, and someone who holds a place or a
    waiting-list place on an upcoming event of any chair course (`chair_places` names each, with its
    course and the place) is not offered a second: they would keep it once they complete this one. The
    TRSG may override any of these, with a reason.
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
    if chair_course and chair_places:
        return (
            f"{name} already has a place on another chair course event ({'; '.join(chair_places)}): "
            "a chair takes one chair course at a time"
        )
    return None


def role_refused(
    name: str,
    role: TraineeRole,
    account_roles: Iterable[Role],
    agency: str = "",
    agency_holds_case_records: bool = True,
) -> str | None:
    """Why someone may not attend in this capacity, or None.

    Chairs and MAPPA administrators read case records, so no one in an agency that holds none (`agency`,
    the Board's lay advisers) attends as either: the rule of the admin's account form, which gives no one
    there a role that reads case records (the chairs' register and the annual report would otherwise
    count them as trained chairs). Lay advisers are members of the public on the Board: they do not
    chair meetings, so they never train as chairs, unless their account also holds the chair role."""
    roles = set(account_roles)
    if role is TraineeRole.CHAIR and Role.LAY_ADVISER in roles and Role.CHAIR not in roles:
        return (
            f"{name} is a lay adviser: lay advisers do not chair MAPPA meetings, so they cannot attend "
            "as a chair. Choose agency staff"
        )
    if role in CASE_RECORD_ROLES and not agency_holds_case_records:
        capacity = "a chair" if role is TraineeRole.CHAIR else "a MAPPA administrator"
        return (
            f"{name} is in {agency or 'an agency'}, which holds no case records: {capacity} reads them, "
            f"so {name} cannot attend as {capacity}. Choose agency staff"
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


# How far back and ahead a session may be dated: further is a year typed wrongly (1900 for 2025), which
# would also stretch every reporting-year picker back to it.
SESSION_YEARS_BACK = 10
SESSION_YEARS_AHEAD = 3


def session_day_refused(day: date, today: date) -> str | None:
    """Why a session (or an event's first day) cannot be on `day`: more than `SESSION_YEARS_BACK` years
    before `today` or `SESSION_YEARS_AHEAD` after it. None when it can."""
    earliest = _years_from(today, -SESSION_YEARS_BACK)
    latest = _years_from(today, SESSION_YEARS_AHEAD)
    if day < earliest:
        return f"The date must be {_written(earliest)} or later: no more than {SESSION_YEARS_BACK} years ago"
    if day > latest:
        ahead = SESSION_YEARS_AHEAD
        return f"The date must be {_written(latest)} or earlier: no more than {ahead} years ahead"
    return None


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)


def _written(day: date) -> str:
    return f"{day.day} {day.strftime('%B %Y')}"


# Certificates --------------------------------------------------------------------------------------


def certificate_kind(is_chair_course: bool, completed: bool) -> str | None:
    """ "completion" for completing the chair course; "attendance" for completing a CPD event; None
    for anyone else: certificates are only for those whose outcome is Completed."""
    if not completed:
        return None
    return "completion" if is_chair_course else "attendance"


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
