"""Unusual patterns in the audit trail, for the co-ordinator's and system admin's review of the log: one
person opening many cases they have no part in, and files exported in bulk out of hours; the area
settings that would contradict one another; and what a second admin refusing a request must say.

The rules are plain functions over plain values (who, which case, when); the thresholds are area settings.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from tracker.core import settings
from tracker.core.timeutil import london
from tracker.core.workdays import is_working_day
from tracker.evaluations.rules import OPEN_DAYS, REMINDER_GAP_DAYS
from tracker.meetings.models import Level
from tracker.meetings.rules import INITIAL_DAYS, REVIEW_WEEKS
from tracker.training.rules.chairs import CPD_LAPSE_MONTHS, CPD_WARNING_MONTHS

UNUSUAL_CASES = settings.define(
    "unusual_cases_opened",
    20,
    "Cases opened without a part in them before it is flagged",
    hint="The log review flags anyone who, within the period below, opens this many different cases "
    "they have no part in (those they gave a reason for).",
    group="Data protection",
    minimum=2,
    maximum=10000,
)
UNUSUAL_DAYS = settings.define(
    "unusual_period_days",
    7,
    "Days the log review looks back over for unusual patterns",
    group="Data protection",
    minimum=1,
    maximum=366,
)
OUT_OF_HOURS_EXPORTS = settings.define(
    "out_of_hours_exports",
    5,
    "Files exported out of hours in one day before it is flagged",
    hint="Out of hours: before the working day starts, after it ends, at weekends and on bank holidays.",
    group="Data protection",
    minimum=1,
    maximum=10000,
)
WORKING_DAY_STARTS = settings.define(
    "working_day_starts_hour",
    8,
    "Working day starts (hour, 0 to 23)",
    group="Data protection",
    minimum=0,
    maximum=23,
)
WORKING_DAY_ENDS = settings.define(
    "working_day_ends_hour",
    18,
    "Working day ends (hour, 1 to 24)",
    group="Data protection",
    minimum=1,
    maximum=24,
)


@dataclass(frozen=True)
class ManyCases:
    """Someone who opened `count` different cases they have no part in."""

    actor: str
    count: int


@dataclass(frozen=True)
class BulkExport:
    """Someone who exported `count` files out of hours on one (London) day."""

    actor: str
    day: date
    count: int


def many_cases_without_a_part(openings: Iterable[tuple[str, int]], threshold: int) -> list[ManyCases]:
    """From (who, case id) pairs of cases opened on a reason given (no part in the case), those who
    opened at least `threshold` different cases, most first."""
    cases: dict[str, set[int]] = defaultdict(set)
    for actor, case_id in openings:
        cases[actor].add(case_id)
    found = [ManyCases(actor, len(ids)) for actor, ids in cases.items() if len(ids) >= threshold]
    return sorted(found, key=lambda f: (-f.count, f.actor))


def out_of_hours(moment: datetime, starts_hour: int, ends_hour: int) -> bool:
    """Whether a moment (UTC) is outside the working day in London: before it starts, from when it ends,
    or on a day that is not a working day (a weekend or a bank holiday)."""
    local = london(moment)
    if not is_working_day(local.date()):
        return True
    return not (starts_hour <= local.hour < ends_hour)


def bulk_exports_out_of_hours(
    exports: Iterable[tuple[str, datetime]], threshold: int, starts_hour: int, ends_hour: int
) -> list[BulkExport]:
    """From (who, when) pairs of exports, those who exported at least `threshold` files out of hours on
    one London day, latest day first."""
    counts: Counter[tuple[str, date]] = Counter(
        (actor, london(moment).date())
        for actor, moment in exports
        if out_of_hours(moment, starts_hour, ends_hour)
    )
    found = [BulkExport(actor, day, n) for (actor, day), n in counts.items() if n >= threshold]
    return sorted(found, key=lambda f: (f.day, f.count), reverse=True)


# Area settings that contradict one another --------------------------------------------------------


def working_day_problem(starts_hour: int, ends_hour: int) -> str | None:
    """A working day ends after it starts (the day runs from the hour it starts to the hour it ends)."""
    if ends_hour <= starts_hour:
        return f"The working day must end after it starts: enter an hour later than {starts_hour}"
    return None


def cpd_warning_problem(lapse_months: int, warning_months: int) -> str | None:
    """The warning comes before CPD lapses: a warning as long as the time CPD lasts would list every
    chair from the day of their CPD."""
    if warning_months >= lapse_months:
        return (
            "The warning before a chair's CPD lapses must be shorter than the time before it lapses: "
            f"enter fewer than {lapse_months} months"
        )
    return None


def review_interval_problem(level_2_weeks: int, level_3_weeks: int) -> str | None:
    """Level 3 cases carry the highest risk: they are reviewed at least as often as Level 2 cases."""
    if level_3_weeks > level_2_weeks:
        return (
            "Level 3 cases must be reviewed at least as often as Level 2 cases: enter "
            f"{level_2_weeks} weeks or fewer"
        )
    return None


def initial_meeting_problem(level_2_days: int, level_3_days: int) -> str | None:
    """A Level 3 referral carries the highest risk: its initial meeting is due no later than a Level 2
    one's."""
    if level_3_days > level_2_days:
        return (
            "A Level 3 initial meeting must be due no later than a Level 2 one: enter "
            f"{level_2_days} working days or fewer"
        )
    return None


def reminder_gap_problem(open_days: int, gap_days: int) -> str | None:
    """The first reminder goes the gap after the links, and an evaluation is open for the days set from
    the day they go: a gap as long as that would remind nobody before it closes."""
    if gap_days >= open_days:
        return (
            "The gap between evaluation reminders must be shorter than the time an evaluation stays open: "
            f"enter fewer than {open_days} days"
        )
    return None


def repeated_entry(entries: Iterable[str]) -> str | None:
    """The first entry of a list that repeats an earlier one (trimmed, whatever its capitals), or None."""
    seen: set[str] = set()
    for entry in entries:
        wanted = entry.strip().casefold()
        if wanted in seen:
            return entry.strip()
        seen.add(wanted)
    return None


def offered_entry(entries: Iterable[str], offered: Iterable[str]) -> str | None:
    """The first entry of a list that the page choosing from it offers anyway (such as "Other", with the
    reason typed), whatever its capitals, or None."""
    always = {choice.casefold() for choice in offered}
    return next((entry.strip() for entry in entries if entry.strip().casefold() in always), None)


def settings_problems(values: Mapping[str, object]) -> dict[str, str]:
    """The contradictions among the area settings as they would be saved, each under the key of the
    setting shown as wrong (the second of its pair). A value that is not a number yet is not compared:
    give None for one with a problem of its own (out of range), so that its pair is not blamed for it."""
    level_2, level_3 = REVIEW_WEEKS[Level.LEVEL_2].key, REVIEW_WEEKS[Level.LEVEL_3].key
    pairs = (
        (working_day_problem, WORKING_DAY_STARTS.key, WORKING_DAY_ENDS.key),
        (cpd_warning_problem, CPD_LAPSE_MONTHS.key, CPD_WARNING_MONTHS.key),
        (review_interval_problem, level_2, level_3),
        (initial_meeting_problem, INITIAL_DAYS[Level.LEVEL_2].key, INITIAL_DAYS[Level.LEVEL_3].key),
        (reminder_gap_problem, OPEN_DAYS.key, REMINDER_GAP_DAYS.key),
    )
    problems = {}
    for rule, first, second in pairs:
        one, other = values.get(first), values.get(second)
        if isinstance(one, int) and isinstance(other, int) and (problem := rule(one, other)):
            problems[second] = problem
    return problems


# A second admin refusing access another asked for ------------------------------------------------

# The longest reason a refusal keeps (the audit trail's reason, where it is kept).
REFUSAL_REASON_LIMIT = 500
# How long the home page of the admin who asked shows a refusal of their request.
REFUSAL_SHOWN_DAYS = 14


def refusal_problem(reason: str | None) -> str | None:
    """What is wrong with the reason a second admin gives for refusing a request (None if nothing): the
    admin who asked is told it, so one is needed, and it must fit where it is kept."""
    reason = (reason or "").strip()
    if not reason:
        return "Enter why you are refusing the request"
    if len(reason) > REFUSAL_REASON_LIMIT:
        return f"The reason must be {REFUSAL_REASON_LIMIT} characters or fewer"
    return None
