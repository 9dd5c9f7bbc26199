"""The rules of outlook-ics.md as checks on a calendar file or email, read with icalendar and, on its own,
with vobject. tests/calendar proves each rule on made-up entries; the meetings and training tests run the
same checks on what real meetings and sessions produce: `check_file(raw, "invitation")`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage

from tests.calendar.conftest import Parsed, parse

METHODS = {
    "download": "PUBLISH",
    "invitation": "REQUEST",
    "update": "REQUEST",
    "cancellation": "CANCEL",
    "feed": "PUBLISH",
}
UID = re.compile(r"[a-z]+(-[a-z]+)*-\d+@[^\s@]+")


def check_file(raw: bytes, kind: str) -> Parsed:
    """Every rule for a file of this kind (a key of METHODS); returns the file, parsed."""
    parsed = parse(raw)
    every_file(parsed, METHODS[kind])
    for vevent, vobject_event in zip(parsed.events, parsed.vobject.contents.get("vevent", []), strict=True):
        every_event(parsed, vevent, vobject_event)
    {
        "download": _download,
        "invitation": _request,
        "update": _request,
        "cancellation": _cancellation,
        "feed": _feed,
    }[kind](parsed)
    return parsed


def every_file(parsed: Parsed, method: str) -> None:
    """VCALENDAR, VERSION 2.0, the tracker's PRODID, GREGORIAN, the METHOD; CRLF, folded at 75 octets
    without splitting a character; UTF-8."""
    assert parsed.lines[0] == "BEGIN:VCALENDAR"
    assert parsed.lines[-2:] == ["END:VCALENDAR", ""]
    assert parsed.icalendar["VERSION"] == "2.0"
    assert "MAPPA Tracker" in parsed.icalendar["PRODID"]
    assert parsed.icalendar["CALSCALE"] == "GREGORIAN"
    assert parsed.icalendar["METHOD"] == method
    assert parsed.vobject.method.value == method
    assert parsed.raw.endswith(b"\r\n")
    physical = parsed.raw.split(b"\r\n")[:-1]
    assert all(b"\n" not in line and b"\r" not in line for line in physical)
    assert max(len(line) for line in physical) <= 75
    for line in physical:
        line.decode("utf-8")  # a fold never cuts a multi-byte character in two


def every_event(parsed: Parsed, vevent, vobject_event) -> None:
    """A stable UID, DTSTAMP in UTC, a SEQUENCE, London times with the compact VTIMEZONE (or UTC, or
    dates with an exclusive end), what it is, where, the link back, status, busy time and a reminder."""
    assert UID.fullmatch(str(vevent["UID"])), vevent["UID"]
    assert vobject_event.uid.value == str(vevent["UID"])
    assert vevent.decoded("DTSTAMP").utcoffset() == timedelta(0)
    assert all(line.endswith("Z") for line in parsed.lines if line.startswith(("DTSTAMP:", "LAST-MODIFIED:")))
    assert isinstance(vevent["SEQUENCE"], int) and vevent["SEQUENCE"] >= 0
    _times(parsed, vevent, vobject_event)
    assert str(vevent["SUMMARY"]) and str(vevent["LOCATION"])
    assert str(vevent["URL"]) in str(vevent["DESCRIPTION"])
    assert vobject_event.summary.value == str(vevent["SUMMARY"])
    cancelled = vevent["STATUS"] == "CANCELLED"
    assert vevent["STATUS"] in ("CONFIRMED", "CANCELLED")
    assert vevent["TRANSP"] == ("TRANSPARENT" if cancelled else "OPAQUE")
    assert vevent["X-MICROSOFT-CDO-BUSYSTATUS"] == ("FREE" if cancelled else "BUSY")
    for alarm in vevent.walk("VALARM"):
        assert alarm["ACTION"] == "DISPLAY"
        assert str(alarm["DESCRIPTION"])
        assert alarm.decoded("TRIGGER") < timedelta(0)


def _times(parsed: Parsed, vevent, vobject_event) -> None:
    start, end = vevent.decoded("DTSTART"), vevent.decoded("DTEND")
    if not isinstance(start, datetime):
        assert type(end) is date and end > start  # all day: DTEND is the day after the last
        return
    for name in ("DTSTART", "DTEND"):
        if vevent[name].params.get("TZID"):
            assert vevent[name].params["TZID"] == "Europe/London"
        else:
            assert vevent.decoded(name).utcoffset() == timedelta(0)  # the safe fallback: UTC
    if any("TZID" in vevent[name].params for name in ("DTSTART", "DTEND")):
        _compact_london(parsed)
    # vobject reads the time through the VTIMEZONE in the file, not the tz database.
    assert vobject_event.dtstart.value.astimezone(UTC) == start.astimezone(UTC)
    assert vobject_event.dtend.value.astimezone(UTC) == end.astimezone(UTC)
    assert end > start


def _compact_london(parsed: Parsed) -> None:
    (timezone,) = parsed.icalendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/London"
    (standard,), (daylight,) = timezone.walk("STANDARD"), timezone.walk("DAYLIGHT")
    assert "RDATE" not in parsed.raw.decode()
    assert standard["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [10], "BYDAY": ["-1SU"]}
    assert daylight["RRULE"] == {"FREQ": ["YEARLY"], "BYMONTH": [3], "BYDAY": ["-1SU"]}


def _no_people(parsed: Parsed) -> None:
    for vevent in parsed.events:
        assert "ATTENDEE" not in vevent
        assert "ORGANIZER" not in vevent


def _download(parsed: Parsed) -> None:
    _no_people(parsed)


def _people(parsed: Parsed) -> list:
    (vevent,) = parsed.events  # an iTIP message is about one event
    assert str(vevent["ORGANIZER"]).startswith("mailto:")
    attendees = vevent["ATTENDEE"] if isinstance(vevent["ATTENDEE"], list) else [vevent["ATTENDEE"]]
    assert all(str(attendee).startswith("mailto:") for attendee in attendees)
    assert parsed.vobject.vevent.organizer.value == str(vevent["ORGANIZER"])
    return attendees


def _request(parsed: Parsed) -> None:
    for attendee in _people(parsed):
        assert attendee.params["ROLE"] == "REQ-PARTICIPANT"
        assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"
        assert attendee.params["RSVP"] == "TRUE"
    assert parsed.event["STATUS"] == "CONFIRMED"


def _cancellation(parsed: Parsed) -> None:
    _people(parsed)
    assert parsed.event["STATUS"] == "CANCELLED"
    assert parsed.vobject.vevent.status.value == "CANCELLED"


def _feed(parsed: Parsed) -> None:
    _no_people(parsed)
    assert parsed.icalendar["X-WR-CALNAME"]
    assert parsed.icalendar["X-WR-TIMEZONE"] == "Europe/London"
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in parsed.lines
    assert "X-PUBLISHED-TTL:PT1H" in parsed.lines


def calendar_of(message: EmailMessage, kind: str) -> Parsed:
    """An invitation email as Outlook needs it (text, HTML and the calendar as alternatives, the
    calendar part naming its method), its calendar checked by every rule for its kind."""
    assert message.get_content_type() == "multipart/alternative"
    parts = list(message.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html", "text/calendar"]
    part = parts[-1]
    assert part.get_param("method") == METHODS[kind]
    assert part.get_content_charset() == "utf-8"
    return check_file(part.get_payload(decode=True), kind)
