"""Calendar rules over plain values: the feed's window, when SEQUENCE rises, and the reminder setting."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from tracker.calendar.events import CalendarEvent
from tracker.core import settings
from tracker.core.timeutil import LONDON, london_to_utc

REMINDER_MINUTES = settings.define(
    "calendar_reminder_minutes",
    15,
    "Calendar reminder (minutes before)",
    hint="How long before a meeting or training session Outlook reminds people. 0 for no reminder.",
    group="Calendar",
    minimum=0,
    maximum=7 * 24 * 60,
)

# A feed covers from a month back (to look back at the week just gone) to a year ahead.
FEED_MONTHS_BACK = 1
FEED_MONTHS_AHEAD = 12


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), or the month's last day when it is shorter."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def feed_window(today: date) -> tuple[datetime, datetime]:
    """The UTC instants a personal feed covers: from midnight (UK time) a month before `today` to the end
    of the day a year after it."""
    first = add_months(today, -FEED_MONTHS_BACK)
    last = add_months(today, FEED_MONTHS_AHEAD)
    return london_to_utc(first, time()), london_to_utc(last + timedelta(days=1), time())


def span(event: CalendarEvent) -> tuple[datetime, datetime]:
    """The UTC instants an event occupies; an all-day event runs from midnight to midnight UK time."""
    if event.all_day:
        return london_to_utc(event.start, time()), london_to_utc(event.end + timedelta(days=1), time())
    return event.start, event.end


def overlaps(event: CalendarEvent, start: datetime, end: datetime) -> bool:
    """Whether any part of the event falls in [start, end)."""
    begins, ends = span(event)
    return begins < end and ends > start


def still_to_come(event: CalendarEvent, now: datetime) -> bool:
    """Whether people need to hear of an invitation, change or cancellation: the event has not ended.
    (Adding someone to a meeting held last week, to record their attendance, sends them nothing.)"""
    return span(event)[1] > now


def _schedule(event: CalendarEvent) -> tuple:
    return (event.start, event.end, event.venue, event.join_url, event.status)


def schedule_changed(before: CalendarEvent, after: CalendarEvent) -> bool:
    """Whether the time, date, place (room or join link) or status changed: what invitees must hear of."""
    if before.uid != after.uid:
        raise ValueError("compare two versions of the same event (the same UID)")
    return _schedule(before) != _schedule(after)


def next_sequence(before: CalendarEvent, after: CalendarEvent) -> int:
    """The SEQUENCE the changed event carries: one more than before when the change matters to invitees.

    Removing an invitee raises it by one as well (`event.sequence + 1`), so that the cancellation the
    removed person receives outranks the invitation they hold.
    """
    return before.sequence + 1 if schedule_changed(before, after) else before.sequence


def reminder_minutes(event: CalendarEvent) -> int:
    """Minutes before the start that Outlook reminds people: the event's own figure or the area's."""
    if event.alarm_minutes is not None:
        return event.alarm_minutes
    return int(settings.get(REMINDER_MINUTES.key))


def what_changed(
    before: tuple[datetime, datetime, str | None, str | None],
    after: tuple[datetime, datetime, str | None, str | None],
) -> list[str]:
    """What an update email names as changed, from (start, end, place, join link) before and after:
    the date, the time (in London), the place, the join link."""
    (start, end, venue, link), (new_start, new_end, new_venue, new_link) = before, after
    local = [moment.astimezone(LONDON) for moment in (start, end, new_start, new_end)]
    changed = []
    if (local[0].date(), local[1].date()) != (local[2].date(), local[3].date()):
        changed.append("date")
    if (local[0].time(), local[1].time()) != (local[2].time(), local[3].time()):
        changed.append("time")
    if (venue or "").strip() != (new_venue or "").strip():
        changed.append("place")
    if (link or "").strip() != (new_link or "").strip():
        changed.append("join link")
    return changed



def resend_refused(
    method: str,
    sequence: int,
    what: str,
    *,
    cancelled: bool,
    sequence_for_all: int,
    later_to_them: list[int],
) -> str | None:
    """Why a calendar email that was not delivered must not be sent again as it is (None: it may be).

    Sent late, an out-of-date version would put the event back as it was: an invitation (METHOD:REQUEST)
    to an event since cancelled, or older than the version everyone was sent since (`sequence_for_all`),
    or any calendar email with a later one (`later_to_them`, the SEQUENCEs of the event's emails queued
    after it for any of the same people). A cancellation sent to one person taken off stays right after
    the others are sent a change: it still takes the event out of that person's diary.
    """
    newer = [later for later in later_to_them if later > sequence]
    if method == "REQUEST" and cancelled:
        return (
            f"Not sent again: {what} has been cancelled since this invitation was written, and sending it "
            "now would put it back in their calendar."
        )
    if newer or (method == "REQUEST" and sequence < sequence_for_all):
        return (
            f"Not sent again: {what} has changed since this email was written, and a later version was "
            "written to them since. Sending this one now would put the old version back in their calendar: "
            "if the later email failed too, send that one again instead."
        )
    return None
