"""Working days in England and Wales: bank holidays from the bundled data, then by rule."""

from datetime import date

import pytest

from tracker.core.workdays import (
    add_working_days,
    is_working_day,
    last_published_year,
    published_bank_holidays,
    regular_bank_holidays,
    working_days_between,
)

# Years whose holidays were moved or added by proclamation: jubilees, VE Day's 75th, a state funeral and
# a coronation.
ONE_OFF_YEARS = {2012, 2020, 2022, 2023}


def test_weekends_and_bank_holidays_are_not_working_days():
    assert is_working_day(date(2025, 8, 22))  # a Friday
    assert not is_working_day(date(2025, 8, 23))  # Saturday
    assert not is_working_day(date(2025, 8, 25))  # summer bank holiday
    assert not is_working_day(date(2025, 12, 25))
    assert not is_working_day(date(2026, 4, 3))  # Good Friday 2026


def test_adding_working_days_skips_weekends_and_bank_holidays():
    assert add_working_days(date(2025, 8, 22), 1) == date(2025, 8, 26)
    assert add_working_days(date(2025, 8, 22), 5) == date(2025, 9, 1)
    # Christmas 2025: Thursday 25 and Friday 26 December are bank holidays.
    assert add_working_days(date(2025, 12, 24), 1) == date(2025, 12, 29)


def test_subtracting_working_days_goes_back_over_holidays():
    assert add_working_days(date(2025, 8, 26), -1) == date(2025, 8, 22)


def test_counting_working_days_between_two_dates():
    assert working_days_between(date(2025, 8, 22), date(2025, 9, 1)) == 5
    assert working_days_between(date(2025, 9, 1), date(2025, 8, 22)) == -5
    assert working_days_between(date(2025, 8, 22), date(2025, 8, 22)) == 0


def test_the_bundled_data_covers_the_coming_years_without_the_network():
    assert date(2026, 12, 28) in published_bank_holidays()  # Boxing Day substitute
    assert last_published_year() >= 2027


@pytest.mark.parametrize(
    "year", [y for y in range(2013, last_published_year() + 1) if y not in ONE_OFF_YEARS]
)
def test_the_rules_give_every_published_year_of_regular_holidays(year):
    published = {day for day in published_bank_holidays() if day.year == year}
    assert regular_bank_holidays(year) == published


def test_after_the_published_years_the_rules_decide():
    # 2032: Christmas on a Saturday, so Monday 27 and Tuesday 28 December; Easter Sunday 28 March.
    assert regular_bank_holidays(2032) == {
        date(2032, 1, 1),
        date(2032, 3, 26),
        date(2032, 3, 29),
        date(2032, 5, 3),
        date(2032, 5, 31),
        date(2032, 8, 30),
        date(2032, 12, 27),
        date(2032, 12, 28),
    }
    assert not is_working_day(date(2032, 12, 28))
    assert add_working_days(date(2032, 12, 24), 1) == date(2032, 12, 29)
    # 2033: New Year's Day on a Saturday moves to Monday 3 January.
    assert not is_working_day(date(2033, 1, 3))
