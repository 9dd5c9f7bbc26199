"""What a calendar entry may say: `CalendarEvent`, built from references only.

Calendar files and invitation emails leave the secure system and end up on phones, so no entry may
name a person under MAPPA or say anything about a case. That rule is kept by construction: an event's
summary comes from a *subject* (a meeting's reference and level, or a training course's title and
session number), its description is written here from the time, the place or join link and a link back
to the tracker, and there is no field for free text taken from a case. The areas that own meetings and
training build their events with `meeting_event` and `training_session_event`.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TypedDict, Unpack
from urllib.parse import urlsplit

from flask import current_app

from tracker.core.timeutil import format_date, format_time, london

# A reference is one short token such as "M-2026-0143": no spaces, so a name or a sentence cannot pass.
_REFERENCE = re.compile(r"[A-Za-z0-9][A-Za-z0-9/._-]{0,39}")
# As long as the training event titles, session titles and venues the tracker accepts.
_MAX_TITLE = 200
_MAX_SESSION_TITLE = 100
_MAX_VENUE = 300
LEVELS = (2, 3)


class EventStatus(enum.Enum):
    CONFIRMED = "CONFIRMED"
    CANCELLED = "CANCELLED"


def _single_line(value: str, what: str, limit: int) -> str:
    value = " ".join(value.split())
    if not value or len(value) > limit:
        raise ValueError(f"{what} must be 1 to {limit} characters on one line")
    return value


def _web_address(value: str, what: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise ValueError(f"{what} must be a web address starting https:// (got {value!r})")
    return value


def usable_link(value: str | None) -> str | None:
    """A join link fit for a calendar, or None for a blank or malformed one: the entry still links back
    to the tracker, whose page shows the link as it was typed."""
    try:
        return _web_address(value, "A join link") if value else None
    except ValueError:
        return None


def is_join_link(value: str) -> bool:
    """Whether a link typed into a form can go into calendar invitations: a whole https:// web address."""
    return value.startswith("https://") and usable_link(value) is not None


@dataclass(frozen=True)
class MeetingSubject:
    """A MAPPA meeting, known outside the tracker only by its reference and level."""

    reference: str
    level: int

    def __post_init__(self) -> None:
        if not _REFERENCE.fullmatch(self.reference):
            raise ValueError(f"a meeting reference is one code like M-2026-0143, not {self.reference!r}")
        if self.level not in LEVELS:
            raise ValueError(f"a MAPPA meeting is Level 2 or 3, not {self.level!r}")

    @property
    def summary(self) -> str:
        return f"MAPPA Level {self.level} meeting {self.reference}"

    @property
    def named(self) -> str:
        return self.summary

    @property
    def noun(self) -> str:
        return "meeting"


@dataclass(frozen=True)
class TrainingSubject:
    """A training or CPD session: the course or event title (never about a case), which session, and the
    session's own title as the TRSG's pages show it ("Day 2"; blank for none)."""

    title: str
    number: int = 1
    of: int = 1
    session: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "title", _single_line(self.title, "A training title", _MAX_TITLE))
        if not 1 <= self.number <= self.of:
            raise ValueError(f"session {self.number} of {self.of} does not exist")
        if self.session.strip():
            session = _single_line(self.session, "A session title", _MAX_SESSION_TITLE)
            object.__setattr__(self, "session", session)
        else:
            object.__setattr__(self, "session", "")

    @property
    def summary(self) -> str:
        """The entry's title in diaries and email subjects: the course and "session 2 of 2"."""
        return self.title if self.of == 1 else f"{self.title}: session {self.number} of {self.of}"

    @property
    def named(self) -> str:
        """The session as a cancellation's text names it: by its title, as the TRSG's pages do, with the
        number the invitation gave it beside it ("Spring cohort: Day 2 (session 2 of 2)")."""
        if self.of == 1 or not self.session:
            return self.summary
        return f"{self.title}: {self.session} (session {self.number} of {self.of})"

    @property
    def noun(self) -> str:
        return "training session"


Subject = MeetingSubject | TrainingSubject


@dataclass(frozen=True)
class Attendee:
    """Someone invited: a member of staff, named as they are on their account, or a trainee, who may have
    no account (their email then cannot send them to the tracker to sign in)."""

    email: str
    name: str = ""
    has_account: bool = True


@dataclass(frozen=True)
class CalendarEvent:
    """One calendar entry, ready for a file, an invitation or a feed.

    `start` and `end` are aware datetimes (kept in UTC), or dates for an all-day entry, in which case
    `end` is the last day itself (the .ics writer makes it exclusive). `sequence` starts at 0 and rises
    by one with every change to the time, date, place or status (see `rules.next_sequence`); `uid`
    never changes for the life of the meeting or session.
    """

    uid: str
    sequence: int
    subject: Subject
    start: datetime | date
    end: datetime | date
    url: str
    venue: str | None = None
    join_url: str | None = None
    status: EventStatus = EventStatus.CONFIRMED
    last_modified: datetime | None = None
    related_to: str | None = None
    attendees: tuple[Attendee, ...] = field(default=())
    # None: the area's reminder setting; 0: no reminder.
    alarm_minutes: int | None = None
    # A cancellation sent to one person taken off the list (or whose place is withdrawn): the event
    # itself still takes place for the others.
    cancelled_for_one: bool = False

    def __post_init__(self) -> None:
        if "@" not in self.uid or any(c.isspace() for c in self.uid):
            raise ValueError(f"a UID looks like kind-id@host, not {self.uid!r}")
        if self.sequence < 0:
            raise ValueError("SEQUENCE starts at 0")
        if not isinstance(self.subject, MeetingSubject | TrainingSubject):
            raise TypeError("an event's subject is a MeetingSubject or a TrainingSubject")
        self._check_times()
        _web_address(self.url, "The link back to the tracker")
        if self.venue is not None:
            object.__setattr__(self, "venue", _single_line(self.venue, "A venue", _MAX_VENUE))
        if self.join_url is not None:
            _web_address(self.join_url, "A join link")
        if self.last_modified is not None:
            object.__setattr__(self, "last_modified", _utc(self.last_modified, "LAST-MODIFIED"))
        object.__setattr__(self, "attendees", tuple(self.attendees))

    def _check_times(self) -> None:
        if self.all_day:
            if type(self.end) is not date:
                raise TypeError("an all-day event starts and ends on dates")
            if self.end < self.start:
                raise ValueError("an event cannot end before it starts")
            return
        if not isinstance(self.end, datetime):
            raise TypeError("a timed event starts and ends at datetimes")
        object.__setattr__(self, "start", _utc(self.start, "the start"))
        object.__setattr__(self, "end", _utc(self.end, "the end"))
        if self.end <= self.start:
            raise ValueError("an event must end after it starts")

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def cancelled(self) -> bool:
        return self.status is EventStatus.CANCELLED

    @property
    def summary(self) -> str:
        return ("Cancelled: " if self.cancelled else "") + self.subject.summary

    @property
    def location(self) -> str:
        """The room, or "Online" for an online-only meeting."""
        if self.venue:
            return self.venue
        return "Online" if self.join_url else "To be confirmed"

    @property
    def when(self) -> str:
        """The date and time as people in England and Wales read them."""
        if self.all_day:
            first = format_date(self.start, with_weekday=True)
            if self.end == self.start:
                return f"{first} (all day)"
            return f"{first} to {format_date(self.end, with_weekday=True)}"
        day = format_date(self.start, with_weekday=True)
        same_day = london(self.start).date() == london(self.end).date()
        until = format_time(self.end) if same_day else f"{format_date(self.end)} {format_time(self.end)}"
        return f"{day}, {format_time(self.start)} to {until} (UK time)"

    @property
    def description_lines(self) -> list[str]:
        if self.cancelled_for_one:
            lines = [f"It is cancelled for you: the {self.subject.noun} still takes place for the others."]
        else:
            lines = [f"This {self.subject.noun} has been cancelled."] if self.cancelled else []
        lines.append(f"When: {self.when}")
        if self.venue:
            lines.append(f"Where: {self.venue}")
        if self.join_url:
            lines.append(f"Join online: {self.join_url}")
        lines.append(f"Details in MAPPA Tracker (sign-in needed): {self.url}")
        return lines

    @property
    def sort_key(self) -> datetime:
        return self.start if not self.all_day else datetime.combine(self.start, datetime.min.time(), UTC)


def _utc(moment: datetime, what: str) -> datetime:
    if not isinstance(moment, datetime) or moment.tzinfo is None:
        raise ValueError(f"{what} must be an aware datetime (UTC in the database)")
    return moment.astimezone(UTC)


def tracker_url(path: str) -> str:
    """An address in the tracker as people reach it (BASE_URL), for links in calendars and mail."""
    if not path.startswith("/"):
        raise ValueError(f"give a path starting with /, not {path!r}")
    return current_app.config["BASE_URL"].rstrip("/") + path


def uid(kind: str, object_id: int) -> str:
    """A UID stable for the object's life and unique everywhere: kind-id@the tracker's host."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "mappa-tracker"
    return f"{kind}-{object_id}@{host}"


class EntryDetails(TypedDict, total=False):
    """What a meeting's or a session's entry may also say: where, its version and state, and who is asked."""

    venue: str | None
    join_url: str | None
    sequence: int
    cancelled: bool
    last_modified: datetime | None
    attendees: tuple[Attendee, ...]


def _entry(
    entry_uid: str,
    subject: MeetingSubject | TrainingSubject,
    start: datetime | date,
    end: datetime | date,
    path: str,
    related_to: str | None = None,
    *,
    venue: str | None = None,
    join_url: str | None = None,
    sequence: int = 0,
    cancelled: bool = False,
    last_modified: datetime | None = None,
    attendees: tuple[Attendee, ...] = (),
) -> CalendarEvent:
    return CalendarEvent(
        uid=entry_uid,
        sequence=sequence,
        subject=subject,
        start=start,
        end=end,
        url=tracker_url(path),
        venue=venue or None,
        join_url=join_url or None,
        status=EventStatus.CANCELLED if cancelled else EventStatus.CONFIRMED,
        last_modified=last_modified,
        related_to=related_to,
        attendees=attendees,
    )


def meeting_event(
    *,
    meeting_id: int,
    reference: str,
    level: int,
    start: datetime,
    end: datetime,
    path: str,
    **details: Unpack[EntryDetails],
) -> CalendarEvent:
    """A meeting's entry: its reference and level, time, place or link, and `path` back to it."""
    return _entry(uid("meeting", meeting_id), MeetingSubject(reference, level), start, end, path, **details)


def training_session_event(
    *,
    session_id: int,
    event_id: int,
    title: str,
    number: int,
    of: int,
    start: datetime | date,
    end: datetime | date,
    path: str,
    session_title: str = "",
    **details: Unpack[EntryDetails],
) -> CalendarEvent:
    """One session of a training event. A multi-session course is one entry per session, all
    RELATED-TO the event, since each day has its own times. `session_title`: the session's own ("Day 2")."""
    related_to = uid("training-event", event_id) if of > 1 else None
    subject = TrainingSubject(title, number, of, session_title)
    return _entry(uid("training-session", session_id), subject, start, end, path, related_to, **details)
