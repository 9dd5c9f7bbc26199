"""Calendar fixtures: events to build files from, both parsers and a registered test provider. (The real
SMTP server on loopback, `smtp_server`, is in tests/conftest.py: the meetings and training tests use it.)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import icalendar
import pytest
import vobject

from tracker.calendar import providers
from tracker.calendar.events import Attendee, meeting_event, training_session_event

INVITEES = (
    Attendee("dana.whitfield@police.example", "Dana Whitfield"),
    Attendee("li.chen@probation.example"),
)


def a_meeting(**changes):
    """A Level 2 meeting's entry (call inside an app context), with any field changed."""
    fields = {
        "meeting_id": 143,
        "reference": "M-2026-0143",
        "level": 2,
        "start": datetime(2026, 6, 9, 9, 0, tzinfo=UTC),
        "end": datetime(2026, 6, 9, 11, 0, tzinfo=UTC),
        "path": "/meetings/143",
        "venue": "Room 4, Lambeth Police Station",
        "join_url": "https://teams.example/l/meetup-join/abc",
        "attendees": INVITEES,
    }
    fields.update(changes)
    return meeting_event(**fields)


def a_training_session(**changes):
    fields = {
        "session_id": 7,
        "event_id": 3,
        "title": "MAPPA Chair Training",
        "number": 1,
        "of": 2,
        "start": datetime(2026, 10, 26, 9, 30, tzinfo=UTC),
        "end": datetime(2026, 10, 26, 16, 30, tzinfo=UTC),
        "path": "/training/events/3",
        "venue": "Training Room 2, Victoria",
    }
    fields.update(changes)
    return training_session_event(**fields)


@dataclass
class Parsed:
    """One calendar file read by icalendar and, independently, by vobject."""

    raw: bytes
    icalendar: icalendar.Calendar
    vobject: vobject.base.Component

    @property
    def events(self) -> list[icalendar.Event]:
        return list(self.icalendar.walk("VEVENT"))

    @property
    def event(self) -> icalendar.Event:
        (only,) = self.events
        return only

    @property
    def lines(self) -> list[str]:
        """The unfolded content lines, as text."""
        return self.raw.decode().replace("\r\n ", "").split("\r\n")

    def line(self, prefix: str) -> str:
        """The first content line starting with `prefix`, outside the VTIMEZONE block."""
        text = "\r\n".join(self.lines)
        if "BEGIN:VTIMEZONE" in text:
            text = text.split("BEGIN:VTIMEZONE")[0] + text.split("END:VTIMEZONE")[1]
        found = [line for line in text.split("\r\n") if line.startswith(prefix)]
        assert found, f"no line starting {prefix}"
        return found[0]


def parse(raw: bytes) -> Parsed:
    return Parsed(raw, icalendar.Calendar.from_ical(raw), vobject.readOne(raw.decode()))


@pytest.fixture
def provide():
    """provide(fn): register a calendar provider for this test only."""
    added = []

    def register(fn):
        providers.register(fn)
        added.append(fn)
        return fn

    yield register
    for fn in added:
        providers.unregister(fn)
