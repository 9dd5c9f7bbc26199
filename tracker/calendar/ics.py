"""Calendar files built with the icalendar package: downloads, invitations, cancellations and feeds.

Every file follows /work/shared/outlook-ics.md (the rules Outlook needs): times in Europe/London with
the compact VTIMEZONE Outlook writes itself, stable UIDs with a rising SEQUENCE, a reminder, busy time,
and attendees only in invitations. Text is never assembled by hand: icalendar escapes and folds it.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from flask import Response, current_app
from icalendar import (
    Alarm,
    Calendar,
    Event,
    Timezone,
    TimezoneDaylight,
    TimezoneStandard,
    vCalAddress,
    vDuration,
    vRecur,
)
from icalendar.parser import content_line as _content_line

from tracker.calendar import rules
from tracker.calendar.events import Attendee, CalendarEvent, EventStatus
from tracker.core.downloads import download
from tracker.core.timeutil import LONDON
from tracker.core.types import utcnow


def fold_line(line: str, limit: int = 75, fold_sep: str = "\r\n ") -> str:
    """icalendar's line folding (RFC 5545: at most 75 octets a line), the same result, faster.

    icalendar 7 folds character by character in Python: a third of a 300-meeting feed's time. An ASCII
    line (nearly every line the tracker writes) is one byte a character, so it is cut into slices of
    `limit - 1` characters, never leaving an escape's backslash (or an RFC 6868 caret) at the end of a
    slice, as icalendar does. Anything else goes to icalendar's own function.
    """
    if not line.isascii():
        return _icalendar_fold(line, limit, fold_sep)
    step, start, pieces = limit - 1, 0, []
    while len(line) - start > step:
        end = start + step
        if step > 1 and line[end - 1] in "\\^":
            end -= 1
        pieces.append(line[start:end])
        start = end
    pieces.append(line[start:])
    return fold_sep.join(pieces)


_icalendar_fold = _content_line._foldline
_content_line._foldline = fold_line

PRODID = "-//MAPPA Tracker//Calendar 1.0//EN"
TZID = "Europe/London"
REFRESH = timedelta(hours=1)


class Method:
    PUBLISH = "PUBLISH"  # a download or a feed: Outlook adds the entries as appointments
    REQUEST = "REQUEST"  # an invitation or an update: Outlook offers Accept and Decline
    CANCEL = "CANCEL"  # a cancellation: Outlook offers to remove the entry


def london_timezone() -> Timezone:
    """Europe/London in the compact form Outlook writes: one STANDARD and one DAYLIGHT rule, yearly.

    icalendar's generated block lists every change since 1970 as RDATEs, which some clients choke on.
    The rules are those in force since 1996: clocks go forward at 01:00 GMT on the last Sunday of March
    and back at 02:00 BST on the last Sunday of October. The DTSTARTs are the first such Sundays of 1970.
    """
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 10, 25, 2, 0))
    standard.add("tzoffsetfrom", timedelta(hours=1))
    standard.add("tzoffsetto", timedelta(0))
    standard.add("tzname", "GMT")
    standard.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    daylight = TimezoneDaylight()
    daylight.add("dtstart", datetime(1970, 3, 29, 1, 0))
    daylight.add("tzoffsetfrom", timedelta(0))
    daylight.add("tzoffsetto", timedelta(hours=1))
    daylight.add("tzname", "BST")
    daylight.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    timezone = Timezone()
    timezone.add("tzid", TZID)
    timezone.add_component(standard)
    timezone.add_component(daylight)
    return timezone


def _calendar(method: str, vevents: list[Event]) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    if any("TZID" in vevent["DTSTART"].params or "TZID" in vevent["DTEND"].params for vevent in vevents):
        calendar.add_component(london_timezone())
    for vevent in vevents:
        calendar.add_component(vevent)
    return calendar


def _address(email: str, name: str = "") -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    if name:
        address.params["CN"] = name
    return address


def organiser_address() -> str:
    """Where Outlook sends Accept, Tentative and Decline: the organiser's mailbox (MAIL_REPLY_TO), which
    `tracker fetch-replies` reads; the sending address when none is set."""
    return current_app.config.get("MAIL_REPLY_TO") or current_app.config["MAIL_FROM"]


def _organiser() -> vCalAddress:
    return _address(organiser_address(), "MAPPA Tracker")


def location(event: CalendarEvent) -> str:
    """LOCATION: the room, and the join link of an online meeting too (Outlook makes it a link)."""
    if event.join_url:
        return f"{event.venue}; online: {event.join_url}" if event.venue else f"Online: {event.join_url}"
    return event.location


def _vevent(event: CalendarEvent, stamp: datetime, minutes: int | None = None) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("dtstamp", stamp)
    vevent.add("sequence", event.sequence)
    if event.last_modified is not None:
        vevent.add("last-modified", event.last_modified)
    if event.all_day:
        # DTEND of an all-day entry is exclusive: the day after the last day.
        vevent.add("dtstart", event.start)
        vevent.add("dtend", event.end + timedelta(days=1))
    else:
        vevent.add("dtstart", _local(event.start))
        vevent.add("dtend", _local(event.end))
    vevent.add("summary", event.summary)
    vevent.add("location", location(event))
    if event.join_url:
        # Outlook's own property for a Teams meeting shows its Join button; CONFERENCE (RFC 7986) is the
        # standard's way, for other calendars.
        vevent.add("x-microsoft-skypeteamsmeetingurl", event.join_url)
        conference = {"VALUE": "URI", "FEATURE": "VIDEO", "LABEL": "Join online"}
        vevent.add("conference", event.join_url, parameters=conference)
    vevent.add("description", "\n".join(event.description_lines))
    vevent.add("url", event.url)
    vevent.add("status", event.status.value)
    # A cancelled entry no longer takes up the time; a live one shows as busy in Outlook.
    vevent.add("transp", "TRANSPARENT" if event.cancelled else "OPAQUE")
    vevent.add("x-microsoft-cdo-busystatus", "FREE" if event.cancelled else "BUSY")
    if event.related_to:
        vevent.add("related-to", event.related_to)
    minutes = rules.reminder_minutes(event) if minutes is None else minutes
    if minutes and not event.cancelled:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Reminder: {event.summary}")
        alarm.add("trigger", timedelta(minutes=-minutes))
        vevent.add_component(alarm)
    return vevent


def _local(moment: datetime) -> datetime:
    """The time in London for DTSTART/DTEND, or UTC (the safe fallback) when the London wall-clock time
    is ambiguous: 01:00 to 02:00 happens twice on the night the clocks go back."""
    local = moment.astimezone(LONDON)
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return moment.astimezone(UTC)
    return local


def _with_people(vevent: Event, attendees: Iterable[Attendee], *, reply_wanted: bool) -> Event:
    vevent.add("organizer", _organiser())
    for person in attendees:
        address = _address(person.email, person.name)
        address.params["ROLE"] = "REQ-PARTICIPANT"
        if reply_wanted:
            address.params["PARTSTAT"] = "NEEDS-ACTION"
            address.params["RSVP"] = "TRUE"
        vevent.add("attendee", address)
    return vevent


def _ordered(events: Iterable[CalendarEvent]) -> list[CalendarEvent]:
    return sorted(events, key=lambda event: (event.sort_key, event.uid))


def publish(events: Iterable[CalendarEvent]) -> bytes:
    """A file to download: METHOD:PUBLISH and no attendees, so Outlook adds plain appointments."""
    events = _ordered(events)
    stamp = utcnow()
    return _calendar(Method.PUBLISH, [_vevent(event, stamp) for event in events]).to_ical()


def request(event: CalendarEvent) -> bytes:
    """An invitation, or an update (same UID, higher SEQUENCE): METHOD:REQUEST with the organiser and
    every attendee, so that Outlook shows Accept and Decline."""
    vevent = _with_people(_vevent(event, utcnow()), event.attendees, reply_wanted=True)
    vevent.add("x-microsoft-cdo-intendedstatus", "BUSY")
    return _calendar(Method.REQUEST, [vevent]).to_ical()


def cancel(event: CalendarEvent, attendees: Iterable[Attendee]) -> bytes:
    """A cancellation for these attendees (everyone invited, or one person taken off the list):
    METHOD:CANCEL and STATUS:CANCELLED. The caller raises SEQUENCE before sending it."""
    # The event not itself called off: these people are taken off it, and it goes ahead for the others.
    event = dataclasses.replace(event, status=EventStatus.CANCELLED, cancelled_for_one=not event.cancelled)
    vevent = _with_people(_vevent(event, utcnow()), attendees, reply_wanted=False)
    return _calendar(Method.CANCEL, [vevent]).to_ical()


def feed(events: Iterable[CalendarEvent], name: str) -> bytes:
    """A subscription feed: PUBLISH, with the calendar's name, time zone and how often to refresh.

    A chair's feed holds a year of meetings, fetched every hour by every calendar they use, and nearly
    all of its entries are the same from one fetch to the next. Each entry is built and written by
    icalendar as in any other file, and kept (`_feed_entry`) for the same entry, reminder and hour; the
    calendar around them is icalendar's too. DTSTAMP is the hour the entry was written.
    """
    stamp = utcnow().replace(minute=0, second=0, microsecond=0)
    entries = [_feed_entry(event, rules.reminder_minutes(event), stamp) for event in _ordered(events)]
    calendar = _calendar(Method.PUBLISH, [])
    # A calendar needs at least one component (RFC 5545): a feed with no entries (nobody's diary is
    # always full) still carries the definition of the time zone it names in X-WR-TIMEZONE, which every
    # client, Outlook included, reads and keeps without showing anything.
    if not entries or any(b";TZID=" in entry for entry in entries):
        calendar.add_component(london_timezone())
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("x-wr-timezone", TZID)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    head = calendar.to_ical()
    end = b"END:VCALENDAR\r\n"
    return head[: -len(end)] + b"".join(entries) + end


@functools.lru_cache(maxsize=20_000)
def _feed_entry(event: CalendarEvent, reminder_minutes: int, stamp: datetime) -> bytes:
    """One entry of a feed as icalendar writes it (BEGIN:VEVENT to END:VEVENT)."""
    return _vevent(event, stamp, reminder_minutes).to_ical()


CONTENT_TYPE = "text/calendar; charset=utf-8"


def file_name(what: str) -> str:
    """A safe file name for a download, such as mappa-meeting-M-2026-0143.ics."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", what).strip("-.") or "calendar"
    return f"{stem}.ics"


def calendar_response(body: bytes) -> Response:
    """A calendar served as it is (a feed): the calendar content type, never cached on the way."""
    response = Response(body, content_type=CONTENT_TYPE)
    response.headers["Cache-Control"] = "no-store"
    return response


# The reason logged for a calendar file: the person downloading it adds it to their own calendar.
OWN_CALENDAR = "For my own calendar"


def download_response(body: bytes, what: str) -> Response:
    """A calendar file as a download named after `what` it is. The caller records the export:
    `audit.record("export", obj, summary="calendar file")`."""
    return download(body, "text/calendar", file_name(what))
