"""Working days in England and Wales: weekdays that are not bank holidays.

Bank holidays come from the govuk-bank-holidays package's bundled copy of the GOV.UK data, so nothing is
fetched at run time. Beyond the last year that copy covers, only weekends are skipped.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache

from govuk_bank_holidays.bank_holidays import BankHolidays


@cache
def bank_holidays() -> frozenset[date]:
    """England and Wales bank holidays known to the bundled data."""
    data = BankHolidays(use_cached_holidays=True)
    return frozenset(item["date"] for item in data.get_holidays(division=BankHolidays.ENGLAND_AND_WALES))


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in bank_holidays()


def add_working_days(day: date, count: int) -> date:
    """The date `count` working days after `day` (before it when negative); `day` itself is not counted.

    Five working days after Friday 22 August 2025 is Monday 1 September, because Monday 25 August is the
    summer bank holiday.
    """
    step = timedelta(days=1 if count >= 0 else -1)
    remaining = abs(count)
    current = day
    while remaining:
        current += step
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """How many working days fall after `start` up to and including `end` (negative if `end` is earlier)."""
    if end < start:
        return -working_days_between(end, start)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
