"""Calendar rules over plain values: the feed window, overlaps, when SEQUENCE rises, reminders."""

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.calendar.conftest import a_meeting, a_training_session
from tracker.calendar import rules
from tracker.calendar.events import EventStatus
from tracker.core import settings


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 3, 15), -1, date(2026, 2, 15)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2028, 3, 31), -1, date(2028, 2, 29)),
        (date(2026, 1, 10), -1, date(2025, 12, 10)),
        (date(2026, 2, 28), 12, date(2027, 2, 28)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
    ],
)
def test_months_are_added_as_calendar_months_clipped_to_the_months_end(day, months, expected):
    assert rules.add_months(day, months) == expected


def test_a_feed_covers_a_month_back_to_a_year_ahead_in_uk_days():
    start, end = rules.feed_window(date(2026, 4, 15))
    # 15 March is in GMT (midnight is 00:00Z); 16 April 2027 starts at 23:00Z the day before (BST).
    assert start == datetime(2026, 3, 15, 0, 0, tzinfo=UTC)
    assert end == datetime(2027, 4, 15, 23, 0, tzinfo=UTC)


def test_an_event_is_in_a_window_when_any_part_of_it_falls_inside(app_context):
    event = a_meeting(start=datetime(2026, 6, 9, 9, tzinfo=UTC), end=datetime(2026, 6, 9, 11, tzinfo=UTC))
    assert rules.overlaps(event, datetime(2026, 6, 9, 10, tzinfo=UTC), datetime(2026, 6, 10, tzinfo=UTC))
    assert not rules.overlaps(event, datetime(2026, 6, 9, 11, tzinfo=UTC), datetime(2026, 6, 10, tzinfo=UTC))
    assert not rules.overlaps(event, datetime(2026, 6, 1, tzinfo=UTC), datetime(2026, 6, 9, 9, tzinfo=UTC))


def test_an_all_day_event_occupies_its_uk_days_from_midnight_to_midnight(app_context):
    event = a_training_session(start=date(2026, 6, 1), end=date(2026, 6, 2))
    assert rules.span(event) == (datetime(2026, 5, 31, 23, tzinfo=UTC), datetime(2026, 6, 2, 23, tzinfo=UTC))


@pytest.mark.parametrize(
    "change",
    [
        {"start": datetime(2026, 6, 9, 10, tzinfo=UTC), "end": datetime(2026, 6, 9, 12, tzinfo=UTC)},
        {"end": datetime(2026, 6, 9, 12, tzinfo=UTC)},
        {"venue": "Room 5, Lambeth Police Station"},
        {"join_url": "https://teams.example/l/meetup-join/new"},
        {"cancelled": True},
    ],
    ids=["time", "end", "room", "join link", "status"],
)
def test_sequence_rises_by_one_when_time_date_place_or_status_changes(app_context, change):
    before = a_meeting(sequence=3)
    after = a_meeting(sequence=3, **change)
    assert rules.schedule_changed(before, after)
    assert rules.next_sequence(before, after) == 4


def test_sequence_stays_when_nothing_invitees_rely_on_changed(app_context):
    before = a_meeting(sequence=3)
    after = a_meeting(sequence=3, attendees=())
    assert not rules.schedule_changed(before, after)
    assert rules.next_sequence(before, after) == 3


def test_two_different_events_cannot_be_compared_as_versions(app_context):
    with pytest.raises(ValueError, match="same UID"):
        rules.next_sequence(a_meeting(), a_meeting(meeting_id=144))


def test_reminders_follow_the_area_setting_unless_the_event_sets_its_own(app_context):
    event = a_meeting()
    assert rules.reminder_minutes(event) == 15
    settings.set_value("calendar_reminder_minutes", 30, None)
    assert rules.reminder_minutes(event) == 30
    assert rules.reminder_minutes(dataclasses.replace(event, alarm_minutes=5)) == 5


def test_a_cancelled_event_says_so_in_its_summary(app_context):
    event = a_meeting(cancelled=True)
    assert event.status is EventStatus.CANCELLED
    assert event.summary == "Cancelled: MAPPA Level 2 meeting M-2026-0143"


def test_an_update_names_what_changed_in_london_time():
    from tracker.calendar.rules import what_changed

    start = datetime(2026, 3, 27, 10, 0, tzinfo=UTC)  # 10:00 in London (GMT)
    end = start + timedelta(hours=2)
    same = (start, end, "Room 4", "https://teams.example/a")
    assert what_changed(same, same) == []
    # Across the clocks going forward, the same UTC time is an hour later in London.
    assert what_changed(same, (start + timedelta(days=3), end + timedelta(days=3), "Room 4", "https://teams.example/a")) == [
        "date",
        "time",
    ]
    assert what_changed(same, (start, end, "Room 9", "https://teams.example/b")) == ["place", "join link"]

