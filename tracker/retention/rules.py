"""The retention rules: when a record falls due for review, and whether it may be disposed of.

Every period is an area setting whose default is named as a default (the area's information sharing
agreement and retention schedule decide). The rules are plain functions over plain values; the daily
command (`services.find_due`) and the pages call them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tracker.core import settings
from tracker.core.timeutil import format_date

GROUP = "Retention and disposal"

CASE_YEARS_AFTER_EXIT = settings.define(
    "retention_case_years_after_exit",
    10,
    "Review a case this many years after it exits MAPPA",
    hint=(
        "Default 10 years: the review cycle the Management of Police Information guidance sets for "
        "records of certain public protection matters. Change it to your information sharing agreement's."
    ),
    group=GROUP,
    minimum=1,
    maximum=100,
)
CASE_REVIEW_AGE = settings.define(
    "retention_case_review_age",
    100,
    "Review a case when the person would be this age",
    hint=(
        "Default 100: public protection records are commonly kept until the person would be 100, "
        "whether or not the case has exited MAPPA."
    ),
    group=GROUP,
    minimum=18,
    maximum=130,
)
TRAINING_YEARS = settings.define(
    "retention_training_years",
    6,
    "Review a training record this many years after the person's last training",
    hint="Default 6 years (the six-year limitation period usual for staff records). Applies to people "
    "without an active account: an account holder's training is still in use.",
    group=GROUP,
    minimum=1,
    maximum=50,
)
EVALUATION_YEARS = settings.define(
    "retention_evaluation_years",
    3,
    "Review an evaluation's answers this many years after it closed",
    hint="Default 3 years: enough for the annual reports that quote them. Disposal removes the written "
    "answers and who answered; the ratings the reports count are kept.",
    group=GROUP,
    minimum=1,
    maximum=50,
)

# The rules a review can name, by key: what a person reads on the review page and in the erasure entry.
RULES = {
    "case-exit": "Years after the case exited MAPPA",
    "case-age": "The person would have reached the review age",
    "training": "Years after the person's last training",
    "evaluation": "Years after the evaluation closed",
}


@dataclass(frozen=True)
class Due:
    """A record's review date under one rule."""

    on: date
    rule: str

    @property
    def rule_label(self) -> str:
        return RULES[self.rule]


def add_years(day: date, years: int) -> date:
    """The same day `years` later (29 February becomes 28 February in a year that has none)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def case_due(
    *, date_of_birth: date | None, exited_on: date | None, years_after_exit: int, review_age: int
) -> Due | None:
    """When a case falls due for review: the earlier of `years_after_exit` after it exited MAPPA (only
    if it has exited) and the day the person would reach `review_age`."""
    candidates = []
    if exited_on is not None:
        candidates.append(Due(add_years(exited_on, years_after_exit), "case-exit"))
    if date_of_birth is not None:
        candidates.append(Due(add_years(date_of_birth, review_age), "case-age"))
    return min(candidates, key=lambda due: due.on) if candidates else None


def training_due(last_training: date | None, years: int) -> Due | None:
    """When a training record falls due: `years` after the person's last training."""
    return Due(add_years(last_training, years), "training") if last_training else None


def evaluation_due(closed_on: date, years: int) -> Due:
    """When an evaluation's answers fall due: `years` after the evaluation closed."""
    return Due(add_years(closed_on, years), "evaluation")


def is_due(due: Due | None, retained_until: date | None, today: date) -> bool:
    """Whether a record is to be listed for review today: its rule's date has come, and no decision to
    retain it has set a later review date."""
    if due is None or due.on > today:
        return False
    return retained_until is None or retained_until <= today


def retain_refusal(
    reason: str, review_on: date | None, today: date, latest: date | None = None
) -> dict[str, str]:
    """What is wrong with a decision to retain, by field: a reason, and a review date after today and no
    later than `latest` (`latest_review`): a date decades away would keep the record unreviewed for good."""
    problems = {}
    if not reason.strip():
        problems["reason"] = "Enter why the record is kept"
    if review_on is None:
        problems["review_on"] = "Enter the date of the next review"
    elif review_on <= today:
        problems["review_on"] = "The date of the next review must be in the future"
    elif latest is not None and review_on > latest:
        problems["review_on"] = (
            f"The next review must be no later than {format_date(latest)}, the longest review cycle in the "
            "settings from today"
        )
    return problems


def latest_review(today: date) -> date:
    """The latest date a retained record's next review may be set for: the longest of the review cycles
    the area's settings give (a case after its exit, a training record, an evaluation) from today."""
    cycles = (CASE_YEARS_AFTER_EXIT, TRAINING_YEARS, EVALUATION_YEARS)
    return add_years(today, max(settings.get(cycle.key) for cycle in cycles))


def disposal_refusal(
    *, decided: bool, legal_hold: bool, already_disposed: bool, still_managed: bool = False
) -> str | None:
    """Why a record cannot be disposed of now, or None if it can: only after a recorded decision to
    dispose of it, never under a legal hold, never while the case is still managed under MAPPA (its
    exit is recorded first), and only once."""
    if already_disposed:
        return "This record has already been disposed of."
    if legal_hold:
        return "This case is under a legal hold, so it cannot be disposed of. Lift the hold first."
    if still_managed:
        return "This case is still managed under MAPPA. Record its exit from MAPPA before disposing of it."
    if not decided:
        return "A record is disposed of only after a decision to dispose of it is recorded."
    return None
