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


@pytest.fixture(scope="session")
def dovecot(tmp_path_factory):
    """A real IMAP server (Dovecot) on loopback for this test session."""
    import shutil
    import tempfile
    from pathlib import Path

    from tests import imapserver

    # Not under pytest's private (0700) temporary folder: run as root, Dovecot reads its files as the
    # unprivileged users the package made.
    folder = Path(tempfile.mkdtemp(prefix="tracker-dovecot-"))
    folder.chmod(0o755)
    server = imapserver.start(folder)
    yield server
    server.stop()
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def organiser_mailbox(app, dovecot):
    """The organiser's mailbox, a new one for each test, and the app set to read it over IMAP (STARTTLS,
    the server's certificate checked against its own CA file)."""
    user, password = dovecot.new_user()
    settings = {
        "MAIL_REPLY_TO": "mappa-meetings@tracker.test",
        "IMAP_HOST": "127.0.0.1",
        "IMAP_PORT": dovecot.imap_port,
        "IMAP_SECURITY": "starttls",
        "IMAP_USERNAME": user,
        "IMAP_PASSWORD": password,
        "IMAP_CA_FILE": dovecot.ca_file,
    }
    saved = {key: app.config[key] for key in settings}
    app.config.update(settings)
    imap = dovecot.login(user, password)
    yield OrganiserMailbox(imap)
    imap.logout()
    app.config.update(saved)


class OrganiserMailbox:
    """The test's own view of the organiser's mailbox: mail arrives with APPEND, folders are listed."""

    def __init__(self, imap):
        self.imap = imap

    def arrive(self, message: bytes) -> None:
        status, data = self.imap.append("INBOX", None, None, message)
        assert status == "OK", data

    def subjects(self, folder: str) -> list[str]:
        import email
        import email.policy

        status, _ = self.imap.select(f'"{folder}"', readonly=True)
        if status != "OK":
            return []
        _, data = self.imap.uid("SEARCH", None, "ALL")
        found = []
        for uid in data[0].split():
            _, fetched = self.imap.uid("FETCH", uid, "(BODY.PEEK[HEADER])")
            header = email.message_from_bytes(fetched[0][1], policy=email.policy.default)
            found.append(str(header["Subject"]))
        return found
