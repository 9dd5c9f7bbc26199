"""Working days in England and Wales, bank holidays included, from the bundled data."""

from datetime import date

from tracker.core.workdays import add_working_days, bank_holidays, is_working_day, working_days_between


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
    assert date(2026, 12, 28) in bank_holidays()  # Boxing Day substitute
