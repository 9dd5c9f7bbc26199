"""Working days in England and Wales: weekdays that are not bank holidays.

Bank holidays come from the govuk-bank-holidays package's bundled copy of the GOV.UK data, so nothing is
fetched at run time. For the years after the last one that copy covers, the regular bank holidays are
worked out by the rules that make them (one-off holidays, such as for a coronation, are announced a year or
so ahead and arrive with a newer release of the package).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache, lru_cache

from dateutil.easter import easter
from govuk_bank_holidays.bank_holidays import BankHolidays

MONDAY, SATURDAY = 0, 5


@cache
def published_bank_holidays() -> frozenset[date]:
    """England and Wales bank holidays in the bundled GOV.UK data."""
    data = BankHolidays(use_cached_holidays=True)
    return frozenset(item["date"] for item in data.get_holidays(division=BankHolidays.ENGLAND_AND_WALES))


@cache
def last_published_year() -> int:
    return max(published_bank_holidays()).year


def _mondays(year: int, month: int) -> list[date]:
    first = date(year, month, 1)
    day = first + timedelta(days=(MONDAY - first.weekday()) % 7)
    mondays = []
    while day.month == month:
        mondays.append(day)
        day += timedelta(days=7)
    return mondays


def _next_free_weekday(day: date, taken: set[date]) -> date:
    while day.weekday() >= SATURDAY or day in taken:
        day += timedelta(days=1)
    return day


@cache
def regular_bank_holidays(year: int) -> frozenset[date]:
    """The regular England and Wales bank holidays of a year, by the rules of the Banking and Financial
    Dealings Act 1971 as applied each year: a holiday falling at a weekend moves to the next weekday not
    already a holiday (Christmas on a Saturday gives Monday 27 and Tuesday 28 December)."""
    taken: set[date] = set()
    for fixed in (date(year, 1, 1), date(year, 12, 25), date(year, 12, 26)):
        taken.add(_next_free_weekday(fixed, taken))
    easter_sunday = easter(year)
    taken |= {easter_sunday - timedelta(days=2), easter_sunday + timedelta(days=1)}
    may = _mondays(year, 5)
    taken |= {may[0], may[-1], _mondays(year, 8)[-1]}
    return frozenset(taken)


@cache
def _published_names() -> dict[date, str]:
    data = BankHolidays(use_cached_holidays=True)
    return {
        item["date"]: item["title"] for item in data.get_holidays(division=BankHolidays.ENGLAND_AND_WALES)
    }


def bank_holiday_name(day: date) -> str | None:
    """The name of the England and Wales bank holiday on `day` ("Good Friday"), or None."""
    if day.year <= last_published_year():
        return _published_names().get(day)
    if day not in regular_bank_holidays(day.year):
        return None
    easter_sunday = easter(day.year)
    if day == easter_sunday - timedelta(days=2):
        return "Good Friday"
    if day == easter_sunday + timedelta(days=1):
        return "Easter Monday"
    if day.month == 5:
        return "Early May bank holiday" if day.day <= 7 else "Spring bank holiday"
    if day.month == 8:
        return "Summer bank holiday"
    if day.month == 1:
        return "New Year’s Day"
    christmas = min(d for d in regular_bank_holidays(day.year) if d.month == 12)
    return "Christmas Day" if day == christmas else "Boxing Day"


def is_bank_holiday(day: date) -> bool:
    if day.year <= last_published_year():
        return day in published_bank_holidays()
    return day in regular_bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a bank holiday in England and Wales."""
    return day.weekday() < SATURDAY and not is_bank_holiday(day)


@lru_cache(maxsize=16384)
def add_working_days(day: date, count: int) -> date:
    """The date `count` working days after `day` (before it when negative); `day` itself is not counted.

    Five working days after Friday 22 August 2025 is Monday 1 September, because Monday 25 August is the
    summer bank holiday. Kept for the last few thousand days asked (reports ask it of every meeting).
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
