"""Each rule of outlook-ics.md, checked on what the tracker emits, read by icalendar and by vobject."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from dateutil import tz as dateutil_tz

from tests.calendar import outlook
from tests.calendar.conftest import INVITEES, a_meeting, a_training_session, parse
from tracker.calendar import ics, rules
from tracker.core import settings
from tracker.core.downloads import disclose_to

LONDON = ZoneInfo("Europe/London")


def every_kind_of_file():
    """(name, calendar) for a download, an invitation, a cancellation and a feed."""
    event = a_meeting()
    return [
        ("download", ics.publish([event])),
        ("invitation", ics.request(event)),
        ("cancellation", ics.cancel(dataclasses.replace(event, sequence=1), INVITEES)),
        ("feed", ics.feed([event, a_training_session()], "MAPPA Tracker (London)")),
    ]


# Every file


@pytest.mark.parametrize("kind", ["download", "invitation", "cancellation", "feed"])
def test_every_kind_of_file_passes_every_rule_that_applies_to_it(app_context, kind):
    """The checks of tests/calendar/outlook.py, which the meetings and training tests reuse."""
    raw = dict(every_kind_of_file())[kind]
    parsed = outlook.check_file(raw, kind)
    assert parsed.icalendar["METHOD"] == outlook.METHODS[kind]


def test_every_line_is_folded_at_75_octets_without_splitting_a_character(app_context):
    event = a_meeting(venue="Salle de réunion Š, Bâtiment Ø, Étage 2 — long enough to need folding " * 2)
    parsed = outlook.check_file(ics.publish([event]), "download")
    assert max(len(line) for line in parsed.raw.split(b"\r\n")) == 75  # it really was folded
    assert "Salle de réunion Š, Bâtiment Ø" in str(parsed.event["LOCATION"])


def test_text_escapes_commas_semicolons_backslashes_and_newlines(app_context):
    event = a_meeting(venue=r"Room 4, Block B; Floor 2 \ East", join_url=None)
    parsed = parse(ics.publish([event]))
    assert parsed.line("LOCATION:") == r"LOCATION:Room 4\, Block B\; Floor 2 \\ East"
    assert r"\nWhere: Room 4\, Block B\; Floor 2 \\ East\nDetails" in parsed.line("DESCRIPTION:")
    assert str(parsed.event["LOCATION"]) == r"Room 4, Block B; Floor 2 \ East"
    assert parsed.vobject.vevent.location.value == r"Room 4, Block B; Floor 2 \ East"
    assert parsed.vobject.vevent.description.value.split("\n") == event.description_lines


# Every event


def test_the_uid_is_stable_and_unique_per_object_and_kind(app_context):
    assert a_meeting().uid == a_meeting(venue="Elsewhere", sequence=4).uid == "meeting-143@tracker.test"
    assert a_meeting(meeting_id=144).uid != a_meeting().uid
    assert a_training_session().uid == "training-session-7@tracker.test"


def test_dtstamp_is_utc_sequence_starts_at_0_and_last_modified_is_utc(app_context):
    modified = datetime(2026, 5, 1, 14, 30, tzinfo=LONDON)
    parsed = parse(ics.publish([a_meeting(last_modified=modified)]))
    assert parsed.line("DTSTAMP:").endswith("Z")
    assert parsed.event.decoded("DTSTAMP").tzinfo is not None
    assert parsed.line("SEQUENCE:") == "SEQUENCE:0"
    assert parsed.line("LAST-MODIFIED:") == "LAST-MODIFIED:20260501T133000Z"
    assert parsed.vobject.vevent.last_modified.value == datetime(2026, 5, 1, 13, 30, tzinfo=UTC)


def test_times_carry_tzid_europe_london_with_a_matching_vtimezone_in_the_file(app_context):
    parsed = parse(ics.publish([a_meeting()]))
    assert parsed.line("DTSTART;") == "DTSTART;TZID=Europe/London:20260609T100000"
    assert parsed.line("DTEND;") == "DTEND;TZID=Europe/London:20260609T120000"
    (timezone,) = parsed.icalendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/London"


def test_the_vtimezone_is_the_compact_outlook_form(app_context):
    parsed = parse(ics.publish([a_meeting()]))
    (timezone,) = parsed.icalendar.walk("VTIMEZONE")
    standard, daylight = timezone.walk("STANDARD"), timezone.walk("DAYLIGHT")
    assert len(standard) == len(daylight) == 1
    assert "RDATE" not in parsed.raw.decode()
    assert standard[0]["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["-1SU"]}
    assert daylight[0]["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]}
    assert standard[0].decoded("DTSTART") == datetime(1970, 10, 25, 2, 0)  # last Sunday, 02:00 BST
    assert daylight[0].decoded("DTSTART") == datetime(1970, 3, 29, 1, 0)  # last Sunday, 01:00 GMT
    assert standard[0]["TZOFFSETTO"].td == timedelta(0)
    assert daylight[0]["TZOFFSETTO"].td == timedelta(hours=1)


def test_the_compact_vtimezone_agrees_with_the_tz_database_every_hour_for_years(app_context):
    """Read the block as a client would (dateutil's VTIMEZONE reader) and compare offsets hour by hour."""
    text = ics.london_timezone().to_ical().decode()
    from_file = dateutil_tz.tzical(StringIO(text)).get("Europe/London")
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    while moment < datetime(2031, 1, 1, tzinfo=UTC):
        local = moment.astimezone(LONDON)
        wall = local.replace(tzinfo=None)
        assert dateutil_tz.resolve_imaginary(wall.replace(tzinfo=from_file, fold=local.fold)).utcoffset() == (
            local.utcoffset()
        ), moment
        moment += timedelta(hours=1)


CLOCK_CHANGES = [
    # (UTC start, DTSTART as written): either side of the last Sundays of March and October.
    (datetime(2026, 3, 28, 10, 0, tzinfo=UTC), "DTSTART;TZID=Europe/London:20260328T100000"),  # Saturday, GMT
    (datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "DTSTART;TZID=Europe/London:20260329T003000"),  # before 01:00
    (datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "DTSTART;TZID=Europe/London:20260329T023000"),  # after: BST
    (datetime(2026, 3, 30, 9, 0, tzinfo=UTC), "DTSTART;TZID=Europe/London:20260330T100000"),  # Monday, BST
    (datetime(2026, 10, 24, 9, 0, tzinfo=UTC), "DTSTART;TZID=Europe/London:20261024T100000"),  # Saturday, BST
    (datetime(2026, 10, 24, 23, 30, tzinfo=UTC), "DTSTART;TZID=Europe/London:20261025T003000"),  # 00:30 BST
    (datetime(2026, 10, 25, 2, 30, tzinfo=UTC), "DTSTART;TZID=Europe/London:20261025T023000"),  # 02:30 GMT
    (datetime(2026, 10, 26, 10, 0, tzinfo=UTC), "DTSTART;TZID=Europe/London:20261026T100000"),  # Monday, GMT
    (datetime(2027, 3, 27, 10, 0, tzinfo=UTC), "DTSTART;TZID=Europe/London:20270327T100000"),
    (datetime(2027, 3, 28, 9, 0, tzinfo=UTC), "DTSTART;TZID=Europe/London:20270328T100000"),
    (datetime(2027, 10, 30, 9, 0, tzinfo=UTC), "DTSTART;TZID=Europe/London:20271030T100000"),
    (datetime(2027, 10, 31, 10, 0, tzinfo=UTC), "DTSTART;TZID=Europe/London:20271031T100000"),
]


@pytest.mark.parametrize(("start", "written"), CLOCK_CHANGES, ids=[w[-15:] for _s, w in CLOCK_CHANGES])
def test_times_either_side_of_the_clock_changes_come_out_right(app_context, start, written):
    parsed = parse(ics.publish([a_meeting(start=start, end=start + timedelta(hours=2))]))
    assert parsed.line("DTSTART;") == written
    assert parsed.event.decoded("DTSTART").astimezone(UTC) == start
    assert parsed.event.decoded("DTEND").astimezone(UTC) == start + timedelta(hours=2)
    # vobject resolves the time through the VTIMEZONE in the file itself, not the tz database.
    assert parsed.vobject.vevent.dtstart.value.astimezone(UTC) == start
    assert parsed.vobject.vevent.dtend.value.astimezone(UTC) == start + timedelta(hours=2)


@pytest.mark.parametrize(
    "start", [datetime(2026, 10, 25, 0, 30, tzinfo=UTC), datetime(2026, 10, 25, 1, 30, tzinfo=UTC)]
)
def test_a_time_in_the_hour_that_happens_twice_is_written_in_utc(app_context, start):
    """01:30 comes twice when the clocks go back, so a London wall-clock time could name either."""
    parsed = parse(ics.publish([a_meeting(start=start, end=start + timedelta(hours=2))]))
    assert parsed.line("DTSTART") == f"DTSTART:{start:%Y%m%dT%H%M%S}Z"
    assert parsed.event.decoded("DTSTART") == start
    assert parsed.vobject.vevent.dtstart.value == start
    # The end, at 02:30 or 03:30 GMT, is unambiguous and keeps the London time zone.
    assert parsed.line("DTEND").startswith("DTEND;TZID=Europe/London:")


def test_summary_location_description_url_status_and_busy_time(app_context):
    event = a_meeting()
    parsed = parse(ics.publish([event]))
    vevent = parsed.event
    assert vevent["SUMMARY"] == "MAPPA Level 2 meeting M-2026-0143"
    # The join link is in LOCATION too, and in Outlook's own online-meeting property and CONFERENCE.
    assert (
        vevent["LOCATION"]
        == "Room 4, Lambeth Police Station; online: https://teams.example/l/meetup-join/abc"
    )
    assert vevent["X-MICROSOFT-SKYPETEAMSMEETINGURL"] == "https://teams.example/l/meetup-join/abc"
    assert (
        vevent["CONFERENCE"] == "https://teams.example/l/meetup-join/abc"
        and vevent["CONFERENCE"].params["FEATURE"] == "VIDEO"
    )
    description = str(vevent["DESCRIPTION"])
    assert "Join online: https://teams.example/l/meetup-join/abc" in description
    assert "http://tracker.test/meetings/143" in description
    assert vevent["URL"] == "http://tracker.test/meetings/143"
    assert vevent["STATUS"] == "CONFIRMED"
    assert vevent["TRANSP"] == "OPAQUE"
    assert vevent["X-MICROSOFT-CDO-BUSYSTATUS"] == "BUSY"
    assert parsed.vobject.vevent.url.value == "http://tracker.test/meetings/143"


def test_an_online_meeting_is_located_online(app_context):
    parsed = parse(ics.publish([a_meeting(venue=None)]))
    assert parsed.event["LOCATION"] == "Online: https://teams.example/l/meetup-join/abc"
    assert parsed.vobject.vevent.location.value == "Online: https://teams.example/l/meetup-join/abc"
    assert "Join online: https://teams.example/l/meetup-join/abc" in str(parsed.event["DESCRIPTION"])


def test_a_cancelled_entry_no_longer_blocks_the_time(app_context):
    vevent = parse(ics.publish([a_meeting(cancelled=True, sequence=1)])).event
    assert vevent["STATUS"] == "CANCELLED"
    assert vevent["TRANSP"] == "TRANSPARENT"
    assert vevent["X-MICROSOFT-CDO-BUSYSTATUS"] == "FREE"
    assert list(vevent.walk("VALARM")) == []


def test_a_reminder_pops_up_15_minutes_before_or_as_the_area_sets(app_context):
    (alarm,) = parse(ics.publish([a_meeting()])).event.walk("VALARM")
    assert alarm["ACTION"] == "DISPLAY"
    assert alarm["DESCRIPTION"] == "Reminder: MAPPA Level 2 meeting M-2026-0143"
    assert alarm.decoded("TRIGGER") == timedelta(minutes=-15)
    assert "TRIGGER:-PT15M" in parse(ics.publish([a_meeting()])).lines
    settings.set_value("calendar_reminder_minutes", 60, None)
    assert "TRIGGER:-PT1H" in parse(ics.publish([a_meeting()])).lines
    settings.set_value("calendar_reminder_minutes", 0, None)
    assert list(parse(ics.publish([a_meeting()])).event.walk("VALARM")) == []


def test_a_two_day_course_is_one_event_per_session_sharing_related_to(app_context):
    day_one = a_training_session()
    day_two = a_training_session(
        session_id=8,
        number=2,
        start=datetime(2026, 10, 27, 10, 0, tzinfo=UTC),
        end=datetime(2026, 10, 27, 15, 0, tzinfo=UTC),
    )
    parsed = parse(ics.publish([day_two, day_one]))
    first, second = parsed.events
    assert first["SUMMARY"] == "MAPPA Chair Training: session 1 of 2"
    assert second["SUMMARY"] == "MAPPA Chair Training: session 2 of 2"
    assert first["UID"] != second["UID"]
    assert first["RELATED-TO"] == second["RELATED-TO"] == "training-event-3@tracker.test"
    # Each day has its own times; the first day is the Monday after the clocks went back (GMT).
    assert parsed.line("DTSTART;") == "DTSTART;TZID=Europe/London:20261026T093000"
    assert [e.related_to.value for e in parsed.vobject.vevent_list] == ["training-event-3@tracker.test"] * 2


def test_an_all_day_entry_uses_dates_with_an_exclusive_end(app_context):
    parsed = parse(ics.publish([a_training_session(start=date(2026, 6, 1), end=date(2026, 6, 2))]))
    assert parsed.line("DTSTART;") == "DTSTART;VALUE=DATE:20260601"
    assert parsed.line("DTEND;") == "DTEND;VALUE=DATE:20260603"
    assert parsed.vobject.vevent.dtend.value == date(2026, 6, 3)
    assert "BEGIN:VTIMEZONE" not in parsed.lines  # no times, so no time zone is needed


# Downloads, invitations and feeds


def test_a_download_is_published_without_attendees_or_organiser(app_context):
    parsed = parse(ics.publish([a_meeting()]))
    assert parsed.icalendar["METHOD"] == "PUBLISH"
    assert "ATTENDEE" not in parsed.event
    assert "ORGANIZER" not in parsed.event


def test_an_invitation_is_a_request_from_the_tracker_to_each_invitee_asking_for_a_reply(app, app_context):
    parsed = parse(ics.request(a_meeting()))
    assert parsed.icalendar["METHOD"] == "REQUEST"
    assert parsed.event["ORGANIZER"] == f"mailto:{app.config['MAIL_FROM']}"
    attendees = parsed.event["ATTENDEE"]
    assert [str(a) for a in attendees] == [
        "mailto:dana.whitfield@police.example",
        "mailto:li.chen@probation.example",
    ]
    for attendee in attendees:
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendee.params["RSVP"] == "TRUE"
    assert attendees[0].params["CN"] == "Dana Whitfield"
    assert len(parsed.vobject.vevent.attendee_list) == 2


def test_an_update_is_a_request_with_the_same_uid_and_a_higher_sequence(app_context):
    before = a_meeting()
    moved = a_meeting(venue="Room 9, Brixton Probation Office")
    moved = dataclasses.replace(moved, sequence=rules.next_sequence(before, moved))
    first, second = parse(ics.request(before)), parse(ics.request(moved))
    assert second.icalendar["METHOD"] == "REQUEST"
    assert second.event["UID"] == first.event["UID"]
    assert second.event["SEQUENCE"] == first.event["SEQUENCE"] + 1 == 1
    assert int(second.vobject.vevent.sequence.value) == 1


def test_a_cancellation_carries_method_cancel_status_cancelled_same_uid_higher_sequence(app_context):
    invited = a_meeting()
    called_off = a_meeting(cancelled=True)
    called_off = dataclasses.replace(called_off, sequence=rules.next_sequence(invited, called_off))
    parsed = parse(ics.cancel(called_off, INVITEES))
    assert parsed.icalendar["METHOD"] == "CANCEL"
    assert parsed.event["STATUS"] == "CANCELLED"
    assert parsed.event["UID"] == invited.uid
    assert parsed.event["SEQUENCE"] == 1
    assert parsed.vobject.vevent.status.value == "CANCELLED"
    assert len(parsed.event["ATTENDEE"]) == 2


def test_a_cancellation_for_one_removed_invitee_names_only_them(app_context):
    meeting = a_meeting(attendees=INVITEES[:1])
    removed = INVITEES[1]
    parsed = parse(ics.cancel(dataclasses.replace(meeting, sequence=meeting.sequence + 1), [removed]))
    assert parsed.icalendar["METHOD"] == "CANCEL"
    assert parsed.event["STATUS"] == "CANCELLED"
    assert str(parsed.event["ATTENDEE"]) == "mailto:li.chen@probation.example"


def test_a_feed_names_itself_and_asks_to_be_refreshed_hourly(app_context):
    parsed = parse(ics.feed([a_meeting()], "MAPPA Tracker (London)"))
    assert parsed.icalendar["METHOD"] == "PUBLISH"
    assert parsed.icalendar["X-WR-CALNAME"] == "MAPPA Tracker (London)"
    assert parsed.icalendar["X-WR-TIMEZONE"] == "Europe/London"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in parsed.lines
    assert "X-PUBLISHED-TTL:PT1H" in parsed.lines
    assert "ATTENDEE" not in parsed.event
    assert parsed.vobject.x_wr_calname.value == "MAPPA Tracker (London)"


def test_a_download_response_is_utf8_calendar_named_for_what_it_is(app_context):
    disclose_to("Li Chen <li.chen@probation.example> (themselves)", ics.OWN_CALENDAR)
    response = ics.download_response(ics.publish([a_meeting()]), "mappa-meeting M-2026-0143")
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="mappa-meeting-M-2026-0143.ics"'
    assert response.headers["Cache-Control"] == "no-store"
    parse(response.get_data())


def test_a_feed_is_the_file_icalendar_writes_though_its_entries_are_kept_between_fetches(app_context):
    meetings = [a_meeting(), a_meeting(meeting_id=144, reference="M-2026-0144")]
    first, again = ics.feed(meetings, "Feed"), ics.feed(meetings, "Feed")
    assert first == again  # the same hour: the kept entries, the same file
    whole = ics._calendar(
        ics.Method.PUBLISH, [ics._vevent(m, parse(first).events[0].decoded("DTSTAMP")) for m in meetings]
    )
    for name, value in [("x-wr-calname", "Feed"), ("name", "Feed"), ("x-wr-timezone", ics.TZID)]:
        whole.add(name, value)
    whole.add("refresh-interval", ics.REFRESH, parameters={"VALUE": "DURATION"})
    whole.add("x-published-ttl", ics.vDuration(ics.REFRESH))
    assert first == whole.to_ical()  # byte for byte what building it whole gives
    moved = ics.feed([a_meeting(sequence=1, venue="Room 9"), meetings[1]], "Feed")
    assert any(line.startswith("LOCATION:Room 9") for line in parse(moved).lines)
    assert "SEQUENCE:1" in parse(moved).lines
    settings.set_value("calendar_reminder_minutes", 60, None)
    assert "TRIGGER:-PT1H" in parse(ics.feed(meetings, "Feed")).lines
