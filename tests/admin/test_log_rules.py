"""The unusual-pattern rules of the log review, on plain values."""

from datetime import UTC, date, datetime

from tracker.admin import rules


def test_many_cases_counts_different_cases_and_flags_from_the_threshold():
    openings = [("amy@example.org", n) for n in (1, 2, 3, 3, 3)] + [("ben@example.org", n) for n in (1, 2)]
    assert rules.many_cases_without_a_part(openings, 3) == [rules.ManyCases("amy@example.org", 3)]
    assert rules.many_cases_without_a_part(openings, 2) == [
        rules.ManyCases("amy@example.org", 3),
        rules.ManyCases("ben@example.org", 2),
    ]
    assert rules.many_cases_without_a_part(openings, 4) == []


def test_out_of_hours_is_read_in_london_time_with_weekends_and_bank_holidays():
    # Wednesday 1 July 2026: London is on summer time (UTC+1).
    assert not rules.out_of_hours(datetime(2026, 7, 1, 7, 0, tzinfo=UTC), 8, 18)  # 08:00 in London
    assert rules.out_of_hours(datetime(2026, 7, 1, 6, 59, tzinfo=UTC), 8, 18)  # 07:59
    assert rules.out_of_hours(datetime(2026, 7, 1, 17, 0, tzinfo=UTC), 8, 18)  # 18:00, the day has ended
    # Wednesday 2 December 2026: GMT.
    assert not rules.out_of_hours(datetime(2026, 12, 2, 17, 59, tzinfo=UTC), 8, 18)
    assert rules.out_of_hours(datetime(2026, 12, 5, 12, 0, tzinfo=UTC), 8, 18)  # a Saturday
    assert rules.out_of_hours(datetime(2026, 12, 25, 12, 0, tzinfo=UTC), 8, 18)  # Christmas Day


def test_bulk_exports_out_of_hours_are_counted_per_person_per_london_day():
    late = [datetime(2026, 12, 2, 22, minute, tzinfo=UTC) for minute in range(5)]
    daytime = [datetime(2026, 12, 2, 11, minute, tzinfo=UTC) for minute in range(9)]
    exports = [("amy@example.org", t) for t in late + daytime] + [("ben@example.org", late[0])]
    assert rules.bulk_exports_out_of_hours(exports, 5, 8, 18) == [
        rules.BulkExport("amy@example.org", date(2026, 12, 2), 5)
    ]
    assert rules.bulk_exports_out_of_hours(exports, 6, 8, 18) == []
    # A longer working day makes the same exports ordinary.
    assert rules.bulk_exports_out_of_hours(exports, 5, 8, 24) == []
