"""Calendar entries hold references only: nothing about a case or its person can be put in one."""

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.calendar.conftest import a_meeting, a_training_session, parse
from tracker.calendar import ics
from tracker.calendar.events import CalendarEvent, MeetingSubject, TrainingSubject


def test_an_entry_has_no_field_for_free_text_from_a_case():
    names = {f.name for f in dataclasses.fields(CalendarEvent)}
    assert names == {
        "uid",
        "sequence",
        "subject",
        "start",
        "end",
        "url",
        "venue",
        "join_url",
        "status",
        "last_modified",
        "related_to",
        "attendees",
        "alarm_minutes",
        "cancelled_for_one",  # a flag, not text
    }
    assert {f.name for f in dataclasses.fields(MeetingSubject)} == {"reference", "level"}


@pytest.mark.parametrize(
    "reference",
    ["John Smith", "M-2026-0143 Smith", "Category 1 sex offender", "M-2026\n0143", "", "x" * 41, "Smith, J"],
)
def test_a_meeting_is_named_only_by_a_reference_shaped_code(reference):
    with pytest.raises(ValueError, match="meeting reference"):
        MeetingSubject(reference, 2)


def test_a_meeting_is_level_2_or_3():
    with pytest.raises(ValueError, match="Level 2 or 3"):
        MeetingSubject("M-2026-0143", 1)


def test_the_summary_of_a_meeting_is_its_level_and_reference(app_context):
    assert a_meeting().summary == "MAPPA Level 2 meeting M-2026-0143"


def test_the_description_is_written_from_time_place_link_and_the_link_back_only(app_context):
    event = a_meeting()
    assert event.description_lines == [
        "When: Tuesday 9 June 2026, 10:00 to 12:00 (UK time)",
        "Where: Room 4, Lambeth Police Station",
        "Join online: https://teams.example/l/meetup-join/abc",
        "Details in MAPPA Tracker (sign-in needed): http://tracker.test/meetings/143",
    ]


def test_every_text_in_a_meetings_file_comes_from_the_reference_time_place_and_links(app_context):
    event = a_meeting()
    parsed = parse(ics.request(event)).event
    allowed = {
        "MAPPA Level 2 meeting M-2026-0143",
        "Room 4, Lambeth Police Station; online: https://teams.example/l/meetup-join/abc",
        "\n".join(event.description_lines),
        "Reminder: MAPPA Level 2 meeting M-2026-0143",
    }
    texts = {str(parsed[key]) for key in ("SUMMARY", "LOCATION", "DESCRIPTION")}
    texts |= {str(alarm["DESCRIPTION"]) for alarm in parsed.walk("VALARM")}
    assert texts <= allowed


def test_a_training_session_says_which_session_of_how_many(app_context):
    assert a_training_session().summary == "MAPPA Chair Training: session 1 of 2"
    single = a_training_session(number=1, of=1)
    assert single.summary == "MAPPA Chair Training"
    assert single.related_to is None
    with pytest.raises(ValueError, match="session 3 of 2"):
        TrainingSubject("MAPPA Chair Training", 3, 2)


def test_times_must_be_aware_and_are_kept_in_utc(app_context):
    with pytest.raises(ValueError, match="aware"):
        a_meeting(start=datetime(2026, 6, 9, 10, 0))
    from tracker.core.timeutil import LONDON

    event = a_meeting(
        start=datetime(2026, 6, 9, 10, 0, tzinfo=LONDON), end=datetime(2026, 6, 9, 12, 0, tzinfo=LONDON)
    )
    assert event.start == datetime(2026, 6, 9, 9, 0, tzinfo=UTC)
    assert event.start.tzinfo is UTC


def test_an_event_must_end_after_it_starts(app_context):
    start = datetime(2026, 6, 9, 9, tzinfo=UTC)
    with pytest.raises(ValueError, match="end after"):
        a_meeting(start=start, end=start)
    with pytest.raises(ValueError, match="end before"):
        a_training_session(start=date(2026, 6, 2), end=date(2026, 6, 1))
    with pytest.raises(TypeError):
        a_training_session(start=date(2026, 6, 2), end=start + timedelta(days=1))


def test_a_join_link_must_be_a_web_address(app_context):
    with pytest.raises(ValueError, match="join link"):
        a_meeting(join_url="call Dana on 07700 900123")


def test_a_meeting_with_only_a_join_link_is_online(app_context):
    assert a_meeting(venue=None).location == "Online"
    assert a_meeting(venue="  Room 4,\n Lambeth  ").location == "Room 4, Lambeth"
    assert a_meeting(venue=None, join_url=None).location == "To be confirmed"
