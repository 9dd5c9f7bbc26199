"""The rules of Level 2 and 3 meetings, as plain functions over plain values: deadlines, review cadence,
level decisions, warnings about a meeting's chair and attendance, and overdue actions.

Every interval the guidance leaves to the area is an area setting with the guidance value as default.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from tracker.auth.models import AgencySector
from tracker.core import settings
from tracker.core.timeutil import format_clock, format_date
from tracker.core.workdays import add_working_days

# The rules about who chairs a meeting live in their own module; they are the meetings' rules too.
from tracker.meetings.models import (
    ActionStatus,
    AttendanceStatus,
    CaseEventKind,
    CaseStatus,
    Level,
    LevelDecision,
    Rsvp,
)

GROUP = "Meetings and deadlines"


def _per_level(key: str, defaults: dict[Level, int], label: str, hint: str, maximum: int) -> dict:
    """One area setting for each meeting level: `{n}` in the key, label and hint is the level's number."""
    return {
        level: settings.define(
            key.format(n=level.number),
            default,
            label.format(n=level.number),
            hint=hint.format(n=level.number),
            group=GROUP,
            minimum=1,
            maximum=maximum,
        )
        for level, default in defaults.items()
    }


INITIAL_DAYS = _per_level(
    "initial_meeting_working_days_level_{n}",
    {Level.LEVEL_2: 20, Level.LEVEL_3: 5},
    "Initial meeting after referral, Level {n} (working days)",
    "The initial Level {n} meeting is due this many working days after the referral.",
    maximum=120,
)
REVIEW_WEEKS = _per_level(
    "review_interval_weeks_level_{n}",
    {Level.LEVEL_2: 16, Level.LEVEL_3: 8},
    "Longest interval between reviews, Level {n} (weeks)",
    "A Level {n} case is reviewed at least this often, or sooner if the meeting sets an earlier date.",
    maximum=52,
)
MINUTES_DAYS = settings.define(
    "minutes_distribution_working_days",
    10,
    "Minutes distributed within (working days)",
    hint="Minutes go to the attending and relevant agencies within this many working days of the meeting.",
    group=GROUP,
    minimum=1,
    maximum=60,
)
DUE_SOON_DAYS = settings.define(
    "review_due_soon_days",
    14,
    "Reviews and initial meetings shown as due soon (days ahead)",
    hint="A review or initial meeting due within this many days is listed as due soon.",
    group=GROUP,
    minimum=1,
    maximum=90,
)

OVERDUE = "overdue"
DUE_SOON = "due soon"
ON_TRACK = "on track"


# Reading the settings ------------------------------------------------------------------------------


def initial_working_days(level: Level) -> int:
    return settings.get(INITIAL_DAYS[level].key)


def review_weeks(level: Level) -> int:
    return settings.get(REVIEW_WEEKS[level].key)


def due_soon_days() -> int:
    return settings.get(DUE_SOON_DAYS.key)


def minutes_working_days() -> int:
    return settings.get(MINUTES_DAYS.key)


# Deadlines -----------------------------------------------------------------------------------------


def initial_meeting_due(referred_on: date, working_days: int) -> date:
    """The date by which the initial meeting must be held: `working_days` working days after referral."""
    return add_working_days(referred_on, working_days)


def latest_review(last_reviewed_on: date, weeks: int) -> date:
    """The latest date the next review may be held: the previous meeting plus the longest interval."""
    return last_reviewed_on + timedelta(weeks=weeks)


def review_due_on(
    *,
    referred_on: date,
    last_reviewed_on: date | None,
    next_review_on: date | None,
    initial_days: int,
    interval_weeks: int,
) -> date:
    """When the case must next be discussed at a meeting.

    Before its first meeting: the initial meeting deadline. After it: whichever is earlier of the review
    date the last meeting set and the longest interval allowed after that meeting. A case brought in with
    a caseload, reviewed before the tracker (no meeting here), is due on the review date it came with.
    """
    if last_reviewed_on is None:
        if next_review_on is not None:
            return next_review_on
        return initial_meeting_due(referred_on, initial_days)
    latest = latest_review(last_reviewed_on, interval_weeks)
    return min(next_review_on, latest) if next_review_on else latest


INITIAL_MEETING = "Initial meeting"
REVIEW = "Review"


def next_meeting_kind(last_reviewed_on: date | None, next_review_on: date | None = None) -> str:
    """What the case's next meeting is: its initial meeting if it has never been discussed, else a review.
    Lists of cases due or overdue say which, so a case never discussed is not called a review. A case
    brought in with its next review date (`next_review_on`, no meeting in the tracker) was discussed
    before the tracker: its next meeting is a review."""
    return INITIAL_MEETING if last_reviewed_on is None and next_review_on is None else REVIEW


def imported_review_problem(next_review_on: date, referred_on: date | None, level: Level | None,
                            weeks: int | None, today: date) -> str | None:
    """Why the next review date a case is brought in with cannot be accepted, or None. The last review
    was no later than today, so, as on the decision form, the next is no later than the longest interval
    for the level after it (a date already passed is a review overdue, and stands)."""
    if referred_on is not None and next_review_on <= referred_on:
        return "The next review must be after the referral"
    if level is None or not level.has_meetings or weeks is None:
        return None
    latest = latest_review(today, weeks)
    if next_review_on > latest:
        return (
            f"The next review must be no later than {latest:%-d %B %Y}: {level.label} cases are "
            f"reviewed at least every {weeks} weeks"
        )
    return None


def deadline_state(due: date | None, today: date, soon_days: int) -> str | None:
    """'overdue' once the date has passed, 'due soon' within `soon_days`, else 'on track' (None: no date)."""
    if due is None:
        return None
    if due < today:
        return OVERDUE
    if due <= today + timedelta(days=soon_days):
        return DUE_SOON
    return ON_TRACK


def needs_meetings(level: Level, status: CaseStatus) -> bool:
    """Only active (or in custody) cases at Level 2 or 3 have meeting deadlines."""
    return level.has_meetings and status is not CaseStatus.EXITED


def latest_referral_due_before(limit: date, working_days: int) -> date:
    """The last referral date whose initial meeting deadline falls before `limit`.

    The deadline moves forward with the referral date, so `referred_on <= this` finds every referral due
    before `limit` in SQL, bank holidays included.
    """
    candidate = limit - timedelta(days=working_days * 2 + 30)
    while initial_meeting_due(candidate + timedelta(days=1), working_days) < limit:
        candidate += timedelta(days=1)
    return candidate


def minutes_due_on(meeting_day: date, working_days: int) -> date:
    """The date by which the minutes must be distributed."""
    return add_working_days(meeting_day, working_days)


# Checks on what people enter -----------------------------------------------------------------------


def meeting_day_problem(day: date, today: date, *, new: bool) -> str | None:
    """Why a meeting cannot be put on this day (a new or moved meeting cannot be in the past), or None."""
    if new and day < today:
        return "The meeting date must be today or in the future"
    return None


def meeting_time_problem(day: date, starts, ends, today: date, *, new: bool) -> str | None:
    """Why a meeting's date and times cannot be accepted, or None."""
    if problem := meeting_day_problem(day, today, new=new):
        return problem
    if starts and ends and ends <= starts:
        return "The end time must be after the start time"
    return None


def next_review_problem(
    meeting_day: date, next_review_on: date | None, level: Level | None, weeks: int | None
) -> str | None:
    """Why a next review date cannot be accepted for a case at `level` (None: no level, no review)."""
    if level is None or not level.has_meetings:
        return None
    if next_review_on is None:
        return "Enter the date of the next review"
    if next_review_on <= meeting_day:
        return "The next review date must be after the meeting"
    latest = latest_review(meeting_day, weeks)
    if next_review_on > latest:
        return (
            f"The next review date must be no later than {latest:%-d %B %Y}: {level.label} cases are "
            f"reviewed at least every {weeks} weeks"
        )
    return None


def not_yet_problem(what: str, meeting_day: date, today: date) -> str | None:
    """What a meeting records as it happens (`what`: "The level decision", "Attendance") is recorded only
    from the day of the meeting: the message saying so before then, or None."""
    if meeting_day > today:
        return f"{what} can be recorded from the day of the meeting, {meeting_day:%-d %B %Y}"
    return None


def held_too_soon_problem(starts_at: datetime, now: datetime) -> str | None:
    """A meeting is recorded as held only once it has started, not from the start of its day (its cases
    would count as reviewed before anyone met): the message saying from when, or None."""
    when = f"{format_clock(starts_at)} on {format_date(starts_at)}"
    return f"You can record this meeting as held from {when}" if now < starts_at else None


def decision_date_problem(meeting_day: date, today: date) -> str | None:
    """A level decision changes the case and its review date, so it is recorded only once the meeting
    has come: recording it beforehand would move the case's deadline for a review not yet held."""
    return not_yet_problem("The level decision", meeting_day, today)


def attendance_date_problem(meeting_day: date, today: date) -> str | None:
    """Who attended (and who walked in) is known only once the meeting has come: recorded beforehand it
    would show the meeting as attended, and the Responsible Authority as represented, before it met."""
    return not_yet_problem("Attendance", meeting_day, today)


def assessment_date_problem(assessed_on: date | None, today: date, born_on: date | None = None) -> str | None:
    """A risk assessment is dated when it was done: not in the future, nor before the person was born (a
    year typed wrongly, such as 1900 for 2000)."""
    if assessed_on is not None and assessed_on > today:
        return "The date of the assessment must be today or in the past"
    if assessed_on is not None and born_on is not None and assessed_on <= born_on:
        return f"The date of the assessment must be after the person's date of birth, {format_date(born_on)}"
    return None


def slot_problem(starts, ends, meeting_starts, meeting_ends) -> str | None:
    """Why an agenda time slot does not fit in its meeting (times of day, London), or None."""
    outside = (starts and not meeting_starts <= starts < meeting_ends) or (
        ends and not meeting_starts < ends <= meeting_ends
    )
    if outside:
        return f"The time slot must be within the meeting, {meeting_starts:%H:%M} to {meeting_ends:%H:%M}"
    return None


def agenda_in_time_order(slots: list) -> list[int]:
    """The running order of an agenda, given each item's slot start (None: no slot) in its current order:
    the indexes of the items, the ones with a slot in order of start time in the places those items hold
    (those starting together keep their order), the ones without keeping the places the chair gave them.
    The numbers the agenda, its PDF and the minutes give the cases follow this order."""
    timed = [index for index, starts in enumerate(slots) if starts is not None]
    by_time = iter(sorted(timed, key=lambda index: slots[index]))
    return [next(by_time) if starts is not None else index for index, starts in enumerate(slots)]


def agenda_move_problem(upper_starts, lower_starts) -> str | None:
    """Why two neighbouring agenda items cannot swap places (the lower one moving up): both have a time
    slot and the lower one starts later, so the agenda would no longer run in time order."""
    if upper_starts is not None and lower_starts is not None and lower_starts > upper_starts:
        return "Cases with a time slot are listed by their start time: change the time slot to move the case"
    return None


def level_after_decision(current: Level, decision: LevelDecision) -> Level | None:
    """The case's level after a meeting's decision; None when the case leaves MAPPA meeting management."""
    if decision is LevelDecision.EXIT:
        return None
    if decision is LevelDecision.RAISE:
        return Level.LEVEL_3
    if decision is LevelDecision.LOWER:
        return Level.LEVEL_2 if current is Level.LEVEL_3 else Level.LEVEL_1
    return current


def level_decision_problem(current: Level, decision: LevelDecision) -> str | None:
    if decision is LevelDecision.RAISE and current is Level.LEVEL_3:
        return "A Level 3 case cannot be raised: choose to retain it at Level 3"
    if decision is LevelDecision.LOWER and current is Level.LEVEL_1:
        return "A Level 1 case cannot be lowered"
    return None


def case_after_event(
    status: CaseStatus, level: Level, kind: CaseEventKind, new_level: Level | None
) -> tuple[CaseStatus, Level]:
    """A case's status and level after a recorded event. Raises ValueError (a message for the form)
    when the event does not fit the case as it stands."""
    if status is CaseStatus.EXITED and kind is not CaseEventKind.REFERRED:
        raise ValueError("This case has exited MAPPA: refer it again before recording anything else")
    if kind is CaseEventKind.LEVEL_CHANGED:
        if new_level is None:
            raise ValueError("Select the new level")
        if new_level is level:
            raise ValueError(f"The case is already at {level.label}: select a different level")
        return status, new_level
    if kind in (CaseEventKind.RECALLED, CaseEventKind.CUSTODY_OTHER):
        if status is CaseStatus.IN_CUSTODY:
            raise ValueError("The person is already recorded as in custody")
        return CaseStatus.IN_CUSTODY, level
    if kind is CaseEventKind.RELEASED:
        if status is not CaseStatus.IN_CUSTODY:
            raise ValueError("The person is not recorded as in custody")
        return CaseStatus.ACTIVE, level
    if kind is CaseEventKind.EXITED:
        return CaseStatus.EXITED, level
    return CaseStatus.ACTIVE, new_level or level


# Warnings on the meeting page ----------------------------------------------------------------------

REQUIRED_SECTORS = (AgencySector.POLICE, AgencySector.PROBATION)


def required_ra_sectors(any_case_in_custody: bool) -> list[AgencySector]:
    """The Responsible Authority agencies expected at a meeting: prisons too when a person discussed is in
    (or due out of) custody."""
    return [*REQUIRED_SECTORS, AgencySector.PRISONS] if any_case_in_custody else list(REQUIRED_SECTORS)


def represents(rsvp: Rsvp, attendance: AttendanceStatus | None, deputy_name: str) -> bool:
    """Whether an invitation counts as its agency being represented.

    Once attendance is recorded: present, or a named deputy went instead. Before that: invited and not
    declined (or declined with a deputy named).
    """
    if attendance is not None:
        return attendance is AttendanceStatus.PRESENT or bool(deputy_name.strip())
    return rsvp is not Rsvp.DECLINED or bool(deputy_name.strip())


def represented_at_meeting(attendance: AttendanceStatus | None, deputy_name: str) -> bool:
    """Whether an invitation counts as its agency being represented in the meeting's minutes: only once
    attendance is recorded (present, or a named deputy went instead); a reply is not attendance."""
    return attendance is not None and (attendance is AttendanceStatus.PRESENT or bool(deputy_name.strip()))


def missing_ra_sectors(
    required: Iterable[AgencySector], represented: Iterable[AgencySector]
) -> list[AgencySector]:
    """Responsible Authority agencies expected but not represented, in the order they were required."""
    present = set(represented)
    return [sector for sector in required if sector not in present]


def action_is_overdue(status: ActionStatus, due_on: date, today: date) -> bool:
    return status is ActionStatus.OPEN and due_on < today


def action_due_problem(due_on: date, meeting_day: date) -> str | None:
    if due_on < meeting_day:
        return "The due date must be on or after the date of the meeting"
    return None


def next_meeting_reference(year: int, last_number: int | None) -> str:
    """Meeting references run within each year: M-2026-0001, M-2026-0002, ..."""
    return f"M-{year}-{(last_number or 0) + 1:04d}"
